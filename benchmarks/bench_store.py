"""Store benchmark: the default Oxigraph store against plain in-memory rdflib.

For each size (synthetic graphs from :mod:`benchmarks.generate`, generated when
missing) and each engine, a fresh Python process

1. loads the N-Triples file and times it;
2. runs three questions of this domain, written once below, through the same rdflib
   ``query()`` API, so what differs is the engine underneath: a warm-up run, then the
   median of ``--repeat`` runs, each iterating every row as rdflib terms;
3. reports its peak RSS (its own ``ru_maxrss``: one process per engine keeps the
   figures apart), then times ``len()`` on its graph and checks the triple count.

Engines: ``oxigraph-disk`` is the project's default store (``Store.open(tmpdir)``, the
embedded Oxigraph store on disk, loaded with ``Store.load_file``), ``oxigraph-memory``
is ``Store.open("memory")``, ``rdflib`` is a plain ``rdflib.Graph()`` (the baseline;
``rdflib-dataset``, a ``Dataset(default_union=True)`` with the data in a named graph
as the project lays it out, can be asked for). For the Oxigraph engines the same
queries are also timed straight on pyoxigraph, which shows what oxrdflib adds.

Every engine must return the same rows for every query (compared by count and by a
digest of the rows' lexical values); the run fails loudly if not. The tables go to
stdout and, unless ``--no-record``, are appended to ``benchmarks/RESULTS.md`` with the
machine's description::

    python -m benchmarks.bench_store --sizes 10k,100k,1M
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from rdflib import Literal
from rdflib.term import Identifier

from benchmarks.generate import DEFAULT_SEED, default_path, generate, parse_size, size_label
from mandategraph.ontology.namespaces import GRAPH, state_iri

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

# -- the three questions ----------------------------------------------------------------------
# Prefixes are spelled in the text (not predeclared) so every engine parses the very same
# string.

_PREFIXES = """\
PREFIX mg:   <https://w3id.org/mandategraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: Q1: mandates (operative paragraphs) no activity implements.
Q1_MANDATES_WITHOUT_ACTIVITIES = (
    _PREFIXES
    + """\
SELECT ?paragraph ?resolution ?number WHERE {
  ?paragraph a mg:OperativeParagraph ;
             mg:paragraphOf ?res ;
             mg:paragraphNumber ?number .
  ?res skos:notation ?resolution .
  FILTER NOT EXISTS { ?activity mg:implements ?paragraph }
}
ORDER BY ?resolution ?number
"""
)

#: Q2: who works with whom: pairs of actors (conducting, partnering or funding) sharing
#: activities, with how many.
Q2_WHO_WORKS_WITH_WHOM = (
    _PREFIXES
    + """\
SELECT ?a ?b (COUNT(DISTINCT ?activity) AS ?shared) WHERE {
  ?activity mg:conductedBy|mg:inPartnershipWith|mg:fundedBy ?a .
  ?activity mg:conductedBy|mg:inPartnershipWith|mg:fundedBy ?b .
  FILTER (STR(?a) < STR(?b))
}
GROUP BY ?a ?b
ORDER BY DESC(?shared) ?a ?b
"""
)

#: Q3: activities benefiting one state in one year, with labels (``?state``, ``?year``
#: are bound by the engine, see :data:`Q3_BINDINGS`).
Q3_STATE_YEAR_ACTIVITIES = (
    _PREFIXES
    + """\
SELECT ?activity ?label ?theme ?body WHERE {
  ?activity mg:beneficiary ?state ;
            mg:year ?year ;
            rdfs:label ?label ;
            mg:theme ?t ;
            mg:conductedBy ?b .
  ?t skos:prefLabel ?theme .
  FILTER (LANG(?theme) = "en")
  ?b rdfs:label ?body .
}
ORDER BY ?label ?body
"""
)

Q3_BINDINGS: dict[str, Identifier] = {"state": state_iri("JAM"), "year": Literal(2010)}

QUERIES: dict[str, tuple[str, Mapping[str, Identifier]]] = {
    "Q1": (Q1_MANDATES_WITHOUT_ACTIVITIES, {}),
    "Q2": (Q2_WHO_WORKS_WITH_WHOM, {}),
    "Q3": (Q3_STATE_YEAR_ACTIVITIES, Q3_BINDINGS),
}

