"""Issue 12, store side: a deleted project leaves nothing behind, for another team or on disk.

- Project ids are never handed out twice (SQLite AUTOINCREMENT, PostgreSQL's sequence),
  so a new project never sees a deleted project's audit lines.
- Audit lines belong to their project (foreign key, ON DELETE CASCADE) and go with it;
  one store-wide line records the deletion itself.
- Schema v4 upgrades an existing store: ids start above every id ever used, and audit
  lines (and rows) of deleted projects are removed.
- SQLite: secure_delete and a WAL checkpoint, so a deleted answer is not in the .sqlite,
  -wal or -shm bytes, also while another connection keeps the WAL open.
- Retention purge and "export everything": a planted name or text survives nowhere,
  the counts kept after the purge included.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from test_store_support import make_frame, store_url  # noqa: F401 - fixture

from store import engine as store_engine, schema as store_schema
from store.migrations import migrate
from store.projects import Store, StoreError
from store.retention import OTHER, count_table

COLLEAGUE = "p.degraaf@team-a.nl"
FAMILY_FILE = "enquete familie Verschoor.xlsx"
ANSWER = "Zeldzaamwoord Kwispeldoorn woont naast de speeltuin"
AREA = "Hoefkade 12a, fam. El Idrissi"
PERSON_ID = "Kees Jansen"
OPTION = "multi:hoe_gehoord:via buurvrouw Annegreet Pluimvogel"
PLANTED = (ANSWER, "Kwispeldoorn", AREA, "El Idrissi", PERSON_ID, "Annegreet Pluimvogel")
META = {"file_name": FAMILY_FILE, "content_hash": "h-a", "tool": "ms_forms", "channel": "online",
        "mapping": {"fingerprint": "fp", "roles": {"Id": "respondent_id"}}, "who": COLLEAGUE}


@pytest.fixture
def store(store_url: str):  # noqa: F811
    s = Store(store_url)
    yield s
    s.close()


def planted_frame(n: int = 12) -> pd.DataFrame:
    frame = make_frame(n)
    frame["text:wens_buurt"] = pd.Series([ANSWER] * n, dtype="str")
    frame["area_code"] = pd.Series([AREA] + ["BU05183033"] * (n - 1), dtype="str")
    frame.loc[0, "respondent_id"] = PERSON_ID
    frame[OPTION] = [True] + [False] * (n - 1)
    return frame


def found(text: str) -> list[str]:
    return [p for p in PLANTED if p in text]


def disk_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of the SQLite database: the .sqlite, its -wal and -shm."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("bereikwijzer.sqlite*"))}


def found_on_disk(folder: Path) -> dict[str, list[str]]:
    out = {}
    for name, data in disk_bytes(folder).items():
        hits = [p for p in PLANTED if p.encode("utf-8") in data]
        if hits:
            out[name] = hits
    return out


# -- ids and audit ---------------------------------------------------------------------------

def test_a_new_project_never_gets_a_deleted_projects_id_or_audit(store: Store) -> None:
    first = store.create_project("Team A", team="a", who=COLLEAGUE)
    highest = store.create_project("Team A 2", team="a", who=COLLEAGUE)
    store.add_import(highest.id, planted_frame(), META)
    store.log_event(highest.id, "report_download", who=COLLEAGUE, file_name=FAMILY_FILE)
    store.delete_project(highest.id, who=COLLEAGUE)  # the highest id: SQLite used to reuse it
    newcomer = store.create_project("Team B", team="b", who="b@team-b.nl")
    assert newcomer.id > highest.id > first.id
    data = json.dumps(store.export_project(newcomer.id, who="b@team-b.nl"))
    assert COLLEAGUE not in data and FAMILY_FILE not in data and found(data) == []
    assert set(store.audit(newcomer.id)["actor"]) == {"b@team-b.nl"}


def test_audit_lines_go_with_their_project_and_one_line_says_it_was_deleted(store: Store) -> None:
    keep = store.create_project("Blijft", who="x@gemeente.nl")
    gone = store.create_project("Verdwijnt", who=COLLEAGUE)
    store.add_import(gone.id, planted_frame(), META)
    store.delete_project(gone.id, who="fg@gemeente.nl")
    everything = store.audit()
    assert (everything["project_id"] == gone.id).sum() == 0
    line = everything[everything["action"] == "project_deleted"]
    assert len(line) == 1 and pd.isna(line["project_id"].iloc[0])
    assert line["detail"].iloc[0] == {"deleted_project": gone.id, "respondents": 12}
    text = everything.to_json(date_format="iso")
    assert FAMILY_FILE not in text and "Verdwijnt" not in text and COLLEAGUE not in text
    assert store.audit(gone.id)["action"].tolist() == ["project_deleted"]
    assert store.audit(keep.id)["action"].tolist() == ["project_created"]
    with pytest.raises(StoreError, match="bestaat niet"):
        store.log_event(gone.id, "report_download", who=COLLEAGUE)


def test_the_database_itself_cascades_audit_lines(store: Store) -> None:
    """Not only the store's delete: the foreign key holds for any client of the database."""
    project = store.create_project("Direct", who=COLLEAGUE)
    store.log_event(project.id, "report_download", who=COLLEAGUE)
    with store.engine.begin() as conn:
        conn.execute(store_schema.projects.delete().where(store_schema.projects.c.id == project.id))
        left = conn.execute(sa.select(sa.func.count()).select_from(store_schema.audit)
                            .where(store_schema.audit.c.project_id == project.id)).scalar()
    assert left == 0
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(store_schema.audit.insert().values(
            project_id=project.id + 100, at=datetime.now(UTC), action="x", actor="", detail={}))


