"""Two-way cells from two CBS marginals by iterative proportional fitting."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engagement.cells import cells_result, ipf, two_way_cells
from reference.model import BuurtReference

AGE = {"15-25": 600, "25-45": 1300, "45-65": 1200, "65+": 900}
GENDER = {"man": 1950, "vrouw": 2055}  # rounded CBS counts do not add up to the age total


def reference() -> BuurtReference:
    return BuurtReference(areas=(("BU1", "Test"),), year=2024, table="test", population=4000,
                          eligible_population=4000, min_age=15,
                          dimensions={"age": AGE, "gender": GENDER})


def test_ipf_from_independence_is_the_product_of_shares() -> None:
    table = ipf(np.ones((4, 2)), np.array(list(AGE.values())), np.array(list(GENDER.values())))
    expected = np.outer(list(AGE.values()), np.array(list(GENDER.values())) / 4005)
    np.testing.assert_allclose(table, expected, rtol=1e-10)


def test_ipf_with_a_seed_matches_both_marginals_and_keeps_odds_ratios() -> None:
    seed = np.array([[10.0, 30.0], [20.0, 20.0], [30.0, 10.0]])
    rows, cols = np.array([100.0, 200.0, 300.0]), np.array([250.0, 350.0])
    table = ipf(seed, rows, cols)
    np.testing.assert_allclose(table.sum(axis=1), rows, rtol=1e-9)
    np.testing.assert_allclose(table.sum(axis=0), cols, rtol=1e-9)
    # IPF keeps the seed's cross-product ratios
    odds = lambda t: (t[0, 0] * t[2, 1]) / (t[0, 1] * t[2, 0])  # noqa: E731
    assert odds(table) == pytest.approx(odds(seed), rel=1e-9)


def test_two_way_cells_counts_expected_and_marks_small_cells() -> None:
    respondents = pd.DataFrame({
        "age": [20] * 3 + [30] * 20 + [50] * 30 + [70] * 27 + [40],
        "gender": ["vrouw"] * 3 + ["man", "vrouw"] * 10 + ["man"] * 12 + ["vrouw"] * 18
                  + ["man"] * 20 + ["vrouw"] * 7 + [None],
    })
    typed = cells_result(respondents, reference(), "age", "gender")
    cells = typed.to_frame()
    assert len(cells) == 8 and typed.respondents == 80
    cell = cells.set_index(["row", "col"])
    assert cell.loc[("15-25", "vrouw"), "respondents"] == 3
    assert cell.loc[("65+", "man"), "respondents"] == 20
    share = 900 / 4000 * 1950 / 4005
    assert cell.loc[("65+", "man"), "population_share"] == pytest.approx(share, rel=1e-9)
    assert cell.loc[("65+", "man"), "expected"] == pytest.approx(80 * share, rel=1e-9)
    assert cell.loc[("65+", "man"), "ratio"] == pytest.approx((20 / 80) / share, rel=1e-9)
    assert cells["shown"].all()  # smallest expected: 80 · 0.073 = 5.8
    cells = two_way_cells(respondents.iloc[:45], reference(), "age", "gender")
    small = cells[cells["expected"] < 5]
    assert len(small) > 0 and not small["shown"].any()
    assert (small["note"] == "te weinig gegevens").all()
    assert cells.loc[cells["expected"] >= 5, "shown"].all()


def test_seed_table_is_used() -> None:
    seed = pd.DataFrame({"man": [1.0, 1.0, 1.0, 1.0], "vrouw": [1.0, 1.0, 1.0, 3.0]},
                        index=list(AGE))
    cells = two_way_cells(pd.DataFrame({"age": [30], "gender": ["man"]}), reference(),
                          "age", "gender", seed=seed).set_index(["row", "col"])
    assert cells.loc[("65+", "vrouw"), "population"] > cells.loc[("65+", "man"), "population"]
    assert cells["population"].groupby(level="row").sum()["65+"] == pytest.approx(900)


def test_dimension_missing_from_the_reference_gives_an_empty_table_with_a_note() -> None:
    cells = cells_result(pd.DataFrame({"age": [30]}), reference(), "age", "household")
    assert cells.empty and cells.to_frame().empty and "geen huishouden" in cells.warnings[0]


def test_the_typed_result_holds_independence_and_warnings_and_round_trips() -> None:
    import json

    from engagement.model import CellsResult

    respondents = pd.DataFrame({"age": [20, 30, 50, 70] * 10, "gender": ["man", "vrouw"] * 20})
    result = cells_result(respondents, reference(), "age", "gender")
    assert result.independence and result.respondents == 40 and "los van elkaar" in result.warnings[0]
    frame = result.to_frame()
    assert frame.attrs == {}  # the side data stays on the result, never on the table
    pd.testing.assert_frame_equal(frame, two_way_cells(respondents, reference(), "age", "gender"),
                                  check_exact=True)
    again = CellsResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result
    missing = cells_result(respondents, reference(), "age", "tenure")
    assert missing.empty and "geen woning" in missing.warnings[0].lower()
    assert missing.to_frame().empty and missing.to_frame().attrs == {}
