"""Pathway to 2050: which measures, in which firms, in which year (mixed-integer model, HiGHS).

Sets: years ``t`` (``first_year`` ... ``last_year``), options ``i`` (an applicable measure in a
firm, PPAs apart), PPA options ``p``.

Variables
    ``y[i,t] ∈ [0, 1]``   share of option i's potential installed in year t (continuous
                          when ``divisible``, else binary);
    ``z[i] ∈ {0, 1}``     option i is adopted at all (when ``divisible`` and
                          ``min_adoption_share`` > 0: adopted means at least that share);
    ``q[p,t] ≥ 0``        electricity bought under the PPA in year t [kWh].

With the installed share ``a[i,t] = Σ_{τ≤t} y[i,τ]`` (equipment is replaced at the end of its
life, so a share once installed stays):

- ``Σ_t y[i,t] ≤ z[i]`` and ``Σ_t y[i,t] ≥ min_adoption_share · z[i]``;
- options of one exclusive group in a firm: ``Σ_{i∈g} Σ_t y[i,t] ≤ 1``;
- carrier balance: a firm never saves more of a carrier than it uses,
  ``A_fc + Σ_{i∈f} a[i,t] Δ_ic ≥ 0`` for every year;
- ``q[p,t] ≤ contracted_p`` and ``q[p,t] ≤ E_f + Σ_{i∈f} a[i,t] Δelec_i`` (no more green power than
  the firm's remaining grid electricity);
- net emissions of year t
  ``N_t = B_t − Σ_i a[i,t] A_{i,t} − g_t Σ_p q[p,t]`` where ``B_t`` is the firms' baseline (fuels
  × Scope 1 factors + electricity × grid factor ``g_t``) and ``A_{i,t}`` the option's Scope 1 +
  location-based Scope 2 reduction + removals in year t;
- targets: ``N_2050 ≤ 0`` (net zero), and optionally the 2030 NDC reduction against BAU
  ``N_2030 ≤ (1 − share) B_2030``;
- budget: capex spent in year t (new installations and replacements every lifetime)
  ``Σ_i Σ_{τ ≤ t, (t−τ) mod L_i = 0} capex_i y[i,τ] ≤ budget_t``.

Objective: minimise the discounted cost ``Σ_t d_t [Σ_i a[i,t] (capex_i·CRF_i + annual_cost_i) +
Σ_p premium·q[p,t]]`` (annualised capex, so late installations are not charged for years
after 2050). Costs are scaled to million VND inside the model.

When the model is infeasible, :func:`explain_infeasibility` solves elastic versions (target
rows relaxed with penalised slack, with and without the budget rows) and says which target
years miss by how much and whether the budget or the measures are what binds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from ecozone.decarbonisation.effects import MeasureOption
from ecozone.decarbonisation.emission_factors import DEFAULT_GRID_SCENARIO, grid_factor_for, scope1_factor
from ecozone.decarbonisation.errors import DecarbonisationError
from ecozone.decarbonisation.finance import FinanceSettings, capital_recovery_factor
from ecozone.decarbonisation.firms import FirmEnergy
from ecozone.decarbonisation.optimisation import IntArray, LinearModel, Solution, solve
from ecozone.decarbonisation.pathway.targets import Target, target
from ecozone.decarbonisation.prices import energy_prices

FloatArray = npt.NDArray[np.float64]
MILLION = 1e6
SLACK_PENALTY = 1e9
"""Penalty per tonne of target slack in the elastic models [million VND/tCO2e]."""
EMISSION_COLUMNS = ("year", "bau_t", "scope1_t", "scope2_location_t", "scope2_market_t", "removals_t", "net_t", "target_t")
SPENDING_COLUMNS = ("year", "capex_vnd", "operating_and_energy_vnd", "ppa_premium_vnd", "total_vnd", "budget_vnd")
TIMELINE_COLUMNS = ("firm_id", "measure_id", "year", "share", "capex_vnd")


class PathwaySettings(BaseModel):
    """Choices of a pathway.

    Attributes
    ----------
    first_year, last_year : int
    grid_scenario : str
    target : str or None
        ``net-zero-2050`` (default) or None for no final target.
    ndc_check : str
        ``ndc_2030_unconditional`` (default), ``ndc_2030_conditional``: the NDC target
        reported for 2030.
    enforce_ndc : bool
        Also make the NDC reduction a constraint.
    budget_vnd_per_year : float or None [VND/yr]
        Capex limit of every year.
    divisible : bool
        Measures may be installed in parts over several years.
    min_adoption_share : float [-]
        Smallest share of an option's potential installed if it is adopted (divisible only).
    mip_rel_gap : float
    time_limit_s : float [s]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    first_year: int = 2025
    last_year: int = 2050
    grid_scenario: str = DEFAULT_GRID_SCENARIO
    target: str | None = "net-zero-2050"
    ndc_check: str = "ndc_2030_unconditional"
    enforce_ndc: bool = False
    budget_vnd_per_year: float | None = Field(default=None, ge=0)
    divisible: bool = True
    min_adoption_share: float = Field(0.25, ge=0, le=1)
    mip_rel_gap: float = Field(0.01, gt=0)
    time_limit_s: float = Field(120.0, gt=0)

    @property
    def years(self) -> list[int]:
        """Years of the pathway."""
        return list(range(self.first_year, self.last_year + 1))


