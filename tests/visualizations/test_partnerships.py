"""The partnership network: edges, weights, metrics, offline pages."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph

from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import GRAPH
from mandategraph.visualizations.partnerships import metrics, partnership_graph, to_html, to_json

FIXTURE = """
@prefix mg: <https://w3id.org/mandategraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix id: <https://w3id.org/mandategraph/id/> .

id:org\\/CICTE a mg:OASBody ; skos:notation "CICTE" ;
    skos:prefLabel "Inter-American Committee against Terrorism"@en .
id:org\\/CICAD a mg:OASBody ; skos:notation "CICAD" .
id:org\\/ICAO a mg:PartnerOrganization ; skos:notation "ICAO" .
id:org\\/TSA a mg:PartnerOrganization ; skos:notation "TSA" .
id:state\\/CAN a mg:State ; skos:notation "CAN" .
id:theme\\/cybersecurity skos:notation "cybersecurity" .
id:theme\\/border-control skos:notation "border-control" .
id:state\\/JAM a mg:State ; skos:notation "JAM" .

id:a1 a mg:Activity ; rdfs:label "aviation security training <b>" ; mg:conductedBy id:org\\/CICTE ;
    mg:inPartnershipWith id:org\\/ICAO, id:org\\/TSA ; mg:theme id:theme\\/border-control ;
    mg:beneficiary id:state\\/JAM .
id:a2 a mg:Activity ; rdfs:label "ICAO conference" ; mg:conductedBy id:org\\/CICTE ;
    mg:inPartnershipWith id:org\\/ICAO ; mg:theme id:theme\\/border-control .
id:a3 a mg:Activity ; rdfs:label "drug-use studies" ; mg:conductedBy id:org\\/CICAD ;
    mg:fundedBy id:state\\/CAN ; mg:theme id:theme\\/cybersecurity .
"""


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store.open("memory")
    store.replace_graph(GRAPH["document/fixture"], Graph().parse(data=FIXTURE, format="turtle"))
    return store


def test_edges_are_weighted_by_shared_activities(store: Store) -> None:
    graph = partnership_graph(store)
    assert set(graph.nodes) == {"CICTE", "CICAD", "ICAO", "TSA", "CAN"}
    assert graph["CICTE"]["ICAO"]["weight"] == 2
    assert graph["CICTE"]["TSA"]["weight"] == 1
    assert graph["ICAO"]["TSA"]["weight"] == 1
    assert graph["CICAD"]["CAN"]["weight"] == 1
    assert not graph.has_edge("CICTE", "CICAD")
    assert graph.nodes["CAN"]["kind"] == "state"
    assert graph.nodes["CICTE"]["label"] == "Inter-American Committee against Terrorism"


def test_filters_by_theme_and_state(store: Store) -> None:
    assert set(partnership_graph(store, theme="cybersecurity").nodes) == {"CICAD", "CAN"}
    by_state = partnership_graph(store, state="jam")
    assert set(by_state.nodes) == {"CICTE", "ICAO", "TSA"}
    assert by_state["CICTE"]["ICAO"]["weight"] == 1


def test_metrics_rank_the_most_connected_first(store: Store) -> None:
    table = metrics(partnership_graph(store))
    assert table[0].code == "CICTE"
    assert table[0].partners == 2 and table[0].shared_activities == 3
    communities = {m.code: m.community for m in table}
    assert communities["CICAD"] == communities["CAN"] != communities["CICTE"]


def test_the_page_is_self_contained_and_escaped(store: Store) -> None:
    page = to_html(partnership_graph(store))
    assert "new vis.Network" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"?https?://", page)
    assert "aviation security training \\u003cb\\u003e" in page
    data = page[page.index("const nodes"):]
    assert "<b>" not in data


def test_json_has_links_and_metrics(store: Store) -> None:
    data = to_json(partnership_graph(store))
    assert len(data["links"]) == 4
    assert {m["code"] for m in data["metrics"]} == {"CICTE", "CICAD", "ICAO", "TSA", "CAN"}
