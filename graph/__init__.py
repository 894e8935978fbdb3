"""Documents -> facts -> RDF, the store, and running SPARQL (``mandategraph.graph``).

Its rooms: the text extraction (readers, sections, citations, actors, activities);
the store (:mod:`~mandategraph.graph.store`, Oxigraph behind one small interface);
query execution (SPARQL text utilities, formats, the sandboxed worker pool, the
cache); and the pipeline that joins them (:mod:`~mandategraph.graph.ingest`,
:mod:`~mandategraph.graph.build`).

May import: :mod:`mandategraph.errors` and :mod:`mandategraph.ontology`; never
queries, visualizations or api, and nothing HTTP.
"""
