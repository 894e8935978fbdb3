"""``mandategraph candidates``: list, accept and reject names the registry lacks.

The decisions go to the registry overlay beside the store
(:func:`mandategraph.graph.curation.overlay_path`), which ``build`` and ``ingest`` use
too, so that an accepted organization stays one and a rejected name stays hidden.
"""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mandategraph.api.cli_support import (
    err,
    handle_errors,
    open_store,
    out,
    print_table,
    state,
    warn_if_stale,
)
from mandategraph.api.settings import get_settings
from mandategraph.errors import BadParameterError, NotFoundError, StoreError
from mandategraph.graph.curation import (
    KINDS,
    Overlay,
    candidates,
    documents_mentioning,
    hide_candidates,
    overlay_path,
    stored_document,
)
from mandategraph.graph.store import MEMORY, Store
from mandategraph.ontology.registry import Registry

app = typer.Typer(
    help="Organization-like names the registry does not know yet, for curation.",
    no_args_is_help=False,
)


class CandidateFormat(StrEnum):
    """Output formats of ``mandategraph candidates``."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


def store_overlay() -> Overlay | None:
    """The registry overlay of the configured store (``None`` for an in-memory store)."""
    location = state.store_location or get_settings().store
    if location == MEMORY:
        return None
    return Overlay.load(overlay_path(location))


def curated_registry() -> tuple[Registry | None, list[str]]:
    """The registry with the overlay's organizations, and the rejected names, for
    ``build`` and ``ingest`` (``None``: the reference registry as it is)."""
    overlay = store_overlay()
    if overlay is None or not (overlay.organizations or overlay.rejected):
        return None, []
    return overlay.registry(), list(overlay.rejected)


def _overlay_or_fail() -> Overlay:
    overlay = store_overlay()
    if overlay is None:
        raise BadParameterError("curation needs a store directory (--store DIR), not memory")
    location = Path(state.store_location or get_settings().store)
    if not location.is_dir():  # open_store(write=True) would create an empty one
        raise StoreError(f"no store at {location}: run 'mandategraph build' first")
    return overlay


@app.callback(invoke_without_command=True)
@handle_errors
def list_candidates(
    ctx: typer.Context,
    fmt: Annotated[CandidateFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CandidateFormat.table
    ),
) -> None:
    """List each candidate with how often it occurs and the sentence it first occurs in."""
    if ctx.invoked_subcommand is not None:
        return
    overlay = store_overlay()
    with open_store(write=False) as store:
        found = candidates(store, hidden=overlay.rejected if overlay else ())
    rows = [[c.name, c.code, str(c.mentions), c.document, c.sentence] for c in found]
    columns = ["name", "code", "mentions", "document", "sentence"]
    if fmt is CandidateFormat.json:
        out.print_json(json.dumps([dict(zip(columns, row, strict=True)) for row in rows]))
    elif fmt in (CandidateFormat.csv, CandidateFormat.tsv):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt is CandidateFormat.csv else "\t",
                            lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
    else:
        print_table(columns, [list(r) for r in rows], title="candidates")
        err.print(f"{len(rows)} candidates", highlight=False)


@app.command("accept")
@handle_errors
def accept(
    name: Annotated[str, typer.Argument(help="The candidate's name or code, as listed.")],
    code: Annotated[str, typer.Option(help="Registry key to give it (CTU, US-DOJ...).")],
    kind: Annotated[str, typer.Option(help="partner, oas_body or funder.")],
    reason: Annotated[bool, typer.Option(help="Refresh HermiT's inferences after.")] = True,
) -> None:
    """Make a candidate a registry organization and extract its documents again."""
    if kind not in KINDS:
        raise BadParameterError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    overlay = _overlay_or_fail()
    settings = get_settings()
    with open_store(write=True) as store:
        documents = documents_mentioning(store, [name])
        if not documents:
            raise NotFoundError(f"no candidate named {name!r} in the store")
        language = stored_document(store, documents[0]).language
        listed = [c for c in candidates(store) if name in (c.name, c.code)]
        overlay.accept(name, code=code, kind=kind, lang=language,
                       context=listed[0].sentence if listed else "")
        registry = overlay.registry()  # checked before anything is written
        _extract_again(store, documents, registry, overlay.rejected,
                       validate=settings.validate_shapes)
        overlay.save()
        _reason(store, reason=reason and settings.reason)
        warn_if_stale(store)
    out.print(f"accepted {name} as {code} ({kind}); {len(documents)} document(s) extracted "
              f"again; overlay: {overlay.path}", highlight=False, markup=False)


@app.command("reject")
@handle_errors
def reject(
    name: Annotated[str, typer.Argument(help="The candidate's name or code, as listed.")],
) -> None:
    """Hide a candidate from the listings and from the graph."""
    overlay = _overlay_or_fail()
    with open_store(write=True) as store:
        if not documents_mentioning(store, [name]):
            raise NotFoundError(f"no candidate named {name!r} in the store")
        overlay.reject(name)
        removed = hide_candidates(store, [name])
        overlay.save()
    out.print(f"rejected {name}: {removed} candidate node(s) removed; overlay: {overlay.path}",
              highlight=False, markup=False)


def _extract_again(store: Store, documents: list[str], registry: Registry,
                   rejected: list[str], *, validate: bool) -> None:
    from mandategraph.graph.build import load_vocabulary
    from mandategraph.graph.ingest import ingest_document

    load_vocabulary(store, registry=registry)
    for document in documents:
        ingest_document(store, stored_document(store, document), validate=validate,
                        registry=registry)
    if rejected:
        hide_candidates(store, rejected)


def _reason(store: Store, *, reason: bool) -> None:
    if not reason:
        return
    from mandategraph.graph.build import materialize_inferences
    from mandategraph.ontology.reasoning import java_available

    if java_available():
        materialize_inferences(store)
