"""The language of a request: ``?lang=``, then the language cookie, then ``Accept-Language``."""

from __future__ import annotations

from starlette.requests import HTTPConnection

LANGUAGES = ("vi", "en")
LANGUAGE_COOKIE = "ecozone_lang"


def parse_accept_language(header: str | None) -> str | None:
    """Return the first of ``vi``/``en`` in an ``Accept-Language`` header, by quality, or None.

    Examples
    --------
    >>> parse_accept_language("fr-FR,vi;q=0.9,en;q=0.8")
    'vi'
    """
    if not header:
        return None
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, parameters = part.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.strip().lower()[:2]
        if language in LANGUAGES and quality > 0:
            choices.append((-quality, position, language))
    return min(choices)[2] if choices else None


def request_language(connection: HTTPConnection, default: str = "en") -> str:
    """Return ``vi`` or ``en`` for this request."""
    chosen = connection.query_params.get("lang") or connection.cookies.get(LANGUAGE_COOKIE)
    if chosen and chosen[:2].lower() in LANGUAGES:
        return chosen[:2].lower()
    return parse_accept_language(connection.headers.get("accept-language")) or default
