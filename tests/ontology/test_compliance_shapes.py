"""The compliance shapes give the answers of the canned compliance queries."""

from __future__ import annotations

from pathlib import Path

import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF, SH

from mandategraph.graph.store import Store
from mandategraph.queries.catalog import get_query

SHAPES = Path(__file__).resolve().parents[2] / "ontology" / "compliance-shapes.ttl"


def failing(store: Store) -> dict[str, set[str]]:
    data = Graph().parse(data=store.export("nt"), format="nt")  # the union of all graphs
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=Graph().parse(SHAPES), advanced=False, allow_warnings=True)
    found: dict[str, set[str]] = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = str(report.value(result, SH.sourceShape))
        found.setdefault(shape.rsplit("#", 1)[-1], set()).add(
            str(report.value(result, SH.focusNode)))
    return found


def test_the_shapes_and_the_queries_agree_on_the_seed(built_store: Store) -> None:
    found = failing(built_store)
    without = {r["mandate"].value for r in built_store.query(
        get_query("mandates-without-activities").sparql({}))}  # type: ignore[union-attr]
    no_mandate = {r["activity"].value for r in built_store.query(
        get_query("activities-without-mandate").sparql({}))}  # type: ignore[union-attr]
    assert found["MandateActedOn"] == without and len(without) == 4
    # the property shape is a blank node under ActivityWithMandate: find it by focus
    activities = set().union(*(v for k, v in found.items() if k != "MandateActedOn"))
    assert activities == no_mandate and len(no_mandate) == 2


def test_the_shapes_and_the_queries_agree_on_the_dev_corpus(dev_corpus_store: Store) -> None:
    found = failing(dev_corpus_store)
    without = {r["mandate"].value for r in dev_corpus_store.query(
        get_query("mandates-without-activities").sparql({}))}  # type: ignore[union-attr]
    assert found["MandateActedOn"] == without
