"""Deterministic generator of synthetic mandategraph graphs, written as N-Triples.

The graphs have the shape the extraction pipeline produces, at any size:

* reference data: the 35 OAS member states (ISO alpha-3 ``skos:notation``), the
  Caribbean small island states group, OAS bodies and partner organizations (the
  keys of the seed report's gold file, plus synthetic partners so the actor network
  grows with the graph), the nine themes, the three activity statuses;
* General Assembly resolutions with operative paragraphs and lettered sub-paragraphs
  (the mandates), each paragraph traced to a span of its resolution's text;
* reports (``mg:Report``) with numbered sections citing those paragraphs;
* activities of the taxonomy classes implementing paragraphs (about one paragraph in
  five gets none, so "mandates without activities" has answers; some activities
  implement nothing), conducted by OAS bodies, with partners, funders, beneficiary
  states, a theme, years 2005-2024, participants and a status, each derived from a
  text span with a realistic quote, and some of their facts reified as
  ``rdf:Statement`` with their own provenance.

Provenance (spans, ``prov:wasDerivedFrom``, reifications) is about half of the
triples, as in the real graph. The same seed and size give the same bytes, and the
file is streamed (only the small pools of IRIs stay in memory), so 1M triples cost
little memory::

    python -m benchmarks.generate --triples 100k --out benchmarks/data/synthetic-100k.nt
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from mandategraph.ontology.namespaces import (
    ID,
    MG,
    activity_iri,
    document_iri,
    group_iri,
    org_iri,
    paragraph_iri,
    resolution_iri,
    section_iri,
    span_iri,
    state_iri,
    status_iri,
    theme_iri,
)

DEFAULT_SEED = 42
DATA_DIR = Path(__file__).resolve().parent / "data"

#: Smallest size the generator accepts: below it the reference data alone overshoots.
MIN_TRIPLES = 1_000

FIRST_YEAR, LAST_YEAR = 2005, 2024

# -- reference data ---------------------------------------------------------------------
# Copied here (not read from ontology/reference/) so that a benchmark file depends only
# on the seed, never on edits to the registry.

#: The 35 OAS member states: ISO 3166-1 alpha-3 -> English short name.
STATES: dict[str, str] = {
    "ATG": "Antigua and Barbuda", "ARG": "Argentina", "BHS": "Bahamas",
    "BRB": "Barbados", "BLZ": "Belize", "BOL": "Bolivia", "BRA": "Brazil",
    "CAN": "Canada", "CHL": "Chile", "COL": "Colombia", "CRI": "Costa Rica",
    "CUB": "Cuba", "DMA": "Dominica", "DOM": "Dominican Republic", "ECU": "Ecuador",
    "SLV": "El Salvador", "GRD": "Grenada", "GTM": "Guatemala", "GUY": "Guyana",
    "HTI": "Haiti", "HND": "Honduras", "JAM": "Jamaica", "MEX": "Mexico",
    "NIC": "Nicaragua", "PAN": "Panama", "PRY": "Paraguay", "PER": "Peru",
    "KNA": "Saint Kitts and Nevis", "LCA": "Saint Lucia",
    "VCT": "Saint Vincent and the Grenadines", "SUR": "Suriname",
    "TTO": "Trinidad and Tobago", "USA": "United States", "URY": "Uruguay",
    "VEN": "Venezuela",
}  # fmt: skip

#: The Caribbean small island (and low-lying coastal) states of the seed report.
CARIBBEAN_SIDS = (
    "ATG", "BHS", "BRB", "BLZ", "DMA", "GRD", "GUY", "HTI", "JAM", "KNA", "LCA", "VCT",
    "SUR", "TTO",
)  # fmt: skip

#: States that fund activities, with how often (the seed report: USA, CAN, FRA-like).
DONORS: dict[str, int] = {
    "USA": 40, "CAN": 25, "MEX": 8, "BRA": 5, "ARG": 4, "CHL": 4, "COL": 4, "PAN": 3,
    "TTO": 2, "JAM": 2, "BRB": 2, "PER": 1,
}  # fmt: skip


@dataclass(frozen=True)
class Organization:
    """One organization of the synthetic registry."""

    key: str
    en: str
    fr: str
    es: str
    oas_body: bool
    parent: str | None = None
    weight: float = 1.0


#: OAS bodies (weights: how often each conducts an activity) and the seed's partners.
ORGANIZATIONS: tuple[Organization, ...] = (
    Organization("OAS-GS", "General Secretariat", "Secrétariat général", "Secretaría General",
                 True, None, 4),
    Organization("SMS", "Secretariat for Multidimensional Security",
                 "Secrétariat à la sécurité multidimensionnelle",
                 "Secretaría de Seguridad Multidimensional", True, "OAS-GS", 10),
    Organization("CICTE", "Inter-American Committee against Terrorism",
                 "Comité interaméricain contre le terrorisme",
                 "Comité Interamericano contra el Terrorismo", True, "SMS", 26),
    Organization("CICAD", "Inter-American Drug Abuse Control Commission",
                 "Commission interaméricaine de lutte contre l’abus des drogues",
                 "Comisión Interamericana para el Control del Abuso de Drogas", True, "SMS", 24),
    Organization("DPS", "Department of Public Security", "Département de la sécurité publique",
                 "Departamento de Seguridad Pública", True, "SMS", 20),
    Organization("OID", "Inter-American Observatory on Drugs",
                 "Observatoire interaméricain sur les drogues",
                 "Observatorio Interamericano sobre Drogas", True, "CICAD", 7),
    Organization("MEM", "Multilateral Evaluation Mechanism", "Mécanisme d’évaluation multilatérale",
                 "Mecanismo de Evaluación Multilateral", True, "CICAD", 5),
    Organization("OAS-LEGAL", "OAS legal services", "Services juridiques de l’OEA",
                 "Servicios jurídicos de la OEA", True, "OAS-GS", 3),
    Organization("ICAO", "International Civil Aviation Organization",
                 "Organisation de l’aviation civile internationale",
                 "Organización de Aviación Civil Internacional", False),
    Organization("UNODC", "United Nations Office on Drugs and Crime",
                 "Office des Nations Unies contre la drogue et le crime",
                 "Oficina de las Naciones Unidas contra la Droga y el Delito", False),
    Organization("CARICOM", "Caribbean Community", "Communauté des Caraïbes",
                 "Comunidad del Caribe", False),
    Organization("INTERPOL", "INTERPOL", "INTERPOL", "INTERPOL", False),
    Organization("IMO", "International Maritime Organization",
                 "Organisation maritime internationale", "Organización Marítima Internacional",
                 False),
    Organization("TSA", "Transportation Security Administration (United States)",
                 "Agence nationale américaine de sécurité dans les transports",
                 "Administración de Seguridad en el Transporte (Estados Unidos)", False),
    Organization("UNODC-TPB", "UNODC Terrorism Prevention Branch",
                 "Service de la prévention du terrorisme de l’ONUDC",
                 "Subdivisión de Prevención del Terrorismo de la UNODC", False, "UNODC"),
    Organization("UNICRI", "United Nations Interregional Crime and Justice Research Institute",
                 "Institut interrégional de recherche des Nations Unies sur la criminalité et la "
                 "justice", "Instituto Interregional de las Naciones Unidas para Investigaciones "
                 "sobre la Delincuencia y la Justicia", False),
    Organization("CIFAD", "Interministerial Anti-Drug Training Centre (France)",
                 "Centre interministériel de formation anti-drogue",
                 "Centro Interministerial de Formación Antidrogas (Francia)", False),
    Organization("FR-CUSTOMS", "French Customs", "Douanes françaises", "Aduanas de Francia", False),
    Organization("CERT-CC", "CERT Coordination Center", "Centre de coordination CERT",
                 "Centro de Coordinación CERT", False),
    Organization("DUBLIN-GROUP", "Mini Dublin Group for the Caribbean",
                 "Mini-Groupe de Dublin pour la Caraïbe", "Mini Grupo de Dublín para el Caribe",
                 False),
)  # fmt: skip

#: The nine themes of the seed report: key -> (en, fr, es).
THEMES: dict[str, tuple[str, str, str]] = {
    "violence-prevention": ("Violence prevention", "Prévention de la violence",
                            "Prevención de la violencia"),
    "border-control": ("Border control", "Contrôle des frontières", "Control fronterizo"),
    "firearms-trafficking": ("Firearms trafficking", "Trafic d’armes à feu",
                             "Tráfico de armas de fuego"),
    "trafficking-in-persons": ("Trafficking in persons", "Traite des personnes",
                               "Trata de personas"),
    "drug-trafficking": ("Drug trafficking", "Trafic de drogues", "Tráfico de drogas"),
    "crime-monitoring": ("Crime monitoring systems", "Systèmes de surveillance de la criminalité",
                         "Sistemas de monitoreo del delito"),
    "counter-terrorism-legislation": (
        "Legislative assistance and counter-terrorism financing",
        "Assistance législative et financement de la lutte contre le terrorisme",
        "Asistencia legislativa y financiamiento del terrorismo"),
    "cybersecurity": ("Cybersecurity", "Cybersécurité", "Ciberseguridad"),
    "major-events-security": ("Security for major events", "Sécurité des grands événements",
                              "Seguridad de grandes eventos"),
}  # fmt: skip

STATUSES: dict[str, str] = {"planned": "Planned", "ongoing": "Ongoing", "completed": "Completed"}

#: Activity classes with an English label and how often each occurs.
ACTIVITY_CLASSES: tuple[tuple[str, str, int], ...] = (
    ("Training", "Training", 24), ("Workshop", "Workshop", 18), ("Meeting", "Meeting", 12),
    ("Assessment", "Assessment", 10), ("Study", "Study", 8), ("Exercise", "Exercise", 6),
    ("TechnicalAssistance", "Technical assistance", 10),
    ("EquipmentProvision", "Equipment provision", 4), ("Scholarship", "Scholarships", 3),
    ("Programme", "Programme", 5),
)  # fmt: skip

# -- text ---------------------------------------------------------------------------------
# Quotes are assembled from sentence templates in the report's language, so literal sizes
# and character mixes (accents, apostrophes) look like the seed report's.

SENTENCES: dict[str, tuple[str, ...]] = {
    "en": (
        "In {year}, the {org} organized a {kind} on {theme} for {n} officials from {state}.",
        "The {org} continued to provide technical assistance to {state} in the area of "
        "{theme}, in cooperation with national authorities.",
        "With financial support from {donor}, {n} participants from {state} were trained "
        "in {theme} by the {org}.",
        "These activities respond to the mandate of the General Assembly set out in "
        "paragraph {par} of resolution {res}.",
        "A follow-up mission to {state} is planned for {year2}, subject to the availability "
        "of funds.",
        "The {org} also coordinated its work with regional partners to avoid duplication and "
        "to strengthen the capacity of the small island states of the Caribbean.",
    ),
    "fr": (
        "En {year}, le {org} a organisé un atelier sur {theme} à l’intention de {n} "
        "fonctionnaires de {state}.",
        "Le {org} a continué de fournir une assistance technique à {state} dans le domaine "
        "de {theme}, en coopération avec les autorités nationales.",
        "Grâce au soutien financier de {donor}, {n} participants de {state} ont reçu une "
        "formation en matière de {theme} dispensée par le {org}.",
        "Ces activités répondent au mandat de l’Assemblée générale énoncé au paragraphe "
        "{par} de la résolution {res}.",
        "Une mission de suivi en {state} est prévue pour {year2}, sous réserve de la "
        "disponibilité des fonds.",
        "Le {org} a également coordonné ses travaux avec les partenaires régionaux afin "
        "d’éviter les chevauchements et de renforcer les capacités des petits États "
        "insulaires de la Caraïbe.",
    ),
    "es": (
        "En {year}, el {org} organizó un taller sobre {theme} para {n} funcionarios de "
        "{state}.",
        "El {org} siguió prestando asistencia técnica a {state} en materia de {theme}, en "
        "cooperación con las autoridades nacionales.",
        "Con el apoyo financiero de {donor}, {n} participantes de {state} recibieron "
        "capacitación en {theme} impartida por el {org}.",
        "Estas actividades responden al mandato de la Asamblea General establecido en el "
        "párrafo {par} de la resolución {res}.",
        "Está prevista una misión de seguimiento a {state} en {year2}, sujeta a la "
        "disponibilidad de fondos.",
    ),
}  # fmt: skip

MANDATES: tuple[str, ...] = (
    "To instruct the {org} to continue supporting member states, in particular the small "
    "island states of the Caribbean, in matters of {theme}.",
    "To request the General Secretariat, through the {org}, to provide technical "
    "assistance and training in {theme} to the member states that so request, within the "
    "resources allocated in the program-budget and other resources.",
    "To urge member states to cooperate with the {org} in the implementation of programs "
    "on {theme} and to share information on best practices.",
    "To request the {org} to report to the General Assembly at its next regular session on "
    "the implementation of this resolution as regards {theme}.",
    "To encourage member states and permanent observers to contribute voluntary funds to "
    "the activities of the {org} on {theme}.",
)  # fmt: skip

_ROMAN = ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """Roman numeral of a General Assembly session number (1-89)."""
    out = []
    for value, digits in _ROMAN:
        while number >= value:
            out.append(digits)
            number -= value
    return "".join(out)


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000, ``2500`` -> 2500."""
    text = text.strip()
    multiplier = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    digits = text[:-1] if multiplier != 1 else text
    return int(float(digits) * multiplier)


