"""Reach per buurt (engagement.areas): per 100, missed residents, assignment, finding, CLI."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from builders import delimited_bytes, stacked_tables
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from engagement.areas import (
    RESIDENTS_DEFINITION,
    AreasResult,
    BuurtData,
    assign_buurten,
    buurt_reference,
    compute_areas,
    describe_areas,
    expand_areas,
    load_buurten,
)
from engagement.batch import POPULATION_COLUMNS
from engagement.coverage import compute_coverage
from reference.build import ReferenceDataError
from reference.model import BuurtReference
from reference.postcodes import (
    KwbPostcodes,
    kwb_postcodes,
    normalise_buurtcode,
    read_postcode_table,
)
from reports.charts_areas import areas_table, group_options, group_table
from ui.cli import app

CSV_NAME = "kwb2024_85984NED_odata_first10000rows.csv"
A, B, C = "BU99990001", "BU99990002", "BU99990003"


def _population(spec: dict[str, dict[str, float]], names: dict[str, str]) -> pd.DataFrame:
    """A long population table (engagement.batch layout) with gender only."""
    rows = []
    for code, counts in spec.items():
        for category, value in counts.items():
            rows.append({"area_code": code, "area_name": names[code], "dimension": "gender",
                         "category": category, "population": value, "estimated": False,
                         "persons": np.nan, "eligible_population": sum(counts.values()),
                         "margin": 0.0})
    return pd.DataFrame(rows, columns=POPULATION_COLUMNS)


@pytest.fixture()
def small() -> BuurtData:
    """A: 600 men, 400 women; B: 500/500; C: 300/300 (eligible persons)."""
    names = {A: "Aalstraat", B: "Beekdal", C: "Centrum"}
    population = _population({A: {"man": 600.0, "vrouw": 400.0},
                              B: {"man": 500.0, "vrouw": 500.0},
                              C: {"man": 300.0, "vrouw": 300.0}}, names)
    rows = pd.DataFrame({"code": [A, B, C], "name": list(names.values())})
    return BuurtData(rows=rows, population=population, postcodes=KwbPostcodes({}), min_age=18)


def _people(spec: list[tuple[str | None, str, int]], **extra) -> pd.DataFrame:
    """(area_code, gender, count) → respondent rows (age 40, counted)."""
    rows = []
    for area, gender, count in spec:
        rows += [{"area_code": area, "gender": gender, "age": 40.0, **extra}] * count
    frame = pd.DataFrame(rows)
    frame["respondent_id"] = range(len(frame))
    return frame


def test_per_100_and_missed_residents_by_hand(small) -> None:
    # A: 16 men and 4 women of 1,000 eligible → 2 per 100. Women: share 0.2 vs 0.4 →
    # ratio 0.5; at A's rate (20 / 1,000) the 4 women stand for 200 of the 400 → 200 missed.
    # C: 12 men, 0 women → women unreached (ratio 0) → all 300 missed.
    people = _people([(A, "man", 16), (A, "vrouw", 4), (C, "man", 12), (None, "man", 3)])
    result = compute_areas(people, small)
    a, b, c = result.area(A), result.area(B), result.area(C)
    assert a.respondents == 20 and a.per_100 == pytest.approx(2.0)
    assert [(m.dimension, m.category) for m in a.missing] == [("gender", "vrouw")]
    assert a.missing[0].residents == pytest.approx(400 - 4 / (20 / 1000))  # = 200
    assert a.missing[0].ratio == pytest.approx(0.5)
    assert b.respondents == 0 and b.per_100 == 0.0 and b.missing == ()
    assert c.missing[0].category == "vrouw" and c.missing[0].residents == pytest.approx(300.0)
    assert c.missing[0].label == "nog niemand gesproken"
    assert result.unknown == 3
    # the finding: women missed most in Centrum (300) then Aalstraat (200)
    assert result.finding[0] == ("De meeste vrouwen die we missen wonen in Centrum "
                                 "(ongeveer 300 van de 500).")
    assert "In Beekdal hebben we nog niemand gesproken." in result.finding
    assert any("3 respondenten konden we niet aan een buurt koppelen" in s for s in result.finding)
    assert RESIDENTS_DEFINITION in result.assumptions


def test_same_ratio_as_compute_coverage_for_one_buurt(small) -> None:
    people = _people([(A, "man", 16), (A, "vrouw", 4)])
    reference = BuurtReference(areas=((A, "Aalstraat"),), year=2024, table="test",
                               population=1000.0, eligible_population=1000.0, min_age=18,
                               dimensions={"gender": {"man": 600.0, "vrouw": 400.0}})
    cov = compute_coverage(people, reference, weighting=False).dimension("gender")
    vrouw = next(c for c in cov.categories if c.category == "vrouw")
    missing = compute_areas(people, small).area(A).missing[0]
    assert missing.ratio == pytest.approx(vrouw.ratio) and missing.label == vrouw.label


def test_excluded_and_too_young_rows_do_not_count(small) -> None:
    people = _people([(A, "man", 10)])
    extra = pd.DataFrame([{"area_code": A, "gender": "vrouw", "age": 15.0, "respondent_id": 90},
                          {"area_code": A, "gender": "vrouw", "age": 40.0, "respondent_id": 91,
                           "excluded": "test"}])
    result = compute_areas(pd.concat([people, extra], ignore_index=True), small)
    assert result.area(A).respondents == 10
    assert result.excluded == {"under_min_age": 1, "test": 1}


def test_small_buurt_groups_are_not_named_in_the_finding(small) -> None:
    from reports.charts_areas import protect_areas

    people = _people([(A, "man", 3), (B, "man", 15), (C, "man", 12)])
    result = compute_areas(people, small)
    assert result.area(A).missing  # the unprotected result keeps the figures …
    assert not any("Aalstraat" in s for s in result.finding[:1])  # … the finding does not name them
    assert any("1 tot 9 mensen" in s for s in result.finding)
    lines = describe_areas(protect_areas(result)[0]).splitlines()
    # 3 + 15 + 12 = 30 is published: Centrum (12, the smallest other) is hidden as well
    assert "Aalstraat (BU99990001): minder dan 10 respondenten" in lines
    assert any(line.startswith("Centrum (BU99990003): aantal respondenten verborgen")
               and "Vrouw (aantal niet getoond)" in line for line in lines)
    assert any(line.startswith("Beekdal (BU99990002): 15 respondenten") and "gemist: Vrouw (~500)" in line
               for line in lines)
    table = areas_table(result)  # the dashboard's table is the protected one too
    rows = table.set_index("Code")
    assert rows.at[A, "Respondenten"] == "<10" and rows.at[A, "Per 100 inwoners"] == "<10"
    assert "minder dan 10" in rows.at[A, "Gemiste groepen (geschat aantal inwoners)"]
    assert rows.at[C, "Respondenten"] == "x" and rows.at[C, "Per 100 inwoners"] == "x"
    assert rows.at[B, "Respondenten"] == 15
    assert list(table["Code"]) == [B, A, C] or list(table["Code"])[0] == B  # hidden buurten last
    assert set(group_table(result, "gender", "vrouw")["Code"]) == {B}
    assert [g[:2] for g in group_options(result)] == [("gender", "vrouw")]


def test_to_dict_matches_the_design_contract_and_round_trips(small) -> None:
    result = compute_areas(_people([(A, "man", 16), (A, "vrouw", 4)]), small)
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) >= {"areas"}
    first = data["areas"][0]
    assert {"code", "name", "eligible_population", "respondents", "per_100", "missing"} <= set(first)
    assert set(first["missing"][0]) >= {"dimension", "category", "residents"}
    assert AreasResult.from_dict(data).to_dict() == data


# ------------------------------------------------------------------------ assignment

BUURTEN = pd.DataFrame({"code": [A, B, C], "name": ["Aalstraat", "Beekdal", "Centrum"]})


def test_assignment_by_area_code_and_by_name() -> None:
    people = pd.DataFrame({"area_code": [A, "beekdal", " centrum ", "BU12345678", "WK999900", None]})
    table = assign_buurten(people, BUURTEN).table
    assert table["buurt_code"].tolist() == [A, B, C, "", "", ""]
    assert table["method"].tolist() == ["area_code", "area_code", "area_code", "buiten",
                                        "onbekend", "onbekend"]


def test_assignment_by_postcode_table_pc6_first_then_pc4() -> None:
    csv = (b"postcode;buurtcode\n1234AB;BU99990001\n1234AC;99990002\n1234AD;99990002\n"
           b"5678ZZ;BU11110000\n")
    postcodes = read_postcode_table(csv, "pc6.csv")
    people = pd.DataFrame({"postcode6": ["1234AB", None, None, None],
                           "postcode4": ["1234", "1234", "5678", "9999"]})
    result = assign_buurten(people, BUURTEN, postcodes=postcodes)
    # 1234AB → A; PC4 1234 → B (2 of its 3 addresses); 5678 lies outside; 9999 is not in the table
    assert result.table["buurt_code"].tolist() == [A, B, "", ""]
    assert result.table["method"].tolist() == ["postcode_tabel", "postcode_tabel", "buiten", "onbekend"]
    assert postcodes.lookup["1234"] == (B, pytest.approx(2 / 3))
    assert any("niet in 'pc6.csv'" in n for n in result.notes)


def test_kwb_fallback_only_for_a_postcode_of_one_buurt() -> None:
    kwb = KwbPostcodes({A: "1111", B: "2222", C: "2222"}, {A: 3, B: 1, C: 1})
    people = pd.DataFrame({"postcode4": ["1111", "2222", "3333"]})
    result = assign_buurten(people, BUURTEN, kwb=kwb)
    assert result.table["buurt_code"].tolist() == [A, "", ""]
    assert result.table["method"].tolist() == ["kwb_postcode", "onbekend", "onbekend"]
    assert any("1 respondent met postcode 2222" in n for n in result.notes)
    # placed through their file after all: no note about the shared postcode
    people["source"] = ["a.csv#1", "straat.csv#2", "a.csv#3"]
    placed = assign_buurten(people, BUURTEN, kwb=kwb, file_areas={"straat.csv": B})
    assert placed.table["buurt_code"].tolist() == [A, B, ""]
    assert not any("meer dan één gekozen buurt" in n for n in placed.notes)


def test_kwb_fallback_states_its_uncertainty(small) -> None:
    data = BuurtData(rows=small.rows, population=small.population,
                     postcodes=KwbPostcodes({A: "1111"}, {A: 3}), min_age=18)
    people = _people([(None, "man", 12)], postcode4="1111")
    area = compute_areas(people, data).area(A)
    assert area.assigned_by == {"kwb_postcode": 12}
    assert "71 tot 80%" in area.note and "benadering" in area.note


def test_file_level_buurt_and_order_of_methods() -> None:
    people = pd.DataFrame({"area_code": [None, C, None],
                           "source": ["straat.xlsx#abc123abc123", "straat.xlsx#abc123abc123",
                                      "web.csv#ffffffffffff"]})
    result = assign_buurten(people, BUURTEN, file_areas={"straat.xlsx": "99990002"})
    assert result.table["buurt_code"].tolist() == [B, C, ""]
    assert result.table["method"].tolist() == ["bestand", "area_code", "onbekend"]
    assert result.counts() == {"bestand": 1, "area_code": 1, "onbekend": 1}


# -------------------------------------------------------------------- postcode table

def test_postcode_table_errors_are_dutch_and_name_the_column() -> None:
    with pytest.raises(ReferenceDataError, match="mist de kolom buurtcode.*Gevonden kolommen: postcode, wijk"):
        read_postcode_table(b"postcode;wijk\n1234AB;WK000100\n", "pc.csv")
    with pytest.raises(ReferenceDataError, match="rij 2, kolom 'postcode'.*'abc' is geen postcode"):
        read_postcode_table(b"postcode;buurtcode\nabc;BU00140000\n", "pc.csv")
    table = read_postcode_table(b"pc6,buurt2023\n1234AB,BU00140000\n12,BU00140000\n", "pc.csv")
    assert table.rows == 1 and "rij 3" in table.notes[0]


def test_buurtcode_normalisation() -> None:
    assert normalise_buurtcode("3630000") == "BU03630000"      # Excel dropped the zero
    assert normalise_buurtcode("0363AA01") == "BU0363AA01"     # Amsterdam letters
    assert normalise_buurtcode("BU05183033") == "BU05183033"
    assert normalise_buurtcode("Centrum") is None


# ----------------------------------------------------------------- real KWB figures

def test_buurten_of_a_wijk_have_the_figures_of_their_own_reference(cbs_dir) -> None:
    from reference.load import load_kwb_file

    data_bytes = (cbs_dir / CSV_NAME).read_bytes()
    data = load_buurten(data_bytes, CSV_NAME, ["WK015306"], min_age=18)  # Enschede-Zuid
    assert len(data.rows) == 10 and set(data.rows["code"].str[:8]) == {"BU015306"}
    eligible = data.population.drop_duplicates("area_code").set_index("area_code")["eligible_population"]
    for code in ("BU01530600", "BU01530609"):
        ref = load_kwb_file(data_bytes, CSV_NAME, areas=[code], min_age=18)
        assert eligible[code] == pytest.approx(ref.eligible_population)
    assert data.postcodes.postcode4["BU01530600"] == "7542"
    assert data.year == 2024
    # buurt_reference rebuilds the same BuurtReference as load_kwb_file for one buurt
    own = buurt_reference(data, "BU01530600").to_dict()
    loaded = load_kwb_file(data_bytes, CSV_NAME, areas=["BU01530600"], min_age=18).to_dict()
    assert set(own["notes"]) <= set(loaded["notes"])  # the file adds its own notes (income)
    assert {k: v for k, v in own.items() if k != "notes"} == \
        {k: v for k, v in loaded.items() if k != "notes"}
    own = buurt_reference(data, "BU01530600")
    part = data.population[data.population["area_code"] == "BU01530600"]
    for row in part.itertuples():
        assert own.dimensions[row.dimension][row.category] == pytest.approx(row.population)


def test_expand_gemeente_and_unknown_code(cbs_dir) -> None:
    from reference.files import read_kwb_table

    frame = read_kwb_table((cbs_dir / CSV_NAME).read_bytes(), CSV_NAME).frame
    rows = expand_areas(frame, ["GM0014", "BU00140000"], CSV_NAME)
    assert len(rows) == 151 and rows["code"].is_unique  # Groningen's buurten (README)
    with pytest.raises(ReferenceDataError, match="WK001499 staat niet in"):
        expand_areas(frame, ["WK001499"], CSV_NAME)


def test_kwb_postcodes_from_the_excel_download(cbs_dir) -> None:
    found = kwb_postcodes((cbs_dir / "kwb2023_utrecht_GM0344.xlsx").read_bytes(), "kwb-2023.xlsx")
    assert len(found.postcode4) == 111 and found.postcode4["BU03440111"] == "3533"
    assert set(found.coverage_class.values()) <= set(range(1, 7))


# ------------------------------------------------------------------------------ CLI

def _survey(tmp_path):
    rows = [[i + 1, 20 + (i * 7) % 60, "Man" if i % 3 else "Vrouw",
             ["9712 AB", "9711 CD", "9718 EF", ""][i % 4],
             ["BU00140000", "BU00140003", ""][i % 3]] for i in range(60)]
    path = tmp_path / "enquete.csv"
    path.write_bytes(delimited_bytes(["Respondentnummer", "Wat is uw leeftijd?", "Wat is uw geslacht?",
                                      "Postcode", "Buurtcode"], rows, delimiter=";"))
    return path


def test_cli_areas_json_keys(cbs_dir, tmp_path) -> None:
    out = tmp_path / "areas.json"
    result = CliRunner().invoke(app, ["areas", str(_survey(tmp_path)), "--kwb", str(cbs_dir / CSV_NAME),
                                      "--area", "WK001400", "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [a["code"][:8] for a in data["areas"]] == ["BU001400"] * 8  # the wijk's 8 buurten
    for area in data["areas"]:
        assert {"code", "name", "eligible_population", "respondents", "per_100", "missing"} <= set(area)
        for group in area["missing"]:
            assert {"dimension", "category", "residents"} <= set(group)
    noord = next(a for a in data["areas"] if a["code"] == "BU00140000")
    assert noord["respondents"] == 20 and noord["assigned_by"] == {"area_code": 20}
    assert math.isclose(noord["per_100"], 100 * 20 / noord["eligible_population"], rel_tol=1e-3)
    # rows without a buurtcode: PC4 9718 is the most common postcode of one buurt of the wijk
    assert sum(a["assigned_by"].get("kwb_postcode", 0) for a in data["areas"]) > 0
    assert "wonen in" in result.stdout or "niemand gesproken" in result.stdout


def test_cli_areas_bad_input_exits_2_in_dutch(cbs_dir, tmp_path) -> None:
    runner = CliRunner()
    survey = str(_survey(tmp_path))
    none = runner.invoke(app, ["areas", survey, "--area", "WK001400"])
    assert none.exit_code == 2 and "Kies precies één bron" in none.stderr
    bad_geo = tmp_path / "kaart.gpkg"
    bad_geo.write_bytes(b"dit is geen kaart")
    geo = runner.invoke(app, ["areas", survey, "--kwb", str(cbs_dir / CSV_NAME), "--area", "WK001400",
                              "--geo", str(bad_geo)])
    assert geo.exit_code == 2 and "geen buurtkaart" in geo.stderr and "Traceback" not in geo.output
    cbs_wijk = runner.invoke(app, ["areas", survey, "--cbs", "2024", "--area", "WK001400"])
    assert cbs_wijk.exit_code == 2 and "niet in buurten opdelen" in cbs_wijk.stderr


# ------------------------------------------------------------------------ dashboard

def test_buurten_page_on_the_demo(cbs_dir, tmp_path, monkeypatch) -> None:
    """The page without files asks for them; with the KWB file and a map (kept in session
    state, as after an upload) it shows the finding, the map and the ranked table."""
    gpd = pytest.importorskip("geopandas")
    from shapely.geometry import box
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    page = str(Path(__file__).resolve().parents[1] / "ui" / "pages" / "buurten.py")
    at = AppTest.from_file(page, default_timeout=120).run()
    assert not at.exception and at.title[0].value == "Buurten"
    # the demo is a one-buurt project: its own CBS figures serve, no second KWB upload
    assert any("CBS-cijfers die bij het project horen" in c.value for c in at.caption)
    own = stacked_tables(at)[-1]
    assert list(own["Code"]) == ["BU05183033"] and own["Respondenten"].iloc[0] not in ("<10", "x")
    # another buurt than the project's needs the file, and the page says why
    at.text_input[0].set_value("BU05183032").run()
    assert any("Upload het KWB-bestand" in e.value and "privacy" in e.value for e in at.info)
    codes = ["BU05183032", "BU05183033", "BU05183034"]
    squares = gpd.GeoDataFrame({"buurtcode": codes}, crs=28992,
                               geometry=[box(81000 + 400 * i, 454000, 81400 + 400 * i, 454400)
                                         for i in range(3)])
    squares.to_file(tmp_path / "kaart.gpkg", layer="buurten")
    at.session_state["_buurten_uploads"] = {
        "kwb": (CSV_NAME, (cbs_dir / CSV_NAME).read_bytes()),
        "geo": ("kaart.gpkg", (tmp_path / "kaart.gpkg").read_bytes())}
    at.text_input[0].set_value("WK051830").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    finding = " ".join(e.value for e in at.info)
    assert "die we missen wonen in Transvaalkwartier-Midden" in finding
    assert "In Transvaalkwartier-Noord en Transvaalkwartier-Zuid hebben we nog niemand gesproken." in finding
    assert len(at.get("plotly_chart")) == 1
    table = stacked_tables(at)[-1]
    assert list(table["Code"]) == ["BU05183032", "BU05183034", "BU05183033"]  # lowest reach first
    # the Rapport page adds this part: results (not the uploads) are kept for this project
    kept = at.session_state["_report_areas"]
    (result, geometry), = kept.values()
    assert [a.code for a in result.areas] == ["BU05183032", "BU05183033", "BU05183034"] or \
        {a.code for a in result.areas} == set(codes)
    assert geometry is not None and geometry.file_name == "kaart.gpkg"


def test_cbs_api_buurten_equal_the_file(cbs_dir, tmp_path, monkeypatch) -> None:
    """--cbs: the recorded API answers (tests/fixtures_cbs) give the same per-buurt figures."""
    import requests
    from test_reference_cbs import FakeCbs, _recorded_2024  # the recorded API, no network

    from engagement.areas import cbs_buurten

    fake = FakeCbs()
    fake.add("85984NED", **_recorded_2024(cbs_dir))
    monkeypatch.setattr(requests.Session, "send", lambda self, p, **kw: fake.send(self, p, **kw))
    codes = ["BU05183033", "BU00140000"]
    api = cbs_buurten(2024, codes, 18, cache_dir=tmp_path)
    file = load_buurten((cbs_dir / CSV_NAME).read_bytes(), CSV_NAME, codes, 18)
    key = ["area_code", "dimension", "category"]
    merged = api.population.merge(file.population, on=key, suffixes=("_api", "_file"))
    assert len(merged) == len(file.population) > 0
    assert np.allclose(merged["population_api"], merged["population_file"])
    assert api.year == 2024 and api.table == "85984NED"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([A, B, C, "BU12345678", "Beekdal", None]),
                          st.sampled_from(["man", "vrouw", None]),
                          st.sampled_from([None, "1111", "2222", "9999"]),
                          st.integers(min_value=10, max_value=90)), max_size=60))
def test_every_counting_respondent_is_placed_once(rows) -> None:
    """Per buurt + buurt onbekend + buiten = the counting respondents; per 100 follows."""
    names = {A: "Aalstraat", B: "Beekdal", C: "Centrum"}
    data = BuurtData(rows=pd.DataFrame({"code": [A, B, C], "name": list(names.values())}),
                     population=_population({A: {"man": 600.0, "vrouw": 400.0},
                                             B: {"man": 500.0, "vrouw": 500.0},
                                             C: {"man": 300.0, "vrouw": 300.0}}, names),
                     postcodes=KwbPostcodes({A: "1111", B: "2222", C: "2222"}), min_age=18)
    people = pd.DataFrame(rows, columns=["area_code", "gender", "postcode4", "age"]).astype(
        {"age": float})
    result = compute_areas(people, data)
    counting = int((people["age"] >= 18).sum())
    assert sum(a.respondents for a in result.areas) + result.unknown + result.outside == counting
    for area in result.areas:
        people_there = area.eligible_population
        assert area.per_100 == pytest.approx(100 * area.respondents / people_there)
        for group in area.missing:
            assert 0 <= group.residents <= group.population + 1e-9


# ------------------------------------------------------------------ --joint (age × origin)

JOINT = (b"leeftijd;herkomst;aantal\n"
         b"0-15;Nederland;10\n0-15;Europa;10\n0-15;buiten Europa;80\n"
         b"15-25;Nederland;30\n15-25;Europa;10\n15-25;buiten Europa;60\n"
         b"25-45;Nederland;50\n25-45;Europa;10\n25-45;buiten Europa;40\n"
         b"45-65;Nederland;60\n45-65;Europa;10\n45-65;buiten Europa;30\n"
         b"65+;Nederland;80\n65+;Europa;5\n65+;buiten Europa;15\n")


def _origin(data: BuurtData, code: str) -> dict[str, float]:
    part = data.population[(data.population["area_code"] == code) & (data.population["dimension"] == "origin")]
    return dict(zip(part["category"], part["population"]))


def test_joint_table_splits_each_buurts_origin_as_coverage_joint_does(cbs_dir) -> None:
    from engagement.areas import apply_joint
    from reference.custom import apply_joint_table

    data = load_buurten((cbs_dir / CSV_NAME).read_bytes(), CSV_NAME, ["WK001400"])
    joined = apply_joint(data, JOINT, "gemeente.csv")
    changed = 0
    for code in data.rows["code"]:
        before, after = _origin(data, code), _origin(joined, code)
        assert set(before) == set(after)
        if not before:
            continue
        # the same as `coverage --joint` for this buurt alone: apply_joint_table on its reference
        expected = apply_joint_table(buurt_reference(data, code), JOINT, "gemeente.csv").dimensions["origin"]
        assert after == pytest.approx(expected)
        assert sum(after.values()) == pytest.approx(sum(before.values()))  # only the split moves
        changed += after["nederland"] > before["nederland"] + 0.5  # the young are mostly from outside Europe
    assert changed >= 3
    other = joined.population[joined.population["dimension"] != "origin"].reset_index(drop=True)
    same = data.population[data.population["dimension"] != "origin"].reset_index(drop=True)
    pd.testing.assert_frame_equal(other, same)               # age, gender, … untouched
    assert list(joined.population["area_code"]) == list(data.population["area_code"])  # same rows, same order
    result = compute_areas(_people([("BU00140000", "man", 12)]), joined)
    assert any("gemeente.csv" in a for a in result.assumptions)
    assert result.assumptions[0] == RESIDENTS_DEFINITION


def test_cli_areas_joint_option(cbs_dir, tmp_path) -> None:
    joint = tmp_path / "gemeente.csv"
    joint.write_bytes(JOINT)
    out = tmp_path / "areas.json"
    args = ["areas", str(_survey(tmp_path)), "--kwb", str(cbs_dir / CSV_NAME), "--area", "WK001400"]
    result = CliRunner().invoke(app, [*args, "--joint", str(joint), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert any("gemeente.csv" in a for a in data["assumptions"])
    missing = CliRunner().invoke(app, [*args, "--joint", str(tmp_path / "weg.csv")])
    assert missing.exit_code == 2 and "weg.csv" in missing.output and "bestaat niet" in missing.output
    wrong = tmp_path / "geslacht.csv"
    wrong.write_text("leeftijd;geslacht;aantal\n25-45;man;10\n25-45;vrouw;12\n", encoding="utf-8")
    bad = CliRunner().invoke(app, [*args, "--joint", str(wrong)])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert "geslacht.csv" in bad.output and bad.output.strip().count("\n") == 0
    helped = CliRunner().invoke(app, ["areas", "--help"], terminal_width=200)
    assert "--joint" in helped.output and "leeftijd × herkomst" in helped.output


def test_cli_areas_json_is_protected(cbs_dir, tmp_path) -> None:
    out = tmp_path / "areas.json"
    result = CliRunner().invoke(app, ["areas", str(_survey(tmp_path)), "--kwb", str(cbs_dir / CSV_NAME),
                                      "--area", "WK001400", "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["protected"] and data["suppressed_mark"] == {"primary": "<10", "secondary": "x"}
    assert "counts" not in json.dumps(data) and "rest_counts" not in data
    groups = [g for a in data["areas"] for g in a["missing"]]
    hidden = [g for g in groups if g["suppressed"]]
    assert hidden and all(g["residents"] is None and g["ratio"] is None and g["respondents"] is None
                          for g in hidden)
    for group in groups:  # no shown figure gives away 1 to 9 respondents of a group in a buurt
        assert group["respondents"] is None or not 0 < group["respondents"] < 10
    assert "(aantal niet getoond)" in result.stdout


def test_cli_lines_name_age_bands_from_the_minimum_age(cbs_dir) -> None:
    """Only residents from 18 count in the 15-25 band, so the CLI says '18 tot 25 jaar'."""
    name = "kwb2024_85984NED_odata_first10000rows.csv"
    data = load_buurten((cbs_dir / name).read_bytes(), name, ["WK015306"], 18)
    code = str(data.rows["code"].iloc[0])
    people = pd.DataFrame({"area_code": [code] * 60, "gender": ["man", "vrouw"] * 30,
                           "age": [40.0] * 30 + [70.0] * 30, "respondent_id": range(60)})
    text = describe_areas(compute_areas(people, data))
    line = next(line for line in text.splitlines() if f"({code})" in line)
    assert "18 tot 25 jaar" in line and "15 tot 25" not in text
