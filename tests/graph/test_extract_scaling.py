"""Extraction work grows linearly with the text (issue 10, item 3), checked without clocks.

1 MB of text took 41 s and 4 MB over 120 s: the cyclic garbage collector walked the
growing heap again and again, citations looked for their sentence from the last
blank line (the start of a text without one), names were checked against every
name of their paragraph, and a text without sentence ends made one sentence whose
names and triggers were compared pairwise. Timings are measured by
``benchmarks/bench_docsize.py``, never asserted here; these tests pin the
structure: counts of calls, bounded spans, and the fast paths agreeing with the
direct ones they replace.
"""

from __future__ import annotations

import cProfile
import gc
import pstats
import random
import re
import threading
from pathlib import Path

import pytest

from mandategraph.graph.extraction import extract as extract_module
from mandategraph.graph.extraction.actors import _Taken, find_mentions
from mandategraph.graph.extraction.citations import (
    _SENTENCE_END,
    SENTENCE_REACH,
    _SentenceIndex,
    find_citations,
)
from mandategraph.graph.extraction.extract import extract
from mandategraph.graph.extraction.readers import Document
from mandategraph.graph.extraction.segment import SENTENCE_MAX, segment
from mandategraph.ontology.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"


def _direct_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``[start, end)`` by scanning, as citations.py did before."""
    left = max(text.rfind("\n\n", 0, start), 0)
    for match in _SENTENCE_END.finditer(text, left, start):
        left = match.end()
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() + 1 if right_match else len(text)
    return left, right


def test_sentence_bounds_agree_with_the_direct_scan() -> None:
    rng = random.Random(10)
    # the characters the sentence rules turn on, CRLF and no-break space included
    alphabet = [".", "!", "?", " ", " ", "\n", "\n", "\r", "\t", "\u00a0", "A", "É", "a", "«", "("]
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        index = _SentenceIndex(text)
        for start in range(len(text) + 1):
            for end in range(start, len(text) + 1):
                assert index.bounds(start, end) == _direct_bounds(text, start, end), (
                    text,
                    start,
                    end,
                )


def test_sentence_bounds_agree_on_the_seed() -> None:
    text = SEED.read_text(encoding="utf-8")
    index = _SentenceIndex(text)
    for match in re.finditer(r"paragraph|résolution|AG/RES", text):
        assert index.bounds(match.start(), match.end()) == _direct_bounds(
            text, match.start(), match.end()
        )


def test_a_reference_in_a_text_without_sentence_ends_reads_a_bounded_window() -> None:
    text = "le paragraphe 5 de la résolution AG/RES. 2485 (XXXIX-O/09) et " * 2000
    start = len(text) // 2
    left, right = _SentenceIndex(text).bounds(start, start + 12)
    assert (left, right) == (start - SENTENCE_REACH, start + 12 + SENTENCE_REACH)
    citations = find_citations(text)
    assert len(citations) == 2000  # still each resolved, from the symbol right after
    assert {c.symbol for c in citations} == {"AG/RES. 2485 (XXXIX-O/09)"}


def test_taken_spans_overlap_as_the_list_test_says() -> None:
    rng = random.Random(3)
    for _ in range(300):
        taken = _Taken()
        spans: list[tuple[int, int]] = []
        for _ in range(40):
            start = rng.randint(0, 400)
            end = start + rng.choice([0, 1, 2, 5, 30, 64, 65, 200])
            expected = any(start < e and s < end for s, e in spans)
            assert taken.overlaps(start, end) == expected
            if not expected or rng.random() < 0.3:
                taken.add(start, end)
                spans.append((start, end))


def test_no_sentence_is_longer_than_the_maximum() -> None:
    words = SEED.read_text(encoding="utf-8").split()
    text = " ".join(re.sub(r"[.!?;:]", "", word) for word in words) * 2  # ~56,000 characters
    seg = segment(text)
    assert seg.sentences and max(s.end - s.start for s in seg.sentences) <= SENTENCE_MAX
    assert all(s.text == text[s.start : s.end] == s.text.strip() for s in seg.sentences)
    # every word is in a sentence, in order: the pieces cover the text
    assert " ".join(s.text for s in seg.sentences).split() == text.split()


def test_real_sentences_are_not_cut() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert max(s.end - s.start for s in segment(text).sentences) < SENTENCE_MAX / 5


def test_a_paragraph_over_a_million_characters_is_read() -> None:
    # spaCy refused texts over 1,000,000 characters (E088): a one-line document of
    # 4 MB failed to extract although it is under the size limit
    text = "mot " * 250_001 + "la Barbade"
    mentions = find_mentions(text, [(0, len(text))], registry=load_registry(), lang="fr")
    assert [(m.code, m.start) for m in mentions] == [("BRB", len(text) - len("Barbade"))]


def _calls(text: str) -> int:
    """Python function calls (generator steps included) made by one extraction."""
    registry = load_registry()
    doc = Document(
        slug="scaling", path=Path("scaling.txt"), text=text, language="fr",
        kind="report", title="Scaling",
    )
    extract(doc, registry=registry)  # pipelines and caches built outside the count
    profile = cProfile.Profile()
    profile.enable()
    extract(doc, registry=registry)
    profile.disable()
    return sum(calls for calls, *_ in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]


@pytest.mark.parametrize("shape", ["no-punctuation", "one-paragraph"])
def test_extraction_calls_grow_linearly_with_the_text(shape: str) -> None:
    if shape == "no-punctuation":  # one sentence: names and triggers compared pairwise
        seed = SEED.read_text(encoding="utf-8")
        unit = " ".join(re.sub(r"[.!?;:]", "", seed).split()) + " "
    else:  # one paragraph: each place, person, candidate checked against all taken
        unit = (
            "Un atelier a eu lieu à Kingston avec la PSAP, M. Izben Williams et la "
            "Fondation Rotaria pour la sécurité, puis en Bridgetown. "
        ) * 100
    small, large = _calls(unit), _calls(unit * 4)
    # linear work makes about 4 times the calls (3.9 measured); the pairwise
    # comparisons made 6.8 times as many on both texts
    assert large < 5 * small, (small, large)


def test_the_collector_is_paused_during_extraction_and_restored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []
    original = extract_module.segment

    def spy(text: str) -> object:
        seen.append(gc.isenabled())
        return original(text)

    monkeypatch.setattr(extract_module, "segment", spy)
    doc = Document(
        slug="gc", path=Path("gc.txt"), text="Le Secrétariat a organisé un atelier.",
        language="fr", kind="report", title="GC",
    )
    registry = load_registry()
    assert gc.isenabled()
    extract(doc, registry=registry)
    assert gc.isenabled()
    gc.disable()
    try:
        extract(doc, registry=registry)
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
    threads = [
        threading.Thread(target=extract, args=(doc,), kwargs={"registry": registry})
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 6 and not any(seen)
    assert gc.isenabled()  # overlapping extractions restore it once, at the end
