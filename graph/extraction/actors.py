"""Actors, places and instruments named in a text, found with spaCy and the registry.

One blank spaCy pipeline per language (tokenizer only) and PhraseMatchers whose
patterns are generated from the reference registry: every surface form of every
organization, state and legal instrument, in all languages (a French report quotes
English acronyms). Names match case- and accent-insensitively on a folded ``NORM``
(lowercase, accents stripped, ’ -> '); acronyms ("OMI", "TSA", "US") match on the
exact ``ORTH`` so that the French article "un" is never the UN.

Governments are states after a government noun ("Gouvernement du Canada",
"Government of Jamaica", "Gobierno de los Estados Unidos") or with a national
adjective ("Gouvernement français", "the French Government"): the adjectives come
from the registry and only count next to that noun.

Persons ("M. Izben Williams", "Mr.", "Sr.", "Sra." + capitalized names) and places
("à Montréal", "in Port of Spain", "en Vancouver") are found by patterns; an
organization-like name that the registry does not know is a provisional actor
(:mod:`~mandategraph.graph.extraction.organizations`); an unknown acronym in capitals
that is no document symbol, formula word or programme's name is a candidate for
curation, never dropped.

Matching runs on a cleaned copy of each paragraph (whitespace runs collapsed, a
footnote marker U+FFFD and a "line break + /" dropped) so that "Mini-Groupe de
Dublin\\n/ pour la Caraïbe" is one name; every offset is mapped back to the
original text.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from mandategraph.graph.extraction import lexicon
from mandategraph.graph.extraction.folding import fold
from mandategraph.graph.extraction.organizations import find_org_names
from mandategraph.ontology.registry import Form, Kind, Registry

#: Kinds of mentions.
KINDS = ("organization", "state", "instrument", "person", "place", "candidate", "group")

_GOV_NOUNS = ("gouvernement", "government", "gobierno", "governo")
# what may sit between the government noun and the state name
_GOV_LINK = re.compile(
    r"(?:gouvernements?|governments?|gobiernos?|governo)\s+(?:du|de\s+la|de\s+l'|des|d'|de|of\s+the|"
    r"of|del|de\s+los|de\s+las|de\s+los|da|do)?\s*$"
)
_GOV_AFTER = re.compile(r"^\s*(?:government|gouvernement)\b")
_PERSON = re.compile(
    r"\b(?P<title>M\.|MM\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?|Sr\.|Sra\.|Srta\.|Dña\.|"
    r"Ambassador|Ambassadeur|Ambassadrice|Embajador|Embajadora)\s+"
    r"(?P<name>[A-ZÀ-Ý][\w’'-]+(?:\s+(?:(?:de|del|da|van|von|la|le)\s+)?[A-ZÀ-Ý][\w’'-]+){0,3})"
)
# a place after a preposition ("in Castries"; after "to", only a city the gazetteer
# knows: "a mission to Basseterre"); a saint's name may be abbreviated ("St. George's")
_PLACE = re.compile(
    r"(?:\b(?:à|au|en|in|at|a|dans|near|cerca\s+de|(?P<to>to))\s+|"
    r"\b(?:port|puerto|Port|Puerto)\s+(?:de|of|du)\s+)"
    r"(?P<name>(?:S(?:t|te|ta|to)\.[ \t]?)?"
    r"[A-ZÀ-Ý][\w’'-]*(?:\s+(?:(?:de|of|del|du|la|the|d’|d')\s*)?[A-ZÀ-Ý][\w’'-]*){0,3})"
)
_MONTHS = frozenset(
    """janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre
    décembre decembre january february march april may june july august september october november
    december enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre
    noviembre diciembre""".split()
)
# Capitalized words that follow a preposition without being a place.
_NOT_PLACES = frozenset(
    """internet total outre bref effet particulier plus ce cet cette ces el la le les los las
    the this that these those addition particular general total order accordance conformité
    conformidad cooperation coopération this which el su sus mi""".split()
)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.es.stop_words import STOP_WORDS as ES
    from spacy.lang.fr.stop_words import STOP_WORDS as FR

    return frozenset(EN | ES | FR)


_STOP_WORDS = _stop_words()


_CAPITAL_WORD = re.compile(r"[A-Z][A-Z'’-]+")


def _in_capitals_run(text: str, start: int, end: int) -> bool:
    """Whether the word at ``start:end`` stands next to another word in capitals."""
    before = text[max(0, start - 40) : start].split()
    after = text[end : end + 40].split()
    neighbours = ([before[-1]] if before else []) + ([after[0]] if after else [])
    return any(_CAPITAL_WORD.fullmatch(w.strip(".,;:()")) for w in neighbours)


_ACRONYM = re.compile(r"(?<![\w/-])(?P<a>[A-Z][A-Z0-9]{1,}(?:[-/][A-Z0-9]{2,})*)(?![\w/-])")
# a symbol of a document ("CP/CSH-1497/13", "AG/doc.5240/12"): digits after a slash or dash
_SYMBOL_LIKE = re.compile(r"[/-][A-Z]*\d")
_FORMULA_WORDS = frozenset(lexicon.words("formula_words"))
# a programme's name ends the phrase that names the programme, within its clause
_PROGRAMME_BEFORE = re.compile(
    r"\b(?:" + "|".join(lexicon.words("programme_words")) + r")\b[^.;:()]*\(?\s*$", re.I
)
# "avec le XKCDQ": an acronym after an article or a preposition names an actor
_ARTICLE_BEFORE = re.compile(
    r"\b(?:le|la|les|l['’]|the|el|los|las|du|des|del|with|avec|con|by|par|por)\s*$", re.I
)
_PROGRAMME_AFTER = re.compile(
    r"\)?\s*(?:" + "|".join(lexicon.words("programme_words")) + r")\b", re.I
)
_ROMAN = re.compile(r"^[IVXLC]+$")


@functools.lru_cache(maxsize=65536)
def _is_acronym(surface: str) -> bool:
    letters = [ch for ch in surface if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters) and len(surface) <= 16


@dataclass
class Mention:
    """A name found in the text.

    Attributes:
        kind: ``organization``, ``state``, ``instrument``, ``person``, ``place``,
            ``candidate`` or ``group``.
        code: registry key / ISO alpha-3 / instrument key; for persons, places and
            candidates the name itself.
        start: start offset in the document text.
        end: end offset (exclusive).
        text: exactly the document text ``[start:end]``.
        government: a state named as its government ("Gouvernement du Canada").
        adjective: named by a national adjective ("Gouvernement français").
        contextual: matched by a name that needs context ("l’Observatoire").
    """

    kind: str
    code: str
    start: int
    end: int
    text: str
    government: bool = False
    adjective: bool = False
    contextual: bool = False
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------
# Registry look-ups
# ---------------------------------------------------------------------------------


def org_kind(registry: Registry, key: str) -> str:
    """``oas_body`` or ``partner`` (the registry's ``kind`` of an organization)."""
    entry = registry.organizations.get(key)
    return entry.kind if entry is not None else "partner"


def org_parent(registry: Registry, key: str) -> str | None:
    """The registry ``part_of`` of an organization, if any."""
    entry = registry.organizations.get(key)
    return entry.part_of if entry is not None else None


def org_ancestors(registry: Registry, key: str) -> list[str]:
    """Every organization ``key`` is part of, nearest first (none for an unknown key)."""
    try:
        return registry.ancestors(key)
    except KeyError:
        return []


# ---------------------------------------------------------------------------------
# Text cleaning with an offset map
# ---------------------------------------------------------------------------------

_JUNK = re.compile(r"\s*\n[ \t]*/[ \t]*|\s*\ufffd\s*|\s{2,}|[\t\n\r\f\v]")


def clean_with_map(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """A cleaned copy of ``text[start:end]`` and, per cleaned char, its original offset.

    Runs of whitespace, a line break followed by "/", and U+FFFD become one space.
    The map has one extra entry: the original offset just after the last character.
    """
    pieces: list[str] = []
    index: list[int] = []
    cursor = start
    for match in _JUNK.finditer(text, start, end):
        if match.start() > cursor:
            pieces.append(text[cursor : match.start()])
            index.extend(range(cursor, match.start()))
        pieces.append(" ")
        index.append(match.start())
        cursor = match.end()
    if cursor < end:
        pieces.append(text[cursor:end])
        index.extend(range(cursor, end))
    index.append(end)
    return "".join(pieces), index


# ---------------------------------------------------------------------------------
# The matcher
# ---------------------------------------------------------------------------------


class ActorMatcher:
    """Registry-driven matchers for one language (built once, reused)."""

    def __init__(self, registry: Registry, lang: str) -> None:
        self.registry = registry
        self.lang = lang
        self.nlp: Language = spacy.blank(lang)
        # A paragraph is matched whole, whatever its length (a text from a PDF can be
        # one paragraph of megabytes): spaCy's 1,000,000-character limit guards the
        # memory of its parser and NER, and this pipeline only tokenizes. The size of
        # a document is bounded where it is read (MANDATEGRAPH_MAX_DOCUMENT_BYTES).
        self.nlp.max_length = 2**31 - 1
        vocab = self.nlp.vocab
        self.by_norm = PhraseMatcher(vocab, attr="NORM")
        self.by_orth = PhraseMatcher(vocab, attr="ORTH")
        self.adjectives = PhraseMatcher(vocab, attr="NORM")
        self.contextual = PhraseMatcher(vocab, attr="NORM")
        self.known_surfaces: set[str] = set()
        self._labels: dict[str, tuple[str, str]] = {}
        for kind in ("organization", "state", "instrument", "group"):
            for surface, code in self._surfaces(kind):
                self._add(kind, code, surface)
        for surface, code in self._surfaces("territory"):
            self._add("place", code, surface)
        for surface, code in self._forms("state", "adjective"):
            self._add("state", code, surface, matcher=self.adjectives)
        for surface, code in self._forms("organization", "contextual"):
            self._add("organization", code, surface, matcher=self.contextual)

    def is_city(self, name: str) -> bool:
        """Whether the gazetteer knows ``name`` as a city of a member state."""
        from mandategraph.graph.extraction.places import state_of_city

        return state_of_city(self.registry, name) is not None

    def _forms(self, kind: Kind, form: Form) -> list[tuple[str, str]]:
        """Non-default forms (adjectives, contextual names) of the registry."""
        return self.registry.names(kind, forms=[form])

    def _surfaces(self, kind: Kind) -> list[tuple[str, str]]:
        """(surface, code) of every default match name of ``kind`` in every language."""
        return sorted(set(self.registry.names(kind)))

    def _pattern(self, surface: str) -> Doc:
        doc = self.nlp.make_doc(surface)
        for token in doc:
            token.norm_ = fold(token.text)
        return doc

    def _add(
        self, kind: str, code: str, surface: str, *, matcher: PhraseMatcher | None = None
    ) -> None:
        surface = " ".join(surface.split())
        if not surface:
            return
        label = f"{kind}|{code}"
        self._labels[label] = (kind, code)
        if matcher is None:
            self.known_surfaces.add(fold(surface))
            if _is_acronym(surface):
                matcher = self.by_orth
                doc = self.nlp.make_doc(surface)
            else:
                matcher = self.by_norm
                doc = self._pattern(surface)
        else:
            doc = self._pattern(surface)
        matcher.add(label, [doc])

    def make_doc(self, text: str) -> Doc:
        """Tokenize ``text`` and set the folded NORM the matchers read."""
        doc = self.nlp.make_doc(text)
        for token in doc:
            token.norm_ = fold(token.text)
        return doc

    def find(self, text: str, start: int, end: int) -> list[Mention]:
        """Mentions in ``text[start:end]`` (offsets into ``text``)."""
        clean, index = clean_with_map(text, start, end)
        if not clean.strip():
            return []
        doc = self.make_doc(clean)
        spans: list[Span] = []
        for matcher in (self.by_norm, self.by_orth):
            for match_id, s, e in matcher(doc):
                spans.append(Span(doc, s, e, label=match_id))
        mentions: list[Mention] = []
        kept = filter_spans(spans)
        # names the registry lacks but shaped like an organization's: provisional
        # actors; the states and bodies named inside them ("Garde côtière des
        # États-Unis") are part of the name
        orgs = find_org_names(
            clean,
            0,
            len(clean),
            [(span.start_char, span.end_char) for span in kept],
            [
                (span.start_char, span.end_char)
                for span in kept
                if self._labels[span.label_][0] == "state"
            ],
            lambda name: fold(" ".join(name.split())) in self.known_surfaces,
        )
        # "Puerto España": a city is no organization, whatever its shape
        orgs = [o for o in orgs if o.acronym is not None or not self.is_city(o.name)]
        # "Port of Spain": a city whose name holds a state's is the city
        for match in _PLACE.finditer(clean):
            name = match.group("name").rstrip(".")
            s0, e0 = match.start("name"), match.start("name") + len(name)
            inner = [
                span
                for span in kept
                if s0 <= span.start_char
                and span.end_char <= e0
                and (span.start_char, span.end_char) != (s0, e0)
                and self._labels[span.label_][0] == "state"
            ]
            if inner and self.is_city(name):
                kept = [span for span in kept if span not in inner]
        if orgs:
            kept = [
                span
                for span in kept
                if not any(o.start <= span.start_char and span.end_char <= o.end for o in orgs)
            ]
        for org in orgs:
            mention = self._mention(text, index, "organization", org.code, org.start, org.end)
            mention.label = org.name
            mention.extra["provisional"] = org.name
            mentions.append(mention)
            if org.acronym is not None:
                a, b = org.acronym
                acronym = self._mention(text, index, "organization", org.code, a, b)
                acronym.label = org.name
                acronym.extra["provisional"] = org.name
                mentions.append(acronym)
        for span in kept:
            kind, code = self._labels[span.label_]
            mention = self._mention(text, index, kind, code, span.start_char, span.end_char)
            if kind == "state":
                before = fold(clean[max(0, span.start_char - 40) : span.start_char])
                after = fold(clean[span.end_char : span.end_char + 20])
                mention.government = bool(_GOV_LINK.search(before) or _GOV_AFTER.match(after))
            mentions.append(mention)
        taken = _Taken((m.start, m.end) for m in mentions)
        # national adjectives, only next to a government noun
        for match_id, s, e in self.adjectives(doc):
            span = doc[s:e]
            prev = doc[s - 1].norm_ if s > 0 else ""
            nxt = doc[e].norm_ if e < len(doc) else ""
            if prev in _GOV_NOUNS or nxt in _GOV_NOUNS:
                kind, code = self._labels[self.nlp.vocab.strings[match_id]]
                mention = self._mention(text, index, "state", code, span.start_char, span.end_char)
                mention.government = True
                mention.adjective = True
                if not taken.overlaps(mention.start, mention.end):
                    mentions.append(mention)
                    taken.add(mention.start, mention.end)
        # contextual names, kept only when the capitalized name stands alone
        for match_id, s, e in self.contextual(doc):
            span = doc[s:e]
            if not span.text[:1].isupper():
                continue
            if e < len(doc) and doc[e].text[:1].isupper() and doc[e].is_alpha:
                continue  # "IPO Americas": part of a longer name
            kind, code = self._labels[self.nlp.vocab.strings[match_id]]
            mention = self._mention(text, index, kind, code, span.start_char, span.end_char)
            mention.contextual = True
            if not taken.overlaps(mention.start, mention.end):
                mentions.append(mention)
                taken.add(mention.start, mention.end)
        mentions.extend(self._patterns(text, clean, index, taken))
        mentions.sort(key=lambda m: (m.start, -m.end))
        return mentions

    @staticmethod
    def _mention(text: str, index: Sequence[int], kind: str, code: str, s: int, e: int) -> Mention:
        start = index[s]
        end = index[e - 1] + 1
        return Mention(kind, code, start, end, text[start:end])

    def _patterns(
        self, text: str, clean: str, index: Sequence[int], taken: _Taken
    ) -> list[Mention]:
        found: list[Mention] = []
        for match in _PERSON.finditer(clean):
            name = match.group("name")
            mention = self._mention(text, index, "person", name, match.start(), match.end())
            mention.label = " ".join(name.split())
            if not taken.overlaps(mention.start, mention.end):
                found.append(mention)
                taken.add(mention.start, mention.end)
        for match in _PLACE.finditer(clean):
            name = match.group("name").rstrip(".")
            words = name.split()
            while words and (fold(words[-1]) in _MONTHS or fold(words[-1]) in _NOT_PLACES):
                words.pop()
            if not words or fold(words[0]) in _MONTHS or fold(words[0]) in _NOT_PLACES:
                continue
            name = " ".join(words)
            s = match.start("name")
            mention = self._mention(text, index, "place", name, s, s + len(name))
            mention.label = name
            if fold(name) in self.known_surfaces or taken.overlaps(mention.start, mention.end):
                continue
            if _is_acronym(name):
                continue
            if match.group("to") and not self.is_city(name):
                continue  # "to Canada", "to The ...": only a known city is a place
            found.append(mention)
            taken.add(mention.start, mention.end)
        for match in _ACRONYM.finditer(clean):
            acronym = match.group("a")
            letters = sum(1 for ch in acronym if ch.isalpha())
            if letters < 3 or _ROMAN.match(acronym) or fold(acronym) in self.known_surfaces:
                continue
            if acronym.startswith("AG/RES") or acronym == "RES":  # resolution symbols
                continue
            if _SYMBOL_LIKE.search(acronym) or acronym in _FORMULA_WORDS:
                # "CP/CSH-1497/13": a document symbol; "VISTO": a resolution's formula
                continue
            if (
                _PROGRAMME_BEFORE.search(clean, max(0, match.start() - 80), match.start())
                and not _ARTICLE_BEFORE.search(clean, max(0, match.start() - 12), match.start())
            ) or _PROGRAMME_AFTER.match(clean, match.end()):
                continue  # "son programme de formation ... PROCCER": a programme's name
            if (
                acronym.lower() in _STOP_WORDS
                or (letters > 6 and acronym.isalpha())
                or _in_capitals_run(clean, match.start(), match.end())
            ):
                # "THE", "RESOLVES", "BEARING IN MIND", title lines: words in capitals,
                # not organizations (unknown acronyms are short: PSAP, DVLM)
                continue
            mention = self._mention(text, index, "candidate", acronym, match.start(), match.end())
            mention.label = acronym
            if not taken.overlaps(mention.start, mention.end):
                found.append(mention)
        return found


class _Taken:
    """The ``[start, end)`` spans already given to a mention, with a fast overlap test.

    A list tested span by span made finding the names of a paragraph quadratic in
    its length (a text read from a PDF can be one paragraph of megabytes). Each span
    is filed under every block of ``2 ** _BLOCK_BITS`` offsets it touches, so a test
    reads only the few spans filed under the blocks of the span tested.
    """

    _BLOCK_BITS = 6

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._blocks: dict[int, list[tuple[int, int]]] = {}
        for start, end in spans:
            self.add(start, end)

    def _keys(self, start: int, end: int) -> range:
        # an empty span [x, x) overlaps only a span strictly around x: block of x
        return range(start >> self._BLOCK_BITS, (max(start, end - 1) >> self._BLOCK_BITS) + 1)

    def add(self, start: int, end: int) -> None:
        """Take ``[start, end)``."""
        for key in self._keys(start, end):
            self._blocks.setdefault(key, []).append((start, end))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a span taken (``start < e and s < end``)."""
        blocks = self._blocks
        for key in self._keys(start, end):
            for s, e in blocks.get(key, ()):
                if start < e and s < end:
                    return True
        return False


_CACHE: dict[tuple[int, str], ActorMatcher] = {}
_LOCK = threading.Lock()


def get_matcher(registry: Registry, lang: str) -> ActorMatcher:
    """The cached :class:`ActorMatcher` of ``registry`` for ``lang``."""
    key = (id(registry), lang)
    with _LOCK:
        matcher = _CACHE.get(key)
        if matcher is None or matcher.registry is not registry:
            matcher = ActorMatcher(registry, lang)
            _CACHE[key] = matcher
        return matcher


def find_mentions(
    text: str,
    spans: Iterable[tuple[int, int]],
    *,
    registry: Registry,
    lang: str,
) -> list[Mention]:
    """Every mention in the given ``[start, end)`` spans of ``text`` (paragraphs).

    Contextual names ("l’Observatoire" for the OID) are kept only when their parent
    organization (or the organization itself, by another name) is named in the text.
    """
    matcher = get_matcher(registry, lang)
    mentions: list[Mention] = []
    for start, end in spans:
        mentions.extend(matcher.find(text, start, end))
    # an acronym a provisional name was given ("... des Caraïbes (CTU)") names it elsewhere
    provisional = {
        m.code: m.extra["provisional"] for m in mentions if m.extra.get("provisional")
    }
    for mention in mentions:
        if mention.kind == "candidate" and mention.code in provisional:
            mention.kind = "organization"
            mention.label = provisional[mention.code]
            mention.extra["provisional"] = provisional[mention.code]
    named = {m.code for m in mentions if m.kind == "organization" and not m.contextual}
    kept = []
    for mention in mentions:
        if mention.contextual:
            parent = org_parent(registry, mention.code)
            if mention.code not in named and (parent is None or parent not in named):
                continue
        kept.append(mention)
    return kept
