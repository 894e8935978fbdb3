"""The store's interface on every backend: embedded Oxigraph, Oxigraph server, Virtuoso.

The servers are real processes on loopback (``tests/remote_fixtures.py``); what differs
between backends is written in the README's "Deployment on a SPARQL server".
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from mandategraph.errors import QuerySyntaxError
from mandategraph.graph.remote_store import META_GRAPH, RemoteStore, nt_body
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import GRAPH

EX = "http://example.org/"
G1, G2 = GRAPH["test/g1"], GRAPH["test/g2"]
Opener = Callable[..., Store]


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
    return sorted(row[0].value for row in store.query(sparql))  # type: ignore[union-attr, index]


def test_replacing_one_graph_leaves_the_others_intact(open_backend: Opener) -> None:
    store = open_backend()
    store.replace_graph(G1, DOC_A)
    store.replace_graph(G2, DOC_B)
    store.replace_graph(G1, turtle("<http://example.org/a> <http://example.org/says> 'salut' ."))
    counts = {g.graph: g.triples for g in store.graphs()}
    assert counts == {str(G1): 1, str(G2): 1}
    # the default graph is the union of the graphs
    assert values(store, "SELECT ?o WHERE { ?s <http://example.org/says> ?o }") == [
        "hello", "salut",
    ]


def test_a_failed_replacement_keeps_the_old_graph(open_backend: Opener) -> None:
    store = open_backend()
    store.replace_graph(G1, DOC_A)

    def broken():  # noqa: ANN202
        yield (URIRef(EX + "x"), URIRef(EX + "p"), Literal("ok"))
        raise RuntimeError("extraction broke half-way")

    with pytest.raises(RuntimeError):
        store.replace_graph(G1, broken())
    assert {g.graph: g.triples for g in store.graphs()} == {str(G1): 2}


def test_a_graph_of_twenty_thousand_triples_is_replaced_whole(open_backend: Opener) -> None:
    # more than Virtuoso takes in one INSERT DATA (about 4,990 triples)
    store = open_backend()
    big = [(URIRef(f"{EX}s{i}"), URIRef(EX + "n"), Literal(i)) for i in range(20_000)]
    store.replace_graph(G1, DOC_A)
    assert store.replace_graph(G1, big) == 20_000
    assert {g.graph: g.triples for g in store.graphs()} == {str(G1): 20_000}
    rows = store.query("SELECT (SUM(?n) AS ?t) WHERE { ?s <http://example.org/n> ?n }")
    assert int(next(iter(rows))["t"].value) == sum(range(20_000))  # type: ignore[arg-type, index]


def test_blank_nodes_stay_one_node_within_a_graph(open_backend: Opener) -> None:
    store = open_backend()
    node = BNode()
    store.replace_graph(G1, [(URIRef(EX + "a"), URIRef(EX + "p"), node),
                             (node, URIRef(EX + "q"), Literal("x"))])
    rows = list(store.query(  # type: ignore[call-overload]
        "SELECT ?x WHERE { <http://example.org/a> <http://example.org/p> ?b . ?b "
        "<http://example.org/q> ?x }"))
    assert [r["x"].value for r in rows] == ["x"]


def test_queries_see_from_and_the_protocol_dataset(open_backend: Opener) -> None:
    store = open_backend()
    store.replace_graph(G1, DOC_A)
    store.replace_graph(G2, DOC_B)
    only_b = f"SELECT ?o FROM <{G2}> WHERE {{ ?s <http://example.org/says> ?o }}"
    assert values(store, only_b) == ["hello"]
    text = "SELECT ?o WHERE { ?s <http://example.org/says> ?o }"
    rows = store.query(text, default_graphs=[str(G1)])
    assert sorted(r["o"].value for r in rows) == ["bonjour"]  # type: ignore[union-attr, index]
    named = "SELECT ?g WHERE { GRAPH ?g { ?s <http://example.org/says> ?o } }"
    assert values(store, named) == [str(G1), str(G2)]


def test_ask_construct_and_bindings(open_backend: Opener) -> None:
    store = open_backend()
    store.replace_graph(G1, DOC_A)
    assert bool(store.query("ASK { ?s <http://example.org/count> 3 }")) is True
    assert bool(store.query("ASK { ?s <http://example.org/count> 4 }")) is False
    triples = store.query("CONSTRUCT { ?s <http://example.org/said> ?o } "
                          "WHERE { ?s <http://example.org/says> ?o }")
    assert isinstance(triples, ox.QueryTriples)
    assert [t.object.value for t in triples] == ["bonjour"]
    bonjour = Literal("bonjour", lang="fr")
    rows = store.query("SELECT ?p WHERE { ?s ?p ?o }", bindings={"o": bonjour})
    assert [r["p"].value for r in rows] == [EX + "says"]  # type: ignore[union-attr, index]


def test_the_project_prefixes_are_predeclared(open_backend: Opener) -> None:
    store = open_backend()
    store.replace_graph(G1, turtle("""
        @prefix mg: <https://w3id.org/mandategraph/ontology#> .
        <http://example.org/x> a mg:Activity .
    """))
    assert values(store, "SELECT ?x WHERE { ?x a mg:Activity }") == [EX + "x"]


def test_a_syntax_error_names_its_line(open_backend: Opener) -> None:
    store = open_backend()
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT ?x\nWHERE { ?x ?p }")
    assert caught.value.line == 2


def test_the_inferred_graph_s_freshness_is_kept(open_backend: Opener) -> None:
    store = open_backend()
    assert store.inferred_state() == "absent"
    store.mark_inferred_stale()
    store.replace_graph(G1, DOC_A)
    assert store.inferred_state() == "stale"
    store.replace_graph(GRAPH["inferred"], DOC_B)
    store.mark_inferred_current()
    assert store.inferred_state() == "current"
    assert store.stats()["inferred"] == "current"


def test_export_keeps_the_named_graphs(open_backend: Opener) -> None:
    store = open_backend()
    store.replace_graph(G1, DOC_A)
    store.replace_graph(G2, DOC_B)
    quads = list(ox.parse(store.export("nq"), format=ox.RdfFormat.N_QUADS))
    assert sorted({q.graph_name.value for q in quads}) == [str(G1), str(G2)]  # type: ignore[union-attr]
    assert len(quads) == 3
    copy = store.graph(G1)
    assert len(copy) == 2
    assert len(list(store.triples(G2))) == 1


def test_pattern_lookups_of_the_pages(open_backend: Opener) -> None:
    store = open_backend()
    store.replace_graph(G1, DOC_A)
    found = list(store.oxigraph.quads_for_pattern(ox.NamedNode(EX + "a"), None, None, None))
    assert sorted(q.predicate.value for q in found) == [EX + "count", EX + "says"]
    assert {g.value for g in store.oxigraph.named_graphs()} == {str(G1)}


def test_a_user_update_is_applied(open_backend: Opener) -> None:
    store = open_backend()
    store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}u> <{EX}v> 'w' }} }}")
    assert values(store, f"SELECT ?o WHERE {{ <{EX}u> <{EX}v> ?o }}") == ["w"]


def test_several_graphs_are_replaced_in_one_call(open_backend: Opener) -> None:
    from mandategraph.graph.store import quads_of

    store = open_backend()
    store.replace_graph(G1, DOC_A)  # G1 is replaced, G2 is new
    new_a = turtle("<http://example.org/a> <http://example.org/says> 'salut' .")
    store.replace_graphs([(G1, quads_of(G1, new_a.serialize(format="nt", encoding="utf-8"))),
                          (G2, quads_of(G2, DOC_B.serialize(format="nt", encoding="utf-8")))])
    assert {g.graph: g.triples for g in store.graphs()} == {str(G1): 1, str(G2): 1}
    assert values(store, "SELECT ?o WHERE { ?s <http://example.org/says> ?o }") == [
        "hello", "salut",
    ]
    # a reader opened afterwards sees both through the union (Virtuoso: its graph group)
    reader = open_backend(read_only=True)
    assert values(reader, "SELECT ?o WHERE { ?s <http://example.org/says> ?o }") == [
        "hello", "salut",
    ]


@pytest.mark.parametrize(("bulk", "lenient"), [(False, False), (True, False), (True, True)])
def test_stamps_go_in_with_their_graphs(open_backend: Opener, bulk: bool,
                                        lenient: bool) -> None:
    # the bulk ingest's content hashes: written with each replaced graph, after the new
    # ones (embedded, bulk loader), and in the union on every backend
    from mandategraph.graph.store import quads_of

    store = open_backend()
    store.replace_graph(G1, DOC_A)  # G1 is replaced, G2 is new
    stamps = {name: f"<{name}> <urn:x:hash> \"{tag}\" <{name}> .\n".encode()
              for name, tag in ((G1, "h1"), (G2, "h2"))}
    store.replace_graphs(
        [(G1, quads_of(G1, DOC_A.serialize(format="nt", encoding="utf-8"))),
         (G2, quads_of(G2, DOC_B.serialize(format="nt", encoding="utf-8")))],
        stamps=stamps, bulk=bulk, lenient=lenient)
    assert {g.graph: g.triples for g in store.graphs()} == {str(G1): 3, str(G2): 2}
    assert values(store, "SELECT ?h WHERE { GRAPH ?g { ?g <urn:x:hash> ?h } }") == [
        "h1", "h2",
    ]
    assert values(store, "SELECT ?o WHERE { ?s <http://example.org/says> ?o }") == [
        "bonjour", "hello",
    ]


def test_the_registry_reads_a_paragraph_cited_from_several_graphs_once(
    open_backend: Opener,
) -> None:
    from mandategraph.graph.mandates import read_paragraphs

    store = open_backend()
    cited = """
        @prefix mg: <https://w3id.org/mandategraph/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <http://example.org/p2a> a mg:OperativeParagraph ; mg:paragraphNumber "2.a" ;
            mg:paragraphOf <http://example.org/res> .
        <http://example.org/res> skos:notation "AG/RES. 1 (I-O/71)" .
    """
    for graph in (G1, G2, GRAPH["test/g3"]):
        store.replace_graph(graph, turtle(cited))
    found = read_paragraphs(store)
    assert list(found) == ["http://example.org/p2a"]
    assert (found["http://example.org/p2a"].number, found["http://example.org/p2a"].symbol) == (
        "2.a", "AG/RES. 1 (I-O/71)")


def test_the_union_holds_the_project_graphs_only(open_backend: Opener) -> None:
    store = open_backend()
    store.replace_graph(G1, DOC_A)
    # a graph written by an update (not through replace_graph) is in the union too
    store.update(f"INSERT DATA {{ GRAPH <{G2}> {{ <{EX}c> <{EX}says> 'hola'@es }} }}")
    says = "SELECT ?o WHERE { ?s <http://example.org/says> ?o }"
    assert values(store, says) == ["bonjour", "hola"]
    # with a GRAPH pattern, the named graphs are the project's, never the server's own
    # (Virtuoso's system graphs are of openlinksw.com)
    named = values(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {str(G1), str(G2)} <= set(named)
    assert not [g for g in named if "openlinksw" in g]
    # nothing of a server's system graphs in the default graph
    assert values(store, "SELECT DISTINCT ?c WHERE { ?x a ?c }") == []


def explicit_union(store: Store) -> RemoteStore:
    """The store, when its server's union is a list of graphs (Virtuoso); else a skip."""
    if not isinstance(store, RemoteStore) or store.server.union_param:
        pytest.skip("the union is the engine's own here: no list of graphs")
    return store


