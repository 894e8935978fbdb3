"""Texts of a canned query for one engine (``queries/engines/<engine>/<name>.rq``): the
catalogue checks them, a store runs the one of its engine, and each answers what the
query's own text answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandategraph.errors import BadParameterError, QuerySyntaxError
from mandategraph.graph.sparql.results import to_table
from mandategraph.graph.store import Store
from mandategraph.queries.catalog import CannedQuery, Page, load_catalog
from mandategraph.queries.summaries import canned_sparql

WITH_ENGINE_TEXTS = [(q.name, engine) for q in load_catalog().values() for engine, _ in q.engines]

Rows = list[tuple[str | None, ...]]


def rows(
    store: Store, query: CannedQuery, values: dict[str, str], page: Page | None = None
) -> Rows:
    """The rows, each list of a GROUP_CONCAT in one order (the engine's is its own)."""
    table = to_table(store.query(query.sparql(values, page=page)))
    return [tuple(None if c is None else "|".join(sorted(c.split("|"))) for c in row)
            for row in table.rows]


def test_actor_profile_has_a_text_for_virtuoso() -> None:
    query = load_catalog()["actor-profile"]
    assert ("actor-profile", "virtuoso") in WITH_ENGINE_TEXTS
    assert query.on("virtuoso").text != query.text
    assert query.on("virtuoso").columns == query.columns
    assert query.on("oxigraph") is query and query.on("sparql") is query


def codes(store: Store, param: str) -> list[str]:
    """Every value of a parameter the built corpus has: the actors that take part in an
    activity, the resolutions' symbols, the statuses of mandate-status."""
    if param == "status":
        return ["implemented", "in progress", "planned only", "not applicable",
                "no indication", "not implemented"]
    pattern = {
        "actor": "?a mg:conductedBy|mg:inPartnershipWith|mg:fundedBy|mg:requestedBy ?who . "
                 "?who skos:notation ?code",
        "resolution": "?r a mg:Resolution ; skos:notation ?code",
    }[param]
    found = store.query(f"SELECT DISTINCT ?code WHERE {{ {pattern} }}")
    return sorted(row[0].value for row in found)


@pytest.mark.parametrize(("name", "engine"), WITH_ENGINE_TEXTS)
def test_an_engine_text_answers_as_the_query_for_every_value(
    name: str, engine: str, built_store: Store
) -> None:
    query = load_catalog()[name]
    other = query.on(engine)
    whole = rows(built_store, query, {})
    assert whole == rows(built_store, other, {})
    assert len(whole) > 3
    compared = 0
    for param in query.params:
        values = codes(built_store, param.name)
        assert len(values) > 3, param.name
        for code in values:
            given = {param.name: code}
            ours = rows(built_store, query, given)
            assert ours == rows(built_store, other, given), (param.name, code)
            compared += len(ours)
            page = Page(1, 2)
            assert rows(built_store, query, given, page) == rows(built_store, other, given,
                                                                  page)
    assert compared > 3


def test_the_lists_of_actor_profile_are_compared(built_store: Store) -> None:
    # its columns that are lists are there: some rows have other actors, states, years
    query = load_catalog()["actor-profile"]
    whole = rows(built_store, query, {})
    for column in ("year", "states", "others"):
        at = query.columns.index(column)
        assert any(row[at] for row in whole), column


def test_a_store_runs_its_engine_s_text(built_store: Store) -> None:
    query = load_catalog()["actor-profile"]
    assert built_store.engine == "oxigraph"
    assert canned_sparql(built_store, query, {}) == query.sparql({})
    built_store.engine = "virtuoso"  # an instance attribute, for this test only
    try:
        assert canned_sparql(built_store, query, {}) == query.on("virtuoso").sparql({})
    finally:
        del built_store.engine


def catalog_with(tmp_path: Path, engine_text: str, name: str = "one") -> Path:
    (tmp_path / "one.rq").write_text(
        "#+ summary: one\n#+ columns: [s]\nSELECT ?s WHERE {\n  # PARAMETERS\n  ?s ?p ?o }\n")
    folder = tmp_path / "engines" / "virtuoso"
    folder.mkdir(parents=True)
    (folder / f"{name}.rq").write_text(engine_text)
    load_catalog.cache_clear()
    return tmp_path


def test_an_engine_text_is_read_with_its_query(tmp_path: Path) -> None:
    directory = catalog_with(tmp_path, "SELECT ?s WHERE {\n  # PARAMETERS\n  ?s ?p ?o } LIMIT 5\n")
    query = load_catalog(directory)["one"]
    assert query.on("virtuoso").text.endswith("LIMIT 5\n")
    assert query.on("virtuoso").summary == "one"


@pytest.mark.parametrize(("text", "name", "error", "match"), [
    ("SELECT ?s WHERE { ?s ?p ?o }", "two", BadParameterError, "no canned query named 'two'"),
    ("SELECT ?s ?p WHERE {\n  # PARAMETERS\n  ?s ?p ?o }", "one", BadParameterError,
     r"columns \['s', 'p'\] are not the query's \['s'\]"),
    ("SELECT ?s WHERE { ?s ?p ?o }", "one", BadParameterError, "'# PARAMETERS' line"),
    ("ASK {\n  # PARAMETERS\n  ?s ?p ?o }", "one", BadParameterError, "must be a SELECT"),
    ("SELECT ?s WHERE {\n  ?s ?p\n}", "one", QuerySyntaxError, "for virtuoso"),
])
def test_a_wrong_engine_text_is_refused_by_name(
    tmp_path: Path, text: str, name: str, error: type[Exception], match: str
) -> None:
    directory = catalog_with(tmp_path, text, name)
    with pytest.raises(error, match=match):
        load_catalog(directory)
