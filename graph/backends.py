"""Which store and which executor a location gets: the embedded Oxigraph store (a
directory, or ``memory``) or a SPARQL server (an ``http(s)://`` URL).

The one place that knows both kinds, so that neither imports the other:
:class:`~mandategraph.graph.remote_store.RemoteStore` is a
:class:`~mandategraph.graph.store.Store`, and
:class:`~mandategraph.graph.sparql.remote_executor.RemoteExecutor` an
:class:`~mandategraph.graph.sparql.executor.Executor`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mandategraph.graph.remote_store import RemoteStore
from mandategraph.graph.sparql.executor import Executor
from mandategraph.graph.sparql.remote_executor import RemoteExecutor
from mandategraph.graph.sparql_client import is_remote
from mandategraph.graph.store import MEMORY, Store


def open_store(location: str | Path = MEMORY, *, read_only: bool = False) -> Store:
    """Open the store at ``location``: a SPARQL server's URL, a directory or ``memory``.

    Args:
        location: ``http(s)://[user:password@]host:port/[path]`` for a server
            (:mod:`mandategraph.graph.remote_store`), else as :meth:`Store.open`.
        read_only: no writes through this store (on disk: no write lock taken).

    Raises:
        StoreError: the server cannot be reached, the URL is of another scheme, or the
            directory cannot be opened (see :meth:`Store.open`).
    """
    if is_remote(location):
        return RemoteStore.open(str(location), read_only=read_only)
    return Store.open(location, read_only=read_only)


def executor_for(store: Store, **options: Any) -> Executor:
    """The executor of an open store (``options``: those of :class:`Executor`)."""
    if isinstance(store, RemoteStore):
        return RemoteExecutor(store, **options)
    return Executor.for_store(store, **options)
