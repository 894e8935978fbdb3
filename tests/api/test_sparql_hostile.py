"""Hostile queries against a real server: the SERVICE / LOAD bypasses, huge and deep
bodies, and a server that stays responsive meanwhile.

Each probe of the security review that got through (SSRF by ``SERVICEex:x``, LOAD by
``LOADex:JAM``, a 10 MB body parsed on the event loop, 20,000 nested braces killing a
worker) has a regression test here, with a real canary listener on loopback that
counts every TCP connection it gets, whatever is sent over it.
"""

from __future__ import annotations

import json
import string
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sparqlserver import build_store, running_server

from tests.support import Canary

pytestmark = pytest.mark.server

TOKEN = "hostile-token"


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with the default (empty) allow-list and updates on."""
    folder = tmp_path_factory.mktemp("hostile")
    data = "\n".join(f"<http://example.org/e{i}> <http://example.org/n> {i} ." for i in range(200))
    store = build_store(folder / "store", [("http://example.org/g", data, ox.RdfFormat.TURTLE)])
    env = {
        "MANDATEGRAPH_QUERY_TIMEOUT": "3",
        "MANDATEGRAPH_QUERY_WORKERS": "2",
        "MANDATEGRAPH_UPDATE_TOKEN": TOKEN,
        "MANDATEGRAPH_QUERY_CACHE_SIZE": "0",
    }
    with running_server(store, log=folder / "server.log", env=env) as url:
        yield url


@pytest.fixture()
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as http:
        yield http


def error(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text[:500]
    body = response.json()
    assert set(body) >= {"error", "detail", "status"} and body["status"] == status
    return body


def update(client: httpx.Client, text: str) -> httpx.Response:
    return client.post(
        "/sparql/update",
        content=text,
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )


# -- the probes of the review ----------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "PREFIX ex: <{url}> SELECT * WHERE {{ SERVICEex:x {{ ?s ?p ?o }} }}",
        "PREFIX : <{url}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
        "PREFIX ex: <{url}> SELECT * WHERE {{ SERVICESILENTex:x {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
    ],
    ids=["glued-prefix", "glued-empty-prefix", "glued-silent", "plain", "silent", "escaped"],
)
def test_service_bypass_reaches_no_host(
    client: httpx.Client, canary: Canary, template: str
) -> None:
    before = canary.connections
    response = client.get("/sparql", params={"query": template.format(url=canary.url)})
    # SILENT swallows the refused call (no rows); everything else is a 403
    assert response.status_code in (200, 403), response.text
    if response.status_code == 200:
        assert response.json()["results"]["bindings"] in ([], [{}])
    else:
        error(response, 403)
    time.sleep(0.1)
    assert canary.connections == before


@pytest.mark.parametrize(
    "template",
    [
        "PREFIX ex: <{url}id/state/> LOADex:JAM INTO GRAPH <urn:x>",
        "LOAD <{url}data.ttl> INTO GRAPH <urn:x>",
        "PREFIX ex: <{url}> INSERT {{ GRAPH <urn:x> {{ ?s ?p ?o }} }} "
        "WHERE {{ SERVICEex:sparql {{ ?s ?p ?o }} }}",
    ],
    ids=["glued-load", "load", "insert-from-service"],
)
def test_load_bypass_reaches_no_host_and_stores_nothing(
    client: httpx.Client, canary: Canary, template: str
) -> None:
    before = canary.connections
    body = error(update(client, template.format(url=canary.url)), 403)
    assert "LOAD" in str(body["detail"]) or "SERVICE" in str(body["detail"])
    time.sleep(0.1)
    assert canary.connections == before
    asked = client.get("/sparql", params={"query": "ASK { GRAPH <urn:x> { ?s ?p ?o } }"})
    assert asked.json()["boolean"] is False


def test_a_body_over_the_limit_is_413_and_never_read(client: httpx.Client) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "service " * 1_300_000  # 10 MB
    started = time.perf_counter()
    response = client.post(
        "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    body = error(response, 413)
    assert "MANDATEGRAPH_MAX_QUERY_BYTES" in str(body["detail"])
    assert time.perf_counter() - started < 10
    form = client.post("/sparql", data={"query": query})
    error(form, 413)


def test_deep_nesting_is_a_400_not_a_dead_worker(client: httpx.Client) -> None:
    deep = "SELECT * WHERE " + "{" * 20_000 + "?s ?p ?o" + "}" * 20_000
    body = error(client.post("/sparql", data={"query": deep}), 400)
    assert "256" in str(body["detail"])
    chain = "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 20_000) + " }"
    error(client.post("/sparql", data={"query": chain}), 400)
    ors = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 20_000) + ") }"
    error(client.post("/sparql", data={"query": ors}), 400)
    # within the limits, a deep query runs (and the workers are all alive)
    fine = "SELECT * WHERE " + "{" * 200 + "?s ?p ?o" + "}" * 200 + " LIMIT 1"
    for _ in range(4):
        assert client.post("/sparql", data={"query": fine}).status_code == 200


def test_health_stays_fast_while_ten_hostile_bodies_are_in_flight(server: str) -> None:
    hostile = [
        # just under the body limit, "service" everywhere, in strings and comments
        'SELECT * WHERE { ?s ?p ?o FILTER(?o != "' + "service " * 110_000 + '") }',
        "SELECT * WHERE { ?s ?p ?o } #" + " SERVICE <http://127.0.0.1:9/>" * 30_000,
        "SELECT * WHERE " + "{" * 60_000 + "?s ?p ?o" + "}" * 60_000,
        'SELECT * WHERE { ?s ?p ?o FILTER(?o != """' + "service" * 130_000 + '""") }',
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    ] * 2
    statuses: list[int] = []

    def send(text: str) -> None:
        with httpx.Client(base_url=server, timeout=60) as http:
            statuses.append(
                http.post(
                    "/sparql", content=text, headers={"Content-Type": "application/sparql-query"}
                ).status_code
            )

    threads = [threading.Thread(target=send, args=(text,)) for text in hostile]
    for thread in threads:
        thread.start()
    timings = []
    with httpx.Client(base_url=server, timeout=30) as http:
        time.sleep(0.3)  # the bodies are being received and checked now
        for _ in range(10):
            started = time.perf_counter()
            assert http.get("/health").status_code == 200
            timings.append(time.perf_counter() - started)
            time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=60)
    assert len(statuses) == 10 and all(s in (200, 400, 413, 503) for s in statuses), statuses
    assert max(timings) < 0.1, f"/health took {max(timings) * 1000:.0f} ms at worst"


# -- a differential test: spellings generated, the canary must hear nothing ---------------

_NAME = st.text(alphabet=string.ascii_letters, min_size=0, max_size=4)
_SPACE = st.sampled_from(["", " ", "\n", "\t", "#c\n", " #x\n "])
_KEYWORD = st.sampled_from(
    ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERVIC\\u0045", "SERVICE SILENT",
     "SERVICESILENT", "SERVICE\tSILENT"]
)


@st.composite
def service_queries(draw: st.DrawFn, url: str) -> str:
    prefix = draw(_NAME)
    local = draw(_NAME)
    target = draw(
        st.sampled_from(
            [f"{prefix}:{local}", f"<{url}{local}>", f"<{local}>", f"{prefix}:"]
        )
    )
    keyword = draw(_KEYWORD)
    gap = draw(_SPACE)
    pattern = f"{keyword}{gap}{target}{draw(_SPACE)}{{ ?s ?p ?o }}"
    if draw(st.booleans()):
        pattern = f"OPTIONAL {{ {pattern} }}"
    return (
        f"BASE <{url}>\nPREFIX {prefix}: <{url}>\n"
        f"SELECT * WHERE {{ ?a ?b ?c .{draw(_SPACE)}{pattern} }} LIMIT 1"
    )


@st.composite
def load_updates(draw: st.DrawFn, url: str) -> str:
    prefix = draw(_NAME)
    local = draw(_NAME)
    target = draw(st.sampled_from([f"{prefix}:{local}", f"<{url}{local}>", f"<{local}>"]))
    keyword = draw(st.sampled_from(["LOAD", "load", "LOAD SILENT", "LOADSILENT", "\\u004cOAD"]))
    into = draw(st.sampled_from(["", " INTO GRAPH <urn:g>", "INTO GRAPH<urn:g>"]))
    return f"BASE <{url}>\nPREFIX {prefix}: <{url}>\n{keyword}{draw(_SPACE)}{target}{into}"


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_no_spelling_of_service_or_load_reaches_the_canary(
    server: str, canary: Canary, data: st.DataObject
) -> None:
    with httpx.Client(base_url=server, timeout=30) as http:
        before = canary.connections
        query = data.draw(service_queries(canary.url))
        response = http.post("/sparql", data={"query": query})
        assert response.status_code in (200, 400, 403), (query, response.text)
        text = data.draw(load_updates(canary.url))
        answer = update(http, text)
        assert answer.status_code in (204, 400, 403), (text, answer.text)
        time.sleep(0.02)
        assert canary.connections == before, (query, text)


# -- with an allow-list: the listed endpoint is reached, nothing else ---------------------


def test_with_an_allow_list_only_the_listed_endpoint_is_reached(
    tmp_path: Path, canary: Canary
) -> None:
    listed = Canary()
    before = canary.connections
    try:
        store = build_store(
            tmp_path / "store",
            [("http://example.org/g", "<http://a> <http://b> 1 .", ox.RdfFormat.TURTLE)],
        )
        env = {
            "MANDATEGRAPH_QUERY_TIMEOUT": "3",
            "MANDATEGRAPH_SERVICE_ALLOWLIST": json.dumps([listed.url + "sparql"]),
        }
        with running_server(store, log=tmp_path / "server.log", env=env) as url:
            with httpx.Client(base_url=url, timeout=30) as http:
                for query in (
                    f"PREFIX ex: <{canary.url}> SELECT * WHERE {{ SERVICEex:x {{ ?s ?p ?o }} }}",
                    f"SELECT * WHERE {{ SERVICE <{canary.url}x> {{ ?s ?p ?o }} }}",
                    f"PREFIX ex: <{canary.url}> SELECT * WHERE {{ SERVICE <{listed.url}sparql> "
                    f"{{ ?s ?p ?o }} SERVICEex:y {{ ?s ?p ?o }} }}",
                ):
                    error(http.post("/sparql", data={"query": query}), 403)
                assert listed.connections == 0
                # the listed endpoint is called (it is no SPARQL server, so the query fails)
                http.post(
                    "/sparql",
                    data={"query": f"SELECT * WHERE {{ SERVICE <{listed.url}sparql> "
                          "{ ?s ?p ?o } }"},
                )
        time.sleep(0.1)
        assert canary.connections == before
        assert listed.connections >= 1
    finally:
        listed.close()
