"""Likert scales: recognised in Dutch and English, coded 1..k, non-answers missing."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from surveys.likert import MARK_SCALE, SCALES, code_answers, is_missing_answer, match_scale, normalize_label

AGREE_NL = ["Helemaal mee oneens", "Mee oneens", "Noch mee eens, noch mee oneens", "Mee eens",
            "Helemaal mee eens"]
NON_ANSWERS = ["Weet niet", "weet ik niet", "Geen mening", "n.v.t.", "N.V.T.", "Niet van toepassing",
               "Don't know", "", None, float("nan")]


def test_normalize_label_folds_case_accents_and_punctuation() -> None:
    assert normalize_label("  Noch mee eens,  noch mee ONEENS! ") == "noch mee eens noch mee oneens"
    assert normalize_label("Tevreden é") == "tevreden e"
    assert normalize_label("Don't know") == "dont know"


@pytest.mark.parametrize("values, name, points", [
    (AGREE_NL, "eens5", 5),
    (["Zeer mee oneens", "Oneens", "Neutraal", "Eens", "Zeer mee eens"], "eens5", 5),
    (["Helemaal mee oneens", "Enigszins mee oneens", "Mee eens"], "eens7", 7),
    (["Strongly disagree", "Neither agree nor disagree", "Agree"], "agree5", 5),
    (["Somewhat agree", "Strongly agree"], "agree5s", 5),        # Qualtrics' 5-point default
    (["Agree", "Somewhat agree", "Strongly agree"], "agree7", 7),
    (["Nooit", "Soms", "Vaak", "Altijd"], "vaak5", 5),
    (["Never", "Rarely", "Often"], "often5", 5),
    (["Zeer ontevreden", "Tevreden", "Zeer tevreden"], "tevreden5", 5),
    (["Enigszins tevreden", "Zeer tevreden"], "tevreden5s", 5),
    (["Enigszins tevreden", "Tevreden", "Zeer tevreden"], "tevreden7", 7),
    (["Very dissatisfied", "Satisfied"], "satisfied5", 5),
])
def test_match_scale_finds_the_smallest_fitting_scale(values, name, points) -> None:
    scale = match_scale(values + ["Weet niet"])
    assert scale is not None and scale.name == name and scale.points == points


def test_codes_follow_scale_order_and_non_answers_are_missing() -> None:
    scale = match_scale(AGREE_NL)
    assert [scale.code(v) for v in AGREE_NL] == [1.0, 2.0, 3.0, 4.0, 5.0]
    for value in NON_ANSWERS:
        assert math.isnan(scale.code(value)), value


def test_seven_point_positions() -> None:
    codes = code_answers(["Helemaal mee oneens", "Enigszins mee oneens", "Neutraal",
                          "Enigszins mee eens", "Helemaal mee eens", "Geen mening"],
                         [s for s in SCALES if s.name == "eens7"][0].labels)
    assert codes[:5] == [1.0, 3.0, 4.0, 5.0, 7.0] and math.isnan(codes[5])


def test_rapportcijfer_needs_a_mark_header() -> None:
    assert match_scale([6, 7, 8, 9], header="Welk rapportcijfer geeft u de buurt?") is MARK_SCALE
    assert match_scale([6, 7, 8, 9], header="Hoeveel kinderen heeft u?") is None
    assert code_answers([7, "8", 11, None, "7,5"], MARK_SCALE.labels)[:2] == [7.0, 8.0]
    coded = code_answers([7, "8", 11, None, "7,5"], MARK_SCALE.labels)
    assert math.isnan(coded[2]) and math.isnan(coded[3]) and coded[4] == 7.5


def test_not_a_scale() -> None:
    assert match_scale(["Man", "Vrouw"]) is None
    assert match_scale(["Ja", "Nee"]) is None
    assert match_scale(["Weet niet", None]) is None


@given(st.lists(st.sampled_from(AGREE_NL + ["Weet niet", "Geen mening", "n.v.t.", ""]),
                min_size=1, max_size=40))
def test_property_codes_are_in_range_and_non_answers_never_neutral(answers) -> None:
    labels = match_scale(AGREE_NL).labels
    codes = code_answers(answers, labels)
    for answer, code in zip(answers, codes):
        if is_missing_answer(answer):
            assert math.isnan(code)
        else:
            assert code == AGREE_NL.index(answer) + 1


@given(st.permutations(AGREE_NL), st.sampled_from([str.upper, str.lower, str.title, lambda s: f"  {s} "]))
def test_property_order_and_case_do_not_change_codes(order, style) -> None:
    scale = match_scale([style(v) for v in order])
    assert scale is not None and scale.name == "eens5"
    assert [scale.code(style(v)) for v in AGREE_NL] == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_one_file_decides_its_scale_together() -> None:
    """A 7-point statement whose answers happen to show no 'Somewhat' option is coded on
    the 7-point scale of the file's other statements: 'Agree' is 6, not 4."""
    import io

    import pandas as pd

    from surveys.questionnaire import infer_questionnaire
    from surveys.readers import read_export

    seven = ["Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree",
             "Somewhat agree", "Agree", "Strongly agree"]
    frame = pd.DataFrame({
        "Timestamp": [f"2026/09/{d:02d} 10:00:00" for d in range(1, 15)],
        "Statements [I feel at home]": [seven[i % 7] for i in range(14)],
        "Statements [I trust the council]": ["Agree", "Disagree", "Strongly agree", "Strongly disagree",
                                             "Neither agree nor disagree"] * 2 + ["Agree"] * 4,
    })
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    raw = read_export(buffer.getvalue().encode(), "google_en.csv")
    question = infer_questionnaire(raw).question("Statements [I trust the council]")
    assert question.kind == "likert"
    assert list(question.scale) == seven


def test_a_statement_with_few_answers_takes_the_file_scale() -> None:
    """Three paper forms: one statement was answered only 'Neutraal' and 'Weet niet'. On its
    own that is no scale, but the file's other statements use the agreement scale, so it is
    a statement on it ('Neutraal' = 3) and its answers are not lost."""
    import io

    import pandas as pd

    from surveys.likert import code_answers
    from surveys.questionnaire import infer_questionnaire
    from surveys.readers import read_export

    frame = pd.DataFrame({
        "Formuliernr": ["P001", "P002", "P003"],
        "1. Ik voel me thuis in de buurt": ["Mee eens", "Helemaal mee oneens", "Neutraal"],
        "2. Ik vertrouw de gemeente": ["Mee oneens", "Helemaal mee eens", "Weet niet"],
        "3. Ik heb geen tijd om mee te doen": ["Weet niet", "Neutraal", "Weet niet"],
        "Woonvorm": ["Huur", "Koop", "Huur"],
    })
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, sep=";")
    questionnaire = infer_questionnaire(read_export(buffer.getvalue().encode(), "papier.csv"))
    question = questionnaire.question("3. Ik heb geen tijd om mee te doen")
    assert (question.kind, question.role) == ("likert", "item")
    assert code_answers(["Neutraal", "Weet niet"], question.scale)[0] == 3.0
    assert questionnaire.question("Woonvorm").role != "item"
