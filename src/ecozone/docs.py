"""Regenerate the documentation pages rendered from data files: ``python -m ecozone.docs``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ecozone.registry.reference_doc import render_data_model

PAGES: dict[str, Callable[[], str]] = {"data-model.md": render_data_model}


def write_pages(folder: Path) -> list[Path]:
    """Write every generated page into ``folder`` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in PAGES.items():
        path = folder / name
        path.write_text(render(), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for page in write_pages(Path("docs")):
        print(page)  # noqa: T201
