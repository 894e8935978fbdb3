"""Real SPARQL clients against /sparql on a uvicorn server started on loopback:
SPARQLWrapper (JSON, XML), rdflib's SPARQLStore, and raw HTTP for every format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from sparqlserver import build_store, running_server
from SPARQLWrapper import JSON, JSONLD, XML, SPARQLWrapper

pytestmark = pytest.mark.server

EX = Namespace("http://example.org/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ALLOWED_ORIGIN = "http://researcher.example"

DATA = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:res1 a ex:Resolution ; ex:title "Hemispheric security"@en, "Sécurité hémisphérique"@fr ;
    ex:year "2010"^^xsd:gYear ; ex:paragraphs 12 .
ex:res2 a ex:Resolution ; ex:title "Small island states, \\"SIDS\\"\\ttabs"@en ;
    ex:year "2011"^^xsd:gYear ; ex:paragraphs 7 ; ex:note [ ex:text "a blank node" ] .
ex:act1 a ex:Activity ; ex:implements ex:res1 ; ex:label "Workshop\\non border control" .
"""

SELECT = (
    "PREFIX ex: <http://example.org/> "
    "SELECT ?res ?title WHERE { ?res a ex:Resolution ; ex:title ?title } ORDER BY ?res ?title"
)
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
TRIPLES = 14


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("clients")
    store = build_store(folder / "store", [("http://example.org/graph", DATA, ox.RdfFormat.TURTLE)])
    env = {"MANDATEGRAPH_CORS_ORIGINS": json.dumps([ALLOWED_ORIGIN])}
    with running_server(store, log=folder / "server.log", env=env) as url:
        yield url


@pytest.fixture()
def endpoint(base: str) -> str:
    return f"{base}/sparql"


# -- SPARQLWrapper ---------------------------------------------------------------------


