"""Sections in several numbering styles, and an annex that is not a section."""

from mandategraph.graph.extraction.segment import find_sections, segment


def _numbers(text: str) -> list[str]:
    return [s.number for s in find_sections(text)]


def test_lettered_sections() -> None:
    text = "Intro.\n\nA. Border control\n\nText.\n\nB. Firearms\n\nText.\n\nC. Cyber\n\nText."
    assert _numbers(text) == ["0", "A", "B", "C"]


def test_roman_sections_do_not_take_letters() -> None:
    text = "I. PREVENTION\n\nA. Youth\n\nText.\n\nII. FIREARMS\n\nB. Marking\n\nText."
    assert _numbers(text) == ["I", "II"]


def test_annex_after_the_last_section_is_apart() -> None:
    text = (
        "1. DEMAND REDUCTION\n\nThe OID held a workshop.\n\n"
        "ANNEX: LIST OF ACTIVITIES\n\nFeb. 4-8   Workshop   Miami   21\n"
    )
    seg = segment(text)
    annex = seg.sections[-1]
    assert (annex.number, annex.implicit) == ("annex", True)
    assert seg.section_at(text.index("Feb.")).number == "annex"
    assert seg.section_at(text.index("The OID")).number == "1"


def test_indented_line_of_a_bullet_belongs_to_its_item() -> None:
    text = (
        "III. SÉCURITÉ\n\nIl a réalisé les activités suivantes :\n\n"
        "•       un atelier tenu à Nassau avec l'appui du Canada;\n"
        "        38 fonctionnaires y ont participé;\n\n"
        "•       un exercice de trois jours.\n"
    )
    seg = segment(text)
    item = next(p for p in seg.paragraphs if "Nassau" in text[p.start : p.end])
    assert "38 fonctionnaires" in text[item.start : item.end]
    assert "exercice" not in text[item.start : item.end]


def test_a_wrapped_line_goes_on_before_a_capital() -> None:
    text = (
        "II. DROGUES\n\nIl a organisé une formation pour des spécialistes venus de la Jamaïque, "
        "de la\nTrinité-et-Tobago et de la Barbade.\n\nNouveau paragraphe.\n"
    )
    seg = segment(text)
    sentences = [s.text for s in seg.sentences]
    assert any("Jamaïque, de la\nTrinité-et-Tobago" in s for s in sentences)
    assert "Nouveau paragraphe." in sentences


def test_an_abbreviation_at_a_line_end_goes_on() -> None:
    text = (
        "1. DEMAND\n\nThe trainers then delivered national courses in two states, which "
        "together trained approx.\n40 frontline workers from the health services.\n"
    )
    sentences = [s.text for s in segment(text).sentences]
    assert len(sentences) == 1 and "approx.\n40 frontline" in sentences[0]


def test_unnumbered_headings_in_capitals_are_sections() -> None:
    text = (
        "REPORT OF THE DEPARTMENT OF PUBLIC SECURITY\n\n"
        "The Department presents its report on the year.\n\n"
        "FIREARMS\n\nThe DPS held a workshop in Kingston.\n\n"
        "CYBER SECURITY\n\nThe CICTE held a course in Castries.\n\n"
        "ANNEX\n\nrow\n"
    )
    sections = find_sections(text)
    assert [(s.number, s.heading) for s in sections] == [
        ("0", ""), ("1", "FIREARMS"), ("2", "CYBER SECURITY"), ("annex", "ANNEX")
    ]


_COLUMN = (
    "I. PORTS\n\n"
    "Pursuant to paragraph 2.b, the\n"
    "CICTE Secretariat, together with Transport\n"
    "Canada, conducted a workshop on port\n"
    "security in Castries in March 2014.\n"
    "Twenty officers from Saint Lucia and\n"
    "Dominica took part in the workshop.\n"
    "\n"
    "Another paragraph starts after a blank\n"
    "line and goes on with a second line.\n"
    + "A line of a narrow column of text here.\n" * 6
)


def test_narrow_column_lines_before_a_capital_go_on() -> None:
    sentences = [s.text for s in segment(_COLUMN).sentences]
    assert any("the\nCICTE Secretariat, together with Transport\nCanada" in s for s in sentences)


def test_full_line_ending_a_sentence_keeps_the_paragraph() -> None:
    seg = segment(_COLUMN)
    text = _COLUMN
    first = next(p for p in seg.paragraphs if "Castries" in text[p.start : p.end])
    assert "took part in the workshop." in text[first.start : first.end]
    assert "Another paragraph" not in text[first.start : first.end]


def test_acronym_in_brackets_at_a_line_start_is_no_list_item() -> None:
    text = (
        "I. CYBER\n\nThe Secretariat organized, jointly with the Caribbean Telecommunications"
        " Union\n(CTU) and the Commonwealth Telecommunications Organisation, a regional "
        "workshop.\n"
    )
    sentences = [s.text for s in segment(text).sentences]
    assert len(sentences) == 1 and "Union\n(CTU) and" in sentences[0]
