"""The project store: projects, imports with dedup, round-trips, audit, AVG duties, migrations."""
from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from test_store_support import make_frame, store_url  # noqa: F401 - fixture

from store import schema as store_schema
from store.migrations import migrate
from store.projects import Store, StoreError

META = {"file_name": "week1.xlsx", "content_hash": "h1", "tool": "ms_forms",
        "channel": "online", "mapping": {"fingerprint": "fp-forms", "roles": {"Id": "respondent_id"}},
        "who": "anne@gemeente.nl"}


@pytest.fixture
def store(store_url: str):  # noqa: F811
    s = Store(store_url)
    yield s
    s.close()


def test_round_trip_gives_an_equal_frame_and_drops_other_columns(store: Store) -> None:
    frame = make_frame(40)
    frame["email"] = "iemand@example.nl"  # not a canonical column: never stored
    project = store.create_project("Transvaal 2025", area_codes=["BU05183033"])
    result = store.add_import(project.id, frame, META)
    assert (result.new, result.duplicates, result.rows_read) == (40, 0, 40)
    assert result.dropped_columns == ("email",)
    back = store.respondents(project.id)
    pd.testing.assert_frame_equal(back, frame.drop(columns="email"))
    assert str(back["responded_at"].dtype) == "datetime64[us, Europe/Amsterdam]"
    assert pd.api.types.is_string_dtype(back["text:wens_buurt"])
    assert back["multi:gehoord_via:brief"].dtype == bool


def test_next_weeks_export_adds_only_new_respondents(store: Store) -> None:
    project = store.create_project("Voortgang")
    first = store.add_import(project.id, make_frame(50), META)
    week2 = make_frame(80, seed=1)  # ids R_00000..R_00079: 50 known, 30 new
    second = store.add_import(project.id, week2, {**META, "file_name": "week2.xlsx", "content_hash": "h2"})
    assert (first.new, second.new, second.duplicates) == (50, 30, 50)
    table = store.respondents(project.id)
    assert len(table) == 80 and table["respondent_id"].is_unique
    # the known 50 keep their first answers; the 30 new come from week 2
    pd.testing.assert_frame_equal(table.iloc[:50].reset_index(drop=True), make_frame(50))
    pd.testing.assert_frame_equal(table.iloc[50:].reset_index(drop=True),
                                  week2.iloc[50:].reset_index(drop=True))
    imports = store.imports(project.id)
    assert imports["rows_new"].tolist() == [50, 30]
    assert imports["rows_duplicate"].tolist() == [0, 50]
    assert imports["respondents"].tolist() == [50, 30]
    # another form (another fingerprint) with the same ids: other people
    other = store.add_import(project.id, make_frame(10), {**META, "content_hash": "h3",
                                                          "mapping": {"fingerprint": "fp-papier"}})
    assert other.new == 10


def test_numeric_ids_match_across_exports_and_missing_ids_never_merge(store: Store) -> None:
    project = store.create_project("Ids")
    a = pd.DataFrame({"respondent_id": [17.0, 18.0, np.nan], "gender": ["man", "vrouw", "man"]})
    b = pd.DataFrame({"respondent_id": [17, 19], "gender": ["man", "man"]})
    assert store.add_import(project.id, a, {**META, "content_hash": "a"}).new == 3
    assert store.add_import(project.id, b, {**META, "content_hash": "b"}).new == 1
    assert store.add_import(project.id, a.iloc[[2]], {**META, "content_hash": "c"}).new == 1


def test_the_same_file_twice_adds_nothing(store: Store) -> None:
    project = store.create_project("Dubbel")
    first = store.add_import(project.id, make_frame(20), META)
    again = store.add_import(project.id, make_frame(20), META)
    assert again.already_imported and again.new == 0 and again.import_id == first.import_id
    assert len(store.imports(project.id)) == 1


