"""``mandategraph generate-corpus``: a synthetic corpus of report and resolution texts
(:mod:`mandategraph.graph.synthetic_corpus`) for benchmarks and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mandategraph.api.cli_support import app, err, handle_errors
from mandategraph.errors import BadParameterError
from mandategraph.graph.synthetic_corpus import write_corpus


@app.command("generate-corpus")
@handle_errors
def generate_corpus(
    out: Annotated[Path, typer.Option(help="Folder the documents are written into.")],
    count: Annotated[int, typer.Option(min=1, help="Number of documents.")] = 100,
    seed: Annotated[int, typer.Option(help="The same seed gives the same bytes.")] = 0,
    gold: Annotated[bool, typer.Option(help="Write each document's .gold.yaml too.")] = True,
) -> None:
    """Write COUNT synthetic reports and resolutions (en, fr, es) with the layout and noise
    of text taken out of PDFs, and the facts each one states (gold files)."""
    if out.exists() and not out.is_dir():
        raise BadParameterError(f"--out is a file, not a folder: {out}")
    files = write_corpus(out, count=count, seed=seed, gold=gold)
    err.print(f"{len(files)} documents written to {out} (seed {seed})", highlight=False,
              soft_wrap=True)
