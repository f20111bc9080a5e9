"""Names from content (both axes, a neutral level), unique names, full statements, no empty
cards, and the kompas's neutral zone."""
from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from profiles import fit_profiles
from profiles.cards import build_cards
from profiles.items import item_text
from profiles.kompas import KompasModel, kompas_ids, quadrants
from profiles.naming import axis_level, content_name, name_table, unique_names
from tests.profiles_data import ENGAGEMENT_TEXTS, TRUST_TEXTS, planted_axes


def test_axis_levels_have_a_neutral_middle() -> None:
    assert [axis_level(x) for x in (0.0, 0.37, 0.375, 0.5, 0.52, 0.625, 0.63, 1.0)] == \
        ["laag", "laag", "midden", "midden", "midden", "midden", "hoog", "hoog"]
    assert axis_level(float("nan")) == ""


def test_content_name_of_a_waiting_group_is_not_meebouwers() -> None:
    name, description = content_name(0.52, 0.50)
    assert name == "Afwachtend midden"
    assert "0,52" in description and "0,50" in description and "midden" in description
    assert content_name(0.8, 0.2)[0] == "Kritische betrokkenen"
    assert content_name(0.8, 0.55)[0] == "Betrokken afwachters"
    assert content_name(0.2, 0.2)[0] == "Op afstand"
    assert content_name(float("nan"), 0.2) is None
    assert len(name_table()) == 9 and len({n for n, _ in name_table().values()}) == 9


def test_same_names_are_told_apart_by_the_full_statement() -> None:
    agreement = pd.DataFrame({"item:a": [0.2, 0.25, 0.9], "item:b": [0.1, 0.8, 0.5]}, index=[0, 1, 2])
    texts = {"item:a": "Ik ken mijn buren", "item:b": "Ik vertrouw erop dat de gemeente iets doet met wat wij zeggen."}
    names = unique_names({0: "Op afstand", 1: "Op afstand", 2: "Meebouwers"}, agreement, texts)
    assert names[2] == "Meebouwers"
    assert names[0] == ("Op afstand, minder vaak eens met "
                        "‘Ik vertrouw erop dat de gemeente iets doet met wat wij zeggen’")
    assert names[1] == ("Op afstand, vaker eens met "
                        "‘Ik vertrouw erop dat de gemeente iets doet met wat wij zeggen’")
    # a team's own name is kept even when it repeats; the other one moves
    fixed = unique_names({0: "Wij", 1: "Wij"}, agreement.loc[[0, 1]], texts, frozenset({0}))
    assert fixed[0] == "Wij" and fixed[1] != "Wij"


def test_item_text_uses_labels_with_or_without_prefix() -> None:
    assert item_text("item:ik_vertrouw_erop_dat_de_gemeente", {"ik_vertrouw_erop_dat_de_gemeente": "Volledig."}) == \
        "Volledig."
    assert item_text("item:x", {"item:x": "Ik woon hier graag"}) == "Ik woon hier graag"
    assert item_text("item:ik_woon_hier") == "Ik woon hier"


def test_a_neutral_profile_card_is_never_empty() -> None:
    n = 60
    labels = np.array([0] * 30 + [1] * 30)
    df = pd.DataFrame({"respondent_id": range(n),
                       "item:ik_ken_mijn_buren": [3] * 30 + [5, 4] * 15,
                       "item:de_straat_is_schoon": [3] * 28 + [4, 2] + [3] * 30})
    cards = build_cards(df, labels, ["item:ik_ken_mijn_buren", "item:de_straat_is_schoon"])
    middle = cards[0]
    assert middle.top_answers, "a card with only neutral answers must still say something"
    assert middle.top_answers[0]["answer"] == "neutraal"
    assert middle.top_answers[0]["kind"] in ("onderscheidend", "typisch")
    assert "neutraal over ‘Ik ken mijn buren’" in middle.description


