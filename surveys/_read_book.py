"""Workbooks (.xlsx/.xlsm/.xls/.ods) through python-calamine, with the container checked first.

Calamine reads cached cell values, so formulas are never evaluated. Before calamine
sees a zip we inspect its directory: a zip bomb is refused without being inflated.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import python_calamine as calamine

from surveys.errors import CorruptFileError, FileTooLargeError, PasswordProtectedError, UnsupportedFormatError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
MAX_UNZIPPED = 300 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 5 * 1024 * 1024  # small files may compress well; only judge big ones


@dataclass
class SheetData:
    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]


def check_container(data: bytes, file_name: str) -> str:
    """'zip' or 'ole'; raise for encrypted, corrupt, bomb or non-workbook content."""
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data[:1 << 20] or \
                "EncryptedPackage".encode("utf-16-le") in data:
            raise PasswordProtectedError(
                "De werkmap is beveiligd met een wachtwoord. Open hem in Excel, haal het "
                "wachtwoord weg (Bestand > Info > Werkmap beveiligen) en sla opnieuw op.",
                file=file_name)
        return "ole"
    if not data.startswith(ZIP_MAGIC):
        raise UnsupportedFormatError(
            f"Dit is geen Excel-werkmap, maar {describe_content(data)}. Kies de export als "
            f".xlsx of .csv uit het enquêteprogramma.", file=file_name)
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise CorruptFileError(
            "De werkmap is beschadigd of niet volledig gedownload. Download de export opnieuw "
            "en probeer het nog eens.", file=file_name) from error
    unzipped = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unzipped > MAX_UNZIPPED or (unzipped > RATIO_FLOOR and unzipped / packed > MAX_RATIO):
        raise FileTooLargeError(
            f"De werkmap pakt uit tot {unzipped / 2**20:.0f} MB ({unzipped / packed:.0f} keer "
            f"zo groot). Dat is te groot of verdacht; bewaar alleen het blad met antwoorden "
            f"in een nieuwe werkmap.", file=file_name)
    names = {i.filename for i in infos}
    if not ({"xl/workbook.xml", "xl/workbook.bin", "content.xml"} & names):
        raise UnsupportedFormatError(
            "Dit zip-bestand is geen Excel- of OpenDocument-werkmap (bijvoorbeeld een "
            "Word-document). Kies de export als .xlsx of .csv.", file=file_name)
    return "zip"


def describe_content(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "een PDF-bestand"
    if data.startswith(ZIP_MAGIC):
        return "een zip-bestand"
    if data.startswith(OLE_MAGIC):
        return "een ouder Office-bestand"
    if data[:5].lower() in (b"<html", b"<!doc") or data.lstrip()[:5].lower() == b"<html":
        return "een webpagina (HTML)"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "een afbeelding"
    return "een ander soort bestand"


def open_workbook(data: bytes, file_name: str) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError as error:
        raise PasswordProtectedError(
            "De werkmap is beveiligd met een wachtwoord. Haal het wachtwoord weg in Excel en "
            "sla opnieuw op.", file=file_name) from error
    except Exception as error:  # calamine raises several error types for broken files
        raise CorruptFileError(
            "De werkmap kan niet worden geopend: hij is beschadigd of niet volledig. "
            "Download de export opnieuw of sla hem in Excel opnieuw op als .xlsx.",
            file=file_name) from error


def visible_sheet_names(book: calamine.CalamineWorkbook) -> list[str]:
    names = []
    for meta in book.sheets_metadata:
        if str(meta.typ).endswith("WorkSheet") and str(meta.visible).endswith("Visible"):
            names.append(meta.name)
    return names or list(book.sheet_names)


def read_sheet(book: calamine.CalamineWorkbook, name: str, file_name: str) -> SheetData:
    try:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        merged = list(sheet.merged_cell_ranges or [])
    except calamine.PasswordError as error:
        raise PasswordProtectedError("Het blad is beveiligd met een wachtwoord.",
                                     file=file_name, sheet=name) from error
    except Exception as error:
        raise CorruptFileError(
            "Dit blad kan niet worden gelezen: de werkmap is beschadigd. Sla hem in Excel "
            "opnieuw op als .xlsx.", file=file_name, sheet=name) from error
    return SheetData(name, rows, merged)
