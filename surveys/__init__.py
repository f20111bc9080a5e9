"""surveys: from a file on disk to a clean respondents table (no CBS, no Streamlit)."""
from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from surveys.inspect import describe_inspection, inspect_export
from surveys.mapping import apply_saved_mapping, header_fingerprint, merge_mapping, suggest_mapping
from surveys.questionnaire import infer_questionnaire
from surveys.respondents import combine_respondents, to_respondents

logger = logging.getLogger(__name__)

__all__ = [
    "read_export", "infer_questionnaire", "suggest_mapping", "to_respondents",
    "combine_respondents", "header_fingerprint", "apply_saved_mapping", "inspect_export",
    "describe_inspection", "import_files",
]


def __getattr__(name: str) -> Any:
    """`surveys.read_export` without importing the readers (and their engines) up front."""
    if name in ("read_export", "list_sheets"):
        from surveys import readers
        return getattr(readers, name)
    raise AttributeError(f"module 'surveys' has no attribute '{name}'")


def import_files(files: list[tuple[str, bytes]], mapping: dict | None = None,
                 channel: str | None = None) -> pd.DataFrame:
    """Read, infer, map and combine several exports into one respondents table.

    `mapping` is a Mapping JSON dict (or a bare {column: role} dict, or a list of Mapping
    dicts found by header fingerprint); it is laid over the suggested mapping. The number
    of respondents imported twice is in `attrs["duplicates"]`, warnings in
    `attrs["warnings"]`.
    """
    from surveys.readers import read_export

    frames = []
    for file_name, data in files:
        raw = read_export(data, file_name)
        questionnaire = infer_questionnaire(raw)
        if isinstance(mapping, list):
            chosen, _ = apply_saved_mapping(raw, questionnaire, mapping, channel=channel)
        else:
            chosen = suggest_mapping(raw, questionnaire, channel=channel)
            if mapping:
                chosen = merge_mapping(chosen, mapping)
        frames.append(to_respondents(raw, chosen, questionnaire))
        frames[-1].attrs["warnings"] = list(raw.warnings) + frames[-1].attrs.get("warnings", [])
    combined, dropped = combine_respondents(frames)
    if dropped:
        combined.attrs["warnings"].append(
            f"{dropped} respondent(en) stonden al in een eerder bestand en tellen één keer mee.")
    combined.attrs["duplicates"] = dropped
    return combined
