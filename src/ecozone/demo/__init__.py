"""The demo registry: 13 real reference parks and one clearly labelled synthetic park.

- :func:`ecozone.demo.reference_parks.reference_park_rows` turns the shipped facts on 13 real
  Vietnamese industrial parks (press and agency pages, one source per row) into park rows;
- :func:`ecozone.demo.registry.demo_registry` adds the synthetic park ``demo`` with about 60
  generated tenant firms, their meters and certificates, reproducibly from a seed.

Both are pure: they return rows keyed by the attribute names of ``ecozone/registry/attributes``
and write nothing. The synthetic rows carry ``is_synthetic`` True and describe no real park
or firm; their parameters are in ``data/synthetic_assumptions.yaml``.
"""

from __future__ import annotations

from ecozone.demo.reference_parks import reference_park_rows
from ecozone.demo.registry import DEFAULT_SEED, DEMO_PARK_ID, demo_registry

__all__ = ["DEFAULT_SEED", "DEMO_PARK_ID", "demo_registry", "reference_park_rows"]
