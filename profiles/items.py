"""Which answers may enter a profile model, and on which kompas axis each item belongs.

The axes are proposed from the question texts with Dutch and English keyword lists kept
as data (profiles/data/*.csv), so a team can extend them without touching code. Items
phrased negatively ("Ik voel me niet gehoord") are recoded so that a high score always
means more engagement or more trust. Demographic columns never enter a model: only
`item:` (and, when asked, `multi:`) columns do.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from surveys.errors import BereikwijzerError

DATA = Path(__file__).parent / "data"
DEMOGRAPHIC_COLUMNS = frozenset({"respondent_id", "source", "channel", "responded_at", "age", "age_band",
                                 "age_low", "age_high", "age_estimated", "gender", "gender_estimated",
                                 "household", "tenure", "origin", "postcode4", "area_code", "income"})
MAX_MISSING = 0.5
AXIS_THRESHOLD = 0.75


class ProfileDataError(BereikwijzerError, ValueError):
    """The answers do not allow profiles (too few people or items); Dutch message."""

    code = "profielen"


@dataclass(frozen=True)
class ItemSelection:
    """Items proposed for the profiles; the user may change every part of it."""

    engagement: tuple[str, ...] = ()
    trust: tuple[str, ...] = ()
    reversed: tuple[str, ...] = ()
    usable: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    reasons: dict[str, str] = field(default_factory=dict)
    scales: dict[str, tuple[float, float]] = field(default_factory=dict)

    def recode(self, respondents: pd.DataFrame, items: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
        """The item answers as floats, reversed items mirrored on their scale (lo + hi − x)."""
        cols = list(items if items is not None else self.usable)
        out = pd.DataFrame({c: _numeric(respondents[c]) for c in cols}, index=respondents.index)
        for col in cols:
            if col in self.reversed:
                lo, hi = self.scales.get(col) or scale_bounds(out[col])
                out[col] = lo + hi - out[col]
        return out


def normalise(text: str) -> str:
    """Lower case, no accents, separators as spaces: 'item:ik_voel-me' → 'item ik voel me'."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " " + re.sub(r"[^a-z0-9']+", " ", text.lower()).strip() + " "


@lru_cache(maxsize=1)
def _keywords() -> tuple[tuple[tuple[str, str, float], ...], tuple[str, ...]]:
    with open(DATA / "item_keywords.csv", encoding="utf-8") as fh:
        axes = tuple((r["axis"], normalise(r["keyword"]), float(r["weight"])) for r in csv.DictReader(fh))
    with open(DATA / "reversed_keywords.csv", encoding="utf-8") as fh:
        negations = tuple(normalise(r["keyword"]) for r in csv.DictReader(fh))
    return axes, negations


def axis_scores(text: str) -> dict[str, float]:
    """Summed keyword weights per axis found in a question text (whole words only)."""
    axes, _ = _keywords()
    norm = normalise(text)
    scores = {"engagement": 0.0, "trust": 0.0}
    for axis, word, weight in axes:
        if word in norm:
            scores[axis] += weight
    return scores


def is_reversed(text: str) -> bool:
    """True when the question is phrased negatively (niet, geen, nooit, not, …)."""
    _, negations = _keywords()
    norm = normalise(text)
    return any(word in norm for word in negations if word.strip())


def _numeric(series: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        return series.astype(float)
    return pd.to_numeric(series, errors="coerce").astype(float)


def scale_bounds(series: pd.Series) -> tuple[float, float]:
    """The answer scale an item was asked on: 1–5, 1–7, 0/1–10, or the observed range."""
    values = _numeric(series).dropna()
    if values.empty:
        return (1.0, 5.0)
    lo, hi = float(values.min()), float(values.max())
    if lo >= 0 and hi <= 1:
        return (0.0, 1.0)
    for top in (5.0, 7.0, 10.0):
        if lo >= 1 and hi <= top:
            return (1.0, top)
    if lo >= 0 and hi <= 10:
        return (0.0, 10.0)
    return (lo, hi)


def item_text(column: str, labels: dict[str, str] | None = None) -> str:
    """The question text of a column: its label (keyed by the column or by the key without
    'item:'), else its key made readable. Keys are cut at 40 characters by the import, so
    pass the labels (or respondents.attrs["item_labels"]) to show statements in full."""
    key = column.split(":", 1)[1] if ":" in column else column
    for candidate in (column, key):
        if labels and labels.get(candidate):
            return str(labels[candidate])
    text = key.replace("_", " ").replace(":", ": ")
    return text[:1].upper() + text[1:]


def check_not_demographic(columns: list[str]) -> None:
    """Refuse demographic columns as model input: profiles are compared with them afterwards."""
    bad = [c for c in columns if c in DEMOGRAPHIC_COLUMNS or not c.startswith(("item:", "multi:"))]
    if bad:
        raise ProfileDataError(
            "Deze kolommen zijn geen antwoordvragen en tellen niet mee voor profielen: "
            + ", ".join(bad) + ". Kies alleen vragen (kolommen die met 'item:' of 'multi:' beginnen).")


def suggest_items(respondents: pd.DataFrame, labels: dict[str, str] | None = None) -> ItemSelection:
    """Propose usable items, their kompas axis and which ones are phrased negatively.

    Items with one answer only or more than half missing are left out and listed.

    >>> df = pd.DataFrame({"item:ik_voel_me_niet_gehoord": [1, 2, 5, 4],
    ...                    "item:ik_doe_mee_aan_buurtactiviteiten": [5, 4, 2, 1]})
    >>> sel = suggest_items(df)
    >>> sel.trust, sel.reversed
    (('item:ik_voel_me_niet_gehoord',), ('item:ik_voel_me_niet_gehoord',))
    """
    engagement: list[str] = []
    trust: list[str] = []
    reversed_: list[str] = []
    usable: list[str] = []
    excluded: list[str] = []
    reasons: dict[str, str] = {}
    scales: dict[str, tuple[float, float]] = {}
    for col in [c for c in respondents.columns if str(c).startswith("item:")]:
        values = _numeric(respondents[col])
        missing = float(values.isna().mean()) if len(values) else 1.0
        if missing > MAX_MISSING:
            excluded.append(col)
            reasons[col] = f"Weggelaten: {missing:.0%} heeft deze vraag niet beantwoord (meer dan de helft)."
            continue
        if values.nunique(dropna=True) < 2:
            excluded.append(col)
            reasons[col] = "Weggelaten: iedereen gaf hetzelfde antwoord, dus de vraag zegt niets over verschillen."
            continue
        usable.append(col)
        scales[col] = scale_bounds(values)
        text = item_text(col, labels)
        scores = axis_scores(text)
        axis = max(scores, key=lambda a: (scores[a], a == "trust"))
        negative = is_reversed(text)
        if negative:
            reversed_.append(col)
        if scores[axis] >= AXIS_THRESHOLD:
            (engagement if axis == "engagement" else trust).append(col)
            kind = "betrokkenheid" if axis == "engagement" else "vertrouwen en invloed"
            reasons[col] = f"Voorgesteld voor de as {kind}" + (" (omgekeerd gesteld, wordt omgescoord)." if negative else ".")
        else:
            reasons[col] = "Bruikbaar voor profielen; niet herkend als betrokkenheid of vertrouwen."
    return ItemSelection(tuple(engagement), tuple(trust), tuple(reversed_), tuple(usable),
                         tuple(excluded), reasons, scales)


def usable_columns(respondents: pd.DataFrame, columns: list[str]) -> tuple[list[str], list[str]]:
    """Split user-chosen columns into usable ones and ones left out (single value, > 50% missing)."""
    keep: list[str] = []
    drop: list[str] = []
    for col in columns:
        values = _numeric(respondents[col])
        ok = len(values) and values.isna().mean() <= MAX_MISSING and values.nunique(dropna=True) >= 2
        (keep if ok else drop).append(col)
    return keep, drop


def to_unit(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Map answers on [lo, hi] to 0–1."""
    return (values - lo) / (hi - lo) if hi > lo else np.full_like(values, np.nan)


MIN_SOURCE_ANSWERS = 5


@dataclass(frozen=True)
class ScaleHarmony:
    """Per item, the answer scale all sources are put on (the scale most answers use)."""

    targets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def apply(self, respondents: pd.DataFrame, items: list[str] | tuple[str, ...]) -> tuple[pd.DataFrame, list[str]]:
        """The respondents with each source's answers moved onto the target scale of the item,
        and a Dutch note per rescaled (item, file)."""
        if "source" not in respondents.columns:
            return respondents, []
        out, notes = respondents.copy(), []
        source = respondents["source"].astype(str)
        for item in items:
            if item not in self.targets or item.startswith("multi:"):
                continue
            lo_t, hi_t = self.targets[item]
            values = _numeric(respondents[item])
            for name, idx in values.groupby(source).groups.items():
                part = values.loc[idx]
                if part.notna().sum() < MIN_SOURCE_ANSWERS:
                    continue
                lo, hi = scale_bounds(part)
                if (lo, hi) == (lo_t, hi_t) or hi <= hi_t and lo >= lo_t:
                    continue  # fits inside the target scale: read as the target scale
                unit = to_unit(part.to_numpy(dtype=float), lo, hi)
                out.loc[idx, item] = np.round(lo_t + unit * (hi_t - lo_t))
                notes.append(f"Vraag '{item_text(item)}' staat in '{str(name).split('#')[0]}' op een schaal van "
                             f"{lo:g} tot {hi:g} en elders van {lo_t:g} tot {hi_t:g}; voor de profielen omgerekend "
                             f"naar {lo_t:g} tot {hi_t:g}.")
        return out, notes


def harmonise_scales(respondents: pd.DataFrame, items: list[str] | tuple[str, ...]) -> ScaleHarmony:
    """Find, per item, the scale most answers were given on when files use different scales.

    Files from different tools land in one column with each file's own codes (a 7-point
    "helemaal eens" is 7, a 5-point one 5). A file's scale is read from its own answers
    (at least 5); the target is the scale of the most answers. Only a file that shows a
    longer scale than the target (answers above its top) is rescaled, so a 7-point file in
    which nobody chose 6 or 7 is read as 5-point, which is what its answers allow.
    """
    if "source" not in respondents.columns:
        return ScaleHarmony()
    source = respondents["source"].astype(str)
    targets: dict[str, tuple[float, float]] = {}
    for item in items:
        if item.startswith("multi:") or item not in respondents.columns:
            continue
        values = _numeric(respondents[item])
        counts: dict[tuple[float, float], int] = {}
        for _, part in values.groupby(source):
            n = int(part.notna().sum())
            if n >= MIN_SOURCE_ANSWERS:
                scale = scale_bounds(part)
                counts[scale] = counts.get(scale, 0) + n
        if len(counts) > 1:
            targets[item] = max(counts, key=lambda s: (counts[s], -s[1]))
    return ScaleHarmony(targets)
