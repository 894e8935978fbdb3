"""The dev corpus (AG/RES. 2735 and the two 2013 reports): what the resolution's gold
file says under ``compliance``."""

from __future__ import annotations

import pytest
import yaml

from mandategraph.graph.sparql.results import Table, to_table
from mandategraph.graph.store import Store
from mandategraph.queries.catalog import get_query
from mandategraph.queries.compliance import Finding, run_checks
from tests.conftest import SHARED

SYMBOL = "AG/RES. 2735 (XLII-O/12)"


@pytest.fixture(scope="module")
def gold() -> dict[str, object]:
    path = SHARED / "dev-corpus" / "resolucion-2735-extracto.es.gold.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["compliance"]  # type: ignore[no-any-return]


def run(store: Store):  # type: ignore[no-untyped-def]
    def runner(text: str) -> Table:
        return to_table(store.query(text))  # type: ignore[arg-type]
    return runner


@pytest.fixture(scope="module")
def findings(dev_corpus_store: Store) -> list[Finding]:
    return run_checks(run(dev_corpus_store))


@pytest.fixture(scope="module")
def statuses(dev_corpus_store: Store) -> dict[str, str]:
    rows = dev_corpus_store.query(get_query("mandate-status").sparql({"resolution": SYMBOL}))
    return {r["paragraph"].value: r["status"].value for r in rows}  # type: ignore[union-attr]


def numbers(items: object) -> set[str]:
    return {str(s).rsplit(" ", 1)[-1] for s in items}  # type: ignore[attr-defined]


def flagged(findings: list[Finding]) -> dict[str, set[str]]:
    """The paragraphs of AG/RES. 2735 each kind of finding names."""
    found: dict[str, set[str]] = {}
    for f in findings:
        if f.subject.startswith(SYMBOL + " "):
            found.setdefault(f.kind, set()).add(f.subject.rsplit(" ", 1)[-1])
    return found


def test_exactly_what_the_gold_says(
    gold: dict[str, object], findings: list[Finding], statuses: dict[str, str]
) -> None:
    without = numbers(gold["mandates_without_activities"])
    assert flagged(findings) == {"no-activity": without}
    assert {n for n, s in statuses.items() if s in ("not implemented", "no indication")} \
        == without
    for number in ("1", "2.a", "2.b", "2.c"):
        assert statuses[number] == "not applicable"
    for number in numbers(gold["cited_paragraphs"]):
        assert statuses[number] in ("implemented", "in progress", "planned only"), number
