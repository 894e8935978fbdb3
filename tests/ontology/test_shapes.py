"""SHACL shapes: what conforms, what is caught, and how it reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from mandategraph.errors import ValidationError
from mandategraph.ontology.loader import SHAPES_PATH, ontology_graph, shapes_graph
from mandategraph.ontology.namespaces import MG, SH
from mandategraph.ontology.validation import (
    ValidationReport,
    Violation,
    class_hierarchy,
    conforms,
    validate,
)

DATA = Path(__file__).resolve().parents[1] / "data"
MGSH = "https://w3id.org/mandategraph/shapes#"
DOC = "https://w3id.org/mandategraph/id/document/r/"

PREFIXES = """
@prefix mg:   <https://w3id.org/mandategraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix doc:  <https://w3id.org/mandategraph/id/document/r/> .
@prefix st:   <https://w3id.org/mandategraph/id/state/> .
@prefix org:  <https://w3id.org/mandategraph/id/org/> .
@prefix th:   <https://w3id.org/mandategraph/id/theme/> .
@prefix res:  <https://w3id.org/mandategraph/id/resolution/ag-res-2485-xxxix-o-09/> .
"""

REFERENCE = """
st:JAM a mg:MemberState ; skos:notation "JAM" .
st:TTO a mg:MemberState ; skos:notation "TTO"^^xsd:string .
org:CICTE a mg:OASBody ; skos:notation "CICTE" .
th:border-control a mg:Theme .
<https://w3id.org/mandategraph/id/resolution/ag-res-2485-xxxix-o-09> a mg:Resolution .
res:5.b a mg:OperativeParagraph ;
    mg:paragraphOf <https://w3id.org/mandategraph/id/resolution/ag-res-2485-xxxix-o-09> ;
    mg:paragraphNumber "5.b" .
"""

VALID = PREFIXES + REFERENCE + """
doc: a mg:Report .
doc:section\\/2 a mg:Section ; mg:inDocument doc: ; mg:sectionNumber "2" .
doc:span\\/10-60 a mg:TextSpan ; mg:inDocument doc: ;
    mg:startOffset 10 ; mg:endOffset 60 ; mg:quote "formation des douaniers"@fr .
doc:activity\\/2-1 a mg:Training ;
    prov:wasDerivedFrom doc:span\\/10-60 ;
    mg:theme th:border-control ;
    mg:implements res:5.b ;
    mg:conductedBy org:CICTE ;
    mg:beneficiary st:JAM , st:TTO ;
    mg:heldIn st:TTO ;
    mg:year 2009 , 2010 ;
    mg:participantCount 0 ;
    mg:activityCount 2 ;
    mg:startDate "2009-09"^^xsd:gYearMonth ;
    mg:status <https://w3id.org/mandategraph/id/status/completed> ;
    mg:reportedIn doc:section\\/2 .
