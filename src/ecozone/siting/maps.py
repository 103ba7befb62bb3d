"""Maps of a match: ranked and excluded parks over the province boundaries (PNG or HTML/SVG).

Parks are drawn at their (published) coordinates; ranked parks are numbered by rank,
excluded parks are grey crosses, and a park placed at its province's representative point
(no coordinates) is drawn hollow. Seaports and international airports of the shipped
logistics table are drawn as small symbols. Nothing is fetched: no tiles, scripts or fonts.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecozone.i18n import translate
from ecozone.provinces import ATTRIBUTION
from ecozone.siting.logistics import INTERNATIONAL, logistics_nodes
from ecozone.siting.matching import MatchResult
from ecozone.siting.profile import ParkProfile
from ecozone.stats.maps import province_shapes

LAYOUT = "2025"
RANKED_COLOUR = "#1a9850"
EXCLUDED_COLOUR = "#999999"
PORT_COLOUR = "#2166ac"
AIRPORT_COLOUR = "#b2182b"


@dataclass(frozen=True)
class MapPoint:
    """A park on the map.

    Attributes
    ----------
    label : str
        Text shown: the ranks of the parks at this point (empty for excluded parks).
    latitude, longitude : float
        Position [degree].
    ranked : bool
        False for an excluded park.
    approximate : bool
        Whether the position is a province stand-in.
    name : str
        Park names, for hover titles.
    """

    label: str
    latitude: float
    longitude: float
    ranked: bool
    approximate: bool
    name: str


def map_points(result: MatchResult, profiles: Sequence[ParkProfile], lang: str, top: int) -> list[MapPoint]:
    """Return the parks to draw: the first ``top`` ranked parks and every excluded one with a position.

    Parks at the same position (e.g. several parks placed at their province's point) share
    one point whose label lists their ranks.
    """
    by_id = {profile.park_id: profile for profile in profiles}
    grouped: dict[tuple[float, float, bool], list[tuple[str, str, bool]]] = {}
    ranked = [(match, str(match.rank)) for match in result.ranked[:top]]
    excluded = [(match, "") for match in result.excluded]
    for match, label in (*ranked, *excluded):
        profile = by_id.get(match.park_id)
        latitude = None if profile is None else profile.field("latitude")
        longitude = None if profile is None else profile.field("longitude")
        if latitude is None or longitude is None or latitude.value is None or longitude.value is None:
            continue
        key = (float(latitude.value), float(longitude.value), bool(label))
        grouped.setdefault(key, []).append((label, match.name(lang), latitude.approximate))
    return [
        MapPoint(
            ",".join(label for label, _, _ in members if label),
            latitude,
            longitude,
            ranked_point,
            any(approximate for _, _, approximate in members),
            "; ".join(name for _, name, _ in members),
        )
        for (latitude, longitude, ranked_point), members in grouped.items()
    ]


def _title(result: MatchResult, lang: str) -> str:
    return translate("siting.map.title", lang, name=result.investor.name)


def _nodes() -> list[tuple[str, float, float, str]]:
    return [
        (node.kind, node.latitude, node.longitude, node.name_en)
        for node in logistics_nodes()
        if node.kind == "seaport" or (node.kind == "airport" and node.detail == INTERNATIONAL)
    ]


def match_png(result: MatchResult, profiles: Sequence[ParkProfile], path: Path, lang: str, top: int) -> Path:
    """Draw the match map into a PNG file (640 × 800 pixels)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    shapes = province_shapes(LAYOUT)
    figure = Figure(figsize=(6.4, 8.0), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.02, 0.09, 0.96, 0.83))
    patches = []
    for item in shapes:
        polygons = list(item.geometry.geoms) if item.geometry.geom_type == "MultiPolygon" else [item.geometry]
        rings = [ring for polygon in polygons for ring in (polygon.exterior, *polygon.interiors)]
        patches.append(PathPatch(MplPath.make_compound_path(*[MplPath(np.asarray(ring.coords), closed=True) for ring in rings])))
    axes.add_collection(PatchCollection(patches, facecolors="#f2f2f2", edgecolors="#888888", linewidths=0.25))
    for kind, latitude, longitude, _name in _nodes():
        marker, colour = ("v", PORT_COLOUR) if kind == "seaport" else ("^", AIRPORT_COLOUR)
        axes.plot(longitude, latitude, marker=marker, color=colour, markersize=4, linestyle="none")
    for point in map_points(result, profiles, lang, top):
        colour = RANKED_COLOUR if point.ranked else EXCLUDED_COLOUR
        marker = "o" if point.ranked else "x"
        face = "none" if point.approximate else colour
        axes.plot(
            point.longitude,
            point.latitude,
            marker=marker,
            markerfacecolor=face,
            markeredgecolor=colour,
            markersize=8,
            linestyle="none",
        )
        if point.label:
            axes.annotate(point.label, (point.longitude, point.latitude), xytext=(5, 3), textcoords="offset points", fontsize=8)
    boxes = [item.geometry.bounds for item in shapes]
    min_lon, min_lat = min(b[0] for b in boxes), min(b[1] for b in boxes)
    max_lon, max_lat = max(b[2] for b in boxes), max(b[3] for b in boxes)
    axes.set_xlim(min_lon - 0.2, max_lon + 0.2)
    axes.set_ylim(min_lat - 0.2, max_lat + 0.2)
    axes.set_aspect(1.0 / math.cos(math.radians((min_lat + max_lat) / 2)))
    axes.set_axis_off()
    handles = [
        Line2D([], [], marker="o", color=RANKED_COLOUR, linestyle="none", label=translate("siting.map.ranked", lang)),
        Line2D(
            [],
            [],
            marker="o",
            markerfacecolor="none",
            markeredgecolor=RANKED_COLOUR,
            linestyle="none",
            label=translate("siting.map.approximate", lang),
        ),
        Line2D([], [], marker="x", color=EXCLUDED_COLOUR, linestyle="none", label=translate("siting.map.excluded", lang)),
        Line2D([], [], marker="v", color=PORT_COLOUR, linestyle="none", label=translate("siting.map.seaport", lang)),
        Line2D([], [], marker="^", color=AIRPORT_COLOUR, linestyle="none", label=translate("siting.map.airport", lang)),
    ]
    axes.legend(handles=handles, loc="upper right", frameon=False, fontsize=8)
    figure.suptitle("\n".join(textwrap.wrap(_title(result, lang), 60)), fontsize=12, y=0.98, va="top")
    figure.text(0.02, 0.012, "\n".join(textwrap.wrap(ATTRIBUTION, 115)), fontsize=6, color="#444444", va="bottom")
    figure.savefig(path, format="png")
    return path


