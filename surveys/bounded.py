"""Imports inside a time- and memory-bounded child process.

A crafted file must end in exit 2 with one Dutch line, never in a hang, a Python
traceback or a native out-of-memory abort with its backtrace. So the command line reads,
maps and redacts in a child (surveys.limits.run_bounded): RLIMIT_AS caps its memory, a
wall clock caps its time, its stderr is silenced, and whatever goes wrong comes back as a
SurveyImportError with a Dutch message (the CLI's `_guarded` already turns that into
exit 2). Long cells are cut before the questionnaire, the mapping or the redaction sees
them, as in the dashboard.

    frame = import_files_bounded([(path.name, path.read_bytes())], mapping=None)

Limits: BEREIKWIJZER_IMPORT_TIMEOUT seconds per file (default 300) and
BEREIKWIJZER_IMPORT_MEMORY_MB (default 2048), the same settings the dashboard reads.
"""
from __future__ import annotations

from typing import Any

from surveys.limits import MEMORY_ENV, TIMEOUT_ENV, env_number, run_bounded

DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MEMORY_MB = 2048


def bounded_limits(files: int) -> tuple[float, int]:
    per_file = env_number(TIMEOUT_ENV, DEFAULT_TIMEOUT_S)
    return per_file * max(1, files), int(env_number(MEMORY_ENV, DEFAULT_MEMORY_MB))


def _import_in_child(files: list[tuple[str, bytes]], mapping: Any, channel: str | None,
                     kwargs: dict) -> Any:
    """surveys.import_files in the child (read_export itself cuts long cells)."""
    import surveys

    return surveys.import_files(files, mapping=mapping, channel=channel, **kwargs)


def import_files_bounded(files: list[tuple[str, bytes]], mapping: Any = None,
                         channel: str | None = None, **kwargs: Any) -> Any:
    """surveys.import_files (read, infer, map, redact, combine) in a bounded child.

    Same arguments (also known=, keys=, salt=) and result (a respondents DataFrame with
    its attrs); a file that runs out of time or memory raises ImportTimeoutError /
    FileTooLargeError naming it, a reader that crashes a CorruptFileError.
    """
    timeout, memory = bounded_limits(len(files))
    names = ", ".join(name for name, _ in files) or None
    return run_bounded(_import_in_child, files, mapping, channel, kwargs, timeout=timeout,
                       memory_mb=memory, file_name=names).value


def _inspect_in_child(data: bytes, file_name: str, sheet: str | None) -> Any:
    from surveys import inspect_export

    return inspect_export(data, file_name, sheet=sheet)


def inspect_bounded(data: bytes, file_name: str, sheet: str | None = None) -> Any:
    """surveys.inspect_export in a bounded child (for `bereikwijzer inspect`)."""
    timeout, memory = bounded_limits(1)
    return run_bounded(_inspect_in_child, data, file_name, sheet, timeout=timeout,
                       memory_mb=memory, file_name=file_name).value
