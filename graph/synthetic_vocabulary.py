"""The words of the synthetic corpus (:mod:`mandategraph.graph.synthetic_corpus`): states,
cities, OAS bodies, partners, funders, themes and kinds of activity in en, fr and es, as
the real reports write them."""

from __future__ import annotations

from typing import Any

#: States served, with their names per language (French with the article a sentence
#: uses) and a city that stands for the state.
STATES: dict[str, dict[str, str]] = {
    "ATG": {"en": "Antigua and Barbuda", "fr": "Antigua-et-Barbuda", "es": "Antigua y Barbuda",
            "city": "Saint John's"},
    "BHS": {"en": "The Bahamas", "fr": "les Bahamas", "es": "las Bahamas", "city": "Nassau"},
    "BRB": {"en": "Barbados", "fr": "la Barbade", "es": "Barbados", "city": "Bridgetown"},
    "BLZ": {"en": "Belize", "fr": "le Belize", "es": "Belice", "city": "Belmopan"},
    "DMA": {"en": "Dominica", "fr": "la Dominique", "es": "Dominica", "city": "Roseau"},
    "GRD": {"en": "Grenada", "fr": "la Grenade", "es": "Granada", "city": "St. George's"},
    "GUY": {"en": "Guyana", "fr": "le Guyana", "es": "Guyana", "city": "Georgetown"},
    "JAM": {"en": "Jamaica", "fr": "la Jamaïque", "es": "Jamaica", "city": "Kingston"},
    "KNA": {"en": "Saint Kitts and Nevis", "fr": "Saint-Kitts-et-Nevis",
            "es": "Saint Kitts y Nevis", "city": "Basseterre"},
    "LCA": {"en": "Saint Lucia", "fr": "Sainte-Lucie", "es": "Santa Lucía", "city": "Castries"},
    "VCT": {"en": "Saint Vincent and the Grenadines", "fr": "Saint-Vincent-et-les Grenadines",
            "es": "San Vicente y las Granadinas", "city": "Kingstown"},
    "SUR": {"en": "Suriname", "fr": "le Suriname", "es": "Suriname", "city": "Paramaribo"},
    "TTO": {"en": "Trinidad and Tobago", "fr": "la Trinité-et-Tobago",
            "es": "Trinidad y Tobago", "city": "Port of Spain"},
    "HND": {"en": "Honduras", "fr": "le Honduras", "es": "Honduras", "city": "Tegucigalpa"},
    "SLV": {"en": "El Salvador", "fr": "El Salvador", "es": "El Salvador",
            "city": "San Salvador"},
    "CRI": {"en": "Costa Rica", "fr": "le Costa Rica", "es": "Costa Rica", "city": "San José"},
}

#: Cities whose name changes with the language.
CITY_NAMES = {"Port of Spain": {"fr": "Port-d'Espagne", "es": "Puerto España"}}

#: OAS bodies that carry out activities: full name per language and acronym per language.
BODIES: dict[str, dict[str, tuple[str, str]]] = {
    "CICTE": {
        "en": ("Secretariat of the Inter-American Committee against Terrorism", "CICTE"),
        "fr": ("Secrétariat du Comité interaméricain contre le terrorisme", "CICTE"),
        "es": ("Secretaría del Comité Interamericano contra el Terrorismo", "CICTE"),
    },
    "CICAD": {
        "en": ("Executive Secretariat of the Inter-American Drug Abuse Control Commission",
               "CICAD"),
        "fr": ("Secrétariat exécutif de la Commission interaméricaine de lutte contre "
               "l'abus des drogues", "CICAD"),
        "es": ("Secretaría Ejecutiva de la Comisión Interamericana para el Control del "
               "Abuso de Drogas", "CICAD"),
    },
    "DPS": {
        "en": ("Department of Public Security", "DPS"),
        "fr": ("Département de la sécurité publique", "DSP"),
        "es": ("Departamento de Seguridad Pública", "DSP"),
    },
}

#: Partner organizations: name per language and acronym per language.
PARTNERS: dict[str, dict[str, tuple[str, str]]] = {
    "UNODC": {
        "en": ("United Nations Office on Drugs and Crime", "UNODC"),
        "fr": ("Office des Nations Unies contre la drogue et le crime", "ONUDC"),
        "es": ("Oficina de las Naciones Unidas contra la Droga y el Delito", "UNODC"),
    },
    "ICAO": {
        "en": ("International Civil Aviation Organization", "ICAO"),
        "fr": ("Organisation de l'aviation civile internationale", "OACI"),
        "es": ("Organización de Aviación Civil Internacional", "OACI"),
    },
    "IMO": {
        "en": ("International Maritime Organization", "IMO"),
        "fr": ("Organisation maritime internationale", "OMI"),
        "es": ("Organización Marítima Internacional", "OMI"),
    },
    "INTERPOL": {
        "en": ("International Criminal Police Organization", "INTERPOL"),
        "fr": ("Organisation internationale de police criminelle", "INTERPOL"),
        "es": ("Organización Internacional de Policía Criminal", "INTERPOL"),
    },
    "CARICOM-IMPACS": {
        "en": ("CARICOM Implementation Agency for Crime and Security", "CARICOM IMPACS"),
        "fr": ("Agence d'exécution de la CARICOM pour la criminalité et la sécurité",
               "CARICOM IMPACS"),
        "es": ("Agencia de Implementación para el Crimen y la Seguridad de la CARICOM",
               "CARICOM IMPACS"),
    },
    "UNDP": {
        "en": ("United Nations Development Programme", "UNDP"),
        "fr": ("Programme des Nations Unies pour le développement", "PNUD"),
        "es": ("Programa de las Naciones Unidas para el Desarrollo", "PNUD"),
    },
}

