"""Bad input: clear errors or graceful results."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import SKOS

from mandategraph.errors import DocumentError
from mandategraph.graph.extraction.extract import extract
from mandategraph.graph.extraction.readers import read_document
from mandategraph.ontology.namespaces import MG, paragraph_iri
from mandategraph.ontology.registry import load_registry


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n")
    with pytest.raises(DocumentError, match="empty"):
        read_document(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(DocumentError, match="blob.txt"):
        read_document(path)


def test_latin1_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Le Secrétariat a organisé un atelier à la Barbade.".encode("latin-1"))
    doc = read_document(path)
    assert "Secrétariat" in doc.text
    assert doc.warnings and "UTF-8" in doc.warnings[0]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        read_document(tmp_path / "nope.txt")


@pytest.mark.slow
def test_ten_megabytes(tmp_path: Path) -> None:
    seed = (
        Path(__file__).resolve().parents[2]
        / "corpus"
        / "oas-sms-caribbean-sids-activities-2010.fr.txt"
    )
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / "big.txt"
    path.write_text(text * (10_000_000 // len(text) + 1), encoding="utf-8")
    doc = read_document(path, max_bytes=0)  # over the default limit, on purpose
    graph = extract(doc, registry=load_registry())
    assert len(graph) > 0


def test_no_numbered_sections(tmp_path: Path) -> None:
    path = tmp_path / "flat.txt"
    path.write_text(
        "In 2012 the CICTE held a cybersecurity workshop in Jamaica "
        "with the Government of Canada.\n"
    )
    graph = extract(read_document(path), registry=load_registry())
    sections = list(graph.subjects(MG.sectionNumber, None))
    assert len(sections) == 1
    assert list(graph.subjects(MG.reportedIn, sections[0]))


def test_citation_to_a_missing_paragraph_is_kept_and_flagged(tmp_path: Path) -> None:
    path = tmp_path / "cites.txt"
    path.write_text(
        "1. Drugs\n\nUnder operative paragraph 9.z of resolution AG/RES. 2485 (XXXIX-O/09), "
        "CICAD held a workshop in Jamaica.\n"
    )
    doc = read_document(path)
    graph = extract(
        doc, registry=load_registry(), known_paragraphs={"AG/RES. 2485 (XXXIX-O/09)": {"5", "5.a"}}
    )
    node = paragraph_iri("AG/RES. 2485 (XXXIX-O/09)", "9.z")
    assert (node, MG.paragraphNumber, None) in graph
    assert graph.value(node, SKOS.editorialNote) is not None
    assert any("9.z" in w for w in doc.warnings)
