"""The VNG Burgerpeiling typology on hand-made respondents whose scores are counted by hand.

Every respondent starts from BASE, a form that scores 0 on both axes (no club, never
active, not working, no contacts, poor health, limited, lonely, not resilient, an unhappy
buurt mark, nobody to fall back on); each row then switches on the indicators named in
its comment. Cut-offs (VNG, 13 April 2023): participation high from 4, quality of life
high from 5; zorgwekkend: participation ≤ 1 and quality ≤ 3.
"""
from __future__ import annotations

import json
import os
import tempfile

import numpy as np
import pandas as pd
import pytest

from profiles import ProfileDataError
from profiles.typology import (
    VNG_2022,
    TypologyResult,
    assign_burgerpeiling_types,
    burgerpeiling_typology,
    is_burgerpeiling,
    typology_from_export,
)

BASE = {"zw05_4": 1, "zw05_0": 0, "zw06_0": 3, "zw06_1": 3, "zw06_2": 3, "zw06_3": 3, "wl13": 3, "ch04": 5,
        "zw03": 3, "zw02": 4, **{f"zw01_{i}": 3 for i in range(7)}, "zw09": 1, "zw04": 4,
        **{f"zw19_{i}": 4 for i in range(5)}, "wl01": 4, **{f"zw10_{i}": 3 for i in range(3)},
        "bo01": 2, "dv01": 7, "gemnr": 1680, "jr": 2024, "weging": 1.0}
GOOD_LIFE = {"zw02": 7, **{f"zw01_{i}": 1 for i in range(7)}, "zw04": 1, "wl01": 8}  # 5 of 7 (not sv, fallback)

ROWS = [
    # 0 weerbaar, exactly on both limits: club, volunteer, buurt, contacts = 4; quality 5
    ({"zw05_4": 0, "zw06_3": 1, "wl13": 1, "zw03": 1, **GOOD_LIFE}, 4, 5, "weerbaren", False),
    # 1 buitenstaander: paid work, help for neighbours, contacts = 3; quality 5
    ({"ch04": 2, "zw06_1": 2, "zw03": 1, **GOOD_LIFE}, 3, 5, "buitenstaanders", False),
    # 2 compenseerder: club, volunteer, education, help = 4; quality 4 (health, not lonely,
    #   resilient: 3 of 5 zw19 agreed, fallback zw10_1)
    ({"zw05_4": 0, "zw06_3": 2, "ch04": 8, "zw06_1": 1, "zw02": 6, "zw04": 2, "zw19_0": 1, "zw19_1": 2,
      "zw19_2": 1, "zw10_1": 2}, 4, 4, "compenseerders", False),
    # 3 kwetsbaar and zorgwekkend: only the club = 1; quality 3 (no physical limitation,
    #   no social limitation, buurt mark 6)
    ({"zw05_4": np.nan, "zw01_0": 1, "zw01_1": 2, "zw01_6": 1, "zw01_2": 1, "zw01_3": 1, "zw01_4": 2,
      "zw01_5": 1, "wl01": 6}, 1, 3, "kwetsbaren", True),
    # 4 kwetsbaar, not zorgwekkend: care for a relative (zw06_0 intensief) and worry-neighbour
    #   (zw06_2) count as ONE indicator, plus wl13 = 1 → 2; quality 4 (good life minus health:
    #   zw02 = 5; social limitation by overburdening: zw09 = 4 while caring) → 5 − 1 − 1 + fallback 1
    ({"zw06_0": 1, "zw06_2": 2, "wl13": 1, **GOOD_LIFE, "zw02": 5, "zw09": 4, "zw10_2": 1}, 2, 4,
     "kwetsbaren", False),
    # 5 missing codes: zw19 all 6 (weet niet), zw04 5 (weet niet), zw03 4 (weet niet), wl01 99,
    #   zw10 4: none counts. Quality: health 7, limitation-free 2 → 3; participation: work 1
    ({"ch04": 1, "zw02": 7, **{f"zw01_{i}": 5 for i in range(7)}, **{f"zw19_{i}": 6 for i in range(5)},
      "zw04": 5, "zw03": 4, "wl01": 99, **{f"zw10_{i}": 4 for i in range(3)}}, 1, 3, "kwetsbaren", True),
    # 6 R's three-valued logic: zw06_0 incidenteel (2) with zw06_2 unknown is NOT counted as care
    ({"zw06_0": 2, "zw06_2": np.nan}, 0, 0, "kwetsbaren", True),
    # 7 … but with zw06_2 answered "nooit" it is
    ({"zw06_0": 2, "zw06_2": 3}, 1, 0, "kwetsbaren", True),
]


