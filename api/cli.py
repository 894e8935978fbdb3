"""The ``mandategraph`` command line.

Exit codes (see :mod:`mandategraph.errors`): 0 ok, 1 unexpected error, 2 bad option or
value, 3 document not readable or not extractable, 4 not found, 5 SPARQL syntax,
6 query timeout, 7 store unavailable, 8 validation failed, 9 forbidden.
User mistakes print one line ``error: ...`` on stderr, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from mandategraph.api.settings import get_settings
from mandategraph.errors import (
    BadParameterError,
    DocumentError,
    ForbiddenError,
    MandategraphError,
    StoreError,
)
from mandategraph.graph.backends import open_store as open_store_at
from mandategraph.graph.sparql.formats import EXPORT_FORMATS
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


class ExportFormat(StrEnum):
    """Output formats of ``mandategraph export``."""

    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"
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


@app.callback()
def main(
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            envvar="MANDATEGRAPH_STORE",
            help=(
                "Store directory, 'memory', or a SPARQL server's http(s):// URL. "
                "Default: the MANDATEGRAPH_STORE setting."
            ),
        ),
    ] = None,
) -> None:
    """mandategraph: who was mandated to do what, who did it, with whom, for whom."""
    state.store_location = store or get_settings().store


def open_store(*, write: bool) -> Store:
    """Open the configured store, read-only for commands that only read."""
    location = state.store_location or get_settings().store
    if location != MEMORY and not write and not is_remote(location):
        if not Path(location).is_dir():
            raise StoreError(f"no store at {location}: run 'mandategraph build' first")
        return open_store_at(location, read_only=True)
    return open_store_at(location)


# -- build and ingest ------------------------------------------------------------------


@app.command()
@handle_errors
def build(
    corpus: Annotated[
        Path | None, typer.Option(help="Folder of documents (default: the bundled corpus/).")
    ] = None,
    validate: Annotated[bool, typer.Option(help="Check SHACL shapes before storing.")] = True,
    reason: Annotated[bool, typer.Option(help="Materialize HermiT's inferences.")] = True,
) -> None:
    """Build the graph: ontology, reference data, every corpus document, inferences."""
    from mandategraph.graph.build import build as run_build

    settings = get_settings()
    folder = corpus or settings.corpus
    with open_store(write=True) as store, Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=err, transient=True,
    ) as progress:
        task = progress.add_task("building", total=None)
        report = run_build(
            store,
            corpus=folder,
            validate=validate and settings.validate_shapes,
            reason=reason and settings.reason,
            progress=lambda message: progress.update(task, description=message),
            max_document_bytes=settings.max_document_bytes,
        )
        stats = store.stats()
        warn_if_stale(store)
    for path, exc in report.failures:
        err.print(f"[red]skipped[/red] {path.name}: {exc.message}", highlight=False)
    table = RichTable(title=f"built {state.store_location} in {report.seconds:.1f} s")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents ingested", str(len(report.documents)))
    table.add_row("documents failed", str(len(report.failures)))
    for key in ("resolutions", "mandates", "activities", "organizations", "states"):
        table.add_row(key, str(stats[key]))
    table.add_row("ontology triples", str(report.ontology_triples))
    table.add_row("reference triples", str(report.reference_triples))
    table.add_row(
        "inferred triples", str(report.inferred_triples) if report.reasoned else "not reasoned"
    )
    table.add_row("triples in all", str(stats["triples"]))
    out.print(table)
    if report.failures and not report.documents:
        raise typer.Exit(report.failures[0][1].exit_code)


@app.command()
@handle_errors
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Document files to ingest.")],
    lang: Annotated[str | None, typer.Option(help="fr, en or es (default: detected).")] = None,
    kind: Annotated[
        str | None, typer.Option(help="report or resolution (default: detected).")
    ] = None,
    validate: Annotated[bool, typer.Option(help="Check SHACL shapes before storing.")] = True,
    reason: Annotated[bool, typer.Option(help="Refresh HermiT's inferences after.")] = True,
    workers: Annotated[int | None, typer.Option(min=0, help=(
        "Extract in N processes (0: every core), skipping files stored with the same "
        "content hash (resumable)."))] = None,
    force: Annotated[bool, typer.Option(help="With --workers: ingest stored files too.")] = False,
) -> None:
    """Ingest documents, each replacing its own named graph (idempotent)."""
    from mandategraph.graph.build import materialize_inferences
    from mandategraph.graph.ingest import ingest as run_ingest

    if lang is not None and lang not in ("fr", "en", "es"):
        raise BadParameterError(f"--lang must be fr, en or es, not {lang!r}")
    if kind is not None and kind not in ("report", "resolution"):
        raise BadParameterError(f"--kind must be report or resolution, not {kind!r}")
    from mandategraph.graph.extraction.readers import check_size

    settings = get_settings()
    for path in files:
        if not path.is_file():
            raise DocumentError(f"no such file: {path}")
        # every file, before the store is opened: nothing is written
        check_size(path, max_bytes=settings.max_document_bytes)
    with open_store(write=True) as store:
        from mandategraph.ontology.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH

        stored = {counted.graph for counted in store.graphs()}
        if not {str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH)} <= stored:
            # a first ingest, or one killed between the two vocabulary graphs
            from mandategraph.graph.build import load_vocabulary

            load_vocabulary(store)
        if workers is not None:
            if lang is not None or kind is not None:
                raise BadParameterError("--lang and --kind go without --workers")
            from mandategraph.api.cli_ingest import ingest_in_parallel

            ingest_in_parallel(store, files, workers=workers, force=force,
                               validate=validate and settings.validate_shapes, out=out, err=err)
        for path in files if workers is None else []:
            result = run_ingest(
                store,
                path,
                lang=lang,
                kind=kind,
                validate=validate and settings.validate_shapes,
                max_document_bytes=settings.max_document_bytes,
            )
            for warning in result.warnings:
                err.print(f"[yellow]warning:[/yellow] {path.name}: {warning}", highlight=False)
            out.print(
                f"{path.name}: {result.triples} triples into <{result.graph}> "
                f"({result.kind}, {result.language})",
                highlight=False,
            )
        if reason and settings.reason:
            from mandategraph.ontology.reasoning import java_available

            # also repairs an inferred graph left stale by an interrupted run
            if java_available():
                materialize_inferences(store)
        warn_if_stale(store)


# -- reading ---------------------------------------------------------------------------


def write_output(body: bytes, output: Path | None) -> None:
    """Write ``body`` to ``output``, or to stdout when no file is given."""
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(body)
    except OSError as exc:
        raise StoreError(f"cannot write {output}: {exc.strerror}") from exc
    err.print(f"wrote {len(body)} bytes to {output}", highlight=False)


def print_results(results: Any, fmt: QueryFormat, *, noun: str) -> None:
    """Print query results as a table, or in a SPARQL results / RDF format on stdout."""
    import pyoxigraph as ox

    from mandategraph.graph.sparql.results import serialize, to_table

    if fmt is QueryFormat.table:
        table = to_table(results)
        _print_table(table.columns, table.rows)
        err.print(f"{len(table.rows)} {noun}", highlight=False)
        return
    # a CONSTRUCT or DESCRIBE asked as json/xml/csv/tsv: the nearest RDF format
    graph_formats = {"json": "jsonld", "xml": "xml", "csv": "nt", "tsv": "nt"}
    wanted = graph_formats[fmt.value] if isinstance(results, ox.QueryTriples) else fmt.value
    body, _media = serialize(results, wanted)
    sys.stdout.buffer.write(body if body.endswith(b"\n") else body + b"\n")
    sys.stdout.flush()


def _print_table(columns: list[str], rows: list[list[str | None]], *, title: str = "") -> None:
    table = RichTable(title=title or None, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else v for v in row))
    out.print(table)


@app.command()
@handle_errors
def query(
    name: Annotated[
        str | None,
        typer.Argument(help="A canned query's name (see 'mandategraph queries') or a .rq file."),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="SPARQL text to run.")] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="NAME=VALUE for a canned query's parameter."),
    ] = None,
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f", help="Output format.")] = (
        QueryFormat.table
    ),
) -> None:
    """Run a canned query, a .rq file or SPARQL text; print a table or SPARQL results."""
    from mandategraph.queries.catalog import get_query, load_query

    if (name is None) == (text is None):
        raise BadParameterError("give a query name or file, or --text, not both")
    values: dict[str, str] = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise BadParameterError(f"--param takes NAME=VALUE, got {item!r}")
        values[key.strip()] = value
    if text is not None:
        sparql = text
        if values:
            raise BadParameterError("--param goes with a canned query, not with --text")
    else:
        assert name is not None
        if name.endswith(".rq") or Path(name).is_file():
            path = Path(name)
            if not path.is_file():
                raise DocumentError(f"no such query file: {path}")
            canned = load_query(path)
        else:
            canned = get_query(name)
        sparql = canned.sparql(values)
    run_user_query(sparql, fmt)


def run_user_query(sparql: str, fmt: QueryFormat) -> None:
    """Check a query's size and nesting, then run and print it on a query thread.

    The thread has a deep stack and no network (:mod:`mandategraph.graph.sparql.sandbox`), as the
    server's workers do: a deep query is refused instead of crashing the process,
    and a ``SERVICE`` or ``LOAD`` cannot reach any host.
    """
    from mandategraph.graph.sparql.guard import check_shape
    from mandategraph.graph.sparql.sandbox import run_isolated

    check_shape(sparql, max_bytes=get_settings().max_query_bytes)
    with open_store(write=False) as store:
        if store.remote:
            # the server runs it: a thread without network could not reach it, so the
            # safety rules are read from the text instead (issue 16)
            from mandategraph.graph.sparql.remote_executor import check_remote_text

            check_remote_text(sparql, allowlist=get_settings().service_allowlist)
            print_results(store.query(sparql), fmt, noun="rows")
            return

        def run() -> None:
            try:
                print_results(store.query(sparql), fmt, noun="rows")
            except PermissionError as exc:
                raise ForbiddenError(
                    "a query run here cannot reach the network (SERVICE, LOAD)"
                ) from exc

        run_isolated(run)


@app.command("queries")
@handle_errors
def list_queries() -> None:
    """List the canned queries with their parameters."""
    from mandategraph.queries.catalog import load_catalog

    rows = [
        [q.name, q.summary, ", ".join(f"{p.name}:{p.type}" for p in q.params)]
        for q in load_catalog().values()
    ]
    _print_table(["name", "summary", "params"], rows)


@app.command()
@handle_errors
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Serialization.")] = (
        ExportFormat.trig
    ),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export the store: nq/trig/jsonld keep the named graphs, ttl/nt/xml give the union."""
    assert fmt.value in EXPORT_FORMATS
    with open_store(write=False) as store:
        body = store.export(fmt.value)
    write_output(body, output)


