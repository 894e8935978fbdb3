"""/compliance filtered by theme, state, year and status, its CSV keeping the filters,
and /mandates as a registry view, over the graph built from the bundled corpus."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from fastapi.testclient import TestClient

from mandategraph.graph.store import Store
from mandategraph.queries.catalog import get_query

BROWSER = {"accept": "text/html"}
FIVE_F = "AG/RES. 2485 (XXXIX-O/09) 5.f"


@pytest.fixture(scope="module")
def client(built_client: TestClient) -> TestClient:
    return built_client


def words(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


def rows(client: TestClient, url: str, cls: str = "finding") -> list[str]:
    """The text of each table row of class ``cls`` on the page at ``url``."""
    response = client.get(url, headers=BROWSER)
    assert response.status_code == 200, response.text
    return [words(m) for m in re.findall(rf'<tr class="{cls}"[^>]*>(.*?)</tr>', response.text,
                                         flags=re.S)]


def test_theme_filter_keeps_the_findings_on_that_theme(client: TestClient) -> None:
    everything = rows(client, "/compliance")
    found = rows(client, "/compliance?theme=major-events-security")
    assert found and len(found) < len(everything)
    assert all(r.startswith("no-mandate") for r in found)
    assert len(found) == sum(1 for r in everything if r.startswith("no-mandate"))


def test_status_filter_keeps_the_mandates_with_that_status(client: TestClient) -> None:
    found = rows(client, "/compliance?status=no+indication")
    assert {r.split(" no indication")[0].removeprefix("no-activity ") for r in found} == {
        FIVE_F, "AG/RES. 2397 (XXXVIII-O/08) 6.a", "AG/RES. 2397 (XXXVIII-O/08) 6.b",
        "AG/RES. 2397 (XXXVIII-O/08) 6.c"}
    implemented = rows(client, "/compliance?status=implemented")
    assert implemented and all(" implemented " in r for r in implemented)
    assert not any(FIVE_F in r for r in implemented)


def test_state_and_year_filters(client: TestClient) -> None:
    everything = rows(client, "/compliance")
    in_2010 = rows(client, "/compliance?year=2010")
    assert any("5.d" in r and r.startswith("mismatch") for r in in_2010)
    # the inferred 5.f has no activity, so no year
    assert not any(FIVE_F in r for r in in_2010)
    assert 0 < len(in_2010) < len(everything)
    in_jamaica_2006 = rows(client, "/compliance?state=JAM&year=2006")
    in_2006 = rows(client, "/compliance?year=2006")
    assert in_2006 and in_jamaica_2006 == []


def test_csv_keeps_the_filters(client: TestClient) -> None:
    page = client.get("/compliance?theme=major-events-security&kind=no-mandate",
                      headers=BROWSER).text
    link = html.unescape(re.search(r'<a class="csv" href="([^"]+)"', page).group(1))  # type: ignore[union-attr]
    assert "theme=major-events-security" in link and "kind=no-mandate" in link
    response = client.get(link)
    assert response.headers["content-type"].startswith("text/csv")
    got = list(csv.DictReader(io.StringIO(response.text)))
    assert got and {r["kind"] for r in got} == {"no-mandate"}
    assert len(got) == len(rows(client, "/compliance?theme=major-events-security"))
    whole = list(csv.DictReader(io.StringIO(client.get("/compliance?format=csv").text)))
    assert len(whole) > len(got)


@pytest.mark.parametrize("url", ["/compliance?status=done", "/compliance?kind=x",
                                 "/compliance?format=pdf", "/compliance?colour=red",
                                 "/mandates?status=done"])
def test_a_bad_filter_is_400(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400, response.text


def test_mandates_registry_shows_each_status_from_mandate_status(
    client: TestClient, built_store: Store
) -> None:
    expected = {f"{r['resolution'].value} {r['paragraph'].value}": r["status"].value
                for r in built_store.query(get_query("mandate-status").sparql({}))}
    page = client.get("/mandates?limit=500", headers=BROWSER).text
    shown = {}
    for match in re.finditer(r'<tr class="mandate" data-status="([^"]+)">(.*?)</tr>', page,
                             flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(2), flags=re.S)
        shown[f"{words(cells[0])} {words(cells[1])}"] = (match.group(1), words(cells[2]))
    assert {k: s for k, (s, _) in shown.items()} == expected
    assert all(cell == status for status, cell in shown.values())


def test_mandates_registry_bodies_states_years_and_drill_down(client: TestClient) -> None:
    page = client.get("/mandates?resolution=AG/RES. 2485 (XXXIX-O/09)", headers=BROWSER).text
    row = next(m for m in re.findall(r'<tr class="mandate"[^>]*>(.*?)</tr>', page, flags=re.S)
               if ">5.b<" in m)
    cells = [words(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
    assert cells[2] == "implemented"
    assert "CICTE" in cells[4].split(", ") and "JAM" in cells[5].split(", ")
    # drill-down: the paragraph's page lists its activities; the quote opens its passage
    activities = re.search(r'<a class="activities" href="([^"]+)">(\d+)</a>', row)
    assert activities and activities.group(1) == "/id/resolution/ag-res-2485-xxxix-o-09/5.b"
    assert client.get(activities.group(1), headers=BROWSER).status_code == 200
    quote = re.search(r'<a class="quote-link" href="([^"]+)"[^>]*>“([^”]+)”', row)
    assert quote is not None
    passage = client.get(html.unescape(quote.group(1)), headers=BROWSER).text
    assert re.search(r"<mark[^>]*>" + re.escape(quote.group(2)), passage)


def test_mandates_status_filter(client: TestClient) -> None:
    found = rows(client, "/mandates?status=no+indication", "mandate")
    assert len(found) == 4 and any(r.startswith(FIVE_F) for r in found)
    none = rows(client, "/mandates?status=no+indication&has_activity=true", "mandate")
    assert none == []


def _cells(client: TestClient, url: str) -> list[list[str]]:
    page = client.get(url, headers=BROWSER)
    assert page.status_code == 200, page.text
    return [[words(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
            for row in re.findall(r'<tr class="mandate"[^>]*>(.*?)</tr>', page.text, flags=re.S)]


def test_mandates_filtered_by_state_year_and_theme(client: TestClient) -> None:
    everything = _cells(client, "/mandates?limit=500")
    in_jamaica = _cells(client, "/mandates?limit=500&state=jam")
    # each row shown acts for Jamaica; every such row of the whole registry is shown
    assert in_jamaica and len(in_jamaica) < len(everything)
    assert all("JAM" in row[5].split(", ") for row in in_jamaica)
    assert len(in_jamaica) == sum("JAM" in row[5].split(", ") for row in everything)
    year = next(y for row in in_jamaica for y in row[6].split(", ") if y)
    in_year = _cells(client, f"/mandates?limit=500&state=JAM&year={year}")
    assert in_year and all(year in row[6].split(", ") for row in in_year)
    themed = _cells(client, "/mandates?limit=500&theme=cybersecurity")
    assert 0 < len(themed) < len(everything)
    assert rows(client, "/mandates?theme=cybersecurity&has_activity=false",
                "mandate") == []


@pytest.mark.parametrize(("url", "status", "named"), [
    ("/mandates?state=XXX", 404, "unknown state"),
    ("/mandates?theme=drugs", 404, "drug-trafficking"),
    ("/mandates?year=20x6", 400, "four-digit"),
    ("/compliance?state=XXX", 404, "unknown state"),
    ("/compliance?theme=drugs", 404, "drug-trafficking"),
])
def test_unknown_filter_values_are_refused(client: TestClient, url: str, status: int,
                                           named: str) -> None:
    response = client.get(url, headers={"accept": "application/json"})
    assert response.status_code == status
    assert named in response.json()["detail"]
