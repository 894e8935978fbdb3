"""``/compliance``: the findings of the compliance checks, filtered, with their quotes.

The checks run on the app's executor (its timeout; rows uncapped), so a check that
times out is an error page (503), never an empty table. ``?format=csv`` gives the
findings as CSV; each finding's quote links to its highlighted passage.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import Literal, URIRef

from mandategraph.api.compliance import render as render_findings
from mandategraph.api.resources import DOCUMENT_BASE, page_path, reader_for
from mandategraph.api.responses import render
from mandategraph.errors import BadParameterError
from mandategraph.queries.compliance import KINDS, Finding, run_checks

router = APIRouter(include_in_schema=False)

SPAN_QUERY = """
SELECT ?span ?start ?end WHERE {
  ?span mg:inDocument ?doc ; mg:quote ?quote ; mg:startOffset ?start ; mg:endOffset ?end .
} ORDER BY ?start LIMIT 1
"""


def _link(request: Request, finding: Finding) -> str | None:
    """The document page with the finding's quote highlighted."""
    if not finding.document or not finding.quote:
        return None
    rows = reader_for(request).select(SPAN_QUERY, {
        "doc": URIRef(DOCUMENT_BASE + finding.document), "quote": Literal(finding.quote)})
    if not rows:
        return None
    start, end = rows[0]["start"].value, rows[0]["end"].value
    return f"/id/document/{finding.document}?highlight={start}-{end}#span-{start}"


def _findings(request: Request) -> list[Finding]:
    executor = request.app.state.executor
    return run_checks(lambda text: executor.table(text, max_rows=None))


@router.get("/compliance", response_model=None)
def compliance_page(request: Request) -> HTMLResponse | Response:
    """The compliance findings, by kind and resolution, with evidence and quotes."""
    kind = request.query_params.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise BadParameterError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    resolution = request.query_params.get("resolution") or None
    everything = _findings(request)
    resolutions = sorted({f.subject.split(")")[0] + ")" for f in everything
                          if f.subject.startswith("AG/RES.")})
    rows = [f for f in everything
            if (kind is None or f.kind == kind)
            and (resolution is None or f.subject.startswith(resolution))]
    if request.query_params.get("format") == "csv":
        return Response(render_findings(rows, "csv"), media_type="text/csv; charset=utf-8")
    shown: list[dict[str, Any]] = [
        {"finding": f, "page": page_path(f.iri) if f.iri else None,
         "document_page": f"/id/document/{f.document}" if f.document else None,
         "quote_link": _link(request, f)}
        for f in rows
    ]
    counts = {k: sum(1 for f in everything if f.kind == k) for k in KINDS}
    return render(request, "compliance.html", {
        "title": "Compliance", "rows": shown, "kinds": KINDS, "kind": kind,
        "resolutions": resolutions, "resolution": resolution, "counts": counts,
        "total": len(everything),
    })


def setup(app: FastAPI) -> None:
    """Add the compliance page."""
    app.include_router(router)
