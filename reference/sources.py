"""KWB figures from the CBS open-data API (through `cbsodata`), cached on disk.

The cache keeps cbsodata's own format: `<table>/DataProperties.json` (the list it
returns) and one TypedDataSet row per area in `<table>/areas/<code>.json`. So a second
request for the same area needs no internet, and a recorded response is a test fixture.
Columns are found by (parent group, title) in DataProperties, never by suffixed key.
"""
from __future__ import annotations

import json
import logging
import math
import os
from pathlib import Path
from typing import Any

import pandas as pd

from reference.build import ReferenceDataError
from reference.columns import REGION_FIELDS, kwb_tables, resolve_properties
from reference.files import KINDS, select_areas

logger = logging.getLogger(__name__)

INCOME_FIELDS = ("income%:laag_40", "income%:hoog_20")
FALLBACK_YEARS = 3  # how many older tables to try for income


def default_cache_dir() -> Path:
    """BEREIKWIJZER_DATA_DIR/cbs_cache (default ./data/cbs_cache)."""
    return Path(os.environ.get("BEREIKWIJZER_DATA_DIR", "data")) / "cbs_cache"


def _offline_message(table_id: str, error: Exception) -> ReferenceDataError:
    return ReferenceDataError(
        f"CBS-tabel {table_id} kon niet worden opgehaald ({type(error).__name__}). Is er "
        "internet? Probeer het later opnieuw, of download het KWB-bestand van cbs.nl en "
        "gebruik dat (--kwb BESTAND).")


def _read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
    tmp.replace(path)  # a crash never leaves half a file in the cache


def properties(table_id: str, cache: Path) -> list[dict[str, Any]]:
    """DataProperties of a table, from the cache or from CBS."""
    path = cache / table_id / "DataProperties.json"
    if path.exists():
        return _read_json(path)
    import cbsodata

    try:
        props = cbsodata.get_meta(table_id, "DataProperties")
    except Exception as error:  # requests errors, JSON errors, HTTP 404 for a wrong id
        raise _offline_message(table_id, error) from error
    _write_json(path, props)
    return props


def _padded(code: str) -> str:
    return f"{code:<10}"  # the OData key of a gemeente is padded: 'GM0363    '


def area_rows(table_id: str, codes: list[str], cache: Path) -> dict[str, dict[str, Any]]:
    """TypedDataSet rows per area code; fetches only the codes that are not cached yet."""
    folder = cache / table_id / "areas"
    found: dict[str, dict[str, Any]] = {}
    absent: set[str] = set()  # cached as null: CBS answered that the table lacks the code
    for code in codes:
        path = folder / f"{code}.json"
        if path.exists():
            row = _read_json(path)
            if row is None:
                absent.add(code)
            else:
                found[code] = row
    missing = [c for c in codes if c not in found and c not in absent]
    if not missing:
        return found
    columns = resolve_properties(properties(table_id, cache))
    select = ["WijkenEnBuurten"] + sorted(set(columns.values()))
    filters = " or ".join(f"WijkenEnBuurten eq '{_padded(c)}'" for c in missing)
    import cbsodata

    try:
        rows = cbsodata.get_data(table_id, filters=filters, select=select)
    except Exception as error:
        raise _offline_message(table_id, error) from error
    for row in rows:
        code = str(row.get(columns.get("code", "Codering_3")) or "").strip().upper()
        if code in missing:
            _write_json(folder / f"{code}.json", row)
            found[code] = row
    for code in missing:
        if code not in found:
            _write_json(folder / f"{code}.json", None)
    return found


def _number(value: Any) -> float:
    """TypedDataSet gives numbers and None; the untyped set gives '   .' and padded text."""
    if value is None:
        return math.nan
    try:
        number = float(str(value).strip())
    except ValueError:
        return math.nan
    return number


