"""Cross-tool question matching: one statement, one key, whatever tool or week wrote it."""
from __future__ import annotations

import pytest

from surveys.matching import (align_to_known, match_files, match_to_known, normalise,
                              similarity, slug, statement_of)

STATEMENT = "Ik voel me thuis in de buurt"


@pytest.mark.parametrize("header", [
    "Ik voel me thuis in de buurt",
    "IK VOEL ME THUIS IN DE BUURT",
    "Q3. Ik voel me thuis in de buurt",
    "3. Ik voel me thuis in de buurt",
    "3) Ik voel me thuis in de buurt",
    "Vraag 3: Ik voel me thuis in de buurt",
    "Stelling: Ik voel me thuis in de buurt",
    "Hoe eens bent u het met de volgende stellingen? - Ik voel me thuis in de buurt",
    "Stellingen [Ik voel me thuis in de buurt]",
    "Hoe eens bent u het hiermee: Ik voel me thuis in de buurt",
    "groep_stellingen/ik_voel_me_thuis_in_de_buurt",
    "Ik voel me thuis in de buurt (optioneel)",
    "Ik voel me thuis in de buurt *",
    "Ik vóél me thuis in de buurt?",
])
def test_tool_wordings_normalise_to_the_statement(header: str) -> None:
    assert normalise(header) == "ik voel me thuis in de buurt"
    assert slug(header) == "ik_voel_me_thuis_in_de_buurt"


def test_statement_keeps_text_it_cannot_place() -> None:
    assert statement_of("Q12_3") == "Q12_3"
    assert statement_of("Heeft u een auto/fiets?") == "Heeft u een auto/fiets"
    assert slug("Hoe tevreden bent u over: groen") == "hoe_tevreden_bent_u_over_groen"


def test_small_wording_differences_match_other_statements_do_not() -> None:
    same = [("Ik voel mij thuis in de buurt", STATEMENT),
            ("In de buurt voel ik me thuis", STATEMENT),
            ("Ik voel me thuis in de buurt.", STATEMENT),
            ("De gemeente informeert de bewoners goed over plannen",
             "De gemeente informeert ons goed over plannen")]
    for a, b in same:
        assert similarity(normalise(a), normalise(b)) >= 90, (a, b)
    different = [("Ik voel me veilig", "Ik voel me veilig in het park"),
                 ("De buurt is schoon", "De buurt is schoon en heel"),
                 ("Ik voel me veilig overdag", "Ik voel me veilig 's avonds"),
                 ("Ik heb vertrouwen in de gemeente", "Ik heb vertrouwen in de politie"),
                 ("Ik ken mijn buren", "Ik ken mijn buren niet"),  # a negation: the reverse
                 ("Ik voel me veilig in de buurt", "Ik voel me niet veilig in de buurt"),
                 ("Er is genoeg te doen", "Er is geen genoeg te doen")]
    for a, b in different:
        assert similarity(normalise(a), normalise(b)) == 0, (a, b)


def test_two_statements_of_one_file_never_share_a_key() -> None:
    known = {"ik_voel_me_thuis_in_de_buurt": STATEMENT}
    found = match_to_known([("A", "Ik voel me thuis in de buurt"),
                            ("B", "Ik voel mij thuis in de buurt")], known, file="f.xlsx")
    assert [m.key for m in found] == ["ik_voel_me_thuis_in_de_buurt",
                                      "ik_voel_mij_thuis_in_de_buurt"]
    assert found[0].score == 100 and found[1].score == 0
    # the better match wins even when it comes second in the file
    found = match_to_known([("B", "Ik voel mij thuis in de buurt"), ("A", STATEMENT)], known)
    assert {m.column: m.key for m in found}["A"] == "ik_voel_me_thuis_in_de_buurt"


