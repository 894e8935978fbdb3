"""Who works with whom: the partnership network, its analytics, and its pages.

Actors (OAS bodies, partner organizations, governments acting as partners or
funders) are nodes; two actors are linked when they take part in the same activity,
weighted by how many. networkx computes degree, betweenness and communities; pyvis
lays the network out for vis-network, rendered by our own template so the page is
self-contained (vis-network inlined from the copy pyvis ships) and never calls a CDN.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from itertools import combinations
from pathlib import Path

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from mandategraph.graph.sparql.results import term_text
from mandategraph.graph.store import Store
from mandategraph.ontology.roles import role_values

TEMPLATES = Path(__file__).resolve().parent / "templates"
VIS_JS = Path(pyvis.__file__).resolve().parent / "templates/lib/vis-9.1.2/vis-network.min.js"

#: One row per (activity, actor, role: the ontology's roles, see ontology.roles); the
#: theme and state filters are optional.
PARTICIPATION = """
SELECT ?activity ?activityLabel ?actor ?code ?name ?kind ?role
WHERE {
  ROLES
  ?activity a mg:Activity ; ?predicate ?actor .
  ?actor skos:notation ?code .
  FILTER(!BOUND(?_theme) || EXISTS { ?activity mg:theme/skos:notation ?_theme })
  FILTER(!BOUND(?_state) || EXISTS { ?activity mg:beneficiary/skos:notation ?_state })
  OPTIONAL { ?activity rdfs:label ?activityLabel }
  OPTIONAL { ?actor skos:prefLabel ?name FILTER(LANGMATCHES(LANG(?name), "en")) }
  BIND(IF(EXISTS { ?actor a mg:OASBody }, "oas_body",
       IF(EXISTS { ?actor a mg:State }, "state", "partner")) AS ?kind)
}
ORDER BY ?activity ?code
""".replace("ROLES", role_values())

COLOURS = {"oas_body": "#1f5fa8", "partner": "#d9822b", "state": "#2e8b57"}


@dataclass(frozen=True)
class ActorMetrics:
    """Where one actor stands in the network."""

    code: str
    label: str
    kind: str
    activities: int
    partners: int
    shared_activities: int
    betweenness: float
    community: int


def partnership_graph(
    store: Store, *, theme: str | None = None, state: str | None = None
) -> nx.Graph:
    """The partnership network of the stored activities.

    Args:
        store: an open store.
        theme: keep only activities of this theme key (``border-control``).
        state: keep only activities benefiting this state (ISO alpha-3).

    Returns:
        An undirected graph: nodes are actor codes (attributes ``label``, ``kind``,
        ``activities``), edges carry ``weight`` (shared activities) and ``activities``
        (their labels).
    """
    from rdflib import Literal

    bindings = {"_theme": Literal(theme) if theme else None,
                "_state": Literal(state.upper()) if state else None}
    rows = store.query(PARTICIPATION, bindings=bindings)
    actors_of: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    graph = nx.Graph()
    for row in rows:  # type: ignore[union-attr]
        activity = term_text(row["activity"]) or ""
        code = term_text(row["code"]) or ""
        labels[activity] = term_text(row["activityLabel"]) or activity
        if code not in graph:
            graph.add_node(code, label=term_text(row["name"]) or code,
                           kind=term_text(row["kind"]) or "partner", activities=0)
        if code not in actors_of[activity]:
            graph.nodes[code]["activities"] += 1
        actors_of[activity].add(code)
    for activity, actors in actors_of.items():
        for a, b in combinations(sorted(actors), 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
                graph[a][b]["activities"].append(labels[activity])
            else:
                graph.add_edge(a, b, weight=1, activities=[labels[activity]])
    return graph


def metrics(graph: nx.Graph) -> list[ActorMetrics]:
    """Degree, weighted degree, betweenness and community of each actor, most linked first."""
    if graph.number_of_nodes() == 0:
        return []
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    community_of: dict[str, int] = {}
    if graph.number_of_edges():
        communities = nx.community.greedy_modularity_communities(graph, weight="weight")
        for index, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c)))):
            for member in members:
                community_of[member] = index
    table = [
        ActorMetrics(
            code=node,
            label=data["label"],
            kind=data["kind"],
            activities=data["activities"],
            partners=graph.degree(node),
            shared_activities=int(graph.degree(node, weight="weight")),
            betweenness=round(betweenness[node], 4),
            community=community_of.get(node, -1),
        )
        for node, data in graph.nodes(data=True)
    ]
    return sorted(table, key=lambda m: (-m.partners, -m.shared_activities, m.code))


def to_json(graph: nx.Graph) -> dict[str, object]:
    """Node-link JSON of the network with each actor's metrics."""
    data = nx.node_link_data(graph, edges="links")
    data["metrics"] = [asdict(m) for m in metrics(graph)]
    return data


def to_html(graph: nx.Graph, *, title: str = "Who works with whom") -> str:
    """A self-contained interactive page of the network (vis-network inlined).

    Node size follows the number of activities, colour the kind of actor; edge
    width follows the number of shared activities, and hovering an edge lists them.
    """
    net = Network(height="720px", width="100%", heading=title, cdn_resources="local")
    for node, data in graph.nodes(data=True):
        net.add_node(
            node,
            label=node,
            title=f"{data['label']} ({data['kind'].replace('_', ' ')}): "
            f"{data['activities']} activities",
            color=COLOURS.get(data["kind"], "#777777"),
            value=data["activities"],
            font={"size": 18},
        )
    for a, b, data in graph.edges(data=True):
        shown = "\n".join(f"- {label}" for label in data["activities"][:12])
        net.add_edge(a, b, value=data["weight"],
                     title=f"{a} - {b}: {data['weight']} shared activities\n{shown}")
    net.barnes_hut(gravity=-4000, spring_length=160)
    nodes, edges, heading, height, width, options = net.get_network_data()
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    return environment.get_template("network.html").render(
        nodes=_script_json(nodes),
        edges=_script_json(edges),
        options=options.replace("<", "\\u003c"),
        heading=heading,
        height=height,
        width=width,
        vis_js=VIS_JS.read_text(encoding="utf-8"),
        legend=COLOURS,
        metrics=metrics(graph)[:15],
    )


def _script_json(value: object) -> str:
    """JSON safe to place inside a <script> element (no "</script>" can close it)."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")
