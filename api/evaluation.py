"""``mandategraph evaluate``: score the extraction against gold annotations.

Two forms:

* ``evaluate GOLD DOCUMENT`` extracts one document in memory and scores it field by
  field against a gold file in the seed's format
  (:mod:`mandategraph.graph.extraction.evaluate`);
* ``evaluate --corpus DIR`` scores every document of DIR that has a ``NAME.gold.yaml``
  beside it as ``shared/tools/score-corpus DIR`` does: each report is built in a fresh
  store with the folder's resolutions (the gold files whose ``document.kind`` is
  ``resolution``), the canned queries ``activities``, ``partnerships`` and ``mandates``
  are run, and :mod:`mandategraph.graph.scoring` compares their rows with the gold.

A file that is not a gold file (a corpus sidecar ``.yaml``, any other YAML) is refused
with exit code 2.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from mandategraph.api.cli_support import err, out, print_table
from mandategraph.api.settings import get_settings
from mandategraph.errors import BadParameterError, DocumentError, MandategraphError
from mandategraph.graph.ingest import DOCUMENT_SUFFIXES
from mandategraph.graph.scoring import (
    FIELDS,
    Count,
    DocumentScore,
    load_gold_file,
    score_report,
    total,
)
from mandategraph.graph.sparql.results import to_table
from mandategraph.graph.store import MEMORY, Store

GOLD_SUFFIX = ".gold.yaml"
QUERIES = ("activities", "partnerships", "mandates")


class EvaluateFormat(StrEnum):
    """Output formats of ``mandategraph evaluate``."""

    table = "table"
    json = "json"


def evaluate(
    gold: Annotated[
        Path | None, typer.Argument(help="Gold YAML file (format of the seed's gold).")
    ] = None,
    document: Annotated[
        Path | None, typer.Argument(help="The document the gold annotates.")
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(help="Score every document of this folder that has NAME.gold.yaml."),
    ] = None,
    fmt: Annotated[EvaluateFormat, typer.Option("--format", "-f", help="Output format.")] = (
        EvaluateFormat.table
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    reason: Annotated[
        bool, typer.Option(help="With --corpus: materialize HermiT's inferences, as build.")
    ] = True,
    show_misses: Annotated[bool, typer.Option("--misses", help="List misses and extras.")] = (
        False
    ),
) -> None:
    """Score the extraction against gold files: precision / recall / F1 per field."""
    use_json = as_json or fmt is EvaluateFormat.json
    if corpus is not None:
        if gold is not None or document is not None:
            raise BadParameterError("give GOLD DOCUMENT or --corpus DIR, not both")
        evaluate_corpus(corpus, as_json=use_json, reason=reason)
        return
    if gold is None or document is None:
        raise BadParameterError("give GOLD DOCUMENT, or --corpus DIR")
    evaluate_one(gold, document, as_json=use_json, show_misses=show_misses)


# -- one document against a gold in the seed's format --------------------------------------


def evaluate_one(gold: Path, document: Path, *, as_json: bool, show_misses: bool) -> None:
    """Extract DOCUMENT in memory and print its score against GOLD."""
    from mandategraph.graph.extraction.evaluate import evaluate as run_evaluate
    from mandategraph.graph.extraction.readers import read_document

    if not gold.is_file():
        raise DocumentError(f"no such gold file: {gold}")
    data, kind = load_gold_file(gold)  # refuses what is not a gold file, before extracting
    if kind == "resolution" and "resolution" not in data:
        raise BadParameterError(
            f"{gold} annotates a resolution in the dev-corpus format, which has nothing to "
            "score alone: score the reports of its folder with --corpus"
        )
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
    print_table(["field", "tp", "fp", "fn", "precision", "recall", "f1"],
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


# -- a folder of documents with gold files ---------------------------------------------


def corpus_golds(folder: Path) -> tuple[list[tuple[Path, Path, dict[str, Any]]], list[Path]]:
    """The reports of ``folder`` (document, gold file, gold) and its resolutions.

    Raises:
        DocumentError: the folder does not exist, or a gold file has no document.
        BadParameterError: a ``.gold.yaml`` file is not a gold file, or the folder has
            no gold file.
    """
    if not folder.is_dir():
        raise DocumentError(f"corpus folder not found: {folder}")
    reports: list[tuple[Path, Path, dict[str, Any]]] = []
    resolutions: list[Path] = []
    golds = sorted(folder.glob(f"*{GOLD_SUFFIX}"))
    if not golds:
        raise BadParameterError(f"no {GOLD_SUFFIX} file in {folder}")
    for gold_path in golds:
        data, kind = load_gold_file(gold_path)
        stem = gold_path.name[: -len(GOLD_SUFFIX)]
        candidates = [folder / f"{stem}{suffix}" for suffix in DOCUMENT_SUFFIXES]
        document = next((p for p in candidates if p.is_file()), None)
        if document is None:
            raise DocumentError(f"{gold_path.name} has no document beside it ({stem}.txt...)")
        if kind == "resolution":
            resolutions.append(document)
        else:
            reports.append((document, gold_path, data))
    return reports, resolutions


def query_rows(store: Store, name: str) -> list[dict[str, str | None]]:
    """The rows of a canned query as dicts of plain strings (unbound: ``None``)."""
    from mandategraph.queries.catalog import get_query

    table = to_table(store.query(get_query(name).on(store.engine).sparql()))
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def score_document(
    document: Path, gold: dict[str, Any], resolutions: list[Path], *, reason: bool
) -> DocumentScore:
    """Build ``document`` with ``resolutions`` in a fresh store and score it."""
    from mandategraph.graph.build import build

    settings = get_settings()
    with tempfile.TemporaryDirectory(prefix="mandategraph-evaluate-") as scratch:
        folder = Path(scratch)
        for path in [document, *resolutions]:
            shutil.copy(path, folder / path.name)
        with Store.open(MEMORY) as store:
            report = build(store, corpus=folder, validate=settings.validate_shapes,
                           reason=reason and settings.reason,
                           max_document_bytes=settings.max_document_bytes)
            failed = [exc for path, exc in report.failures if path.name == document.name]
            if failed:
                return DocumentScore(name=document.stem, short=["build"],
                                     error=failed[0].message)
            rows = {name: query_rows(store, name) for name in QUERIES}
    text = document.read_text(encoding="utf-8", errors="replace")
    return score_report(gold, activities=rows["activities"],
                        partnerships=rows["partnerships"], mandates=rows["mandates"],
                        text=text, name=document.stem)


def evaluate_corpus(folder: Path, *, as_json: bool, reason: bool) -> list[DocumentScore]:
    """Score every report of ``folder`` that has a gold file, and print the scores."""
    reports, resolutions = corpus_golds(folder)
    scores: list[DocumentScore] = []
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("scoring", total=None)
        for document, _gold_path, gold in reports:
            progress.update(task, description=f"building and scoring {document.name}")
            try:
                scores.append(score_document(document, gold, resolutions, reason=reason))
            except MandategraphError as exc:
                scores.append(DocumentScore(name=document.stem, short=["build"],
                                            error=exc.message))
    overall = total(scores)
    if as_json:
        out.print_json(json.dumps({
            "corpus": str(folder),
            "resolutions": [p.name for p in resolutions],
            "documents": [s.as_dict() for s in scores],
            "overall": {name: count.as_dict() for name, count in overall.items()},
            "meeting_every_floor": sum(1 for s in scores if s.ok),
            "reports": len(scores),
        }))
        return scores
    for score in scores:
        _print_score(score)
    print_table(["field", "tp", "fp", "fn", "precision", "recall", "f1"],
                [_row(name, overall[name]) for name in FIELDS],
                title=f"overall ({len(scores)} reports)")
    out.print(f"reports meeting every floor: {sum(1 for s in scores if s.ok)}/{len(scores)}",
              highlight=False)
    return scores


def _row(name: str, count: Count) -> list[str | None]:
    return [name, str(count.tp), str(count.fp), str(count.fn), f"{count.precision:.2f}",
            f"{count.recall:.2f}", f"{count.f1:.2f}"]


def _print_score(score: DocumentScore) -> None:
    if score.error is not None:
        out.print(f"{score.name}: build failed: {score.error}", highlight=False, markup=False)
        return
    print_table(["field", "tp", "fp", "fn", "precision", "recall", "f1"],
                [_row(name, score.fields[name]) for name in FIELDS], title=score.name)
    verdict = "ok" if score.ok else "short on " + ",".join(score.short)
    out.print(
        f"{verdict}: pairs must {score.must[0]}/{score.must[1]}, should {score.should[0]}/"
        f"{score.should[1]} (floor {score.should_floor}), unlisted {len(score.unlisted_pairs)}; "
        f"activities {score.activities} (gold {score.gold_activities}), "
        f"in no section {score.unplaced_activities}",
        highlight=False, markup=False,
    )
