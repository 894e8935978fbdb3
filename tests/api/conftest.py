"""Fixtures of the HTTP tests: ``built_client``, an app over a copy in memory of the
graph built from the bundled corpus; the browser tests' ``browser`` and ``page`` (see
:mod:`browser_support`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import chromium, recording_page
from fastapi.testclient import TestClient

from mandategraph.api.app import create_app
from mandategraph.api.settings import Settings
from mandategraph.graph.store import Store


@pytest.fixture(scope="module")
def built_client(built_store: Store) -> Iterator[TestClient]:
    """A client of an app over a copy in memory of the built store (a module's own)."""
    store = Store.open("memory")
    store.oxigraph.extend(built_store.oxigraph.quads_for_pattern(None, None, None, None))
    app = create_app(Settings(store="memory", query_workers=1), store=store)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, for one test module."""
    with chromium() as instance:
        yield instance


@pytest.fixture()
def page(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    """A fresh page as wide as the module's ``PAGE_WIDTH`` (1,280 px by default); no
    request may leave the machine and no script may fail."""
    with recording_page(browser, width=getattr(request.module, "PAGE_WIDTH", 1280)) as tab:
        yield tab
