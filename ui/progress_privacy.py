"""The Voortgang page's view of the weekly-progress protection.

The rule (weeks merged until every group's growth between shown weeks is 0 or at least
k, small counts hidden with a complement, share/ratio/'nog te spreken' hidden with them)
is reports.privacy's, shared with the report's Voortgang sheet. Here only what
the page adds: the text of a protected cell and a chart title that names no hidden group.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from engagement.progress import merged_week_sentence
from engagement.vocabulary import group_phrase
from reports import privacy
from surveys.categories import DIMENSION_LABELS
from surveys.numbers import dutch
from surveys.thresholds import OVER, UNDER

# The rule itself lives in reports.privacy (one rule for the dashboard and the
# report); these names stay for the page and its tests.
kept_periods = privacy.kept_periods
cell_status = privacy.progress_status
protect_progress = privacy.protect_progress
protect_channels = privacy.protect_channels


def ratio_edge(value: float) -> str:
    """A band edge in Dutch without trailing zeros: 0.8 → '0,8', 1.25 → '1,25'."""
    return dutch(value, 2).rstrip("0").rstrip(",")


# the 'in lijn' band as the pages write it, from surveys.thresholds (the one place)
BAND_TEXT = f"{ratio_edge(UNDER)} tot {ratio_edge(OVER)}"


def shown_text(value: float, status: str, k: int = privacy.DEFAULT_K, digits: int = 0) -> str:
    """A protected count as the table shows it: the number, '<k' or 'x'."""
    if status:
        return privacy.mark(status, k)
    if value is None or np.isnan(value):
        return "–"
    return dutch(value, digits)  # a count by the one rounding rule (surveys.numbers)


def progress_title(part: pd.DataFrame, dimension: str) -> str:
    """The chart title for protected rows: names only the groups the table shows."""
    last = part[part["period_end"] == part["period_end"].max()]
    behind = [group_phrase(dimension, c) for c, r, s in
              zip(last["category"], last["ratio"], last["status"]) if not s and r < UNDER]
    name = DIMENSION_LABELS.get(dimension, dimension)
    if behind:
        return f"{name}: {', '.join(behind)} blijven achter"
    if (last["status"] != "").any():
        return f"{name}: de getoonde groepen zijn ongeveer in lijn met de buurt"
    return f"{name}: alle groepen zijn nu ongeveer in lijn met de buurt"


def enough_since(day: str, moment, flag: str, status: str) -> str:
    """The Voortgang cell 'Genoeg gesproken sinds': `day` (the week as text, or 'nu niet'),
    the privacy mark for a hidden group, and for a group above its share the day with
    'meer dan in de buurt': such a group is over-represented, never 'op doel'."""
    if status:
        return privacy.SECONDARY_MARK
    return f"{day} (meer dan in de buurt)" if flag == "over" and not pd.isna(moment) else day


def merged_last_week(raw: pd.DataFrame, part: pd.DataFrame) -> pd.Timestamp | None:
    """The last dated week when the protection left it out (`raw`: one dimension's weekly
    rows, `part`: what protect_progress keeps), else None. Only people without a date do
    that: the last week is then compared with today's figures, which count them too."""
    if raw.empty:
        return None
    last = pd.Timestamp(raw["period_end"].max())
    shown = set(pd.to_datetime(part["period_end"])) if not part.empty else set()
    return None if last in shown else last


def merged_last_week_text(day: str, undated: int, k: int = privacy.DEFAULT_K) -> str:
    """Why the lines stop before the last dated week, in plain words (the report says it
    with the same sentence: engagement.progress.merged_week_sentence)."""
    return merged_week_sentence(day, undated, k)
