"""Rebuild the recorded cbsodata responses in tests/fixtures_cbs/ from the real CBS files.

Run from the repository root: `.venv/bin/python tests/fixtures_cbs/build_fixtures.py`.
It takes a few rows of ../shared/data/cbs/kwb2024_85984NED_odata_first10000rows.csv
(the TypedDataSet of table 85984NED) and writes them in the format cbsodata saves with
`get_data(..., dir=...)`: `TypedDataSet.json` (one dict per row, numbers typed as the
DataProperties say, null for empty) and `WijkenEnBuurten.json` (Key → Title).
DataProperties.json and TableInfos.json are not copied: the tests read the real ones
from ../shared/data/cbs in place.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2] / "shared" / "data" / "cbs"
AREAS = ("NL00", "GM0363", "BU0363AA02", "BU00140000", "WK051830", "BU05183033",
         "BU16800000", "BU16800909")


def _typed(value: str, datatype: str | None) -> object:
    if value == "":
        return None
    if datatype in ("Long", "Integer"):
        return int(float(value))
    if datatype in ("Double", "Float", "Decimal"):
        return float(value)
    return value


def build() -> None:
    props = json.loads((SHARED / "85984NED_DataProperties.json").read_text(encoding="utf-8"))
    types = {p["Key"]: p.get("Datatype") for p in props if p.get("Key")}
    rows, titles = [], []
    with open(SHARED / "kwb2024_85984NED_odata_first10000rows.csv", encoding="utf-8-sig",
              newline="") as handle:
        for raw in csv.DictReader(handle, delimiter=";"):
            code = raw["Codering_3"].strip()
            if code not in AREAS:
                continue
            key = f"{code:<10}"  # the OData dimension key, padded like Codering_3
            row = {"ID": int(raw["ID"]), "WijkenEnBuurten": key}
            for column, value in raw.items():
                if column not in ("ID", "WijkenEnBuurten"):
                    row[column] = _typed(value, types.get(column))
            rows.append(row)
            titles.append({"Key": key, "Title": raw["WijkenEnBuurten"], "Description": None,
                           "DimensionGroupId": None})
    out = HERE / "85984NED"
    out.mkdir(exist_ok=True)
    (out / "TypedDataSet.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False),
                                           encoding="utf-8")
    (out / "WijkenEnBuurten.json").write_text(json.dumps(titles, indent=1, ensure_ascii=False),
                                              encoding="utf-8")


if __name__ == "__main__":
    build()
