"""Hourly dispatch of rooftop PV and a battery against a firm's load, many systems at once.

Rules, each hour, for every system (vectorised over systems, sequential over hours):

1. PV serves the load first (self-consumption).
2. PV surplus charges the battery (power and capacity limits, charging efficiency √η).
3. What is left is exported while the cumulative export stays within the cap of the rule
   in force (share of the cumulative generation); the rest is curtailed.
4. In peak-price hours the battery discharges to cover the remaining load (discharging
   efficiency √η); it never exports.
5. With ``grid_charging``, the battery fills from the grid in off-peak hours (to shave the
   next peak); without it, it also discharges in normal hours.
6. The grid covers whatever load remains.

Energy balance each hour: ``load = pv_to_load + battery_to_load + grid_to_load`` and
``pv = pv_to_load + pv_to_battery + export + curtailed``; state of charge
``soc_t = soc_{t-1} + √η (pv_to_battery + grid_to_battery) - battery_to_load / √η``,
starting empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecozone.decarbonisation.errors import LoadProfileError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
FLOWS = (
    "pv_to_load",
    "pv_to_battery",
    "export",
    "curtailed",
    "grid_to_load",
    "grid_to_battery",
    "battery_to_load",
    "soc",
)


@dataclass(frozen=True)
class DispatchResult:
    """Hourly flows [kWh] of every system, each of shape (hours, systems); ``soc`` at the end of each hour."""

    pv_to_load: FloatArray
    pv_to_battery: FloatArray
    export: FloatArray
    curtailed: FloatArray
    grid_to_load: FloatArray
    grid_to_battery: FloatArray
    battery_to_load: FloatArray
    soc: FloatArray

    @property
    def grid_import(self) -> FloatArray:
        """Energy bought from the grid each hour [kWh]."""
        return self.grid_to_load + self.grid_to_battery

    def totals(self) -> dict[str, FloatArray]:
        """Sum over hours of every flow [kWh] (``soc``: the final state), per system."""
        result = {name: getattr(self, name).sum(axis=0) for name in FLOWS if name != "soc"}
        result["soc_final"] = self.soc[-1]
        return result


def _as_matrix(values: npt.ArrayLike, hours: int, systems: int, name: str) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 1:
        array = array[:, None]
    if array.shape[0] != hours or array.shape[1] not in (1, systems):
        raise LoadProfileError(
            "decarbonisation.pv.shape_mismatch", name=name, shape=str(array.shape), hours=hours, systems=systems
        )
    if not np.isfinite(array).all() or (array < 0).any():
        raise LoadProfileError("decarbonisation.pv.bad_series", name=name)
    return np.broadcast_to(array, (hours, systems)).astype(np.float64)


def dispatch(
    pv_kwh: npt.ArrayLike,
    load_kwh: npt.ArrayLike,
    is_peak: npt.ArrayLike,
    is_off_peak: npt.ArrayLike,
    export_cap_share: float | npt.ArrayLike,
    battery_kwh: float | npt.ArrayLike = 0.0,
    battery_kw: float | npt.ArrayLike = 0.0,
    round_trip_efficiency: float = 0.90,
    grid_charging: bool = True,
) -> DispatchResult:
    """Dispatch PV and batteries hour by hour.

    Parameters
    ----------
    pv_kwh : array (hours, systems) or (hours,) [kWh]
        AC generation.
    load_kwh : array (hours, systems) or (hours,) [kWh]
        Firm consumption.
    is_peak, is_off_peak : array of bool (hours,)
        EVN time-of-use period of each hour.
    export_cap_share : float or array (hours,) [-]
        Export cap of the rule in force each hour, as a share of generation.
    battery_kwh, battery_kw : float or array (systems,) [kWh], [kW]
        Usable capacity and charge/discharge power (0: no battery).
    round_trip_efficiency : float [-]
    grid_charging : bool
        Fill the battery from the grid in off-peak hours.

    Raises
    ------
    LoadProfileError
        Shapes that do not match, or negative or missing values.
    """
    pv_array = np.asarray(pv_kwh, dtype=np.float64)
    hours = pv_array.shape[0]
    systems = pv_array.shape[1] if pv_array.ndim == 2 else 1
    load_array = np.asarray(load_kwh, dtype=np.float64)
    if load_array.ndim == 2:
        systems = max(systems, load_array.shape[1])
    pv = _as_matrix(pv_array, hours, systems, "pv_kwh")
    load = _as_matrix(load_array, hours, systems, "load_kwh")
    peak = np.broadcast_to(np.asarray(is_peak, dtype=np.bool_), (hours,))
    off_peak = np.broadcast_to(np.asarray(is_off_peak, dtype=np.bool_), (hours,))
    cap_share = np.broadcast_to(np.asarray(export_cap_share, dtype=np.float64), (hours,))
    capacity = np.broadcast_to(np.asarray(battery_kwh, dtype=np.float64), (systems,))
    power = np.broadcast_to(np.asarray(battery_kw, dtype=np.float64), (systems,))
    eta = float(np.sqrt(round_trip_efficiency))

    flows = {name: np.zeros((hours, systems)) for name in FLOWS}
    soc = np.zeros(systems)
    allowance = np.zeros(systems)
    direct = np.minimum(pv, load)
    surplus_all = pv - direct
    deficit_all = load - direct
    for t in range(hours):
        surplus = surplus_all[t]
        deficit = deficit_all[t]
        charge = np.minimum(np.minimum(surplus, power), (capacity - soc) / eta)
        soc = soc + charge * eta
        surplus = surplus - charge
        allowance = allowance + cap_share[t] * pv[t]
        export = np.minimum(surplus, np.maximum(allowance, 0.0))
        allowance = allowance - export
        discharge = np.zeros(systems)
        if peak[t] or (not grid_charging and not off_peak[t]):
            discharge = np.minimum(np.minimum(deficit, power), soc * eta)
            soc = soc - discharge / eta
        grid_charge = np.zeros(systems)
        if grid_charging and off_peak[t]:
            grid_charge = np.maximum(np.minimum(power - charge, (capacity - soc) / eta), 0.0)
            soc = soc + grid_charge * eta
        flows["pv_to_battery"][t] = charge
        flows["export"][t] = export
        flows["curtailed"][t] = surplus - export
        flows["battery_to_load"][t] = discharge
        flows["grid_to_load"][t] = deficit - discharge
        flows["grid_to_battery"][t] = grid_charge
        flows["soc"][t] = soc
    flows["pv_to_load"] = direct
    return DispatchResult(**flows)
