"""Per-language word lists of the extraction, kept as data in ``lexicon/{fr,en,es}.yaml``.

Each file maps a key (``negation``, ``same_resolution``, ``org_heads_initial``,
``number_units`` ...) to a list of regular-expression fragments, or to a table
(``number_tens``: word -> value). The code asks for a key and gets the words of one
language, or of all three: a French report quotes English names, and a rule written
once reads every language its lexicon holds.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("fr", "en", "es")


@functools.cache
def _load(lang: str) -> dict[str, Any]:
    path = resources.files("mandategraph.graph.extraction").joinpath(f"lexicon/{lang}.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"lexicon/{lang}.yaml: a mapping of keys to word lists expected")
    return data


def words(key: str, lang: str | None = None) -> list[str]:
    """The entries of ``key`` for ``lang`` (all languages when ``None``), in file order."""
    out: list[str] = []
    for code in (lang,) if lang in LANGUAGES else LANGUAGES:
        value = _load(str(code)).get(key) or []
        entries = list(value) if isinstance(value, list | dict) else [value]
        out.extend(str(entry) for entry in entries if str(entry) not in out)
    return out


def entry(key: str, lang: str) -> Any:
    """The raw value of ``key`` in one language's file (a list of records, a pattern)."""
    if lang not in LANGUAGES:
        raise KeyError(f"no lexicon for language {lang!r}")
    value = _load(lang).get(key)
    if value is None:
        raise KeyError(f"lexicon/{lang}.yaml has no {key!r}")
    return value


def table(key: str, lang: str | None = None) -> dict[str, int]:
    """The ``word -> value`` table of ``key`` (all languages merged when ``lang`` is ``None``)."""
    out: dict[str, int] = {}
    for code in (lang,) if lang in LANGUAGES else LANGUAGES:
        value = _load(str(code)).get(key) or {}
        if isinstance(value, dict):
            out.update({str(k): int(v) for k, v in value.items()})
    return out


@functools.lru_cache(maxsize=256)
def pattern(key: str, lang: str | None = None, *, flags: int = re.I) -> re.Pattern[str]:
    """One regex matching any entry of ``key`` on word bounds (never matches when empty)."""
    entries = sorted(words(key, lang), key=len, reverse=True)
    if not entries:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{e})" for e in entries) + r")(?![\w])", flags)
