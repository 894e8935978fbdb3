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
