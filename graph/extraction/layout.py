"""Layout noise of text taken from PDFs, removed in a view that maps back to the original.

A PDF turned into text carries the page along with the words: a word hyphenated
across a line break ("novem-\\nbre"), page numbers ("- 3 -") and running headers
between two halves of a sentence, footnote markers glued to a word ("PROCCER1")
and the footnote text itself under a rule of underscores. The extraction reads a
*view* of the text with that noise deleted, and every offset it finds is mapped
back to the original text (:meth:`LayoutView.span`), so the graph's quotes are
exactly the document's characters.

The view only deletes characters, never adds or changes one: it is a list of kept
runs of the original, and mapping an offset is one binary search.

* A hyphen at a line end between two letters joins the two halves, without the
  hyphen ("Gouver-\\nnement" -> "Gouvernement"), unless the word is a compound:
  it already holds a hyphen ("Saint-Vincent-\\n et-les Grenadines"), or what
  follows is a capital or itself runs on with a hyphen ("et-les").
* A page-number line ("- 3 -", "Page 3", "Página 3 de 9") goes with the blank lines
  around it, and so does a short line repeated right after two or more of them
  (a running header). One line break stays, two when the text before it ends a
  sentence, so a sentence cut by the page goes on.
* The first lines of a two-column letterhead ("PERMANENT COUNCIL OF THE ...
  OEA/Ser.G") lose their right column, so the left column reads as one name.
* A rule of underscores starts the footnotes of a page: the rule and the notes go,
  up to two blank lines or the page number. The numbers of those notes, when glued
  to the end of a word ("PROCCER1", "violencia2"), go too; so does a marker written
  "1/" glued to a word ("MULTIDIMENSIONAL1/"), or glued to an acronym in
  brackets ("(CTO)2").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_PAGE_LINE = re.compile(
    r"^[ \t]*(?:[-–—][ \t]*\d{1,4}[ \t]*[-–—]|(?:Page|Página|Pág\.)[ \t]+\d{1,4}"
    r"(?:[ \t]+(?:of|de|sur)[ \t]+\d{1,4})?)[ \t]*$",
    re.M,
)
_RULE_LINE = re.compile(r"^[ \t]*_{5,}[ \t]*$", re.M)
_NOTE_NUMBER = re.compile(r"^[ \t]*(\d{1,2})(?:[./)]|[ \t])", re.M)
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n[ \t]*(?=[^\W\d_])")
_WORD_BEFORE = re.compile(r"[\w'’-]*$")
_RUNS_ON = re.compile(r"[^\W\d_]{1,4}-")
# a note number glued to a word ("PROCCER1") or to the acronym in brackets after a
# name ("(CTO)2")
_GLUED_MARK = re.compile(
    r"(?:(?<=[^\W\d_]{3})|(?<=[A-Z]{2}\)))(\d{1,2})(/)?(?=[\s.,;:)»”\"]|$)"
)
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")
_LINE = re.compile(r"[^\n]*")
# a gap of eight blanks or more after text, then a right column to the line's end
_RIGHT_COLUMN = re.compile(r"(?<=\S)[ \t]{8,}\S[^\n]*$")
_LETTERHEAD_LINES = 6
_RIGHT_COLUMN_AT = 50


@dataclass
class LayoutView:
    """The text with layout noise deleted, and the way back to the original offsets.

    Attributes:
        original: the document text as read.
        text: the view (what the extraction reads).
        removed: the ``[start, end)`` ranges of ``original`` deleted, in order.
    """

    original: str
    text: str
    removed: list[tuple[int, int]] = field(default_factory=list)
    _view_starts: list[int] = field(default_factory=list, repr=False)
    _orig_starts: list[int] = field(default_factory=list, repr=False)

    def offset(self, position: int) -> int:
        """The original offset of the view's ``position`` (the end maps to the end)."""
        if not self._view_starts:
            return position
        index = bisect.bisect_right(self._view_starts, position) - 1
        index = max(index, 0)
        return self._orig_starts[index] + position - self._view_starts[index]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` of the view's ``[start, end)``."""
        if end <= start:
            at = self.offset(start)
            return (at, at)
        return (self.offset(start), self.offset(end - 1) + 1)

    @property
    def identity(self) -> bool:
        """Whether nothing was deleted."""
        return not self.removed


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The blank lines around the line ``[start, end)``: from the line break that ends
    the last non-blank line before it to the line break that starts the next one."""
    left = start
    while left > 0 and text[left - 1] in " \t\r\n":
        left -= 1
    right = end
    while right < len(text) and text[right] in " \t\r\n":
        right += 1
    return left, right


def _page_breaks(text: str) -> list[tuple[int, int]]:
    """Page-number lines and running headers, with their blank lines, as deletions."""
    removed: list[tuple[int, int]] = []
    headers: dict[str, list[tuple[int, int]]] = {}
    for match in _PAGE_LINE.finditer(text):
        left, right = _line_bounds(text, match.start(), match.end())
        removed.extend(_keep_breaks(text, left, right))
        # the line after the page number: a running header when it repeats
        line_end = text.find("\n", right)
        line_end = len(text) if line_end < 0 else line_end
        line = text[right:line_end].strip()
        if line and len(line) <= 100:
            headers.setdefault(line, []).append((right, line_end))
    for spots in headers.values():
        if len(spots) >= 2:
            for start, end in spots:
                left, right = _line_bounds(text, start, end)
                removed.extend(_keep_breaks(text, left, right))
    return removed


def _keep_breaks(text: str, left: int, right: int) -> list[tuple[int, int]]:
    """Delete ``[left, right)`` but one line break (two after a sentence end)."""
    if left >= right:
        return []
    if left == 0 or right == len(text):
        return [(left, right)]
    first = text.find("\n", left, right)
    last = text.rfind("\n", left, right)
    if first < 0:
        return [(left, right)]
    if _SENTENCE_END.search(text[max(0, left - 3) : left]) and last > first:
        return [(left, first), (first + 1, last), (last + 1, right)]
    return [(left, first), (first + 1, right)]


def _footnotes(text: str) -> tuple[list[tuple[int, int]], set[int]]:
    """Footnote blocks under a rule of underscores, and the numbers of their notes."""
    removed: list[tuple[int, int]] = []
    numbers: set[int] = set()
    for rule in _RULE_LINE.finditer(text):
        limit = min(len(text), rule.end() + 3000)
        stops = [m.start() for m in (re.compile(r"\n[ \t]*\n[ \t]*\n").search(text, rule.end()),)
                 if m and m.start() < limit]
        page = _PAGE_LINE.search(text, rule.end(), limit)
        if page:
            stops.append(page.start())
        stop = min(stops) if stops else limit
        block_end = stop
        for note in _NOTE_NUMBER.finditer(text, rule.end(), block_end):
            numbers.add(int(note.group(1)))
        left = rule.start()
        while left > 0 and text[left - 1] in " \t\r\n":
            left -= 1
        removed.extend(_keep_breaks(text, left, block_end))
    return removed, numbers


def _hyphens(text: str) -> list[tuple[int, int]]:
    removed: list[tuple[int, int]] = []
    for match in _HYPHEN_BREAK.finditer(text):
        word = _WORD_BEFORE.search(text, max(0, match.start() - 60), match.start())
        before = word.group(0) if word else ""
        nxt = text[match.end() : match.end() + 8]
        compound = "-" in before or nxt[:1].isupper() or bool(_RUNS_ON.match(nxt))
        if compound:
            removed.append((match.start() + 1, match.end()))
        else:
            removed.append((match.start(), match.end()))
    return removed


def _markers(text: str, notes: set[int]) -> list[tuple[int, int]]:
    removed: list[tuple[int, int]] = []
    for match in _GLUED_MARK.finditer(text):
        if match.group(2) or int(match.group(1)) in notes:
            removed.append((match.start(), match.end()))
    return removed


def _letterhead(text: str) -> list[tuple[int, int]]:
    """The right column of a two-column letterhead (symbol, date, "Original: English"),
    in the first lines: the left column's name then reads on from line to line."""
    removed: list[tuple[int, int]] = []
    seen = 0
    for line in _LINE.finditer(text):
        if not line.group(0).strip():
            continue
        seen += 1
        if seen > _LETTERHEAD_LINES:
            break
        column = _RIGHT_COLUMN.search(line.group(0))
        # the right column stands far right (a gap inside a sentence does not)
        if column and column.end() - len(column.group(0).lstrip()) >= _RIGHT_COLUMN_AT:
            removed.append((line.start() + column.start(), line.end()))
    return removed


def _one_break(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Deletions that follow each other with only blanks between (the footnotes, the
    page number and the running header of one page break) as one: each kept its
    line break, the run keeps one (two after a sentence end)."""
    out: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []

    def flush() -> None:
        if len(run) > 1:
            left = run[0][0]
            while left > 0 and text[left - 1] in " \t\r\n\f":
                left -= 1
            out.extend(_keep_breaks(text, left, run[-1][1]))
        else:
            out.extend(run)

    for start, end in ranges:
        if run and not text[run[-1][1] : start].strip():
            run.append((start, end))
            continue
        flush()
        run = [(start, end)]
    flush()
    return out


def layout_view(text: str) -> LayoutView:
    """The view of ``text`` without its layout noise (see the module docstring)."""
    notes_removed, notes = _footnotes(text)
    removed = _merge(
        _one_break(text, _merge(notes_removed + _page_breaks(text)))
        + _letterhead(text)
        + _hyphens(text)
        + _markers(text, notes)
    )
    if not removed:
        return LayoutView(text, text)
    pieces: list[str] = []
    view_starts: list[int] = []
    orig_starts: list[int] = []
    cursor = 0
    length = 0
    for start, end in removed:
        if start > cursor:
            view_starts.append(length)
            orig_starts.append(cursor)
            pieces.append(text[cursor:start])
            length += start - cursor
        cursor = end
    if cursor < len(text):
        view_starts.append(length)
        orig_starts.append(cursor)
        pieces.append(text[cursor:])
    else:
        # the view's end maps to the original's end
        view_starts.append(length)
        orig_starts.append(len(text))
    return LayoutView(text, "".join(pieces), removed, view_starts, orig_starts)
