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

_UNITS: dict[str, int] = {}
_FR = (
    "zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize"
).split()
_EN = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_ES = (
    "cero uno una dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
    "quince dieciséis diecisiete dieciocho diecinueve"
).split()
for words in (_FR, _EN, _ES):
    value = 0
    for word in words:
        if word in ("une", "una"):
            _UNITS[word] = 1
            continue
        _UNITS[word] = value
        value += 1
_UNITS.update({"dix-sept": 17, "dix-huit": 18, "dix-neuf": 19, "dieciseis": 16})
_TENS = {
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "septante": 70,
    "octante": 80,
    "huitante": 80,
    "nonante": 90,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "veinte": 20,
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
}
_ES_COMPOUND = {
    "veintiuno": 21,
    "veintiuna": 21,
    "veintidós": 22,
    "veintidos": 22,
    "veintitrés": 23,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiséis": 26,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
    "cien": 100,
    "ciento": 100,
    "doscientos": 200,
    "doscientas": 200,
    "trescientos": 300,
    "trescientas": 300,
    "cuatrocientos": 400,
    "cuatrocientas": 400,
    "quinientos": 500,
    "quinientas": 500,
    "seiscientos": 600,
    "seiscientas": 600,
    "setecientos": 700,
    "setecientas": 700,
    "ochocientos": 800,
    "ochocientas": 800,
    "novecientos": 900,
    "novecientas": 900,
}
_HUNDRED = {"cent", "cents", "hundred"}
_THOUSAND = {"mille", "mil", "thousand"}
_JOINERS = {"et", "and", "y"}

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
