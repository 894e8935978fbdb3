"""Citations: symbols and operative-paragraph references in three languages."""

from __future__ import annotations

import pytest

from mandategraph.graph.extraction.citations import find_citations, find_symbols, normalize_symbol

FULL = "AG/RES. 2485 (XXXIX-O/09)"


@pytest.mark.parametrize(
    "raw",
    [
        "AG/RES. 2485 (XXXIX-O/09)",
        "AG/RES. 2485 (XXXIX-0/09)",
        "AG/RES.2485 (XXXIX-O/09)",
        "AG / RES.  2485  ( XXXIX - O / 09 )",
        "AG/RES. 2485\n(XXXIX-O/09)",
        "AG/RES. 2485 (xxxix-o/09)".replace("xxxix", "XXXIX"),
    ],
)
def test_symbol_variants(raw: str) -> None:
    assert normalize_symbol(raw) == FULL


def test_session_missing_resolved_from_the_document() -> None:
    text = f"Recalling {FULL}. Under paragraph 5.g of resolution AG/RES. 2485, training was given."
    symbols = find_symbols(text)
    assert [s.symbol for s in symbols] == [FULL, FULL]
    assert symbols[1].complete is False


def test_session_missing_everywhere_is_kept_and_flagged() -> None:
    cites = find_citations("Under paragraph 5.g of resolution AG/RES. 2485, a course was held.")
    assert [(c.symbol, c.paragraph, c.flags) for c in cites] == [
        ("AG/RES. 2485", "5.g", ["session-missing"])
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Conformément au paragraphe 5.b du dispositif de la résolution {FULL}, le", ["5.b"]),
        (
            f"au titre des paragraphes 5.a et 5.c du dispositif de la résolution {FULL}, le",
            ["5.a", "5.c"],
        ),
        (f"Under operative paragraph 3(b) of resolution {FULL}, the", ["3.b"]),
        (f"Pursuant to operative paragraphs 2 and 4 of resolution {FULL}, the", ["2", "4"]),
        (f"In line with paragraph 4 of resolution {FULL}, the", ["4"]),
        (f"De conformidad con el párrafo resolutivo 2.b de la resolución {FULL}, el", ["2.b"]),
        (f"En cumplimiento del inciso c del párrafo 2 de la resolución {FULL}, el", ["2.c"]),
        (f"Conformément au paragraphe 5 b) de la résolution {FULL}, le", ["5.b"]),
    ],
)
def test_paragraph_references(text: str, expected: list[str]) -> None:
    cites = find_citations(text)
    assert [c.paragraph for c in cites] == expected
    assert {c.symbol for c in cites} == {FULL}
    for c in cites:
        assert text[c.start : c.end] == c.quote


@pytest.mark.parametrize(
    "phrase",
    [
        "de la résolution précitée",
        "of the aforementioned resolution",
        "de la resolución antes mencionada",
    ],
)
def test_anaphora_resolves_to_last_symbol(phrase: str) -> None:
    text = (
        f"Recalling AG/RES. 2397 (XXXVIII-O/08) and {FULL}. "
        f"Under paragraph 5.c {phrase}, work was done."
    )
    (cite,) = find_citations(text)
    assert (cite.symbol, cite.paragraph) == (FULL, "5.c")


def test_quoted_mandate_text_and_addressee() -> None:
    text = (
        f"Conformément au paragraphe 5.a du dispositif de la résolution {FULL} demandant au "
        "Secrétariat général, par le biais du SSM, de “renforcer les systèmes de surveillance”, le"
    )
    (cite,) = find_citations(
        text, resolve_addressee=lambda name: "OAS-GS" if name == "Secrétariat général" else None
    )
    assert cite.text == "renforcer les systèmes de surveillance"
    assert cite.addressee == "OAS-GS"
    assert text[cite.text_start : cite.text_start + len(cite.text)] == cite.text


def test_seed_cites_seven_paragraphs() -> None:
    from pathlib import Path

    text = (
        Path(__file__).resolve().parents[2]
        / "corpus"
        / "oas-sms-caribbean-sids-activities-2010.fr.txt"
    ).read_text()
    keys = {f"{c.symbol} {c.paragraph}" for c in find_citations(text)}
    assert keys == {
        "AG/RES. 2397 (XXXVIII-O/08) 6.d",
        "AG/RES. 2485 (XXXIX-O/09) 5.a",
        "AG/RES. 2485 (XXXIX-O/09) 5.b",
        "AG/RES. 2485 (XXXIX-O/09) 5.c",
        "AG/RES. 2485 (XXXIX-O/09) 5.d",
        "AG/RES. 2485 (XXXIX-O/09) 5.e",
        "AG/RES. 2485 (XXXIX-O/09) 5.g",
    }
