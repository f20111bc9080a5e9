"""Uncertainty that fits the decision: FPC, Holm, unknowns ("onzeker"), partial R, honest cells."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from engagement import stats
from engagement.cells import INDEPENDENCE, cells_result
from engagement.coverage import UNKNOWN_THRESHOLD, compute_coverage, summary_sentence
from reference.model import BuurtReference

HOUSEHOLD = {"eenpersoons": 1000, "paar_zonder_kinderen": 800, "met_kinderen": 2200}


def reference(**dims) -> BuurtReference:
    return BuurtReference(areas=(("BU1", "Proef"),), year=2024, table="t", population=4000,
                          eligible_population=4000, min_age=18, dimensions=dims)


def test_fpc_narrows_the_interval_in_a_small_buurt() -> None:
    wide = stats.wilson(np.array([30.0]), 150)
    narrow = stats.wilson(np.array([30.0]), 150, population=300)
    assert narrow[0][0] > wide[0][0] and narrow[1][0] < wide[1][0]
    assert stats.fpc(150, 300) == pytest.approx(150 / 299)
    assert stats.fpc(150, 100) == 1.0  # shares typed as percentages: no correction
    assert stats.fpc(150, None) == 1.0


def test_holm_matches_statsmodels() -> None:
    from statsmodels.stats.multitest import multipletests

    p = np.array([0.01, 0.04, 0.03, 0.005, 0.5, 0.04])
    assert stats.holm(p) == pytest.approx(multipletests(p, method="holm")[1])


def test_score_test_agrees_with_the_wilson_interval() -> None:
    for k, n, share, population in [(8, 160, 0.15, 4000), (30, 130, 0.31, 3800), (14, 40, 0.5, None)]:
        low, high = stats.wilson(np.array([float(k)]), n, population=population)
        p = stats.score_p_values(np.array([float(k)]), n, np.array([share]), population=population)
        assert (p[0] < 0.05) == bool(share < low[0] or share > high[0])


def test_dimension_with_many_unknowns_is_onzeker() -> None:
    # 45 of 100 respondents answered: 10 alone, 15 without children, 20 with children
    frame = pd.DataFrame({"household": ["eenpersoons"] * 10 + ["paar_zonder_kinderen"] * 15
                          + ["met_kinderen"] * 20 + [None] * 55})
    dim = compute_coverage(frame, reference(household=HOUSEHOLD), weighting=False).dimension("household")
    assert dim.unknown_share == pytest.approx(0.55) and dim.uncertain
    alone = dim.categories[0]
    # ratio (10/45)/0.25 = 0.89 "ok"; with children (20/45)/0.55 = 0.81 ok; without (15/45)/0.2 = 1.67 over
    assert [c.flag for c in dim.categories] == ["ok", "over", "ok"]
    over = dim.categories[1]
    # the over-flag could vanish: all 55 unknowns elsewhere → 15/100 = 0.15 < 0.2·1.25
    assert over.uncertain and over.label == "onzeker: 55% onbekend"
    # "in lijn" at 55 % unknown is no verdict either (issue 13): none of the unknowns alone →
    # 10/100 = 0.10 < 0.8·0.25; all of them alone → 65/100 > 1.25·0.25
    assert alone.uncertain and alone.label == "onzeker: 55% onbekend"
    assert not any(c.label == "in lijn" for c in dim.categories)
    assert any("55%" in w and "onzeker" in w for w in dim.warnings)
    assert UNKNOWN_THRESHOLD == 0.20


def test_under_flag_that_unknowns_could_fill_is_onzeker_and_leaves_the_headline() -> None:
    frame = pd.DataFrame({"household": ["eenpersoons"] * 30 + ["paar_zonder_kinderen"] * 20
                          + ["met_kinderen"] * 10 + [None] * 40})
    result = compute_coverage(frame, reference(household=HOUSEHOLD), weighting=False)
    with_children = result.dimension("household").categories[2]
    assert with_children.flag == "under" and with_children.uncertain
    assert with_children.label == "onzeker: 40% onbekend"
    assert summary_sentence(result) == "Bij huishouden is 40% onbekend; daar is het oordeel onzeker."


def test_few_unknowns_keep_the_plain_labels() -> None:
    frame = pd.DataFrame({"household": ["eenpersoons"] * 50 + ["paar_zonder_kinderen"] * 30
                          + ["met_kinderen"] * 10 + [None] * 10})
    dim = compute_coverage(frame, reference(household=HOUSEHOLD), weighting=False).dimension("household")
    assert not dim.uncertain and dim.categories[2].label == "duidelijk ondervertegenwoordigd"


def test_partial_r_indicators() -> None:
    frame = pd.DataFrame({"household": ["eenpersoons"] * 50 + ["paar_zonder_kinderen"] * 30
                          + ["met_kinderen"] * 20})
    dim = compute_coverage(frame, reference(household=HOUSEHOLD), weighting=False).dimension("household")
    rho = 100 / 4000
    expected = [np.sqrt(1000 / 4000) * (50 / 1000 - rho), np.sqrt(800 / 4000) * (30 / 800 - rho),
                np.sqrt(2200 / 4000) * (20 / 2200 - rho)]
    assert [c.partial_r for c in dim.categories] == pytest.approx(expected)
    # the variable-level partial indicator is the root of the sum of squares, = S(ρ) of R
    assert np.sqrt(sum(v * v for v in expected)) == pytest.approx((1 - dim.r_indicator) / 2)


def test_cells_without_a_joint_table_are_marked_and_never_flagged() -> None:
    ref = reference(age={"15-25": 600, "25-45": 1300, "45-65": 1200, "65+": 900},
                    household=HOUSEHOLD)
    frame = pd.DataFrame({"age": [70] * 40 + [30] * 40, "household": ["met_kinderen"] * 40
                          + ["eenpersoons"] * 40})
    typed = cells_result(frame, ref, "age", "household")
    cells = typed.to_frame()
    assert typed.independence and (cells["basis"] == INDEPENDENCE).all()
    assert (cells["flag"] == "").all()
    assert "los van elkaar" in typed.warnings[0]
    shown = cells[cells["shown"]]
    assert (shown["note"] == "schatting: CBS geeft alleen de losse kenmerken").all()
    seed = pd.DataFrame(1.0, index=list(ref.dimensions["age"]), columns=list(HOUSEHOLD))
    seeded_result = cells_result(frame, ref, "age", "household", seed=seed)
    assert not seeded_result.independence
    seeded = seeded_result.to_frame()
    flagged = seeded[seeded["shown"]]
    assert set(flagged["flag"]) <= {"under", "ok", "over"} and (flagged["flag"] != "").all()


def test_partial_r_standard_error_matches_a_simulation() -> None:
    population = np.array([1000.0, 800.0, 2200.0])
    rates = np.array([0.05, 0.0375, 0.0091])
    counts = population * rates
    se = stats.partial_r_se(counts, population)
    rng = np.random.default_rng(7)
    draws = rng.binomial(population.astype(int), rates, size=(20_000, 3)).astype(float)
    simulated = np.array([stats.partial_r(d, population) for d in draws]).std(axis=0)
    assert se == pytest.approx(simulated, rel=0.05)
    frame = pd.DataFrame({"household": ["eenpersoons"] * 50 + ["paar_zonder_kinderen"] * 30
                          + ["met_kinderen"] * 20})
    dim = compute_coverage(frame, reference(household=HOUSEHOLD), weighting=False).dimension("household")
    assert [c.partial_r_se for c in dim.categories] == pytest.approx(
        stats.partial_r_se(np.array([50.0, 30.0, 20.0]), population))


def test_reference_margins_can_take_away_significance() -> None:
    # a small buurt: 60 of 300 adults are 18-25 (20 %), ±10 people by rounding and the cut
    base = reference(age={"15-25": 60, "25-45": 100, "45-65": 80, "65+": 60})
    frame = pd.DataFrame({"age": [20] * 12 + [30] * 40 + [50] * 30 + [70] * 18})
    plain = compute_coverage(frame, base, weighting=False).dimension("age").categories[0]
    wide = compute_coverage(frame, replace(base, margins={"age": {"15-25": 10.0}}),
                            weighting=False).dimension("age").categories[0]
    assert plain.population_share_low == plain.population_share_high == pytest.approx(0.2)
    assert wide.population_share_low == pytest.approx(50 / 300)  # the 300 eligible stay
    assert wide.population_share_high == pytest.approx(70 / 300)
    assert wide.ci_low == plain.ci_low and wide.ratio == plain.ratio
    assert plain.significant_raw and not wide.significant_raw
    assert wide.p_value > plain.p_value


def test_a_verdict_that_flips_inside_the_reference_margin_is_onzeker() -> None:
    # 300 adults, 60 of 15-25 (20 %); 15 of 100 respondents (ratio 0.75: under). With ±15
    # persons the share lies in [45, 75] / 300 = [15 %, 25 %]: the ratio in [0.6, 1.0], so
    # the buurt figures cannot tell 'under' from 'in lijn'.
    from engagement.coverage import LABEL_REFERENCE_UNCERTAIN

    base = reference(origin={"nederland": 60, "europa": 100, "buiten_europa": 140})
    frame = pd.DataFrame({"origin": ["nederland"] * 15 + ["europa"] * 35 + ["buiten_europa"] * 50})
    plain = compute_coverage(frame, base, weighting=False)
    assert plain.dimension("origin").categories[0].flag == "under"
    assert not plain.dimension("origin").categories[0].uncertain
    margins = {"origin": {"nederland": 15.0, "europa": 3.0, "buiten_europa": 3.0}}
    wide = compute_coverage(frame, replace(base, margins=margins), weighting=False)
    cat = wide.dimension("origin").categories[0]
    assert (cat.population_share_low, cat.population_share_high) == pytest.approx((0.15, 0.25))
    assert cat.flag == "under" and cat.uncertain and cat.label == LABEL_REFERENCE_UNCERTAIN
    assert cat.status == "uncertain"
    assert [c.uncertain for c in wide.dimension("origin").categories[1:]] == [False, False]
    assert any("marge" in w and "Nederlandse herkomst" in w for w in wide.warnings), wide.warnings
    assert "buurtcijfers zijn daar niet precies genoeg" in summary_sentence(wide)
    # far below the whole range: the verdict stands ('duidelijk' stays possible)
    few = pd.DataFrame({"origin": ["nederland"] * 3 + ["europa"] * 47 + ["buiten_europa"] * 50})
    clear = compute_coverage(few, replace(base, margins=margins), weighting=False)
    assert not clear.dimension("origin").categories[0].uncertain
    assert clear.dimension("origin").categories[0].label == "duidelijk ondervertegenwoordigd"
