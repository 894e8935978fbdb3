"""The JSON API under ``/api/``, and the graph look-ups behind it that the pages share.

Resources: resolutions, paragraphs (mandates), activities, actors (organizations),
states and documents, each listed with filters and paging and described one by one.
Every response has a Pydantic model, so ``/openapi.json`` documents it and ``/docs``
(Swagger UI served from local assets, see :func:`setup`) lets a researcher try it.

Filters never reach the query text: the query is assembled from fixed fragments
chosen by which filters are present, and the values are bound through the store's
``VALUES`` binding (:meth:`mandategraph.graph.store.Store.execute`). Per-item details are read with
Oxigraph pattern look-ups (:class:`Reader`), which cost an index probe each.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Identifier

from mandategraph.api.openapi import errors
from mandategraph.errors import BadParameterError, NotFoundError
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import (
    ID,
    MG,
    activity_iri,
    document_iri,
    org_iri,
    state_iri,
    status_iri,
    theme_iri,
)

ID_BASE = str(ID)
DOCUMENT_BASE = ID_BASE + "document/"
RESOLUTION_BASE = ID_BASE + "resolution/"
STATIC_DIR = Path(__file__).resolve().parent / "static"
SWAGGER_DIR = STATIC_DIR / "vendor" / "swagger-ui"

#: Paging bounds: a page holds at most MAX_LIMIT items, and starts at most MAX_OFFSET in.
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000
#: Years an activity filter takes.
MIN_YEAR, MAX_YEAR = 1, 9999

#: Roles an actor plays in an activity: predicate -> role name.
ROLES: dict[str, str] = {
    str(MG.conductedBy): "conducted",
    str(MG.inPartnershipWith): "partner",
    str(MG.fundedBy): "funder",
    str(MG.requestedBy): "requester",
}
ROLE_PATH = "mg:conductedBy|mg:inPartnershipWith|mg:fundedBy|mg:requestedBy"

#: Classes that say something about an activity's links, not what kind of thing it is.
_NOT_KINDS = {
    str(MG.Activity),
    str(MG.MandatedActivity),
    str(MG.JointActivity),
    str(MG.FundedActivity),
}

# The same patterns check values here and are published in the OpenAPI document, so what
# the document calls valid is what is accepted (full matches: no trailing newline).
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,199}$"
MANDATE_PATTERN = (
    rf"^(?:{re.escape(ID_BASE + 'resolution/')})?([a-z0-9][a-z0-9._-]{{0,199}})/([0-9A-Za-z.]+)$"
)
_CODE = re.compile(CODE_PATTERN)
_SLUG = re.compile(SLUG_PATTERN)
_MANDATE = re.compile(MANDATE_PATTERN)
Status = typing.Literal["planned", "ongoing", "completed"]
ActorKind = typing.Literal["oas-body", "partner"]
_STATUSES: tuple[str, ...] = typing.get_args(Status)


# -- reading the graph -----------------------------------------------------------------


@dataclass(frozen=True)
class SpanInfo:
    """A text span that a fact was read from."""

    iri: str | None
    document: str | None
    start: int | None
    end: int | None
    quote: str

    @property
    def slug(self) -> str | None:
        """The slug of the span's document, when it is one of ours."""
        if self.document and self.document.startswith(DOCUMENT_BASE):
            return self.document[len(DOCUMENT_BASE):]
        return None

    @property
    def link(self) -> str | None:
        """The document page with this passage highlighted."""
        if self.slug is None or self.start is None or self.end is None:
            return None
        return f"/id/document/{self.slug}?highlight={self.start}-{self.end}#span-{self.start}"


Term = ox.NamedNode | ox.BlankNode | ox.Literal


def node(iri: str | Identifier) -> ox.NamedNode:
    """An Oxigraph IRI node (``ValueError`` when the text is not an IRI)."""
    return ox.NamedNode(str(iri))


def page_path(iri: str) -> str | None:
    """The local page of an IRI of ours (``/id/...``), or ``None`` for others."""
    if iri.startswith(ID_BASE):
        return "/id/" + iri[len(ID_BASE):]
    return None


