"""The team's effort per channel and week: hours and sessions, typed in on Voortgang.

With effort the analysis can say "straatgesprekken leverden 2 jongeren per uur" instead of
only "24 % van wie u op straat sprak was jong". Effort is not about residents, so it is
kept after the retention rule removes the answers, and it goes with its project.
"""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa

from store.engine import now_utc
from store.schema import StoreError, effort
from surveys.categories import CHANNELS

if TYPE_CHECKING:
    from store.projects import Store

COLUMNS = ["id", "channel", "week_start", "hours", "sessions"]
MAX_HOURS_PER_WEEK = 1000.0  # a typing error (e.g. 4000 for 40,00), not a real week


def week_start(day: date | datetime | str) -> date:
    """The Monday of the week that holds `day`."""
    value = pd.Timestamp(day).date()
    return value - timedelta(days=value.weekday())


def _checked(channel: str, hours: float, sessions: int) -> tuple[str, float, int]:
    channel = str(channel).strip()
    if channel not in CHANNELS:
        raise StoreError(f"Onbekend kanaal '{channel[:40]}'. Kies een van: {', '.join(CHANNELS)}.")
    try:
        hours_value = float(hours)
        sessions_value = int(sessions)
    except (TypeError, ValueError, OverflowError) as exc:
        raise StoreError("Vul bij uren en keren een getal in.") from exc
    if not math.isfinite(hours_value) or not 0 < hours_value <= MAX_HOURS_PER_WEEK:
        raise StoreError(f"Het aantal uren moet tussen 0 en {MAX_HOURS_PER_WEEK:.0f} liggen "
                         f"(u vulde {hours} in).")
    if not 0 <= sessions_value <= 1000:
        raise StoreError(f"Het aantal keren moet tussen 0 en 1000 liggen (u vulde {sessions} in).")
    return channel, hours_value, sessions_value


def add_effort(store: Store, project_id: int, channel: str, day: date | datetime | str,
               hours: float, sessions: int = 0, *, who: str = "") -> int:
    """Log hours (and sessions) of one channel in the week of `day`; returns the new row id.

    A second entry for the same channel and week adds to it: teams log per outing.
    """
    channel, hours, sessions = _checked(channel, hours, sessions)
    monday = week_start(day)
    project_id = store.get_project(project_id).id
    with store._write() as conn:
        new_id = conn.execute(effort.insert().values(
            project_id=project_id, channel=channel, week_start=monday, hours=hours,
            sessions=sessions, entered_at=now_utc())).inserted_primary_key[0]
        store._log(conn, project_id, "effort_added", who, channel=channel,
                   week=monday.isoformat(), hours=hours, sessions=sessions)
    return int(new_id)


def effort_table(store: Store, project_id: int) -> pd.DataFrame:
    """All effort of a project: id, channel, week_start (date), hours, sessions."""
    project_id = store.get_project(project_id).id
    query = (sa.select(effort.c.id, effort.c.channel, effort.c.week_start, effort.c.hours,
                       effort.c.sessions)
             .where(effort.c.project_id == project_id)
             .order_by(effort.c.week_start, effort.c.channel, effort.c.id))
    with store._read() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)


def delete_effort(store: Store, project_id: int, effort_id: int, *, who: str = "") -> bool:
    """Remove one effort row of this project; False when there was none."""
    project_id = store.get_project(project_id).id
    with store._write() as conn:
        gone = conn.execute(effort.delete().where(effort.c.project_id == project_id)
                            .where(effort.c.id == int(effort_id))).rowcount
        if gone:
            store._log(conn, project_id, "effort_deleted", who, effort_id=int(effort_id))
    return bool(gone)
