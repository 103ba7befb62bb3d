"""The exchange-network MILP: invariants on every solution, brute force on small instances, targets, Pareto."""

from __future__ import annotations

import itertools

import highspy
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog  # type: ignore[import-untyped]

from ecozone.symbiosis.errors import InfeasibleTargetError, SymbiosisError
from ecozone.symbiosis.metrics import programme_metrics
from ecozone.symbiosis.model import (
    Arc,
    BuiltModel,
    Demand,
    Supply,
    SymbiosisProblem,
    build_model,
    components,
    greedy_benefit,
    greedy_flows,
    optimise,
    pareto_sweep,
    read_solution,
    solve,
    without_unprofitable_arcs,
)
from ecozone.symbiosis.model.build import quality_terms
from ecozone.symbiosis.model.greedy import greedy_start
from ecozone.symbiosis.model.readback import exchanges_from_flows
from ecozone.symbiosis.model.solve import objective_value
from ecozone.symbiosis.settings import OptimisationSettings

TOLERANCE = 1e-5
EXACT = OptimisationSettings(mip_rel_gap=0.0)


def arc(supplier: str, receiver: str, benefit: float, setup: float, co2: float = 1.0, ratio: float = 1.0, **caps: float) -> Arc:
    return Arc(
        supplier,
        receiver,
        supplier,
        receiver,
        "fly_ash",
        "cement_raw_material",
        ratio,
        caps.get("capacity", 1e9),
        benefit,
        setup,
        co2,
    )


def with_capacities(problem: SymbiosisProblem) -> SymbiosisProblem:
    supplies = {s.key: s.quantity for s in problem.supplies}
    demands = {d.key: d.quantity for d in problem.demands}
    arcs = tuple(
        Arc(**{**a.__dict__, "capacity": min(supplies[a.supplier], demands[a.receiver] / a.ratio)}) for a in problem.arcs
    )
    return SymbiosisProblem(problem.supplies, problem.demands, arcs)


@st.composite
def problems(draw: st.DrawFn) -> SymbiosisProblem:
    n_supplies = draw(st.integers(1, 3))
    n_demands = draw(st.integers(1, 3))
    purity = st.one_of(st.none(), st.sampled_from([60.0, 80.0, 95.0]))
    supplies = tuple(
        Supply(f"s{i}", f"s{i}", draw(st.sampled_from([10.0, 50.0, 120.0])), draw(purity)) for i in range(n_supplies)
    )
    demands = []
    for j in range(n_demands):
        minimum = draw(st.one_of(st.none(), st.just(75.0)))
        demands.append(Demand(f"d{j}", f"d{j}", draw(st.sampled_from([20.0, 60.0, 200.0])), minimum))
    pairs = draw(
        st.lists(st.sampled_from([(s.key, d.key) for s in supplies for d in demands]), min_size=1, max_size=6, unique=True)
    )
    arcs = []
    for supplier, receiver in pairs:
        if any(d.key == receiver and d.min_purity_pct is not None for d in demands) and any(
            s.key == supplier and s.purity_pct is None for s in supplies
        ):
            continue
        arcs.append(
            arc(
                supplier,
                receiver,
                benefit=draw(st.sampled_from([-50.0, 10.0, 100.0, 400.0])),
                setup=draw(st.sampled_from([0.0, 500.0, 5000.0])),
                co2=draw(st.sampled_from([-0.1, 0.5, 1.5])),
                ratio=draw(st.sampled_from([0.5, 1.0, 2.0])),
            )
        )
    return with_capacities(SymbiosisProblem(supplies, tuple(demands), tuple(arcs)))


def check_invariants(problem: SymbiosisProblem, built: BuiltModel, values: tuple[float, ...]) -> None:
    n = len(problem.arcs)
    flows, links = np.asarray(values[:n]), np.asarray(values[n:])
    assert (flows >= -TOLERANCE).all()
    for index, a in enumerate(problem.arcs):
        assert flows[index] <= a.capacity * (1 + TOLERANCE) + TOLERANCE
        if flows[index] > TOLERANCE:
            assert links[index] > 0.5, "flow without an active link"
    for supply in problem.supplies:
        used = sum(flows[i] for i, a in enumerate(problem.arcs) if a.supplier == supply.key)
        assert used <= supply.quantity * (1 + TOLERANCE) + TOLERANCE
    for demand in problem.demands:
        received = sum(flows[i] * a.ratio for i, a in enumerate(problem.arcs) if a.receiver == demand.key)
        assert received <= demand.quantity * (1 + TOLERANCE) + TOLERANCE
    for _, _, arcs, coefficients in quality_terms(problem):
        assert sum(flows[a] * c for a, c in zip(arcs, coefficients, strict=True)) >= -1e-4


