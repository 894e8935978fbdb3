"""The SPARQL 1.1 Protocol at ``/sparql`` (queries, and updates when a token is set).

Queries: ``GET /sparql?query=``, ``POST`` form (``application/x-www-form-urlencoded``)
or ``POST`` ``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri``
(repeatable) replace the query's own dataset; without any, the default graph is the
union of all named graphs. Results by ``Accept`` or ``?format=`` (``json``, ``xml``,
``csv``, ``tsv`` for SELECT/ASK; ``ttl``, ``nt``, ``jsonld``, ``xml`` for
CONSTRUCT/DESCRIBE); 406 when none fits. ``GET /sparql`` without a query answers the
SPARQL 1.1 Service Description, or, for a browser, the page registered as
``app.state.sparql_html``.

Safe by default:

* queries run in killable worker processes (:mod:`mandategraph.graph.executor`); past
  ``MANDATEGRAPH_QUERY_TIMEOUT`` the work is stopped and the answer is 503 with a JSON
  message, while other requests keep being served;
* at most ``MANDATEGRAPH_MAX_ROWS`` rows (or triples) are returned; a cut result says
  so in the header ``X-Mandategraph-Truncated: true`` and stays a valid document;
* the engine cannot reach the network (a SERVICE to any host would let anyone make
  this server send requests: server-side request forgery): queries run on threads
  whose sockets are switched off (:mod:`mandategraph.graph.sandbox`), so a ``SERVICE`` or ``LOAD``
  fails with 403 whatever its spelling; only with ``MANDATEGRAPH_SERVICE_ALLOWLIST``
  set may a query whose ``SERVICE`` endpoints are all listed run with network;
* the checks of a query (size, nesting, SERVICE) run in the worker under the
  timeout, never on the event loop; bodies over ``MANDATEGRAPH_MAX_QUERY_BYTES`` are
  refused with 413;
* SPARQL Update (``POST /sparql/update``, or ``POST /sparql`` with
  ``application/sparql-update`` or a form ``update=``) only when
  ``MANDATEGRAPH_UPDATE_TOKEN`` is set, and only with ``Authorization: Bearer
  <token>`` (403 otherwise); ``LOAD`` is always refused (it fetches URLs).

When updates are on, the server still opens the store read-only for its pages and
query workers; the first update starts the single writer, a process holding the only
read-write open of the store (killed on timeout: an update is one transaction, so
nothing is written). ``mandategraph build`` / ``ingest`` cannot run while that writer
holds the store; stop the server first, or serve without an update token.
"""

from __future__ import annotations

import inspect
import secrets
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import parse_qsl

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from mandategraph.api import openapi
from mandategraph.api.openapi import SPARQL_RESULTS, errors
from mandategraph.api.settings import Settings
from mandategraph.errors import BadParameterError, ForbiddenError, UnknownFormatError
from mandategraph.graph.executor import Executor
from mandategraph.graph.store import Store

router = APIRouter(tags=["sparql"])

#: Header set on a response whose result was cut at ``max_rows``.
TRUNCATED_HEADER = "X-Mandategraph-Truncated"

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")

#: media type -> results format (SELECT/ASK), in order of preference
RESULT_MEDIA: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}

#: media type -> RDF format (CONSTRUCT/DESCRIBE, service description), in order of preference
GRAPH_MEDIA: dict[str, str] = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "xml",
    "application/x-turtle": "ttl",
    "text/plain": "nt",
    "application/json": "jsonld",
    "application/xml": "xml",
    "text/xml": "xml",
}

#: ``?format=`` values: name -> (results format, RDF format)
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "xml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "ttl": (None, "ttl"),
    "turtle": (None, "ttl"),
    "nt": (None, "nt"),
    "ntriples": (None, "nt"),
    "n-triples": (None, "nt"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
    "rdfxml": (None, "xml"),
    "rdf": (None, "xml"),
}

_SD_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
_SD_MEDIA = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "xml": "application/rdf+xml",
}
_HTML = ("text/html", "application/xhtml+xml")


# -- application wiring -------------------------------------------------------------


