"""Read a KWB file a user downloaded from CBS into one table of areas and figures.

Two layouts: the OData CSV (keys like `AantalInwoners_5`, padded codes in `Codering_3`,
`;`, UTF-8 with BOM, empty = unknown) and the kwb-20xx.xlsx download (`gwb_code_10`,
`a_inw`, '.' for secret values, numbers stored as text). Both become the same frame:
code, name, kind, gemeente plus our numeric fields (NaN = unknown).
"""
from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

import pandas as pd

from reference.build import ReferenceDataError
from reference.columns import REGION_FIELDS, kwb_tables, resolve_excel, resolve_stems, table_year

logger = logging.getLogger(__name__)

_TABLE_ID = re.compile(r"(\d{5}NED)", re.I)
_KWB_YEAR = re.compile(r"kwb[\s_-]*(20\d\d)", re.I)
KINDS = {"land": "Land", "gemeente": "Gemeente", "wijk": "Wijk", "buurt": "Buurt"}


@dataclass(frozen=True)
class KwbTable:
    """All areas of one KWB file, in our field names."""

    frame: pd.DataFrame
    year: int | None
    table: str
    file_name: str


def _year_and_table(file_name: str, sheet: str = "") -> tuple[int | None, str | None]:
    match = _TABLE_ID.search(file_name)
    if match:
        table = match.group(1).upper()
        return table_year(table), table
    for text in (file_name, sheet):
        found = _KWB_YEAR.search(text)
        if found:
            year = int(found.group(1))
            return year, kwb_tables().get(year)
    return None, None


def _read_csv(data: bytes, file_name: str) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ReferenceDataError(f"Bestand '{file_name}' is geen leesbaar tekstbestand.")
    first = text.split("\n", 1)[0]
    sep = max((";", ",", "\t"), key=first.count)
    header = [c.strip().strip('"') for c in next(csv.reader([first], delimiter=sep))]
    wanted = set(resolve_excel(header).values()) | set(resolve_stems(header).values())
    wanted |= {"WijkenEnBuurten"}
    usecols = [c for c in header if c in wanted] if len(wanted) > 3 else None
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                           usecols=(lambda c: c.strip() in usecols) if usecols else None)
    except (pd.errors.ParserError, ValueError) as error:
        raise ReferenceDataError(f"Bestand '{file_name}' kan niet als CSV gelezen worden: {error}") from error


def _read_excel(data: bytes, file_name: str) -> tuple[pd.DataFrame, str]:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, engine="calamine")
    except Exception as error:  # calamine raises its own types for broken files
        raise ReferenceDataError(f"Bestand '{file_name}' kan niet als Excel gelezen worden.") from error
    for name, frame in sheets.items():
        if resolve_excel(frame.columns).get("code"):
            return frame, str(name)
    first = next(iter(sheets.items()), (None, pd.DataFrame()))
    return first[1], str(first[0] or "")


def _numeric(column: pd.Series) -> pd.Series:
    """Secret marks ('.', 'x', '-', empty) become NaN; '1.600,0' never occurs in CBS files."""
    text = column.astype("string").str.strip()
    return pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce").astype(float)


def _normalise(raw: pd.DataFrame, columns: dict[str, str], name_column: str | None) -> pd.DataFrame:
    out = pd.DataFrame(index=raw.index)
    out["code"] = raw[columns["code"]].astype("string").str.strip().str.upper()
    out["name"] = (raw[name_column].astype("string").str.strip() if name_column
                   else out["code"])
    kind = raw[columns["kind"]].astype("string").str.strip() if "kind" in columns else None
    out["kind"] = kind.str.lower().map(KINDS).fillna(kind) if kind is not None else _kind_from_code(out["code"])
    out["gemeente"] = (raw[columns["gemeente"]].astype("string").str.strip()
                       if "gemeente" in columns else "")
    for field, column in columns.items():
        if field not in REGION_FIELDS and field != "name":
            out[field] = _numeric(raw[column])
    out = out[out["code"].notna() & (out["code"] != "")]
    return out.reset_index(drop=True)


def _kind_from_code(codes: pd.Series) -> pd.Series:
    prefix = codes.str[:2].map({"GM": "Gemeente", "WK": "Wijk", "BU": "Buurt", "NL": "Land"})
    return prefix.fillna("")