def test_typical_answers_when_nothing_stands_out() -> None:
    labels = np.array([0] * 30 + [1] * 30)
    df = pd.DataFrame({"item:de_straat_is_schoon": [3, 3, 3, 4, 2] * 12})  # same mix in both
    cards = build_cards(df, labels, ["item:de_straat_is_schoon"])
    assert all(c.top_answers and c.top_answers[0]["kind"] == "typisch" for c in cards)
    assert cards[0].top_answers[0]["answer"] == "neutraal"
    assert cards[0].description.startswith("Geen antwoord springt eruit")


@pytest.fixture(scope="module")
def five_groups():
    sizes = {("hoog", "hoog"): 80, ("hoog", "laag"): 70, ("laag", "hoog"): 60, ("laag", "laag"): 40,
             ("midden", "midden"): 70}
    return planted_axes(sizes, seed=11), list(sizes)


def test_lca_names_come_from_content_and_are_unique(five_groups) -> None:
    (df, truth), keys = five_groups
    result = fit_profiles(df, method="lca")
    names = [c.name for c in result.cards]
    assert len(set(names)) == len(names)
    labels = np.array([-1 if p is None else p for p in result.assignments["profile"]])
    middle = truth == keys.index(("midden", "midden"))
    best = max(result.cards, key=lambda c: ((labels == c.id) & middle).sum())
    assert best.name.startswith("Afwachtend midden")
    assert best.engagement == pytest.approx(0.5, abs=0.1) and best.trust == pytest.approx(0.5, abs=0.1)
    assert all(c.top_answers for c in result.cards)
    full = {t for t in (*ENGAGEMENT_TEXTS, *TRUST_TEXTS)}
    shown = {a["item"] for c in result.cards for a in c.top_answers}
    labelled = fit_profiles(df, method="lca", labels={"item:" + t.lower().replace(" ", "_"): t for t in full})
    assert {a["item"] for c in labelled.cards for a in c.top_answers} <= full
    assert shown  # without labels the readable key is shown


def test_kompas_neutral_zone_and_tie_rule() -> None:
    assert kompas_ids([0.45, 0.625, 0.375, 0.63], [0.55, 0.4, 0.6, 0.5]).tolist() == [4, 4, 4, 1]
    # one axis neutral, the other clearly high: the neutral axis counts as low
    assert kompas_ids([0.5], [0.9]).tolist() == [2]
    assert kompas_ids([0.9], [0.5]).tolist() == [1]
    assert [q["name"] for q in quadrants()][-1] == "Afwachtend midden"


def test_planted_middle_group_lands_in_the_middle_of_the_kompas(five_groups) -> None:
    (df, truth), keys = five_groups
    result = fit_profiles(df, method="kompas")
    assert result.k == 5
    labels = np.array([-1 if p is None else p for p in result.assignments["profile"]])
    middle = truth == keys.index(("midden", "midden"))
    # before the zone the middle group spread over all four corners; now most of it is in the middle
    assert np.bincount(labels[middle][labels[middle] >= 0]).argmax() == 4
    assert (labels[middle] == 4).mean() >= 0.5
    corners = truth == keys.index(("hoog", "hoog"))
    assert (labels[corners] == 0).mean() >= 0.8
    model = KompasModel(("item:ik_ben_actief",), ("item:ik_vertrouw_de_gemeente",)).fit(
        pd.DataFrame({"item:ik_ben_actief": [3, 5], "item:ik_vertrouw_de_gemeente": [3, 1]}))
    neutral = pd.DataFrame({"item:ik_ben_actief": [3], "item:ik_vertrouw_de_gemeente": [3]})
    assert model.predict_proba(neutral)[0, 4] == 1


def test_results_pickle_for_the_dashboard_cache(five_groups) -> None:
    (df, _), _ = five_groups
    for method in ("lca", "kompas"):
        result = fit_profiles(df, method=method, k=3 if method == "lca" else "auto")
        again = pickle.loads(pickle.dumps(result))
        labels, proba = again.classify(df.head(5))
        assert labels.shape == (5,) and proba.shape[0] == 5
