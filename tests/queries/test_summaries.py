"""Summaries of canned queries (issue 16): on every backend, a summary reads back the
rows of its query, page by page and with each parameter that has a filter; a write of
data makes it stale, and the query then answers itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from mandategraph.errors import BadParameterError, StoreError
from mandategraph.graph.build import build
from mandategraph.graph.sparql.results import Table, to_table
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import GRAPH, MG
from mandategraph.queries.catalog import Page, load_catalog, load_query
from mandategraph.queries.compliance import run_checks
from mandategraph.queries.summaries import (
    canned_sparql,
    fresh,
    materialized,
    summarize,
    summary_graph,
    summary_sparql,
)
from tests.conftest import CORPUS

#: Values of each parameter that has a filter, as a user would give them.
VALUES: dict[str, list[dict[str, str]]] = {
    "activities": [{"theme": "border-control"}, {"year": "2010"}, {"state": "JAM"},
                   {"theme": "drug-trafficking", "state": "JAM"}],
    "mandate-status": [{"resolution": "AG/RES. 2485 (XXXIX-O/09)"},
                       {"status": "implemented"}, {"status": "no indication"}],
    "mandates": [{"resolution": "AG/RES. 2397 (XXXVIII-O/08)"}],
    "mandates-without-activities": [{"resolution": "AG/RES. 2485 (XXXIX-O/09)"},
                                    {"resolution": "AG/RES. 2397 (XXXVIII-O/08)"}],
    "dropped-mandates": [{"resolution": "AG/RES. 2485 (XXXIX-O/09)"}],
    "partnerships": [{"actor": "CICAD"}, {"actor": "CICTE"}, {"actor": "NOBODY"}],
    "timeline": [{"theme": "drug-trafficking"}],
}


def rows(store: Store, text: str) -> list[list[str | None]]:
    return to_table(store.query(text)).rows


@pytest.fixture()
def summarized(open_backend: Callable[..., Store]) -> Store:
    store = open_backend()
    report = build(store, corpus=CORPUS, reason=False)
    assert not report.failures, report.failures
    summarize(store)
    return store


@pytest.mark.server
def test_summaries_read_back_every_query_with_its_filters_and_pages(summarized: Store) -> None:
    store = summarized
    queries = materialized()
    assert fresh(store) == {q.name: len(rows(store, q.sparql(unbound=True))) for q in queries}
    checked = 0
    for query in queries:
        for values in [{}, *VALUES.get(query.name, [])]:
            text = summary_sparql(query, values)
            assert text is not None and f"FROM <{summary_graph(query.name)}>" in text
            live = rows(store, query.sparql(values))
            assert rows(store, text) == live, (query.name, values)
            # a row cap of 4: the first 5 rows (one more says it was cut), all of them
            # read only where no filter decides which rows come first
            capped = rows(store, summary_sparql(query, values, limit=4) or "")
            assert capped[:5] == live[:5] and (values or len(capped) == min(5, len(live)))
            for page in (Page(1, 2), Page(2, 3)):
                assert rows(store, summary_sparql(query, values, page=page) or "") == rows(
                    store, query.sparql(values, page=page)), (query.name, values, page)
            checked += bool(live)
    assert checked >= 15  # most of these have rows on the corpus


@pytest.mark.server
def test_the_compliance_checks_find_the_same_from_the_summaries(summarized: Store) -> None:
    def run(text: str) -> Table:
        return to_table(summarized.query(text))

    from_summaries = run_checks(run, store=summarized)
    assert from_summaries == run_checks(run)
    assert len(from_summaries) >= 5


@pytest.mark.server
def test_a_write_makes_the_summaries_stale(summarized: Store) -> None:
    store = summarized
    query = load_catalog()["partnerships"]
    assert canned_sparql(store, query) == summary_sparql(query)
    store.replace_graph(URIRef(GRAPH["document/extra"]), [
        (URIRef("http://example.org/x"), MG.paragraphNumber, Literal("1"))])
    assert fresh(store) == {}
    assert canned_sparql(store, query) == query.sparql()
    summarize(store, ["partnerships"])
    assert set(fresh(store)) == {"partnerships"}


def test_a_row_cap_is_the_first_page_of_a_query_that_pages_itself() -> None:
    query = load_catalog()["actor-profile"]
    with Store.open("memory") as store:
        text = canned_sparql(store, query, {"actor": "CICAD"}, limit=4)
        assert text == query.sparql({"actor": "CICAD"}, page=Page(1, 4), next_row=True)
        assert canned_sparql(store, query, {"actor": "CICAD"}) == query.sparql(
            {"actor": "CICAD"})


def test_a_parameter_without_a_filter_goes_to_the_query(tmp_path: Path) -> None:
    query = load_catalog()["activities"]
    assert summary_sparql(query, {"actor": "CICTE"}) is None  # requesters are no column
    assert summary_sparql(query, {"theme": "border-control"}) is not None
    assert summary_sparql(load_catalog()["actor-profile"]) is None  # no summary
    with Store.open("memory") as store:
        assert canned_sparql(store, query, {"actor": "CICTE"}) == query.sparql({"actor": "CICTE"})
        # never summarized: every query answers itself
        assert canned_sparql(store, query) == query.sparql()


def test_summaries_need_a_writable_store_and_known_names(built_path: tuple[Path, object],
                                                         tmp_path: Path) -> None:
    with Store.open(built_path[0], read_only=True) as store, pytest.raises(
            StoreError, match="read-only"):
        summarize(store)
    with Store.open(tmp_path / "store") as store, pytest.raises(
            BadParameterError, match="no summary for actor-profile"):
        summarize(store, ["actor-profile"])


def test_the_summaries_token_outlives_the_process_until_a_write(tmp_path: Path) -> None:
    location = tmp_path / "store"
    with Store.open(location) as store:
        build(store, corpus=CORPUS, reason=False, validate=False)
        summarize(store, ["timeline"])
    with Store.open(location, read_only=True) as store:
        assert set(fresh(store)) == {"timeline"}
    with Store.open(location) as store:
        store.update("INSERT DATA { GRAPH <http://example.org/g> { "
                     "<http://example.org/s> <http://example.org/p> 1 } }")
    with Store.open(location, read_only=True) as store:
        assert fresh(store) == {}


@pytest.mark.parametrize("header, message", [
    ("#+ materialize: [theme]", "must be a map"),
    ("#+ materialize: {colour: null}", "not a parameter"),
    ("#+ materialize: {theme: 3}", "must be text or null"),
    ("#+ materialize: {theme: \"?s = \"}", "does not parse"),
])
def test_a_bad_materialize_header_is_refused(tmp_path: Path, header: str, message: str) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("#+ summary: mine\n#+ params:\n#+   - {name: theme}\n#+ columns: [s]\n"
                    f"{header}\nSELECT ?s WHERE {{ ?s ?p ?o }}\n", encoding="utf-8")
    with pytest.raises(BadParameterError, match=message):
        load_query(path)


@pytest.mark.parametrize("name", ["mandate-status", "mandates-without-activities"])
def test_the_resolution_parameter_keeps_only_that_resolution(name: str,
                                                             built_store: Store) -> None:
    # the filter once sat in a subquery, which does not see the parameters' VALUES
    symbol = "AG/RES. 2485 (XXXIX-O/09)"
    found = rows(built_store, load_catalog()[name].sparql({"resolution": symbol}))
    everything = rows(built_store, load_catalog()[name].sparql())
    assert found and {row[0] for row in found} == {symbol}
    assert len(found) < len(everything)


def test_a_query_that_pages_itself_is_summarized_page_by_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mandategraph.queries.summaries.SUMMARY_PAGE", 7)
    query = load_catalog()["activities"]
    with Store.open(tmp_path / "store") as store:
        build(store, corpus=CORPUS, reason=False, validate=False)
        [done] = summarize(store, ["activities"])
        live = rows(store, query.sparql())
        assert done.error is None and done.rows == len(live) > 3 * 7
        assert rows(store, summary_sparql(query) or "") == live


def test_the_summarize_command_lists_what_it_stored(tmp_path: Path, runner: CliRunner) -> None:
    from mandategraph.api.cli import app

    location = str(tmp_path / "store")
    built = runner.invoke(app, ["--store", location, "build", "--no-reason"])
    assert built.exit_code == 0, built.output
    assert "summary of partnerships" in built.output
    done = runner.invoke(app, ["--store", location, "summarize", "timeline",
                               "state-coverage"])
    assert done.exit_code == 0, done.output
    assert "timeline" in done.output and "state-coverage" in done.output
    wrong = runner.invoke(app, ["--store", location, "summarize", "actor-profile"])
    assert wrong.exit_code != 0 and "no summary for actor-profile" in wrong.output


@pytest.mark.parametrize("size", [1, 10, 64, 10_000])
def test_a_body_is_cut_between_lines_into_parts_of_at_most_a_size(size: int) -> None:
    from mandategraph.graph.remote_store import line_chunks

    body = b"".join(b"<x> <p> \"%s\" .\n" % (b"y" * (n % 17)) for n in range(200))
    parts = list(line_chunks(body, size))
    assert b"".join(parts) == body
    assert all(part.endswith(b"\n") for part in parts)
    # a part is whole lines within the size, or a single line longer than the size
    assert all(len(part) <= size or part.count(b"\n") == 1 for part in parts)
    if size >= len(body):
        assert parts == [body]
    else:
        assert len(parts) > len(body) // max(size, 40)  # no line is longer than 40 bytes
    assert list(line_chunks(b"", size)) == [b""]


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An emptied store on each real server, built from the corpus."""
    from mandategraph.graph.backends import open_store
    from tests.remote_fixtures import backend_location

    store = open_store(backend_location(request, request.param, tmp_path))
    report = build(store, corpus=CORPUS, reason=False, validate=False)
    assert not report.failures, report.failures
    yield store
    store.close()


