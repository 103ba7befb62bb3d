"""The PDF report: the HTML report laid out by WeasyPrint, offline.

The fetcher allows only ``data:`` URLs (the chart is embedded), with failures raised, so a
report can never reach the network; fonts are the system's (Vietnamese needs a font with its
diacritics, e.g. DejaVu Sans).
"""

from __future__ import annotations

import logging
from pathlib import Path

OFFLINE_PROTOCOLS = frozenset({"data"})


def write_pdf(html: str, path: Path) -> Path:
    """Lay out ``html`` as a PDF file at ``path`` without any network access."""
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    fetcher = URLFetcher(allowed_protocols=OFFLINE_PROTOCOLS, fail_on_errors=True)
    HTML(string=html, url_fetcher=fetcher).write_pdf(path)
    return path
