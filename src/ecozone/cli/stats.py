"""``ecozone stats``: national industrial-park statistics beside the registry's own aggregates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ecozone.cli.context import CliState, state
from ecozone.errors import ConfigurationError, FileFormatError, NotFoundError
from ecozone.i18n import translate
from ecozone.stats import national
from ecozone.stats import registry as registry_stats
from ecozone.stats.document import plain as _plain
from ecozone.stats.document import stats_document
from ecozone.stats.number_format import format_number

if TYPE_CHECKING:
    from ecozone.store.snapshot import RegistrySnapshot

MAP_SUFFIXES = (".png", ".html")
NATIONAL_TABLE_COLUMNS = (
    "ips_established",
    "ips_operating",
    "industrial_land_ha",
    "leased_industrial_land_ha",
    "occupancy_all_established_pct",
    "occupancy_operating_pct",
)


def _both(key: str) -> str:
    """Bilingual help text (the language option is read after help is built)."""
    return f"{translate(key, 'en')} / {translate(key, 'vi')}"


def register(app: typer.Typer) -> None:
    """Add the ``stats`` command to ``app``."""
    app.command("stats", help=_both("stats.help"))(stats)


def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_both("stats.option.json"))] = False,
    layout: Annotated[str, typer.Option("--layout", help=_both("stats.option.layout"))] = "2025",
    by: Annotated[str, typer.Option("--by", help=_both("stats.option.by"))] = "province",
    map_file: Annotated[Path | None, typer.Option("--map", help=_both("stats.option.map"))] = None,
    map_metric: Annotated[str, typer.Option("--map-metric", help=_both("stats.option.map_metric"))] = "parks",
) -> None:
    """The national picture of industrial parks."""
    cli = state(ctx)
    _check_options(layout, by, map_file, map_metric)
    snapshot = _registry_snapshot(cli, required=map_file is not None)
    if map_file is not None:
        assert snapshot is not None
        written = draw_map(snapshot, layout, map_file, map_metric, cli.lang)
        Console(stderr=as_json).print(cli.t("stats.map_written", path=str(written)), highlight=False)
    if as_json:
        typer.echo(json.dumps(stats_document(snapshot, layout), ensure_ascii=False, indent=2))
        return
    console = Console()
    _print_national(console, cli.lang)
    if snapshot is None:
        console.print(cli.t("stats.no_registry", path=str(cli.workspace().path)), highlight=False)
        return
    _print_registry(console, snapshot, layout, by, cli.lang)


def _check_options(layout: str, by: str, map_file: Path | None, map_metric: str) -> None:
    registry_stats.check_layout(layout)
    if by not in registry_stats.GROUPINGS:
        raise NotFoundError("stats.unknown_grouping", by=by, known=", ".join(registry_stats.GROUPINGS))
    if map_metric not in registry_stats.PROVINCE_METRICS:
        raise NotFoundError("stats.unknown_metric", metric=map_metric, known=", ".join(registry_stats.PROVINCE_METRICS))
    if map_file is not None and map_file.suffix.lower() not in MAP_SUFFIXES:
        raise FileFormatError("stats.map_format", file=str(map_file), suffix=map_file.suffix, known=", ".join(MAP_SUFFIXES))


def _registry_snapshot(cli: CliState, *, required: bool) -> RegistrySnapshot | None:
    """Load the registry, or None when the workspace was never initialised (unless ``required``)."""
    from ecozone.store.database import is_initialised

    workspace = cli.workspace()
    if not is_initialised(workspace):
        if required:
            raise ConfigurationError("stats.map_needs_registry", path=str(workspace.path))
        return None
    from ecozone.store.registry_store import load_registry

    return load_registry(cli.open_workspace())


def draw_map(snapshot: RegistrySnapshot, layout: str, path: Path, metric: str, lang: str) -> Path:
    """Draw the choropleth of ``metric`` per province into ``path`` (.png or .html)."""
    from ecozone.stats import maps

    values = registry_stats.province_values(snapshot, layout, metric)
    title = translate(f"stats.map.title.{metric}", lang, layout=layout)
    legend = translate(f"stats.map.legend.{metric}", lang)
    if path.suffix.lower() == ".png":
        return maps.choropleth_png(values, layout, path, title, lang, legend_label=legend)
    return maps.choropleth_html(values, layout, path, title, lang, legend_label=legend)


def _cell(value: Any, lang: str, decimals: int = 0) -> str:
    plain = _plain(value)
    return format_number(None if plain is None else float(plain), lang, decimals)


def _print_national(console: Console, lang: str) -> None:
    series = national.national_series()
    statuses = sorted(set(series["status"]))
    publishers = list(dict.fromkeys(str(text) for text in series["source"]))
    table = Table(
        title=translate("stats.national.title", lang),
        caption=translate(
            "stats.national.caption", lang, status=", ".join(translate(f"stats.status.{s}", lang) for s in statuses)
        ),
    )
    cells = [
        [
            _as_of_cell(str(row["as_of"]), str(row["precision"]), lang),
            *[_cell(row[name], lang, 1 if str(name).endswith("_pct") else 0) for name in NATIONAL_TABLE_COLUMNS],
            f"[{publishers.index(str(row['source'])) + 1}]",
        ]
        for row in series.to_dict(orient="records")
    ]
    headers = [
        translate("stats.column.as_of", lang),
        *[translate(f"stats.short.{name}", lang) for name in NATIONAL_TABLE_COLUMNS],
    ]
    headers.append(translate("stats.column.source", lang))
    table.add_column(headers[0], min_width=max(len(str(text)) for text in series["as_of"]), no_wrap=True)
    for index, header in enumerate(headers[1:], start=1):
        table.add_column(header, justify="right", width=max(6, *(len(row[index]) for row in cells)), overflow="fold")
    for row_cells in cells:
        table.add_row(*row_cells)
    console.print(table)
    for number, source in enumerate(publishers, start=1):
        console.print(f"[{number}] {source}", highlight=False, markup=False, overflow="fold")
    _print_latest(console, lang)


def _as_of_cell(as_of: str, precision: str, lang: str) -> str:
    """The date as published, with its precision below unless it is a plain month."""
    return as_of if precision == "month" else f"{as_of}\n({translate(f'stats.precision.{precision}', lang)})"


def _print_latest(console: Console, lang: str) -> None:
    year = national.default_year()
    figures = national.latest_year_end(year)
    if not figures:
        return
    first = next(iter(figures.values()))
    precision = translate(f"stats.precision.{first['precision']}", lang)
    table = Table(title=translate("stats.latest.title", lang, year=year, as_of=first["as_of"], precision=precision))
    table.add_column(translate("stats.column.name", lang))
    table.add_column("", justify="right")
    for name, figure in figures.items():
        decimals = 1 if figure["unit"] == "%" else 0
        table.add_row(translate(f"stats.metric.{name}", lang), format_number(float(figure["value"]), lang, decimals))
    status = translate(f"stats.status.{first['status']}", lang)
    table.caption = translate("stats.latest.source", lang, source=first["source"], status=status)
    console.print(table)


MISSING_COLUMNS = ("parks_missing_total_area", "parks_missing_industrial_land", "parks_missing_leased_land")


def _print_registry(console: Console, snapshot: RegistrySnapshot, layout: str, by: str, lang: str) -> None:
    if not snapshot.parks:
        console.print(translate("stats.empty_registry", lang), highlight=False)
        return
    grouping = translate(f"stats.by.{by}", lang, layout=layout)
    table = Table(title=translate("stats.registry.title", lang, count=len(snapshot.parks), by=grouping))
    name_column = "name_vi" if lang == "vi" else "name_en"
    rows: list[dict[str, Any]] = [
        {str(k): v for k, v in row.items()} for row in registry_stats.aggregate(snapshot, by, layout).to_dict(orient="records")
    ]
    totals = registry_stats.registry_totals(snapshot)
    rows.append({"key": "", name_column: translate("stats.column.total", lang), **vars(totals)})
    cells = [
        [
            *([str(row["key"])] if by == "province" else []),
            str(row[name_column]),
            _cell(row["parks"], lang),
            *[_cell(row[name], lang) for name in registry_stats.AREA_METRICS],
            _cell(row["occupancy_pct"], lang, 1),
            "/".join(str(_plain(row[name])) for name in MISSING_COLUMNS),
        ]
        for row in rows
    ]
    if by == "province":
        table.add_column(translate("stats.column.key", lang), no_wrap=True)
    table.add_column(translate("stats.column.name", lang), ratio=1, min_width=12)
    numeric = ["parks", *registry_stats.AREA_METRICS, "occupancy_pct", "missing"]
    first_numeric = len(cells[0]) - len(numeric)
    for offset, name in enumerate(numeric):
        widest = max(len(row[first_numeric + offset]) for row in cells)
        table.add_column(translate(f"stats.column.{name}", lang), justify="right", width=max(6, widest), overflow="fold")
    for index, row_cells in enumerate(cells):
        table.add_row(*row_cells, end_section=index == len(cells) - 2)
    console.print(table)
    console.print(
        translate(
            "stats.registry.missing",
            lang,
            total=totals.parks_missing_total_area,
            industrial=totals.parks_missing_industrial_land,
            leased=totals.parks_missing_leased_land,
            occupancy=totals.parks_with_occupancy,
        ),
        highlight=False,
    )
