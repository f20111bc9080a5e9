"""The demo project: seeded respondents with a real gap, a real buurt, created once."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from engagement.coverage import compute_coverage
from store.demo import DEMO_NAME, demo_reference, demo_respondents, ensure_demo
from store.projects import Store
from store.schema import ANSWER_PREFIXES, CANONICAL_COLUMNS

CSV = "kwb2024_85984NED_odata_first10000rows.csv"


def test_demo_respondents_are_seeded_and_canonical() -> None:
    frame = demo_respondents()
    pd.testing.assert_frame_equal(frame, demo_respondents())
    assert not frame.equals(demo_respondents(seed=1))
    assert len(frame) == 300 and frame["respondent_id"].is_unique
    assert set(frame.columns) <= set(CANONICAL_COLUMNS) | {
        c for c in frame.columns if c.startswith(ANSWER_PREFIXES)}
    assert set(frame["channel"]) == {"online", "papier", "straatgesprek"}
    span = frame["responded_at"].max() - frame["responded_at"].min()
    assert pd.Timedelta(days=35) < span < pd.Timedelta(days=42)
    items = [c for c in frame.columns if c.startswith("item:")]
    assert len(items) == 8 and {"item:betrokken_buurt", "item:vertrouwen_gemeente",
                                "item:gehoord_voelen", "item:actief_buurt"} <= set(items)
    assert frame[items].stack().dropna().isin([1.0, 2.0, 3.0, 4.0, 5.0]).all()
    assert (frame.filter(like="multi:gehoord_via:").dtypes == bool).all()  # noqa: E721 - a vectorised dtype comparison
    assert pd.api.types.is_string_dtype(frame["text:wens_buurt"])
    street = frame[frame["channel"] == "straatgesprek"]
    assert street["age"].isna().all() and street["age_estimated"].all()
    assert frame.loc[frame["channel"] != "straatgesprek", "age"].between(18, 90).all()


def test_demo_under_reaches_young_adults_corporation_tenants_and_buiten_europa() -> None:
    result = compute_coverage(demo_respondents(), demo_reference())
    flagged = {(d.dimension, c.category) for d in result.dimensions for c in d.categories
               if c.flag == "under" and c.significant}
    assert {("age", "15-25"), ("tenure", "huur_corporatie"), ("origin", "buiten_europa")} <= flagged
    assert len(flagged) == 3  # and nothing else, so the demo tells one clear story


def test_demo_reference_matches_the_cbs_figures(cbs_dir: Path) -> None:
    ref = demo_reference()
    table = pd.read_csv(cbs_dir / CSV, sep=";", encoding="utf-8-sig", low_memory=False)
    row = table[table["Codering_3"].str.strip() == "BU05183033"].iloc[0]
    assert row["WijkenEnBuurten"] == "Transvaalkwartier-Midden"
    assert ref.population == row["AantalInwoners_5"] == 5005
    assert ref.dimensions["age"] == pytest.approx({"15-25": row["k_15Tot25Jaar_9"] * 0.7,
                                     "25-45": row["k_25Tot45Jaar_10"],
                                     "45-65": row["k_45Tot65Jaar_11"],
                                     "65+": row["k_65JaarOfOuder_12"]})
    assert ref.eligible_population == pytest.approx(3819.5)
    share = 3819.5 / 5010  # the age bands sum to 5,010 (CBS rounds each to 5)
    assert ref.dimensions["gender"]["man"] == pytest.approx(row["Mannen_6"] * share, abs=1e-5)
    assert ref.dimensions["origin"]["buiten_europa"] == pytest.approx(
        row["BuitenEuropa_19"] * share, abs=1e-5)
    # persons, not households (issue 13), by hand: 2,150 households × 2.35 ≥ 5,005, so
    # nobody lives in an institution; children under 18 = 985 + 3/10 × 685 = 1,190.5
    household = ref.dimensions["household"]
    assert household["eenpersoons"] == row["Eenpersoonshuishoudens_30"] == 970
    assert household["paar_zonder_kinderen"] == 2 * row["HuishoudensZonderKinderen_31"] == 790
    assert household["met_kinderen"] == pytest.approx(5005 - 970 - 790 - 1190.5)
    # tenure: dwelling shares over the known owners (25 + 43 + 31 = 99 %) × the adults
    # (inhabitants 5,005 minus the 1,190.5 children)
    assert ref.dimensions["tenure"]["huur_corporatie"] == pytest.approx(43 / 99 * 3814.5, abs=1e-5)
    assert sum(ref.dimensions["tenure"].values()) == pytest.approx(3814.5)
    assert set(ref.units.values()) == {"personen"}
    assert any("huishoudens" in a and "personen" in a for a in ref.assumptions)
    assert ref.margins["household"]["eenpersoons"] > 0
    assert "age:15-25" in ref.estimated and "2024" in ref.source


def test_demo_reference_equals_the_kwb_loader(cbs_dir: Path) -> None:
    from reference.load import load_kwb_file
    data = (cbs_dir / CSV).read_bytes()
    loaded = load_kwb_file(data, CSV, areas=["BU05183033"], min_age=18)
    ours = demo_reference()
    assert ours.dimensions == loaded.dimensions
    assert (ours.eligible_population, ours.table, ours.areas) == (
        loaded.eligible_population, loaded.table, loaded.areas)
    assert set(ours.estimated) == set(loaded.estimated) and ours.units == loaded.units
    assert ours.assumptions == loaded.assumptions and ours.margins == loaded.margins


def test_ensure_demo_creates_the_project_once(tmp_path: Path) -> None:
    store = Store(data_dir=str(tmp_path))
    project = ensure_demo(store)
    assert project is not None and project.name == DEMO_NAME and project.is_demo
    assert "fictieve" in project.settings["description"].lower()
    imports = store.imports(project.id)
    assert imports["rows_new"].sum() == 300 and len(imports) == 4
    assert imports["rows_duplicate"].tolist()[1] > 0  # the week-6 export repeats weeks 1-3
    stored = store.respondents(project.id).sort_values("respondent_id").reset_index(drop=True)
    expected = demo_respondents().sort_values("respondent_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(stored, expected)
    assert ensure_demo(store) is None  # idempotent
    store.delete_project(project.id)
    assert ensure_demo(store) is None  # removed stays removed
    assert store.list_projects() == []
    store.close()


def test_ensure_demo_leaves_an_existing_install_alone(tmp_path: Path) -> None:
    store = Store(data_dir=str(tmp_path))
    store.create_project("Echt project")
    assert ensure_demo(store) is None
    assert [p.name for p in store.list_projects()] == ["Echt project"]
    store.close()


def test_demo_plan_suggests_a_channel_mix_that_fits_the_buurt() -> None:
    """The first thing a new user sees: street conversations reach the missing groups
    better, so the plan's mix is a few hundred contacts, not more than live there; the
    corporation tenants no channel reaches yet are named as such."""
    from engagement.planner import plan_fieldwork

    respondents, reference = demo_respondents(), demo_reference()
    plan = plan_fieldwork(respondents, reference)
    room = reference.eligible_population - len(respondents)
    assert plan.total_contacts is not None and plan.total_needed <= plan.total_contacts <= room / 5
    best = {c["channel"]: c["contacts"] for c in plan.channel_totals}
    assert max(best, key=best.get) == "straatgesprek"
    assert ("tenure", "huur_corporatie") in plan.unreachable


def test_a_second_session_waits_for_the_demo_being_installed(tmp_path, monkeypatch) -> None:
    """The first session sets the demo flag and installs; a second session that opens in
    between waits for the ready flag instead of showing "Nog geen project"."""
    import threading

    from store.demo import DEMO_FLAG, DEMO_READY_FLAG
    from store.projects import Store
    from ui import state

    db = Store(data_dir=str(tmp_path))
    assert db.mark_once(DEMO_FLAG)  # session A is busy installing
    threading.Timer(1.0, lambda: db.mark_once(DEMO_READY_FLAG)).start()
    state._wait_for_demo_of_another_session(db, seconds=30)
    assert db.flag_set_at(DEMO_READY_FLAG) is not None  # it returned because the demo was ready
    db.close()


def test_no_wait_for_a_demo_made_long_ago(tmp_path, monkeypatch) -> None:
    import time
    from datetime import UTC, datetime, timedelta

    from store.demo import DEMO_FLAG
    from store.projects import Store
    from store.schema import store_flags
    from ui import state

    db = Store(data_dir=str(tmp_path))
    with db.engine.begin() as conn:
        conn.execute(store_flags.insert().values(key=DEMO_FLAG, set_at=datetime.now(UTC) - timedelta(days=3)))
    monkeypatch.setattr(time, "sleep", lambda _: (_ for _ in ()).throw(AssertionError("waited")))
    state._wait_for_demo_of_another_session(db, seconds=30)  # the team deleted it: no waiting
    db.close()