def brute_force(problem: SymbiosisProblem) -> float:
    """Best benefit over every set of active links, each solved as an LP by scipy (independent of the MILP)."""
    n = len(problem.arcs)
    best = 0.0
    if n == 0:
        return best
    rows, bounds_upper = [], []
    for supply in problem.supplies:
        rows.append([1.0 if a.supplier == supply.key else 0.0 for a in problem.arcs])
        bounds_upper.append(supply.quantity)
    for demand in problem.demands:
        rows.append([a.ratio if a.receiver == demand.key else 0.0 for a in problem.arcs])
        bounds_upper.append(demand.quantity)
    for _, _, arcs, coefficients in quality_terms(problem):
        row = [0.0] * n
        for index, coefficient in zip(arcs, coefficients, strict=True):
            row[index] = -coefficient
        rows.append(row)
        bounds_upper.append(0.0)
    for active in itertools.product([False, True], repeat=n):
        bounds = [(0.0, a.capacity if on else 0.0) for a, on in zip(problem.arcs, active, strict=True)]
        result = linprog([-a.unit_benefit_vnd for a in problem.arcs], A_ub=rows, b_ub=bounds_upper, bounds=bounds, method="highs")
        assert result.status == 0
        value = -result.fun - sum(a.setup_cost_vnd for a, on in zip(problem.arcs, active, strict=True) if on)
        best = max(best, value)
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_solutions_keep_the_invariants_and_match_brute_force(problem: SymbiosisProblem) -> None:
    built = build_model(problem)
    result = solve(built, EXACT)
    assert result.status == "optimal"
    check_invariants(problem, built, result.column_values)
    solution = read_solution(built, result)
    assert solution.objective == pytest.approx(solution.benefit_vnd, abs=1e-4)
    assert solution.objective == pytest.approx(brute_force(problem), rel=1e-6, abs=1e-4)
    flows = greedy_flows(problem)
    assert greedy_benefit(problem, flows) <= solution.objective + 1e-6
    by_component = optimise(problem, settings=EXACT)
    assert by_component.benefit_vnd == pytest.approx(solution.objective, rel=1e-6, abs=1e-4)
    assert by_component.objective == pytest.approx(by_component.benefit_vnd, rel=1e-9, abs=1e-4)


def small_problem() -> SymbiosisProblem:
    supplies = (Supply("ash", "boiler", 100.0), Supply("scrap", "metal", 50.0))
    demands = (Demand("bricks", "brick", 80.0), Demand("cement", "cement", 60.0), Demand("foundry", "foundry", 50.0))
    arcs = (
        arc("ash", "bricks", benefit=300.0, setup=1000.0, co2=0.0),
        arc("ash", "cement", benefit=200.0, setup=1000.0, co2=0.8),
        arc("scrap", "foundry", benefit=100.0, setup=9000.0, co2=1.5),
    )
    return with_capacities(SymbiosisProblem(supplies, demands, arcs))


def test_hand_solved_instance() -> None:
    # Bricks take 80 t of ash at 300 (23,000 net), cement the other 20 t at 200 (3,000 net);
    # scrap earns 5,000 but costs 9,000 to set up: left out.
    solution = optimise(small_problem(), settings=EXACT)
    flows = {(e.arc.supplier, e.arc.receiver): e.flow for e in solution.exchanges}
    assert flows == pytest.approx({("ash", "bricks"): 80.0, ("ash", "cement"): 20.0})
    assert solution.benefit_vnd == pytest.approx(80 * 300 - 1000 + 20 * 200 - 1000)
    assert solution.tco2e == pytest.approx(16.0)
    metrics = programme_metrics(solution.exchanges, {"boiler": "firm", "brick": "firm", "cement": "external"})
    assert metrics.links == 2 and metrics.firms_involved == 2 and metrics.partners_involved == 1
    assert metrics.diverted_from_landfill_t == pytest.approx(100.0)
    assert metrics.virgin_material_saved_t == pytest.approx(100.0)
    assert metrics.vnd_saved == pytest.approx(solution.benefit_vnd)


