"""Threads that run SPARQL with no network and a deep stack.

Oxigraph's engine makes HTTP requests itself for ``SERVICE`` and ``LOAD``, and its
Python API has no switch to turn that off and no parsed algebra to inspect first
(pyoxigraph 0.5). Deciding from the query text with a lexer of our own failed: the
lexer read ``SERVICEex:x`` as one prefixed name where the engine read ``SERVICE
ex:x`` (server-side request forgery). So the decision is not taken from the text at
all: the threads that run user queries and updates carry a **seccomp filter** that
makes ``socket(AF_INET | AF_INET6, ...)`` fail with ``EACCES``. Whatever the engine
parses, it cannot open a connection; a ``SERVICE`` or ``LOAD`` fails with
:class:`PermissionError` (``SILENT`` ones give no rows), and local queries, the
store's files and ``AF_UNIX`` pipes to the parent process are untouched.

A seccomp filter applies to the thread that loads it and to the threads it starts,
never to the rest of the process, so the HTTP server keeps its sockets. It cannot be
removed: a sandboxed thread stays sandboxed.

The same threads get a large stack (:data:`STACK_BYTES`): the engine's parser and
evaluator recurse once per nesting level and per ``UNION`` or ``||`` of a chain,
and on a default 8 MB stack about 5,000 levels killed the process. Only touched
pages of a stack use memory.
"""

from __future__ import annotations

import errno
import queue
import socket
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from mandategraph.errors import StoreError

T = TypeVar("T")

#: Stack of a query thread: deep enough for the nesting
#: :mod:`mandategraph.graph.sparql.guard` admits.
STACK_BYTES = 256 * 1024 * 1024

_stack_lock = threading.Lock()
_local = threading.local()


def available() -> bool:
    """Whether this machine can sandbox threads (Linux with libseccomp2)."""
    try:
        import pyseccomp  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def deny_network() -> None:
    """Forbid the calling thread (and threads it starts) to open IPv4/IPv6 sockets.

    Idempotent per thread.

    Raises:
        StoreError: seccomp is not available here, so queries cannot be run safely.
    """
    if getattr(_local, "sandboxed", False):
        return
    try:
        import pyseccomp as seccomp

        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        for family in (socket.AF_INET, socket.AF_INET6):
            rules.add_rule(
                seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, family)
            )
        rules.load()
    except Exception as exc:  # ImportError, OSError from libseccomp, RuntimeError
        raise StoreError(
            "cannot sandbox the query threads (needs Linux and Debian's libseccomp2): "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    _local.sandboxed = True


def is_sandboxed() -> bool:
    """Whether the calling thread runs under :func:`deny_network`."""
    return bool(getattr(_local, "sandboxed", False))


def _with_stack(create: Callable[[], T]) -> T:
    """Call ``create`` (which starts threads) with :data:`STACK_BYTES` as stack size."""
    with _stack_lock:
        before = threading.stack_size()
        threading.stack_size(STACK_BYTES)
        try:
            return create()
        finally:
            threading.stack_size(before)


_Task = tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]


class QueryThreads:
    """A fixed pool of deep-stack threads, sandboxed (no network) unless ``network``.

    Every thread is started at once with :data:`STACK_BYTES` of stack and loads the
    filter before it takes any task, so no task ever runs on an unsandboxed thread
    (:class:`~concurrent.futures.ThreadPoolExecutor` starts its threads lazily, at
    whatever stack size is current then, hence this small pool of our own).

    Raises:
        StoreError: a thread could not load the filter.
    """

    def __init__(self, workers: int, *, network: bool = False, name: str = "sparql") -> None:
        self.network = network
        self._tasks: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        started: queue.SimpleQueue[BaseException | None] = queue.SimpleQueue()
        for index in range(max(1, workers)):
            thread = threading.Thread(
                target=self._loop, args=(started,), name=f"{name}-{index}", daemon=True
            )
            _with_stack(thread.start)
            self._threads.append(thread)
        failures = [started.get() for _ in self._threads]
        failure = next((f for f in failures if f is not None), None)
        if failure is not None:
            self.shutdown()
            raise failure

    def _loop(self, started: queue.SimpleQueue[BaseException | None]) -> None:
        try:
            if not self.network:
                deny_network()
        except BaseException as exc:
            started.put(exc)
            return
        started.put(None)
        while True:
            item = self._tasks.get()
            if item is None:
                return
            future, func, args = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(func(*args))
            except BaseException as exc:  # handed to whoever waits on the future
                # engine objects (query results) are bound to this thread: free the
                # frames' locals here rather than wherever the traceback is dropped
                _clear_frames(exc)
                future.set_exception(exc)

    def submit(self, func: Callable[..., T], *args: Any) -> Future[T]:
        """Run ``func(*args)`` on one of the pool's threads."""
        future: Future[T] = Future()
        self._tasks.put((future, func, args))
        return future

    def shutdown(self) -> None:
        """Stop the threads once their current task is done (queued tasks still run)."""
        for _ in self._threads:
            self._tasks.put(None)


def _clear_frames(error: BaseException) -> None:
    """Drop the local variables of every frame of ``error`` and of its causes."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        pending.extend((current.__cause__, current.__context__))


def run_isolated(func: Callable[[], T], *, network: bool = False) -> T:
    """Run ``func`` on a new deep-stack thread, without network unless ``network``.

    For one-off callers such as the command line; returns what ``func`` returns and
    raises what it raises.
    """
    pool = QueryThreads(1, network=network, name="sparql-once")
    try:
        return pool.submit(func).result()
    finally:
        pool.shutdown()
