"""The OWL ontology: its terms, labels and alignments, and reasoning with HermiT."""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from mandategraph.errors import ValidationError
from mandategraph.ontology.loader import ONTOLOGY_PATH, ontology_graph
from mandategraph.ontology.namespaces import ELI, FOAF, MG, ORG, status_iri
from mandategraph.ontology.reasoning import (
    check_consistency,
    infer,
    java_available,
    owl_safe_graph,
)
from tests.support import IN_CI

README = Path(__file__).resolve().parents[2] / "ontology" / "README.md"
ONTOLOGY_IRI = URIRef("https://w3id.org/mandategraph/ontology")
THEME_SCHEME = URIRef("https://w3id.org/mandategraph/id/theme")
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

# Java tests are marked (CI installs Java, and there they run, failing without it) and skip,
# with the reason shown by -ra, on a machine with no Java at all.
java_runtime = pytest.mark.skipif(
    not java_available() and not IN_CI, reason="HermiT needs a Java runtime"
)

PREFIXES = """
@prefix mg:   <https://w3id.org/mandategraph/ontology#> .
@prefix id:   <https://w3id.org/mandategraph/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <http://example.org/> .
"""

# Consistent, and shaped like real data: reification, xsd:string literals, a
# gYearMonth, foreign IRIs and a foreign predicate used with an IRI and a literal.
VALID_DATA = PREFIXES + """
ex:cicte a mg:OASBody ; skos:notation "CICTE"^^xsd:string ; skos:prefLabel "CICTE"@fr .
ex:icao a mg:PartnerOrganization ; skos:notation "ICAO" .
<https://w3id.org/mandategraph/id/state/JAM> a mg:MemberState ; skos:notation "JAM" .
ex:res a mg:Resolution .
ex:p5b mg:paragraphOf ex:res ; mg:paragraphNumber "5.b"^^xsd:string .
ex:span a mg:TextSpan ; mg:startOffset 10 ; mg:endOffset 40 ; mg:quote "formation"@fr .
ex:a1 a mg:Training ;
    prov:wasDerivedFrom ex:span ;
    mg:implements ex:p5b ;
    mg:conductedBy ex:cicte ;
    mg:inPartnershipWith ex:icao ;
    mg:fundedBy <http://dbpedia.org/resource/Canada> ;
    mg:beneficiary <https://w3id.org/mandategraph/id/state/JAM> ;
    mg:heldIn ex:montreal ;
    mg:year 2010 ;
    mg:startDate "2010-05"^^xsd:gYearMonth ;
    mg:endDate "2010-05-21"^^xsd:date ;
    <http://schema.org/about> "aviation" , ex:aviation .
ex:a2 a mg:Workshop ; mg:status id:status\\/planned .
[] a rdf:Statement ; rdf:subject ex:a1 ; rdf:predicate mg:implements ; rdf:object ex:p5b ;
   prov:wasDerivedFrom ex:span .
[] a rdf:Statement ; rdf:subject ex:a1 ; rdf:predicate mg:year ; rdf:object 2010 ;
   prov:wasDerivedFrom ex:span .
"""


