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
    "limesurvey", "spss", "conversation_log", "paper_form", "generic",
)

# The channel a file's respondents came through, from the kind of file: an online tool's
# export is online, a typed-in paper form is paper, a conversation log is street talk.
# A per-row channel column (role `channel`) only overrides this when it names channels.
ONLINE_FORMATS = ("ms_forms", "google_forms", "qualtrics", "surveymonkey", "kobo",
                  "limesurvey")
FORMAT_CHANNEL = {**{f: "online" for f in ONLINE_FORMATS}, "spss": "online",
                  "paper_form": "papier", "conversation_log": "straatgesprek",
                  "generic": "online"}

KINDS = (
    "id", "timestamp", "metadata", "single", "multi", "likert", "numeric",
    "date", "text", "pii", "empty",
)

ROLES = (
    "respondent_id", "responded_at", "age", "birth_year", "age_band", "gender",
    "household", "tenure", "origin", "postcode", "area", "channel", "item", "multi",
    "text", "ignore",
    # rows that are not respondents or do not count: filters, never profile statements
    "residence", "status",
    # kept as their own variables: how someone heard of the survey (never the channel),
    # and a survey weight found in the file
    "recruitment", "weight",
)


@dataclass(frozen=True)
class RawExport:
    """One file as read: a flat frame (one column per question) plus what was detected.

    `frame` has unique string column names (header rows joined, duplicates suffixed);
    `labels` maps a column to its question text (Qualtrics tag → text, SPSS var → label);
    `value_labels` holds SPSS value labels per column (code → text).
    `row_numbers` holds, per frame row, the row number a spreadsheet program shows for it
    (title and header rows counted; SPSS: the 1-based case number), so every respondent
    can be traced back to its row. Empty for exports built in memory: then use
    `source_rows`.
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
    row_numbers: tuple[int, ...] = ()

    @property
    def source_rows(self) -> tuple[int, ...]:
        """The spreadsheet row of every frame row; without row numbers, a one-row header
        is assumed (the first data row is row header_rows + 1)."""
        if len(self.row_numbers) == len(self.frame):
            return self.row_numbers
        first = max(1, int(self.header_rows)) + 1
        return tuple(range(first, first + len(self.frame)))

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
    # The part of `text` that identifies the question across tools: for a matrix row
    # (Qualtrics "Stem - Statement", Google "Stem [Statement]", SurveyMonkey block/row,
    # Kobo group/question) the statement; otherwise the question text itself.
    statement: str = ""
    stem: str = ""  # the matrix question above the statement, "" when there is none

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.column, "text": self.text, "kind": self.kind, "role": self.role,
                "pii": self.pii, "options": list(self.options), "scale": list(self.scale),
                "statement": self.statement or self.text}


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
    channel: str = "online"  # the file's channel (FORMAT_CHANNEL), the officer may change it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mapping:
        return cls(fingerprint=data["fingerprint"], roles=dict(data["roles"]),
                   recodes={k: dict(v) for k, v in data.get("recodes", {}).items()},
                   sheet=data.get("sheet"), channel=data.get("channel", "online"))
