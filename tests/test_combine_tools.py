"""One questionnaire exported by five tools lines up into the same answer columns."""
from __future__ import annotations

import pytest

from surveys import import_files
from surveys.questionnaire import question_key
from tests import builders


@pytest.mark.parametrize("text, key", [
    ("Ik voel me thuis", "ik_voel_me_thuis"),
    ("Stelling: Ik voel me thuis", "ik_voel_me_thuis"),
    ("Vraag 3: Ik voel me thuis", "ik_voel_me_thuis"),
    ("Hoe eens bent u het met deze stellingen? - Ik voel me thuis", "ik_voel_me_thuis"),
])
def test_question_key_follows_the_statement(text: str, key: str) -> None:
    assert question_key(text) == key


def test_five_tools_give_one_set_of_columns() -> None:
    answers = builders.wijk_answers(60, seed=4)
    exports = {
        "forms.xlsx": builders.ms_forms_xlsx(answers),
        "qualtrics.csv": builders.qualtrics_csv(answers),
        "monkey.xlsx": builders.surveymonkey_xlsx(answers),
        "kobo.xlsx": builders.kobo_xlsx(answers),
        "google.csv": builders.google_forms_csv(answers),
    }
    per_tool = {name: {c for c in import_files([(name, data)]).columns
                       if c.startswith(("item:", "multi:", "text:"))}
                for name, data in exports.items()}
    reference = per_tool["forms.xlsx"]
    assert any(c.startswith("item:") for c in reference)
    assert any(c.startswith("multi:") for c in reference)
    for name, columns in per_tool.items():
        assert columns == reference, name
    combined = import_files(list(exports.items()))
    items = [c for c in combined.columns if c.startswith("item:")]
    assert all(combined[c].notna().sum() > 0.5 * len(combined) for c in items)


def test_a_multi_select_is_one_question_across_tools() -> None:
    """Split per option (Qualtrics, SurveyMonkey), in one cell (Forms), numbered on paper:
    one `multi:<key>:<option>` set, with the question's key, not the tool's column name."""
    answers = builders.wijk_answers(30, seed=6)
    heard = builders.HEARD
    paper = {(f"12. {k}" if k == heard else k): v for k, v in answers.items()}
    exports = [("forms.xlsx", builders.ms_forms_xlsx(answers)),
               ("qualtrics.csv", builders.qualtrics_csv(answers)),
               ("monkey.xlsx", builders.surveymonkey_xlsx(answers)),
               ("papier.xlsx", builders.paper_form_xlsx(paper))]
    combined = import_files(exports)
    stems = {c.split(":")[1] for c in combined.columns if c.startswith("multi:")}
    assert stems == {"hoe_heeft_u_van_deze_enquete_gehoord"}, stems
    brief = "multi:hoe_heeft_u_van_deze_enquete_gehoord:brief_in_de_bus"
    sources = set(combined.loc[combined[brief].notna(), "source"].str.split("#").str[0])
    assert sources == {name for name, _ in exports}


def test_every_checkbox_option_is_one_column_answered_in_every_tool() -> None:
    """Per option, not only per question: each `multi:<key>:<option>` column holds the
    answers of every tool that asked the question, and the option matching is plain data."""
    answers = builders.wijk_answers(40, seed=9)
    exports = [("forms.xlsx", builders.ms_forms_xlsx(answers)),
               ("qualtrics.csv", builders.qualtrics_csv(answers)),
               ("monkey.xlsx", builders.surveymonkey_xlsx(answers)),
               ("kobo.csv", builders.kobo_csv(answers)),
               ("google.csv", builders.google_forms_csv(answers))]
    combined = import_files(exports)
    columns = [c for c in combined.columns if c.startswith("multi:")]
    assert columns
    for column in columns:
        sources = set(combined.loc[combined[column].notna(), "source"].str.split("#").str[0])
        assert sources == {name for name, _ in exports}, column
    options = [r for r in combined.attrs["matching"] if r["kind"] == "option"]
    assert {r["file"] for r in options} == {name for name, _ in exports}
    assert all(f"{r['question']}:{r['key'].rsplit(':', 1)[1]}" == r["key"] for r in options)
