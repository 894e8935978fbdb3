"""The row cap of the query executor: a SELECT gets ``LIMIT max_rows + 1`` and the
engine writes the asked format in one pass; results that may reach the cap are counted
exactly. Runs on a real in-memory pyoxigraph store."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from mandategraph.graph.sparql.serialize import run_task
from mandategraph.graph.sparql.task import Task as _Task
from mandategraph.graph.sparql.text import limit_select

EX = "http://example.org/"
CAP = 20
FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}


def store_with(values: list[str]) -> ox.Store:
    """One ``ex:item`` per value, ``ex:n`` numbering them from 0."""
    store = ox.Store()
    for i, value in enumerate(values):
        item = ox.NamedNode(f"{EX}item/{i}")
        store.add(ox.Quad(item, ox.NamedNode(EX + "value"), ox.Literal(value)))
        store.add(ox.Quad(item, ox.NamedNode(EX + "n"), ox.Literal(i)))
    return store


QUERY = f"SELECT ?item ?value ?n WHERE {{ ?item <{EX}value> ?value ; <{EX}n> ?n }} ORDER BY ?n"


def run(store: ox.Store, text: str, fmt: str, max_rows: int | None = CAP):  # type: ignore[no-untyped-def]
    task = _Task(kind="query", text=text, result_format=fmt, max_rows=max_rows)
    return run_task(store, task, {})


def numbers(body: bytes, fmt: str) -> list[int]:
    """The ``?n`` column of a serialized result, in order."""
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode())))
        return [int(row["n"]) for row in rows]
    solutions = ox.parse_query_results(body, format=FORMATS[fmt])
    return [int(solution["n"].value) for solution in solutions]  # type: ignore[union-attr]


# -- the LIMIT rewrite ----------------------------------------------------------------------


def test_a_select_without_limit_gets_one_past_the_cap() -> None:
    text, may_exceed = limit_select("SELECT * WHERE { ?s ?p ?o }", 10)  # type: ignore[misc]
    assert may_exceed
    assert text.rstrip().endswith("LIMIT 11")


def test_a_smaller_limit_of_its_own_is_kept_and_needs_no_count() -> None:
    assert limit_select("SELECT * WHERE { ?s ?p ?o } LIMIT 5", 10) == (
        "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
        False,
    )


def test_a_larger_limit_is_lowered_in_place() -> None:
    text, may_exceed = limit_select("SELECT * WHERE { ?s ?p ?o } limit 500 OFFSET 3", 10)  # type: ignore[misc]
    assert (text, may_exceed) == ("SELECT * WHERE { ?s ?p ?o } limit 11 OFFSET 3", True)


def test_limits_inside_subqueries_strings_and_comments_are_not_the_query_s() -> None:
    text = (
        'SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p "LIMIT 2" } LIMIT 3 } } # LIMIT 4'
    )
    rewritten, may_exceed = limit_select(text, 10)  # type: ignore[misc]
    assert may_exceed
    assert rewritten.startswith(text)  # the comment is closed by a line break first
    assert rewritten[len(text) :].strip() == "LIMIT 11"


def test_the_limit_goes_before_a_trailing_values_clause() -> None:
    text = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s VALUES ?s { <http://example.org/a> }"
    rewritten, _ = limit_select(text, 10)  # type: ignore[misc]
    assert "ORDER BY ?s \nLIMIT 11\nVALUES ?s" in rewritten
    ox.Store().query(rewritten)  # and it parses


@pytest.mark.parametrize(
    "text",
    ["ASK { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE <http://example.org/a>"],
)
def test_other_forms_are_left_alone(text: str) -> None:
    assert limit_select(text, 10) is None


# -- the cap on real results ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("count", [0, 1, CAP - 1, CAP, CAP + 1, 3 * CAP])
def test_the_cap_cuts_and_flags_exactly(fmt: str, count: int) -> None:
    store = store_with([f"value {i}" for i in range(count)])
    result = run(store, QUERY, fmt)
    assert result.truncated is (count > CAP)
    assert numbers(result.body, fmt) == list(range(min(count, CAP)))


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_literals_that_look_like_row_boundaries_do_not_cut_a_full_result(fmt: str) -> None:
    # each value holds the patterns the fast path counts: the bound overshoots, the
    # exact count runs and finds the result within the cap
    tricky = 'a},{"b},{"c"}\n<result>\r\n"x",y'
    store = store_with([tricky] * CAP)
    result = run(store, QUERY, fmt)
    assert result.truncated is False
    assert numbers(result.body, fmt) == list(range(CAP))
    if fmt != "csv":
        values = ox.parse_query_results(result.body, format=FORMATS[fmt])
        assert {solution["value"].value for solution in values} == {tricky}  # type: ignore[union-attr]


def test_without_a_cap_every_row_comes_back() -> None:
    store = store_with([str(i) for i in range(3 * CAP)])
    result = run(store, QUERY, "json", max_rows=None)
    assert result.truncated is False
    assert numbers(result.body, "json") == list(range(3 * CAP))


def test_a_query_limit_larger_than_the_cap_is_capped() -> None:
    store = store_with([str(i) for i in range(3 * CAP)])
    result = run(store, QUERY + f" LIMIT {2 * CAP}", "json")
    assert result.truncated is True
    assert numbers(result.body, "json") == list(range(CAP))


def test_a_syntax_error_is_reported_on_the_text_as_written() -> None:
    text = "SELECT ?s\nWHERE {\n  ?s ?p \n}"
    with pytest.raises(SyntaxError) as direct:
        ox.Store().query(text)
    with pytest.raises(SyntaxError) as raised:
        run(ox.Store(), text, "json")
    # the position points into the query as sent, not into the rewritten one
    assert str(raised.value) == str(direct.value)


# -- the workers' in-memory copy --------------------------------------------------------------


def test_the_sorted_memory_copy_holds_the_same_quads() -> None:
    from mandategraph.graph.sparql.workers import memory_copy

    source = ox.Store()
    data = (
        '<http://example.org/z> <http://example.org/p> "line one\\nline two"@en '
        "<http://example.org/g1> .\n"
        "<http://example.org/a> <http://example.org/q> _:node <http://example.org/g2> .\n"
        '_:node <http://example.org/r> "kept" <http://example.org/g2> .\n'
        '<http://example.org/a> <http://example.org/p> "in the default graph" .\n'
    )
    source.load(data, format=ox.RdfFormat.N_QUADS)
    copy = memory_copy(source)
    assert len(copy) == len(source) == 4

    def ground(store: ox.Store) -> set[str]:
        return {str(q) for q in store if not isinstance(q.object, ox.BlankNode)
                and not isinstance(q.subject, ox.BlankNode)}

    assert ground(copy) == ground(source)
    # the blank node still joins its two quads, in the same graph
    found = copy.query(
        "SELECT ?v WHERE { GRAPH <http://example.org/g2> { "
        "<http://example.org/a> <http://example.org/q> ?b . ?b <http://example.org/r> ?v } }"
    )
    assert [solution["v"].value for solution in found] == ["kept"]  # type: ignore[union-attr]
