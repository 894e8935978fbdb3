"""Segmentation: numbered sections, paragraphs and sentences, with character offsets.

Every span is a pair of offsets ``[start, end)`` into the document text as read;
nothing is rewritten. Sections are the numbered headings of a report ("1)" on its
own line followed by the heading, "2. Border control", "IV) ..."): a marker only
counts when it continues the numbering (1, 2, 3 or I, II, III), which keeps
numbered lists inside a section from being taken for sections. Text before the
first section (or a whole document without numbered sections) is the implicit
section ``"0"``.

Paragraphs are lines, except that a line broken inside a sentence ("Mini-Groupe de
Dublin" / "/ pour la Caraïbe") is joined to the next one. A line starting with a
footnote marker (U+FFFD, "1/", "[1]", "*") is a footnote paragraph.

Sentence boundaries are our own rules on the text (a period, question or
exclamation mark followed by a capital, not after a known abbreviation such as
"AG/RES.", "art.", "M.", "Mr.", "Sra."): they are predictable on the noisy text of
reports and cost nothing on 10 MB; spaCy tokenizes the sentences later, for matching.
A run of more than :data:`SENTENCE_MAX` characters without a sentence end (a table,
a list, a text without punctuation) is cut at a line break or a space: the
activity rules compare the names and triggers of a sentence pairwise, so one
sentence of megabytes would cost time quadratic in its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mandategraph.graph.extraction import lexicon

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

# "1)", "1.", "I.", "II)", optionally after Markdown '#'s, then an optional heading.
_MARKER = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?(?P<num>\d{1,2}|[IVXLC]{1,6}|[A-H])[.)](?:\*\*)?"
    r"(?:[ \t]+(?P<rest>\S[^\n]*))?[ \t]*$",
    re.M,
)
_ANNEX = re.compile(
    r"^[ \t]*(?:"
    + "|".join(lexicon.words("annex_headings"))
    + r")\b[^\n]{0,120}$",
    re.M,
)
_FOOTNOTE = re.compile(r"^[ \t]*(?:\ufffd|\d{1,2}/(?=\s)|\[\d{1,3}\]|\*(?=\s))")
_HEADING_MAX = 150
_ABBREVIATIONS = frozenset(
    """m mm mr mrs ms dr drs sr sra srta sres st ste sto sta art arts no nos núm nº n° p pp cf
    ex res corr vol inc ltd co av prof mme mlle messrs jr dept gen gov sec amb lic ing
    e.g i.e p.ex etc al approx env aprox ca""".split()
)
# A sentence ends at . ! ? (and any closing quote/bracket), before whitespace and a
# capital, an opening quote or a digit.
_BOUNDARY = re.compile(r"[.!?…][\"”»’)\]]*(?=\s+[\"“«(¿¡]?[A-ZÀ-ÖØ-Ý0-9])")
_LAST_WORD = re.compile(r"([\w./]+)\.$")
#: The longest sentence, in characters. Real ones are far shorter (the longest of
#: the corpus, the dev corpus and the test fixtures has 732 characters).
SENTENCE_MAX = 5000


@dataclass
class Section:
    """A numbered section: ``number`` ("2"), its heading, and ``[start, end)``."""

    number: str
    heading: str
    start: int
    end: int
    heading_start: int = -1
    heading_end: int = -1
    implicit: bool = False


@dataclass
class Paragraph:
    """A paragraph ``[start, end)`` in a section; ``kind`` is text|heading|footnote."""

    start: int
    end: int
    section: str
    kind: str = "text"


@dataclass
class Sentence:
    """A sentence ``[start, end)``; ``text`` is exactly ``document[start:end]``."""

    start: int
    end: int
    text: str
    section: str
    paragraph: int = 0
    footnote: bool = False


@dataclass
class Segmentation:
    """Sections, paragraphs and sentences of one text, in order."""

    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    def section(self, number: str) -> Section | None:
        """The section numbered ``number``, or ``None``."""
        return next((s for s in self.sections if s.number == number), None)

    def section_at(self, offset: int) -> Section:
        """The section containing ``offset``."""
        found = self.sections[0]
        for section in self.sections:
            if section.start <= offset:
                found = section
            else:
                break
        return found


def _styles(number: str) -> dict[str, int]:
    """The numbering styles a marker may belong to, with its value in each: "C" is
    the third letter or the roman hundred, "IV" only roman, "B" only a letter."""
    if number.isdigit():
        return {"arabic": int(number)}
    styles: dict[str, int] = {}
    if all(ch in _ROMAN for ch in number):
        styles["roman"] = _value(number)
    if len(number) == 1:
        styles["letter"] = ord(number) - ord("A") + 1
    return styles


# A heading without a number: a line in capitals standing alone between blank lines.
_CAPS_HEADING = re.compile(
    r"(?:(?<=\n\n)|(?<=\n[ \t]\n))[ \t]*(?P<h>[A-ZÀ-ÖØ-Ý][A-ZÀ-ÖØ-Ý0-9 ,'’:&/()-]{4,120}"
    r"[A-ZÀ-ÖØ-Ý)])[ \t]*\n[ \t]*\n"
)
_BODY_SENTENCE = re.compile(r"[a-zà-ÿ][.;]\s*\n")


def _unnumbered_sections(text: str) -> list[Section]:
    """Sections headed by lines in capitals, in a report that numbers none: after the
    first paragraph of body text (the title block before it is no section), and not
    an annex or the "INTRODUCTION"."""
    body = _BODY_SENTENCE.search(text)
    if body is None:
        return []
    found: list[Section] = []
    for match in _CAPS_HEADING.finditer(text, body.end()):
        heading = match.group("h").strip()
        if _ANNEX.match(heading):
            break  # the annex is apart (below)
        if sum(ch.isalpha() for ch in heading) < 5:
            continue
        number = str(len(found) + 1)
        found.append(
            Section(number, heading, match.start("h"), len(text), match.start("h"), match.end("h"))
        )
    for current, following in zip(found, found[1:], strict=False):
        current.end = following.start
    return found


def _annex_at(text: str, start: int) -> int | None:
    """Where an annex heading ("ANNEX: LIST OF ACTIVITIES") starts after ``start``."""
    match = _ANNEX.search(text, start)
    return match.start() if match else None


def _value(number: str) -> int:
    if number.isdigit():
        return int(number)
    total = 0
    for index, char in enumerate(number):
        value = _ROMAN[char]
        following = _ROMAN[number[index + 1]] if index + 1 < len(number) else 0
        total += -value if value < following else value
    return total


def find_sections(text: str) -> list[Section]:
    """The numbered sections of ``text`` (see the module docstring), preamble included.

    Returns:
        Sections in order; the first is the implicit section ``"0"`` when text
        precedes the first numbered heading or when there is none.
    """
    found: list[Section] = []
    style: str | None = None
    expected = 1
    for match in _MARKER.finditer(text):
        number = match.group("num")
        styles = _styles(number)
        fitting = [
            name
            for name, value in styles.items()
            if value == expected and (style is None or name == style)
        ]
        if not fitting:
            continue
        this_style = fitting[0]
        rest = match.group("rest")
        if rest:
            if len(rest) > _HEADING_MAX or not (rest[0].isupper() or rest[0] in '«“"*'):
                continue
            heading_start = match.start("rest")
            heading_end = match.end("rest")
        else:
            # the heading is the next non-empty line
            nxt = re.compile(r"[ \t]*\n(?:[ \t]*\n)*[ \t]*(\S[^\n]*)").match(text, match.end())
            if not nxt or len(nxt.group(1)) > _HEADING_MAX or not nxt.group(1)[0].isupper():
                continue
            heading_start, heading_end = nxt.start(1), nxt.end(1)
        heading = text[heading_start:heading_end].strip().strip("*#").strip().rstrip(":").strip()
        style = this_style
        expected += 1
        found.append(Section(number, heading, match.start(), len(text), heading_start, heading_end))
    for current, following in zip(found, found[1:], strict=False):
        current.end = following.start
    if not found:
        found = _unnumbered_sections(text)
    # an annex after the last section ("ANNEX: LIST OF ACTIVITIES") restates the body:
    # it is a part of its own, read for nothing
    annex = _annex_at(text, found[-1].start + 1) if found else None
    if annex is not None:
        line_end = text.find("\n", annex)
        line_end = len(text) if line_end < 0 else line_end
        found[-1].end = annex
        heading = text[annex:line_end].strip()
        found.append(
            Section("annex", heading, annex, len(text), annex, line_end, implicit=True)
        )
    if not found:
        return [Section("0", "", 0, len(text), implicit=True)]
    if text[: found[0].start].strip():
        found.insert(0, Section("0", "", 0, found[0].start, implicit=True))
    else:
        found[0].start = 0
    # Arabic or roman, the section IRI uses the printed number.
    return found


def _paragraph_spans(
    text: str, start: int, end: int, wrapped: Wrapping | None = None
) -> list[tuple[int, int, str]]:
    """Lines of ``text[start:end]`` grouped into paragraphs (broken lines joined);
    ``wrapped`` says how the lines are wrapped (:func:`wrapping`)."""
    wrapped = wrapped or Wrapping()
    spans: list[tuple[int, int, str]] = []
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text[start:end])]
    current: list[int] | None = None
    kind = "text"
    last_line = (start, start)
    bulleted = False
    for line_start, line_end in lines:
        a, b = start + line_start, start + line_end
        raw = text[a:b]
        if not raw.strip():
            if current:
                spans.append((current[0], current[1], kind))
                current = None
            continue
        # trim surrounding blanks, keep offsets
        a += len(raw) - len(raw.lstrip())
        b -= len(raw) - len(raw.rstrip())
        line = text[a:b]
        is_footnote = bool(_FOOTNOTE.match(line))
        # the paragraph so far ends with a non-blank character (lines are trimmed):
        # that character is all _continues reads of it, and slicing the whole
        # paragraph for each of its lines would be quadratic in its length
        # a list item after a blank line starts its own paragraph ("...; y" / "" /
        # "-  un seminario ...")
        item_after_blank = text.count("\n", last_line[1], a) > 1 and bool(
            _NOT_CONTINUATION.match(line)
        )
        if (
            current is not None
            and not is_footnote
            and not item_after_blank
            and kind == "text"
            and (
                _continues(text[current[1] - 1 : current[1]], line)
                or _wraps(text, last_line, a, line, wrapped)
                or (bulleted and _hangs(text, last_line, a, line))
            )
        ):
            current[1] = b
            last_line = (a, b)
            continue
        last_line = (a, b)
        bulleted = bool(_BULLET.match(line))
        if current:
            spans.append((current[0], current[1], kind))
        current = [a, b]
        kind = "footnote" if is_footnote else "text"
    if current:
        spans.append((current[0], current[1], kind))
    return spans


#: A line at least this long that ends without punctuation was wrapped: the text
#: read from a PDF breaks its lines anywhere, before a capital or a digit too.
WRAPPED_LINE = 60
#: In a text set in narrow columns (a two-column page dumped column after column),
#: a line this share of the usual line length or longer was wrapped too.
WRAPPED_SHARE = 0.75
# a bullet or a list marker ("a)", "(iv)", "B.", "12."), not an acronym in brackets
# at a line's start ("(CTU) and the ...")
_NOT_CONTINUATION = re.compile(
    r"[ \t]*(?:[•●▪◦·\-–—*]|\(?(?:[a-z]{1,3}|[A-Z]|[IVXL]{1,4}|\d{1,3})[.)][ \t])"
)


@dataclass(frozen=True)
class Wrapping:
    """How the lines of a text are wrapped.

    Attributes:
        wrapped: a line at least this long that ends without punctuation was wrapped.
        usual: the usual line length when blank lines separate the paragraphs (a PDF
            page dumped as text), else 0: a line about that long ends a sentence at
            the line's end by chance, and the paragraph goes on below it.
    """

    wrapped: int = WRAPPED_LINE
    usual: int = 0


#: Share of the paragraphs' gaps that are blank lines for a text to be laid out in
#: blank-line paragraphs (against one paragraph per line).
BLANK_PARAGRAPHS = 0.05


def wrapping(text: str) -> Wrapping:
    """How the lines of ``text`` are wrapped: from :data:`WRAPPED_LINE` down to
    :data:`WRAPPED_SHARE` of the usual line length (the median of the non-blank
    lines' lengths) when that is shorter (a text set in narrow columns)."""
    lengths = sorted(len(line.strip()) for line in text.splitlines() if line.strip())
    if len(lengths) < 10:
        return Wrapping()
    usual = lengths[len(lengths) // 2]
    wrapped = WRAPPED_LINE if usual >= WRAPPED_LINE else max(20, int(usual * WRAPPED_SHARE))
    blank = len(re.findall(r"\n[ \t]*\n(?=[ \t]*\S)", text))
    return Wrapping(wrapped, usual if blank >= len(lengths) * BLANK_PARAGRAPHS else 0)


def wrap_width(text: str) -> int:
    """The length from which a line of ``text`` counts as wrapped (:func:`wrapping`)."""
    return wrapping(text).wrapped


def _wraps(
    text: str,
    previous: tuple[int, int],
    start: int,
    line: str,
    wrapped: int | Wrapping = WRAPPED_LINE,
) -> bool:
    """Whether ``line`` (at ``start``) goes on with a sentence (or the paragraph) that
    ``previous``, a wrapped line right above it, breaks."""
    wrap = wrapped if isinstance(wrapped, Wrapping) else Wrapping(wrapped)
    a, b = previous
    if b - a < wrap.wrapped or text.count("\n", b, start) != 1:
        return False  # a short line, or a blank line between: a new paragraph
    if _NOT_CONTINUATION.match(line):
        return False
    if wrap.usual and b - a <= wrap.usual * 2.5 and _PARAGRAPH_GOES_ON.match(line):
        # a full line of a blank-line paragraph: the sentence ends at the line's end
        # by chance ("... 2014." / "Twenty-seven officers ...")
        return True
    if text[b - 1] in "!?:;)»”\"":
        return False
    if text[b - 1] == ".":
        # "approx.\n40 frontline workers": an abbreviation ends no sentence
        word = _LAST_WORD.search(text, max(a, b - 40), b)
        if not word or word.group(1).lower().rsplit("/", 1)[-1] not in _ABBREVIATIONS:
            return False
    return True


# a line that goes on with the paragraph above: a word or a number, not a heading in
# capitals
_PARAGRAPH_GOES_ON = re.compile(r"[ \t]*(?![A-Z]{2,}[ \t]+[A-Z]{2,})[\w\"“«(¿¡]")


_BULLET = re.compile(r"[•●▪◦·\-–—*][ \t]")


def _hangs(text: str, previous: tuple[int, int], start: int, line: str) -> bool:
    """Whether ``line`` (at ``start``) is an indented line of the bulleted item above
    it ("•  un atelier ...;" / "   38 fonctionnaires ... y ont participé;")."""
    if text.count("\n", previous[1], start) != 1 or start == 0 or text[start - 1] not in " \t":
        return False
    return not _NOT_CONTINUATION.match(line)


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` continues a sentence broken at the end of ``previous``."""
    tail = previous.rstrip()
    if not tail or tail[-1] in '.!?:;)»”"':
        return False
    head = line.lstrip()
    return bool(head) and (head[0].islower() or head[0] in "/,;)-–")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (offsets into ``text``)."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        word = _LAST_WORD.search(text[max(cursor, stop - 40) : match.start() + 1])
        if word:
            token = word.group(1).lower().rsplit("/", 1)[-1]
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        spans.append((cursor, stop))
        cursor = stop
        while cursor < end and text[cursor].isspace():
            cursor += 1
    if cursor < end:
        spans.append((cursor, end))
    cut = [piece for a, b in spans for piece in _cut(text, a, b)]
    return [(a, b) for a, b in cut if text[a:b].strip()]


def _cut(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` in pieces of at most :data:`SENTENCE_MAX` characters, each cut
    at the last line break, else the last space, of its second half."""
    pieces: list[tuple[int, int]] = []
    while end - start > SENTENCE_MAX:
        low, limit = start + SENTENCE_MAX // 2, start + SENTENCE_MAX
        cut = text.rfind("\n", low, limit)
        if cut < 0:
            cut = text.rfind(" ", low, limit)
        if cut < 0:
            cut = limit
        stop = cut
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        pieces.append((start, stop))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    pieces.append((start, end))
    return pieces


def segment(text: str) -> Segmentation:
    """Sections, paragraphs and sentences of ``text``.

    Headings are paragraphs of kind ``heading`` and carry no sentences; footnote
    paragraphs carry sentences marked ``footnote``.
    """
    result = Segmentation(sections=find_sections(text))
    wrapped = wrapping(text)
    for section in result.sections:
        heading_span = (section.heading_start, section.heading_end)
        for a, b, kind in _paragraph_spans(text, section.start, section.end, wrapped):
            if section.heading_start >= 0 and (
                a <= heading_span[0] < b or _MARKER.fullmatch(text[a:b])
            ):
                result.paragraphs.append(Paragraph(a, b, section.number, "heading"))
                continue
            index = len(result.paragraphs)
            result.paragraphs.append(Paragraph(a, b, section.number, kind))
            for s, e in split_sentences(text, a, b):
                result.sentences.append(
                    Sentence(s, e, text[s:e], section.number, index, kind == "footnote")
                )
    return result
