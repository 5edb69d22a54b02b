"""Command-line behaviour shared by the commands: output paths (never over an input file, a
folder, or — without --force — an existing file), the engine's notes in ``simulate``, and
ledgers without a single transaction."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taxsim.cli import _register, app
from taxsim.cli.report import EXPORT_FILES
from taxsim.diagnosis import CSV_COLUMNS

_register()
runner = CliRunner()

HEADER = (
    "id,time,kind,income_type,wallet,to_wallet,buy_amount,buy_asset,buy_eur,sell_amount,"
    "sell_asset,sell_eur,fee_amount,fee_asset,fee_eur,group,comment,txid,chain,contract,"
    "from_address,to_address\n"
)
TAIL = "," * 7 + "\n"  # group … to_address empty


def row(tx_id: str, day: int, kind: str, legs: str, income: str = "") -> str:
    """A canonical row in Kraken; ``legs``: buy_amount … sell_eur (6 cells)."""
    return f"{tx_id},2024-01-{day:02d}T10:00:00Z,{kind},{income},Kraken,,{legs},,," + TAIL


LEDGER = (
    HEADER
    + row("B1", 1, "trade", "1,BTC,30000,30000,EUR,30000")
    + row("S1", 2, "trade", "10000,EUR,10000,0.25,BTC,10000")
)


def invoke(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def error_of(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    corrections = tmp_path / "c.toml"
    corrections.write_text(
        '[[correction]]\nid = "C1"\nkind = "delete"\nreason = "test"\nids = ["S1"]\n',
        encoding="utf-8",
    )
    return ledger, corrections


# --- output paths ----------------------------------------------------------------------------


def test_apply_creates_missing_folders_and_refuses_a_folder(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    ledger, corrections = files
    out = tmp_path / "new" / "sub" / "out.csv"
    result = invoke("apply", ledger, "-c", corrections, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.is_file() and (out.parent / "out.audit.csv").is_file()
    (tmp_path / "adir").mkdir()
    message = error_of(invoke("apply", ledger, "-c", corrections, "-o", tmp_path / "adir"))
    assert f"-o {tmp_path / 'adir'} is a folder; expected a file name" in message
    (tmp_path / "afile").write_text("", encoding="utf-8")
    message = error_of(invoke("apply", ledger, "-c", corrections, "-o", tmp_path / "afile/x.csv"))
    assert "is a file, not a folder" in message


def test_apply_needs_force_to_replace_an_output(tmp_path: Path, files: tuple[Path, Path]) -> None:
    ledger, corrections = files
    out = tmp_path / "out.csv"
    out.write_text("keep", encoding="utf-8")
    message = error_of(invoke("apply", ledger, "-c", corrections, "-o", out))
    assert "exists; use --force to overwrite it" in message
    assert out.read_text(encoding="utf-8") == "keep"
    assert not (tmp_path / "out.audit.csv").exists()
    result = invoke("apply", ledger, "-c", corrections, "-o", out, "--force")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith('"Type"')


def test_apply_never_writes_over_an_input_through_a_link(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    ledger, corrections = files
    original = ledger.read_bytes()
    hard = tmp_path / "hard.csv"
    os.link(ledger, hard)
    soft = tmp_path / "soft.csv"
    soft.symlink_to(ledger)
    for target in (hard, soft):
        for option in ("-o", "--audit"):
            args = ["-o", tmp_path / "x.csv", option, target] if option == "--audit" else []
            args = args or ["-o", target]
            message = error_of(invoke("apply", ledger, "-c", corrections, *args))
            assert "input is never overwritten" in message and option in message
    assert ledger.read_bytes() == original


def test_apply_never_writes_over_a_file_a_correction_reads(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    ledger, _ = files
    previous = tmp_path / "prev.csv"
    previous.write_text(LEDGER, encoding="utf-8")
    current = tmp_path / "current.csv"
    current.write_text(HEADER + row("B1", 1, "trade", "1,BTC,30000,30000,EUR,30000"), "utf-8")
    restore = tmp_path / "restore.toml"
    restore.write_text(
        '[[correction]]\nid = "C1"\nkind = "restore"\nreason = "deleted"\n'
        'from_file = "prev.csv"\nids = ["S1"]\n',
        encoding="utf-8",
    )
    for args in (["-o", previous], ["-o", tmp_path / "x.csv", "--audit", previous]):
        message = error_of(invoke("apply", current, "-c", restore, *args))
        assert f"is the input file {previous}" in message
    assert previous.read_text(encoding="utf-8") == LEDGER
    assert not (tmp_path / "x.csv").exists()


def test_diagnose_csv_creates_missing_folders(tmp_path: Path, files: tuple[Path, Path]) -> None:
    ledger, _ = files
    out = tmp_path / "nodir" / "x.csv"
    result = invoke("diagnose", ledger, "--csv", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[0].split(",") == list(CSV_COLUMNS)
    assert "is a folder" in error_of(invoke("diagnose", ledger, "--csv", tmp_path, "--force"))
    hard = tmp_path / "hard.csv"
    os.link(ledger, hard)
    assert "input is never overwritten" in error_of(
        invoke("diagnose", ledger, "--csv", hard, "--force")
    )


def test_report_export_dir_must_be_a_folder_and_never_an_input(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    ledger, _ = files
    afile = tmp_path / "afile"
    afile.write_text("", encoding="utf-8")
    message = error_of(invoke("report", ledger, "-o", tmp_path / "r.pdf", "--export-dir", afile))
    assert "--export-dir" in message and "is a file; expected a folder" in message
    folder = tmp_path / "ed"
    folder.mkdir()
    exported = folder / "disposals.csv"
    exported.write_text(LEDGER, encoding="utf-8")
    message = error_of(invoke("report", exported, "-o", tmp_path / "r.pdf", "--export-dir", folder))
    assert "input is never overwritten" in message
    assert exported.read_text(encoding="utf-8") == LEDGER
    assert not (tmp_path / "r.pdf").exists()


def test_report_export_files_are_the_ones_checked(tmp_path: Path, files: tuple[Path, Path]) -> None:
    # cli.report.EXPORT_FILES must name exactly what write_exports writes
    ledger, _ = files
    out = tmp_path / "out"
    result = invoke("report", ledger, "-o", out / "r.pdf", "--export-dir", out, "-q")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([*EXPORT_FILES, "r.pdf"])


# --- simulate: the engine's notes ------------------------------------------------------------


def _noted(tmp_path: Path, deposits: int) -> Path:
    """Deposits without a withdrawal (ghost lots) and a staking reward without EUR value."""
    rows = [row(f"D{n}", n, "deposit", "1,ETH,,,,") for n in range(1, deposits + 1)]
    rows.append(row("ST", 28, "income", "0.5,DOT,,,,", income="staking"))
    path = tmp_path / "noted.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_simulate_lists_the_notes(tmp_path: Path) -> None:
    path = _noted(tmp_path, 12)
    result = invoke("simulate", path)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Notes on the ledger (13)" in out
    assert "12 × deposit without a matching withdrawal: cost 0" in out
    assert "1 × no EUR value: counted as 0 €" in out
    assert "D1: deposit of 1 ETH into Kraken has no matching withdrawal" in out
    assert "D11:" not in out  # the first 10 only
    assert "… and 3 more (--all-notes lists them all)" in out
    full = invoke("simulate", path, "--all-notes").stdout
    assert "ST: no EUR value for 0.5 DOT" in full and "more (--all-notes" not in full


def test_simulate_json_keeps_its_shape_and_puts_the_notes_on_stderr(tmp_path: Path) -> None:
    path = _noted(tmp_path, 2)
    plain_ledger = tmp_path / "plain.csv"
    plain_ledger.write_text(LEDGER, encoding="utf-8")
    plain = invoke("simulate", plain_ledger, "--json")
    noted = invoke("simulate", path, "--json")
    assert noted.exit_code == 0 and plain.exit_code == 0
    assert json.loads(noted.stdout).keys() == json.loads(plain.stdout).keys()
    assert "Notes on the ledger (3)" in noted.stderr
    assert "ST: no EUR value for 0.5 DOT" in noted.stderr
    assert "Notes" not in plain.stderr


# --- a ledger without transactions -----------------------------------------------------------


@pytest.mark.parametrize("command", ["simulate", "report"])
def test_header_only_ledger_is_refused(tmp_path: Path, command: str) -> None:
    """An empty ledger's figures (all zero, no short) would read as a clean result."""
    path = tmp_path / "empty.csv"
    path.write_text(HEADER, encoding="utf-8")
    args = ["-o", tmp_path / "r.pdf"] if command == "report" else []
    message = error_of(invoke(command, path, *args))
    assert f"{path}: no transactions read" in message
    assert not (tmp_path / "r.pdf").exists()


