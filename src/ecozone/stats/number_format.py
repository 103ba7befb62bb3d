"""Numbers written the way each language writes them (``1.234,5`` in vi, ``1,234.5`` in en)."""

from __future__ import annotations

import math


def format_number(value: float | None, lang: str, decimals: int = 0, missing: str = "–") -> str:
    """Return ``value`` with thousands separators and ``decimals`` decimals.

    Parameters
    ----------
    value : float or None
        The number; None or NaN gives ``missing``.
    lang : str
        ``"vi"`` (dot for thousands, comma for decimals) or ``"en"``.
    decimals : int
        Digits after the decimal separator.
    missing : str
        Text for a missing value.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text
