"""Session and store access for the pages: which project is open, its data, cached results.

The store (engagement.store.Store) holds everything durable; session state only keeps the
id of the open project. Heavy results are cached with st.cache_data keyed on content.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from engagement.model import BuurtReference, CoverageResult

log = logging.getLogger("bereikwijzer.ui")
PROJECT_KEY = "project_id"
DEMO_NAME = "Voorbeeldwijk (fictief)"


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


@st.cache_resource(show_spinner=False)
def _open_store(url: str | None, data_dir: str) -> Any:
    """One Store (engine + sessions) per database; holds no user data itself."""
    from engagement.store import Store
    return Store(url)


def store() -> Any | None:
    """The project store, or None while engagement.store is not available."""
    try:
        import engagement.store  # noqa: F401
    except ImportError:
        return None
    return _open_store(os.environ.get("BEREIKWIJZER_DATABASE_URL"),
                       os.environ.get("BEREIKWIJZER_DATA_DIR", "data"))


def frame_key(frame: pd.DataFrame | None) -> str:
    """A content hash of a DataFrame, for cache keys."""
    if frame is None or frame.empty:
        return "leeg"
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    digest.update(",".join(map(str, frame.columns)).encode())
    return digest.hexdigest()


def reference_key(ref: BuurtReference | None) -> str:
    if ref is None:
        return "geen"
    return hashlib.sha256(json.dumps(ref.to_dict(), sort_keys=True, default=str).encode()).hexdigest()


@st.cache_data(max_entries=64, show_spinner=False)
def _coverage(resp_key: str, ref_key: str, targets_json: str, _respondents: pd.DataFrame,
              _reference: BuurtReference) -> CoverageResult:
    from engagement.coverage import compute_coverage
    targets = json.loads(targets_json) or None
    return compute_coverage(_respondents, _reference, targets=targets)


def coverage(respondents: pd.DataFrame, reference: BuurtReference,
             targets: dict[str, dict[str, float]] | None = None) -> CoverageResult:
    """compute_coverage, cached on the content of its inputs."""
    return _coverage(frame_key(respondents), reference_key(reference),
                     json.dumps(targets or {}, sort_keys=True), respondents, reference)


# --- projects ---------------------------------------------------------------------------

def list_projects() -> list[ProjectView]:
    """All projects in the store (empty without a store)."""
    db = store()
    if db is None:
        return []
    ensure_demo()
    return [_view(p) for p in db.list_projects()]


def ensure_demo() -> None:
    """On a fresh install create the fictitious demo project once."""
    db = store()
    if db is None or st.session_state.get("_demo_checked"):
        return
    st.session_state["_demo_checked"] = True
    if db.list_projects():
        return
    try:
        from engagement.demo import install_demo
    except ImportError:
        return
    with st.spinner("Het voorbeeldproject wordt klaargezet…"):
        install_demo(db)


def current_project() -> ProjectView | None:
    """The open project: the one in session state, else the first one."""
    projects = list_projects()
    if not projects:
        return None
    wanted = st.session_state.get(PROJECT_KEY)
    for p in projects:
        if p.id == wanted:
            return p
    st.session_state[PROJECT_KEY] = projects[0].id
    return projects[0]


def set_current(project_id: Any) -> None:
    st.session_state[PROJECT_KEY] = project_id


def _view(p: Any) -> ProjectView:
    settings = dict(getattr(p, "settings", None) or {})
    return ProjectView(id=p.id, name=p.name, is_demo=bool(getattr(p, "is_demo", False)),
                       areas=tuple(getattr(p, "areas", ()) or ()), year=getattr(p, "year", None),
                       min_age=int(getattr(p, "min_age", 18) or 18),
                       targets=dict(getattr(p, "targets", None) or settings.get("targets") or {}),
                       settings=settings)


def create_project(name: str) -> Any:
    return store().create_project(name)


def rename_project(project: ProjectView, name: str) -> None:
    store().rename_project(project.id, name)


def delete_project(project: ProjectView) -> None:
    store().delete_project(project.id)


def set_targets(project: ProjectView, targets: dict[str, dict[str, float]]) -> None:
    store().update_project(project.id, targets=targets)


def set_reference(project: ProjectView, ref: BuurtReference) -> None:
    store().set_reference(project.id, ref)


def profile_names(project: ProjectView) -> dict[str, str]:
    return dict(store().profile_names(project.id) or {})


def set_profile_names(project: ProjectView, names: dict[str, str]) -> None:
    store().set_profile_names(project.id, names)


def log_download(project: ProjectView, kind: str) -> None:
    """Audit a report download (a download button callback)."""
    try:
        store().log(project.id, "rapport_download", {"format": kind})
    except Exception:  # noqa: BLE001 - auditing must not block the download
        log.exception("Audit van download mislukt")


# --- data of the open project -----------------------------------------------------------

def respondents(project: ProjectView) -> pd.DataFrame:
    """All respondents of the project (without personal data)."""
    db = store()
    return db.respondents(project.id) if db is not None else pd.DataFrame()


def reference(project: ProjectView) -> BuurtReference | None:
    db = store()
    return db.reference(project.id) if db is not None else None


def imports(project: ProjectView) -> pd.DataFrame:
    """The project's imports as a Dutch table with an `id` column for removal."""
    rows = store().list_imports(project.id)
    table = pd.DataFrame([{
        "id": r.id, "Bestand": r.file_name, "Herkend als": r.tool, "Kanaal": r.channel,
        "Nieuwe antwoorden": r.rows_new, "Dubbel": r.rows_duplicate,
        "Geïmporteerd op": r.imported_at} for r in rows])
    return table if not table.empty else pd.DataFrame(columns=["id"])


