"""Citations: resolution symbols and operative-paragraph references in fr / en / es.

A symbol is what the OAS prints, ``AG/RES. 2485 (XXXIX-O/09)``; documents print it
with a digit zero for the letter O, extra spaces, a line break inside, no space
after the period, or without the session part. Symbols are regular strings, so a
regular expression reads them; :func:`normalize_symbol` gives the one canonical form.

A paragraph reference ("paragraphe 5.b du dispositif de la résolution AG/RES. 2485
(XXXIX-O/09)", "operative paragraphs 2 and 4 of resolution ...", "inciso c del
párrafo 2 de la resolución ...") yields one :class:`Citation` per paragraph path
(``5.b``). "la résolution précitée" / "the aforementioned resolution" / "la
resolución antes mencionada" resolve to the last symbol named before. When the
report quotes the mandate right after the reference ("demandant au Secrétariat
général de “...”"), the quoted words become the citation's :attr:`Citation.text`
and the body asked becomes its :attr:`Citation.addressee`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from mandategraph.graph.extraction import lexicon

#: ``AG/RES. 2485 (XXXIX-O/09)`` and its noisy spellings. ``\s`` spans line breaks.
SYMBOL_RE = re.compile(
    r"\bAG\s*/\s*RES\s*\.?\s*(?P<num>\d{1,4})(?!\d)"
    r"(?:\s*\(\s*(?P<roman>[IVXLC]{1,8})\s*[-‐–]\s*(?P<type>[OoE0])\s*/\s*(?P<yy>\d{2})\s*\))?"
)

# One paragraph path: "5", "5.b", "5 b)", "3(b)", "3 (b)", "2.b".
_PID = r"\d{1,2}(?:\s?\.\s?[a-z](?![a-zà-ÿ])|\s?\(\s?[a-z]\s?\)|\s[a-z]\)|\.?[a-z]\))?"
_PID_RE = re.compile(r"(?P<num>\d{1,2})(?:\D{0,3}?(?P<sub>[a-z]))?\)?$")
_SEP = r"(?:\s*,\s*(?:and\s+|et\s+|y\s+)?|\s+(?:et|and|y|e|&)\s+)"
_PARA_WORD = (
    r"(?:operative\s+paragraphs?|paragraphs?|paragraphes?"
    r"|p[áa]rrafos?(?:\s+resolutivos?)?|par[áa]grafos?)"
)
# "paragraphe 5.b", "operative paragraphs 2 and 4", "párrafos resolutivos 2.a y 2.c"
PARAGRAPH_RE = re.compile(
    rf"\b{_PARA_WORD}\s+(?:n[°o.]\s*)?(?P<list>{_PID}(?:{_SEP}{_PID})*)", re.I
)
# "inciso c del párrafo 2", "subparagraph (b) of operative paragraph 3",
# "alinéa b du paragraphe 5"
SUBPARAGRAPH_RE = re.compile(
    r"\b(?:incisos?|sub-?paragraphs?|alinéas?|literal(?:es)?)\s+"
    r"(?P<letters>\(?[a-z]\)?(?:\s*(?:,|y|e|et|and)\s*\(?[a-z]\)?)*)\s+"
    r"(?:del|de|of|du)\s+(?:operative\s+)?(?:p[áa]rrafo|paragraph|paragraphe)\s+"
    r"(?:resolutivo\s+)?(?P<num>\d{1,2})\b",
    re.I,
)
# "operative paragraph 3, subparagraph (e)", "párrafo 3, inciso e)"
PARAGRAPH_SUB_RE = re.compile(
    rf"\b{_PARA_WORD}\s+(?P<num>\d{{1,2}})\s*,?\s+(?:sub-?paragraph|alinéa|inciso|literal)\s+"
    r"\(?(?P<letter>[a-z])\)?(?![\w])",
    re.I,
)
# Words that point back to the last resolution named (with the lexicon's
# ``same_resolution`` phrases: "la même résolution", "the same resolution").
ANAPHOR_RE = re.compile(
    r"\b(?:"
    + "|".join(lexicon.words("same_resolution"))
    + r"|pr[ée]cit[ée]es?|susmentionn[ée]es?|mentionn[ée]e ci-dessus|(?:above|afore)-?"
    r"\s?mentioned|(?:antes\s+|arriba\s+)?(?:mencionad[ao]|citad[ao])|dich[ao]|cette\s+"
    r"(?:même\s+)?résolution|that\s+resolution|said\s+resolution|esa\s+resoluci[óo]n)\b",
    re.I,
)
# "this resolution" inside a resolution: its own symbol.
SELF_RE = re.compile(
    r"\b(?:(?:la\s+)?présente\s+résolution|this\s+resolution|(?:la\s+)?presente\s+resoluci[óo]n)",
    re.I,
)
_NEGATION = lexicon.pattern("negation")
# a resolution numbered without "AG/RES." right after the reference: another body's
_OTHER_RESOLUTION = re.compile(
    r"[\s,]*(?:of|de|del|du|de\s+la)?\s*(?:the\s+|la\s+)?(?:(?:UN|United\s+Nations)\s+)?"
    r"(?:Security\s+Council\s+)?(?:r[ée]solution|resoluci[óo]n)\s+(?:S/RES/)?\d",
    re.I,
)
_RESOLUTION_WORD = re.compile(r"\b(?:r[ée]solutions?|resoluci[óo]n(?:es)?)\b", re.I)
# A request to a body, right before the quoted mandate text.
_REQUEST_CUE = re.compile(
    r"\b(?:demandant|exhortant|priant|chargeant|invitant|encourageant|"
    r"r[ée]it[ée]rant\s+(?:sa|la|leur)\s+demande|requesting|requests|instructing|instructs|urging"
    r"|asking|calling\s+(?:up)?on|encomendando|encomienda|solicitando|solicita|instando|insta"
    r"|encargando|encarga|pidiendo|reiterando\s+(?:su|la)\s+solicitud)\b\s*",
    re.I,
)
_OPEN_QUOTES = '“«"„'
_CLOSE_FOR = {"“": "”", "«": "»", '"': '"', "„": "“"}
_SENTENCE_END = re.compile(r"[.!?](?=\s+[«“\"(]?[A-ZÀ-ÖØ-Ý¿¡])|\n\s*\n")
# The same two kinds of sentence end, every one with its extent, for _SentenceIndex:
# a period and where its lookahead ends; a line break followed by another across
# blanks only, and that other line break.
_PERIOD_END = re.compile(r"[.!?](?=(\s+[«“\"(]?[A-ZÀ-ÖØ-Ý¿¡]))")
_BLANK_PAIR = re.compile(r"\n(?=([^\S\n]*)\n)")


@dataclass
class SymbolMention:
    """One resolution symbol as printed in a text."""

    symbol: str  # normalized (session part completed when known)
    number: str
    start: int
    end: int
    complete: bool  # the session part was printed


@dataclass
class Citation:
    """A reference to one operative paragraph of one resolution.

    Attributes:
        symbol: the normalized symbol, ``AG/RES. 2485 (XXXIX-O/09)`` (or
            ``AG/RES. 2485`` when the session is named nowhere).
        paragraph: the paragraph path, ``5.b`` or ``5``.
        start: start offset of the reference in the text.
        end: end offset (exclusive) of the reference (through the symbol).
        quote: exactly ``text[start:end]``.
        text: the mandate's words when the document quotes them, else ``None``.
        addressee: the registry key of the body the mandate is addressed to.
        text_start: where the quoted mandate text starts (``-1`` when none).
        text_end: where it ends (exclusive; ``-1`` when none).
        flags: remarks for curators (``session-missing``, ``paragraph-not-found``).
    """

    symbol: str
    paragraph: str
    start: int
    end: int
    quote: str
    text: str | None = None
    addressee: str | None = None
    text_start: int = -1
    text_end: int = -1
    flags: list[str] = field(default_factory=list)

    @property
    def parent(self) -> str | None:
        """The enclosing paragraph path (``5`` for ``5.b``), or ``None``."""
        return self.paragraph.split(".")[0] if "." in self.paragraph else None

    @property
    def mask_end(self) -> int:
        """End of the whole citation region: the quoted mandate text when there is one."""
        return max(self.end, self.text_end)


def normalize_symbol(raw: str) -> str | None:
    """The canonical form of one printed symbol, or ``None`` when ``raw`` is not one.

    >>> normalize_symbol("AG/RES.2485 (XXXIX-0/09)")
    'AG/RES. 2485 (XXXIX-O/09)'
    """
    match = SYMBOL_RE.search(raw)
    return _normal(match) if match else None


def _normal(match: re.Match[str]) -> str:
    number = str(int(match.group("num")))
    if match.group("roman"):
        kind = match.group("type").upper().replace("0", "O")
        return f"AG/RES. {number} ({match.group('roman').upper()}-{kind}/{match.group('yy')})"
    return f"AG/RES. {number}"


def find_symbols(text: str) -> list[SymbolMention]:
    """Every resolution symbol in ``text``, in order, session part completed.

    A symbol printed without its session ("AG/RES. 2485") takes the full symbol of
    the same number printed elsewhere in the text (the most frequent one if
    several), and stays ``AG/RES. 2485`` when there is none.
    """
    mentions: list[SymbolMention] = []
    full: dict[str, Counter[str]] = {}
    for match in SYMBOL_RE.finditer(text):
        symbol = _normal(match)
        number = str(int(match.group("num")))
        complete = match.group("roman") is not None
        if complete:
            full.setdefault(number, Counter())[symbol] += 1
        mentions.append(SymbolMention(symbol, number, match.start(), match.end(), complete))
    for mention in mentions:
        if not mention.complete and mention.number in full:
            mention.symbol = full[mention.number].most_common(1)[0][0]
    return mentions


def _paths(listing: str) -> list[str]:
    paths = []
    for piece in re.split(_SEP, listing, flags=re.I):
        piece = piece.strip()
        match = _PID_RE.search(re.sub(r"\s+", "", piece)) if piece else None
        if not match:
            continue
        num = str(int(match.group("num")))
        paths.append(f"{num}.{match.group('sub').lower()}" if match.group("sub") else num)
    return paths


#: How far the sentence of a reference reaches on either side, in characters: the
#: words read around it (a quoted mandate, a symbol earlier in the sentence) are
#: near it, and a text without sentence ends must not make every reference read
#: the whole text. Real ones reach far less (at most 702 characters in the corpus,
#: the dev corpus and the test fixtures).
SENTENCE_REACH = 5000


class _SentenceIndex:
    """The sentence around any offset of one text, from positions found in one pass.

    :meth:`bounds` gives what scanning the text with ``_SENTENCE_END`` around the
    offset gives (the sentence starts after the last sentence end before it, no
    further back than the last blank line, and ends with the next sentence end),
    without that scan: it went back to the last ``"\\n\\n"``, which in a text without
    one (CRLF line ends, a PDF's single line breaks) is the start of the text, for
    every reference: quadratic time. Here each call is two binary searches.
    """

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # every "\n\n", overlapping ones too, as str.rfind finds them
        self._blank_lines = [match.start() for match in re.finditer(r"(?=\n\n)", text)]
        periods = list(_PERIOD_END.finditer(text))
        self._periods = [match.start() for match in periods]
        # where each period's lookahead ends: a scan that stops before it misses the
        # period (increasing with the period: nothing but blanks, a quote and a
        # capital lies between a period and the end of its lookahead)
        self._period_reach = [match.end(1) for match in periods]
        pairs = list(_BLANK_PAIR.finditer(text))
        self._pair_firsts = [match.start() for match in pairs]
        self._pair_seconds = [match.end(1) for match in pairs]
        # positions where a sentence end begins, as _SENTENCE_END.search finds them
        self._ends = sorted(self._periods + self._pair_firsts)

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """``(sentence start, sentence end)`` around ``[start, end)``, reaching at most
        :data:`SENTENCE_REACH` characters out on either side."""
        return (
            max(self._start_before(start), start - SENTENCE_REACH),
            min(self._end_after(end), end + SENTENCE_REACH),
        )

    def _start_before(self, start: int) -> int:
        # the last blank line that ends at or before ``start`` (rfind("\n\n", 0, start))
        index = bisect.bisect_right(self._blank_lines, start - 2) - 1
        floor = self._blank_lines[index] if index >= 0 else 0
        # the end of the last sentence end found between ``floor`` and ``start`` by a
        # scan that stops at ``start``: a period whose lookahead fits before it ...
        left = floor
        index = bisect.bisect_right(self._period_reach, start) - 1
        if index >= 0 and self._periods[index] >= floor:
            left = self._periods[index] + 1
        # ... or two line breaks across blanks, both before it
        index = bisect.bisect_left(self._pair_seconds, start) - 1
        if index >= 0 and self._pair_firsts[index] >= floor:
            left = max(left, self._pair_seconds[index] + 1)
        return left

    def _end_after(self, end: int) -> int:
        index = bisect.bisect_left(self._ends, end)
        return self._ends[index] + 1 if index < len(self._ends) else self.length


def find_citations(
    text: str,
    *,
    resolve_addressee: Callable[[str], str | None] | None = None,
    own_symbol: str | None = None,
    symbols: list[SymbolMention] | None = None,
) -> list[Citation]:
    """Every operative-paragraph reference in ``text``, one citation per path.

    Args:
        text: the document text (offsets index into it).
        resolve_addressee: maps a body's name ("Secrétariat général") to a registry
            key (``OAS-GS``); without it addressees stay ``None``.
        own_symbol: the symbol of the document itself when it is a resolution, for
            "paragraph 3 of this resolution".
        symbols: the symbols of ``text`` when already found (saves a pass).

    Returns:
        Citations in text order. A reference whose resolution cannot be told is
        dropped (nothing is guessed).
    """
    symbols = find_symbols(text) if symbols is None else symbols
    refs: list[tuple[int, int, list[str]]] = []
    for match in SUBPARAGRAPH_RE.finditer(text):
        num = str(int(match.group("num")))
        letters = re.findall(
            r"[a-z]", match.group("letters").lower().replace("et", ",").replace("and", ",")
        )
        refs.append((match.start(), match.end(), [f"{num}.{letter}" for letter in letters]))
    for match in PARAGRAPH_SUB_RE.finditer(text):
        if any(s <= match.start() < e for s, e, _ in refs):
            continue
        num = str(int(match.group("num")))
        refs.append((match.start(), match.end(), [f"{num}.{match.group('letter').lower()}"]))
    refs.sort()
    # sub-paragraph references, in order and apart: only the last one starting
    # before a paragraph reference can hold it
    taken_starts = [s for s, _e, _ in refs]
    taken_ends = [e for _s, e, _ in refs]
    for match in PARAGRAPH_RE.finditer(text):
        index = bisect.bisect_right(taken_starts, match.start()) - 1
        if index >= 0 and match.start() < taken_ends[index]:
            continue
        paths = _paths(match.group("list"))
        if paths:
            refs.append((match.start(), match.end(), paths))
    refs.sort()

    sentences = _SentenceIndex(text)
    citations: list[Citation] = []
    for ref_start, ref_end, paths in refs:
        resolved = _resolve_symbol(text, ref_start, ref_end, symbols, sentences, own_symbol)
        if resolved is None:
            continue
        symbol, end, flags = resolved
        sent_start, sent_end = sentences.bounds(ref_start, end)
        if _NEGATION.search(text, sent_start, sent_end):
            continue  # "No activities were carried out under paragraph 3.g": not implemented
        quoted = _quoted_mandate(text, end, sent_end) if len(paths) == 1 else None
        addressee = None
        mandate_text = None
        text_start = text_end = -1
        if quoted is not None:
            mandate_text, text_start, text_end, body = quoted
            if resolve_addressee is not None and body:
                addressee = _resolve_body(body, resolve_addressee)
        for path in paths:
            citations.append(
                Citation(
                    symbol=symbol,
                    paragraph=path,
                    start=ref_start,
                    end=end,
                    quote=text[ref_start:end],
                    text=mandate_text,
                    addressee=addressee,
                    text_start=text_start,
                    text_end=text_end,
                    flags=list(flags),
                )
            )
    return citations


def _resolve_symbol(
    text: str,
    ref_start: int,
    ref_end: int,
    symbols: list[SymbolMention],
    sentences: _SentenceIndex,
    own_symbol: str | None,
) -> tuple[str, int, list[str]] | None:
    """The resolution a paragraph reference points to, and where the reference ends.

    ``symbols`` are in text order (as :func:`find_symbols` gives them, apart from
    each other), so the ones after and before the reference are found by bisection.
    """
    sent_start, sent_end = sentences.bounds(ref_start, ref_end)
    window_end = min(sent_end, ref_end + 160)
    flags: list[str] = []
    if _OTHER_RESOLUTION.match(text, ref_end, window_end):
        # "paragraph 2 of Security Council resolution 1540 (2004)": an instrument of
        # another body, not an OAS mandate
        return None
    # 1. a symbol right after ("... du dispositif de la résolution AG/RES. 2485 ...")
    index = bisect.bisect_left(symbols, ref_end, key=lambda m: m.start)
    if index < len(symbols) and symbols[index].start < window_end:
        mention = symbols[index]
        gap = text[ref_end : mention.start]
        if not (PARAGRAPH_RE.search(gap) or len(gap) > 120):
            if not mention.complete and mention.symbol == f"AG/RES. {mention.number}":
                flags.append("session-missing")
            return mention.symbol, mention.end, flags
    after = text[ref_end:window_end]
    # 2. "this resolution" in a resolution
    self_match = SELF_RE.match(after.lstrip(" ,")) or SELF_RE.search(after[:60])
    if self_match and own_symbol:
        return own_symbol, ref_end, flags
    # 3. "la résolution précitée" -> the last symbol named before
    anaphor = ANAPHOR_RE.search(after[:80])
    index = bisect.bisect_right(symbols, ref_start, key=lambda m: m.end)
    last_before = symbols[index - 1] if index > 0 else None
    if anaphor and last_before and _RESOLUTION_WORD.search(after[: anaphor.end() + 20]):
        return last_before.symbol, ref_end + anaphor.end(), flags
    # 4. a symbol earlier in the same sentence ("resolution AG/RES. 2485 ..., paragraph 3")
    if last_before is not None and last_before.start >= sent_start:
        return last_before.symbol, ref_end, flags
    # 5. in a resolution, a bare "paragraph 3" with "of this resolution"
    return None


def _quoted_mandate(text: str, start: int, sent_end: int) -> tuple[str, int, int, str] | None:
    """The quoted mandate after a reference: (words, start, end, body asked)."""
    region = text[start:sent_end]
    cue = _REQUEST_CUE.search(region)
    if cue is None or cue.start() > 40:
        return None
    after_cue = start + cue.end()
    # the opening quote must follow the cue closely ("demandant au Secrétariat
    # général, par le biais du SSM, de “...")
    open_at = -1
    for index in range(after_cue, min(after_cue + 110, sent_end)):
        if text[index] in _OPEN_QUOTES:
            open_at = index
            break
    if open_at < 0:
        return None
    closing = _CLOSE_FOR[text[open_at]]
    # no further than the longest quote taken: an unclosed quote in a long text
    # would otherwise be looked for to its end, for every reference
    close_at = text.find(closing, open_at + 1, open_at + 2001)
    if close_at < 0:
        return None
    inner_start = open_at + 1
    inner_end = close_at
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and text[inner_end - 1].isspace():
        inner_end -= 1
    body = text[after_cue:open_at]
    return text[inner_start:inner_end], inner_start, close_at + 1, body


_BODY_CUT = re.compile(
    r"\s*(?:,|\bde\b|\bd[’']|\bà\b|\bto\b|\bthat\b|\bque\b|\ba\s+(?=\w+r\b))", re.I
)
_BODY_ARTICLE = re.compile(
    r"^(?:(?:au|aux|à\s+la|à\s+l[’']|le|la|les|l[’']|the|a\s+la|al|el|los|las)\s+)", re.I
)


def _resolve_body(body: str, resolve: Callable[[str], str | None]) -> str | None:
    """Registry key of the body named between a request cue and the quote."""
    phrase = " ".join(body.split())
    phrase = _BODY_ARTICLE.sub("", phrase)
    cut = _BODY_CUT.search(phrase)
    candidates = [phrase[: cut.start()]] if cut and cut.start() > 0 else []
    candidates.append(phrase)
    for candidate in candidates:
        candidate = candidate.strip(" ,")
        if not candidate:
            continue
        key = resolve(candidate)
        if key:
            return key
        stripped = _BODY_ARTICLE.sub("", candidate).strip()
        if stripped != candidate:
            key = resolve(stripped)
            if key:
                return key
    return None