def size_label(triples: int) -> str:
    """The inverse of :func:`parse_size` for round sizes (``1000000`` -> ``1M``)."""
    if triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}M"
    if triples % 1_000 == 0:
        return f"{triples // 1_000}k"
    return str(triples)


def default_path(triples: int) -> Path:
    """Where the benchmark keeps the file of a given size."""
    return DATA_DIR / f"synthetic-{size_label(triples)}.nt"


# -- N-Triples terms ------------------------------------------------------------------------
# Written by hand (no rdflib Graph) so the file streams and the bytes do not depend on an
# rdflib serializer version.


def _iri(value: str | URIRef) -> str:
    return f"<{value}>"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _lit(text: str, lang: str | None = None) -> str:
    body = f'"{text.translate(_ESCAPES)}"'
    return f"{body}@{lang}" if lang else body


def _int(value: int) -> str:
    return f'"{value}"^^<{XSD.integer}>'


def _date(value: str) -> str:
    return f'"{value}"^^<{XSD.date}>'


A = _iri(RDF.type)
P = {  # predicates, spelled once
    "label": _iri(RDFS.label),
    "notation": _iri(SKOS.notation),
    "prefLabel": _iri(SKOS.prefLabel),
    "altLabel": _iri(SKOS.altLabel),
    "inScheme": _iri(SKOS.inScheme),
    "title": _iri(DCTERMS.title),
    "date": _iri(DCTERMS.date),
    "publisher": _iri(DCTERMS.publisher),
    "derived": _iri(PROV.wasDerivedFrom),
    "subject": _iri(RDF.subject),
    "predicate": _iri(RDF.predicate),
    "object": _iri(RDF.object),
    **{
        name: _iri(MG[name])
        for name in (
            "paragraphOf subParagraphOf withinParagraph paragraphNumber text addressee theme "
            "implements "
            "conductedBy inPartnershipWith fundedBy beneficiary year participantCount "
            "activityCount status reportedIn inDocument startOffset endOffset quote "
            "sectionNumber cites recalls language memberOf subOrganizationOf"
        ).split()
    },
}
STATEMENT = _iri(RDF.Statement)


