"""Organization-like names the registry does not know: provisional actors.

A partner the reference registry lacks (Transport Canada, the US Coast Guard, the
Caribbean Telecommunications Union) still takes part in activities. A name is taken
for an organization when it has the shape of one:

* a head word that starts the name, followed by adjectives and links of the
  lexicon's ``name_links`` ("Garde côtière des États-Unis", "Département de la
  Justice des États-Unis", "Union des télécommunications des Caraïbes"); the name
  ends on a capitalized word or a known name, and runs no further than ~12 words;
* in English, capitalized words ending on a head word, optionally followed by
  "of ..." in capitals ("Caribbean Telecommunications Union", "Canadian Association
  of Drug Treatment Court Professionals"), a state's name among them ("United
  States Coast Guard");
* a capitalized noun right before a state's name, with no link between
  ("Transports Canada", "Health Canada"): a national agency;
* any of these followed by an acronym in parentheses gives the acronym.

The code of a provisional actor is the acronym when the text gives one, else the
name folded to capitals and hyphens (``TRANSPORTS-CANADA``). Each head-word match
looks at a bounded number of words after it: finding names is linear in the text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mandategraph.graph.extraction import lexicon

_MAX_WORDS = 12


@dataclass(frozen=True)
class OrgName:
    """An organization-like name in a text: ``[start, end)``, the acronym's span if any."""

    start: int
    end: int
    name: str
    code: str
    acronym: tuple[int, int] | None = None


