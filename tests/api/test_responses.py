"""The one ``Accept`` rule of api/: q, then specificity, then the client's order, then
the route's; ``q=0`` excludes a type even when a wildcard takes it."""

from __future__ import annotations

import pytest

from mandategraph.api.responses import choose, parse_accept, preferred

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_ranges_come_best_first() -> None:
    assert parse_accept("*/*;q=0.5, text/*, text/csv, application/json;q=0.5") == [
        ("text/csv", 1.0), ("text/*", 1.0), ("application/json", 0.5), ("*/*", 0.5)]


@pytest.mark.parametrize(
    ("header", "offered", "expected"),
    [
        (None, ["text/csv", "application/json"], "text/csv"),
        ("", ["text/csv", "application/json"], "text/csv"),
        (BROWSER, ["application/json", "text/html"], "text/html"),
        ("*/*", ["application/json", "text/html"], "application/json"),
        ("text/turtle, text/html", ["text/html", "text/turtle"], "text/turtle"),
        ("text/html;q=0.5, */*", ["text/html", "text/csv"], "text/csv"),
        ("text/csv;q=0, */*", ["text/csv", "application/json"], "application/json"),
        ("*/*;q=0.9, text/csv;q=0.5", ["text/csv", "application/json"], "application/json"),
        ("text/*", ["application/json", "text/csv", "text/tab-separated-values"], "text/csv"),
        ("image/png", ["text/html"], None),
    ],
)
def test_the_preferred_offer(header: str | None, offered: list[str], expected: str | None) -> None:
    assert preferred(header, offered) == expected


def test_a_table_maps_the_preferred_type_to_its_format() -> None:
    table = {"application/sparql-results+json": "json", "application/json": "json",
             "text/csv": "csv"}
    assert choose("text/csv;q=0.9, application/json", table) == "json"
    assert choose("text/plain", table) is None
