"""api layer of mandategraph."""
