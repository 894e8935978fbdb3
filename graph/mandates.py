"""The mandate registry graph: what all documents together say about the paragraphs.

Rewritten after every build and ingest into ``graph/registry``
(:data:`~mandategraph.ontology.namespaces.REGISTRY_GRAPH`), from what is stored:

* **Paragraphs known from numbering.** A report citing 5.g of a resolution shows that
  5.a to 5.f exist. Each lettered sub-paragraph below the highest one cited under the
  same paragraph, and not known otherwise, becomes a ``mg:InferredParagraph``: its
  number, resolution and parent, ``mg:impliedBy`` the nearest cited sibling after it
  (5.f by 5.g) and ``prov:wasDerivedFrom`` that citation's text spans. Nothing is
  inferred for a resolution whose own text is loaded: its paragraphs are all known.
  Numbered paragraphs are not inferred from a higher number (6 does not imply 1 to
  5): the paragraphs before a cited one are as often declarations, exhortations of
  the member states or procedure as requests, so their existence says nothing a
  compliance check could use.
* **Mandate kinds** (``mg:mandateKind``), read from the words of each paragraph whose
  text is known and from its addressee, with the cues of ``mandate_kinds.yaml``, in
  this order: *procedural* (a report to the General Assembly, the budget clause),
  *political-body* (addressed to the General Assembly, the Permanent Council or a unit
  of either), *exhortation* (the member states in a numbered paragraph's opening
  words), *declaratory* (a numbered paragraph opening with "reaffirm", "take note",
  ...), else *request*. A lettered sub-paragraph takes the kind of its chapeau when the
  chapeau's text is known (the chapeau says who is asked), else its own.
* **Themes of paragraph texts** (``mg:theme``): every theme whose label or keyword the
  text contains, a plural ending allowed ("délit cybernétiques"), so that a paragraph
  on two subjects has both themes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF

from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import (
    MG,
    PREFIXES,
    REGISTRY_GRAPH,
    mandate_kind_iri,
    org_iri,
    paragraph_iri,
    paragraph_prefixes,
    theme_iri,
)
from mandategraph.ontology.registry import Registry, fold, load_registry

KINDS_FILE = Path(__file__).resolve().parent / "mandate_kinds.yaml"

#: How far into a numbered paragraph the member states count as its addressee.
OPENING = 60

PARAGRAPHS_QUERY = """
SELECT ?p ?number ?symbol ?resolution ?parent ?text ?lang ?addressee ?loaded WHERE {
  # each pattern read once, DISTINCT: a paragraph cited by N reports is typed, numbered
  # and attached in N graphs, and the union default graph would join the N copies
  { SELECT DISTINCT ?p WHERE { ?p a mg:OperativeParagraph } }
  { SELECT DISTINCT ?p ?number WHERE { ?p mg:paragraphNumber ?number } }
  { SELECT DISTINCT ?p ?resolution WHERE { ?p mg:paragraphOf ?resolution } }
  { SELECT DISTINCT ?resolution ?symbol WHERE { ?resolution skos:notation ?symbol } }
  OPTIONAL { { SELECT DISTINCT ?p ?parent WHERE { ?p mg:subParagraphOf ?parent } } }
  OPTIONAL { { SELECT DISTINCT ?p ?text ?lang WHERE {
    GRAPH ?g { ?p mg:text ?text . OPTIONAL { ?doc mg:language ?lang } } } } }
  OPTIONAL { { SELECT DISTINCT ?p ?addressee WHERE { ?p mg:addressee ?addressee } } }
  BIND(EXISTS { ?any foaf:primaryTopic ?resolution } AS ?loaded)
  # (only graph/registry types a paragraph so; no GRAPH <registry> here: Virtuoso answers
  # nothing at all for a NOT EXISTS on a graph outside the query's dataset)
  FILTER NOT EXISTS { ?p a mg:InferredParagraph }
}
"""

# within each document's graph: over the union, a paragraph typed and cited in N
# documents joined N copies of each triple (3.4 s -> 1.8 s at 1,000 generated reports).
# Not typed: whatever else a section cites is never looked up (the type, over the union,
# took 9.6 s of 11 at 10,000 reports)
CITATIONS_QUERY = """
SELECT DISTINCT ?p ?span WHERE {
  GRAPH ?g {
    ?section mg:cites ?p ; mg:inDocument ?doc .
    ?p prov:wasDerivedFrom ?span . ?span mg:inDocument ?doc .
  }
}
"""

# the lineage of resolutions (mg:continues), walked in Python: recalls between two
# resolutions, and the series and date of each. Virtuoso, in some server sessions, paired
# a resolution with itself when the canned query joined these in SPARQL
RECALLS_QUERY = "SELECT DISTINCT ?later ?earlier WHERE { ?later mg:recalls ?earlier }"
RESOLUTIONS_QUERY = "SELECT DISTINCT ?r WHERE { ?r a mg:Resolution }"
SERIES_QUERY = """
SELECT DISTINCT ?r ?series ?issued WHERE { ?r dcterms:isPartOf ?series ; dcterms:issued ?issued }
"""
#: How many mg:recalls a resolution's lineage follows.
RECALL_HOPS = 4

# the units of organizations, walked in Python: an unbounded mg:subOrganizationOf* with
# an open end is refused by some engines (Virtuoso)
UNITS_QUERY = "SELECT ?org ?parent WHERE { ?org mg:subOrganizationOf ?parent }"


@dataclass
class Paragraph:
    """One stored operative paragraph, as the registry sees it."""

    iri: str
    number: str
    symbol: str
    resolution: str
    loaded: bool
    parent: str | None = None
    text: str | None = None
    lang: str | None = None
    addressees: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Cues:
    """The cues of ``mandate_kinds.yaml``, folded."""

    declaratory: dict[str, tuple[str, ...]]
    exhortation: dict[str, tuple[str, ...]]
    procedural: dict[str, tuple[str, ...]]
    political_bodies: tuple[str, ...]


@lru_cache(maxsize=1)
def load_cues(path: Path = KINDS_FILE) -> Cues:
    """The cues, read once per process."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))

    def table(key: str) -> dict[str, tuple[str, ...]]:
        return {lang: tuple(fold(p) for p in phrases) for lang, phrases in data[key].items()}

    return Cues(table("declaratory"), table("exhortation"), table("procedural"),
                tuple(data["political_bodies"]))


