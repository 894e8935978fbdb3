"""Network files for other tools: GEXF and GraphML (Gephi, Cytoscape), node-link JSON.

Every node and edge attribute goes out: kind, code, label, IRI, activities, degree,
weighted degree, betweenness, community, themes, years, states; edges with weight,
themes, years and their activities. GEXF and GraphML hold only scalars, so lists are
written as text joined with ``|`` (:func:`flat`); the JSON keeps them as lists and adds
each activity's label and source quote.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import networkx as nx

from mandategraph.errors import BadParameterError
from mandategraph.visualizations.analytics import annotate, summary

#: File extensions :func:`export` writes, and what each is.
FORMATS = {
    ".gexf": "GEXF 1.2 (Gephi)",
    ".graphml": "GraphML (Cytoscape, yEd, Gephi)",
    ".json": "node-link JSON (networkx, d3)",
}

#: Separator of list values in GEXF and GraphML.
JOIN = "|"

#: Attributes kept only in the JSON (bulky or nested).
_JSON_ONLY = {"activity_ids"}


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, list | tuple | set | frozenset):
        return JOIN.join(str(v) for v in value)
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _activity_labels(graph: nx.Graph, ids: list[str]) -> str:
    known = graph.graph.get("activities", {})
    return JOIN.join(known.get(a, {}).get("label", a) for a in ids)


def flat(graph: nx.Graph) -> nx.Graph:
    """A copy of the (annotated) graph with scalar attributes only: lists joined with
    ``|``; each node's and edge's activities as their labels; no graph-level data."""
    if not graph.graph.get("annotated") and not graph.is_directed():
        annotate(graph)
    out: nx.Graph = graph.__class__()
    for node, data in graph.nodes(data=True):
        attributes = {k: _scalar(v) for k, v in data.items()
                      if k not in _JSON_ONLY and v is not None}
        if "activity_ids" in data:
            attributes["activity_labels"] = _activity_labels(graph, data["activity_ids"])
        out.add_node(str(node), **attributes)
    for a, b, data in graph.edges(data=True):
        attributes = {k: _scalar(v) for k, v in data.items()
                      if k not in _JSON_ONLY and v is not None}
        if "activity_ids" in data:
            attributes["activity_labels"] = _activity_labels(graph, data["activity_ids"])
            attributes["activity_ids"] = JOIN.join(data["activity_ids"])
        out.add_edge(str(a), str(b), **attributes)
    return out


def to_gexf(graph: nx.Graph) -> bytes:
    """The graph as GEXF 1.2."""
    buffer = io.BytesIO()
    nx.write_gexf(flat(graph), buffer, version="1.2draft")
    return buffer.getvalue()


def to_graphml(graph: nx.Graph) -> bytes:
    """The graph as GraphML, with typed keys for every attribute."""
    buffer = io.BytesIO()
    nx.write_graphml(flat(graph), buffer, named_key_ids=True)
    return buffer.getvalue()


def to_json(graph: nx.Graph) -> dict[str, Any]:
    """Node-link JSON: every attribute (lists kept), the activities with their quotes,
    and the graph's summary."""
    if not graph.graph.get("annotated") and not graph.is_directed():
        annotate(graph)
    data = nx.node_link_data(graph, edges="links")
    data["graph"] = {k: v for k, v in data["graph"].items() if k != "annotated"}
    if not graph.is_directed():
        data["summary"] = summary(graph)
    return data


def to_json_bytes(graph: nx.Graph) -> bytes:
    """:func:`to_json`, serialized."""
    return json.dumps(to_json(graph), indent=2, ensure_ascii=False).encode("utf-8")


def export(graph: nx.Graph, suffix: str) -> bytes:
    """The graph in the format named by a file extension (``.gexf``, ``.graphml``, ``.json``).

    Raises:
        BadParameterError: an extension not in :data:`FORMATS`.
    """
    writers = {".gexf": to_gexf, ".graphml": to_graphml, ".json": to_json_bytes}
    writer = writers.get(suffix.lower())
    if writer is None:
        known = ", ".join(FORMATS)
        raise BadParameterError(f"no network format for {suffix or 'a file without extension'!r}"
                                f" (known: {known})")
    return writer(graph)


def suffix_of(path: Path) -> str:
    """The extension that names the format (``.graphml`` of ``x.graphml``)."""
    return path.suffix.lower()
