"""Readers: a document file -> a :class:`Document` (text, language, kind, metadata).

Plain text and Markdown are read as they are; PDF (pypdf) and DOCX (python-docx) are
read when those libraries are installed. The text is kept exactly as decoded: every
character offset the extractor emits indexes into :attr:`Document.text`, so nothing
is normalized in place.

An optional metadata sidecar ``<stem>.yaml`` beside the file (see
``corpus/*.yaml``) gives the title, kind, language, publisher, year, symbol and slug;
what it does not give is detected from the text.

Two guards keep a bad file from costing more than it is worth:

* **Size.** A document larger than ``MANDATEGRAPH_MAX_DOCUMENT_BYTES`` is refused
  (:class:`~mandatemandategraph.errors.DocumentError`) before its text is read: extraction, the
  SHACL check and the reasoner cost seconds and hundreds of megabytes per megabyte
  of text (``benchmarks/bench_docsize.py``).
* **Encoding.** Text is UTF-8. A few invalid bytes in an otherwise UTF-8 file are
  replaced one by one by U+FFFD, every other character kept exactly, and a warning
  names their offsets. Only a file whose non-ASCII bytes are mostly not UTF-8 (a
  legacy cp1252 / Latin-1 file) is decoded as cp1252 as a whole, with a warning.
"""

from __future__ import annotations

import codecs
import logging
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mandategraph.errors import DocumentError
from mandategraph.graph.extraction.citations import find_symbols
from mandategraph.ontology.namespaces import slugify

log = logging.getLogger(__name__)

#: Languages the extractor knows.
LANGUAGES = ("fr", "en", "es")
#: Kinds of documents.
KINDS = ("report", "resolution")

# Short, frequent function words that tell the three languages apart; a vote on
# them is reliable from a few hundred words on and needs no model.
_STOPWORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        "le la les des du au aux et est une dans pour sur avec qui que ont été par "
        "ces cette son ses leur leurs aussi ainsi être sont d l qu".split()
    ),
    "en": frozenset(
        "the of and to in is was were for on with by that this which from as are "
        "have has been its their an at be".split()
    ),
    "es": frozenset(
        "el la los las del y en para con por que una se su sus fue han ha sobre "
        "este esta como al lo entre".split()
    ),
}
_WORD = re.compile(r"[a-záéíóúàâçèêëîïôûùüñ]+", re.IGNORECASE)

# A resolution opens with its symbol (within the first lines) ...
_SYMBOL_AT_TOP = re.compile(r"\A\W*(?:[^\n]*\n){0,4}?\s*AG\s*/\s*RES\s*\.?\s*\d{1,4}", re.I)
# ... and has an operative part introduced by one of these words on its own.
_OPERATIVE_WORD = re.compile(
    r"^\s*(?:RESOLVES|DECIDES|RÉSOUT|DÉCIDE|DECIDE|RESUELVE|RESOLVE)\s*:?\s*$",
    re.M,
)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_SIDECAR_KEYS = ("title", "kind", "language", "publisher", "year", "symbol", "slug")
#: The setting that bounds a document's size, named in the error a larger one gets.
SIZE_SETTING = "MANDATEGRAPH_MAX_DOCUMENT_BYTES"
#: The largest document read when the caller names no limit (the setting's default).
DEFAULT_MAX_DOCUMENT_BYTES = 5_000_000
#: Suffixes read as text (anything but PDF and DOCX), whose file size is their text's.
_BINARY_FORMATS = (".pdf", ".docx")
# What "surrogateescape" makes of each byte that is not UTF-8: U+DC80..U+DCFF.
_ESCAPED_BYTE = re.compile(r"[\udc80-\udcff]")
# How many offsets a warning lists before "and N more".
_LISTED_OFFSETS = 10


