"""The audit trail of every manual change."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..labels import action_label
from .base import Builder, data_table, esc


def render(b: Builder) -> None:
    b.h1("sec_audit")
    b.story.append(b.p(esc(b.t(f"audit_intro_{b.comp.rules.jurisdiction}"))))
    entries = getattr(b.comp.applied, "audit", None) or []
    if not entries:
        b.story.append(b.p(esc(b.t("no_audit"))))
        return
    header = ["correction", "action", "row", "before", "after", "reason"]
    rows: list[list[object]] = [b.head(header)]
    for a in entries:
        before, after = a.shown(b.zone, b.lang)  # every time in the report's zone
        action = action_label(a.action, b.lang)
        rows.append(
            [
                b.cell(a.correction),
                b.cell(action),
                b.cell(a.tx_id),
                b.cell(before or "—", style=b.s.small),
                b.cell(after or "—", style=b.s.small),
                b.cell(a.reason, style=b.s.small),
            ]
        )
    w = b.width
    b.story += [
        Spacer(1, 2 * mm),
        data_table(rows, [0.08 * w, 0.1 * w, 0.1 * w, 0.25 * w, 0.25 * w, 0.22 * w], long=True),
    ]
