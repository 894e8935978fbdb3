"""Activities as events: what was done, by whom, with whom, for whom, when, under which mandate.

The unit of reading is the sentence (every fact keeps the sentence it came from).
A sentence holds *triggers*, nouns of the activity taxonomy ("atelier", "training",
"capacitación", "trois évaluations", "des bourses") or a few verbs of assistance
("a aidé", "assisted"). Each trigger is read with its determiner:

* **new** (un / des / plusieurs / trois / a / several / una / varios, or an ordinal):
  it introduces an activity;
* **anaphoric** (ce / cette / these / este, or the definite article, or "ce projet"):
  it refers back, and what its sentence adds (states, participants, partners) goes
  to the previous activity of the section;
* **weak** (a complement, "l’exécution des activités de formation"): it only
  refines the type of the activity it belongs to.

A sentence can hold several activities ("un atelier ... à Antigua-et-Barbuda, une
activité d’assistance technique ... ainsi qu’une conférence ... au Guyana"): each new
trigger with names of its own owns the text up to the next trigger.

Roles come from the wording before a name ("en collaboration avec", "avec le
soutien financier de", "à la demande de", "par le biais de", "funded by", "con el
apoyo de") and carry along a list ("avec la TSA et l’OACI"). An OAS body that is
the subject of the sentence conducts; "le Secrétariat" / "nous" / "l’OEA" are the
umbrella: they stand for the body the section is about (the last one named as
conducting) or, at the start, for the report's author. A body that another
conducting body belongs to (SMS above CICTE, CICAD above OID) is dropped, as the
report names the one that did the work.

Status is *planned* on cues such as "compte" + infinitive, "conduira", "restant à
être déterminés", "will hold", "se llevará a cabo"; *ongoing* on "depuis", "dès",
"en ce moment", "since", "desde"; else *completed*. The mandate is the sentence's own
citation, else the last one cited in the section before it; a section that cites
nothing gives none.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from mandategraph.graph.extraction.actors import Mention, fold, org_ancestors, org_kind
from mandategraph.graph.extraction.citations import Citation
from mandategraph.graph.extraction.numbers import NUMBER_PATTERN, parse_number
from mandategraph.graph.extraction.segment import Segmentation, Sentence

Span = tuple[int, int]

# ---------------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------------

#: trigger noun (regex, case-insensitive, word-bounded) -> activity type ("" = generic)
_TRIGGERS: dict[str, list[tuple[str, str]]] = {
    "fr": [
        (r"assistance\s+technique|aide\s+technique|appui\s+technique", "TechnicalAssistance"),
        (
            r"mise\s+à\s+disposition\s+d['’]équipements?|équipements?|machines?\s+de\s+marquage",
            "EquipmentProvision",
        ),
        (r"tables?\s+rondes?", "Meeting"),
        (r"formations?|cours|stages?\s+de\s+formation", "Training"),
        (r"ateliers?|séminaires?", "Workshop"),
        (r"réunions?|conférences?|exposés?|rencontres?", "Meeting"),
        (r"évaluations?|diagnostics?", "Assessment"),
        (r"études?|analyses?|recherches?|sondages?|enquêtes?", "Study"),
        (r"exercices?|simulations?", "Exercise"),
        (r"bourses?", "Scholarship"),
        (r"programmes?|projets?", "Programme"),
        (
            r"activités?|initiatives?|collaboration\s+continue|efforts|manifestations?|événements?",
            "",
        ),
    ],
    "en": [
        (r"technical\s+assistance|technical\s+support", "TechnicalAssistance"),
        (r"provision\s+of\s+equipment|equipment|marking\s+machines?", "EquipmentProvision"),
        (r"round\s*tables?", "Meeting"),
        (r"trainings?|courses?", "Training"),
        (r"workshops?|seminars?", "Workshop"),
        (r"meetings?|conferences?|presentations?", "Meeting"),
        (r"assessments?|evaluations?|diagnostics?", "Assessment"),
        (r"study|studies|analysis|analyses|research|surveys?", "Study"),
        (r"exercises?|simulations?|drills?", "Exercise"),
        (r"scholarships?|fellowships?", "Scholarship"),
        (r"programmes?|programs?|projects?", "Programme"),
        (r"activity|activities|initiatives?|events?", ""),
    ],
    "es": [
        (r"asistencia\s+técnica|apoyo\s+técnico|cooperación\s+técnica", "TechnicalAssistance"),
        (
            r"equipos?\s+de\s+marcaje|equipamiento|máquinas?\s+de\s+marcaje|equipos",
            "EquipmentProvision",
        ),
        (r"mesas?\s+redondas?", "Meeting"),
        (r"capacitaci(?:ón|ones)|cursos?|formación|entrenamientos?", "Training"),
        (r"taller(?:es)?|seminarios?", "Workshop"),
        (r"reuni(?:ón|ones)|conferencias?|presentaci(?:ón|ones)|encuentros?", "Meeting"),
        (r"evaluaci(?:ón|ones)|diagnósticos?", "Assessment"),
        (r"estudios?|análisis|investigaci(?:ón|ones)|encuestas?", "Study"),
        (r"ejercicios?|simulacros?|simulaciones?", "Exercise"),
        (r"becas?", "Scholarship"),
        (r"programas?|proyectos?", "Programme"),
        (r"actividad(?:es)?|iniciativas?|eventos?|esfuerzos", ""),
    ],
}
# Verbs of assistance that introduce an activity by themselves.
_VERB_TRIGGERS = {
    "fr": r"\b(?:a|ont|avait|avaient)\s+(?:\w+ment\s+)?(?:aidé|soutenu)\b",
    "en": r"\b(?:has|have|had)\s+(?:\w+ly\s+)?(?:assisted|helped|supported)\b|"
    r"\b(?:assisted|helped|supported)\b(?!\s+by)",
    "es": r"\b(?:ha|han|había|habían)\s+(?:\w+mente\s+)?(?:apoyado|asistido|ayudado)\b|"
    r"\b(?:apoyó|asistió|ayudó)\b",
}
_DEMONSTRATIVE = re.compile(
    r"(?:\b(?:ce|cet|cette|ces|this|these|those|este|esta|estos|estas|dicho|dicha|dichos|dichas|"
    r"ese|esa|esos|esas|said)\s+(?:[\w-]+\s+)?)$",
    re.I,
)
_SUCH = re.compile(r"\b(?:un|une)\s+tel(?:le)?\s+$|\bsuch\s+an?\s+$|\b(?:un|una)\s+tal\s+$", re.I)
_INDEFINITE = re.compile(
    r"(?:(?:^|\s|[’'])(?:un|une|des|plusieurs|d['’]autres|de\s+nouveaux|de\s+nouvelles|"
    r"une\s+série\s+d['’]|une\s+série\s+de|a|an|several|some|other|further|new|a\s+series\s+of|"
    r"a\s+number\s+of|un|una|unos|unas|varios|varias|otros|otras|diversos|diversas|"
    r"una\s+serie\s+de|numerosos|numerosas|nombreux|nombreuses|many|various)\s+"
    r"(?:[\w-]+\s+)?)$",
    re.I,
)
_ORDINAL = re.compile(
    r"\b(?:la|le|l['’]|the|el|la)?\s*(?:\w+ième|\w+ieme|premi(?:er|ère)|first|second|third|\w+th|"
    r"primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]|séptim[oa]|octav[oa])\s+$",
    re.I,
)
_DEFINITE = re.compile(
    r"(?:\b(?:le|la|les|du|au|aux|the|el|los|las|del|al|son|sa|ses|leur|leurs|its|their|su|sus)|"
    r"\bl['’]|\bd['’]|\bdes)\s*(?:[\w-]+\s+)?$",
    re.I,
)
_BARE_DE = re.compile(r"(?:\bde|\bd['’]|\bof|\bdes)\s*$", re.I)
_VERBISH = re.compile(
    r"(?:é|ée|és|ées|i|is|ie|ies|u|us|ue|ues|it|er|ir|re|ado|ada|ados|adas|ido|ida|idos|idas|ar|ed)$"
)
_NOMINAL = re.compile(r"(?:tion|sion|ment|ence|ance|age|ure|ité|cadre|but|objectif|série)$")
_PREPOSITION_NEW = re.compile(r"(?:^|\s)(?:à|a|pour|avec|sans|to|for|with|para|con|en|on|sur)\s*$")
_ADVERBS = re.compile(
    r"\s+(?:également|aussi|notamment|ainsi|activement|officiellement|also|further|additionally|"
    r"actively|officially|también|además|asimismo|activamente|oficialmente)(?=\s)",
    re.I,
)
_SERIES = re.compile(
    r"\b(?:une\s+série|un\s+ensemble|plusieurs|a\s+series|a\s+number|a\s+set|una\s+serie|"
    r"un\s+conjunto)\s+(?:d['’]|de|of)\s*$",
    re.I,
)
_COUNT_BEFORE = re.compile(rf"(?P<n>{NUMBER_PATTERN})\s+(?:[\w-]+\s+)?$", re.I)
_SINGULAR = re.compile(r"(?:^|\s|['’])(?:un|une|a|an|uno|una)\s+(?:[\w-]+\s+)?$", re.I)
_PROVISION = re.compile(r"mise\s+à\s+disposition|provision\s+of|suministro\s+de|entrega\s+de", re.I)
_ONE = frozenset({"un", "une", "a", "an", "una", "uno", "one"})
_ACTION_NOUN = re.compile(
    r"(?:organisation|organization|organización|réalisation|realización|tenue|exécution|ejecución|"
    r"lancement|launch|conduct|celebración|mise|implementation|mise en place|holding|delivery)$"
)
_ACTION_VERB = re.compile(
    r"\b(?:entrepris|mené|menée?s?|réalisée?s?|organisée?s?|exécutée?s?|conduite?s?|mise?s?\s+en\s+"
    r"(?:place|œuvre|oeuvre|application)|mettre\s+en\s+(?:place|œuvre|application)|lancée?s?|"
    r"développée?s?|dispensée?s?|tenue?s?|effectuée?s?|opérée?s?|continuer|poursuivre|"
    r"carried\s+out|undert(?:ook|aken)|conducted|organi[sz]ed|implemented|launched|held|delivered|"
    r"performed|set\s+up|continue|realiz\w+|llev\w+\s+a\s+cabo|organiz\w+|ejecut\w+|"
    r"implement\w+|lanz\w+|desarroll\w+|impart\w+|celebr\w+|continuar)\b",
    re.I,
)
_DETERMINERS = {
    "fr": frozenset(
        "le la les un une des du au aux ce cet cette ces son sa ses leur leurs".split()
    ),
    "en": frozenset("the a an this these its their".split()),
    "es": frozenset("el la los las un una unos unas del al este esta estos estas su sus".split()),
}
_COPULA = re.compile(
    r"\b(?:est|sont|is|are|was|were|es|son|fue|era)\s+(?:une?|an?|una?|la|le|the)\s+$", re.I
)

_PARTICIPANT_NOUNS = (
    r"(?:officiels?|participants?|participantes?|responsables?|professionnels?|points\s+focaux|"
    r"agents?|fonctionnaires?|délégués?|personnes?|experts?|policiers?|douaniers?|juges|procureurs|"
    r"officials?|officers?|professionals?|people|persons?|delegates?|experts?|focal\s+points|"
    r"trainees?|students?|funcionari[oa]s?|personas?|oficiales?|profesionales?|delegad[oa]s?|"
    r"expert[oa]s?|puntos\s+focales|agentes?|policías?|jueces|fiscales|estudiantes?)"
)
_PARTICIPANTS = re.compile(
    rf"(?P<num>{NUMBER_PATTERN})\s+(?:(?!(?:de|des|du|d|pour|para|for|of|sur|on|en|in|à|a|with|avec|"
    rf"con|sobre|to|los|las|les|the|el|la|le|et|y)\b)[\w’'-]+\s+|(?:and|et|y)\s+(?=[\w-]+\s+[\w-]+))"
    rf"{{0,4}}?{_PARTICIPANT_NOUNS}\b",
    re.I,
)
_STATE_COUNT_NOUNS = re.compile(
    r"^\s*(?:[\w-]+\s+)?(?:États|pays|states|countries|Estados|países)\b", re.I
)

_MONTHS: dict[str, int] = {}
for _names in (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "january february march april may june july august september october november december",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
):
    for _index, _name in enumerate(_names.split(), start=1):
        _MONTHS[_name] = _index
_MONTHS["setiembre"] = 9
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_SINCE = re.compile(
    rf"\b(?:dès|depuis|since|desde|a\s+partir\s+de|à\s+partir\s+de|from)\s+(?:(?:le\s+)?(?:mois\s+de\s+)?"
    rf"(?P<month>{_MONTH_ALT})\s+(?:de\s+|of\s+)?)?(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
_MONTH_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})\s+(?:de\s+|of\s+)?(?P<year>(?:19|20)\d\d)\b", re.I
)
_YEAR = re.compile(r"(?<![\d/])(?P<year>(?:19|20)\d\d)(?![\d/])")
_YEAR_RANGE = re.compile(
    r"\b(?:de|from|entre|between|du)\s+(?P<a>(?:19|20)\d\d)\s+(?:à|au|to|a|y|and|et|-)\s+"
    r"(?P<b>(?:19|20)\d\d)\b",
    re.I,
)

_PLANNED = {
    "fr": r"\bcompte(?:nt)?\s+(?!tenu)(?:\w+\s+)?\w+(?:er|ir|re)\b|\bconduir(?:a|ont)\b|"
    r"\borganiser(?:a|ont)\b|\bmèner(?:a|ont)\b|\bréaliser(?:a|ont)\b|\btiendr(?:a|ont)\b|"
    r"\bdispenser(?:a|ont)\b|\bfournir(?:a|ont)\b|\blancer(?:a|ont)\b|\bentreprendr(?:a|ont)\b|"
    r"\bser(?:a|ont)\s+(?:organisée?s?|dirigée?s?|menée?s?|réalisée?s?|tenue?s?|lancée?s?|dispensée?s?)|"
    r"\baur(?:a|ont)\s+lieu\b|restant\s+(?:encore\s+)?à\s+(?:être\s+)?détermin|\bà\s+déterminer\b|"
    r"\bprévue?s?\s+(?:pour|en|au)\b|\benvisag(?:e|ent)\s+de\b|\bprochains\s+mois\b|\bprochainement\b|"
    r"\bprojette\s+de\b|\ba\s+l['’]intention\s+de\b",
    "en": r"\bwill\s+(?:also\s+)?(?:be\s+(?:held|organized|organised|conducted|delivered|"
    r"led|carried|"
    r"launched|provided)|hold|organi[sz]e|conduct|carry\s+out|deliver|provide|launch|take\s+place|"
    r"undertake|continue|lead|host)\b|\b(?:is|are)\s+(?:planned|scheduled|expected\s+to)\b|"
    r"\bplans?\s+to\b|\bintends?\s+to\b|\bto\s+be\s+(?:determined|defined|scheduled|confirmed)\b|"
    r"\bupcoming\b|\bin\s+the\s+coming\s+months\b|\bnext\s+year\b",
    "es": r"\b(?:se\s+)?prevé\b|\btiene\s+previsto\b|\bestá\s+previst[oa]\b|"
    r"\bse\s+llevará\s+a\s+cabo\b|"
    r"\bllevará\s+a\s+cabo\b|\b(?:realizará|realizarán|organizará|organizarán|impartirá|impartirán|"
    r"celebrará|celebrarán|ejecutará|ejecutarán|desarrollará|brindará|proporcionará|ofrecerá|"
    r"conducirá|dirigirá)\b|\btendrá\s+lugar\b|\bpor\s+(?:determinar|definir|confirmar)\b|"
    r"\bpróximos\s+meses\b|\bplanea\b|\bproyecta\b",
}
_ONGOING = {
    "fr": r"\b(?:depuis|dès|en\s+ce\s+moment|actuellement|en\s+cours\s+d['’]exécution)\b|"
    r"\bcontinue(?:nt)?\s+(?:de|à)\b|\bpoursui(?:t|vent)\b",
    "en": r"\b(?:since|ongoing|currently|at\s+present|continues\s+to|is\s+being|are\s+being)\b",
    "es": r"\b(?:desde|actualmente|en\s+curso|continúa|sigue|viene\s+\w+ndo)\b",
}

# Role cues, right before a name (or a list of names).
_CUES: dict[str, list[tuple[str, str]]] = {
    "fr": [
        (
            "funder",
            r"avec\s+le\s+soutien\s+financier\s+d|financée?s?\s+par|grâce\s+au\s+financement\s+d|"
            r"avec\s+le\s+financement\s+d|contribution\s+financière\s+d|financement\s+(?:fourni|octroyé)\s+par",
        ),
        (
            "requester",
            r"à\s+la\s+demande\s+(?:et\s+avec\s+le\s+soutien\s+)?d|sur\s+(?:la\s+)?demande\s+d",
        ),
        (
            "partner",
            r"en\s+collaboration\s+avec|en\s+partenariat\s+avec|partenariat\s+avec|"
            r"collaboration\s+(?:\w+\s+)?avec|collaboré\s+avec|de\s+concert\s+avec|conjointement\s+avec|"
            r"avec\s+le\s+soutien\s+d|avec\s+l['’]appui\s+d|avec\s+l['’]assistance\s+d|"
            r"effort\s+conjoint\s+avec|en\s+coopération\s+avec|en\s+association\s+avec|accord\s+avec|"
            r"collaboration\s+entre|devant|avec",
        ),
        (
            "conductor",
            r"par\s+le\s+biais\s+d|par\s+l['’]intermédiaire\s+d|à\s+travers|"
            r"dispensée?s?\s+par|organisée?s?\s+par|menée?s?\s+par|réalisée?s?\s+par|exécutée?s?\s+par|"
            r"collaboration\s+d|intégration\s+et\s+la\s+collaboration\s+d|soutien\s+d",
        ),
        ("leader", r"dirigée?s?\s+par|sous\s+la\s+direction\s+d|coordonnée?s?\s+par"),
    ],
    "en": [
        (
            "funder",
            r"funded\s+by|financed\s+by|with\s+(?:the\s+)?financial\s+support\s+(?:of|from)|"
            r"with\s+funding\s+from|thanks\s+to\s+(?:the\s+)?funding\s+(?:of|from)|sponsored\s+by",
        ),
        (
            "requester",
            r"at\s+the\s+request\s+of|upon\s+(?:the\s+)?request\s+of|as\s+requested\s+by",
        ),
        (
            "partner",
            r"in\s+partnership\s+with|in\s+collaboration\s+with|in\s+cooperation\s+with|"
            r"in\s+coordination\s+with|jointly\s+with|together\s+with|with\s+the\s+support\s+of|"
            r"with\s+the\s+assistance\s+of|partnered\s+with|worked\s+with|collaborated\s+with|"
            r"agreement\s+with|partnership\s+(?:\w+\s+)?with|before|with",
        ),
        (
            "conductor",
            r"through|by\s+means\s+of|via|delivered\s+by|organi[sz]ed\s+by|conducted\s+by|"
            r"carried\s+out\s+by|implemented\s+by|hosted\s+by|provided\s+by|by",
        ),
        ("leader", r"led\s+by|under\s+the\s+(?:leadership|direction)\s+of|coordinated\s+by"),
    ],
    "es": [
        (
            "funder",
            r"financiad[oa]s?\s+por|con\s+(?:el\s+)?apoyo\s+financiero\s+de|"
            r"con\s+(?:el\s+)?financiamiento\s+de|con\s+fondos\s+de|gracias\s+al\s+financiamiento\s+de",
        ),
        (
            "requester",
            r"a\s+solicitud\s+de|a\s+petición\s+de|a\s+pedido\s+de|a\s+requerimiento\s+de",
        ),
        (
            "partner",
            r"en\s+colaboración\s+con|en\s+asociación\s+con|en\s+coordinación\s+con|"
            r"en\s+cooperación\s+con|conjuntamente\s+con|junto\s+con|con\s+el\s+apoyo\s+de|"
            r"con\s+la\s+colaboración\s+de|con\s+la\s+asistencia\s+de|acuerdo\s+con|ante|con",
        ),
        (
            "conductor",
            r"a\s+través\s+de|por\s+medio\s+de|por\s+conducto\s+de|mediante|"
            r"impartid[oa]s?\s+por|organizad[oa]s?\s+por|realizad[oa]s?\s+por|ejecutad[oa]s?\s+por|por",
        ),
        (
            "leader",
            r"dirigid[oa]s?\s+por|bajo\s+la\s+(?:dirección|coordinación)\s+de|coordinad[oa]s?\s+por",
        ),
    ],
}
# What may stand between a cue and a name, or between two names of one list.
_GLUE = re.compile(
    r"^[\s,;()]*(?:(?:et|and|y|e|ou|or|as\s+well\s+as|ainsi\s+que|así\s+como)\s+)?"
    r"(?:(?:avec|with|con)\s+)?(?:(?:le|la|l['’]|les|du|de|des|d['’]|de\s+la|the|el|los|las|del|au|aux|"
    r"a\s+la|al|of|e|u|es|s|['’])\s*)*"
    r"(?:(?:gouvernement|government|gobierno)s?\s*(?:(?:du|de\s+la|de\s+l['’]|des|d['’]|de|of\s+the|of|"
    r"del|de\s+los|de\s+las)\s*)?)?[\s(]*$",
    re.I,
)
_SUBJECT_AFTER = re.compile(
    r"^\s*(?:\([^)]{0,40}\)\s*)?(?:,[^,]{0,60},\s*)?(?:a|ont|avait|avaient|has|have|had|ha|han|"
    r"había|habían|fournit|fournissent|œuvre|oeuvre|organise|mène|exécute|provides|organizes|"
    r"organises|conducts|works|delivers|brinda|organiza|realiza|ejecuta|trabaja|presta|organized|"
    r"organised|delivered|conducted|carried|held|provided|supported|implemented|launched|will|"
    r"realizó|organizó|impartió|ejecutó|llevó|apoyó|brindó|"
    r"also|également|también)\b(?!\s+(?:été|been|sido))",
    re.I,
)
_NOT_ACTING = re.compile(
    r"^\s*(?:est|is|está|sont|are|están)\s+(?:\w+\s+)?(?:dispos|ready|willing|dispuest)|"
    r"^\s*(?:souhaite|wishes|desea|espère|hopes|espera)",
    re.I,
)
_POSSESSIVE_BEFORE = re.compile(
    r"(?:\bde|\bdu|\bdes|\bd['’]|\bof|\bof\s+the|\bdel)\s*(?:l['’]|la|le|les|the|el|los|las)?\s*$",
    re.I,
)
_EXCEPT = re.compile(
    r"(?:à\s+l['’]exception\s+d|sauf|excepté|except(?:\s+for)?|with\s+the\s+exception\s+of|"
    r"excepto|salvo|a\s+excepción\s+de|con\s+excepción\s+de)[\w’'\s]{0,12}$",
    re.I,
)
_AFFILIATION = re.compile(
    r"(?:représentant(?:e)?s?|ambassad(?:eur|rice)|ambassador|"
    r"representative|representante(?:s)?|embajador(?:a)?|ministre|minister|"
    r"ministro)\s+(?:permanent\w*\s+)?(?:de|d['’]|du|of|del)\s*(?:l['’]|la|le|the|el)?\s*$",
    re.I,
)
_LOCATIVE = re.compile(
    r"(?:\bà|\bau|\baux|\ben|\bin|\bat|\bdans)\s*(?:la|le|l['’]|les|the)?\s*$", re.I
)
_UMBRELLA = {
    "fr": re.compile(
        r"\b(?:le|du|au)\s+Secrétariat\b(?!\s+(?:général|exécutif|du|de|à|aux|pour))|\bnous\b", re.I
    ),
    "en": re.compile(r"\bthe\s+Secretariat\b(?!\s+(?:for|of|General|general))|\bwe\b", re.I),
    "es": re.compile(
        r"\bla\s+Secretaría\b(?!\s+(?:General|general|Ejecutiva|ejecutiva|de|del))|\bhemos\b", re.I
    ),
}
_ANAPHORIC_PHRASE = {
    "fr": re.compile(
        r"\b(?:cette|ces|ce|cet)\s+(?:initiative|projet|programme|activité|effort)s?\b", re.I
    ),
    "en": re.compile(
        r"\b(?:this|these|that|the)\s+(?:initiative|project|programme|program|activity)s?\b", re.I
    ),
    "es": re.compile(
        r"\b(?:esta|este|estas|estos|dicha|dicho)\s+(?:iniciativa|proyecto|programa|actividad)(?:es|s)?\b",
        re.I,
    ),
}
_PARTICIPATION_VERB = re.compile(
    r"\b(?:particip\w+|took\s+part|attended|were\s+trained|trained|formés|ont\s+assisté|"
    r"asistieron|capacitad[oa]s|fueron\s+capacitad[oa]s)\b",
    re.I,
)
_PARTICIPATION = re.compile(
    r"\b(?:particip\w+|bénéfici\w+|benefit\w+|benefici\w+|ont\s+reçu|received|recibieron)\b", re.I
)


@dataclass(frozen=True)
class _Compiled:
    triggers: list[tuple[re.Pattern[str], str]]
    verbs: re.Pattern[str]
    cues: list[tuple[str, re.Pattern[str]]]
    planned: re.Pattern[str]
    ongoing: re.Pattern[str]


@functools.lru_cache(maxsize=8)
def _compiled(lang: str) -> _Compiled:
    """The per-language patterns, compiled once per process (compiling costs ~0.1 s)."""
    return _Compiled(
        triggers=[
            (re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I), kind)
            for pattern, kind in _TRIGGERS[lang]
        ],
        verbs=re.compile(_VERB_TRIGGERS[lang], re.I),
        cues=[(role, re.compile(rf"\b(?:{pattern})", re.I)) for role, pattern in _CUES[lang]],
        planned=re.compile(_PLANNED[lang], re.I),
        ongoing=re.compile(_ONGOING[lang], re.I),
    )


@dataclass
class Trigger:
    """A word of the activity taxonomy in a sentence."""

    start: int
    end: int
    type: str
    det: str  # new | demo | ana | weak
    count: int | None = None
    count_span: Span | None = None
    singular: bool = False


@dataclass
class Activity:
    """An activity read from a report, every fact with the sentence span it came from."""

    local: str
    section: str
    type: str
    label: str
    trigger: Span
    paragraph: int
    spans: list[Span] = field(default_factory=list)
    conducted_by: dict[str, Span] = field(default_factory=dict)
    partners: dict[str, tuple[str, Span]] = field(default_factory=dict)  # code -> (kind, span)
    funders: dict[str, tuple[str, Span]] = field(default_factory=dict)
    requesters: dict[str, tuple[str, Span]] = field(default_factory=dict)
    beneficiaries: dict[str, Span] = field(default_factory=dict)
    held_in_states: dict[str, Span] = field(default_factory=dict)
    places: dict[str, tuple[Mention, Span]] = field(default_factory=dict)
    persons: dict[str, tuple[Mention, Span]] = field(default_factory=dict)
    instruments: dict[str, Span] = field(default_factory=dict)
    years: dict[int, Span] = field(default_factory=dict)
    start_date: tuple[str, str, Span] | None = None  # (lexical, "gYear"|"gYearMonth", span)
    end_date: tuple[str, str, Span] | None = None
    participants: tuple[int, Span] | None = None
    count: tuple[int, Span] | None = None
    status: tuple[str, Span] = ("completed", (0, 0))
    mandates: list[tuple[str, str, Span]] = field(default_factory=list)
    umbrella: bool = False  # "le Secrétariat" / "nous" is among its subjects

    def actors(self) -> set[str]:
        """Codes of every organization or state acting in it (for partnership pairs)."""
        return (
            set(self.conducted_by) | set(self.partners) | set(self.funders) | set(self.requesters)
        )


@dataclass
class _Role:
    mention: Mention
    role: str  # conductor | partner | funder | requester | leader | subject | none
    dup: bool = False  # the same name again, e.g. its acronym in parentheses


class ActivityReader:
    """Reads the activities of one document (see the module docstring)."""

    def __init__(
        self,
        *,
        text: str,
        lang: str,
        segmentation: Segmentation,
        citations: list[Citation],
        mentions: list[Mention],
        registry: Any,
        self_org: str | None,
    ) -> None:
        self.text = text
        self.lang = lang if lang in _TRIGGERS else "en"
        self.seg = segmentation
        # sorted, with start offsets for bisect: a 10 MB report has 100k mentions
        self.citations = sorted(citations, key=lambda c: c.start)
        self._citation_starts = [c.start for c in self.citations]
        self.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self._mention_starts = [m.start for m in self.mentions]
        self.registry = registry
        self.self_org = self_org
        self.masks = sorted({(c.start, c.mask_end) for c in citations})
        self._mask_starts = [s for s, _ in self.masks]
        self._longest_mask = max((e - s for s, e in self.masks), default=0)
        compiled = _compiled(self.lang)
        self.triggers_re = compiled.triggers
        self.verb_re = compiled.verbs
        self.cues = compiled.cues
        self.planned = compiled.planned
        self.ongoing = compiled.ongoing
        self.activities: list[Activity] = []

    # -- helpers -------------------------------------------------------------------

    def _unmasked(self, start: int, end: int) -> str:
        """``text[start:end]`` with citation regions (quoted mandates) blanked."""
        chars = list(self.text[start:end])
        for s, e in self._masks_near(start, end):
            for i in range(max(s, start), min(e, end)):
                chars[i - start] = " "
        return "".join(chars)

    def _masks_near(self, start: int, end: int) -> list[Span]:
        low = bisect.bisect_left(self._mask_starts, start - self._longest_mask)
        high = bisect.bisect_left(self._mask_starts, end)
        return self.masks[low:high]

    def _masked(self, start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in self._masks_near(start, end))

    def _mentions_in(self, start: int, end: int) -> list[Mention]:
        low = bisect.bisect_left(self._mention_starts, start)
        high = bisect.bisect_left(self._mention_starts, end)
        return self.mentions[low:high]

    def _triggers(self, sentence: Sentence) -> list[Trigger]:
        text = self.text
        found: list[Trigger] = []
        taken: list[Span] = [
            (m.start, m.end)
            for m in self._mentions_in(sentence.start, sentence.end)
            if m.kind in ("organization", "instrument", "candidate")
        ]
        for regex, kind in self.triggers_re:
            for match in regex.finditer(text, sentence.start, sentence.end):
                s, e = match.start(), match.end()
                if self._masked(s, e) or any(s < te and ts < e for ts, te in taken):
                    continue
                found.append(self._classify(sentence, s, e, kind))
                taken.append((s, e))
        for match in self.verb_re.finditer(text, sentence.start, sentence.end):
            s, e = match.start(), match.end()
            if self._masked(s, e) or any(s < te and ts < e for ts, te in taken):
                continue
            found.append(Trigger(s, e, "TechnicalAssistance", "new"))
            taken.append((s, e))
        found.sort(key=lambda t: t.start)
        # "programme de formation", "activité d'assistance technique": the specific
        # word names the type of the generic one
        merged: list[Trigger] = []
        for trig in found:
            if (
                merged
                and merged[-1].type in ("", "Programme")
                and trig.type not in ("", "Programme")
            ):
                gap = text[merged[-1].end : trig.start]
                if re.fullmatch(
                    r"\s*(?:de|d['’]|of|for|para|en\s+matière\s+de|de\s+la)\s*[“\"«]?\s*", gap, re.I
                ):
                    merged[-1].type = trig.type
                    merged[-1].end = trig.end
                    continue
            if (
                merged
                and merged[-1].type == trig.type
                and re.fullmatch(r"\s+", text[merged[-1].end : trig.start])
            ):
                merged[-1].end = trig.end  # "training courses": one thing
                continue
            merged.append(trig)
        for trig in merged:
            # a generic word ("activités", "initiatives") is an activity only next to a
            # verb of doing ("a mené plusieurs activités", "initiatives ... mises en place")
            if trig.det == "new" and not trig.type:
                around = text[
                    max(sentence.start, trig.start - 60) : min(sentence.end, trig.end + 60)
                ]
                if not _ACTION_VERB.search(around):
                    trig.det = "weak"
        return merged

    def _classify(self, sentence: Sentence, start: int, end: int, kind: str) -> Trigger:
        """Read the determiner before a trigger: new, demonstrative, anaphoric or weak."""
        window = max(sentence.start, start - 70)
        before = self.text[window:start]
        before = re.sub(r"[“«\"]\s*$", "", before)
        before = _ADVERBS.sub(" ", before)
        trig = Trigger(start, end, kind, "weak")
        if _PROVISION.match(self.text[start:end]):
            trig.det = "new"  # "la mise à disposition d'équipements": an action noun
            return trig
        number = _COUNT_BEFORE.search(before)
        if number and not re.fullmatch(r"\d{4}", number.group("n")):
            value = parse_number(number.group("n"))
            if value is not None and value >= 1 and fold(number.group("n")) not in _ONE:
                if re.search(
                    r"\b(?:les|des|the|los|las|ces|these|estos|estas)\s*$",
                    before[: number.start()],
                    re.I,
                ):
                    trig.det = "ana"  # "des deux études": the two already named
                    return trig
                trig.count = value
                trig.count_span = (window + number.start("n"), window + number.end("n"))
                trig.det = "new"
                return trig
        words = re.findall(r"[\w’']+", before.lower())
        if _COPULA.search(before):
            trig.det = "ana"
        elif _SUCH.search(before):
            trig.det = "new"
        elif _DEMONSTRATIVE.search(before):
            trig.det = "demo"
        elif _ORDINAL.search(before):
            trig.det = "new"
        elif re.search(
            r"(?:\bd['’]|\bde|\bof)\s*(?:un|une|una|a|an)\s+(?:[\w-]+\s+)?$", before, re.I
        ):
            # "d'un atelier": a complement, unless of an action noun ("l'organisation d'un atelier")
            head = re.search(
                r"([\w’']+)\s+(?:d['’]|de|of)\s*(?:un|une|una|a|an)\s+(?:[\w-]+\s+)?$", before, re.I
            )
            noun = re.split(r"['’]", head.group(1).lower())[-1] if head else ""
            trig.det = "new" if _ACTION_NOUN.match(noun) else "weak"
        elif _SERIES.search(before):
            trig.det = "new"
        elif _INDEFINITE.search(before):
            des = re.search(r"([\w’']+)\s+(?:des|de|d['’])\s*(?:[\w-]+\s+)?$", before, re.I)
            if (
                des
                and re.search(r"\bdes\s*(?:[\w-]+\s+)?$", before, re.I)
                and self._is_noun(before, des)
            ):
                trig.det = "weak"  # "l'exécution des activités": de + les
            else:
                trig.det = "new"
        elif _BARE_DE.search(before):
            head = re.search(r"([\w’']+)\s+(?:de|d['’]|of|des)\s*$", before, re.I)
            trig.det = (
                "weak"
                if head is None
                or self._is_noun(before, head)
                or not _VERBISH.search(head.group(1).lower())
                else "new"
            )
        elif _DEFINITE.search(before):
            trig.det = "ana"
        elif not words:
            trig.det = "new" if kind else "weak"
        trig.singular = bool(_SINGULAR.search(before))
        return trig

    def _is_noun(self, before: str, match: re.Match[str]) -> bool:
        """Whether the word of ``match`` is a noun: after a determiner, or a nominal suffix."""
        word = match.group(1).lower()
        if _NOMINAL.search(word):
            return True
        prior = re.findall(r"[\w’']+", before[: match.start(1)].lower())
        determiners = _DETERMINERS.get(self.lang, _DETERMINERS["en"])
        return bool(prior) and (prior[-1] in determiners or prior[-1].endswith(("l’", "l'")))

    def _roles(self, sentence: Sentence, mentions: list[Mention]) -> list[_Role]:
        """The role of each actor mention of a sentence, from the cue before it."""
        roles: list[_Role] = []
        previous: _Role | None = None
        for mention in mentions:
            if mention.kind not in ("organization", "state", "person", "group"):
                continue
            window_start = max(sentence.start, mention.start - 90)
            if previous is not None:
                window_start = max(window_start, previous.mention.end)
            before = self.text[window_start : mention.start]
            role = "none"
            # a list carries the cue of its first name
            after = self.text[mention.end : min(sentence.end, mention.end + 90)]
            gap = self.text[previous.mention.end : mention.start] if previous is not None else ""
            if (
                previous is not None
                and previous.role not in ("none", "subject")
                and _GLUE.match(gap)
                and not ("," in gap and _SUBJECT_AFTER.match(after))
            ):
                role = previous.role
            else:
                for cue_role, regex in self.cues:
                    cue = self._cue_before(before, regex)
                    if cue:
                        role = cue_role
                        break
            if role == "none" and _SUBJECT_AFTER.match(after) and not _NOT_ACTING.match(after):
                role = "subject"
            if (
                role == "none"
                and previous is not None
                and previous.role == "subject"
                and re.match(
                    r"^\s*(?:et|and|y)\s+(?:le|la|l['’]|les|the|el|los|las)?\s*$",
                    self.text[previous.mention.end : mention.start],
                    re.I,
                )
            ):
                role = "subject"
            if (
                previous is not None
                and previous.mention.code == mention.code
                and re.fullmatch(r"[\s,]*\(\s*", self.text[previous.mention.end : mention.start])
            ):
                role = previous.role  # "Organisation maritime internationale (OMI)": said once
                current = _Role(mention, role, dup=True)
                roles.append(current)
                previous = current
                continue
            current = _Role(mention, role)
            roles.append(current)
            previous = current
        return roles

    @staticmethod
    def _cue_before(before: str, regex: re.Pattern[str]) -> bool:
        # the cue, then only determiners / "Gouvernement de"
        matches = list(regex.finditer(before))
        return bool(matches) and bool(_GLUE.match(before[matches[-1].end() :]))

    # -- reading ---------------------------------------------------------------------

    def read(self) -> list[Activity]:
        """Every activity of the document, in text order."""
        numbered = any(not s.implicit for s in self.seg.sections)
        by_section: dict[str, list[Sentence]] = {}
        for sentence in self.seg.sentences:
            if sentence.footnote:
                continue
            if numbered and sentence.section == "0":
                continue
            by_section.setdefault(sentence.section, []).append(sentence)
        for number, sentences in by_section.items():
            self._read_section(number, sentences)
        self._umbrella_cleanup()
        return self.activities

    def _read_section(self, number: str, sentences: list[Sentence]) -> None:
        context_conductors: list[str] = []
        current_mandates: list[tuple[str, str, Span]] = []
        section_activities: list[Activity] = []
        counter = 0
        for sentence in sentences:
            span = (sentence.start, sentence.end)
            low = bisect.bisect_left(self._citation_starts, sentence.start)
            high = bisect.bisect_left(self._citation_starts, sentence.end)
            own = self.citations[low:high]
            if own:
                current_mandates = [(c.symbol, c.paragraph, span) for c in own]
            mentions = [
                m
                for m in self._mentions_in(sentence.start, sentence.end)
                if not self._masked(m.start, m.end)
            ]
            roles = self._roles(sentence, mentions)
            triggers = self._triggers(sentence)
            owners = self._owners(
                sentence,
                triggers,
                roles,
                bool(own),
                section_activities[-1] if section_activities else None,
            )
            if not owners:
                # a sentence without activity may still add partners to the last one
                last = section_activities[-1] if section_activities else None
                cued = [r for r in roles if r.role in ("partner", "funder", "requester")]
                joined = _PARTICIPATION_VERB.search(sentence.text) and _PARTICIPANTS.search(
                    sentence.text
                )
                if last is not None and last.paragraph == sentence.paragraph and (cued or joined):
                    self._apply(
                        last,
                        sentence,
                        roles,
                        mentions,
                        (sentence.start, sentence.end),
                        sentence.start,
                    )
                explicit = self._explicit_conductors(roles)
                if explicit:
                    context_conductors = explicit
                continue
            prefix_end = min(
                (t.start for t, _, _, _ in owners if t is not None), default=sentence.start
            )
            for trig, seg_start, seg_end, anaphoric in owners:
                if anaphoric:
                    if not section_activities:
                        anaphoric = False
                    else:
                        target = section_activities[-1]
                        self._apply(
                            target, sentence, roles, mentions, (seg_start, seg_end), prefix_end
                        )
                        continue
                counter += 1
                activity = Activity(
                    local=f"{number}-{counter}",
                    section=number,
                    type=trig.type if trig else "",
                    label=self._label(trig, sentence)
                    if trig
                    else " ".join(sentence.text.split())[:80],
                    trigger=(trig.start, trig.end) if trig else span,
                    paragraph=sentence.paragraph,
                )
                if trig and trig.count and trig.count >= 2 and trig.count_span:
                    activity.count = (trig.count, span)
                activity.mandates = list(current_mandates)
                self._apply(activity, sentence, roles, mentions, (seg_start, seg_end), prefix_end)
                # status from the activity's own text
                own_text = self._unmasked(seg_start, seg_end)
                if self.planned.search(own_text):
                    activity.status = ("planned", span)
                elif self.ongoing.search(own_text):
                    activity.status = ("ongoing", span)
                else:
                    activity.status = ("completed", span)
                if self._umbrella_in(sentence, seg_start, seg_end, roles):
                    activity.umbrella = True
                self._resolve_conductors(activity, roles, seg_start, seg_end, context_conductors)
                if activity.conducted_by:
                    context_conductors = list(activity.conducted_by)
                self.activities.append(activity)
                section_activities.append(activity)
            explicit = self._explicit_conductors(roles)
            if explicit:
                context_conductors = explicit

    def _explicit_conductors(self, roles: list[_Role]) -> list[str]:
        out = []
        for role in roles:
            if (
                role.mention.kind != "organization"
                or org_kind(self.registry, role.mention.code) != "oas_body"
            ):
                continue
            if (
                role.role in ("conductor", "subject")
                and role.mention.code not in self._umbrella_codes()
            ):
                out.append(role.mention.code)
        return out

    def _umbrella_codes(self) -> set[str]:
        codes = {"OAS", "OAS-GS"}
        if self.self_org:
            codes.add(self.self_org)
            codes.update(org_ancestors(self.registry, self.self_org))
        return codes

    def _umbrella_in(self, sentence: Sentence, start: int, end: int, roles: list[_Role]) -> bool:
        first = self.text[sentence.start : end]
        if _UMBRELLA[self.lang].search(first):
            return True
        return any(
            r.mention.kind == "organization"
            and r.mention.code in self._umbrella_codes()
            and r.role in ("subject", "conductor")
            for r in roles
        )

    def _owners(
        self,
        sentence: Sentence,
        triggers: list[Trigger],
        roles: list[_Role],
        has_citation: bool,
        last: Activity | None,
    ) -> list[tuple[Trigger | None, int, int, bool]]:
        """(trigger, segment start, segment end, anaphoric) of each activity a sentence holds."""
        states_at = [
            r.mention.start for r in roles if r.mention.kind == "state" and not r.mention.government
        ] + [
            m.start for m in self._mentions_in(sentence.start, sentence.end) if m.kind == "place"
        ]
        owners: list[tuple[Trigger | None, int, int, bool]] = []
        new = [t for t in triggers if t.det == "new"]
        if (
            new
            and all(t.count is None and t.singular and t.type == new[0].type for t in new)
            and last is not None
            and last.count is not None
            and last.type == new[0].type
            and not has_citation
            and not any(
                r.role in ("conductor", "subject")
                for r in roles
                if r.mention.kind == "organization"
            )
        ):
            # "deux études ... La Grenade a achevé une étude pilote ...": one of the two
            return [(new[0], sentence.start, sentence.end, True)]
        if not new:
            refer = [t for t in triggers if t.det == "demo" or (t.det == "ana" and t.type)]
            phrase = _ANAPHORIC_PHRASE[self.lang].search(sentence.text)
            if (refer or phrase) and not has_citation:
                return [(refer[0] if refer else None, sentence.start, sentence.end, True)]
            typed = [t for t in triggers if t.det in ("demo", "ana") and t.type]
            if typed and has_citation:
                trig = typed[0]
                around = self.text[max(sentence.start, trig.start - 60) : trig.end]
                if _ACTION_VERB.search(around):
                    return [(trig, sentence.start, sentence.end, False)]
            return []
        bounds = [t.start for t in triggers] + [sentence.end]
        first_new = new[0]
        for index, trig in enumerate(triggers):
            seg_end = bounds[index + 1]
            has_own = any(trig.start <= p < seg_end for p in states_at)
            if trig.det == "new" and (trig is first_new or has_own):
                owners.append((trig, trig.start, seg_end, False))
            elif trig.det == "demo" and has_own and index < triggers.index(first_new):
                owners.append((trig, trig.start, seg_end, True))
            elif owners:
                t, s, _, a = owners[-1]
                owners[-1] = (t, s, seg_end, a)
        if not owners:
            return []
        # a generic umbrella ("des initiatives ... dont un atelier ..., une conférence ...")
        # with nothing of its own gives way to the activities it lists
        t0, s0, e0, a0 = owners[0]
        if (
            len(owners) > 1
            and t0 is not None
            and t0.type == ""
            and not any(s0 <= p < e0 for p in states_at)
        ):
            owners = owners[1:]
        # a generic owner takes the type of a weak specific word in its text
        # ("une série d'initiatives ... par le biais d'ateliers" -> workshops)
        refined = []
        for t, s, e, a in owners:
            if t is not None and not t.type:
                inner = next(
                    (x for x in triggers if x.det == "weak" and x.type and s <= x.start < e), None
                )
                if inner is not None:
                    t.type = inner.type
            refined.append((t, s, e, a))
        owners = refined
        # the text before the first owner belongs to it (subject, dates, cues)
        t, s, e, a = owners[0]
        if not a:
            owners[0] = (t, sentence.start, e, a)
        else:
            owners[0] = (t, sentence.start if s == min(x[1] for x in owners) else s, e, a)
        return owners

    def _label(self, trig: Trigger, sentence: Sentence) -> str:
        tail = self.text[trig.start : sentence.end]
        cut = re.search(
            r"[,;:.(]|\s(?:qui|which|que|dont|afin|pour\s+(?:renforcer|améliorer)|in\s+order)\b",
            tail,
        )
        label = tail[: cut.start()] if cut and cut.start() > 3 else tail[:90]
        label = " ".join(label.split())
        if len(label) > 90:
            label = label[:90].rsplit(" ", 1)[0]
        return label.strip(' “”"«»')

    def _apply(
        self,
        activity: Activity,
        sentence: Sentence,
        roles: list[_Role],
        mentions: list[Mention],
        segment: Span,
        prefix_end: int,
    ) -> None:
        """Put what a sentence segment says into ``activity``."""
        span = (sentence.start, sentence.end)
        if span not in activity.spans:
            activity.spans.append(span)
        seg_start, seg_end = segment
        # roles of the sentence's prefix (before the first trigger) apply to every
        # activity of the sentence; names inside a segment only to its activity
        for role in roles:
            m = role.mention
            inside = seg_start <= m.start < seg_end
            in_prefix = m.start < prefix_end and role.role not in ("none",)
            if not (inside or in_prefix):
                continue
            self._assign(activity, role, span, inside)
        for m in mentions:
            if not seg_start <= m.start < seg_end:
                continue
            if m.kind == "place":
                activity.places.setdefault(m.label or m.text, (m, span))
            elif m.kind == "instrument":
                activity.instruments.setdefault(m.code, span)
        seg_text = self.text[seg_start:seg_end]
        # participants
        if activity.participants is None:
            for match in _PARTICIPANTS.finditer(self.text, seg_start, seg_end):
                if self._masked(match.start(), match.end()):
                    continue
                value = parse_number(match.group("num"))
                if value is None or (1900 <= value <= 2100 and match.group("num").isdigit()):
                    continue
                if _STATE_COUNT_NOUNS.match(self.text[match.end("num") : match.end("num") + 30]):
                    continue
                activity.participants = (value, span)
                break
        self._dates(activity, seg_start, seg_end, span)
        del seg_text

    def _assign(self, activity: Activity, role: _Role, span: Span, inside: bool) -> None:
        m = role.mention
        kind = role.role
        if role.dup:
            return
        before = self.text[max(0, m.start - 80) : m.start]
        if m.kind == "person":
            if kind == "leader" or inside:
                activity.persons.setdefault(m.label or m.text, (m, span))
            return
        if m.kind == "organization":
            oas = org_kind(self.registry, m.code) == "oas_body"
            if kind in ("conductor", "subject", "partner") and oas:
                if kind == "partner" or kind == "conductor" or kind == "subject":
                    activity.conducted_by.setdefault(m.code, span)
            elif kind == "funder":
                activity.funders.setdefault(m.code, (m.kind, span))
                if oas:
                    activity.conducted_by.setdefault(m.code, span)
            elif kind == "requester":
                activity.requesters.setdefault(m.code, (m.kind, span))
            elif kind in ("partner", "conductor", "subject", "leader"):
                activity.partners.setdefault(m.code, (m.kind, span))
            elif kind == "none" and inside and not oas and not _POSSESSIVE_BEFORE.search(before):
                activity.partners.setdefault(m.code, (m.kind, span))
            return
        if m.kind != "state":
            return
        if m.government:
            if kind == "funder":
                activity.funders.setdefault(m.code, ("state", span))
            elif kind == "requester":
                activity.requesters.setdefault(m.code, ("state", span))
                activity.partners.setdefault(m.code, ("state", span)) if re.search(
                    r"soutien|support|apoyo", before, re.I
                ) else None
                activity.beneficiaries.setdefault(m.code, span)
            elif kind in ("partner", "conductor", "subject", "leader"):
                activity.partners.setdefault(m.code, ("state", span))
            return
        if not inside:
            return
        if _EXCEPT.search(before[-40:]) or _AFFILIATION.search(before[-60:]):
            return
        after = self.text[m.end : m.end + 3]
        prev_char = self.text[max(0, m.start - 2) : m.start]
        if "(" in prev_char and ")" in after and re.search(r"[A-ZÀ-Ý][\w’'-]+\s*\($", before):
            return  # "Montréal (Canada)": where a place is, not who benefits
        activity.beneficiaries.setdefault(m.code, span)
        if _LOCATIVE.search(before[-12:]):
            activity.held_in_states.setdefault(m.code, span)

    def _dates(self, activity: Activity, start: int, end: int, span: Span) -> None:
        text = self.text
        paren = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text[start:end])]
        paren = [(start + a, start + b) for a, b in paren]

        def usable(s: int, e: int) -> bool:
            return not self._masked(s, e) and not any(a <= s < b for a, b in paren)

        since = next(
            (m for m in _SINCE.finditer(text, start, end) if usable(m.start(), m.end())), None
        )
        if since and activity.start_date is None:
            year = since.group("year")
            if since.group("month"):
                month = _MONTHS[since.group("month").lower()]
                activity.start_date = (f"{year}-{month:02d}", "gYearMonth", span)
            else:
                activity.start_date = (year, "gYear", span)
            activity.years.setdefault(int(year), span)
            return
        ranged = next(
            (m for m in _YEAR_RANGE.finditer(text, start, end) if usable(m.start(), m.end())), None
        )
        if ranged:
            a, b = int(ranged.group("a")), int(ranged.group("b"))
            if a <= b <= a + 30:
                for year in range(a, b + 1):
                    activity.years.setdefault(year, span)
                if activity.start_date is None:
                    activity.start_date = (str(a), "gYear", span)
                    activity.end_date = (str(b), "gYear", span)
                return
        month_year = next(
            (m for m in _MONTH_YEAR.finditer(text, start, end) if usable(m.start(), m.end())), None
        )
        if month_year and activity.start_date is None:
            month = _MONTHS[month_year.group("month").lower()]
            activity.start_date = (f"{month_year.group('year')}-{month:02d}", "gYearMonth", span)
            activity.years.setdefault(int(month_year.group("year")), span)
        for match in _YEAR.finditer(text, start, end):
            if usable(match.start(), match.end()):
                activity.years.setdefault(int(match.group("year")), span)

    def _resolve_conductors(
        self, activity: Activity, roles: list[_Role], start: int, end: int, context: list[str]
    ) -> None:
        umbrella = self._umbrella_codes()
        explicit = {k: v for k, v in activity.conducted_by.items() if k not in umbrella}
        umbrella_named = activity.umbrella
        span = activity.spans[0] if activity.spans else activity.trigger
        via_conductor_cue = any(
            r.role in ("conductor", "subject")
            and r.mention.kind == "organization"
            and r.mention.code in explicit
            for r in roles
        )
        if not explicit:
            if context:
                explicit = {code: span for code in context}
            elif self.self_org:
                explicit = {self.self_org: span}
        elif umbrella_named and context and not via_conductor_cue:
            for code in context:
                explicit.setdefault(code, span)
        activity.conducted_by = explicit

    def _umbrella_cleanup(self) -> None:
        """Drop a conducting body that another conducting body of the activity belongs to;
        let a government that acts through named national agencies be represented by
        them (the registry records which state an agency acts for); give an activity
        reported before its section's first citation that citation."""
        first_cited: dict[str, list[tuple[str, str, Span]]] = {}
        for activity in self.activities:
            if activity.mandates and activity.section not in first_cited:
                first_cited[activity.section] = activity.mandates
        for activity in self.activities:
            if not activity.mandates and activity.section in first_cited:
                activity.mandates = list(first_cited[activity.section])
            agencies_of = {
                str(_agency_country(self.registry, code))
                for code in list(activity.partners) + list(activity.funders)
                if _agency_country(self.registry, code)
            }
            for code in list(activity.partners):
                if activity.partners[code][0] == "state" and code in agencies_of:
                    activity.partners.pop(code)
            codes = list(activity.conducted_by)
            for code in codes:
                if any(
                    code in org_ancestors(self.registry, other) for other in codes if other != code
                ):
                    activity.conducted_by.pop(code, None)
            for code in list(activity.partners):
                if code in activity.conducted_by:
                    activity.partners.pop(code)


