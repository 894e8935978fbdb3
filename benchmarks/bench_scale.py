"""The performance record at scale: load time, every canned query, the whole compliance
report and peak memory, for each engine the project runs on, in one run.

For each size (``--sizes 100k,1M,10M``) and each engine, in a process of its own:

* ``oxigraph-disk``: the embedded store on disk (``Store.open(dir)``), loaded with
  ``Store.load_file`` (pyoxigraph ``bulk_load``); queries through the product's
  executor (one read-only worker process);
* ``oxigraph-memory``: ``Store.open("memory")``, same load, queries in-process;
* ``oxigraph-server``: ``oxigraph load`` (the server's bulk loader, offline) into a
  fresh database, then ``oxigraph serve`` on loopback (``tests/remote_servers``);
* ``virtuoso``: Virtuoso on loopback, loaded with its bulk loader (``ld_dir`` +
  ``rdf_loader_run()`` through ``isql-vt``, the file hard-linked into a folder of
  ``DirsAllowed``);
* ``rdflib``: a plain ``rdflib.Dataset(default_union=True)`` parsing the file, queries
  with ``Dataset.query``; only while it fits ``--rdflib-max`` triples (its memory and
  time grow linearly: larger sizes are reported as not run, with the extrapolation).

The synthetic graph (``benchmarks/generate.py``) goes into one named graph, the
ontology into its own, as the product lays them out. Every canned query of the
catalogue runs as the product runs it: default parameters, the executor of
:func:`~mandategraph.graph.backends.executor_for` with the product's row cap
(``max_rows`` 10,000) and no cache; the compliance report as ``mandategraph
compliance`` runs it (uncapped). Peak memory is the kernel's high-water mark
(``VmHWM``): of the server process for the servers (and of ``oxigraph load``), of the
engine's Python process and its query workers for the others.

With ``--endpoint`` (on by default), each canned query is also sent through our
``/sparql`` (``uvicorn mandategraph.api.app``) in front of the store, and straight to
the engine with the same text (the server's own endpoint over HTTP, or the embedded
store in-process), both capped at the product's row cap.

Ratios are against ``oxigraph-disk`` of the same run. The results go to
``benchmarks/data/scale-<size>.json`` as each engine finishes and, with ``--record``,
a dated section of ``benchmarks/RESULTS.md``::

    python -m benchmarks.bench_scale --sizes 100k,1M,10M --record
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from benchmarks.bench_store import ensure_data, machine, record
from benchmarks.generate import DEFAULT_SEED, parse_size, size_label

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
ENGINES = ("oxigraph-disk", "oxigraph-memory", "oxigraph-server", "virtuoso", "rdflib")
BASE = "oxigraph-disk"
#: The row cap the product applies to a canned query (``MANDATEGRAPH_MAX_ROWS``).
MAX_ROWS = 10_000
#: The rows of a canned query's HTML page (``MANDATEGRAPH_PAGE_SIZE``).
PAGE_SIZE = 100
#: Seconds one canned query may take while its summary is computed.
SUMMARY_BUDGET = 1800.0
#: Virtuoso's buffers for the run (8 KiB pages): 2.6 GiB, the size its documentation
#: gives for a machine with 4 GiB free (the test helper's 20,000 suit small graphs).
VIRTUOSO_BUFFERS = {"NumberOfBuffers": "340000", "MaxDirtyBuffers": "250000"}


# -- memory ----------------------------------------------------------------------------


def vm_hwm_mb(pid: int) -> float:
    """The peak resident size of a live process (``VmHWM``), in MiB; 0 if gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def descendants(pid: int) -> list[tuple[int, str]]:
    """The live descendants of a process: (pid, command name)."""
    parents: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
        names[int(entry.name)] = name
    found: list[tuple[int, str]] = []
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append((child, names[child]))
            todo.append(child)
    return found