def add_import(project: ProjectView, parsed: Any, roles: dict[str, str], channel: str) -> tuple[int, int]:
    """Apply the confirmed roles and channel, and store the respondents in one transaction."""
    from surveys.model import Mapping
    from surveys.respondents import to_respondents

    mapping = Mapping(fingerprint=parsed.mapping.fingerprint, roles=roles,
                      recodes=parsed.mapping.recodes, sheet=parsed.mapping.sheet, channel=channel)
    frame = to_respondents(parsed.raw, mapping, parsed.questionnaire)
    outcome = store().add_import(project.id, raw=parsed.raw, mapping=mapping, respondents=frame)
    return int(outcome.rows_new), int(outcome.rows_duplicate)


def remove_import(project: ProjectView, import_id: Any) -> None:
    store().remove_import(project.id, import_id)


# --- cached analysis --------------------------------------------------------------------

@st.cache_data(max_entries=32, show_spinner=False)
def _profiles(resp_key: str, method: str, _respondents: pd.DataFrame) -> Any:
    from profiles import fit_profiles
    try:
        return fit_profiles(_respondents, method=method, k="auto", random_state=0)
    except ValueError as error:  # too few items or answers: the page says so
        log.info("Geen profielen: %s", error)
        return None


def profiles(resp: pd.DataFrame, method: str = "kompas") -> Any:
    """fit_profiles, cached on the respondents' content."""
    return _profiles(frame_key(resp), method, resp)


@st.cache_data(max_entries=8, show_spinner=False)
def area_table(data: bytes, file_name: str) -> pd.DataFrame:
    """The areas (code, name, kind, gemeente) of a downloaded KWB file, for the search."""
    from engagement.reference import read_area_table
    return read_area_table(data, file_name)


@dataclass(frozen=True)
class ReportBundle:
    xlsx: bytes
    html: str
    summary: str


@st.cache_data(max_entries=16, show_spinner=False)
def _report(resp_key: str, ref_key: str, targets_json: str, name: str, names_json: str,
            _respondents: pd.DataFrame, _reference: BuurtReference) -> ReportBundle:
    from engagement.coverage import describe_coverage
    from engagement.report import build_html, build_xlsx
    result = _coverage(resp_key, ref_key, targets_json, _respondents, _reference)
    fitted = _profiles(resp_key, "kompas", _respondents)
    progress = cumulative(_respondents, _reference)
    kwargs = dict(coverage=result, respondents=_respondents, profiles=fitted, progress=progress,
                  project_name=name)
    return ReportBundle(xlsx=build_xlsx(**kwargs), html=build_html(**kwargs),
                        summary=describe_coverage(result))


def report(project: ProjectView, resp: pd.DataFrame, ref: BuurtReference) -> ReportBundle:
    """Both report files and the summary text, cached on content."""
    return _report(frame_key(resp), reference_key(ref), json.dumps(project.targets, sort_keys=True),
                   project.name, json.dumps(profile_names(project), sort_keys=True), resp, ref)


@st.cache_data(max_entries=32, show_spinner=False)
def _cumulative(resp_key: str, ref_key: str, _respondents: pd.DataFrame,
                _reference: BuurtReference) -> pd.DataFrame | None:
    try:
        from engagement.progress import cumulative_coverage
    except ImportError:
        return None
    return cumulative_coverage(_respondents, _reference, freq="W")


def cumulative(resp: pd.DataFrame, ref: BuurtReference) -> pd.DataFrame | None:
    """cumulative_coverage per week, cached on content (None while not available)."""
    return _cumulative(frame_key(resp), reference_key(ref), resp, ref)
