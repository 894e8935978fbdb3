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

This module reads a section sentence by sentence (:class:`ActivityReader`); the words
it matches are in ``activity_lexicon``, the records it builds in ``activity_records``,
trigger detection in ``activity_detection`` and the roles of names in
``activity_participants``.
"""

from __future__ import annotations

import bisect
import re

from mandategraph.graph.extraction import lexicon
from mandategraph.graph.extraction.activity_detection import TriggerReading
from mandategraph.graph.extraction.activity_lexicon import (
    MONTH_YEAR,
    MONTHS,
    PARTICIPANTS,
    PARTICIPATION_VERB,
    SINCE,
    STATE_COUNT_NOUNS,
    YEAR,
    YEAR_RANGE,
)
from mandategraph.graph.extraction.activity_participants import RoleReading
from mandategraph.graph.extraction.activity_records import Activity, Role, Span, Trigger
from mandategraph.graph.extraction.actors import Mention
from mandategraph.graph.extraction.citations import SYMBOL_RE, Citation
from mandategraph.graph.extraction.numbers import parse_number
from mandategraph.graph.extraction.places import state_of_city
from mandategraph.graph.extraction.segment import Segmentation, Sentence
from mandategraph.ontology.registry import Registry

_THANKS = lexicon.pattern("thanks")
_TABLE_CAPTION = re.compile(
    r"\s*(?:" + "|".join(lexicon.words("table_captions")) + r")\s+\d{1,3}\s*[.:]", re.I
)
#: The longest cell of a table turned into text, one cell per line.
_CELL_MAX = 40
_PARAGRAPH_WORD = re.compile(
    r"\b(?:paragraphs?|paragraphes?|p[áa]rrafos?|alinéas?|incisos?|subparagraphs?)\b", re.I
)
# a bulleted list item ("-  un curso ...", "•  a workshop ...")
_LIST_ITEM = re.compile(r"\s*[•●▪◦·\-–—*][ \t]")

__all__ = ["Activity", "ActivityReader", "Trigger", "read_activities"]


class ActivityReader(TriggerReading, RoleReading):
    """Reads the activities of one document (see the module docstring)."""

    # -- reading ---------------------------------------------------------------------

    def read(self) -> list[Activity]:
        """Every activity of the document, in text order."""
        numbered = any(not s.implicit for s in self.seg.sections)
        unread = {s.number for s in self.seg.sections if s.implicit} if numbered else set()
        by_section: dict[str, list[Sentence]] = {}
        for sentence in self.seg.sentences:
            if sentence.footnote:
                continue
            if sentence.section in unread:
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
        context_funders: dict[str, tuple[str, Span]] = {}
        context_paragraph = -1
        counter = 0
        # partners and funders of a list's lead-in ("la CICAD, junto con el USCG y la
        # CBSA, impartió:"), shared by each item of the list
        lead_roles: list[Role] = []
        # a table turned into text, one cell per line ("Tableau 1." / "Sainte-Lucie" /
        # "Castries" / "18"): its states and cities detail the activity before it
        table_of: Activity | None = None
        table_paragraph = -1
        for sentence in sentences:
            if _THANKS.search(sentence.text):
                continue  # "Le Secrétariat remercie le Canada ...": donors, no activity
            if _TABLE_CAPTION.match(sentence.text):
                table_of = section_activities[-1] if section_activities else None
                table_paragraph = sentence.paragraph
                continue
            if table_of is not None and (
                sentence.paragraph == table_paragraph or len(sentence.text) <= _CELL_MAX
            ):
                if sentence.paragraph != table_paragraph:
                    self._table_cell(table_of, sentence)
                continue
            table_of = None
            if not _LIST_ITEM.match(sentence.text):
                lead_roles = []
            span = (sentence.start, sentence.end)
            low = bisect.bisect_left(self._citation_starts, sentence.start)
            high = bisect.bisect_left(self._citation_starts, sentence.end)
            own = self.citations[low:high]
            if own:
                current_mandates = [(c.symbol, c.paragraph, span) for c in own]
            elif self._denies_mandate(sentence):
                # "La résolution ... ne confie aucun mandat ...; le DSP a néanmoins
                # tenu ...": what follows implements nothing cited before
                current_mandates = []
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
            if sentence.paragraph != context_paragraph:
                context_funders = {}
                context_paragraph = sentence.paragraph
            if sentence.text.rstrip().endswith(":"):
                lead_roles = [
                    r for r in roles if r.role in ("partner", "funder") and not r.dup
                ]
            if not owners:
                # "le DSP a poursuivi le projet ..., financé par le Gouvernement des
                # États-Unis. En 2012, quatre machines ...": the funder of a programme
                # named without an activity funds the activities reported after it
                for role in roles:
                    if role.role == "funder" and not role.dup:
                        context_funders[role.mention.code] = (role.mention.kind, span)
                # a sentence without activity may still add partners to the last one
                last = section_activities[-1] if section_activities else None
                cued = [r for r in roles if r.role in ("partner", "funder", "requester")]
                joined = PARTICIPATION_VERB.search(sentence.text) and PARTICIPANTS.search(
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
                if _LIST_ITEM.match(sentence.text):
                    for role in lead_roles:
                        self._assign(activity, role, span, False)
                for code, (kind, funder_span) in context_funders.items():
                    activity.funders.setdefault(code, (kind, funder_span))
                if activity.type == "Programme":
                    # a programme's funder funds what is reported of it after
                    context_funders.update(activity.funders)
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

    def _table_cell(self, activity: Activity, sentence: Sentence) -> None:
        """The states and cities of a table's cell, as the activity's beneficiaries."""
        span = (sentence.start, sentence.end)
        for m in self._mentions_in(sentence.start, sentence.end):
            if m.kind == "state" and not m.government:
                activity.beneficiaries.setdefault(m.code, span)
            elif m.kind == "place":
                code = state_of_city(self.registry, m.label or m.text, self.region)
                if code is not None:
                    activity.beneficiaries.setdefault(code, span)

    def _denies_mandate(self, sentence: Sentence) -> bool:
        """Whether a sentence without citations names a resolution or a paragraph in
        a negated clause."""
        if not (SYMBOL_RE.search(sentence.text) or _PARAGRAPH_WORD.search(sentence.text)):
            return False
        return bool(lexicon.pattern("negation", self.lang).search(sentence.text))

    def _apply(
        self,
        activity: Activity,
        sentence: Sentence,
        roles: list[Role],
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
                # a city is the only clue to its state in many sentences
                code = state_of_city(self.registry, m.label or m.text, self.region)
                if code is not None:
                    activity.beneficiaries.setdefault(code, span)
                    activity.held_in_states.setdefault(code, span)
            elif m.kind == "instrument":
                activity.instruments.setdefault(m.code, span)
        seg_text = self.text[seg_start:seg_end]
        # participants
        if activity.participants is None:
            for match in PARTICIPANTS.finditer(self.text, seg_start, seg_end):
                if self._masked(match.start(), match.end()):
                    continue
                value = parse_number(match.group("num"))
                if value == 1 and not match.group("num").isdigit():
                    continue  # "una reunión técnica": an article, not a count
                if value is None or (1900 <= value <= 2100 and match.group("num").isdigit()):
                    continue
                if STATE_COUNT_NOUNS.match(self.text[match.end("num") : match.end("num") + 30]):
                    continue
                activity.participants = (value, span)
                break
        self._dates(activity, seg_start, seg_end, span)
        del seg_text

    def _dates(self, activity: Activity, start: int, end: int, span: Span) -> None:
        text = self.text
        paren = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text[start:end])]
        paren = [(start + a, start + b) for a, b in paren]

        def usable(s: int, e: int) -> bool:
            return not self._masked(s, e) and not any(a <= s < b for a, b in paren)

        since = next(
            (m for m in SINCE.finditer(text, start, end) if usable(m.start(), m.end())), None
        )
        if since and activity.start_date is None:
            year = since.group("year")
            if since.group("month"):
                month = MONTHS[since.group("month").lower()]
                activity.start_date = (f"{year}-{month:02d}", "gYearMonth", span)
            else:
                activity.start_date = (year, "gYear", span)
            activity.years.setdefault(int(year), span)
            return
        ranged = next(
            (m for m in YEAR_RANGE.finditer(text, start, end) if usable(m.start(), m.end())), None
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
            (m for m in MONTH_YEAR.finditer(text, start, end) if usable(m.start(), m.end())), None
        )
        if month_year and activity.start_date is None:
            month = MONTHS[month_year.group("month").lower()]
            activity.start_date = (f"{month_year.group('year')}-{month:02d}", "gYearMonth", span)
            activity.years.setdefault(int(month_year.group("year")), span)
        for match in YEAR.finditer(text, start, end):
            if usable(match.start(), match.end()):
                activity.years.setdefault(int(match.group("year")), span)


def read_activities(
    *,
    text: str,
    lang: str,
    segmentation: Segmentation,
    citations: list[Citation],
    mentions: list[Mention],
    registry: Registry,
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