def _triple(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


# -- the generator --------------------------------------------------------------------------


@dataclass
class Stats:
    """What one generated file holds."""

    triples: int = 0
    resolutions: int = 0
    paragraphs: int = 0
    paragraphs_without_activity: int = 0
    reports: int = 0
    sections: int = 0
    activities: int = 0
    activities_without_paragraph: int = 0
    spans: int = 0
    statements: int = 0
    provenance_triples: int = 0
    partners: int = 0


@dataclass
class _Unit:
    """Lines of one activity, not yet written, and what they hold."""

    lines: list[str]
    provenance: int
    statements: int
    end: int  # end offset of the activity's span in its report


@dataclass
class _Paragraph:
    iri: str
    path: str
    theme: str
    implemented: bool = False  # chosen to be implemented (about 80%)
    activities: int = 0


@dataclass
class _Report:
    slug: str
    iri: str
    year: int
    language: str
    symbol: str
    cursor: int  # next free character offset in the report's text
    sections: dict[str, tuple[int, str]] = field(default_factory=dict)  # theme -> (n, IRI)
    paragraphs: list[_Paragraph] = field(default_factory=list)
    activities: int = 0


class _Generator:
    """Builds the graph unit by unit; a unit is written only if it fits the budget."""

    def __init__(self, out: TextIO, target: int, seed: int) -> None:
        self.out = out
        self.target = target
        self.rng = random.Random(seed)
        self.stats = Stats()
        self.bnode = 0
        self.all_paragraphs: list[_Paragraph] = []
        # Partners grow with the graph, so the who-works-with-whom network does too.
        self.stats.partners = max(8, target // 4_000)
        partners = [o for o in ORGANIZATIONS if not o.oas_body]
        self.partner_keys = [o.key for o in partners] + [
            f"PARTNER-{i:04d}" for i in range(1, self.stats.partners + 1)
        ]
        # Zipf-like weights: a few partners appear on many activities, most on few.
        self.partner_weights = [1.0 / (rank + 1) for rank in range(len(self.partner_keys))]
        bodies = [o for o in ORGANIZATIONS if o.oas_body]
        self.body_keys = [o.key for o in bodies]
        self.org_names = {o.key: (o.en, o.fr, o.es) for o in ORGANIZATIONS}
        self.body_weights = [o.weight for o in bodies]
        self.state_codes = list(STATES)
        # The seed report is about the Caribbean: those states benefit four times as often.
        self.state_weights = [4.0 if c in CARIBBEAN_SIDS else 1.0 for c in self.state_codes]
        self.resolution_number = 2100

    # -- budget ---------------------------------------------------------------------------

    def fits(self, lines: Sequence[str]) -> bool:
        return self.stats.triples + len(lines) <= self.target

    def write(self, lines: Sequence[str], provenance: int = 0) -> None:
        self.out.write("".join(lines))
        self.stats.triples += len(lines)
        self.stats.provenance_triples += provenance

    # -- helpers --------------------------------------------------------------------------

    def pick_states(self, k: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < k:
            code = self.rng.choices(self.state_codes, self.state_weights)[0]
            if code not in chosen:
                chosen.append(code)
        return chosen

    def pick_distinct(self, keys: list[str], weights: list[float], k: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < k:
            key = self.rng.choices(keys, weights)[0]
            if key not in chosen:
                chosen.append(key)
        return chosen

    def quote(self, language: str, **slots: object) -> str:
        """1-4 sentences, 150-700 characters: the length of a report's activity paragraph."""
        rng = self.rng
        templates = SENTENCES[language]
        wanted = rng.randint(150, 700)
        sentences: list[str] = []
        length = 0
        while length < wanted and len(sentences) < 4:
            text = rng.choice(templates).format(**slots)
            sentences.append(text)
            length += len(text) + 1
        return " ".join(sentences)

    def span(self, doc_iri: str, span: str, start: int, text: str) -> list[str]:
        return [
            _triple(span, A, _iri(MG.TextSpan)),
            _triple(span, P["inDocument"], doc_iri),
            _triple(span, P["startOffset"], _int(start)),
            _triple(span, P["endOffset"], _int(start + len(text))),
            _triple(span, P["quote"], _lit(text)),
        ]

    def reify(self, s: str, p: str, o: str, span: str) -> list[str]:
        self.bnode += 1
        node = f"_:st{self.bnode}"
        return [
            _triple(node, A, STATEMENT),
            _triple(node, P["subject"], s),
            _triple(node, P["predicate"], p),
            _triple(node, P["object"], o),
            _triple(node, P["derived"], span),
        ]

    # -- reference data ---------------------------------------------------------------------

    def reference(self) -> None:
        lines: list[str] = []
        scheme = _iri(ID["theme"])
        lines += [
            _triple(scheme, A, _iri(SKOS.ConceptScheme)),
            _triple(scheme, P["label"], _lit("Themes", "en")),
        ]
        for key, (en, fr, es) in THEMES.items():
            t = _iri(theme_iri(key))
            lines += [
                _triple(t, A, _iri(MG.Theme)),
                _triple(t, A, _iri(SKOS.Concept)),
                _triple(t, P["inScheme"], scheme),
                _triple(t, P["notation"], _lit(key)),
                _triple(t, P["prefLabel"], _lit(en, "en")),
                _triple(t, P["prefLabel"], _lit(fr, "fr")),
                _triple(t, P["prefLabel"], _lit(es, "es")),
                _triple(t, P["label"], _lit(en)),
            ]
        for key, label in STATUSES.items():
            s = _iri(status_iri(key))
            lines += [
                _triple(s, A, _iri(MG.ActivityStatus)),
                _triple(s, P["notation"], _lit(key)),
                _triple(s, P["prefLabel"], _lit(label, "en")),
                _triple(s, P["label"], _lit(label)),
            ]
        group = _iri(group_iri("caribbean-sids"))
        lines += [
            _triple(group, A, _iri(MG.StateGroup)),
            _triple(group, P["label"], _lit("Caribbean small island states")),
        ]
        for code, name in STATES.items():
            s = _iri(state_iri(code))
            lines += [
                _triple(s, A, _iri(MG.MemberState)),
                _triple(s, A, _iri(MG.State)),
                _triple(s, P["notation"], _lit(code)),
                _triple(s, P["prefLabel"], _lit(name, "en")),
                _triple(s, P["label"], _lit(name)),
            ]
            if code in CARIBBEAN_SIDS:
                lines.append(_triple(s, P["memberOf"], group))
        synthetic = [
            Organization(key, f"Partner organization {key[8:]}",
                         f"Organisation partenaire {key[8:]}", f"Organización asociada {key[8:]}",
                         False)
            for key in self.partner_keys if key.startswith("PARTNER-")
        ]  # fmt: skip
        for org in (*ORGANIZATIONS, *synthetic):
            o = _iri(org_iri(org.key))
            kind = MG.OASBody if org.oas_body else MG.PartnerOrganization
            lines += [
                _triple(o, A, _iri(kind)),
                _triple(o, A, _iri(MG.Organization)),
                _triple(o, P["notation"], _lit(org.key)),
                _triple(o, P["label"], _lit(org.en)),
                _triple(o, P["prefLabel"], _lit(org.en, "en")),
                _triple(o, P["prefLabel"], _lit(org.fr, "fr")),
                _triple(o, P["prefLabel"], _lit(org.es, "es")),
                _triple(o, P["altLabel"], _lit(org.key)),
            ]
            if org.parent:
                lines.append(_triple(o, P["subOrganizationOf"], _iri(org_iri(org.parent))))
        self.write(lines)

    # -- resolutions ------------------------------------------------------------------------

    def resolution(self, year: int) -> tuple[list[str], str, list[_Paragraph], int]:
        """A resolution and its paragraphs, as lines not yet written."""
        rng = self.rng
        self.resolution_number += 1
        symbol = f"AG/RES. {self.resolution_number} ({roman(year - 1970)}-O/{year % 100:02d})"
        res = _iri(resolution_iri(symbol))
        themes = rng.sample(list(THEMES), rng.randint(2, 4))
        title = f"Hemispheric security: {THEMES[themes[0]][0].lower()}"
        lines = [
            _triple(res, A, _iri(MG.Resolution)),
            _triple(res, A, _iri(MG.Document)),
            _triple(res, P["notation"], _lit(symbol)),
            _triple(res, P["title"], _lit(title, "en")),
            _triple(res, P["label"], _lit(f"{symbol}: {title}")),
            _triple(res, P["date"], _date(f"{year}-06-{rng.randint(1, 9):02d}")),
        ]
        provenance = 0
        paragraphs: list[_Paragraph] = []
        cursor = rng.randint(400, 1500)  # preambular text comes first

        def paragraph(path: str, theme: str, parent: _Paragraph | None) -> _Paragraph:
            nonlocal cursor, provenance
            par = _iri(paragraph_iri(symbol, path))
            body = rng.choice(self.body_keys)
            text = rng.choice(MANDATES).format(
                org=self.org_names[body][0], theme=THEMES[theme][0].lower()
            )
            number = path.rsplit(".", 1)[-1]
            quote = f"{number}. {text}" if parent is None else f"{number}) {text}"
            start = cursor + rng.randint(2, 60)
            cursor = start + len(quote)
            # A span IRI hangs under its document: here the resolution is the document.
            span = _iri(f"{resolution_iri(symbol)}/span/{start}-{cursor}")
            lines.extend(
                [
                    _triple(par, A, _iri(MG.OperativeParagraph)),
                    _triple(par, P["paragraphOf"], res),
                    _triple(par, P["paragraphNumber"], _lit(path)),
                    _triple(par, P["notation"], _lit(f"{symbol} {path}")),
                    _triple(par, P["text"], _lit(text)),
                    _triple(par, P["theme"], _iri(theme_iri(theme))),
                    _triple(par, P["addressee"], _iri(org_iri(body))),
                    _triple(par, P["derived"], span),
                    *self.span(res, span, start, quote),
                ]
            )
            provenance += 6
            lines.append(_triple(par, P["withinParagraph"], par))
            if parent is not None:
                lines.append(_triple(par, P["subParagraphOf"], parent.iri))
                lines.append(_triple(par, P["withinParagraph"], parent.iri))
            made = _Paragraph(par, path, theme, implemented=rng.random() < 0.8)
            paragraphs.append(made)
            return made

        for number in range(1, rng.randint(4, 12) + 1):
            theme = rng.choice(themes)
            top = paragraph(str(number), theme, None)
            if rng.random() < 0.35:
                for letter in "abcdefgh"[: rng.randint(2, 6)]:
                    paragraph(f"{number}.{letter}", theme, top)
        return lines, symbol, paragraphs, provenance

    # -- reports ----------------------------------------------------------------------------

    def report(
        self, year: int, symbol: str, paragraphs: list[_Paragraph]
    ) -> tuple[list[str], _Report]:
        """A report on one resolution, with one section per theme of its paragraphs."""
        rng = self.rng
        language = rng.choices(("en", "fr", "es"), (5, 3, 2))[0]
        slug = f"oas-sms-report-{year}-{self.stats.reports + 1:05d}"
        doc = _iri(document_iri(slug))
        rep = _Report(slug, doc, year, language, symbol, cursor=rng.randint(300, 1200))
        rep.paragraphs = [p for p in paragraphs if p.implemented]
        title = f"Report on the implementation of resolution {symbol}"
        lines = [
            _triple(doc, A, _iri(MG.Report)),
            _triple(doc, A, _iri(MG.Document)),
            _triple(doc, P["title"], _lit(title, "en")),
            _triple(doc, P["label"], _lit(title)),
            _triple(doc, P["language"], _lit(language)),
            _triple(doc, P["date"], _date(f"{year}-{rng.randint(1, 12):02d}-15")),
            _triple(doc, P["publisher"], _iri(org_iri(rng.choice(("SMS", "OAS-GS"))))),
            _triple(doc, P["recalls"], _iri(resolution_iri(symbol))),
        ]
        themes: dict[str, list[_Paragraph]] = {}
        for par in paragraphs:
            themes.setdefault(par.theme, []).append(par)
        for number, (theme, members) in enumerate(themes.items(), start=1):
            sec = _iri(section_iri(slug, number))
            rep.sections[theme] = (number, sec)
            lines += [
                _triple(sec, A, _iri(MG.Section)),
                _triple(sec, P["inDocument"], doc),
                _triple(sec, P["sectionNumber"], _lit(str(number))),
                _triple(sec, P["label"], _lit(THEMES[theme][0])),
                _triple(sec, P["theme"], _iri(theme_iri(theme))),
            ]
            # A section cites the top-level paragraphs of its theme (and a sub-paragraph or so).
            for par in members:
                if "." not in par.path or rng.random() < 0.3:
                    lines.append(_triple(sec, P["cites"], par.iri))
        return lines, rep

    # -- activities -------------------------------------------------------------------------

    def activity(
        self, rep: _Report, implements: list[_Paragraph], *, minimal: bool = False
    ) -> _Unit:
        """One activity with its span and reifications; ``minimal`` keeps only the core."""
        rng = self.rng
        theme = implements[0].theme if implements else rng.choice(list(rep.sections))
        section_number, section = rep.sections[theme]
        act = _iri(activity_iri(rep.slug, f"{section_number}-{rep.activities + 1}"))
        cls, cls_label = rng.choices(
            [(c, label) for c, label, _ in ACTIVITY_CLASSES], [w for *_, w in ACTIVITY_CLASSES]
        )[0]
        first = max(FIRST_YEAR, rep.year - rng.randint(0, 2))
        span_years = 1 if minimal else rng.choices((1, 2, 3), (65, 25, 10))[0]
        years = [y for y in range(first, first + span_years) if y <= LAST_YEAR]
        bodies = [rng.choices(self.body_keys, self.body_weights)[0]]
        partners: list[str] = []
        donors: list[str] = []
        beneficiaries: list[str] = []
        if not minimal:
            if rng.random() < 0.2:
                bodies = self.pick_distinct(self.body_keys, self.body_weights, 2)
            n_partners = rng.choices((0, 1, 2, 3), (40, 40, 15, 5))[0]
            partners = [
                str(org_iri(k))
                for k in self.pick_distinct(self.partner_keys, self.partner_weights, n_partners)
            ]
            if rng.random() < 0.15:  # a government as co-organizer (ATG, CAN in the seed)
                partners.append(str(state_iri(self.pick_states(1)[0])))
            if rng.random() < 0.35:
                k = 2 if rng.random() < 0.15 else 1
                donors = self.pick_distinct(list(DONORS), [float(w) for w in DONORS.values()], k)
            n_states = rng.choices((0, 1, 2, 3, 5, 9, 13), (10, 25, 20, 10, 15, 12, 8))[0]
            beneficiaries = self.pick_states(n_states)
        status = "completed"
        if years[-1] >= LAST_YEAR - 1:
            status = rng.choice(("planned", "ongoing"))
        elif rng.random() < 0.15:
            status = "ongoing"
        theme_en, theme_fr, theme_es = THEMES[theme]
        where = STATES[beneficiaries[0]] if beneficiaries else "the Caribbean"
        label = f"{cls_label} on {theme_en.lower()} in {where} ({years[0]})"
        names = dict(zip(("en", "fr", "es"), self.org_names[bodies[0]], strict=True))
        theme_names = {"en": theme_en.lower(), "fr": theme_fr.lower(), "es": theme_es.lower()}
        text = self.quote(
            rep.language,
            year=years[0],
            year2=min(LAST_YEAR, years[-1] + 1),
            kind=cls_label.lower(),
            org=names[rep.language],
            theme=theme_names[rep.language],
            state=where,
            donor=STATES[donors[0]] if donors else STATES["USA"],
            n=rng.randint(8, 250),
            par=implements[0].path if implements else "5",
            res=rep.symbol,
        )
        start = rep.cursor + rng.randint(1, 400)
        end = start + len(text)
        span = _iri(span_iri(rep.slug, start, end))
        lines = [
            _triple(act, A, _iri(MG[cls])),
            _triple(act, A, _iri(MG.Activity)),
            _triple(act, P["label"], _lit(label)),
            _triple(act, P["theme"], _iri(theme_iri(theme))),
            _triple(act, P["status"], _iri(status_iri(status))),
            _triple(act, P["reportedIn"], section),
            _triple(act, P["derived"], span),
            *self.span(rep.iri, span, start, text),
        ]
        provenance = 6
        statements = 0
        facts: list[tuple[str, str]] = []
        facts += [(P["implements"], par.iri) for par in implements]
        facts += [(P["conductedBy"], _iri(org_iri(b))) for b in bodies]
        facts += [(P["inPartnershipWith"], _iri(p)) for p in partners]
        facts += [(P["fundedBy"], _iri(state_iri(d))) for d in donors]
        facts += [(P["beneficiary"], _iri(state_iri(c))) for c in beneficiaries]
        for predicate, obj in facts:
            lines.append(_triple(act, predicate, obj))
            # Some facts are reified with their own evidence, as extraction does for
            # the ones a reader most often questions.
            if not minimal and rng.random() < 0.35:
                lines += self.reify(act, predicate, obj, span)
                provenance += 5
                statements += 1
        lines += [_triple(act, P["year"], _int(y)) for y in years]
        if not minimal:
            if rng.random() < 0.6:
                lines.append(_triple(act, P["participantCount"], _int(rng.randint(8, 250))))
            if rng.random() < 0.2:
                lines.append(_triple(act, P["activityCount"], _int(rng.randint(2, 6))))
        return _Unit(lines, provenance, statements, end)

    def add_activity(self, rep: _Report, implements: list[_Paragraph]) -> bool:
        """Write one activity if it fits (falling back to a minimal one); False when full."""
        state = self.rng.getstate()
        unit = self.activity(rep, implements)
        if not self.fits(unit.lines):
            # Restart from the same random state: the minimal variant is as deterministic.
            self.rng.setstate(state)
            unit = self.activity(rep, implements, minimal=True)
            if not self.fits(unit.lines):
                return False
        self.write(unit.lines, unit.provenance)
        rep.activities += 1
        rep.cursor = unit.end
        self.stats.activities += 1
        self.stats.spans += 1
        self.stats.statements += unit.statements
        if not implements:
            self.stats.activities_without_paragraph += 1
        for par in implements:
            par.activities += 1
        return True

    # -- the whole file ---------------------------------------------------------------------

    def run(self) -> Stats:
        rng = self.rng
        self.reference()
        current: _Report | None = None
        while True:
            year = rng.randint(FIRST_YEAR, LAST_YEAR - 1)
            res_lines, symbol, paragraphs, provenance = self.resolution(year)
            report_year = min(LAST_YEAR, year + rng.randint(1, 2))
            rep_lines, rep = self.report(report_year, symbol, paragraphs)
            if not self.fits(res_lines + rep_lines):
                break
            self.write(res_lines, provenance)
            self.write(rep_lines)
            self.stats.resolutions += 1
            self.stats.reports += 1
            self.stats.spans += len(paragraphs)
            self.stats.sections += len(rep.sections)
            self.stats.paragraphs += len(paragraphs)
            self.all_paragraphs.extend(paragraphs)
            current = rep
            # Every paragraph chosen for implementation gets one activity first ...
            full = False
            for par in rng.sample(rep.paragraphs, len(rep.paragraphs)):
                if not self.add_activity(rep, [par]):
                    full = True
                    break
            if full:
                break
            # ... then some more, a few implementing two paragraphs, a few none.
            for _ in range(round(len(rep.paragraphs) * rng.uniform(0.5, 2.0))):
                if not self.add_activity(rep, self.extra_targets(rep)):
                    full = True
                    break
            if full:
                break
        # The next resolution did not fit: top up with activities of the last report until
        # not even a minimal one fits, so the size lands within a dozen triples of target.
        while current is not None and self.add_activity(current, self.extra_targets(current)):
            pass
        self.stats.paragraphs_without_activity = sum(
            1 for par in self.all_paragraphs if par.activities == 0
        )
        return self.stats

    def extra_targets(self, rep: _Report) -> list[_Paragraph]:
        rng = self.rng
        if not rep.paragraphs:
            return []
        k = rng.choices((0, 1, 2), (10, 75, 15))[0]
        return rng.sample(rep.paragraphs, min(k, len(rep.paragraphs)))


def generate(out: Path, *, triples: int, seed: int = DEFAULT_SEED) -> Stats:
    """Write a synthetic graph of about ``triples`` triples to ``out`` (N-Triples).

    The file holds at most ``triples`` triples and at least ``triples`` minus the size of
    the smallest activity (13 triples). The same ``seed`` and ``triples`` give the same
    bytes.

    Args:
        out: the N-Triples file to write (its folder is created).
        triples: the target size, at least :data:`MIN_TRIPLES`.
        seed: seeds the one ``random.Random`` every choice is drawn from.

    Returns:
        Counts of what was written.
    """
    if triples < MIN_TRIPLES:
        raise ValueError(f"at least {MIN_TRIPLES} triples, not {triples}")
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write to a temporary name first: an interrupted run must not leave a short file
    # that a later benchmark would mistake for a complete one.
    partial = out.with_name(out.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as handle:
        stats = _Generator(handle, triples, seed).run()
    partial.replace(out)
    return stats


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.generate --triples 100k --out FILE``."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Write a deterministic synthetic mandategraph graph as N-Triples.",
    )
    parser.add_argument(
        "--triples", type=parse_size, required=True, help="target size: 10000, 10k, 1M ..."
    )
    parser.add_argument(
        "--out", type=Path, help="output file (default: benchmarks/data/synthetic-<size>.nt)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (42)")
    args = parser.parse_args(argv)
    out = args.out or default_path(args.triples)
    began = time.perf_counter()
    try:
        stats = generate(out, triples=args.triples, seed=args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    seconds = time.perf_counter() - began
    share = stats.provenance_triples / stats.triples
    print(
        f"{out}: {stats.triples:,} triples in {seconds:.1f} s (seed {args.seed}); "
        f"{stats.resolutions:,} resolutions, {stats.paragraphs:,} paragraphs "
        f"({stats.paragraphs_without_activity:,} without activity), {stats.reports:,} reports, "
        f"{stats.activities:,} activities, {stats.statements:,} reified statements; "
        f"provenance {share:.0%} of triples",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
