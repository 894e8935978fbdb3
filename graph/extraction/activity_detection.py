"""Activity detection: which words of a sentence introduce an activity, and which text each owns.

A trigger is read with its determiner (new, demonstrative, anaphoric or weak, see
:mod:`mandategraph.graph.extraction.activities`); a sentence is cut into one
segment per activity it introduces, or referred to the previous activity.
"""

from __future__ import annotations

import functools
import re

from mandategraph.graph.extraction import lexicon
from mandategraph.graph.extraction.activity_lexicon import (
    ACTION_NOUN,
    ACTION_VERB,
    ADVERBS,
    ANAPHORIC_PHRASE,
    BARE_DE,
    COPULA,
    COUNT_BEFORE,
    DEFINITE,
    DEMONSTRATIVE,
    DETERMINERS,
    INDEFINITE,
    NOMINAL,
    ONE,
    ORDINAL,
    PROVISION,
    SERIES,
    SINGULAR,
    SUCH,
    VERBISH,
)
from mandategraph.graph.extraction.activity_records import (
    Activity,
    ReaderState,
    Role,
    Span,
    Trigger,
)
from mandategraph.graph.extraction.folding import fold
from mandategraph.graph.extraction.numbers import parse_number
from mandategraph.graph.extraction.segment import Sentence

# an action verb, then at most two words, right before a trigger without determiner
_AFTER_ACTION = re.compile(ACTION_VERB.pattern + r"\s+(?:[\w-]+\s+){0,2}$", re.I)


_LABEL_MAX = 100
# function words a label never ends on
_TRAILING = frozenset(
    "de des du d l la le les et à au aux en sur pour par the of and a an in on for to by "
    "with y el los las del al con para por".split()
)


# "both courses", "ambos cursos", "l'un et l'autre": the two already named
_BOTH = re.compile(r"(?<!\w)(?:both|ambos|ambas|tous\s+deux|toutes\s+deux)\s+$", re.I)


