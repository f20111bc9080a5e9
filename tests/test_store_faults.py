"""Faults: a process killed mid-import, two importers at once, read-only and full disks."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from test_store_support import make_frame, store_url  # noqa: F401 - fixture

from store import engine as engine_module
from store.projects import Store, StoreError
from store.schema import SCHEMA_VERSION

TESTS = Path(__file__).resolve().parent

CHILD = textwrap.dedent("""
    import sys, time
    import sqlalchemy as sa
    sys.path.insert(0, {tests!r})
    from store.projects import Store
    from test_store_support import make_frame

    url, project_id, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "open":  # wait for the go file, then open (and so upgrade) the store
        while not __import__("os").path.exists(sys.argv[4]):
            time.sleep(0.01)
        Store(url).close()
        print("klaar", flush=True)
        raise SystemExit(0)
    store = Store(url)
    if mode == "kill":
        inserts = []

        @sa.event.listens_for(store.engine, "after_cursor_execute")
        def pause(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("INSERT INTO RESPONDENTS"):
                inserts.append(1)
                if len(inserts) == 2:  # well inside the transaction
                    print("midden", flush=True)
                    time.sleep(300)

        store.add_import(project_id, make_frame(6000, prefix="G_"),
                         {{"file_name": "groot.csv", "content_hash": "groot"}})
    else:  # "import:<name>": wait for the go file, then five imports of 300
        name = mode.split(":", 1)[1]
        go = sys.argv[4]
        while not __import__("os").path.exists(go):
            time.sleep(0.01)
        for k in range(5):
            store.add_import(project_id, make_frame(300, start=k * 300, prefix=name + "_", seed=k),
                             {{"file_name": f"{{name}}{{k}}.csv", "content_hash": f"{{name}}{{k}}",
                              "fingerprint": "gedeeld"}})
        # both processes also import the same shared export: it must land once
        store.add_import(project_id, make_frame(200, prefix="S_"),
                         {{"file_name": f"gedeeld-{{name}}.csv", "content_hash": f"gedeeld-{{name}}",
                          "fingerprint": "gedeeld"}})
    print("klaar", flush=True)
""").format(tests=str(TESTS))


def _child(tmp_path: Path, *args: str) -> subprocess.Popen:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    return subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.timeout(240)
def test_killing_the_process_mid_import_leaves_the_store_consistent(store_url: str, tmp_path: Path) -> None:  # noqa: F811
    store = Store(store_url)
    project = store.create_project("Stroomstoring")
    store.add_import(project.id, make_frame(40), {"file_name": "week1.xlsx", "content_hash": "w1"})
    store.close()
    child = _child(tmp_path, store_url, str(project.id), "kill")
    try:
        assert child.stdout.readline().strip() == "midden", child.stderr.read()
    finally:
        child.kill()
        child.wait()
    reopened = Store(store_url)
    assert reopened.imports(project.id)["file_name"].tolist() == ["week1.xlsx"]
    pd.testing.assert_frame_equal(reopened.respondents(project.id), make_frame(40))
    with reopened.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM respondents").scalar() == 40
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # the lock of the dead process is gone: the next import lands
    assert reopened.add_import(project.id, make_frame(10, start=40),
                               {"file_name": "week2.xlsx", "content_hash": "w2"}).new == 10
    reopened.close()


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_two_processes_importing_into_one_project_lose_nothing(store_url: str, tmp_path: Path) -> None:  # noqa: F811
    store = Store(store_url)
    project = store.create_project("Tegelijk")
    go = tmp_path / "go"
    children = [_child(tmp_path, store_url, str(project.id), f"import:{name}", str(go))
                for name in ("A", "B")]
    go.touch()
    for child in children:
        out, err = child.communicate(timeout=200)
        assert child.returncode == 0 and out.strip() == "klaar", err
    table = store.respondents(project.id)
    assert len(table) == 2 * 5 * 300 + 200 and table["respondent_id"].is_unique
    imports = store.imports(project.id)
    assert len(imports) == 12 and imports["rows_new"].sum() == 3200
    shared = imports[imports["file_name"].str.startswith("gedeeld")]
    assert sorted(shared["rows_new"]) == [0, 200]
    assert (store.audit(project.id)["action"] == "import").sum() == 12
    store.close()


@pytest.mark.timeout(240)
def test_two_processes_upgrading_one_store_at_once(store_url: str, tmp_path: Path) -> None:  # noqa: F811
    """Schema v4 rebuilds tables on SQLite with foreign keys off: two starters queue, one
    upgrades, nothing cascades away, and both end on the same schema."""
    from store import frames as store_frames
    from store.migrations import migrate

    engine = sa.create_engine(store_url)
    migrate(engine, target=3)
    md = sa.MetaData()
    md.reflect(engine)
    frame = make_frame(50)
    columns, _ = store_frames.kept_columns(frame)
    stamp = pd.Timestamp("2025-01-01", tz="UTC").to_pydatetime()
    with engine.begin() as conn:
        pid = conn.execute(md.tables["projects"].insert().values(
            name="Oud", team="", area_codes=[], min_age=18, targets={}, settings={},
            profile_names={}, created_at=stamp, updated_at=stamp)).inserted_primary_key[0]
        iid = conn.execute(md.tables["imports"].insert().values(
            project_id=pid, file_name="oud.xlsx", content_hash="h", tool="generic",
            channel="online", fingerprint="fp", mapping={},
            columns=store_frames.column_spec(frame, columns), rows_read=50, rows_new=50,
            rows_duplicate=0, imported_at=stamp, imported_by="")).inserted_primary_key[0]
        conn.execute(md.tables["respondents"].insert(), [
            {**row, "project_id": pid, "import_id": iid, "fingerprint": "fp",
             "person_key": row["respondent_id"], "excluded": "", "id_generated": False}
            for row in store_frames.to_rows(frame, columns)])
    engine.dispose()
    go = tmp_path / "go"
    children = [_child(tmp_path, store_url, "0", "open", str(go)) for _ in range(2)]
    go.touch()
    for child in children:
        out, err = child.communicate(timeout=200)
        assert child.returncode == 0 and out.strip() == "klaar", err
    store = Store(store_url)
    assert store.schema_version == SCHEMA_VERSION
    pd.testing.assert_frame_equal(store.respondents(pid), frame)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM schema_version").scalar() == SCHEMA_VERSION
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    assert store.create_project("Nieuw").id == pid + 1
    store.close()


@pytest.mark.timeout(240)
def test_deleting_while_another_process_imports(store_url: str, tmp_path: Path) -> None:  # noqa: F811
    """The checkpoint after a deletion waits for a writer in another process at most a few
    seconds and never fails the deletion or the import."""
    store = Store(store_url)
    busy = store.create_project("Bezig")
    go = tmp_path / "go"
    child = _child(tmp_path, store_url, str(busy.id), "import:C", str(go))
    go.touch()
    deleted = []
    for k in range(4):
        gone = store.create_project(f"Weg {k}")
        store.add_import(gone.id, make_frame(100, prefix=f"W{k}_"),
                         {"file_name": f"w{k}.csv", "content_hash": f"w{k}"})
        store.delete_project(gone.id)
        deleted.append(gone.id)
    out, err = child.communicate(timeout=200)
    assert child.returncode == 0 and out.strip() == "klaar", err
    assert len(store.respondents(busy.id)) == 5 * 300 + 200
    assert [p.id for p in store.list_projects()] == [busy.id]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM respondents").scalar() == 1700
    store.close()


def _read_only_dir() -> Path:
    base = Path(tempfile.mkdtemp(prefix="bw-alleen-lezen-"))
    base.chmod(0o755)
    folder = base / "data"
    folder.mkdir()
    return folder


def _store_error_as_ordinary_user(**kwargs: str) -> str:
    """str(StoreError) from Store(**kwargs), run as an unprivileged user when we are root.

    Root may write anywhere, so a forked child drops to `nobody` first (a fork needs no
    new interpreter, which that user could not start from /root).
    """
    def attempt() -> str:
        try:
            Store(**kwargs).close()
        except StoreError as exc:
            return str(exc)
        return "geen fout"

    if os.geteuid() != 0:
        return attempt()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.close(read_end)
            os.setgid(65534)
            os.setuid(65534)
            message = attempt()
            os.write(write_end, message.encode("utf-8"))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        message = pipe.read().decode("utf-8")
    os.waitpid(pid, 0)
    return message


def test_a_read_only_data_directory_gives_a_clear_dutch_error() -> None:
    folder = _read_only_dir()
    folder.chmod(0o555)
    message = _store_error_as_ordinary_user(data_dir=str(folder))
    assert "alleen-lezen" in message and "BEREIKWIJZER_DATA_DIR" in message
    assert not (folder / "bereikwijzer.sqlite").exists()


def test_a_read_only_existing_database_gives_the_same_message() -> None:
    folder = _read_only_dir()
    Store(data_dir=str(folder)).close()  # created writable, then locked down
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    message = _store_error_as_ordinary_user(url=f"sqlite:///{folder / 'bereikwijzer.sqlite'}")
    assert "alleen-lezen" in message, message


def test_a_data_path_that_is_a_file_gives_a_clear_dutch_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("geen map")
    with pytest.raises(StoreError, match="kan niet schrijven in de gegevensmap"):
        Store(data_dir=str(blocker))


def test_a_full_disk_rolls_back_and_says_so(tmp_path: Path) -> None:
    store = Store(data_dir=str(tmp_path))
    project = store.create_project("Vol")
    store.add_import(project.id, make_frame(20), {"file_name": "klein.csv", "content_hash": "k"})

    @sa.event.listens_for(store.engine, "connect")
    def tiny_disk(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")

    store.engine.dispose()
    with pytest.raises(StoreError, match="schijf .* is vol"):
        store.add_import(project.id, make_frame(5000, start=100), {"file_name": "groot.csv",
                                                                    "content_hash": "g"})
    sa.event.remove(store.engine, "connect", tiny_disk)
    store.engine.dispose()
    assert store.imports(project.id)["file_name"].tolist() == ["klein.csv"]
    pd.testing.assert_frame_equal(store.respondents(project.id), make_frame(20))
    store.close()


def test_a_file_that_is_not_a_database_gives_a_clear_dutch_error(tmp_path: Path) -> None:
    (tmp_path / "bereikwijzer.sqlite").write_bytes(b"dit is een spreadsheet, geen database" * 100)
    with pytest.raises(StoreError, match="beschadigd of is geen Bereikwijzer-database"):
        Store(data_dir=str(tmp_path))


class _LockedCursor:
    """A cursor whose 'PRAGMA journal_mode = WAL' fails the first `fails` times."""

    def __init__(self, fails: int, message: str = "database is locked") -> None:
        self.fails, self.message, self.calls = fails, message, 0

    def execute(self, sql: str) -> None:
        assert sql == "PRAGMA journal_mode = WAL"
        self.calls += 1
        if self.calls <= self.fails:
            raise sqlite3.OperationalError(self.message)


def test_switching_to_wal_waits_while_another_process_switches() -> None:
    """CI saw 'database is locked' at once from the WAL pragma while a second starter
    opened an old file: SQLite skips the busy handler there, so we wait ourselves."""
    cursor = _LockedCursor(fails=3)
    engine_module.enable_wal(cursor, wait_s=5)
    assert cursor.calls == 4


def test_switching_to_wal_gives_up_after_the_wait_and_on_other_errors() -> None:
    cursor = _LockedCursor(fails=10_000)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        engine_module.enable_wal(cursor, wait_s=0.2)
    assert 2 <= cursor.calls < 100
    broken = _LockedCursor(fails=1, message="disk I/O error")
    with pytest.raises(sqlite3.OperationalError, match="disk"):
        engine_module.enable_wal(broken, wait_s=5)
    assert broken.calls == 1
