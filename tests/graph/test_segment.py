"""Segmentation: sections, paragraphs, sentences with offsets into the text."""

from __future__ import annotations

from pathlib import Path

from mandategraph.graph.extraction.segment import find_sections, segment, split_sentences

SEED = (
    Path(__file__).resolve().parents[2] / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
)


def test_seed_sections() -> None:
    text = SEED.read_text(encoding="utf-8")
    sections = [s for s in find_sections(text) if not s.implicit]
    assert [s.number for s in sections] == [str(n) for n in range(1, 10)]
    assert sections[0].heading == "Prévention de la violence"
    assert sections[6].heading.startswith("Assistance législative")


def test_offsets_index_the_text() -> None:
    text = SEED.read_text(encoding="utf-8")
    seg = segment(text)
    for sentence in seg.sentences:
        assert text[sentence.start : sentence.end] == sentence.text


def test_broken_line_is_one_sentence_and_footnote_is_kept() -> None:
    text = SEED.read_text(encoding="utf-8")
    seg = segment(text)
    dublin = [s for s in seg.sentences if "Mini-Groupe de Dublin" in s.text]
    assert len(dublin) == 1 and "/ pour la Caraïbe réuni" in dublin[0].text
    footnotes = [s for s in seg.sentences if s.footnote]
    assert footnotes and footnotes[0].text.lstrip().startswith("\ufffd")


def test_abbreviations_do_not_split() -> None:
    text = (
        "Il sera dirigé par M. Izben Williams. Voir l’art. VI de la CIFTA et "
        "AG/RES. 2485 (XXXIX-O/09). Fin."
    )
    spans = split_sentences(text, 0, len(text))
    assert [text[a:b] for a, b in spans][0] == "Il sera dirigé par M. Izben Williams."
    assert len(spans) == 3


def test_roman_and_markdown_sections() -> None:
    text = "Intro.\n\nI. Border control\nText one.\n\n## II. Cybersecurity\nText two.\n"
    sections = find_sections(text)
    assert [(s.number, s.heading) for s in sections] == [
        ("0", ""),
        ("I", "Border control"),
        ("II", "Cybersecurity"),
    ]


def test_no_sections_gives_one_implicit() -> None:
    sections = find_sections("Just a paragraph. And another sentence.")
    assert len(sections) == 1 and sections[0].implicit and sections[0].number == "0"
