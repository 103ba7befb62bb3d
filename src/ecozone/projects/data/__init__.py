"""Reference tables of the green project pipeline (Green Taxonomy groups)."""
