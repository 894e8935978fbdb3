"""The partnership network over HTTP: an interactive page and its JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from mandategraph.api.codes import check_codes, refuse_unknown_parameters
from mandategraph.api.openapi import errors, html_too
from mandategraph.visualizations.partnerships import partnership_graph, to_html, to_json

router = APIRouter(tags=["network"], dependencies=[Depends(refuse_unknown_parameters)])

ThemeQuery = Query(None, description="Only activities of this theme key, e.g. border-control")
StateQuery = Query(None, description="Only activities for this state (ISO alpha-3), e.g. JAM")


@router.get("/graph", response_class=Response,
            responses={**html_too("The interactive page."), **errors(400, 404)})
def network_page(request: Request, theme: str | None = ThemeQuery,
                 state: str | None = StateQuery) -> HTMLResponse:
    """Interactive page of who works with whom."""
    check_codes(request.app.state.store, {"theme": theme, "state": state})
    graph = partnership_graph(request.app.state.store, theme=theme, state=state)
    title = "Who works with whom" + (f" - {theme}" if theme else "") + (
        f" - {state.upper()}" if state else "")
    return HTMLResponse(to_html(graph, title=title))


@router.get("/graph.json", responses=errors(400, 404))
def network_json(request: Request, theme: str | None = ThemeQuery,
                 state: str | None = StateQuery) -> JSONResponse:
    """The partnership network as node-link JSON with each actor's metrics."""
    check_codes(request.app.state.store, {"theme": theme, "state": state})
    graph = partnership_graph(request.app.state.store, theme=theme, state=state)
    return JSONResponse(to_json(graph))
