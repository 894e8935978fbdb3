"""Queries and updates on a SPARQL server, with the executor's timeout, cap, cache and
safety rules.

On a server the engine is another process (:mod:`mandategraph.graph.remote_store`), so
there are no worker processes to kill and no sandboxed thread to run the query in:
a thread with no network could not reach the server either. What stays:

* **Safety rules, read from the text.** The server runs ``SERVICE`` and ``LOAD`` itself,
  where no seccomp filter of ours applies, so :func:`check_remote_text` refuses, before
  anything is sent: ``LOAD``; any ``SERVICE`` unless every one is allow-listed (then the
  text must parse with rdflib's grammar, which names each endpoint); Virtuoso's
  extensions that reach out or leave SPARQL (``DEFINE`` pragmas, ``bif:`` and ``sql:``
  functions). The scan errs on the side of refusing: a bare word that merely starts
  with ``SERVICE`` or ``LOAD`` (the trick ``SERVICEex:x``) counts, escapes are decoded
  first, and strings, IRIs and comments are skipped. Size and nesting:
  :func:`~mandategraph.graph.sparql.guard.check_shape`.
* **Timeout.** Sent to the server where it takes one per request (Virtuoso's
  ``timeout``; an answer it cut short is a timeout, never a result); the Oxigraph
  server takes one at start (``oxigraph serve --timeout-s``). The client stops waiting
  a few seconds after the timeout in any case.
* **Row cap.** A top-level ``LIMIT max_rows + 1`` is sent, and the answer is cut and
  flagged by :mod:`mandategraph.graph.sparql.serialize` as for the embedded store.
* **Cache.** Keyed by the store's *generation*, a token on the server that every write
  through mandategraph changes (one small query per request; writes by other tools
  are not seen, see the README).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Any

from mandategraph.errors import ForbiddenError
from mandategraph.graph.remote_store import STALE_UPDATE, RemoteStore
from mandategraph.graph.sparql.cache import ResultCache
from mandategraph.graph.sparql.executor import Executor
from mandategraph.graph.sparql.guard import check_graph_names, check_shape, federates
from mandategraph.graph.sparql.serialize import _serialize
from mandategraph.graph.sparql.task import DEFAULT, Default, QueryResult, Task
from mandategraph.graph.sparql.text import add_using, limit_select, tokens, unescape_codepoints
from mandategraph.ontology.namespaces import PREFIXES

#: Prefixes of names Virtuoso evaluates as SQL or built-in functions (some reach the
#: network or the file system).
_VIRTUOSO_NAMESPACES = ("bif:", "sql:")


def _reaching_words(text: str) -> set[str]:
    """What in a text may make a server reach out or leave SPARQL, upper-cased:
    ``SERVICE``, ``LOAD``, ``DEFINE``, ``BIF:``/``SQL:`` names."""
    found: set[str] = set()
    for variant in {text, unescape_codepoints(text)}:
        for token in tokens(variant):
            if token.kind == "iri":
                inner = token.text[1:-1].lower()
                if inner.startswith(_VIRTUOSO_NAMESPACES):
                    found.add(inner[:4].upper())
                continue
            if token.kind != "name":
                continue
            word = token.text.upper()
            for keyword in ("SERVICE", "LOAD"):
                if word.startswith(keyword):
                    found.add(keyword)
            if word == "DEFINE":
                found.add("DEFINE")
            if word.lower().startswith(_VIRTUOSO_NAMESPACES):
                found.add(word[:4])
    return found


def check_remote_text(
    text: str,
    *,
    kind: str = "query",
    allowlist: tuple[str, ...] | list[str] = (),
    base_iri: str | None = None,
    max_bytes: int | None = None,
) -> None:
    """Refuse a query or update a SPARQL server must not run for us (see the module).

    Raises:
        ForbiddenError: ``LOAD``, a ``SERVICE`` outside the allow-list (or one that
            rdflib cannot read), a Virtuoso pragma or SQL function.
        PayloadTooLargeError, BadParameterError: too long, too deep.
    """
    check_shape(text, max_bytes=max_bytes)
    words = _reaching_words(text)
    if not words:
        return
    if "LOAD" in words:
        raise ForbiddenError("LOAD is not allowed: this server never fetches URLs")
    if "DEFINE" in words or words & {"BIF:", "SQL:"}:
        raise ForbiddenError(
            "Virtuoso's DEFINE pragmas and bif:/sql: functions are not allowed "
            "(they can reach the network or leave SPARQL)"
        )
    # SERVICE: only where every endpoint is allow-listed, as rdflib's grammar reads them
    if not allowlist:
        raise ForbiddenError(
            "this server does not reach the network for a query: SERVICE is allowed only "
            "to the endpoints of MANDATEGRAPH_SERVICE_ALLOWLIST, and LOAD never"
        )
    task = Task(kind=kind, text=text, base_iri=base_iri)
    if not federates(task, tuple(allowlist), PREFIXES):
        raise ForbiddenError(
            "this query mentions SERVICE but its endpoints cannot be read: refused"
        )


class RemoteExecutor(Executor):
    """The executor of a :class:`~mandategraph.graph.remote_store.RemoteStore`."""

    def __init__(self, store: RemoteStore, **options: Any) -> None:
        """Create an executor that sends every task to ``store``'s server.

        ``options``: those of :class:`~mandategraph.graph.sparql.executor.Executor`;
        the process options (``workers``, ``serve_from_memory``, ``allocator``...) have
        no effect here.
        """
        options.pop("local_store", None)
        options.pop("local_writer", None)
        options["serve_from_memory"] = False
        options["allocator"] = None
        super().__init__(store.location, **options)
        self.store = store
        # a cache on the server's side: the generation token says when it is stale
        self.cache_size = max(0, options.get("cache_size", 0))
        self._cache = ResultCache(self.cache_size)
        self._write_lock = threading.Lock()

    @classmethod
    def for_remote(cls, store: RemoteStore, **options: Any) -> RemoteExecutor:
        """The executor of ``store`` (``options`` as for the constructor)."""
        return cls(store, **options)

    def start(self) -> None:
        """Check that the server answers.

        Raises:
            StoreError: it does not.
        """
        self.store.select_raw("ASK { }", dataset=False)

    def close(self) -> None:
        """Nothing to stop: the store's connections belong to its owner."""
        self._closed = True

    def generation(self) -> Hashable | None:
        """The server's generation token (every write through mandategraph changes it)."""
        return self.store.generation()

    def _run(self, task: Task, *, timeout: float) -> QueryResult:
        started = time.monotonic()
        check_remote_text(task.text, allowlist=self.service_allowlist,
                          base_iri=task.base_iri, max_bytes=task.max_bytes)
        key = None
        if self.cache_size:
            key = ResultCache.key(task, self.store.generation())
            hit = self._cache.get(key)
            if hit is not None:
                return hit
        text = task.text
        if task.max_rows is not None:
            # the server sends at most one row more than the cap; the serializer cuts
            capped = limit_select(text, task.max_rows)
            if capped is not None:
                text = capped[0]
        remaining = max(timeout - (time.monotonic() - started), 0.001)
        results = self.store.query(
            text,
            default_graphs=list(task.default_graphs) if task.default_graphs else None,
            named_graphs=list(task.named_graphs) if task.named_graphs else None,
            timeout=remaining,
        )
        result = _serialize(results, task)
        # what a hit saves is the server's time, not our CPU
        result.cpu_seconds = time.monotonic() - started
        if key is not None:
            self._cache.put(key, result)
        return result

    def update(
        self,
        text: str,
        *,
        base_iri: str | None = None,
        using: list[str] | None = None,
        using_named: list[str] | None = None,
        timeout: float | Default = DEFAULT,
    ) -> None:
        """Run a SPARQL Update on the server, then mark the inferred graph stale and
        record a new generation.

        Raises:
            ForbiddenError: ``LOAD``, a ``SERVICE`` outside the allow-list.
            QuerySyntaxError: the server refuses the update.
            QueryTimeoutError: the server did not answer in time (the update may still
                be applied: there is no process to kill).
            StoreError: the server cannot be reached or refused the write.
        """
        check_graph_names("using-graph-uri", using)
        check_graph_names("using-named-graph-uri", using_named)
        check_remote_text(text, kind="update", allowlist=self.service_allowlist,
                          base_iri=base_iri, max_bytes=self.max_query_bytes)
        text = add_using(text, using=list(using or ()), using_named=list(using_named or ()))
        if base_iri:
            text = f"BASE <{base_iri}>\n{text}"
        limit = self.timeout if timeout is DEFAULT else timeout
        with self._write_lock:
            # an update may change what the reasoner saw: graph/inferred is stale
            self.store.update_raw(STALE_UPDATE)
            self.store.update_raw(text, timeout=limit)
            self.store.touched()
        self._cache.clear()