def local_name(iri: str) -> str:
    """The last segment of an IRI (after ``#`` or ``/``)."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


class Reader:
    """Look-ups on the store for one request, with labels cached.

    Pattern look-ups go straight to Oxigraph (all named graphs); the few questions that
    need joins or aggregates go through SPARQL with bound values (:meth:`select`).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._ox = store.oxigraph
        self._labels: dict[str, str] = {}
        self._ancestors: dict[str, set[str]] = {}

    # -- triples

    def objects(self, subject: str | Term, predicate: str | Identifier) -> list[Term]:
        """Distinct objects of ``subject predicate ?o`` across all graphs, in store order."""
        s = node(subject) if isinstance(subject, str) else subject
        found: list[Term] = []
        for quad in self._ox.quads_for_pattern(s, node(predicate), None, None):  # type: ignore[arg-type]
            if quad.object not in found:
                found.append(quad.object)
        return found

    def first(self, subject: str | Term, predicate: str | Identifier) -> Term | None:
        """One object of ``subject predicate ?o``, or ``None``."""
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def text(self, subject: str | Term, predicate: str | Identifier) -> str | None:
        """The lexical form of one object, or ``None``."""
        value = self.first(subject, predicate)
        return None if value is None else value.value

    def integer(self, subject: str | Term, predicate: str | Identifier) -> int | None:
        """One object as an integer, or ``None`` when absent or not a number."""
        value = self.text(subject, predicate)
        try:
            return None if value is None else int(value)
        except ValueError:
            return None

    def subjects(self, predicate: str | Identifier, obj: str | Term) -> list[Term]:
        """Distinct subjects of ``?s predicate obj``."""
        o = node(obj) if isinstance(obj, str) else obj
        found: list[Term] = []
        for quad in self._ox.quads_for_pattern(None, node(predicate), o, None):  # type: ignore[arg-type]
            if quad.subject not in found:
                found.append(quad.subject)
        return found

    def outgoing(self, subject: str | Term) -> list[tuple[ox.NamedNode, Term]]:
        """Distinct ``(predicate, object)`` pairs of a subject."""
        s = node(subject) if isinstance(subject, str) else subject
        found: list[tuple[ox.NamedNode, Term]] = []
        for quad in self._ox.quads_for_pattern(s, None, None, None):  # type: ignore[arg-type]
            pair = (quad.predicate, quad.object)
            if pair not in found:
                found.append(pair)
        return found

    def exists(self, iri: str) -> bool:
        """Whether the graph says anything about ``iri`` (as a subject)."""
        try:
            s = node(iri)
        except ValueError:
            return False
        return next(iter(self._ox.quads_for_pattern(s, None, None, None)), None) is not None

    # -- classes

    def types(self, iri: str | Term) -> list[str]:
        """The IRIs of the classes a node is stated (or inferred) to belong to."""
        return [t.value for t in self.objects(iri, RDF.type) if isinstance(t, ox.NamedNode)]

    def ancestors(self, cls: str) -> set[str]:
        """A class and all its superclasses, read from the ontology graph."""
        if cls not in self._ancestors:
            seen = {cls}
            todo = [cls]
            while todo:
                for parent in self.objects(todo.pop(), RDFS.subClassOf):
                    if isinstance(parent, ox.NamedNode) and parent.value not in seen:
                        seen.add(parent.value)
                        todo.append(parent.value)
            self._ancestors[cls] = seen
        return self._ancestors[cls]

    def is_a(self, iri: str | Term, cls: str | Identifier) -> bool:
        """Whether a node belongs to ``cls``, directly or through a subclass."""
        target = str(cls)
        return any(target in self.ancestors(t) for t in self.types(iri))

    def kinds(self, iri: str | Term) -> list[str]:
        """The specific classes of an activity (training, workshop...), as IRIs."""
        return [t for t in self.types(iri) if t.startswith(str(MG)) and t not in _NOT_KINDS]

    # -- names

    def label(self, term: str | Term | None) -> str:
        """A human name for a node: English label, then any label, code, or local name."""
        if term is None:
            return ""
        if isinstance(term, ox.Literal):
            return term.value
        if isinstance(term, ox.BlankNode):
            return "(unnamed node)"
        iri = term if isinstance(term, str) else term.value
        if iri not in self._labels:
            self._labels[iri] = self._find_label(iri)
        return self._labels[iri]

    def _find_label(self, iri: str) -> str:
        try:
            s = node(iri)
        except ValueError:
            return iri
        by_predicate: dict[str, list[ox.Literal]] = {}
        for quad in self._ox.quads_for_pattern(s, None, None, None):
            if isinstance(quad.object, ox.Literal):
                by_predicate.setdefault(quad.predicate.value, []).append(quad.object)

        def pick(predicate: Identifier, *, english: bool) -> str | None:
            for value in by_predicate.get(str(predicate), []):
                lang = value.language
                if not english or lang is None or lang.lower().startswith("en"):
                    return value.value
            return None

        section = pick(MG.sectionNumber, english=False)
        if section is not None:
            return f"section {section}"
        number = pick(MG.paragraphNumber, english=False)
        if number is not None:
            # a paragraph is known by its resolution's symbol and its number
            parent = self.first(s, MG.paragraphOf)
            symbol = self.text(parent, SKOS.notation) if parent is not None else None
            return f"{symbol} ¶ {number}" if symbol else f"¶ {number}"
        for predicate, english in (
            (RDFS.label, True),
            (SKOS.prefLabel, True),
            (DCTERMS.title, True),
            (RDFS.label, False),
            (SKOS.prefLabel, False),
            (DCTERMS.title, False),
            (SKOS.notation, False),
        ):
            found = pick(predicate, english=english)
            if found:
                return found
        return local_name(iri)

    def code(self, iri: str | Term) -> str | None:
        """The ``skos:notation`` of a node (state code, organization key, theme key)."""
        return self.text(iri, SKOS.notation)

    # -- provenance

    def span(self, term: Term) -> SpanInfo | None:
        """The text span ``term`` names, or ``None`` when it has no quote."""
        quote = self.text(term, MG.quote)
        if quote is None:
            return None
        document = self.first(term, MG.inDocument)
        return SpanInfo(
            iri=term.value if isinstance(term, ox.NamedNode) else None,
            document=document.value if isinstance(document, ox.NamedNode) else None,
            start=self.integer(term, MG.startOffset),
            end=self.integer(term, MG.endOffset),
            quote=quote,
        )

    def spans_of(self, subject: str | Term) -> list[SpanInfo]:
        """The spans a node as a whole was read from (``prov:wasDerivedFrom``)."""
        spans = [self.span(t) for t in self.objects(subject, PROV.wasDerivedFrom)]
        return sorted((s for s in spans if s), key=_span_order)

    def fact_sources(self, subject: str | Term) -> dict[tuple[str, Term], list[SpanInfo]]:
        """Spans of each extracted triple of ``subject``, read from its ``rdf:Statement``."""
        s = node(subject) if isinstance(subject, str) else subject
        sources: dict[tuple[str, Term], list[SpanInfo]] = {}
        for statement in self.subjects(RDF.subject, s):
            predicate = self.first(statement, RDF.predicate)
            obj = self.first(statement, RDF.object)
            if predicate is None or obj is None:
                continue
            spans = sources.setdefault((predicate.value, obj), [])
            for origin in self.objects(statement, PROV.wasDerivedFrom):
                found = self.span(origin)
                if found and found not in spans:
                    spans.append(found)
        for spans in sources.values():
            spans.sort(key=_span_order)
        return sources

    # -- SPARQL

    def select(
        self, text: str, bindings: dict[str, Identifier] | None = None
    ) -> list[dict[str, Any]]:
        """Run a SELECT with bound values; rows map variable names to Oxigraph terms."""
        results = self.store.query(text, bindings=bindings or None)
        if not isinstance(results, ox.QuerySolutions):
            raise TypeError("select() runs SELECT queries only")
        names = [v.value for v in results.variables]
        return [{name: row[name] for name in names} for row in results]


