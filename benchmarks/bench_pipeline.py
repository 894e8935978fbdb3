"""Extraction pipeline benchmark: the working tree against a baseline commit, one run.

Both pipelines read and extract the same batch of real documents (the dev corpus of
``../shared/dev-corpus`` when it is there, the seed report of ``corpus/`` and the
fixtures of ``tests/data``), repeated ``--repeat`` times, each in its own Python
process whose import path holds only that tree's ``mandategraph`` (the baseline is
checked out with ``git worktree add --detach`` into a temporary folder, removed after):

a. **documents per second** over the batch, after one untimed pass that loads the
   spaCy pipelines and the registry (so both sides pay no cold start in the figure);
b. **the seed report's extraction after load**: the median of ``--seed-runs`` (7)
   ``read_document`` + extraction of
   ``corpus/oas-sms-caribbean-sids-activities-2010.fr.txt``;
c. the **ratios** working tree / baseline of both, measured in the same run, which
   travel between machines better than the seconds do.

The two sides run one after the other, never together (two cores, shared), alternating
over ``--rounds`` (2) rounds, baseline first then working tree in odd rounds and the
other way in even ones; each side keeps its best round (most documents per second,
smallest seed median), so that a burst of load from other processes does not decide the
ratio. Results are printed and (unless ``--no-record``) appended to
``benchmarks/RESULTS.md``.

Run from the repository root::

    python -m benchmarks.bench_pipeline [--baseline 94178e0] [--repeat 10] [--seed-runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED_REPORT = ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
DEV_CORPUS = ROOT.parent / "shared" / "dev-corpus"
DEFAULT_BASELINE = "94178e0"
#: the folders installed as mandategraph.<layer> (pyproject ``package-dir``)
LAYERS = ("ontology", "graph", "queries", "api", "visualizations")


def batch_files() -> list[Path]:
    """The documents of one batch: dev corpus, seed, test fixtures (sorted, real text)."""
    files = sorted(DEV_CORPUS.glob("*.txt")) if DEV_CORPUS.is_dir() else []
    files.append(SEED_REPORT)
    files += sorted((ROOT / "tests" / "data").rglob("*.txt"))
    return files


def import_root(tree: Path, scratch: Path) -> Path:
    """A folder whose ``mandategraph`` package is ``tree``'s, laid out as installed."""
    root = scratch / "import"
    package = root / "mandategraph"
    package.mkdir(parents=True)
    for item in (tree / "mandategraph").iterdir():
        if item.name != "__pycache__":
            (package / item.name).symlink_to(item)
    for layer in LAYERS:
        if (tree / layer).is_dir():
            (package / layer).symlink_to(tree / layer)
    return root