def test_removing_an_import_removes_its_respondents_only(store: Store) -> None:
    project = store.create_project("Verwijderen")
    keep = store.add_import(project.id, make_frame(30), META)
    drop = store.add_import(project.id, make_frame(25, start=100),
                            {**META, "file_name": "papier.xlsx", "content_hash": "h2"})
    assert store.remove_import(project.id, drop.import_id, who="anne") == 25
    pd.testing.assert_frame_equal(store.respondents(project.id), make_frame(30))
    assert store.imports(project.id)["import_id"].tolist() == [keep.import_id]
    assert store.audit(project.id)["action"].tolist()[-1] == "import_removed"
    with pytest.raises(StoreError, match="hoort niet"):
        store.remove_import(project.id, drop.import_id)


def test_a_failing_import_leaves_no_rows(store: Store) -> None:
    project = store.create_project("Fout")
    store.add_import(project.id, make_frame(10), META)
    bad = make_frame(10, start=50)
    bad["age"] = bad["age"].astype(object)
    bad.loc[5, "age"] = "vijftig"
    with pytest.raises(StoreError, match="Kolom 'age' moet een getal zijn"):
        store.add_import(project.id, bad, {**META, "content_hash": "bad"})

    def fail_on_respondents(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO RESPONDENTS"):
            raise RuntimeError("stroom uitgevallen")

    sa.event.listen(store.engine, "before_cursor_execute", fail_on_respondents)
    try:
        with pytest.raises(RuntimeError):
            store.add_import(project.id, make_frame(10, start=50), {**META, "content_hash": "x"})
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", fail_on_respondents)
    assert len(store.imports(project.id)) == 1  # the import row was rolled back too
    assert len(store.respondents(project.id)) == 10
    assert store.audit(project.id)["action"].tolist() == ["project_created", "import"]


def test_projects_create_list_rename_update_delete_per_team(store: Store) -> None:
    a = store.create_project("Zuid", team="team-zuid", area_codes=("BU05183033",),
                             reference_year=2024, reference_source="cbs", min_age=16,
                             targets={"age": {"15-25": 0.2}}, settings={"retention_months": 12})
    b = store.create_project("Noord", team="team-noord")
    assert [p.name for p in store.list_projects(team="team-zuid")] == ["Zuid"]
    assert {p.id for p in store.list_projects()} == {a.id, b.id}
    with pytest.raises(StoreError, match="bestaat niet"):
        store.get_project(a.id, team="team-noord")
    got = store.get_project(a.id, team="team-zuid")
    assert got.area_codes == ("BU05183033",) and got.min_age == 16
    assert got.targets == {"age": {"15-25": 0.2}} and got.settings["retention_months"] == 12
    assert got.created_at.tzinfo is not None
    with pytest.raises(StoreError, match="al een project met de naam"):
        store.create_project("Zuid", team="team-zuid")
    store.create_project("Zuid", team="team-noord")  # same name, other team: fine
    renamed = store.rename_project(a.id, "  Zuid   2025 ")
    assert renamed.name == "Zuid 2025" and renamed.updated_at >= got.updated_at
    updated = store.update_project(a.id, profile_names={"1": "Meebouwers"}, min_age=18)
    assert updated.profile_names == {"1": "Meebouwers"} and updated.min_age == 18
    with pytest.raises(TypeError):
        store.update_project(a.id, colour="blauw")
    store.add_import(a.id, make_frame(5), META)
    store.delete_project(a.id, who="fg@gemeente.nl")
    with pytest.raises(StoreError):
        store.get_project(a.id)
    with store.engine.connect() as conn:
        for table in ("respondents", "imports"):
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0
    assert store.audit(a.id)["action"].tolist()[-1] == "project_deleted"


def test_mapping_is_found_again_by_fingerprint(store: Store) -> None:
    p1 = store.create_project("Een")
    p2 = store.create_project("Twee")
    store.add_import(p1.id, make_frame(3), {**META, "mapping": {"fingerprint": "fp", "roles": {"A": "age"}}})
    store.add_import(p2.id, make_frame(3), {**META, "mapping": {"fingerprint": "fp", "roles": {"A": "ignore"}}})
    assert store.mapping_for_fingerprint("fp", p1.id)["roles"] == {"A": "age"}
    assert store.mapping_for_fingerprint("fp")["roles"] == {"A": "ignore"}  # latest anywhere
    assert store.mapping_for_fingerprint("fp", store.create_project("Drie").id)["roles"] == {"A": "ignore"}
    assert store.mapping_for_fingerprint("onbekend") is None


def test_reopening_the_database_keeps_everything(store_url: str) -> None:  # noqa: F811
    first = Store(store_url)
    project = first.create_project("Blijft")
    first.add_import(project.id, make_frame(12), META)
    first.close()
    second = Store(store_url)
    assert second.get_project(project.id).name == "Blijft"
    pd.testing.assert_frame_equal(second.respondents(project.id), make_frame(12))
    second.close()


def test_audit_and_logs_hold_no_answers(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Bel mij op 06-12345678, groet Jan"
    frame = make_frame(5)
    frame["text:wens_buurt"] = pd.Series([secret] * 5, dtype="str")
    frame["naam"] = "Jan Jansen"
    project = store.create_project("Privacy")
    store.add_import(project.id, frame, META)
    store.log_event(project.id, "report_download", who="anne", format="xlsx", note="x" * 500)
    store.export_project(project.id)
    store.remove_import(project.id, 1)
    audit_text = json.dumps(store.audit(project.id)["detail"].tolist())
    for planted in ("06-12345678", "Jan Jansen", "Meer bankjes"):
        assert planted not in audit_text and planted not in caplog.text
    assert "naam" in caplog.text  # the dropped column is named, its values are not
    assert len(store.audit(project.id)["detail"].iloc[2]["note"]) == 200  # details are short
    assert store.audit(project.id)["action"].tolist() == [
        "project_created", "import", "report_download", "export", "import_removed"]


def test_export_everything_is_plain_json(store: Store) -> None:
    project = store.create_project("AVG", settings={"retention_months": 6})
    store.add_import(project.id, make_frame(8), META)
    data = store.export_project(project.id, who="fg")
    text = json.dumps(data, allow_nan=False)
    assert data["project"]["name"] == "AVG" and len(data["respondents"]) == 8
    assert data["imports"][0]["mapping"]["fingerprint"] == "fp-forms"
    assert data["respondents"][0]["respondent_id"] == "R_00000"
    assert "iemand@" not in text
    assert json.loads(store.export_project_json(project.id))["format"] == "bereikwijzer-projectexport"
    assert store.audit(project.id)["action"].tolist().count("export") == 2


def test_retention_deletes_respondents_and_keeps_counts(store: Store) -> None:
    keep = store.create_project("Zonder termijn", settings={"retention_months": None})
    old = store.create_project("Met termijn", settings={"retention_months": 12})
    frame = make_frame(60)
    for p in (keep, old):
        store.add_import(p.id, frame, META)
    now = datetime.now(UTC)
    assert store.purge_expired(now + timedelta(days=300)) == {}
    assert store.purge_expired(now + timedelta(days=367)) == {old.id: 60}
    assert store.respondents(old.id).empty and len(store.respondents(keep.id)) == 60
    counts = store.aggregates(old.id)
    total = counts[counts["dimension"] == "total"].set_index("channel")["count"].to_dict()
    assert total == frame["channel"].value_counts().to_dict()
    gender = counts[counts["dimension"] == "gender"].groupby("category")["count"].sum().to_dict()
    assert gender == frame["gender"].value_counts().to_dict()
    bands = counts[counts["dimension"] == "age_band"].groupby("category")["count"].sum()
    assert bands.sum() == 60 and bands["25-45"] >= frame["age_band"].notna().sum()
    assert store.get_project(old.id).purged_at is not None
    assert store.imports(old.id)["respondents"].tolist() == [0]
    assert store.audit(old.id)["action"].tolist()[-1] == "retention_purge"
    assert store.purge_expired(now + timedelta(days=400)) == {}  # nothing left to purge


def test_empty_project_gives_the_canonical_columns(store: Store) -> None:
    table = store.respondents(store.create_project("Leeg").id)
    assert table.empty and list(table.columns) == list(store_schema.CANONICAL_COLUMNS)
    assert store.imports(store.create_project("Leeg 2").id).empty


def test_sqlite_default_location_is_the_data_dir_in_wal_mode(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path / "data"))
    store = Store()
    store.create_project("Eerste start")
    assert (tmp_path / "data" / "bereikwijzer.sqlite").exists()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 30_000
    store.close()


# -- migrations ---------------------------------------------------------------------------

def test_upgrade_from_v1_keeps_every_project(store_url: str) -> None:  # noqa: F811
    engine = sa.create_engine(store_url)
    assert migrate(engine, target=1) == 1
    frame = make_frame(6)
    stamp = datetime(2024, 1, 5, tzinfo=UTC)
    md = sa.MetaData()
    md.reflect(engine)
    assert "aggregates" not in md.tables and "purged_at" not in md.tables["projects"].c
    from store import frames as store_frames
    columns, _ = store_frames.kept_columns(frame)
    with engine.begin() as conn:  # rows as a v1 release wrote them
        pid = conn.execute(md.tables["projects"].insert().values(
            name="Oud project", team="", area_codes=["BU05183033"], reference_year=2023,
            reference_source="kwb_file", min_age=18, targets={}, settings={"a": 1},
            profile_names={}, created_at=stamp, updated_at=stamp)).inserted_primary_key[0]
        iid = conn.execute(md.tables["imports"].insert().values(
            project_id=pid, file_name="oud.xlsx", content_hash="h", tool="generic",
            channel="papier", fingerprint="fp", mapping={"fingerprint": "fp"},
            columns=store_frames.column_spec(frame, columns), rows_read=6, rows_new=6,
            rows_duplicate=0, imported_at=stamp, imported_by="")).inserted_primary_key[0]
        conn.execute(md.tables["respondents"].insert(), [
            {**row, "project_id": pid, "import_id": iid, "fingerprint": "fp", "person_key": row["respondent_id"]}
            for row in store_frames.to_rows(frame, columns)])
    engine.dispose()
    store = Store(store_url)
    assert store.schema_version == store_schema.SCHEMA_VERSION == 5
    project = store.get_project(pid)
    assert (project.name, project.reference_year, project.settings) == ("Oud project", 2023, {"a": 1})
    pd.testing.assert_frame_equal(store.respondents(pid), frame)
    assert store.add_import(pid, make_frame(8), {**META, "mapping": {"fingerprint": "fp"}}).new == 2
    store.update_project(pid, settings={"retention_months": 1})
    assert store.purge_expired(datetime.now(UTC) + timedelta(days=40)) == {pid: 8}
    store.close()


def test_migrations_build_exactly_the_current_schema(store: Store) -> None:
    md = sa.MetaData()
    md.reflect(store.engine)
    expected = {name: {c.name for c in t.columns} for name, t in store_schema.metadata.tables.items()}
    actual = {name: {c.name for c in t.columns} for name, t in md.tables.items()}
    assert actual == expected


def test_a_newer_database_is_refused_in_dutch(store: Store, store_url: str) -> None:  # noqa: F811
    with store.engine.begin() as conn:
        conn.execute(store_schema.schema_version.insert().values(
            version=99, description="toekomst", applied_at=datetime.now(UTC)))
    with pytest.raises(StoreError, match="schemaversie 99.*Werk Bereikwijzer bij"):
        Store(store_url)


def test_sql_logging_never_shows_answers(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    """Even with SQLAlchemy's own SQL and row log switched on, no answer reaches a log."""
    engine_log = logging.getLogger("sqlalchemy.engine")
    engine_log.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        frame = make_frame(3)
        frame["text:wens_buurt"] = pd.Series(["Mail piet@example.nl"] * 3, dtype="str")
        project = store.create_project("SQL-log")
        store.add_import(project.id, frame, META)
        assert len(store.respondents(project.id)) == 3
    finally:
        engine_log.setLevel(logging.WARNING)
    assert "piet@example.nl" not in caplog.text
    assert not [r for r in caplog.records if r.name.startswith("sqlalchemy.engine")
                and r.levelno < logging.WARNING]


def test_a_new_project_keeps_answers_12_months_by_default(store: Store) -> None:
    assert store.create_project("Standaard").settings["retention_months"] == 12
    assert store.create_project("Eigen", settings={"retention_months": 3}).settings == {"retention_months": 3}


def _traced(frame: pd.DataFrame, *, generated: bool = False) -> pd.DataFrame:
    """make_frame with the v3 columns an import now writes."""
    n = len(frame)
    out = frame.copy()
    out["source_row"] = pd.Series(range(2, n + 2), dtype="int64")
    out["excluded"] = pd.Series(["test" if i == 0 else "" for i in range(n)], dtype="str")
    out["id_generated"] = generated
    out["recruitment"] = pd.Series(["Flyer" if i % 2 else None for i in range(n)], dtype="str")
    out["weight"] = [1.5 if i % 3 else float("nan") for i in range(n)]
    return out


def test_new_columns_round_trip_and_excluded_rows_are_kept(store: Store) -> None:
    project = store.create_project("Herleidbaar")
    frame = _traced(make_frame(12))
    assert store.add_import(project.id, frame, META).new == 12
    back = store.respondents(project.id)
    pd.testing.assert_frame_equal(back, frame)
    assert back["excluded"].tolist()[:2] == ["test", ""]
    assert back["source_row"].dtype == "int64"


def test_generated_row_numbers_never_deduplicate(store: Store) -> None:
    """The dashboard bug: week 2 of a log without an id column lost its people."""
    project = store.create_project("Gesprekken")
    week1 = _traced(make_frame(10, prefix=""), generated=True)
    week1["respondent_id"] = [str(i + 1) for i in range(10)]
    week2 = week1.copy()
    first = store.add_import(project.id, week1, {**META, "content_hash": "log1"})
    second = store.add_import(project.id, week2, {**META, "content_hash": "log2"})
    assert (first.new, second.new, second.duplicates) == (10, 10, 0)
    again = store.add_import(project.id, week2, {**META, "content_hash": "log2"})
    assert again.already_imported and again.new == 0
    assert len(store.respondents(project.id)) == 20


def test_known_keys_come_back_for_next_week(store: Store) -> None:
    project = store.create_project("Sleutels")
    mapping = {"fingerprint": "fp", "roles": {}, "item_keys": {"Q1": "item:thuis"},
               "key_texts": {"item:thuis": "Ik voel me thuis"}}
    store.add_import(project.id, make_frame(3), {**META, "mapping": mapping})
    later = {**mapping, "key_texts": {"item:thuis": "anders gezegd", "item:veilig": "Veilig"}}
    store.add_import(project.id, make_frame(3, start=10), {**META, "content_hash": "h9",
                                                           "mapping": later})
    assert store.known_keys(project.id) == {"item:thuis": "Ik voel me thuis",
                                            "item:veilig": "Veilig"}
    assert store.known_keys(store.create_project("Leeg").id) == {}


def test_upgrade_to_v3_rekeys_generated_ids(store_url: str) -> None:  # noqa: F811
    """A v2 store kept row numbers of a file without id column as person keys; v3 marks
    them generated and keys them to their own file, so next week's log adds everyone."""
    engine = sa.create_engine(store_url)
    assert migrate(engine, target=2) == 2
    frame = make_frame(5, prefix="")
    frame["respondent_id"] = [str(i + 1) for i in range(5)]
    stamp = datetime(2024, 1, 5, tzinfo=UTC)
    md = sa.MetaData()
    md.reflect(engine)
    from store import frames as store_frames
    columns = [c for c in store_frames.kept_columns(frame)[0]]
    with engine.begin() as conn:
        pid = conn.execute(md.tables["projects"].insert().values(
            name="Log", team="", area_codes=[], reference_year=None, reference_source=None,
            min_age=18, targets={}, settings={}, profile_names={}, created_at=stamp,
            updated_at=stamp)).inserted_primary_key[0]
        for iid_hash, roles in (("logh", {"Datum": "responded_at"}), ("idh", {"Id": "respondent_id"})):
            iid = conn.execute(md.tables["imports"].insert().values(
                project_id=pid, file_name=f"{iid_hash}.xlsx", content_hash=iid_hash, tool="generic",
                channel="straatgesprek", fingerprint=iid_hash,
                mapping={"fingerprint": iid_hash, "roles": roles},
                columns=store_frames.column_spec(frame, columns), rows_read=5, rows_new=5,
                rows_duplicate=0, imported_at=stamp, imported_by="")).inserted_primary_key[0]
            conn.execute(md.tables["respondents"].insert(), [
                {**{k: v for k, v in row.items() if k in md.tables["respondents"].c or k == "answers"},
                 "project_id": pid, "import_id": iid, "fingerprint": iid_hash,
                 "person_key": row["respondent_id"]}
                for row in store_frames.to_rows(frame, columns)])
    engine.dispose()
    store = Store(store_url)
    assert store.schema_version == store_schema.SCHEMA_VERSION
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT fingerprint, person_key, id_generated, excluded "
                                    "FROM respondents ORDER BY id")).all()
    assert [r.person_key for r in rows[:5]] == [f"#logh:{i}" for i in range(1, 6)]
    assert [r.person_key for r in rows[5:]] == [str(i) for i in range(1, 6)]
    assert [bool(r.id_generated) for r in rows] == [True] * 5 + [False] * 5
    assert {r.excluded for r in rows} == {""}
    week2 = _traced(frame, generated=True)
    assert store.add_import(pid, week2, {**META, "content_hash": "log2",
                                         "mapping": {"fingerprint": "logh"}}).new == 5
    pd.testing.assert_frame_equal(store.respondents(pid).iloc[:10][list(frame.columns)],
                                  pd.concat([frame, frame], ignore_index=True))
    store.close()


def test_the_officer_overrides_an_exclusion(store: Store) -> None:
    project = store.create_project("Overrule")
    result = store.add_import(project.id, _traced(make_frame(5)), META)
    assert store.respondents(project.id)["excluded"].tolist()[0] == "test"
    assert store.set_excluded(project.id, result.import_id, {2: "", 3: "non_resident"},
                              who="anne") == 2
    assert store.respondents(project.id)["excluded"].tolist()[:3] == ["", "non_resident", ""]
    assert store.audit(project.id)["action"].tolist()[-1] == "excluded_changed"
    with pytest.raises(StoreError, match="Onbekende reden"):
        store.set_excluded(project.id, result.import_id, {2: "verhuisd"})
    with pytest.raises(StoreError, match="rijnummers"):
        store.set_excluded(project.id, result.import_id, {"rij twee": ""})


def test_the_import_result_says_what_does_not_count(store: Store) -> None:
    project = store.create_project("Uitleg")
    frame = _traced(make_frame(6))
    frame.attrs["warnings"] = ["Bestand 'week1.xlsx': 1 rij(en) tellen niet mee (1 testinvoer)."]
    result = store.add_import(project.id, frame, META)
    assert result.excluded == {"test": 1} and "tellen niet mee" in result.warnings[0]
