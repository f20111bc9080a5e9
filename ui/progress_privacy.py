"""Small-group protection for the weekly (cumulative) counts on the Voortgang page.

Cumulative counts per week give the new people per week by subtraction (22 → 29 → 38
means 7 and 9 new), and a share gives a count back once the period total is known. So:

- weeks are merged (a week is only shown when, for every group, the growth since the
  next shown week is 0 or at least k), counted back from the latest week; the latest week
  is what the Bereik page shows, so every difference a reader can take between shown
  weeks, or with today's figures, is 0 or at least k;
- in each shown week a count below k is hidden, and one more group when exactly one
  would be hidden (the groups add up to the week's total), via engagement.report_privacy;
- a group hidden in a later week stays hidden in the earlier weeks, so the pattern of
  hidden cells cannot be played off between weeks;
- its share, ratio and 'nog te spreken' are hidden with it.

Pure functions over DataFrames; the page only draws what these return.
"""
from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from engagement import report_privacy as privacy
from engagement.coverage import GROUP_PHRASES
from surveys.categories import DIMENSION_LABELS, label

_EPS = 1e-6


def kept_periods(counts: pd.DataFrame, k: int) -> list[Hashable]:
    """The periods (index of `counts`, one column per group, cumulative) that may be shown.

    Walks back from the latest period and keeps a period when no group grew by 0 < Δ < k
    between it and the next kept period."""
    if counts.empty:
        return []
    table = counts.sort_index().fillna(0.0)
    periods = list(table.index)
    kept = [periods[-1]]
    for period in reversed(periods[:-1]):
        growth = (table.loc[kept[-1]] - table.loc[period]).to_numpy(dtype=float)
        if not ((growth > _EPS) & (growth < k - _EPS)).any():
            kept.append(period)
    return sorted(kept)


def cell_status(counts: pd.DataFrame, k: int) -> pd.DataFrame:
    """'' (show), 'primary' (< k) or 'secondary' per kept period × group.

    Works from the latest period back, forcing every group hidden later to be hidden
    earlier too."""
    kept = kept_periods(counts, k)
    table = counts.sort_index().fillna(0.0)
    status = pd.DataFrame("", index=kept, columns=table.columns, dtype=object)
    hidden: set[Hashable] = set()
    for period in reversed(kept):
        values = {group: float(table.at[period, group]) for group in table.columns}
        forced = {group: privacy.SECONDARY for group in hidden}
        decided = privacy.suppress(values, [list(table.columns)], k, forced=forced)
        for group, why in decided.items():
            status.at[period, group] = why
            if why:
                hidden.add(group)
    return status


def protect_progress(part: pd.DataFrame, k: int = privacy.DEFAULT_K) -> pd.DataFrame:
    """One dimension's rows of engagement.progress.cumulative_coverage, limited to the
    weeks that may be shown, with `status` per row; n, share, ratio and to_reach are NaN
    where hidden."""
    if part.empty:
        return part.assign(status=pd.Series(dtype=object))
    counts = part.pivot_table(index="period_end", columns="category", values="n", aggfunc="sum")
    status = cell_status(counts, k)
    rows = part[part["period_end"].isin(status.index)].copy()
    rows["status"] = [status.at[p, c] for p, c in zip(rows["period_end"], rows["category"])]
    hide = rows["status"] != ""
    for column in ("n", "share", "ratio"):
        if column in rows.columns:
            rows[column] = rows[column].astype(float).where(~hide)
    return rows


def protect_channels(part: pd.DataFrame, k: int = privacy.DEFAULT_K) -> pd.DataFrame:
    """Cumulative respondents per channel and week (long: period_end, channel, n) from the
    n_<channel> columns of one dimension's rows, with the same rules; hidden n is NaN."""
    columns = [c for c in part.columns if str(c).startswith("n_")]
    if part.empty or not columns:
        return pd.DataFrame(columns=["period_end", "channel", "n", "status"])
    totals = part.groupby("period_end")[columns].sum()
    totals.columns = [str(c).removeprefix("n_") for c in totals.columns]
    status = cell_status(totals, k)
    long = totals.loc[status.index].reset_index().melt(id_vars="period_end", var_name="channel",
                                                        value_name="n")
    long["status"] = [status.at[p, c] for p, c in zip(long["period_end"], long["channel"])]
    long["n"] = long["n"].astype(float).where(long["status"] == "")
    return long


def shown_text(value: float, status: str, k: int = privacy.DEFAULT_K, digits: int = 0) -> str:
    """A protected count as the table shows it: the number, '<k' or 'x'."""
    if status:
        return privacy.mark(status, k)
    if value is None or np.isnan(value):
        return "–"
    return f"{value:.{digits}f}".replace(".", ",")


def progress_title(part: pd.DataFrame, dimension: str) -> str:
    """The chart title for protected rows: names only the groups the table shows."""
    last = part[part["period_end"] == part["period_end"].max()]
    behind = [GROUP_PHRASES.get(c, label(c)) for c, r, s in
              zip(last["category"], last["ratio"], last["status"]) if not s and r < 0.8]
    name = DIMENSION_LABELS.get(dimension, dimension)
    if behind:
        return f"{name}: {', '.join(behind)} blijven achter"
    if (last["status"] != "").any():
        return f"{name}: de getoonde groepen zijn ongeveer in lijn met de buurt"
    return f"{name}: alle groepen zijn nu ongeveer in lijn met de buurt"
