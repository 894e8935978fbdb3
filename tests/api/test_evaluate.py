"""``mandategraph evaluate``: one document, a folder, and what is not a gold file."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandategraph.api.cli import app
from tests.support import unavailable

ROOT = Path(__file__).parents[2]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
SIDECAR = ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.yaml"

REPORT = """REPORT OF THE CICTE SECRETARIAT

1. PORT SECURITY

Pursuant to paragraph 3.a of resolution AG/RES. 2735 (XLII-O/12), the CICTE Secretariat \
held a workshop on port security in Kingston, Jamaica, in May 2012, with the United \
Nations Office on Drugs and Crime (UNODC); 31 officials took part.
"""

GOLD = """
organizations: {CICTE: {kind: oas_body}, UNODC: {kind: partner}}
sections:
  - n: 1
    theme: {en: port security}
    activities:
      - {participants: 31, by: [CICTE], with: [UNODC], states: [JAM],
         implements: ["AG/RES. 2735 (XLII-O/12) 3.a"]}
partnerships: {must: [[CICTE, UNODC]], should: []}
compliance: {cited_paragraphs: ["AG/RES. 2735 (XLII-O/12) 3.a"]}
"""


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_sidecar_given_as_gold_is_refused_with_exit_2(runner: CliRunner) -> None:
    code, out, err = run(runner, "evaluate", str(SIDECAR), str(SEED))
    assert code == 2
    assert "not a gold file" in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""


def test_a_dev_corpus_resolution_gold_alone_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    gold = tmp_path / "res.gold.yaml"
    gold.write_text("document: {kind: resolution, symbol: AG/RES. 1 (I-O/70)}\n",
                    encoding="utf-8")
    code, _out, err = run(runner, "evaluate", str(gold), str(SEED))
    assert code == 2
    assert "--corpus" in err


def test_a_folder_with_a_false_gold_file_is_refused_with_exit_2(
    runner: CliRunner, tmp_path: Path
) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    shutil.copy(SIDECAR, tmp_path / "seed.gold.yaml")
    code, _out, err = run(runner, "evaluate", "--corpus", str(tmp_path))
    assert code == 2
    assert "seed.gold.yaml is not a gold file" in err
    assert "Traceback" not in err


def test_corpus_and_gold_together_is_a_bad_option(runner: CliRunner, tmp_path: Path) -> None:
    code, _out, err = run(runner, "evaluate", str(SIDECAR), str(SEED), "--corpus", str(tmp_path))
    assert code == 2
    assert "not both" in err


def test_a_small_folder_is_scored_per_document_and_overall(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "port.en.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "port.en.gold.yaml").write_text(GOLD, encoding="utf-8")
    (tmp_path / "other.txt").write_text("A document without a gold file.\n", encoding="utf-8")
    code, out, err = run(runner, "evaluate", "--corpus", str(tmp_path), "--no-reason",
                         "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [d["document"] for d in data["documents"]] == ["port.en"]
    fields = data["documents"][0]["fields"]
    assert set(fields) == set(data["overall"])
    assert fields["cited paragraphs"]["recall"] == 1.0
    assert fields["participant counts"]["tp"] == 1
    assert data["overall"]["participant counts"] == fields["participant counts"]

    code, table, _err = run(runner, "evaluate", "--corpus", str(tmp_path), "--no-reason")
    assert code == 0
    assert "port.en" in table and "overall (1 reports)" in table
    assert "precision" in table and "conducting bodies per section" in table


SUMMARY = re.compile(
    r"^(?P<name>\S+): (?:ok|short on \S+): cited (?P<cited>\d+)/(?P<cited_n>\d+) "
    r"must (?P<must>\d+)/(?P<must_n>\d+) should (?P<should>\d+)/(?P<should_n>\d+) "
    r"extra (?P<extra>\d+) participants (?P<parts>\d+)/(?P<parts_n>\d+) "
    r"statesF1 (?P<states>[\d.]+) byF1 (?P<by>[\d.]+)$",
    re.MULTILINE,
)


@pytest.mark.slow
@pytest.mark.java
def test_corpus_figures_agree_with_the_independent_scorer(runner: CliRunner) -> None:
    script = SHARED / "tools" / "score-corpus"
    corpus = SHARED / "dev-corpus"
    if not script.is_file() or not corpus.is_dir():
        unavailable("shared/tools/score-corpus and shared/dev-corpus not beside the repository")
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "MG": str(bin_dir / "mandategraph"), "PY": sys.executable}
    env.pop("MANDATEGRAPH_STORE", None)
    scored = subprocess.run(["bash", str(script), str(corpus)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900)
    theirs = {m["name"]: m for m in SUMMARY.finditer(scored.stdout)}
    assert theirs, scored.stdout + scored.stderr

    code, out, err = run(runner, "evaluate", "--corpus", str(corpus), "--format", "json")
    assert code == 0, err
    ours = {d["document"]: d for d in json.loads(out)["documents"]}
    assert set(ours) == set(theirs)
    for name, figures in theirs.items():
        doc = ours[name]
        fields = doc["fields"]
        cited = fields["cited paragraphs"]
        assert (cited["tp"], cited["tp"] + cited["fn"]) == (
            int(figures["cited"]), int(figures["cited_n"])), name
        assert doc["pairs"]["must"] == [int(figures["must"]), int(figures["must_n"])], name
        assert doc["pairs"]["should"] == [int(figures["should"]), int(figures["should_n"])]
        assert len(doc["pairs"]["unlisted"]) == int(figures["extra"]), name
        parts = fields["participant counts"]
        assert (parts["tp"], parts["tp"] + parts["fn"]) == (
            int(figures["parts"]), int(figures["parts_n"])), name
        assert f"{fields['states per section']['f1']:.2f}" == figures["states"], name
        assert f"{fields['conducting bodies per section']['f1']:.2f}" == figures["by"], name
        assert doc["ok"] == (f"{name}: ok:" in scored.stdout), name
