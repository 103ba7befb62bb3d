"""Industrial symbiosis: stream catalogue, knowledge base, matching by meaning, network optimisation.

- :mod:`~ecozone.symbiosis.catalogue` and :mod:`~ecozone.symbiosis.validation`: the ``stream``
  attribute table and all-or-nothing validation of catalogue rows;
- :mod:`~ecozone.symbiosis.taxonomy`, :mod:`~ecozone.symbiosis.waste_codes`: stream classes (vi/en),
  Vietnamese hazardous-waste codes and European Waste Catalogue codes;
- :mod:`~ecozone.symbiosis.knowledge`, :mod:`~ecozone.symbiosis.literature`: which classes feed which,
  on what terms, with evidence from 738 documented exchanges in 17 eco-industrial parks;
- :mod:`~ecozone.symbiosis.classification`, :mod:`~ecozone.symbiosis.matching`: free text to classes,
  explained candidate exchanges; :mod:`~ecozone.symbiosis.recall`: recall on the literature networks;
- :mod:`~ecozone.symbiosis.model`: the HiGHS MILP (build / solve / read back, extra-constraints hook,
  CO2e targets with explained infeasibility, Pareto sweep, greedy heuristic);
- :mod:`~ecozone.symbiosis.metrics`, :mod:`~ecozone.symbiosis.reporting`: programme metrics, JSON,
  network PNG and HTML Sankey.

Engines here take plain data (:class:`~ecozone.symbiosis.catalogue.StreamRecord`) and never touch the
database; :mod:`ecozone.store.symbiosis_store` loads and saves catalogues. The package imports
only the light catalogue module; import the submodules you use.
"""

from __future__ import annotations

from ecozone.symbiosis.catalogue import StreamRecord, stream_record, stream_schema

__all__ = ["StreamRecord", "stream_record", "stream_schema"]