def _has(haystack: str, phrases: Iterable[str]) -> bool:
    padded = f" {haystack} "
    return any(f" {phrase} " in padded for phrase in phrases)


def _starts(haystack: str, phrases: Iterable[str]) -> bool:
    return any(haystack == p or haystack.startswith(p + " ") for p in phrases)


def own_kind(paragraph: Paragraph, cues: Cues, political: set[str]) -> str | None:
    """The kind a paragraph's own words and addressee give, or ``None`` without text."""
    if paragraph.addressees & political:
        return "political-body"
    if paragraph.text is None:
        return None
    words = fold(paragraph.text)
    langs = [paragraph.lang] if paragraph.lang in cues.procedural else list(cues.procedural)
    if any(_has(words, cues.procedural[lang]) for lang in langs):
        return "procedural"
    if "." not in paragraph.number:
        opening = fold(paragraph.text[:OPENING])
        if any(_has(opening, cues.exhortation.get(lang, ())) for lang in langs):
            return "exhortation"
        if any(_starts(words, cues.declaratory.get(lang, ())) for lang in langs):
            return "declaratory"
    return "request"


def read_paragraphs(store: Store) -> dict[str, Paragraph]:
    """Every stored operative paragraph but the inferred ones, by IRI."""
    found: dict[str, Paragraph] = {}
    for row in store.query(PARAGRAPHS_QUERY):  # type: ignore[union-attr]
        iri = row["p"].value
        paragraph = found.get(iri)
        if paragraph is None:
            paragraph = found[iri] = Paragraph(
                iri, row["number"].value, row["symbol"].value, row["resolution"].value,
                row["loaded"].value == "true",
            )
        if row["parent"] is not None:
            paragraph.parent = row["parent"].value
        if row["text"] is not None and paragraph.text is None:
            paragraph.text = row["text"].value
            paragraph.lang = row["lang"].value if row["lang"] is not None else None
        if row["addressee"] is not None:
            paragraph.addressees.add(row["addressee"].value)
    return found