#: Governments that fund activities.
FUNDERS: dict[str, dict[str, str]] = {
    "CAN": {"en": "the Government of Canada", "fr": "le Gouvernement du Canada",
            "es": "el Gobierno del Canadá"},
    "USA": {"en": "the Government of the United States",
            "fr": "le Gouvernement des États-Unis", "es": "el Gobierno de los Estados Unidos"},
}

#: Section themes: heading per language, the activity topics, the body most likely to act.
THEMES: list[dict[str, Any]] = [
    {"en": "MARITIME AND PORT SECURITY", "fr": "SÛRETÉ MARITIME ET PORTUAIRE",
     "es": "SEGURIDAD MARÍTIMA Y PORTUARIA", "body": "CICTE",
     "topic": {"en": "port facility security assessments",
               "fr": "l'évaluation de la sûreté des installations portuaires",
               "es": "la evaluación de la seguridad de las instalaciones portuarias"}},
    {"en": "CYBER SECURITY", "fr": "CYBERSÉCURITÉ", "es": "SEGURIDAD CIBERNÉTICA",
     "body": "CICTE",
     "topic": {"en": "the management of cyber security incidents",
               "fr": "la gestion des incidents de cybersécurité",
               "es": "la gestión de incidentes de seguridad cibernética"}},
    {"en": "DRUG DEMAND REDUCTION", "fr": "RÉDUCTION DE LA DEMANDE DE DROGUES",
     "es": "REDUCCIÓN DE LA DEMANDA DE DROGAS", "body": "CICAD",
     "topic": {"en": "the prevention and treatment of drug dependence",
               "fr": "la prévention et le traitement de la toxicomanie",
               "es": "la prevención y el tratamiento de la drogodependencia"}},
    {"en": "FIREARMS CONTROL", "fr": "CONTRÔLE DES ARMES À FEU",
     "es": "CONTROL DE ARMAS DE FUEGO", "body": "DPS",
     "topic": {"en": "the marking and tracing of firearms",
               "fr": "le marquage et le traçage des armes à feu",
               "es": "el marcaje y el rastreo de armas de fuego"}},
    {"en": "VIOLENCE AND CRIME PREVENTION",
     "fr": "PRÉVENTION DE LA VIOLENCE ET DE LA CRIMINALITÉ",
     "es": "PREVENCIÓN DE LA VIOLENCIA Y LA DELINCUENCIA", "body": "DPS",
     "topic": {"en": "the prevention of youth violence and gangs",
               "fr": "la prévention de la violence chez les jeunes et des bandes",
               "es": "la prevención de la violencia juvenil y las pandillas"}},
    {"en": "BORDER AND DOCUMENT SECURITY",
     "fr": "SÉCURITÉ DES FRONTIÈRES ET DES DOCUMENTS DE VOYAGE",
     "es": "SEGURIDAD FRONTERIZA Y DE DOCUMENTOS DE VIAJE", "body": "CICTE",
     "topic": {"en": "the detection of fraudulent travel documents",
               "fr": "la détection des documents de voyage frauduleux",
               "es": "la detección de documentos de viaje fraudulentos"}},
]

#: Kinds of activity: the noun phrase per language.
ACTIVITY_KINDS: list[dict[str, str]] = [
    {"en": "a sub-regional workshop on", "fr": "un atelier sous-régional sur",
     "es": "un taller subregional sobre"},
    {"en": "a national training course on", "fr": "un cours national de formation sur",
     "es": "un curso nacional de capacitación sobre"},
    {"en": "a technical assistance mission on", "fr": "une mission d'assistance technique sur",
     "es": "una misión de asistencia técnica sobre"},
    {"en": "a seminar on", "fr": "un séminaire sur", "es": "un seminario sobre"},
]

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
}

#: Participant counts the reports write in words (sentence-initial).
NUMBER_WORDS = {
    "en": {21: "Twenty-one", 27: "Twenty-seven", 32: "Thirty-two", 40: "Forty"},
    "fr": {21: "Vingt et un", 27: "Vingt-sept", 32: "Trente-deux", 40: "Quarante"},
    "es": {21: "Veintiún", 27: "Veintisiete", 32: "Treinta y dos", 40: "Cuarenta"},
}