@dataclass
class Document:
    """A document as read: its exact text and what is known about it.

    Attributes:
        slug: identifier used in IRIs (``document_iri(slug)``).
        path: the file it was read from.
        text: the decoded text, unchanged; offsets index into it.
        language: ``fr``, ``en`` or ``es``.
        kind: ``report`` or ``resolution``.
        title: the title (sidecar, or first line of the text).
        publisher: who published it, when known.
        year: the year it covers or was adopted, when known.
        symbol: a resolution's normalized symbol, when known.
        metadata: the whole sidecar, as read.
        warnings: things a human may want to know (bytes replaced, fallback
            decoding, guesses).
    """

    slug: str
    path: Path
    text: str
    language: str
    kind: str
    title: str
    publisher: str | None = None
    year: int | None = None
    symbol: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def read_document(
    path: str | Path,
    *,
    lang: str | None = None,
    kind: str | None = None,
    max_bytes: int | None = None,
) -> Document:
    """Read one document file.

    Args:
        path: a ``.txt``, ``.md``, ``.pdf`` or ``.docx`` file.
        lang: force the language (``fr``, ``en``, ``es``) instead of detecting it.
        kind: force the kind (``report``, ``resolution``) instead of detecting it.
        max_bytes: the largest document accepted (see :func:`check_size`); the
            :data:`DEFAULT_MAX_DOCUMENT_BYTES` when omitted, ``0`` = no limit.

    Returns:
        The :class:`Document`, its text exactly as decoded (invalid UTF-8 bytes
        replaced by U+FFFD, one each, and named in :attr:`Document.warnings`).

    Raises:
        mandategraph.errors.DocumentError: the file is missing, empty, binary, larger than
            the limit, or an option has a value outside the known ones.
    """
    path = Path(path)
    limit = _limit(max_bytes)
    if lang is not None and lang not in LANGUAGES:
        raise DocumentError(
            f"{path}: unknown language {lang!r} (use one of {', '.join(LANGUAGES)})"
        )
    if kind is not None and kind not in KINDS:
        raise DocumentError(f"{path}: unknown kind {kind!r} (use one of {', '.join(KINDS)})")
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    warnings: list[str] = []
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        text = _check_text_size(path, _read_pdf(path, limit), limit)
    elif suffix == ".docx":
        text = _check_text_size(path, _read_docx(path), limit)
    else:
        text = _decode(path, _read_bytes(path, limit), warnings)
    if not text.strip():
        raise DocumentError(f"{path}: the document is empty")
    _reject_binary(path, text)

    meta = read_sidecar(path)
    language = lang or _meta_str(meta, "language") or detect_language(text)
    if language not in LANGUAGES:
        warnings.append(f"sidecar language {language!r} unknown; detected from the text")
        language = detect_language(text)
    detected_kind = kind or _meta_str(meta, "kind") or detect_kind(text)
    if detected_kind not in KINDS:
        warnings.append(f"sidecar kind {detected_kind!r} unknown; detected from the text")
        detected_kind = detect_kind(text)
    symbol = _meta_str(meta, "symbol")
    if symbol is None and detected_kind == "resolution":
        symbol = _symbol_of(text)
    year = meta.get("year") if isinstance(meta.get("year"), int) else None
    if year is None:
        year = _year_of(text, symbol)
    slug = _meta_str(meta, "slug") or slugify(_stem(path))
    title = _meta_str(meta, "title") or _title_of(text, detected_kind)
    for warning in warnings:
        log.warning("%s: %s", path, warning)
    return Document(
        slug=slug,
        path=path,
        text=text,
        language=language,
        kind=detected_kind,
        title=" ".join(title.split()),
        publisher=_meta_str(meta, "publisher"),
        year=year,
        symbol=symbol,
        metadata=meta,
        warnings=warnings,
    )


