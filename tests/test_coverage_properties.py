"""Properties of the coverage table that must hold for any buurt and any sample."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from engagement.coverage import compute_coverage, dimension_coverage
from engagement.weighting import rake_weights
from reference.model import BuurtReference

populations = st.lists(st.integers(min_value=5, max_value=5000), min_size=2, max_size=6)


@st.composite
def buurt_and_sample(draw):
    population = draw(populations)
    counts = draw(st.lists(st.integers(min_value=0, max_value=300), min_size=len(population),
                           max_size=len(population)))
    cats = [f"g{i}" for i in range(len(population))]
    return dict(zip(cats, map(float, population))), dict(zip(cats, map(float, counts)))


def table(population, counts, unknown=0.0):
    return dimension_coverage("groep", counts, unknown, population, simulate=False)


@settings(max_examples=150, deadline=None)
@given(buurt_and_sample(), st.integers(min_value=0, max_value=50))
def test_table_invariants(case, unknown) -> None:
    population, counts = case
    result = table(population, counts, float(unknown))
    cats = result.categories
    n = sum(counts.values())
    assert abs(sum(c.population_share for c in cats) - 1) < 1e-12
    assert all(c.to_reach >= 0 for c in cats)
    assert all(c.ci_low - 1e-12 <= c.respondent_share <= c.ci_high + 1e-12 for c in cats)
    assert all(c.unknown_low <= c.respondent_share * n / (n + unknown) + 1e-12 <= c.unknown_high + 2e-12
               for c in cats if n + unknown > 0)
    if n > 0:
        assert abs(sum(c.population_share * c.ratio for c in cats) - 1) < 1e-9
        assert abs(sum(c.respondent_share for c in cats) - 1) < 1e-9
        mean_rate = n / sum(population.values())
        for c in cats:  # ratio = rate / mean rate
            assert abs(c.ratio - (c.respondents / c.population) / mean_rate) < 1e-9 * max(1, c.ratio)
        assert result.cv >= 0 and 0 <= result.min_max_ratio <= 1 and result.r_indicator <= 1
        assert sum(c.to_reach for c in cats) <= len(cats) + sum(
            max(0.0, c.population_share * n - c.respondents) for c in cats)


@settings(max_examples=150, deadline=None)
@given(buurt_and_sample(), st.data())
def test_adding_a_respondent_of_a_group_never_raises_its_to_reach(case, data) -> None:
    population, counts = case
    group = data.draw(st.sampled_from(sorted(population)))
    before = {c.category: c.to_reach for c in table(population, counts).categories}
    more = dict(counts)
    more[group] += 1
    after = {c.category: c.to_reach for c in table(population, more).categories}
    assert after[group] <= before[group]


@settings(max_examples=40, deadline=None)
@given(buurt_and_sample())
def test_raking_hits_the_shares_of_every_reached_group(case) -> None:
    population, counts = case
    labels = [cat for cat, k in counts.items() for _ in range(int(k))]
    frame = pd.DataFrame({"groep": labels})
    reference = BuurtReference(areas=(), year=None, table="t", population=None,
                               eligible_population=None, min_age=0, dimensions={"groep": population})
    result = rake_weights(frame, reference, trim=None)
    reached = [c for c in population if counts[c] > 0]
    if len(reached) < 2:
        assert np.allclose(result.weights, 1.0)
        return
    total = sum(population[c] for c in reached)
    shares = result.weights.groupby(frame["groep"]).sum() / result.weights.sum()
    for c in reached:
        assert abs(shares[c] - population[c] / total) < 1e-9


def test_compute_coverage_on_random_frames_is_stable() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"age": rng.integers(10, 95, 500),
                          "gender": rng.choice(["man", "vrouw", None], 500)})
    reference = BuurtReference(areas=(), year=None, table="t", population=None, eligible_population=None,
                               min_age=18, dimensions={"age": {"15-25": 420, "25-45": 1300, "45-65": 1200,
                                                               "65+": 900},
                                                       "gender": {"man": 1900, "vrouw": 1920}})
    first = compute_coverage(frame, reference).to_dict()
    assert first == compute_coverage(frame, reference).to_dict()
    # the eligibility rule: respondents under min_age 18 are removed before n (not only from age)
    young = int((frame["age"] < 18).sum())
    assert first["respondents"] == 500 - young and first["excluded"] == {"under_min_age": young}
    gender = next(d for d in first["dimensions"] if d["dimension"] == "gender")
    assert sum(c["respondents"] for c in gender["categories"]) + gender["unknown"] == 500 - young
