"""The researchers' web pages: home, the lists, and one page per resource.

Every IRI of ours (``https://w3id.org/mandategraph/id/...``) is served at its own path
under ``/id/``: a browser gets HTML, an RDF client (Turtle, N-Triples, JSON-LD,
RDF/XML, by ``Accept`` or ``?format=``) gets the resource's description. What a
resource's page shows is built by :mod:`mandategraph.api.resource_views`; pages are
rendered by :func:`mandategraph.api.responses.render` (autoescaped templates) and load
nothing from outside this server.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from rdflib import URIRef

from mandategraph.api.codes import check_codes, check_parameters
from mandategraph.api.records import (
    ActivityFilters,
    list_activities,
    list_actors,
    list_documents,
    list_resolutions,
    list_states,
)
from mandategraph.api.resource_views import (
    PAGE_BUILDERS,
    fact_rows,
    kind_of,
    linked_from,
    passages,
)
from mandategraph.api.resources import (
    ID_BASE,
    MAX_LIMIT,
    MAX_OFFSET,
    ROLE_PATH,
    Reader,
    SpanInfo,
    local_name,
    page_path,
    reader_for,
)
from mandategraph.api.responses import HTML, STATIC_DIR, has_route, negotiate, render
from mandategraph.errors import BadParameterError, NotFoundError
from mandategraph.graph.sparql.formats import GRAPH_FORMATS
from mandategraph.ontology.namespaces import PREFIXES
from mandategraph.queries.catalog import load_catalog

#: RDF media types an ``/id/`` page answers, by ``?format=`` name.
RDF_MEDIA = {name: media for name, (_fmt, media) in GRAPH_FORMATS.items()}


# -- the query string ------------------------------------------------------------------------


def url_with(request: Request, **changes: object) -> str:
    """This page's URL with some query parameters changed (``None`` removes one)."""
    params = {k: v for k, v in request.query_params.items() if v != ""}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


@dataclass
class Pager:
    """Where a list page is, and the links to its neighbours."""

    total: int
    limit: int
    offset: int
    previous: str | None = None
    next: str | None = None

    @property
    def first(self) -> int:
        """1-based position of the first item shown."""
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        """1-based position of the last item shown."""
        return min(self.offset + self.limit, self.total)


def pager(request: Request, total: int, limit: int, offset: int) -> Pager:
    """A :class:`Pager` with links that keep the current filters."""
    found = Pager(total=total, limit=limit, offset=offset)
    if offset > 0:
        found.previous = url_with(request, offset=max(offset - limit, 0) or None)
    if offset + limit < total:
        found.next = url_with(request, offset=offset + limit)
    return found


def query_text(request: Request, name: str) -> str | None:
    """A text filter from the query string (empty means absent)."""
    value = request.query_params.get(name, "").strip()
    return value or None


def query_int(request: Request, name: str, *, low: int, high: int,
              default: int | None = None) -> int | None:
    """An integer from the query string, from ``low`` to ``high``.

    Raises:
        BadParameterError: not a whole number, or out of range (the message names both).
    """
    value = query_text(request, name)
    if value is None:
        return default
    if not re.fullmatch(r"-?\d{1,20}", value) or not low <= int(value) <= high:
        raise BadParameterError(
            f"{name} must be a whole number between {low} and {high}, got {value!r}"
        )
    return int(value)


def query_bool(request: Request, name: str) -> bool | None:
    """A yes/no filter from the query string.

    Raises:
        BadParameterError: neither true nor false.
    """
    value = query_text(request, name)
    if value is None:
        return None
    if value.lower() in {"true", "1", "yes"}:
        return True
    if value.lower() in {"false", "0", "no"}:
        return False
    raise BadParameterError(f"{name} must be true or false, got {value!r}")


def paging(request: Request) -> tuple[int, int]:
    """``limit`` (1-500, default 50) and ``offset`` (0-10000000) from the query string."""
    limit = query_int(request, "limit", default=50, low=1, high=MAX_LIMIT)
    offset = query_int(request, "offset", default=0, low=0, high=MAX_OFFSET)
    return limit or 50, offset or 0


# -- routes: home and lists --------------------------------------------------------------

router = APIRouter(include_in_schema=False)

FIGURES_QUERY = """
SELECT * WHERE {
  { SELECT (COUNT(DISTINCT ?d) AS ?ingested) WHERE { ?d a mg:Document ; mg:language ?l } }
  { SELECT (COUNT(DISTINCT ?s) AS ?beneficiaries) WHERE { ?a mg:beneficiary ?s } }
  { SELECT (COUNT(DISTINCT ?p) AS ?implemented) WHERE { ?a mg:implements/mg:withinParagraph ?p } }
  { SELECT (COUNT(DISTINCT ?x) AS ?members) WHERE { ?x a mg:MemberState } }
}
"""

THEMES_QUERY = """
SELECT ?theme (COUNT(DISTINCT ?a) AS ?n) WHERE {
  ?theme a mg:Theme .
  OPTIONAL { ?a mg:theme ?theme }
} GROUP BY ?theme
"""


