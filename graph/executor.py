"""Run SPARQL queries so that a timeout really stops the work.

pyoxigraph has no timeout and no cancel, and a running query ignores signals, so
queries on an on-disk store run in a small pool of **worker processes**, each holding
``pyoxigraph.Store.read_only(path)`` (read-only opens live beside the one writer). The
caller waits for a worker's answer at most ``timeout`` seconds; past that the worker is
killed (SIGKILL frees its CPU at once), a replacement is started in the background and
:class:`~mandatemandategraph.errors.QueryTimeoutError` is raised. The other workers keep serving
meanwhile. Workers are started by ``forkserver`` (``spawn`` where there is none), which
imports this module once so a replacement is ready in tens of milliseconds.

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
* **Allocator.** Oxigraph's query evaluation allocates heavily; with jemalloc
  instead of glibc's malloc the canned queries ran 0-7 % faster in the workers at 1M
  triples (10-25 % on a store loaded in file order; ``benchmarks/RESULTS.md``). The
  forkserver that forks the workers is started with the chosen library in
  ``LD_PRELOAD`` (``allocator``: ``auto`` picks Debian's ``libjemalloc2`` or
  ``libmimalloc2.0`` when installed, ``system`` keeps malloc). Only the workers get
  it, never the application process.
* **A ``memory`` store** lives only in the application process, so its queries run
  in-process on a thread pool: the timeout answers the caller, but the query runs on
  to its end (documented limit; ``memory`` is for tests and demos).
* **Updates** run on the single writer: in-process when the caller already holds the
  store read-write (or it is ``memory``); otherwise in one *writer process* holding
  the only read-write open, which is killed on timeout (an Oxigraph update is one
  transaction, so a killed update writes nothing).
* **Row cap.** A SELECT asked as JSON, XML or CSV gets a top-level ``LIMIT`` of
  ``max_rows + 1`` (found by a lexical scan; a smaller ``LIMIT`` of its own is kept) and
  the engine writes the asked format in one pass; a count of a byte pattern that bounds
  the solutions from above (``},{`` in JSON, ``<result>`` in XML, lines in CSV) then
  shows whether the result may have reached the cap. Only then, and for TSV, is the
  result written as TSV (one solution per line) into a sink that stops after
  ``max_rows + 1`` lines, cut and flagged ``truncated``, and converted losslessly to
  the asked format. CONSTRUCT/DESCRIBE are capped through N-Triples the same way.
  Without a cap the engine writes the asked format directly.
* **Cache** (``cache_size`` > 0): serialized results keyed by (query, dataset, base,
  formats, row cap, generation); a new generation makes old entries unreachable, and
  they age out of the LRU (at most ``cache_size`` entries and 256 MB; a result over
  64 MB is not kept). Only results read at the current generation are stored.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import re
import signal
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from mandategraph import errors
from mandategraph.errors import (
    BadParameterError,
    ForbiddenError,
    MandategraphError,
    PayloadTooLargeError,
    QueryTimeoutError,
    StoreError,
    UnknownFormatError,
)
from mandategraph.graph.results import GRAPH_FORMATS, RESULT_FORMATS, Table, to_table
from mandategraph.graph.sandbox import QueryThreads, deny_network, is_sandboxed
from mandategraph.graph.store import (
    MEMORY,
    Store,
    open_read_only,
    syntax_error,
    with_values,
    write_stale_marker,
)
from mandategraph.ontology.namespaces import PREFIXES

log = logging.getLogger(__name__)

#: The pseudo-format asking for a :class:`~mandategraph.graph.results.Table` instead of bytes.
TABLE = "table"

#: Seconds a worker may take to open (or load into memory) the store.
STARTUP_TIMEOUT = 600.0

#: Results bigger than this are never cached.
CACHE_MAX_BODY = 64 * 1024 * 1024

#: The cache drops its oldest results to stay under this many bytes.
CACHE_MAX_BYTES = 256 * 1024 * 1024

#: Results that cost less CPU than this are not cached: answering them again is as
#: cheap as a cache hit, and a stream of cheap distinct queries (ASKs with a fresh
#: constant each) would otherwise push the costly results out of the LRU.
CACHE_MIN_CPU = 0.005


@dataclass
class QueryResult:
    """What a query returned, serialized.

    Attributes:
        body: the serialized results (empty when ``table`` is set).
        media_type: the media type of ``body``.
        form: ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE).
        truncated: the result had more than ``max_rows`` rows or triples and was cut.
        rows: solutions or triples written (``None`` for ASK).
        table: the result as plain strings, when the ``table`` format was asked.
        cached: the answer came from the result cache.
        cpu_seconds: CPU time the query thread spent on it (what a cache hit saves).
    """

    body: bytes
    media_type: str
    form: str
    truncated: bool = False
    rows: int | None = None
    table: Table | None = None
    cached: bool = False
    cpu_seconds: float = 0.0


@dataclass(frozen=True)
class _Task:
    """One unit of work sent to a worker (picklable)."""

    kind: str  # "query" or "update"
    text: str
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    result_format: str | None = "json"
    graph_format: str | None = "ttl"
    max_rows: int | None = None
    generation: int = 0
    using: tuple[str, ...] = ()
    using_named: tuple[str, ...] = ()
    max_bytes: int | None = None


# -- scanning SPARQL text ----------------------------------------------------------
#
# pyoxigraph exposes no query algebra, so the few things the executor and the HTTP
# layer must know about a query (its FROM clauses, SERVICE endpoints, LOAD, USING) come
# from a lexical scan that skips strings, IRIs and comments the way SPARQL's grammar
# does. It errs on the side of finding keywords, never of missing them.

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}
                |'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
                |"(?:[^"\\\r\n]|\\.)*"
                |'(?:[^'\\\r\n]|\\.)*')
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<var>[?$]\w+)
    | (?P<name>(?:[^\W\d][\w.-]*)?:(?:[\w.:%-]|\\.)*|[^\W\d]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    """A lexical token of a SPARQL text.

    Attributes:
        kind: ``iri``, ``string``, ``lang``, ``var``, ``name`` (keyword or prefixed
            name) or ``other`` (punctuation, digits).
        text: the token as written (a prefixed name without its trailing dots).
        start: offset of its first character in the text.
        depth: how many ``{`` enclose it.
    """

    kind: str
    text: str
    start: int
    depth: int

    @property
    def keyword(self) -> str | None:
        """The upper-cased keyword, if this is a bare word (no ``:``)."""
        if self.kind == "name" and ":" not in self.text:
            return self.text.upper()
        return None


def tokens(text: str) -> list[Token]:
    """The tokens of a SPARQL query or update, without spaces and comments."""
    found: list[Token] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        value = match.group()
        if kind in ("ws", "comment"):
            continue
        if kind == "name" and ":" in value:
            value = value.rstrip(".")  # "mg:Activity." ends a triple, the dot is not the name's
        if value == "}":
            depth = max(depth - 1, 0)
        found.append(Token(kind, value, match.start(), depth))
        if value == "{":
            depth += 1
    return found


def unescape_codepoints(text: str) -> str:
    r"""Replace ``\uXXXX`` / ``\UXXXXXXXX`` escapes, which SPARQL allows anywhere."""
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def keywords(text: str) -> set[str]:
    """The keywords of a SPARQL text (upper-cased), escapes decoded or not."""
    found = {t.keyword for t in tokens(text) if t.keyword}
    unescaped = unescape_codepoints(text)
    if unescaped != text:
        found |= {t.keyword for t in tokens(unescaped) if t.keyword}
    return found  # type: ignore[return-value]


def names_dataset(text: str) -> bool:
    """Whether a query has its own ``FROM`` or ``FROM NAMED`` clause."""
    return "from" in text.lower() and "FROM" in keywords(text)


def add_using(text: str, *, using: list[str], using_named: list[str]) -> str:
    """Give each ``DELETE/INSERT ... WHERE`` of an update the protocol's dataset.

    Implements ``using-graph-uri`` / ``using-named-graph-uri`` (pyoxigraph takes no
    dataset for updates) by writing ``USING <g>`` / ``USING NAMED <g>`` before the
    ``WHERE`` of each operation. ``DELETE WHERE`` shorthands are left as they are.

    Raises:
        BadParameterError: the update has its own ``USING`` or ``WITH`` (the
            protocol forbids both at once).
    """

    if not using and not using_named:
        return text
    found = tokens(text)
    if any(t.depth == 0 and t.keyword in ("USING", "WITH") for t in found):
        raise BadParameterError(
            "an update with USING or WITH cannot also take using-graph-uri or "
            "using-named-graph-uri"
        )
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named])
    cuts = [
        t.start
        for i, t in enumerate(found)
        if t.depth == 0 and t.keyword == "WHERE" and not (i and found[i - 1].keyword == "DELETE")
    ]
    for start in reversed(cuts):
        text = f"{text[:start]}{clause} {text[start:]}"
    return text


_LIMIT_NUMBER = re.compile(r"LIMIT\s+(\d+)", re.IGNORECASE)

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def limit_select(text: str, max_rows: int) -> tuple[str, bool] | None:
    """Give a SELECT query a top-level ``LIMIT`` of at most ``max_rows + 1``.

    Returns the new text and whether its result may still exceed ``max_rows`` (not
    when the query's own ``LIMIT`` is already within the cap), or ``None`` when the
    text is not a SELECT this scan understands (the caller then caps the slow way).
    The ``LIMIT`` goes where the grammar wants it: in place of a larger top-level one,
    else after the solution modifiers, before a trailing ``VALUES`` clause.
    """
    found = tokens(text)
    if next((t.keyword for t in found if t.depth == 0 and t.keyword in _FORMS), None) != "SELECT":
        return None
    top = [t for t in found if t.depth == 0]
    limit = next((t for t in top if t.keyword == "LIMIT"), None)
    if limit is not None:
        number = _LIMIT_NUMBER.match(text, limit.start)
        if number is None:
            return None
        if int(number.group(1)) <= max_rows:
            return text, False
        start, end = number.span(1)
        return f"{text[:start]}{max_rows + 1}{text[end:]}", True
    values = [t for t in top if t.keyword == "VALUES"]
    cut = values[-1].start if values else len(text)
    return f"{text[:cut]}\nLIMIT {max_rows + 1}\n{text[cut:]}", True


# -- limits and federation, decided inside the worker --------------------------------
#
# Nothing here runs on the web server's event loop: the executor hands the raw text
# to a worker, which checks it under the same timeout as the query itself.

#: Deepest nesting of ``{``, ``(`` and ``[`` a query may have: the engine's parser
#: recurses once per level (about 5,000 levels overflowed an 8 MB stack).
MAX_NESTING = 256

#: Most ``UNION``, ``||`` and ``&&`` one query may hold: the engine builds such chains
#: as left-deep trees and recurses once per link (10,000 overflowed an 8 MB stack;
#: 30,000 passed on the 256 MB stack of a query thread).
MAX_CHAIN = 10_000

_SHAPE = re.compile(
    r"""
      "{3}(?:[^"\\]|\\.|"(?!""))*"{3}
    | '{3}(?:[^'\\]|\\.|'(?!''))*'{3}
    | "(?:[^"\\\r\n]|\\.)*"
    | '(?:[^'\\\r\n]|\\.)*'
    | \#[^\r\n]*
    | <[^<>"{}|^`\\\x00-\x20]*>
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<chain>\|\||&&|\bUNION\b)
    """,
    re.VERBOSE | re.IGNORECASE,
)


def check_shape(text: str, *, max_bytes: int | None = None) -> None:
    """Refuse a query or update too large or too deep for the engine to parse safely.

    Strings, IRIs and comments are skipped; an unbalanced text is left to the parser.

    Raises:
        PayloadTooLargeError: the text is longer than ``max_bytes`` (UTF-8).
        BadParameterError: it nests deeper than :data:`MAX_NESTING` or chains more than
            :data:`MAX_CHAIN` operators.
    """
    if max_bytes is not None:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise PayloadTooLargeError(
                f"the query is {size:,} bytes; the limit is {max_bytes:,} "
                "(MANDATEGRAPH_MAX_QUERY_BYTES)"
            )
    depth = deepest = chain = 0
    for match in _SHAPE.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    raise BadParameterError(
                        f"the query nests more than {MAX_NESTING} levels of brackets; "
                        f"the limit is {MAX_NESTING}"
                    )
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "chain":
            chain += 1
            if chain > MAX_CHAIN:
                raise BadParameterError(
                    f"the query chains more than {MAX_CHAIN:,} UNION, || or && operators; "
                    f"the limit is {MAX_CHAIN:,}"
                )


def federates(task: _Task, allowlist: tuple[str, ...], prefixes: Mapping[str, str]) -> bool:
    """Whether ``task`` may run with network access, as rdflib's SPARQL grammar reads it.

    True when the text has ``SERVICE`` clauses, all to allow-listed endpoints, and no
    ``LOAD``. This reading only adds refusals with a clear message and routes
    allow-listed federation to a thread with network; it is not the safeguard.
    Every other task runs on a sandboxed thread, where the engine cannot open a
    socket whatever it parses, so a text that rdflib cannot parse, or reads
    differently from the engine, gains nothing.

    Raises:
        ForbiddenError: a ``LOAD``; a ``SERVICE`` to an endpoint outside the
            allow-list, or to a variable.
    """
    from rdflib.plugins.sparql import algebra, parser
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    try:
        if task.kind == "update":
            tree: Any = list(
                algebra.translateUpdate(
                    parser.parseUpdate(task.text), base=task.base_iri, initNs=dict(prefixes)
                ).algebra
            )
        else:
            tree = algebra.translateQuery(
                parser.parseQuery(task.text), base=task.base_iri, initNs=dict(prefixes)
            ).algebra
    except Exception:  # rdflib's parser disagrees: run it sandboxed, the engine decides
        return False
    services: list[Any] = []
    loads = False
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                services.append(node.get("term"))
            elif node.name == "Load":
                loads = True
            pending.extend(node.values())
        elif isinstance(node, list | tuple):
            pending.extend(node)
        elif isinstance(node, dict):
            pending.extend(node.values())
    if loads:
        raise ForbiddenError("LOAD is not allowed: this server never fetches URLs")
    for endpoint in services:
        if not isinstance(endpoint, URIRef):
            raise ForbiddenError("SERVICE needs a fixed, allow-listed endpoint IRI")
        if str(endpoint) not in allowlist:
            raise ForbiddenError(
                f"SERVICE <{endpoint}> is not allowed "
                "(only endpoints listed in MANDATEGRAPH_SERVICE_ALLOWLIST)"
            )
    return bool(services)


def _may_reach_out(text: str) -> bool:
    """Whether a text may hold ``SERVICE`` or ``LOAD`` (to explain a refusal early)."""
    lowered = text.lower()
    return "service" in lowered or "load" in lowered or "\\u" in lowered


def _no_network_error() -> ForbiddenError:
    return ForbiddenError(
        "this server does not reach the network for a query: SERVICE is allowed only to "
        "the endpoints of MANDATEGRAPH_SERVICE_ALLOWLIST, and LOAD never (it fetches URLs)"
    )


# -- serializing with a row cap ---------------------------------------------------------


class _EnoughLinesError(Exception):
    """Raised by :class:`_LineSink` to stop the engine once enough lines are written."""


class _LineSink:
    """A write-only file that keeps what it gets and stops after ``limit`` lines."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.chunks: list[bytes] = []
        self.lines = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.lines += data.count(b"\n")
        if self.limit is not None and self.lines > self.limit:
            raise _EnoughLinesError
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: everything is kept in memory."""

    def value(self, keep_lines: int | None) -> bytes:
        """The bytes written, cut after ``keep_lines`` complete lines (all if ``None``)."""
        data = b"".join(self.chunks)
        if keep_lines is None:
            return data
        end = -1
        for _ in range(keep_lines):
            end = data.find(b"\n", end + 1)
            if end < 0:
                return data
        return data[: end + 1]


def _capped(write: Any, *, header_lines: int, max_rows: int | None) -> tuple[bytes, int, bool]:
    """Run ``write(sink)`` into a line sink; returns (bytes, rows, truncated).

    pyoxigraph hands the sink's exception back to us, which stops the engine early:
    a huge result costs ``max_rows`` rows of work, not all of them.
    """
    limit = None if max_rows is None else max_rows + header_lines
    sink = _LineSink(limit)
    truncated = False
    try:
        write(sink)
    except _EnoughLinesError:
        truncated = True
    data = sink.value(limit if truncated else None)
    rows = max(data.count(b"\n") - header_lines, 0)
    return data, rows, truncated


def _serialize(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, task: _Task
) -> QueryResult:
    """Serialize results as the task asks, cutting at ``task.max_rows``."""
    if isinstance(results, ox.QueryBoolean):
        fmt = task.result_format
        if fmt == TABLE:
            return QueryResult(b"", "", "ask", table=to_table(results))
        if fmt not in RESULT_FORMATS:
            raise UnknownFormatError("an ASK result cannot be written in the requested format")
        results_format, media = RESULT_FORMATS[fmt]
        return QueryResult(results.serialize(format=results_format), media, "ask")  # type: ignore[arg-type]

    if isinstance(results, ox.QueryTriples):
        fmt = task.graph_format
        if fmt == TABLE:
            table = to_table(results, max_rows=task.max_rows)
            return QueryResult(b"", "", "graph", table.truncated, len(table.rows), table)
        if fmt not in GRAPH_FORMATS:
            raise UnknownFormatError(
                "a CONSTRUCT/DESCRIBE result cannot be written in the requested format "
                f"(use one of {', '.join(GRAPH_FORMATS)})"
            )
        nt, rows, truncated = _capped(
            lambda sink: ox.serialize(results, sink, format=ox.RdfFormat.N_TRIPLES),
            header_lines=0,
            max_rows=task.max_rows,
        )
        rdf_format, media = GRAPH_FORMATS[fmt]
        if fmt == "nt":
            return QueryResult(nt, media, "graph", truncated, rows)
        triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
        prefixes = PREFIXES if fmt in ("ttl", "xml") else None
        body = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
        return QueryResult(body, media, "graph", truncated, rows)  # type: ignore[arg-type]

    fmt = task.result_format
    if fmt == TABLE:
        table = to_table(results, max_rows=task.max_rows)
        return QueryResult(b"", "", "select", table.truncated, len(table.rows), table)
    if fmt not in RESULT_FORMATS:
        raise UnknownFormatError(
            "SELECT results cannot be written in the requested format "
            f"(use one of {', '.join(RESULT_FORMATS)})"
        )
    results_format, media = RESULT_FORMATS[fmt]
    if task.max_rows is None:
        return QueryResult(results.serialize(format=results_format), media, "select")  # type: ignore[arg-type]
    # TSV writes one solution per line: count lines to cap, then convert losslessly.
    tsv, rows, truncated = _capped(
        lambda sink: results.serialize(sink, format=ox.QueryResultsFormat.TSV),
        header_lines=1,
        max_rows=task.max_rows,
    )
    if fmt == "tsv":
        return QueryResult(tsv, media, "select", truncated, rows)
    reread = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    body = reread.serialize(format=results_format)  # type: ignore[union-attr]
    return QueryResult(body, media, "select", truncated, rows)  # type: ignore[arg-type]


def _check_graph_name(value: str, what: str) -> None:
    """Refuse a graph name Oxigraph would not take, before it reaches a worker.

    Raises:
        BadParameterError: ``value`` is not an absolute IRI.
    """
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise errors.BadParameterError(f"{what} must be an absolute IRI, got {value!r}") from exc


def _dataset_options(task: _Task) -> dict[str, Any]:
    """The dataset of a query: the protocol's graphs, else the query's, else the union.

    Oxigraph's union option overrides a query's own ``FROM``, so it is only set when
    the query names no dataset itself.
    """
    options: dict[str, Any] = {}
    if task.default_graphs or task.named_graphs:
        # the protocol's dataset replaces the query's FROM / FROM NAMED entirely
        options["default_graph"] = (
            [ox.NamedNode(g) for g in task.default_graphs]
            if task.default_graphs
            else ox.DefaultGraph()
        )
        if task.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in task.named_graphs]
        else:
            options["named_graphs"] = []
    elif not names_dataset(task.text):
        options["use_default_graph_as_union"] = True
    return options


def run_task(store: ox.Store, task: _Task, prefixes: Mapping[str, str]) -> QueryResult:
    """Run one task on an open pyoxigraph store (on a query thread of a worker, or
    in-process): apply the protocol's dataset, cap its rows. :class:`QueryRunner`
    checks the task's shape first.

    Raises:
        SyntaxError: the query or update does not parse (pyoxigraph's message).
        ForbiddenError: the engine tried to open a connection on a sandboxed thread.
        UnknownFormatError: the result cannot be written in the asked format.
        OSError: the store cannot be read.
    """
    try:
        if task.kind == "update":
            text = add_using(task.text, using=list(task.using), using_named=list(task.using_named))
            store.update(text, base_iri=task.base_iri, prefixes=dict(prefixes))
            return QueryResult(b"", "", "update")
        options = _dataset_options(task)

        def run(text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
            return store.query(text, base_iri=task.base_iri, prefixes=dict(prefixes), **options)

        fast = _select_under_cap(run, task)
        return fast if fast is not None else _serialize(run(task.text), task)
    except PermissionError as exc:
        if is_sandboxed():
            raise _no_network_error() from exc
        raise


class QueryRunner:
    """Runs tasks on query threads: sandboxed ones, and with an allow-list, one that
    may reach the allow-listed ``SERVICE`` endpoints (see :mod:`mandategraph.graph.sandbox`).

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
        self, store: ox.Store, task: _Task, prefixes: Mapping[str, str]
    ) -> Future[QueryResult]:
        """Check and run ``task``; the future raises what :func:`run_task` raises, and
        :func:`check_shape`'s and :func:`federates`' errors."""
        return self.sandboxed.submit(self._route, store, task, prefixes)

    def _route(self, store: ox.Store, task: _Task, prefixes: Mapping[str, str]) -> QueryResult:
        started = time.thread_time()
        check_shape(task.text, max_bytes=task.max_bytes)
        if self.federating is not None or _may_reach_out(task.text):
            federated = federates(task, self.allowlist, prefixes)
            if federated and self.federating is not None:
                return self.federating.submit(run_task, store, task, prefixes).result()
        result = run_task(store, task, prefixes)
        result.cpu_seconds = time.thread_time() - started
        return result

    def shutdown(self) -> None:
        """Stop the threads."""
        self.sandboxed.shutdown()
        if self.federating is not None:
            self.federating.shutdown()


