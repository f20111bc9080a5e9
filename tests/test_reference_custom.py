"""load_custom_reference: a long table (dimension, category, count) made by the team."""
from __future__ import annotations

import io
from dataclasses import replace

import pandas as pd
import pytest

from reference.custom import age_interval, spread_ages
from reference.load import ReferenceDataError, describe_reference, load_custom_reference

BRP = """dimensie;categorie;aantal
leeftijd;0-4;50
leeftijd;5-17;130
leeftijd;18-29;200
leeftijd;30-44;300
leeftijd;45-64;250
leeftijd;65+;150
geslacht;Man;540
geslacht;Vrouw;540
huishouden;Alleenstaand;300
huishouden;paar zonder kinderen;200
huishouden;met kinderen;100
huishouden;eenoudergezin;50
woning;Koopwoning;"1.200"
woning;corporatie;800
woning;particuliere huur;400
"""


def test_brp_bands_are_spread_over_cbs_bands_worked_by_hand() -> None:
    ref = load_custom_reference(BRP.encode(), "brp.csv", min_age=18)
    # 18-29 is 18..29 inclusive = 12 years: 7 of them in 15-25, 5 in 25-45
    assert ref.dimensions["age"] == pytest.approx(
        {"15-25": 200 * 7 / 12, "25-45": 200 * 5 / 12 + 300, "45-65": 250, "65+": 150})
    assert ref.population == 1080 and ref.eligible_population == pytest.approx(900)
    assert ref.dimensions["gender"] == pytest.approx({"man": 450, "vrouw": 450})
    assert ref.dimensions["household"] == {"eenpersoons": 300, "paar_zonder_kinderen": 200,
                                           "met_kinderen": 150}
    assert ref.dimensions["tenure"] == {"koop": 1200, "huur_corporatie": 800, "huur_overig": 400}
    assert {"age:15-25", "age:25-45", "gender:man"} <= set(ref.estimated)
    assert "age:45-65" not in ref.estimated
    assert ref.table == "eigen referentie" and ref.year is None
    assert "Bron: eigen referentietabel (brp.csv)" in describe_reference(ref)


def test_single_ages_cut_exactly_at_min_age() -> None:
    rows = [{"dimension": "age", "category": str(a), "count": 10} for a in range(0, 30)]
    buffer = io.BytesIO()
    pd.DataFrame(rows).to_excel(buffer, index=False)
    ref = load_custom_reference(buffer.getvalue(), "brp.xlsx", min_age=16)
    assert ref.dimensions["age"] == {"15-25": 90, "25-45": 50}
    assert ref.estimated == ()  # single ages: nothing had to be guessed
    assert ref.eligible_population == 140 and ref.population == 300


def test_age_intervals() -> None:
    assert age_interval("18", "r") == (18, 19)
    assert age_interval("18-29", "r") == (18, 30)
    assert age_interval("15-25", "r") == (15, 25)  # the CBS code itself
    assert age_interval("15 tot 25 jaar", "r") == (15, 25)
    assert age_interval("18 t/m 29", "r") == (18, 30)
    assert age_interval("95 jaar en ouder", "r") == (95, None)
    kept, estimated, total = spread_ages([(60, None, 400)], 0)  # 60..100 uniform
    assert kept == pytest.approx({"45-65": 50, "65+": 350}) and total == 400


@pytest.mark.parametrize("text, message", [
    ("dimensie;categorie;aantal\nleeftijd;18-29;-5\n", "rij 2.*negatief"),
    ("dimensie;categorie;aantal\ngeslacht;onbekend wezen;5\n", "rij 2.*past bij geen groep"),
    ("dimensie;categorie;aantal\nschoenmaat;42;5\n", "onbekende dimensie 'schoenmaat'"),
    ("dimensie;categorie;aantal\nleeftijd;jong;5\n", "'jong' is geen leeftijd"),
    ("groep;n\nman;5\n", "mist de kolom 'dimensie'"),
    ("dimensie;categorie;aantal\nleeftijd;18;abc\n", "'abc' is geen getal"),
    ("dimensie;categorie;aantal\nleeftijd;10;5\n", "niemand van 18"),
])
def test_bad_tables_give_dutch_errors_naming_file_and_row(text: str, message: str) -> None:
    with pytest.raises(ReferenceDataError, match=message) as info:
        load_custom_reference(text.encode(), "eigen.csv")
    assert "eigen.csv" in str(info.value)


