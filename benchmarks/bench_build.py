"""Build-time checks benchmark: SHACL validation (pySHACL) and HermiT reasoning
(owlready2) on synthetic graphs, each against parsing the same data with rdflib,
measured in the same run.

The ratio "x parse" says how many times a parse of the same N-Triples the check
costs, which carries over between machines better than seconds do. One warm-up (it
parses the shapes, starts the JVM's caches), then the median of ``--repeat`` runs.
HermiT needs a Java runtime; without one its rows say so.

    python -m benchmarks.bench_build --sizes 6k,55k
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from benchmarks.bench_store import machine, record
from benchmarks.generate import generate, parse_size


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    """One warm-up, then the median of ``repeat`` timed runs."""
    work()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def measure(triples: int, repeat: int) -> dict[str, object]:
    from mandategraph.ontology.reasoning import infer, java_available
    from mandategraph.ontology.validation import validate

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        path = Path(tmp) / "data.nt"
        generate(path, triples=triples)
        data = Graph().parse(path, format="nt")
        parse = median_seconds(lambda: Graph().parse(path, format="nt"), repeat)
    row: dict[str, object] = {"triples": len(data), "parse": parse}
    row["shacl"] = median_seconds(lambda: validate(data), repeat)
    row["hermit"] = median_seconds(lambda: infer(data), repeat) if java_available() else None
    return row


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| triples | rdflib parse | SHACL (pySHACL) | x parse | HermiT (owlready2) | x parse |",
        "|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        parse = float(row["parse"])  # type: ignore[arg-type]
        shacl = float(row["shacl"])  # type: ignore[arg-type]
        hermit = row["hermit"]
        hermit_cells = (
            f"{float(hermit):.2f} s | {float(hermit) / parse:.1f}"  # type: ignore[arg-type]
            if hermit is not None
            else "no Java runtime | "
        )
        lines.append(
            f"| {row['triples']:,} | {parse:.2f} s | {shacl:.2f} s | {shacl / parse:.1f} | "
            f"{hermit_cells} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="6k,55k", help="comma-separated graph sizes")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after the warm-up")
    parser.add_argument("--no-record", action="store_true", help="do not append RESULTS.md")
    args = parser.parse_args(argv)
    header = machine(("rdflib", "pyshacl", "owlready2"))
    rows = []
    for size in args.sizes.split(","):
        rows.append(measure(parse_size(size), args.repeat))
        print(f"  {size}: {rows[-1]}", file=sys.stderr, flush=True)
    text = table(rows)
    print(text)
    if not args.no_record:
        record(text, sys.argv[1:] if argv is None else argv, header,
               script="bench_build", title="Build checks: run of {stamp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
