"""Form A.4: the field catalogue and the data file for what only the park's investor knows.

``form_a4_fields.yaml`` lists the fields of form A.4 in the form's order (codes, labels, types,
units, which may be entered, sums, shares and CO2 conversions). :func:`parse_a4_data` reads an
A.4 data file — counts of RECP solutions, costs saved, planned symbiosis... — and checks it as a
whole, raising :class:`FormDataError` with every problem and its line; :func:`a4_template`
writes a blank one. Registry, questionnaire and measured data take precedence over its values
(see :mod:`ecozone.assessment.form_a4`).

Data file (YAML)::

    form: A.4
    park: demo
    year: 2024
    answered_by: Phòng Môi trường
    answered_on: 2025-01-20
    values:
      land_transport_ha: 45.5
      recp_electricity_cost_mvnd: {value: 350, reference: "Báo cáo kiểm toán năng lượng 2024"}
      recp_water_saved_m3: {value: 12.5, unit: kL}
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecozone.assessment.answers import ScalarReader
from ecozone.assessment.errors import AssessmentError, Problem, ProblemsError
from ecozone.assessment.forms import FormValue, Message, ValueSource
from ecozone.assessment.located_yaml import LocatedDocument, load_located
from ecozone.assessment.located_yaml import Path as YamlPath
from ecozone.units import UnitError, conversion_factor

FIELDS_FILE = "form_a4_fields.yaml"
DECIMALS = {"ha": 2, "%": 1, "kWh": 0, "t": 1, "m3": 0, "million VND": 1}
A4_DATA_KEYS = ("form", "park", "year", "answered_by", "answered_on", "organisation", "note", "synthetic", "values")
VALUE_KEYS = ("value", "unit", "reference")


class FormDataError(ProblemsError):
    """An A.4 data file failed validation; every problem is listed with its line."""

    def __init__(self, problems: list[Problem], **params: Any) -> None:
        super().__init__("forms.a4_data.invalid", problems, **params)


@dataclass(frozen=True)
class A4Field:
    """A field of form A.4 (see ``form_a4_fields.yaml`` for the meaning of each attribute)."""

    key: str
    code: str
    part: str
    type: str
    label_vi: str
    label_en: str
    unit: str = ""
    input: bool = False
    order: str = "data_first"
    sum_of: tuple[str, ...] = ()
    share_of: tuple[str, ...] = ()
    co2_from: str | None = None

    def label(self, lang: str) -> str:
        """The field's label in ``lang``."""
        return self.label_vi if lang == "vi" else self.label_en

    @property
    def ref(self) -> str:
        """The code with its part, unique over the form: ``I.2.5.4``, ``II.1``, ``III.1.2.3``."""
        return self.code if self.code.startswith(f"{self.part}.") else f"{self.part}.{self.code}"

    @property
    def decimals(self) -> int:
        """Decimals shown for the field's unit."""
        return 0 if self.type == "integer" else DECIMALS.get(self.unit, 1)


@dataclass(frozen=True)
class A4Catalogue:
    """The A.4 fields with the provenance of the layout."""

    fields: tuple[A4Field, ...]
    source: str
    edition: str
    status: str

    def field(self, key: str) -> A4Field:
        """The field ``key`` (KeyError if unknown)."""
        for item in self.fields:
            if item.key == key:
                return item
        raise KeyError(key)

    @property
    def inputs(self) -> tuple[A4Field, ...]:
        """Fields that may be entered in the A.4 data file."""
        return tuple(item for item in self.fields if item.input)


