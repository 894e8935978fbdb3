"""The graph as the JSON API and the pages read it: identifiers and :class:`Reader`.

Every IRI of ours (``https://w3id.org/mandategraph/id/...``) has a path under
``/id/`` and, for the resources the API lists, an id (a code, a slug, or
``<document slug>/<local id>``). :class:`Reader` answers one request's questions
about the graph: pattern look-ups go straight to Oxigraph (an index probe each), the
few questions that need joins or aggregates go through SPARQL with bound values.

The records built from these look-ups, and the lists, are in
:mod:`mandategraph.api.records`.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from fastapi import Request
from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Identifier

from mandategraph.errors import BadParameterError, NotFoundError
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import ID, MG
from mandategraph.ontology.roles import actor_roles, role_path

ID_BASE = str(ID)
#: The vocabulary's namespaces and the paths they are served at (api/vocabulary.py).
VOCABULARY_PATHS = ((str(MG), "/ontology"), (str(MG).replace("ontology#", "shapes#"), "/shapes"))
DOCUMENT_BASE = ID_BASE + "document/"
RESOLUTION_BASE = ID_BASE + "resolution/"

#: Paging bounds: a page holds at most MAX_LIMIT items, and starts at most MAX_OFFSET in.
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000
#: Years an activity filter takes.
MIN_YEAR, MAX_YEAR = 1, 9999

#: Roles an actor plays in an activity, from the ontology: predicate -> role key.
ROLES: dict[str, str] = {str(role.predicate): role.key for role in actor_roles()}
ROLE_PATH = role_path()

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
CODE = re.compile(CODE_PATTERN)
SLUG = re.compile(SLUG_PATTERN)
MANDATE = re.compile(MANDATE_PATTERN)
Status = typing.Literal["planned", "ongoing", "completed"]
ActorKind = typing.Literal["oas-body", "partner"]
STATUSES: tuple[str, ...] = typing.get_args(Status)


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
    """The local page of an IRI of ours, or ``None`` for others: ``/id/...`` for the
    graph's resources, ``/ontology#Term`` and ``/shapes#Shape`` for the vocabulary's."""
    if iri.startswith(ID_BASE):
        return "/id/" + iri[len(ID_BASE):]
    for base, path in VOCABULARY_PATHS:
        if iri.startswith(base) or iri == base.rstrip("#"):
            return path + iri[len(base.rstrip("#")):]
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
        rows: list[dict[str, Any]] = []
        try:
            if not isinstance(results, ox.QuerySolutions):
                raise TypeError("select() runs SELECT queries only")
            names = [v.value for v in results.variables]
            for solution in results:
                rows.append({name: solution[name] for name in names})
        finally:
            # the solutions are lazy and may not leave this thread: drop them here, also
            # on an error (a traceback carried to the event loop would drop them there)
            del results
            solution = None
        return rows


def _span_order(span: SpanInfo) -> tuple[int, int]:
    return (span.start if span.start is not None else 1 << 62, span.end or 0)


# -- identifiers -------------------------------------------------------------------------


def check_code(value: str, what: str) -> str:
    """Validate a code (state, organization key, theme key) given by a user.

    Raises:
        BadParameterError: it holds characters no code has.
    """
    if not CODE.fullmatch(value):
        raise BadParameterError(f"{what} must be a code like CICTE, JAM or border-control, "
                                f"got {value!r}")
    return value


def check_slug(value: str, what: str) -> str:
    """Validate a slug (document, resolution) given by a user.

    Raises:
        NotFoundError: it cannot name anything in the graph.
    """
    if not SLUG.fullmatch(value):
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
    found = MANDATE.fullmatch(value)
    if found is None:
        raise BadParameterError(
            f"mandate must look like ag-res-2485-xxxix-o-09/5.b, got {value!r}"
        )
    slug, number = found.groups()
    return URIRef(f"{RESOLUTION_BASE}{slug}/{number.lower()}")


def natural_key(text: str) -> list[Any]:
    """A sort key that orders numbers by value (``2-5`` before ``2-10``)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text)]


def reader_for(request: Request) -> Reader:
    """A :class:`Reader` on the app's store."""
    return Reader(request.app.state.store)
