"""Numbers, money, quantities and dates as each language writes them.

Numbers are formatted from ``Decimal`` (never float): money is rounded once to the cent with
ROUND_HALF_UP (``summary.cents``) and written the way each language expects it (de:
``1.234,56 €``, en: ``€1,234.56``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ...summary import cents
from .lang import Lang


def _group(integer: str, sep: str) -> str:
    out = []
    while len(integer) > 3:
        out.insert(0, integer[-3:])
        integer = integer[:-3]
    out.insert(0, integer)
    return sep.join(out)


def number(value: Decimal, lang: Lang, places: int | None = 2) -> str:
    """``value`` with the language's separators; ``places=None`` keeps every digit (quantities).

    Money is rounded to the cent (ROUND_HALF_UP) first; quantities are shown exactly as the
    ledger has them, trailing zeros dropped, because a rounded quantity could hide the dust
    that makes a balance negative.
    """
    if places == 2:
        value = cents(value)
        text = f"{value + 0:.2f}" if value else "0.00"
    else:
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text in ("-0", ""):
            text = "0"
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    integer, _, fraction = text.partition(".")
    thousands, decimal_point = (".", ",") if lang == "de" else (",", ".")
    out = _group(integer, thousands)
    if fraction:
        out += decimal_point + fraction
    return sign + out


def eur(value: Decimal, lang: Lang) -> str:
    """Money in EUR: de ``-1.234,56 €``, en ``-€1,234.56``."""
    text = number(value, lang)
    if lang == "de":
        return f"{text} €"
    return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"


def qty(value: Decimal, lang: Lang) -> str:
    return number(value, lang, places=None)


def day(value: date | datetime, lang: Lang) -> str:
    return value.strftime("%d.%m.%Y") if lang == "de" else value.strftime("%Y-%m-%d")


def moment(value: datetime, lang: Lang) -> str:
    return value.strftime("%d.%m.%Y %H:%M") if lang == "de" else value.strftime("%Y-%m-%d %H:%M")


def percent(rate: Decimal, lang: Lang) -> str:
    text = number(rate * 100, lang, places=None)
    return f"{text} %"