def _letters_before(letter: str) -> list[str]:
    return [chr(c) for c in range(ord("a"), ord(letter))]


def inferred_paragraphs(
    paragraphs: dict[str, Paragraph], spans: dict[str, set[str]]
) -> Graph:
    """The sub-paragraphs the numbering of the cited ones implies (see the module doc)."""
    graph = Graph()
    known = {(p.symbol, p.number) for p in paragraphs.values()}
    by_parent: dict[tuple[str, str], list[Paragraph]] = {}
    for p in paragraphs.values():
        head, dot, letter = p.number.rpartition(".")
        if dot and len(letter) == 1 and letter.isalpha() and not p.loaded:
            by_parent.setdefault((p.symbol, head), []).append(p)
    for (symbol, head), siblings in by_parent.items():
        siblings.sort(key=lambda p: p.number)
        top = siblings[-1]
        resolution = URIRef(top.resolution)
        for letter in _letters_before(top.number.rpartition(".")[2]):
            number = f"{head}.{letter}"
            if (symbol, number) in known:
                continue
            implied_by = next(s for s in siblings if s.number.rpartition(".")[2] > letter)
            node = paragraph_iri(symbol, number)
            graph.add((node, RDF.type, MG.OperativeParagraph))
            graph.add((node, RDF.type, MG.InferredParagraph))
            graph.add((node, MG.paragraphNumber, Literal(number)))
            graph.add((node, MG.paragraphOf, resolution))
            graph.add((node, MG.subParagraphOf, paragraph_iri(symbol, head)))
            for prefix in paragraph_prefixes(number):
                graph.add((node, MG.withinParagraph, paragraph_iri(symbol, prefix)))
            graph.add((node, MG.impliedBy, URIRef(implied_by.iri)))
            for span in sorted(spans.get(implied_by.iri, ())):
                graph.add((node, PROV.wasDerivedFrom, URIRef(span)))
    return graph


_PLURAL = "(?:s|es|x)?"
_PLURAL_ENDINGS = ("", "s", "es", "x")
_WORD = re.compile(r"\w+")


def _first_tokens(word: str) -> frozenset[str] | None:
    """The words of a text (its runs of ``\\w``) one of which a pattern starting with
    ``word`` needs, or ``None`` when it cannot be told (no word character first)."""
    run = _WORD.match(word)
    if run is None:
        return None
    if run.end() < len(word):  # "anti-drogue": the run "anti", as it is
        return frozenset({run.group()})
    return frozenset(word + ending for ending in _PLURAL_ENDINGS)


@dataclass(frozen=True)
class _ThemePatterns:
    """The patterns of every theme, looked up by a word the text must have for them."""

    codes: tuple[str, ...]
    by_word: dict[str, list[tuple[str, re.Pattern[str]]]]
    always: list[tuple[str, re.Pattern[str]]]


@lru_cache(maxsize=1)
def _theme_patterns(registry: Registry) -> _ThemePatterns:
    codes: dict[str, None] = {}
    by_word: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    always: list[tuple[str, re.Pattern[str]]] = []
    for surface in registry.surfaces("theme"):
        words = fold(surface.text).split()
        if not words or (surface.form == "acronym" and len(surface.text) < 4):
            continue
        body = " ".join(re.escape(w) + _PLURAL for w in words)
        found = (surface.code, re.compile(rf"(?<!\w){body}(?!\w)"))
        codes[surface.code] = None
        needs = _first_tokens(words[0])
        for word in needs if needs is not None else ():
            by_word.setdefault(word, []).append(found)
        if needs is None:
            always.append(found)
    return _ThemePatterns(tuple(codes), by_word, always)


