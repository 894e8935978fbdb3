"""How names are keyed for matching: one function shared by actors, places and activities."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lowercase, strip accents, unify apostrophes: the key names are matched on."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower().replace("’", "'").replace("`", "'")
