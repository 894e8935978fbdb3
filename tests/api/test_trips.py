"""Regressions of issue 14: what a researcher tripped on, one test (or a few) per trip.

Each test is named after the trip it pins (``test_trip<N>_...``); the trips are listed in
the issue: a plain ``.rq`` file, SPARQLWrapper's JSON-LD (tested in
``test_sparql_clients.py``), unknown paths, HEAD, ``serve`` on a bad port, unknown codes
and parameters, documents that say nothing and fake PDFs, and the small print.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _fixtures import make_app
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mandategraph.api.cli import app

ROOT = Path(__file__).resolve().parents[2]


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def store_args(built_path: tuple[Path, object]) -> list[str]:
    return ["--store", str(built_path[0])]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    application, _store = make_app(tmp_path_factory.mktemp("trips"))
    with TestClient(application) as test_client:
        yield test_client


# -- trip 1: a plain .rq file ----------------------------------------------------------


def test_trip1_a_plain_rq_file_runs_without_a_header(runner: CliRunner, store_args: list[str],
                                                     tmp_path: Path) -> None:
    plain = tmp_path / "my.rq"
    plain.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a mg:Activity }\n", encoding="utf-8")
    code, out, err = run(runner, *store_args, "query", str(plain), "--format", "csv")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == "n" and int(lines[1]) > 10


def test_trip1_the_canned_queries_still_need_their_summary(tmp_path: Path) -> None:
    from mandategraph.errors import BadParameterError
    from mandategraph.queries.catalog import load_catalog

    (tmp_path / "bare.rq").write_text("ASK {}\n", encoding="utf-8")
    with pytest.raises(BadParameterError, match="summary"):
        load_catalog(tmp_path)


# -- trip 3: unknown paths, in the error shape, HTML for browsers --------------------------


@pytest.mark.parametrize("path", ["/nosuch", "/api", "/static/nosuch.css"])
def test_trip3_an_unknown_path_is_the_error_shape(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": "not found", "detail": f"nothing is served at {path}",
                               "status": 404}
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "nothing is served at" in page.text


def test_trip3_a_wrong_method_in_a_browser_is_an_html_405(client: TestClient) -> None:
    page = client.request("PUT", "/", headers={"Accept": "text/html"})
    assert page.status_code == 405
    assert page.headers["content-type"].startswith("text/html")
    assert "PUT is not allowed" in page.text


# -- trip 4: HEAD ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/sparql", "/id/state/JAM", "/id/org/CICTE"])
def test_trip4_head_answers_200_with_the_headers_of_get(client: TestClient, path: str) -> None:
    got = client.get(path, headers={"Accept": "text/html"})
    head = client.head(path, headers={"Accept": "text/html"})
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    assert {k: v for k, v in head.headers.items() if k != "date"} == {
        k: v for k, v in got.headers.items() if k != "date"}


# -- trip 5: serve on a port in use, or on no port ---------------------------------------


def serve(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mandategraph.api.cli", "--store", str(store), "serve", *args],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )


def test_trip5_serve_on_a_port_in_use_is_one_line_and_exit_2(
    built_path: tuple[Path, object],
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        done = serve(built_path[0], "--host", "127.0.0.1", "--port", str(port))
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"port {port}" in errors[0] and "in use" in errors[0]
    assert "Traceback" not in done.stderr and "INFO" not in done.stderr


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_trip5_serve_on_an_invalid_port_is_one_line_and_exit_2(
    built_path: tuple[Path, object], port: str
) -> None:
    done = serve(built_path[0], "--port", port)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("error:") == 1 and "0 to 65535" in done.stderr
    assert "Traceback" not in done.stderr


# -- trip 6: unknown codes and parameters ----------------------------------------------


def test_trip6_an_unknown_theme_param_names_the_closest(runner: CliRunner,
                                                        store_args: list[str]) -> None:
    code, out, err = run(runner, *store_args, "query", "activities", "--param", "theme=drugs")
    assert code == 2
    assert "did you mean drug-trafficking" in err
    assert out == ""


def test_trip6_an_unknown_state_param_is_exit_2(runner: CliRunner,
                                                store_args: list[str]) -> None:
    code, _out, err = run(runner, *store_args, "query", "activities", "--param", "state=JAN")
    assert code == 2
    assert "unknown state 'JAN'" in err and "JAM" in err


def test_trip6_network_with_an_unknown_theme_is_exit_2(runner: CliRunner,
                                                       store_args: list[str]) -> None:
    code, _out, err = run(runner, *store_args, "network", "--theme", "cybersecurty")
    assert code == 2
    assert "did you mean cybersecurity" in err


def test_trip6_known_codes_still_run(runner: CliRunner, store_args: list[str]) -> None:
    code, out, err = run(runner, *store_args, "query", "activities", "--param", "state=jam",
                         "--param", "theme=drug-trafficking", "--format", "csv")
    assert code == 0, err
    assert out.startswith("activity,")


@pytest.mark.parametrize(("url", "closest"), [
    ("/api/activities?state=XXX", None),
    ("/api/activities?state=JAN", "JAM"),
    ("/api/activities?theme=border-contrl", "border-control"),
    ("/api/activities?actor=CICT", "CICTE"),
    ("/activities?theme=cyber", "cybersecurity"),
    ("/graph.json?theme=cybersecurty", "cybersecurity"),
    ("/queries/activities?format=json&theme=border", "border-control"),
])
def test_trip6_an_unknown_code_over_http_is_404_naming_the_closest(
    client: TestClient, url: str, closest: str | None
) -> None:
    # 404, not 400: the value is a code as the OpenAPI document says, naming nothing
    response = client.get(url)
    assert response.status_code == 404, response.text
    body = response.json()
    assert body["error"] == "unknown code" and body["detail"].startswith("unknown ")
    if closest:
        assert f"did you mean {closest}" in body["detail"]


@pytest.mark.parametrize("url", [
    "/api/activities?q=customs", "/api/states?colour=red", "/graph.json?q=x",
    "/activities?q=customs", "/mandates?actor=CICTE", "/actors?q=x", "/states?theme=x",
    "/documents?q=x", "/resolutions?q=x", "/search?lang=fr&q=x",
])
def test_trip6_an_unknown_query_parameter_is_400(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400, response.text
    name = url.split("?")[1].split("=")[0]
    assert f"unknown parameter {name!r}" in response.json()["detail"]


def test_trip6_a_parameter_close_to_a_known_one_is_named(client: TestClient) -> None:
    response = client.get("/api/activities?stat=JAM")
    assert response.status_code == 400
    assert "did you mean state" in response.json()["detail"]


# -- trip 7: a document saying nothing; a fake PDF ---------------------------------------


def test_trip7_a_document_without_citation_or_activity_warns(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Minutes of a meeting. The weather was fine and lunch was served.\n",
                    encoding="utf-8")
    code, _out, err = run(runner, "--store", "memory", "ingest", str(note), "--no-reason")
    assert code == 0
    assert "warning:" in err and "no citation and no activity" in err


def test_trip7_a_fake_pdf_prints_only_the_error_line(built_path: tuple[Path, object],
                                                     tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf at all\n")
    done = subprocess.run(
        [sys.executable, "-m", "mandategraph.api.cli", "--store", "memory", "ingest",
         "--no-reason", str(fake)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert done.returncode == 3
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), done.stderr


# -- trip 8: the small print -----------------------------------------------------------


def test_trip8_one_row_is_singular(runner: CliRunner, store_args: list[str]) -> None:
    code, _out, err = run(runner, *store_args, "query", "--text",
                          "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert code == 0
    assert "1 row" in err and "1 rows" not in err


def test_trip8_the_build_summary_title_is_on_one_line(tmp_path: Path) -> None:
    store = tmp_path / ("a-store-with-a-long-name-" * 3)
    done = subprocess.run(
        [sys.executable, "-m", "mandategraph.api.cli", "--store", str(store), "build",
         "--no-reason", "--no-validate"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env={**os.environ, "COLUMNS": "80"},
    )
    assert done.returncode == 0, done.stderr
    titles = [line for line in done.stdout.splitlines() if "built" in line]
    assert len(titles) == 1 and str(store) in titles[0], done.stdout
