"""The worked example of DESIGN.md and the reference libraries behind each formula."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sp
from statsmodels.stats.proportion import proportion_confint

from engagement import stats
from engagement.coverage import compute_coverage, describe_coverage, summary_sentence
from reference.model import BuurtReference

POPULATION = {"15-25": 600, "25-45": 1300, "45-65": 1200, "65+": 900}
COUNTS = [8, 38, 62, 52]


def worked_reference(**extra) -> BuurtReference:
    dims = {"age": dict(POPULATION)} | extra.pop("dimensions", {})
    return BuurtReference(areas=(("BU0000XX01", "Voorbeeldbuurt"),), year=2024, table="test",
                          population=4000, eligible_population=4000, min_age=15,
                          dimensions=dims, **extra)


def worked_respondents() -> pd.DataFrame:
    ages = [20] * 8 + [30] * 38 + [50] * 62 + [70] * 52
    return pd.DataFrame({"respondent_id": range(len(ages)), "age": ages})


@pytest.fixture(scope="module")
def worked():
    return compute_coverage(worked_respondents(), worked_reference())


def test_worked_example_matches_design(worked) -> None:
    age = worked.dimension("age")
    assert [round(c.ratio, 3) for c in age.categories] == [0.333, 0.731, 1.292, 1.444]
    assert round(age.chi2, 2) == 25.63 and age.df == 3
    assert age.p_value < 0.001 and not age.monte_carlo
    assert round(age.cv, 3) == 0.400
    assert round(age.r_indicator, 3) == 0.968
    assert round(age.min_max_ratio, 3) == 0.231
    assert [c.to_reach for c in age.categories] == [16, 14, 0, 0]
    assert [c.flag for c in age.categories] == ["under", "under", "over", "over"]
    assert [c.expected for c in age.categories] == pytest.approx([24, 52, 48, 36])
    assert worked.respondents == 160 and age.unknown == 0


def test_worked_example_wilson_intervals_of_research_note(worked) -> None:
    # the research note's intervals are without finite-population correction
    low, high = stats.wilson(np.array(COUNTS, dtype=float), 160)
    assert [round(v, 3) for v in low] == [0.026, 0.178, 0.315, 0.257]
    assert [round(v, 3) for v in high] == [0.096, 0.309, 0.465, 0.401]
    # coverage uses the FPC of a buurt of 4,000: z² × (4000 − 160)/(4000 − 1), by hand for 8/160
    z2 = 1.959963984540054 ** 2 * 3840 / 3999
    s, n = 8 / 160, 160
    centre = (s + z2 / (2 * n)) / (1 + z2 / n)
    half = np.sqrt(z2) * np.sqrt(s * (1 - s) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    young = worked.dimension("age").categories[0]
    assert (young.ci_low, young.ci_high) == pytest.approx((centre - half, centre + half), abs=1e-12)
    assert worked.dimension("age").fpc == pytest.approx(3840 / 3999)
    lows = [round(c.ci_low, 3) for c in worked.dimension("age").categories]
    highs = [round(c.ci_high, 3) for c in worked.dimension("age").categories]
    assert lows == [0.026, 0.179, 0.317, 0.259]  # narrower than without FPC
    assert highs == [0.094, 0.308, 0.463, 0.399]


def test_worked_example_holm_keeps_all_four_flags_significant(worked) -> None:
    """Score-test p-values (what the Wilson interval inverts), Holm over the 4 flagged groups."""
    fpc = 3840 / 3999
    raw = []
    for k, share in zip(COUNTS, [0.15, 0.325, 0.3, 0.225]):
        z = (k / 160 - share) / np.sqrt(share * (1 - share) * fpc / 160)
        raw.append(2 * sp.norm.sf(abs(z)))
    cats = worked.dimension("age").categories
    assert [c.p_value for c in cats] == pytest.approx(raw, rel=1e-9)
    order = np.argsort(raw)  # Holm: (4, 3, 2, 1) × sorted p, then running maximum
    holm = np.maximum.accumulate([min(1, (4 - i) * raw[j]) for i, j in enumerate(order)])
    expected = np.empty(4)
    expected[order] = holm
    assert [c.p_adjusted for c in cats] == pytest.approx(expected, rel=1e-9)
    assert max(c.p_adjusted for c in cats) < 0.05 and all(c.significant for c in cats)


def test_worked_example_post_stratification_design_effect(worked) -> None:
    assert worked.weighting["deff"] == pytest.approx(1.283, abs=5e-4)
    assert worked.weighting["ess"] == pytest.approx(124.7, abs=0.05)


def test_worked_example_labels_and_sentence(worked) -> None:
    labels = [c.label for c in worked.dimension("age").categories]
    assert labels == ["duidelijk ondervertegenwoordigd", "duidelijk ondervertegenwoordigd",
                      "oververtegenwoordigd", "oververtegenwoordigd"]
    assert summary_sentence(worked) == ("Jongeren van 15 tot 25 jaar en mensen van 25 tot 45 jaar "
                                        "zijn duidelijk ondervertegenwoordigd.")
    text = describe_coverage(worked)
    assert "nog 16 te spreken" in text and "nog 14 te spreken" in text


def test_wilson_matches_statsmodels() -> None:
    for k, n in [(0, 10), (1, 10), (8, 160), (38, 160), (160, 160), (3, 7), (517, 1021)]:
        low, high = stats.wilson(np.array([k]), n)
        ref_low, ref_high = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert abs(low[0] - ref_low) < 1e-10 and abs(high[0] - ref_high) < 1e-10


def test_chi2_matches_scipy() -> None:
    obs = np.array(COUNTS, dtype=float)
    p = np.array(list(POPULATION.values())) / 4000
    chi2, df, pval = stats.chi2_gof(obs, p)
    ref = sp.chisquare(obs, obs.sum() * p)
    assert abs(chi2 - ref.statistic) < 1e-10 and abs(pval - ref.pvalue) < 1e-10 and df == 3


def test_monte_carlo_p_used_and_close_to_chi2_when_counts_are_small() -> None:
    respondents = pd.DataFrame({"age": [20] * 1 + [30] * 2 + [50] * 4 + [70] * 5})
    result = compute_coverage(respondents, worked_reference())
    age = result.dimension("age")
    assert age.monte_carlo
    assert any("minder dan 5" in w for w in age.warnings)
    exact = stats.chi2_gof(np.array([1, 2, 4, 5.0]), np.array([.15, .325, .3, .225]))[2]
    assert 0 < age.p_value <= 1 and abs(age.p_value - exact) < 0.1
    assert all(c.label == "te weinig gegevens" for c in age.categories if c.expected < 5)
    again = compute_coverage(respondents, worked_reference()).dimension("age").p_value
    assert again == age.p_value  # fixed seed


def test_monte_carlo_p_is_exact_for_a_two_group_case() -> None:
    # Two groups, p = (0.5, 0.5), n = 10, observed (1, 9): chi2 = 6.4. Under H0 the
    # statistic is at least 6.4 when the count is <= 1 or >= 9: P = 2·(1 + 10)/1024.
    p_value = stats.monte_carlo_p(np.array([1.0, 9.0]), np.array([0.5, 0.5]), draws=200_000)
    assert p_value == pytest.approx(22 / 1024, abs=0.002)


def test_ceil_ignores_float_noise() -> None:
    assert 0.55 * 100 != 55  # the trap: 55.00000000000001
    assert stats.ceil_count(0.55 * 100) == 55
    assert stats.ceil_count(48.0000001) == 49