def _span_order(span: SpanInfo) -> tuple[int, int]:
    return (span.start if span.start is not None else 1 << 62, span.end or 0)


# -- identifiers -------------------------------------------------------------------------


def check_code(value: str, what: str) -> str:
    """Validate a code (state, organization key, theme key) given by a user.

    Raises:
        BadParameterError: it holds characters no code has.
    """
    if not _CODE.fullmatch(value):
        raise BadParameterError(f"{what} must be a code like CICTE, JAM or border-control, "
                                f"got {value!r}")
    return value


def check_slug(value: str, what: str) -> str:
    """Validate a slug (document, resolution) given by a user.

    Raises:
        NotFoundError: it cannot name anything in the graph.
    """
    if not _SLUG.fullmatch(value):
        raise NotFoundError(f"no {what} {value!r}")
    return value


def resolution_id(iri: str) -> str:
    """The id of a resolution or paragraph in the API (its IRI path after ``resolution/``)."""
    return iri[len(RESOLUTION_BASE):] if iri.startswith(RESOLUTION_BASE) else iri


def activity_id(iri: str) -> str:
    """The id of an activity in the API: ``<document slug>/<local id>``."""
    if iri.startswith(DOCUMENT_BASE) and "/activity/" in iri:
        slug, _, local = iri[len(DOCUMENT_BASE):].partition("/activity/")
        return f"{slug}/{local}"
    return iri[len(ID_BASE):] if iri.startswith(ID_BASE) else iri


def document_slug(iri: str) -> str:
    """The slug of a document IRI."""
    return iri[len(DOCUMENT_BASE):] if iri.startswith(DOCUMENT_BASE) else iri


def paragraph_ref_iri(value: str) -> URIRef:
    """A paragraph IRI from its API id (``ag-res-2485-xxxix-o-09/5.b``) or full IRI.

    Raises:
        BadParameterError: neither.
    """
    found = _MANDATE.fullmatch(value)
    if found is None:
        raise BadParameterError(
            f"mandate must look like ag-res-2485-xxxix-o-09/5.b, got {value!r}"
        )
    slug, number = found.groups()
    return URIRef(f"{RESOLUTION_BASE}{slug}/{number.lower()}")


# -- response models ---------------------------------------------------------------------


class Ref(BaseModel):
    """A link to another resource: its id in this API, its name and its IRI."""

    id: str = Field(description="Identifier in this API (code, slug or path).")
    label: str = Field(description="Human-readable name.")
    iri: str = Field(description="The resource's IRI; dereference it for HTML or RDF.")


class Source(BaseModel):
    """A text span a fact was read from."""

    document: str | None = Field(description="Slug of the document.")
    start: int | None = Field(description="Offset of the first character (from 0).")
    end: int | None = Field(description="Offset just after the last character.")
    quote: str = Field(description="The words of the span.")
    link: str | None = Field(description="The document page with the passage highlighted.")


class Fact(BaseModel):
    """One statement about a resource, with where it was read."""

    property: str = Field(description="IRI of the property.")
    property_label: str
    value: str = Field(description="IRI or lexical form of the value.")
    value_label: str
    value_is_iri: bool
    sources: list[Source] = Field(description="Spans the statement was extracted from.")


class ActivityOut(BaseModel):
    """A reported activity."""

    id: str = Field(description="<document slug>/<local id>")
    iri: str
    label: str
    page: str = Field(description="Path of the HTML page.")
    types: list[str] = Field(description="Kinds of activity (training, workshop...).")
    themes: list[Ref]
    years: list[int]
    status: str | None = Field(description="planned, ongoing or completed.")
    conducted_by: list[Ref]
    partners: list[Ref]
    funders: list[Ref]
    requested_by: list[Ref]
    states: list[Ref] = Field(description="Beneficiary states.")
    places: list[Ref] = Field(description="Where it was held.")
    participants: int | None
    mandates: list[Ref] = Field(description="Operative paragraphs it implements.")
    document: Ref | None = Field(description="The document that reports it.")
    quote: str | None = Field(description="The sentence it was read from.")


class ActivityDetail(ActivityOut):
    """A reported activity with every fact and its source."""

    facts: list[Fact]
    sources: list[Source] = Field(description="Spans the activity as a whole was read from.")


class ParagraphOut(BaseModel):
    """An operative paragraph of a resolution: a mandate."""

    id: str = Field(description="<resolution id>/<number>")
    iri: str
    page: str
    resolution: Ref | None
    number: str | None
    text: str | None
    activities: int = Field(description="Activities implementing it or its sub-paragraphs.")


class ResolutionOut(BaseModel):
    """A General Assembly resolution."""

    id: str
    iri: str
    page: str
    symbol: str | None
    label: str
    paragraphs: int = Field(description="Operative paragraphs known to the graph.")


class ResolutionDetail(ResolutionOut):
    """A resolution with its paragraphs and the documents that recall it."""

    paragraph_list: list[ParagraphOut]
    recalled_by: list[Ref]