def run_side(tree: Path, scratch: Path, files: list[Path], *, repeat: int,
             seed_runs: int) -> dict[str, Any]:
    """Time one tree's pipeline in a fresh process that imports only that tree."""
    scratch.mkdir(parents=True, exist_ok=True)
    root = import_root(tree, scratch)
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    listing = scratch / "files.json"
    listing.write_text(json.dumps([str(f) for f in files]), encoding="utf-8")
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(listing),
               "--repeat", str(repeat), "--seed-runs", str(seed_runs)]
    done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the worker for {tree} failed:\n{done.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if not str(figures["package"]).startswith(str(tree.resolve())):
        raise RuntimeError(f"the worker imported {figures['package']}, not {tree}'s")
    return figures


def worker(listing: Path, *, repeat: int, seed_runs: int) -> dict[str, Any]:
    """In the worker process: time the pipeline this process imports."""
    import mandategraph.graph
    from mandategraph.graph.extraction.readers import read_document
    from mandategraph.graph.ingest import extract_document

    files = [Path(p) for p in json.loads(listing.read_text(encoding="utf-8"))]
    failures = 0

    def one(path: Path) -> int:
        nonlocal failures
        try:
            return len(extract_document(read_document(path)))
        except Exception:  # a document the pipeline cannot extract still costs its time
            failures += 1
            return 0

    for path in files:  # loads every language's pipeline and the registry
        one(path)
    failures = 0
    triples = 0
    started = time.perf_counter()
    for _ in range(repeat):
        for path in files:
            triples += one(path)
    seconds = time.perf_counter() - started
    seed = []
    for _ in range(seed_runs):
        begin = time.perf_counter()
        one(SEED_REPORT)
        seed.append(time.perf_counter() - begin)
    return {
        "package": str(Path(mandategraph.graph.__file__).resolve()),
        "documents": repeat * len(files),
        "seconds": seconds,
        "per_second": repeat * len(files) / seconds,
        "triples": triples,
        "failures": failures,
        "seed_median_s": statistics.median(seed),
        "seed_min_s": min(seed),
        "seed_max_s": max(seed),
    }


def best(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One side's best round: most documents per second, with the smallest seed median."""
    top = dict(max(rounds, key=lambda r: r["per_second"]))
    fastest_seed = min(rounds, key=lambda r: r["seed_median_s"])
    for key in ("seed_median_s", "seed_min_s", "seed_max_s"):
        top[key] = fastest_seed[key]
    return top


def head_name() -> str:
    """The working tree's commit, marked when it has uncommitted changes."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True, check=False).stdout.strip()
    return f"{commit}{' + changes' if dirty else ''}"


def table(new: dict[str, Any], old: dict[str, Any], *, new_name: str, old_name: str,
          files: list[Path]) -> str:
    """The results as Markdown."""
    rows = ["| pipeline | docs/s | documents | s | failures | seed after load, ms (min–max) |",
            "|---|--:|--:|--:|--:|--:|"]
    for name, f in ((f"working tree {new_name}", new), (f"baseline {old_name}", old)):
        rows.append(
            f"| {name} | {f['per_second']:.2f} | {f['documents']} | {f['seconds']:.1f} | "
            f"{f['failures']} | {f['seed_median_s'] * 1000:,.0f} "
            f"({f['seed_min_s'] * 1000:,.0f}–{f['seed_max_s'] * 1000:,.0f}) |"
        )
    speed = new["per_second"] / old["per_second"]
    seed = new["seed_median_s"] / old["seed_median_s"]
    names = ", ".join(p.name for p in files)
    return "\n".join(rows) + (
        f"\n\nRatios working tree / baseline, same run: documents per second {speed:.2f}×, "
        f"seed extraction time {seed:.2f}× (below 1: faster).\n\n"
        f"Batch ({len(files)} documents, repeated {new['documents'] // len(files)}×): {names}."
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.bench_pipeline``."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_pipeline",
        description="Documents per second of the extraction, working tree vs a baseline.",
    )
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="commit (94178e0)")
    parser.add_argument("--repeat", type=int, default=10, help="timed passes over the batch (10)")
    parser.add_argument("--seed-runs", type=int, default=7, help="timed seed extractions (7)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per side (2)")
    parser.add_argument("--no-record", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(worker(args.worker, repeat=args.repeat, seed_runs=args.seed_runs)))
        return 0

    sys.path.insert(0, str(ROOT))
    from benchmarks.bench_store import machine, record

    header = machine(("rdflib", "spacy"))
    print(header, file=sys.stderr)
    files = batch_files()
    new_name = head_name()
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as folder:
        scratch = Path(folder)
        baseline_tree = scratch / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(baseline_tree),
                        args.baseline], cwd=ROOT, check=True)
        runs: dict[str, list[dict[str, Any]]] = {"new": [], "old": []}
        trees = {"new": ROOT, "old": baseline_tree}
        try:
            for round_ in range(args.rounds):
                order = ("old", "new") if round_ % 2 == 0 else ("new", "old")
                for side in order:
                    print(f"round {round_ + 1}: timing {side}...", file=sys.stderr)
                    runs[side].append(run_side(trees[side], scratch / f"{side}-{round_}", files,
                                               repeat=args.repeat, seed_runs=args.seed_runs))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline_tree)],
                           cwd=ROOT, check=False)
    new, old = best(runs["new"]), best(runs["old"])
    header += f"; load average at end {os.getloadavg()[0]:.2f}; best of {args.rounds} rounds"
    text = table(new, old, new_name=new_name, old_name=args.baseline, files=files)
    print(text)
    if not args.no_record:
        record(text, sys.argv[1:] if argv is None else argv, header,
               script="bench_pipeline", title="Extraction pipeline vs baseline: run of {stamp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
