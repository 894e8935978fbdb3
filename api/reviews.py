"""Reviewers' notes over HTTP: ``PUT /api/paragraphs/{id}/review`` (update token) and
``GET`` the same path.

The note is written through the app's single writer, as SPARQL Update is, into
``graph/reviews`` (:mod:`mandategraph.graph.reviews`); without the bearer token the
answer is 403 and nothing is written, a bad decision or blank reason is 400.
"""

from __future__ import annotations

from functools import partial
from typing import Literal as TypeLiteral

import anyio
from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel, Field

from mandategraph.api.openapi import errors
from mandategraph.api.resources import MANDATE, paragraph_ref_iri, reader_for
from mandategraph.api.sparql import check_token, endpoint_url
from mandategraph.errors import NotFoundError
from mandategraph.graph.reviews import READ_QUERY, review_update
from mandategraph.graph.sparql.executor import Executor
from mandategraph.ontology.namespaces import MG

router = APIRouter(prefix="/api", tags=["JSON API"])


class ReviewIn(BaseModel):
    """A reviewer's note: what to do with the mandate, and why."""

    decision: str = Field(description="keep, update or retire")
    reason: str = Field(description="Why, in the reviewer's words (not blank).")


class ReviewOut(BaseModel):
    """A stored note on a mandate."""

    mandate: str
    decision: TypeLiteral["keep", "update", "retire"]
    reason: str
    modified: str | None


def _stored(request: Request, iri: str) -> ReviewOut | None:
    rows = reader_for(request).select(READ_QUERY, {"mandate": paragraph_ref_iri(iri)})
    if not rows:
        return None
    row = rows[0]
    return ReviewOut(mandate=iri, decision=row["decision"].value, reason=row["reason"].value,
                     modified=row["when"].value if row["when"] is not None else None)


def _paragraph(request: Request, id: str) -> str:  # noqa: A002 (the API's name)
    # as for activities: an id that cannot name a paragraph names none (404)
    if not MANDATE.fullmatch(id):
        raise NotFoundError(f"no operative paragraph {id!r}")
    iri = str(paragraph_ref_iri(id))
    if not reader_for(request).is_a(iri, MG.OperativeParagraph):
        raise NotFoundError(f"no operative paragraph {id!r}")
    return iri


@router.put("/paragraphs/{id:path}/review", response_model=ReviewOut,
            summary="Write a reviewer's note on a mandate", responses=errors(400, 403, 404))
async def put_review(request: Request, id: str, note: ReviewIn) -> ReviewOut:  # noqa: A002
    """Store a note (keep / update / retire, with a reason), replacing the mandate's
    previous one; needs the update token."""
    check_token(request, request.app.state.settings)
    iri = _paragraph(request, id)
    text = review_update(paragraph_ref_iri(iri), note.decision, note.reason)
    executor: Executor = request.app.state.executor
    await anyio.to_thread.run_sync(partial(executor.update, text,
                                           base_iri=endpoint_url(request)))
    found = _stored(request, iri)
    assert found is not None  # just written
    return found


@router.get("/paragraphs/{id:path}/review", response_model=ReviewOut,
            summary="A reviewer's note on a mandate", responses=errors(400, 404))
def get_review(request: Request, id: str) -> ReviewOut:  # noqa: A002
    """The mandate's note; 404 when it has none."""
    found = _stored(request, _paragraph(request, id))
    if found is None:
        raise NotFoundError(f"no review of {id!r}")
    return found


def setup(app: FastAPI) -> None:
    """Add the review routes."""
    app.include_router(router)
