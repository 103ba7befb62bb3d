"""``ecozone match``, ``ecozone profile`` and ``ecozone projects``: parks, investors and lenders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ecozone.cli.context import CliState, state
from ecozone.errors import FileFormatError
from ecozone.i18n import translate

if TYPE_CHECKING:
    from ecozone.projects.pipeline import GreenProject
    from ecozone.siting.matching import MatchResult
    from ecozone.siting.profile import ParkProfile
    from ecozone.store.workspace import Workspace

MAP_SUFFIXES = (".png", ".html")
EXPORT_SUFFIXES = (".xlsx", ".csv")
DEMO_INVESTOR = "investor.yaml"
DEFAULT_TOP = 10
EXPLAINED = 5


def _both(key: str) -> str:
    """Bilingual help text (the language option is read after help is built)."""
    return f"{translate(key, 'en')} / {translate(key, 'vi')}"


def register(app: typer.Typer) -> None:
    """Add ``match``, ``profile`` and ``projects`` to ``app``."""
    app.command("match", help=_both("siting.help.match"))(match)
    profile_app = typer.Typer(help=_both("siting.help.profile"), no_args_is_help=True)
    profile_app.command("show", help=_both("siting.help.profile_show"))(profile_show)
    profile_app.command("publish", help=_both("siting.help.profile_publish"))(profile_publish)
    profile_app.command("unpublish", help=_both("siting.help.profile_unpublish"))(profile_unpublish)
    app.add_typer(profile_app, name="profile")
    projects_app = typer.Typer(help=_both("projects.help"), no_args_is_help=True)
    projects_app.command("import", help=_both("projects.help.import"))(projects_import)
    projects_app.command("list", help=_both("projects.help.list"))(projects_list)
    projects_app.command("show", help=_both("projects.help.show"))(projects_show)
    projects_app.command("export", help=_both("projects.help.export"))(projects_export)
    app.add_typer(projects_app, name="projects")


def _number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}"


# --- match -----------------------------------------------------------------------------------------------------------


def match(
    ctx: typer.Context,
    investor: Annotated[Path, typer.Option("--investor", help=_both("siting.option.investor"))],
    top: Annotated[int, typer.Option("--top", min=1, help=_both("siting.option.top"))] = DEFAULT_TOP,
    as_json: Annotated[bool, typer.Option("--json", help=_both("siting.option.json"))] = False,
    map_file: Annotated[Path | None, typer.Option("--map", help=_both("siting.option.map"))] = None,
    all_fields: Annotated[bool, typer.Option("--all-fields", help=_both("siting.option.all_fields"))] = False,
) -> None:
    """Rank the registry's parks for an investor profile."""
    from ecozone.siting.investor import load_investor
    from ecozone.siting.matching import match_document, match_parks
    from ecozone.store.siting_store import park_profiles

    cli = state(ctx)
    if map_file is not None and map_file.suffix.lower() not in MAP_SUFFIXES:
        raise FileFormatError("siting.map_format", file=str(map_file), suffix=map_file.suffix, known=", ".join(MAP_SUFFIXES))
    profile = load_investor(investor)
    workspace = cli.open_workspace()
    profiles = park_profiles(workspace, published_only=not all_fields)
    result = match_parks(profile, profiles)
    console = Console(stderr=as_json)
    if map_file is not None:
        from ecozone.siting.maps import match_map

        written = match_map(result, profiles, map_file, cli.lang, top)
        console.print(cli.t("siting.map_written", path=str(written)), highlight=False)
    if as_json:
        document = match_document(result, cli.lang)
        document["ranked"] = document["ranked"][:top]
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))
        return
    if not all_fields:
        _say_unpublished(console, profiles, cli.lang)
    print_match(console, result, cli.lang, top)


def _say_unpublished(console: Console, profiles: list[ParkProfile], lang: str) -> None:
    silent = [profile.park_id for profile in profiles if not profile.fields]
    if silent:
        console.print(
            translate("siting.match.unpublished_parks", lang, count=len(silent), parks=", ".join(silent[:8])), highlight=False
        )


