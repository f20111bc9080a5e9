"""Question inference on small hand-made frames: kinds, options, roles, multi shapes."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from surveys.model import RawExport
from surveys.questionnaire import column_key, infer_questionnaire, split_joined


def raw(frame: dict | pd.DataFrame, fmt: str = "generic", **kw) -> RawExport:
    return RawExport("test.xlsx", pd.DataFrame(frame), fmt, 1, None, "0" * 64, **kw)


def q(export: RawExport, column: str):
    return infer_questionnaire(export).question(column)


def test_ms_forms_columns() -> None:
    export = raw({
        "Id": [1, 2, 3, 4], "Begintijd": ["1-3-2024 10:00"] * 4,
        "Tijd van voltooien": ["1-3-2024 10:05"] * 4, "E-mail": ["anonymous"] * 4,
        "Naam": [None] * 4,
        "Hoe reist u?": ["Fiets;Auto;", "Fiets;", "Bus;Fiets;", "Auto;"],
    }, "ms_forms")
    questionnaire = infer_questionnaire(export)
    assert [x.kind for x in questionnaire.questions] == [
        "id", "timestamp", "timestamp", "pii", "pii", "multi"]
    assert questionnaire.question("Id").role == "respondent_id"
    assert questionnaire.question("Tijd van voltooien").role == "responded_at"
    assert questionnaire.question("Begintijd").role == "ignore"
    assert questionnaire.pii_columns == ("E-mail", "Naam")
    assert "e-mail" in questionnaire.question("E-mail").pii_reason
    assert set(questionnaire.question("Hoe reist u?").options) == {"Fiets", "Auto", "Bus"}


def test_google_checkboxes_split_against_options_with_commas() -> None:
    cells = ["Groen, Veiligheid", "Noch eens, noch oneens", "Groen",
             "Veiligheid, Noch eens, noch oneens", "Spelen, sporten en bewegen, Groen"]
    question = q(raw({"Tijdstempel": ["1-3-2024"] * 5, "Wat vindt u belangrijk?": cells},
                     "google_forms"), "Wat vindt u belangrijk?")
    assert question.kind == "multi"
    assert set(question.options) == {"Groen", "Veiligheid", "Noch eens, noch oneens",
                                     "Spelen, sporten en bewegen"}


def test_split_joined_prefers_known_options() -> None:
    known = {"Noch eens, noch oneens", "Groen"}
    assert split_joined("Groen, Noch eens, noch oneens", known) == ["Groen", "Noch eens, noch oneens"]
    assert split_joined("A, B", set()) == ["A", "B"]


def test_qualtrics_split_columns_are_one_multi_question() -> None:
    export = raw({"Q9_1": ["Fiets", None, "Fiets"], "Q9_2": [None, "Auto", "Auto"],
                  "Q9_3": ["1", None, "1"]}, "qualtrics",
                 labels={"Q9_3": "Hoe reist u? - Selected Choice - Bus"})
    questionnaire = infer_questionnaire(export)
    assert [x.options for x in questionnaire.questions] == [("Fiets",), ("Auto",), ("Bus",)]
    assert all(x.kind == "multi" and x.role == "multi" for x in questionnaire.questions)


def test_kobo_space_separated_and_per_option_columns() -> None:
    export = raw({"vervoer/hoe": ["fiets auto", "fiets", "bus fiets", "auto"],
                  "vervoer/hoe/fiets": [1, 1, 1, 0], "vervoer/hoe/auto": [1, 0, 0, 1],
                  "vervoer/hoe/bus": [0, 0, 1, 0], "_uuid": ["a", "b", "c", "d"]}, "kobo")
    questionnaire = infer_questionnaire(export)
    combined = questionnaire.question("vervoer/hoe")
    assert combined.kind == "multi" and set(combined.options) == {"fiets", "auto", "bus"}
    assert combined.role == "ignore"  # the 1/0 columns carry the answers
    assert questionnaire.question("vervoer/hoe/bus").options == ("bus",)
    assert questionnaire.question("_uuid").role == "respondent_id"


def test_likert_numeric_date_text_and_roles() -> None:
    export = raw({
        "Respondentnummer": [11, 12, 13, 14, 15, 16],
        "Leeftijd": [23, 45, 67, 81, 34, 19],
        "Geboortejaar": [1990, 1960, 1955, 2001, 1980, 1999],
        "Leeftijdsgroep": ["18-29", "30-39", "75+", "40-54", "18-29", "65-74"],
        "Geslacht": ["Man", "Vrouw", "Zeg ik liever niet", "V", "M", "Anders"],
        "Huishouden": ["Alleenstaand", "Eenoudergezin", "Samenwonend zonder kinderen",
                       "Met partner en kinderen", "Alleen", "Anders"],
        "Koop of huur": ["Koopwoning", "Sociale huur", "Particuliere huur", "Eigen woning",
                         "Koopwoning", "Vrije sector"],
        "Waar bent u geboren?": ["Nederland", "Marokko", "Polen", "Nederland", "Turkije", "Nederland"],
        "Postcode": ["1234 AB", "1234AB", "5678 CD", "9999 ZZ", "1000 AA", "1234 AB"],
        "In welke buurt woont u?": ["Oost", "West", "Oost", "Oost", "West", "Noord"],
        "Ik voel me thuis": ["Mee eens", "Helemaal mee eens", "Weet niet", "Mee oneens",
                             "Neutraal", "Mee eens"],
        "Welk rapportcijfer geeft u de buurt?": [7, 8, 6, 9, 7, 5],
        "Datum ingevuld": ["01-03-2024", "02-03-2024", "03-03-2024", "04-03-2024",
                           "05-03-2024", "06-03-2024"],
        "Wat wilt u nog kwijt?": ["Meer groen graag.", "Te hard rijden in de straat.", None,
                                  "Fijne buren en een mooi park.", "Speeltuin is kapot.", "Nee."],
    })
    questionnaire = infer_questionnaire(export)
    roles = {x.column: (x.kind, x.role) for x in questionnaire.questions}
    assert roles == {
        "Respondentnummer": ("id", "respondent_id"), "Leeftijd": ("numeric", "age"),
        "Geboortejaar": ("numeric", "birth_year"), "Leeftijdsgroep": ("single", "age_band"),
        "Geslacht": ("single", "gender"), "Huishouden": ("single", "household"),
        "Koop of huur": ("single", "tenure"), "Waar bent u geboren?": ("single", "origin"),
        "Postcode": ("single", "postcode"), "In welke buurt woont u?": ("single", "area"),
        "Ik voel me thuis": ("likert", "item"),
        # a report mark is an ordered scale but no attitude statement: not suggested
        # as a profile item (was "item" before the round that fixed issue 11)
        "Welk rapportcijfer geeft u de buurt?": ("likert", "ignore"),
        "Datum ingevuld": ("timestamp", "responded_at"), "Wat wilt u nog kwijt?": ("text", "text"),
    }
    assert questionnaire.question("Ik voel me thuis").scale == (
        "Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens")
    assert questionnaire.question("Postcode").options == ("1000", "1234", "5678", "9999")
    assert questionnaire.question("Wat wilt u nog kwijt?").options == ()


def test_roles_from_values_when_the_header_says_nothing() -> None:
    export = raw({"v1": ["Man", "Vrouw", "Vrouw", "Man"],
                  "v2": ["25 tot 45 jaar", "45 tot 65 jaar", "65 jaar en ouder", "25 tot 45 jaar"],
                  "v3": ["Koopwoning", "Huurwoning van een woningcorporatie", "Koopwoning",
                         "Particuliere huur"]})
    assert [x.role for x in infer_questionnaire(export).questions] == [
        "gender", "age_band", "tenure"]


def test_woonsituatie_with_koop_huur_answers_is_tenure() -> None:
    export = raw({"Wat is uw woonsituatie?": ["Koopwoning", "Huurwoning van een woningcorporatie",
                                              "Particuliere huurwoning", "Koopwoning"]})
    assert q(export, "Wat is uw woonsituatie?").role == "tenure"


def test_spss_value_labels_give_the_answers() -> None:
    export = raw({"ch01": [1, 2, 2, 1], "wb01": [1, 5, 4, 99]}, "spss",
                 labels={"ch01": "Wat is uw geslacht?", "wb01": "Ik voel me thuis"},
                 value_labels={"ch01": {1: "man", 2: "vrouw"},
                               "wb01": {1: "helemaal mee oneens", 2: "mee oneens", 3: "neutraal",
                                        4: "mee eens", 5: "helemaal mee eens", 99: "weet niet"}})
    questionnaire = infer_questionnaire(export)
    assert questionnaire.question("ch01").role == "gender"
    assert questionnaire.question("ch01").text == "Wat is uw geslacht?"
    assert questionnaire.question("wb01").kind == "likert"


def test_only_one_respondent_id_and_empty_columns() -> None:
    export = raw({"_id": [1, 2], "_uuid": ["a", "b"], "_index": [1, 2], "leeg": [None, None]}, "kobo")
    questionnaire = infer_questionnaire(export)
    assert [x.role for x in questionnaire.questions] == ["ignore", "respondent_id", "ignore", "ignore"]
    assert questionnaire.question("leeg").kind == "empty"


@pytest.mark.parametrize("name, key", [
    ("Ik voel me thuis in de buurt!", "ik_voel_me_thuis_in_de_buurt"),
    ("Q5_1", "q5_1"), ("Hoe tevreden bent u over de speelplekken voor kinderen in uw buurt?",
                       "hoe_tevreden_bent_u_over_de_speelplekken"),
    ("Enquête", "enquete"), ("?!", "vraag"),
])
def test_column_key(name: str, key: str) -> None:
    assert column_key(name) == key


_LABELS = st.lists(st.from_regex(r"[A-Z][a-z]{1,8}( [a-z]{1,6})?(, [a-z]{1,6} [a-z]{1,6})?",
                                 fullmatch=True), min_size=2, max_size=6, unique=True)


@settings(max_examples=60, deadline=None)
@given(_LABELS, st.data())
def test_property_google_cells_split_back_into_their_options(labels, data) -> None:
    picks = data.draw(st.lists(st.lists(st.sampled_from(labels), min_size=1, unique=True),
                               min_size=1, max_size=8))
    for pick in picks:
        assert split_joined(", ".join(pick), set(labels)) == pick