def themes(reader: Reader) -> list[dict[str, Any]]:
    """The themes with their keys, names and activity counts, most active first."""
    rows = reader.select(THEMES_QUERY)
    found = [
        {"key": reader.code(r["theme"]) or local_name(r["theme"].value),
         "label": reader.label(r["theme"]), "href": page_path(r["theme"].value),
         "activities": int(r["n"].value)}
        for r in rows
    ]
    return sorted(found, key=lambda t: (-t["activities"], t["label"]))


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """The home page: the graph's figures and the ways in."""
    reader = reader_for(request)
    stats = request.app.state.store.stats()
    rows = reader.select(FIGURES_QUERY)
    extra = {k: int(v.value) for k, v in rows[0].items() if v is not None} if rows else {}
    figures = [
        ("resolutions", stats.get("resolutions", 0), "/resolutions"),
        ("mandates", stats.get("mandates", 0), "/mandates"),
        ("activities", stats.get("activities", 0), "/activities"),
        ("actors", stats.get("organizations", 0), "/actors"),
        ("states served", extra.get("beneficiaries", 0), "/states?has_activity=true"),
        ("documents", extra.get("ingested", 0), "/documents"),
    ]
    return render(request, "home.html", {
        "title": "mandategraph",
        "figures": figures,
        "stats": stats,
        "extra": extra,
        "themes": themes(reader),
        "queries": list(load_catalog().values()),
        "has_graph": has_route(request.app, "/graph"),
        "has_charts": has_route(request.app, "/charts"),
    })


def _options(reader: Reader, query: str, *, key: str = "x") -> list[dict[str, str]]:
    rows = reader.select(query)
    found = []
    for row in rows:
        term = row[key]
        if isinstance(term, ox.NamedNode):
            found.append({"value": reader.code(term) or local_name(term.value),
                          "label": reader.label(term)})
        elif term is not None:
            found.append({"value": term.value, "label": term.value})
    return sorted(found, key=lambda o: o["label"].lower())


#: The query parameters of the activity list page.
ACTIVITY_PARAMETERS = ("theme", "year", "state", "actor", "status", "mandate", "document",
                       "limit", "offset")


@router.get("/activities", response_class=HTMLResponse)
def activities_page(request: Request) -> HTMLResponse:
    """Reported activities, filtered by theme, year, state, actor, status or mandate."""
    reader = reader_for(request)
    limit, offset = paging(request)
    filters = ActivityFilters(
        theme=query_text(request, "theme"),
        year=query_int(request, "year", low=1900, high=2200),
        state=query_text(request, "state"),
        actor=query_text(request, "actor"),
        status=query_text(request, "status"),
        mandate=query_text(request, "mandate"),
        document=query_text(request, "document"),
    )
    check_parameters(request.query_params.keys(), ACTIVITY_PARAMETERS)
    check_codes(request.app.state.store,
                {"theme": filters.theme, "state": filters.state, "actor": filters.actor})
    found = list_activities(reader, filters, limit=limit, offset=offset)
    years = sorted({r["x"].value for r in reader.select(
        "SELECT DISTINCT ?x WHERE { ?a a mg:Activity ; mg:year ?x }")}, reverse=True)
    options = {
        "theme": [{"value": t["key"], "label": t["label"]} for t in themes(reader)
                  if t["activities"]],
        "year": [{"value": y, "label": y} for y in years],
        "state": _options(reader, "SELECT DISTINCT ?x WHERE { ?a mg:beneficiary ?x }"),
        "actor": _options(reader, f"SELECT DISTINCT ?x WHERE {{ ?a {ROLE_PATH} ?x }}"),
        "status": [{"value": s, "label": s} for s in ("planned", "ongoing", "completed")],
    }
    return render(request, "activities.html", {
        "title": "Activities",
        "page": found,
        "pager": pager(request, found.total, limit, offset),
        "filters": filters,
        "options": options,
        "api": "/api/activities" + (("?" + request.url.query) if request.url.query else ""),
    })


@router.get("/resolutions", response_class=HTMLResponse)
def resolutions_page(request: Request) -> HTMLResponse:
    """General Assembly resolutions known to the graph."""
    check_parameters(request.query_params.keys(), ("limit", "offset"))
    reader = reader_for(request)
    limit, offset = paging(request)
    found = list_resolutions(reader, limit=limit, offset=offset)
    return render(request, "resolutions.html", {
        "title": "Resolutions", "page": found,
        "pager": pager(request, found.total, limit, offset),
    })


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request) -> HTMLResponse:
    """Organizations: OAS bodies and partners, most active first."""
    check_parameters(request.query_params.keys(), ("kind", "has_activity", "limit", "offset"))
    reader = reader_for(request)
    limit, offset = paging(request)
    kind = query_text(request, "kind")
    has_activity = query_bool(request, "has_activity")
    found = list_actors(reader, kind=kind, has_activity=has_activity, limit=limit, offset=offset)
    return render(request, "actors.html", {
        "title": "Actors", "page": found, "kind": kind, "has_activity": has_activity,
        "pager": pager(request, found.total, limit, offset),
    })


