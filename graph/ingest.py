"""Ingest: one document file -> its named graph in the store.

A document is read, its facts extracted, the result checked against the SHACL
shapes, and only then written, replacing the document's previous named graph in one
transaction. Any failure before the write leaves the store exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rdflib import Graph

from mandategraph.errors import ExtractionError, MandategraphError
from mandategraph.graph.extraction.rdf_builder import NTriples
from mandategraph.graph.extraction.readers import Document, read_document
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import REFERENCE_GRAPH, document_graph, document_iri
from mandategraph.ontology.registry import Registry

_T = TypeVar("_T")

#: File endings ingested from a corpus folder (sidecars ``.yaml`` are metadata).
DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx")


@dataclass
class IngestResult:
    """What one ingest did."""

    slug: str
    path: Path
    document: str
    graph: str
    triples: int
    language: str
    kind: str
    warnings: list[str] = field(default_factory=list)


def corpus_files(directory: Path) -> list[Path]:
    """The document files of a corpus folder, sorted by name.

    Raises:
        mandategraph.errors.DocumentError: the folder does not exist.
    """
    from mandategraph.errors import DocumentError

    if not directory.is_dir():
        raise DocumentError(f"corpus folder not found: {directory}")
    return sorted(
        p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
    )


#: Operative paragraphs read from the text of resolutions (not merely cited).
KNOWN_PARAGRAPHS = """
SELECT ?symbol ?number WHERE {
  GRAPH ?g { ?document foaf:primaryTopic ?resolution .
             ?paragraph mg:paragraphOf ?resolution ; mg:paragraphNumber ?number . }
  ?resolution skos:notation ?symbol .
}
"""


def known_paragraphs(store: Store) -> dict[str, set[str]]:
    """The paragraph paths of every resolution whose text is in the store, by symbol."""
    known: dict[str, set[str]] = {}
    for row in store.query(KNOWN_PARAGRAPHS):  # type: ignore[union-attr]
        known.setdefault(row["symbol"].value, set()).add(row["number"].value)
    return known


def extract_document(
    document: Document,
    *,
    known: dict[str, set[str]] | None = None,
    registry: Registry | None = None,
) -> Graph:
    """Extract one read document without touching any store.

    Args:
        document: from :func:`mandategraph.graph.extraction.readers.read_document`.
        known: paragraphs of loaded resolutions, to flag citations of missing ones.
        registry: the registry to resolve names with (the curation overlay's, see
            :mod:`mandategraph.graph.curation`); the reference registry by default.

    Raises:
        mandategraph.errors.ExtractionError: extraction failed on readable text.
    """
    from mandategraph.graph.extraction.extract import extract

    return _guarded(document, lambda: extract(document, known_paragraphs=known,
                                              registry=registry))


def extract_document_ntriples(
    document: Document,
    *,
    known: dict[str, set[str]] | None = None,
    registry: Registry | None = None,
) -> NTriples:
    """:func:`extract_document` as N-Triples with their count (no rdflib graph).

    Raises:
        mandategraph.errors.ExtractionError: extraction failed on readable text.
    """
    from mandategraph.graph.extraction.extract import extract_ntriples

    return _guarded(document, lambda: extract_ntriples(document, known_paragraphs=known,
                                                       registry=registry))


def _guarded(document: Document, run: Callable[[], _T]) -> _T:
    """``run()``, any failure but a :class:`MandategraphError` reported as the document's
    extraction error (a bug in a rule must not look like success)."""
    try:
        return run()
    except MandategraphError:
        raise
    except Exception as exc:
        raise ExtractionError(f"{document.path}: extraction failed: {exc}") from exc


def check_shapes(store: Store, data: Graph) -> None:
    """Validate a document graph (with the stored reference data) against the shapes.

    Raises:
        mandategraph.errors.ValidationError: a shape is broken; the message lists each
            violation in plain words.
    """
    from mandategraph.ontology.loader import ontology_graph
    from mandategraph.ontology.validation import validate

    combined = Graph()
    for triple in data:
        combined.add(triple)
    for triple in store.triples(REFERENCE_GRAPH):
        combined.add(triple)
    validate(combined, ontology=ontology_graph()).raise_for_violations()


def ingest(
    store: Store,
    path: Path,
    *,
    lang: str | None = None,
    kind: str | None = None,
    validate: bool = True,
    max_document_bytes: int | None = None,
    registry: Registry | None = None,
) -> IngestResult:
    """Read, extract, check and store one document file, replacing its named graph.

    Args:
        store: an open, writable store.
        path: the document file.
        lang: ``fr``, ``en`` or ``es``; detected from the text when omitted.
        kind: ``report`` or ``resolution``; detected when omitted.
        validate: check the SHACL shapes before writing.
        max_document_bytes: the largest document read (see
            :func:`mandategraph.graph.extraction.readers.check_size`).
        registry: the registry to extract with (default: the reference registry).

    Raises:
        mandategraph.errors.MandategraphError: the document could not be read, extracted or
            validated; nothing was written.
    """
    document = read_document(path, lang=lang, kind=kind, max_bytes=max_document_bytes)
    return ingest_document(store, document, validate=validate, registry=registry)


def ingest_document(
    store: Store, document: Document, *, validate: bool = True, registry: Registry | None = None
) -> IngestResult:
    """Extract, check and store one read document, replacing its named graph.

    Raises:
        mandategraph.errors.MandategraphError: extraction or validation failed; nothing was
            written.
    """
    data = extract_document(document, known=known_paragraphs(store), registry=registry)
    if validate:
        check_shapes(store, data)
    graph_iri = document_graph(document.slug)
    # before the write, so that a process killed after it still leaves the mark
    store.mark_inferred_stale()
    written = store.replace_graph(graph_iri, data)
    return IngestResult(
        slug=document.slug,
        path=document.path,
        document=str(document_iri(document.slug)),
        graph=str(graph_iri),
        triples=written,
        language=document.language,
        kind=document.kind,
        warnings=list(getattr(document, "warnings", []) or []),
    )