def read_kwb_table(data: bytes, file_name: str) -> KwbTable:
    """Parse a KWB download (OData CSV or kwb-20xx.xlsx) into a KwbTable.

    The last few parsed files are kept in memory (keyed on their content), because the
    buurt search and the reference read the same 4 MB file one after the other.
    """
    return _read_cached(bytes(data), file_name)


@lru_cache(maxsize=4)
def _read_cached(data: bytes, file_name: str) -> KwbTable:
    return _parse(data, file_name)


def _parse(data: bytes, file_name: str) -> KwbTable:
    suffix = PurePath(file_name).suffix.lower()
    sheet = ""
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raw, sheet = _read_excel(data, file_name)
    elif suffix in (".csv", ".txt", ".tsv", ""):
        raw = _read_csv(data, file_name)
    else:
        raise ReferenceDataError(f"Bestand '{file_name}' is geen KWB-bestand: verwacht .csv of .xlsx "
                                 "uit 'Kerncijfers wijken en buurten' van CBS.")
    raw.columns = [str(c).strip() for c in raw.columns]
    excel = resolve_excel(raw.columns)
    year, table = _year_and_table(file_name, sheet)
    if "code" in excel and "population" in excel:
        frame = _normalise(raw, excel, excel.get("name"))
        label = f"kwb-{year}.xlsx" if year else PurePath(file_name).name
        return KwbTable(frame, year, label, file_name)
    stems = resolve_stems(raw.columns)
    if "code" in stems and "population" in stems:
        name_column = "WijkenEnBuurten" if "WijkenEnBuurten" in raw.columns else None
        frame = _normalise(raw, stems, name_column)
        return KwbTable(frame, year, table or PurePath(file_name).name, file_name)
    raise ReferenceDataError(
        f"Bestand '{file_name}' lijkt geen KWB-bestand van CBS: de kolommen 'gwb_code_10' en "
        "'a_inw' (Excel) of 'Codering_3' en 'AantalInwoners_5' (OData-CSV) ontbreken. "
        "Download 'Kerncijfers wijken en buurten' van cbs.nl.")


def area_table(table: KwbTable | pd.DataFrame) -> pd.DataFrame:
    """The areas of a KWB table for the buurt search: code, name, kind, gemeente."""
    frame = table.frame if isinstance(table, KwbTable) else table
    out = frame[["code", "name", "kind", "gemeente"]].copy()
    return out[out["kind"] != "Land"].reset_index(drop=True)


def _parent_codes(code: str) -> list[str]:
    """The wijk and gemeente that contain a buurt or wijk (by code structure)."""
    digits = code[2:]
    if code.startswith("BU") and len(digits) == 8:
        return [f"WK{digits[:6]}", f"GM{digits[:4]}"]
    if code.startswith("WK") and len(digits) == 6:
        return [f"GM{digits[:4]}"]
    return []


def select_areas(frame: pd.DataFrame, areas: list[str], source: str) -> pd.DataFrame:
    """The rows of the chosen areas; Dutch errors for unknown or overlapping codes."""
    codes = list(dict.fromkeys(str(a).strip().upper() for a in areas if str(a).strip()))
    if not codes:
        raise ReferenceDataError("Geef minstens één gebiedscode (bijv. BU0363AA02 of GM0363).")
    known = set(frame["code"])
    missing = [c for c in codes if c not in known]
    if missing:
        hint = ""
        close = [c for c in known if c[:6] == missing[0][:6]][:3]
        if close:
            hint = f" Bedoelt u {', '.join(sorted(close))}?"
        raise ReferenceDataError(f"Gebiedscode {', '.join(missing)} staat niet in '{source}'."
                                 f"{hint} Zoek de code op met de naam van de buurt.")
    for code in codes:
        for parent in _parent_codes(code):
            if parent in codes:
                raise ReferenceDataError(f"Gebied {code} ligt in {parent}, dat ook gekozen is: dan "
                                         "tellen de inwoners dubbel. Kies er één van.")
    rows = frame[frame["code"].isin(codes)].drop_duplicates("code")
    order = {c: i for i, c in enumerate(codes)}
    return rows.sort_values("code", key=lambda s: s.map(order)).reset_index(drop=True)
