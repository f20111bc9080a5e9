"""Choosing the number of latent classes without losing the rare group.

The group a participation team most needs to see (withdrawn, distrustful, under-reached)
is, by construction, the smallest class among the respondents. So the rule never drops a
class only for being small:

1. Fit k = 1..k_max. Start at the lowest BIC, or at the lowest sample-size adjusted BIC
   (SABIC, Sclove 1987) when that is a larger k. BIC's penalty (ln n per parameter) is
   known to under-extract latent classes at the sample sizes of a buurt (Yang 2006;
   Nylund, Asparouhov & Muthén 2007), and the class it merges first is the small one;
   SABIC's lighter penalty lets the rare class in, and step 2 guards against a split
   that is not real.
2. Step down only when that k cannot be shown or is not reproducible:
   - a class holds fewer than `min_class_size(n)` = max(10, ⌈2% · n⌉) people. Ten is the
     small-cell limit of the reports (a smaller profile could never be shown); 2% keeps
     the floor relative to n, so a 10% class in 300 people (30) and a 5.5% class pass.
   - the partition is not reproducible under bootstrap resampling: the size-weighted mean
     best-match Jaccard is below 0.6, or two or more classes dissolve (Jaccard < 0.5;
     an arbitrary split shows as two classes that swap members). Hennig's clusterboot
     thresholds. Above the BIC's own choice (where only SABIC asks for more classes) no
     class may dissolve unless it is small: a large class that does not come back is an
     arbitrary split, while a small one may be the rare group (kept and flagged).
3. A kept class that is small (< 5% or < 30 people) or unstable on its own (Jaccard < 0.6)
   stays and is marked "klein, onzeker" on its card (see `class_notes`).

Relative entropy is reported, never used to drop a class: it measures how sharp the
whole split is, and a rare but distinct group lowers it little.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from profiles.lca import (
    SCREEN_ITER,
    LatentClassModel,
    _as_array,
    _posterior,
    encode,
    learn_categories,
    log_joint,
    run_em,
)
from profiles.wording import num_nl, pct_nl, pct_pair, people_nl

logger = logging.getLogger(__name__)

MIN_SIZE_FLOOR = 10  # small-cell limit: a profile of fewer people is never shown
MIN_SHARE_FLOOR = 0.02
SMALL_SHARE = 0.05  # below this (or SMALL_SIZE): kept, marked "klein, onzeker"
SMALL_SIZE = 30
STABLE_CLASS = 0.6  # per-class bootstrap Jaccard below this: kept, marked "onzeker"
MIN_PARTITION_STABILITY = 0.6  # size-weighted mean Jaccard of the whole split
DISSOLVED = 0.5
PEOPLE_PER_CLASS = 15  # k_max = n // 15: fitting more classes than that is never useful
MIN_ENTROPY = 0.6  # below: the note says the split is not sharp (no effect on k)
MIN_SIZE = SMALL_SIZE  # kept for callers of the old name
UNCERTAIN = "klein, onzeker"


def min_class_size(n: int) -> int:
    """The smallest class that can be shown: max(10, ⌈2% of n⌉)."""
    return max(MIN_SIZE_FLOOR, math.ceil(MIN_SHARE_FLOOR * n))


def max_classes(n: int, k_max: int = 8) -> int:
    """How many classes n respondents can carry (at least 1)."""
    return max(1, min(k_max, n // PEOPLE_PER_CLASS))


@dataclass(frozen=True)
class Selection:
    """The chosen k, its fitted model, the table of all k, the Dutch reason and, per class
    of the chosen model, its bootstrap stability (mean best-match Jaccard)."""

    k: int
    model: object
    table: pd.DataFrame  # k, loglik, bic, entropy, smallest_share, smallest_size, stability, …
    reason: str
    class_stability: np.ndarray = field(default_factory=lambda: np.ones(1))


def best_match_jaccard(reference: np.ndarray, other: np.ndarray, k_ref: int, k_other: int) -> np.ndarray:
    """For each reference class: the highest Jaccard overlap with any class of `other`."""
    table = np.zeros((k_ref, k_other))
    np.add.at(table, (reference, other), 1)
    union = table.sum(axis=1, keepdims=True) + table.sum(axis=0, keepdims=True) - table
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = np.where(union > 0, table / np.where(union > 0, union, 1), 0.0)
    return jac.max(axis=1)


def lca_bootstrap_stability(X, labels: np.ndarray, k: int, *, n_boot: int = 20, n_init: int = 5,
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


def partition_stable(stability: np.ndarray, sizes: np.ndarray, *, strict: bool = False) -> tuple[bool, float]:
    """(reproducible?, size-weighted mean Jaccard): the rule of step 2 above. `strict`
    (beyond the BIC's own choice) allows no class that dissolves unless it is small."""
    weighted = float(np.average(stability, weights=np.maximum(sizes, 1)))
    dissolved = stability < DISSOLVED
    if strict:
        small = (sizes < SMALL_SIZE) | (sizes < SMALL_SHARE * max(sizes.sum(), 1))
        if (dissolved & ~small).any():
            return False, weighted
    return weighted >= MIN_PARTITION_STABILITY and int(dissolved.sum()) < 2, weighted


def class_notes(sizes: np.ndarray, stability: np.ndarray | None, n: int) -> list[str]:
    """Per class: "" or a Dutch sentence why it is marked klein, onzeker."""
    notes = []
    for i, size in enumerate(sizes):
        share = size / n if n else 0.0
        parts = []
        if share < SMALL_SHARE or size < SMALL_SIZE:
            parts.append(f"een kleine groep ({people_nl(int(size))}, {pct_nl(share, decimals=1)} van de "
                         "respondenten), dus wie er precies bij hoort is minder zeker")
        if stability is not None and i < len(stability) and stability[i] < STABLE_CLASS:
            parts.append(f"bij opnieuw trekken van de respondenten komt de groep maar deels terug "
                         f"(stabiliteit {num_nl(float(stability[i]))}; stabiel vanaf "
                         f"{num_nl(STABLE_CLASS)})")
        notes.append(("Klein, onzeker: " + "; ".join(parts) + ". De groep is wel getoond, omdat "
                      "juist een kleine groep de mensen kan zijn die u nog mist.") if parts else "")
    return notes


def _instability(stability: np.ndarray, sizes: np.ndarray, weighted: float, *, strict: bool) -> str:
    """Why a split is not reproducible, in Dutch, with the numbers that decided it."""
    reasons = []
    if weighted < MIN_PARTITION_STABILITY:
        reasons.append(f"gemiddelde stabiliteit {num_nl(weighted)}, nodig {num_nl(MIN_PARTITION_STABILITY)}")
    dissolved = stability < DISSOLVED
    if dissolved.sum() >= 2:
        reasons.append(f"{int(dissolved.sum())} groepen vallen uiteen (stabiliteit onder {num_nl(DISSOLVED)})")
    elif strict and dissolved.any():
        i = int(np.flatnonzero(dissolved)[0])
        reasons.append(f"een groep van {people_nl(int(sizes[i]))} valt uiteen (stabiliteit "
                       f"{num_nl(float(stability[i]))}, onder {num_nl(DISSOLVED)}); meer groepen dan de BIC "
                       "kiest, mag alleen als elke grote groep terugkomt")
    return "; ".join(reasons)


def _smallest(labels: np.ndarray, k: int) -> tuple[float, int]:
    sizes = np.bincount(labels, minlength=k)
    return float(sizes.min() / len(labels)), int(sizes.min())


def select_lca(X, *, k_max: int = 8, n_init: int = 20, n_boot: int = 20, random_state: int | None = 0,
               progress: Callable[[float, str], None] | None = None) -> Selection:
    """Fit k = 1..k_max, take the lowest BIC, step down only while a class is below the
    floor `min_class_size(n)` or the split is not reproducible (see the module text)."""
    arr = _as_array(X)
    n = arr.shape[0]
    floor = min_class_size(n)
    k_max = max_classes(n, k_max)
    models: dict[int, LatentClassModel] = {}
    rows = []
    for k in range(1, k_max + 1):
        if progress:
            progress(k / (k_max + 2), f"Model met {k} groepen")
        model = LatentClassModel(k, n_init=n_init, random_state=random_state).fit(arr)
        models[k] = model
        share, size = _smallest(model.labels_, k)
        sabic = -2 * model.loglik_ + model.n_parameters_ * np.log((n + 2) / 24)
        rows.append({"k": k, "loglik": model.loglik_, "bic": model.bic_, "entropy": model.entropy_,
                     "smallest_share": share, "smallest_size": size, "stability": np.nan,
                     "sabic": sabic, "stability_mean": np.nan, "chosen": False, "note": ""})
    table = pd.DataFrame(rows)
    best = int(table.loc[table["bic"].idxmin(), "k"])
    best_sabic = int(table.loc[table["sabic"].idxmin(), "k"])
    start = max(best, best_sabic)
    for k in range(start + 1, k_max + 1):
        table.loc[k - 1, "note"] = (f"Hogere BIC dan bij {best} en hogere SABIC dan bij {best_sabic} "
                                    f"{'groep' if best_sabic == 1 else 'groepen'}.")
    notes = [f"De BIC is het laagst bij {best} {'groep' if best == 1 else 'groepen'}."]
    if best_sabic > best:
        notes.append(f"De BIC voor kleine steekproeven (SABIC) is het laagst bij {best_sabic} groepen; "
                     f"we beginnen daar, zodat een kleine groep niet wordt samengevoegd als hij stabiel is.")
    k = start
    stability = np.ones(1)
    while k > 1:
        row = table.loc[k - 1]
        if row["smallest_size"] < floor:
            share_text, need = pct_pair(row["smallest_share"], floor / n)
            note = (f"Bij {k} groepen heeft de kleinste groep {people_nl(int(row['smallest_size']))} "
                    f"({share_text}); een profiel heeft er minstens {floor} nodig ({need} van {n}) "
                    "om getoond te mogen worden.")
            notes.append(note)
            table.loc[k - 1, "note"] = note
            k -= 1
            continue
        if progress:
            progress((k_max + 1) / (k_max + 2), f"Stabiliteit van {k} groepen")
        per_class = lca_bootstrap_stability(arr, models[k].labels_, k, n_boot=n_boot, random_state=random_state)
        sizes = np.bincount(models[k].labels_, minlength=k)
        ok, weighted = partition_stable(per_class, sizes, strict=k > best)
        table.loc[k - 1, "stability"] = float(per_class.min())
        table.loc[k - 1, "stability_mean"] = weighted
        if ok:
            stability = per_class
            sharp = "" if row["entropy"] >= MIN_ENTROPY else (
                f" De indeling is niet scherp (entropie {num_nl(row['entropy'])}, scherp vanaf "
                f"{num_nl(MIN_ENTROPY)}): lees de profielen als richting, niet als vaste groepen.")
            note = (f"Gekozen: {k} groepen. De indeling komt terug bij {n_boot} keer opnieuw trekken "
                    f"(gemiddelde stabiliteit {num_nl(weighted)}; nodig {num_nl(MIN_PARTITION_STABILITY)})."
                    + sharp)
            notes.append(note)
            table.loc[k - 1, "note"] = note
            break
        note = f"Bij {k} groepen komt de indeling niet goed terug bij opnieuw trekken: " + \
            _instability(per_class, sizes, weighted, strict=k > best) + "."
        notes.append(note)
        table.loc[k - 1, "note"] = note
        k -= 1
    if k == 1:
        table.loc[0, ["stability", "stability_mean"]] = 1.0
        note = "Gekozen: 1 groep. De antwoorden laten geen duidelijke profielen zien."
        notes.append(note)
        table.loc[0, "note"] = note
    table.loc[k - 1, "chosen"] = True
    for j in range(1, k):
        if not table.loc[j - 1, "note"]:
            table.loc[j - 1, "note"] = f"Minder groepen dan gekozen: hogere BIC dan bij {k} groepen." \
                if table.loc[j - 1, "bic"] > table.loc[k - 1, "bic"] else "Minder groepen dan gekozen."
    if progress:
        progress(1.0, "Klaar")
    return Selection(k=k, model=models[k], table=table, reason=" ".join(notes), class_stability=stability)
