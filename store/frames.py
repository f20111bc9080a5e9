"""Respondent frames to database rows and back, with the dtypes restored.

Canonical columns become SQL columns; item:/multi:/text: columns go into one JSON
object per row (missing answers are left out). The dtype of every column is kept with
its import, so reading back gives a frame equal to the one that was stored. Columns
outside the canonical table are dropped: they may hold personal data.
"""
from __future__ import annotations

import logging
import math
from typing import Any, overload

import numpy as np
import pandas as pd

from store.schema import (
    ANSWER_PREFIXES,
    BOOL_COLUMNS,
    CANONICAL_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    TEXT_COLUMNS,
    StoreError,
)

logger = logging.getLogger(__name__)


def kept_columns(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(columns the store keeps, columns it drops) in frame order."""
    kept, dropped = [], []
    doubled = frame.columns[frame.columns.duplicated()]
    if len(doubled):
        raise StoreError(f"Kolom '{doubled[0]}' staat meer dan één keer in de respondententabel. "
                         "Geef elke kolom een eigen naam; er is niets opgeslagen.")
    for col in frame.columns:
        name = str(col)
        if name in CANONICAL_COLUMNS or name.startswith(ANSWER_PREFIXES):
            kept.append(name)
        else:
            dropped.append(name)
    return kept, dropped


def column_spec(frame: pd.DataFrame, columns: list[str]) -> list[list[str]]:
    """[[name, dtype], …] saved with the import, used to restore the frame."""
    return [[c, str(frame[c].dtype)] for c in columns]


def _native(value: Any) -> Any:
    """A JSON/SQL-ready Python value; None for every kind of missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN, and ±inf, which JSON cannot hold: no answer
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return value


def _text(value: Any) -> str | None:
    value = _native(value)
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _column_values(series: pd.Series, kind: str) -> list[Any]:
    """One column as Python values (None for missing), converted column-wise for speed."""
    missing = series.isna().to_numpy()
    if kind in ("float", "int"):
        try:
            numbers = pd.to_numeric(series, errors="raise").astype("float64").to_numpy()
        except (TypeError, ValueError):
            bad = next(v for v in series if _native(v) is not None and not _is_number(v))
            raise StoreError(f"Kolom '{series.name}' moet een getal zijn, maar bevat '{bad}'. "
                             "Controleer de koppeling van deze kolom.") from None
        values = [v if math.isfinite(v) else None for v in numbers.tolist()]
        if kind == "int":
            values = [None if m or v is None else round(v) for v, m in zip(values, missing)]
            big = next((v for v in values if v is not None and abs(v) >= 2**63), None)
            if big is not None:
                raise StoreError(f"Kolom '{series.name}' bevat een getal dat te groot is "
                                 f"({big:.3g}). Controleer de koppeling van deze kolom.")
    elif pd.api.types.is_datetime64_any_dtype(series):
        values = [None if m else v.isoformat() for v, m in zip(series.tolist(), missing)]
    elif kind == "text":
        values = [None if m else no_nul(v if isinstance(v, str) else _text(v))
                  for v, m in zip(series.tolist(), missing)]
    elif kind == "bool":
        values = [None if m else bool(v) for v, m in zip(series.tolist(), missing)]
    else:  # answers: keep numbers, booleans and text as they are
        values = [None if m else _native(v) for v, m in zip(series.tolist(), missing)]
        values = [no_nul(v) if isinstance(v, str) else v for v in values]
    if missing.any():
        values = [None if m else v for v, m in zip(values, missing)]
    return values


@overload
def no_nul(text: str) -> str: ...
@overload
def no_nul(text: None) -> None: ...
def no_nul(text: str | None) -> str | None:
    """Text without NUL characters: PostgreSQL refuses them in text (one crafted cell would
    fail the whole import there), SQLite keeps them; both now store the same."""
    return text.replace("\x00", "") if text and "\x00" in text else text


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def to_rows(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """One dict per respondent: canonical SQL values plus an `answers` dict."""
    answer_cols = [c for c in columns if c.startswith(ANSWER_PREFIXES)]
    sql_cols = [c for c in columns if c not in answer_cols]
    kinds = {c: "text" if c in TEXT_COLUMNS else "bool" if c in BOOL_COLUMNS
             else "int" if c in INT_COLUMNS else "float" for c in sql_cols}
    sql_values = [_column_values(frame[c], kinds[c]) for c in sql_cols]
    answer_values = [_column_values(frame[c], "answer") for c in answer_cols]
    rows = [dict(zip(sql_cols, vals)) for vals in zip(*sql_values)] if sql_cols else \
        [{} for _ in range(len(frame))]
    if answer_cols:
        for row, vals in zip(rows, zip(*answer_values)):
            row["answers"] = {c: v for c, v in zip(answer_cols, vals) if v is not None}
    else:
        for row in rows:
            row["answers"] = {}
    return rows


def _restore(series: pd.Series, dtype: str) -> pd.Series:
    """Cast one rebuilt column back to its stored dtype, widening when rows lack values."""
    if dtype.startswith("datetime64"):
        if "," in dtype:  # timezone-aware
            tz = dtype.split(",", 1)[1].rstrip("]").strip()
            out = pd.to_datetime(series, utc=True, format="ISO8601").dt.tz_convert(tz)
        else:
            out = pd.to_datetime(series, format="ISO8601")
        try:
            return out.astype(dtype)
        except (TypeError, ValueError):
            return out
    if dtype == "bool" and series.isna().any():
        return series.astype("boolean")  # a plain bool cast would turn NaN into True
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        if dtype == "bool":
            return series.astype("boolean")
        if dtype.startswith(("int", "uint")):
            return pd.to_numeric(series, errors="coerce").astype("float64")
        logger.warning("kolom %s: type %s niet hersteld", series.name, dtype)
        return series


def empty_frame() -> pd.DataFrame:
    """The canonical table without rows, for a project without imports."""
    data: dict[str, pd.Series] = {}
    for col in CANONICAL_COLUMNS:
        dtype = ("float64" if col in FLOAT_COLUMNS else "bool" if col in BOOL_COLUMNS
                 else "int64" if col in INT_COLUMNS else "str")
        data[col] = pd.Series([], dtype=dtype)
    return pd.DataFrame(data)


def from_rows(columns: dict[str, list[Any]], answers: list[dict[str, Any]],
              specs: list[list[list[str]]]) -> pd.DataFrame:
    """Rebuild the respondents frame from SQL columns (name → values) and answer dicts;
    `specs` are the column specs of the imports, in import order."""
    order: list[str] = []
    dtypes: dict[str, str] = {}
    for spec in specs:
        for name, dtype in spec:
            if name not in dtypes:
                order.append(name)
                dtypes[name] = dtype
    if not answers:
        frame = empty_frame()
        for c in order:
            if c not in frame.columns:
                frame[c] = pd.Series([], dtype=object)
        return frame[order or list(frame.columns)]
    answer_frame = pd.DataFrame.from_records(answers, columns=[
        c for c in order if c not in CANONICAL_COLUMNS])
    data: dict[str, pd.Series] = {}
    for c in order:
        raw = columns[c] if c in CANONICAL_COLUMNS else answer_frame[c]
        series = pd.Series(raw, dtype=object)
        data[c] = _restore(series.where(series.notna(), np.nan), dtypes[c])
    return pd.DataFrame(data, columns=order)
