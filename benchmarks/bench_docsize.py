"""Document-size benchmark: does extraction cost grow linearly with the text?

Inputs are made from the seed report (``corpus/oas-sms-caribbean-sids-activities-
2010.fr.txt``, 28 KB), concatenated to each size (``--sizes`` in MB of UTF-8, 10^6
bytes; 0.1, 1 and 4 by default) and cut at a line break, in one to three shapes
(``--shapes``):

* ``seed``: the copies one after the other, as the report is (blank lines between
  paragraphs, sentence punctuation);
* ``no-blank-lines``: the same text with every blank line removed, as text taken
  from a PDF often is;
* ``no-punctuation``: the same text on one line with no ``. ! ? ; :``, a text with
  no sentence end at all (the worst case of the sentence rules).

Each input is measured in a fresh child process, which imports the extractor,
loads the registry and extracts the first page of the seed (the spaCy pipeline and
matchers are built before any clock starts), then times ``read_document`` +
``extract``: wall seconds and CPU seconds (user + system, less disturbed by other
work on a shared machine). Memory is the child's peak resident set (``ru_maxrss``
from ``wait4``); the extraction's share ("RSS MB") is that peak minus the child's
resident set just before it read the document. That difference reads low for small
inputs: they fit in the ~10 MB the imports freed inside the Python heap. So a
second child per input measures the peak of the memory Python allocates during
read + extract with ``tracemalloc`` ("heap MB"; exact and repeatable, not timed:
tracing slows the work several times; ``--no-trace`` skips it).

The ratios compare each size with the smallest one measured in the same run and
shape: ``s/MB ×`` is the CPU seconds per MB over the smallest size's, ``MB/MB ×`` the
heap MB per MB over the smallest size's. Linear cost keeps both near 1.0; a cost
growing with the square of the text doubles them each time the size doubles.

``--ingest`` adds, per input, the whole ingest into an in-memory store: extraction,
the SHACL check, the write and HermiT's reasoning (when Java is there), each timed,
with the child's peak memory; slow (about a minute per MB).

Run from the repository root::

    python -m benchmarks.bench_docsize [--sizes 0.1,1,4] [--shapes seed,...] [--ingest]
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks.bench_store import machine, record

ROOT = Path(__file__).resolve().parent.parent
SEED_REPORT = ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
SHAPES = ("seed", "no-blank-lines", "no-punctuation")
MB = 1_000_000


def make_text(size: int, shape: str) -> str:
    """About ``size`` bytes of UTF-8 (never more) made of the seed report in ``shape``."""
    seed = SEED_REPORT.read_text(encoding="utf-8").strip("\n")
    if shape == "no-blank-lines":
        seed = re.sub(r"\n\s*\n", "\n", seed)
    elif shape == "no-punctuation":
        seed = " ".join(re.sub(r"[.!?;:]", "", seed).split())
    elif shape != "seed":
        raise ValueError(f"unknown shape {shape!r} (one of {', '.join(SHAPES)})")
    joint = " " if shape == "no-punctuation" else ("\n" if shape == "no-blank-lines" else "\n\n")
    unit = seed + joint
    copies = size // len(unit.encode("utf-8")) + 1
    data = (unit * copies).encode("utf-8")[:size]
    text = data.decode("utf-8", errors="ignore")  # a character cut in two is dropped
    if shape != "no-punctuation":
        text = text[: text.rfind("\n") + 1] or text  # whole lines
    return text


def _rss_mb() -> float:
    """This process's resident set now, in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / MB


