"""The whole compliance report against the canned queries, on one synthetic graph.

Loads the synthetic graph (``benchmarks/generate.py``, 1M triples by default) with the
ontology into an in-memory store, runs every canned query once to warm up and then
``--repeat`` times, runs the whole compliance report (:func:`run_checks`: every check,
rapidfuzz scoring included) as many times, and prints the medians with the ratio of the
report to the slowest canned query, both measured in this run::

    python -m benchmarks.bench_compliance [--triples 1m] [--repeat 3] [--record]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_store import ensure_data, machine
from benchmarks.generate import DEFAULT_SEED, parse_size, size_label
from mandategraph.graph.sparql.results import Table, to_table
from mandategraph.graph.store import Store
from mandategraph.ontology.loader import ontology_graph
from mandategraph.ontology.namespaces import GRAPH, ONTOLOGY_GRAPH
from mandategraph.queries.catalog import load_catalog
from mandategraph.queries.compliance import QUERIES, Finding, run_checks

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

#: The canned queries the compliance report runs (mandate-status is the registry view).
CHECK_QUERIES = {*QUERIES.values(), "mandate-status"}


def median_time(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` runs (after one warm-up), and the last result."""
    result = run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="1m", help="size of the synthetic graph")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per query")
    parser.add_argument("--record", action="store_true", help="append to RESULTS.md")
    args = parser.parse_args(argv)
    triples = parse_size(args.triples)
    path = ensure_data(triples, DEFAULT_SEED, None)
    store = Store.open("memory")
    started = time.perf_counter()
    store.load_file(path, graph=GRAPH["document/synthetic"])
    store.replace_graph(ONTOLOGY_GRAPH, ontology_graph())
    print(f"loaded {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    def run(text: str) -> Table:
        return to_table(store.query(text))  # type: ignore[arg-type]

    canned: dict[str, float] = {}
    for name, query in load_catalog().items():
        seconds, _rows = median_time(lambda q=query: run(q.sparql({})), args.repeat)
        canned[name] = seconds
        print(f"{name:32} {seconds * 1000:9.0f} ms", file=sys.stderr)
    report_s, findings = median_time(lambda: run_checks(run), args.repeat)
    found: list[Finding] = findings  # type: ignore[assignment]
    slowest = max(canned, key=lambda n: canned[n])
    # the canned queries that are not part of the report (the questions of before)
    others = [n for n in canned if n not in CHECK_QUERIES]
    slowest_other = max(others, key=lambda n: canned[n])
    kinds = {f.kind for f in found}
    lines = [
        f"### Compliance report, {size_label(triples)} synthetic triples "
        f"({time.strftime('%Y-%m-%d')})",
        "",
        f"Machine: {machine()}. In-memory store, median of {args.repeat} runs after one "
        "warm-up, same process and data for every figure.",
        "",
        "| what | ms |",
        "|---|---|",
        *(f"| canned `{n}` | {canned[n] * 1000:.0f} |"
          for n in sorted(canned, key=lambda n: -canned[n])),
        f"| **whole compliance report** ({len(found)} findings, "
        f"{len(kinds)} kinds) | **{report_s * 1000:.0f}** |",
        "",
        f"The whole report takes {report_s / canned[slowest]:.2f}x the slowest canned "
        f"query (`{slowest}`, {canned[slowest] * 1000:.0f} ms), "
        f"{report_s / canned[slowest_other]:.2f}x the slowest canned query outside the "
        f"report (`{slowest_other}`, {canned[slowest_other] * 1000:.0f} ms).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
