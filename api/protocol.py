"""How every route answers a request outside what it takes, as :mod:`mandategraph.api.openapi` says.

* A query or path value of the wrong type or out of range: 400 ``bad parameter``
  naming the valid values ("offset must be a whole number between 0 and 10000000, got
  -5"), not FastAPI's 422 with its own body.
* A path no route serves: 404 in the error shape.
* Methods, from the routes themselves, for every path alike: ``OPTIONS`` answers 204
  with ``Allow``; ``HEAD`` runs ``GET`` and sends no body; any other method the path
  does not take is 405 with ``Allow`` listing every method of the path (Starlette alone
  answers with the methods of the first route it tried, ``Allow: GET`` on ``/sparql``).

Errors are rendered by :func:`mandategraph.api.responses.error_response`: JSON, or a page
for a browser.
A CORS preflight never reaches this: the CORS middleware wraps it and answers first.
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mandategraph.api import openapi
from mandategraph.api.responses import error_response
from mandategraph.errors import BadParameterError, MandategraphError, NotFoundError

#: The order methods are listed in ``Allow``.
METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
#: The methods a route may take, asked of each route in turn.
PROBED = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


class MethodNotAllowedError(BadParameterError):
    """The path exists but does not take this method."""

    http_status = 405
    title = "method not allowed"


class HTTPError(MandategraphError):
    """An error Starlette raised itself (a path no route serves), in our shape."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.http_status = status
        self.title = HTTPStatus(status).phrase.lower()


# -- methods ------------------------------------------------------------------------------


def path_methods(routes: Iterable[BaseRoute], scope: Scope) -> set[str]:
    """The methods the routes take at this scope's path (empty: no route has the path).

    Each route is asked whether it fully matches the path with each method: FastAPI
    keeps included routers as routes of their own, so this is the one public question.
    """
    methods: set[str] = set()
    for route in routes:
        if isinstance(route, Mount):
            # the static files: StaticFiles answers GET and HEAD whatever the method
            if route.matches(scope)[0] != Match.NONE:
                methods |= {"GET", "HEAD"}
            continue
        for method in PROBED:
            if method not in methods:
                if route.matches({**scope, "method": method})[0] == Match.FULL:
                    methods.add(method)
    return methods


def allow_header(methods: set[str]) -> str:
    """``Allow`` for a path taking ``methods`` (with HEAD for GET, and OPTIONS)."""
    full = set(methods) | {"OPTIONS"}
    if "GET" in full:
        full.add("HEAD")
    return ", ".join(sorted(full, key=lambda m: (METHOD_ORDER + (m,)).index(m)))


class MethodsMiddleware:
    """OPTIONS, HEAD and 405 answered alike on every path, from the app's routes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        routed = path_methods(scope["app"].router.routes, scope)
        method = scope["method"]
        if not routed or method in routed:
            await self.app(scope, receive, send)  # served, or 404 by the router
            return
        allow = allow_header(routed)
        if method == "OPTIONS":
            await Response(status_code=204, headers={"Allow": allow})(scope, receive, send)
        elif method == "HEAD" and "GET" in routed:
            await self.app({**scope, "method": "GET"}, receive, _without_body(send))
        else:
            request = Request(scope, receive)
            error = MethodNotAllowedError(
                f"{method} is not allowed on {request.url.path} (allowed: {allow})"
            )
            response = error_response(request, error)
            response.headers["Allow"] = allow
            await response(scope, receive, send)


def _without_body(send: Send) -> Send:
    """``send`` for a HEAD request: the GET response's status and headers, no body."""

    async def head(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return head


# -- errors ---------------------------------------------------------------------------------


def _bounds(request: Request, name: str) -> tuple[Any, Any, str | None]:
    """(minimum, maximum, pattern) declared for the parameter ``name`` of this route."""
    low = high = pattern = None
    dependant = getattr(request.scope.get("route"), "dependant", None)
    fields = [] if dependant is None else dependant.query_params + dependant.path_params
    for field in fields:
        if name not in (field.name, field.alias):
            continue
        for constraint in field.field_info.metadata:
            low = getattr(constraint, "ge", low)
            high = getattr(constraint, "le", high)
            pattern = getattr(constraint, "pattern", pattern)
    return low, high, pattern


def _range(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f"between {low} and {high}"
    if low is not None:
        return f"at least {low}"
    return f"at most {high}" if high is not None else ""


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def problem(request: Request, error: dict[str, Any]) -> str:
    """One validation error as a sentence that names the valid values."""
    location = [str(p) for p in error.get("loc", ())]
    name = ".".join(location[1:]) or "request"
    kind = error.get("type", "")
    got = f", got {_shown(error['input'])}" if "input" in error else ""
    low, high, pattern = _bounds(request, location[-1] if location else "")
    if kind == "missing":
        return f"{name} is required"
    if kind in ("int_parsing", "int_from_float", "greater_than_equal", "less_than_equal",
                "greater_than", "less_than"):
        span = _range(low, high)
        return f"{name} must be a whole number{' ' + span if span else ''}{got}"
    if kind == "bool_parsing":
        return f"{name} must be true or false{got}"
    if kind in ("literal_error", "enum"):
        return f"{name} must be one of {error.get('ctx', {}).get('expected', '')}{got}"
    if kind == "string_pattern_mismatch":
        return f"{name} must match {pattern or error.get('ctx', {}).get('pattern')}{got}"
    return f"{name}: {error.get('msg', 'invalid')}{got}"


async def invalid_request(request: Request, exc: Exception) -> Response:
    """A value of the wrong type or out of range: 400 ``bad parameter``, in our shape."""
    assert isinstance(exc, RequestValidationError)
    message = "; ".join(problem(request, e) for e in exc.errors()) or "invalid request"
    return error_response(request, BadParameterError(message))


async def http_error(request: Request, exc: Exception) -> Response:
    """An error Starlette raised (no route for the path), in our shape."""
    assert isinstance(exc, StarletteHTTPException)
    error: MandategraphError
    if exc.status_code == 404:
        error = NotFoundError(f"nothing is served at {request.url.path}")
    else:
        error = HTTPError(exc.status_code, str(exc.detail))
    response = error_response(request, error)
    response.headers.update(exc.headers or {})
    return response


def setup(app: FastAPI) -> None:
    """Answer requests outside the contract alike on every route; serve the document.

    Call before the CORS middleware is added, so that a preflight reaches CORS first.
    """
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_middleware(MethodsMiddleware)
    openapi.install(app)