def test_the_schema_has_autoincrement_and_the_foreign_key(store: Store) -> None:
    assert_v4_schema(store)


def assert_v4_schema(store: Store) -> None:
    inspector = sa.inspect(store.engine)
    assert [i["column_names"] for i in inspector.get_indexes("audit")] == [["project_id"]]
    keys = inspector.get_foreign_keys("audit")
    assert [(k["referred_table"], k["constrained_columns"], k["options"].get("ondelete"))
            for k in keys] == [("projects", ["project_id"], "CASCADE")]
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as conn:
            sql = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'projects'").scalar()
        assert "AUTOINCREMENT" in sql


def test_a_forms_mapping_is_looked_up_within_the_team_only(store: Store) -> None:
    a = store.create_project("A", team="a")
    b = store.create_project("B", team="b")
    secret = {"fingerprint": "fp", "roles": {"Id": "respondent_id"},
              "recodes": {"Woonsituatie": {"mijn man Henk en ik": "paar_zonder_kinderen"}}}
    store.add_import(a.id, make_frame(3), {**META, "mapping": secret})
    assert store.mapping_for_fingerprint("fp", b.id, team="b") is None
    assert store.mapping_for_fingerprint("fp", b.id, team="a")["recodes"] == secret["recodes"]
    assert store.mapping_for_fingerprint("fp", b.id)["recodes"]  # no login: one team


def test_nul_characters_import_alike_on_sqlite_and_postgresql(store: Store) -> None:
    """PostgreSQL refuses NUL in text: one crafted cell used to fail the whole import there."""
    frame = make_frame(4)
    frame["text:wens_buurt"] = pd.Series(["a\x00b"] * 4, dtype="str")
    frame["area_code"] = pd.Series(["BU05183033\x00"] * 4, dtype="str")
    frame["respondent_id"] = pd.Series([f"R\x00{i}" for i in range(4)], dtype="str")
    frame["text:nul\x00sleutel"] = pd.Series(["x"] * 4, dtype="str")
    project = store.create_project("Nul\x00project", team="t\x00eam")
    result = store.add_import(project.id, frame, {**META, "file_name": "week\x001.xlsx",
                                                  "who": "a\x00@b.nl"})
    assert result.new == 4
    back = store.respondents(project.id)
    assert back["text:wens_buurt"].tolist() == ["ab"] * 4
    assert back["area_code"].tolist() == ["BU05183033"] * 4
    assert back["respondent_id"].tolist() == [f"R{i}" for i in range(4)]
    assert store.get_project(project.id).name == "Nulproject"
    assert store.imports(project.id)["file_name"].tolist() == ["week1.xlsx"]
    assert store.add_import(project.id, frame, {**META, "content_hash": "again"}).new == 0