def _svg_path(geometry: Any, project: Callable[[float, float], tuple[float, float]]) -> str:
    polygons = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    parts = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            coordinates = [project(x, y) for x, y in ring.coords]
            parts.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in coordinates) + " Z")
    return " ".join(parts)


def match_html(
    result: MatchResult, profiles: Sequence[ParkProfile], path: Path, lang: str, top: int, width: float = 560.0
) -> Path:
    """Write the match map as a self-contained HTML page with inline SVG (hover titles name the parks)."""
    shapes = province_shapes(LAYOUT)
    boxes = [item.geometry.bounds for item in shapes]
    min_lon, min_lat = min(b[0] for b in boxes), min(b[1] for b in boxes)
    max_lon, max_lat = max(b[2] for b in boxes), max(b[3] for b in boxes)
    scale_x = math.cos(math.radians((min_lat + max_lat) / 2))
    margin = 10.0
    scale = (width - 2 * margin) / ((max_lon - min_lon) * scale_x)
    height = (max_lat - min_lat) * scale + 2 * margin

    def project(longitude: float, latitude: float) -> tuple[float, float]:
        return margin + (longitude - min_lon) * scale_x * scale, margin + (max_lat - latitude) * scale

    body = [
        f'<path d="{_svg_path(item.geometry, project)}" fill="#f2f2f2" stroke="#888" stroke-width="0.4">'
        f"<title>{html.escape(item.name)}</title></path>"
        for item in shapes
    ]
    for kind, latitude, longitude, name in _nodes():
        x, y = project(longitude, latitude)
        colour = PORT_COLOUR if kind == "seaport" else AIRPORT_COLOUR
        body.append(
            f'<rect x="{x - 2:.1f}" y="{y - 2:.1f}" width="4" height="4" fill="{colour}">'
            f"<title>{html.escape(name)}</title></rect>"
        )
    for point in map_points(result, profiles, lang, top):
        x, y = project(point.longitude, point.latitude)
        colour = RANKED_COLOUR if point.ranked else EXCLUDED_COLOUR
        fill = "none" if point.approximate or not point.ranked else colour
        title = html.escape(f"{point.label + '. ' if point.label else ''}{point.name}")
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="{colour}" stroke-width="1.5">'
            f"<title>{title}</title></circle>"
        )
        if point.label:
            body.append(f'<text x="{x + 6:.1f}" y="{y - 4:.1f}" font-size="10">{html.escape(point.label)}</text>')
    title = html.escape(_title(result, lang))
    legend = " · ".join(
        html.escape(translate(key, lang))
        for key in (
            "siting.map.ranked",
            "siting.map.approximate",
            "siting.map.excluded",
            "siting.map.seaport",
            "siting.map.airport",
        )
    )
    page = f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font-family: sans-serif; margin: 1em; }} footer {{ font-size: 0.7em; color: #555; max-width: 60em; }}</style>
</head>
<body>
<h1>{title}</h1>
<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"
 viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{title}">
{chr(10).join(body)}
</svg>
<p>{legend}</p>
<footer>{html.escape(ATTRIBUTION)}</footer>
</body>
</html>
"""
    path.write_text(page, encoding="utf-8")
    return path


def match_map(result: MatchResult, profiles: Sequence[ParkProfile], path: Path, lang: str, top: int) -> Path:
    """Draw the match map into ``path``: PNG for ``.png``, self-contained HTML otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".png":
        return match_png(result, profiles, path, lang, top)
    return match_html(result, profiles, path, lang, top)
