"""``ecozone rulebook``, ``ecozone assess`` and ``ecozone report``: assessments against green and EIP standards.

- ``ecozone rulebook list|show ID|check FILE`` documents the shipped rulebooks and lints a user's.
- ``ecozone assess --park ID --rulebook ID [--answers FILE] [--year Y] [--json] [--report FILE]``
  assesses a park, prints the scorecard, gaps and roadmap, stores the run with its inputs and
  writes a report (HTML, PDF or DOCX).
- ``ecozone assess questionnaire --rulebook ID [--park ID] [--xlsx FILE]`` writes the blank
  questionnaire; ``ecozone assess diff`` compares the last two stored runs.
- ``ecozone report form-a5 --park ID --year Y`` fills form A.5 (Decree 35/2022) as DOCX;
  ``form-b5 --park ID [--firm ID]`` and ``form-a4 --park ID [--data FILE]`` fill forms B5 and A.4.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ecozone.assessment.answers import Answers, parse_answers
from ecozone.assessment.comparison import compare_documents
from ecozone.assessment.documents import result_document
from ecozone.assessment.engine import AssessmentInputs, AssessmentResult, assess
from ecozone.assessment.errors import AssessmentError
from ecozone.assessment.form_a4 import MeasuredSavings, PotentialExchange, SymbiosisPotential
from ecozone.assessment.kpis import Measurement
from ecozone.assessment.lint import lint_rulebook
from ecozone.assessment.questionnaire import questionnaire_xlsx, questionnaire_yaml, read_answers_file
from ecozone.assessment.reports.formatting import comparison, number, text, verdict
from ecozone.assessment.roadmap import build_roadmap
from ecozone.assessment.rulebook import Rulebook, load_rulebook, load_rulebook_file, shipped_rulebook_ids
from ecozone.cli.context import CliState, set_language, state
from ecozone.errors import EcozoneError
from ecozone.i18n import translate
from ecozone.store.snapshot import ParkSnapshot
from ecozone.store.workspace import Workspace

MetricProvider = Callable[[Workspace, ParkSnapshot, date], Mapping[str, Measurement]]
METRIC_PROVIDERS: list[MetricProvider] = []
"""KPI providers (meters, GHG): each returns measured KPI values for a park and date.

The engine reads KPIs from a plain mapping; providers appended here (by the meters and GHG
integration) are called in order and their values take precedence over entered answers."""

ROADMAP_ROWS = 10
DEMO_REPORTS = "reports"
DEMO_ANSWERS = "answers"
DEMO_YEAR = 2024


def _both(key: str) -> str:
    return f"{translate(key, 'en')} / {translate(key, 'vi')}"


rulebook_app = typer.Typer(help=_both("assessment.cli.rulebook_help"), no_args_is_help=True)
assess_app = typer.Typer(help=_both("assessment.cli.assess_help"), invoke_without_command=True)
report_app = typer.Typer(help=_both("assessment.cli.report_help"), no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``rulebook``, ``assess`` and ``report`` command groups to ``app``."""
    app.add_typer(rulebook_app, name="rulebook")
    app.add_typer(assess_app, name="assess")
    app.add_typer(report_app, name="report")


# --------------------------------------------------------------------------- running an assessment


@dataclass(frozen=True)
class AssessmentRun:
    """An assessment with everything needed to print, store and report it."""

    result: AssessmentResult
    document: dict[str, Any]
    snapshot: ParkSnapshot
    run_id: int | None
    answer_set_id: int | None


def resolve_rulebook(name: str) -> Rulebook:
    """A shipped rulebook by id, or a user's rulebook file by path (``.yaml``/``.yml``)."""
    path = Path(name)
    if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
        return load_rulebook_file(path)
    return load_rulebook(name)


def assessment_date(year: int | None, today: date | None = None) -> date:
    """The last day of ``year`` (today if that is later than today); today without a year."""
    today = today or date.today()
    if year is None:
        return today
    return min(date(year, 12, 31), today)


def measured_metrics(workspace: Workspace, snapshot: ParkSnapshot, on: date) -> dict[str, Measurement]:
    """KPI values of every registered provider (earlier providers win)."""
    merged: dict[str, Measurement] = {}
    for provider in METRIC_PROVIDERS:
        for name, value in provider(workspace, snapshot, on).items():
            merged.setdefault(name, value)
    return merged


