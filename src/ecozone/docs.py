"""Regenerate the documentation pages rendered from data files: ``python -m ecozone.docs``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from ecozone.registry.reference_doc import render_data_model


def pages() -> dict[str, Callable[[], str]]:
    """Every generated page by its path under ``docs/``, with the function that renders it."""
    from ecozone.assessment.docs import render_rulebook
    from ecozone.assessment.rulebook import shipped_rulebook_ids

    generated: dict[str, Callable[[], str]] = {"data-model.md": render_data_model}
    for rulebook_id in shipped_rulebook_ids():
        generated[f"rulebooks/{rulebook_id}.md"] = partial(render_rulebook, rulebook_id)
    return generated


def write_pages(folder: Path) -> list[Path]:
    """Write every generated page into ``folder`` and return their paths."""
    written = []
    for name, render in pages().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for page in write_pages(Path("docs")):
        print(page)  # noqa: T201
