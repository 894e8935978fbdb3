"""The contract: the OpenAPI document describes what the API really answers.

Schemathesis reads ``/openapi.json`` and sends every documented operation generated
requests (valid and invalid ones), with every check on: no server error, status codes,
content types, response bodies and headers as documented, valid data accepted,
invalid data rejected, unknown methods answered 405 and ``OPTIONS`` with a correct
``Allow``. The app runs in-process on the store built from the corpus.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from _fixtures import make_app
from fastapi.testclient import TestClient
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks

from mandategraph.api.app import create_app
from mandategraph.api.settings import Settings

#: Valid queries for the ``sparql-query`` format of ``/sparql`` (a JSON schema cannot
#: say what parses as SPARQL): SELECT, ASK, CONSTRUCT and DESCRIBE.
QUERIES = [
    "SELECT ?s WHERE { ?s a mg:Activity } LIMIT 3",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "ASK { ?s a mg:Resolution }",
    "CONSTRUCT { ?s a mg:Activity } WHERE { ?s a mg:Activity } LIMIT 3",
    "DESCRIBE <https://w3id.org/mandategraph/id/org/CICTE>",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
]
schemathesis.openapi.format("sparql-query", st.sampled_from(QUERIES))
schemathesis.openapi.format(
    "sparql-update", st.just("INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }")
)


@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def sparql_text(ctx: object, value: object) -> bytes:
    # a body that is not text (generated to be refused) is sent as its JSON
    return (value if isinstance(value, str) else json.dumps(value)).encode("utf-8")


load_all_checks()
EVERY_CHECK = list(CHECKS.get_all())

CONFIG = {
    "seed": 20261210,
    "generation": {"max-examples": 20, "mode": "all", "database": "none"},
    "phases": {"stateful": {"enabled": False}},
    "operations": [
        {
            # a format that fits SELECT (csv) does not fit CONSTRUCT: valid parameters
            # may be answered 406, which a schema cannot rule out
            "include-path": "/sparql",
            "checks": {"positive_data_acceptance": {"expected-statuses": [
                "2xx", "3xx", "401", "403", "404", "406", "409", "429", "5xx"]}},
        },
    ],
}


class LateApp:
    """An ASGI app that forwards to the app given later: the schema is read when this
    module is imported, the store is built by a session fixture."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


APP = LateApp()
schema = schemathesis.openapi.from_dict(
    create_app(Settings(store="memory")).openapi(), config=schemathesis.Config.from_dict(CONFIG)
)
schema.app = APP
schema.location = "/openapi.json"


@pytest.fixture(scope="module")
def built_app(built_path: tuple[Path, object]) -> Iterator[None]:
    """The app under test, on the built corpus; it serves the document that was read."""
    APP.app = create_app(Settings(store=str(built_path[0]), query_workers=1))
    assert APP.app.openapi() == schema.raw_schema
    yield
    from schemathesis.python import asgi

    asgi.shutdown_lifespans()


@schema.parametrize()
def test_every_operation_keeps_the_contract(case: schemathesis.Case, built_app: None) -> None:
    case.call_and_validate(checks=EVERY_CHECK)


# -- regressions: what the OpenAPI document and the answers got wrong ----------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app, _store = make_app(tmp_path_factory.mktemp("contract"))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    return client.get("/openapi.json").json()


def test_a_huge_offset_is_a_400_naming_the_range_not_a_syntax_error(client: TestClient) -> None:
    response = client.get("/api/activities?offset=99999999999999999999")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "bad parameter"
    assert "offset must be a whole number between 0 and 10000000" in body["detail"]
    assert "OFFSET" not in body["detail"] and "SELECT" not in body["detail"]


@pytest.mark.parametrize("url", ["/api/activities?offset=-5", "/activities?offset=-5",
                                 "/api/documents?offset=-5", "/documents?offset=10000001"])
