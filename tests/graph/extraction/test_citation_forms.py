"""Citation forms of fr / en / es reports, negated sentences, the lexicon behind them."""

from mandategraph.graph.extraction import lexicon
from mandategraph.graph.extraction.citations import find_citations

SYMBOL = "AG/RES. 2735 (XLII-O/12)"


def _paths(text: str) -> list[tuple[str, str]]:
    return [(c.symbol, c.paragraph) for c in find_citations(text)]


def test_alinea_of_paragraph_of_the_same_resolution() -> None:
    text = (
        f"Conformément au paragraphe 3.b de la résolution {SYMBOL}, le DSP a agi. "
        "Au titre de l'alinéa c du paragraphe 3 de la même résolution, la CICAD a agi."
    )
    assert _paths(text) == [(SYMBOL, "3.b"), (SYMBOL, "3.c")]


def test_paragraph_then_letter_and_symbol_without_space() -> None:
    assert _paths("En application du paragraphe 3 f) du dispositif de la résolution "
                  "AG/RES.2735 (XLII-O/12), le DSP a poursuivi.") == [(SYMBOL, "3.f")]


def test_english_subparagraph_after_the_paragraph() -> None:
    text = (
        f"Pursuant to paragraph 3(c) of resolution {SYMBOL}, CICAD acted. Under operative "
        "paragraph 3, subparagraph (e), of the same resolution, CICAD went on."
    )
    assert _paths(text) == [(SYMBOL, "3.c"), (SYMBOL, "3.e")]


def test_spanish_inciso_of_dicha_resolucion() -> None:
    text = (
        f"Conforme al párrafo 4 de la resolución {SYMBOL}, la Secretaría actuó. "
        "En virtud del inciso c del párrafo 2 de dicha resolución, el DSP actuó."
    )
    assert _paths(text) == [(SYMBOL, "4"), (SYMBOL, "2.c")]


def test_a_negated_sentence_cites_nothing() -> None:
    text = (
        f"Paragraph 3.g of resolution {SYMBOL} asks for training. No activities were "
        "carried out under paragraph 3.g in 2013 owing to lack of funds."
    )
    citations = find_citations(text)
    assert [(c.paragraph, c.start < text.index("No activities")) for c in citations] == [
        ("3.g", True)
    ]


def test_lexicon_reads_each_language_and_all() -> None:
    assert "Département" in lexicon.words("org_heads_initial", "fr")
    assert "Département" not in lexicon.words("org_heads_initial", "en")
    assert lexicon.table("number_tens")["cuarenta"] == 40
    assert lexicon.pattern("same_resolution").search("de la misma resolución")


def test_a_security_council_resolution_is_no_oas_mandate() -> None:
    text = (
        f"Conformément à la résolution {SYMBOL}, le CICTE a appuyé l'application du "
        "paragraphe 2 de la résolution 1540 (2004) du Conseil de sécurité."
    )
    assert _paths(text) == []


def test_a_resolution_recalled_without_paragraph_is_no_citation() -> None:
    text = f"Le rapport est présenté en application de la résolution {SYMBOL}."
    assert _paths(text) == []
