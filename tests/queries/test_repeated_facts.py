"""Every document graph restates what it cites (a resolution, its paragraphs, the
actors and states), and the union of the graphs keeps each copy: on Oxigraph and on
Virtuoso a pattern matches once per graph that holds it. A canned query answers the same
however many graphs repeat such a fact. (What a document says of its own resources, its
activities, sections and spans, is in its graph only.) ``mandates.rq`` and the
compliance queries take each part DISTINCT so that the copies do not multiply in their
joins: in a store of 10,000 reports, 29.4M matches for 12,097 paragraphs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import document_iri
from mandategraph.queries.catalog import load_catalog
from tests.queries.test_canned_backends import normalized

COPIES = 3
DOCUMENTS = str(document_iri(""))


@pytest.fixture(scope="module")
def repeated(built_path: tuple[Path, object],
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The built store, and what each document graph says of resources not its own
    again in three more graphs."""
    folder = tmp_path_factory.mktemp("repeated")
    with Store.open(built_path[0], read_only=True) as source:
        documents = set(source.document_graphs())
        every = folder / "all.nq"
        every.write_bytes(source.export("nq"))
    assert documents
    quads = list(ox.parse(path=every, format=ox.RdfFormat.N_QUADS))
    copies = [ox.Quad(q.subject, q.predicate, q.object,
                      ox.NamedNode(f"{q.graph_name.value}-copy-{k}"))
              for q in quads if isinstance(q.graph_name, ox.NamedNode)
              and q.graph_name.value in documents and not own(q.subject)
              for k in range(COPIES)]
    assert len(copies) > 100
    ox.serialize(copies, output=folder / "copies.nq", format=ox.RdfFormat.N_QUADS)
    location = folder / "store"
    with Store.open(location) as copy:
        for part in (every, folder / "copies.nq"):
            copy.load_file(part, graph=URIRef("urn:unused"), fmt="nq")
    store = Store.open(location, read_only=True)
    yield store
    store.close()


def own(subject: ox.NamedNode | ox.BlankNode | ox.Triple) -> bool:
    """Whether a subject is a document's own resource (the document, an activity, a
    section, a span: its IRI under the document's)."""
    return not isinstance(subject, ox.NamedNode) or subject.value.startswith(DOCUMENTS)


def test_the_copies_are_there(built_store: Store, repeated: Store) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?m a mg:OperativeParagraph }"
    once = int(next(iter(built_store.query(count)))[0].value)
    assert once > 0
    assert int(next(iter(repeated.query(count)))[0].value) > once  # the union keeps each copy


@pytest.mark.parametrize("name", sorted(load_catalog()))
def test_a_canned_query_answers_the_same_with_facts_repeated(
    name: str, built_store: Store, repeated: Store
) -> None:
    assert normalized(repeated, name) == normalized(built_store, name)

