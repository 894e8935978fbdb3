"""Cardinal numbers written in words, in French, English and Spanish.

"Vingt-quatre", "quatorze", "forty-five", "cuarenta y dos", "cent vingt",
"one hundred and twenty", "doscientos treinta" -> int. Reports write small counts
in words; a table of about 120 words and three rules (add, multiply by a hundred or
a thousand, "quatre-vingt" = 80) covers them. A package such as ``text2num`` does
this too, but it is not installed here, ships a compiled extension, and would be a
dependency for some sixty lines.
"""

from __future__ import annotations

import re

from mandategraph.graph.extraction import lexicon

# The words and their values are data: ``lexicon/{fr,en,es}.yaml`` (number_units in
# order from zero, number_extra, number_tens, number_hundred(s), number_thousand).
_UNITS: dict[str, int] = {}
for _lang in lexicon.LANGUAGES:
    for _value, _word in enumerate(lexicon.words("number_units", _lang)):
        _UNITS[_word] = _value
_UNITS.update(lexicon.table("number_extra"))
_TENS = lexicon.table("number_tens")
_ES_COMPOUND = lexicon.table("number_hundreds")  # "doscientos": added, not multiplied
_HUNDRED = set(lexicon.words("number_hundred"))
_THOUSAND = set(lexicon.words("number_thousand"))
_JOINERS = set(lexicon.words("number_joiner"))

#: Every word the parser knows (for building search patterns).
NUMBER_WORDS = sorted(
    set(_UNITS) | set(_TENS) | set(_ES_COMPOUND) | _HUNDRED | _THOUSAND, key=len, reverse=True
)
_WORD_ALT = "|".join(re.escape(w) for w in NUMBER_WORDS)
#: A number in digits ("1 200", "1,200", "151") or in words ("vingt-quatre").
NUMBER_PATTERN = (
    rf"(?<![\w])(?:\d{{1,3}}(?:[  ,.]\d{{3}})+|\d+|(?:{_WORD_ALT})"
    rf"(?:(?:[\s-]+(?:et[\s-]+|and[\s-]+|y\s+)?)"
    rf"(?:{_WORD_ALT}))*)(?![\w])"
)


def parse_number(text: str) -> int | None:
    """The value of a number in digits or words, or ``None`` if it is not one.

    >>> parse_number("Vingt-quatre"), parse_number("forty-five"), parse_number("cuarenta y dos")
    (24, 45, 42)
    """
    raw = text.strip().lower()
    if not raw:
        return None
    digits = re.sub(r"[  ,.]", "", raw)
    if digits.isdigit():
        return int(digits)
    words = [w for w in re.split(r"[\s-]+", raw) if w]
    total = 0
    current = 0
    seen = False
    previous: str | None = None
    for word in words:
        if word in _JOINERS:
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            if word.startswith("vingt") and previous == "quatre" and current % 100 == 4:
                current += 80 - 4  # quatre-vingt(s)
            else:
                current += _TENS[word]
        elif word in _ES_COMPOUND:
            current += _ES_COMPOUND[word]
        elif word in _HUNDRED:
            current = max(current, 1) * 100
        elif word in _THOUSAND:
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
        seen = True
        previous = word
    return total + current if seen else None