def _release_free_memory() -> None:
    """Give the memory the warm-up freed back to the system (glibc ``malloc_trim``), so
    that the extraction measured next does not reuse it unseen by the peak RSS."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the small sizes read a little low
        pass


def worker(path: Path, *, ingest: bool, trace: bool = False) -> dict[str, Any]:
    """In a fresh process: warm up on the seed's first page, then read and extract
    ``path``; with ``trace``, only the traced heap peak of that (``heap_mb``)."""
    from mandategraph.graph.extraction.extract import extract
    from mandategraph.graph.extraction.readers import read_document
    from mandategraph.ontology.registry import load_registry

    registry = load_registry()
    # The pipelines and matchers are built on the first page of the seed: a whole
    # document would leave freed memory that the next extraction reuses unseen.
    with tempfile.TemporaryDirectory(prefix="bench-docsize-warm-") as folder:
        page = Path(folder) / "warm-up.fr.txt"
        page.write_text(SEED_REPORT.read_text(encoding="utf-8")[:3000], encoding="utf-8")
        extract(read_document(page), registry=registry)
    gc.collect()
    _release_free_memory()
    if trace:
        tracemalloc.start()
        document = read_document(path, max_bytes=0)
        graph = extract(document, registry=registry)
        heap = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
        return {"heap_mb": heap, "triples": len(graph)}
    figures: dict[str, Any] = {"rss_before_mb": _rss_mb()}
    wall, cpu = time.perf_counter(), time.process_time()
    document = read_document(path, max_bytes=0)
    figures["read_s"] = time.perf_counter() - wall
    graph = extract(document, registry=registry)
    figures["extract_s"] = time.perf_counter() - wall
    figures["cpu_s"] = time.process_time() - cpu
    figures["triples"] = len(graph)
    figures["chars"] = len(document.text)
    if ingest:
        figures.update(_ingest(document, graph))
    return figures


def _ingest(document: Any, graph: Any) -> dict[str, float]:
    """The steps of ``ingest`` after extraction, each timed, on an in-memory store."""
    from mandategraph.graph.build import load_vocabulary, materialize_inferences
    from mandategraph.graph.ingest import check_shapes
    from mandategraph.graph.store import Store
    from mandategraph.ontology.namespaces import document_graph
    from mandategraph.ontology.reasoning import java_available

    out: dict[str, float] = {}
    with Store.open("memory") as store:
        load_vocabulary(store)
        started = time.perf_counter()
        check_shapes(store, graph)
        out["shapes_s"] = time.perf_counter() - started
        started = time.perf_counter()
        store.replace_graph(document_graph(document.slug), graph)
        out["write_s"] = time.perf_counter() - started
        if java_available():
            started = time.perf_counter()
            materialize_inferences(store)
            out["reason_s"] = time.perf_counter() - started
    return out


def measure(path: Path, *, ingest: bool, trace: bool) -> dict[str, Any]:
    """:func:`worker` in a child process, plus the child's peak RSS (``wait4``); with
    ``trace``, the heap peak from a second child."""
    figures = _child(path, ["--ingest"] if ingest else [])
    if trace:
        traced = _child(path, ["--trace"])
        if traced["triples"] != figures["triples"]:
            raise RuntimeError(f"{path.name}: the traced run gave another graph")
        figures["heap_mb"] = traced["heap_mb"]
    return figures


def _child(path: Path, options: list[str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.bench_docsize", "--worker", str(path)]
    command += options
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    child.stdout.close()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if child.returncode != 0:
        raise RuntimeError(f"worker on {path.name} failed with exit code {child.returncode}")
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    figures["peak_mb"] = usage.ru_maxrss * 1024 / MB  # Linux reports KiB
    figures["bytes"] = path.stat().st_size
    return figures


def run(
    sizes: list[float], shapes: list[str], *, ingest: bool, trace: bool
) -> list[dict[str, Any]]:
    """Every shape at every size, smallest first; figures per input."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-docsize-") as folder:
        for shape in shapes:
            for size in sorted(sizes):
                path = Path(folder) / f"{shape}-{size:g}MB.fr.txt"
                path.write_text(make_text(int(size * MB), shape), encoding="utf-8")
                figures = measure(path, ingest=ingest, trace=trace)
                figures.update(shape=shape, size_mb=size)
                rows.append(figures)
                print(f"  {shape} {size:g} MB: {figures}", file=sys.stderr, flush=True)
    return rows


def table(rows: list[dict[str, Any]], *, ingest: bool) -> str:
    """The figures as a Markdown table, ratios against each shape's smallest size."""
    out = [
        "| shape | MB | triples | extract (wall) | CPU | CPU s/MB | s/MB × | peak RSS "
        "| RSS MB | heap MB | heap MB/MB | MB/MB × |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    base: dict[str, tuple[float, float | None]] = {}
    for row in rows:
        mb = row["bytes"] / MB
        per_s = row["cpu_s"] / mb
        heap = row.get("heap_mb")
        per_mb = heap / mb if heap is not None else None
        base.setdefault(row["shape"], (per_s, per_mb))
        base_s, base_mb = base[row["shape"]]
        heap_cells = (
            f"{heap:,.0f} | {per_mb:.0f} | {per_mb / base_mb:.2f}"
            if per_mb is not None and base_mb
            else "n/a | n/a | n/a"
        )
        out.append(
            f"| {row['shape']} | {mb:.2f} | {row['triples']:,} | {row['extract_s']:.2f} s "
            f"| {row['cpu_s']:.2f} s | {per_s:.2f} | {per_s / base_s:.2f} "
            f"| {row['peak_mb']:,.0f} MB | {max(row['peak_mb'] - row['rss_before_mb'], 0):,.0f} "
            f"| {heap_cells} |"
        )
    if ingest:
        out += [
            "",
            "With `--ingest` the peak RSS (and RSS MB) above is the whole ingest's.",
            "",
            "| shape | MB | extract | SHACL | write | HermiT | total | peak RSS |",
            "|---|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for row in rows:
            steps = [row["extract_s"], row["shapes_s"], row["write_s"], row.get("reason_s")]
            total = sum(step for step in steps if step is not None)
            cells = " | ".join("n/a" if s is None else f"{s:.1f} s" for s in steps)
            out.append(
                f"| {row['shape']} | {row['bytes'] / MB:.2f} | {cells} | {total:.1f} s "
                f"| {row['peak_mb']:,.0f} MB |"
            )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.bench_docsize``."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_docsize",
        description="Extraction seconds and peak memory against the size of the text.",
    )
    parser.add_argument("--sizes", default="0.1,1,4", help="MB of text, comma-separated")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shapes")
    parser.add_argument("--ingest", action="store_true", help="also SHACL, write, HermiT")
    parser.add_argument("--no-trace", action="store_true", help="no tracemalloc heap peak")
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-record", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(worker(args.worker, ingest=args.ingest, trace=args.trace)))
        return 0
    sizes = [float(size) for size in args.sizes.split(",")]
    shapes = [shape.strip() for shape in args.shapes.split(",")]
    for shape in shapes:
        if shape not in SHAPES:
            parser.error(f"unknown shape {shape!r} (one of {', '.join(SHAPES)})")
    header = machine(("rdflib", "spacy"))
    print(header, file=sys.stderr)
    rows = run(sizes, shapes, ingest=args.ingest, trace=not args.no_trace)
    header += f"; load average at end {os.getloadavg()[0]:.2f}"
    text = table(rows, ingest=args.ingest)
    print(text)
    if not args.no_record:
        record(text, sys.argv[1:] if argv is None else argv, header,
               script="bench_docsize", title="Document size: run of {stamp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
