"""Session and store access for the pages: which project is open, and its durable data.

The store (store.projects.Store) holds everything durable; session state only keeps
the id of the open project. The Store object (engine + connection pool, no user data)
lives in st.cache_resource. A project's respondents are read from it once per change of
the project (st.cache_data keyed on database, project id and its change stamps).

Team isolation: pages reach a project only through `current_project()` and the
functions below, and each of them checks that the project belongs to the team of the
user (ui.auth; team "" without login). Another team's project id in session state is
simply not found.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from reference.model import BuurtReference
from store.demo import demo_reference, ensure_demo as install_demo
from store.projects import Store, StoreError
from surveys.categories import EXCLUSION_LABELS
from surveys.numbers import plural
from ui import analysis, auth
from ui.importing import FORMAT_LABELS

log = logging.getLogger("bereikwijzer.ui")
PROJECT_KEY = "project_id"


@dataclass(frozen=True)
class ProjectView:
    """What a page needs of the open project."""

    id: Any
    name: str
    is_demo: bool
    areas: tuple[str, ...] = ()
    year: int | None = None
    min_age: int = 18
    targets: dict[str, dict[str, float]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    profile_names: dict[str, str] = field(default_factory=dict)
    reference_source: str | None = None


@st.cache_resource(show_spinner=False)
def _open_store(url: str | None, data_dir: str | None) -> Store:
    """One Store per database; it holds an engine, never a user's data."""
    return Store(url, data_dir=data_dir)


@st.cache_data(ttl=6 * 3600, show_spinner=False)
def _apply_retention(url: str | None, data_dir: str | None) -> int:
    """Delete respondents past their project's term: at start and then at most every
    six hours while the server runs (the cache's ttl), so a long-running server purges too."""
    try:
        purged = _open_store(url, data_dir).purge_expired()
    except StoreError:
        log.exception("Bewaartermijn kon niet worden toegepast")
        return 0
    if purged:
        log.info("Bewaartermijn toegepast: %s", plural(len(purged), "project", "projecten"))
    return len(purged)


def _store_location() -> tuple[str | None, str | None]:
    return (os.environ.get("BEREIKWIJZER_DATABASE_URL") or None,
            os.environ.get("BEREIKWIJZER_DATA_DIR") or None)


def store() -> Store:
    """The project store of this server (store.projects.Store), retention applied."""
    location = _store_location()
    _apply_retention(*location)
    return _open_store(*location)


# --- who and which team -------------------------------------------------------------------

def team() -> str | None:
    """The team whose projects this session may use: "" without login, None when nobody
    (allowed) is logged in, so nothing is shown."""
    identity = auth.current_identity()
    return None if identity is None else identity.team


def who() -> str:
    """For the audit log: the logged-in e-mail address ("" without login)."""
    identity = auth.current_identity()
    return identity.email if identity is not None else ""


def _owned(project: ProjectView | Any) -> Any:
    """The stored project, only when it belongs to this session's team (else StoreError)."""
    wanted = team()
    if wanted is None:
        raise StoreError("U bent niet ingelogd. Log opnieuw in om verder te gaan.")
    project_id = project.id if isinstance(project, ProjectView) else project
    return store().get_project(project_id, team=wanted)


# --- projects ---------------------------------------------------------------------------

def list_projects() -> list[ProjectView]:
    """The projects of this session's team; installs the demo on a fresh store (no login)."""
    wanted = team()
    if wanted is None:
        return []
    if wanted == auth.LOCAL_TEAM:
        ensure_demo(store())
    return [_view(p) for p in store().list_projects(team=wanted)]


def ensure_demo(db: Store) -> None:
    """On a fresh install create the fictitious demo project once (store.demo)."""
    if st.session_state.get("_demo_checked"):
        return
    st.session_state["_demo_checked"] = True
    with st.spinner("Het voorbeeldproject wordt klaargezet…"):
        created = install_demo(db)
        if created is None:
            _wait_for_demo_of_another_session(db)
    if created is not None:
        st.session_state[PROJECT_KEY] = created.id


def _wait_for_demo_of_another_session(db: Store, seconds: float = 15.0) -> None:
    """A second browser session that opens while the first one is still installing the demo
    waits for it, instead of saying "Nog geen project" next to a demo that is on its way.
    Only right after the flag was set: a demo the team deleted later is not waited for."""
    import time
    from datetime import UTC, datetime

    from store.demo import DEMO_FLAG, DEMO_READY_FLAG

    set_at = db.flag_set_at(DEMO_FLAG)
    if set_at is None or (datetime.now(UTC) - set_at).total_seconds() > 120:
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and db.flag_set_at(DEMO_READY_FLAG) is None:
        time.sleep(0.25)


