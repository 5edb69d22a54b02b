"""One test per resource limit (taxsim.inputs.limits), each with a generated file just over
it; the ones the issue measured run at full size in a child process whose peak memory must
stay under 1 GB (it took 3.6 GB, 3.2 GB and 21 GB before)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from taxsim.inputs import limits
from taxsim.model import InputError, TaxsimError
from taxsim.readers import read_ledger

from .faults import ROOT, SAMPLES, table, xlsx_parts, zip_with

GIB = 1 << 30


def _peak_run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, int]:
    """Run ``taxsim`` in a child that reports its own peak memory: (exit code, stderr, bytes)."""
    code = (
        "import resource, sys\n"
        "from taxsim.cli import main\n"
        "sys.argv = ['taxsim', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    rc = e.code\nelse:\n    rc = 0\n"
        "sys.stderr.write(f'\\nPEAK {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n"
        "sys.exit(rc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    peak = int(result.stderr.rsplit("PEAK ", 1)[1]) * 1024
    return result.returncode, result.stderr.rsplit("\nPEAK", 1)[0], peak


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0]


def test_defaults_are_documented() -> None:
    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for name in limits.Limits.__dataclass_fields__:
        assert limits.env_name(name) in doc, name
        assert f"{getattr(limits.DEFAULTS, name):,}" in doc, name


def test_a_bad_environment_value_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAXSIM_LIMIT_ROWS", "lots")
    with pytest.raises(TaxsimError, match="TAXSIM_LIMIT_ROWS='lots': expected a whole number"):
        limits.current()


def test_xml_text_node_of_50_mb_at_the_default_limit(tmp_path: Path) -> None:
    data = (SAMPLES / "client" / "carf_kraken_2026.xml").read_bytes()
    path = tmp_path / "carf_kraken_2026.xml"
    path.write_bytes(data.replace(b"Bitcoin", b"B" * (50 << 20), 1))
    rc, err, peak = _peak_run("dac8", str(SAMPLES / "client" / "ledger.csv"), "-r", str(path))
    line = _one_line(err)
    assert rc == 2 and "characters of a text exceeds the limit of 1,048,576" in line, line
    assert peak < GIB, peak


def _bomb(path: Path, unpacked: int) -> None:
    """A workbook with one extra part of ``unpacked`` zero bytes, written as a stream."""
    parts = xlsx_parts(table("import").xlsx_bytes())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open("xl/media/zeros.bin", "w", force_zip64=True) as part:
            block = b"\0" * (1 << 20)
            for _ in range(unpacked >> 20):
                part.write(block)


def test_zip_bomb_of_1_gib_at_the_default_limits(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    _bomb(path, GIB)
    assert path.stat().st_size < 2 << 20  # about 1 MB on disk
    rc, err, peak = _peak_run("simulate", str(path))
    line = _one_line(err)
    assert rc == 2 and "TAXSIM_LIMIT_XLSX" in line, line
    assert peak < GIB, peak


def test_unpacked_size_limit_with_an_honest_ratio(tmp_path: Path) -> None:
    """Parts of incompressible data: the ratio is 1 : 1, the total size is what counts."""
    parts = xlsx_parts(table("import").xlsx_bytes())
    parts["xl/media/noise.bin"] = os.urandom(300_000)
    path = tmp_path / "big.xlsx"
    path.write_bytes(zip_with(parts))
    with limits.override(xlsx_unpacked_bytes=250_000), pytest.raises(InputError) as err:
        read_ledger(path)
    message = str(err.value)
    assert "unpacked size" in message and "TAXSIM_LIMIT_XLSX_UNPACKED_BYTES" in message
    assert len(read_ledger(path).transactions) == len(table("import").rows)  # default: fine


def test_far_away_cell_at_the_default_limits(tmp_path: Path) -> None:
    parts = xlsx_parts(table("import").xlsx_bytes())
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>",
        b'<row r="1000000"><c r="ZZ1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    path = tmp_path / "far.xlsx"
    path.write_bytes(zip_with(parts))
    rc, err, peak = _peak_run("simulate", str(path))
    line = _one_line(err)
    # 1,000,000 rows × 702 columns (ZZ) = 702,000,000 cells
    assert rc == 2 and "702,000,000 cells" in line and "TAXSIM_LIMIT_XLSX_CELLS" in line, line
    assert peak < GIB, peak


def test_a_cell_reference_beyond_its_row_element_counts(tmp_path: Path) -> None:
    """calamine places a cell by its own reference: a cell A900000 inside row 2 makes the
    sheet 900,000 rows high."""
    parts = xlsx_parts(table("import").xlsx_bytes())
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b'r="A2"', b'r="A900000"', 1)
    path = tmp_path / "high.xlsx"
    path.write_bytes(zip_with(parts))
    with limits.override(rows=500_000), pytest.raises(InputError) as err:
        read_ledger(path)
    assert "reach row 900,000" in str(err.value)


def test_parts_limit(tmp_path: Path) -> None:
    parts = xlsx_parts(table("import").xlsx_bytes())
    parts.update({f"xl/media/p{i}.bin": b"x" for i in range(30)})
    path = tmp_path / "parts.xlsx"
    path.write_bytes(zip_with(parts))
    with limits.override(xlsx_parts=20), pytest.raises(InputError, match="number of parts"):
        read_ledger(path)


def test_rows_limit_csv_and_xlsx(tmp_path: Path) -> None:
    t = table("import")
    t.rows = t.rows * 3  # 66 rows
    for i, r in enumerate(t.rows):
        r[t.index("Tx-ID")] = f"T{i}"
    csv_path = tmp_path / "rows.csv"
    csv_path.write_bytes(t.csv_bytes())
    xlsx_path = tmp_path / "rows.xlsx"
    xlsx_path.write_bytes(t.xlsx_bytes())
    for path in (csv_path, xlsx_path):
        with limits.override(rows=40), pytest.raises(InputError, match="exceeds the limit of 40"):
            read_ledger(path)
        assert len(read_ledger(path).transactions) == 66


def test_cell_limit_csv_and_xlsx(tmp_path: Path) -> None:
    t = table("import")
    t.rows[3][t.index("Comment")] = "x" * 5000
    csv_path = tmp_path / "cell.csv"
    csv_path.write_bytes(t.csv_bytes())
    xlsx_path = tmp_path / "cell.xlsx"
    xlsx_path.write_bytes(t.xlsx_bytes())
    for path in (csv_path, xlsx_path):
        with limits.override(cell_chars=4096), pytest.raises(InputError) as err:
            read_ledger(path)
        assert err.value.row == 5 and err.value.column == "Comment", str(err.value)
        assert read_ledger(path).transactions[3].comment == "x" * 5000


def test_small_file_limit(tmp_path: Path) -> None:
    from taxsim.corrections import load_corrections
    from taxsim.diagnosis import read_onchain_balances

    corrections = SAMPLES / "client" / "corrections.toml"
    onchain = SAMPLES / "client" / "onchain_balances.csv"
    with limits.override(small_file_bytes=100):
        with pytest.raises(InputError, match="size in bytes exceeds the limit of 100"):
            load_corrections(corrections)
        with pytest.raises(InputError, match="size in bytes exceeds the limit of 100"):
            read_onchain_balances(onchain)


def test_xml_limits_in_the_reader(tmp_path: Path) -> None:
    from taxsim.dac8 import read_platform_report

    data = (SAMPLES / "client" / "carf_kraken_2026.xml").read_bytes()
    path = tmp_path / "carf.xml"
    path.write_bytes(data)
    with limits.override(xml_bytes=1000), pytest.raises(InputError, match="size in bytes"):
        read_platform_report(path)
    path.write_bytes(data.replace(b"<carf:CryptoAsset>", b"<x>" * 70 + b"</x>" * 70
                                  + b"<carf:CryptoAsset>", 1))  # fmt: skip
    with pytest.raises(InputError, match="nesting depth of elements exceeds the limit of 64"):
        read_platform_report(path)
    # deeper allowed: the report's own check refuses <x>
    with limits.override(xml_depth=200), pytest.raises(InputError, match="unknown element"):
        read_platform_report(path)


def test_panics_are_input_errors(tmp_path: Path) -> None:
    """calamine's PanicException is a BaseException: caught at the XLSX boundary."""
    from taxsim.inputs.xlsx import calamine_call

    class PanicException(BaseException):  # the shape of pyo3_runtime.PanicException
        pass

    def panic() -> None:
        raise PanicException("called `Option::unwrap()` on a `None` value")

    with pytest.raises(InputError, match="cannot read the XLSX file: called"):
        calamine_call("f.xlsx", panic)
    with pytest.raises(KeyboardInterrupt):
        calamine_call("f.xlsx", lambda: (_ for _ in ()).throw(KeyboardInterrupt()))


