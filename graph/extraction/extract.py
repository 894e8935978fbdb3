"""Extraction: one :class:`~mandategraph.graph.extraction.readers.Document` -> its RDF graph.

What a document yields (vocabulary of ``ontology/README.md``, IRIs from
``ontology/namespaces.py``):

* the document node (``mg:Report``, or ``mg:Document`` whose primary topic is the
  ``mg:Resolution`` for a resolution), title, language, publisher, year;
* its sections (``mg:Section``, number, heading as ``rdfs:label``, ``mg:theme``);
* resolutions it recalls and operative paragraphs it cites (one node per
  resolution and paragraph path, the same IRI in every document), with the quoted
  mandate text and its addressee;
* for a resolution: its operative paragraphs, lettered sub-paragraphs, texts and
  addressees, its adoption date and preamble clauses, and the states each clause
  or paragraph names (``dcterms:spatial`` to the state);
* activities with type, theme, roles, states, places, dates, counts, status,
  mandates;
* persons, places, legal instruments, and organization-like names the registry
  does not know (``mg:Candidate`` nodes, for curation);
* a ``mg:TextSpan`` (offsets into ``Document.text`` and the exact quote) behind
  every fact, and an ``rdf:Statement`` per extracted triple with
  ``prov:wasDerivedFrom`` that span.

Reference data (states, organizations, themes) is only pointed to. IRIs of
statements hash their content, so the same input gives the same graph.
"""

from __future__ import annotations

import bisect
import functools
import gc
import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from mandategraph.errors import ExtractionError
from mandategraph.graph.extraction.activities import Activity, read_activities
from mandategraph.graph.extraction.actors import (
    Mention,
    find_mentions,
    load_default_registry,
    org_kind,
)
from mandategraph.graph.extraction.citations import (
    Citation,
    SymbolMention,
    find_citations,
    find_symbols,
)
from mandategraph.graph.extraction.readers import Document
from mandategraph.graph.extraction.segment import Segmentation, Sentence, segment
from mandategraph.ontology.namespaces import (
    FOAF,
    MG,
    PREFIXES,
    document_iri,
    entity_iri,
    org_iri,
    paragraph_iri,
    resolution_iri,
    section_iri,
    slugify,
    span_iri,
    state_iri,
    status_iri,
    theme_iri,
)

Span = tuple[int, int]
_SUBJECT = URIRef | BNode
_P = ParamSpec("_P")
_R = TypeVar("_R")