@router.get("/states", response_class=HTMLResponse)
def states_page(request: Request) -> HTMLResponse:
    """Member states and beneficiary states, with the activities serving each."""
    check_parameters(request.query_params.keys(), ("member", "has_activity", "limit", "offset"))
    reader = reader_for(request)
    limit, offset = paging(request)
    member = query_bool(request, "member")
    has_activity = query_bool(request, "has_activity")
    found = list_states(reader, member=member, has_activity=has_activity,
                        limit=limit, offset=offset)
    return render(request, "states.html", {
        "title": "States", "page": found, "member": member, "has_activity": has_activity,
        "pager": pager(request, found.total, limit, offset),
    })


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request) -> HTMLResponse:
    """The documents the graph was read from."""
    check_parameters(request.query_params.keys(), ("limit", "offset"))
    reader = reader_for(request)
    limit, offset = paging(request)
    found = list_documents(reader, limit=limit, offset=offset)
    return render(request, "documents.html", {
        "title": "Documents", "page": found,
        "pager": pager(request, found.total, limit, offset),
    })


# -- routes: one page per resource -------------------------------------------------------

DESCRIBE_QUERY = """
CONSTRUCT {
  ?s ?p ?o .
  ?o ?lp ?l .
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?sp ; rdf:object ?so ;
      prov:wasDerivedFrom ?span .
  ?span ?xp ?xo .
}
WHERE {
  { ?s ?p ?o }
  UNION
  { ?s ?p ?o . ?o ?lp ?l . VALUES ?lp { rdfs:label skos:prefLabel skos:notation } }
  UNION
  { ?st rdf:subject ?s ; rdf:predicate ?sp ; rdf:object ?so ; prov:wasDerivedFrom ?span .
    ?span ?xp ?xo }
  UNION
  { ?s prov:wasDerivedFrom ?span . ?span ?xp ?xo }
}
"""


def describe(request: Request, iri: str, fmt: str) -> Response:
    """The resource's own triples, labels of what it links to, and the provenance of its
    facts (statements and spans), serialized as ``fmt``."""
    results = request.app.state.store.query(DESCRIBE_QUERY, bindings={"s": URIRef(iri)})
    try:
        # the same triple may sit in several named graphs: write it once
        triples = list(dict.fromkeys(results))
    finally:
        del results  # lazy, and bound to this thread: dropped here, also on an error
    rdf_format, media = GRAPH_FORMATS[fmt]
    out = io.BytesIO()
    prefixes = PREFIXES if fmt == "ttl" else None
    ox.serialize(triples, out, format=rdf_format, prefixes=prefixes)
    return Response(out.getvalue(), media_type=media, headers={"Vary": "Accept"})



@router.get("/id/{path:path}")
def resource(request: Request, path: str) -> Response:
    """A resource of the graph: HTML for browsers, its RDF description for RDF clients."""
    iri = ID_BASE + path
    reader = reader_for(request)
    if not reader.exists(iri):
        raise NotFoundError(f"nothing is known about <{iri}>")
    fmt = query_text(request, "format")
    if fmt is not None and fmt != "html" and fmt not in RDF_MEDIA:
        known = ", ".join(["html", *RDF_MEDIA])
        raise BadParameterError(f"unknown format {fmt!r} (known: {known})")
    if fmt is None:
        media = negotiate(request, [HTML, *RDF_MEDIA.values()], HTML)
        fmt = "html" if media == HTML else next(k for k, v in RDF_MEDIA.items() if v == media)
    if fmt != "html":
        return describe(request, iri, fmt)
    kind = kind_of(reader, iri)
    if kind == "span":
        span = reader.span(ox.NamedNode(iri))
        if span is not None and span.link:
            return RedirectResponse(span.link, status_code=303)
    numbering: dict[SpanInfo, int] = {}
    context: dict[str, Any] = {
        "iri": iri,
        "kind": kind,
        "title": reader.label(iri),
        "kinds": [reader.label(t) for t in reader.kinds(iri)],
        "sources": passages(reader.spans_of(iri), numbering),
        "rdf_links": {name: f"{request.url.path}?format={name}" for name in RDF_MEDIA},
    }
    builder = PAGE_BUILDERS.get(kind)
    if builder is not None:
        context.update(builder(request, reader, iri))
    context["facts"] = fact_rows(reader, iri, numbering)
    if kind == "resource":
        context["linked_from"] = linked_from(reader, iri)
    response = render(request, f"{kind if kind in PAGE_BUILDERS else 'resource'}.html", context)
    response.headers["Vary"] = "Accept"
    return response



# -- wiring ------------------------------------------------------------------------------


def setup(app: FastAPI) -> None:
    """Add the pages and the static files."""
    app.include_router(router)
    if not any(getattr(r, "name", None) == "static" for r in app.router.routes):
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
