"""The DAC8 checklist."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, TableStyle

from ..labels import id_list
from .base import Builder, data_table, esc

_STATUSES = {"st_pass", "st_warn", "st_fail", "st_n/a"}


def render(b: Builder) -> None:
    b.h1("sec_dac8")
    b.story.append(b.p(esc(b.t("dac8_intro"))))
    checks = b.data.checklist
    if checks is None:
        b.story.append(b.p(esc(b.t("dac8_missing", error=b.data.checklist_error or "—"))))
        return
    header = ["id", "check", "status", "finding"]
    rows: list[list[object]] = [b.head(header)]
    style: list[tuple[object, ...]] = []
    palette = {"pass": "#d5f5e3", "warn": "#fdebd0", "fail": "#f5b7b1"}
    for i, c in enumerate(checks, start=1):
        status = str(getattr(c, "status", ""))
        title = getattr(c, f"title_{b.lang}", "")
        message = getattr(c, f"message_{b.lang}", "")
        tx_ids = list(getattr(c, "tx_ids", []) or [])
        if tx_ids:
            message += " (" + id_list(tx_ids, b.lang) + ")"
        rows.append(
            [
                str(getattr(c, "number", i)),
                b.cell(title),
                b.cell(b.t(f"st_{status}") if f"st_{status}" in _STATUSES else status),
                b.cell(message, style=b.s.small),
            ]
        )
        if status in palette:
            style.append(("BACKGROUND", (2, i), (2, i), colors.HexColor(palette[status])))
    w = b.width
    table = data_table(rows, [0.06 * w, 0.22 * w, 0.1 * w, 0.62 * w], long=True)
    table.setStyle(TableStyle(style))
    b.story += [Spacer(1, 2 * mm), table]