def _load_answers(
    workspace: Workspace, park_id: str, rulebook: Rulebook, answers_file: Path | None
) -> tuple[Answers | None, int | None]:
    from ecozone.store.assessment_store import latest_answers, save_answers

    if answers_file is not None:
        answers, content = read_answers_file(answers_file, rulebook)
        if answers.park_id is not None and answers.park_id != park_id:
            raise AssessmentError("assessment.answers.wrong_park", found=answers.park_id, expected=park_id)
        answer_set = save_answers(
            workspace,
            park_id=park_id,
            rulebook_id=rulebook.id,
            answered_by=answers.answered_by,
            answered_on=answers.answered_on,
            source_file=answers_file.name,
            content=content,
            is_synthetic=answers.synthetic,
        )
        return answers, answer_set
    stored = latest_answers(workspace, park_id, rulebook.id)
    if stored is None:
        return None, None
    return parse_answers(stored.content, rulebook, stored.source_file), stored.id


def run_assessment(
    workspace: Workspace,
    park_id: str,
    rulebook: Rulebook,
    *,
    answers_file: Path | None = None,
    year: int | None = None,
    store: bool = True,
) -> AssessmentRun:
    """Assess a stored park: load the snapshot, answers (given or last stored) and KPIs; assess; store.

    Parameters
    ----------
    workspace : Workspace
        The workspace holding the registry.
    park_id : str
        The park to assess.
    rulebook : Rulebook
        The rulebook.
    answers_file : Path, optional
        A filled questionnaire (stored before use); without it the park's last stored answers
        for this rulebook are used, if any.
    year : int, optional
        Assess at the end of this year.
    store : bool
        Store the run (rulebook version, inputs, result).
    """
    from ecozone.store.assessment_store import save_run
    from ecozone.store.registry_store import load_park

    snapshot = load_park(workspace, park_id)
    answers, answer_set_id = _load_answers(workspace, park_id, rulebook, answers_file)
    on = assessment_date(year)
    result = assess(rulebook, AssessmentInputs(snapshot, on, measured_metrics(workspace, snapshot, on), answers))
    roadmap = build_roadmap(result, snapshot)
    document = result_document(result, roadmap, {firm.id: firm.name for firm in snapshot.firms})
    run_id = save_run(workspace, document, answer_set_id) if store else None
    return AssessmentRun(result, document, snapshot, run_id, answer_set_id)


# --------------------------------------------------------------------------- printing


def print_result(console: Console, document: dict[str, Any], lang: str, roadmap_rows: int = ROADMAP_ROWS) -> None:
    """Print the scorecard, the gaps, the roadmap and the unverified thresholds of a result document."""
    t = translate
    park = document["park"]
    name = park["name_en"] if lang == "en" and park.get("name_en") else park["name_vi"]
    console.print(
        t(
            "assessment.cli.heading",
            lang,
            park=name,
            rulebook=text(document["rulebook"]["title"], lang),
            version=document["rulebook"]["version"],
            date=document["assessed_on"],
        ),
        highlight=False,
    )
    if park["is_synthetic"]:
        console.print(t("assessment.report.synthetic_park", lang), style="yellow", highlight=False)
    if document["inputs"]["answers"].get("synthetic"):
        console.print(t("assessment.report.synthetic_answers", lang), style="yellow", highlight=False)
    label = text(document["rulebook"].get("label"), lang)
    if label:
        console.print(label, style="yellow", highlight=False)
    _print_scores(console, document, lang)
    _print_gaps(console, document, lang)
    _print_roadmap(console, document, lang, roadmap_rows)
    unverified = document["unverified_thresholds"]
    if unverified:
        console.print(
            t(
                "assessment.cli.unverified",
                lang,
                count=len(unverified),
                ids=", ".join(dict.fromkeys(row["requirement_id"] for row in unverified)),
            ),
            highlight=False,
        )


