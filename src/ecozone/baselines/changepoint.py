"""Change-point regression (1P, 2P, 3PC, 3PH, 4P, 5P) with extra drivers, fitted for many meters at once.

Model, per day of a period (CalTRACK 2.0 §3.3, ASHRAE inverse models, ISO 50006 multivariable)::

    E_p / d_p = β0 + βh·max(τh − T_p, 0) + βc·max(T_p − τc, 0) + Σ γ_j·X_jp / d_p

with ``E_p`` the energy of period p, ``d_p`` its length [d], ``T_p`` its mean temperature
[°C] and ``X_jp`` the total of driver j. 2P replaces the hinges by ``β1·T_p``; 3PC keeps the
cooling hinge, 3PH the heating hinge, 4P both with τh = τc, 5P both with τh < τc. The fit is
weighted least squares with weights ``d_p`` (ordinary least squares for daily data; CalTRACK
2.0 §3.4.1–3.4.2).

Balance points are found by grid search over each meter's temperature range. Every candidate
of every meter is scored *without* building its design matrix: with the observations of each
meter sorted by temperature, cumulative sums of ``w·z``, ``w·T·z``, ``w·T²``, ``w·y`` and
``w·T·y`` give the normal equations of any hinge at any τ in O(1), so the grid search is a
batch of small linear systems solved together (:func:`search_change_points`). The selected
model of each meter is then refitted exactly from its design matrix by a batched QR
decomposition (:func:`fit_selected`), which gives the coefficients, standard errors and
residuals.

Between a 5P and the 4P nested in it (τh = τc), the 5P's dead band must be significant
(:func:`dead_band_p_values`, an ecozone convention): a dead band narrower than the noise
can resolve otherwise wins on adjusted R² and shifts both balance points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special  # type: ignore[import-untyped]

from ecozone.baselines.observations import BoolArray, FloatArray, IntArray, MeterArrays
from ecozone.baselines.settings import FORMS, BaselineSettings, Form

RIDGE = 1e-12
"""Relative ridge added to the scaled normal equations of the grid search (keeps empty hinges solvable)."""
CHUNK_BYTES = 64 * 2**20
"""Memory budget of one batch of candidate normal equations [B]."""
DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class FormSpec:
    """What a model form contains.

    Attributes
    ----------
    name : str
        ``1P`` ... ``5P``.
    linear : bool
        A straight temperature slope (2P).
    heating, cooling : bool
        A heating hinge ``max(τh − T, 0)`` / a cooling hinge ``max(T − τc, 0)``.
    balance_points : int
        Balance points estimated by the search (counted as parameters).
    """

    name: Form
    linear: bool
    heating: bool
    cooling: bool
    balance_points: int

    @property
    def temperature_columns(self) -> tuple[str, ...]:
        """Names of the temperature coefficients, in design order."""
        if self.linear:
            return ("temperature_slope",)
        return (*(("heating_slope",) if self.heating else ()), *(("cooling_slope",) if self.cooling else ()))


FORM_SPECS: dict[Form, FormSpec] = {
    "1P": FormSpec("1P", False, False, False, 0),
    "2P": FormSpec("2P", True, False, False, 0),
    "3PC": FormSpec("3PC", False, False, True, 1),
    "3PH": FormSpec("3PH", False, True, False, 1),
    "4P": FormSpec("4P", False, True, True, 1),
    "5P": FormSpec("5P", False, True, True, 2),
}


def cooling_hinge(temperature_c: FloatArray, balance_point_c: FloatArray | float) -> FloatArray:
    """Cooling degrees ``max(T − τc, 0)`` [°C]."""
    return np.maximum(temperature_c - balance_point_c, 0.0)


def heating_hinge(temperature_c: FloatArray, balance_point_c: FloatArray | float) -> FloatArray:
    """Heating degrees ``max(τh − T, 0)`` [°C]."""
    return np.maximum(balance_point_c - temperature_c, 0.0)


def temperature_design(
    spec: FormSpec, temperature_c: FloatArray, heating_c: FloatArray | float, cooling_c: FloatArray | float
) -> FloatArray:
    """Temperature columns of ``spec`` for temperatures of any shape (columns last) [°C].

    Parameters
    ----------
    spec : FormSpec
        The model form.
    temperature_c : numpy.ndarray
        Mean temperature of each period [°C].
    heating_c, cooling_c : float or numpy.ndarray
        Balance points broadcastable against ``temperature_c`` [°C] (ignored if unused).
    """
    columns: list[FloatArray] = []
    if spec.linear:
        columns.append(np.asarray(temperature_c, dtype=np.float64))
    if spec.heating:
        columns.append(heating_hinge(temperature_c, heating_c))
    if spec.cooling:
        columns.append(cooling_hinge(temperature_c, cooling_c))
    if not columns:
        return np.zeros((*np.shape(temperature_c), 0))
    return np.stack(columns, axis=-1)


@dataclass(frozen=True)
class Regression:
    """The regression variables of a batch, on the per-day scale.

    Attributes
    ----------
    weight : numpy.ndarray, shape (meters, periods)
        Period length [d], 0 in padding.
    response : numpy.ndarray, shape (meters, periods)
        Energy per day [kWh/d], 0 in padding.
    base : numpy.ndarray, shape (meters, periods, 1 + drivers)
        Constant and driver per day columns (inactive drivers are zero).
    temperature_c : numpy.ndarray, shape (meters, periods)
        Mean temperature [°C] (meter mean in padding).
    """

    weight: FloatArray
    response: FloatArray
    base: FloatArray
    temperature_c: FloatArray


def regression_variables(arrays: MeterArrays) -> Regression:
    """Return the per-day regression variables of ``arrays``."""
    valid = arrays.valid
    days = np.where(valid, arrays.days, 0.0)
    safe_days = np.where(days > 0, days, 1.0)
    response = np.where(valid, arrays.energy / safe_days, 0.0)
    drivers = np.where(valid[..., None], arrays.drivers / safe_days[..., None], 0.0)
    base = np.concatenate([valid[..., None].astype(np.float64), drivers], axis=2)
    counts = np.maximum(valid.sum(axis=1), 1)
    mean_t = np.where(valid, arrays.temperature_c, 0.0).sum(axis=1) / counts
    temperature = np.where(valid, arrays.temperature_c, mean_t[:, None])
    return Regression(days, response, base, temperature)


@dataclass(frozen=True)
class _SortedSums:
    """Cumulative weighted sums of each meter's observations sorted by temperature (centred)."""

    sorted_t: FloatArray
    cumulative: FloatArray
    base_gram: FloatArray
    base_rhs: FloatArray
    total_ss: FloatArray
    points: IntArray
    total_days: FloatArray
    t_shift: FloatArray
    y_shift: FloatArray
    inactive: BoolArray

    @property
    def width(self) -> int:
        """Number of base columns (constant + drivers)."""
        return int(self.base_gram.shape[-1])

    def slices(self) -> dict[str, slice | int]:
        """Positions of the summed products in :attr:`cumulative`."""
        q = self.width
        return {"z": slice(0, q), "tz": slice(q, 2 * q), "tt": 2 * q, "y": 2 * q + 1, "ty": 2 * q + 2}