def test_truncated_xlsx_in_a_process_is_one_line(tmp_path: Path) -> None:
    data = table("v2").xlsx_bytes()
    for cut in (len(data) // 3, len(data) - 200, len(data) - 10):
        path = tmp_path / f"cut{cut}.xlsx"
        path.write_bytes(data[:cut])
        rc, err, _ = _peak_run("simulate", str(path))
        assert rc == 2 and "cannot read the XLSX file" in _one_line(err)


def test_last_line_of_defence_for_any_base_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    """A BaseException no check foresaw (here raised by the reader) is one line, exit 2."""
    from typer.testing import CliRunner

    from taxsim import readers
    from taxsim.cli import _register, app

    class Panic(BaseException):
        pass

    def explode(*_args: object, **_kwargs: object) -> None:
        raise Panic("boom\nsecond line")

    _register()
    monkeypatch.setattr(readers, "read_ledger", explode)
    result = CliRunner().invoke(app, ["simulate", str(SAMPLES / "client" / "ledger.csv")])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: unexpected failure (Panic: boom second")


def test_zip_without_workbook_parts(tmp_path: Path) -> None:
    path = tmp_path / "odd.xlsx"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    path.write_bytes(out.getvalue())
    with pytest.raises(InputError, match="XLSX"):
        read_ledger(path)


def test_every_limit_is_documented_with_its_variable_and_default() -> None:
    """docs/formats.md "Input boundary and limits" has one row per ``Limits`` field: its
    variable and its default as written there (with thousands separators)."""
    from dataclasses import fields as dc_fields

    from taxsim.inputs import limits as lim

    doc = (Path(__file__).parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
    rows = {line.split("`")[1]: line for line in doc.splitlines() if "`TAXSIM_LIMIT_" in line}
    for f in dc_fields(lim.Limits):
        name = lim.env_name(f.name)
        assert name in rows, name
        assert f"| {getattr(lim.DEFAULTS, f.name):,} |" in rows[name], (name, rows[name])


def test_xml_declaring_an_unknown_encoding_is_an_input_error() -> None:
    # found by test_fuzz.py (a mutated "UTF-8" → "UT-8"): expat raised a bare LookupError
    from taxsim.inputs.xml import check

    data = b'<?xml version="1.0" encoding="UT-8"?><a/>'
    with pytest.raises(InputError) as caught:
        check("report.xml", data)
    assert caught.value.row == 1
    assert "unknown encoding" in str(caught.value) and "UT-8" in str(caught.value)