def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata sidecar ``<stem>.yaml`` (or ``.yml``) beside ``path``, or ``{}``.

    Raises:
        mandategraph.errors.DocumentError: the sidecar exists but is not a YAML mapping.
    """
    for suffix in (".yaml", ".yml"):
        sidecar = path.with_suffix(suffix)
        if sidecar.is_file() and sidecar != path:
            try:
                data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise DocumentError(f"{sidecar}: sidecar is not valid YAML: {exc}") from exc
            if data is None:
                return {}
            if not isinstance(data, dict):
                raise DocumentError(f"{sidecar}: sidecar must be a YAML mapping")
            return data
    return {}


def detect_language(text: str) -> str:
    """Guess ``fr``, ``en`` or ``es`` by a vote of frequent function words.

    Only the first 20,000 characters are looked at: enough for a stable vote and
    constant time on very long documents. Ties go to English.
    """
    votes: Counter[str] = Counter()
    for word in _WORD.findall(text[:20000].lower()):
        for lang, words in _STOPWORDS.items():
            if word in words:
                votes[lang] += 1
    if not votes:
        return "en"
    return max(LANGUAGES, key=lambda lang: (votes[lang], lang == "en"))


def detect_kind(text: str) -> str:
    """``resolution`` when the text opens with an AG/RES symbol and has an operative
    part (RESOLVES / DECIDES / DÉCIDE / RESUELVE on its own line); else ``report``."""
    head = text[:2000]
    if _SYMBOL_AT_TOP.search(head) and _OPERATIVE_WORD.search(text):
        return "resolution"
    return "report"


def check_size(path: str | Path, *, max_bytes: int | None = None) -> None:
    """Refuse a document file larger than the limit, without reading it.

    A text or Markdown file is measured by its size on disk; a PDF or DOCX is
    measured by the text read from it (:func:`read_document` checks that), since
    its pictures cost nothing to extract.

    Args:
        path: the document file.
        max_bytes: the limit in bytes; the ``MANDATEGRAPH_MAX_DOCUMENT_BYTES``
            setting when omitted, ``0`` = no limit.

    Raises:
        mandategraph.errors.DocumentError: the file is larger than the limit (or missing).
    """
    path = Path(path)
    limit = _limit(max_bytes)
    if not limit or path.suffix.lower() in _BINARY_FORMATS:
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read: {exc.strerror}") from exc
    if size > limit:
        raise _too_large(path, f"{size:,} bytes", limit)


def _limit(max_bytes: int | None) -> int:
    limit = DEFAULT_MAX_DOCUMENT_BYTES if max_bytes is None else max_bytes
    return max(limit, 0)


def _too_large(path: Path, size: str, limit: int) -> DocumentError:
    return DocumentError(
        f"{path}: document too large: {size}, the limit is {limit:,} bytes "
        f"(raise {SIZE_SETTING} to accept it)"
    )


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, refused before reading when larger than ``limit`` (0 = none)."""
    check_size(path, max_bytes=limit)
    try:
        with path.open("rb") as handle:
            # A file that grows after stat(), or a FIFO / device whose size stat()
            # does not tell, is never read past the limit either.
            data = handle.read(limit + 1) if limit else handle.read()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read: {exc.strerror}") from exc
    if limit and len(data) > limit:
        raise _too_large(path, f"more than {limit:,} bytes", limit)
    return data


def _check_text_size(path: Path, text: str, limit: int) -> str:
    """``text`` read from a PDF or DOCX, refused when its UTF-8 size passes ``limit``."""
    if limit and len(text) > limit // 4:  # cheap test first: a character is 1-4 bytes
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise _too_large(path, f"{size:,} bytes of text", limit)
    return text


