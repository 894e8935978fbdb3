"""Endpoint benchmark: the canned queries through ``/sparql``, against ``oxigraph serve``
and plain rdflib, on the same synthetic graph, in one run.

Engines (each a fresh server on 127.0.0.1, one at a time, so they never share the CPU):

* ``mandategraph disk``: ``uvicorn mandategraph.api.app:create_app`` on the on-disk store, the
  query workers on ``Store.read_only`` (``MANDATEGRAPH_SERVE_FROM_MEMORY=false``);
* ``mandategraph memory``: the same with ``MANDATEGRAPH_SERVE_FROM_MEMORY=true``
  (each worker copies the store into memory at start);
* ``mandategraph memory+cache``: the same with the result cache on
  (``MANDATEGRAPH_QUERY_CACHE_SIZE``); its median is a repeated query's;
* ``oxigraph serve memory``: ``oxigraph serve`` without ``--location`` (its in-memory
  store, its fastest configuration), data POSTed to ``/store?default``;
* ``oxigraph serve disk``: ``oxigraph load`` then ``oxigraph serve --location``;
* ``rdflib``: a plain in-memory ``rdflib.Graph`` (the engine behind the usual Python
  endpoints), ``graph.query(text)`` then ``serialize(format="json")``, in a child
  process so a query past the budget can be stopped.

The mandategraph servers run with the row cap lifted (every engine returns every row)
and ``MANDATEGRAPH_QUERY_WORKERS=2``; every query and engine must return the same
number of rows (checked). Each query: one warm-up, then the median of ``--repeat``
runs, asking ``application/sparql-results+json`` and reading the whole body. A query
whose warm-up passes ``--budget`` seconds is stopped and reported as over budget.
Throughput: ``wrk`` with 16 connections for ``--duration`` seconds on the fastest
canned query (httpx async when wrk is missing).

The table is printed and appended to ``benchmarks/RESULTS.md`` under its own heading::

    python -m benchmarks.bench_endpoint --triples 1M
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from benchmarks.bench_store import machine, record

ROOT = Path(__file__).resolve().parent.parent
JSON_RESULTS = "application/sparql-results+json"
#: the named graph the synthetic data goes to in the mandategraph store
SYNTHETIC_GRAPH = "https://w3id.org/mandategraph/graph/document/synthetic"


@dataclass
class Timing:
    median: float | None = None  # seconds
    rows: int | None = None
    over_budget: bool = False
    error: str | None = None


@dataclass
class EngineRun:
    name: str
    load: float | None = None
    timings: dict[str, Timing] = field(default_factory=dict)
    rps: float | None = None
    rps_errors: int = 0


# -- queries -----------------------------------------------------------------------------


def canned_queries(names: list[str] | None) -> dict[str, str]:
    """The canned queries with their default parameters, prefixes spelled out."""
    from mandategraph.ontology.namespaces import PREFIXES
    from mandategraph.queries.catalog import load_catalog

    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    catalog = load_catalog()
    chosen = names or sorted(catalog)
    return {name: prologue + catalog[name].sparql() for name in chosen}


# -- servers -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.25)
    raise RuntimeError(f"server not ready after {timeout:.0f} s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def server(command: list[str], *, ready: str, log: Path, env: dict[str, str] | None = None,
           cwd: Path | None = None, timeout: float = 600) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                   env=env, cwd=cwd)
    try:
        wait_ready(ready, process, log, timeout)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def mandategraph_env(store: Path, *, memory: bool, cache: int, budget: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MANDATEGRAPH_")}
    env.update({
        "PYTHONPATH": str(ROOT),
        "MANDATEGRAPH_STORE": str(store),
        "MANDATEGRAPH_QUERY_WORKERS": "2",
        "MANDATEGRAPH_QUERY_TIMEOUT": str(budget),
        "MANDATEGRAPH_MAX_ROWS": "100000000",
        "MANDATEGRAPH_SERVE_FROM_MEMORY": "true" if memory else "false",
        "MANDATEGRAPH_QUERY_CACHE_SIZE": str(cache),
    })
    return env


def uvicorn_command(port: int) -> list[str]:
    """The mandategraph server on ``port`` (settings come from the environment)."""
    return [sys.executable, "-m", "uvicorn", "mandategraph.api.app:create_app", "--factory",
            "--host", "127.0.0.1", "--log-level", "warning", "--port", str(port)]


def load_oxigraph_server(base: str, data: Path) -> float:
    """POST ``data`` into the default graph of an ``oxigraph serve``; returns seconds."""
    started = time.perf_counter()
    with open(data, "rb") as body:
        httpx.post(f"{base}/store?default", content=body, timeout=None,
                   headers={"Content-Type": "application/n-triples"}).raise_for_status()
    return time.perf_counter() - started


# -- measuring over HTTP -----------------------------------------------------------------


def count_rows(body: bytes) -> int:
    data = json.loads(body)
    return len(data["results"]["bindings"]) if "results" in data else 1


def time_http(client: httpx.Client, url: str, text: str, *, repeat: int, budget: float) -> Timing:
    """Warm-up, then the median of ``repeat`` GETs reading the whole JSON body."""
    params = {"query": text}
    headers = {"Accept": JSON_RESULTS}
    try:
        started = time.perf_counter()
        first = client.get(url, params=params, headers=headers, timeout=budget + 5)
        if time.perf_counter() - started > budget or first.status_code in (503, 408):
            return Timing(over_budget=True)
        if first.status_code != 200 or b"has been cancelled" in first.content[-200:]:
            return Timing(error=f"HTTP {first.status_code}: {first.text[:120]}")
        rows = count_rows(first.content)
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url, params=params, headers=headers, timeout=budget + 5)
            response.read()
            runs.append(time.perf_counter() - started)
        return Timing(statistics.median(runs), rows)
    except httpx.TimeoutException:
        return Timing(over_budget=True)


def throughput(url: str, text: str, *, connections: int, duration: int) -> tuple[float, int]:
    """Requests per second (and non-2xx answers) at ``connections`` concurrent clients."""
    full = f"{url}?{urlencode({'query': text})}"
    wrk = shutil.which("wrk")
    if wrk:
        done = subprocess.run(
            [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
             "-H", f"Accept: {JSON_RESULTS}", full],
            capture_output=True, text=True, check=True,
        )
        rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", done.stdout)
        return (float(rate.group(1)) if rate else 0.0), (int(bad.group(1)) if bad else 0)
    return asyncio.run(_httpx_throughput(full, connections, duration))


async def _httpx_throughput(full: str, connections: int, duration: int) -> tuple[float, int]:
    done = bad = 0
    stop = time.perf_counter() + duration

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal done, bad
        while time.perf_counter() < stop:
            response = await http.get(full, headers={"Accept": JSON_RESULTS})
            done += 1
            bad += response.status_code >= 300

    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(connections)))
        return done / (time.perf_counter() - started), bad


def run_http_engine(name: str, url: str, queries: dict[str, str], args: argparse.Namespace,
                    load: float | None) -> EngineRun:
    run = EngineRun(name, load=load)
    with httpx.Client() as client:
        for query, text in queries.items():
            run.timings[query] = time_http(client, url, text, repeat=args.repeat,
                                           budget=args.budget)
            print(f"  {name:28s} {query:28s} {_cell(run.timings[query])}", flush=True)
            if run.timings[query].over_budget:
                # let the server stop the query (and replace its worker) before the next
                time.sleep(args.settle)
    return run


# -- rdflib, in a child process -------------------------------------------------------------


class _BudgetError(Exception):
    pass


def rdflib_worker(data: Path, queries_file: Path, repeat: int, budget: float) -> None:
    """Load the data into a plain rdflib Graph, time each query, print JSON lines."""
    from rdflib import Graph

    def alarm(_signum: int, _frame: Any) -> None:
        raise _BudgetError

    signal.signal(signal.SIGALRM, alarm)
    started = time.perf_counter()
    graph = Graph()
    graph.parse(str(data), format="nt")
    print(json.dumps({"load": time.perf_counter() - started}), flush=True)
    queries = json.loads(queries_file.read_text())
    for name, text in queries.items():
        runs: list[float] = []
        rows = None
        try:
            for attempt in range(repeat + 1):
                signal.setitimer(signal.ITIMER_REAL, budget)
                started = time.perf_counter()
                result = graph.query(text)
                body = result.serialize(format="json")
                elapsed = time.perf_counter() - started
                signal.setitimer(signal.ITIMER_REAL, 0)
                if attempt == 0:
                    rows = count_rows(body)  # type: ignore[arg-type]
                else:
                    runs.append(elapsed)
            line = {"query": name, "median": statistics.median(runs), "rows": rows}
        except _BudgetError:
            line = {"query": name, "over_budget": True}
        except Exception as exc:  # rdflib fails on some queries: report, go on
            signal.setitimer(signal.ITIMER_REAL, 0)
            line = {"query": name, "error": f"{type(exc).__name__}: {exc}"[:200]}
        print(json.dumps(line), flush=True)


def run_rdflib(data: Path, queries: dict[str, str], args: argparse.Namespace,
               work: Path) -> EngineRun:
    run = EngineRun("rdflib (in-memory Graph)")
    queries_file = work / "queries.json"
    queries_file.write_text(json.dumps(queries))
    command = [sys.executable, "-m", "benchmarks.bench_endpoint", "--rdflib-worker",
               str(data), str(queries_file), "--repeat", str(args.repeat),
               "--budget", str(args.budget)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    for line in done.stdout.splitlines():
        item = json.loads(line)
        if "load" in item:
            run.load = item["load"]
            continue
        if item.get("over_budget"):
            timing = Timing(over_budget=True)
        elif item.get("error"):
            timing = Timing(error=item["error"])
        else:
            timing = Timing(item["median"], item["rows"])
        run.timings[item["query"]] = timing
        print(f"  {run.name:28s} {item['query']:28s} {_cell(run.timings[item['query']])}",
              flush=True)
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
    return run


# -- the run -----------------------------------------------------------------------------


def ensure_data(triples: int) -> Path:
    from benchmarks.generate import default_path, generate

    path = default_path(triples)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"generating {path} ...", flush=True)
        generate(path, triples=triples)
    return path


def build_mandategraph_store(data: Path, location: Path) -> float:
    import pyoxigraph as ox

    from mandategraph.graph.store import Store

    started = time.perf_counter()
    with Store.open(location) as store:
        # Store.load_file hands the path to bulk_load as data: call pyoxigraph directly
        store.oxigraph.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES,
                                 to_graph=ox.NamedNode(SYNTHETIC_GRAPH))
    return time.perf_counter() - started


def measure(args: argparse.Namespace) -> tuple[list[EngineRun], dict[str, str], str]:
    from benchmarks.generate import parse_size

    triples = parse_size(args.triples)
    data = ensure_data(triples)
    queries = canned_queries(args.queries.split(",") if args.queries else None)
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    runs: list[EngineRun] = []
    with tempfile.TemporaryDirectory(prefix="bench-endpoint-") as tmp:
        work = Path(tmp)
        store = work / "mandategraph-store"
        load = build_mandategraph_store(data, store)
        print(f"mandategraph store built in {load:.1f} s", flush=True)
        configs = [
            ("mandategraph disk", False, 0),
            ("mandategraph memory", True, 0),
            ("mandategraph memory+cache", True, 256),
        ]
        for name, memory, cache in configs:
            if not wanted(args, name):
                continue
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            env = mandategraph_env(store, memory=memory, cache=cache, budget=args.budget)
            started = time.perf_counter()
            with server(uvicorn_command(port), ready=f"{base}/health",
                        log=work / f"{name.replace(' ', '-')}.log", env=env, cwd=work):
                ready = time.perf_counter() - started
                run = run_http_engine(name, f"{base}/sparql", queries, args,
                                      load=load + ready)
                runs.append(run)

        location = work / "oxigraph-store"
        if wanted(args, "oxigraph serve memory"):
            runs.append(run_oxigraph_memory(oxigraph, data, queries, args, work))
        loaded = None
        if wanted(args, "oxigraph serve disk"):
            started = time.perf_counter()
            subprocess.run([oxigraph, "load", "--location", str(location), "--file", str(data)],
                           check=True, capture_output=True)
            loaded = time.perf_counter() - started
        if wanted(args, "oxigraph serve disk"):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            with server([oxigraph, "serve", "--location", str(location), "--bind",
                         f"127.0.0.1:{port}", "--timeout-s", str(int(args.budget))],
                        ready=f"{base}/query?query=ASK%7B%7D", log=work / "oxigraph-disk.log"):
                runs.append(run_http_engine("oxigraph serve disk", f"{base}/query", queries,
                                            args, load=loaded))

        if not args.skip_rdflib and wanted(args, "rdflib (in-memory Graph)"):
            runs.append(run_rdflib(data, queries, args, work))
        return runs, queries, throughput_all(runs, queries, args, work, store, location, data,
                                             oxigraph)


@dataclass
class Paired:
    """One query timed on both servers, the requests alternating."""

    query: str
    ours: list[float] = field(default_factory=list)
    theirs: list[float] = field(default_factory=list)
    rows: tuple[int, int] | None = None

    @property
    def ratio(self) -> float:
        """Median of the per-round ratios ``theirs / ours`` (> 1: /sparql is faster)."""
        return statistics.median(t / o for o, t in zip(self.ours, self.theirs, strict=True))


def _timed_get(client: httpx.Client, url: str, text: str, budget: float) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(url, params={"query": text}, headers={"Accept": JSON_RESULTS},
                          timeout=budget + 5)
    body = response.read()
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, body


def measure_paired(args: argparse.Namespace) -> tuple[list[Paired], float, float]:
    """``mandategraph memory`` and ``oxigraph serve memory`` side by side, interleaved.

    Both servers hold the data at once; for each query, one warm-up on each, then
    ``--repeat`` rounds of one request to each, the first of the pair alternating, so
    a change in the machine's load touches both alike. Returns the pairs and both
    servers' load times.
    """
    from benchmarks.generate import parse_size

    data = ensure_data(parse_size(args.triples))
    queries = canned_queries(args.queries.split(",") if args.queries else None)
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    pairs: list[Paired] = []
    with (
        tempfile.TemporaryDirectory(prefix="bench-paired-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        work = Path(tmp)
        store = work / "mandategraph-store"
        load = build_mandategraph_store(data, store)
        ours_port, theirs_port = free_port(), free_port()
        ours = f"http://127.0.0.1:{ours_port}"
        theirs = f"http://127.0.0.1:{theirs_port}"
        started = time.perf_counter()
        stack.enter_context(server(
            uvicorn_command(ours_port), ready=f"{ours}/health",
            log=work / "mandategraph.log", cwd=work,
            env=mandategraph_env(store, memory=True, cache=0, budget=args.budget)))
        ours_load = load + time.perf_counter() - started
        stack.enter_context(server(
            [oxigraph, "serve", "--bind", f"127.0.0.1:{theirs_port}",
             "--timeout-s", str(int(args.budget))],
            ready=f"{theirs}/query?query=ASK%7B%7D", log=work / "oxigraph.log"))
        theirs_load = load_oxigraph_server(theirs, data)
        endpoints = {"ours": f"{ours}/sparql", "theirs": f"{theirs}/query"}
        with httpx.Client() as client:
            for name, text in queries.items():
                pair = Paired(name)
                warm = {side: _timed_get(client, url, text, args.budget)[1]
                        for side, url in endpoints.items()}
                pair.rows = (count_rows(warm["ours"]), count_rows(warm["theirs"]))
                for round_ in range(args.repeat):
                    order = ("ours", "theirs") if round_ % 2 == 0 else ("theirs", "ours")
                    for side in order:
                        elapsed, _ = _timed_get(client, endpoints[side], text, args.budget)
                        getattr(pair, side).append(elapsed)
                pairs.append(pair)
                print(f"  {name:28s} /sparql {statistics.median(pair.ours) * 1000:8.1f} ms"
                      f"   oxigraph serve {statistics.median(pair.theirs) * 1000:8.1f} ms"
                      f"   ratio {pair.ratio:.2f}", flush=True)
    return pairs, ours_load, theirs_load


def paired_table(pairs: list[Paired], ours_load: float, theirs_load: float) -> str:
    lines = [
        "| query | rows | /sparql (memory) | oxigraph serve (memory) "
        "| oxigraph / ours, per round |",
        "|---|--:|--:|--:|--:|",
    ]
    for pair in pairs:
        rows = pair.rows[0] if pair.rows and pair.rows[0] == pair.rows[1] else f"{pair.rows}"
        lines.append(
            f"| {pair.query} | {rows} | {statistics.median(pair.ours) * 1000:,.1f} ms | "
            f"{statistics.median(pair.theirs) * 1000:,.1f} ms | {pair.ratio:.2f} |"
        )
    faster = sum(p.ratio >= 1 for p in pairs)
    ratios = [p.ratio for p in pairs]
    lines.append("")
    lines.append(
        f"/sparql is faster on {faster} of {len(pairs)} queries; per-query ratios "
        f"{min(ratios):.2f}-{max(ratios):.2f} (geometric mean "
        f"{statistics.geometric_mean(ratios):.2f}). Ready to query after "
        f"{ours_load:.1f} s (/sparql: bulk load, then the workers' sorted in-memory copies) "
        f"and {theirs_load:.1f} s (oxigraph serve: the data POSTed to its store)."
    )
    return "\n".join(lines)


def wanted(args: argparse.Namespace, name: str) -> bool:
    return not args.engines or any(e.strip() == name for e in args.engines.split(","))


def run_oxigraph_memory(oxigraph: str, data: Path, queries: dict[str, str],
                        args: argparse.Namespace, work: Path) -> EngineRun:
    """``oxigraph serve`` in memory, loaded by the Graph Store Protocol."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with server([oxigraph, "serve", "--bind", f"127.0.0.1:{port}",
                 "--timeout-s", str(int(args.budget))],
                ready=f"{base}/query?query=ASK%7B%7D", log=work / "oxigraph-memory.log"):
        return run_http_engine("oxigraph serve memory", f"{base}/query", queries, args,
                               load=load_oxigraph_server(base, data))


