"""The answer of ``dropped-mandates``, computed from short queries and joined here.

The canned query pairs every earlier report with every later one before it looks at the
resolutions they answer: at 10M triples (6,458 reports) it took 53 s on the embedded
store and ran past 600 s on Virtuoso, which, on a few reports, also loses rows of its
answer, different ones from one run to the next. Its summary is made here instead, from
queries that each read the graph once, in time that grows with the graph, not with its
reports squared:

1. each report's period (first and last year of its activities, planned ones aside);
2. the resolutions each report answers (it recalls one, or cites one of its paragraphs);
3. the mandates each report acts on (``mg:implements/mg:withinParagraph``), with the
   resolution each is a paragraph of;
4. for the rows found only: the paragraph number and symbol of each mandate, and the
   section numbers and quotes of the earlier report's activities on it.

The join follows the query's words: a mandate of resolution R acted on by report E is
dropped by report L when L answers R, L's period starts after E's ends, and L acts on the
mandate nowhere. The rows are the query's columns, in its order, with the least section
number and quote of the earlier report's activities on the mandate, by their characters
(``MIN``, as the query takes them on Oxigraph). The tests hold these rows, on every
backend, to the rows of the query's text on the embedded store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import pyoxigraph as ox

from mandategraph.errors import StoreError
from mandategraph.graph.store import Store

#: The query this module answers (its columns are the rows' order of terms).
NAME = "dropped-mandates"

#: (earlier, mandate) pairs, or mandates, given to one query of step 4 by ``VALUES``: on
#: the embedded store of 10,000 generated reports, a query of 100 pairs took 0.2 s, of
#: 500 pairs 1.1 s and of 2,000 pairs 30 s.
BATCH = 100

_PERIODS = """
SELECT ?report (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {
  ?report a mg:Report .
  ?x mg:reportedIn/mg:inDocument ?report ; mg:year ?y .
  MINUS { ?x mg:status <https://w3id.org/mandategraph/id/status/planned> }
} GROUP BY ?report
"""

_ANSWERS = """
SELECT DISTINCT ?report ?r WHERE {
  ?report a mg:Report .
  { ?report mg:recalls ?r } UNION { ?report mg:cites/mg:paragraphOf ?r }
}
"""

_ACTED = """
SELECT DISTINCT ?report ?mandate ?r WHERE {
  ?section mg:inDocument ?report .
  ?acting mg:reportedIn ?section ; mg:implements ?direct .
  ?direct mg:withinParagraph ?mandate .
  ?mandate mg:paragraphOf ?r .
}
"""

_NAMES = """
SELECT DISTINCT ?mandate ?r ?paragraph ?resolution WHERE {
  VALUES ?mandate { %s }
  ?mandate mg:paragraphOf ?r ; mg:paragraphNumber ?paragraph .
  ?r skos:notation ?resolution .
}
"""

_EVIDENCE = """
SELECT DISTINCT ?earlier ?mandate ?number ?q WHERE {
  VALUES (?earlier ?mandate) { %s }
  ?sec mg:inDocument ?earlier ; mg:sectionNumber ?number .
  ?activity mg:reportedIn ?sec ; mg:implements ?direct .
  ?direct mg:withinParagraph ?mandate .
  OPTIONAL { ?activity prov:wasDerivedFrom/mg:quote ?q }
}
"""

#: An RDF term as pyoxigraph gives it in a solution.
Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = tuple[Term | None, ...]


def dropped_rows(store: Store, **options: Any) -> list[Row]:
    """The rows of ``dropped-mandates`` with no parameter set, in the query's order.

    Args:
        store: the store (embedded or on a server).
        options: passed to each :meth:`Store.query` (a server's ``timeout``).

    Raises:
        QueryTimeoutError: one of the queries timed out.
        StoreError: the store failed, or answered something else than rows.
    """
    first: dict[Term, ox.Literal] = {}
    last: dict[Term, ox.Literal] = {}
    for report, begins, ends in _select(store, _PERIODS, options):
        first[report], last[report] = begins, ends
    answering: dict[Term, list[Term]] = defaultdict(list)
    for report, resolution in _select(store, _ANSWERS, options):
        if report in first:
            answering[resolution].append(report)
    acted: set[tuple[Term, Term]] = set()
    acting: list[tuple[Term, Term, Term]] = []
    for report, mandate, resolution in _select(store, _ACTED, options):
        acted.add((report, mandate))
        acting.append((report, mandate, resolution))

    # (earlier, mandate, resolution IRI, later) of every dropped mandate
    found = [
        (earlier, mandate, resolution, later)
        for earlier, mandate, resolution in acting
        if earlier in last
        for later in answering.get(resolution, ())
        if _year(first[later]) > _year(last[earlier]) and (later, mandate) not in acted
    ]
    if not found:
        return []
    names: dict[tuple[Term, Term], list[tuple[Term, Term]]] = defaultdict(list)
    for chunk in _chunks(sorted({m for _, m, _, _ in found}, key=str)):
        text = _NAMES % " ".join(str(m) for m in chunk)
        for mandate, resolution, paragraph, symbol in _select(store, text, options):
            names[mandate, resolution].append((paragraph, symbol))
    # the least section number and quote, by their characters, as Oxigraph's MIN takes
    # them (Virtuoso's MIN of long texts picks others)
    numbers: dict[tuple[Term, Term], set[Term]] = defaultdict(set)
    quotes: dict[tuple[Term, Term], set[Term]] = defaultdict(set)
    for chunk in _chunks(sorted({(e, m) for e, m, _, _ in found}, key=str)):
        text = _EVIDENCE % " ".join(f"({e} {m})" for e, m in chunk)
        for earlier, mandate, number, quote in _select(store, text, options):
            numbers[earlier, mandate].add(number)
            if quote is not None:
                quotes[earlier, mandate].add(quote)

    rows: dict[tuple[Term, ...], Row] = {}
    for earlier, mandate, resolution, later in found:
        section = _least(numbers.get((earlier, mandate)))
        quote = _least(quotes.get((earlier, mandate)))
        for paragraph, symbol in names.get((mandate, resolution), ()):
            key = (symbol, paragraph, earlier, last[earlier], later, first[later], mandate)
            rows.setdefault(key, (symbol, paragraph, earlier, last[earlier], later,
                                  first[later], section, quote, mandate))
    return sorted(rows.values(), key=_order)


def _order(row: Row) -> tuple[str, ...]:
    """The query's ``ORDER BY ?resolution ?paragraph ?earlier ?later``: plain literals
    and IRIs, each by its characters."""
    return tuple(term.value if term is not None else "" for term in (row[0], row[1], row[2],
                                                                      row[4]))


def _least(terms: set[Term] | None) -> Term | None:
    return min(terms, key=lambda term: term.value) if terms else None


def _year(term: ox.Literal) -> int:
    try:
        return int(term.value)
    except ValueError as exc:
        raise StoreError(f"{NAME}: the year {term} is not an integer") from exc


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]


def _select(store: Store, text: str, options: dict[str, Any]) -> Iterator[list[Any]]:
    results = store.query(text, **options)
    if not isinstance(results, ox.QuerySolutions):
        raise StoreError(f"{NAME}: a part of its summary answered no rows")
    for solution in results:
        yield list(solution)
