"""The store: persistence across processes, atomic per-document graphs, exports, errors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from mandategraph.errors import QuerySyntaxError, StoreError, UnknownFormatError
from mandategraph.graph.store import Store

EX = "http://example.org/"
G1, G2 = URIRef(EX + "g1"), URIRef(EX + "g2")


def turtle(text: str) -> Graph:
    return Graph().parse(data=textwrap.dedent(text), format="turtle")


DOC_A = turtle("""
    @prefix ex: <http://example.org/> .
    ex:a ex:says "bonjour"@fr ; ex:count 3 .
""")
DOC_B = turtle("""
    @prefix ex: <http://example.org/> .
    ex:b ex:says "hello"@en .
""")


def values(store: Store, sparql: str) -> list[str]:
    return sorted(row[0].value for row in store.query(sparql))


def test_replacing_one_graph_leaves_the_others_intact() -> None:
    store = Store.open("memory")
    store.replace_graph(G1, DOC_A)
    store.replace_graph(G2, DOC_B)
    store.replace_graph(G1, turtle("<http://example.org/a> <http://example.org/says> 'salut' ."))
    counts = {g.graph: g.triples for g in store.graphs()}
    assert counts == {EX + "g1": 1, EX + "g2": 1}
    assert values(store, "SELECT ?o WHERE { ?s <http://example.org/says> ?o }") == [
        "hello",
        "salut",
    ]


def test_a_failed_replacement_keeps_the_old_graph() -> None:
    store = Store.open("memory")
    store.replace_graph(G1, DOC_A)

    def broken():
        yield (URIRef(EX + "x"), URIRef(EX + "p"), Literal("ok"))
        raise RuntimeError("extraction broke half-way")

    with pytest.raises(RuntimeError):
        store.replace_graph(G1, broken())
    assert values(store, "SELECT ?o WHERE { ?s <http://example.org/says> ?o }") == ["bonjour"]


def test_queries_see_the_union_of_named_graphs() -> None:
    store = Store.open("memory")
    store.replace_graph(G1, DOC_A)
    store.replace_graph(G2, DOC_B)
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert [int(r[0].value) for r in rows] == [3]


def test_store_persists_across_processes(tmp_path: Path) -> None:
    location = tmp_path / "store"
    with Store.open(location) as store:
        store.replace_graph(G1, DOC_A)
    script = textwrap.dedent(f"""
        from mandategraph.graph.store import Store
        store = Store.open({str(location)!r}, read_only=True)
        rows = store.query("SELECT ?o WHERE {{ ?s <http://example.org/says> ?o }}")
        print([r[0].value for r in rows])
    """)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert done.stdout.strip() == "['bonjour']"


def test_a_read_only_store_opens_beside_a_writer(tmp_path: Path) -> None:
    location = tmp_path / "store"
    writer = Store.open(location)
    writer.replace_graph(G1, DOC_A)
    writer.oxigraph.flush()
    reader = Store.open(location, read_only=True)
    assert values(reader, "SELECT ?o WHERE { ?s <http://example.org/says> ?o }") == ["bonjour"]
    with pytest.raises(StoreError, match="read-only"):
        reader.replace_graph(G2, DOC_B)
    writer.close()


def test_a_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    location = tmp_path / "store"
    first = Store.open(location)
    script = f"from graph.store import Store; Store.open({str(location)!r})"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode != 0
    assert "StoreError" in done.stderr
    first.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_path_is_a_store_error(tmp_path: Path) -> None:  # pragma: no cover
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(StoreError):
        Store.open(locked / "store")


def test_a_path_under_a_file_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open the store"):
        Store.open(blocker / "store")


def test_read_only_open_of_a_missing_store_says_build_first(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="mandategraph build"):
        Store.open(tmp_path / "nothing", read_only=True)


def test_export_nquads_round_trips_the_quads() -> None:
    store = Store.open("memory")
    store.replace_graph(G1, DOC_A)
    store.replace_graph(G2, DOC_B)
    parsed = Dataset()
    parsed.parse(data=store.export("nq"), format="nquads")
    quads = {
        (s, p, o, getattr(c, "identifier", c))
        for s, p, o, c in parsed.quads((None, None, None, None))
    }
    assert len(quads) == 3
    assert (URIRef(EX + "b"), URIRef(EX + "says"), Literal("hello", lang="en"), G2) in quads


def test_export_turtle_gives_the_union_triples() -> None:
    store = Store.open("memory")
    store.replace_graph(G1, DOC_A)
    store.replace_graph(G2, DOC_B)
    union = Graph().parse(data=store.export("ttl"), format="turtle")
    assert len(union) == 3
    assert (URIRef(EX + "a"), URIRef(EX + "says"), Literal("bonjour", lang="fr")) in union


def test_unknown_export_format_is_refused() -> None:
    with pytest.raises(UnknownFormatError, match="known: ttl"):
        Store.open("memory").export("docx")


def test_syntax_errors_carry_line_and_column() -> None:
    store = Store.open("memory")
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT ?s\nWHERE { ?s ?p }")
    assert caught.value.line == 2
    assert caught.value.column is not None
    assert "?s ?p }" in (caught.value.detail or "")


def test_bindings_are_engine_values_not_text() -> None:
    store = Store.open("memory")
    store.replace_graph(G1, DOC_A)
    store.replace_graph(G2, DOC_B)
    sparql = "SELECT ?s WHERE { ?s <http://example.org/says> ?o FILTER(STR(?o) = ?word) }"
    assert values(store, sparql.replace("?word", '"hello"')) == [EX + "b"]
    hostile = Literal('hello" ) } } DROP ALL #')
    assert [row for row in store.query(sparql, bindings={"word": hostile})] == []
    assert values(store, "SELECT ?g WHERE { GRAPH ?g { } }") == [EX + "g1", EX + "g2"]


def test_a_closed_store_can_be_reopened_by_the_same_process(tmp_path: Path) -> None:
    # regression: rdflib's Dataset kept the write lock alive in a reference cycle
    location = tmp_path / "store"
    Store.open(location).close()
    Store.open(location).close()


def test_a_from_clause_chooses_the_default_graph() -> None:
    # regression: the union default graph overrode the query's own FROM
    store = Store.open("memory")
    store.replace_graph(G1, DOC_A)
    store.replace_graph(G2, DOC_B)
    sparql = "SELECT ?o FROM <http://example.org/g2> WHERE { ?s <http://example.org/says> ?o }"
    assert values(store, sparql) == ["hello"]
    assert values(store, sparql.replace(" FROM <http://example.org/g2>", "")) == [
        "bonjour", "hello",
    ]


def test_export_turtle_groups_by_subject_without_escaped_local_names() -> None:
    """Issue 14: ``export("ttl")`` repeated subjects across graphs and wrote IRIs as
    escaped local names (``id:state\\/JAM``)."""
    from mandategraph.ontology.namespaces import ID

    jam, act = URIRef(ID + "state/JAM"), URIRef(ID + "activity/a1")
    says, count = URIRef(EX + "says"), URIRef(EX + "count")
    store = Store.open("memory")
    store.replace_graph(G1, [(jam, says, Literal("one")), (act, says, Literal("x")),
                             (URIRef(ID + "JAM"), says, Literal("plain"))])
    store.replace_graph(G2, [(jam, count, Literal(2)), (act, count, Literal(3))])
    text = store.export("ttl").decode()
    assert "\\/" not in text
    expected = {(jam, says, Literal("one")), (act, says, Literal("x")),
                (URIRef(ID + "JAM"), says, Literal("plain")),
                (jam, count, Literal(2)), (act, count, Literal(3))}
    assert set(Graph().parse(data=text, format="turtle")) == expected
    starts = [
        line.split()[0] for line in text.splitlines()
        if line.strip() and not line[0].isspace()
        and not line.lower().startswith(("@prefix", "prefix"))
    ]
    assert len(starts) == len(set(starts)) == 3, text
    assert "id:JAM" in starts  # prefixes still where the local name needs no escaping
