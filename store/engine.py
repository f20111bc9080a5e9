"""Opening the database, write transactions, and database faults as Dutch StoreErrors.

SQLite (default): one file in the data directory, WAL mode so readers never wait for a
writer, a long busy timeout, and BEGIN IMMEDIATE for every write transaction so two
processes queue up instead of failing halfway. PostgreSQL: any SQLAlchemy URL.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, overload

import numpy as np
import sqlalchemy as sa

from store.schema import StoreError

logger = logging.getLogger(__name__)

DB_FILE = "bereikwijzer.sqlite"
BUSY_TIMEOUT_MS = 60_000


def now_utc() -> datetime:
    return datetime.now(UTC)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(f"niet op te slaan als JSON: {type(value).__name__}")


def dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False, allow_nan=False)


def resolve_url(url: str | None, data_dir: str | Path | None) -> tuple[str, str]:
    """(SQLAlchemy URL, a place name for messages) from arguments and environment."""
    url = url or os.environ.get("BEREIKWIJZER_DATABASE_URL") or None
    if url:
        parsed = sa.make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            return url, str(Path(parsed.database).parent)
        return url, parsed.render_as_string(hide_password=True)
    folder = Path(data_dir or os.environ.get("BEREIKWIJZER_DATA_DIR") or "data")
    _check_writable(folder)
    return f"sqlite+pysqlite:///{(folder / DB_FILE).resolve()}", str(folder)


def _check_writable(folder: Path) -> None:
    """Fail early, in Dutch, when the data directory cannot be created or written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".schrijftest-"):
            pass
    except OSError as exc:
        logger.warning("gegevensmap %s niet schrijfbaar: %s", folder, exc.strerror)
        raise StoreError(readonly_message(str(folder))) from None


def readonly_message(where: str) -> str:
    return (f"Bereikwijzer kan niet schrijven in de gegevensmap '{where}': de map is "
            "alleen-lezen of u heeft er geen schrijfrechten. Kies met BEREIKWIJZER_DATA_DIR "
            "een map waarin u mag schrijven, of vraag uw beheerder om schrijfrechten. "
            "Er is niets opgeslagen.")