def current_project(projects: list[ProjectView] | None = None) -> ProjectView | None:
    """The open project of this team: the one in session state, else the team's first.
    `projects`: list_projects() of this run, when the caller has it already (one query less)."""
    projects = list_projects() if projects is None else projects
    if not projects:
        return None
    wanted = st.session_state.get(PROJECT_KEY)
    for p in projects:
        if p.id == wanted:
            return p
    st.session_state[PROJECT_KEY] = projects[0].id
    return projects[0]


def set_current(project_id: Any) -> None:
    """Open a project; ignored (with a log line) when it is not of this team."""
    if project_id not in {p.id for p in list_projects()}:
        log.warning("Project %s hoort niet bij dit team; niet geopend", project_id)
        return
    st.session_state[PROJECT_KEY] = project_id


def _view(p: Any) -> ProjectView:
    return ProjectView(id=p.id, name=p.name, is_demo=p.is_demo, areas=tuple(p.area_codes),
                       year=p.reference_year, min_age=int(p.min_age), targets=dict(p.targets),
                       settings=dict(p.settings), profile_names=dict(p.profile_names),
                       reference_source=p.reference_source)


def create_project(name: str) -> Any:
    """A new project of this session's team."""
    wanted = team()
    if wanted is None:
        raise StoreError("U bent niet ingelogd. Log opnieuw in om verder te gaan.")
    return store().create_project(name, team=wanted, who=who()).id


def rename_project(project: ProjectView, name: str) -> None:
    store().rename_project(_owned(project).id, name, who=who())


def delete_project(project: ProjectView) -> None:
    store().delete_project(_owned(project).id, who=who())
    st.session_state.pop(PROJECT_KEY, None)


def set_targets(project: ProjectView, targets: dict[str, dict[str, float]]) -> None:
    store().update_project(_owned(project).id, targets=targets, who=who())


def set_min_age(project: ProjectView, min_age: int) -> None:
    store().update_project(_owned(project).id, min_age=int(min_age), who=who())


def set_reference(project: ProjectView, ref: BuurtReference) -> None:
    """Keep the chosen reference with the project (plain numbers from CBS, no user data)."""
    settings = {**project.settings, "reference": ref.to_dict()}
    store().update_project(_owned(project).id, area_codes=[c for c, _ in ref.areas],
                           reference_year=ref.year, reference_source=ref.table,
                           min_age=ref.min_age, settings=settings, who=who())


def set_profile_names(project: ProjectView, names: dict[str, str]) -> None:
    store().update_project(_owned(project).id, profile_names=names, who=who())


def set_retention(project: ProjectView, months: int) -> None:
    """Keep the respondents `months` after the last import (1–60); audited by the store."""
    settings = {**project.settings, "retention_months": int(months)}
    store().update_project(_owned(project).id, settings=settings, who=who())


def last_import_at(project: ProjectView) -> pd.Timestamp | None:
    """When the last import of the project was made (UTC), or None without imports."""
    table = store().imports(_owned(project).id)
    return None if table.empty else pd.Timestamp(table["imported_at"].max())


def export_callback(project: ProjectView):
    """The "export everything" JSON, built only when the user clicks (the store audits it).

    Streamlit runs the callable in another thread, so the store, id and user are fixed here.
    """
    db, project_id, user = store(), _owned(project).id, who()
    return lambda: db.export_project_json(project_id, who=user)


def set_kompas_items(project: ProjectView, axes: dict[str, list[str]]) -> None:
    """The team's questions per kompas axis ({"engagement": [...], "trust": [...]})."""
    settings = {**project.settings, "kompas_items": {k: list(v) for k, v in axes.items()}}
    store().update_project(_owned(project).id, settings=settings, who=who())


def log_download(project: ProjectView, kind: str) -> None:
    """Audit a report download (a download-button callback); never blocks the download."""
    try:
        store().log_event(_owned(project).id, "report_download", who=who(), format=kind)
    except Exception:
        log.exception("Audit van download mislukt")


# --- data of the open project -----------------------------------------------------------

@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _respondents(location: tuple[str | None, str | None], project_id: Any, version: str) -> pd.DataFrame:
    """The stored respondents of one project in one database at one version (see below)."""
    return _open_store(*location).respondents(project_id)


def respondents(project: ProjectView) -> pd.DataFrame:
    """All respondents of the project (without personal data), read once per change.

    The store stamps the project's `updated_at` on every import, import removal and
    project edit, and `purged_at` when the retention period removes answers, so the pair
    identifies what the project holds. Only a session whose team owns the project gets
    here (_owned), so two sessions share a cached table only for the same project.
    """
    return _cached_respondents(_store_location(), _owned(project))


