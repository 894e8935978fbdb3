"""Build the graph: ontology, reference data, every corpus document, inferences.

The steps, each writing its own named graph:

1. ``graph/ontology``: the OWL ontology (``ontology/mandategraph.ttl``);
2. ``graph/reference``: states, organizations, themes, instruments (the registry), and
   the resolutions of ``ontology/reference/resolutions.yaml`` with their lineage;
3. ``graph/document/<slug>``: one per corpus document (see :mod:`mandategraph.graph.ingest`),
   then ``graph/registry``: what the documents say together about the paragraphs
   (:mod:`mandategraph.graph.mandates`);
4. ``graph/inferred``: class memberships entailed by HermiT over all of the above,
   so that plain SPARQL (``?x a mg:Organization``) sees them.

A document that fails is reported and skipped; the documents already stored stay.
Steps 1-3 mark the inferred graph stale before they write and step 4 clears the mark
(:meth:`mandategraph.graph.store.Store.mark_inferred_stale`), so a build that is killed, or runs
without reasoning, leaves a store that says so; the next build with reasoning repairs it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from mandategraph.errors import MandategraphError
from mandategraph.graph.extraction.readers import Document, read_document
from mandategraph.graph.ingest import IngestResult, corpus_files, ingest_document
from mandategraph.graph.mandates import refresh_registry
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from mandategraph.ontology.registry import Registry

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    """What a build did."""

    ontology_triples: int = 0
    reference_triples: int = 0
    inferred_triples: int = 0
    registry_triples: int = 0
    documents: list[IngestResult] = field(default_factory=list)
    failures: list[tuple[Path, MandategraphError]] = field(default_factory=list)
    reasoned: bool = False
    seconds: float = 0.0


def load_vocabulary(store: Store, *, registry: Registry | None = None) -> tuple[int, int]:
    """Write the ontology and the reference data into their named graphs.

    Args:
        store: an open, writable store.
        registry: the reference data (default: the registry of ``ontology/reference``;
            the curation overlay adds accepted organizations to it).

    Returns:
        The triple counts of the ontology graph and of the reference graph.
    """
    from mandategraph.ontology.loader import ontology_graph
    from mandategraph.ontology.registry import load_registry
    from mandategraph.ontology.resolutions import resolutions_graph

    store.mark_inferred_stale()
    ontology = store.replace_graph(ONTOLOGY_GRAPH, ontology_graph())
    reference_data = (registry or load_registry()).to_graph()
    for triple in resolutions_graph():
        reference_data.add(triple)
    reference = store.replace_graph(REFERENCE_GRAPH, reference_data)
    return ontology, reference


def materialize_inferences(store: Store) -> int:
    """Run HermiT over everything stored and write the inferred class memberships.

    Clears the store's stale mark once the inferred graph is written.

    Raises:
        mandategraph.errors.ValidationError: the data makes the ontology inconsistent.

    Returns:
        The number of inferred triples written to ``graph/inferred``.
    """
    from mandategraph.ontology.reasoning import infer

    data = Graph()
    for counted in store.graphs():
        if counted.graph != str(INFERRED_GRAPH):
            for triple in store.triples(URIRef(counted.graph)):
                data.add(triple)
    inferred = infer(data)
    written = store.replace_graph(INFERRED_GRAPH, inferred)
    store.mark_inferred_current()
    return written


def build(
    store: Store,
    *,
    corpus: Path,
    validate: bool = True,
    reason: bool = True,
    progress: Progress | None = None,
    max_document_bytes: int | None = None,
    registry: Registry | None = None,
) -> BuildReport:
    """Build the whole graph from the ontology, the registry and a corpus folder.

    Args:
        store: an open, writable store.
        corpus: folder of documents (``.txt``, ``.md``, ... with optional ``.yaml``
            sidecars).
        validate: check each document graph against the SHACL shapes.
        reason: materialize HermiT's inferences (needs Java).
        progress: called with a short message before each step.
        max_document_bytes: the largest document read (see
            :func:`mandategraph.graph.extraction.readers.check_size`).
        registry: the registry to extract with and to store as reference data
            (default: the reference registry).

    Raises:
        mandategraph.errors.DocumentError: the corpus folder does not exist.
    """
    started = time.perf_counter()
    say = progress or (lambda _message: None)
    report = BuildReport()
    files = corpus_files(corpus)
    say("ontology and reference data")
    report.ontology_triples, report.reference_triples = load_vocabulary(store, registry=registry)
    documents: list[Document] = []
    for path in files:
        try:
            documents.append(read_document(path, max_bytes=max_document_bytes))
        except MandategraphError as exc:
            report.failures.append((path, exc))
    # Resolutions first, so that reports citing them can be checked against their text.
    documents.sort(key=lambda d: (d.kind != "resolution", d.path.name))
    for document in documents:
        say(f"document {document.path.name}")
        try:
            report.documents.append(
                ingest_document(store, document, validate=validate, registry=registry)
            )
        except MandategraphError as exc:
            report.failures.append((document.path, exc))
    say("mandate registry")
    report.registry_triples = refresh_registry(store)
    if reason:
        from mandategraph.ontology.reasoning import java_available

        if java_available():
            say("reasoning (HermiT)")
            report.inferred_triples = materialize_inferences(store)
            report.reasoned = True
    report.seconds = time.perf_counter() - started
    return report
