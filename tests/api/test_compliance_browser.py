"""/compliance in a real browser (Debian's headless Chromium) against a uvicorn server
on the graph built from the bundled corpus: the seed's findings are there, a filter
changes the rows, and a finding's quote leads to the highlighted passage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS
from sparqlserver import running_server

from mandategraph.api.settings import PROJECT_ROOT
from tests.support import unavailable

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def server(built_path: tuple[Path, object], tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[str]:
    if not CHROMIUM.exists():
        unavailable("Debian's chromium is not installed (apt-get install -y chromium)")
    folder = tmp_path_factory.mktemp("compliance-browser")
    with running_server(built_path[0], log=folder / "server.log",
                        env={"MANDATEGRAPH_CORPUS": str(PROJECT_ROOT / "corpus"),
                             "MANDATEGRAPH_QUERY_WORKERS": "1"}) as base:
        yield base


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=CHROMIUM_ARGS, headless=True)
        tab = browser.new_page()
        yield tab
        browser.close()


def test_compliance_shows_filters_and_links_to_quotes(server: str, page: object) -> None:
    tab = page
    tab.goto(f"{server}/compliance")  # type: ignore[attr-defined]
    rows = tab.locator("tr.finding")  # type: ignore[attr-defined]
    text = " ".join(rows.all_inner_texts())
    assert "AG/RES. 2485 (XXXIX-O/09) 5.f" in text
    assert "AG/RES. 2325 (XXXVII-O/07)" in text
    assert "section 9" in text and "major-events-security" in text
    everything = rows.count()
    assert everything >= 8
    # filter: the theme mismatches only
    tab.select_option("select[name=kind]", "mismatch")  # type: ignore[attr-defined]
    tab.click("form.filters button[type=submit]")  # type: ignore[attr-defined]
    tab.wait_for_url("**/compliance?kind=mismatch*")  # type: ignore[attr-defined]
    filtered = tab.locator("tr.finding")  # type: ignore[attr-defined]
    assert filtered.count() == 1 < everything
    assert "AG/RES. 2485 (XXXIX-O/09) 5.d" in filtered.inner_text()
    # the finding's quote leads to its passage, highlighted in the report
    link = filtered.locator("a.quote-link")
    quote = link.inner_text().strip("“”")
    link.click()
    tab.wait_for_url("**/id/document/*?highlight=*")  # type: ignore[attr-defined]
    mark = tab.locator("mark")  # type: ignore[attr-defined]
    assert mark.inner_text() == quote
    assert mark.is_visible()