def _cached_respondents(location: tuple[str | None, str | None], owned: Any) -> pd.DataFrame:
    version = f"{owned.updated_at.isoformat()}|{owned.purged_at.isoformat() if owned.purged_at else ''}"
    frame = _respondents(location, owned.id, version)
    analysis.remember_key(frame, _respondents_key(location, owned.id, version))
    return frame


def first_project_at_start() -> tuple[ProjectView, pd.DataFrame] | None:
    """At server start (ui.warm), only without any login: retention applied, the demo
    installed on a fresh store, and the answers of the project the first page opens (the
    team's first) read into the cache, as the first visit would. With a login (also the
    stand-in login of the browser tests) nothing is read before someone is allowed in."""
    from ui.auth import TEST_LOGIN_ENV, TEST_LOGIN_VALUE, access_config

    config = access_config()
    if config.login or config.problems or os.environ.get(TEST_LOGIN_ENV) == TEST_LOGIN_VALUE:
        return None
    location = _store_location()
    _apply_retention(*location)
    db = _open_store(*location)
    install_demo(db)
    projects = db.list_projects(team=auth.LOCAL_TEAM)
    if not projects:
        return None
    return _view(projects[0]), _cached_respondents(location, projects[0])


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _respondents_key(location: tuple[str | None, str | None], project_id: Any, version: str) -> str:
    """The content hash of the respondents at this version (ui.analysis.frame_key), made
    once per version instead of on every rerun of every page."""
    return analysis.content_hash(_respondents(location, project_id, version))


def reference_from_dict(data: dict[str, Any]) -> BuurtReference:
    """Rebuild a BuurtReference from its to_dict() form (as kept in the project settings)."""
    return BuurtReference(
        areas=tuple((a["code"], a["name"]) for a in data.get("areas", [])), year=data.get("year"),
        table=data.get("table", ""), population=data.get("population"),
        eligible_population=data.get("eligible_population"), min_age=int(data.get("min_age", 18)),
        dimensions={d: dict(c) for d, c in data.get("dimensions", {}).items()},
        estimated=tuple(data.get("estimated", ())), notes=tuple(data.get("notes", ())),
        source=data.get("source", "Bron: CBS, Kerncijfers wijken en buurten"),
        units=dict(data.get("units", {})),
        assumptions=tuple(data.get("assumptions", ())),  # persons per household type/tenure
        margins={d: dict(c) for d, c in (data.get("margins") or {}).items()},
        margin_shift={d: dict(c) for d, c in (data.get("margin_shift") or {}).items()})


def reference(project: ProjectView) -> BuurtReference | None:
    """The project's buurt reference: as chosen on the Project page, or the demo's."""
    if project.settings.get("reference"):
        return reference_from_dict(project.settings["reference"])
    if project.is_demo:
        return demo_reference()
    return None


def imports(project: ProjectView) -> pd.DataFrame:
    """The project's imports as a Dutch table, with an `id` column for removal."""
    table = store().imports(_owned(project).id)
    if table.empty:
        return pd.DataFrame(columns=["id"])
    return pd.DataFrame({
        "id": table["import_id"], "Bestand": table["file_name"],
        "Herkend als": [FORMAT_LABELS.get(t, t) for t in table["tool"]],
        "Kanaal": table["channel"].astype(str).str.capitalize(), "Antwoorden bewaard": table["respondents"],
        "Al eerder gezien": table["rows_duplicate"],
        "Geïmporteerd op": table["imported_at"].dt.tz_convert("Europe/Amsterdam").dt.strftime("%d-%m-%Y %H:%M")})


def known_mapping(project: ProjectView, fingerprint: str) -> dict | None:
    """The mapping used last time for this form (same header): in this project, else in
    another project of the same team (never from another team's projects)."""
    db, owned = store(), _owned(project)
    for other in [owned.id] + [p.id for p in list_projects() if p.id != owned.id]:
        if fingerprint in set(db.imports(other)["fingerprint"]):
            return db.mapping_for_fingerprint(fingerprint, other)
    return None


