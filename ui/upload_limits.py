"""Server-side bounds on everything an upload makes the server do: size, shape, time, memory.

The browser's upload limit is only a courtesy; a script can post anything. So the
dashboard checks again on the server: the size against `server.maxUploadSize`, the
shape of the file (read_export runs surveys.limits.check_upload: absurd column, row or
cell counts are refused before a parser sees them), and every step that reads or walks
the answers runs in a child process with a time and memory bound
(surveys.limits.run_bounded): the parse, the questionnaire and mapping guesses, and at
import the respondents table with its redaction. A slow or hostile file costs only that
child, never the server that every team shares. Cells longer than
surveys.limits.MAX_CELL_CHARS are cut (with a warning) before anything else reads them.

No streamlit import here: the child process imports this module.
"""
from __future__ import annotations

from typing import Any

from surveys.errors import FileTooLargeError
from surveys.limits import MAX_ROWS, MEMORY_ENV, TIMEOUT_ENV, env_number, run_bounded

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MEMORY_MB = 2048
__all__ = ["TIMEOUT_ENV", "MEMORY_ENV", "limit_bytes", "timeout_seconds", "memory_mb",
           "check_size", "read_upload", "read_upload_bounded",
           "import_upload_bounded", "header_only", "reference_bounded"]


def limit_bytes(max_upload_mb: float | int | None) -> int:
    """`server.maxUploadSize` (MB) in bytes; 50 MB when it is not set."""
    return int(float(max_upload_mb or 50) * 1024 * 1024)


def timeout_seconds() -> float:
    return env_number(TIMEOUT_ENV, DEFAULT_TIMEOUT_S)


def memory_mb() -> int:
    return int(env_number(MEMORY_ENV, DEFAULT_MEMORY_MB))


def check_size(data: bytes, file_name: str, max_bytes: int) -> None:
    """Refuse a file above the server's limit before anything else looks at it."""
    if len(data) > max_bytes:
        raise FileTooLargeError(
            f"Het bestand is {len(data) / 2**20:.1f} MB; de grens op deze server is "
            f"{max_bytes / 2**20:.0f} MB. Exporteer alleen de antwoorden of splits het "
            f"bestand.".replace(".", ",", 1), file=file_name)


def read_upload(data: bytes, file_name: str, max_bytes: int,
                sheet: str | None = None) -> tuple[Any, Any, Any]:
    """read_export (which checks the shape first), long cells cut, then
    infer_questionnaire + suggest_mapping. `sheet`: the worksheet the user chose (None =
    the one the reader detects)."""
    from surveys.mapping import suggest_mapping
    from surveys.questionnaire import infer_questionnaire
    from surveys.readers import read_export

    check_size(data, file_name, max_bytes)
    raw = read_export(data, file_name, sheet=sheet, max_bytes=max_bytes)  # long cells cut
    questionnaire = infer_questionnaire(raw)
    return raw, questionnaire, suggest_mapping(raw, questionnaire)


def read_upload_with_sheets(data: bytes, file_name: str, max_bytes: int,
                            sheet: str | None = None) -> tuple[Any, Any, Any, list[str]]:
    """read_upload plus the workbook's visible sheet names ([] for CSV and SPSS)."""
    from surveys.readers import list_sheets

    raw, questionnaire, mapping = read_upload(data, file_name, max_bytes, sheet)
    return raw, questionnaire, mapping, list_sheets(data, file_name)


def _bounded(fn: Any, *args: Any, file_name: str | None) -> Any:
    return run_bounded(fn, *args, timeout=timeout_seconds(), memory_mb=memory_mb(),
                       file_name=file_name).value


def read_upload_bounded(data: bytes, file_name: str, max_bytes: int, sheet: str | None = None,
                        *, with_sheets: bool = False) -> tuple[Any, ...]:
    """read_upload in a child process with the server's time and memory bound.

    Raises the reader's SurveyImportError unchanged, or ImportTimeoutError /
    FileTooLargeError (Dutch) when the bound stops it. `with_sheets` adds the sheet names.
    """
    check_size(data, file_name, max_bytes)  # do not even hand an oversized file to a child
    reader = read_upload_with_sheets if with_sheets else read_upload
    return _bounded(reader, data, file_name, max_bytes, sheet, file_name=file_name)


def _check_rows(raw: Any) -> None:
    if len(raw.frame) > MAX_ROWS:
        raise FileTooLargeError(
            f"Het bestand heeft {len(raw.frame):,} antwoorden; de grens is {MAX_ROWS:,}. "
            f"Exporteer alleen de antwoorden van deze enquête of splits het bestand."
            .replace(",", "."), file=raw.file_name)


def _import_upload(data: bytes, file_name: str, max_bytes: int, mapping: Any,
                   sheet: str | None, kwargs: dict) -> Any:
    from surveys import import_file

    raw, questionnaire, _ = read_upload(data, file_name, max_bytes, sheet)
    _check_rows(raw)
    return import_file(raw, questionnaire, mapping, **kwargs)


def import_upload_bounded(data: bytes, file_name: str, max_bytes: int, mapping: Any,
                          sheet: str | None = None, **kwargs: Any) -> Any:
    """From the uploaded bytes to the redacted respondents table, all in one bounded child:
    read again, then surveys.import_file(raw, questionnaire, mapping, **kwargs) (known=,
    keys=, salt=, layouts=). For a page that keeps no answers between reruns, only the
    header_only() skeleton: the server never holds the file's answers outside the child.
    """
    check_size(data, file_name, max_bytes)
    return _bounded(_import_upload, data, file_name, max_bytes, mapping, sheet, kwargs,
                    file_name=file_name)


def header_only(raw: Any) -> Any:
    """The RawExport without its answers: columns (with their types), question texts,
    SPSS value labels, warnings, but zero rows. What a page may keep in a cache to show
    the columns and match them to earlier files; the answers stay in the child."""
    import dataclasses

    return dataclasses.replace(raw, frame=raw.frame.iloc[0:0].copy(), row_numbers=())


# ---------------------------------------------------------------- reference files
# A KWB file from the CBS or a team's own table is an upload too: the same shape check
# and the same bounded child, so a crafted "KWB file" cannot take the server down.

def _reference_call(name: str, data: bytes, file_name: str, kwargs: dict) -> Any:
    from reference import load as reference
    from surveys.limits import check_upload

    check_upload(data, file_name)
    return getattr(reference, name)(data, file_name, **kwargs)


def reference_bounded(name: str, data: bytes, file_name: str, max_bytes: int,
                      **kwargs: Any) -> Any:
    """reference.load.<name>(data, file_name, **kwargs) (list_areas, load_kwb_file,
    load_custom_reference) after the size and shape checks, in the bounded child. The
    loader's own Dutch errors come back unchanged."""
    if name not in ("list_areas", "load_kwb_file", "load_custom_reference"):
        raise ValueError(f"geen referentielezer: {name}")
    check_size(data, file_name, max_bytes)
    return _bounded(_reference_call, name, data, file_name, kwargs, file_name=file_name)
