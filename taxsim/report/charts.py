"""Charts of the report (reportlab.graphics) and the balance timelines behind them.

Float appears only here, and only when a Decimal is handed to the chart drawing: the
figures printed in the report's tables are always formatted from the exact Decimals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..engine.types import PassResult
from ..model import FIAT, ZERO, Ledger, Transaction, in_processing_order

RAW_COLOR = colors.HexColor("#c0392b")
COR_COLOR = colors.HexColor("#2e86c1")


@dataclass(slots=True)
class Timeline:
    """The running balance of one asset in one wallet, and where it first goes negative.

    Used when ``taxsim.diagnosis`` is not available; it is the plain arithmetic of the model
    (``+buy − sell − fee`` on ``wallet``, a transfer's buy leg on ``to_wallet``).
    """

    wallet: str
    asset: str
    points: list[tuple[datetime, Decimal]] = field(default_factory=list)
    tipping: tuple[datetime, Decimal, str] | None = None  # time, balance after, tx id
    lowest: Decimal = ZERO
    #: the diagnosis's gap €: |lowest| × unit price of the tipping leg (or the asset's
    #: reference price); None when no price is known or without the diagnosis
    gap_eur: Decimal | None = None
    #: raw pass: proceeds of the uncovered units sold in this wallet (a gap whose units were
    #: transferred first is sold short in another wallet, so this may be 0 for it)
    short_eur: Decimal = ZERO
    priority: str = ""  # high | medium | low (taxsim.diagnosis, else by ``short_eur``)
    cause: str = ""  # taxsim.diagnosis.Cause value, "" without the diagnosis

    @property
    def end(self) -> Decimal:
        return self.points[-1][1] if self.points else ZERO


def balance_timelines(transactions: Iterable[Transaction]) -> dict[tuple[str, str], Timeline]:
    """Running balance per (wallet, asset) of every crypto-asset, in processing order."""
    lines: dict[tuple[str, str], Timeline] = {}

    def move(wallet: str, asset: str, delta: Decimal, tx: Transaction) -> None:
        if asset in FIAT:
            return
        line = lines.get((wallet, asset))
        if line is None:
            line = lines[(wallet, asset)] = Timeline(wallet, asset)
        balance = (line.points[-1][1] if line.points else ZERO) + delta
        line.points.append((tx.time, balance))
        if balance < line.lowest:
            line.lowest = balance
        if balance < ZERO and line.tipping is None:
            line.tipping = (tx.time, balance, tx.id)

    for tx in in_processing_order(transactions):
        if tx.buy is not None:
            move(tx.to_wallet or tx.wallet, tx.buy.asset, tx.buy.amount, tx)
        if tx.sell is not None:
            move(tx.wallet, tx.sell.asset, -tx.sell.amount, tx)
        if tx.fee is not None:
            move(tx.wallet, tx.fee.asset, -tx.fee.amount, tx)
    return lines


def negative_timelines(
    ledger: Ledger, raw: PassResult, diagnosis: object | None = None
) -> list[Timeline]:
    """The wallet×asset balances that go negative, most urgent first.

    ``taxsim.diagnosis`` supplies the timelines, tipping points, causes, priorities and each
    gap's EUR value (``gap_eur``); the order is the diagnosis's: priority, then gap € (largest
    first), then tipping time. Without it (it is an optional module) the plain running balance
    is used and the priority is derived from the EUR amount sold short in the wallet itself.
    """
    short_eur: dict[tuple[str, str], Decimal] = {}
    for d in raw.disposals:
        if d.is_short:
            key = (d.wallet, d.asset)
            short_eur[key] = short_eur.get(key, ZERO) + d.short_proceeds
    if diagnosis is None:
        try:
            from ..diagnosis import diagnose
        except ImportError:
            diagnose = None  # type: ignore[assignment]
        if diagnose is not None:
            diagnosis = diagnose(ledger)
    if diagnosis is not None:
        out = []
        for f in diagnosis.findings:  # type: ignore[attr-defined]
            steps = diagnosis.timelines.get((f.wallet, f.asset), [])  # type: ignore[attr-defined]
            out.append(
                Timeline(
                    f.wallet,
                    f.asset,
                    points=[(s.time, s.balance) for s in steps],
                    tipping=(f.tipping.time, f.tipping.balance, f.tipping.tx_id),
                    lowest=f.lowest,
                    gap_eur=f.gap_eur,
                    short_eur=short_eur.get((f.wallet, f.asset), ZERO),
                    priority=f.priority.value,
                    cause=f.cause.value,
                )
            )
        return out  # find_negatives' order: priority, gap € (largest first), tipping time
    lines = balance_timelines(ledger.transactions)
    negative = [line for line in lines.values() if line.tipping is not None]
    for line in negative:
        line.short_eur = short_eur.get((line.wallet, line.asset), ZERO)
    top = max((line.short_eur for line in negative), default=ZERO)
    for line in negative:
        if top > 0 and line.short_eur >= top / 4:
            line.priority = "high"
        else:
            line.priority = "medium" if line.short_eur > 0 else "low"
    return sorted(negative, key=lambda x: (-x.short_eur, x.tipping[0], x.wallet, x.asset))  # type: ignore[index]


def _axis_font(axis: object, font: str) -> None:
    axis.labels.fontName = font  # type: ignore[attr-defined]
    axis.labels.fontSize = 7  # type: ignore[attr-defined]


def year_bars(
    years: list[int],
    raw: list[Decimal],
    corrected: list[Decimal],
    labels: tuple[str, str],
    font: str,
    lang: str = "de",
    width: float = 440,
    height: float = 190,
) -> Drawing:
    """Grouped bars: raw vs corrected taxable gain per year."""
    d = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 55, 35
    chart.width, chart.height = width - 80, height - 60
    chart.data = [[float(v) for v in raw], [float(v) for v in corrected]]
    chart.categoryAxis.categoryNames = [str(y) for y in years]
    chart.bars[0].fillColor = RAW_COLOR
    chart.bars[1].fillColor = COR_COLOR
    chart.barSpacing = 2
    chart.groupSpacing = 12
    low = min([0.0, *chart.data[0], *chart.data[1]])
    high = max([0.0, *chart.data[0], *chart.data[1]])
    chart.valueAxis.valueMin = low * 1.1 if low < 0 else 0
    chart.valueAxis.valueMax = high * 1.1 if high > 0 else 1
    chart.valueAxis.labelTextFormat = lambda v: axis_number(v, lang, 0)
    _axis_font(chart.valueAxis, font)
    _axis_font(chart.categoryAxis, font)
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = 60, height - 8
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [(RAW_COLOR, labels[0]), (COR_COLOR, labels[1])]
    d.add(legend)
    return d


def axis_number(value: float, lang: str, places: int | None = None) -> str:
    """An axis label (float is fine here: it only positions and labels the drawing)."""
    text = f"{value:,.{places}f}" if places is not None else f"{value:,.6g}"
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def one_line(text: str, font: str, size: float, width: float) -> str:
    """``text`` as drawn on one line ``width`` points wide: cut and ended with "…" when longer
    (a chart title or the footer naming a 6,000-character wallet or client name)."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, min(len(text), int(width))  # at most a character a point: bounds the work
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def balance_chart(
    line: Timeline,
    title: str,
    tipping_label: str,
    font: str,
    lang: str = "de",
    width: float = 440,
    zone: tzinfo | None = None,
    until: datetime | None = None,
) -> Drawing:
    """Step line of the running balance, the area below zero shaded red, the zero line and
    the tipping point marked (its label in a white box above the plot, clear of the lines).
    The line runs on to ``until`` (the ledger's last day) so that a gap opened by the last
    transaction still shows as an area; dates are in ``zone``; the y axis is in units of the
    asset."""
    height = 160
    d = Drawing(width, height)
    d.add(String(0, height - 10, one_line(title, font, 9, width), fontName=font, fontSize=9))
    plot = LinePlot()
    plot.x, plot.y = 62, 25
    plot.width, plot.height = width - 82, height - 62
    start = line.points[0][0]

    def x(moment: datetime) -> float:
        return (moment - start).total_seconds() / 86400

    steps: list[tuple[float, float]] = []
    previous = 0.0
    for moment, balance in line.points:
        steps.append((x(moment), previous))
        previous = float(balance)
        steps.append((x(moment), previous))
    last = x(line.points[-1][0])
    # run on after the last transaction: a tenth of the history, at least 30 days
    end = max(last + max(last * 0.1, 30.0), x(until) if until is not None else 0.0)
    steps.append((end, previous))
    lo, hi = -max(end * 0.02, 1.0), end
    span = hi - lo
    buckets = max(int(plot.width * BUCKETS_PER_POINT), 1)
    plot.data = [thinned(steps, lo, span, buckets)]
    plot.lines[0].strokeColor = COR_COLOR
    plot.lines[0].strokeWidth = 1.2
    values = [v for _, v in steps]
    low, high = min([0.0, *values]), max([0.0, *values])
    pad = (high - low) * 0.08 or 1.0
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = low - pad, high + pad
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = lo, hi
    ticks: dict[str, float] = {}
    for i in range(5):
        v = lo + span * i / 4
        ticks.setdefault(_date_at(start, v, lang, zone), v)
    plot.xValueAxis.valueSteps = list(ticks.values())
    plot.xValueAxis.labelTextFormat = lambda v: _date_at(start, v, lang, zone)
    plot.yValueAxis.labelTextFormat = lambda v: axis_number(v, lang)
    _axis_font(plot.xValueAxis, font)
    _axis_font(plot.yValueAxis, font)

    def px(days: float) -> float:
        return plot.x + plot.width * (days - lo) / span

    def py(value: float) -> float:
        vmin, vmax = plot.yValueAxis.valueMin, plot.yValueAxis.valueMax
        return plot.y + plot.height * (value - vmin) / (vmax - vmin)

    # the negative area: between the zero line and the step line where it is below zero,
    # one shaded polygon (thinned as the line is)
    from reportlab.graphics.shapes import Polygon, Rect

    shade = colors.Color(0.75, 0.22, 0.17, alpha=0.25)
    if low < 0:
        below = thinned([(t, min(v, 0.0)) for t, v in steps], lo, span, buckets)
        outline = [steps[0][0], 0.0, *(c for t, v in below for c in (t, v)), steps[-1][0], 0.0]
        points = [px(c) if n % 2 == 0 else py(c) for n, c in enumerate(outline)]
        d.add(Polygon(points, fillColor=shade, strokeColor=None))
    d.add(plot)
    y0 = py(0)
    d.add(
        Line(plot.x, y0, plot.x + plot.width, y0, strokeColor=colors.grey, strokeDashArray=[2, 2])
    )
    unit = one_line(line.asset, font, 7, 50)
    d.add(String(plot.x - 4, plot.y + plot.height + 4, unit, fontName=font, fontSize=7,
                 textAnchor="end"))  # fmt: skip
    if line.tipping is not None:
        tx = px(x(line.tipping[0]))
        d.add(Line(tx, plot.y, tx, plot.y + plot.height + 6, strokeColor=RAW_COLOR, strokeWidth=1))
        anchor = "end" if tx > plot.x + plot.width * 0.6 else "start"
        offset = -3 if anchor == "end" else 3
        text_w = stringWidth(tipping_label, font, 7)
        box_x = tx + offset - (text_w if anchor == "end" else 0)
        label_y = plot.y + plot.height + 8
        d.add(Rect(box_x - 1, label_y - 2, text_w + 2, 9, fillColor=colors.white,
                   strokeColor=None))  # fmt: skip
        d.add(String(tx + offset, label_y, tipping_label, fontName=font, fontSize=7,
                     fillColor=RAW_COLOR, textAnchor=anchor))  # fmt: skip
    return d


#: Points a balance line keeps per point of the plot's width (see ``thinned``).
BUCKETS_PER_POINT = 2


def thinned(
    points: list[tuple[float, float]], lo: float, span: float, buckets: int
) -> list[tuple[float, float]]:
    """``points`` (x ascending) with at most four in each of ``buckets`` equal stretches of
    the x axis from ``lo`` over ``span``: the first, the lowest, the highest and the last, in
    their order ("M4" reduction). The line drawn through them covers the same heights in every
    stretch, so at half a point per stretch it looks the same — and a ledger with a million
    rows draws its charts as fast as one with a thousand."""
    if len(points) <= 4 * buckets:
        return points
    scale = buckets / span
    out: list[tuple[float, float]] = []
    i, n = 0, len(points)
    while i < n:
        bucket = int((points[i][0] - lo) * scale)
        j = low = high = i
        while j + 1 < n and int((points[j + 1][0] - lo) * scale) == bucket:
            j += 1
            y = points[j][1]
            if y < points[low][1]:
                low = j
            if y > points[high][1]:
                high = j
        out += [points[k] for k in sorted({i, low, high, j})]
        i = j + 1
    return out


def _date_at(start: datetime, days: float, lang: str, zone: tzinfo | None = None) -> str:
    moment = start + timedelta(days=days)
    if zone is not None:
        moment = moment.astimezone(zone)
    return moment.strftime("%d.%m.%Y" if lang == "de" else "%Y-%m-%d")


def _nice_step(high: float) -> float:
    """A round step for about 4 grid lines up to ``high``."""
    raw = high / 4 if high > 0 else 1.0
    power = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1.0
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def tax_bars(
    years: list[int],
    raw: list[tuple[Decimal, Decimal]],
    corrected: list[tuple[Decimal, Decimal]] | None,
    labels: dict[str, str],
    font: str,
    lang: str = "de",
    width: float = 440,
    height: float = 170,
) -> Drawing:
    """Per year a bar of the tax on the raw ledger and (when given) one of the tax after the
    corrections, each stacked: the tax on gains below, the tax on income on top, the total
    above the bar. ``labels``: raw, corrected (under the bars), on_gains, on_income (legend)."""
    d = Drawing(width, height)
    left, bottom, top = 62.0, 30.0, 22.0
    plot_w, plot_h = width - left - 8, height - bottom - top
    totals = [float(a + b) for a, b in raw] + [float(a + b) for a, b in corrected or []]
    high = max([0.0, *totals])
    step = _nice_step(high * 1.15)
    ceiling = step * max(1, -(-high * 1.15 // step)) if high > 0 else step * 4
    scale = plot_h / ceiling
    grid = colors.HexColor("#dddddd")
    value = 0.0
    while value <= ceiling + 1e-9:
        y = bottom + value * scale
        d.add(Line(left, y, left + plot_w, y, strokeColor=grid, strokeWidth=0.5))
        d.add(
            String(left - 4, y - 2.5, axis_number(value, lang, 0), fontName=font, fontSize=7,
                   textAnchor="end")
        )  # fmt: skip
        value += step
    passes = 2 if corrected is not None else 1
    slot = plot_w / max(len(years), 1)
    bar = min(34.0, slot * 0.8 / passes)
    shades = {
        ("raw", 0): RAW_COLOR,
        ("raw", 1): colors.HexColor("#e6a39b"),
        ("cor", 0): COR_COLOR,
        ("cor", 1): colors.HexColor("#9ccbeb"),
    }
    from reportlab.graphics.shapes import Rect

    for i, year in enumerate(years):
        centre = left + slot * (i + 0.5)
        series = [("raw", raw[i])] + ([("cor", corrected[i])] if corrected is not None else [])
        for j, (name, (gains, income)) in enumerate(series):
            x0 = centre - passes * bar / 2 + j * bar + 1
            y = bottom
            for k, part in enumerate((gains, income)):
                h = float(part) * scale
                if h > 0:
                    d.add(Rect(x0, y, bar - 2, h, fillColor=shades[(name, k)], strokeColor=None))
                    y += h
            total = axis_number(float(gains + income), lang, 0)
            d.add(String(x0 + (bar - 2) / 2, y + 2, total, fontName=font, fontSize=6.5,
                         textAnchor="middle"))  # fmt: skip
            d.add(String(x0 + (bar - 2) / 2, bottom - 9, labels[name], fontName=font,
                         fontSize=6.5, textAnchor="middle"))  # fmt: skip
        d.add(String(centre, bottom - 20, str(year), fontName=font, fontSize=8,
                     textAnchor="middle"))  # fmt: skip
    d.add(Line(left, bottom, left + plot_w, bottom, strokeColor=colors.black, strokeWidth=0.6))
    legend = Legend()
    legend.x, legend.y = left, height - 4
    legend.fontName, legend.fontSize = font, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 95
    pairs = [(RAW_COLOR, f"{labels['raw']} {labels['on_gains']}"),
             (shades[("raw", 1)], f"{labels['raw']} {labels['on_income']}")]  # fmt: skip
    if corrected is not None:
        pairs += [(COR_COLOR, f"{labels['cor']} {labels['on_gains']}"),
                  (shades[("cor", 1)], f"{labels['cor']} {labels['on_income']}")]  # fmt: skip
    legend.colorNamePairs = pairs
    d.add(legend)
    return d
