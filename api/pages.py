"""The researchers' web pages: home, lists, one page per resource, the SPARQL editor.

Every IRI of ours (``https://w3id.org/mandategraph/id/...``) is served at its own path
under ``/id/``: a browser gets HTML, an RDF client (Turtle, N-Triples, JSON-LD,
RDF/XML, by ``Accept`` or ``?format=``) gets the resource's description. Each fact on a
page shows the quote it was read from, with a link to the passage highlighted in the
document's text.

Templates are Jinja2 with autoescaping on: text from the graph or the request never
reaches a page unescaped. Pages load nothing from outside this server (YASGUI and
Swagger UI come from ``/static/vendor/``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from starlette.routing import Match

from mandategraph.api.rest import (
    ID_BASE,
    MAX_LIMIT,
    MAX_OFFSET,
    ActivityFilters,
    Reader,
    SpanInfo,
    activities_by_role,
    activity_document,
    activity_id,
    document_activities,
    list_activities,
    list_actors,
    list_documents,
    list_paragraphs,
    list_resolutions,
    list_states,
    local_name,
    natural_key,
    page_path,
    partners_of,
)
from mandategraph.api.settings import PROJECT_ROOT
from mandategraph.errors import BadParameterError, MandategraphError, NotFoundError
from mandategraph.graph.results import GRAPH_FORMATS
from mandategraph.ontology.namespaces import MG, PREFIXES, slugify

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"], default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["page"] = lambda iri: page_path(str(iri)) or str(iri)

#: RDF media types an ``/id/`` page answers, by ``?format=`` name.
RDF_MEDIA = {name: media for name, (_fmt, media) in GRAPH_FORMATS.items()}
HTML = "text/html"


# -- rendering and negotiation ---------------------------------------------------------


def _accept_ranges(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        fields = part.strip().split(";")
        media = fields[0].strip().lower()
        if not media:
            continue
        quality = 1.0
        for extra in fields[1:]:
            key, _, value = extra.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality))
    return ranges


def _quality(media: str, ranges: Sequence[tuple[str, float]]) -> float:
    kind = media.split("/")[0]
    best, quality = -1, 0.0
    for accepted, q in ranges:
        if accepted == media:
            rank = 2
        elif accepted == f"{kind}/*":
            rank = 1
        elif accepted == "*/*":
            rank = 0
        else:
            continue
        if rank > best:
            best, quality = rank, q
    return quality


def negotiate(request: Request, offered: Sequence[str], default: str) -> str:
    """The offered media type the client's ``Accept`` prefers (ties: the first offered)."""
    header = request.headers.get("accept")
    if not header:
        return default
    ranges = _accept_ranges(header)
    chosen, chosen_q = None, 0.0
    for media in offered:
        q = _quality(media, ranges)
        if q > chosen_q:
            chosen, chosen_q = media, q
    return chosen or default


def wants_html(request: Request) -> bool:
    """Whether the client prefers HTML to JSON (a browser, not a script)."""
    return negotiate(request, ["application/json", HTML], "application/json") == HTML


def nav_links(request: Request) -> list[tuple[str, str]]:
    """The site's menu; the partnership graph only when another module serves it."""
    links = [
        ("/sparql", "SPARQL"),
        ("/queries", "Queries"),
        ("/activities", "Activities"),
        ("/mandates", "Mandates"),
        ("/actors", "Actors"),
        ("/states", "States"),
        ("/documents", "Documents"),
    ]
    if has_route(request.app, "/graph"):
        links.append(("/graph", "Partnerships"))
    links.append(("/docs", "JSON API"))
    return links


def has_route(app: FastAPI, path: str) -> bool:
    """Whether the app serves ``path`` (so a page links only to what exists)."""
    # included routers are not flattened into app.routes: ask each route to match
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "",
             "path_params": {}, "headers": [], "query_string": b""}
    return any(route.matches(scope)[0] == Match.FULL for route in app.router.routes)


