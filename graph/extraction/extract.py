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

Resolution documents are parsed in :mod:`~mandategraph.graph.extraction.resolutions`;
every triple, span and statement is collected by
:class:`~mandategraph.graph.extraction.rdf_builder.GraphBuilder`.
"""

from __future__ import annotations

import bisect
import functools
import gc
import re
import threading
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from mandategraph.errors import ExtractionError
from mandategraph.graph.extraction import lexicon
from mandategraph.graph.extraction.activities import Activity, read_activities
from mandategraph.graph.extraction.actors import (
    Mention,
    find_mentions,
    org_kind,
)
from mandategraph.graph.extraction.citations import (
    Citation,
    SymbolMention,
    find_citations,
    find_symbols,
)
from mandategraph.graph.extraction.layout import layout_view
from mandategraph.graph.extraction.rdf_builder import GraphBuilder, NTriples
from mandategraph.graph.extraction.readers import Document
from mandategraph.graph.extraction.resolutions import (
    ParsedResolution,
    ResolutionParagraph,
    parse_resolution,
)
from mandategraph.graph.extraction.segment import Segmentation, Sentence, segment
from mandategraph.ontology.namespaces import (
    FOAF,
    MG,
    entity_iri,
    org_iri,
    paragraph_iri,
    paragraph_prefixes,
    resolution_iri,
    section_iri,
    slugify,
    state_iri,
    status_iri,
    theme_iri,
)
from mandategraph.ontology.registry import Registry, load_registry

Span = tuple[int, int]
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


#: The pause every extraction takes (a bulk ingest holds it over a whole chunk).
collector_paused = _CollectorPause()

# ---------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------


def _self_org(
    doc: Document,
    registry: Registry,
    mentions: list[Mention],
    seg: Segmentation,
    text: str = "",
) -> str | None:
    """The report's author: the most specific body of the publisher line, else the
    body its title names ("Report of the ... (CICAD)"), else the first OAS body
    named in the opening text."""
    if doc.publisher:
        found = None
        for part in re.split(r"[,;/]", doc.publisher):
            key = registry.resolve_organization(part.strip()) if part.strip() else None
            if key:
                found = str(key)
        if found:
            return found
    # "REPORT OF THE EXECUTIVE SECRETARIAT OF ... (CICAD) ON ITS ...": the title names it
    title = lexicon.pattern("report_of", flags=0).search(text, 0, min(len(text), 4000))
    if title is not None:
        end = text.find("\n\n", title.end())
        end = title.end() + 400 if end < 0 else min(end, title.end() + 400)
        for mention in mentions:
            if (
                mention.kind == "organization"
                and title.end() <= mention.start < end
                and org_kind(registry, mention.code) == "oas_body"
            ):
                return mention.code
    first = seg.sections[0]
    for mention in mentions:
        if mention.kind == "organization" and mention.start < max(first.end, 2000):
            if org_kind(registry, mention.code) == "oas_body":
                return mention.code
    return None


def _section_theme(registry: Registry, heading: str, body: str) -> str | None:
    for text in (heading, body):
        if text.strip():
            themes = registry.match_themes(text)
            if themes:
                return str(themes[0])
    return None


@collector_paused
def extract(
    doc: Document,
    *,
    registry: Registry | None = None,
    known_paragraphs: dict[str, set[str]] | None = None,
) -> Graph:
    """The graph of everything extracted from ``doc`` (see :func:`_collect`)."""
    return _collect(doc, registry=registry, known_paragraphs=known_paragraphs).build()


@collector_paused
def extract_ntriples(
    doc: Document,
    *,
    registry: Registry | None = None,
    known_paragraphs: dict[str, set[str]] | None = None,
) -> NTriples:
    """What :func:`extract` finds, as N-Triples with their count, with no rdflib graph
    built (the bulk ingest's workers send N-Triples on: a third of the time)."""
    return _collect(doc, registry=registry, known_paragraphs=known_paragraphs).ntriples()


def _collect(
    doc: Document,
    *,
    registry: Registry | None = None,
    known_paragraphs: dict[str, set[str]] | None = None,
) -> GraphBuilder:
    """Every triple extracted from ``doc``, collected.

    Args:
        doc: a document from :func:`mandategraph.graph.extraction.readers.read_document`.
        registry: the reference registry (``ontology.registry.load_registry()`` when
            omitted; pass one to test with other reference data).
        known_paragraphs: for resolutions already loaded in the store, the paragraph
            paths they have (``{"AG/RES. 2485 (XXXIX-O/09)": {"5", "5.a", ...}}``); a
            citation to a path they lack is kept as cited and flagged.

    Returns:
        The builder holding them (deterministic: same input, same triples).

    Raises:
        mandategraph.errors.ExtractionError: the text gives nothing to extract from.
    """
    if not doc.text.strip():
        raise ExtractionError(f"{doc.path}: nothing to extract from an empty text")
    registry = load_registry() if registry is None else registry
    view = layout_view(doc.text)
    text = view.text
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
    b = GraphBuilder(doc, view)
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
        # the paragraph and each enclosing one not yet stated, walked up in a loop (a
        # nested function calling itself is a reference cycle: it would keep the
        # builder and its triples for the cyclic collector, 1,300 objects a document)
        found = paragraph_iri(symbol, path)
        while (symbol, path) not in paragraph_nodes:
            paragraph_nodes.add((symbol, path))
            node = paragraph_iri(symbol, path)
            res = resolution(symbol, span)
            b.fact(node, RDF.type, MG.OperativeParagraph, span)
            b.fact(node, MG.paragraphOf, res, span)
            b.fact(node, MG.paragraphNumber, Literal(path), span)
            b.derived(node, span)
            for prefix in paragraph_prefixes(path):
                b.add((node, MG.withinParagraph, paragraph_iri(symbol, prefix)))
            if "." not in path:
                break
            path = path.rsplit(".", 1)[0]
            b.fact(node, MG.subParagraphOf, paragraph_iri(symbol, path), span)
        return found

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
            b, doc, text, registry, symbols, paragraph, resolution, mentions, sentence_of
        )

    # actors, places, instruments, candidates --------------------------------------------
    provisional_nodes: set[str] = set()
    for mention in mentions:
        span = sentence_of(mention.start)
        if mention.kind == "organization" and mention.extra.get("provisional"):
            # an organization the registry lacks, shaped like one: a provisional actor
            # (mg:Candidate), with a minted key, until a curator accepts or rejects it
            node = org_iri(mention.code)
            if mention.code not in provisional_nodes:
                provisional_nodes.add(mention.code)
                b.add((node, RDF.type, MG.Candidate))
                b.add((node, RDF.type, MG.Organization))
                b.add((node, RDF.type, MG.PartnerOrganization))
                b.add((node, SKOS.notation, Literal(mention.code)))
                b.add((node, RDFS.label, Literal(str(mention.extra["provisional"]))))
                b.add((node, DCTERMS.isPartOf, d))
                note = "provisional: an organization-like name the registry does not know"
                b.add((node, SKOS.editorialNote, Literal(note)))
            b.derived(node, span if span[1] > span[0] else (mention.start, mention.end))
            continue
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
            # its sentence, for the curator to judge it in context
            b.derived(node, span if span[1] > span[0] else (mention.start, mention.end))

    # activities -----------------------------------------------------------------------
    if doc.kind == "report":
        activities = read_activities(
            text=text,
            lang=doc.language,
            segmentation=seg,
            citations=citations,
            mentions=mentions,
            registry=registry,
            self_org=_self_org(doc, registry, mentions, seg, text),
        )
        doc_theme = next((t for t in section_themes.values() if t), None)
        for activity in activities:
            _activity(
                b,
                text,
                doc,
                activity,
                section_nodes,
                section_themes,
                doc_theme,
                registry,
                paragraph,
            )
    return b


def _resolution_document(
    b: GraphBuilder,
    doc: Document,
    text: str,
    registry: Registry,
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
        text, resolve_addressee=registry.resolve_organization, symbols=symbols
    )
    symbol = doc.symbol or parsed.symbol
    if symbol is None:
        raise ExtractionError(f"{doc.path}: a resolution without an AG/RES symbol at its top")
    first = next((m for m in symbols if m.symbol == symbol), None)
    symbol_span = (first.start, first.end) if first else (0, min(len(text), 40))
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
        b.fact(clause, RDFS.label, Literal(" ".join(text[start:end].split())), (start, end))
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
    b: GraphBuilder,
    text: str,
    doc: Document,
    activity: Activity,
    section_nodes: dict[str, URIRef],
    section_themes: dict[str, str | None],
    doc_theme: str | None,
    registry: Registry,
    paragraph: Any,
) -> None:
    theme = section_themes.get(activity.section)
    first_span = activity.spans[0] if activity.spans else activity.trigger
    if theme is None:
        matched = registry.match_themes(text[first_span[0] : first_span[1]])
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
