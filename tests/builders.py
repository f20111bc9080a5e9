"""Fixture builders: each tool's export layout as bytes, from a short description.

No real export is copied into the repo; every test builds the file it needs here.

The description is a plain dict `answers`: question text → list of answers (one per
respondent, `None` = no answer). A multi-select answer is a list/tuple of option labels;
each builder renders it in its tool's own shape. `wijk_answers(n, seed)` gives a realistic
Dutch wijk survey in that form:

    answers = wijk_answers(20, seed=1)
    data = ms_forms_xlsx(answers, language="nl")        # bytes of an .xlsx
    raw = read_export(data, "Buurtenquête.xlsx")         # raw.format == "ms_forms"

Per tool (all return bytes; n = number of respondents = length of the answer lists):

- `ms_forms_xlsx(answers, language="nl"|"en", last_modified=False)`: sheet "Sheet1";
  Id, Begintijd, Tijd van voltooien, E-mail, Naam (English: ID, Start time, Completion
  time, Email, Name), optional "Tijdstip laatst gewijzigd"; multi-select `a;b;`.
- `google_forms_csv(answers, language="nl", encoding="utf-8")` / `google_forms_xlsx(...)`:
  Tijdstempel/Timestamp first; checkboxes joined with ", " (labels may hold commas).
- `qualtrics_csv(answers, multiline=True)` / `qualtrics_xlsx(answers)`: 3 header rows
  (export tags, question text, ImportId JSON); metadata StartDate … UserLanguage incl.
  IPAddress, Recipient*, LocationLatitude/Longitude; question i gets tag `Qi`, a
  multi-select becomes `Qi_1..k` (cell = option label or empty); with `multiline`
  the Likert question texts carry a newline ("Stelling:\n<text>").
  `QUALTRICS_TAGS(answers)` returns the expected tag list.
- `surveymonkey_xlsx(answers)` / `surveymonkey_csv(answers)`: 2 header rows; row 1
  metadata (Respondent ID … Custom Data 1) then question text only above the first
  column of a block; row 2 'Response' / 'Open-Ended Response' / option labels.
- `kobo_xlsx(answers, repeat=True)` / `kobo_csv(answers)`: group paths `groep/vraag`,
  select-multiple as one space-separated column of codes plus `path/code` 1/0 columns,
  `_id`, `_uuid`, `_submission_time` (xlsx: date cells; csv: ISO text), `_validation_status`,
  `__version__`, `_index`; xlsx main sheet "Buurtenquête Zuid" plus repeat sheet
  "huishoudleden" (more rows than the main sheet); csv uses `;`.
- `limesurvey_csv(answers)`: id, submitdate, lastpage, startlanguage, seed, token,
  startdate, datestamp, ipaddr, refurl, then `G01Qnn` codes; multi-select as
  `G01Qnn[SQ00k]` holding Y/empty; all fields quoted; `LIMESURVEY_CODES(answers)`.
- `spss_sav(n, seed, zsav=False)`: Burgerpeiling-like .sav (respnr, ch01 geslacht,
  ch02 leeftijdsklasse, ch03 woonsituatie, wb01/wb02 Likert 1–5 with 99 = "weet niet"
  declared user-missing) with variable and value labels (see SPSS_LABELS).
- `paper_form_xlsx(answers, title_rows=True, instructions_sheet=True)`: generic Excel
  typed in from paper; a merged title in row 1, a note in row 2, an empty row 3,
  header in row 4 ("Formuliernr", questions …, "Ingevoerd op"); an "Uitleg" sheet first.
- `conversation_log_xlsx(n, seed)`: sheet "Gesprekken": Datum, Locatie, Soort gesprek,
  Geschatte leeftijd, Geslacht (geschat), Notities.
- `delimited_bytes(header, rows, delimiter=",", encoding="utf-8", decimal_comma=False)`:
  any CSV/TSV; encodings "utf-8", "utf-8-sig", "utf-16" (BOM), "cp1252".

Broken files: `pdf_bytes()`, `truncated_xlsx()`, `encrypted_xlsx()` (OLE2 container with
EncryptedPackage, as Office writes a password-protected workbook), `zip_bomb_xlsx(mb)`,
`header_only_xlsx()`, `other_sheet_xlsx()` (an empty first sheet "Blad1", data on
"Antwoorden"), `duplicate_columns_csv()`, `formulas_xlsx()` (a formula cell and
formula-like text), `utf16_without_bom_csv()`, `binary_garbage_csv()`.
"""
from __future__ import annotations

