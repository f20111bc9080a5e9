"""The buurt reference from real KWB files (../shared/data/cbs), against CBS sanity figures."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from reference.load import ReferenceDataError, describe_reference, list_areas, load_kwb_file, search_areas

CSV_NAME = "kwb2024_85984NED_odata_first10000rows.csv"


@pytest.fixture(scope="module")
def kwb_csv(cbs_dir) -> bytes:
    return (cbs_dir / CSV_NAME).read_bytes()


def _load(data: bytes, *areas: str, min_age: int = 0, name: str = CSV_NAME):
    return load_kwb_file(data, name, areas=list(areas), min_age=min_age)


# code: (inhabitants, ages, origin, households 1p/zonder/met, koop/huur/corporatie %,
#        residents outside private households: inhabitants - households × (size + 0.05))
INSTITUTIONAL = {"BU0363AA02": 0, "BU00140000": 0, "BU05183033": 0,
                 "BU16800000": 3455 - 1525 * (2.2 + 0.05)}
SANITY = {
    "BU0363AA02": (2895, (275, 270, 920, 815, 610), (1575, 575, 745), (1150, 400, 295), (34, 66, 50)),
    "BU00140000": (4745, (55, 2365, 1540, 455, 330), (3180, 845, 720), (3255, 565, 85), (13, 87, 19)),
    "BU05183033": (5005, (985, 685, 1485, 1195, 660), (325, 975, 3710), (970, 395, 780), (25, 75, 43)),
    "BU16800000": (3455, (480, 345, 630, 1030, 975), (3210, 95, 150), (440, 580, 500), (74, 26, 20)),
}


@pytest.mark.parametrize("code", sorted(SANITY))
def test_sanity_figures_from_the_odata_csv(kwb_csv: bytes, code: str) -> None:
    inhabitants, ages, origin, households, (koop, huur, corp) = SANITY[code]
    ref = _load(kwb_csv, code)
    assert ref.year == 2024 and ref.table == "85984NED"
    assert ref.population == inhabitants
    assert tuple(ref.dimensions["age"].values()) == ages
    assert tuple(ref.dimensions["origin"].values()) == origin
    # persons, not households (min_age 0: children stay in households with children)
    alone, without, _ = households
    rest = inhabitants - INSTITUTIONAL[code] - alone - 2 * without
    assert tuple(ref.dimensions["household"].values()) == pytest.approx((alone, 2 * without, rest))
    tenure = ref.dimensions["tenure"]
    # persons per tenure: their ratios are the CBS dwelling percentages
    assert tenure["koop"] / tenure["huur_corporatie"] == pytest.approx(koop / corp)
    # overig is published on its own; it may differ by one point from huur - corporatie
    assert tenure["huur_overig"] / tenure["huur_corporatie"] == pytest.approx((huur - corp) / corp, abs=1.01 / corp)
    assert sum(tenure.values()) == pytest.approx(inhabitants - INSTITUTIONAL[code])
    assert ref.units["tenure"] == "personen" and ref.units["household"] == "personen"
    assert ref.assumptions
    assert ref.eligible_population == sum(ages)
    assert "origin_old" not in ref.dimensions


def test_amsterdam_gemeente_counts_are_exact(kwb_csv: bytes) -> None:
    ref = _load(kwb_csv, "GM0363")
    assert ref.population == 931_298
    assert ref.dimensions["age"] == {"0-15": 122_836, "15-25": 124_148, "25-45": 343_274,
                                     "45-65": 214_560, "65+": 126_480}
    assert ref.dimensions["origin"] == {"nederland": 375_842, "europa": 158_889,
                                        "buiten_europa": 396_567}
    assert ref.dimensions["household"]["eenpersoons"] == 283_997
    assert not any("afronding" in n or "rondt af" in n for n in ref.notes)
    shares = {k: v / sum(ref.dimensions["tenure"].values()) for k, v in ref.dimensions["tenure"].items()}
    assert shares == pytest.approx({"koop": 0.30, "huur_corporatie": 0.40, "huur_overig": 0.30})


def test_rounding_difference_is_reported_and_category_sum_is_the_base(kwb_csv: bytes) -> None:
    ref = _load(kwb_csv, "BU05183033")
    assert sum(ref.dimensions["age"].values()) == 5010  # total 5,005: rounded to 5
    assert any("5.010" in n and "5.005" in n for n in ref.notes)


def test_min_age_cut_worked_by_hand(kwb_csv: bytes) -> None:
    # Transvaalkwartier-Midden, 18+: 15-25 keeps 7 of 10 ages: 685 × 0.7 = 479.5
    ref = _load(kwb_csv, "BU05183033", min_age=18)
    assert ref.dimensions["age"] == {"15-25": 479.5, "25-45": 1485, "45-65": 1195, "65+": 660}
    assert ref.eligible_population == 3819.5
    share = 3819.5 / 5010
    assert ref.dimensions["gender"]["man"] == pytest.approx(2560 * share)
    assert ref.dimensions["origin"]["buiten_europa"] == pytest.approx(3710 * share)
    # persons in households with children, 18+: 5,005 - 970 - 2 × 395 - (985 + 685 × 3/10)
    assert ref.dimensions["household"]["met_kinderen"] == pytest.approx(2054.5)
    assert "age:15-25" in ref.estimated and "gender:man" in ref.estimated
    assert "age:25-45" not in ref.estimated and "household:met_kinderen" in ref.estimated


@pytest.mark.parametrize("min_age, expected", [
    (15, {"15-25": 685, "25-45": 1485, "45-65": 1195, "65+": 660}),
    (16, {"15-25": 616.5, "25-45": 1485, "45-65": 1195, "65+": 660}),
    (70, {"65+": 660 * 30 / 35}),  # open band: ages 65..100 assumed uniform
])
def test_min_age_boundaries(kwb_csv: bytes, min_age: int, expected: dict) -> None:
    ref = _load(kwb_csv, "BU05183033", min_age=min_age)
    assert ref.dimensions["age"] == pytest.approx(expected)
    assert ("age:15-25" in ref.estimated) == (min_age == 16)


def test_summed_areas(kwb_csv: bytes) -> None:
    one, two = _load(kwb_csv, "BU05183033"), _load(kwb_csv, "BU00140000")
    both = _load(kwb_csv, "BU05183033", "BU00140000")
    assert both.population == 5005 + 4745
    assert [c for c, _ in both.areas] == ["BU05183033", "BU00140000"]
    for dim in ("age", "gender", "household", "origin", "tenure"):
        for cat, value in both.dimensions[dim].items():
            assert value == pytest.approx(one.dimensions[dim][cat] + two.dimensions[dim][cat])
    # persons per tenure, per area: 25/99 of 5,005 + 13/100 of 4,745 (shares over known owners)
    assert both.dimensions["tenure"]["koop"] == pytest.approx(25 / 99 * 5005 + 13 / 100 * 4745)


def test_secret_tenure_of_a_tiny_buurt_is_unknown_not_zero(kwb_csv: bytes) -> None:
    ref = _load(kwb_csv, "BU16800000", "BU16800909")  # Annen + 5 inhabitants, tenure secret
    annen = _load(kwb_csv, "BU16800000")
    assert ref.dimensions["tenure"] == annen.dimensions["tenure"]
    assert any("BU16800909" in n and "Woning" in n for n in ref.notes)


def test_errors_are_dutch_and_name_the_code_or_file(kwb_csv: bytes) -> None:
    with pytest.raises(ReferenceDataError, match="BU99999999.*" + CSV_NAME):
        _load(kwb_csv, "BU99999999")
    with pytest.raises(ReferenceDataError, match="dubbel"):
        _load(kwb_csv, "BU05183033", "WK051830")
    with pytest.raises(ReferenceDataError, match="Geen inwoners.*BU16800709"):
        _load(kwb_csv, "BU16800709")
    with pytest.raises(ReferenceDataError, match="enquete.csv.*lijkt geen KWB-bestand"):
        load_kwb_file(b"naam;leeftijd\nAnna;34\n", "enquete.csv", areas=["GM0363"])
    with pytest.raises(ReferenceDataError, match="geen KWB-bestand"):
        load_kwb_file(b"%PDF", "kwb.pdf", areas=["GM0363"])
    assert issubclass(ReferenceDataError, ValueError)


def test_search_areas_by_name_and_code(kwb_csv: bytes) -> None:
    areas = list_areas(kwb_csv, CSV_NAME)
    assert len(areas[areas["kind"] == "Buurt"]) == 8021
    found = search_areas("transvaal", areas)
    assert list(found.columns) == ["code", "name", "kind", "gemeente"]
    row = found[found["code"] == "BU05183033"].iloc[0]
    assert (row["name"], row["gemeente"]) == ("Transvaalkwartier-Midden", "'s-Gravenhage")
    assert {"BU05183032", "BU05183034", "WK051830", "BU0363MD01"} <= set(found["code"])
    assert set(search_areas("BU051830", areas)["code"]) >= {"BU05183033"}
    assert search_areas("   ", areas).empty


def test_describe_reference_is_dutch_with_source(kwb_csv: bytes) -> None:
    text = describe_reference(_load(kwb_csv, "BU05183033", min_age=18))
    assert "Bron: CBS, Kerncijfers wijken en buurten 2024" in text
    assert "Transvaalkwartier-Midden (BU05183033)" in text
    # named from the minimum age as on the dashboard: only residents from 18 count in '15-25'
    assert "18 tot 25 jaar: 480 (" in text and "(geschat)" in text  # 479.5 read as a whole count
    assert "15 tot 25 jaar" not in text
    assert "Inwoners van 18 jaar en ouder: 3.820" in text and ",5 " not in text
    assert "Inwoners: 5.005" in text


def test_describe_reference_gives_every_share_one_decimal(kwb_csv: bytes) -> None:
    """'(12,0%)' beside '(53,7%)', never '(12%)': the same shares as the dashboard's lines."""
    import re

    ref = _load(kwb_csv, "BU05183033", min_age=18)
    text = describe_reference(ref)
    shares = re.findall(r"\(([^()]*%)\)", text)
    assert shares and all(re.fullmatch(r"\d{1,3},\d%", s) for s in shares), shares
    total = sum(ref.dimensions["gender"].values())
    man = ref.dimensions["gender"]["man"]
    assert f"Man: {round(man):,}".replace(",", ".") in text
    share = f"{100 * man / total:.1f}".replace(".", ",")
    assert f"({share}%)" in text


