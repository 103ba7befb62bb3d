"""Reports of matching and optimisation: JSON documents, a network picture and an HTML page.

The HTML page draws a Sankey diagram of the flows as inline SVG (no external script, font or
stylesheet); the network picture is a PNG drawn with matplotlib.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ecozone.i18n import translate
from ecozone.stats.number_format import format_number
from ecozone.symbiosis.catalogue import StreamRecord
from ecozone.symbiosis.matching import Candidate, Exclusion, MatchResult
from ecozone.symbiosis.metrics import ProgrammeMetrics, exchange_metrics
from ecozone.symbiosis.model import ParetoPoint, SymbiosisSolution
from ecozone.symbiosis.model.readback import Exchange
from ecozone.symbiosis.taxonomy import stream_class

SANKEY_WIDTH = 1000
SANKEY_LABEL_CHARS = 48
SANKEY_NODE_WIDTH = 14
SANKEY_GAP = 12
SANKEY_MIN_HEIGHT = 220
COLOURS = ("#2e7d32", "#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#c62828", "#558b2f", "#4527a0")


def stream_label(stream: StreamRecord) -> str:
    """``owner: name``."""
    return f"{stream.owner_label}: {stream.name}"


def metric_text(name: str, value: float, lang: str) -> str:
    """A programme metric as text: counts and VND without decimals, quantities with one."""
    decimals = 0 if isinstance(value, int) or name == "vnd_saved" else 1
    return format_number(value + 0.0, lang, decimals)


def _candidate_document(candidate: Candidate, lang: str) -> dict[str, Any]:
    link = candidate.link
    return {
        "supplier": {
            "owner_id": candidate.supplier.owner_id,
            "owner": candidate.supplier.owner_label,
            "name": candidate.supplier.name,
            "stream_class": candidate.supplier.stream_class,
            "quantity": candidate.supplier.quantity,
            "unit": candidate.supplier.unit,
        },
        "receiver": {
            "owner_id": candidate.receiver.owner_id,
            "owner": candidate.receiver.owner_label,
            "name": candidate.receiver.name,
            "stream_class": candidate.receiver.stream_class,
            "quantity": candidate.receiver.quantity,
            "unit": candidate.receiver.unit,
        },
        "score": round(candidate.score, 4),
        "name_similarity": round(candidate.name_similarity, 4),
        "distance_km": round(candidate.distance_km, 2),
        "link": None
        if link is None
        else {"curated": link.curated, "evidence": link.evidence, "status": link.status, "source": link.source},
        "optimisable": candidate.optimisable,
        "reasons": [r.text(lang) for r in candidate.reasons],
        "warnings": [w.text(lang) for w in candidate.warnings],
    }


def _exclusion_document(exclusion: Exclusion, lang: str) -> dict[str, Any]:
    return {
        "supplier": stream_label(exclusion.supplier),
        "receiver": stream_label(exclusion.receiver),
        "reasons": [r.text(lang) for r in exclusion.reasons],
    }


def match_document(park_id: str, result: MatchResult, lang: str) -> dict[str, Any]:
    """The match result as a JSON-ready mapping."""
    return {
        "park": park_id,
        "candidates": [_candidate_document(c, lang) for c in result.candidates],
        "excluded": [_exclusion_document(e, lang) for e in result.excluded],
        "unmatched_outputs": [stream_label(s) for s in result.unmatched_outputs],
        "unmatched_inputs": [stream_label(s) for s in result.unmatched_inputs],
    }


def exchange_document(exchange: Exchange, labels: Mapping[str, str]) -> dict[str, Any]:
    """One exchange as a JSON-ready mapping (keys of ``labels`` are arc stream keys)."""
    arc = exchange.arc
    return {
        "supplier": labels.get(arc.supplier, arc.supplier),
        "receiver": labels.get(arc.receiver, arc.receiver),
        "output_class": arc.output_class,
        "input_class": arc.input_class,
        "flow": exchange.flow,
        "flow_unit": stream_class(arc.output_class).unit,
        "delivered": exchange.delivered,
        "delivered_unit": stream_class(arc.input_class).unit,
        "distance_km": arc.distance_km,
        "benefit_vnd": exchange.benefit_vnd,
        "tco2e": exchange.tco2e,
        "setup_cost_vnd": arc.setup_cost_vnd,
        "unit_benefit_vnd": arc.unit_benefit_vnd,
        "metrics": exchange_metrics(exchange),
    }


def optimisation_document(
    park_id: str,
    solution: SymbiosisSolution,
    metrics: ProgrammeMetrics,
    labels: Mapping[str, str],
    pareto: Sequence[ParetoPoint] = (),
) -> dict[str, Any]:
    """The optimisation result as a JSON-ready mapping."""
    return {
        "park": park_id,
        "status": solution.status,
        "objective_vnd": solution.objective,
        "bound_vnd": solution.bound,
        "gap": solution.gap,
        "solve_s": solution.solve_s,
        "co2_target_tco2e": solution.co2_target,
        "exchanges": [exchange_document(e, labels) for e in solution.exchanges],
        "metrics": asdict(metrics),
        "pareto": [asdict(p) for p in pareto],
        "data_status": "unverified",
    }


def draw_network(solution: SymbiosisSolution, owner_names: Mapping[str, str], path: Path, lang: str) -> Path:
    """Draw firms as nodes on a circle and exchanges as edges whose width follows the net benefit; write a PNG."""
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    owners = sorted({o for e in solution.exchanges for o in (e.arc.supplier_owner, e.arc.receiver_owner)})
    figure, axes = plt.subplots(figsize=(10, 8))
    angles = np.linspace(0, 2 * np.pi, max(len(owners), 1), endpoint=False)
    position = {o: (float(np.cos(a)), float(np.sin(a))) for o, a in zip(owners, angles, strict=False)}
    largest = max((abs(e.benefit_vnd) for e in solution.exchanges), default=1.0) or 1.0
    for exchange in solution.exchanges:
        (x0, y0), (x1, y1) = position[exchange.arc.supplier_owner], position[exchange.arc.receiver_owner]
        width = 1.0 + 7.0 * abs(exchange.benefit_vnd) / largest
        colour = COLOURS[sum(map(ord, exchange.arc.output_class)) % len(COLOURS)]
        axes.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops={
                "arrowstyle": "-|>",
                "lw": width,
                "color": colour,
                "alpha": 0.7,
                "shrinkA": 12,
                "shrinkB": 12,
                "connectionstyle": "arc3,rad=0.12",
            },
        )
        axes.text(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            stream_class(exchange.arc.output_class).label(lang),
            fontsize=7,
            ha="center",
            color=colour,
        )
    for owner, (x, y) in position.items():
        axes.scatter([x], [y], s=300, color="#455a64", zorder=3)
        axes.text(x * 1.12, y * 1.12, owner_names.get(owner, owner), fontsize=8, ha="center", va="center")
    axes.set_title(translate("symbiosis.report.network_title", lang, links=len(solution.exchanges)))
    axes.set_xlim(-1.5, 1.5)
    axes.set_ylim(-1.4, 1.4)
    axes.axis("off")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(figure)
    return path


def _band(x0: float, y0: float, x1: float, y1: float, thickness: float) -> str:
    middle = (x0 + x1) / 2
    return (
        f"M{x0:.1f},{y0:.1f} C{middle:.1f},{y0:.1f} {middle:.1f},{y1:.1f} {x1:.1f},{y1:.1f} "
        f"L{x1:.1f},{y1 + thickness:.1f} C{middle:.1f},{y1 + thickness:.1f} "
        f"{middle:.1f},{y0 + thickness:.1f} {x0:.1f},{y0 + thickness:.1f} Z"
    )


def sankey_svg(exchanges: Sequence[Exchange], labels: Mapping[str, str], unit: str) -> str:
    """A Sankey diagram (inline SVG) of exchanges whose flows are in ``unit``: suppliers left, receivers right."""
    flows = [e for e in exchanges if stream_class(e.arc.output_class).unit == unit and e.flow > 0]
    if not flows:
        return ""
    left = sorted({e.arc.supplier for e in flows})
    right = sorted({e.arc.receiver for e in flows})
    total = sum(e.flow for e in flows)
    height = max(SANKEY_MIN_HEIGHT, 40 * max(len(left), len(right)))
    usable = height - SANKEY_GAP * (max(len(left), len(right)) + 1)
    scale = usable / total

    def offsets(keys: list[str], side: str) -> dict[str, float]:
        y, result = float(SANKEY_GAP), {}
        for key in keys:
            result[key] = y
            y += sum(e.flow for e in flows if getattr(e.arc, side) == key) * scale + SANKEY_GAP
        return result

    top_left, top_right = offsets(left, "supplier"), offsets(right, "receiver")
    cursor_left, cursor_right = dict(top_left), dict(top_right)
    x_left, x_right = 300.0, SANKEY_WIDTH - 320.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SANKEY_WIDTH}" height="{height}" role="img" '
        'font-family="sans-serif" font-size="11">'
    ]
    for index, exchange in enumerate(sorted(flows, key=lambda e: (e.arc.supplier, e.arc.receiver))):
        thickness = exchange.flow * scale
        y0, y1 = cursor_left[exchange.arc.supplier], cursor_right[exchange.arc.receiver]
        colour = COLOURS[index % len(COLOURS)]
        title = html.escape(
            f"{labels.get(exchange.arc.supplier)} → {labels.get(exchange.arc.receiver)}: {exchange.flow:,.1f} {unit}"
        )
        path = _band(x_left + SANKEY_NODE_WIDTH, y0, x_right, y1, thickness)
        parts.append(f'<path d="{path}" fill="{colour}" fill-opacity="0.45"><title>{title}</title></path>')
        cursor_left[exchange.arc.supplier] += thickness
        cursor_right[exchange.arc.receiver] += thickness
    for keys, tops, cursors, x, anchor, text_x in (
        (left, top_left, cursor_left, x_left, "end", x_left - 6),
        (right, top_right, cursor_right, x_right, "start", x_right + SANKEY_NODE_WIDTH + 6),
    ):
        for key in keys:
            y, bottom = tops[key], cursors[key]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{SANKEY_NODE_WIDTH}" height="{max(bottom - y, 1):.1f}" fill="#37474f"/>'
            )
            text = labels.get(key, key)
            label = html.escape(text if len(text) <= SANKEY_LABEL_CHARS else text[: SANKEY_LABEL_CHARS - 1] + "…")
            parts.append(f'<text x="{text_x:.1f}" y="{(y + bottom) / 2 + 4:.1f}" text-anchor="{anchor}">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def html_report(
    park_id: str,
    solution: SymbiosisSolution,
    metrics: ProgrammeMetrics,
    labels: Mapping[str, str],
    lang: str,
    pareto: Sequence[ParetoPoint] = (),
) -> str:
    """A self-contained HTML page: metrics, exchanges, Sankey diagrams (one per unit), Pareto table."""

    def t(key: str, **params: object) -> str:
        return html.escape(translate(key, lang, **params))

    def number(value: float | None, decimals: int = 0) -> str:
        return format_number(value, lang, decimals)

    metric_rows = "".join(
        f"<tr><td>{t('symbiosis.metric.' + name)}</td><td>{metric_text(name, value, lang)}</td></tr>"
        for name, value in asdict(metrics).items()
    )
    exchange_rows = "".join(
        "<tr>"
        f"<td>{html.escape(labels.get(e.arc.supplier, e.arc.supplier))}</td>"
        f"<td>{html.escape(labels.get(e.arc.receiver, e.arc.receiver))}</td>"
        f"<td>{number(e.flow, 1)} {stream_class(e.arc.output_class).unit}</td>"
        f"<td>{number(e.benefit_vnd)}</td><td>{number(round(e.tco2e, 1) + 0.0, 1)}</td>"
        "</tr>"
        for e in solution.exchanges
    )
    sankeys = "".join(
        f"<h3>{t('symbiosis.report.sankey', unit=unit)}</h3>{svg}"
        for unit in ("t", "m3", "MWh")
        if (svg := sankey_svg(solution.exchanges, labels, unit))
    )
    pareto_rows = "".join(
        f"<tr><td>{number(p.co2_target, 1) if p.co2_target is not None else '–'}</td><td>{number(p.tco2e, 1)}</td>"
        f"<td>{number(p.benefit_vnd)}</td><td>{p.links}</td></tr>"
        for p in pareto
    )
    pareto_table = (
        f"<h2>{t('symbiosis.report.pareto')}</h2><table><tr><th>{t('symbiosis.column.target')}</th><th>tCO2e</th>"
        f"<th>{t('symbiosis.column.benefit')}</th><th>{t('symbiosis.column.links')}</th></tr>{pareto_rows}</table>"
        if pareto
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{t("symbiosis.report.title", park=park_id)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1000px}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}.note{{color:#8d6e63}}</style></head>
<body><h1>{t("symbiosis.report.title", park=park_id)}</h1>
<p class="note">{t("symbiosis.report.unverified")}</p>
<h2>{t("symbiosis.report.metrics")}</h2><table>{metric_rows}</table>
<h2>{t("symbiosis.report.exchanges")}</h2><table><tr><th>{t("symbiosis.column.supplier")}</th><th>{t("symbiosis.column.receiver")}</th>
<th>{t("symbiosis.column.flow")}</th><th>{t("symbiosis.column.benefit")}</th><th>tCO2e</th></tr>{exchange_rows}</table>
<h2>{t("symbiosis.report.flows")}</h2>{sankeys}
{pareto_table}
</body></html>
"""