class ActorOut(BaseModel):
    """An organization: an OAS body or a partner."""

    code: str
    iri: str
    page: str
    label: str
    kind: str = Field(description="oas-body, partner or organization.")
    activities: int = Field(description="Activities it takes part in, in any role.")


class PartnerCount(BaseModel):
    """Another actor sharing activities with this one."""

    actor: Ref
    activities: int


class ActorDetail(ActorOut):
    """An organization with its activities by role and its partners."""

    roles: dict[str, list[Ref]] = Field(description="role -> activities")
    partners: list[PartnerCount]
    part_of: list[Ref]


class StateOut(BaseModel):
    """A state."""

    code: str = Field(description="ISO 3166-1 alpha-3")
    iri: str
    page: str
    label: str
    member: bool = Field(description="An OAS member state.")
    activities: int = Field(description="Activities it benefits from.")


class StateDetail(StateOut):
    """A state with the activities benefiting it and those it takes part in."""

    beneficiary_of: list[Ref]
    roles: dict[str, list[Ref]] = Field(description="role -> activities, as a government")


class DocumentOut(BaseModel):
    """An ingested document."""

    slug: str
    iri: str
    page: str
    title: str
    kind: str = Field(description="report or resolution")
    language: str | None
    activities: int


class DocumentDetail(DocumentOut):
    """A document with its activities and the mandates it cites."""

    activity_list: list[Ref]
    cites: list[Ref]
    recalls: list[Ref]


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    total: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int
    items: list[T]


# -- building records --------------------------------------------------------------------


def ref(reader: Reader, term: Term, id_: str | None = None) -> Ref:
    """A :class:`Ref` to a node, with its code as id when it has one."""
    iri = term.value
    if id_ is None:
        if iri.startswith(RESOLUTION_BASE):
            id_ = resolution_id(iri)
        elif iri.startswith(DOCUMENT_BASE) and "/activity/" in iri:
            id_ = activity_id(iri)
        elif iri.startswith(DOCUMENT_BASE):
            id_ = document_slug(iri)
        else:
            id_ = reader.code(term) or local_name(iri)
    return Ref(id=id_, label=reader.label(term), iri=iri)


def refs(reader: Reader, terms: Iterable[Term]) -> list[Ref]:
    """Refs to the IRI nodes among ``terms``, sorted by label."""
    found = [ref(reader, t) for t in terms if isinstance(t, ox.NamedNode)]
    return sorted(found, key=lambda r: r.label.lower())


def source(span: SpanInfo) -> Source:
    """A :class:`Source` from a span."""
    return Source(document=span.slug, start=span.start, end=span.end, quote=span.quote,
                  link=span.link)


def activity_document(reader: Reader, iri: str) -> Term | None:
    """The document reporting an activity (through its section, or its IRI)."""
    for section in reader.objects(iri, MG.reportedIn):
        found = reader.first(section, MG.inDocument)
        if found is not None:
            return found
    if iri.startswith(DOCUMENT_BASE) and "/activity/" in iri:
        return node(iri.split("/activity/")[0])
    return None


def activity_record(reader: Reader, iri: str) -> ActivityOut:
    """Everything a list shows about one activity."""
    years = sorted({y for y in (_as_int(t) for t in reader.objects(iri, MG.year)) if y is not None})
    status = reader.first(iri, MG.status)
    spans = reader.spans_of(iri)
    document = activity_document(reader, iri)
    return ActivityOut(
        id=activity_id(iri),
        iri=iri,
        label=reader.label(iri),
        page=page_path(iri) or iri,
        types=sorted(reader.label(t) for t in reader.kinds(iri)),
        themes=refs(reader, reader.objects(iri, MG.theme)),
        years=years,
        status=local_name(status.value) if status is not None else None,
        conducted_by=refs(reader, reader.objects(iri, MG.conductedBy)),
        partners=refs(reader, reader.objects(iri, MG.inPartnershipWith)),
        funders=refs(reader, reader.objects(iri, MG.fundedBy)),
        requested_by=refs(reader, reader.objects(iri, MG.requestedBy)),
        states=refs(reader, reader.objects(iri, MG.beneficiary)),
        places=refs(reader, reader.objects(iri, MG.heldIn)),
        participants=reader.integer(iri, MG.participantCount),
        mandates=refs(reader, reader.objects(iri, MG.implements)),
        document=ref(reader, document) if isinstance(document, ox.NamedNode) else None,
        quote=spans[0].quote if spans else None,
    )


def facts(reader: Reader, iri: str, *, skip: Sequence[str] = ()) -> list[Fact]:
    """The statements about a node, each with the spans it was read from."""
    sources = reader.fact_sources(iri)
    out = []
    for predicate, obj in reader.outgoing(iri):
        if predicate.value in skip:
            continue
        out.append(
            Fact(
                property=predicate.value,
                property_label=reader.label(predicate),
                value=obj.value,
                value_label=reader.label(obj),
                value_is_iri=isinstance(obj, ox.NamedNode),
                sources=[source(s) for s in sources.get((predicate.value, obj), [])],
            )
        )
    return out


def _as_int(term: Term | None) -> int | None:
    try:
        return None if term is None else int(term.value)
    except ValueError:
        return None


# -- lists -------------------------------------------------------------------------------


