"""The layout view: PDF noise deleted, offsets mapped back to the original text."""

from mandategraph.graph.extraction.layout import layout_view


def _back(view, word: str) -> str:
    at = view.text.index(word)
    start, end = view.span(at, at + len(word))
    return view.original[start:end]


def test_hyphenated_word_rejoined_and_mapped_back() -> None:
    text = "financé par le Gouver-\nnement du Canada."
    view = layout_view(text)
    assert "Gouvernement du Canada" in view.text
    assert _back(view, "Gouvernement") == "Gouver-\nnement"


def test_compound_hyphen_kept_at_a_line_break() -> None:
    view = layout_view("réalisée à Saint-Vincent-\n        et-les Grenadines en janvier")
    assert "Saint-Vincent-et-les Grenadines" in view.text


def test_page_number_dropped_mid_sentence() -> None:
    text = "quatre machines ont été\n\n\n            - 3 -\n\n\nremises à Sainte-Lucie."
    view = layout_view(text)
    assert "ont été\nremises à Sainte-Lucie" in view.text
    assert "3" not in view.text
    assert _back(view, "remises") == "remises"


def test_running_header_after_page_numbers_dropped() -> None:
    page = "\n\n- {n} -\n\nCP/CSH-1497/13\n\n"
    text = "Premier paragraphe." + page.format(n=2) + "Deuxième." + page.format(n=3) + "Fin."
    view = layout_view(text)
    assert "CP/CSH" not in view.text
    assert "Premier paragraphe." in view.text and "Fin." in view.text


def test_footnote_block_and_its_marker_dropped() -> None:
    text = (
        "son programme PROCCER1. Du 4 au 8 février, il a organisé une formation.\n\n"
        "__________________\n1.      Sigle espagnol du Programme de formation.\n\n\n"
        "III.    SÉCURITÉ\n"
    )
    view = layout_view(text)
    assert "PROCCER." in view.text
    assert "Sigle" not in view.text
    assert "III.    SÉCURITÉ" in view.text


def test_digits_of_a_symbol_are_not_markers() -> None:
    text = "le document CP/CSH-1497/13 et la résolution AG/RES. 2735 (XLII-O/12) ; COVID19 x"
    assert layout_view(text).text == text


def test_clean_text_is_its_own_view() -> None:
    text = "Le CICTE a organisé un atelier à Castries."
    view = layout_view(text)
    assert view.identity and view.span(3, 8) == (3, 8)


def test_two_column_letterhead_loses_its_right_column() -> None:
    text = (
        "CONSEIL PERMANENT DE L'ORGANISATION                              OEA/Ser.G\n"
        "        DES ÉTATS AMÉRICAINS                                     CP/CSH-1497/13\n\n"
        "Le texte          du rapport commence ici, bien plus bas.\n"
    )
    view = layout_view(text)
    assert "OEA/Ser.G" not in view.text and "CP/CSH" not in view.text
    assert " ".join(view.text.split()).startswith(
        "CONSEIL PERMANENT DE L'ORGANISATION DES ÉTATS AMÉRICAINS"
    )
    assert _back(view, "AMÉRICAINS") == "AMÉRICAINS"
    assert "Le texte          du rapport commence ici" in view.text


def test_note_marker_glued_to_an_acronym_in_brackets_dropped() -> None:
    text = (
        "the Commonwealth Telecommunications Organisation (CTO)2, a workshop.\n\n"
        "____________________\n2 The CTO is an intergovernmental organization.\n"
    )
    view = layout_view(text)
    assert "(CTO), a workshop." in view.text


def test_one_line_break_across_footnotes_page_number_and_header() -> None:
    page = (
        "both courses were funded by the\n\n____________________\n"
        "2 The CTO is an organization.\n\n      - 2 -\n\x0c        CP/CSH-1633/15\n\n"
        "Government of Canada; 41 officers were trained.\n\n      - 3 -\n\x0c"
        "        CP/CSH-1633/15\n\nEnd."
    )
    view = layout_view(page)
    assert "funded by the\nGovernment of Canada" in view.text
