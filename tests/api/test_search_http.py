"""``/search`` over HTTP: JSON with highlighted snippets, a page for browsers, the box on
every page, parameters checked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _fixtures import ACTIVITY, make_app
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    application, _store = make_app(tmp_path_factory.mktemp("search"))
    with TestClient(application) as test_client:
        yield test_client


def test_json_results_are_ranked_with_highlighted_snippets(client: TestClient) -> None:
    body = client.get("/search", params={"q": "Customs"}).json()
    assert body["total"] >= 1
    first = body["items"][0]
    assert first["iri"] == ACTIVITY and first["kind"] == "activity"
    assert first["page"].startswith("/id/document/test-report/")
    assert "<mark>customs</mark>" in first["snippet"]


def test_word_endings_and_kinds(client: TestClient) -> None:
    trained = client.get("/search", params={"q": "trainings"}).json()
    assert ACTIVITY in {item["iri"] for item in trained["items"]}
    actors = client.get("/search", params={"q": "terrorism", "kind": "actor"}).json()
    assert [item["kind"] for item in actors["items"]] == ["actor"] * actors["total"]
    assert actors["total"] >= 1


def test_markup_in_the_graph_stays_text(client: TestClient) -> None:
    body = client.get("/search", params={"q": "evil"}).json()
    assert body["total"] == 1
    assert "<script>" not in body["items"][0]["snippet"]
    page = client.get("/search", params={"q": "evil"}, headers={"Accept": "text/html"})
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text


def test_the_page_and_the_box_on_every_page(client: TestClient) -> None:
    page = client.get("/search", params={"q": "cybersecurity workshop"},
                      headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<mark>cybersecurity</mark>" in page.text and "1 result " in page.text
    for path in ("/", "/activities", "/id/state/JAM", "/ontology"):
        html = client.get(path, headers={"Accept": "text/html"}).text
        assert 'action="/search"' in html, path


def test_bad_parameters_are_400(client: TestClient) -> None:
    assert client.get("/search", params={"q": "x", "kind": "thing"}).status_code == 400
    assert client.get("/search", params={"q": "x", "lang": "fr"}).status_code == 400
    assert client.get("/search", params={"q": "x", "limit": "0"}).status_code == 400
    assert client.get("/search").json()["total"] == 0


def test_removing_a_document_over_http_takes_it_out_of_the_search(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from mandategraph.api.app import create_app
    from mandategraph.api.settings import Settings

    application, store = make_app(tmp_path_factory.mktemp("search-remove"))
    application = create_app(Settings(store="memory", update_token="t", query_workers=1),
                             store=store)
    with TestClient(application) as client:
        assert client.get("/search", params={"q": "customs"}).json()["total"] == 1
        done = client.delete("/api/documents/test-report", headers={"Authorization": "Bearer t"})
        assert done.status_code == 204
        assert client.get("/search", params={"q": "customs"}).json()["total"] == 0
