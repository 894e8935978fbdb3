"""``mandategraph ingest --workers``: the parallel ingest
(:mod:`mandategraph.graph.parallel_ingest`) with a progress bar and its report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from mandategraph.api.settings import get_settings
from mandategraph.graph.parallel_ingest import ingest_many
from mandategraph.graph.store import Store
from mandategraph.ontology.registry import Registry


def ingest_in_parallel(
    store: Store, files: list[Path], *, workers: int, force: bool, validate: bool,
    out: Console, err: Console, scheduler: str | None = None,
    registry: Registry | None = None,
) -> None:
    """``ingest`` of several files: a progress bar with documents per second, one line per
    stored document, failures reported (exit 3 if every document failed)."""
    from mandategraph.api.cli_documents import warn_if_says_nothing

    def stored(result: Any) -> None:
        for warning in result.warnings:
            err.print(f"[yellow]warning:[/yellow] {result.path.name}: {warning}",
                      highlight=False)
        out.print(f"{result.path.name}: {result.triples} triples into <{result.graph}> "
                  f"({result.kind}, {result.language})", highlight=False)
        warn_if_says_nothing(store, result.graph, result.path.name)

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("ingesting", total=len(files), rate="")
        report = ingest_many(
            store, files, workers=workers or None, scheduler=scheduler, force=force,
            validate=validate,
            max_document_bytes=get_settings().max_document_bytes, on_stored=stored,
            registry=registry,
            progress=lambda done, _total, rate, name: bar.update(
                task, completed=done, description=name, rate=f"{rate:.2f} docs/s"),
        )
    for path in report.skipped:
        err.print(f"skipped {path.name}: already stored with the same content "
                  "(--force ingests it again)", highlight=False)
    for path, exc in report.failures:
        err.print(f"[red]failed[/red] {path.name}: {exc.message}", highlight=False,
                  soft_wrap=True)
    err.print(f"{len(report.stored)} stored, {len(report.skipped)} skipped, "
              f"{len(report.failures)} failed in {report.seconds:.1f} s "
              f"({report.per_second:.2f} documents/s)", highlight=False)
    if report.failures and not report.stored and not report.skipped:
        raise typer.Exit(report.failures[0][1].exit_code)
