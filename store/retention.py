"""AVG duties of the store: retention, "export everything", and the counts kept after purge.

Retention (project setting `retention_months`, counted from the last import): the
respondents are deleted and only counts per dimension, category and channel remain, so
the project's coverage history stays readable without any row-level data.
"""
from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from store.engine import as_utc
from store.schema import (
    DEFAULT_RETENTION_MONTHS,
    StoreError,
    aggregates as aggregates_table,
    effort,
    imports,
    projects,
    respondents as respondents_table,
)
from surveys.categories import AGE_BANDS, CHANNELS, DIMENSIONS, REFUSED

if TYPE_CHECKING:
    from store.projects import Store

logger = logging.getLogger(__name__)

AGGREGATE_DIMENSIONS = ("age_band", "gender", "household", "tenure", "origin", "postcode4",
                        "area_code")
UNKNOWN = "onbekend"  # no answer
OTHER = "overig"  # an answer that is not a known category: its text is not kept

# The counts outlive the answers, so a category is kept only when it cannot be a person's
# own words: a canonical code, a CBS region code, four postcode digits, an age band.
_KNOWN = {dim: frozenset((*codes, REFUSED)) for dim, codes in DIMENSIONS.items()}
_PATTERNS = {
    "area_code": re.compile(r"(?:BU\d{8}|WK\d{6}|GM\d{4})"),
    "postcode4": re.compile(r"[1-9]\d{3}"),
    "age_band": re.compile(r"\d{1,3}(?:[-+]|-\d{1,3})"),
}


def _band(age: float) -> str:
    for band, (low, high) in AGE_BANDS.items():
        if age >= low and (high is None or age < high):
            return band
    return UNKNOWN


def _safe_category(dimension: str, value: str, area_codes: frozenset[str]) -> str:
    """`value` when it is a known category of `dimension`, else OTHER (UNKNOWN stays)."""
    if value == UNKNOWN:
        return value
    if dimension in _KNOWN:
        return value if value in _KNOWN[dimension] else OTHER
    if dimension == "area_code" and value in area_codes:
        return value
    pattern = _PATTERNS.get(dimension)
    if dimension == "age_band" and value in AGE_BANDS:
        return value
    return value if pattern is not None and pattern.fullmatch(value) else OTHER