def tree_peak_mb(names: tuple[str, ...] | None = None) -> float:
    """The largest peak RSS in this process's tree (only processes named ``names``
    when given, e.g. the server's)."""
    peaks = [vm_hwm_mb(pid) for pid, name in descendants(os.getpid())
             if names is None or name in names]
    if names is None:
        peaks.append(vm_hwm_mb(os.getpid()))
    return max(peaks, default=0.0)


# -- timing ------------------------------------------------------------------------------


class BudgetError(Exception):
    """A run went past its time budget."""


def timed(run: Callable[[], Any], *, repeat: int, slow: float) -> tuple[float, Any, int]:
    """Seconds of one run of ``run`` (median of ``repeat`` after a warm-up run, or the
    first run alone when it took ``slow`` seconds or more), its result and the count of
    timed runs."""
    started = time.perf_counter()
    result = run()
    first = time.perf_counter() - started
    if first >= slow or repeat < 1:
        return first, result, 1
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result, repeat


# -- engines -----------------------------------------------------------------------------


def virtuoso_sql(folder: Path) -> tuple[str, str]:
    """``host:port`` of the SQL listener of the Virtuoso run in ``folder``, and isql-vt."""
    section = ""
    for line in (folder / "virtuoso.ini").read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped.strip("[]")
        elif section == "Parameters" and stripped.replace(" ", "").startswith("ServerPort="):
            isql = shutil.which("isql-vt") or "isql-vt"
            return stripped.split("=", 1)[1].strip(), isql
    raise RuntimeError("no ServerPort in the Virtuoso ini")


def virtuoso_bulk_load(folder: Path, url: str, data: Path, graph: str) -> None:
    """Virtuoso's bulk loader: ``ld_dir`` of the file (linked into ``folder``, which is
    in ``DirsAllowed``), ``rdf_loader_run()``, ``checkpoint``.

    Raises:
        RuntimeError: isql-vt or the loader reported an error.
    """
    linked = folder / data.name
    if not linked.exists():
        try:
            os.link(data, linked)
        except OSError:
            shutil.copyfile(data, linked)
    address, isql = virtuoso_sql(folder)
    password = urlsplit(url).password or "dba"
    script = (
        f"ld_dir('{folder}', '{data.name}', '{graph}'); rdf_loader_run(); checkpoint; "
        "select ll_file, ll_error from DB.DBA.load_list where ll_error is not null;"
    )
    done = subprocess.run(
        [isql, address, "dba", password, f"exec={script}"], capture_output=True, text=True,
        timeout=6 * 3600, check=False, env={**os.environ, "HOME": str(folder)},
    )
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output or data.name in done.stdout.split(
            "ll_error", 1)[-1]:
        raise RuntimeError(f"Virtuoso's bulk load failed:\n{output[-3000:]}")
    linked.unlink(missing_ok=True)


