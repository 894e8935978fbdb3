"""Extraction benchmark: how long reading a report takes, cold and warm, alone and in bulk.

Four figures, printed as a table and (unless ``--no-record``) appended to
``benchmarks/RESULTS.md`` as a dated "Extraction" section:

a. **Cold load**, in a fresh Python process: importing the extraction modules,
   loading the reference registry, then the first ``extract`` of the seed report,
   which builds the French spaCy pipeline and the registry's phrase matchers; the
   second ``extract`` of the same document, in the same process, shows what the
   first paid for loading.
b. **Seed report after load**: ``read_document`` + ``extract`` of
   ``corpus/oas-sms-caribbean-sids-activities-2010.fr.txt``, one warm-up, then the
   median of ``--repeat`` (7) runs.
c. **Documents per second** on a batch of synthetic reports (``--documents``, 200),
   written to a temporary folder and read and extracted one by one, as ``ingest``
   does minus the store. The batch is made by :func:`synthetic_reports`: the
   numbered sections of the seed (French) and of the English and Spanish report
   fixtures, recombined and renumbered, with their state names shuffled and their
   years shifted, drawn from a seeded ``random.Random``: same seed, same documents.
   Every language's pipeline is loaded before the clock starts.
d. **Ratio to a baseline**: the seed's extraction time over the cheapest possible
   reading of the same text, measured in the same run: one ``str.split()``
   tokenization pass plus one regular-expression scan for resolution symbols
   (``AG/RES. NNNN``). It says how many "bare passes over the text" an extraction
   costs, a figure that travels between machines better than seconds do.

Run from the repository root::

    python -m benchmarks.bench_extract [--documents 200] [--repeat 7] [--seed 2010]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.bench_store import machine, record

ROOT = Path(__file__).resolve().parent.parent
SEED_REPORT = ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
#: The reports whose sections the synthetic batch recombines, by language.
SOURCES = {
    "fr": SEED_REPORT,
    "en": ROOT / "tests" / "data" / "en-report-cicad-eastern-caribbean-2012.txt",
    "es": ROOT / "tests" / "data" / "es-informe-dsp-centroamerica-2013.txt",
}
#: How often each language is drawn: the seed has most of the material.
LANGUAGE_WEIGHTS = {"fr": 3, "en": 1, "es": 1}
DEFAULT_SEED = 2010

# A section's own number at its start ("1)", "2.", "## 3.", "IV)"), kept in its style.
_MARKER = re.compile(r"\A(\s*(?:#{1,6}\s*)?)(?:\d{1,2}|[IVXLC]{1,6})([.)])")
# Years of the reports' period; not the number of a resolution ("AG/RES. 2010").
_YEAR = re.compile(r"(?<!\d)(?<!RES\. )(?:19[89]\d|20[0-3]\d)(?!\d)")
# The baseline's "citation scan": resolution symbols, no normalization.
_SYMBOL = re.compile(r"AG\s*/\s*RES\.?\s*\d{1,4}")


@dataclass(frozen=True)
class SyntheticReport:
    """One generated report: a file name (``.txt``), its language and its text."""

    name: str
    language: str
    text: str


@dataclass(frozen=True)
class _Source:
    preamble: str
    sections: tuple[str, ...]
    states: tuple[str, ...]  # the language's state names, longest first
    state_pattern: re.Pattern[str]


def _sources(registry: Any) -> dict[str, _Source]:
    """The preamble and numbered sections of each source report, and its state names."""
    from mandategraph.graph.extraction.segment import find_sections

    out: dict[str, _Source] = {}
    for lang, path in SOURCES.items():
        text = path.read_text(encoding="utf-8")
        sections = find_sections(text)
        preamble = "".join(text[s.start : s.end] for s in sections if s.implicit)
        numbered = tuple(text[s.start : s.end].strip("\n") for s in sections if not s.implicit)
        # The OAS member states' names in this language (not variants or acronyms,
        # whose replacement could not be told from the text around them).
        names = sorted(
            {
                state.names[lang].name
                for state in registry.states.values()
                if state.oas_member and lang in state.names
            },
            key=lambda name: (-len(name), name),
        )
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
        out[lang] = _Source(preamble.strip("\n"), numbered, tuple(names), pattern)
    return out


def _vary(text: str, source: _Source, rng: random.Random, shift: int) -> str:
    """``text`` with every state name replaced by a random one and years shifted."""
    text = source.state_pattern.sub(lambda _m: rng.choice(source.states), text)
    return _YEAR.sub(lambda m: str(int(m.group()) + shift), text)


def synthetic_reports(
    count: int, *, seed: int = DEFAULT_SEED, registry: Any = None
) -> list[SyntheticReport]:
    """``count`` reports recombined from the seed's and the fixtures' sections.

    Each report draws a language (French three times as often as English or
    Spanish), keeps that language's opening text, and takes two to six of its
    numbered sections (with repetition: the fixtures have two each) in random order,
    renumbered from 1 in the source's marker style. State names are replaced by
    random member states of the same language and all years shifted by the same
    random amount (-4 to +4), so the extractor sees new combinations, not copies.

    Args:
        count: how many reports.
        seed: the ``random.Random`` seed; the same seed gives the same reports.
        registry: the reference registry for the state names (the project's when
            omitted).

    Returns:
        The reports, named ``synthetic-NNN.<lang>.txt``.
    """
    if registry is None:
        from mandategraph.ontology.registry import load_registry

        registry = load_registry()
    sources = _sources(registry)
    rng = random.Random(seed)
    languages = sorted(LANGUAGE_WEIGHTS)
    weights = [LANGUAGE_WEIGHTS[lang] for lang in languages]
    reports = []
    for index in range(count):
        lang = rng.choices(languages, weights)[0]
        source = sources[lang]
        shift = rng.randint(-4, 4)
        parts = [_vary(source.preamble, source, rng, shift)]
        for number in range(1, rng.randint(2, 6) + 1):
            section = rng.choice(source.sections)
            section = _MARKER.sub(rf"\g<1>{number}\g<2>", section)
            parts.append(_vary(section, source, rng, shift))
        text = "\n\n".join(parts) + "\n"
        reports.append(SyntheticReport(f"synthetic-{index:03d}.{lang}.txt", lang, text))
    return reports


# -- measurements ----------------------------------------------------------------------------


def _median_of(run: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    """One warm-up, then ``repeat`` timed runs: (median seconds, all timings)."""
    run()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), timings


def cold_worker() -> dict[str, float | int]:
    """In a fresh process: imports, registry, first and second extraction of the seed."""
    started = time.perf_counter()
    from mandategraph.graph.extraction.extract import extract
    from mandategraph.graph.extraction.readers import read_document
    from mandategraph.ontology.registry import load_registry

    imported = time.perf_counter()
    registry = load_registry()
    loaded = time.perf_counter()
    graph = extract(read_document(SEED_REPORT), registry=registry)
    first = time.perf_counter()
    extract(read_document(SEED_REPORT), registry=registry)
    second = time.perf_counter()
    return {
        "imports_s": imported - started,
        "registry_s": loaded - imported,
        "first_extract_s": first - loaded,
        "second_extract_s": second - first,
        "triples": len(graph),
    }


def cold_load() -> dict[str, float | int]:
    """:func:`cold_worker` run in a child Python process (nothing loaded beforehand)."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_extract", "--worker", "cold"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    result: dict[str, float | int] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def baseline(text: str) -> int:
    """The cheapest reading of ``text``: split into words, scan for resolution symbols."""
    words = text.split()
    symbols = _SYMBOL.findall(text)
    return len(words) + len(symbols)


