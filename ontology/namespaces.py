"""Namespaces and IRI minting rules shared by every layer.

The ontology file (``ontology/mandategraph.ttl``) is the source of truth for what
each term means; this module only names them, so that Python code never spells
an IRI by hand.

IRI scheme (all under :data:`BASE`):

========================  ==============================================================
thing                     IRI
========================  ==============================================================
ontology term             ``{BASE}ontology#Activity``
state                     ``{BASE}id/state/JAM``               (ISO 3166-1 alpha-3)
organization              ``{BASE}id/org/CICTE``               (registry key)
state group               ``{BASE}id/group/caribbean-sids``
theme                     ``{BASE}id/theme/border-control``
activity status           ``{BASE}id/status/completed``
resolution                ``{BASE}id/resolution/ag-res-2485-xxxix-o-09``
operative paragraph       ``{BASE}id/resolution/ag-res-2485-xxxix-o-09/5.b``
legal instrument          ``{BASE}id/instrument/cifta``
person / place            ``{BASE}id/person/izben-williams``, ``{BASE}id/place/montreal``
document                  ``{BASE}id/document/<slug>``
section of a document     ``{BASE}id/document/<slug>/section/2``
activity                  ``{BASE}id/document/<slug>/activity/2-5``
text span (evidence)      ``{BASE}id/document/<slug>/span/1200-1456``
named graph               ``{BASE}graph/ontology``, ``graph/reference``, ``graph/inferred``,
                          ``graph/registry``, ``graph/document/<slug>``
mandate kind              ``{BASE}id/mandate-kind/request``
========================  ==============================================================
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/mandategraph/"

MG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SH = Namespace("http://www.w3.org/ns/shacl#")

ONTOLOGY_GRAPH = GRAPH["ontology"]
REFERENCE_GRAPH = GRAPH["reference"]
INFERRED_GRAPH = GRAPH["inferred"]
#: Facts derived from all documents at once (paragraphs known from numbering, mandate
#: kinds, themes read from paragraph texts): rewritten after every build and ingest.
REGISTRY_GRAPH = GRAPH["registry"]

#: Prefixes every SPARQL query and every serialization may rely on.
PREFIXES: dict[str, str] = {
    "mg": str(MG),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "eli": str(ELI),
    "foaf": str(FOAF),
}


def slugify(text: str) -> str:
    """Turn a name or symbol into a lowercase ASCII slug for an IRI path segment.

    Args:
        text: any label, e.g. ``"AG/RES. 2485 (XXXIX-O/09)"`` or ``"Saint John’s"``.

    Returns:
        ``"ag-res-2485-xxxix-o-09"``, ``"saint-john-s"``; never empty (``"x"`` at worst).
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "x"


def state_iri(code: str) -> URIRef:
    """IRI of a state from its ISO 3166-1 alpha-3 code."""
    return ID[f"state/{code.upper()}"]


def org_iri(key: str) -> URIRef:
    """IRI of an organization from its registry key (``CICTE``, ``UNODC-TPB``)."""
    return ID[f"org/{key}"]


def theme_iri(key: str) -> URIRef:
    """IRI of a theme concept from its key (``border-control``)."""
    return ID[f"theme/{key}"]


def status_iri(key: str) -> URIRef:
    """IRI of an activity status (``planned``, ``ongoing``, ``completed``)."""
    return ID[f"status/{key}"]


def mandate_kind_iri(key: str) -> URIRef:
    """IRI of a mandate kind (``request``, ``exhortation``, ``declaratory``, ...)."""
    return ID[f"mandate-kind/{key}"]


def group_iri(key: str) -> URIRef:
    """IRI of a named group of states (``caribbean-sids``)."""
    return ID[f"group/{key}"]


def resolution_iri(symbol: str) -> URIRef:
    """IRI of a resolution from its normalized symbol (``AG/RES. 2485 (XXXIX-O/09)``)."""
    return ID[f"resolution/{slugify(symbol)}"]


def paragraph_iri(symbol: str, path: str) -> URIRef:
    """IRI of an operative paragraph (``path`` like ``5`` or ``5.b``) of a resolution."""
    return URIRef(f"{resolution_iri(symbol)}/{path.lower()}")


def paragraph_prefixes(path: str) -> list[str]:
    """The paragraph itself and every paragraph it is part of: ``5.b.i`` gives
    ``5.b.i``, ``5.b`` and ``5`` (the objects of ``mg:withinParagraph``)."""
    parts = path.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


def document_iri(slug: str) -> URIRef:
    """IRI of an ingested document from its slug."""
    return ID[f"document/{slug}"]


def document_graph(slug: str) -> URIRef:
    """Named graph holding everything extracted from one document."""
    return GRAPH[f"document/{slug}"]


def section_iri(slug: str, number: str | int) -> URIRef:
    """IRI of a numbered section of a document."""
    return URIRef(f"{document_iri(slug)}/section/{number}")


def activity_iri(slug: str, local: str) -> URIRef:
    """IRI of an activity reported in a document (``local`` unique within it)."""
    return URIRef(f"{document_iri(slug)}/activity/{local}")


def span_iri(slug: str, start: int, end: int) -> URIRef:
    """IRI of a text span ``[start, end)`` (character offsets) of a document."""
    return URIRef(f"{document_iri(slug)}/span/{start}-{end}")


def entity_iri(kind: str, name: str) -> URIRef:
    """IRI of a person, place or legal instrument (``kind`` = person|place|instrument)."""
    return ID[f"{kind}/{slugify(name)}"]
