"""``mandategraph candidates``: list with the sentence, accept into the overlay, reject."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from mandategraph.api.cli import app

REPORT = """REPORT OF THE CICTE SECRETARIAT ON CYBER SECURITY IN 2014

1. CYBER SECURITY

Pursuant to paragraph 4.a of resolution AG/RES. 2735 (XLII-O/12), the CICTE Secretariat \
organized a regional workshop on incident response in Castries, Saint Lucia, in June 2014, \
jointly with the Caribbean Telecommunications Union (CTU); 52 officials took part.

The CTU also hosted a follow-up meeting in Kingston, Jamaica, in October 2014 with the \
CICTE Secretariat and the Regional Cyber Watch Network (RCWN).
"""


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def curated(runner: CliRunner, tmp_path: Path) -> tuple[list[str], Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "cyber.en.txt").write_text(REPORT, encoding="utf-8")
    store = tmp_path / "store"
    code, _out, err = run(runner, "--store", str(store), "build", "--corpus", str(corpus),
                          "--no-reason")
    assert code == 0, err
    return ["--store", str(store)], corpus, tmp_path / "store-registry.yaml"


def listed(runner: CliRunner, args: list[str]) -> dict[str, dict[str, str]]:
    code, out, err = run(runner, *args, "candidates", "--format", "json")
    assert code == 0, err
    return {row["name"]: row for row in json.loads(out)}


def pairs(runner: CliRunner, args: list[str]) -> set[frozenset[str]]:
    code, out, err = run(runner, *args, "query", "partnerships", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["results"]["bindings"]
    return {frozenset((r["actor_a"]["value"], r["actor_b"]["value"])) for r in rows}


def test_candidates_are_listed_with_their_sentence(runner: CliRunner, curated: tuple) -> None:
    args, _corpus, _overlay = curated
    rows = {row["code"] or name: row for name, row in listed(runner, args).items()}
    assert {"CTU", "RCWN"} <= set(rows)
    assert rows["CTU"]["name"] == "Caribbean Telecommunications Union"
    sentence = rows["CTU"]["sentence"]
    assert sentence.startswith("Pursuant to paragraph 4.a of resolution AG/RES. 2735")
    assert "Caribbean Telecommunications Union (CTU)" in sentence
    assert sentence.endswith("52 officials took part.")
    assert rows["CTU"]["mentions"] == "2"
    assert rows["RCWN"]["sentence"].startswith("The CTU also hosted")


def codes(runner: CliRunner, args: list[str]) -> set[str]:
    """The names and codes of the listed candidates."""
    return {key for name, row in listed(runner, args).items() for key in (name, row["code"])}


PROVISIONAL = 'ASK { ?o skos:notation "CTU" ; a mg:Candidate }'


def test_accept_writes_the_overlay_and_makes_an_actor(runner: CliRunner, curated: tuple) -> None:
    args, corpus, overlay = curated
    # before: CTU takes part as a provisional actor
    assert frozenset(("CICTE", "CTU")) in pairs(runner, args)
    assert run(runner, *args, "query", "--text", PROVISIONAL, "--format", "csv")[1].split()[-1] \
        == "true"

    code, out, err = run(runner, *args, "candidates", "accept", "CTU", "--code", "CTU",
                         "--kind", "partner", "--no-reason")
    assert code == 0, err
    assert str(overlay) in out.replace("\n", "")
    entry = yaml.safe_load(overlay.read_text(encoding="utf-8"))["organizations"]["CTU"]
    assert entry["kind"] == "partner"
    assert entry["names"]["en"] == {"name": "Caribbean Telecommunications Union",
                                    "acronyms": ["CTU"]}
    assert "CTU" not in codes(runner, args)
    assert frozenset(("CICTE", "CTU")) in pairs(runner, args)
    assert run(runner, *args, "query", "--text", PROVISIONAL, "--format", "csv")[1].split()[-1] \
        == "false"
    code, out, _err = run(runner, *args, "query", "--text",
                          'SELECT ?l WHERE { ?o skos:notation "CTU" ; skos:prefLabel ?l }',
                          "--format", "csv")
    assert "Caribbean Telecommunications Union" in out

    # a later build from the corpus reads the overlay: CTU stays an actor
    code, _out, err = run(runner, *args, "build", "--corpus", str(corpus), "--no-reason")
    assert code == 0, err
    assert frozenset(("CICTE", "CTU")) in pairs(runner, args)
    assert "CTU" not in codes(runner, args)


def test_reject_hides_the_name_from_listings_and_graph(runner: CliRunner,
                                                       curated: tuple) -> None:
    args, corpus, overlay = curated
    code, _out, err = run(runner, *args, "candidates", "reject", "RCWN")
    assert code == 0, err
    assert yaml.safe_load(overlay.read_text(encoding="utf-8"))["rejected"] == ["RCWN"]
    ask = 'ASK { ?c a mg:Candidate ; rdfs:label "RCWN" }'
    assert run(runner, *args, "query", "--text", ask, "--format", "csv")[1].split()[-1] == "false"
    assert "RCWN" not in codes(runner, args)
    assert "CTU" in codes(runner, args)

    code, _out, err = run(runner, *args, "build", "--corpus", str(corpus), "--no-reason")
    assert code == 0, err
    assert run(runner, *args, "query", "--text", ask, "--format", "csv")[1].split()[-1] == "false"


def test_curation_mistakes_change_nothing(runner: CliRunner, curated: tuple) -> None:
    args, _corpus, overlay = curated
    code, _out, err = run(runner, *args, "candidates", "accept", "NOPE", "--code", "NOPE",
                          "--kind", "partner", "--no-reason")
    assert code == 4 and "no candidate named 'NOPE'" in err
    code, _out, err = run(runner, *args, "candidates", "accept", "CTU", "--code", "CTU",
                          "--kind", "donor")
    assert code == 2 and "--kind must be one of" in err
    code, _out, err = run(runner, *args, "candidates", "accept", "CTU", "--code", "CICTE",
                          "--kind", "partner", "--no-reason")
    assert code == 2 and "already a registry organization" in err
    code, _out, err = run(runner, "--store", "memory", "candidates", "reject", "CTU")
    assert code == 2 and "store directory" in err
    missing = overlay.parent / "nowhere"
    code, _out, err = run(runner, "--store", str(missing), "candidates", "reject", "CTU")
    assert code == 7 and "run 'mandategraph build' first" in err
    assert not missing.exists()
    assert not overlay.exists()
    assert {"CTU", "RCWN"} <= codes(runner, args)


def test_a_parallel_ingest_reads_the_overlay(runner: CliRunner, curated: tuple,
                                             tmp_path: Path) -> None:
    args, _corpus, _overlay = curated
    code, _out, err = run(runner, *args, "candidates", "accept", "CTU", "--code", "CTU",
                          "--kind", "partner", "--no-reason")
    assert code == 0, err
    # two new reports naming the CTU, ingested together (worker processes)
    files = []
    for number in (1, 2):
        path = tmp_path / f"ctu-{number}.en.txt"
        path.write_text(REPORT.replace("2014", str(2014 + number)), encoding="utf-8")
        files.append(str(path))
    code, _out, err = run(runner, *args, "ingest", *files, "--workers", "2", "--no-reason")
    assert code == 0, err
    in_new = ('SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ?role ?o } '
              'FILTER(CONTAINS(STR(?g), "ctu-")) ?o skos:notation "CTU" ; a ?kind '
              'FILTER(?kind = mg:Candidate) }')
    code, out, err = run(runner, *args, "query", "--text", in_new, "--format", "csv")
    assert code == 0, err
    assert out.split()[-1] == "0"  # no provisional CTU made by the workers
    assert "CTU" not in codes(runner, args)
    assert frozenset(("CICTE", "CTU")) in pairs(runner, args)
