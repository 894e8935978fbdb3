"""The JSON API: lists with filters and paging, one resource at a time, the OpenAPI
document, and errors in their shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _fixtures import ACTIVITY, MANDATE_5B, SENTENCE, WORKSHOP_ACTIVITY, make_app, span
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app, _store = make_app(tmp_path_factory.mktemp("rest"))
    with TestClient(app) as test_client:
        yield test_client


def ids(client: TestClient, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return [item.get("id") or item.get("code") or item.get("slug")
            for item in response.json()["items"]]


def test_activity_list_has_records_total_and_paging(client: TestClient) -> None:
    body = client.get("/api/activities").json()
    assert body["total"] == 2 and body["limit"] == 50 and body["offset"] == 0
    first = body["items"][0]
    assert first["id"] == "test-report/2-1"
    assert first["iri"] == ACTIVITY
    assert first["types"] == ["training"]
    assert [t["id"] for t in first["themes"]] == ["border-control"]
    assert first["years"] == [2010]
    assert first["status"] == "completed"
    assert [a["id"] for a in first["conducted_by"]] == ["CICTE"]
    assert {a["id"] for a in first["partners"]} == {"UNODC", "EVIL"}
    assert [s["id"] for s in first["states"]] == ["JAM"]
    assert first["participants"] == 25
    assert [m["id"] for m in first["mandates"]] == ["ag-res-2485-xxxix-o-09/5.b"]
    assert first["document"]["id"] == "test-report"
    assert first["quote"] == SENTENCE
    assert first["page"] == "/id/document/test-report/activity/2-1"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=border-control", ["test-report/2-1"]),
        ("theme=cybersecurity", ["test-report/8-1"]),
        ("year=2009", ["test-report/8-1"]),
        ("state=JAM", ["test-report/2-1"]),
        ("state=jam", ["test-report/2-1"]),  # ISO codes are read case-insensitively
        ("actor=CICTE", ["test-report/2-1", "test-report/8-1"]),
        ("actor=UNODC", ["test-report/2-1"]),
        ("status=completed", ["test-report/2-1", "test-report/8-1"]),
        ("status=planned", []),
        ("mandate=ag-res-2485-xxxix-o-09/5.b", ["test-report/2-1"]),
        ("document=test-report&year=2010", ["test-report/2-1"]),
        ("theme=border-control&year=2009", []),
    ],
)
def test_activity_filters(client: TestClient, query: str, expected: list[str]) -> None:
    assert ids(client, f"/api/activities?{query}") == expected


def test_activity_paging(client: TestClient) -> None:
    first = client.get("/api/activities?limit=1").json()
    second = client.get("/api/activities?limit=1&offset=1").json()
    assert first["total"] == second["total"] == 2
    assert [first["items"][0]["iri"], second["items"][0]["iri"]] == [ACTIVITY, WORKSHOP_ACTIVITY]
    assert client.get("/api/activities?offset=5").json()["items"] == []


@pytest.mark.parametrize("query", ["limit=501", "limit=0", "offset=-1", "year=soon"])
def test_out_of_range_paging_is_400_with_the_error_shape(client: TestClient, query: str) -> None:
    response = client.get(f"/api/activities?{query}")
    assert response.status_code == 400
    assert set(response.json()) == {"error", "detail", "status"}


@pytest.mark.parametrize("query", ["status=someday", "theme=a%20b", "mandate=nonsense"])
def test_bad_filter_values_are_400(client: TestClient, query: str) -> None:
    response = client.get(f"/api/activities?{query}")
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_filter_values_are_bound_not_pasted(client: TestClient) -> None:
    response = client.get("/api/activities", params={"actor": 'CICTE" } UNION { ?a ?p ?o'})
    assert response.status_code == 400  # not a code: refused before any query


def test_activity_detail_has_facts_with_sources(client: TestClient) -> None:
    body = client.get("/api/activities/test-report/2-1").json()
    assert body["label"] == "customs training in Jamaica"
    assert [s["quote"] for s in body["sources"]] == [SENTENCE]
    partner = next(f for f in body["facts"]
                   if f["property"].endswith("#inPartnershipWith") and f["value"].endswith("UNODC"))
    start, end, quote = span("with UNODC")
    assert partner["sources"] == [{
        "document": "test-report", "start": start, "end": end, "quote": quote,
        "link": f"/id/document/test-report?highlight={start}-{end}#span-{start}",
    }]
    assert partner["value_label"] == "United Nations Office on Drugs and Crime"


def test_paragraphs_list_and_filters(client: TestClient) -> None:
    body = client.get("/api/paragraphs").json()
    assert [p["id"] for p in body["items"]] == [
        "ag-res-2485-xxxix-o-09/5", "ag-res-2485-xxxix-o-09/5.b", "ag-res-2485-xxxix-o-09/5.c"]
    by_id = {p["id"]: p for p in body["items"]}
    assert by_id["ag-res-2485-xxxix-o-09/5.b"]["text"] == MANDATE_5B
    assert by_id["ag-res-2485-xxxix-o-09/5.b"]["activities"] == 1
    # a paragraph counts the activities of its sub-paragraphs
    assert by_id["ag-res-2485-xxxix-o-09/5"]["activities"] == 1
    assert ids(client, "/api/paragraphs?has_activity=false") == ["ag-res-2485-xxxix-o-09/5.c"]
    assert len(ids(client, "/api/paragraphs?resolution=ag-res-2485-xxxix-o-09")) == 3
    assert len(ids(client, "/api/paragraphs?resolution=AG/RES. 2485 (XXXIX-O/09)")) == 3
    assert ids(client, "/api/paragraphs?resolution=ag-res-1-i-o-70") == []


def test_resolutions(client: TestClient) -> None:
    listed = client.get("/api/resolutions").json()
    assert listed["items"][0]["symbol"] == "AG/RES. 2485 (XXXIX-O/09)"
    one = client.get("/api/resolutions/ag-res-2485-xxxix-o-09").json()
    assert [p["number"] for p in one["paragraph_list"]] == ["5", "5.b", "5.c"]
    assert [d["id"] for d in one["recalled_by"]] == ["test-report"]


def test_actors(client: TestClient) -> None:
    listed = client.get("/api/actors").json()
    assert listed["items"][0]["code"] == "CICTE" and listed["items"][0]["activities"] == 2
    assert ids(client, "/api/actors?kind=oas-body") == ["CICTE"]
    one = client.get("/api/actors/CICTE").json()
    assert one["kind"] == "oas-body"
    assert [a["id"] for a in one["roles"]["conducted"]] == ["test-report/2-1", "test-report/8-1"]
    assert {p["actor"]["id"] for p in one["partners"]} == {"UNODC", "EVIL"}


def test_states(client: TestClient) -> None:
    listed = client.get("/api/states").json()
    assert {s["code"] for s in listed["items"]} == {"JAM", "TTO"}
    one = client.get("/api/states/JAM").json()
    assert one["member"] is True
    assert [a["id"] for a in one["beneficiary_of"]] == ["test-report/2-1"]


def test_documents(client: TestClient) -> None:
    assert ids(client, "/api/documents") == ["test-report"]
    one = client.get("/api/documents/test-report").json()
    assert one["kind"] == "report" and one["language"] == "en"
    assert [a["id"] for a in one["activity_list"]] == ["test-report/2-1", "test-report/8-1"]
    assert [c["id"] for c in one["cites"]] == ["ag-res-2485-xxxix-o-09/5.b"]


@pytest.mark.parametrize(
    "url",
    ["/api/activities/test-report/9-9", "/api/activities/nothing", "/api/actors/NOPE",
     "/api/states/XXX", "/api/documents/none", "/api/resolutions/ag-res-1-i-o-70",
     "/api/actors/JAM"],
)
def test_unknown_ids_are_404_with_the_error_shape(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"error", "detail", "status"} and body["status"] == 404


def test_openapi_documents_the_models_and_filters(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ["/api/resolutions", "/api/resolutions/{id}", "/api/paragraphs",
                 "/api/activities", "/api/activities/{id}", "/api/actors", "/api/actors/{code}",
                 "/api/states", "/api/states/{code}", "/api/documents", "/api/documents/{slug}"]:
        assert path in paths, path
    params = {p["name"] for p in paths["/api/activities"]["get"]["parameters"]}
    assert {"theme", "year", "state", "actor", "status", "mandate", "limit", "offset"} <= params
    components = schema["components"]["schemas"]
    assert {"ActivityOut", "ActivityDetail", "Fact", "Source", "Ref"} <= set(components)
    # the HTML pages are not part of the JSON API's description
    assert "/id/{path}" not in paths and "/" not in paths