def test_describe_reference_without_min_age_keeps_cbs_band_names(kwb_csv: bytes) -> None:
    text = describe_reference(_load(kwb_csv, "BU05183033", min_age=0))
    assert "15 tot 25 jaar: " in text


def test_utrecht_2023_excel(cbs_dir) -> None:
    data = (cbs_dir / "kwb2023_utrecht_GM0344.xlsx").read_bytes()
    ref = load_kwb_file(data, "kwb2023_utrecht_GM0344.xlsx", areas=["BU03440111"], min_age=0)
    assert ref.year == 2023 and ref.population == 1810
    assert ref.dimensions["age"] == {"0-15": 200, "15-25": 235, "25-45": 780, "45-65": 235, "65+": 360}
    assert ref.dimensions["household"]["eenpersoons"] == 630
    tenure = ref.dimensions["tenure"]
    assert tenure["koop"] / sum(tenure.values()) == pytest.approx(0.44, abs=0.005)  # 44 of 99 % known
    assert tenure["huur_corporatie"] == 0
    assert "Kerncijfers wijken en buurten 2023" in describe_reference(ref)
    gm = load_kwb_file(data, "kwb2023_utrecht_GM0344.xlsx", areas=["gm0344"], min_age=0)
    assert gm.population == 367_947


def test_utrecht_2024_early_release_has_no_tenure(cbs_dir) -> None:
    name = "kwb2024_utrecht_GM0344_early_release.xlsx"
    ref = load_kwb_file((cbs_dir / name).read_bytes(), name, areas=["BU03440111"], min_age=0)
    assert ref.year == 2024 and ref.population == 1800
    assert "tenure" not in ref.dimensions
    assert any("Woning" in n for n in ref.notes)


