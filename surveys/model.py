"""The data objects that flow through import: RawExport → Questionnaire → Mapping.

All are frozen dataclasses of plain data so the CLI, the dashboard and the tests share
one code path, and a Mapping can be saved as JSON and found again next week.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

FORMATS = (
    "ms_forms", "google_forms", "qualtrics", "surveymonkey", "kobo",
    "limesurvey", "spss", "conversation_log", "generic",
)

KINDS = (
    "id", "timestamp", "metadata", "single", "multi", "likert", "numeric",
    "date", "text", "pii", "empty",
)

ROLES = (
    "respondent_id", "responded_at", "age", "birth_year", "age_band", "gender",
    "household", "tenure", "origin", "postcode", "area", "channel", "item", "multi",
    "text", "ignore",
)


@dataclass(frozen=True)
class RawExport:
    """One file as read: a flat frame (one column per question) plus what was detected.

    `frame` has unique string column names (header rows joined, duplicates suffixed);
    `labels` maps a column to its question text (Qualtrics tag → text, SPSS var → label);
    `value_labels` holds SPSS value labels per column (code → text).
    """

    file_name: str
    frame: pd.DataFrame
    format: str
    header_rows: int
    sheet: str | None
    content_hash: str
    labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """Import id: file name plus a short content hash."""
        return f"{self.file_name}#{self.content_hash[:12]}"


@dataclass(frozen=True)
class Question:
    """What one column holds, and the role we suggest for it."""

    column: str
    text: str
    kind: str
    role: str
    options: tuple[str, ...] = ()
    scale: tuple[str, ...] = ()  # Likert options in scale order, lowest first
    pii: bool = False
    pii_reason: str = ""
    reversed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.column, "text": self.text, "kind": self.kind, "role": self.role,
                "pii": self.pii, "options": list(self.options), "scale": list(self.scale)}


@dataclass(frozen=True)
class Questionnaire:
    """All questions of one export, in column order."""

    format: str
    questions: tuple[Question, ...]

    @property
    def pii_columns(self) -> tuple[str, ...]:
        return tuple(q.column for q in self.questions if q.pii)

    def question(self, column: str) -> Question:
        for q in self.questions:
            if q.column == column:
                return q
        raise KeyError(column)


@dataclass(frozen=True)
class Mapping:
    """The user's confirmed choices for one form: column → role, recodes, sheet, channel.

    `fingerprint` identifies the form by its header so next week's export maps again.
    `recodes` maps column → {raw answer → canonical code or number}.
    """

    fingerprint: str
    roles: dict[str, str]
    recodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    sheet: str | None = None
    channel: str = "online"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Mapping":
        return cls(fingerprint=data["fingerprint"], roles=dict(data["roles"]),
                   recodes={k: dict(v) for k, v in data.get("recodes", {}).items()},
                   sheet=data.get("sheet"), channel=data.get("channel", "online"))
