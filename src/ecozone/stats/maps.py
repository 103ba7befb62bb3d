"""Choropleth maps of one value per province (PNG with matplotlib, self-contained HTML/SVG).

Both maps draw the geoBoundaries province shapes of :func:`ecozone.provinces.boundaries`
(2008: 63 provinces in 64 features, Côn Đảo apart; 2025: 34 units) and carry the
geoBoundaries attribution :data:`ecozone.provinces.ATTRIBUTION`. Nothing is fetched: no
tiles, scripts or fonts from the internet.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ecozone.i18n import translate
from ecozone.provinces import ATTRIBUTION, boundaries
from ecozone.stats.number_format import format_number
from ecozone.stats.registry import check_layout

COLOUR_MAP = "YlGnBu"
NO_DATA_COLOUR = "#d9d9d9"
LEGEND_STEPS = 6


@dataclass(frozen=True)
class ProvinceShape:
    """One boundary feature: its province code, name and shapely geometry [degree, WGS 84]."""

    code: str
    name: str
    geometry: Any


@cache
def province_shapes(layout: str) -> tuple[ProvinceShape, ...]:
    """Return the boundary features of ``layout`` as shapely geometries, in file order."""
    from shapely.geometry import shape

    return tuple(
        ProvinceShape(str(feature["properties"]["code"]), str(feature["properties"]["name"]), shape(feature["geometry"]))
        for feature in boundaries(check_layout(layout))["features"]
    )


def _polygons(geometry: Any) -> list[Any]:
    return list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]


def _bounds(shapes: tuple[ProvinceShape, ...]) -> tuple[float, float, float, float]:
    boxes = [item.geometry.bounds for item in shapes]
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def value_range(values: Mapping[str, float]) -> tuple[float, float]:
    """Return the colour scale's ``(low, high)``: from 0 (or a lower value) to the largest value."""
    finite = [value for value in values.values() if math.isfinite(value)]
    low = min([0.0, *finite])
    high = max([0.0, *finite])
    return low, (high if high > low else low + 1.0)


def _decimals(values: Mapping[str, float]) -> int:
    return 0 if all(float(value).is_integer() for value in values.values() if math.isfinite(value)) else 1


def _province_value(values: Mapping[str, float], code: str) -> float | None:
    value = values.get(code)
    return float(value) if value is not None and math.isfinite(value) else None


def _colours(values: Mapping[str, float], shapes: tuple[ProvinceShape, ...]) -> list[str]:
    from matplotlib import colormaps
    from matplotlib.colors import Normalize, to_hex

    low, high = value_range(values)
    norm = Normalize(vmin=low, vmax=high)
    cmap = colormaps[COLOUR_MAP]
    colours = []
    for item in shapes:
        value = _province_value(values, item.code)
        colours.append(NO_DATA_COLOUR if value is None else to_hex(cmap(norm(value))))
    return colours


def choropleth_png(
    values: Mapping[str, float],
    layout: str,
    path: str | Path,
    title: str,
    lang: str = "en",
    *,
    legend_label: str = "",
) -> Path:
    """Draw a choropleth of ``values`` per province into a PNG file.

    Parameters
    ----------
    values : mapping of str to float
        Value per GSO province code of ``layout``; provinces left out are drawn as no data.
    layout : str
        ``"2008"`` or ``"2025"``.
    path : str or Path
        PNG file to write.
    title : str
        Title above the map (already in ``lang``).
    lang : str
        ``"vi"`` or ``"en"``, for the legend texts.
    legend_label : str
        Label of the colour bar (metric and unit).

    Returns
    -------
    Path
        The file written (640 × 800 pixels).
    """
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.path import Path as MplPath

    shapes = province_shapes(layout)
    figure = Figure(figsize=(6.4, 8.0), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.02, 0.09, 0.76, 0.83))
    patches = []
    for item in shapes:
        rings = [ring for polygon in _polygons(item.geometry) for ring in (polygon.exterior, *polygon.interiors)]
        patches.append(PathPatch(MplPath.make_compound_path(*[MplPath(np.asarray(ring.coords), closed=True) for ring in rings])))
    axes.add_collection(PatchCollection(patches, facecolors=_colours(values, shapes), edgecolors="#777777", linewidths=0.25))
    min_lon, min_lat, max_lon, max_lat = _bounds(shapes)
    axes.set_xlim(min_lon - 0.2, max_lon + 0.2)
    axes.set_ylim(min_lat - 0.2, max_lat + 0.2)
    axes.set_aspect(1.0 / math.cos(math.radians((min_lat + max_lat) / 2)))
    axes.set_axis_off()
    if any(_province_value(values, item.code) is None for item in shapes):
        no_data = Patch(facecolor=NO_DATA_COLOUR, edgecolor="none", label=translate("stats.map.no_data", lang))
        axes.legend(handles=[no_data], loc="upper right", frameon=False, fontsize=8)
    low, high = value_range(values)
    scale = ScalarMappable(norm=Normalize(vmin=low, vmax=high), cmap=colormaps[COLOUR_MAP])
    colour_bar = figure.colorbar(scale, cax=figure.add_axes((0.82, 0.30, 0.035, 0.45)))
    colour_bar.set_label(legend_label, fontsize=9)
    figure.suptitle("\n".join(textwrap.wrap(title, 60)), fontsize=12, y=0.98, va="top")
    figure.text(0.02, 0.012, "\n".join(textwrap.wrap(ATTRIBUTION, 115)), fontsize=6, color="#444444", va="bottom")
    target = Path(path)
    figure.savefig(target, format="png")
    return target


