"""Removing an ingested document: its named graph, and what only it supported.

Everything extracted from a document lives in its own named graph
(``graph/document/<slug>``), so dropping that graph removes every fact only it stated;
a fact another document also states stays in that document's graph. What the reasoner
inferred about the document's nodes (``graph/inferred``) has no graph of its own: the
inferred triples of a subject that no other graph mentions any more go with it. Both
happen in one SPARQL update, which Oxigraph runs as one transaction, so the store
never shows half a removal. Removing a document that is not stored changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mandategraph.errors import BadParameterError
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import (
    GRAPH,
    INFERRED_GRAPH,
    document_graph,
    document_iri,
)

DOCUMENT_GRAPHS = str(GRAPH["document/"])
#: What a document slug looks like (it is written into the update's IRIs).
SLUG = re.compile(r"[a-z0-9][a-z0-9._-]{0,199}")


@dataclass(frozen=True)
class Removal:
    """What :func:`remove_document` did."""

    slug: str
    graph: str
    triples: int
    removed: bool


def document_slug(name: str) -> str:
    """The slug of a document given by slug, document IRI or graph IRI.

    Raises:
        BadParameterError: ``name`` cannot be a document's slug.
    """
    slug = name.strip()
    for prefix in (str(document_iri("")), DOCUMENT_GRAPHS):
        if slug.startswith(prefix):
            slug = slug[len(prefix):]
    if not SLUG.fullmatch(slug):
        raise BadParameterError(
            f"{name!r} is not a document: give its slug (as 'mandategraph stats' lists "
            "the graphs) or its IRI"
        )
    return slug


def removal_update(slug: str) -> str:
    """The SPARQL update removing the document ``slug``: its graph, then the inferred
    triples about subjects no other graph mentions."""
    graph = document_graph(slug)
    inferred = INFERRED_GRAPH
    return (
        f"DROP SILENT GRAPH <{graph}> ;\n"
        f"DELETE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }}\n"
        f"WHERE {{ GRAPH <{inferred}> {{ ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?x ?y }} FILTER(?g != <{inferred}>) }} }}"
    )


def stored_triples(store: Store, slug: str) -> int:
    """How many triples the document's graph holds (0: not stored)."""
    rows = store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{document_graph(slug)}> {{ ?s ?p ?o }} }}"
    )
    return int(next(iter(rows))["n"].value)  # type: ignore[index,call-overload]


def remove_document(store: Store, name: str) -> Removal:
    """Remove the document ``name`` (slug or IRI) from a writable store.

    Idempotent: a document that is not stored is reported with ``removed=False``.
    The inferred graph is marked stale first (as an ingest does), since what was
    inferred about other nodes may have leaned on the removed facts.

    Raises:
        mandategraph.errors.StoreError: the store is read-only or cannot be written.
    """
    slug = document_slug(name)
    graph = str(document_graph(slug))
    count = stored_triples(store, slug)
    if count == 0:
        return Removal(slug=slug, graph=graph, triples=0, removed=False)
    store.mark_inferred_stale()
    store.update(removal_update(slug))
    return Removal(slug=slug, graph=graph, triples=count, removed=True)
