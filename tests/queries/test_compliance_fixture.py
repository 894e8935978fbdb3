"""The compliance fixture (tests/data/compliance): a resolution of seven sub-paragraphs
and two reports on it, of 2022 in English and of 2023 in Spanish."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mandategraph.graph.build import build
from mandategraph.graph.sparql.results import Table, to_table
from mandategraph.graph.store import Store
from mandategraph.queries.catalog import get_query
from mandategraph.queries.compliance import Finding, run_checks

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "compliance"
SYMBOL = "AG/RES. 3001 (LI-O/21)"


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with Store.open("memory") as built:
        report = build(built, corpus=FIXTURE, reason=False)
        assert not report.failures, report.failures
        assert {d.language for d in report.documents} == {"en", "es"}
        yield built


@pytest.fixture(scope="module")
def findings(store: Store) -> list[Finding]:
    def run(text: str) -> Table:
        return to_table(store.query(text))  # type: ignore[arg-type]
    return run_checks(run)


def test_the_uncited_paragraphs_and_nothing_else_are_without_activity(
    findings: list[Finding],
) -> None:
    flagged = {(f.kind, f.subject) for f in findings if f.kind != "dropped"}
    assert flagged == {("no-activity", f"{SYMBOL} 1.c"), ("no-activity", f"{SYMBOL} 1.f"),
                       ("no-activity", f"{SYMBOL} 1.g")}
    for finding in findings:
        if finding.kind == "no-activity":
            assert finding.detail.startswith("uncited")
            # the evidence: the paragraph's words in the resolution
            assert finding.document == "ag-res-3001-li-o-21-en" and finding.quote


def test_the_mandate_acted_on_only_in_2022_is_dropped(findings: list[Finding]) -> None:
    dropped = [f for f in findings if f.kind == "dropped"]
    assert [f.subject for f in dropped] == [f"{SYMBOL} 1.d"]
    assert "report-2022-sms-en" in dropped[0].detail and "informe-2023-sms-es" in dropped[0].detail
    assert dropped[0].quote and "1.d" in dropped[0].quote


def test_statuses(store: Store) -> None:
    rows = store.query(get_query("mandate-status").sparql({"resolution": SYMBOL}))
    statuses = {r["paragraph"].value: r["status"].value for r in rows}  # type: ignore[union-attr]
    assert statuses == {
        "1": "in progress", "1.a": "implemented", "1.b": "implemented",
        "1.c": "not implemented", "1.d": "implemented", "1.e": "implemented",
        "1.f": "not implemented", "1.g": "not implemented", "2": "not applicable",
    }
