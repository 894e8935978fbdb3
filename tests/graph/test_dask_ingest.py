"""Ingest on a Dask cluster: a real LocalCluster of two worker processes extracts
generated reports through its scheduler address, and the store holds the same triples as
after the process-pool path; a broken document is reported and the others are stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from mandategraph.graph.build import load_vocabulary
from mandategraph.graph.parallel_ingest import CONTENT_HASH, ingest_many
from mandategraph.graph.store import Store
from mandategraph.graph.synthetic_corpus import write_corpus
from tests.support import unavailable

try:
    import distributed
except ImportError:  # the [dask] extra is missing: the fixture below says so
    distributed = None

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _dask_installed() -> None:
    """The [dask] extra (``make install`` installs it): skipped without it, failed in CI."""
    if distributed is None:
        unavailable("dask.distributed (the [dask] extra: pip install -e '.[dask]')")


def document_quads(store: Store) -> dict[str, set[tuple[str, str, str]]]:
    """Each document graph's triples, as text (no blank node in extracted graphs)."""
    found: dict[str, set[tuple[str, str, str]]] = {}
    for graph in store.document_graphs():
        found[graph] = {(str(s), str(p), str(o)) for s, p, o in store.triples(URIRef(graph))}
    return found


def test_a_dask_cluster_ingests_what_the_process_pool_ingests(tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "docs", count=7, seed=4, gold=False)
    broken = tmp_path / "docs" / "broken.txt"
    broken.write_text("", encoding="utf-8")
    files.insert(2, broken)

    on_dask = Store.open(tmp_path / "dask-store")
    load_vocabulary(on_dask)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        report = ingest_many(on_dask, files, scheduler=cluster.scheduler_address)
    assert sorted(p.name for p in report.failures_paths) == ["broken.txt"]
    assert len(report.stored) == 7
    assert {r.kind for r in report.stored} == {"report", "resolution"}
    from_dask = document_quads(on_dask)

    in_pool = Store.open("memory")
    load_vocabulary(in_pool)
    pooled = ingest_many(in_pool, files, workers=2)
    assert len(pooled.stored) == 7
    from_pool = document_quads(in_pool)

    assert len(from_dask) == 7
    assert from_dask == from_pool
    for graph, triples in from_dask.items():
        hashes = [o for s, p, o in triples if p == str(CONTENT_HASH)]
        assert len(hashes) == 1, graph
        assert len(triples) > 100, graph  # a whole document, not a stub

    # again on the same store: every document is already there with the same content
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        again = ingest_many(on_dask, files, scheduler=cluster.scheduler_address)
    assert len(again.skipped) == 7 and not again.stored
    on_dask.close()


def test_ingest_refuses_a_bad_scheduler_address_and_says_when_none_answers(
    tmp_path: Path,
) -> None:
    import socket

    from typer.testing import CliRunner

    from mandategraph.api.cli import app

    files = write_corpus(tmp_path / "docs", count=2, seed=1, gold=False)
    store = tmp_path / "store"
    runner = CliRunner()
    bad = runner.invoke(app, ["--store", str(store), "ingest", *map(str, files),
                              "--scheduler", "localhost:8786", "--no-reason"])
    assert bad.exit_code == 2
    assert "--scheduler must be a tcp://" in bad.output
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gone = runner.invoke(app, ["--store", str(store), "ingest", *map(str, files),
                               "--scheduler", f"tcp://127.0.0.1:{port}", "--no-reason"])
    assert gone.exit_code == 7
    assert "cannot reach the Dask scheduler" in gone.output
    with Store.open(store, read_only=True) as opened:
        assert opened.document_graphs() == []