def _print_scores(console: Console, document: dict[str, Any], lang: str) -> None:
    t = translate
    points = document["rulebook"]["scoring"] == "points"
    table = Table(title=t("assessment.report.heading.scorecard", lang))
    names = ["category", "met", "not_met", "not_enough_data", "not_applicable", "score", "coverage"] + (
        ["points"] if points else []
    )
    for index, column in enumerate(names):
        table.add_column(t(f"assessment.column.{column}", lang), justify="left" if index == 0 else "right")
    categories = document["scores"]["categories"]
    rows = [*categories, {**document["scores"]["overall"], "name": {"vi": "Tổng", "en": "Overall"}}]
    for index, score in enumerate(rows):
        cells = [
            text(score.get("name"), lang) or score["category"],
            str(score["met"]),
            str(score["not_met"]),
            str(score["not_enough_data"]),
            str(score["not_applicable"]),
            f"{number(score['score_pct'], lang)} %" if score["score_pct"] is not None else "–",
            f"{number(score['coverage_pct'], lang)} %" if score["coverage_pct"] is not None else "–",
        ]
        if points:
            cells.append(f"{number(score['points'], lang)}/{number(score['max_points'], lang)}")
        table.add_row(*cells, end_section=index == len(rows) - 2)
    console.print(table)
    overall = document["scores"]["overall"]
    console.print(
        t("assessment.report.summary.prerequisites", lang, met=overall["prerequisites_met"], total=overall["prerequisites"]),
        highlight=False,
    )


def _print_gaps(console: Console, document: dict[str, Any], lang: str) -> None:
    t = translate
    gaps = [r for r in document["requirements"] if r["verdict"] in ("not_met", "not_enough_data")]
    if not gaps:
        return
    table = Table(title=t("assessment.report.heading.gaps", lang))
    for column in ("requirement", "title", "verdict", "value", "evidence"):
        table.add_column(t(f"assessment.column.{column}", lang), overflow="fold")
    for requirement in gaps:
        outcome = requirement["outcome"]
        detail = "; ".join(requirement["missing"]) or t(f"assessment.reason.{outcome['reason']}", lang)
        table.add_row(
            requirement["id"] + (" ★" if requirement["prerequisite"] else ""),
            text(requirement["title"], lang),
            verdict(requirement["verdict"], lang),
            comparison(outcome, lang),
            detail,
        )
    console.print(table)


def _print_roadmap(console: Console, document: dict[str, Any], lang: str, rows: int) -> None:
    from ecozone.assessment.measures import measure_catalogue

    t = translate
    steps = document["roadmap"][:rows]
    if not steps:
        return
    measures = measure_catalogue()
    table = Table(title=t("assessment.cli.roadmap_title", lang, shown=len(steps), total=len(document["roadmap"])))
    for column in ("rank", "requirement", "action", "measures", "cost_effort", "firms"):
        table.add_column(t(f"assessment.column.{column}", lang), overflow="fold")
    for step in steps:
        names = "; ".join(measures[m].name(lang) for m in step["measures"] if m in measures) or "–"
        cost = t(f"assessment.cost.{step['cost_class']}", lang) if step["cost_class"] else "–"
        effort = (
            f"{number(step['effort_months'], lang, 0)} {t('assessment.text.months', lang)}"
            if step["effort_months"] is not None
            else "–"
        )
        firms = ", ".join(step["firms_to_talk_to"]) or "–"
        if step["firms_needed"]:
            firms = f"{t('assessment.report.firms_needed', lang, count=step['firms_needed'])}: {firms}"
        table.add_row(
            str(step["rank"]),
            step["requirement_id"],
            t(f"assessment.action.{step['action']}", lang),
            names,
            f"{cost} / {effort}",
            firms,
        )
    console.print(table)


# --------------------------------------------------------------------------- ecozone assess


@assess_app.callback()
def assess_command(
    ctx: typer.Context,
    park: Annotated[str | None, typer.Option("--park", help=_both("assessment.cli.option.park"))] = None,
    rulebook: Annotated[str | None, typer.Option("--rulebook", help=_both("assessment.cli.option.rulebook"))] = None,
    answers: Annotated[Path | None, typer.Option("--answers", help=_both("assessment.cli.option.answers"))] = None,
    year: Annotated[int | None, typer.Option("--year", help=_both("assessment.cli.option.year"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_both("assessment.cli.option.json"))] = False,
    report: Annotated[Path | None, typer.Option("--report", help=_both("assessment.cli.option.report"))] = None,
    lang: Annotated[str | None, typer.Option("--lang", help=_both("assessment.cli.option.lang"))] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help=_both("assessment.cli.option.no_store"))] = False,
) -> None:
    """Assess a park against a rulebook: scorecard, gaps, roadmap; stored with its inputs."""
    if ctx.invoked_subcommand is not None:
        return
    cli = state(ctx)
    if lang is not None:
        cli.lang = set_language(lang)
    if park is None or rulebook is None:
        raise AssessmentError("assessment.cli.park_and_rulebook")
    run = run_assessment(
        cli.open_workspace(), park, resolve_rulebook(rulebook), answers_file=answers, year=year, store=not no_store
    )
    console = Console(stderr=as_json)
    if as_json:
        typer.echo(json.dumps(run.document, ensure_ascii=False, indent=2, default=str))
    else:
        print_result(console, run.document, cli.lang)
    if run.run_id is not None:
        console.print(cli.t("assessment.cli.stored", run=run.run_id), highlight=False)
    if report is not None:
        from ecozone.assessment.reports import write_report

        written = write_report(run.document, report, cli.lang)
        console.print(cli.t("assessment.cli.report_written", path=str(written)), highlight=False)


