"""Method settings of an inventory (a frozen pydantic model whose defaults are the prescribed method)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

GJ_PER_TOE = 41.868
GJ_PER_MWH = 3.6


class InventorySettings(BaseModel):
    """Method choices of an inventory; the defaults follow the GHG Protocol and Viet Nam's practice.

    Attributes
    ----------
    gwp_set : {"AR5", "AR6"}
        100-year GWP set; AR5 as in Viet Nam's reporting.
    total_scope2_method : {"location", "market"}
        Which Scope 2 figure enters ``total_t`` (both are always reported).
    market_residual_factor_t_per_mwh : float or None
        Residual-mix factor [tCO2/MWh] for electricity not covered by instruments; None uses the
        location-based grid factor, flagged ``residual_mix_proxy_grid_factor`` (Viet Nam publishes
        no residual mix).
    allow_estimate_grid_factor : bool
        Whether years whose grid factor is a research estimate may be used (always flagged).
    td_loss_share : float or None
        Grid T&D loss share [-] overriding the factor set's parameter.
    wtt_kgco2e_per_gj : mapping
        Well-to-tank factors [kgCO2e/GJ] by fuel name, overriding or filling the factor set.
    decree06_emissions_basis : {"scope1_2_location", "scope1_2_market", "total"}
        Emissions compared with the Decree 06 threshold of 3,000 tCO2e/yr.
    default_sector : str
        Decree 06 sector of entities not given in ``sectors`` (``industrial_production``,
        ``thermal_power``, ``commercial_building``, ``freight_transport`` or ``other``).
    electricity_toe_per_mwh : float or None
        TOE per MWh of electricity; None uses its energy content (3.6 GJ / 41.868 GJ = 0.086 toe).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    gwp_set: Literal["AR5", "AR6"] = "AR5"
    total_scope2_method: Literal["location", "market"] = "location"
    market_residual_factor_t_per_mwh: float | None = Field(default=None, ge=0)
    allow_estimate_grid_factor: bool = True
    td_loss_share: float | None = Field(default=None, ge=0, lt=1)
    wtt_kgco2e_per_gj: dict[str, float] = Field(default_factory=dict)
    decree06_emissions_basis: Literal["scope1_2_location", "scope1_2_market", "total"] = "scope1_2_location"
    default_sector: str = "industrial_production"
    electricity_toe_per_mwh: float | None = Field(default=None, gt=0)
