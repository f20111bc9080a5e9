"""Respondent frames to database rows and back, with the dtypes restored.

Canonical columns become SQL columns; item:/multi:/text: columns go into one JSON
object per row (missing answers are left out). The dtype of every column is kept with
its import, so reading back gives a frame equal to the one that was stored. Columns
outside the canonical table are dropped: they may hold personal data.
"""
from __future__ import annotations

import logging
import math
from typing import Any

import numpy as np
import pandas as pd

from engagement.store_schema import (
    ANSWER_PREFIXES, BOOL_COLUMNS, CANONICAL_COLUMNS, FLOAT_COLUMNS, TEXT_COLUMNS, StoreError,
)

logger = logging.getLogger(__name__)


def kept_columns(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(columns the store keeps, columns it drops) in frame order."""
    kept, dropped = [], []
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
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).isoformat()
    return value


def _text(value: Any) -> str | None:
    value = _native(value)
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _float(column: str, value: Any) -> float | None:
    value = _native(value)
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise StoreError(f"Kolom '{column}' moet een getal zijn, maar bevat '{value}'. "
                         "Controleer de koppeling van deze kolom.") from None


def _bool(value: Any) -> bool | None:
    value = _native(value)
    return None if value is None else bool(value)


def to_rows(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """One dict per respondent: canonical SQL values plus an `answers` dict."""
    answer_cols = [c for c in columns if c.startswith(ANSWER_PREFIXES)]
    records: list[dict[str, Any]] = [{} for _ in range(len(frame))]
    for col in columns:
        if col in answer_cols:
            continue
        convert = (_text if col in TEXT_COLUMNS else _bool if col in BOOL_COLUMNS
                   else (lambda v, c=col: _float(c, v)))
        for rec, value in zip(records, frame[col].tolist()):
            rec[col] = convert(value)
    answers: list[dict[str, Any]] = [{} for _ in range(len(frame))]
    for col in answer_cols:
        for ans, value in zip(answers, frame[col].tolist()):
            value = _native(value)
            if value is not None:
                ans[col] = value
    for rec, ans in zip(records, answers):
        rec["answers"] = ans
    return records


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
        dtype = "float64" if col in FLOAT_COLUMNS else "bool" if col in BOOL_COLUMNS else "str"
        data[col] = pd.Series([], dtype=dtype)
    return pd.DataFrame(data)


def from_rows(rows: list[dict[str, Any]], specs: list[list[list[str]]]) -> pd.DataFrame:
    """Rebuild the respondents frame; `specs` are the column specs of the imports, in order."""
    order: list[str] = []
    dtypes: dict[str, str] = {}
    for spec in specs:
        for name, dtype in spec:
            if name not in dtypes:
                order.append(name)
                dtypes[name] = dtype
    if not rows:
        frame = empty_frame()
        extra = [c for c in order if c not in frame.columns]
        for c in extra:
            frame[c] = pd.Series([], dtype=object)
        return frame[order or list(frame.columns)]
    sql_cols = [c for c in order if c in CANONICAL_COLUMNS]
    base = {c: [r[c] for r in rows] for c in sql_cols}
    answer_cols = [c for c in order if c not in CANONICAL_COLUMNS]
    for c in answer_cols:
        base[c] = [r["answers"].get(c) for r in rows]
    frame = pd.DataFrame({c: pd.Series(base[c], dtype=object) for c in order})
    for c in order:
        frame[c] = _restore(frame[c].where(frame[c].notna(), np.nan), dtypes[c])
    return frame
