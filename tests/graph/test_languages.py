"""The same pipeline on an English report, a Spanish report and a resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.evaluate import evaluate
from graph.readers import read_document

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(
    ("name", "lang"),
    [("en-report-cicad-eastern-caribbean-2012", "en"), ("es-informe-dsp-centroamerica-2013", "es")],
)
def test_reports(name: str, lang: str) -> None:
    doc = read_document(DATA / f"{name}.txt")
    assert doc.language == lang and doc.kind == "report"
    report = evaluate(DATA / f"{name}.gold.yaml", doc)
    print(report.table())
    assert report["citations"].f1 >= 0.9
    assert report["states"].f1 >= 0.9
    assert report["pairs_must"].recall == 1.0
    assert report["participants"].recall == 1.0


def test_resolution() -> None:
    doc = read_document(DATA / "ag-res-2866-xliv-o-14.txt")
    assert doc.kind == "resolution"
    report = evaluate(DATA / "ag-res-2866-xliv-o-14.gold.yaml", doc)
    print(report.table())
    assert report["citations"].f1 >= 0.9
    assert report["paragraphs"].f1 >= 0.9
    assert report["addressees"].f1 >= 0.9
