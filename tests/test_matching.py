"""Cross-tool question matching: one statement, one key, whatever tool or week wrote it."""
from __future__ import annotations

import pytest

from surveys.matching import (
    align_to_known,
    match_files,
    match_to_known,
    normalise,
    similarity,
    slug,
    statement_of,
)

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


TOPICS = {"groen_spelen_en_sport": "Groen, spelen en sport",
          "verkeer_parkeren_en_veiligheid": "Verkeer, parkeren en veiligheid",
          "afval_en_schoon": "Afval en schoon", "wonen": "Wonen", "zorg_en_welzijn": "Zorg en welzijn"}


@pytest.mark.parametrize("code, label, fits", [
    ("groen", "Groen, spelen en sport", True),
    ("verkeer_parkeren", "Verkeer, parkeren en veiligheid", True),
    ("verk_park", "Verkeer, parkeren en veiligheid", True),     # each code word starts a word
    ("Zorg", "Zorg en welzijn", True),
    ("veilig", "Ik voel me véilig", True),                      # no diacritics
    ("groen", "Verkeer, parkeren en veiligheid", False),
    ("gr", "Groen, spelen en sport", False),                    # too short to be a word's start
    ("groen_groen", "Groen, spelen en sport", False),           # one label word per code word
    ("sport_en_spel_en_groen_meer", "Groen, spelen en sport", False),
])
def test_a_choice_code_fits_the_label_whose_words_it_names(code: str, label: str, fits: bool) -> None:
    from surveys.matching import code_fits_label

    assert code_fits_label(code, label) is fits


def test_option_matching_is_one_to_one_and_plain_data() -> None:
    from surveys.matching import match_options

    codes = [(f"onderwerpen/{c}", c) for c in ("groen", "verkeer", "afval", "wonen", "zorg")]
    found = {m.text: m for m in match_options(codes, TOPICS, question="multi:onderwerpen",
                                              file="kobo.csv")}
    assert {t: m.key for t, m in found.items()} == {
        "groen": "groen_spelen_en_sport", "verkeer": "verkeer_parkeren_en_veiligheid",
        "afval": "afval_en_schoon", "wonen": "wonen", "zorg": "zorg_en_welzijn"}
    assert found["groen"].to_dict() == {
        "question": "multi:onderwerpen", "column": "onderwerpen/groen", "file": "kobo.csv",
        "text": "groen", "key": "groen_spelen_en_sport", "score": 90.0,
        "matched_text": "Groen, spelen en sport", "how": "code"}
    assert found["wonen"].how == "same" and found["wonen"].score == 100.0
    # two codes that both fit one label: neither takes it, both stay their own option
    two = {m.text: m.key for m in match_options([("a", "groen"), ("b", "spelen")], TOPICS)}
    assert two == {"groen": "groen", "spelen": "spelen"}
    # one code that fits two labels: no guess
    labels = {"groen_in_de_straat": "Groen in de straat", "groen_in_het_park": "Groen in het park"}
    assert [m.key for m in match_options([("c", "groen")], labels)] == ["groen"]
    # an option no other file has stays its own; a known key is taken once, never twice
    new = match_options([("d", "Speeltuin"), ("e", "Wonen"), ("f", "wonen!")], {"wonen": "Wonen"})
    assert [(m.key, m.how) for m in new] == [("speeltuin", "new"), ("wonen", "same"),
                                             ("wonen_2", "new")]


def test_option_matching_by_place_officer_and_typed_answers() -> None:
    from surveys.matching import match_options

    options = [("o/1", "1"), ("o/2", "2"), ("o/3", "3")]
    twins = {"1": "groen_spelen_en_sport", "2": "verkeer_parkeren_en_veiligheid", "3": "wonen"}
    found = match_options(options, TOPICS, twins=twins, overrides={"o/3": "zorg_en_welzijn"})
    assert [(m.key, m.how) for m in found] == [("groen_spelen_en_sport", "place"),
                                               ("verkeer_parkeren_en_veiligheid", "place"),
                                               ("zorg_en_welzijn", "officer")]
    # a rarely ticked text only joins a known option when it is that label exactly
    loose = match_options([("x", "Afval en schoon"), ("x", "zorg")], TOPICS,
                          exact_only={"Afval en schoon", "zorg"})
    assert [(m.key, m.how) for m in loose] == [("afval_en_schoon", "same"), ("zorg", "new")]