def throughput_all(runs: list[EngineRun], queries: dict[str, str], args: argparse.Namespace,
                   work: Path, store: Path, location: Path, data: Path,
                   oxigraph: str) -> str:
    """Requests per second of each engine on the fastest canned query; returns its name.

    The fastest query is the one with the smallest median on ``oxigraph serve memory``
    (else on any engine measured).
    """
    if args.duration <= 0:
        return ""
    reference = next((r for r in runs if r.name == "oxigraph serve memory"), None) or (
        runs[0] if runs else None
    )
    if reference is None:
        return ""
    timed = {q: t.median for q, t in reference.timings.items() if t.median is not None}
    if not timed:
        return ""
    fastest = min(timed, key=lambda q: timed[q])
    text = queries[fastest]
    by = {r.name: r for r in runs}
    for name, memory, cache in (
        ("mandategraph disk", False, 0),
        ("mandategraph memory", True, 0),
        ("mandategraph memory+cache", True, 256),
    ):
        if name not in by:
            continue
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = mandategraph_env(store, memory=memory, cache=cache, budget=args.budget)
        with server(uvicorn_command(port), ready=f"{base}/health",
                    log=work / f"rps-{name.replace(' ', '-')}.log", env=env, cwd=work):
            by[name].rps, by[name].rps_errors = throughput(
                f"{base}/sparql", text, connections=16, duration=args.duration)
    if "oxigraph serve disk" in by:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with server([oxigraph, "serve", "--location", str(location), "--bind",
                     f"127.0.0.1:{port}"], ready=f"{base}/query?query=ASK%7B%7D",
                    log=work / "rps-oxigraph-disk.log"):
            run = by["oxigraph serve disk"]
            run.rps, run.rps_errors = throughput(
                f"{base}/query", text, connections=16, duration=args.duration)
    if "oxigraph serve memory" in by:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with server([oxigraph, "serve", "--bind", f"127.0.0.1:{port}"],
                    ready=f"{base}/query?query=ASK%7B%7D", log=work / "rps-oxigraph-mem.log"):
            load_oxigraph_server(base, data)
            run = by["oxigraph serve memory"]
            run.rps, run.rps_errors = throughput(
                f"{base}/query", text, connections=16, duration=args.duration)
    return fastest