def _agency_country(registry: Any, key: str) -> str | None:
    table = getattr(registry, "organizations", None)
    if table is None and isinstance(registry, dict):
        table = registry.get("organizations")
    entry = table.get(key) if isinstance(table, dict) else None
    if entry is None:
        return None
    value = entry.get("country") if isinstance(entry, dict) else getattr(entry, "country", None)
    return str(value) if value else None


def read_activities(
    *,
    text: str,
    lang: str,
    segmentation: Segmentation,
    citations: list[Citation],
    mentions: list[Mention],
    registry: Any,
    self_org: str | None,
) -> list[Activity]:
    """The activities of a report (see the module docstring).

    Args:
        text: the document text.
        lang: ``fr``, ``en`` or ``es``.
        segmentation: its sections, paragraphs and sentences.
        citations: its operative-paragraph citations (their regions, quoted mandate
            text included, are not read for activities).
        mentions: the names found in it
            (:func:`mandategraph.graph.extraction.actors.find_mentions`).
        registry: the reference registry.
        self_org: registry key of the report's author (the umbrella "Secrétariat").

    Returns:
        Activities in text order, with the sentence span behind every fact.
    """
    return ActivityReader(
        text=text,
        lang=lang,
        segmentation=segmentation,
        citations=citations,
        mentions=mentions,
        registry=registry,
        self_org=self_org,
    ).read()
