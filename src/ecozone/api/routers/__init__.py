"""One router per domain, mounted under ``/api/v1`` by :func:`ecozone.api.app.create_app`.

Engines add theirs by appending ``(router, tag)`` to :data:`ecozone.api.app.ROUTERS`.
"""
