"""The DOCX report (python-docx), with the same content as the HTML report."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ecozone.assessment.reports.charts import scorecard_png
from ecozone.assessment.reports.context import build_context

TABLE_STYLE = "Table Grid"


def add_table(document: Any, headers: list[str], rows: list[list[str]], font_size: float = 8) -> Any:
    """Append a table with a bold header row."""
    from docx.shared import Pt

    table = document.add_table(rows=1, cols=len(headers))
    table.style = TABLE_STYLE
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(header)
        run.bold = True
        run.font.size = Pt(font_size)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(value)).font.size = Pt(font_size)
    return table


def write_docx(document: dict[str, Any], path: Path, lang: str) -> Path:
    """Write the report of ``document`` in ``lang`` as a Word file."""
    from docx import Document
    from docx.shared import Cm

    context = build_context(document, lang)
    doc = Document()
    doc.core_properties.title = f"{context.title} — {context.park}"
    doc.core_properties.language = lang
    doc.add_heading(context.title, level=0)
    for line in (f"{context.park} — {context.assessed_on}", context.rulebook, context.framework):
        doc.add_paragraph(line)
    for label in context.labels:
        doc.add_paragraph(label, style="Intense Quote")
    doc.add_heading(context.headings["summary"], level=1)
    for line in context.summary:
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading(context.headings["scorecard"], level=1)
    doc.add_picture(io.BytesIO(scorecard_png(document, lang)), width=Cm(16))
    add_table(doc, context.score_headers, context.score_rows)
    sections = (
        ("gaps", context.gap_headers, context.gap_rows),
        ("roadmap", context.roadmap_headers, context.roadmap_rows),
        ("met", context.met_headers, context.met_rows),
        ("sdg", context.sdg_headers, context.sdg_rows),
        ("sources", context.source_headers, context.source_rows),
        ("unverified", context.unverified_headers, context.unverified_rows),
    )
    for name, headers, rows in sections:
        doc.add_heading(context.headings[name], level=1)
        add_table(doc, headers, rows)
    if context.notes:
        doc.add_heading(context.headings["notes"], level=1)
        doc.add_paragraph(context.notes)
    doc.add_paragraph(context.headings["legend"])
    doc.save(str(path))
    return path
