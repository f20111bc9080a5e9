"""Small, vectorised statistics behind the coverage table (DESIGN.md, Coverage).

Kept free of pandas and of any wording so each formula can be checked against a
reference library (statsmodels, scipy) in the tests.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

# The 97.5 % normal quantile as scipy.special.ndtri(0.975) gives it (tests/test_stats_exact.py
# checks it); a constant, because importing scipy costs the first page ~0.4 s and
# statistics.NormalDist's quantile is one unit in the last place off.
Z95 = 1.959963984540054
_SQRT_HALF = math.sqrt(0.5)
MC_DRAWS = 20_000


def fpc(n: float, population: float | None) -> float:
    """Finite-population correction (N − n)/(N − 1) of a share's variance; 1 without N.

    A buurt of 300 adults with 150 respondents leaves far less to guess than the
    infinite-population formula says. A population not larger than n (shares typed as
    percentages in a custom table) gets no correction."""
    if population is None or not np.isfinite(population) or population <= max(n, 1.0):
        return 1.0
    return float(max(0.0, (population - n) / (population - 1.0)))


def wilson(successes: np.ndarray | float, n: float, z: float = Z95,
           population: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a share; fractional counts are allowed (split age bands).

    With `population` the variance gets the finite-population correction, done as a
    smaller z (z·√fpc), which keeps the interval the inversion of the score test."""
    k = np.asarray(successes, dtype=float)
    if n <= 0:
        return np.zeros_like(k), np.ones_like(k)
    z = z * np.sqrt(fpc(n, population))
    share = k / n
    denom = 1.0 + z * z / n
    centre = (share + z * z / (2 * n)) / denom
    half = z * np.sqrt(np.clip(share * (1 - share), 0.0, None) / n + z * z / (4 * n * n)) / denom
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def reference_range(population: np.ndarray, total, margin: np.ndarray,
                    shift: np.ndarray | float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """The reference share of each group as a range [(N_k + c_k − u_k) / N, (N_k + c_k + u_k) / N]:
    a margin moves persons between the group and the rest, the eligible total N stays (the
    age bands fix it); a shift c_k (BuurtReference.margin_shift) centres the range of a
    one-sided source away from the point. `total` may be one number or one per group
    (engagement.batch)."""
    population, margin = np.asarray(population, dtype=float), np.asarray(margin, dtype=float)
    centre = population + np.asarray(shift, dtype=float)
    return (np.clip((centre - margin) / total, 0.0, 1.0),
            np.clip((centre + margin) / total, 0.0, 1.0))


def score_p_values(successes: np.ndarray, n: float, shares: np.ndarray,
                   population: float | None = None) -> np.ndarray:
    """Two-sided score-test p-values of s_k = p_k (the test the Wilson interval inverts)."""
    k = np.asarray(successes, dtype=float)
    p = np.asarray(shares, dtype=float)
    if n <= 0:
        return np.ones_like(k)
    se = np.sqrt(p * (1 - p) * fpc(n, population) / n)
    z = np.divide(k / n - p, se, out=np.zeros_like(k), where=se > 0)
    return normal_two_sided(z)


def normal_two_sided(z: np.ndarray | float) -> np.ndarray:
    """P(|Z| ≥ |z|) for a standard normal Z: erfc(|z|/√2), the same as 2·Φ(−|z|) but
    without cancellation in the tails (agrees with scipy to 1e-12, see the tests)."""
    values = np.asarray(z, dtype=float)
    return np.array([math.erfc(abs(v) * _SQRT_HALF) for v in values.ravel()],
                    dtype=float).reshape(values.shape)


def chi2_sf(df: int, chi2: float) -> float:
    """Upper tail P(X ≥ chi2) of a chi-square with `df` (whole) degrees of freedom.

    For whole df the regularized upper gamma Q(df/2, chi2/2) is a finite sum of positive
    terms (plus erfc for odd df), so it is exact to double precision without scipy: the
    first page computes this for every kenmerk (agrees with scipy.special.chdtrc to 1e-12)."""
    if math.isnan(chi2):
        return math.nan
    if chi2 <= 0:
        return 1.0
    if math.isinf(chi2):
        return 0.0
    if df < 1 or int(df) != df:
        raise ValueError(f"chi2_sf: df must be a whole number ≥ 1, not {df!r}")
    half = chi2 / 2.0
    log_half = math.log(half)
    if df % 2:  # Q(1/2 + k, h) = erfc(√h) + Σ_{j<k} h^(j+1/2) e^(−h) / Γ(j + 3/2)
        head = math.erfc(math.sqrt(half))
        logs = [(j + 0.5) * log_half - half - math.lgamma(j + 1.5) for j in range((int(df) - 1) // 2)]
    else:  # Q(k, h) = Σ_{i<k} h^i e^(−h) / i!
        head = 0.0
        logs = [i * log_half - half - math.lgamma(i + 1.0) for i in range(int(df) // 2)]
    return min(1.0, head + math.fsum(math.exp(t) for t in logs))


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm step-down adjusted p-values (family-wise error), in the input order."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    adjusted = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adjusted
    return out


def partial_r(counts: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Unconditional partial R-indicator per category: √(N_k/N)·(ρ_k − ρ̄) (Schouten et
    al. 2011); negative = under-represented. With one variable and counts, ρ_k = n_k/N_k."""
    n_k = np.asarray(counts, dtype=float)
    big_n = np.asarray(population, dtype=float)
    rates = np.divide(n_k, big_n, out=np.zeros_like(n_k), where=big_n > 0)
    return np.sqrt(big_n / big_n.sum()) * (rates - n_k.sum() / big_n.sum())


def partial_r_se(counts: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Standard error of `partial_r` by the delta method, with every resident of group j
    answering independently with probability ρ_j (Var n_j = N_j ρ_j (1 − ρ_j)) and the
    CBS counts taken as fixed."""
    n_k = np.asarray(counts, dtype=float)
    big_n = np.asarray(population, dtype=float)
    total = big_n.sum()
    rates = np.divide(n_k, big_n, out=np.zeros_like(n_k), where=big_n > 0)
    var_n = big_n * np.clip(rates * (1 - rates), 0.0, None)  # more respondents than residents: 0
    grad = np.divide(np.eye(len(n_k)), big_n[:, None], out=np.zeros((len(n_k), len(n_k))),
                     where=big_n[:, None] > 0) - 1.0 / total  # [k, j] = d(ρ_k − ρ̄)/dn_j
    return np.sqrt(big_n / total) * np.sqrt((grad ** 2 * var_n[None, :]).sum(axis=1))


def chi2_gof(observed: np.ndarray, shares: np.ndarray) -> tuple[float, int, float]:
    """Pearson goodness of fit of the counts to n·p; returns (chi2, df, p)."""
    obs = np.asarray(observed, dtype=float)
    expected = obs.sum() * np.asarray(shares, dtype=float)
    df = len(obs) - 1
    if df < 1 or obs.sum() <= 0:
        return 0.0, max(df, 0), 1.0
    chi2 = float(np.sum((obs - expected) ** 2 / expected))
    return chi2, df, chi2_sf(df, chi2)  # = scipy's chi2.sf, without importing scipy


def monte_carlo_p(observed: np.ndarray, shares: np.ndarray, *, draws: int = MC_DRAWS,
                  seed: int = 0) -> float:
    """Simulated p-value of the chi2 statistic under the multinomial null.

    Used when an expected count is below 5 and the chi2 distribution is a poor guide.
    The (1 + hits) / (1 + draws) form never returns an impossible p of exactly 0.
    """
    obs = np.asarray(observed, dtype=float)
    p = np.asarray(shares, dtype=float)
    n = int(round(obs.sum()))
    if n <= 0 or len(obs) < 2:
        return 1.0
    expected_obs = obs.sum() * p
    stat = float(np.sum((obs - expected_obs) ** 2 / expected_obs))
    null = _null_statistics(n, tuple(np.round(p / p.sum(), 12)), draws, seed)
    hits = len(null) - int(np.searchsorted(null, stat - 1e-9, side="left"))
    return (1 + hits) / (1 + draws)


@lru_cache(maxsize=64)
def _null_statistics(n: int, shares: tuple[float, ...], draws: int, seed: int) -> np.ndarray:
    """Sorted chi2 statistics of simulated samples; cached because the dashboard, the
    per-channel and the per-week tables ask for the same buurt again and again."""
    p = np.array(shares)
    sims = np.random.default_rng(seed).multinomial(n, p / p.sum(), size=draws)
    expected = n * p / p.sum()
    stats_ = np.sum((sims - expected) ** 2 / expected, axis=1)
    stats_.sort()
    stats_.setflags(write=False)
    return stats_


def cv(shares: np.ndarray, ratios: np.ndarray) -> float:
    """Coefficient of variation of response rates: √(Σ p_k (ratio_k − 1)²)."""
    p = np.asarray(shares, dtype=float)
    r = np.asarray(ratios, dtype=float)
    return float(np.sqrt(np.sum(p * (r - 1.0) ** 2)))


def r_indicator(counts: np.ndarray, population: np.ndarray) -> float:
    """CBS R-indicator 1 − 2·√(Σ p_k (ρ_k − ρ̄)²) with ρ_k = n_k / N_k."""
    n_k = np.asarray(counts, dtype=float)
    big_n = np.asarray(population, dtype=float)
    p = big_n / big_n.sum()
    rates = n_k / big_n
    mean_rate = n_k.sum() / big_n.sum()
    return float(1.0 - 2.0 * np.sqrt(np.sum(p * (rates - mean_rate) ** 2)))


def min_max_ratio(counts: np.ndarray, population: np.ndarray) -> float:
    """Lowest response rate divided by the highest (Go Vocal's score)."""
    rates = np.asarray(counts, dtype=float) / np.asarray(population, dtype=float)
    top = rates.max() if len(rates) else 0.0
    return float(rates.min() / top) if top > 0 else 0.0


def kish(weights: np.ndarray) -> tuple[float, float]:
    """Kish design effect n·Σw²/(Σw)² and effective sample size n/deff."""
    w = np.asarray(weights, dtype=float)
    if len(w) == 0 or w.sum() <= 0:
        return 1.0, 0.0
    deff = float(len(w) * np.sum(w * w) / w.sum() ** 2)
    return deff, float(len(w) / deff)


def ceil_count(value: np.ndarray | float) -> np.ndarray:
    """Ceiling that ignores float noise: 0.3 · 160 is 48.00000000000001, which is 48."""
    return np.ceil(np.round(np.asarray(value, dtype=float), 9))
