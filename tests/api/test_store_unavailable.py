"""A damaged store is exit 7 / HTTP 503 in one line; a stale inferred graph is reported.

Regressions of issue 10, item 4: garbage inside an SST file then ``ingest`` gave exit 1
and two tracebacks; an empty ``CURRENT`` then ``serve`` gave a 52-line traceback and
exit 3; an interrupted ingest left ``graph/inferred`` stale and nothing said so.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mandategraph.api.app import create_app
from mandategraph.api.cli import app as cli
from mandategraph.api.settings import Settings
from mandategraph.graph.build import load_vocabulary
from mandategraph.graph.ingest import ingest
from mandategraph.graph.store import STALE_MARKER, Store
from tests.support import unavailable

ROOT = Path(__file__).parents[2]
DOC = ROOT / "tests" / "data" / "es-informe-dsp-centroamerica-2013.txt"
OTHER = ROOT / "tests" / "data" / "en-report-cicad-eastern-caribbean-2012.txt"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed on-disk store: vocabulary and one document, no reasoning."""
    location = tmp_path_factory.mktemp("pristine") / "store"
    with Store.open(location) as store:
        load_vocabulary(store)
        ingest(store, DOC, validate=False)
    return location


@pytest.fixture()
def copy(pristine: Path, tmp_path: Path) -> Path:
    location = tmp_path / "store"
    shutil.copytree(pristine, location)
    return location


def string_table(location: Path) -> Path:
    """The SST file of Oxigraph's string dictionary (column family ``id2str``).

    Every command reads it, by point lookups: garbage there is found by RocksDB's block
    checksums. (Garbage in an index such as ``gspo`` can instead make pyoxigraph 0.5
    allocate without end on some queries, which no Python code can catch.)
    """
    tables = [p for p in location.glob("*.sst") if b"id2str" in p.read_bytes()]
    assert tables, sorted(p.name for p in location.iterdir())
    return max(tables, key=lambda p: p.stat().st_size)


def write_garbage(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for fraction in (0.25, 0.5, 0.75):
            handle.seek(int(size * fraction))
            handle.write(b"\xde\xad\xbe\xef" * 256)


def _limit_memory() -> None:  # pragma: no cover (runs in the child)
    # a damaged store must never take the machine's memory with it
    limit = 4 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def mandategraph(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process, as a user runs it."""
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("MANDATEGRAPH_STORE", None)
    return subprocess.run(
        [sys.executable, "-m", "mandategraph.api.cli", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout,
        preexec_fn=_limit_memory,
    )


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    return lines[0]


# -- the two probes, for real --------------------------------------------------------------


def test_ingest_into_a_store_with_garbage_in_an_sst_file_is_exit_7_in_one_line(
    copy: Path,
) -> None:
    write_garbage(string_table(copy))
    done = mandategraph("--store", str(copy), "ingest", str(OTHER), "--no-reason")
    assert done.returncode == 7, done.stderr
    line = one_error_line(done.stderr)
    assert "damaged" in line and "Corruption" in line and str(copy) in line


def test_serve_on_an_empty_current_file_is_exit_7_in_one_line(copy: Path) -> None:
    (copy / "CURRENT").write_bytes(b"")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = mandategraph("--store", str(copy), "serve", "--port", str(port), timeout=120)
    assert done.returncode == 7, done.stderr[-2000:]
    line = one_error_line(done.stderr)
    assert "damaged" in line and "CURRENT" in line


@pytest.mark.parametrize(
    "command",
    [
        ["build", "--no-reason", "--corpus", str(ROOT / "corpus")],
        ["ingest", str(OTHER), "--no-reason"],
        ["query", "--text", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"],
        ["export", "--format", "nq"],
        ["stats", "--json"],
        ["network", "--format", "json"],
    ],
    ids=lambda command: command[0],
)
def test_every_command_on_an_empty_current_file_is_exit_7_in_one_line(
    copy: Path, command: list[str]
) -> None:
    (copy / "CURRENT").write_bytes(b"")
    result = CliRunner().invoke(cli, ["--store", str(copy), *command])
    assert result.exit_code == 7, result.output
    assert "damaged" in one_error_line(result.stderr)


# -- a stale inferred graph is reported -----------------------------------------------------


def test_stats_flags_an_inferred_graph_older_than_the_documents(copy: Path) -> None:
    assert (copy / STALE_MARKER).is_file()  # written by the fixture, which did not reason
    result = CliRunner().invoke(cli, ["--store", str(copy), "stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["inferred"] == "stale"
    assert "inferred graph is stale" in result.stderr
    table = CliRunner().invoke(cli, ["--store", str(copy), "stats"])
    assert "stale" in table.stdout


def test_health_is_degraded_while_the_inferred_graph_is_stale(copy: Path) -> None:
    settings = Settings(store=str(copy), query_workers=1, reason=False)
    with TestClient(create_app(settings)) as client:
        stale = client.get("/health")
        assert stale.status_code == 200
        assert stale.json()["status"] == "degraded"
        assert stale.json()["inferred"] == "stale"
        assert client.get("/stats").json()["inferred"] == "stale"
        (copy / STALE_MARKER).unlink()  # as a reasoning pass does
        assert client.get("/health").json()["status"] == "ok"


def test_an_engine_fault_in_a_route_is_503_store_unavailable(copy: Path) -> None:
    settings = Settings(store=str(copy), query_workers=1, reason=False)
    application = create_app(settings)

    @application.get("/damaged")
    def damaged() -> None:
        raise RuntimeError("Corruption: block checksum mismatch in /x/000012.sst")

    @application.get("/bug")
    def bug() -> None:
        raise RuntimeError("not the store")

    with TestClient(application, raise_server_exceptions=False) as client:
        response = client.get("/damaged")
        assert response.status_code == 503
        assert response.json()["error"] == "store unavailable"
        assert "damaged" in response.json()["detail"]
        assert client.get("/bug").status_code == 500


@pytest.mark.java
def test_the_next_ingest_repairs_a_stale_inferred_graph(copy: Path) -> None:
    from mandategraph.ontology.reasoning import java_available

    if not java_available():
        unavailable("Java is needed to run HermiT")
    result = CliRunner().invoke(cli, ["--store", str(copy), "ingest", str(OTHER)])
    assert result.exit_code == 0, result.output
    assert not (copy / STALE_MARKER).exists()
    with Store.open(copy, read_only=True) as store:
        assert store.stats()["inferred"] == "current"