def run(*, documents: int, repeat: int, seed: int) -> dict[str, Any]:
    """All four measurements; returns the figures the table is made from."""
    figures: dict[str, Any] = {"cold": cold_load(), "repeat": repeat}

    from mandategraph.graph.extraction.extract import extract
    from mandategraph.graph.extraction.readers import read_document
    from mandategraph.ontology.registry import load_registry

    registry = load_registry()
    for path in SOURCES.values():  # every language's pipeline, before any clock
        extract(read_document(path), registry=registry)

    triples = len(extract(read_document(SEED_REPORT), registry=registry))
    seed_median, seed_runs = _median_of(
        lambda: extract(read_document(SEED_REPORT), registry=registry), repeat
    )
    text = SEED_REPORT.read_text(encoding="utf-8")
    base_median, _ = _median_of(lambda: baseline(text), repeat)
    figures["seed"] = {
        "median_s": seed_median,
        "min_s": min(seed_runs),
        "max_s": max(seed_runs),
        "chars": len(text),
        "words": len(text.split()),
        "triples": triples,
    }
    figures["baseline"] = {"median_s": base_median}

    reports = synthetic_reports(documents, seed=seed, registry=registry)
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as folder:
        paths = []
        for report in reports:
            path = Path(folder) / report.name
            path.write_text(report.text, encoding="utf-8")
            paths.append(path)
        batch_triples = 0
        started = time.perf_counter()
        for path in paths:
            batch_triples += len(extract(read_document(path), registry=registry))
        elapsed = time.perf_counter() - started
    figures["batch"] = {
        "documents": len(reports),
        "languages": {
            lang: sum(1 for r in reports if r.language == lang) for lang in sorted(SOURCES)
        },
        "chars": sum(len(r.text) for r in reports),
        "seconds": elapsed,
        "triples": batch_triples,
    }
    return figures


