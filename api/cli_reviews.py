"""``mandategraph review PARAGRAPH --decision keep|update|retire --reason TEXT``: a
reviewer's note on a mandate, stored in ``graph/reviews``
(:mod:`mandategraph.graph.reviews`), beside the status the registry computes.

The paragraph is named by its id (``ag-res-2485-xxxix-o-09/5.f``), its IRI, or its
resolution's symbol and its number (``"AG/RES. 2485 (XXXIX-O/09) 5.f"``). A decision
other than keep, update or retire, or a blank reason, is exit 2 and nothing is stored;
a paragraph the store does not hold is exit 4.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rdflib import URIRef

from mandategraph.api.cli_support import app, handle_errors, open_store, out
from mandategraph.errors import BadParameterError
from mandategraph.graph.reviews import DECISIONS


def paragraph_from(name: str) -> URIRef:
    """A paragraph's IRI from its id, IRI, or ``symbol number``.

    Raises:
        BadParameterError: none of these.
    """
    from mandategraph.api.resources import MANDATE, paragraph_ref_iri
    from mandategraph.ontology.namespaces import paragraph_iri

    if MANDATE.fullmatch(name):
        return paragraph_ref_iri(name)
    symbol, _, number = name.strip().rpartition(" ")
    if not symbol.startswith("AG/RES.") or not number:
        raise BadParameterError(
            f"PARAGRAPH must be an id (ag-res-2485-xxxix-o-09/5.f), an IRI or "
            f"'AG/RES. 2485 (XXXIX-O/09) 5.f', got {name!r}")
    return paragraph_iri(symbol, number.lower())


@app.command()
@handle_errors
def review(
    paragraph: Annotated[str, typer.Argument(
        help="The mandate: id (ag-res-2485-xxxix-o-09/5.f), IRI, or 'SYMBOL NUMBER'.")],
    decision: Annotated[str, typer.Option(help=f"One of {', '.join(DECISIONS)}.")],
    reason: Annotated[str, typer.Option(help="Why, in the reviewer's words.")],
) -> None:
    """Write a reviewer's note on a mandate (keep / update / retire, with a reason)."""
    from mandategraph.graph.reviews import write_review

    iri = paragraph_from(paragraph)
    with open_store(write=True) as store:
        note = write_review(store, iri, decision, reason)
    out.print(f"{note.decision}: {iri} ({note.when})", highlight=False, soft_wrap=True)
