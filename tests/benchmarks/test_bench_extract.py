"""The extraction benchmark's synthetic reports: deterministic, varied, extractable.

Timings are never asserted (the machine is shared); only the generator and the
baseline are exercised.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import RDF

from benchmarks.bench_extract import SOURCES, baseline, synthetic_reports
from mandategraph.graph.extraction.extract import extract
from mandategraph.graph.extraction.readers import read_document
from mandategraph.ontology.namespaces import MG
from mandategraph.ontology.registry import load_registry


@pytest.fixture(scope="module")
def reports() -> list:
    return synthetic_reports(3, seed=7, registry=load_registry())


def test_same_seed_same_reports(reports: list) -> None:
    assert synthetic_reports(3, seed=7, registry=load_registry()) == reports
    assert synthetic_reports(3, seed=8, registry=load_registry()) != reports
    assert [r.name for r in reports] == [
        f"synthetic-{i:03d}.{r.language}.txt" for i, r in enumerate(reports)
    ]


def test_reports_are_new_combinations(reports: list) -> None:
    sources = {path.read_text(encoding="utf-8") for path in SOURCES.values()}
    for report in reports:
        assert report.language in SOURCES
        assert report.text not in sources


def test_reports_extract_without_error(reports: list, tmp_path: Path) -> None:
    registry = load_registry()
    for report in reports:
        path = tmp_path / report.name
        path.write_text(report.text, encoding="utf-8")
        doc = read_document(path)
        assert (doc.language, doc.kind) == (report.language, "report")
        graph = extract(doc, registry=registry)
        # renumbered sections 1..k are read as such, and activities are found
        numbers = sorted(int(str(n)) for n in graph.objects(None, MG.sectionNumber))
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 2
        assert list(graph.subjects(RDF.type, MG.Activity))


def test_baseline_reads_words_and_symbols() -> None:
    # seven whitespace-separated words, two symbols
    assert baseline("See AG/RES. 2485 (XXXIX-O/09) and AG/RES 2397.") == 7 + 2