@assess_app.command("questionnaire", help=_both("assessment.cli.questionnaire_help"))
def questionnaire_command(
    ctx: typer.Context,
    rulebook: Annotated[str, typer.Option("--rulebook", help=_both("assessment.cli.option.rulebook"))],
    park: Annotated[str | None, typer.Option("--park", help=_both("assessment.cli.option.questionnaire_park"))] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help=_both("assessment.cli.option.xlsx"))] = None,
) -> None:
    """Write the blank bilingual questionnaire of a rulebook (YAML to stdout, or XLSX)."""
    cli = state(ctx)
    book = resolve_rulebook(rulebook)
    snapshot = None
    if park is not None:
        from ecozone.store.registry_store import load_park

        snapshot = load_park(cli.open_workspace(), park)
    if xlsx is not None:
        written = questionnaire_xlsx(book, xlsx, snapshot)
        Console(stderr=True).print(cli.t("assessment.cli.questionnaire_written", path=str(written)), highlight=False)
        return
    typer.echo(questionnaire_yaml(book, snapshot), nl=False)


@assess_app.command("diff", help=_both("assessment.cli.diff_help"))
def diff_command(
    ctx: typer.Context,
    park: Annotated[str, typer.Option("--park", help=_both("assessment.cli.option.park"))],
    rulebook: Annotated[str, typer.Option("--rulebook", help=_both("assessment.cli.option.rulebook"))],
    as_json: Annotated[bool, typer.Option("--json", help=_both("assessment.cli.option.json"))] = False,
) -> None:
    """Compare the last stored assessment of a park with the one before."""
    from ecozone.store.assessment_store import list_runs

    cli = state(ctx)
    runs = list_runs(cli.open_workspace(), park, rulebook)
    if len(runs) < 2:
        raise AssessmentError("assessment.cli.diff_needs_two", park=park, rulebook=rulebook, count=len(runs))
    previous, current = runs[-2], runs[-1]
    result = compare_documents(previous.document, current.document)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "previous_run": previous.id,
                    "current_run": current.id,
                    "previous_date": result.previous_date,
                    "current_date": result.current_date,
                    "rulebook_changed": result.rulebook_changed,
                    "scores": [
                        {"category": s.category, "before": s.before, "after": s.after, "delta": s.delta} for s in result.scores
                    ],
                    "changes": [vars(change) for change in result.changes],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    names = {c["category"]: text(c.get("name"), cli.lang) for c in current.document["scores"]["categories"]}
    _print_diff(Console(), result, previous.id, current.id, cli.lang, names)


def _print_diff(console: Console, result: Any, previous_id: int, current_id: int, lang: str, names: dict[str, str]) -> None:
    t = translate
    console.print(
        t(
            "assessment.cli.diff_heading",
            lang,
            previous=previous_id,
            current=current_id,
            before=result.previous_date,
            after=result.current_date,
        ),
        highlight=False,
    )
    if result.rulebook_changed:
        console.print(t("assessment.cli.diff_rulebook_changed", lang), style="yellow", highlight=False)
    scores = Table(title=t("assessment.report.heading.scorecard", lang))
    for column in ("category", "before", "after", "change"):
        scores.add_column(t(f"assessment.column.{column}", lang), justify="left" if column == "category" else "right")
    for score in result.scores:
        delta = score.delta
        scores.add_row(
            names.get(score.category) or translate("assessment.text.overall", lang),
            number(score.before, lang),
            number(score.after, lang),
            "–" if delta is None else f"{'+' if delta > 0 else ''}{number(delta, lang)}",
        )
    console.print(scores)
    if not result.changes:
        console.print(t("assessment.cli.diff_no_change", lang), highlight=False)
        return
    changes = Table(title=t("assessment.cli.diff_changes", lang, count=len(result.changes)))
    for column in ("requirement", "before", "after"):
        changes.add_column(t(f"assessment.column.{column}", lang))
    for change in result.changes:
        before = verdict(change.before, lang) if change.before else "–"
        after = verdict(change.after, lang) if change.after else "–"
        if change.value_before is not None or change.value_after is not None:
            before += f" ({number(change.value_before, lang)})"
            after += f" ({number(change.value_after, lang)})"
        changes.add_row(change.requirement_id, before, after)
    console.print(changes)