def test_co2_target_changes_the_network() -> None:
    # 100 tCO2e needs the scrap link (75) plus at least 31.25 t of ash to cement (0.8 each).
    solution = optimise(small_problem(), co2_target=100.0, settings=EXACT)
    assert solution.tco2e >= 100.0 - 1e-6
    flows = {(e.arc.supplier, e.arc.receiver): e.flow for e in solution.exchanges}
    assert flows[("scrap", "foundry")] == pytest.approx(50.0)
    assert flows[("ash", "cement")] == pytest.approx(31.25)  # bricks pay more, so cement gets only what the target needs
    assert flows[("ash", "bricks")] == pytest.approx(68.75)
    assert solution.benefit_vnd == pytest.approx(68.75 * 300 - 1000 + 31.25 * 200 - 1000 + 50 * 100 - 9000)


def test_infeasible_co2_target_is_explained() -> None:
    with pytest.raises(InfeasibleTargetError) as caught:
        optimise(small_problem(), co2_target=500.0)
    explanation = caught.value.explanation
    assert explanation.max_tco2e == pytest.approx(60 * 0.8 + 50 * 1.5)
    binding = {(b.kind, b.key) for b in explanation.binding}
    assert ("demand", "cement") in binding
    assert ("supply", "scrap") in binding or ("demand", "foundry") in binding
    text = "\n".join(explanation.lines("en"))
    assert "123.0" in text and "cement" in text
    assert "123,0" in "\n".join(explanation.lines("vi"))
    assert "\n".join(explanation.lines("vi"))


def test_pareto_sweep_trades_money_for_co2() -> None:
    points = pareto_sweep(small_problem(), points=5, settings=EXACT)
    assert len(points) >= 2
    ordered = sorted(points, key=lambda p: p.tco2e)
    for low, high in itertools.pairwise(ordered):
        assert high.benefit_vnd <= low.benefit_vnd + 1e-6
    assert ordered[-1].tco2e == pytest.approx(123.0, rel=1e-4)


def test_extra_constraints_hook() -> None:
    def forbid_bricks(built: BuiltModel) -> None:
        built.add_row("no bricks", [built.link_column(0)], [1.0], 0.0, 0.0)

    solution = optimise(small_problem(), settings=EXACT, extra_constraints=forbid_bricks)
    assert {(e.arc.supplier, e.arc.receiver) for e in solution.exchanges} == {("ash", "cement")}

    def impossible(built: BuiltModel) -> None:
        built.add_row("impossible", [built.flow_column(1)], [1.0], 1e6, 2e6)

    with pytest.raises(SymbiosisError):
        optimise(small_problem(), extra_constraints=impossible)


def test_components_and_pruning() -> None:
    problem = small_problem()
    parts = components(problem)
    assert sorted(len(p.arcs) for p in parts) == [1, 2]
    pruned = without_unprofitable_arcs(problem)
    assert {(a.supplier, a.receiver) for a in pruned.arcs} == {("ash", "bricks"), ("ash", "cement")}
    assert [s.key for s in pruned.supplies] == ["ash"]


def test_empty_problem() -> None:
    solution = optimise(SymbiosisProblem((), (), ()))
    assert solution.exchanges == () and solution.benefit_vnd == 0.0
    with pytest.raises(InfeasibleTargetError) as caught:
        optimise(SymbiosisProblem((), (), ()), co2_target=1.0)
    assert "No link" in "\n".join(caught.value.explanation.lines("en"))


def test_a_loss_making_clean_stream_that_enables_blending_is_not_pruned() -> None:
    # Found by Hypothesis: supplier a (purity 60 %) earns 400 VND/t but alone misses the receiver's
    # 75 % minimum; supplier b (95 %) loses 50 VND/t. Blending needs (95-75) f_b >= (75-60) f_a, so
    # f_b = 0.75 f_a: with f_a = 10 t the optimum is 400 x 10 - 50 x 7.5 = 3,625 VND.
    supplies = (Supply("a", "a", 10.0, 60.0), Supply("b", "b", 50.0, 95.0))
    demands = (Demand("d", "d", 200.0, 75.0),)
    problem = with_capacities(SymbiosisProblem(supplies, demands, (arc("a", "d", 400.0, 0.0), arc("b", "d", -50.0, 0.0))))
    assert optimise(problem, settings=EXACT).benefit_vnd == pytest.approx(3625.0)