import csv
import io
import json
import os
import struct
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

Answers = dict[str, list[Any]]

AGE = "Wat is uw leeftijd?"
GENDER = "Wat is uw geslacht?"
HOUSING = "Wat is uw woonsituatie?"
POSTCODE = "Wat is uw postcode?"
INVOLVED = "Ik voel me betrokken bij de buurt"
TRUST = "Ik heb vertrouwen in de gemeente"
LISTENS = "De gemeente luistert naar bewoners"
HEARD = "Hoe heeft u van deze enquête gehoord?"
REMARKS = "Wat wilt u nog kwijt over de buurt?"

GENDERS = ("Man", "Vrouw", "Anders", "Zeg ik liever niet")
HOUSINGS = ("Koopwoning", "Huurwoning van een woningcorporatie", "Particuliere huurwoning",
            "Anders")
LIKERT = ("Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens")
HEARD_OPTIONS = ("Brief in de bus", "Social media", "Buurthuis",
                 "Via buren, familie of vrienden", "Website van de gemeente")
REMARK_TEXTS = ("Meer groen graag.", "Te hard rijden in de straat.", "Fijne buren.",
                "Bel me gerust op 06-12345678.", "Mijn naam is Jan Jansen, mail jan@example.nl",
                "Speeltuin is kapot.", "")
START = datetime(2024, 3, 4, 9, 0, 0)


# ---------------------------------------------------------------- descriptions

def wijk_answers(n: int = 20, seed: int = 0) -> Answers:
    """A Dutch wijk survey: age, gender, housing, PC6, three Likert items, multi, text."""
    rng = np.random.default_rng(seed)

    def pick(options: Sequence[str], p: float = 0.05) -> list[Any]:
        return [None if rng.random() < p else options[rng.integers(len(options))]
                for _ in range(n)]

    ages = [None if rng.random() < 0.05 else int(rng.integers(16, 91)) for _ in range(n)]
    postcodes = [f"{rng.integers(3500, 3600)} {chr(65 + rng.integers(26))}"
                 f"{chr(65 + rng.integers(26))}" for _ in range(n)]
    heard = []
    for _ in range(n):
        mask = rng.random(len(HEARD_OPTIONS)) < 0.35
        heard.append([o for o, m in zip(HEARD_OPTIONS, mask) if m] or None)
    return {AGE: ages, GENDER: pick(GENDERS), HOUSING: pick(HOUSINGS), POSTCODE: postcodes,
            INVOLVED: pick(LIKERT + ("Weet niet",)), TRUST: pick(LIKERT), LISTENS: pick(LIKERT),
            HEARD: heard, REMARKS: pick(REMARK_TEXTS, 0.3)}


def _n(answers: Answers) -> int:
    return len(next(iter(answers.values()))) if answers else 0


def _is_multi(values: list[Any]) -> bool:
    return any(isinstance(v, (list, tuple)) for v in values)


def _options(values: list[Any]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        for o in v or ():
            seen.setdefault(o, None)
    ordered = [o for o in HEARD_OPTIONS if o in seen]
    return ordered + [o for o in seen if o not in ordered]


def _times(n: int, seed: int) -> list[datetime]:
    rng = np.random.default_rng(seed + 1000)
    return [START + timedelta(minutes=int(m)) for m in np.sort(rng.integers(0, 60 * 24 * 20, n))]


# ---------------------------------------------------------------- writers

def _xlsx(sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None,
          date_format: str | None = None) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        if date_format:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, datetime):
                        cell.number_format = date_format
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv(rows: list[list[Any]], delimiter: str = ",", encoding: str = "utf-8",
         quoting: int = csv.QUOTE_MINIMAL) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode(encoding)


def delimited_bytes(header: list[str], rows: list[list[Any]], *, delimiter: str = ",",
                    encoding: str = "utf-8", decimal_comma: bool = False) -> bytes:
    """A plain CSV/TSV; floats written with a decimal comma when asked."""
    def cell(v: Any) -> Any:
        if isinstance(v, float) and decimal_comma:
            return repr(v).replace(".", ",")
        return v
    return _csv([header] + [[cell(v) for v in row] for row in rows], delimiter, encoding)


# ---------------------------------------------------------------- tools