def add_cors(app: FastAPI, settings: Settings) -> None:
    """Allow the configured origins (``MANDATEGRAPH_CORS_ORIGINS``) to call the API."""
    if not settings.cors_origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Authorization", "Content-Type"],
        expose_headers=[TRUNCATED_HEADER],
    )


async def start_executor(app: FastAPI, store: Store, settings: Settings) -> None:
    """Start the query workers for ``store`` as ``app.state.executor``."""
    executor = Executor.for_store(
        store,
        workers=settings.query_workers,
        timeout=settings.query_timeout,
        max_rows=settings.max_rows,
        serve_from_memory=settings.serve_from_memory,
        cache_size=settings.query_cache_size,
        allocator=settings.worker_allocator,
        service_allowlist=tuple(settings.service_allowlist),
        max_query_bytes=settings.max_query_bytes,
        max_workers=settings.query_workers_max,
    )
    await anyio.to_thread.run_sync(executor.start)
    app.state.executor = executor


async def stop_executor(app: FastAPI) -> None:
    """Stop the query workers (and the writer, if one was started)."""
    executor: Executor | None = getattr(app.state, "executor", None)
    if executor is not None:
        await anyio.to_thread.run_sync(executor.close)
        app.state.executor = None


# -- negotiation ----------------------------------------------------------------------


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header, best first (q, then specificity, order)."""
    ranges: list[tuple[float, int, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((q, specificity, -index, media))
    ranges.sort(reverse=True)
    return [(media, q) for q, _, _, media in ranges if q > 0]


def choose(accept: list[tuple[str, float]], table: dict[str, str]) -> str | None:
    """The format of ``table`` the client prefers (the first entry when it accepts any)."""
    if not accept:
        return next(iter(table.values()))
    for media, _q in accept:
        if media in table:
            return table[media]
        if media == "*/*":
            return next(iter(table.values()))
        if media.endswith("/*"):
            family = media[:-1]
            for candidate, fmt in table.items():
                if candidate.startswith(family):
                    return fmt
    return None


def negotiate(request: Request) -> tuple[str | None, str | None]:
    """(results format, RDF format) for this request: ``?format=`` wins over ``Accept``.

    Raises:
        UnknownFormatError: ``?format=`` names no format we write.
    """
    name = request.query_params.get("format")
    if name:
        key = name.strip().lower()
        if key in FORMAT_NAMES:
            return FORMAT_NAMES[key]
        if key in RESULT_MEDIA or key in GRAPH_MEDIA:
            return RESULT_MEDIA.get(key), GRAPH_MEDIA.get(key)
        raise UnknownFormatError(
            f"unknown format {name!r} (use json, xml, csv, tsv, ttl, nt or jsonld)"
        )
    accept = parse_accept(request.headers.get("accept"))
    return choose(accept, RESULT_MEDIA), choose(accept, GRAPH_MEDIA)


def prefers_html(request: Request) -> bool:
    """Whether the client ranks an HTML page above every RDF format (a browser)."""
    for media, _q in parse_accept(request.headers.get("accept")):
        if media in _HTML:
            return True
        if media in GRAPH_MEDIA or media == "*/*":
            return False
    return False


# -- safety -----------------------------------------------------------------------------


def endpoint_url(request: Request) -> str:
    """This endpoint's absolute URL: the base IRI of queries and updates."""
    return f"{str(request.base_url).rstrip('/')}/sparql"


def check_token(request: Request, settings: Settings) -> None:
    """Let an update through only with the configured bearer token.

    Raises:
        ForbiddenError: updates are off, or the token is missing or wrong.
    """
    token = settings.update_token
    if not token:
        raise ForbiddenError(
            "SPARQL Update is disabled: this server is read-only "
            "(set MANDATEGRAPH_UPDATE_TOKEN to enable it)"
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        given.strip().encode(), token.encode()
    ):
        raise ForbiddenError("SPARQL Update needs the header 'Authorization: Bearer <token>'")


# -- reading requests -------------------------------------------------------------------