ENGINES: dict[str, str] = {
    "oxigraph-disk": "default store: Oxigraph on disk",
    "oxigraph-memory": 'Store.open("memory")',
    "rdflib": "rdflib Graph() in memory",
    "rdflib-dataset": "rdflib Dataset(default_union=True)",
}
DEFAULT_ENGINES = ("oxigraph-disk", "oxigraph-memory", "rdflib")
BASELINE, DEFAULT_STORE = "rdflib", "oxigraph-disk"

#: Named graph the benchmark data goes into (queries see the union, as in the project).
BENCH_GRAPH = GRAPH["document/benchmark"]


# -- the worker: one engine, one file, one process ----------------------------------------------


def _rss_mb() -> float:
    # ru_maxrss is in KiB on Linux: the peak of this process so far.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _digest(rows: Iterable[Iterable[Any]]) -> tuple[int, str]:
    """Row count and a digest of the rows' lexical values, order-insensitive.

    Compared by lexical value, not by rdflib term, because oxrdflib hands plain
    literals back typed ``xsd:string`` (see ../shared/STACK.md).
    """
    lines = sorted("\t".join("" if v is None else str(v) for v in row) for row in rows)
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def _ox_rows(solutions: Any) -> list[list[str | None]]:
    return [[None if v is None else v.value for v in solution] for solution in solutions]


