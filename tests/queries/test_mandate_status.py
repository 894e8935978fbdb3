"""Every status rule of mandate-status, edge cases included, on a small inline graph."""

from __future__ import annotations

import pytest
from rdflib import Graph

from mandategraph.graph.store import Store
from mandategraph.ontology.loader import ontology_graph
from mandategraph.ontology.namespaces import GRAPH, ONTOLOGY_GRAPH, paragraph_prefixes
from mandategraph.queries.catalog import get_query

DATA = """
@prefix mg: <https://w3id.org/mandategraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix st: <https://w3id.org/mandategraph/id/status/> .
@prefix k: <https://w3id.org/mandategraph/id/mandate-kind/> .
@prefix r: <https://w3id.org/mandategraph/id/resolution/ag-res-9999-l-o-20/> .
@prefix a: <https://w3id.org/mandategraph/id/document/t/activity/> .

<https://w3id.org/mandategraph/id/resolution/ag-res-9999-l-o-20> a mg:Resolution ;
    skos:notation "AG/RES. 9999 (L-O/20)" .

# planned activities only
r:1 mg:mandateKind k:request .
a:1 a mg:Activity ; mg:implements r:1 ; mg:status st:planned .
# a parent whose sub-paragraphs are all implemented
r:2.a mg:subParagraphOf r:2 ; mg:mandateKind k:request .
r:2.b mg:subParagraphOf r:2 ; mg:mandateKind k:request .
a:2a a mg:Activity ; mg:implements r:2.a ; mg:status st:completed .
a:2b a mg:Activity ; mg:implements r:2.b ; mg:status st:completed .
# a parent with one part implemented, one without activity
r:3.a mg:subParagraphOf r:3 ; mg:mandateKind k:request .
r:3.b mg:subParagraphOf r:3 ; mg:mandateKind k:request .
a:3a a mg:Activity ; mg:implements r:3.a ; mg:status st:completed .
# addressed to the member states, no activity
r:4 mg:mandateKind k:exhortation .
# addressed to the member states, yet a completed activity acts on it: evidence wins
r:5 mg:mandateKind k:exhortation .
a:5 a mg:Activity ; mg:implements r:5 ; mg:status st:completed .
# known only from numbering
r:6.a mg:subParagraphOf r:6 ; a mg:InferredParagraph .
r:6.b mg:subParagraphOf r:6 ; mg:mandateKind k:request .
a:6b a mg:Activity ; mg:implements r:6.b ; mg:status st:completed .
# ongoing only; ongoing and planned
r:7 mg:mandateKind k:request .
a:7 a mg:Activity ; mg:implements r:7 ; mg:status st:ongoing .
r:8 mg:mandateKind k:request .
a:8o a mg:Activity ; mg:implements r:8 ; mg:status st:ongoing .
a:8p a mg:Activity ; mg:implements r:8 ; mg:status st:planned .
# nothing at all, a request
r:9 mg:mandateKind k:request .
# a chapeau of unknown text whose parts are all exhortations
r:10.a mg:subParagraphOf r:10 ; mg:mandateKind k:exhortation .
r:10.b mg:subParagraphOf r:10 ; mg:mandateKind k:exhortation .
# a part that is not applicable does not hold its parent back
r:11.a mg:subParagraphOf r:11 ; mg:mandateKind k:declaratory .
r:11.b mg:subParagraphOf r:11 ; mg:mandateKind k:request .
a:11b a mg:Activity ; mg:implements r:11.b ; mg:status st:completed .
# an activity whose report gives no status counts as completed
r:12 mg:mandateKind k:request .
a:12 a mg:Activity ; mg:implements r:12 .
# procedural and political bodies
r:13 mg:mandateKind k:procedural .
r:14 mg:mandateKind k:political-body .
# a parent acted on only by planned work on one part: planned only
r:15.a mg:subParagraphOf r:15 ; mg:mandateKind k:request .
r:15.b mg:subParagraphOf r:15 ; mg:mandateKind k:request .
a:15 a mg:Activity ; mg:implements r:15.a ; mg:status st:planned .
"""