def test_joint_table_gives_a_seed_for_the_cells() -> None:
    import numpy as np
    import pandas as pd

    from engagement.cells import two_way_cells
    from reference.custom import read_joint_table
    from reference.model import BuurtReference

    text = ("leeftijd;huishouden;aantal\n"
            "15-25;alleenstaand;100\n15-25;met kinderen;300\n"
            "25-45;alleenstaand;400\n25-45;met kinderen;600\n"
            "65+;alleenstaand;500\n65+;met kinderen;20\n")
    rows, cols, seed = read_joint_table(text.encode("utf-8"), "brp_cellen.csv", min_age=18)
    assert (rows, cols) == ("age", "household")
    # 15-25 cut at 18 with uniform ages: 7 of 10 years
    assert seed.loc["15-25", "eenpersoons"] == pytest.approx(70)
    assert seed.loc["65+", "met_kinderen"] == pytest.approx(20)
    reference = BuurtReference(areas=(), year=None, table="t", population=2000,
                               eligible_population=1700, min_age=18,
                               dimensions={"age": {"15-25": 280, "25-45": 1000, "65+": 520},
                                           "household": {"eenpersoons": 970, "met_kinderen": 830}})
    cells = two_way_cells(pd.DataFrame({"age": [70, 30], "household": ["eenpersoons"] * 2}),
                          reference, "age", "household", seed=seed).set_index(["row", "col"])
    # the team's table keeps 65-plussers out of families; independence would not
    assert cells.loc[("65+", "met_kinderen"), "population"] < 0.05 * 520
    assert not np.isnan(cells["population"]).any()
    with pytest.raises(ReferenceDataError, match="twee kenmerken"):
        read_joint_table(b"leeftijd;aantal\n18;3\n", "een.csv")


@pytest.mark.parametrize("text, expected", [
    ("<25", (0.0, 25.0)), ("18 to 29", (18.0, 30.0)), ("18 t/m 29", (18.0, 30.0)),
    ("75 jaar of ouder", (75.0, None)), ("45", (45.0, 46.0))])
def test_custom_ages_use_the_one_band_parser(text: str, expected: tuple) -> None:
    from reference.custom import age_interval
    from surveys.age_bands import parse_band

    assert age_interval(text, "tabel") == expected
    band = parse_band(text, single_year=True)
    assert band is not None and band.low == expected[0]


def test_joint_table_gives_the_eligible_share_of_origin_by_spree() -> None:
    # Buurt: 100 children (0-15) and 300 adults (25-45); origin for all ages 200 / 200, so
    # the KWB reference takes 150 / 150 among the adults with a wide margin. The team's
    # table (e.g. the gemeente) has children mostly of origin outside Europe: odds ratio
    # (10/90) / (50/50) = 1/9. Fitted to the buurt's figures with that odds ratio, the
    # children hold n Dutch with n/(100 − n) / ((200 − n)/(100 + n)) = 1/9, i.e.
    # n² + 150 n − 2500 = 0, n = 15.14: the adults are 184.86 Dutch and 115.14 outside Europe.
    import math

    from reference.custom import apply_joint_table
    from reference.model import BuurtReference

    reference = BuurtReference(
        areas=(("BU1", "Test"),), year=2024, table="85984NED", population=400.0,
        eligible_population=300.0, min_age=18,
        dimensions={"age": {"25-45": 300.0}, "origin": {"nederland": 150.0, "buiten_europa": 150.0}},
        margins={"age": {"25-45": 2.5}, "origin": {"nederland": 102.5, "buiten_europa": 102.5}},
        assumptions=("CBS geeft herkomst alleen voor alle leeftijden.",))
    text = ("leeftijd;herkomst;aantal\n0-15;Nederland;10\n0-15;buiten Europa;90\n"
            "25-45;Nederland;50\n25-45;buiten Europa;50\n")
    out = apply_joint_table(reference, text.encode("utf-8"), "gemeente_leeftijd_herkomst.csv")
    n = (-150 + math.sqrt(150 ** 2 + 4 * 2500)) / 2
    assert out.dimensions["origin"] == pytest.approx(
        {"nederland": 200 - n, "buiten_europa": 100 + n}, abs=1e-4)
    # rounding only: CBS rounds at random to a multiple of 5, a count is off by at most 4
    # CBS rounding (at most 4) plus the buurt's own 100 young as a binomial draw around the
    # table's split (15.14 Dutch): ± 2·√(100 · 0.1514 · 0.8486) = ± 7.169, the same both ways
    spread = 2 * math.sqrt(100 * (n / 100) * (1 - n / 100))
    assert spread == pytest.approx(7.169, abs=1e-3)
    assert out.margins["origin"] == pytest.approx({"nederland": 4 + spread, "buiten_europa": 4 + spread},
                                                  abs=1e-5)
    assert out.dimensions["age"] == reference.dimensions["age"]
    assert "gemeente_leeftijd_herkomst.csv" in out.assumptions[-1]
    with pytest.raises(ReferenceDataError, match="herkomst, woning of huishouden"):
        apply_joint_table(reference, b"leeftijd;geslacht;aantal\n0-15;man;3\n25-45;vrouw;4\n", "g.csv")
    with pytest.raises(ReferenceDataError, match="europa"):
        apply_joint_table(replace(reference, dimensions={**reference.dimensions, "origin": {
            "nederland": 100.0, "europa": 100.0, "buiten_europa": 100.0}}), text.encode(), "g.csv")


