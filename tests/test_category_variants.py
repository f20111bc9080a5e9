"""Gender, household, tenure, origin and residence answers in the wordings real forms use.

Typed from Dutch municipal questionnaires (Burgerpeiling, Wijkpeiling), the default options
of MS Forms / Google Forms / Qualtrics / SurveyMonkey in Dutch and English, and Kobo choice
names, not from tests/builders.py.
"""
from __future__ import annotations

import math

import pytest

from surveys.categories import REFUSED
from surveys.demographics import canonical, is_resident, recode, share_known

GENDER = {
    "man": ["Man", "man", "MAN", "M", "Male", "male", "Mannelijk", "Jongen", "Heer", "Dhr.",
            "1 = Man"],
    "vrouw": ["Vrouw", "vrouw", "V", "F", "Female", "Woman", "Vrouwelijk", "Meisje", "Mevrouw",
              "2 = Vrouw"],
    "anders": ["Anders", "anders", "X", "Other", "Non-binair", "Non-binary", "Nonbinair",
               "Non-binary / third gender", "Genderqueer", "Anders, namelijk",
               "Prefer to self-describe", "Ik omschrijf mezelf anders", "Genderneutraal",
               "Intersekse"],
    REFUSED: ["Zeg ik liever niet", "zeg ik liever niet", "Wil ik niet zeggen",
              "Wil ik liever niet zeggen", "Ik zeg het liever niet", "Zeg ik niet",
              "Prefer not to say", "I prefer not to say", "Prefer not to answer",
              "Rather not say", "zeg_ik_liever_niet", "wil_ik_niet_zeggen", "Liever niet"],
}
HOUSEHOLD = {
    "eenpersoons": ["Alleenstaand", "Alleenstaande", "Alleenstaand zonder kinderen",
                    "Alleenwonend", "Alleen", "Ik woon alleen", "Eenpersoonshuishouden",
                    "1-persoonshuishouden", "Single person household", "Living alone",
                    "Single", "alleenstaand", "eenpersoons"],
    "paar_zonder_kinderen": ["Samenwonend zonder kinderen", "Getrouwd zonder kinderen",
                             "Met partner, zonder kinderen", "Samenwonend/getrouwd zonder kinderen",
                             "Gehuwd of samenwonend, geen thuiswonende kinderen",
                             "Paar zonder kinderen", "Couple without children",
                             "Living with partner, no children", "samenwonend_zonder_kinderen",
                             "Samenwonend", "Getrouwd", "Met partner"],
    "met_kinderen": ["Gezin met kinderen", "Samenwonend met kinderen",
                     "Getrouwd/samenwonend met thuiswonende kinderen", "Met partner en kinderen",
                     "Eenoudergezin", "Eenouder gezin", "Alleenstaande ouder",
                     "Alleenstaand met kind(eren)", "Alleen met mijn kinderen",
                     "Couple with children", "Single parent", "Family with children",
                     "Bij mijn ouders", "Thuiswonend bij ouders", "gezin_met_kinderen",
                     "eenoudergezin"],
}
TENURE = {
    "koop": ["Koopwoning", "Koophuis", "Eigen woning", "Eigen huis", "Eigenaar-bewoner",
             "Ik ben eigenaar", "Owner-occupied", "Own home", "koop", "Koop"],
    "huur_corporatie": ["Huurwoning corporatie", "Huurwoning van een woningcorporatie",
                        "Huur bij woningcorporatie", "Sociale huurwoning", "Sociale huur",
                        "Huur van woningbouwvereniging", "Rented from housing association",
                        "Social rent", "Social housing", "huur_corporatie"],
    "huur_overig": ["Particuliere huur", "Huurwoning particuliere verhuurder",
                    "Huur bij particuliere verhuurder", "Vrije sector huur",
                    "Huur bij een andere verhuurder", "Private rented", "Private landlord",
                    "Rented from a private landlord", "huur_particulier", "huur_overig"],
}
ORIGIN = {
    "nederland": ["Nederland", "nederland", "Nederlands", "NL", "In Nederland",
                  "Geboren in Nederland", "The Netherlands", "Netherlands", "Dutch"],
    "europa": ["Europa", "Ander Europees land", "Europa (niet Nederland)", "Elders in Europa",
               "Ander land in Europa", "Polen", "Duitsland", "Other European country", "Europe",
               "europa"],
    "buiten_europa": ["Buiten Europa", "Buiten-Europa", "Land buiten Europa", "Marokko",
                      "Turkije", "Suriname", "Nederlandse Antillen", "Syrië", "Outside Europe",
                      "Non-European country", "buiten_europa", "Rest van de wereld"],
}
UNKNOWN = {
    "gender": ["", "Weet niet", "Jan", "42"],
    "household": ["Studentenhuis", "Woongroep", "Anders", ""],
    "tenure": ["Huurwoning", "Anti-kraak", "Weet niet", ""],
    "origin": ["Anders", "Onbekend", ""],
}