def _sorted_sums(regression: Regression, valid: BoolArray, inactive: BoolArray) -> _SortedSums:
    weight, base = regression.weight, regression.base
    total_days = weight.sum(axis=1)
    safe_days = np.where(total_days > 0, total_days, 1.0)
    y_shift = (weight * regression.response).sum(axis=1) / safe_days
    t_shift = (weight * regression.temperature_c).sum(axis=1) / safe_days
    response = np.where(valid, regression.response - y_shift[:, None], 0.0)
    temperature = regression.temperature_c - t_shift[:, None]
    order = np.argsort(np.where(valid, temperature, np.inf), axis=1, kind="stable")
    sorted_t = np.take_along_axis(np.where(valid, temperature, np.inf), order, axis=1)
    w = np.take_along_axis(weight, order, axis=1)
    t = np.where(np.isfinite(sorted_t), sorted_t, 0.0)
    y = np.take_along_axis(response, order, axis=1)
    z = np.take_along_axis(base, order[..., None], axis=1)
    wz = w[..., None] * z
    products = np.concatenate([wz, wz * t[..., None], (w * t * t)[..., None], (w * y)[..., None], (w * t * y)[..., None]], axis=2)
    cumulative = np.concatenate([np.zeros_like(products[:, :1]), np.cumsum(products, axis=1)], axis=1)
    gram = np.einsum("mni,mnj->mij", wz, z)
    index = np.arange(gram.shape[-1])
    gram[:, index[1:], index[1:]] += inactive.astype(np.float64)
    return _SortedSums(
        sorted_t=sorted_t,
        cumulative=cumulative,
        base_gram=gram,
        base_rhs=np.einsum("mni,mn->mi", wz, y),
        total_ss=(w * y * y).sum(axis=1),
        points=valid.sum(axis=1).astype(np.int64),
        total_days=total_days,
        t_shift=t_shift,
        y_shift=y_shift,
        inactive=inactive,
    )


def _positions(sorted_t: FloatArray, candidates: FloatArray, side: str) -> IntArray:
    """Batched ``searchsorted``: per meter, how many sorted temperatures lie below each candidate."""
    meters, width = sorted_t.shape
    if width == 0 or candidates.size == 0:
        return np.zeros(candidates.shape, dtype=np.int64)
    finite = np.isfinite(sorted_t)
    low = float(sorted_t[finite].min()) if finite.any() else 0.0
    high = float(sorted_t[finite].max()) if finite.any() else 0.0
    ceiling = high + 1.0
    span = ceiling - low + 1.0
    offsets = np.arange(meters, dtype=np.float64)[:, None] * span
    flat = (np.where(finite, sorted_t, ceiling) + offsets).ravel()
    queries = np.clip(np.nan_to_num(candidates, nan=ceiling), low - 0.5, ceiling) + offsets
    found = np.searchsorted(flat, queries.ravel(), side=side).reshape(candidates.shape)  # type: ignore[call-overload]
    positions: IntArray = np.clip(found - np.arange(meters)[:, None] * width, 0, width).astype(np.int64)
    return positions


def _gather(cumulative: FloatArray, positions: IntArray) -> FloatArray:
    """Cumulative sums at ``positions`` (meters, candidates) → (meters, candidates, products)."""
    return np.take_along_axis(cumulative, positions[..., None], axis=1)