def test_header_only_ledger_warns_in_diagnose(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(HEADER, encoding="utf-8")
    result = invoke("diagnose", path)
    assert result.exit_code == 0
    assert f"warning: {path}: no transactions read" in result.stderr


@pytest.mark.parametrize("width", [60, 80])
def test_a_narrow_terminal_never_cuts_a_figure(width: int, monkeypatch: pytest.MonkeyPatch):
    # The sample's 2023 tax effect 2,061,201.86 and raw income 4,650,122.73 (samples/client
    # README) used to come out as "2,061,2…" and "4,650,1…" in an 80-column terminal. Those
    # figures exist with the scam airdrop counted as income (--airdrops-as-income; the BMF
    # default counts no income for an airdrop without a service, tests/test_law_de.py).
    monkeypatch.setenv("COLUMNS", str(width))
    client = Path(__file__).resolve().parents[1] / "samples" / "client"
    result = runner.invoke(
        app,
        ["simulate", str(client / "ledger.csv"), "-c", str(client / "corrections.toml"),
         "--airdrops-as-income"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    for figure in ("2,061,201.86", "4,650,122.73", "-4,650,000.00", "13,585.45", "30,660.00"):
        assert figure in result.output


V3 = (
    '"Type","Buy","Cur.","Value in BTC","Value in EUR","Sell","Cur.","Value in BTC",'
    '"Value in EUR","Spread","Exchange","Group","Date"\n'
)
PURCHASE = (
    '"Trade","1.00000000","BTC","1.00000000","30000.00","30000.00","EUR","1.00000000",'
    '"30000.00","-","Kraken","","01.01.2024 10:00:00"\n'
)


@pytest.mark.parametrize("command", ["apply", "simulate", "dac8"])
def test_files_a_correction_reads_take_the_commands_time_zone(tmp_path: Path, command: str):
    # The ledger and an earlier export both hold the purchase of 01.01.2024 10:00 local time.
    # Read in New York (--timezone), the ledger has it at 15:00 UTC; the earlier export must be
    # read in New York too, else it lands at 09:00 UTC, six hours away, and restoring it
    # "prev:2" would book the purchase twice. Read alike, it is recognised as already there.
    (tmp_path / "ledger.csv").write_text(V3 + PURCHASE, encoding="utf-8")
    (tmp_path / "prev.csv").write_text(V3 + PURCHASE, encoding="utf-8")
    (tmp_path / "c.toml").write_text(
        '[[correction]]\nid = "C1"\nkind = "restore"\nreason = "deleted by hand"\n'
        'from_file = "prev.csv"\nids = ["prev:2"]\n',
        encoding="utf-8",
    )
    ledger, corrections = str(tmp_path / "ledger.csv"), str(tmp_path / "c.toml")
    args = {
        "apply": ["apply", ledger, "-c", corrections, "-o", str(tmp_path / "out.csv")],
        "simulate": ["simulate", ledger, "-c", corrections, "--json"],
        "dac8": ["dac8", ledger, "-c", corrections],
    }[command]
    result = runner.invoke(app, [*args, "--timezone", "America/New_York"])
    assert result.exit_code == 2, result.output
    assert "would count it twice" in result.output


@pytest.mark.parametrize("command", ["simulate", "diagnose", "report", "batch"])
def test_help_paragraphs_wrap_at_80_columns(command: str) -> None:
    # typer keeps a docstring's line breaks; at 80 columns that left lines like "cost 0, as"
    # followed by a full one. Every help line is now either full (the terminal wrapped it at
    # a word) or ends a paragraph: no prose line of under 40 characters before a longer one.
    result = CliRunner().invoke(app, [command, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert result.exit_code == 0
    prose = result.output.split("╭")[0].splitlines()
    for line, following in zip(prose, prose[1:], strict=False):
        if line.strip() and following.strip():
            assert len(line.rstrip()) >= 60, (line, following)


def test_a_closed_pipe_ends_quietly(monkeypatch, capfd) -> None:
    # `taxsim diagnose --help | head -30` printed "unexpected failure (BrokenPipeError)"
    # when head had gone before the help was written out; the race is replaced here by an
    # app that fails as the write to the closed pipe did.
    import taxsim.cli as cli

    def closed(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    saved = os.dup(1)  # closed_pipe() points fd 1 at devnull; give pytest its stdout back
    try:
        monkeypatch.setattr(cli, "app", closed)
        monkeypatch.setattr(cli, "_register", lambda: None)
        with pytest.raises(SystemExit) as exit_info:
            cli.main()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    assert exit_info.value.code == 1
    assert "unexpected failure" not in capfd.readouterr().err
    # inside a command the error passes to click, which ends with exit code 1 as well
    assert BrokenPipeError in cli._PASS_THROUGH


@pytest.mark.parametrize("option", ["--previous", "--onchain", "--platforms", "--platform-report"])
def test_report_refuses_a_folder_as_evidence_file(tmp_path: Path, option: str) -> None:
    """As `diagnose` and `dac8` do: one line naming the option, exit 2 — never the
    "unexpected failure" the report's input hashing gave a folder before."""
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    result = invoke("report", ledger, option, tmp_path, "-o", tmp_path / "r.pdf", "-q")
    assert result.exit_code == 2
    message = " ".join(error_of(result).split())
    assert message == f"error: {option} {tmp_path}: is a folder, expected a file"


def test_a_folder_given_as_ledger_is_named_so(tmp_path: Path) -> None:
    result = invoke("simulate", tmp_path)
    assert result.exit_code == 2
    assert (
        " ".join(error_of(result).split()) == f"error: {tmp_path}: is a folder, not a ledger file"
    )
