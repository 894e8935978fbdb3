"""The ways in: the only layer that knows HTTP and the command line (``mandategraph.api``).

Owns the FastAPI application (``app``), its settings (``settings``), and one module per
concern, arrows pointing one way:

* routes, and only here: ``sparql`` (the SPARQL 1.1 Protocol and its editor page),
  ``canned`` (``/queries``), ``rest`` (the JSON API and ``/docs``), ``pages`` (the
  HTML pages and ``/id/``), ``network`` (the partnership graph);
* what they share, imported by them and never importing them: ``responses`` (content
  negotiation, page rendering, the one error renderer, shared headers), ``resources``
  (identifiers and the :class:`~mandategraph.api.resources.Reader` of the graph),
  ``models`` and ``records`` (the JSON API's records and lists), ``resource_views``
  and ``document_text`` (what a resource's page shows), ``openapi``, ``protocol`` and
  ``limits`` (how every route answers outside its contract);
* the command line (``cli``).

May import: every layer below it (:mod:`mandategraph.errors`, ontology, graph, queries,
visualizations). Nothing imports api.
"""