@dataclass
class ActivityFilters:
    """The filters of the activity list; each one given adds a fixed query fragment."""

    theme: str | None = None
    year: int | None = None
    state: str | None = None
    actor: str | None = None
    status: str | None = None
    mandate: str | None = None
    document: str | None = None

    def fragments(self) -> tuple[str, dict[str, Identifier]]:
        """The graph patterns and the bound values for the filters that are set.

        Raises:
            BadParameterError: a value cannot be a code, status or paragraph id.
        """
        patterns: list[str] = []
        bound: dict[str, Identifier] = {}
        if self.theme:
            patterns.append("?a mg:theme ?f_theme .")
            bound["f_theme"] = theme_iri(check_code(self.theme, "theme"))
        if self.year is not None:
            patterns.append("?a mg:year ?f_year .")
            bound["f_year"] = Literal(self.year, datatype=XSD.integer)
        if self.state:
            patterns.append("?a mg:beneficiary ?f_state .")
            bound["f_state"] = state_iri(check_code(self.state, "state"))
        if self.actor:
            patterns.append(f"?a {ROLE_PATH} ?f_who . ?f_who skos:notation ?f_actor .")
            code = check_code(self.actor, "actor")
            bound["f_actor"] = Literal(code.upper() if len(code) == 3 else code)
        if self.status:
            if self.status not in _STATUSES:
                raise BadParameterError(
                    f"status must be one of {', '.join(_STATUSES)}, got {self.status!r}"
                )
            patterns.append("?a mg:status ?f_status .")
            bound["f_status"] = status_iri(self.status)
        if self.mandate:
            patterns.append("?a mg:implements ?f_mandate .")
            bound["f_mandate"] = paragraph_ref_iri(self.mandate)
        if self.document:
            patterns.append("?a mg:reportedIn/mg:inDocument ?f_doc .")
            bound["f_doc"] = document_iri(check_slug(self.document, "document"))
        return "\n  ".join(patterns), bound


def list_activities(
    reader: Reader, filters: ActivityFilters, *, limit: int = 50, offset: int = 0
) -> Page[ActivityOut]:
    """A page of activities matching ``filters``, in the order their documents report them."""
    patterns, bound = filters.fragments()
    where = f"WHERE {{\n  ?a a mg:Activity .\n  {patterns}\n}}"
    total_rows = reader.select(f"SELECT (COUNT(DISTINCT ?a) AS ?n) {where}", bound)
    total = int(total_rows[0]["n"].value) if total_rows else 0
    # limit and offset are integers checked by FastAPI: formatting them is safe
    rows = reader.select(
        f"SELECT DISTINCT ?a {where}\n"
        f"ORDER BY STRLEN(STR(?a)) STR(?a) LIMIT {int(limit)} OFFSET {int(offset)}",
        bound,
    )
    # the IRI holds the document slug and "section-item": order by document, then number
    iris = sorted((r["a"].value for r in rows), key=natural_key)
    return Page[ActivityOut](
        total=total, limit=limit, offset=offset,
        items=[activity_record(reader, iri) for iri in iris],
    )


