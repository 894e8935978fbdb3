"""Canned queries over HTTP: ``/queries`` lists them, ``/queries/{name}`` runs one.

A query's page shows its SPARQL, a form for its parameters (declared types and
defaults) and its results as a table. The same URL answers plain JSON rows
(``{"columns", "rows", "truncated"}``), CSV, and the SPARQL results formats (``srj``,
``srx``, ``tsv``), chosen by ``?format=`` or by ``Accept``.

The HTML page shows one page of rows (``?page=N``, ``MANDATEGRAPH_PAGE_SIZE`` rows, with
links to the pages before and after); JSON and the SPARQL results formats give the whole
result (up to the row cap), or one page when ``?page=`` is given. A page is asked of the
engine (:class:`mandategraph.queries.catalog.Page`), not cut from the whole result.

Parameters come from the query string (``?state=JAM``) and are bound by the catalogue
(:meth:`mandategraph.queries.catalog.CannedQuery.sparql`: an engine-side ``VALUES`` block of RDF
terms), never pasted into the query. Queries run on the app's executor when there is
one (:mod:`mandategraph.graph.sparql.executor`: worker processes, timeout, row cap),
else on the store.

As grlc does, the OpenAPI document has one operation per query, with the query's own
parameters and the patterns the catalogue checks them with.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from mandategraph.api.codes import check_codes
from mandategraph.api.openapi import SPARQL_JSON, TRUNCATED, errors, html_too, media, text
from mandategraph.api.responses import HTML, TRUNCATED_HEADER, negotiate, render
from mandategraph.api.result_cells import cells
from mandategraph.errors import BadParameterError, MandategraphError, UnknownFormatError
from mandategraph.graph.sparql.formats import RESULT_EXTENSIONS, RESULT_FORMATS
from mandategraph.graph.sparql.results import Table, serialize, to_table
from mandategraph.queries.catalog import (
    MAX_PAGE,
    PARAM_PATTERNS,
    CannedQuery,
    Page,
    Param,
    get_query,
    load_catalog,
)
from mandategraph.queries.summaries import canned_sparql
from mandategraph.visualizations.charts import table_chart

#: The SPARQL results formats by file extension (``srj``, ``srx``, ``csv``, ``tsv``):
#: a canned query's ``?format=`` names them so, as its download links do.
SPARQL_FORMATS = RESULT_EXTENSIONS
#: Formats of a canned query's results, by ``?format=`` name: the page, plain JSON
#: rows, and the SPARQL results formats.
FORMATS: dict[str, str] = {
    "html": HTML,
    "json": "application/json",
    **{ext: RESULT_FORMATS[name][1] for ext, name in SPARQL_FORMATS.items()},
}

router = APIRouter(tags=["canned queries"])


class ParamInfo(BaseModel):
    """A parameter of a canned query."""

    name: str
    type: str = Field(description="code, state, string, integer, year or iri")
    default: str | None
    description: str


class QueryInfo(BaseModel):
    """A canned query as ``/queries`` lists it."""

    name: str
    summary: str
    description: str
    tags: list[str]
    params: list[ParamInfo]
    columns: list[str]
    url: str = Field(description="Where to run it.")


class TableOut(BaseModel):
    """A canned query's results as plain JSON rows (``?format=json``)."""

    columns: list[str]
    rows: list[dict[str, str | int | float | bool | None]] = Field(
        description="column -> value (numbers and booleans as JSON ones), null when unbound"
    )
    truncated: bool = Field(description="Rows were cut at MANDATEGRAPH_MAX_ROWS.")
    page: int | None = Field(default=None, description="The page given by ?page=, if any.")
    page_size: int | None = Field(default=None, description="Rows per page (with ?page=).")
    previous: str | None = Field(default=None, description="The page before (with ?page=).")
    next: str | None = Field(default=None, description="The page after, if any (with ?page=).")


#: ``?page=N`` of a canned query, as the OpenAPI document gives it.
PAGE_PARAM: dict[str, Any] = {
    "name": "page", "in": "query", "required": False,
    "description": "Only page N (from 1) of MANDATEGRAPH_PAGE_SIZE rows, asked of the engine; "
                   "the HTML page shows page 1 by default, the other formats the whole result.",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
}


def format_param(formats: list[str]) -> dict[str, Any]:
    """The ``format`` query parameter, for the OpenAPI document."""
    return {
        "name": "format", "in": "query", "required": False,
        "description": "The format of the answer; without it (or empty), the Accept header "
        "chooses.",
        "schema": {"type": "string", "enum": [*formats, ""]},
    }


def param_schema(param: Param) -> dict[str, Any]:
    """A canned query's parameter for the OpenAPI document, checked as the catalogue does.

    An empty value means the declared default; spaces around a value are dropped.
    """
    pattern = PARAM_PATTERNS.get(param.type)
    schema: dict[str, Any] = {"type": "string"}
    if pattern is not None:
        schema["pattern"] = f"^(?: *{pattern} *)?$"
    if param.default is not None:
        schema["default"] = param.default
    return {
        "name": param.name, "in": "query", "required": False,
        "description": f"{param.description} ({param.type})".strip(),
        "schema": schema,
    }


