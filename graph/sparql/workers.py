"""The worker process side: a worker's loop, its handle, the allocator, priorities.

Workers are started by ``forkserver`` (``spawn`` where there is none), which imports
this module once, so a replacement is ready in tens of milliseconds.

**Allocator.** Oxigraph's query evaluation allocates heavily; with jemalloc instead of
glibc's malloc the canned queries ran 0-7 % faster in the workers at 1M triples
(10-25 % on a store loaded in file order; ``benchmarks/RESULTS.md``). The forkserver
that forks the workers is started with the chosen library in ``LD_PRELOAD``
(``allocator``: ``auto`` picks Debian's ``libjemalloc2`` or ``libmimalloc2.0`` when
installed, ``system`` keeps malloc). Only the workers get it, never the application
process.

A worker answers each task with a tuple (``ok``, ``syntax``, ``error``) that
:func:`unwrap` turns back into a result or the error it stands for.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from mandategraph import errors
from mandategraph.errors import (
    BadParameterError,
    MandategraphError,
    QueryTimeoutError,
    StoreError,
)
from mandategraph.graph.sparql.guard import check_shape, federates, may_reach_out
from mandategraph.graph.sparql.sandbox import QueryThreads, deny_network
from mandategraph.graph.sparql.serialize import run_task
from mandategraph.graph.sparql.task import QueryResult, Task
from mandategraph.graph.sparql.text import syntax_error
from mandategraph.graph.store import open_read_only

#: Seconds a worker may take to open (or load into memory) the store.
STARTUP_TIMEOUT = 600.0


class QueryRunner:
    """Runs tasks on query threads: sandboxed ones, and with an allow-list, one that
    may reach the allow-listed ``SERVICE`` endpoints (see :mod:`mandategraph.graph.sparql.sandbox`).

    Every check of a task (:func:`check_shape`, :func:`federates`) runs on a sandboxed
    query thread too, so the caller's deadline covers it.
    """

    def __init__(self, threads: int, *, allowlist: tuple[str, ...] = ()) -> None:
        self.allowlist = allowlist
        self.sandboxed = QueryThreads(threads)
        self.federating = (
            QueryThreads(1, network=True, name="sparql-service") if allowlist else None
        )

    def submit(
        self, store: ox.Store, task: Task, prefixes: Mapping[str, str]
    ) -> Future[QueryResult]:
        """Check and run ``task``; the future raises what :func:`run_task` raises, and
        :func:`check_shape`'s and :func:`federates`' errors."""
        return self.sandboxed.submit(self._route, store, task, prefixes)

    def _route(self, store: ox.Store, task: Task, prefixes: Mapping[str, str]) -> QueryResult:
        started = time.thread_time()
        check_shape(task.text, max_bytes=task.max_bytes)
        if self.federating is not None or may_reach_out(task.text):
            federated = federates(task, self.allowlist, prefixes)
            if federated and self.federating is not None:
                return self.federating.submit(run_task, store, task, prefixes).result()
        result = run_task(store, task, prefixes)
        result.cpu_seconds = time.thread_time() - started
        return result

    def run(
        self, store: ox.Store, task: Task, prefixes: Mapping[str, str], *, timeout: float
    ) -> QueryResult:
        """Run ``task`` here (a ``memory`` store) and wait for it at most ``timeout`` s.

        Raises:
            QueryTimeoutError: past the timeout (the query runs on to its end).
            QuerySyntaxError: the query does not parse.
            StoreError: the store cannot be read.
        """
        future = self.submit(store, task, prefixes)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            # an in-process query cannot be stopped: answer now, let it run out
            raise QueryTimeoutError(
                f"the query ran longer than {timeout:g} s (it cannot be stopped on a "
                "'memory' store)"
            ) from None
        except SyntaxError as exc:
            raise syntax_error(exc, task.text) from exc
        except OSError as exc:
            raise StoreError(f"cannot read the store: {exc}") from exc

    def shutdown(self) -> None:
        """Stop the threads."""
        self.sandboxed.shutdown()
        if self.federating is not None:
            self.federating.shutdown()



def memory_copy(source: ox.Store) -> ox.Store:
    """An in-memory copy of ``source``, laid out for fast queries.

    The copy goes through N-Quads bytes (faster than adding quads one by one), with
    the lines **sorted**: a dump comes out in index order, which scatters each
    subject's terms across the new store's memory, and queries on such a copy ran
    15-50 % slower than on the same data loaded in file order. Sorted lines keep
    each subject's quads, and subjects with similar IRIs, together (at 1M triples:
    about 2 s more to start, queries as fast as the file order or faster).
    """
    dump = source.dump(format=ox.RdfFormat.N_QUADS)
    assert dump is not None  # no output given: the dump comes back as bytes
    lines = dump.split(b"\n")
    del dump
    lines.sort()
    memory = ox.Store()
    memory.load(b"\n".join(lines), format=ox.RdfFormat.N_QUADS)
    return memory


def _open_for(location: str, mode: str) -> ox.Store:
    """Open the store the way a worker of ``mode`` needs it."""
    if mode == "write":
        return ox.Store(location)
    disk = open_read_only(location)
    if mode == "memory":
        return memory_copy(disk)
    return disk


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent goes (no orphaned queries)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def worker_main(
    conn: Connection,
    location: str,
    mode: str,
    generation: int,
    prefixes: dict[str, str],
    allowlist: tuple[str, ...] = (),
) -> None:
    """The loop of a worker process: open the store, then answer tasks until told to stop.

    Tasks run on a query thread (:class:`QueryRunner`): sandboxed, with a deep stack.
    Without an allow-list the worker's own thread is sandboxed as well.
    """
    _die_with_parent()
    # Ctrl-C in a terminal reaches the whole process group: the parent decides
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        runner = QueryRunner(1, allowlist=allowlist)
        if not allowlist:
            deny_network()
        store = _open_for(location, mode)
    except Exception as exc:  # report any failure to open instead of dying silently
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", generation))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        reply: tuple[Any, ...] = ("error", "StoreError", "the store cannot be read")
        for attempt in (1, 2):
            try:
                if mode == "disk" and (task.generation != generation or attempt == 2):
                    store = open_read_only(location)
                    generation = task.generation
                reply = ("ok", runner.submit(store, task, prefixes).result())
            except SyntaxError as exc:
                reply = ("syntax", str(exc))
            except MandategraphError as exc:
                reply = ("error", type(exc).__name__, exc.message)
            except (OSError, RuntimeError) as exc:
                # a compaction by the writer may remove files this read-only view
                # still expects: reopen once and retry
                if mode == "disk" and attempt == 1:
                    continue
                reply = ("error", "StoreError", f"cannot read the store: {exc}")
            except Exception as exc:  # an engine error must reach the caller as a message
                reply = ("error", "MandategraphError", f"{type(exc).__name__}: {exc}")
            break
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


@dataclass
class Worker:
    process: Any
    conn: Connection
    generation: int
    mode: str
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def launch(
        cls,
        context: Any,
        location: str,
        mode: str,
        generation: int,
        *,
        prefixes: dict[str, str],
        allowlist: tuple[str, ...],
    ) -> Worker:
        """Start a worker process of ``mode`` (``disk``, ``memory`` or ``write``) on the
        store at ``location``; :meth:`await_ready` waits until it has opened it."""
        parent, child = context.Pipe()
        process = context.Process(
            target=worker_main,
            args=(child, location, mode, generation, prefixes, allowlist),
            name=f"mandategraph-{mode}-worker",
            daemon=True,
        )
        process.start()
        child.close()
        return cls(process, parent, generation, mode)

    def await_ready(self, location: str) -> None:
        """Wait until the worker has opened the store (killing it if it cannot).

        Raises:
            StoreError: it failed, stopped or took over :data:`STARTUP_TIMEOUT`.
        """
        if not self.conn.poll(STARTUP_TIMEOUT):
            self.kill()
            raise StoreError(f"a query worker took over {STARTUP_TIMEOUT:.0f} s to open the store")
        try:
            message = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise StoreError("a query worker stopped while opening the store") from exc
        if message[0] != "ready":
            self.kill()
            raise StoreError(f"a query worker cannot open {location}: {message[1]}")

    def update(self, task: Task, timeout: float) -> tuple[Any, ...]:
        """Send an update to this writer and wait at most ``timeout`` s for its reply
        (see :func:`unwrap`); the writer is killed if it does not answer.

        Raises:
            QueryTimeoutError: past the timeout (nothing was written).
            StoreError: the writer stopped.
        """
        try:
            self.conn.send(task)
            if not self.conn.poll(timeout):
                self.kill()
                raise QueryTimeoutError(
                    f"the update ran longer than {timeout:g} s and was stopped; nothing was written"
                )
            reply: tuple[Any, ...] = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise StoreError("the writer process stopped unexpectedly") from exc
        return reply

    def alive(self) -> bool:
        return bool(self.process.is_alive())

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.join(timeout=5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        with contextlib.suppress(Exception):
            self.process.join(timeout=2)
        if self.alive():
            self.kill()
        with contextlib.suppress(Exception):
            self.conn.close()


#: Seconds after which a running task counts as long (see ``Executor._run_in_worker``):
#: well above a cached or indexed answer (a few ms), early enough that a stream of
#: costly queries spends little CPU at full priority.
LONG_AFTER = 0.05


def set_priority(pid: int, niceness: int) -> bool:
    """Renice every thread of process ``pid`` (Linux niceness is per thread).

    Returns whether every thread took it: raising a priority back needs privileges
    (``CAP_SYS_NICE``) that a server may not have.
    """
    try:
        threads = [int(name) for name in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        threads = [pid]
    done = True
    for thread in threads:
        try:
            os.setpriority(os.PRIO_PROCESS, thread, niceness)
        except OSError:
            done = False
    return done


#: The allocators ``auto`` looks for, in order (Debian's libjemalloc2, libmimalloc2.0).
ALLOCATOR_CANDIDATES = ("libjemalloc.so.2", "libmimalloc.so.2")
_LIBRARY_DIRS = (
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/usr/lib",
)

_forkserver_lock = threading.Lock()


def resolve_allocator(choice: str | None) -> str | None:
    """The shared library to preload into query workers, or ``None`` for malloc.

    ``auto`` (or ``None``) takes the first of :data:`ALLOCATOR_CANDIDATES` found in the
    usual library folders; ``system`` takes none; anything else is a path that must
    exist.

    Raises:
        BadParameterError: a path that is not a file.
    """

    wanted = (choice or "auto").strip()
    if wanted.lower() == "auto":
        if not sys.platform.startswith("linux"):
            return None
        for name in ALLOCATOR_CANDIDATES:
            for folder in _LIBRARY_DIRS:
                candidate = Path(folder) / name
                if candidate.is_file():
                    return str(candidate)
        return None
    if wanted.lower() == "system":
        return None
    if not Path(wanted).is_file():
        raise BadParameterError(
            f"worker allocator {wanted!r} is not a file (use auto, system or a library path)"
        )
    return wanted


def worker_context(allocator: str | None = None) -> Any:
    """The multiprocessing context: forkserver (preloading this module), else spawn.

    With ``allocator``, the forkserver, if this call starts it, runs with that library
    in ``LD_PRELOAD``, so every worker forked from it allocates through it. A
    forkserver already running keeps what it has (there is one per process).
    """
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(["mandategraph.graph.sparql.workers"])
    if allocator:
        from multiprocessing import forkserver

        with _forkserver_lock:
            before = os.environ.get("LD_PRELOAD")
            os.environ["LD_PRELOAD"] = f"{allocator} {before}" if before else allocator
            try:
                forkserver.ensure_running()
            finally:
                if before is None:
                    del os.environ["LD_PRELOAD"]
                else:
                    os.environ["LD_PRELOAD"] = before
    return context


def store_signature(path: str | Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when a write commits: (name, size, mtime) of each file of the store.

    RocksDB's info logs (``LOG*``) are left out: opening a store read-only writes them.
    """
    entries = []
    try:
        with os.scandir(path) as found:
            for entry in found:
                if entry.name.startswith("LOG"):
                    continue
                with contextlib.suppress(OSError):
                    info = entry.stat()
                    entries.append((entry.name, info.st_size, info.st_mtime_ns))
    except OSError:
        return ()
    return tuple(sorted(entries))


_ERRORS: dict[str, type[MandategraphError]] = {
    name: cls
    for name, cls in vars(errors).items()
    if isinstance(cls, type) and issubclass(cls, MandategraphError)
}


def unwrap(reply: tuple[Any, ...], text: str) -> QueryResult:
    """The result a worker's reply carries, or the error it stands for.

    Raises:
        QuerySyntaxError: the worker's engine could not parse ``text``.
        MandategraphError: the error the worker reported, by class name.
    """
    status = reply[0]
    if status == "ok":
        result: QueryResult = reply[1]
        return result
    if status == "syntax":
        raise syntax_error(SyntaxError(reply[1]), text)
    error_class = _ERRORS.get(reply[1], MandategraphError)
    raise error_class(reply[2])
