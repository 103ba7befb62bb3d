"""Reference tables of the rooftop PV engine (station normals, PV assumptions)."""
