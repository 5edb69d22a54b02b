"""The client PDF and the advisor exports, checked by reading them back.

The small case (``CASE_LEDGER`` + ``CASE_CORRECTIONS``), worked by hand (DE: FIFO, wallet lots):

2023, Kraken ETH: t1 buys 2 ETH for 3,000 €; t2 sells 3 ETH for 6,000 € (2,000 €/ETH).
  raw:       2 ETH from t1: 4,000 − 3,000 = 1,000 €; 1 ETH short at cost 0: 2,000 € → 3,000 €
  corrected: C1 documents 1 ETH bought 2022-12-01 for 1,500 € (FIFO: consumed first)
             1 ETH: 2,000 − 1,500 = 500 €; 2 ETH from t1: 1,000 € → 1,500 €
  fictitious 3,000 − 1,500 = 1,500 €; both ≥ 600 € Freigrenze, so the tax effect is
  1,500 × 42 % × 1.055 (Soli) = 664.65 €.
2024, BTC: t3 buys 0.1 BTC for 4,200 € at Kraken, t4 withdraws it, t5 sells 0.1 BTC for
  4,700 € in "@Ledger Nano" with no deposit recorded.
  raw:       t5 is short at cost 0 → 4,700 €
  corrected: C2 links t4 as a transfer to "@Ledger Nano": 4,700 − 4,200 = 500 € < 1,000 €
             Freigrenze → 0 € after allowance (a Freigrenze crossing)
  fictitious 4,700 − 500 = 4,200 €; staking income 100 € < 256 € is 0 after its Freigrenze,
  so the tax effect is 4,700 × 0.42 × 1.055 = 2,082.57 €. Total tax effect 2,747.22 €.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from taxsim.corrections import load_corrections
from taxsim.readers import read_ledger
from taxsim.report import ReportInput, build_pdf, disposal_rows, form_rows, write_exports
from taxsim.report.labels import LABELS, eur, qty
from taxsim.rules import load_rules
from taxsim.whatif import compare

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "<b>boom</b> & <font size=40>"

CASE_LEDGER = """\
id,time,kind,income_type,wallet,to_wallet,buy_amount,buy_asset,buy_eur,sell_amount,sell_asset,sell_eur,fee_amount,fee_asset,fee_eur,group,comment,txid,chain,contract,from_address,to_address
t1,2023-02-01T10:00:00Z,trade,,Kraken,,2,ETH,3000,3000,EUR,3000,,,,,,,,,,
t2,2023-06-01T10:00:00Z,trade,,Kraken,,6000,EUR,6000,3,ETH,6000,,,,,<b>boom</b> & <font size=40>,,,,,
t3,2024-01-05T10:00:00Z,trade,,Kraken,,0.1,BTC,4200,4200,EUR,4200,,,,,,,,,,
t4,2024-01-06T10:00:00Z,withdrawal,,Kraken,,,,,0.1,BTC,4250,,,,,,,,,,
t5,2024-05-01T10:00:00Z,trade,,@Ledger Nano,,4700,EUR,4700,0.1,BTC,4700,,,,,,,,,,
t6,2024-07-01T10:00:00Z,income,staking,Kraken,,0.5,ETH,100,,,,,,,,,,,,,
"""  # noqa: E501

CASE_CORRECTIONS = """\
[meta]
client = "Jürgen Weiß"

[[correction]]
id = "C1"
kind = "set_cost_basis"
reason = '=HYPERLINK("http://evil.example","click") <b>boom</b> & <font size=40> Kauf bei Bitpanda'
evidence = ["bitpanda-2022.pdf"]
disposal = "t2"
quantity = "1"
acquired = "2022-12-01T09:00:00Z"
cost = "1500"