def _cases(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(answer, code) for code, answers in table.items() for answer in answers]


@pytest.mark.parametrize("answer, code", _cases(GENDER))
def test_gender(answer: str, code: str) -> None:
    assert canonical("gender", answer) == code


@pytest.mark.parametrize("answer, code", _cases(HOUSEHOLD))
def test_household(answer: str, code: str) -> None:
    assert canonical("household", answer) == code


@pytest.mark.parametrize("answer, code", _cases(TENURE))
def test_tenure(answer: str, code: str) -> None:
    assert canonical("tenure", answer) == code


@pytest.mark.parametrize("answer, code", _cases(ORIGIN))
def test_origin(answer: str, code: str) -> None:
    assert canonical("origin", answer) == code


@pytest.mark.parametrize("dimension, answer", [(d, a) for d, answers in UNKNOWN.items()
                                               for a in answers])
def test_unknown_wordings_stay_missing(dimension: str, answer: str) -> None:
    assert isinstance(canonical(dimension, answer), float) and math.isnan(canonical(dimension, answer))


def test_refusal_is_kept_apart_from_missing_and_counted_unknowns_exclude_non_answers() -> None:
    codes, unknown = recode("gender", ["Man", "Zeg ik liever niet", None, "Weet niet",
                                       "Geen idee", "Studentenhuis", "zeg_ik_liever_niet"])
    assert codes[:2] == ["man", REFUSED] and codes[6] == REFUSED
    assert all(isinstance(c, float) and math.isnan(c) for c in codes[2:6])
    assert unknown == {"Studentenhuis": 1}  # a non-answer is missing, not 'not understood'


def test_kobo_choice_names_make_a_gender_column() -> None:
    assert share_known("gender", ["man", "vrouw", "anders", "zeg_ik_liever_niet", "vrouw"]) == 1.0


@pytest.mark.parametrize("answer, resident", [
    ("Ja", True), ("ja", True), ("Yes", True), ("J", True), ("1", True), (True, True),
    ("Ja, ik woon in de buurt", True), ("Ja, ik woon in deze wijk", True), ("Ik woon hier", True),
    ("Bewoner", True), ("Ja, bewoner", True), ("I live here", True), ("Resident", True),
    ("Nee", False), ("nee", False), ("No", False), ("0", False), (False, False),
    ("Nee, ik werk hier", False), ("Nee, ik woon ergens anders", False), ("Bezoeker", False),
    ("bezoeker", False), ("Passant", False), ("Ik werk hier", False), ("Ondernemer", False),
    ("Ik woon in een andere wijk", False), ("Nee, op bezoek", False), ("Visitor", False),
    ("Ja, maar ik woon er niet meer", False), ("Niet in de buurt", False),
    ("Nee, ik woon niet in de buurt", False),
    ("", None), (None, None), ("Weet niet", None), ("Misschien", None), ("Zeg ik liever niet", None),
])
def test_is_resident(answer, resident) -> None:
    assert is_resident(answer) is resident
