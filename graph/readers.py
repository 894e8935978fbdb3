"""Readers: a document file -> a :class:`Document` (text, language, kind, metadata).

Plain text and Markdown are read as they are; PDF (pypdf) and DOCX (python-docx) are
read when those libraries are installed. The text is kept exactly as decoded: every
character offset the extractor emits indexes into :attr:`Document.text`, so nothing
is normalized in place.

An optional metadata sidecar ``<stem>.yaml`` beside the file (see
``corpus/*.yaml``) gives the title, kind, language, publisher, year, symbol and slug;
what it does not give is detected from the text.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.errors import DocumentError
from ontology.namespaces import slugify

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
        warnings: things a human may want to know (fallback decoding, guesses).
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
    path: str | Path, *, lang: str | None = None, kind: str | None = None
) -> Document:
    """Read one document file.

    Args:
        path: a ``.txt``, ``.md``, ``.pdf`` or ``.docx`` file.
        lang: force the language (``fr``, ``en``, ``es``) instead of detecting it.
        kind: force the kind (``report``, ``resolution``) instead of detecting it.

    Returns:
        The :class:`Document`, its text exactly as decoded.

    Raises:
        graph.errors.DocumentError: the file is missing, empty, binary, not
            decodable, or an option has a value outside the known ones.
    """
    path = Path(path)
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
        text = _read_pdf(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        text = _decode(path, path.read_bytes(), warnings)
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
        log.warning("%s", warning)
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
        graph.errors.DocumentError: the sidecar exists but is not a YAML mapping.
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


def _decode(path: Path, data: bytes, warnings: list[str]) -> str:
    if not data.strip():
        raise DocumentError(f"{path}: the document is empty")
    if b"\x00" in data[:65536]:
        raise DocumentError(f"{path}: binary file (NUL bytes), not a text document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warnings.append(f"{path.name}: not valid UTF-8 (byte {first_bad}); decoded as {encoding}")
        return text
    raise DocumentError(f"{path}: cannot decode the text")  # pragma: no cover (latin-1 decodes all)


def _reject_binary(path: Path, text: str) -> None:
    sample = text[:65536]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if control > max(8, len(sample) // 100):
        raise DocumentError(f"{path}: mostly non-text content (control characters), not a document")
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters < len(sample.strip()) * 0.3:
        raise DocumentError(f"{path}: mostly non-text content, not a document")


def _read_pdf(path: Path) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # optional dependency
        raise DocumentError(f"{path}: reading PDF needs the 'pypdf' package") from exc
    try:
        reader = PdfReader(str(path))
        return "\n\n".join((page.extract_text() or "") for page in reader.pages)
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
    from graph.citations import find_symbols

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
