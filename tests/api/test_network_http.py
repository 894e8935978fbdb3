"""The network's HTTP routes: the files carry the page's filters, and a network drawn
once is drawn again when the store changes (it is kept between requests)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
from fastapi.testclient import TestClient

from mandategraph.api.app import create_app
from mandategraph.api.settings import Settings
from mandategraph.graph.build import load_vocabulary
from mandategraph.graph.ingest import ingest
from mandategraph.graph.store import Store

ROOT = Path(__file__).parents[2]
REPORT = ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
OTHER = ROOT / "tests" / "data" / "en-report-cicad-eastern-caribbean-2012.txt"


def report_store(tmp_path: Path) -> tuple[Path, Settings]:
    """An on-disk store holding the corpus's Caribbean report, and a server's settings."""
    location = tmp_path / "store"
    with Store.open(location) as writer:
        load_vocabulary(writer)
        ingest(writer, REPORT)
    return location, Settings(store=str(location), query_workers=1, reason=False)


def test_a_kept_network_is_redrawn_after_a_write(tmp_path: Path) -> None:
    location, settings = report_store(tmp_path)
    with TestClient(create_app(settings)) as client:
        before = client.get("/graph.json").json()
        assert client.get("/graph.json").json() == before  # the kept one
        with Store.open(location) as writer:
            ingest(writer, OTHER)
        after = client.get("/graph.json").json()
    assert len(after["graph"]["activities"]) > len(before["graph"]["activities"])


def test_files_and_stats_follow_the_filters(tmp_path: Path) -> None:
    _location, settings = report_store(tmp_path)
    with TestClient(create_app(settings)) as client:
        whole = client.get("/graph/stats").json()["summary"]
        cyber = client.get("/graph/stats", params={"theme": "cybersecurity"}).json()["summary"]
        assert cyber["nodes"] < whole["nodes"] and cyber["filters"] == "theme cybersecurity"
        gexf = client.get("/graph.gexf", params={"theme": "cybersecurity"})
        assert gexf.headers["content-type"].startswith("application/gexf+xml")
        graph = nx.read_gexf(io.BytesIO(gexf.content))
        assert graph.number_of_nodes() == cyber["nodes"]
        # the page refuses a theme that matches nothing, naming the closest (400); a file
        # refuses it as the JSON API does (404 "unknown code")
        page = client.get("/graph", params={"theme": "cyber"}, headers={"Accept": "text/html"})
        assert page.status_code == 400 and "cybersecurity" in page.text
        file = client.get("/graph.json", params={"theme": "cyber"})
        assert file.status_code == 404 and "cybersecurity" in file.json()["detail"]
        assert client.get("/graph", params={"actor": "UNODC"}).status_code == 200


def test_the_page_draws_the_top_actors_and_offers_all(tmp_path: Path) -> None:
    _location, settings = report_store(tmp_path)
    with TestClient(create_app(settings)) as client:
        whole = client.get("/graph/stats").json()["summary"]["nodes"]
        page = client.get("/graph", params={"top": 3, "theme": ""}).text
        every = client.get("/graph", params={"top": 0}).text
    assert whole > 3

    def drawn(html: str) -> int:
        data = html.split('id="network-data">', 1)[1].split("</script>", 1)[0]
        return len(json.loads(data)["nodes"])

    assert drawn(page) == 3 and drawn(every) == whole
    assert f"Showing 3 of {whole} actors" in page
    assert 'href="/graph?top=0"' in page and 'id="drawn-note"' not in every
    # the downloads are the whole network: "top" is not passed on
    assert 'data-download="/graph.gexf"' in page


def test_chart_pictures_are_drawn_once_per_store_generation(tmp_path: Path) -> None:
    from mandategraph.api.charts import ATLAS_FILE

    location, settings = report_store(tmp_path)
    with TestClient(create_app(settings)) as client:
        executor = client.app.state.executor  # type: ignore[attr-defined]
        drawn: list[str] = []
        first = client.get("/charts/themes.svg")
        assert first.headers["content-type"] == "image/svg+xml"
        # the picture is kept with the executor's results: asking again draws nothing
        kept = executor.derived(("chart", "themes", "svg", _no_filters()),
                                lambda: drawn.append("again") or b"")
        assert kept == first.content and drawn == []
        with Store.open(location) as writer:
            ingest(writer, OTHER)
        assert executor.derived(("chart", "themes", "svg", _no_filters()),
                                lambda: drawn.append("again") or b"") == b""
        if ATLAS_FILE.is_file():
            svg = client.get("/charts/map.svg").text
            assert "role-legend-title" in svg and ">activities</text>" in svg


def _no_filters() -> object:
    from mandategraph.visualizations.graphs import Filters

    return Filters()