def _row_bound(body: bytes, fmt: str) -> int:
    """At least as many as the solutions in a serialized SELECT result (C-speed counts).

    JSON: every boundary between two solutions is ``},{`` (a literal may hold it too,
    which only raises the bound); XML: one ``<result>`` per solution (``<`` is escaped
    in text); CSV: one line or more per solution.
    """
    if fmt == "json":
        return body.count(b"},{") + 1
    if fmt == "xml":
        return body.count(b"<result>")
    return body.count(b"\n")


def _select_under_cap(run: Any, task: _Task) -> QueryResult | None:
    """Run a capped SELECT as ``LIMIT max_rows + 1`` and write it in one pass.

    The engine writes the asked format itself; a cheap upper bound on the rows then
    shows the result is within the cap, which is the usual case. Only a result that
    may have reached the cap goes the exact way (TSV lines counted, then converted):
    JSON and XML are read back from the bytes already written, CSV (lossy) is run
    again with its LIMIT. ``None``: not a query this path takes.
    """
    fmt = task.result_format
    if task.kind != "query" or task.max_rows is None or fmt not in ("json", "xml", "csv"):
        return None
    capped = limit_select(task.text, task.max_rows)
    if capped is None:
        return None
    text, may_exceed = capped
    try:
        results = run(text)
    except SyntaxError:
        return None  # the rewrite broke something the scan missed: run it as written
    if not isinstance(results, ox.QuerySolutions):
        return _serialize(results, task)
    results_format, media = RESULT_FORMATS[fmt]
    body = results.serialize(format=results_format)
    if not may_exceed or _row_bound(body, fmt) <= task.max_rows:  # type: ignore[arg-type]
        return QueryResult(body, media, "select")  # type: ignore[arg-type]
    if fmt == "csv":  # CSV is lossy and cannot be read back: run the (limited) query again
        return _serialize(run(text), task)
    # read back what was written (the engine's parser, no new evaluation) and cut exactly
    return _serialize(ox.parse_query_results(body, format=results_format), task)