MS_META = {"nl": ["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam"],
           "en": ["ID", "Start time", "Completion time", "Email", "Name"]}
MS_LAST_MODIFIED = {"nl": "Tijdstip laatst gewijzigd", "en": "Last modified time"}


def ms_forms_xlsx(answers: Answers, *, language: str = "nl", last_modified: bool = False,
                  seed: int = 0) -> bytes:
    n, times = _n(answers), _times(_n(answers), seed)
    header = MS_META[language] + ([MS_LAST_MODIFIED[language]] if last_modified else [])
    header += list(answers)
    rows = [header]
    for i in range(n):
        meta = [i + 1, times[i], times[i] + timedelta(minutes=7), "anonymous", None]
        if last_modified:
            meta.append(None)
        cells = []
        for values in answers.values():
            v = values[i]
            cells.append("".join(f"{o};" for o in v) if isinstance(v, (list, tuple)) else v)
        rows.append(meta + cells)
    return _xlsx({"Sheet1": rows}, date_format="m/d/yy h:mm:ss")


def _google_rows(answers: Answers, language: str, seed: int, as_text: bool) -> list[list[Any]]:
    n, times = _n(answers), _times(_n(answers), seed)
    rows = [["Tijdstempel" if language == "nl" else "Timestamp"] + list(answers)]
    for i in range(n):
        stamp: Any = times[i].strftime("%d-%m-%Y %H:%M:%S") if as_text else times[i]
        rows.append([stamp] + [", ".join(v[i]) if isinstance(v[i], (list, tuple)) else v[i]
                               for v in answers.values()])
    return rows


def google_forms_csv(answers: Answers, *, language: str = "nl", encoding: str = "utf-8",
                     seed: int = 0) -> bytes:
    return _csv(_google_rows(answers, language, seed, True), ",", encoding)


def google_forms_xlsx(answers: Answers, *, language: str = "nl", seed: int = 0) -> bytes:
    name = "Formulierreacties 1" if language == "nl" else "Form responses 1"
    return _xlsx({name: _google_rows(answers, language, seed, False)},
                 date_format="d-m-yyyy h:mm:ss")


QUALTRICS_META = ["StartDate", "EndDate", "Status", "IPAddress", "Progress",
                  "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId",
                  "RecipientLastName", "RecipientFirstName", "RecipientEmail",
                  "ExternalReference", "LocationLatitude", "LocationLongitude",
                  "DistributionChannel", "UserLanguage"]


def QUALTRICS_TAGS(answers: Answers) -> list[str]:
    """The export tags (row 1) qualtrics_csv writes for these answers."""
    tags = list(QUALTRICS_META)
    for i, values in enumerate(answers.values(), start=1):
        tags += ([f"Q{i}_{j}" for j in range(1, len(_options(values)) + 1)]
                 if _is_multi(values) else [f"Q{i}"])
    return tags


def _qualtrics_rows(answers: Answers, multiline: bool, seed: int) -> list[list[Any]]:
    rng = np.random.default_rng(seed)
    n, times = _n(answers), _times(_n(answers), seed)
    tags, texts, ids = list(QUALTRICS_META), list(QUALTRICS_META), []
    for tag in QUALTRICS_META:
        ids.append(json.dumps({"ImportId": tag[0].lower() + tag[1:]} if tag != "ResponseId"
                              else {"ImportId": "_recordId"}, separators=(",", ":")))
    columns: list[tuple[str, str | None]] = []  # (question, option or None)
    for i, (q, values) in enumerate(answers.items(), start=1):
        likert = not _is_multi(values) and {v for v in values if v} <= set(LIKERT + ("Weet niet",))
        text = f"Stelling:\n{q}" if multiline and likert else q
        if _is_multi(values):
            for j, o in enumerate(_options(values), start=1):
                tags.append(f"Q{i}_{j}")
                texts.append(f"{text} - Selected Choice - {o}")
                ids.append(json.dumps({"ImportId": f"QID{i}", "choiceId": str(j)},
                                      separators=(",", ":")))
                columns.append((q, o))
        else:
            tags.append(f"Q{i}")
            texts.append(text)
            ids.append(json.dumps({"ImportId": f"QID{i}"}, separators=(",", ":")))
            columns.append((q, None))
    rows = [tags, texts, ids]
    for r in range(n):
        stamp = times[r].strftime("%Y-%m-%d %H:%M:%S")
        meta = [stamp, stamp, "IP Address", f"145.{r % 250}.1.{r % 200}", 100, 420, "True",
                stamp, "R_" + "".join(rng.choice(list("abcdefghijkLMNOPQ0123456789"), 15)),
                None, None, None, None, 52.09, 5.12, "anonymous", "NL"]
        cells = []
        for q, o in columns:
            v = answers[q][r]
            cells.append((o if v and o in v else None) if o is not None else v)
        rows.append(meta + cells)
    return rows