def test_a_start_that_presolve_cuts_off_does_not_inflate_the_objective() -> None:
    # Found by Hypothesis. Receiver d takes 40 t at 400 VND/t from a or b: 16,000 VND is the
    # optimum (e, with a purity limit so its arc is not pruned, would lose: at most 20 t of a
    # left x 10 - 500 < 0). Greedy sends a's 40 t to d (16,000). HiGHS 1.16 presolve fixes b -> d
    # at 10 t (as good as a -> d, b has no other use), moves its 4,000 VND into the objective
    # offset and caps a -> d at 30 t, keeps the start's 40 t as they are and used to report
    # 20,000 VND, "optimal", for the greedy flows worth 16,000.
    supplies = (Supply("a", "a", 50.0, 80.0), Supply("b", "b", 10.0))
    demands = (Demand("d", "d", 40.0), Demand("e", "e", 40.0, 75.0))
    arcs = (arc("a", "d", 400.0, 0.0), arc("b", "d", 400.0, 0.0), arc("a", "e", 10.0, 500.0))
    problem = with_capacities(SymbiosisProblem(supplies, demands, arcs))
    built = build_model(problem)
    result = solve(built, EXACT, greedy_start(problem))
    assert result.objective == pytest.approx(16000.0)
    assert result.bound == pytest.approx(16000.0)
    assert objective_value(built, result.column_values) == pytest.approx(16000.0)
    solution = optimise(problem, settings=EXACT)
    assert solution.objective == pytest.approx(16000.0)
    assert solution.benefit_vnd == pytest.approx(16000.0)


def test_a_start_that_presolve_cuts_off_does_not_end_the_search_early() -> None:
    # Found by Hypothesis. Every arc pays at capacity (15,500, 4,000 and 400 VND), so nothing is
    # pruned. Optimum: b fills 10 t of d (4,000), a the other 30 t (12,000 - 500) and sends its
    # last 20 t to e (200): 15,700 VND. Greedy takes a -> d at 40 t (15,500) and a -> e at the
    # 10 t left (100): 15,600. With that start HiGHS 1.16 (see above) claimed 19,600, pruned the
    # whole tree and returned the greedy flows as optimal.
    supplies = (Supply("a", "a", 50.0), Supply("b", "b", 10.0))
    demands = (Demand("d", "d", 40.0), Demand("e", "e", 40.0))
    arcs = (arc("a", "d", 400.0, 500.0), arc("b", "d", 400.0, 0.0), arc("a", "e", 10.0, 0.0))
    problem = with_capacities(SymbiosisProblem(supplies, demands, arcs))
    assert greedy_benefit(problem, greedy_flows(problem)) == pytest.approx(15600.0)
    result = solve(build_model(problem), EXACT, greedy_start(problem))
    assert result.objective == pytest.approx(15700.0)
    solution = optimise(problem, settings=EXACT)
    assert solution.objective == pytest.approx(15700.0)
    flows = {(e.arc.supplier, e.arc.receiver): e.flow for e in solution.exchanges}
    assert flows == pytest.approx({("a", "d"): 30.0, ("b", "d"): 10.0, ("a", "e"): 20.0})


def test_a_free_link_without_flow_is_no_exchange() -> None:
    # Link binaries all at 1: arc 0 carries 10 t (10 x 300 - 1,000 = 2,000 VND); arc 1 carries
    # nothing and costs nothing (dropped); arc 2 carries nothing but its 700 VND set-up was paid
    # in the objective, so it stays (-700 VND) and the benefits add up to 1,300 VND.
    problem = small_problem()
    arcs = (problem.arcs[0], arc("ash", "cement", 200.0, 0.0, capacity=60.0), arc("scrap", "foundry", 100.0, 700.0))
    exchanges = exchanges_from_flows(SymbiosisProblem(problem.supplies, problem.demands, arcs), [10.0, 0.0, 0.0], [1.0] * 3)
    assert [(e.arc.receiver, e.benefit_vnd) for e in exchanges] == [("bricks", 2000.0), ("foundry", -700.0)]


def test_an_lp_solved_first_does_not_break_the_milp() -> None:
    # HiGHS sizes one thread scheduler per process at its first run and fails later runs asking
    # for another thread count. A CO2e target solves the LP of the most avoidable tCO2e first;
    # left at HiGHS's default thread count, it made the one-thread MILP after it end in "error"
    # in a fresh process (simulated by resetting the scheduler). Expected values: see
    # test_co2_target_changes_the_network.
    highspy.Highs.resetGlobalScheduler(True)
    solution = optimise(small_problem(), co2_target=100.0, settings=EXACT)
    assert solution.benefit_vnd == pytest.approx(68.75 * 300 - 1000 + 31.25 * 200 - 1000 + 50 * 100 - 9000)
