"""Charts: their rows come from the store, their specs draw offline as SVG and PNG."""

from __future__ import annotations

import pytest
from rdflib import Graph

from mandategraph.errors import BadParameterError
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import GRAPH
from mandategraph.visualizations.charts import (
    chart_spec,
    coverage_data,
    map_chart,
    network_chart,
    partner_data,
    render,
    theme_data,
    timeline_data,
)
from mandategraph.visualizations.graphs import Filters, partnership_graph
from tests.visualizations.test_partnerships import FIXTURE

#: A one-square "country" with Jamaica's ISO numeric code, as TopoJSON.
TOPOLOGY = {
    "type": "Topology",
    "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "id": "388", "arcs": [[0]], "properties": {"name": "Jamaica"}}]}},
    "arcs": [[[-78.0, 18.0], [-76.0, 18.0], [-76.0, 18.5], [-78.0, 18.5], [-78.0, 18.0]]],
}


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store.open("memory")
    store.replace_graph(GRAPH["document/fixture"], Graph().parse(data=FIXTURE, format="turtle"))
    return store


def test_rows_come_from_the_store(store: Store) -> None:
    assert sorted((r["year"], r["theme"], r["activities"]) for r in timeline_data(store)) == [
        (2008, "border-control", 1), (2009, "cybersecurity", 1), (2010, "border-control", 1)]
    assert theme_data(store) == [{"theme": "border-control", "activities": 2},
                                 {"theme": "cybersecurity", "activities": 1}]
    coverage = {r["state"]: r for r in coverage_data(store)}
    assert coverage["JAM"]["activities"] == 1 and coverage["JAM"]["id"] == "388"
    # every member state is there, with 0 for a gap
    assert len(coverage) >= 35 and coverage["BRB"]["activities"] == 0
    assert timeline_data(store, Filters(theme="cybersecurity")) == [
        {"year": 2009, "theme": "cybersecurity", "activities": 1}]
    partners = {(r["body"], r["partner"]): r["shared"] for r in partner_data(store)}
    assert partners[("CICTE", "ICAO")] == 2 and ("CICTE", "CICAD") not in partners


def test_specs_draw_as_svg_and_png(store: Store) -> None:
    spec = chart_spec("timeline", store)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    svg = render(spec, "svg").decode()
    assert svg.startswith("<svg") and "Activities per year and theme" in svg
    assert render(chart_spec("themes", store), "png").startswith(b"\x89PNG")
    assert "Top partners" in render(chart_spec("partners", store), "svg").decode()
    network = render(network_chart(partnership_graph(store)), "svg").decode()
    assert "CICTE" in network and "Who works with whom" in network


def test_the_map_colours_the_states_it_is_given(store: Store) -> None:
    spec = map_chart(coverage_data(store), atlas=TOPOLOGY)
    svg = render(spec, "svg").decode()
    assert svg.count("<path") >= 1 and "Activities benefiting each member state" in svg
    by_url = map_chart(coverage_data(store), atlas="/static/countries.json")
    assert by_url["data"]["url"] == "/static/countries.json"


def test_the_map_has_a_colour_legend(store: Store) -> None:
    # regression: a stroke encoding of the same field with legend=None dropped the
    # merged legend, so the map's shades had no key
    import re

    import vl_convert

    spec = map_chart(coverage_data(store), atlas=TOPOLOGY)
    legends = vl_convert.vegalite_to_vega(spec).get("legends") or []
    assert [legend.get("title") for legend in legends if legend.get("fill")] == ["activities"]
    svg = render(spec, "svg").decode()
    titles = re.findall(r'role-legend-title.*?<text[^>]*>([^<]*)</text>', svg)
    assert titles == ["activities"]


def test_unknown_chart_and_format_are_bad_parameters(store: Store) -> None:
    with pytest.raises(BadParameterError, match="known: timeline"):
        chart_spec("pie", store)
    with pytest.raises(BadParameterError):
        render(chart_spec("themes", store), "gif")


def test_query_results_get_a_chart_when_their_columns_fit() -> None:
    from mandategraph.visualizations.charts import table_chart

    by_year = table_chart(["year", "theme", "activities"],
                          [["2009", "cybersecurity", "2"], ["2010", "border-control", "3"]],
                          [True, False, True])
    assert by_year is not None and by_year["mark"]["type"] == "bar"
    assert by_year["encoding"]["x"]["field"] == "year"
    assert by_year["encoding"]["color"]["field"] == "theme"
    pairs = table_chart(["actor_a", "actor_b", "activities"],
                        [["CICTE", "ICAO", "2"], ["CICAD", "DPS", "3"]], [False, False, True])
    assert pairs is not None and pairs["mark"]["type"] == "rect"
    coverage = table_chart(["state", "activities", "themes"],
                           [["JAM", "3", "a|b"], ["BRB", "0", ""]], [False, True, False])
    assert coverage is not None and coverage["encoding"]["y"]["field"] == "state"
    # a list of activities is not a count of anything
    assert table_chart(["activity", "label", "a", "b", "c", "d", "participants"],
                       [["x", "y", "", "", "", "", "3"]], [False] * 6 + [True]) is None
    assert table_chart(["activity", "label", "year", "status", "states", "quote", "participants"],
                       [["x", "y", "2010", "", "", "", "3"]], [False, False, True] + [False] * 3
                       + [True]) is None
    assert table_chart(["resolution", "text"], [["r", "t"]], [False, False]) is None
