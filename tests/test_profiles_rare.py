"""The selection of k keeps the rare group: floor relative to n, stability, flags, table."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from profiles import fit_profiles
from profiles.selection import (
    UNCERTAIN,
    class_notes,
    max_classes,
    min_class_size,
    partition_stable,
    select_lca,
)
from profiles.wording import num_pair, pct_nl, pct_pair
from tests.profiles_data import planted_axes

RARE_MIX = {("hoog", "hoog"): 135, ("hoog", "laag"): 135, ("laag", "laag"): 30}  # 10% in 300


@pytest.fixture(scope="module")
def rare_300():
    return planted_axes(RARE_MIX, seed=3)


@pytest.fixture(scope="module")
def rare_result(rare_300):
    return fit_profiles(rare_300[0], method="lca")


def _labels(result) -> np.ndarray:
    return np.array([-1 if p is None else p for p in result.assignments["profile"]])


def test_floor_is_relative_to_n_and_lets_a_ten_percent_class_in_300_pass() -> None:
    assert min_class_size(300) == 10  # max(10, 6)
    assert min_class_size(97) == 10
    assert min_class_size(2000) == 40  # 2% of 2000
    assert 0.10 * 300 >= min_class_size(300) and 0.055 * 500 >= min_class_size(500)
    assert max_classes(97) == 6 and max_classes(70) == 4 and max_classes(5000) == 8


def test_ten_percent_class_in_300_is_its_own_named_profile(rare_300, rare_result) -> None:
    df, truth = rare_300
    labels = _labels(rare_result)
    assert rare_result.k == 3
    assert adjusted_rand_score(truth, labels) >= 0.8
    rare = truth == 2
    best = max(rare_result.cards, key=lambda c: ((labels == c.id) & rare).sum())
    inside = labels == best.id
    assert (inside & rare).sum() >= 0.9 * rare.sum()  # the rare people are found together …
    assert (inside & rare).sum() > 0.7 * inside.sum()  # … and make up most of their profile
    assert best.name == "Op afstand"
    assert len({c.name for c in rare_result.cards}) == len(rare_result.cards)


def test_selection_table_is_data_with_one_chosen_row_and_a_note_per_k(rare_result) -> None:
    table = rare_result.selection
    assert {"k", "bic", "sabic", "entropy", "smallest_share", "smallest_size", "stability",
            "stability_mean", "chosen", "note"} <= set(table.columns)
    assert table["chosen"].sum() == 1
    assert int(table.loc[table["chosen"], "k"].iloc[0]) == rare_result.k
    assert (table["note"].str.len() > 0).all()
    chosen = table[table["chosen"]].iloc[0]
    assert chosen["stability"] >= 0.6 and chosen["note"].startswith("Gekozen: 3 groepen")


def test_rare_class_on_a_smaller_sample_is_kept_and_flagged() -> None:
    # 97 respondents, the rare class 12 people (12%): shown, marked klein, onzeker
    df, truth = planted_axes({("hoog", "hoog"): 45, ("hoog", "laag"): 40, ("laag", "laag"): 12}, seed=5)
    result = fit_profiles(df, method="lca")
    labels = _labels(result)
    rare = truth == 2
    best = max(result.cards, key=lambda c: ((labels == c.id) & rare).sum())
    assert ((labels == best.id) & rare).sum() >= 10 and best.size < 20
    assert best.flag == UNCERTAIN
    assert "Klein, onzeker" in best.note and f"{best.size} mensen" in best.note
    big = [c for c in result.cards if c.size >= 30]
    assert big and all(c.flag == "" for c in big if c.stability is not None and c.stability >= 0.6)


def test_a_class_under_the_floor_steps_down_with_a_readable_comparison() -> None:
    rng = np.random.default_rng(2)
    X = np.where(rng.uniform(size=(200, 8)) < 0.8, np.tile([1, 5], 4), rng.integers(1, 6, (200, 8))).astype(float)
    X[:100] = np.where(rng.uniform(size=(100, 8)) < 0.8, np.tile([5, 1], 4), rng.integers(1, 6, (100, 8)))
    X[:4] = [3, 3, 3, 3, 3, 3, 3, 3]  # four people with a pattern of their own: 2%, under 10 people
    sel = select_lca(X, k_max=4)
    rejected = sel.table[sel.table["note"].str.contains("minstens 10 nodig", regex=False)]
    assert len(rejected), sel.table["note"].tolist()
    for note in rejected["note"]:
        shares = re.findall(r"(\d+(?:,\d+)?%)", note)
        assert len(shares) == 2 and shares[0] != shares[1]  # never "5% … nodig 5%"
    assert sel.k == 2


def test_partition_stability_rule_by_hand() -> None:
    # one unstable small class does not reject the split
    assert partition_stable(np.array([0.95, 0.9, 0.45]), np.array([100, 100, 20]))[0]
    # two classes that dissolve (an arbitrary split) do
    ok, weighted = partition_stable(np.array([0.95, 0.45, 0.48]), np.array([100, 50, 50]))
    assert not ok and weighted == pytest.approx((95 + 22.5 + 24) / 200)
    # a low size-weighted mean does
    assert not partition_stable(np.array([0.5, 0.55, 0.9]), np.array([100, 100, 10]))[0]


def test_class_notes_say_why() -> None:
    notes = class_notes(np.array([200, 28, 60]), np.array([0.9, 0.8, 0.5]), 288)
    assert notes[0] == ""
    assert notes[1].startswith("Klein, onzeker") and "28 mensen" in notes[1] and "9,7%" in notes[1]
    assert "stabiliteit 0,50" in notes[2] and "stabiel vanaf 0,60" in notes[2]


def test_number_pairs_read_differently() -> None:
    assert pct_pair(0.046, 0.05) == ("4,6%", "5,0%")
    assert pct_pair(0.0499, 0.05) == ("4,99%", "5,00%")
    assert pct_pair(0.29, 0.05) == ("29%", "5%")
    assert num_pair(0.6, 0.6004) == ("0,6000", "0,6004")
    assert pct_nl(float("nan")) == "onbekend"


def test_rare_result_to_dict_has_flags(rare_result) -> None:
    data = rare_result.to_dict()
    assert {"flag", "note", "stability", "certainty", "engagement", "trust"} <= set(data["profiles"][0])
    assert all(0 <= p["certainty"] <= 1 for p in data["profiles"])
    assert {"chosen", "note"} <= set(data["selection"][0])
    assert isinstance(pd.DataFrame(data["selection"]), pd.DataFrame)


def test_beyond_bic_no_large_class_may_dissolve() -> None:
    # a small class that does not come back may be the rare group: kept
    assert partition_stable(np.array([0.95, 0.9, 0.45]), np.array([100, 100, 20]), strict=True)[0]
    # a large one is an arbitrary split
    assert not partition_stable(np.array([0.95, 0.45, 0.9]), np.array([100, 60, 40]), strict=True)[0]
    assert partition_stable(np.array([0.95, 0.45, 0.9]), np.array([100, 60, 40]))[0]


def test_instability_note_names_the_rule_that_decided() -> None:
    from profiles.selection import _instability

    text = _instability(np.array([0.95, 0.35, 0.9]), np.array([100, 68, 40]), 0.73, strict=True)
    assert text.startswith("een groep van 68 mensen valt uiteen (stabiliteit 0,35")
    assert "nodig 0,60" not in text  # the mean (0,73) was fine: not named as the reason
    text = _instability(np.array([0.4, 0.45, 0.9]), np.array([100, 100, 40]), 0.5, strict=False)
    assert "gemiddelde stabiliteit 0,50, nodig 0,60" in text and "2 groepen vallen uiteen" in text