@cache
def a4_catalogue() -> A4Catalogue:
    """The shipped A.4 field catalogue (``form_a4_fields.yaml``), checked for order and references."""
    text = resources.files(__package__).joinpath(FIELDS_FILE).read_text(encoding="utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    fields: list[A4Field] = []
    for entry in raw["fields"]:
        item = A4Field(
            key=entry["key"],
            code=str(entry["code"]),
            part=str(entry["part"]),
            type=entry["type"],
            label_vi=entry["label"]["vi"],
            label_en=entry["label"]["en"],
            unit=str(entry.get("unit", "")),
            input=bool(entry.get("input", False)),
            order=entry.get("order", "data_first"),
            sum_of=tuple(entry.get("sum_of", ())),
            share_of=tuple(entry.get("share_of", ())),
            co2_from=entry.get("co2_from"),
        )
        earlier = {f.key for f in fields}
        needed = [*item.sum_of, *item.share_of, *([item.co2_from] if item.co2_from else [])]
        if item.key in earlier or any(name not in earlier for name in needed):
            raise AssessmentError("forms.a4.bad_catalogue", field=item.key)
        fields.append(item)
    return A4Catalogue(tuple(fields), raw["source"], raw["edition"], raw["status"])


# --------------------------------------------------------------------------- the data file


@dataclass(frozen=True)
class EnteredValue:
    """A value of the A.4 data file, converted to the field's unit, with its document reference."""

    value: float | int | bool | str
    reference: str | None = None


@dataclass(frozen=True)
class A4Data:
    """A validated A.4 data file: what only the investor knows (counts of solutions, costs saved...)."""

    park_id: str
    year: int
    answered_by: str
    answered_on: date
    values: Mapping[str, EnteredValue] = field(default_factory=dict)
    organisation: str | None = None
    synthetic: bool = False
    file: str = "<a4-data>"

    def cell(self, item: A4Field) -> FormValue | None:
        """The entered value of ``item`` as a form cell (None when not entered)."""
        entered = self.values.get(item.key)
        if entered is None:
            return None
        detail = Message(
            "forms.detail.data_file",
            {
                "field": item.key,
                "by": self.answered_by,
                "on": self.answered_on.isoformat(),
                "file": self.file,
                "reference": entered.reference or "–",
            },
        )
        return FormValue(entered.value, item.unit, item.decimals, (ValueSource("data_file", detail),))


def parse_a4_data(text: str, park_id: str, year: int, file: str = "<a4-data>", today: date | None = None) -> A4Data:
    """Read and validate an A.4 data file (YAML) for ``park_id`` and ``year``.

    Raises
    ------
    FormDataError
        With every problem and its line: unknown keys (with a suggestion), computed fields,
        wrong types, negative numbers, shares outside 0–100 %, units that do not convert, dates in
        the future, another park or year.
    """
    document = load_located(text, file)
    reader = _A4DataReader(document, park_id, year, today or date.today())
    data = reader.read()
    if data is None or any(problem.severity == "error" for problem in reader.problems):
        raise FormDataError(reader.problems, file=file)
    return data


class _A4DataReader(ScalarReader):
    def __init__(self, document: LocatedDocument, park_id: str, year: int, today: date) -> None:
        super().__init__(document, today)
        self.park_id = park_id
        self.year = year

    def read(self) -> A4Data | None:
        data = self.document.data
        if not isinstance(data, dict):
            if not self.problems:
                self.error((), "forms.a4_data.not_mapping")
            return None
        for key in data:
            if key not in A4_DATA_KEYS:
                self.error((key,), "forms.a4_data.unknown_top_key", name=key, known=", ".join(A4_DATA_KEYS))
        if data.get("form") != "A.4":
            self.error(("form",), "forms.a4_data.wrong_form", found=data.get("form"))
        if data.get("park") is not None and str(data["park"]) != self.park_id:
            self.error(("park",), "forms.a4_data.wrong_park", found=data["park"], expected=self.park_id)
        if data.get("year") != self.year:
            self.error(("year",), "forms.a4_data.wrong_year", found=data.get("year"), expected=self.year)
        answered_by = data.get("answered_by")
        if not isinstance(answered_by, str) or not answered_by.strip():
            self.error(("answered_by",), "assessment.answers.answered_by")
        answered_on = self._date(("answered_on",), data.get("answered_on"), required=True)
        values = self._values(data.get("values"))
        organisation = data.get("organisation")
        return A4Data(
            park_id=self.park_id,
            year=self.year,
            answered_by=str(answered_by or ""),
            answered_on=answered_on or self.today,
            values=values,
            organisation=None if organisation is None else str(organisation),
            synthetic=bool(data.get("synthetic", False)),
            file=self.document.file,
        )

    def _values(self, raw: Any) -> dict[str, EnteredValue]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.error(("values",), "assessment.answers.wrong_type", expected="mapping", value=type(raw).__name__)
            return {}
        catalogue = a4_catalogue()
        known = {item.key: item for item in catalogue.fields}
        values = {}
        for key, value in raw.items():
            path: YamlPath = ("values", key)
            item = known.get(str(key))
            if item is None:
                suggestion = difflib.get_close_matches(str(key), [f.key for f in catalogue.inputs], n=1)
                self.error(path, "forms.a4_data.unknown_field", field=key, suggestion=suggestion[0] if suggestion else "-")
                continue
            if not item.input:
                self.error(path, "forms.a4_data.computed_field", field=key, code=item.code)
                continue
            if value is None:
                continue
            entered = self._entered(path, item, value)
            if entered is not None:
                values[item.key] = entered
        return values

    def _entered(self, path: YamlPath, item: A4Field, value: Any) -> EnteredValue | None:
        reference = None
        unit = item.unit
        if isinstance(value, dict):
            for name in value:
                if name not in VALUE_KEYS:
                    self.error((*path, name), "assessment.answers.unknown_field", field=name, known=", ".join(VALUE_KEYS))
            reference = None if value.get("reference") is None else str(value["reference"])
            unit = str(value.get("unit", item.unit))
            value = value.get("value")
            if value is None:
                return None
        parsed = self._typed(path, item, value, unit)
        return None if parsed is None else EnteredValue(parsed, reference)

    def _typed(self, path: YamlPath, item: A4Field, value: Any, unit: str) -> float | int | bool | str | None:
        kind = item.type
        if kind == "text":
            return self._text(path, value)
        if kind == "checkbox":
            return self._boolean(path, value)
        if kind == "integer":
            return self._count(path, value)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.error(path, "assessment.answers.wrong_type", expected=f"number ≥ 0 [{item.unit}]", value=value)
            return None
        converted = self._convert(path, float(value), unit, item.unit)
        if converted is not None and kind == "percent" and converted > 100:
            self.error(path, "forms.a4_data.percent_range", value=value)
            return None
        return converted

    def _convert(self, path: YamlPath, value: float, given: str, wanted: str) -> float | None:
        if given == wanted:
            return value
        try:
            return value * conversion_factor(given, wanted)
        except UnitError:
            self.error((*path, "unit"), "assessment.answers.unit", unit=given, expected=wanted)
            return None


def a4_template(park_id: str, year: int) -> str:
    """A blank A.4 data file for ``park_id`` and ``year`` (every enterable field, commented in both languages)."""
    catalogue = a4_catalogue()
    lines = [
        "# ecozone — số liệu bổ sung mẫu A.4 / data for form A.4 (Decree 35/2022/ND-CP Art. 43 cl. 1)",
        "# Điền giá trị hoặc {value, unit, reference}; để null nếu chưa có. / Fill a value or {value, unit, reference}; "
        "leave null when unknown.",
        "# Số liệu trong sổ đăng ký, bảng hỏi và số đo được ưu tiên hơn số liệu nhập ở đây. / Registry, questionnaire "
        "and measured data take precedence over these values.",
        "form: A.4",
        f"park: {park_id}",
        f"year: {year}",
        "answered_by: null",
        "answered_on: null",
        "values:",
    ]
    part = None
    for item in catalogue.inputs:
        if item.part != part:
            part = item.part
            lines.append(f"  # --- Phần {part} / Part {part}")
        unit = f" [{item.unit}]" if item.unit else ""
        lines.append(f"  {item.key}: null  # {item.code} {item.label_vi}{unit} / {item.label_en}")
    return "\n".join(lines) + "\n"