def _frame(rows=ROWS, **extra) -> pd.DataFrame:
    records = [{**BASE, **changes} for changes, *_ in rows]
    frame = pd.DataFrame(records).astype(float)
    for column, values in extra.items():
        frame[column] = values
    return frame


def test_scores_and_types_by_hand() -> None:
    types = assign_burgerpeiling_types(_frame())
    assert types["part_score"].tolist() == [r[1] for r in ROWS]
    assert types["qol_score"].tolist() == [r[2] for r in ROWS]
    assert types["typology"].tolist() == [r[3] for r in ROWS]
    assert types["zorgwekkend"].tolist() == [r[4] for r in ROWS]


def test_earlier_cutoffs_move_the_quality_limit() -> None:
    """With VNG's earlier limits (quality high from 6) the weerbaar on the limit becomes a compenseerder."""
    types = assign_burgerpeiling_types(_frame(), VNG_2022)
    assert types["typology"].iloc[0] == "compenseerders"
    assert types["typology"].iloc[1] == "kwetsbaren"


def test_empty_form_has_no_type() -> None:
    empty = {c: np.nan for c in BASE if c not in ("weging", "gemnr", "jr")}
    frame = _frame([*ROWS, (empty, None, None, "", False)])
    types = assign_burgerpeiling_types(frame)
    assert types["typology"].iloc[-1] == "" and np.isnan(types["part_score"].iloc[-1])
    result = burgerpeiling_typology(frame)
    assert result.n == 9 and result.n_typed == 8
    assert any("geen type" in w for w in result.warnings)


def test_weighted_shares_with_weging() -> None:
    weights = [2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0]  # total 10
    result = burgerpeiling_typology(_frame(weging=weights))
    assert result.weighted
    assert result.share_of("weerbaren") == pytest.approx(0.2)
    assert result.share_of("buitenstaanders") == pytest.approx(0.1)
    assert result.share_of("compenseerders") == pytest.approx(0.1)
    assert result.share_of("kwetsbaren") == pytest.approx(0.6)
    assert result.zorgwekkend == pytest.approx(0.5)  # rows 3, 5, 6, 7: 1 + 1 + 1 + 2
    assert [t.count for t in result.types] == [1, 1, 1, 5]
    assert all(t.small for t in result.types)  # fewer than 10 people each: not to be shown
    for t in result.types:
        assert t.low <= t.share <= t.high
    unweighted = burgerpeiling_typology(_frame(weging=weights), weights=False)
    assert unweighted.share_of("kwetsbaren") == pytest.approx(5 / 8) and not unweighted.weighted


def test_invalid_weights_are_left_out_and_said() -> None:
    weights = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, np.nan]
    result = burgerpeiling_typology(_frame(weging=weights))
    assert result.n_typed == 7
    assert any("weegfactor" in w for w in result.warnings)


def test_mostly_weerbaar_is_not_comparable() -> None:
    rows = [ROWS[0]] * 7 + [ROWS[3]] * 3  # 70 % weerbaar
    result = burgerpeiling_typology(_frame(rows))
    assert result.share_of("weerbaren") == pytest.approx(0.7)
    assert not result.comparable
    assert any("65%" in w for w in result.warnings)
    assert burgerpeiling_typology(_frame()).comparable


def test_result_round_trips_through_json() -> None:
    result = burgerpeiling_typology(_frame())
    data = json.loads(json.dumps(result.to_dict()))
    again = TypologyResult.from_dict(data)
    assert again.to_dict() == result.to_dict()
    assert "aanname" in result.assumption and "13 april 2023" in result.assumption
    assert result.summary.startswith("Typologie van de Burgerpeiling (8 respondenten, gewogen)")


def test_recognised_from_variable_names() -> None:
    assert is_burgerpeiling(_frame())
    # the questionnaire's spelling zw06.0 and capitals are the same variable
    renamed = _frame().rename(columns=lambda c: c.upper().replace("_", "."))
    assert is_burgerpeiling(renamed)
    types = assign_burgerpeiling_types(renamed)
    assert types["typology"].tolist() == [r[3] for r in ROWS]


