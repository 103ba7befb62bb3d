"""Module, inverter and loss assumptions of the rooftop PV model (``data/pv_assumptions.csv``)."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from ecozone.decarbonisation.reference import number, read_rows

DATA = "ecozone.decarbonisation.pv.data"
TEMPERATURE_MODELS = (
    "open_rack_glass_glass",
    "close_mount_glass_glass",
    "open_rack_glass_polymer",
    "insulated_back_glass_polymer",
)


class PvAssumptions(BaseModel):
    """Assumptions of the PVWatts-type yield model (defaults from ``data/pv_assumptions.csv``).

    Attributes
    ----------
    module_power_density : float [kWp/m2]
        Peak power per m2 of module.
    usable_roof_share : float [-]
        Share of a roof covered by modules.
    gamma_pdc : float [1/°C]
        Temperature coefficient of DC power.
    dc_ac_ratio : float [-]
        Array DC power over inverter rating.
    inverter_efficiency : float [-]
        Nominal inverter efficiency.
    system_losses_pct : float [%]
        DC losses (soiling, wiring, mismatch, availability ...).
    albedo : float [-]
    default_wind_speed : float [m/s]
    temperature_model : str
        Key of ``pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS['sapm']``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    module_power_density: float = Field(gt=0, le=0.5)
    usable_roof_share: float = Field(gt=0, le=1)
    gamma_pdc: float = Field(ge=-0.02, le=0)
    dc_ac_ratio: float = Field(gt=0.5, le=3)
    inverter_efficiency: float = Field(gt=0.5, le=1)
    system_losses_pct: float = Field(ge=0, lt=100)
    albedo: float = Field(ge=0, le=1)
    default_wind_speed: float = Field(ge=0)
    temperature_model: str

    @property
    def roof_power_density(self) -> float:
        """Peak power per m2 of roof [kWp/m2]."""
        return self.module_power_density * self.usable_roof_share


@cache
def default_pv_assumptions() -> PvAssumptions:
    """Return the shipped assumptions (every one ``unverified``)."""
    file = "pv_assumptions.csv"
    rows = {r["parameter"]: r["value"] for r in read_rows(DATA, file, ("parameter", "value", "unit"))}
    values: dict[str, float | str] = {k: number(v, file, k) for k, v in rows.items() if k != "temperature_model"}
    values["temperature_model"] = rows["temperature_model"]
    return PvAssumptions.model_validate(values)
