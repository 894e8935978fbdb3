"""Ingest many documents across cores or machines: extraction in worker processes (a
process pool, or a Dask cluster), writes in one place and in batches.

``mandategraph ingest FILES...`` runs here (every core by default, ``--workers N``;
``--scheduler tcp://host:port`` for a ``dask.distributed`` cluster):

* documents go to the workers in chunks of :data:`CHUNK`; a worker reads, extracts and
  (with ``validate``) checks the SHACL shapes of a whole chunk at once, against the
  reference graph it was given once (a chunk that breaks a shape is checked again
  document by document, so only the documents at fault fail), and sends back each
  document's graph as N-Quads bytes, and apart from them the N-Quad of its content hash;
* the parent writes new documents :data:`WRITE_BATCH` at a time (each chunk as it
  comes, in a run of fewer than four batches) with the store's bulk loader
  (:meth:`~mandategraph.graph.store.Store.replace_graphs`), then their content hashes in
  one transaction; a document already stored is replaced in a transaction of its own;
* **resumable**: each stored document graph carries the SHA-256 of its file
  (:data:`CONTENT_HASH`), written last; a file whose hash is already stored is skipped,
  so running the same command again after a crash (even a SIGKILL) finishes the rest,
  and replaces (in a transaction) any graph the crash left without its hash; ``force``
  ingests them all again;
* a document that fails is reported and the others go on;
* ``progress`` is told after each document, with the documents per second so far.

Citations are checked against the resolutions stored when the run starts (documents of
the same run are extracted side by side, so they cannot see each other).

On a Dask cluster the workers get the files' bytes (not their paths), so they need no
shared file system, only ``mandategraph`` installed.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from mandategraph.errors import MandategraphError
from mandategraph.graph.extraction.rdf_builder import NTriples
from mandategraph.graph.ingest import IngestResult, known_paragraphs
from mandategraph.graph.store import Store, quads_of
from mandategraph.ontology.namespaces import REFERENCE_GRAPH, document_graph, document_iri
from mandategraph.ontology.registry import Registry

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
    def failures_paths(self) -> list[Path]:
        """The files that failed."""
        return [path for path, _error in self.failures]

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

#: Documents per task sent to a worker.
CHUNK = 16
#: Most documents the parent writes at once (a bulk load, then one transaction of their
#: hashes): fewer, larger loads cost the store less (on 1,000 generated reports the
#: parent's CPU went 29 s -> 21 s -> 15 s with 16, 64 and 128 documents per write).
WRITE_BATCH = 128

_WORKER: dict[str, Any] = {}

#: What a worker needs: reference graph (N-Triples), known paragraphs, validate, max bytes,
#: and the registry to resolve names with (the curation overlay's; None: the reference one).
Setup = tuple[str, dict[str, set[str]], bool, "int | None", "Registry | None"]


def _start_worker(*setup: Any) -> None:
    """Parse the reference graph once per worker process (pool initializer)."""
    # what changes from one run to the next on a long-lived (Dask) worker
    _WORKER.update(known=setup[1], validate=setup[2], max_bytes=setup[3], registry=setup[4])
    token = hash(setup[0])
    if _WORKER.get("token") != token:
        reference = Graph()
        reference.parse(data=setup[0], format="nt")
        _WORKER.update(token=token, reference=reference, reference_nt=setup[0])


def _start_worker_from(path: str) -> None:
    """:func:`_start_worker` with the set-up read from a pickle file (pool initializer).

    A spawned process reads its initializer's arguments only after importing the main
    module; arguments larger than a pipe's buffer (the set-up pickles to about 300 KB)
    hold the parent until then, and the next worker is started only after that (3.7 s a
    worker while the CLI imported spaCy). A file's name is read at once.
    """
    with open(path, "rb") as handle:
        _start_worker(*pickle.load(handle))


def _shapes_error(graph: Graph) -> MandategraphError | None:
    """The violation of the shapes by one document graph, if any (pySHACL's report)."""
    from mandategraph.ontology.validation import validate

    combined = Graph()
    for triple in graph:
        combined.add(triple)
    for triple in _WORKER["reference"]:
        combined.add(triple)
    try:
        # the default ontology: its class hierarchy is computed once per process
        validate(combined, inplace=True).raise_for_violations()
    except MandategraphError as exc:
        return exc
    return None


def shape_failures(texts: list[bytes]) -> dict[int, MandategraphError]:
    """The document graphs (N-Triples ``texts``, by index) that break a shape, in a worker
    set up by :func:`_start_worker`.

    All of them are checked at once by rudof
    (:func:`~mandategraph.ontology.validation.conforms`); only when that finds a
    violation is each one parsed and checked alone by pySHACL, for its report.
    The bulk ingest passes the facts of each document without their reified statements
    (:class:`~mandategraph.graph.extraction.rdf_builder.NTriples`): no shape targets a
    statement or reaches one by a path, so the answer is the same for a third of the
    reading and checking.
    """
    from mandategraph.ontology.validation import conforms

    if not texts or conforms(b"".join(texts).decode("utf-8"), context=_WORKER["reference_nt"]):
        return {}
    failed = {}
    for index, text in enumerate(texts):
        error = _shapes_error(Graph().parse(data=text, format="nt"))
        if error is not None:
            failed[index] = error
    return failed


def _stamp(graph_iri: URIRef, digest: str) -> bytes:
    """The N-Quad that records a document's content hash in its graph."""
    return f"<{graph_iri}> <{CONTENT_HASH}> {Literal(digest).n3()} <{graph_iri}> .\n".encode()


#: One task item: file name or path, its content hash, and its bytes (None: read the path).
Item = tuple[str, str, "bytes | None"]


def extract_chunk(items: list[Item], setup: Setup | None = None) -> list[tuple[str, Any]]:
    """Read, extract and check a chunk of documents (in a worker).

    The garbage collector is paused over the whole chunk and run once after it; after
    the first chunk, what the worker keeps (the matchers, the registry) is frozen out
    of later collections (``gc.freeze``). Both save about a fifth of a document's time.

    Args:
        items: (path, content hash, bytes or None) of each document; with bytes, the
            document is read from a copy of them under the same file name.
        setup: given on a Dask worker (a process pool calls the initializer instead).

    Returns:
        For each item, ``("ok", record)`` or ``("error", (error class name, message))``.
    """
    from mandategraph.graph.extraction.extract import collector_paused

    if setup is not None:
        _start_worker(*setup)
    with collector_paused:
        results = _extract_chunk(items)
    gc.collect()
    if not _WORKER.get("frozen"):
        gc.freeze()
        _WORKER["frozen"] = True
    return results


def _extract_chunk(items: list[Item]) -> list[tuple[str, Any]]:
    from mandategraph.graph.extraction.readers import read_document
    from mandategraph.graph.ingest import extract_document_ntriples

    results: list[tuple[str, Any]] = []
    extracted: list[tuple[int, NTriples, Any]] = []  # position, N-Triples, document
    with tempfile.TemporaryDirectory(prefix="mandategraph-") as scratch:
        for position, (name, _digest, data) in enumerate(items):
            path = Path(name)
            try:
                if data is not None:  # the same name: the slug is the file's
                    path = Path(scratch) / str(position) / path.name
                    path.parent.mkdir()
                    path.write_bytes(data)
                document = read_document(path, max_bytes=_WORKER["max_bytes"])
                written = extract_document_ntriples(
                    document, known=_WORKER["known"], registry=_WORKER["registry"])
                extracted.append((position, written, document))
                results.append(("pending", None))
            except MandategraphError as exc:
                results.append(("error", (type(exc).__name__, exc.message)))
            except Exception as exc:  # a bug must be reported for this document only
                results.append(("error", ("ExtractionError",
                                          f"{name}: {type(exc).__name__}: {exc}")))
    failed: dict[int, MandategraphError] = {}
    if _WORKER["validate"]:
        found = shape_failures([written.facts for _p, written, _d in extracted])
        failed = {extracted[i][0]: error for i, error in found.items()}
    for position, written, document in extracted:
        if position in failed:
            error = failed[position]
            results[position] = ("error", (type(error).__name__,
                                           f"{items[position][0]}: {error.message}"))
            continue
        graph_iri = document_graph(document.slug)
        results[position] = ("ok", {
            "slug": document.slug, "language": document.language, "kind": document.kind,
            "warnings": list(getattr(document, "warnings", []) or []),
            "nq": quads_of(graph_iri, written.text),
            "stamp": _stamp(graph_iri, items[position][1]), "triples": written.triples,
        })
    return results


def _error(name: str, message: str) -> MandategraphError:
    from mandategraph import errors

    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, MandategraphError):
        return cls(message)
    return MandategraphError(message)


