"""The synthetic graph generator: deterministic, on size, well-formed, domain-shaped.

Only the generator is tested here: timings are never asserted (the machine is shared).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import PROV, RDF

from benchmarks.bench_store import Q1_MANDATES_WITHOUT_ACTIVITIES
from benchmarks.generate import MIN_TRIPLES, STATES, Stats, generate, parse_size
from mandategraph.ontology.namespaces import MG, state_iri

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Stats]:
    """A 10k-triple graph (seed 42), parsed once for the shape checks."""
    path = tmp_path_factory.mktemp("generate") / "sample.nt"
    stats = generate(path, triples=10_000, seed=42)
    graph = Graph()
    graph.parse(path, format="nt")
    return graph, stats


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    generate(first, triples=2_000, seed=7)
    generate(second, triples=2_000, seed=7)
    generate(other, triples=2_000, seed=8)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


@pytest.mark.parametrize("target", [MIN_TRIPLES, 2_000, 10_000, 30_000])
def test_size_within_two_percent(tmp_path: Path, target: int) -> None:
    path = tmp_path / "g.nt"
    stats = generate(path, triples=target, seed=42)
    lines = path.read_bytes().count(b"\n")
    assert lines == stats.triples
    assert abs(lines - target) <= 0.02 * target


def test_parses_with_rdflib_without_duplicates(sample: tuple[Graph, Stats]) -> None:
    graph, stats = sample
    # One line per triple and no triple twice: the count rdflib sees is the line count.
    assert len(graph) == stats.triples


def test_every_activity_has_a_theme_and_a_provenance_span(sample: tuple[Graph, Stats]) -> None:
    graph, stats = sample
    activities = set(graph.subjects(RDF.type, MG.Activity))
    assert len(activities) == stats.activities > 0
    for activity in activities:
        assert graph.value(activity, MG.theme) is not None, activity
        span = graph.value(activity, PROV.wasDerivedFrom)
        assert span is not None, activity
        assert (span, RDF.type, MG.TextSpan) in graph
        assert graph.value(span, MG.inDocument) is not None
        start = graph.value(span, MG.startOffset).toPython()
        end = graph.value(span, MG.endOffset).toPython()
        quote = str(graph.value(span, MG.quote))
        assert end - start == len(quote) >= 100  # a realistic quote, offsets consistent


def test_some_paragraphs_lack_activities(sample: tuple[Graph, Stats]) -> None:
    graph, stats = sample
    unimplemented = list(graph.query(Q1_MANDATES_WITHOUT_ACTIVITIES))
    paragraphs = set(graph.subjects(RDF.type, MG.OperativeParagraph))
    assert len(unimplemented) == stats.paragraphs_without_activity > 0
    # About one in five, as designed; most paragraphs are implemented.
    assert len(unimplemented) < len(paragraphs) / 2
    assert any(graph.value(p, MG.subParagraphOf) for p in paragraphs)


def test_actors_and_states_are_of_the_registry(sample: tuple[Graph, Stats]) -> None:
    graph, _ = sample
    members = {state_iri(code) for code in STATES}
    assert set(graph.objects(None, MG.beneficiary)) <= members
    assert set(graph.objects(None, MG.fundedBy)) <= members
    assert {year.toPython() for year in graph.objects(None, MG.year)} <= set(range(2005, 2025))
    # Some facts are reified, each with its evidence.
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    assert statements
    assert all(graph.value(s, PROV.wasDerivedFrom) is not None for s in statements)


def test_rejects_sizes_below_the_minimum(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path / "tiny.nt", triples=MIN_TRIPLES - 1)


def test_parse_size() -> None:
    assert parse_size("10k") == 10_000
    assert parse_size("1M") == 1_000_000
    assert parse_size("2500") == 2_500


def test_command_line_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "cli.nt"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.generate", "--triples", "2k", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == _bytes_of(tmp_path / "api.nt", 2_000)


def _bytes_of(path: Path, triples: int) -> bytes:
    generate(path, triples=triples)
    return path.read_bytes()