def test_other_files_are_not_recognised() -> None:
    from tests import builders as b

    assert not is_burgerpeiling(b.spss_frame(20, seed=1))  # respnr, ch01–ch03, wb01, wb02
    a_few = pd.DataFrame({"wl01": [7.0], "zw02": [8.0], "ch01": [1.0], "ch02": [3.0], "bo01": [2.0]})
    assert not is_burgerpeiling(a_few)
    survey = pd.DataFrame({"Ik voel me thuis in de buurt": ["eens"], "Leeftijd": [40]})
    assert not is_burgerpeiling(survey)


def test_missing_variables_are_named() -> None:
    frame = _frame().drop(columns=["zw19_0", "zw19_1", "wl13"])
    assert is_burgerpeiling(frame)
    result = burgerpeiling_typology(frame)
    assert set(result.missing_variables) == {"zw19_0", "zw19_1", "wl13"}
    assert any("wl13" in w and "ontbreken" in w for w in result.warnings)


def test_text_labels_instead_of_codes_are_reported() -> None:
    frame = _frame().astype(object)
    frame.loc[2, "zw06_3"] = "Ja, incidenteel"
    result = burgerpeiling_typology(frame, file="peiling.csv")
    assert any("zw06_3" in w and "peiling.csv" in w and "rij 3" in w for w in result.warnings)


def test_respondents_table_is_refused_in_dutch() -> None:
    respondents = pd.DataFrame({"respondent_id": ["a"], "item:prettig_wonen": [4.0]})
    with pytest.raises(ProfileDataError, match="originele codes"):
        burgerpeiling_typology(respondents)


def _sav(frame: pd.DataFrame) -> bytes:
    import pyreadstat

    fd, path = tempfile.mkstemp(suffix=".sav")
    os.close(fd)
    try:
        labels = {"zw06_3": {1.0: "Ja, intensief", 2.0: "Ja, incidenteel", 3.0: "Nee, (vrijwel) nooit"},
                  "zw04": {1.0: "Nooit", 2.0: "Soms", 3.0: "Vaak", 4.0: "Heel vaak", 5.0: "Weet niet"}}
        pyreadstat.write_sav(frame, path, variable_value_labels=labels,
                             column_labels={"weging": "Weegfactor", "wl01": "Rapportcijfer buurt"})
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.remove(path)


def test_spss_file_end_to_end() -> None:
    """The .sav as the dashboard reads it: recognised from the export, typed from its codes;
    the imported respondents table is recognised too (its attrs keep the file's columns)."""
    import profiles
    from surveys import import_file, read_export

    raw = read_export(_sav(_frame()), "burgerpeiling.sav")
    result = profiles.typology_from_export(raw)  # the public call the dashboard and CLI make
    assert result is not None
    assert [t.count for t in result.types] == [1, 1, 1, 5]
    respondents = import_file(raw)
    assert profiles.is_burgerpeiling(respondents)
    from tests import builders as b

    assert typology_from_export(read_export(b.spss_sav(20, seed=2), "andere_enquete.sav")) is None


def test_cli_profiles_vng(tmp_path) -> None:
    """`bereikwijzer profiles FILE --method vng`: the typology per file, JSON and Dutch text;
    a file that is no Burgerpeiling exits 2 with one Dutch line."""
    import json

    from typer.testing import CliRunner

    from tests import builders as b
    from ui.cli import app

    sav = tmp_path / "burgerpeiling.sav"
    sav.write_bytes(_sav(_frame()))
    out = tmp_path / "vng.json"
    run = CliRunner().invoke(app, ["profiles", str(sav), "--method", "vng", "--json", str(out)])
    assert run.exit_code == 0, run.output
    data = json.loads(out.read_text())
    assert data["method"] == "vng" and data["files"][0]["file"] == "burgerpeiling.sav"
    assert [t["count"] for t in data["files"][0]["typology"]["types"]] == [1, 1, 1, 5]
    assert "Typologie" in run.output
    other = tmp_path / "andere.sav"
    other.write_bytes(b.spss_sav(20, seed=2))
    bad = CliRunner().invoke(app, ["profiles", str(other), "--method", "vng"])
    assert bad.exit_code == 2 and "geen VNG Burgerpeiling" in bad.output
