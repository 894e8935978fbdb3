"""The ``mandategraph`` command line.

Exit codes (see :mod:`mandategraph.errors`): 0 ok, 1 unexpected error, 2 bad option or
value, 3 document not readable or not extractable, 4 not found, 5 SPARQL syntax,
6 query timeout, 7 store unavailable, 8 validation failed, 9 forbidden, 10 check failed.
User mistakes print one line ``error: ...`` on stderr, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from mandategraph.api import (
    cli_corpus,
    cli_documents,
    cli_reviews,
    cli_search,
    curation,
    evaluation,
)
from mandategraph.api.cli_network import register as register_network
from mandategraph.api.cli_support import (
    QueryFormat,
    app,
    check_port,
    err,
    handle_errors,
    open_store,
    out,
    print_results,
    print_table,
    state,
    warn_if_stale,
    write_output,
    write_streamed,
)
from mandategraph.api.codes import check_codes
from mandategraph.api.settings import get_settings
from mandategraph.errors import BadParameterError, DocumentError, ForbiddenError, StoreError
from mandategraph.graph.backends import open_store as open_store_at
from mandategraph.graph.curation import hide_candidates
from mandategraph.graph.sparql.formats import EXPORT_FORMATS
from mandategraph.graph.store import MEMORY, Store
from mandategraph.queries.summaries import Summary, canned_sparql, fresh, summarize

#: The commands of other modules, named here so that importing this module adds them.
MORE_COMMANDS = (cli_corpus, cli_documents, cli_reviews, cli_search)


class ExportFormat(StrEnum):
    """Output formats of ``mandategraph export``."""

    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"
    xml = "xml"


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


# -- build and ingest ------------------------------------------------------------------


@app.command()
@handle_errors
def build(
    corpus: Annotated[
        Path | None, typer.Option(help="Folder of documents (default: the bundled corpus/).")
    ] = None,
    validate: Annotated[bool, typer.Option(help="Check SHACL shapes before storing.")] = True,
    reason: Annotated[bool, typer.Option(help="Materialize HermiT's inferences.")] = True,
    summarize: Annotated[bool, typer.Option(
        help="Store the canned queries' summaries at the end (see 'summarize').")] = True,
) -> None:
    """Build the graph: ontology, reference data, every corpus document, inferences,
    the canned queries' summaries."""
    from mandategraph.graph.build import build as run_build

    settings = get_settings()
    folder = corpus or settings.corpus
    registry, rejected = curation.curated_registry()
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
            registry=registry,
        )
        if rejected:
            hide_candidates(store, rejected)
        if summarize:
            progress.update(task, description="summarizing the canned queries")
            store_summaries(store)
        stats = store.stats()
        warn_if_stale(store)
    cli_search.refresh_index(state.store_location or settings.store)
    for path, exc in report.failures:
        err.print(f"[red]skipped[/red] {path.name}: {exc.message}", highlight=False)
    # the title on a line of its own: as the table's title it wraps to the table's width
    out.print(f"built {state.store_location} in {report.seconds:.1f} s", highlight=False,
              markup=False, soft_wrap=True)
    table = RichTable()
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
        "Extract in N processes (default, and 0: every core), skipping files stored "
        "with the same content hash (resumable). Several files go this way by default; "
        "one file is ingested in this process unless --workers is given."))] = None,
    scheduler: Annotated[str | None, typer.Option(help=(
        "A dask.distributed scheduler (tcp://host:port): its workers extract."))] = None,
    force: Annotated[bool, typer.Option(help="Ingest files stored with the same content "
                                              "too (parallel path).")] = False,
) -> None:
    """Ingest documents, each replacing its own named graph (idempotent)."""
    from mandategraph.graph.build import materialize_inferences
    from mandategraph.graph.ingest import ingest as run_ingest
    from mandategraph.graph.mandates import refresh_registry

    if lang is not None and lang not in ("fr", "en", "es"):
        raise BadParameterError(f"--lang must be fr, en or es, not {lang!r}")
    if kind is not None and kind not in ("report", "resolution"):
        raise BadParameterError(f"--kind must be report or resolution, not {kind!r}")
    from mandategraph.graph.extraction.readers import check_size

    cli_documents.quiet_pdf_warnings()
    settings = get_settings()
    for path in files:
        if not path.is_file():
            raise DocumentError(f"no such file: {path}")
        # every file, before the store is opened: nothing is written
        check_size(path, max_bytes=settings.max_document_bytes)
    registry, rejected = curation.curated_registry()
    with open_store(write=True) as store:
        from mandategraph.ontology.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH

        stored = {counted.graph for counted in store.graphs()}
        if not {str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH)} <= stored:
            # a first ingest, or one killed between the two vocabulary graphs
            from mandategraph.graph.build import load_vocabulary

            load_vocabulary(store, registry=registry)
        parallel = workers is not None or scheduler is not None or (
            len(files) > 1 and lang is None and kind is None)
        if parallel:
            if lang is not None or kind is not None:
                raise BadParameterError("--lang and --kind go without --workers/--scheduler")
            if scheduler is not None and not scheduler.startswith(("tcp://", "tls://")):
                raise BadParameterError(
                    f"--scheduler must be a tcp:// or tls:// address, not {scheduler!r}")
            from mandategraph.api.cli_ingest import ingest_in_parallel

            ingest_in_parallel(store, files, workers=workers or 0, scheduler=scheduler,
                               force=force, validate=validate and settings.validate_shapes,
                               out=out, err=err, registry=registry)
            if rejected:
                hide_candidates(store, rejected)
        for path in files if not parallel else []:
            result = run_ingest(
                store,
                path,
                lang=lang,
                kind=kind,
                validate=validate and settings.validate_shapes,
                max_document_bytes=settings.max_document_bytes,
                registry=registry,
            )
            if rejected:
                hide_candidates(store, rejected)
            for warning in result.warnings:
                err.print(f"[yellow]warning:[/yellow] {path.name}: {warning}", highlight=False)
            out.print(
                f"{path.name}: {result.triples} triples into <{result.graph}> "
                f"({result.kind}, {result.language})",
                highlight=False, soft_wrap=True,
            )
            cli_documents.warn_if_says_nothing(store, result.graph, path.name)
        refresh_registry(store)
        if reason and settings.reason:
            from mandategraph.ontology.reasoning import java_available

            # also repairs an inferred graph left stale by an interrupted run
            if java_available():
                materialize_inferences(store)
        warn_if_stale(store)
    cli_search.refresh_index(state.store_location or settings.store)


