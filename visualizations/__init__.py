"""visualizations layer of mandategraph."""
