"""The canonical respondents table from hand-made exports, and combining imports."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from surveys.categories import REFUSED
from surveys.demographics import canonical, parse_age_band, recode
from surveys.mapping import suggest_mapping
from surveys.model import Mapping, RawExport
from surveys.pii import redact_text
from surveys.questionnaire import infer_questionnaire
from surveys.respondents import BASE_COLUMNS, combine_respondents, parse_datetimes, to_respondents


def raw(frame: dict, fmt: str = "generic", name: str = "test.xlsx", digest: str = "a" * 64,
        **kw) -> RawExport:
    return RawExport(name, pd.DataFrame(frame), fmt, 1, None, digest, **kw)


def table(export: RawExport, channel: str | None = None) -> pd.DataFrame:
    questionnaire = infer_questionnaire(export)
    return to_respondents(export, suggest_mapping(export, questionnaire, channel=channel),
                          questionnaire)


SURVEY = {
    "Id": [1, 2, 3, 4],
    "Tijd van voltooien": ["1-3-2024 10:05", "2-3-2024 11:00", "3-3-2024 12:00", "4-3-2024 09:00"],
    "E-mail": ["a@b.nl", "c@d.nl", "anonymous", "e@f.nl"],
    "Naam": ["Jan", "Piet", None, "Kees"],
    "Wat is uw leeftijd?": ["18-29", "30-39", "75+", None],
    "Geslacht": ["Man", "Vrouw", "Zeg ik liever niet", None],
    "Woonsituatie": ["Alleenstaand", "Samenwonend met kinderen", "Eenoudergezin", "Studentenhuis"],
    "Postcode": ["1234 AB", "1234AB", "5678", None],
    "Ik voel me thuis in de buurt": ["Mee eens", "Helemaal mee eens", "Weet niet", "Mee oneens"],
    "Hoe reist u?": ["Fiets;Auto;", "Fiets;", "Bus;Fiets;", None],
    "Wat wilt u nog kwijt?": ["Bel me op 06-12345678.", "Mooie buurt, rustig en groen.", None,
                              "Ik ben Jan de Vries, mail jan@example.nl"],
}


def test_canonical_table_from_a_survey() -> None:
    export = raw(SURVEY, "ms_forms")
    df = table(export)
    assert list(df.columns[:len(BASE_COLUMNS)]) == list(BASE_COLUMNS)
    assert df["respondent_id"].tolist() == ["1", "2", "3", "4"]
    assert (df["source"] == export.source).all() and (df["channel"] == "online").all()
    assert df["responded_at"].iloc[0] == pd.Timestamp("2024-03-01 10:05")
    assert df["age_band"].tolist()[:3] == ["18-29", "30-39", "75+"]
    np.testing.assert_array_equal(df["age_low"], [18, 30, 75, np.nan])
    np.testing.assert_array_equal(df["age_high"], [30, 40, np.nan, np.nan])
    assert df["gender"].tolist()[:3] == ["man", "vrouw", REFUSED] and pd.isna(df["gender"].iloc[3])
    assert df["household"].tolist()[:3] == ["eenpersoons", "met_kinderen", "met_kinderen"]
    assert pd.isna(df["household"].iloc[3])
    assert any("Studentenhuis" in w for w in df.attrs["warnings"])
    assert df["postcode4"].tolist()[:3] == ["1234", "1234", "5678"]
    np.testing.assert_array_equal(df["item:ik_voel_me_thuis_in_de_buurt"], [4, 5, np.nan, 2])
    assert df["multi:hoe_reist_u:fiets"].tolist()[:3] == [True, True, True]
    assert df["multi:hoe_reist_u:bus"].tolist()[:3] == [False, False, True]
    assert pd.isna(df["multi:hoe_reist_u:bus"].iloc[3])  # skipped the question
    texts = df["text:wat_wilt_u_nog_kwijt"].tolist()
    assert texts[0] == "Bel me op [telefoon]." and texts[3] == "Ik ben [naam], mail [e-mail]"
    # Personal data never reaches the table.
    flat = [str(v) for v in df.to_numpy().ravel()]
    assert not any("@" in v or "Jan" in v or "Piet" in v for v in flat)
    assert not any(c in df.columns for c in ("E-mail", "Naam"))


def test_dtypes() -> None:
    df = table(raw(SURVEY, "ms_forms"))
    assert pd.api.types.is_string_dtype(df["respondent_id"])
    assert pd.api.types.is_datetime64_any_dtype(df["responded_at"])
    assert df["age"].dtype == float and df["age_low"].dtype == float
    assert df["age_estimated"].dtype == bool and df["gender_estimated"].dtype == bool
    assert pd.api.types.is_bool_dtype(df["multi:hoe_reist_u:fiets"])
    assert df["item:ik_voel_me_thuis_in_de_buurt"].dtype == float


def test_birth_year_gives_age_at_the_response_date() -> None:
    df = table(raw({"Tijdstempel": ["15-06-2024 10:00", "15-06-2020 10:00", None],
                    "Geboortejaar": [1990, 1990, 1950]}, "google_forms"))
    assert df["age"].tolist()[:2] == [34.0, 30.0]
    assert df["age"].iloc[2] >= 74  # no response date: age today
    assert df["age_low"].tolist()[:2] == [34.0, 30.0] and pd.isna(df["age_band"]).all()


def test_exact_age_is_preferred_over_band() -> None:
    df = table(raw({"Leeftijd": [40, None], "Leeftijdscategorie": ["65+", "25 tot 45 jaar"]}))
    assert df["age"].iloc[0] == 40 and pd.isna(df["age_band"].iloc[0])
    assert df["age_band"].iloc[1] == "25-44"
    assert (df["age_low"].iloc[1], df["age_high"].iloc[1]) == (25, 45)


def test_conversation_log_estimates_and_channel_per_row() -> None:
    export = raw({"Datum": ["04-03-2024", "05-03-2024", "06-03-2024"],
                  "Soort gesprek": ["huisbezoek", "straatgesprek", "Bijeenkomst buurthuis"],
                  "Geschatte leeftijd": ["15-25", "25-45", "65+"],
                  "Geslacht (geschat)": ["man", "vrouw", None],
                  "Notities": ["Woont op 1234 AB 5, wil meer bankjes.", "Geen tijd.", None]},
                 "conversation_log")
    df = table(export)
    assert df["channel"].tolist() == ["huisbezoek", "straatgesprek", "bijeenkomst"]
    # '15-25' next to '25-45' means 'tot' (CBS style), not 'tot en met'.
    assert df["age_low"].tolist() == [15, 25, 65] and df["age_high"].tolist()[:2] == [25, 45]
    assert df["age_estimated"].all()
    assert df["gender_estimated"].tolist() == [True, True, False]
    assert df["text:notities"].iloc[0] == "Woont op [adres], wil meer bankjes."
    assert responded(df) == ["2024-03-04", "2024-03-05", "2024-03-06"]


def test_tally_log_becomes_one_row_per_person() -> None:
    export = raw({"Datum": ["04-03-2024", "05-03-2024"], "Geschatte leeftijd": ["15-25", "65+"],
                  "Geslacht": ["man", "vrouw"], "Aantal": [3, 1]}, "conversation_log")
    df = table(export)
    assert df["respondent_id"].tolist() == ["1-1", "1-2", "1-3", "2"]
    assert df["gender"].tolist() == ["man", "man", "man", "vrouw"]
    assert df["age_estimated"].all() and df["gender_estimated"].all()
    assert not any(c.startswith("item:") for c in df.columns)


def responded(df: pd.DataFrame) -> list[str]:
    return df["responded_at"].dt.strftime("%Y-%m-%d").tolist()


def test_recodes_in_the_mapping_override_the_rules() -> None:
    export = raw({"Geslacht": ["Man", "Vrouw", "Onbekend soort"],
                  "Stelling": ["Eens", "Oneens", "Eens"]})
    questionnaire = infer_questionnaire(export)
    mapping = suggest_mapping(export, questionnaire)
    mapping.recodes["Geslacht"] = {"Onbekend soort": "anders"}
    mapping.recodes["Stelling"] = {"Eens": 2, "Oneens": 1}
    df = to_respondents(export, mapping, questionnaire)
    assert df["gender"].tolist() == ["man", "vrouw", "anders"]
    assert df["item:stelling"].tolist() == [2.0, 1.0, 2.0]


def test_without_id_column_row_numbers_and_never_an_email() -> None:
    export = raw({"Id": ["a@b.nl", "c@d.nl"], "Geslacht": ["Man", "Vrouw"]})
    df = to_respondents(export, suggest_mapping(export, infer_questionnaire(export)))
    assert df["respondent_id"].tolist() == ["1", "2"]


def test_qualtrics_split_multi_and_spss_value_labels() -> None:
    export = raw({"ResponseId": ["R_1", "R_2", "R_3"], "Q9_1": ["Fiets", None, None],
                  "Q9_2": [None, "Auto", None], "Q9_3": ["Bus", "Bus", None]}, "qualtrics")
    df = table(export)
    assert df["multi:q9:fiets"].tolist()[:2] == [True, False]
    assert df["multi:q9:bus"].tolist()[:2] == [True, True] and pd.isna(df["multi:q9:bus"].iloc[2])
    spss = raw({"respnr": [1, 2, 3], "ch01": [1.0, 2.0, 3.0], "wb01": [5.0, 99.0, 2.0]}, "spss",
               labels={"ch01": "Wat is uw geslacht?", "wb01": "Ik voel me thuis"},
               value_labels={"ch01": {1: "man", 2: "vrouw", 3: "wil ik niet zeggen"},
                             "wb01": {1: "helemaal mee oneens", 2: "mee oneens", 3: "neutraal",
                                      4: "mee eens", 5: "helemaal mee eens", 99: "weet niet"}})
    df = table(spss)
    assert df["gender"].tolist() == ["man", "vrouw", REFUSED]
    np.testing.assert_array_equal(df["item:ik_voel_me_thuis"], [5, np.nan, 2])


def test_combine_drops_the_same_respondent_imported_twice() -> None:
    first = table(raw(SURVEY, "ms_forms", name="week1.xlsx", digest="1" * 64))
    second_frame = {k: v + [v[-1]] for k, v in SURVEY.items()}
    second_frame["Id"][-1] = 5
    second = table(raw(second_frame, "ms_forms", name="week2.xlsx", digest="2" * 64))
    combined, dropped = combine_respondents([first, second])
    assert dropped == 4 and len(combined) == 5
    assert combined["respondent_id"].tolist() == ["1", "2", "3", "4", "5"]
    assert combined["source"].iloc[-1].startswith("week2.xlsx#")
    combined, dropped = combine_respondents([])
    assert dropped == 0 and len(combined) == 0


@pytest.mark.parametrize("value, bounds", [
    ("18-29", (18, 30)), ("18 – 24 jaar", (18, 25)), ("25 tot 45 jaar", (25, 45)),
    ("18 t/m 29 jaar", (18, 30)), ("75+", (75, math.inf)), ("75 jaar en ouder", (75, math.inf)),
    ("65 jaar of ouder", (65, math.inf)), ("jonger dan 18", (0, 18)), ("Man", None), ("45", None),
])
def test_parse_age_band(value: str, bounds) -> None:
    got = parse_age_band(value)
    if bounds is None:
        assert got is None
    else:
        assert (got[0], math.inf if math.isnan(got[1]) else got[1]) == bounds


@pytest.mark.parametrize("dimension, answer, code", [
    ("gender", "M", "man"), ("gender", "female", "vrouw"), ("gender", "Non-binair", "anders"),
    ("gender", "Zeg ik liever niet", REFUSED), ("household", "Alleen", "eenpersoons"),
    ("household", "Eenpersoonshuishouden", "eenpersoons"),
    ("household", "Samenwonend zonder kinderen", "paar_zonder_kinderen"),
    ("household", "Met partner en kinderen", "met_kinderen"),
    ("household", "Eenoudergezin", "met_kinderen"),
    ("tenure", "Koopwoning", "koop"), ("tenure", "Eigen woning", "koop"),
    ("tenure", "Huur woningcorporatie", "huur_corporatie"), ("tenure", "Sociale huur", "huur_corporatie"),
    ("tenure", "Particuliere huur", "huur_overig"), ("tenure", "Vrije sector", "huur_overig"),
    ("origin", "Nederland", "nederland"), ("origin", "Een ander Europees land", "europa"),
    ("origin", "Marokko", "buiten_europa"), ("origin", "Buiten Europa", "buiten_europa"),
])
def test_demographic_wordings(dimension: str, answer: str, code: str) -> None:
    assert canonical(dimension, answer) == code


def test_unknown_answers_are_missing_and_counted() -> None:
    codes, unknown = recode("tenure", ["Huur", "Koop", "Huur", None, "weet niet"])
    assert codes[1] == "koop" and all(isinstance(c, float) for c in (codes[0], codes[3]))
    assert unknown == {"Huur": 2}


def test_parse_datetimes_three_shapes() -> None:
    out = parse_datetimes(pd.Series(["13-11-2023 16:20:37", "2023-11-13 16:20:37",
                                     "2023/11/13 4:20:37 pm CET", 45243.68099]))
    assert [str(t)[:16] for t in out] == ["2023-11-13 16:20"] * 4
    iso = parse_datetimes(pd.Series(["2024-03-10 19:03:00", "2024-03-13T19:03:00+01:00"]))
    assert iso.tolist() == [pd.Timestamp("2024-03-10 19:03"), pd.Timestamp("2024-03-13 19:03")]
    us = parse_datetimes(pd.Series(["03/04/2024 09:00:00 AM"]), "surveymonkey")
    assert us.iloc[0] == pd.Timestamp("2024-03-04 09:00")


def test_same_question_from_two_tools_lands_in_one_column() -> None:
    """A Qualtrics tag and a Forms header with the same question text share `item:<key>`."""
    forms = raw({"Id": [1, 2], "Ik voel me thuis": ["Mee eens", "Oneens"]}, "ms_forms")
    qualtrics = raw({"ResponseId": ["R_1", "R_2"], "Q5": ["Mee eens", "Helemaal mee eens"]},
                    "qualtrics", labels={"Q5": "Ik voel me thuis"})
    frames = []
    for export in (forms, qualtrics):
        questionnaire = infer_questionnaire(export)
        frames.append(to_respondents(export, suggest_mapping(export, questionnaire), questionnaire))
    combined, _ = combine_respondents(frames)
    assert [c for c in combined.columns if c.startswith("item:")] == ["item:ik_voel_me_thuis"]
    assert combined["item:ik_voel_me_thuis"].notna().sum() == 4


def mapped(export: RawExport, roles: dict[str, str], **kw) -> pd.DataFrame:
    """The table with some roles set by hand (as an officer would), the rest suggested."""
    questionnaire = infer_questionnaire(export)
    mapping = suggest_mapping(export, questionnaire)
    mapping = Mapping(mapping.fingerprint, {**mapping.roles, **roles}, mapping.recodes,
                      mapping.sheet, mapping.channel)
    return to_respondents(export, mapping, questionnaire, **kw)


def test_source_row_is_the_row_a_spreadsheet_shows() -> None:
    one_header = raw({"Id": [1, 2, 3], "Geslacht": ["Man", "Vrouw", "Man"]})
    assert table(one_header)["source_row"].tolist() == [2, 3, 4]
    qualtrics = RawExport("q.csv", pd.DataFrame({"ResponseId": ["R_1", "R_2"]}), "qualtrics",
                          3, None, "b" * 64)
    assert table(qualtrics)["source_row"].tolist() == [4, 5]
    numbered = RawExport("p.xlsx", pd.DataFrame({"Id": [7, 8]}), "generic", 1, None, "c" * 64,
                         row_numbers=(6, 9))  # title rows above, an empty row skipped
    assert table(numbered)["source_row"].tolist() == [6, 9]
    assert table(numbered)["source_row"].dtype == "int64"


def test_generated_ids_are_flagged() -> None:
    export = raw({"Id": ["R_1", None, "R_3"], "Geslacht": ["Man", "Vrouw", "Man"]})
    df = table(export)
    assert df["respondent_id"].tolist() == ["R_1", "2", "R_3"]
    assert df["id_generated"].tolist() == [False, True, False]
    assert table(raw({"Geslacht": ["Man", "Vrouw"]}))["id_generated"].all()


def test_personal_ids_are_stored_only_as_a_salted_hash(monkeypatch) -> None:
    names = raw({"Respondent": ["Jan de Vries", "Piet Bakker", "Anna Smit"],
                 "Geslacht": ["Man", "Man", "Vrouw"]})
    df = mapped(names, {"Respondent": "respondent_id"}, salt="project:1")
    assert all(i.startswith("h:") for i in df["respondent_id"]) and not df["id_generated"].any()
    flat = " ".join(map(str, df.to_numpy().ravel()))
    assert "Jan" not in flat and "Bakker" not in flat
    again = mapped(names, {"Respondent": "respondent_id"}, salt="project:1")
    other = mapped(names, {"Respondent": "respondent_id"}, salt="project:2")
    assert df["respondent_id"].tolist() == again["respondent_id"].tolist()  # dedups within
    assert set(df["respondent_id"]).isdisjoint(other["respondent_id"])  # not across projects
    monkeypatch.setenv("BEREIKWIJZER_ID_SALT", "geheim")
    assert set(mapped(names, {"Respondent": "respondent_id"})["respondent_id"]).isdisjoint(
        mapped(names, {"Respondent": "respondent_id"}, salt="x")["respondent_id"])
    codes = raw({"Code": ["ab12@x", "cd34@y"]})
    hashed = mapped(codes, {"Code": "respondent_id"})["respondent_id"]
    assert all(i.startswith("h:") for i in hashed)


def test_status_and_residence_exclude_rows_with_a_reason() -> None:
    export = raw({"ResponseId": ["R_1", "R_2", "R_3", "R_4", "R_5", "R_6"],
                  "Status": ["IP Address", "Survey Preview", "IP Address", "Survey Test",
                             "IP Address", "IP Address"],
                  "Woont u in deze buurt?": ["Ja", "Ja", "Nee", "Ja", "Nee, ik werk hier", None],
                  "Testinvoer": [None, None, None, None, None, "x"]},
                 "qualtrics", name="buurt.csv")
    df = mapped(export, {"Status": "status", "Woont u in deze buurt?": "residence",
                         "Testinvoer": "status"})
    assert df["excluded"].tolist() == ["", "preview", "non_resident", "test", "non_resident", "test"]
    assert len(df) == 6  # kept, never dropped
    note = next(w for w in df.attrs["warnings"] if "tellen niet mee" in w)
    assert "buurt.csv" in note and "5 rijen tellen niet mee" in note and "2 woont niet" in note
    kobo = raw({"_uuid": ["a", "b", "c"],
                "_validation_status": ["validation_status_approved",
                                       "validation_status_not_approved",
                                       "validation_status_on_hold"]}, "kobo")
    assert mapped(kobo, {"_validation_status": "status"})["excluded"].tolist() == [
        "", "not_approved", "not_approved"]
    assert (table(raw({"Id": [1]}))["excluded"] == "").all()


def test_recruitment_and_weight_are_their_own_columns() -> None:
    export = raw({"Id": [1, 2, 3], "Hoe heeft u van dit onderzoek gehoord?":
                  ["Flyer", "Via mijn buurman, bel 06-12345678", None],
                  "weegfactor": ["1,25", "0.8", None]})
    df = mapped(export, {"Hoe heeft u van dit onderzoek gehoord?": "recruitment",
                         "weegfactor": "weight"}, )
    assert df["recruitment"].iloc[0] == "Flyer" and "[telefoon]" in df["recruitment"].iloc[1]
    assert pd.isna(df["recruitment"].iloc[2])
    np.testing.assert_array_equal(df["weight"], [1.25, 0.8, np.nan])
    assert (df["channel"] == "online").all()  # never the channel
    assert df["weight"].dtype == float


def test_area_answers_are_redacted() -> None:
    export = raw({"Id": [1, 2], "Wijk": ["Transvaal", "Mijn naam is Jan Smit, Transvaal"]})
    df = mapped(export, {"Wijk": "area"})
    assert df["area_code"].tolist() == ["Transvaal", "Mijn naam is [naam], Transvaal"]


def test_typed_other_answers_never_become_columns() -> None:
    cells = ["Fiets;Auto;", "Fiets;", "Bus;Anders, namelijk: met Ria Jansen mee;", "Auto;",
             "Fiets;Bus;", "Bus;", "Auto;Fiets;", "Fiets;Ik loop altijd, ook naar mijn werk;",
             "Bus;Auto;", None]
    export = raw({"Id": list(range(1, 11)), "Hoe reist u?": cells}, "ms_forms")
    df = table(export)
    multi = sorted(c for c in df.columns if c.startswith("multi:"))
    assert multi == ["multi:hoe_reist_u:anders", "multi:hoe_reist_u:auto", "multi:hoe_reist_u:bus",
                     "multi:hoe_reist_u:fiets"]
    assert df["multi:hoe_reist_u:anders"].tolist()[:9] == [False, False, True, False, False,
                                                           False, False, True, False]
    assert pd.isna(df["multi:hoe_reist_u:anders"].iloc[9])
    free = df["text:hoe_reist_u_anders"]
    assert free.iloc[2] == redact_text("met Ria Jansen mee")
    assert free.iloc[7] == "Ik loop altijd, ook naar mijn werk" and pd.isna(free.iloc[0])
    assert not any("ria" in c or "loop" in c for c in df.columns)


def test_combine_keeps_generated_rows_of_another_file() -> None:
    """The dashboard bug: week 2 of a log without ids is new people, not duplicates."""
    week1 = table(raw({"Geslacht": ["Man", "Vrouw"]}, "conversation_log", "w1.xlsx", "1" * 64))
    week2 = table(raw({"Geslacht": ["Man", "Vrouw"]}, "conversation_log", "w2.xlsx", "2" * 64))
    combined, dropped = combine_respondents([week1, week2])
    assert (len(combined), dropped) == (4, 0)
    combined, dropped = combine_respondents([week1, week1])  # the same file twice
    assert (len(combined), dropped) == (2, 2)
    other_form = table(raw({"Id": [1, 2], "Leeftijd": [30, 40]}, name="b.xlsx", digest="3" * 64))
    same_form = table(raw({"Id": [1, 2], "Geslacht": ["Man", "Vrouw"]}, name="c.xlsx",
                          digest="4" * 64))
    first = table(raw({"Id": [1, 2], "Geslacht": ["Vrouw", "Man"]}, name="a.xlsx", digest="5" * 64))
    combined, dropped = combine_respondents([first, other_form, same_form])
    assert (len(combined), dropped) == (4, 2)  # ids match within one form only


def test_an_invitation_code_deduplicates_only_as_a_hash() -> None:
    export = raw({"Token": ["XK42-PL9", "QQ17-ZZ2"], "Geslacht": ["Man", "Vrouw"]}, "limesurvey")
    df = table(export)
    assert all(i.startswith("h:") for i in df["respondent_id"]) and not df["id_generated"].any()
    assert "XK42" not in " ".join(map(str, df.to_numpy().ravel()))
    assert "Token" not in df.columns


def test_day_or_month_first_follows_the_data_and_the_tool() -> None:
    english = pd.Series(["9/7/2026 11:48:00", "9/8/2026 10:00:00"])
    assert parse_datetimes(english, "google_forms", "Timestamp").dt.month.tolist() == [9, 9]
    assert parse_datetimes(english, "google_forms", "Tijdstempel").dt.month.tolist() == [7, 8]
    # a day over 12 decides, whatever the tool
    mixed = pd.Series(["9/7/2026 11:48", "9/13/2026 10:00"])
    assert parse_datetimes(mixed, "generic").dt.day.tolist() == [7, 13]
    dutch = pd.Series(["13-9-2026 10:00", "7-9-2026 11:00"])
    assert parse_datetimes(dutch, "surveymonkey").dt.month.tolist() == [9, 9]


def test_ages_with_units_bands_in_the_age_column_and_unreadable_ones_counted() -> None:
    export = raw({"Id": [1, 2, 3, 4, 5], "Leeftijd": ["45 jaar", "<25", "zeventig", "33", None]},
                 name="straat.xlsx")
    df = mapped(export, {"Leeftijd": "age"})
    assert df["age"].tolist()[0] == 45 and df["age"].tolist()[3] == 33
    assert (df["age_low"].iloc[1], df["age_high"].iloc[1]) == (0, 25)
    assert df["age_band"].iloc[1] == "0-24" and pd.isna(df["age"].iloc[1])
    assert pd.isna(df["age_low"].iloc[2]) and pd.isna(df["age_low"].iloc[4])
    note = next(w for w in df.attrs["warnings"] if "leeftijd" in w)
    assert "straat.xlsx" in note and "'zeventig' (1×)" in note


def test_statements_of_one_matrix_share_the_widest_scale() -> None:
    """A statement answered with only five labels of a 7-point matrix is coded 1..7."""
    from dataclasses import replace as swap

    seven = ["Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree",
             "Somewhat agree", "Agree", "Strongly agree"]
    export = raw({"Id": list(range(1, 8)),
                  "Statements [A]": seven,
                  "Statements [B]": ["Agree", "Disagree", "Strongly agree", "Strongly disagree",
                                     "Neither agree nor disagree", "Agree", None]}, "google_forms")
    questionnaire = infer_questionnaire(export)
    questions = [q if q.role != "item" else swap(q, stem="Statements")
                 for q in questionnaire.questions]
    questionnaire = swap(questionnaire, questions=tuple(questions))
    df = to_respondents(export, suggest_mapping(export, questionnaire), questionnaire)
    b = [c for c in df.columns if c.startswith("item:") and c.endswith("b")][0]
    assert df[b].tolist()[:6] == [6.0, 2.0, 7.0, 1.0, 4.0, 6.0]
