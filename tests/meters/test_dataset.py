"""The readings dataset: layout, merge semantics, input checks, reading back with Ibis."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from ecozone import i18n
from ecozone.i18n import catalogue
from ecozone.meters import dataset
from ecozone.meters.errors import ReadingsDatasetError
from ecozone.meters.ingest import QUARANTINE_REASONS
from ecozone.meters.kpis import WASTE_FATES
from ecozone.meters.quality import FLAG_NAMES

from .conftest import IBIS_WARNINGS

pytestmark = [pytest.mark.filterwarnings(w) for w in IBIS_WARNINGS]


def rows(values: list[tuple[str, str, datetime, float]]) -> pa.Table:
    n = len(values)
    return pa.table(
        {
            "park_id": [v[0] for v in values],
            "meter_id": [v[1] for v in values],
            "firm_id": pa.nulls(n, pa.string()),
            "carrier": ["electricity"] * n,
            "unit": ["kWh"] * n,
            "ts_utc": pa.array([v[2] for v in values], pa.timestamp("us")),
            "interval_minutes": pa.array([15] * n, pa.int32()),
            "value": [v[3] for v in values],
            "register_value": pa.nulls(n, pa.float64()),
            "flags": pa.array([0] * n, pa.int16()),
            "source_hash": ["x"] * n,
        }
    )


def test_layout_and_upsert(tmp_path: Path) -> None:
    path = tmp_path / "readings"
    written = dataset.write_readings(
        path,
        rows(
            [
                ("P1", "B", datetime(2024, 1, 31, 23, 45), 1.0),
                ("P1", "A", datetime(2024, 2, 1), 2.0),
                ("P2", "C", datetime(2024, 1, 5), 3.0),
            ]
        ),
    )
    assert written == ("park_id=P1/month=2024-01", "park_id=P1/month=2024-02", "park_id=P2/month=2024-01")
    assert [p.relative_to(path).as_posix() for p in dataset.dataset_files(path)] == [
        "park_id=P1/month=2024-01/data.parquet",
        "park_id=P1/month=2024-02/data.parquet",
        "park_id=P2/month=2024-01/data.parquet",
    ]
    dataset.write_readings(
        path, rows([("P1", "B", datetime(2024, 1, 31, 23, 45), 5.0), ("P1", "A", datetime(2024, 1, 31, 23, 30), 4.0)])
    )
    january = pq.read_table(path / "park_id=P1" / "month=2024-01" / "data.parquet")
    assert january.column("meter_id").to_pylist() == ["A", "B"]  # sorted by meter, then time
    assert january.column("value").to_pylist() == [4.0, 5.0]  # the new row replaced the stored one
    assert "park_id" not in january.column_names
    table = dataset.open_readings(path)
    assert table.count().execute() == 4
    assert set(table.columns) == set(dataset.DATASET_SCHEMA.names)
    assert dict(zip(table.park_id.execute(), table.month.execute(), strict=True))


def test_write_rejects_repeated_keys_unsafe_parks_and_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "readings"
    same = rows([("P1", "A", datetime(2024, 1, 1), 1.0), ("P1", "A", datetime(2024, 1, 1), 2.0)])
    with pytest.raises(ReadingsDatasetError, match="repeat"):
        dataset.write_readings(path, same)
    with pytest.raises(ReadingsDatasetError) as caught:
        dataset.write_readings(path, rows([("../evil", "A", datetime(2024, 1, 1), 1.0)]))
    assert caught.value.key == "meters.unsafe_partition"
    with pytest.raises(ReadingsDatasetError, match="flags"):
        dataset.write_readings(path, rows([("P1", "A", datetime(2024, 1, 1), 1.0)]).drop(["flags"]))
    assert dataset.dataset_files(path) == []
    assert not (path / dataset.STAGING_DIR).exists() or not any((path / dataset.STAGING_DIR).iterdir())


def test_empty_dataset_reads_as_an_empty_table(tmp_path: Path) -> None:
    table = dataset.open_readings(tmp_path / "nothing")
    assert table.count().execute() == 0
    assert list(table.columns) == dataset.DATASET_SCHEMA.names
    assert dataset.write_readings(tmp_path / "nothing", rows([])) == ()


def test_every_message_key_has_vietnamese_and_english() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(dataset.__file__).parent.glob("*.py"))
    used = set(re.findall(r'"(meters\.[a-z_.]+)"', source))
    used |= {f"meters.reason.{r}" for r in QUARANTINE_REASONS}
    used |= {f"meters.flag.{f}" for f in FLAG_NAMES}
    used |= {f"meters.fate.{f}" for f in (*WASTE_FATES, "unknown")}
    own = yaml.safe_load((Path(i18n.__file__).parent / "messages_meters.yaml").read_text(encoding="utf-8"))
    assert used <= set(own), sorted(used - set(own))
    assert all(set(entry) == {"vi", "en"} and entry["vi"] and entry["en"] for entry in own.values())
    assert set(own) <= set(catalogue())
