"""A bankable project sheet for a lender (HTML, and PDF with WeasyPrint), in Vietnamese or English.

One option (a measure in a firm): description, size, capex, yearly cash flows, NPV, IRR,
discounted payback, LCOE (PV) or levelised cost of abatement, emissions abated, Green
Taxonomy category with its criteria and conditions, risks, and the sources and status of
every assumption. Unverified assumptions are said to be so at the top of the sheet.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from string import Template

import numpy as np

from ecozone.decarbonisation.effects import MeasureOption
from ecozone.decarbonisation.finance import FinanceSettings, appraise, discount_factors, lcoe, project_cash_flows
from ecozone.decarbonisation.macc import MaccSettings, abatement_series
from ecozone.decarbonisation.taxonomy import tag, taxonomy_conditions
from ecozone.i18n import translate

RISK_KEYS = {
    "rooftop_pv": ("export_rules", "roof_condition", "tariff"),
    "end_use_saving": ("savings_uncertain", "tariff"),
    "fuel_switch": ("fuel_supply", "fuel_price"),
    "heat_pump": ("temperature", "tariff"),
    "waste_heat_recovery": ("savings_uncertain",),
    "fleet_electrification": ("charging", "tariff"),
    "green_power_ppa": ("ppa_rules",),
    "water_recycling": ("savings_uncertain",),
    "tree_planting": ("permanence",),
}


def _money(value: float | None, lang: str) -> str:
    if value is None or not np.isfinite(value):
        return "-"
    text = f"{value:,.0f}"
    return text.replace(",", ".") if lang == "vi" else text


def _rows(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in pairs)


def sheet_html(
    option: MeasureOption,
    lang: str = "en",
    finance: FinanceSettings | None = None,
    macc: MaccSettings | None = None,
    firm_name: str = "",
    park_name: str = "",
) -> str:
    """Render the project sheet of ``option`` as HTML in ``lang``."""
    finance = finance or FinanceSettings()
    macc = macc or MaccSettings()

    def t(key: str, **params: object) -> str:
        return translate(f"decarbonisation.sheet.{key}", lang, **params)

    measure = option.measure
    lifetime = measure.lifetime_years
    flows = project_cash_flows(option.capex_vnd, -option.annual_cost_vnd, lifetime)
    appraisal = appraise(flows, finance.discount_rate)
    years = list(range(macc.start_year, macc.start_year + lifetime))
    abatement = abatement_series(option, years, macc.grid_scenario)
    factors = discount_factors(finance.discount_rate, lifetime)
    discounted_abatement = float(factors[1:] @ abatement)
    cost_per_t = -appraisal.npv_vnd / discounted_abatement if discounted_abatement > 0 else float("nan")
    generation = -option.deltas.get("electricity", 0.0) + option.export_kwh if measure.model == "rooftop_pv" else 0.0
    opex = option.size * (measure.opex_fixed_vnd_per_unit_yr + measure.opex_variable_vnd_per_unit_yr)
    levelised = lcoe(finance.discount_rate, option.capex_vnd, opex, generation, lifetime) if generation > 0 else None
    cumulative = np.cumsum(flows * factors)
    cash_rows = "".join(
        f"<tr><td>{year}</td><td>{_money(flow, lang)}</td><td>{_money(total, lang)}</td></tr>"
        for year, flow, total in zip(range(macc.start_year - 1, macc.start_year + lifetime), flows, cumulative, strict=True)
    )
    taxonomy = tag(measure)
    taxonomy_rows = [(t("taxonomy_type"), taxonomy.label(lang) if taxonomy else t("taxonomy_none"))]
    if taxonomy:
        taxonomy_rows.append((t("taxonomy_criterion"), f"{taxonomy.criterion(lang)} [{taxonomy.status}]"))
    taxonomy_rows += [(t("taxonomy_condition"), f"{c.text(lang)} [{c.status}]") for c in taxonomy_conditions()]
    risks = [t("risk.unverified"), t("risk.grid_scenario")] + [t(f"risk.{key}") for key in RISK_KEYS.get(measure.model, ())]
    rate_text = t("exchange_rate", rate=measure.exchange_rate_vnd, currency=measure.currency, day=measure.price_date.isoformat())
    values = {
        "lang": lang,
        "title": html.escape(t("title", measure=measure.name(lang))),
        "subtitle": html.escape(t("subtitle", firm=firm_name or option.firm_id, park=park_name)),
        "warning": html.escape(t("warning") if measure.status != "verified" else ""),
        "h_description": t("h_description"),
        "description": html.escape(t(f"model.{measure.model}")),
        "facts": _rows(
            [
                (t("size"), f"{option.size:,.1f} {measure.size_unit}"),
                (t("capex"), _money(option.capex_vnd, lang)),
                (t("annual_net_benefit"), _money(-option.annual_cost_vnd, lang)),
                (t("lifetime"), str(lifetime)),
            ]
        ),
        "h_finance": t("h_finance"),
        "indicators": _rows(
            [
                (t("discount_rate"), f"{100 * finance.discount_rate:.1f} %"),
                (t("npv"), _money(appraisal.npv_vnd, lang)),
                (t("irr"), f"{100 * appraisal.irr:.1f} %" if appraisal.irr is not None else "-"),
                (
                    t("payback"),
                    f"{appraisal.discounted_payback_years:.1f}" if appraisal.discounted_payback_years is not None else "-",
                ),
                (t("lcoe"), _money(levelised, lang) if levelised is not None else "-"),
                (t("cost_per_t"), _money(cost_per_t, lang)),
            ]
        ),
        "h_cash_flows": t("h_cash_flows"),
        "cash_flows": f"<tr><th>{t('year')}</th><th>{t('cash_flow')}</th><th>{t('cumulative_discounted')}</th></tr>{cash_rows}",
        "h_emissions": t("h_emissions"),
        "emissions": _rows(
            [
                (t("abatement_first_year"), f"{abatement[0]:,.1f}"),
                (t("abatement_lifetime"), f"{abatement.sum():,.1f}"),
                (t("grid_scenario"), macc.grid_scenario),
            ]
        ),
        "h_taxonomy": t("h_taxonomy"),
        "taxonomy": _rows(taxonomy_rows),
        "h_risks": t("h_risks"),
        "risks": "".join(f"<li>{html.escape(r)}</li>" for r in risks),
        "h_sources": t("h_sources"),
        "sources": html.escape(f"{measure.source} ({measure.edition}) [{measure.status}]; {rate_text}"),
    }
    template = resources.files("ecozone.decarbonisation.templates").joinpath("project_sheet.html").read_text(encoding="utf-8")
    return Template(template).substitute(values)


def write_sheet(option: MeasureOption, path: Path, lang: str = "en", **kwargs: object) -> Path:
    """Write the sheet to ``path``: HTML for ``.html``, PDF (WeasyPrint) for ``.pdf``."""
    document = sheet_html(option, lang, **kwargs)  # type: ignore[arg-type]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".pdf":
        from weasyprint import HTML  # type: ignore[import-untyped]

        HTML(string=document).write_pdf(str(path))
    else:
        path.write_text(document, encoding="utf-8")
    return path
