"""End to end: every tool's layout (tests/builders.py) → read_export → respondents table."""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

import surveys
from surveys.categories import REFUSED
from tests import builders as b

ANSWERS = b.wijk_answers(30, seed=5)
GENDER = {"Man": "man", "Vrouw": "vrouw", "Anders": "anders", "Zeg ik liever niet": REFUSED}
TENURE = {"Koopwoning": "koop", "Huurwoning van een woningcorporatie": "huur_corporatie",
          "Particuliere huurwoning": "huur_overig"}

SURVEYS = {
    "ms_forms.xlsx": (lambda: b.ms_forms_xlsx(ANSWERS), "ms_forms"),
    "ms_forms_en.xlsx": (lambda: b.ms_forms_xlsx(ANSWERS, language="en", last_modified=True),
                         "ms_forms"),
    "google.csv": (lambda: b.google_forms_csv(ANSWERS), "google_forms"),
    "google.xlsx": (lambda: b.google_forms_xlsx(ANSWERS, language="en"), "google_forms"),
    "qualtrics.csv": (lambda: b.qualtrics_csv(ANSWERS), "qualtrics"),
    "qualtrics.xlsx": (lambda: b.qualtrics_xlsx(ANSWERS), "qualtrics"),
    "surveymonkey.xlsx": (lambda: b.surveymonkey_xlsx(ANSWERS), "surveymonkey"),
    "surveymonkey.csv": (lambda: b.surveymonkey_csv(ANSWERS), "surveymonkey"),
    "kobo.xlsx": (lambda: b.kobo_xlsx(ANSWERS), "kobo"),
    "kobo.csv": (lambda: b.kobo_csv(ANSWERS), "kobo"),
    "limesurvey.csv": (lambda: b.limesurvey_csv(ANSWERS), "limesurvey"),
    "papier.xlsx": (lambda: b.paper_form_xlsx(ANSWERS), "paper_form"),
}


def _import(name: str, data: bytes) -> pd.DataFrame:
    return surveys.import_files([(name, data)])


@functools.cache
def _built(name: str) -> bytes:
    return SURVEYS[name][0]()


@functools.cache
def _imported(name: str) -> pd.DataFrame:
    """Each layout is read once per test run; the tests only look at the table."""
    return _import(name, _built(name))


@pytest.mark.parametrize("name", list(SURVEYS))
def test_every_tool_gives_the_same_respondents(name: str) -> None:
    fmt = SURVEYS[name][1]
    report = surveys.inspect_export(_built(name), name)
    assert report["format"] == fmt and report["respondents"] == 30
    df = _imported(name)
    assert len(df) == 30 and df["respondent_id"].is_unique
    expected_gender = [GENDER.get(v, np.nan) for v in ANSWERS[b.GENDER]]
    assert df["gender"].fillna("?").tolist() == [
        g if isinstance(g, str) else "?" for g in expected_gender]
    expected_tenure = [TENURE.get(v, "?") for v in ANSWERS[b.HOUSING]]
    assert df["tenure"].fillna("?").tolist() == expected_tenure
    assert df["postcode4"].tolist() == [p[:4] for p in ANSWERS[b.POSTCODE]]
    items = [c for c in df.columns if c.startswith("item:")]
    assert len(items) == 3
    expected = [b.LIKERT.index(v) + 1 if v in b.LIKERT else np.nan for v in ANSWERS[b.INVOLVED]]
    np.testing.assert_array_equal(df[items[0]].to_numpy(), expected)
    multi = [c for c in df.columns if c.startswith("multi:")]
    assert len(multi) == 5, multi
    stamps = df["responded_at"].dropna()
    assert len(stamps) >= 27 and stamps.between("2024-03-04", "2024-03-25").all()
    texts = [c for c in df.columns if c.startswith("text:")]
    assert len(texts) == 1
    joined = " ".join(df[texts[0]].dropna())
    assert "06-12345678" not in joined and "jan@example.nl" not in joined
    if fmt != "limesurvey":  # LimeSurvey headers are codes: the age needs the user's mapping
        assert df["age"].tolist() == pytest.approx(
            [np.nan if a is None else float(a) for a in ANSWERS[b.AGE]], nan_ok=True)


