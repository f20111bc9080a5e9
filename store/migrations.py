"""Schema migrations of the project store: an upgrade never loses a project.

Each migration is frozen once released: it describes the change as it was made then,
with its own table definitions, not the current ones in store.schema. The
runner applies the missing ones in order inside one locked transaction, so two
processes starting at once do not both upgrade.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from store.schema import SCHEMA_VERSION, StoreError

logger = logging.getLogger(__name__)

_TS = sa.DateTime(timezone=True)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sa.Connection], None]
    # Runs once after the upgrade committed, outside any transaction (e.g. VACUUM).
    after: Callable[[sa.Connection], None] | None = None


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


def _v4(conn: sa.Connection) -> None:
    """Project ids never reused; audit rows belong to their project; orphans removed.

    Before v4, SQLite gave a new project the id of the highest deleted one, and the audit
    log (no foreign key) handed the deleted project's lines (e-mail addresses, file
    names) to the new one. The highest id ever used is recovered from every table that
    names a project (the old audit log outlived its projects), so no id comes back.
    Audit lines of a project that no longer exists, or of an earlier project with the
    same id, are deleted; only their "project deleted" lines stay, as store-wide lines.
    Rows of imports, respondents and aggregates whose project is gone are deleted too.
    SQLite cannot add AUTOINCREMENT or a foreign key in place: projects and audit are
    rebuilt (the runner switches foreign keys off, so nothing cascades, and checks them
    after). PostgreSQL: SERIAL's sequence never goes back; the key is added in place.
    """
    md = sa.MetaData()
    old_projects = sa.Table("projects", md, sa.Column("id", sa.Integer, primary_key=True),
                            sa.Column("created_at", _TS))
    old_audit = sa.Table("audit", md, sa.Column("id", sa.Integer, primary_key=True),
                         sa.Column("project_id", sa.Integer), sa.Column("action", sa.Text),
                         sa.Column("detail", sa.JSON))
    dependants = [sa.Table(name, md, sa.Column("id", sa.Integer, primary_key=True),
                           sa.Column("project_id", sa.Integer))
                  for name in ("respondents", "imports", "aggregates")]

    highest = 0
    for table in (old_projects, old_audit, *dependants):
        column = table.c.id if table is old_projects else table.c.project_id
        highest = max(highest, int(conn.execute(sa.select(sa.func.max(column))).scalar() or 0))

    for table in dependants:  # respondents first: their import rows go next
        conn.execute(table.delete().where(table.c.project_id.not_in(sa.select(old_projects.c.id))))
    # The current project with an id starts at its last "project_created" line; what came
    # before belongs to an earlier project that had the same id (SQL only: the log may be
    # long, the projects with a reused id are few).
    firsts = sa.select(old_audit.c.project_id, sa.func.min(old_audit.c.id).label("first"),
                       sa.func.max(sa.case((old_audit.c.action == "project_created",
                                            old_audit.c.id))).label("start")
                       ).where(old_audit.c.project_id.in_(sa.select(old_projects.c.id))
                               ).group_by(old_audit.c.project_id)
    stale = [sa.and_(old_audit.c.project_id == row.project_id, old_audit.c.id < row.start)
             for row in conn.execute(firsts).all()
             if row.start is not None and row.first < row.start]
    conditions = [old_audit.c.project_id.not_in(sa.select(old_projects.c.id)), *stale]
    gone = deletions = 0
    for condition in conditions:  # one statement each: no expression too deep for SQLite
        condition = sa.and_(old_audit.c.project_id.is_not(None), condition)
        for row in conn.execute(sa.select(old_audit.c.id, old_audit.c.project_id,
                                          old_audit.c.detail)
                                .where(condition, old_audit.c.action == "project_deleted")).all():
            detail = row.detail if isinstance(row.detail, dict) else {}
            conn.execute(old_audit.update().where(old_audit.c.id == row.id).values(
                project_id=None, detail={**detail, "deleted_project": row.project_id}))
            deletions += 1  # kept as a store-wide line: when, who, how many respondents
        gone += conn.execute(old_audit.delete().where(condition)).rowcount
    if gone or deletions:
        logger.info("schema migratie 4: %d auditregels van verwijderde projecten verwijderd, "
                    "%d verwijderregels projectloos gemaakt", gone, deletions)

    _v4_safe_aggregates(conn)
    if conn.dialect.name == "sqlite":
        _v4_sqlite_rebuild(conn, highest)
    else:
        conn.exec_driver_sql(
            "ALTER TABLE audit ADD CONSTRAINT audit_project_id_fkey FOREIGN KEY (project_id) "
            "REFERENCES projects (id) ON DELETE CASCADE")
        if highest:
            conn.execute(sa.text(  # next id above both: the sequence and every id ever used
                "SELECT setval(pg_get_serial_sequence('projects', 'id'), GREATEST(:highest, "
                "COALESCE(pg_sequence_last_value(pg_get_serial_sequence('projects', 'id')), 0)))"),
                {"highest": highest})


# The categories the retention counts may keep, as of v4 (frozen here on purpose).
_V4_CODES = {
    "gender": {"man", "vrouw", "anders"},
    "household": {"eenpersoons", "paar_zonder_kinderen", "met_kinderen"},
    "tenure": {"koop", "huur_corporatie", "huur_overig"},
    "origin": {"nederland", "europa", "buiten_europa"},
}
_V4_PATTERNS = {
    "area_code": re.compile(r"(?:BU\d{8}|WK\d{6}|GM\d{4})"),
    "postcode4": re.compile(r"[1-9]\d{3}"),
    "age_band": re.compile(r"\d{1,3}(?:[-+]|-\d{1,3})"),
}
_V4_CHANNELS = {"online", "papier", "straatgesprek", "bijeenkomst", "huisbezoek", "anders",
                "onbekend"}


def _v4_safe_aggregates(conn: sa.Connection) -> None:
    """Counts kept by a retention purge before v4 could carry an answer as category (a
    free-text area such as a street and family name): such categories become "overig"."""
    md = sa.MetaData()
    projects = sa.Table("projects", md, sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("area_codes", sa.JSON))
    table = sa.Table("aggregates", md, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("project_id", sa.Integer), sa.Column("dimension", sa.Text),
                     sa.Column("category", sa.Text), sa.Column("channel", sa.Text),
                     sa.Column("count", sa.Integer), sa.Column("computed_at", _TS))
    areas = {pid: {str(c) for c in (codes or [])}
             for pid, codes in conn.execute(sa.select(projects.c.id, projects.c.area_codes))}

    def safe(row: Any) -> tuple[str, str]:
        category, dimension = row["category"], row["dimension"]
        if category in ("onbekend", "total", "wil_niet_zeggen"):
            pass
        elif dimension in _V4_CODES:
            category = category if category in _V4_CODES[dimension] else "overig"
        elif dimension == "area_code" and category in areas.get(row["project_id"], set()):
            pass
        elif dimension in _V4_PATTERNS:
            category = category if _V4_PATTERNS[dimension].fullmatch(category) else "overig"
        channel = row["channel"] if row["channel"] in _V4_CHANNELS else "anders"
        return category, channel

    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    changed = False
    for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings().all():
        category, channel = safe(row)
        changed = changed or (category, channel) != (row["category"], row["channel"])
        key = (row["project_id"], row["dimension"], category, channel)
        if key in merged:
            merged[key]["count"] += row["count"]
        else:
            merged[key] = {**{k: row[k] for k in ("project_id", "dimension", "count",
                                                  "computed_at")},
                           "category": category, "channel": channel}
    if changed:
        conn.execute(table.delete())
        conn.execute(table.insert(), list(merged.values()))
        logger.info("schema migratie 4: bewaarde aantallen zonder vrije tekst opnieuw opgeslagen")


def _v4_sqlite_rebuild(conn: sa.Connection, highest: int) -> None:
    """SQLite's way to change a table: create the new one, copy, drop, rename."""
    md = sa.MetaData()
    new_projects = sa.Table(
        "projects_v4", md,
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
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("purged_at", _TS),
        sqlite_autoincrement=True)
    sa.Table("projects", md, sa.Column("id", sa.Integer, primary_key=True))
    new_audit = sa.Table(
        "audit_v4", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE")),
        sa.Column("at", _TS, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False))
    for new, name in ((new_projects, "projects"), (new_audit, "audit")):
        new.create(conn)
        names = ", ".join(f'"{c.name}"' for c in new.columns)
        conn.exec_driver_sql(f'INSERT INTO "{new.name}" ({names}) SELECT {names} FROM "{name}"')
        conn.exec_driver_sql(f'DROP TABLE "{name}"')
        conn.exec_driver_sql(f'ALTER TABLE "{new.name}" RENAME TO "{name}"')
    conn.exec_driver_sql("CREATE INDEX ix_audit_project_id ON audit (project_id)")
    # AUTOINCREMENT hands out max(sqlite_sequence.seq, max(id)) + 1: start above every
    # id ever used, also one whose project (the highest) was deleted before v4.
    conn.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name IN ('projects', 'projects_v4')")
    if highest:
        conn.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES ('projects', ?)",
                             (highest,))


