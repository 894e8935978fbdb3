"""Remote store benchmark: writing a document graph and running the canned queries on
the embedded store, an Oxigraph server and Virtuoso, in the same run.

Each server is started on loopback for the run (as the tests do, ``tests/remote_servers``).
For each backend: ``replace_graph`` of a graph of N synthetic triples (Oxigraph server: one
update; Virtuoso: Graph Store Protocol PUT to a staging graph, then MOVE), timed; then
the bundled corpus is built (no reasoning) and every canned query is run ``--repeat``
times (median), and the ratios to the embedded store are printed::

    python -m benchmarks.bench_remote --sizes 20k,200k
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from rdflib import Literal, URIRef

from mandategraph.api.settings import PROJECT_ROOT
from mandategraph.graph.backends import open_store
from mandategraph.graph.build import build
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import GRAPH
from mandategraph.queries.catalog import load_catalog
from tests.remote_servers import oxigraph_server, virtuoso_server

EX = "http://example.org/bench/"


def triples(n: int) -> Iterator[tuple[URIRef, URIRef, Literal]]:
    """N triples shaped like extracted facts: 10 predicates, literals and numbers."""
    for i in range(n):
        yield (URIRef(f"{EX}s{i // 10}"), URIRef(f"{EX}p{i % 10}"),
               Literal(i) if i % 2 else Literal(f"text {i}", lang="fr"))


def parse_size(text: str) -> int:
    text = text.lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * scale)


@contextlib.contextmanager
def backend(name: str, folder: Path) -> Iterator[str]:
    if name == "embedded":
        yield str(folder / "store")
    elif name == "oxigraph":
        with oxigraph_server(folder) as url:
            yield url
    else:
        with virtuoso_server(folder) as url:
            yield url


def run(name: str, sizes: list[int], repeat: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, backend(name, Path(tmp)) as location:
        store: Store = open_store(location)
        try:
            for size in sizes:
                data = list(triples(size))
                started = time.perf_counter()
                store.replace_graph(GRAPH["bench"], data)
                figures[f"replace {size:,}"] = time.perf_counter() - started
            store.replace_graph(GRAPH["bench"], [])
            build(store, corpus=PROJECT_ROOT / "corpus", reason=False)
            for query_name, query in load_catalog().items():
                text = query.on(store.engine).sparql({})
                times = []
                for _ in range(repeat + 1):
                    started = time.perf_counter()
                    list(store.query(text))  # type: ignore[call-overload]
                    times.append(time.perf_counter() - started)
                figures[f"query {query_name}"] = statistics.median(times[1:])
        finally:
            store.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20k,200k")
    parser.add_argument("--backends", default="embedded,oxigraph,virtuoso")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    names = args.backends.split(",")
    results = {name: run(name, sizes, args.repeat) for name in names}
    base = results[names[0]]
    print(f"| measure | {' | '.join(names)} |")
    print(f"|---|{'---|' * len(names)}")
    for key in base:
        cells = []
        for name in names:
            value = results[name][key]
            ratio = value / base[key] if base[key] else float("nan")
            shown = "" if name == names[0] else f" (x{ratio:.1f})"
            cells.append(f"{value * 1000:.1f} ms{shown}")
        print(f"| {key} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
