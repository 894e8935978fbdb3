"""The RDF builder of one document: triples, text spans and reified statements.

Every fact is stated with its :class:`~mandategraph.ontology.namespaces.MG` text span
and an ``rdf:Statement`` under a content-hash IRI, in one place: deterministic
output, provenance that cannot be forgotten.
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.plugins.serializers.nt import _quoteLiteral  # rdflib's writer; tested below 8
from rdflib.term import Node

from mandategraph.graph.extraction.layout import LayoutView
from mandategraph.graph.extraction.readers import Document
from mandategraph.ontology.namespaces import MG, PREFIXES, document_iri, span_iri

Span = tuple[int, int]
Triple = tuple[Node, Node, Node]

# Terms used for every fact, looked up once: attribute access on an rdflib
# namespace builds a new URIRef each time, and a large report states ~170,000 triples.
_TYPE, _STATEMENT = RDF.type, RDF.Statement
_R_SUBJECT, _R_PREDICATE, _R_OBJECT = RDF.subject, RDF.predicate, RDF.object
_DERIVED_FROM = PROV.wasDerivedFrom
_TEXT_SPAN, _IN_DOCUMENT = MG.TextSpan, MG.inDocument
_START, _END, _QUOTE = MG.startOffset, MG.endOffset, MG.quote
_INTEGER = XSD.integer


class NTriples(NamedTuple):
    """A document graph as N-Triples, in two parts (see :meth:`GraphBuilder.ntriples`)."""

    #: the facts, the types and the text spans
    facts: bytes
    #: the reified statements: each fact's provenance (five triples a fact)
    statements: bytes
    #: how many triples both hold
    triples: int

    @property
    def text(self) -> bytes:
        """Both parts: the whole graph."""
        return self.facts + self.statements


class GraphBuilder:
    """Collects triples, text spans and reified statements for one document graph.

    Triples go to an insertion-ordered set and the rdflib graph is built once, at
    the end (:meth:`build`): adding to an rdflib ``Graph`` one triple at a time costs
    about as much as the whole extraction (per-term checks, an event per triple,
    context bookkeeping), and many facts repeat (a span, a type, a derivation).
    """

    def __init__(self, doc: Document, view: LayoutView | None = None) -> None:
        self.doc = doc
        # the extraction reads a view of the text without layout noise; its offsets are
        # mapped back here, so every span and quote is the document's own
        self.view = None if view is None or view.identity else view
        self.doc_iri = document_iri(doc.slug)
        self._triples: dict[Triple, None] = {}
        # a reified statement's five triples, kept as one entry: (statement, s, p, o, span)
        self._statements: dict[tuple[URIRef, Node, Node, Node, URIRef], None] = {}
        self._spans: dict[Span, URIRef] = {}
        self._statement_prefix = f"{self.doc_iri}/statement/"

    def add(self, triple: Triple) -> None:
        """Add one triple (without provenance)."""
        self._triples[triple] = None

    def span(self, start: int, end: int) -> URIRef:
        """The ``mg:TextSpan`` of ``[start, end)``, stated once per document."""
        if self.view is not None:
            start, end = self.view.span(start, end)
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
        if self.view is not None:
            span = self.view.span(*span)
        digest = hashlib.sha1(f"{s}|{p}|{node.n3()}|{span[0]}-{span[1]}".encode()).hexdigest()[:16]
        statement = URIRef(self._statement_prefix + digest)
        self._statements[(statement, s, p, node, evidence)] = None

    def derived(self, s: URIRef, span: Span) -> None:
        """``s prov:wasDerivedFrom`` the span (an extracted node's evidence)."""
        self._triples[(s, _DERIVED_FROM, self.span(*span))] = None

    def __len__(self) -> int:
        return len(self._triples) + 5 * len(self._statements)

    def _statement_triples(self) -> list[Triple]:
        return [triple
                for statement, s, p, o, evidence in self._statements
                for triple in ((statement, _TYPE, _STATEMENT), (statement, _R_SUBJECT, s),
                               (statement, _R_PREDICATE, p), (statement, _R_OBJECT, o),
                               (statement, _DERIVED_FROM, evidence))]

    def ntriples(self) -> NTriples:
        """Everything collected (each distinct triple once) as the N-Triples lines
        ``Graph.serialize(format="nt")`` writes, without building the graph: the facts
        and spans, and apart from them the reified statements.

        Each IRI and blank node is written once, as rdflib's line writer writes it, and
        looked up after: a subject, a class or a predicate recurs in many triples, and
        writing an IRI checks it again each time (a tenth of a worker's time went
        there). Literals are written each time (they seldom recur, and two literals
        rdflib holds equal may be written apart: a language tag's case). A statement's
        IRI, the document's IRI and a hexadecimal digest, is written as it is.

        The statements are two thirds of the triples and no shape targets them: the
        shapes check of the bulk ingest reads only the first part (their terms are
        the facts' own, written by the same writer into it).
        """
        written: dict[Node, str] = {}

        def text(term: Node) -> str:
            if isinstance(term, Literal):
                return _quoteLiteral(term)
            found = written.get(term)
            if found is None:
                found = written[term] = term.n3()
            return found

        facts = "".join(f"{text(s)} {text(p)} {text(o)} .\n" for s, p, o in self._triples)
        kind, subject, predicate, obj, derived = (
            f"{text(_TYPE)} {text(_STATEMENT)} .\n", text(_R_SUBJECT), text(_R_PREDICATE),
            text(_R_OBJECT), text(_DERIVED_FROM))
        statements = "".join(
            f"<{st}> {kind}<{st}> {subject} {text(s)} .\n<{st}> {predicate} {text(p)} .\n"
            f"<{st}> {obj} {text(o)} .\n<{st}> {derived} {text(evidence)} .\n"
            for st, s, p, o, evidence in self._statements)
        return NTriples(facts.encode("utf-8"), statements.encode("utf-8"), len(self))

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
        for triple in self._statement_triples():
            store.add(triple, graph, quoted=False)
        return graph