def _v4_vacuum(conn: sa.Connection) -> None:
    """SQLite before v4 left deleted rows in free pages (no secure_delete): rewrite the file
    once, so answers deleted "for good" by an older version are gone from disk too."""
    if conn.dialect.name != "sqlite":
        return
    try:
        _pragma(conn, "VACUUM")
        _pragma(conn, "PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception as exc:
        logger.warning("schema migratie 4: VACUUM niet gelukt (%s); verwijderde gegevens van "
                       "voor deze versie kunnen nog in vrije ruimte van het bestand staan",
                       type(exc).__name__)


def _v5(conn: sa.Connection) -> None:
    """Effort per channel and week (hours, sessions) for yield per hour."""
    md = sa.MetaData()
    sa.Table("projects", md, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("effort", md,
             sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("project_id", sa.Integer,
                       sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False,
                       index=True),
             sa.Column("channel", sa.Text, nullable=False),
             sa.Column("week_start", sa.Date, nullable=False),
             sa.Column("hours", sa.Float, nullable=False),
             sa.Column("sessions", sa.Integer, nullable=False),
             sa.Column("entered_at", _TS, nullable=False))
    md.tables["effort"].create(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "projecten, imports, respondenten, auditlog", _v1),
    Migration(2, "bewaartermijn: aggregaten, purged_at; store_flags", _v2),
    Migration(3, "herleidbare rijen: bronrij, uitgesloten, gegenereerd id, werving, gewicht", _v3),
    Migration(4, "projectnummers nooit hergebruikt; auditregels horen bij hun project", _v4,
              after=_v4_vacuum),
    Migration(5, "inzet per kanaal en week (uren, sessies)", _v5),
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
        restore = _sqlite_foreign_keys_off(conn)
        try:
            version, applied = _migrate(conn, target)
        finally:
            if restore:
                _pragma(conn, "PRAGMA foreign_keys = ON")
        for migration in applied:
            if migration.after is not None:
                migration.after(conn)
    return version


def _pragma(conn: sa.Connection, statement: str) -> Any:
    """A PRAGMA on the driver connection itself, outside SQLAlchemy's transaction (SQLite
    ignores `foreign_keys` inside one)."""
    driver = conn.connection.dbapi_connection
    assert driver is not None  # an open connection has its driver connection
    cursor = driver.cursor()
    try:
        return cursor.execute(statement).fetchall()
    finally:
        cursor.close()


def _sqlite_foreign_keys_off(conn: sa.Connection) -> bool:
    """Rebuilding a SQLite table drops the old one; with foreign keys on, that drop would
    cascade into every import and respondent. True when they were on (to switch back)."""
    if conn.dialect.name != "sqlite":
        return False
    was_on = bool(_pragma(conn, "PRAGMA foreign_keys")[0][0])
    if was_on:
        _pragma(conn, "PRAGMA foreign_keys = OFF")
    return was_on


def _migrate(conn: sa.Connection, target: int) -> tuple[int, list[Migration]]:
    """Apply the missing migrations in one locked transaction: (version reached, applied)."""
    with conn.begin():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(2024061801)")
        _version_table.create(conn, checkfirst=True)
        version = current_version(conn)
        applied: list[Migration] = []
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
                applied.append(migration)
        if applied and conn.dialect.name == "sqlite":
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:  # roll back the whole upgrade rather than leave loose rows
                tables = sorted({str(row[0]) for row in broken})
                raise StoreError(
                    "De database kon niet worden bijgewerkt: er zijn rijen zonder project "
                    f"in {', '.join(tables)}. Er is niets veranderd; zet een reservekopie "
                    "terug of neem contact op met uw beheerder.")
    return version, applied
