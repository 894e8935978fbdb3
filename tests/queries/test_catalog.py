"""The canned-query catalogue: headers, parameters, binding."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal

from mandategraph.errors import BadParameterError, QueryNotFoundError, QuerySyntaxError
from mandategraph.graph.store import Store
from mandategraph.queries.catalog import get_query, load_catalog, load_query

REQUIRED = {
    "activities", "partnerships", "mandates", "mandates-without-activities",
    "activities-without-mandate", "actor-profile", "state-coverage", "theme-summary",
    "documents", "timeline",
}


def test_the_catalogue_has_every_required_query() -> None:
    assert REQUIRED <= set(load_catalog())


@pytest.mark.parametrize("name", sorted(load_catalog()))
def test_each_query_has_a_summary_and_columns(name: str) -> None:
    query = get_query(name)
    assert query.summary
    assert query.columns, f"{name} declares no columns"
    for column in query.columns:
        assert f"?{column}" in query.text, f"{name}: column {column} is not in the SPARQL"


def test_activities_columns_are_exactly_the_issue_s() -> None:
    assert get_query("activities").columns == (
        "activity", "label", "type", "theme", "year", "status", "conducted_by", "partners",
        "funders", "states", "participants", "mandates", "document", "quote",
    )


def test_unknown_query_lists_the_known_ones() -> None:
    with pytest.raises(QueryNotFoundError, match="known: .*activities"):
        get_query("nope")


def test_parameters_are_typed_and_checked() -> None:
    query = get_query("activities")
    assert query.bindings({"state": "jam", "year": "2010"}) == {
        "state": Literal("JAM"), "year": Literal(2010),
    }
    with pytest.raises(BadParameterError, match="whole number"):
        query.bindings({"year": "twenty ten"})
    with pytest.raises(BadParameterError, match="alpha-3"):
        query.bindings({"state": "Jamaica"})
    with pytest.raises(BadParameterError, match="no parameter colour"):
        query.bindings({"colour": "red"})


def test_parameters_become_a_values_block_of_rdf_terms() -> None:
    text = get_query("actor-profile").sparql({"actor": 'CICTE'})
    assert 'VALUES (?_actor) { ("CICTE") }' in text
    unset = get_query("activities").sparql({})
    assert "(UNDEF UNDEF UNDEF UNDEF)" in unset


def test_a_header_without_summary_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("#+ description: no summary\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(BadParameterError, match="summary"):
        load_query(path)


def test_a_query_that_does_not_parse_is_refused_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("#+ summary: broken\nSELECT * WHERE {\n  ?s ?p\n}\n")
    with pytest.raises(QuerySyntaxError) as caught:
        load_query(path)
    assert caught.value.line is not None


@pytest.mark.parametrize("name", sorted(load_catalog()))
def test_a_page_is_its_slice_of_the_whole_result(name: str, built_store: Store) -> None:
    from mandategraph.graph.sparql.results import to_table
    from mandategraph.queries.catalog import Page

    query = get_query(name)
    whole = to_table(built_store.query(query.sparql({}))).rows
    for number in (1, 2, 3):
        page = Page(number, 2)
        rows = to_table(built_store.query(query.sparql({}, page=page))).rows
        # one row past the page: the sign of a next one
        assert rows == whole[page.offset:page.offset + 3]
        exact = to_table(built_store.query(query.sparql({}, page=page, next_row=False))).rows
        assert exact == whole[page.offset:page.offset + 2]


def test_activities_selects_its_page_before_its_columns() -> None:
    from mandategraph.queries.catalog import Page

    query = get_query("activities")
    assert query.pages_inside
    text = query.sparql({"theme": "border-control"}, page=Page(3, 10))
    inner = text.index("SELECT ?activity ?document WHERE {")
    # the page and the parameters are in the subquery that selects the activities
    assert inner < text.index("VALUES (?_theme") < text.index("LIMIT 11 OFFSET 20")
    assert text.index("LIMIT 11 OFFSET 20") < text.index("OPTIONAL { ?activity rdfs:label")
    assert "# PAGE" not in text and "# PARAMETERS" not in text


def test_a_page_number_below_1_is_refused() -> None:
    from mandategraph.queries.catalog import Page

    with pytest.raises(BadParameterError):
        Page(0, 10)