def spy_writes(store: Store, graph: URIRef, monkeypatch: pytest.MonkeyPatch, *,
               fail_at: int | None = None) -> list[tuple[str, int]]:
    """Record each request the store's client sends that writes into ``graph``: how
    (``PUT``/``POST`` of the Graph Store Protocol, ``DROP``/``INSERT`` for an update
    that drops it first or not) and its size in bytes. The ``fail_at``-th (from 1)
    raises as an unreachable server does instead."""
    client = store.client  # type: ignore[attr-defined]
    put_graph, update = client.put_graph, client.update
    sent: list[tuple[str, int]] = []

    def count(how: str, size: int) -> None:
        sent.append((how, size))
        if len(sent) == fail_at:
            raise StoreError("cannot reach the SPARQL server: connection reset")

    def spied_put(name: str, body: bytes, *, method: str, timeout: float) -> None:
        if name == str(graph):
            count(method, len(body))
        put_graph(name, body, method=method, timeout=timeout)

    def spied_update(text: str, *, timeout: float) -> None:
        if f"GRAPH <{graph}> {{" in text:
            count("DROP" if text.startswith("DROP") else "INSERT", len(text.encode()))
        update(text, timeout=timeout)

    monkeypatch.setattr(client, "put_graph", spied_put)
    monkeypatch.setattr(client, "update", spied_update)
    return sent


