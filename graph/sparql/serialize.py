"""Results written with a row cap, and one task run on an open store.

A SELECT asked as JSON, XML or CSV gets a top-level ``LIMIT`` of ``max_rows + 1``
(found by a lexical scan; a smaller ``LIMIT`` of its own is kept) and the engine writes
the asked format in one pass; a count of a byte pattern that bounds the solutions from
above (``},{`` in JSON, ``<result>`` in XML, lines in CSV) then shows whether the
result may have reached the cap. Only then, and for TSV, is the result written as TSV
(one solution per line) into a sink that stops after ``max_rows + 1`` lines, cut and
flagged ``truncated``, and converted losslessly to the asked format.
CONSTRUCT/DESCRIBE are capped through N-Triples the same way. Without a cap the
engine writes the asked format directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from mandategraph.errors import UnknownFormatError
from mandategraph.graph.sparql.formats import GRAPH_FORMATS, RESULT_FORMATS
from mandategraph.graph.sparql.guard import no_network_error
from mandategraph.graph.sparql.results import to_table
from mandategraph.graph.sparql.sandbox import is_sandboxed
from mandategraph.graph.sparql.task import TABLE, QueryResult, Task
from mandategraph.graph.sparql.text import add_using, limit_select, names_dataset
from mandategraph.ontology.namespaces import PREFIXES


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
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, task: Task
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



def _dataset_options(task: Task) -> dict[str, Any]:
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


def run_task(store: ox.Store, task: Task, prefixes: Mapping[str, str]) -> QueryResult:
    """Run one task on an open pyoxigraph store (on a query thread of a worker, or
    in-process): apply the protocol's dataset, cap its rows.
    :class:`~mandategraph.graph.sparql.workers.QueryRunner` checks the task's shape first.

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
            raise no_network_error() from exc
        raise



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


def _select_under_cap(run: Any, task: Task) -> QueryResult | None:
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

