"""Assessment reports for a park management board: HTML, PDF (WeasyPrint) and DOCX (python-docx).

Every format shows the same content (:mod:`~ecozone.assessment.reports.context`): executive
summary, scorecard chart (matplotlib, rendered server-side and embedded as PNG data), gap table
with evidence and missing data, roadmap with the firms to talk to, requirements met with their
evidence, SDG contribution, data sources and every unverified threshold. Nothing is fetched
from the internet: fonts are the system's, the chart is embedded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecozone.errors import FileFormatError

REPORT_SUFFIXES = (".html", ".pdf", ".docx")


def write_report(document: dict[str, Any], path: Path, lang: str) -> Path:
    """Write the report of a result document to ``path`` (format by suffix) and return it.

    Raises
    ------
    FileFormatError
        If the suffix is not ``.html``, ``.pdf`` or ``.docx``.
    """
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise FileFormatError("assessment.report.format", file=str(path), suffix=suffix or "-", known=", ".join(REPORT_SUFFIXES))
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".docx":
        from ecozone.assessment.reports.docx_report import write_docx

        return write_docx(document, path, lang)
    from ecozone.assessment.reports.html import render_html

    html = render_html(document, lang)
    if suffix == ".html":
        path.write_text(html, encoding="utf-8")
        return path
    from ecozone.assessment.reports.pdf import write_pdf

    return write_pdf(html, path)
