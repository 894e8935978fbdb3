"""Summaries of canned queries: their whole answers, stored with the data.

A canned query that lists or counts over every activity or mandate costs time in
proportion to the graph: at 10M triples, tens of seconds on any engine, however few rows
it shows. A query whose header has a ``materialize`` key gets a *summary*: its answer
with every parameter unset, computed once (``mandategraph summarize``, and at the end
of ``build``), stored as rows in a named graph of its own, and read back by a short
query over that graph::

    <urn:mandategraph:summary:partnerships> mgsum:token "…" ; mgsum:rows 8212 .
    <urn:mandategraph:summary:partnerships:row:1> mgsum:row 1 ;
        mgsum:actor_a "CICTE" ; mgsum:actor_b "ICAO" ; mgsum:activities 41 .

Cells keep their RDF terms (datatypes, languages, IRIs); an unbound cell has no triple;
rows are numbered in the query's own order. A parameter is answered from the summary
by the filter over the columns that its header gives (``actor: "?actor_a = ?_actor ||
?actor_b = ?_actor"``); a value of a parameter without one goes to the query itself.

**Freshness.** A summary is read only while the store's summary token
(:meth:`~mandategraph.graph.store.Store.summary_token`) is the one it was computed
under: the embedded store forgets its token before every write of data, a SPARQL
server's token is the generation that every write through mandategraph changes. A
stale summary is never read: the query runs itself, as it would without one. A write
made around mandategraph (a server's bulk loader) changes no token: run
``mandategraph summarize`` after one (on Virtuoso, ``register-graphs`` makes a new token).

The summary graphs are not among the project's graphs (not in a Virtuoso union); on
Oxigraph they are named graphs like any other, so in the union default graph, under
their own vocabulary (:data:`SUMMARY`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import Namespace, URIRef

from mandategraph.errors import (
    BadParameterError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
)
from mandategraph.graph.sparql.text import with_values
from mandategraph.graph.store import Store
from mandategraph.queries.catalog import CannedQuery, Page, load_catalog
from mandategraph.queries.dropped_mandates import Row, dropped_rows

#: Queries whose summary is computed by a function rather than by their own text, where
#: the text is too slow at scale (``dropped-mandates``: 53 s on the embedded store at 10M
#: triples, past 600 s on Virtuoso). The function gives the rows of the text, as terms in
#: the query's columns; its tests compare the two.
COMPUTED: dict[str, Callable[..., list[Row]]] = {
    "dropped-mandates": dropped_rows,
}

#: The vocabulary of the summaries' rows and records.
SUMMARY = Namespace("https://w3id.org/mandategraph/summary#")

#: The summary graphs' IRIs: this, then the query's name.
SUMMARY_GRAPH = "urn:mandategraph:summary:"

_ROW = ox.NamedNode(str(SUMMARY.row))
_TOKEN = ox.NamedNode(str(SUMMARY.token))
_ROWS = ox.NamedNode(str(SUMMARY.rows))
_SECONDS = ox.NamedNode(str(SUMMARY.seconds))
_QUERY = ox.NamedNode(str(SUMMARY.query))
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def summary_graph(name: str) -> URIRef:
    """The graph that holds the summary of the canned query ``name``."""
    return URIRef(f"{SUMMARY_GRAPH}{name}")


def materialized(catalog: Mapping[str, CannedQuery] | None = None) -> list[CannedQuery]:
    """The canned queries that have a summary, by name."""
    catalog = load_catalog() if catalog is None else catalog
    return [query for query in catalog.values() if query.materialize is not None]


#: Rows asked at a time of a query that selects its page first (``activities``): at
#: 10M triples Virtuoso fails on the whole list at once ("SR177: Misc Transaction Error").
SUMMARY_PAGE = 10_000


@dataclass(frozen=True)
class Summary:
    """One summary: the query, its rows, the seconds its query took, and why it could
    not be stored (``error``; none stored then, and the query answers itself)."""

    name: str
    rows: int
    seconds: float
    error: str | None = None


def summarize(
    store: Store,
    names: Iterable[str] | None = None,
    *,
    timeout: float | None = None,
    progress: Callable[[Summary], None] | None = None,
) -> list[Summary]:
    """Compute and store the summaries of the canned queries (those of ``names``, or
    all that have one), under a new token of the store.

    Args:
        store: the store, open for writing (embedded or on a server).
        names: the queries to summarize; by default every one with ``materialize``.
        timeout: seconds each query may take on a server (``None``: the store's own).
        progress: called after each summary is stored.

    Raises:
        BadParameterError: a name that is not a canned query with a summary.
        StoreError: the store is read-only, or its data changed meanwhile (the
            summaries written are then stale, and not read). A query that fails or
            times out, or whose summary the store does not take, gives a
            :class:`Summary` with its ``error``, and no summary is read for it.
    """
    catalog = load_catalog()
    chosen = materialized(catalog)
    if names is not None:
        wanted = list(names)
        known = {query.name for query in chosen}
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise BadParameterError(f"no summary for {', '.join(unknown)} "
                                    f"(queries with one: {', '.join(sorted(known))})")
        chosen = [catalog[name] for name in wanted]
    token = store.begin_summaries()
    options: dict[str, Any] = {"timeout": timeout} if store.remote and timeout else {}
    done = []
    for query in chosen:
        started = time.perf_counter()
        try:
            body, rows = _answer(store, query, options)
        except (QueryTimeoutError, QuerySyntaxError, StoreError) as exc:
            # the others are still worth storing; this one answers itself
            summary = Summary(query.name, 0, time.perf_counter() - started, error=str(exc))
        else:
            seconds = time.perf_counter() - started
            body += _record(query.name, token=token, rows=rows, seconds=seconds)
            try:
                store.write_summary(summary_graph(query.name), body)
            except (QueryTimeoutError, QuerySyntaxError, StoreError) as exc:
                # its record goes last: what was written of it is never read
                summary = Summary(query.name, 0, time.perf_counter() - started,
                                  error=f"not stored: {exc}")
            else:
                summary = Summary(query.name, rows, seconds)
        done.append(summary)
        if progress is not None:
            progress(summary)
    if store.summary_token() != token:
        raise StoreError("the data changed while the summaries were computed: they are "
                         "stale and will not be read (run 'mandategraph summarize' again)")
    return done


def _answer(store: Store, query: CannedQuery, options: dict[str, Any]) -> tuple[bytes, int]:
    """The N-Triples of a query's whole answer as numbered rows, and how many rows: in
    one query, or a page of :data:`SUMMARY_PAGE` rows at a time for a query that selects
    its page first, or from the function that computes it (:data:`COMPUTED`)."""
    if query.name in COMPUTED:
        return _serialize(query, list(query.columns), COMPUTED[query.name](store, **options))
    query = query.on(store.engine)
    if not query.pages_inside:
        return _rows(query, store.query(query.sparql(unbound=True), **options))
    bodies, count, number = [], 0, 1
    while True:
        page = Page(number, SUMMARY_PAGE)
        text = query.sparql(unbound=True, page=page, next_row=False)
        body, rows = _rows(query, store.query(text, **options), first=count + 1)
        bodies.append(body)
        count += rows
        if rows < SUMMARY_PAGE:
            return b"".join(bodies), count
        number += 1


def _rows(query: CannedQuery, results: Any, *, first: int = 1) -> tuple[bytes, int]:
    """The N-Triples of a query's solutions as rows numbered from ``first``, and how
    many rows."""
    if not isinstance(results, ox.QuerySolutions):
        raise StoreError(f"query {query.name!r} is not a SELECT: it cannot be summarized")
    variables = [v.value for v in results.variables]
    if variables != list(query.columns):
        raise StoreError(f"query {query.name!r} selects {variables}, its header says "
                         f"{list(query.columns)}: the summary would not read back")
    return _serialize(query, variables, results, first=first)


def _serialize(
    query: CannedQuery, variables: list[str], results: Iterable[Any], *, first: int = 1
) -> tuple[bytes, int]:
    """The N-Triples of rows of terms (one per variable, ``None`` unbound) numbered from
    ``first``, and how many rows."""
    predicates = [ox.NamedNode(str(SUMMARY[name])) for name in variables]
    triples: list[ox.Triple] = []
    count = 0
    for count, solution in enumerate(results, start=1):
        number = first + count - 1
        row = ox.NamedNode(f"{SUMMARY_GRAPH}{query.name}:row:{number}")
        triples.append(ox.Triple(row, _ROW, ox.Literal(str(number), datatype=_INTEGER)))
        for predicate, value in zip(predicates, solution, strict=True):
            if value is not None:
                triples.append(ox.Triple(row, predicate, value))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", count


def _record(name: str, *, token: str, rows: int, seconds: float) -> bytes:
    """The N-Triples that say which query a summary is of, its token and its size."""
    graph = ox.NamedNode(f"{SUMMARY_GRAPH}{name}")
    triples = [
        ox.Triple(graph, _QUERY, ox.Literal(name)),
        ox.Triple(graph, _TOKEN, ox.Literal(token)),
        ox.Triple(graph, _ROWS, ox.Literal(str(rows), datatype=_INTEGER)),
        ox.Triple(graph, _SECONDS, ox.Literal(f"{seconds:.3f}", datatype=_DECIMAL)),
    ]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def fresh(store: Store, queries: Iterable[CannedQuery] | None = None) -> dict[str, int]:
    """The summaries that may be read now (computed under the store's current token):
    their rows, by query name.

    Raises:
        StoreError: the store failed.
    """
    chosen = list(materialized() if queries is None else queries)
    chosen = [query for query in chosen if query.materialize is not None]
    if not chosen:
        return {}
    token = store.summary_token()
    if token is None:
        return {}
    clauses = " ".join(f"FROM NAMED <{summary_graph(query.name)}>" for query in chosen)
    rows = store.query(
        f"SELECT ?g ?token ?rows {clauses} WHERE {{ GRAPH ?g {{ "
        f"?g <{SUMMARY.token}> ?token ; <{SUMMARY.rows}> ?rows }} }}")
    found = {}
    for row in rows:  # type: ignore[union-attr]
        if row["token"].value == token:  # type: ignore[index, union-attr]
            name = row["g"].value[len(SUMMARY_GRAPH):]  # type: ignore[index, union-attr]
            found[name] = int(row["rows"].value)  # type: ignore[index, union-attr]
    return found


def summary_sparql(
    query: CannedQuery,
    values: Mapping[str, str] | None = None,
    *,
    page: Page | None = None,
    next_row: bool = True,
    limit: int | None = None,
) -> str | None:
    """The query that reads ``query``'s answer from its summary, with ``values`` bound
    and cut to ``page`` as :meth:`CannedQuery.sparql` does; ``None`` when the summary
    cannot answer (no summary, or a value of a parameter without a filter). ``limit``:
    the caller reads no more rows than this (its row cap), so, without a page or a
    filter, only the first ``limit + 1`` rows are read (one more says it was cut).

    Raises:
        BadParameterError: an unknown parameter or a value of the wrong type.
    """
    if query.materialize is None:
        return None
    bound = query.bindings(values)
    filters = dict(query.materialize)
    if any(filters.get(name) is None for name in bound):
        return None
    graph = summary_graph(query.name)
    cells = "".join(f"  OPTIONAL {{ ?_summaryRow <{SUMMARY[c]}> ?{c} }}\n"
                    for c in query.columns)
    conditions = [f"({filters[name]})" for name in bound]
    rows = f"  ?_summaryRow <{SUMMARY.row}> ?_summaryNumber .\n"
    cut = ""
    if page is not None:
        size = page.size + (1 if next_row else 0)
        if conditions:
            cut = f"LIMIT {size} OFFSET {page.offset}\n"
        else:
            # rows are numbered from 1 without a gap: the page is a range of numbers
            rows += (f"  FILTER(?_summaryNumber > {page.offset} && "
                     f"?_summaryNumber <= {page.offset + size})\n")
    elif limit is not None and not conditions:
        rows += f"  FILTER(?_summaryNumber <= {limit + 1})\n"
    where = rows + cells + "".join(f"  FILTER{c}\n" for c in conditions)
    text = (f"SELECT {' '.join('?' + c for c in query.columns)}\nFROM <{graph}>\n"
            f"WHERE {{\n{where}}}\nORDER BY ?_summaryNumber\n{cut}")
    if not bound:
        return text
    return with_values(text, {f"_{name}": term for name, term in bound.items()})


def canned_sparql(
    store: Store,
    query: CannedQuery,
    values: Mapping[str, str] | None = None,
    *,
    page: Page | None = None,
    next_row: bool = True,
    limit: int | None = None,
) -> str:
    """The text that answers ``query`` on ``store``: from its summary when there is a
    fresh one that can, else the query itself (:meth:`CannedQuery.sparql`); ``limit``:
    the caller's row cap (see :func:`summary_sparql`), which a query that selects its
    page first (a ``# PAGE`` line) takes as its first page, plus one row.

    Raises:
        BadParameterError: an unknown parameter or a value of the wrong type.
        StoreError: the store failed while its summaries were looked up.
    """
    text = summary_sparql(query, values, page=page, next_row=next_row, limit=limit)
    if text is not None and query.name in fresh(store, [query]):
        return text
    query = query.on(store.engine)
    if page is None and limit is not None and query.pages_inside:
        # the rows the caller keeps, plus one that says the answer was cut: a query that
        # selects its page first computes its columns for those only
        return query.sparql(values, page=Page(1, limit), next_row=True)
    return query.sparql(values, page=page, next_row=next_row)