def test_sparqlwrapper_json(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    rows = [(b["res"]["value"], b["title"]["value"]) for b in result["results"]["bindings"]]
    assert len(rows) == 3
    assert (str(EX.res1), "Sécurité hémisphérique") in rows
    titles = {b["title"].get("xml:lang") for b in result["results"]["bindings"]}
    assert titles == {"en", "fr"}


def test_sparqlwrapper_construct_jsonld_repeated_format(endpoint: str) -> None:
    """Issue 14: SPARQLWrapper sends ``format=json-ld&format=application/ld+json,...``;
    the first value the server knows for the query's form wins (was HTTP 406)."""
    client = SPARQLWrapper(endpoint)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(JSONLD)
    graph = client.query().convert()
    assert len(graph) == TRIPLES


def test_repeated_and_listed_format_values(endpoint: str) -> None:
    """Issue 14: repeated ``format`` values and comma-separated lists, for both forms."""
    params = [("query", SELECT), ("format", "ttl"), ("format", "bogus, csv,json")]
    answer = httpx.get(endpoint, params=params)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    params = [("query", CONSTRUCT), ("format", "csv,nt"), ("format", "ttl")]
    answer = httpx.get(endpoint, params=params)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/n-triples")
    params = [("query", SELECT), ("format", "bogus"), ("format", "nope")]
    assert httpx.get(endpoint, params=params).status_code == 406  # none known: as for one


def test_sparqlwrapper_xml(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(SELECT)
    client.setReturnFormat(XML)
    document = client.query().convert()
    results = document.getElementsByTagName("result")
    assert len(results) == 3
    literals = [n.firstChild.data for n in document.getElementsByTagName("literal")]
    assert "Hemispheric security" in literals


def test_sparqlwrapper_ask_by_post(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setQuery("PREFIX ex: <http://example.org/> ASK { ex:act1 ex:implements ex:res1 }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_sparqlwrapper_construct_as_rdfxml(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(XML)
    graph = client.query().convert()
    assert isinstance(graph, Graph)
    assert len(graph) == TRIPLES


# -- rdflib SPARQLStore ---------------------------------------------------------------------


@pytest.mark.parametrize("return_format", ["xml", "json"])
def test_rdflib_sparqlstore(endpoint: str, return_format: str) -> None:
    graph = Graph(store=SPARQLStore(endpoint, returnFormat=return_format))
    rows = list(graph.query(SELECT))
    assert len(rows) == 3
    assert (EX.res1, Literal("Hemispheric security", lang="en")) in [tuple(r) for r in rows]
    years = {
        str(r[0]) for r in graph.query("SELECT ?y WHERE { ?r <http://example.org/year> ?y }")
    }
    assert years == {"2010", "2011"}
    assert (EX.act1, RDF.type, EX.Activity) in graph
    assert set(graph.objects(EX.act1, EX.implements)) == {EX.res1}


# -- raw HTTP, every format ---------------------------------------------------------------


def test_select_as_json(base: str) -> None:
    response = httpx.get(f"{base}/sparql", params={"query": SELECT},
                         headers={"Accept": "application/sparql-results+json"})
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    body = response.json()
    assert body["head"]["vars"] == ["res", "title"]
    assert len(body["results"]["bindings"]) == 3


def test_select_as_xml(base: str) -> None:
    response = httpx.post(f"{base}/sparql", data={"query": SELECT},
                          headers={"Accept": "application/sparql-results+xml"})
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(response.content)
    assert len(root.findall("r:results/r:result", ns)) == 3


def test_select_as_csv(base: str) -> None:
    response = httpx.post(f"{base}/sparql", content=SELECT,
                          headers={"Content-Type": "application/sparql-query",
                                   "Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["res", "title"]
    assert len(rows) == 4
    assert [str(EX.res2), 'Small island states, "SIDS"\ttabs'] in rows


def test_select_as_tsv(base: str) -> None:
    response = httpx.get(f"{base}/sparql", params={"query": SELECT},
                         headers={"Accept": "text/tab-separated-values"})
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    lines = response.text.strip("\n").split("\n")
    assert lines[0] == "?res\t?title"
    assert len(lines) == 4
    assert '<http://example.org/res1>\t"Hemispheric security"@en' in lines


@pytest.mark.parametrize(
    ("media", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_in_every_rdf_format(base: str, media: str, rdflib_format: str) -> None:
    response = httpx.get(f"{base}/sparql", params={"query": CONSTRUCT}, headers={"Accept": media})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) == TRIPLES
    assert (EX.res1, EX.year, Literal("2010", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#gYear"))) in graph
    assert (EX.act1, EX.label, Literal("Workshop\non border control")) in graph


def test_describe(base: str) -> None:
    response = httpx.get(f"{base}/sparql", params={"query": "DESCRIBE <http://example.org/res1>"},
                         headers={"Accept": "application/n-triples"})
    graph = Graph().parse(data=response.text, format="nt")
    assert (EX.res1, RDF.type, EX.Resolution) in graph


@pytest.mark.parametrize(
    ("fmt", "query", "media"),
    [
        ("json", SELECT, "application/sparql-results+json"),
        ("xml", SELECT, "application/sparql-results+xml"),
        ("csv", SELECT, "text/csv"),
        ("tsv", SELECT, "text/tab-separated-values"),
        ("ttl", CONSTRUCT, "text/turtle"),
        ("nt", CONSTRUCT, "application/n-triples"),
        ("jsonld", CONSTRUCT, "application/ld+json"),
        ("xml", CONSTRUCT, "application/rdf+xml"),
    ],
)
def test_format_parameter_overrides_accept(base: str, fmt: str, query: str, media: str) -> None:
    response = httpx.get(f"{base}/sparql", params={"query": query, "format": fmt},
                         headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media


def test_accept_with_quality_values(base: str) -> None:
    accept = "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"
    response = httpx.get(f"{base}/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.headers["content-type"].startswith("application/sparql-results+xml")


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (SELECT, "text/turtle"),
        (CONSTRUCT, "application/sparql-results+json"),
        (SELECT, "image/png"),
    ],
)
def test_unservable_accept_is_406(base: str, query: str, accept: str) -> None:
    response = httpx.get(f"{base}/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406, response.text
    assert response.json()["status"] == 406


# -- service description, read-only, CORS -------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-triples", "nt"),
    ],
)
def test_service_description_parses_as_rdf(base: str, accept: str, rdflib_format: str) -> None:
    response = httpx.get(f"{base}/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdflib_format)
    service = URIRef(f"{base}/sparql")
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # no token
    names = set(graph.objects(None, SD.name))
    assert URIRef("http://example.org/graph") in names


def test_update_is_refused_on_a_read_only_server(base: str) -> None:
    response = httpx.post(
        f"{base}/sparql/update",
        content="CLEAR ALL",
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer anything"},
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_cors_for_an_allowed_origin(base: str) -> None:
    allowed = httpx.get(f"{base}/sparql", params={"query": "ASK {}"},
                        headers={"Origin": ALLOWED_ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    other = httpx.get(f"{base}/sparql", params={"query": "ASK {}"},
                      headers={"Origin": "http://other.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = httpx.options(
        f"{base}/sparql",
        headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
