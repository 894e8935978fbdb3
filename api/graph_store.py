"""Writing graphs over HTTP: the SPARQL 1.1 Graph Store Protocol at ``/store``, and the
removal of an ingested document (``DELETE /api/documents/{slug}``).

``/store?graph=<IRI>`` names a graph, ``/store?default`` (or ``/store``) the default graph, which is
what ``/sparql`` queries see: the union of every graph. Reading is open to all:

* ``GET`` (and ``HEAD``) a graph as Turtle, N-Triples, JSON-LD or RDF/XML by ``Accept``
  (or ``?format=ttl|nt|jsonld|xml``); 404 for a named graph the store does not hold.

Writing needs the update token (``Authorization: Bearer <token>``, as SPARQL Update
does; 403 without it) and runs on the single writer as one SPARQL update, so it is one
transaction:

* ``PUT`` replaces the graph with the body (201 when it was new, else 204);
* ``POST`` adds the body's triples to it (201 when it was new, else 204);
* ``DELETE`` drops it (204; 404 when it is not there).

On ``?default``, ``PUT``, ``POST`` and ``DELETE`` act on the store's own default graph,
the part of the union that is in no named graph. A body is Turtle, N-Triples, JSON-LD
or RDF/XML, named by ``Content-Type`` (415 otherwise; 400 when it does not parse).

``DELETE /api/documents/{slug}`` (token too) removes an ingested document as
``mandategraph remove`` does: its named graph and the inferences only it supported
(:mod:`mandategraph.graph.removal`); 204, also when it was not stored (idempotent).
"""

from __future__ import annotations

import io
from functools import partial
from typing import Literal

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import Response

from mandategraph.api.openapi import errors
from mandategraph.api.responses import choose
from mandategraph.api.sparql import check_token, endpoint_url
from mandategraph.errors import BadParameterError, NotFoundError, UnknownFormatError
from mandategraph.graph.removal import document_slug, removal_update
from mandategraph.graph.sparql.executor import Executor
from mandategraph.graph.sparql.formats import GRAPH_FORMATS, GRAPH_MEDIA
from mandategraph.ontology.namespaces import PREFIXES

router = APIRouter(tags=["Graph Store Protocol"])


class UnsupportedMediaError(BadParameterError):
    """A request body in a format the route does not read."""

    http_status = 415
    title = "unsupported media type"


# ``?default`` (the protocol's name for the default graph, which is also what no
# parameter means) is read from the query string, not declared: OpenAPI cannot say that
# it excludes ``graph``, and a schema-valid request must not be refused.
GraphParam = Query(None, description="IRI of the named graph; without it (or with the "
                   "protocol's ?default), the default graph")
FormatParam = Query(None, description="ttl, nt, jsonld or xml, instead of Accept")
GraphFormat = Literal["ttl", "nt", "jsonld", "xml"]


def _target(request: Request, graph: str | None, *, reading: bool = False
            ) -> ox.NamedNode | None:
    """The named graph asked for, ``None`` for the default graph.

    Raises:
        BadParameterError: both ``graph`` and ``default`` (neither is the default
            graph, as ``?default``); not an IRI
            (to write to).
        NotFoundError: not an IRI, to read or drop: no graph has that name.
    """
    if graph is not None and "default" in request.query_params:
        raise BadParameterError("give either ?graph=<IRI> or ?default, not both")
    if graph is None:
        return None
    try:
        return ox.NamedNode(graph)
    except ValueError as exc:
        if reading:
            raise NotFoundError(f"the store holds no graph named {graph!r}") from exc
        raise BadParameterError(f"graph must be an absolute IRI, got {graph!r}") from exc


def _held(request: Request, target: ox.NamedNode | None) -> bool:
    """Whether the store holds the named graph (the default graph always exists)."""
    if target is None:
        return True
    store: ox.Store = request.app.state.store.oxigraph
    return bool(store.contains_named_graph(target))


@router.get("/store", summary="A graph of the store (Graph Store Protocol)",
            response_class=Response, responses=errors(400, 404, 406))
