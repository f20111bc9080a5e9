"""File bytes → RawExport: the one entry point for every export format.

    raw = read_export(data, "Buurtenquête.xlsx")
    raw.format, raw.header_rows, raw.sheet, len(raw.frame)

Everything works on the bytes in memory; an SPSS file is read from a BytesIO, so a raw
upload never touches the disk. Every problem is a SurveyImportError with a Dutch message.
"""
from __future__ import annotations

import hashlib
import io
import logging
from pathlib import PurePath
from typing import Any

import pandas as pd

from surveys import _read_book as book, limits
from surveys._read_csv import read_delimited
from surveys.detect import Layout, detect_layout, is_empty, is_kobo_repeat, unique_names
from surveys.errors import (
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    NoDataError,
    SheetNotFoundError,
    UnsupportedFormatError,
)
from surveys.model import RawExport
from surveys.numbers import plural

logger = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
SPSS_SUFFIXES = (".sav", ".zsav")
SUPPORTED = ".xlsx, .xlsm, .xls, .ods, .csv, .tsv, .txt, .sav of .zsav"


def read_export(data: bytes, file_name: str, *, sheet: str | None = None,
                max_bytes: int = MAX_BYTES) -> RawExport:
    """Read one export; detect its tool, header depth and data sheet. Text cells longer
    than any real answer are cut (with a warning), so no later step works on them whole."""
    return limits.truncate_long_cells(_read_export(data, file_name, sheet, max_bytes))


def _read_export(data: bytes, file_name: str, sheet: str | None, max_bytes: int) -> RawExport:
    _check_size(data, file_name, max_bytes)
    limits.check_upload(data, file_name)  # refuse grids no survey has, before parsing
    suffix = PurePath(file_name).suffix.lower()
    digest = hashlib.sha256(data).hexdigest()
    if suffix in SPSS_SUFFIXES or data.startswith((b"$FL2", b"$FL3")):
        return _read_spss(data, file_name, digest)
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(data, file_name, digest, sheet, [])
    if suffix in TEXT_SUFFIXES:
        if data.startswith((book.ZIP_MAGIC, book.OLE_MAGIC)):
            note = (f"'{file_name}' heeft de extensie {suffix}, maar is een werkmap; "
                    f"gelezen als werkmap.")
            return _read_workbook(data, file_name, digest, sheet, [note])
        if data.startswith(b"%PDF"):
            raise UnsupportedFormatError(
                f"Dit is geen {suffix}-bestand maar {book.describe_content(data)}. Exporteer "
                f"de antwoorden als .csv of .xlsx.", file=file_name)
        return _read_text(data, file_name, digest, suffix)
    raise UnsupportedFormatError(
        f"Bestandstype '{suffix or '(geen extensie)'}' wordt niet ondersteund. Gebruik "
        f"{SUPPORTED}.", file=file_name)


