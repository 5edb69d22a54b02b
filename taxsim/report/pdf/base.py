"""What every section of the client PDF shares: the font, escaping, the capped table cell,
the paragraph styles, the table style and ``Builder`` (the story being built and its helpers).

Every text that comes from the ledger or the corrections file (wallet and asset names, ids,
reasons, evidence, the client's name) passes through ``esc`` before it reaches a Paragraph, so
``<b>`` or ``&`` in a comment is printed, never interpreted. The font is DejaVu Sans, bundled
in ``taxsim/data`` and embedded, so €, umlauts and ß render and the text stays selectable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from importlib import resources
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, Flowable, LongTable, Paragraph, Table, TableStyle

from ...model import Ledger
from ...whatif import Comparison
from ..labels import Lang, eur, moment, t

FONT, FONT_BOLD = "TaxsimSans", "TaxsimSans-Bold"
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
#: Left + right padding of a table cell (``data_table``): the text is this much narrower.
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
class Cell:
    """User text for a table cell; ``data_table`` makes it a ``capped`` paragraph once it knows
    the column's width."""

    text: str
    style: ParagraphStyle
    lang: Lang


def resolve(rows: list[list[object]], widths: Sequence[float]) -> list[list[object]]:
    """Each ``Cell`` → its ``capped`` paragraph at the width of its column."""
    return [
        [
            capped(c.text, c.style, widths[i], c.lang) if isinstance(c, Cell) else c
            for i, c in enumerate(row)
        ]
        for row in rows
    ]


def _longest_word(cell: object) -> float:
    """Width in points of the longest word of a cell (a number is one word)."""
    if isinstance(cell, Cell):
        text, font, size = cell.text[:MAX_CELL_CHARS], cell.style.fontName, cell.style.fontSize
    elif isinstance(cell, Paragraph):
        text, font, size = cell.getPlainText(), cell.style.fontName, cell.style.fontSize
    elif isinstance(cell, str):
        text, font, size = cell, FONT, 8
    else:
        return 0.0
    # "1,00 €" is one unit; a non-breaking space joins words (str.split would split there)
    words = [w for w in re.split(r"[ \t\r\n]+", text.replace(" €", "\u00a0€")) if w]
    if not words:
        return 0.0
    widths = [pdfmetrics.stringWidth(w, font, size) for w in words if len(w) < 60]
    fitting = [w for w in widths if w <= MAX_WORD_WIDTH]
    return max(fitting, default=0.0)


#: A word wider than this (points) may be split: a URL, a transaction hash, a long id.
MAX_WORD_WIDTH = 150.0


