"""What the activity reader builds, and the per-document state its steps share.

:class:`Activity` is an activity read from a report, :class:`Trigger` a word of the
activity taxonomy in a sentence, :class:`Role` the role an actor mention plays in
its sentence. :class:`ReaderState` holds one document's text, citations and
mentions with the look-ups the detection
(:mod:`~mandategraph.graph.extraction.activity_detection`) and the participants
(:mod:`~mandategraph.graph.extraction.activity_participants`) read through.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from mandategraph.graph.extraction.activity_lexicon import (
    TRIGGERS,
    compiled_patterns,
)
from mandategraph.graph.extraction.actors import Mention
from mandategraph.graph.extraction.citations import Citation
from mandategraph.graph.extraction.segment import Segmentation
from mandategraph.ontology.registry import Registry

Span = tuple[int, int]

#: Member states whose cities are venues of the OAS's work rather than the states it
#: serves (the OAS seat is in Washington; Canada and the United States fund, host
#: and train): a city there is a place, not a beneficiary, unless a region says so.
VENUE_STATES = frozenset({"CAN", "USA"})


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
class Role:
    """The role an actor mention plays in its sentence, read from the cue before it."""

    mention: Mention
    role: str  # conductor | partner | funder | requester | leader | subject | none
    dup: bool = False  # the same name again, e.g. its acronym in parentheses
    joint: bool = False  # one of bodies joined by "and" as the subject ("X and Y organized")


class ReaderState:
    """One document as the activity reader sees it: text, masks, sorted mentions."""

    def __init__(
        self,
        *,
        text: str,
        lang: str,
        segmentation: Segmentation,
        citations: list[Citation],
        mentions: list[Mention],
        registry: Registry,
        self_org: str | None,
    ) -> None:
        self.text = text
        self.lang = lang if lang in TRIGGERS else "en"
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
        compiled = compiled_patterns(self.lang)
        self.triggers_re = compiled.triggers
        self.verb_re = compiled.verbs
        self.cues = compiled.cues
        self.planned = compiled.planned
        self.ongoing = compiled.ongoing
        self.activities: list[Activity] = []
        # the region the report serves: the members of the groups of states it names
        # ("petits États insulaires de la Caraïbe"); a city elsewhere is a venue
        groups = {m.code for m in mentions if m.kind == "group" and m.code in registry.groups}
        # Without one, the member states the OAS's cooperation serves: Latin America
        # and the Caribbean (a meeting in Montréal or Washington is held at a venue).
        self.region: set[str] = (
            {code for group in groups for code in registry.group_members(group)}
            if groups
            else set(registry.member_states()) - VENUE_STATES
        )

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
