"""Scoring a report's graph against a gold file of ``shared/dev-corpus``.

The semantics are those of the independent scorer ``shared/tools/score.py`` (written
apart from the project and used at review), so that ``mandategraph evaluate --corpus``
and ``shared/tools/score-corpus`` give the same figures. Its inputs are the rows of the
canned queries ``activities``, ``partnerships`` and ``mandates`` and the document text;
each field is counted as true positives, false positives and false negatives:

* ``cited paragraphs``: the gold's ``compliance.cited_paragraphs`` found among the
  paragraphs of the ``mandates`` rows (tp, fn); fp counts paragraphs that an extracted
  activity implements and the gold does not list;
* ``partnership pairs``: the gold's ``must`` and ``should`` pairs found among the
  ``partnerships`` rows (tp, fn), fp the pairs the gold does not list at all (neither
  must, should nor optional); actor codes the registry lacks are mapped to the gold's
  keys through the names the gold gives them;
* ``participant counts``: the set of counts of the gold against the extracted set;
* ``states per section`` / ``conducting bodies per section``: (section, code) pairs,
  an extracted activity belonging to the section whose text holds its quote (or, when
  the quote is not found, whose theme its theme names); sections are found in the text
  by their number in digits or Roman numerals (``1.``, ``1)``, ``I.`` are one section)
  or, when the gold gives no number, by their heading;
* ``activities without mandate``: extracted activities implementing nothing that sit
  in a section where the gold has one (tp) or elsewhere (fp); fn the gold's such
  activities left unmatched.

The floors are score.py's: every cited paragraph and every must pair, three quarters
of the should pairs (rounded up), at most five unlisted pairs, every participant count,
states F1 >= 0.9, bodies F1 >= 0.85, no activity without mandate out of place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mandategraph.errors import BadParameterError

__all__ = [
    "FIELDS",
    "Count",
    "DocumentScore",
    "gold_kind",
    "load_gold_file",
    "score_report",
    "total",
]

Row = Mapping[str, str | None]

FIELDS = (
    "cited paragraphs",
    "partnership pairs",
    "participant counts",
    "states per section",
    "conducting bodies per section",
    "activities without mandate",
)

STATES_FLOOR = 0.9
BODIES_FLOOR = 0.85
MOST_UNLISTED_PAIRS = 5


@dataclass
class Count:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0 when nothing was found."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1 when the gold holds nothing."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """2 tp / (2 tp + fp + fn), 0 without a true positive (as score.py)."""
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    def __add__(self, other: Count) -> Count:
        return Count(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, float | int]:
        """The counts and the three ratios (not rounded: score.py rounds only to print)."""
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


@dataclass
class DocumentScore:
    """The score of one report against its gold file."""

    name: str
    fields: dict[str, Count] = field(default_factory=dict)
    must: tuple[int, int] = (0, 0)
    should: tuple[int, int] = (0, 0)
    should_floor: int = 0
    optional: tuple[int, int] = (0, 0)
    unlisted_pairs: list[tuple[str, str]] = field(default_factory=list)
    unplaced_activities: int = 0
    activities: int = 0
    gold_activities: int = 0
    gold_without_mandate: int = 0
    #: the floors missed, with score.py's names (cited, pairs, participants, states,
    #: conductors, no-mandate); a build that failed is "build"
    short: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether every floor is met."""
        return not self.short

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "document": self.name,
            "ok": self.ok,
            "short": self.short,
            "error": self.error,
            "fields": {name: count.as_dict() for name, count in self.fields.items()},
            "pairs": {"must": list(self.must), "should": list(self.should),
                      "should_floor": self.should_floor, "optional": list(self.optional),
                      "unlisted": [list(p) for p in self.unlisted_pairs]},
            "activities": self.activities,
            "gold_activities": self.gold_activities,
            "activities_in_no_section": self.unplaced_activities,
        }


def total(scores: Iterable[DocumentScore]) -> dict[str, Count]:
    """Every field summed over documents (micro-average)."""
    sums = {name: Count() for name in FIELDS}
    for score in scores:
        for name, count in score.fields.items():
            sums[name] = sums[name] + count
    return sums


# -- gold files ------------------------------------------------------------------------


def gold_kind(data: object) -> str | None:
    """``"report"`` or ``"resolution"`` for a gold file's content, else ``None``.

    A report's gold lists ``sections``; a resolution's says ``document.kind:
    resolution`` (dev-corpus format) or has a ``resolution`` block (the format of
    ``tests/data``). A corpus sidecar (``kind: report``, ``title``...) is neither.
    """
    if not isinstance(data, dict):
        return None
    document = data.get("document")
    if isinstance(document, dict) and document.get("kind") == "resolution":
        return "resolution"
    if isinstance(data.get("resolution"), dict):
        return "resolution"
    sections = data.get("sections")
    if isinstance(sections, list) and all(isinstance(s, dict) for s in sections):
        return "report"
    return None


