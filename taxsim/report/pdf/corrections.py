"""The corrections with reasons, evidence and effect (alone / left out)."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ...model import ZERO
from ..labels import kind_label
from .base import Builder, data_table, esc


def render(b: Builder) -> None:
    b.h1("sec_corrections")
    if b.comp.applied is None:
        b.story.append(b.p(esc(b.t("no_corrections"))))
        return
    b.story.append(b.p(esc(b.t("corrections_intro"))))
    evidence = {c.id: list(c.evidence) for c in getattr(b.data.corrections, "corrections", ())}
    changes = getattr(b.comp.applied, "by_correction", {}) or {}
    header = ["id", "kind", "reason", "evidence", "alone", "left_out", "changes"]
    rows: list[list[object]] = [b.head(header, right=(4, 5, 6))]
    for w in b.comp.worth:
        if w.error:
            alone = left = b.t("worth_error")
        else:
            alone = _by_year(b, w.alone, w.alone_income)
            left = _by_year(b, w.left_out, w.left_out_income)
        rows.append(
            [
                b.cell(w.id),
                b.cell(kind_label(w.kind, b.lang)),
                b.cell(w.reason),
                b.cell("; ".join(evidence.get(w.id, [])) or "—"),
                b.p(alone, b.s.small_right),
                b.p(left, b.s.small_right),
                b.cell(str(len(changes.get(w.id, []))), right=True),
            ]
        )
    w = b.width
    b.story += [
        Spacer(1, 2 * mm),
        data_table(
            rows,
            [0.06 * w, 0.12 * w, 0.26 * w, 0.16 * w, 0.16 * w, 0.16 * w, 0.08 * w],
            long=True,
        ),
    ]


def _by_year(b: Builder, values: dict[int, Decimal], income: dict[int, Decimal]) -> str:
    """Effect on the taxable gain per year and in total; the effect on income below it
    when the correction changes income (e.g. a scam airdrop booked as income)."""

    def whole(text: str) -> str:  # one line, never broken inside (non-breaking spaces)
        return esc(text).replace(" ", "\u00a0")

    lines = [whole(f"{y}: {b.eur(v)}") for y, v in sorted(values.items()) if v]
    total = sum(values.values(), ZERO)
    lines.append(f"<b>{whole(f'Σ {b.eur(total)}')}</b>")
    if any(income.values()):
        lines.append(esc(b.t("worth_income")))
        lines += [whole(f"{y}: {b.eur(v)}") for y, v in sorted(income.items()) if v]
    return "<br/>".join(lines)
