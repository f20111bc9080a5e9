"""The figure builders: titles state the conclusion, colours are doubled by shapes/labels."""
from __future__ import annotations

import pandas as pd
import pytest
from builders import worked_example_coverage

from engagement.coverage import compute_coverage
from reference.model import BuurtReference
from ui import charts


def test_coverage_figure_title_states_the_gap() -> None:
    dim = worked_example_coverage().dimension("age")
    assert [c.to_reach for c in dim.categories] == [16, 14, 0, 0]
    fig = charts.coverage_figure(dim)
    title = fig.layout.title.text
    assert title.startswith("Leeftijd: te weinig gesproken met jongeren van 15 tot 25 jaar")
    # population bars + one marker trace per status, each with its own symbol
    markers = [t for t in fig.data if t.type == "scatter"]
    assert len({t.marker.symbol for t in markers}) == len(markers) >= 2
    young = next(t for t in markers if "Jongeren" not in t.name and "15 tot 25 jaar" in list(t.y))
    assert young.x[0] == pytest.approx(8 / 160 * 100)
    assert young.error_x.arrayminus[0] > 0 and young.error_x.array[0] > 0
    notes = [a.text for a in fig.layout.annotations]
    assert any("nog 16 te spreken" in n for n in notes)


def test_status_label_follows_engine_label() -> None:
    dim = worked_example_coverage().dimension("age")
    assert [charts.status_label(c) for c in dim.categories] == [c.label for c in dim.categories]
    assert charts.status_of(dim.categories[-1]) == "over"


def test_lines_and_bars_have_titles() -> None:
    frame = pd.DataFrame({"week": [1, 2, 1, 2], "n": [3, 5, 1, 4], "channel": ["online", "online", "papier", "papier"]})
    fig = charts.lines_over_time(frame, "week", "n", "channel", "Meer gesprekken per week", "Aantal")
    assert fig.layout.title.text == "Meer gesprekken per week"
    assert fig.data[0].line.dash != fig.data[1].line.dash


def test_uncertain_groups_get_their_own_marker_and_no_verdict_title() -> None:
    """A kenmerk with many unknowns: groups whose verdict the unknowns could turn around are
    drawn as 'onzeker', and the title does not call them under-represented."""
    ref = BuurtReference(areas=(("BU0000TEST", "Testbuurt"),), year=2024, table="test",
                         population=4000, eligible_population=4000, min_age=15,
                         dimensions={"gender": {"man": 2000, "vrouw": 2000}})
    gender = ["man"] * 10 + ["vrouw"] * 30 + [None] * 60  # 60 % unknown
    resp = pd.DataFrame({"respondent_id": [str(i) for i in range(len(gender))], "gender": gender})
    dim = compute_coverage(resp, ref, weighting=False).dimension("gender")
    man = dim.categories[0]
    assert man.uncertain and man.label.startswith("onzeker")
    assert charts.status_of(man) == "uncertain"
    fig = charts.coverage_figure(dim)
    assert "te weinig gesproken" not in fig.layout.title.text
    assert "geen zeker oordeel" in fig.layout.title.text
    unsure = [t for t in fig.data if t.type == "scatter" and "onzeker" in t.name]
    assert unsure and "Man" in list(unsure[0].y)
    notes = [a.text for a in charts.coverage_figure(dim, {"man": 7}).layout.annotations]
    assert any("plan: nog 7 erbij" in n for n in notes)
