"""Where each actor stands in a partnership network: networkx analytics.

- weighted degree: activities shared with partners (the sum of edge weights);
- betweenness: how often an actor lies on the shortest paths between two others (who
  brokers), with strong ties short (an edge's length is ``1 / weight``);
- communities: Louvain (networkx's ``louvain_communities``, seeded so that a page
  and a file drawn from the same graph agree), numbered largest first.

:func:`annotate` writes these onto the graph's nodes so that every export and page
carries them; :func:`metrics` lists them, :func:`summary` gives the whole graph's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

#: Louvain is randomized: one seed for reproducible communities.
SEED = 15
#: Up to this many actors betweenness is exact; above, it is estimated from sampled
#: sources (Brandes' pivots): exact costs one shortest-path search per actor, minutes
#: at 2,000 actors and 36,000 links.
EXACT_BETWEENNESS = 500
#: The sampled sources: about this many link visits in all, and at least 32 sources.
SAMPLE_BUDGET = 400_000
#: Above this many actors betweenness is not computed at all (every actor gets 0.0 and
#: the summary says 0 sources): even 32 sampled sources took 11 s of the 24 s a page of
#: 2,000 actors and 36,000 links took to build (benchmarks/RESULTS.md).
SKIP_BETWEENNESS = 1_000
#: How many actors a page draws by default: the most connected; the rest stay in the
#: figures and the files.
DRAW_LIMIT = 300


@dataclass(frozen=True)
class ActorMetrics:
    """Where one actor stands in the network."""

    code: str
    label: str
    kind: str
    activities: int
    partners: int
    weighted_degree: int
    betweenness: float
    community: int


def annotate(graph: nx.Graph, *, skip_betweenness: int = SKIP_BETWEENNESS) -> nx.Graph:
    """Write ``degree``, ``weighted_degree``, ``betweenness`` and ``community`` on each
    node (in place) and return the graph.

    Betweenness is exact up to :data:`EXACT_BETWEENNESS` actors, sampled above, and not
    computed above ``skip_betweenness`` actors (0.0 everywhere; the graph's
    ``betweenness_sample`` is then 0).
    """
    for _a, _b, data in graph.edges(data=True):
        data["distance"] = 1.0 / data.get("weight", 1)
    sample = None if len(graph) <= EXACT_BETWEENNESS else min(
        len(graph), max(32, SAMPLE_BUDGET // max(graph.number_of_edges(), 1)))
    skipped = len(graph) > skip_betweenness
    betweenness = (
        nx.betweenness_centrality(graph, weight="distance", normalized=True, k=sample,
                                  seed=SEED)
        if 2 < graph.number_of_nodes() and not skipped else dict.fromkeys(graph, 0.0)
    )
    graph.graph["betweenness_sample"] = 0 if skipped else sample or len(graph)
    community_of: dict[Any, int] = {}
    if graph.number_of_edges():
        found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
        ranked = sorted(found, key=lambda c: (-len(c), min(str(m) for m in c)))
        for index, members in enumerate(ranked):
            for member in members:
                community_of[member] = index
    for node, data in graph.nodes(data=True):
        data["degree"] = graph.degree(node)
        data["weighted_degree"] = int(graph.degree(node, weight="weight"))
        data["betweenness"] = round(betweenness.get(node, 0.0), 4)
        data["community"] = community_of.get(node, -1)
    for _a, _b, data in graph.edges(data=True):
        del data["distance"]
    graph.graph["annotated"] = True
    return graph


def metrics(graph: nx.Graph) -> list[ActorMetrics]:
    """Each actor's figures, most linked first (annotating the graph if needed)."""
    if not graph.graph.get("annotated"):
        annotate(graph)
    table = [
        ActorMetrics(
            code=str(node),
            label=data.get("label", str(node)),
            kind=data.get("kind", ""),
            activities=data.get("activities", 0),
            partners=data["degree"],
            weighted_degree=data["weighted_degree"],
            betweenness=data["betweenness"],
            community=data["community"],
        )
        for node, data in graph.nodes(data=True)
    ]
    return sorted(table, key=lambda m: (-m.weighted_degree, -m.partners, m.code))


def summary(graph: nx.Graph) -> dict[str, Any]:
    """Figures of the whole graph: size, density, components, communities, modularity,
    and the top actors by weighted degree and by betweenness."""
    table = metrics(graph)
    communities: dict[int, list[str]] = {}
    for m in table:
        if m.community >= 0:
            communities.setdefault(m.community, []).append(m.code)
    modularity = (
        nx.community.modularity(graph, [set(c) for c in communities.values()], weight="weight")
        if communities and graph.number_of_edges() else 0.0
    )
    return {
        "filters": graph.graph.get("filters", ""),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "shared_activities": int(graph.size(weight="weight")),
        "density": round(nx.density(graph), 4) if graph.number_of_nodes() > 1 else 0.0,
        "components": nx.number_connected_components(graph) if len(graph) else 0,
        "communities": [sorted(members) for _i, members in sorted(communities.items())],
        "modularity": round(modularity, 4),
        # the number of sources betweenness was computed from (all actors = exact)
        "betweenness_sources": graph.graph.get("betweenness_sample", len(graph)),
        "brokers": [m.code for m in sorted(table, key=lambda m: (-m.betweenness, m.code))[:5]
                    if m.betweenness > 0],
        "most_connected": [m.code for m in table[:5]],
    }


def top(graph: nx.Graph, limit: int | None) -> nx.Graph:
    """The ``limit`` actors with the highest weighted degree (ties: more partners, then
    the code) and the links between them, with the annotations of the whole graph.

    The graph itself when it has no more than ``limit`` actors, or ``limit`` is ``None``
    or 0. Otherwise a new graph whose ``activities`` are those of the kept actors and
    whose ``total_actors`` and ``total_links`` are the whole graph's.
    """
    if not limit or len(graph) <= limit:
        return graph
    kept = [m.code for m in metrics(graph)[:limit]]
    codes = {str(node): node for node in graph}
    drawn = nx.Graph(graph.subgraph(codes[code] for code in kept))
    used = {a for _n, ids in drawn.nodes(data="activity_ids") for a in ids or ()}
    drawn.graph.update(graph.graph)
    drawn.graph["activities"] = {iri: info for iri, info in graph.graph.get("activities", {})
                                 .items() if iri in used}
    drawn.graph["total_actors"] = graph.number_of_nodes()
    drawn.graph["total_links"] = graph.number_of_edges()
    return drawn


def stats_json(graph: nx.Graph) -> dict[str, Any]:
    """The summary and each actor's metrics, JSON-ready."""
    return {"summary": summary(graph), "actors": [asdict(m) for m in metrics(graph)]}