class _CollectorPause:
    """Python's cyclic garbage collector held off while documents are extracted.

    Extraction keeps every object it makes (mentions, sentences, triples, terms:
    about a million for 1 MB of text) alive until the graph is built, and leaves no
    garbage cycles behind (none found after 0.1 to 4 MB of text). Each full
    collection walks all of them again to find nothing; as they grow, so does each
    walk, and extraction took 3.3 s per MB of text at 0.1 MB, 5.6 s per MB at 4 MB.
    Without the collector it stays at 3.3-3.7 s per MB, with the same peak memory
    (``benchmarks/bench_docsize.py``). Reference counting frees everything else as
    usual. Extractions in several threads share one pause: the collector runs again
    when the last one ends, if it ran when the first began.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._was_enabled:
                gc.enable()

    def __call__(self, func: Callable[_P, _R]) -> Callable[_P, _R]:
        """``func`` run with the collector paused."""

        @functools.wraps(func)
        def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            with self:
                return func(*args, **kwargs)

        return paused


_collector_paused = _CollectorPause()


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


Triple = tuple[Node, Node, Node]

# Terms used for every fact, looked up once: attribute access on an rdflib
# namespace builds a new URIRef each time, and a large report states ~170,000 triples.
_TYPE, _STATEMENT = RDF.type, RDF.Statement
_R_SUBJECT, _R_PREDICATE, _R_OBJECT = RDF.subject, RDF.predicate, RDF.object
_DERIVED_FROM = PROV.wasDerivedFrom
_TEXT_SPAN, _IN_DOCUMENT = MG.TextSpan, MG.inDocument
_START, _END, _QUOTE = MG.startOffset, MG.endOffset, MG.quote
_INTEGER = XSD.integer


class _Builder:
    """Collects triples, text spans and reified statements for one document graph.

    Triples go to an insertion-ordered set and the rdflib graph is built once, at
    the end (:meth:`build`): adding to an rdflib ``Graph`` one triple at a time costs
    about as much as the whole extraction (per-term checks, an event per triple,
    context bookkeeping), and many facts repeat (a span, a type, a derivation).
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.doc_iri = document_iri(doc.slug)
        self._triples: dict[Triple, None] = {}
        self._spans: dict[Span, URIRef] = {}
        self._statement_prefix = f"{self.doc_iri}/statement/"

    def add(self, triple: Triple) -> None:
        """Add one triple (without provenance)."""
        self._triples[triple] = None

    def span(self, start: int, end: int) -> URIRef:
        """The ``mg:TextSpan`` of ``[start, end)``, stated once per document."""
        iri = self._spans.get((start, end))
        if iri is None:
            iri = span_iri(self.doc.slug, start, end)
            self._spans[(start, end)] = iri
            triples = self._triples
            triples[(iri, _TYPE, _TEXT_SPAN)] = None
            triples[(iri, _IN_DOCUMENT, self.doc_iri)] = None
            triples[(iri, _START, Literal(start, datatype=_INTEGER))] = None
            triples[(iri, _END, Literal(end, datatype=_INTEGER))] = None
            triples[(iri, _QUOTE, Literal(self.doc.text[start:end]))] = None
        return iri

    def fact(self, s: URIRef, p: URIRef, o: Any, span: Span | None) -> None:
        """``s p o``, and when ``span`` is given its reification with provenance."""
        node = o if isinstance(o, URIRef | Literal | BNode) else Literal(o)
        triples = self._triples
        triples[(s, p, node)] = None
        if span is None:
            return
        evidence = self.span(*span)
        digest = hashlib.sha1(f"{s}|{p}|{node.n3()}|{span[0]}-{span[1]}".encode()).hexdigest()[:16]
        statement = URIRef(self._statement_prefix + digest)
        triples[(statement, _TYPE, _STATEMENT)] = None
        triples[(statement, _R_SUBJECT, s)] = None
        triples[(statement, _R_PREDICATE, p)] = None
        triples[(statement, _R_OBJECT, node)] = None
        triples[(statement, _DERIVED_FROM, evidence)] = None

    def derived(self, s: URIRef, span: Span) -> None:
        """``s prov:wasDerivedFrom`` the span (an extracted node's evidence)."""
        self._triples[(s, _DERIVED_FROM, self.span(*span))] = None

    def build(self) -> Graph:
        """The rdflib graph of everything collected (each distinct triple once)."""
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        # Straight to the store, as Graph.add does after checking that every term
        # is an rdflib node: here every term was built by this module.
        store = graph.store
        for triple in self._triples:
            store.add(triple, graph, quoted=False)
        return graph


# ---------------------------------------------------------------------------------
# Resolution documents
# ---------------------------------------------------------------------------------

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
    text: str, *, resolve_addressee: Any = None, symbols: list[SymbolMention] | None = None
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


def _addressee(text: str, resolve: Any) -> str | None:
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


# ---------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------


def _self_org(
    doc: Document, registry: Any, mentions: list[Mention], seg: Segmentation
) -> str | None:
    """The report's author: the most specific body of the publisher line, else the
    first OAS body named in the opening text."""
    if doc.publisher:
        found = None
        for part in re.split(r"[,;/]", doc.publisher):
            key = registry.resolve_organization(part.strip()) if part.strip() else None
            if key:
                found = str(key)
        if found:
            return found
    first = seg.sections[0]
    for mention in mentions:
        if mention.kind == "organization" and mention.start < max(first.end, 2000):
            if org_kind(registry, mention.code) == "oas_body":
                return mention.code
    return None


def _section_theme(registry: Any, heading: str, body: str) -> str | None:
    for text in (heading, body):
        if text.strip():
            themes = registry.match_themes(text)
            if themes:
                return str(themes[0])
    return None