def count_table(frame: pd.DataFrame, area_codes: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """Long counts (dimension, category, channel, count) of a respondents frame.

    Only categories that cannot hold someone's own words are kept (codes, CBS region
    codes, the project's `area_codes`, postcode digits, age bands); any other answer is
    counted as OTHER, so a free-text area answer never outlives the retention purge.
    """
    if frame.empty:
        return pd.DataFrame(columns=["dimension", "category", "channel", "count"])
    channel = (frame["channel"].astype(object).where(frame["channel"].notna(), UNKNOWN)
               if "channel" in frame else pd.Series(UNKNOWN, index=frame.index))
    channel = channel.astype(str).map(lambda c: c if c in CHANNELS or c == UNKNOWN else "anders")
    areas = frozenset(str(c) for c in area_codes)
    parts = [pd.DataFrame({"dimension": "total", "category": "total", "channel": channel})]
    for dim in AGGREGATE_DIMENSIONS:
        if dim not in frame:
            continue
        values = frame[dim].astype(object)
        if dim == "age_band" and "age" in frame:
            from_age = pd.to_numeric(frame["age"], errors="coerce").map(
                lambda a: np.nan if pd.isna(a) else _band(float(a)))
            values = values.where(values.notna(), from_age)
        values = values.where(values.notna(), UNKNOWN).astype(str).str.strip()
        safe = {v: _safe_category(dim, v, areas) for v in pd.unique(values)}
        values = values.map(safe)
        parts.append(pd.DataFrame({"dimension": dim, "category": values, "channel": channel}))
    long = pd.concat(parts, ignore_index=True).astype(str)
    return (long.groupby(["dimension", "category", "channel"]).size()
            .rename("count").reset_index())


def _merged(counts: pd.DataFrame, earlier: list[Any]) -> pd.DataFrame:
    """`counts` plus the counts an earlier purge kept, summed per dimension/category/channel."""
    if not earlier:
        return counts
    old = pd.DataFrame([tuple(r) for r in earlier],
                       columns=["dimension", "category", "channel", "count"])
    both = pd.concat([old, counts], ignore_index=True)
    return (both.groupby(["dimension", "category", "channel"], sort=False)["count"].sum()
            .reset_index())


def _months(pid: int, settings: Any) -> int | None:
    """A project's retention term in months; a value the store did not write itself (an
    older version, a hand edit) falls back to the default, so answers are never kept for
    ever by mistake."""
    months = (settings or {}).get("retention_months") if isinstance(settings, dict) else None
    if months is None:
        return None
    try:
        number = float(months)
        if isinstance(months, bool) or not number.is_integer() or number < 1:
            raise ValueError
        return int(min(number, 1200))
    except (TypeError, ValueError, OverflowError):
        logger.warning("project %d: bewaartermijn ongeldig (%s); de standaard van %d maanden "
                       "geldt", pid, type(months).__name__, DEFAULT_RETENTION_MONTHS)
        return DEFAULT_RETENTION_MONTHS


def _add_months(moment: datetime, months: int) -> datetime:
    return (pd.Timestamp(moment) + pd.DateOffset(months=months)).to_pydatetime()


def delete_dependants(conn: sa.Connection, project_id: int) -> None:
    """Remove a project's counts, effort and import lines (respondents and audit go separately)."""
    conn.execute(effort.delete().where(effort.c.project_id == project_id))
    conn.execute(aggregates_table.delete().where(aggregates_table.c.project_id == project_id))
    conn.execute(imports.delete().where(imports.c.project_id == project_id))


def aggregates(store: Store, project_id: int) -> pd.DataFrame:
    """Counts kept after the retention rule removed the respondents (may be empty)."""
    project_id = store.get_project(project_id).id
    query = (sa.select(aggregates_table.c.dimension, aggregates_table.c.category, aggregates_table.c.channel,
                       aggregates_table.c["count"], aggregates_table.c.computed_at)
             .where(aggregates_table.c.project_id == project_id).order_by(aggregates_table.c.id))
    with store._read() as conn:
        result = conn.execute(query)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def purge_expired(store: Store, now: datetime | None = None, *, who: str = "bewaartermijn") -> dict[int, int]:
    """Apply every project's `retention_months`; return {project_id: respondents deleted}."""
    now = as_utc(now) if now else datetime.now(UTC)
    with store._read() as conn:
        last = dict(conn.execute(sa.select(imports.c.project_id, sa.func.max(imports.c.imported_at))
                                 .group_by(imports.c.project_id)).all())
        rows = conn.execute(sa.select(projects.c.id, projects.c.settings)).all()
    due = []
    for pid, settings in rows:
        months = _months(pid, settings)
        if months and pid in last and _add_months(as_utc(last[pid]), months) <= now:
            due.append(pid)
    done: dict[int, int] = {}
    for pid in due:
        try:
            n = _purge_one(store, pid, now, who)
        except StoreError as exc:  # one project's fault must not keep the others' answers
            logger.warning("bewaartermijn: project %d niet opgeschoond: %s", pid, exc)
            continue
        if n is not None:
            logger.info("bewaartermijn: project %d, %d respondenten verwijderd", pid, n)
            done[pid] = n
    if done:
        store._scrub()
    return done


def _purge_one(store: Store, pid: int, now: datetime, who: str) -> int | None:
    """Replace one project's respondents by counts; None when nothing was purged."""
    frame = store.respondents(pid)
    if frame.empty:
        return None
    counts = count_table(frame, store.get_project(pid).area_codes)
    with store._write() as conn:
        if conn.execute(sa.select(projects.c.id).where(projects.c.id == pid)
                        .with_for_update()).first() is None:
            return None  # deleted meanwhile
        still = conn.execute(sa.select(sa.func.count()).select_from(respondents_table)
                             .where(respondents_table.c.project_id == pid)).scalar()
        if still != len(frame):
            return None  # an import or removal came in between: the next run decides
        # Counts of an earlier purge (imports after it, now expired too) are kept.
        earlier = conn.execute(sa.select(
            aggregates_table.c.dimension, aggregates_table.c.category, aggregates_table.c.channel,
            aggregates_table.c["count"]).where(aggregates_table.c.project_id == pid)).all()
        counts = _merged(counts, earlier)
        n = conn.execute(respondents_table.delete()
                         .where(respondents_table.c.project_id == pid)).rowcount
        conn.execute(aggregates_table.delete().where(aggregates_table.c.project_id == pid))
        if len(counts):
            conn.execute(aggregates_table.insert(), [
                {"project_id": pid, "dimension": r.dimension, "category": r.category,
                 "channel": r.channel, "count": int(r.count), "computed_at": now}
                for r in counts.itertuples(index=False)])
        # Each import's column list names multi-select options and text columns of
        # answers that are gone; without rows it restores nothing.
        conn.execute(imports.update().where(imports.c.project_id == pid).values(columns=[]))
        conn.execute(projects.update().where(projects.c.id == pid).values(purged_at=now))
        store._log(conn, pid, "retention_purge", who, respondents=n)
    return n