def render(
    request: Request, template: str, context: Mapping[str, Any], *, status: int = 200
) -> HTMLResponse:
    """Render a template of ``api/templates`` with the site's common context."""
    page = env.get_template(template).render(
        request=request, nav=nav_links(request), path=request.url.path, **context
    )
    return HTMLResponse(page, status_code=status)


def error_response(request: Request, exc: MandategraphError) -> Response:
    """The error as the JSON body ``{"error", "detail", "status"}``, or a page for browsers."""
    if wants_html(request):
        return render(request, "error.html", {"title": exc.title, "error": exc.to_dict()},
                      status=exc.http_status)
    return JSONResponse(exc.to_dict(), status_code=exc.http_status)


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


# -- values on pages ---------------------------------------------------------------------


@dataclass
class Value:
    """A value as a page shows it: text, a link when it is a resource, a language."""

    text: str
    href: str | None = None
    language: str | None = None
    external: bool = False


def show(reader: Reader, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Value:
    """How a page shows one RDF term."""
    if isinstance(term, ox.Literal):
        return Value(term.value, language=term.language)
    if isinstance(term, ox.BlankNode):
        return Value(reader.label(term))
    local = page_path(term.value)
    return Value(reader.label(term), href=local or term.value, external=local is None)


@dataclass
class Passage:
    """A quoted span on a page, numbered in order of first appearance."""

    number: int
    span: SpanInfo
    first: bool


@dataclass
class FactRow:
    """One row of a resource's facts: property, value, and the passages it came from."""

    property: str
    property_iri: str
    value: Value
    passages: list[Passage] = field(default_factory=list)


#: Display order of properties on resource pages; the others follow by name.
PROPERTY_ORDER = [
    str(p) for p in (
        RDF.type, MG.theme, MG.year, MG.startDate, MG.endDate, MG.status,
        MG.conductedBy, MG.inPartnershipWith, MG.fundedBy, MG.requestedBy,
        MG.beneficiary, MG.heldIn, MG.participantCount, MG.activityCount, MG.ledBy,
        MG.implements, MG.refersToInstrument, MG.reportedIn,
        MG.paragraphOf, MG.paragraphNumber, MG.subParagraphOf, MG.addressee, MG.text,
        SKOS.notation, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, MG.language,
        MG.cites, MG.recalls, MG.inDocument, MG.sectionNumber,
        MG.subOrganizationOf, MG.memberOf,
    )
]
#: Shown elsewhere on the page (the title, the source box).
HIDDEN_PROPERTIES = {str(RDFS.label), str(PROV.wasDerivedFrom)}


def fact_rows(reader: Reader, iri: str, numbering: dict[SpanInfo, int]) -> list[FactRow]:
    """The facts of a resource in display order, each with its numbered passages.

    ``numbering`` is shared by the whole page, so a passage quoted once is referred to
    by its number afterwards; numbers follow the order of the page.
    """
    sources = reader.fact_sources(iri)
    found: list[tuple[FactRow, list[SpanInfo]]] = []
    for predicate, obj in reader.outgoing(iri):
        if predicate.value in HIDDEN_PROPERTIES:
            continue
        if predicate.value == str(RDF.type) and not obj.value.startswith(str(MG)):
            continue  # owl:NamedIndividual, prov:Activity...: the mg: class says it better
        row = FactRow(reader.label(predicate), predicate.value, show(reader, obj))
        found.append((row, sources.get((predicate.value, obj), [])))

    def order(item: tuple[FactRow, list[SpanInfo]]) -> tuple[int, str, str]:
        row = item[0]
        try:
            rank = PROPERTY_ORDER.index(row.property_iri)
        except ValueError:
            rank = len(PROPERTY_ORDER)
        return (rank, row.property, row.value.text)

    rows = []
    for row, spans in sorted(found, key=order):
        row.passages = passages(spans, numbering)
        rows.append(row)
    return rows


def passages(spans: Iterable[SpanInfo], numbering: dict[SpanInfo, int]) -> list[Passage]:
    """Number spans shown outside the fact table (a resource's own sources)."""
    found = []
    for span in spans:
        first = span not in numbering
        if first:
            numbering[span] = len(numbering) + 1
        found.append(Passage(numbering[span], span, first))
    return found


# -- document text -----------------------------------------------------------------------

#: Predicates that may carry a document's whole text, or the file it was read from.
TEXT_PREDICATES = (MG.fullText, MG.content, PROV.value)
SOURCE_PREDICATES = (MG.sourceFile, DCTERMS.source, PROV.atLocation)
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
DOCUMENT_SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx")


def _slug_candidates(path: Path) -> list[str]:
    found = []
    try:
        # the reader's rule: the sidecar's slug, else the slug of the file's stem
        from mandategraph.graph.extraction.readers import read_sidecar

        declared = read_sidecar(path).get("slug")
        if isinstance(declared, str) and declared:
            found.append(declared)
    except Exception:  # noqa: BLE001 - no reader or a broken sidecar: guess from the name
        pass
    stem = path.stem
    found += [slugify(stem), stem]
    base, _, language = stem.rpartition(".")
    if base and len(language) == 2:
        found.append(slugify(base))
    return found


@lru_cache(maxsize=8)
def _corpus_index(directory: str, _stamp: float) -> dict[str, Path]:
    index: dict[str, Path] = {}
    folder = Path(directory)
    if not folder.is_dir():
        return index
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES:
            for slug in _slug_candidates(path):
                index.setdefault(slug, path)
    return index


@lru_cache(maxsize=32)
def _read_text(path: str, _stamp: float) -> str | None:
    try:
        # the reader the extraction used: offsets count characters of its text
        from mandategraph.graph.extraction.readers import read_document

        text = getattr(read_document(Path(path)), "text", None)
        if isinstance(text, str):
            return text
    except Exception:  # noqa: BLE001 - no reader, or it refused: read plain text below
        pass
    if Path(path).suffix.lower() in TEXT_SUFFIXES:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    return None


def _inside(path: Path, folders: Iterable[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(f.resolve()) for f in folders)


def document_text(reader: Reader, iri: str, corpus: Path) -> str | None:
    """The text of a document: from the graph if it holds it, else from its file.

    The file is the one the document node names (``mg:sourceFile``, ``dcterms:source``),
    if it lies inside the corpus folder or the project, else the corpus file whose name
    gives the document's slug.
    """
    for predicate in TEXT_PREDICATES:
        value = reader.first(iri, predicate)
        if isinstance(value, ox.Literal) and value.value:
            return value.value
    folders = [corpus, PROJECT_ROOT]
    for predicate in SOURCE_PREDICATES:
        value = reader.first(iri, predicate)
        if value is None or isinstance(value, ox.BlankNode):
            continue
        name = value.value.removeprefix("file://")
        for base in folders:
            path = Path(name) if Path(name).is_absolute() else base / name
            # a path from the graph is only followed inside the corpus or the project
            if path.is_file() and _inside(path, folders):
                return _read_text(str(path), path.stat().st_mtime)
    slug = iri.rsplit("/", 1)[-1]
    stamp = corpus.stat().st_mtime if corpus.is_dir() else 0.0
    path = _corpus_index(str(corpus), stamp).get(slug)
    if path is not None and path.is_file():
        return _read_text(str(path), path.stat().st_mtime)
    return None


def locate(text: str, start: int, end: int, quote: str | None) -> tuple[int, int] | None:
    """Where a span lies in ``text``: its offsets, or the quote's nearest occurrence.

    The offsets win when they hold the quote; when they do not (the text was read with
    another normalization), the occurrence of the quote closest to them is taken.
    """
    inside = 0 <= start < end <= len(text)
    if quote is None or (inside and text[start:end] == quote):
        return (start, end) if inside else None
    hits = [m.start() for m in re.finditer(re.escape(quote), text)]
    if hits:
        best = min(hits, key=lambda h: abs(h - start))
        return best, best + len(quote)
    return (start, end) if inside else None


# -- routes: home and lists --------------------------------------------------------------

router = APIRouter(include_in_schema=False)

FIGURES_QUERY = """
SELECT * WHERE {
  { SELECT (COUNT(DISTINCT ?d) AS ?ingested) WHERE { ?d a mg:Document ; mg:language ?l } }
  { SELECT (COUNT(DISTINCT ?s) AS ?beneficiaries) WHERE { ?a mg:beneficiary ?s } }
  { SELECT (COUNT(DISTINCT ?p) AS ?implemented) WHERE { ?a mg:implements ?p } }
  { SELECT (COUNT(DISTINCT ?x) AS ?members) WHERE { ?x a mg:MemberState } }
}
"""

THEMES_QUERY = """
SELECT ?theme (COUNT(DISTINCT ?a) AS ?n) WHERE {
  ?theme a mg:Theme .
  OPTIONAL { ?a mg:theme ?theme }
} GROUP BY ?theme
"""


def reader_for(request: Request) -> Reader:
    """A :class:`Reader` on the app's store."""
    return Reader(request.app.state.store)


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
    from mandategraph.queries.catalog import load_catalog

    return render(request, "home.html", {
        "title": "mandategraph",
        "figures": figures,
        "stats": stats,
        "extra": extra,
        "themes": themes(reader),
        "queries": list(load_catalog().values()),
        "has_graph": has_route(request.app, "/graph"),
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
    found = list_activities(reader, filters, limit=limit, offset=offset)
    years = sorted({r["x"].value for r in reader.select(
        "SELECT DISTINCT ?x WHERE { ?a a mg:Activity ; mg:year ?x }")}, reverse=True)
    options = {
        "theme": [{"value": t["key"], "label": t["label"]} for t in themes(reader)
                  if t["activities"]],
        "year": [{"value": y, "label": y} for y in years],
        "state": _options(reader, "SELECT DISTINCT ?x WHERE { ?a mg:beneficiary ?x }"),
        "actor": _options(reader, "SELECT DISTINCT ?x WHERE { "
                          "?a mg:conductedBy|mg:inPartnershipWith|mg:fundedBy|mg:requestedBy ?x }"),
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


@router.get("/mandates", response_class=HTMLResponse)
def mandates_page(request: Request) -> HTMLResponse:
    """Operative paragraphs (mandates), with the activities implementing each."""
    reader = reader_for(request)
    limit, offset = paging(request)
    resolution = query_text(request, "resolution")
    has_activity = query_bool(request, "has_activity")
    found = list_paragraphs(reader, resolution=resolution, has_activity=has_activity,
                            limit=limit, offset=offset)
    resolutions = list_resolutions(reader, limit=500).items
    return render(request, "mandates.html", {
        "title": "Mandates",
        "page": found,
        "pager": pager(request, found.total, limit, offset),
        "resolution": resolution,
        "has_activity": has_activity,
        "resolutions": resolutions,
    })


@router.get("/resolutions", response_class=HTMLResponse)
def resolutions_page(request: Request) -> HTMLResponse:
    """General Assembly resolutions known to the graph."""
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
    # the same triple may sit in several named graphs: write it once
    triples = list(dict.fromkeys(results))
    rdf_format, media = GRAPH_FORMATS[fmt]
    out = io.BytesIO()
    prefixes = PREFIXES if fmt == "ttl" else None
    ox.serialize(triples, out, format=rdf_format, prefixes=prefixes)
    return Response(out.getvalue(), media_type=media, headers={"Vary": "Accept"})


KIND_CLASSES = [
    ("activity", MG.Activity),
    ("mandate", MG.OperativeParagraph),
    ("resolution", MG.Resolution),
    ("document", MG.Document),
    ("section", MG.Section),
    ("span", MG.TextSpan),
    ("actor", MG.Organization),
    ("state", MG.State),
    ("theme", MG.Theme),
]


def kind_of(reader: Reader, iri: str) -> str:
    """What kind of page a resource gets."""
    for kind, cls in KIND_CLASSES:
        if reader.is_a(iri, cls):
            return kind
    # before the reasoner has run, an activity may only carry its specific class
    if re.search(r"/document/[^/]+/activity/", iri):
        return "activity"
    return "resource"


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


def linked_from(reader: Reader, iri: str, *, limit: int = 200) -> list[tuple[str, Value]]:
    """Resources pointing at ``iri`` (not through provenance statements)."""
    found: list[tuple[str, Value]] = []
    skip = {str(RDF.subject), str(RDF.object), str(PROV.wasDerivedFrom)}
    seen = set()
    for quad in reader.store.oxigraph.quads_for_pattern(None, None, ox.NamedNode(iri), None):
        key = (quad.subject, quad.predicate)
        if quad.predicate.value in skip or key in seen:
            continue
        seen.add(key)
        found.append((reader.label(quad.predicate), show(reader, quad.subject)))
        if len(found) >= limit:
            break
    return sorted(found, key=lambda pv: (pv[0], pv[1].text))


def activity_context(request: Request, reader: Reader, iri: str) -> dict[str, Any]:
    """An activity: where it is reported; its facts carry their quotes."""
    document = activity_document(reader, iri)
    sections = [show(reader, s) for s in reader.objects(iri, MG.reportedIn)]
    return {
        "document": show(reader, document) if document is not None else None,
        "sections": sections,
        "api": f"/api/activities/{activity_id(iri)}",
    }


def mandate_context(request: Request, reader: Reader, iri: str) -> dict[str, Any]:
    """A mandate: its words, its resolution, and the activities implementing it."""
    rows = reader.select(
        "SELECT DISTINCT ?a ?via WHERE {\n"
        "  { ?a mg:implements ?m . BIND(?m AS ?via) }\n"
        "  UNION { ?a mg:implements ?via . ?via mg:subParagraphOf+ ?m }\n}",
        {"m": URIRef(iri)},
    )
    activities = []
    for row in rows:
        activity = row["a"].value
        activities.append({
            "activity": show(reader, row["a"]),
            "via": show(reader, row["via"]) if row["via"].value != iri else None,
            "themes": [show(reader, t) for t in reader.objects(activity, MG.theme)],
            "years": sorted(t.value for t in reader.objects(activity, MG.year)),
            "states": [show(reader, s) for s in reader.objects(activity, MG.beneficiary)],
        })
    activities.sort(key=lambda a: a["activity"].href or "")
    resolution = reader.first(iri, MG.paragraphOf)
    citing = reader.subjects(MG.cites, iri)
    return {
        "text": reader.text(iri, MG.text),
        "number": reader.text(iri, MG.paragraphNumber),
        "resolution": show(reader, resolution) if resolution is not None else None,
        "parents": [show(reader, p) for p in reader.objects(iri, MG.subParagraphOf)],
        "children": sorted((show(reader, c) for c in reader.subjects(MG.subParagraphOf, iri)),
                           key=lambda v: v.text),
        "activities": activities,
        "cited_by": [show(reader, c) for c in citing],
        "list_link": f"/activities?{urlencode({'mandate': iri[len(ID_BASE + 'resolution/'):]})}",
    }


def resolution_context(request: Request, reader: Reader, iri: str) -> dict[str, Any]:
    """A resolution: its paragraphs with their activity counts."""
    paragraphs = list_paragraphs(reader, resolution=iri.rsplit("/", 1)[-1], limit=500)
    return {
        "symbol": reader.code(iri),
        "paragraphs": paragraphs.items,
        "recalled_by": [show(reader, d) for d in reader.subjects(MG.recalls, iri)],
    }


def actor_context(request: Request, reader: Reader, iri: str) -> dict[str, Any]:
    """An organization: its activities by role, and who it works with."""
    code = reader.code(iri)
    return {
        "code": code,
        "roles": _roles(reader, iri),
        "partners": partners_of(reader, iri),
        "part_of": [show(reader, p) for p in reader.objects(iri, MG.subOrganizationOf)],
        "parts": [show(reader, p) for p in reader.subjects(MG.subOrganizationOf, iri)],
        "list_link": f"/activities?{urlencode({'actor': code})}" if code else None,
    }


def _roles(reader: Reader, iri: str) -> list[tuple[str, list[dict[str, Any]]]]:
    names = {"conducted": "Conducted", "partner": "Partner in", "funder": "Funded",
             "requester": "Requested"}
    found = []
    for role, activities in activities_by_role(reader, iri).items():
        found.append((names.get(role, role), [_activity_row(reader, r.iri) for r in activities]))
    return found


def _activity_row(reader: Reader, iri: str) -> dict[str, Any]:
    return {
        "activity": show(reader, ox.NamedNode(iri)),
        "themes": [show(reader, t) for t in reader.objects(iri, MG.theme)],
        "years": sorted(t.value for t in reader.objects(iri, MG.year)),
        "states": [show(reader, s) for s in reader.objects(iri, MG.beneficiary)],
    }


def state_context(request: Request, reader: Reader, iri: str) -> dict[str, Any]:
    """A state: the activities benefiting it by theme and year, and its government's roles."""
    code = reader.code(iri)
    by_theme: dict[str, dict[str, Any]] = {}
    benefiting = reader.subjects(MG.beneficiary, iri)
    for activity in benefiting:
        theme_terms = reader.objects(activity, MG.theme) or [None]
        for theme in theme_terms:
            key = theme.value if theme is not None else ""
            entry = by_theme.setdefault(key, {
                "theme": show(reader, theme) if theme is not None else Value("no theme"),
                "years": {},
            })
            years = [t.value for t in reader.objects(activity, MG.year)] or ["year unknown"]
            for year in years:
                entry["years"].setdefault(year, []).append(show(reader, activity))
    groups = []
    for entry in sorted(by_theme.values(), key=lambda e: e["theme"].text):
        years = sorted(entry["years"].items(), key=lambda kv: kv[0])
        groups.append({"theme": entry["theme"],
                       "years": [(y, sorted(a, key=lambda v: v.text)) for y, a in years]})
    return {
        "code": code,
        "member": reader.is_a(iri, MG.MemberState),
        "count": len(benefiting),
        "groups": groups,
        "roles": _roles(reader, iri),
        "held_in": sorted((show(reader, a) for a in reader.subjects(MG.heldIn, iri)),
                          key=lambda v: v.text),
        "list_link": f"/activities?{urlencode({'state': code})}" if code else None,
    }


def theme_context(request: Request, reader: Reader, iri: str) -> dict[str, Any]:
    """A theme: its activities by year, and the mandates about it."""
    key = reader.code(iri)
    activities = reader.subjects(MG.theme, iri)
    rows = [
        _activity_row(reader, a.value) for a in activities if reader.is_a(a, MG.Activity)
        or "/activity/" in a.value
    ]
    rows.sort(key=lambda r: (r["years"] or ["9999"], r["activity"].text))
    mandates = [show(reader, p) for p in activities if reader.is_a(p, MG.OperativeParagraph)]
    return {"code": key, "activities": rows, "mandates": mandates,
            "list_link": f"/activities?{urlencode({'theme': key})}" if key else None}


def document_context(request: Request, reader: Reader, iri: str) -> dict[str, Any]:
    """A document: its text (with the requested passage highlighted) and what it reports."""
    corpus = Path(request.app.state.settings.corpus)
    text = document_text(reader, iri, corpus)
    highlight = None
    asked = re.fullmatch(r"(\d{1,9})-(\d{1,9})", query_text(request, "highlight") or "")
    if asked:
        start, end = int(asked.group(1)), int(asked.group(2))
        span_iri = f"{iri}/span/{start}-{end}"
        quote = reader.text(span_iri, MG.quote) if reader.exists(span_iri) else None
        where = locate(text, start, end, quote) if text is not None else None
        highlight = {"start": start, "end": end, "quote": quote, "found": where is not None}
        if text is not None and where is not None:
            highlight["before"] = text[:where[0]]
            highlight["marked"] = text[where[0]:where[1]]
            highlight["after"] = text[where[1]:]
    cited = list(reader.objects(iri, MG.cites))
    sections = reader.subjects(MG.inDocument, iri)
    section_values = []
    for section in sections:
        if reader.is_a(section, MG.Section) or "/section/" in section.value:
            section_values.append(show(reader, section))
            cited += [c for c in reader.objects(section, MG.cites) if c not in cited]
    return {
        "text": text,
        "highlight": highlight,
        "activities": [_activity_row(reader, r.iri) for r in document_activities(reader, iri)],
        "cites": sorted((show(reader, c) for c in cited), key=lambda v: v.text),
        "recalls": [show(reader, r) for r in reader.objects(iri, MG.recalls)],
        "sections": sorted(section_values, key=lambda v: natural_key(v.href or "")),
        "language": reader.text(iri, MG.language),
        "slug": iri.rsplit("/", 1)[-1],
    }


def section_context(request: Request, reader: Reader, iri: str) -> dict[str, Any]:
    """A section: the activities reported in it."""
    activities = [_activity_row(reader, a.value) for a in reader.subjects(MG.reportedIn, iri)]
    document = reader.first(iri, MG.inDocument)
    return {"activities": sorted(activities, key=lambda r: r["activity"].href or ""),
            "document": show(reader, document) if document is not None else None}


PAGE_BUILDERS = {
    "activity": activity_context,
    "mandate": mandate_context,
    "resolution": resolution_context,
    "actor": actor_context,
    "state": state_context,
    "theme": theme_context,
    "document": document_context,
    "section": section_context,
}


# -- the SPARQL editor -------------------------------------------------------------------


def with_prefixes(text: str) -> str:
    """The query with ``PREFIX`` lines for the prefixes it uses but does not declare,
    after its header comments, so it runs on any SPARQL endpoint."""
    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", text)}
    needed = [
        f"PREFIX {prefix}: <{namespace}>"
        for prefix, namespace in PREFIXES.items()
        if prefix.lower() not in declared and re.search(rf"(?<![\w:<]){prefix}:", text)
    ]
    if not needed:
        return text
    lines = text.splitlines()
    at = 0
    while at < len(lines) and (lines[at].startswith("#") or not lines[at].strip()):
        at += 1
    return "\n".join([*lines[:at], *needed, *lines[at:]]) + "\n"


def editor_queries() -> list[dict[str, str]]:
    """The canned queries as the SPARQL editor offers them (defaults bound)."""
    from mandategraph.queries.catalog import load_catalog

    found = []
    for query in load_catalog().values():
        try:
            text = query.sparql()
        except MandategraphError:
            text = query.text
        found.append({"name": query.name, "summary": query.summary,
                      "sparql": with_prefixes(text)})
    return found


def sparql_page(request: Request) -> HTMLResponse:
    """YASGUI, from local assets, on this server's ``/sparql``, with the canned queries."""
    vendor = STATIC_DIR / "vendor" / "yasgui" / "yasgui.min.js"
    return render(request, "sparql.html", {
        "title": "SPARQL",
        "queries": editor_queries(),
        "assets": vendor.is_file(),
    })


@router.get("/sparql/editor", response_class=HTMLResponse)
def sparql_editor(request: Request) -> HTMLResponse:
    """The SPARQL editor (also what a browser gets at ``/sparql``)."""
    return sparql_page(request)


def api_reference(request: Request) -> HTMLResponse:
    """The JSON API's endpoints, drawn from the OpenAPI document (no scripts needed)."""
    schema = request.app.openapi()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append({
                "method": method.upper(), "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": operation.get("parameters", []),
            })
    return render(request, "api_reference.html", {"title": "JSON API", "operations": operations})


# -- wiring ------------------------------------------------------------------------------


def setup(app: FastAPI) -> None:
    """Add the pages, the static files, and the HTML side of ``/sparql`` and of errors."""
    app.include_router(router)
    if not any(getattr(r, "name", None) == "static" for r in app.router.routes):
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # the SPARQL router calls this on a GET without a query that asks for HTML
    app.state.sparql_html = sparql_page