def list_sheets(data: bytes, file_name: str) -> list[str]:
    """Visible worksheet names of a workbook; [] for CSV and SPSS."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES and not data.startswith((book.ZIP_MAGIC,
                                                                 book.OLE_MAGIC)):
        return []
    _check_size(data, file_name, MAX_BYTES)
    limits.check_workbook_extent(data, file_name)
    book.check_container(data, file_name)
    return book.visible_sheet_names(book.open_workbook(data, file_name))


def _check_size(data: bytes, file_name: str, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise FileTooLargeError(
            f"Het bestand is {_size(len(data))}; de grens is {_size(max_bytes)}. Exporteer "
            f"alleen de antwoorden (zonder bijlagen) "
            f"of splits het bestand.", file=file_name)
    blank = b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"
    if not data or (len(data) < 4096 and not data.strip(blank)):
        raise EmptyFileError("Het bestand is leeg. Exporteer de antwoorden opnieuw.",
                             file=file_name)


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB".replace(".", ",") if n >= 2**20 else f"{n / 1024:.0f} kB"


# ---------------------------------------------------------------- workbooks

def _read_workbook(data: bytes, file_name: str, digest: str, sheet: str | None,
                   warnings: list[str]) -> RawExport:
    book.check_container(data, file_name)
    workbook = book.open_workbook(data, file_name)
    names = book.visible_sheet_names(workbook)
    if sheet is not None:
        if sheet not in workbook.sheet_names:
            raise SheetNotFoundError(
                f"Dit blad bestaat niet. De werkmap heeft: "
                f"{', '.join(repr(n) for n in names)}.", file=file_name, sheet=sheet)
        chosen = book.read_sheet(workbook, sheet, file_name)
        if not _has_data(chosen.rows):
            others = [n for n in names if n != sheet
                      and _has_data(book.read_sheet(workbook, n, file_name).rows)]
            hint = (f" De antwoorden staan waarschijnlijk op blad '{others[0]}': kies dat blad."
                    if others else " Controleer of u de juiste export hebt gekozen.")
            raise NoDataError("Op dit blad staan geen antwoorden." + hint,
                              file=file_name, sheet=sheet)
        return _sheet_export(chosen, file_name, digest, warnings)
    if len(names) == 1:
        return _sheet_export(book.read_sheet(workbook, names[0], file_name), file_name,
                             digest, warnings)
    sheets = [book.read_sheet(workbook, n, file_name) for n in names]
    return _pick_sheet(sheets, file_name, digest, warnings)


def _has_data(rows: list[list[Any]]) -> bool:
    return sum(1 for r in rows if any(not is_empty(v) for v in r)) >= 2


def _pick_sheet(sheets: list[book.SheetData], file_name: str, digest: str,
                warnings: list[str]) -> RawExport:
    """The sheet with the most rows × answer-like columns; Kobo repeat groups lose."""
    scored = []
    repeats = []
    for data in sheets:
        if not _has_data(data.rows):
            continue
        layout = detect_layout(data.rows[:40], merged=data.merged, sheet_name=data.name)
        body = data.rows[layout.data_start:]
        if is_kobo_repeat(layout.names):
            repeats.append(data.name)
            continue
        filled_rows = sum(1 for r in body if any(not is_empty(v) for v in r))
        filled_cols = sum(1 for c in range(len(layout.names))
                          if any(c < len(r) and not is_empty(r[c]) for r in body[:200]))
        scored.append((filled_rows * filled_cols, data))
    if not scored:
        fallback = [s for s in sheets if s.name in repeats] or sheets
        return _sheet_export(fallback[0], file_name, digest, warnings)
    scored.sort(key=lambda item: -item[0])
    chosen = scored[0][1]
    notes = list(warnings)
    others = [s.name for s in sheets if s.name != chosen.name]
    notes.append(f"De werkmap heeft {len(sheets)} bladen; de antwoorden zijn gelezen van blad "
                 f"'{chosen.name}'. Kies een ander blad als dat niet klopt.")
    if repeats:
        notes.append("Blad " + ", ".join(f"'{r}'" for r in repeats) + " is een herhaalgroep "
                     "uit KoboToolbox (meerdere rijen per formulier) en is niet ingelezen.")
    logger.debug("sheets %s, chose %s", others, chosen.name)
    return _sheet_export(chosen, file_name, digest, notes)


def _sheet_export(data: book.SheetData, file_name: str, digest: str,
                  warnings: list[str]) -> RawExport:
    if not _has_data(data.rows):
        if any(any(not is_empty(v) for v in r) for r in data.rows):
            raise NoDataError("Er staat alleen een kopregel in, nog geen antwoorden. "
                              "Exporteer opnieuw als er reacties zijn.",
                              file=file_name, sheet=data.name)
        raise NoDataError("Het blad is leeg. Controleer of u de juiste export hebt gekozen.",
                          file=file_name, sheet=data.name)
    layout = detect_layout(data.rows[:40], merged=data.merged, sheet_name=data.name)
    body = data.rows[layout.data_start:]
    frame = _frame_from_rows(body, len(layout.names))
    # calamine starts at A1 (skip_empty_area=False), so body row 0 is spreadsheet row
    # data_start + 1
    return _finish(frame, layout, file_name, digest, data.name, warnings,
                   first_row=layout.data_start + 1)


def _frame_from_rows(rows: list[list[Any]], width: int) -> pd.DataFrame:
    """Column-wise construction: calamine's '' for an empty cell becomes missing."""
    width = max([width] + [len(r) for r in rows[:50]])
    columns: dict[int, Any] = {}
    padded = rows if all(len(r) == width for r in rows) else \
        [list(r) + [""] * (width - len(r)) for r in rows]
    for i, values in enumerate(zip(*padded)):
        cells = [None if v == "" else v for v in values] if "" in values else list(values)
        columns[i] = _integral(pd.Series(cells, dtype=None))
    if not columns:
        return pd.DataFrame(columns=list(range(width)))
    return pd.DataFrame(columns)


