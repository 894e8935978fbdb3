"""The corpus scorer (score.py's semantics) on small inline cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandategraph.errors import BadParameterError
from mandategraph.graph.scoring import gold_kind, load_gold_file, score_report

TEXT = """REPORT

INTRODUCTION

Recalled: AG/RES. 2735 (XLII-O/12).

I.   PORTS

The CICTE Secretariat held a port workshop in Castries with Transport Canada.

II.  CYBER

CICTE held a cyber workshop in Kingston.
"""

GOLD = {
    "organizations": {
        "TRANSPORT-CANADA": {"en": "Transport Canada", "kind": "partner"},
        "CICTE": {"kind": "oas_body"},
    },
    "sections": [
        {"n": 1, "theme": {"en": "ports"}, "activities": [
            {"participants": 12, "by": ["CICTE"], "with": ["TRANSPORT-CANADA"],
             "states": ["LCA"], "implements": ["AG/RES. 2735 (XLII-O/12) 3.a"]}]},
        {"n": 2, "theme": {"en": "cyber"}, "activities": [
            {"by": ["CICTE"], "states": ["JAM"], "implements": []}]},
    ],
    "partnerships": {"must": [["CICTE", "TRANSPORT-CANADA"]], "should": []},
    "compliance": {"cited_paragraphs": ["AG/RES. 2735 (XLII-O/12) 3.a"]},
}

PORT = "The CICTE Secretariat held a port workshop in Castries with Transport Canada."
CYBER = "CICTE held a cyber workshop in Kingston."


def _activity(quote: str, **values: str | None) -> dict[str, str | None]:
    row: dict[str, str | None] = {"quote": quote}
    row.update(values)
    return row


def test_roman_and_arabic_numbers_name_the_same_section() -> None:
    activities = [
        _activity(PORT, states="LCA", conducted_by="CICTE", participants="12",
                  mandates="AG/RES. 2735 (XLII-O/12) 3.a"),
        _activity(CYBER, states="JAM", conducted_by="CICTE"),
    ]
    mandates = [{"resolution": "AG/RES. 2735 (XLII-O/12)", "paragraph": "3.a", "activities": "1"}]
    pairs = [{"actor_a": "CICTE", "actor_b": "TRANSPORTCANADA"}]  # a minted code
    for numbered in (TEXT, TEXT.replace("I.   PORTS", "1.   PORTS")
                     .replace("II.  CYBER", "2)  CYBER")):
        score = score_report(GOLD, activities=activities, partnerships=pairs,
                             mandates=mandates, text=numbered)
        assert score.unplaced_activities == 0
        assert score.fields["states per section"].f1 == 1.0
        assert score.fields["conducting bodies per section"].f1 == 1.0
        assert score.must == (1, 1), "a code made from the partner's name maps to its key"
        assert score.fields["activities without mandate"].tp == 1
        assert score.ok, score.short


def test_a_state_in_the_wrong_section_is_a_false_positive_and_a_miss() -> None:
    activities = [_activity(PORT, states="JAM", conducted_by="CICTE", participants="12")]
    score = score_report(GOLD, activities=activities, partnerships=[], mandates=[], text=TEXT)
    states = score.fields["states per section"]
    assert (states.tp, states.fp, states.fn) == (0, 1, 2)
    assert {"states", "cited", "pairs", "no-mandate"} <= set(score.short)
    assert score.fields["cited paragraphs"].fn == 1


def test_an_unplaced_activity_falls_back_on_its_theme() -> None:
    activities = [_activity("not in the text", theme="CYBER", states="JAM")]
    score = score_report(GOLD, activities=activities, partnerships=[], mandates=[], text=TEXT)
    assert score.unplaced_activities == 0
    assert score.fields["states per section"].tp == 1


@pytest.mark.parametrize(("content", "kind"), [
    ("sections: []\n", "report"),
    ("document: {kind: resolution}\n", "resolution"),
    ("resolution: {symbol: x}\n", "resolution"),
    ("title: A report\nkind: report\nlanguage: fr\n", None),  # a corpus sidecar
    ("- a list\n", None),
])
def test_gold_kind(content: str, kind: str | None) -> None:
    import yaml

    assert gold_kind(yaml.safe_load(content)) == kind


def test_a_sidecar_is_not_a_gold_file(tmp_path: Path) -> None:
    sidecar = tmp_path / "report.yaml"
    sidecar.write_text("kind: report\nlanguage: fr\nyear: 2010\n", encoding="utf-8")
    with pytest.raises(BadParameterError, match="not a gold file"):
        load_gold_file(sidecar)
