"""The networks drawn from the store: edges, weights, filters, analytics, the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
import yaml
from rdflib import Graph

from mandategraph.errors import BadParameterError
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import GRAPH
from mandategraph.visualizations.analytics import annotate, metrics, summary, top
from mandategraph.visualizations.graphs import (
    Filters,
    checked_filters,
    mandate_graph,
    partnership_graph,
    reach_graph,
)
from mandategraph.visualizations.page import body, to_html
from tests.conftest import SHARED

FIXTURE = """
@prefix mg: <https://w3id.org/mandategraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/mandategraph/id/> .

id:org\\/CICTE a mg:OASBody ; skos:notation "CICTE" ;
    skos:prefLabel "Inter-American Committee against Terrorism"@en .
id:org\\/CICAD a mg:OASBody ; skos:notation "CICAD" .
id:org\\/ICAO a mg:PartnerOrganization ; skos:notation "ICAO" .
id:org\\/TSA a mg:PartnerOrganization ; skos:notation "TSA" .
id:state\\/CAN a mg:State ; skos:notation "CAN" .
id:theme\\/cybersecurity a mg:Theme ; skos:notation "cybersecurity" .
id:theme\\/border-control a mg:Theme ; skos:notation "border-control" .
id:state\\/JAM a mg:State ; skos:notation "JAM" .
id:document\\/r\\/candidate\\/ctu a mg:Candidate ; rdfs:label "Caribbean Telecommunications Union" .
id:par a mg:OperativeParagraph ; mg:paragraphNumber "5.b" ; mg:paragraphOf id:res .
id:res skos:notation "AG/RES. 2485 (XXXIX-O/09)" .

id:a1 a mg:Activity ; rdfs:label "aviation security training <b>" ; mg:conductedBy id:org\\/CICTE ;
    mg:inPartnershipWith id:org\\/ICAO, id:org\\/TSA ; mg:theme id:theme\\/border-control ;
    mg:beneficiary id:state\\/JAM ; mg:year 2010 ; mg:implements id:par ;
    prov:wasDerivedFrom id:span1 .
id:span1 mg:quote "CICTE trained officers with ICAO and the TSA." .
id:st1 a rdf:Statement ; rdf:subject id:a1 ; rdf:predicate rdfs:label ;
    rdf:object "aviation security training <b>" ; prov:wasDerivedFrom id:span1 .
id:a2 a mg:Activity ; rdfs:label "ICAO conference" ; mg:conductedBy id:org\\/CICTE ;
    mg:inPartnershipWith id:org\\/ICAO ; mg:theme id:theme\\/border-control ; mg:year 2008 .
id:a3 a mg:Activity ; rdfs:label "drug-use studies" ; mg:conductedBy id:org\\/CICAD ;
    mg:fundedBy id:state\\/CAN ; mg:theme id:theme\\/cybersecurity ; mg:year 2009 ;
    mg:inPartnershipWith id:document\\/r\\/candidate\\/ctu .
