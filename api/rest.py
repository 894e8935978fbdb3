"""The JSON API under ``/api/``, and ``/docs``, the page that documents it.

Resources: resolutions, paragraphs (mandates), activities, actors (organizations),
states and documents, each listed with filters and paging and described one by one.
Every response has a Pydantic model (:mod:`mandategraph.api.models`), so
``/openapi.json`` documents it and ``/docs`` (Swagger UI served from local assets, see
:func:`setup`) lets a researcher try it.

The routes only read their parameters: the records and lists they answer are built by
:mod:`mandategraph.api.records`, from the look-ups of
:class:`mandategraph.api.resources.Reader`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from mandategraph.api.codes import check_codes, refuse_unknown_parameters
from mandategraph.api.models import (
    ActivityDetail,
    ActivityOut,
    ActorDetail,
    ActorOut,
    DocumentDetail,
    DocumentOut,
    Page,
    ParagraphOut,
    ResolutionDetail,
    ResolutionOut,
    StateDetail,
    StateOut,
)
from mandategraph.api.openapi import errors
from mandategraph.api.records import (
    ActivityFilters,
    activities_by_role,
    actor_kind,
    document_activities,
    document_record,
    get_activity,
    iso_codes,
    list_activities,
    list_actors,
    list_documents,
    list_paragraphs,
    list_resolutions,
    list_states,
    partners_of,
    refs,
    resolution_record,
    wikidata_of,
)
from mandategraph.api.resources import (
    CODE,
    CODE_PATTERN,
    MANDATE_PATTERN,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_YEAR,
    MIN_YEAR,
    RESOLUTION_BASE,
    SLUG,
    ActorKind,
    Status,
    check_slug,
    natural_key,
    page_path,
    reader_for,
)
from mandategraph.api.responses import render
from mandategraph.errors import NotFoundError
from mandategraph.ontology.namespaces import MG, activity_iri, document_iri, org_iri, state_iri

STATIC_DIR = Path(__file__).resolve().parent / "static"
SWAGGER_DIR = STATIC_DIR / "vendor" / "swagger-ui"

# -- routes ------------------------------------------------------------------------------

router = APIRouter(prefix="/api", tags=["JSON API"],
                   dependencies=[Depends(refuse_unknown_parameters)])

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (1 to {MAX_LIMIT}).")]
Offset = Annotated[int, Query(
    ge=0, le=MAX_OFFSET, description=f"How many items to skip (0 to {MAX_OFFSET})."
)]
#: What a list answers besides its page, and what a look-up by id answers.
LIST_ERRORS = errors(400)
ONE_ERRORS = errors(404)


@router.get("/resolutions", response_model=Page[ResolutionOut], summary="Resolutions",
            responses=LIST_ERRORS)
def api_resolutions(request: Request, limit: Limit = 50, offset: Offset = 0) -> Page[ResolutionOut]:
    """General Assembly resolutions, with how many of their paragraphs the graph knows."""
    return list_resolutions(reader_for(request), limit=limit, offset=offset)


@router.get("/resolutions/{id}", response_model=ResolutionDetail, summary="One resolution",
            responses=ONE_ERRORS)
def api_resolution(request: Request, id: str) -> ResolutionDetail:
    """One resolution with its operative paragraphs."""
    reader = reader_for(request)
    iri = RESOLUTION_BASE + check_slug(id, "resolution")
    if not reader.exists(iri) or not reader.is_a(iri, MG.Resolution):
        raise NotFoundError(f"no resolution {id!r}")
    paragraphs = list_paragraphs(reader, resolution=id, limit=MAX_LIMIT).items
    return ResolutionDetail(
        **resolution_record(reader, iri, len(paragraphs)).model_dump(),
        paragraph_list=paragraphs,
        recalled_by=refs(reader, reader.subjects(MG.recalls, iri)),
    )


@router.get("/paragraphs", response_model=Page[ParagraphOut], summary="Mandates",
            responses=errors(400, 404))
def api_paragraphs(
    request: Request,
    resolution: Annotated[str | None, Query(
        description="Resolution id (ag-res-2485-xxxix-o-09) or symbol (AG/RES. 2485 (XXXIX-O/09)); "
        "404 when an id cannot name a resolution"
    )] = None,
    has_activity: Annotated[bool | None, Query(
        description="true: implemented by some activity; false: the compliance gap"
    )] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ParagraphOut]:
    """Operative paragraphs (mandates), with how many activities implement each."""
    return list_paragraphs(reader_for(request), resolution=resolution,
                           has_activity=has_activity, limit=limit, offset=offset)


@router.get("/activities", response_model=Page[ActivityOut], summary="Activities",
            responses=errors(400, 404))
def api_activities(
    request: Request,
    theme: Annotated[str | None, Query(
        pattern=CODE_PATTERN, description="Theme key, e.g. border-control"
    )] = None,
    year: Annotated[int | None, Query(
        ge=MIN_YEAR, le=MAX_YEAR, description="A year the activity ran, e.g. 2010"
    )] = None,
    state: Annotated[str | None, Query(
        pattern=CODE_PATTERN, description="Beneficiary state, ISO alpha-3, e.g. JAM"
    )] = None,
    actor: Annotated[str | None, Query(
        pattern=CODE_PATTERN, description="Organization key or state code in any role, e.g. CICTE"
    )] = None,
    status: Annotated[Status | None, Query(
        description="planned, ongoing or completed"
    )] = None,
    mandate: Annotated[str | None, Query(
        pattern=MANDATE_PATTERN,
        description="Paragraph implemented, e.g. ag-res-2485-xxxix-o-09/5.b, or its IRI",
    )] = None,
    document: Annotated[str | None, Query(
        description="Slug of the reporting document; 404 when it cannot name a document"
    )] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ActivityOut]:
    """Reported activities, filtered, one page at a time."""
    filters = ActivityFilters(theme=theme, year=year, state=state, actor=actor, status=status,
                              mandate=mandate, document=document)
    check_codes(request.app.state.store, {"theme": theme, "state": state, "actor": actor})
    return list_activities(reader_for(request), filters, limit=limit, offset=offset)


@router.get("/activities/{id:path}", response_model=ActivityDetail, summary="One activity",
            responses=ONE_ERRORS)
def api_activity(request: Request, id: str) -> ActivityDetail:
    """One activity, with every fact and the sentence it was read from."""
    slug, _, local = id.partition("/")
    if not SLUG.match(slug) or not re.fullmatch(r"[A-Za-z0-9._-]+", local):
        raise NotFoundError(f"no activity {id!r}")
    return get_activity(reader_for(request), str(activity_iri(slug, local)))


@router.get("/actors", response_model=Page[ActorOut], summary="Actors (organizations)",
            responses=LIST_ERRORS)
def api_actors(
    request: Request,
    kind: Annotated[ActorKind | None, Query(
        description="oas-body or partner"
    )] = None,
    has_activity: Annotated[bool | None, Query(description="only those taking part")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ActorOut]:
    """Organizations (OAS bodies and partners), most active first."""
    return list_actors(reader_for(request), kind=kind, has_activity=has_activity,
                       limit=limit, offset=offset)


@router.get("/actors/{code}", response_model=ActorDetail, summary="One actor",
            responses=ONE_ERRORS)
def api_actor(request: Request, code: str) -> ActorDetail:
    """One organization with its activities by role and its partners."""
    reader = reader_for(request)
    iri = str(org_iri(code)) if CODE.fullmatch(code) else ""
    if not iri or not reader.exists(iri) or not reader.is_a(iri, MG.Organization):
        raise NotFoundError(f"no organization with code {code!r}")
    roles = activities_by_role(reader, iri)
    return ActorDetail(
        code=reader.code(iri) or code,
        iri=iri,
        page=page_path(iri) or iri,
        label=reader.label(iri),
        kind=actor_kind(reader, iri),
        activities=len({r.iri for found in roles.values() for r in found}),
        roles=roles,
        partners=partners_of(reader, iri),
        part_of=refs(reader, reader.objects(iri, MG.subOrganizationOf)),
        wikidata=wikidata_of(reader, iri),
    )


@router.get("/states", response_model=Page[StateOut], summary="States",
            responses=LIST_ERRORS)
def api_states(
    request: Request,
    member: Annotated[bool | None, Query(
        description="true: only OAS member states; false: only others"
    )] = None,
    has_activity: Annotated[bool | None, Query(
        description="true: only beneficiaries of some activity; false: only the others"
    )] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[StateOut]:
    """Member states and the states named by activities, most served first."""
    return list_states(reader_for(request), member=member, has_activity=has_activity,
                       limit=limit, offset=offset)


@router.get("/states/{code}", response_model=StateDetail, summary="One state",
            responses=ONE_ERRORS)
def api_state(request: Request, code: str) -> StateDetail:
    """One state with the activities benefiting it and those its government took part in."""
    reader = reader_for(request)
    iri = str(state_iri(code)) if CODE.fullmatch(code) else ""
    if not iri or not reader.exists(iri) or not reader.is_a(iri, MG.State):
        raise NotFoundError(f"no state with code {code!r}")
    beneficiary = sorted(refs(reader, reader.subjects(MG.beneficiary, iri)),
                         key=lambda r: natural_key(r.id))
    return StateDetail(
        code=reader.code(iri) or code.upper(),
        iri=iri,
        page=page_path(iri) or iri,
        label=reader.label(iri),
        member=reader.is_a(iri, MG.MemberState),
        activities=len(beneficiary),
        beneficiary_of=beneficiary,
        roles=activities_by_role(reader, iri),
        wikidata=wikidata_of(reader, iri),
        iso=iso_codes(reader, iri),
    )


@router.get("/documents", response_model=Page[DocumentOut], summary="Documents",
            responses=LIST_ERRORS)
def api_documents(request: Request, limit: Limit = 50, offset: Offset = 0) -> Page[DocumentOut]:
    """The documents the graph was read from."""
    return list_documents(reader_for(request), limit=limit, offset=offset)


@router.get("/documents/{slug}", response_model=DocumentDetail, summary="One document",
            responses=ONE_ERRORS)
def api_document(request: Request, slug: str) -> DocumentDetail:
    """One document with the activities it reports and the mandates it cites."""
    reader = reader_for(request)
    iri = str(document_iri(check_slug(slug, "document")))
    if not reader.exists(iri) or not reader.is_a(iri, MG.Document):
        raise NotFoundError(f"no document {slug!r}")
    activities = document_activities(reader, iri)
    cited = reader.objects(iri, MG.cites)
    for section in reader.subjects(MG.inDocument, iri):
        cited += [c for c in reader.objects(section, MG.cites) if c not in cited]
    return DocumentDetail(
        **document_record(reader, iri, len(activities)).model_dump(),
        activity_list=activities,
        cites=sorted(refs(reader, cited), key=lambda r: natural_key(r.id)),
        recalls=refs(reader, reader.objects(iri, MG.recalls)),
    )


# -- API docs without a CDN --------------------------------------------------------------


def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI for the OpenAPI document, from local assets."""
    if not (SWAGGER_DIR / "swagger-ui-bundle.js").is_file():
        return api_reference(request)
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url or "/openapi.json",
        title="mandategraph API",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
        # the default validator badge calls validator.swagger.io: keep every request local
        swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True},
    )

def api_reference(request: Request) -> HTMLResponse:
    """The JSON API's endpoints, drawn from the OpenAPI document (no scripts needed)."""
    schema = request.app.openapi()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append({
                "method": method.upper(), "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": operation.get("parameters", []),
            })
    return render(request, "api_reference.html", {"title": "JSON API", "operations": operations})


def setup(app: FastAPI) -> None:
    """Add the JSON API, and ``/docs`` from local assets (the app has no CDN-based docs)."""
    app.include_router(router)
    app.add_api_route("/docs", api_docs, methods=["GET"], include_in_schema=False,
                      response_class=HTMLResponse)
