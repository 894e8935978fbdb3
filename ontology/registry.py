"""The reference registry: states, organizations, themes and legal instruments.

The reference data lives in YAML under ``ontology/reference/`` (``states.yaml``,
``organizations.yaml``, ``themes.yaml``, ``instruments.yaml``). This module loads
it into dataclasses, resolves the names real documents use to registry codes,
hands ``(surface form, code)`` pairs to pattern-based extractors (spaCy
``PhraseMatcher`` / ``EntityRuler``), and renders the reference graph stored in
``graph/reference``.

Name resolution tolerates the way OAS documents actually write names:

* case, accents, typographic or straight apostrophes, hyphens or spaces, periods
  (``"Saint-Kitts-et-Nevis"`` = ``"saint kitts et nevis"``);
* leading articles and prepositions (``"la Barbade"``, ``"d’Antigua-et-Barbuda"``,
  ``"aux Bahamas"``, ``"the United States"``, ``"de l’OEA"``);
* ``"St."``/``"St"``/``"Saint"``, ``"Ste"``/``"Sainte"``, and ``"&"``/``"and"``/
  ``"et"``/``"y"``/``"e"``;
* for states, a code (``"JAM"``, ``"JM"``) and government phrases
  (``"Gouvernement français"``, ``"Government of Canada"``, ``"U.S. Government"``).

Acronyms (``UN``, ``US``, ``MEM``) are compared case-sensitively, so that the
French article "un" or the pronoun "us" never resolve to anything.

Typical use::

    registry = load_registry()
    registry.resolve_state("le Commonwealth des Bahamas")      # "BHS"
    registry.resolve_organization("Secrétariat exécutif du CICTE")  # "CICTE"
    patterns = registry.names("state", "fr")                  # [("Antigua-et-Barbuda", "ATG"), ...]
    graph = registry.to_graph()                               # the reference graph
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast, get_args

import pycountry
import yaml
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from mandategraph.ontology.namespaces import (
    ID,
    MG,
    PREFIXES,
    REFERENCE_GRAPH,
    entity_iri,
    group_iri,
    org_iri,
    state_iri,
    theme_iri,
)

__all__ = [
    "REFERENCE_DIR",
    "THEME_SCHEME",
    "WIKIDATA_ENTITY",
    "WIKIDATA_PAGE",
    "Form",
    "Instrument",
    "Kind",
    "Names",
    "Organization",
    "Registry",
    "RegistryError",
    "State",
    "StateGroup",
    "Surface",
    "Territory",
    "Theme",
    "fold",
    "load_registry",
    "read_wikidata",
    "wikidata_iri",
]

#: Folder of the YAML files the registry is read from.
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

#: The SKOS concept scheme of the themes (``skos:inScheme`` of every theme).
THEME_SCHEME = ID["theme"]

#: Where a Wikidata item's IRI starts (the object of ``skos:exactMatch``).
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
#: Where a Wikidata item's page starts (what pages link to).
WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"

_QID = re.compile(r"Q[1-9][0-9]*")

#: What a surface form names.
Kind = Literal["state", "territory", "group", "organization", "instrument", "theme"]

#: How a surface form names it. ``acronym`` forms are matched case-sensitively;
#: ``adjective`` (states only) and ``contextual`` forms are left out of default
#: patterns because they need context ("Gouvernement ___", a nearby CICAD).
Form = Literal["name", "variant", "acronym", "adjective", "contextual", "keyword"]

_DEFAULT_FORMS: frozenset[str] = frozenset({"name", "variant", "acronym", "keyword"})
_KINDS: tuple[str, ...] = get_args(Kind)
_FORMS: tuple[str, ...] = get_args(Form)

# ---------------------------------------------------------------------------------
# Folding: the key two spellings of one name share
# ---------------------------------------------------------------------------------

# The grammar of the resolver, not reference data: words that may come before a
# name in running text without being part of it. Compared folded (no accents,
# lowercase), so "à" is "a" and "l’" is "l'".
_ARTICLES = frozenset({"the", "le", "la", "les", "l'", "el", "los", "las", "o", "a", "os", "as"})
_PREPOSITIONS = frozenset({
    "of", "in", "to", "from", "for", "at",
    "de", "d'", "du", "des", "au", "aux", "a", "en", "pour", "dans",
    "del", "al", "para",
    "da", "do", "das", "dos", "em", "no", "na", "nos", "nas",
})
_FUNCTION_WORDS = _ARTICLES | _PREPOSITIONS
_GOVERNMENT_NOUNS = frozenset({"government", "gouvernement", "gobierno", "governo"})

# Spellings that mean the same token in names: abbreviations of Saint, and the
# conjunction of "Trinidad and Tobago" in four languages (& / et / y / e).
_TOKEN_EQUIVALENTS = {"st": "saint", "ste": "sainte", "&": "and", "et": "and", "y": "and",
                      "e": "and"}

_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u2032`\u00b4\u02b9"})
_TYPOGRAPHIC_APOSTROPHE = "\u2019"
_TOKEN = re.compile(r"[^\W_]+'?|&")
_LEADING_WORD = re.compile(r"\s*([^\W\d_]+'|[^\W\d_]+\s+)")
_CODE = re.compile(r"[A-Z]{2,3}")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Ligatures are no accents, but "œuvre" and "oeuvre" are one word.
    return bare.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")


def fold(text: str) -> str:
    """Reduce a name to the key that all its spellings share.

    Args:
        text: a name as written, e.g. ``"St. Kitts & Nevis"`` or ``"Saint-Kitts-et-Nevis"``.

    Returns:
        Lowercase ASCII-ish tokens joined by single spaces, with accents removed,
        periods dropped, apostrophes straightened (an elided article stays a token of
        its own: ``"l' oea"``), hyphens and other punctuation turned into spaces, and
        equivalent tokens unified (``st`` -> ``saint``, ``&``/``et``/``y``/``e`` ->
        ``and``): both examples above fold to ``"saint kitts and nevis"``.
    """
    text = _strip_accents(text.translate(_APOSTROPHES)).casefold()
    # Periods vanish rather than split: "EE.UU." is "EEUU", "St." is "St".
    text = text.replace(".", "")
    tokens = _TOKEN.findall(text)
    return " ".join(_TOKEN_EQUIVALENTS.get(token, token) for token in tokens)


def _acronym_key(text: str) -> str:
    """Case-preserving key of an acronym: no periods, no spaces ("EE. UU." -> "EEUU")."""
    return re.sub(r"[.\s]", "", text.translate(_APOSTROPHES))


def _peel(text: str, words: frozenset[str]) -> str | None:
    """``text`` without its first word if that word is one of ``words``, else None."""
    match = _LEADING_WORD.match(text)
    if match is None:
        return None
    word = _strip_accents(match.group(1).strip()).casefold()
    if word not in words:
        return None
    rest = text[match.end():].strip()
    return rest or None


def _peeled(text: str, words: frozenset[str] = _FUNCTION_WORDS) -> Iterator[str]:
    """``text``, then ``text`` without one, two, ... leading function words."""
    current: str | None = " ".join(text.translate(_APOSTROPHES).split())
    while current:
        yield current
        current = _peel(current, words)


# ---------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------


class RegistryError(ValueError):
    """The reference data is malformed or ambiguous (two codes share a name)."""


@dataclass(frozen=True)
class Names:
    """The surface forms of one entity in one language.

    Attributes:
        name: the preferred name (``skos:prefLabel``), without leading article.
        variants: other names documents use (``skos:altLabel``).
        acronyms: abbreviations, compared case-sensitively (``skos:altLabel``).
        adjectives: national adjectives of a state, for government phrases.
        contextual: names that denote the entity only in context.
    """

    name: str
    variants: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    contextual: tuple[str, ...] = ()

    def forms(self) -> Iterator[tuple[Form, str]]:
        """Every surface form with how it names the entity, preferred name first."""
        yield "name", self.name
        for variant in self.variants:
            yield "variant", variant
        for acronym in self.acronyms:
            yield "acronym", acronym
        for adjective in self.adjectives:
            yield "adjective", adjective
        for contextual in self.contextual:
            yield "contextual", contextual


class _Labelled:
    """Mixin: the preferred label of a record with ``names`` per language."""

    names: Mapping[str, Names]

    def label(self, lang: str = "en") -> str:
        """The preferred name in ``lang``, falling back to English."""
        names = self.names.get(lang) or self.names["en"]
        return names.name


@dataclass(frozen=True)
class State(_Labelled):
    """A sovereign state.

    Attributes:
        code: ISO 3166-1 alpha-3 (``skos:notation``).
        alpha2: ISO 3166-1 alpha-2 (pycountry; ``mg:isoAlpha2``).
        numeric: ISO 3166-1 numeric, as a zero-padded string (pycountry;
            ``mg:isoNumeric``).
        official_name: the official English name (pycountry), an English altLabel.
        oas_member: one of the 35 OAS member states.
        caribbean_sids: in the OAS group of Caribbean small island states.
        names: surface forms per language (en, fr, es, pt).
        wikidata: its Wikidata item (``Q766``), if known (``skos:exactMatch``).
    """

    code: str
    alpha2: str
    numeric: str
    official_name: str
    oas_member: bool
    caribbean_sids: bool
    names: Mapping[str, Names] = field(default_factory=dict, hash=False)
    wikidata: str | None = None

    @property
    def iri(self) -> URIRef:
        """The state's IRI (``id/state/<code>``)."""
        return state_iri(self.code)


