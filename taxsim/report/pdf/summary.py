"""The summary per year: gains and tax on both passes, the Freigrenze crossings, the
raw-vs-corrected bar chart and the form lines."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from ...model import ZERO
from .. import charts
from ..export import form_rows
from ..labels import percent
from ..model import derivative_amount
from .base import FONT, FONT_BOLD, Builder, data_table, esc


def render(b: Builder) -> None:
    c, f = b.comp, b.figures
    at = c.rules.jurisdiction == "AT"
    raw_mode = b.raw_mode
    b.h1("sec_summary")
    rows_in, t = f.years, f.totals
    many = len(rows_in) > 1
    # table 1: the gains (§ 23 / § 27b) — where the fictitious gains sit
    if raw_mode:
        header = ["year", "raw_taxable", "pot_fictitious"]
        header += [] if at else ["raw_after"]
    else:
        header = ["year", "raw_taxable", "cor_taxable", "fictitious"]
        header += ["speculation"] if at else ["raw_after", "cor_after"]
    header += ["exempt_raw" if raw_mode else "exempt", "shorts"]
    rows: list[list[object]] = [b.head(header, right_from=1)]
    for r in rows_in:
        raw, cor = r.raw, r.corrected
        row = [str(r.year), b.eur(raw.taxable_gain)]
        if raw_mode:
            row.append(b.eur(r.fictitious_gain))
            row += [] if at else [b.eur(raw.taxable_after_allowance)]
            row += [b.eur(raw.exempt_gain), str(raw.short_count)]
        else:
            row += [b.eur(cor.taxable_gain), b.eur(r.fictitious_gain)]
            if at:  # old § 31 (realized before 2022-03-01), corrected pass
                row.append(b.eur(cor.speculation_gain))
            else:
                row += [b.eur(raw.taxable_after_allowance), b.eur(cor.taxable_after_allowance)]
            row += [b.eur(cor.exempt_gain), f"{raw.short_count} → {cor.short_count}"]
        rows.append(row)
    if many:
        total = [b.t("total"), b.eur(t.raw_taxable)]
        if raw_mode:
            total.append(b.eur(t.fictitious_gain))
            total += [] if at else [b.eur(t.raw_after_allowance)]
            total += ["", str(t.raw_shorts)]
        else:
            total += [b.eur(t.corrected_taxable), b.eur(t.fictitious_gain)]
            total += (
                [""] if at else [b.eur(t.raw_after_allowance), b.eur(t.corrected_after_allowance)]
            )
            total += ["", f"{t.raw_shorts} → {t.corrected_shorts}"]
        rows.append(total)
    b.story.append(_figure_table(b, rows, total=many))
    # table 2: income and the tax on each pass — where the difference comes from
    if raw_mode:
        header = ["year", "raw_income", "pot_fict_income_short", "raw_income_after", "raw_tax"]
    else:
        header = ["year", "raw_income", "cor_income", "fict_income_short", "raw_tax", "cor_tax"]
        header.append("tax_effect")
    rows = [b.head(header, right_from=1)]
    for r in rows_in:
        if raw_mode:
            row = [str(r.year), b.eur(r.raw.income), b.eur(r.fictitious_income)]
            row += [b.eur(r.raw.income_after_allowance), b.eur(r.tax_raw)]
        else:
            row = [str(r.year), b.eur(r.raw.income), b.eur(r.corrected.income)]
            row += [b.eur(r.fictitious_income), b.eur(r.tax_raw)]
            row += [b.eur(r.tax_corrected or ZERO), b.eur(r.tax_effect or ZERO)]
        rows.append(row)
    if many:
        if raw_mode:
            total = [b.t("total"), b.eur(t.raw_income), b.eur(t.fictitious_income)]
            total += [b.eur(t.raw_income_after_allowance), b.eur(t.tax_raw)]
        else:
            total = [b.t("total"), b.eur(t.raw_income), b.eur(t.corrected_income)]
            total += [b.eur(t.fictitious_income), b.eur(t.tax_raw)]
            total += [b.eur(t.tax_corrected or ZERO), b.eur(t.tax_effect or ZERO)]
        rows.append(total)
    b.story += [Spacer(1, 3 * mm), _figure_table(b, rows, total=many)]
    b.story.append(Spacer(1, 3 * mm))
    if not raw_mode:
        for r in rows_in:
            sentence = _crossing(b, r.year)
            if sentence:
                b.story.append(b.p(f"<b>{esc(sentence)}</b>"))
    _derivatives(b)
    if at:
        note = b.t("tax_note_at")
    else:
        rate = c.tax.marginal_rate or c.rules.tax.default_marginal_rate or ZERO
        church = c.tax.church or b.t("none")
        note = b.t("tax_note_de", rate=percent(rate, b.lang), church=church)
        if any(c.tax_result(y, c.raw.figures.get(y)).exact for y in c.years):
            note = b.t("tax_note_de_exact", church=church)  # taxable income given (taxsim.tax)
    if raw_mode:
        rate = (
            c.rules.tax.special_rate
            if at
            else (c.tax.marginal_rate or c.rules.tax.default_marginal_rate)
        )
        basis = percent(rate or ZERO, b.lang) + ("" if at else " + Soli")
        note = b.t("tax_note_raw", basis=basis)
    b.story += [b.p(esc(note), b.s.note), Spacer(1, 4 * mm)]
    years = [r.year for r in rows_in]
    if years and not raw_mode:
        drawing = charts.year_bars(
            years,
            [r.raw.taxable_gain for r in rows_in],
            [(r.raw if raw_mode else r.corrected).taxable_gain for r in rows_in],
            (b.t("raw"), b.t("raw" if raw_mode else "corrected")),
            FONT,
            b.lang,
            width=b.width,
        )
        b.story.append(KeepTogether([b.p(f"<b>{esc(b.t('chart_title'))}</b>"), drawing]))
    if raw_mode:  # no form lines for figures that are not fit for filing
        b.story.append(b.p(esc(b.t("no_forms_raw")), b.s.note))
    else:
        forms(b)


def _derivatives(b: Builder) -> None:
    """Per year the result of derivatives (margin/futures) when the engine reports it: DE
    § 20 Abs. 2 S. 1 Nr. 3 EStG (Anlage KAP), AT § 27 Abs. 4 EStG — shown, not simulated."""
    lines = []
    for r in b.figures.years:
        amount = derivative_amount(r.derivatives)
        if amount:
            lines.append(f"{r.year}: {b.eur(amount)}")
    if lines:
        key = "derivatives_at" if b.comp.rules.jurisdiction == "AT" else "derivatives_de"
        b.story.append(b.p(esc(b.t(key, lines="; ".join(lines))), b.s.note))


def _figure_table(b: Builder, rows: list[list[object]], total: bool) -> Table:
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
    every = form_rows(b.comp)
    # a client reads the lines to fill in; the empty ones (up to seven a year in Austria) stay
    # in the workbook and forms.csv, which list every line
    rows_in = [r for r in every if r.amount != 0]
    if not every:
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
    b.story.append(b.p(esc(b.t("forms_title")), b.s.h2))
    if rows_in:
        b.story.append(data_table(rows, [12 * mm, 55 * mm, 28 * mm, b.width - 95 * mm]))
    note = b.t("verify_form")
    if len(every) > len(rows_in):
        omitted = len(every) - len(rows_in)
        key = "forms_omitted_one" if omitted == 1 else "forms_omitted"
        note += " " + b.t(key, omitted=omitted)
    b.story.append(b.p(esc(note), b.s.note))
