"""Ingest many documents across cores: extraction in a process pool, writes in one place.

``mandategraph ingest --workers N FILES...`` (``--workers 0``: every core) runs here:

* each worker process reads, extracts and (with ``validate``) checks one document
  against the SHACL shapes and the reference graph it was given at start, and sends the
  graph back as N-Triples; the parent writes it, replacing the document's named graph in
  one store call (one transaction on the embedded store), so a document is either
  stored whole or not at all;
* **resumable**: each stored document graph carries the SHA-256 of its file
  (:data:`CONTENT_HASH`); a file whose hash is already stored is skipped, so running the
  same command again after a crash (even a SIGKILL) finishes the rest; ``force``
  ingests them all again;
* a document that fails is reported and the others go on;
* ``progress`` is told after each document, with the documents per second so far.

Citations are checked against the resolutions stored when the run starts (documents of
the same run are extracted side by side, so they cannot see each other).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from mandategraph.errors import MandategraphError
from mandategraph.graph.ingest import IngestResult, known_paragraphs
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import REFERENCE_GRAPH, document_graph, document_iri

#: The predicate that records, in a document's own graph, the SHA-256 of its file.
CONTENT_HASH = URIRef("urn:mandategraph:contentHash")

Progress = Callable[[int, int, float, str], None]


@dataclass
class ParallelReport:
    """What a parallel ingest did."""

    stored: list[IngestResult] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    failures: list[tuple[Path, MandategraphError]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        """Documents stored per second of the whole run."""
        return len(self.stored) / self.seconds if self.seconds else 0.0


def content_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def stored_hashes(store: Store) -> set[str]:
    """The content hashes recorded in the store's document graphs."""
    rows = store.query(f"SELECT ?h WHERE {{ GRAPH ?g {{ ?g <{CONTENT_HASH}> ?h }} }}")
    return {row["h"].value for row in rows}  # type: ignore[union-attr, index]


# -- the worker side --------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _start_worker(reference_nt: str, known: dict[str, set[str]], validate: bool,
                  max_bytes: int | None) -> None:
    reference = Graph()
    reference.parse(data=reference_nt, format="nt")
    _WORKER.update(reference=reference, known=known, validate=validate, max_bytes=max_bytes)


def _extract_one(path: str) -> tuple[str, Any]:
    """Read, extract and check one document (in a worker process).

    Returns ``("ok", record)`` or ``("error", (error class name, message))``.
    """
    from mandategraph.graph.extraction.readers import read_document
    from mandategraph.graph.ingest import extract_document

    try:
        document = read_document(Path(path), max_bytes=_WORKER["max_bytes"])
        data = extract_document(document, known=_WORKER["known"])
        if _WORKER["validate"]:
            from mandategraph.ontology.loader import ontology_graph
            from mandategraph.ontology.validation import validate

            combined = Graph()
            for triple in data:
                combined.add(triple)
            for triple in _WORKER["reference"]:
                combined.add(triple)
            validate(combined, ontology=ontology_graph()).raise_for_violations()
    except MandategraphError as exc:
        return "error", (type(exc).__name__, exc.message)
    except Exception as exc:  # a bug must be reported for this document, not stop the run
        return "error", ("ExtractionError", f"{path}: {type(exc).__name__}: {exc}")
    record = {
        "slug": document.slug, "language": document.language, "kind": document.kind,
        "warnings": list(getattr(document, "warnings", []) or []),
        "nt": data.serialize(format="nt"),
    }
    return "ok", record


def _error(name: str, message: str) -> MandategraphError:
    from mandategraph import errors

    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, MandategraphError):
        return cls(message)
    return MandategraphError(message)


# -- the parent side --------------------------------------------------------------------


def ingest_many(
    store: Store,
    paths: list[Path],
    *,
    workers: int | None = None,
    force: bool = False,
    validate: bool = True,
    max_document_bytes: int | None = None,
    progress: Progress | None = None,
    on_stored: Callable[[IngestResult], None] | None = None,
) -> ParallelReport:
    """Ingest ``paths`` with extraction on ``workers`` processes (``None``/0: every core).

    Args:
        store: an open, writable store holding the vocabulary graphs.
        paths: document files.
        workers: worker processes.
        force: ingest files whose content hash is already stored, too.
        validate: check the SHACL shapes (in the workers).
        max_document_bytes: the largest document read.
        progress: called after each document with (done, total, documents per second,
            file name).
        on_stored: called with each stored document's result, as soon as it is written.

    Returns:
        What was stored, skipped and failed (a failure never stops the others).
    """
    started = time.perf_counter()
    report = ParallelReport()
    hashes = {path: content_hash(path) for path in paths}
    done_before = set() if force else stored_hashes(store)
    todo = []
    for path in paths:
        if hashes[path] in done_before:
            report.skipped.append(path)
        else:
            todo.append(path)
    total = len(paths)
    count = len(report.skipped)
    if not todo:
        report.seconds = time.perf_counter() - started
        return report
    reference_nt = Graph()
    for triple in store.triples(REFERENCE_GRAPH):
        reference_nt.add(triple)
    processes = workers or os.cpu_count() or 1
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    store.mark_inferred_stale()
    with ProcessPoolExecutor(
        max_workers=min(processes, len(todo)), mp_context=context,
        initializer=_start_worker,
        initargs=(reference_nt.serialize(format="nt"), known_paragraphs(store), validate,
                  max_document_bytes),
    ) as pool:
        futures: dict[Future[tuple[str, Any]], Path] = {
            pool.submit(_extract_one, str(path)): path for path in todo
        }
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                path = futures[future]
                try:
                    status, value = future.result()
                except BrokenProcessPool as exc:  # a worker died (out of memory, killed)
                    status, value = "error", ("ExtractionError", f"{path}: worker died: {exc}")
                if status == "ok":
                    result = _store_one(store, path, value, hashes[path])
                    report.stored.append(result)
                    if on_stored is not None:
                        on_stored(result)
                else:
                    report.failures.append((path, _error(*value)))
                count += 1
                elapsed = time.perf_counter() - started
                if progress is not None:
                    progress(count, total, len(report.stored) / elapsed if elapsed else 0.0,
                             path.name)
    report.seconds = time.perf_counter() - started
    return report


def _store_one(store: Store, path: Path, record: dict[str, Any], digest: str) -> IngestResult:
    """Write one extracted document, its content hash inside its own graph."""
    data = Graph()
    data.parse(data=record["nt"], format="nt")
    graph_iri = document_graph(record["slug"])
    data.add((graph_iri, CONTENT_HASH, Literal(digest)))
    written = store.replace_graph(graph_iri, data)
    return IngestResult(
        slug=record["slug"], path=path, document=str(document_iri(record["slug"])),
        graph=str(graph_iri), triples=written - 1, language=record["language"],
        kind=record["kind"], warnings=record["warnings"],
    )
