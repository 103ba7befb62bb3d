"""Long tables of energy, temperature and drivers per period, turned into padded per-meter arrays.

The input of every fit is a *long table*, one row per meter and period:

=============== ==========================================================================
column          meaning
=============== ==========================================================================
meter_id        meter identifier (optional for a single meter)
period_start    local start of the period (a day, the 1st of a month, or an hour)
energy          energy used in the period [kWh or the meter's unit]
temperature_c   mean outdoor air temperature over the period [°C]
days            optional period length [d] (default: 1 a day, the month's days, 1/24 an hour)
<driver>        each extra driver named by the caller: its total over the period (production
                [its unit], working days, shifts...); indicators (0/1) for daily data
=============== ==========================================================================

:func:`prepare_observations` checks the input (missing columns and duplicated periods are
errors; implausible temperatures, all-zero energy, too few points, constant or collinear
drivers are findings) and returns padded arrays of shape (meters, periods) in time order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecozone.baselines.errors import BaselineInputError
from ecozone.baselines.findings import Finding
from ecozone.baselines.settings import FREQUENCIES, BaselineSettings, Frequency

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
TimeArray = npt.NDArray[np.datetime64]

METER_COLUMN = "meter_id"
PERIOD_COLUMN = "period_start"
ENERGY_COLUMN = "energy"
TEMPERATURE_COLUMN = "temperature_c"
DAYS_COLUMN = "days"
REQUIRED_COLUMNS = (PERIOD_COLUMN, ENERGY_COLUMN, TEMPERATURE_COLUMN)
SINGLE_METER = "meter"
HOURS_PER_DAY = 24.0
DUPLICATES_SHOWN = 5


@dataclass(frozen=True)
class Period:
    """An inclusive range of local calendar days.

    Attributes
    ----------
    start, end : datetime.date
        First and last day (inclusive).
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BaselineInputError("baselines.error.bad_period", text=f"{self.start}:{self.end}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``YYYY-MM-DD:YYYY-MM-DD``.

        Raises
        ------
        BaselineInputError
            If the text is not two ISO dates separated by a colon, or the end precedes the start.
        """
        parts = text.strip().split(":")
        try:
            start, end = (date.fromisoformat(part.strip()) for part in parts)
        except ValueError as exc:
            raise BaselineInputError("baselines.error.bad_period", text=text) from exc
        return cls(start, end)

    @property
    def days(self) -> int:
        """Number of days [d]."""
        return (self.end - self.start).days + 1

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share a day."""
        return self.start <= other.end and other.start <= self.end

    def bounds(self) -> tuple[np.datetime64, np.datetime64]:
        """Return [start, end + 1 day) as numpy datetimes."""
        return np.datetime64(self.start, "s"), np.datetime64(self.end + timedelta(days=1), "s")

    def __str__(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"


@dataclass(frozen=True)
class MeterArrays:
    """Observations of many meters as padded arrays (time order within each meter).

    Attributes
    ----------
    meter_ids : tuple of str
        One per row of the arrays.
    frequency : {"daily", "monthly", "hourly"}
        Period kind.
    period_start : numpy.ndarray of datetime64[s], shape (meters, periods)
        Local period starts (NaT in padding).
    energy : numpy.ndarray, shape (meters, periods)
        Energy per period [kWh] (0 in padding).
    days : numpy.ndarray, shape (meters, periods)
        Period length [d] (0 in padding); the regression weights.
    temperature_c : numpy.ndarray, shape (meters, periods)
        Mean temperature [°C] (NaN in padding).
    drivers : numpy.ndarray, shape (meters, periods, drivers)
        Driver totals per period (0 in padding).
    driver_names : tuple of str
        Names of the driver columns.
    valid : numpy.ndarray of bool, shape (meters, periods)
        True for real observations.
    active_drivers : numpy.ndarray of bool, shape (meters, drivers)
        False for drivers dropped for a meter (constant or collinear).
    """

    meter_ids: tuple[str, ...]
    frequency: Frequency
    period_start: TimeArray
    energy: FloatArray
    days: FloatArray
    temperature_c: FloatArray
    drivers: FloatArray
    driver_names: tuple[str, ...]
    valid: BoolArray
    active_drivers: BoolArray

    @property
    def counts(self) -> IntArray:
        """Observations per meter."""
        counts: IntArray = self.valid.sum(axis=1).astype(np.int64)
        return counts

    def subset(self, rows: IntArray) -> MeterArrays:
        """Return the meters at ``rows``."""
        return MeterArrays(
            meter_ids=tuple(self.meter_ids[int(row)] for row in rows),
            frequency=self.frequency,
            period_start=self.period_start[rows],
            energy=self.energy[rows],
            days=self.days[rows],
            temperature_c=self.temperature_c[rows],
            drivers=self.drivers[rows],
            driver_names=self.driver_names,
            valid=self.valid[rows],
            active_drivers=self.active_drivers[rows],
        )


@dataclass(frozen=True)
class PreparedObservations:
    """Checked observations and what the checks found.

    Attributes
    ----------
    arrays : MeterArrays
        The meters that can be fitted.
    findings : dict
        Findings per meter id (also for rejected meters).
    rejected : tuple of str
        Meters that cannot give a meaningful model (no data, all zeros, implausible
        temperatures, fewer points than parameters).
    windows : dict
        Per meter, the baseline window ``(first, last)`` [datetime64[s]] the sufficiency
        checks compare against (the given baseline period, else the data's own span).
    """

    arrays: MeterArrays
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    rejected: tuple[str, ...] = ()
    windows: dict[str, tuple[np.datetime64, np.datetime64]] = field(default_factory=dict)


def check_frequency(frequency: str) -> Frequency:
    """Return ``frequency`` if known.

    Raises
    ------
    BaselineInputError
        For any other value.
    """
    if frequency not in FREQUENCIES:
        raise BaselineInputError("baselines.error.frequency", frequency=frequency, known=", ".join(FREQUENCIES))
    return frequency


def local_period_starts(values: pd.Series, frequency: Frequency) -> pd.Series:
    """Return naive local period starts (timezone-aware values keep their wall-clock time).

    Daily values are floored to the day, monthly values to the 1st of the month, hourly
    values to the hour.
    """
    stamps: pd.Series = pd.to_datetime(values)
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_localize(None)
    result: pd.Series
    if frequency == "daily":
        result = stamps.dt.floor("D")
    elif frequency == "monthly":
        result = stamps.dt.to_period("M").dt.start_time
    else:
        result = stamps.dt.floor("h")
    return result


def period_days(starts: pd.Series, frequency: Frequency) -> pd.Series:
    """Length of each period [d]: 1 a day, the month's number of days, 1/24 an hour."""
    result: pd.Series
    if frequency == "daily":
        result = pd.Series(1.0, index=starts.index)
    elif frequency == "monthly":
        result = starts.dt.days_in_month.astype(np.float64)
    else:
        result = pd.Series(1.0 / HOURS_PER_DAY, index=starts.index)
    return result


def expected_periods(first: np.datetime64, last: np.datetime64, frequency: Frequency) -> int:
    """Number of periods from ``first`` to ``last`` inclusive (both period starts)."""
    unit = {"monthly": "datetime64[M]", "daily": "datetime64[D]"}.get(frequency, "datetime64[h]")
    bounds = np.array([first, last], dtype="datetime64[s]").astype(unit).astype(np.int64)
    return int(bounds[1] - bounds[0]) + 1


def _check_columns(table: pd.DataFrame, drivers: Sequence[str]) -> None:
    missing = [name for name in (*REQUIRED_COLUMNS, *drivers) if name not in table.columns]
    if missing:
        raise BaselineInputError(
            "baselines.error.missing_columns", columns=", ".join(missing), required=", ".join((*REQUIRED_COLUMNS, *drivers))
        )


def _normalised(table: pd.DataFrame, frequency: Frequency, drivers: Sequence[str]) -> pd.DataFrame:
    meter_ids = table[METER_COLUMN].astype(str) if METER_COLUMN in table.columns else SINGLE_METER
    frame = pd.DataFrame(
        {
            METER_COLUMN: meter_ids,
            PERIOD_COLUMN: local_period_starts(table[PERIOD_COLUMN], frequency),
            ENERGY_COLUMN: pd.to_numeric(table[ENERGY_COLUMN], errors="coerce").astype(np.float64),
            TEMPERATURE_COLUMN: pd.to_numeric(table[TEMPERATURE_COLUMN], errors="coerce").astype(np.float64),
        },
        index=table.index,
    )
    if DAYS_COLUMN in table.columns:
        frame[DAYS_COLUMN] = pd.to_numeric(table[DAYS_COLUMN], errors="coerce").astype(np.float64)
    else:
        frame[DAYS_COLUMN] = period_days(frame[PERIOD_COLUMN], frequency)
    for name in drivers:
        frame[f"driver:{name}"] = pd.to_numeric(table[name], errors="coerce").astype(np.float64)
    return frame


def _check_duplicates(frame: pd.DataFrame) -> None:
    duplicated = frame.duplicated([METER_COLUMN, PERIOD_COLUMN], keep=False)
    if bool(duplicated.any()):
        rows = frame.loc[duplicated, [METER_COLUMN, PERIOD_COLUMN]].drop_duplicates().head(DUPLICATES_SHOWN)
        shown = "; ".join(f"{meter} {stamp}" for meter, stamp in rows.itertuples(index=False))
        raise BaselineInputError("baselines.error.duplicate_periods", count=int(duplicated.sum()), examples=shown)


def _in_window(frame: pd.DataFrame, period: Period | None) -> pd.DataFrame:
    if period is None:
        return frame
    start, end = period.bounds()
    stamps = frame[PERIOD_COLUMN].to_numpy(dtype="datetime64[s]")
    return frame[(stamps >= start) & (stamps < end)]


def _add(findings: dict[str, list[Finding]], meter_id: str, finding: Finding) -> None:
    findings.setdefault(meter_id, []).append(finding)


def _driver_columns(drivers: Sequence[str]) -> list[str]:
    return [f"driver:{name}" for name in drivers]


def _missing_values(frame: pd.DataFrame, drivers: Sequence[str], findings: dict[str, list[Finding]]) -> pd.DataFrame:
    columns = [ENERGY_COLUMN, TEMPERATURE_COLUMN, DAYS_COLUMN, *_driver_columns(drivers)]
    complete = frame[columns].notna().all(axis=1) & (frame[DAYS_COLUMN] > 0)
    dropped = (~complete).groupby(frame[METER_COLUMN]).sum()
    for meter_id, count in dropped[dropped > 0].items():
        _add(findings, str(meter_id), Finding("baselines.input.missing_values", "warning", {"count": int(count)}))
    return frame[complete]


def _meter_summaries(frame: pd.DataFrame) -> pd.DataFrame:
    energy = frame[ENERGY_COLUMN]
    helper = pd.DataFrame(
        {
            METER_COLUMN: frame[METER_COLUMN],
            "energy_abs_max": energy.abs(),
            "negative": (energy < 0).astype(np.int64),
            "t_min": frame[TEMPERATURE_COLUMN],
            "t_max": frame[TEMPERATURE_COLUMN],
        }
    )
    grouped = helper.groupby(METER_COLUMN, sort=True)
    return grouped.agg({"energy_abs_max": "max", "negative": "sum", "t_min": "min", "t_max": "max"}).assign(points=grouped.size())


def _screen_meters(summaries: pd.DataFrame, settings: BaselineSettings, findings: dict[str, list[Finding]]) -> set[str]:
    """Reject meters with all-zero energy or implausible temperatures; flag negative energy."""
    low, high = settings.plausible_temperature_c
    rejected: set[str] = set()
    odd = (
        (summaries["negative"] > 0)
        | (summaries["energy_abs_max"] == 0)
        | (summaries["t_min"] < low)
        | (summaries["t_max"] > high)
    )
    for meter_id, row in summaries[odd].iterrows():
        name = str(meter_id)
        if row["negative"] > 0:
            _add(findings, name, Finding("baselines.input.negative_energy", "warning", {"count": int(row["negative"])}))
        if row["energy_abs_max"] == 0:
            _add(findings, name, Finding("baselines.input.all_zero_energy", "disqualification", {"points": int(row["points"])}))
            rejected.add(name)
        if row["t_min"] < low or row["t_max"] > high:
            data = {"minimum": round(float(row["t_min"]), 2), "maximum": round(float(row["t_max"]), 2), "low": low, "high": high}
            _add(findings, name, Finding("baselines.input.implausible_temperature", "disqualification", data))
            rejected.add(name)
    return rejected


def _pad(frame: pd.DataFrame, meter_ids: list[str], drivers: Sequence[str], frequency: Frequency) -> MeterArrays:
    codes = pd.Categorical(frame[METER_COLUMN], categories=meter_ids).codes.astype(np.int64)
    order = np.lexsort((frame[PERIOD_COLUMN].to_numpy(dtype="datetime64[s]"), codes))
    frame = frame.iloc[order]
    rows = codes[order]
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1] if rows.size else np.zeros(0, dtype=np.int64)
    columns = np.arange(rows.size, dtype=np.int64) - np.repeat(starts, np.diff(np.r_[starts, rows.size]))
    meters, width = len(meter_ids), int(columns.max()) + 1 if columns.size else 0
    shape = (meters, width)

    def filled(values: npt.NDArray[np.float64], fill: float) -> FloatArray:
        array = np.full(shape, fill, dtype=np.float64)
        array[rows, columns] = values
        return array

    period_start = np.full(shape, np.datetime64("NaT"), dtype="datetime64[s]")
    period_start[rows, columns] = frame[PERIOD_COLUMN].to_numpy(dtype="datetime64[s]")
    driver_values = np.zeros((*shape, len(drivers)), dtype=np.float64)
    for index, name in enumerate(_driver_columns(drivers)):
        driver_values[rows, columns, index] = frame[name].to_numpy(dtype=np.float64)
    valid = np.zeros(shape, dtype=np.bool_)
    valid[rows, columns] = True
    return MeterArrays(
        meter_ids=tuple(meter_ids),
        frequency=frequency,
        period_start=period_start,
        energy=filled(frame[ENERGY_COLUMN].to_numpy(dtype=np.float64), 0.0),
        days=filled(frame[DAYS_COLUMN].to_numpy(dtype=np.float64), 0.0),
        temperature_c=filled(frame[TEMPERATURE_COLUMN].to_numpy(dtype=np.float64), np.nan),
        drivers=driver_values,
        driver_names=tuple(drivers),
        valid=valid,
        active_drivers=np.ones((meters, len(drivers)), dtype=np.bool_),
    )


def _rank(matrix: FloatArray) -> IntArray:
    """Numerical rank of each stacked matrix (after scaling every column to unit norm)."""
    norms = np.sqrt((matrix**2).sum(axis=-2, keepdims=True))
    scaled = matrix / np.where(norms > 0, norms, 1.0)
    rank: IntArray = np.asarray(np.linalg.matrix_rank(scaled, rtol=1e-9), dtype=np.int64)
    return rank


def _screen_drivers(arrays: MeterArrays, findings: dict[str, list[Finding]]) -> MeterArrays:
    """Deactivate drivers that are constant or a linear combination of the others (per meter)."""
    if not arrays.driver_names:
        return arrays
    valid = arrays.valid
    per_day = arrays.drivers / np.where(arrays.days > 0, arrays.days, 1.0)[..., None]
    active = np.ones_like(arrays.active_drivers)
    count = np.maximum(valid.sum(axis=1), 1)[:, None]
    mean = np.where(valid[..., None], per_day, 0.0).sum(axis=1) / count
    spread = np.sqrt(np.where(valid[..., None], (per_day - mean[:, None, :]) ** 2, 0.0).sum(axis=1) / count)
    scale = np.maximum(np.abs(mean), 1e-300)
    constant = spread <= 1e-12 * scale
    columns = np.where(valid, 1.0, 0.0)[..., None]
    rank = _rank(columns)
    for index, name in enumerate(arrays.driver_names):
        for row in np.flatnonzero(constant[:, index]):
            data = {"driver": name, "value": round(float(mean[row, index]), 6)}
            _add(findings, arrays.meter_ids[row], Finding("baselines.input.constant_driver", "disqualification", data))
        candidate = np.concatenate([columns, np.where(valid, per_day[..., index], 0.0)[..., None]], axis=2)
        new_rank = _rank(candidate)
        independent = (new_rank > rank) & ~constant[:, index]
        for row in np.flatnonzero(~independent & ~constant[:, index]):
            data = {"driver": name}
            _add(findings, arrays.meter_ids[row], Finding("baselines.input.collinear_drivers", "warning", data))
        active[:, index] = independent
        columns = np.where(independent[:, None, None], candidate, np.concatenate([columns, np.zeros_like(columns[..., :1])], 2))
        rank = np.where(independent, new_rank, rank)
    return MeterArrays(
        meter_ids=arrays.meter_ids,
        frequency=arrays.frequency,
        period_start=arrays.period_start,
        energy=arrays.energy,
        days=arrays.days,
        temperature_c=arrays.temperature_c,
        drivers=np.where(active[:, None, :], arrays.drivers, 0.0),
        driver_names=arrays.driver_names,
        valid=arrays.valid,
        active_drivers=active,
    )


def _windows(arrays: MeterArrays, period: Period | None) -> dict[str, tuple[np.datetime64, np.datetime64]]:
    if period is not None:
        start, end = (pd.Timestamp(bound) for bound in period.bounds())
        last = end - pd.Timedelta(days=1) if arrays.frequency != "hourly" else end - pd.Timedelta(hours=1)
        if arrays.frequency == "monthly":
            start, last = start.to_period("M").start_time, last.to_period("M").start_time
        bounds = (start.to_datetime64().astype("datetime64[s]"), last.to_datetime64().astype("datetime64[s]"))
        return dict.fromkeys(arrays.meter_ids, bounds)
    windows: dict[str, tuple[np.datetime64, np.datetime64]] = {}
    for row, meter_id in enumerate(arrays.meter_ids):
        stamps = arrays.period_start[row][arrays.valid[row]]
        windows[meter_id] = (stamps.min(), stamps.max())
    return windows


def prepare_observations(
    table: pd.DataFrame,
    *,
    frequency: str = "daily",
    drivers: Sequence[str] = (),
    settings: BaselineSettings | None = None,
    period: Period | None = None,
    expected_meters: Sequence[str] = (),
) -> PreparedObservations:
    """Check a long table and turn it into padded per-meter arrays.

    Parameters
    ----------
    table : pandas.DataFrame
        The long table (see the module).
    frequency : {"daily", "monthly", "hourly"}
        Period kind of the rows.
    drivers : sequence of str
        Extra driver columns to use.
    settings : BaselineSettings, optional
        Method settings (defaults: the standard method).
    period : Period, optional
        Baseline period: rows outside it are ignored and sufficiency is judged against it.
    expected_meters : sequence of str
        Meters that should be present: those without a row in the period are rejected with
        ``baselines.input.no_baseline_data``.

    Returns
    -------
    PreparedObservations

    Raises
    ------
    BaselineInputError
        If a required or driver column is missing, the frequency is unknown or a meter has
        two rows for the same period.
    """
    chosen = check_frequency(frequency)
    settings = settings or BaselineSettings()
    _check_columns(table, drivers)
    frame = _normalised(table, chosen, drivers)
    _check_duplicates(frame)
    listed = [*expected_meters, *sorted(frame[METER_COLUMN].unique().tolist())]
    frame = _in_window(frame, period)
    findings: dict[str, list[Finding]] = {}
    frame = _missing_values(frame, drivers, findings)
    present = sorted(frame[METER_COLUMN].unique().tolist())
    rejected = {meter_id for meter_id in listed if meter_id not in present}
    for meter_id in sorted(rejected) or ([SINGLE_METER] if not present and not listed else []):
        period_text = str(period) if period is not None else "-"
        _add(findings, meter_id, Finding("baselines.input.no_baseline_data", "disqualification", {"period": period_text}))
        rejected.add(meter_id)
    rejected |= _screen_meters(_meter_summaries(frame), settings, findings)
    kept = [meter_id for meter_id in present if meter_id not in rejected]
    arrays = _screen_drivers(_pad(frame[frame[METER_COLUMN].isin(kept)], kept, drivers, chosen), findings)
    arrays, too_few = _enough_points(arrays, findings)
    rejected |= too_few
    return PreparedObservations(arrays, findings, tuple(sorted(rejected)), _windows(arrays, period))


def _enough_points(arrays: MeterArrays, findings: dict[str, list[Finding]]) -> tuple[MeterArrays, set[str]]:
    """Reject meters with no more points than the parameters of the simplest model (intercept + drivers)."""
    parameters = 1 + arrays.active_drivers.sum(axis=1)
    points = arrays.counts
    short = points <= parameters
    rejected = set()
    for row in np.flatnonzero(short):
        meter_id = arrays.meter_ids[row]
        data = {"points": int(points[row]), "parameters": int(parameters[row])}
        _add(findings, meter_id, Finding("baselines.input.too_few_points", "disqualification", data))
        rejected.add(meter_id)
    return arrays.subset(np.flatnonzero(~short)), rejected


def as_datetime(value: np.datetime64) -> datetime:
    """Convert a numpy datetime64 to a naive :class:`datetime.datetime`."""
    return pd.Timestamp(value).to_pydatetime()
