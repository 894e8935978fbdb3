"""What the browser tests share: Debian's Chromium, launched headless, and pages that
record every request and script error and check, when closed, that no request left the
machine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from tests.support import unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium, headless (never a browser downloaded by ``playwright install``)."""
    if not CHROMIUM.exists():
        unavailable("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@contextmanager
def recording_page(browser: object, *, width: int, script_errors: bool = True
                   ) -> Iterator[object]:
    """A fresh page ``width`` px wide whose ``requests`` and ``errors`` lists fill as it
    runs. On leaving: it made a request, none left the machine and, with
    ``script_errors``, no script failed."""
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.requests = []
    tab.errors = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    foreign = [url for url in tab.requests
               if urlsplit(url).scheme not in ("data", "blob", "about")
               and urlsplit(url).hostname not in LOCAL_HOSTS]
    context.close()
    assert tab.requests, "the page made no request at all"
    assert not foreign, f"requests left the machine: {foreign}"
    if script_errors:
        assert not tab.errors, tab.errors
