"""Postcode → buurt: the team's own postcode–buurt table, and the KWB's most common postcode.

Respondents often give a postcode but no buurt. Two ways to place them:

- a table the team provides (CSV or Excel, columns `postcode` and `buurtcode`; CBS
  publishes one per year as "Buurt, wijk en gemeente voor postcode en huisnummer"). A PC6
  that lies in two buurten goes to the buurt with most rows (addresses) in the table, and
  the share of that buurt is kept so the uncertainty can be stated;
- the KWB field "Meest voorkomende postcode" (numeric PC4 per buurt) with its
  "Dekkingspercentage" class (1: > 90 % of the addresses of the buurt have that PC4 …
  6: 50 % or less). That is only a fallback: a PC4 is often the most common postcode of
  several buurten, and a buurt usually has addresses in more than one PC4.

Errors are Dutch ReferenceErrors that name the file, the column and the row.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd

from reference.build import ReferenceDataError
from surveys.numbers import plural

PC6 = re.compile(r"^[1-9]\d{3}[A-Z]{2}$")
PC4 = re.compile(r"^[1-9]\d{3}$")
POSTCODE_HEADERS = ("postcode", "pc6", "pc4", "postcode6", "postcode4", "pc", "postcode pc6")
BUURT_HEADER = re.compile(r"^(buurtcode|buurt|bu code|bucode|code buurt|buurt code)( ?\d{4})?$")
# "Dekkingspercentage" classes of the KWB (share of the buurt's addresses with that PC4)
COVERAGE_CLASSES = {1: "meer dan 90%", 2: "81 tot 90%", 3: "71 tot 80%", 4: "61 tot 70%",
                    5: "51 tot 60%", 6: "50% of minder"}
MAX_SHOWN = 5  # rows named in a message


def _fold(text: object) -> str:
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[_()/,.-]", " ", text).split())


def normalise_postcode(value: Any) -> str | None:
    """'1234 ab' → '1234AB', 1234.0 → '1234'; None for anything that is no Dutch postcode."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = re.sub(r"\s+", "", str(value)).upper()
    if text.endswith(".0"):
        text = text[:-2]
    return text if PC6.match(text) or PC4.match(text) else None


def normalise_buurtcode(value: Any) -> str | None:
    """'BU03630000', '03630000', '3630000' (Excel dropped the zero), '0363AA01' → 'BU…'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = re.sub(r"\s+", "", str(value)).upper()
    if text.endswith(".0"):
        text = text[:-2]
    if text.startswith("BU"):
        text = text[2:]
    if not re.fullmatch(r"[0-9A-Z]{7,8}", text) or not text[:4].isdigit():
        return None
    return "BU" + text.zfill(8)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # pragma: no cover - cp1252 decodes almost anything


def _read_table(data: bytes, file_name: str) -> pd.DataFrame:
    suffix = PurePath(file_name).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            return pd.read_excel(io.BytesIO(data), dtype=str, engine="calamine")
        text = _decode(data)
        first = text.split("\n", 1)[0]
        sep = max((";", ",", "\t"), key=first.count)
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except Exception as error:  # any reader error: one Dutch line naming the file
        raise ReferenceDataError(f"Postcodebestand '{file_name}' kan niet gelezen worden als tabel "
                             "(CSV of Excel). Sla het op als CSV met de kolommen postcode en "
                             "buurtcode.") from error


@dataclass(frozen=True)
class PostcodeTable:
    """The team's postcode–buurt table: per postcode (PC6 or PC4) its buurt and how sure.

    `lookup[postcode] = (buurtcode, share)`: share is the part of the table's rows for that
    postcode that lie in that buurt (1.0 when the postcode lies in one buurt). PC4 entries
    are derived from the PC6 rows when the table has PC6, unless the table gives PC4 itself.
    """

    file_name: str
    lookup: dict[str, tuple[str, float]]
    rows: int
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"file_name": self.file_name, "rows": self.rows, "notes": list(self.notes),
                "lookup": {k: list(v) for k, v in self.lookup.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PostcodeTable:
        return cls(file_name=data["file_name"], rows=int(data["rows"]),
                   notes=tuple(data.get("notes", ())),
                   lookup={k: (str(v[0]), float(v[1])) for k, v in data["lookup"].items()})


def _find_columns(frame: pd.DataFrame, file_name: str) -> tuple[str, str]:
    folded = {column: _fold(column) for column in frame.columns}
    postcode = next((c for c, f in folded.items() if f in POSTCODE_HEADERS), None)
    buurt = next((c for c, f in folded.items() if BUURT_HEADER.match(f)), None)
    if postcode is None or buurt is None:
        missing = " en ".join(name for name, found in (("postcode", postcode), ("buurtcode", buurt))
                              if found is None)
        found = ", ".join(map(str, frame.columns)) or "geen"
        raise ReferenceDataError(f"Postcodebestand '{file_name}' mist de kolom {missing}. Gevonden "
                             f"kolommen: {found}. Verwacht: postcode (bijv. 2571AB of 2571) en "
                             "buurtcode (bijv. BU05183033).")
    return str(postcode), str(buurt)


def _majority(pairs: pd.DataFrame) -> dict[str, tuple[str, float]]:
    """Per postcode the buurt with most rows and its share of the postcode's rows."""
    if pairs.empty:
        return {}
    counts = pairs.groupby(["postcode", "buurt"], sort=True).size().rename("n").reset_index()
    counts["total"] = counts.groupby("postcode")["n"].transform("sum")
    best = counts.sort_values(["postcode", "n", "buurt"], ascending=[True, False, True])
    best = best.drop_duplicates("postcode")
    return {p: (b, float(n / t)) for p, b, n, t in
            zip(best["postcode"], best["buurt"], best["n"], best["total"])}


