"""The records of the JSON API and the lists behind it, which the pages show too.

Resources: resolutions, paragraphs (mandates), activities, actors (organizations),
states and documents, each listed with filters and paging and described one by one.
Every record is a Pydantic model, so ``/openapi.json`` documents it.

Filters never reach the query text: the query is assembled from fixed fragments
chosen by which filters are present (:meth:`ActivityFilters.fragments`), and the
values are bound through the store's ``VALUES`` binding
(:meth:`mandategraph.graph.store.Store.query`). Per-item details are read with the
pattern look-ups of :class:`mandategraph.api.resources.Reader`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, SKOS, XSD
from rdflib.term import Identifier

from mandategraph.api.models import (
    ActivityDetail,
    ActivityOut,
    ActorOut,
    DocumentOut,
    Fact,
    IsoCodes,
    Page,
    ParagraphOut,
    PartnerCount,
    Ref,
    ResolutionOut,
    Source,
    StateOut,
)
from mandategraph.api.resources import (
    DOCUMENT_BASE,
    RESOLUTION_BASE,
    ROLE_PATH,
    ROLES,
    STATUSES,
    Reader,
    SpanInfo,
    Term,
    activity_id,
    check_code,
    check_slug,
    document_slug,
    local_name,
    natural_key,
    node,
    page_path,
    paragraph_ref_iri,
    resolution_id,
)
from mandategraph.errors import BadParameterError, NotFoundError
from mandategraph.ontology.namespaces import MG, document_iri, state_iri, status_iri, theme_iri
from mandategraph.ontology.registry import WIKIDATA_ENTITY

# -- building records --------------------------------------------------------------------


def ref(reader: Reader, term: Term, id_: str | None = None) -> Ref:
    """A :class:`Ref` to a node, with its code as id when it has one."""
    iri = term.value
    if id_ is None:
        if iri.startswith(RESOLUTION_BASE):
            id_ = resolution_id(iri)
        elif iri.startswith(DOCUMENT_BASE) and "/activity/" in iri:
            id_ = activity_id(iri)
        elif iri.startswith(DOCUMENT_BASE):
            id_ = document_slug(iri)
        else:
            id_ = reader.code(term) or local_name(iri)
    return Ref(id=id_, label=reader.label(term), iri=iri)


def refs(reader: Reader, terms: Iterable[Term]) -> list[Ref]:
    """Refs to the IRI nodes among ``terms``, sorted by label."""
    found = [ref(reader, t) for t in terms if isinstance(t, ox.NamedNode)]
    return sorted(found, key=lambda r: r.label.lower())


def source(span: SpanInfo) -> Source:
    """A :class:`Source` from a span."""
    return Source(document=span.slug, start=span.start, end=span.end, quote=span.quote,
                  link=span.link)


def activity_document(reader: Reader, iri: str) -> Term | None:
    """The document reporting an activity (through its section, or its IRI)."""
    for section in reader.objects(iri, MG.reportedIn):
        found = reader.first(section, MG.inDocument)
        if found is not None:
            return found
    if iri.startswith(DOCUMENT_BASE) and "/activity/" in iri:
        return node(iri.split("/activity/")[0])
    return None


def activity_record(reader: Reader, iri: str) -> ActivityOut:
    """Everything a list shows about one activity."""
    years = sorted({y for y in (_as_int(t) for t in reader.objects(iri, MG.year)) if y is not None})
    status = reader.first(iri, MG.status)
    spans = reader.spans_of(iri)
    document = activity_document(reader, iri)
    return ActivityOut(
        id=activity_id(iri),
        iri=iri,
        label=reader.label(iri),
        page=page_path(iri) or iri,
        types=sorted(reader.label(t) for t in reader.kinds(iri)),
        themes=refs(reader, reader.objects(iri, MG.theme)),
        years=years,
        status=local_name(status.value) if status is not None else None,
        conducted_by=refs(reader, reader.objects(iri, MG.conductedBy)),
        partners=refs(reader, reader.objects(iri, MG.inPartnershipWith)),
        funders=refs(reader, reader.objects(iri, MG.fundedBy)),
        requested_by=refs(reader, reader.objects(iri, MG.requestedBy)),
        states=refs(reader, reader.objects(iri, MG.beneficiary)),
        places=refs(reader, reader.objects(iri, MG.heldIn)),
        participants=reader.integer(iri, MG.participantCount),
        mandates=refs(reader, reader.objects(iri, MG.implements)),
        document=ref(reader, document) if isinstance(document, ox.NamedNode) else None,
        quote=spans[0].quote if spans else None,
    )


def facts(reader: Reader, iri: str, *, skip: Sequence[str] = ()) -> list[Fact]:
    """The statements about a node, each with the spans it was read from."""
    sources = reader.fact_sources(iri)
    out = []
    for predicate, obj in reader.outgoing(iri):
        if predicate.value in skip:
            continue
        out.append(
            Fact(
                property=predicate.value,
                property_label=reader.label(predicate),
                value=obj.value,
                value_label=reader.label(obj),
                value_is_iri=isinstance(obj, ox.NamedNode),
                sources=[source(s) for s in sources.get((predicate.value, obj), [])],
            )
        )
    return out


def _as_int(term: Term | None) -> int | None:
    try:
        return None if term is None else int(term.value)
    except ValueError:
        return None


# -- lists -------------------------------------------------------------------------------


@dataclass
class ActivityFilters:
    """The filters of the activity list; each one given adds a fixed query fragment."""

    theme: str | None = None
    year: int | None = None
    state: str | None = None
    actor: str | None = None
    status: str | None = None
    mandate: str | None = None
    document: str | None = None

    def fragments(self) -> tuple[str, dict[str, Identifier]]:
        """The graph patterns and the bound values for the filters that are set.

        Raises:
            BadParameterError: a value cannot be a code, status or paragraph id.
        """
        patterns: list[str] = []
        bound: dict[str, Identifier] = {}
        if self.theme:
            patterns.append("?a mg:theme ?f_theme .")
            bound["f_theme"] = theme_iri(check_code(self.theme, "theme"))
        if self.year is not None:
            patterns.append("?a mg:year ?f_year .")
            bound["f_year"] = Literal(self.year, datatype=XSD.integer)
        if self.state:
            patterns.append("?a mg:beneficiary ?f_state .")
            bound["f_state"] = state_iri(check_code(self.state, "state"))
        if self.actor:
            patterns.append(f"?a {ROLE_PATH} ?f_who . ?f_who skos:notation ?f_actor .")
            code = check_code(self.actor, "actor")
            bound["f_actor"] = Literal(code.upper() if len(code) == 3 else code)
        if self.status:
            if self.status not in STATUSES:
                raise BadParameterError(
                    f"status must be one of {', '.join(STATUSES)}, got {self.status!r}"
                )
            patterns.append("?a mg:status ?f_status .")
            bound["f_status"] = status_iri(self.status)
        if self.mandate:
            patterns.append("?a mg:implements ?f_mandate .")
            bound["f_mandate"] = paragraph_ref_iri(self.mandate)
        if self.document:
            patterns.append("?a mg:reportedIn/mg:inDocument ?f_doc .")
            bound["f_doc"] = document_iri(check_slug(self.document, "document"))
        return "\n  ".join(patterns), bound


def list_activities(
    reader: Reader, filters: ActivityFilters, *, limit: int = 50, offset: int = 0
) -> Page[ActivityOut]:
    """A page of activities matching ``filters``, in the order their documents report them."""
    patterns, bound = filters.fragments()
    where = f"WHERE {{\n  ?a a mg:Activity .\n  {patterns}\n}}"
    total_rows = reader.select(f"SELECT (COUNT(DISTINCT ?a) AS ?n) {where}", bound)
    total = int(total_rows[0]["n"].value) if total_rows else 0
    # limit and offset are integers checked by FastAPI: formatting them is safe
    rows = reader.select(
        f"SELECT DISTINCT ?a {where}\n"
        f"ORDER BY STRLEN(STR(?a)) STR(?a) LIMIT {int(limit)} OFFSET {int(offset)}",
        bound,
    )
    # the IRI holds the document slug and "section-item": order by document, then number
    iris = sorted((r["a"].value for r in rows), key=natural_key)
    return Page[ActivityOut](
        total=total, limit=limit, offset=offset,
        items=[activity_record(reader, iri) for iri in iris],
    )



def paragraph_record(reader: Reader, iri: str, activities: int | None = None) -> ParagraphOut:
    """Everything a list shows about one operative paragraph."""
    resolution = reader.first(iri, MG.paragraphOf)
    if activities is None:
        rows = reader.select(
            "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a mg:implements/mg:withinParagraph ?p }",
            {"p": URIRef(iri)},
        )
        activities = int(rows[0]["n"].value) if rows else 0
    return ParagraphOut(
        id=resolution_id(iri),
        iri=iri,
        page=page_path(iri) or iri,
        resolution=ref(reader, resolution) if isinstance(resolution, ox.NamedNode) else None,
        number=reader.text(iri, MG.paragraphNumber),
        text=reader.text(iri, MG.text),
        activities=activities,
    )


def list_paragraphs(
    reader: Reader,
    *,
    resolution: str | None = None,
    has_activity: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ParagraphOut]:
    """A page of operative paragraphs, by resolution and number."""
    bound: dict[str, Identifier] = {}
    patterns = []
    if resolution:
        if resolution.startswith("AG/") or " " in resolution:
            patterns.append("?p mg:paragraphOf/skos:notation ?f_symbol .")
            bound["f_symbol"] = Literal(resolution)
        else:
            patterns.append("?p mg:paragraphOf ?f_res .")
            bound["f_res"] = URIRef(RESOLUTION_BASE + check_slug(resolution, "resolution"))
    rows = reader.select(
        "SELECT ?p (COUNT(DISTINCT ?a) AS ?n) WHERE {\n"
        "  ?p a mg:OperativeParagraph .\n  " + "\n  ".join(patterns) + "\n"
        "  OPTIONAL { ?a mg:implements/mg:withinParagraph ?p }\n"
        "} GROUP BY ?p",
        bound,
    )
    counted = [(r["p"].value, int(r["n"].value)) for r in rows]
    if has_activity is not None:
        counted = [(p, n) for p, n in counted if (n > 0) == has_activity]
    # few enough to sort in Python, where "5.b" can come before "10"
    counted.sort(key=lambda pn: natural_key(pn[0]))
    items = [paragraph_record(reader, p, n) for p, n in counted[offset:offset + limit]]
    return Page[ParagraphOut](total=len(counted), limit=limit, offset=offset, items=items)


def resolution_record(reader: Reader, iri: str, paragraphs: int) -> ResolutionOut:
    """Everything a list shows about one resolution."""
    return ResolutionOut(
        id=resolution_id(iri),
        iri=iri,
        page=page_path(iri) or iri,
        symbol=reader.code(iri),
        label=reader.label(iri),
        paragraphs=paragraphs,
    )


def list_resolutions(reader: Reader, *, limit: int = 50, offset: int = 0) -> Page[ResolutionOut]:
    """A page of resolutions, by symbol."""
    rows = reader.select(
        "SELECT ?r (COUNT(DISTINCT ?p) AS ?n) WHERE {\n"
        "  ?r a mg:Resolution . OPTIONAL { ?p mg:paragraphOf ?r }\n} GROUP BY ?r"
    )
    counted = sorted(((r["r"].value, int(r["n"].value)) for r in rows),
                     key=lambda rn: natural_key(rn[0]))
    items = [resolution_record(reader, r, n) for r, n in counted[offset:offset + limit]]
    return Page[ResolutionOut](total=len(counted), limit=limit, offset=offset, items=items)


def actor_kind(reader: Reader, iri: str) -> str:
    """``oas-body``, ``partner`` or ``organization``."""
    if reader.is_a(iri, MG.OASBody):
        return "oas-body"
    if reader.is_a(iri, MG.PartnerOrganization):
        return "partner"
    return "organization"


def list_actors(
    reader: Reader,
    *,
    kind: str | None = None,
    has_activity: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ActorOut]:
    """A page of organizations, by code, with how many activities each takes part in."""
    classes = {"oas-body": "mg:OASBody", "partner": "mg:PartnerOrganization"}
    if kind is not None and kind not in classes:
        raise BadParameterError(f"kind must be oas-body or partner, got {kind!r}")
    cls = classes.get(kind or "", "mg:Organization")
    rows = reader.select(
        "SELECT ?o (COUNT(DISTINCT ?a) AS ?n) WHERE {\n"
        f"  ?o a {cls} .\n"
        f"  OPTIONAL {{ ?a {ROLE_PATH} ?o }}\n"
        "} GROUP BY ?o"
    )
    counted = [(r["o"].value, int(r["n"].value)) for r in rows]
    if has_activity is not None:
        counted = [(o, n) for o, n in counted if (n > 0) == has_activity]
    records = [
        ActorOut(
            code=reader.code(o) or local_name(o),
            iri=o,
            page=page_path(o) or o,
            label=reader.label(o),
            kind=actor_kind(reader, o),
            activities=n,
            wikidata=wikidata_of(reader, o),
        )
        for o, n in counted
    ]
    records.sort(key=lambda a: (-a.activities, a.code))
    return Page[ActorOut](total=len(records), limit=limit, offset=offset,
                          items=records[offset:offset + limit])


def wikidata_of(reader: Reader, iri: str | ox.NamedNode) -> str | None:
    """The Wikidata item (``Q766``) a node is a ``skos:exactMatch`` of, if any."""
    for term in reader.objects(iri, SKOS.exactMatch):
        if isinstance(term, ox.NamedNode) and term.value.startswith(WIKIDATA_ENTITY):
            return term.value[len(WIKIDATA_ENTITY):]
    return None


def iso_codes(reader: Reader, iri: str | ox.NamedNode) -> IsoCodes | None:
    """A state's ISO 3166-1 codes, when the reference data gives all three."""
    alpha3 = reader.code(iri)
    alpha2 = reader.text(iri, MG.isoAlpha2)
    numeric = reader.text(iri, MG.isoNumeric)
    if alpha3 is None or alpha2 is None or numeric is None:
        return None
    return IsoCodes(alpha2=alpha2, alpha3=alpha3, numeric=numeric)