def qualtrics_csv(answers: Answers, *, multiline: bool = True, seed: int = 0) -> bytes:
    return _csv(_qualtrics_rows(answers, multiline, seed), ",", "utf-8-sig")


def qualtrics_xlsx(answers: Answers, *, multiline: bool = True, seed: int = 0) -> bytes:
    return _xlsx({"Sheet0": _qualtrics_rows(answers, multiline, seed)})


SURVEYMONKEY_META = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
                     "Email Address", "First Name", "Last Name", "Custom Data 1"]


def _surveymonkey_rows(answers: Answers, seed: int) -> list[list[Any]]:
    n, times = _n(answers), _times(_n(answers), seed)
    top, sub = list(SURVEYMONKEY_META), [None] * len(SURVEYMONKEY_META)
    columns: list[tuple[str, str | None]] = []
    for q, values in answers.items():
        if _is_multi(values):
            for j, o in enumerate(_options(values)):
                top.append(q if j == 0 else None)
                sub.append(o)
                columns.append((q, o))
        else:
            top.append(q)
            sub.append("Open-Ended Response" if q == REMARKS else "Response")
            columns.append((q, None))
    rows = [top, sub]
    for r in range(n):
        meta = [11400000000 + r, 400000001,
                times[r].strftime("%m/%d/%Y %I:%M:%S %p"),
                (times[r] + timedelta(minutes=6)).strftime("%m/%d/%Y %I:%M:%S %p"),
                f"84.{r % 250}.3.4", None, None, None, None]
        cells = []
        for q, o in columns:
            v = answers[q][r]
            cells.append((o if v and o in v else None) if o is not None else v)
        rows.append(meta + cells)
    return rows


def surveymonkey_xlsx(answers: Answers, *, seed: int = 0) -> bytes:
    return _xlsx({"Sheet": _surveymonkey_rows(answers, seed)})


def surveymonkey_csv(answers: Answers, *, seed: int = 0) -> bytes:
    return _csv(_surveymonkey_rows(answers, seed))


KOBO_GROUPS = {AGE: "over_u", GENDER: "over_u", HOUSING: "over_u", POSTCODE: "over_u",
               INVOLVED: "buurt", TRUST: "buurt", LISTENS: "buurt", HEARD: "enquete",
               REMARKS: "enquete"}
KOBO_META_END = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
                 "_submitted_by", "__version__", "_tags", "_index"]


def _code(option: str) -> str:
    return option.lower().replace(",", "").replace(" ", "_")


def _kobo_rows(answers: Answers, seed: int, as_text: bool) -> list[list[Any]]:
    rng = np.random.default_rng(seed)
    n, times = _n(answers), _times(_n(answers), seed)
    header, columns = ["start", "end"], []
    for q, values in answers.items():
        path = f"{KOBO_GROUPS.get(q, 'vragen')}/{q}"
        header.append(path)
        columns.append((q, None))
        if _is_multi(values):
            for o in _options(values):
                header.append(f"{path}/{_code(o)}")
                columns.append((q, o))
    header += KOBO_META_END
    rows = [header]
    for r in range(n):
        t = times[r]
        row: list[Any] = [t.isoformat() + ".000+01:00" if as_text else t,
                          (t + timedelta(minutes=5)).isoformat() + ".000+01:00" if as_text
                          else t + timedelta(minutes=5)]
        for q, o in columns:
            v = answers[q][r]
            if o is not None:
                row.append(None if v is None else int(o in v))
            elif isinstance(v, (list, tuple)):
                row.append(" ".join(_code(x) for x in v))
            else:
                row.append(v)
        a, b, c, d, e = (int(x) for x in (
            rng.integers(2**32), rng.integers(2**16), rng.integers(2**12), rng.integers(2**12),
            rng.integers(2**48)))
        uuid = f"{a:08x}-{b:04x}-4{c:03x}-a{d:03x}-{e:012x}"
        sub = t + timedelta(minutes=6)
        row += [300000 + r, uuid, sub.isoformat() if as_text else sub, None, None,
                "submitted_via_web", None, "vAbC123xyz", None, r + 1]
        rows.append(row)
    return rows