def read_postcode_table(data: bytes, file_name: str) -> PostcodeTable:
    """Read the team's postcode–buurt table (CSV or Excel; columns postcode, buurtcode).

    Rows whose postcode or buurtcode cannot be read are skipped and named in `notes`;
    a file without one usable row is an error.
    """
    frame = _read_table(data, file_name)
    if frame.empty:
        raise ReferenceDataError(f"Postcodebestand '{file_name}' is leeg: verwacht een rij per "
                             "postcode met de kolommen postcode en buurtcode.")
    postcode_column, buurt_column = _find_columns(frame, file_name)
    postcodes = frame[postcode_column].map(normalise_postcode)
    buurten = frame[buurt_column].map(normalise_buurtcode)
    bad = postcodes.isna() | buurten.isna()
    notes = []
    if bad.all():
        row = 2  # the spreadsheet row of the first data row (row 1 is the header)
        column = postcode_column if postcodes.isna().iloc[0] else buurt_column
        raise ReferenceDataError(
            f"Postcodebestand '{file_name}', rij {row}, kolom '{column}': "
            f"'{frame[column].iloc[0]}' is geen postcode (bijv. 2571AB) of buurtcode "
            "(bijv. BU05183033). Geen enkele rij is bruikbaar.")
    if bad.any():
        rows = [str(i + 2) for i in np.flatnonzero(bad.to_numpy())[:MAX_SHOWN]]
        more = " …" if int(bad.sum()) > MAX_SHOWN else ""
        notes.append(f"Postcodebestand '{file_name}': {plural(int(bad.sum()), 'rij', 'rijen')} overgeslagen "
                     f"zonder geldige postcode of buurtcode (rij {', '.join(rows)}{more}).")
    pairs = pd.DataFrame({"postcode": postcodes[~bad], "buurt": buurten[~bad]})
    lookup = _majority(pairs)
    six = pairs[pairs["postcode"].str.len() == 6]
    given_pc4 = {p for p in pairs["postcode"] if len(p) == 4}
    derived = _majority(six.assign(postcode=six["postcode"].str[:4]))
    for pc4, value in derived.items():
        if pc4 not in given_pc4:
            lookup[pc4] = value
    split = sum(1 for p, (_, share) in lookup.items() if len(p) == 6 and share < 1)
    if split:
        notes.append(f"{plural(split, 'postcode ligt', 'postcodes liggen')} in meer dan één buurt; "
                     "we kiezen de buurt "
                     "met de meeste adressen in het bestand.")
    return PostcodeTable(file_name=str(PurePath(file_name).name), lookup=lookup,
                         rows=int((~bad).sum()), notes=tuple(notes))


# ----------------------------------------------------------------------- KWB fallback