@dataclass(frozen=True)
class PathwayData:
    """Plain arrays the model is built from (also used to recompute results independently).

    Attributes
    ----------
    years : list of int
    options : tuple of MeasureOption
        Non-PPA options, in model order.
    ppas : tuple of MeasureOption
    abatement : ndarray (options, years) [tCO2e/yr]
        Scope 1 + location-based Scope 2 reductions + removals.
    scope1_reduction, scope2_reduction, removals : ndarray (options, years) [tCO2e/yr]
    electricity_delta : ndarray (options,) [kWh/yr]
    grid : ndarray (years,) [tCO2/kWh]
    baseline_electricity : mapping firm -> [kWh/yr]
    baseline_amounts : mapping (firm, carrier) -> [canonical unit/yr]
    bau_scope1, bau_scope2 : ndarray (years,) [tCO2e]
    """

    years: list[int]
    options: tuple[MeasureOption, ...]
    ppas: tuple[MeasureOption, ...]
    abatement: FloatArray = field(compare=False, hash=False)
    scope1_reduction: FloatArray = field(compare=False, hash=False)
    scope2_reduction: FloatArray = field(compare=False, hash=False)
    removals: FloatArray = field(compare=False, hash=False)
    electricity_delta: FloatArray = field(compare=False, hash=False)
    grid: FloatArray = field(compare=False, hash=False)
    baseline_electricity: Mapping[str, float] = field(compare=False, hash=False)
    baseline_amounts: Mapping[tuple[str, str], float] = field(compare=False, hash=False)
    bau_scope1: FloatArray = field(compare=False, hash=False)
    bau_scope2: FloatArray = field(compare=False, hash=False)

    @property
    def bau(self) -> FloatArray:
        """Business-as-usual emissions of each year [tCO2e]."""
        return np.asarray(self.bau_scope1 + self.bau_scope2)


def pathway_data(options: Sequence[MeasureOption], energies: Mapping[str, FirmEnergy], settings: PathwaySettings) -> PathwayData:
    """Arrays of baseline emissions and option effects for every year of the pathway."""
    years = settings.years
    grid = np.array([grid_factor_for(y, settings.grid_scenario).value / 1000.0 for y in years])
    usable = [o for o in options if o.applicable and o.measure.model != "battery_storage"]
    regular = tuple(o for o in usable if o.contracted_kwh <= 0)
    ppas = tuple(o for o in usable if o.contracted_kwh > 0)
    scope1 = np.array([[-sum(d * scope1_factor(c) for c, d in o.deltas.items())] * len(years) for o in regular]).reshape(
        len(regular), len(years)
    )
    electricity = np.array([o.deltas.get("electricity", 0.0) for o in regular])
    scope2 = -electricity[:, None] * grid[None, :]
    removals = np.array([[o.removals_t] * len(years) for o in regular]).reshape(len(regular), len(years))
    fuels = sum(e.amount(c) * scope1_factor(c) for e in energies.values() for c in e.annual)
    electricity_base = {f: e.amount("electricity") for f, e in energies.items()}
    return PathwayData(
        years=years,
        options=regular,
        ppas=ppas,
        abatement=scope1 + scope2 + removals,
        scope1_reduction=scope1,
        scope2_reduction=scope2,
        removals=removals,
        electricity_delta=electricity,
        grid=grid,
        baseline_electricity=electricity_base,
        baseline_amounts={(f, c): float(a) for f, e in energies.items() for c, a in e.annual.items()},
        bau_scope1=np.full(len(years), float(fuels)),
        bau_scope2=sum(electricity_base.values()) * grid,
    )


