"""The command line: commands on a built store, bad input, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from mandategraph.api.cli import app
from tests.support import unavailable


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_query_on_a_missing_store_says_build_first(runner: CliRunner, tmp_path: Path) -> None:
    code, _out, err = run(runner, "--store", str(tmp_path / "none"), "query", "--text", "ASK {}")
    assert code == 7
    assert "mandategraph build" in err
    assert "Traceback" not in err


def test_build_from_a_missing_corpus_is_a_document_error(runner: CliRunner, tmp_path: Path) -> None:
    code, _out, err = run(runner, "--store", str(tmp_path / "s"), "build",
                          "--corpus", str(tmp_path / "nowhere"))
    assert code == 3
    assert "corpus folder not found" in err


def test_an_unwritable_store_path_is_exit_7(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _out, err = run(runner, "--store", str(blocker / "store"), "ingest", str(blocker))
    assert code == 7
    assert "cannot open the store" in err


def test_ingest_of_a_missing_file_is_exit_3(runner: CliRunner, tmp_path: Path) -> None:
    code, _out, err = run(runner, "--store", "memory", "ingest", str(tmp_path / "none.txt"))
    assert code == 3
    assert "no such file" in err


def test_an_unknown_format_is_exit_2(runner: CliRunner) -> None:
    code, _out, _err = run(runner, "--store", "memory", "export", "--format", "docx")
    assert code == 2


def test_a_query_syntax_error_is_exit_5_with_position(runner: CliRunner) -> None:
    code, _out, err = run(runner, "--store", "memory", "query", "--text", "SELECT * WHERE { ?s }")
    assert code == 5
    assert "1:" in err


def test_an_unknown_canned_query_is_exit_4(runner: CliRunner) -> None:
    code, _out, err = run(runner, "--store", "memory", "query", "no-such-query")
    assert code == 4
    assert "known:" in err


def test_a_bad_parameter_is_exit_2(runner: CliRunner) -> None:
    code, _out, err = run(runner, "--store", "memory", "query", "activities", "--param", "year=x")
    assert code == 2
    assert "whole number" in err


# -- on the built corpus -----------------------------------------------------------------


@pytest.fixture()
def store_args(built_path: tuple[Path, object]) -> list[str]:
    return ["--store", str(built_path[0])]


def test_count_query_prints_sparql_json(runner: CliRunner, store_args: list[str]) -> None:
    code, out, _err = run(runner, *store_args, "query", "--text",
                          "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json")
    assert code == 0
    body = json.loads(out)
    assert body["head"]["vars"] == ["n"]
    assert int(body["results"]["bindings"][0]["n"]["value"]) > 1000


def test_export_nq_parses_back_to_the_same_quads(runner: CliRunner, store_args: list[str],
                                                  built_store) -> None:
    code, out, _err = run(runner, *store_args, "export", "--format", "nq")
    assert code == 0
    parsed = Dataset()
    parsed.parse(data=out, format="nquads")
    stored = sum(g.triples for g in built_store.graphs())
    assert len(list(parsed.quads((None, None, None, None)))) == stored


@pytest.mark.parametrize("fmt", ["nq", "nt"])
def test_export_to_a_file_streams_the_same_statements(
    runner: CliRunner, store_args: list[str], built_store, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"dump.{fmt}"
    code, _out, err = run(runner, *store_args, "export", "--format", fmt, "-o", str(target))
    assert code == 0
    assert f"wrote {target.stat().st_size} bytes to" in err
    assert target.read_bytes() == built_store.export(fmt)
    assert not list(tmp_path.glob("*.part"))


def test_an_export_that_fails_leaves_the_file_before_it(tmp_path: Path) -> None:
    from mandategraph.api.cli_support import write_streamed
    from mandategraph.errors import StoreError

    target = tmp_path / "dump.nq"
    target.write_bytes(b"the export of yesterday\n")

    def half_then_fail(out) -> None:  # type: ignore[no-untyped-def]
        out.write(b"<a> <b> <c> .\n")
        raise StoreError("the store failed while it was read")

    with pytest.raises(StoreError, match="failed while it was read"):
        write_streamed(half_then_fail, target)
    assert target.read_bytes() == b"the export of yesterday\n"
    assert not list(tmp_path.glob("*.part"))
    code, _out, err = run(CliRunner(), "--store", "memory", "export", "-f", "nq", "-o",
                          str(tmp_path / "missing" / "dump.nq"))
    assert code != 0 and "cannot write" in err and "Traceback" not in err


def test_export_ttl_parses_back_to_the_union(runner: CliRunner, store_args: list[str],
                                             built_store) -> None:
    code, out, _err = run(runner, *store_args, "export", "--format", "ttl")
    assert code == 0
    union = Graph().parse(data=out, format="turtle")
    distinct = built_store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert len(union) == int(next(iter(distinct))[0].value)


def test_canned_query_with_a_parameter_as_csv(runner: CliRunner, store_args: list[str]) -> None:
    code, out, _err = run(runner, *store_args, "query", "activities", "--param", "state=JAM",
                          "--format", "csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("activity,label,type,theme")
    assert len(lines) > 3
    assert all("JAM" in line for line in lines[1:])


def test_a_page_of_a_canned_query(runner: CliRunner, store_args: list[str]) -> None:
    code, out, _err = run(runner, *store_args, "query", "activities", "--format", "csv")
    assert code == 0
    whole = list(csv.reader(io.StringIO(out)))
    code, out, _err = run(runner, *store_args, "query", "activities", "--format", "csv",
                          "--page", "2", "--page-size", "3")
    assert code == 0
    assert list(csv.reader(io.StringIO(out))) == [whole[0], *whole[4:7]]
    code, _out, err = run(runner, *store_args, "query", "activities", "--page", "0")
    assert code == 2, err
    assert "page" in err


def test_stats_as_json(runner: CliRunner, store_args: list[str]) -> None:
    code, out, _err = run(runner, *store_args, "stats", "--json")
    assert code == 0
    figures = json.loads(out)
    assert figures["states"] >= 35
    assert figures["activities"] > 10


# -- bad input leaves the store as it was ----------------------------------------------


@pytest.fixture()
def small_store(runner: CliRunner, tmp_path: Path) -> list[str]:
    args = ["--store", str(tmp_path / "store")]
    seed = Path(__file__).parents[2] / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
    code, _out, err = run(runner, *args, "ingest", str(seed), "--no-reason")
    assert code == 0, err
    return args


def graph_counts(runner: CliRunner, args: list[str]) -> dict[str, int]:
    code, out, _err = run(runner, *args, "stats", "--json")
    assert code == 0
    return json.loads(out)["graphs"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("binary.txt", bytes(range(256)) * 40, "binary"),
        ("empty.txt", b"", "empty"),
        ("undecodable.txt", b"\xff\xfe\x00\x00" + b"\x00\xd8" * 500, ""),
    ],
)
def test_bad_documents_change_nothing_stored(
    runner: CliRunner, small_store: list[str], tmp_path: Path, name: str, content: bytes,
    message: str,
) -> None:
    before = graph_counts(runner, small_store)
    bad = tmp_path / name
    bad.write_bytes(content)
    code, _out, err = run(runner, *small_store, "ingest", str(bad))
    assert code == 3
    assert err.strip().startswith("error:") and name in err and message in err
    assert "Traceback" not in err
    assert graph_counts(runner, small_store) == before


def test_reingest_replaces_only_that_document(runner: CliRunner, small_store: list[str],
                                             tmp_path: Path) -> None:
    other = Path(__file__).parents[1] / "data" / "en-report-cicad-eastern-caribbean-2012.txt"
    assert run(runner, *small_store, "ingest", str(other), "--no-reason")[0] == 0
    before = graph_counts(runner, small_store)
    seed = Path(__file__).parents[2] / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
    assert run(runner, *small_store, "ingest", str(seed), "--no-reason")[0] == 0
    assert graph_counts(runner, small_store) == before


def test_candidates_lists_unknown_acronyms(runner: CliRunner, store_args: list[str]) -> None:
    code, out, _err = run(runner, *store_args, "candidates", "--format", "csv")
    assert code == 0
    names = {line.split(",")[0] for line in out.strip().splitlines()[1:]}
    # PSAP, a programme's acronym, is no organization (issue 12)
    assert {"DVLM", "IPO"} <= names and "PSAP" not in names


def test_evaluate_scores_the_seed_against_its_gold(runner: CliRunner) -> None:
    root = Path(__file__).parents[2]
    gold = root.parent / "shared" / "gold" / "seed-report.gold.yaml"
    if not gold.is_file():
        unavailable("shared gold file not beside the repository")
    seed = root / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
    code, out, _err = run(runner, "evaluate", str(gold), str(seed), "--json")
    assert code == 0
    fields = {row["field"]: row for row in json.loads(out)["fields"]}
    assert fields["citations"]["f1"] == 1.0
    assert fields["states"]["f1"] >= 0.9
    assert json.loads(out)["pairs"]["must"] == json.loads(out)["pairs"]["must_total"]


def test_network_as_json_links_the_known_partners(runner: CliRunner,
                                                   store_args: list[str]) -> None:
    code, out, _err = run(runner, *store_args, "network", "--format", "json")
    assert code == 0
    links = {tuple(sorted((link["source"], link["target"]))) for link in json.loads(out)["links"]}
    assert {("CICTE", "TSA"), ("CICAD", "INTERPOL"), ("CARICOM", "DPS")} <= links
