"""The SPARQL 1.1 Protocol at ``/sparql`` (queries, and updates when a token is set).

Queries: ``GET /sparql?query=``, ``POST`` form (``application/x-www-form-urlencoded``)
or ``POST`` ``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri``
(repeatable) replace the query's own dataset; without any, the default graph is the
union of all named graphs. Results by ``Accept`` or ``?format=`` (``json``, ``xml``,
``csv``, ``tsv`` for SELECT/ASK; ``ttl``, ``nt``, ``jsonld``, ``xml`` for
CONSTRUCT/DESCRIBE); 406 when none fits. ``GET /sparql`` without a query answers the
SPARQL 1.1 Service Description, or, for a browser, the SPARQL editor (YASGUI, from
local assets, also at ``/sparql/editor``).

Safe by default:

* queries run in killable worker processes (:mod:`mandategraph.graph.sparql.executor`); past
  ``MANDATEGRAPH_QUERY_TIMEOUT`` the work is stopped and the answer is 503 with a JSON
  message, while other requests keep being served;
* at most ``MANDATEGRAPH_MAX_ROWS`` rows (or triples) are returned; a cut result says
  so in the header ``X-Mandategraph-Truncated: true`` and stays a valid document;
* the engine cannot reach the network (a SERVICE to any host would let anyone make
  this server send requests: server-side request forgery): queries run on threads
  whose sockets are switched off (:mod:`mandategraph.graph.sparql.sandbox`), so a
  ``SERVICE`` or ``LOAD`` fails with 403 whatever its spelling; only with
  ``MANDATEGRAPH_SERVICE_ALLOWLIST`` set may a query whose ``SERVICE`` endpoints are
  all listed run with network;
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

import re
import secrets
from functools import partial
from urllib.parse import parse_qsl

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from mandategraph.api import openapi
from mandategraph.api.openapi import SPARQL_RESULTS, errors
from mandategraph.api.responses import STATIC_DIR, TRUNCATED_HEADER, choose, preferred, render
from mandategraph.api.settings import Settings
from mandategraph.errors import (
    BadParameterError,
    ForbiddenError,
    MandategraphError,
    UnknownFormatError,
)
from mandategraph.graph.backends import executor_for
from mandategraph.graph.sparql.executor import Executor
from mandategraph.graph.sparql.formats import (
    FORMAT_NAMES,
    GRAPH_FORMATS,
    GRAPH_MEDIA,
    RDFLIB_NAMES,
    RESULT_MEDIA,
)
from mandategraph.graph.sparql.guard import check_graph_names
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import PREFIXES
from mandategraph.queries.catalog import load_catalog

router = APIRouter(tags=["sparql"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")

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
    executor = executor_for(
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


def negotiate(request: Request) -> tuple[str | None, str | None]:
    """(results format, RDF format) for this request: ``?format=`` wins over ``Accept``.

    ``format`` may be repeated or a comma-separated list: for each query form the first
    value naming a format of that form is used.

    Raises:
        UnknownFormatError: ``?format=`` names no format we write.
    """
    # repeated values and comma-separated lists (SPARQLWrapper sends
    # ``format=json-ld&format=application/ld+json,application/x-json+ld``): for each
    # query form, the first value we know wins
    names = [
        value.split(";")[0].strip().lower()
        for given in request.query_params.getlist("format")
        for value in given.split(",")
    ]
    names = [name for name in names if name]
    if names:
        result_format: str | None = None
        graph_format: str | None = None
        known = False
        for key in names:
            if key in FORMAT_NAMES:
                results, graph = FORMAT_NAMES[key]
            elif key in RESULT_MEDIA or key in GRAPH_MEDIA:
                results, graph = RESULT_MEDIA.get(key), GRAPH_MEDIA.get(key)
            else:
                continue
            known = True
            result_format = result_format or results
            graph_format = graph_format or graph
        if not known:
            raise UnknownFormatError(
                f"unknown format {', '.join(names)!r} "
                "(use json, xml, csv, tsv, ttl, nt or jsonld)"
            )
        return result_format, graph_format
    accept = request.headers.get("accept")
    return choose(accept, RESULT_MEDIA), choose(accept, GRAPH_MEDIA)


def prefers_html(request: Request) -> bool:
    """Whether the client ranks an HTML page above every RDF format (a browser)."""
    # the RDF formats offered first: a client accepting anything gets the description
    return preferred(request.headers.get("accept"), [*GRAPH_MEDIA, *_HTML]) in _HTML


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
        # a dataset without a query is answered with the description, but checked all the
        # same: a malformed graph name is a 400 whether or not a query comes with it
        check_graph_names("default-graph-uri", _values(params, "default-graph-uri"))
        check_graph_names("named-graph-uri", _values(params, "named-graph-uri"))
        if prefers_html(request):
            return sparql_page(request)
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
    fmt = choose(request.headers.get("accept"), GRAPH_MEDIA) or "ttl"
    body = service_description_graph(request).serialize(format=RDFLIB_NAMES[fmt])
    return Response(body, media_type=GRAPH_FORMATS[fmt][1], headers={"Vary": "Accept"})


# -- the SPARQL editor -------------------------------------------------------------------


def with_prefixes(text: str) -> str:
    """The query with ``PREFIX`` lines for the prefixes it uses but does not declare,
    after its header comments, so it runs on any SPARQL endpoint."""
    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", text)}
    needed = [
        f"PREFIX {prefix}: <{namespace}>"
        for prefix, namespace in PREFIXES.items()
        if prefix.lower() not in declared and re.search(rf"(?<![\w:<]){prefix}:", text)
    ]
    if not needed:
        return text
    lines = text.splitlines()
    at = 0
    while at < len(lines) and (lines[at].startswith("#") or not lines[at].strip()):
        at += 1
    return "\n".join([*lines[:at], *needed, *lines[at:]]) + "\n"


def editor_queries(engine: str = "oxigraph") -> list[dict[str, str]]:
    """The canned queries as the SPARQL editor offers them (defaults bound), in the
    text the store's ``engine`` runs."""
    found = []
    for query in (q.on(engine) for q in load_catalog().values()):
        try:
            text = query.sparql()
        except MandategraphError:
            text = query.text
        found.append({"name": query.name, "summary": query.summary,
                      "sparql": with_prefixes(text)})
    return found


def sparql_page(request: Request) -> HTMLResponse:
    """YASGUI, from local assets, on this server's ``/sparql``, with the canned queries."""
    vendor = STATIC_DIR / "vendor" / "yasgui" / "yasgui.min.js"
    return render(request, "sparql.html", {
        "title": "SPARQL",
        "queries": editor_queries(request.app.state.store.engine),
        "assets": vendor.is_file(),
    })


@router.get("/sparql/editor", response_class=HTMLResponse, include_in_schema=False)
def sparql_editor(request: Request) -> HTMLResponse:
    """The SPARQL editor (also what a browser gets at ``/sparql``)."""
    return sparql_page(request)