# -- reading ---------------------------------------------------------------------------




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
    page: Annotated[
        int | None,
        typer.Option(help="Only this page of a canned query's rows (from 1); default: all."),
    ] = None,
    page_size: Annotated[
        int | None, typer.Option(help="Rows per page (default: MANDATEGRAPH_PAGE_SIZE).")
    ] = None,
) -> None:
    """Run a canned query, a .rq file or SPARQL text; print a table or SPARQL results."""
    from mandategraph.queries.catalog import QUERIES_DIR, Page, get_query, load_query

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
        if page is not None:
            raise BadParameterError("--page goes with a canned query, not with --text")
    else:
        assert name is not None
        if name.endswith(".rq") or Path(name).is_file():
            path = Path(name)
            if not path.is_file():
                raise DocumentError(f"no such query file: {path}")
            # the header is the canned queries' contract; a file of one's own needs none
            canned = load_query(path, header_required=path.resolve().parent == QUERIES_DIR)
        else:
            canned = get_query(name)
        size = page_size or get_settings().page_size
        chosen = None if page is None else Page(page, size)
        with open_store(write=False) as store:
            if values:
                check_codes(store, values)
            # a canned query with a fresh summary reads it (a file of one's own has none)
            sparql = canned_sparql(store, canned, values, page=chosen, next_row=False)
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
            print_results(store.query(sparql), fmt, noun="row")
            return

        def run() -> None:
            try:
                print_results(store.query(sparql), fmt, noun="row")
            except PermissionError as exc:
                raise ForbiddenError(
                    "a query run here cannot reach the network (SERVICE, LOAD)"
                ) from exc

        run_isolated(run)


