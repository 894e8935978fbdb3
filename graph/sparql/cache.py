"""The result cache: serialized results in an LRU, keyed by what made them.

Results are keyed by (query, dataset, base, formats, row cap, generation); a new
generation of the store makes old entries unreachable, and they age out of the LRU
(at most ``size`` entries and :data:`CACHE_MAX_BYTES`; a result over
:data:`CACHE_MAX_BODY` is not kept, nor one cheaper than :data:`CACHE_MIN_CPU`). The
executor stores only results read at the current generation.

Beside the results, the same cache keeps a few values derived from the store (a
network and its analytics, a drawn chart) under the same kind of key, with the
generation in it (:meth:`ResultCache.remember`): they are forgotten with the results.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any, TypeVar

from mandategraph.graph.sparql.task import QueryResult, Task

#: Results bigger than this are never cached.
CACHE_MAX_BODY = 64 * 1024 * 1024

#: The cache drops its oldest results to stay under this many bytes.
CACHE_MAX_BYTES = 256 * 1024 * 1024

#: Results that cost less CPU than this are not cached: answering them again is as
#: cheap as a cache hit, and a stream of cheap distinct queries (ASKs with a fresh
#: constant each) would otherwise push the costly results out of the LRU.
CACHE_MIN_CPU = 0.005

#: Derived values (networks, pictures) kept at most: each may weigh tens of megabytes.
DERIVED_SIZE = 16

T = TypeVar("T")


class ResultCache:
    """An LRU of serialized results, bounded in entries and in bytes; thread-safe."""

    def __init__(self, size: int) -> None:
        """Create a cache of at most ``size`` results."""
        self.size = size
        self._entries: OrderedDict[tuple[Any, ...], QueryResult] = OrderedDict()
        self._bytes = 0
        self._derived: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(task: Task, generation: int) -> tuple[Any, ...]:
        """What a result depends on: the task's text, dataset, formats, cap, and the
        generation of the store it was read at."""
        return (task.text, task.base_iri, task.default_graphs, task.named_graphs,
                task.result_format, task.graph_format, task.max_rows, generation)

    def get(self, key: tuple[Any, ...]) -> QueryResult | None:
        """The result kept under ``key``, marked ``cached``, or ``None``."""
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                return None
            self._entries.move_to_end(key)
        return replace(hit, cached=True)

    def put(self, key: tuple[Any, ...], result: QueryResult) -> None:
        """Keep ``result`` unless too big or too cheap; drop the oldest beyond the bounds."""
        if len(result.body) > CACHE_MAX_BODY or result.cpu_seconds < CACHE_MIN_CPU:
            return
        with self._lock:
            self._entries[key] = result
            self._bytes += len(result.body)
            while len(self._entries) > self.size or self._bytes > CACHE_MAX_BYTES:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def remember(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """The value kept under ``key``, else ``compute()``, kept (the oldest of more
        than :data:`DERIVED_SIZE` dropped). ``key`` must hold the store's generation.

        Two threads asking for a missing key at once may both compute it; the value is
        then kept once.
        """
        with self._lock:
            if key in self._derived:
                self._derived.move_to_end(key)
                return self._derived[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._derived[key] = value
            while len(self._derived) > DERIVED_SIZE:
                self._derived.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every result and derived value (after an update)."""
        with self._lock:
            self._entries.clear()
            self._derived.clear()
            self._bytes = 0


class DerivedValues:
    """Part of the executors: values derived from the store (a network and its
    analytics, a drawn chart) kept in their result cache per generation of the store."""

    cache_size: int
    _cache: ResultCache

    def generation(self) -> Hashable | None:
        """What identifies the store's current state (``None``: unknown, keep nothing)."""
        return None

    def derived(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, kept per ``key`` and :meth:`generation` beside the results (an
        update forgets it with them); computed every time when the generation is
        unknown (a ``memory`` store) or the cache is off (``cache_size`` 0)."""
        generation = self.generation() if self.cache_size else None
        if generation is None:
            return compute()
        return self._cache.remember(("derived", *key, generation), compute)