@dataclass(frozen=True)
class _Side:
    """Sums over the observations on one side of a candidate balance point (centred temperatures)."""

    z: FloatArray
    tz: FloatArray
    tt: FloatArray
    y: FloatArray
    ty: FloatArray
    points: IntArray

    @property
    def weight(self) -> FloatArray:
        """Σ w (the constant column is the first base column)."""
        return self.z[..., 0]

    @property
    def t(self) -> FloatArray:
        """Σ w·T."""
        return self.tz[..., 0]


def _side(sums: _SortedSums, tau: FloatArray, below: bool) -> _Side:
    s = sums.slices()
    if below:
        positions = _positions(sums.sorted_t, tau, "left")
        values = _gather(sums.cumulative, positions)
        points = positions
    else:
        positions = _positions(sums.sorted_t, tau, "right")
        values = sums.cumulative[:, -1:, :] - _gather(sums.cumulative, positions)
        points = sums.points[:, None] - positions
    return _Side(
        values[..., s["z"]], values[..., s["tz"]], values[..., s["tt"]], values[..., s["y"]], values[..., s["ty"]], points
    )


@dataclass(frozen=True)
class _Hinge:
    """Normal-equation blocks of one hinge column at many candidates."""

    cross: FloatArray
    square: FloatArray
    rhs: FloatArray
    degree_days: FloatArray
    points: IntArray
    other_points: IntArray


def _heating_hinge(sums: _SortedSums, tau: FloatArray) -> _Hinge:
    below = _side(sums, tau, below=True)
    t = tau[..., None]
    return _Hinge(
        cross=t * below.z - below.tz,
        square=below.tt - 2.0 * tau * below.t + tau * tau * below.weight,
        rhs=tau * below.y - below.ty,
        degree_days=tau * below.weight - below.t,
        points=below.points,
        other_points=sums.points[:, None] - _positions(sums.sorted_t, tau, "right"),
    )


def _cooling_hinge(sums: _SortedSums, tau: FloatArray) -> _Hinge:
    above = _side(sums, tau, below=False)
    t = tau[..., None]
    return _Hinge(
        cross=above.tz - t * above.z,
        square=above.tt - 2.0 * tau * above.t + tau * tau * above.weight,
        rhs=above.ty - tau * above.y,
        degree_days=above.t - tau * above.weight,
        points=above.points,
        other_points=_positions(sums.sorted_t, tau, "left"),
    )


def _linear_column(sums: _SortedSums) -> _Hinge:
    s = sums.slices()
    total = sums.cumulative[:, -1, :][:, None, :]
    zeros = np.zeros((sums.points.size, 1))
    return _Hinge(
        cross=total[..., s["tz"]],
        square=total[..., s["tt"]],
        rhs=total[..., s["ty"]],
        degree_days=zeros,
        points=sums.points[:, None],
        other_points=sums.points[:, None],
    )


def _take(hinge: _Hinge, index: IntArray) -> _Hinge:
    """The hinge blocks at candidate positions ``index`` (meters, picks) along the candidate axis."""
    safe = np.clip(index, 0, max(hinge.square.shape[1] - 1, 0))
    return _Hinge(
        cross=np.take_along_axis(hinge.cross, safe[..., None], axis=1),
        square=np.take_along_axis(hinge.square, safe, axis=1),
        rhs=np.take_along_axis(hinge.rhs, safe, axis=1),
        degree_days=np.take_along_axis(hinge.degree_days, safe, axis=1),
        points=np.take_along_axis(hinge.points, safe, axis=1),
        other_points=np.take_along_axis(hinge.other_points, safe, axis=1),
    )


@dataclass(frozen=True)
class _Base:
    """Solution of the base columns alone (constant and drivers), per meter."""

    inverse: FloatArray
    solution: FloatArray
    sse: FloatArray


def _base(sums: _SortedSums) -> _Base:
    gram = sums.base_gram
    diagonal = np.diagonal(gram, axis1=-2, axis2=-1)
    scale = np.sqrt(np.where(diagonal > 0, diagonal, 1.0))
    outer = scale[:, :, None] * scale[:, None, :]
    inverse = np.linalg.inv(gram / outer + RIDGE * np.eye(gram.shape[-1])) / outer
    solution = np.einsum("mij,mj->mi", inverse, sums.base_rhs)
    sse = sums.total_ss - np.einsum("mi,mi->m", sums.base_rhs, solution)
    return _Base(inverse, solution, sse)


@dataclass(frozen=True)
class _Extended:
    """The base model extended by one or two temperature columns, at many candidates."""

    sse: FloatArray
    slopes: FloatArray
    intercept: FloatArray
    solvable: BoolArray


