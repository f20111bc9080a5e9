"""Bereik's channel filter: rows without a channel are kept by default (walk-through: the
filter's default, every channel chosen, silently dropped them, so Bereik counted fewer
people than the report and the other pages)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui.coverage_parts import NO_CHANNEL


def _page() -> None:
    import pandas as pd
    import streamlit as st

    from ui.coverage_parts import filter_respondents

    resp = pd.DataFrame({"respondent_id": ["1", "2", "3", "4"],
                         "channel": ["online", None, "papier", float("nan")]})
    st.write(f"kept {len(filter_respondents(resp))}")


def _kept(at: AppTest) -> int:
    return int(next(m.value for m in at.markdown if m.value.startswith("kept")).split()[1])


def test_rows_without_a_channel_are_kept_by_default_and_can_be_left_out() -> None:
    at = AppTest.from_function(_page, default_timeout=60).run()
    assert not at.exception
    assert _kept(at) == 4
    box = at.multiselect[0]
    assert box.options == ["Online", "Papier", "Onbekend kanaal"]  # as the user reads them
    box.unselect(NO_CHANNEL).run()
    assert _kept(at) == 2
    at.multiselect[0].set_value(["online"]).run()
    assert _kept(at) == 1
