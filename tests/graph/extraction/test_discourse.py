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


_LIST = (
    "2) INTERDICCIÓN\n\nConforme al párrafo 3 de la resolución AG/RES. 2735 (XLII-O/12), la "
    "CICAD, junto con el Servicio de Guardacostas de los Estados Unidos (USCG), impartió:\n\n"
    "   -  un curso regional en Bridgetown, en junio de 2014, para veintiocho oficiales; y\n\n"
    "   -  un foro regional de jóvenes en Georgetown, con veintiún líderes comunitarios.\n\n"
    "Con base en el mismo párrafo, se realizó además en Kingstown una reunión técnica "
    "sobre pandillas y violencia armada.\n"
)


def test_list_items_share_the_partners_of_the_lead_in() -> None:
    activities = _read(_LIST, "es")
    assert [(set(a.conducted_by), set(a.partners)) for a in activities] == [
        ({"CICAD"}, {"USCG"}),
        ({"CICAD"}, {"USCG"}),
        ({"CICAD"}, set()),
    ]


def test_each_item_after_a_blank_line_is_its_own_activity() -> None:
    activities = _read(_LIST, "es")
    assert [a.participants[0] if a.participants else None for a in activities] == [
        28,
        21,
        None,  # "una reunión técnica": an article, not one participant
    ]


def test_a_mission_is_an_activity() -> None:
    activities = _read(
        "II. CYBER\n\nThe Secretariat carried out a technical mission to Basseterre in "
        "September 2014; 12 officers were trained.\n",
        "en",
    )
    assert [a.participants[0] if a.participants else None for a in activities] == [12]


def test_a_city_is_no_partner() -> None:
    activities = _read(
        "1) DROGAS\n\nDe conformidad con el párrafo 3 de la resolución AG/RES. 2866 "
        "(XLIV-O/14), la CICAD organizó un taller subregional en Puerto España, del 7 al 9 "
        "de abril de 2014, con cuarenta y cinco participantes.\n",
        "es",
    )
    assert [(set(a.partners), set(a.beneficiaries)) for a in activities] == [(set(), {"TTO"})]


def test_a_project_submitted_to_donors_is_no_activity() -> None:
    spanish = _read(
        "4) TERRORISMO\n\nLa CICAD organizó un taller en Kingston. La Secretaría del CICTE "
        "prevé presentar un proyecto a los donantes en 2015.\n",
        "es",
    )
    english = _read(
        "IV. OTHER\n\nThe Secretariat held a course in Bridgetown; it will submit a project "
        "proposal to donors in 2015.\n",
        "en",
    )
    assert [a.type for a in spanish + english] == ["Workshop", "Training"]


def test_an_activity_named_after_several_modifiers() -> None:
    activities = _read(
        "I. PORTS\n\nThe Secretariat held a workshop in Castries in March 2014.\n\nA three-day "
        "crisis management exercise was then held in the port of Kingstown in May 2014; it "
        "brought together thirty-three officials of the port authority.\n",
        "en",
    )
    assert [(a.type, a.participants[0] if a.participants else None, set(a.beneficiaries))
            for a in activities] == [("Workshop", None, {"LCA"}), ("Exercise", 33, {"VCT"})]


def test_cities_after_to_and_with_an_abbreviated_saint() -> None:
    activities = _read(
        "II. CYBER\n\nThe Secretariat carried out a technical mission to Basseterre in "
        "September 2014.\n\nThe Secretariat also held a table-top exercise in St. George's on "
        "December 2-3, 2014.\n",
        "en",
    )
    assert [set(a.beneficiaries) for a in activities] == [{"KNA"}, {"GRD"}]


def test_both_refers_to_the_activities_already_named() -> None:
    activities = _read(
        "III. TRAVEL DOCUMENTS\n\nThe CICTE Secretariat delivered two courses on fraudulent "
        "travel documents, in Bridgetown and in Georgetown. Instructors were provided by the "
        "Royal Canadian Mounted Police (RCMP) and both courses were funded by the Government "
        "of Canada.\n",
        "en",
    )
    assert [(set(a.partners), set(a.funders)) for a in activities] == [({"RCMP"}, {"CAN"})]


def test_a_sentence_denying_a_mandate_ends_the_section_citation() -> None:
    activities = _read(
        "C. PORTS\n\nEn application du paragraphe 2 b) de la résolution AG/RES. 2866 "
        "(XLIV-O/14), le DSP a organisé un atelier à Bridgetown.\n\nLa résolution AG/RES. 2866 "
        "(XLIV-O/14) ne confie au Secrétariat général aucun mandat en matière de traite, et "
        "l'alinéa h du paragraphe 3 de la résolution AG/RES. 2735 (XLII-O/12) n'a pas été "
        "reconduit. Le DSP a néanmoins tenu à Nassau un atelier national sur la traite.\n",
        "fr",
    )
    assert [[m[1] for m in a.mandates] for a in activities] == [["2.b"], []]


def test_a_table_turned_into_text_details_the_activity_before_it() -> None:
    activities = _read(
        "B. Systèmes\n\nLe DSP a dispensé trois cours nationaux sur l'analyse de la "
        "criminalité. Au total, soixante-quatre analystes ont été formés (voir le tableau 1)."
        "\n\nTableau 1. Cours nationaux sur l'analyse de la criminalité (2014)\n\nPays\nVille"
        "\nParticipants\nSainte-Lucie\nCastries\n18\nGuyana\nGeorgetown\n21\n\nLe DSP a "
        "également mis en service le Système régional d'indicateurs dans deux États membres, "
        "la Barbade et le Belize.\n",
        "fr",
    )
    assert [set(a.beneficiaries) for a in activities] == [{"LCA", "GUY"}, {"BRB", "BLZ"}]