def _with_synthetic_mark(name: str, synthetic: bool, lang: str) -> str:
    """Append "(synthetic)" to the name of synthetic data unless the name already says so."""
    mark = translate("siting.synthetic_mark", lang)
    if not synthetic or any(word in name.casefold() for word in ("synthetic", "giả lập")):
        return name
    return name + mark


def print_match(console: Console, result: MatchResult, lang: str, top: int = DEFAULT_TOP, explained: int = EXPLAINED) -> None:
    """Print the ranked table, explanations of the first ``explained`` parks, exclusions, sensitivity and notices."""
    from ecozone.siting.matching import criterion_label, explain

    investor = result.investor
    console.print(
        translate(
            "siting.match.title",
            lang,
            name=investor.name,
            sector=investor.sector_vsic,
            land=_number(investor.land_ha),
            origin=translate(f"siting.weight_origin.{investor.weight_origin}", lang),
        ),
        highlight=False,
    )
    table = Table(
        title=translate("siting.match.ranked_title", lang, count=len(result.ranked), shown=min(top, len(result.ranked)))
    )
    for key, justify in (("rank", "right"), ("park", "left"), ("status", "left"), ("closeness", "right"), ("coverage", "right")):
        table.add_column(translate(f"siting.column.{key}", lang), justify=justify)  # type: ignore[arg-type]
    for name in ("land_available_ha", "power_capacity_mw", "distance_seaport_km", "distance_airport_km"):
        table.add_column(criterion_label(name, lang), justify="right")
    shown = result.ranked[:top]
    for index, match in enumerate(shown):
        values = {score.criterion: score for score in match.scores}
        cells = []
        for name in ("land_available_ha", "power_capacity_mw", "distance_seaport_km", "distance_airport_km"):
            score = values.get(name)
            cells.append(
                "–" if score is None or score.value is None else _number(score.value) + ("~" if score.approximate else "")
            )
        table.add_row(
            str(match.rank),
            _with_synthetic_mark(match.name(lang), match.is_synthetic, lang),
            translate(f"siting.status.{match.status}", lang),
            f"{match.closeness:.3f}",
            f"{100 * (match.coverage or 0):.0f}%",
            *cells,
            end_section=index + 1 < len(shown) and shown[index + 1].status != match.status,
        )
    table.caption = translate("siting.match.caption", lang)
    console.print(table)
    for match in result.ranked[: min(top, explained)]:
        lines = explain(match, lang)
        if lines:
            console.print(f"[bold]{match.rank}. {match.name(lang)}[/]", highlight=False)
            for line in lines:
                console.print(f"   • {line}", highlight=False, markup=False)
    _print_excluded(console, result, lang)
    _print_sensitivity(console, result, lang)
    for notice in result.notices:
        console.print(f"! {notice.text(lang)}", highlight=False, markup=False)


def _print_excluded(console: Console, result: MatchResult, lang: str) -> None:
    from ecozone.siting.matching import reasons

    if not result.excluded:
        return
    table = Table(title=translate("siting.match.excluded_title", lang, count=len(result.excluded)))
    table.add_column(translate("siting.column.park", lang))
    table.add_column(translate("siting.column.reasons", lang))
    for match in result.excluded:
        table.add_row(match.name(lang), "\n".join(reasons(match, lang)))
    console.print(table)


def _print_sensitivity(console: Console, result: MatchResult, lang: str) -> None:
    from ecozone.siting.matching import criterion_label

    if not result.sensitivity or not result.ranked:
        return
    names = {match.park_id: match.name(lang) for match in result.ranked}
    table = Table(title=translate("siting.match.sensitivity_title", lang, park=result.ranked[0].name(lang)))
    for key in ("criterion", "weight", "down", "up"):
        table.add_column(translate(f"siting.column.{key}", lang), justify="left" if key == "criterion" else "right")
    for item in result.sensitivity:
        down = "–" if item.lower is None else f"{item.lower:.3f} → {names.get(str(item.lower_successor), item.lower_successor)}"
        up = "–" if item.upper is None else f"{item.upper:.3f} → {names.get(str(item.upper_successor), item.upper_successor)}"
        table.add_row(criterion_label(item.criterion, lang), f"{item.weight:.3f}", down, up)
    table.caption = translate("siting.match.sensitivity_caption", lang)
    console.print(table)


