"""Decarbonisation and net-zero planning: measures, rooftop PV and storage, MACC, pathways, finance.

Public API
----------
Data
    ``catalogue.measures()``, ``catalogue.measure(id)``, ``catalogue.end_use_shares(vsic)`` —
    the measures catalogue (``data/measures.yaml``) with costs in VND at dated exchange rates
    (``finance.exchange_rate``); ``emission_factors.grid_factor_for(year, scenario)``;
    ``taxonomy.tag(measure)``; ``pathway.targets()``.
Firms
    ``firms.firm_energy(firms, meters, readings, year) -> {firm_id: FirmEnergy}``.
Rooftop PV (:mod:`ecozone.decarbonisation.pv`)
    ``pv.weather.clear_sky_estimate(lat, lon, year)``, ``pv.weather.read_weather(path, lat, lon, year)``,
    ``pv.yield_model.hourly_ac_kwh(weather, roof_arrays(roofs))``, ``pv.dispatch.dispatch(...)``,
    ``pv.study.simulate_firms(weather, inputs, settings)``, ``pv.sizing.size_firms(weather, inputs, ...)``.
Measures, MACC, pathway
    ``planning.analyse_park(park, energies, pv_settings) -> ParkAnalysis`` (every measure in every firm),
    ``effects.evaluate(measure, energy, context) -> MeasureOption``,
    ``macc.macc_table(options) -> (table, excluded)``, ``macc.macc_by_measure``, ``macc.plot_macc``,
    ``pathway.plan_pathway(options, energies, settings, finance, extra_constraints) -> PathwayResult``,
    ``pathway.chart.plot_pathway``.
Finance and lenders
    ``finance.npv``, ``irr``, ``discounted_payback``, ``lcoe``, ``appraise``;
    ``sheet.sheet_html(option, lang)``, ``sheet.write_sheet(option, path, lang)`` (HTML or PDF).

Every figure the engines did not compute comes from a file in ``data/`` (or ``pv/data/``)
with its source and status; most are ``unverified`` assumptions and outputs say so.
"""