@dataclass(frozen=True)
class Territory(_Labelled):
    """A non-sovereign territory documents mention (Saint-Martin): not a state.

    Attributes:
        code: ISO 3166-1 alpha-3.
        sovereign: codes of the state(s) responsible for it.
        names: surface forms per language.
    """

    code: str
    sovereign: tuple[str, ...]
    names: Mapping[str, Names] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class StateGroup(_Labelled):
    """A named group of states (``caribbean-sids``).

    Attributes:
        key: the group's key (``skos:notation``, last IRI segment).
        flag: the boolean field of :class:`State` that says who belongs.
        members: ISO alpha-3 codes of its member states, sorted.
        names: labels per language.
        definitions: ``skos:definition`` per language.
    """

    key: str
    flag: str
    members: tuple[str, ...]
    names: Mapping[str, Names] = field(default_factory=dict, hash=False)
    definitions: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def iri(self) -> URIRef:
        """The group's IRI (``id/group/<key>``)."""
        return group_iri(self.key)


@dataclass(frozen=True)
class Organization(_Labelled):
    """An OAS body or a partner organization.

    Attributes:
        key: the registry key (``skos:notation``), e.g. ``CICTE``, ``UNODC-TPB``.
        kind: ``oas_body`` or ``partner``.
        part_of: key of the organization it is a unit of, if any.
        country: ISO alpha-3 of the state a national agency acts for, if any.
        names: surface forms per language (en, fr, es).
        wikidata: its Wikidata item (``Q123759``), if known (``skos:exactMatch``).
    """

    key: str
    kind: Literal["oas_body", "partner"]
    part_of: str | None = None
    country: str | None = None
    names: Mapping[str, Names] = field(default_factory=dict, hash=False)
    wikidata: str | None = None

    @property
    def iri(self) -> URIRef:
        """The organization's IRI (``id/org/<key>``)."""
        return org_iri(self.key)