# --- profile ---------------------------------------------------------------------------------------------------------


def _value_text(value: Any, lang: str) -> str:
    if value is None:
        return translate("siting.not_available", lang)
    if isinstance(value, bool):
        return translate("siting.yes" if value else "siting.no", lang)
    if isinstance(value, float):
        return _number(value, 4 if abs(value) < 1000 and not value.is_integer() else 0)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items()) or "–"
    if isinstance(value, tuple | list):
        return ", ".join(str(item) for item in value) or "–"
    return str(value)


def profile_show(
    ctx: typer.Context,
    park_id: Annotated[str, typer.Argument(help=_both("siting.option.park"))],
    published: Annotated[bool, typer.Option("--published", help=_both("siting.option.published"))] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_both("siting.option.json"))] = False,
) -> None:
    """Show a park's profile (everything, or only what it publishes)."""
    from ecozone.store.siting_store import park_profiles, published_fields

    cli = state(ctx)
    workspace = cli.open_workspace()
    profiles = park_profiles(workspace, [park_id], published_only=published)
    if not profiles:
        from ecozone.errors import NotFoundError

        raise NotFoundError("registry.park_not_found", park_id=park_id)
    profile = profiles[0]
    if as_json:
        typer.echo(json.dumps(profile.as_dict(), ensure_ascii=False, indent=2, default=str))
        return
    shown = set(published_fields(workspace, park_id))
    table = Table(title=translate("siting.profile.title", cli.lang, park=profile.name(cli.lang)))
    for key in ("field", "value", "unit", "published", "source"):
        table.add_column(translate(f"siting.column.{key}", cli.lang), overflow="fold")
    for item in profile.fields:
        value = _value_text(item.value, cli.lang) + (" ~" if item.approximate else "")
        if item.note:
            value += f"\n({item.note})"
        mark = translate("siting.yes" if item.name in shown else "siting.no", cli.lang)
        source = item.source + (f" [{item.as_of}]" if item.as_of else "")
        table.add_row(translate(f"siting.field.{item.name}", cli.lang), value, item.unit or "", mark, source)
    Console().print(table)


def profile_publish(
    ctx: typer.Context,
    park_id: Annotated[str, typer.Argument(help=_both("siting.option.park"))],
    fields: Annotated[list[str] | None, typer.Argument(help=_both("siting.option.fields"))] = None,
    every: Annotated[bool, typer.Option("--all", help=_both("siting.option.all"))] = False,
) -> None:
    """Publish profile fields of a park to investors."""
    from ecozone.siting.profile import FIELD_NAMES
    from ecozone.store.siting_store import publish

    cli = state(ctx)
    names = FIELD_NAMES if every else tuple(fields or ())
    now = publish(cli.open_workspace(), park_id, names)
    Console().print(
        cli.t("siting.profile.published", park=park_id, count=len(now), fields=", ".join(now) or "–"), highlight=False
    )


def profile_unpublish(
    ctx: typer.Context,
    park_id: Annotated[str, typer.Argument(help=_both("siting.option.park"))],
    fields: Annotated[list[str] | None, typer.Argument(help=_both("siting.option.fields"))] = None,
    every: Annotated[bool, typer.Option("--all", help=_both("siting.option.all"))] = False,
) -> None:
    """Withdraw published profile fields of a park."""
    from ecozone.siting.profile import FIELD_NAMES
    from ecozone.store.siting_store import unpublish

    cli = state(ctx)
    names = FIELD_NAMES if every else tuple(fields or ())
    now = unpublish(cli.open_workspace(), park_id, names)
    Console().print(
        cli.t("siting.profile.published", park=park_id, count=len(now), fields=", ".join(now) or "–"), highlight=False
    )


# --- projects --------------------------------------------------------------------------------------------------------


def projects_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=_both("projects.option.file"))],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_both("projects.option.dry_run"))] = False,
) -> None:
    """Import green projects from a CSV or XLSX file (all or nothing)."""
    from ecozone.projects.pipeline import read_projects
    from ecozone.store.siting_store import import_projects

    cli = state(ctx)
    projects = read_projects(file)
    workspace = cli.open_workspace()
    if dry_run:
        Console().print(cli.t("projects.dry_run", file=file.name, count=len(projects)), highlight=False)
        return
    inserted, updated, unchanged = import_projects(workspace, projects, file.name)
    Console().print(
        cli.t("projects.imported", file=file.name, inserted=inserted, updated=updated, unchanged=unchanged), highlight=False
    )


