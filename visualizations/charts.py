"""Charts for researchers: declarative Vega-Lite specs (built with Altair) from SPARQL.

- ``timeline``: activities per year, stacked by theme;
- ``map``: how many activities benefit each member state, on Natural Earth's 1:50m
  shapes (the ``world-atlas`` npm package) where the small island states are still
  drawn, outlined thick enough to be seen;
- ``themes``: activities per theme;
- ``partners``: the top partners of each OAS body (shared activities).

A spec is JSON; a page draws it with vega-embed (served locally), and :func:`render`
turns it into a static SVG or PNG for reports with ``vl-convert`` (no browser, no
network). The map's shapes are given by the caller: a URL for a page, the loaded
TopoJSON for a static file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import networkx as nx

from mandategraph.errors import BadParameterError
from mandategraph.graph.sparql.results import term_text
from mandategraph.graph.store import Store
from mandategraph.ontology.registry import load_registry
from mandategraph.visualizations.graphs import ACTIVITY_FILTERS, Filters, partnership_graph

#: One row per (year, theme) with the activities of that year and theme.
TIMELINE = """
SELECT ?year ?theme (COUNT(DISTINCT ?activity) AS ?activities) WHERE {
  FILTERS
  ?activity mg:year ?year ; mg:theme/skos:notation ?theme .
} GROUP BY ?year ?theme ORDER BY ?year ?theme
"""

#: One row per state benefiting from an activity, with the count.
COVERAGE = """
SELECT ?state (COUNT(DISTINCT ?activity) AS ?activities) WHERE {
  FILTERS
  ?activity mg:beneficiary/skos:notation ?state .
} GROUP BY ?state
"""

#: One row per theme with its activities.
THEMES = """
SELECT ?theme (COUNT(DISTINCT ?activity) AS ?activities) WHERE {
  FILTERS
  ?activity mg:theme/skos:notation ?theme .
} GROUP BY ?theme ORDER BY DESC(?activities)
"""

WIDTH = 640
MAP_HEIGHT = 640
#: The fill of a state no activity benefits.
NONE = "#dfe3e8"


def _rows(store: Store, text: str, filters: Filters) -> list[dict[str, str]]:
    results: Any = store.query(text.replace("FILTERS", ACTIVITY_FILTERS),
                               bindings=filters.bindings())
    names = [v.value for v in results.variables]
    return [{k: term_text(row[k]) or "" for k in names} for row in results]


def timeline_data(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Activities per year and theme: ``{"year", "theme", "activities"}`` rows."""
    return [{"year": int(r["year"]), "theme": r["theme"], "activities": int(r["activities"])}
            for r in _rows(store, TIMELINE, filters or Filters())]


