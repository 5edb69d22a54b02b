"""The document: the sections in order, the page templates (portrait, landscape for the
appendix), the footer, and the layout into a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from ... import __version__
from ...model import TaxsimError
from ...whatif import Comparison
from .. import charts
from ..labels import t
from . import (
    appendix,
    audit,
    balances,
    corrections,
    cover,
    dac8,
    notes,
    repro,
    settings,
    shorts,
    summary,
)
from .base import FONT, FONT_BOLD, MARGIN, Builder, ReportInput, register_fonts

#: Progress is reported every this many pages of the layout.
PROGRESS_PAGES = 50


def page_numbers(pattern: str) -> type[Canvas]:
    """A canvas that writes "Seite N von M" on every page once the page count is known: each
    page's state is kept until ``save`` (reportlab's usual two-step page numbering, without
    laying the document out twice)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width = self._pagesize[0]
                self.saveState()
                self.setFont(FONT, 7)
                self.setFillColor(colors.grey)
                text = pattern.format(n=self._pageNumber, m=total)
                self.drawRightString(width - MARGIN, 10 * mm, text)
                self.restoreState()
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


#: The sections of the report in order: (progress label, renderer).
SECTIONS: tuple[tuple[str, Callable[[Builder], None]], ...] = (
    ("cover", cover.render),
    ("summary", summary.render),
    ("balances", balances.render),
    ("shorts", shorts.render),
    ("corrections", corrections.render),
    ("audit", audit.render),
    ("dac8", dac8.render),
    ("settings", settings.render),
    ("notes", notes.render),
    ("appendix", appendix.render),
    ("reproducibility", repro.render),
)


def build_pdf(
    comp: Comparison,
    out: Path,
    data: ReportInput,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Render the report to ``out``; ``progress`` is told which section is being built."""
    register_fonts()
    step = progress or (lambda _label: None)
    builder = Builder(comp, data, step)
    for name, render in SECTIONS:
        step(f"report: {name}")
        render(builder)
    lang = data.lang
    client = data.client
    draft = t("draft_mark", lang) if builder.raw_mode else ""
    left = f"taxsim {__version__}" + (f" — {client}" if client else "")

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        width, height = canvas._pagesize
        canvas.saveState()
        if draft:  # mode raw: a draft mark under every page's content
            canvas.setFont(FONT_BOLD, 90)
            canvas.setFillColor(colors.HexColor("#f2d7d5"))
            canvas.translate(width / 2, height / 2)
            canvas.rotate(40)
            canvas.drawCentredString(0, -30, draft)
            canvas.restoreState()
            canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.grey)
        # drawString draws plain text: no markup is interpreted, the client name is safe as is
        canvas.drawString(MARGIN, 10 * mm, charts.one_line(left, FONT, 7, width * 0.6))
        canvas.restoreState()

    def after_page(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        if doc.page % PROGRESS_PAGES == 0:
            step(f"report: layout, page {doc.page:,}")

    def frame(size: tuple[float, float]) -> Frame:
        return Frame(MARGIN, 18 * mm, size[0] - 2 * MARGIN, size[1] - 34 * mm, id="body")

    out.parent.mkdir(parents=True, exist_ok=True)
    doc = BaseDocTemplate(
        str(out),
        pagesize=A4,
        title=t("title_raw" if draft else "title", lang),
        author="taxsim",
        subject=client,
        pageTemplates=[
            PageTemplate("portrait", [frame(A4)], onPage=footer, onPageEnd=after_page, pagesize=A4),
            PageTemplate(
                "landscape",
                [frame(landscape(A4))],
                onPage=footer,
                onPageEnd=after_page,
                pagesize=landscape(A4),
            ),
        ],
    )
    step("report: layout")
    try:
        doc.build(builder.story, canvasmaker=page_numbers(t("page_of", lang, n="{n}", m="{m}")))
    except LayoutError as exc:  # a cell taller than a page: a bug to fix, never a traceback
        out.unlink(missing_ok=True)
        raise TaxsimError(
            f"the PDF could not be laid out ({str(exc).splitlines()[0][:200]}); "
            "please report this; `taxsim simulate --json` gives the figures meanwhile"
        ) from None
    return out
