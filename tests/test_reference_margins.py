"""The reference's own range per group (BuurtReference.margins) from named sources (issue 13).

A margin is ± persons per group: coverage widens the share N_k/N to (N_k ∓ u_k)/N. The
sources (reference/margins.py): CBS's random rounding to multiples of 5 (off by at most
4 per count), the binomial spread of the age split (± 2 sd), persons per household
without children (2 to 2.3), young people outside households with children (up to 3 %),
the share of boys among the young (49–53 % ± 2 sd), and for origin and tenure the young
between none and twice the group's share. Bounds add up (interval arithmetic).

The hand computation uses the figures of ../shared/data/cbs/README.md for
Transvaalkwartier-Midden; gender is not in the README and is read from the file's own
columns (checked first). Each direction test moves one input to the edge its source
allows, rebuilds the reference, and checks the moved share stays inside the old range,
and that switching the source off narrows the range.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import reference.build as build
import reference.margins as margins
from engagement import stats
from reference.build import build_reference
from reference.margins import reference_margins, rounding, split_spread

CSV_NAME = "kwb2024_85984NED_odata_first10000rows.csv"
TRANSVAAL = "BU05183033"


@pytest.fixture(scope="module")
def transvaal_row(cbs_dir) -> pd.DataFrame:
    from reference.files import read_kwb_table, select_areas

    data = (cbs_dir / CSV_NAME).read_bytes()
    return select_areas(read_kwb_table(data, CSV_NAME).frame, [TRANSVAAL], CSV_NAME)


def _shares(counts: dict) -> dict:
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()}


def _range(ref, dim: str) -> dict:
    """[low, high] per group as the coverage table computes it (margin and shift)."""
    counts = ref.dimensions[dim]
    keys = list(counts)
    low, high = stats.reference_range(np.array([counts[k] for k in keys]), sum(counts.values()),
                                      np.array([ref.margins[dim][k] for k in keys]),
                                      np.array([ref.margin_shift.get(dim, {}).get(k, 0.0) for k in keys]))
    return {k: (float(lo), float(hi)) for k, lo, hi in zip(keys, low, high)}


def _inside(shares: dict, ranges: dict) -> None:
    for k, share in shares.items():
        low, high = ranges[k]
        assert low - 1e-12 <= share <= high + 1e-12, (k, low, share, high)


def test_transvaal_by_hand_from_the_readme(transvaal_row) -> None:
    row = transvaal_row.iloc[0]
    # README: 5,005 inhabitants; 985 / 685 / 1,485 / 1,195 / 660; origin 325 / 975 / 3,710;
    # households 970 alone / 395 without / 780 with children; 25 / 43 / 31 % (koop, corporatie, overig)
    assert [row[f"age:{b}"] for b in ("0-15", "15-25", "25-45", "45-65", "65+")] == [
        985, 685, 1485, 1195, 660]
    assert (row["population"], row["household:eenpersoons"], row["household:paar_zonder_kinderen"]) == (
        5005, 970, 395)
    assert (row["gender:man"], row["gender:vrouw"]) == (2560, 2445)  # from the file, not the README
    ref = build_reference(transvaal_row, year=2024, table="85984NED", min_age=18)
    m = ref.margins

    # rounding: one area, off by at most 4 per count (2 sd would be 5)
    base = 4.0
    # age: 15-25 keeps 7/10 = 479.5 of 685 (205.5 cut); binomial 2 sd = 2 √(685 × 0.7 × 0.3)
    split = 2 * math.sqrt(685 * 0.7 * 0.3)
    assert split == pytest.approx(23.987497, abs=1e-6)
    errors = {"15-25": base * 0.7 + split, "25-45": base, "45-65": base, "65+": base}
    kept = {"15-25": 479.5, "25-45": 1485.0, "45-65": 1195.0, "65+": 660.0}
    adults = 3819.5
    for band, count in kept.items():
        p = count / adults
        rest = sum(errors.values()) - errors[band]
        assert m["age"][band] == pytest.approx((1 - p) * errors[band] + p * rest, abs=1e-5)
    assert m["age"]["15-25"] == pytest.approx(24.931075, abs=1e-5)
    assert m["age"]["65+"] == pytest.approx(9.320002, abs=1e-5)

    # gender: 1,190.5 young (985 + 205.5); boys 49-53 % ± 2 × √(0.25 / 1,190.5)
    young = 985 + 0.3 * 685
    sd = math.sqrt(0.25 / young)
    t = 2560 / 5005
    off = max(abs(t - (0.49 - 2 * sd)), abs(t - (0.53 + 2 * sd)))
    assert off == pytest.approx(0.050471, abs=1e-6)
    persons = 5005 * adults / 5010  # gender is scaled by the eligible share of the age bands
    expected = base * persons / adults + off * young / adults * persons
    assert m["gender"]["man"] == pytest.approx(expected, abs=1e-5)
    assert m["gender"]["vrouw"] == pytest.approx(expected, abs=1e-5)
    assert m["gender"]["man"] == pytest.approx(64.02174, abs=1e-5)

    # household persons: 970 alone, 2 × 395 = 790 without, 5,005 − 970 − 790 − 1,190.5 with
    alone, without, with_children = 970.0, 790.0, 5005 - 970 - 790 - young
    total = alone + without + with_children
    children = base + base * 0.3 + split          # 0-15 and the cut part of 15-25 rounded, and the split
    change = base + children                      # the inhabitants too: 'met kinderen' is the rest
    elsewhere = 0.03 * young                      # young outside a household with children
    alone_young = 0.03 * 0.3 * 685                # ... living alone: only the 15-17-year-olds
    extra = 0.15 * 395                            # 2 → 2.3 persons per household without children:
    #                                               one-sided, half of 0.3 × 395 as margin, half as shift
    assert m["household"]["eenpersoons"] == pytest.approx(
        base + alone / total * change + alone_young, abs=1e-5)
    assert m["household"]["paar_zonder_kinderen"] == pytest.approx(
        2 * base + without / total * change + extra + elsewhere, abs=1e-5)
    assert m["household"]["met_kinderen"] == pytest.approx(
        base + 2 * base + (1 - with_children / total) * change + extra + elsewhere, abs=1e-5)
    assert m["household"]["paar_zonder_kinderen"] == pytest.approx(109.83828, abs=1e-5)
    assert ref.margin_shift["household"] == pytest.approx(
        {"eenpersoons": 0.0, "paar_zonder_kinderen": extra, "met_kinderen": -extra}, abs=1e-5)

    # origin and tenure (rule unchanged): rounding + min(t, 1 − t) × the young
    assert m["origin"]["nederland"] == pytest.approx(base + 325 / 5010 * young, abs=1e-5)
    assert m["origin"]["buiten_europa"] == pytest.approx(base + (1 - 3710 / 5010) * young, abs=1e-5)
    assert m["tenure"]["koop"] == pytest.approx(base + 0.005 * 3814.5 + 25 / 99 * young, abs=1e-5)

    # every source is stated in Dutch in the assumptions
    text = " ".join(ref.assumptions)
    for words in ("tot 4 personen", "twee keer de standaardafwijking", "2 tot 2,3",
                  "3% van hen", "15 jaar of ouder", "49% tot 53% een jongen", "bij elkaar op"):
        assert words in text, words
    assert ref.to_dict()["margins"]["household"]["paar_zonder_kinderen"] == pytest.approx(109.83828, abs=1e-5)
    assert ref.to_dict()["margin_shift"]["household"]["paar_zonder_kinderen"] == pytest.approx(59.25, abs=1e-5)
    # the range of 'zonder kinderen' reaches 0.3 × 395 persons above its point and only the
    # two-sided sources below it
    low, high = _range(ref, "household")["paar_zonder_kinderen"]
    point = ref.dimensions["household"]["paar_zonder_kinderen"] / sum(ref.dimensions["household"].values())
    total = sum(ref.dimensions["household"].values())
    assert (high - point) * total == pytest.approx(109.83828 + 59.25, abs=1e-4)
    assert (point - low) * total == pytest.approx(109.83828 - 59.25, abs=1e-4)


def _rows(**changes) -> pd.DataFrame:
    """A made-up buurt in our internal field names (not CBS figures)."""
    row = {"code": "BU99990001", "name": "Proefbuurt", "population": 3000.0,
           "gender:man": 1480.0, "gender:vrouw": 1520.0,
           "age:0-15": 450.0, "age:15-25": 400.0, "age:25-45": 800.0, "age:45-65": 750.0,
           "age:65+": 600.0, "origin:nederland": 2400.0, "origin:europa": 300.0,
           "origin:buiten_europa": 300.0, "households": 1350.0, "household:eenpersoons": 500.0,
           "household:paar_zonder_kinderen": 450.0, "household:met_kinderen": 400.0,
           "household_size": 2.2, "tenure%:koop": 60.0, "tenure%:huur": 40.0,
           "tenure%:huur_corporatie": 25.0, "tenure%:huur_overig": 15.0}
    row.update(changes)
    return pd.DataFrame([row])


def _build(rows: pd.DataFrame, areas: int = 1):
    return build_reference(pd.concat([rows] * areas, ignore_index=True).assign(
        code=[f"BU9999000{i}" for i in range(areas)]), year=2024, table="proef", min_age=18)


@pytest.mark.parametrize(("field", "dims"), [
    ("age:25-45", ("age",)), ("age:65+", ("age",)), ("age:0-15", ("household",)),
    ("household:eenpersoons", ("household",)), ("household:paar_zonder_kinderen", ("household",)),
    ("population", ("household",)), ("gender:man", ("gender",)), ("origin:europa", ("origin",))])
def test_a_count_off_by_its_rounding_stays_inside(field: str, dims: tuple) -> None:
    ref = _build(_rows())
    for step in (-4.0, 4.0):
        moved = _build(_rows(**{field: _rows()[field].iloc[0] + step}))
        for dim in dims:
            _inside(_shares(moved.dimensions[dim]), _range(ref, dim))


def test_rounding_grows_with_summed_areas_but_not_linearly() -> None:
    assert rounding(1) == 4.0                               # the hard bound of one count
    assert rounding(2) == pytest.approx(2 * 2.5 * math.sqrt(2))  # ± 2 sd of a sum: below 8
    assert rounding(1) < rounding(2) < 2 * rounding(1)
    # two equal areas summed: twice the persons, a margin more than one area's but less
    # than twice it (independent roundings and splits partly cancel), so a narrower share range
    one, two = _build(_rows()), _build(_rows(), areas=2)
    for dim in ("age", "gender", "household", "origin", "tenure"):
        for k in one.margins[dim]:
            assert one.margins[dim][k] < two.margins[dim][k] <= 2 * one.margins[dim][k] + 1e-9, (dim, k)


def test_the_age_split_widens_age_and_holds_two_sd() -> None:
    ref = _build(_rows())
    kept, cut = 400 * 0.7, 400 * 0.3
    spread = float(split_spread(kept, cut))
    assert spread == pytest.approx(2 * math.sqrt(400 * 0.21))
    ages = dict(ref.dimensions["age"])
    for step in (-spread, spread):  # the realised 18+ of 15-25 two sd from the uniform 7/10
        moved = {**ages, "15-25": ages["15-25"] + step}
        _inside(_shares(moved), _range(ref, "age"))
    uncut = reference_margins({"age": ages}, 1, {}, 0.0)["age"]
    for band in ages:
        assert ref.margins["age"][band] > uncut[band]  # the split widens every band's range


def test_more_persons_per_household_without_children_stays_inside(monkeypatch) -> None:
    ref = _build(_rows())
    monkeypatch.setattr(build, "PERSONS_WITHOUT_CHILDREN", 2.3)
    moved = _build(_rows())
    assert moved.dimensions["household"]["paar_zonder_kinderen"] == pytest.approx(2.3 * 450)
    _inside(_shares(moved.dimensions["household"]), _range(ref, "household"))
    monkeypatch.setattr(build, "PERSONS_WITHOUT_CHILDREN", 2.0)
    monkeypatch.setattr(margins, "PERSONS_WITHOUT_CHILDREN_HIGH", 2.0)
    narrow = _build(_rows())
    assert narrow.margin_shift["household"]["paar_zonder_kinderen"] == 0.0
    assert narrow.margins["household"]["paar_zonder_kinderen"] < ref.margins["household"]["paar_zonder_kinderen"]
    assert narrow.margins["household"]["met_kinderen"] < ref.margins["household"]["met_kinderen"]
    assert narrow.margins["household"]["eenpersoons"] == ref.margins["household"]["eenpersoons"]


def test_young_outside_households_with_children_stays_inside(monkeypatch) -> None:
    ref = _build(_rows())
    young = 450 + 0.3 * 400
    counts = dict(ref.dimensions["household"])
    # 3 % of the young live without children (relatives, a partner), or of the 15-17s alone
    for group, elsewhere in (("eenpersoons", 0.03 * 0.3 * 400), ("paar_zonder_kinderen", 0.03 * young)):
        moved = {**counts, "met_kinderen": counts["met_kinderen"] + elsewhere,
                 group: counts[group] - elsewhere}
        _inside(_shares(moved), _range(ref, "household"))
    monkeypatch.setattr(margins, "YOUNG_ELSEWHERE", 0.0)
    narrow = _build(_rows())
    for k in counts:
        assert narrow.margins["household"][k] < ref.margins["household"][k]


def test_the_boys_share_of_the_young_stays_inside_and_widens_gender() -> None:
    ref = _build(_rows())
    young = 450 + 0.3 * 400
    adults = 3000 - young  # the age bands sum to the inhabitants here
    sd = math.sqrt(0.25 / young)
    for boys in (0.49 - 2 * sd, 0.53 + 2 * sd):
        men = (1480 - boys * young) / adults
        _inside({"man": men, "vrouw": 1 - men}, _range(ref, "gender"))
    # a buurt whose all-ages share of men is far from half: its young are still 49-53 % boys
    skewed = _build(_rows(**{"gender:man": 1300.0, "gender:vrouw": 1700.0}))
    assert skewed.margins["gender"]["man"] > ref.margins["gender"]["man"]
    without_young = reference_margins({"gender": ref.dimensions["gender"], "age": ref.dimensions["age"]},
                                      1, {}, 0.0)["gender"]
    assert ref.margins["gender"]["man"] > without_young["man"] == pytest.approx(
        4.0 * sum(ref.dimensions["gender"].values()) / sum(ref.dimensions["age"].values()))


def test_margins_are_the_same_per_area_as_arrays() -> None:
    """engagement.batch passes one array per group (one value per area)."""
    import numpy as np

    ref = _build(_rows())
    other = _build(_rows(**{"age:15-25": 900.0, "population": 3500.0}))
    cut = {"15-25": np.array([400 * 0.3, 900 * 0.3])}
    dims = {d: {k: np.array([ref.dimensions[d][k], other.dimensions[d][k]]) for k in ref.dimensions[d]}
            for d in ("age", "gender", "household", "origin", "tenure")}
    young = np.array([3000 - ref.eligible_population, 3500 - other.eligible_population])
    both = reference_margins(dims, 1, cut, young)
    for d in dims:
        for k in dims[d]:
            assert both[d][k] == pytest.approx([ref.margins[d][k], other.margins[d][k]])


def test_joint_margins_carry_the_binomial_spread_of_the_young_split() -> None:
    """With an age × group table the young's split is a rate from the table; the buurt's
    own young are a binomial draw around it: ± 2 √(Y c (1 − c)) on top of the rounding."""
    from reference.margins import joint_margins

    adults = {"nederland": 1400.0, "europa": 500.0, "buiten_europa": 650.0}
    young = {"nederland": 150.0, "europa": 60.0, "buiten_europa": 150.0}
    out = joint_margins("origin", adults, young, 1)
    assert out["europa"] == pytest.approx(4.0 + 2 * math.sqrt(360 * (60 / 360) * (300 / 360)))
    assert out["nederland"] == pytest.approx(4.0 + 2 * math.sqrt(150 * 210 / 360))
    assert joint_margins("origin", adults, dict.fromkeys(young, 0.0), 1) == dict.fromkeys(adults, 4.0)
    tenure = joint_margins("tenure", {"koop": 600.0, "huur_corporatie": 400.0}, {"koop": 50.0,
                                                                              "huur_corporatie": 50.0}, 1)
    assert tenure["koop"] == pytest.approx(4.0 + 0.005 * 1000 + 2 * math.sqrt(100 * 0.25))
    # households: rounding (4 alone, 2 × 4 without, 4 inhabitants via 'met kinderen') and the
    # persons per household without children (half of 0.3 × 400: one-sided) stay; all young with children: no spread
    household = joint_margins("household", {"eenpersoons": 1000.0, "paar_zonder_kinderen": 800.0,
                                            "met_kinderen": 600.0},
                              {"eenpersoons": 0.0, "paar_zonder_kinderen": 0.0, "met_kinderen": 300.0}, 1)
    assert household["paar_zonder_kinderen"] == pytest.approx(8.0 + 800 / 2400 * 4 + 0.15 * 400)
    assert household["eenpersoons"] == pytest.approx(4.0 + 1000 / 2400 * 4)