def oxigraph_load(folder: Path, data: Path, graph: str) -> float:
    """``oxigraph load`` of the file into a fresh database; the loader's peak RSS (MiB)."""
    from tests.remote_servers import oxigraph_binary

    binary = oxigraph_binary()
    if binary is None:
        raise FileNotFoundError("oxigraph (pip install oxigraph)")
    process = subprocess.Popen(
        [binary, "load", "--location", str(folder / "db"), "--file", str(data),
         "--graph", graph], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise RuntimeError(f"oxigraph load failed ({process.returncode}): {stderr[-2000:]}")
    return usage.ru_maxrss / 1024


@contextlib.contextmanager
def engine_store(engine: str, folder: Path, data: Path, figures: dict[str, Any], *,
                 budget: float, summary_budget: float | None = None) -> Iterator[Any]:
    """Load ``data`` into ``engine`` (timed into ``figures``) and yield the open store
    (an rdflib ``Dataset`` for ``rdflib``). With ``summary_budget``, the canned queries'
    summaries are stored after the load (see :func:`store_summaries`): on the Oxigraph
    server, which stops every query at the timeout it was started with, under a server
    started with that budget, then restarted with ``budget``."""
    from mandategraph.graph.backends import open_store
    from mandategraph.graph.store import Store
    from mandategraph.ontology.loader import ontology_graph
    from mandategraph.ontology.namespaces import GRAPH, ONTOLOGY_GRAPH
    from tests.remote_servers import oxigraph_server, virtuoso_server

    graph = GRAPH["document/synthetic"]
    ontology = ontology_graph()
    if engine == "rdflib":
        from rdflib import Dataset

        dataset = Dataset(default_union=True)
        started = time.perf_counter()
        dataset.graph(graph).parse(str(data), format="nt")
        target = dataset.graph(ONTOLOGY_GRAPH)
        for triple in ontology:
            target.add(triple)
        figures["load_s"] = time.perf_counter() - started
        yield dataset
        return
    if engine in ("oxigraph-disk", "oxigraph-memory"):
        location = str(folder / "store") if engine == "oxigraph-disk" else "memory"
        store = Store.open(location)
        started = time.perf_counter()
        store.load_file(data, graph=graph)
        store.replace_graph(ONTOLOGY_GRAPH, ontology)
        figures["load_s"] = time.perf_counter() - started
        figures["location"] = location
        if summary_budget is not None:
            store_summaries(store, figures, summary_budget)
        try:
            yield store
        finally:
            store.close()
        return
    if engine == "oxigraph-server":
        started = time.perf_counter()
        figures["loader_peak_mb"] = oxigraph_load(folder, data, str(graph))
        if summary_budget is not None:
            with oxigraph_server(folder, timeout_s=max(1, int(summary_budget))) as url:
                store = open_store(url)
                finish_server_load(store, ontology, figures, started, summary_budget)
                store.close()
        # the server stops a query at the budget itself (it takes no timeout per request)
        server: Any = oxigraph_server(folder, timeout_s=max(1, int(budget)))
    else:
        # the server's own limit as long as the summaries' (each request sends its own)
        server = virtuoso_server(folder, settings={
            "Parameters": VIRTUOSO_BUFFERS,
            "SPARQL": {"MaxQueryExecutionTime": str(int(SUMMARY_BUDGET))}})
    with server as url:
        if engine == "virtuoso":
            started = time.perf_counter()
            virtuoso_bulk_load(folder, url, data, str(graph))
        store = open_store(url)
        try:
            figures["location"] = url
            if "summaries_s" not in figures:  # not written already (and made stale)
                finish_server_load(store, ontology, figures, started, summary_budget)
            yield store
        finally:
            store.close()


SERVER_NAMES = {"oxigraph-server": ("oxigraph",), "virtuoso": ("virtuoso-t",)}


def rdflib_runner(dataset: Any, budget: float) -> Callable[[str, int | None], Any]:
    """Run a query on a plain rdflib Dataset under a wall-clock budget; a Table."""
    from mandategraph.graph.sparql.results import Table
    from mandategraph.ontology.namespaces import PREFIXES

    def alarm(_signum: int, _frame: Any) -> None:
        raise BudgetError

    def run(text: str, max_rows: int | None) -> Table:
        signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            result = dataset.query(text, initNs=PREFIXES)
            columns = [str(v) for v in result.vars or []]
            rows: list[list[str | None]] = []
            for row in result:
                rows.append([None if v is None else str(v) for v in row])
                if max_rows is not None and len(rows) > max_rows:
                    break
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        truncated = max_rows is not None and len(rows) > max_rows
        return Table(columns=columns, rows=rows[:max_rows] if truncated else rows,
                     truncated=truncated)

    return run


def finish_server_load(store: Any, ontology: Any, figures: dict[str, Any], started: float,
                       summary_budget: float | None) -> None:
    """After a server's bulk load: a new generation, the ontology, the load time, and the
    summaries with ``summary_budget``."""
    from mandategraph.ontology.namespaces import ONTOLOGY_GRAPH

    store.touched()
    store.replace_graph(ONTOLOGY_GRAPH, ontology)
    figures["load_s"] = time.perf_counter() - started
    if summary_budget is not None:
        store_summaries(store, figures, summary_budget)


def store_summaries(store: Any, figures: dict[str, Any], budget: float) -> None:
    """Store the canned queries' summaries (each query within ``budget`` seconds on a
    server), timed into ``figures`` with each summary's rows, seconds and error."""
    from mandategraph.queries.summaries import summarize

    started = time.perf_counter()
    done = summarize(store, timeout=budget)
    figures["summaries_s"] = time.perf_counter() - started
    figures["summaries"] = {s.name: {"rows": s.rows, "s": s.seconds, "error": s.error}
                            for s in done}
    print(f"  {figures['engine']}: summaries stored in {figures['summaries_s']:.1f} s",
          file=sys.stderr, flush=True)


def run_worker(engine: str, data: Path, folder: Path, *, repeat: int, slow: float,
               budget: float, endpoint: bool, summaries: bool = False,
               summary_budget: float = SUMMARY_BUDGET) -> dict[str, Any]:
    """Everything measured on one engine (see the module); JSON-ready. With
    ``summaries``, the canned queries' summaries are stored after the load (timed) and
    the queries run as the product runs them then: from their summaries."""
    from mandategraph.graph.backends import executor_for
    from mandategraph.queries.catalog import Page, load_catalog
    from mandategraph.queries.compliance import run_checks
    from mandategraph.queries.summaries import canned_sparql

    figures: dict[str, Any] = {"engine": engine, "queries": {}, "endpoint": {},
                               "budget_s": budget}
    catalog = load_catalog()
    summarized = summaries and engine != "rdflib"
    with engine_store(engine, folder, data, figures, budget=budget,
                      summary_budget=summary_budget if summarized else None) as store:
        print(f"  {engine}: loaded in {figures['load_s']:.1f} s", file=sys.stderr, flush=True)
        if engine == "rdflib":
            run = rdflib_runner(store, budget)
            canned: Callable[[str], Any] = lambda text: run(text, MAX_ROWS)  # noqa: E731
            whole: Callable[[str], Any] = lambda text: run(text, None)  # noqa: E731
            executors: list[Any] = []
        else:
            capped = executor_for(store, workers=1, timeout=budget, max_rows=MAX_ROWS,
                                  cache_size=0)
            uncapped = executor_for(store, workers=1, timeout=budget, max_rows=None,
                                    cache_size=0)
            executors = [capped, uncapped]
            for executor in executors:
                executor.start()
            canned, whole = capped.table, uncapped.table
        try:
            # the text as the product picks it (from a fresh summary, when there is one):
            # picking it is part of the time
            def text_of(query: Any, page: Any = None) -> Callable[[], str]:
                if summarized:
                    return lambda: canned_sparql(store, query, {}, page=page, limit=MAX_ROWS)
                # the engine's own text of the query, if it has one (rdflib: the query's)
                mine = query.on(getattr(store, "engine", "rdflib"))
                return lambda: mine.sparql({}, page=page)  # type: ignore[no-any-return]

            runs_of: list[tuple[str, Callable[[], str]]] = []
            for name, query in catalog.items():
                runs_of.append((name, text_of(query)))
                if query.pages_inside or summarized:
                    # the product's HTML page: the first page, asked of the engine
                    runs_of.append((f"{name}, page 1 of {PAGE_SIZE} rows",
                                    text_of(query, Page(1, PAGE_SIZE))))
            for name, pick in runs_of:
                try:
                    seconds, table, runs = timed(lambda p=pick: canned(p()), repeat=repeat,
                                                 slow=slow)
                except Exception as exc:  # noqa: BLE001 - rdflib fails on some queries
                    figures["queries"][name] = {"error": (
                        f"{type(exc).__name__} (> {budget:g} s)"
                        if isinstance(exc, BudgetError) else
                        f"{type(exc).__name__}: {str(exc)[:200]}")}
                    print(f"  {engine} {name}: {figures['queries'][name]}", file=sys.stderr)
                    continue
                figures["queries"][name] = {"s": seconds, "rows": len(table.rows),
                                            "truncated": bool(table.truncated), "runs": runs}
                print(f"  {engine} {name}: {seconds * 1000:.0f} ms, {len(table.rows)} rows",
                      file=sys.stderr, flush=True)
            try:
                seconds, found, runs = timed(
                    lambda: run_checks(whole, store=store if summarized else None),
                    repeat=min(repeat, 1), slow=slow)
                figures["compliance"] = {"s": seconds, "findings": len(found), "runs": runs}
            except Exception as exc:  # noqa: BLE001 - rdflib fails on some queries
                figures["compliance"] = {"error": (
                    type(exc).__name__ if isinstance(exc, BudgetError) else
                    f"{type(exc).__name__}: {str(exc)[:200]}")}
            print(f"  {engine} compliance: {figures['compliance']}", file=sys.stderr, flush=True)
            names = SERVER_NAMES.get(engine)
            figures["peak_mb"] = tree_peak_mb(names)
            if names is None:
                # the query workers of the executors are in the tree too
                figures["peak_mb"] = max(figures["peak_mb"], tree_peak_mb())
        finally:
            for executor in executors:
                executor.close()
        if "loader_peak_mb" in figures:
            figures["peak_mb"] = max(figures["peak_mb"], figures["loader_peak_mb"])
        if endpoint and engine == "oxigraph-disk":
            store.close()
            figures["endpoint"] = pairs_in_child(figures["location"], repeat=repeat,
                                                 slow=slow, budget=budget,
                                                 summarized=summarized)
        elif endpoint and engine in ("oxigraph-server", "virtuoso"):
            figures["endpoint"] = endpoint_pairs(engine, figures["location"], catalog,
                                                 repeat=repeat, slow=slow, budget=budget,
                                                 summarized=summarized)
    return figures


# -- /sparql vs straight to the engine -----------------------------------------------------


def pairs_in_child(location: str, *, repeat: int, slow: float, budget: float,
                   summarized: bool) -> dict[str, dict[str, float]]:
    """:func:`endpoint_pairs` of the on-disk store in a fresh process: in the worker
    that loaded 10M triples and computed the summaries, the pairs' read-only store
    grew past 20 GB until the kernel killed it (three runs, each after 2 of 15 pairs), where a
    fresh process ran all 15 within 350 MB."""
    command = [sys.executable, "-m", "benchmarks.bench_scale", "--pairs", location,
               "--repeat", str(repeat), "--slow", str(slow), "--budget", str(budget)]
    if summarized:
        command.append("--summaries")
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        print(f"  /sparql oxigraph-disk: the pairs' process failed (exit {done.returncode})",
              file=sys.stderr)
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def endpoint_pairs(engine: str, location: str, catalog: dict[str, Any], *, repeat: int,
                   slow: float, budget: float,
                   summarized: bool = False) -> dict[str, dict[str, float]]:
    """Each canned query through our ``/sparql`` and straight to the engine (seconds):
    its text, or with ``summarized`` the text the product picks (from its summary)."""
    from mandategraph.graph.backends import open_store
    from mandategraph.graph.remote_store import RemoteStore
    from mandategraph.graph.sparql.text import limit_select
    from mandategraph.queries.summaries import canned_sparql
    from tests.remote_servers import free_port

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MANDATEGRAPH_")}
    env.update({"PYTHONPATH": str(ROOT), "MANDATEGRAPH_STORE": location,
                "MANDATEGRAPH_QUERY_WORKERS": "1", "MANDATEGRAPH_QUERY_CACHE_SIZE": "0",
                "MANDATEGRAPH_QUERY_TIMEOUT": str(budget),
                "MANDATEGRAPH_MAX_ROWS": str(MAX_ROWS)})
    log = Path(location).parent / "uvicorn.log" if engine == "oxigraph-disk" else DATA / (
        f"uvicorn-{engine}.log")
    ours = f"http://127.0.0.1:{port}/sparql"
    pairs: dict[str, dict[str, float]] = {}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "mandategraph.api.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    store: Any = None
    try:
        deadline = time.monotonic() + 300
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{ours}?query=ASK%7B%7D", timeout=5).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"mandategraph serve did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.3)
        store = open_store(location, read_only=True)
        client = httpx.Client(timeout=budget + 30)
        accept = {"Accept": "application/sparql-results+json"}
        for name, query in catalog.items():
            # as the product asks it: with the row cap, which a summary reads as a range
            # of row numbers (the summary's whole text with a LIMIT computes every row)
            text = (canned_sparql(store, query, {}, limit=MAX_ROWS) if summarized
                    else query.on(store.engine).sparql({}))
            capped = limit_select(text, MAX_ROWS)
            sent = capped[0] if capped else text

            def through_ours(t: str = text) -> bytes:
                answer = client.get(ours, params={"query": t}, headers=accept)
                answer.raise_for_status()
                return answer.content

            def straight(t: str = sent) -> bytes:
                if isinstance(store, RemoteStore):
                    # one POST to the server's endpoint, the dataset our store sends
                    written, params = store._dataset(t)
                    return store.client.query(written, accept="application/sparql-results+json",
                                              params=params, timeout=budget)
                return store.query(t).serialize(format=_json_format())  # type: ignore[no-any-return]

            try:
                ours_s, _, _ = timed(through_ours, repeat=repeat, slow=slow)
                theirs_s, _, _ = timed(straight, repeat=repeat, slow=slow)
            except httpx.HTTPError as exc:
                print(f"  /sparql {engine} {name}: {exc}", file=sys.stderr)
                continue
            pairs[name] = {"ours_s": ours_s, "engine_s": theirs_s}
            print(f"  /sparql {engine} {name}: {ours_s * 1000:.0f} ms vs "
                  f"{theirs_s * 1000:.0f} ms", file=sys.stderr, flush=True)
        client.close()
    finally:
        if store is not None:
            store.close()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return pairs