def test_odd_values_give_a_dutch_message_or_a_missing_answer_never_a_traceback(store: Store) -> None:
    project = store.create_project("Vreemde waarden")
    frame = make_frame(3)
    frame["item:betrokken_buurt"] = [float("inf"), float("-inf"), 2.0]  # JSON holds no inf
    frame["text:wens_buurt"] = pd.Series([b"caf\xc3\xa9", b"\xff", None], dtype=object)
    frame["age"] = [float("inf"), 40.0, None]
    assert store.add_import(project.id, frame, {**META, "content_hash": "odd"}).new == 3
    back = store.respondents(project.id)
    assert back["item:betrokken_buurt"].isna().tolist() == [True, True, False]
    assert back["text:wens_buurt"].iloc[0] == "café" and back["age"].isna().iloc[0]
    doubled = pd.concat([make_frame(2), make_frame(2)[["gender"]]], axis=1)
    with pytest.raises(StoreError, match="Kolom 'gender' staat meer dan één keer"):
        store.add_import(project.id, doubled, {**META, "content_hash": "dubbel"})
    huge = make_frame(2)
    huge["source_row"] = [2.0, 1e300]
    with pytest.raises(StoreError, match="'source_row' bevat een getal dat te groot is"):
        store.add_import(project.id, huge, {**META, "content_hash": "groot"})
    assert len(store.respondents(project.id)) == 3  # the refused imports left nothing


def test_hostile_arguments_get_the_same_dutch_answer_on_every_database(store: Store) -> None:
    project = store.create_project("Argumenten")
    imported = store.add_import(project.id, make_frame(3), META)
    huge = 2**70  # SQLite raised OverflowError, PostgreSQL a bare 'onverwachte fout'
    for call in (lambda: store.get_project(huge), lambda: store.delete_project(huge),
                 lambda: store.respondents(huge), lambda: store.log_event(huge, "x"),
                 lambda: store.export_project(huge), lambda: store.get_project("1; DROP"),
                 lambda: store.get_project(True), lambda: store.aggregates(-1)):
        with pytest.raises(StoreError, match="bestaat niet"):
            call()
    with pytest.raises(StoreError, match="hoort niet"):
        store.remove_import(project.id, huge)
    with pytest.raises(StoreError, match="rijnummers als hele getallen"):
        store.set_excluded(project.id, imported.import_id, {huge: "test"})
    assert store.get_project(str(project.id)).id == project.id  # "3" from a URL is fine
    bad_fields = ({"min_age": "achttien"}, {"reference_year": 20.5},
                  {"settings": {"x": float("nan")}}, {"targets": ["a"]},
                  {"settings": {"retention_months": "twaalf"}},
                  {"settings": {"retention_months": 0}})
    for bad in bad_fields:
        with pytest.raises(StoreError, match="moet een heel getal|kunnen niet worden opgeslagen"):
            store.update_project(project.id, **bad)
    with pytest.raises(StoreError, match="minimumleeftijd"):
        store.create_project("Fout", min_age="achttien")
    assert store.update_project(project.id, area_codes="BU05183033").area_codes == ("BU05183033",)
    assert store.get_project(project.id).min_age == 18  # nothing half-written


def test_one_project_with_a_bad_term_does_not_stop_the_purge(store: Store) -> None:
    """A term written by hand or an old version ('twaalf') counts as the default term, and
    the other projects are purged all the same."""
    odd = store.create_project("Raar", settings={"retention_months": 3})
    fine = store.create_project("Goed", settings={"retention_months": 3})
    for p in (odd, fine):
        store.add_import(p.id, make_frame(5), {**META, "content_hash": f"h{p.id}"})
    with store.engine.begin() as conn:
        conn.execute(store_schema.projects.update().where(store_schema.projects.c.id == odd.id)
                     .values(settings={"retention_months": "twaalf"}))
    now = datetime.now(UTC)
    assert store.purge_expired(now + timedelta(days=100)) == {fine.id: 5}
    assert store.purge_expired(now + timedelta(days=370)) == {odd.id: 5}