@dataclass
class PathwayModel:
    """The built model and the index arrays to read it back.

    ``target_rows`` maps a target year to its row; ``budget_rows`` holds one row per year
    (or is empty). The ``extra_constraints`` hook receives this object and may call
    ``model.add_rows`` with columns from ``increments`` (options × years), ``adopted``
    (options) and ``ppa`` (PPAs × years).
    """

    model: LinearModel
    data: PathwayData
    increments: IntArray
    adopted: IntArray
    ppa: IntArray
    target_rows: dict[int, int]
    target_limits: dict[int, float]
    budget_rows: IntArray
    target_slack: dict[int, int] = field(default_factory=dict)


def _capex_years(lifetime: int, first: int, years: Sequence[int]) -> FloatArray:
    """Matrix (install year τ, spending year t) of 1 where capex installed in τ is paid in t."""
    n = len(years)
    tau = np.arange(n)[:, None]
    t = np.arange(n)[None, :]
    return np.asarray(((t >= tau) & ((t - tau) % max(lifetime, 1) == 0)).astype(np.float64))


def _cumulative_triplets(count: int, n_years: int, columns: IntArray) -> tuple[IntArray, IntArray]:
    """Rows (option, year t) and columns y[option, τ] for every τ ≤ t."""
    tau, t = np.meshgrid(np.arange(n_years), np.arange(n_years), indexing="ij")
    mask = tau <= t
    pairs_tau, pairs_t = tau[mask], t[mask]
    option = np.repeat(np.arange(count), pairs_tau.size)
    rows = option * n_years + np.tile(pairs_t, count)
    cols = columns[option, np.tile(pairs_tau, count)]
    return rows.astype(np.int64), cols.astype(np.int64)


def build_pathway(
    data: PathwayData,
    settings: PathwaySettings,
    finance: FinanceSettings,
    targets_by_year: Mapping[int, float],
    budget: bool = True,
    elastic: bool = False,
) -> PathwayModel:
    """Build the pathway model (see the module docstring).

    Parameters
    ----------
    data : PathwayData
    settings : PathwaySettings
    finance : FinanceSettings
    targets_by_year : mapping
        Largest net emissions allowed in a year [tCO2e].
    budget : bool
        Include the yearly budget rows (when a budget is set).
    elastic : bool
        Add a penalised slack to every target row.
    """
    years = data.years
    n_years, n_options, n_ppas = len(years), len(data.options), len(data.ppas)
    discount = (1.0 + finance.discount_rate) ** -np.arange(1, n_years + 1, dtype=np.float64)
    remaining_discount = np.cumsum(discount[::-1])[::-1]
    yearly_cost = np.array(
        [
            o.capex_vnd * capital_recovery_factor(finance.discount_rate, o.measure.lifetime_years) + o.annual_cost_vnd
            for o in data.options
        ]
    )
    m = LinearModel()
    increments = m.add_variables(
        (n_options, n_years),
        0.0,
        1.0,
        yearly_cost[:, None] * remaining_discount[None, :] / MILLION,
        integer=not settings.divisible,
    )
    adopted = m.add_variables(n_options, 0.0, 1.0, 0.0, integer=settings.divisible and settings.min_adoption_share > 0)
    premium = energy_prices()["dppa_premium"].vnd_per_unit if "dppa_premium" in energy_prices() else 0.0
    contracted = np.array([p.contracted_kwh for p in data.ppas])
    ppa = m.add_variables(
        (n_ppas, n_years), 0.0, contracted[:, None] * np.ones((1, n_years)), premium * discount[None, :] / MILLION
    )
    option_rows = np.repeat(np.arange(n_options), n_years)
    m.add_rows(
        n_options,
        np.concatenate([option_rows, np.arange(n_options)]),
        np.concatenate([increments.ravel(), adopted]),
        np.concatenate([np.ones(n_options * n_years), -np.ones(n_options)]),
        upper=0.0,
        name="adopt_once",
    )
    if settings.divisible and settings.min_adoption_share > 0:
        m.add_rows(
            n_options,
            np.concatenate([option_rows, np.arange(n_options)]),
            np.concatenate([increments.ravel(), adopted]),
            np.concatenate([np.ones(n_options * n_years), -settings.min_adoption_share * np.ones(n_options)]),
            lower=0.0,
            name="adopt_minimum",
        )
    _exclusive_rows(m, data, increments)
    _carrier_rows(m, data, increments)
    _ppa_rows(m, data, increments, ppa)
    target_rows, target_slack, limits = _target_rows(m, data, increments, ppa, targets_by_year, elastic)
    budget_rows = np.zeros(0, dtype=np.int64)
    if budget and settings.budget_vnd_per_year is not None:
        budget_rows = _budget_rows(m, data, increments, settings.budget_vnd_per_year)
    return PathwayModel(m, data, increments, adopted, ppa, target_rows, limits, budget_rows, target_slack)