def rows_frame(rows: dict[str, dict[str, Any]], columns: dict[str, str]) -> pd.DataFrame:
    """cbsodata rows → our frame (code, name, kind, gemeente, numeric fields)."""
    records = []
    for code, row in rows.items():
        record: dict[str, Any] = {"code": code, "name": str(row.get("WijkenEnBuurten") or code).strip()}
        kind = str(row.get(columns.get("kind", ""), "") or "").strip()
        record["kind"] = KINDS.get(kind.lower(), kind)
        record["gemeente"] = str(row.get(columns.get("gemeente", ""), "") or "").strip()
        for field, key in columns.items():
            if field not in REGION_FIELDS:
                record[field] = _number(row.get(key))
        records.append(record)
    return pd.DataFrame.from_records(records)


def _income_fallback(year: int, frame: pd.DataFrame, cache: Path) -> tuple[pd.DataFrame, list[str]]:
    """Take income shares from the latest older table that has them for these areas."""
    if any(f in frame and frame[f].notna().all() for f in INCOME_FIELDS):
        return frame, []
    codes = list(frame["code"])
    for older in range(year - 1, year - 1 - FALLBACK_YEARS, -1):
        table_id = kwb_tables().get(older)
        if table_id is None:
            continue
        try:
            columns = resolve_properties(properties(table_id, cache))
            rows = area_rows(table_id, codes, cache)
        except ReferenceDataError as error:
            logger.info("income fallback %s skipped: %s", table_id, error)
            continue
        if len(rows) != len(codes) or not all(f in columns for f in INCOME_FIELDS):
            continue
        old = rows_frame(rows, columns).set_index("code")
        if old[list(INCOME_FIELDS)].isna().any().any():
            continue
        frame = frame.copy()
        for field in INCOME_FIELDS:
            frame[field] = frame["code"].map(old[field]).astype(float)
        return frame, [f"Inkomen: cijfers uit {older} (tabel {table_id}), want {year} heeft nog "
                       "geen inkomenscijfers voor dit gebied. De verhouding is toegepast op "
                       f"het aantal huishoudens van {year}."]
    return frame, [f"Inkomen: CBS heeft voor {year} en de {FALLBACK_YEARS} jaren ervoor geen "
                   "inkomenscijfers voor dit gebied gepubliceerd."]


def load_cbs_rows(year: int, areas: list[str], *,
                  cache_dir: Path | None = None) -> tuple[pd.DataFrame, str, list[str]]:
    """The area rows of KWB `year` for these codes, the table id, and Dutch notes."""
    table_id = kwb_tables().get(int(year))
    if table_id is None:
        known = sorted(kwb_tables())
        raise ReferenceDataError(f"Er is geen CBS-tabel 'Kerncijfers wijken en buurten' voor {year}. "
                                 f"Kies een jaar van {known[0]} tot en met {known[-1]}.")
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    codes = list(dict.fromkeys(str(a).strip().upper() for a in areas if str(a).strip()))
    if not codes:
        raise ReferenceDataError("Geef minstens één gebiedscode (bijv. BU0363AA02 of GM0363).")
    columns = resolve_properties(properties(table_id, cache))
    if "population" not in columns or "code" not in columns:
        raise ReferenceDataError(f"CBS-tabel {table_id} heeft niet de indeling van 'Kerncijfers "
                                 "wijken en buurten' (geen kolom 'Aantal inwoners').")
    rows = area_rows(table_id, codes, cache)
    missing = [c for c in codes if c not in rows]
    if missing:
        hint = (" Amsterdam gebruikt sinds 2023 letters in wijk- en buurtcodes (bijv. "
                "BU0363AA01)." if any(c.startswith(("BU0363", "WK0363")) for c in missing) else "")
        raise ReferenceDataError(f"Gebiedscode {', '.join(missing)} staat niet in CBS-tabel "
                                 f"{table_id} ({year}).{hint} Controleer de code en het jaar.")
    frame = select_areas(rows_frame(rows, columns), codes, f"CBS-tabel {table_id}")
    frame, notes = _income_fallback(int(year), frame, cache)
    return frame, table_id, notes
