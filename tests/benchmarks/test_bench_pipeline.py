"""The pipeline benchmark's worker imports only the tree it is given (no timings)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_pipeline import ROOT, SEED_REPORT, batch_files, import_root, run_side


def test_the_batch_is_real_documents() -> None:
    files = batch_files()
    assert SEED_REPORT in files
    assert ROOT / "tests" / "data" / "reports" / "report-2014-cicte-twocol.en.txt" in files
    assert all(f.suffix == ".txt" and f.is_file() for f in files)


def test_import_root_mirrors_the_installed_layout(tmp_path: Path) -> None:
    root = import_root(ROOT, tmp_path)
    package = root / "mandategraph"
    assert (package / "graph").resolve() == ROOT / "graph"
    assert (package / "ontology" / "mandategraph.ttl").is_file()
    assert (package / "__init__.py").resolve() == ROOT / "mandategraph" / "__init__.py"


def test_a_worker_extracts_with_the_tree_it_was_given(tmp_path: Path) -> None:
    figures = run_side(ROOT, tmp_path, [SEED_REPORT], repeat=1, seed_runs=1)
    assert figures["documents"] == 1
    assert figures["failures"] == 0
    assert figures["triples"] > 100
    assert Path(figures["package"]).is_relative_to(ROOT / "graph")
