"""Fixtures of the browser tests (``browser``, ``page``); see :mod:`browser_support`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import chromium, recording_page


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