@_collector_paused
def extract(
    doc: Document,
    *,
    registry: Any = None,
    known_paragraphs: dict[str, set[str]] | None = None,
) -> Graph:
    """The graph of everything extracted from ``doc``.

    Args:
        doc: a document from :func:`mandategraph.graph.extraction.readers.read_document`.
        registry: the reference registry (``ontology.registry.load_registry()`` when
            omitted; pass one to test with other reference data).
        known_paragraphs: for resolutions already loaded in the store, the paragraph
            paths they have (``{"AG/RES. 2485 (XXXIX-O/09)": {"5", "5.a", ...}}``); a
            citation to a path they lack is kept as cited and flagged.

    Returns:
        An rdflib graph (deterministic: same input, same triples).

    Raises:
        mandategraph.errors.ExtractionError: the text gives nothing to extract from.
    """
    if not doc.text.strip():
        raise ExtractionError(f"{doc.path}: nothing to extract from an empty text")
    registry = load_default_registry() if registry is None else registry
    text = doc.text
    seg = segment(text)
    symbols = find_symbols(text)
    citations = find_citations(
        text,
        resolve_addressee=registry.resolve_organization,
        own_symbol=doc.symbol,
        symbols=symbols,
    )
    # A resolution's operative paragraphs ("3. To request the CICAD ...") look like
    # numbered headings to the segmenter; the names in them count all the same.
    paragraphs = [
        (p.start, p.end) for p in seg.paragraphs if p.kind != "heading" or doc.kind == "resolution"
    ]
    mentions = find_mentions(text, paragraphs, registry=registry, lang=doc.language)
    b = _Builder(doc)
    starts = [s.start for s in seg.sentences]

    def sentence_of(offset: int) -> Span:
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and seg.sentences[index].start <= offset < seg.sentences[index].end:
            sentence: Sentence = seg.sentences[index]
            return (sentence.start, sentence.end)
        return (offset, offset)

    d = b.doc_iri
    b.add((d, RDF.type, MG.Report if doc.kind == "report" else MG.Document))
    b.add((d, DCTERMS.title, Literal(doc.title)))
    b.add((d, MG.language, Literal(doc.language)))
    # the text itself, so every span's offsets can be shown in context from the graph
    # alone, wherever the file was ingested from
    b.add((d, PROV.value, Literal(doc.text)))
    if doc.publisher:
        b.add((d, DCTERMS.publisher, Literal(doc.publisher)))
    if doc.year:
        b.add((d, DCTERMS.date, Literal(str(doc.year), datatype=XSD.gYear)))

    # sections ---------------------------------------------------------------------
    numbered = any(not s.implicit for s in seg.sections)
    section_nodes: dict[str, URIRef] = {}
    section_themes: dict[str, str | None] = {}
    for section in seg.sections:
        body = text[section.start : section.end]
        theme = _section_theme(registry, section.heading, body)
        section_themes[section.number] = theme
        if numbered and section.implicit:
            continue
        node = section_iri(doc.slug, section.number)
        section_nodes[section.number] = node
        span = (
            (section.heading_start, section.heading_end)
            if section.heading_start >= 0
            else (section.start, min(section.end, section.start + 200))
        )
        b.add((node, RDF.type, MG.Section))
        b.fact(node, MG.inDocument, d, span)
        b.fact(node, MG.sectionNumber, Literal(section.number), span)
        if section.heading:
            b.fact(node, RDFS.label, Literal(section.heading), span)
        if theme:
            b.fact(node, MG.theme, theme_iri(theme), span)
        b.derived(node, span)

    # resolutions, paragraphs, citations ----------------------------------------------
    resolution_nodes: set[str] = set()

    def resolution(symbol: str, span: Span) -> URIRef:
        node = resolution_iri(symbol)
        if symbol not in resolution_nodes:
            resolution_nodes.add(symbol)
            b.fact(node, RDF.type, MG.Resolution, span)
            b.fact(node, SKOS.notation, Literal(symbol), span)
            b.derived(node, span)
        return node

    paragraph_nodes: set[tuple[str, str]] = set()

    def paragraph(symbol: str, path: str, span: Span) -> URIRef:
        node = paragraph_iri(symbol, path)
        if (symbol, path) not in paragraph_nodes:
            paragraph_nodes.add((symbol, path))
            res = resolution(symbol, span)
            b.fact(node, RDF.type, MG.OperativeParagraph, span)
            b.fact(node, MG.paragraphOf, res, span)
            b.fact(node, MG.paragraphNumber, Literal(path), span)
            b.derived(node, span)
            if "." in path:
                parent = paragraph(symbol, path.rsplit(".", 1)[0], span)
                b.fact(node, MG.subParagraphOf, parent, span)
        return node

    for symbol_mention in symbols:
        if symbol_mention.symbol == doc.symbol:
            continue
        span = sentence_of(symbol_mention.start)
        res = resolution(symbol_mention.symbol, (symbol_mention.start, symbol_mention.end))
        b.fact(d, MG.recalls, res, span)

    for citation in citations:
        span = sentence_of(citation.start)
        node = paragraph(citation.symbol, citation.paragraph, (citation.start, citation.end))
        b.fact(d, MG.cites, node, span)
        section = seg.section_at(citation.start)
        if section.number in section_nodes:
            b.fact(section_nodes[section.number], MG.cites, node, span)
        if citation.text:
            text_span = (citation.text_start, citation.text_start + len(citation.text))
            b.fact(node, MG.text, Literal(" ".join(citation.text.split())), text_span)
            themes = registry.match_themes(citation.text)
            if themes:
                b.fact(node, MG.theme, theme_iri(str(themes[0])), text_span)
        if citation.addressee:
            b.fact(node, MG.addressee, org_iri(citation.addressee), span)
        if (
            known_paragraphs is not None
            and citation.symbol in known_paragraphs
            and (citation.paragraph not in known_paragraphs[citation.symbol])
        ):
            note = f"cited paragraph {citation.paragraph} not found in the loaded {citation.symbol}"
            b.fact(node, SKOS.editorialNote, Literal(note), span)
            if note not in doc.warnings:
                doc.warnings.append(note)

    if doc.kind == "resolution":
        _resolution_document(
            b, doc, registry, symbols, paragraph, resolution, mentions, sentence_of
        )

    # actors, places, instruments, candidates --------------------------------------------
    for mention in mentions:
        span = sentence_of(mention.start)
        if mention.kind in ("person", "place"):
            node = entity_iri(mention.kind, mention.label or mention.text)
            b.add((node, RDF.type, MG.Person if mention.kind == "person" else MG.Place))
            b.fact(node, RDFS.label, Literal(mention.label or mention.text), span)
            b.derived(node, (mention.start, mention.end))
        elif mention.kind == "instrument":
            node = entity_iri("instrument", mention.code)
            b.add((node, RDF.type, MG.LegalInstrument))
            b.derived(node, (mention.start, mention.end))
            section = seg.section_at(mention.start)
            if section.number in section_nodes:
                b.fact(section_nodes[section.number], MG.refersToInstrument, node, span)
        elif mention.kind == "candidate":
            node = URIRef(f"{d}/candidate/{slugify(mention.label or mention.text)}")
            b.add((node, RDF.type, MG.Candidate))
            b.add((node, RDFS.label, Literal(mention.label or mention.text)))
            b.add((node, DCTERMS.isPartOf, d))
            b.derived(node, (mention.start, mention.end))

    # activities -----------------------------------------------------------------------
    if doc.kind == "report":
        activities = read_activities(
            text=text,
            lang=doc.language,
            segmentation=seg,
            citations=citations,
            mentions=mentions,
            registry=registry,
            self_org=_self_org(doc, registry, mentions, seg),
        )
        doc_theme = next((t for t in section_themes.values() if t), None)
        for activity in activities:
            _activity(
                b, doc, activity, section_nodes, section_themes, doc_theme, registry, paragraph
            )
    return b.build()


