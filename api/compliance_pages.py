"""``/compliance`` and ``/mandates``: the findings of the compliance checks, and the
mandate registry, filtered, with their quotes.

The checks and the registry run on the app's executor (its timeout; rows uncapped), so
a query that times out is an error page (503), never an empty table.

* ``/compliance``: the findings, filtered by kind, resolution, theme, state, year and
  status (a finding takes the facets of its mandate, activity or resolution, see
  :mod:`mandategraph.queries.registry`); ``?format=csv`` gives the rows shown, filters
  kept; each finding's quote links to its highlighted passage.
* ``/mandates``: every paragraph with its status (``mandate-status``), its acting
  bodies, states and years, links to its activities and to the quotes citing it;
  filtered by resolution, theme, state, year (those of the activities acting on it),
  status and whether an activity acts on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import Literal, URIRef

from mandategraph.api.codes import check_codes, check_parameters
from mandategraph.api.compliance import render as render_findings
from mandategraph.api.pages import pager, paging, query_bool, query_text
from mandategraph.api.records import list_resolutions
from mandategraph.api.resources import DOCUMENT_BASE, page_path, reader_for
from mandategraph.api.responses import render
from mandategraph.errors import BadParameterError
from mandategraph.graph.sparql.results import Table
from mandategraph.queries.compliance import KINDS, Finding, run_checks
from mandategraph.queries.registry import STATUSES, Mandate, finding_facets, registry

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


def _runner(request: Request) -> Callable[[str], Table]:
    executor = request.app.state.executor
    return lambda text: executor.table(text, max_rows=None)


def _choice(request: Request, name: str, allowed: tuple[str, ...] | list[str]) -> str | None:
    value = query_text(request, name)
    if value is not None and value not in allowed:
        raise BadParameterError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _known(request: Request, *, theme: str | None, state: str | None,
           year: str | None) -> str | None:
    """Refuse a theme or state the graph does not know, and a year that is not one;
    the state in capitals, as the graph writes it.

    Raises:
        BadParameterError: ``year`` is not a four-digit year.
        UnknownCodeError: an unknown theme or state (the closest known ones named).
    """
    check_codes(request.app.state.store, {"theme": theme, "state": state})
    if year is not None and not (len(year) == 4 and year.isdigit()):
        raise BadParameterError(f"year must be a four-digit year, got {year!r}")
    return state.upper() if state else None


#: The filters of /compliance, in the order of its form.
COMPLIANCE_FILTERS = ("kind", "resolution", "theme", "state", "year", "status")


@router.get("/compliance", response_model=None)
def compliance_page(request: Request) -> HTMLResponse | Response:
    """The compliance findings, filtered, with evidence, quotes and mandate status."""
    check_parameters(request.query_params.keys(), (*COMPLIANCE_FILTERS, "format"))
    kind = _choice(request, "kind", KINDS)
    status = _choice(request, "status", STATUSES)
    resolution, theme, state, year = (query_text(request, name)
                                      for name in ("resolution", "theme", "state", "year"))
    state = _known(request, theme=theme, state=state, year=year)
    fmt = _choice(request, "format", ("html", "csv"))
    run = _runner(request)
    everything = run_checks(run, store=request.app.state.store)
    mandates = registry(run)
    facets = finding_facets(run, everything, mandates)
    by_subject = {m.subject: m for m in mandates}
    resolutions = sorted({f.subject.split(")")[0] + ")" for f in everything
                          if f.subject.startswith("AG/RES.")})
    chosen = [(f, fa) for f, fa in zip(everything, facets, strict=True)
              if (kind is None or f.kind == kind)
              and (resolution is None or f.subject.startswith(resolution))
              and fa.matches(theme=theme, state=state, year=year, status=status)]
    if fmt == "csv":
        return Response(render_findings([f for f, _ in chosen], "csv"),
                        media_type="text/csv; charset=utf-8")
    shown: list[dict[str, Any]] = [
        {"finding": f, "page": page_path(f.iri) if f.iri else None,
         "document_page": f"/id/document/{f.document}" if f.document else None,
         "quote_link": _link(request, f), "mandate": by_subject.get(f.subject)}
        for f, _ in chosen
    ]
    counts = {k: sum(1 for f in everything if f.kind == k) for k in KINDS}
    options = {
        "theme": sorted(set().union(*(fa.themes for fa in facets))),
        "state": sorted(set().union(*(fa.states for fa in facets))),
        "year": sorted(set().union(*(fa.years for fa in facets))),
        "status": list(STATUSES),
    }
    filters = {"kind": kind, "resolution": resolution, "theme": theme, "state": state,
               "year": year, "status": status}
    csv_query = urlencode({k: v for k, v in filters.items() if v} | {"format": "csv"})
    return render(request, "compliance.html", {
        "title": "Compliance", "rows": shown, "kinds": KINDS, "kind": kind,
        "resolutions": resolutions, "resolution": resolution, "counts": counts,
        "total": len(everything), "options": options, "filters": filters,
        "filtered": any(filters.values()), "csv": f"/compliance?{csv_query}",
    })


def _mandate_row(mandate: Mandate) -> dict[str, Any]:
    """What the registry table shows of one mandate, with its links."""
    quotes = [{"document": q.slug, "quote": q.quote,
               "link": f"/id/document/{q.slug}?highlight={q.start}-{q.end}#span-{q.start}"}
              for q in mandate.quotes]
    return {"mandate": mandate, "page": page_path(mandate.iri) or mandate.iri,
            "bodies": sorted(mandate.facets.bodies), "states": sorted(mandate.facets.states),
            "years": sorted(mandate.facets.years), "quotes": quotes}


#: The filters of /mandates: a mandate takes the themes, states and years of the
#: activities acting on it.
MANDATE_FILTERS = ("resolution", "theme", "state", "year", "status", "has_activity")


@router.get("/mandates", response_class=HTMLResponse)
def mandates_page(request: Request) -> HTMLResponse:
    """The mandate registry: every paragraph with its status, bodies, states and years."""
    check_parameters(request.query_params.keys(), MANDATE_FILTERS + ("limit", "offset"))
    limit, offset = paging(request)
    resolution, theme, state, year = (query_text(request, name)
                                      for name in ("resolution", "theme", "state", "year"))
    state = _known(request, theme=theme, state=state, year=year)
    has_activity = query_bool(request, "has_activity")
    status = _choice(request, "status", STATUSES)
    resolutions = list_resolutions(reader_for(request), limit=500).items
    # a resolution given by its id (as the form sends it) or by its symbol
    symbol = next((r.symbol for r in resolutions if r.id == resolution), resolution)
    everything = registry(_runner(request))
    found = [m for m in everything
             if (symbol is None or m.resolution == symbol)
             and (has_activity is None or (m.activities > 0) == has_activity)
             and (status is None or m.status == status)
             and m.facets.matches(theme=theme, state=state, year=year)]
    counts = {s: sum(1 for m in found if m.status == s) for s in STATUSES}
    return render(request, "mandates.html", {
        "title": "Mandates",
        "rows": [_mandate_row(m) for m in found[offset:offset + limit]],
        "total": len(found),
        "pager": pager(request, len(found), limit, offset),
        "resolution": resolution,
        "has_activity": has_activity,
        "status": status,
        "statuses": STATUSES,
        "counts": counts,
        "resolutions": resolutions,
        "filters": {"theme": theme, "state": state, "year": year},
        "options": {name: sorted(set().union(*(getattr(m.facets, name + "s")
                                               for m in everything)))
                    for name in ("theme", "state", "year")},
    })


def setup(app: FastAPI) -> None:
    """Add the compliance page."""
    app.include_router(router)
