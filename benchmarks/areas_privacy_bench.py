"""Small-cell protection of reach per buurt: its cost next to compute_areas, and how much it hides.

    .venv/bin/python benchmarks/areas_privacy_bench.py [--gemeente GM0014] [--rate 0.01 0.05]

The buurten of a gemeente from the shared KWB file with the seeded synthetic response of
benchmarks/areas_bench.py (`rate` × eligible residents per buurt). Times
engagement.areas.compute_areas and reports.charts_areas.protect_areas (the protection
every areas output goes through) and prints their ratio, and how many buurt counts and
missed-group figures are hidden (primary: 1 to 9; secondary: complements).
Not part of the tests; prints numbers and ratios only.
"""
from __future__ import annotations

import argparse
import logging
import time

from areas_bench import CSV, synthetic_respondents

from engagement.areas import compute_areas, load_buurten
from reports.charts_areas import protect_areas


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gemeente", default="GM0014")
    parser.add_argument("--rate", type=float, nargs="+", default=[0.005, 0.02, 0.05])
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    data = load_buurten(CSV.read_bytes(), CSV.name, [args.gemeente])
    print(f"{args.gemeente}: {len(data.rows)} buurten")
    for rate in args.rate:
        respondents = synthetic_respondents(data, rate=rate, seed=0)
        start = time.perf_counter()
        result = compute_areas(respondents, data)
        computed = time.perf_counter() - start
        start = time.perf_counter()
        protected, _ = protect_areas(result)
        protecting = time.perf_counter() - start
        areas = protected.areas
        shown = sum(len(a.missing) for a in areas)
        print(f"rate {rate:.3f}: {len(respondents)} respondenten; compute_areas {computed:.2f} s, "
              f"protect_areas {protecting:.2f} s (ratio {protecting / computed:.2f}); buurten verborgen: "
              f"{sum(a.suppressed == 'primary' for a in areas)} primair, "
              f"{sum(a.suppressed == 'secondary' for a in areas)} secundair van "
              f"{sum(a.respondents > 0 for a in areas)} met respondenten; gemiste groepen: {shown} met "
              f"aantal, {sum(len(a.withheld) for a in areas)} zonder")


if __name__ == "__main__":
    main()