def text_themes(text: str, registry: Registry) -> list[str]:
    """Every theme whose label or keyword ``text`` contains (a plural ending allowed)."""
    words = fold(text)
    patterns = _theme_patterns(registry)
    # only the patterns that start with a word of the text are searched for (each
    # pattern of each theme in each text, before: 3.8 million searches for the 12,097
    # paragraphs of 10,000 generated reports)
    candidates = list(patterns.always)
    for word in set(_WORD.findall(words)):
        candidates += patterns.by_word.get(word, ())
    found = {code for code, pattern in candidates if pattern.search(words)}
    return [code for code in patterns.codes if code in found]


def lineage(store: Store) -> set[tuple[str, str]]:
    """The (later, earlier) pairs of ``mg:continues``: a resolution and one it recalls
    within :data:`RECALL_HOPS` hops, or one of its series issued before it (dates
    compared as text, as ``STR`` does); never a resolution and itself."""
    recalls: dict[str, set[str]] = {}
    for row in store.query(RECALLS_QUERY):  # type: ignore[union-attr]
        recalls.setdefault(row["later"].value, set()).add(row["earlier"].value)
    resolutions = {row["r"].value for row in store.query(RESOLUTIONS_QUERY)}  # type: ignore[union-attr]
    pairs: set[tuple[str, str]] = set()
    for start in recalls.keys() & resolutions:  # not the reports that recall them
        reached: set[str] = set()
        frontier = {start}
        for _ in range(RECALL_HOPS):
            frontier = {e for r in frontier for e in recalls.get(r, ())} - reached
            reached |= frontier
        pairs.update((start, earlier) for earlier in reached)
    series: dict[str, list[tuple[str, str]]] = {}
    for row in store.query(SERIES_QUERY):  # type: ignore[union-attr]
        series.setdefault(row["series"].value, []).append(
            (row["r"].value, row["issued"].value))
    for members in series.values():
        pairs.update((later, earlier) for later, d1 in members for earlier, d2 in members
                     if d2 < d1)
    return {(later, earlier) for later, earlier in pairs
            if later != earlier and later in resolutions and earlier in resolutions}


def registry_graph(store: Store, *, registry: Registry | None = None) -> Graph:
    """The registry graph of everything stored (see the module docstring)."""
    registry = registry or load_registry()
    cues = load_cues()
    paragraphs = read_paragraphs(store)
    spans: dict[str, set[str]] = {}
    for row in store.query(CITATIONS_QUERY):  # type: ignore[union-attr]
        spans.setdefault(row["p"].value, set()).add(row["span"].value)
    units: dict[str, set[str]] = {}
    for row in store.query(UNITS_QUERY):  # type: ignore[union-attr]
        units.setdefault(row["parent"].value, set()).add(row["org"].value)
    political = {str(org_iri(key)) for key in cues.political_bodies}
    frontier = list(political)
    while frontier:
        for unit in units.get(frontier.pop(), ()):
            if unit not in political:
                political.add(unit)
                frontier.append(unit)
    graph = Graph(identifier=REGISTRY_GRAPH)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in inferred_paragraphs(paragraphs, spans):
        graph.add(triple)
    for later, earlier in lineage(store):
        graph.add((URIRef(later), MG.continues, URIRef(earlier)))
    kinds = {iri: own_kind(p, cues, political) for iri, p in paragraphs.items()}
    for iri, paragraph in paragraphs.items():
        parent = paragraphs.get(paragraph.parent) if paragraph.parent else None
        kind = kinds[iri]
        if parent is not None and parent.text is not None and kinds[parent.iri] is not None:
            kind = kinds[parent.iri]
        if kind is not None:
            graph.add((URIRef(iri), MG.mandateKind, mandate_kind_iri(kind)))
        if paragraph.text:
            for code in text_themes(paragraph.text, registry):
                graph.add((URIRef(iri), MG.theme, theme_iri(code)))
    return graph


def refresh_registry(store: Store) -> int:
    """Rewrite ``graph/registry`` from what is stored; returns its triple count."""
    return store.replace_graph(REGISTRY_GRAPH, registry_graph(store))
