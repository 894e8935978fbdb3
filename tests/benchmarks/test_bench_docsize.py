"""The document-size benchmark's inputs: sizes, shapes, and its table (no timings)."""

from __future__ import annotations

import re

import pytest

from benchmarks.bench_docsize import SHAPES, make_text, table


@pytest.mark.parametrize("shape", SHAPES)
def test_inputs_have_the_size_and_shape_asked(shape: str) -> None:
    text = make_text(100_000, shape)
    size = len(text.encode("utf-8"))
    assert 95_000 < size <= 100_000
    assert make_text(100_000, shape) == text  # the same every run
    if shape == "seed":
        assert "\n\n" in text and text.endswith("\n")
    elif shape == "no-blank-lines":
        assert not re.search(r"\n\s*\n", text)
    else:
        assert "\n" not in text and not re.search(r"[.!?;:]", text)


def test_an_unknown_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown shape"):
        make_text(1000, "sideways")


def test_ratios_are_against_the_smallest_size_of_each_shape() -> None:
    def row(shape: str, mb: float, cpu: float, heap: float) -> dict[str, object]:
        return {
            "shape": shape, "bytes": int(mb * 1_000_000), "triples": 1, "extract_s": cpu,
            "cpu_s": cpu, "peak_mb": 150.0, "rss_before_mb": 140.0, "heap_mb": heap,
        }

    text = table(
        [row("seed", 0.1, 0.3, 17), row("seed", 1, 6.0, 340), row("one", 1, 1.0, 5)],
        ingest=False,
    )
    lines = text.splitlines()
    assert "| 3.00 | 1.00 |" in lines[2] and "| 170 | 1.00 |" in lines[2]
    assert "| 6.00 | 2.00 |" in lines[3] and "| 340 | 2.00 |" in lines[3]
    assert "| 1.00 | 1.00 |" in lines[4]  # another shape: its own baseline