# --------------------------------------------------------------------------- ecozone rulebook


@rulebook_app.command("list", help=_both("assessment.cli.list_help"))
def list_command(ctx: typer.Context) -> None:
    """List the shipped rulebooks."""
    cli = state(ctx)
    table = Table(title=cli.t("assessment.cli.list_title"))
    for column in ("id", "title", "version", "scope", "count", "unverified"):
        table.add_column(cli.t(f"assessment.column.{column}"), overflow="fold", no_wrap=column == "id")
    for rulebook_id in shipped_rulebook_ids():
        book = load_rulebook(rulebook_id)
        table.add_row(
            book.id,
            book.title.get(cli.lang),
            book.version,
            book.scope,
            str(len(book.requirements)),
            str(len(book.unverified_thresholds())),
        )
    Console().print(table)


@rulebook_app.command("show", help=_both("assessment.cli.show_help"))
def show_command(
    ctx: typer.Context, rulebook_id: Annotated[str, typer.Argument(help=_both("assessment.cli.option.rulebook"))]
) -> None:
    """Show a rulebook's requirements with their checks, thresholds and sources."""
    cli = state(ctx)
    book = resolve_rulebook(rulebook_id)
    console = Console()
    lang = cli.lang
    console.print(f"[bold]{book.title.get(lang)}[/] ({book.id} {book.version})", highlight=False)
    console.print(f"{book.framework.name.get(lang)} — {book.framework.edition} — {book.framework.publisher}", highlight=False)
    console.print(book.framework.source, highlight=False)
    if book.label is not None:
        console.print(book.label.get(lang), style="yellow", highlight=False)
    for category in book.categories:
        table = Table(title=category.name.get(lang))
        for column in ("id", "prerequisite", "title", "check", "threshold", "status", "source"):
            table.add_column(cli.t(f"assessment.column.{column}"), overflow="fold")
        for requirement in (r for r in book.requirements if r.category == category.id):
            threshold = requirement.threshold
            limit = (
                "–"
                if threshold is None
                else f"{_operator(requirement)} {number(threshold.value, lang)} {threshold.unit} ({threshold.status})"
            )
            table.add_row(
                requirement.id,
                "★" if requirement.prerequisite else "",
                requirement.title.get(lang),
                requirement.check.kind,
                limit,
                requirement.status,
                requirement.source.citation(),
            )
        console.print(table)
    if book.notes is not None:
        console.print(book.notes.get(lang), highlight=False)


def _operator(requirement: Any) -> str:
    operator = getattr(requirement.check, "operator", None)
    if requirement.check.kind in ("evidence", "deadline"):
        operator = "<="
    return {">=": "≥", "<=": "≤"}.get(operator or "", operator or "")


@rulebook_app.command("check", help=_both("assessment.cli.check_help"))
def check_command(ctx: typer.Context, file: Annotated[Path, typer.Argument(help=_both("assessment.cli.option.file"))]) -> None:
    """Lint a rulebook file: every problem with its line; exit status 2 on errors."""
    from ecozone.assessment.errors import RulebookError

    cli = state(ctx)
    if not file.is_file():
        raise AssessmentError("assessment.cli.no_file", file=str(file))
    problems = lint_rulebook(file.read_text(encoding="utf-8-sig"), str(file))
    if any(problem.severity == "error" for problem in problems):
        raise RulebookError(problems, file=str(file))
    console = Console()
    for problem in problems:
        console.print(problem.render(cli.lang), highlight=False, markup=False)
    book = load_rulebook_file(file)
    console.print(
        cli.t(
            "assessment.rulebook.valid",
            file=str(file),
            requirements=len(book.requirements),
            questions=len(book.questions),
            warnings=len(problems),
        ),
        highlight=False,
    )


