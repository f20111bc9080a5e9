"""Mappings: suggestion, JSON round trip, and finding a saved mapping by its header."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from surveys.errors import MappingError
from surveys.mapping import (
    apply_saved_mapping,
    header_fingerprint,
    merge_mapping,
    suggest_mapping,
    validate_mapping,
)
from surveys.model import Mapping, RawExport
from surveys.questionnaire import infer_questionnaire


def raw(frame: dict, fmt: str = "generic") -> RawExport:
    return RawExport("test.xlsx", pd.DataFrame(frame), fmt, 1, None, "b" * 64)


WEEK1 = {"ResponseId": ["R_1", "R_2"], "RecipientEmail": ["a@b.nl", None],
         "Geslacht": ["Man", "Vrouw"], "Stelling": ["Eens", "Oneens"]}


def test_fingerprint_ignores_order_case_and_rows() -> None:
    week2 = {"geslacht": ["Vrouw"] * 3, "Stelling": ["Eens"] * 3, "RESPONSEID": ["R_9"] * 3,
             "RecipientEmail": [None] * 3}
    assert header_fingerprint(raw(WEEK1)) == header_fingerprint(raw(week2))
    assert header_fingerprint(raw(WEEK1)) != header_fingerprint(raw({**WEEK1, "Nieuw": [1, 2]}))
    assert len(header_fingerprint(raw(WEEK1))) == 16


@pytest.mark.parametrize("id_column", ["ResponseId", "Respondent ID", "Id", "_uuid", "id",
                                       "Respondentnummer", "Formuliernr"])
def test_respondent_id_from_the_source_id_column(id_column: str) -> None:
    export = raw({id_column: [11, 12], "Geslacht": ["Man", "Vrouw"]})
    mapping = suggest_mapping(export, infer_questionnaire(export))
    assert mapping.roles[id_column] == "respondent_id"


def test_suggestion_drops_personal_data_and_never_uses_an_email_as_id() -> None:
    export = raw(WEEK1, "qualtrics")
    mapping = suggest_mapping(export, infer_questionnaire(export), channel="papier")
    assert mapping.roles == {"ResponseId": "respondent_id", "RecipientEmail": "ignore",
                             "Geslacht": "gender", "Stelling": "item"}
    assert mapping.channel == "papier"
    emails = raw({"ID": ["a@b.nl", "c@d.nl"], "Geslacht": ["Man", "Vrouw"]})
    assert suggest_mapping(emails, infer_questionnaire(emails)).roles["ID"] == "ignore"


def test_conversation_log_defaults_to_street_channel() -> None:
    export = raw({"Datum": ["04-03-2024"], "Geslacht (geschat)": ["man"]}, "conversation_log")
    assert suggest_mapping(export, infer_questionnaire(export)).channel == "straatgesprek"


def test_json_round_trip() -> None:
    export = raw(WEEK1)
    mapping = suggest_mapping(export, infer_questionnaire(export))
    mapping.recodes["Geslacht"] = {"M": "man"}
    again = Mapping.from_dict(json.loads(json.dumps(mapping.to_dict())))
    assert again == mapping


def test_saved_mapping_is_found_by_fingerprint_and_new_columns_get_suggestions() -> None:
    week1 = raw(WEEK1)
    saved = suggest_mapping(week1, infer_questionnaire(week1))
    saved.roles["Stelling"] = "ignore"  # the user's choice last week
    other = Mapping(fingerprint="0" * 16, roles={"Geslacht": "ignore"})
    week2 = raw({**WEEK1, "Geslacht": ["Vrouw", "Vrouw"]})
    mapping, found = apply_saved_mapping(week2, infer_questionnaire(week2),
                                         [other.to_dict(), saved.to_dict()])
    assert found and mapping.roles["Stelling"] == "ignore" and mapping.roles["Geslacht"] == "gender"
    new_form = raw({**WEEK1, "Extra": ["Eens", "Oneens"]})
    mapping, found = apply_saved_mapping(new_form, infer_questionnaire(new_form), [saved])
    assert not found and mapping.roles["Stelling"] == "item"


def test_saved_mapping_cannot_bring_personal_data_back() -> None:
    export = raw(WEEK1)
    questionnaire = infer_questionnaire(export)
    saved = suggest_mapping(export, questionnaire)
    saved.roles["RecipientEmail"] = "text"
    mapping, found = apply_saved_mapping(export, questionnaire, [saved])
    assert found and mapping.roles["RecipientEmail"] == "ignore"


def test_merge_bare_roles_and_validation() -> None:
    export = raw(WEEK1)
    suggested = suggest_mapping(export, infer_questionnaire(export))
    merged = merge_mapping(suggested, {"Stelling": "respondent_id", "Onbekend": "gender"})
    assert merged.roles["Stelling"] == "respondent_id" and merged.roles["ResponseId"] == "ignore"
    assert "Onbekend" not in merged.roles and merged.channel == suggested.channel
    with pytest.raises(MappingError, match="(?i)geslacht") as info:
        validate_mapping(merge_mapping(suggested, {"Geslacht": "sekse"}), export)
    assert "test.xlsx" in str(info.value)


def test_channel_follows_the_file_kind_and_a_saved_channel_role_on_recruitment_is_undone() -> None:
    frame = {"Formuliernr": ["P1", "P2", "P3"],
             "Hoe heeft u van deze enquête gehoord?": ["Flyer", "Facebook", "Buurman"]}
    paper = raw(frame, "paper_form")
    questionnaire = infer_questionnaire(paper)
    suggestion = suggest_mapping(paper, questionnaire)
    assert suggestion.channel == "papier"
    assert suggestion.roles["Hoe heeft u van deze enquête gehoord?"] == "recruitment"
    assert suggest_mapping(raw(frame, "kobo"), questionnaire).channel == "online"
    assert suggest_mapping(raw(frame, "conversation_log"), questionnaire).channel == "straatgesprek"
    assert suggest_mapping(paper, questionnaire, channel="bijeenkomst").channel == "bijeenkomst"
    old = Mapping(suggestion.fingerprint, {**suggestion.roles,
                                           "Hoe heeft u van deze enquête gehoord?": "channel"},
                  channel="papier")
    mapping, found = apply_saved_mapping(paper, questionnaire, [old.to_dict()])
    assert found and mapping.roles["Hoe heeft u van deze enquête gehoord?"] == "recruitment"
