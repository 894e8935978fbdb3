"""``mandategraph search TEXT``, and the search index kept in step with the store.

:func:`refresh_index` rewrites the index file beside an on-disk store once a command's
writes are committed (``build``, ``ingest``, ``remove``); a memory store and a SPARQL
server have none (the index is then built in memory when a search needs it).
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType
from typing import Annotated

import typer

from mandategraph.api.cli_support import app, err, handle_errors, open_store, print_table
from mandategraph.graph.search import (
    KINDS,
    build_index_file,
    index_path,
    install_index,
    open_index,
    search,
    write_index,
)
from mandategraph.graph.sparql_client import is_remote
from mandategraph.graph.store import MEMORY, Store


class IndexAlongside:
    """The search index of an open store built in a thread, alongside writes that leave
    what it holds as it is (the registry refresh that ends an ``ingest``), so that the
    two share the cores; :func:`refresh_index` then puts it in place.

    ``with IndexAlongside(store, location, start=...) as index:`` starts the thread
    (when ``start``, and the store is on disk) and waits for it at the end of the block,
    before the store is closed; ``index.built`` is then the file built, or None.
    """

    def __init__(self, store: Store, location: str, *, start: bool) -> None:
        self.built: Path | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if start and location != MEMORY and not is_remote(location):
            self._thread = threading.Thread(target=self._build, args=(store, location),
                                            name="search-index", daemon=True)

    def _build(self, store: Store, location: str) -> None:
        try:
            self.built = build_index_file(store, location)
        except BaseException as exc:  # raised again in the command's thread
            self._error = exc

    def __enter__(self) -> IndexAlongside:
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._thread is not None:
            self._thread.join()  # the store must stay open while the thread reads it
        if self._error is not None and exc is None:
            raise self._error


def refresh_index(location: str, *, built: Path | None = None) -> None:
    """Rewrite the search index of the on-disk store at ``location`` (closed by now), or
    put in place the one ``built`` alongside the command's last writes
    (:class:`IndexAlongside`)."""
    if location == MEMORY or is_remote(location):
        return
    if built is not None:
        install_index(built, location)
    else:
        with Store.open(location, read_only=True) as store:
            write_index(store, location)
    err.print(f"search index: {index_path(location)}", highlight=False, markup=False,
              soft_wrap=True)


@app.command("search")
@handle_errors
def search_command(
    text: Annotated[str, typer.Argument(help="Words to find (all must match).")],
    kind: Annotated[str | None, typer.Option(help="activity, mandate, actor or document.")] = (
        None
    ),
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Most results shown.")] = 20,
) -> None:
    """Full-text search: activities, mandates, actors, documents (en/fr/es, accents and
    word endings ignored), best first, with the matching words highlighted."""
    from mandategraph.errors import BadParameterError

    if kind is not None and kind not in KINDS:
        raise BadParameterError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    with open_store(write=False) as store:
        connection = open_index(store)
        total, hits = search(connection, text, kind=kind, limit=limit)
        connection.close()
    rows = [[hit.kind, hit.title,
             "".join(f"[bold yellow]{t}[/bold yellow]" if marked else t.replace("[", r"\[")
                     for t, marked in hit.snippet)]
            for hit in hits]
    print_table(["kind", "title", "snippet"], rows, markup=True)
    err.print(f"{total} result{'' if total == 1 else 's'}", highlight=False)
