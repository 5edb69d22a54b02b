"""The exact tax (taxsim.tax): § 32a EStG per year, Soli (§§ 3, 4 SolZG), church tax with its
Sonderausgabe effect, client settings, AT 27.5 % with KESt credit. Every expected figure is
worked out by hand (or taken from a published table) in the comment next to it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taxsim.cli import _register, app
from taxsim.engine import run_pass
from taxsim.model import InputError, Kind, Leg, TaxsimError, Transaction
from taxsim.rules import load_rules
from taxsim.summary import tax_of_year, year_figures
from taxsim.tax import (
    TaxOptions,
    church_state,
    crypto_tax,
    de_crypto_tax,
    income_tax,
    load_client_settings,
    solidarity,
)

D = Decimal
DE = load_rules("de")
AT = load_rules("at")
CLIENT = Path(__file__).resolve().parent.parent / "samples" / "client"


def est(zve: str, year: int, joint: bool = False) -> Decimal:
    tariff = DE.tax.tariff_for(year)
    assert tariff is not None
    return income_tax(D(zve), tariff, joint)


# -- § 32a per year ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "zve", "expected"),
    [
        # 2021 zone 3: z = (30,000 − 14,753)/10,000 = 1.5247;
        # 208.85·1.5247 = 318.4336; + 2,397 = 2,715.4336; · 1.5247 = 4,140.2216; + 950.96
        # = 5,091.18… → 5,091
        (2021, "30000", "5091"),
        # 2022 (Steuerentlastungsgesetz 2022, GFB 10,347): published Grundtabelle (lohn-info.de
        # "Grundtabelle und Splittingtabelle 2022", new values): 40,000 → 8,177; 60,000 →
        # 15,863 (zone 4: 0.42·60,000 − 9,336.45 = 15,863.55 → 15,863)
        (2022, "40000", "8177"),
        (2022, "60000", "15863"),
        # 2023 zone 3: z = (50,000 − 15,999)/10,000 = 3.4001;
        # (192.59·3.4001 + 2,397)·3.4001 + 966.53 = 11,343.04… → 11,343
        (2023, "50000", "11343"),
        # 2024 (GFB 11,784 after the Steuerfortentwicklungsgesetz): z = 3.2995;
        # (181.19·3.2995 + 2,397)·3.2995 + 991.21 = 10,872.67… → 10,872
        (2024, "50000", "10872"),
        # 2024 zone 2: y = (15,000 − 11,784)/10,000 = 0.3216; 954.80·0.3216 = 307.06; + 1,400
        # = 1,707.06; · 0.3216 = 548.99… → 548
        (2024, "15000", "548"),
        # 2025 zone 4: 0.42·100,000 − 10,911.92 = 31,088.08 → 31,088
        (2025, "100000", "31088"),
        # 2026 zone 5 (45 %): 0.45·300,000 − 19,470.38 = 115,529.62 → 115,529
        (2026, "300000", "115529"),
        # at the basic allowance nothing
        (2026, "12348", "0"),
        # the zvE is rounded down first: 50,000.99 is taxed as 50,000
        (2024, "50000.99", "10872"),
    ],
)
def test_tariff_per_year(year: int, zve: str, expected: str) -> None:
    assert est(zve, year) == D(expected)


def test_splitting_is_twice_the_tax_on_half() -> None:
    # § 32a Abs. 5; published 2022 Splittingtabelle (lohn-info.de): 60,000 → 9,902
    # (= 2 · tax(30,000); z = (30,000 − 14,926)/10,000 = 1.5074; (206.43·1.5074 + 2,397)·1.5074
    # + 869.32 = 4,951.62 → 4,951; · 2 = 9,902)
    assert est("60000", 2022, joint=True) == D("9902")


# -- Soli, church tax ---------------------------------------------------------------------------


def test_soli_freigrenze_and_milderungszone() -> None:
    exemption = DE.tax.solidarity_for(2024)
    assert exemption is not None and exemption.single == D("18130")
    # at or below the Freigrenze: nothing (§ 3 Abs. 3: only if it "übersteigt")
    assert solidarity(D("18130"), exemption.single, DE) == D("0")
    # Milderungszone: ESt 22,838 → min(5.5 % · 22,838 = 1,256.09, 11.9 % · (22,838 − 18,130)
    # = 11.9 % · 4,708 = 560.252) = 560.25 (Bruchteile eines Cents außer Ansatz)
    assert solidarity(D("22838"), exemption.single, DE) == D("560.25")
    # full rate far above: ESt 40,000 → 5.5 % = 2,200.00 < 11.9 % · 21,870 = 2,602.53
    assert solidarity(D("40000"), exemption.single, DE) == D("2200.00")
    # joint Freigrenze 2025: 39,900
    assert DE.tax.solidarity_for(2025).joint == D("39900")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("given", "code"),
    [("Bayern", "BY"), ("bayern", "BY"), ("BY", "BY"), ("by", "BY"), ("Baden-Württemberg", "BW"),
     ("baden-wuerttemberg", "BW"), ("Thüringen", "TH"), ("Nordrhein-Westfalen", "NW"),
     ("none", None), (None, None)],
)  # fmt: skip
def test_church_tax_states_accepted(given: str | None, code: str | None) -> None:
    assert church_state(DE, given) == code


@pytest.mark.parametrize("given", ["Bavaria", "XX", "default", "9%", "Wien"])
def test_church_tax_anything_else_refused(given: str) -> None:
    with pytest.raises(TaxsimError, match="not a German federal state"):
        church_state(DE, given)


def test_church_rates_bayern_8_others_9() -> None:
    assert DE.tax.church_rates["BY"] == D("0.08") and DE.tax.church_rates["BW"] == D("0.08")
    assert {DE.tax.church_rates[c] for c in DE.tax.church_rates if c not in ("BY", "BW")} == {
        D("0.09")
    }


# -- the crypto's share with the church tax's Sonderausgabe effect ------------------------------


def test_crypto_tax_2024_hand_computed() -> None:
    # Other zvE 50,000 €, crypto 30,660 € (the sample's raw 2024 figure), single, Bayern 8 %.
    # Without crypto: ESt 10,872 (see above); Soli 0 (≤ 18,130); KiSt 8 % = 869.76.
    #   total 11,741.76
    # With crypto, church tax as Sonderausgabe, iterated:
    #   zvE 80,660: ESt 0.42·80,660 − 10,636.31 = 23,240.89 → 23,240; KiSt 1,859.20;
    #     extra church tax 1,859.20 − 869.76 = 989.44
    #   zvE 80,660 − 989.44 = 79,670.56 → 79,670: ESt 22,825.09 → 22,825; KiSt 1,826.00;
    #     extra 956.24
    #   zvE 79,703.76 → 79,703: ESt 22,838.95 → 22,838; KiSt 1,827.04; extra 957.28
    #   zvE 79,702.72 → 79,702: ESt 22,838.53 → 22,838; KiSt 1,827.04; extra 957.28 = stable
    #   Soli: 22,838 > 18,130: min(1,256.09, 11.9 % · 4,708 = 560.25) = 560.25
    #   total 22,838 + 560.25 + 1,827.04 = 25,225.29
    # Crypto's share: 25,225.29 − 11,741.76 = 13,483.53
    without, with_ = de_crypto_tax(D("50000"), D("30660.00"), 2024, DE, D("0.08"))
    assert (without.income_tax, without.solidarity, without.church) == (
        D("10872"),
        D("0"),
        D("869.76"),
    )
    assert with_.zve == D("79702")
    assert (with_.income_tax, with_.solidarity, with_.church) == (
        D("22838"),
        D("560.25"),
        D("1827.04"),
    )
    assert with_.total - without.total == D("13483.53")


def test_no_church_tax_no_sonderausgabe() -> None:
    # 2024, other zvE 50,000, crypto 1,000, no church: ESt(51,000): z = 3.3995;
    # (181.19·3.3995 + 2,397)·3.3995 + 991.21 = 11,233.27… → 11,233; minus 10,872 = 361
    without, with_ = de_crypto_tax(D("50000"), D("1000"), 2024, DE)
    assert with_.total - without.total == D("361")


def test_fallback_is_labelled_estimate() -> None:
    result = crypto_tax(2024, DE, TaxOptions(), de_base=D("1000"))
    # 1,000 · 42 % · (1 + 5.5 %) = 443.10
    assert result.amount == D("443.1000") and not result.exact
    assert result.method.startswith("estimate (no taxable income given)")


def test_exact_when_income_given() -> None:
    result = crypto_tax(2024, DE, TaxOptions(taxable_income=D("50000")), de_base=D("1000"))
    assert result.exact and result.amount == D("361")  # as above
    assert "§ 32a" in result.method


# -- the sample, end to end from the CLI --------------------------------------------------------


_register()


def simulate(*args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        app,
        ["simulate", str(CLIENT / "ledger.csv"), "-c", str(CLIENT / "corrections.toml"),
         "--json", *args],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_sample_2023_2024_exact_tax_from_the_cli() -> None:
    data = simulate("--taxable-income", "50000", "--church-tax", "Bayern")
    years = {y["year"]: y for y in data["years"]}
    y23, y24 = years[2023], years[2024]
    # The bases (so a change in the sample shows here, not as a tax difference):
    # 2023 raw: § 23 1,653.08 ≥ 600; § 22 Nr. 3 122.73 < 256 (the scam airdrop is no income
    # without a service, BMF 2025 Rz. 70–75) → 1,653.08; corrected: 3.08 < 600 → 0.
    # 2024 raw: 30,660.00 ≥ 1,000, income 234.05 < 256 → 30,660.00; corrected 60.00 < 1,000 → 0.
    assert (y23["raw"]["taxable_gain"], y23["raw"]["income"]) == ("1653.08", "122.73")
    assert (y23["corrected"]["taxable_gain"], y23["corrected"]["income"]) == ("3.08", "122.73")
    assert (y24["raw"]["taxable_gain"], y24["raw"]["income"]) == ("30660.00", "234.05")
    assert y24["corrected"]["taxable_gain"] == "60.00"
    # 2024: 13,483.53 (test_crypto_tax_2024_hand_computed); corrected 0.
    assert {k: v for k, v in y24["tax"].items() if k != "detail"} == {
        "raw": "13483.53",
        "corrected": "0.00",
        "difference": "13483.53",
        "method": y24["tax"]["method"],
        "exact": True,
    }
    assert y24["tax_effect"] == "13483.53"
    # the whole year's tax behind it (same hand computation): with the crypto figures zvE
    # 79,702, ESt 22,838, Soli 560.25, KiSt 1,827.04 = 25,225.29; without: 50,000 / 10,872 /
    # 0 / 869.76 = 11,741.76; the corrected pass adds nothing: its total is 11,741.76
    raw = y24["tax"]["detail"]["raw"]
    assert (raw["zve"], raw["income_tax"], raw["solidarity"], raw["church"], raw["total"]) == (
        "79702.00",
        "22838.00",
        "560.25",
        "1827.04",
        "25225.29",
    )
    assert (raw["total_without_crypto"], y24["tax"]["detail"]["corrected"]["total"]) == (
        "11741.76",
        "11741.76",
    )
    # 2023 (tariff 2023, Soli Freigrenze 17,543, Bayern 8 %), other zvE 50,000:
    # without: ESt 11,343 (z = 3.4001, above), Soli 0, KiSt 907.44 → 12,250.44
    # with 1,653.08, iterated:
    #   x 51,653: z = 3.5654; (192.59·3.5654 + 2,397)·3.5654 + 966.53 = 11,961.01 → 11,961;
    #     KiSt 956.88; extra 49.44
    #   x 51,653.08 − 49.44 = 51,603.64 → 51,603: z = 3.5604 → 11,942.17 → 11,942; KiSt 955.36;
    #     extra 47.92
    #   x 51,605.16 → 51,605: z = 3.5606 → 11,942.92 → 11,942; extra 47.92 = stable
    #   Soli: 11,942 ≤ 17,543 → 0
    # share: (11,942 − 11,343) + 0 + (955.36 − 907.44) = 599 + 47.92 = 646.92
    assert y23["tax"]["raw"] == "646.92" and y23["tax"]["corrected"] == "0.00"
    assert y23["tax"]["difference"] == "646.92" and y23["tax"]["exact"] is True


def test_sample_2023_with_airdrops_as_income_reaches_the_45_percent_rate() -> None:
    # --airdrops-as-income (CoinTracking's treatment): raw 2023 = 1,653.08 + 4,650,122.73 =
    # 4,651,775.81 (§ 22 Nr. 3 ≥ 256). Other zvE 50,000, Bayern 8 %:
    # without: ESt 11,343, Soli 0, KiSt 907.44 → 12,250.44
    # with, iterated (45 % zone: 0.45·x − 18,307.73):
    #   x 4,701,775 → ESt 2,097,491; KiSt 167,799.28; extra 166,891.84
    #   x 4,534,883 → ESt 2,022,389; KiSt 161,791.12; extra 160,883.68
    #   x 4,540,892 → ESt 2,025,093; KiSt 162,007.44; extra 161,100.00
    #   x 4,540,675 → ESt 2,024,996; KiSt 161,999.68; extra 161,092.24
    #   x 4,540,683 → ESt 0.45·4,540,683 − 18,307.73 = 2,024,999.62 → 2,024,999;
    #     KiSt 161,999.92; extra 161,092.48 → x 4,540,683 again: stable
    #   Soli 5.5 % · 2,024,999 = 111,374.945 → 111,374.94 (11.9 % of the excess is more)
    #   total 2,024,999 + 111,374.94 + 161,999.92 = 2,298,373.86
    # share: 2,298,373.86 − 12,250.44 = 2,286,123.42 (the marginal 42 % estimate said
    # 2,061,201.86: the 45 % rate, legal review finding 6)
    data = simulate("--taxable-income", "50000", "--church-tax", "BY", "--airdrops-as-income")
    y23 = {y["year"]: y for y in data["years"]}[2023]
    assert y23["raw"]["income"] == "4650122.73"
    assert y23["tax"]["raw"] == "2286123.42" and y23["tax"]["corrected"] == "0.00"


def test_sample_without_income_is_the_labelled_fallback() -> None:
    y24 = {y["year"]: y for y in simulate()["years"]}[2024]
    # 30,660 · 42 % · 1.055 = 13,585.446 → 13,585.45
    assert y24["tax"]["raw"] == "13585.45" and y24["tax"]["exact"] is False
    assert "estimate" in y24["tax"]["method"]


def test_cli_refuses_unknown_church_state() -> None:
    result = CliRunner().invoke(
        app, ["simulate", str(CLIENT / "ledger.csv"), "--church-tax", "Bavaria"]
    )
    assert result.exit_code != 0
    assert "not a German federal state" in result.output


# -- client settings ----------------------------------------------------------------------------


def test_client_settings_per_year(tmp_path: Path) -> None:
    path = tmp_path / "client.toml"
    path.write_text(
        '[client]\nname = "Lena"\nchurch_tax = "Bayern"\n\n'
        '[years.2024]\ntaxable_income = "50000"\n\n'
        '[years.2023]\ntaxable_income = 50000\nchurch_tax = "none"\nassessment = "joint"\n',
        encoding="utf-8",
    )
    client = load_client_settings(path)
    assert client.for_year(2024).taxable_income == D("50000")
    assert client.for_year(2024).church_tax == "Bayern"
    assert client.for_year(2023).church_tax == "none" and client.for_year(2023).joint
    assert client.for_year(2022).taxable_income is None  # not stated: fallback estimate
    # from the CLI: 2024 as in test_crypto_tax_2024_hand_computed
    data = simulate("--client-settings", str(path))
    y24 = {y["year"]: y for y in data["years"]}[2024]
    assert y24["tax"]["raw"] == "13483.53"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[years.2024]\ntaxable_income = 50000.5\n", "years.2024.taxable_income"),
        ('[years.2024]\nincome = "1"\n', "years.2024.income"),
        ('[years.24]\ntaxable_income = "1"\n', "years.24"),
        ('[client]\nassessment = "married"\n', "client.assessment"),
        ('[years.2024]\ntaxable_income = "-5"\n', "years.2024.taxable_income"),
    ],
)
def test_client_settings_errors_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "client.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_client_settings(path)
    assert info.value.column == key and str(path) in str(info.value)


# -- AT: 27.5 % with KESt credit ----------------------------------------------------------------


def _t(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, tzinfo=UTC)


def test_at_kest_withheld_by_bitpanda_is_credited() -> None:
    # Bitpanda ETH 2024 (legal review finding 5): 1 ETH bought 10.1.2024 for 2,000 €, sold
    # 1.6.2024 for 3,760 € → gain 1,760 €; 27.5 % = 484.00 €, which Bitpanda withheld as KESt
    # (domestic provider, mandatory from 2024): still payable 484 − 484 = 0.
    txs = [
        Transaction("B1", _t(2024, 1, 10), Kind.TRADE, "Bitpanda",
                    buy=Leg(D("1"), "ETH", D("2000")), sell=Leg(D("2000"), "EUR", D("2000"))),
        Transaction("S1", _t(2024, 6, 1), Kind.TRADE, "Bitpanda",
                    buy=Leg(D("3760"), "EUR", D("3760")), sell=Leg(D("1"), "ETH", D("3760"))),
    ]  # fmt: skip
    f = year_figures(run_pass(txs, AT), AT)[2024]
    assert f.taxable_gain == D("1760") and f.withheld_gains == D("1760")
    result = tax_of_year(f, AT, TaxOptions())
    assert result.detail["tax"] == D("484.000") and result.detail["kest_credit"] == D("484.000")
    assert result.amount == D("0")
    # the same sale on Kraken (foreign, no KESt): 484 still payable
    kraken = [tx.with_(wallet="Kraken") for tx in txs]
    f = year_figures(run_pass(kraken, AT), AT)[2024]
    assert f.withheld_gains == D("0")
    assert tax_of_year(f, AT, TaxOptions()).amount == D("484.000")
    # a stated KESt (the provider's own figure) wins: 450 stated → 34 still payable
    assert tax_of_year(f, AT, TaxOptions(kest_withheld=D("450"))).amount == D("34.000")


def test_at_kest_only_from_2024() -> None:
    # the same Bitpanda sale in 2023: no mandatory withholding yet → nothing credited
    txs = [
        Transaction("B1", _t(2023, 1, 10), Kind.TRADE, "Bitpanda",
                    buy=Leg(D("1"), "ETH", D("2000")), sell=Leg(D("2000"), "EUR", D("2000"))),
        Transaction("S1", _t(2023, 6, 1), Kind.TRADE, "Bitpanda",
                    buy=Leg(D("3760"), "EUR", D("3760")), sell=Leg(D("1"), "ETH", D("3760"))),
    ]  # fmt: skip
    f = year_figures(run_pass(txs, AT), AT)[2023]
    assert f.withheld_gains == D("0")
    assert tax_of_year(f, AT, TaxOptions()).amount == D("484.000")


def test_at_loss_offset_within_the_special_rate() -> None:
    # Kraken: ETH gain 1,000 and BTC loss 400 in 2024 → base 600; 27.5 % = 165.00
    txs = [
        Transaction("B1", _t(2024, 1, 10), Kind.TRADE, "Kraken",
                    buy=Leg(D("1"), "ETH", D("2000")), sell=Leg(D("2000"), "EUR", D("2000"))),
        Transaction("B2", _t(2024, 1, 11), Kind.TRADE, "Kraken",
                    buy=Leg(D("1"), "BTC", D("1400")), sell=Leg(D("1400"), "EUR", D("1400"))),
        Transaction("S1", _t(2024, 6, 1), Kind.TRADE, "Kraken",
                    buy=Leg(D("3000"), "EUR", D("3000")), sell=Leg(D("1"), "ETH", D("3000"))),
        Transaction("S2", _t(2024, 6, 2), Kind.TRADE, "Kraken",
                    buy=Leg(D("1000"), "EUR", D("1000")), sell=Leg(D("1"), "BTC", D("1000"))),
    ]  # fmt: skip
    f = year_figures(run_pass(txs, AT), AT)[2024]
    assert tax_of_year(f, AT, TaxOptions()).amount == D("165.000")
