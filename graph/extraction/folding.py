"""How names are keyed for matching: one function shared by actors, places and activities."""

from __future__ import annotations

import functools
import unicodedata


# the words of reports recur (each token of each sentence is folded): most calls are
# answered from here, at a tenth of the cost
@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lowercase, strip accents, unify apostrophes: the key names are matched on."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower().replace("’", "'").replace("`", "'")
