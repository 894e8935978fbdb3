"""The synthetic corpus: deterministic by seed, three languages, reports and resolutions
that the real extraction reads back (scored against the gold files it writes)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from mandategraph.graph.extraction.evaluate import evaluate
from mandategraph.graph.extraction.readers import read_document
from mandategraph.graph.synthetic_corpus import render, write_corpus


def digest(files: list[Path]) -> str:
    hashed = hashlib.sha256()
    for path in files:
        hashed.update(path.name.encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(
    tmp_path: Path,
) -> None:
    first = write_corpus(tmp_path / "a", count=12, seed=5)
    again = write_corpus(tmp_path / "b", count=12, seed=5)
    other = write_corpus(tmp_path / "c", count=12, seed=6)
    assert digest(first) == digest(again)
    assert [p.name for p in first] == [p.name for p in other]
    differing = [a.name for a, c in zip(first, other, strict=True)
                 if a.read_bytes() != c.read_bytes()]
    assert len(differing) == len(first)
    # a document does not depend on how much is generated after it
    assert render(5, 3, count=12).text == (tmp_path / "a" / first[3].name).read_text("utf-8")


def test_every_language_and_both_kinds_with_the_noise_of_pdf_text(tmp_path: Path) -> None:
    files = write_corpus(tmp_path, count=30, seed=1)
    golds = [yaml.safe_load(p.with_name(p.name.replace(".txt", ".gold.yaml")).read_text("utf-8"))
             for p in files]
    assert {(g["document"]["kind"], g["document"]["language"]) for g in golds} == {
        (kind, lang) for kind in ("report", "resolution") for lang in ("en", "fr", "es")}
    texts = [p.read_text("utf-8") for p in files]
    reports = [t for t, g in zip(texts, golds, strict=True)
               if g["document"]["kind"] == "report"]
    assert all("OEA/Ser.G" in t for t in reports)
    assert any("\f" in t for t in texts)  # form feeds between pages
    assert any("- 2 -" in t for t in texts)  # page footers
    assert sum(t.count("-\n") for t in texts) > 20  # words hyphenated at line ends
    # the two-column layout: most lines of the document fit a narrow column
    assert any(sum(len(line) <= 46 for line in t.splitlines()) > 0.85 * len(t.splitlines())
               for t in reports)


def test_the_extraction_finds_what_twenty_generated_reports_say(tmp_path: Path) -> None:
    files = write_corpus(tmp_path, count=23, seed=11)
    totals: dict[str, list[int]] = {}
    reports = 0
    for path in files:
        document = read_document(path)
        gold = path.with_name(path.name.replace(".txt", ".gold.yaml"))
        scored = evaluate(gold, document)
        reports += document.kind == "report"
        for name, score in scored.fields.items():
            counts = totals.setdefault(f"{document.kind} {name}", [0, 0, 0])
            counts[0] += score.tp
            counts[1] += score.fp
            counts[2] += score.fn
    assert reports == 20

    def recall(name: str) -> float:
        tp, _fp, fn = totals[name]
        assert tp + fn > 20, name  # enough expected facts to mean something
        return tp / (tp + fn)

    def precision(name: str) -> float:
        tp, fp, _fn = totals[name]
        return tp / (tp + fp)

    assert recall("report citations") >= 0.9
    assert precision("report citations") >= 0.9
    assert recall("report organizations") >= 0.9
    assert recall("report states") >= 0.85
    assert recall("report participants") >= 0.85
    assert recall("report years") >= 0.9
    assert recall("resolution paragraphs") >= 0.9


def test_generate_corpus_command_writes_the_documents_and_refuses_a_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from mandategraph.api.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["generate-corpus", "--out", str(tmp_path / "c"),
                                 "--count", "7", "--seed", "3"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "c").glob("*.txt"))
    assert written == sorted(p.name for p in write_corpus(tmp_path / "d", count=7, seed=3))
    assert len(list((tmp_path / "c").glob("*.gold.yaml"))) == 7
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    refused = runner.invoke(app, ["generate-corpus", "--out", str(a_file)])
    assert refused.exit_code == 2
    assert a_file.read_text(encoding="utf-8") == "x"
