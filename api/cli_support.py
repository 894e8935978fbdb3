"""What every command of the ``mandategraph`` command line shares.

The Typer application, the consoles, the error mapping (one line ``error: ...`` and the
error's exit code), the ``--store`` option's value and how a command opens the store.
The commands live in :mod:`mandategraph.api.cli` and in modules of their own
(:mod:`mandategraph.api.cli_documents`, :mod:`mandategraph.api.evaluation`,
:mod:`mandategraph.api.curation`), which all import from here, never from each other.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from mandategraph.api.settings import get_settings
from mandategraph.errors import BadParameterError, MandategraphError, StoreError
from mandategraph.graph.backends import open_store as open_store_at
from mandategraph.graph.sparql_client import is_remote
from mandategraph.graph.store import MEMORY, Store, is_engine_fault, store_fault

app = typer.Typer(
    name="mandategraph",
    help="A knowledge graph of mandates, actors and activities (OAS resolutions and reports).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


class QueryFormat(StrEnum):
    """Output formats of ``mandategraph query``."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    xml = "xml"


def handle_errors(func: F) -> F:
    """Map mandategraph errors to one line on stderr and their exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            try:
                return func(*args, **kwargs)
            except (OSError, RuntimeError) as exc:
                # the engine failing while results are read, after the Store's own calls
                if not is_engine_fault(exc):
                    raise
                raise store_fault(exc, state.store_location or get_settings().store) from exc
        except MandategraphError as exc:
            err.print(f"[red]error:[/red] {exc.message}", highlight=False, soft_wrap=True)
            if exc.detail:
                err.print(exc.detail, highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]



def warn_if_stale(store: Store) -> None:
    """Say so on stderr when ``graph/inferred`` predates the last write."""
    if store.inferred_stale:
        err.print(
            "[yellow]warning:[/yellow] the inferred graph is stale (a build or ingest was "
            "interrupted or ran without reasoning): run 'mandategraph build' or "
            "'mandategraph ingest' with reasoning (needs Java) to repair it",
            highlight=False,
            soft_wrap=True,
        )



class State:
    """Options shared by every command."""

    store_location: str = ""


state = State()


def open_store(*, write: bool) -> Store:
    """Open the configured store, read-only for commands that only read."""
    location = state.store_location or get_settings().store
    if location != MEMORY and not write and not is_remote(location):
        if not Path(location).is_dir():
            raise StoreError(f"no store at {location}: run 'mandategraph build' first")
        return open_store_at(location, read_only=True)
    return open_store_at(location)


def write_output(body: bytes, output: Path | None) -> None:
    """Write ``body`` to ``output`` (whole or not at all), or to stdout when no file is
    given."""
    write_streamed(lambda out: out.write(body), output)


def write_streamed(write: Callable[[BinaryIO], None], output: Path | None) -> None:
    """Write what ``write`` writes to ``output``, whole or not at all (into a file beside
    it, renamed when done), or to stdout when no file is given."""
    if output is None:
        write(sys.stdout.buffer)
        sys.stdout.flush()
        return
    part = output.with_name(output.name + ".part")
    try:
        with part.open("wb") as handle:
            write(handle)
        size = part.stat().st_size
        part.replace(output)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise StoreError(f"cannot write {output}: {exc.strerror}") from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    err.print(f"wrote {size} bytes to {output}", highlight=False)


def print_results(results: Any, fmt: QueryFormat, *, noun: str) -> None:
    """Print query results as a table, or in a SPARQL results / RDF format on stdout.

    Under a table, the count of ``noun`` (singular; "s" added unless there is one).
    """
    import pyoxigraph as ox

    from mandategraph.graph.sparql.results import serialize, to_table

    if fmt is QueryFormat.table:
        table = to_table(results)
        print_table(table.columns, table.rows)
        count = len(table.rows)
        err.print(f"{count} {noun}{'' if count == 1 else 's'}", highlight=False)
        return
    # a CONSTRUCT or DESCRIBE asked as json/xml/csv/tsv: the nearest RDF format
    graph_formats = {"json": "jsonld", "xml": "xml", "csv": "nt", "tsv": "nt"}
    wanted = graph_formats[fmt.value] if isinstance(results, ox.QueryTriples) else fmt.value
    body, _media = serialize(results, wanted)
    sys.stdout.buffer.write(body if body.endswith(b"\n") else body + b"\n")
    sys.stdout.flush()


def print_table(columns: list[str], rows: list[list[str | None]], *, title: str = "",
                markup: bool = False) -> None:
    """Print rows as a table on stdout, long values folded; ``markup``: the cells hold
    rich markup (escaped by the caller)."""
    table = RichTable(title=title or None, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else v if markup else Text(v) for v in row))
    out.print(table)


def check_port(host: str, port: int) -> None:
    """Make sure ``serve`` can listen on ``host:port`` before the server starts.

    Raises:
        BadParameterError: the port is out of range, the host cannot be bound, or the
            port is in use (exit 2, one line, instead of uvicorn's log and exit).
    """
    import errno
    import socket

    if not 0 <= port <= 65535:
        raise BadParameterError(f"--port must be a number from 0 to 65535, got {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise BadParameterError(f"--host {host!r} is not an address to listen on") from exc
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # as uvicorn binds: SO_REUSEADDR, so a port in TIME_WAIT is not taken for in use
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise BadParameterError(
                    f"port {port} on {host} is in use: stop what listens there, or "
                    "choose another with --port"
                ) from exc
            raise BadParameterError(
                f"cannot listen on {host} port {port}: {exc.strerror or exc}"
            ) from exc