def _extend(base: _Base, columns: list[_Hinge]) -> _Extended:
    """Add temperature columns to the base solution by block elimination (Schur complement).

    The temperature columns of one model never overlap (a heating hinge is zero where the
    cooling hinge is not), so their mutual block is diagonal; the Schur complement is 1×1 or
    2×2 and is inverted in closed form.
    """
    cross = np.stack([hinge.cross for hinge in columns], axis=-1)
    weights = np.einsum("mij,mcje->mcie", base.inverse, cross)
    schur = -np.einsum("mcqe,mcqf->mcef", cross, weights)
    for index, hinge in enumerate(columns):
        schur[..., index, index] += hinge.square
    rhs = np.stack([hinge.rhs for hinge in columns], axis=-1) - np.einsum("mcqe,mq->mce", cross, base.solution)
    squares = np.stack([hinge.square for hinge in columns], axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if len(columns) == 1:
            pivot = schur[..., 0, 0]
            solvable = pivot > RIDGE * squares[..., 0]
            slopes = (rhs[..., 0] / pivot)[..., None]
        else:
            a, b, d = schur[..., 0, 0], schur[..., 0, 1], schur[..., 1, 1]
            determinant = a * d - b * b
            solvable = (a > RIDGE * squares[..., 0]) & (d > RIDGE * squares[..., 1]) & (determinant > RIDGE * a * d)
            slopes = np.stack([(d * rhs[..., 0] - b * rhs[..., 1]), (a * rhs[..., 1] - b * rhs[..., 0])], axis=-1)
            slopes = slopes / determinant[..., None]
    slopes = np.where(solvable[..., None], slopes, 0.0)
    sse = base.sse[:, None] - np.einsum("mce,mce->mc", rhs, slopes)
    intercept = base.solution[:, None, 0] - np.einsum("mce,mce->mc", weights[..., 0, :], slopes)
    return _Extended(np.maximum(sse, 0.0), slopes, intercept, solvable)


@dataclass(frozen=True)
class FormScores:
    """Best candidate of one form for every meter of a batch.

    Attributes
    ----------
    score : numpy.ndarray, shape (meters,)
        Selection score (higher is better; −inf when no candidate qualifies).
    heating_c, cooling_c : numpy.ndarray, shape (meters,)
        Balance points of the best candidate [°C] (NaN when unused).
    candidates, qualified : numpy.ndarray of int, shape (meters,)
        Candidates tried and candidates that qualified.
    sse : numpy.ndarray, shape (meters,)
        Weighted sum of squared residuals of the best candidate [(kWh/d)²] (NaN when none qualifies).
    """

    score: FloatArray
    heating_c: FloatArray
    cooling_c: FloatArray
    candidates: IntArray
    qualified: IntArray
    sse: FloatArray


def _score(sse: FloatArray, total_ss: FloatArray, points: FloatArray, parameters: FloatArray, selection: str) -> FloatArray:
    residual_df = points - parameters
    with np.errstate(divide="ignore", invalid="ignore"):
        if selection == "adjusted_r2":
            safe_total = np.where(total_ss > 0, total_ss, np.nan)
            score = 1.0 - (sse / residual_df) / (safe_total / (points - 1.0))
        else:
            penalty = 2.0 * parameters if selection == "aic" else parameters * np.log(points)
            score = -(points * np.log(np.maximum(sse, 1e-300) / points) + penalty)
    score = np.where(total_ss > 0, score, 0.0)
    return np.where(np.isfinite(score) & (residual_df >= 1), score, -np.inf)


@dataclass(frozen=True)
class _Context:
    """What every form of a batch shares."""

    sums: _SortedSums
    base: _Base
    settings: BaselineSettings
    min_points: int


def _evaluate(
    context: _Context, spec: FormSpec, columns: list[_Hinge], present: BoolArray
) -> tuple[FloatArray, BoolArray, FloatArray]:
    """Score the candidates of one form; return (score, qualified, sse), shape (meters, candidates)."""
    sums, settings = context.sums, context.settings
    if columns:
        extended = _extend(context.base, columns)
        sse, slopes, intercept, usable = extended.sse, extended.slopes, extended.intercept, extended.solvable & present
    else:
        sse, intercept = context.base.sse[:, None], context.base.solution[:, :1]
        slopes, usable = np.zeros((*sse.shape, 0)), present.copy()
    minimum_dd = settings.min_degree_days_per_year_c * sums.total_days / DAYS_PER_YEAR
    if not spec.linear:
        for hinge in columns:
            usable &= (hinge.points >= context.min_points) & (hinge.other_points >= context.min_points)
            usable &= hinge.degree_days >= minimum_dd[:, None]
    active = (~sums.inactive).sum(axis=1)
    parameters = (1 + active + len(columns) + spec.balance_points).astype(np.float64)[:, None]
    points = sums.points.astype(np.float64)[:, None]
    qualified = usable & (points - parameters >= 1)
    if settings.require_positive_slopes and not spec.linear:
        qualified &= np.all(slopes > 0, axis=-1)
    if settings.require_positive_intercept and not spec.linear:
        qualified &= (intercept + sums.y_shift[:, None] > 0) | (active[:, None] > 0)
    score = _score(sse, sums.total_ss[:, None], points, parameters, settings.selection)
    return np.where(qualified, score, -np.inf), qualified, np.broadcast_to(sse, score.shape)


def _grid(sums: _SortedSums, step: float, min_points: int) -> FloatArray:
    """Candidate balance points of each meter (centred) on a grid of absolute temperatures.

    The candidates are the multiples of ``step`` strictly between the ``min_points``-th lowest and
    highest temperatures of the meter (outside, a segment cannot hold enough points); NaN pads.
    """
    points = sums.points
    rows = np.arange(points.size)
    width = sums.sorted_t.shape[1]
    if width == 0:
        return np.full((points.size, 0), np.nan)
    low_index = np.clip(min_points - 1, 0, width - 1)
    high_index = np.clip(points - min_points, 0, width - 1)
    low = sums.sorted_t[rows, np.full(points.size, low_index)] + sums.t_shift
    high = sums.sorted_t[rows, high_index] + sums.t_shift
    enough = (points >= 2 * min_points) & np.isfinite(low) & np.isfinite(high)
    first = np.floor(np.where(enough, low, 0.0) / step) + 1
    last = np.ceil(np.where(enough, high, 0.0) / step) - 1
    counts = np.where(enough, np.maximum(last - first + 1, 0), 0).astype(np.int64)
    size = int(counts.max()) if counts.size else 0
    offsets = np.arange(size)[None, :]
    grid = (first[:, None] + offsets) * step
    grid = np.where(offsets < counts[:, None], grid, np.nan)
    return np.asarray(grid - sums.t_shift[:, None], dtype=np.float64)


def _best(
    score: FloatArray,
    qualified: BoolArray,
    present: BoolArray,
    heating: FloatArray,
    cooling: FloatArray,
    shift: FloatArray,
    sse: FloatArray,
) -> FormScores:
    meters = score.shape[0]
    if score.shape[1] == 0:
        nan = np.full(meters, np.nan)
        zero = np.zeros(meters, dtype=np.int64)
        return FormScores(np.full(meters, -np.inf), nan, nan, zero, zero, nan)
    choice = np.argmax(score, axis=1)
    rows = np.arange(meters)
    best = score[rows, choice]
    return FormScores(
        score=best,
        heating_c=heating[rows, choice] + shift,
        cooling_c=cooling[rows, choice] + shift,
        candidates=present.sum(axis=1).astype(np.int64),
        qualified=(qualified & present).sum(axis=1).astype(np.int64),
        sse=np.where(np.isfinite(best), sse[rows, choice], np.nan),
    )


FIVE_P_STRIDE = 4
"""Coarse stride (in grid steps) of the two-stage 5P search: all pairs on every 4th grid point,
then all pairs within ±4 grid steps of the best coarse pair."""


@dataclass(frozen=True)
class _GridHinges:
    """Heating and cooling hinge blocks at every grid candidate of a batch."""

    grid: FloatArray
    heating: _Hinge
    cooling: _Hinge


def _five_parameter(context: _Context, hinges: _GridHinges, spec: FormSpec) -> FormScores:
    """Two-stage 5P search: coarse pairs, then all pairs around the best coarse pair."""
    grid = hinges.grid
    meters, size = grid.shape
    coarse = np.arange(0, size, FIVE_P_STRIDE)
    first, second = np.triu_indices(coarse.size, k=1)
    heating_index = np.broadcast_to(coarse[first], (meters, first.size))
    cooling_index = np.broadcast_to(coarse[second], (meters, first.size))
    best = _pair_scores(context, hinges, spec, heating_index, cooling_index)
    rows = np.arange(meters)
    centre_h = heating_index[rows, np.argmax(best[0], axis=1)] if first.size else np.zeros(meters, dtype=np.int64)
    centre_c = cooling_index[rows, np.argmax(best[0], axis=1)] if first.size else np.zeros(meters, dtype=np.int64)
    window = np.arange(-FIVE_P_STRIDE, FIVE_P_STRIDE + 1)
    offsets_h, offsets_c = (axis.ravel() for axis in np.meshgrid(window, window, indexing="ij"))
    fine_h = centre_h[:, None] + offsets_h[None, :]
    fine_c = centre_c[:, None] + offsets_c[None, :]
    fine = _pair_scores(context, hinges, spec, fine_h, fine_c)
    score = np.concatenate([best[0], fine[0]], axis=1)
    qualified = np.concatenate([best[1], fine[1]], axis=1)
    present = np.concatenate([best[2], fine[2]], axis=1)
    heating = np.concatenate([best[3], fine[3]], axis=1)
    cooling = np.concatenate([best[4], fine[4]], axis=1)
    sse = np.concatenate([best[5], fine[5]], axis=1)
    return _best(score, qualified, present, heating, cooling, context.sums.t_shift, sse)


def _pair_scores(
    context: _Context, hinges: _GridHinges, spec: FormSpec, heating_index: IntArray, cooling_index: IntArray
) -> tuple[FloatArray, BoolArray, BoolArray, FloatArray, FloatArray, FloatArray]:
    grid = hinges.grid
    size = grid.shape[1]
    inside = (heating_index >= 0) & (cooling_index < size) & (heating_index < cooling_index)
    safe_h = np.clip(heating_index, 0, max(size - 1, 0))
    safe_c = np.clip(cooling_index, 0, max(size - 1, 0))
    heating_tau = np.where(inside, np.take_along_axis(grid, safe_h, axis=1), np.nan) if size else np.full(inside.shape, np.nan)
    cooling_tau = np.where(inside, np.take_along_axis(grid, safe_c, axis=1), np.nan) if size else np.full(inside.shape, np.nan)
    present = inside & np.isfinite(heating_tau) & np.isfinite(cooling_tau)
    if size == 0 or present.shape[1] == 0:
        empty = np.full(present.shape, -np.inf)
        return empty, present, present, heating_tau, cooling_tau, np.full(present.shape, np.nan)
    columns = [_take(hinges.heating, safe_h), _take(hinges.cooling, safe_c)]
    middle = context.sums.points[:, None] - columns[0].points - columns[1].points
    present = present & (middle >= context.min_points)
    score, qualified, sse = _evaluate(context, spec, columns, present)
    return np.where(present, score, -np.inf), qualified, present, heating_tau, cooling_tau, sse


REFINE_DIVISIONS = 5
"""Second pass of the balance-point search: a grid of a fifth of the step, within ±4/5 of a step of
the best first-pass candidate (all pairs of such points for 5P)."""


def _refined(context: _Context, spec: FormSpec, coarse: FormScores) -> FormScores:
    """Refine the balance points of the best candidate of each meter on a finer local grid."""
    sums = context.sums
    step = context.settings.balance_point_step_c / REFINE_DIVISIONS
    offsets = np.arange(-(REFINE_DIVISIONS - 1), REFINE_DIVISIONS) * step
    shift = sums.t_shift[:, None]
    found = np.isfinite(coarse.score)[:, None]
    nan = np.full((sums.points.size, 1), np.nan)
    if spec.name == "5P":
        grid_h, grid_c = (axis.ravel() for axis in np.meshgrid(offsets, offsets, indexing="ij"))
        heating = coarse.heating_c[:, None] - shift + grid_h[None, :]
        cooling = coarse.cooling_c[:, None] - shift + grid_c[None, :]
        present = found & (heating < cooling)
    else:
        centre = (coarse.heating_c if spec.heating else coarse.cooling_c)[:, None] - shift + offsets[None, :]
        heating = centre if spec.heating else np.broadcast_to(nan, centre.shape)
        cooling = centre if spec.cooling else np.broadcast_to(nan, centre.shape)
        present = found & np.isfinite(centre)
    columns = []
    if spec.heating:
        columns.append(_heating_hinge(sums, np.where(present, heating, np.nan)))
    if spec.cooling:
        columns.append(_cooling_hinge(sums, np.where(present, cooling, np.nan)))
    if spec.name == "5P":
        present = present & (sums.points[:, None] - columns[0].points - columns[1].points >= context.min_points)
    score, qualified, sse = _evaluate(context, spec, columns, present)
    fine = _best(np.where(present, score, -np.inf), qualified, present, heating, cooling, sums.t_shift, sse)
    better = fine.score > coarse.score
    return FormScores(
        score=np.where(better, fine.score, coarse.score),
        heating_c=np.where(better, fine.heating_c, coarse.heating_c),
        cooling_c=np.where(better, fine.cooling_c, coarse.cooling_c),
        candidates=coarse.candidates + fine.candidates,
        qualified=coarse.qualified + fine.qualified,
        sse=np.where(better, fine.sse, coarse.sse),
    )


def _form_scores(context: _Context, spec: FormSpec, hinges: _GridHinges) -> FormScores:
    best = _grid_scores(context, spec, hinges)
    if spec.balance_points and context.settings.refine_balance_points:
        return _refined(context, spec, best)
    return best


def _grid_scores(context: _Context, spec: FormSpec, hinges: _GridHinges) -> FormScores:
    sums = context.sums
    meters = sums.points.size
    nan_column = np.full((meters, 1), np.nan)
    if spec.name == "1P" or spec.linear:
        present = np.ones((meters, 1), dtype=np.bool_)
        columns = [_linear_column(sums)] if spec.linear else []
        score, qualified, sse = _evaluate(context, spec, columns, present)
        return _best(score, qualified, present, nan_column, nan_column, sums.t_shift, sse)
    if spec.name == "5P":
        return _five_parameter(context, hinges, spec)
    grid = hinges.grid
    present = np.isfinite(grid)
    columns = [*([hinges.heating] if spec.heating else []), *([hinges.cooling] if spec.cooling else [])]
    score, qualified, sse = _evaluate(context, spec, columns, present)
    heating_tau = grid if spec.heating else np.full_like(grid, np.nan)
    cooling_tau = grid if spec.cooling else np.full_like(grid, np.nan)
    return _best(np.where(present, score, -np.inf), qualified, present, heating_tau, cooling_tau, sums.t_shift, sse)


@dataclass(frozen=True)
class SearchResult:
    """Best candidate of every form, and the selected form, for each meter.

    Attributes
    ----------
    forms : tuple of str
        Forms searched (columns of the arrays below).
    score : numpy.ndarray, shape (meters, forms)
        Best score per form (−inf: no qualified candidate).
    heating_c, cooling_c : numpy.ndarray, shape (meters, forms)
        Balance points of the best candidate per form [°C].
    candidates, qualified : numpy.ndarray, shape (meters, forms)
        Candidates tried / qualified per form.
    selected : numpy.ndarray of int, shape (meters,)
        Index into ``forms`` of the selected form (−1: none qualified).
    dead_band_p_value : numpy.ndarray, shape (meters,)
        p-value of the dead-band test of the best 5P against the best 4P (NaN: not tested);
        where it exceeds ``settings.dead_band_significance_level`` the 5P is disqualified
        (score −inf, no qualified candidate), see :func:`dead_band_p_values`.
    """

    forms: tuple[Form, ...]
    score: FloatArray
    heating_c: FloatArray
    cooling_c: FloatArray
    candidates: IntArray
    qualified: IntArray
    selected: IntArray
    dead_band_p_value: FloatArray


def _chunk_size(arrays: MeterArrays, settings: BaselineSettings) -> int:
    """Meters per batch so that the candidate blocks stay within :data:`CHUNK_BYTES`."""
    temperature = np.where(arrays.valid, arrays.temperature_c, np.nan)
    if temperature.size == 0 or not np.isfinite(temperature).any():
        return max(1, len(arrays.meter_ids))
    spans = np.nanmax(temperature, axis=1) - np.nanmin(temperature, axis=1)
    grid = float(np.nanmax(spans)) / settings.balance_point_step_c + 2
    coarse = grid / FIVE_P_STRIDE + 1
    candidates = max(grid, coarse * (coarse - 1) / 2, (2 * FIVE_P_STRIDE + 1) ** 2)
    q = 1 + len(arrays.driver_names)
    per_meter = max(candidates * (6 * q + 24) * 8, arrays.valid.shape[1] * (2 * q + 6) * 8 * 3)
    return int(max(1, CHUNK_BYTES // per_meter))


def dead_band_p_values(
    sse_four: FloatArray, sse_five: FloatArray, points: IntArray | FloatArray, parameters_five: IntArray | FloatArray
) -> FloatArray:
    """p-value of the dead band of a 5P model: partial F test against the nested 4P.

    A 4P model is the 5P model with ``τh = τc`` (no dead band), so the 5P's extra balance
    point is tested like any added regressor (the R²-change or partial F test)::

        F = (SSE_4P − SSE_5P) / (SSE_5P / (n − p_5P)),    p = P(F(1, n − p_5P) > F)

    with p_5P counting coefficients and both balance points. Both balance points are searched,
    so the reference distribution is approximate; under a true 4P the search gives a dead band
    of zero width half the time (F ≤ 0), which makes the test conservative (false 5P rate
    about half the level). The rule is an ecozone convention (CalTRACK 2.0 §3.4.3 selects by
    adjusted R² alone): without it, 4P meters were fitted as 5P with a dead band of 1–2 °C about
    one time in eight, and both balance points moved by up to 1.2 °C.

    Parameters
    ----------
    sse_four, sse_five : numpy.ndarray, shape (meters,)
        Weighted sums of squared residuals of the best qualified 4P and 5P [(kWh/d)²] (NaN: none).
    points : numpy.ndarray, shape (meters,)
        Periods n.
    parameters_five : numpy.ndarray, shape (meters,)
        Parameters of the 5P model (coefficients and two balance points).

    Returns
    -------
    numpy.ndarray, shape (meters,)
        p-values [-] (NaN where either model is missing or n ≤ p).
    """
    residual_df = np.asarray(points, dtype=np.float64) - np.asarray(parameters_five, dtype=np.float64)
    testable = np.isfinite(sse_four) & np.isfinite(sse_five) & (residual_df > 0)
    safe_df = np.where(testable, residual_df, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = (sse_four - sse_five) / (sse_five / safe_df)
    statistic = np.where(np.isnan(statistic), 0.0, np.maximum(statistic, 0.0))
    p_value: FloatArray = special.fdtrc(1.0, safe_df, statistic)
    return np.where(testable, p_value, np.nan)


def _dead_band_test(
    forms: tuple[Form, ...], result: dict[str, FloatArray], counts: dict[str, IntArray], arrays: MeterArrays, level: float
) -> FloatArray:
    """Disqualify in place the 5P of meters whose dead band fails :func:`dead_band_p_values`."""
    meters = len(arrays.meter_ids)
    if "5P" not in forms or "4P" not in forms:
        return np.full(meters, np.nan)
    five, four = forms.index("5P"), forms.index("4P")
    points = arrays.valid.sum(axis=1)
    active = arrays.active_drivers.sum(axis=1)
    parameters = 1 + active + 2 + FORM_SPECS["5P"].balance_points
    p_value = dead_band_p_values(result["sse"][:, four], result["sse"][:, five], points, parameters)
    rejected = np.isfinite(p_value) & (p_value > level)
    result["score"][rejected, five] = -np.inf
    counts["qualified"][rejected, five] = 0
    return p_value


def search_change_points(arrays: MeterArrays, settings: BaselineSettings | None = None) -> SearchResult:
    """Grid-search every form of ``settings.forms`` for every meter and select the best.

    The best form has the highest score among qualified candidates. When both 4P and 5P are
    searched, a 5P qualifies only if its dead band passes :func:`dead_band_p_values` at
    ``settings.dead_band_significance_level``.

    Parameters
    ----------
    arrays : MeterArrays
        Daily or monthly observations of many meters.
    settings : BaselineSettings, optional
        Method settings.

    Returns
    -------
    SearchResult
    """
    settings = settings or BaselineSettings()
    forms = tuple(form for form in FORMS if form in settings.forms)
    meters = len(arrays.meter_ids)
    shape = (meters, len(forms))
    result = {name: np.full(shape, np.nan) for name in ("score", "heating_c", "cooling_c", "sse")}
    counts = {name: np.zeros(shape, dtype=np.int64) for name in ("candidates", "qualified")}
    min_points = settings.min_segment_points(arrays.frequency)
    chunk = _chunk_size(arrays, settings)
    for start in range(0, meters, chunk):
        rows = np.arange(start, min(start + chunk, meters))
        part = arrays.subset(rows)
        sums = _sorted_sums(regression_variables(part), part.valid, ~part.active_drivers)
        context = _Context(sums, _base(sums), settings, min_points)
        grid = _grid(sums, settings.balance_point_step_c, min_points)
        hinges = _GridHinges(grid, _heating_hinge(sums, grid), _cooling_hinge(sums, grid))
        for column, form in enumerate(forms):
            best = _form_scores(context, FORM_SPECS[form], hinges)
            result["score"][rows, column] = best.score
            result["heating_c"][rows, column] = best.heating_c
            result["cooling_c"][rows, column] = best.cooling_c
            result["sse"][rows, column] = best.sse
            counts["candidates"][rows, column] = best.candidates
            counts["qualified"][rows, column] = best.qualified
    dead_band = _dead_band_test(forms, result, counts, arrays, settings.dead_band_significance_level)
    score = result["score"]
    selected = np.where(np.isfinite(score).any(axis=1), np.argmax(np.where(np.isfinite(score), score, -np.inf), axis=1), -1)
    return SearchResult(
        forms, score, result["heating_c"], result["cooling_c"], counts["candidates"], counts["qualified"], selected, dead_band
    )


@dataclass(frozen=True)
class LinearFit:
    """Exact weighted least-squares fit of the selected form for a group of meters.

    Attributes
    ----------
    coefficients, standard_errors : numpy.ndarray, shape (meters, k)
        Coefficients (intercept, drivers, temperature columns) and their standard errors.
    fitted : numpy.ndarray, shape (meters, periods)
        Fitted energy per day [kWh/d].
    weighted_sse, weighted_sst : numpy.ndarray, shape (meters,)
        Σ w·(y − ŷ)² and Σ w·(y − ȳ_w)² on the per-day scale.
    residual_df : numpy.ndarray of int, shape (meters,)
        n − k (balance points excluded: the fit is conditional on them).
    """

    coefficients: FloatArray
    standard_errors: FloatArray
    fitted: FloatArray
    weighted_sse: FloatArray
    weighted_sst: FloatArray
    residual_df: IntArray


def weighted_least_squares(design: FloatArray, response: FloatArray, weight: FloatArray) -> LinearFit:
    """Fit stacked weighted least-squares problems by QR decomposition.

    Parameters
    ----------
    design : numpy.ndarray, shape (meters, periods, k)
        Design matrices (rows of weight 0 are ignored).
    response : numpy.ndarray, shape (meters, periods)
        Responses.
    weight : numpy.ndarray, shape (meters, periods)
        Non-negative weights (0 in padding).

    Returns
    -------
    LinearFit
    """
    root = np.sqrt(weight)
    q, r = np.linalg.qr(design * root[..., None])
    beta = np.linalg.solve(r, np.einsum("mnk,mn->mk", q, response * root)[..., None])[..., 0]
    fitted = np.einsum("mnk,mk->mn", design, beta)
    residual = response - fitted
    sse = (weight * residual**2).sum(axis=1)
    total = np.maximum(weight.sum(axis=1), 1e-300)
    mean = (weight * response).sum(axis=1) / total
    sst = (weight * (response - mean[:, None]) ** 2).sum(axis=1)
    points = (weight > 0).sum(axis=1)
    k = design.shape[-1]
    residual_df = (points - k).astype(np.int64)
    sigma2 = sse / np.where(residual_df > 0, residual_df, np.nan)
    r_inverse = np.linalg.inv(r)
    variance = sigma2[:, None] * (r_inverse**2).sum(axis=2)
    return LinearFit(beta, np.sqrt(variance), fitted, sse, sst, residual_df)


def design_matrix(
    spec: FormSpec,
    base: FloatArray,
    temperature_c: FloatArray,
    heating_c: FloatArray | float,
    cooling_c: FloatArray | float,
) -> FloatArray:
    """Full per-day design: base columns (constant, drivers) then the temperature columns."""
    heating = np.asarray(heating_c, dtype=np.float64)
    cooling = np.asarray(cooling_c, dtype=np.float64)
    if heating.ndim == 1:
        heating = heating[:, None]
    if cooling.ndim == 1:
        cooling = cooling[:, None]
    return np.concatenate([base, temperature_design(spec, temperature_c, heating, cooling)], axis=-1)


def fit_selected(
    arrays: MeterArrays, spec: FormSpec, heating_c: FloatArray, cooling_c: FloatArray
) -> tuple[LinearFit, npt.NDArray[np.bool_]]:
    """Refit one form exactly for meters that share the same active drivers.

    Parameters
    ----------
    arrays : MeterArrays
        The meters (all with the same ``active_drivers`` row).
    spec : FormSpec
        The selected form.
    heating_c, cooling_c : numpy.ndarray, shape (meters,)
        Selected balance points [°C] (NaN when unused).

    Returns
    -------
    tuple
        The fit, and the boolean mask of the base columns kept (constant + active drivers).
    """
    regression = regression_variables(arrays)
    keep = np.concatenate([[True], arrays.active_drivers[0]]) if len(arrays.meter_ids) else np.ones(1, dtype=np.bool_)
    design = design_matrix(spec, regression.base[..., keep], regression.temperature_c, heating_c, cooling_c)
    design = np.where(arrays.valid[..., None], design, 0.0)
    return weighted_least_squares(design, regression.response, regression.weight), keep