def test_kobo_select_multiple_blocks_are_twins_by_place() -> None:
    from surveys.matching import kobo_blocks, multi_twins

    head = "Onderwerpen/Welke onderwerpen vindt u belangrijk?"
    labels = ["start", head, f"{head}/Groen, spelen en sport", f"{head}/Wonen", "Afsluiting/Opmerking"]
    keys = {f"{head}/Groen, spelen en sport": "multi:onderwerpen_q:groen_spelen_en_sport",
            f"{head}/Wonen": "multi:onderwerpen_q"}  # an older import: question key only
    xml = ["start", "onderwerpen", "onderwerpen/1", "onderwerpen/2", "opmerking"]
    assert kobo_blocks(xml) == [("onderwerpen", ["onderwerpen/1", "onderwerpen/2"])]
    assert multi_twins(xml, [(labels, keys)]) == {
        "onderwerpen/1": ("onderwerpen_q", "groen_spelen_en_sport", f"{head}/Groen, spelen en sport"),
        "onderwerpen/2": ("onderwerpen_q", "wonen", f"{head}/Wonen")}
    # another number of options: no guess
    assert multi_twins(xml[:3] + xml[4:], [(labels, keys)]) == {}


def test_options_matched_by_code_are_shown_to_the_officer() -> None:
    from surveys.matching import describe_matches, match_options

    rows = [{**m.to_dict(), "kind": "option"}
            for m in match_options([("o/groen", "groen"), ("o/wonen", "wonen")], TOPICS,
                                   file="kobo.csv")]
    notes = describe_matches(rows)
    assert notes == [("Bestand 'kobo.csv': 1 antwoordoptie gekoppeld aan een optie uit een ander "
                      "bestand: 'groen' = 'Groen, spelen en sport' (code past bij het antwoord). "
                      "Klopt een koppeling niet? Pas die aan.")]


def test_the_officer_separates_a_statement_matched_by_mistake() -> None:
    """'Nieuwe vraag' on Importeren: the column gets a key of its own, never an earlier one,
    and the import stores its answers there."""
    import io

    import pandas as pd

    from surveys import import_file, import_files
    from surveys.mapping import suggest_mapping
    from surveys.matching import separate_key
    from surveys.questionnaire import infer_questionnaire
    from surveys.readers import read_export

    agree = ["Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"]

    def export(header: str, seed: int) -> bytes:
        buffer = io.StringIO()
        pd.DataFrame({"Respondent ID": range(seed, seed + 6),
                      header: [agree[(i + seed) % 5] for i in range(6)],
                      "Ik vertrouw de gemeente": agree[:5] + ["Neutraal"]}).to_csv(buffer, index=False)
        return buffer.getvalue().encode()

    first = import_files([("a.csv", export("Ik voel me thuis in de buurt", 1))])
    known = {k: v for k, v in first.attrs["key_texts"].items() if k.startswith("item:")}
    raw = read_export(export("Ik voel me thuis in mijn buurt", 20), "b.csv")
    questionnaire = infer_questionnaire(raw)
    mapping = suggest_mapping(raw, questionnaire)
    column = "Ik voel me thuis in mijn buurt"
    matched = import_file(raw, questionnaire, mapping, known=known)
    assert "item:ik_voel_me_thuis_in_de_buurt" in matched.columns  # matched by the fuzzy rule
    key = separate_key(column, known)
    assert key not in known and key.startswith("item:")
    apart = import_file(raw, questionnaire, mapping, known=known, keys={column: key})
    assert key in apart.columns and apart[key].notna().sum() == 6
    assert "item:ik_voel_me_thuis_in_de_buurt" not in apart.columns