def test_files_line_up_and_the_result_is_plain_data() -> None:
    files = [
        ("forms.xlsx", [("Ik voel me thuis in de buurt", "Ik voel me thuis in de buurt"),
                        ("Ik heb vertrouwen in de gemeente", "Ik heb vertrouwen in de gemeente")]),
        ("qualtrics.csv", [("Q3_1", "Stellingen - Ik voel me thuis in de buurt"),
                           ("Q3_2", "Stellingen - Ik heb vertrouwen in de gemeente")]),
        ("google.csv", [("x", "Stellingen [Ik heb vertrouwen in de gemeente]"),
                        ("y", "Stellingen [Ik voel mij thuis in de buurt]"),
                        ("z", "Stellingen [De gemeente luistert naar bewoners]")]),
    ]
    matches, known = match_files(files)
    keys = {(m.file, m.column): m.key for m in matches}
    assert keys[("qualtrics.csv", "Q3_1")] == keys[("google.csv", "y")] == "ik_voel_me_thuis_in_de_buurt"
    assert keys[("qualtrics.csv", "Q3_2")] == keys[("google.csv", "x")]
    assert keys[("google.csv", "z")] == "de_gemeente_luistert_naar_bewoners"
    assert set(known) == {"ik_voel_me_thuis_in_de_buurt", "ik_heb_vertrouwen_in_de_gemeente",
                          "de_gemeente_luistert_naar_bewoners"}
    row = matches[-2].to_dict()
    assert set(row) == {"column", "file", "text", "key", "score", "matched_text"}
    assert row["matched_text"] == "Ik voel me thuis in de buurt" and 90 <= row["score"] < 100


def test_officer_override_wins_and_align_to_known() -> None:
    known = {"thuis": "Ik voel me thuis in de buurt", "vertrouwen": "Ik heb vertrouwen in de gemeente"}
    questions = {"Q1": "Q1 - Ik voel me thuis in de buurt", "Q2": "Q2 - Mijn buren helpen mij",
                 "Q3": "Q3 - Ik heb vertrouwen in de gemeente"}
    assert align_to_known(questions, known) == {"Q1": "thuis", "Q2": "mijn_buren_helpen_mij",
                                                "Q3": "vertrouwen"}
    corrected = align_to_known(questions, known, overrides={"Q2": "vertrouwen"})
    assert corrected["Q2"] == "vertrouwen" and corrected["Q3"] != "vertrouwen"
    # a new key never takes a known one's name
    assert align_to_known({"n": "Thuis"}, known)["n"] == "thuis_2"
    matches, _ = match_files([("a.xlsx", [("Q1", "Ik voel me thuis")])],
                             overrides={"a.xlsx": {"Q1": "eigen_sleutel"}})
    assert matches[0].key == "eigen_sleutel"


def test_code_headers_take_the_key_at_the_same_place_of_a_twin_export() -> None:
    from surveys.matching import is_code, twin_keys

    assert is_code("stellingen/s1") and is_code("st_01") and is_code("Q5_3")
    assert not is_code("Stellingen/Ik voel me thuis") and not is_code("Leeftijd")
    labels = ["start", "Over u/Leeftijd", "Stellingen/Ik voel me thuis", "Stellingen/Ik ken mijn buren",
              "Afsluiting/Adres", "_uuid"]
    keys = {"Stellingen/Ik voel me thuis": "item:thuis", "Stellingen/Ik ken mijn buren": "item:buren"}
    xml = ["start", "over_u/leeftijd", "stellingen/s1", "stellingen/s2", "telefoon", "_uuid"]
    assert twin_keys(xml, [(labels, keys)]) == {
        "stellingen/s1": ("item:thuis", "Stellingen/Ik voel me thuis"),
        "stellingen/s2": ("item:buren", "Stellingen/Ik ken mijn buren")}
    # another number of statements in the group: no guess
    assert twin_keys(xml[:3] + xml[4:], [(labels, keys)]) == {}


def test_matches_with_other_words_are_shown_to_the_officer() -> None:
    from surveys.matching import describe_matches

    matches, _ = match_files([("a.xlsx", [("A", STATEMENT)]),
                              ("b.csv", [("B", "Ik voel mij thuis in de buurt"), ("C", "Nieuw")])])
    notes = describe_matches(m.to_dict() for m in matches)
    assert len(notes) == 1 and notes[0].startswith("Bestand 'b.csv': 1 vraag")
    assert "'Ik voel mij thuis in de buurt' = 'Ik voel me thuis in de buurt'" in notes[0]
