"""The OECD CARF XML report (schema v1.5, docs/dac8.md "OECD CARF XML")."""

from __future__ import annotations

from collections.abc import Collection, Sequence
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
    DELETED,
    DOC_TYPES,
    PlatformReport,
    Record,
    ReportLine,
    _check_type,
    _count,
    _currency,
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
    name: str,
    data: bytes,
    platform: str | None,
    cfg: PlatformsConfig,
    known: Sequence[str],
    assets: Collection[str] = (),
    user: str | None = None,
) -> PlatformReport:
    """Read a CARF file (docs/dac8.md, "OECD CARF XML").

    Records (``CryptoUsers``) deleted (DocTypeIndic OECD3) are skipped; corrected ones
    (OECD2) are data and replace, across the loaded reports, the record their
    ``CorrDocRefId`` names (:func:`~.base.resolve_corrections`). A nil report (CARF703, or no
    ``CARFBody``) is "nothing reported". With several reportable users the client is chosen by
    ``user`` (TIN or name); without it the file is refused with the list of users.
    """
    root = _parse_xml(name, data)
    if root.name != "carf_oecd":
        raise InputError(name, root.line, root.tag, "expected the root element CARF_OECD")
    spec = root.child("messagespec")
    period = spec.child("reportingperiod") if spec is not None else None
    if spec is None or period is None:
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
    indic_node = spec.child("messagetypeindic")
    indic = indic_node.text.upper() if indic_node is not None else ""
    if indic and indic not in MESSAGE_TYPES:
        raise InputError(
            name,
            indic_node.line if indic_node is not None else None,
            "MessageTypeIndic",
            f"unknown code {indic!r}: expected one of " + ", ".join(sorted(MESSAGE_TYPES)),
        )
    bodies = root.all("carfbody")
    report = PlatformReport(name, "carf-xml", [])
    if indic == "CARF703" or not bodies:
        # A nil report: the RCASP has nothing to report for the period (schema: CARFBody 0..n).
        pname = platform or _resolve_platform([Path(name).stem], known)
        if pname:
            pname = cfg.platform_of(pname)
            report.covered.append((pname, year))
            report.notes.append(f"nil report (no data) from {pname} for {year}")
        else:
            report.notes.append(
                f"nil report (no data) for {year}; its platform is unknown (--platform NAME)"
            )
        return report

    chosen: list[tuple[_Node, str, int, _User]] = []  # (users node, platform, line, user)
    everyone: list[_User] = []
    for body in bodies:
        rcasp = body.child("rcasp")
        rname_node = rcasp.find("name") if rcasp is not None else None
        rname = rname_node.text if rname_node is not None else ""
        rcasp_doc = _doc_spec(name, rcasp) if rcasp is not None else None
        if rcasp_doc is not None and rcasp_doc[0] in DELETED:
            report.notes.append(
                f"{name}:{rcasp.line if rcasp else body.line}: the RCASP record is deleted "
                f"({rcasp_doc[0]}); its users are not counted"
            )
            continue
        pname = platform or cfg.rcasp(rname) or _resolve_platform([rname, Path(name).stem], known)
        if not pname:
            raise InputError(
                name,
                body.line,
                "RCASP",
                f"cannot tell which platform this report is from "
                f"(RCASP name {rname!r}); give it with --platform NAME",
            )
        pname = cfg.platform_of(pname)  # "Kraken Pro" is Kraken's report
        for users in body.all("cryptousers"):
            who = _user(users)
            doc_type, ref, corr = _doc_spec(name, users) or ("", "", "")
            where = f"{name}:{users.line}"
            report.records.append(Record(ref, doc_type, corr, who.label, where))
            if doc_type in DELETED:
                report.notes.append(
                    f"{where}: record {ref or '(no DocRefId)'} of {who.label} is a deletion "
                    f"({doc_type}" + (f" of {corr}" if corr else "") + "): not counted as data"
                )
                continue
            everyone.append(who)
            chosen.append((users, pname, users.line, who))

    distinct = list(dict.fromkeys(u.identity for u in everyone))
    if user is not None:
        picked = [c for c in chosen if c[3].matches(user)]
        if not picked:
            raise InputError(
                name,
                None,
                "CryptoUsers",
                f"no reportable user matches --user {user!r}; the file has: "
                + _list_users(everyone),
            )
        if len({c[3].identity for c in picked}) > 1:
            raise InputError(
                name,
                None,
                "CryptoUsers",
                f"--user {user!r} matches several reportable users: "
                + _list_users([c[3] for c in picked])
                + "; give the TIN",
            )
        chosen = picked
    elif len(distinct) > 1:
        raise InputError(
            name,
            None,
            "CryptoUsers",
            f"the file reports {len(distinct)} users, taxsim compares one client: choose with "
            "--user TIN or --user NAME. Users: " + _list_users(everyone),
        )
    for users, pname, _line, who in chosen:
        report.user = who.label
        ref = next((r.doc_ref_id for r in report.records if r.where == f"{name}:{users.line}"), "")
        for rt in users.all("relevanttransactions"):
            for ln in _relevant(name, rt, pname, year, cfg, assets):
                ln.record = ref
                report.lines.append(ln)
    return report


