"""The client PDF (reportlab platypus).

Sections: cover; summary per year with the Freigrenze crossings, the raw-vs-corrected bar
chart and the form lines; the negative balances with their timelines; the raw pass's
"Short (Warning)" sales and what resolves each; the corrections with reasons, evidence and
effect; the audit trail of every manual change; the DAC8 checklist; the disclosure of settings
(BMF 6.3.2025 Rz. 90); an appendix of the corrected disposals.

Every text that comes from the ledger or the corrections file (wallet and asset names, ids,
reasons, evidence, the client's name) passes through ``esc`` before it reaches a Paragraph, so
``<b>`` or ``&`` in a comment is printed, never interpreted. The font is DejaVu Sans, bundled
in ``taxsim/data`` and embedded, so €, umlauts and ß render and the text stays selectable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from ..engine.holding import local_date
from ..engine.types import Disposal, Origin
from ..model import ZERO, Ledger, TaxsimError
from ..summary import YearFigures
from ..whatif import Comparison
from . import charts
from .export import corrections_by_tx, form_rows, row_money
from .labels import LABELS, Lang, day, eur, id_list, moment, percent, qty, t

FONT, FONT_BOLD = "TaxsimSans", "TaxsimSans-Bold"
#: How many balance timelines get a chart; the table lists every negative balance.
MAX_CHARTS = 6
#: Font size of the appendix (14 columns on a landscape page).
APPENDIX_FONT_SIZE = 6.5
#: Share of the page width of each of the appendix's 14 columns.
APPENDIX_WIDTHS = (
    0.075, 0.07, 0.11, 0.08, 0.075, 0.075, 0.055, 0.075, 0.07, 0.075, 0.04, 0.05, 0.05, 0.075,
)  # fmt: skip
#: Padding above and below a table cell (points); an appendix row is at least
#: ``APPENDIX_FONT_SIZE × 1.2 + 2 × CELL_PADDING`` high.
CELL_PADDING = 2
MARGIN = 18 * mm
#: The tallest a table cell of user text (reason, evidence, wallet name, id, audit summary,
#: client name) may be, in points: one table row must fit on a page, also on the landscape
#: pages of the appendix (a frame 499 pt high) below the repeated header row. A longer text
#: is cut and ends in "… (full text in the advisor workbook / audit CSV)".
MAX_CELL_HEIGHT = 320.0
#: Characters of one cell laid out at most (the height decides; this bounds the work).
MAX_CELL_CHARS = 4000
#: Left + right padding of a table cell (``_table``): the text is this much narrower.
CELL_SIDE_PADDING = 6


def register_fonts() -> None:
    """Register DejaVu Sans (bundled) — it has €, umlauts, ß, → and ≥; reportlab's Vera as a
    fallback if the bundled files are missing (a broken install), since Vera has € and ß too."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    data = resources.files("taxsim.data")
    regular, bold = data / "DejaVuSans.ttf", data / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        with resources.as_file(regular) as r, resources.as_file(bold) as b:
            pdfmetrics.registerFont(TTFont(FONT, str(r)))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(b)))
    else:  # pragma: no cover - only on an install without the bundled font
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def esc(text: object) -> str:
    """Ledger text → Paragraph-safe text (``<``, ``>``, ``&`` become entities)."""
    return escape(str(text))


def capped(text: object, style: ParagraphStyle, width: float, lang: Lang) -> Paragraph:
    """A wrapping paragraph of plain (user) text, escaped, for a table cell ``width`` points
    wide (padding included), at most ``MAX_CELL_HEIGHT`` high: a longer text is cut and ends
    in the note ``cell_cut`` ("… (full text in the advisor workbook / audit CSV)"), so that
    any reason, evidence list, wallet name or id lets the PDF be laid out.

    Most texts are short: a wrapped paragraph has at most 2 × (text width / line width) + 1
    lines (a word that does not fit moves to the next line; a longer one is split), so when
    that fits no layout is needed. Otherwise the paragraph is measured and, if too tall, the
    longest prefix that fits together with the note is found by bisection."""
    plain = str(text)
    line = max(width - CELL_SIDE_PADDING, 1.0)
    most_lines = MAX_CELL_HEIGHT / style.leading
    total = pdfmetrics.stringWidth(plain[:MAX_CELL_CHARS], style.fontName, style.fontSize)
    if len(plain) <= MAX_CELL_CHARS and 2 * total / line + 1 <= most_lines:
        return Paragraph(esc(plain), style)

    def fits(markup: str) -> Paragraph | None:
        para = Paragraph(markup, style)
        return para if para.wrap(line, 1e9)[1] <= MAX_CELL_HEIGHT else None

    if len(plain) <= MAX_CELL_CHARS:
        whole = fits(esc(plain))
        if whole is not None:
            return whole
    note = " " + t("cell_cut", lang)
    low, high = 0, min(len(plain), MAX_CELL_CHARS)  # low characters always fit
    best = Paragraph(esc(note.strip()), style)
    while low < high:
        mid = (low + high + 1) // 2
        para = fits(esc(plain[:mid].rstrip()) + esc(note))
        if para is None:
            high = mid - 1
        else:
            low, best = mid, para
    return best