def natural_key(text: str) -> list[Any]:
    """A sort key that orders numbers by value (``2-5`` before ``2-10``)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text)]


def paragraph_record(reader: Reader, iri: str, activities: int | None = None) -> ParagraphOut:
    """Everything a list shows about one operative paragraph."""
    resolution = reader.first(iri, MG.paragraphOf)
    if activities is None:
        rows = reader.select(
            "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a mg:implements/mg:subParagraphOf* ?p }",
            {"p": URIRef(iri)},
        )
        activities = int(rows[0]["n"].value) if rows else 0
    return ParagraphOut(
        id=resolution_id(iri),
        iri=iri,
        page=page_path(iri) or iri,
        resolution=ref(reader, resolution) if isinstance(resolution, ox.NamedNode) else None,
        number=reader.text(iri, MG.paragraphNumber),
        text=reader.text(iri, MG.text),
        activities=activities,
    )


def list_paragraphs(
    reader: Reader,
    *,
    resolution: str | None = None,
    has_activity: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ParagraphOut]:
    """A page of operative paragraphs, by resolution and number."""
    bound: dict[str, Identifier] = {}
    patterns = []
    if resolution:
        if resolution.startswith("AG/") or " " in resolution:
            patterns.append("?p mg:paragraphOf/skos:notation ?f_symbol .")
            bound["f_symbol"] = Literal(resolution)
        else:
            patterns.append("?p mg:paragraphOf ?f_res .")
            bound["f_res"] = URIRef(RESOLUTION_BASE + check_slug(resolution, "resolution"))
    rows = reader.select(
        "SELECT ?p (COUNT(DISTINCT ?a) AS ?n) WHERE {\n"
        "  ?p a mg:OperativeParagraph .\n  " + "\n  ".join(patterns) + "\n"
        "  OPTIONAL { ?a mg:implements/mg:subParagraphOf* ?p }\n"
        "} GROUP BY ?p",
        bound,
    )
    counted = [(r["p"].value, int(r["n"].value)) for r in rows]
    if has_activity is not None:
        counted = [(p, n) for p, n in counted if (n > 0) == has_activity]
    # few enough to sort in Python, where "5.b" can come before "10"
    counted.sort(key=lambda pn: natural_key(pn[0]))
    items = [paragraph_record(reader, p, n) for p, n in counted[offset:offset + limit]]
    return Page[ParagraphOut](total=len(counted), limit=limit, offset=offset, items=items)


def resolution_record(reader: Reader, iri: str, paragraphs: int) -> ResolutionOut:
    """Everything a list shows about one resolution."""
    return ResolutionOut(
        id=resolution_id(iri),
        iri=iri,
        page=page_path(iri) or iri,
        symbol=reader.code(iri),
        label=reader.label(iri),
        paragraphs=paragraphs,
    )


def list_resolutions(reader: Reader, *, limit: int = 50, offset: int = 0) -> Page[ResolutionOut]:
    """A page of resolutions, by symbol."""
    rows = reader.select(
        "SELECT ?r (COUNT(DISTINCT ?p) AS ?n) WHERE {\n"
        "  ?r a mg:Resolution . OPTIONAL { ?p mg:paragraphOf ?r }\n} GROUP BY ?r"
    )
    counted = sorted(((r["r"].value, int(r["n"].value)) for r in rows),
                     key=lambda rn: natural_key(rn[0]))
    items = [resolution_record(reader, r, n) for r, n in counted[offset:offset + limit]]
    return Page[ResolutionOut](total=len(counted), limit=limit, offset=offset, items=items)


def actor_kind(reader: Reader, iri: str) -> str:
    """``oas-body``, ``partner`` or ``organization``."""
    if reader.is_a(iri, MG.OASBody):
        return "oas-body"
    if reader.is_a(iri, MG.PartnerOrganization):
        return "partner"
    return "organization"


def list_actors(
    reader: Reader,
    *,
    kind: str | None = None,
    has_activity: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ActorOut]:
    """A page of organizations, by code, with how many activities each takes part in."""
    classes = {"oas-body": "mg:OASBody", "partner": "mg:PartnerOrganization"}
    if kind is not None and kind not in classes:
        raise BadParameterError(f"kind must be oas-body or partner, got {kind!r}")
    cls = classes.get(kind or "", "mg:Organization")
    rows = reader.select(
        "SELECT ?o (COUNT(DISTINCT ?a) AS ?n) WHERE {\n"
        f"  ?o a {cls} .\n"
        f"  OPTIONAL {{ ?a {ROLE_PATH} ?o }}\n"
        "} GROUP BY ?o"
    )
    counted = [(r["o"].value, int(r["n"].value)) for r in rows]
    if has_activity is not None:
        counted = [(o, n) for o, n in counted if (n > 0) == has_activity]
    records = [
        ActorOut(
            code=reader.code(o) or local_name(o),
            iri=o,
            page=page_path(o) or o,
            label=reader.label(o),
            kind=actor_kind(reader, o),
            activities=n,
        )
        for o, n in counted
    ]
    records.sort(key=lambda a: (-a.activities, a.code))
    return Page[ActorOut](total=len(records), limit=limit, offset=offset,
                          items=records[offset:offset + limit])


def list_states(
    reader: Reader,
    *,
    member: bool | None = None,
    has_activity: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[StateOut]:
    """A page of states: members and beneficiaries, with how many activities benefit each."""
    rows = reader.select(
        "SELECT ?s (COUNT(DISTINCT ?a) AS ?n) (SAMPLE(?m) AS ?member) WHERE {\n"
        "  ?s a mg:State .\n"
        "  { ?s a mg:MemberState } UNION { ?any mg:beneficiary ?s }\n"
        "    UNION { ?any mg:conductedBy|mg:inPartnershipWith|mg:fundedBy|mg:requestedBy ?s }\n"
        "  OPTIONAL { ?a mg:beneficiary ?s }\n"
        "  BIND(EXISTS { ?s a mg:MemberState } AS ?m)\n"
        "} GROUP BY ?s"
    )
    records = [
        StateOut(
            code=reader.code(r["s"]) or local_name(r["s"].value),
            iri=r["s"].value,
            page=page_path(r["s"].value) or r["s"].value,
            label=reader.label(r["s"]),
            member=r["member"] is not None and r["member"].value == "true",
            activities=int(r["n"].value),
        )
        for r in rows
    ]
    if member is not None:
        records = [s for s in records if s.member == member]
    if has_activity is not None:
        records = [s for s in records if (s.activities > 0) == has_activity]
    records.sort(key=lambda s: (-s.activities, s.label))
    return Page[StateOut](total=len(records), limit=limit, offset=offset,
                          items=records[offset:offset + limit])


def document_record(reader: Reader, iri: str, activities: int) -> DocumentOut:
    """Everything a list shows about one document."""
    return DocumentOut(
        slug=document_slug(iri),
        iri=iri,
        page=page_path(iri) or iri,
        title=reader.label(iri),
        kind="resolution" if reader.is_a(iri, MG.Resolution) else "report",
        language=reader.text(iri, MG.language),
        activities=activities,
    )


def list_documents(reader: Reader, *, limit: int = 50, offset: int = 0) -> Page[DocumentOut]:
    """A page of the ingested documents (those with a language: cited ones are not listed)."""
    rows = reader.select(
        "SELECT ?d (COUNT(DISTINCT ?a) AS ?n) WHERE {\n"
        "  ?d a mg:Document ; mg:language ?language .\n"
        "  OPTIONAL { ?a mg:reportedIn/mg:inDocument ?d }\n"
        "} GROUP BY ?d"
    )
    counted = sorted(((r["d"].value, int(r["n"].value)) for r in rows),
                     key=lambda dn: natural_key(dn[0]))
    items = [document_record(reader, d, n) for d, n in counted[offset:offset + limit]]
    return Page[DocumentOut](total=len(counted), limit=limit, offset=offset, items=items)


# -- one resource ------------------------------------------------------------------------


def activities_by_role(reader: Reader, iri: str) -> dict[str, list[Ref]]:
    """The activities an organization or government takes part in, by role."""
    rows = reader.select(
        f"SELECT ?a ?p WHERE {{ ?a ?p ?who . VALUES ?p {{ {ROLE_PATH.replace('|', ' ')} }} }}",
        {"who": URIRef(iri)},
    )
    roles: dict[str, list[Ref]] = {}
    for role in ROLES.values():
        found = [r["a"] for r in rows if ROLES[r["p"].value] == role]
        if found:
            roles[role] = sorted(refs(reader, found), key=lambda r: natural_key(r.id))
    return roles


def partners_of(reader: Reader, iri: str) -> list[PartnerCount]:
    """The other actors sharing activities with ``iri``, most shared first."""
    rows = reader.select(
        "SELECT ?other (COUNT(DISTINCT ?a) AS ?n) WHERE {\n"
        f"  ?a {ROLE_PATH} ?who .\n  ?a {ROLE_PATH} ?other .\n"
        "  FILTER(?other != ?who)\n} GROUP BY ?other",
        {"who": URIRef(iri)},
    )
    found = [PartnerCount(actor=ref(reader, r["other"]), activities=int(r["n"].value))
             for r in rows if isinstance(r["other"], ox.NamedNode)]
    return sorted(found, key=lambda p: (-p.activities, p.actor.label))


def get_activity(reader: Reader, iri: str) -> ActivityDetail:
    """One activity with its facts and sources.

    Raises:
        NotFoundError: no activity has that IRI.
    """
    if not reader.exists(iri) or not reader.is_a(iri, MG.Activity):
        raise NotFoundError(f"no activity {activity_id(iri)!r}")
    record = activity_record(reader, iri)
    return ActivityDetail(
        **record.model_dump(),
        facts=facts(reader, iri, skip=(str(PROV.wasDerivedFrom),)),
        sources=[source(s) for s in reader.spans_of(iri)],
    )


# -- routes ------------------------------------------------------------------------------

router = APIRouter(prefix="/api", tags=["JSON API"])

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (1 to {MAX_LIMIT}).")]
Offset = Annotated[int, Query(
    ge=0, le=MAX_OFFSET, description=f"How many items to skip (0 to {MAX_OFFSET})."
)]
#: What a list answers besides its page, and what a look-up by id answers.
LIST_ERRORS = errors(400)
ONE_ERRORS = errors(404)


def reader_for(request: Request) -> Reader:
    """A :class:`Reader` on the app's store."""
    return Reader(request.app.state.store)