@functools.cache
def _proposal_patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A verb of submitting right before a project word (two words may come between),
    and a proposal noun right after it."""
    verbs = "|".join(lexicon.words("proposal_verbs", lang))
    nouns = "|".join(lexicon.words("proposal_nouns", lang))
    return (
        re.compile(rf"(?<!\w)(?:{verbs})\s+(?:[\w’'-]+\s+){{0,2}}$", re.I),
        re.compile(rf"\s+(?:{nouns})\b", re.I),
    )

class TriggerReading(ReaderState):
    """Finds and classifies the triggers of a sentence and the activities they own."""

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
                if kind == "Programme" and self._proposed(s, e, sentence):
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
            if merged and re.fullmatch(r"\s+", text[merged[-1].end : trig.start]):
                # "training courses", "a training workshop": one thing, named by its head
                merged[-1].end = trig.end
                if trig.type:
                    merged[-1].type = trig.type
                continue
            merged.append(trig)
        for trig in merged:
            # a generic word ("activités", "initiatives") is an activity only next to a
            # verb of doing ("a mené plusieurs activités", "initiatives ... mises en place")
            if trig.det == "new" and not trig.type:
                around = text[
                    max(sentence.start, trig.start - 60) : min(sentence.end, trig.end + 60)
                ]
                if not ACTION_VERB.search(around):
                    trig.det = "weak"
        return merged

    def _proposed(self, start: int, end: int, sentence: Sentence) -> bool:
        """Whether the project word at ``[start, end)`` is a proposal submitted, not an
        activity ("submit a project proposal", "presentar un proyecto a los donantes")."""
        before, after = _proposal_patterns(self.lang)
        return bool(
            before.search(self.text, max(sentence.start, start - 40), start)
            or after.match(self.text, end, sentence.end)
        )

    def _classify(self, sentence: Sentence, start: int, end: int, kind: str) -> Trigger:
        """Read the determiner before a trigger: new, demonstrative, anaphoric or weak."""
        window = max(sentence.start, start - 70)
        before = self.text[window:start]
        before = re.sub(r"[“«\"]\s*$", "", before)
        before = ADVERBS.sub(" ", before)
        trig = Trigger(start, end, kind, "weak")
        if PROVISION.match(self.text[start:end]):
            trig.det = "new"  # "la mise à disposition d'équipements": an action noun
            return trig
        if _BOTH.search(before):
            trig.det = "ana"  # "both courses": the two already named
            return trig
        number = COUNT_BEFORE.search(before)
        if number and not re.fullmatch(r"\d{4}", number.group("n")):
            value = parse_number(number.group("n"))
            if value is not None and value >= 1 and fold(number.group("n")) not in ONE:
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
        if COPULA.search(before):
            trig.det = "ana"
        elif SUCH.search(before):
            trig.det = "new"
        elif DEMONSTRATIVE.search(before):
            trig.det = "demo"
        elif ORDINAL.search(before):
            trig.det = "new"
        elif re.search(
            r"(?:\bd['’]|\bde|\bof)\s*(?:un|une|una|a|an)\s+(?:[\w-]+\s+)?$", before, re.I
        ):
            # "d'un atelier": a complement, unless of an action noun ("l'organisation d'un atelier")
            head = re.search(
                r"([\w’']+)\s+(?:d['’]|de|of)\s*(?:un|une|una|a|an)\s+(?:[\w-]+\s+)?$", before, re.I
            )
            noun = re.split(r"['’]", head.group(1).lower())[-1] if head else ""
            trig.det = "new" if ACTION_NOUN.match(noun) else "weak"
        elif SERIES.search(before):
            trig.det = "new"
        elif INDEFINITE.search(before):
            des = re.search(r"([\w’']+)\s+(?:des|de|d['’])\s*(?:[\w-]+\s+)?$", before, re.I)
            if (
                des
                and re.search(r"\bdes\s*(?:[\w-]+\s+)?$", before, re.I)
                and self._is_noun(before, des)
            ):
                trig.det = "weak"  # "l'exécution des activités": de + les
            else:
                trig.det = "new"
        elif BARE_DE.search(before):
            head = re.search(r"([\w’']+)\s+(?:de|d['’]|of|des)\s*$", before, re.I)
            trig.det = (
                "weak"
                if head is None
                or self._is_noun(before, head)
                or not VERBISH.search(head.group(1).lower())
                else "new"
            )
        elif DEFINITE.search(before):
            trig.det = "ana"
        elif _AFTER_ACTION.search(before):
            trig.det = "new"  # "carried out national surveys": a bare plural, done
        elif not words:
            trig.det = "new" if kind else "weak"
        trig.singular = bool(SINGULAR.search(before))
        return trig

    def _is_noun(self, before: str, match: re.Match[str]) -> bool:
        """Whether the word of ``match`` is a noun: after a determiner, or a nominal suffix."""
        word = match.group(1).lower()
        if NOMINAL.search(word):
            return True
        prior = re.findall(r"[\w’']+", before[: match.start(1)].lower())
        determiners = DETERMINERS.get(self.lang, DETERMINERS["en"])
        return bool(prior) and (prior[-1] in determiners or prior[-1].endswith(("l’", "l'")))

    def _owners(
        self,
        sentence: Sentence,
        triggers: list[Trigger],
        roles: list[Role],
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
            phrase = ANAPHORIC_PHRASE[self.lang].search(sentence.text)
            if (refer or phrase) and not has_citation:
                return [(refer[0] if refer else None, sentence.start, sentence.end, True)]
            typed = [t for t in triggers if t.det in ("demo", "ana") and t.type]
            if typed and has_citation:
                trig = typed[0]
                around = self.text[max(sentence.start, trig.start - 60) : trig.end]
                if ACTION_VERB.search(around):
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
        label = tail[: cut.start()] if cut and cut.start() > 3 else tail[:_LABEL_MAX]
        label = " ".join(label.split())
        if len(label) > _LABEL_MAX:
            label = label[:_LABEL_MAX].rsplit(" ", 1)[0]
            # a whole phrase: back to the last coordination in its second half
            conj = max(label.rfind(f" {w} ") for w in ("et", "and", "y", "ainsi"))
            if conj > _LABEL_MAX // 2:
                label = label[:conj]
        words = label.split()
        while len(words) > 1 and words[-1].lower().strip("’'") in _TRAILING:
            words.pop()  # never end on "de", "the", "y" ...
        return " ".join(words).strip(' “”"«»')
