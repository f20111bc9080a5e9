"""Put respondents in the categories of the reference, so both sides count the same thing.

Exact ages go straight into the reference bands. A band asked in the survey that does not
nest in them (Burgerpeiling 18–29, 30–39, …) is spread over the reference bands assuming
ages are uniform inside the band, and the result is marked as estimated. Everything that
fits no reference category (missing, "zeg ik liever niet", other codes) counts as unknown.

Convention for respondent bands: `age_low`/`age_high` are whole years with an inclusive
top ("18-29" → 18 and 29, i.e. ages 18.0 up to 30.0); an empty `age_high` is an open top
band ("75+"). A band whose two ends are both reference boundaries ("25-45") is read the
CBS way, with an exclusive top.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from surveys.categories import AGE_BANDS, DIMENSIONS, REFUSED

logger = logging.getLogger(__name__)

OPEN_TOP = 100.0  # assumed oldest age when an open band must be split (e.g. "60+")
_RANGE = re.compile(r"^\s*(\d+)\s*(-|–|tot en met|t/m|tot|to)\s*(\d+)")
_OPEN = re.compile(r"^\s*(\d+)\s*(\+|jaar en ouder|en ouder|plus|or older|and over)")


def parse_band(text: str, *, inclusive: bool = True) -> tuple[float, float] | None:
    """Bounds [low, high) of a band text like "18-29", "25 tot 45", "75+"; None if not a band."""
    if text in AGE_BANDS:
        low, high = AGE_BANDS[text]
        return float(low), np.inf if high is None else float(high)
    match = _RANGE.match(str(text))
    if match:
        low, sep, high = float(match.group(1)), match.group(2), float(match.group(3))
        exclusive = sep == "tot" or (sep in "-–" and not inclusive)
        return low, high if exclusive else high + 1.0
    match = _OPEN.match(str(text))
    if match:
        return float(match.group(1)), np.inf
    return None


def age_intervals(categories: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Bounds of the reference age categories; chained bands decide the top convention.

    CBS keys ("15-25") use an exclusive top; a custom reference with "18-29", "30-39"
    chains at +1 and is read with an inclusive top.
    """
    keys = list(categories)
    inclusive = [parse_band(k, inclusive=True) for k in keys]
    exclusive = [parse_band(k, inclusive=False) for k in keys]
    if any(b is None for b in exclusive):
        return {k: b for k, b in zip(keys, exclusive) if b is not None}
    chained = sorted(exclusive)
    chains_at_plus_one = all(b[0] == a[1] + 1 for a, b in zip(chained, chained[1:]))
    use_inclusive = chains_at_plus_one and len(chained) > 1
    chosen = inclusive if use_inclusive else exclusive
    return {k: b for k, b in zip(keys, chosen) if b is not None}


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def _respondent_bounds(frame: pd.DataFrame, boundaries: set[float]) -> tuple[np.ndarray, np.ndarray]:
    """Age interval [low, high) per respondent: exact age first, then the band as asked."""
    age = _numeric(frame, "age")
    low, high = np.floor(age), np.floor(age) + 1.0
    band_low, band_high = _numeric(frame, "age_low"), _numeric(frame, "age_high")
    bands = frame["age_band"] if "age_band" in frame.columns else pd.Series(np.nan, index=frame.index)
    for i in np.flatnonzero(np.isnan(age)):
        text = bands.iloc[i]
        if isinstance(text, str) and text in AGE_BANDS:
            low[i], high[i] = parse_band(text)
        elif not np.isnan(band_low[i]):
            top = band_high[i]
            nests_cbs = band_low[i] in boundaries and top in boundaries
            low[i] = band_low[i]
            high[i] = np.inf if np.isnan(top) else (top if nests_cbs else top + 1.0)
        elif isinstance(text, str) and (parsed := parse_band(text)) is not None:
            low[i], high[i] = parsed
    return low, high


