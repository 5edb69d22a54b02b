"""The input boundary every reader uses: text normalisation and validation (``text``),
resource limits (``limits``), safe opening of XLSX (``xlsx``) and XML (``xml``) files, and the
rule for local times at a daylight-saving change (``timezones``). See docs/formats.md,
"Input boundary and limits"."""

from . import limits, text, timezones, xlsx, xml
from .limits import Limits
from .text import Role, checked_row, free_text, identifier, row_is_clean, ticker, visible

__all__ = [
    "Limits",
    "Role",
    "checked_row",
    "free_text",
    "identifier",
    "limits",
    "row_is_clean",
    "text",
    "ticker",
    "timezones",
    "visible",
    "xlsx",
    "xml",
]
