"""The vocabulary: the floor every other layer stands on (``mandategraph.ontology``).

Owns the OWL ontology (``mandategraph.ttl``, the source of truth), the SHACL shapes,
the reference data (states, organizations, themes, instruments: ``reference/*.yaml``,
read by :mod:`~mandategraph.ontology.registry`), the namespaces, the roles an agent
plays in an activity, and the Python that loads, validates and reasons over them
(owlready2, pySHACL).

May import: :mod:`mandategraph.errors` and third-party libraries only; never the
layers above (graph, queries, visualizations, api).
"""