def test_a_database_message_that_quotes_a_value_is_logged_without_it(caplog) -> None:
    fault = sa.exc.DataError("INSERT …", {}, ValueError(
        'invalid input syntax for type integer: "Kees Jansen"\nDETAIL: Hoefkade 12a'))
    error = store_engine.translate(fault, "db")
    assert "onverwachte fout" in str(error)
    assert "databasefout" in caplog.text and found(caplog.text) == []


# -- migration of an existing store ------------------------------------------------------------

def _v3_store_with_history(url: str) -> dict[str, int]:
    """A v3 store as the old code left it: project 1 of team A deleted and its id reused by
    team B, project 3 (the highest) deleted, audit lines of both left without project, and
    (SQLite only, which had no enforced keys for other clients) an orphaned import."""
    engine = sa.create_engine(url)
    assert migrate(engine, target=3) == 3
    md = sa.MetaData()
    md.reflect(engine)
    projects, audit, imports = md.tables["projects"], md.tables["audit"], md.tables["imports"]
    stamp = datetime(2025, 3, 1, tzinfo=UTC)

    def project(pid: int, name: str) -> dict:
        return {"id": pid, "name": name, "team": "", "area_codes": [], "reference_year": None,
                "reference_source": None, "min_age": 18, "targets": {}, "settings": {},
                "profile_names": {}, "created_at": stamp, "updated_at": stamp}

    def line(pid: int, action: str, actor: str, **detail) -> dict:
        return {"project_id": pid, "at": stamp, "action": action, "actor": actor,
                "detail": detail}

    with engine.begin() as conn:
        conn.execute(projects.insert().values(project(1, "A")))
        conn.execute(audit.insert(), [line(1, "project_created", COLLEAGUE),
                                      line(1, "import", COLLEAGUE, file_name=FAMILY_FILE)])
        conn.execute(projects.delete().where(projects.c.id == 1))
        conn.execute(audit.insert().values(line(1, "project_deleted", COLLEAGUE, respondents=12)))
        conn.execute(projects.insert().values(project(1, "B")))  # the reused id
        conn.execute(audit.insert().values(line(1, "project_created", "b@team-b.nl")))
        conn.execute(projects.insert().values(project(2, "C")))
        conn.execute(audit.insert().values(line(2, "project_created", "c@team-c.nl")))
        iid = conn.execute(imports.insert().values(
            project_id=2, file_name="c.xlsx", content_hash="c", tool="generic", channel="online",
            fingerprint="fp", mapping={}, columns=[], rows_read=0, rows_new=0, rows_duplicate=0,
            imported_at=stamp, imported_by="")).inserted_primary_key[0]
        conn.execute(md.tables["aggregates"].insert(), [  # a pre-v4 purge kept an answer
            {"project_id": 2, "dimension": dim, "category": cat, "channel": channel, "count": n,
             "computed_at": stamp}
            for dim, cat, channel, n in (("area_code", AREA, "online", 1),
                                         ("area_code", "BU05183033", "online", 5),
                                         ("gender", "Kees Jansen", "online", 1),
                                         ("gender", "man", "online", 5),
                                         ("total", "total", "via Annegreet Pluimvogel", 6))])
        conn.execute(projects.insert().values(project(3, "D")))
        conn.execute(audit.insert(), [line(3, "project_created", COLLEAGUE),
                                      line(3, "export", COLLEAGUE, respondents=4)])
        conn.execute(projects.delete().where(projects.c.id == 3))
        if engine.dialect.name == "sqlite":
            conn.execute(imports.insert().values(
                project_id=3, file_name=FAMILY_FILE, content_hash="d", tool="generic",
                channel="online", fingerprint="fp", mapping={}, columns=[], rows_read=0,
                rows_new=0, rows_duplicate=0, imported_at=stamp, imported_by=""))
    engine.dispose()
    return {"import_of_c": iid}