@pytest.mark.parametrize("name", ["ms_forms.xlsx", "google.csv", "qualtrics.csv",
                                  "surveymonkey.xlsx", "kobo.xlsx", "papier.xlsx"])
def test_multi_select_answers_survive_every_shape(name: str) -> None:
    df = _imported(name)
    multi = sorted(c for c in df.columns if c.startswith("multi:"))
    ticked = df[multi].fillna(False).astype(bool).sum(axis=1).tolist()
    assert ticked == [len(v or ()) for v in ANSWERS[b.HEARD]]


def test_personal_data_columns_are_reported_and_dropped() -> None:
    report = surveys.inspect_export(_built("qualtrics.csv"), "q.csv")
    assert set(report["pii_columns"]) >= {"IPAddress", "RecipientLastName", "RecipientFirstName",
                                          "RecipientEmail", "LocationLatitude", "LocationLongitude"}
    report = surveys.inspect_export(_built("surveymonkey.xlsx"), "sm.xlsx")
    assert set(report["pii_columns"]) >= {"IP Address", "Email Address", "First Name", "Last Name"}
    report = surveys.inspect_export(_built("limesurvey.csv"), "l.csv")
    assert set(report["pii_columns"]) >= {"token", "ipaddr"}


def test_spss_burgerpeiling() -> None:
    data = b.spss_sav(40, seed=2)
    frame = b.spss_frame(40, seed=2)
    df = _import("burgerpeiling.sav", data)
    assert len(df) == 40 and df["respondent_id"].tolist() == [str(int(v)) for v in frame["respnr"]]
    assert set(df["gender"].dropna()) <= {"man", "vrouw", "anders", REFUSED}
    assert df["age_band"].notna().all() and set(df["age_band"]) <= {
        "18-29", "30-39", "40-54", "55-64", "65-74", "75+"}
    items = [c for c in df.columns if c.startswith("item:")]
    assert len(items) == 2 and df[items].stack().dropna().between(1, 5).all()


@pytest.mark.parametrize("n, seed", [(20, 4), (15, 1), (8, 0)])
def test_conversation_log(n: int, seed: int) -> None:
    data = b.conversation_log_xlsx(n, seed=seed)
    roles = {c["name"]: c["role"] for c in surveys.inspect_export(data, "g.xlsx")["columns"]}
    assert roles["Geschatte leeftijd"] == "age_band" and roles["Geslacht (geschat)"] == "gender"
    df = _import("gesprekken.xlsx", data)
    assert df["age_band"].notna().any()
    assert len(df) == n and df["age_estimated"][df["age_band"].notna()].all()
    assert df["gender_estimated"][df["gender"].notna()].all()
    assert set(df["channel"]) <= {"straatgesprek", "huisbezoek", "bijeenkomst"}
    assert df["responded_at"].notna().all()
    assert not df["text:notities"].dropna().str.contains(r"\d{4} ?[A-Z]{2}\b").any()


def test_the_same_file_twice_counts_once() -> None:
    data = _built("ms_forms.xlsx")
    df = surveys.import_files([("week1.xlsx", data), ("week1-kopie.xlsx", data)])
    assert len(df) == 30 and df.attrs["duplicates"] == 30


def test_saved_mapping_applies_to_next_week() -> None:
    week1 = surveys.read_export(b.limesurvey_csv(ANSWERS), "l.csv")
    questionnaire = surveys.infer_questionnaire(week1)
    mapping = surveys.suggest_mapping(week1, questionnaire)
    mapping.roles["G01Q01"] = "age"
    week2 = b.limesurvey_csv(b.wijk_answers(12, seed=9))
    df = surveys.import_files([("l2.csv", week2)], mapping=[mapping.to_dict()])
    assert df["age"].notna().sum() >= 8


def test_import_files_with_a_mapping_dict_and_channel() -> None:
    data = _built("limesurvey.csv")
    df = surveys.import_files([("l.csv", data)], mapping={"G01Q01": "age", "G01Q09": "ignore"},
                              channel="papier")
    assert df["age"].notna().sum() >= 25 and (df["channel"] == "papier").all()
    assert not any(c.startswith("text:") for c in df.columns)
