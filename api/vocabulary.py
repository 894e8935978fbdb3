"""The vocabulary served where its IRIs point: the ontology at ``/ontology`` (the path of
its namespace, ``https://w3id.org/mandategraph/ontology#``) and the SHACL shapes at
``/shapes`` (``https://w3id.org/mandategraph/shapes#``).

A browser gets documentation generated from the Turtle: every class and property of the
``mg:`` namespace with its labels in English, French and Spanish, its definition, and
how it relates to the others, each under an anchor named after the term, so that
``https://w3id.org/mandategraph/ontology#Activity`` lands on ``/ontology#Activity``.
An RDF client gets Turtle (the file itself, byte for byte), RDF/XML or JSON-LD by
``Accept`` or ``?format=ttl|xml|jsonld``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal as Kind

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import Response
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from mandategraph.api.openapi import errors
from mandategraph.api.responses import HTML, negotiate, render
from mandategraph.errors import UnknownFormatError
from mandategraph.ontology.loader import ONTOLOGY_PATH, SHAPES_PATH
from mandategraph.ontology.namespaces import MG, PREFIXES

#: The RDF formats served besides the Turtle file, by ``?format=`` name.
RDF_FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "xml": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}
FormatName = Kind["html", "ttl", "xml", "jsonld"]
LANGUAGES = ("en", "fr", "es")
KINDS = [
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
    (OWL.AnnotationProperty, "Annotation properties"),
    (OWL.NamedIndividual, "Individuals"),
]


@dataclass
class TermDoc:
    """One term of the ontology as its documentation shows it."""

    name: str
    iri: str
    labels: dict[str, str]
    definition: str
    relations: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


@lru_cache(maxsize=2)
def _parsed(path: Path) -> Graph:
    graph = Graph().parse(path, format="turtle")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def _short(graph: Graph, term: URIRef) -> tuple[str, str]:
    """(text, link) of a term: ``#Name`` for ours, the IRI for others."""
    if str(term).startswith(str(MG)):
        name = str(term)[len(str(MG)):]
        return name, f"#{name}"
    return graph.namespace_manager.normalizeUri(term), str(term)


def _text(graph: Graph, term: URIRef, predicate: URIRef, lang: str | None = "en") -> str:
    for value in graph.objects(term, predicate):
        if isinstance(value, Literal) and (lang is None or value.language in (lang, None)):
            return str(value)
    return ""


RELATIONS = [
    ("subclass of", RDFS.subClassOf),
    ("subproperty of", RDFS.subPropertyOf),
    ("domain", RDFS.domain),
    ("range", RDFS.range),
    ("inverse of", OWL.inverseOf),
    ("equivalent to", OWL.equivalentClass),
    ("type", RDF.type),
]


def documentation(graph: Graph) -> list[tuple[str, list[TermDoc]]]:
    """Every ``mg:`` term of the ontology by kind, sorted by name, with what it says."""
    sections = []
    seen: set[URIRef] = set()
    for kind, heading in KINDS:
        terms = []
        for term in sorted(set(graph.subjects(RDF.type, kind)), key=str):
            if not isinstance(term, URIRef) or not str(term).startswith(str(MG)) or term in seen:
                continue
            seen.add(term)
            labels = {lang: _text(graph, term, SKOS.prefLabel, lang) for lang in LANGUAGES}
            labels["en"] = labels["en"] or _text(graph, term, RDFS.label)
            relations = []
            for label, predicate in RELATIONS:
                linked = [_short(graph, o) for o in graph.objects(term, predicate)
                          if isinstance(o, URIRef) and o not in (kind, OWL.NamedIndividual)]
                if linked:
                    relations.append((label, sorted(linked)))
            definition = (_text(graph, term, SKOS.definition)
                          or _text(graph, term, RDFS.comment))
            terms.append(TermDoc(_short(graph, term)[0], str(term), labels, definition,
                                 relations))
        if terms:
            sections.append((heading, terms))
    return sections


def _answer(request: Request, path: Path, fmt: str | None, page: str,
            context: dict[str, object]) -> Response:
    """The vocabulary file as a page, as itself (Turtle), or in another RDF format."""
    if fmt is None:
        offered = [HTML, *(media for _name, media in RDF_FORMATS.values())]
        media = negotiate(request, offered, "text/turtle")
        fmt = "html" if media == HTML else next(
            name for name, (_r, m) in RDF_FORMATS.items() if m == media)
    if fmt == "html":
        response = render(request, page, context)
    elif fmt == "ttl":
        response = Response(path.read_bytes(), media_type="text/turtle; charset=utf-8")
    elif fmt in RDF_FORMATS:
        rdflib_name, media = RDF_FORMATS[fmt]
        body = _parsed(path).serialize(format=rdflib_name, encoding="utf-8")
        response = Response(body, media_type=media)
    else:  # pragma: no cover - FastAPI checked the name
        raise UnknownFormatError(f"unknown format {fmt!r}")
    response.headers["Vary"] = "Accept"
    return response


router = APIRouter(tags=["vocabulary"])
FormatQuery = Query(None, description="html, ttl, xml or jsonld, instead of Accept")


@router.get("/ontology", summary="The ontology", response_class=Response,
            responses=errors(400))
def ontology(request: Request, format: FormatName | None = FormatQuery) -> Response:
    """The OWL ontology: documentation for browsers, Turtle, RDF/XML or JSON-LD."""
    graph = _parsed(ONTOLOGY_PATH)
    head = URIRef(str(MG).rstrip("#"))
    context = {
        "title": _text(graph, head, RDFS.label) or "ontology",
        "description": _text(graph, head, URIRef("http://purl.org/dc/terms/description")),
        "version": _text(graph, head, OWL.versionInfo, None),
        "namespace": str(MG),
        "sections": documentation(graph),
        "languages": LANGUAGES,
    }
    return _answer(request, ONTOLOGY_PATH, format, "ontology.html", context)


@router.get("/shapes", summary="The SHACL shapes", response_class=Response,
            responses=errors(400))
def shapes(request: Request, format: FormatName | None = FormatQuery) -> Response:
    """The SHACL shapes every built graph is validated against."""
    context = {"title": "SHACL shapes", "turtle": SHAPES_PATH.read_text(encoding="utf-8")}
    return _answer(request, SHAPES_PATH, format, "shapes.html", context)


def setup(app: FastAPI) -> None:
    """Add ``/ontology`` and ``/shapes``."""
    app.include_router(router)