def _integral(series: pd.Series) -> pd.Series:
    """Excel stores every number as a float; whole numbers without gaps become int64."""
    if series.dtype == "float64" and series.notna().all():
        values = series.to_numpy()
        if (values == values.round()).all() and abs(values).max(initial=0) < 2**53:
            return series.astype("int64")
    return series


# ---------------------------------------------------------------- text and SPSS

def _read_text(data: bytes, file_name: str, digest: str, suffix: str) -> RawExport:
    frame, layout, _, warnings = read_delimited(data, file_name, suffix)
    # blank lines are kept by the parser, so record i of the body is row data_start + i + 1
    return _finish(frame, layout, file_name, digest, None, warnings,
                   first_row=layout.data_start + 1, integral=True)


def _read_spss(data: bytes, file_name: str, digest: str) -> RawExport:
    import pyreadstat

    if not data.startswith((b"$FL2", b"$FL3")):
        raise UnsupportedFormatError(
            f"Dit is geen SPSS-bestand maar {book.describe_content(data)}. Exporteer opnieuw "
            f"als .sav of kies .xlsx.", file=file_name)
    try:
        frame, meta = pyreadstat.read_sav(io.BytesIO(data), user_missing=False)
    except Exception as error:
        raise CorruptFileError(
            "Het SPSS-bestand is beschadigd of niet volledig. Sla het in SPSS opnieuw op.",
            file=file_name) from error
    if frame.empty:
        raise NoDataError("Het SPSS-bestand bevat variabelen maar nog geen antwoorden.",
                          file=file_name)
    labels = {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}
    value_labels = {k: dict(v) for k, v in (meta.variable_value_labels or {}).items()}
    frame = frame.apply(_integral)
    return RawExport(file_name=file_name, frame=frame, format="spss", header_rows=1,
                     sheet=None, content_hash=digest, labels=labels,
                     value_labels=value_labels,
                     row_numbers=tuple(range(1, len(frame) + 1)))  # SPSS case numbers


# ---------------------------------------------------------------- shared

def _finish(frame: pd.DataFrame, layout: Layout, file_name: str, digest: str,
            sheet: str | None, warnings: list[str], *, first_row: int,
            integral: bool = False) -> RawExport:
    """Name the columns, drop empty rows and unnamed empty columns, check for data.

    `first_row` is the spreadsheet row of frame row 0; the rows kept carry their own
    number, so a skipped blank row does not shift the ones below it. `integral`: whole
    numbers that were float only because of a dropped blank row become int64 again.
    """
    width = frame.shape[1]
    raw_names = list(layout.names) + [""] * (width - len(layout.names))
    frame = frame.iloc[:, :width]
    keep = [i for i, name in enumerate(raw_names[:width])
            if name or frame.iloc[:, i].notna().any()]
    frame = frame.iloc[:, keep]
    names, name_warnings = unique_names([raw_names[i] for i in keep])
    frame.columns = names
    labels = {}
    for new, old in zip(names, keep):
        text = layout.labels.get(old) or (raw_names[old] if new != raw_names[old] else "")
        if text and text != new:
            labels[new] = text
    positions = pd.RangeIndex(len(frame))
    filled = frame.notna().any(axis=1).to_numpy()
    frame = frame[filled].reset_index(drop=True)
    row_numbers = tuple(int(first_row + p) for p in positions[filled])
    if integral and not filled.all():
        frame = frame.apply(_integral)
    if frame.empty:
        raise NoDataError("Er staat alleen een kopregel in, nog geen antwoorden. Exporteer "
                          "opnieuw als er reacties zijn.", file=file_name, sheet=sheet)
    notes = list(warnings) + list(layout.warnings) + name_warnings
    unnamed = [n for n, i in zip(names, keep) if not raw_names[i]]
    if unnamed:
        notes.append(f"{plural(len(unnamed), 'kolom', 'kolommen')} zonder kopje "
                     f"{'kreeg' if len(unnamed) == 1 else 'kregen'} een naam: "
                     f"{', '.join(unnamed[:5])}.")
    return RawExport(file_name=file_name, frame=frame, format=layout.format,
                     header_rows=layout.header_rows, sheet=sheet, content_hash=digest,
                     labels=labels, warnings=tuple(notes), row_numbers=row_numbers)
