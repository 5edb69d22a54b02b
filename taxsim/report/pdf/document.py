"""The document: the sections in order, the page templates (portrait, landscape for the
appendix), the footer, and the layout into a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from ...model import TaxsimError
from ...whatif import Comparison
from .. import charts
from ..labels import t
from . import appendix, audit, balances, corrections, cover, dac8, settings, shorts, summary
from .base import FONT, MARGIN, Builder, ReportInput, register_fonts

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
    ("appendix", appendix.render),
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
