"""A platform's DAC8 report: the OECD CARF XML or the simple CSV, read by content."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from ...inputs import limits
from ...inputs import xml as xml_guard
from ...model import InputError
from ..platforms import PlatformsConfig, load_platforms
from .base import CSV_COLUMNS, PlatformReport, Record, ReportLine, resolve_corrections
from .carf_xml import _read_xml
from .csv_report import _read_csv
from .writers import render_carf_xml, render_report_csv


def read_platform_report(
    path: str | Path,
    *,
    platform: str | None = None,
    platforms: PlatformsConfig | None = None,
    known_wallets: Iterable[str] = (),
    known_assets: Collection[str] = (),
    user: str | None = None,
) -> PlatformReport:
    """Read a platform's DAC8 report (CARF XML or CSV, by content).

    The platform is ``platform`` if given; otherwise (XML) the RCASP's name, then the file
    name, matched against the ledger's wallets and the configured platforms. ``known_assets``
    (the ledger's tickers) helps map names such as "Bitcoin (BTC)"; ``user`` (TIN or name)
    chooses the client in a CARF file with several reportable users. Both are optional and
    were added after the first release (keyword-only, so existing calls are unchanged).
    """
    platforms = platforms or load_platforms()
    known = list(dict.fromkeys([*known_wallets, *platforms.reporting.names]))
    name = str(path)
    try:
        size = Path(path).stat().st_size
        limits.check_file_size(name, size, "xml_bytes")  # the larger of the two limits
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise InputError(name, None, None, "file not found") from exc
    except OSError as exc:
        raise InputError(name, None, None, f"cannot read the file: {exc.strerror}") from None
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        xml_guard.check(name, data)  # size, depth, text nodes, characters (taxsim.inputs)
        return _read_xml(name, data, platform, platforms, known, known_assets, user)
    limits.check_file_size(name, size)
    return _read_csv(name, data, platform, platforms, known, known_assets)


__all__ = [
    "CSV_COLUMNS",
    "PlatformReport",
    "Record",
    "ReportLine",
    "read_platform_report",
    "render_carf_xml",
    "render_report_csv",
    "resolve_corrections",
]