def _old_excel(rows: list[dict]) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame(rows).astype(str).to_excel(buffer, sheet_name="kwb-2021", index=False)
    return buffer.getvalue()


def test_old_excel_uses_origin_old_and_treats_dots_as_unknown() -> None:
    # Layout of kwb-2021.xlsx (westers/niet-westers counts); numbers stored as text.
    base = {"gwb_code_10": "BU00010001", "regio": "Oud", "gm_naam": "Test", "recs": "Buurt",
            "a_inw": "1000", "a_man": "500", "a_vrouw": "500", "a_00_14": "100", "a_15_24": "200",
            "a_25_44": "300", "a_45_64": "250", "a_65_oo": "150", "a_w_all": "100",
            "a_nw_all": "300", "a_hh": "500", "a_1p_hh": "250", "a_hh_z_k": "150",
            "a_hh_m_k": "100", "a_woning": "400", "p_koopw": "50", "p_huurw": "50",
            "p_wcorpw": "30", "p_ov_hw": "20"}
    secret = dict(base, gwb_code_10="BU00010002", a_inw="10", a_man="5", a_vrouw="5",
                  a_00_14=".", a_w_all="0", a_nw_all="5", p_koopw=".")
    data = _old_excel([base, secret])
    ref = load_kwb_file(data, "kwb-2021.xlsx", areas=["BU00010001", "BU00010002"], min_age=0)
    assert ref.year == 2021 and "origin" not in ref.dimensions
    assert ref.dimensions["origin_old"] == {"geen_migratieachtergrond": 600 + 5,
                                            "westers": 100, "niet_westers": 305}
    assert ref.dimensions["age"] == {"0-15": 100, "15-25": 200, "25-45": 300, "45-65": 250, "65+": 150}
    assert ref.dimensions["gender"] == {"man": 505, "vrouw": 505}
    # persons per tenure: 50/30/20 % of the 1,000 inhabitants of the area with figures
    assert ref.dimensions["tenure"] == {"koop": 500, "huur_corporatie": 300, "huur_overig": 200}
    assert any("BU00010002" in n and "Leeftijd" in n for n in ref.notes)
    assert any("oude CBS-indeling" in n for n in ref.notes)


def test_old_excel_with_percentages_gives_estimated_counts() -> None:
    # kwb-2019.xlsx gives age and migration background as % of inhabitants
    row = {"gwb_code_10": "BU00010001", "regio": "Oud", "gm_naam": "T", "recs": "Buurt",
           "a_inw": "1000", "p_00_14_jr": "10", "p_15_24_jr": "20", "p_25_44_jr": "30",
           "p_45_64_jr": "25", "p_65_eo_jr": "15", "p_west_al": "10", "p_n_w_al": "30"}
    ref = load_kwb_file(_old_excel([row]), "kwb-2019.xlsx", areas=["BU00010001"], min_age=18)
    assert ref.year == 2019
    assert ref.dimensions["age"] == pytest.approx({"15-25": 140, "25-45": 300, "45-65": 250, "65+": 150})
    share = 840 / 1000
    assert ref.dimensions["origin_old"] == pytest.approx(
        {"geen_migratieachtergrond": 600 * share, "westers": 100 * share, "niet_westers": 300 * share})
    assert "age:25-45" in ref.estimated and "age:0-15" not in ref.estimated
