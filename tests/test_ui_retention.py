"""AppTest of retention and AVG requests on the Project page: the 12-month default, the
setting, the date of deletion, "export everything", and the purge at server start."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_store_support import make_frame

from store.projects import Store
from store.schema import imports

APP = Path(__file__).resolve().parents[1] / "app.py"
META = {"file_name": "week1.xlsx", "content_hash": "h1", "tool": "ms_forms", "channel": "online",
        "mapping": {"fingerprint": "fp-forms", "roles": {"Id": "respondent_id"}}, "who": ""}


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    return tmp_path


def _seed(data_dir: Path, months: int, imported: datetime) -> int:
    """A project with 20 respondents imported at `imported`, made before the server starts."""
    db = Store(data_dir=str(data_dir))
    project = db.create_project("AVG-test", settings={"retention_months": months})
    db.add_import(project.id, make_frame(20), META)
    with db.engine.begin() as conn:
        conn.execute(imports.update().where(imports.c.project_id == project.id)
                     .values(imported_at=imported))
    db.close()
    return project.id


def _open(data_dir: Path, project_id: int | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if project_id is not None:
        at.session_state["project_id"] = project_id
    at.run()
    at.switch_page("ui/pages/project.py").run()
    assert not at.exception, at.exception
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def test_a_new_project_shows_the_default_term_and_can_change_it(data_dir) -> None:
    at = _open(data_dir)
    at.text_input(key="new_project_name").input("Nieuw")
    next(b for b in at.button if b.label == "Project aanmaken").click().run()
    assert not at.exception
    assert "Na een import bewaren we de antwoorden 12 maanden" in _markdown(at)
    assert at.number_input(key="retention_months").value == 12
    at.number_input(key="retention_months").set_value(6)
    next(b for b in at.button if b.label == "Bewaartermijn opslaan").click().run()
    assert not at.exception
    assert "bewaren we de antwoorden 6 maanden" in _markdown(at)
    db = Store(data_dir=str(data_dir))
    project = next(p for p in db.list_projects() if p.name == "Nieuw")
    assert project.settings["retention_months"] == 6
    assert db.audit(project.id)["action"].tolist()[-1] == "project_updated"


def test_the_page_says_when_the_answers_are_deleted(data_dir) -> None:
    pid = _seed(data_dir, 3, datetime.now(UTC).replace(hour=12) - pd.DateOffset(days=10))
    at = _open(data_dir, pid)
    last = pd.Timestamp(datetime.now(UTC).replace(hour=12) - pd.DateOffset(days=10))
    until = (last + pd.DateOffset(months=3)).tz_convert("Europe/Amsterdam").strftime("%d-%m-%Y")
    assert f"verwijderd op **{until}**: 3 maanden na de laatste import" in _markdown(at)


def test_expired_answers_are_deleted_at_server_start(data_dir) -> None:
    pid = _seed(data_dir, 1, datetime(2024, 1, 5, 12, tzinfo=UTC))
    at = _open(data_dir, pid)
    db = Store(data_dir=str(data_dir))
    assert db.respondents(pid).empty  # deleted, not only hidden
    assert db.aggregates(pid)["count"].sum() > 0  # the counts per group remain
    assert "retention_purge" in db.audit(pid)["action"].tolist()
    assert "De bewaartermijn liep af op 05-02-2024" in _markdown(at)


def test_export_everything_downloads_json_and_is_audited(data_dir) -> None:
    pid = _seed(data_dir, 12, datetime.now(UTC))
    at = _open(data_dir, pid)
    button = next(b for b in at.get("download_button") if b.label == "Alles van dit project downloaden")
    assert button.proto.deferred_file_id  # built only when clicked
    db = Store(data_dir=str(data_dir))
    assert "export" not in db.audit(pid)["action"].tolist()  # showing the page exports nothing
    from ui import state
    data = json.loads(state.export_callback(state.ProjectView(id=pid, name="AVG-test", is_demo=False))())
    assert data["format"] == "bereikwijzer-projectexport" and len(data["respondents"]) == 20
    assert db.audit(pid)["action"].tolist()[-1] == "export"


def test_delete_for_good_needs_confirmation(data_dir) -> None:
    pid = _seed(data_dir, 12, datetime.now(UTC))
    at = _open(data_dir, pid)
    delete = next(b for b in at.button if b.label == "Project verwijderen")
    assert delete.disabled
    at.checkbox(key="confirm_delete").check().run()
    next(b for b in at.button if b.label == "Project verwijderen").click().run()
    assert not at.exception
    db = Store(data_dir=str(data_dir))
    assert pid not in {p.id for p in db.list_projects()}
    assert db.audit(pid)["action"].tolist()[-1] == "project_deleted"


def test_deleted_for_good_is_gone_from_disk_and_its_id_never_returns(data_dir) -> None:
    """The running app keeps its own connection open (the WAL stays); the deleted answer
    must still be gone from the .sqlite, -wal and -shm bytes, and a new project gets a new
    id with none of the old audit lines."""
    planted = "Zeldzaamwoord Kwispeldoorn"
    pid = _seed(data_dir, 12, datetime.now(UTC))
    db = Store(data_dir=str(data_dir))
    frame = make_frame(30, start=500)
    frame["text:wens_buurt"] = pd.Series([planted] * 30, dtype="str")
    db.add_import(pid, frame, {**META, "content_hash": "h2", "who": "collega@team-a.nl"})
    at = _open(data_dir, pid)
    at.checkbox(key="confirm_delete").check().run()
    next(b for b in at.button if b.label == "Project verwijderen").click().run()
    assert not at.exception
    files = sorted(data_dir.glob("bereikwijzer.sqlite*"))
    assert any(f.name.endswith("-wal") for f in files)  # the app's connection is still open
    assert [f.name for f in files if planted.encode() in f.read_bytes()] == []
    newer = db.create_project("AVG-test", who="b@team-b.nl")
    assert newer.id > pid
    assert "collega@team-a.nl" not in json.dumps(db.export_project(newer.id))
    db.close()