@app.command()
@handle_errors
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Figures of the graph: documents, resolutions, mandates, activities, actors."""
    with open_store(write=False) as store:
        figures = store.stats()
        warn_if_stale(store)
    if as_json:
        out.print_json(json.dumps(figures))
        return
    rows = [[k, str(v)] for k, v in figures.items() if k != "graphs"]
    rows += [[f"graph <{g}>", str(n)] for g, n in figures["graphs"].items()]
    _print_table(["what", "count"], rows)


CANDIDATES = """
SELECT ?name (COUNT(DISTINCT ?span) AS ?mentions) (SAMPLE(?doc) AS ?document)
       (SAMPLE(?q) AS ?quote)
WHERE {
  ?candidate a mg:Candidate ; rdfs:label ?name ; dcterms:isPartOf ?doc .
  OPTIONAL { ?candidate prov:wasDerivedFrom ?span . ?span mg:quote ?q }
}
GROUP BY ?name
ORDER BY DESC(?mentions) ?name
"""


@app.command()
@handle_errors
def candidates(
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f", help="Output format.")] = (
        QueryFormat.table
    ),
) -> None:
    """Organization-like names the registry does not know yet, for curation."""
    with open_store(write=False) as store:
        print_results(store.query(CANDIDATES), fmt, noun="candidates")


@app.command()
@handle_errors
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold YAML file (format of the seed's gold).")],
    document: Annotated[Path, typer.Argument(help="The document the gold annotates.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    show_misses: Annotated[bool, typer.Option("--misses", help="List misses and extras.")] = (
        False
    ),
) -> None:
    """Score the extraction of DOCUMENT against GOLD: precision / recall / F1 per field."""
    from mandategraph.graph.extraction.evaluate import evaluate as run_evaluate
    from mandategraph.graph.extraction.readers import read_document

    if not gold.is_file():
        raise DocumentError(f"no such gold file: {gold}")
    report = run_evaluate(gold, read_document(document))
    rows = report.table()
    if as_json:
        out.print_json(json.dumps({
            "fields": rows,
            "pairs": {"must": len(report.must & report.pairs_found), "must_total": len(report.must),
                      "should": len(report.should & report.pairs_found),
                      "should_total": len(report.should),
                      "extra": [list(p) for p in report.extra_pairs]},
        }))
        return
    _print_table(["field", "tp", "fp", "fn", "precision", "recall", "f1"],
                 [[str(r[k]) for k in ("field", "tp", "fp", "fn", "precision", "recall", "f1")]
                  for r in rows], title=f"{document.name} against {gold.name}")
    if report.must or report.should:
        out.print(f"partnership pairs: must {len(report.must & report.pairs_found)}/"
                  f"{len(report.must)}, should {len(report.should & report.pairs_found)}/"
                  f"{len(report.should)}, not in the gold {len(report.extra_pairs)}",
                  highlight=False)
    if show_misses:
        for line in report.misses():
            out.print(f"missed  {line}", highlight=False, markup=False)
        for line in report.extras():
            out.print(f"extra   {line}", highlight=False, markup=False)
        for a, b in report.extra_pairs:
            out.print(f"extra   pair: {a} - {b}", highlight=False, markup=False)


class NetworkFormat(StrEnum):
    """Output formats of ``mandategraph network``."""

    table = "table"
    html = "html"
    json = "json"
    graphml = "graphml"


@app.command()
@handle_errors
def network(
    fmt: Annotated[NetworkFormat, typer.Option("--format", "-f", help="Output format.")] = (
        NetworkFormat.table
    ),
    theme: Annotated[str | None, typer.Option(help="Only activities of this theme key.")] = None,
    state: Annotated[
        str | None, typer.Option(help="Only activities for this state (ISO alpha-3).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Who works with whom: the partnership network, its metrics, an interactive page."""
    import io

    import networkx as nx

    from mandategraph.visualizations.partnerships import (
        metrics,
        partnership_graph,
        to_html,
        to_json,
    )

    with open_store(write=False) as store:
        graph = partnership_graph(store, theme=theme, state=state)
    if fmt is NetworkFormat.table:
        rows = [[m.code, m.kind, str(m.activities), str(m.partners), str(m.shared_activities),
                 f"{m.betweenness:.3f}", str(m.community)] for m in metrics(graph)]
        _print_table(["actor", "kind", "activities", "partners", "shared", "betweenness",
                      "community"], rows)
        return
    if fmt is NetworkFormat.html:
        body = to_html(graph).encode("utf-8")
    elif fmt is NetworkFormat.json:
        body = json.dumps(to_json(graph), indent=2).encode("utf-8")
    else:
        buffer = io.BytesIO()
        plain = nx.Graph()
        plain.add_nodes_from(graph.nodes(data=True))
        for a, b, data in graph.edges(data=True):
            plain.add_edge(a, b, weight=data["weight"], activities=" | ".join(data["activities"]))
        nx.write_graphml(plain, buffer)
        body = buffer.getvalue()
    write_output(body, output)


def settings_help() -> str:
    """One line per setting, for ``serve --help``."""
    from mandategraph.api.settings import Settings

    lines = ["Settings (environment variables):\n\n"]
    for name, field in Settings.model_fields.items():
        lines.append(f"MANDATEGRAPH_{name.upper()}: {field.description}\n\n")
    return "".join(lines)


@app.command(epilog=settings_help())
@handle_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (MANDATEGRAPH_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (MANDATEGRAPH_PORT).")] = None,
) -> None:
    """Serve the graph over HTTP (settings: see the README, all MANDATEGRAPH_*)."""
    import os

    import uvicorn

    settings = get_settings()
    location = state.store_location or settings.store
    if location != MEMORY:
        # open it once here: a damaged or missing store is one line and exit 7, not a
        # traceback from the server's startup
        with open_store_at(location, read_only=True) as store:
            store.query("ASK { ?s ?p ?o }")
            warn_if_stale(store)
    os.environ["MANDATEGRAPH_STORE"] = location
    get_settings.cache_clear()
    uvicorn.run(
        "mandategraph.api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


if __name__ == "__main__":  # pragma: no cover
    app()
