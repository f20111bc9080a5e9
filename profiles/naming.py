"""Names from content: what a profile thinks, read from its answers on both kompas axes.

Each axis score (0–1, the mean of its items) is read as laag, midden or hoog; "midden" is
the kompas's neutral zone (within ±0.125 of the midpoint: a mean answer that rounds to
"neutraal"), so a group that mostly answers
"neutraal" is called what it is ("Afwachtend midden"), not "Meebouwers" at 0.52. The
3 × 3 names and their one-line descriptions are data (data/profile_names.csv), so a team
can change them. Two profiles never share a name: same-named profiles are told apart by
the statement on which they differ most, quoted in full.
"""
from __future__ import annotations

import csv
import math
from functools import lru_cache

import numpy as np
import pandas as pd

from profiles.items import DATA
from profiles.kompas import MIDPOINT, in_neutral_zone
from profiles.wording import num_nl

LEVELS = ("laag", "midden", "hoog")


def axis_level(score: float) -> str:
    """'laag', 'midden' (within the neutral zone) or 'hoog'; '' when unknown."""
    if score is None or not math.isfinite(score):
        return ""
    if bool(in_neutral_zone(score)):
        return "midden"
    return "hoog" if score > MIDPOINT else "laag"


@lru_cache(maxsize=1)
def name_table() -> dict[tuple[str, str], tuple[str, str]]:
    """(engagement level, trust level) → (name, description)."""
    with open(DATA / "profile_names.csv", encoding="utf-8") as fh:
        return {(r["engagement"], r["trust"]): (r["name"], r["description"]) for r in csv.DictReader(fh)}


def content_name(engagement: float, trust: float) -> tuple[str, str] | None:
    """Name and one-line Dutch description from a profile's mean axis scores (None if unknown)."""
    key = (axis_level(engagement), axis_level(trust))
    if "" in key:
        return None
    name, description = name_table()[key]
    return name, (f"{description} Betrokkenheid {key[0]} ({num_nl(engagement)}), vertrouwen "
                  f"{key[1]} ({num_nl(trust)}), op een schaal van 0 tot 1.")


def statement(text: str) -> str:
    """A statement quoted in full (trailing full stop left off inside the quotes)."""
    return "‘" + str(text).strip().rstrip(".") + "’"


def unique_names(base: dict[int, str], agreement: pd.DataFrame, texts: dict[str, str],
                 fixed: frozenset[int] = frozenset()) -> dict[int, str]:
    """Make names unique: profiles sharing a name get the statement they differ on most.

    `agreement` has one row per profile id and one column per item: the mean answer on a
    0–1 scale (raw, as asked, so "eens" reads right for negatively phrased statements).
    Names in `fixed` (chosen by the team) are never changed.
    """
    out = dict(base)
    groups: dict[str, list[int]] = {}
    for pid, name in base.items():
        groups.setdefault(name, []).append(pid)
    for name, members in groups.items():
        free = [p for p in members if p not in fixed]
        if len(members) < 2 or not free:
            continue
        for pid in free:
            others = [p for p in members if p != pid]
            if pid not in agreement.index or agreement.empty:
                continue
            diff = agreement.loc[pid] - agreement.loc[others].mean(axis=0)
            diff = diff.dropna()
            if diff.empty:
                continue
            item = diff.abs().idxmax()
            more = "vaker eens" if diff[item] > 0 else "minder vaak eens"
            out[pid] = f"{name}, {more} met {statement(texts.get(item, item))}"
    seen: dict[str, int] = {}
    for pid in sorted(out):
        name = out[pid]
        if name in seen and pid not in fixed:
            seen[name] += 1
            out[pid] = f"{name} ({seen[name]})"
        else:
            seen.setdefault(name, 1)
    return out


def unit_agreement(respondents: pd.DataFrame, labels: np.ndarray, items: list[str]) -> pd.DataFrame:
    """Per profile id (rows) the mean raw answer of each item on 0–1 (columns)."""
    from profiles.items import _numeric, scale_bounds, to_unit

    cols = {}
    for item in items:
        values = _numeric(respondents[item]).to_numpy(dtype=float)
        lo, hi = scale_bounds(pd.Series(values))
        cols[item] = to_unit(values, lo, hi)
    frame = pd.DataFrame(cols, index=respondents.index)
    frame["_profile"] = labels
    frame = frame[frame["_profile"] >= 0]
    return frame.groupby("_profile").mean()
