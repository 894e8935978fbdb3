"""The ontology at its namespace's path and the SHACL shapes beside it: documentation for
browsers, the same triples as the Turtle files for RDF clients, links from data pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from _fixtures import ACTIVITY, make_app
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from mandategraph.ontology.loader import ONTOLOGY_PATH, SHAPES_PATH
from mandategraph.ontology.namespaces import MG


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    application, _store = make_app(tmp_path_factory.mktemp("vocabulary"))
    with TestClient(application) as test_client:
        yield test_client


def source(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def test_the_namespace_iri_is_served_at_its_path() -> None:
    assert str(MG) == "https://w3id.org/mandategraph/ontology#"


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", "turtle"),
    ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"),
])
def test_the_ontology_in_rdf_is_the_turtle_file(client: TestClient, accept: str,
                                                fmt: str) -> None:
    response = client.get("/ontology", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert isomorphic(Graph().parse(data=response.content, format=fmt), source(ONTOLOGY_PATH))


def test_the_ontology_in_a_browser_documents_every_term(client: TestClient) -> None:
    response = client.get("/ontology", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    graph = source(ONTOLOGY_PATH)
    terms = {str(s)[len(str(MG)):] for kind in (OWL.Class, OWL.ObjectProperty,
                                                 OWL.DatatypeProperty)
             for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(MG))}
    assert len(terms) > 40
    anchors = set(re.findall(r'<section class="term" id="([^"]+)"', page))
    assert terms <= anchors
    # labels in three languages and the definition, from the Turtle
    report = page[page.index('id="Report"'):]
    report = report[:report.index("</section>")]
    assert "rapport" in report and "informe" in report
    assert "A report of activities" in report


def test_shapes_are_served_beside_it(client: TestClient) -> None:
    turtle = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert isomorphic(Graph().parse(data=turtle.content, format="turtle"), source(SHAPES_PATH))
    page = client.get("/shapes", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "sh:NodeShape" in page.text or "NodeShape" in page.text


def test_format_parameter_and_head(client: TestClient) -> None:
    got = client.get("/ontology?format=jsonld")
    assert got.headers["content-type"].startswith("application/ld+json")
    head = client.head("/ontology", headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert client.get("/ontology?format=docx").status_code == 400


def test_data_pages_link_terms_to_the_ontology(client: TestClient) -> None:
    page = client.get("/id/" + ACTIVITY.split("/id/", 1)[1], headers={"Accept": "text/html"})
    assert page.status_code == 200
    linked = set(re.findall(r'href="/ontology#([A-Za-z]+)"', page.text))
    assert {"theme", "conductedBy", "Training"} <= linked
    graph = source(ONTOLOGY_PATH)
    assert all((URIRef(str(MG) + name), None, None) in graph for name in linked)