"""


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store.open("memory")
    store.replace_graph(GRAPH["document/fixture"], Graph().parse(data=FIXTURE, format="turtle"))
    return store


def test_edges_are_weighted_by_shared_activities(store: Store) -> None:
    graph = partnership_graph(store)
    ctu = "Caribbean Telecommunications Union"
    assert set(graph.nodes) == {"CICTE", "CICAD", "ICAO", "TSA", "CAN", ctu}
    assert graph["CICTE"]["ICAO"]["weight"] == 2
    assert graph["CICTE"]["TSA"]["weight"] == 1
    assert graph["ICAO"]["TSA"]["weight"] == 1
    assert graph["CICAD"]["CAN"]["weight"] == 1
    assert not graph.has_edge("CICTE", "CICAD")
    kinds = dict(graph.nodes(data="kind"))
    assert (kinds["CAN"], kinds["CICTE"], kinds["ICAO"], kinds[ctu]) == (
        "government", "oas_body", "partner", "provisional")
    assert graph.nodes["CICTE"]["label"] == "Inter-American Committee against Terrorism"


def test_edges_carry_themes_years_and_the_activities_with_their_quotes(store: Store) -> None:
    graph = partnership_graph(store)
    edge = graph["CICTE"]["ICAO"]
    assert edge["themes"] == ["border-control"]
    assert edge["years"] == [2008, 2010]
    activities = [graph.graph["activities"][a] for a in edge["activity_ids"]]
    assert {a["label"] for a in activities} == {"aviation security training <b>", "ICAO conference"}
    quoted = next(a for a in activities if a["label"].startswith("aviation"))
    assert quoted["quote"] == "CICTE trained officers with ICAO and the TSA."
    assert quoted["states"] == ["JAM"]


def test_filters_by_theme_state_year_and_kind(store: Store) -> None:
    assert set(partnership_graph(store, Filters(theme="cybersecurity")).nodes) == {
        "CICAD", "CAN", "Caribbean Telecommunications Union"}
    by_state = partnership_graph(store, Filters(state="jam"))
    assert set(by_state.nodes) == {"CICTE", "ICAO", "TSA"}
    assert by_state["CICTE"]["ICAO"]["weight"] == 1
    recent = partnership_graph(store, Filters(year_from=2009, year_to=2010))
    assert recent["CICTE"]["ICAO"]["weight"] == 1 and "CAN" in recent
    assert set(partnership_graph(store, Filters(year_to=2008)).nodes) == {"CICTE", "ICAO"}
    bodies = partnership_graph(store, Filters(kinds=frozenset({"oas_body", "partner"})))
    assert "CAN" not in bodies and bodies["CICTE"]["ICAO"]["weight"] == 2


def test_ego_network_keeps_the_actor_and_its_partners(store: Store) -> None:
    assert set(partnership_graph(store, actor="TSA").nodes) == {"TSA", "CICTE", "ICAO"}
    assert partnership_graph(store, actor="NOBODY").number_of_nodes() == 0


def test_unknown_theme_names_the_closest_keys(store: Store) -> None:
    with pytest.raises(BadParameterError, match="did you mean cybersecurity"):
        checked_filters(store, theme="cyber-security")
    with pytest.raises(BadParameterError, match="unknown kind"):
        checked_filters(store, kinds=["state"])
    with pytest.raises(BadParameterError, match="before it starts"):
        checked_filters(store, year_from=2010, year_to=2009)


def test_metrics_rank_the_most_connected_first(store: Store) -> None:
    graph = partnership_graph(store)
    table = metrics(graph)
    assert table[0].code == "CICTE"
    assert table[0].partners == 2 and table[0].weighted_degree == 3
    communities = {m.code: m.community for m in table}
    assert communities["CICAD"] == communities["CAN"] != communities["CICTE"]
    # every component is a triangle: nobody stands between two others
    assert {m.betweenness for m in table} == {0.0}
    figures = summary(graph)
    assert figures["nodes"] == 6 and figures["edges"] == 6 and figures["components"] == 2
    assert len(figures["communities"]) == 2


def test_betweenness_takes_strong_ties_as_short() -> None:
    graph = nx.Graph()
    graph.add_node("a", label="a", kind="partner", activities=1)
    graph.add_node("b", label="b", kind="oas_body", activities=2)
    graph.add_node("c", label="c", kind="partner", activities=1)
    graph.add_edge("a", "b", weight=5)
    graph.add_edge("b", "c", weight=5)
    graph.add_edge("a", "c", weight=1)
    table = {m.code: m for m in metrics(annotate(graph))}
    # a -> b -> c (1/5 + 1/5) is shorter than the weak direct tie a - c (1/1)
    assert table["b"].betweenness == 1.0 and table["a"].betweenness == 0.0
    assert table["b"].weighted_degree == 10


def test_mandate_and_reach_graphs(store: Store) -> None:
    mandates = mandate_graph(store)
    par = "https://w3id.org/mandategraph/id/par"
    a1 = "https://w3id.org/mandategraph/id/a1"
    assert mandates.nodes[par]["label"] == "AG/RES. 2485 (XXXIX-O/09) 5.b"
    assert mandates.has_edge(par, a1)
    assert mandates[a1]["https://w3id.org/mandategraph/id/org/TSA"]["relation"] == "partner"
    reach = reach_graph(store)
    assert set(reach.edges) == {("CICTE", "JAM"), ("ICAO", "JAM"), ("TSA", "JAM")}


def test_the_page_is_self_contained_and_escaped(store: Store) -> None:
    page = to_html(partnership_graph(store), vis_js="/* vis */ var vis = {};")
    assert "/* vis */" in page and "new vis.Network" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"?https?://", page)
    start = page.index('id="network-data">')
    data = page[start : page.index("</script>", start)]
    assert "<b>" not in data and "\\u003cb\\u003e" in data
    assert json.loads(data.split(">", 1)[1])["nodes"][0]["id"] == "CAN"


def test_the_body_links_actors_to_their_pages(store: Store) -> None:
    html = body(partnership_graph(store), title="t",
                link=lambda iri: "/x/" + iri.rsplit("/", 1)[-1])
    assert '<a href="/x/CICTE"' in html


def synthetic_star(spokes: int) -> nx.Graph:
    """Hubs h0..h9 each linked to ``spokes`` leaves; hub i shares i + 1 activities with
    each of its leaves, so the weighted degrees are known."""
    graph = nx.Graph()
    graph.graph["activities"] = {}
    for hub in range(10):
        graph.add_node(f"h{hub}", label=f"h{hub}", kind="oas_body", activities=spokes,
                       activity_ids=[])
        for leaf in range(spokes):
            code = f"p{hub}-{leaf}"
            iri = f"a{hub}-{leaf}"
            graph.graph["activities"][iri] = {"label": iri, "quote": "q", "themes": [],
                                              "years": [], "states": []}
            graph.add_node(code, label=code, kind="partner", activities=1, activity_ids=[iri])
            graph.nodes[f"h{hub}"]["activity_ids"].append(iri)
            graph.add_edge(f"h{hub}", code, weight=hub + 1, activity_ids=[iri],
                           themes=[], years=[])
    return graph


def test_a_big_network_draws_only_its_most_connected_actors() -> None:
    graph = annotate(synthetic_star(40))  # 410 actors
    drawn = top(graph, 25)
    assert drawn.number_of_nodes() == 25
    # the ten hubs first (weighted degrees 40..400), then the leaves of the strongest hub
    assert {f"h{i}" for i in range(10)} <= set(drawn)
    assert all(code.startswith("p9-") for code in drawn if code.startswith("p"))
    assert drawn.graph["total_actors"] == 410
    assert set(drawn.graph["activities"]) == {
        a for _n, ids in drawn.nodes(data="activity_ids") for a in ids}
    # the whole graph's figures stay with the drawn actors
    assert drawn.nodes["h9"]["weighted_degree"] == 400 == graph.nodes["h9"]["weighted_degree"]
    assert top(graph, 0) is graph and top(graph, 410) is graph and top(graph, None) is graph


def test_the_page_says_how_many_actors_it_draws_and_offers_them_all() -> None:
    graph = annotate(synthetic_star(40))
    html = body(graph, title="t", limit=30, show_all="/graph?top=0")
    data = json.loads(html.split('id="network-data">', 1)[1].split("</script>", 1)[0])
    assert len(data["nodes"]) == 30
    note = re.search(r'<p class="note" id="drawn-note">(.*?)</p>', html, re.S)
    assert note is not None and "Showing 30 of 410 actors" in " ".join(note.group(1).split())
    assert '<a id="show-all" href="/graph?top=0">Show all 410 actors</a>' in html
    everything = body(graph, title="t", limit=0)
    assert len(json.loads(everything.split('id="network-data">', 1)[1]
                          .split("</script>", 1)[0])["nodes"]) == 410
    assert 'id="drawn-note"' not in everything


def test_betweenness_is_skipped_above_a_size() -> None:
    graph = annotate(synthetic_star(3), skip_betweenness=20)  # 40 actors
    assert summary(graph)["betweenness_sources"] == 0
    assert {m.betweenness for m in metrics(graph)} == {0.0}
    exact = annotate(synthetic_star(3))
    assert summary(exact)["betweenness_sources"] == 40
    assert metrics(exact)[0].betweenness > 0  # a hub stands between its leaves


def test_the_default_corpus_holds_every_must_pair_of_the_gold(built_store: Store) -> None:
    gold_file = SHARED / "gold" / "seed-report.gold.yaml"
    if not gold_file.exists():
        pytest.skip("../shared/gold is not here")
    gold = yaml.safe_load(Path(gold_file).read_text(encoding="utf-8"))
    graph = partnership_graph(built_store)
    missing = [pair for pair in gold["partnerships"]["must"] if not graph.has_edge(*pair)]
    assert missing == []
    assert all(graph[a][b]["weight"] >= 1 for a, b in gold["partnerships"]["must"])
