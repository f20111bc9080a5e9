"""The canonical categories of the respondents table, shared by import and coverage.

Codes are stable lowercase strings (stored, exported as JSON); `LABELS` gives the Dutch
text a user reads. Missing answers are NaN; an explicit refusal is `REFUSED`, kept apart
from both missing and the real categories.
"""
from __future__ import annotations

REFUSED = "wil_niet_zeggen"

# CBS age bands (lower bound inclusive, upper exclusive; None = open).
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "0-15": (0, 15),
    "15-25": (15, 25),
    "25-45": (25, 45),
    "45-65": (45, 65),
    "65+": (65, None),
}

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "age": tuple(AGE_BANDS),
    "gender": ("man", "vrouw", "anders"),
    "household": ("eenpersoons", "paar_zonder_kinderen", "met_kinderen"),
    "tenure": ("koop", "huur_corporatie", "huur_overig"),
    "origin": ("nederland", "europa", "buiten_europa"),
}

DIMENSION_LABELS: dict[str, str] = {
    "age": "Leeftijd",
    "gender": "Geslacht",
    "household": "Huishouden",
    "tenure": "Woning (koop/huur)",
    "origin": "Herkomst",
    "income": "Inkomen",
}

LABELS: dict[str, str] = {
    "0-15": "0 tot 15 jaar",
    "15-25": "15 tot 25 jaar",
    "25-45": "25 tot 45 jaar",
    "45-65": "45 tot 65 jaar",
    "65+": "65 jaar en ouder",
    "man": "Man",
    "vrouw": "Vrouw",
    "anders": "Anders",
    "eenpersoons": "Alleenstaand",
    "paar_zonder_kinderen": "Huishouden zonder kinderen",
    "met_kinderen": "Huishouden met kinderen",
    "koop": "Koopwoning",
    "huur_corporatie": "Huur bij corporatie",
    "huur_overig": "Huur bij andere verhuurder",
    "nederland": "Nederland",
    "europa": "Europa (zonder Nederland)",
    "buiten_europa": "Buiten Europa",
    REFUSED: "Zeg ik liever niet",
}

CHANNELS: tuple[str, ...] = ("online", "papier", "straatgesprek", "bijeenkomst", "huisbezoek", "anders",
                             "steekproef")

# Why a row does not count (the canonical `excluded` codes), in Dutch, one rule for the
# import's warnings, the analysis, the dashboard and the reports. "steekproef": an
# imported probability sample (a Burgerpeiling) is the yardstick for profiles, not a
# participant of the story-gathering.
EXCLUSION_LABELS: dict[str, str] = {
    "test": "testinvoer", "preview": "voorbeeldweergave", "not_approved": "niet goedgekeurd",
    "non_resident": "woont niet in de buurt", "under_min_age": "jonger dan de minimumleeftijd",
    "probability_sample": "steekproef (maatstaf, geen deelnemer)", "other": "andere reden",
}


def label(code: str) -> str:
    """Dutch text for a category code (the code itself when unknown)."""
    return LABELS.get(code, code)
