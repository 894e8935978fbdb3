"""The compliance checks on the default corpus (the seed report) and on the dev corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandategraph.api.cli import app
from mandategraph.graph.sparql.results import Table, to_table
from mandategraph.graph.store import Store
from mandategraph.queries.compliance import Finding, Runner, run_checks

SEED = "oas-sms-caribbean-sids-activities-2010-fr"


def runner_for(store: Store) -> Runner:
    def run(text: str) -> Table:
        return to_table(store.query(text))  # type: ignore[arg-type]
    return run


@pytest.fixture(scope="module")
def seed_findings(built_store: Store) -> list[Finding]:
    return run_checks(runner_for(built_store))


def of(findings: list[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


def test_seed_mandates_without_activity_are_the_inferred_ones(
    seed_findings: list[Finding],
) -> None:
    found = {f.subject: f for f in of(seed_findings, "no-activity")}
    assert set(found) == {"AG/RES. 2485 (XXXIX-O/09) 5.f", "AG/RES. 2397 (XXXVIII-O/08) 6.a",
                          "AG/RES. 2397 (XXXVIII-O/08) 6.b", "AG/RES. 2397 (XXXVIII-O/08) 6.c"}
    five_f = found["AG/RES. 2485 (XXXIX-O/09) 5.f"]
    assert five_f.detail.startswith("inferred")
    # its evidence: a citation of 5.g that implies it (sections 7 and 8 cite 5.g)
    assert five_f.document == SEED and five_f.section in {"7", "8"}
    assert five_f.quote and "5.g" in five_f.quote


def test_seed_2325_is_recalled_and_not_acted_on(seed_findings: list[Finding]) -> None:
    found = of(seed_findings, "not-acted-on")
    assert [f.subject for f in found] == ["AG/RES. 2325 (XXXVII-O/07)"]
    assert found[0].document == SEED and found[0].quote == "AG/RES. 2325 (XXXVII-O/07)"


def test_seed_section_9_major_events_has_no_mandate(seed_findings: list[Finding]) -> None:
    found = of(seed_findings, "no-mandate")
    assert found and {(f.document, f.section) for f in found} == {(SEED, "9")}
    assert all("major-events-security" in f.detail and f.quote for f in found)


def test_seed_section_2_cites_youth_violence_for_border_security(
    seed_findings: list[Finding],
) -> None:
    found = of(seed_findings, "mismatch")
    assert [(f.subject, f.section) for f in found] == [("AG/RES. 2485 (XXXIX-O/09) 5.d", "2")]
    assert "border-control" in found[0].detail and "violence-prevention" in found[0].detail


def test_seed_has_nothing_dropped(seed_findings: list[Finding]) -> None:
    assert of(seed_findings, "dropped") == []


def test_seed_renewals(seed_findings: list[Finding]) -> None:
    found = {(f.subject, f.detail.split(" (similarity")[0]) for f in of(seed_findings, "renewal")}
    assert ("AG/RES. 2485 (XXXIX-O/09) 5.d", "renews AG/RES. 2397 (XXXVIII-O/08) 6.d") in found
    assert ("AG/RES. 2485 (XXXIX-O/09) 5.b", "the report ties it to analogous earlier mandates") \
        in found
    assert len(found) == 2


@pytest.fixture()
def patient(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A query timeout that a machine shared by many test runs does not reach."""
    from mandategraph.api.settings import get_settings

    monkeypatch.setenv("MANDATEGRAPH_QUERY_TIMEOUT", "120")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_check_json_and_fail_on(built_path: tuple[Path, object], runner: CliRunner,
                                patient: None) -> None:
    location = str(built_path[0])
    result = runner.invoke(app, ["--store", location, "check", "--format", "json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    subjects = {(f["kind"], f["subject"]) for f in findings}
    assert ("no-activity", "AG/RES. 2485 (XXXIX-O/09) 5.f") in subjects
    assert ("not-acted-on", "AG/RES. 2325 (XXXVII-O/07)") in subjects
    assert ("mismatch", "AG/RES. 2485 (XXXIX-O/09) 5.d") in subjects
    assert any(f["kind"] == "no-mandate" and f["section"] == "9" for f in findings)
    failed = runner.invoke(app, ["--store", location, "check", "--fail-on", "no-mandate"])
    assert failed.exit_code == 10
    passed = runner.invoke(app, ["--store", location, "check", "--fail-on", "dropped"])
    assert passed.exit_code == 0
    bad = runner.invoke(app, ["--store", location, "check", "--fail-on", "nonsense"])
    assert bad.exit_code == 2 and "unknown check kind" in bad.output


def test_check_csv_lists_every_finding(built_path: tuple[Path, object],
                                       runner: CliRunner, patient: None) -> None:
    location = str(built_path[0])
    as_json = json.loads(runner.invoke(
        app, ["--store", location, "check", "--format", "json"]).stdout)["findings"]
    as_csv = runner.invoke(app, ["--store", location, "check", "--format", "csv"]).stdout
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert [r["subject"] for r in rows] == [f["subject"] for f in as_json]


def test_a_check_that_times_out_is_an_error_not_an_empty_list(
    built_path: tuple[Path, object], runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mandategraph.api.settings import get_settings

    monkeypatch.setenv("MANDATEGRAPH_QUERY_TIMEOUT", "0.001")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["--store", str(built_path[0]), "check", "--format", "json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 6, result.output
    assert "findings" not in result.stdout


def test_check_html_is_one_self_contained_page(built_path: tuple[Path, object],
                                               runner: CliRunner, patient: None) -> None:
    from html.parser import HTMLParser

    location = str(built_path[0])
    result = runner.invoke(app, ["--store", location, "check", "--format", "html"])
    assert result.exit_code == 0, result.output
    page = result.stdout
    as_json = json.loads(runner.invoke(
        app, ["--store", location, "check", "--format", "json"]).stdout)["findings"]

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.links: list[str] = []
            self.rows = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            self.links += [v or "" for k, v in attrs if k in {"src", "href"}]
            self.rows += tag == "tr" and ("class", "finding") in attrs

    reader = Reader()
    reader.feed(page)
    assert page.startswith("<!DOCTYPE html>")
    # nothing fetched: no script, no stylesheet link, no image, no address
    assert not {"script", "link", "img", "iframe"} & set(reader.tags)
    assert reader.links == [] and "http" not in page
    assert reader.rows == len(as_json) >= 8
    assert "AG/RES. 2485 (XXXIX-O/09) 5.f" in page


def test_check_html_escapes_what_it_shows() -> None:
    from mandategraph.api.compliance import render

    evil = Finding("no-mandate", "<script>alert(1)</script>", "a & b", "doc",
                   "9", "“<b>quoted</b>”", None)
    page = render([evil], "html")
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "a &amp; b" in page


def test_check_unknown_format_is_a_clear_error(built_path: tuple[Path, object],
                                               runner: CliRunner, patient: None) -> None:
    result = runner.invoke(app, ["--store", str(built_path[0]), "check", "--format", "pdf"])
    assert result.exit_code == 2 and "html" in result.output
