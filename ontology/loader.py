"""Load the ontology and the SHACL shapes that ship with mandategraph.

Both files are parsed once per process (``functools.lru_cache``). The public
functions hand out a *fresh copy* each call, so a caller may add triples to
what it gets without changing what the next caller sees; code that only reads
and calls often (the validator, the reasoner) asks for the shared, cached graph
with ``shared=True`` and must then never mutate it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from mandategraph.ontology.namespaces import PREFIXES, SH

HERE = Path(__file__).resolve().parent

#: The OWL 2 DL ontology (Turtle), the source of truth of the vocabulary.
ONTOLOGY_PATH = HERE / "mandategraph.ttl"

#: The SHACL shapes (Turtle) every built graph is validated against.
SHAPES_PATH = HERE / "shapes.ttl"


def _bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


@lru_cache(maxsize=1)
def _parsed_ontology() -> Graph:
    return _bind_prefixes(Graph().parse(ONTOLOGY_PATH, format="turtle"))


@lru_cache(maxsize=1)
def _parsed_shapes() -> Graph:
    graph = _bind_prefixes(Graph().parse(SHAPES_PATH, format="turtle"))
    graph.bind("sh", str(SH), override=True)
    return graph


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True)
    copy += graph
    return copy


def ontology_graph(*, shared: bool = False) -> Graph:
    """The ontology (``mandategraph.ttl``) as an rdflib graph.

    Args:
        shared: return the process-wide cached graph instead of a copy. It is faster
            (no copy, about 1,000 triples) but the caller must treat it as read-only:
            adding or removing a triple would change the ontology for everyone.

    Returns:
        A graph with the ``mg:``, ``prov:``, ``skos:``... prefixes bound; a fresh copy
        the caller owns unless ``shared`` is true.
    """
    graph = _parsed_ontology()
    return graph if shared else _copy(graph)


def shapes_graph(*, shared: bool = False) -> Graph:
    """The SHACL shapes (``shapes.ttl``) as an rdflib graph.

    Args:
        shared: return the process-wide cached graph (read-only by contract) instead
            of a fresh copy.

    Returns:
        The shapes graph, a fresh copy unless ``shared`` is true.
    """
    graph = _parsed_shapes()
    return graph if shared else _copy(graph)
