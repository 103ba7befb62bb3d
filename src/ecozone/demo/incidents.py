"""Documented incidents injected into the SYNTHETIC demo readings, for the monitoring demo.

The demo park's readings (:func:`ecozone.demo.readings.demo_readings`) are clean. To show
what monitoring finds, :func:`apply_incidents` changes three meters the way real incidents
would, in November 2024 (local time, Asia/Ho_Chi_Minh):

1. **Weekend compressor** — ``demo-f12-electricity`` (a day-shift plant whose Sunday load is
   under a fifth of its weekday load): a 45 kW air compressor left running from Saturday
   16 November 13:00 to Monday 18 November 06:00, i.e. +11.25 kWh every 15 minutes;
2. **Water leak** — ``demo-f05-water`` (daily readings, about 19 m3 on weekdays and 5 m3 on
   Sundays): a leak of 0.25 m3/h (+6 m3 a day) from Wednesday 13 November to the end of the
   scored window;
3. **Frozen meter** — ``demo-f25-electricity`` repeats its 09:00 reading of Wednesday
   20 November for 30 hours.

The sizes are illustrative assumptions (status ``unverified``), chosen to be realistic for
the meters they hit, not measured facts. The demo scores 11–24 November 2024 against the eight
weeks before; the incidents' labels let the demo say which alerts match them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ecozone.monitoring.synthetic import Incident, inject_addition, inject_freeze

SCORE_FROM_LOCAL = "2024-11-11"
"""First local day the demo scores."""
SCORE_UNTIL_LOCAL = "2024-11-25"
"""Local day after the last one scored."""
HISTORY_WEEKS = 8
UTC_OFFSET = pd.Timedelta(hours=7)


@dataclass(frozen=True)
class DemoIncident:
    """One documented incident.

    Attributes
    ----------
    key : str
        Short name.
    meter_id : str
        Meter changed.
    kind : str
        Alert kind monitoring should raise.
    start_local, end_local : str
        Local span (end exclusive), ``YYYY-MM-DD HH:MM``.
    amount : float or None
        Quantity added per reading [meter unit] (None for a frozen meter).
    description_vi, description_en : str
        What happened.
    """

    key: str
    meter_id: str
    kind: str
    start_local: str
    end_local: str
    amount: float | None
    description_vi: str
    description_en: str

    def span_utc(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """Return the span as UTC timestamps."""
        start = pd.Timestamp(self.start_local) - UTC_OFFSET
        end = pd.Timestamp(self.end_local) - UTC_OFFSET
        return start.tz_localize("UTC"), end.tz_localize("UTC")


DEMO_INCIDENTS = (
    DemoIncident(
        "weekend_compressor",
        "demo-f12-electricity",
        "baseload_drift",
        "2024-11-16 13:00",
        "2024-11-18 06:00",
        11.25,
        "Máy nén khí 45 kW để chạy suốt cuối tuần",
        "A 45 kW air compressor left running all weekend",
    ),
    DemoIncident(
        "water_leak",
        "demo-f05-water",
        "leak",
        "2024-11-13 00:00",
        "2024-11-25 00:00",
        6.0,
        "Rò rỉ nước 0,25 m3/giờ",
        "A water leak of 0.25 m3/h",
    ),
    DemoIncident(
        "frozen_meter",
        "demo-f25-electricity",
        "stuck",
        "2024-11-20 09:00",
        "2024-11-21 15:00",
        None,
        "Đồng hồ điện bị treo 30 giờ",
        "Electricity meter frozen for 30 hours",
    ),
)


def scoring_window_utc() -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the UTC start and end of the demo's scored window."""
    return (
        (pd.Timestamp(SCORE_FROM_LOCAL) - UTC_OFFSET).tz_localize("UTC"),
        (pd.Timestamp(SCORE_UNTIL_LOCAL) - UTC_OFFSET).tz_localize("UTC"),
    )


def apply_incidents(readings: pd.DataFrame) -> tuple[pd.DataFrame, list[Incident]]:
    """Return the demo readings with :data:`DEMO_INCIDENTS` injected, and their labels.

    Parameters
    ----------
    readings : pandas.DataFrame
        Output of :func:`ecozone.demo.readings.demo_readings` (``meter_id``, ``timestamp`` UTC, ``value``).

    Returns
    -------
    tuple
        The changed readings (a copy) and one :class:`~ecozone.monitoring.synthetic.Incident` per incident.
    """
    changed = readings
    labels = []
    for incident in DEMO_INCIDENTS:
        start, end = incident.span_utc()
        if incident.amount is None:
            changed, label = inject_freeze(changed, incident.meter_id, start, end)
        else:
            changed, label = inject_addition(
                changed, incident.meter_id, start, end, incident.amount, incident.kind, incident.description_en
            )
        labels.append(label)
    return changed, labels


def demo_temperature(year: int = 2024, seed: int = 20240101) -> pd.Series:
    """Return the demo park's outdoor temperature of ``year`` every 15 minutes [°C], by UTC time.

    The weather the synthetic readings were generated with (:mod:`ecozone.demo.readings`): the
    monthly normals of the demo climate (Bình Dương) with their diurnal cycle plus the seeded
    AR(1) daily anomaly, rebuilt from the generator's public functions. It stands in for the
    park's weather feed.
    """
    from ecozone.demo.readings.climate import park_climate
    from ecozone.demo.readings.profiles import readings_assumptions
    from ecozone.demo.readings.series import park_weather, seeded_generator, temperature_anomalies
    from ecozone.demo.readings.timeline import year_timeline

    assumptions = readings_assumptions()
    timeline = year_timeline(year, assumptions.utc_offset_hours, assumptions.tet_days_before, assumptions.tet_days_after)
    rng = seeded_generator(seed, "weather", year)
    anomalies = temperature_anomalies(rng, timeline.days, assumptions.anomaly_autocorrelation, assumptions.anomaly_sd_c)
    weather = park_weather(timeline, park_climate(), anomaly_c=anomalies)
    index = pd.DatetimeIndex(timeline.interval_starts_utc().astype("datetime64[us]")).tz_localize("UTC")
    return pd.Series(weather.temperature_c.ravel(), index=index, name="temperature_c")


def demo_window_readings(readings: pd.DataFrame) -> pd.DataFrame:
    """Return the readings the demo scores: the window and the history weeks before it."""
    start, end = scoring_window_utc()
    first = start - pd.Timedelta(weeks=HISTORY_WEEKS)
    stamps = readings["timestamp"]
    return readings[(stamps >= first) & (stamps < end)].reset_index(drop=True)
