"""Importing readings: units, quarantine, timestamps, registers, idempotence, atomicity."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ecozone.errors import FileFormatError
from ecozone.meters import dataset
from ecozone.meters.errors import ReadingsDatasetError, ReadingsFileError
from ecozone.meters.ingest import ImportReport, import_readings
from ecozone.meters.quality import ReadingFlag
from ecozone.meters.readings_file import read_readings_file
from ecozone.store.snapshot import MeterRecord

Writer = Callable[..., Path]


def stored(readings_path: Path) -> pa.Table:
    """Every stored row, sorted, read straight from the Parquet files."""
    files = dataset.dataset_files(readings_path)
    if not files:
        return dataset.empty_readings()
    con = dataset.connect_stored(readings_path)
    table: pa.Table = con.sql("SELECT * FROM stored ORDER BY meter_id, ts_utc").to_arrow_table()
    con.close()
    return table


def rows_of(readings_path: Path, meter_id: str) -> list[dict[str, Any]]:
    return [r for r in stored(readings_path).to_pylist() if r["meter_id"] == meter_id]


def quarantine_rows(report: ImportReport) -> list[dict[str, str]]:
    assert report.quarantine_file is not None
    with report.quarantine_file.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def assert_balanced(report: ImportReport) -> None:
    assert report.rows_read == report.accepted + report.duplicates_skipped + report.quarantined_total


def test_units_are_converted_to_the_meters_base_unit(tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer) -> None:
    file = write_csv(
        "units.csv",
        [
            ("E1", "2024-03-01 00:00", 1.5, "MWh"),
            ("E1", "2024-03-01 00:15", 250, "kWh"),
            ("E1", "2024-03-01 00:30", 900, "Wh"),
            ("W1", "2024-03-01", 2500, "L"),
            ("W1", "2024-03-02", 3, "m3"),
            ("EH", "2024-03-01 00:00", 2, None),  # no unit: the meter's own (MWh)
            ("D1", "2024-03-01", 200, "lít"),
        ],
    )
    report = import_readings(tmp_path / "readings", [file], meters)
    assert report.accepted == 7 and report.quarantined_total == 0
    assert [r["value"] for r in rows_of(tmp_path / "readings", "E1")] == pytest.approx([1500.0, 250.0, 0.9])
    assert [r["value"] for r in rows_of(tmp_path / "readings", "W1")] == pytest.approx([2.5, 3.0])
    eh = rows_of(tmp_path / "readings", "EH")[0]
    assert (eh["value"], eh["unit"]) == (pytest.approx(2000.0), "kWh")
    d1 = rows_of(tmp_path / "readings", "D1")[0]
    assert (d1["value"], d1["unit"]) == (pytest.approx(0.2), "m3")


def test_unknown_meter_and_wrong_units_are_quarantined_with_reasons(
    tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer
) -> None:
    file = write_csv(
        "bad.csv",
        [
            ("E1", "2024-03-01 00:00", 10, "kWh"),
            ("NOPE", "2024-03-01 00:00", 10, "kWh"),
            ("E1", "2024-03-01 00:15", 10, "m3"),
            ("W1", "2024-03-01", 10, "kWh"),
            ("D1", "2024-03-01", 10, "kg"),
            ("E1", "2024-03-01 00:30", 10, "furlongs"),
            ("E1", "2024-03-01 00:45", "abc", "kWh"),
            ("E1", "2024-03-01 01:00", None, "kWh"),
            (None, "2024-03-01 01:00", 5, "kWh"),
        ],
    )
    report = import_readings(tmp_path / "readings", [file], meters)
    assert report.accepted == 1
    assert report.quarantined == {
        "meter_missing": 1,
        "meter_unknown": 1,
        "value_missing": 1,
        "value_not_number": 1,
        "unit_unknown": 1,
        "unit_carrier": 2,
        "unit_dimension": 1,
    }
    by_row = {int(r["row"]): r for r in quarantine_rows(report)}
    assert by_row[3]["reason"] == "meter_unknown" and by_row[3]["file"] == "bad.csv"
    assert by_row[4]["reason"] == "unit_carrier" and by_row[4]["unit"] == "m3"
    assert by_row[6]["reason"] == "unit_dimension"
    assert by_row[8]["value"] == "abc"
    assert by_row[4]["message_vi"] and by_row[4]["message_en"]
    assert_balanced(report)


def test_two_timestamp_formats_in_one_column_name_the_rows(
    tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer
) -> None:
    file = write_csv(
        "mixed.csv",
        [
            ("E1", "2024-03-01 00:00", 1, "kWh"),
            ("E1", "2024-03-01 00:15", 1, "kWh"),
            ("E1", "01/03/2024 00:30", 1, "kWh"),
            ("E1", "2024-03-01 00:45", 1, "kWh"),
            ("E1", "01/03/2024 01:00", 1, "kWh"),
        ],
    )
    with pytest.raises(ReadingsFileError) as caught:
        import_readings(tmp_path / "readings", [file], meters)
    message = caught.value.message("en")
    assert caught.value.key == "meters.timestamp_mixed"
    assert "rows 2, 3, 5" in message and "rows 4, 6" in message
    assert "định dạng" in caught.value.message("vi") or "dạng" in caught.value.message("vi")
    assert not (tmp_path / "readings").exists() or not dataset.dataset_files(tmp_path / "readings")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("1 March 2024 7h00", "meters.timestamp_unparseable"),
        ("31/02/2024 00:00", "meters.timestamp_invalid"),
        ("", "meters.timestamp_missing"),
    ],
)
def test_unreadable_timestamps_name_the_row(
    tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer, text: str, key: str
) -> None:
    if key == "meters.timestamp_invalid":
        rows = [("E1", "28/02/2024 00:00", 1, "kWh"), ("E1", text, 1, "kWh")]
    else:
        rows = [("E1", "2024-03-01 00:00", 1, "kWh"), ("E1", text, 1, "kWh")]
    file = write_csv("bad_time.csv", rows)
    with pytest.raises(ReadingsFileError) as caught:
        import_readings(tmp_path / "readings", [file], meters)
    assert caught.value.key == key
    assert "3" in caught.value.params["rows"]


def test_local_time_and_utc(tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer) -> None:
    local = write_csv("local.csv", [("E1", "2024-03-01 07:00", 1, "kWh")])
    utc = write_csv("utc.csv", [("E2", "2024-03-01 07:00", 1, "kWh")])
    offset = write_csv("offset.csv", [("Q1", "2024-03-01T07:00:00+07:00", 1, "kWh")])
    zones = write_csv(
        "zones.csv",
        [("EH", "2024-03-01 07:00", 1, "kWh", "UTC"), ("EH", "2024-03-01 09:00", 1, "kWh", "Asia/Ho_Chi_Minh")],
        header=("meter_id", "timestamp", "value", "unit", "timezone"),
    )
    import_readings(tmp_path / "readings", [local, offset, zones], meters)
    import_readings(tmp_path / "readings", [utc], meters, timezone="UTC")
    midnight = datetime(2024, 3, 1, 0, 0)
    assert rows_of(tmp_path / "readings", "E1")[0]["ts_utc"] == midnight
    assert rows_of(tmp_path / "readings", "Q1")[0]["ts_utc"] == midnight
    assert rows_of(tmp_path / "readings", "E2")[0]["ts_utc"] == datetime(2024, 3, 1, 7, 0)
    assert [r["ts_utc"] for r in rows_of(tmp_path / "readings", "EH")] == [datetime(2024, 3, 1, 2, 0), datetime(2024, 3, 1, 7, 0)]


def test_unknown_time_zone_is_an_error(tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer) -> None:
    file = write_csv("a.csv", [("E1", "2024-03-01 07:00", 1, "kWh")])
    with pytest.raises(ReadingsFileError, match="Mars/Olympus"):
        import_readings(tmp_path / "readings", [file], meters, timezone="Mars/Olympus")


def test_vietnamese_columns_day_first_dates_semicolons_and_decimal_commas(tmp_path: Path, meters: dict[str, MeterRecord]) -> None:
    file = tmp_path / "vi.csv"
    text = "Mã đồng hồ;Thời gian;Giá trị;Đơn vị;Ghi chú\nE1;01/03/2024 07:00;1.234,5;kWh;x\nE1;1/3/2024 7:15;2,5;kWh;\n"
    file.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    report = import_readings(tmp_path / "readings", [file], meters, decimal_comma=True)
    assert report.accepted == 2
    assert report.ignored_columns == {"vi.csv": ("Ghi chú",)}
    rows = rows_of(tmp_path / "readings", "E1")
    assert [r["value"] for r in rows] == pytest.approx([1234.5, 2.5])
    assert [r["ts_utc"] for r in rows] == [datetime(2024, 3, 1, 0, 0), datetime(2024, 3, 1, 0, 15)]


def test_windows_1258_csv_is_decoded(tmp_path: Path, meters: dict[str, MeterRecord]) -> None:
    file = tmp_path / "cp.csv"
    file.write_bytes("ma_dong_ho,thoi_gian,gia_tri,don_vi,ghi_chú\nE1,2024-03-01 07:00,5,kWh,Đà\n".encode("cp1258"))
    assert read_readings_file(file).rows.column("value").to_pylist() == [5.0]


def test_xlsx_and_parquet_files(tmp_path: Path, meters: dict[str, MeterRecord]) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["meter_id", "timestamp", "value", "unit", "estimated"])
    sheet.append(["E1", datetime(2024, 3, 1, 7, 0), 4, "kWh", "có"])
    sheet.append(["E1", datetime(2024, 3, 1, 7, 15), 5, "kWh", None])
    xlsx = tmp_path / "a.xlsx"
    workbook.save(xlsx)
    parquet = tmp_path / "b.parquet"
    pq.write_table(
        pa.table(
            {
                "ma_dong_ho": ["E2", "E2"],
                "thoi_gian": pa.array([datetime(2024, 3, 1, 0, 0), datetime(2024, 3, 1, 0, 15)], pa.timestamp("ms", tz="UTC")),
                "gia_tri": [1.0, 2.0],
            }
        ),
        parquet,
    )
    report = import_readings(tmp_path / "readings", [xlsx, parquet], meters)
    assert report.accepted == 4
    e1 = rows_of(tmp_path / "readings", "E1")
    assert e1[0]["ts_utc"] == datetime(2024, 3, 1, 0, 0)
    assert [r["flags"] & ReadingFlag.ESTIMATED for r in e1] == [ReadingFlag.ESTIMATED, 0]
    assert [r["ts_utc"] for r in rows_of(tmp_path / "readings", "E2")] == [
        datetime(2024, 3, 1, 0, 0),
        datetime(2024, 3, 1, 0, 15),
    ]


def test_unknown_format_and_missing_column(tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer) -> None:
    other = tmp_path / "a.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(FileFormatError):
        read_readings_file(other)
    file = write_csv("no_value.csv", [("E1", "2024-03-01 00:00")], header=("meter_id", "timestamp"))
    with pytest.raises(ReadingsFileError, match="gia_tri"):
        read_readings_file(file)


def test_cumulative_register_with_rollover_and_meter_replacement(
    tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer
) -> None:
    # Register of EC [kWh] read hourly; the register wraps at 10,000, then the meter is replaced.
    registers = [9990, 9995, 5, 15, 5000, 5010, 3, 8]
    times = [f"2024-03-01 {7 + h:02d}:00" for h in range(len(registers))]
    file = write_csv("register.csv", [("EC", t, r, "kWh") for t, r in zip(times, registers, strict=True)])
    report = import_readings(tmp_path / "readings", [file], meters)
    rows = rows_of(tmp_path / "readings", "EC")
    # By hand: 5, rollover 10000-9995+5 = 10, 10, 4985, 10, reset: new register from 0 -> 3, 5; last reading open.
    assert [r["value"] for r in rows[:-1]] == pytest.approx([5, 10, 10, 4985, 10, 3, 5])
    assert rows[-1]["value"] is None and rows[-1]["interval_minutes"] is None
    assert [r["register_value"] for r in rows] == pytest.approx(registers)
    assert [r["interval_minutes"] for r in rows[:-1]] == [60] * 7
    assert rows[1]["flags"] & ReadingFlag.ROLLOVER
    assert rows[5]["flags"] & ReadingFlag.RESET
    assert report.flagged["rollover"] == 1 and report.flagged["reset"] == 1
    assert report.quarantined_total == 0


def test_register_going_backwards_is_quarantined(tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer) -> None:
    file = write_csv(
        "back.csv",
        [
            ("WC", "2024-03-01 07:00", 100, "m3"),
            ("WC", "2024-03-01 08:00", 120, "m3"),
            ("WC", "2024-03-01 09:00", 110, "m3"),
            ("WC", "2024-03-01 10:00", 130, "m3"),
        ],
    )
    report = import_readings(tmp_path / "readings", [file], meters)
    assert report.quarantined == {"register_backwards": 1}
    quarantined = quarantine_rows(report)
    assert quarantined[0]["row"] == "4" and float(quarantined[0]["detail"]) == 120
    rows = rows_of(tmp_path / "readings", "WC")
    assert [r["register_value"] for r in rows] == [100, 120, 130]
    assert [r["value"] for r in rows] == [20, 10, None]
    assert [r["interval_minutes"] for r in rows] == [60, 120, None]
    assert rows[1]["flags"] & ReadingFlag.GAP  # 120 min > 1.5 x 60 min declared


def test_register_continues_across_imports(tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer) -> None:
    first = write_csv("m1.csv", [("WC", "2024-03-31 22:00", 100, "m3"), ("WC", "2024-03-31 23:00", 110, "m3")])
    second = write_csv("m2.csv", [("WC", "2024-04-01 00:00", 125, "m3"), ("WC", "2024-04-01 01:00", 120, "m3")])
    import_readings(tmp_path / "readings", [first], meters, timezone="UTC")
    report = import_readings(tmp_path / "readings", [second], meters, timezone="UTC")
    assert report.registers_completed == 1
    assert report.quarantined == {"register_backwards": 1}
    rows = rows_of(tmp_path / "readings", "WC")
    assert [r["value"] for r in rows] == [10, 15, None]
    assert set(report.partitions) == {"park_id=P1/month=2024-03", "park_id=P1/month=2024-04"}
    early = write_csv("m0.csv", [("WC", "2024-03-31 21:00", 90, "m3")])
    assert import_readings(tmp_path / "readings", [early], meters, timezone="UTC").quarantined == {"register_backfill": 1}


def test_quality_flags_on_a_crafted_series(tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer) -> None:
    base = np.datetime64("2024-03-01T00:00")
    values = [2, 3.6, 0.6, 2.9, 1.2, 3.4, 0.8, 50, 2.4, 3.1, -0.2, 1.4, 2.2, 2.2, 2.2, 2.2, 1.8]
    steps = [*range(11), 12, 13, 14, 15, 16, 17]  # slot 11 missing: gap before the 12th reading
    rows: list[tuple[object, ...]] = [
        ("E1", str(base + np.timedelta64(15 * s, "m")).replace("T", " "), v, "kWh", 0) for s, v in zip(steps, values, strict=True)
    ]
    rows.append(rows[3])  # an exact duplicate
    rows[5] = (*rows[5][:4], 1)  # estimated
    file = write_csv("flags.csv", rows, header=("meter_id", "timestamp", "value", "unit", "estimated"))
    report = import_readings(tmp_path / "readings", [file], meters, timezone="UTC")
    stored_rows = rows_of(tmp_path / "readings", "E1")
    flags = {i: ReadingFlag(r["flags"]) for i, r in enumerate(stored_rows)}
    assert report.duplicates_skipped == 1 and len(stored_rows) == len(values)
    assert flags[3] == ReadingFlag.DUPLICATE
    assert flags[5] == ReadingFlag.ESTIMATED
    assert flags[7] == ReadingFlag.SPIKE
    assert flags[10] == ReadingFlag.NEGATIVE
    assert flags[11] == ReadingFlag.GAP
    assert all(flags[i] == ReadingFlag.STUCK for i in (12, 13, 14, 15))
    assert all(flags[i] == 0 for i in (0, 1, 2, 4, 6, 8, 9, 16))
    assert report.flagged == {"gap": 1, "duplicate": 1, "negative": 1, "spike": 1, "stuck": 4, "estimated": 1}


def test_conflicting_repeats_are_quarantined(tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer) -> None:
    first = write_csv("a.csv", [("E1", "2024-03-01 07:00", 5, "kWh"), ("E1", "2024-03-01 07:00", 6, "kWh")])
    report = import_readings(tmp_path / "readings", [first], meters)
    assert report.quarantined == {"duplicate_conflict": 1}
    second = write_csv("b.csv", [("E1", "2024-03-01 07:00", 0.007, "MWh"), ("E1", "2024-03-01 07:15", 1, "kWh")])
    report = import_readings(tmp_path / "readings", [second], meters)
    assert report.quarantined == {"stored_conflict": 1} and report.accepted == 1
    assert float(quarantine_rows(report)[0]["detail"]) == 5
    assert [r["value"] for r in rows_of(tmp_path / "readings", "E1")] == [5, 1]


def test_importing_twice_adds_nothing(tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer) -> None:
    rows = [("E1", f"2024-03-{d:02d} 07:00", d, "kWh") for d in range(1, 29)] + [
        ("WC", f"2024-03-{d:02d} 07:00", 10 * d, "m3") for d in range(1, 29)
    ]
    file = write_csv("twice.csv", rows)
    first = import_readings(tmp_path / "readings", [file], meters)
    before = stored(tmp_path / "readings")
    second = import_readings(tmp_path / "readings", [file, file], meters)
    after = stored(tmp_path / "readings")
    assert first.accepted == 56 and second.accepted == 0
    assert second.duplicates_skipped == 112 and second.quarantined_total == 0
    assert after.equals(before)
    assert_balanced(first)
    assert_balanced(second)


def test_a_failed_swap_leaves_the_dataset_unchanged(
    tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    readings = tmp_path / "readings"
    import_readings(
        readings, [write_csv("jan.csv", [("E1", "2024-01-10 07:00", 1, "kWh"), ("WC", "2024-01-10 07:00", 5, "m3")])], meters
    )
    snapshot = {p: p.read_bytes() for p in readings.rglob("*.parquet")}
    before = stored(readings)
    calls: list[Path] = []
    original = dataset._install_file

    def failing(staged: Path, final: Path) -> None:
        calls.append(final)
        if len(calls) == 2:
            raise OSError("disk full")
        original(staged, final)

    monkeypatch.setattr(dataset, "_install_file", failing)
    later = write_csv(
        "later.csv",
        [
            ("E1", "2024-01-10 07:15", 2, "kWh"),
            ("WC", "2024-02-10 07:00", 9, "m3"),
            ("E1", "2024-02-10 07:00", 3, "kWh"),
            ("Q1", "2024-03-01 07:00", 1, "kWh"),
        ],
    )
    with pytest.raises(OSError, match="disk full"):
        import_readings(readings, [later], meters)
    assert len(calls) == 2
    assert {p: p.read_bytes() for p in readings.rglob("*.parquet")} == snapshot
    assert stored(readings).equals(before)
    assert not any((readings / dataset.STAGING_DIR).iterdir())
    monkeypatch.setattr(dataset, "_install_file", original)
    assert import_readings(readings, [later], meters).accepted == 4


def test_recovery_after_a_crash_while_swapping(
    tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    readings = tmp_path / "readings"
    import_readings(readings, [write_csv("jan.csv", [("E1", "2024-01-10 07:00", 1, "kWh")])], meters)
    snapshot = {p: p.read_bytes() for p in readings.rglob("*.parquet")}
    original = dataset._install_file

    def crash(staged: Path, final: Path) -> None:
        original(staged, final)
        if "2024-02" in str(final):
            raise KeyboardInterrupt  # stands for the process dying: no roll-back, no clean-up

    monkeypatch.setattr(dataset, "_install_file", crash)
    monkeypatch.setattr(dataset, "_roll_back", lambda *args: None)
    monkeypatch.setattr("shutil.rmtree", lambda *args, **kwargs: None)
    later = write_csv("later.csv", [("E1", "2024-01-10 07:15", 2, "kWh"), ("E1", "2024-02-10 07:00", 3, "kWh")])
    with pytest.raises(KeyboardInterrupt):
        import_readings(readings, [later], meters)
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in readings.rglob("*.parquet")} != snapshot
    assert dataset.recover_interrupted_writes(readings) == 1
    assert {p: p.read_bytes() for p in readings.rglob("*.parquet") if dataset.STAGING_DIR not in p.parts} == snapshot


def test_dataset_is_locked_during_a_write(tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer) -> None:
    file = write_csv("a.csv", [("E1", "2024-03-01 07:00", 1, "kWh")])
    with dataset.lock_dataset(tmp_path / "readings"), pytest.raises(ReadingsDatasetError) as caught:
        import_readings(tmp_path / "readings", [file], meters)
    assert caught.value.key == "meters.dataset_locked"


def test_end_labelled_interval_values_move_to_their_start(
    tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer
) -> None:
    file = write_csv(
        "end.csv", [("E1", "2024-03-01 07:15", 1, "kWh"), ("E1", "2024-03-01 07:30", 2, "kWh"), ("D1", "2024-03-01", 5, "L")]
    )
    report = import_readings(tmp_path / "readings", [file], meters, interval_label="end")
    assert [r["ts_utc"] for r in rows_of(tmp_path / "readings", "E1")] == [
        datetime(2024, 3, 1, 0, 0),
        datetime(2024, 3, 1, 0, 15),
    ]
    assert report.quarantined == {"interval_unknown": 1}  # D1 declares no interval and has one reading


def test_report_lines_are_bilingual(tmp_path: Path, meters: dict[str, MeterRecord], write_csv: Writer) -> None:
    file = write_csv("a.csv", [("E1", "2024-03-01 07:00", 1, "kWh"), ("X", "2024-03-01 07:00", 1, "kWh")])
    report = import_readings(tmp_path / "readings", [file], meters)
    english, vietnamese = report.lines("en"), report.lines("vi")
    assert english[0].startswith("1 file(s), 2 row(s) read: 1 accepted")
    assert vietnamese[0].startswith("1 tệp, 2 dòng đã đọc: 1 dòng được nhận")
    assert any("Mã đồng hồ không có trong danh mục" in line for line in vietnamese)
    assert report.quarantine_file is not None and report.quarantine_file.parent == tmp_path / "quarantine"
