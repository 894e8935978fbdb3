"""The compliance checks for the command line and the web: run on a store, rendered.

The checks themselves are :mod:`mandategraph.queries.compliance`; here they run
through an :class:`~mandategraph.graph.sparql.executor.Executor`, so that each query
has a real timeout, and their findings are written as JSON, CSV or table rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from mandategraph.api.settings import get_settings
from mandategraph.errors import BadParameterError
from mandategraph.graph.sparql.executor import Executor
from mandategraph.graph.store import Store
from mandategraph.queries.compliance import Finding, parse_kinds, run_checks

__all__ = ["FINDINGS_EXIT", "check_store", "evidence", "parse_kinds", "render"]

#: Exit code of ``mandategraph check`` when a finding of a ``--fail-on`` kind is found.
FINDINGS_EXIT = 10

#: The fields of a finding, in the order files list them.
FIELDS = ("kind", "subject", "detail", "document", "section", "quote", "iri")


def check_store(
    store: Store, *, kinds: Iterable[str] | None = None, resolution: str | None = None,
    timeout: float | None = None,
) -> list[Finding]:
    """Run the checks on an open store, each query under ``timeout`` seconds (default:
    the query timeout setting), its rows uncapped.

    Raises:
        mandategraph.errors.QueryTimeoutError: a check's query timed out.
    """
    seconds = get_settings().query_timeout if timeout is None else timeout
    with Executor.for_store(store, workers=1, timeout=seconds, max_rows=None) as executor:
        return run_checks(executor.table, kinds=kinds, resolution=resolution)


def evidence(finding: Finding) -> str:
    """The evidence of a finding on one line, or ``none``."""
    parts = [finding.document, finding.section and f"section {finding.section}",
             finding.quote and f"“{finding.quote}”"]
    return " · ".join(p for p in parts if p) or "none"


def render(findings: list[Finding], fmt: str) -> Any:
    """Findings as ``json`` or ``csv`` text, or as ``rows`` for a table.

    Raises:
        BadParameterError: an unknown format.
    """
    if fmt == "rows":
        return [[f.kind, f.subject, f.detail, evidence(f)] for f in findings]
    if fmt == "json":
        return json.dumps({"findings": [f.as_dict() for f in findings]},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(FIELDS))
        writer.writeheader()
        writer.writerows(f.as_dict() for f in findings)
        return out.getvalue()
    raise BadParameterError(f"--format must be table, json or csv, not {fmt!r}")