"""

# An activity with no evidence span and no theme, and a state coded "JAMA".
BROKEN = PREFIXES + """
th:border-control a mg:Theme .
st:JAMA a mg:MemberState ; skos:notation "JAMA" .
doc:activity\\/2-1 a mg:Workshop ; mg:beneficiary st:JAMA .
"""


def _parse(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def _pairs(report: ValidationReport) -> set[tuple[str, str]]:
    """(shape local name, focus node local part) of each violation."""
    return {
        (str(v.shape).removeprefix(MGSH), str(v.focus_node).rsplit("/", 1)[-1] or "doc")
        for v in report.violations
    }


def test_valid_fixture_conforms() -> None:
    report = validate(_parse(VALID))
    assert report.violations == []
    assert report.conforms is True
    assert report.describe() == "the data conforms to the mandategraph shapes"
    report.raise_for_violations()  # does not raise


def test_broken_fixture_reads_well() -> None:
    report = validate(_parse(BROKEN))
    assert report.conforms is False
    assert report.describe().splitlines() == [
        f"activity <{DOC}activity/2-1>: every activity needs at least one evidence span "
        "(prov:wasDerivedFrom a mg:TextSpan)",
        f"activity <{DOC}activity/2-1>: every activity needs at least one theme (mg:theme)",
        "state <https://w3id.org/mandategraph/id/state/JAMA>: every state needs exactly one "
        "skos:notation, its ISO 3166-1 alpha-3 code (three capital letters, e.g. JAM) "
        '(found "JAMA")',
    ]
    theme = next(v for v in report.violations if v.path == MG.theme)
    assert theme == Violation(
        focus_node=URIRef(f"{DOC}activity/2-1"),
        path=MG.theme,
        value=None,
        message="every activity needs at least one theme (mg:theme)",
        severity="Violation",
        kind="activity",
        shape=URIRef(MGSH + "ActivityTheme"),
    )


def test_raise_for_violations_carries_the_lines() -> None:
    report = validate(_parse(BROKEN))
    with pytest.raises(ValidationError) as caught:
        report.raise_for_violations()
    message = str(caught.value)
    assert message.splitlines()[0] == "3 SHACL violations:"
    assert message.splitlines()[1:] == report.describe().splitlines()
    assert caught.value.exit_code == 8
    assert caught.value.to_dict()["status"] == 422


def test_broken_file_every_rule_caught() -> None:
    report = validate(Graph().parse(DATA / "broken-activity.ttl"))
    assert report.conforms is False
    assert _pairs(report) == {
        ("ActivityEvidence", "2-2"),
        ("ActivityTheme", "2-2"),
        ("ActivityEvidence", "2-3"),
        ("ActivityThemeClass", "2-3"),
        ("ActivityYear", "2-3"),
        ("ActivityParticipantCount", "2-3"),
        ("ActivityStatus", "2-3"),
        ("ActivityImplements", "2-3"),
        ("ActivityBeneficiary", "2-3"),
        ("ActivityConductedBy", "2-3"),
        ("ActivityStartDate", "2-3"),
        ("TextSpanOrder", "300-250"),
        ("TextSpanQuote", "300-250"),
        ("TextSpanStart", "-5-10"),
        ("TextSpanEnd", "-5-10"),
        ("TextSpanDocument", "-5-10"),
        ("ParagraphNumber", "5B"),
        ("ParagraphResolution", "5B"),
        ("StateCode", "JAMA"),
        ("StateCode", "tto"),
        ("OrganizationKey", "ICAO"),
    }
    # the state "tto" breaks its code rule twice: lowercase, and two codes
    assert len(report.violations) == 22
    values = {str(v.value) for v in report.violations if v.value is not None}
    assert {"JAMA", "tto", "1900", "-3", "5B", "May 2010", "10.0"} <= values
    # the valid activity 2-1 and the valid span and paragraph are not mentioned
    focus = {str(v.focus_node) for v in report.violations}
    assert "https://w3id.org/mandategraph/id/document/broken/activity/2-1" not in focus
    assert "https://w3id.org/mandategraph/id/document/broken/span/100-200" not in focus


def test_subclasses_are_targeted_through_the_ontology() -> None:
    # mg:Exercise is an mg:Activity only through rdfs:subClassOf in the ontology
    data = _parse(PREFIXES + "doc:activity\\/9 a mg:Exercise .")
    report = validate(data)
    assert {v.shape for v in report.violations} == {
        URIRef(MGSH + "ActivityEvidence"), URIRef(MGSH + "ActivityTheme"),
    }
    # with an ontology that knows no such subclass, nothing is targeted
    assert validate(data, ontology=Graph()).conforms is True


def test_custom_ontology_extends_targets() -> None:
    onto = ontology_graph()  # a copy: ours to extend
    onto.add((URIRef("http://example.org/Hackathon"), RDFS.subClassOf, MG.Workshop))
    data = _parse(PREFIXES + "doc:activity\\/h a <http://example.org/Hackathon> .")
    assert validate(data).conforms is True
    assert len(validate(data, ontology=onto).violations) == 2


@pytest.mark.parametrize("number", ["5", "12", "5.b", "5.aa", "5.b.ii", "5.b.iv", "5.viii"])
def test_paragraph_number_accepted(number: str) -> None:
    data = _parse(PREFIXES + REFERENCE)
    data.set((URIRef("https://w3id.org/mandategraph/id/resolution/ag-res-2485-xxxix-o-09/5.b"),
              MG.paragraphNumber, Literal(number)))
    assert validate(data).conforms is True


@pytest.mark.parametrize("number", ["5B", "5.B", "5.", "b", "5.b.3", "5.abc", " 5", "5 b"])
def test_paragraph_number_rejected(number: str) -> None:
    data = _parse(PREFIXES + REFERENCE)
    data.set((URIRef("https://w3id.org/mandategraph/id/resolution/ag-res-2485-xxxix-o-09/5.b"),
              MG.paragraphNumber, Literal(number)))
    report = validate(data)
    assert [v.shape for v in report.violations] == [URIRef(MGSH + "ParagraphNumber")]
    assert report.violations[0].value == Literal(number)


def test_typed_xsd_string_notation_is_a_string() -> None:
    # oxrdflib hands plain literals back typed xsd:string; both must pass
    data = _parse(PREFIXES + 'st:BRB a mg:State ; skos:notation "BRB"^^xsd:string .')
    assert validate(data).conforms is True


def test_validate_leaves_inputs_alone() -> None:
    data = _parse(BROKEN)
    shapes_before = set(shapes_graph(shared=True))
    size = len(data)
    validate(data)
    validate(data)
    assert len(data) == size
    assert set(shapes_graph(shared=True)) == shapes_before


def test_every_constraint_has_a_message() -> None:
    shapes = shapes_graph()
    assert SHAPES_PATH.name == "shapes.ttl"
    property_shapes = set(shapes.objects(None, SH.property))
    # 4 of them: mgsh:MandateReviewShape; 3: the ISO codes and the Wikidata item
    assert len(property_shapes) == 33
    assert sorted(s for s in property_shapes if shapes.value(s, SH.message) is None) == []
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert sorted(str(s) for s in node_shapes if shapes.value(s, RDFS.label) is None) == []


def test_class_hierarchy_is_only_named_subclass_edges() -> None:
    hierarchy = class_hierarchy(_parse(PREFIXES + """
        mg:Training rdfs:subClassOf mg:Activity , [ a owl:Restriction ] ;
            rdfs:label "training" .
    """))
    assert set(hierarchy) == {(MG.Training, RDFS.subClassOf, MG.Activity)}
    assert OWL.Restriction not in set(hierarchy.objects())


def test_a_synthetic_report_validates(synthetic: Callable[[int], Graph]) -> None:
    # its speed is measured by benchmarks/bench_build.py, not asserted here
    data = synthetic(60)
    assert 5000 < len(data) < 6500
    assert validate(data).violations == []
    assert validate(data).violations == []  # twice: the cached shapes are left intact


# -- the quick check (rudof) gives pySHACL's answer -------------------------------------


def _one_change_each() -> list[tuple[str, str]]:
    """The valid fixture with one thing wrong at a time, and what is wrong."""
    changes = [
        ("mg:theme th:border-control ;", "", "no theme"),
        ("mg:theme th:border-control ;", "mg:theme st:JAM ;", "a theme of the wrong class"),
        ("mg:year 2009 , 2010 ;", 'mg:year "2009" ;', "a year as text"),
        ("mg:year 2009 , 2010 ;", "mg:year 1800 ;", "a year out of range"),
        ("mg:participantCount 0 ;", "mg:participantCount -3 ;", "a negative count"),
        ("mg:startOffset 10 ; mg:endOffset 60", "mg:startOffset 60 ; mg:endOffset 10",
         "a span that ends before it starts"),
        ('mg:paragraphNumber "5.b"', 'mg:paragraphNumber "5B"', "a malformed paragraph"),
        ('skos:notation "JAM"', 'skos:notation "jam"', "a malformed state code"),
        ("prov:wasDerivedFrom doc:span\\/10-60 ;", "", "no evidence"),
        ('"2009-09"^^xsd:gYearMonth', '"September 2009"', "a start date as text"),
        ("<https://w3id.org/mandategraph/id/status/completed>", '"completed"',
         "a status as text"),
    ]
    made = [(VALID, "nothing")]
    for old, new, what in changes:
        assert old in VALID, what
        made.append((VALID.replace(old, new, 1), what))
    return made


@pytest.mark.parametrize(("text", "what"), _one_change_each(),
                         ids=[what for _text, what in _one_change_each()])
def test_the_quick_check_agrees_with_pyshacl(text: str, what: str) -> None:
    data = _parse(text)
    expected = validate(data).conforms
    assert expected is (what == "nothing")
    assert conforms(data.serialize(format="nt")) is expected


def test_the_quick_check_agrees_on_every_rule_of_the_broken_file() -> None:
    data = Graph().parse(DATA / "broken-activity.ttl")
    assert conforms(data.serialize(format="nt")) is False
    valid = _parse(VALID).serialize(format="nt")
    assert conforms(valid) is True
    assert conforms(valid) is True  # the engine is reused with its data cleared


def test_the_quick_check_reads_the_context_once_and_checks_each_data_apart() -> None:
    reference = _parse(PREFIXES + REFERENCE).serialize(format="nt")
    documents = _parse(VALID).serialize(format="nt")
    own = "".join(line + "\n" for line in documents.splitlines()
                  if line and line + "\n" not in reference)
    # the activity's theme, states and body are typed only in the reference data
    assert conforms(own) is False
    assert conforms(own, context=reference) is True
    broken = _parse(BROKEN).serialize(format="nt")
    assert conforms(broken, context=reference) is False
    # the broken data is gone with its check: the same context, valid data again
    assert conforms(own, context=reference) is True
    assert conforms(own, context="") is False
    assert conforms(own, context=reference) is True
    assert conforms("", context=reference) is True  # the reference data alone


def test_the_quick_check_refuses_what_is_not_n_triples() -> None:
    with pytest.raises(ValidationError, match="not N-Triples"):
        conforms("<urn:a> <urn:b> unquoted words .\n")
    reference = _parse(PREFIXES + REFERENCE).serialize(format="nt")
    with pytest.raises(ValidationError, match="not N-Triples"):
        conforms("<urn:a> <urn:b> unquoted words .\n", context=reference)
    # what was read of it before the error is rolled back with it
    assert conforms(_parse(VALID).serialize(format="nt"), context=reference) is True
    with pytest.raises(ValidationError, match="not N-Triples"):
        conforms("", context="<urn:a> <urn:b> unquoted words .\n")
    assert conforms(_parse(VALID).serialize(format="nt")) is True