def _resolution_document(
    b: _Builder,
    doc: Document,
    registry: Any,
    symbols: list[SymbolMention],
    paragraph: Any,
    resolution: Any,
    mentions: list[Mention],
    sentence_of: Any,
) -> None:
    states = sorted(
        ((m.start, m.end, m.code) for m in mentions if m.kind == "state"), key=lambda m: m[:2]
    )
    state_starts = [start for start, _end, _code in states]

    def name_states(node: URIRef, start: int, end: int) -> None:
        # The states a clause or paragraph names ("the offer of the Government of
        # Jamaica", "to thank Trinidad and Tobago and Barbados") are where it applies:
        # dcterms:spatial, with the sentence naming each as evidence. An operative
        # paragraph the segmenter took for a heading has no sentences: then the
        # paragraph itself is the evidence.
        first = bisect.bisect_left(state_starts, start)
        for s, e, code in states[first:]:
            if s >= end:
                break
            if e <= end:
                sentence = sentence_of(s)
                inside = start <= sentence[0] < sentence[1] <= end
                b.fact(node, DCTERMS.spatial, state_iri(code), sentence if inside else (start, end))

    parsed = parse_resolution(
        doc.text, resolve_addressee=registry.resolve_organization, symbols=symbols
    )
    symbol = doc.symbol or parsed.symbol
    if symbol is None:
        raise ExtractionError(f"{doc.path}: a resolution without an AG/RES symbol at its top")
    first = next((m for m in symbols if m.symbol == symbol), None)
    symbol_span = (first.start, first.end) if first else (0, min(len(doc.text), 40))
    res = resolution(symbol, symbol_span)
    b.add((b.doc_iri, FOAF.primaryTopic, res))
    title = parsed.title or doc.title
    if parsed.title_span:
        b.fact(res, DCTERMS.title, Literal(" ".join(title.split())), parsed.title_span)
    if parsed.adopted and parsed.adoption_span:
        b.fact(res, DCTERMS.date, Literal(parsed.adopted, datatype=XSD.date), parsed.adoption_span)
    for index, (start, end) in enumerate(parsed.preamble, start=1):
        clause = URIRef(f"{res}/preamble/{index}")
        b.fact(clause, RDF.type, PROV.Entity, (start, end))
        b.fact(clause, DCTERMS.isPartOf, res, (start, end))
        b.fact(clause, RDFS.label, Literal(" ".join(doc.text[start:end].split())), (start, end))
        name_states(clause, start, end)
    for item in parsed.paragraphs:
        span = (item.start, item.end)
        node = paragraph(symbol, item.path, span)
        b.fact(node, MG.text, Literal(item.text), span)
        if item.addressee:
            b.fact(node, MG.addressee, org_iri(item.addressee), span)
        name_states(node, item.start, item.end)
        themes = registry.match_themes(item.text)
        if themes:
            b.fact(node, MG.theme, theme_iri(str(themes[0])), span)


