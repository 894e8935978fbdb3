"""The words and patterns the activity reader matches, per language (fr, en, es).

Trigger nouns of the activity taxonomy and verbs of assistance, the determiners
that tell a new activity from one referred back to, cues of roles ("en
collaboration avec", "funded by"), of status ("conduira", "since") and of dates.
The trigger nouns, role cues and status cues are data (``lexicon/{fr,en,es}.yaml``);
the reading itself is in :mod:`mandategraph.graph.extraction.activities`.
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

#: trigger noun (regex, case-insensitive, word-bounded) -> activity type ("" = generic),
#: and verbs of assistance that introduce an activity by themselves: the lexicon's
#: ``activity_triggers`` and ``assistance_verbs`` (lexicon/{fr,en,es}.yaml)
TRIGGERS: dict[str, list[tuple[str, str]]] = {
    lang: [
        (str(item["pattern"]), str(item["type"] or ""))
        for item in lexicon.entry("activity_triggers", lang)
    ]
    for lang in lexicon.LANGUAGES
}
VERB_TRIGGERS = {lang: str(lexicon.entry("assistance_verbs", lang)) for lang in lexicon.LANGUAGES}
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
    # up to three modifiers ("a three-day crisis management exercise"), never a
    # preposition or an article, or two joined by "and"
    r"(?:(?:(?!(?:of|for|on|with|to|in|at|by|the|de|du|des|la|le|les|para|por|con|en|el|"
    r"los|las|sur|avec|pour|par|à|au|aux)\s)[\w-]+\s+){0,3}|"
    r"[\w-]+\s+(?:and|et|y)\s+(?:[\w-]+\s+)?))$",
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

# Status cues: the lexicon's ``planned_cues`` and ``ongoing_cues``.
PLANNED = {lang: str(lexicon.entry("planned_cues", lang)) for lang in lexicon.LANGUAGES}
ONGOING = {lang: str(lexicon.entry("ongoing_cues", lang)) for lang in lexicon.LANGUAGES}

# Role cues, right before a name (or a list of names).
# (the lexicon's ``role_cues``, in the order they are tried: funder before partner)
CUES: dict[str, list[tuple[str, str]]] = {
    lang: [(str(item["role"]), str(item["pattern"])) for item in lexicon.entry("role_cues", lang)]
    for lang in lexicon.LANGUAGES
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
