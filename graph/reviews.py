"""Reviewers' notes on mandates: keep, update or retire, with a reason.

A note (an ``mg:MandateReview``) lives in its own named graph, ``graph/reviews``, which
no build step writes: rebuilding the registry or the whole graph leaves the notes as
they are. A mandate has at most one note; writing a new one replaces the old. A note
is checked against ``mgsh:MandateReviewShape`` (``ontology/shapes.ttl``) before it is
stored, so a bad one is refused and nothing is written.

The note is written by one SPARQL Update (:func:`review_update`: delete the old note,
insert the new one, each term serialized by rdflib), so that the command line (on the
store) and the server (through its single writer) write it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from mandategraph.errors import BadParameterError, NotFoundError
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import GRAPH, ID, MG

#: The named graph of the reviewers' notes.
REVIEWS_GRAPH = GRAPH["reviews"]

#: What a reviewer may propose for a mandate.
DECISIONS = ("keep", "update", "retire")

#: How long a reason may be, in characters.
MAX_REASON = 2000

RESOLUTION_BASE = str(ID["resolution/"])

READ_QUERY = f"""
SELECT ?mandate ?decision ?reason ?when WHERE {{
  GRAPH <{REVIEWS_GRAPH}> {{ ?review mg:reviewOf ?mandate ; mg:reviewDecision ?decision ;
                                mg:reviewReason ?reason .
             OPTIONAL {{ ?review dcterms:modified ?when }} }}
}}
"""

EXISTS_QUERY = "ASK WHERE { ?mandate a mg:OperativeParagraph }"


@dataclass(frozen=True)
class Review:
    """A reviewer's note on one mandate."""

    mandate: str
    decision: str
    reason: str
    when: str | None = None


def review_iri(mandate: URIRef) -> URIRef:
    """The note's IRI: ``id/review/<the paragraph's path after id/resolution/>``."""
    text = str(mandate)
    local = text[len(RESOLUTION_BASE):] if text.startswith(RESOLUTION_BASE) else text
    return ID["review/" + local]


def review_graph(mandate: URIRef, decision: str, reason: str, *,
                 when: datetime | None = None) -> Graph:
    """The triples of one note (not yet checked)."""
    node = review_iri(mandate)
    graph = Graph()
    graph.add((node, RDF.type, MG.MandateReview))
    graph.add((node, MG.reviewOf, mandate))
    graph.add((node, MG.reviewDecision, Literal(decision)))
    graph.add((node, MG.reviewReason, Literal(reason.strip())))
    moment = (when or datetime.now(UTC)).replace(microsecond=0)
    graph.add((node, DCTERMS.modified, Literal(moment.isoformat(), datatype=XSD.dateTime)))
    return graph


def check_review(graph: Graph) -> None:
    """Refuse a note that breaks ``mgsh:MandateReviewShape``.

    Raises:
        BadParameterError: the decision is not keep, update or retire, or the reason is
            blank (the shape's message).
    """
    from mandategraph.ontology.validation import validate

    report = validate(graph)
    if not report.conforms:
        raise BadParameterError("; ".join(sorted({v.message for v in report.violations})))


def review_update(mandate: URIRef, decision: str, reason: str, *,
                  when: datetime | None = None) -> str:
    """The SPARQL Update storing a note on ``mandate`` in place of the one it had.

    Args:
        mandate: the paragraph's IRI.
        decision: ``keep``, ``update`` or ``retire``.
        reason: why, in the reviewer's words (not blank, at most 2,000 characters).
        when: the note's time (default: now, UTC).

    Raises:
        BadParameterError: a decision or reason that is not allowed.
    """
    if decision not in DECISIONS:
        raise BadParameterError(
            f"decision must be one of {', '.join(DECISIONS)}, got {decision!r}")
    if not reason.strip():
        raise BadParameterError("a review needs a reason, not a blank one")
    if len(reason) > MAX_REASON:
        raise BadParameterError(f"a reason is at most {MAX_REASON} characters")
    note = review_graph(mandate, decision, reason, when=when)
    check_review(note)
    node = review_iri(mandate).n3()
    graph = REVIEWS_GRAPH.n3()
    triples = "\n".join(f"  {s.n3()} {p.n3()} {o.n3()} ." for s, p, o in note)
    return (f"DELETE WHERE {{ GRAPH {graph} {{ {node} ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH {graph} {{\n{triples}\n}} }}")


def write_review(store: Store, mandate: URIRef, decision: str, reason: str, *,
                 when: datetime | None = None) -> Review:
    """Store a note on ``mandate`` (an operative paragraph of the store), replacing the
    one it had; see :func:`review_update` for the arguments.

    Raises:
        BadParameterError: a decision or reason that is not allowed; nothing is stored.
        NotFoundError: no such paragraph in the store; nothing is stored.
    """
    text = review_update(mandate, decision, reason, when=when)
    if not store.query(EXISTS_QUERY, bindings={"mandate": mandate}):
        raise NotFoundError(f"no operative paragraph <{mandate}> in the store")
    store.update(text)
    return read_reviews(store)[str(mandate)]


def read_reviews(store: Store) -> dict[str, Review]:
    """Every note of ``graph/reviews``, by the mandate's IRI."""
    rows = store.query(READ_QUERY)
    return {
        row["mandate"].value: Review(row["mandate"].value, row["decision"].value,
                                     row["reason"].value,
                                     row["when"].value if row["when"] is not None else None)
        for row in rows  # type: ignore[union-attr]
    }
