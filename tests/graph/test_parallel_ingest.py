"""Ingest across cores: ``ingest --workers`` stores every document once, skips those
already stored with the same content, goes on past a failure, and resumes after a
SIGKILL with no duplicate and no document half-stored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mandategraph.graph.parallel_ingest import CONTENT_HASH
from mandategraph.graph.store import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
SOURCES = [ROOT / "tests" / "data" / "en-report-cicad-eastern-caribbean-2012.txt",
           ROOT / "tests" / "data" / "es-informe-dsp-centroamerica-2013.txt"]
PATIENCE = 900  # seconds a run may take before the test gives up (not a timing assertion)


def batch(folder: Path, copies: int) -> list[Path]:
    """``copies`` distinct documents per source (one line added), in ``folder``."""
    folder.mkdir()
    made = []
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        for i in range(copies):
            path = folder / f"{source.stem}-{i}.txt"
            path.write_text(f"{text}\nCopy {i}.\n", encoding="utf-8")
            made.append(path)
    return made


def command(store: Path, files: list[Path], *extra: str) -> list[str]:
    return [sys.executable, "-m", "mandategraph.api.cli", "--store", str(store), "ingest",
            *map(str, files), "--workers", "2", "--no-reason", *extra]


def stored(store: Path) -> dict[str, tuple[int, list[str]]]:
    """Each document graph: its triple count and its content hashes."""
    with Store.open(store, read_only=True) as opened:
        counts = {g.graph: g.triples for g in opened.graphs() if "/document/" in g.graph}
        rows = opened.query(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{CONTENT_HASH}> ?h }} }}")
        hashes: dict[str, list[str]] = {}
        for row in rows:  # type: ignore[union-attr]
            hashes.setdefault(row["g"].value, []).append(row["h"].value)  # type: ignore[index]
    return {g: (n, hashes.get(g, [])) for g, n in counts.items()}


def printed(output: str) -> dict[str, int]:
    """Graph -> triples, from the lines ``name: N triples into <graph> ...``."""
    found = {}
    for line in output.splitlines():
        if " triples into <" in line:
            count = int(line.split(": ", 1)[1].split(" ", 1)[0])
            found[line.split("<", 1)[1].split(">", 1)[0]] = count
    return found


def test_a_killed_parallel_ingest_resumes_with_no_duplicate_and_nothing_half_stored(
    tmp_path: Path,
) -> None:
    files = batch(tmp_path / "docs", 3)
    store = tmp_path / "store"
    env = {**os.environ, "COLUMNS": "400"}
    env.pop("MANDATEGRAPH_STORE", None)
    process = subprocess.Popen(command(store, files), cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    assert process.stdout is not None
    first_run = ""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        first_run += line
        if " triples into <" in line or not line:
            break
    os.killpg(process.pid, signal.SIGKILL)  # the parent and its worker processes
    process.wait(timeout=60)
    assert " triples into <" in first_run, "the run was killed before storing anything"

    after_kill = stored(store)
    # a document counts as stored once its hash is (written after its graph): the kill
    # may fall between the two, and the next run must replace such a graph
    sealed = {graph: count for graph, (count, hashes) in after_kill.items() if hashes}
    assert 0 < len(sealed) < len(files), "the kill did not land half-way"
    for graph, (count, hashes) in after_kill.items():
        assert len(hashes) <= 1, graph
        if hashes and graph in printed(first_run):
            assert count - 1 == printed(first_run)[graph]

    second = subprocess.run(command(store, files), cwd=ROOT, env=env, text=True,
                            capture_output=True, timeout=PATIENCE)
    assert second.returncode == 0, second.stderr
    assert second.stderr.count("already stored with the same content") == len(sealed)
    final = stored(store)
    assert len(final) == len(files)
    assert all(len(hashes) == 1 for _count, hashes in final.values())
    assert len({hashes[0] for _count, hashes in final.values()}) == len(files)
    again = printed(second.stdout)
    assert len(again) == len(files) - len(sealed)
    for graph, count in again.items():
        assert graph not in sealed  # nothing stored twice
        assert final[graph][0] - 1 == count  # whole, even where the kill left a part
    for graph, count in sealed.items():
        assert final[graph][0] == count  # left as it was


def test_a_graph_left_without_its_hash_is_replaced_whole_by_the_next_run(
    tmp_path: Path,
) -> None:
    from rdflib import URIRef

    from mandategraph.graph.build import load_vocabulary
    from mandategraph.graph.parallel_ingest import ingest_many
    from mandategraph.ontology.namespaces import document_graph

    files = batch(tmp_path / "docs", 1)
    clean = Store.open(tmp_path / "clean")
    load_vocabulary(clean)
    assert len(ingest_many(clean, files, workers=1).stored) == len(files)
    whole = {g.graph: g.triples for g in clean.graphs() if "/document/" in g.graph}
    # what a crash between the bulk load and the hashes leaves: part of a graph, no hash
    name = URIRef(str(document_graph(files[0].stem)))
    part = [(s, p, o) for s, p, o in clean.triples(name) if p != CONTENT_HASH][:40]
    crashed = Store.open(tmp_path / "crashed")
    load_vocabulary(crashed)
    crashed.replace_graph(name, part)
    report = ingest_many(crashed, files, workers=1)
    assert report.skipped == [] and len(report.stored) == len(files)
    assert {g.graph: g.triples for g in crashed.graphs() if "/document/" in g.graph} == whole


def test_a_failing_document_does_not_stop_the_others_and_force_reingests(
    tmp_path: Path,
) -> None:
    files = batch(tmp_path / "docs", 1)
    broken = tmp_path / "docs" / "empty.txt"
    broken.write_text("", encoding="utf-8")
    store = tmp_path / "store"
    env = {**os.environ, "COLUMNS": "400"}
    env.pop("MANDATEGRAPH_STORE", None)
    first = subprocess.run(command(store, [broken, *files]), cwd=ROOT, env=env, text=True,
                           capture_output=True, timeout=PATIENCE)
    assert first.returncode == 0, first.stderr
    assert "failed empty.txt" in first.stderr
    assert len(stored(store)) == len(files)
    again = subprocess.run(command(store, files, "--force"), cwd=ROOT, env=env, text=True,
                           capture_output=True, timeout=PATIENCE)
    assert again.returncode == 0, again.stderr
    assert len(printed(again.stdout)) == len(files)
    assert "already stored" not in again.stderr
    assert f"{len(files)} stored, 0 skipped, 0 failed" in again.stderr


def set_up_worker_here() -> None:
    """Set this process up as a worker (with the reference graph of a fresh store)."""
    from rdflib import Graph

    from mandategraph.graph.build import load_vocabulary
    from mandategraph.graph.parallel_ingest import _start_worker
    from mandategraph.ontology.namespaces import REFERENCE_GRAPH

    store = Store.open("memory")
    load_vocabulary(store)
    reference = Graph()
    for triple in store.triples(REFERENCE_GRAPH):
        reference.add(triple)
    _start_worker(reference.serialize(format="nt"), {}, True, None, None)


def test_a_chunk_that_breaks_a_shape_fails_only_the_documents_at_fault(tmp_path: Path) -> None:
    from rdflib import Graph

    from mandategraph.graph.extraction.readers import read_document
    from mandategraph.graph.ingest import extract_document
    from mandategraph.graph.parallel_ingest import shape_failures

    set_up_worker_here()
    good = [extract_document(read_document(source)) for source in SOURCES]
    broken = Graph().parse(ROOT / "tests" / "data" / "broken-activity.ttl")
    from mandategraph.errors import ValidationError

    good_nt, broken_nt = ([g.serialize(format="nt", encoding="utf-8") for g in good],
                          broken.serialize(format="nt", encoding="utf-8"))
    assert shape_failures(good_nt) == {}
    failed = shape_failures([good_nt[0], broken_nt, good_nt[1]])
    assert list(failed) == [1]
    assert isinstance(failed[1], ValidationError)
    # pySHACL's report of the document at fault
    assert "every activity needs at least one theme" in failed[1].message


def test_the_shapes_check_of_the_facts_alone_answers_as_of_the_whole_graph() -> None:
    # the bulk ingest checks each document's facts without their reified statements
    from rdflib.namespace import RDF

    from mandategraph.graph.extraction.readers import read_document
    from mandategraph.graph.ingest import extract_document_ntriples
    from mandategraph.graph.parallel_ingest import shape_failures
    from mandategraph.ontology.namespaces import MG
    from mandategraph.ontology.validation import shapes_graph

    # no shape targets a statement or follows a path through one
    used = {term for triple in shapes_graph() for term in triple}
    assert not used & {RDF.Statement, RDF.subject, RDF.predicate, RDF.object}

    set_up_worker_here()
    for source in SOURCES:
        written = extract_document_ntriples(read_document(source))
        assert written.statements  # the part left out is there
        assert shape_failures([written.facts]) == shape_failures([written.text]) == {}
        # text spans without their start break a shape, with or without the statements
        start = f" <{MG.startOffset}> ".encode()
        broken = b"".join(line for line in written.facts.splitlines(keepends=True)
                          if start not in line)
        assert broken != written.facts
        for text in (broken, broken + written.statements):
            failed = shape_failures([text])
            assert list(failed) == [0]
            assert "every text span needs exactly one mg:startOffset" in failed[0].message


def test_documents_written_in_batches_are_those_written_chunk_by_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mandategraph.graph import parallel_ingest
    from mandategraph.graph.build import load_vocabulary

    files = batch(tmp_path / "docs", 4)  # 8 documents
    seen = {}
    for write_batch in (1000, 2):  # 8 < 4 x 1000: chunk by chunk; then batches of 2
        monkeypatch.setattr(parallel_ingest, "WRITE_BATCH", write_batch)
        store = Store.open(tmp_path / f"store-{write_batch}")
        load_vocabulary(store)
        told: list[int] = []
        written: list[str] = []
        report = parallel_ingest.ingest_many(
            store, files, workers=1, chunk=3,
            progress=lambda done, _total, _rate, _name, told=told: told.append(done),
            on_stored=lambda result, written=written: written.append(result.graph))
        assert len(report.stored) == len(files) and not report.failures
        assert told == list(range(1, len(files) + 1))
        assert sorted(written) == sorted(r.graph for r in report.stored)
        seen[write_batch] = {g.graph: g.triples for g in store.graphs()}
        store.close()
    assert seen[2] == seen[1000]
