"""Resolution documents: symbol, title, adoption date, preamble and operative paragraphs.

:func:`parse_resolution` reads what a resolution says about itself; the extraction
(:mod:`mandategraph.graph.extraction.extract`) turns it into the resolution's graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from mandategraph.graph.extraction.citations import SymbolMention, find_symbols

Span = tuple[int, int]


@dataclass
class ResolutionParagraph:
    """An operative paragraph (or lettered sub-paragraph) of a resolution document."""

    path: str
    text: str
    start: int
    end: int
    addressee: str | None = None


@dataclass
class ParsedResolution:
    """What a resolution document says about itself."""

    symbol: str | None
    title: str | None
    title_span: Span | None
    adopted: str | None  # xsd:date lexical form
    adoption_span: Span | None
    preamble: list[Span] = field(default_factory=list)
    paragraphs: list[ResolutionParagraph] = field(default_factory=list)


_OPERATIVE_HEAD = re.compile(
    r"^[ \t]*(?:RESOLVES|DECIDES|RÉSOUT|DÉCIDE|DECIDE|RESUELVE)\s*:?[ \t]*$", re.M
)
_PREAMBLE_HEAD = re.compile(
    r"^[ \t]*(?:THE\s+GENERAL\s+ASSEMBLY|L['’]ASSEMBLÉE\s+GÉNÉRALE|LA\s+ASAMBLEA\s+GENERAL)"
    r"\s*,?[ \t]*$",
    re.M | re.I,
)
_NUMBERED = re.compile(r"^[ \t]*(?P<num>\d{1,2})\s*[.)][ \t]+(?P<body>\S)", re.M)
_LETTERED = re.compile(r"^[ \t]*\(?(?P<letter>[a-z])\s*[.)][ \t]+(?P<body>\S)", re.M)
_ADOPTION = re.compile(
    r"\((?:Adopted|Adoptée?|Aprobada|Adoptada)[^)]*?(?P<date>(?:\w+\s+\d{1,2},\s+\d{4})|"
    r"(?:\d{1,2}(?:er)?\s+(?:de\s+)?\w+\s+(?:de\s+)?\d{4}))[^)]*\)",
    re.I,
)
_MONTH_NUMBERS = {
    name: index
    for names in (
        "january february march april may june july august september october november december",
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    )
    for index, name in enumerate(names.split(), start=1)
}
_ADDRESSEE_CUE = re.compile(
    r"^(?:To\s+)?(?:instruct|request|urge|ask|encourage|charge|entrust|call\s+upon|invite)s?\s+(?:the\s+)?|"
    r"^(?:Encomendar|Encargar|Solicitar|Instar|Pedir|Invitar|Alentar)\s+(?:a\s+la\s+|al\s+|a\s+los\s+|a\s+las\s+|a\s+)?|"
    r"^(?:Encarga|Encomienda|Solicita|Insta|Pide|Invita|Alienta)\s+(?:a\s+la\s+|al\s+|a\s+los\s+|a\s+)?|"
    r"^(?:Charger|Demander|Prier|Exhorter|Inviter|Encourager)\s+(?:le\s+|la\s+|les\s+|l['’])?|"
    r"^(?:Charge|Demande|Prie|Exhorte|Invite|Encourage)\s+(?:au\s+|à\s+la\s+|aux\s+|le\s+|la\s+|les\s+|l['’])?",
    re.I,
)


def _date_of(raw: str) -> str | None:
    words = re.findall(r"\w+", raw.lower())
    numbers = [int(w) for w in words if w.isdigit()]
    months = [_MONTH_NUMBERS[w] for w in words if w in _MONTH_NUMBERS]
    if len(numbers) < 2 or not months:
        return None
    year = max(numbers)
    day = min(numbers)
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{months[0]:02d}-{day:02d}"


def parse_resolution(
    text: str,
    *,
    resolve_addressee: Callable[[str], str | None] | None = None,
    symbols: list[SymbolMention] | None = None,
) -> ParsedResolution:
    """Symbol, title, adoption date, preamble and operative paragraphs of a resolution.

    The operative part starts at a line "RESOLVES:" / "DÉCIDE :" / "RESUELVE:";
    paragraphs are "1. ..." lines, sub-paragraphs "a. ..." / "(a) ..." / "a) ...".
    An addressee is read from the opening words ("To instruct the General
    Secretariat", "Encomendar a la Secretaría General", "Charge le Secrétariat
    général") and inherited by the lettered sub-paragraphs of its chapeau.
    """
    symbols = find_symbols(text[:3000]) if symbols is None else symbols
    symbol = symbols[0].symbol if symbols else None
    title = None
    title_span: Span | None = None
    if symbols:
        line = re.compile(r"[^\n]*\S[^\n]*").search(text, symbols[0].end)
        while line and not line.group().strip(" )(").strip():
            line = re.compile(r"[^\n]*\S[^\n]*").search(text, line.end())
        if line and len(line.group().strip()) < 300 and not line.group().strip().startswith("("):
            raw = line.group()
            offset = len(raw) - len(raw.lstrip())
            title = raw.strip()
            title_span = (line.start() + offset, line.start() + offset + len(title))
    adoption = _ADOPTION.search(text[:5000])
    adopted = _date_of(adoption.group("date")) if adoption else None
    head = _OPERATIVE_HEAD.search(text)
    parsed = ParsedResolution(
        symbol, title, title_span, adopted, (adoption.start(), adoption.end()) if adoption else None
    )
    pre = _PREAMBLE_HEAD.search(text)
    pre_start = pre.end() if pre else (adoption.end() if adoption else 0)
    pre_end = head.start() if head else len(text)
    for block in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", text[pre_start:pre_end]):
        raw = block.group()
        if raw.strip():
            s = pre_start + block.start() + (len(raw) - len(raw.lstrip()))
            parsed.preamble.append((s, pre_start + block.end() - (len(raw) - len(raw.rstrip()))))
    if head is None:
        return parsed
    body_start = head.end()
    numbered = [m for m in _NUMBERED.finditer(text, body_start)]
    # keep the numbering sequence 1, 2, 3 ... (ignores numbers inside the text)
    chain = []
    expected = 1
    for match in numbered:
        if int(match.group("num")) == expected:
            chain.append(match)
            expected += 1
    ends = [m.start() for m in chain[1:]] + [len(text)]
    for match, end in zip(chain, ends, strict=True):
        number = str(int(match.group("num")))
        chunk_start = match.start("body")
        letters = [m for m in _LETTERED.finditer(text, chunk_start, end)]
        seq = []
        expected_letter = "a"
        for lm in letters:
            if lm.group("letter") == expected_letter:
                seq.append(lm)
                expected_letter = chr(ord(expected_letter) + 1)
        own_end = seq[0].start() if seq else end
        own_text = text[chunk_start:own_end].strip()
        own_end = chunk_start + len(text[chunk_start:own_end].rstrip())
        addressee = _addressee(own_text, resolve_addressee)
        parsed.paragraphs.append(
            ResolutionParagraph(number, " ".join(own_text.split()), chunk_start, own_end, addressee)
        )
        sub_ends = ([m.start() for m in seq[1:]] + [end]) if seq else []
        for lm, sub_end in zip(seq, sub_ends, strict=True):
            sub_start = lm.start("body")
            raw = text[sub_start:sub_end]
            sub_text = " ".join(raw.split())
            parsed.paragraphs.append(
                ResolutionParagraph(
                    f"{number}.{lm.group('letter')}",
                    sub_text,
                    sub_start,
                    sub_start + len(raw.rstrip()),
                    _addressee(sub_text, resolve_addressee) or addressee,
                )
            )
    return parsed


def _addressee(text: str, resolve: Callable[[str], str | None] | None) -> str | None:
    if resolve is None:
        return None
    cue = _ADDRESSEE_CUE.match(text)
    if cue is None:
        return None
    rest = text[cue.end() :]
    phrase = re.split(
        r"\s+(?:to|de|d['’]|à|que|that|a\s+que|para\s+que)\s+|[,:;]", rest, maxsplit=1
    )[0]
    words = phrase.split()
    # try the longest name first: "General Secretariat, through the Secretariat ..." -> GS
    for size in range(min(len(words), 12), 0, -1):
        key = resolve(" ".join(words[:size]))
        if key:
            return str(key)
    return None