def test_upgrade_to_v4_never_reuses_an_id_and_removes_orphaned_audit(store_url: str) -> None:  # noqa: F811
    kept = _v3_store_with_history(store_url)
    store = Store(store_url)
    try:
        assert store.schema_version == store_schema.SCHEMA_VERSION
        assert_v4_schema(store)
        # project 1 is B's now: A's lines, before B's creation, are gone
        assert store.audit(1)["actor"].tolist() == ["b@team-b.nl"]
        everything = store.audit()
        assert FAMILY_FILE not in everything.to_json(date_format="iso")
        assert (everything["project_id"] == 3).sum() == 0
        deleted = everything[everything["action"] == "project_deleted"]
        assert deleted["detail"].tolist() == [{"respondents": 12, "deleted_project": 1}]
        assert deleted["project_id"].isna().all()
        counts = store.aggregates(2)
        assert found(counts.to_json(date_format="iso")) == [] and counts["count"].sum() == 18
        by = counts.groupby(["dimension", "category", "channel"])["count"].sum().to_dict()
        assert by == {("area_code", "BU05183033", "online"): 5,
                      ("area_code", OTHER, "online"): 1, ("gender", "man", "online"): 5,
                      ("gender", OTHER, "online"): 1, ("total", "total", "anders"): 6}
        # C's import survived the table rebuild (no cascade fired); the orphan is gone
        assert store.imports(2)["import_id"].tolist() == [kept["import_of_c"]]
        with store.engine.connect() as conn:
            files = conn.exec_driver_sql("SELECT file_name FROM imports").scalars().all()
        assert files == ["c.xlsx"]
        newcomer = store.create_project("E", team="e")
        assert newcomer.id == 4  # above 3, the highest id ever used, whose project is gone
        assert store.audit(newcomer.id)["action"].tolist() == ["project_created"]
        store.delete_project(newcomer.id)
        assert store.create_project("F").id == 5
    finally:
        store.close()
    again = Store(store_url)  # a second start changes nothing
    assert again.schema_version == store_schema.SCHEMA_VERSION and {p.name for p in again.list_projects()} == {"B", "C", "F"}
    again.close()


def test_upgrade_of_an_empty_v3_store(store_url: str) -> None:  # noqa: F811
    engine = sa.create_engine(store_url)
    migrate(engine, target=3)
    engine.dispose()
    store = Store(store_url)
    assert store.schema_version == store_schema.SCHEMA_VERSION and store.create_project("Eerste").id == 1
    store.close()


def test_sqlite_upgrade_wipes_what_an_older_version_deleted(tmp_path: Path) -> None:
    """Before v4 a deletion left the answers in the file's free pages; the upgrade rewrites
    the file once (VACUUM), so they are gone from disk too."""
    url = f"sqlite+pysqlite:///{tmp_path / 'bereikwijzer.sqlite'}"
    engine = sa.create_engine(url)
    # SQLite's own default (some builds, e.g. Debian's, switch it on at compile time)
    sa.event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA secure_delete = 0"))
    migrate(engine, target=3)
    md = sa.MetaData()
    md.reflect(engine)
    stamp = datetime(2025, 3, 1, tzinfo=UTC)
    with engine.begin() as conn:
        pid = conn.execute(md.tables["projects"].insert().values(
            name="Oud", team="", area_codes=[], min_age=18, targets={}, settings={},
            profile_names={}, created_at=stamp, updated_at=stamp)).inserted_primary_key[0]
        iid = conn.execute(md.tables["imports"].insert().values(
            project_id=pid, file_name="x.xlsx", content_hash="x", tool="generic",
            channel="online", fingerprint="fp", mapping={}, columns=[], rows_read=300,
            rows_new=300, rows_duplicate=0, imported_at=stamp,
            imported_by="")).inserted_primary_key[0]
        conn.execute(md.tables["respondents"].insert(), [
            {"project_id": pid, "import_id": iid, "fingerprint": "fp", "person_key": str(i),
             "answers": {"text:wens": f"{ANSWER} {i}"}} for i in range(300)])
    with engine.begin() as conn:
        for name in ("respondents", "imports", "projects"):
            conn.execute(md.tables[name].delete())
    engine.dispose()
    assert "Kwispeldoorn" in str(found_on_disk(tmp_path))  # still in the file's free pages
    store = Store(url)
    assert store.schema_version == store_schema.SCHEMA_VERSION
    assert found_on_disk(tmp_path) == {}
    store.close()


