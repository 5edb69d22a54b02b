"""Page 1, "Auf einen Blick": what the report is about and its result in one page — the
status in one sentence a client can repeat, the fictitious gains and the fictitious income
side by side, the tax on the raw ledger, after the corrections and the difference, the open
items, a chart of the tax per year, and the disclaimer.

In mode raw (no corrections) the title says "Rohdaten — nicht zur Abgabe geeignet", the
amounts are *potentially* fictitious and there is no corrected tax.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from .. import charts
from ..labels import day, id_list, plural
from .base import FONT, FONT_BOLD, Builder, esc, resolve


def render(b: Builder) -> None:
    c, d, f = b.comp, b.data, b.figures
    years = [row.year for row in f.years]
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—")
    generated = d.generated or datetime.now(UTC)
    raw_mode = b.raw_mode
    b.story += [
        Spacer(1, 4 * mm),
        b.p(esc(b.t("title_raw" if raw_mode else "title")), b.s.title),
        b.p(esc(b.t("subtitle_raw" if raw_mode else "subtitle")), b.s.subtitle),
    ]
    b.bookmark(b.t("sec_glance"))
    meta = [
        (b.t("client"), d.client or "—"),
        (b.t("years"), span),
        (b.t("jurisdiction"), b.t(f"jur_{c.rules.jurisdiction}")),
        (b.t("ledger_file"), d.ledger_name or "—"),
        (b.t("corrections_file"), d.corrections_name or b.t("none")),
        (b.t("generated"), day(b.local(generated), b.lang)),
    ]
    widths = [38 * mm, b.width - 38 * mm]
    table = Table(
        resolve([[b.p(f"<b>{esc(k)}</b>", b.s.small), b.cell(v)] for k, v in meta], widths),
        colWidths=widths,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey),
            ]
        )
    )
    b.story += [table, Spacer(1, 5 * mm)]
    b.story.append(b.p(esc(b.t("sec_glance")), b.s.h1))
    b.story.append(_status_box(b))
    b.story += [Spacer(1, 4 * mm), _key_figures(b), Spacer(1, 2 * mm)]
    note = b.t("glance_pot_note" if raw_mode else "glance_fict_note")
    b.story += [b.p(esc(note), b.s.note), Spacer(1, 3 * mm)]
    b.story.append(b.p(f"<b>{esc(b.t('open_items'))}</b>"))
    for item in open_items(b):
        b.story.append(b.p("• " + esc(item), b.s.body))
    if years:
        drawing = charts.tax_bars(
            years,
            [row.tax_raw_parts for row in f.years],
            None if raw_mode else [row.tax_corrected_parts for row in f.years],  # type: ignore[misc]
            {
                "raw": b.t("raw_short"),
                "cor": b.t("cor_short"),
                "on_gains": b.t("on_gains"),
                "on_income": b.t("on_income"),
            },
            FONT,
            b.lang,
            width=b.width,
            height=150,
        )
        title = b.t("glance_chart_raw" if raw_mode else "glance_chart")
        b.story += [
            Spacer(1, 3 * mm),
            KeepTogether([b.p(f"<b>{esc(title)}</b>", b.s.small), drawing]),
        ]
    cover_note = b.t("cover_note_raw" if raw_mode else "cover_note")
    b.story += [Spacer(1, 3 * mm), b.p(esc(cover_note), b.s.note), PageBreak()]


def status_sentence(b: Builder) -> str:
    """The status of the report in one sentence (clean / open gaps / draft)."""
    f = b.figures
    if f.status == "draft":
        if not f.open_shorts and not f.totals.fictitious_income:
            return b.t("status_draft_clean")
        fict = b.eur(f.totals.fictitious_gain + f.totals.fictitious_income)
        return b.t("status_draft", open=f.open_shorts, fict=fict)
    diff = b.eur(f.totals.tax_effect or Decimal(0))
    if f.status == "open":
        return b.t("status_open", diff=diff, n=f.corrections, open=f.open_shorts)
    return b.t("status_clean", diff=diff, n=f.corrections)


def _status_box(b: Builder) -> Table:
    palette = {"clean": "#d5f5e3", "open": "#fdebd0", "draft": "#f5b7b1"}
    box = Table([[b.p(f"<b>{esc(status_sentence(b))}</b>", b.s.lead)]], colWidths=[b.width])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(palette[b.figures.status])),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#7f8c8d")),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return box


def _key_figures(b: Builder) -> Table:
    """Two rows of big figures: fictitious gains | fictitious income, and tax raw | tax
    corrected | difference."""
    f, at = b.figures, b.comp.rules.jurisdiction == "AT"
    t = f.totals
    pot = "pot_" if b.raw_mode else ""
    jur = "at" if at else "de"

    def cell(label: str, value: str, sub: str = "") -> list[object]:
        parts = [b.p(esc(label), b.s.small), b.p(f"<b>{esc(value)}</b>", b.s.big)]
        if sub:
            parts.append(b.p(esc(sub), b.s.small))
        return parts

    w = b.width
    first = [
        cell(b.t(f"{pot}fict_gains"), b.eur(t.fictitious_gain), b.t(f"fict_gains_{jur}")),
        cell(b.t(f"{pot}fict_income"), b.eur(t.fictitious_income), b.t(f"fict_income_{jur}")),
        "",
    ]
    none = b.t("no_corrections_given")
    second = [
        cell(b.t("tax_raw_long"), b.eur(t.tax_raw)),
        cell(b.t("tax_cor_long"), "—", none)
        if t.tax_corrected is None
        else cell(b.t("tax_cor_long"), b.eur(t.tax_corrected)),
        cell(b.t("tax_diff_long"), "—", none)
        if t.tax_effect is None
        else cell(b.t("tax_diff_long"), b.eur(t.tax_effect)),
    ]
    table = Table([first, second], colWidths=[w / 3] * 3)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (1, 0), 0.4, colors.lightgrey),
                ("INNERGRID", (0, 0), (1, 0), 0.4, colors.lightgrey),
                ("BOX", (0, 1), (-1, 1), 0.4, colors.lightgrey),
                ("INNERGRID", (0, 1), (-1, 1), 0.4, colors.lightgrey),
                ("BACKGROUND", (2, 1), (2, 1), colors.HexColor("#eef5fb")),
                ("FONTNAME", (0, 0), (-1, -1), FONT_BOLD),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def open_items(b: Builder) -> list[str]:
    """What is still open: short sales left, corrections whose worth failed, DAC8 results."""
    f = b.figures
    items = []
    if f.open_shorts:
        items.append(b.t("open_shorts_item", n=f.open_shorts, eur=b.eur(f.open_short_proceeds)))
    if f.correction_errors:
        items.append(b.t("open_worth_errors", ids=id_list(f.correction_errors, b.lang)))
    checks = b.data.checklist or []
    fails = sum(1 for x in checks if str(getattr(x, "status", "")) == "fail")
    warns = sum(1 for x in checks if str(getattr(x, "status", "")) == "warn")
    if fails or warns:
        words = ("Warnung", "Warnungen") if b.lang == "de" else ("warning", "warnings")
        items.append(b.t("open_dac8", fail=fails, warn=warns, warnings=plural(warns, *words)))
    return items or [b.t("open_none")]
