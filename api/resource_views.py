"""What a resource's page shows: its facts with their numbered quotes, and, by kind of
resource (activity, mandate, resolution, actor, state, theme, document, section), the
context its template draws (:data:`PAGE_BUILDERS`).

Each fact on a page shows the quote it was read from, with a link to the passage
highlighted in the document's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import Request
from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from mandategraph.api.document_text import document_text, locate
from mandategraph.api.records import (
    activities_by_role,
    activity_document,
    document_activities,
    iso_codes,
    list_paragraphs,
    partners_of,
    wikidata_of,
)
from mandategraph.api.resources import (
    ID_BASE,
    Reader,
    SpanInfo,
    activity_id,
    natural_key,
    page_path,
)
from mandategraph.ontology.namespaces import MG
from mandategraph.ontology.registry import WIKIDATA_PAGE
from mandategraph.ontology.roles import actor_roles

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
        *(role.predicate for role in actor_roles()),
        MG.beneficiary, MG.heldIn, MG.participantCount, MG.activityCount, MG.ledBy,
        MG.implements, MG.refersToInstrument, MG.reportedIn,
        MG.paragraphOf, MG.paragraphNumber, MG.subParagraphOf, MG.addressee, MG.text,
        SKOS.notation, MG.isoAlpha2, MG.isoNumeric, SKOS.exactMatch,
        SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, MG.language,
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
        **_registry_status(reader, iri),
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


def _registry_status(reader: Reader, iri: str) -> dict[str, Any]:
    """The mandate's status (``mandate-status``, run for its resolution) and the
    reviewer's note on it, shown side by side."""
    from mandategraph.graph.reviews import READ_QUERY
    from mandategraph.queries.catalog import get_query

    resolution = reader.first(iri, MG.paragraphOf)
    symbol = reader.code(resolution) if resolution is not None else None
    rows = reader.select(get_query("mandate-status").sparql(
        {"resolution": symbol} if symbol else {}))
    mine = next((r for r in rows if r["mandate"].value == iri), None)
    notes = reader.select(READ_QUERY, {"mandate": URIRef(iri)})
    return {
        "status": mine["status"].value if mine is not None else None,
        "status_rule": mine["rule"].value if mine is not None and mine["rule"] else None,
        "review": {"decision": notes[0]["decision"].value, "reason": notes[0]["reason"].value,
                   "when": notes[0]["when"].value if notes[0]["when"] is not None else None}
        if notes else None,
    }


def resolution_context(request: Request, reader: Reader, iri: str) -> dict[str, Any]:
    """A resolution: its paragraphs with their activity counts."""
    paragraphs = list_paragraphs(reader, resolution=iri.rsplit("/", 1)[-1], limit=500)
    return {
        "symbol": reader.code(iri),
        "issued": reader.text(iri, DCTERMS.issued),
        "paragraphs": paragraphs.items,
        "recalled_by": [show(reader, d) for d in reader.subjects(MG.recalls, iri)],
        "lineage": _lineage(reader, iri),
    }


LINEAGE_QUERY = """
SELECT ?r (SAMPLE(?s) AS ?symbol) (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?issued)
       (MIN(?depth) AS ?hops) WHERE {
  { ?start mg:recalls ?r . BIND(1 AS ?depth) }
  UNION { ?start mg:recalls/mg:recalls+ ?r . BIND(2 AS ?depth) }
  ?r skos:notation ?s .
  OPTIONAL { ?r dcterms:title ?t }
  OPTIONAL { ?r dcterms:issued ?d }
} GROUP BY ?r
"""


def _lineage(reader: Reader, iri: str) -> list[dict[str, Any]]:
    """The resolutions ``iri`` recalls, directly or through the ones it recalls, oldest
    first: the chain of its series (from the reference data and the preambles read)."""
    rows = reader.select(LINEAGE_QUERY, {"start": URIRef(iri)})
    chain = [
        {"resolution": show(reader, row["r"]),
         "symbol": row["symbol"].value if row["symbol"] is not None else "",
         "title": row["title"].value if row["title"] is not None else "",
         "issued": row["issued"].value if row["issued"] is not None else "",
         "direct": row["hops"] is not None and row["hops"].value == "1"}
        for row in rows
    ]
    return sorted(chain, key=lambda r: (r["issued"][:4], r["symbol"]))


def identifiers(reader: Reader, iri: str) -> dict[str, Any]:
    """The identifiers others use: the Wikidata item, linked to its page, and (states)
    the ISO 3166-1 codes."""
    qid = wikidata_of(reader, iri)
    return {
        "wikidata": Value(qid, href=WIKIDATA_PAGE + qid, external=True) if qid else None,
        "iso": iso_codes(reader, iri),
    }


def actor_context(request: Request, reader: Reader, iri: str) -> dict[str, Any]:
    """An organization: its activities by role, and who it works with."""
    code = reader.code(iri)
    return {
        **identifiers(reader, iri),
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
        **identifiers(reader, iri),
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
    settings = request.app.state.settings
    text = document_text(reader, iri, Path(settings.corpus),
                         max_bytes=settings.max_document_bytes)
    highlight = None
    asked = re.fullmatch(r"(\d{1,9})-(\d{1,9})", request.query_params.get("highlight", "").strip())
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