@dataclass(slots=True)
class _Cell:
    """User text for a table cell; ``_table`` makes it a ``capped`` paragraph once it knows
    the column's width."""

    text: str
    style: ParagraphStyle
    lang: Lang


def _resolve(rows: list[list[object]], widths: Sequence[float]) -> list[list[object]]:
    """Each ``_Cell`` → its ``capped`` paragraph at the width of its column."""
    return [
        [
            capped(c.text, c.style, widths[i], c.lang) if isinstance(c, _Cell) else c
            for i, c in enumerate(row)
        ]
        for row in rows
    ]


@dataclass(slots=True)
class ReportInput:
    """What the report needs besides the comparison."""

    ledger: Ledger  # the raw ledger (for the balance timelines)
    client: str = ""
    lang: Lang = "de"
    ledger_name: str = ""
    corrections_name: str = ""
    corrections: object | None = None  # corrections.CorrectionSet (evidence)
    checklist: Sequence[object] | None = None  # dac8.Check list
    checklist_error: str = ""
    generated: datetime | None = None


class _Styles:
    def __init__(self) -> None:
        base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12)
        self.body = base
        self.small = ParagraphStyle("small", base, fontSize=7, leading=8.5)
        self.tiny = ParagraphStyle(
            "tiny", base, fontSize=APPENDIX_FONT_SIZE, leading=APPENDIX_FONT_SIZE * 1.2
        )
        self.small_right = ParagraphStyle("small_right", self.small, alignment=TA_RIGHT)
        self.cell = ParagraphStyle("cell", base, fontSize=8, leading=10)
        self.cell_right = ParagraphStyle("cell_right", self.cell, alignment=TA_RIGHT)
        self.head = ParagraphStyle("head", base, fontName=FONT_BOLD, fontSize=7, leading=8.5)
        self.head_right = ParagraphStyle("head_right", self.head, alignment=TA_RIGHT)
        self.h1 = ParagraphStyle(
            "h1", base, fontName=FONT_BOLD, fontSize=14, leading=18, spaceBefore=6, spaceAfter=8
        )
        self.h2 = ParagraphStyle(
            "h2", base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
        )
        self.title = ParagraphStyle(
            "title", base, fontName=FONT_BOLD, fontSize=22, leading=28, spaceAfter=10
        )
        self.subtitle = ParagraphStyle("subtitle", base, fontSize=13, leading=17, spaceAfter=24)
        self.note = ParagraphStyle(
            "note", base, fontSize=8, leading=10.5, textColor=colors.HexColor("#444444")
        )


