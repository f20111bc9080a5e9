"""Item suggestion and the kompas on hand-made respondents."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from profiles.items import ProfileDataError, check_not_demographic, scale_bounds, suggest_items
from profiles.kompas import KompasModel

ENG = ("item:ik_ben_actief_in_mijn_buurt", "item:ik_doe_mee_aan_buurtactiviteiten")
TRUST = ("item:ik_vertrouw_de_gemeente", "item:ik_voel_me_niet_gehoord")


def _hand_made() -> pd.DataFrame:
    # rows: Meebouwer, Kritische betrokkene, Vertrouwende toeschouwer, Op afstand, too few answers
    return pd.DataFrame({
        "respondent_id": ["a", "b", "c", "d", "e"],
        "age_band": ["25-45"] * 5,
        ENG[0]: [5, 4, 1, 2, 5],
        ENG[1]: [4, 5, 2, 1, np.nan],
        TRUST[0]: [5, 1, 4, 2, 4],
        TRUST[1]: [1, 5, 2, 4, np.nan],  # negatively phrased: 1 = feels heard
    })


def test_kompas_hits_each_quadrant_and_refuses_to_guess() -> None:
    df = _hand_made()
    model = KompasModel(ENG, TRUST, reversed_items=(TRUST[1],)).fit(df)
    assert model.predict(df).tolist() == [0, 1, 2, 3, -1]
    scores = model.transform(df)
    # a: engagement (1 + .75)/2, trust (1 + (1 - 0))/2 on the 0-1 scale
    np.testing.assert_allclose(scores[0], [0.875, 1.0])
    np.testing.assert_allclose(scores[3], [0.125, 0.25])
    assert np.isnan(scores[4]).all()
    proba = model.predict_proba(df)
    np.testing.assert_array_equal(proba[1], [0, 1, 0, 0, 0])
    assert np.isnan(proba[4]).all()


def test_kompas_without_reversal_misreads_the_negative_item() -> None:
    df = _hand_made()
    plain = KompasModel(ENG, TRUST).fit(df)
    # without recoding, 'b' (fully agrees he is NOT heard) would look trusting on that item
    assert plain.transform(df)[1, 1] == pytest.approx(0.5)


def test_kompas_midpoint_is_not_high_and_seven_point_scale() -> None:
    df = pd.DataFrame({"item:ik_ben_actief": [4, 7, 1], "item:ik_vertrouw_de_gemeente": [4, 7, 1]})
    model = KompasModel(("item:ik_ben_actief",), ("item:ik_vertrouw_de_gemeente",)).fit(df)
    assert model.scales_["item:ik_ben_actief"] == (1.0, 7.0)
    # exactly neutral on both axes: the middle profile (4), not a corner
    assert model.predict(df).tolist() == [4, 0, 3]


def test_kompas_contract_and_bad_setup() -> None:
    model = KompasModel(ENG, TRUST)
    assert clone(model).get_params() == model.get_params()
    with pytest.raises(NotFittedError):
        model.predict(_hand_made())
    with pytest.raises(ValueError, match="betrokkenheid én"):
        KompasModel(ENG, ()).fit(_hand_made())
    assert model.fit(_hand_made()) is model


def test_suggest_items_dutch_and_english_with_labels() -> None:
    rng = np.random.default_rng(0)
    cols = {
        "item:q1": "Ik doe mee aan activiteiten in de buurt",
        "item:q2": "Ik heb vertrouwen in de gemeente",
        "item:q3": "Het heeft geen zin om mee te doen",
        "item:q4": "I feel heard by the council",
        "item:q5": "I do not take part in neighbourhood meetings",
        "item:q6": "De straat is schoon",
    }
    df = pd.DataFrame({c: rng.integers(1, 6, 50).astype(float) for c in cols})
    df["gender"] = "man"
    sel = suggest_items(df, labels=cols)
    assert sel.engagement == ("item:q1", "item:q5")
    assert sel.trust == ("item:q2", "item:q3", "item:q4")
    assert sel.reversed == ("item:q3", "item:q5")
    assert "item:q6" in sel.usable and "gender" not in sel.usable
    recoded = sel.recode(df)
    np.testing.assert_allclose(recoded["item:q3"], 6 - df["item:q3"])
    np.testing.assert_allclose(recoded["item:q1"], df["item:q1"])


def test_suggest_items_from_column_slugs_and_exclusions() -> None:
    df = pd.DataFrame({
        "item:ik_voel_me_niet_gehoord": [1, 2, 3, 4, 5, 1],
        "item:ik_ben_actief_in_de_wijk": [5, 4, 3, 2, 1, 2],
        "item:altijd_hetzelfde": [3.0] * 6,
        "item:bijna_leeg": [1, np.nan, np.nan, np.nan, np.nan, 2],
    })
    sel = suggest_items(df)
    assert sel.trust == ("item:ik_voel_me_niet_gehoord",)
    assert sel.reversed == ("item:ik_voel_me_niet_gehoord",)
    assert sel.engagement == ("item:ik_ben_actief_in_de_wijk",)
    assert sel.excluded == ("item:altijd_hetzelfde", "item:bijna_leeg")
    assert "hetzelfde antwoord" in sel.reasons["item:altijd_hetzelfde"]
    assert "67%" in sel.reasons["item:bijna_leeg"]


def test_scale_bounds_and_demographics_refused() -> None:
    assert scale_bounds(pd.Series([2, 3, 4])) == (1.0, 5.0)
    assert scale_bounds(pd.Series([1, 6])) == (1.0, 7.0)
    assert scale_bounds(pd.Series([0, 8, 10])) == (0.0, 10.0)
    with pytest.raises(ProfileDataError, match="age_band"):
        check_not_demographic(["item:x", "age_band"])
