"""What every renderer shares: answer scales, answer wordings and the truth of a row.

A renderer turns the respondents of one file into bytes, and records for every row what
a correct import must find there (`Rendered.truth`) and for the important columns which
role they play (`Rendered.roles`).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.world.engagement import STATEMENTS

# answer scales in scale order (1 = most disagree) and their "don't know" wording
SCALES: dict[str, tuple[tuple[str, ...], str]] = {
    "nl5a": (("Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"), "Weet niet"),
    "nl5b": (("Zeer mee oneens", "Oneens", "Niet eens, niet oneens", "Eens", "Zeer mee eens"), "Geen mening"),
    "nl5c": (("Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens"), "Weet ik niet"),
    "nl5d": (("Helemaal mee oneens", "Mee oneens", "Noch mee eens, noch mee oneens", "Mee eens",
              "Helemaal mee eens"), "n.v.t."),
    "nl5e": (("helemaal mee oneens", "mee oneens", "neutraal", "mee eens", "helemaal mee eens"),
             "weet niet / geen mening"),
    "nl7": (("Helemaal mee oneens", "Mee oneens", "Enigszins mee oneens", "Neutraal", "Enigszins mee eens",
             "Mee eens", "Helemaal mee eens"), "Weet niet"),
    "en7": (("Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree",
             "Somewhat agree", "Agree", "Strongly agree"), "Don't know"),
    "en5": (("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"), "Don't know"),
}

GENDER_NL = {"man": "Man", "vrouw": "Vrouw", "wil_niet_zeggen": "Zeg ik liever niet"}
GENDER_EN = {"man": "Male", "vrouw": "Female", "wil_niet_zeggen": "Prefer not to say"}
HOUSEHOLD_NL = {"eenpersoons": "Alleenstaand", "paar_zonder_kinderen": "Samenwonend of getrouwd, zonder kinderen",
                "met_kinderen": "Met kinderen (samen of alleen)"}
HOUSEHOLD_EN = {"eenpersoons": "Single", "paar_zonder_kinderen": "Couple without children",
                "met_kinderen": "Household with children"}
TENURE_NL = {"koop": "Koopwoning", "huur_corporatie": "Huurwoning van een woningcorporatie",
             "huur_overig": "Huurwoning van een particuliere verhuurder"}
TENURE_EN = {"koop": "Owner-occupied", "huur_corporatie": "Rented from a housing association",
             "huur_overig": "Rented from a private landlord"}
ORIGIN_NL = {"nederland": "Nederland", "europa": "Ander land in Europa", "buiten_europa": "Land buiten Europa"}
ORIGIN_EN = {"nederland": "The Netherlands", "europa": "Other country in Europe",
             "buiten_europa": "Country outside Europe"}
MATRIX_NL = "Hoe eens bent u het met de volgende stellingen?"
RECRUIT_NL = "Hoe heeft u van dit onderzoek gehoord?"
TOPICS_NL = "Welke onderwerpen vindt u belangrijk voor de buurt?"
REMARK_NL = "Heeft u nog opmerkingen?"


DUTCH_FIVE = ("nl5a", "nl5b", "nl5c", "nl5d", "nl5e")


def pick_scale(rng: np.random.Generator, usual: str) -> str:
    """The scale a file uses: its usual one, or (per seed) another common Dutch wording."""
    return usual if rng.random() < 0.5 else str(rng.choice(DUTCH_FIVE))


def statement_text(key: str, variant: int = 0) -> str:
    """The statement as a tool shows it; variants differ slightly (full stop, 'mij', case)."""
    text = next(s.text for s in STATEMENTS if s.key == key)
    if variant == 1:
        return text + "."
    if variant == 2:
        return text.replace("Ik voel me ", "Ik voel mij ").replace(" ons ", " de bewoners ")
    if variant == 3:
        return text[0] + text[1:] + " "
    return text


def file_code(code5: float, points: int, rng: np.random.Generator) -> float:
    """The person's answer on a file's own scale (7 points spread the 5-point answer)."""
    if np.isnan(code5):
        return np.nan
    if points == 5:
        return float(code5)
    return float({1: 1, 2: rng.choice([2, 3]), 3: 4, 4: rng.choice([5, 6]), 5: 7}[int(code5)])


def answer_label(code: float, scale: str) -> str:
    labels, dont_know = SCALES[scale]
    return dont_know if np.isnan(code) else labels[int(code) - 1]


@dataclass
class Rendered:
    """One rendered file: its bytes, the truth of every row, and expected column roles."""

    name: str
    data: bytes
    truth: pd.DataFrame
    roles: dict[str, str] = field(default_factory=dict)      # column probe → expected role
    statement_headers: dict[str, str] = field(default_factory=dict)  # header → statement key
    channel: str = "online"


def truth_row(person: pd.Series, file: str, row: int, *, excluded: str = "", scale_points: int = 5,
              codes: dict[str, float] | None = None, asked: dict[str, Any] | None = None,
              pii: tuple[str, ...] = ()) -> dict[str, Any]:
    """The truth of one rendered row. `asked` holds what the file states about the person
    (file_age_low/high, file_gender, ...); anything not asked is NaN."""
    out = {"file": file, "source_row": row, "person_id": person["person_id"], "excluded": excluded,
           "resident": bool(person["resident"]), "profile": person["profile"] if excluded in ("", "non_resident")
           and person["planted"] != "test" else "",
           "age": int(person["age"]), "age_band": person["age_band"], "sex": person["sex"],
           "household": person["household"], "tenure": person["tenure"], "origin": person["origin"],
           "channel": person["channel"], "responded_at": person["responded_at"], "weight": np.nan,
           "same_as": "", "scale_points": scale_points, "pii": tuple(p for p in pii if p)}
    for field_name in ("file_age_low", "file_age_high", "file_gender", "file_household", "file_tenure",
                       "file_origin", "file_recruitment", "file_topics"):
        out[field_name] = (asked or {}).get(field_name, np.nan)
    for s in STATEMENTS:
        out[f"code:{s.key}"] = (codes or {}).get(s.key, np.nan)
    return out


def xlsx_bytes(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    """A workbook from rows of Python values (datetimes stay date cells)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([None if (isinstance(v, float) and np.isnan(v)) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], *, sep: str = ",", encoding: str = "utf-8", decimal: str = ".",
              pad: bool = False) -> bytes:
    """CSV text with csv-module quoting, in the given encoding and decimal mark. `pad` fills
    every row to the full width, as Excel's 'Save as CSV' does with title rows."""
    if pad:
        width = max(len(r) for r in rows)
        rows = [list(r) + [None] * (width - len(r)) for r in rows]
    import csv

    def cell(v: Any) -> str:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, float):
            text = f"{v:g}"
            return text.replace(".", decimal)
        return str(v)

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue().encode(encoding)


def norm(text: Any) -> str:
    """Lowercase words only: how the benchmark compares headers and statement texts."""
    return re.sub(r"[^0-9a-zà-ÿ]+", " ", str(text).lower()).strip()
