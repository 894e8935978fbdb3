"""The compliance checks for the command line and the web: run on a store, rendered.

The checks themselves are :mod:`mandategraph.queries.compliance`; here they run
through an :class:`~mandategraph.graph.sparql.executor.Executor`, so that each query
has a real timeout, and their findings are written as JSON, CSV, table rows or one
self-contained HTML page (inline style, no script, nothing fetched; every text escaped).
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterable
from typing import Any

from mandategraph.api.settings import get_settings
from mandategraph.errors import BadParameterError
from mandategraph.graph.sparql.executor import Executor
from mandategraph.graph.store import Store
from mandategraph.queries.compliance import KINDS, Finding, parse_kinds, run_checks

__all__ = [
    "FINDINGS_EXIT", "check_store", "evidence", "parse_kinds", "render", "render_html",
]

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
        return run_checks(executor.table, kinds=kinds, resolution=resolution, store=store)


def evidence(finding: Finding) -> str:
    """The evidence of a finding on one line, or ``none``."""
    parts = [finding.document, finding.section and f"section {finding.section}",
             finding.quote and f"“{finding.quote}”"]
    return " · ".join(p for p in parts if p) or "none"


HTML_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #f2f2f2; } .muted { color: #777; } td.kind { white-space: nowrap; }
"""


def render_html(findings: list[Finding]) -> str:
    """The findings as one HTML page that needs nothing else: a count per kind and a
    table of findings with their evidence, every text escaped."""
    def esc(text: str | None) -> str:
        return html.escape(text or "", quote=True)

    counts = " · ".join(f"{esc(k)} {sum(1 for f in findings if f.kind == k)}" for k in KINDS)
    rows = []
    for f in findings:
        proof = evidence(f)
        cell = esc(proof) if proof != "none" else '<span class="muted">none</span>'
        rows.append(f'<tr class="finding" data-kind="{esc(f.kind)}"><td class="kind">'
                    f"{esc(f.kind)}</td><td>{esc(f.subject)}</td><td>{esc(f.detail)}</td>"
                    f"<td>{cell}</td></tr>")
    body = "\n".join(rows) or '<tr><td colspan="4">No finding.</td></tr>'
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>mandategraph compliance report</title>\n"
        f"<style>{HTML_STYLE}</style>\n</head>\n<body>\n"
        "<h1>Compliance report</h1>\n"
        f"<p>{len(findings)} findings: {counts}</p>\n"
        "<table>\n<thead><tr><th>Kind</th><th>Finding</th><th>Why</th><th>Evidence</th>"
        f"</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</body>\n</html>\n"
    )


def render(findings: list[Finding], fmt: str) -> Any:
    """Findings as ``json``, ``csv`` or ``html`` text, or as ``rows`` for a table.

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
    if fmt == "html":
        return render_html(findings)
    raise BadParameterError(f"--format must be table, json, csv or html, not {fmt!r}")
