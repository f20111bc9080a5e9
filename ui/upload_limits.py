"""Server-side bounds on reading an upload: size, shape, time and memory.

The browser's upload limit is only a courtesy; a script can post anything. So the
dashboard checks again on the server: the size against `server.maxUploadSize`, the
shape of the file (read_export runs surveys.limits.check_upload: absurd column or cell
counts are refused before a parser sees them), and it parses in a child process with a time and memory
bound (surveys.limits.run_bounded), so a slow or hostile file costs only that child.

No streamlit import here: the child process imports this module.
"""
from __future__ import annotations

import os
from typing import Any

from surveys.errors import FileTooLargeError
from surveys.limits import run_bounded

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MEMORY_MB = 2048
TIMEOUT_ENV = "BEREIKWIJZER_IMPORT_TIMEOUT"
MEMORY_ENV = "BEREIKWIJZER_IMPORT_MEMORY_MB"


def limit_bytes(max_upload_mb: float | int | None) -> int:
    """`server.maxUploadSize` (MB) in bytes; 50 MB when it is not set."""
    return int(float(max_upload_mb or 50) * 1024 * 1024)


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def timeout_seconds() -> float:
    return _env_number(TIMEOUT_ENV, DEFAULT_TIMEOUT_S)


def memory_mb() -> int:
    return int(_env_number(MEMORY_ENV, DEFAULT_MEMORY_MB))


def check_size(data: bytes, file_name: str, max_bytes: int) -> None:
    """Refuse a file above the server's limit before anything else looks at it."""
    if len(data) > max_bytes:
        raise FileTooLargeError(
            f"Het bestand is {len(data) / 2**20:.1f} MB; de grens op deze server is "
            f"{max_bytes / 2**20:.0f} MB. Exporteer alleen de antwoorden of splits het "
            f"bestand.".replace(".", ",", 1), file=file_name)


def read_upload(data: bytes, file_name: str, max_bytes: int,
                sheet: str | None = None) -> tuple[Any, Any, Any]:
    """read_export (which checks the shape first) + infer_questionnaire + suggest_mapping.
    `sheet`: the worksheet the user chose (None = the one the reader detects)."""
    from surveys.mapping import suggest_mapping
    from surveys.questionnaire import infer_questionnaire
    from surveys.readers import read_export

    check_size(data, file_name, max_bytes)
    raw = read_export(data, file_name, sheet=sheet, max_bytes=max_bytes)  # check_upload first
    questionnaire = infer_questionnaire(raw)
    return raw, questionnaire, suggest_mapping(raw, questionnaire)


def read_upload_with_sheets(data: bytes, file_name: str, max_bytes: int,
                            sheet: str | None = None) -> tuple[Any, Any, Any, list[str]]:
    """read_upload plus the workbook's visible sheet names ([] for CSV and SPSS)."""
    from surveys.readers import list_sheets

    raw, questionnaire, mapping = read_upload(data, file_name, max_bytes, sheet)
    return raw, questionnaire, mapping, list_sheets(data, file_name)


def read_upload_bounded(data: bytes, file_name: str, max_bytes: int, sheet: str | None = None,
                        *, with_sheets: bool = False) -> tuple[Any, ...]:
    """read_upload in a child process with the server's time and memory bound.

    Raises the reader's SurveyImportError unchanged, or ImportTimeoutError /
    FileTooLargeError (Dutch) when the bound stops it. `with_sheets` adds the sheet names.
    """
    check_size(data, file_name, max_bytes)  # do not even hand an oversized file to a child
    reader = read_upload_with_sheets if with_sheets else read_upload
    return run_bounded(reader, data, file_name, max_bytes, sheet, timeout=timeout_seconds(),
                       memory_mb=memory_mb(), file_name=file_name).value
