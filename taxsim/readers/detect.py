"""Format detection, in one place: the format is recognised from the header row alone (its
"fingerprint"), never from the file name. Each format family's module holds its fingerprint;
they are tried in this order (an import header of 11 columns is a V1 header)."""

from __future__ import annotations

from collections.abc import Sequence

from . import full_view, import_format, trade_list
from .layout import FORMAT_CANONICAL, UNKNOWN, _Layout, _norm, _trim


def _layout(header: Sequence[object]) -> _Layout | None:
    n = [_norm(c) for c in _trim(header)]
    return (
        trade_list.layout(n)
        or import_format.layout(n)
        or full_view.layout(n)
        or import_format.alias_layout(n)
    )


def detect_format(header: list[str]) -> str:
    """Name of the format whose header this is, or ``"unknown"``.

    One of ``cointracking-trade-list-v1`` … ``-v4``, ``cointracking-import`` (both the
    ``Cur.`` header and the descriptive alias header) and ``taxsim-canonical``.
    """
    cells = _trim(header)
    if {"id", "time", "kind"} <= set(cells):
        return FORMAT_CANONICAL
    layout = _layout(cells)
    return layout.format if layout else UNKNOWN
