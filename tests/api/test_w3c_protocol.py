"""The W3C SPARQL 1.1 Protocol tests (``tests/w3c/protocol/manifest.ttl``), run against
a real uvicorn server on loopback.

The runner reads the manifest: each test is a list of HTTP requests (method, path,
headers, body and its encoding) with the expected status class, and for queries the
expected result format and boolean. Paths start with ``/sparql/``, which the manifest
asks runners to map to the endpoint (here ``/sparql``). ``ut:graphData`` names the
graphs a test needs; they are loaded at build time into the read-only server's store,
and, on the server with updates on, through the protocol before each test that needs
them (earlier update tests clear everything).

Two servers: one read-only (no update token), where the update tests that must succeed
are skipped (the issue allows it: updates are off), and one with
``MANDATEGRAPH_UPDATE_TOKEN`` set, where the runner adds ``Authorization: Bearer`` to
every request and all 34 tests run.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection
from rdflib.term import Node
from sparqlserver import build_store, running_server

pytestmark = pytest.mark.server

W3C = Path(__file__).resolve().parents[1] / "w3c" / "protocol"
MANIFEST = W3C / "manifest.ttl"
TOKEN = "w3c-protocol-token"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

RESULT_MEDIA = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
BOOLEAN_MEDIA = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_MEDIA = {
    "application/rdf+xml",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "text/html",  # RDFa, which the manifest accepts
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    boolean: bool | None = None
    result_format: str | None = None


@dataclass
class ProtocolTest:
    iri: str
    name: str
    requests: list[Request]
    graph_data: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def short(self) -> str:
        return self.iri.rsplit("#", 1)[-1]

    @property
    def needs_updates(self) -> bool:
        """A test whose update must succeed (only possible with updates on)."""
        first = self.requests[0]
        kind = first.headers.get("content-type", "")
        is_update = kind.startswith("application/sparql-update") or (
            kind.startswith("application/x-www-form-urlencoded")
            and (first.body or b"").startswith(b"update=")
        )
        return is_update and "StatusCode2xx" in first.statuses


def _items(graph: Graph, head: Node | None) -> list[Node]:
    return list(Collection(graph, head)) if head is not None else []


def load_manifest() -> list[ProtocolTest]:
    """The tests of the protocol manifest, in its order."""
    graph = Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in _items(graph, graph.value(manifest, MF.entries)):
        action = graph.value(entry, MF.action)
        requests = []
        for node in _items(graph, graph.value(action, HT.requests)):
            headers = {
                str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
                for h in _items(graph, graph.value(node, HT.headers))
            }
            body = None
            content = graph.value(node, HT.body)
            if content is not None:
                encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(content, CNT.chars)).encode(encoding.lower())
            response = graph.value(node, HT.resp)
            expected_boolean = graph.value(response, MF.expectedBoolean)
            expected_format = graph.value(response, MF.expectedFormat)
            requests.append(
                Request(
                    method=str(graph.value(node, HT.methodName)),
                    path=str(graph.value(node, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses={
                        str(s).rsplit("#", 1)[-1]
                        for s in graph.objects(response, MF.expectedStatus)
                    },
                    boolean=None if expected_boolean is None else bool(expected_boolean.toPython()),
                    result_format=None if expected_format is None else str(expected_format),
                )
            )
        graph_data = [
            (Path(urlsplit(str(graph.value(g, UT.graph))).path), str(graph.value(g, RDFS.label)))
            for g in graph.objects(entry, UT.graphData)
        ]
        tests.append(
            ProtocolTest(str(entry), str(graph.value(entry, MF.name)), requests, graph_data)
        )
    return tests


TESTS = load_manifest()


def endpoint_path(path: str) -> str:
    """Map the manifest's ``/sparql/...`` onto this server's ``/sparql``."""
    assert path.startswith("/sparql/"), path
    rest = path[len("/sparql/"):]
    return "/sparql" + rest if rest.startswith("?") or not rest else "/sparql/" + rest


def status_ok(status: int, expected: set[str]) -> bool:
    return any(status // 100 == int(name[len("StatusCode")]) for name in expected)


def response_boolean(response: httpx.Response) -> bool:
    media = response.headers.get("content-type", "").split(";")[0]
    if media == "application/sparql-results+json":
        return bool(response.json()["boolean"])
    root = ET.fromstring(response.content)
    node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert node is not None, response.text
    return (node.text or "").strip() == "true"


def run_test(test: ProtocolTest, client: httpx.Client, *, token: str | None) -> None:
    """Send the test's requests in order and check each response."""
    auth = {"authorization": f"Bearer {token}"} if token else {}
    if token and test.graph_data:
        load_graph_data(test, client, auth)
    for number, request in enumerate(test.requests, start=1):
        response = client.request(
            request.method,
            endpoint_path(request.path),
            headers={**request.headers, **auth},
            content=request.body,
        )
        where = f"{test.short}, request {number}: {response.status_code} {response.text[:300]}"
        assert status_ok(response.status_code, request.statuses), where
        media = response.headers.get("content-type", "").split(";")[0]
        if request.result_format == "boolean":
            assert media in BOOLEAN_MEDIA, where
        elif request.result_format == "tabular":
            assert media in RESULT_MEDIA, where
        elif request.result_format == "RDF":
            assert media in RDF_MEDIA, where
        if request.boolean is not None:
            assert response_boolean(response) is request.boolean, where


def load_graph_data(test: ProtocolTest, client: httpx.Client, auth: dict[str, str]) -> None:
    """Put the test's ``ut:graphData`` in place through the protocol (updates on)."""
    blocks = " ".join(
        f"GRAPH <{label}> {{ {(W3C / path.name).read_text()} }}" for path, label in test.graph_data
    )
    response = client.post(
        "/sparql",
        content=f"DROP ALL ; INSERT DATA {{ {blocks} }}".encode(),
        headers={"content-type": "application/sparql-update", **auth},
    )
    assert response.status_code == 204, response.text


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    labels = {label: path for test in TESTS for path, label in test.graph_data}
    folder = tmp_path_factory.mktemp("w3c-protocol")
    return build_store(
        folder / "store",
        [
            (label, (W3C / path.name).read_bytes(), ox.RdfFormat.N_TRIPLES)
            for label, path in sorted(labels.items())
        ],
    )


@pytest.fixture(scope="module")
def read_only_server(store: Path) -> Iterator[str]:
    with running_server(store, log=store.parent / "read-only.log") as url:
        yield url


@pytest.fixture(scope="module")
def update_server(tmp_path_factory: pytest.TempPathFactory, store: Path) -> Iterator[str]:
    import shutil

    copy = tmp_path_factory.mktemp("w3c-protocol-updates") / "store"
    shutil.copytree(store, copy)
    env = {"MANDATEGRAPH_UPDATE_TOKEN": TOKEN}
    with running_server(copy, log=copy.parent / "updates.log", env=env) as url:
        yield url


def test_manifest_has_the_34_tests() -> None:
    assert len(TESTS) == 34
    assert sum(t.needs_updates for t in TESTS) == 7


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.short)
def test_protocol_read_only(test: ProtocolTest, read_only_server: str) -> None:
    if test.needs_updates:
        pytest.skip("updates are off on this server (no MANDATEGRAPH_UPDATE_TOKEN)")
    with httpx.Client(base_url=read_only_server, timeout=30) as client:
        run_test(test, client, token=None)


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.short)
def test_protocol_with_updates(test: ProtocolTest, update_server: str) -> None:
    with httpx.Client(base_url=update_server, timeout=30) as client:
        run_test(test, client, token=TOKEN)
