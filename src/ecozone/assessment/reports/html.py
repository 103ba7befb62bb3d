"""The HTML report (Jinja2 template ``templates/report.html``, chart embedded as PNG data)."""

from __future__ import annotations

import base64
from typing import Any

import jinja2

from ecozone.assessment.reports.charts import scorecard_png
from ecozone.assessment.reports.context import build_context


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("ecozone.assessment.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )


def render_html(document: dict[str, Any], lang: str) -> str:
    """The report of ``document`` as a self-contained HTML page in ``lang``."""
    context = build_context(document, lang)
    chart = base64.b64encode(scorecard_png(document, lang)).decode("ascii")
    return _environment().get_template("report.html").render(c=context, chart=chart)
