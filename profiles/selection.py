"""Choosing the number of latent classes: BIC first, then step down until the profiles
are usable (big enough, clearly separated, stable under resampling).

BIC alone tends to add small or unstable classes that a team cannot act on; the extra
rules follow the LCA literature (Nylund-Gibson & Choi 2018) and Hennig's clusterboot
(mean best-match Jaccard < 0.6: do not trust the class).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from profiles.lca import SCREEN_ITER, LatentClassModel, _as_array, _posterior, encode, learn_categories, log_joint, run_em

logger = logging.getLogger(__name__)

MIN_SHARE = 0.05
MIN_SIZE = 30
MIN_ENTROPY = 0.6
MIN_STABILITY = 0.6


@dataclass(frozen=True)
class Selection:
    """The chosen k, its fitted model, the table of all k and the Dutch reason."""

    k: int
    model: object
    table: pd.DataFrame  # k, loglik, bic, entropy, smallest_share, smallest_size, stability
    reason: str


def best_match_jaccard(reference: np.ndarray, other: np.ndarray, k_ref: int, k_other: int) -> np.ndarray:
    """For each reference class: the highest Jaccard overlap with any class of `other`."""
    table = np.zeros((k_ref, k_other))
    np.add.at(table, (reference, other), 1)
    union = table.sum(axis=1, keepdims=True) + table.sum(axis=0, keepdims=True) - table
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = np.where(union > 0, table / np.where(union > 0, union, 1), 0.0)
    return jac.max(axis=1)


def lca_bootstrap_stability(X, labels: np.ndarray, k: int, *, n_boot: int = 20, n_init: int = 3,
                            random_state: int | None = 0) -> np.ndarray:
    """Per class: mean best-match Jaccard over `n_boot` resamples (refit from random starts).

    A resample is a row-weight vector of multinomial counts, so all resamples and their
    starts run as one EM batch; the best start of each resample after a short screening
    runs on to convergence. Jaccard is taken over the respondents drawn in a resample.
    """
    if k < 2:
        return np.ones(1)
    arr = _as_array(X)
    n = arr.shape[0]
    rng = np.random.default_rng(random_state)
    counts = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(float)
    batch = np.repeat(counts, n_init, axis=0)
    enc = encode(arr, learn_categories(arr))
    screen = run_em(enc, k, batch, rng, max_iter=SCREEN_ITER, tol=1e-6)
    pick = np.arange(n_boot) * n_init + screen.loglik.reshape(n_boot, n_init).argmax(axis=1)
    fit = run_em(enc, k, counts, rng, max_iter=500, tol=1e-6,
                 init=(screen.weights[pick], screen.probs[pick]))
    resp, _ = _posterior(log_joint(enc, fit.weights, fit.probs))
    boot_labels = resp.argmax(axis=1)  # (B, n)
    scores = np.zeros((n_boot, k))
    for b in range(n_boot):
        drawn = counts[b] > 0
        scores[b] = best_match_jaccard(labels[drawn], boot_labels[b][drawn], k, k)
    return scores.mean(axis=0)


def _smallest(labels: np.ndarray, k: int) -> tuple[float, int]:
    sizes = np.bincount(labels, minlength=k)
    return float(sizes.min() / len(labels)), int(sizes.min())


def select_lca(X, *, k_max: int = 8, n_init: int = 5, n_boot: int = 20, random_state: int | None = 0,
               progress: Callable[[float, str], None] | None = None) -> Selection:
    """Fit k = 1..k_max, take the lowest BIC, step down while a class is too small
    (< 5% or < 30 people), the split is unclear (relative entropy < 0.6) or unstable
    (a class's bootstrap Jaccard < 0.6)."""
    arr = _as_array(X)
    n = arr.shape[0]
    k_max = max(1, min(k_max, n // MIN_SIZE))
    models: dict[int, LatentClassModel] = {}
    rows = []
    for k in range(1, k_max + 1):
        if progress:
            progress(k / (k_max + 2), f"Model met {k} groepen")
        model = LatentClassModel(k, n_init=n_init, random_state=random_state).fit(arr)
        models[k] = model
        share, size = _smallest(model.labels_, k)
        rows.append({"k": k, "loglik": model.loglik_, "bic": model.bic_, "entropy": model.entropy_,
                     "smallest_share": share, "smallest_size": size, "stability": np.nan})
    table = pd.DataFrame(rows)
    best = int(table.loc[table["bic"].idxmin(), "k"])
    notes = [f"De BIC is het laagst bij {best} {'groep' if best == 1 else 'groepen'}."]
    k = best
    while k > 1:
        row = table.loc[k - 1]
        if row["smallest_share"] < MIN_SHARE or row["smallest_size"] < MIN_SIZE:
            notes.append(f"Bij {k} groepen is de kleinste groep te klein "
                         f"({row['smallest_share']:.0%}, {row['smallest_size']} mensen; "
                         f"nodig: {MIN_SHARE:.0%} en {MIN_SIZE} mensen).")
        elif row["entropy"] < MIN_ENTROPY:
            notes.append(f"Bij {k} groepen is de indeling niet duidelijk genoeg "
                         f"(entropie {row['entropy']:.2f}, nodig {MIN_ENTROPY}).")
        else:
            if progress:
                progress((k_max + 1) / (k_max + 2), f"Stabiliteit van {k} groepen")
            stab = float(lca_bootstrap_stability(arr, models[k].labels_, k, n_boot=n_boot,
                                                 random_state=random_state).min())
            table.loc[k - 1, "stability"] = stab
            if stab >= MIN_STABILITY:
                notes.append(f"Gekozen: {k} groepen. Elke groep is groot genoeg, de indeling is "
                             f"duidelijk (entropie {row['entropy']:.2f}) en stabiel "
                             f"(Jaccard {stab:.2f} bij {n_boot} steekproeven).")
                break
            notes.append(f"Bij {k} groepen zijn de groepen niet stabiel "
                         f"(Jaccard {stab:.2f}, nodig {MIN_STABILITY}).")
        k -= 1
    if k == 1:
        table.loc[0, "stability"] = 1.0
        notes.append("Gekozen: 1 groep. De antwoorden laten geen duidelijke profielen zien.")
    if progress:
        progress(1.0, "Klaar")
    return Selection(k=k, model=models[k], table=table, reason=" ".join(notes))
