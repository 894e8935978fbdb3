"""The OpenAPI document: every status, parameter, body and media type the API answers.

Routes declare what is theirs (``responses=errors(400, 404)``, HTML next to JSON, the
SPARQL protocol's parameters and bodies); :func:`complete` adds what every operation
shares, because it comes from the app's middleware and error handlers rather than
from the route:

* an error is ``{"error", "detail", "status"}`` as JSON (:class:`ErrorBody`), or an
  HTML page for a browser, on every status it is documented for;
* a value FastAPI rejects is answered 400 (see :mod:`mandategraph.api.protocol`), never 422: the
  422 FastAPI documents by itself is replaced;
* any operation may answer 503 (store unavailable, query past the timeout), and one
  that takes a body 413 (body over ``MANDATEGRAPH_MAX_QUERY_BYTES``).

Methods other than the documented ones are answered 405 with ``Allow``, and
``OPTIONS`` 204 with ``Allow``, on every path (:mod:`mandategraph.api.protocol`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

from mandategraph.api.responses import HTML, TRUNCATED_HEADER
from mandategraph.graph.sparql.formats import GRAPH_FORMATS, RESULT_FORMATS

JSON = "application/json"

#: What each error status means in this API.
ERROR_STATUSES: dict[int, str] = {
    400: "Bad parameter: a value of the wrong type or out of range, or a query that "
    "does not parse (the message names the valid values).",
    403: "Forbidden: SPARQL Update without the token, LOAD, or a SERVICE not allow-listed.",
    404: "Not found: no resource, canned query or page of that name.",
    406: "Unknown format: no format that this operation writes fits ?format= or Accept.",
    413: "Payload too large: the request body is over MANDATEGRAPH_MAX_QUERY_BYTES.",
    415: "Unsupported media type: the body is in no RDF format this operation reads.",
    503: "Store unavailable, or the query ran past MANDATEGRAPH_QUERY_TIMEOUT.",
}

#: Statuses every operation may answer, from the app's middleware and handlers.
SHARED_ERRORS = (503,)
#: Statuses every operation with a request body may answer.
BODY_ERRORS = (413,)

#: The media types of SELECT/ASK results and of CONSTRUCT/DESCRIBE results.
RESULT_MEDIA = [media for _fmt, media in RESULT_FORMATS.values()]
GRAPH_MEDIA = [media for _fmt, media in GRAPH_FORMATS.values()]

#: SPARQL 1.1 Query Results JSON: ``head``, then ``results`` (SELECT) or ``boolean`` (ASK).
SPARQL_JSON: dict[str, Any] = {
    "type": "object",
    "required": ["head"],
    "properties": {
        "head": {"type": "object"},
        "results": {"type": "object", "properties": {"bindings": {"type": "array"}}},
        "boolean": {"type": "boolean"},
    },
}
#: JSON-LD: an object or an array of nodes.
JSON_LD: dict[str, Any] = {"type": ["object", "array"]}

TRUNCATED = {
    TRUNCATED_HEADER: {
        "description": "true when the result was cut at MANDATEGRAPH_MAX_ROWS rows.",
        "schema": {"type": "string", "enum": ["true"]},
    }
}


class ErrorBody(BaseModel):
    """An error: what went wrong, the message, and the HTTP status."""

    error: str = Field(description="The kind of error, e.g. 'bad parameter', 'not found'.")
    detail: str = Field(description="The message: what was wrong and what is accepted.")
    status: int = Field(description="The HTTP status code.")
    line: int | None = Field(None, description="Line of a SPARQL syntax error (from 1).")
    column: int | None = Field(None, description="Column of a SPARQL syntax error (from 1).")


def text(description: str = "") -> dict[str, Any]:
    """A media type entry whose body is text (HTML, CSV, Turtle...)."""
    entry: dict[str, Any] = {"schema": {"type": "string"}}
    if description:
        entry["schema"]["description"] = description
    return entry


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for error statuses: the JSON error body, or an HTML page."""
    return {
        code: {
            "model": ErrorBody,
            "description": ERROR_STATUSES[code],
            "content": {HTML: text("The error as a page, for a browser.")},
        }
        for code in codes
    }


def html_too(description: str = "An HTML page, for a browser.") -> dict[int | str, Any]:
    """``responses=`` entry for a 200 that is JSON or, by negotiation, an HTML page."""
    return {200: {"content": {HTML: text(description)}}}