def test_sqlite_upgrade_restores_foreign_keys_on_the_connection(tmp_path: Path) -> None:
    store = Store(f"sqlite+pysqlite:///{tmp_path / 'bereikwijzer.sqlite'}")
    with store.engine.connect() as conn:  # the pool hands back the migrating connection
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # memory
    store.close()


# -- deleted means gone from disk --------------------------------------------------------------

@pytest.fixture
def sqlite_store(tmp_path: Path):
    s = Store(data_dir=str(tmp_path))
    yield s
    s.close()


def test_planted_answer_is_on_disk_before_deleting(sqlite_store: Store, tmp_path: Path) -> None:
    """The scan below is meaningful: it finds the answer while the project exists."""
    project = sqlite_store.create_project("Proef")
    sqlite_store.add_import(project.id, planted_frame(), META)
    assert "Kwispeldoorn" in {h for hits in found_on_disk(tmp_path).values() for h in hits}


def test_deleting_a_project_leaves_no_answer_in_db_wal_or_shm(sqlite_store: Store, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "bereikwijzer.sqlite")  # another process, idle but open
    other.execute("SELECT count(*) FROM projects").fetchone()
    second = Store(data_dir=str(tmp_path))  # another server on the same folder
    try:
        keep = sqlite_store.create_project("Blijft")
        sqlite_store.add_import(keep.id, make_frame(30), {**META, "content_hash": "k"})
        project = sqlite_store.create_project("Definitief weg")
        sqlite_store.add_import(project.id, planted_frame(200), META)
        assert second.respondents(project.id)["text:wens_buurt"].iloc[0] == ANSWER
        assert (tmp_path / "bereikwijzer.sqlite-wal").exists()
        sqlite_store.delete_project(project.id)
        assert found_on_disk(tmp_path) == {}
        assert len(second.respondents(keep.id)) == 30  # the rest is intact
        assert other.execute("SELECT count(*) FROM respondents").fetchone()[0] == 30
    finally:
        other.close()
        second.close()


def test_removing_an_import_leaves_no_answer_on_disk(sqlite_store: Store, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "bereikwijzer.sqlite")
    try:
        project = sqlite_store.create_project("Import weg")
        result = sqlite_store.add_import(project.id, planted_frame(), META)
        sqlite_store.remove_import(project.id, result.import_id)
        assert found_on_disk(tmp_path) == {}
    finally:
        other.close()