MESSAGE_TYPES = frozenset({"CARF701", "CARF702", "CARF703"})


def _doc_spec(name: str, node: _Node) -> tuple[str, str, str] | None:
    """(DocTypeIndic, DocRefId, CorrDocRefId) of a record's DocSpec, None if it has none."""
    spec = node.child("docspec")
    if spec is None:
        return None
    indic = spec.child("doctypeindic")
    code = indic.text.upper() if indic is not None else ""
    if indic is not None and code not in DOC_TYPES:
        raise InputError(
            name,
            indic.line,
            "DocTypeIndic",
            f"unknown code {indic.text!r}: expected one of " + ", ".join(sorted(DOC_TYPES)),
        )
    ref = spec.child("docrefid")
    corr = spec.child("corrdocrefid")
    return code, ref.text if ref is not None else "", corr.text if corr is not None else ""


@dataclass(slots=True)
class _User:
    """A reportable user as the file names them: names and TINs (UserID)."""

    names: list[str]
    tins: list[str]
    line: int

    @property
    def identity(self) -> str:
        """Same TIN = same user; without a TIN, the same name."""
        if self.tins:
            return "tin:" + "|".join(sorted(_squash(t) for t in self.tins))
        return "name:" + "|".join(sorted(n.casefold() for n in self.names))

    @property
    def label(self) -> str:
        name = " / ".join(self.names) or "(no name)"
        return name + (f" (TIN {', '.join(self.tins)})" if self.tins else "")

    def matches(self, text: str) -> bool:
        """``text`` is one of the user's TINs, or every word of it is in one of the names."""
        if any(_squash(t) == _squash(text) for t in self.tins):
            return True
        words = text.casefold().split()
        return bool(words) and any(
            all(w in n.casefold().split() for w in words) for n in self.names
        )


def _squash(tin: str) -> str:
    return "".join(ch for ch in tin.upper() if ch.isalnum())


def _user(users: _Node) -> _User:
    uid = users.child("userid")
    names: list[str] = []
    tins: list[str] = []
    if uid is not None:
        for party in uid.children:  # Individual | Entity
            for n in party.all("name"):
                parts = [c.text for c in n.children if c.text] if n.children else [n.text]
                text = " ".join(p for p in parts if p)
                if text and text not in names:
                    names.append(text)
            for tag in ("tin", "in"):
                for tin in party.all(tag):
                    if tin.text and tin.attrs.get("unknown", "").lower() != "true":
                        tins.append(tin.text)
    return _User(names, tins, users.line)


def _list_users(users: Sequence[_User]) -> str:
    seen: dict[str, _User] = {}
    for u in users:
        seen.setdefault(u.identity, u)
    return "; ".join(f"{u.label} (line {u.line})" for u in seen.values())


def _relevant(
    name: str,
    rt: _Node,
    platform: str,
    year: int,
    cfg: PlatformsConfig,
    assets: Collection[str] = (),
) -> list[ReportLine]:
    asset_node = rt.child("cryptoasset")
    if asset_node is None or not asset_node.text:
        raise InputError(name, rt.line, "CryptoAsset", "expected the crypto-asset's name")
    asset = cfg.ticker(asset_node.text, assets)
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
        currency = _currency(amount.attrs.get("currcode", ""), name, amount.line, "currCode")
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