@dataclass(frozen=True)
class KwbPostcodes:
    """Per buurt of a KWB file its most common numeric postcode and the coverage class."""

    postcode4: dict[str, str]                        # buurtcode → PC4
    coverage_class: dict[str, int] = field(default_factory=dict)  # buurtcode → 1..6

    def to_dict(self) -> dict[str, Any]:
        return {"postcode4": dict(self.postcode4), "coverage_class": dict(self.coverage_class)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KwbPostcodes:
        return cls(postcode4=dict(data.get("postcode4", {})),
                   coverage_class={k: int(v) for k, v in data.get("coverage_class", {}).items()})


def coverage_text(klass: int | None) -> str:
    """'meer dan 90%' for class 1 … ('onbekend' without a class)."""
    return COVERAGE_CLASSES.get(int(klass), "onbekend") if klass else "onbekend"


def _stem(columns: list[str], stem: str) -> str | None:
    pattern = re.compile(rf"^{stem}_\d+$")
    return next((c for c in columns if pattern.match(c.strip())), None)


def kwb_postcodes(data: bytes, file_name: str) -> KwbPostcodes:
    """The "meest voorkomende postcode" per buurt from a KWB download (OData CSV or xlsx).

    The OData CSV calls it `MeestVoorkomendePostcode_<n>` / `Dekkingspercentage_<n>` next
    to `Codering_<n>`; the Excel download `pst_mvp` / `pst_dekp` next to `gwb_code_10`.
    A file without the field gives an empty result (then only the postcode table helps).
    """
    suffix = PurePath(file_name).suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        try:
            sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, engine="calamine")
        except Exception as error:  # calamine raises its own types
            raise ReferenceDataError(f"Bestand '{file_name}' kan niet als Excel gelezen worden.") from error
        for frame in sheets.values():
            columns = {str(c).strip().lower(): c for c in frame.columns}
            code = columns.get("gwb_code_10") or columns.get("gwb_code")
            if code is not None and "pst_mvp" in columns:
                return _kwb_frame(frame[code], frame[columns["pst_mvp"]],
                                  frame[columns["pst_dekp"]] if "pst_dekp" in columns else None)
        return KwbPostcodes({})
    text = _decode(data)
    first = text.split("\n", 1)[0]
    sep = max((";", ",", "\t"), key=first.count)
    header = [c.strip().strip('"') for c in next(csv.reader([first], delimiter=sep))]
    code = _stem(header, "Codering")
    postcode = _stem(header, "MeestVoorkomendePostcode")
    klass = _stem(header, "Dekkingspercentage")
    if code is None or postcode is None:
        return KwbPostcodes({})
    wanted = [c for c in (code, postcode, klass) if c]
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            usecols=lambda c: c.strip() in wanted)
    except (pd.errors.ParserError, ValueError) as error:
        raise ReferenceDataError(f"Bestand '{file_name}' kan niet als CSV gelezen worden: {error}") from error
    frame.columns = [c.strip() for c in frame.columns]
    return _kwb_frame(frame[code], frame[postcode], frame[klass] if klass else None)


def _kwb_frame(codes: pd.Series, postcodes: pd.Series, classes: pd.Series | None) -> KwbPostcodes:
    codes = codes.astype("string").str.strip().str.upper()
    pc4 = postcodes.map(normalise_postcode)
    is_buurt = codes.str.startswith("BU").fillna(False).to_numpy(dtype=bool)
    keep = is_buurt & pc4.notna().to_numpy() & (pc4.str.len() == 4).fillna(False).to_numpy(dtype=bool)
    result = dict(zip(codes[keep], pc4[keep]))
    coverage: dict[str, int] = {}
    if classes is not None:
        numbers = pd.to_numeric(classes.astype("string").str.strip(), errors="coerce")
        for code, value in zip(codes[keep], numbers[keep]):
            if pd.notna(value) and 1 <= int(value) <= 6:
                coverage[str(code)] = int(value)
    return KwbPostcodes({str(k): str(v) for k, v in result.items()}, coverage)


def _read_in_child(data: bytes, file_name: str) -> PostcodeTable:
    from surveys.limits import check_upload

    check_upload(data, file_name)
    return read_postcode_table(data, file_name)


def read_postcode_table_bounded(data: bytes, file_name: str) -> PostcodeTable:
    """read_postcode_table after the shape check, in a time- and memory-bounded child
    (as every other file the CLI and the dashboard read)."""
    from surveys.bounded import bounded_limits
    from surveys.limits import run_bounded

    timeout, memory = bounded_limits(1)
    return run_bounded(_read_in_child, data, file_name, timeout=timeout, memory_mb=memory,
                       file_name=file_name).value