def coverage_data(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Every member state (and any other beneficiary) with its activities (0 shows a gap):
    ``{"state", "name", "id" (ISO numeric, as the map's shapes), "activities"}``."""
    counts = {r["state"]: int(r["activities"])
              for r in _rows(store, COVERAGE, filters or Filters())}
    states = load_registry().states
    codes = sorted({c for c, s in states.items() if s.oas_member} | set(counts))
    rows = []
    for code in codes:
        state = states.get(code)
        if state is None:
            continue
        name = state.names["en"].name if "en" in state.names else code
        rows.append({"state": code, "name": name, "id": state.numeric,
                     "activities": counts.get(code, 0)})
    return rows


def theme_data(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Activities per theme: ``{"theme", "activities"}`` rows, most first."""
    return [{"theme": r["theme"], "activities": int(r["activities"])}
            for r in _rows(store, THEMES, filters or Filters())]


def partner_data(store: Store, filters: Filters | None = None, *,
                 top: int = 8) -> list[dict[str, Any]]:
    """The top partners of each OAS body: ``{"body", "partner", "kind", "shared"}``."""
    graph = partnership_graph(store, filters)
    rows = []
    for body, kind in graph.nodes(data="kind"):
        if kind != "oas_body":
            continue
        partners = sorted(((graph[body][p]["weight"], p) for p in graph[body]
                           if graph.nodes[p]["kind"] != "oas_body"), key=lambda x: (-x[0], x[1]))
        rows.extend({"body": body, "partner": p, "kind": graph.nodes[p]["kind"], "shared": w}
                    for w, p in partners[:top])
    return rows


def timeline_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Stacked bars: activities per year, coloured by theme."""
    chart = alt.Chart(alt.Data(values=rows), title="Activities per year and theme").mark_bar()
    chart = chart.encode(
        x=alt.X("year:O", title="year"),
        y=alt.Y("sum(activities):Q", title="activities"),
        color=alt.Color("theme:N", title="theme", scale=alt.Scale(scheme="tableau10")),
        tooltip=["year:O", "theme:N", "activities:Q"],
    ).properties(width=WIDTH, height=320)
    return chart.to_dict()


def prune(topology: dict[str, Any], ids: set[str]) -> dict[str, Any]:
    """The TopoJSON ``countries`` with only the shapes of ``ids`` and the arcs they use
    (a static picture of the member states need not carry the world: 3x less to draw)."""
    used: dict[int, int] = {}

    def renumber(arcs: Any) -> Any:
        if isinstance(arcs, int):
            index = arcs if arcs >= 0 else ~arcs  # a negative arc is the reversed ~index
            new = used.setdefault(index, len(used))
            return new if arcs >= 0 else ~new
        return [renumber(a) for a in arcs]

    kept = [{**g, "arcs": renumber(g["arcs"])}
            for g in topology["objects"]["countries"]["geometries"] if g.get("id") in ids]
    arcs: list[Any] = [None] * len(used)
    for old, new in used.items():
        arcs[new] = topology["arcs"][old]
    return {**topology, "arcs": arcs,
            "objects": {"countries": {"type": "GeometryCollection", "geometries": kept}}}


def map_chart(rows: list[dict[str, Any]], *, atlas: str | dict[str, Any]) -> dict[str, Any]:
    """Member states coloured by the activities benefiting them.

    Args:
        rows: :func:`coverage_data`.
        atlas: the URL of ``countries-50m.json`` (``world-atlas``), or its TopoJSON
            (then only the shapes of ``rows`` are kept in the spec).
    """
    if isinstance(atlas, str):
        topology = alt.topo_feature(atlas, "countries")
    else:
        topology = alt.Data(values=prune(atlas, {r["id"] for r in rows}),
                            format=alt.DataFormat(type="topojson", feature="countries"))
    lookup = alt.LookupData(alt.Data(values=rows), key="id",
                            fields=["state", "name", "activities"])
    blues = alt.Scale(scheme="blues", domainMin=0)
    colour = alt.condition("datum.activities > 0", alt.Color("activities:Q", title="activities",
                                                             scale=blues), alt.value(NONE))
    # the same field, scale and title as the fill: Vega-Lite merges the two into one
    # legend (``legend=None`` here would drop that merged legend, the fill's too)
    outline = alt.condition("datum.activities > 0", alt.Stroke("activities:Q", title="activities",
                                                               scale=blues), alt.value(NONE))
    shapes = alt.Chart(topology, title="Activities benefiting each member state").transform_lookup(
        lookup="id", from_=lookup).transform_filter("isValid(datum.state)")
    # a thick outline in the fill's colour keeps the small island states visible; the
    # view is the Americas (a fit to the shapes would reach across the antimeridian)
    chart = shapes.mark_geoshape(strokeWidth=2.5, strokeJoin="round", clip=True).encode(
        color=colour,
        stroke=outline,
        tooltip=[alt.Tooltip("name:N", title="state"), alt.Tooltip("state:N", title="code"),
                 alt.Tooltip("activities:Q")],
    ).project(type="mercator", center=[-75, 5], scale=240,
              translate=[WIDTH / 2, MAP_HEIGHT / 2]).properties(width=WIDTH, height=MAP_HEIGHT)
    return chart.to_dict()


def themes_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars: activities per theme."""
    chart = alt.Chart(alt.Data(values=rows), title="Activities per theme").mark_bar().encode(
        y=alt.Y("theme:N", sort="-x", title=None),
        x=alt.X("activities:Q", title="activities"),
        tooltip=["theme:N", "activities:Q"],
    ).properties(width=WIDTH - 160)
    return chart.to_dict()


def partners_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A grid: OAS bodies by their partners, shaded by the activities they share."""
    chart = alt.Chart(alt.Data(values=rows), title="Top partners of each OAS body")
    chart = chart.mark_rect().encode(
        x=alt.X("partner:N", title="partner", axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("body:N", title="OAS body"),
        color=alt.Color("shared:Q", title="shared activities", scale=alt.Scale(scheme="oranges")),
        tooltip=["body:N", "partner:N", "kind:N", "shared:Q"],
    ).properties(width=WIDTH - 120)
    return chart.to_dict()


def network_chart(graph: nx.Graph) -> dict[str, Any]:
    """The partnership network as a static picture: a seeded force layout, links as
    rules as wide as their weight, actors as discs coloured by kind."""
    from mandategraph.visualizations.analytics import metrics
    from mandategraph.visualizations.page import COLOURS, KIND_LABELS

    metrics(graph)
    positions = nx.spring_layout(graph, weight="weight", seed=15) if len(graph) else {}
    nodes = [{"code": n, "x": float(p[0]), "y": float(p[1]), "kind": KIND_LABELS.get(
        graph.nodes[n]["kind"], graph.nodes[n]["kind"]), "size": graph.nodes[n]["weighted_degree"]}
        for n, p in positions.items()]
    edges = [{"x": float(positions[a][0]), "y": float(positions[a][1]),
              "x2": float(positions[b][0]), "y2": float(positions[b][1]), "weight": d["weight"]}
             for a, b, d in graph.edges(data=True)]
    kinds = alt.Scale(domain=[KIND_LABELS[k] for k in COLOURS], range=list(COLOURS.values()))
    axis = {"axis": None}
    links = alt.Chart(alt.Data(values=edges)).mark_rule(color="#9aa5b5").encode(
        x=alt.X("x:Q", **axis), y=alt.Y("y:Q", **axis), x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("weight:Q", scale=alt.Scale(range=[0.6, 6]), legend=None))
    discs = alt.Chart(alt.Data(values=nodes)).mark_circle(opacity=1, stroke="#ffffff").encode(
        x=alt.X("x:Q", **axis), y=alt.Y("y:Q", **axis),
        color=alt.Color("kind:N", scale=kinds, title="kind"),
        size=alt.Size("size:Q", scale=alt.Scale(range=[60, 900]), title="shared activities"))
    labels = alt.Chart(alt.Data(values=nodes)).mark_text(dy=-12, fontSize=10).encode(
        x=alt.X("x:Q", **axis), y=alt.Y("y:Q", **axis), text="code:N")
    chart = alt.layer(links, discs, labels, title="Who works with whom").properties(
        width=WIDTH, height=WIDTH).configure_view(stroke=None)
    return chart.to_dict()


#: The charts by name: how to get the rows, and how to draw them.
CHARTS: dict[str, tuple[str, Callable[..., list[dict[str, Any]]]]] = {
    "timeline": ("Activities per year and theme", timeline_data),
    "map": ("Activities benefiting each member state", coverage_data),
    "themes": ("Activities per theme", theme_data),
    "partners": ("Top partners of each OAS body", partner_data),
}


def chart_spec(name: str, store: Store, filters: Filters | None = None, *,
               atlas: str | dict[str, Any] = "") -> dict[str, Any]:
    """The Vega-Lite spec of the chart ``name`` (:data:`CHARTS`).

    Raises:
        BadParameterError: an unknown chart.
    """
    if name not in CHARTS:
        raise BadParameterError(f"unknown chart {name!r} (known: {', '.join(CHARTS)})")
    rows = CHARTS[name][1](store, filters)
    if name == "map":
        return map_chart(rows, atlas=atlas)
    drawers = {"timeline": timeline_chart, "themes": themes_chart, "partners": partners_chart}
    return drawers[name](rows)


def render(spec: dict[str, Any], fmt: str) -> bytes:
    """A spec as a static ``svg`` or ``png`` (vl-convert: Vega in an embedded engine).

    Raises:
        BadParameterError: another format.
    """
    import vl_convert

    if fmt == "svg":
        return str(vl_convert.vegalite_to_svg(spec)).encode("utf-8")
    if fmt == "png":
        return bytes(vl_convert.vegalite_to_png(spec, scale=2))
    raise BadParameterError(f"a chart is drawn as svg or png, not {fmt!r}")


def to_html(spec: dict[str, Any], *, scripts: list[str], title: str) -> str:
    """A self-contained page drawing one chart (Vega, Vega-Lite and vega-embed inlined)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    from mandategraph.visualizations.page import TEMPLATES, script_json

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return env.get_template("chart.html").render(
        title=title, spec=Markup(script_json(spec)),
        scripts=[Markup(s.replace("</script", "<\\/script")) for s in scripts])


def table_chart(columns: list[str], rows: list[list[str | None]],
                numeric: list[bool]) -> dict[str, Any] | None:
    """A chart for a query's results when their columns fit one, else ``None``.

    - a count by year (a ``year`` column and another number): bars per year, stacked
      by the first text column;
    - a pair list (two text columns and a number): a grid of the pairs, shaded;
    - a count by something (a text column whose values are all different, and a
      number, in a narrow table): bars, longest first.
    """
    if not rows or len(rows) > 500 or not any(numeric) or len(columns) > 6:
        return None
    texts = [i for i, n in enumerate(numeric)
             if not n and all("|" not in (row[i] or "") for row in rows)]
    numbers = [i for i, n in enumerate(numeric) if n and columns[i] != "year"]
    if not numbers:
        return None
    count = numbers[0]

    def values(*keep: int) -> list[dict[str, Any]]:
        found = []
        for row in rows:
            item: dict[str, Any] = {columns[i]: row[i] for i in keep}
            item[columns[count]] = float(row[count] or 0)
            found.append(item)
        return found

    data = alt.Data(values=[])
    if "year" in columns and len(columns) <= 4:
        year = columns.index("year")
        colour = texts[0] if texts else None
        data = alt.Data(values=values(year, *([colour] if colour is not None else [])))
        chart = alt.Chart(data).mark_bar().encode(
            x=alt.X(f"{columns[year]}:O"), y=alt.Y(f"sum({columns[count]}):Q",
                                                    title=columns[count]))
        if colour is not None:
            chart = chart.encode(color=alt.Color(f"{columns[colour]}:N"))
    elif len(columns) == 3 and texts[:2] == [0, 1] and count == 2:
        data = alt.Data(values=values(0, 1))
        chart = alt.Chart(data).mark_rect().encode(
            x=alt.X(f"{columns[0]}:N"), y=alt.Y(f"{columns[1]}:N"),
            color=alt.Color(f"{columns[2]}:Q", scale=alt.Scale(scheme="oranges")))
    elif texts and len({row[texts[0]] for row in rows}) == len(rows):
        data = alt.Data(values=values(texts[0]))
        chart = alt.Chart(data).mark_bar().encode(
            y=alt.Y(f"{columns[texts[0]]}:N", sort="-x"), x=alt.X(f"{columns[count]}:Q"))
    else:
        return None
    return chart.encode(tooltip=[alt.Tooltip(f"{c}:N") for c in columns
                                 if c in data.values[0]]).properties(width=560).to_dict()