def _media_type(request: Request) -> tuple[str, str | None]:
    """(media type, charset) of the request body."""
    header = request.headers.get("content-type", "")
    fields = [f.strip() for f in header.split(";")]
    charset = None
    for param in fields[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return fields[0].lower(), charset


async def _body_text(request: Request, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise BadParameterError(f"the request body must be UTF-8, not {charset}")
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadParameterError("the request body is not valid UTF-8") from exc


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadParameterError(f"give one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


def _values(params: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in params if key == name]


# -- running ----------------------------------------------------------------------------


async def run_query(
    request: Request,
    text: str,
    *,
    default_graphs: list[str],
    named_graphs: list[str],
) -> Response:
    """Check and run one query; the response in the negotiated format."""
    if not text.strip():
        raise BadParameterError("the 'query' parameter is empty")
    base = endpoint_url(request)
    result_format, graph_format = negotiate(request)
    executor: Executor = request.app.state.executor
    result = await anyio.to_thread.run_sync(
        partial(
            executor.query,
            text,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base_iri=base,
            result_format=result_format,
            graph_format=graph_format,
        )
    )
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers[TRUNCATED_HEADER] = "true"
    return Response(result.body, media_type=result.media_type, headers=headers)


async def run_update(
    request: Request, text: str, *, using: list[str], using_named: list[str]
) -> Response:
    """Check the token and run one update on the single writer; 204 when done."""
    settings: Settings = request.app.state.settings
    check_token(request, settings)
    if not text.strip():
        raise BadParameterError("the 'update' parameter is empty")
    executor: Executor = request.app.state.executor
    await anyio.to_thread.run_sync(
        partial(
            executor.update,
            text,
            base_iri=endpoint_url(request),
            using=using,
            using_named=using_named,
        )
    )
    return Response(status_code=204)


# -- routes -----------------------------------------------------------------------------


@router.get(
    "/sparql", name="sparql_query", summary="SPARQL query (GET)", response_class=Response,
    responses={**SPARQL_RESULTS, **errors(400, 403, 406)},
    openapi_extra=openapi.sparql_get(dict.fromkeys([*FORMAT_NAMES, *RESULT_MEDIA, *GRAPH_MEDIA])),
)
async def sparql_get(request: Request) -> Response:
    """SPARQL query by GET; without a query, the service description (or a browser page)."""
    params = list(request.query_params.multi_items())
    if _values(params, "update"):
        raise BadParameterError("updates must be sent by POST, not GET")
    query = _one(_values(params, "query"), "query")
    if query is None:
        if prefers_html(request):
            hook: Callable[[Request], Any] | None = getattr(request.app.state, "sparql_html", None)
            if hook is not None:
                page = hook(request)
                return await page if inspect.isawaitable(page) else page
        return service_description(request)
    return await run_query(
        request,
        query,
        default_graphs=_values(params, "default-graph-uri"),
        named_graphs=_values(params, "named-graph-uri"),
    )


@router.post(
    "/sparql", summary="SPARQL query or update (POST)", response_class=Response,
    responses={**SPARQL_RESULTS, 204: {"description": "The update was applied."},
               **errors(400, 403, 406)},
    openapi_extra=openapi.sparql_post(dict.fromkeys([*FORMAT_NAMES, *RESULT_MEDIA, *GRAPH_MEDIA])),
)
async def sparql_post(request: Request) -> Response:
    """SPARQL query or update by POST (form, sparql-query or sparql-update body)."""
    media, charset = _media_type(request)
    url_params = list(request.query_params.multi_items())
    if media == "application/x-www-form-urlencoded":
        text = await _body_text(request, charset)
        params = url_params + parse_qsl(text, keep_blank_values=True)
        queries, updates = _values(params, "query"), _values(params, "update")
        if queries and updates:
            raise BadParameterError("give either 'query' or 'update', not both")
        if updates:
            return await run_update(
                request,
                _one(updates, "update") or "",
                using=_values(params, "using-graph-uri"),
                using_named=_values(params, "using-named-graph-uri"),
            )
        query = _one(queries, "query")
        if query is None:
            raise BadParameterError("no 'query' (or 'update') parameter in the form")
        return await run_query(
            request,
            query,
            default_graphs=_values(params, "default-graph-uri"),
            named_graphs=_values(params, "named-graph-uri"),
        )
    if media == "application/sparql-query":
        if _values(url_params, "query") or _values(url_params, "update"):
            raise BadParameterError("the query is the request body: no 'query' parameter too")
        return await run_query(
            request,
            await _body_text(request, charset),
            default_graphs=_values(url_params, "default-graph-uri"),
            named_graphs=_values(url_params, "named-graph-uri"),
        )
    if media == "application/sparql-update":
        return await _direct_update(request, charset, url_params)
    raise BadParameterError(
        "POST a query as application/x-www-form-urlencoded or application/sparql-query, "
        f"or an update as application/sparql-update (got {media or 'no content type'!r})"
    )


@router.post(
    "/sparql/update", summary="SPARQL update", status_code=204, response_class=Response,
    responses={204: {"description": "The update was applied."}, **errors(400, 403)},
    openapi_extra=openapi.sparql_update(),
)
async def sparql_update(request: Request) -> Response:
    """SPARQL Update by POST (sparql-update body or form ``update=``); needs the token."""
    media, charset = _media_type(request)
    url_params = list(request.query_params.multi_items())
    if media == "application/sparql-update":
        return await _direct_update(request, charset, url_params)
    if media == "application/x-www-form-urlencoded":
        text = await _body_text(request, charset)
        params = url_params + parse_qsl(text, keep_blank_values=True)
        if _values(params, "query"):
            raise BadParameterError("this is the update endpoint: send queries to /sparql")
        update = _one(_values(params, "update"), "update")
        if update is None:
            raise BadParameterError("no 'update' parameter in the form")
        return await run_update(
            request,
            update,
            using=_values(params, "using-graph-uri"),
            using_named=_values(params, "using-named-graph-uri"),
        )
    raise BadParameterError(
        "POST an update as application/sparql-update or application/x-www-form-urlencoded "
        f"(got {media or 'no content type'!r})"
    )


async def _direct_update(
    request: Request, charset: str | None, url_params: list[tuple[str, str]]
) -> Response:
    if _values(url_params, "update") or _values(url_params, "query"):
        raise BadParameterError("the update is the request body: no 'update' parameter too")
    return await run_update(
        request,
        await _body_text(request, charset),
        using=_values(url_params, "using-graph-uri"),
        using_named=_values(url_params, "using-named-graph-uri"),
    )


# Other methods (PUT, DELETE... and GET on /sparql/update) are answered 405 with the
# path's Allow, and OPTIONS 204, by api.protocol as on every path.


# -- service description ----------------------------------------------------------------


def service_description_graph(request: Request) -> Graph:
    """The SPARQL 1.1 Service Description of this endpoint."""
    settings: Settings = request.app.state.settings
    endpoint = URIRef(endpoint_url(request))
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    graph.bind("dcterms", DCTERMS)
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, DCTERMS.title, Literal("mandategraph SPARQL endpoint")))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.update_token:
        graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Update))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        graph.add((endpoint, SD.resultFormat, FORMATS[name]))
    graph.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    if settings.service_allowlist:
        graph.add((endpoint, SD.feature, SD.BasicFederatedQuery))
    graph.add((endpoint, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    dataset, default = BNode(), BNode()
    graph.add((endpoint, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    store: Store | None = getattr(request.app.state, "store", None)
    if store is not None:
        for name in sorted(store.oxigraph.named_graphs(), key=str):  # type: ignore[union-attr]
            if not hasattr(name, "value"):
                continue
            named = BNode()
            graph.add((dataset, SD.namedGraph, named))
            graph.add((named, RDF.type, SD.NamedGraph))
            graph.add((named, SD.name, URIRef(name.value)))
    return graph


def service_description(request: Request) -> Response:
    """The service description in the RDF format the client asks for (Turtle by default)."""
    accept = parse_accept(request.headers.get("accept"))
    fmt = choose(accept, GRAPH_MEDIA) or "ttl"
    body = service_description_graph(request).serialize(format=_SD_FORMATS[fmt])
    return Response(body, media_type=_SD_MEDIA[fmt], headers={"Vary": "Accept"})
