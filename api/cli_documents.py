"""Commands and checks about the documents of the store: ``mandategraph remove``, and
what ``ingest`` says about a document beyond its triple count.

* ``remove DOCUMENT`` drops the document's named graph and the inferences only it
  supported (:mod:`mandategraph.graph.removal`); removing it again changes nothing and
  exits 0, saying so.
* :func:`says_nothing`: a document from which neither a citation, a paragraph nor an
  activity was read is stored, but with a warning, since it will answer no question.
* :func:`quiet_pdf_warnings`: pypdf logs what it repairs in a damaged file; the one
  ``error:`` line of a PDF that cannot be read is enough.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from mandategraph.api.cli_search import refresh_index
from mandategraph.api.cli_support import app, err, handle_errors, open_store, out, warn_if_stale
from mandategraph.api.settings import get_settings
from mandategraph.graph.store import Store

#: The things a document may give the graph: one of them makes it worth storing.
SAYS_SOMETHING = """
ASK WHERE { GRAPH ?g {
  { ?a a mg:Activity } UNION { ?p a mg:OperativeParagraph }
  UNION { ?x mg:cites|mg:implements|mg:recalls ?y }
} }
"""


def says_nothing(store: Store, graph: str) -> bool:
    """Whether the document graph ``graph`` holds no activity, paragraph or citation."""
    from rdflib import URIRef

    return not bool(store.query(SAYS_SOMETHING, bindings={"g": URIRef(graph)}))


def quiet_pdf_warnings() -> None:
    """Keep pypdf's log (what it repairs or gives up on) off the terminal."""
    logging.getLogger("pypdf").setLevel(logging.ERROR + 10)


@app.command()
@handle_errors
def remove(
    documents: Annotated[
        list[str],
        typer.Argument(help="Documents to remove: slug (as in the graph's name), IRI, or file."),
    ],
    reason: Annotated[bool, typer.Option(help="Refresh HermiT's inferences after.")] = True,
) -> None:
    """Remove ingested documents: their named graphs and what only they supported."""
    from mandategraph.graph.removal import remove_document

    slugs = [_slug_of(name) for name in documents]
    settings = get_settings()
    with open_store(write=True) as store:
        removed = False
        for name, slug in zip(documents, slugs, strict=True):
            done = remove_document(store, slug)
            if done.removed:
                removed = True
                out.print(f"{name}: removed <{done.graph}> ({done.triples} triples)",
                          highlight=False, markup=False, soft_wrap=True)
            else:
                out.print(f"{name}: not in the store, nothing to remove", highlight=False,
                          markup=False, soft_wrap=True)
        if removed and reason and settings.reason:
            from mandategraph.graph.build import materialize_inferences
            from mandategraph.ontology.reasoning import java_available

            if java_available():
                materialize_inferences(store)
        warn_if_stale(store)
        location = store.location
    refresh_index(location)


def _slug_of(name: str) -> str:
    """A document's slug from what the user typed: a file ingested before, or a slug/IRI."""
    from mandategraph.graph.removal import document_slug

    path = Path(name)
    if path.is_file():
        from mandategraph.graph.extraction.readers import read_document

        quiet_pdf_warnings()
        return read_document(path).slug
    return document_slug(name)


def warn_if_says_nothing(store: Store, graph: str, name: str) -> None:
    """Warn on stderr when the stored document ``graph`` gave nothing to ask about."""
    if says_nothing(store, graph):
        err.print(
            f"[yellow]warning:[/yellow] {name}: no citation and no activity was read from "
            "it (stored all the same; 'mandategraph remove' takes it out)",
            highlight=False, soft_wrap=True,
        )