# -- the worker process -------------------------------------------------------------


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


def _worker_main(
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
class _Worker:
    process: Any
    conn: Connection
    generation: int
    mode: str
    started: float = field(default_factory=time.monotonic)

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


def _set_priority(pid: int, niceness: int) -> bool:
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


def _context(allocator: str | None = None) -> Any:
    """The multiprocessing context: forkserver (preloading this module), else spawn.

    With ``allocator``, the forkserver, if this call starts it, runs with that library
    in ``LD_PRELOAD``, so every worker forked from it allocates through it. A
    forkserver already running keeps what it has (there is one per process).
    """
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(["mandategraph.graph.executor"])
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


# -- the executor -------------------------------------------------------------------


_ERRORS: dict[str, type[MandategraphError]] = {
    name: cls
    for name, cls in vars(errors).items()
    if isinstance(cls, type) and issubclass(cls, MandategraphError)
}


class Executor:
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
            allocator: memory allocator of the workers (see :func:`resolve_allocator`).
            service_allowlist: endpoints a ``SERVICE`` may reach; empty: the query
                threads have no network at all (see :mod:`mandategraph.graph.sandbox`).
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
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._signature: tuple[tuple[str, int, int], ...] = ()
        self._generation = 0
        self._ready_generation = 0
        self._loading_generation: int | None = None
        self._cache: OrderedDict[tuple[Any, ...], QueryResult] = OrderedDict()
        self._cache_bytes = 0
        self._threads: QueryRunner | None = None
        self._writer: _Worker | None = None
        self._closed = False
        self._context: Any = None
        self.replacements = 0

    @classmethod
    def for_store(cls, store: Store, **options: Any) -> Executor:
        """The executor fitting an open :class:`~mandategraph.graph.store.Store`.

        A ``memory`` store runs queries in-process; an on-disk store gets worker
        processes. Updates go to ``store`` itself when it is writable, else to a writer
        process opened on first update. ``options`` are those of the constructor
        (``workers``, ``timeout``, ``max_rows``, ``serve_from_memory``, ...).
        """
        local = store.oxigraph if store.location == MEMORY else None
        writer = store.oxigraph if not store.read_only else None
        return cls(store.location, local_store=local, local_writer=writer, **options)

    # -- lifecycle ------------------------------------------------------------------

    @property
    def in_process(self) -> bool:
        """Queries run in this process (a ``memory`` store): timeouts cannot stop them."""
        return self._local is not None

    @property
    def generation(self) -> int:
        """A number that grows whenever the store changed (for caches keyed on data)."""
        self._refresh_generation()
        return self._generation

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
        self._context = _context(self.allocator)
        self._signature = store_signature(self.location)
        pending = [self._launch(self._mode, self._generation) for _ in range(self.workers)]
        for worker in pending:
            self._await_ready(worker)
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

    def _launch(self, mode: str, generation: int) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(
                child,
                self.location,
                mode,
                generation,
                self._prefixes,
                self.service_allowlist,
            ),
            name=f"mandategraph-{mode}-worker",
            daemon=True,
        )
        process.start()
        child.close()
        return _Worker(process, parent, generation, mode)

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(STARTUP_TIMEOUT):
            worker.kill()
            raise StoreError(f"a query worker took over {STARTUP_TIMEOUT:.0f} s to open the store")
        try:
            message = worker.conn.recv()
        except (EOFError, OSError) as exc:
            worker.kill()
            raise StoreError("a query worker stopped while opening the store") from exc
        if message[0] != "ready":
            worker.kill()
            raise StoreError(f"a query worker cannot open {self.location}: {message[1]}")

    def _replace_later(self, generation: int | None = None) -> None:
        """Start one worker in the background and add it to the pool when ready."""

        def run() -> None:
            if self._closed:
                return
            try:
                target = self._generation if generation is None else generation
                worker = self._launch(self._mode, target)
                self._await_ready(worker)
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
                    self._await_ready(worker)
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
        max_rows: int | None | bool = True,
        timeout: float | None = None,
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
            max_rows: cap on rows/triples; ``True`` for the executor's default,
                ``None`` for no cap.
            timeout: seconds; the executor's default when ``None``.

        Raises:
            BadParameterError: a graph name is not an absolute IRI.
            QuerySyntaxError: the query does not parse (with line and column).
            QueryTimeoutError: the query ran past the timeout and was stopped.
            UnknownFormatError: the result cannot be written in an accepted format.
            StoreError: the store cannot be read.
        """
        if bindings:
            text = with_values(text, bindings)
        for what, graphs in (("default-graph-uri", default_graphs),
                             ("named-graph-uri", named_graphs)):
            for graph in graphs or ():
                _check_graph_name(graph, what)
        task = _Task(
            kind="query",
            text=text,
            base_iri=base_iri,
            default_graphs=tuple(default_graphs) if default_graphs else None,
            named_graphs=tuple(named_graphs) if named_graphs else None,
            result_format=result_format,
            graph_format=graph_format,
            max_rows=self.max_rows if max_rows is True else (max_rows or None),
            max_bytes=self.max_query_bytes,
        )
        return self._run(task, timeout=self.timeout if timeout is None else timeout)

    def table(
        self,
        text: str,
        *,
        bindings: Mapping[str, Any] | None = None,
        max_rows: int | None | bool = True,
        timeout: float | None = None,
    ) -> Table:
        """Run a query and read its results as a :class:`~mandategraph.graph.results.Table`.

        Same errors as :meth:`query`.
        """
        result = self.query(
            text,
            bindings=bindings,
            result_format=TABLE,
            graph_format=TABLE,
            max_rows=max_rows,
            timeout=timeout,
        )
        assert result.table is not None
        return result.table

    def update(
        self,
        text: str,
        *,
        base_iri: str | None = None,
        using: list[str] | None = None,
        using_named: list[str] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Run a SPARQL Update on the single writer (one transaction).

        ``using`` / ``using_named`` are the protocol's ``using-graph-uri`` and
        ``using-named-graph-uri`` (see :func:`add_using`), applied by the writer.

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
        for what, graphs in (("using-graph-uri", using), ("using-named-graph-uri", using_named)):
            for graph in graphs or ():
                _check_graph_name(graph, what)  # they are written into the update's text
        task = _Task(
            kind="update",
            text=text,
            base_iri=base_iri,
            using=tuple(using or ()),
            using_named=tuple(using_named or ()),
            max_bytes=self.max_query_bytes,
        )
        limit = self.timeout if timeout is None else timeout
        with self._write_lock:
            if self.location != MEMORY:
                # an update may change what the reasoner saw: graph/inferred is stale
                write_stale_marker(self.location)
            if self._local_writer is not None:
                self._run_local(self._local_writer, task, limit)
            else:
                self._run_writer(task, limit)
        with self._lock:
            self._cache.clear()
            self._cache_bytes = 0
        self._refresh_generation()

    def _run(self, task: _Task, *, timeout: float) -> QueryResult:
        if self._local is not None:
            return self._run_local(self._local, task, timeout)
        self._refresh_generation()
        generation = self._generation
        key = None
        if self.cache_size:
            key = (task.text, task.base_iri, task.default_graphs, task.named_graphs,
                   task.result_format, task.graph_format, task.max_rows, generation)
            with self._lock:
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)
                    return replace(hit, cached=True)
        result, served = self._run_in_worker(replace(task, generation=generation), timeout)
        if (
            key is not None
            and served == generation
            and len(result.body) <= CACHE_MAX_BODY
            and result.cpu_seconds >= CACHE_MIN_CPU
        ):
            with self._lock:
                self._cache[key] = result
                self._cache_bytes += len(result.body)
                while len(self._cache) > self.cache_size or self._cache_bytes > CACHE_MAX_BYTES:
                    _, dropped = self._cache.popitem(last=False)
                    self._cache_bytes -= len(dropped.body)
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
                self._await_ready(worker)
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

    def _release(self, worker: _Worker) -> None:
        """Give a worker back to the pool, or stop it if it is extra and not needed."""
        with self._lock:
            retire = self._extra > 0 and self._idle.qsize() >= self.workers
            if retire:
                self._extra -= 1
        if retire:
            worker.stop()
        else:
            self._idle.put(worker)

    def _acquire(self, deadline: float) -> _Worker:
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

    def _run_in_worker(self, task: _Task, timeout: float) -> tuple[QueryResult, int]:
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
                    _set_priority(worker.process.pid, 19)
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
        if long and not _set_priority(worker.process.pid, 0):
            # a process cannot raise its priority back unprivileged: replace the worker
            # (cheap on disk; a memory copy keeps the low priority rather than reload)
            if worker.mode == "disk":
                worker.stop()
                self._replace_later()
            else:
                self._release(worker)
        else:
            self._release(worker)
        return self._unwrap(reply, task.text), worker.generation

    def _run_writer(self, task: _Task, timeout: float) -> None:
        if self._writer is None or not self._writer.alive():
            if self._context is None:
                self._context = _context(self.allocator)
            writer = self._launch("write", 0)
            try:
                self._await_ready(writer)
            except StoreError as exc:
                raise StoreError(
                    f"cannot open the store at {self.location} for writing "
                    "(is a build or ingest running?)",
                    detail=exc.message,
                ) from exc
            self._writer = writer
        writer = self._writer
        try:
            writer.conn.send(task)
            if not writer.conn.poll(timeout):
                writer.kill()
                self._writer = None
                raise QueryTimeoutError(
                    f"the update ran longer than {timeout:g} s and was stopped; nothing was written"
                )
            reply = writer.conn.recv()
        except (EOFError, OSError) as exc:
            writer.kill()
            self._writer = None
            raise StoreError("the writer process stopped unexpectedly") from exc
        self._unwrap(reply, task.text)

    def _local_runner(self) -> QueryRunner:
        with self._lock:
            if self._threads is None:
                self._threads = QueryRunner(self.workers, allowlist=self.service_allowlist)
            return self._threads

    def _run_local(self, store: ox.Store, task: _Task, timeout: float) -> QueryResult:
        future = self._local_runner().submit(store, task, self._prefixes)
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

    @staticmethod
    def _unwrap(reply: tuple[Any, ...], text: str) -> QueryResult:
        status = reply[0]
        if status == "ok":
            result: QueryResult = reply[1]
            return result
        if status == "syntax":
            raise syntax_error(SyntaxError(reply[1]), text)
        error_class = _ERRORS.get(reply[1], MandategraphError)
        raise error_class(reply[2])
