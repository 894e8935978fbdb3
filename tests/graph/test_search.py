"""Full-text search on documents ingested for real: the researcher's examples of issue 14
(Kingstown is not Kingston, "formación" finds Spanish training, accents are ignored), the
CLI command, and the index rewritten beside the store by ingest and remove."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandategraph.api.cli import app
from mandategraph.graph.search import build_index, entries, index_path, open_index, search
from mandategraph.graph.store import Store
from tests.support import unavailable

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "dev-corpus"
FRENCH = DEV / "rapport-2013.fr.txt"
SPANISH = ROOT / "tests" / "data" / "es-informe-dsp-centroamerica-2013.txt"
SEED = ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
ENGLISH = ROOT / "tests" / "data" / "en-report-cicad-eastern-caribbean-2012.txt"


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FRENCH.is_file():
        unavailable("the shared dev corpus is not beside the repository")
    where = tmp_path_factory.mktemp("search") / "store"
    code, _out, err = run(CliRunner(), "--store", str(where), "ingest", "--no-reason",
                          str(SEED), str(FRENCH), str(SPANISH), str(ENGLISH))
    assert code == 0, err
    return where


@pytest.fixture(scope="module")
def index(location: Path) -> Iterator[object]:
    with Store.open(location, read_only=True) as store:
        connection = open_index(store)
        yield connection
        connection.close()


def titles(hits: list) -> list[str]:
    return [hit.title for hit in hits]


def test_kingstown_finds_the_port_exercise_and_not_kingston(index: object) -> None:
    total, hits = search(index, "Kingstown")  # type: ignore[arg-type]
    assert total >= 1
    assert any("port de Kingstown" in "".join(t for t, _m in h.snippet) for h in hits)
    assert all("Kingstown" in "".join(t for t, _m in h.snippet) for h in hits)
    _total, kingston = search(index, "Kingston")  # type: ignore[arg-type]
    assert kingston and not {h.iri for h in kingston} & {h.iri for h in hits}


def test_formacion_finds_spanish_training(index: object) -> None:
    total, hits = search(index, "formación", kind="activity")  # type: ignore[arg-type]
    assert total >= 1
    assert all(hit.language == "es" for hit in hits)
    assert any("curso" in hit.title for hit in hits)


def test_accents_are_ignored(index: object) -> None:
    plain = search(index, "securite", limit=100)  # type: ignore[arg-type]
    accented = search(index, "sécurité", limit=100)  # type: ignore[arg-type]
    assert plain[0] > 5 and plain[0] == accented[0]
    marked = [t for h in plain[1] for t, m in h.snippet if m]
    assert any(word.lower() == "sécurité" for word in marked)


def test_every_word_must_match_and_nonsense_finds_nothing(index: object) -> None:
    both, _ = search(index, "Kingstown port")  # type: ignore[arg-type]
    assert both >= 1
    assert search(index, "Kingstown zzyzx")[0] == 0  # type: ignore[arg-type]
    assert search(index, "   ")[0] == 0  # type: ignore[arg-type]
    assert search(index, '"" OR * NEAR(')[0] == 0  # type: ignore[arg-type]


def test_the_index_ingest_writes_is_a_rebuild_of_the_store(location: Path) -> None:
    # written into a file of its own, then moved in place with the store's signature
    query = "SELECT keys, iri, kind, title, text, language FROM entries ORDER BY iri, kind"
    with Store.open(location, read_only=True) as store:
        connection = open_index(store)
        # the file beside the store, its signature the store's: not one built in memory
        files = [row[2] for row in connection.execute("PRAGMA database_list")]
        assert files == [str(index_path(location))]
        written = connection.execute(query).fetchall()
        connection.close()
        rebuilt = build_index(entries(store))
        assert written and written == rebuilt.execute(query).fetchall()
        rebuilt.close()
    assert not list(location.parent.glob("*.building"))


def test_the_cli_searches_and_remove_rewrites_the_index(location: Path) -> None:
    runner = CliRunner()
    assert index_path(location).is_file()
    code, out, err = run(runner, "--store", str(location), "search", "Kingstown")
    assert code == 0 and "Kingstown" in out and "1 result" in err
    code, _out, err = run(runner, "--store", str(location), "remove", "--no-reason",
                          "rapport-2013-fr")
    assert code == 0, err
    code, out, err = run(runner, "--store", str(location), "search", "Kingstown")
    assert code == 0 and "0 results" in err and "Kingstown" not in out
    code, _out, err = run(runner, "--store", str(location), "search", "x", "--kind", "thing")
    assert code == 2


def test_an_activity_is_shown_by_the_sentence_that_names_it(location: Path) -> None:
    """Each activity's entry: one of its quotes as text, the one that names it wherever
    one does; the labels of its classes in its document's language as more words."""
    query = """SELECT ?x ?q WHERE { ?x a mg:Activity ; prov:wasDerivedFrom/mg:quote ?q }"""
    with Store.open(location, read_only=True) as store:
        quotes: dict[str, set[str]] = {}
        for row in store.query(query):  # type: ignore[union-attr]
            quotes.setdefault(row["x"].value, set()).add(row["q"].value)
        found = [e for e in entries(store) if e.kind == "activity"]
    assert len(found) >= 20 and sum(e.iri in quotes for e in found) >= 20
    named = 0
    for entry in found:
        if entry.iri not in quotes:
            continue
        assert entry.text in quotes[entry.iri]
        if any(entry.title.casefold() in q.casefold() for q in quotes[entry.iri]):
            assert entry.title.casefold() in entry.text.casefold(), entry
            named += len(quotes[entry.iri]) > 1
    assert named >= 5  # activities read from more than one sentence, shown by their own
    spanish = [e for e in found if e.language == "es"]
    assert spanish and any("formación" in e.extra or "curso" in e.extra for e in spanish)


@pytest.mark.parametrize(("text", "language"), [
    ("Formación técnica; FORMACIÓN y formaciones", "es"),
    ("Atelier régional sur la sûreté portuaire", "fr"),
    ("Port security workshops in Kingstown", None),  # every language's stems
])
def test_a_text_is_indexed_by_the_keys_of_each_of_its_words(text: str,
                                                             language: str | None) -> None:
    from mandategraph.graph.search import LANGUAGES, WORD, text_keys, word_keys

    languages = [language] if language else list(LANGUAGES)
    expected = [key for word in WORD.findall(text)
                for key in sorted(word_keys(word, languages))]
    assert text_keys(text, language).split(" ") == expected
    # a word queried as typed, with or without its accents, finds the indexed text
    for word in WORD.findall(text):
        assert word_keys(word, languages, query=True) <= set(expected)