def _table(
    rows: list[list[object]],
    widths: list[float],
    *,
    numeric_from: int | None = None,
    long: bool = False,
) -> Table:
    cls = LongTable if long else Table
    table = cls(_resolve(rows, widths), colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#7f8c8d")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f9fb")]),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if numeric_from is not None:
        style.append(("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(style))
    return table


class _Builder:
    def __init__(
        self, comp: Comparison, data: ReportInput, progress: Callable[[str], None]
    ) -> None:
        self.comp, self.data, self.lang, self.step = comp, data, data.lang, progress
        self.s = _Styles()
        self.story: list[object] = []
        self.width = A4[0] - 2 * MARGIN

    # helpers --------------------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def eur(self, value: Decimal) -> str:
        return eur(value, self.lang)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of already-safe markup (labels are ours; ledger text is escaped)."""
        return Paragraph(text, style or self.s.body)

    def cell(self, text: object, right: bool = False, style: ParagraphStyle | None = None) -> _Cell:
        """A wrapping table cell from plain (possibly ledger) text: escaped, and cut to
        ``MAX_CELL_HEIGHT`` with a note when too long (``capped``, done by ``_table``)."""
        chosen = style or (self.s.cell_right if right else self.s.cell)
        return _Cell(str(text), chosen, self.lang)

    def head(
        self, keys: list[str], right_from: int | None = None, right: Sequence[int] = ()
    ) -> list[object]:
        """A table's header row: small bold labels, so that long German words fit; the headers
        of numeric columns are right-aligned like their numbers."""
        return [
            Paragraph(
                esc(self.t(k)),
                self.s.head_right
                if (right_from is not None and i >= right_from) or i in right
                else self.s.head,
            )
            for i, k in enumerate(keys)
        ]

    def h1(self, key: str) -> None:
        self.story.append(self.p(esc(self.t(key)), self.s.h1))

    # sections -------------------------------------------------------------------------------
    def cover(self) -> None:
        c, d = self.comp, self.data
        years = c.years
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—")
        generated = d.generated or datetime.now(UTC)
        self.story += [
            Spacer(1, 40 * mm),
            self.p(esc(self.t("title")), self.s.title),
            self.p(esc(self.t("subtitle")), self.s.subtitle),
        ]
        rows = [
            [self.t("client"), d.client or "—"],
            [self.t("years"), span],
            [self.t("jurisdiction"), self.t(f"jur_{c.rules.jurisdiction}")],
            [self.t("ledger_file"), d.ledger_name or "—"],
            [self.t("corrections_file"), d.corrections_name or self.t("none")],
            [self.t("generated"), day(generated, self.lang)],
        ]
        widths = [45 * mm, self.width - 45 * mm]
        table = Table(
            _resolve(
                [[self.p(f"<b>{esc(k)}</b>"), self.cell(v, style=self.s.body)] for k, v in rows],
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
        self.story += [
            table,
            Spacer(1, 20 * mm),
            self.p(esc(self.t("cover_note")), self.s.note),
            PageBreak(),
        ]

    def summary(self) -> None:
        c = self.comp
        at = c.rules.jurisdiction == "AT"
        self.h1("sec_summary")
        years = c.years
        # table 1: the gains (§ 23 / § 27b) — where the fictitious profit sits
        header = ["year", "raw_taxable", "cor_taxable", "fictitious"]
        header += ["speculation"] if at else ["raw_after", "cor_after"]
        header += ["exempt", "shorts"]
        rows: list[list[object]] = [self.head(header, right_from=1)]
        for y in years:
            raw = c.raw.figures.get(y) or YearFigures(y)
            cor = c.corrected.figures.get(y) or YearFigures(y)
            row = [str(y), self.eur(raw.taxable_gain), self.eur(cor.taxable_gain)]
            row.append(self.eur(c.fictitious(y)))
            if at:  # old § 31 (realized before 2022-03-01), corrected pass
                row.append(self.eur(cor.speculation_gain))
            else:
                row += [
                    self.eur(raw.taxable_after_allowance),
                    self.eur(cor.taxable_after_allowance),
                ]
            row += [self.eur(cor.exempt_gain), f"{raw.short_count} → {cor.short_count}"]
            rows.append(row)
        if len(years) > 1:
            total = [self.t("total"), self.eur(sum((c.raw.taxable(y) for y in years), ZERO))]
            total.append(self.eur(sum((c.corrected.taxable(y) for y in years), ZERO)))
            total.append(self.eur(sum((c.fictitious(y) for y in years), ZERO)))
            rows.append(total + [""] * (len(header) - 4))
        self.story.append(self._figure_table(rows, total=len(years) > 1))
        # table 2: income and the tax on each pass — where the tax effect comes from
        header = ["year", "raw_income", "cor_income", "raw_tax", "cor_tax", "tax_effect"]
        rows = [self.head(header, right_from=1)]
        for y in years:
            raw, cor = c.raw.figures.get(y), c.corrected.figures.get(y)
            rows.append(
                [
                    str(y),
                    self.eur(raw.income if raw else ZERO),
                    self.eur(cor.income if cor else ZERO),
                    self.eur(c.tax_due(raw)),
                    self.eur(c.tax_due(cor)),
                    self.eur(c.tax_effect(y)),
                ]
            )
        if len(years) > 1:
            rows.append(
                [self.t("total"), "", "", "", ""]
                + [self.eur(sum((c.tax_effect(y) for y in years), ZERO))]
            )
        self.story += [Spacer(1, 3 * mm), self._figure_table(rows, total=len(years) > 1)]
        self.story.append(Spacer(1, 3 * mm))
        for y in c.years:
            sentence = self._crossing(y)
            if sentence:
                self.story.append(self.p(f"<b>{esc(sentence)}</b>"))
        if at:
            note = self.t("tax_note_at")
        else:
            rate = c.tax.marginal_rate or c.rules.tax.default_marginal_rate or ZERO
            church = c.tax.church or self.t("none")
            note = self.t("tax_note_de", rate=percent(rate, self.lang), church=church)
        self.story += [self.p(esc(note), self.s.note), Spacer(1, 4 * mm)]
        if c.years:
            drawing = charts.year_bars(
                c.years,
                [c.raw.taxable(y) for y in c.years],
                [c.corrected.taxable(y) for y in c.years],
                (self.t("raw"), self.t("corrected")),
                FONT,
                self.lang,
                width=self.width,
            )
            self.story.append(
                KeepTogether([self.p(f"<b>{esc(self.t('chart_title'))}</b>"), drawing])
            )
        self.forms()

    def _figure_table(self, rows: list[list[object]], total: bool) -> Table:
        n = len(rows[0])
        first = 16 * mm
        table = _table(rows, [first] + [(self.width - first) / (n - 1)] * (n - 1), numeric_from=1)
        if total:
            last = [
                ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
                ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.grey),
            ]
            table.setStyle(TableStyle(last))
        return table

    def _crossing(self, year: int) -> str:
        """The Freigrenze crossing in the report's language (the logic of ``Comparison``)."""
        if not self.comp.freigrenze_crossing(year):
            return ""
        raw = self.comp.raw.figures.get(year)
        cor = self.comp.corrected.figures.get(year)
        limit = (raw or cor).freigrenze  # type: ignore[union-attr]
        gain = cor.taxable_gain if cor else ZERO
        below = ZERO <= gain < limit  # type: ignore[operator]
        return self.t(
            "crossing_below" if below else "crossing_above",
            year=year,
            gain=self.eur(gain),
            limit=self.eur(limit),  # type: ignore[arg-type]
            raw=self.eur(raw.taxable_gain if raw else ZERO),
        )

    def forms(self) -> None:
        rows_in = form_rows(self.comp)
        if not rows_in:
            return
        rows: list[list[object]] = [self.head(["year", "figure", "amount", "form_line"])]
        for r in rows_in:
            rows.append(
                [
                    str(r.year),
                    self.cell(self.t(f"fig_{r.figure}")),
                    self.cell(self.eur(r.amount), right=True),
                    self.cell(r.line or self.t("no_form")),
                ]
            )
        self.story += [
            self.p(esc(self.t("forms_title")), self.s.h2),
            _table(rows, [12 * mm, 55 * mm, 28 * mm, self.width - 95 * mm]),
            self.p(esc(self.t("verify_form")), self.s.note),
        ]

    def balances(self) -> None:
        self.h1("sec_balances")
        self.story.append(self.p(esc(self.t("balances_intro"))))
        lines = charts.negative_timelines(self.data.ledger, self.comp.raw.result)
        if not lines:
            self.story.append(self.p(esc(self.t("no_negative"))))
            return
        header = ["wallet", "asset", "tipping_point", "lowest", "end_balance", "gap_eur"]
        header += ["cause", "priority"]
        rows: list[list[object]] = [self.head(header, right=(3, 4, 5))]
        for line in lines:
            tip = line.tipping
            assert tip is not None
            cause = f"cause_{line.cause}"
            rows.append(
                [
                    self.cell(line.wallet),
                    self.cell(line.asset),
                    self.cell(f"{moment(tip[0], self.lang)} ({tip[2]})"),
                    self.cell(qty(line.lowest, self.lang), right=True),
                    self.cell(qty(line.end, self.lang), right=True),
                    self.cell(
                        self.eur(line.gap_eur) if line.gap_eur is not None else "—", right=True
                    ),
                    self.cell(self.t(cause) if cause in LABELS else line.cause or "—"),
                    self.cell(self.t("prio_" + line.priority)),
                ]
            )
        w = self.width
        widths = [0.15, 0.08, 0.18, 0.11, 0.11, 0.14, 0.14, 0.09]
        self.story += [Spacer(1, 2 * mm), _table(rows, [x * w for x in widths], long=True)]
        shown = [x for x in lines if x.priority == "high"][:MAX_CHARTS] or lines[:1]
        self.story.append(Spacer(1, 3 * mm))
        if len(shown) < len(lines):
            text = self.t("charts_shown", shown=len(shown), total=len(lines))
            self.story.append(self.p(esc(text), self.s.note))
        for line in shown:
            assert line.tipping is not None
            title = self.t("balance_of", asset=line.asset, wallet=line.wallet)
            label = f"{self.t('tipping_point')} {day(line.tipping[0], self.lang)}"
            # chart strings are drawn as plain text (no markup), so no escaping is needed there
            chart = charts.balance_chart(line, title, label, FONT, self.lang, self.width)
            self.story.append(KeepTogether([Spacer(1, 2 * mm), chart]))

    def shorts(self) -> None:
        self.h1("sec_shorts")
        raw_shorts = [d for d in self.comp.raw.result.disposals if d.is_short]
        if not raw_shorts:
            self.story.append(self.p(esc(self.t("no_shorts"))))
            return
        self.story.append(self.p(esc(self.t("shorts_intro"))))
        header = ["date", "disposal", "wallet", "asset", "uncovered", "proceeds", "resolution"]
        rows: list[list[object]] = [self.head(header, right=(4, 5))]
        resolution = self._resolutions(raw_shorts)
        for d in raw_shorts:
            rows.append(
                [
                    self.cell(moment(d.time, self.lang)),
                    self.cell(d.tx_id),
                    self.cell(d.wallet),
                    self.cell(d.asset),
                    self.cell(qty(d.short_quantity, self.lang), right=True),
                    self.cell(self.eur(d.short_proceeds), right=True),
                    self.cell(resolution[d.tx_id]),
                ]
            )
        w = self.width
        self.story += [
            Spacer(1, 2 * mm),
            _table(
                rows,
                [0.14 * w, 0.1 * w, 0.13 * w, 0.08 * w, 0.1 * w, 0.12 * w, 0.33 * w],
                long=True,
            ),
        ]
        remaining = self.comp.remaining_shorts() if self.comp.applied is not None else raw_shorts
        total = sum((d.short_proceeds for d in remaining), ZERO)
        text = (
            self.t("remaining_title", n=len(remaining), eur=self.eur(total))
            if remaining
            else self.t("remaining_none")
        )
        self.story += [Spacer(1, 2 * mm), self.p(f"<b>{esc(text)}</b>")]

    def _resolutions(self, raw_shorts: list[Disposal]) -> dict[str, str]:
        """What resolves each raw short: the corrections that removed the sale or added/changed
        a row crediting its asset to its wallet before it; else the open task."""
        marks = corrections_by_tx(self.comp)
        corrected = {d.tx_id: d for d in self.comp.corrected.result.disposals}
        applied = self.comp.applied
        credits: dict[
            str, list[tuple[str, str, datetime]]
        ] = {}  # correction → (wallet, asset, time)
        if applied is not None:
            by_id = {tx.id: tx for tx in applied.ledger.transactions}  # type: ignore[attr-defined]
            for a in applied.audit:  # type: ignore[attr-defined]
                tx = by_id.get(a.tx_id)
                if tx is not None and tx.buy is not None and a.action != "removed":
                    credits.setdefault(a.correction, []).append(
                        (tx.to_wallet or tx.wallet, tx.buy.asset, tx.time)
                    )
        out: dict[str, str] = {}
        for d in raw_shorts:
            helpers = [
                cid
                for cid, moves in credits.items()
                if any(
                    w == d.wallet and asset == d.asset and when <= d.time
                    for w, asset, when in moves
                )
            ]
            after = corrected.get(d.tx_id)
            if applied is not None and after is None:
                ids = marks.get(d.tx_id) or helpers
                out[d.tx_id] = self.t("resolved_removed", ids=id_list(ids, self.lang) or "—")
            elif after is not None and after.is_short and after.short_quantity >= d.short_quantity:
                out[d.tx_id] = self.t(
                    "open",
                    qty=qty(after.short_quantity, self.lang),
                    asset=d.asset,
                    time=moment(d.time, self.lang),
                )
            elif after is not None and after.is_short:
                out[d.tx_id] = self.t(
                    "resolved_partly",
                    ids=id_list(helpers, self.lang) or "—",
                    qty=qty(after.short_quantity, self.lang),
                )
            elif helpers or marks.get(d.tx_id):
                out[d.tx_id] = self.t(
                    "resolved_by",
                    ids=id_list(list(dict.fromkeys(marks.get(d.tx_id, []) + helpers)), self.lang),
                )
            else:
                out[d.tx_id] = self.t("resolved_indirect")
        return out

    def corrections(self) -> None:
        self.h1("sec_corrections")
        if self.comp.applied is None:
            self.story.append(self.p(esc(self.t("no_corrections"))))
            return
        self.story.append(self.p(esc(self.t("corrections_intro"))))
        evidence = {
            c.id: list(c.evidence) for c in getattr(self.data.corrections, "corrections", ())
        }
        changes = getattr(self.comp.applied, "by_correction", {}) or {}
        header = ["id", "kind", "reason", "evidence", "alone", "left_out", "changes"]
        rows: list[list[object]] = [self.head(header, right=(4, 5, 6))]
        for w in self.comp.worth:
            if w.error:
                alone = left = self.t("worth_error")
            else:
                alone = self._by_year(w.alone, w.alone_income)
                left = self._by_year(w.left_out, w.left_out_income)
            rows.append(
                [
                    self.cell(w.id),
                    self.cell(w.kind),
                    self.cell(w.reason),
                    self.cell("; ".join(evidence.get(w.id, [])) or "—"),
                    self.p(alone, self.s.small_right),
                    self.p(left, self.s.small_right),
                    self.cell(str(len(changes.get(w.id, []))), right=True),
                ]
            )
        w = self.width
        self.story += [
            Spacer(1, 2 * mm),
            _table(
                rows,
                [0.06 * w, 0.12 * w, 0.26 * w, 0.16 * w, 0.16 * w, 0.16 * w, 0.08 * w],
                long=True,
            ),
        ]

    def _by_year(self, values: dict[int, Decimal], income: dict[int, Decimal]) -> str:
        """Effect on the taxable gain per year and in total; the effect on income below it
        when the correction changes income (e.g. a scam airdrop booked as income)."""
        lines = [f"{y}: {esc(self.eur(v))}" for y, v in sorted(values.items()) if v]
        total = sum(values.values(), ZERO)
        lines.append(f"<b>Σ {esc(self.eur(total))}</b>")
        if any(income.values()):
            lines.append(esc(self.t("worth_income")))
            lines += [f"{y}: {esc(self.eur(v))}" for y, v in sorted(income.items()) if v]
        return "<br/>".join(lines)

    def audit(self) -> None:
        self.h1("sec_audit")
        self.story.append(self.p(esc(self.t("audit_intro"))))
        entries = getattr(self.comp.applied, "audit", None) or []
        if not entries:
            self.story.append(self.p(esc(self.t("no_audit"))))
            return
        header = ["correction", "action", "row", "before", "after", "reason"]
        rows: list[list[object]] = [self.head(header)]
        for a in entries:
            action = self.t(f"act_{a.action}") if f"act_{a.action}" in _ACTIONS else a.action
            rows.append(
                [
                    self.cell(a.correction),
                    self.cell(action),
                    self.cell(a.tx_id),
                    self.cell(a.before or "—", style=self.s.small),
                    self.cell(a.after or "—", style=self.s.small),
                    self.cell(a.reason, style=self.s.small),
                ]
            )
        w = self.width
        self.story += [
            Spacer(1, 2 * mm),
            _table(rows, [0.08 * w, 0.1 * w, 0.1 * w, 0.25 * w, 0.25 * w, 0.22 * w], long=True),
        ]

    def dac8(self) -> None:
        self.h1("sec_dac8")
        self.story.append(self.p(esc(self.t("dac8_intro"))))
        checks = self.data.checklist
        if checks is None:
            self.story.append(
                self.p(esc(self.t("dac8_missing", error=self.data.checklist_error or "—")))
            )
            return
        header = ["id", "check", "status", "finding"]
        rows: list[list[object]] = [self.head(header)]
        style: list[tuple[object, ...]] = []
        palette = {"pass": "#d5f5e3", "warn": "#fdebd0", "fail": "#f5b7b1"}
        for i, c in enumerate(checks, start=1):
            status = str(getattr(c, "status", ""))
            title = getattr(c, f"title_{self.lang}", "")
            message = getattr(c, f"message_{self.lang}", "")
            tx_ids = list(getattr(c, "tx_ids", []) or [])
            if tx_ids:
                message += " (" + id_list(tx_ids, self.lang) + ")"
            rows.append(
                [
                    str(getattr(c, "number", i)),
                    self.cell(title),
                    self.cell(self.t(f"st_{status}") if f"st_{status}" in _STATUSES else status),
                    self.cell(message, style=self.s.small),
                ]
            )
            if status in palette:
                style.append(("BACKGROUND", (2, i), (2, i), colors.HexColor(palette[status])))
        w = self.width
        table = _table(rows, [0.06 * w, 0.22 * w, 0.1 * w, 0.62 * w], long=True)
        table.setStyle(TableStyle(style))
        self.story += [Spacer(1, 2 * mm), table]

    def settings(self) -> None:
        self.h1("sec_settings")
        self.story.append(self.p(esc(self.t("settings_intro"))))
        settings = dict(self.comp.as_json()["settings"])  # type: ignore[arg-type]
        if "marginal_rate" in settings:
            settings["marginal_rate"] = percent(Decimal(str(settings["marginal_rate"])), self.lang)
        pairs = [(self.t("set_rule_set"), self.comp.rules.name)]
        pairs += [(self._setting(k), self._value(k, str(v))) for k, v in settings.items()]
        pairs.append((self.t("set_ledger_format"), self.data.ledger.format or "—"))
        pairs.append((self.t("set_rounding"), self.t("rounding_text")))
        rows: list[list[object]] = [[self.cell(self.t("setting")), self.cell(self.t("value"))]]
        rows += [[self.cell(k), self.cell(v)] for k, v in pairs]
        self.story += [Spacer(1, 2 * mm), _table(rows, [0.35 * self.width, 0.65 * self.width])]

    def _setting(self, key: str) -> str:
        return self.t(f"set_{key}") if f"set_{key}" in _SETTINGS else key

    def _value(self, key: str, value: str) -> str:
        """A setting's value in words, with the rule-set code in brackets for traceability."""
        if key == "price_source":
            return self.t("val_price_source")
        if key == "holding_period" and self.lang == "de":
            return value.replace("years", "Jahre").replace("year", "Jahr")
        label = f"val_{value}"
        return f"{self.t(label)} ({value})" if label in LABELS else value

    def appendix(self) -> None:
        # the appendix has 14 columns: it gets landscape pages
        self.story += [NextPageTemplate("landscape"), PageBreak()]
        self.width = landscape(A4)[0] - 2 * MARGIN
        self.h1("sec_appendix")
        self.story.append(
            self.p(esc(self.t("appendix_intro", tz=self.comp.rules.local_timezone)), self.s.note)
        )
        disposals = self.comp.corrected.result.disposals
        if not disposals:
            self.story.append(self.p(esc(self.t("no_disposals"))))
            return
        marks = corrections_by_tx(self.comp)
        header = [
            "date",
            "disposal",
            "wallet",
            "qty",
            "proceeds",
            "cost",
            "fee",
            "gain",
            "lot",
            "acquired",
            "days",
            "taxable",
            "origin",
            "corr_short",
        ]
        rows: list[list[object]] = [self.head(header, right=(3, 4, 5, 6, 7, 10))]
        lang, rules = self.lang, self.comp.rules
        widths = [x * self.width for x in APPENDIX_WIDTHS]
        tiny = self.s.tiny
        width_of = pdfmetrics.stringWidth

        def fit(text: str, column: int) -> object:
            """A text cell: as it is when it fits on one line (a table draws plain text, no
            markup), else a paragraph that wraps. Most cells fit, and a paragraph costs about
            ten times as much to lay out (a 100k-row ledger has 100k appendix rows)."""
            if width_of(text, FONT, APPENDIX_FONT_SIZE) <= widths[column] - 6:
                return text
            return capped(text, tiny, widths[column], lang)

        origin_mark = {Origin.LOT: "", Origin.SHORT: "S", Origin.GHOST: "G"}
        # the cents of the advisor exports: per year and figure the rows add up (docs/report.md)
        cents_of = row_money(self.comp.corrected.result, rules)
        for n, (d, amounts) in enumerate(zip(disposals, cents_of, strict=True), start=1):
            if n % 500 == 0:
                self.step(f"appendix {n}/{len(disposals)}")
            for m, r in zip(d.matches or [None], amounts, strict=True):
                ids = marks.get(d.tx_id, []) + (
                    [c for c in marks.get(m.lot_id, []) if c not in marks.get(d.tx_id, [])]
                    if m
                    else []
                )
                if m is None:
                    taxable = ""
                elif not d.realized:
                    taxable = self.t("not_realized")
                elif r.category == "speculation_gain":
                    taxable = self.t("spec_31")
                else:
                    taxable = self.t("yes") if m.taxable else self.t("no")
                rows.append(
                    [
                        day(local_date(d.time, rules), lang),
                        fit(d.tx_id, 1),
                        fit(f"{d.wallet} · {d.asset}", 2),
                        qty(m.quantity if m else d.quantity, lang),
                        number_cell(r.proceeds, lang),
                        number_cell(r.cost, lang),
                        number_cell(r.fee, lang),
                        number_cell(r.gain, lang),
                        fit(m.lot_id if m else "", 8),
                        day(local_date(m.acquired, rules), lang) if m else "",
                        str(m.holding_days) if m else "",
                        taxable,
                        origin_mark[m.origin] if m else "",
                        fit(id_list(ids, lang, " "), 13),
                    ]
                )
        style = TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), APPENDIX_FONT_SIZE),
                ("LEADING", (0, 0), (-1, -1), APPENDIX_FONT_SIZE * 1.2),
                ("ALIGN", (3, 1), (7, -1), "RIGHT"),
                ("ALIGN", (10, 1), (10, -1), "RIGHT"),
            ]
        )
        self.story.append(_PagedRows(rows[0], rows[1:], widths, style))


