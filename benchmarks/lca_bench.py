"""Benchmark: our vectorised LCA against StepMix on 2,000 × 12 five-point items.

Both fit k = 1..8 with 3 random starts on the same planted data in the same run (BLAS
single-threaded for both, so the machine's load treats them alike); the script prints
each time, the ratio, the log-likelihood per k, and the time of our full k selection
with the 20-resample bootstrap. `--quick` fits k = 1..3 only.

    .venv/bin/python benchmarks/lca_bench.py [--quick]
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from profiles.lca import LatentClassModel
from profiles.selection import select_lca
from tests.profiles_data import planted_items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="k = 1..3 only (StepMix takes ~70 s for 1..8)")
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    from stepmix import StepMix

    ks = range(1, 4 if args.quick else 9)
    X, truth = planted_items(n=2000, k=4, n_items=12, p_main=0.55, missing=0.03, seed=2024)
    codes = X - 1  # StepMix: 0-based integer categories

    ours, ours_ll = 0.0, {}
    for k in ks:
        start = time.perf_counter()
        model = LatentClassModel(k, n_init=args.starts, random_state=0).fit(X)
        ours += time.perf_counter() - start
        ours_ll[k] = model.loglik_

    theirs, their_ll = 0.0, {}
    with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
        warnings.simplefilter("ignore")
        for k in ks:
            start = time.perf_counter()
            ref = StepMix(n_components=k, measurement="categorical_nan", n_init=args.starts,
                          random_state=0, verbose=0, progress_bar=0).fit(codes)
            theirs += time.perf_counter() - start
            their_ll[k] = ref.score(codes) * len(codes)

    print(f"data: {X.shape[0]} respondents x {X.shape[1]} items, k = {ks.start}..{ks.stop - 1}, "
          f"{args.starts} starts")
    print(f"{'k':>2} {'ours loglik':>14} {'StepMix loglik':>15} {'rel. diff':>10}")
    for k in ks:
        diff = (ours_ll[k] - their_ll[k]) / abs(their_ll[k])
        print(f"{k:>2} {ours_ll[k]:>14.2f} {their_ll[k]:>15.2f} {diff:>+10.2e}")
    print(f"ours:    {ours:8.2f} s")
    print(f"StepMix: {theirs:8.2f} s")
    print(f"ratio:   {theirs / ours:8.1f}x faster")

    start = time.perf_counter()
    selection = select_lca(X, k_max=8, random_state=0)
    full = time.perf_counter() - start
    print(f"full selection (k = 1..8, 5 starts, 20-resample bootstrap): {full:.2f} s, chosen k = {selection.k}")


if __name__ == "__main__":
    main()