def default_workers() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # no affinity on this platform
        return os.cpu_count() or 1


# -- the parent side --------------------------------------------------------------------


def ingest_many(
    store: Store,
    paths: list[Path],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    validate: bool = True,
    max_document_bytes: int | None = None,
    chunk: int = CHUNK,
    progress: Progress | None = None,
    on_stored: Callable[[IngestResult], None] | None = None,
    registry: Registry | None = None,
) -> ParallelReport:
    """Ingest ``paths`` with extraction on ``workers`` processes or a Dask cluster.

    Args:
        store: an open, writable store holding the vocabulary graphs.
        paths: document files.
        workers: worker processes (``None``/0: every core, see :func:`default_workers`).
        scheduler: a ``dask.distributed`` scheduler address (``tcp://host:port``); then
            the cluster's workers extract, and ``workers`` is not used.
        force: ingest files whose content hash is already stored, too.
        validate: check the SHACL shapes (in the workers, a chunk at a time).
        max_document_bytes: the largest document read.
        chunk: documents per task and per write transaction.
        progress: called after each document with (done, total, documents per second,
            file name).
        on_stored: called with each stored document's result, as soon as it is written.
        registry: the registry the workers resolve names with (the curation overlay's,
            see :mod:`mandategraph.graph.curation`); the reference registry by default.

    Returns:
        What was stored, skipped and failed (a failure never stops the others).

    Raises:
        mandategraph.errors.StoreError: the Dask scheduler cannot be reached.
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
    counted = [len(report.skipped)]
    if not todo:
        report.seconds = time.perf_counter() - started
        return report
    reference_nt = Graph()
    for triple in store.triples(REFERENCE_GRAPH):
        reference_nt.add(triple)
    setup: Setup = (reference_nt.serialize(format="nt"), known_paragraphs(store), validate,
                    max_document_bytes, registry)
    store.mark_inferred_stale()

    waiting: tuple[list[Path], list[tuple[str, Any]]] = ([], [])

    def write() -> None:
        batch, results = waiting
        stored = _store_chunk(store, batch, results, report, checked=validate)
        for result in stored:
            if on_stored is not None:
                on_stored(result)
        for path in batch:
            counted[0] += 1
            elapsed = time.perf_counter() - started
            if progress is not None:
                progress(counted[0], total, len(report.stored) / elapsed if elapsed else 0.0,
                         path.name)
        batch.clear()
        results.clear()

    def finished(batch: list[Path], results: list[tuple[str, Any]]) -> None:
        waiting[0].extend(batch)
        waiting[1].extend(results)
        if len(waiting[0]) >= write_batch:
            write()

    # a run of fewer than 4 write batches is written chunk by chunk, as it comes
    write_batch = WRITE_BATCH if len(todo) >= 4 * WRITE_BATCH else 1
    if scheduler is not None:
        _run_on_dask(scheduler, todo, chunk, hashes, setup, finished)
    else:
        processes = min(workers or default_workers(), len(todo))
        _run_in_pool(processes, split(todo, chunk, processes), hashes, setup, finished)
    if waiting[0]:
        write()
    report.seconds = time.perf_counter() - started
    return report


def split(todo: list[Path], chunk: int, parallelism: int) -> list[list[Path]]:
    """Chunks of at most ``chunk`` documents, and at least four per worker (a small
    batch is spread over every worker, and stored as it comes)."""
    size = max(1, min(chunk, -(-len(todo) // (parallelism * 4))))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def _run_in_pool(processes: int, chunks: list[list[Path]], hashes: dict[Path, str],
                 setup: Setup,
                 finished: Callable[[list[Path], list[tuple[str, Any]]], None]) -> None:
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    with tempfile.TemporaryDirectory(prefix="mandategraph-") as scratch:
        setup_file = Path(scratch) / "setup.pickle"
        setup_file.write_bytes(pickle.dumps(setup))
        _run_pool(context, processes, str(setup_file), chunks, hashes, finished)


def _run_pool(context: Any, processes: int, setup_file: str, chunks: list[list[Path]],
              hashes: dict[Path, str],
              finished: Callable[[list[Path], list[tuple[str, Any]]], None]) -> None:
    with ProcessPoolExecutor(max_workers=processes, mp_context=context,
                             initializer=_start_worker_from, initargs=(setup_file,)) as pool:
        futures: dict[Future[list[tuple[str, Any]]], list[Path]] = {
            pool.submit(extract_chunk, [(str(p), hashes[p], None) for p in batch]): batch
            for batch in chunks
        }
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                batch = futures[future]
                try:
                    results = future.result()
                except BrokenProcessPool as exc:  # a worker died (out of memory, killed)
                    results = [("error", ("ExtractionError", f"{p}: worker died: {exc}"))
                               for p in batch]
                finished(batch, results)


def _run_on_dask(scheduler: str, todo: list[Path], chunk: int, hashes: dict[Path, str],
                 setup: Setup,
                 finished: Callable[[list[Path], list[tuple[str, Any]]], None]) -> None:
    from mandategraph.errors import StoreError

    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # the optional extra is missing
        raise StoreError("--scheduler needs dask.distributed: pip install "
                         "'mandategraph[dask]'") from exc
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise StoreError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    with client:
        threads = sum(client.nthreads().values()) or 1
        shared = client.scatter(setup, broadcast=True)
        futures = {}
        for batch in split(todo, chunk, threads):
            items = [(p.name, hashes[p], p.read_bytes()) for p in batch]
            future = client.submit(extract_chunk, items, shared, pure=False)
            futures[future] = batch
        for future in as_completed(list(futures)):
            batch = futures[future]
            try:
                results = future.result()
            except Exception as exc:  # the task died on its worker: its documents fail
                results = [("error", ("ExtractionError", f"{p}: worker failed: {exc}"))
                           for p in batch]
            finished(batch, results)


def _store_chunk(store: Store, batch: list[Path], results: list[tuple[str, Any]],
                 report: ParallelReport, *, checked: bool) -> list[IngestResult]:
    """Write the extracted documents of a batch of chunks (:meth:`Store.replace_graphs`,
    the new ones with the bulk loader, then their content hashes in one transaction: a
    document is stored, and skipped by the next run, once its hash is). ``checked``: the
    workers read the facts strictly (the shapes check), and the statements are the same
    terms written by the same writer, under IRIs of the document's IRI and a hexadecimal
    digest, so the loader need not read them strictly again."""
    writes: dict[URIRef, bytes] = {}
    stamps: dict[URIRef, bytes] = {}
    stored: list[IngestResult] = []
    for path, (status, value) in zip(batch, results, strict=True):
        if status != "ok":
            report.failures.append((path, _error(*value)))
            continue
        graph_iri = document_graph(value["slug"])
        # two files of one name in a chunk: the later one replaces the earlier, as one by one
        writes[graph_iri] = value["nq"]
        stamps[graph_iri] = value["stamp"]
        stored.append(IngestResult(
            slug=value["slug"], path=path, document=str(document_iri(value["slug"])),
            graph=str(graph_iri), triples=value["triples"], language=value["language"],
            kind=value["kind"], warnings=value["warnings"],
        ))
    store.replace_graphs(list(writes.items()), stamps=stamps, bulk=True, lenient=checked)
    report.stored.extend(stored)
    return stored
