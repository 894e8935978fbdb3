"""The words and patterns the activity reader matches, per language (fr, en, es).

Trigger nouns of the activity taxonomy and verbs of assistance, the determiners
that tell a new activity from one referred back to, cues of roles ("en
collaboration avec", "funded by"), of status ("conduira", "since") and of dates.
The reading itself is in :mod:`mandategraph.graph.extraction.activities`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from mandategraph.graph.extraction import lexicon
from mandategraph.graph.extraction.numbers import NUMBER_PATTERN

# ---------------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------------

#: trigger noun (regex, case-insensitive, word-bounded) -> activity type ("" = generic)
TRIGGERS: dict[str, list[tuple[str, str]]] = {
    "fr": [
        (r"assistance\s+technique|aide\s+technique|appui\s+technique", "TechnicalAssistance"),
        (
            r"mise\s+à\s+disposition\s+d['’]équipements?|équipements?|machines?\s+de\s+marquage",
            "EquipmentProvision",
        ),
        (r"tables?\s+rondes?", "Meeting"),
        (r"formations?|cours|stages?\s+de\s+formation", "Training"),
        (r"ateliers?|séminaires?", "Workshop"),
        (r"réunions?|conférences?|exposés?|rencontres?|visites?(?:\s+d['’]étude)?", "Meeting"),
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
        (r"meetings?|conferences?|presentations?|(?:study\s+)?visits?", "Meeting"),
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
        (
            r"reuni(?:ón|ones)|conferencias?|presentaci(?:ón|ones)|encuentros?|visitas?",
            "Meeting",
        ),
        (r"evaluaci(?:ón|ones)|diagnósticos?", "Assessment"),
        (r"estudios?|análisis|investigaci(?:ón|ones)|encuestas?", "Study"),
        (r"ejercicios?|simulacros?|simulaciones?", "Exercise"),
        (r"becas?", "Scholarship"),
        (r"programas?|proyectos?", "Programme"),
        (r"actividad(?:es)?|iniciativas?|eventos?|esfuerzos", ""),
    ],
}
# Verbs of assistance that introduce an activity by themselves.
VERB_TRIGGERS = {
    "fr": r"\b(?:a|ont|avait|avaient)\s+(?:\w+ment\s+)?(?:aidé|soutenu)\b",
    "en": r"\b(?:has|have|had)\s+(?:\w+ly\s+)?(?:assisted|helped|supported)\b|"
    r"\b(?:assisted|helped|supported)\b(?!\s+by)",
    "es": r"\b(?:ha|han|había|habían)\s+(?:\w+mente\s+)?(?:apoyado|asistido|ayudado)\b|"
    r"\b(?:apoyó|asistió|ayudó)\b",
}
DEMONSTRATIVE = re.compile(
    r"(?:\b(?:ce|cet|cette|ces|this|these|those|este|esta|estos|estas|dicho|dicha|dichos|dichas|"
    r"ese|esa|esos|esas|said)\s+(?:[\w-]+\s+)?)$",
    re.I,
)
SUCH = re.compile(r"\b(?:un|une)\s+tel(?:le)?\s+$|\bsuch\s+an?\s+$|\b(?:un|una)\s+tal\s+$", re.I)
INDEFINITE = re.compile(
    r"(?:(?:^|\s|[’'])(?:un|une|des|plusieurs|d['’]autres|de\s+nouveaux|de\s+nouvelles|"
    r"une\s+série\s+d['’]|une\s+série\s+de|a|an|several|some|other|further|new|a\s+series\s+of|"
    r"a\s+number\s+of|un|una|unos|unas|varios|varias|otros|otras|diversos|diversas|"
    r"una\s+serie\s+de|numerosos|numerosas|nombreux|nombreuses|many|various)\s+"
    r"(?:[\w-]+\s+(?:(?:and|et|y)\s+(?:[\w-]+\s+)?)?)?)$",
    re.I,
)
ORDINAL = re.compile(
    r"\b(?:la|le|l['’]|the|el|la)?\s*(?:\w+ième|\w+ieme|premi(?:er|ère)|first|second|third|\w+th|"
    r"primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]|séptim[oa]|octav[oa])\s+"
    r"(?:[\w-]+\s+){0,3}$",
    re.I,
)
DEFINITE = re.compile(
    r"(?:\b(?:le|la|les|du|au|aux|the|el|los|las|del|al|son|sa|ses|leur|leurs|its|their|su|sus)|"
    r"\bl['’]|\bd['’]|\bdes)\s*(?:[\w-]+\s+)?$",
    re.I,
)
BARE_DE = re.compile(r"(?:\bde|\bd['’]|\bof|\bdes)\s*$", re.I)
VERBISH = re.compile(
    r"(?:é|ée|és|ées|i|is|ie|ies|u|us|ue|ues|it|er|ir|re|ado|ada|ados|adas|ido|ida|idos|idas|ar|ed)$"
)
NOMINAL = re.compile(r"(?:tion|sion|ment|ence|ance|age|ure|ité|cadre|but|objectif|série)$")
PREPOSITION_NEW = re.compile(r"(?:^|\s)(?:à|a|pour|avec|sans|to|for|with|para|con|en|on|sur)\s*$")
ADVERBS = re.compile(
    r"\s+(?:également|aussi|notamment|ainsi|activement|officiellement|also|further|additionally|"
    r"actively|officially|también|además|asimismo|activamente|oficialmente)(?=\s)",
    re.I,
)
SERIES = re.compile(
    r"\b(?:une\s+série|un\s+ensemble|plusieurs|a\s+series|a\s+number|a\s+set|una\s+serie|"
    r"un\s+conjunto)\s+(?:d['’]|de|of)\s*$",
    re.I,
)
COUNT_BEFORE = re.compile(rf"(?P<n>{NUMBER_PATTERN})\s+(?:[\w-]+\s+)?$", re.I)
SINGULAR = re.compile(r"(?:^|\s|['’])(?:un|une|a|an|uno|una)\s+(?:[\w-]+\s+)?$", re.I)
PROVISION = re.compile(r"mise\s+à\s+disposition|provision\s+of|suministro\s+de|entrega\s+de", re.I)
ONE = frozenset({"un", "une", "a", "an", "una", "uno", "one"})
ACTION_NOUN = re.compile(
    r"(?:organisation|organization|organización|réalisation|realización|tenue|exécution|ejecución|"
    r"lancement|launch|conduct|celebración|mise|implementation|mise en place|holding|delivery)$"
)
ACTION_VERB = re.compile(
    r"\b(?:entrepris|mené|menée?s?|réalisée?s?|organisée?s?|exécutée?s?|conduite?s?|mise?s?\s+en\s+"
    r"(?:place|œuvre|oeuvre|application)|mettre\s+en\s+(?:place|œuvre|application)|lancée?s?|"
    r"développée?s?|dispensée?s?|tenue?s?|effectuée?s?|opérée?s?|continuer|poursuivre|"
    r"carried\s+out|undert(?:ook|aken)|conducted|organi[sz]ed|implemented|launched|held|delivered|"
    r"performed|set\s+up|continue|realiz\w+|llev\w+\s+a\s+cabo|organiz\w+|ejecut\w+|"
    r"implement\w+|lanz\w+|desarroll\w+|impart\w+|celebr\w+|continuar)\b",
    re.I,
)
DETERMINERS = {
    "fr": frozenset(
        "le la les un une des du au aux ce cet cette ces son sa ses leur leurs".split()
    ),
    "en": frozenset("the a an this these its their".split()),
    "es": frozenset("el la los las un una unos unas del al este esta estos estas su sus".split()),
}
COPULA = re.compile(
    r"\b(?:est|sont|is|are|was|were|es|son|fue|era)\s+(?:une?|an?|una?|la|le|the)\s+$", re.I
)

PARTICIPANT_NOUNS = (
    r"(?:"
    + "|".join(lexicon.words("people_nouns"))
    + r"|officiels?|participants?|participantes?|responsables?|professionnels?|points\s+focaux|"
    r"agents?|fonctionnaires?|délégués?|personnes?|experts?|policiers?|douaniers?|juges|procureurs|"
    r"officials?|officers?|professionals?|people|persons?|delegates?|experts?|focal\s+points|"
    r"trainees?|students?|funcionari[oa]s?|personas?|oficiales?|profesionales?|delegad[oa]s?|"
    r"expert[oa]s?|puntos\s+focales|agentes?|policías?|jueces|fiscales|estudiantes?)"
)
PARTICIPANTS = re.compile(
    rf"(?P<num>{NUMBER_PATTERN})\s+(?:(?!(?:de|des|du|d|pour|para|for|of|sur|on|en|in|à|a|with|avec|"
    rf"con|sobre|to|los|las|les|the|el|la|le|et|y)\b)[\w’'-]+\s+|(?:and|et|y)\s+(?=[\w-]+\s+[\w-]+))"
    rf"{{0,4}}?{PARTICIPANT_NOUNS}\b",
    re.I,
)
# what a number before it counts is not people: states, days, machines ... (lexicon
# ``not_people``): "sept États membres", "trois jours", "quatre machines"
STATE_COUNT_NOUNS = re.compile(
    r"^\s*(?:[\w-]+\s+)?(?:" + "|".join(lexicon.words("not_people")) + r")\b", re.I
)

MONTHS: dict[str, int] = {}
for _names in (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "january february march april may june july august september october november december",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
):
    for _index, _name in enumerate(_names.split(), start=1):
        MONTHS[_name] = _index
MONTHS["setiembre"] = 9
MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
SINCE = re.compile(
    rf"\b(?:dès|depuis|since|desde|a\s+partir\s+de|à\s+partir\s+de|from)\s+(?:(?:le\s+)?(?:mois\s+de\s+)?"
    rf"(?P<month>{MONTH_ALT})\s+(?:de\s+|of\s+)?)?(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
MONTH_YEAR = re.compile(
    rf"\b(?P<month>{MONTH_ALT})\s+(?:de\s+|of\s+)?(?P<year>(?:19|20)\d\d)\b", re.I
)
YEAR = re.compile(r"(?<![\d/])(?P<year>(?:19|20)\d\d)(?![\d/])")
YEAR_RANGE = re.compile(
    r"\b(?:de|from|entre|between|du)\s+(?P<a>(?:19|20)\d\d)\s+(?:à|au|to|a|y|and|et|-)\s+"
    r"(?P<b>(?:19|20)\d\d)\b",
    re.I,
)

PLANNED = {
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
ONGOING = {
    "fr": r"\b(?:depuis|dès|en\s+ce\s+moment|actuellement|en\s+cours\s+d['’]exécution)\b|"
    r"\bcontinue(?:nt)?\s+(?:de|à)\b|\bpoursui(?:t|vent)\b",
    "en": r"\b(?:since|ongoing|currently|at\s+present|continues\s+to|is\s+being|are\s+being)\b",
    "es": r"\b(?:desde|actualmente|en\s+curso|continúa|sigue|viene\s+\w+ndo)\b",
}

# Role cues, right before a name (or a list of names).
CUES: dict[str, list[tuple[str, str]]] = {
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
            r"avec\s+le\s+soutien(?:\s+\w+)?\s+d|avec\s+l['’]appui(?:\s+\w+)?\s+d|"
            r"avec\s+l['’]assistance(?:\s+\w+)?\s+d|"
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
            r"in\s+coordination\s+with|jointly\s+with|together\s+with|"
            r"with\s+(?:the\s+)?(?:\w+\s+)?(?:support|assistance)\s+(?:of|from)|"
            r"partnered\s+with|worked\s+with|collaborated\s+with|"
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
            r"en\s+cooperación\s+con|conjuntamente\s+con|junto\s+con|con\s+el\s+apoyo(?:\s+\w+)?\s+de|"
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
GLUE = re.compile(
    r"^[\s,;()]*(?:(?:et|and|y|e|ou|or|as\s+well\s+as|ainsi\s+que|así\s+como)\s+)?"
    r"(?:(?:avec|with|con)\s+)?(?:(?:le|la|l['’]|les|du|de|des|d['’]|de\s+la|the|el|los|las|del|au|aux|"
    r"a\s+la|al|of|e|u|es|s|['’])\s*)*"
    r"(?:(?:gouvernement|government|gobierno)s?\s*(?:(?:du|de\s+la|de\s+l['’]|des|d['’]|de|of\s+the|of|"
    r"del|de\s+los|de\s+las)\s*)?)?[\s(]*$",
    re.I,
)
SUBJECT_AFTER = re.compile(
    r"^\s*(?:(?:Unit|Secretariat|Section|Unidad|Unité)\s+)?(?:\([^)]{0,40}\)\s*)?"
    r"(?:,[^,]{0,160},\s*)?(?:\w+(?:ly|ment|mente)\s+)?(?:a|ont|avait|avaient|has|have|had|ha|han|"
    r"había|habían|fournit|fournissent|œuvre|oeuvre|organise|mène|exécute|provides|organizes|"
    r"organises|conducts|works|delivers|brinda|organiza|realiza|ejecuta|trabaja|presta|organized|"
    r"organised|delivered|conducted|carried|held|provided|supported|implemented|launched|will|"
    r"realizó|organizó|impartió|ejecutó|llevó|apoyó|brindó|"
    r"also|également|también|[a-z]{3,}ed|[a-záéíóú]{3,}(?:ó|aron|ieron))\b(?!\s+(?:été|been|sido))",
    re.I,
)
NOT_ACTING = re.compile(
    r"^\s*(?:est|is|está|sont|are|están)\s+(?:\w+\s+)?(?:dispos|ready|willing|dispuest)|"
    r"^\s*(?:souhaite|wishes|desea|espère|hopes|espera)",
    re.I,
)
POSSESSIVE_BEFORE = re.compile(
    r"(?:\bde|\bdu|\bdes|\bd['’]|\bof|\bof\s+the|\bdel)\s*(?:l['’]|la|le|les|the|el|los|las)?\s*$",
    re.I,
)
EXCEPT = re.compile(
    r"(?:à\s+l['’]exception\s+d|sauf|excepté|except(?:\s+for)?|with\s+the\s+exception\s+of|"
    r"excepto|salvo|a\s+excepción\s+de|con\s+excepción\s+de)[\w’'\s]{0,12}$",
    re.I,
)
AFFILIATION = re.compile(
    r"(?:représentant(?:e)?s?|ambassad(?:eur|rice)|ambassador|"
    r"representative|representante(?:s)?|embajador(?:a)?|ministre|minister|"
    r"ministro)\s+(?:permanent\w*\s+)?(?:de|d['’]|du|of|del)\s*(?:l['’]|la|le|the|el)?\s*$",
    re.I,
)
LOCATIVE = re.compile(
    r"(?:\bà|\bau|\baux|\ben|\bin|\bat|\bdans)\s*(?:la|le|l['’]|les|the)?\s*$", re.I
)
UMBRELLA = {
    "fr": re.compile(
        r"\b(?:le|du|au)\s+Secrétariat\b(?!\s+(?:général|exécutif|du|de|à|aux|pour))|\bnous\b", re.I
    ),
    "en": re.compile(r"\bthe\s+Secretariat\b(?!\s+(?:for|of|General|general))|\bwe\b", re.I),
    "es": re.compile(
        r"\bla\s+Secretaría\b(?!\s+(?:General|general|Ejecutiva|ejecutiva|de|del))|\bhemos\b", re.I
    ),
}
ANAPHORIC_PHRASE = {
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
PARTICIPATION_VERB = re.compile(
    r"\b(?:particip\w+|took\s+part|pris\s+part|tomaron\s+parte|attended|were\s+trained|trained|"
    r"formés|ont\s+assisté|"
    r"asistieron|capacitad[oa]s|fueron\s+capacitad[oa]s)\b",
    re.I,
)
PARTICIPATION = re.compile(
    r"\b(?:particip\w+|bénéfici\w+|benefit\w+|benefici\w+|ont\s+reçu|received|recibieron)\b", re.I
)


@dataclass(frozen=True)
class CompiledPatterns:
    triggers: list[tuple[re.Pattern[str], str]]
    verbs: re.Pattern[str]
    cues: list[tuple[str, re.Pattern[str]]]
    planned: re.Pattern[str]
    ongoing: re.Pattern[str]


@functools.lru_cache(maxsize=8)
def compiled_patterns(lang: str) -> CompiledPatterns:
    """The per-language patterns, compiled once per process (compiling costs ~0.1 s)."""
    return CompiledPatterns(
        triggers=[
            (re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I), kind)
            for pattern, kind in TRIGGERS[lang]
        ],
        verbs=re.compile(VERB_TRIGGERS[lang], re.I),
        cues=[(role, re.compile(rf"\b(?:{pattern})", re.I)) for role, pattern in CUES[lang]],
        planned=re.compile(PLANNED[lang], re.I),
        ongoing=re.compile(ONGOING[lang], re.I),
    )