def _exclusive_rows(m: LinearModel, data: PathwayData, increments: IntArray) -> None:
    groups: dict[tuple[str, str], list[int]] = {}
    for index, option in enumerate(data.options):
        if option.measure.exclusive_group:
            groups.setdefault((option.firm_id, option.measure.exclusive_group), []).append(index)
    shared = [members for members in groups.values() if len(members) > 1]
    if not shared:
        return
    rows = np.concatenate([np.full(len(members) * increments.shape[1], row) for row, members in enumerate(shared)])
    cols = np.concatenate([increments[members].ravel() for members in shared])
    m.add_rows(len(shared), rows, cols, 1.0, upper=1.0, name="exclusive_group")


def _carrier_rows(m: LinearModel, data: PathwayData, increments: IntArray) -> None:
    """A firm never saves more of a carrier than it uses: ``A_fc + Σ_i a[i,t] Δ_ic ≥ 0`` every year.

    Written only for carriers touched by two or more of the firm's options (one option alone
    never saves more than the baseline it was sized on).
    """
    n_years = len(data.years)
    touched: dict[tuple[str, str], list[int]] = {}
    for index, option in enumerate(data.options):
        for carrier, delta in option.deltas.items():
            if delta != 0:
                touched.setdefault((option.firm_id, carrier), []).append(index)
    rows, cols, values, upper = [], [], [], []
    count = 0
    for (firm_id, carrier), members in touched.items():
        if len(members) < 2:
            continue
        for index in members:
            local, columns = _cumulative_triplets(1, n_years, increments[[index]])
            rows.append(count * n_years + local)
            cols.append(columns)
            values.append(np.full(local.size, -data.options[index].deltas[carrier]))
        upper.append(np.full(n_years, data.baseline_amounts.get((firm_id, carrier), 0.0)))
        count += 1
    if count:
        m.add_rows(
            count * n_years,
            np.concatenate(rows),
            np.concatenate(cols),
            np.concatenate(values),
            upper=np.concatenate(upper),
            name="carrier_balance",
        )


def _ppa_rows(m: LinearModel, data: PathwayData, increments: IntArray, ppa: IntArray) -> None:
    """Green power bought each year is at most the firm's remaining grid electricity."""
    n_years = len(data.years)
    firm_options: dict[str, list[int]] = {}
    for index, option in enumerate(data.options):
        firm_options.setdefault(option.firm_id, []).append(index)
    rows, cols, values, upper = [], [], [], []
    for p, option in enumerate(data.ppas):
        base = p * n_years
        rows.append(base + np.arange(n_years))
        cols.append(ppa[p])
        values.append(np.ones(n_years))
        for index in firm_options.get(option.firm_id, []):
            delta = data.electricity_delta[index]
            if delta == 0:
                continue
            local, columns = _cumulative_triplets(1, n_years, increments[[index]])
            rows.append(base + local)
            cols.append(columns)
            values.append(np.full(local.size, -delta))
        upper.append(np.full(n_years, data.baseline_electricity.get(option.firm_id, 0.0)))
    if rows:
        m.add_rows(
            len(data.ppas) * n_years,
            np.concatenate(rows),
            np.concatenate(cols),
            np.concatenate(values),
            upper=np.concatenate(upper),
            name="ppa_within_use",
        )


