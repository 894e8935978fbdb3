"""What the JSON API answers: one Pydantic model per record, so that
``/openapi.json`` documents every response.

The records are built from the graph by :mod:`mandategraph.api.records`.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field


class Ref(BaseModel):
    """A link to another resource: its id in this API, its name and its IRI."""

    id: str = Field(description="Identifier in this API (code, slug or path).")
    label: str = Field(description="Human-readable name.")
    iri: str = Field(description="The resource's IRI; dereference it for HTML or RDF.")


class Source(BaseModel):
    """A text span a fact was read from."""

    document: str | None = Field(description="Slug of the document.")
    start: int | None = Field(description="Offset of the first character (from 0).")
    end: int | None = Field(description="Offset just after the last character.")
    quote: str = Field(description="The words of the span.")
    link: str | None = Field(description="The document page with the passage highlighted.")


class Fact(BaseModel):
    """One statement about a resource, with where it was read."""

    property: str = Field(description="IRI of the property.")
    property_label: str
    value: str = Field(description="IRI or lexical form of the value.")
    value_label: str
    value_is_iri: bool
    sources: list[Source] = Field(description="Spans the statement was extracted from.")


class ActivityOut(BaseModel):
    """A reported activity."""

    id: str = Field(description="<document slug>/<local id>")
    iri: str
    label: str
    page: str = Field(description="Path of the HTML page.")
    types: list[str] = Field(description="Kinds of activity (training, workshop...).")
    themes: list[Ref]
    years: list[int]
    status: str | None = Field(description="planned, ongoing or completed.")
    conducted_by: list[Ref]
    partners: list[Ref]
    funders: list[Ref]
    requested_by: list[Ref]
    states: list[Ref] = Field(description="Beneficiary states.")
    places: list[Ref] = Field(description="Where it was held.")
    participants: int | None
    mandates: list[Ref] = Field(description="Operative paragraphs it implements.")
    document: Ref | None = Field(description="The document that reports it.")
    quote: str | None = Field(description="The sentence it was read from.")


class ActivityDetail(ActivityOut):
    """A reported activity with every fact and its source."""

    facts: list[Fact]
    sources: list[Source] = Field(description="Spans the activity as a whole was read from.")


class ParagraphOut(BaseModel):
    """An operative paragraph of a resolution: a mandate."""

    id: str = Field(description="<resolution id>/<number>")
    iri: str
    page: str
    resolution: Ref | None
    number: str | None
    text: str | None
    activities: int = Field(description="Activities implementing it or its sub-paragraphs.")


class ResolutionOut(BaseModel):
    """A General Assembly resolution."""

    id: str
    iri: str
    page: str
    symbol: str | None
    label: str
    paragraphs: int = Field(description="Operative paragraphs known to the graph.")


class ResolutionDetail(ResolutionOut):
    """A resolution with its paragraphs and the documents that recall it."""

    paragraph_list: list[ParagraphOut]
    recalled_by: list[Ref]


class IsoCodes(BaseModel):
    """The ISO 3166-1 codes of a state."""

    alpha2: str = Field(description="ISO 3166-1 alpha-2, e.g. JM")
    alpha3: str = Field(description="ISO 3166-1 alpha-3, e.g. JAM (the state's code)")
    numeric: str = Field(description="ISO 3166-1 numeric, leading zeros kept, e.g. 388")


class ActorOut(BaseModel):
    """An organization: an OAS body or a partner."""

    code: str
    iri: str
    page: str
    label: str
    kind: str = Field(description="oas-body, partner or organization.")
    activities: int = Field(description="Activities it takes part in, in any role.")
    wikidata: str | None = Field(
        default=None, description="Its Wikidata item (skos:exactMatch), e.g. Q123759.")


class PartnerCount(BaseModel):
    """Another actor sharing activities with this one."""

    actor: Ref
    activities: int


class ActorDetail(ActorOut):
    """An organization with its activities by role and its partners."""

    roles: dict[str, list[Ref]] = Field(description="role -> activities")
    partners: list[PartnerCount]
    part_of: list[Ref]


class StateOut(BaseModel):
    """A state."""

    code: str = Field(description="ISO 3166-1 alpha-3")
    iri: str
    page: str
    label: str
    member: bool = Field(description="An OAS member state.")
    activities: int = Field(description="Activities it benefits from.")
    wikidata: str | None = Field(
        default=None, description="Its Wikidata item (skos:exactMatch), e.g. Q766.")
    iso: IsoCodes | None = Field(default=None, description="Its ISO 3166-1 codes.")


class StateDetail(StateOut):
    """A state with the activities benefiting it and those it takes part in."""

    beneficiary_of: list[Ref]
    roles: dict[str, list[Ref]] = Field(description="role -> activities, as a government")


class DocumentOut(BaseModel):
    """An ingested document."""

    slug: str
    iri: str
    page: str
    title: str
    kind: str = Field(description="report or resolution")
    language: str | None
    activities: int


class DocumentDetail(DocumentOut):
    """A document with its activities and the mandates it cites."""

    activity_list: list[Ref]
    cites: list[Ref]
    recalls: list[Ref]


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    total: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int
    items: list[T]

