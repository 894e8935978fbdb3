"""How every route of api/ answers: content negotiation, pages, errors, shared headers.

* One ``Accept`` parser (:func:`parse_accept`) and one rule to pick among what a route
  offers (:func:`preferred`): each offered media type takes the quality of the most
  specific range that matches it; the highest quality wins, then the more specific
  range, then the range the client listed first, then the order the route offers.
  ``q=0`` excludes a type even when a wildcard accepts it (RFC 9110, 12.5.1).
* One renderer of pages (:func:`render`: Jinja2 templates of ``api/templates``, with
  autoescaping on, so text from the graph or the request never reaches a page
  unescaped) and one of errors (:func:`error_response`: the JSON body
  ``{"error", "detail", "status"}``, or a page for a browser).
* The headers more than one route sets (:data:`TRUNCATED_HEADER`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.routing import Match

from mandategraph.api.resources import page_path
from mandategraph.errors import MandategraphError

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

HTML = "text/html"
#: Header set on a response whose result was cut at ``max_rows``.
TRUNCATED_HEADER = "X-Mandategraph-Truncated"


# -- negotiation ---------------------------------------------------------------------------


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header, best first: q, then specificity, then
    the order the client wrote them. Ranges with ``q=0`` are kept (they exclude)."""
    ranges: list[tuple[float, int, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((q, _specificity(media), -index, media))
    ranges.sort(reverse=True)
    return [(media, q) for q, _, _, media in ranges]


def _specificity(media: str) -> int:
    return 0 if media == "*/*" else 1 if media.endswith("/*") else 2


def _matches(accepted: str, media: str) -> bool:
    if accepted in ("*/*", media):
        return True
    return accepted.endswith("/*") and media.startswith(accepted[:-1])


def preferred(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers, ``None`` when it accepts none of them.

    Without an ``Accept`` header (or an empty one), the first offered.
    """
    ranges = parse_accept(header)
    if not ranges:
        return offered[0] if offered else None
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for position, media in enumerate(offered):
        matching = [(rank, accepted, q) for rank, (accepted, q) in enumerate(ranges)
                    if _matches(accepted, media.lower())]
        if not matching:
            continue
        # the most specific range matching this type says how much the client wants it
        rank, accepted, q = max(matching, key=lambda m: (_specificity(m[1]), -m[0]))
        key = (q, _specificity(accepted), -rank, -position)
        if q > 0 and (best is None or key > best):
            best, chosen = key, media
    return chosen


def negotiate(request: Request, offered: Sequence[str], default: str) -> str:
    """The offered media type this request's ``Accept`` prefers, else ``default``."""
    return preferred(request.headers.get("accept"), offered) or default


def choose(header: str | None, table: Mapping[str, str]) -> str | None:
    """The format of ``table`` (media type -> format, in order of preference) the
    ``Accept`` header prefers; ``None`` when it accepts none of them."""
    media = preferred(header, list(table))
    return None if media is None else table[media]


def wants_html(request: Request) -> bool:
    """Whether the client prefers HTML to JSON (a browser, not a script)."""
    return negotiate(request, ["application/json", HTML], "application/json") == HTML


# -- pages ---------------------------------------------------------------------------------

env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"], default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["page"] = lambda iri: page_path(str(iri)) or str(iri)
env.filters["term_page"] = lambda iri: page_path(str(iri))


def has_route(app: FastAPI, path: str) -> bool:
    """Whether the app serves ``path`` (so a page links only to what exists)."""
    # included routers are not flattened into app.routes: ask each route to match
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "",
             "path_params": {}, "headers": [], "query_string": b""}
    return any(route.matches(scope)[0] == Match.FULL for route in app.router.routes)


def nav_links(request: Request) -> list[tuple[str, str]]:
    """The site's menu; the partnership graph only when another module serves it."""
    links = [
        ("/sparql", "SPARQL"),
        ("/queries", "Queries"),
        ("/activities", "Activities"),
        ("/mandates", "Mandates"),
        ("/compliance", "Compliance"),
        ("/actors", "Actors"),
        ("/states", "States"),
        ("/documents", "Documents"),
    ]
    if has_route(request.app, "/graph"):
        links.append(("/graph", "Partnerships"))
    if has_route(request.app, "/charts"):
        links.append(("/charts", "Charts"))
    links.append(("/docs", "JSON API"))
    return links


def render(
    request: Request, template: str, context: Mapping[str, Any], *, status: int = 200
) -> HTMLResponse:
    """Render a template of ``api/templates`` with the site's common context."""
    page = env.get_template(template).render(
        request=request, nav=nav_links(request), path=request.url.path, **context
    )
    return HTMLResponse(page, status_code=status)


# -- errors --------------------------------------------------------------------------------


def error_response(request: Request, exc: MandategraphError) -> Response:
    """The error as the JSON body ``{"error", "detail", "status"}``, or a page for browsers."""
    if wants_html(request):
        return render(request, "error.html", {"title": exc.title, "error": exc.to_dict()},
                      status=exc.http_status)
    return JSONResponse(exc.to_dict(), status_code=exc.http_status)
