"""Day-ahead and week-ahead load forecasts with prediction intervals, always beside seasonal-naive.

Model
-----
One gradient-boosting model per quantile (scikit-learn ``HistGradientBoostingRegressor`` with
the quantile loss; the median is the point forecast) is fitted across all series of a request
(meters, firms or the park), on each series divided by its training mean so that series of
any size share one model. Features of each interval: local slot of the day, day of the week,
day type (weekday, Saturday, Sunday or public holiday), whether it is a public holiday, the
distance to the nearest Tết day (Vietnamese holidays shipped with the demo data, see
:mod:`ecozone.monitoring.calendar`), the readings one and two weeks earlier and their mean over
the last four weeks at the same time of week (the series' own shape), and, when given,
the outdoor temperature and the planned production of the day (relative to its mean). Horizons
are at most a week, so the readings a week earlier are always known at the forecast origin.
The target and the lagged readings are divided by the series' mean over the 7 days before the
origin (for training rows: before a pseudo-origin drawn 0 … horizon − 1 days before the row's
day, that distance being the feature ``lead_days``), so the model learns the shape of the load
around its recent level and follows seasonal drifts as seasonal-naive does, without carrying
last week's noise.

Every forecast comes with the seasonal-naive forecast (the same interval one week earlier) and,
when actual readings exist for the horizon (a backtest), MAE, MAPE, MASE (scaled by the
in-sample seasonal-naive error), the MASE of seasonal-naive itself, pinball losses and the
coverage of the 10–90 % interval (:mod:`ecozone.monitoring.forecast_metrics`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from ecozone.errors import EcozoneError
from ecozone.monitoring import forecast_metrics as metrics
from ecozone.monitoring.calendar import day_types, holiday_dates, local_times, to_utc
from ecozone.monitoring.findings import Finding
from ecozone.monitoring.grid import build_grid, local_midnight_before
from ecozone.monitoring.inputs import MonitoredMeter, MonitoringInputError, check_readings, infer_interval_minutes
from ecozone.monitoring.robust import FloatArray, IntArray

HORIZONS = {"1d": 1, "2d": 2, "3d": 3, "1w": 7, "7d": 7}
LEVELS = ("meter", "firm", "park")
TET_WINDOW_DAYS = 10
PROFILE_WEEKS = 4
"""Weeks averaged into the ``profile`` feature (the series' own time-of-week shape)."""
CATEGORICAL = frozenset({"day_of_week", "day_type"})
FEATURES = (
    "lead_days",
    "slot",
    "day_of_week",
    "day_type",
    "holiday",
    "tet_distance",
    "lag_week",
    "lag_two_weeks",
    "profile",
    "temperature_c",
    "production",
)


class ForecastError(EcozoneError):
    """A forecast cannot be made (horizon, history)."""

    http_status = 422


class ForecastSettings(BaseModel):
    """Choices of the forecaster (engineering defaults, not reference values).

    Attributes
    ----------
    quantiles : tuple of float
        Lower, median and upper quantiles [-]; the interval is lower–upper.
    training_weeks : int
        Weeks of history the model learns from [wk].
    min_history_days : int
        Days of history needed (two weeks of lags plus one week to learn from) [d].
    max_training_rows : int
        Rows sampled (seeded) from the training set to bound the fitting time.
    max_iter : int
        Boosting iterations.
    learning_rate : float
        Shrinkage.
    random_state : int
        Seed of the row sample and of the model.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    quantiles: tuple[float, float, float] = (0.1, 0.5, 0.9)
    training_weeks: int = Field(default=8, ge=1)
    min_history_days: int = Field(default=21, ge=15)
    max_training_rows: int = Field(default=150_000, ge=1_000)
    max_iter: int = Field(default=150, ge=10)
    learning_rate: float = Field(default=0.1, gt=0)
    random_state: int = 0


@dataclass(frozen=True)
class SeriesForecast:
    """The forecast of one series.

    Attributes
    ----------
    series_id : str
        Meter, firm or park identifier.
    frame : pandas.DataFrame
        One row per interval of the horizon: ``timestamp`` (UTC start), ``lower``, ``median``,
        ``upper`` (quantile forecasts), ``seasonal_naive`` and ``actual`` (NaN when unknown).
    metrics : dict
        When actuals are known: ``mae``, ``mape``, ``mase``, ``mase_seasonal_naive``,
        ``pinball_lower``, ``pinball_median``, ``pinball_upper``, ``coverage``.
    """

    series_id: str
    frame: pd.DataFrame
    metrics: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ForecastResult:
    """Forecasts of several series from one origin.

    Attributes
    ----------
    origin : datetime
        First forecast interval (UTC).
    horizon_days : int
        Length of the horizon [d].
    interval_minutes : int
        Step [min].
    series : tuple of SeriesForecast
        Per series.
    findings : tuple of Finding
        Limitations (missing holidays, temperature, short series dropped).
    """

    origin: datetime
    horizon_days: int
    interval_minutes: int
    series: tuple[SeriesForecast, ...]
    findings: tuple[Finding, ...] = ()

    def summary(self) -> dict[str, float]:
        """Return the mean of each metric over the series that have it."""
        names = sorted({name for item in self.series for name in item.metrics})
        return {name: float(np.nanmean([item.metrics.get(name, np.nan) for item in self.series])) for name in names}

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready document."""
        return {
            "origin": self.origin.isoformat(),
            "horizon_days": self.horizon_days,
            "interval_minutes": self.interval_minutes,
            "summary": _clean(self.summary()),
            "series": [
                {
                    "series_id": item.series_id,
                    "metrics": _clean(item.metrics),
                    "forecast": [
                        {
                            "timestamp": row["timestamp"].isoformat(),
                            **_clean({k: row[k] for k in ("lower", "median", "upper", "seasonal_naive", "actual")}),
                        }
                        for row in item.frame.to_dict(orient="records")
                    ],
                }
                for item in self.series
            ],
            "findings": [finding.as_dict() for finding in self.findings],
        }


def _clean(values: Mapping[str, Any]) -> dict[str, float | None]:
    return {key: (None if value is None or np.isnan(value) else round(float(value), 6)) for key, value in values.items()}


def horizon_days(horizon: str) -> int:
    """Return the days of a horizon name (``1d``, ``2d``, ``3d``, ``1w`` or ``7d``).

    Raises
    ------
    MonitoringInputError
        If the name is unknown.
    """
    if horizon not in HORIZONS:
        raise MonitoringInputError("monitoring.error.unknown_horizon", horizon=horizon, known=", ".join(HORIZONS))
    return HORIZONS[horizon]


def aggregate_series(
    readings: pd.DataFrame, meters: Mapping[str, MonitoredMeter], level: str, carrier: str = "electricity"
) -> pd.DataFrame:
    """Return series to forecast (``series_id``, ``timestamp``, ``value``) at ``level`` from meter readings.

    Only sub-daily meters of ``carrier`` enter; firm and park series are sums over their meters
    at the intervals where every meter of the group has a reading.

    Raises
    ------
    MonitoringInputError
        If ``level`` is not ``meter``, ``firm`` or ``park``.
    """
    if level not in LEVELS:
        raise MonitoringInputError("monitoring.error.unknown_level", level=level, known=", ".join(LEVELS))
    chosen = {m.meter_id: m for m in meters.values() if m.carrier == carrier and (m.interval_minutes or 1440) < 1440}
    subset = readings[readings["meter_id"].isin(list(chosen))]
    if level == "meter":
        return subset.rename(columns={"meter_id": "series_id"})[["series_id", "timestamp", "value"]].reset_index(drop=True)
    owner = {meter_id: (meter.firm_id if level == "firm" else meter.park_id) or "" for meter_id, meter in chosen.items()}
    groups = subset.assign(series_id=subset["meter_id"].map(owner))
    groups = groups[groups["series_id"] != ""]
    size = groups.groupby("series_id")["meter_id"].nunique()
    summed = groups.groupby(["series_id", "timestamp"], as_index=False).agg(value=("value", "sum"), count=("value", "count"))
    complete = summed["count"].to_numpy() == summed["series_id"].map(size).to_numpy()
    result: pd.DataFrame = summed.loc[complete, ["series_id", "timestamp", "value"]].reset_index(drop=True)
    return result


def _tet_distance(local_days: pd.DatetimeIndex) -> FloatArray:
    """Days to the nearest shipped Tết day off, clipped to ±TET_WINDOW_DAYS (NaN for unshipped years)."""
    from ecozone.demo.readings.holidays import holiday_years, tet_days

    years = sorted(
        {int(y) for y in np.unique(np.asarray(local_days.year))} | {int(local_days.year.max()) + 1} if len(local_days) else set()
    )
    shipped = set(holiday_years())
    tet = np.array(sorted(d for y in years if y in shipped for d in tet_days(y)), dtype="datetime64[D]")
    days = local_days.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    if tet.size == 0:
        return np.full(days.size, np.nan)
    position = np.clip(np.searchsorted(tet, days), 1, tet.size - 1) if tet.size > 1 else np.zeros(days.size, dtype=np.int64)
    before = np.abs((days - tet[np.maximum(position - 1, 0)]).astype(np.int64))
    after = np.abs((days - tet[position]).astype(np.int64))
    distance: FloatArray = np.minimum(np.minimum(before, after), TET_WINDOW_DAYS).astype(np.float64)
    unshipped = ~np.isin(np.asarray(local_days.year), list(shipped))
    distance[unshipped] = np.nan
    return distance


def _calendar_features(timestamps: pd.DatetimeIndex, interval_minutes: int) -> tuple[dict[str, FloatArray], list[Finding]]:
    local = local_times(timestamps)
    years = {int(year) for year in np.unique(np.asarray(local.year))}
    holidays, unshipped = holiday_dates(years)
    types = day_types(local, holidays)
    is_holiday = (
        np.isin(np.asarray(local.normalize().date), np.array(sorted(holidays), dtype=object))
        if holidays
        else np.zeros(len(local), dtype=bool)
    )
    minutes = np.asarray(local.hour * 60 + local.minute)
    features = {
        "slot": (minutes // interval_minutes).astype(np.float64),
        "day_of_week": np.asarray(local.day_of_week, dtype=np.float64),
        "day_type": types.astype(np.float64),
        "holiday": is_holiday.astype(np.float64),
        "tet_distance": _tet_distance(local.normalize()),
    }
    findings = [Finding("monitoring.finding.holidays_unknown", "info", None, {"year": year}) for year in unshipped]
    return features, findings


def _aligned(series: pd.Series | None, timestamps: pd.DatetimeIndex, interval_minutes: int) -> FloatArray:
    if series is None:
        return np.full(len(timestamps), np.nan)
    index = pd.to_datetime(series.index, utc=True)
    clean = pd.Series(pd.to_numeric(series.to_numpy(), errors="coerce"), index=index).sort_index().dropna()
    clean = clean[~clean.index.duplicated(keep="last")]
    tolerance = pd.Timedelta(minutes=max(60, interval_minutes))
    aligned: FloatArray = np.asarray(clean.reindex(timestamps, method="ffill", tolerance=tolerance), dtype=np.float64)
    return aligned


def _production(production: pd.DataFrame | None, series_ids: tuple[str, ...], timestamps: pd.DatetimeIndex) -> FloatArray:
    """Planned production of each series and interval relative to the series' mean production [-]."""
    result = np.full((len(series_ids), len(timestamps)), np.nan)
    if production is None or production.empty:
        return result
    days = pd.DatetimeIndex(local_times(timestamps).normalize())
    for row, series_id in enumerate(series_ids):
        own = production[production["series_id"] == series_id]
        if own.empty:
            continue
        daily = pd.Series(pd.to_numeric(own["production"], errors="coerce").to_numpy(), index=pd.to_datetime(own["date"]))
        mean = float(daily.mean())
        if mean > 0:
            result[row] = daily.reindex(days).to_numpy(dtype=np.float64) / mean
    return result


def _informative(x_train: FloatArray) -> list[int]:
    """Return the features taking at least two distinct values in training (others cannot split)."""
    kept = []
    for column in range(x_train.shape[1]):
        finite = x_train[:, column][np.isfinite(x_train[:, column])]
        if finite.size and np.unique(finite[: min(finite.size, 200_000)]).size >= 2:
            kept.append(column)
    return kept


def same_time_of_week_mean(values: FloatArray, season: int, weeks: int) -> FloatArray:
    """Return, per row and column, the mean of the row's values 1 … ``weeks`` seasons earlier (NaN-aware)."""
    total = np.zeros(values.shape)
    count = np.zeros(values.shape)
    for week in range(1, weeks + 1):
        shift = week * season
        if shift >= values.shape[1]:
            break
        earlier = values[:, :-shift]
        known = ~np.isnan(earlier)
        total[:, shift:] += np.where(known, earlier, 0.0)
        count[:, shift:] += known
    result: FloatArray = np.where(count > 0, total / np.maximum(count, 1.0), np.nan)
    return result


def trailing_level(normalised: FloatArray, timestamps: pd.DatetimeIndex, origin_column: int, leads: IntArray) -> FloatArray:
    """Return, per row and column, the row's mean over the 7 local days ending ``lead`` days before the column's day [-].

    For a column on day d with lead k the level is the mean of days d − k − 7 … d − k − 1; columns
    from the origin on have k = d − origin day, so they use the 7 days before the origin (what is
    known when forecasting). Days with fewer than half their readings do not count; missing or
    non-positive levels are 1.
    """
    day = _local_day_numbers(timestamps)
    n_days = int(day.max()) + 1
    valid = ~np.isnan(normalised)
    sums = np.zeros((normalised.shape[0], n_days))
    counts = np.zeros((normalised.shape[0], n_days))
    np.add.at(sums.T, day, np.where(valid, normalised, 0.0).T)
    np.add.at(counts.T, day, valid.T.astype(np.float64))
    per_day = np.bincount(day, minlength=n_days).astype(np.float64)
    daily = np.where(counts >= 0.5 * per_day, sums / np.maximum(counts, 1.0), np.nan)
    known = ~np.isnan(daily)
    cumulative = np.concatenate([np.zeros((daily.shape[0], 1)), np.cumsum(np.where(known, daily, 0.0), axis=1)], axis=1)
    cumulative_count = np.concatenate([np.zeros((daily.shape[0], 1)), np.cumsum(known, axis=1)], axis=1)
    index = np.arange(n_days)
    low = np.maximum(index - 7, 0)
    total = cumulative[:, index] - cumulative[:, low]
    number = cumulative_count[:, index] - cumulative_count[:, low]
    trailing = np.where(number >= 3, total / np.maximum(number, 1.0), np.nan)
    level = trailing[:, np.clip(day - lead_days(timestamps, origin_column, leads), 0, n_days - 1)]
    result: FloatArray = np.where(np.isnan(level) | (level <= 0), 1.0, level)
    return result


def _local_day_numbers(timestamps: pd.DatetimeIndex) -> IntArray:
    days = local_times(timestamps).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    result: IntArray = days - days.min()
    return result


def lead_days(timestamps: pd.DatetimeIndex, origin_column: int, leads: IntArray) -> IntArray:
    """Days between the end of the level window and each column's day: drawn for training columns, d − origin day after it."""
    day = _local_day_numbers(timestamps)
    result = leads.copy()
    if origin_column < len(timestamps):
        result[origin_column:] = day[origin_column:] - day[origin_column]
    return result


def _fit_predict(x_train: FloatArray, y_train: FloatArray, x_future: FloatArray, settings: ForecastSettings) -> FloatArray:
    from sklearn.ensemble import HistGradientBoostingRegressor  # type: ignore[import-untyped]
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    kept = _informative(x_train)
    categorical = [position for position, column in enumerate(kept) if FEATURES[column] in CATEGORICAL]
    x_train, x_future = x_train[:, kept], x_future[:, kept]
    predictions = np.empty((x_future.shape[0], len(settings.quantiles)))
    for position, quantile in enumerate(settings.quantiles):
        model = HistGradientBoostingRegressor(
            loss="quantile",
            quantile=quantile,
            max_iter=settings.max_iter,
            learning_rate=settings.learning_rate,
            categorical_features=categorical or None,
            early_stopping=False,
            random_state=settings.random_state,
        )
        with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="openmp"):
            warnings.simplefilter("ignore", UserWarning)
            model.fit(x_train, y_train)
            predictions[:, position] = model.predict(x_future)
    return np.sort(predictions, axis=1)


def forecast_load(
    series: pd.DataFrame,
    horizon: str | int = "1d",
    *,
    origin: object | None = None,
    temperature: pd.Series | None = None,
    production: pd.DataFrame | None = None,
    settings: ForecastSettings | None = None,
) -> ForecastResult:
    """Forecast each series over the horizon from ``origin`` (default: the local midnight after its last reading).

    Parameters
    ----------
    series : pandas.DataFrame
        ``series_id`` (or ``meter_id``), ``timestamp`` (UTC interval start), ``value``; readings at
        or after ``origin`` are used only as actuals for the metrics (a backtest).
    horizon : str or int
        ``1d``, ``2d``, ``3d``, ``1w``/``7d`` or a number of days (1 … 7).
    origin : datetime-like, optional
        First forecast interval (UTC).
    temperature : pandas.Series, optional
        Outdoor temperature [°C] by UTC time, covering the horizon when it is a forecast.
    production : pandas.DataFrame, optional
        Planned production: ``series_id``, ``date`` (local), ``production`` (any unit).
    settings : ForecastSettings, optional
        Model choices.

    Returns
    -------
    ForecastResult

    Raises
    ------
    ForecastError
        If no series has ``min_history_days`` of readings before the origin.
    MonitoringInputError
        If the horizon or the readings are unusable.
    """
    settings = settings or ForecastSettings()
    days = horizon_days(horizon) if isinstance(horizon, str) else int(horizon)
    if not 1 <= days <= 7:
        raise MonitoringInputError("monitoring.error.unknown_horizon", horizon=str(horizon), known=", ".join(HORIZONS))
    frame = check_readings(series.rename(columns={"series_id": "meter_id"}))
    if frame.empty:
        raise ForecastError("monitoring.error.no_forecast_meters")
    interval = infer_interval_minutes(frame["timestamp"])
    start_at = to_utc(origin) if origin is not None else local_midnight_before(frame["timestamp"].max()) + pd.Timedelta(days=1)
    history_start = local_midnight_before(start_at - pd.Timedelta(weeks=settings.training_weeks + 2))
    meters = {str(sid): MonitoredMeter(str(sid), interval_minutes=interval) for sid in pd.unique(frame["meter_id"])}
    grid, _ = build_grid(
        frame[frame["timestamp"] >= history_start], meters, interval, start=history_start, end=start_at + pd.Timedelta(days=days)
    )
    season = 7 * 1440 // interval
    origin_column = grid.column_of(start_at)
    values = grid.values
    history_days = np.sum(~np.isnan(values[:, :origin_column]), axis=1) * interval / 1440.0
    usable = history_days >= settings.min_history_days
    findings = [
        Finding(
            "monitoring.finding.short_forecast_history",
            "warning",
            grid.meter_ids[row],
            {"days": f"{history_days[row]:.1f}", "needed": settings.min_history_days},
        )
        for row in np.flatnonzero(~usable)
    ]
    if not usable.any():
        raise ForecastError(
            "monitoring.error.short_forecast_history", needed=settings.min_history_days, days=f"{float(history_days.max()):.1f}"
        )
    rows = np.flatnonzero(usable)
    values = values[rows]
    series_ids = tuple(grid.meter_ids[row] for row in rows)
    timestamps = grid.timestamps
    calendar, calendar_findings = _calendar_features(timestamps, interval)
    findings.extend(calendar_findings)
    temperature_c = _aligned(temperature, timestamps, interval)
    if temperature is None:
        findings.append(Finding("monitoring.finding.no_temperature", "info"))
    scale = np.nanmean(np.where(values[:, :origin_column] > 0, values[:, :origin_column], np.nan), axis=1)
    scale = np.where(np.isnan(scale) | (scale <= 0), 1.0, scale)
    normalised = values / scale[:, None]
    normalised[:, origin_column:] = np.nan  # actuals of the horizon never leak into the features
    leads = np.random.default_rng(settings.random_state).integers(0, days, size=len(timestamps))
    level = trailing_level(normalised, timestamps, origin_column, leads)
    lag_week = np.full_like(normalised, np.nan)
    lag_week[:, season:] = normalised[:, :-season]
    lag_two = np.full_like(normalised, np.nan)
    lag_two[:, 2 * season :] = normalised[:, : -2 * season]
    profile = same_time_of_week_mean(normalised, season, PROFILE_WEEKS)
    produced = _production(production, series_ids, timestamps)
    columns = {
        **{name: np.broadcast_to(array, normalised.shape) for name, array in calendar.items()},
        "lead_days": np.broadcast_to(lead_days(timestamps, origin_column, leads).astype(np.float64), normalised.shape),
        "lag_week": lag_week / level,
        "lag_two_weeks": lag_two / level,
        "profile": profile / level,
        "temperature_c": np.broadcast_to(temperature_c, normalised.shape),
        "production": produced,
    }
    design = np.stack([columns[name] for name in FEATURES], axis=2)
    target = normalised / level
    train_mask = ~np.isnan(target) & ~np.isnan(lag_week)
    train_mask[:, origin_column:] = False
    train_mask[:, : max(origin_column - settings.training_weeks * season, 0)] = False
    x_train, y_train = design[train_mask], target[train_mask]
    if y_train.size > settings.max_training_rows:
        pick = np.random.default_rng(settings.random_state).choice(y_train.size, settings.max_training_rows, replace=False)
        x_train, y_train = x_train[pick], y_train[pick]
    horizon_slice = slice(origin_column, origin_column + days * 1440 // interval)
    x_future = design[:, horizon_slice].reshape(-1, len(FEATURES))
    predicted = _fit_predict(x_train, y_train, x_future, settings).reshape(len(rows), -1, len(settings.quantiles))
    predicted = predicted * (level[:, horizon_slice] * scale[:, None])[:, :, None]
    non_negative = np.nanmin(values[:, :origin_column], axis=1) >= 0
    predicted = np.where(non_negative[:, None, None], np.maximum(predicted, 0.0), predicted)
    naive = lag_week[:, horizon_slice] * scale[:, None]
    actual = grid.values[rows, horizon_slice]
    forecasts = tuple(
        _series_forecast(
            series_ids[i],
            timestamps[horizon_slice],
            predicted[i],
            naive[i],
            actual[i],
            values[i, :origin_column],
            season,
            settings,
        )
        for i in range(len(rows))
    )
    return ForecastResult(to_utc(start_at).to_pydatetime(), days, interval, forecasts, tuple(findings))


def _series_forecast(
    series_id: str,
    timestamps: pd.DatetimeIndex,
    predicted: FloatArray,
    naive: FloatArray,
    actual: FloatArray,
    training: FloatArray,
    season: int,
    settings: ForecastSettings,
) -> SeriesForecast:
    frame = pd.DataFrame(
        {
            "timestamp": timestamps,
            "lower": predicted[:, 0],
            "median": predicted[:, 1],
            "upper": predicted[:, 2],
            "seasonal_naive": naive,
            "actual": actual,
        }
    )
    scores: dict[str, float] = {}
    if np.isfinite(actual).any():
        lower_q, median_q, upper_q = settings.quantiles
        scores = {
            "mae": metrics.mae(actual, predicted[:, 1]),
            "mae_seasonal_naive": metrics.mae(actual, naive),
            "mape": metrics.mape(actual, predicted[:, 1]),
            "mase": metrics.mase(actual, predicted[:, 1], training, season),
            "mase_seasonal_naive": metrics.mase(actual, naive, training, season),
            "pinball_lower": metrics.pinball_loss(actual, predicted[:, 0], lower_q),
            "pinball_median": metrics.pinball_loss(actual, predicted[:, 1], median_q),
            "pinball_upper": metrics.pinball_loss(actual, predicted[:, 2], upper_q),
            "coverage": metrics.coverage(actual, predicted[:, 0], predicted[:, 2]),
        }
    return SeriesForecast(series_id, frame, scores)


def backtest(
    series: pd.DataFrame,
    horizon: str | int = "1d",
    *,
    temperature: pd.Series | None = None,
    production: pd.DataFrame | None = None,
    settings: ForecastSettings | None = None,
) -> ForecastResult:
    """Forecast the last complete horizon of the readings from what came before, and score it against them."""
    days = horizon_days(horizon) if isinstance(horizon, str) else int(horizon)
    frame = check_readings(series.rename(columns={"series_id": "meter_id"}))
    end = local_midnight_before(frame["timestamp"].max() + pd.Timedelta(minutes=infer_interval_minutes(frame["timestamp"])))
    origin = end - pd.Timedelta(days=days)
    return forecast_load(series, days, origin=origin, temperature=temperature, production=production, settings=settings)
