"""Green projects: records, validation of imported tables, derived figures and the lender view.

A project belongs to a park (and optionally one of its firms) and has a capital cost
[VND], expected net savings [VND/yr], emissions abated [tCO2e/yr], an economic lifetime
[yr], a Green Taxonomy group (``data/taxonomy_groups.csv``, the seven groups of Appendix I
of Decision 21/2025/QĐ-TTg as summarised by a law firm, plus ``unclassified``) and a status
(:data:`PROJECT_STATUSES`). Derived figures, never stored:

- lifetime abatement [tCO2e] = abated per year × lifetime;
- abatement per investment [tCO2e per billion VND] = lifetime abatement / capex × 1e9;
- simple payback [yr] = capex / annual savings;
- internal rate of return [%]: the rate r at which ``-capex + savings × (1 - (1 + r)^-n) / r``
  is zero, i.e. level savings over the lifetime and no residual value, found by bisection.

Import columns (English names, one project a row): ``id, title, park_id, firm_id,
taxonomy_category, status, capex_vnd, annual_savings_vnd, abated_tco2e_per_year,
lifetime_years, proposed_by, description, source, is_synthetic``; the derived columns of an
export are accepted and ignored.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ecozone.errors import ImportValidationError, ReferenceDataError
from ecozone.registry.files import RawTable, read_table, write_table
from ecozone.registry.validation import Problem

PROJECT_STATUSES = ("idea", "feasibility", "seeking_finance", "financed", "operating")
PROPOSERS = ("decarbonisation", "park", "firm")
TAXONOMY_FILE = "taxonomy_groups.csv"
TAXONOMY_COLUMNS = ("code", "name_vi", "name_en", "note", "source", "edition", "status")
REQUIRED_COLUMNS = ("id", "title", "park_id", "taxonomy_category", "status", "capex_vnd")
SORT_KEYS = ("abatement", "irr", "capex", "payback")
BILLION = 1e9
IRR_BRACKET = (-0.99, 10.0)
IRR_TOLERANCE = 1e-9
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class TaxonomyGroup:
    """A Green Taxonomy group with its provenance."""

    code: str
    name_vi: str
    name_en: str
    note: str
    source: str
    edition: str
    status: str

    def name(self, lang: str) -> str:
        """Return the group's name in ``lang``."""
        return self.name_vi if lang.startswith("vi") else self.name_en