def kobo_xlsx(answers: Answers, *, repeat: bool = True, seed: int = 0,
              main_sheet: str = "Buurtenquête Zuid") -> bytes:
    rows = _kobo_rows(answers, seed, False)
    sheets = {main_sheet: rows}
    if repeat:
        rng = np.random.default_rng(seed + 7)
        uuid_col, id_col = rows[0].index("_uuid"), rows[0].index("_id")
        rep = [["huishoudleden/leeftijd_lid", "huishoudleden/relatie", "_index",
                "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid"]]
        k = 0
        for r, row in enumerate(rows[1:], start=1):
            for _ in range(int(rng.integers(2, 4))):
                k += 1
                rep.append([int(rng.integers(0, 90)), "kind", k, main_sheet, r, row[id_col],
                            row[uuid_col]])
        sheets["huishoudleden"] = rep
    return _xlsx(sheets, date_format="yyyy-mm-dd")


def kobo_csv(answers: Answers, *, seed: int = 0) -> bytes:
    return _csv(_kobo_rows(answers, seed, True), ";")


LIMESURVEY_META = ["id", "submitdate", "lastpage", "startlanguage", "seed", "token",
                   "startdate", "datestamp", "ipaddr", "refurl"]


def LIMESURVEY_CODES(answers: Answers) -> list[str]:
    """The header limesurvey_csv writes for these answers."""
    codes = list(LIMESURVEY_META)
    for i, values in enumerate(answers.values(), start=1):
        codes += ([f"G01Q{i:02d}[SQ{j:03d}]" for j in range(1, len(_options(values)) + 1)]
                  if _is_multi(values) else [f"G01Q{i:02d}"])
    return codes