def list_states(
    reader: Reader,
    *,
    member: bool | None = None,
    has_activity: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[StateOut]:
    """A page of states: members and beneficiaries, with how many activities benefit each."""
    rows = reader.select(
        "SELECT ?s (COUNT(DISTINCT ?a) AS ?n) (SAMPLE(?m) AS ?member) WHERE {\n"
        "  ?s a mg:State .\n"
        "  { ?s a mg:MemberState } UNION { ?any mg:beneficiary ?s }\n"
        f"    UNION {{ ?any {ROLE_PATH} ?s }}\n"
        "  OPTIONAL { ?a mg:beneficiary ?s }\n"
        "  BIND(EXISTS { ?s a mg:MemberState } AS ?m)\n"
        "} GROUP BY ?s"
    )
    records = [
        StateOut(
            code=reader.code(r["s"]) or local_name(r["s"].value),
            iri=r["s"].value,
            page=page_path(r["s"].value) or r["s"].value,
            label=reader.label(r["s"]),
            member=r["member"] is not None and r["member"].value == "true",
            activities=int(r["n"].value),
            wikidata=wikidata_of(reader, r["s"]),
            iso=iso_codes(reader, r["s"]),
        )
        for r in rows
    ]
    if member is not None:
        records = [s for s in records if s.member == member]
    if has_activity is not None:
        records = [s for s in records if (s.activities > 0) == has_activity]
    records.sort(key=lambda s: (-s.activities, s.label))
    return Page[StateOut](total=len(records), limit=limit, offset=offset,
                          items=records[offset:offset + limit])


def document_record(reader: Reader, iri: str, activities: int) -> DocumentOut:
    """Everything a list shows about one document."""
    return DocumentOut(
        slug=document_slug(iri),
        iri=iri,
        page=page_path(iri) or iri,
        title=reader.label(iri),
        kind="resolution" if reader.is_a(iri, MG.Resolution) else "report",
        language=reader.text(iri, MG.language),
        activities=activities,
    )


def list_documents(reader: Reader, *, limit: int = 50, offset: int = 0) -> Page[DocumentOut]:
    """A page of the ingested documents (those with a language: cited ones are not listed)."""
    rows = reader.select(
        "SELECT ?d (COUNT(DISTINCT ?a) AS ?n) WHERE {\n"
        "  ?d a mg:Document ; mg:language ?language .\n"
        "  OPTIONAL { ?a mg:reportedIn/mg:inDocument ?d }\n"
        "} GROUP BY ?d"
    )
    counted = sorted(((r["d"].value, int(r["n"].value)) for r in rows),
                     key=lambda dn: natural_key(dn[0]))
    items = [document_record(reader, d, n) for d, n in counted[offset:offset + limit]]
    return Page[DocumentOut](total=len(counted), limit=limit, offset=offset, items=items)


# -- one resource ------------------------------------------------------------------------


def activities_by_role(reader: Reader, iri: str) -> dict[str, list[Ref]]:
    """The activities an organization or government takes part in, by role."""
    rows = reader.select(
        f"SELECT ?a ?p WHERE {{ ?a ?p ?who . VALUES ?p {{ {ROLE_PATH.replace('|', ' ')} }} }}",
        {"who": URIRef(iri)},
    )
    roles: dict[str, list[Ref]] = {}
    for role in ROLES.values():
        found = [r["a"] for r in rows if ROLES[r["p"].value] == role]
        if found:
            roles[role] = sorted(refs(reader, found), key=lambda r: natural_key(r.id))
    return roles


def partners_of(reader: Reader, iri: str) -> list[PartnerCount]:
    """The other actors sharing activities with ``iri``, most shared first."""
    rows = reader.select(
        "SELECT ?other (COUNT(DISTINCT ?a) AS ?n) WHERE {\n"
        f"  ?a {ROLE_PATH} ?who .\n  ?a {ROLE_PATH} ?other .\n"
        "  FILTER(?other != ?who)\n} GROUP BY ?other",
        {"who": URIRef(iri)},
    )
    found = [PartnerCount(actor=ref(reader, r["other"]), activities=int(r["n"].value))
             for r in rows if isinstance(r["other"], ox.NamedNode)]
    return sorted(found, key=lambda p: (-p.activities, p.actor.label))


def get_activity(reader: Reader, iri: str) -> ActivityDetail:
    """One activity with its facts and sources.

    Raises:
        NotFoundError: no activity has that IRI.
    """
    if not reader.exists(iri) or not reader.is_a(iri, MG.Activity):
        raise NotFoundError(f"no activity {activity_id(iri)!r}")
    record = activity_record(reader, iri)
    return ActivityDetail(
        **record.model_dump(),
        facts=facts(reader, iri, skip=(str(PROV.wasDerivedFrom),)),
        sources=[source(s) for s in reader.spans_of(iri)],
    )




def document_activities(reader: Reader, iri: str) -> list[Ref]:
    """The activities a document reports, in report order."""
    rows = reader.select(
        "SELECT DISTINCT ?a WHERE { ?a mg:reportedIn/mg:inDocument ?d }", {"d": URIRef(iri)}
    )
    return sorted(refs(reader, [r["a"] for r in rows]), key=lambda r: natural_key(r.id))