@router.get("/resolutions", response_model=Page[ResolutionOut], summary="Resolutions",
            responses=LIST_ERRORS)
def api_resolutions(request: Request, limit: Limit = 50, offset: Offset = 0) -> Page[ResolutionOut]:
    """General Assembly resolutions, with how many of their paragraphs the graph knows."""
    return list_resolutions(reader_for(request), limit=limit, offset=offset)


@router.get("/resolutions/{id}", response_model=ResolutionDetail, summary="One resolution",
            responses=ONE_ERRORS)
def api_resolution(request: Request, id: str) -> ResolutionDetail:
    """One resolution with its operative paragraphs."""
    reader = reader_for(request)
    iri = RESOLUTION_BASE + check_slug(id, "resolution")
    if not reader.exists(iri) or not reader.is_a(iri, MG.Resolution):
        raise NotFoundError(f"no resolution {id!r}")
    paragraphs = list_paragraphs(reader, resolution=id, limit=MAX_LIMIT).items
    return ResolutionDetail(
        **resolution_record(reader, iri, len(paragraphs)).model_dump(),
        paragraph_list=paragraphs,
        recalled_by=refs(reader, reader.subjects(MG.recalls, iri)),
    )


@router.get("/paragraphs", response_model=Page[ParagraphOut], summary="Mandates",
            responses=errors(400, 404))
def api_paragraphs(
    request: Request,
    resolution: Annotated[str | None, Query(
        description="Resolution id (ag-res-2485-xxxix-o-09) or symbol (AG/RES. 2485 (XXXIX-O/09)); "
        "404 when an id cannot name a resolution"
    )] = None,
    has_activity: Annotated[bool | None, Query(
        description="true: implemented by some activity; false: the compliance gap"
    )] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ParagraphOut]:
    """Operative paragraphs (mandates), with how many activities implement each."""
    return list_paragraphs(reader_for(request), resolution=resolution,
                           has_activity=has_activity, limit=limit, offset=offset)


@router.get("/activities", response_model=Page[ActivityOut], summary="Activities",
            responses=errors(400, 404))
def api_activities(
    request: Request,
    theme: Annotated[str | None, Query(
        pattern=CODE_PATTERN, description="Theme key, e.g. border-control"
    )] = None,
    year: Annotated[int | None, Query(
        ge=MIN_YEAR, le=MAX_YEAR, description="A year the activity ran, e.g. 2010"
    )] = None,
    state: Annotated[str | None, Query(
        pattern=CODE_PATTERN, description="Beneficiary state, ISO alpha-3, e.g. JAM"
    )] = None,
    actor: Annotated[str | None, Query(
        pattern=CODE_PATTERN, description="Organization key or state code in any role, e.g. CICTE"
    )] = None,
    status: Annotated[Status | None, Query(
        description="planned, ongoing or completed"
    )] = None,
    mandate: Annotated[str | None, Query(
        pattern=MANDATE_PATTERN,
        description="Paragraph implemented, e.g. ag-res-2485-xxxix-o-09/5.b, or its IRI",
    )] = None,
    document: Annotated[str | None, Query(
        description="Slug of the reporting document; 404 when it cannot name a document"
    )] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ActivityOut]:
    """Reported activities, filtered, one page at a time."""
    filters = ActivityFilters(theme=theme, year=year, state=state, actor=actor, status=status,
                              mandate=mandate, document=document)
    return list_activities(reader_for(request), filters, limit=limit, offset=offset)


@router.get("/activities/{id:path}", response_model=ActivityDetail, summary="One activity",
            responses=ONE_ERRORS)
def api_activity(request: Request, id: str) -> ActivityDetail:
    """One activity, with every fact and the sentence it was read from."""
    slug, _, local = id.partition("/")
    if not _SLUG.match(slug) or not re.fullmatch(r"[A-Za-z0-9._-]+", local):
        raise NotFoundError(f"no activity {id!r}")
    return get_activity(reader_for(request), str(activity_iri(slug, local)))


