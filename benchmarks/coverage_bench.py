"""Coverage of every buurt in the shared KWB file, batch against per-area, in one run.

    .venv/bin/python benchmarks/coverage_bench.py [--sample 100] [--seed 0]

Reads ../shared/data/cbs/kwb2024_85984NED_odata_first10000rows.csv (8,021 buurten),
builds the eligible population of all of them (engagement.batch.kwb_population), draws
a seeded synthetic response per buurt (about 5%, young people, corporation tenants and
people born outside Europe answer less, 65+ more, a few unknowns) and times
`batch_coverage` over all buurten (goal: load + coverage < 10 s on 2 cores). Then it
times `compute_coverage(weighting=False)` on a random sample of buurten with the same
counts as respondent rows and extrapolates that to all buurten: the ratio is the speed-up
of the batch path. Not part of the tests.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from engagement.batch import batch_coverage, kwb_population
from engagement.coverage import compute_coverage
from reference.load import load_kwb_file

CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "cbs" / \
    "kwb2024_85984NED_odata_first10000rows.csv"
SKEW = {"15-25": 0.4, "65+": 1.5, "huur_corporatie": 0.6, "buiten_europa": 0.5,
        "met_kinderen": 0.8}
AGE_OF_BAND = {"0-15": 10, "15-25": 20, "25-45": 35, "45-65": 55, "65+": 75}


def synthetic_counts(population: pd.DataFrame, *, rate: float = 0.05, seed: int = 0) -> pd.DataFrame:
    """Respondent counts per buurt × dimension × category, the same total per buurt.

    Each buurt gets n ≈ rate × eligible respondents; per dimension they are spread over
    the groups with skewed shares, and 3% of them answer "onbekend".
    """
    rng = np.random.default_rng(seed)
    pair = ["area_code", "dimension"]
    skew = population["category"].map(SKEW).fillna(1.0).to_numpy()
    weight = population["population"].to_numpy(dtype=float) * skew
    with np.errstate(divide="ignore", invalid="ignore"):  # tenure 0/0/0 %: no share
        share = weight / pd.Series(weight).groupby([population[c] for c in pair]).transform("sum").to_numpy()
    areas = population.drop_duplicates("area_code")
    total = rng.poisson(rate * areas["eligible_population"].to_numpy(dtype=float))
    n = population["area_code"].map(dict(zip(areas["area_code"], total))).to_numpy(dtype=float)
    known = rng.binomial(n.astype(int), 0.97).astype(float)
    counts = population[["area_code", "dimension", "category"]].assign(
        respondents=np.floor(np.nan_to_num(share) * known))
    # rounding down leaves a few per dimension: they become unknown, so every dimension
    # of a buurt describes the same n respondents
    given = counts.groupby(pair, sort=False)["respondents"].sum().rename("given")
    groups = population.drop_duplicates(pair)[pair].assign(
        total=population.drop_duplicates(pair)["area_code"].map(dict(zip(areas["area_code"], total))))
    groups = groups.merge(given, left_on=pair, right_index=True)
    unknown = groups.assign(category="onbekend", respondents=groups["total"] - groups["given"])
    return pd.concat([counts, unknown[counts.columns]], ignore_index=True)


def respondents_from(counts: pd.DataFrame) -> pd.DataFrame:
    """Respondent rows for one buurt with these counts (one column per dimension)."""
    columns: dict[str, list] = {}
    for dim, part in counts.groupby("dimension", sort=False):
        values: list = []
        for category, count in zip(part["category"], part["respondents"]):
            value = None if category == "onbekend" else category
            if dim == "age" and value is not None:
                value = AGE_OF_BAND[value]
            values += [value] * int(count)
        columns[dim] = values
    frame = pd.DataFrame(columns)
    frame["age"] = pd.to_numeric(frame["age"], errors="coerce")
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    data = CSV.read_bytes()

    start = time.perf_counter()
    population = kwb_population(data, CSV.name)
    loaded = time.perf_counter()
    counts = synthetic_counts(population, seed=args.seed)
    drawn = time.perf_counter()
    table = batch_coverage(counts, population)
    done = time.perf_counter()
    areas = table["area_code"].nunique()
    batch_time = done - drawn
    respondents = counts.groupby(["area_code", "dimension"])["respondents"].sum().groupby(level=0).max()
    print(f"buurten in file: 8021; with adults: {population['area_code'].nunique()}; "
          f"with coverage: {areas} ({len(table):,} rows; {int(respondents.sum()):,} respondents)")
    print(f"population table (read + build): {loaded - start:6.2f} s")
    print(f"synthetic counts:                {drawn - loaded:6.2f} s")
    print(f"batch_coverage, all buurten:     {batch_time:6.2f} s  "
          f"({batch_time / areas * 1e6:.0f} µs per buurt, {areas / batch_time:,.0f} buurten/s)")
    print(f"total load + counts + coverage:  {done - start:6.2f} s  (goal < 10 s)")

    codes = pd.Series(table["area_code"].unique()).sample(args.sample, random_state=args.seed)
    cases = []
    for code in codes:
        reference = load_kwb_file(data, CSV.name, areas=[code])
        cases.append((respondents_from(counts[counts["area_code"] == code]), reference))
    compute_coverage(*cases[0], weighting=False)  # warm imports and caches
    tick = time.perf_counter()
    for respondents, reference in cases:
        compute_coverage(respondents, reference, weighting=False)
    per_area = (time.perf_counter() - tick) / len(cases)
    tick = time.perf_counter()
    sample_table = batch_coverage(counts[counts["area_code"].isin(codes)],
                                  population[population["area_code"].isin(codes)],
                                  monte_carlo=True)
    sample_mc = time.perf_counter() - tick
    extrapolated = per_area * areas
    print(f"compute_coverage per buurt ({len(cases)} sampled, Monte-Carlo where needed): "
          f"{per_area * 1e3:.1f} ms → all {areas} buurten ≈ {extrapolated:.0f} s")
    print(f"batch_coverage on the same {len(cases)} buurten with monte_carlo=True: "
          f"{sample_mc:.2f} s ({sample_table['monte_carlo'].mean():.0%} of rows simulated)")
    print(f"ratio per-buurt / batch (all buurten): {extrapolated / batch_time:,.0f}×")
    print(f"ratio with Monte-Carlo on both sides ({len(cases)} buurten): "
          f"{per_area * len(cases) / sample_mc:.1f}×")


if __name__ == "__main__":
    main()