@dataclass(frozen=True)
class Theme(_Labelled):
    """A theme of the concept scheme ``id/theme``.

    Attributes:
        key: the theme key (``border-control``).
        names: labels per language.
        definitions: ``skos:definition`` per language.
        keywords: trigger phrases per language, for matching headings and sentences.
    """

    key: str
    names: Mapping[str, Names] = field(default_factory=dict, hash=False)
    definitions: Mapping[str, str] = field(default_factory=dict, hash=False)
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)

    @property
    def iri(self) -> URIRef:
        """The theme's IRI (``id/theme/<key>``)."""
        return theme_iri(self.key)


@dataclass(frozen=True)
class Instrument(_Labelled):
    """A legal instrument of another body (CIFTA, the ISPS Code, ...).

    Attributes:
        key: IRI slug and ``skos:notation`` (``cifta``).
        kind: treaty, protocol, code, resolution, standard or survey.
        issuer: key of the organization that adopted it, if known.
        adopted: ``YYYY-MM-DD`` or ``YYYY``, if known.
        themes: theme keys it belongs to.
        related: keys of instruments it supplements.
        names: surface forms per language.
    """

    key: str
    kind: str
    issuer: str | None = None
    adopted: str | None = None
    themes: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    names: Mapping[str, Names] = field(default_factory=dict, hash=False)

    @property
    def iri(self) -> URIRef:
        """The instrument's IRI (``id/instrument/<key>``)."""
        return entity_iri("instrument", self.key)


@dataclass(frozen=True)
class Surface:
    """One surface form of one entity, for building match patterns.

    Attributes:
        text: the form as written in the YAML (``"Commonwealth des Bahamas"``).
        code: the code it names (ISO alpha-3, organization key, theme key, ...).
        lang: the language it belongs to (``fr``).
        form: how it names the entity (see :data:`Form`).
    """

    text: str
    code: str
    lang: str
    form: Form

    @property
    def case_sensitive(self) -> bool:
        """Whether a matcher must compare it case-sensitively (acronyms)."""
        return self.form == "acronym"


# ---------------------------------------------------------------------------------
# YAML parsing
# ---------------------------------------------------------------------------------


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: cannot read reference data: {exc}") from exc
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: expected a mapping at the top level")
    return data


def _section(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict) or not value:
        raise RegistryError(f"{where}: `{key}` must be a non-empty mapping")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        # YAML 1.1 turns bare `No`, `On`, `1373` into bools and ints: insist on strings.
        raise RegistryError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(value)


def _string(value: Any, where: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}: expected a non-empty string, got {value!r}")
    return value


_NAME_FIELDS = {"name", "variants", "acronyms", "adjectives", "contextual"}


def _names(value: Any, where: str) -> dict[str, Names]:
    if not isinstance(value, dict) or "en" not in value:
        raise RegistryError(f"{where}: `names` must map languages to names, English included")
    result: dict[str, Names] = {}
    for lang, entry in value.items():
        here = f"{where}.names.{lang}"
        if not isinstance(entry, dict):
            raise RegistryError(f"{here}: expected a mapping with at least `name`")
        unknown = set(entry) - _NAME_FIELDS
        if unknown:
            raise RegistryError(f"{here}: unknown field(s) {sorted(unknown)}")
        result[str(lang)] = Names(
            name=cast(str, _string(entry.get("name"), f"{here}.name")),
            variants=_strings(entry.get("variants"), f"{here}.variants"),
            acronyms=_strings(entry.get("acronyms"), f"{here}.acronyms"),
            adjectives=_strings(entry.get("adjectives"), f"{here}.adjectives"),
            contextual=_strings(entry.get("contextual"), f"{here}.contextual"),
        )
    return result