def table(figures: dict[str, Any]) -> str:
    """The figures as a Markdown table, with how each was measured."""
    cold, seed, base, batch = (
        figures["cold"],
        figures["seed"],
        figures["baseline"],
        figures["batch"],
    )
    ratio = seed["median_s"] / base["median_s"] if base["median_s"] else float("inf")
    per_second = batch["documents"] / batch["seconds"]
    langs = ", ".join(f"{n} {lang}" for lang, n in batch["languages"].items())
    rows = [
        ("(a) cold: imports", f"{cold['imports_s']:.2f} s", "graph.extract, readers, registry"),
        ("(a) cold: registry", f"{cold['registry_s']:.2f} s", "load_registry()"),
        (
            "(a) cold: first extract (seed)",
            f"{cold['first_extract_s']:.2f} s",
            "builds the fr spaCy pipeline and matchers",
        ),
        (
            "(a) warm: second extract (seed)",
            f"{cold['second_extract_s'] * 1000:,.0f} ms",
            "same process, for comparison",
        ),
        (
            "(b) seed report after load",
            f"{seed['median_s'] * 1000:,.0f} ms",
            f"median of {figures['repeat']}; "
            f"min {seed['min_s'] * 1000:,.0f}, max {seed['max_s'] * 1000:,.0f} ms; "
            f"{seed['chars']:,} chars, {seed['words']:,} words, {seed['triples']:,} triples",
        ),
        (
            "(c) synthetic batch",
            f"{per_second:.1f} docs/s",
            f"{batch['documents']} reports ({langs}), {batch['chars'] / 1e6:.2f} MB, "
            f"{batch['seconds']:.1f} s, {batch['chars'] / batch['seconds'] / 1000:,.0f} kchars/s, "
            f"{batch['triples']:,} triples",
        ),
        (
            "(d) baseline on the seed text",
            f"{base['median_s'] * 1000:,.2f} ms",
            "str.split() + AG/RES symbol regex scan, median",
        ),
        ("(d) seed extraction / baseline", f"{ratio:,.0f}×", "how many bare passes it costs"),
    ]
    out = ["| measure | value | how |", "|---|--:|---|"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.bench_extract``."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_extract",
        description="Time report extraction: cold load, the seed report, a synthetic batch.",
    )
    parser.add_argument("--documents", type=int, default=200, help="synthetic reports (200)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs after a warm-up (7)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed")
    parser.add_argument("--no-record", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--worker", choices=["cold"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "cold":
        print(json.dumps(cold_worker()))
        return 0
    header = machine(("rdflib", "spacy"))
    print(header, file=sys.stderr)
    figures = run(documents=args.documents, repeat=args.repeat, seed=args.seed)
    header += f"; load average at end {os.getloadavg()[0]:.2f}"
    text = table(figures)
    print(text)
    if not args.no_record:
        record(text, sys.argv[1:] if argv is None else argv, header,
               script="bench_extract", title="Extraction: run of {stamp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
