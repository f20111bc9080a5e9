"""The tables of the project store, as the latest migration leaves them.

The store queries through these Table objects; store.migrations creates and
upgrades them (never `metadata.create_all`), so an old database is upgraded in place
and no project is lost. A test checks that both agree.
"""
from __future__ import annotations

import sqlalchemy as sa

from surveys.errors import BereikwijzerError

SCHEMA_VERSION = 5
DEFAULT_RETENTION_MONTHS = 12  # months after the last import; see docs/privacy.md


class StoreError(BereikwijzerError, RuntimeError):
    """The store could not do what was asked. `str()` is a Dutch message for the user."""

    code = "opslag"


metadata = sa.MetaData()

# Canonical respondent columns kept as real SQL columns (DESIGN.md table). Everything
# with an item:/multi:/text: prefix goes into the one JSON column `answers`.
TEXT_COLUMNS = ("respondent_id", "source", "channel", "responded_at", "age_band", "gender",
                "household", "tenure", "origin", "postcode4", "area_code",
                "excluded", "recruitment")  # v3: excluded, recruitment
FLOAT_COLUMNS = ("age", "age_low", "age_high", "weight")  # v3: weight
BOOL_COLUMNS = ("age_estimated", "gender_estimated", "id_generated")  # v3: id_generated
INT_COLUMNS = ("source_row",)  # v3
CANONICAL_COLUMNS = ("respondent_id", "source", "channel", "responded_at", "age", "age_band",
                     "gender", "household", "tenure", "origin", "postcode4", "area_code",
                     "age_low", "age_high", "age_estimated", "gender_estimated",
                     "source_row", "excluded", "id_generated", "recruitment", "weight")
ANSWER_PREFIXES = ("item:", "multi:", "text:")

Timestamp = sa.DateTime(timezone=True)

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", Timestamp, nullable=False),
)

projects = sa.Table(
    "projects", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("team", sa.Text, nullable=False, server_default=""),
    sa.Column("area_codes", sa.JSON, nullable=False),
    sa.Column("reference_year", sa.Integer),
    sa.Column("reference_source", sa.Text),
    sa.Column("min_age", sa.Integer, nullable=False),
    sa.Column("targets", sa.JSON, nullable=False),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("profile_names", sa.JSON, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("purged_at", Timestamp),  # v2: respondents removed by the retention rule
    # v4: an id is never handed out twice (SQLite AUTOINCREMENT; PostgreSQL's SERIAL
    # sequence never goes back), so nothing keyed by a deleted project's id can reach
    # a project created later.
    sqlite_autoincrement=True,
)

imports = sa.Table(
    "imports", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Column("tool", sa.Text, nullable=False),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("mapping", sa.JSON, nullable=False),
    sa.Column("columns", sa.JSON, nullable=False),  # [[name, dtype], …] in frame order
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("rows_new", sa.Integer, nullable=False),
    sa.Column("rows_duplicate", sa.Integer, nullable=False),
    sa.Column("imported_at", Timestamp, nullable=False),
    sa.Column("imported_by", sa.Text, nullable=False),
)

respondents = sa.Table(
    "respondents", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("person_key", sa.Text, nullable=False),  # same key = same person
    *[sa.Column(c, sa.Text) for c in TEXT_COLUMNS],
    *[sa.Column(c, sa.Float) for c in FLOAT_COLUMNS],
    *[sa.Column(c, sa.Boolean) for c in BOOL_COLUMNS],
    *[sa.Column(c, sa.Integer) for c in INT_COLUMNS],
    sa.Column("answers", sa.JSON, nullable=False),
    sa.UniqueConstraint("project_id", "fingerprint", "person_key", name="uq_respondent_person"),
)

audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # v4: rows of a project go with it. NULL = a store-wide event, such as the one line
    # "project N deleted" (detail deleted_project), which names no project and no person data.
    sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"),
              index=True),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("detail", sa.JSON, nullable=False),
)

# v2: counts kept after the retention rule deleted the respondents.
aggregates = sa.Table(
    "aggregates", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("dimension", sa.Text, nullable=False),
    sa.Column("category", sa.Text, nullable=False),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("computed_at", Timestamp, nullable=False),
)

# v2: one-time events of the whole store (e.g. "the demo was created once").
store_flags = sa.Table(
    "store_flags", metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("set_at", Timestamp, nullable=False),
)

# v5: the team's own effort per channel and week (hours, sessions), for yield per hour.
# No person data: a channel name, a week, two numbers and who typed them in the audit log.
effort = sa.Table(
    "effort", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("week_start", sa.Date, nullable=False),  # the Monday of the week
    sa.Column("hours", sa.Float, nullable=False),
    sa.Column("sessions", sa.Integer, nullable=False),
    sa.Column("entered_at", Timestamp, nullable=False),
)
