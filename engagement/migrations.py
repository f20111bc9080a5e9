"""Schema migrations of the project store: an upgrade never loses a project.

Each migration is frozen once released: it describes the change as it was made then,
with its own table definitions, not the current ones in engagement.store_schema. The
runner applies the missing ones in order inside one locked transaction, so two
processes starting at once do not both upgrade.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from engagement.store_schema import SCHEMA_VERSION, StoreError

logger = logging.getLogger(__name__)

_TS = sa.DateTime(timezone=True)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sa.Connection], None]


def _v1(conn: sa.Connection) -> None:
    """Projects, imports, respondents and the audit log."""
    md = sa.MetaData()
    sa.Table("projects", md,
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
             sa.Column("created_at", _TS, nullable=False),
             sa.Column("updated_at", _TS, nullable=False))
    sa.Table("imports", md,
             sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("project_id", sa.Integer,
                       sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False,
                       index=True),
             *[sa.Column(c, sa.Text, nullable=False) for c in
               ("file_name", "content_hash", "tool", "channel", "fingerprint")],
             sa.Column("mapping", sa.JSON, nullable=False),
             sa.Column("columns", sa.JSON, nullable=False),
             *[sa.Column(c, sa.Integer, nullable=False) for c in
               ("rows_read", "rows_new", "rows_duplicate")],
             sa.Column("imported_at", _TS, nullable=False),
             sa.Column("imported_by", sa.Text, nullable=False))
    sa.Table("respondents", md,
             sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("project_id", sa.Integer,
                       sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
             sa.Column("import_id", sa.Integer,
                       sa.ForeignKey("imports.id", ondelete="CASCADE"), nullable=False,
                       index=True),
             sa.Column("fingerprint", sa.Text, nullable=False),
             sa.Column("person_key", sa.Text, nullable=False),
             *[sa.Column(c, sa.Text) for c in
               ("respondent_id", "source", "channel", "responded_at", "age_band", "gender",
                "household", "tenure", "origin", "postcode4", "area_code")],
             *[sa.Column(c, sa.Float) for c in ("age", "age_low", "age_high")],
             *[sa.Column(c, sa.Boolean) for c in ("age_estimated", "gender_estimated")],
             sa.Column("answers", sa.JSON, nullable=False),
             sa.UniqueConstraint("project_id", "fingerprint", "person_key",
                                 name="uq_respondent_person"))
    sa.Table("audit", md,
             sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("project_id", sa.Integer, index=True),
             sa.Column("at", _TS, nullable=False),
             sa.Column("action", sa.Text, nullable=False),
             sa.Column("actor", sa.Text, nullable=False),
             sa.Column("detail", sa.JSON, nullable=False))
    md.create_all(conn)


def _v2(conn: sa.Connection) -> None:
    """Retention: aggregates that outlive the respondents, projects.purged_at; store flags."""
    md = sa.MetaData()
    sa.Table("projects", md, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("aggregates", md,
             sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("project_id", sa.Integer,
                       sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False,
                       index=True),
             *[sa.Column(c, sa.Text, nullable=False) for c in ("dimension", "category", "channel")],
             sa.Column("count", sa.Integer, nullable=False),
             sa.Column("computed_at", _TS, nullable=False))
    sa.Table("store_flags", md,
             sa.Column("key", sa.Text, primary_key=True),
             sa.Column("set_at", _TS, nullable=False))
    md.tables["aggregates"].create(conn)
    md.tables["store_flags"].create(conn)
    column_type = _TS.compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE projects ADD COLUMN purged_at {column_type}")


def _v3(conn: sa.Connection) -> None:
    """Traceable rows: source_row, excluded, id_generated, recruitment, weight.

    Respondents of an import whose mapping had no respondent id column got row numbers
    as ids, and those were wrongly used to de-duplicate (a second week's log without ids
    lost its people). They are marked generated and re-keyed to their own import's
    content, so they never match another file again.
    """
    dialect = conn.dialect
    added = (("source_row", sa.Integer()), ("excluded", sa.Text()), ("id_generated", sa.Boolean()),
             ("recruitment", sa.Text()), ("weight", sa.Float()))
    for name, column_type in added:
        conn.exec_driver_sql(
            f"ALTER TABLE respondents ADD COLUMN {name} {column_type.compile(dialect=dialect)}")
    md = sa.MetaData()
    imports = sa.Table("imports", md, sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("content_hash", sa.Text), sa.Column("file_name", sa.Text),
                       sa.Column("mapping", sa.JSON))
    respondents = sa.Table("respondents", md, sa.Column("id", sa.Integer, primary_key=True),
                           sa.Column("import_id", sa.Integer), sa.Column("respondent_id", sa.Text),
                           sa.Column("person_key", sa.Text), sa.Column("excluded", sa.Text),
                           sa.Column("id_generated", sa.Boolean))
    conn.execute(respondents.update().values(excluded="", id_generated=False))
    for row in conn.execute(sa.select(imports.c.id, imports.c.content_hash, imports.c.file_name,
                                      imports.c.mapping)).all():
        roles = (row.mapping or {}).get("roles") if isinstance(row.mapping, dict) else None
        if not isinstance(roles, dict) or "respondent_id" in roles.values():
            continue  # an id column was used (or we cannot tell): keep the keys
        salt = row.content_hash or row.file_name or str(row.id)
        people = conn.execute(sa.select(respondents.c.id, respondents.c.respondent_id)
                              .where(respondents.c.import_id == row.id)).all()
        for person in people:
            conn.execute(respondents.update().where(respondents.c.id == person.id).values(
                id_generated=True, person_key=f"#{salt}:{person.respondent_id or f'r{person.id}'}"))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "projecten, imports, respondenten, auditlog", _v1),
    Migration(2, "bewaartermijn: aggregaten, purged_at; store_flags", _v2),
    Migration(3, "herleidbare rijen: bronrij, uitgesloten, gegenereerd id, werving, gewicht", _v3),
)
assert MIGRATIONS[-1].version == SCHEMA_VERSION

_version_table = sa.Table(
    "schema_version", sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", _TS, nullable=False),
)


def current_version(conn: sa.Connection) -> int:
    """The schema version of an open database (0 when empty)."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.execute(sa.select(sa.func.max(_version_table.c.version))).scalar() or 0)


def migrate(engine: sa.Engine, target: int | None = None) -> int:
    """Bring the database up to `target` (default: the latest); return the version reached.

    SQLite: the store's engine turns the `bw_write` option into BEGIN IMMEDIATE, which
    serialises concurrent starters; PostgreSQL: a transaction-level advisory lock.
    """
    target = SCHEMA_VERSION if target is None else target
    with engine.connect() as conn:
        conn.execution_options(bw_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(2024061801)")
            _version_table.create(conn, checkfirst=True)
            version = current_version(conn)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"De database heeft schemaversie {version}, maar deze Bereikwijzer kent "
                    f"alleen versie {SCHEMA_VERSION}. Werk Bereikwijzer bij; er is niets "
                    "veranderd aan de gegevens.")
            for migration in MIGRATIONS:
                if version < migration.version <= target:
                    logger.info("schema migratie %d: %s", migration.version, migration.description)
                    migration.apply(conn)
                    conn.execute(_version_table.insert().values(
                        version=migration.version, description=migration.description,
                        applied_at=datetime.now(UTC)))
                    version = migration.version
    return version
