"""The FastAPI application: health, figures, and (see the other modules of api/) the
SPARQL endpoint, canned queries, JSON API and pages.

``create_app()`` is a factory so that tests and ``mandategraph serve`` each get an
app bound to their own settings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import Response

from mandategraph.api import (
    canned,
    charts,
    compliance_pages,
    graph_store,
    pages,
    protocol,
    rest,
    reviews,
    search,
    sparql,
    vocabulary,
)
from mandategraph.api.limits import BodyLimit
from mandategraph.api.network import router as network_router
from mandategraph.api.responses import error_response
from mandategraph.api.settings import Settings, get_settings
from mandategraph.errors import MandategraphError
from mandategraph.graph.backends import open_store
from mandategraph.graph.sparql.workers import store_signature
from mandategraph.graph.store import MEMORY, Store, is_engine_fault, store_fault


def open_app_store(settings: Settings) -> Store:
    """The store the app reads: read-only on disk, so a build can run beside it."""
    if settings.store == MEMORY:
        return Store.open(MEMORY)
    return open_store(settings.store, read_only=True)


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the application.

    Args:
        settings: defaults to :func:`mandategraph.api.settings.get_settings`.
        store: an already open store (tests); by default the configured one is opened.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store or open_app_store(settings)
        app.state.store_signature = store_signature(settings.store)
        await sparql.start_executor(app, app.state.store, settings)
        yield
        await sparql.stop_executor(app)
        if store is None:
            app.state.store.close()

    app = FastAPI(
        title="mandategraph",
        description="Mandates, actors and activities of the OAS as a knowledge graph.",
        version="0.1.0",
        lifespan=lifespan,
        # FastAPI's own /docs and /redoc load their scripts from a CDN: rest.py serves
        # /docs from local assets instead
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    # before CORS, so that CORS wraps it and answers a preflight first
    protocol.setup(app)
    sparql.add_cors(app, settings)
    app.add_middleware(BodyLimit, max_bytes=settings.max_query_bytes)

    @app.middleware("http")
    async def fresh_store(request: Request, call_next):  # noqa: ANN001, ANN202
        # A read-only view sees the store as it was when opened: after a build or an
        # ingest by another process, open a new view (the query workers do the same).
        current = getattr(app.state, "store", None)
        if store is None and current is not None and current.read_only:
            signature = store_signature(settings.store)
            if signature != app.state.store_signature:
                try:
                    app.state.store = open_app_store(settings)
                except MandategraphError as exc:  # e.g. damaged by then: 503, not a 500
                    return error_response(request, exc)
                app.state.store_signature = signature
        return await call_next(request)

    @app.exception_handler(MandategraphError)
    async def mandategraph_error(request: Request, exc: MandategraphError) -> Response:
        # {"error", "detail", "status"} as JSON; a browser gets it as an HTML page
        return error_response(request, exc)

    @app.exception_handler(OSError)
    @app.exception_handler(RuntimeError)
    async def engine_fault(request: Request, exc: Exception) -> Response:
        # the engine failing while a route reads results: 503 "store unavailable"
        if not is_engine_fault(exc):
            raise exc
        return error_response(request, store_fault(exc, settings.store))

    @app.get("/health")
    def health(request: Request) -> dict[str, object]:
        """Liveness: the store answers a query; "degraded" while the inferred graph is stale."""
        current = request.app.state.store
        current.query("ASK { ?s ?p ?o }")
        inferred = current.inferred_state()
        # a server's URL is shown without its user and password
        shown = current.location if current.remote else settings.store
        if inferred == "stale":
            return {
                "status": "degraded", "store": shown, "inferred": inferred,
                "detail": "the inferred graph predates the last write (an interrupted or "
                "unreasoned build or ingest): run 'mandategraph build' to repair it",
            }
        return {"status": "ok", "store": shown, "inferred": inferred}

    @app.get("/stats")
    def stats(request: Request) -> dict[str, object]:
        """Figures of the graph: triples per graph, resolutions, mandates, activities."""
        return request.app.state.store.stats()

    # routers: each module of api/ adds its own line here
    app.include_router(sparql.router)
    app.include_router(network_router)
    app.include_router(charts.router)
    pages.setup(app)
    canned.setup(app)
    reviews.setup(app)
    rest.setup(app)
    graph_store.setup(app)
    vocabulary.setup(app)
    compliance_pages.setup(app)
    search.setup(app)
    return app