def _chosen(
    workspace: Workspace, category: list[str] | None, status: list[str] | None, park: str | None, min_irr: float | None, sort: str
) -> list[GreenProject]:
    from ecozone.errors import NotFoundError
    from ecozone.projects.pipeline import PROJECT_STATUSES, SORT_KEYS, lender_view, taxonomy_groups
    from ecozone.store.siting_store import load_projects

    for value, known, key in (
        (category or [], tuple(taxonomy_groups()), "category"),
        (status or [], PROJECT_STATUSES, "status"),
        ([sort], SORT_KEYS, "sort"),
    ):
        unknown = [item for item in value if item not in known]
        if unknown:
            raise NotFoundError("projects.unknown_option", option=key, value=", ".join(unknown), known=", ".join(known))
    return lender_view(
        load_projects(workspace),
        categories=category or (),
        statuses=status or (),
        park_id=park,
        min_irr_pct=min_irr,
        sort_by=sort,
    )


CategoryOption = Annotated[list[str] | None, typer.Option("--category", help=_both("projects.option.category"))]
StatusOption = Annotated[list[str] | None, typer.Option("--status", help=_both("projects.option.status"))]
ParkOption = Annotated[str | None, typer.Option("--park", help=_both("projects.option.park"))]
MinIrrOption = Annotated[float | None, typer.Option("--min-irr", help=_both("projects.option.min_irr"))]
SortOption = Annotated[str, typer.Option("--sort", help=_both("projects.option.sort"))]


def projects_list(
    ctx: typer.Context,
    category: CategoryOption = None,
    status: StatusOption = None,
    park: ParkOption = None,
    min_irr: MinIrrOption = None,
    sort: SortOption = "abatement",
    as_json: Annotated[bool, typer.Option("--json", help=_both("siting.option.json"))] = False,
) -> None:
    """List green projects as a lender sees them: filtered and ranked."""
    from ecozone.projects.pipeline import project_row

    cli = state(ctx)
    projects = _chosen(cli.open_workspace(), category, status, park, min_irr, sort)
    if as_json:
        typer.echo(json.dumps([project_row(project) for project in projects], ensure_ascii=False, indent=2))
        return
    print_projects(Console(), projects, cli.lang)


def _in_language(text: str, lang: str) -> str:
    """Pick one side of a bilingual "tiếng Việt / English" text (the whole text otherwise)."""
    parts = text.split(" / ")
    if len(parts) != 2:
        return text
    return parts[0] if lang.startswith("vi") else parts[1]


def print_projects(console: Console, projects: list[GreenProject], lang: str) -> None:
    """Print the lender's table of projects."""
    from ecozone.projects.pipeline import taxonomy_groups

    table = Table(title=translate("projects.list_title", lang, count=len(projects)))
    for key in ("id", "title", "park", "category", "status", "capex", "abatement", "irr", "payback"):
        table.add_column(
            translate(f"projects.column.{key}", lang),
            justify="right" if key in ("capex", "abatement", "irr", "payback") else "left",
        )
    groups = taxonomy_groups()
    for project in projects:
        table.add_row(
            project.id,
            _with_synthetic_mark(_in_language(project.title, lang), project.is_synthetic, lang),
            project.park_id,
            groups[project.taxonomy_category].name(lang),
            translate(f"projects.status.{project.status}", lang),
            _number(project.capex_vnd / 1e9, 2),
            _number(project.abatement_t_per_billion_vnd, 1),
            _number(project.irr_pct, 1),
            _number(project.simple_payback_years, 1),
        )
    table.caption = translate("projects.list_caption", lang)
    console.print(table)


