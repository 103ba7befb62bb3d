"""Reference tables of the siting engine (logistics nodes, AHP random index)."""