def age_membership(respondents: pd.DataFrame, *, min_age: int = 18,
                   categories: Iterable[str] | None = None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Fraction of each respondent in each reference age band.

    Returns (fractions, unknown, estimated): `unknown` is the part of a respondent that
    fits no band (no age given, or an age outside the reference); respondents younger
    than `min_age` are not eligible and count nowhere.
    """
    intervals = age_intervals(categories if categories is not None else AGE_BANDS)
    keys = list(intervals)
    bounds = np.array([intervals[k] for k in keys], dtype=float).reshape(-1, 2)
    boundaries = {b for pair in bounds for b in pair if np.isfinite(b)}
    low, high = _respondent_bounds(respondents, boundaries)
    top_start = bounds[np.isinf(bounds[:, 1]), 0].min() if np.isinf(bounds[:, 1]).any() else np.inf
    high = np.where(np.isinf(high) & (low < top_start), np.maximum(OPEN_TOP, low + 1.0), high)
    start = np.maximum(low, float(min_age))
    length = high - start
    has_age = ~np.isnan(low)
    eligible = has_age & (length > 0)
    fractions = np.zeros((len(respondents), len(keys)))
    if eligible.any():
        lo = start[eligible, None]
        hi = high[eligible, None]
        overlap = np.clip(np.minimum(hi, bounds[None, :, 1]) - np.maximum(lo, bounds[None, :, 0]), 0, None)
        whole = np.isinf(hi) & np.isinf(bounds[None, :, 1]) & (lo >= bounds[None, :, 0])
        share = np.where(whole, 1.0, overlap / np.where(np.isinf(hi), 1.0, hi - lo))
        fractions[eligible] = np.nan_to_num(share)
    unknown = np.where(~has_age, 1.0, np.where(eligible, np.clip(1.0 - fractions.sum(axis=1), 0, 1), 0.0))
    estimated = eligible & (fractions.max(axis=1, initial=0.0) < 1.0 - 1e-9) & (unknown < 1.0 - 1e-9)
    if "age_estimated" in respondents.columns:
        estimated |= eligible & respondents["age_estimated"].fillna(False).astype(bool).to_numpy()
    ineligible = int((has_age & ~eligible).sum())
    if ineligible:
        logger.info("%d respondenten jonger dan %d tellen niet mee voor leeftijd", ineligible, min_age)
    return pd.DataFrame(fractions, index=respondents.index, columns=keys), unknown, estimated


def membership(respondents: pd.DataFrame, dimension: str, *, min_age: int = 18,
               categories: Iterable[str] | None = None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """One row per respondent, one column per category, holding the fraction in it.

    Categorical dimensions are one-hot; age may be fractional. Also returns the unknown
    part and the estimated mask per respondent (see `age_membership`).
    """
    if dimension == "age":
        return age_membership(respondents, min_age=min_age, categories=categories)
    if categories is None:
        categories = DIMENSIONS.get(dimension) or _observed(respondents, dimension)
    keys = list(categories)
    if dimension not in respondents.columns:
        empty = pd.DataFrame(0.0, index=respondents.index, columns=keys)
        return empty, np.ones(len(respondents)), np.zeros(len(respondents), dtype=bool)
    onehot = _onehot(respondents[dimension], keys)
    fractions = pd.DataFrame(onehot, index=respondents.index, columns=keys)
    unknown = 1.0 - onehot.sum(axis=1)
    flag = f"{dimension}_estimated"
    estimated = np.zeros(len(respondents), dtype=bool)
    if flag in respondents.columns:
        estimated = respondents[flag].fillna(False).astype(bool).to_numpy() & (unknown < 1.0)
    return fractions, unknown, estimated


def _onehot(values: pd.Series, keys: list[str]) -> np.ndarray:
    """1.0 where a respondent's answer equals a category; compares each distinct answer
    once (factorize) instead of every cell, which matters for 10,000 respondents."""
    codes, uniques = pd.factorize(values)
    lookup = {key: i for i, key in enumerate(keys)}
    position = np.array([lookup.get(u, -1) for u in uniques] + [-1], dtype=np.int64)[codes]
    onehot = np.zeros((len(values), len(keys)))
    rows = np.flatnonzero(position >= 0)
    onehot[rows, position[rows]] = 1.0
    return onehot


def _observed(respondents: pd.DataFrame, dimension: str) -> list[str]:
    if dimension not in respondents.columns:
        return []
    values = respondents[dimension].dropna().astype(str)
    return sorted(v for v in values.unique() if v != REFUSED)


def respondent_counts(respondents: pd.DataFrame, dimension: str, *, min_age: int = 18,
                      categories: Iterable[str] | None = None) -> tuple[dict[str, float], float, bool]:
    """Respondents per category, the unknown count, and whether the counts are estimated.

    `categories` are the reference's categories (default: the canonical codes); codes
    outside them, missing answers and "wil niet zeggen" all count as unknown.
    """
    fractions, unknown, estimated = membership(respondents, dimension, min_age=min_age,
                                               categories=categories)
    counts = {k: float(v) for k, v in fractions.sum(axis=0).items()}
    return counts, float(unknown.sum()), bool(estimated.any())


def respondent_categories(respondents: pd.DataFrame, dimension: str, *, min_age: int = 18,
                          categories: Iterable[str] | None = None) -> pd.Series:
    """One category per respondent (the band holding most of a split age), NaN if unknown."""
    fractions, _, _ = membership(respondents, dimension, min_age=min_age, categories=categories)
    return single_category(fractions)


def single_category(fractions: pd.DataFrame) -> pd.Series:
    """Weighting needs one category per respondent: a split band goes to the band with
    the largest part (the lower one on a tie); less than half known is unknown."""
    if fractions.shape[1] == 0:
        return pd.Series(None, index=fractions.index, dtype=object)
    index = single_codes(fractions.to_numpy(dtype=float))
    codes = np.array(list(fractions.columns) + [None], dtype=object)[index]
    return pd.Series(codes, index=fractions.index, dtype=object)


def single_codes(fractions: np.ndarray) -> np.ndarray:
    """`single_category` as column positions (-1 = unknown), for the raking loop."""
    if fractions.shape[1] == 0:
        return np.full(fractions.shape[0], -1, dtype=np.int64)
    return np.where(fractions.sum(axis=1) >= 0.5, fractions.argmax(axis=1), -1).astype(np.int64)
