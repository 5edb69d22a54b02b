"""The expected report written as CARF XML or CSV (samples, and for a client who wants to hand
the expected report to an adviser)."""

from __future__ import annotations

import csv
from collections import defaultdict

from ...summary import cents
from ..categories import Category
from ..categories import format_number as _fmt
from ..view import Aggregate, Dac8View
from .base import CSV_COLUMNS


def render_carf_xml(view: Dac8View, platform: str, year: int, *, user: str = "") -> str:
    """The expected report of ``platform`` for ``year`` as an OECD CARF v1.5 XML skeleton.

    Party details are placeholders; figures are the gross amounts rounded to cents. Every text
    from the ledger is XML-escaped.
    """
    from xml.sax.saxutils import escape, quoteattr

    by_asset: dict[str, list[Aggregate]] = defaultdict(list)
    for a in view.lines(platform=platform, year=year):
        by_asset[a.key.asset].append(a)
    order = list(Category)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<carf:CARF_OECD xmlns:carf="urn:oecd:ties:carf:v1" '
        'xmlns:stf="urn:oecd:ties:carfstf:v5" version="1.5">',
        "  <carf:MessageSpec>",
        "    <carf:TransmittingCountry>DE</carf:TransmittingCountry>",
        "    <carf:ReceivingCountry>DE</carf:ReceivingCountry>",
        "    <carf:MessageType>CARF</carf:MessageType>",
        f"    <carf:MessageRefId>TAXSIM-{year}-0001</carf:MessageRefId>",
        "    <carf:MessageTypeIndic>CARF701</carf:MessageTypeIndic>",
        f"    <carf:ReportingPeriod>{year}-12-31</carf:ReportingPeriod>",
        f"    <carf:Timestamp>{year + 1}-07-01T09:00:00</carf:Timestamp>",
        "  </carf:MessageSpec>",
        "  <carf:CARFBody>",
        "    <carf:RCASP><carf:RCASP_ID><carf:Entity>"
        f"<carf:Name>{escape(platform)}</carf:Name></carf:Entity></carf:RCASP_ID>"
        "<carf:DocSpec><stf:DocTypeIndic>OECD11</stf:DocTypeIndic>"
        f"<stf:DocRefId>TAXSIM-{year}-RCASP</stf:DocRefId></carf:DocSpec></carf:RCASP>",
        "    <carf:CryptoUsers>",
        "      <carf:UserID><carf:Individual><carf:Name><carf:FirstName>"
        f"{escape(user or 'Sample')}</carf:FirstName><carf:LastName>Client</carf:LastName>"
        "</carf:Name></carf:Individual></carf:UserID>",
    ]
    for asset in sorted(by_asset):
        out.append("      <carf:RelevantTransactions>")
        out.append(f"        <carf:CryptoAsset>{escape(asset)}</carf:CryptoAsset>")
        for a in sorted(by_asset[asset], key=lambda a: (order.index(a.key.category), a.key)):
            tag = a.key.category.value
            parts = []
            if a.key.transfer_type:
                parts.append(f"<carf:TransferType>{a.key.transfer_type}</carf:TransferType>")
            if a.key.category is not Category.TRANSFER_WALLET:
                parts.append(f"<carf:NumberofTransactions>{a.count}</carf:NumberofTransactions>")
            parts.append(f"<carf:Amount currCode={quoteattr('EUR')}>{cents(a.gross)}</carf:Amount>")
            parts.append(f"<carf:NumberofUnits>{_fmt(a.units)}</carf:NumberofUnits>")
            out.append(f"        <carf:{tag}>{''.join(parts)}</carf:{tag}>")
        out.append("      </carf:RelevantTransactions>")
    out += [
        "      <carf:DocSpec><stf:DocTypeIndic>OECD11</stf:DocTypeIndic>"
        f"<stf:DocRefId>TAXSIM-{year}-USER-1</stf:DocRefId></carf:DocSpec>",
        "    </carf:CryptoUsers>",
        "  </carf:CARFBody>",
        "</carf:CARF_OECD>",
        "",
    ]
    return "\n".join(out)


def render_report_csv(view: Dac8View, platform: str, year: int) -> str:
    """The expected report of ``platform`` for ``year`` in the simple CSV (docs/dac8.md).

    Text cells are neutralised so a spreadsheet never reads them as a formula."""
    import io

    def safe(text: str) -> str:
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for a in view.lines(platform=platform, year=year):
        k = a.key
        count = "" if k.category is Category.TRANSFER_WALLET else str(a.count)
        w.writerow(
            [safe(k.platform), k.year, safe(k.asset), k.category.value, k.transfer_type,
             _fmt(a.units), cents(a.gross), "EUR", count]
        )  # fmt: skip
    return buf.getvalue()
