"""The summary per year: gains and tax on both passes, the Freigrenze crossings, the
raw-vs-corrected bar chart and the form lines."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from ...model import ZERO
from ...summary import YearFigures
from .. import charts
from ..export import form_rows
from ..labels import percent
from .base import FONT, FONT_BOLD, Builder, data_table, esc


def render(b: Builder) -> None:
    c = b.comp
    at = c.rules.jurisdiction == "AT"
    b.h1("sec_summary")
    years = c.years
    # table 1: the gains (§ 23 / § 27b) — where the fictitious profit sits
    header = ["year", "raw_taxable", "cor_taxable", "fictitious"]
    header += ["speculation"] if at else ["raw_after", "cor_after"]
    header += ["exempt", "shorts"]
    rows: list[list[object]] = [b.head(header, right_from=1)]
    for y in years:
        raw = c.raw.figures.get(y) or YearFigures(y)
        cor = c.corrected.figures.get(y) or YearFigures(y)
        row = [str(y), b.eur(raw.taxable_gain), b.eur(cor.taxable_gain)]
        row.append(b.eur(c.fictitious(y)))
        if at:  # old § 31 (realized before 2022-03-01), corrected pass
            row.append(b.eur(cor.speculation_gain))
        else:
            row += [
                b.eur(raw.taxable_after_allowance),
                b.eur(cor.taxable_after_allowance),
            ]
        row += [b.eur(cor.exempt_gain), f"{raw.short_count} → {cor.short_count}"]
        rows.append(row)
    if len(years) > 1:
        total = [b.t("total"), b.eur(sum((c.raw.taxable(y) for y in years), ZERO))]
        total.append(b.eur(sum((c.corrected.taxable(y) for y in years), ZERO)))
        total.append(b.eur(sum((c.fictitious(y) for y in years), ZERO)))
        rows.append(total + [""] * (len(header) - 4))
    b.story.append(_figuredata_table(b, rows, total=len(years) > 1))
    # table 2: income and the tax on each pass — where the tax effect comes from
    header = ["year", "raw_income", "cor_income", "raw_tax", "cor_tax", "tax_effect"]
    rows = [b.head(header, right_from=1)]
    for y in years:
        raw, cor = c.raw.figures.get(y), c.corrected.figures.get(y)
        rows.append(
            [
                str(y),
                b.eur(raw.income if raw else ZERO),
                b.eur(cor.income if cor else ZERO),
                b.eur(c.tax_due(raw)),
                b.eur(c.tax_due(cor)),
                b.eur(c.tax_effect(y)),
            ]
        )
    if len(years) > 1:
        rows.append(
            [b.t("total"), "", "", "", ""] + [b.eur(sum((c.tax_effect(y) for y in years), ZERO))]
        )
    b.story += [Spacer(1, 3 * mm), _figuredata_table(b, rows, total=len(years) > 1)]
    b.story.append(Spacer(1, 3 * mm))
    for y in c.years:
        sentence = _crossing(b, y)
        if sentence:
            b.story.append(b.p(f"<b>{esc(sentence)}</b>"))
    if at:
        note = b.t("tax_note_at")
    else:
        rate = c.tax.marginal_rate or c.rules.tax.default_marginal_rate or ZERO
        church = c.tax.church or b.t("none")
        note = b.t("tax_note_de", rate=percent(rate, b.lang), church=church)
        if any(c.tax_result(y, c.raw.figures.get(y)).exact for y in c.years):
            note = b.t("tax_note_de_exact", church=church)  # taxable income given (taxsim.tax)
    b.story += [b.p(esc(note), b.s.note), Spacer(1, 4 * mm)]
    if c.years:
        drawing = charts.year_bars(
            c.years,
            [c.raw.taxable(y) for y in c.years],
            [c.corrected.taxable(y) for y in c.years],
            (b.t("raw"), b.t("corrected")),
            FONT,
            b.lang,
            width=b.width,
        )
        b.story.append(KeepTogether([b.p(f"<b>{esc(b.t('chart_title'))}</b>"), drawing]))
    forms(b)


def _figuredata_table(b: Builder, rows: list[list[object]], total: bool) -> Table:
    n = len(rows[0])
    first = 16 * mm
    table = data_table(rows, [first] + [(b.width - first) / (n - 1)] * (n - 1), numeric_from=1)
    if total:
        last = [
            ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
            ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.grey),
        ]
        table.setStyle(TableStyle(last))
    return table


def _crossing(b: Builder, year: int) -> str:
    """The Freigrenze crossing in the report's language (the logic of ``Comparison``)."""
    if not b.comp.freigrenze_crossing(year):
        return ""
    raw = b.comp.raw.figures.get(year)
    cor = b.comp.corrected.figures.get(year)
    limit = (raw or cor).freigrenze  # type: ignore[union-attr]
    gain = cor.taxable_gain if cor else ZERO
    below = ZERO <= gain < limit  # type: ignore[operator]
    return b.t(
        "crossing_below" if below else "crossing_above",
        year=year,
        gain=b.eur(gain),
        limit=b.eur(limit),  # type: ignore[arg-type]
        raw=b.eur(raw.taxable_gain if raw else ZERO),
    )


def forms(b: Builder) -> None:
    rows_in = form_rows(b.comp)
    if not rows_in:
        return
    rows: list[list[object]] = [b.head(["year", "figure", "amount", "form_line"])]
    for r in rows_in:
        rows.append(
            [
                str(r.year),
                b.cell(b.t(f"fig_{r.figure}")),
                b.cell(b.eur(r.amount), right=True),
                b.cell(r.line or b.t("no_form")),
            ]
        )
    b.story += [
        b.p(esc(b.t("forms_title")), b.s.h2),
        data_table(rows, [12 * mm, 55 * mm, 28 * mm, b.width - 95 * mm]),
        b.p(esc(b.t("verify_form")), b.s.note),
    ]
