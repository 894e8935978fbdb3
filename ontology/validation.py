"""SHACL validation of mandategraph data (pySHACL), with readable results.

:func:`validate` checks a data graph against ``ontology/shapes.ttl`` and returns a
:class:`ValidationReport`: one :class:`Violation` per failed constraint, each
printable as one line such as::

    activity <https://w3id.org/mandategraph/id/document/r/activity/2-1>: every activity
    needs at least one theme (mg:theme)

The ontology's class hierarchy is given to pySHACL as ``ont_graph``: it is mixed
into (a copy of) the data, so ``sh:targetClass mg:Activity`` also targets an
``mg:Training`` and ``sh:class mg:State`` accepts an ``mg:MemberState`` through
``rdfs:subClassOf``. Two choices keep a few thousand triples well under a second:

* only the named ``rdfs:subClassOf`` edges are mixed in, not the whole ontology:
  pySHACL "inoculates" the data by cloning the ontology node by node and, with
  labels, definitions and ``rdfs:isDefinedBy`` links, that took 4 to 15 seconds
  for the 1,000-triple ontology whatever the size of the data;
* no RDFS/OWL-RL inference is run (``inference="none"``): the subclass walk is all
  the shapes need; the owlrl closure costs seconds.

:func:`conforms` answers only "does it conform?" for N-Triples text, with the same
shapes and class hierarchy, through rudof (``pyrudof``, a SHACL engine written in
Rust): the bulk ingest asks it of each chunk of documents, where pySHACL spent most of
a document's time, and calls :func:`validate` (document by document) only for a chunk
that does not conform, so every violation a user reads is still pySHACL's.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from mandategraph.errors import ValidationError
from mandategraph.ontology.loader import ontology_graph, shapes_graph
from mandategraph.ontology.namespaces import SH

__all__ = ["ValidationReport", "Violation", "class_hierarchy", "conforms", "validate"]


@dataclass(frozen=True)
class Violation:
    """One failed SHACL constraint on one node.

    Attributes:
        focus_node: the node that breaks the rule (an activity, a span, a state...).
        path: the property the rule is about (``mg:theme``), or None for node rules.
        value: the offending value when there is one (``"JAMA"``), else None.
        message: the rule in plain English (the shape's ``sh:message``).
        severity: ``"Violation"``, ``"Warning"`` or ``"Info"``.
        kind: what the focus node is, from the node shape's label (``"activity"``).
        shape: the IRI of the shape that failed, for tools.
    """

    focus_node: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str = "Violation"
    kind: str = "node"
    shape: Node | None = None

    def describe(self) -> str:
        """One line: ``<kind> <focus node>: <message>`` and the value if any."""
        line = f"{self.kind} {_show(self.focus_node)}: {self.message}"
        if self.value is not None and self.value != self.focus_node:
            line += f" (found {_show(self.value)})"
        return line


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes:
        conforms: True when the data satisfies every shape.
        violations: every failed constraint, sorted by focus node then message.
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def describe(self) -> str:
        """One readable line per violation (or a single line saying the data conforms)."""
        if not self.violations:
            return "the data conforms to the mandategraph shapes"
        return "\n".join(violation.describe() for violation in self.violations)

    def raise_for_violations(self) -> None:
        """Raise if the data does not conform.

        Raises:
            ValidationError: with a count line followed by :meth:`describe`.
        """
        if self.conforms:
            return
        count = len(self.violations)
        noun = "violation" if count == 1 else "violations"
        raise ValidationError(f"{count} SHACL {noun}:\n{self.describe()}")


def validate(
    data: Graph,
    *,
    ontology: Graph | None = None,
    shapes: Graph | None = None,
    inplace: bool = False,
) -> ValidationReport:
    """Validate ``data`` against the mandategraph SHACL shapes.

    Args:
        data: the graph to check: a document graph merged with the reference data
            (states, organizations, themes) that its ``sh:class`` checks need. It is
            not modified (unless ``inplace``).
        ontology: the ontology mixed in for subclass reasoning; defaults to
            ``mandategraph.ttl``.
        shapes: the shapes to use; defaults to ``shapes.ttl``.
        inplace: ``data`` is a throwaway graph: pySHACL mixes the class hierarchy into it
            instead of into a copy (the bulk ingest's chunks, which saves the copy).

    Returns:
        A :class:`ValidationReport`.
    """
    # pySHACL adds a few RDFS axioms to the shapes graph it is given: hand it a
    # copy so the cached shapes (and the caller's graph) stay as they were.
    shapes_g = shapes_graph() if shapes is None else _copy(shapes)
    hierarchy = _default_hierarchy() if ontology is None else class_hierarchy(ontology)
    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_g,
        ont_graph=hierarchy,
        inference="none",
        abort_on_first=False,
        allow_infos=False,
        allow_warnings=False,
        meta_shacl=False,
        advanced=False,
        inplace=inplace,
    )
    found = [
        _violation(results, node, shapes_g)
        for node in results.subjects(RDF.type, SH.ValidationResult)
    ]
    found.sort(key=lambda v: (str(v.focus_node), v.message, str(v.value)))
    return ValidationReport(conforms=bool(conforms), violations=found)


def class_hierarchy(ontology: Graph) -> Graph:
    """The ``rdfs:subClassOf`` edges between named classes of ``ontology``.

    Args:
        ontology: an OWL ontology.

    Returns:
        A new graph with only those edges: what SHACL's ``sh:class`` and
        ``sh:targetClass`` follow.
    """
    hierarchy = Graph()
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            hierarchy.add((sub, RDFS.subClassOf, sup))
    return hierarchy


_RUDOF = threading.local()  # one engine per thread: its data is a per-call state


def conforms(data: str, *, context: str = "") -> bool:
    """Whether N-Triples ``data`` conforms to the default shapes (rudof; see the module).

    The engine keeps ``context`` and the class hierarchy loaded from one call to the next
    (read again only when ``context`` changes), and checks each ``data`` in a staging
    frame that it then rolls back: rudof builds its data anew after a reset, and that
    costs more than reading a chunk of documents (60 ms a time, in loading the
    system's TLS certificates for reading from URLs).

    Args:
        data: the graph to check as N-Triples text.
        context: more N-Triples checked along with ``data``: the reference data (states,
            organizations, themes) its ``sh:class`` checks need. The ontology's class
            hierarchy is added here, as :func:`validate` adds it.

    Returns:
        True when no shape is broken by ``data`` and ``context`` together (the same
        answer as ``validate(...).conforms`` on their union).

    Raises:
        ValidationError: the text is not N-Triples.
    """
    import pyrudof

    engine = getattr(_RUDOF, "engine", None)
    if engine is None:
        engine = pyrudof.Rudof(pyrudof.RudofConfig())
        engine.read_shacl(shapes_graph().serialize(format="turtle"),
                          reader_mode=pyrudof.ReaderMode.Strict)
        _RUDOF.engine = engine
        _RUDOF.context = None
    if _RUDOF.context != context:
        _RUDOF.context = None
        engine.reset_data()
        _read(engine, _hierarchy_nt() + context, merge=False)
        _RUDOF.context = context
    engine.begin_staging()
    try:
        if data:  # rudof refuses an empty input
            _read(engine, data, merge=True)
        return bool(engine.validate_shacl().conforms)
    finally:
        engine.rollback_staging()


def _read(engine: Any, text: str, *, merge: bool) -> None:
    import pyrudof

    try:
        engine.read_data(text, format=pyrudof.RDFFormat.NTriples,
                         reader_mode=pyrudof.ReaderMode.Strict, merge=merge)
    except pyrudof.RudofError as exc:
        raise ValidationError(f"the data to check is not N-Triples: {exc}") from exc


@lru_cache(maxsize=1)
def _hierarchy_nt() -> str:
    return _default_hierarchy().serialize(format="nt")


@lru_cache(maxsize=1)
def _default_hierarchy() -> Graph:
    return class_hierarchy(ontology_graph(shared=True))


def _violation(results: Graph, node: Node, shapes: Graph) -> Violation:
    source = results.value(node, SH.sourceShape)
    severity = results.value(node, SH.resultSeverity)
    messages = list(results.objects(node, SH.resultMessage))
    # Prefer an untagged or English message; pySHACL writes its own when the shape
    # has none.
    messages.sort(key=lambda m: (not isinstance(m, Literal) or m.language not in (None, "en")))
    focus = results.value(node, SH.focusNode)
    return Violation(
        focus_node=focus if focus is not None else BNode(),
        path=results.value(node, SH.resultPath),
        value=results.value(node, SH.value),
        message=str(messages[0]) if messages else "constraint failed",
        severity=_local_name(severity) if severity is not None else "Violation",
        kind=_kind(shapes, source),
        shape=source,
    )


def _kind(shapes: Graph, shape: Node | None) -> str:
    """The label of the node shape a property shape hangs from ("activity")."""
    if shape is None:
        return "node"
    label = shapes.value(shape, RDFS.label)
    if label is None:
        parent = shapes.value(predicate=SH.property, object=shape)
        label = shapes.value(parent, RDFS.label) if parent is not None else None
    return str(label) if label is not None else "node"


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy


def _local_name(term: Node) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _show(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return f'"{term}"'
    return f"_:{term}"