def projects_show(
    ctx: typer.Context,
    project_id: Annotated[str, typer.Argument(help=_both("projects.option.id"))],
) -> None:
    """Show a project's bankable sheet."""
    from ecozone.projects.pipeline import DERIVED_COLUMNS, PROJECT_COLUMNS, project_row, taxonomy_groups
    from ecozone.store.siting_store import load_project

    cli = state(ctx)
    project = load_project(cli.open_workspace(), project_id)
    row = project_row(project)
    group = taxonomy_groups()[project.taxonomy_category]
    table = Table(title=translate("projects.sheet_title", cli.lang, title=project.title), show_header=False)
    table.add_column("", style="bold")
    table.add_column("", overflow="fold")
    for column in (*PROJECT_COLUMNS, *DERIVED_COLUMNS):
        value = row[column]
        if column == "taxonomy_category":
            text = f"{group.name(cli.lang)} ({group.code}; {group.source}; {group.status})"
        elif column == "status":
            text = translate(f"projects.status.{value}", cli.lang)
        else:
            text = _value_text(value, cli.lang)
        table.add_row(translate(f"projects.field.{column}", cli.lang), text)
    table.caption = translate("projects.sheet_caption", cli.lang)
    Console().print(table)


def projects_export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=_both("projects.option.export_file"))],
    category: CategoryOption = None,
    status: StatusOption = None,
    park: ParkOption = None,
    min_irr: MinIrrOption = None,
    sort: SortOption = "abatement",
) -> None:
    """Export the lender's view of green projects to XLSX (or CSV)."""
    from ecozone.projects.pipeline import write_projects

    cli = state(ctx)
    if file.suffix.lower() not in EXPORT_SUFFIXES:
        raise FileFormatError("file.unknown_format", file=file.name, suffix=file.suffix, known=", ".join(EXPORT_SUFFIXES))
    projects = _chosen(cli.open_workspace(), category, status, park, min_irr, sort)
    write_projects(file, projects)
    Console().print(cli.t("projects.exported", count=len(projects), path=str(file)), highlight=False)


# --- demo ------------------------------------------------------------------------------------------------------------


def demo_investor_path() -> Path:
    """Return the path of the shipped demo investor profile."""
    from importlib import resources

    return Path(str(resources.files("ecozone.demo").joinpath(DEMO_INVESTOR)))


def demo_step(cli: CliState, workspace: Workspace, console: Console) -> None:
    """Publish the demo workspace's park profiles and match the demo investor across them.

    Every park of the demo workspace (the synthetic park and the 13 reference parks, built
    from public sources) publishes every profile field; the ranked table is printed and the
    map and JSON are written into ``workspace.path / "reports"``.
    """
    from ecozone.siting.investor import load_investor
    from ecozone.siting.maps import match_map
    from ecozone.siting.matching import match_document, match_parks
    from ecozone.siting.profile import FIELD_NAMES
    from ecozone.store.siting_store import park_profiles, publish

    profiles = park_profiles(workspace, published_only=False)
    for profile in profiles:
        publish(workspace, profile.park_id, FIELD_NAMES)
    console.print(cli.t("siting.demo.published", count=len(profiles)), highlight=False)
    published = park_profiles(workspace)
    result = match_parks(load_investor(demo_investor_path()), published)
    print_match(console, result, cli.lang, top=len(result.ranked))
    reports = workspace.path / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    written = match_map(result, published, reports / "siting_match.png", cli.lang, DEFAULT_TOP)
    document = reports / "siting_match.json"
    document.write_text(json.dumps(match_document(result, cli.lang), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    console.print(cli.t("siting.demo.written", map=str(written), json=str(document)), highlight=False)
    _demo_projects(cli, workspace, console)


def _demo_projects(cli: CliState, workspace: Workspace, console: Console) -> None:
    """Import the demo park's illustrative green projects and print the lender's view."""
    from ecozone.projects.pipeline import demo_projects, lender_view
    from ecozone.store.siting_store import import_projects, load_projects

    if not any(profile_id == "demo" for profile_id in _park_ids(workspace)):
        return
    import_projects(workspace, demo_projects(), "demo_projects.yaml")
    print_projects(console, lender_view(load_projects(workspace, "demo")), cli.lang)


def _park_ids(workspace: Workspace) -> list[str]:
    from ecozone.store.registry_store import load_registry

    return [item.park.id for item in load_registry(workspace).parks]
