"""``mandategraph search TEXT``, and the search index kept in step with the store.

:func:`refresh_index` rewrites the index file beside an on-disk store once a command's
writes are committed (``build``, ``ingest``, ``remove``); a memory store and a SPARQL
server have none (the index is then built in memory when a search needs it).
"""

from __future__ import annotations

from typing import Annotated

import typer

from mandategraph.api.cli_support import app, err, handle_errors, open_store, print_table
from mandategraph.graph.search import KINDS, index_path, open_index, search, write_index
from mandategraph.graph.sparql_client import is_remote
from mandategraph.graph.store import MEMORY, Store


def refresh_index(location: str) -> None:
    """Rewrite the search index of the on-disk store at ``location`` (closed by now)."""
    if location == MEMORY or is_remote(location):
        return
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
