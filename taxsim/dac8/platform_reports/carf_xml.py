"""The OECD CARF XML report (schema v1.5, docs/dac8.md "OECD CARF XML")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.parsers import expat

from ...model import InputError
from ..categories import (
    _CATEGORY_BY_LOWER,
    ALT_VALUATIONS,
    EXCHANGE_TYPES,
    Category,
    LineKey,
)
from ..platforms import PlatformsConfig
from .base import (
    _CURRENCIES,
    PlatformReport,
    ReportLine,
    _check_type,
    _count,
    _decimal,
    _resolve_platform,
)


@dataclass(slots=True)
class _Node:
    name: str  # local name, lower-case (namespace-agnostic, case-insensitive)
    tag: str  # local name as written, for messages
    attrs: dict[str, str]  # local attribute names, lower-case
    line: int
    children: list[_Node] = field(default_factory=list)
    text: str = ""

    def child(self, name: str) -> _Node | None:
        return next((c for c in self.children if c.name == name), None)

    def all(self, name: str) -> list[_Node]:
        return [c for c in self.children if c.name == name]

    def find(self, name: str) -> _Node | None:
        """First descendant with this name (depth first)."""
        for c in self.children:
            if c.name == name:
                return c
            hit = c.find(name)
            if hit is not None:
                return hit
        return None


class _Forbidden(Exception):
    pass


def _parse_xml(name: str, data: bytes) -> _Node:
    """Parse with expat into a light tree with line numbers.

    DTDs and entity declarations are refused outright (no entity expansion, no external
    resources: the billion-laughs and XXE attacks need a DOCTYPE). Namespaces are dropped.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Node] = []
    root: list[_Node] = []

    def local(n: str) -> str:
        return n.rsplit(" ", 1)[-1]

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(
            local(tag).lower(),
            local(tag),
            {local(k).lower(): v for k, v in attrs.items()},
            parser.CurrentLineNumber,
        )
        (stack[-1].children if stack else root).append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        node = stack.pop()
        node.text = node.text.strip()

    def chars(text: str) -> None:
        if stack:
            stack[-1].text += text

    def forbid(*_args: object) -> None:
        raise _Forbidden

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    try:
        parser.Parse(data, True)
    except _Forbidden:
        raise InputError(
            name,
            parser.CurrentLineNumber,
            None,
            "a DOCTYPE or ENTITY declaration is not allowed in a CARF report",
        ) from None
    except expat.ExpatError as exc:
        raise InputError(
            name, exc.lineno, None, f"not well-formed XML: {expat.ErrorString(exc.code)}"
        ) from None
    return root[0]


_FIGURES = {"numberoftransactions", "amount", "numberofunits"}
_ALLOWED_CHILDREN = {
    **{c: _FIGURES | {"exchangetype"} for c in (
        "cryptofiatin", "cryptofiatout", "cryptotocryptoin", "cryptotocryptoout")},
    "cryptotransferin": _FIGURES | {"transfertype", "altvaluation"},
    "cryptotransferout": _FIGURES | {"transfertype", "altvaluation"},
    "transferwallet": {"amount", "numberofunits", "altvaluation"},
    "rrpt": set(_FIGURES),
}  # fmt: skip


def _read_xml(
    name: str, data: bytes, platform: str | None, cfg: PlatformsConfig, known: Sequence[str]
) -> PlatformReport:
    root = _parse_xml(name, data)
    if root.name != "carf_oecd":
        raise InputError(name, root.line, root.tag, "expected the root element CARF_OECD")
    spec = root.child("messagespec")
    period = spec.child("reportingperiod") if spec is not None else None
    if period is None:
        raise InputError(name, root.line, "ReportingPeriod", "expected MessageSpec/ReportingPeriod")
    try:
        year = date.fromisoformat(period.text).year
    except ValueError:
        raise InputError(
            name,
            period.line,
            "ReportingPeriod",
            f"expected a date like 2026-12-31, got {period.text!r}",
        ) from None

    lines: list[ReportLine] = []
    bodies = root.all("carfbody")
    if not bodies:
        raise InputError(name, root.line, "CARFBody", "expected at least one CARFBody")
    for body in bodies:
        rcasp = body.child("rcasp")
        rname_node = rcasp.find("name") if rcasp is not None else None
        rname = rname_node.text if rname_node is not None else ""
        pname = platform or _resolve_platform([rname, Path(name).stem], known)
        if not pname:
            raise InputError(
                name,
                body.line,
                "RCASP",
                f"cannot tell which platform this report is from "
                f"(RCASP name {rname!r}); give it with --platform NAME",
            )
        for users in body.all("cryptousers"):
            for rt in users.all("relevanttransactions"):
                lines.extend(_relevant(name, rt, pname, year, cfg))
    return PlatformReport(name, "carf-xml", lines)


def _relevant(
    name: str, rt: _Node, platform: str, year: int, cfg: PlatformsConfig
) -> list[ReportLine]:
    asset_node = rt.child("cryptoasset")
    if asset_node is None or not asset_node.text:
        raise InputError(name, rt.line, "CryptoAsset", "expected the crypto-asset's name")
    asset = cfg.ticker(asset_node.text)
    out: list[ReportLine] = []
    for el in rt.children:
        if el.name == "cryptoasset":
            continue
        cat = _CATEGORY_BY_LOWER.get(el.name)
        if cat is None:
            raise InputError(
                name,
                el.line,
                el.tag,
                "unknown element in RelevantTransactions: expected one "
                "of CryptoAsset, " + ", ".join(c.value for c in Category),
            )
        allowed = _ALLOWED_CHILDREN[el.name]
        for c in el.children:
            if c.name not in allowed:
                raise InputError(name, c.line, c.tag, f"unexpected element in {el.tag}")
        ttype = ""
        if cat in (Category.CRYPTO_TRANSFER_IN, Category.CRYPTO_TRANSFER_OUT):
            tnode = el.child("transfertype")
            if tnode is None:
                raise InputError(
                    name, el.line, "TransferType", f"expected a TransferType in {el.tag}"
                )
            ttype = _check_type(cat, tnode.text, name, tnode.line, "TransferType")
        for code_el, codes in (("exchangetype", EXCHANGE_TYPES), ("altvaluation", ALT_VALUATIONS)):
            n = el.child(code_el)
            if n is not None and n.text.upper() not in codes:
                raise InputError(
                    name,
                    n.line,
                    n.tag,
                    f"unknown code {n.text!r}: expected one of " + ", ".join(sorted(codes)),
                )
        amount = el.child("amount")
        units = el.child("numberofunits")
        if amount is None or units is None:
            raise InputError(name, el.line, el.tag, "expected Amount and NumberofUnits")
        currency = amount.attrs.get("currcode", "").upper()
        if currency not in _CURRENCIES:
            raise InputError(
                name, amount.line, "currCode", f"expected currCode EUR or USD, got {currency!r}"
            )
        count: int | None = None
        if cat is not Category.TRANSFER_WALLET:
            cnode = el.child("numberoftransactions")
            if cnode is None:
                raise InputError(name, el.line, el.tag, "expected NumberofTransactions")
            count = _count(cnode.text, name, cnode.line, "NumberofTransactions")
        out.append(
            ReportLine(
                LineKey(platform, year, asset, cat, ttype),
                _decimal(units.text, name, units.line, "NumberofUnits", "a number of units"),
                _decimal(amount.text, name, amount.line, "Amount", "an amount"),
                currency,
                count,
                f"{name}:{el.line}",
            )
        )
    return out
