"""Readers: decoding, sidecars, language and kind detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandategraph.errors import DocumentError
from mandategraph.graph.extraction.readers import detect_kind, detect_language, read_document
from mandategraph.ontology.namespaces import slugify

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
DATA = ROOT / "tests" / "data"


def test_seed_with_sidecar() -> None:
    doc = read_document(SEED)
    assert doc.slug == slugify("oas-sms-caribbean-sids-activities-2010.fr")
    assert (doc.language, doc.kind, doc.year) == ("fr", "report", 2010)
    assert doc.publisher and "Multidimensional" in doc.publisher
    assert doc.text == SEED.read_text(encoding="utf-8")  # kept exactly


def test_utf8_bom_is_dropped_offsets_follow_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffThe Secretariat held a workshop in Jamaica.".encode())
    doc = read_document(path)
    assert doc.text.startswith("The Secretariat")
    assert doc.warnings == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le Secrétariat a organisé un atelier dans la région avec les États membres.", "fr"),
        ("The Secretariat organized a workshop in the region with the member states.", "en"),
        ("La Secretaría organizó un taller en la región con los Estados miembros.", "es"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_kind_and_symbol_of_a_resolution() -> None:
    doc = read_document(DATA / "ag-res-2866-xliv-o-14.txt")
    assert doc.kind == "resolution"
    assert doc.symbol == "AG/RES. 2866 (XLIV-O/14)"
    assert doc.year == 2014
    assert detect_kind("A report on AG/RES. 2485 (XXXIX-O/09).") == "report"


def test_options_override_detection() -> None:
    doc = read_document(
        DATA / "en-report-cicad-eastern-caribbean-2012.txt", lang="es", kind="resolution"
    )
    assert (doc.language, doc.kind) == ("es", "resolution")
    with pytest.raises(DocumentError, match="unknown language"):
        read_document(SEED, lang="de")


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Title\n\n## 1. Border control\n\nThe CICTE held a workshop in Jamaica.\n")
    doc = read_document(path)
    assert doc.slug == "note" and doc.title == "Title" and doc.language == "en"
