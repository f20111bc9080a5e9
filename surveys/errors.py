"""Typed import errors with a Dutch message that names the file and what to do.

Every problem a user can cause with a file is one of these. The UI shows `str(error)`,
the CLI prints it and exits 2; neither shows a traceback.
"""
from __future__ import annotations


class SurveyImportError(Exception):
    """Base class: a file could not be imported. `str()` is the Dutch message."""

    code = "import-fout"

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None) -> None:
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        where = []
        if file:
            where.append(f"bestand '{file}'")
        if sheet:
            where.append(f"blad '{sheet}'")
        if row is not None:
            where.append(f"rij {row}")
        if column:
            where.append(f"kolom '{column}'")
        text = ", ".join(where)
        prefix = (text[:1].upper() + text[1:] + ": ") if where else ""
        super().__init__(prefix + message)


class EmptyFileError(SurveyImportError):
    code = "leeg-bestand"


class UnsupportedFormatError(SurveyImportError):
    code = "onbekend-formaat"


class CorruptFileError(SurveyImportError):
    code = "beschadigd-bestand"


class PasswordProtectedError(SurveyImportError):
    code = "wachtwoord"


class FileTooLargeError(SurveyImportError):
    code = "te-groot"


class NoDataError(SurveyImportError):
    code = "geen-antwoorden"


class EncodingError(SurveyImportError):
    code = "tekenset"


class MappingError(SurveyImportError):
    code = "koppeling"


class SheetNotFoundError(SurveyImportError):
    """The sheet asked for is not in the workbook (the message lists the sheets)."""

    code = "blad-onbekend"
