"""Activity participants: the role of each name, conducting bodies and the umbrella.

Roles come from the wording before a name and carry along a list; an OAS body that
is the subject of a sentence conducts; "le Secrétariat" / "nous" / "l'OEA" stand for
the body the section is about; a body another conducting body belongs to is dropped
(see :mod:`mandategraph.graph.extraction.activities`).
"""

from __future__ import annotations

import re

from mandategraph.graph.extraction.activity_lexicon import (
    AFFILIATION,
    EXCEPT,
    GLUE,
    LOCATIVE,
    NOT_ACTING,
    POSSESSIVE_BEFORE,
    SUBJECT_AFTER,
    UMBRELLA,
)
from mandategraph.graph.extraction.activity_records import Activity, ReaderState, Role, Span
from mandategraph.graph.extraction.actors import Mention, org_ancestors, org_kind
from mandategraph.graph.extraction.segment import Sentence
from mandategraph.ontology.registry import Registry

_JOINED = re.compile(
    r"^\s*(?:\([^)]{0,20}\)\s*)?,?\s*(?:et|and|y)\s+(?:(?:le|la|les|l['’]|the|el|los|las)\s*)?$",
    re.I,
)


class RoleReading(ReaderState):
    """Reads who does what in an activity: roles, conductors, partners, beneficiaries."""

    def _roles(self, sentence: Sentence, mentions: list[Mention]) -> list[Role]:
        """The role of each actor mention of a sentence, from the cue before it."""
        roles: list[Role] = []
        previous: Role | None = None
        for mention in mentions:
            if mention.kind not in ("organization", "state", "person", "group"):
                continue
            window_start = max(sentence.start, mention.start - 90)
            if previous is not None:
                window_start = max(window_start, previous.mention.end)
            before = self.text[window_start : mention.start]
            role = "none"
            # a list carries the cue of its first name
            after = self.text[mention.end : min(sentence.end, mention.end + 200)]
            gap = self.text[previous.mention.end : mention.start] if previous is not None else ""
            if (
                previous is not None
                and previous.role not in ("none", "subject")
                and GLUE.match(gap)
                and not ("," in gap and SUBJECT_AFTER.match(after))
            ):
                role = previous.role
            else:
                for cue_role, regex in self.cues:
                    cue = self._cue_before(before, regex)
                    if cue:
                        role = cue_role
                        break
            if role == "none" and SUBJECT_AFTER.match(after) and not NOT_ACTING.match(after):
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
                current = Role(mention, role, dup=True)
                roles.append(current)
                previous = current
                continue
            current = Role(mention, role)
            roles.append(current)
            previous = current
        # "ES/CICAD and the CICTE Secretariat ... jointly organized": the first of two
        # bodies joined by "and" is a subject when the second is
        for first, second in reversed(list(zip(roles, roles[1:], strict=False))):
            if (
                first.role == "none"
                and second.role == "subject"
                and _JOINED.match(self.text[first.mention.end : second.mention.start])
            ):
                first.role = "subject"
                first.joint = second.joint = True
        return roles

    @staticmethod
    def _cue_before(before: str, regex: re.Pattern[str]) -> bool:
        # the cue, then only determiners / "Gouvernement de"
        matches = list(regex.finditer(before))
        return bool(matches) and bool(GLUE.match(before[matches[-1].end() :]))

    def _explicit_conductors(self, roles: list[Role]) -> list[str]:
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

    def _umbrella_in(self, sentence: Sentence, start: int, end: int, roles: list[Role]) -> bool:
        first = self.text[sentence.start : end]
        if UMBRELLA[self.lang].search(first):
            return True
        return any(
            r.mention.kind == "organization"
            and r.mention.code in self._umbrella_codes()
            and r.role in ("subject", "conductor")
            for r in roles
        )

    def _assign(self, activity: Activity, role: Role, span: Span, inside: bool) -> None:
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
            elif kind == "none" and inside and not oas and not POSSESSIVE_BEFORE.search(before):
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
        if EXCEPT.search(before[-40:]) or AFFILIATION.search(before[-60:]):
            return
        after = self.text[m.end : m.end + 3]
        prev_char = self.text[max(0, m.start - 2) : m.start]
        if "(" in prev_char and ")" in after and re.search(r"[A-ZÀ-Ý][\w’'-]+\s*\($", before):
            return  # "Montréal (Canada)": where a place is, not who benefits
        if re.search(r"\b(?:à|in|en|at)\s+[A-ZÀ-Ý][\w’'. -]{2,30},\s*$", before):
            return  # "in Vancouver, Canada": the state of a venue
        activity.beneficiaries.setdefault(m.code, span)
        if LOCATIVE.search(before[-12:]):
            activity.held_in_states.setdefault(m.code, span)

    def _resolve_conductors(
        self, activity: Activity, roles: list[Role], start: int, end: int, context: list[str]
    ) -> None:
        umbrella = self._umbrella_codes()
        # the author named by name beside another body ("ES/CICAD and the CICTE
        # Secretariat jointly organized") conducts with it, umbrella or not
        joint = {
            r.mention.code
            for r in roles
            if r.joint
            and start <= r.mention.start < end
            and r.mention.code not in ("OAS", "OAS-GS")
        }
        explicit = {
            k: v for k, v in activity.conducted_by.items() if k not in umbrella or k in joint
        }
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
        seen_cited: set[str] = set()
        for activity in self.activities:
            if activity.mandates:
                seen_cited.add(activity.section)
            elif activity.section in first_cited and activity.section not in seen_cited:
                # only before the first citation: after it, an activity without one
                # follows a sentence that denies a mandate
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


def _agency_country(registry: Registry, key: str) -> str | None:
    """The state a national agency acts for (the registry's ``country``), if any."""
    entry = registry.organizations.get(key)
    return entry.country if entry is not None and entry.country else None