# --------------------------------------------------------------------------- ecozone report form-a5


@report_app.command("form-a5", help=_both("assessment.cli.form_a5_help"))
def form_a5_command(
    ctx: typer.Context,
    park: Annotated[str, typer.Option("--park", help=_both("assessment.cli.option.park"))],
    year: Annotated[int, typer.Option("--year", help=_both("assessment.cli.option.year"))],
    answers: Annotated[Path | None, typer.Option("--answers", help=_both("assessment.cli.option.answers"))] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_both("assessment.cli.option.output"))] = None,
) -> None:
    """Fill form A.5 (Decree 35/2022, 18 park indicators) from the data and the questionnaire, as DOCX in Vietnamese."""
    from ecozone.assessment.forms import write_form_a5

    cli = state(ctx)
    run = run_assessment(cli.open_workspace(), park, load_rulebook("vn-decree-35-2022"), answers_file=answers, year=year)
    path = output or Path(f"form-a5-{park}-{year}.docx")
    written = write_form_a5(run.document, path, year, run.snapshot.park.developer)
    Console().print(cli.t("assessment.cli.report_written", path=str(written)), highlight=False)


# --------------------------------------------------------------------------- ecozone report form-b5 / form-a4

FORM_RULEBOOK = "vn-decree-35-2022"
SAVINGS_CONFIDENCE = 0.9
MISSING_LISTED = 12


def form_inputs(
    workspace: Workspace, park_id: str, answers_file: Path | None, year: int, *, with_metrics: bool = True
) -> tuple[Rulebook, AssessmentInputs]:
    """The Decree 35 rulebook and what forms B5 and A.4 read: snapshot, end of ``year``, measured KPIs, answers.

    The answers are those of ``answers_file`` (validated, then stored with who answered and when)
    or the park's last stored answers for ``vn-decree-35-2022``.
    """
    from ecozone.store.registry_store import load_park

    rulebook = load_rulebook(FORM_RULEBOOK)
    snapshot = load_park(workspace, park_id)
    answers, _ = _load_answers(workspace, park_id, rulebook, answers_file)
    on = assessment_date(year)
    metrics = measured_metrics(workspace, snapshot, on) if with_metrics else {}
    return rulebook, AssessmentInputs(snapshot, on, metrics, answers)


def measured_savings(workspace: Workspace, snapshot: ParkSnapshot, year: int) -> MeasuredSavings | None:
    """Electricity savings of the park's meters with a stored baseline over ``year`` (after each baseline).

    Returns
    -------
    MeasuredSavings or None
        Summed over the meters whose savings could be computed and are not disqualified; None
        when no electricity meter of the park has a usable baseline (``ecozone baseline fit``).
    """
    from datetime import timedelta

    from ecozone.baselines.observations import Period
    from ecozone.baselines.savings import aggregate_uncertainty, avoided_energy
    from ecozone.cli.baselines import Inputs, observations
    from ecozone.store.baselines_store import load_model, stored_meters
    from ecozone.store.snapshot import RegistrySnapshot

    electricity = {meter.id: meter for meter in snapshot.meters if meter.carrier == "electricity"}
    registry = RegistrySnapshot((snapshot,))
    results = []
    for meter_id in (meter for meter in stored_meters(workspace) if meter in electricity):
        try:
            model, context = load_model(workspace, meter_id)
            period = Period(max(date(year, 1, 1), model.baseline.end + timedelta(days=1)), date(year, 12, 31))
            if period.start > period.end or context.get("carrier", "electricity") != "electricity":
                continue
            table, _ = observations(
                workspace, registry, [electricity[meter_id]], period, Inputs.from_context(context, None, None)
            )
            result = avoided_energy(model, table.drop(columns="meter_id"), reporting=period)
        except EcozoneError:
            continue
        if not result.is_disqualified and result.energy_unit == "kWh":
            results.append(result)
    if not results:
        return None
    try:
        uncertainty: float | None = aggregate_uncertainty(results, SAVINGS_CONFIDENCE)
    except KeyError:
        uncertainty = None
    return MeasuredSavings(
        savings_kwh=float(sum(r.savings for r in results)),
        counterfactual_kwh=float(sum(r.counterfactual_total for r in results)),
        uncertainty_90_kwh=uncertainty,
        meters=tuple(r.meter_id for r in results),
        start=min(r.reporting.start for r in results),
        end=max(r.reporting.end for r in results),
    )