def _json_format() -> Any:
    import pyoxigraph as ox

    return ox.QueryResultsFormat.JSON


# -- the orchestrator ---------------------------------------------------------------------


def run_engine(engine: str, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One engine in a child process; its figures, or a note of why it did not finish."""
    folder = ROOT / "benchmarks" / "data" / "stores" / f"{engine}-{data.stem}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    command = [sys.executable, "-m", "benchmarks.bench_scale", "--worker", engine,
               "--file", str(data), "--folder", str(folder), "--repeat", str(args.repeat),
               "--slow", str(args.slow),
               "--budget", str(args.rdflib_budget if engine == "rdflib" else args.budget)]
    if not args.endpoint:
        command.append("--no-endpoint")
    if args.summaries:
        command += ["--summaries", "--summary-budget", str(args.summary_budget)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              timeout=args.engine_timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"engine": engine, "skipped": f"stopped after {args.engine_timeout:.0f} s"}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if done.returncode != 0:
        return {"engine": engine, "skipped": f"failed (exit {done.returncode})"}
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall_s"] = time.perf_counter() - started
    return figures


def _ms(entry: dict[str, Any] | None, budget: float | None = None) -> str:
    if not entry:
        return "–"
    if "error" in entry:
        error = entry["error"]
        if "Timeout" in error or "BudgetError" in error:
            return "timeout" if budget is None else f"> {budget:g} s"
        return "error"
    return f"{entry['s'] * 1000:,.0f}"


def _with_ratio(entry: dict[str, Any] | None, base: dict[str, Any] | None, engine: str,
                budget: float | None = None) -> str:
    cell = _ms(entry, budget)
    if engine == BASE or not entry or "s" not in entry or not base or "s" not in base:
        return cell
    return f"{cell} ({entry['s'] / base['s']:.2f}x)"


def size_table(triples: int, runs: list[dict[str, Any]], *, rdflib_max: int,
               rdflib_1m: dict[str, Any] | None) -> str:
    """The table of one size: one column per engine, ratios to ``oxigraph-disk``."""
    engines = [r["engine"] for r in runs]
    base = next((r for r in runs if r["engine"] == BASE and "skipped" not in r), None)
    head = f"| {size_label(triples)} triples | " + " | ".join(engines) + " |"
    lines = [head, "|---|" + "---|" * len(engines)]

    def row(label: str, cell: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(
            r.get("skipped", "not run") if "skipped" in r else cell(r) for r in runs) + " |")

    def load(r: dict[str, Any]) -> str:
        text = f"{r['load_s']:.1f}"
        if base and r is not base:
            text += f" ({r['load_s'] / base['load_s']:.2f}x)"
        return text

    row("load (s)", load)
    if any("summaries_s" in r for r in runs):
        row("summaries stored after the load (s)",
            lambda r: f"{r['summaries_s']:.1f}" if "summaries_s" in r else "–")
    # none for a run whose figures were read back from its log (its process was killed)
    row("peak RSS (MiB)", lambda r: f"{r['peak_mb']:,.0f}" if "peak_mb" in r else "–")
    names = sorted({n for r in runs for n in r.get("queries", {})})
    for name in names:
        def cell(r: dict[str, Any], n: str = name) -> str:
            return _with_ratio(r["queries"].get(n), base["queries"].get(n) if base else None,
                               r["engine"], r.get("budget_s"))
        rows = {r["queries"][name].get("rows") for r in runs
                if "queries" in r and name in r["queries"] and "rows" in r["queries"][name]}
        shown = "/".join(str(n) for n in sorted(x for x in rows if x is not None))
        row(f"`{name}` (ms; {shown} rows)", cell)
    row("**whole compliance report** (ms)", lambda r: _with_ratio(
        r.get("compliance"), base.get("compliance") if base else None, r["engine"],
        r.get("budget_s")))
    text = "\n".join(lines)
    if triples > rdflib_max and rdflib_1m and "load_s" in rdflib_1m:
        factor = triples / rdflib_1m["triples"]
        text += (
            f"\n\nrdflib not run at {size_label(triples)}: its memory and load time grow "
            f"linearly, so from its {size_label(rdflib_1m['triples'])} figures it would need "
            f"about {rdflib_1m['peak_mb'] * factor / 1024:,.0f} GiB and "
            f"{rdflib_1m['load_s'] * factor / 60:,.0f} min of loading alone "
            "(the machine has 23 GiB shared with other work)."
        )
    return text


def endpoint_table(triples: int, runs: list[dict[str, Any]]) -> str:
    """Our ``/sparql`` vs straight to the engine, per canned query."""
    with_pairs = [r for r in runs if r.get("endpoint")]
    if not with_pairs:
        return ""
    lines = [f"| {size_label(triples)}: /sparql vs engine (ms) | "
             + " | ".join(r["engine"] for r in with_pairs) + " |",
             "|---|" + "---|" * len(with_pairs)]
    names = sorted({n for r in with_pairs for n in r["endpoint"]})
    for name in names:
        cells = []
        for r in with_pairs:
            pair = r["endpoint"].get(name)
            if pair is None:
                cells.append("–")
                continue
            cells.append(f"{pair['ours_s'] * 1000:,.0f} vs {pair['engine_s'] * 1000:,.0f} "
                         f"({pair['ours_s'] / pair['engine_s']:.2f}x)")
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def versions() -> str:
    parts = []
    for package in ("pyoxigraph", "oxigraph", "rdflib"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            parts.append(f"{package} {metadata.version(package)}")
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(["virtuoso-t", "-?"], capture_output=True, text=True, timeout=10)
        for line in (done.stdout + done.stderr).splitlines():
            if "Version" in line:
                parts.append("Virtuoso " + line.split("Version", 1)[1].strip().split()[0])
                break
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.bench_scale --sizes 100k,1M,10M``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M", help="comma-separated: 100k,1M,10M")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs of a query after one warm-up (median)")
    parser.add_argument("--slow", type=float, default=10.0,
                        help="a query whose first run takes this many seconds is run once")
    parser.add_argument("--budget", type=float, default=300.0,
                        help="seconds one query may take before it is stopped")
    parser.add_argument("--rdflib-budget", type=float, default=60.0,
                        help="seconds one query may take on plain rdflib")
    parser.add_argument("--engine-timeout", type=float, default=3 * 3600.0,
                        help="seconds one engine may take on one size, everything included")
    parser.add_argument("--rdflib-max", default="1M",
                        help="largest size plain rdflib is run at")
    parser.add_argument("--no-endpoint", dest="endpoint", action="store_false",
                        help="skip /sparql vs straight to the engine")
    parser.add_argument("--summaries", action="store_true",
                        help="store the canned queries' summaries after the load (timed), "
                             "and run the queries as the product then does: from them")
    parser.add_argument("--summary-budget", type=float, default=SUMMARY_BUDGET,
                        help="seconds one query may take while its summary is computed")
    parser.add_argument("--record", action="store_true", help="append to RESULTS.md")
    parser.add_argument("--from-json", action="store_true",
                        help="only write the tables from the saved JSON files of the sizes")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--pairs", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.pairs:
        from mandategraph.queries.catalog import load_catalog

        found = endpoint_pairs("oxigraph-disk", args.pairs, load_catalog(), repeat=args.repeat,
                               slow=args.slow, budget=args.budget, summarized=args.summaries)
        print(json.dumps(found))
        return 0
    if args.worker:
        figures = run_worker(args.worker, args.file, args.folder, repeat=args.repeat,
                             slow=args.slow, budget=args.budget, endpoint=args.endpoint,
                             summaries=args.summaries, summary_budget=args.summary_budget)
        figures["worker_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    engines = [e for e in args.engines.split(",") if e]
    rdflib_max = parse_size(args.rdflib_max)
    load_start = os.getloadavg()[0]
    started_at = time.strftime("%H:%M UTC", time.gmtime())
    sections = []
    rdflib_seen: dict[str, Any] | None = None
    for triples in sizes:
        saved = DATA / f"scale-{size_label(triples)}.json"
        if args.from_json:
            runs = json.loads(saved.read_text()) if saved.exists() else []
        else:
            data = ensure_data(triples, DEFAULT_SEED, None)
            # engines run before on this size stay, the ones run now replace theirs
            kept = json.loads(saved.read_text()) if saved.exists() else []
            runs = [r for r in kept if r["engine"] not in engines]
            for engine in engines:
                if engine == "rdflib" and triples > rdflib_max:
                    runs.append({"engine": engine, "skipped": "not run (see below)"})
                    continue
                print(f"{size_label(triples)} {engine} ...", file=sys.stderr, flush=True)
                figures = run_engine(engine, data, args)
                figures["triples"] = triples
                runs.append(figures)
                runs.sort(key=lambda r: ENGINES.index(r["engine"]))
                saved.write_text(json.dumps(runs, indent=1))
        for r in runs:
            if r["engine"] == "rdflib" and "load_s" in r:
                rdflib_seen = r
        sections.append(size_table(triples, runs, rdflib_max=rdflib_max, rdflib_1m=rdflib_seen))
        pairs = endpoint_table(triples, runs)
        if pairs:
            sections.append(pairs)
    text = "\n\n".join(sections)
    header = (
        f"Machine: {machine()}; load average at end {os.getloadavg()[0]:.2f} "
        f"(start {load_start:.2f}, started {started_at}); {versions()}. Query cells: ms, "
        f"median of {args.repeat} runs after a warm-up (one run when the first took "
        f"{args.slow:g} s or more), with the ratio to `{BASE}`; canned queries capped at "
        f"{MAX_ROWS:,} rows as the product serves them; `> N s`: stopped at the "
        "budget (a compliance report stops at its first query over it); `error`: the "
        "engine failed on the query."
    )
    print(header + "\n\n" + text)
    if args.record:
        record(text, argv if argv is not None else sys.argv[1:], header,
               script="bench_scale", title="Scale: engines at {stamp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