def test_a_reader_that_holds_the_wal_delays_the_checkpoint_not_the_deletion(
        sqlite_store: Store, tmp_path: Path, monkeypatch, caplog) -> None:
    monkeypatch.setattr(store_engine, "CHECKPOINT_BUSY_MS", 50)
    project = sqlite_store.create_project("Lezer")
    sqlite_store.add_import(project.id, planted_frame(), META)
    reader = sqlite3.connect(tmp_path / "bereikwijzer.sqlite", isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM respondents").fetchone()[0] == 12
        sqlite_store.delete_project(project.id)  # does not wait for the reader
        assert "WAL-checkpoint" in caplog.text and ANSWER not in caplog.text
        with pytest.raises(StoreError):
            sqlite_store.get_project(project.id)
        reader.execute("COMMIT")
    finally:
        reader.close()
    assert sqlite_store._scrub() is True
    assert found_on_disk(tmp_path) == {}


# -- retention purge and "export everything" ----------------------------------------------------

def test_retention_purge_leaves_no_planted_text_anywhere(sqlite_store: Store, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "bereikwijzer.sqlite")
    try:
        project = sqlite_store.create_project("Bewaartermijn", area_codes=["BU05183033"],
                                              settings={"retention_months": 1})
        sqlite_store.add_import(project.id, planted_frame(40), META)
        assert found(json.dumps(sqlite_store.export_project(project.id))) != []  # it was there
        done = sqlite_store.purge_expired(datetime.now(UTC) + timedelta(days=40))
        assert done == {project.id: 40}
        export = json.dumps(sqlite_store.export_project(project.id), ensure_ascii=False)
        assert found(export) == []
        counts = sqlite_store.aggregates(project.id)
        assert found(counts.to_json(date_format="iso")) == []
        areas = counts[counts["dimension"] == "area_code"].groupby("category")["count"].sum()
        assert areas.to_dict() == {OTHER: 1, "BU05183033": 39}
        with sqlite_store.engine.connect() as conn:
            dump = "\n".join(str(r) for t in store_schema.metadata.sorted_tables
                             for r in conn.execute(sa.select(t)))
        assert found(dump) == []
        assert found_on_disk(tmp_path) == {}
    finally:
        other.close()


def test_a_second_purge_adds_to_the_counts_of_the_first(store: Store) -> None:
    project = store.create_project("Twee rondes", settings={"retention_months": 1})
    store.add_import(project.id, make_frame(10), {**META, "content_hash": "r1"})
    now = datetime.now(UTC)
    assert store.purge_expired(now + timedelta(days=40)) == {project.id: 10}
    store.add_import(project.id, make_frame(5, start=100), {**META, "content_hash": "r2"})
    assert store.purge_expired(now + timedelta(days=80)) == {project.id: 5}
    counts = store.aggregates(project.id)
    assert counts.loc[counts["dimension"] == "total", "count"].sum() == 15
    assert counts.loc[counts["dimension"] == "gender", "count"].sum() == 15
    assert not counts.duplicated(["dimension", "category", "channel"]).any()


def test_an_import_during_the_purge_is_not_deleted_uncounted(store: Store, monkeypatch) -> None:
    project = store.create_project("Tussendoor", settings={"retention_months": 1})
    store.add_import(project.id, make_frame(10), {**META, "content_hash": "t1"})
    read = Store.respondents

    def read_then_import(self, pid, import_ids=None):  # another session imports meanwhile
        frame = read(self, pid, import_ids)
        monkeypatch.setattr(Store, "respondents", read)
        self.add_import(pid, make_frame(4, start=50), {**META, "content_hash": "t2"})
        return frame

    monkeypatch.setattr(Store, "respondents", read_then_import)
    assert store.purge_expired(datetime.now(UTC) + timedelta(days=40)) == {}
    assert len(store.respondents(project.id)) == 14 and store.aggregates(project.id).empty


def test_counts_keep_only_categories_that_are_no_ones_words() -> None:
    frame = pd.DataFrame({
        "channel": ["online", "papier", "Jan de Vries via WhatsApp", None],
        "age_band": ["18-29", "65+", "weet ik veel, Pietje", None],
        "gender": ["man", "vrouw", "Fatima el Amrani", "wil_niet_zeggen"],
        "postcode4": ["2572", "2572 BB 12", "2572", None],
        "area_code": ["WK051830", "Transvaal-Noord", "BU05183033", "GM0518"],
        "household": ["met_kinderen", None, "eenpersoons", "mijn man Henk"],
    })
    counts = count_table(frame, area_codes=["Transvaal-Noord"])
    text = counts.to_json(date_format="iso")
    for planted in ("Jan de Vries", "Pietje", "Fatima", "2572 BB 12", "Henk"):
        assert planted not in text
    assert set(counts["channel"]) == {"online", "papier", "anders", "onbekend"}
    by = counts.groupby(["dimension", "category"])["count"].sum()
    assert by["area_code"].to_dict() == {"BU05183033": 1, "GM0518": 1, "Transvaal-Noord": 1,
                                         "WK051830": 1}
    assert by["gender"].to_dict() == {"man": 1, "vrouw": 1, OTHER: 1, "wil_niet_zeggen": 1}
    assert by["postcode4"].to_dict() == {"2572": 2, OTHER: 1, "onbekend": 1}
    assert by["age_band"].to_dict() == {"18-29": 1, "65+": 1, OTHER: 1, "onbekend": 1}
    assert by["household"].to_dict() == {"met_kinderen": 1, "eenpersoons": 1, OTHER: 1,
                                          "onbekend": 1}
    assert counts["count"].sum() == 4 * 6  # total + the five dimensions given, each row once


def test_store_logs_hold_no_planted_text(sqlite_store: Store, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    project = sqlite_store.create_project("Logs", settings={"retention_months": 1})
    sqlite_store.add_import(project.id, planted_frame(), META)
    sqlite_store.purge_expired(datetime.now(UTC) + timedelta(days=40))
    sqlite_store.delete_project(project.id)
    assert found(caplog.text) == []