@cache
def taxonomy_groups() -> dict[str, TaxonomyGroup]:
    """Return the shipped Green Taxonomy groups by code."""
    text = resources.files("ecozone.projects.data").joinpath(TAXONOMY_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    missing = [column for column in TAXONOMY_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ReferenceDataError("projects.taxonomy_columns", file=TAXONOMY_FILE, missing=", ".join(missing))
    return {row["code"]: TaxonomyGroup(**row) for row in reader}


def project_irr(capex_vnd: float, annual_savings_vnd: float, lifetime_years: int) -> float | None:
    """Internal rate of return of level annual savings over a lifetime, no residual value.

    Parameters
    ----------
    capex_vnd : float
        Investment at year 0 [VND], positive.
    annual_savings_vnd : float
        Net savings at the end of each year [VND/yr].
    lifetime_years : int
        Number of years of savings [yr].

    Returns
    -------
    float or None
        IRR [-] (0.12 for 12 %/yr); None when savings are not positive or the rate lies
        outside [-99 %, 1000 %].
    """
    if capex_vnd <= 0 or annual_savings_vnd <= 0 or lifetime_years < 1:
        return None

    def npv(rate: float) -> float:
        if abs(rate) < 1e-12:
            return -capex_vnd + annual_savings_vnd * lifetime_years
        return -capex_vnd + annual_savings_vnd * (1 - (1 + rate) ** -lifetime_years) / rate

    low, high = IRR_BRACKET
    if npv(low) < 0 or npv(high) > 0:
        return None
    while high - low > IRR_TOLERANCE:
        middle = (low + high) / 2
        if npv(middle) > 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2


@dataclass(frozen=True)
class GreenProject:
    """A green project offered to lenders (units in the module docstring)."""

    id: str
    title: str
    park_id: str
    taxonomy_category: str
    status: str
    capex_vnd: float
    firm_id: str | None = None
    annual_savings_vnd: float | None = None
    abated_tco2e_per_year: float | None = None
    lifetime_years: int | None = None
    proposed_by: str | None = None
    description: str | None = None
    source: str | None = None
    is_synthetic: bool = False

    @property
    def lifetime_abatement_tco2e(self) -> float | None:
        """Emissions abated over the lifetime [tCO2e]."""
        if self.abated_tco2e_per_year is None or self.lifetime_years is None:
            return None
        return self.abated_tco2e_per_year * self.lifetime_years

    @property
    def abatement_t_per_billion_vnd(self) -> float | None:
        """Lifetime abatement per billion VND invested [tCO2e/1e9 VND]."""
        lifetime = self.lifetime_abatement_tco2e
        return None if lifetime is None or self.capex_vnd <= 0 else lifetime / self.capex_vnd * BILLION

    @property
    def simple_payback_years(self) -> float | None:
        """Capex over annual savings [yr]."""
        if not self.annual_savings_vnd or self.annual_savings_vnd <= 0:
            return None
        return self.capex_vnd / self.annual_savings_vnd

    @property
    def irr_pct(self) -> float | None:
        """Internal rate of return [%/yr] (see :func:`project_irr`)."""
        if self.annual_savings_vnd is None or self.lifetime_years is None:
            return None
        rate = project_irr(self.capex_vnd, self.annual_savings_vnd, self.lifetime_years)
        return None if rate is None else 100 * rate


PROJECT_COLUMNS = tuple(item.name for item in fields(GreenProject))
DERIVED_COLUMNS = ("lifetime_abatement_tco2e", "abatement_t_per_billion_vnd", "simple_payback_years", "irr_pct")
_FLOAT_COLUMNS = ("capex_vnd", "annual_savings_vnd", "abated_tco2e_per_year")


def _code(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().casefold())


class _RowReader:
    """Converts one raw row, collecting problems."""

    def __init__(self, table: RawTable, index: int) -> None:
        self.table = table
        self.row = table.rows[index]
        self.number = table.row_numbers[index]
        self.problems: list[Problem] = []

    def problem(self, column: str, key: str, **params: Any) -> None:
        value = self.row.get(column)
        self.problems.append(Problem(self.table.file_name, self.number, column, "" if value is None else str(value), key, params))

    def text(self, column: str) -> str | None:
        value = self.row.get(column)
        return None if value is None else str(value).strip() or None

    def number_value(self, column: str, *, integer: bool = False) -> float | None:
        value = self.row.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            self.problem(column, "projects.problem.not_a_number")
            return None
        if not math.isfinite(number) or number < 0:
            self.problem(column, "projects.problem.negative")
            return None
        if integer and not number.is_integer():
            self.problem(column, "projects.problem.not_integer")
            return None
        return number

    def choice(self, column: str, allowed: Iterable[str]) -> str | None:
        text = self.text(column)
        if text is None:
            return None
        code = _code(text)
        known = tuple(allowed)
        if code not in known:
            self.problem(column, "projects.problem.unknown_code", known=", ".join(known))
            return None
        return code


def _project(reader: _RowReader) -> GreenProject | None:
    for column in REQUIRED_COLUMNS:
        if reader.text(column) is None:
            reader.problem(column, "projects.problem.required")
    identifier = reader.text("id")
    if identifier is not None and not ID_PATTERN.fullmatch(identifier):
        reader.problem("id", "projects.problem.bad_id")
    category = reader.choice("taxonomy_category", taxonomy_groups())
    status = reader.choice("status", PROJECT_STATUSES)
    proposer = reader.choice("proposed_by", PROPOSERS)
    numbers = {column: reader.number_value(column) for column in _FLOAT_COLUMNS}
    lifetime = reader.number_value("lifetime_years", integer=True)
    if numbers["capex_vnd"] == 0:
        reader.problem("capex_vnd", "projects.problem.not_positive")
    synthetic = _code(reader.text("is_synthetic") or "false") in ("true", "1", "yes", "co")
    if reader.problems:
        return None
    assert identifier is not None and category is not None and status is not None and numbers["capex_vnd"] is not None
    return GreenProject(
        id=identifier,
        title=str(reader.text("title")),
        park_id=str(reader.text("park_id")),
        firm_id=reader.text("firm_id"),
        taxonomy_category=category,
        status=status,
        capex_vnd=numbers["capex_vnd"],
        annual_savings_vnd=numbers["annual_savings_vnd"],
        abated_tco2e_per_year=numbers["abated_tco2e_per_year"],
        lifetime_years=None if lifetime is None else int(lifetime),
        proposed_by=proposer,
        description=reader.text("description"),
        source=reader.text("source"),
        is_synthetic=synthetic,
    )


def projects_from_table(table: RawTable) -> tuple[list[GreenProject], list[Problem]]:
    """Convert and validate the rows of a project table.

    Returns
    -------
    tuple
        The valid projects and every problem found (unknown columns, missing values, bad
        numbers, unknown codes, duplicate ids).
    """
    problems = [
        Problem(table.file_name, 1, column, column, "projects.problem.unknown_column", {"known": ", ".join(PROJECT_COLUMNS)})
        for column in table.columns
        if column not in PROJECT_COLUMNS and column not in DERIVED_COLUMNS
    ]
    projects: list[GreenProject] = []
    seen: set[str] = set()
    for index in range(len(table.rows)):
        reader = _RowReader(table, index)
        project = _project(reader)
        problems.extend(reader.problems)
        if project is None:
            continue
        if project.id in seen:
            problems.append(Problem(table.file_name, reader.number, "id", project.id, "projects.problem.duplicate_id", {}))
            continue
        seen.add(project.id)
        projects.append(project)
    return projects, problems


def read_projects(path: Path) -> list[GreenProject]:
    """Read and validate projects from a CSV or XLSX file (sheet ``projects`` or the first one).

    Raises
    ------
    ImportValidationError
        With every problem found; nothing is returned then.
    """
    table = read_table(path, "project")
    projects, problems = projects_from_table(table)
    if problems:
        raise ImportValidationError(problems, file=table.file_name)
    return projects


def _sort_key(sort_by: str) -> Any:
    def missing_last(value: float | None, descending: bool) -> tuple[bool, float]:
        if value is None:
            return (True, 0.0)
        return (False, -value if descending else value)

    keys = {
        "abatement": lambda p: missing_last(p.abatement_t_per_billion_vnd, True),
        "irr": lambda p: missing_last(p.irr_pct, True),
        "capex": lambda p: missing_last(p.capex_vnd, False),
        "payback": lambda p: missing_last(p.simple_payback_years, False),
    }
    return keys[sort_by]


def lender_view(
    projects: Iterable[GreenProject],
    *,
    categories: Sequence[str] = (),
    statuses: Sequence[str] = (),
    park_id: str | None = None,
    min_irr_pct: float | None = None,
    sort_by: str = "abatement",
) -> list[GreenProject]:
    """Filter and rank projects for a lender.

    Parameters
    ----------
    projects : iterable of GreenProject
        Candidate projects.
    categories, statuses : sequence of str
        Keep only these taxonomy groups / statuses (all when empty).
    park_id : str, optional
        Keep only this park's projects.
    min_irr_pct : float, optional
        Keep only projects whose IRR is at least this [%/yr] (projects without IRR are dropped).
    sort_by : str
        ``abatement`` (tCO2e per billion VND, highest first), ``irr`` (highest first),
        ``capex`` (smallest first) or ``payback`` (shortest first); missing values last,
        ties by id.
    """
    chosen = [
        project
        for project in projects
        if (not categories or project.taxonomy_category in categories)
        and (not statuses or project.status in statuses)
        and (park_id is None or project.park_id == park_id)
        and (min_irr_pct is None or (project.irr_pct is not None and project.irr_pct >= min_irr_pct))
    ]
    key = _sort_key(sort_by)
    return sorted(sorted(chosen, key=lambda p: p.id), key=key)


DEMO_FILE = "demo_projects.yaml"


def demo_projects() -> list[GreenProject]:
    """Return the illustrative green projects of the synthetic demo park (``data/demo_projects.yaml``).

    They go through the same validation as an imported file and are marked synthetic.
    """
    import yaml

    text = resources.files("ecozone.projects.data").joinpath(DEMO_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    rows = [{**row, "source": data["source"], "is_synthetic": True} for row in data["projects"]]
    projects, problems = projects_from_table(RawTable.from_records(DEMO_FILE, rows))
    if problems:
        raise ImportValidationError(problems, file=DEMO_FILE)
    return projects


def project_row(project: GreenProject) -> dict[str, Any]:
    """Return a project as one flat row: stored columns then derived figures."""
    row = {column: getattr(project, column) for column in PROJECT_COLUMNS}
    row.update({column: getattr(project, column) for column in DERIVED_COLUMNS})
    return row


def write_projects(path: Path, projects: Sequence[GreenProject]) -> Path:
    """Write projects with their derived figures to CSV or XLSX (sheet ``projects``).

    The stored columns come first; the derived columns follow and are ignored (recomputed)
    when the file is imported again, so an export round-trips.
    """
    write_table(path, "projects", (*PROJECT_COLUMNS, *DERIVED_COLUMNS), [project_row(project) for project in projects])
    return path