_TYPES = {
    "Training",
    "Workshop",
    "Meeting",
    "Assessment",
    "Study",
    "Exercise",
    "TechnicalAssistance",
    "EquipmentProvision",
    "Scholarship",
    "Programme",
}


def _activity(
    b: _Builder,
    doc: Document,
    activity: Activity,
    section_nodes: dict[str, URIRef],
    section_themes: dict[str, str | None],
    doc_theme: str | None,
    registry: Any,
    paragraph: Any,
) -> None:
    theme = section_themes.get(activity.section)
    first_span = activity.spans[0] if activity.spans else activity.trigger
    if theme is None:
        matched = registry.match_themes(doc.text[first_span[0] : first_span[1]])
        theme = str(matched[0]) if matched else doc_theme
    if theme is None:
        note = f"activity {activity.local} skipped: no theme could be told"
        if note not in doc.warnings:
            doc.warnings.append(note)
        return
    from mandategraph.ontology.namespaces import activity_iri

    node = activity_iri(doc.slug, activity.local)
    b.fact(node, RDF.type, MG.Activity, first_span)
    if activity.type in _TYPES:
        b.fact(node, RDF.type, MG[activity.type], first_span)
    b.fact(node, RDFS.label, Literal(activity.label), first_span)
    for span in activity.spans:
        b.derived(node, span)
    section = section_nodes.get(activity.section)
    if section is not None:
        b.fact(node, MG.reportedIn, section, first_span)
    b.fact(node, MG.theme, theme_iri(theme), first_span)
    for code, span in sorted(activity.conducted_by.items()):
        b.fact(node, MG.conductedBy, org_iri(code), span)
    for prop, table in (
        (MG.inPartnershipWith, activity.partners),
        (MG.fundedBy, activity.funders),
        (MG.requestedBy, activity.requesters),
    ):
        for code, (kind, span) in sorted(table.items()):
            b.fact(node, prop, state_iri(code) if kind == "state" else org_iri(code), span)
    for code, span in sorted(activity.beneficiaries.items()):
        b.fact(node, MG.beneficiary, state_iri(code), span)
    for code, span in sorted(activity.held_in_states.items()):
        b.fact(node, MG.heldIn, state_iri(code), span)
    for name, (_mention, span) in sorted(activity.places.items()):
        b.fact(node, MG.heldIn, entity_iri("place", name), span)
    for name, (_mention, span) in sorted(activity.persons.items()):
        b.fact(node, MG.ledBy, entity_iri("person", name), span)
    for key, span in sorted(activity.instruments.items()):
        b.fact(node, MG.refersToInstrument, entity_iri("instrument", key), span)
    for year, span in sorted(activity.years.items()):
        b.fact(node, MG.year, Literal(year, datatype=XSD.integer), span)
    for prop, value in ((MG.startDate, activity.start_date), (MG.endDate, activity.end_date)):
        if value is not None:
            lexical, datatype, span = value
            b.fact(node, prop, Literal(lexical, datatype=XSD[datatype]), span)
    if activity.participants is not None:
        b.fact(
            node,
            MG.participantCount,
            Literal(activity.participants[0], datatype=XSD.integer),
            activity.participants[1],
        )
    if activity.count is not None:
        b.fact(
            node,
            MG.activityCount,
            Literal(activity.count[0], datatype=XSD.integer),
            activity.count[1],
        )
    status, span = activity.status
    b.fact(node, MG.status, status_iri(status), span if span != (0, 0) else first_span)
    for symbol, path, span in activity.mandates:
        b.fact(node, MG.implements, paragraph(symbol, path, span), span)


__all__ = ["Citation", "ParsedResolution", "ResolutionParagraph", "extract", "parse_resolution"]
