"""Synthetic corpus: report and resolution TEXTS in fr, en and es, deterministic by seed.

The benchmarks of ingestion need thousands of documents that look like the real ones
to the extraction pipeline, and the tests need to know what each of them says. Each
generated document is a plain-text file with the layout and noise of text taken out of
an OAS PDF:

* a two-column letterhead (the council and the committee on the left, ``OEA/Ser.G``,
  the document symbol, the date and the original language on the right);
* numbered (``I.``, ``1.``) or lettered (``A.``) sections, each citing one or two
  operative paragraphs of a General Assembly resolution in one of the ways reports do
  ("operative paragraph 2.b of resolution AG/RES. 2485 (XXXIX-O/09)", "alinéa c du
  paragraphe 3 de la même résolution", "párrafo 4.a de la resolución ...");
* activities carried out by OAS bodies with partner organizations, for member states
  named or given by a city, with dates, participants (in digits or in words), funders;
* lines wrapped at a page width (or at a narrow column width, the two-column layout),
  long words hyphenated across line breaks, page footers ``- N -``, running headers
  with the symbol, form feeds between pages, footnotes.

About one document in ten is a resolution (preamble, ``RESOLVES:``, numbered operative
paragraphs with lettered sub-paragraphs); reports cite the paragraphs of resolutions
of the same corpus, so a whole generated corpus links up.

Next to each document, :func:`write_corpus` can write its gold file
(``<name>.gold.yaml``) in the format of ``shared/gold/seed-report.gold.yaml`` and read
by :func:`mandategraph.graph.extraction.evaluate.evaluate`: the sections with their
citations and activities (``by``, ``with``, ``funded_by``, ``states``, ``year``,
``participants``, ``implements``) for a report, the ``resolution`` block for a
resolution.

The same ``(seed, count)`` gives the same bytes on every machine: every document is
drawn from its own :class:`random.Random` seeded with ``"<seed>:<index>"`` (string
seeds are hashed with SHA-512, independent of ``PYTHONHASHSEED``), so document ``i``
does not depend on ``count`` and a corpus can be generated in slices.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mandategraph.graph.synthetic_vocabulary import (
    ACTIVITY_KINDS,
    BODIES,
    CITY_NAMES,
    FUNDERS,
    MONTHS,
    NUMBER_WORDS,
    PARTNERS,
    STATES,
    THEMES,
)

#: Languages of the generated documents, in the order they rotate.
LANGUAGES = ("en", "fr", "es")

#: One resolution every RESOLUTION_EVERY documents (index 0, 10, 20, ...).
RESOLUTION_EVERY = 10

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII", "XXIII", "XXIV",
         "XXV", "XXVI", "XXVII", "XXVIII", "XXIX", "XXX", "XXXI", "XXXII", "XXXIII",
         "XXXIV", "XXXV", "XXXVI", "XXXVII", "XXXVIII", "XXXIX", "XL", "XLI", "XLII",
         "XLIII", "XLIV", "XLV", "XLVI", "XLVII", "XLVIII", "XLIX", "L", "LI", "LII", "LIII",
         "LIV", "LV"]


def _roman(number: int) -> str:
    return ROMAN[number - 1]


# -- resolutions -------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolutionPlan:
    """What a generated resolution says: its symbol, year and operative paragraphs."""

    index: int
    number: int
    year: int
    #: (paragraph number, sub-paragraph letters) in order; no letters: a plain paragraph.
    paragraphs: tuple[tuple[int, tuple[str, ...]], ...]
    themes: tuple[int, ...]

    @property
    def symbol(self) -> str:
        """``AG/RES. NNNN (SESSION-O/YY)``: the regular session is the year minus 1970."""
        return f"AG/RES. {self.number} ({_roman(self.year - 1970)}-O/{self.year % 100:02d})"

    @property
    def mandates(self) -> list[str]:
        """The citable paragraphs: lettered sub-paragraphs, and plain paragraphs."""
        found: list[str] = []
        for number, letters in self.paragraphs:
            if letters:
                found.extend(f"{number}.{letter}" for letter in letters)
            elif number > 1:
                found.append(str(number))
        return found


def resolution_plan(seed: int, index: int) -> ResolutionPlan:
    """The resolution at corpus position ``index`` (a multiple of RESOLUTION_EVERY)."""
    rng = random.Random(f"{seed}:{index}:resolution")
    year = rng.randint(2006, 2019)
    number = 2400 + index // RESOLUTION_EVERY * 7 + rng.randint(0, 6)
    paragraphs: list[tuple[int, tuple[str, ...]]] = [(1, ())]
    for n in range(2, rng.randint(4, 6) + 1):
        letters = tuple("abcde"[: rng.randint(2, 4)]) if rng.random() < 0.6 else ()
        paragraphs.append((n, letters))
    themes = tuple(rng.sample(range(len(THEMES)), 3))
    return ResolutionPlan(index=index, number=number, year=year, paragraphs=tuple(paragraphs),
                          themes=themes)


def _resolution_indices(seed: int, index: int, count: int | None) -> list[int]:
    """Corpus positions of the resolutions a report at ``index`` may cite."""
    top = count if count is not None else index + RESOLUTION_EVERY
    return list(range(0, max(top, 1), RESOLUTION_EVERY))


# -- text layout -------------------------------------------------------------------------


def _wrap(text: str, width: int, rng: random.Random, *, indent: str = "",
          hyphenate: float = 0.5) -> list[str]:
    """Break ``text`` into lines of at most ``width``; a long word that does not fit is
    cut with a hyphen (with probability ``hyphenate``), as PDF text extraction shows."""
    lines: list[str] = []
    line = indent
    for word in text.split():
        candidate = f"{line} {word}" if line.strip() else f"{line}{word}"
        if len(candidate) <= width:
            line = candidate
            continue
        room = width - len(line) - 2  # a space and the hyphen
        if (len(word) >= 9 and word.isalpha() and word.islower() and room >= 4
                and rng.random() < hyphenate):
            cut = min(room, len(word) - 3)
            line = f"{line} {word[:cut]}-" if line.strip() else f"{line}{word[:cut]}-"
            lines.append(line)
            line = indent + word[cut:]
            continue
        lines.append(line)
        line = indent + word
    if line.strip():
        lines.append(line)
    return lines


@dataclass
class _Page:
    """Lines with page breaks: a footer ``- N -``, a form feed, a running header."""

    symbol: str
    width: int
    length: int
    form_feed: bool
    lines: list[str] = field(default_factory=list)
    page: int = 1
    on_page: int = 0

    def add(self, lines: list[str]) -> None:
        for line in lines:
            if self.on_page >= self.length:
                self._break()
            self.lines.append(line)
            self.on_page += 1

    def blank(self) -> None:
        self.add([""])

    def _break(self) -> None:
        self.lines.extend(["", f"- {self.page} -".center(self.width).rstrip()])
        self.page += 1
        header = self.symbol.rjust(self.width)
        # a form feed starts the next page, as pdftotext writes it
        self.lines.extend([("\f" if self.form_feed else "") + header, ""])
        self.on_page = 0

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


# -- the documents -----------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedDocument:
    """A generated document: its file name, its text and its gold annotation."""

    name: str
    language: str
    kind: str
    text: str
    gold: dict[str, Any]


def _state(code: str, lang: str) -> str:
    return STATES[code][lang]


def _city(code: str, lang: str) -> str:
    city = STATES[code]["city"]
    return CITY_NAMES.get(city, {}).get(lang, city)


def _states_list(codes: list[str], lang: str) -> str:
    names = [_state(code, lang) for code in codes]
    last = {"en": "and", "fr": "et", "es": "y"}[lang]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def _dates(rng: random.Random, year: int, lang: str) -> tuple[str, int]:
    month = rng.randint(1, 12)
    first = rng.randint(1, 24)
    last = first + rng.randint(1, 4)
    name = MONTHS[lang][month - 1]
    if lang == "en":
        return f"from {first} to {last} {name} {year}", month
    if lang == "fr":
        return f"du {first} au {last} {name} {year}", month
    return f"del {first} al {last} de {name} de {year}", month


def _citation(paragraph: str, symbol: str, lang: str, rng: random.Random, *,
              same: bool) -> str:
    """A phrase citing ``paragraph`` of ``symbol`` (``same``: the section before cited
    the same resolution, so "the same resolution" may stand for it)."""
    number, _, letter = paragraph.partition(".")
    style = rng.randrange(3)
    if lang == "en":
        if letter and style == 1:
            where = "the same resolution" if same else f"resolution {symbol}"
            return f"Under subparagraph {letter} of paragraph {number} of {where}"
        spaced = symbol if style else symbol.replace("AG/RES. ", "AG/RES.")
        return f"Pursuant to operative paragraph {paragraph} of resolution {spaced}"
    if lang == "fr":
        if letter and style == 1:
            where = "la même résolution" if same else f"la résolution {symbol}"
            return f"Au titre de l'alinéa {letter} du paragraphe {number} de {where}"
        return (f"Conformément au paragraphe {paragraph} du dispositif de la résolution "
                f"{symbol}")
    if letter and style == 1:
        return f"En virtud del inciso {letter} del párrafo {number} de la resolución {symbol}"
    return f"De conformidad con el párrafo {paragraph} de la resolución {symbol}"


def _activity(rng: random.Random, lang: str, theme: dict[str, Any], year: int,
              lead: str, implements: list[str]) -> tuple[list[str], dict[str, Any]]:
    """One activity: its sentences and its gold entry."""
    body_key = theme["body"] if rng.random() < 0.8 else rng.choice(sorted(BODIES))
    body_name, body_acronym = BODIES[body_key][lang]
    partner_key = rng.choice(sorted(PARTNERS))
    partner_name, partner_acronym = PARTNERS[partner_key][lang]
    states = rng.sample(sorted(STATES), rng.randint(1, 3))
    host = states[0]
    participants = rng.choice([21, 27, 32, 40, rng.randint(12, 90)])
    funder = rng.choice(sorted(FUNDERS)) if rng.random() < 0.35 else None
    kind = rng.choice(ACTIVITY_KINDS)[lang]
    dates, month = _dates(rng, year, lang)
    city = _city(host, lang)
    topic = theme["topic"][lang]
    body = f"{body_name} ({body_acronym})"
    partner = f"{partner_name} ({partner_acronym})"
    if lang == "en":
        first = (f"{lead}, the {body}, together with the {partner}, organized {kind} {topic} "
                 f"in {city}, {_state(host, lang)}, {dates}.")
    elif lang == "fr":
        first = (f"{lead}, le {body} a organisé, avec l'appui de l'{partner} "
                 if partner_name[0] in "AEIOU" else
                 f"{lead}, le {body} a organisé, avec l'appui du {partner}, ")
        first = first.rstrip() + (", " if not first.rstrip().endswith(",") else " ")
        first += f"{kind} {topic} à {city} ({_state(host, lang)}) {dates}."
    else:
        first = (f"{lead}, la {body}, junto con la {partner}, organizó {kind} {topic} en "
                 f"{city}, {_state(host, lang)}, {dates}.")
    words = NUMBER_WORDS[lang].get(participants) if rng.random() < 0.5 else None
    count = words or str(participants)
    others = _states_list(states, lang)
    if lang == "en":
        second = f"{count} officials from {others} took part."
    elif lang == "fr":
        second = f"{count} fonctionnaires venus de {others} y ont participé."
    else:
        second = f"{count} funcionarios de {others} participaron."
    if not words and lang != "en":
        second = second[0].upper() + second[1:]
    sentences = [first, second]
    if funder:
        sentences.append({
            "en": f"The activity was funded by {FUNDERS[funder][lang]}.",
            "fr": f"L'activité a été financée par {FUNDERS[funder][lang]}.",
            "es": f"La actividad fue financiada por {FUNDERS[funder][lang]}.",
        }[lang])
    gold: dict[str, Any] = {
        "what": f"{kind} {topic}", "year": year, "month": month,
        "place": f"{_city(host, 'en')} ({host})", "participants": participants,
        "by": [body_key], "with": [partner_key], "states": sorted(states),
        "implements": implements, "status": "completed",
    }
    if funder:
        gold["funded_by"] = [funder]
    return sentences, gold


def _letterhead(rng: random.Random, lang: str, symbol: str, date: str, width: int) -> list[str]:
    left = {
        "en": ["PERMANENT COUNCIL OF THE", "ORGANIZATION OF AMERICAN STATES", "",
               "COMMITTEE ON HEMISPHERIC SECURITY"],
        "fr": ["CONSEIL PERMANENT DE L'ORGANISATION", "DES ÉTATS AMÉRICAINS", "",
               "COMMISSION SUR LA SÉCURITÉ CONTINENTALE"],
        "es": ["CONSEJO PERMANENTE DE LA", "ORGANIZACIÓN DE LOS ESTADOS AMERICANOS", "",
               "COMISIÓN DE SEGURIDAD HEMISFÉRICA"],
    }[lang]
    original = {"en": "Original: English", "fr": "Original : anglais",
                "es": "Original: inglés"}[lang]
    right = ["OEA/Ser.G", symbol, date, original]
    column = max(width - 18, 44)
    return [f"{a:<{column}}{b}".rstrip() for a, b in zip(left, right, strict=True)]


def _date(rng: random.Random, year: int, lang: str) -> tuple[str, str]:
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    name = MONTHS[lang][month - 1]
    text = {"en": f"{day} {name} {year}", "fr": f"{day} {name} {year}",
            "es": f"{day} {name} {year}"}[lang]
    return text, f"{year}-{month:02d}-{day:02d}"


def render_report(seed: int, index: int, *, count: int | None = None) -> GeneratedDocument:
    """The report at corpus position ``index``."""
    rng = random.Random(f"{seed}:{index}")
    lang = LANGUAGES[index % len(LANGUAGES)]
    plan = resolution_plan(seed, rng.choice(_resolution_indices(seed, index, count)))
    year = plan.year + rng.randint(1, 2)
    number = 1000 + index
    symbol = f"CP/CSH-{number}/{year % 100:02d}"
    date, iso_date = _date(rng, year, lang)
    narrow = rng.random() < 0.3  # the two-column layout: narrow lines
    width = 46 if narrow else rng.choice([78, 84, 90])
    page = _Page(symbol=symbol, width=width, length=rng.randint(38, 52),
                 form_feed=rng.random() < 0.5)
    page.add(_letterhead(rng, lang, symbol, date, max(width, 78)))
    page.add(["", "", ""])
    title = {
        "en": f"REPORT OF THE SECRETARIAT FOR MULTIDIMENSIONAL SECURITY ON ITS {year - 1} "
              "ACTIVITIES FOR THE MEMBER STATES",
        "fr": f"RAPPORT DU SECRÉTARIAT À LA SÉCURITÉ MULTIDIMENSIONNELLE SUR LES ACTIVITÉS "
              f"MENÉES EN {year - 1} EN FAVEUR DES ÉTATS MEMBRES",
        "es": f"INFORME DE LA SECRETARÍA DE SEGURIDAD MULTIDIMENSIONAL SOBRE SUS "
              f"ACTIVIDADES DE {year - 1} EN FAVOR DE LOS ESTADOS MIEMBROS",
    }[lang]
    page.add(_wrap(title, width, rng, hyphenate=0.0))
    page.blank()
    intro = {
        "en": f"The Secretariat for Multidimensional Security submits this report in "
              f"response to resolution {plan.symbol}, adopted by the General Assembly in "
              f"{plan.year}. It covers the activities carried out in {year - 1}.",
        "fr": f"Le Secrétariat à la sécurité multidimensionnelle a l'honneur de présenter le "
              f"présent rapport en application de la résolution {plan.symbol}, adoptée par "
              f"l'Assemblée générale en {plan.year}. Il porte sur les activités menées en "
              f"{year - 1}.",
        "es": f"La Secretaría de Seguridad Multidimensional presenta este informe en "
              f"cumplimiento de la resolución {plan.symbol}, aprobada por la Asamblea "
              f"General en {plan.year}. Abarca las actividades realizadas en {year - 1}.",
    }[lang]
    page.add(_wrap(intro, width, rng))
    page.blank()
    numbering = rng.choice(["roman", "arabic", "letter"])
    mandates = plan.mandates
    sections: list[dict[str, Any]] = []
    footnote_done = False
    for n in range(1, rng.randint(2, 5) + 1):
        theme = THEMES[plan.themes[(n - 1) % len(plan.themes)]] if n <= 3 else rng.choice(
            THEMES)
        label = {"roman": _roman(n), "arabic": str(n), "letter": "ABCDEFGH"[n - 1]}[numbering]
        page.blank()
        page.add([f"{label}.{' ' * (5 - len(label))}{theme[lang]}"])
        page.blank()
        cited = rng.sample(mandates, 1)
        implements = [f"{plan.symbol} {p}" for p in cited]
        activities = []
        for a in range(rng.randint(1, 3)):
            if a == 0:
                lead = _citation(cited[0], plan.symbol, lang, rng, same=bool(sections))
            else:
                lead = {"en": "In addition", "fr": "En outre", "es": "Además"}[lang]
            sentences, gold = _activity(rng, lang, theme, year - 1, lead, implements)
            activities.append(gold)
            text = " ".join(sentences)
            page.add(_wrap(text, width, rng))
            page.blank()
        if not footnote_done and rng.random() < 0.3:
            footnote_done = True
            page.add(["_" * 18])
            page.add(_wrap({"en": "1 The figures are those reported by the national "
                                  "authorities.",
                            "fr": "1 Les chiffres sont ceux communiqués par les autorités "
                                  "nationales.",
                            "es": "1 Las cifras son las comunicadas por las autoridades "
                                  "nacionales."}[lang], width, rng))
            page.blank()
        sections.append({
            "n": label, "label": label, "theme": {"en": theme["en"].lower()},
            "cites": [{"res": plan.symbol, "par": p} for p in cited],
            "activities": activities,
        })
    page.add(_wrap({"en": "The Secretariat thanks the member states and the observers for "
                          "their financial contributions.",
                    "fr": "Le Secrétariat remercie les États membres et les observateurs de "
                          "leurs contributions financières.",
                    "es": "La Secretaría agradece a los Estados miembros y a los "
                          "observadores sus contribuciones financieras."}[lang], width, rng))
    organizations = {}
    for section in sections:
        for activity in section["activities"]:
            for key in activity["by"]:
                organizations[key] = {"kind": "oas_body"}
            for key in activity["with"]:
                organizations[key] = {"kind": "partner"}
    gold = {
        "document": {"kind": "report", "language": lang, "symbol": symbol, "date": iso_date,
                     "recalls": [plan.symbol], "generated": {"seed": seed, "index": index}},
        "organizations": dict(sorted(organizations.items())),
        "sections": sections,
    }
    stem = {"en": "report", "fr": "rapport", "es": "informe"}[lang]
    return GeneratedDocument(name=f"{stem}-{index:06d}.{lang}.txt", language=lang,
                             kind="report", text=page.text(), gold=gold)


def render_resolution(seed: int, index: int) -> GeneratedDocument:
    """The resolution at corpus position ``index``."""
    rng = random.Random(f"{seed}:{index}")
    plan = resolution_plan(seed, index)
    lang = LANGUAGES[index // RESOLUTION_EVERY % len(LANGUAGES)]
    width = rng.choice([80, 90])
    page = _Page(symbol=plan.symbol, width=width, length=rng.randint(40, 55),
                 form_feed=rng.random() < 0.5)
    titles = [THEMES[t][lang] for t in plan.themes]
    ordinal = {"en": "plenary session", "fr": "séance plénière", "es": "sesión plenaria"}[lang]
    page.add([plan.symbol, "", _wrap(titles[0], width, rng, hyphenate=0.0)[0], ""])
    adopted = {"en": f"(Adopted at the fourth {ordinal}, held on June 5, {plan.year})",
               "fr": f"(Adoptée à la quatrième {ordinal}, tenue le 5 juin {plan.year})",
               "es": f"(Aprobada en la cuarta {ordinal}, celebrada el 5 de junio de "
                     f"{plan.year})"}[lang]
    page.add(_wrap(adopted, width, rng, hyphenate=0.0))
    page.blank()
    page.add([{"en": "THE GENERAL ASSEMBLY,", "fr": "L'ASSEMBLÉE GÉNÉRALE,",
               "es": "LA ASAMBLEA GENERAL,"}[lang], ""])
    bearing = {"en": "BEARING IN MIND the special security concerns of the member states;",
               "fr": "TENANT COMPTE des préoccupations particulières des États membres en "
                     "matière de sécurité;",
               "es": "TENIENDO EN CUENTA las preocupaciones especiales de seguridad de los "
                     "Estados miembros;"}[lang]
    page.add(_wrap(bearing, width, rng))
    page.blank()
    page.add([{"en": "RESOLVES:", "fr": "DÉCIDE :", "es": "RESUELVE:"}[lang], ""])
    paragraphs: list[dict[str, Any]] = []
    for number, letters in plan.paragraphs:
        theme = THEMES[plan.themes[number % len(plan.themes)]]
        topic = theme["topic"][lang]
        if number == 1:
            text = {"en": "To reaffirm the commitment of the member states to hemispheric "
                          "security.",
                    "fr": "Réaffirmer l'engagement des États membres en faveur de la "
                          "sécurité continentale.",
                    "es": "Reafirmar el compromiso de los Estados miembros con la seguridad "
                          "hemisférica."}[lang]
            page.add(_wrap(f"{number}. {text}", width, rng))
            paragraphs.append({"par": "1"})
        elif letters:
            chapeau = {"en": "To instruct the General Secretariat, through the Secretariat "
                             "for Multidimensional Security:",
                       "fr": "Charger le Secrétariat général, par l'intermédiaire du "
                             "Secrétariat à la sécurité multidimensionnelle :",
                       "es": "Encomendar a la Secretaría General, por medio de la Secretaría "
                             "de Seguridad Multidimensional:"}[lang]
            page.add(_wrap(f"{number}. {chapeau}", width, rng))
            paragraphs.append({"par": str(number), "addressee": "OAS-GS"})
            verbs = {"en": ["to support", "to strengthen", "to continue", "to promote",
                            "to provide training on"],
                     "fr": ["d'appuyer", "de renforcer", "de poursuivre", "de promouvoir",
                            "d'assurer une formation sur"],
                     "es": ["apoyar", "fortalecer", "continuar", "promover",
                            "brindar capacitación sobre"]}[lang]
            for i, letter in enumerate(letters):
                end = "." if i == len(letters) - 1 else ";"
                page.add(_wrap(f"{letter}. {verbs[i]} {topic}{end}", width, rng))
                paragraphs.append({"par": f"{number}.{letter}", "addressee": "OAS-GS"})
        else:
            text = {"en": f"To request the General Secretariat to support {topic}.",
                    "fr": f"Demander au Secrétariat général d'appuyer {topic}.",
                    "es": f"Solicitar a la Secretaría General que apoye {topic}."}[lang]
            page.add(_wrap(f"{number}. {text}", width, rng))
            paragraphs.append({"par": str(number), "addressee": "OAS-GS"})
        page.blank()
    gold = {
        "document": {"kind": "resolution", "language": lang, "symbol": plan.symbol,
                     "generated": {"seed": seed, "index": index}},
        "resolution": {"symbol": plan.symbol, "cites": [], "paragraphs": paragraphs},
    }
    stem = {"en": "resolution", "fr": "resolution", "es": "resolucion"}[lang]
    return GeneratedDocument(name=f"{stem}-{index:06d}.{lang}.txt", language=lang,
                             kind="resolution", text=page.text(), gold=gold)


def render(seed: int, index: int, *, count: int | None = None) -> GeneratedDocument:
    """The document at corpus position ``index`` (a resolution every RESOLUTION_EVERY)."""
    if index % RESOLUTION_EVERY == 0:
        return render_resolution(seed, index)
    return render_report(seed, index, count=count)


def write_corpus(directory: Path, *, count: int, seed: int = 0, gold: bool = True,
                 start: int = 0) -> list[Path]:
    """Write documents ``start .. count-1`` of the corpus of ``seed`` into ``directory``.

    Args:
        directory: created if missing; files of the same names are overwritten.
        count: the size of the corpus (reports cite resolutions below ``count``).
        seed: the corpus seed.
        gold: also write each document's ``<name>.gold.yaml``.
        start: the first position written (to write a corpus in slices).

    Returns:
        The document files written, in corpus order.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(start, count):
        document = render(seed, index, count=count)
        path = directory / document.name
        path.write_text(document.text, encoding="utf-8")
        if gold:
            gold_path = directory / document.name.replace(".txt", ".gold.yaml")
            gold_path.write_text(
                yaml.safe_dump(document.gold, allow_unicode=True, sort_keys=False),
                encoding="utf-8")
        written.append(path)
    return written
