"""Readers: DOCX (python-docx) and PDF (pypdf) files, good and broken."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from mandategraph.errors import DocumentError
from mandategraph.graph.extraction.extract import extract
from mandategraph.graph.extraction.readers import read_document
from mandategraph.ontology.namespaces import MG, document_iri, paragraph_iri
from mandategraph.ontology.registry import load_registry

SYMBOL = "AG/RES. 2485 (XXXIX-O/09)"
FRENCH_REPORT = [
    "Rapport du Secrétariat à la sécurité multidimensionnelle sur les activités de 2010",
    "1. Sécurité frontalière",
    "Conformément au paragraphe 5.b du dispositif de la résolution AG/RES. 2485 "
    "(XXXIX-O/09), le Secrétariat exécutif du CICTE a organisé en mars 2010 un atelier "
    "sur la sécurité portuaire à la Barbade, avec la participation de vingt fonctionnaires.",
    "Les États membres ont salué les résultats de cet atelier et la qualité de la formation.",
]


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer is ``lines`` in Helvetica, built by hand.

    Each object's byte offset is recorded as it is written, so the cross-reference
    table is exact: a reader that trusts it (pypdf does) finds every object.
    """

    def literal(text: str) -> str:
        # PDF literal strings escape the backslash and both parentheses
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = " T*\n".join(f"({literal(line)}) Tj" for line in lines)
    stream = f"BT\n/F1 11 Tf\n14 TL\n72 720 Td\n{shown}\nET\n".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"  # each entry is exactly 20 bytes
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_docx_french_report_is_read_and_its_citation_extracted(tmp_path: Path) -> None:
    path = tmp_path / "rapport-2010.docx"
    document = docx.Document()
    document.add_heading(FRENCH_REPORT[0], level=1)
    for text in FRENCH_REPORT[1:]:
        document.add_paragraph(text)
    document.save(str(path))

    doc = read_document(path)
    assert (doc.language, doc.kind, doc.slug) == ("fr", "report", "rapport-2010")
    assert "Sécurité frontalière" in doc.text
    graph = extract(doc, registry=load_registry())
    cited = paragraph_iri(SYMBOL, "5.b")
    assert (document_iri(doc.slug), MG.cites, cited) in graph
    assert str(graph.value(cited, MG.paragraphNumber)) == "5.b"
    # the citation sits in the numbered section 1
    citing = {str(graph.value(s, MG.sectionNumber)) for s in graph.subjects(MG.cites, cited)}
    assert "1" in citing


def test_pdf_text_layer_is_read(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    lines = [
        "1. Border security",
        "In 2012 the CICTE held a workshop (port security) in Jamaica.",
        "Twenty officials took part.",
    ]
    path.write_bytes(_pdf(lines))
    doc = read_document(path)
    for word in ("Border", "security", "CICTE", "workshop", "(port", "Jamaica", "officials"):
        assert word in doc.text
    assert doc.language == "en"


def test_pdf_offsets_in_the_xref_are_exact() -> None:
    """The hand-built PDF is valid: pypdf reads it without repairing the xref."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(_pdf(["Hello"])), strict=True)
    assert len(reader.pages) == 1
    assert "Hello" in (reader.pages[0].extract_text() or "")


def _one_line_error(path: Path) -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    message = str(caught.value)
    assert path.name in message
    assert "\n" not in message
    return message


def test_a_pdf_that_is_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("These are plain notes saved with the wrong ending.\n", encoding="utf-8")
    assert "PDF" in _one_line_error(path)


def test_a_truncated_pdf(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(_pdf(["Hello world"])[:120])
    _one_line_error(path)


def test_a_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    # a zip signature followed by garbage: looks like a DOCX until opened
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    assert "DOCX" in _one_line_error(path)


def test_a_zip_that_is_no_docx(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a word-processing document")
    assert "DOCX" in _one_line_error(path)