[[correction]]
id = "C2"
kind = "link_transfer"
reason = "Eigene Übertragung auf die Hardware-Wallet (Größe ß)"
withdrawal = "t4"
to_wallet = "@Ledger Nano"
"""


@pytest.fixture
def case(tmp_path: Path):
    (tmp_path / "ledger.csv").write_text(CASE_LEDGER, encoding="utf-8")
    (tmp_path / "corrections.toml").write_text(CASE_CORRECTIONS, encoding="utf-8")
    return tmp_path


def _compare(folder: Path, jurisdiction: str = "de"):
    ledger = read_ledger(folder / "ledger.csv")
    corrections = load_corrections(folder / "corrections.toml")
    comp = compare(ledger, load_rules(jurisdiction), corrections, base_dir=folder)
    return comp, ledger, corrections


def _pdf(folder: Path, lang: str = "de", client: str = HOSTILE, jurisdiction: str = "de"):
    comp, ledger, corrections = _compare(folder, jurisdiction)
    out = folder / f"report-{lang}.pdf"
    data = ReportInput(
        ledger=ledger,
        client=client,
        lang=lang,  # type: ignore[arg-type]
        ledger_name="ledger.csv",
        corrections_name="corrections.toml",
        corrections=corrections,
        checklist=None,
        checklist_error="not run in this test",
        generated=datetime(2025, 3, 1, tzinfo=UTC),
    )
    build_pdf(comp, out, data)
    return out, comp


def _text(pdf: Path) -> str:
    """All pages' text with runs of whitespace collapsed (cells may wrap)."""
    reader = PdfReader(str(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


# -- formats ---------------------------------------------------------------------------------


def test_money_and_quantity_formats():
    # 1234.565 rounds half up to 1234.57; de uses "." for thousands and "," for decimals
    assert eur(D("1234.565"), "de") == "1.234,57 €"
    assert eur(D("1234.565"), "en") == "€1,234.57"
    assert eur(D("-0.005"), "en") == "-€0.01"
    assert eur(D("-0.004"), "de") == "0,00 €"  # rounds to zero: no "-0,00"
    assert eur(D("1234567.8"), "de") == "1.234.567,80 €"
    # quantities are exact: dust must stay visible
    assert qty(D("0.00000001"), "de") == "0,00000001"
    assert qty(D("-1500.50"), "en") == "-1,500.5"


def test_every_label_has_both_languages():
    missing = [k for k, v in LABELS.items() if set(v) != {"de", "en"} or not all(v.values())]
    assert missing == []


def test_each_label_key_stands_in_one_part_of_the_labels():
    """The parts are merged into one ``LABELS``: a key in two parts would silently win once."""
    from taxsim.report.labels import texts_back, texts_front, texts_sections

    parts = [texts_front.LABELS, texts_sections.LABELS, texts_back.LABELS]
    assert sum(len(p) for p in parts) == len(LABELS)


# -- the PDF ---------------------------------------------------------------------------------


def test_pdf_german_figures_labels_and_corrections(case: Path):
    pdf, _ = _pdf(case, "de")
    text = _text(pdf)
    assert "Zusammenfassung je Steuerjahr" in text
    assert "Offenlegung der Einstellungen" in text
    # raw taxable 3,000 / corrected 1,500 / fictitious 1,500 in 2023 (module docstring)
    assert "2023 3.000,00 € 1.500,00 € 1.500,00 €" in text
    # 2024: raw 4,700 / corrected 500 / fictitious 4,200
    assert "2024 4.700,00 € 500,00 € 4.200,00 €" in text
    # tax effects 664.65 and 2,082.57, total 2,747.22
    assert "664,65 €" in text and "2.082,57 €" in text and "2.747,22 €" in text
    # the Freigrenze crossing of 2024
    assert "liegt unter der Freigrenze von 1.000,00 €" in text
    # €, umlauts and ß render as text
    for needle in ("€", "Größe ß", "Übertragung", "Veräußerungen"):
        assert needle in text
    for cid in ("C1", "C2"):
        assert re.search(rf"\b{cid}\b", text)
    # the shorts table says what resolves each raw short
    assert "aufgelöst durch C1" in text and "aufgelöst durch C2" in text
    # settings disclosure (BMF Rz. 90) and the audit trail with its actions
    assert "FIFO (zuerst angeschafft, zuerst veräußert)" in text
    assert "hinzugefügt" in text and "geändert" in text
    # the form lines of the rule set
    assert "Anlage SO Zeile 47" in text


def test_pdf_english(case: Path):
    pdf, _ = _pdf(case, "en")
    text = _text(pdf)
    assert "Summary per tax year" in text
    assert "2023 €3,000.00 €1,500.00 €1,500.00" in text
    assert "€664.65" in text and "€2,082.57" in text and "€2,747.22" in text
    assert "is below the allowance of €1,000.00" in text
    assert "resolved by C1" in text and "resolved by C2" in text
    assert "Appendix: disposals after correction" in text
    assert "Zusammenfassung" not in text


def test_ledger_text_is_printed_literally_never_as_markup(case: Path):
    pdf, _ = _pdf(case, "de")
    text = _text(pdf)
    # the client name (cover and footer) and the correction's reason show the markup as text
    assert text.count(HOSTILE) >= 3
    # (a narrow cell may wrap inside the URL, hence the comparison without spaces)
    assert '=HYPERLINK("http://evil.example","click")' in text.replace(" ", "")
    assert "@Ledger Nano" in text


def test_pdf_embeds_a_unicode_font_and_text_is_selectable(case: Path):
    pdf, _ = _pdf(case, "de")
    reader = PdfReader(str(pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DejaVuSans" in f or "TaxsimSans" in f for f in fonts), fonts
    assert reader.pages[0].extract_text().strip()


def test_long_ledgers_paginate_and_list_every_disposal(tmp_path: Path):
    # 900 buy/sell pairs: 900 disposals, each 1 ETH bought for 100 € and sold for 110 € half
    # an hour later → 900 × 10 € = 9,000 € taxable in 2023, no shorts. 900 appendix rows fill
    # about 22 landscape pages (41 one-line rows a page).
    start = datetime(2023, 1, 1, 12, tzinfo=UTC)
    lines = [CASE_LEDGER.splitlines()[0]]
    for i in range(900):
        b, s = start + timedelta(hours=i), start + timedelta(hours=i, minutes=30)
        lines.append(f"b{i},{b:%Y-%m-%dT%H:%M:%SZ},trade,,Kraken,,1,ETH,100,100,EUR,100" + "," * 10)
        lines.append(f"s{i},{s:%Y-%m-%dT%H:%M:%SZ},trade,,Kraken,,110,EUR,110,1,ETH,110" + "," * 10)
    (tmp_path / "ledger.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ledger = read_ledger(tmp_path / "ledger.csv")
    comp = compare(ledger, load_rules("de"), None)
    out = tmp_path / "long.pdf"
    build_pdf(comp, out, ReportInput(ledger=ledger, lang="en", appendix="full"))
    reader = PdfReader(str(out))
    assert "€9,000.00" in _text(out)
    pages = [page.extract_text() or "" for page in reader.pages]
    appendix = pages[next(i for i, p in enumerate(pages) if "Appendix" in p) : -1]
    assert len(appendix) >= 20
    # every disposal once, in ledger order, across the pages
    listed = [s for p in appendix for s in re.findall(r"\bs\d+\b", p)]
    assert listed == [f"s{i}" for i in range(900)]
    # the header row stands at the top of every appendix page and nowhere else (no header in
    # the middle of a page where one table of rows ends and the next begins)
    for page in appendix:
        assert page.count("Days") == 1, page[:200]
        assert page.index("Days") < re.search(r"\bs\d+\b", page).start(), page[:200]  # type: ignore[union-attr]


def test_austrian_report_and_forms(case: Path):
    # AT, moving average: raw pool 2 ETH @ 1,500 €: 4,000 − 3,000 = 1,000 € + 1 ETH short
    # 2,000 € → 3,000 €; corrected pool 1 ETH @ 1,500 + 2 ETH for 3,000 = 4,500 € for 3 ETH,
    # sold for 6,000 → 1,500 €. Tax 27.5 %: 825.00 − 412.50 = 412.50 €.
    pdf, comp = _pdf(case, "de", jurisdiction="at")
    text = _text(pdf)
    assert "Österreich" in text
    assert "412,50 €" in text
    rows = {(r.year, r.figure): r for r in form_rows(comp)}
    assert rows[(2023, "realized_gain")].amount == D("1500")
    assert "Kz 174" in rows[(2023, "realized_gain")].line
    assert rows[(2023, "realized_loss")].amount == 0


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler (pdftoppm) not installed")
def test_pages_render_to_png(case: Path):
    pdf, _ = _pdf(case, "de")
    pages = len(PdfReader(str(pdf)).pages)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(case / "page")], check=True)
    pngs = sorted(case.glob("page*.png"))
    assert len(pngs) == pages
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


# -- the exports -----------------------------------------------------------------------------


def test_exports(case: Path):
    comp, _, corrections = _compare(case)
    out = case / "out"
    paths = write_exports(comp, out, corrections)
    assert [p.name for p in paths] == [
        "figures.json",
        "disposals.csv",
        "forms.csv",
        "taxsim-advisor.xlsx",
    ]
    # figures.json carries the figures of simulate --json (schema: test_report_client.py)
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    simulated = json.loads(json.dumps(comp.as_json()))
    for mine, theirs in zip(figures["years"], simulated["years"], strict=True):
        assert mine["year"] == theirs["year"]
        for key, value in theirs["raw"].items():
            if key != "tax_estimate":
                assert mine["raw"][key] == value, key
        assert mine["fictitious_gain"] == theirs["fictitious_profit"]
        assert mine["tax_effect"] == theirs["tax_effect"]
    rows = list(csv.DictReader((out / "disposals.csv").open(encoding="utf-8")))
    # raw: t2 = t1 lot + short, t5 = short → 3 rows; corrected: t2 = C1:1 + t1, t5 = t3 → 3
    assert [(r["pass"], r["disposal_id"], r["lot_id"], r["gain"]) for r in rows] == [
        ("raw", "t2", "t1", "1000.00"),
        ("raw", "t2", "", "2000.00"),
        ("raw", "t5", "", "4700.00"),
        ("corrected", "t2", "C1:1", "500.00"),
        ("corrected", "t2", "t1", "1000.00"),
        ("corrected", "t5", "t3", "500.00"),
    ]
    assert rows[1]["origin"] == "short" and rows[3]["corrections"] == "C1"
    # a wallet name starting with "@" is neutralised in the CSV
    assert rows[2]["wallet"] == "'@Ledger Nano"
    forms = list(csv.DictReader((out / "forms.csv").open(encoding="utf-8")))
    gain_2024 = next(
        f for f in forms if f["year"] == "2024" and f["figure"] == "private_sales_gain"
    )
    assert gain_2024["amount"] == "500.00"
    assert gain_2024["form_line"].startswith("Anlage SO")
    assert "verify against the official form" in gain_2024["note"]
    assert "rules/de.toml [forms.2024]" in gain_2024["source"]


THIRDS_LEDGER = """\
id,time,kind,wallet,buy_amount,buy_asset,buy_eur,sell_amount,sell_asset,sell_eur
b1,2023-01-01T10:00:00Z,trade,Kraken,1,ETH,100,100,EUR,100
b2,2023-01-02T10:00:00Z,trade,Kraken,1,ETH,100,100,EUR,100
b3,2023-01-03T10:00:00Z,trade,Kraken,1,ETH,100.01,100.01,EUR,100.01
s1,2023-02-01T10:00:00Z,trade,Kraken,1000,EUR,1000,3,ETH,1000
"""


def test_disposal_rows_in_cents_add_up(tmp_path: Path):
    """s1 sells 3 ETH for 1,000 €, one third from each lot (FIFO, all taxable in 2023):
    exact per lot (the engine gives the last lot the last digit): proceeds 333.333…3 /
    333.333…3 / 333.333…4, cost 100 / 100 / 100.01, gain 233.333… / 233.333… / 233.3233…;
    the year's taxable gain 1,000 − 300.01 = 699.99 €. Each rounded on its own the gains make
    233.33 + 233.33 + 233.32 = 699.98 and the proceeds 999.99 (the bug). Largest remainder:
    proceeds 333.33 / 333.33 / 333.34 (= 1,000.00; b3's remainder is the largest); gains
    233.33 / 233.33 / 233.33 (= 699.99; the missing cent goes to b3, whose cost 333.34 −
    233.33 = 100.01 then stays exact, where 233.32 would make it 100.02)."""
    (tmp_path / "ledger.csv").write_text(THIRDS_LEDGER, encoding="utf-8")
    comp = compare(read_ledger(tmp_path / "ledger.csv"), load_rules("de"), None)
    rows = [r for r in disposal_rows(comp) if r["pass"] == "raw"]
    assert [(r["lot_id"], r["proceeds"], r["cost"], r["fee"], r["gain"]) for r in rows] == [
        ("b1", "333.33", "100.00", "0.00", "233.33"),
        ("b2", "333.33", "100.00", "0.00", "233.33"),
        ("b3", "333.34", "100.01", "0.00", "233.33"),
    ]
    assert {(r["year"], r["category"]) for r in rows} == {("2023", "taxable_gain")}
    assert comp.as_json()["years"][0]["raw"]["taxable_gain"] == "699.99"


@given(
    st.lists(st.decimals(min_value=-(10**6), max_value=10**6, places=6), min_size=1, max_size=40),
    st.lists(st.decimals(min_value=-1, max_value=1, places=3), min_size=40, max_size=40),
)
def test_allocate_cents_adds_up_and_rounds_each_value_down_or_up(values, prefer):
    from taxsim.report.export import allocate_cents
    from taxsim.summary import cents

    for chosen in (None, prefer[: len(values)]):
        out = allocate_cents(values, chosen)
        assert sum(out, D(0)) == cents(sum(values, D(0)))
        for v, r in zip(values, out, strict=True):
            assert r == r.quantize(D("0.01")) and abs(r - v) < D("0.01")
            if v == v.quantize(D("0.01")):
                assert r == v  # a value in whole cents is never changed


@pytest.mark.parametrize("jurisdiction", ["de", "at"])
def test_sample_disposal_rows_add_up_to_simulate(tmp_path: Path, jurisdiction: str):
    """On the sample client, per pass, tax year and category the rows of disposals.csv and of
    the workbook's Disposals sheet add up to the figures of simulate --json to the cent (gain),
    and to the exact totals rounded to the cent (proceeds, fee); every row has gain =
    proceeds − cost − fee. AT: the 2021 rows (sold before 2022-03-01) count toward
    speculation_gain although taxable = yes."""
    from openpyxl import load_workbook

    from taxsim.summary import money

    ledger = read_ledger(SAMPLE / "ledger.csv")
    corrections = load_corrections(SAMPLE / "corrections.toml")
    comp = compare(ledger, load_rules(jurisdiction), corrections, base_dir=SAMPLE)
    write_exports(comp, tmp_path, corrections)
    rows = list(csv.DictReader((tmp_path / "disposals.csv").open(encoding="utf-8")))
    sheet = load_workbook(tmp_path / "taxsim-advisor.xlsx")["Disposals"]
    header = [c.value for c in sheet[1]]
    cells = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    assert len(cells) == len(rows)
    # the exact amounts behind the rows, in the same order (disposal by disposal, lot by lot)
    exact = [
        (m.proceeds, m.fee) if m else (d.proceeds, d.fee)
        for result in (comp.raw.result, comp.corrected.result)
        for d in result.disposals
        for m in (d.matches or [None])
    ]
    gain: dict[tuple[str, int, str], D] = {}
    totals: dict[tuple[str, int, str], list[D]] = {}
    for r, c, (p, f) in zip(rows, cells, exact, strict=True):
        assert D(r["gain"]) == D(r["proceeds"]) - D(r["cost"]) - D(r["fee"]), r
        assert [c[k] for k in ("proceeds", "cost", "fee", "gain")] == [
            float(r[k]) for k in ("proceeds", "cost", "fee", "gain")
        ]
        key = (r["pass"], int(r["year"]), r["category"])
        gain[key] = gain.get(key, D(0)) + D(r["gain"])
        t = totals.setdefault(key, [D(0)] * 4)
        t[0] += D(r["proceeds"])
        t[1] += D(r["fee"])
        t[2] += p
        t[3] += f
    for t in totals.values():
        assert (money(t[0]), money(t[1])) == (money(t[2]), money(t[3]))
    figures = {"taxable_gain", "exempt_gain"} | (
        {"speculation_gain"} if jurisdiction == "at" else set()
    )
    for year in comp.as_json()["years"]:
        for label in ("raw", "corrected"):
            for figure in figures:
                rows_sum = money(gain.get((label, year["year"], figure), D(0)))
                assert rows_sum == year[label][figure], (label, year["year"], figure)
    if jurisdiction == "at":
        early = [r for r in rows if r["year"] == "2021"]
        assert early and {(r["taxable"], r["category"]) for r in early} == {
            ("yes", "speculation_gain")
        }
        assert gain[("raw", 2021, "speculation_gain")] == D("4853.06")  # simulate --json 2021


def test_workbook_cells_are_numbers_and_text_is_neutralised(case: Path):
    from openpyxl import load_workbook

    comp, _, corrections = _compare(case)
    write_exports(comp, case / "out", corrections)
    wb = load_workbook(case / "out" / "taxsim-advisor.xlsx")
    assert wb.sheetnames == [
        "Summary",
        "Settings",
        "Disposals",
        "Income",
        "Corrections",
        "Audit trail",
        "Notes",
        "Forms mapping",
    ]
    summary = wb["Summary"]
    assert [c.value for c in summary[2]][:4] == [2023, 3000, 1500, 1500]
    assert summary.cell(row=2, column=2).number_format == "#,##0.00"
    corr = wb["Corrections"]
    reason = corr.cell(row=2, column=3)
    assert reason.data_type == "s" and reason.value.startswith("'=HYPERLINK(")
    assert HOSTILE in reason.value
    # nowhere a formula: every cell that starts like one was neutralised
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    disposals = wb["Disposals"]
    header = [c.value for c in disposals[1]]
    wallets = {disposals.cell(row=r, column=header.index("wallet") + 1).value for r in range(2, 8)}
    assert "'@Ledger Nano" in wallets
    assert len(disposal_rows(comp)) == disposals.max_row - 1


def test_workbook_ledger_text_that_looks_like_a_formula_number_or_url_stays_text(case: Path):
    """Ledger text that a spreadsheet would take for a formula (starting with =, +, -, @), a
    number or a URL is a text cell: neutralised by ``safe_cell`` where it starts like a
    formula, otherwise exactly as it is — never a formula, number or hyperlink (XlsxWriter's
    ``write()`` would guess from the text; the export writes each cell by its type)."""
    import zipfile

    from openpyxl import load_workbook

    ledger = (
        CASE_LEDGER.replace("Kraken", "=1+2")
        .replace("@Ledger Nano", "1234.5")
        .replace("ETH", "1E5")
    )
    corrections = (
        CASE_CORRECTIONS.replace('"bitpanda-2022.pdf"', '"https://evil.example/x"')
        .replace(C2_REASON, "+49 170 1234567")
        .replace('id = "C1"', 'id = "@C1"')
        .replace('id = "C2"', 'id = "-C2"')
        .replace('"@Ledger Nano"', '"1234.5"')
    )
    (case / "ledger.csv").write_text(ledger, encoding="utf-8")
    (case / "corrections.toml").write_text(corrections, encoding="utf-8")
    comp, _, loaded = _compare(case)
    paths = write_exports(comp, case / "out", loaded)
    wb = load_workbook(paths[-1])

    def column(ws, name):
        header = [c.value for c in ws[1]]
        return [r[header.index(name)] for r in ws.iter_rows(min_row=2)]

    wallets = column(wb["Disposals"], "wallet")
    assert {c.value for c in wallets} == {"'=1+2", "1234.5"}
    assets = column(wb["Disposals"], "asset") + column(wb["Income"], "asset")
    assert {c.value for c in assets} >= {"1E5"}
    assert [c.value for c in column(wb["Income"], "wallet")] == ["'=1+2", "'=1+2"]
    corr = wb["Corrections"]
    assert [c.value for c in column(corr, "id")] == ["'@C1", "'-C2"]
    assert column(corr, "evidence")[0].value == "https://evil.example/x"
    assert column(corr, "reason")[1].value == "'+49 170 1234567"
    cells = wallets + assets + column(corr, "id") + column(corr, "reason")
    cells += [column(corr, "evidence")[0]]
    assert all(c.data_type == "s" and isinstance(c.value, str) for c in cells)
    # and in the file itself: no formula, no hyperlink anywhere
    with zipfile.ZipFile(paths[-1]) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml and "hyperlink" not in xml, name


# -- the command -----------------------------------------------------------------------------


def _cli(*args: str):
    from typer.testing import CliRunner

    from taxsim.cli import _register, app

    _register()
    return CliRunner().invoke(app, list(args))


def test_cli_report_with_exports(case: Path):
    out = case / "out"
    res = _cli(
        "report",
        str(case / "ledger.csv"),
        "--corrections",
        str(case / "corrections.toml"),
        "--jurisdiction",
        "de",
        "--lang",
        "en",
        "-o",
        str(out / "report.pdf"),
        "--export-dir",
        str(out),
    )
    assert res.exit_code == 0, res.output
    text = _text(out / "report.pdf")
    # no --client: the name comes from the corrections file's [meta]
    assert "Jürgen Weiß" in text
    assert "DAC8 checklist" in text
    for name in ("figures.json", "disposals.csv", "forms.csv", "taxsim-advisor.xlsx"):
        assert (out / name).is_file()


def test_cli_refuses_a_bad_language(case: Path):
    res = subprocess.run(
        [sys.executable, "-m", "taxsim", "report", str(case / "ledger.csv"), "-o",
         str(case / "r.pdf"), "--lang", "fr"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert res.returncode == 2
    assert "--lang" in res.stderr and "Traceback" not in res.stderr
    assert not (case / "r.pdf").exists()


SAMPLE = ROOT / "samples" / "client"


@pytest.mark.skipif(not (SAMPLE / "corrections.toml").is_file(), reason="sample not there yet")
def test_sample_client_main_job(tmp_path: Path):
    """The README's main job works end to end; every correction id is in the PDF."""
    out = tmp_path / "out"
    res = _cli(
        "report",
        str(SAMPLE / "ledger.csv"),
        "--corrections",
        str(SAMPLE / "corrections.toml"),
        "--jurisdiction",
        "de",
        "--client",
        "Lena Berger",
        "-o",
        str(out / "report.pdf"),
        "--export-dir",
        str(out),
    )
    assert res.exit_code == 0, res.output
    text = _text(out / "report.pdf")
    assert "Lena Berger" in text
    ids = load_corrections(SAMPLE / "corrections.toml").ids
    assert ids
    for cid in ids:
        assert re.search(rf"\b{re.escape(cid)}\b", text), cid
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    for year in figures["years"]:
        fictitious = D(year["fictitious_gain"])
        assert eur(fictitious, "de") in text


def test_negative_balances_show_the_gap_value_where_the_short_is_elsewhere():
    """The negative-balances table shows the diagnosis's gap € (|lowest| × the tipping leg's
    unit price), in the diagnosis's order. Ledger × BTC and Phantom × USDC are sold short in
    another wallet (Bitpanda/Kraken, after a transfer), so no short proceeds belong to them:
      Ledger BTC:   0.4 × (36,000 / 0.6 BTC, LG-0003)      = 24,000.00 €
      Phantom USDC: 6,000 × (5,460 / 6,000 USDC, PH-0005)  =  5,460.00 €
      MetaMask Arbitrum ETH: 1.45 × (4,050 / 1.5, MA-0002) =  3,915.00 €
      Binance ETH:  1.5 × (850 / 0.5, BN-0001)             =  2,550.00 €
      MetaMask USDC (scam, low): 4,998,000 × 0.93 (MM-0007: 4,650,000 / 5,000,000)
                                                           = 4,648,140.00 €
    (samples/client/README.md works out the first four)."""
    from taxsim.report import charts

    ledger = read_ledger(SAMPLE / "ledger.csv")
    comp = compare(ledger, load_rules("de"), None)
    lines = charts.negative_timelines(ledger, comp.raw.result)
    assert [(x.wallet, x.asset, x.gap_eur, x.priority) for x in lines] == [
        ("Ledger", "BTC", D("24000.00"), "high"),
        ("Phantom", "USDC", D("5460.00"), "high"),
        ("MetaMask Arbitrum", "ETH", D("3915.00"), "high"),
        ("Binance", "ETH", D("2550.00"), "high"),
        ("MetaMask", "USDC", D("4648140.00"), "low"),
    ]
    # the bug: the wallet's own short proceeds are 0 for the two gaps sold elsewhere
    assert [x.short_eur for x in lines[:2]] == [0, 0]


def test_negative_balances_table_in_the_pdf(tmp_path: Path):
    # the same figures as above, as the PDF's table prints them, largest high-priority first
    ledger = read_ledger(SAMPLE / "ledger.csv")
    comp = compare(ledger, load_rules("de"), None)
    out = tmp_path / "r.pdf"
    build_pdf(comp, out, ReportInput(ledger=ledger, lang="en"))
    text = _text(out)
    table = text[text.index("Gap value") : text.index("Charts for")]
    found = re.findall(r"€[\d,]+\.\d\d", table)
    assert found == ["€24,000.00", "€5,460.00", "€3,915.00", "€2,550.00", "€4,648,140.00"]


ZERO_VALUED_LEDGER = """\
id,time,kind,wallet,buy_amount,buy_asset,buy_eur,sell_amount,sell_asset,sell_eur
K1,2024-01-01T10:00:00Z,trade,Kraken,1,ETH,2000,2000,EUR,2000
K2,2024-02-01T10:00:00Z,withdrawal,Kraken,,,,3,ETH,0
"""


def test_report_on_a_gap_whose_tipping_leg_is_worth_zero(tmp_path: Path):
    # K2 withdraws 3 ETH valued at 0 € with 1 ETH held (bought for 2,000 €): the gap of 2 ETH
    # is priced at the reference 2,000 €/ETH = 4,000.00 € (this divided by 0 before)
    ledger = tmp_path / "min.csv"
    ledger.write_text(ZERO_VALUED_LEDGER, encoding="utf-8")
    out = tmp_path / "out"
    res = _cli("report", str(ledger), "-j", "de", "--lang", "en", "-o", str(out / "r.pdf"))
    assert res.exit_code == 0, res.output
    text = _text(out / "r.pdf")
    assert "K2" in text and "€4,000.00" in text
    sim = _cli("simulate", str(ledger), "-j", "de", "--json")
    assert sim.exit_code == 0, sim.output


BACKFILL_LEDGER = """id,time,kind,income_type,wallet,to_wallet,buy_amount,buy_asset,buy_eur,\
sell_amount,sell_asset,sell_eur,fee_amount,fee_asset,fee_eur,group,comment,txid,chain,contract,\
from_address,to_address
S1,2024-01-10T12:00:00Z,trade,,Kraken,,30000,EUR,30000,1,BTC,30000,,,,,,,,,,
B1,2024-02-01T12:00:00Z,trade,,Kraken,,1,BTC,20000,20000,EUR,20000,,,,,,,,,,
"""


@pytest.mark.parametrize(("policy", "raw_gain"), [("zero_cost_same_day", "30000.00"),
                                                   ("backfill", "10000.00")])  # fmt: skip
def test_cli_report_takes_the_short_policy(tmp_path: Path, policy: str, raw_gain: str):
    """1 BTC sold for 30,000 € before any purchase, 1 BTC bought for 20,000 € later.
    zero_cost_same_day: the sale is short at cost 0, gain 30,000 €; backfill: the later
    purchase covers it, gain 30,000 − 20,000 = 10,000 €. The PDF's figures and simulate's agree.
    """
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(BACKFILL_LEDGER, encoding="utf-8")
    out = tmp_path / "out"
    res = _cli("report", str(ledger), "-o", str(out / "r.pdf"), "--export-dir", str(out),
               "--short-policy", policy, "--lang", "en")  # fmt: skip
    assert res.exit_code == 0, res.output
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    assert figures["settings"]["short_policy"] == policy
    assert [y["raw"]["taxable_gain"] for y in figures["years"]] == [raw_gain]
    sim = _cli("simulate", str(ledger), "--short-policy", policy, "--json")
    assert sim.exit_code == 0, sim.output
    simulated = json.loads(sim.output)["years"][0]["raw"]
    assert {k: figures["years"][0]["raw"][k] for k in simulated} == simulated


def test_a_check_naming_thousands_of_transactions_still_fits(tmp_path: Path):
    """A DAC8 check on a large ledger can name thousands of transactions: listed in full, the
    cell would be taller than a page (reportlab LayoutError, seen on a 100k-row ledger). The
    PDF names the first 12 and how many more (5,000 − 12 = 4,988)."""
    from taxsim.dac8 import Check, Status

    ledger = read_ledger(ROOT / "samples" / "client" / "ledger.csv")
    comp = compare(ledger, load_rules("de"), None)
    ids = [f"tx{i:05d}" for i in range(5000)]
    check = Check(1, "rebuild", "Expected report rebuilt", "Erwartete Meldung nachgebildet",
                  Status.PASS, "5000 transactions valued at the last price.", "…", ids)  # fmt: skip
    out = tmp_path / "many.pdf"
    build_pdf(comp, out, ReportInput(ledger=ledger, lang="en", checklist=[check]))
    text = _text(out)
    assert "tx00000, tx00001" in text and "tx00011 and 4,988 more" in text
    assert "tx00012" not in text


def test_appendix_keeps_long_ids_whole(tmp_path: Path):
    """Short texts are drawn as plain table text, long ones wrap (a 66-character on-chain id):
    either way the whole id is in the PDF, and a formula-like wallet name stays text."""
    long_id = "0x" + "ab12" * 16
    lines = [
        CASE_LEDGER.splitlines()[0],
        "b1,2023-01-01T12:00:00Z,trade,,=Kraken,,1,ETH,100,100,EUR,100" + "," * 10,
        f"{long_id},2023-01-02T12:00:00Z,trade,,=Kraken,,110,EUR,110,1,ETH,110" + "," * 10,
    ]
    (tmp_path / "ledger.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ledger = read_ledger(tmp_path / "ledger.csv")
    comp = compare(ledger, load_rules("de"), None)
    out = tmp_path / "ids.pdf"
    build_pdf(comp, out, ReportInput(ledger=ledger, lang="en", appendix="full"))
    pages = [p.extract_text() or "" for p in PdfReader(str(out)).pages]
    appendix = re.sub(r"\s+", "", pages[-2])  # the last page is the reproducibility page
    assert long_id in appendix  # wrapped over lines, whole once the breaks are removed
    assert "=Kraken·ETH" in appendix and "b1" in appendix


# -- long texts in the PDF, characters a workbook cannot hold, sheets beyond Excel's rows -----

CUT_NOTE = "full text in the advisor workbook / audit CSV"
C2_REASON = "Eigene Übertragung auf die Hardware-Wallet (Größe ß)"


@pytest.mark.parametrize(
    ("what", "size"),
    [("reason", 1_700), ("reason", 20_000), ("evidence", 20), ("evidence", 200), ("wallet", 6_000)],
)
def test_long_texts_are_cut_in_the_pdf_and_kept_whole_in_the_exports(
    case: Path, what: str, size: int
):
    """A reason of ~1,650 characters, ~20 evidence URLs or a 6,000-character wallet name made
    a table row taller than a page ("the PDF could not be laid out … tallest row"). Every cell
    of user text is now cut to fit (first characters + "… (full text in the advisor workbook /
    audit CSV)"); the workbook keeps the whole text, and the figures do not change."""
    from openpyxl import load_workbook

    corrections, ledger = CASE_CORRECTIONS, CASE_LEDGER
    if what == "reason":
        full = " ".join(f"Beleg{i:05d}" for i in range(size // 10))
        corrections = corrections.replace(C2_REASON, full)
    elif what == "evidence":
        urls = [f"https://etherscan.io/tx/0x{i:064x}" for i in range(size)]
        full = "; ".join(urls)
        listed = ", ".join(f'"{u}"' for u in urls)
        corrections = corrections.replace('["bitpanda-2022.pdf"]', f"[{listed}]")
    else:
        full = "W" * size
        ledger = ledger.replace("@Ledger Nano", full)
        corrections = corrections.replace("@Ledger Nano", full)
    (case / "ledger.csv").write_text(ledger, encoding="utf-8")
    (case / "corrections.toml").write_text(corrections, encoding="utf-8")
    out, comp = _pdf(case, lang="en", client="C" * 6_000)
    text = _text(out)
    assert CUT_NOTE in text
    squeezed = text.replace(" ", "")  # a cell wraps long words over lines
    assert full[:200].replace(" ", "") in squeezed
    assert full.replace(" ", "") not in squeezed
    # the figures of the case are unchanged: 2,747.22 € tax effect in total
    assert "€2,747.22" in text
    assert sum((comp.tax_effect(y) for y in comp.years), D(0)).quantize(D("0.01")) == D("2747.22")
    # the advisor workbook has the whole text
    write_exports(comp, case / "out", load_corrections(case / "corrections.toml"))
    wb = load_workbook(case / "out" / "taxsim-advisor.xlsx")
    cells = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert full in cells or any(isinstance(v, str) and full in v for v in cells)


def test_german_pdf_cuts_with_a_german_note(case: Path):
    reason = "Kaufbeleg " * 400  # 4,000 characters
    (case / "corrections.toml").write_text(
        CASE_CORRECTIONS.replace(C2_REASON, reason),
        encoding="utf-8",
    )
    out, _ = _pdf(case, lang="de")
    text = _text(out)
    assert "vollständiger Text in der Berater-Arbeitsmappe / im Audit-CSV" in text
    assert "Kaufbeleg Kaufbeleg" in text


def test_capped_cells_fit_their_height():
    """``capped``: short texts stay whole; long ones, also without spaces or in wide glyphs,
    are cut so that the paragraph is at most MAX_CELL_HEIGHT high at the column's width."""
    from taxsim.report.pdf import MAX_CELL_HEIGHT, _Styles, capped, register_fonts

    register_fonts()
    s = _Styles()
    short = capped("Kraken · ETH", s.cell, 80, "en")
    assert short.text == "Kraken · ETH"
    for text, style, width in [
        ("word " * 3000, s.cell, 100),
        ("W" * 6000, s.small, 60),
        ("@" * 50_000, s.tiny, 40),
        ("<b>x</b> & " * 2000, s.body, 300),
    ]:
        para = capped(text, style, width, "en")
        assert para.wrap(width - 6, 1e9)[1] <= MAX_CELL_HEIGHT
        assert para.text.endswith("… (full text in the advisor workbook / audit CSV)")
        assert "&lt;b&gt;" in para.text or "<" not in text  # still escaped, never markup


def _case_book(wallet: str, reason: str):
    """The 2023 part of the case, built by hand (a reader may refuse control characters):
    b1 buys 2 ETH for 3,000 €, s1 sells 3 ETH for 6,000 €; C1 documents 1 ETH for 1,500 €."""
    from taxsim.corrections import loads_corrections
    from taxsim.model import Kind, Ledger, Leg, Transaction

    def at(when: str) -> datetime:
        return datetime.fromisoformat(when)

    book = Ledger(
        [
            Transaction("b1", at("2023-01-01T10:00:00+00:00"), Kind.TRADE, wallet,
                        buy=Leg(D("2"), "ETH", D("3000")), sell=Leg(D("3000"), "EUR", D("3000")),
                        comment="note\x00\x0b"),
            Transaction("s1", at("2023-06-01T10:00:00+00:00"), Kind.TRADE, wallet,
                        buy=Leg(D("6000"), "EUR", D("6000")), sell=Leg(D("3"), "ETH", D("6000"))),
        ],
        files=["hand-made"],
        format="test",
    )  # fmt: skip
    corrections = loads_corrections(
        '[[correction]]\nid = "C1"\nkind = "set_cost_basis"\n'
        f'reason = "{reason}"\ndisposal = "s1"\nquantity = "1"\n'
        'acquired = "2022-12-01T09:00:00Z"\ncost = "1500"\n'
    )
    return book, corrections


def test_workbook_replaces_characters_excel_cannot_hold(tmp_path: Path):
    """A wallet name or reason with U+000B or NUL crashed the workbook (openpyxl
    IllegalCharacterError) after the other exports were written. Each such character is now
    U+FFFD in the workbook, visibly; the CSV keeps the text as it is."""
    from openpyxl import load_workbook

    from taxsim.report.export import xl_text

    assert xl_text("a\x00b\x0bc\x1f\td") == "a\ufffdb\ufffdc\ufffd\td"
    assert xl_text("=\x0bSUM(A1)") == "'=\ufffdSUM(A1)"  # still neutralised
    book, corrections = _case_book("Kra\x0bken\x00", "Kauf\\u000bbeleg\\u0000 Nr. 7")
    comp = compare(book, load_rules("de"), corrections, base_dir=tmp_path)
    paths = write_exports(comp, tmp_path / "out", corrections)
    wb = load_workbook(paths[-1])
    disposals = wb["Disposals"]
    header = [c.value for c in disposals[1]]
    wallets = {r[header.index("wallet")].value for r in disposals.iter_rows(min_row=2)}
    assert wallets == {"Kra\ufffdken\ufffd"}
    gains = [r[header.index("gain")].value for r in disposals.iter_rows(min_row=2)]
    # raw: 2 ETH from b1 (1,000 €), 1 ETH short (2,000 €); corrected: C1:1 (500 €) + b1
    assert gains == [1000, 2000, 500, 1000]
    # the corrections reader already shows the reason's control characters (taxsim.inputs)
    assert wb["Corrections"].cell(row=2, column=3).value == "Kauf<U+000B>beleg<U+0000> Nr. 7"
    audit = [c.value for c in wb["Audit trail"][2]]
    assert "Kra\ufffdken\ufffd" in audit[5]
    rows = list(csv.DictReader((tmp_path / "out" / "disposals.csv").open(encoding="utf-8")))
    assert rows[0]["wallet"] == "Kra\x0bken\x00"  # the CSV can hold it: unchanged


def test_workbook_text_without_xml_characters_gets_the_placeholder():
    """U+FFFE, U+FFFF and lone surrogates are no XML 1.0 characters either: openpyxl wrote
    U+FFFE into an unreadable file. They become U+FFFD like the C0 control characters."""
    from taxsim.report.export import xl_text

    assert xl_text("a\ufffeb\uffffc\ud800d") == "a\ufffdb\ufffdc\ufffdd"
    assert xl_text("tab\tLF\nCR\r") == "tab\tLF\nCR\r"  # these stay


def test_a_sheet_beyond_excels_rows_continues_on_a_next_sheet(case: Path, monkeypatch):
    """Excel holds 1,048,576 rows a sheet: a longer one continues in "Disposals (2)" … with
    the header, frozen, bold and in the money format, never cut off. With the limit patched to
    4 rows (header + 3), the 6 disposal rows of the case fill "Disposals" and "Disposals (2)";
    every sheet's parts hold exactly the rows of the unsplit sheet, in order."""
    from openpyxl import load_workbook

    from taxsim.report import export

    comp, _, corrections = _compare(case)
    export.write_workbook(comp, case / "whole.xlsx", corrections)
    monkeypatch.setattr(export.workbook, "MAX_SHEET_ROWS", 4)
    monkeypatch.setattr(export.workbook, "WIDTH_SAMPLE_ROWS", 2)
    export.write_workbook(comp, case / "split.xlsx", corrections)
    whole, split = load_workbook(case / "whole.xlsx"), load_workbook(case / "split.xlsx")

    def cells(ws):  # the data rows, less the empty one above the Summary's settings
        rows = [[(c.value, c.number_format) for c in r] for r in ws.iter_rows(min_row=2)]
        return [r for r in rows if any(v is not None for v, _ in r)]

    header = list(export.DISPOSAL_COLUMNS)
    parts = [ws for ws in split.worksheets if ws.title.startswith("Disposals")]
    assert [ws.title for ws in parts] == ["Disposals", "Disposals (2)"]
    assert [len(cells(ws)) for ws in parts] == [3, 3]
    for ws in parts:
        assert [c.value for c in ws[1]] == header and all(c.font.b for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.cell(row=2, column=header.index("gain") + 1).number_format == "#,##0.00"
        # widths from the header and the first 2 rows, the same on every part
        assert ws.column_dimensions["B"].width == 13  # "disposal_id" (11) + 2
    gains = [r[header.index("gain")][0] for ws in parts for r in cells(ws)]
    assert gains == [1000, 2000, 4700, 500, 1000, 500]  # the case's rows (test_exports)
    for ws in whole.worksheets:
        names = [ws.title] + [f"{ws.title} ({n})" for n in range(2, 10)]
        chunks = [split[n] for n in names if n in split.sheetnames]
        assert all(c.max_row <= 4 for c in chunks)
        assert [r for c in chunks for r in cells(c)] == cells(ws), ws.title
    assert len(whole.sheetnames) == 8 and len(split.sheetnames) > 8


@pytest.mark.parametrize(
    "wallet",
    ["Kraken", "A & B <x>", " leading", "trailing\u2003", "_x0041_ w", "tab\there", "K\x0bk"],
)
def test_workbook_fast_rows_write_the_xml_xlsxwriter_writes(tmp_path: Path, monkeypatch, wallet):
    """The data rows go straight into XlsxWriter's row file (``workbook._fast_row``, for speed
    on long ledgers); each part of the workbook must be byte for byte what XlsxWriter's own
    ``write_*`` calls give — also for texts it escapes (``&``, ``<``, ``_xHHHH_``, control
    characters), marks as whitespace-preserving or that fall back to ``write_*`` — except
    docProps/core.xml, which holds the time of writing."""
    import zipfile

    from taxsim.report import export

    plain = wallet == "Kraken"  # no text of the workbook then needs an escape
    book, corrections = _case_book(wallet, "Kaufbeleg Nr. 7" if plain else "Beleg & Nr. <7>")
    comp = compare(book, load_rules("de"), corrections, base_dir=tmp_path)
    fast = export.workbook._fast_row
    taken: list[bool] = []

    def counted(*args):  # type: ignore[no-untyped-def]
        taken.append(fast(*args))
        return taken[-1]

    monkeypatch.setattr(export.workbook, "_fast_row", counted)
    export.write_workbook(comp, tmp_path / "fast.xlsx", corrections)
    monkeypatch.setattr(export.workbook, "_fast_row", lambda *args: False)
    export.write_workbook(comp, tmp_path / "slow.xlsx", corrections)
    with zipfile.ZipFile(tmp_path / "fast.xlsx") as f, zipfile.ZipFile(tmp_path / "slow.xlsx") as s:
        assert f.namelist() == s.namelist()
        for name in f.namelist():
            if name != "docProps/core.xml":
                assert f.read(name) == s.read(name), name
    assert any(taken)  # the fast path was taken (the summary rows have no wallet) …
    assert all(taken) == plain  # … for every row exactly when no text needs an escape


@given(
    st.lists(st.decimals(min_value=-(10**4), max_value=10**4, places=4), min_size=1, max_size=40),
    st.lists(st.integers(min_value=-2, max_value=2), min_size=40, max_size=40),
)
def test_allocate_cents_rounds_up_the_values_a_plain_sort_picks(values, prefer_cents):
    """Which values go up: highest ``prefer`` first, then the largest remainder, then the
    first — checked against the plain reading of that rule (one sort by the tuple key), which
    the two stable sorts of ``allocate_cents`` must reproduce, ties included."""
    from decimal import ROUND_FLOOR

    from taxsim.report.export import allocate_cents
    from taxsim.summary import cents

    cent = D("0.01")
    prefer = [D(p) / 100 for p in prefer_cents[: len(values)]]
    for chosen in (None, prefer):
        floors = [v.quantize(cent, rounding=ROUND_FLOOR) for v in values]
        k = int((cents(sum(values, D(0))) - sum(floors, D(0))) / cent)
        order = sorted(
            (i for i, v in enumerate(values) if v != floors[i]),
            key=lambda i: (-chosen[i] if chosen else 0, floors[i] - values[i], i),
        )
        expected = [f + cent if i in order[:k] else f for i, f in enumerate(floors)]
        assert allocate_cents(values, chosen) == expected


def test_balance_chart_keeps_every_height_of_a_thinned_line():
    """``charts.thinned`` (M4): per stretch of the x axis the first, lowest, highest and last
    point, in order; a short line unchanged. Worked example: 12 points in 2 stretches of
    [0, 12): stretch 0 holds x 0–5 (heights 5 1 9 2 8 3), stretch 1 x 6–11 (4 0 7 6 -2 5)."""
    from taxsim.report.charts import thinned

    points = [(float(x), float(y)) for x, y in enumerate([5, 1, 9, 2, 8, 3, 4, 0, 7, 6, -2, 5])]
    assert thinned(points, 0.0, 12.0, 3) == points  # 12 ≤ 4 × 3: nothing to thin
    assert thinned(points, 0.0, 12.0, 2) == [
        (0.0, 5.0), (1.0, 1.0), (2.0, 9.0), (5.0, 3.0),  # first, lowest, highest, last
        (6.0, 4.0), (8.0, 7.0), (10.0, -2.0), (11.0, 5.0),
    ]  # fmt: skip
    big = [(x / 10, float((x * 7919) % 101 - 50)) for x in range(100_000)]
    kept = thinned(big, 0.0, 10_000.0, 700)
    assert len(kept) <= 4 * 700 and kept[0] == big[0] and kept[-1] == big[-1]
    assert min(y for _, y in kept) == -50.0 and max(y for _, y in kept) == 50.0
