"""The appendix: every corrected disposal, one row per matched lot, on landscape pages."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Table, TableStyle

from ...engine.holding import local_date
from ...engine.types import Disposal, Origin
from ...model import ZERO
from ..export import RowMoney, corrections_by_tx, row_money
from ..labels import day, id_list, qty
from .base import (
    APPENDIX_FONT_SIZE,
    APPENDIX_WIDTHS,
    CELL_PADDING,
    FONT,
    MARGIN,
    Builder,
    capped,
    data_table,
    esc,
    number_cell,
)


def render(b: Builder) -> None:
    mode = b.data.appendix
    if mode == "none":
        return
    # the appendix has 14 columns: it gets landscape pages
    b.story += [NextPageTemplate("landscape"), PageBreak()]
    b.width = landscape(A4)[0] - 2 * MARGIN
    b.h1("sec_appendix_full" if mode == "full" else "sec_appendix")
    intro = "appendix_intro" if mode == "full" else "appendix_intro_summary"
    b.story.append(b.p(esc(b.t(intro, tz=str(b.zone))), b.s.note))
    everything = b.comp.corrected.result.disposals
    if not everything:
        b.story.append(b.p(esc(b.t("no_disposals"))))
        return
    marks = corrections_by_tx(b.comp)
    rules = b.comp.rules
    chosen_years = {r.year for r in b.figures.years}
    shared = b.data.cents
    cents_all = (
        shared["corrected"] if shared is not None else row_money(b.comp.corrected.result, rules)
    )
    in_years = [
        (d, amounts)
        for d, amounts in zip(everything, cents_all, strict=True)
        if amounts and amounts[0].year in chosen_years
    ]
    _asset_totals(b, in_years)
    traced = _traced(b)
    if mode == "full":
        listed = in_years
    else:
        listed = [
            (d, amounts)
            for d, amounts in in_years
            if d.tx_id in traced
            or marks.get(d.tx_id)
            or any(m.origin is not Origin.LOT or marks.get(m.lot_id) for m in d.matches)
        ]
    if not listed:
        b.story.append(b.p(esc(b.t("appendix_none_changed")), b.s.note))
        return
    b.story.append(b.p(esc(b.t("appendix_rows", n=len(listed), total=len(in_years))), b.s.h2))
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
    rows: list[list[object]] = [b.head(header, right=(3, 4, 5, 6, 7, 10))]
    lang = b.lang
    widths = [x * b.width for x in APPENDIX_WIDTHS]
    tiny = b.s.tiny
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
    for n, (d, amounts) in enumerate(listed, start=1):
        if n % 500 == 0:
            b.step(f"appendix {n:,}/{len(listed):,}")
        for m, r in zip(d.matches or [None], amounts, strict=True):
            ids = marks.get(d.tx_id, []) + (
                [c for c in marks.get(m.lot_id, []) if c not in marks.get(d.tx_id, [])] if m else []
            )
            ids += [c for c in traced.get(d.tx_id, []) if c not in ids]
            if m is None:
                taxable = ""
            elif not d.realized:
                taxable = b.t("not_realized")
            elif r.category == "speculation_gain":
                taxable = b.t("spec_31")
            else:
                taxable = b.t("yes") if m.taxable else b.t("no")
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
                    fit(lot_text(m.lot_id) if m else "", 8),
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
    b.story.append(PagedRows(rows[0], rows[1:], widths, style))


def lot_text(lot_id: str) -> str:
    """A lot id as shown: a pool id ("avg:MetaMask Arbitrum:ETH") may wrap after its colons."""
    return lot_id.replace(":", ": ") if lot_id.startswith("avg:") else lot_id


def _traced(b: Builder) -> dict[str, list[str]]:
    """Raw short sale → the corrections that resolved it, followed through own transfers
    (as section 3 names them), so that its lots name the correction too."""
    from .shorts import resolvers

    return {k: v for k, v in resolvers(b).items() if v}


def _asset_totals(b: Builder, rows: list[tuple[Disposal, list[RowMoney]]]) -> None:
    """Per crypto-asset the corrected disposals: count, proceeds, cost, fees, gain and the
    taxable part (the cents of the exports, so they add up to the yearly figures)."""
    totals: dict[str, list[Decimal]] = {}
    counts: dict[str, int] = {}
    for d, amounts in rows:
        t = totals.setdefault(d.asset, [ZERO] * 5)
        counts[d.asset] = counts.get(d.asset, 0) + 1
        for r in amounts:
            t[0] += r.proceeds
            t[1] += r.cost
            t[2] += r.fee
            t[3] += r.gain
            if r.category == "taxable_gain":
                t[4] += r.gain
    if not totals:
        return
    head = b.head(
        ["asset", "disposals_n", "proceeds", "cost", "fee", "gain", "taxable_part"], right_from=1
    )
    table_rows: list[list[object]] = [head]
    for asset in sorted(totals):
        t = totals[asset]
        table_rows.append(
            [b.cell(asset), f"{counts[asset]:,}".replace(",", "." if b.lang == "de" else ",")]
            + [number_cell(v, b.lang) for v in t]
        )
    w = b.width
    b.story += [
        b.p(esc(b.t("asset_totals")), b.s.h2),
        data_table(table_rows, [0.2 * w] + [0.8 * w / 6] * 6, numeric_from=1),
    ]


class PagedRows(Flowable):
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
        table = data_table(
            [self.head, *self.body[self.start : end]], self.widths, long=True, fit_words=False
        )
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
        rest = PagedRows(self.head, self.body, self.widths, self.style, self.start + taken)
        return [parts[0]] + ([rest] if rest.start < len(self.body) else [])

    def draw(self) -> None:
        assert self._whole is not None  # wrap found that the rows left fit
        self._whole.drawOn(self.canv, 0, 0)
