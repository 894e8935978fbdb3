"""Activities: triggers, roles, counts, dates and status, on short texts."""

from __future__ import annotations

import pytest

from mandategraph.graph.extraction.activities import Activity, read_activities
from mandategraph.graph.extraction.actors import find_mentions
from mandategraph.graph.extraction.citations import find_citations
from mandategraph.graph.extraction.numbers import parse_number
from mandategraph.graph.extraction.segment import segment
from mandategraph.ontology.registry import load_registry


def _read(text: str, lang: str) -> list[Activity]:
    registry = load_registry()
    seg = segment(text)
    spans = [(p.start, p.end) for p in seg.paragraphs if p.kind != "heading"]
    return read_activities(
        text=text,
        lang=lang,
        segmentation=seg,
        citations=find_citations(text),
        mentions=find_mentions(text, spans, registry=registry, lang=lang),
        registry=registry,
        self_org="SMS",
    )


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("Vingt-quatre", 24),
        ("quatorze", 14),
        ("forty-five", 45),
        ("cuarenta y dos", 42),
        ("cent vingt", 120),
        ("one hundred and twenty", 120),
        ("quatre-vingt-dix", 90),
        ("151", 151),
    ],
)
def test_number_words(words: str, value: int) -> None:
    assert parse_number(words) == value


def test_roles_counts_dates_fr() -> None:
    (activity,) = _read(
        "1) Trafic de drogues:\n\nEn mai 2010, la CICAD a organisé trois ateliers à "
        "Sainte-Lucie et en Jamaïque, en partenariat avec INTERPOL et avec le soutien "
        "financier du Gouvernement du Canada, pour un nombre total de 150 participants.\n",
        "fr",
    )
    assert activity.type == "Workshop"
    assert set(activity.conducted_by) == {"CICAD"}
    assert set(activity.partners) == {"INTERPOL"}
    assert set(activity.funders) == {"CAN"}
    assert set(activity.beneficiaries) == {"LCA", "JAM"}
    assert activity.count and activity.count[0] == 3
    assert activity.participants and activity.participants[0] == 150
    assert activity.start_date and activity.start_date[:2] == ("2010-05", "gYearMonth")
    assert activity.status[0] == "completed"


@pytest.mark.parametrize(
    ("text", "lang", "status"),
    [
        ("1. Drugs\n\nCICAD will hold a workshop in Grenada next year.\n", "en", "planned"),
        ("1. Drogas\n\nSe llevará a cabo un seminario en Guatemala.\n", "es", "planned"),
        (
            "1) Drogues:\n\nLe Secrétariat compte organiser un atelier à la Barbade.\n",
            "fr",
            "planned",
        ),
        (
            "1) Drogues:\n\nDepuis 2002, le CICTE fournit une assistance technique "
            "aux États membres.\n",
            "fr",
            "ongoing",
        ),
    ],
)
def test_status(text: str, lang: str, status: str) -> None:
    activities = _read(text, lang)
    assert activities and activities[0].status[0] == status


def test_anaphora_adds_states_and_participants() -> None:
    activities = _read(
        "1. Trafficking\n\nThe Department of Public Security delivered a training programme "
        "for consular staff. This project was carried out in Haiti and Jamaica and trained "
        "more than 120 officials.\n",
        "en",
    )
    assert len(activities) == 1
    assert set(activities[0].beneficiaries) == {"HTI", "JAM"}
    assert activities[0].participants and activities[0].participants[0] == 120


def test_excluded_and_affiliated_states_are_not_beneficiaries() -> None:
    activities = _read(
        "1) Frontières:\n\nEn 2010, tous les États caribéens à l’exception des Bahamas "
        "ont participé à une conférence à Montréal (Canada). Une analyse sera dirigée "
        "par M. Izben Williams, "
        "représentant permanent de Saint-Kitts-et-Nevis.\n",
        "fr",
    )
    states = set().union(*(a.beneficiaries for a in activities))
    assert not states & {"BHS", "CAN", "KNA"}