@router.get("/actors", response_model=Page[ActorOut], summary="Actors (organizations)",
            responses=LIST_ERRORS)
def api_actors(
    request: Request,
    kind: Annotated[ActorKind | None, Query(
        description="oas-body or partner"
    )] = None,
    has_activity: Annotated[bool | None, Query(description="only those taking part")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ActorOut]:
    """Organizations (OAS bodies and partners), most active first."""
    return list_actors(reader_for(request), kind=kind, has_activity=has_activity,
                       limit=limit, offset=offset)


@router.get("/actors/{code}", response_model=ActorDetail, summary="One actor",
            responses=ONE_ERRORS)
def api_actor(request: Request, code: str) -> ActorDetail:
    """One organization with its activities by role and its partners."""
    reader = reader_for(request)
    iri = str(org_iri(code)) if _CODE.fullmatch(code) else ""
    if not iri or not reader.exists(iri) or not reader.is_a(iri, MG.Organization):
        raise NotFoundError(f"no organization with code {code!r}")
    roles = activities_by_role(reader, iri)
    return ActorDetail(
        code=reader.code(iri) or code,
        iri=iri,
        page=page_path(iri) or iri,
        label=reader.label(iri),
        kind=actor_kind(reader, iri),
        activities=len({r.iri for found in roles.values() for r in found}),
        roles=roles,
        partners=partners_of(reader, iri),
        part_of=refs(reader, reader.objects(iri, MG.subOrganizationOf)),
    )


@router.get("/states", response_model=Page[StateOut], summary="States",
            responses=LIST_ERRORS)
def api_states(
    request: Request,
    member: Annotated[bool | None, Query(
        description="true: only OAS member states; false: only others"
    )] = None,
    has_activity: Annotated[bool | None, Query(
        description="true: only beneficiaries of some activity; false: only the others"
    )] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[StateOut]:
    """Member states and the states named by activities, most served first."""
    return list_states(reader_for(request), member=member, has_activity=has_activity,
                       limit=limit, offset=offset)


@router.get("/states/{code}", response_model=StateDetail, summary="One state",
            responses=ONE_ERRORS)
def api_state(request: Request, code: str) -> StateDetail:
    """One state with the activities benefiting it and those its government took part in."""
    reader = reader_for(request)
    iri = str(state_iri(code)) if _CODE.fullmatch(code) else ""
    if not iri or not reader.exists(iri) or not reader.is_a(iri, MG.State):
        raise NotFoundError(f"no state with code {code!r}")
    beneficiary = sorted(refs(reader, reader.subjects(MG.beneficiary, iri)),
                         key=lambda r: natural_key(r.id))
    return StateDetail(
        code=reader.code(iri) or code.upper(),
        iri=iri,
        page=page_path(iri) or iri,
        label=reader.label(iri),
        member=reader.is_a(iri, MG.MemberState),
        activities=len(beneficiary),
        beneficiary_of=beneficiary,
        roles=activities_by_role(reader, iri),
    )


@router.get("/documents", response_model=Page[DocumentOut], summary="Documents",
            responses=LIST_ERRORS)
def api_documents(request: Request, limit: Limit = 50, offset: Offset = 0) -> Page[DocumentOut]:
    """The documents the graph was read from."""
    return list_documents(reader_for(request), limit=limit, offset=offset)


@router.get("/documents/{slug}", response_model=DocumentDetail, summary="One document",
            responses=ONE_ERRORS)
def api_document(request: Request, slug: str) -> DocumentDetail:
    """One document with the activities it reports and the mandates it cites."""
    reader = reader_for(request)
    iri = str(document_iri(check_slug(slug, "document")))
    if not reader.exists(iri) or not reader.is_a(iri, MG.Document):
        raise NotFoundError(f"no document {slug!r}")
    activities = document_activities(reader, iri)
    cited = reader.objects(iri, MG.cites)
    for section in reader.subjects(MG.inDocument, iri):
        cited += [c for c in reader.objects(section, MG.cites) if c not in cited]
    return DocumentDetail(
        **document_record(reader, iri, len(activities)).model_dump(),
        activity_list=activities,
        cites=sorted(refs(reader, cited), key=lambda r: natural_key(r.id)),
        recalls=refs(reader, reader.objects(iri, MG.recalls)),
    )


def document_activities(reader: Reader, iri: str) -> list[Ref]:
    """The activities a document reports, in report order."""
    rows = reader.select(
        "SELECT DISTINCT ?a WHERE { ?a mg:reportedIn/mg:inDocument ?d }", {"d": URIRef(iri)}
    )
    return sorted(refs(reader, [r["a"] for r in rows]), key=lambda r: natural_key(r.id))


# -- API docs without a CDN --------------------------------------------------------------


def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI for the OpenAPI document, from local assets."""
    if not (SWAGGER_DIR / "swagger-ui-bundle.js").is_file():
        from mandategraph.api.pages import api_reference

        return api_reference(request)
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url or "/openapi.json",
        title="mandategraph API",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
        # the default validator badge calls validator.swagger.io: keep every request local
        swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True},
    )


def setup(app: FastAPI) -> None:
    """Add the JSON API, and serve ``/docs`` from local assets instead of a CDN."""
    app.include_router(router)
    # FastAPI's own /docs and /redoc pages load their scripts from a CDN: replace them
    app.router.routes[:] = [
        route for route in app.router.routes
        if getattr(route, "path", None) not in {"/docs", "/redoc", "/docs/oauth2-redirect"}
    ]
    app.add_api_route("/docs", api_docs, methods=["GET"], include_in_schema=False,
                      response_class=HTMLResponse)

