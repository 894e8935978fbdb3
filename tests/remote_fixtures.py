"""Fixtures of the store backends: embedded, Oxigraph server, Virtuoso.

``backend`` is parametrized over the three; ``open_backend()`` gives an empty, writable
store on it (the servers are started once per session and emptied between tests).
Registered by ``tests/conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mandategraph.graph.backends import open_store
from mandategraph.graph.remote_store import META_GRAPH, RemoteStore
from mandategraph.graph.store import Store
from mandategraph.queries.summaries import SUMMARY_GRAPH
from tests.remote_servers import (
    oxigraph_binary,
    oxigraph_server,
    virtuoso_binaries,
    virtuoso_server,
)
from tests.support import unavailable

BACKENDS = ["embedded", "oxigraph", "virtuoso"]


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on loopback for the whole session."""
    if oxigraph_binary() is None:
        unavailable("the oxigraph server (pip install oxigraph, a test extra)")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="session")
def virtuoso_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Virtuoso on loopback for the whole session."""
    if virtuoso_binaries() is None:
        unavailable("Virtuoso (Debian: virtuoso-opensource; scripts/install-system-deps.sh)")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as url:
        yield url


def wipe(store: RemoteStore) -> None:
    """Drop every graph mandategraph wrote on a server (its own graphs, bookkeeping, the
    tests' example graphs), never the server's own."""
    # the FILTER keeps every graph; without it Virtuoso takes 31 s over 6,000 graphs
    rows = store.select_raw("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?g)) }",
                            dataset=False)
    names = [row["g"].value for row in rows]  # type: ignore[index, union-attr]
    ours = [n for n in names if store.is_project_graph(n) or n == META_GRAPH
            or n.startswith(("http://example.org/", SUMMARY_GRAPH))]
    for start in range(0, len(ours), 200):  # Virtuoso refuses an update of 6,000 drops
        store.update_raw(" ;\n".join(f"DROP SILENT GRAPH <{n}>" for n in ours[start:start + 200]))


def backend_location(request: pytest.FixtureRequest, name: str, tmp_path: Path) -> str:
    """Where a store of backend ``name`` lives for one test (servers emptied first)."""
    if name == "embedded":
        return str(tmp_path / "store")
    url = request.getfixturevalue(f"{name}_url")
    with RemoteStore.open(url) as store:
        wipe(store)
    return str(url)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The location of an empty store on each backend in turn."""
    return backend_location(request, request.param, tmp_path)


@pytest.fixture()
def open_backend(backend: str) -> Iterator[Callable[..., Store]]:
    """Open (read-write by default) stores at ``backend``; all are closed after the test."""
    opened: list[Store] = []

    def open_(*, read_only: bool = False) -> Store:
        store = open_store(backend, read_only=read_only)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()