def limesurvey_csv(answers: Answers, *, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    n, times = _n(answers), _times(_n(answers), seed)
    rows = [LIMESURVEY_CODES(answers)]
    for r in range(n):
        stamp = times[r].strftime("%Y-%m-%d %H:%M:%S")
        incomplete = r % 9 == 8
        row: list[Any] = [r + 1, None if incomplete else stamp, 1 if incomplete else 3, "nl",
                          int(rng.integers(1, 2**31)), None, stamp, stamp, "", ""]
        for values in answers.values():
            v = values[r]
            if _is_multi(values):
                row += ["Y" if v and o in v else None for o in _options(values)]
            else:
                row.append(v)
        rows.append(row)
    return _csv(rows, ",", "utf-8", csv.QUOTE_ALL)


SPSS_LABELS = {"respnr": "Respondentnummer", "ch01": "Wat is uw geslacht?",
               "ch02": "Wat is uw leeftijd?", "ch03": "Wat is uw woonsituatie?",
               "wb01": "Ik voel me betrokken bij de buurt",
               "wb02": "Ik heb vertrouwen in de gemeente"}
SPSS_VALUE_LABELS = {
    "ch01": {1: "man", 2: "vrouw", 3: "anders", 9: "wil ik niet zeggen"},
    "ch02": {1: "18 t/m 29 jaar", 2: "30 t/m 39 jaar", 3: "40 t/m 54 jaar",
             4: "55 t/m 64 jaar", 5: "65 t/m 74 jaar", 6: "75 jaar of ouder"},
    "ch03": {1: "koopwoning", 2: "huurwoning woningcorporatie", 3: "particuliere huur",
             4: "anders"},
    "wb01": {1: "helemaal mee oneens", 2: "mee oneens", 3: "neutraal", 4: "mee eens",
             5: "helemaal mee eens", 99: "weet niet"},
    "wb02": {1: "helemaal mee oneens", 2: "mee oneens", 3: "neutraal", 4: "mee eens",
             5: "helemaal mee eens", 99: "weet niet"},
}


def spss_frame(n: int = 30, seed: int = 0) -> pd.DataFrame:
    """The codes spss_sav writes (99 = weet niet, user-missing in the file)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "respnr": np.arange(1001, 1001 + n, dtype=float),
        "ch01": rng.choice([1, 2, 3, 9], n, p=[.47, .47, .02, .04]).astype(float),
        "ch02": rng.integers(1, 7, n).astype(float),
        "ch03": rng.integers(1, 5, n).astype(float),
        "wb01": rng.choice([1, 2, 3, 4, 5, 99], n).astype(float),
        "wb02": rng.choice([1, 2, 3, 4, 5, 99], n).astype(float),
    })


def spss_sav(n: int = 30, *, seed: int = 0, zsav: bool = False) -> bytes:
    import pyreadstat

    frame = spss_frame(n, seed)
    fd, path = tempfile.mkstemp(suffix=".zsav" if zsav else ".sav")
    os.close(fd)
    try:
        pyreadstat.write_sav(frame, path, column_labels=SPSS_LABELS,
                             variable_value_labels=SPSS_VALUE_LABELS,
                             missing_ranges={"wb01": [99], "wb02": [99]}, compress=zsav)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.remove(path)


PAPER_TITLE = "Enquête Wijk van de Toekomst - ingevoerde papieren formulieren"


def paper_form_xlsx(answers: Answers, *, title_rows: bool = True,
                    instructions_sheet: bool = True, seed: int = 0) -> bytes:
    n, times = _n(answers), _times(_n(answers), seed)
    header = ["Formuliernr"] + list(answers) + ["Ingevoerd op"]
    body = []
    for r in range(n):
        body.append([f"P{r + 1:03d}"] + [", ".join(v[r]) if isinstance(v[r], (list, tuple))
                                        else v[r] for v in answers.values()] + [times[r]])
    top = [[PAPER_TITLE], ["Ingevoerd door: team Zuid"], []] if title_rows else []
    sheets: dict[str, list[list[Any]]] = {}
    if instructions_sheet:
        sheets["Uitleg"] = [["Zo vult u dit blad in"], ["Eén rij per formulier."],
                            ["Laat een vak leeg als er niets is ingevuld."]]
    sheets["Invoer"] = top + [header] + body
    last = openpyxl.utils.get_column_letter(len(header))
    return _xlsx(sheets, {"Invoer": [f"A1:{last}1"]} if title_rows else None,
                 date_format="dd-mm-yyyy")


LOG_HEADER = ["Datum", "Locatie", "Soort gesprek", "Geschatte leeftijd", "Geslacht (geschat)",
              "Notities"]
LOG_LOCATIONS = ("Winkelcentrum Zuid", "Schoolplein De Regenboog", "Buurthuis De Til",
                 "Markt", "Voordeur")
LOG_KINDS = ("straatgesprek", "huisbezoek", "bijeenkomst")
LOG_AGES = ("15-25", "25-45", "45-65", "65+", "onbekend")
LOG_NOTES = ("Wil meer bankjes.", "Maakt zich zorgen over parkeren.",
             "Woont Dorpsstraat 12, 3531 AB; wil teruggebeld worden.", "Geen tijd.", None)


def conversation_log_xlsx(n: int = 15, *, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    times = _times(n, seed)
    rows: list[list[Any]] = [LOG_HEADER]
    for r in range(n):
        rows.append([times[r].replace(hour=0, minute=0), LOG_LOCATIONS[rng.integers(5)],
                     LOG_KINDS[rng.integers(3)], LOG_AGES[rng.integers(5)],
                     ("man", "vrouw", "onbekend")[rng.integers(3)], LOG_NOTES[rng.integers(5)]])
    return _xlsx({"Gesprekken": rows}, date_format="dd-mm-yyyy")


# ---------------------------------------------------------------- broken files

def pdf_bytes() -> bytes:
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def truncated_xlsx() -> bytes:
    data = ms_forms_xlsx(wijk_answers(10))
    return data[: len(data) // 2]


def _cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file: header, one FAT sector, one directory sector."""
    sector = 512
    names = list(streams)
    payloads = [streams[k].ljust(max(4096, -(-len(streams[k]) // sector) * sector), b"\0")
                for k in names]
    fat: list[int] = [0xFFFFFFFD, 0xFFFFFFFE]  # FAT sector itself, directory end of chain
    starts = []
    for p in payloads:
        starts.append(len(fat))
        count = len(p) // sector
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
    fat_sector = struct.pack("<128I", *(fat + [0xFFFFFFFF] * (128 - len(fat))))

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF,
              right: int = 0xFFFFFFFF) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, 0xFFFFFFFF,
                                                   right, child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)]
    for i, (k, start) in enumerate(zip(names, starts), start=1):
        entries.append(entry(k, 2, start, len(streams[k]),
                             right=i + 1 if i < len(names) else 0xFFFFFFFF))
    directory = b"".join(entries).ljust(sector, b"\0")
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
              + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9) + struct.pack("<H", 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<109I", 0, *([0xFFFFFFFF] * 108)))
    return header + fat_sector + directory + b"".join(payloads)


def encrypted_xlsx() -> bytes:
    """What Office writes for a workbook with a password: OLE2, not a zip."""
    rng = np.random.default_rng(3)
    return _cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"<encryption/>",
                 "EncryptedPackage": rng.bytes(6000)})


