"""Roles, row numbers, file kind and statements on layouts as real exports have them.

Every file is built here from the description of a real export (../shared/research/
formats-streamlit.md and the tools' documentation), not from tests/builders.py, whose
files came from the same assumptions as the code:

- Qualtrics: three header rows (export tags, question text with newlines, ImportId JSON);
  `Status` holds "IP Address"/"Survey Preview" (row 2 says "Response Type"),
  `DistributionChannel` holds "anonymous"/"preview"; a matrix row's text is
  "Question - Statement".
- Google Forms: `Tijdstempel`, grid questions as `Question [Row]`, a linear scale as
  integers.
- SurveyMonkey: two header rows, the question only above the first column of its block.
- KoboToolbox: labels with group paths (`Stellingen/Ik voel me thuis`), `_uuid`,
  `_submission_time`, `_validation_status` ("Approved", "validation_status_on_hold", …).
- SPSS Burgerpeiling: a .sav with variable and value labels, a weight `weegfac`.
- A paper form typed into Excel (title row "Enquête … (papier)", Formuliernr, Ingevoerd
  door, Invoerdatum) and its CSV twin; a street-conversation log (Datum, Locatie,
  Gespreksvoerder, Soort gesprek, Geschatte leeftijd, Woont in de wijk, Notities).
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from surveys.inspect import FORMAT_NAMES, ROLE_NAMES, inspect_export
from surveys.mapping import suggest_mapping
from surveys.model import FORMATS, ROLES, RawExport
from surveys.questionnaire import infer_questionnaire, question_key, split_statement
from surveys.readers import read_export
from surveys.roles import channel_of, is_resident, status_reason

AGREE = ("Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens")
HEARD = ("Flyer in de bus", "Facebook", "Via de buurman", "Buurtkrant", "Website gemeente")
STEM = "Hoe eens bent u het met de volgende stellingen?"
HOME = "Ik voel me thuis in de buurt"
TRUST = "Ik heb vertrouwen in de gemeente"


def _xlsx(rows: list[list[Any]], sheet: str = "Blad1", merges: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and value != "":
                ws.cell(r, c, value)
    for cells in merges:
        ws.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[Any]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode(encoding)


def _roles(raw: RawExport) -> dict[str, str]:
    return {q.column: q.role for q in infer_questionnaire(raw).questions}


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> list[str]:
    return [options[i] for i in rng.integers(len(options), size=n)]


# ---------------------------------------------------------------- Qualtrics

def _qualtrics_rows(n: int = 8) -> list[list[Any]]:
    rng = np.random.default_rng(1)
    tags = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
            "Finished", "RecordedDate", "ResponseId", "DistributionChannel", "UserLanguage",
            "Q1_1", "Q1_2", "Q2", "Q3"]
    texts = ["Start Date", "End Date", "Response Type", "IP Address", "Progress",
             "Duration (in seconds)", "Finished", "Recorded Date", "Response ID",
             "Distribution Channel", "User Language", f"{STEM}\n- {HOME}", f"{STEM}\n- {TRUST}",
             "Hoe heeft u van dit onderzoek gehoord?", "Woont u in deze buurt?"]
    imports = [json.dumps({"ImportId": t}) for t in ("startDate", "endDate", "status",
               "ipAddress", "progress", "duration", "finished", "recordedDate", "_recordId",
               "distributionChannel", "userLanguage", "QID1_1", "QID1_2", "QID2", "QID3")]
    rows = [tags, texts, imports]
    for r in range(n):
        preview = r == 0
        when = (datetime(2024, 5, 1, 10) + timedelta(hours=r)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append([when, when, "Survey Preview" if preview else "IP Address",
                     "" if preview else f"145.1.2.{r}", 100, 300, "True", when, f"R_{r:05d}",
                     "preview" if preview else "anonymous", "NL", _pick(rng, AGREE, 1)[0],
                     _pick(rng, AGREE, 1)[0], HEARD[r % 5], "Nee" if r == 3 else "Ja"])
    return rows


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_qualtrics_status_recruitment_residence_and_rows(kind: str) -> None:
    rows = _qualtrics_rows()
    data = _csv(rows) if kind == "csv" else _xlsx(rows)
    raw = read_export(data, f"qualtrics.{kind}")
    assert raw.format == "qualtrics" and raw.header_rows == 3
    # three header rows (one with a newline inside a quoted cell): data start on row 4
    assert raw.row_numbers == tuple(range(4, 4 + 8))
    roles = _roles(raw)
    assert roles["Status"] == "status" and roles["DistributionChannel"] == "status"
    assert roles["Q2"] == "recruitment" and roles["Q3"] == "residence"
    assert roles["Q1_1"] == roles["Q1_2"] == "item"
    assert "channel" not in roles.values()
    reasons = [status_reason(v, "Status") for v in raw.frame["Status"]]
    assert reasons == ["preview"] + [""] * 7
    assert [status_reason(v, "DistributionChannel") for v in raw.frame["DistributionChannel"]
            ] == ["preview"] + [""] * 7
    mapping = suggest_mapping(raw, infer_questionnaire(raw))
    assert mapping.channel == "online"  # "how did you hear" never sets the channel
    statements = {q.column: q for q in infer_questionnaire(raw).questions}
    assert statements["Q1_1"].statement == HOME and statements["Q1_1"].stem == STEM
    assert statements["Q1_1"].text == f"{STEM} - {HOME}"
    assert statements["Q2"].statement == "Hoe heeft u van dit onderzoek gehoord?"


def test_qualtrics_numeric_status_codes() -> None:
    assert [status_reason(v, "Status") for v in (0, 1, 2, 4, 8, 16, 17)] == [
        "", "preview", "test", "", "not_approved", "", "preview"]
    assert status_reason("Survey Test", "Status") == "test"
    assert status_reason(1, "Q5") == ""  # a number elsewhere says nothing


# ---------------------------------------------------------------- Google Forms

def test_google_forms_grid_scale_numbers_and_choices() -> None:
    rng = np.random.default_rng(2)
    n = 12
    header = ["Tijdstempel", f"Stellingen [{HOME}]", f"Stellingen [{TRUST}]",
              "Hoe veilig voelt u zich in de buurt? (1 = heel onveilig, 5 = heel veilig)",
              "Hoeveel kinderen wonen er in uw huis?", "Welke plek bezoekt u het meest?",
              "Hoe bent u bij deze vragenlijst gekomen?"]
    rows = [header]
    for r in range(n):
        rows.append([f"2024/05/0{1 + r % 9} 10:0{r % 10}:00", _pick(rng, AGREE, 1)[0],
                     _pick(rng, AGREE, 1)[0], int(rng.integers(1, 6)), int(rng.integers(0, 5)),
                     ("Park", "Markt", "Bibliotheek")[r % 3], HEARD[r % 5]])
    raw = read_export(_csv(rows), "Buurtenquête (Responses).csv")
    assert raw.format == "google_forms" and raw.row_numbers == tuple(range(2, 2 + n))
    questions = {q.column: q for q in infer_questionnaire(raw).questions}
    grid = questions[f"Stellingen [{HOME}]"]
    assert (grid.kind, grid.role, grid.stem, grid.statement) == ("likert", "item", "Stellingen",
                                                                HOME)
    assert grid.text == f"Stellingen - {HOME}"
    assert questions[header[3]].role == "item"          # a scale by its own words
    assert questions[header[4]].role == "ignore"        # counts are no statement
    assert questions[header[5]].role == "ignore"        # unordered choice: not a profile item
    assert questions[header[6]].role == "recruitment"
    assert question_key(f"Stellingen [{HOME}]") == question_key(f"{STEM} - {HOME}")


# ---------------------------------------------------------------- SurveyMonkey

def test_surveymonkey_two_header_rows_give_statements() -> None:
    head = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
            "Email Address", "First Name", "Last Name", "Custom Data 1", STEM, None,
            "How did you hear about this survey?", "Do you live in this neighbourhood?"]
    sub = [None] * 9 + [HOME, TRUST, "Response", "Response"]
    rows = [head, sub]
    rng = np.random.default_rng(3)
    for r in range(6):
        rows.append([1000 + r, 42, "05/01/2024 10:00:00 AM", "05/01/2024 10:05:00 AM",
                     "1.2.3.4", None, None, None, None, _pick(rng, AGREE, 1)[0],
                     _pick(rng, AGREE, 1)[0], ("Flyer", "Facebook", "Neighbour")[r % 3],
                     "No" if r == 2 else "Yes"])
    raw = read_export(_xlsx(rows, "Sheet"), "surveymonkey.xlsx")
    assert raw.format == "surveymonkey" and raw.row_numbers == tuple(range(3, 9))
    questions = {q.column: q for q in infer_questionnaire(raw).questions}
    first = questions[f"{STEM} - {HOME}"]
    second = questions[f"{STEM} - {TRUST}"]
    assert first.statement == HOME and second.statement == TRUST and first.stem == STEM
    assert first.text != second.text and first.role == second.role == "item"
    assert questions["How did you hear about this survey?"].role == "recruitment"
    assert questions["Do you live in this neighbourhood?"].role == "residence"


# ---------------------------------------------------------------- KoboToolbox

def test_kobo_group_labels_and_validation_status() -> None:
    header = ["start", "end", f"Stellingen/{HOME}", f"Stellingen/{TRUST}",
              "Over u/Woont u in deze buurt?", "_id", "_uuid", "_submission_time",
              "_validation_status", "_status", "_index"]
    statuses = ["Approved", "Not Approved", "On Hold", "", "validation_status_approved",
                "validation_status_not_approved", "validation_status_on_hold", ""]
    rows = [header]
    rng = np.random.default_rng(4)
    for r, status in enumerate(statuses):
        rows.append(["2024-05-01T10:00:00", "2024-05-01T10:05:00", _pick(rng, AGREE, 1)[0],
                     _pick(rng, AGREE, 1)[0], "ja" if r != 1 else "nee", 100 + r, f"uuid-{r}",
                     "2024-05-01T10:05:00", status, "submitted_via_web", r + 1])
    raw = read_export(_csv(rows, delimiter=";"), "kobo.csv")
    assert raw.format == "kobo" and raw.row_numbers == tuple(range(2, 10))
    questions = {q.column: q for q in infer_questionnaire(raw).questions}
    assert questions["_validation_status"].role == "status"
    assert questions["_status"].role == "ignore"
    item = questions[f"Stellingen/{HOME}"]
    assert (item.statement, item.stem, item.role) == (HOME, "Stellingen", "item")
    assert questions["Over u/Woont u in deze buurt?"].role == "residence"
    reasons = [status_reason(v, "_validation_status") for v in raw.frame["_validation_status"]]
    assert reasons == ["", "not_approved", "not_approved", "", "", "not_approved",
                       "not_approved", ""]


# ---------------------------------------------------------------- SPSS

def _sav(frame: pd.DataFrame, labels: dict[str, str],
         value_labels: dict[str, dict[float, str]]) -> bytes:
    import pyreadstat

    fd, path = tempfile.mkstemp(suffix=".sav")
    os.close(fd)
    try:
        pyreadstat.write_sav(frame, path, column_labels=labels,
                             variable_value_labels=value_labels)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.remove(path)


def test_spss_burgerpeiling_with_180_variables() -> None:
    """Only ordered-scale variables (agree/disagree, satisfaction) become items; yes/no
    questions numbered geb_01, geb_02 … stay separate questions (no multi-select), report
    marks and counts stay out, the weight is a weight."""
    rng = np.random.default_rng(5)
    n = 60
    agree = {1.0: "helemaal mee eens", 2.0: "mee eens", 3.0: "neutraal", 4.0: "mee oneens",
             5.0: "helemaal mee oneens", 9.0: "weet niet"}
    satisfied = {1.0: "Zeer ontevreden", 2.0: "Ontevreden", 3.0: "Niet tevreden, niet ontevreden",
                 4.0: "Tevreden", 5.0: "Zeer tevreden", 99.0: "Weet niet / geen mening"}
    yes_no = {1.0: "Ja", 2.0: "Nee"}
    transport = {1.0: "auto", 2.0: "fiets", 3.0: "openbaar vervoer", 4.0: "lopend"}
    columns: dict[str, Any] = {"respnr": np.arange(1, n + 1, dtype=float)}
    labels = {"respnr": "Respondentnummer"}
    value_labels: dict[str, dict[float, str]] = {}
    columns["weegfac"] = rng.uniform(0.4, 2.5, n).round(4)
    labels["weegfac"] = "Weegfactor naar leeftijd en geslacht"
    columns["ch01"] = rng.choice([1.0, 2.0], n)
    labels["ch01"] = "Geslacht"
    value_labels["ch01"] = {1.0: "man", 2.0: "vrouw"}
    columns["ch02"] = rng.integers(18, 90, n).astype(float)
    labels["ch02"] = "Leeftijd"
    statement = "In hoeverre bent u het eens met: in mijn buurt is aspect {} goed geregeld"
    blocks = [("st", 40, statement, agree),
              ("tev", 20, "Tevredenheid over voorziening {}", satisfied),
              ("cijf", 20, "Rapportcijfer voorziening {}", None),
              ("geb", 40, "Gebruikt u voorziening {} weleens?", yes_no),
              ("vv", 20, "Hoe gaat u meestal naar bestemming {}?", transport),
              ("nm", 36, "Hoe vaak per week doet u activiteit {}?", None)]
    for prefix, count, label, codes in blocks:
        for i in range(1, count + 1):
            name = f"{prefix}_{i:02d}"
            if codes is not None:
                columns[name] = rng.choice(list(codes), n)
                value_labels[name] = codes
            elif prefix == "cijf":
                columns[name] = rng.integers(4, 11, n).astype(float)
            else:
                columns[name] = rng.integers(0, 8, n).astype(float)
            labels[name] = label.format(i)
    frame = pd.DataFrame(columns)
    assert frame.shape[1] == 180
    raw = read_export(_sav(frame, labels, value_labels), "burgerpeiling.sav")
    assert raw.row_numbers == tuple(range(1, n + 1))  # SPSS case numbers
    questions = infer_questionnaire(raw).questions
    roles = {q.column: q.role for q in questions}
    items = sorted(c for c, r in roles.items() if r == "item")
    assert items == [f"st_{i:02d}" for i in range(1, 41)] + [f"tev_{i:02d}" for i in range(1, 21)]
    assert roles["weegfac"] == "weight" and roles["respnr"] == "respondent_id"
    assert roles["ch01"] == "gender" and roles["ch02"] == "age"
    assert {roles[c] for c in roles if c.split("_")[0] in ("cijf", "geb", "vv", "nm")} == {"ignore"}
    first = next(q for q in questions if q.column == "st_01")
    assert first.statement == "in mijn buurt is aspect 1 goed geregeld"
    assert first.stem == "In hoeverre bent u het eens met"
    assert suggest_mapping(raw, infer_questionnaire(raw)).channel == "online"


# ---------------------------------------------------------------- paper form and log

PAPER_HEADER = ["Formuliernr", "Datum", "Locatie", "Woont u in deze buurt?", "Leeftijd",
                HOME, "Hoe heeft u van deze enquête gehoord?", "Opmerkingen",
                "Naam (optioneel)", "Ingevoerd door", "Invoerdatum"]


def _paper_rows() -> list[list[Any]]:
    rng = np.random.default_rng(6)
    rows: list[list[Any]] = [["Enquête Vogelwijk (papier)"], [], PAPER_HEADER]
    for r in range(7):
        if r == 4:
            rows.append([])  # the typist left a blank line
        rows.append([f"F{r + 1:03d}", f"0{r + 1}-05-2024", "Buurthuis", "Nee" if r == 2 else "Ja",
                     int(rng.integers(18, 90)), _pick(rng, AGREE, 1)[0], HEARD[r % 5],
                     "Meer bankjes." if r % 2 else None, "Piet" if r == 1 else None,
                     "Anouk", f"1{r}-05-2024"])
    return rows


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_paper_form_is_paper_not_a_conversation_log(kind: str) -> None:
    rows = _paper_rows()
    data = _xlsx(rows, "Invoer", merges=("A1:K1",)) if kind == "xlsx" else _csv(
        rows, delimiter=";", encoding="cp1252")
    raw = read_export(data, f"papier.{kind}")
    assert raw.format == "paper_form"
    # title row 1, empty row 2, header row 3; a blank line after the 4th form
    assert raw.row_numbers == (4, 5, 6, 7, 9, 10, 11)
    questions = {q.column: q for q in infer_questionnaire(raw).questions}
    staff = questions["Ingevoerd door"]
    assert staff.pii and "medewerker" in staff.pii_reason
    assert questions["Naam (optioneel)"].pii
    assert questions["Woont u in deze buurt?"].role == "residence"
    assert questions["Hoe heeft u van deze enquête gehoord?"].role == "recruitment"
    assert questions[HOME].role == "item"
    assert questions["Formuliernr"].role == "respondent_id"
    assert suggest_mapping(raw, infer_questionnaire(raw)).channel == "papier"
    report = inspect_export(data, f"papier.{kind}")
    assert report["format"] == "paper_form" and "Ingevoerd door" in report["pii_columns"]
    assert FORMAT_NAMES["paper_form"] == "Papieren formulier (overgetypt)"


def test_conversation_log_with_staff_residence_and_channel() -> None:
    header = ["Datum", "Locatie", "Gespreksvoerder", "Soort gesprek", "Geschatte leeftijd",
              "Woont in de wijk", "Notities"]
    rows: list[list[Any]] = [header]
    for r in range(9):
        rows.append([f"0{1 + r % 9}-06-2024", ("Markt", "Schoolplein")[r % 2], "Sanne",
                     ("straatgesprek", "huisbezoek")[r % 2], ("<25", "25-45", "65+")[r % 3],
                     "nee" if r == 5 else "ja", "Wil meer groen."])
    raw = read_export(_xlsx(rows, "Gesprekken"), "gesprekken.xlsx")
    assert raw.format == "conversation_log" and raw.row_numbers == tuple(range(2, 11))
    questions = {q.column: q for q in infer_questionnaire(raw).questions}
    assert questions["Gespreksvoerder"].pii
    assert questions["Soort gesprek"].role == "channel"
    assert questions["Woont in de wijk"].role == "residence"
    assert questions["Notities"].role == "text"
    assert suggest_mapping(raw, infer_questionnaire(raw)).channel == "straatgesprek"


# ---------------------------------------------------------------- channel vs recruitment

def test_channel_column_only_when_its_answers_are_channels() -> None:
    n = 10
    frame = pd.DataFrame({
        "Kanaal": ["online", "papier", "straat", "bijeenkomst", "huisbezoek"] * 2,
        "Manier van deelname": ["Flyer", "Facebook", "buurman", "krant", "Flyer"] * 2,
        "Testinvoer": ["ja"] + [None] * (n - 1),
        "Woont u in deze buurt?": ["Ja", "Nee, ik werk hier"] * 5,
        "Interviewer": ["Sanne", "Ali"] * 5,
        "Gewicht": np.linspace(0.5, 1.5, n),
    })
    raw = RawExport("team.xlsx", frame, "generic", 1, None, "c" * 64)
    roles = _roles(raw)
    assert roles["Kanaal"] == "channel"
    assert roles["Manier van deelname"] != "channel"
    assert roles["Testinvoer"] == "status" and roles["Gewicht"] == "weight"
    assert roles["Woont u in deze buurt?"] == "residence"
    assert infer_questionnaire(raw).question("Interviewer").pii
    assert raw.source_rows == tuple(range(2, 2 + n))  # built in memory: one header row
    assert [channel_of(v) for v in ("Op papier", "Online", "Flyer", "Facebook")] == [
        "papier", "online", None, None]
    assert [is_resident(v) for v in ("Ja", "Nee, ik werk hier", "x", "", "misschien")] == [
        True, False, True, None, None]


def test_ms_forms_channel_follows_the_tool_not_how_they_heard() -> None:
    header = ["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam",
              "Hoe heeft u van deze enquête gehoord?", HOME]
    rows = [header] + [[r + 1, "5-1-24 10:00:00", "5-1-24 10:05:00", "anonymous", None,
                        ("Papieren flyer", "Buurtbijeenkomst", "Facebook")[r % 3], AGREE[r % 5]]
                       for r in range(6)]
    raw = read_export(_xlsx(rows, "Sheet1"), "Buurtenquête.xlsx")
    assert raw.format == "ms_forms"
    questionnaire = infer_questionnaire(raw)
    assert questionnaire.question("Hoe heeft u van deze enquête gehoord?").role == "recruitment"
    assert "channel" not in {q.role for q in questionnaire.questions}
    assert suggest_mapping(raw, questionnaire).channel == "online"


# ---------------------------------------------------------------- statements and rows

@pytest.mark.parametrize("text, stem, statement", [
    (f"{STEM} - {HOME}", STEM, HOME),
    (f"Stellingen [{HOME}]", "Stellingen", HOME),
    (f"{STEM} - {HOME} - Selected Choice", STEM, HOME),
    (f"Stelling: {HOME}", "", HOME),
    (f"3. {HOME}", "", HOME),
    ("G01Q05[SQ001]", "", "G01Q05[SQ001]"),       # LimeSurvey codes are no statement
    ("Wat is uw leeftijd?", "", "Wat is uw leeftijd?"),
])
def test_split_statement(text: str, stem: str, statement: str) -> None:
    assert split_statement(text) == (stem, statement)


def test_csv_blank_lines_and_title_rows_keep_row_numbers() -> None:
    text = ("Buurtenquête Oost\n\nRespondentnummer;Leeftijd;Geslacht\n1;34;Man\n\n2;56;Vrouw\n"
            ";;\n3;78;Man\n")
    raw = read_export(text.encode("utf-8"), "oost.csv")
    assert raw.row_numbers == (4, 6, 8)
    assert raw.frame["Leeftijd"].tolist() == [34, 56, 78]
    assert str(raw.frame["Leeftijd"].dtype) == "int64"


def test_xlsx_blank_rows_keep_row_numbers() -> None:
    rows = [["Id", "Leeftijd"], [1, 30], [], [], [2, 40], [3, 50]]
    raw = read_export(_xlsx(rows), "x.xlsx")
    assert raw.row_numbers == (2, 5, 6)


def test_new_names_are_known_everywhere() -> None:
    assert "paper_form" in FORMATS
    assert {"residence", "status", "recruitment", "weight"} <= set(ROLES)
    assert set(ROLES) <= set(ROLE_NAMES) and set(FORMATS) <= set(FORMAT_NAMES)


# ---------------------------------------------------------------- answers that fooled us

def test_age_with_units_stays_the_age_column() -> None:
    frame = pd.DataFrame({"Wat is uw leeftijd?": [72, 60, "49 jaar", 33, "39 jr", None],
                          "Waar zijn u en uw ouders geboren?": ["Nederland", "Marokko", "Nederland",
                                                                "Turkije", "Nederland", None],
                          "Datum ontvangst": ["01-05-2024"] * 6})
    roles = _roles(RawExport("papier.xlsx", frame, "paper_form", 1, None, "d" * 64))
    assert roles == {"Wat is uw leeftijd?": "age", "Waar zijn u en uw ouders geboren?": "origin",
                     "Datum ontvangst": "responded_at"}


def test_multi_select_with_commas_in_labels_is_not_free_text() -> None:
    topics = ["Wonen; Afval en schoon", "Groen, spelen en sport; Zorg en welzijn; Afval en schoon",
              "Afval en schoon", "Groen, spelen en sport; Verkeer, parkeren en veiligheid",
              "Zorg en welzijn", "Wonen", "Groen, spelen en sport; Wonen"]
    frame = pd.DataFrame({"12. Belangrijke onderwerpen": topics})
    question = infer_questionnaire(RawExport("p.xlsx", frame, "paper_form", 1, None,
                                             "e" * 64)).questions[0]
    assert question.kind == "multi" and question.role == "multi"
    assert set(question.options) == {"Wonen", "Afval en schoon", "Groen, spelen en sport",
                                     "Zorg en welzijn", "Verkeer, parkeren en veiligheid"}


def test_kobo_label_export_keeps_labels_whole() -> None:
    """With labels, a Kobo select-one answer has spaces ('Huurwoning van een
    woningcorporatie'): that is no space-separated multi-select of XML codes."""
    stem = "Onderwerpen/Welke onderwerpen vindt u belangrijk?"
    frame = pd.DataFrame({
        "Over u/Woning": ["Koopwoning", "Huurwoning van een woningcorporatie",
                          "Huurwoning van een particuliere verhuurder", "Koopwoning"],
        stem: ["Wonen Zorg en welzijn", "Groen, spelen en sport Wonen", "Wonen", "Zorg en welzijn"],
        f"{stem}/Wonen": [1, 1, 1, 0], f"{stem}/Zorg en welzijn": [1, 0, 0, 1],
        f"{stem}/Groen, spelen en sport": [0, 1, 0, 0],
        "_uuid": ["a", "b", "c", "d"]})
    questionnaire = infer_questionnaire(RawExport("k.xlsx", frame, "kobo", 1, None, "f" * 64))
    assert questionnaire.question("Over u/Woning").role == "tenure"
    combined = questionnaire.question(stem)
    assert (combined.kind, combined.role) == ("multi", "ignore")  # the 1/0 columns count
    assert set(combined.options) == {"Wonen", "Zorg en welzijn", "Groen, spelen en sport"}
    assert questionnaire.question(f"{stem}/Wonen").role == "multi"


def test_empty_contact_columns_are_personal_data() -> None:
    frame = pd.DataFrame({"E-mailadres (als u op de hoogte wilt blijven)": [None, None],
                          "Telefoonnummer (optioneel)": [None, None], "Opmerking": [None, None]})
    questions = infer_questionnaire(RawExport("x.xlsx", frame, "ms_forms", 1, None,
                                              "a" * 64)).questions
    assert [q.pii for q in questions] == [True, True, False]


@pytest.mark.parametrize("header, fmt", [
    (["Ingevoerd door", "Leeftijd", HOME], "paper_form"),             # who typed it in
    (["Formuliernummer", "Leeftijd", HOME], "paper_form"),            # a form number
    (["Invoerdatum", "Leeftijd", HOME], "generic"),                   # a date alone says little
    (["Datum", "Locatie", "Afgenomen door", "Leeftijd", "Notities"], "conversation_log"),
    (["Formuliernr", "Datum", "Locatie", "Geschatte leeftijd", "Notities"], "conversation_log"),
    (["Tijdstempel", "Ingevoerd door", HOME], "google_forms"),       # a tool's export stays one
])
def test_paper_form_signals(header: list[str], fmt: str) -> None:
    rows = [header] + [[f"v{r}{c}" if c else "2024-05-01" for c in range(len(header))]
                       for r in range(3)]
    for row in rows[1:]:
        row[header.index(HOME) if HOME in header else -1] = AGREE[0]
    assert read_export(_xlsx(rows), "invoer.xlsx").format == fmt


@pytest.mark.parametrize("header, answers, role", [
    ("Woont u in deze buurt?", ["Ja", "Nee", "Weet niet", "Ja"], "residence"),
    ("Woont u in Transvaal?", ["Ja, al 20 jaar", "Nee, ik werk hier", "Ja", "Ja"], "residence"),
    ("Woont u in de Vogelbuurt?", ["ja", "nee", "ja", "ja"], "residence"),
    ("Bent u bewoner van de Schilderswijk?", ["Ja", "Nee", "Ja", "Ja"], "residence"),
    ("Do you live in this neighbourhood?", ["Yes", "No", "Yes", "Yes"], "residence"),
    ("Woont u in een koop- of huurwoning?", ["Koopwoning", "Huurwoning", "Koopwoning",
                                              "Huurwoning"], "tenure"),
    ("In welke buurt woont u?", ["Oost", "West", "Oost", "Noord"], "area"),
])
def test_residence_questions(header: str, answers: list[str], role: str) -> None:
    raw = RawExport("r.xlsx", pd.DataFrame({header: answers}), "generic", 1, None, "9" * 64)
    assert _roles(raw)[header] == role


def test_dutch_qualtrics_status_words_and_phone_channel() -> None:
    assert [status_reason(v, "Status") for v in ("IP-adres", "Enquêtevoorbeeld", "Enquêtetest")
            ] == ["", "preview", "test"]
    frame = pd.DataFrame({"Soort gesprek": ["Straatgesprek", "Huisbezoek", "Telefonisch", "Anders"],
                          "Hoe wilt u benaderd worden?": ["Telefonisch", "Anders", "Anders",
                                                          "Telefonisch"]})
    roles = _roles(RawExport("log.xlsx", frame, "conversation_log", 1, None, "8" * 64))
    assert roles["Soort gesprek"] == "channel"
    assert roles["Hoe wilt u benaderd worden?"] != "channel"


@pytest.mark.parametrize("header", [
    "Hoe heeft u van deze enquête gehoord?", "Via welk kanaal heeft u over deze enquête gehoord?",
    "Hoe bent u op de hoogte geraakt van dit onderzoek?", "Waar heeft u deze vragenlijst gezien?",
    "Hoe bent u bij deze vragenlijst gekomen?", "How did you hear about this survey?",
    "Hoe bent u uitgenodigd?",
])
def test_recruitment_wordings_are_never_the_channel(header: str) -> None:
    frame = pd.DataFrame({header: ["Flyer", "Facebook", "Online", "Bijeenkomst", "Flyer"]})
    assert _roles(RawExport("o.xlsx", frame, "ms_forms", 1, None, "7" * 64))[header] == \
        "recruitment"


def test_spss_mode_variable_is_a_channel_column() -> None:
    frame = pd.DataFrame({"modus": [1.0, 2.0, 1.0, 3.0]})
    raw = RawExport("bp.sav", frame, "spss", 1, None, "6" * 64,
                    labels={"modus": "Afnamemethode"},
                    value_labels={"modus": {1.0: "Online", 2.0: "Papier", 3.0: "Telefonisch"}})
    assert _roles(raw)["modus"] == "channel"


@pytest.mark.parametrize("answer, expected", [
    ("Papier", "papier"), ("Straatgesprek", "straatgesprek"), ("Buurtbijeenkomst", "bijeenkomst"),
    ("Flyer", "online"), ("Facebook", "online"), ("Via de buurman", "online"), ("", "online")])
def test_a_per_row_channel_never_comes_from_how_someone_heard(answer: str, expected: str) -> None:
    """channel_code and channel_of are one rule: 'Flyer' is how someone heard, not a channel,
    so the file's own channel (here online) stays."""
    from surveys.demographics import channel_code

    assert channel_code(answer, "online") == expected


@pytest.mark.parametrize("answer", ["x", "Ik woon in een andere wijk", "Ja, maar ik woon er niet meer",
                                    "I live here", "Bezoeker"])
def test_one_residence_rule(answer: str) -> None:
    from surveys import demographics, roles

    assert roles.is_resident(answer) is demographics.is_resident(answer)
