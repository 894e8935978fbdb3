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

#: What the extraction misses today (issue 12: "Au titre de l'alinéa c du paragraphe 3",
#: "operative paragraph 3, subparagraph (e)", "l'alinéa a) du paragraphe 4"): 3.e and
#: 4.a are cited but not read as citations, so they and the chapeau 4 look uncited.
MISSED_BY_EXTRACTION = {"3.e", "4", "4.a"}


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


def test_the_gold_without_activity_and_not_applicable_apart_from_the_extraction_misses(
    gold: dict[str, object], findings: list[Finding], statuses: dict[str, str]
) -> None:
    """What holds today: everything but the three paragraphs the extraction misses."""
    without = numbers(gold["mandates_without_activities"])
    assert flagged(findings)["no-activity"] - MISSED_BY_EXTRACTION == without
    for number in ("1", "2.a", "2.b", "2.c"):
        assert statuses[number] == "not applicable"
    cited = numbers(gold["cited_paragraphs"])
    wrongly = {n for kind in flagged(findings).values() for n in kind} & cited
    assert wrongly <= MISSED_BY_EXTRACTION


@pytest.mark.xfail(strict=True, reason=(
    "3.e and 4.a are cited in forms the extraction does not read yet (issue 12); "
    "they and the chapeau 4 are flagged without activity until its citations land"))
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
