"""Text extraction: one document -> its facts -> its RDF graph.

This package owns reading a document (plain text, PDF, DOCX and its YAML sidecar),
segmenting it into sections, paragraphs and sentences, finding citations of
resolutions, actors and places, numbers and activities, and building the RDF
graph of one document (``extract``); ``evaluate`` compares that graph with the
expected facts of a seed report.

It may import ``mandategraph.ontology`` (vocabulary, registry) and
``mandategraph.errors``, and nothing of the rest of ``mandategraph.graph``: the
store, the SPARQL execution and the pipeline (``graph/build.py``,
``graph/ingest.py``) import from here, never the other way round.
"""
