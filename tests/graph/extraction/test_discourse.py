"""Discourse: actors, funders and counts that come from around the activity's sentence."""

from mandategraph.graph.extraction.activities import Activity, read_activities
from mandategraph.graph.extraction.actors import find_mentions
from mandategraph.graph.extraction.citations import find_citations
from mandategraph.graph.extraction.layout import layout_view
from mandategraph.graph.extraction.segment import segment
from mandategraph.ontology.registry import load_registry


def _read(text: str, lang: str) -> list[Activity]:
    registry = load_registry()
    text = layout_view(text).text
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


def test_funder_of_a_programme_funds_the_activity_after_it() -> None:
    activities = _read(
        "1. FIREARMS\n\nThe DPS continued the project on firearm marking, funded by the "
        "Government of the United States. In 2012, a workshop was held in Kingston for "
        "35 police officers.\n",
        "en",
    )
    workshop = [a for a in activities if a.type == "Workshop"]
    assert [(set(a.conducted_by), set(a.funders)) for a in workshop] == [({"DPS"}, {"USA"})]


def test_two_bodies_joined_by_and_both_conduct() -> None:
    activities = _read(
        "1. SUPPLY\n\nFrom April 15 to 19, 2013, ES/CICAD and the CICTE Secretariat, together "
        "with the World Customs Organization (WCO), jointly organized in Kingston, Jamaica, a "
        "sub-regional workshop on maritime interdiction.\n",
        "en",
    )
    assert [(set(a.conducted_by), set(a.partners)) for a in activities] == [
        ({"CICAD", "CICTE"}, {"WCO"})
    ]


def test_passive_sentence_takes_the_previous_actor_and_its_count_in_words() -> None:
    activities = _read(
        "II. DROGUES\n\nLe Secrétariat exécutif de la CICAD a étendu son programme. Du 4 au 8 "
        "février 2013, il a organisé à Miami une formation à laquelle ont participé vingt et un "
        "spécialistes venus de la Jamaïque et de la\nBarbade, une région où la demande\n"
        "augmente.\n",
        "fr",
    )
    trained = [a for a in activities if a.participants]
    assert [(set(a.conducted_by), a.participants[0] if a.participants else None,
             set(a.beneficiaries)) for a in trained] == [({"CICAD"}, 21, {"JAM", "BRB"})]


def test_thanks_name_donors_not_beneficiaries() -> None:
    activities = _read(
        "1. CYBER\n\nLe CICTE a organisé un atelier à Basseterre. Le Secrétariat remercie le "
        "Canada et les États-Unis pour leurs contributions et réitère sa disposition à étendre "
        "ces activités.\n",
        "fr",
    )
    assert [set(a.beneficiaries) for a in activities] == [{"KNA"}]


def test_one_event_one_activity_with_a_whole_phrase_label() -> None:
    activities = _read(
        "1. BORDERS\n\nThe CICTE Secretariat conducted a training workshop in Guatemala and "
        "Honduras for 45 border officials.\n",
        "en",
    )
    assert [(a.type, set(a.conducted_by), set(a.beneficiaries)) for a in activities] == [
        ("Workshop", {"CICTE"}, {"GTM", "HND"})
    ]
    assert activities[0].label.startswith("training workshop")


def test_a_long_label_ends_on_a_whole_phrase() -> None:
    activities = _read(
        "I. PRÉVENTION\n\nLe DSP a organisé à Castries un atelier sous-régional sur la "
        "prévention de la violence chez les jeunes et le renforcement des capacités nationales "
        "en matière de prévention et de réinsertion.\n",
        "fr",
    )
    label = activities[0].label
    assert label.split()[-1] not in {"de", "et", "la", "le", "des"}
    assert label == "atelier sous-régional sur la prévention de la violence chez les jeunes"


def test_spanish_passive_takes_the_previous_actor_and_dicha_resolucion() -> None:
    activities = _read(
        "1. SEGURIDAD\n\nDe conformidad con el inciso c del párrafo 2 de la resolución "
        "AG/RES. 2735 (XLII-O/12), el Departamento de Seguridad Pública (DSP) organizó un "
        "taller en Tegucigalpa con la Guardia Costera de los Estados Unidos; participaron "
        "cuarenta y cinco funcionarios. Posteriormente, se realizó una evaluación en San "
        "Salvador.\n",
        "es",
    )
    assert [
        (a.type, set(a.conducted_by), set(a.partners), set(a.beneficiaries),
         a.participants[0] if a.participants else None, [m[1] for m in a.mandates])
        for a in activities
    ] == [
        ("Workshop", {"DPS"}, {"GUARDIA-COSTERA-DE-LOS-ESTADOS-UNIDOS"}, {"HND"}, 45, ["2.c"]),
        ("Assessment", {"DPS"}, set(), {"SLV"}, None, ["2.c"]),
    ]
