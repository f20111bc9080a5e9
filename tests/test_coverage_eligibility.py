"""One eligibility rule: excluded rows and respondents under min_age leave n and every dimension."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from engagement.cells import cells_result
from engagement.coverage import compute_coverage, describe_coverage, eligible_respondents, exclusion_reasons
from engagement.progress import cumulative_coverage
from reference.model import BuurtReference


def reference(min_age: int = 18) -> BuurtReference:
    return BuurtReference(areas=(("BU0000XX01", "Proef"),), year=2024, table="t", population=4000,
                          eligible_population=3500, min_age=min_age,
                          dimensions={"age": {"15-25": 350, "25-45": 1300, "45-65": 1200, "65+": 650},
                                      "gender": {"man": 1750, "vrouw": 1750}})


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "respondent_id": list(range(10)),
        "age": [30, 40, 50, 70, 16, np.nan, np.nan, 35, 45, 20],
        "age_low": [np.nan] * 5 + [12, 16] + [np.nan] * 3,
        "age_high": [np.nan] * 5 + [18, 20] + [np.nan] * 3,  # half-open: [12, 18) and [16, 20)
        "gender": ["man", "vrouw", "man", "vrouw", "man", "vrouw", "man", "man", None, "vrouw"],
        "excluded": ["", "", "", "", "", "", "", "test", "non_resident", None],
        "responded_at": pd.date_range("2026-01-05", periods=10, freq="D"),
    })


def test_reasons_per_row() -> None:
    reasons = exclusion_reasons(frame(), 18).tolist()
    # 16 years old and the band [12, 18) are under 18; the band [16, 20) straddles 18 and counts
    assert reasons == ["", "", "", "", "under_min_age", "under_min_age", "", "test", "non_resident", ""]
    assert exclusion_reasons(frame().drop(columns="excluded"), 0).tolist() == [""] * 10


def test_excluded_rows_leave_n_and_every_dimension() -> None:
    result = compute_coverage(frame(), reference())
    assert result.respondents == 6
    assert result.excluded == {"under_min_age": 2, "test": 1, "non_resident": 1}
    gender = result.dimension("gender")
    assert sum(c.respondents for c in gender.categories) + gender.unknown == 6
    age = result.dimension("age")
    assert sum(c.respondents for c in age.categories) + age.unknown == pytest.approx(6)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["excluded"] == {"under_min_age": 2, "test": 1, "non_resident": 1}
    assert "Niet meegeteld: 2 jonger dan 18 jaar, 1 testinvoer, 1 woont niet in de buurt." \
        in describe_coverage(result)


def test_stored_under_min_age_is_recomputed() -> None:
    stored = frame().assign(excluded=["", "under_min_age", "", "", "under_min_age", "", "", "", "", ""])
    # row 1 (age 40) was marked under an older, higher min_age; row 4 (age 16) still is
    assert exclusion_reasons(stored, 18).tolist()[:5] == ["", "", "", "", "under_min_age"]
    assert exclusion_reasons(stored, 16).tolist()[4] == ""


def test_kept_frame_and_counts() -> None:
    kept, counts = eligible_respondents(frame(), 18)
    assert kept["respondent_id"].tolist() == [0, 1, 2, 3, 6, 9]
    assert counts == {"under_min_age": 2, "test": 1, "non_resident": 1}


def test_cells_and_progress_use_the_same_rule() -> None:
    cells = cells_result(frame(), reference(), "age", "gender")
    assert cells.respondents == pytest.approx(6)  # all six have age and gender
    progress = cumulative_coverage(frame(), reference())
    last = progress[progress["period_end"] == progress["period_end"].max()]
    gender = last[last["dimension"] == "gender"]
    assert gender["n"].sum() == 6


def test_a_probability_sample_is_the_yardstick_not_the_heard() -> None:
    """Rows imported with the channel 'steekproef' (a Burgerpeiling) feed the profile
    reference but are not counted as people the team spoke to."""
    rows = frame().assign(excluded="", channel="online")
    rows.loc[[0, 1], "channel"] = "steekproef"
    reasons = exclusion_reasons(rows, 18)
    assert reasons.iloc[0] == reasons.iloc[1] == "probability_sample"
    result = compute_coverage(rows, reference())
    plain = compute_coverage(rows.drop(index=[0, 1]), reference())
    assert result.respondents == plain.respondents
    assert result.excluded.get("probability_sample") == 2
    assert "2 steekproef" in describe_coverage(result)


def test_the_text_writes_dutch_decimals() -> None:
    rows = frame().assign(excluded="")
    text = describe_coverage(compute_coverage(rows, reference()))
    assert "Spreiding in bereik (CV): 0," in text and "(CV): 0." not in text
