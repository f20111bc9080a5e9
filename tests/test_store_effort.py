"""The effort log (store.effort): hours and sessions per channel and week."""
from __future__ import annotations

import json
from datetime import date

import pytest

from store.effort import week_start
from store.projects import Store, StoreError


@pytest.fixture()
def store(tmp_path):
    db = Store(data_dir=str(tmp_path))
    yield db
    db.close()


def test_week_start_is_the_monday():
    assert week_start("2024-03-10") == date(2024, 3, 4)  # a Sunday
    assert week_start(date(2024, 3, 4)) == date(2024, 3, 4)


def test_effort_is_logged_per_week_and_read_back(store):
    project = store.create_project("Transvaal")
    store.add_effort(project.id, "straatgesprek", "2024-03-06", 3.5, 2, who="tester")
    store.add_effort(project.id, "straatgesprek", "2024-03-07", 2, 1)
    store.add_effort(project.id, "online", "2024-03-12", 1)
    table = store.effort(project.id)
    assert list(table.columns) == ["id", "channel", "week_start", "hours", "sessions"]
    street = table[table["channel"] == "straatgesprek"]
    assert street["hours"].sum() == 5.5 and street["sessions"].sum() == 3
    assert set(street["week_start"]) == {date(2024, 3, 4)}
    assert table.loc[table["channel"] == "online", "week_start"].item() == date(2024, 3, 11)
    actions = store.audit(project.id)["action"].tolist()
    assert actions.count("effort_added") == 3


@pytest.mark.parametrize("channel,hours,sessions,words", [
    ("stoep", 2, 0, "Onbekend kanaal"),
    ("online", 0, 0, "tussen 0 en"),
    ("online", float("nan"), 0, "tussen 0 en"),
    ("online", 4000, 0, "tussen 0 en"),
    ("online", "veel", 0, "getal"),
    ("online", 2, -1, "keren"),
])
def test_bad_effort_gets_a_dutch_message(store, channel, hours, sessions, words):
    project = store.create_project("P")
    with pytest.raises(StoreError, match=words):
        store.add_effort(project.id, channel, "2024-03-06", hours, sessions)
    assert store.effort(project.id).empty


def test_effort_is_exported_deleted_one_by_one_and_goes_with_its_project(store):
    project = store.create_project("P")
    first = store.add_effort(project.id, "papier", "2024-03-06", 2)
    store.add_effort(project.id, "papier", "2024-03-13", 4)
    assert [row["hours"] for row in store.export_project(project.id)["effort"]] == [2.0, 4.0]
    assert store.delete_effort(project.id, first) and not store.delete_effort(project.id, first)
    assert store.effort(project.id)["hours"].tolist() == [4.0]
    other = store.create_project("Q")
    assert not store.delete_effort(other.id, int(store.effort(project.id)["id"].item()))
    store.delete_project(project.id)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM effort").scalar() == 0
    json.dumps(store.export_project(other.id))  # a project without effort exports too
