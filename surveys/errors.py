"""One error base for the whole library: a stable code, where it happened and a Dutch message.

Every problem a user can cause (a file, a reference table, a store) raises a subclass of
`BereikwijzerError`. The UI shows `str(error)`, the CLI prints it and exits 2; neither
shows a traceback. Anything else that escapes is a bug in the library and is logged with
its traceback (`logging.exception`), never turned into a Dutch "reason".

It lives in `surveys`, the lowest package, so every layer can raise and catch it.
"""
from __future__ import annotations

from typing import Any


class BereikwijzerError(Exception):
    """Base class of every user-facing error. `str()` is the Dutch message, prefixed with
    the context (file, sheet, row, column) that was given; `code` is stable for callers."""

    code = "fout"

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None) -> None:
        self.message = message
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(self.where() + message)

    def where(self) -> str:
        """'Bestand 'x.csv', rij 4: ' (empty when no context was given)."""
        parts = []
        if self.file:
            parts.append(f"bestand '{self.file}'")
        if self.sheet:
            parts.append(f"blad '{self.sheet}'")
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.column:
            parts.append(f"kolom '{self.column}'")
        text = ", ".join(parts)
        return (text[:1].upper() + text[1:] + ": ") if parts else ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON of an error for the CLI: code, Dutch message and its context."""
        return {"code": self.code, "message": str(self), "file": self.file, "sheet": self.sheet,
                "row": self.row, "column": self.column}


class InputError(BereikwijzerError, ValueError):
    """Input the user can fix (a table, a choice, a rule file), said in Dutch. Still a
    ValueError, so older callers that catch that keep working."""

    code = "invoer"


class SurveyImportError(BereikwijzerError):
    """A file could not be imported. `str()` is the Dutch message."""

    code = "import-fout"
    bounded = False  # True when the time or memory bound raised it, not the reader


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