def load_gold_file(path: Path) -> tuple[dict[str, Any], str]:
    """A gold file's content and kind.

    Raises:
        mandategraph.errors.BadParameterError: the file is missing, not YAML, or not a
            gold file (a sidecar, another YAML).
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadParameterError(f"cannot read the gold file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise BadParameterError(f"{path} is not YAML, so not a gold file") from exc
    kind = gold_kind(data)
    if kind is None:
        raise BadParameterError(
            f"{path} is not a gold file (no 'sections' list, no resolution block): "
            "a gold file annotates a report or a resolution"
        )
    assert isinstance(data, dict)
    return data, kind


# -- helpers with score.py's semantics ------------------------------------------------------


def _split(value: str | None) -> set[str]:
    return {part.strip() for part in re.split(r"[|;,]", value or "") if part.strip()}


def _resolution_key(symbol: str) -> str:
    symbol = re.sub(r"\s+", " ", symbol.replace("0/", "O/").replace("-0", "-O").strip())
    number = re.search(r"AG/RES\.?\s*(\d+)", symbol)
    return number.group(1) if number else symbol


def _paragraph_key(resolution: str, paragraph: str) -> str:
    par = paragraph.strip().lower().replace("(", ".").replace(")", "")
    return f"{_resolution_key(resolution)} {par}"


def _fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


_ARTICLE = re.compile(r"^(the|le|la|les|l'|el|los|las)\s+", re.IGNORECASE)


def _canonical_codes(gold: Mapping[str, Any]) -> Callable[[str], str]:
    """Map an extracted actor code to a gold key, through the names the gold gives."""
    organizations = gold.get("organizations") or {}
    by_form: dict[str, set[str]] = {}
    for key, entry in organizations.items():
        names = [key]
        if isinstance(entry, dict):
            for lang in ("en", "fr", "es", "pt", "surface"):
                value = entry.get(lang)
                if value is not None:
                    names.extend(value if isinstance(value, list) else [value])
        for name in map(str, names):
            forms = {name, _ARTICLE.sub("", name), *re.findall(r"\(([^()]+)\)", name)}
            for form in forms:
                if _fold(form):
                    by_form.setdefault(_fold(form), set()).add(key)

    def canon(code: str) -> str:
        code = code.strip()
        if code in organizations:
            return code
        keys = by_form.get(_fold(code), set())
        return next(iter(keys)) if len(keys) == 1 else code

    return canon


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9àâçéèêëîïôûùüÿœ]+", " ", (text or "").lower()).strip()


class _Sections:
    """Where each gold section starts in the text, and which one holds an activity."""

    def __init__(self, sections: list[dict[str, Any]], text: str) -> None:
        self.flat = re.sub(r"\s+", " ", text)
        self.starts: list[int | None] = []
        position = 0
        for section in sections:
            if section.get("n") is None:
                pattern = r"(?m)^\s*" + re.escape(section.get("heading", "\x00"))
            else:
                n = int(section["n"])
                pattern = rf"(?m)^\s*(?:{n}|{_roman(n)})\s*[).](?=\s)"
            match = re.compile(pattern).search(text, position)
            if match:
                position = match.end()
                self.starts.append(len(re.sub(r"\s+", " ", text[: match.start()])))
            else:
                self.starts.append(None)
        self.themes = [[_plain(v) for v in (s.get("theme") or {}).values() if v]
                       for s in sections]

    def by_quote(self, text: str | None) -> int | None:
        quote = re.sub(r"\s+", " ", text or "").strip()
        if not quote or not self.flat:
            return None
        at = self.flat.find(quote)
        if at < 0:
            at = self.flat.find(quote[:40])
        if at < 0:
            return None
        found = None
        for index, start in enumerate(self.starts):
            if start is not None and start <= at:
                found = index
        return found

    def by_theme(self, theme: str) -> int | None:
        words = _plain(theme)
        squeezed = words.replace(" ", "")
        for index, labels in enumerate(self.themes):
            if any(label and (label in words or label.replace(" ", "") in squeezed)
                   for label in labels):
                return index
        return None

    def of(self, activity: Row) -> int | None:
        index = self.by_quote(activity.get("quote"))
        return index if index is not None else self.by_theme(activity.get("theme") or "")


def _per_section(gold_sets: list[set[str]], found_sets: list[set[str]]) -> Count:
    count = Count()
    for gold, found in zip(gold_sets, found_sets, strict=True):
        count.tp += len(found & gold)
        count.fp += len(found - gold)
        count.fn += len(gold - found)
    return count


# -- the score -----------------------------------------------------------------------


def score_report(
    gold: Mapping[str, Any],
    *,
    activities: list[Row],
    partnerships: list[Row],
    mandates: list[Row],
    text: str,
    name: str = "",
) -> DocumentScore:
    """Score a report's query rows against its gold (see the module docstring).

    Args:
        gold: the gold file's content (a report's: ``sections``, ``partnerships``,
            ``compliance``).
        activities: rows of the canned query ``activities``.
        partnerships: rows of ``partnerships``.
        mandates: rows of ``mandates``.
        text: the report's text, to place activities in sections by their quote.
        name: the report's name, for the result.
    """
    score = DocumentScore(name=name)
    sections: list[dict[str, Any]] = list(gold.get("sections") or [])
    compliance = gold.get("compliance") or {}

    # cited paragraphs
    wanted = set()
    for cited in compliance.get("cited_paragraphs") or []:
        resolution, paragraph = str(cited).rsplit(" ", 1)
        wanted.add(_paragraph_key(resolution, paragraph))
    named = set()
    implemented = set()
    for row in mandates:
        symbol, number = row.get("resolution"), row.get("paragraph")
        if symbol and number:
            key = _paragraph_key(symbol, number)
            named.add(key)
            if int(float(row.get("activities") or 0)) > 0:
                implemented.add(key)
    cited = Count(len(wanted & named), len(implemented - wanted), len(wanted - named))
    score.fields["cited paragraphs"] = cited
    if cited.fn:
        score.short.append("cited")

    # partnership pairs
    pairs = gold.get("partnerships") or {}
    must = {frozenset(p) for p in pairs.get("must") or []}
    should = {frozenset(p) for p in pairs.get("should") or []}
    optional = {frozenset(p) for p in pairs.get("optional") or []}
    canon = _canonical_codes(gold)
    found = set()
    for row in partnerships:
        a, b = row.get("actor_a"), row.get("actor_b")
        if a and b:
            found.add(frozenset((canon(a), canon(b))))
    unlisted = found - must - should - optional
    score.must = (len(must & found), len(must))
    score.should = (len(should & found), len(should))
    score.should_floor = -(-3 * len(should) // 4)
    score.optional = (len(optional & found), len(optional))
    score.unlisted_pairs = sorted(tuple(sorted(pair)) for pair in unlisted)  # type: ignore[misc]
    listed = must | should
    score.fields["partnership pairs"] = Count(
        len(listed & found), len(unlisted), len(listed - found)
    )
    if (score.must[0] < score.must[1] or score.should[0] < score.should_floor
            or len(unlisted) > MOST_UNLISTED_PAIRS):
        score.short.append("pairs")

    # participant counts
    gold_counts = {int(a["participants"]) for s in sections for a in s.get("activities") or []
                   if "participants" in a}
    found_counts = set()
    for row in activities:
        for value in _split(row.get("participants")):
            try:
                found_counts.add(int(float(value)))
            except ValueError:
                pass
    participants = Count(len(gold_counts & found_counts), len(found_counts - gold_counts),
                         len(gold_counts - found_counts))
    score.fields["participant counts"] = participants
    if participants.fn:
        score.short.append("participants")

    # states and conducting bodies per section
    places = _Sections(sections, text)
    gold_states = [{c for a in s.get("activities") or [] for c in a.get("states", [])}
                   for s in sections]
    gold_bodies = [{c for a in s.get("activities") or [] for c in a.get("by", [])}
                   for s in sections]
    found_states: list[set[str]] = [set() for _ in sections]
    found_bodies: list[set[str]] = [set() for _ in sections]
    section_of: list[int | None] = []
    for row in activities:
        index = places.of(row)
        section_of.append(index)
        if index is None:
            score.unplaced_activities += 1
            continue
        found_states[index] |= _split(row.get("states"))
        found_bodies[index] |= _split(row.get("conducted_by"))
    states = _per_section(gold_states, found_states)
    bodies = _per_section(gold_bodies, found_bodies)
    score.fields["states per section"] = states
    score.fields["conducting bodies per section"] = bodies
    if states.f1 < STATES_FLOOR:
        score.short.append("states")
    if bodies.f1 < BODIES_FLOOR:
        score.short.append("conductors")

    # activities without mandate
    gold_sections = {i for i, s in enumerate(sections)
                     if any(a.get("implements") == [] for a in s.get("activities") or [])}
    score.gold_without_mandate = sum(1 for s in sections for a in s.get("activities") or []
                                     if a.get("implements") == [])
    right = wrong = 0
    for row, index in zip(activities, section_of, strict=True):
        if _split(row.get("mandates")):
            continue
        if index in gold_sections:
            right += 1
        else:
            wrong += 1
    score.fields["activities without mandate"] = Count(
        right, wrong, max(score.gold_without_mandate - right, 0)
    )
    if (score.gold_without_mandate and right == 0) or wrong > 0:
        score.short.append("no-mandate")

    score.activities = len(activities)
    score.gold_activities = sum(len(s.get("activities") or []) for s in sections)
    return score
