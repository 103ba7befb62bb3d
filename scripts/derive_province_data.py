"""Derive ecozone's shipped province tables and boundaries from ../shared/data.

Run from the repository root: ``python scripts/derive_province_data.py``. It adds the
``source`` column every shipped reference table carries, joins geoBoundaries shapes to
GSO codes, and rounds coordinates to 1e-4 degrees (about 11 m) to keep the package small.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
OUT = Path(__file__).resolve().parents[1] / "src" / "ecozone" / "provinces" / "data"
REFORM_SOURCE = "Resolution 202/2025/QH15; GSO administrative-unit codes (via shared/data/vn_provinces_2025_reform)"


def _round(coords: object) -> object:
    if isinstance(coords, list):
        if coords and isinstance(coords[0], float | int):
            return [round(float(c), 4) for c in coords]
        return [_round(c) for c in coords]
    return coords


def _copy_with_source(name: str) -> list[dict[str, str]]:
    with (SHARED / "vn_provinces_2025_reform" / name).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*rows[0].keys(), "source", "edition", "status"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "source": REFORM_SOURCE, "edition": "2025-06-12", "status": "verified"})
    return rows


def main() -> None:
    """Write the derived files into ``src/ecozone/provinces/data``."""
    OUT.mkdir(parents=True, exist_ok=True)
    mapping = _copy_with_source("province_mapping_63_to_34.csv")
    _copy_with_source("provinces_34_2025.csv")
    code_by_iso = {row["old_iso_3166_2"]: row["old_code"] for row in mapping}
    code_by_iso["VN-43"] = code_by_iso.get("VN-43", "77")  # Côn Đảo is part of Bà Rịa–Vũng Tàu
    name_by_code = {row["old_code"]: row["old_name"] for row in mapping}
    geo = json.loads((SHARED / "geoboundaries_vnm_adm1" / "geoBoundaries-VNM-ADM1_simplified.geojson").read_text())
    features = []
    for feature in geo["features"]:
        code = code_by_iso[feature["properties"]["shapeISO"]]
        geometry = {**feature["geometry"], "coordinates": _round(feature["geometry"]["coordinates"])}
        features.append({"type": "Feature", "properties": {"code": code, "name": name_by_code[code]}, "geometry": geometry})
    (OUT / "boundaries_2008.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    )
    geo34 = json.loads((SHARED / "vn_provinces_2025_reform" / "provinces_34_2025_from_geoboundaries.geojson").read_text())
    features = [
        {
            "type": "Feature",
            "properties": {"code": f["properties"]["code"], "name": f["properties"]["name"]},
            "geometry": {**f["geometry"], "coordinates": _round(f["geometry"]["coordinates"])},
        }
        for f in geo34["features"]
    ]
    (OUT / "boundaries_2025.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    )
    for name in ("CITATION-AND-USE-geoBoundaries.txt", "geoBoundaries-VNM-ADM1-metaData.txt"):
        shutil.copy(SHARED / "geoboundaries_vnm_adm1" / name, OUT / name)


if __name__ == "__main__":
    main()