def mint_code(name: str) -> str:
    """A registry-like key for a name the registry lacks: capitals and hyphens."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").upper()


def _alt(words: Sequence[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_WORD = re.compile(r"\s*([^\W\d_][\w’'.-]*)")
_ACRONYM_AFTER = re.compile(r"\s*\(\s*(?P<a>[A-Z][A-Z0-9&/ .-]{1,20}?)\s*\)")
_HEAD_INITIAL = re.compile(
    r"(?<![\w-])(?:" + _alt(lexicon.words("org_heads_initial")) + r")(?![\w’'-])"
)
_HEAD_FINAL = re.compile(
    r"(?<![\w’'-])((?:[A-Z][\w’'.&-]*\s+){1,5}?)(?:"
    + _alt(lexicon.words("org_heads_final", "en"))
    + r")(?![\w’'-])"
)
_LOWER_BEFORE_ACRONYM = re.compile(r"(?:[ \t\n]+[^\W\d_A-ZÀ-Ý][\w’'-]*){1,3}(?=\s*\()")
_LINK = re.compile(r"^(?:" + _alt(lexicon.words("name_links")) + r")$", re.I)
_LINK_APOSTROPHE = re.compile(r"^(?:d|l)['’]", re.I)
_ARTICLE = re.compile(r"^(?:" + _alt(lexicon.words("name_articles")) + r")$", re.I)
_CAPITAL_BEFORE_STATE = re.compile(r"(?<![\w’'.-])([A-Z][a-zà-ÿ]{3,})\s+$")


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.es.stop_words import STOP_WORDS as ES
    from spacy.lang.fr.stop_words import STOP_WORDS as FR

    return frozenset(EN | ES | FR)


_STOP = _stop_words()


def _acronym(text: str, end: int) -> tuple[str, tuple[int, int]] | None:
    match = _ACRONYM_AFTER.match(text, end)
    if match is None:
        return None
    acronym = match.group("a").strip()
    if sum(ch.isupper() for ch in acronym) < 2:
        return None
    return acronym, (match.start("a"), match.start("a") + len(acronym))


def _head_initial(text: str, head_end: int, limit: int, known: dict[int, int]) -> int | None:
    """Where a head-initial name ending on a capital or a known name ends, if it does."""
    pos = head_end
    best: int | None = None
    adjectives = 0
    expect_word = False  # after a link or an article, a word must come
    after_link = False
    for _ in range(_MAX_WORDS):
        word_at = pos
        while word_at < limit and text[word_at] in " \t\n":
            word_at += 1
        if word_at >= limit:
            break
        known_end = known.get(word_at)
        if known_end is not None:
            pos = best = known_end
            expect_word = after_link = False
            continue
        match = _WORD.match(text, pos, limit)
        if match is None:
            break
        word = match.group(1).rstrip(".")
        if _LINK_APOSTROPHE.match(word):
            # "d'exécution", "l'aviation": a link glued to its word
            rest = word[2:]
            if not rest:
                break
            pos = match.end()
            if rest[:1].isupper():
                best = pos
            expect_word = False
            continue
        if _LINK.match(word) or (_ARTICLE.match(word) and after_link):
            # an article only after a link: "de la Justice", not "remercie le Canada"
            pos = match.end()
            expect_word = True
            after_link = True
            continue
        after_link = False
        if word[:1].isupper():
            pos = match.end()
            best = pos
            expect_word = False
            continue
        if expect_word and word.lower() not in _STOP:
            pos = match.end()  # "des affaires", "de désarmement"
            expect_word = False
            continue
        if not expect_word and adjectives < 2 and word.lower() not in _STOP and best is None:
            pos = match.end()  # "côtière", "royale"
            adjectives += 1
            continue
        break
    return best


def find_org_names(
    text: str,
    start: int,
    end: int,
    known: Sequence[tuple[int, int]],
    states: Sequence[tuple[int, int]],
    is_known: Callable[[str], bool] = lambda _name: False,
) -> list[OrgName]:
    """Organization-like names in ``text[start:end]``.

    Args:
        text: the text (offsets index into it).
        start: where to look from.
        end: where to stop.
        known: ``[start, end)`` of names the registry knows (states, organizations):
            a name may end on one; a name whose head one of them covers is skipped.
        states: the spans of states' names, for "Transports Canada".
        is_known: whether the registry knows a name or acronym: a name whose acronym
            it knows is one of its bodies, under a longer name ("Secrétariat exécutif
            de la Commission ... (CICAD)"), and is left to it.
    """
    found: list[OrgName] = []
    spans = sorted(known)
    starts = [s for s, _ in spans]
    ends_at = {s: e for s, e in spans}
    # the furthest end of the spans so far, for "does one cover this offset"
    reach: list[int] = []
    for _s, e in spans:
        reach.append(max(e, reach[-1]) if reach else e)

    def covered(s: int, _e: int) -> bool:
        index = bisect.bisect_right(starts, s) - 1
        return index >= 0 and reach[index] > s

    state_ends = {a: b for a, b in states}

    def state_led(s: int, e: int) -> bool:
        """Whether ``[s, e)`` starts with a state's name and goes on past it
        ("United States Coast Guard"): a national body, not the state."""
        stop = state_ends.get(s)
        if stop is None or stop >= e:
            return False
        index = bisect.bisect_right(starts, stop) - 1
        return not (index >= 0 and reach[index] > stop)

    def add(s: int, e: int) -> None:
        name = " ".join(text[s:e].split())
        if len(name.split()) < 2:
            return
        acronym = _acronym(text, e)
        if acronym is not None and is_known(acronym[0]):
            return
        code = mint_code(acronym[0]) if acronym else mint_code(name)
        if is_known(name):
            return
        found.append(OrgName(s, e, name, code, acronym[1] if acronym else None))

    for match in _HEAD_INITIAL.finditer(text, start, end):
        if covered(match.start(), match.end()):
            continue
        stop = _head_initial(text, match.end(), end, ends_at)
        if stop is None and _acronym(text, match.end()) is None:
            continue
        if stop is not None and _acronym(text, stop) is None:
            # "Université des Indes occidentales (UWI)": lower-case words before the
            # acronym still belong to the name
            tail = _LOWER_BEFORE_ACRONYM.match(text, stop, end)
            if tail and _acronym(text, tail.end()) is not None:
                stop = tail.end()
        add(match.start(), stop if stop is not None else match.end())
    for match in _HEAD_FINAL.finditer(text, start, end):
        s = match.start()
        words = match.group(1).split()
        while words and (words[0].lower() in _STOP or words[0].lower() == "the"):
            s = text.index(words[1], s) if len(words) > 1 else match.start(1) + len(match.group(1))
            words = words[1:]
        if not words or (covered(s, match.end()) and not state_led(s, match.end())):
            continue
        e = match.end()
        tail = re.match(
            r"\s+(?:of|for|on|against)\s+(?:the\s+)?((?:[A-Z][\w’'.&-]*\s*){1,5})", text[e:end]
        )
        if tail:
            e += tail.end(1) - (len(tail.group(1)) - len(tail.group(1).rstrip()))
        add(s, e)
    for s, _e in states:
        if not start <= s < end:
            continue
        before = _CAPITAL_BEFORE_STATE.search(text, max(start, s - 40), s)
        if before is None:
            continue
        word = before.group(1)
        if word.lower() in _STOP or covered(before.start(1), before.end(1)):
            continue
        add(before.start(1), _e)
    # one name per place: the longest
    found.sort(key=lambda o: (o.start, -(o.end - o.start)))
    kept: list[OrgName] = []
    for org in found:
        if kept and org.start < kept[-1].end:
            continue
        kept.append(org)
    return kept
