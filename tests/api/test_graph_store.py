"""The SPARQL 1.1 Graph Store Protocol at ``/store`` and ``DELETE /api/documents/{slug}``,
against a real uvicorn server on loopback, with httpx as the client and rdflib reading
what it answers; with the update token, without it, and on a read-only server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from _fixtures import SLUG
from _fixtures import build_store as build_test_store
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic
from sparqlserver import running_server

from mandategraph.ontology.namespaces import GRAPH, REFERENCE_GRAPH

pytestmark = pytest.mark.server

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEW = """
@prefix ex: <https://example.org/> .
ex:a ex:knows ex:b , ex:c .
ex:b ex:name "Bé"@fr .
"""
MORE = "<https://example.org/d> <https://example.org/knows> <https://example.org/a> .\n"


def write_store(location: Path) -> Path:
    store = build_test_store(location)
    store.close()
    return location


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("gsp")
    store = write_store(folder / "store")
    with running_server(store, log=folder / "server.log",
                        env={"MANDATEGRAPH_UPDATE_TOKEN": TOKEN,
                             "MANDATEGRAPH_QUERY_WORKERS": "1"}) as base:
        yield base


@pytest.fixture(scope="module")
def readonly(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("gsp-ro")
    store = write_store(folder / "store")
    with running_server(store, log=folder / "server.log",
                        env={"MANDATEGRAPH_QUERY_WORKERS": "1"}) as base:
        yield base


def fetch(base: str, graph: str | None, accept: str = "text/turtle") -> httpx.Response:
    params = {"graph": graph} if graph else {"default": ""}
    return httpx.get(f"{base}/store", params=params, headers={"Accept": accept}, timeout=30)


def parsed(response: httpx.Response, fmt: str) -> Graph:
    return Graph().parse(data=response.content, format=fmt)


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_get_a_named_graph_in_every_rdf_format(server: str, accept: str, fmt: str) -> None:
    response = fetch(server, str(REFERENCE_GRAPH), accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    got = parsed(response, fmt)
    assert (URIRef("https://w3id.org/mandategraph/id/state/JAM"), None, None) in got
    # exactly the reference graph: same size as its Turtle
    assert len(got) == len(parsed(fetch(server, str(REFERENCE_GRAPH)), "turtle")) > 20


def test_get_the_default_graph_is_the_union(server: str) -> None:
    union = parsed(fetch(server, None, "application/n-triples"), "nt")
    reference = parsed(fetch(server, str(REFERENCE_GRAPH)), "turtle")
    document = parsed(fetch(server, str(GRAPH[f"document/{SLUG}"])), "turtle")
    assert len(union) >= len(reference) + len(document) - 5
    named = [t for t in document if not any(isinstance(term, BNode) for term in t)]
    assert len(named) > 20 and all(triple in union for triple in named)


def test_get_an_unknown_graph_is_404_in_the_error_shape(server: str) -> None:
    response = fetch(server, "https://example.org/no-such-graph")
    assert response.status_code == 404
    assert set(response.json()) == {"error", "detail", "status"}


def test_head_answers_like_get(server: str) -> None:
    params = {"graph": str(REFERENCE_GRAPH)}
    got = httpx.get(f"{server}/store", params=params, timeout=30)
    head = httpx.head(f"{server}/store", params=params, timeout=30)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
def test_writes_without_the_token_are_403_and_change_nothing(
    server: str, method: str, headers: dict[str, str]
) -> None:
    before = fetch(server, str(REFERENCE_GRAPH)).content
    response = httpx.request(method, f"{server}/store", params={"graph": str(REFERENCE_GRAPH)},
                             content=NEW, headers={**headers, "Content-Type": "text/turtle"},
                             timeout=30)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert fetch(server, str(REFERENCE_GRAPH)).content == before


def test_put_creates_then_replaces_a_graph(server: str) -> None:
    name = "https://example.org/graph/put"
    created = httpx.put(f"{server}/store", params={"graph": name}, content=NEW,
                        headers={**AUTH, "Content-Type": "text/turtle"}, timeout=30)
    assert created.status_code == 201
    assert isomorphic(parsed(fetch(server, name), "turtle"), Graph().parse(data=NEW))
    replaced = httpx.put(f"{server}/store", params={"graph": name}, content=MORE,
                         headers={**AUTH, "Content-Type": "application/n-triples"}, timeout=30)
    assert replaced.status_code == 204
    assert isomorphic(parsed(fetch(server, name), "turtle"), Graph().parse(data=MORE, format="nt"))


def test_post_adds_to_a_graph(server: str) -> None:
    name = "https://example.org/graph/post"
    first = httpx.post(f"{server}/store", params={"graph": name}, content=NEW,
                       headers={**AUTH, "Content-Type": "text/turtle"}, timeout=30)
    assert first.status_code == 201
    second = httpx.post(f"{server}/store", params={"graph": name}, content=MORE,
                        headers={**AUTH, "Content-Type": "application/n-triples"}, timeout=30)
    assert second.status_code == 204
    expected = Graph().parse(data=NEW)
    expected.parse(data=MORE, format="nt")
    assert isomorphic(parsed(fetch(server, name), "turtle"), expected)


def test_delete_drops_a_graph_then_404(server: str) -> None:
    name = "https://example.org/graph/delete"
    assert httpx.put(f"{server}/store", params={"graph": name}, content=MORE,
                     headers={**AUTH, "Content-Type": "application/n-triples"},
                     timeout=30).status_code == 201
    assert httpx.delete(f"{server}/store", params={"graph": name}, headers=AUTH,
                        timeout=30).status_code == 204
    assert fetch(server, name).status_code == 404
    assert httpx.delete(f"{server}/store", params={"graph": name}, headers=AUTH,
                        timeout=30).status_code == 404


def test_a_body_that_is_not_rdf_is_refused(server: str) -> None:
    name = "https://example.org/graph/bad"
    wrong_type = httpx.put(f"{server}/store", params={"graph": name}, content=b"{}",
                           headers={**AUTH, "Content-Type": "application/pdf"}, timeout=30)
    assert wrong_type.status_code == 415
    broken = httpx.put(f"{server}/store", params={"graph": name}, content=b"<a> <b> .",
                       headers={**AUTH, "Content-Type": "text/turtle"}, timeout=30)
    assert broken.status_code == 400
    assert fetch(server, name).status_code == 404


def test_graph_and_default_together_are_400(server: str) -> None:
    response = httpx.get(f"{server}/store?default&graph=https://example.org/x", timeout=30)
    assert response.status_code == 400


def test_a_read_only_server_refuses_every_write(readonly: str) -> None:
    for method in ("PUT", "POST", "DELETE"):
        response = httpx.request(method, f"{readonly}/store",
                                 params={"graph": "https://example.org/g"}, content=MORE,
                                 headers={**AUTH, "Content-Type": "application/n-triples"},
                                 timeout=30)
        assert response.status_code == 403, method
    assert fetch(readonly, str(REFERENCE_GRAPH)).status_code == 200


def test_delete_a_document_needs_the_token_then_updates_the_figures(server: str) -> None:
    before = httpx.get(f"{server}/stats", timeout=30).json()
    assert before["activities"] == 2
    refused = httpx.delete(f"{server}/api/documents/{SLUG}", timeout=30)
    assert refused.status_code == 403
    assert httpx.get(f"{server}/stats", timeout=30).json()["activities"] == 2
    done = httpx.delete(f"{server}/api/documents/{SLUG}", headers=AUTH, timeout=30)
    assert done.status_code == 204
    after = httpx.get(f"{server}/stats", timeout=30).json()
    assert after["activities"] == 0
    assert str(GRAPH[f"document/{SLUG}"]) not in after["graphs"]
    assert str(REFERENCE_GRAPH) in after["graphs"]
    # idempotent
    again = httpx.delete(f"{server}/api/documents/{SLUG}", headers=AUTH, timeout=30)
    assert again.status_code == 204
    assert httpx.get(f"{server}/id/document/{SLUG}", timeout=30).status_code == 404
