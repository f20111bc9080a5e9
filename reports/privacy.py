"""Privacy rules shared by every export: small-cell suppression and formula escaping.

Both report writers (and any CSV download) go through this module so the rules cannot
drift apart. Suppression follows CBS practice: a count below k is hidden ("<k", primary),
and when a group of cells with a known total would then have exactly one hidden cell,
the next smallest cell is hidden too ("x", secondary), so nobody can get the small
number back by subtraction. A zero count is shown: it identifies nobody, and "nog
niemand gesproken" is the message the team needs.
"""
from __future__ import annotations

import csv
import io
import logging
import math
import re
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

MIN_K = 5            # never suppress less than this, whatever the user sets
DEFAULT_K = 10
PRIMARY = "primary"
SECONDARY = "secondary"
SECONDARY_MARK = "x"
# A share, ratio or margin whose count of people is hidden reads as this mark, never as
# '<k' ('<10' in a share column reads as "under 10 %"; pages and reports alike).
HIDDEN_SHARE = "–"
# A hidden rate or number of days (no count of people): 'Dagen nodig: <10' reads as
# "under ten days".
HIDDEN_WORD = "verborgen"
UNPUBLISHED = "unpublished"  # forced status of a cell no output shows (see suppress)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def effective_k(k_min: float | None) -> int:
    """The threshold actually used: the user's k, but never below 5."""
    k = DEFAULT_K if k_min is None else int(k_min)
    if k < MIN_K:
        logger.warning("k=%s is te laag; Bereikwijzer gebruikt k=%s", k, MIN_K)
        return MIN_K
    return k


def primary_mark(k: int) -> str:
    return f"<{k}"


def mark(status: str, k: int) -> str:
    """What a writer puts in a suppressed cell."""
    return primary_mark(k) if status == PRIMARY else SECONDARY_MARK