@dataclass(frozen=True)
class _Projection:
    """Equirectangular projection scaled by cos(mid-latitude), lon/lat [degree] to SVG pixels."""

    min_lon: float
    max_lat: float
    x_scale: float
    y_scale: float
    margin: float

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return self.margin + (lon - self.min_lon) * self.x_scale, self.margin + (self.max_lat - lat) * self.y_scale


def _projection(shapes: tuple[ProvinceShape, ...], width: float, margin: float) -> tuple[_Projection, float]:
    min_lon, min_lat, max_lon, max_lat = _bounds(shapes)
    shrink = math.cos(math.radians((min_lat + max_lat) / 2))
    pixels_per_degree = (width - 2 * margin) / ((max_lon - min_lon) * shrink)
    projection = _Projection(min_lon, max_lat, pixels_per_degree * shrink, pixels_per_degree, margin)
    height = 2 * margin + (max_lat - min_lat) * pixels_per_degree
    return projection, height


def _path_data(geometry: Any, projection: _Projection) -> str:
    parts = []
    for polygon in _polygons(geometry):
        for ring in (polygon.exterior, *polygon.interiors):
            points: list[str] = []
            for lon, lat in ring.coords:
                x, y = projection.point(lon, lat)
                text = f"{x:.1f} {y:.1f}"
                if not points or points[-1] != text:
                    points.append(text)
            parts.append("M" + " L".join(points) + " Z")
    return "".join(parts)


def _legend_svg(values: Mapping[str, float], lang: str, legend_label: str, has_no_data: bool) -> str:
    from matplotlib import colormaps
    from matplotlib.colors import Normalize, to_hex

    low, high = value_range(values)
    norm = Normalize(vmin=low, vmax=high)
    cmap = colormaps[COLOUR_MAP]
    decimals = _decimals(values)
    steps = [low + (high - low) * index / (LEGEND_STEPS - 1) for index in range(LEGEND_STEPS)]
    rows = [f'<text x="0" y="12" class="legend-title">{html.escape(legend_label)}</text>']
    for index, value in enumerate(steps):
        y = 22 + 20 * index
        rows.append(f'<rect x="0" y="{y}" width="18" height="14" stroke="#777777" fill="{to_hex(cmap(norm(value)))}"/>')
        rows.append(f'<text x="24" y="{y + 11}">{html.escape(format_number(value, lang, decimals))}</text>')
    if has_no_data:
        y = 22 + 20 * LEGEND_STEPS
        rows.append(f'<rect x="0" y="{y}" width="18" height="14" stroke="#777777" fill="{NO_DATA_COLOUR}"/>')
        rows.append(f'<text x="24" y="{y + 11}">{html.escape(translate("stats.map.no_data", lang))}</text>')
    return "\n".join(rows)


_STYLE = """
body { font-family: sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 0.6em 0; }
.map { display: flex; gap: 1.5em; align-items: flex-start; flex-wrap: wrap; }
svg text { font-size: 12px; font-family: sans-serif; fill: #222; }
svg .legend-title { font-weight: bold; }
path.province { stroke: #777777; stroke-width: 0.4; fill-rule: evenodd; }
path.province:hover { stroke: #d62728; stroke-width: 1.5; }
footer { font-size: 0.7em; color: #555; margin-top: 1em; max-width: 60em; }
"""


def choropleth_html(
    values: Mapping[str, float],
    layout: str,
    path: str | Path,
    title: str,
    lang: str = "en",
    *,
    legend_label: str = "",
    width: float = 560.0,
) -> Path:
    """Write a self-contained HTML page holding a choropleth of ``values`` as inline SVG.

    One ``<path>`` per boundary feature, with a hover title giving the province and its value;
    a legend; the geoBoundaries attribution. No external script, style sheet, font or tile.

    Parameters
    ----------
    values : mapping of str to float
        Value per GSO province code of ``layout``; provinces left out are drawn as no data.
    layout : str
        ``"2008"`` or ``"2025"``.
    path : str or Path
        HTML file to write (UTF-8).
    title : str
        Page and map title (already in ``lang``).
    lang : str
        ``"vi"`` or ``"en"``: page language, number format and legend texts.
    legend_label : str
        Legend heading (metric and unit), also used in the hover titles.
    width : float
        Width of the map drawing [px].

    Returns
    -------
    Path
        The file written.
    """
    shapes = province_shapes(layout)
    projection, height = _projection(shapes, width, margin=10.0)
    colours = _colours(values, shapes)
    decimals = _decimals(values)
    no_data = translate("stats.map.no_data", lang)
    paths = []
    for item, colour in zip(shapes, colours, strict=True):
        value = _province_value(values, item.code)
        shown = no_data if value is None else format_number(value, lang, decimals)
        hover = f"{item.name} ({item.code}) — {legend_label}: {shown}" if legend_label else f"{item.name} ({item.code}): {shown}"
        paths.append(
            f'<path class="province" data-code="{html.escape(item.code)}" fill="{colour}" '
            f'd="{_path_data(item.geometry, projection)}"><title>{html.escape(hover)}</title></path>'
        )
    has_no_data = any(_province_value(values, item.code) is None for item in shapes)
    legend_height = 40 + 20 * (LEGEND_STEPS + 1)
    page = f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<div class="map">
<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"
 viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{html.escape(title)}">
{chr(10).join(paths)}
</svg>
<svg xmlns="http://www.w3.org/2000/svg" width="220" height="{legend_height}" role="img" aria-label="{html.escape(legend_label)}">
{_legend_svg(values, lang, legend_label, has_no_data)}
</svg>
</div>
<footer>{html.escape(ATTRIBUTION)}</footer>
</body>
</html>
"""
    target = Path(path)
    target.write_text(page, encoding="utf-8")
    return target
