"""Parsing uploads for the Importeren page, cached on the file's bytes.

The cached value is plain data (the read export, its questionnaire, the suggested
mapping, or the Dutch error text), so a bad file never raises on the page.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from surveys.errors import SurveyImportError
from surveys.inspect import FORMAT_NAMES, KIND_NAMES, ROLE_NAMES
from ui.upload_limits import header_only, read_upload_bounded

log = logging.getLogger("bereikwijzer.ui")

FORMAT_LABELS = FORMAT_NAMES
KIND_LABELS = KIND_NAMES
ROLE_LABELS = {role: name[:1].upper() + name[1:] for role, name in ROLE_NAMES.items()}
ROLE_FROM_LABEL = {v: k for k, v in ROLE_LABELS.items()}


@dataclass(frozen=True)
class ParsedFile:
    """One uploaded file as read (or the reason it could not be read)."""

    file_name: str
    content_hash: str
    error: str = ""
    format: str = ""
    sheet: str | None = None
    header_rows: int = 0
    respondents: int = 0
    questions: tuple[dict[str, Any], ...] = ()
    pii_columns: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    channel: str = "online"
    raw: Any = None
    questionnaire: Any = None
    mapping: Any = None
    sheets: tuple[str, ...] = ()  # visible worksheets of a workbook, for the sheet picker
    extra: dict[str, Any] = field(default_factory=dict)


def parse_upload(data: bytes, file_name: str, sheet: str | None = None) -> ParsedFile:
    """Read one upload within the server's limits (ui.upload_limits), cached on its bytes.
    `sheet`: the worksheet the user picked (None = the one the reader detects)."""
    from ui.upload_limits import limit_bytes
    return _parse_upload(data, file_name, limit_bytes(st.get_option("server.maxUploadSize")), sheet)


@st.cache_data(max_entries=20, ttl=3600, show_spinner="Bestand lezen…")
def _parse_upload(data: bytes, file_name: str, max_bytes: int, sheet: str | None = None) -> ParsedFile:
    """read_export + infer_questionnaire + suggest_mapping, keyed on the bytes and the limit.

    The size limit is checked here again (a script can skip the browser's check), and the
    parse runs in a child process with a time and memory bound.
    """
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    try:
        raw, questionnaire, mapping, sheets = read_upload_bounded(data, file_name, max_bytes, sheet,
                                                                  with_sheets=True)
    except SurveyImportError as error:
        return ParsedFile(file_name, digest, error=str(error))
    except Exception:  # an unreadable file must not break the page
        log.exception("Onverwachte fout bij het lezen van een upload")
        return ParsedFile(file_name, digest, error=(
            f"Bestand '{file_name}' kon niet worden gelezen. Controleer of het een export van een "
            "enquête is (Excel, CSV of SPSS) en probeer het opnieuw."))
    rows = len(raw.frame)
    raw = header_only(raw)  # the cache keeps the columns, never the answers
    extra = _typology_extra(data, file_name, max_bytes, sheet, raw)
    questions = tuple({"column": q.column, "text": q.text, "kind": q.kind,
                       "role": mapping.roles.get(q.column, q.role)}
                      for q in questionnaire.questions if not q.pii)
    return ParsedFile(
        file_name=file_name, content_hash=digest, format=raw.format, sheet=raw.sheet,
        header_rows=raw.header_rows, respondents=rows, questions=questions,
        pii_columns=tuple(questionnaire.pii_columns), warnings=tuple(raw.warnings),
        channel=mapping.channel,  # from the file's kind: online tool, paper form, conversation
        raw=raw, questionnaire=questionnaire, mapping=mapping, sheets=tuple(sheets), extra=extra)


def _typology_extra(data: bytes, file_name: str, max_bytes: int, sheet: str | None, raw: Any) -> dict[str, Any]:
    """For a VNG Burgerpeiling (recognised from its column names): the typology, computed
    in its own bounded child from the file as read (the respondents table no longer has
    the codes it needs). Other files: nothing, and no extra child."""
    from ui import typology_panel

    if not typology_panel.looks_like_burgerpeiling(raw):
        return {}
    typology, error = typology_panel.typology_bounded(data, file_name, max_bytes, sheet)
    if error:
        return {typology_panel.PREVIEW_ERROR_KEY: error}
    return {typology_panel.PREVIEW_KEY: typology} if typology else {}


def save_typology(project, parsed: ParsedFile) -> bool:
    """Keep the file's Burgerpeiling typology (aggregates only) in the project settings
    under settings["vng_typology"][file name]; False when the file has none."""
    from ui import state, typology_panel

    typology = parsed.extra.get(typology_panel.PREVIEW_KEY)
    if not typology:
        return False
    owned = state._owned(project)  # the stored settings, not the page's copy from before the import
    settings = typology_panel.with_typology(dict(owned.settings or {}), parsed.file_name, typology)
    state.store().update_project(owned.id, settings=settings, who=state.who())
    return True


def forget_typology(project, file_name: str) -> None:
    """After an import is removed: drop its file's typology unless another import of the
    same file name is still there."""
    from ui import state, typology_panel

    owned = state._owned(project)
    if file_name in typology_panel.imported_names(state.imports(project)):
        return
    settings = typology_panel.without_typology(dict(owned.settings or {}), file_name)
    if settings is not None:
        state.store().update_project(owned.id, settings=settings, who=state.who())


# Reasons an officer can give a row by hand (store.projects.set_excluded checks them).
MARK_REASONS = ("test", "non_resident", "other")
_ROW_PART = re.compile(r"^(\d{1,7})(?:-(\d{1,7}))?$")
MAX_MARKED = 5000


def parse_rows(text: str) -> list[int]:
    """Row numbers as the officer types them: '3, 7-9; 12' → [3, 7, 8, 9, 12].
    Raises ValueError with a Dutch message that names the part it could not read."""
    rows: set[int] = set()
    joined = re.sub(r"\s*[-–]\s*", "-", str(text).strip())  # '7 – 9' → '7-9'
    for part in re.split(r"[,;\s]+", joined):
        if not part.strip():
            continue
        match = _ROW_PART.match(part)
        if match is None:
            raise ValueError(f"'{part.strip()}' is geen rijnummer. Schrijf bijv. 3, 7-9.")
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if high < low:
            raise ValueError(f"'{part.strip()}': het eerste rijnummer moet het kleinste zijn.")
        if high - low >= MAX_MARKED or len(rows) + high - low >= MAX_MARKED:
            raise ValueError(f"Te veel rijen in één keer (meer dan {MAX_MARKED}).")
        rows.update(range(low, high + 1))
    if not rows:
        raise ValueError("Vul een of meer rijnummers in, bijv. 3, 7-9.")
    return sorted(rows)


def mark_rows(project, import_id: int, rows: list[int], reason: str) -> int:
    """The officer's mark: these rows of one import do not count (test entry, not a
    resident, other reason); audited in the store. Returns how many rows changed."""
    from ui import state

    if reason not in MARK_REASONS:
        raise ValueError(f"Onbekende reden: {reason}")
    return state.set_excluded(project, import_id, {int(r): reason for r in rows})
