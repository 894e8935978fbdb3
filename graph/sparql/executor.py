"""Run SPARQL queries so that a timeout really stops the work.

pyoxigraph has no timeout and no cancel, and a running query ignores signals, so
queries on an on-disk store run in a small pool of **worker processes**
(:mod:`mandategraph.graph.sparql.workers`), each holding
``pyoxigraph.Store.read_only(path)`` (read-only opens live beside the one writer). The
caller waits for a worker's answer at most ``timeout`` seconds; past that the worker is
killed (SIGKILL frees its CPU at once), a replacement is started in the background and
:class:`~mandategraph.errors.QueryTimeoutError` is raised. The other workers keep
serving meanwhile.

Choices, and why:

* **Seeing new data.** A read-only open sees the store as it was when opened. Before
  each query the executor takes the store directory's *signature* (name, size and
  mtime of each file; RocksDB appends every commit to its write-ahead log, so any
  write by any process changes it) and bumps a generation number when it changed.
  Each task carries the generation; a worker whose store is older reopens it first
  (a few milliseconds). Listing a store directory costs tens of microseconds, so this
  runs on every query and a reader sees an ingest as soon as it has committed.
  Touching a file in the store directory (e.g. ``.generation``) forces a reopen.
* **Serving from memory** (``serve_from_memory``): each worker copies the on-disk store
  into an in-memory pyoxigraph store at start (2-4x faster queries, one copy of the
  graph per worker, slower start). On a new generation, fresh workers load the new
  data in the background while the old ones keep answering; the old ones are retired
  once all new ones are ready (so a reader may see old data for the load time).
* **A ``memory`` store** lives only in the application process, so its queries run
  in-process on a thread pool: the timeout answers the caller, but the query runs on
  to its end (documented limit; ``memory`` is for tests and demos).
* **Updates** run on the single writer: in-process when the caller already holds the
  store read-write (or it is ``memory``); otherwise in one *writer process* holding
  the only read-write open, which is killed on timeout (an Oxigraph update is one
  transaction, so a killed update writes nothing).
* **Row cap** and **cache**: :mod:`~mandategraph.graph.sparql.serialize`, ``.cache``.

``max_rows`` and ``timeout`` of the methods: :data:`DEFAULT` (the default) takes the
executor's own; ``max_rows=None`` means no cap; a timeout is always seconds.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Hashable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from mandategraph.errors import QueryTimeoutError, StoreError
from mandategraph.graph.sparql.cache import DerivedValues, ResultCache
from mandategraph.graph.sparql.guard import check_graph_names
from mandategraph.graph.sparql.results import Table
from mandategraph.graph.sparql.task import DEFAULT, TABLE, Default, QueryResult, Task
from mandategraph.graph.sparql.text import with_values
from mandategraph.graph.sparql.workers import (
    LONG_AFTER,
    QueryRunner,
    Worker,
    resolve_allocator,
    set_priority,
    store_signature,
    unwrap,
    worker_context,
)
from mandategraph.graph.store import MEMORY, Store, write_stale_marker
from mandategraph.ontology.namespaces import PREFIXES

log = logging.getLogger(__name__)


class Executor(DerivedValues):
    """Runs queries and updates with a real timeout; see the module docstring.

    Use :meth:`for_store`, then :meth:`start` and :meth:`close` (or a ``with`` block).
    The methods block; call them from a thread in async code.
    """

    def __init__(
        self,
        location: str,
        *,
        workers: int = 2,
        timeout: float = 10.0,
        max_rows: int | None = 10000,
        serve_from_memory: bool = False,
        cache_size: int = 0,
        allocator: str | None = "auto",
        service_allowlist: tuple[str, ...] | list[str] = (),
        max_query_bytes: int | None = None,
        max_workers: int | None = None,
        local_store: ox.Store | None = None,
        local_writer: ox.Store | None = None,
    ) -> None:
        """Create an executor (no process starts before :meth:`start`).

        Args:
            location: the store directory, or ``"memory"``.
            workers: query worker processes (or threads for an in-process store).
            timeout: default seconds a query or update may run.
            max_rows: default cap on result rows/triples (``None``: no cap).
            serve_from_memory: workers copy the on-disk store into memory.
            cache_size: results kept in the LRU cache (0: no cache).
            allocator: memory allocator of the workers
                (:func:`~mandategraph.graph.sparql.workers.resolve_allocator`).
            service_allowlist: endpoints a ``SERVICE`` may reach; empty: the query
                threads have no network at all (see :mod:`mandategraph.graph.sparql.sandbox`).
            max_query_bytes: longest query or update text (``None``: no limit).
            max_workers: how far the pool of an on-disk store may grow while every
                worker is busy (``None``: ``workers``); see :meth:`_grow`.
            local_store: run queries in-process on this store (``memory`` stores).
            local_writer: run updates in-process on this read-write store.
        """
        self.location = location
        self.workers = max(1, workers)
        self.timeout = timeout
        self.max_rows = max_rows
        self.serve_from_memory = serve_from_memory and local_store is None
        self.cache_size = 0 if local_store is not None else max(0, cache_size)
        self._local = local_store
        self._local_writer = local_writer
        self.allocator = None if local_store is not None else resolve_allocator(allocator)
        self._mode = "memory" if self.serve_from_memory else "disk"
        self.service_allowlist = tuple(service_allowlist)
        # growing means opening the store once more: cheap on disk, a whole copy in memory
        self.max_workers = (
            self.workers if self.serve_from_memory else max(self.workers, max_workers or 0)
        )
        self._extra = 0
        self._growing = False
        self._long = 0
        self._waiting = 0
        #: long tasks allowed at once (see :meth:`_run_in_worker`): room is left for
        #: the quick ones
        self.max_long = max(1, self.max_workers - self.workers, self.workers - 1)
        self.max_query_bytes = max_query_bytes
        self._prefixes = dict(PREFIXES)
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._signature: tuple[tuple[str, int, int], ...] = ()
        self._generation = 0
        self._ready_generation = 0
        self._loading_generation: int | None = None
        self._cache = ResultCache(self.cache_size)
        self._threads: QueryRunner | None = None
        self._writer: Worker | None = None
        self._closed = False
        self._context: Any = None
        self.replacements = 0

    @classmethod
    def for_store(cls, store: Store, **options: Any) -> Executor:
        """The executor fitting an open :class:`~mandategraph.graph.store.Store`.

        A ``memory`` store runs queries in-process; an on-disk store gets worker
        processes (a SPARQL server: :func:`mandategraph.graph.backends.executor_for`).
        Updates go to ``store`` itself when it is writable, else to a writer process
        opened on first update. ``options`` are those of the constructor
        (``workers``, ``timeout``, ``max_rows``, ``serve_from_memory``, ...).
        """
        local = store.oxigraph if store.location == MEMORY else None
        writer = store.oxigraph if not store.read_only else None
        return cls(store.location, local_store=local, local_writer=writer, **options)

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        """Start the workers and wait until each has opened the store.

        Raises:
            StoreError: a worker could not open the store.
        """
        if self._local is not None:
            self._local_runner()
            return
        if not Path(self.location).is_dir():
            raise StoreError(f"no store at {self.location}: run 'mandategraph build' first")
        self._context = worker_context(self.allocator)
        self._signature = store_signature(self.location)
        pending = [self._launch(self._mode, self._generation) for _ in range(self.workers)]
        for worker in pending:
            worker.await_ready(self.location)
            self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker (and the writer); safe to call twice."""
        self._closed = True
        if self._threads is not None:
            self._threads.shutdown()
            self._threads = None
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                break
        if self._writer is not None:
            self._writer.stop()
            self._writer = None

    def __enter__(self) -> Executor:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _launch(self, mode: str, generation: int) -> Worker:
        return Worker.launch(self._context, self.location, mode, generation,
                             prefixes=self._prefixes, allowlist=self.service_allowlist)

    def _replace_later(self, generation: int | None = None) -> None:
        """Start one worker in the background and add it to the pool when ready."""

        def run() -> None:
            if self._closed:
                return
            try:
                target = self._generation if generation is None else generation
                worker = self._launch(self._mode, target)
                worker.await_ready(self.location)
            except Exception:
                log.exception("cannot start a replacement query worker")
                return
            self.replacements += 1
            if self._closed:
                worker.stop()
            else:
                self._idle.put(worker)

        threading.Thread(target=run, name="sparql-worker-start", daemon=True).start()

    # -- generations -----------------------------------------------------------------

    def _refresh_generation(self) -> None:
        if self._local is not None:
            return
        signature = store_signature(self.location)
        with self._lock:
            if signature == self._signature:
                return
            self._signature = signature
            self._generation += 1
            generation = self._generation
            reload = self.serve_from_memory and self._loading_generation is None
            if reload:
                self._loading_generation = generation
        if reload:
            threading.Thread(
                target=self._reload_memory, args=(generation,), daemon=True
            ).start()

    def _reload_memory(self, generation: int) -> None:
        """Load ``generation`` into fresh memory workers, then retire the old ones."""
        try:
            fresh = [self._launch("memory", generation) for _ in range(self.workers)]
            ready = []
            for worker in fresh:
                try:
                    worker.await_ready(self.location)
                    ready.append(worker)
                except StoreError:
                    log.exception("cannot load generation %s into memory", generation)
            with self._lock:
                self._ready_generation = max(self._ready_generation, generation)
            for worker in ready:
                if self._closed:
                    worker.stop()
                else:
                    self._idle.put(worker)
        finally:
            with self._lock:
                self._loading_generation = None
                newer = self._generation > generation
        if newer and not self._closed:
            # data changed again while loading: load the latest too
            with self._lock:
                self._loading_generation = self._generation
                latest = self._generation
            self._reload_memory(latest)

    # -- running ---------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        bindings: Mapping[str, Any] | None = None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
        result_format: str | None = "json",
        graph_format: str | None = "ttl",
        max_rows: int | None | Default = DEFAULT,
        timeout: float | Default = DEFAULT,
    ) -> QueryResult:
        """Run a SPARQL query and serialize its results.

        Args:
            text: the query (the prefixes of ``ontology.namespaces.PREFIXES`` are
                predeclared).
            bindings: values for variables (rdflib terms), bound with a ``VALUES``
                block, never pasted as text.
            default_graphs: the protocol's ``default-graph-uri`` values.
            named_graphs: the protocol's ``named-graph-uri`` values.
            base_iri: the base for relative IRIs.
            result_format: for SELECT/ASK: ``json``, ``xml``, ``csv``, ``tsv`` or
                ``table``; ``None`` if the client accepts none of them.
            graph_format: for CONSTRUCT/DESCRIBE: ``ttl``, ``nt``, ``jsonld``,
                ``xml`` or ``table``; ``None`` if the client accepts none.
            max_rows: cap on rows/triples; :data:`DEFAULT` for the executor's own,
                ``None`` for no cap.
            timeout: seconds; :data:`DEFAULT` for the executor's own.

        Raises:
            BadParameterError: a graph name is not an absolute IRI.
            QuerySyntaxError: the query does not parse (with line and column).
            QueryTimeoutError: the query ran past the timeout and was stopped.
            UnknownFormatError: the result cannot be written in an accepted format.
            StoreError: the store cannot be read.
        """
        if bindings:
            text = with_values(text, bindings)
        check_graph_names("default-graph-uri", default_graphs)
        check_graph_names("named-graph-uri", named_graphs)
        task = Task(
            kind="query",
            text=text,
            base_iri=base_iri,
            default_graphs=tuple(default_graphs) if default_graphs else None,
            named_graphs=tuple(named_graphs) if named_graphs else None,
            result_format=result_format,
            graph_format=graph_format,
            max_rows=self.max_rows if max_rows is DEFAULT else max_rows,
            max_bytes=self.max_query_bytes,
        )
        return self._run(task, timeout=self.timeout if timeout is DEFAULT else timeout)

    def table(
        self,
        text: str,
        *,
        bindings: Mapping[str, Any] | None = None,
        max_rows: int | None | Default = DEFAULT,
        timeout: float | Default = DEFAULT,
    ) -> Table:
        """Run a query and read its results as a :class:`~mandategraph.graph.sparql.results.Table`.

        Same errors as :meth:`query`.
        """
        result = self.query(text, bindings=bindings, result_format=TABLE, graph_format=TABLE,
                            max_rows=max_rows, timeout=timeout)
        assert result.table is not None
        return result.table

    def update(
        self,
        text: str,
        *,
        base_iri: str | None = None,
        using: list[str] | None = None,
        using_named: list[str] | None = None,
        timeout: float | Default = DEFAULT,
    ) -> None:
        """Run a SPARQL Update on the single writer (one transaction).

        ``using`` / ``using_named`` are the protocol's ``using-graph-uri`` and
        ``using-named-graph-uri``, applied by the writer
        (:func:`~mandategraph.graph.sparql.text.add_using`).

        Raises:
            BadParameterError: the update is too deep or has its own ``USING`` beside
                the protocol's.
            ForbiddenError: it tried to reach the network (``LOAD``, a ``SERVICE``
                outside the allow-list).
            QuerySyntaxError: the update does not parse.
            QueryTimeoutError: it ran past the timeout; the writer process was killed
                and nothing was written (in-process writers cannot be stopped).
            StoreError: the store cannot be opened for writing (e.g. a build holds it).
        """
        # they are written into the update's text
        check_graph_names("using-graph-uri", using)
        check_graph_names("using-named-graph-uri", using_named)
        task = Task(
            kind="update",
            text=text,
            base_iri=base_iri,
            using=tuple(using or ()),
            using_named=tuple(using_named or ()),
            max_bytes=self.max_query_bytes,
        )
        limit = self.timeout if timeout is DEFAULT else timeout
        with self._write_lock:
            if self.location != MEMORY:
                # an update may change what the reasoner saw: graph/inferred is stale
                write_stale_marker(self.location)
            if self._local_writer is not None:
                self._run_local(self._local_writer, task, limit)
            else:
                self._run_writer(task, limit)
        self._cache.clear()
        self._refresh_generation()

    def generation(self) -> Hashable | None:
        """Changes when a write commits; ``None`` for a ``memory`` store (unseen writes)."""
        if self._local is None:
            self._refresh_generation()
        return None if self._local is not None else self._generation

    def _run(self, task: Task, *, timeout: float) -> QueryResult:
        if self._local is not None:
            return self._run_local(self._local, task, timeout)
        self._refresh_generation()
        generation = self._generation
        key = None
        if self.cache_size:
            key = ResultCache.key(task, generation)
            hit = self._cache.get(key)
            if hit is not None:
                return hit
        result, served = self._run_in_worker(replace(task, generation=generation), timeout)
        if key is not None and served == generation:
            self._cache.put(key, result)
        return result

    def _grow(self) -> None:
        """Start one more worker (beyond ``workers``, up to ``max_workers``).

        Called when a query finds every worker busy: long queries then cannot starve
        the short ones, which get a fresh worker instead of waiting out the timeout
        (the CPU is shared, but a query of milliseconds stays one). One worker starts
        at a time; extra workers leave again when enough are idle (:meth:`_release`).
        """
        with self._lock:
            if self._growing or self._closed or self.workers + self._extra >= self.max_workers:
                return
            self._growing = True
            self._extra += 1

        def run() -> None:
            try:
                worker = self._launch(self._mode, self._generation)
                worker.await_ready(self.location)
            except Exception:
                log.exception("cannot start an extra query worker")
                with self._lock:
                    self._extra -= 1
                return
            finally:
                with self._lock:
                    self._growing = False
            if self._closed:
                worker.stop()
                return
            self._idle.put(worker)
            with self._lock:
                more = self._waiting > self._idle.qsize()
            if more:  # more queries wait than workers are free: one more
                self._grow()

        threading.Thread(target=run, name="sparql-worker-grow", daemon=True).start()

    def _release(self, worker: Worker) -> None:
        """Give a worker back to the pool, or stop it if it is extra and not needed."""
        with self._lock:
            retire = self._extra > 0 and self._idle.qsize() >= self.workers
            if retire:
                self._extra -= 1
        if retire:
            worker.stop()
        else:
            self._idle.put(worker)

    def _acquire(self, deadline: float) -> Worker:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeoutError(
                    f"all {self.workers + self._extra} query workers stayed busy past the "
                    "timeout; try again later"
                )
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                with self._lock:
                    self._waiting += 1
                self._grow()
                try:  # one wait: waiters are served first come, first served
                    worker = self._idle.get(timeout=remaining)
                except queue.Empty:
                    continue
                finally:
                    with self._lock:
                        self._waiting -= 1
            if not worker.alive():
                worker.kill()
                self._replace_later()
                continue
            if worker.mode == "memory" and worker.generation < self._ready_generation:
                worker.stop()  # a newer copy of the data is loaded: retire this one
                continue
            return worker

    def _run_in_worker(self, task: Task, timeout: float) -> tuple[QueryResult, int]:
        """Send ``task`` to a worker and wait for its answer, at most until the deadline.

        A task still running after :data:`LONG_AFTER` seconds is *long*: its worker's
        threads are reniced to 19, so quick queries on other workers keep the CPU, and
        set back to 0 afterwards (where that is not allowed, an on-disk worker is
        replaced instead). At most ``max_long`` tasks may be long at once: one more is stopped at
        once (503), so long queries can never hold every worker.
        """
        started = time.monotonic()
        deadline = started + timeout
        worker = self._acquire(deadline)
        sent = time.monotonic()
        long = False
        try:
            worker.conn.send(task)
            while True:
                now = time.monotonic()
                if now >= deadline:
                    # the work must really stop: SIGKILL frees the CPU, a fresh one replaces it
                    worker.kill()
                    self._replace_later()
                    raise QueryTimeoutError(
                        f"the query ran longer than {timeout:g} s and was stopped"
                    )
                wait = deadline - now if long else min(deadline - now, sent + LONG_AFTER - now)
                if worker.conn.poll(max(wait, 0)):
                    break
                if not long and time.monotonic() - sent >= LONG_AFTER:
                    long = True
                    with self._lock:
                        self._long += 1
                        shed = self._long > self.max_long
                    if shed:
                        worker.kill()
                        self._replace_later()
                        raise QueryTimeoutError(
                            f"{self.max_long} long queries are running already: this one was "
                            "stopped to keep the server responsive; try again later"
                        )
                    set_priority(worker.process.pid, 19)
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            worker.kill()
            self._replace_later()
            raise StoreError("the query worker stopped unexpectedly; try again") from exc
        finally:
            if long:
                with self._lock:
                    self._long -= 1
        if worker.mode == "disk":
            worker.generation = task.generation
        if long and not set_priority(worker.process.pid, 0):
            # a process cannot raise its priority back unprivileged: replace the worker
            # (cheap on disk; a memory copy keeps the low priority rather than reload)
            if worker.mode == "disk":
                worker.stop()
                self._replace_later()
            else:
                self._release(worker)
        else:
            self._release(worker)
        return unwrap(reply, task.text), worker.generation

    def _run_writer(self, task: Task, timeout: float) -> None:
        if self._writer is None or not self._writer.alive():
            if self._context is None:
                self._context = worker_context(self.allocator)
            writer = self._launch("write", 0)
            try:
                writer.await_ready(self.location)
            except StoreError as exc:
                raise StoreError(
                    f"cannot open the store at {self.location} for writing "
                    "(is a build or ingest running?)",
                    detail=exc.message,
                ) from exc
            self._writer = writer
        try:
            reply = self._writer.update(task, timeout)
        except (QueryTimeoutError, StoreError):
            self._writer = None  # killed
            raise
        unwrap(reply, task.text)

    def _local_runner(self) -> QueryRunner:
        with self._lock:
            if self._threads is None:
                self._threads = QueryRunner(self.workers, allowlist=self.service_allowlist)
            return self._threads

    def _run_local(self, store: ox.Store, task: Task, timeout: float) -> QueryResult:
        return self._local_runner().run(store, task, self._prefixes, timeout=timeout)
