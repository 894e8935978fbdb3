"""mandategraph: a knowledge graph of mandates, actors and activities.

The package's layers, each a folder of the repository installed under this
namespace; arrows point one way (a layer imports only those below it):

- :mod:`mandategraph.errors`: the errors every layer raises (the floor);
- :mod:`mandategraph.ontology`: the vocabulary, shapes, registry and reasoning;
- :mod:`mandategraph.graph`: documents -> facts -> RDF, the store, SPARQL execution;
- :mod:`mandategraph.queries`, :mod:`mandategraph.visualizations`: canned SPARQL,
  networks and pages drawn from the store;
- :mod:`mandategraph.api`: the ways in (HTTP, command line, settings).

This module is the small Python API for notebooks and scripts::

    import mandategraph as mg

    store = mg.open_store("var/store")
    rows = mg.canned("partnerships", store=store)        # pandas.DataFrame(rows) works
    rows = mg.query("SELECT ?s WHERE { ?s a mg:Activity } LIMIT 5", store=store)
    mg.ingest("report.txt", store=mg.open_store("var/store", read_only=False))
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from mandategraph.errors import BadParameterError
from mandategraph.graph.backends import open_store as open_backend
from mandategraph.graph.store import MEMORY, Store
from mandategraph.queries.catalog import get_query

if TYPE_CHECKING:
    from mandategraph.graph.ingest import IngestResult

__all__ = ["IngestResult", "Store", "canned", "ingest", "open_store", "query"]

Row = dict[str, Any]


def __getattr__(name: str) -> Any:
    # the extraction (spaCy and its French tokenizer rules: 3.5 s) is imported when a
    # document is read, not by every command that starts
    if name == "IngestResult":
        from mandategraph.graph.ingest import IngestResult

        return IngestResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(location: str | Path = "var/store", *, read_only: bool = True) -> Store:
    """Open a store: ``"memory"`` for a throw-away one, a SPARQL server's ``http(s)://``
    URL, else a directory.

    Read-only by default, so a notebook can read beside a running server or build.

    Raises:
        mandategraph.errors.StoreError: no store there, or it is locked or damaged.
    """
    if str(location) == MEMORY:
        return Store.open(MEMORY)
    return open_backend(location, read_only=read_only)


def _value(term: Any) -> Any:
    """A result term as a plain Python value: numbers and booleans typed, else text."""
    if term is None:
        return None
    datatype = getattr(getattr(term, "datatype", None), "value", "")
    text = term.value
    if datatype.endswith(("#integer", "#int", "#long", "#decimal", "#double", "#float")):
        try:
            return int(text) if datatype.endswith(("#integer", "#int", "#long")) else float(text)
        except ValueError:
            return text
    if datatype.endswith("#boolean"):
        return text == "true"
    return text


def _rows(results: Any) -> list[Row]:
    """SELECT solutions as one dict per row (ASK: one row ``{"answer": bool}``)."""
    if isinstance(results, ox.QueryBoolean):
        return [{"answer": bool(results)}]
    if isinstance(results, ox.QueryTriples):
        raise BadParameterError(
            "query() answers SELECT and ASK; for CONSTRUCT or DESCRIBE use Store.query"
        )
    names = [variable.value for variable in results.variables]
    return [{name: _value(solution[name]) for name in names} for solution in results]


def query(text: str, *, store: Store, bindings: dict[str, Any] | None = None) -> list[Row]:
    """Run a SPARQL SELECT (or ASK) over the union of the store's graphs.

    The prefixes of :data:`mandategraph.ontology.namespaces.PREFIXES` (``mg:``,
    ``skos:``, ``prov:``...) are predeclared. ``bindings`` maps variable names to
    rdflib terms, bound by a ``VALUES`` block, never pasted as text.

    Returns:
        One dict per solution, numbers as ``int``/``float``, everything else as text.
    """
    return _rows(store.query(text, bindings=bindings))


def canned(name: str, *, store: Store, **params: str) -> list[Row]:
    """Run a canned query (``mandategraph queries`` lists them) with its parameters.

    Raises:
        mandategraph.errors.QueryNotFoundError: no canned query of that name.
        mandategraph.errors.BadParameterError: a parameter it does not take, or a
            value that does not fit.
    """
    return query(get_query(name).on(store.engine).sparql(params), store=store)


def ingest(paths: str | Path | Iterable[str | Path], *, store: Store) -> list[IngestResult]:
    """Read, extract, check and store documents, each into its own named graph.

    The store must be writable (``open_store(..., read_only=False)``); the
    inferred graph is left stale (run ``mandategraph build`` to reason again).
    """
    from mandategraph.graph.mandates import refresh_registry

    if isinstance(paths, str | Path):
        paths = [paths]
    from mandategraph.graph.ingest import ingest as ingest_file

    results = [ingest_file(store, Path(path)) for path in paths]
    refresh_registry(store)
    return results
