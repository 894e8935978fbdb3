"""Full-text search at scale: the index build against the store's bulk load, and query
latency, in one run on the same synthetic graph.

* Load: the synthetic N-Triples file bulk-loaded into a fresh on-disk store
  (``Store.load_file``), the baseline.
* Index: :func:`mandategraph.graph.search.build_index` over what the store holds (the
  SPARQL reads of :func:`~mandategraph.graph.search.entries` included), written to a
  file as ``mandategraph build`` does; reported as seconds and as a ratio to the load.
* Queries: 200 (``--queries``) one- and two-word queries drawn with a fixed seed from
  the words of the indexed titles, each timed once after one warm-up pass; p50, p99
  and the slowest, in ms. For contrast, the first 20 of them also run as the regex
  over the store that the index replaces (``FILTER(REGEX(?text, word, "i"))`` on
  labels and quotes), medians in ms.

Run: ``python -m benchmarks.bench_search --triples 1M [--record]``.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_store import BENCH_GRAPH, ensure_data, machine
from benchmarks.generate import DEFAULT_SEED, parse_size, size_label
from mandategraph.graph.search import WORD, build_index, entries, search
from mandategraph.graph.store import Store

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

REGEX = """
SELECT DISTINCT ?x WHERE {
  ?x rdfs:label|mg:quote|mg:text ?text .
  FILTER(REGEX(STR(?text), ?word, "i"))
} LIMIT 20
"""


def queries(connection: object, count: int, seed: int) -> list[str]:
    """``count`` queries of one or two words from the indexed titles, drawn with ``seed``."""
    titles = [row[0] for row in connection.execute(  # type: ignore[attr-defined]
        "SELECT title FROM entries ORDER BY rowid")]
    words = sorted({w for t in titles for w in WORD.findall(t) if len(w) > 3 and w.isalpha()})
    draw = random.Random(seed)
    return [" ".join(draw.sample(words, draw.choice((1, 1, 2)))) for _ in range(count)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(triples: int, *, count: int, seed: int) -> dict[str, object]:
    data = ensure_data(triples, seed, None)
    with tempfile.TemporaryDirectory() as folder:
        location = Path(folder) / "store"
        store = Store.open(location)
        began = time.perf_counter()
        store.load_file(data, graph=BENCH_GRAPH, fmt="nt")
        load = time.perf_counter() - began
        began = time.perf_counter()
        found = list(entries(store))
        read = time.perf_counter() - began
        connection = build_index(found, Path(folder) / "search.sqlite")
        index = time.perf_counter() - began
        asked = queries(connection, count, seed)
        for text in asked:  # warm-up: SQLite's page cache, the stemmers
            search(connection, text)
        latencies, hits = [], 0
        for text in asked:
            began = time.perf_counter()
            total, _found = search(connection, text)
            latencies.append(time.perf_counter() - began)
            hits += total > 0
        from rdflib import Literal

        regex = []
        for text in asked[:20]:
            word = re.escape(text.split()[0])
            began = time.perf_counter()
            list(store.query(REGEX, bindings={"word": Literal(word)}))  # type: ignore[arg-type]
            regex.append(time.perf_counter() - began)
        store.close()
    return {
        "triples": triples, "entries": len(found), "load": load, "read": read, "index": index,
        "queries": count, "answered": hits,
        "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
        "max": max(latencies), "regex_median": statistics.median(regex),
    }


def table(result: dict[str, object]) -> str:
    r = result
    return "\n".join([
        "| size | entries | bulk load s | index build s (of which SPARQL reads) | index / load "
        "| queries (with hits) | p50 ms | p99 ms | slowest ms | regex over the store, median ms |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        f"| {size_label(int(r['triples']))} | {r['entries']} | {float(r['load']):.1f} "  # type: ignore[arg-type]
        f"| {float(r['index']):.1f} ({float(r['read']):.1f}) "  # type: ignore[arg-type]
        f"| {float(r['index']) / float(r['load']):.2f}× "  # type: ignore[arg-type]
        f"| {r['queries']} ({r['answered']}) | {float(r['p50']) * 1000:.2f} "  # type: ignore[arg-type]
        f"| {float(r['p99']) * 1000:.2f} | {float(r['max']) * 1000:.2f} "  # type: ignore[arg-type]
        f"| {float(r['regex_median']) * 1000:.0f} |",  # type: ignore[arg-type]
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_search")
    parser.add_argument("--triples", type=parse_size, default=parse_size("1M"))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--record", action="store_true", help="append to RESULTS.md")
    args = parser.parse_args(argv)
    result = run(args.triples, count=args.queries, seed=args.seed)
    text = table(result)
    print(text)
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(
                f"\n## Full-text search ({time.strftime('%Y-%m-%d')}, "
                "`python -m benchmarks.bench_search`)\n\n"
                "Index build (SPARQL reads of the store, keys, SQLite FTS5 file) against the "
                "bulk load of the same synthetic file into a fresh on-disk store, and the "
                "latency of one- and two-word queries drawn from the indexed titles (one "
                "warm-up pass, then each timed once). The regex column runs the first 20 "
                "words as the SPARQL regex the index replaces.\n\n"
                f"{text}\n\n{machine()}\n"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