def add_import(project: ProjectView, parsed: Any, roles: dict[str, str], channel: str,
               data: bytes, keys: dict[str, str] | None = None) -> Any:
    """Apply the confirmed roles and channel; store the respondents in one transaction.

    `data` is the uploaded file: the page's cache keeps only the file's columns
    (ui.upload_limits.header_only), so the answers are read again, mapped, redacted and
    matched in the bounded child, through surveys.import_file, the same path as the CLI's
    import_files (same redaction, exclusion, keys and de-duplication rule). The file's
    statements are matched to the project's known keys; `keys` are the officer's
    {column: key} corrections (over those saved with this form's last import);
    personal-looking ids are hashed with this project's salt.
    """
    from surveys.identity import id_salt
    from surveys.model import Mapping
    from ui.upload_limits import import_upload_bounded, limit_bytes

    owned = _owned(project)
    db = store()
    mapping = Mapping(fingerprint=parsed.mapping.fingerprint, roles=roles,
                      recodes=parsed.mapping.recodes, sheet=parsed.mapping.sheet, channel=channel)
    earlier = db.mapping_for_fingerprint(mapping.fingerprint, owned.id, team=owned.team) or {}
    item_keys = earlier.get("item_keys")
    saved_keys: dict = item_keys if isinstance(item_keys, dict) else {}
    keys = {**{c: k for c, k in saved_keys.items() if c in roles}, **(keys or {})}
    frame = import_upload_bounded(data, parsed.file_name,
                                  limit_bytes(st.get_option("server.maxUploadSize")), mapping,
                                  parsed.sheet, known=db.known_keys(owned.id), keys=keys,
                                  salt=id_salt(f"project:{owned.id}"),
                                  layouts=db.known_layouts(owned.id))
    saved = {**mapping.to_dict(), "item_keys": frame.attrs.get("item_keys", {}),
             "key_texts": frame.attrs.get("key_texts", {}),
             "columns": frame.attrs.get("columns", [])}
    return db.add_import(owned.id, frame, {
        "file_name": parsed.file_name, "content_hash": parsed.content_hash, "tool": parsed.format,
        "channel": channel, "mapping": saved, "rows_read": parsed.respondents, "who": who()})




def excluded_rows(project: ProjectView) -> pd.DataFrame:
    """The rows that do not count (test, preview, not approved, not a resident), one line
    per row with its file and spreadsheet row, for the officer to check and override.
    From the cached respondents; the import is found by the content hash in `source`."""
    frame = respondents(project)
    columns = ["import_id", "Bestand", "Rij", "Reden"]
    if frame.empty or "excluded" not in frame:
        return pd.DataFrame(columns=columns)
    out = frame[frame["excluded"].fillna("").astype(str) != ""]
    if out.empty:
        return pd.DataFrame(columns=columns)
    table = store().imports(_owned(project).id)
    by_hash = dict(zip(table["content_hash"].astype(str).str[:12], table["import_id"]))
    source = out["source"].astype(str).str.rsplit("#", n=1)  # "file name#content hash"
    return pd.DataFrame({
        "import_id": source.str[-1].map(by_hash).astype("Int64"), "Bestand": source.str[0],
        "Rij": pd.to_numeric(out["source_row"], errors="coerce").astype("Int64"),
        "Reden": out["excluded"].astype(str).map(lambda r: EXCLUSION_LABELS.get(r, r)),
    }, columns=columns).reset_index(drop=True)


def set_excluded(project: ProjectView, import_id: Any, reasons: dict[int, str]) -> int:
    """The officer's own verdict per source row ("" = counts; else a reason code), audited in
    the store; the cached respondents are dropped, since the version stamp stays the same."""
    changed = store().set_excluded(_owned(project).id, int(import_id),
                                   {int(r): reason for r, reason in reasons.items()}, who=who())
    _respondents.clear()
    _respondents_key.clear()  # same version stamp, other content
    return changed


def count_anyway(project: ProjectView, import_id: Any, rows: list[int]) -> int:
    """The officer's override: these rows count after all."""
    return set_excluded(project, import_id, {int(r): "" for r in rows})


def matching(project: ProjectView, parsed: Any, roles: dict[str, str],
             keys: dict[str, str] | None = None) -> list[dict]:
    """How this file's statements match the project's known keys, as plain rows
    (column, text, key, score, matched_text) for the page to show and correct."""
    from surveys import match_columns
    from surveys.model import Mapping

    owned = _owned(project)
    mapping = Mapping(fingerprint=parsed.mapping.fingerprint, roles=roles,
                      recodes=parsed.mapping.recodes, sheet=parsed.mapping.sheet)
    db = store()
    return match_columns(parsed.raw, parsed.questionnaire, mapping, db.known_keys(owned.id), keys,
                         db.known_layouts(owned.id))[1]


def known_statements(project: ProjectView) -> dict[str, str]:
    """{"item:<key>": statement text} of the statements imported into the project so far."""
    return {key: text for key, text in store().known_keys(_owned(project).id).items()
            if str(key).startswith("item:")}


def statement_texts(project: ProjectView) -> dict[str, str]:
    """{"item:<key>": full statement} for cards and names: the texts of the imported files,
    overlaid by the project's own labels (the demo sets them)."""
    return {**known_statements(project), **(project.settings.get("item_labels") or {})}


def remove_import(project: ProjectView, import_id: Any) -> int:
    return store().remove_import(_owned(project).id, int(import_id), who=who())