def _time(run: Callable[[], object], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        timings.append(time.perf_counter() - began)
    return timings


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_worker(engine: str, path: Path, *, repeat: int, budget: float) -> dict[str, Any]:
    """Load ``path`` into ``engine``, time the queries; the result as a JSON-able dict.

    ``budget`` (seconds, load included) caps the rdflib baselines: when the warm-up runs
    show that ``repeat`` timed runs would overrun it, fewer are made (and said so); when
    load and warm-ups alone overrun it, the engine is reported as skipped.
    """
    # The on-disk store goes on the data disk (not /tmp, which may be RAM), beside the
    # files, and is removed whatever happens.
    with tempfile.TemporaryDirectory(prefix="store-", dir=path.parent) as scratch:
        return _measure(engine, path, Path(scratch), repeat=repeat, budget=budget)


def _measure(
    engine: str, path: Path, scratch: Path, *, repeat: int, budget: float
) -> dict[str, Any]:
    from rdflib import Dataset, Graph
    from rdflib.plugins.sparql import prepareQuery

    from mandategraph.graph.sparql.text import with_values
    from mandategraph.graph.store import Store

    began = time.perf_counter()
    result: dict[str, Any] = {"engine": engine, "rss_start_mb": _rss_mb(), "queries": {}}
    store: Store | None = None
    graph: Graph | None = None
    direct: Callable[[str], Callable[[], object]] | None = None

    load_began = time.perf_counter()
    if engine.startswith("oxigraph"):
        if engine == "oxigraph-disk":
            store = Store.open(scratch)
        else:
            store = Store.open("memory")
        store.load_file(path, graph=BENCH_GRAPH, fmt="nt")
        result["load_s"] = time.perf_counter() - load_began
        opened = store

        def run_query(name: str) -> list[Any]:
            text, bindings = QUERIES[name]
            # rdflib's API over Oxigraph (oxrdflib): rows converted to rdflib terms
            return list(opened.dataset.query(with_values(text, bindings or {})))

        def direct(name: str) -> Callable[[], object]:
            text, bindings = QUERIES[name]
            return lambda: _ox_rows(opened.query(text, bindings=bindings))

    else:
        if engine == "rdflib":
            graph = Graph()
            graph.parse(path, format="nt")
        else:
            graph = Dataset(default_union=True)
            graph.graph(BENCH_GRAPH).parse(path, format="nt")
        result["load_s"] = time.perf_counter() - load_began
        # rdflib parses and translates a query string on every call (milliseconds): prepare
        # once, as the project's catalogue does, so the timings are of evaluation only.
        prepared = {}
        parse_s = {}
        for name, (text, _) in QUERIES.items():
            t0 = time.perf_counter()
            prepared[name] = prepareQuery(text)
            parse_s[name] = time.perf_counter() - t0
        result["prepare_s"] = parse_s
        loaded = graph

        def run_query(name: str) -> list[Any]:
            return list(loaded.query(prepared[name], initBindings=QUERIES[name][1]))

    # Warm-up: one run of each query, which also gives the rows to compare engines by.
    warm: dict[str, float] = {}
    for name in QUERIES:
        t0 = time.perf_counter()
        rows = run_query(name)
        warm[name] = time.perf_counter() - t0
        count, digest = _digest(rows)
        result["queries"][name] = {"rows": count, "digest": digest, "warmup_s": warm[name]}
    elapsed = time.perf_counter() - began
    repeats = repeat
    planned = sum(warm.values()) * repeat
    if engine.startswith("rdflib") and elapsed > budget:
        result["skipped"] = f"load + warm-up took {elapsed:.0f} s, over the {budget:.0f} s budget"
        return result
    if engine.startswith("rdflib") and elapsed + planned > budget:
        repeats = max(1, int((budget - elapsed) / sum(warm.values())))
    result["repeat"] = repeats

    for name in QUERIES:
        timings = _time(lambda name=name: run_query(name), repeats)
        result["queries"][name]["median_s"] = statistics.median(timings)
        result["queries"][name]["timings_s"] = timings
        if direct is not None:
            # The same query straight on pyoxigraph (no rdflib terms): oxrdflib's share.
            timings = _time(direct(name), repeats)
            result["queries"][name]["direct_median_s"] = statistics.median(timings)

    # Peak RSS now, before len(): on oxrdflib len() is a COUNT(DISTINCT) that builds a
    # hash set of every triple and would inflate the figure (../shared/STACK.md).
    result["rss_peak_mb"] = _rss_mb()
    t0 = time.perf_counter()
    if store is not None:
        triples = len(store.dataset)
    else:
        assert graph is not None
        triples = len(graph)
    result["len_s"] = time.perf_counter() - t0
    result["len"] = triples
    result["rss_after_len_mb"] = _rss_mb()
    if store is not None:
        store.close()
    if engine == "oxigraph-disk":
        result["disk_mb"] = _dir_size(scratch) / 2**20
    return result


# -- the driver ---------------------------------------------------------------------------------


@dataclass
class SizeRun:
    """The results of every engine on one file."""

    label: str
    path: Path
    triples: int
    engines: dict[str, dict[str, Any]]


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def ensure_data(triples: int, seed: int, data_dir: Path | None) -> Path:
    """The synthetic file of ``triples`` for ``seed``, generated if missing."""
    path = default_path(triples) if data_dir is None else data_dir / default_path(triples).name
    if seed != DEFAULT_SEED:
        path = path.with_name(f"{path.stem}-seed{seed}.nt")
    if not path.exists():
        print(f"generating {path} ...", file=sys.stderr, flush=True)
        generate(path, triples=triples, seed=seed)
    return path


def run_engine(
    engine: str, path: Path, *, repeat: int, budget: float, timeout: float
) -> dict[str, Any]:
    """Run one engine in a child process; its JSON result, or a ``skipped`` note."""
    command = [
        sys.executable, "-m", "benchmarks.bench_store", "--worker", engine,
        "--file", str(path), "--repeat", str(repeat), "--budget", str(budget),
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        # subprocess.run kills the child it started on timeout.
        return {"engine": engine, "skipped": f"killed after {timeout:.0f} s"}
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{engine} on {path.name} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def check_rows(run: SizeRun) -> list[str]:
    """Every engine must give the same rows per query; the mismatches, if any."""
    problems = []
    for name in QUERIES:
        seen = {
            engine: (r["queries"][name]["rows"], r["queries"][name]["digest"])
            for engine, r in run.engines.items()
            if name in r.get("queries", {})
        }
        if len(set(seen.values())) > 1:
            problems.append(f"{run.label} {name}: rows differ between engines: {seen}")
    for engine, r in run.engines.items():
        if "len" in r and r["len"] != run.triples:
            problems.append(f"{run.label} {engine}: len() = {r['len']}, file has {run.triples}")
    return problems


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:,.1f}" if seconds < 1 else f"{seconds * 1000:,.0f}"


def _ratio(num: float | None, den: float | None) -> str:
    if not num or not den:
        return "–"
    return f"{num / den:,.1f}×"


def _rows(run: SizeRun) -> dict[str, int]:
    for r in run.engines.values():
        if "queries" in r:
            return {n: q["rows"] for n, q in r["queries"].items()}
    return {}


def tables(runs: list[SizeRun]) -> str:
    """The Markdown tables of a run: timings, ratios, oxrdflib overhead, len()."""
    out = [
        "| size | engine | load s | Q1 ms | Q2 ms | Q3 ms | runs | peak RSS MB | len() s |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for run in runs:
        for engine, r in run.engines.items():
            if "skipped" in r and "repeat" not in r:
                out.append(f"| {run.label} | {engine} | skipped: {r['skipped']} |" + " |" * 6)
                continue
            q = r["queries"]
            out.append(
                f"| {run.label} | {engine} | {r['load_s']:.2f} | "
                + " | ".join(_ms(q[n].get("median_s")) for n in QUERIES)
                + f" | {r['repeat']} | {r['rss_peak_mb']:,.0f} | {r['len_s']:.2f} |"
            )
    out += [
        "",
        "Rows per query (identical across engines, checked): "
        + "; ".join(
            f"{run.label}: " + ", ".join(f"{n} {rows:,}" for n, rows in _rows(run).items())
            for run in runs
        )
        + ".",
        "",
        f"Ratios {BASELINE} / engine (how many times faster than plain rdflib):",
        "",
        "| size | engine | load | Q1 | Q2 | Q3 |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for run in runs:
        base = run.engines.get(BASELINE)
        if not base or "repeat" not in base:
            continue
        for engine, r in run.engines.items():
            if engine == BASELINE or "repeat" not in r:
                continue
            out.append(
                f"| {run.label} | {engine} | {_ratio(base['load_s'], r['load_s'])} | "
                + " | ".join(
                    _ratio(base["queries"][n]["median_s"], r["queries"][n]["median_s"])
                    for n in QUERIES
                )
                + " |"
            )
    out += [
        "",
        "oxrdflib's share: the same queries straight on pyoxigraph (`Store.execute`, rows"
        " as strings) vs through rdflib `query()` (rows as rdflib terms), medians in ms:",
        "",
        "| size | engine | Q1 rdflib API | Q1 direct | Q2 rdflib API | Q2 direct "
        "| Q3 rdflib API | Q3 direct |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for run in runs:
        for engine, r in run.engines.items():
            if not engine.startswith("oxigraph") or "repeat" not in r:
                continue
            q = r["queries"]
            out.append(
                f"| {run.label} | {engine} | "
                + " | ".join(
                    f"{_ms(q[n]['median_s'])} | {_ms(q[n].get('direct_median_s'))}" for n in QUERIES
                )
                + " |"
            )
    out += [
        "",
        "Spread of the timed runs (fastest–slowest, ms): the machine is shared, so read the"
        " medians with this in mind.",
        "",
        "| size | engine | Q1 | Q2 | Q3 |",
        "|---|---|--:|--:|--:|",
    ]
    for run in runs:
        for engine, r in run.engines.items():
            if "repeat" not in r:
                continue
            q = r["queries"]
            out.append(
                f"| {run.label} | {engine} | "
                + " | ".join(
                    f"{_ms(min(q[n]['timings_s']))}–{_ms(max(q[n]['timings_s']))}" for n in QUERIES
                )
                + " |"
            )
    out += [
        "",
        "Memory and size: RSS of the bare worker process before loading, peak after the "
        "queries, after one `len()`; the on-disk store's size.",
        "",
        "| size | engine | RSS start MB | peak MB | after len() MB | disk MB |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for run in runs:
        for engine, r in run.engines.items():
            if "repeat" not in r:
                continue
            disk = f"{r['disk_mb']:,.0f}" if "disk_mb" in r else "–"
            out.append(
                f"| {run.label} | {engine} | {r['rss_start_mb']:,.0f} | {r['rss_peak_mb']:,.0f} "
                f"| {r['rss_after_len_mb']:,.0f} | {disk} |"
            )
    notes = []
    for run in runs:
        for engine, r in run.engines.items():
            if "repeat" in r and r.get("asked_repeat", r["repeat"]) != r["repeat"]:
                notes.append(
                    f"- {run.label} {engine}: {r['repeat']} timed runs, not "
                    f"{r['asked_repeat']} (time budget)"
                )
            notes += [f"- {run.label} {engine}: {note}" for note in r.get("notes", [])]
            if "prepare_s" in r:
                parsed = ", ".join(f"{n} {_ms(t)} ms" for n, t in r["prepare_s"].items())
                notes.append(
                    f"- {run.label} {engine}: prepareQuery once, outside the timings: {parsed}"
                )
    if notes:
        out += ["", *notes]
    return "\n".join(out)


def machine(packages: tuple[str, ...] = ("rdflib", "oxrdflib", "pyoxigraph")) -> str:
    """One paragraph on where and with what the run was made (shared by the benchmarks)."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in packages)
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}, {cpu}){memory}; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"{versions}; load average at start {os.getloadavg()[0]:.2f}"
    )


def record(
    text: str,
    argv: list[str],
    header: str,
    *,
    script: str = "bench_store",
    title: str = "Run of {stamp}",
) -> None:
    """Append a dated section to ``benchmarks/RESULTS.md`` (shared by the benchmarks).

    ``title`` is the section heading, with ``{stamp}`` for the date and time (UTC);
    the section then gives the command that made it, ``header`` and ``text``.
    """
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = " ".join([f"python -m benchmarks.{script}", shlex.join(argv)]).rstrip()
    heading = title.format(stamp=stamp)
    section = f"\n## {heading}\n\n`{command}`\n\n{header}\n\n{text}\n"
    if not RESULTS.exists():
        RESULTS.write_text("# Store benchmark results\n", encoding="utf-8")
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(section)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.bench_store --sizes 10k,100k,1M``."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_store",
        description="Time loads and three domain queries on Oxigraph and on plain rdflib.",
    )
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k,1M")
    parser.add_argument(
        "--engines",
        default=",".join(DEFAULT_ENGINES),
        help=f"comma-separated, of: {', '.join(ENGINES)}",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after the warm-up")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed")
    parser.add_argument("--data-dir", type=Path, help="where the .nt files are kept")
    parser.add_argument(
        "--budget",
        type=float,
        default=600.0,
        help="seconds an rdflib engine may spend on one size, load and queries (600)",
    )
    parser.add_argument("--no-record", action="store_true", help="do not touch RESULTS.md")
    # The worker side, run in a child process by the driver.
    parser.add_argument("--worker", choices=list(ENGINES), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        result = run_worker(args.worker, args.file, repeat=args.repeat, budget=args.budget)
        result["asked_repeat"] = args.repeat
        print(json.dumps(result))
        return 0

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        parser.error(f"unknown engine(s): {', '.join(unknown)}")
    header = machine()
    print(header, file=sys.stderr)
    runs: list[SizeRun] = []
    for size in args.sizes.split(","):
        triples = parse_size(size)
        path = ensure_data(triples, args.seed, args.data_dir)
        run = SizeRun(size_label(triples), path, _count_lines(path), {})
        for engine in engines:
            print(f"{run.label} {engine} ...", file=sys.stderr, flush=True)
            # The child gets the budget plus room for len() and teardown before a kill.
            timeout = args.budget * 1.5 + 120
            run.engines[engine] = run_engine(
                engine, path, repeat=args.repeat, budget=args.budget, timeout=timeout
            )
        problems = check_rows(run)
        if problems:
            raise SystemExit("engines disagree:\n" + "\n".join(problems))
        runs.append(run)
    header += f"; load average at end {os.getloadavg()[0]:.2f}"
    text = tables(runs)
    print(text)
    if not args.no_record:
        record(text, sys.argv[1:] if argv is None else argv, header)
    return 0


if __name__ == "__main__":
    sys.exit(main())