def test_an_offset_out_of_range_names_a_real_upper_bound(client: TestClient, url: str) -> None:
    response = client.get(url, headers={"accept": "application/json"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "between 0 and 10000000" in detail and "None" not in detail


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/activities?limit=abc", "limit must be a whole number between 1 and 500, got 'abc'"),
        ("/api/activities?year=0", "year must be a whole number between 1 and 9999, got '0'"),
        ("/api/activities?status=someday", "status must be one of 'planned', 'ongoing' or "
         "'completed', got 'someday'"),
        ("/api/actors?has_activity=maybe", "has_activity must be true or false, got 'maybe'"),
    ],
)
def test_a_rejected_value_is_400_naming_the_valid_values(
    client: TestClient, url: str, message: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.json() == {"error": "bad parameter", "detail": message, "status": 400}


def test_options_sparql_allows_get_and_post(client: TestClient) -> None:
    for path, methods in [("/sparql", {"GET", "HEAD", "POST", "OPTIONS"}),
                          ("/sparql/update", {"POST", "OPTIONS"}),
                          ("/api/activities", {"GET", "HEAD", "OPTIONS"})]:
        response = client.options(path)
        assert response.status_code == 204, path
        assert {m.strip() for m in response.headers["allow"].split(",")} == methods, path


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("PUT", "/sparql", "GET, HEAD, POST, OPTIONS"),
    ("DELETE", "/sparql", "GET, HEAD, POST, OPTIONS"),
    ("GET", "/sparql/update", "POST, OPTIONS"),
    ("POST", "/api/activities", "GET, HEAD, OPTIONS"),
    ("PATCH", "/queries/timeline", "GET, HEAD, OPTIONS"),
])
def test_a_wrong_method_is_405_with_every_method_of_the_path(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["error"] == "method not allowed"


def test_head_answers_the_get_headers_without_a_body(client: TestClient) -> None:
    got, head = client.get("/api/activities"), client.head("/api/activities")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def test_an_unknown_path_is_404_in_the_error_shape(client: TestClient) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert set(response.json()) == {"error", "detail", "status"}


def test_queries_is_documented_as_html_and_json(document: dict[str, Any]) -> None:
    listed = document["paths"]["/queries"]["get"]
    assert {"text/html", "application/json"} <= set(listed["responses"]["200"]["content"])
    run = document["paths"]["/queries/activities"]["get"]
    assert {"theme", "year", "state", "actor", "format"} <= {p["name"] for p in run["parameters"]}
    assert {"text/html", "application/json", "text/csv", "application/sparql-results+json"} <= (
        set(run["responses"]["200"]["content"]))


def test_400_is_documented_instead_of_422(document: dict[str, Any]) -> None:
    error = {"$ref": "#/components/schemas/ErrorBody"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "422" not in responses, (method, path)
            for code in [c for c in responses if c >= "400"]:
                assert responses[code]["content"]["application/json"]["schema"] == error
                assert "text/html" in responses[code]["content"]
            assert "503" in responses, (method, path)
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert "400" in document["paths"]["/api/activities"]["get"]["responses"]
    assert "404" in document["paths"]["/api/activities/{id}"]["get"]["responses"]


def test_sparql_parameters_bodies_and_media_types_are_documented(
    document: dict[str, Any],
) -> None:
    get = document["paths"]["/sparql"]["get"]
    assert {p["name"] for p in get["parameters"]} == {
        "query", "default-graph-uri", "named-graph-uri", "format"}
    results = set(get["responses"]["200"]["content"])
    assert {
        "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
        "text/tab-separated-values", "text/turtle", "application/n-triples",
        "application/ld+json", "application/rdf+xml",
    } <= results
    assert "application/json" not in results
    post = document["paths"]["/sparql"]["post"]
    assert set(post["requestBody"]["content"]) == {
        "application/x-www-form-urlencoded", "application/sparql-query",
        "application/sparql-update"}
    assert {"200", "204", "400", "403", "406", "413", "503"} <= set(post["responses"])
    update = document["paths"]["/sparql/update"]["post"]
    assert set(update["requestBody"]["content"]) == {
        "application/sparql-update", "application/x-www-form-urlencoded"}
    assert {"204", "400", "403", "413", "503"} <= set(update["responses"])


def test_a_malformed_graph_name_is_refused_even_without_a_query(built_app: None) -> None:
    # found by the contract run: GET /sparql?default-graph-uri=C answered the service
    # description (200), while the same name with a query is a 400
    from fastapi.testclient import TestClient

    with TestClient(APP.app) as client:
        for name in ("default-graph-uri", "named-graph-uri"):
            response = client.get("/sparql", params={name: "C"})
            assert response.status_code == 400, name
            assert "must be an absolute IRI" in response.json()["detail"]
            good = client.get("/sparql", params={name: "http://example.org/g"},
                              headers={"Accept": "text/turtle"})
            assert good.status_code == 200
            assert "sd:Service" in good.text
