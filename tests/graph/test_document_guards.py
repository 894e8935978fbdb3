"""Documents under attack: invalid bytes and oversized files (issue 10, item 3).

Each regression is named after what broke: a few bad bytes turned a whole UTF-8
report into Latin-1 mojibake, and a document of any size was read and extracted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandategraph.api.cli import app
from mandategraph.api.settings import get_settings
from mandategraph.errors import DocumentError
from mandategraph.graph.build import load_vocabulary
from mandategraph.graph.extraction.readers import SIZE_SETTING, check_size, read_document
from mandategraph.graph.ingest import ingest
from mandategraph.graph.store import Store

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
REPORT = "Le Secrétariat a organisé un atelier à la Barbade avec la CICAD en mars 2010.\n"


# -- invalid bytes -----------------------------------------------------------------------


def _with_bad_bytes(data: bytes, near: list[int], bad: bytes) -> tuple[bytes, list[int]]:
    """``data`` with one ``bad`` byte inserted before the first ASCII byte at or after
    each of ``near``; returns the new bytes and the byte offsets of the insertions."""
    out = bytearray(data)
    offsets = []
    shift = 0
    for position in sorted(near):
        while data[position] >= 0x80:  # not inside a multi-byte character
            position += 1
        out[position + shift : position + shift] = bad
        offsets.append(position + shift)
        shift += 1
    return bytes(out), offsets


def test_three_invalid_bytes_are_replaced_one_by_one_not_the_whole_text_as_latin1(
    tmp_path: Path,
) -> None:
    clean = SEED.read_bytes()
    data, offsets = _with_bad_bytes(clean, [200, 9000, 21000], b"\xe9")
    path = tmp_path / "report.txt"
    path.write_bytes(data)

    doc = read_document(path)

    assert doc.text == data.decode("utf-8", errors="replace")
    # exactly the three bytes became U+FFFD; the rest is the clean text
    original = clean.decode("utf-8")
    assert doc.text.count("\ufffd") == original.count("\ufffd") + 3
    assert doc.text.replace("\ufffd", "") == original.replace("\ufffd", "")
    assert "Le Secrétariat" in doc.text and "SecrÃ" not in doc.text
    assert doc.language == "fr"
    [warning] = [w for w in doc.warnings if "U+FFFD" in w]
    assert warning.startswith("3 invalid UTF-8 bytes replaced by U+FFFD")
    assert ", ".join(map(str, offsets)) in warning  # byte offsets in the file
    text_offsets = [len(data[:offset].decode("utf-8", errors="replace")) for offset in offsets]
    assert all(doc.text[i] == "\ufffd" for i in text_offsets)
    assert ", ".join(map(str, text_offsets)) in warning  # offsets into Document.text


def test_replaced_bytes_are_named_by_their_file_offset_after_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "Le Secrétariat ".encode() + b"\xff" + REPORT.encode())
    doc = read_document(path)
    assert doc.text == "Le Secrétariat \ufffd" + REPORT
    assert "byte offset 19 (text offset 15)" in doc.warnings[0]


def test_a_truncated_sequence_becomes_one_replacement_per_byte(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    # the first two bytes of "’" (e2 80 99) with the third missing
    path.write_bytes(REPORT.encode() + b"l\xe2\x80a " + REPORT.encode())
    doc = read_document(path)
    assert doc.text == REPORT + "l\ufffd\ufffda " + REPORT
    assert doc.warnings[0].startswith("2 invalid UTF-8 bytes")


def test_many_invalid_bytes_are_listed_up_to_ten(tmp_path: Path) -> None:
    path = tmp_path / "noisy.txt"
    path.write_bytes((REPORT.encode() + b"\x80") * 12 + "é".encode() * 20)
    doc = read_document(path)
    assert doc.text == (REPORT + "\ufffd") * 12 + "é" * 20
    assert "and 2 more" in doc.warnings[0]


def test_a_cp1252_file_throughout_is_still_decoded_as_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(("L’OEA " + REPORT).encode("cp1252"))
    doc = read_document(path)
    assert doc.text == "L’OEA " + REPORT
    assert "U+FFFD" not in doc.warnings[0]
    assert "decoded as cp1252" in doc.warnings[0]


# -- size limit --------------------------------------------------------------------------


@pytest.fixture()
def small_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """``MANDATEGRAPH_MAX_DOCUMENT_BYTES`` set to 1,000 for the test."""
    monkeypatch.setenv(SIZE_SETTING, "1000")
    get_settings.cache_clear()
    yield 1000
    monkeypatch.delenv(SIZE_SETTING)
    get_settings.cache_clear()


def _big(tmp_path: Path, size: int = 2500) -> Path:
    path = tmp_path / "big.txt"
    path.write_bytes((REPORT.encode() * (size // len(REPORT) + 1))[:size])
    return path


def test_the_default_limit_is_five_megabytes() -> None:
    assert get_settings().max_document_bytes == 5_000_000


def test_a_document_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, small_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _big(tmp_path)
    size = path.stat().st_size

    def no_reading(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(DocumentError) as caught:
        # the setting is read by the api layer and handed down as the limit
        read_document(path, max_bytes=get_settings().max_document_bytes)
    message = caught.value.message
    assert caught.value.exit_code == 3
    assert f"{size:,} bytes" in message and "1,000 bytes" in message
    assert SIZE_SETTING in message and "\n" not in message


def test_the_limit_is_a_keyword_and_zero_means_none(tmp_path: Path) -> None:
    path = _big(tmp_path)
    with pytest.raises(DocumentError, match="document too large"):
        check_size(path, max_bytes=1000)
    check_size(path, max_bytes=path.stat().st_size)  # at the limit: accepted
    assert read_document(path, max_bytes=0).text.startswith("Le Secrétariat")


def test_ingest_of_a_document_over_the_limit_stores_nothing(
    tmp_path: Path, small_limit: int
) -> None:
    path = _big(tmp_path)
    with Store.open("memory") as store:
        load_vocabulary(store)
        before = {(g.graph, g.triples) for g in store.graphs()}
        with pytest.raises(DocumentError, match=SIZE_SETTING):
            ingest(
                store,
                path,
                validate=False,
                max_document_bytes=get_settings().max_document_bytes,
            )
        assert {(g.graph, g.triples) for g in store.graphs()} == before


def test_cli_ingest_over_the_limit_is_exit_3_one_line_nothing_stored(
    tmp_path: Path, small_limit: int
) -> None:
    small = tmp_path / "small.txt"
    small.write_text(REPORT, encoding="utf-8")
    location = tmp_path / "store"
    with Store.open(location) as store:
        load_vocabulary(store)
        before = {(g.graph, g.triples) for g in store.graphs()}

    # the small file first: it is not stored either, every file is checked first
    result = CliRunner().invoke(
        app, ["--store", str(location), "ingest", "--no-reason", str(small), str(_big(tmp_path))]
    )

    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "document too large: 2,500 bytes, the limit is 1,000 bytes" in lines[0]
    assert SIZE_SETTING in lines[0]
    assert "Traceback" not in result.stderr
    with Store.open(location, read_only=True) as store:
        assert {(g.graph, g.triples) for g in store.graphs()} == before


def test_pdf_and_docx_are_measured_by_their_text_not_their_file(tmp_path: Path) -> None:
    import docx

    from tests.graph.test_readers_formats import _pdf

    lines = [REPORT.strip()] * 30  # about 2,400 characters of text
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_pdf(lines))
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    word = tmp_path / "report.docx"
    document.save(str(word))
    for path in (pdf, word):
        check_size(path, max_bytes=1000)  # a file's bytes are not its text
        assert read_document(path, max_bytes=100_000).text.count("Barbade") == 30
        with pytest.raises(DocumentError, match=r"bytes of text, the limit is 1,000 bytes"):
            read_document(path, max_bytes=1000)
