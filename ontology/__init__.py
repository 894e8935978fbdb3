"""ontology layer of mandategraph."""