def counting_scans(store: RemoteStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The scans of every quad (``GRAPH ?g``) the store makes from now on."""
    scans: list[str] = []
    select = store.select_raw

    def counted(text: str, **options: object) -> object:
        if "GRAPH ?g" in text:
            scans.append(text)
        return select(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "select_raw", counted)
    return scans


def test_a_graph_another_store_writes_is_in_the_union_at_once(open_backend: Opener) -> None:
    # the list of graphs was reused for a second without a look at the server: a graph
    # written meanwhile by another process was missing from the union
    writer = open_backend()
    writer.replace_graph(G1, DOC_A)
    reader = explicit_union(open_backend(read_only=True))
    says = "SELECT ?o WHERE { ?s <http://example.org/says> ?o }"
    assert values(reader, says) == ["bonjour"]
    writer.replace_graph(G2, DOC_B)
    assert values(reader, says) == ["bonjour", "hello"]
    writer.replace_graphs([(GRAPH["test/g3"], b'<http://example.org/c> '
                            b'<http://example.org/says> "hola"@es <' + str(GRAPH["test/g3"])
                            .encode() + b'> .\n')])
    assert values(reader, says) == ["bonjour", "hello", "hola"]


def test_the_union_is_read_from_the_records_of_the_writes_not_a_scan(
    open_backend: Opener, monkeypatch: pytest.MonkeyPatch,
) -> None:
    writer = explicit_union(open_backend())
    writer.replace_graph(G1, DOC_A)
    assert writer.register_graphs() == [str(G1)]  # what `mandategraph register-graphs` does
    reader = explicit_union(open_backend(read_only=True))
    scans = counting_scans(reader, monkeypatch)
    says = "SELECT ?o WHERE { ?s <http://example.org/says> ?o }"
    assert values(reader, says) == ["bonjour"]
    writer.replace_graph(G2, DOC_B)  # recorded with its new token, in one update
    assert values(reader, says) == ["bonjour", "hello"]
    assert values(reader, says) == ["bonjour", "hello"]
    assert scans == []


def test_graphs_loaded_by_another_tool_join_the_union_when_registered(
    open_backend: Opener,
) -> None:
    writer = explicit_union(open_backend())
    writer.replace_graph(G1, DOC_A)
    writer.register_graphs()
    # a bulk loader writes a graph and leaves no record: not in the union yet
    writer.update_raw(f"INSERT DATA {{ GRAPH <{G2}> {{ <{EX}b> <{EX}says> 'hello'@en }} }}")
    reader = explicit_union(open_backend(read_only=True))
    says = "SELECT ?o WHERE { ?s <http://example.org/says> ?o }"
    assert values(reader, says) == ["bonjour"]
    assert writer.register_graphs() == [str(G1), str(G2)]
    assert values(reader, says) == ["bonjour", "hello"]
    # without any record (a server loaded by other tools only), the union is a scan
    writer.update_raw(f"DROP SILENT GRAPH <{META_GRAPH}>")
    g3 = GRAPH["test/g3"]
    writer.update_raw(f"INSERT DATA {{ GRAPH <{g3}> {{ <{EX}c> <{EX}says> 'hola' }} }}")
    assert values(reader, says) == ["bonjour", "hello", "hola"]


def test_thousands_of_graphs_are_recorded_in_chunks_the_server_takes(
    open_backend: Opener,
) -> None:
    # Virtuoso takes about 5,000 triples in one INSERT DATA: the records go in chunks
    import mandategraph.graph.remote_graphs as remote

    writer = explicit_union(open_backend())
    writer.replace_graph(G1, DOC_A)
    writer.register_graphs()
    names = [str(GRAPH[f"test/many/{i:05d}"]) for i in range(2 * remote.RECORD_CHUNK + 500)]
    writer.update_raw(writer._record_update(names))
    reader = explicit_union(open_backend(read_only=True))
    assert reader.project_graphs() == sorted([str(G1), *names])
    says = "SELECT ?o WHERE { ?s <http://example.org/says> ?o }"
    assert values(reader, says) == ["bonjour"]  # a recorded graph with nothing in it


def test_records_arriving_beside_another_writer_s_token_are_read(open_backend: Opener) -> None:
    # two writers bumping at once may leave two tokens; the smallest may stay while the
    # other writer's records arrive: the records are read again all the same
    import mandategraph.graph.remote_graphs as remote

    writer = explicit_union(open_backend())
    writer.replace_graph(G1, DOC_A)
    writer.register_graphs()
    meta, generation = f"<{remote.META_GRAPH}>", f"<{remote._GENERATION}>"
    writer.update_raw(f'INSERT DATA {{ GRAPH {meta} {{ {meta} {generation} "0" }} }}')
    reader = explicit_union(open_backend(read_only=True))
    says = "SELECT ?o WHERE { ?s <http://example.org/says> ?o }"
    assert values(reader, says) == ["bonjour"]
    writer._put_graph(str(G2), nt_body(DOC_B)[0])
    writer.update_raw(f'INSERT DATA {{ GRAPH {meta} {{ {meta} {generation} "z" ; '
                      f"<{remote._RECORD}> <{G2}> }} }}")
    assert values(reader, says) == ["bonjour", "hello"]


def not_from(store: Store) -> RemoteStore:
    """The store on Virtuoso with its union written as the graphs it leaves out (as past
    ``UNION_LIST_MAX`` project graphs); else a skip."""
    remote = explicit_union(store)
    if remote.server.kind != "virtuoso":
        pytest.skip("NOT FROM is Virtuoso's")
    remote.union_list_max = 0
    return remote


def test_a_union_written_as_what_it_leaves_out_holds_the_project_s_graphs_only(
    open_backend: Opener,
) -> None:
    from mandategraph.graph.remote_store import line_chunks

    writer = explicit_union(open_backend())
    writer.replace_graph(G1, DOC_A)
    writer.replace_graph(G2, DOC_B)
    writer.register_graphs()  # the union is the recorded graphs from now on
    reader = not_from(open_backend(read_only=True))
    says = "SELECT ?o WHERE { ?s <http://example.org/says> ?o }"
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert "NOT FROM" in reader._dataset(says)[0]
    assert values(reader, says) == ["bonjour", "hello"]
    assert values(reader, graphs) == [str(G1), str(G2)]
    assert values(reader, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == ["3"]
    # a project graph another tool wrote (no record) is left out from the next write
    # through mandategraph on, as with a list of FROM
    g3 = GRAPH["test/g3"]
    writer.update_raw(f"INSERT DATA {{ GRAPH <{g3}> {{ <{EX}c> <{EX}says> 'hola' }} }}")
    writer.replace_graph(G2, DOC_B)
    assert values(reader, says) == ["bonjour", "hello"]
    # a summary written after the reader listed the others: recorded, so left out too
    writer.write_summary(URIRef("urn:mandategraph:summary:test"),
                         next(line_chunks(f"<{EX}d> <{EX}says> 'ciao' .\n".encode(), 100)))
    assert values(reader, says) == ["bonjour", "hello"]
    assert values(reader, graphs) == [str(G1), str(G2)]
    # a syntax error names the line of the text as written, not as sent
    with pytest.raises(QuerySyntaxError) as caught:
        reader.query("SELECT ?x\nWHERE { ?x ?p }")
    assert caught.value.line == 2
    # Virtuoso's DESCRIBE reads only graphs named with FROM: it keeps the list
    described = reader.query(f"DESCRIBE <{EX}a>")
    assert {str(t.object.value) for t in described} == {"bonjour", "3"}  # type: ignore[union-attr]


@pytest.mark.server
def test_six_thousand_graphs_are_one_union_on_virtuoso(open_backend: Opener) -> None:
    # as a list of FROM, Virtuoso refuses about 5,000 graphs ("Too many arguments")
    writer = explicit_union(open_backend())
    if writer.server.kind != "virtuoso":
        pytest.skip("the list's limit is Virtuoso's")
    names = [str(GRAPH[f"test/many/{i:05d}"]) for i in range(6000)]
    for start in range(0, len(names), 500):
        writer.update_raw("INSERT DATA { " + " ".join(
            f"GRAPH <{name}> {{ <{EX}n{start + i}> <{EX}says> 'x' }}"
            for i, name in enumerate(names[start:start + 500])) + " }")
    writer.update_raw(writer._record_update(names))
    reader = explicit_union(open_backend(read_only=True))
    assert len(reader.project_graphs()) == 6000
    assert values(reader, "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/says> ?o }"
                  ) == ["6000"]
    assert values(reader, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
                  ) == ["6000"]
