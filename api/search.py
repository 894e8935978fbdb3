"""Full-text search over HTTP: ``/search?q=`` as a page (and the search box on every
page) or as JSON, from the index of :mod:`mandategraph.graph.search`.

The index is the file written beside the store by ``build``, ``ingest`` and ``remove``
when it matches the store; otherwise it is built in memory once for the store as it is
(and again after the next write).
"""

from __future__ import annotations

import html
import sqlite3
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response

from mandategraph.api.codes import refuse_unknown_parameters
from mandategraph.api.openapi import errors, html_too
from mandategraph.api.resources import page_path
from mandategraph.api.responses import render, wants_html
from mandategraph.graph.search import KINDS, Hit, open_index, search

router = APIRouter(tags=["search"], dependencies=[Depends(refuse_unknown_parameters)])
_lock = threading.Lock()


def index_for(request: Request) -> sqlite3.Connection:
    """The index of the store the app reads now (rebuilt when the store changed)."""
    store = request.app.state.store
    with _lock:
        cached = getattr(request.app.state, "search_index", None)
        if cached is None or cached[0] is not store:
            request.app.state.search_index = (store, open_index(store))
        return request.app.state.search_index[1]  # type: ignore[no-any-return]


def hit_json(hit: Hit) -> dict[str, Any]:
    """One result as JSON; the snippet is HTML (text escaped, matches in ``<mark>``)."""
    return {
        "iri": hit.iri, "kind": hit.kind, "title": hit.title, "language": hit.language,
        "page": page_path(hit.iri) or hit.iri, "score": round(hit.score, 4),
        "snippet": "".join(f"<mark>{html.escape(t)}</mark>" if marked else html.escape(t)
                           for t, marked in hit.snippet),
    }


Kind = Literal["activity", "mandate", "actor", "document"]


RESULTS: dict[int | str, Any] = {200: {
    "description": "The results, best first: JSON (snippets as HTML with <mark>), or a page.",
    "content": {"application/json": {"schema": {"type": "object"}},
                **html_too("The results as a page.")[200]["content"]},
}}


@router.get("/search", summary="Full-text search", response_class=Response,
            responses={**RESULTS, **errors(400)})
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500, description="Words to find (all must match; "
                                                        "accents and word endings ignored)")] = "",
    kind: Annotated[Kind | None, Query(description="Only activities, mandates, actors or "
                                                   "documents")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Results per page (1 to 100)")] = 20,
    offset: Annotated[int, Query(ge=0, le=10000, description="Results to skip")] = 0,
) -> Response:
    """Activities, mandates, actors and documents matching the words, best first."""
    total, hits = search(index_for(request), q, kind=kind, limit=limit, offset=offset) \
        if q.strip() else (0, [])
    if wants_html(request):
        return render(request, "search.html", {
            "title": f"Search: {q}" if q else "Search", "q": q, "kind": kind,
            "kinds": KINDS, "total": total, "hits": hits,
            "pages": {h.iri: page_path(h.iri) or h.iri for h in hits},
        })
    return JSONResponse({"query": q, "total": total, "limit": limit, "offset": offset,
                         "items": [hit_json(h) for h in hits]})


def setup(app: FastAPI) -> None:
    """Add ``/search``."""
    app.include_router(router)
