"""Raking weights: how much each respondent would count to mirror the buurt.

Own vectorised raking loop rather than weightipy's, for two reasons found in its source
(weightipy 0.4.2, internal/rim.py): it drops every respondent with an unknown on *any*
weighting variable and then scales the targets to all rows, so the weighted shares miss
the targets as soon as someone skipped a question; and its stop rule is "less than 1%
improvement", not "the margins match". Here a respondent with an unknown on one
dimension keeps factor 1 for that dimension only, and the weighted shares among those
who answered match the buurt. tests/test_weighting.py checks the result against
weightipy on complete data. A group with no respondents cannot be weighted: it is left
out with a warning, which is the "not reached" signal, not an error.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from engagement import stats
from engagement.harmonise import membership, single_codes
from reference.model import BuurtReference
from surveys.categories import DIMENSION_LABELS, label

logger = logging.getLogger(__name__)

MARGIN_TOLERANCE = 1e-6


@dataclass(frozen=True, eq=False)
class WeightingResult:
    """Weights (mean 1, same index as the respondents) and how costly they are."""

    weights: pd.Series
    deff: float  # Kish: n·Σw²/(Σw)²
    ess: float  # effective sample size n / deff
    converged: bool
    dimensions: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    iterations: int = 0
    max_weight: float = 1.0
    trimmed: int = 0  # respondents whose weight was capped
    margin_error: float = 0.0  # largest |weighted share − target share|

    def to_dict(self) -> dict[str, Any]:
        return {"deff": self.deff, "ess": self.ess, "converged": self.converged,
                "dimensions": list(self.dimensions), "warnings": list(self.warnings),
                "iterations": self.iterations, "max_weight": self.max_weight,
                "trimmed": self.trimmed, "margin_error": self.margin_error}


def _cap(weights: np.ndarray, trim: float) -> np.ndarray:
    """Cap weights at `trim` × the mean of the capped weights (exact, not iterated).

    With the k largest weights capped at L, L = trim·(S + k·L)/n where S is the sum of
    the others, so L = trim·S/(n − trim·k); take the first k where L fits between the
    k-th and (k+1)-th largest weight.
    """
    n = len(weights)
    ordered = np.sort(weights)[::-1]
    total = ordered.sum()
    if n == 0 or trim <= 1 or ordered[0] <= trim * total / n:
        return weights
    k = np.arange(1, n)
    rest = total - np.cumsum(ordered)[:-1]
    denom = n - trim * k
    limit = np.divide(trim * rest, denom, out=np.full(n - 1, np.inf), where=denom > 0)
    fits = (denom > 0) & (ordered[1:] <= limit) & (limit <= ordered[:-1])
    if not fits.any():
        return weights
    return np.minimum(weights, limit[np.argmax(fits)])


def rake(codes: list[np.ndarray], targets: list[np.ndarray], *, n: int | None = None,
         trim: float | None = None, max_iter: int = 1000,
         tol: float = 1e-10) -> tuple[np.ndarray, bool, int]:
    """Iterative proportional fitting of unit weights to target shares.

    `codes[d]` holds each respondent's category index on dimension d (-1 = unknown);
    `targets[d]` the target shares (summing to 1; every category must have respondents).
    Returns weights with mean 1, whether the loop settled, and the iterations used.
    """
    n = (len(codes[0]) if codes else 0) if n is None else n
    w = np.ones(n)
    if n == 0 or not codes:
        return w, True, 0
    # respondents with a known category per dimension, and their codes, fixed up front
    known = [None if (c >= 0).all() else np.flatnonzero(c >= 0) for c in codes]
    known_codes = [c if k is None else c[k] for c, k in zip(codes, known)]
    iteration = 0
    settled = False
    for iteration in range(1, max_iter + 1):  # noqa: B007 (the count is returned after the loop)
        previous = w.copy()
        for c, t, k in zip(known_codes, targets, known):
            part = w if k is None else w[k]
            totals = np.bincount(c, weights=part, minlength=len(t))
            factor = t * totals.sum() / totals
            if k is None:
                w *= factor[c]
            else:
                w[k] = part * factor[c]
        if trim:
            w = _cap(w, trim)
        w *= n / w.sum()
        if np.max(np.abs(w - previous)) < tol:
            settled = True
            break
    return w, settled, iteration


def _margin_error(w: np.ndarray, codes: list[np.ndarray], targets: list[np.ndarray]) -> float:
    worst = 0.0
    for c, t in zip(codes, targets):
        k = c >= 0
        totals = np.bincount(c[k], weights=w[k], minlength=len(t))
        worst = max(worst, float(np.max(np.abs(totals / totals.sum() - t))))
    return worst


def rake_weights(respondents: pd.DataFrame, reference: BuurtReference, *, trim: float | None = 5.0,
                 dimensions: list[str] | None = None, max_iter: int = 1000,
                 memberships: dict[str, pd.DataFrame] | None = None) -> WeightingResult:
    """Raking weights on the reference dimensions, trimmed at `trim` × the mean weight.

    Split age bands count in the band holding most of them. A dimension with fewer than
    two reached groups adds nothing and is skipped. `memberships` (dimension → the
    fractions from `harmonise.membership`) saves recomputing them.
    """
    chosen = list(reference.dimensions) if dimensions is None else list(dimensions)
    codes: list[np.ndarray] = []
    targets: list[np.ndarray] = []
    used: list[str] = []
    warnings: list[str] = []
    for dim in chosen:
        population = {c: float(v) for c, v in reference.dimensions.get(dim, {}).items()
                      if v is not None and np.isfinite(v) and v > 0}
        if not population:
            continue
        if memberships is not None and dim in memberships:
            fractions = memberships[dim].reindex(columns=list(population), fill_value=0.0)
        else:
            fractions = membership(respondents, dim, min_age=reference.min_age,
                                   categories=list(population))[0]
        assigned = single_codes(fractions.to_numpy(dtype=float))
        present = np.bincount(assigned[assigned >= 0], minlength=len(population)) > 0
        reached = [c for c, here in zip(population, present) if here]
        for c, here in zip(population, present):
            if not here:
                warnings.append(f"{DIMENSION_LABELS.get(dim, dim)} – {label(c)}: niet bereikt, "
                                "kan niet worden gewogen.")
        if len(reached) < 2:
            continue
        renumber = np.append(np.where(present, np.cumsum(present) - 1, -1), -1)
        codes.append(renumber[assigned])
        shares = np.array([population[c] for c in reached])
        targets.append(shares / shares.sum())
        used.append(dim)
    w, settled, iterations = rake(codes, targets, n=len(respondents), trim=trim,
                                  max_iter=max_iter)
    error = _margin_error(w, codes, targets) if codes else 0.0
    if error > 1e-3:
        warnings.append(f"Door het afkappen van grote gewichten (hoogstens {trim:g} keer het "
                        f"gemiddelde) wijkt de weging tot {error:.1%} af van de buurtcijfers.")
    if not settled:
        logger.warning("raking did not settle in %d iterations", iterations)
    deff, ess = stats.kish(w)
    trimmed = int(np.sum(w >= trim * w.mean() * (1 - 1e-9))) if trim and len(w) else 0
    return WeightingResult(
        weights=pd.Series(w, index=respondents.index, name="weight"), deff=deff, ess=ess,
        converged=bool(settled and error < MARGIN_TOLERANCE) or (settled and bool(trimmed)),
        dimensions=tuple(used), warnings=tuple(warnings), iterations=iterations,
        max_weight=float(w.max()) if len(w) else 1.0, trimmed=trimmed, margin_error=error)