def word_widths(rows: list[list[object]], widths: list[float]) -> list[float]:
    """The column widths moved so that each column is at least as wide as its longest word
    (up to ``MAX_WORD_WIDTH``; padding included), taking the space from the columns with room
    to spare in proportion to it. When all the words cannot fit, the widths stay as given."""
    need = [0.0] * len(widths)
    for row in rows:
        for i, cell in enumerate(row[: len(widths)]):
            w = _longest_word(cell) + CELL_SIDE_PADDING + 1
            if w > need[i]:
                need[i] = w
    if sum(need) > sum(widths):
        return widths
    deficit = sum(max(n - w, 0.0) for n, w in zip(need, widths, strict=True))
    if deficit <= 0:
        return widths
    slack = [max(w - n, 0.0) for n, w in zip(need, widths, strict=True)]
    spare = sum(slack)
    return [
        max(w, n) - (slack[i] / spare * deficit if slack[i] else 0.0)
        for i, (n, w) in enumerate(zip(need, widths, strict=True))
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
    #: the diagnosis of the raw ledger (``taxsim.diagnosis.Diagnosis``) with the evidence
    #: the CLI was given (--previous, --onchain); None: the report diagnoses without it
    diagnosis: object | None = None
    #: zone of every time shown (local, as ``diagnose`` shows it); "" = the rule set's
    timezone: str = ""
    #: only these tax years (``--year``); None = all
    years: Sequence[int] | None = None
    #: none | summary | full (``--appendix``)
    appendix: str = "summary"
    #: (role, file name, SHA-256) of every input file, for the reproducibility page
    inputs: Sequence[tuple[str, str, str]] = ()
    #: the per-row cents of both passes (``export.PassCents``), shared with the exports;
    #: None: the report works out what it needs
    cents: Mapping[str, list[list[object]]] | None = None


class Styles:
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
        self.lead = ParagraphStyle("lead", base, fontSize=10.5, leading=14)
        self.big = ParagraphStyle("big", base, fontName=FONT_BOLD, fontSize=13, leading=17)
        self.note = ParagraphStyle(
            "note", base, fontSize=8, leading=10.5, textColor=colors.HexColor("#444444")
        )


def data_table(
    rows: list[list[object]],
    widths: list[float],
    *,
    numeric_from: int | None = None,
    long: bool = False,
    fit_words: bool = True,
) -> Table:
    """A table with the report's style; with ``fit_words`` the column widths are first shifted
    (``word_widths``) so that no word or number has to be split inside a cell."""
    cls = LongTable if long else Table
    if fit_words:
        widths = word_widths(rows, widths)
    table = cls(resolve(rows, widths), colWidths=widths, repeatRows=1)
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


class Builder:
    def __init__(
        self, comp: Comparison, data: ReportInput, progress: Callable[[str], None]
    ) -> None:
        self.comp, self.data, self.lang, self.step = comp, data, data.lang, progress
        self.s = Styles()
        self.story: list[object] = []
        self.width = A4[0] - 2 * MARGIN
        from ..model import report_figures, scam_tokens

        self.figures = report_figures(
            comp, scam_tokens=scam_tokens(data.diagnosis), years=data.years
        )
        self.zone = ZoneInfo(data.timezone or comp.rules.local_timezone)

    @property
    def raw_mode(self) -> bool:
        return self.figures.mode == "raw"

    def local(self, when: datetime) -> datetime:
        """A moment in the report's zone (every time shown is local, as ``diagnose``)."""
        return when.astimezone(self.zone)

    def moment(self, when: datetime) -> str:
        return moment(self.local(when), self.lang)

    # helpers --------------------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def eur(self, value: Decimal) -> str:
        return eur(value, self.lang)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of already-safe markup (labels are ours; ledger text is escaped)."""
        return Paragraph(text, style or self.s.body)

    def cell(self, text: object, right: bool = False, style: ParagraphStyle | None = None) -> Cell:
        """A wrapping table cell from plain (possibly ledger) text: escaped, and cut to
        ``MAX_CELL_HEIGHT`` with a note when too long (``capped``, done by ``data_table``)."""
        chosen = style or (self.s.cell_right if right else self.s.cell)
        return Cell(str(text), chosen, self.lang)

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

    def h1(self, key: str, space: float = 220) -> None:
        """A section heading with its outline entry; starts a new page when less than
        ``space`` points are left, so a heading never stands alone at a page foot."""
        title = self.t(key)
        self.story.append(CondPageBreak(space))
        self.bookmark(title)
        self.story.append(self.p(esc(title), self.s.h1))

    def bookmark(self, title: str, level: int = 0) -> None:
        self.story.append(Bookmark(title, level))


def number_cell(value: Decimal, lang: Lang) -> str:
    """An amount in a dense table: the number without the currency sign (the header says EUR)."""
    return eur(value, lang).replace(" €", "").replace("€", "")


class Bookmark(Flowable):
    """An entry of the PDF outline pointing at where it stands (zero size)."""

    _count = 0

    def __init__(self, title: str, level: int = 0) -> None:
        super().__init__()
        Bookmark._count += 1
        self.title, self.level, self.key = title, level, f"sec{Bookmark._count}"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
