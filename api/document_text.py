"""A document's text for its page, and where a quoted span lies in it.

The extraction keeps each document's text as its ``prov:value``; a graph built
without it (older builds, hand-written test graphs) gets the text from the corpus
file whose slug is the document's, read by the same reader the extraction used, so
that the offsets of the spans count the same characters.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import PROV

from mandategraph.api.resources import Reader
from mandategraph.errors import DocumentError
from mandategraph.graph.extraction.readers import read_document, read_sidecar
from mandategraph.graph.ingest import DOCUMENT_SUFFIXES
from mandategraph.ontology.namespaces import slugify


def _slugs(path: Path) -> list[str]:
    """The slugs a corpus file may have been ingested under: its sidecar's, else the
    slug of its stem (with and without a language suffix such as ``.en``)."""
    found = []
    try:
        declared = read_sidecar(path).get("slug")
    except DocumentError:  # a broken sidecar: the name still gives the slug
        declared = None
    if isinstance(declared, str) and declared:
        found.append(declared)
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
            for slug in _slugs(path):
                index.setdefault(slug, path)
    return index


@lru_cache(maxsize=32)
def _read_text(path: str, _stamp: float, max_bytes: int) -> str | None:
    try:
        return read_document(Path(path), max_bytes=max_bytes).text
    except DocumentError:  # unreadable now (or refused): the page shows no text
        return None


def document_text(reader: Reader, iri: str, corpus: Path, *, max_bytes: int) -> str | None:
    """The text of a document: its ``prov:value``, else its file in ``corpus``.

    Args:
        reader: look-ups on the store.
        iri: the document's IRI.
        corpus: the folder the documents were read from.
        max_bytes: the largest document the reader accepts (``0``: no limit).
    """
    value = reader.first(iri, PROV.value)
    if isinstance(value, ox.Literal) and value.value:
        return value.value
    slug = iri.rsplit("/", 1)[-1]
    stamp = corpus.stat().st_mtime if corpus.is_dir() else 0.0
    path = _corpus_index(str(corpus), stamp).get(slug)
    if path is not None and path.is_file():
        return _read_text(str(path), path.stat().st_mtime, max_bytes)
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