def _target_rows(
    m: LinearModel,
    data: PathwayData,
    increments: IntArray,
    ppa: IntArray,
    targets_by_year: Mapping[int, float],
    elastic: bool,
) -> tuple[dict[int, int], dict[int, int], dict[int, float]]:
    """Rows ``-Σ a A - g Σ q (- slack) ≤ limit - B`` for each target year."""
    rows: dict[int, int] = {}
    slacks: dict[int, int] = {}
    limits: dict[int, float] = {}
    for year, limit in sorted(targets_by_year.items()):
        if year not in data.years:
            continue
        t = data.years.index(year)
        cols = [increments[:, : t + 1].ravel(), ppa[:, t]]
        values = [np.repeat(-data.abatement[:, t], t + 1), np.full(ppa.shape[0], -data.grid[t])]
        if elastic:
            slack = m.add_variables(1, 0.0, np.inf, SLACK_PENALTY)
            slacks[year] = int(slack[0])
            cols.append(slack)
            values.append(-np.ones(1))
        column = np.concatenate(cols)
        index = m.add_rows(
            1,
            np.zeros(column.size, dtype=np.int64),
            column,
            np.concatenate(values),
            upper=limit - float(data.bau[t]),
            name=f"target_{year}",
        )
        rows[year] = int(index[0])
        limits[year] = limit
    return rows, slacks, limits


def _budget_rows(m: LinearModel, data: PathwayData, increments: IntArray, budget_vnd: float) -> IntArray:
    n_years = len(data.years)
    rows, cols, values = [], [], []
    for index, option in enumerate(data.options):
        paid = _capex_years(option.measure.lifetime_years, data.years[0], data.years)
        tau, t = np.nonzero(paid)
        rows.append(t)
        cols.append(increments[index, tau])
        values.append(np.full(t.size, option.capex_vnd / MILLION))
    if not rows:
        return np.zeros(0, dtype=np.int64)
    return m.add_rows(
        n_years, np.concatenate(rows), np.concatenate(cols), np.concatenate(values), upper=budget_vnd / MILLION, name="budget"
    )


@dataclass(frozen=True)
class Explanation:
    """Why a pathway is infeasible.

    Attributes
    ----------
    binding : str
        ``budget`` (the target is reachable with more money), ``measures`` (not even an
        unlimited budget reaches it with the catalogue's measures).
    shortfall_t : mapping
        Target year -> tonnes above the target with the budget as given.
    shortfall_unlimited_t : mapping
        Target year -> tonnes above the target with no budget limit.
    binding_budget_years : tuple of int
        Years whose whole budget is spent in the elastic solution, or whose budget is below
        what the unlimited-budget solution spends that year.
    """

    binding: str
    shortfall_t: Mapping[int, float]
    shortfall_unlimited_t: Mapping[int, float]
    binding_budget_years: tuple[int, ...]


@dataclass(frozen=True)
class PathwayResult:
    """A solved (or explained) pathway.

    Attributes
    ----------
    status : str
        ``optimal``, ``time_limit`` (feasible, gap above target), or ``infeasible``.
    emissions : DataFrame
        Columns :data:`EMISSION_COLUMNS` per year [tCO2e]; for an infeasible pathway, the
        elastic solution's (targets missed by the shortfall).
    spending : DataFrame
        Columns :data:`SPENDING_COLUMNS` per year [VND].
    timeline : DataFrame
        Columns :data:`TIMELINE_COLUMNS`: share of each option installed each year.
    targets : tuple of (Target, limit_t, met)
    objective_vnd : float [VND]
    mip_gap : float
    seconds : float [s]
    explanation : Explanation or None
    """

    status: str
    emissions: pd.DataFrame
    spending: pd.DataFrame
    timeline: pd.DataFrame
    targets: tuple[tuple[Target, float, bool], ...]
    objective_vnd: float
    mip_gap: float
    seconds: float
    explanation: Explanation | None = None


