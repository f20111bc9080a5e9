"""Fieldwork progress: cumulative coverage per week, per channel, and when targets were met."""
from __future__ import annotations

import pandas as pd
import pytest

from engagement.progress import cumulative_coverage, progress_result
from reference.model import BuurtReference

GENDER = {"man": 500, "vrouw": 500}


def reference() -> BuurtReference:
    return BuurtReference(areas=(("BU1", "Test"),), year=2024, table="test", population=1000,
                          eligible_population=1000, min_age=18, dimensions={"gender": GENDER})


def respondents() -> pd.DataFrame:
    # Week 1 (Mon 3 – Sun 9 March 2025): 10 women online. Week 2: nothing.
    # Week 3: 12 men on the street. Plus one undated paper form.
    rows = [("vrouw", "online", "2025-03-04")] * 10 + [("man", "straatgesprek", "2025-03-18")] * 12
    rows += [("man", "papier", None)]
    return pd.DataFrame(rows, columns=["gender", "channel", "responded_at"])


def test_cumulative_counts_per_week_and_channel() -> None:
    frame = cumulative_coverage(respondents(), reference())
    assert list(frame["period_end"].drop_duplicates().dt.strftime("%Y-%m-%d")) == \
        ["2025-03-09", "2025-03-16", "2025-03-23"]
    men = frame[frame["category"] == "man"].set_index(frame["period_end"].dt.strftime("%m-%d")
                                                      [frame["category"] == "man"])
    assert list(men["n"]) == [0, 0, 12]
    assert list(men["flag"]) == ["unreached", "unreached", "ok"]
    assert list(men["to_reach"]) == [5, 5, 0]
    assert list(men["n_straatgesprek"]) == [0, 0, 12] and list(men["n_online"]) == [0, 0, 0]
    women = frame[frame["category"] == "vrouw"]
    assert list(women["share"]) == pytest.approx([1.0, 1.0, 10 / 22])
    typed = progress_result(respondents(), reference())
    assert typed.undated == 1
    assert "geen datum" in typed.warnings[0]


def test_target_reached_date_is_the_first_period_with_nothing_left() -> None:
    frame = cumulative_coverage(respondents(), reference())
    reached = frame.groupby("category")["target_reached_at"].first()
    assert reached["man"] == pd.Timestamp("2025-03-23")
    assert reached["vrouw"] == pd.Timestamp("2025-03-09")


def test_custom_count_target_and_monthly_periods() -> None:
    frame = cumulative_coverage(respondents(), reference(), freq="M",
                                targets={"gender": {"man": 20, "vrouw": 10}})
    assert len(frame) == 2
    row = frame.set_index("category")
    assert row.loc["man", "to_reach"] == 8 and row.loc["vrouw", "to_reach"] == 0
    assert pd.isna(row.loc["man", "target_reached_at"])


def test_no_dates_gives_an_empty_table() -> None:
    typed = progress_result(respondents().assign(responded_at=None), reference())
    assert typed.empty and typed.to_frame().empty and typed.undated == 23


def test_on_target_since_resets_when_a_group_falls_behind() -> None:
    frame = cumulative_coverage(respondents(), reference())
    last = frame[frame["period_end"] == frame["period_end"].max()].set_index("category")
    # women were on target in the first two weeks, then the men caught up and passed them
    assert last.loc["vrouw", "target_reached_at"] == pd.Timestamp("2025-03-09")
    assert not last.loc["vrouw", "reached"] and pd.isna(last.loc["vrouw", "on_target_since"])
    assert last.loc["man", "on_target_since"] == pd.Timestamp("2025-03-23")


def test_the_typed_result_holds_undated_and_warnings_and_round_trips() -> None:
    import json

    from engagement.model import ProgressResult

    table = respondents()
    result = progress_result(table, reference())
    assert result.undated == 1 and "geen datum" in result.warnings[0]
    frame = result.to_frame()
    assert frame.attrs == {}  # the side data stays on the result, never on the table
    pd.testing.assert_frame_equal(frame, cumulative_coverage(table, reference()), check_exact=True)
    first = result.rows[0]
    assert sum(dict(first.by_channel).values()) == pytest.approx(first.n)  # every group member has one channel
    assert {f"n_{c}" for c in result.channels} <= set(frame.columns)
    again = ProgressResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result
    pd.testing.assert_frame_equal(again.to_frame(), frame, check_exact=True)