@app.command()
@handle_errors
def check(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv or html.")] = "table",
    fail_on: Annotated[str | None, typer.Option(help="Exit 10 on these kinds (a,b,...).")] = None,
    only: Annotated[str | None, typer.Option(help="Run only these kinds.")] = None,
    resolution: Annotated[str | None, typer.Option(help="Only this resolution.")] = None,
) -> None:
    """Compliance checks; exit 10 on a --fail-on finding, 6 when a query times out."""
    from mandategraph.api.compliance import FINDINGS_EXIT, check_store, parse_kinds, render

    failing = parse_kinds(fail_on)
    with open_store(write=False) as store:
        findings = check_store(store, kinds=parse_kinds(only), resolution=resolution)
    if fmt != "table":
        sys.stdout.write(render(findings, fmt))
    else:  # kinds: no-activity, not-acted-on, no-mandate, mismatch, dropped, renewal
        print_table(["kind", "subject", "detail", "evidence"], render(findings, "rows"))
    if any(f.kind in failing for f in findings):
        raise typer.Exit(FINDINGS_EXIT)


@app.command("queries")
@handle_errors
def list_queries() -> None:
    """List the canned queries with their parameters."""
    from mandategraph.queries.catalog import load_catalog

    rows = [
        [q.name, q.summary, ", ".join(f"{p.name}:{p.type}" for p in q.params)]
        for q in load_catalog().values()
    ]
    print_table(["name", "summary", "params"], rows)


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
        # written as it is read: a store of 10,000 reports is gigabytes of N-Quads
        write_streamed(functools.partial(store.export_to, fmt.value), output)


@app.command()
@handle_errors
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Figures of the graph: documents, resolutions, mandates, activities, actors."""
    with open_store(write=False) as store:
        figures = store.stats()
        # the canned queries answered from a summary (the others run themselves)
        figures["fresh summaries"] = len(fresh(store))
        warn_if_stale(store)
    if as_json:
        out.print_json(json.dumps(figures))
        return
    rows = [[k, str(v)] for k, v in figures.items() if k != "graphs"]
    rows += [[f"graph <{g}>", str(n)] for g, n in figures["graphs"].items()]
    print_table(["what", "count"], rows)


@app.command("register-graphs")
@handle_errors
def register_graphs() -> None:
    """After a bulk load into a SPARQL server: record its graphs for the union (one scan)."""
    from mandategraph.graph.remote_store import RemoteStore

    with open_store(write=True) as store:
        if not isinstance(store, RemoteStore) or store.server.union_param:
            out.print("this store's union is every named graph: nothing to record",
                      highlight=False)
            return
        names = store.register_graphs()
    out.print(f"{len(names)} graphs recorded for the union", highlight=False)


@app.command("summarize")
@handle_errors
def summarize_queries(
    names: Annotated[list[str] | None, typer.Argument(
        help="Canned queries to summarize (default: every one that has a summary).")] = None,
    timeout: Annotated[float | None, typer.Option(
        help="Seconds each query may take on a SPARQL server (default: the store's).")] = None,
) -> None:
    """Compute the canned queries' whole answers and store them with the data, so that
    they answer at once until the next write (which makes them stale: the queries then
    run themselves). Run it after loading a large corpus."""
    with open_store(write=True) as store:
        done = store_summaries(store, names or None, timeout=timeout)
    print_table(["query", "rows", "seconds"],
                [[s.name, "failed" if s.error else str(s.rows), f"{s.seconds:.2f}"]
                 for s in done])
    failed = [s for s in done if s.error]
    if failed:
        raise StoreError(f"{len(failed)} of {len(done)} summaries could not be stored "
                         f"({', '.join(s.name for s in failed)}): those queries answer "
                         "themselves")


def store_summaries(store: Store, names: list[str] | None = None, *,
                    timeout: float | None = None) -> list[Summary]:
    """Summarize the canned queries on ``store``, telling each on stderr."""
    def told(summary: Summary) -> None:
        if summary.error:
            err.print(f"[red]no summary of {summary.name}[/red]: {summary.error}",
                      highlight=False)
        else:
            err.print(f"summary of {summary.name}: {summary.rows} rows "
                      f"({summary.seconds:.2f} s)", highlight=False)

    return summarize(store, names, timeout=timeout, progress=told)


app.add_typer(curation.app, name="candidates")
app.command("evaluate")(handle_errors(evaluation.evaluate))


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
    host, port = host or settings.host, settings.port if port is None else port
    check_port(host, port)
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
        host=host,
        port=port,
        log_level="info",
    )


register_network(app, open_store=open_store, handle_errors=handle_errors,
                 write_output=write_output)


if __name__ == "__main__":  # pragma: no cover
    app()