class _PagedRows(Flowable):
    """Table rows laid out one page at a time: each page gets its own table, headed by
    ``head``, so the header row stands at the top of every page and nowhere else.

    Splitting one long table across pages makes reportlab measure and copy all the rows left
    at every page break (quadratic in the rows: a 100k-row appendix would never finish). Here
    each page builds a table from only the rows a page can hold, and the rest stays an index
    into ``body``: linear in the rows.
    """

    def __init__(
        self,
        head: list[object],
        body: list[list[object]],
        widths: list[float],
        style: TableStyle,
        start: int = 0,
    ) -> None:
        super().__init__()
        self.head, self.body, self.widths, self.style, self.start = head, body, widths, style, start
        self._whole: Table | None = None  # the table of all the rows left, once they are few

    def _rows_at_most(self, height: float) -> int:
        """More rows than fit into ``height``: every row is at least one line high."""
        return int(height / (APPENDIX_FONT_SIZE * 1.2 + 2 * CELL_PADDING)) + 2

    def _table(self, end: int) -> Table:
        table = _table([self.head, *self.body[self.start : end]], self.widths, long=True)
        table.setStyle(self.style)
        return table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._whole = None
        if len(self.body) - self.start > self._rows_at_most(availHeight):
            return availWidth, availHeight + 1  # more than the space left: ask for a split
        self._whole = self._table(len(self.body))
        return self._whole.wrap(availWidth, availHeight)  # type: ignore[no-any-return]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        end = min(len(self.body), self.start + self._rows_at_most(availHeight))
        parts = self._table(end).split(availWidth, availHeight)
        if not parts:  # not even one row fits below the header: the next page
            return []
        taken = len(parts[0]._cellvalues) - 1  # the rows below the header on this page
        rest = _PagedRows(self.head, self.body, self.widths, self.style, self.start + taken)
        return [parts[0]] + ([rest] if rest.start < len(self.body) else [])

    def draw(self) -> None:
        assert self._whole is not None  # wrap found that the rows left fit
        self._whole.drawOn(self.canv, 0, 0)