def zip_bomb_xlsx(mb: int = 40) -> bytes:
    """A valid-looking xlsx whose sheet XML inflates to `mb` MB of blanks (ratio ≫ 100)."""
    base = zipfile.ZipFile(io.BytesIO(ms_forms_xlsx(wijk_answers(3))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in base.infolist():
            data = base.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (mb << 20), 1)
            z.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED,
                       compresslevel=9)
    return out.getvalue()


def header_only_xlsx() -> bytes:
    return _xlsx({"Sheet1": [MS_META["nl"] + [AGE, GENDER]]})


def other_sheet_xlsx(answers: Answers | None = None) -> bytes:
    rows = _google_rows(answers or wijk_answers(8), "nl", 0, False)
    return _xlsx({"Blad1": [], "Antwoorden": rows})


def duplicate_columns_csv() -> bytes:
    return delimited_bytes(["Id", "Opmerking", "Leeftijd", "Opmerking"],
                           [[1, "a", 34, "b"], [2, "c", 56, "d"]], delimiter=";")


FORMULA_TEXT = "=HYPERLINK(\"http://example.com\",\"klik\")"


def formulas_xlsx() -> bytes:
    """Column 'Som' holds a real formula, 'Opmerking' text that looks like one."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Invoer"
    ws.append(["Formuliernr", "Leeftijd", "Som", "Opmerking"])
    for r in range(2, 6):
        ws.append([f"P{r:03d}", 30 + r, f"=B{r}*2", None])
        cell = ws.cell(row=r, column=4)
        cell.value = FORMULA_TEXT if r % 2 else "+31 6 1234"
        cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def utf16_without_bom_csv() -> bytes:
    return "Leeftijd;Geslacht\n34;Vrouw\n56;Man\n".encode("utf-16-le")


def binary_garbage_csv() -> bytes:
    return bytes(np.random.default_rng(5).integers(0, 256, 4000, dtype=np.uint8))


def worked_example_coverage():
    """DESIGN.md worked example as coverage: population 600/1300/1200/900 in four age bands,
    respondents 8/38/62/52 (minimum age 15, so the bands keep their CBS names)."""
    import pandas as pd

    from engagement.coverage import compute_coverage
    from reference.model import BuurtReference

    ref = BuurtReference(areas=(("BU0000TEST", "Testbuurt"),), year=2024, table="test",
                         population=4000, eligible_population=4000, min_age=15,
                         dimensions={"age": {"15-25": 600, "25-45": 1300, "45-65": 1200, "65+": 900}})
    ages = [20] * 8 + [30] * 38 + [50] * 62 + [70] * 52
    resp = pd.DataFrame({"respondent_id": [str(i) for i in range(len(ages))], "age": ages,
                         "channel": "online"})
    return compute_coverage(resp, ref, weighting=False)


def run_fresh(code: str) -> Any:
    """Run `code` in a fresh Python process (the repository and tests/ on its path) and
    return the JSON of its last printed line: how a test sees what a module imports."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root / "tests")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root,
                          env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def stacked_tables(at) -> list:
    """The tables ui.widgets.stacked_table drew on an AppTest page, as frames of text."""
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag, attrs) -> None:
            if tag == "tr":
                self.rows.append([])
            elif tag in ("th", "td"):
                self.cell = []

        def handle_endtag(self, tag) -> None:
            if tag in ("th", "td") and self.cell is not None:
                self.rows[-1].append("".join(self.cell))
                self.cell = None

        def handle_data(self, data) -> None:
            if self.cell is not None:
                self.cell.append(data)

    frames = []
    for element in at.get("html"):
        body = element.proto.body
        if 'class="bw-stacked"' in body:
            parser = Cells()
            parser.feed(body)
            frames.append(pd.DataFrame(parser.rows[1:], columns=parser.rows[0]))
    return frames
