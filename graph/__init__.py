"""graph layer of mandategraph."""
