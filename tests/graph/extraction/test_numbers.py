"""Participant counts in words, and numbers that count no people."""

import pytest

from mandategraph.graph.extraction.activity_lexicon import PARTICIPANTS, STATE_COUNT_NOUNS
from mandategraph.graph.extraction.numbers import parse_number


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("quatre-vingt-dix", 90),
        ("vingt et un", 21),
        ("cuarenta y cinco", 45),
        ("Trente-deux", 32),
        ("soixante-quinze", 75),
        ("veintiuno", 21),
        ("veintiún", 21),
        ("doscientos treinta", 230),
        ("thirty-six", 36),
    ],
)
def test_compound_number_words(words: str, value: int) -> None:
    assert parse_number(words) == value


def _people(text: str) -> list[int]:
    out = []
    for match in PARTICIPANTS.finditer(text):
        if STATE_COUNT_NOUNS.match(text[match.end("num") : match.end("num") + 30]):
            continue
        value = parse_number(match.group("num"))
        if value is not None:
            out.append(value)
    return out


def test_counts_of_people_not_of_states_days_or_machines() -> None:
    assert _people("dont ont bénéficié quatre-vingt-dix agents de sûreté") == [90]
    assert _people("vingt et un spécialistes de la prévention") == [21]
    assert _people("45 participants de quinze États membres") == [45]
    assert _people("de sept États membres y ont pris part; quatre machines") == []
    assert _people("un exercice de trois jours; cinq jours") == []
    assert _people("cuarenta y cinco funcionarios de doce Estados") == [45]
