"""Identifiers others use (issue 14, item 6) on the pages, in the JSON API and in the RDF
of a resource, over the graph built from the bundled corpus."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from mandategraph.ontology.namespaces import MG

BROWSER = {"accept": "text/html"}
JAMAICA = URIRef("https://w3id.org/mandategraph/id/state/JAM")


@pytest.fixture(scope="module")
def client(built_client: TestClient) -> TestClient:
    return built_client


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_state_page_links_wikidata_and_shows_the_iso_codes(client: TestClient) -> None:
    html = client.get("/id/state/JAM", headers=BROWSER).text
    assert re.search(r'<a href="https://www\.wikidata\.org/wiki/Q766"[^>]*>Q766</a>', html)
    assert "ISO 3166-1 JAM · JM · 388" in words(html)


def test_the_actor_page_links_wikidata(client: TestClient) -> None:
    html = client.get("/id/org/OAS", headers=BROWSER).text
    assert re.search(r'<a href="https://www\.wikidata\.org/wiki/Q123759"[^>]*>Q123759</a>',
                     html)
    # an organization without a checked item says nothing about Wikidata
    assert "wikidata.org" not in client.get("/id/org/CICTE", headers=BROWSER).text


def test_the_rdf_of_a_state_carries_its_identifiers(client: TestClient) -> None:
    for fmt, parser in (("ttl", "turtle"), ("jsonld", "json-ld")):
        response = client.get(f"/id/state/JAM?format={fmt}")
        assert response.status_code == 200
        graph = Graph().parse(data=response.text, format=parser)
        assert (JAMAICA, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q766")) in graph
        assert (JAMAICA, MG.isoAlpha2, Literal("JM")) in graph
        assert (JAMAICA, MG.isoNumeric, Literal("388")) in graph


def test_the_json_api_gives_wikidata_and_iso(client: TestClient) -> None:
    one = client.get("/api/states/JAM").json()
    assert one["wikidata"] == "Q766"
    assert one["iso"] == {"alpha2": "JM", "alpha3": "JAM", "numeric": "388"}
    listed = client.get("/api/states", params={"member": "true", "limit": 100}).json()
    assert listed["total"] == 35
    assert all(s["wikidata"] and s["iso"] for s in listed["items"])
    bolivia = next(s for s in listed["items"] if s["code"] == "BOL")
    assert bolivia["iso"]["numeric"] == "068"
    assert client.get("/api/actors/OAS").json()["wikidata"] == "Q123759"
    assert client.get("/api/actors/CICTE").json()["wikidata"] is None
