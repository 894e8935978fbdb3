"""Canned queries over HTTP: the list, the page with its form, every results format,
parameters bound (never pasted), and errors in their shape."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from _fixtures import ACTIVITY, WORKSHOP_ACTIVITY, make_app
from fastapi.testclient import TestClient

from mandategraph.queries.catalog import load_catalog

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app, _store = make_app(tmp_path_factory.mktemp("canned"))
    with TestClient(app) as test_client:
        yield test_client


def rows(client: TestClient, url: str) -> list[dict[str, str | None]]:
    response = client.get(url, headers={"accept": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def test_list_names_every_query_with_summary_params_and_link(client: TestClient) -> None:
    listed = client.get("/queries", headers={"accept": "application/json"}).json()
    catalog = load_catalog()
    assert [q["name"] for q in listed] == list(catalog)
    profile = next(q for q in listed if q["name"] == "actor-profile")
    assert profile["url"] == "/queries/actor-profile"
    assert profile["summary"] == catalog["actor-profile"].summary
    assert profile["params"][0]["name"] == "actor"
    assert profile["params"][0]["default"] == "CICTE"


def test_list_page_links_every_query(client: TestClient) -> None:
    page = client.get("/queries", headers=BROWSER)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for name in load_catalog():
        assert f'href="/queries/{name}"' in page.text


def test_every_query_answers_its_declared_columns(client: TestClient) -> None:
    for name, query in load_catalog().items():
        body = client.get(f"/queries/{name}?format=json").json()
        assert set(body) == {"columns", "rows", "truncated"}
        assert body["columns"] == list(query.columns), name
        assert body["truncated"] is False


def test_json_rows_are_objects_keyed_by_column(client: TestClient) -> None:
    found = rows(client, "/queries/activities")
    by_activity = {r["activity"]: r for r in found}
    assert set(by_activity) == {ACTIVITY, WORKSHOP_ACTIVITY}
    training = by_activity[ACTIVITY]
    assert training["theme"] == "border-control"
    assert training["states"] == "JAM"
    assert "CICTE held a customs training" in (training["quote"] or "")


def test_parameters_from_the_query_string_filter_results(client: TestClient) -> None:
    assert [r["activity"] for r in rows(client, "/queries/activities?theme=border-control")] == [
        ACTIVITY
    ]
    assert [r["activity"] for r in rows(client, "/queries/activities?state=TTO")] == [
        WORKSHOP_ACTIVITY
    ]
    assert [r["activity"] for r in rows(client, "/queries/activities?year=2009")] == [
        WORKSHOP_ACTIVITY
    ]
    assert rows(client, "/queries/activities?theme=border-control&year=2009") == []


def test_declared_default_applies_and_can_be_overridden(client: TestClient) -> None:
    default = rows(client, "/queries/actor-profile")  # actor defaults to CICTE
    assert {r["activity"] for r in default} == {ACTIVITY, WORKSHOP_ACTIVITY}
    unodc = rows(client, "/queries/actor-profile?actor=UNODC")
    assert [(r["role"], r["activity"]) for r in unodc] == [("partner", ACTIVITY)]


def test_a_value_cannot_break_out_of_its_literal(client: TestClient) -> None:
    # bound as an RDF term: quotes and braces are data, so nothing matches and nothing breaks
    sneaky = '") } UNION { ?activity ?p ?o } #'
    response = client.get("/queries/mandates", params={"resolution": sneaky},
                          headers={"accept": "application/json"})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["rows"] == []


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/csv", "text/csv"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/json"),
        ("text/html", "text/html"),
    ],
)
def test_accept_header_chooses_the_format(client: TestClient, accept: str, media: str) -> None:
    response = client.get("/queries/timeline", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)


def test_format_parameter_gives_each_results_format(client: TestClient) -> None:
    url = "/queries/timeline"
    srj = client.get(f"{url}?format=srj")
    assert srj.headers["content-type"].startswith("application/sparql-results+json")
    document = json.loads(srj.text)
    assert document["head"]["vars"] == ["year", "theme", "activities"]
    assert len(document["results"]["bindings"]) == 2

    srx = client.get(f"{url}?format=srx")
    root = ET.fromstring(srx.content)
    namespace = "{http://www.w3.org/2005/sparql-results#}"
    assert len(root.findall(f"{namespace}results/{namespace}result")) == 2

    table = list(csv.reader(io.StringIO(client.get(f"{url}?format=csv").text)))
    assert table[0] == ["year", "theme", "activities"]
    assert sorted(table[1:]) == [["2009", "cybersecurity", "1"], ["2010", "border-control", "1"]]

    tsv = client.get(f"{url}?format=tsv").text.splitlines()
    assert tsv[0] == "?year\t?theme\t?activities"
    assert len(tsv) == 3


def test_page_shows_query_form_with_defaults_and_results(client: TestClient) -> None:
    page = client.get("/queries/actor-profile", headers=BROWSER)
    assert page.status_code == 200
    text = page.text
    assert "<form" in text and 'name="actor"' in text
    assert 'placeholder="CICTE"' in text
    assert "?_actor" in text  # the query text is shown
    assert "customs training in Jamaica" in text or ACTIVITY.split("/id/")[1] in text
    assert "/queries/actor-profile?format=csv" in text
    assert '<table class="data results">' in text


def test_page_results_link_to_resource_pages(client: TestClient) -> None:
    page = client.get("/queries/activities", headers=BROWSER).text
    assert 'href="/id/document/test-report/activity/2-1"' in page


def test_bad_parameter_is_400_with_the_error_shape(client: TestClient) -> None:
    response = client.get("/queries/activities?year=soon", headers={"accept": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"error", "detail", "status"}
    assert body["status"] == 400
    assert "year" in body["detail"]


def test_unknown_parameter_is_400(client: TestClient) -> None:
    response = client.get("/queries/timeline?colour=red", headers={"accept": "application/json"})
    assert response.status_code == 400
    assert "colour" in response.json()["detail"]


def test_bad_parameter_in_a_browser_gives_the_form_back(client: TestClient) -> None:
    response = client.get("/queries/activities?year=soon", headers=BROWSER)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "<form" in response.text and "soon" in response.text


def test_unknown_query_is_404_with_the_error_shape(client: TestClient) -> None:
    response = client.get("/queries/no-such-question")
    assert response.status_code == 404
    body = response.json()
    assert body["status"] == 404 and body["error"] == "query not found"


def test_unknown_format_is_refused(client: TestClient) -> None:
    response = client.get("/queries/timeline?format=yaml")
    assert response.status_code == 406
    assert response.json()["status"] == 406


def test_markup_in_results_is_escaped(client: TestClient) -> None:
    page = client.get("/queries/partnerships", headers=BROWSER).text
    assert "<script>alert" not in page


def test_canned_query_runs_on_the_executor(client: TestClient) -> None:
    # the app's executor applies the timeout and the row cap to canned queries
    assert getattr(client.app.state, "executor", None) is not None  # type: ignore[attr-defined]
    assert rows(client, "/queries/theme-summary")


def test_canned_queries_on_the_built_corpus(request: pytest.FixtureRequest) -> None:
    built_path: tuple[Path, object] = request.getfixturevalue("built_path")
    from mandategraph.api.app import create_app
    from mandategraph.api.settings import Settings

    settings = Settings(store=str(built_path[0]), query_workers=1)
    with TestClient(create_app(settings)) as built:
        for name, query in load_catalog().items():
            body = built.get(f"/queries/{name}?format=json").json()
            assert body["columns"] == list(query.columns), name
        activities = built.get("/queries/activities?format=json").json()["rows"]
        assert activities, "the seed report has activities"
        page = built.get("/queries/activities", headers=BROWSER)
        assert page.status_code == 200


NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#decimal",
    "http://www.w3.org/2001/XMLSchema#boolean",
}


def test_json_rows_give_numbers_and_booleans_typed(client: TestClient) -> None:
    """Issue 14: ``?format=json`` gave counts as strings (``"activities": "1"``); srj keeps
    its standard shape (lexical forms with datatypes)."""
    typed = 0
    for name in load_catalog():
        srj = client.get(f"/queries/{name}?format=srj").json()
        plain = client.get(f"/queries/{name}?format=json").json()["rows"]
        for binding, row in zip(srj["results"]["bindings"], plain, strict=True):
            for column, term in binding.items():
                assert isinstance(term["value"], str)  # srj unchanged
                if term.get("datatype") in NUMERIC:
                    typed += 1
                    value = row[column]
                    assert isinstance(value, bool | int | float), (name, column, value)
                    assert not isinstance(value, str)
    assert typed, "some canned query answers a count"


def test_a_page_shows_its_rows_with_links_and_downloads_the_whole(client: TestClient) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    whole = rows(client, "/queries/activities")
    assert len(whole) == 2
    old, settings.page_size = settings.page_size, 1
    try:
        first = client.get("/queries/activities", headers=BROWSER).text
        assert "Rows 1–1 (page 1)" in first
        assert 'href="/queries/activities?page=2" rel="next"' in first
        assert 'rel="prev"' not in first
        assert "/queries/activities?format=csv" in first  # the whole result
        second = client.get("/queries/activities?page=2", headers=BROWSER).text
        assert "Rows 2–2 (page 2)" in second
        assert 'href="/queries/activities?page=1" rel="prev"' in second
        assert 'rel="next"' not in second  # the last page
        assert "No rows (page 3)" in client.get("/queries/activities?page=3",
                                                headers=BROWSER).text
        # a page is the engine's page of the whole result, in order
        for number in (1, 2):
            body = client.get(f"/queries/activities?page={number}",
                              headers={"accept": "application/json"}).json()
            assert body["rows"] == whole[number - 1:number]
            assert body["page"] == number and body["page_size"] == 1
        assert body["previous"] == "/queries/activities?format=json&page=1"
        # with a parameter, the page is of the filtered rows, and the links keep it
        state = whole[0]["states"].split("|")[0]
        filtered = rows(client, f"/queries/activities?state={state}")
        body = client.get(f"/queries/activities?state={state}&page=1",
                          headers={"accept": "application/json"}).json()
        assert body["rows"] == filtered[:1]
        if len(filtered) > 1:
            assert body["next"] == f"/queries/activities?state={state}&format=json&page=2"
        csv_page = client.get("/queries/activities?page=1&format=csv").text
        assert len(list(csv.reader(io.StringIO(csv_page)))) == 1 + 1
    finally:
        settings.page_size = old


@pytest.mark.parametrize("page", ["0", "-1", "two", "15547298227071197184"])
def test_a_page_that_is_not_a_whole_number_from_1_is_400(client: TestClient, page: str) -> None:
    response = client.get(f"/queries/mandates?page={page}",
                          headers={"accept": "application/json"})
    assert response.status_code == 400
    assert "page must be a whole number from 1" in response.json()["detail"]
