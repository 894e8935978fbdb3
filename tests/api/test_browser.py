"""The web UI in a real browser: headless Chromium (Debian's) against a uvicorn server
started on loopback.

It runs a canned query through YASGUI and sees result rows, opens an activity page and
sees its source quote, follows the quote to the highlighted passage, and checks that no
request ever leaves the machine. A screenshot of each page goes to
``var/screenshots/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from _fixtures import SENTENCE, build_store, span, write_corpus
from browser_support import CHROMIUM
from sparqlserver import running_server

from mandategraph.api.settings import PROJECT_ROOT
from tests.support import unavailable

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
YASGUI = PROJECT_ROOT / "api" / "static" / "vendor" / "yasgui" / "yasgui.min.js"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A uvicorn server on a store built for the test, with the report's text."""
    if not CHROMIUM.exists():
        unavailable("Debian's chromium is not installed (apt-get install -y chromium)")
    if not YASGUI.exists():
        unavailable("the YASGUI assets are missing (make assets)")
    folder = tmp_path_factory.mktemp("browser")
    build_store(folder / "store").close()
    corpus = write_corpus(folder / "corpus")
    with running_server(folder / "store", log=folder / "server.log",
                        env={"MANDATEGRAPH_CORPUS": str(corpus),
                             "MANDATEGRAPH_QUERY_WORKERS": "1"}) as base:
        yield base


def shoot(page: object, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def test_yasgui_runs_a_canned_query_and_shows_rows(server: str, page: object) -> None:
    page.goto(f"{server}/sparql")  # type: ignore[attr-defined]
    page.wait_for_selector(".yasqe .CodeMirror")  # type: ignore[attr-defined]
    page.click('button.example[data-query="timeline"]')  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => window.mandategraphYasgui.getTab().getName() === 'timeline'")
    page.locator(".tabPanel.active .yasqe_queryButton").click()  # type: ignore[attr-defined]
    rows = page.locator(".tabPanel.active .yasr table tbody tr")  # type: ignore[attr-defined]
    rows.first.wait_for(timeout=20_000)
    text = page.locator(".tabPanel.active .yasr").inner_text()  # type: ignore[attr-defined]
    assert rows.count() == 2
    assert "border-control" in text and "cybersecurity" in text
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    shoot(page, "sparql-yasgui")


def test_canned_query_link_opens_and_runs_in_the_editor(server: str, page: object) -> None:
    page.goto(f"{server}/sparql#canned=actor-profile")  # type: ignore[attr-defined]
    rows = page.locator(".tabPanel.active .yasr table tbody tr")  # type: ignore[attr-defined]
    rows.first.wait_for(timeout=20_000)
    assert rows.count() == 2  # CICTE, the default actor, conducted both activities


def test_activity_page_shows_its_source_quote(server: str, page: object) -> None:
    page.goto(f"{server}/id/document/test-report/activity/2-1")  # type: ignore[attr-defined]
    source = page.locator("section.sources blockquote")  # type: ignore[attr-defined]
    assert source.inner_text() == SENTENCE
    assert source.is_visible()
    partner = page.locator("table.facts tr", has_text="United Nations Office")  # type: ignore[attr-defined]
    assert "with UNODC" in partner.inner_text()
    shoot(page, "activity")
    # the quote leads to the passage, highlighted in the document's text
    start, end, _ = span("with UNODC")
    partner.get_by_role("link", name="see it in the document").click()
    page.wait_for_url(f"**/id/document/test-report?highlight={start}-{end}#span-{start}")  # type: ignore[attr-defined]
    mark = page.locator(f"mark#span-{start}")  # type: ignore[attr-defined]
    assert mark.inner_text() == "with UNODC"
    assert mark.is_visible()
    shoot(page, "document-highlight")


@pytest.mark.parametrize(
    ("name", "path", "expected"),
    [
        ("home", "/", "Mandates, actors and activities"),
        ("activities", "/activities", "customs training in Jamaica"),
        ("mandates", "/mandates", "To continue supporting the marking of firearms."),
        ("mandate-without-activity", "/id/resolution/ag-res-2485-xxxix-o-09/5.c",
         "No reported activity implements this paragraph."),
        ("actor", "/id/org/CICTE", "Inter-American Committee against Terrorism"),
        ("state", "/id/state/JAM", "Jamaica"),
        ("query", "/queries/actor-profile", "customs training in Jamaica"),
        ("queries", "/queries", "actor-profile"),
        ("api-docs", "/docs", "activities"),
        ("not-found", "/id/state/XXX", "Not found"),
    ],
)
def test_pages_read_well(server: str, page: object, name: str, path: str, expected: str) -> None:
    response = page.goto(f"{server}{path}")  # type: ignore[attr-defined]
    assert response is not None
    if name == "api-docs":
        page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)  # type: ignore[attr-defined]
    assert expected in page.inner_text("body")  # type: ignore[attr-defined]
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    shoot(page, name)


def test_chromium_is_debians() -> None:
    # never a browser downloaded by "playwright install"
    assert CHROMIUM.exists() or shutil.which("chromium") is None


def test_the_search_box_finds_and_highlights(server: str, page: object) -> None:
    page.goto(f"{server}/activities")  # type: ignore[attr-defined]
    box = page.locator("header form.site-search input[name=q]")  # type: ignore[attr-defined]
    box.fill("custom trainings")
    box.press("Enter")
    page.wait_for_url("**/search?q=custom+trainings")  # type: ignore[attr-defined]
    results = page.locator("ol.results li")  # type: ignore[attr-defined]
    results.first.wait_for(timeout=20_000)
    assert "customs training in Jamaica" in results.first.inner_text()
    marked = page.locator("ol.results li mark").all_inner_texts()  # type: ignore[attr-defined]
    assert {"customs", "training"} <= {m.lower() for m in marked}
    assert page.locator("ol.results li mark").first.is_visible()  # type: ignore[attr-defined]
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    shoot(page, "search")
