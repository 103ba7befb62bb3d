"""Smart-park monitoring: explainable anomaly alerts and load forecasts on meter streams.

Public API (engines take plain data and touch no database; see :mod:`ecozone.store.monitoring_store`
for persistence and the incremental runs):

``detect_anomalies(readings, meters=None, *, score_from=None, temperature=None, settings=None) -> DetectionResult``
    Data faults (gaps, stuck readings, impossible jumps, negative flows, clock shifts),
    consumption anomalies against a baseline's predictions or a robust time-of-week ×
    temperature-band profile (MAD-scaled residuals, k-of-n persistence) and pattern changes
    (closed-hours base-load drift, leaks, CUSUM steps), as explained, valued alerts plus findings.
``forecast_load(series, horizon="1d", *, origin=None, temperature=None, production=None, settings=None) -> ForecastResult``
    Day-ahead to week-ahead quantile forecasts beside seasonal-naive; ``backtest`` scores the
    last horizon (MAPE, MASE, pinball loss, interval coverage).
``aggregate_series(readings, meters, level)``
    Meter, firm or park series to forecast.
``non_routine_events(alerts)``
    Excess and deficit alerts as non-routine events for a savings (M&V) report.

Modules: :mod:`.settings` (thresholds with sources, ``parameters.csv``), :mod:`.calendar`,
:mod:`.grid`, :mod:`.profile`, :mod:`.faults`, :mod:`.anomalies`, :mod:`.events`,
:mod:`.alerts`, :mod:`.detection`, :mod:`.incremental`, :mod:`.forecasting`,
:mod:`.forecast_metrics`, :mod:`.synthetic` (labelled synthetic meters and injected incidents).
"""

from __future__ import annotations

from ecozone.monitoring.alerts import Alert, non_routine_events
from ecozone.monitoring.detection import DetectionResult, detect_anomalies
from ecozone.monitoring.findings import Finding
from ecozone.monitoring.forecasting import ForecastResult, ForecastSettings, aggregate_series, backtest, forecast_load
from ecozone.monitoring.inputs import MonitoredMeter, MonitoringInputError, monitored_meters
from ecozone.monitoring.settings import MonitoringSettings

__all__ = [
    "Alert",
    "DetectionResult",
    "Finding",
    "ForecastResult",
    "ForecastSettings",
    "MonitoredMeter",
    "MonitoringInputError",
    "MonitoringSettings",
    "aggregate_series",
    "backtest",
    "detect_anomalies",
    "forecast_load",
    "monitored_meters",
    "non_routine_events",
]
