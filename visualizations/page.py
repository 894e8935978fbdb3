"""The interactive partnership page: the data it draws and its HTML.

The page body (filters, legend, the canvas, the figures, the downloads) is the same in
the site's ``/graph`` page and in the self-contained file ``mandategraph viz
partnerships --out x.html`` writes; the site loads vis-network from its own static
files, the file inlines the same script. Texts reach the browser as JSON inside a
``<script type="application/json">`` element and are set with ``textContent``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from mandategraph.visualizations.analytics import DRAW_LIMIT, metrics, summary, top
from mandategraph.visualizations.graphs import KINDS

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: A colour per kind of actor (colour-blind-safe, after Okabe and Ito).
COLOURS = {"oas_body": "#0072b2", "partner": "#e69f00", "government": "#009e73",
           "provisional": "#cc79a7"}
KIND_LABELS = {"oas_body": "OAS body", "partner": "partner organization",
               "government": "government", "provisional": "provisional actor"}

_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def script_json(value: object) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>`` can close it)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def payload(graph: nx.Graph, *, link: Callable[[str], str | None] = lambda iri: iri,
            focus: str | None = None, query: str = "") -> dict[str, Any]:
    """What the page's script draws: nodes, edges, activities, legend.

    Args:
        graph: an annotated partnership graph (:func:`analytics.annotate`).
        link: the page of an IRI (the IRI itself in a standalone file).
        focus: the actor an ego network is drawn around (drawn with a thick border).
        query: the page's query string, kept by the download links.
    """
    metrics(graph)  # annotates when needed
    known = graph.graph.get("activities", {})
    # activities are listed once and referred to by their index: a big graph's page
    # would otherwise repeat each IRI for every actor and link it belongs to
    order = {iri: index for index, iri in enumerate(known)}
    nodes = [
        {"id": node, "label": data["label"], "kind": data["kind"],
         "color": COLOURS.get(data["kind"], "#777777"), "href": link(data.get("iri", "")),
         "activities": data["activities"], "degree": data["degree"],
         "weighted_degree": data["weighted_degree"], "betweenness": data["betweenness"],
         "community": data["community"],
         "activity_ids": [order[a] for a in data["activity_ids"] if a in order],
         "focus": node == focus}
        for node, data in sorted(graph.nodes(data=True))
    ]
    edges = [
        {"source": a, "target": b, "weight": data["weight"],
         "activity_ids": [order[i] for i in data["activity_ids"] if i in order]}
        for a, b, data in sorted(graph.edges(data=True))
    ]
    activities = [{key: value for key, value in info.items() if key != "iri"}
                  for info in known.values()]
    return {"nodes": nodes, "edges": edges, "activities": activities, "kinds": list(KINDS),
            "kindLabels": KIND_LABELS, "query": query}


def options(graph: nx.Graph) -> dict[str, list[str]]:
    """The values the filters offer: themes, years and states of the drawn activities."""
    known = graph.graph.get("activities", {}).values()
    return {
        "themes": sorted({t for a in known for t in a["themes"]}),
        "years": [str(y) for y in sorted({y for a in known for y in a["years"]})],
        "states": sorted({s for a in known for s in a["states"]}),
    }


def body(graph: nx.Graph, *, title: str, link: Callable[[str], str | None] = lambda iri: iri,
         focus: str | None = None, selected: Mapping[str, Any] | None = None,
         downloads: Mapping[str, str] | None = None, query: str = "",
         links: Mapping[str, str | None] | None = None, limit: int | None = DRAW_LIMIT,
         show_all: str | None = None) -> Markup:
    """The page's body: filters, canvas, legend, figures, downloads and the script.

    Args:
        graph: the partnership graph.
        title: the heading.
        link: maps an IRI to the page that shows it.
        focus: the ego network's actor.
        selected: initial filter values (``theme``, ``state``, ``year_from``,
            ``year_to``, ``kinds``).
        downloads: label -> URL of the same network as a file (none in a file).
        query: the page's query string.
        links: the actors' pages by code, for the figures table.
        limit: draw only this many actors, the most connected (:func:`analytics.top`);
            ``None`` or 0 draws all. The figures are the whole graph's.
        show_all: the URL of the same page drawing every actor, offered when some
            are left out.
    """
    table = metrics(graph)
    drawn = top(graph, limit)
    data = payload(drawn, link=link, focus=focus, query=query)
    return Markup(_ENV.get_template("network_body.html").render(
        title=title,
        data=Markup(script_json(data)),
        script=Markup((TEMPLATES / "network.js").read_text(encoding="utf-8")),
        options=options(drawn),
        selected=dict(selected or {}),
        kinds=KINDS,
        colours=COLOURS,
        kind_labels=KIND_LABELS,
        summary=summary(graph),
        metrics=table[:20],
        links=links or {m.code: link(graph.nodes[m.code].get("iri", "")) for m in table},
        downloads=downloads or {},
        total=drawn.number_of_nodes(),
        total_links=drawn.number_of_edges(),
        actors=graph.number_of_nodes(),
        show_all=show_all,
    ))


def to_html(graph: nx.Graph, *, vis_js: str, title: str = "Who works with whom",
            limit: int | None = DRAW_LIMIT) -> str:
    """A self-contained page of the network (vis-network inlined; links to the IRIs);
    ``limit`` as for :func:`body`."""
    return _ENV.get_template("network.html").render(
        title=title, body=body(graph, title=title, limit=limit),
        vis_js=Markup(vis_js.replace("</script", "<\\/script")),
    )
