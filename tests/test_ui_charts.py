"""The chart vocabulary: titles state the conclusion, the status of a group follows the engine."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
from builders import worked_example_coverage

from engagement.coverage import compute_coverage
from engagement.vocabulary import LABEL_REFERENCE_UNCERTAIN
from reference.model import BuurtReference
from ui import charts, charts_vega


def test_title_states_the_gap() -> None:
    dim = worked_example_coverage().dimension("age")
    assert [c.to_reach for c in dim.categories] == [16, 14, 0, 0]
    assert charts.dimension_title(dim).startswith("Leeftijd: te weinig gesproken met jongeren van 15 tot 25 jaar")


def test_status_label_follows_engine_label() -> None:
    dim = worked_example_coverage().dimension("age")
    assert [charts.status_label(c) for c in dim.categories] == [c.label for c in dim.categories]
    assert charts.status_of(dim.categories[-1]) == "over"
    shapes = [charts.STATUS[k][2] for k in charts.STATUS if k not in ("under_sig", "under")]
    assert len(set(shapes)) == len(shapes)  # every status but the two 'under' has a shape of its own


def _gender(unknown: int) -> object:
    ref = BuurtReference(areas=(("BU0000TEST", "Testbuurt"),), year=2024, table="test",
                         population=4000, eligible_population=4000, min_age=15,
                         dimensions={"gender": {"man": 2000, "vrouw": 2000}})
    gender = ["man"] * 10 + ["vrouw"] * 30 + [None] * unknown
    resp = pd.DataFrame({"respondent_id": [str(i) for i in range(len(gender))], "gender": gender})
    return compute_coverage(resp, ref, weighting=False).dimension("gender")


def test_uncertain_groups_get_their_own_marker_and_no_verdict_title() -> None:
    """A kenmerk with many unknowns: groups whose verdict the unknowns could turn around are
    drawn as 'onzeker', and the title does not call them under-represented."""
    dim = _gender(60)  # 60 % unknown
    man = dim.categories[0]
    assert man.uncertain and man.label.startswith("onzeker")
    assert charts.status_of(man) == "uncertain"
    title = charts.dimension_title(dim)
    assert "te weinig gesproken" not in title
    assert title == "Geslacht: geen zeker oordeel, want 60% van de mensen gaf hier geen antwoord"
    spec = charts_vega.coverage_chart(dim, {"man": 7})
    man_row = next(r for r in spec["data"]["values"] if r["groep"] == "Man")
    assert man_row["status"] == "Gesproken: onzeker"
    assert "plan: nog 7 erbij" in man_row["notitie"]


def test_a_group_the_buurt_figures_leave_open_does_not_blame_the_unknowns() -> None:
    """'onzeker: marge in de buurtcijfers' with nobody unknown: the title names the buurt
    figures, never '0% van de mensen gaf hier geen antwoord'."""
    dim = _gender(0)
    held = replace(dim, categories=tuple(replace(c, uncertain=True, label=LABEL_REFERENCE_UNCERTAIN)
                                         for c in dim.categories))
    assert not held.uncertain and held.unknown_share == 0
    assert [charts.status_of(c) for c in held.categories] == ["uncertain", "uncertain"]
    assert charts.dimension_title(held) == ("Geslacht: geen zeker oordeel, want de buurtcijfers zijn "
                                            "hier niet precies genoeg")
