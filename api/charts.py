"""Charts over HTTP: timeline, map, themes, top partners (Vega-Lite, drawn in the page by
vega-embed from this server's static files; also as SVG, PNG or the spec itself).

``/charts`` shows them all; ``/charts/{name}.json`` is a chart's Vega-Lite spec,
``/charts/{name}.svg`` and ``.png`` its static picture. All take ``theme``, ``state``,
``year_from`` and ``year_to``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from mandategraph.api.openapi import errors, media
from mandategraph.api.responses import STATIC_DIR, render
from mandategraph.errors import NotFoundError
from mandategraph.visualizations.charts import CHARTS, chart_spec
from mandategraph.visualizations.charts import render as draw
from mandategraph.visualizations.graphs import Filters, checked_filters

router = APIRouter(tags=["charts"])

#: The map's shapes, served by /static (fetched from the npm package world-atlas).
ATLAS_URL = "/static/vendor/world-atlas/countries-50m.json"
ATLAS_FILE = STATIC_DIR / "vendor" / "world-atlas" / "countries-50m.json"
FORMATS = {"json": "application/json", "svg": "image/svg+xml", "png": "image/png"}

ThemeQuery = Query(None, description="Only activities of this theme key, e.g. border-control")
StateQuery = Query(None, description="Only activities for this state (ISO alpha-3), e.g. JAM")
FromQuery = Query(None, ge=1900, le=2200, description="Only activities of this year or later")
ToQuery = Query(None, ge=1900, le=2200, description="Only activities of this year or earlier")


@lru_cache(maxsize=1)
def atlas() -> dict[str, Any]:
    """The map's shapes, loaded (a static picture cannot fetch a URL)."""
    if not ATLAS_FILE.is_file():
        raise NotFoundError(f"the map's shapes are missing ({ATLAS_FILE}): run 'make assets'")
    return json.loads(ATLAS_FILE.read_text(encoding="utf-8"))


class Chart(StrEnum):
    """The charts."""

    timeline = "timeline"
    map = "map"
    themes = "themes"
    partners = "partners"


class ChartFormat(StrEnum):
    """What a chart comes as."""

    json = "json"
    svg = "svg"
    png = "png"


def _filters(request: Request, theme: str | None, state: str | None, year_from: int | None,
             year_to: int | None, *, strict: bool = False) -> Filters:
    return checked_filters(request.app.state.store, theme=theme, state=state,
                           year_from=year_from, year_to=year_to, strict=strict)


@router.get("/charts", response_class=HTMLResponse, include_in_schema=False)
def charts_page(request: Request, theme: str | None = ThemeQuery, state: str | None = StateQuery,
                year_from: int | None = FromQuery, year_to: int | None = ToQuery) -> HTMLResponse:
    """Timeline, map, themes and top partners, drawn in the page."""
    filters = _filters(request, theme, state, year_from, year_to, strict=True)
    store = request.app.state.store
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if v])
    suffix = f"?{query}" if query else ""
    charts = [
        {"name": name, "title": title,
         "spec": json.dumps(chart_spec(name, store, filters, atlas=ATLAS_URL)).replace(
             "<", "\\u003c"),
         "downloads": {fmt.upper(): f"/charts/{name}.{fmt}{suffix}" for fmt in FORMATS}}
        for name, (title, _rows) in CHARTS.items()
    ]
    return render(request, "charts.html", {"title": "Charts", "charts": charts,
                                           "filters": filters.describe()})


@router.get("/charts/{name}.{fmt}", responses={
    200: {"content": {"application/json": {"schema": {"type": "object"}},
                      **media(["image/svg+xml", "image/png"])}},
    **errors(400)})
def chart_file(request: Request, name: Chart, fmt: ChartFormat, theme: str | None = ThemeQuery,
               state: str | None = StateQuery, year_from: int | None = FromQuery,
               year_to: int | None = ToQuery) -> Response:
    """One chart as its Vega-Lite spec (json), or a static SVG or PNG."""
    filters = _filters(request, theme, state, year_from, year_to)
    store = request.app.state.store
    if fmt is ChartFormat.json:
        return JSONResponse(chart_spec(name.value, store, filters, atlas=ATLAS_URL))

    def picture() -> bytes:
        spec = chart_spec(name.value, store, filters, atlas=atlas() if name is Chart.map else "")
        return draw(spec, fmt.value)

    # drawing takes a second or more: the query executor keeps the picture per store
    # generation, with the query results
    executor = getattr(request.app.state, "executor", None)
    body = picture() if executor is None else executor.derived(
        ("chart", name.value, fmt.value, filters), picture)
    return Response(body, media_type=FORMATS[fmt.value])