NUMBERS = ["1", "2", "2.a", "2.b", "3", "3.a", "3.b", "4", "5", "6", "6.a", "6.b", "7", "8",
           "9", "10", "10.a", "10.b", "11", "11.a", "11.b", "12", "13", "14", "15", "15.a",
           "15.b"]


def paragraphs() -> str:
    lines = []
    for number in NUMBERS:
        lines.append(f'r:{number} a mg:OperativeParagraph ; mg:paragraphNumber "{number}" ; '
                     "mg:paragraphOf <https://w3id.org/mandategraph/id/resolution/"
                     "ag-res-9999-l-o-20> .")
        # as the extraction states it with each paragraph (mg:withinParagraph)
        lines.extend(f"r:{number} mg:withinParagraph r:{prefix} ."
                     for prefix in paragraph_prefixes(number))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def statuses() -> dict[str, tuple[str, str]]:
    store = Store.open("memory")
    store.replace_graph(ONTOLOGY_GRAPH, ontology_graph())
    data = Graph().parse(data=DATA.replace("# planned", paragraphs() + "\n# planned", 1),
                         format="turtle")
    store.replace_graph(GRAPH["document/t"], data)
    rows = store.query(get_query("mandate-status").sparql({}))
    return {r["paragraph"].value: (r["status"].value, r["rule"].value)
            for r in rows}  # type: ignore[union-attr]


@pytest.mark.parametrize(("number", "status"), [
    ("1", "planned only"),                  # cited only by planned activities
    ("2", "implemented"),                   # every sub-paragraph implemented
    ("2.a", "implemented"),
    ("3", "in progress"),                   # partly implemented
    ("3.a", "implemented"),
    ("3.b", "not implemented"),
    ("4", "not applicable"),                # addressed to the member states
    ("5", "implemented"),                   # ... but acted on: the evidence wins
    ("6", "in progress"),                   # a part of unknown text is not shown done
    ("6.a", "no indication"),               # inferred, text unknown
    ("7", "in progress"),                   # only ongoing
    ("8", "in progress"),                   # ongoing and planned
    ("9", "not implemented"),
    ("10", "not applicable"),               # all its parts are exhortations
    ("10.a", "not applicable"),
    ("11", "implemented"),                  # its declaratory part does not count
    ("11.a", "not applicable"),
    ("12", "implemented"),                  # no status given: completed
    ("13", "not applicable"),               # procedural
    ("14", "not applicable"),               # a political body
    ("15", "planned only"),
    ("15.b", "not implemented"),
])
def test_status_rule(statuses: dict[str, tuple[str, str]], number: str, status: str) -> None:
    assert statuses[number][0] == status, statuses[number]


def test_every_paragraph_has_a_status_and_a_rule(statuses: dict[str, tuple[str, str]]) -> None:
    assert sorted(statuses) == sorted(NUMBERS)
    assert all(rule for _status, rule in statuses.values())
    assert statuses["3"][1].startswith("completed activities act on some")


def test_the_status_parameter_filters(statuses: dict[str, tuple[str, str]]) -> None:
    store = Store.open("memory")
    store.replace_graph(ONTOLOGY_GRAPH, ontology_graph())
    data = Graph().parse(data=DATA.replace("# planned", paragraphs() + "\n# planned", 1),
                         format="turtle")
    store.replace_graph(GRAPH["document/t"], data)
    rows = store.query(get_query("mandate-status").sparql({"status": "not applicable"}))
    found = {r["paragraph"].value for r in rows}  # type: ignore[union-attr]
    assert found == {n for n, (s, _r) in statuses.items() if s == "not applicable"}


def test_no_activity_check_lists_exactly_the_unimplemented_and_unknown(
    statuses: dict[str, tuple[str, str]],
) -> None:
    store = Store.open("memory")
    store.replace_graph(ONTOLOGY_GRAPH, ontology_graph())
    data = Graph().parse(data=DATA.replace("# planned", paragraphs() + "\n# planned", 1),
                         format="turtle")
    store.replace_graph(GRAPH["document/t"], data)
    rows = store.query(get_query("mandates-without-activities").sparql({}))
    found = {r["paragraph"].value for r in rows}  # type: ignore[union-attr]
    assert found == {n for n, (s, _r) in statuses.items()
                     if s in ("not implemented", "no indication")}
