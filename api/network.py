"""The partnership network over HTTP: the interactive page, its figures, its files.

``/graph`` draws who works with whom (vis-network from this server's static files),
``/graph.json``, ``/graph.gexf`` and ``/graph.graphml`` give the same network as
files, ``/graph/stats`` its figures. All take the same filters: ``theme``, ``state``,
``year_from``, ``year_to``, ``kind`` (repeatable) and ``actor`` (its ego network).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import networkx as nx
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from mandategraph.api.codes import check_codes, refuse_unknown_parameters
from mandategraph.api.openapi import errors, media
from mandategraph.api.resources import page_path
from mandategraph.api.responses import render
from mandategraph.errors import NotFoundError
from mandategraph.visualizations.analytics import DRAW_LIMIT, annotate, stats_json
from mandategraph.visualizations.export import to_gexf, to_graphml, to_json
from mandategraph.visualizations.graphs import Filters, checked_filters, partnership_graph
from mandategraph.visualizations.page import body

router = APIRouter(tags=["network"], dependencies=[Depends(refuse_unknown_parameters)])

ThemeQuery = Query(None, description="Only activities of this theme key, e.g. border-control")
StateQuery = Query(None, description="Only activities for this state (ISO alpha-3), e.g. JAM")
FromQuery = Query(None, ge=1900, le=2200, description="Only activities of this year or later")
ToQuery = Query(None, ge=1900, le=2200, description="Only activities of this year or earlier")
KindQuery = Query([], description="Only actors of these kinds: oas_body, partner, government, "
                  "provisional (repeat the parameter)")
ActorQuery = Query(None, description="Only this actor (its code) and its direct partners")
TopQuery = Query(None, ge=0, description=(
    f"Draw only this many actors, the most connected (default {DRAW_LIMIT}; 0 draws all)"))


def _graph(request: Request, theme: str | None, state: str | None, year_from: int | None,
           year_to: int | None, kind: list[str], actor: str | None, *,
           strict: bool = False) -> tuple[nx.Graph, Filters]:
    """The network for these filters. The page (``strict``) refuses a value that can
    match nothing, naming the valid ones (400); the files refuse an unknown theme or state
    code as the JSON API does (404 "unknown code", naming the closest)."""
    store = request.app.state.store
    if not strict:
        check_codes(store, {"theme": theme, "state": state})
    filters = checked_filters(store, theme=theme, state=state, year_from=year_from,
                              year_to=year_to, kinds=kind, strict=strict)
    graph = _drawn(request, filters, actor or None)
    if strict and actor and graph.number_of_nodes() == 0:
        raise NotFoundError(f"no actor {actor!r} takes part in an activity with these filters")
    return graph, filters


def _drawn(request: Request, filters: Filters, actor: str | None) -> nx.Graph:
    """The network drawn and analysed, kept by the query executor per store generation,
    filters and actor (:meth:`~mandategraph.graph.sparql.executor.Executor.derived`): a
    big graph takes seconds to read and analyse, and the page, its files and its figures
    ask for the same network. A ``memory`` store is read anew every time."""
    store = request.app.state.store

    def draw() -> nx.Graph:
        return annotate(partnership_graph(store, filters, actor=actor))

    executor = getattr(request.app.state, "executor", None)
    if executor is None:
        return draw()
    return executor.derived(("partnerships", filters, actor), draw)  # type: ignore[no-any-return]


def _query(request: Request) -> str:
    """The page's query string without ``top`` (the files are always the whole network)."""
    return urlencode([(k, v) for k, v in request.query_params.multi_items()
                      if v and k != "top"])


#: What the file routes may answer besides the file.
ERRORS = errors(400, 404)


@router.get("/graph", response_class=HTMLResponse, include_in_schema=False)
def network_page(request: Request, theme: str | None = ThemeQuery, state: str | None = StateQuery,
                 year_from: int | None = FromQuery, year_to: int | None = ToQuery,
                 kind: list[str] = KindQuery, actor: str | None = ActorQuery,
                 top: int | None = TopQuery) -> HTMLResponse:
    """Interactive page of who works with whom."""
    graph, filters = _graph(request, theme, state, year_from, year_to, kind, actor, strict=True)
    title = f"{actor} and its partners" if actor else "Who works with whom"
    query = _query(request)
    suffix = f"?{query}" if query else ""
    downloads = {"GEXF (Gephi)": f"/graph.gexf{suffix}", "GraphML": f"/graph.graphml{suffix}",
                 "JSON": f"/graph.json{suffix}"}
    selected = {"theme": filters.theme, "state": filters.state, "year_from": filters.year_from,
                "year_to": filters.year_to, "kinds": sorted(filters.kinds)}
    everything = urlencode([*[(k, v) for k, v in request.query_params.multi_items()
                              if v and k != "top"], ("top", "0")])
    content = body(graph, title=title, link=lambda iri: page_path(iri) or iri, focus=actor,
                   selected=selected, downloads=downloads, query=query,
                   limit=DRAW_LIMIT if top is None else top, show_all=f"/graph?{everything}")
    return render(request, "network.html", {"title": title, "body": content})


@router.get("/graph.json", responses=ERRORS)
def network_json(request: Request, theme: str | None = ThemeQuery, state: str | None = StateQuery,
                 year_from: int | None = FromQuery, year_to: int | None = ToQuery,
                 kind: list[str] = KindQuery, actor: str | None = ActorQuery) -> JSONResponse:
    """The partnership network as node-link JSON: every attribute, activities with quotes."""
    graph, _ = _graph(request, theme, state, year_from, year_to, kind, actor)
    return JSONResponse(to_json(graph))


@router.get("/graph.gexf", responses={
    200: {"content": media(["application/gexf+xml"])}, **ERRORS})
def network_gexf(request: Request, theme: str | None = ThemeQuery, state: str | None = StateQuery,
                 year_from: int | None = FromQuery, year_to: int | None = ToQuery,
                 kind: list[str] = KindQuery, actor: str | None = ActorQuery) -> Response:
    """The partnership network as GEXF 1.2, for Gephi."""
    graph, _ = _graph(request, theme, state, year_from, year_to, kind, actor)
    return Response(to_gexf(graph), media_type="application/gexf+xml", headers={
        "Content-Disposition": 'attachment; filename="partnerships.gexf"'})


@router.get("/graph.graphml", responses={
    200: {"content": media(["application/graphml+xml"])}, **ERRORS})
def network_graphml(request: Request, theme: str | None = ThemeQuery,
                    state: str | None = StateQuery, year_from: int | None = FromQuery,
                    year_to: int | None = ToQuery, kind: list[str] = KindQuery,
                    actor: str | None = ActorQuery) -> Response:
    """The partnership network as GraphML, for Cytoscape, yEd or Gephi."""
    graph, _ = _graph(request, theme, state, year_from, year_to, kind, actor)
    return Response(to_graphml(graph), media_type="application/graphml+xml", headers={
        "Content-Disposition": 'attachment; filename="partnerships.graphml"'})


@router.get("/graph/stats", responses=ERRORS)
def network_stats(request: Request, theme: str | None = ThemeQuery,
                  state: str | None = StateQuery, year_from: int | None = FromQuery,
                  year_to: int | None = ToQuery, kind: list[str] = KindQuery,
                  actor: str | None = ActorQuery) -> JSONResponse:
    """Figures of the network: size, communities, brokers, and each actor's metrics."""
    graph, _ = _graph(request, theme, state, year_from, year_to, kind, actor)
    return JSONResponse(json.loads(json.dumps(stats_json(graph))))
