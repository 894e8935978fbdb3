"""Canned SPARQL: one ``<name>.rq`` file per question, and the catalogue that reads
their ``#+`` YAML headers and binds their parameters (``mandategraph.queries``).

May import: :mod:`mandategraph.errors`, :mod:`mandategraph.ontology` and
:mod:`mandategraph.graph`; never visualizations or api, and nothing HTTP.
"""