def test_joint_table_says_where_the_young_live_for_household() -> None:
    # Buurt: 100 persons under 18 (0-15) and 300 adults (25-45) who live alone (100), as a
    # couple without children (100) or with children (100); the KWB reference puts every
    # young person with children, so all ages hold 100 / 100 / 200. The gemeente table has
    # 10 of its young living alone: odds ratio alone : with children (10/90) / (100/100)
    # = 1/9, no young in couples. With a young living alone, a(100 + a)/(100 − a)² = 1/9,
    # i.e. 8a² + 1100a − 10000 = 0, a = 8.558: the adults are 91.44 alone, 100 couples
    # and 108.56 with children.
    import math

    from reference.custom import apply_joint_table
    from reference.model import BuurtReference

    reference = BuurtReference(
        areas=(("BU1", "Test"),), year=2024, table="85984NED", population=400.0,
        eligible_population=300.0, min_age=18,
        dimensions={"age": {"25-45": 300.0}, "household": {
            "eenpersoons": 100.0, "paar_zonder_kinderen": 100.0, "met_kinderen": 100.0}},
        margins={"age": {"25-45": 2.5}}, assumptions=())
    text = ("leeftijd;huishouden;aantal\n0-15;alleenstaand;10\n0-15;met kinderen;90\n"
            "25-45;alleenstaand;100\n25-45;zonder kinderen;100\n25-45;met kinderen;100\n")
    out = apply_joint_table(reference, text.encode("utf-8"), "brp_leeftijd_huishouden.csv")
    a = (-1100 + math.sqrt(1100 ** 2 + 4 * 8 * 10000)) / 16
    assert a == pytest.approx(8.558, abs=1e-3)
    assert out.dimensions["household"] == pytest.approx(
        {"eenpersoons": 100 - a, "paar_zonder_kinderen": 100.0, "met_kinderen": 100 + a}, abs=1e-4)
    assert "niet meer aan dat alle inwoners jonger dan 18" in out.assumptions[-1]


def test_joint_table_on_a_kwb_buurt_replaces_the_age_margin(cbs_dir) -> None:
    # Transvaalkwartier-Midden: 1,190.5 of 5,010 residents are under 18. A gemeente table
    # in which the young are more often of origin outside Europe than the adults moves the
    # adults' share below the all-ages 74 %, keeps the total, and the margin drops to
    # CBS rounding; the KWB tenure is left as it was.
    from reference.custom import apply_joint_table
    from reference.load import load_kwb_file

    name = "kwb2024_85984NED_odata_first10000rows.csv"
    kwb = load_kwb_file((cbs_dir / name).read_bytes(), name, areas=["BU05183033"], min_age=18)
    rows = [("0-15", "Nederland", 300), ("0-15", "Europa", 150), ("0-15", "buiten Europa", 550),
            ("15-25", "Nederland", 350), ("15-25", "Europa", 150), ("15-25", "buiten Europa", 500),
            ("25-45", "Nederland", 400), ("25-45", "Europa", 250), ("25-45", "buiten Europa", 350),
            ("45-65", "Nederland", 500), ("45-65", "Europa", 150), ("45-65", "buiten Europa", 350),
            ("65+", "Nederland", 700), ("65+", "Europa", 100), ("65+", "buiten Europa", 200)]
    text = "leeftijd;herkomst;aantal\n" + "".join(f"{a};{o};{n}\n" for a, o, n in rows)
    out = apply_joint_table(kwb, text.encode("utf-8"), "gemeente.csv")
    before, after = kwb.dimensions["origin"], out.dimensions["origin"]
    assert sum(after.values()) == pytest.approx(sum(before.values()))
    share = after["buiten_europa"] / sum(after.values())
    assert 0.66 < share < 3710 / 5010  # inside the logical bound, below the all-ages share
    # rounding (at most 4) and the binomial spread of the buurt's 1,190.5 young: far below
    # the age-structure margin it replaces
    assert all(4.0 < out.margins["origin"][k] < 4.0 + 2 * (1190.5 / 4) ** 0.5 for k in after)
    assert kwb.margins["origin"]["buiten_europa"] > 300
    assert out.dimensions["tenure"] == kwb.dimensions["tenure"]
    assert out.margins["tenure"] == kwb.margins["tenure"]


def test_an_unreadable_table_is_one_dutch_line_without_the_readers_english() -> None:
    """README walk-through: an empty --joint file said '… (CSV of Excel): No columns to
    parse from file' (pandas' own words)."""
    from reference.custom import _read

    for data, name, why in ((b"", "leeg.csv", "het is leeg"),
                            (b"\x00\x01garbage", "kapot.xlsx", "het is geen tabel met een kopregel")):
        with pytest.raises(ReferenceDataError) as caught:
            _read(data, name)
        text = str(caught.value)
        assert f"Bestand '{name}'" in text and why in text
        assert "No columns" not in text and "Error" not in text