# -- reporting ---------------------------------------------------------------------------


def _cell(timing: Timing) -> str:
    if timing.over_budget:
        return "over budget"
    if timing.error:
        return "error¹" if "NotBound" in timing.error else "error"
    assert timing.median is not None
    return f"{timing.median * 1000:,.0f} ms" if timing.median >= 0.01 else (
        f"{timing.median * 1000:.1f} ms"
    )


def check_rows(runs: list[EngineRun]) -> list[str]:
    problems = []
    queries = {q for r in runs for q in r.timings}
    for query in sorted(queries):
        counts = {r.name: r.timings[query].rows for r in runs
                  if query in r.timings and r.timings[query].rows is not None}
        if len(set(counts.values())) > 1:
            problems.append(f"{query}: row counts differ {counts}")
    return problems


def table(runs: list[EngineRun], args: argparse.Namespace, fastest: str) -> str:
    queries = sorted({q for r in runs for q in r.timings})
    head = ["engine", "load", *queries, f"req/s @16 ({fastest})"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for run in runs:
        cells = [run.name, f"{run.load:.1f} s" if run.load is not None else ""]
        cells += [_cell(run.timings[q]) if q in run.timings else "" for q in queries]
        rps = "" if run.rps is None else f"{run.rps:,.1f}"
        if run.rps_errors:
            rps += f" ({run.rps_errors} non-2xx)"
        cells.append(rps)
        lines.append("| " + " | ".join(cells) + " |")
    rows = {q: next((r.timings[q].rows for r in runs if q in r.timings
                     and r.timings[q].rows is not None), None) for q in queries}
    lines.append("| rows | | " + " | ".join(str(rows[q] or "") for q in queries) + " | |")
    return "\n".join(lines)


def ratios(runs: list[EngineRun]) -> str:
    by = {r.name: r for r in runs}
    ours = by.get("mandategraph memory")
    lines = []
    for other in ("oxigraph serve memory", "oxigraph serve disk", "rdflib (in-memory Graph)"):
        if ours is None or other not in by:
            continue
        parts = []
        for query, timing in sorted(ours.timings.items()):
            theirs = by[other].timings.get(query)
            if timing.median and theirs is not None:
                if theirs.median:
                    parts.append(f"{query} {theirs.median / timing.median:.1f}x")
                elif theirs.over_budget:
                    parts.append(f"{query} >{args_budget / timing.median:.0f}x")
        lines.append(f"- {other} time / mandategraph memory time: " + ", ".join(parts))
    return "\n".join(lines)


args_budget = 30.0
machine_at_start = ""


def main(argv: list[str] | None = None) -> int:
    global args_budget, machine_at_start
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="1M", help="graph size (e.g. 100k, 1M)")
    parser.add_argument("--queries", default="", help="comma-separated canned query names")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after the warm-up")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per query")
    parser.add_argument("--duration", type=int, default=10, help="seconds of the wrk run")
    parser.add_argument("--settle", type=float, default=10.0,
                        help="seconds to wait after a query stopped at the budget")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--engines", default="",
                        help="comma-separated engine names to run (default: all)")
    parser.add_argument("--no-record", action="store_true", help="do not append RESULTS.md")
    parser.add_argument("--paired", action="store_true",
                        help="only /sparql (memory) against oxigraph serve (memory), both "
                             "running at once, requests alternating")
    parser.add_argument("--rdflib-worker", nargs=2, metavar=("DATA", "QUERIES"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args_budget = args.budget
    machine_at_start = machine()  # the load average before this run adds its own
    if args.rdflib_worker:
        rdflib_worker(Path(args.rdflib_worker[0]), Path(args.rdflib_worker[1]),
                      args.repeat, args.budget)
        return 0
    if args.paired:
        return main_paired(args, argv)
    runs, queries, fastest = measure(args)
    problems = check_rows(runs)
    text = "\n\n".join([
        table(runs, args, fastest),
        ratios(runs),
        *(f"**row mismatch**: {p}" for p in problems),
    ])
    print(text)
    if not args.no_record:
        record(
            text,
            sys.argv[1:] if argv is None else argv,
            f"On {machine_at_start}. Medians of {args.repeat} runs after a warm-up, JSON "
            f"results read whole, budget {args.budget:g} s per query; throughput with 16 "
            f"concurrent connections for {args.duration} s.",
            script="bench_endpoint",
            title=f"SPARQL endpoint: /sparql vs oxigraph serve vs rdflib ({args.triples} "
            "triples, {stamp})",
        )
    return 1 if problems else 0


def main_paired(args: argparse.Namespace, argv: list[str] | None) -> int:
    pairs, ours_load, theirs_load = measure_paired(args)
    text = paired_table(pairs, ours_load, theirs_load)
    mismatched = [p.query for p in pairs if p.rows and p.rows[0] != p.rows[1]]
    if mismatched:
        text += "\n\n**row mismatch**: " + ", ".join(mismatched)
    print(text)
    if not args.no_record:
        record(
            text,
            sys.argv[1:] if argv is None else argv,
            f"On {machine_at_start}. Both servers hold the data at once; per query one "
            f"warm-up each, then {args.repeat} rounds of one request to each (which goes "
            "first alternates), JSON results read whole; medians. Row cap of /sparql at "
            "100,000,000 (on, never reached).",
            script="bench_endpoint",
            title="SPARQL endpoint, paired: /sparql vs oxigraph serve, both in memory "
            f"({args.triples} triples, {{stamp}})",
        )
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