@pytest.mark.server
def test_a_summary_larger_than_one_request_goes_to_a_server_in_parts(
        server_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mandategraph.graph.remote_store.SUMMARY_CHUNK_BYTES", 4096)
    query = load_catalog()["activities"]
    sent = spy_writes(server_store, summary_graph(query.name), monkeypatch)
    [done] = summarize(server_store, ["activities"])
    assert done.error is None
    first, *rest = [how for how, _size in sent]
    assert len(rest) > 5
    assert (first, set(rest)) in [("PUT", {"POST"}), ("DROP", {"INSERT"})]
    # an update carries its few words around the part
    assert all(size <= 4096 + 200 for _how, size in sent)
    live = rows(server_store, query.sparql())
    assert fresh(server_store) == {"activities": len(live)}
    assert rows(server_store, summary_sparql(query) or "") == live


@pytest.mark.server
def test_a_summary_cut_off_half_way_is_never_read_and_the_others_are_stored(
        server_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mandategraph.graph.remote_store.SUMMARY_CHUNK_BYTES", 4096)
    query = load_catalog()["activities"]
    sent = spy_writes(server_store, summary_graph(query.name), monkeypatch, fail_at=3)
    done = {summary.name: summary for summary in
            summarize(server_store, ["activities", "partnerships"])}
    assert len(sent) == 3
    assert done["activities"].error is not None
    assert done["activities"].error.startswith("not stored: cannot reach the SPARQL server")
    assert done["partnerships"].error is None
    # two parts of activities are on the server, without the record that makes it read
    stored = rows(server_store, f"SELECT (COUNT(*) AS ?n) FROM <{summary_graph('activities')}> "
                                "WHERE { ?s ?p ?o }")
    assert int(stored[0][0] or 0) > 0
    assert set(fresh(server_store)) == {"partnerships"}
    assert canned_sparql(server_store, query) == query.sparql()