def escape_text(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with a single quote.

    Only strings change; numbers, dates and None pass through. Example:
    ``escape_text("=HYPERLINK(...)")`` → ``"'=HYPERLINK(...)"``.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The same frame with every text cell (and column name) escaped."""
    out = frame.copy()
    out.columns = [escape_text(str(c)) for c in out.columns]
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].astype("object").map(escape_text)
    return out


def safe_csv(frame: pd.DataFrame, *, sep: str = ";") -> str:
    """CSV text (Dutch Excel separator `;`), formula-escaped; all text quoted so a CR inside stays in its cell."""
    buffer = io.StringIO()
    escape_frame(frame).to_csv(buffer, index=False, sep=sep, quoting=csv.QUOTE_NONNUMERIC)
    return buffer.getvalue()


_COUNT_WORDS = r"(antwoord|respondent|mens|persoon|personen|gesprek|deelnemer|bewoner|inwoner)"
# "minder dan 10" is plural: "1 antwoord past" becomes "minder dan 10 antwoorden passen"
_PLURAL = {"antwoord": "antwoorden", "respondent": "respondenten", "mens": "mensen", "persoon": "personen",
           "gesprek": "gesprekken", "deelnemer": "deelnemers", "bewoner": "bewoners", "inwoner": "inwoners"}
_PLURAL_VERB = {"past": "passen", "is": "zijn", "heeft": "hebben", "valt": "vallen", "telt": "tellen",
                "woont": "wonen", "doet": "doen", "komt": "komen", "hoort": "horen"}


def mask_small_counts(text: str, k: int) -> str:
    """Replace "2 antwoorden" and the like in free sentences (engine warnings) by "minder dan k".

    A count already written as "minder dan …" is left alone, so masking twice never gives
    "minder dan minder dan 10"."""
    def repl(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if not 0 < number < k:
            return match.group(0)
        space, word, verb = match.group(2), match.group(3), match.group(4)
        if number == 1:  # singular noun and verb after "1" read wrong after "minder dan 10"
            word = _PLURAL.get(word.lower(), word)
            verb = verb and verb[0] + _PLURAL_VERB.get(verb[1:].lower(), verb[1:])
        return f"minder dan {k}{space}{word}{verb or ''}"
    verbs = "|".join(_PLURAL_VERB)
    return re.sub(rf"(?<![\d.,])(?<!minder dan )(\d+)(\s+){_COUNT_WORDS}(\s(?:{verbs})\b)?", repl, text,
                  flags=re.IGNORECASE)


def is_small(value: Any, k: int) -> bool:
    """A count that must be hidden: positive and below k (fractional estimates included)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return not math.isnan(number) and 0 < number < k


CellKey = TypeVar("CellKey", bound=Hashable)


def suppress(values: Mapping[CellKey, float], groups: Iterable[Sequence[CellKey]], k: int,
             *, forced: Mapping[CellKey, str] | None = None,
             fixed: Collection[CellKey] = (),
             cost: Mapping[CellKey, float] | None = None,
             exempt: Collection[CellKey] = ()) -> dict[CellKey, str]:
    """Decide per cell: "" (show), "primary" (below k) or "secondary" (hidden as complement).

    `groups` are the sets of cells whose sum is known or derivable (a dimension's
    categories; a row or a column of a two-way table). `forced` marks cells that must be
    hidden anyway (for consistency with another table, or because no output shows them:
    an unpublished cell is as unknown to a reader as a hidden one). `fixed` cells are
    published elsewhere whatever this table does: never picked as a complement. Repeats
    until no group has exactly one hidden cell, because a secondary cell in one group can
    create a single hidden cell in another. A cell forced as UNPUBLISHED (shown by no
    output, and not small itself) needs no protection: where the rest of the table gives
    it away it counts as known (`_given_away`) and needs no complement. A small
    cell whose group has only fixed cells left cannot be helped here and is logged.
    Hidden small cells that can only add up to their sum at 1 each or k−1 each get a
    complement too. `exempt` cells are never hidden for being small. Complements are added one at a time, the cheapest first over all groups that need one
    (`cost`, default the cell's value, so the least is lost; a nonzero cell before a zero
    one): one complement often covers several groups.
    """
    free = set(exempt)  # never hidden for being small (they describe no group, like 'onbekend')
    status: dict[CellKey, str] = {key: PRIMARY if is_small(v, k) and key not in free else ""
                                  for key, v in values.items()}
    for key, why in (forced or {}).items():
        if key in status and not status[key]:
            status[key] = why or SECONDARY
    group_lists = [list(g) for g in groups]
    fixed_set = set(fixed)
    costs = cost or {}
    stuck: set[CellKey] = set()

    def price(key: CellKey) -> tuple[bool, float]:  # a nonzero cell before a zero one, then cheapest
        return (_number(values[key]) <= 0, costs.get(key, _number(values[key])))
    # only a group holding a hidden cell that is not UNPUBLISHED can need a complement
    member: dict[CellKey, list[int]] = {}
    for i, group in enumerate(group_lists):
        for key in group:
            member.setdefault(key, []).append(i)
    watched = {i for key, why in status.items() if why and why != UNPUBLISHED for i in member.get(key, ())}
    unpublished = any(why == UNPUBLISHED for why in status.values())
    number = {key: _number(v) for key, v in values.items()}
    small = {key for key, v in values.items() if is_small(v, k)}
    while True:
        known = _given_away(status, group_lists, member) if unpublished else set()
        best: CellKey | None = None
        for group in (group_lists[i] for i in sorted(watched)):
            hidden = [key for key in group if status.get(key) and key not in known]
            if len(hidden) != 1 and not _at_bounds(hidden, status, number, small, k):
                continue
            open_cells = [key for key in group if key in status and not status[key] and key not in fixed_set]
            if not open_cells:
                if hidden[0] not in stuck:
                    stuck.add(hidden[0])
                    logger.warning("een verborgen cel staat alleen in haar groep en er is geen cel om "
                                   "mee te verbergen: %s", hidden[0])
                continue
            pick = min(open_cells, key=price)
            if best is None or price(pick) < price(best):
                best = pick
        if best is None:
            return status
        status[best] = SECONDARY  # one at a time: it may already cover other groups
        watched.update(member.get(best, ()))


def _at_bounds(hidden: list[CellKey], status: Mapping[CellKey, str], number: Mapping[CellKey, float],
               small_cells: set[CellKey], k: int) -> bool:
    """Two or more hidden cells whose sum (what the group's total minus its shown cells
    gives) is only possible with every small one ('<k': 1 to k−1) at 1 and the others at
    0, or, when all are small, every one at k−1: then each is known after all (1 + 1 + 0 =
    2, 9 + 9 = 18)."""
    small = [key for key in hidden if key in small_cells and status[key] == PRIMARY]
    if len(hidden) < 2 or not small:
        return False
    total = sum(number[key] for key in hidden)
    return total <= len(small) + 1e-9 or (len(small) == len(hidden) and total >= len(hidden) * (k - 1) - 1e-9)


def _given_away(status: Mapping[CellKey, str], groups: list[list[CellKey]],
                member: Mapping[CellKey, list[int]] | None = None) -> set[CellKey]:
    """The UNPUBLISHED cells a reader can work out: the only unknown cell of a group, again
    and again (a work list over the groups, each cell counted once). Computed afresh after
    each complement, because a new complement can make such a cell unknown again."""
    if member is None:
        member = {}
        for i, group in enumerate(groups):
            for key in group:
                member.setdefault(key, []).append(i)
    unknown = [sum(1 for key in group if status.get(key)) for group in groups]
    queue = [i for i, count in enumerate(unknown) if count == 1]
    known: set[CellKey] = set()
    while queue:
        i = queue.pop()
        if unknown[i] != 1:
            continue
        cell = next(key for key in groups[i] if status.get(key) and key not in known)
        if status[cell] != UNPUBLISHED:
            continue
        known.add(cell)
        for j in member.get(cell, ()):
            unknown[j] -= 1
            if unknown[j] == 1:
                queue.append(j)
    return known


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.inf
    return math.inf if math.isnan(number) else number


def protected(value: Any, status: str, k: int) -> Any:
    """The value itself, or its mark when hidden."""
    return mark(status, k) if status else value


def protected_share(value: Any, status: str) -> Any:
    """A share, ratio or margin as shown: the value itself, or HIDDEN_SHARE when the count
    behind it is hidden (never '<k', which reads as "under k %")."""
    return HIDDEN_SHARE if status else value


def to_reach_text(to_reach: int | None, respondents: float, status: str, k: int) -> str | None:
    """`to_reach` as a report may show it.

    A hidden count must not come back through to_reach = ⌈p·n⌉ − n. For a primary cell we
    know only n < k, so we show the lower bound "minstens …"; for a secondary cell nothing.
    A hidden cell's 0 is no exception: it says n ≥ ⌈p·n⌉, which with ⌈p·n⌉ = 9 and '<10'
    gives the count back.
    """
    if to_reach is None:
        return None
    if not status:
        return str(int(to_reach))
    if status == PRIMARY:
        lower = math.floor(to_reach + respondents - (k - 1))
        return f"minstens {lower}" if lower > 0 else None
    return None


def protect_frame(frame: pd.DataFrame, count: str, derived: Sequence[str], groups_by: Sequence[str],
                  k: int, *, forced: Mapping[Hashable, str] | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Suppress `count` (and the columns `derived` from it) per group of rows.

    Rows sharing the values of `groups_by` form one group with a known total. Returns the
    protected frame (object columns where marks were put) and the status per row.
    """
    values = {idx: frame.at[idx, count] for idx in frame.index}
    groups = [list(g.index) for _, g in frame.groupby(list(groups_by), sort=False, dropna=False)] \
        if groups_by else [list(frame.index)]
    status = suppress(values, groups, k, forced=forced)
    out = frame.copy()
    for column in (count, *derived):
        if column in out.columns:
            out[column] = [protected(v, status[i], k) for i, v in zip(out.index, out[column])]
    return out, pd.Series(status, name="suppressed").reindex(frame.index).fillna("")


# --------------------------------------------------------------------------- kenmerken and cells
# One rule for the report (reports.report: Bereik per kenmerk, Cellen) and Bereik's heatmap,
# here because the dashboard's first page must not import the report writers (issue #16).
REST = "_rest"          # the cell of respondents outside a kenmerk's groups (unknown or younger)
NOT_SHOWN = "not_shown"  # a two-way cell too few are expected in (engagement.cells' `shown`)


def kenmerk_status(counts: Mapping[str, float], total: float, k: int) -> tuple[dict[str, str], float]:
    """Status per group of one kenmerk (and of REST), and the REST count.

    The rest (respondents outside the groups: unknown, or younger than the minimum age) is
    always shown. The groups' shares are taken over the respondents with a known answer,
    so a hidden rest would come back as their denominator (36 of 61 reads 0.590, which
    gives 61, then the rest and a hidden group by subtraction). The groups therefore add
    up to a published total of their own, and a hidden group's complement is a group."""
    rest = max(0.0, total - sum(counts.values()))
    return {**suppress(dict(counts), [list(counts)], k), REST: ""}, rest


def hidden_groups(coverage: Any, k: int) -> dict[str, str]:
    """category code → status of every group the report's coverage table hides
    (`coverage`: an engagement.model.CoverageResult)."""
    hidden: dict[str, str] = {}
    for dim in coverage.dimensions:
        counts = {c.category: c.respondents for c in dim.categories}
        status, _ = kenmerk_status(counts, coverage.respondents, k)
        hidden.update({c: s for c, s in status.items() if s and c in counts})
    return hidden


def steady_verdicts(coverage: Any, k: int) -> dict[str, bool]:
    """"dimension:category" → whether a hidden group's verdict may be shown: it is the same
    for every count its mark allows.

    A verdict is no count, but it can give one back: with 7 expected, 'oververtegenwoordigd'
    next to '<10' means 9. So each hidden group of a kenmerk is moved
    to both ends of what its mark allows ('<k': 1 to k−1; 'x': k or more), another hidden
    group of the same kenmerk taking up the difference so every shown figure stays, and the
    verdicts are compared (engagement.coverage.labels_with_counts: the same rules, Holm
    included). Groups that are shown are not in the result."""
    from engagement.coverage import labels_with_counts

    steady: dict[str, bool] = {}
    for dim in coverage.dimensions:
        counts = {c.category: float(c.respondents) for c in dim.categories}
        status, _ = kenmerk_status(counts, coverage.respondents, k)
        hidden = [key for key in counts if status[key]]
        if not hidden:
            continue
        low = {key: (1.0 if status[key] == PRIMARY else float(k)) for key in hidden}
        pool = sum(counts[key] for key in hidden)
        high = {key: (float(k - 1) if status[key] == PRIMARY else pool - sum(low[o] for o in hidden if o != key))
                for key in hidden}
        today = labels_with_counts(coverage, dim.dimension, counts)  # as recomputed, like the others
        seen = {key: {today[key]} for key in hidden}
        for moved in hidden:  # 2 scenarios per hidden group, so a long list of groups stays quick
            for end in (low[moved], high[moved]):
                new = _moved_to(counts, hidden, moved, end, low, high)
                if new is None:
                    continue
                labels = labels_with_counts(coverage, dim.dimension, new)
                for key in hidden:
                    seen[key].add(labels[key])
        steady.update({f"{dim.dimension}:{key}": len(verdicts) == 1 for key, verdicts in seen.items()})
    return steady


def _moved_to(counts: Mapping[str, float], hidden: Sequence[str], moved: str, end: float,
              low: Mapping[str, float], high: Mapping[str, float]) -> dict[str, float] | None:
    """`counts` with `moved` as close to `end` as the other hidden groups can make room for,
    each staying inside what its mark allows (None: it cannot move)."""
    new = dict(counts)
    need = end - counts[moved]  # > 0: the others give people; < 0: they take them
    for other in (o for o in hidden if o != moved):
        if abs(need) < 1e-9:
            break
        room = counts[other] - low[other] if need > 0 else high[other] - counts[other]
        step = min(abs(need), max(room, 0.0))
        new[other] -= step if need > 0 else -step
        need -= step if need > 0 else -step
    new[moved] = end - need
    return None if abs(new[moved] - counts[moved]) < 1e-9 else new


def cells_status(cells: pd.DataFrame, hidden: Mapping[str, str], k: int) -> list[str]:
    """What the report's Cellen sheet does with each two-way cell (rows of `cells`, the
    frame of engagement.model.CellsResult.to_frame(), in order): "" shown, PRIMARY or
    SECONDARY hidden, NOT_SHOWN too few expected (and nothing hidden: no ratio either, it
    says 'te weinig gegevens'). Bereik's heatmap hides by it too.

    The respondents add up per row and per column to published totals, so small counts are
    hidden with complements; a row or column of a group `hidden` names (hidden_groups) is
    hidden whole; a cell too few are expected in counts as hidden for the complements."""
    if cells is None or cells.empty:
        return []
    frame = cells.reset_index(drop=True)
    values = dict(zip(frame.index, frame["respondents"]))
    groups = [list(g.index) for _, g in frame.groupby("row", sort=False)] + \
        [list(g.index) for _, g in frame.groupby("col", sort=False)]
    shown = frame["shown"].astype(bool) if "shown" in frame.columns else pd.Series(True, index=frame.index)
    forced = {i: SECONDARY for i in frame.index
              if str(frame.at[i, "row"]) in hidden or str(frame.at[i, "col"]) in hidden}
    forced.update({i: NOT_SHOWN for i in frame.index if not shown[i] and i not in forced})
    status = suppress(values, groups, k, forced=forced)
    # a cell too few are expected in that is also small stays hidden as a complement ('x')
    return [SECONDARY if status[i] == NOT_SHOWN and is_small(values[i], k) else status[i] for i in frame.index]


# --------------------------------------------------------------------------- weekly progress
# Cumulative counts per week give the new people per week by subtraction (22 → 29 → 38
# means 7 and 9 new), and a share gives a count back once the week's total is known. One
# rule protects the dashboard's Voortgang page and the report's Voortgang sheet:
# - weeks are merged, counted back from the latest week (the one Bereik shows): a week is
#   kept only when every group's growth up to the next kept week is 0 or at least k, so
#   every difference a reader can take between shown weeks is 0 or at least k;
# - in each kept week a count below k is hidden, plus a complement when exactly one cell
#   would be hidden (the groups add up to the week's total, which shares give away);
# - a group hidden in a later week stays hidden in the earlier weeks (and a group hidden
#   in today's coverage table is hidden in every week), so hidden patterns cannot be
#   played off against each other;
# - share, ratio and 'nog te spreken' are hidden with the count.

_EPS = 1e-6


def kept_periods(counts: pd.DataFrame, k: int, *, current: Mapping[Hashable, float] | None = None
                 ) -> list[Hashable]:
    """The periods (index of `counts`: one column per group, cumulative) that may be shown.

    Walks back from the latest period and keeps a period when no group grew by 0 < Δ < k
    between it and the next kept period. `current` (today's count per group, as the
    coverage table shows it; it also counts people without a date) is the anchor instead
    of the latest period, so the difference with today's figures is safe too."""
    if counts.empty:
        return []
    table = counts.sort_index().fillna(0.0).astype(float)
    periods = list(table.index)
    if current is None:
        kept, last = [periods[-1]], table.loc[periods[-1]]
        periods = periods[:-1]
    else:
        kept, last = [], pd.Series(current, dtype=float).reindex(table.columns).fillna(0.0)
    for period in reversed(periods):
        growth = np.abs((last - table.loc[period]).to_numpy(dtype=float))
        if not ((growth > _EPS) & (growth < k - _EPS)).any():
            kept.append(period)
            last = table.loc[period]
    return sorted(kept)


def progress_status(counts: pd.DataFrame, k: int, *, forced: Iterable[Hashable] = (),
                    current: Mapping[Hashable, float] | None = None) -> pd.DataFrame:
    """'' (show), 'primary' (< k) or 'secondary' per kept period × group.

    Works from the latest period back; a group hidden later (or listed in `forced`, e.g.
    hidden in today's coverage table) is hidden in every earlier period too."""
    kept = kept_periods(counts, k, current=current)
    table = counts.sort_index().fillna(0.0).astype(float)
    status = pd.DataFrame("", index=kept, columns=table.columns, dtype=object)
    hidden: set[Hashable] = {g for g in forced if g in table.columns}
    for period in reversed(kept):
        values = {group: float(table.at[period, group]) for group in table.columns}
        decided = suppress(values, [list(table.columns)], k,
                           forced={group: SECONDARY for group in hidden})
        for group, why in decided.items():
            status.at[period, group] = why
            if why:
                hidden.add(group)
    return status


def protect_progress(part: pd.DataFrame, k: int = DEFAULT_K, *, period: str = "period_end",
                     count: str = "n", derived: Sequence[str] = ("share", "ratio"),
                     forced: Iterable[Hashable] = (), current: Mapping[Hashable, float] | None = None
                     ) -> pd.DataFrame:
    """One dimension's rows of engagement.progress.cumulative_coverage, limited to the
    periods that may be shown, with `status` per row; `count` and `derived` are NaN where
    hidden (the caller puts its marks there). `forced` and `current`: the groups hidden in,
    and the counts of, today's coverage table."""
    if part.empty:
        return part.assign(status=pd.Series(dtype=object))
    counts = part.pivot_table(index=period, columns="category", values=count, aggfunc="sum")
    status = progress_status(counts, k, forced=forced, current=current)
    rows = part[part[period].isin(status.index)].copy()
    rows["status"] = [status.at[p, c] for p, c in zip(rows[period], rows["category"])]
    hide = rows["status"] != ""
    for column in (count, *derived):
        if column in rows.columns:
            rows[column] = pd.to_numeric(rows[column], errors="coerce").astype(float).where(~hide)
    return rows


def protect_channels(part: pd.DataFrame, k: int = DEFAULT_K, *, period: str = "period_end") -> pd.DataFrame:
    """Cumulative respondents per channel and period (long: period_end, channel, n, status)
    from the n_<channel> columns of one dimension's rows, by the same rule; hidden n is NaN."""
    columns = [c for c in part.columns if str(c).startswith("n_")]
    if part.empty or not columns:
        return pd.DataFrame(columns=[period, "channel", "n", "status"])
    totals = part.groupby(period)[columns].sum()
    totals.columns = [str(c).removeprefix("n_") for c in totals.columns]
    status = progress_status(totals, k)
    long = totals.loc[status.index].reset_index().melt(id_vars=period, var_name="channel", value_name="n")
    long["status"] = [status.at[p, c] for p, c in zip(long[period], long["channel"])]
    long["n"] = long["n"].astype(float).where(long["status"] == "")
    return long
