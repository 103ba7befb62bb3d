"""The web dashboard: server-rendered pages (Jinja2) with vendored static assets (no CDN).

:func:`install_dashboard` mounts the pages, the static files (``/static``, including Apache
ECharts under ``static/vendor/echarts``) and the HTML error pages on an application built by
:func:`ecozone.api.create_app`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles


def static_folder() -> Path:
    """The folder of the dashboard's static files."""
    return Path(str(resources.files(__package__).joinpath("static")))


def install_dashboard(app: FastAPI) -> None:
    """Mount the dashboard's pages, static files and error pages on ``app``."""
    from ecozone.web.pages import router
    from ecozone.web.rendering import render_error

    app.mount("/static", StaticFiles(directory=static_folder()), name="static")
    app.include_router(router)
    app.state.html_error_renderer = render_error
