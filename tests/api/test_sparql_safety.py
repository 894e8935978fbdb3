"""Safety of /sparql against a real server: SERVICE allow-list, update token, LOAD,
the query timeout that really stops a query, the row cap, syntax errors."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pyoxigraph as ox
import pytest
from sparqlserver import build_store, running_server

pytestmark = pytest.mark.server

TOKEN = "s3cret-token"
CROSS_PRODUCT = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
)
REMOTE_ANSWER = {
    "head": {"vars": ["x"]},
    "results": {"bindings": [{"x": {"type": "literal", "value": "from-remote"}}]},
}


class FakeEndpoint:
    """A loopback HTTP server that records every request and answers SPARQL JSON."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        recorded = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                recorded.append((self.command, self.path))
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                body = json.dumps(REMOTE_ANSWER).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def allowed() -> Iterator[FakeEndpoint]:
    endpoint = FakeEndpoint()
    yield endpoint
    endpoint.close()


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[FakeEndpoint]:
    endpoint = FakeEndpoint()
    yield endpoint
    endpoint.close()


@pytest.fixture(scope="module")
def base(
    tmp_path_factory: pytest.TempPathFactory, allowed: FakeEndpoint
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("safety")
    # 2,000 entities, 4,000 triples: a four-way cross product would run for ages
    data = "\n".join(
        f'<http://example.org/e{i}> a <http://example.org/Thing> ; '
        f'<http://example.org/name> "thing {i}" .'
        for i in range(2000)
    )
    store = build_store(folder / "store", [("http://example.org/g", data, ox.RdfFormat.TURTLE)])
    env = {
        "MANDATEGRAPH_QUERY_TIMEOUT": "2",
        "MANDATEGRAPH_QUERY_WORKERS": "2",
        "MANDATEGRAPH_MAX_ROWS": "50",
        "MANDATEGRAPH_UPDATE_TOKEN": TOKEN,
        "MANDATEGRAPH_SERVICE_ALLOWLIST": json.dumps([allowed.url]),
    }
    with running_server(store, log=folder / "server.log", env=env) as url:
        yield url


@pytest.fixture()
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as http:
        yield http


def assert_error_shape(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"error", "detail", "status"}
    assert body["status"] == status
    return body


# -- SERVICE --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "PREFIX far: <{prefix}> SELECT * WHERE {{ SERVICE far:sparql {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?x a ?y # SERVICE <http://not.this/>\n"
        " SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ],
    ids=["iri", "silent", "prefixed", "after-comment", "escaped", "variable"],
)
def test_service_to_another_host_is_refused(
    client: httpx.Client, elsewhere: FakeEndpoint, template: str
) -> None:
    query = template.format(url=elsewhere.url, prefix=elsewhere.url[: -len("sparql")])
    response = client.get("/sparql", params={"query": query})
    body = assert_error_shape(response, 403)
    assert "SERVICE" in str(body["detail"])
    time.sleep(0.2)
    assert elsewhere.requests == [], "the refused endpoint was contacted"


def test_service_in_an_update_is_refused(client: httpx.Client, elsewhere: FakeEndpoint) -> None:
    update = (
        "INSERT { GRAPH <http://example.org/stolen> { ?s ?p ?o } } "
        f"WHERE {{ SERVICE <{elsewhere.url}> {{ ?s ?p ?o }} }}"
    )
    response = client.post(
        "/sparql/update",
        content=update,
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert_error_shape(response, 403)
    assert elsewhere.requests == []


def test_service_to_an_allowlisted_endpoint_passes_the_check(
    client: httpx.Client, allowed: FakeEndpoint
) -> None:
    query = f"SELECT ?x WHERE {{ SERVICE <{allowed.url}> {{ ?x ?p ?o }} }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    values = [b["x"]["value"] for b in response.json()["results"]["bindings"]]
    assert values == ["from-remote"]
    assert allowed.requests, "the allow-listed endpoint was not called"


# -- updates --------------------------------------------------------------------------

UPDATE = (
    "INSERT DATA { GRAPH <http://example.org/added> "
    '{ <http://example.org/new> <http://example.org/name> "added" } }'
)
CHECK = 'ASK { <http://example.org/new> <http://example.org/name> "added" }'


def ask(client: httpx.Client, query: str) -> bool:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {TOKEN}"}],
    ids=["no-token", "wrong-token", "wrong-scheme"],
)
def test_update_without_the_token_is_refused(client: httpx.Client, headers: dict[str, str]) -> None:
    for path in ("/sparql", "/sparql/update"):
        response = client.post(
            path, content=UPDATE, headers={"Content-Type": "application/sparql-update", **headers}
        )
        assert_error_shape(response, 403)
        form = client.post(path, data={"update": UPDATE}, headers=headers)
        assert_error_shape(form, 403)
    assert not ask(client, CHECK)


