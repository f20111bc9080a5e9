"""An age × origin or age × tenure table, read in a bounded child and fitted to a reference.

KWB gives origin and tenure for all ages only, so for the eligible adults those groups
carry a wide margin and often end up 'onzeker'. A table with the combinations of age and
that group (e.g. the gemeente's, from CBS StatLine or the BRP) lets
reference.custom.apply_joint_table borrow only the link between age and group. The table
is an upload like a KWB file: the same size and shape checks and the same time- and
memory-bounded child, so a crafted file costs only the child. Used by the Project page
and by `--joint` in the CLI.

No streamlit import here: the child process imports this module.
"""
from __future__ import annotations

from typing import Any

from reference.build import ReferenceDataError
from reference.model import BuurtReference

NOTE_MARK = ": verdeeld naar leeftijd met "  # the note apply_joint_table adds


def _apply_in_child(reference: BuurtReference, data: bytes, file_name: str) -> BuurtReference:
    from reference.custom import apply_joint_table
    from surveys.limits import check_upload

    check_upload(data, file_name)
    return apply_joint_table(reference, data, file_name)


def joined_groups(notes: tuple[str, ...]) -> list[str]:
    """The groups (e.g. 'Herkomst') split by age with a table, from a reference's notes."""
    return [note.split(NOTE_MARK)[0] for note in notes if NOTE_MARK in note]


def apply_joint_bounded(reference: BuurtReference, data: bytes, file_name: str, *,
                        max_bytes: int | None = None, timeout: float | None = None,
                        memory_mb: int | None = None) -> BuurtReference:
    """reference.custom.apply_joint_table in a bounded child, after the size and shape checks.

    Refuses a second table for a group that was already split by age: the fit reads the
    reference's counts as all-ages counts, so doing it twice would shift the shares twice.
    Errors are Dutch (ReferenceDataError, or SurveyImportError for size, time and shape)."""
    from surveys.bounded import bounded_limits
    from surveys.limits import run_bounded
    from ui.upload_limits import check_size

    if max_bytes is not None:
        check_size(data, file_name, max_bytes)
    default_timeout, default_memory = bounded_limits(1)
    out: Any = run_bounded(_apply_in_child, reference, data, file_name,
                           timeout=default_timeout if timeout is None else timeout,
                           memory_mb=default_memory if memory_mb is None else memory_mb,
                           file_name=file_name).value
    done = set(joined_groups(reference.notes))
    added = [g for g in joined_groups(out.notes[len(reference.notes):]) if g in done]
    if added:
        raise ReferenceDataError(
            f"Bestand '{file_name}': {added[0].lower()} is al naar leeftijd verdeeld met een "
            "eerdere tabel. Kies de buurt of tabel opnieuw als u een andere tabel wilt gebruiken.")
    return out
