"""Settings, read from ``MANDATEGRAPH_*`` environment variables (or a ``.env`` file).

Every field has a description; the README lists them all (a test checks that).
Obtain them through :func:`get_settings`, which is cached so tests can override it
with ``get_settings.cache_clear()`` after changing the environment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from mandategraph.graph.extraction.readers import DEFAULT_MAX_DOCUMENT_BYTES

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Configuration of mandategraph (environment prefix ``MANDATEGRAPH_``)."""

    model_config = SettingsConfigDict(env_prefix="MANDATEGRAPH_", env_file=".env", extra="ignore")

    store: str = Field(
        default="var/store",
        description=(
            "Where the graph lives: a directory for the embedded Oxigraph store "
            "(created on first build), 'memory' for a throw-away store, or the "
            "http(s):// URL of a SPARQL server (see 'Deployment on a SPARQL server')."
        ),
    )
    corpus: Path = Field(
        default=PROJECT_ROOT / "corpus",
        description="Folder of documents that 'mandategraph build' ingests by default.",
    )
    host: str = Field(default="127.0.0.1", description="Address 'mandategraph serve' binds.")
    port: int = Field(default=8000, description="Port 'mandategraph serve' listens on.")
    query_timeout: float = Field(
        default=10.0,
        description="Seconds a SPARQL query may run before it is stopped (HTTP 503).",
    )
    max_rows: int = Field(
        default=10000,
        description="Most result rows a query returns over HTTP; more are cut and flagged.",
    )
    page_size: int = Field(
        default=100, ge=1, le=1_000_000,
        description="Rows per page of a canned query's HTML page (?page=N); downloads "
        "and JSON without ?page= give the whole result.",
    )
    query_workers: int = Field(
        default=2,
        description="Worker processes that run SPARQL queries for the HTTP server.",
    )
    query_workers_max: int = Field(
        default=8,
        ge=1,
        description=(
            "How many query workers the pool may grow to while all are busy, so that "
            "slow queries cannot starve quick ones (on-disk store only; extra workers "
            "leave when idle)."
        ),
    )
    serve_from_memory: bool = Field(
        default=False,
        description=(
            "Query workers copy the on-disk store into memory at start (2-4x faster "
            "queries, one copy of the graph per worker, slower start); an ingest is "
            "picked up by loading fresh copies in the background."
        ),
    )
    worker_allocator: str = Field(
        default="auto",
        description=(
            "Memory allocator of the query workers: 'auto' preloads jemalloc "
            "(libjemalloc2) or mimalloc when installed (0-7% faster queries at 1M "
            "triples); 'system' keeps malloc; or the path of a shared library."
        ),
    )
    query_cache_size: int = Field(
        default=256,
        description=(
            "SPARQL results kept in memory, keyed by query, dataset, format and store "
            "generation, so a repeated query answers at once; any write invalidates "
            "them. Beside them, the last 16 networks (with their analytics) and chart "
            "pictures drawn from the store, by filters and store generation. 0 = no cache."
        ),
    )
    update_token: str | None = Field(
        default=None,
        description="Bearer token that enables SPARQL Update over HTTP; unset = read-only.",
    )
    service_allowlist: list[str] = Field(
        default_factory=list,
        description="Endpoints a SPARQL SERVICE clause may call (JSON list); empty = none.",
    )
    max_query_bytes: int = Field(
        default=1_000_000,
        ge=1,
        description=(
            "Largest request body (a query, an update, a graph) and query text the "
            "server accepts, in bytes; larger ones are refused with HTTP 413."
        ),
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins allowed by CORS (JSON list, e.g. [\"*\"]); empty = no CORS.",
    )
    validate_shapes: bool = Field(
        default=True,
        description="Validate every document graph against the SHACL shapes before storing it.",
    )
    reason: bool = Field(
        default=True,
        description="Run the HermiT reasoner at build time and store inferred class memberships.",
    )
    max_document_bytes: int = Field(
        default=DEFAULT_MAX_DOCUMENT_BYTES,
        ge=0,
        description=(
            "Largest document 'build' and 'ingest' accept, in bytes (5 MB): a text file's "
            "size, or the UTF-8 size of the text read from a PDF or DOCX; a larger one is "
            "refused unread (exit 3). Ingesting 1 MB of text takes about 40 s and 1 GB "
            "(extraction, SHACL, reasoning). 0 = no limit."
        ),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
