"""OWL reasoning with HermiT (through owlready2) over the ontology and a data graph.

Two services:

* :func:`check_consistency` says whether the ontology, plus optional data, is
  consistent; if it is not, it raises :class:`mandatemandategraph.errors.ValidationError` with
  the likely causes in plain words.
* :func:`infer` returns the class memberships HermiT entails for the individuals
  of the data that the data does not already state (superclasses such as
  ``mg:Organization`` for an ``mg:OASBody``, and the defined classes
  ``mg:MandatedActivity``, ``mg:JointActivity``, ``mg:FundedActivity``,
  ``mg:ImplementedParagraph``), to be stored in the named graph
  ``graph/inferred``.

owlready2 cannot read Turtle and HermiT (OWL API) reads OWL 2, not arbitrary RDF,
so the data is first rewritten into an OWL-safe N-Triples document
(:func:`owl_safe_graph`); each call then loads it into a fresh
``owlready2.World`` so no state leaks from one call to the next.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

import owlready2
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from mandategraph.errors import MandategraphError, ValidationError
from mandategraph.ontology.loader import ontology_graph
from mandategraph.ontology.namespaces import BASE, PREFIXES

__all__ = [
    "OWL2_DATATYPES",
    "check_consistency",
    "infer",
    "java_available",
    "owl_safe_graph",
]

#: Datatypes of the OWL 2 datatype map that HermiT supports. A literal of any other
#: datatype (xsd:date, xsd:gYear, xsd:gYearMonth, rdf:HTML...) is not OWL 2 DL and
#: makes HermiT stop with an UnsupportedDatatypeException.
OWL2_DATATYPES: frozenset[URIRef] = frozenset(
    [OWL.real, OWL.rational, RDF.PlainLiteral, RDFS.Literal]
    + [
        XSD[name]
        for name in (
            "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger "
            "negativeInteger long int short byte unsignedLong unsignedInt unsignedShort "
            "unsignedByte double float string normalizedString token language Name NCName "
            "NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp"
        ).split()
    ]
)

# rdf:Statement reification (every extracted triple is stated again as
# `[] a rdf:Statement; rdf:subject s; rdf:predicate p; rdf:object o`) puts the
# reserved rdf: vocabulary in individual and property positions and a property
# IRI (mg:implements) in an individual position: not OWL 2 DL, and it says nothing
# about class membership. It is dropped before reasoning.
_REIFICATION_PREDICATES = frozenset({RDF.subject, RDF.predicate, RDF.object})

# Classes of the reserved rdf:/rdfs: vocabulary (rdf:Statement, rdfs:Resource,
# rdf:Property...) are not OWL classes; typing an individual with one is not DL.
_RESERVED_PREFIXES = (str(RDF), str(RDFS))

# Predicates of the rdf:/rdfs: vocabulary that OWL 2 maps to axioms or annotations
# (lists, the RDFS schema terms, the four built-in annotation properties). Any other
# rdf:/rdfs: predicate (rdf:value, rdfs:member, rdf:_1...) is reserved vocabulary in
# a property position, not DL: dropped. owl: predicates pass through unchanged.
_RDF_PASSTHROUGH = frozenset(
    {
        RDF.first, RDF.rest, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
        RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy,
    }
)
_OWL_NAMESPACES = (str(RDF), str(RDFS), str(OWL))

_INPUT_ONTOLOGY = BASE + "ontology/reasoning-input"

_MAX_CAUSES = 10


def java_available() -> bool:
    """Whether a Java runtime that can run HermiT is on this machine.

    Returns:
        True when the executable owlready2 is configured with (``owlready2.JAVA_EXE``,
        ``java`` by default) is found and answers ``-version``.
    """
    return _java_version() is not None


@lru_cache(maxsize=1)
def _java_version() -> str | None:
    executable = shutil.which(owlready2.JAVA_EXE)
    if executable is None:
        return None
    try:
        done = subprocess.run(
            [executable, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    banner = (done.stderr or done.stdout).strip()
    return banner.splitlines()[0] if banner else "java"


def check_consistency(data: Graph | None = None) -> None:
    """Run HermiT on the ontology (and ``data``) and fail if it finds a contradiction.

    Args:
        data: instance data to check together with the ontology; ``None`` checks the
            ontology alone.

    Raises:
        ValidationError: the ontology plus data is inconsistent (for instance an
            individual typed both ``mg:Activity`` and ``mg:Organization``, which are
            disjoint; the message lists the likely causes), or a named class is
            unsatisfiable (a subclass of two disjoint classes).
        MandategraphError: no Java runtime, or HermiT failed for another reason.
    """
    world = _reason(owl_safe_graph(data if data is not None else Graph()))
    try:
        entailed = world.as_rdflib_graph()
        unsatisfiable = sorted(
            _short(cls) for cls in entailed.subjects(OWL.equivalentClass, OWL.Nothing)
            if isinstance(cls, URIRef) and cls != OWL.Nothing
        )
    finally:
        world.close()
    # Consistent but with a class nothing can belong to: a modelling error that
    # would turn into an inconsistency as soon as data uses the class.
    if unsatisfiable:
        raise ValidationError(
            "unsatisfiable classes (no individual can belong to them): "
            + ", ".join(unsatisfiable)
        )


def infer(data: Graph) -> Graph:
    """The ``rdf:type`` triples HermiT entails for the individuals of ``data``.

    Only triples not already in ``data`` or in the ontology are returned: every
    named class an individual belongs to (its inferred direct types and all their
    superclasses, e.g. ``mg:Organization``, ``org:Organization`` and ``prov:Agent``
    for an ``mg:OASBody``, ``mg:MandatedActivity`` for an activity that implements
    an operative paragraph), except ``owl:Thing``. Blank-node individuals get none
    (HermiT only realizes named individuals).

    Args:
        data: the instance data (one document graph, or several merged with the
            reference data); it is not modified.

    Returns:
        A new graph of ``(individual, rdf:type, class)`` triples, ready to be stored
        in the named graph ``INFERRED_GRAPH``.

    Raises:
        ValidationError: the data makes the ontology inconsistent.
        MandategraphError: no Java runtime, or HermiT failed for another reason.
    """
    prepared = owl_safe_graph(data)
    world = _reason(prepared)
    try:
        entailed = _all_types(world.as_rdflib_graph())
    finally:
        world.close()

    asserted = set(data.triples((None, RDF.type, None)))
    asserted.update(ontology_graph(shared=True).triples((None, RDF.type, None)))
    result = Graph()
    for prefix, namespace in PREFIXES.items():
        result.bind(prefix, namespace)
    for individual, classes in entailed.items():
        for cls in classes:
            triple = (individual, RDF.type, cls)
            if triple not in asserted:
                result.add(triple)
    return result


def owl_safe_graph(data: Graph, *, ontology: Graph | None = None) -> Graph:
    """The ontology plus ``data`` rewritten so that HermiT can read it as OWL 2 DL.

    What is changed, and why:

    * reification nodes (``rdf:Statement``, ``rdf:subject/predicate/object``) are
      dropped: reserved vocabulary in individual position is not DL, and they carry
      no class membership;
    * ``rdf:type`` to ``rdf:``/``rdfs:`` classes, other ``rdf:``/``rdfs:`` predicates
      than the schema and annotation ones (``rdf:value``, ``rdfs:member``...) and
      ``owl:imports`` (no network) are dropped;
    * a triple whose object does not fit the kind of its predicate (a literal for an
      object property, an IRI for a datatype property) is dropped: it would make the
      property both kinds; the SHACL shapes report such data;
    * a predicate the ontology does not know is declared an annotation property, so
      that foreign vocabularies (``schema:``, ``foaf:name``...) are carried but never
      reasoned over, whatever mix of IRIs and literals they take;
    * literals of datatypes outside the OWL 2 datatype map (``xsd:date``,
      ``xsd:gYear``, ``xsd:gYearMonth``...) and ``xsd:string`` literals become plain
      literals: the first would stop HermiT, the second differ from plain strings in
      rdflib but not in OWL. Ill-typed literals (``"12 people"^^xsd:integer``) also
      become plain strings, so a range violation is reported as such;
    * control characters other than tab and line breaks (the form feed U+000C that
      ``pdftotext`` puts between pages, NUL, ...) become spaces in every literal:
      HermiT reads the world through XML 1.0, which cannot carry them, and the whole
      build stopped on "... is malformed".

    Args:
        data: instance data; not modified.
        ontology: the ontology to merge with; defaults to ``mandategraph.ttl``.

    Returns:
        A new graph: ontology triples, then the cleaned data triples.
    """
    onto = ontology if ontology is not None else ontology_graph(shared=True)
    object_props = _declared(onto, data, OWL.ObjectProperty)
    data_props = _declared(onto, data, OWL.DatatypeProperty) - object_props
    annotation_props = _declared(onto, data, OWL.AnnotationProperty) - object_props - data_props
    statements = set(data.subjects(RDF.type, RDF.Statement))

    out = Graph()
    out += onto
    undeclared: set[URIRef] = set()
    for s, p, o in data.triples((None, None, None)):
        if s in statements or o in statements or p in _REIFICATION_PREDICATES:
            continue
        if p == OWL.imports:
            continue
        if p == RDF.type:
            if isinstance(o, Literal) or str(o).startswith(_RESERVED_PREFIXES):
                continue
            out.add((s, p, o))
        elif p in object_props:
            if not isinstance(o, Literal):
                out.add((s, p, o))
        elif p in data_props:
            if isinstance(o, Literal):
                out.add((s, p, _owl_literal(o)))
        elif p in annotation_props or p in _RDF_PASSTHROUGH or str(p).startswith(str(OWL)):
            out.add((s, p, _owl_literal(o) if isinstance(o, Literal) else o))
        elif str(p).startswith(_RESERVED_PREFIXES):
            continue
        else:
            undeclared.add(URIRef(str(p)))
            out.add((s, p, _owl_literal(o) if isinstance(o, Literal) else o))
    for predicate in undeclared:
        out.add((predicate, RDF.type, OWL.AnnotationProperty))
    return out


def _declared(onto: Graph, data: Graph, kind: URIRef) -> set[Node]:
    return set(onto.subjects(RDF.type, kind)) | set(data.subjects(RDF.type, kind))


# Characters XML 1.0 cannot carry (tab, LF and CR are allowed).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _owl_literal(literal: Literal) -> Literal:
    text = str(literal)
    clean = _XML_FORBIDDEN.sub(" ", text)
    if literal.language:
        return literal if clean == text else Literal(clean, lang=literal.language)
    if literal.datatype is None:
        return literal if clean == text else Literal(clean)
    if literal.datatype == XSD.string:
        return Literal(clean)
    if literal.datatype in OWL2_DATATYPES and not literal.ill_typed and clean == text:
        return literal
    return Literal(clean)


def _reason(prepared: Graph) -> owlready2.World:
    """Load ``prepared`` into a fresh owlready2 world and run HermiT on it."""
    if not java_available():
        raise MandategraphError(
            "HermiT needs a Java runtime: install Java 11 or later (java on PATH) "
            "or set owlready2.JAVA_EXE"
        )
    world = owlready2.World()
    try:
        onto = world.get_ontology(_INPUT_ONTOLOGY)
        # fileobj= keeps owlready2 from resolving the IRI on the network.
        onto.load(
            fileobj=io.BytesIO(prepared.serialize(format="nt", encoding="utf-8")),
            format="ntriples",
        )
        with tempfile.TemporaryDirectory(prefix="mandategraph-hermit-") as scratch:
            token = _SCRATCH_DIR.set(scratch)
            try:
                # ignore_unsupported_datatypes is a backstop only: owl_safe_graph
                # already rewrote every literal HermiT does not support.
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=False, debug=0,
                    ignore_unsupported_datatypes=True,
                )
            finally:
                _SCRATCH_DIR.reset(token)
    except owlready2.OwlReadyInconsistentOntologyError:
        world.close()
        raise ValidationError(_inconsistency_message(prepared)) from None
    except owlready2.OwlReadyJavaError as error:
        world.close()
        raise MandategraphError("HermiT failed", detail=_tail(str(error), lines=15)) from error
    except BaseException:
        world.close()
        raise
    return world


# owlready2 writes the world for HermiT to tempfile.NamedTemporaryFile(delete=False)
# and removes it only when HermiT succeeds, so every inconsistent check left a copy
# of the data in /tmp. This stand-in for the tempfile module inside
# owlready2.reasoning puts that file in the per-call scratch directory of _reason
# (removed whatever happens); outside _reason it behaves exactly like tempfile. A
# context variable keeps concurrent calls apart.
_SCRATCH_DIR: ContextVar[str | None] = ContextVar("mandategraph_hermit_scratch", default=None)


class _ScratchTempfile:
    def __getattr__(self, name: str) -> object:
        return getattr(tempfile, name)

    def NamedTemporaryFile(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 (tempfile's name)
        if "dir" not in kwargs:
            kwargs["dir"] = _SCRATCH_DIR.get()
        return tempfile.NamedTemporaryFile(*args, **kwargs)


if getattr(owlready2.reasoning, "tempfile", None) is tempfile:
    owlready2.reasoning.tempfile = _ScratchTempfile()  # type: ignore[assignment]


def _tail(text: str, *, lines: int) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _all_types(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """Every named class of every named individual: direct types, then superclasses.

    HermiT reports only the most specific types of an individual and the direct
    edges of the class taxonomy; both are in ``graph`` (asserted and inferred
    triples of the owlready2 world), so a transitive closure gives the rest.
    """
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            parents[sub].add(sup)
    for a, b in graph.subject_objects(OWL.equivalentClass):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            parents[a].add(b)
            parents[b].add(a)

    classes = set(graph.subjects(RDF.type, OWL.Class)) | set(parents)
    ancestors: dict[URIRef, set[URIRef]] = {}

    def closure(cls: URIRef) -> set[URIRef]:
        if cls not in ancestors:
            seen: set[URIRef] = set()
            stack = [cls]
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                stack.extend(parents.get(current, ()))
            ancestors[cls] = seen
        return ancestors[cls]

    types: dict[URIRef, set[URIRef]] = defaultdict(set)
    for individual, cls in graph.subject_objects(RDF.type):
        if not (isinstance(individual, URIRef) and isinstance(cls, URIRef)):
            continue
        if individual in classes or str(cls).startswith(_OWL_NAMESPACES):
            continue
        types[individual].update(closure(cls))
    for found in types.values():
        found.discard(OWL.Thing)
    return types


# ---------------------------------------------------------------------------------
# Explaining an inconsistency. HermiT only says "inconsistent"; a cheap RDFS-level
# pass over the prepared graph finds the usual causes (disjoint types through
# rdf:type, domains and ranges; two values of a functional datatype property; a
# literal outside a datatype range) and names the nodes involved.
# ---------------------------------------------------------------------------------


def _inconsistency_message(prepared: Graph) -> str:
    causes = list(_likely_causes(prepared))
    head = "the data contradicts the ontology (HermiT found it inconsistent)"
    if not causes:
        return (
            f"{head}; no simple cause found: look for individuals in disjoint classes "
            "(through rdf:type, rdfs:domain or rdfs:range), several values of a "
            "functional property, or literals outside a property's datatype"
        )
    shown = causes[:_MAX_CAUSES]
    more = len(causes) - len(shown)
    lines = [f"{head}:"] + [f"- {cause}" for cause in shown]
    if more:
        lines.append(f"- ... and {more} more")
    return "\n".join(lines)


def _likely_causes(g: Graph) -> Iterable[str]:
    superclasses = _named_superclasses(g)
    domains = _named_objects(g, RDFS.domain)
    ranges = _named_objects(g, RDFS.range)
    object_props = set(g.subjects(RDF.type, OWL.ObjectProperty))
    data_props = set(g.subjects(RDF.type, OWL.DatatypeProperty))

    # Where each type of each individual comes from, for the message.
    reasons: dict[Node, dict[Node, str]] = defaultdict(dict)
    for s, o in g.subject_objects(RDF.type):
        if isinstance(o, URIRef) and not str(o).startswith(_OWL_NAMESPACES):
            reasons[s].setdefault(o, f"typed {_short(o)}")
    for s, p, o in g:
        for cls in domains.get(p, ()):
            reasons[s].setdefault(cls, f"subject of {_short(p)}")
        if p in object_props and not isinstance(o, Literal):
            for cls in ranges.get(p, ()):
                reasons[o].setdefault(cls, f"object of {_short(p)}")

    disjoint = _disjoint_pairs(g)
    for individual, direct in reasons.items():
        if individual in superclasses or individual in object_props or individual in data_props:
            continue  # a class or property, not an individual
        origin: dict[Node, str] = {}
        for cls, why in direct.items():
            for sup in superclasses.get(cls, {cls}) | {cls}:
                origin.setdefault(sup, why)
        classes = sorted(origin, key=str)
        for i, a in enumerate(classes):
            for b in classes[i + 1 :]:
                if frozenset((a, b)) in disjoint:
                    yield (
                        f"{_node(individual)} is both {_short(a)} ({origin[a]}) and "
                        f"{_short(b)} ({origin[b]}), which are disjoint"
                    )

    functional = set(g.subjects(RDF.type, OWL.FunctionalProperty)) & data_props
    for prop in sorted(functional, key=str):
        values: dict[Node, set[Node]] = defaultdict(set)
        for s, o in g.subject_objects(prop):
            values[s].add(o)
        for s, found in values.items():
            if len(found) > 1:
                listed = ", ".join(sorted(_node(v) for v in found))
                yield f"{_node(s)} has {len(found)} values of functional {_short(prop)}: {listed}"

    for prop in sorted(data_props, key=str):
        for rng in ranges.get(prop, ()):
            for s, o in g.subject_objects(prop):
                if isinstance(o, Literal) and not _fits(o, rng):
                    yield (
                        f"{_node(s)} has {_short(prop)} {_node(o)}, "
                        f"which is not a {_short(rng)}"
                    )


def _named_superclasses(g: Graph) -> dict[Node, set[Node]]:
    direct: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in g.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct[sub].add(sup)
    closed: dict[Node, set[Node]] = {}
    for cls in list(direct):
        seen: set[Node] = set()
        stack = list(direct[cls])
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(direct.get(current, ()))
        closed[cls] = seen
    return closed


def _named_objects(g: Graph, predicate: URIRef) -> dict[Node, set[Node]]:
    found: dict[Node, set[Node]] = defaultdict(set)
    for s, o in g.subject_objects(predicate):
        if isinstance(o, URIRef):
            found[s].add(o)
    return found


def _disjoint_pairs(g: Graph) -> set[frozenset[Node]]:
    pairs = {frozenset((a, b)) for a, b in g.subject_objects(OWL.disjointWith)}
    for group in g.subjects(RDF.type, OWL.AllDisjointClasses):
        members_list = g.value(group, OWL.members)
        if members_list is None:
            continue
        members = list(g.items(members_list))
        pairs.update(
            frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1 :]
        )
    return pairs


_INTEGER_TYPES = frozenset(
    XSD[name]
    for name in (
        "integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger "
        "long int short byte unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
)
_STRING_TYPES = frozenset(
    XSD[name] for name in "string normalizedString token language Name NCName NMTOKEN".split()
)


def _fits(literal: Literal, datatype: Node) -> bool:
    plain = literal.datatype is None and not literal.language
    if datatype == RDF.PlainLiteral:
        return plain or bool(literal.language) or literal.datatype == XSD.string
    if datatype == XSD.integer:
        return literal.datatype in _INTEGER_TYPES
    if datatype == XSD.string:
        return plain or literal.datatype in _STRING_TYPES
    return True  # rdfs:Literal and other ranges: leave the verdict to HermiT


def _short(term: Node) -> str:
    text = str(term)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace) and len(text) > len(namespace):
            local = text[len(namespace) :]
            if "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
    return f"<{text}>"


def _node(term: Node) -> str:
    if isinstance(term, Literal):
        return f'"{term}"'
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"