def symbiosis_potential(workspace: Workspace, park_id: str) -> SymbiosisPotential | None:
    """The optimised exchange network of the park's stored stream catalogue (None without streams)."""
    from dataclasses import asdict

    from ecozone.cli.symbiosis import load_park_streams, run_match
    from ecozone.symbiosis.knowledge import knowledge_base
    from ecozone.symbiosis.metrics import programme_metrics
    from ecozone.symbiosis.model import build_problem, optimise
    from ecozone.symbiosis.taxonomy import stream_class

    try:
        streams = load_park_streams(workspace, park_id)
        kb = knowledge_base()
        solution = optimise(build_problem(run_match(streams, kb).candidates, kb))
    except EcozoneError:
        return None
    labels = streams.labels
    exchanges = tuple(
        PotentialExchange(
            labels.get(e.arc.supplier, e.arc.supplier),
            labels.get(e.arc.receiver, e.arc.receiver),
            e.flow,
            stream_class(e.arc.output_class).unit,
            e.tco2e,
            e.benefit_vnd,
        )
        for e in solution.exchanges
    )
    metrics = {name: float(value) for name, value in asdict(programme_metrics(solution.exchanges, streams.owner_kinds)).items()}
    return SymbiosisPotential(solution.status, exchanges, metrics)


@report_app.command("form-b5", help=_both("forms.cli.form_b5_help"))
def form_b5_command(
    ctx: typer.Context,
    park: Annotated[str, typer.Option("--park", help=_both("assessment.cli.option.park"))],
    year: Annotated[int, typer.Option("--year", help=_both("assessment.cli.option.year"))],
    firm: Annotated[str | None, typer.Option("--firm", help=_both("forms.cli.option.firm"))] = None,
    answers: Annotated[Path | None, typer.Option("--answers", help=_both("assessment.cli.option.answers"))] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_both("assessment.cli.option.output"))] = None,
) -> None:
    """Fill form B5 (Decree 35/2022, 5 enterprise indicators) for a park or one of its firms, as DOCX in Vietnamese."""
    from ecozone.assessment.forms import UNVERIFIED_MARK
    from ecozone.assessment.forms_b5_a4 import firm_scope, form_b5, write_form_b5

    cli = state(ctx)
    workspace = cli.open_workspace()
    rulebook, inputs = form_inputs(workspace, park, answers, year)
    firm_metrics = None
    if firm is not None:
        firm_metrics = measured_metrics(workspace, firm_scope(inputs.snapshot, firm), inputs.assessed_on)
    form = form_b5(rulebook, inputs, year, firm, firm_metrics)
    name = f"form-b5-{park}-{firm}-{year}.docx" if firm else f"form-b5-{park}-{year}.docx"
    written = write_form_b5(form, output or Path(name))
    console = Console()
    console.print(cli.t("assessment.cli.report_written", path=str(written)), highlight=False)
    console.print(cli.t("forms.b5.layout_note"), style="yellow", highlight=False)
    unverified = [row.code for row in form.rows if row.threshold is not None and row.threshold.status != "verified"]
    if unverified:
        console.print(
            cli.t("forms.cli.unverified", count=len(unverified), codes=", ".join(unverified), mark=UNVERIFIED_MARK),
            highlight=False,
        )
    if form.missing_count:
        console.print(cli.t("forms.cli.b5_missing", count=form.missing_count), style="yellow", highlight=False)


