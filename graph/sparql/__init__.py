"""Query execution: SPARQL text in, capped and serialized results out.

This room owns everything between a query's text and its answer: the lexer and the
text rewrites (``text``), the guards against hostile queries (``guard``), the
no-network sandbox of the query threads (``sandbox``), the one table of formats,
media types and extensions (``formats``), results as rows and bytes (``results``),
the capped serializer (``serialize``), the worker processes (``workers``), the
result cache (``cache``) and the :class:`~mandategraph.graph.sparql.executor.Executor`
that ties them together.

It may import ``mandategraph.errors``, ``mandategraph.ontology`` and
``mandategraph.graph.store``; never ``api``, ``queries`` or ``visualizations``
(they import it), and nothing HTTP.
"""
