"""Exact plain notation of amounts for messages and outputs."""

from __future__ import annotations

from decimal import Decimal


def _num(value: Decimal) -> str:
    """Exact plain notation without exponent or trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