class _NoSqlDetail(logging.Filter):
    """Drop SQLAlchemy's INFO/DEBUG records: they hold statements and result rows, and rows
    hold answers. Whatever level a host application sets, answers never reach a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


_SQL_FILTER = _NoSqlDetail()


def make_engine(url: str) -> sa.Engine:
    """An engine with our JSON rules; for SQLite also WAL, busy timeout and BEGIN IMMEDIATE."""
    # hide_parameters: answers never reach SQL logs or error texts, even at DEBUG level
    kwargs: dict[str, Any] = {"json_serializer": dumps, "future": True, "hide_parameters": True}
    is_sqlite = sa.make_url(url).get_backend_name() == "sqlite"
    if is_sqlite:
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
    else:
        kwargs["pool_pre_ping"] = True
    engine = sa.create_engine(url, **kwargs)
    for name in ("sqlalchemy.engine.Engine", "sqlalchemy.pool.impl.QueuePool"):
        if _SQL_FILTER not in logging.getLogger(name).filters:
            logging.getLogger(name).addFilter(_SQL_FILTER)
    if is_sqlite:
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


WAL_RETRY_PAUSE_S = 0.05


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # the begin hook below issues BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    enable_wal(cur)
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    # Deleted rows are overwritten with zeros instead of left in free pages, so text
    # deleted "for good" cannot be read back from the file (see checkpoint_wal).
    cur.execute("PRAGMA secure_delete = ON")
    # Sorts, temporary indexes and VACUUM's copy stay in memory, not in files under /tmp.
    cur.execute("PRAGMA temp_store = MEMORY")
    cur.close()


def enable_wal(cur: Any, wait_s: float = BUSY_TIMEOUT_MS / 1000) -> None:
    """Switch the file to WAL, waiting like busy_timeout does.

    SQLite answers "database is locked" at once, without calling the busy handler, when
    another process is switching the same file to WAL or recovering its WAL at the moment
    this one opens it (seen in CI: two starters of an old rollback-journal file). The pragma
    is idempotent, so it is simply retried until the wait is over.
    """
    deadline = time.monotonic() + wait_s
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            message = str(exc).lower()
            if ("locked" not in message and "busy" not in message) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_RETRY_PAUSE_S)


CHECKPOINT_BUSY_MS = 10_000


def checkpoint_wal(engine: sa.Engine, where: str) -> bool:
    """After deleting personal data: copy the WAL into the database file and truncate it.

    With secure_delete the file's copy of a deleted row is zeroed, but the WAL still holds
    the frames written before, for as long as any connection is open (a running server
    always has one). TRUNCATE waits for readers, at most CHECKPOINT_BUSY_MS; True when the
    WAL is empty afterwards. PostgreSQL: nothing to do here (always True).
    """
    if engine.dialect.name != "sqlite":
        return True
    with guarded(where), engine.connect() as conn:
        driver = conn.connection.dbapi_connection
        assert driver is not None  # an open connection has its driver connection
        cursor = driver.cursor()  # outside any transaction
        try:
            cursor.execute(f"PRAGMA busy_timeout = {CHECKPOINT_BUSY_MS}")
            busy, _frames, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.close()
    if busy:
        logger.warning("WAL-checkpoint na verwijderen niet gelukt: een lezer hield de database "
                       "bezet; de volgende verwijdering probeert het opnieuw")
    return not busy


def _sqlite_begin(conn: sa.Connection) -> None:
    # A deferred transaction that later writes can fail at once with "database is locked"
    # (busy_timeout does not apply to a lock upgrade in WAL mode); IMMEDIATE queues.
    write = conn.get_execution_options().get("bw_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


_QUOTED = re.compile(r'"[^"]{0,400}"|\'[^\']{0,400}\'')


def translate(exc: BaseException, where: str) -> StoreError:
    """A Dutch StoreError for a database fault; the details go to the log only."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    first = text.splitlines()[0] if text else ""
    # A server's message can quote the value it refused ('invalid input syntax for type
    # integer: "kees jansen"'): quoted parts never reach the log.
    first = _QUOTED.sub("'…'", first)[:200]
    logger.warning("databasefout (%s): %s", type(exc).__name__, first)
    if any(s in text for s in ("readonly", "read-only", "unable to open database",
                               "permission denied")):
        return StoreError(readonly_message(where))
    if "disk is full" in text or "no space left" in text or "disk full" in text:
        return StoreError(
            f"De schijf van '{where}' is vol. Maak ruimte vrij en probeer het opnieuw. "
            "Deze actie is niet opgeslagen; wat eerder was opgeslagen, is bewaard.")
    if "locked" in text or "busy" in text or "deadlock" in text:
        return StoreError(
            "De database is te lang bezet door een ander proces. Probeer het over een "
            "minuut opnieuw; er is niets opgeslagen.")
    if "foreign key" in text:
        return StoreError("Dit project bestaat niet (meer); er is niets opgeslagen. Kies een "
                          "ander project.")
    if "not a database" in text or "malformed" in text:
        return StoreError(
            f"Het databasebestand in '{where}' is beschadigd of is geen Bereikwijzer-database. "
            "Zet een reservekopie terug of kies een andere gegevensmap.")
    if isinstance(exc, sa.exc.OperationalError) or "connect" in text:
        return StoreError(
            f"Geen verbinding met de database ({where}). Controleer "
            "BEREIKWIJZER_DATABASE_URL en of de databaseserver draait.")
    return StoreError(
        f"De database gaf een onverwachte fout ({type(exc).__name__}). Er is niets "
        "opgeslagen; probeer het opnieuw.")


@contextmanager
def guarded(where: str) -> Iterator[None]:
    """Turn database and file-system faults into StoreError; StoreError passes through."""
    try:
        yield
    except StoreError:
        raise
    except (sa.exc.DBAPIError, sa.exc.SQLAlchemyError, OSError) as exc:
        raise translate(exc, where) from exc


@contextmanager
def write_tx(engine: sa.Engine, where: str) -> Iterator[sa.Connection]:
    """A write transaction: commits on success, rolls back whole on any error."""
    with guarded(where), engine.connect() as conn:
        conn.execution_options(bw_write=True)
        with conn.begin():
            yield conn


@contextmanager
def read_tx(engine: sa.Engine, where: str) -> Iterator[sa.Connection]:
    """A read transaction: one consistent snapshot."""
    with guarded(where), engine.connect() as conn, conn.begin():
        yield conn
