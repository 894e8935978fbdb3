"""Store faults: the engine's errors as one-line StoreErrors, and the stale-inference mark."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from mandategraph.errors import StoreError
from mandategraph.graph.ingest import ingest
from mandategraph.graph.store import STALE_MARKER, Store, is_engine_fault, store_fault
from mandategraph.ontology.namespaces import INFERRED_GRAPH

ROOT = Path(__file__).parents[2]
SMALL = ROOT / "tests" / "data" / "es-informe-dsp-centroamerica-2013.txt"
EX = "http://example.org/"


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (RuntimeError("Corruption: block checksum mismatch: stored = 1, computed = 2"), True),
        (RuntimeError("Corruption: CURRENT file does not end with newline"), True),
        (OSError("IO error: While lock file: /s/LOCK: Resource temporarily unavailable"), True),
        (OSError("IO error: No space left on device"), True),
        (RuntimeError("Invalid argument: /s/CURRENT: does not exist"), True),
        # a failing SERVICE call and plain errors are not the store's fault
        (OSError("The port 1 is not allowed for HTTP(S) because it is dedicated to..."), False),
        (RuntimeError("The variable ?x is not bound"), False),
        (ValueError("Corruption: not a pyoxigraph class"), False),
    ],
)
def test_engine_faults_are_told_from_query_errors(exc: BaseException, expected: bool) -> None:
    assert is_engine_fault(exc) is expected


def test_a_block_checksum_is_damage_not_a_lock() -> None:
    # regression: "block" contains "lock", and a damaged store was reported "in use"
    fault = store_fault(RuntimeError("Corruption: block checksum mismatch\n in 000014.sst"), "/s")
    assert "damaged" in fault.message and "in use" not in fault.message
    assert "\n" not in fault.message
    assert fault.exit_code == 7 and fault.http_status == 503
    locked = store_fault(OSError("IO error: While lock file: /s/LOCK: unavailable"), "/s")
    assert "in use by another process" in locked.message


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store holding three triples, closed (flushed to SST files)."""
    location = tmp_path_factory.mktemp("faults") / "store"
    with Store.open(location) as store:
        store.replace_graph(URIRef(EX + "g"), Graph().parse(
            data=f"<{EX}a> <{EX}p> <{EX}b>, <{EX}c>, <{EX}d> .", format="turtle"))
    return location


@pytest.mark.parametrize("read_only", [False, True])
def test_an_empty_current_file_is_a_damaged_store(
    small_store: Path, tmp_path: Path, read_only: bool
) -> None:
    import shutil

    location = tmp_path / "store"
    shutil.copytree(small_store, location)
    (location / "CURRENT").write_bytes(b"")
    with pytest.raises(StoreError, match="is damaged .*CURRENT") as raised:
        Store.open(location, read_only=read_only)
    assert "\n" not in raised.value.message


def test_a_second_writer_in_one_process_is_in_use(small_store: Path, tmp_path: Path) -> None:
    import shutil

    location = tmp_path / "store"
    shutil.copytree(small_store, location)
    with Store.open(location), pytest.raises(StoreError, match="in use by another process"):
        Store.open(location)


# -- the stale mark of graph/inferred ----------------------------------------------------


def test_a_document_write_marks_the_inferred_graph_stale(tmp_path: Path) -> None:
    location = tmp_path / "store"
    with Store.open(location) as store:
        assert not store.inferred_stale
        assert store.stats()["inferred"] == "absent"
        ingest(store, SMALL, validate=False)
        assert (location / STALE_MARKER).is_file()
        assert store.inferred_stale
        assert store.stats()["inferred"] == "stale"
    # the mark is a file: it outlives the process that wrote it
    with Store.open(location, read_only=True) as reader:
        assert reader.inferred_stale
        assert reader.inferred_state() == "stale"


def test_a_reasoning_pass_clears_the_mark(tmp_path: Path) -> None:
    location = tmp_path / "store"
    with Store.open(location) as store:
        ingest(store, SMALL, validate=False)
        # what materialize_inferences does once the reasoner has run
        triple = (URIRef(EX + "a"), URIRef(EX + "p"), URIRef(EX + "b"))
        store.replace_graph(INFERRED_GRAPH, [triple])
        store.mark_inferred_current()
        assert not (location / STALE_MARKER).exists()
        assert store.stats()["inferred"] == "current"


def test_a_failed_document_does_not_mark_the_store(tmp_path: Path) -> None:
    from mandategraph.errors import MandategraphError

    location = tmp_path / "store"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with Store.open(location) as store:
        with pytest.raises(MandategraphError):
            ingest(store, empty)
        assert not store.inferred_stale


def test_a_memory_store_keeps_the_mark_on_the_object() -> None:
    store = Store.open("memory")
    ingest(store, SMALL, validate=False)
    assert store.inferred_stale and store.stats()["inferred"] == "stale"
    store.mark_inferred_current()
    assert not store.inferred_stale


def test_a_read_only_store_cannot_be_marked(small_store: Path) -> None:
    with Store.open(small_store, read_only=True) as reader, pytest.raises(StoreError):
        reader.mark_inferred_stale()