def choose_format(request: Request, allowed: list[str]) -> str:
    """``?format=`` if given, else the allowed format the ``Accept`` header prefers.

    Raises:
        UnknownFormatError: ``?format=`` names a format not in ``allowed``.
    """
    asked = request.query_params.get("format")
    if asked:
        if asked not in allowed:
            raise UnknownFormatError(f"unknown format {asked!r} (known: {', '.join(allowed)})")
        return asked
    media = negotiate(request, [FORMATS[f] for f in allowed], FORMATS[allowed[0]])
    return next(f for f in allowed if FORMATS[f] == media)


def describe_query(query: CannedQuery) -> dict[str, Any]:
    """What the list says about a query."""
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "params": [
            {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
            for p in query.params
        ],
        "columns": list(query.columns),
        "url": f"/queries/{query.name}",
    }


def run_table(request: Request, text: str) -> Table:
    """Run a query into a :class:`Table`, capped at the ``max_rows`` setting."""
    executor = getattr(request.app.state, "executor", None)
    if executor is not None:
        return executor.table(text)
    results = request.app.state.store.query(text)
    return to_table(results, max_rows=request.app.state.settings.max_rows)


def run_serialized(request: Request, text: str, fmt: str) -> tuple[bytes, str, bool]:
    """Run a query and write its results in a SPARQL results format.

    Returns:
        The body, its media type, and whether rows were cut at the cap.
    """
    name = SPARQL_FORMATS[fmt]
    executor = getattr(request.app.state, "executor", None)
    if executor is not None:
        result = executor.query(text, result_format=name, graph_format="ttl")
        return result.body, result.media_type, result.truncated
    body, media = serialize(request.app.state.store.query(text), name)
    return body, media, False


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {f"{_XSD}{name}" for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte",
)}
_REALS = {f"{_XSD}decimal", f"{_XSD}double", f"{_XSD}float"}


def json_value(value: str | None, datatype: str | None) -> str | int | float | bool | None:
    """A cell as JSON: integers, decimals and booleans as JSON numbers and booleans."""
    if value is None or datatype is None:
        return value
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype in _REALS:
            number = float(value)
            # NaN and infinities are no JSON numbers: their lexical form instead
            return number if number == number and abs(number) != float("inf") else value
    except ValueError:
        return value  # an ill-typed literal keeps its lexical form
    if datatype == f"{_XSD}boolean" and value in ("true", "false", "1", "0"):
        return value in ("true", "1")
    return value


def table_json(table: Table) -> dict[str, Any]:
    """Plain JSON rows: ``{"columns": [...], "rows": [{column: value}], "truncated": ...}``.

    Numbers and booleans are JSON numbers and booleans; other values their text.
    """
    types = table.datatypes or [[None] * len(table.columns) for _ in table.rows]
    return {
        "columns": table.columns,
        "rows": [
            {c: json_value(v, t) for c, v, t in zip(table.columns, row, kinds, strict=True)}
            for row, kinds in zip(table.rows, types, strict=True)
        ],
        "truncated": table.truncated,
    }


@router.get(
    "/queries", summary="The canned queries", response_model=list[QueryInfo],
    responses={**html_too("The list as a page."), **errors(406)},
    openapi_extra={"parameters": [format_param(["html", "json"])]},
)
def list_queries(request: Request) -> Response:
    """The canned queries: name, summary, parameters and link (HTML or JSON)."""
    catalog = load_catalog()
    if choose_format(request, ["html", "json"]) == "json":
        return JSONResponse([describe_query(q) for q in catalog.values()])
    return render(request, "queries.html", {"title": "Canned queries",
                                            "queries": list(catalog.values())})


