"""The cover: title, client, years, jurisdiction, input files, date."""

from __future__ import annotations

from datetime import UTC, datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from ..labels import day
from .base import Builder, esc, resolve


def render(b: Builder) -> None:
    c, d = b.comp, b.data
    years = c.years
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—")
    generated = d.generated or datetime.now(UTC)
    b.story += [
        Spacer(1, 40 * mm),
        b.p(esc(b.t("title")), b.s.title),
        b.p(esc(b.t("subtitle")), b.s.subtitle),
    ]
    rows = [
        [b.t("client"), d.client or "—"],
        [b.t("years"), span],
        [b.t("jurisdiction"), b.t(f"jur_{c.rules.jurisdiction}")],
        [b.t("ledger_file"), d.ledger_name or "—"],
        [b.t("corrections_file"), d.corrections_name or b.t("none")],
        [b.t("generated"), day(generated, b.lang)],
    ]
    widths = [45 * mm, b.width - 45 * mm]
    table = Table(
        resolve(
            [[b.p(f"<b>{esc(k)}</b>"), b.cell(v, style=b.s.body)] for k, v in rows],
            widths,
        ),
        colWidths=widths,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey),
            ]
        )
    )
    b.story += [
        table,
        Spacer(1, 20 * mm),
        b.p(esc(b.t("cover_note")), b.s.note),
        PageBreak(),
    ]