def _decode(path: Path, data: bytes, warnings: list[str]) -> str:
    """The text of ``data``: UTF-8, invalid bytes replaced one by one; or cp1252.

    A file is taken for a legacy 8-bit encoding (cp1252, else Latin-1) only when
    it has more invalid UTF-8 bytes than valid non-ASCII UTF-8 characters: there,
    the invalid bytes are its accented letters. Otherwise each invalid byte becomes
    one U+FFFD and every other character is decoded exactly; the warning names the
    bytes' offsets in the file and the replacements' offsets in the text.
    """
    if not data.strip():
        raise DocumentError(f"{path}: the document is empty")
    if b"\x00" in data[:65536]:
        raise DocumentError(f"{path}: binary file (NUL bytes), not a text document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Each byte that is not UTF-8 becomes one lone surrogate U+DC80..U+DCFF (never
    # produced by valid UTF-8), so the bad bytes can be counted and located.
    escaped = data.decode("utf-8-sig", errors="surrogateescape")
    bad = [match.start() for match in _ESCAPED_BYTE.finditer(escaped)]
    non_ascii = len(escaped) - len(escaped.encode("ascii", errors="ignore"))
    valid = non_ascii - len(bad)
    if len(bad) > valid:
        for encoding in ("cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            first = _byte_offsets(data, escaped, bad[:1])[0]
            warnings.append(
                f"not UTF-8 ({len(bad):,} invalid bytes, {valid:,} valid non-ASCII "
                f"characters; first invalid byte at offset {first}); decoded as {encoding}"
            )
            return text
        raise DocumentError(f"{path}: cannot decode the text")  # pragma: no cover
    text = _ESCAPED_BYTE.sub("\ufffd", escaped)  # one character for one: offsets kept
    shown = bad[:_LISTED_OFFSETS]
    more = f" and {len(bad) - len(shown):,} more" if len(bad) > len(shown) else ""
    plural = "" if len(bad) == 1 else "s"
    warnings.append(
        f"{len(bad):,} invalid UTF-8 byte{plural} replaced by U+FFFD, at byte offset{plural} "
        f"{', '.join(map(str, _byte_offsets(data, escaped, shown)))}{more} "
        f"(text offset{plural} {', '.join(map(str, shown))}{more})"
    )
    return text


def _byte_offsets(data: bytes, escaped: str, positions: list[int]) -> list[int]:
    """File offsets of the escaped bytes at ``positions`` (ascending) of ``escaped``."""
    offsets = []
    byte = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    previous = 0
    for position in positions:
        # everything before the bad byte re-encodes to exactly the bytes it came from
        byte += len(escaped[previous:position].encode("utf-8", errors="surrogateescape"))
        offsets.append(byte)
        previous = position
    return offsets


def _reject_binary(path: Path, text: str) -> None:
    sample = text[:65536]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if control > max(8, len(sample) // 100):
        raise DocumentError(f"{path}: mostly non-text content (control characters), not a document")
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters < len(sample.strip()) * 0.3:
        raise DocumentError(f"{path}: mostly non-text content, not a document")


def _read_pdf(path: Path, limit: int) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # optional dependency
        raise DocumentError(f"{path}: reading PDF needs the 'pypdf' package") from exc
    try:
        reader = PdfReader(str(path))
        pages: list[str] = []
        length = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            length += len(text) + (2 if pages else 0)  # the "\n\n" joining pages
            pages.append(text)
            if limit and length > limit:
                # stop reading pages: the text is over the limit in characters already
                raise _too_large(path, f"more than {limit:,} bytes of text", limit)
        return "\n\n".join(pages)
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        # a damaged file surfaces as whichever lookup fails first in the parser
        raise DocumentError(f"{path}: not a readable PDF: {_one_line(exc)}") from exc


def _read_docx(path: Path) -> str:
    try:
        import docx
    except ImportError as exc:  # optional dependency
        raise DocumentError(f"{path}: reading DOCX needs the 'python-docx' package") from exc
    # python-docx says "Package not found" for a file that is there but is no ZIP
    # archive; name the actual problem instead.
    if not zipfile.is_zipfile(path):
        raise DocumentError(f"{path}: not a readable DOCX file (not a ZIP package)")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types
        raise DocumentError(f"{path}: not a readable DOCX file: {_one_line(exc)}") from exc
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def _one_line(exc: BaseException) -> str:
    """A library's error message on one line (CLI messages are one line each)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def _meta_str(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    return str(value).strip() or None


def _stem(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def _symbol_of(text: str) -> str | None:
    symbols = find_symbols(text[:2000])
    return symbols[0].symbol if symbols else None


def _year_of(text: str, symbol: str | None) -> int | None:
    if symbol:
        match = re.search(r"/(\d\d)\)$", symbol)
        if match:
            return (
                2000 + int(match.group(1))
                if int(match.group(1)) < 70
                else 1900 + int(match.group(1))
            )
    years = [int(y) for y in _YEAR.findall(text[:200000])]
    # A report covers the latest year it talks about (earlier years are history).
    return max(years) if years else None


def _title_of(text: str, kind: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if kind == "resolution" and len(lines) > 1:
        # The line after the symbol is the title.
        for index, line in enumerate(lines[:5]):
            if re.match(r"AG\s*/\s*RES", line, re.I) and index + 1 < len(lines):
                return lines[index + 1].strip("# ")
    first = lines[0].lstrip("# ") if lines else ""
    return first if len(first) <= 160 else first[:157].rsplit(" ", 1)[0] + "..."