def _texts(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RegistryError(f"{where}: expected a mapping of languages to texts")
    return {str(lang): cast(str, _string(text, f"{where}.{lang}")) for lang, text in value.items()}


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise RegistryError(f"{where}: expected true or false, got {value!r}")
    return value


# ---------------------------------------------------------------------------------
# Name index
# ---------------------------------------------------------------------------------


class _NameIndex:
    """Folded names, case-sensitive acronyms and (states) adjectives of one kind."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.folded: dict[str, str] = {}
        self.acronyms: dict[str, str] = {}
        self.adjectives: dict[str, str] = {}

    def add(self, surface: Surface) -> None:
        if surface.form == "acronym":
            self._put(self.acronyms, _acronym_key(surface.text), surface)
        elif surface.form == "adjective":
            self._put(self.adjectives, fold(surface.text), surface)
        else:
            # Also without a leading article, so that "Bahamas" finds "The Bahamas".
            for text in _peeled(surface.text, _ARTICLES):
                self._put(self.folded, fold(text), surface)

    def _put(self, table: dict[str, str], key: str, surface: Surface) -> None:
        if not key:
            raise RegistryError(f"{self.kind} {surface.code}: empty name {surface.text!r}")
        known = table.setdefault(key, surface.code)
        if known != surface.code:
            raise RegistryError(
                f"{self.kind} name {surface.text!r} ({surface.lang}) names both "
                f"{known} and {surface.code}"
            )

    def lookup(self, text: str) -> str | None:
        """The code ``text`` names, trying it whole, then without leading function words."""
        for candidate in _peeled(text):
            code = self.acronyms.get(_acronym_key(candidate)) or self.folded.get(fold(candidate))
            if code is not None:
                return code
        return None

    def lookup_adjective(self, text: str) -> str | None:
        for candidate in _peeled(text):
            code = self.adjectives.get(fold(candidate))
            if code is not None:
                return code
        return None


# ---------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------


class Registry:
    """All reference data, its name resolution and its RDF rendering.

    Build one with :meth:`from_directory` (or the cached :func:`load_registry`).

    Attributes:
        states: states by ISO alpha-3 code (the 35 members and a few non-members).
        territories: non-sovereign territories by ISO alpha-3 (never resolved as states).
        groups: groups of states by key (``caribbean-sids``).
        organizations: organizations by registry key.
        themes: themes by key, in the order of the report's sections.
        instruments: legal instruments by key.
    """

    def __init__(
        self,
        *,
        states: dict[str, State],
        territories: dict[str, Territory],
        groups: dict[str, StateGroup],
        organizations: dict[str, Organization],
        themes: dict[str, Theme],
        instruments: dict[str, Instrument],
    ) -> None:
        self.states = states
        self.territories = territories
        self.groups = groups
        self.organizations = organizations
        self.themes = themes
        self.instruments = instruments
        self._alpha2 = {state.alpha2: code for code, state in states.items()}
        self._check_links()
        self._codes = {kind: frozenset(code for code, _names in self._records(kind))
                       for kind in _KINDS}
        self._indexes = {kind: _NameIndex(kind) for kind in _KINDS}
        for kind in _KINDS:
            for surface in self._surfaces_of(kind):
                # Keywords are evidence for a theme, not its names: matched apart.
                if surface.form != "keyword":
                    self._indexes[kind].add(surface)
        self._theme_phrases = self._build_theme_phrases()

    # -- loading ------------------------------------------------------------------

    @classmethod
    def from_directory(cls, directory: str | Path = REFERENCE_DIR) -> Registry:
        """Read the YAML files of ``directory``.

        Args:
            directory: a folder with ``states.yaml``, ``organizations.yaml``,
                ``themes.yaml``, ``instruments.yaml`` and, optionally,
                ``wikidata.yaml`` (the Wikidata items of states and organizations).

        Raises:
            RegistryError: a file is missing or malformed, a link points nowhere,
                two entities of one kind share a surface form, or a Wikidata item is
                malformed, given twice or given for a code the registry lacks.
        """
        folder = Path(directory)
        wikidata = read_wikidata(folder / "wikidata.yaml")
        states_file = folder / "states.yaml"
        states_data = _read_yaml(states_file)
        states = {
            str(code): _state(str(code), entry, f"{states_file.name}:states.{code}",
                              wikidata=wikidata["states"].get(str(code)))
            for code, entry in _section(states_data, "states", states_file.name).items()
        }
        territories = {
            str(code): Territory(
                code=str(code),
                sovereign=_strings(entry.get("sovereign"), f"territories.{code}.sovereign"),
                names=_names(entry.get("names"), f"{states_file.name}:territories.{code}"),
            )
            for code, entry in (states_data.get("territories") or {}).items()
        }
        groups = {
            str(key): _group(str(key), entry, states, f"{states_file.name}:groups.{key}")
            for key, entry in (states_data.get("groups") or {}).items()
        }

        orgs_file = folder / "organizations.yaml"
        organizations = {
            str(key): _organization(str(key), entry, f"{orgs_file.name}:organizations.{key}",
                                    wikidata=wikidata["organizations"].get(str(key)))
            for key, entry in _section(_read_yaml(orgs_file), "organizations",
                                       orgs_file.name).items()
        }
        for section, known in (("states", states), ("organizations", organizations)):
            unknown = sorted(set(wikidata[section]) - set(known))
            if unknown:
                raise RegistryError(f"wikidata.yaml: {section} not in the registry: "
                                    f"{', '.join(unknown)}")

        themes_file = folder / "themes.yaml"
        themes_data = _read_yaml(themes_file)
        themes = {
            str(key): _theme(str(key), entry, f"{themes_file.name}:themes.{key}")
            for key, entry in _section(themes_data, "themes", themes_file.name).items()
        }

        instruments_file = folder / "instruments.yaml"
        instruments = {
            str(key): _instrument(str(key), entry, f"{instruments_file.name}:instruments.{key}")
            for key, entry in _section(_read_yaml(instruments_file), "instruments",
                                       instruments_file.name).items()
        }
        return cls(
            states=states,
            territories=territories,
            groups=groups,
            organizations=organizations,
            themes=themes,
            instruments=instruments,
        )

    def with_organizations(self, entries: Mapping[str, Any], *, where: str) -> Registry:
        """A new registry with more organizations (the curation overlay's).

        Args:
            entries: organizations by key, in the format of ``organizations.yaml``.
            where: the file they come from, for error messages.

        Raises:
            RegistryError: an entry is malformed, its key is taken, or it shares a
                surface form with another organization.
        """
        added = {str(key): _organization(str(key), entry, f"{where}:organizations.{key}")
                 for key, entry in entries.items()}
        taken = sorted(set(added) & set(self.organizations))
        if taken:
            raise RegistryError(f"{where}: already registry organizations: {', '.join(taken)}")
        return Registry(
            states=self.states,
            territories=self.territories,
            groups=self.groups,
            organizations={**self.organizations, **added},
            themes=self.themes,
            instruments=self.instruments,
        )

    def _check_links(self) -> None:
        """Every key a record points to exists, and no organization contains itself."""
        for org in self.organizations.values():
            if org.part_of is not None and org.part_of not in self.organizations:
                raise RegistryError(f"organization {org.key}: part_of {org.part_of} is unknown")
            if org.country is not None and org.country not in self.states:
                raise RegistryError(f"organization {org.key}: country {org.country} is unknown")
            seen = {org.key}
            parent = org.part_of
            while parent is not None:
                if parent in seen:
                    raise RegistryError(f"organization {org.key}: part_of makes a cycle")
                seen.add(parent)
                parent = self.organizations[parent].part_of
        for territory in self.territories.values():
            if territory.code in self.states:
                raise RegistryError(f"territory {territory.code} is also a state")
            for code in territory.sovereign:
                if code not in self.states:
                    raise RegistryError(f"territory {territory.code}: sovereign {code} unknown")
        for instrument in self.instruments.values():
            if instrument.issuer is not None and instrument.issuer not in self.organizations:
                raise RegistryError(
                    f"instrument {instrument.key}: issuer {instrument.issuer} is unknown")
            for key in instrument.themes:
                if key not in self.themes:
                    raise RegistryError(f"instrument {instrument.key}: theme {key} is unknown")
            for key in instrument.related:
                if key not in self.instruments:
                    raise RegistryError(f"instrument {instrument.key}: related {key} is unknown")

    # -- surface forms ------------------------------------------------------------

    def _records(self, kind: str) -> Iterable[tuple[str, Mapping[str, Names]]]:
        if kind == "state":
            return ((code, s.names) for code, s in self.states.items())
        if kind == "territory":
            return ((code, t.names) for code, t in self.territories.items())
        if kind == "group":
            return ((key, g.names) for key, g in self.groups.items())
        if kind == "organization":
            return ((key, o.names) for key, o in self.organizations.items())
        if kind == "instrument":
            return ((key, i.names) for key, i in self.instruments.items())
        if kind == "theme":
            return ((key, t.names) for key, t in self.themes.items())
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(_KINDS)}")

    def _surfaces_of(self, kind: str) -> Iterator[Surface]:
        for code, names in self._records(kind):
            for lang, entry in names.items():
                for form, text in entry.forms():
                    yield Surface(text, code, lang, form)
            if kind == "state":
                official = self.states[code].official_name
                yield Surface(official, code, "en", "variant")
            if kind == "theme":
                for lang, keywords in self.themes[code].keywords.items():
                    for keyword in keywords:
                        yield Surface(keyword, code, lang, "keyword")

    def surfaces(
        self, kind: Kind, lang: str | None = None, *, forms: Iterable[Form] | None = None
    ) -> list[Surface]:
        """Every surface form of one kind of entity, as records.

        Args:
            kind: ``state``, ``territory``, ``group``, ``organization``, ``instrument``
                or ``theme``.
            lang: only this language (``fr``); ``None`` for all.
            forms: which forms to include; default name, variant, acronym and (themes)
                keyword: adjectives and contextual names must be asked for.

        Returns:
            Records in YAML order, without duplicates.
        """
        wanted = _DEFAULT_FORMS if forms is None else frozenset(forms)
        unknown = wanted - set(_FORMS)
        if unknown:
            raise ValueError(f"unknown form(s) {sorted(unknown)}; expected some of {_FORMS}")
        seen: set[Surface] = set()
        result: list[Surface] = []
        for surface in self._surfaces_of(kind):
            if surface.form in wanted and (lang is None or surface.lang == lang):
                if surface not in seen:
                    seen.add(surface)
                    result.append(surface)
        return result

    def names(
        self, kind: Kind, lang: str | None = None, *, forms: Iterable[Form] | None = None
    ) -> list[tuple[str, str]]:
        """``(surface form, code)`` pairs for building match patterns.

        Every form with a typographic apostrophe (’) also comes with a straight one
        ('), and the other way round, since documents use both. Acronyms are in the
        list too: match them case-sensitively (see :meth:`surfaces` to tell them).

        Args:
            kind: ``state``, ``territory``, ``group``, ``organization``, ``instrument``
                or ``theme``.
            lang: only this language; ``None`` for all languages.
            forms: as in :meth:`surfaces`; e.g. ``forms=["adjective"]`` for the national
                adjectives used in "Gouvernement français".

        Returns:
            Pairs in YAML order, each once.
        """
        seen: set[tuple[str, str]] = set()
        result: list[tuple[str, str]] = []
        for surface in self.surfaces(kind, lang, forms=forms):
            texts = [surface.text]
            if _TYPOGRAPHIC_APOSTROPHE in surface.text:
                texts.append(surface.text.replace(_TYPOGRAPHIC_APOSTROPHE, "'"))
            elif "'" in surface.text:
                texts.append(surface.text.replace("'", _TYPOGRAPHIC_APOSTROPHE))
            for text in texts:
                pair = (text, surface.code)
                if pair not in seen:
                    seen.add(pair)
                    result.append(pair)
        return result

    # -- resolution ---------------------------------------------------------------

    def resolve(self, kind: Kind, name: str) -> str | None:
        """The code of the ``kind`` entity that ``name`` names, or None.

        Accepts the code itself, any name, variant, acronym or contextual name in any
        language, with the tolerances described in the module docstring.
        """
        if kind == "state":
            return self.resolve_state(name)
        text = name.strip()
        if text in self._codes[kind]:
            return text
        return self._indexes[kind].lookup(text)

    def resolve_state(self, name: str) -> str | None:
        """The ISO 3166-1 alpha-3 code of the state ``name`` names, or None.

        Args:
            name: a name in any language, with or without article or preposition
                (``"la Barbade"``, ``"aux Bahamas"``), an abbreviation (``"EE.UU."``),
                an upper-case ISO alpha-3 or alpha-2 code (``"JAM"``, ``"JM"``), or a
                government phrase (``"Gouvernement des États-Unis d’Amérique"``,
                ``"Gouvernement français"``, ``"U.S. Government"``).

        Returns:
            The code of a state of the registry; None for anything else, territories
            such as Saint-Martin included. National adjectives on their own
            (``"français"``) do not resolve: only after a government noun.
        """
        text = " ".join(name.translate(_APOSTROPHES).split())
        if _CODE.fullmatch(text):
            code = text if len(text) == 3 else self._alpha2.get(text)
            if code in self.states:
                return code
        index = self._indexes["state"]
        found = index.lookup(text)
        if found is not None:
            return found
        core = _government_core(text)
        if core is None:
            return None
        return index.lookup(core) or index.lookup_adjective(core)

    def resolve_organization(self, name: str) -> str | None:
        """The registry key of the organization ``name`` names, or None.

        Args:
            name: a key (``UNODC-TPB``), a name, variant or acronym in any language,
                with or without article (``"la CICAD"``, ``"l’ONUDC"``), or a
                contextual name (``"l’Observatoire"`` -> ``OID``): the caller, having
                found the mention, is taken to have its context.
        """
        return self.resolve("organization", name)

    def resolve_instrument(self, name: str) -> str | None:
        """The key of the legal instrument ``name`` names (``"la CIFTA"`` -> ``cifta``)."""
        return self.resolve("instrument", name)

    def resolve_theme(self, label: str) -> str | None:
        """The key of the theme whose label or key ``label`` is (a section heading).

        Keywords are not labels: use :meth:`match_themes` for running text.
        """
        return self.resolve("theme", label)

    def match_themes(self, text: str) -> list[str]:
        """The themes whose labels or keywords occur in ``text``, best first.

        A label or label variant counts 2, a keyword 1; ties keep the scheme order.

        Args:
            text: a heading or a sentence, in any language.

        Returns:
            Theme keys with at least one hit.
        """
        haystack = f" {fold(text)} "
        scores: dict[str, int] = {}
        for key, phrases in self._theme_phrases.items():
            score = sum(weight for phrase, weight in phrases.items() if f" {phrase} " in haystack)
            if score:
                scores[key] = score
        order = {key: n for n, key in enumerate(self.themes)}
        return sorted(scores, key=lambda key: (-scores[key], order[key]))

    def _build_theme_phrases(self) -> dict[str, dict[str, int]]:
        phrases: dict[str, dict[str, int]] = {}
        for surface in self._surfaces_of("theme"):
            weight = 1 if surface.form == "keyword" else 2
            table = phrases.setdefault(surface.code, {})
            folded = fold(surface.text)
            table[folded] = max(weight, table.get(folded, 0))
        return phrases

    # -- queries ------------------------------------------------------------------

    def member_states(self) -> list[str]:
        """ISO alpha-3 codes of the 35 OAS member states, sorted."""
        return sorted(code for code, state in self.states.items() if state.oas_member)

    def group_members(self, key: str) -> list[str]:
        """ISO alpha-3 codes of the members of a group of states (``caribbean-sids``)."""
        return list(self.groups[key].members)

    def ancestors(self, key: str) -> list[str]:
        """The organizations ``key`` is a unit of, nearest first (CICTE: SMS, OAS-GS, OAS)."""
        chain: list[str] = []
        parent = self.organizations[key].part_of
        while parent is not None:
            chain.append(parent)
            parent = self.organizations[parent].part_of
        return chain

    # -- RDF ----------------------------------------------------------------------

    def to_graph(self) -> Graph:
        """The reference graph: states, groups, organizations, themes, instruments.

        Returns:
            A new graph named :data:`~mandategraph.ontology.namespaces.REFERENCE_GRAPH`. Codes are
            plain ``skos:notation`` literals; names are ``skos:prefLabel`` (one per
            language), ``skos:altLabel`` (variants, acronyms, official names) and an
            English ``rdfs:label``. Territories, adjectives and contextual names are
            not rendered: they are matching aids, not facts.
        """
        graph = Graph(identifier=REFERENCE_GRAPH)
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for state in self.states.values():
            graph.add((state.iri, RDF.type, MG.State))
            if state.oas_member:
                graph.add((state.iri, RDF.type, MG.MemberState))
            graph.add((state.iri, SKOS.notation, RdfLiteral(state.code)))
            # The other ISO 3166-1 codes under properties of their own: a second
            # skos:notation would make every "the code of" query return three rows.
            graph.add((state.iri, MG.isoAlpha2, RdfLiteral(state.alpha2)))
            graph.add((state.iri, MG.isoNumeric, RdfLiteral(state.numeric)))
            if state.wikidata is not None:
                graph.add((state.iri, SKOS.exactMatch, wikidata_iri(state.wikidata)))
            _add_labels(graph, state.iri, state.names, extra={"en": [state.official_name]})
        for group in self.groups.values():
            graph.add((group.iri, RDF.type, MG.StateGroup))
            graph.add((group.iri, RDF.type, SKOS.Collection))
            graph.add((group.iri, SKOS.notation, RdfLiteral(group.key)))
            _add_labels(graph, group.iri, group.names)
            _add_texts(graph, group.iri, SKOS.definition, group.definitions)
            for code in group.members:
                graph.add((group.iri, SKOS.member, state_iri(code)))
                graph.add((state_iri(code), MG.memberOf, group.iri))
        for org in self.organizations.values():
            graph.add((org.iri, RDF.type, MG.OASBody if org.kind == "oas_body"
                       else MG.PartnerOrganization))
            graph.add((org.iri, SKOS.notation, RdfLiteral(org.key)))
            if org.wikidata is not None:
                graph.add((org.iri, SKOS.exactMatch, wikidata_iri(org.wikidata)))
            _add_labels(graph, org.iri, org.names)
            if org.part_of is not None:
                graph.add((org.iri, MG.subOrganizationOf, org_iri(org.part_of)))
            if org.country is not None:
                # prov:actedOnBehalfOf (Agent -> Agent) rather than org:linkedTo, whose
                # domain and range org:Organization would make the state an organization,
                # and mg:State and mg:Organization are disjoint.
                graph.add((org.iri, PROV.actedOnBehalfOf, state_iri(org.country)))
        # The scheme itself is labelled in the ontology (mandategraph.ttl): labels here
        # would give it two English prefLabels in the union of the graphs.
        graph.add((THEME_SCHEME, RDF.type, SKOS.ConceptScheme))
        for theme in self.themes.values():
            graph.add((theme.iri, RDF.type, MG.Theme))
            graph.add((theme.iri, RDF.type, SKOS.Concept))
            graph.add((theme.iri, SKOS.inScheme, THEME_SCHEME))
            graph.add((theme.iri, SKOS.topConceptOf, THEME_SCHEME))
            graph.add((THEME_SCHEME, SKOS.hasTopConcept, theme.iri))
            graph.add((theme.iri, SKOS.notation, RdfLiteral(theme.key)))
            _add_labels(graph, theme.iri, theme.names)
            _add_texts(graph, theme.iri, SKOS.definition, theme.definitions)
            labels = {fold(text) for _lang, names in theme.names.items()
                      for _form, text in names.forms()}
            for lang, keywords in theme.keywords.items():
                for keyword in keywords:
                    # skos:hiddenLabel is SKOS's "search term, not for display".
                    if fold(keyword) not in labels:
                        graph.add((theme.iri, SKOS.hiddenLabel, RdfLiteral(keyword, lang=lang)))
        for instrument in self.instruments.values():
            graph.add((instrument.iri, RDF.type, MG.LegalInstrument))
            graph.add((instrument.iri, SKOS.notation, RdfLiteral(instrument.key)))
            _add_labels(graph, instrument.iri, instrument.names)
            if instrument.issuer is not None:
                graph.add((instrument.iri, DCTERMS.creator, org_iri(instrument.issuer)))
            if instrument.adopted is not None:
                datatype = XSD.gYear if len(instrument.adopted) == 4 else XSD.date
                graph.add((instrument.iri, DCTERMS.issued,
                           RdfLiteral(instrument.adopted, datatype=datatype)))
            for key in instrument.themes:
                graph.add((instrument.iri, DCTERMS.subject, theme_iri(key)))
            for key in instrument.related:
                graph.add((instrument.iri, DCTERMS.relation, entity_iri("instrument", key)))
        return graph



@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """The registry read from :data:`REFERENCE_DIR`, loaded once per process.

    The result is shared: treat it as read-only (``to_graph()`` returns a new graph
    on every call, so that one may be changed freely).
    """
    return Registry.from_directory(REFERENCE_DIR)


# ---------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------


def wikidata_iri(qid: str) -> URIRef:
    """The IRI of a Wikidata item (``Q766`` -> ``http://www.wikidata.org/entity/Q766``)."""
    return URIRef(WIKIDATA_ENTITY + qid)


def read_wikidata(path: Path) -> dict[str, dict[str, str]]:
    """The Wikidata items of ``wikidata.yaml``: ``{"states": {...}, "organizations": {...}}``.

    Args:
        path: the file; a missing file means no item is known.

    Raises:
        RegistryError: the file is malformed, a value is not a QID (``Q`` and digits),
            a key is given twice, or one QID is given for two codes.
    """
    found: dict[str, dict[str, str]] = {"states": {}, "organizations": {}}
    if not path.is_file():
        return found
    try:
        # compose, not load: PyYAML keeps the last of two equal keys without a word
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: cannot read the Wikidata items: {exc}") from exc
    if not isinstance(root, yaml.MappingNode):
        raise RegistryError(f"{path.name}: expected a mapping at the top level")
    seen: dict[str, str] = {}
    for key_node, section_node in root.value:
        section = key_node.value
        if section not in found or not isinstance(section_node, yaml.MappingNode):
            raise RegistryError(f"{path.name}: expected `states` and `organizations` "
                                f"mappings, got {section!r}")
        for code_node, qid_node in section_node.value:
            code, qid = str(code_node.value), str(qid_node.value)
            where = f"{path.name}:{section}.{code}"
            if not isinstance(qid_node, yaml.ScalarNode) or not _QID.fullmatch(qid):
                raise RegistryError(f"{where}: expected a Wikidata item such as Q766, "
                                    f"got {qid!r}")
            if code in found[section]:
                raise RegistryError(f"{where}: given twice")
            if qid in seen:
                raise RegistryError(f"{where}: {qid} is already the item of {seen[qid]}")
            seen[qid] = f"{section}.{code}"
            found[section][code] = qid
    return found


def _state(code: str, entry: Any, where: str, *, wikidata: str | None = None) -> State:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping")
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise RegistryError(f"{where}: a state is keyed by its ISO 3166-1 alpha-3 code")
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise RegistryError(f"{where}: {code} is not an ISO 3166-1 alpha-3 code")
    return State(
        code=code,
        alpha2=country.alpha_2,
        numeric=country.numeric,
        official_name=cast(str, _string(entry.get("official_name"), f"{where}.official_name")),
        oas_member=_bool(entry.get("oas_member"), f"{where}.oas_member"),
        caribbean_sids=_bool(entry.get("caribbean_sids", False), f"{where}.caribbean_sids"),
        names=_names(entry.get("names"), where),
        wikidata=wikidata,
    )


def _group(key: str, entry: Any, states: Mapping[str, State], where: str) -> StateGroup:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping")
    flag = cast(str, _string(entry.get("flag"), f"{where}.flag"))
    # Annotations are strings under `from __future__ import annotations`.
    if {f.name: f.type for f in fields(State)}.get(flag) not in (bool, "bool"):
        raise RegistryError(f"{where}: flag {flag!r} is not a boolean field of a state")
    members = tuple(sorted(code for code, state in states.items() if getattr(state, flag)))
    return StateGroup(
        key=key,
        flag=flag,
        members=members,
        names=_names(entry.get("names"), where),
        definitions=_texts(entry.get("definition"), f"{where}.definition"),
    )


def _organization(key: str, entry: Any, where: str, *,
                  wikidata: str | None = None) -> Organization:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping")
    kind = entry.get("kind")
    if kind not in ("oas_body", "partner"):
        raise RegistryError(f"{where}.kind: expected oas_body or partner, got {kind!r}")
    return Organization(
        key=key,
        kind=kind,
        part_of=_string(entry.get("part_of"), f"{where}.part_of", required=False),
        country=_string(entry.get("country"), f"{where}.country", required=False),
        names=_names(entry.get("names"), where),
        wikidata=wikidata,
    )


def _theme(key: str, entry: Any, where: str) -> Theme:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping")
    keywords = entry.get("keywords") or {}
    if not isinstance(keywords, dict):
        raise RegistryError(f"{where}.keywords: expected a mapping of languages to lists")
    return Theme(
        key=key,
        names=_names(entry.get("names"), where),
        definitions=_texts(entry.get("definitions"), f"{where}.definitions"),
        keywords={str(lang): _strings(words, f"{where}.keywords.{lang}")
                  for lang, words in keywords.items()},
    )


def _instrument(key: str, entry: Any, where: str) -> Instrument:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping")
    adopted = _string(entry.get("adopted"), f"{where}.adopted", required=False)
    if adopted is not None and not re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", adopted):
        raise RegistryError(f"{where}.adopted: expected YYYY or YYYY-MM-DD, got {adopted!r}")
    return Instrument(
        key=key,
        kind=cast(str, _string(entry.get("kind"), f"{where}.kind")),
        issuer=_string(entry.get("issuer"), f"{where}.issuer", required=False),
        adopted=adopted,
        themes=_strings(entry.get("themes"), f"{where}.themes"),
        related=_strings(entry.get("related"), f"{where}.related"),
        names=_names(entry.get("names"), where),
    )


def _government_core(text: str) -> str | None:
    """What a government phrase names: "Gouvernement du Canada" -> "du Canada".

    Handles the noun first (fr, es, pt, "Government of ...") and last ("French
    Government", "U.S. Government"), after an optional article.
    """
    for candidate in _peeled(text, _ARTICLES):
        words = candidate.split()
        if len(words) < 2:
            continue
        if fold(words[0]) in _GOVERNMENT_NOUNS:
            return " ".join(words[1:])
        if fold(words[-1]) in _GOVERNMENT_NOUNS:
            return " ".join(words[:-1])
    return None


def _add_texts(graph: Graph, subject: URIRef, predicate: URIRef,
               texts: Mapping[str, str]) -> None:
    for lang, text in texts.items():
        graph.add((subject, predicate, RdfLiteral(" ".join(text.split()), lang=lang)))


def _add_labels(
    graph: Graph,
    subject: URIRef,
    names: Mapping[str, Names],
    *,
    extra: Mapping[str, Iterable[str]] | None = None,
) -> None:
    """prefLabel per language, altLabels for variants and acronyms, English rdfs:label.

    An altLabel equal to the prefLabel of its language is skipped: SKOS makes the two
    disjoint (integrity condition S13).
    """
    for lang, entry in names.items():
        graph.add((subject, SKOS.prefLabel, RdfLiteral(entry.name, lang=lang)))
        alternatives = [*entry.variants, *entry.acronyms, *(extra or {}).get(lang, ())]
        for text in alternatives:
            if text != entry.name:
                graph.add((subject, SKOS.altLabel, RdfLiteral(text, lang=lang)))
    graph.add((subject, RDFS.label, RdfLiteral(names["en"].name, lang="en")))