def emissions_by_year(data: PathwayData, increments: FloatArray, ppa: FloatArray) -> pd.DataFrame:
    """Recompute yearly emissions by scope from adoption shares [tCO2e] (independent of the model rows)."""
    installed = np.cumsum(increments, axis=1) if increments.size else np.zeros((0, len(data.years)))
    scope1 = data.bau_scope1 - (installed * data.scope1_reduction).sum(axis=0)
    scope2_location = data.bau_scope2 - (installed * data.scope2_reduction).sum(axis=0)
    scope2_market = scope2_location - data.grid * (ppa.sum(axis=0) if ppa.size else 0.0)
    removals = (installed * data.removals).sum(axis=0)
    return pd.DataFrame(
        {
            "year": data.years,
            "bau_t": data.bau,
            "scope1_t": scope1,
            "scope2_location_t": scope2_location,
            "scope2_market_t": scope2_market,
            "removals_t": removals,
            "net_t": scope1 + scope2_market - removals,
        }
    )


def _spending(data: PathwayData, increments: FloatArray, ppa: FloatArray, budget: float | None) -> pd.DataFrame:
    n_years = len(data.years)
    capex = np.zeros(n_years)
    running = np.zeros(n_years)
    installed = np.cumsum(increments, axis=1) if increments.size else np.zeros((0, n_years))
    for index, option in enumerate(data.options):
        capex += option.capex_vnd * (increments[index] @ _capex_years(option.measure.lifetime_years, data.years[0], data.years))
        running += option.annual_cost_vnd * installed[index]
    premium = energy_prices()["dppa_premium"].vnd_per_unit if "dppa_premium" in energy_prices() else 0.0
    ppa_cost = premium * (ppa.sum(axis=0) if ppa.size else np.zeros(n_years))
    return pd.DataFrame(
        {
            "year": data.years,
            "capex_vnd": capex,
            "operating_and_energy_vnd": running,
            "ppa_premium_vnd": ppa_cost,
            "total_vnd": capex + running + ppa_cost,
            "budget_vnd": np.full(n_years, np.nan if budget is None else budget),
        }
    )


def _timeline(data: PathwayData, increments: FloatArray, ppa: FloatArray) -> pd.DataFrame:
    rows = []
    for index, option in enumerate(data.options):
        for t in np.flatnonzero(increments[index] > 1e-6):
            share = float(increments[index, t])
            rows.append((option.firm_id, option.measure.id, data.years[t], share, share * option.capex_vnd))
    for p, option in enumerate(data.ppas):
        active = np.flatnonzero(ppa[p] > 1e-3)
        if active.size:
            first = int(active[0])
            rows.append((option.firm_id, option.measure.id, data.years[first], float(ppa[p, first] / option.contracted_kwh), 0.0))
    return pd.DataFrame(rows, columns=list(TIMELINE_COLUMNS)).sort_values(["year", "firm_id", "measure_id"], ignore_index=True)


def _targets_for(data: PathwayData, settings: PathwaySettings) -> tuple[list[tuple[Target, float]], dict[int, float]]:
    """Targets reported (with their limits) and the ones enforced, by year."""
    reported: list[tuple[Target, float]] = []
    enforced: dict[int, float] = {}
    ndc = target(settings.ndc_check)
    if ndc.year in data.years:
        limit = ndc.limit(float(data.bau[data.years.index(ndc.year)]))
        reported.append((ndc, limit))
        if settings.enforce_ndc:
            enforced[ndc.year] = limit
    if settings.target:
        final = target(settings.target)
        if final.year not in data.years:
            raise DecarbonisationError("decarbonisation.target_outside_years", target=final.id, year=final.year)
        t = data.years.index(final.year)
        limit = final.limit(float(data.bau[t]))
        reported.append((final, limit))
        enforced[final.year] = min(limit, enforced.get(final.year, limit))
    return reported, enforced


def read_pathway(
    built: PathwayModel, solution: Solution, settings: PathwaySettings, reported: Sequence[tuple[Target, float]]
) -> PathwayResult:
    """Read adoption, emissions, spending and targets back from ``solution``."""
    data = built.data
    increments = np.clip(solution.values[built.increments], 0.0, 1.0)
    ppa = np.maximum(solution.values[built.ppa], 0.0)
    emissions = emissions_by_year(data, increments, ppa)
    limits = {t.year: limit for t, limit in reported}
    emissions["target_t"] = emissions["year"].map(limits)
    tolerance = 1e-6 * max(1.0, float(np.abs(data.bau).max(initial=1.0)))
    checks = tuple(
        (t, limit, bool(emissions.loc[emissions["year"] == t.year, "net_t"].iloc[0] <= limit + tolerance))
        for t, limit in reported
    )
    return PathwayResult(
        status=solution.status,
        emissions=emissions[list(EMISSION_COLUMNS)],
        spending=_spending(data, increments, ppa, settings.budget_vnd_per_year),
        timeline=_timeline(data, increments, ppa),
        targets=checks,
        objective_vnd=solution.objective * MILLION,
        mip_gap=solution.mip_gap,
        seconds=solution.seconds,
    )


