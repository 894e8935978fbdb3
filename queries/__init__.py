"""queries layer of mandategraph."""