_ACTIONS = {"act_added", "act_removed", "act_changed"}
_STATUSES = {"st_pass", "st_warn", "st_fail", "st_n/a"}
_SETTINGS = {
    "set_method",
    "set_lot_scope",
    "set_lot_order",
    "set_holding_period",
    "set_network_fee",
    "set_short_policy",
    "set_local_timezone",
    "set_price_source",
    "set_marginal_rate",
    "set_church_tax",
}


def number_cell(value: Decimal, lang: Lang) -> str:
    """An amount in a dense table: the number without the currency sign (the header says EUR)."""
    return eur(value, lang).replace(" €", "").replace("€", "")


def build_pdf(
    comp: Comparison,
    out: Path,
    data: ReportInput,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Render the report to ``out``; ``progress`` is told which section is being built."""
    register_fonts()
    step = progress or (lambda _label: None)
    builder = _Builder(comp, data, step)
    for name in (
        "cover",
        "summary",
        "balances",
        "shorts",
        "corrections",
        "audit",
        "dac8",
        "settings",
        "appendix",
    ):
        step(f"report: {name}")
        getattr(builder, name)()
    lang = data.lang
    client = data.client

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        width = canvas._pagesize[0]
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.grey)
        # drawString draws plain text: no markup is interpreted, the client name is safe as is
        line = charts.one_line(f"taxsim — {client}", FONT, 7, width * 0.7) if client else "taxsim"
        canvas.drawString(MARGIN, 10 * mm, line)
        canvas.drawRightString(width - MARGIN, 10 * mm, f"{t('page', lang)} {doc.page}")
        canvas.restoreState()

    def frame(size: tuple[float, float]) -> Frame:
        return Frame(MARGIN, 18 * mm, size[0] - 2 * MARGIN, size[1] - 34 * mm, id="body")

    out.parent.mkdir(parents=True, exist_ok=True)
    doc = BaseDocTemplate(
        str(out),
        pagesize=A4,
        title=t("title", lang),
        author="taxsim",
        subject=client,
        pageTemplates=[
            PageTemplate("portrait", [frame(A4)], onPage=footer, pagesize=A4),
            PageTemplate(
                "landscape", [frame(landscape(A4))], onPage=footer, pagesize=landscape(A4)
            ),
        ],
    )
    step("report: layout")
    try:
        doc.build(builder.story)
    except LayoutError as exc:  # a cell taller than a page: a bug to fix, never a traceback
        out.unlink(missing_ok=True)
        raise TaxsimError(
            f"the PDF could not be laid out ({str(exc).splitlines()[0][:200]}); "
            "please report this; `taxsim simulate --json` gives the figures meanwhile"
        ) from None
    return out