@report_app.command("form-a4", help=_both("forms.cli.form_a4_help"))
def form_a4_command(
    ctx: typer.Context,
    park: Annotated[str, typer.Option("--park", help=_both("assessment.cli.option.park"))],
    year: Annotated[int, typer.Option("--year", help=_both("forms.cli.option.a4_year"))],
    answers: Annotated[Path | None, typer.Option("--answers", help=_both("assessment.cli.option.answers"))] = None,
    data: Annotated[Path | None, typer.Option("--data", help=_both("forms.cli.option.data"))] = None,
    template: Annotated[Path | None, typer.Option("--template", help=_both("forms.cli.option.template"))] = None,
    potential: Annotated[bool, typer.Option("--potential/--no-potential", help=_both("forms.cli.option.potential"))] = True,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_both("assessment.cli.option.output"))] = None,
) -> None:
    """Fill form A.4 (Decree 35/2022, yearly EIP monitoring report) from the data, the answers and an A.4 data file."""
    from ecozone.assessment.forms_b5_a4 import a4_template, form_a4, parse_a4_data, write_form_a4

    cli = state(ctx)
    console = Console()
    if template is not None:
        template.parent.mkdir(parents=True, exist_ok=True)
        template.write_text(a4_template(park, year), encoding="utf-8")
        console.print(cli.t("forms.cli.template_written", path=str(template)), highlight=False)
        return
    workspace = cli.open_workspace()
    rulebook, inputs = form_inputs(workspace, park, answers, year, with_metrics=False)
    entered = None
    if data is not None:
        if not data.is_file():
            raise AssessmentError("assessment.cli.no_file", file=str(data))
        entered = parse_a4_data(data.read_text(encoding="utf-8-sig"), park, year, str(data))
    savings = measured_savings(workspace, inputs.snapshot, year)
    network = symbiosis_potential(workspace, park) if potential else None
    form = form_a4(rulebook, inputs, year, entered, savings, network)
    written = write_form_a4(form, output or Path(f"form-a4-{park}-{year}.docx"))
    console.print(cli.t("assessment.cli.report_written", path=str(written)), highlight=False)
    console.print(cli.t("forms.a4.layout_note"), style="yellow", highlight=False)
    if savings is not None:
        console.print(
            cli.t("forms.cli.savings_used", kwh=number(savings.savings_kwh, cli.lang, 0), meters=len(savings.meters)),
            highlight=False,
        )
    if network is not None:
        console.print(cli.t("forms.cli.potential_used", links=len(network.exchanges)), highlight=False)
    missing = form.missing_fields
    if missing:
        codes = ", ".join(missing[:MISSING_LISTED]) + (", …" if len(missing) > MISSING_LISTED else "")
        console.print(cli.t("forms.cli.a4_missing", count=len(missing), codes=codes), style="yellow", highlight=False)


# --------------------------------------------------------------------------- demo


def demo_step(cli: CliState, workspace: Workspace, console: Console) -> None:
    """Assess the demo park against every shipped rulebook with SYNTHETIC answers; write HTML reports."""
    from ecozone.assessment.reports import write_report
    from ecozone.assessment.synthetic import synthetic_answers
    from ecozone.demo.registry import DEMO_PARK_ID
    from ecozone.store.registry_store import load_park

    snapshot = load_park(workspace, DEMO_PARK_ID)
    answers_folder = workspace.path / DEMO_ANSWERS
    reports = workspace.path / DEMO_REPORTS
    answers_folder.mkdir(parents=True, exist_ok=True)
    table = Table(title=cli.t("assessment.cli.demo_title", year=DEMO_YEAR))
    for column in ("id", "met", "not_met", "not_enough_data", "score", "coverage"):
        table.add_column(cli.t(f"assessment.column.{column}"), justify="left" if column == "id" else "right")
    written = []
    for rulebook_id in shipped_rulebook_ids():
        book = load_rulebook(rulebook_id)
        answers_file = answers_folder / f"{rulebook_id}-synthetic.yaml"
        answers_file.write_text(synthetic_answers(book, snapshot, assessment_date(DEMO_YEAR)), encoding="utf-8")
        try:
            run = run_assessment(workspace, DEMO_PARK_ID, book, answers_file=answers_file, year=DEMO_YEAR)
        except EcozoneError as error:
            console.print(f"{rulebook_id}: {error.message(cli.lang)}", style="red", highlight=False)
            continue
        overall = run.document["scores"]["overall"]
        table.add_row(
            rulebook_id,
            str(overall["met"]),
            str(overall["not_met"]),
            str(overall["not_enough_data"]),
            f"{number(overall['score_pct'], cli.lang)} %",
            f"{number(overall['coverage_pct'], cli.lang)} %",
        )
        written.append(write_report(run.document, reports / f"assessment-{rulebook_id}.html", cli.lang))
    console.print(table)
    console.print(cli.t("assessment.report.synthetic_answers"), style="yellow", highlight=False)
    for path in written:
        console.print(cli.t("assessment.cli.report_written", path=str(path)), highlight=False)
