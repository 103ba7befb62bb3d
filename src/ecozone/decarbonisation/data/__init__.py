"""Reference tables of the decarbonisation engines (see SOURCE.md)."""
