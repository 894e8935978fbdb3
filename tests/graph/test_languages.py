"""The same pipeline on an English report, a Spanish report and a resolution."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import DCTERMS, PROV, RDF

from mandategraph.graph.extraction.evaluate import evaluate
from mandategraph.graph.extraction.extract import extract
from mandategraph.graph.extraction.readers import read_document
from mandategraph.ontology.namespaces import MG, paragraph_iri, state_iri
from mandategraph.ontology.registry import load_registry

DATA = Path(__file__).resolve().parents[1] / "data"
RESOLUTION = "ag-res-2866-xliv-o-14"


@pytest.mark.parametrize(
    ("name", "lang"),
    [("en-report-cicad-eastern-caribbean-2012", "en"), ("es-informe-dsp-centroamerica-2013", "es")],
)
def test_reports(name: str, lang: str) -> None:
    doc = read_document(DATA / f"{name}.txt")
    assert doc.language == lang and doc.kind == "report"
    report = evaluate(DATA / f"{name}.gold.yaml", doc)
    print(report.table())
    assert report["citations"].f1 >= 0.9
    assert report["states"].f1 >= 0.9
    assert report["pairs_must"].recall == 1.0
    assert report["participants"].recall == 1.0


def test_resolution() -> None:
    doc = read_document(DATA / f"{RESOLUTION}.txt")
    assert doc.kind == "resolution"
    report = evaluate(DATA / f"{RESOLUTION}.gold.yaml", doc)
    print(report.table())
    assert report["citations"].f1 >= 0.9
    assert report["states"].f1 >= 0.9
    assert report["paragraphs"].f1 >= 0.9
    assert report["addressees"].f1 >= 0.9


def test_resolution_states_carry_their_evidence() -> None:
    """Each state a paragraph names is a reified fact derived from that paragraph."""
    doc = read_document(DATA / f"{RESOLUTION}.txt")
    graph = extract(doc, registry=load_registry())
    paragraph = paragraph_iri("AG/RES. 2866 (XLIV-O/14)", "4")
    assert set(graph.objects(paragraph, DCTERMS.spatial)) == {state_iri("TTO"), state_iri("BRB")}
    for statement in graph.subjects(RDF.object, state_iri("BRB")):
        assert (statement, RDF.subject, paragraph) in graph
        assert (statement, RDF.predicate, DCTERMS.spatial) in graph
        span = graph.value(statement, PROV.wasDerivedFrom)
        quote = str(graph.value(span, MG.quote))
        assert quote.startswith("To thank the Governments of Trinidad and Tobago and Barbados")
    # the preamble clause welcoming Jamaica's offer points to Jamaica, and nothing
    # else in the resolution does
    spatial = {(s, o) for s, o in graph.subject_objects(DCTERMS.spatial)}
    jamaica = [s for s, o in spatial if o == state_iri("JAM")]
    assert len(jamaica) == 1 and "/preamble/" in str(jamaica[0])


def test_resolution_naming_no_state_scores_found_states_as_errors(tmp_path: Path) -> None:
    """A gold without states still scores the field: every state found is a false positive."""
    gold = tmp_path / "gold.yaml"
    gold.write_text('resolution: {symbol: "AG/RES. 2866 (XLIV-O/14)"}\n', encoding="utf-8")
    report = evaluate(gold, read_document(DATA / f"{RESOLUTION}.txt"))
    assert (report["states"].tp, report["states"].fp) == (0, 3)