def media(types: Iterable[str], schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """A ``content`` map giving each of ``types`` the same schema (text by default)."""
    return {t: {"schema": dict(schema or {"type": "string"})} for t in types}


def _error_response(code: int, schema_ref: str) -> dict[str, Any]:
    return {
        "description": ERROR_STATUSES[code],
        "content": {
            JSON: {"schema": {"$ref": schema_ref}},
            HTML: text("The error as a page, for a browser."),
        },
    }


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """Add to a generated document what every operation shares (see the module doc)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorBody", ErrorBody.model_json_schema())
    ref = "#/components/schemas/ErrorBody"
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            if responses.pop("422", None) is not None and _may_reject(operation):
                responses.setdefault("400", _error_response(400, ref))
            shared = SHARED_ERRORS + (BODY_ERRORS if "requestBody" in operation else ())
            for code in shared:
                responses.setdefault(str(code), _error_response(code, ref))
    # FastAPI's own 422 body is never sent
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    return schema


def _constrained(schema: dict[str, Any]) -> bool:
    """Whether some text sent for a parameter of this schema is refused."""
    branches = [b for b in schema.get("anyOf", [schema]) if b.get("type") != "null"]
    return any(
        b.get("type", "string") != "string"
        or any(key in b for key in ("pattern", "enum", "const", "minLength", "maxLength"))
        for b in branches
    )


def _may_reject(operation: dict[str, Any]) -> bool:
    """Whether FastAPI can refuse a value of this operation (FastAPI says 422 of any)."""
    return any(p.get("required") and p.get("in") != "path" or _constrained(p.get("schema", {}))
               for p in operation.get("parameters", []))


def install(app: FastAPI) -> None:
    """Serve the completed document at ``/openapi.json`` (built once, on first use)."""
    generate = app.openapi

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(generate())
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]


# -- the SPARQL protocol (api.sparql reads its requests itself) ------------------------------


def _query_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


def _graphs(name: str, description: str) -> dict[str, Any]:
    # repeatable: ?default-graph-uri=a&default-graph-uri=b
    return {**_query_param(name, description, {"type": "array", "items": GRAPH_IRI}),
            "style": "form", "explode": True}


#: A graph name: an absolute IRI (400 otherwise).
GRAPH_IRI = {"type": "string", "format": "iri"}
QUERY_TEXT = {"type": "string", "format": "sparql-query", "description": "A SPARQL 1.1 query."}
UPDATE_TEXT = {"type": "string", "format": "sparql-update",
               "description": "A SPARQL 1.1 update."}
DATASET = [
    _graphs("default-graph-uri", "A graph of the query's default graph (repeatable); "
            "replaces the query's FROM."),
    _graphs("named-graph-uri", "A named graph of the query's dataset (repeatable); "
            "replaces the query's FROM NAMED."),
]
USING = [
    _graphs("using-graph-uri", "A graph of the update's default graph (repeatable)."),
    _graphs("using-named-graph-uri", "A named graph of the update's dataset (repeatable)."),
]


def sparql_format(names: Iterable[str]) -> dict[str, Any]:
    """The ``format`` parameter of ``/sparql``: a format name or media type, any case.

    Not an enum: an unknown name is a negotiation that failed (406), like an ``Accept``
    that nothing fits, and without a query (the service description) it is not read.
    """
    return _query_param(
        "format", f"The results format, instead of Accept: {', '.join(names)}, in any "
        "case (csv and tsv fit SELECT/ASK; ttl, nt and jsonld fit CONSTRUCT/DESCRIBE; "
        "406 when the format is unknown or does not fit the query).",
        {"type": "string"},
    )


def sparql_get(formats: Iterable[str]) -> dict[str, Any]:
    """``openapi_extra`` of ``GET /sparql``: the query and its dataset in the URL."""
    query = _query_param("query", "The query; without it, the service description (an "
                         "HTML editor for a browser).", QUERY_TEXT)
    return {"parameters": [query, *DATASET, sparql_format(formats)]}


def sparql_post(formats: Iterable[str]) -> dict[str, Any]:
    """``openapi_extra`` of ``POST /sparql``: a query (or update) as a form or as the body."""
    # fields other than these are ignored; a form with both a query and an update is 400
    form_query = {
        "type": "object", "required": ["query"], "not": {"required": ["update"]},
        "properties": {
            "query": QUERY_TEXT,
            "default-graph-uri": {"type": "array", "items": GRAPH_IRI},
            "named-graph-uri": {"type": "array", "items": GRAPH_IRI},
        },
    }
    return {
        "parameters": [*DATASET, sparql_format(formats)],
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {"oneOf": [form_query, _form_update()]},
                    "encoding": {name: {"style": "form", "explode": True} for name in (
                        "default-graph-uri", "named-graph-uri",
                        "using-graph-uri", "using-named-graph-uri")},
                },
                "application/sparql-query": {"schema": QUERY_TEXT},
                "application/sparql-update": {"schema": UPDATE_TEXT},
            },
        },
    }


def _form_update() -> dict[str, Any]:
    """The form an update is POSTed as: ``update`` and the protocol's ``using-*``."""
    return {
        "type": "object", "required": ["update"], "not": {"required": ["query"]},
        "properties": {
            "update": UPDATE_TEXT,
            "using-graph-uri": {"type": "array", "items": GRAPH_IRI},
            "using-named-graph-uri": {"type": "array", "items": GRAPH_IRI},
        },
    }


def sparql_update() -> dict[str, Any]:
    """``openapi_extra`` of ``POST /sparql/update``: an update as the body or as a form."""
    return {
        "parameters": USING,
        "requestBody": {
            "required": True,
            "content": {
                "application/sparql-update": {"schema": UPDATE_TEXT},
                "application/x-www-form-urlencoded": {"schema": _form_update()},
            },
        },
    }


#: The answers of a SPARQL query: a results format, or an RDF format.
SPARQL_RESULTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SELECT/ASK results or CONSTRUCT/DESCRIBE triples, in the format "
        "?format= or Accept asks for; without a query, the service description (RDF) or, "
        "for a browser, the SPARQL editor.",
        "headers": TRUNCATED,
        "content": {
            **media((m for m in RESULT_MEDIA if m.endswith("+json")), SPARQL_JSON),
            **media(m for m in RESULT_MEDIA if not m.endswith("+json")),
            **media((m for m in GRAPH_MEDIA if m.endswith("+json")), JSON_LD),
            **media(m for m in GRAPH_MEDIA if not m.endswith("+json")),
            HTML: text("The SPARQL editor, for a browser."),
        },
    },
}
