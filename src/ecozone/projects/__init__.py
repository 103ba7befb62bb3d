"""Green project pipeline for lenders: project records, Green Taxonomy groups, lender view.

Projects are proposed by the decarbonisation engine or entered by parks and firms (CSV or
XLSX), stored by :mod:`ecozone.store.siting_store`, filtered and ranked for lenders (by
tCO2e abated per VND invested, internal rate of return, taxonomy group) and exported to
XLSX. See :mod:`ecozone.projects.pipeline`.
"""