@router.get("/queries/{name}", summary="Run a canned query", include_in_schema=False)
def run_canned(request: Request, name: str) -> Response:
    """One canned query: its text, a form for its parameters, and its results.

    Parameters are the query's own (see ``/queries``); ``format`` is html, json, csv,
    srj, srx or tsv.
    """
    query = get_query(name)
    fmt = choose_format(request, list(FORMATS))
    values = {k: v for k, v in request.query_params.items() if k not in ("format", "page")}
    try:
        page = page_asked(request, html=fmt == "html")
        # one row past the page tells whether there is a next one (not in the SPARQL
        # results formats, which have no place for links)
        text = canned_sparql(request.app.state.store, query, values, page=page,
                             next_row=fmt not in SPARQL_FORMATS,
                             limit=request.app.state.settings.max_rows)
        # a code the graph does not know would give no rows: refused, naming the closest
        check_codes(request.app.state.store, values)
    except BadParameterError as exc:
        if fmt == "html":
            # a browser gets the form back, with the message, not a bare error page
            return render(request, "query.html", _page(query, values, error=exc),
                          status=exc.http_status)
        raise
    if fmt in SPARQL_FORMATS:
        body, media, truncated = run_serialized(request, text, fmt)
        headers = {"Vary": "Accept"}
        if truncated:
            headers[TRUNCATED_HEADER] = "true"
        return Response(body, media_type=media, headers=headers)
    table = run_table(request, text)
    more = False
    if page is not None:
        # the engine was asked for one row past the page: the sign of a next page
        more = len(table.rows) > page.size
        table = Table(columns=table.columns, rows=table.rows[:page.size],
                      datatypes=table.datatypes[:page.size])
    headers = {"Vary": "Accept"}
    if table.truncated:
        headers[TRUNCATED_HEADER] = "true"
    links = page_links(query, values, page, more=more, fmt=fmt)
    if fmt == "json":
        body = table_json(table)
        if page is not None:
            body.update({"page": page.number, "page_size": page.size, **links})
        return JSONResponse(body, headers=headers)
    context = _page(query, values, table=table)
    context.update({"page": page, **links})
    context["cells"] = cells(table, request.app.state.store)
    if context["cells"]:
        numeric = [cell.num for cell in context["cells"][0]]
        spec = table_chart(table.columns, table.rows, numeric)
        context["chart"] = json.dumps(spec).replace("<", "\\u003c") if spec else None
    response = render(request, "query.html", context)
    response.headers.update(headers)
    return response


def page_asked(request: Request, *, html: bool) -> Page | None:
    """The page ``?page=N`` asks for (an HTML page: the first by default; else none,
    the whole result).

    Raises:
        BadParameterError: ``page`` is not a whole number from 1.
    """
    given = request.query_params.get("page")
    if given is None or given == "":
        return Page(1, request.app.state.settings.page_size) if html else None
    if not given.isdigit() or not 1 <= int(given) <= MAX_PAGE:
        raise BadParameterError(
            f"page must be a whole number from 1 to {MAX_PAGE:,}, got {given!r}")
    return Page(int(given), request.app.state.settings.page_size)


def page_links(query: CannedQuery, values: dict[str, str], page: Page | None, *,
               more: bool, fmt: str) -> dict[str, str | None]:
    """The URLs of the pages before and after ``page`` (``None`` where there is none)."""
    if page is None:
        return {}
    given = {k: v for k, v in values.items() if v != ""}
    if fmt != "html":
        given["format"] = fmt

    def url(number: int) -> str:
        return f"/queries/{query.name}?{urlencode({**given, 'page': number})}"

    return {"previous": url(page.number - 1) if page.number > 1 else None,
            "next": url(page.number + 1) if more else None}


def _page(
    query: CannedQuery,
    values: dict[str, str],
    *,
    table: Table | None = None,
    error: MandategraphError | None = None,
) -> dict[str, Any]:
    given = {k: v for k, v in values.items() if v != ""}
    downloads = [
        (label, f"/queries/{query.name}?{urlencode({**given, 'format': fmt})}")
        for label, fmt in (("JSON", "json"), ("CSV", "csv"), ("SPARQL JSON", "srj"),
                           ("SPARQL XML", "srx"), ("TSV", "tsv"))
    ]
    return {
        "title": query.name,
        "query": query,
        "values": values,
        "table": table,
        "cells": [],
        "downloads": downloads,
        "error": error.to_dict() if error is not None else None,
    }


#: What running a canned query answers, by ``?format=`` or ``Accept``.
RESULTS = {
    200: {
        "model": TableOut,
        "description": "The results: a page with the form, JSON rows, or a SPARQL results "
        "format.",
        "headers": TRUNCATED,
        "content": {
            HTML: text("The query, its form and its results, as a page."),
            **media([FORMATS["srj"]], SPARQL_JSON),
            **media([FORMATS[f] for f in ("srx", "csv", "tsv")]),
        },
    },
    # 404 also for a code (theme, state, actor...) that names nothing in the graph
    **errors(400, 404, 406),
}


def query_router(catalog: dict[str, CannedQuery]) -> APIRouter:
    """One documented route per canned query (as grlc does), with its own parameters."""
    routes = APIRouter(tags=["canned queries"])
    for name, query in catalog.items():
        routes.add_api_route(
            f"/queries/{name}", _runner(name), methods=["GET"], name=f"query_{name}",
            summary=query.summary, description=query.description or query.summary,
            response_model=None, responses=RESULTS,
            openapi_extra={"parameters": [*(param_schema(p) for p in query.params),
                                          format_param(list(FORMATS)), PAGE_PARAM]},
        )
    return routes


def _runner(name: str) -> Callable[[Request], Response]:
    def run(request: Request) -> Response:
        return run_canned(request, name)

    return run


def setup(app: FastAPI) -> None:
    """Add the canned-query routes: one per query of the catalogue, then any name."""
    app.include_router(query_router(load_catalog()))
    app.include_router(router)

