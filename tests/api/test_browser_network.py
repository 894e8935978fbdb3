"""The partnership network and the canned results table in a real browser: headless
Chromium (Debian's) against a uvicorn server started on loopback over the graph built
from ``corpus/``.

The network page draws its canvas with as many actors as the graph has; a filter
changes how many are visible; hovering a link shows a source quote; clicking an actor
opens its page; no request leaves the machine. The canned ``activities`` page shows
ten rows in less than 2,500 px at 1,400 px wide without breaking a word. Screenshots go
to ``tests/artifacts/`` (git-ignored); the README shows them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import CHROMIUM
from sparqlserver import running_server

from mandategraph.api.settings import PROJECT_ROOT
from mandategraph.graph.store import Store
from mandategraph.visualizations.graphs import Filters, partnership_graph
from tests.support import unavailable

pytestmark = [pytest.mark.browser, pytest.mark.server]

#: The pages are read at 1,400 px wide (the ``page`` fixture of conftest.py).
PAGE_WIDTH = 1400
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
VIS = PROJECT_ROOT / "api" / "static" / "vendor" / "vis-network" / "vis-network.min.js"

#: Words of a cell's text that the browser put on two lines: a word ends at a space or
#: a hyphen (and, in a link to an IRI, at a slash).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const td of document.querySelectorAll('table.results tbody td')) {
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const iri = node.parentElement.closest('a[title]') !== null;
      const pattern = iri ? /[^\\s\\-\\/\\u200b]+/g : /[^\\s\\-]+/g;
      for (const match of node.data.matchAll(pattern)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set(Array.from(range.getClientRects())
          .filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def server(built_path: tuple[Path, object], tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[str]:
    """A uvicorn server on the graph built from corpus/."""
    if not CHROMIUM.exists():
        unavailable("Debian's chromium is not installed (apt-get install -y chromium)")
    if not VIS.exists():
        unavailable("the vis-network assets are missing (make assets)")
    folder = tmp_path_factory.mktemp("browser-network")
    with running_server(built_path[0], log=folder / "server.log",
                        env={"MANDATEGRAPH_QUERY_WORKERS": "1"}) as base:
        yield base


def shoot(page: object, name: str, *, full: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)  # type: ignore[attr-defined]
    return path


def settled(page: object, url: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_function("() => typeof window.mandategraphSettled === 'number'",  # type: ignore[attr-defined]
                           timeout=60_000)


def visible_nodes(page: object) -> int:
    return int(page.inner_text("#visible-nodes"))  # type: ignore[attr-defined]


def on_screen(page: object, canvas_point: str) -> tuple[float, float]:
    """Viewport coordinates of a point of the network's canvas (a JS expression), the
    canvas scrolled into view first."""
    page.evaluate(  # type: ignore[attr-defined]
        "() => document.querySelector('#network').scrollIntoView({block: 'center'})")
    box = page.locator("#network").bounding_box()  # type: ignore[attr-defined]
    dom = page.evaluate(  # type: ignore[attr-defined]
        f"() => window.mandategraphNetwork.canvasToDOM({canvas_point})")
    return box["x"] + dom["x"], box["y"] + dom["y"]


def test_activities_table_shows_ten_rows_in_2500_px_without_breaking_a_word(
        server: str, page: object) -> None:
    page.goto(f"{server}/queries/activities")  # type: ignore[attr-defined]
    rows = page.locator("table.results tbody tr")  # type: ignore[attr-defined]
    assert rows.count() >= 10
    tenth = page.evaluate(  # type: ignore[attr-defined]
        "() => document.querySelectorAll('table.results tbody tr')[9]"
        ".getBoundingClientRect().bottom + window.scrollY")
    assert tenth < 2500, f"ten rows end at {tenth:.0f} px"
    # the table fits its card: nothing to scroll sideways
    overflow = page.evaluate(  # type: ignore[attr-defined]
        "() => { const s = document.querySelector('.scroll');"
        " return s.scrollWidth - s.clientWidth; }")
    assert overflow <= 1
    assert page.evaluate(BROKEN_WORDS) == []  # type: ignore[attr-defined]
    # numbers align right; codes and IRIs link to their pages
    align = page.evaluate(  # type: ignore[attr-defined]
        "() => Array.from(document.querySelectorAll('table.results thead th'))"
        ".filter(th => th.textContent === 'participants')"
        ".map(th => getComputedStyle(th).textAlign)")
    assert align == ["right"]
    table = page.locator("table.results")  # type: ignore[attr-defined]
    assert table.locator('a[href="/id/org/CICTE"]').count() > 0
    assert table.locator('a[href="/id/state/JAM"]').count() > 0
    assert table.locator('a[href="/id/theme/border-control"]').count() > 0
    assert table.locator('a[href^="/id/resolution/ag-res-2485-xxxix-o-09/5."]').count() > 0
    assert table.locator('a[href^="/id/document/"][title^="https://"]').count() > 0
    shoot(page, "query-activities", full=False)


def test_network_page_draws_every_actor_filters_and_links(
        server: str, page: object, built_store: Store) -> None:
    graph = partnership_graph(built_store)
    settled(page, f"{server}/graph")
    drawn = page.evaluate("""() => {
      const canvas = document.querySelector('#network canvas');
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
      return { inked, nodes: window.mandategraphNetwork.body.data.nodes.length };
    }""")
    assert drawn["inked"] > 1000  # the canvas has ink
    assert drawn["nodes"] == graph.number_of_nodes() == visible_nodes(page)
    assert "navigation" not in page.title() and page.locator("header.site nav a").count() > 5  # type: ignore[attr-defined]
    shoot(page, "network")

    # a theme keeps only the actors of its activities
    cyber = partnership_graph(built_store, Filters(theme="cybersecurity"))
    page.select_option("select[name=theme]", "cybersecurity")  # type: ignore[attr-defined]
    assert visible_nodes(page) == cyber.number_of_nodes() < graph.number_of_nodes()
    page.uncheck("input[name=kind][value=government]")  # type: ignore[attr-defined]
    governments = sum(1 for _n, kind in cyber.nodes(data="kind") if kind == "government")
    assert governments and visible_nodes(page) == cyber.number_of_nodes() - governments
    assert "theme=cybersecurity" in page.get_attribute("a[data-download='/graph.gexf']", "href")  # type: ignore[attr-defined]
    shoot(page, "network-cybersecurity")


def test_a_network_drawn_in_part_says_so_and_draws_all_on_request(
        server: str, page: object, built_store: Store) -> None:
    from mandategraph.visualizations.analytics import annotate, metrics

    graph = annotate(partnership_graph(built_store))
    settled(page, f"{server}/graph?top=5")
    drawn = page.evaluate("() => window.mandategraphNetwork.body.data.nodes.getIds()")  # type: ignore[attr-defined]
    assert sorted(drawn) == sorted(m.code for m in metrics(graph)[:5])
    assert visible_nodes(page) == 5
    note = " ".join(page.inner_text("#drawn-note").split())  # type: ignore[attr-defined]
    assert f"Showing 5 of {graph.number_of_nodes()} actors" in note
    page.click("#show-all")  # type: ignore[attr-defined]
    page.wait_for_url("**/graph?top=0")  # type: ignore[attr-defined]
    page.wait_for_function("() => typeof window.mandategraphSettled === 'number'",  # type: ignore[attr-defined]
                           timeout=60_000)
    assert visible_nodes(page) == graph.number_of_nodes()
    assert page.locator("#drawn-note").count() == 0  # type: ignore[attr-defined]


def test_hovering_a_link_shows_a_source_quote(server: str, page: object,
                                              built_store: Store) -> None:
    graph = partnership_graph(built_store)
    settled(page, f"{server}/graph")
    # the middle of a link that no actor's disc covers
    edge = page.evaluate("""() => {
      const net = window.mandategraphNetwork;
      const positions = net.getPositions();
      for (const edge of net.body.data.edges.get()) {
        const a = positions[edge.from], b = positions[edge.to];
        const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
        const clear = Object.values(positions)
          .every(p => Math.hypot(p.x - mid.x, p.y - mid.y) > 60);
        const long = Math.hypot(a.x - b.x, a.y - b.y) > 150;
        if (clear && long) return { from: edge.from, to: edge.to, mid };
      }
      return null;
    }""")
    assert edge is not None
    x, y = on_screen(page, f"{{x: {edge['mid']['x']}, y: {edge['mid']['y']}}}")
    page.mouse.move(x - 3, y - 3)  # type: ignore[attr-defined]
    page.mouse.move(x, y)  # type: ignore[attr-defined]
    tip = page.locator("#network-tip")  # type: ignore[attr-defined]
    tip.wait_for(state="visible", timeout=5_000)
    quotes = [graph.graph["activities"][a]["quote"]
              for a in graph[edge["from"]][edge["to"]]["activity_ids"]]
    shown = tip.locator("blockquote").all_inner_texts()
    assert shown and set(shown) <= set(quotes)
    assert f"{edge['from']} – {edge['to']}" in tip.inner_text()
    shoot(page, "network-hover", full=False)


def test_clicking_an_actor_opens_its_page(server: str, page: object) -> None:
    settled(page, f"{server}/graph")
    x, y = on_screen(page, "window.mandategraphNetwork.getPositions(['ICAO']).ICAO")
    page.mouse.click(x, y)  # type: ignore[attr-defined]
    page.wait_for_url("**/id/org/ICAO")  # type: ignore[attr-defined]
    assert "International Civil Aviation Organization" in page.inner_text("h1")  # type: ignore[attr-defined]


def test_actor_page_leads_to_its_ego_network(server: str, page: object,
                                             built_store: Store) -> None:
    page.goto(f"{server}/id/org/UNODC")  # type: ignore[attr-defined]
    page.click("a.network-link")  # type: ignore[attr-defined]
    page.wait_for_function("() => typeof window.mandategraphSettled === 'number'",  # type: ignore[attr-defined]
                           timeout=60_000)
    ego = partnership_graph(built_store, actor="UNODC")
    assert visible_nodes(page) == ego.number_of_nodes() < partnership_graph(
        built_store).number_of_nodes()
    page.goto(f"{server}/")  # type: ignore[attr-defined]
    assert page.locator('main a[href="/graph"]').count() == 1  # type: ignore[attr-defined]


def test_the_timeline_and_the_map_render(server: str, page: object) -> None:
    page.goto(f"{server}/charts")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => Object.keys(window.mandategraphCharts).length === 4", timeout=60_000)
    assert set(page.evaluate("() => Object.values(window.mandategraphCharts)")) == {"drawn"}  # type: ignore[attr-defined]
    # the timeline has its bars, the map a shape per member state (small islands too)
    bars = page.locator("[data-chart=timeline] svg .mark-rect path")  # type: ignore[attr-defined]
    assert bars.count() >= 5
    shapes = page.locator("[data-chart=map] svg .mark-shape path")  # type: ignore[attr-defined]
    assert shapes.count() >= 35
    # Saint Kitts and Nevis, a few pixels of land, is drawn with a visible box
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll(
        '[data-chart=map] svg .mark-shape path')).map(p => {
          const b = p.getBBox(); return Math.max(b.width, b.height); })""")  # type: ignore[attr-defined]
    assert min(sizes) > 0
    shoot(page, "charts")


def test_a_count_by_year_offers_a_chart_beside_its_table(server: str, page: object) -> None:
    page.goto(f"{server}/queries/timeline")  # type: ignore[attr-defined]
    page.wait_for_function("() => window.mandategraphChart === 'drawn'",  # type: ignore[attr-defined]
                           timeout=30_000)
    assert page.locator("#query-chart svg .mark-rect path").count() >= 5  # type: ignore[attr-defined]
    assert page.locator("table.results tbody tr").count() >= 5  # type: ignore[attr-defined]
    shoot(page, "query-timeline-chart", full=False)
    page.goto(f"{server}/queries/activities")  # type: ignore[attr-defined]
    assert page.locator("#query-chart").count() == 0  # type: ignore[attr-defined]
