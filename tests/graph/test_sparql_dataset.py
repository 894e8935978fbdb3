"""``with_dataset``: the union written into a query as FROM / FROM NAMED clauses (how the
store sends an explicit union to Virtuoso), checked by parsing the result."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from mandategraph.graph.sparql.text import with_dataset

G = ["https://w3id.org/mandategraph/graph/a", "https://w3id.org/mandategraph/graph/b"]


def answer(text: str) -> list[str]:
    store = ox.Store()
    for i, graph in enumerate([*G, "https://w3id.org/mandategraph/graph/other"]):
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"),
                          ox.NamedNode("http://example.org/p"), ox.Literal(str(i)),
                          ox.NamedNode(graph)))
    return sorted(str(row[0].value) for row in store.query(text))  # type: ignore[union-attr, index]


@pytest.mark.parametrize("text", [
    "SELECT ?o WHERE { ?s ?p ?o }",
    "SELECT ?o { ?s ?p ?o }",
    "SELECT ?o{ ?s ?p ?o }",  # the clauses once stuck to the variable: "?oFROM"
    "PREFIX ex: <http://example.org/>\nSELECT ?o\n# a WHERE { in a comment\nWHERE {\n"
    "  { SELECT ?o WHERE { ?s ex:p ?o } }\n}\nORDER BY ?o",
    'SELECT ?o WHERE { ?s ?p ?o FILTER(?o != "WHERE {") }',
])
def test_the_default_graph_is_the_given_graphs(text: str) -> None:
    written = with_dataset(text, default=G, named=G)
    assert written is not None
    assert answer(written) == ["0", "1"]


def test_named_graphs_are_the_given_ones_and_lines_are_kept() -> None:
    text = "SELECT ?g\nWHERE { GRAPH ?g { ?s ?p ?o } }"
    written = with_dataset(text, default=G, named=G)
    assert written is not None
    assert answer(written) == G
    assert written.count("\n") == text.count("\n")  # a server's syntax error names our line


def test_a_construct_gets_its_dataset_after_its_template() -> None:
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    written = with_dataset(text, default=G[:1], named=[])
    assert written is not None
    assert list(ox.Store().query(written)) == []  # type: ignore[call-overload]  # it parses
    assert written.index("FROM") > written.index("}")


def test_ask_and_describe_with_where() -> None:
    assert with_dataset("ASK { ?s ?p ?o }", default=G, named=G) == (
        f"ASK FROM <{G[0]}> FROM <{G[1]}> FROM NAMED <{G[0]}> FROM NAMED <{G[1]}> "
        "{ ?s ?p ?o }")
    assert with_dataset("DESCRIBE ?s WHERE { ?s ?p ?o }", default=G, named=[]) is not None


def test_a_describe_without_where_has_no_place_for_it() -> None:
    assert with_dataset("DESCRIBE <http://example.org/s0>", default=G, named=G) is None


def test_a_group_right_after_the_form_gets_a_space_before_the_clauses() -> None:
    # "ASK{}" once became "ASKFROM <...> {}", which Virtuoso refused
    written = with_dataset("ASK{ ?s ?p ?o }", default=G, named=[])
    assert written is not None and written.startswith("ASK FROM ")
    assert bool(ox.Store().query(written)) is False  # it parses (an empty store)
    excluded = with_dataset("SELECT *{ ?s ?p ?o }", excluded=G[:1])
    assert excluded == f"SELECT * NOT FROM <{G[0]}> NOT FROM NAMED <{G[0]}> {{ ?s ?p ?o }}"
