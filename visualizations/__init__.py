"""Who works with whom: networkx analytics and the partnership pages drawn from the
store through SPARQL (``mandategraph.visualizations``).

May import: :mod:`mandategraph.errors`, :mod:`mandategraph.ontology` and
:mod:`mandategraph.graph`; never api, and nothing HTTP.
"""