def explain_infeasibility(
    data: PathwayData, settings: PathwaySettings, finance: FinanceSettings, enforced: Mapping[int, float]
) -> tuple[Explanation, PathwayModel, Solution]:
    """Solve elastic models to say which target years miss and what binds.

    Returns the explanation and the elastic model with the budget (whose solution shows the
    best the budget allows).
    """
    elastic = build_pathway(data, settings, finance, enforced, budget=True, elastic=True)
    solution = solve(elastic.model, settings.mip_rel_gap, settings.time_limit_s)
    shortfall = {year: float(solution.values[col]) for year, col in elastic.target_slack.items()}
    unlimited_shortfall = dict.fromkeys(shortfall, 0.0)
    binding_years: tuple[int, ...] = ()
    if elastic.budget_rows.size:
        activity = solution.row_activity[elastic.budget_rows]
        budget = (settings.budget_vnd_per_year or 0.0) / MILLION
        unlimited = build_pathway(data, settings, finance, enforced, budget=False, elastic=True)
        unlimited_solution = solve(unlimited.model, settings.mip_rel_gap, settings.time_limit_s)
        unlimited_shortfall = {year: float(unlimited_solution.values[col]) for year, col in unlimited.target_slack.items()}
        wanted = _spending(data, unlimited_solution.values[unlimited.increments], unlimited_solution.values[unlimited.ppa], None)
        wanted_capex = wanted["capex_vnd"].to_numpy() / MILLION
        binding_years = tuple(
            year
            for year, spent, needed in zip(data.years, activity, wanted_capex, strict=True)
            if spent >= budget * (1 - 1e-6) - 1e-9 or needed > budget * (1 + 1e-6)
        )
    else:
        unlimited_shortfall = dict(shortfall)
    tolerance = 1e-6 * max(1.0, float(np.abs(data.bau).max(initial=1.0)))
    binding = "measures" if any(v > tolerance for v in unlimited_shortfall.values()) else "budget"
    explanation = Explanation(binding, shortfall, unlimited_shortfall, binding_years)
    return explanation, elastic, solution


def plan_pathway(
    options: Sequence[MeasureOption],
    energies: Mapping[str, FirmEnergy],
    settings: PathwaySettings | None = None,
    finance: FinanceSettings | None = None,
    extra_constraints: Callable[[PathwayModel], None] | None = None,
) -> PathwayResult:
    """Choose measures per firm and year to meet the targets at least cost (build, hook, solve, read back).

    Parameters
    ----------
    options : sequence of MeasureOption
        Evaluated options (inapplicable ones and batteries are ignored).
    energies : mapping
        FirmEnergy by firm (the baseline).
    settings : PathwaySettings, optional
    finance : FinanceSettings, optional
    extra_constraints : callable, optional
        Adds rows to the built :class:`PathwayModel` before the solve.

    Returns
    -------
    PathwayResult
        With ``status`` ``infeasible`` and an :class:`Explanation` when the targets cannot be met;
        the emissions and spending are then the elastic solution's.
    """
    settings = settings or PathwaySettings()
    finance = finance or FinanceSettings()
    data = pathway_data(options, energies, settings)
    reported, enforced = _targets_for(data, settings)
    built = build_pathway(data, settings, finance, enforced)
    if extra_constraints is not None:
        extra_constraints(built)
    solution = solve(built.model, settings.mip_rel_gap, settings.time_limit_s)
    if solution.has_solution:
        return read_pathway(built, solution, settings, reported)
    explanation, elastic, elastic_solution = explain_infeasibility(data, settings, finance, enforced)
    result = read_pathway(elastic, elastic_solution, settings, reported)
    return PathwayResult(
        status="infeasible",
        emissions=result.emissions,
        spending=result.spending,
        timeline=result.timeline,
        targets=result.targets,
        objective_vnd=float("nan"),
        mip_gap=float("nan"),
        seconds=solution.seconds + elastic_solution.seconds,
        explanation=explanation,
    )