def _parse(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def _types(graph: Graph, node: URIRef) -> set[URIRef]:
    return {URIRef(o) for o in graph.objects(node, RDF.type)}


def _readme_terms(section: str | None = None) -> set[str]:
    """Backticked ``mg:`` names of the README, optionally of one ``## `` section."""
    text = README.read_text(encoding="utf-8")
    if section is not None:
        match = re.search(rf"^## {section}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
        assert match, f"no section {section!r} in {README}"
        text = match.group(1)
    return set(re.findall(r"`mg:([A-Za-z_][A-Za-z0-9_]*)`", text))


# ---------------------------------------------------------------------------------
# The file and its terms (no Java)
# ---------------------------------------------------------------------------------


def test_ontology_parses_with_header() -> None:
    g = ontology_graph()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert g.value(ONTOLOGY_IRI, DCTERMS.title) == Literal("mandategraph ontology", lang="en")
    assert "General Assembly" in str(g.value(ONTOLOGY_IRI, DCTERMS.description))
    assert g.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://spdx.org/licenses/MIT")
    assert not list(g.objects(ONTOLOGY_IRI, OWL.imports)), "the ontology must load offline"


def _mg_terms(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, *PROPERTY_KINDS, OWL.NamedIndividual)
    return {
        URIRef(s)
        for kind in kinds
        for s in g.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and s.startswith(str(MG))
    }


def test_every_mg_term_has_labels_and_definition() -> None:
    g = ontology_graph()
    terms = _mg_terms(g)
    assert len(terms) >= 65  # 32 classes, 20 object and 12 datatype properties, 1 scheme
    problems = []
    for term in sorted(terms):
        labels = list(g.objects(term, RDFS.label))
        if not any(isinstance(x, Literal) and x.language == "en" for x in labels):
            problems.append(f"{term}: no English rdfs:label")
        for lang in ("en", "fr", "es"):
            pref = [x for x in g.objects(term, SKOS.prefLabel) if x.language == lang]
            if len(pref) != 1:
                problems.append(f"{term}: {len(pref)} skos:prefLabel@{lang}")
        definitions = [x for x in g.objects(term, SKOS.definition) if x.language == "en"]
        if len(definitions) != 1 or len(definitions[0]) < 20:
            problems.append(f"{term}: no English skos:definition")
    assert problems == []


def test_every_readme_term_is_in_the_ontology() -> None:
    g = ontology_graph()
    named = _readme_terms()
    assert {"Activity", "OASBody", "paragraphOf", "themeScheme", "language"} <= named
    assert len(named) >= 60
    missing = sorted(n for n in named if MG[n] not in _mg_terms(g))
    assert missing == []


def test_readme_classes_are_classes_and_properties_properties() -> None:
    g = ontology_graph()
    # the class table also mentions properties (`mg:inDocument`) and the scheme
    classes = {name for name in _readme_terms("Classes") if name[0].isupper()}
    properties = {name for name in _readme_terms("Properties") if name[0].islower()}
    # 31 classes of the vocabulary (mg:InferredParagraph, mg:MandateKind and
    # mg:MandateReview among them), 4 defined classes, mg:Candidate; 38 properties
    # (mg:impliedBy, mg:mandateKind, mg:continues, mg:reviewOf, mg:reviewDecision,
    # mg:reviewReason) and 2 more: the ISO codes of a state, mg:isoAlpha2 and mg:isoNumeric
    assert len(classes) == 36 and len(properties) == 40
    assert sorted(c for c in classes if (MG[c], RDF.type, OWL.Class) not in g) == []
    wrong = sorted(
        p for p in properties
        if not {(MG[p], RDF.type, OWL.ObjectProperty), (MG[p], RDF.type, OWL.DatatypeProperty)}
        & set(g.triples((MG[p], RDF.type, None)))
    )
    assert wrong == []


def test_no_term_is_two_kinds_of_property() -> None:
    g = ontology_graph()
    declared = {kind: set(g.subjects(RDF.type, kind)) for kind in PROPERTY_KINDS}
    both = (
        (declared[OWL.ObjectProperty] & declared[OWL.DatatypeProperty])
        | (declared[OWL.ObjectProperty] & declared[OWL.AnnotationProperty])
        | (declared[OWL.DatatypeProperty] & declared[OWL.AnnotationProperty])
    )
    assert both == set()


def test_external_terms_are_declared() -> None:
    """OWL 2 DL wants every class and property it uses declared with one kind."""
    g = ontology_graph()
    properties = set().union(*(set(g.subjects(RDF.type, k)) for k in PROPERTY_KINDS))
    builtin = (str(RDF), str(RDFS), str(OWL))
    used_predicates = {p for p in g.predicates() if not str(p).startswith(builtin)}
    assert sorted(used_predicates - properties) == []
    classes = set(g.subjects(RDF.type, OWL.Class))
    superclasses = {o for o in g.objects(None, RDFS.subClassOf) if isinstance(o, URIRef)}
    assert sorted(superclasses - classes) == []
    for term in (PROV.Entity, PROV.Activity, PROV.Agent, FOAF.Document, FOAF.Person,
                 ORG.Organization, ELI.LegalResource, DCTERMS.Location, SKOS.Concept):
        assert (term, RDF.type, OWL.Class) in g, term


@pytest.mark.parametrize(
    ("sub", "predicate", "sup"),
    [
        (MG.Document, RDFS.subClassOf, PROV.Entity),
        (MG.Document, RDFS.subClassOf, FOAF.Document),
        (MG.Resolution, RDFS.subClassOf, ELI.LegalResource),
        (MG.OperativeParagraph, RDFS.subClassOf, ELI.LegalResourceSubdivision),
        (MG.Activity, RDFS.subClassOf, PROV.Activity),
        (MG.Training, RDFS.subClassOf, MG.Activity),
        (MG.Programme, RDFS.subClassOf, MG.Activity),
        (MG.Organization, RDFS.subClassOf, ORG.Organization),
        (MG.Organization, RDFS.subClassOf, PROV.Agent),
        (MG.OASBody, RDFS.subClassOf, MG.Organization),
        (MG.State, RDFS.subClassOf, DCTERMS.Location),
        (MG.MemberState, RDFS.subClassOf, MG.State),
        (MG.StateGroup, RDFS.subClassOf, SKOS.Collection),
        (MG.Person, RDFS.subClassOf, PROV.Person),
        (MG.Theme, RDFS.subClassOf, SKOS.Concept),
        (MG.ActivityStatus, RDFS.subClassOf, SKOS.Concept),
        (MG.TextSpan, RDFS.subClassOf, PROV.Entity),
        (MG.subOrganizationOf, RDFS.subPropertyOf, ORG.subOrganizationOf),
        (MG.conductedBy, RDFS.subPropertyOf, PROV.wasAssociatedWith),
        (MG.theme, RDFS.subPropertyOf, DCTERMS.subject),
        (MG.paragraphOf, RDFS.subPropertyOf, ELI.is_part_of),
        (MG.quote, RDFS.subPropertyOf, PROV.value),
        (MG.memberOf, OWL.inverseOf, SKOS.member),
        (MG.paragraphOf, RDF.type, OWL.FunctionalProperty),
        (MG.OASBody, OWL.disjointWith, MG.PartnerOrganization),
        (MG.implements, RDFS.range, MG.OperativeParagraph),
        (MG.beneficiary, RDFS.range, MG.State),
        (MG.year, RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#integer")),
    ],
)
def test_alignment_and_axiom(sub: URIRef, predicate: URIRef, sup: URIRef) -> None:
    assert (sub, predicate, sup) in ontology_graph(shared=True)


def test_top_classes_are_pairwise_disjoint() -> None:
    g = ontology_graph()
    groups = [
        set(g.items(g.value(node, OWL.members)))
        for node in g.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    for a, b in [(MG.Activity, MG.Organization), (MG.Activity, MG.Document),
                 (MG.Organization, MG.Document), (MG.State, MG.Organization),
                 (MG.LegalInstrument, MG.Resolution)]:
        assert any({a, b} <= group for group in groups), (a, b)
    # A report line may be a training and a workshop at once.
    assert not any({MG.Training, MG.Workshop} <= group for group in groups)


def test_status_individuals() -> None:
    g = ontology_graph()
    expected = {"planned": "1 (Pipeline/identification)", "ongoing": "2 (Implementation)",
                "completed": "3 (Finalisation) and 4 (Closed)"}
    for key, iati in expected.items():
        status = status_iri(key)
        assert (status, RDF.type, MG.ActivityStatus) in g
        assert g.value(status, SKOS.notation) == Literal(key)
        assert {x.language for x in g.objects(status, SKOS.prefLabel)} == {"en", "fr", "es"}
        assert g.value(status, SKOS.inScheme) == URIRef("https://w3id.org/mandategraph/id/status")
        assert iati in str(g.value(status, SKOS.note))
    different = [set(g.items(g.value(n, OWL.distinctMembers)))
                 for n in g.subjects(RDF.type, OWL.AllDifferent)]
    assert {status_iri(k) for k in expected} in different
    assert (THEME_SCHEME, RDF.type, SKOS.ConceptScheme) in g
    assert (MG.themeScheme, OWL.sameAs, THEME_SCHEME) in g
    assert not list(g.subjects(RDF.type, MG.Theme)), "themes are reference data"


def test_ontology_graph_is_copy_safe() -> None:
    mine = ontology_graph()
    size = len(mine)
    mine.add((MG.Foo, RDF.type, OWL.Class))
    assert len(ontology_graph()) == size
    assert ontology_graph(shared=True) is ontology_graph(shared=True)
    assert (MG.Foo, RDF.type, OWL.Class) not in ontology_graph(shared=True)
    assert ONTOLOGY_PATH.name == "mandategraph.ttl"


# ---------------------------------------------------------------------------------
# Preparing data for HermiT (no Java)
# ---------------------------------------------------------------------------------


def test_owl_safe_graph_drops_and_neutralizes() -> None:
    data = _parse(VALID_DATA)
    safe = owl_safe_graph(data)
    assert not list(safe.subjects(RDF.type, RDF.Statement))
    assert not list(safe.triples((None, RDF.subject, None)))
    ex = "http://example.org/"
    # gYearMonth / date are outside the OWL 2 datatype map: plain strings now.
    assert safe.value(URIRef(ex + "a1"), MG.startDate) == Literal("2010-05")
    assert safe.value(URIRef(ex + "a1"), MG.endDate) == Literal("2010-05-21")
    assert safe.value(URIRef(ex + "cicte"), SKOS.notation) == Literal("CICTE")
    assert safe.value(URIRef(ex + "a1"), MG.year) == Literal(2010)
    # the foreign predicate is an annotation property, whatever its objects
    about = URIRef("http://schema.org/about")
    assert (about, RDF.type, OWL.AnnotationProperty) in safe
    assert len(list(safe.objects(URIRef(ex + "a1"), about))) == 2
    assert len(data) == len(_parse(VALID_DATA)), "the input is not modified"


def test_owl_safe_graph_drops_misplaced_values() -> None:
    data = _parse(PREFIXES + """
        ex:a a mg:Activity ; mg:theme "border control" ; mg:year ex:y2010 ;
             rdf:value 3 ; ex:note "kept" .
    """)
    safe = owl_safe_graph(data)
    a = URIRef("http://example.org/a")
    assert list(safe.objects(a, MG.theme)) == []
    assert list(safe.objects(a, MG.year)) == []
    assert list(safe.objects(a, RDF.value)) == []
    assert safe.value(a, URIRef("http://example.org/note")) == Literal("kept")


# ---------------------------------------------------------------------------------
# HermiT (Java)
# ---------------------------------------------------------------------------------


@pytest.mark.java
@java_runtime
def test_ontology_alone_is_consistent() -> None:
    check_consistency()


@pytest.mark.java
@java_runtime
def test_valid_fixture_is_consistent() -> None:
    check_consistency(_parse(VALID_DATA))


@pytest.mark.java
@java_runtime
def test_activity_that_is_an_organization_is_inconsistent() -> None:
    data = _parse(PREFIXES + "ex:x a mg:Activity , mg:Organization .")
    with pytest.raises(ValidationError) as caught:
        check_consistency(data)
    message = str(caught.value)
    assert message.startswith("the data contradicts the ontology")
    assert (
        "<http://example.org/x> is both mg:Activity (typed mg:Activity) and "
        "mg:Organization (typed mg:Organization), which are disjoint"
    ) in message
    assert caught.value.exit_code == 8


@pytest.mark.java
@java_runtime
def test_inconsistency_through_range_and_functional_property() -> None:
    data = _parse(PREFIXES + """
        ex:a mg:conductedBy ex:t . ex:t a mg:Theme .
        ex:s mg:startOffset 1 , 2 .
    """)
    with pytest.raises(ValidationError) as caught:
        check_consistency(data)
    message = str(caught.value)
    assert "<http://example.org/t> is both mg:Organization (object of mg:conductedBy)" in message
    assert '<http://example.org/s> has 2 values of functional mg:startOffset: "1", "2"' in message


@pytest.mark.java
@java_runtime
def test_partner_body_disjointness() -> None:
    data = _parse(PREFIXES + "ex:o a mg:OASBody , mg:PartnerOrganization .")
    with pytest.raises(ValidationError, match="mg:OASBody .* mg:PartnerOrganization"):
        check_consistency(data)


@pytest.mark.java
@java_runtime
def test_infer_materializes_superclasses_and_defined_classes() -> None:
    data = _parse(VALID_DATA)
    inferred = infer(data)
    ex = "http://example.org/"
    assert _types(inferred, URIRef(ex + "cicte")) == {
        MG.Organization, ORG.Organization, PROV.Agent,
    }
    assert _types(inferred, URIRef(ex + "a1")) == {
        MG.Activity, PROV.Activity, MG.MandatedActivity, MG.JointActivity, MG.FundedActivity,
    }
    # a2 implements nothing, has no partner and no funder
    assert _types(inferred, URIRef(ex + "a2")) == {MG.Activity, PROV.Activity}
    # typed by domain and range only
    assert {MG.OperativeParagraph, MG.ImplementedParagraph} <= _types(inferred, URIRef(ex + "p5b"))
    # mg:heldIn ranges over Place or State: only their common superclass follows
    assert _types(inferred, URIRef(ex + "montreal")) == {DCTERMS.Location}
    assert PROV.Agent in _types(inferred, URIRef("http://dbpedia.org/resource/Canada"))
    assert MG.State in _types(
        inferred, URIRef("https://w3id.org/mandategraph/id/state/JAM")
    )


@pytest.mark.java
@java_runtime
def test_infer_returns_only_new_type_triples() -> None:
    data = _parse(VALID_DATA)
    size = len(data)
    inferred = infer(data)
    assert len(data) == size
    assert {p for _, p, _ in inferred} == {RDF.type}
    assert not [t for t in inferred if t in data]
    assert not list(inferred.subjects(RDF.type, OWL.Thing))
    assert not [s for s in inferred.subjects() if not isinstance(s, URIRef)]
    # nothing about the reification nodes or the foreign objects of annotations
    assert URIRef("http://example.org/aviation") not in set(inferred.subjects())


@pytest.mark.java
@java_runtime
def test_infer_on_a_synthetic_report(synthetic: Callable[[int], Graph]) -> None:
    # its speed is measured by benchmarks/bench_build.py, not asserted here
    data = synthetic(60)
    assert 5000 < len(data) < 6500
    inferred = infer(data)
    mandated = set(inferred.subjects(RDF.type, MG.MandatedActivity))
    funded = set(inferred.subjects(RDF.type, MG.FundedActivity))
    assert len(mandated) == 60
    assert len(funded) == 15  # every fourth activity has a funder


@pytest.mark.java
@java_runtime
def test_infer_on_everything_read_back_from_a_store() -> None:
    """graph/build.py passes every stored graph, the ontology included, and
    oxrdflib returns plain literals typed xsd:string."""
    stored = Graph()
    for s, p, o in ontology_graph() + _parse(VALID_DATA):
        if isinstance(o, Literal) and o.datatype is None and not o.language:
            o = Literal(str(o), datatype=XSD_STRING)
        stored.add((s, p, o))
    inferred = infer(stored)
    assert MG.MandatedActivity in _types(inferred, URIRef("http://example.org/a1"))
    assert (MG.Activity, RDF.type, OWL.Class) not in inferred
    assert not [s for s in inferred.subjects() if str(s).startswith(str(MG))]


@pytest.mark.java
@java_runtime
def test_inconsistent_check_leaves_no_temp_file() -> None:
    """owlready2 kept its N-Triples dump in /tmp when HermiT said inconsistent."""
    marker = f"http://example.org/leak-{uuid.uuid4().hex}"
    data = _parse(PREFIXES + f"<{marker}> a mg:Activity , mg:Organization .")
    with pytest.raises(ValidationError):
        check_consistency(data)
    leftovers = [
        path for path in Path(tempfile.gettempdir()).glob("tmp*")
        if path.is_file() and marker.encode() in path.read_bytes()
    ]
    assert leftovers == []


@pytest.mark.java
@java_runtime
def test_unsatisfiable_class_is_reported() -> None:
    data = _parse(PREFIXES + "ex:Chimera rdfs:subClassOf mg:Training , mg:OASBody .")
    with pytest.raises(ValidationError) as caught:
        check_consistency(data)
    assert str(caught.value) == (
        "unsatisfiable classes (no individual can belong to them): <http://example.org/Chimera>"
    )


def test_owl_safe_graph_replaces_control_characters_in_literals() -> None:
    # pdftotext separates pages with a form feed; XML 1.0 (what HermiT reads) cannot
    # carry it, and a quote spanning a page break stopped the whole build.
    data = _parse(
        PREFIXES + 'ex:a a mg:Activity ; rdfs:label "page\\fbreak"@en ; ex:q "a\\u0000b\\tc" .'
    )
    safe = owl_safe_graph(data)
    a = URIRef("http://example.org/a")
    assert safe.value(a, RDFS.label) == Literal("page break", lang="en")
    assert safe.value(a, URIRef("http://example.org/q")) == Literal("a b\tc")


@pytest.mark.java
@java_runtime
def test_form_feed_in_a_quote_does_not_stop_hermit() -> None:
    # on a datatype property: the same text as an annotation value never tripped HermiT
    quote = '"funded by the\\n\\f  Government of Canada"'
    data = _parse(PREFIXES + f"ex:s a mg:TextSpan ; mg:quote {quote} .")
    check_consistency(data)
