"""Put respondents in the categories of the reference, so both sides count the same thing.

Exact ages go straight into the reference bands. A band asked in the survey that does not
nest in them (Burgerpeiling 18–29, 30–39, …) is spread over the reference bands assuming
ages are uniform inside the band, and the result is marked as estimated. Everything that
fits no reference category (missing, "zeg ik liever niet", other codes) counts as unknown.

Respondent bands are read as the import stores them: `age_low`/`age_high` half-open
[low, high) ("18-29" → 18 and 30), an empty `age_high` an open top ("75+"). Band texts and
reference categories are read by the one parser in surveys.age_bands, so import,
reference and harmonising cannot disagree by a year.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
import pandas as pd

from surveys import age_bands
from surveys.categories import AGE_BANDS, DIMENSIONS, REFUSED

logger = logging.getLogger(__name__)


def parse_band(text: str, *, inclusive: bool = True) -> tuple[float, float] | None:
    """Bounds [low, high) of a band text like "18-29", "25 tot 45", "75+"; None if not a band.

    A CBS key ("15-25") is the CBS band; `inclusive=False` reads any other dash as 'tot'.
    """
    if text in AGE_BANDS:
        band: age_bands.AgeBand | None = age_bands.reference_bands([text])[text]
    else:
        band = age_bands.parse_band(text, dash_exclusive=not inclusive)
    return None if band is None else (band.low, band.high)


def age_intervals(categories: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Bounds of the reference age categories, read by `surveys.age_bands.reference_bands`:
    CBS keys ("15-25") are exclusive at the top, chained custom bands ("18-29", "30-39")
    inclusive."""
    return {k: (b.low, b.high) for k, b in age_bands.reference_bands(categories).items()}


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def _respondent_bounds(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Age interval [low, high) per respondent: exact age first, then the stored band
    bounds (already half-open), then the band text read like a column of answers."""
    age = _numeric(frame, "age")
    low, high = np.floor(age), np.floor(age) + 1.0
    band_low, band_high = _numeric(frame, "age_low"), _numeric(frame, "age_high")
    use_bounds = np.isnan(age) & ~np.isnan(band_low)
    low = np.where(use_bounds, band_low, low)
    high = np.where(use_bounds, np.where(np.isnan(band_high), np.inf, band_high), high)
    if "age_band" in frame.columns:
        todo = np.flatnonzero(np.isnan(low))
        texts = frame["age_band"].to_numpy(dtype=object)[todo]
        readable = {t for t in texts if isinstance(t, str) and t.strip()}
        if readable:
            parsed = age_bands.reference_bands(sorted(readable))
            bounds = {t: (b.low, b.high) for t, b in parsed.items()}
            pairs = np.array([bounds.get(t, (np.nan, np.nan)) if isinstance(t, str) else (np.nan, np.nan)
                              for t in texts], dtype=float).reshape(-1, 2)
            low[todo], high[todo] = pairs[:, 0], pairs[:, 1]
    return low, high


def age_membership(respondents: pd.DataFrame, *, min_age: int = 18,
                   categories: Iterable[str] | None = None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Fraction of each respondent in each reference age band.

    Returns (fractions, unknown, estimated): `unknown` is the part of a respondent that
    fits no band (no age given, or an age outside the reference); respondents younger
    than `min_age` are not eligible and count nowhere.
    """
    bands = age_bands.reference_bands(categories if categories is not None else AGE_BANDS)
    keys = list(bands)
    low, high = _respondent_bounds(respondents)
    fractions, eligible = age_bands.split_bands(low, high, [bands[k] for k in keys],
                                                min_age=float(min_age))
    has_age = ~np.isnan(low)
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