def get_graph(request: Request, graph: str | None = GraphParam,
              format: GraphFormat | None = FormatParam) -> Response:
    """A named graph, or the default graph (the union), in an RDF format."""
    target = _target(request, graph, reading=True)
    if format is not None:
        name: str = format
    else:
        chosen = choose(request.headers.get("accept"), GRAPH_MEDIA)
        if chosen is None:
            raise UnknownFormatError(
                "this serves " + ", ".join(dict.fromkeys(m for _f, m in GRAPH_FORMATS.values()))
            )
        name = chosen
    store = request.app.state.store
    if target is None:
        results = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        try:
            triples = list(dict.fromkeys(results))
        finally:
            del results
    else:
        if not _held(request, target):
            raise NotFoundError(f"the store holds no graph <{target.value}>")
        triples = [quad.triple for quad in
                   store.oxigraph.quads_for_pattern(None, None, None, target)]
    rdf_format, media = GRAPH_FORMATS[name]
    out = io.BytesIO()
    ox.serialize(triples, out, format=rdf_format,
                 prefixes=PREFIXES if name == "ttl" else None)
    return Response(out.getvalue(), media_type=media, headers={"Vary": "Accept"})


async def _body_triples(request: Request) -> str:
    """The request body's triples as N-Triples text.

    Raises:
        UnsupportedMediaError: no RDF format of ours has that ``Content-Type``.
        BadParameterError: the body does not parse.
    """
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    name = GRAPH_MEDIA.get(media)
    if name is None:
        raise UnsupportedMediaError(
            f"send the graph as {', '.join(m for _f, m in GRAPH_FORMATS.values())}, "
            f"not {media or 'no Content-Type'}"
        )
    body = await request.body()
    try:
        triples = [quad.triple for quad in ox.parse(body, format=GRAPH_FORMATS[name][0])]
    except SyntaxError as exc:
        raise BadParameterError(f"the body is not valid {media}: {exc}") from exc
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


async def _write(request: Request, update: str) -> None:
    executor: Executor = request.app.state.executor
    await anyio.to_thread.run_sync(
        partial(executor.update, update, base_iri=endpoint_url(request))
    )
    # the search index (api/search.py) is rebuilt from the store at the next search
    request.app.state.search_index = None


WRITE_ERRORS = errors(400, 403, 415)


@router.put("/store", summary="Replace a graph (Graph Store Protocol)", status_code=204,
            response_class=Response, responses={201: {"description": "The graph was created."},
                                                **WRITE_ERRORS})
async def put_graph(request: Request, graph: str | None = GraphParam) -> Response:
    """Replace a graph with the request body (needs the update token)."""
    check_token(request, request.app.state.settings)
    target = _target(request, graph)
    existed = _held(request, target)
    data = await _body_triples(request)
    if target is None:
        update = f"DROP SILENT DEFAULT ;\nINSERT DATA {{\n{data}}}"
    else:
        update = f"DROP SILENT GRAPH {target} ;\nINSERT DATA {{ GRAPH {target} {{\n{data}}} }}"
    await _write(request, update)
    return Response(status_code=204 if existed else 201)


@router.post("/store", summary="Add to a graph (Graph Store Protocol)", status_code=204,
             response_class=Response, responses={201: {"description": "The graph was created."},
                                                 **WRITE_ERRORS})
async def post_graph(request: Request, graph: str | None = GraphParam) -> Response:
    """Add the request body's triples to a graph (needs the update token)."""
    check_token(request, request.app.state.settings)
    target = _target(request, graph)
    existed = _held(request, target)
    data = await _body_triples(request)
    inner = data if target is None else f"GRAPH {target} {{\n{data}}}"
    await _write(request, f"INSERT DATA {{\n{inner}}}")
    return Response(status_code=204 if existed else 201)


@router.delete("/store", summary="Drop a graph (Graph Store Protocol)", status_code=204,
               response_class=Response, responses=errors(400, 403, 404))
async def delete_graph(request: Request, graph: str | None = GraphParam) -> Response:
    """Drop a graph (needs the update token); 404 when the store does not hold it."""
    check_token(request, request.app.state.settings)
    target = _target(request, graph, reading=True)
    if not _held(request, target):
        raise NotFoundError(f"the store holds no graph <{target.value if target else ''}>")
    await _write(request, "DROP DEFAULT" if target is None else f"DROP GRAPH {target}")
    return Response(status_code=204)


@router.delete("/api/documents/{slug}", summary="Remove an ingested document",
               status_code=204, response_class=Response, responses=errors(400, 403),
               tags=["JSON API"])
async def delete_document(request: Request, slug: str) -> Response:
    """Remove a document: its named graph and what only it supported (needs the token)."""
    check_token(request, request.app.state.settings)
    await _write(request, removal_update(document_slug(slug)))
    return Response(status_code=204)


def setup(app: FastAPI) -> None:
    """Add the Graph Store Protocol and the document removal."""
    app.include_router(router)