def test_update_with_the_token_is_applied(client: httpx.Client) -> None:
    response = client.post(
        "/sparql/update",
        content=UPDATE,
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 204, response.text
    assert ask(client, CHECK)
    form = client.post(
        "/sparql",
        data={"update": "DELETE DATA { GRAPH <http://example.org/added> "
              '{ <http://example.org/new> <http://example.org/name> "added" } }'},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert form.status_code == 204, form.text
    assert not ask(client, CHECK)


def test_load_is_refused(client: httpx.Client, elsewhere: FakeEndpoint) -> None:
    for update in (f"LOAD <{elsewhere.url}>", f"LOAD SILENT <{elsewhere.url}> INTO GRAPH <http://x>"):
        response = client.post(
            "/sparql/update",
            content=update,
            headers={"Content-Type": "application/sparql-update",
                     "Authorization": f"Bearer {TOKEN}"},
        )
        body = assert_error_shape(response, 403)
        assert "LOAD" in str(body["detail"])
    assert elsewhere.requests == []


# -- timeout ---------------------------------------------------------------------------


def test_pathological_query_stops_at_the_timeout_while_others_are_served(base: str) -> None:
    outcome: dict[str, httpx.Response] = {}

    def pathological() -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            outcome["slow"] = http.get("/sparql", params={"query": CROSS_PRODUCT})

    worker = threading.Thread(target=pathological)
    worker.start()
    time.sleep(0.5)  # the cross product is running now
    with httpx.Client(base_url=base, timeout=30) as http:
        started = time.perf_counter()
        during = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"})
        elapsed = time.perf_counter() - started
    assert during.status_code == 200, during.text
    assert elapsed < 1.0, f"a request made during the slow query took {elapsed:.2f} s"
    worker.join(timeout=30)
    slow = outcome["slow"]
    body = assert_error_shape(slow, 503)
    assert "stopped" in str(body["detail"])
    # the killed worker was replaced: the pool answers again, on every worker
    with httpx.Client(base_url=base, timeout=30) as http:
        for _ in range(4):
            after = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert after.status_code == 200, after.text
            assert after.json()["boolean"] is True


# -- row cap and errors --------------------------------------------------------------------


def test_a_long_result_is_cut_and_flagged(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?s ?name WHERE { ?s ?p ?name }"})
    assert response.status_code == 200
    assert response.headers["X-Mandategraph-Truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == 50  # still valid SPARQL JSON
    turtle = client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert turtle.headers["X-Mandategraph-Truncated"] == "true"
    assert len(turtle.text.strip().splitlines()) == 50


def test_a_short_result_is_not_flagged(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"})
    assert response.status_code == 200
    assert "X-Mandategraph-Truncated" not in response.headers
    assert len(response.json()["results"]["bindings"]) == 3


def test_syntax_error_gives_line_and_column(client: httpx.Client) -> None:
    query = "SELECT ?s\nWHERE {\n  ?s ?p \n}"
    response = client.get("/sparql", params={"query": query})
    body = assert_error_shape(response, 400)
    assert body["error"] == "query syntax error"
    assert body["line"] == 4
    assert isinstance(body["column"], int)


def test_update_syntax_error_gives_line_and_column(client: httpx.Client) -> None:
    response = client.post(
        "/sparql/update",
        content="INSERT DATA {\n  <http://a> <http://b> \n}",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    body = assert_error_shape(response, 400)
    assert body["line"] == 3


def test_cors_is_off_by_default(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://elsewhere.example"}
    )
    assert "access-control-allow-origin" not in response.headers
