"""Cached calls into the library for the pages, keyed on the content of their inputs.

st.cache_data is shared by all sessions, so every key is a content hash of the data
itself (never a project id alone): two users only ever share a result for identical data.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

if TYPE_CHECKING:  # the library is imported inside each function: a page pays only for what it uses
    from engagement.model import CellsResult, CoverageResult, ProgressResult
    from engagement.pipeline import Analysis
    from engagement.planner import Plan
    from profiles.coverage import ProfileCoverageResult
    from profiles.model import ProfileResult
    from reference.model import BuurtReference


# id(frame) → (weak reference, shape and columns, key): hashing 5,000 respondents takes
# about 25 ms, and one page run asks the key of the same frame several times.
_KEYS: dict[int, tuple[weakref.ref, tuple, str]] = {}


def _outline(frame: pd.DataFrame) -> tuple:
    return frame.shape, tuple(map(str, frame.columns))


def content_hash(frame: pd.DataFrame) -> str:
    """The content hash itself (values and column names, not the index)."""
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    digest.update(",".join(map(str, frame.columns)).encode())
    return digest.hexdigest()


def remember_key(frame: pd.DataFrame, key: str) -> None:
    """Note the content hash of this very frame object (while it lives), e.g. when the
    store's cache already knows it; frames are never changed in place after this."""
    ident = id(frame)
    _KEYS[ident] = (weakref.ref(frame, lambda _ref: _KEYS.pop(ident, None)), _outline(frame), key)


def frame_key(frame: pd.DataFrame | None) -> str:
    """A content hash of a DataFrame, for cache keys; computed once per frame object."""
    if frame is None or frame.empty:
        return "leeg"
    known = _KEYS.get(id(frame))
    if known is not None and known[0]() is frame and known[1] == _outline(frame):
        return known[2]
    key = content_hash(frame)
    remember_key(frame, key)
    return key


def reference_key(ref: BuurtReference | None) -> str:
    if ref is None:
        return "geen"
    return hashlib.sha256(json.dumps(ref.to_dict(), sort_keys=True, default=str).encode()).hexdigest()


@st.cache_data(max_entries=64, show_spinner=False)
def _coverage(resp_key: str, ref_key: str, targets_json: str, _respondents: pd.DataFrame,
              _reference: BuurtReference) -> CoverageResult:
    from engagement.coverage import compute_coverage
    return compute_coverage(_respondents, _reference, targets=json.loads(targets_json) or None)


def coverage(respondents: pd.DataFrame, reference: BuurtReference,
             targets: dict[str, dict[str, float]] | None = None) -> CoverageResult:
    """compute_coverage, cached on the content of its inputs."""
    return _coverage(frame_key(respondents), reference_key(reference),
                     json.dumps(targets or {}, sort_keys=True), respondents, reference)


@st.cache_data(max_entries=32, show_spinner=False)
def _cells(resp_key: str, ref_key: str, rows: str, cols: str, _respondents: pd.DataFrame,
           _reference: BuurtReference) -> CellsResult:
    from engagement.cells import cells_result
    return cells_result(_respondents, _reference, rows, cols)


def cells(resp: pd.DataFrame, ref: BuurtReference, rows: str, cols: str) -> CellsResult:
    """engagement.cells.cells_result, cached on the content of its inputs."""
    return _cells(frame_key(resp), reference_key(ref), rows, cols, resp, ref)


@st.cache_data(max_entries=32, show_spinner=False)
def _plan(resp_key: str, ref_key: str, _respondents: pd.DataFrame,
          _reference: BuurtReference) -> Plan | None:
    from engagement.planner import plan_fieldwork
    try:
        return plan_fieldwork(_respondents, _reference)
    except ValueError:  # an unrealistic plan: the page says there is none
        return None


def plan(resp: pd.DataFrame, ref: BuurtReference) -> Plan | None:
    """engagement.planner.plan_fieldwork (the joint plan, default goal), cached on content;
    for filtered respondents (Bereik). None when no plan can be made."""
    return _plan(frame_key(resp), reference_key(ref), resp, ref)


@st.cache_data(max_entries=32, show_spinner=False)
def _profiles(resp_key: str, method: str, axes_json: str, labels_json: str,
              _respondents: pd.DataFrame) -> tuple[ProfileResult | None, str | None]:
    from engagement.pipeline import try_profiles

    axes = json.loads(axes_json) if method == "kompas" else None
    # participation rows only (a probability sample is the yardstick, never profiled), the
    # project's full statement texts on the cards, the team's own kompas questions
    return try_profiles(_respondents, method, random_state=0, labels=json.loads(labels_json) or None,
                        axes=axes or None)


# (content hash of the frame, min_age) → its profile rows: one page run asks for them several
# times (fit, channels, buurt shares) and the same frame object keeps its cached hash
_PROFILE_ROWS: dict[tuple[str, int], pd.DataFrame] = {}


def profile_rows(resp: pd.DataFrame, min_age: int) -> pd.DataFrame:
    """engagement.pipeline.profile_rows, remembered per frame: the rows profiles are about
    (counted as on Bereik, plus a probability sample as yardstick)."""
    if resp is None or resp.empty:
        return resp
    key = (frame_key(resp), int(min_age))
    known = _PROFILE_ROWS.get(key)
    if known is not None:
        return known
    from engagement.pipeline import profile_rows as counted_rows

    rows = counted_rows(resp, int(min_age))
    if len(_PROFILE_ROWS) >= 8:  # a few projects at a time; never a growing store of frames
        _PROFILE_ROWS.pop(next(iter(_PROFILE_ROWS)))
    _PROFILE_ROWS[key] = rows
    return rows


def _axes_key(axes: dict[str, list[str]] | None) -> str:
    return json.dumps(axes or {}, sort_keys=True)


def profiles(resp: pd.DataFrame, method: str = "kompas",
             axes: dict[str, list[str]] | None = None,
             labels: dict[str, str] | None = None) -> ProfileResult | None:
    """fit_profiles, cached on the respondents' content (None when it cannot fit).
    `axes`: the project's own kompas questions ({"engagement": [...], "trust": [...]});
    `labels`: the project's item_labels (full statement texts)."""
    return _profiles(frame_key(resp), method, _axes_key(axes), json.dumps(labels or {}, sort_keys=True), resp)[0]


def profiles_problem(resp: pd.DataFrame, method: str = "kompas",
                     axes: dict[str, list[str]] | None = None,
                     labels: dict[str, str] | None = None) -> str | None:
    """Why no profiles could be made (the library's Dutch reason), or None."""
    return _profiles(frame_key(resp), method, _axes_key(axes), json.dumps(labels or {}, sort_keys=True), resp)[1]


def named(result: ProfileResult | None, names: dict[str, Any], method: str) -> ProfileResult | None:
    """The profile result with the names the team chose (kept per method in the project)."""
    chosen = names.get(method) if isinstance(names.get(method), dict) else {}
    if result is None or not chosen:
        return result
    from profiles.cards import rename_profiles
    known = {c.id for c in result.cards}
    return rename_profiles(result, {int(k): v for k, v in chosen.items() if int(k) in known and v})


@st.cache_data(max_entries=8, show_spinner=False)
def area_table(data: bytes, file_name: str) -> pd.DataFrame:
    """The areas (code, name, kind, gemeente) of a downloaded KWB file, for the search."""
    from reference.load import list_areas
    return list_areas(data, file_name)


@st.cache_data(max_entries=8, show_spinner=False)
def kwb_reference(data: bytes, file_name: str, areas: tuple[str, ...], min_age: int) -> BuurtReference:
    from reference.load import load_kwb_file
    return load_kwb_file(data, file_name, areas=list(areas), min_age=min_age)


@st.cache_data(max_entries=8, show_spinner=False)
def custom_reference(data: bytes, file_name: str, min_age: int) -> BuurtReference:
    """A team's own reference table (reference.load.load_custom_reference)."""
    from reference.load import load_custom_reference
    return load_custom_reference(data, file_name, min_age=min_age)


@st.cache_data(max_entries=32, show_spinner=False)
def _cumulative(resp_key: str, ref_key: str, targets_json: str, _respondents: pd.DataFrame,
                _reference: BuurtReference) -> ProgressResult:
    from engagement.progress import progress_result
    return progress_result(_respondents, _reference, freq="W", targets=json.loads(targets_json) or None)


def cumulative(resp: pd.DataFrame, ref: BuurtReference,
               targets: dict[str, dict[str, float]] | None = None) -> ProgressResult:
    """engagement.progress.progress_result per week, cached on content."""
    return _cumulative(frame_key(resp), reference_key(ref), json.dumps(targets or {}, sort_keys=True),
                       resp, ref)


@dataclass(frozen=True)
class ReportBundle:
    xlsx: bytes
    html: str
    summary: str
    stem: str = "bereikrapport"


@st.cache_data(max_entries=16, show_spinner=False)
def _profile_coverage(resp_key: str, ref_key: str, result_key: str, _result: ProfileResult,
                      _respondents: pd.DataFrame, _reference: BuurtReference) -> ProfileCoverageResult | None:
    from engagement.pipeline import estimate_profile_coverage_result

    return estimate_profile_coverage_result(_result, _respondents, _reference)


def profile_coverage(result: ProfileResult | None, resp: pd.DataFrame, ref: BuurtReference | None,
                     names_key: str = "") -> ProfileCoverageResult | None:
    """engagement.pipeline.estimate_profile_coverage_result, cached on content (None when it cannot)."""
    if result is None or ref is None:
        return None
    return _profile_coverage(frame_key(resp), reference_key(ref), f"{result.method}|{names_key}",
                             result, resp, ref)


@st.cache_data(max_entries=16, show_spinner=False)
def _analysis(resp_key: str, ref_key: str, targets_json: str, profiles_key: str, effort_json: str,
              _respondents: pd.DataFrame, _reference: BuurtReference,
              _profiles: ProfileResult | None) -> Analysis:
    from engagement.pipeline import analyse

    effort = pd.read_json(io.StringIO(effort_json), orient="split") if effort_json else None
    return analyse(_respondents, _reference, targets=json.loads(targets_json) or None,
                   profiles=_profiles, effort=effort)


def analysed(resp: pd.DataFrame, ref: BuurtReference, targets: dict[str, dict[str, float]],
             profile_names: dict[str, Any], axes: dict[str, list[str]] | None = None,
             labels: dict[str, str] | None = None, effort: pd.DataFrame | None = None) -> Analysis:
    """engagement.pipeline.analyse (coverage, cells, progress, kompas profiles with the
    team's names, advice), cached on content. `labels`: full statement texts (cards);
    `effort`: the project's logged hours per channel (store.effort), for the advice."""
    fitted = named(profiles(profile_rows(resp, ref.min_age), "kompas", axes, labels), profile_names, "kompas")
    return _analysis(frame_key(resp), reference_key(ref), json.dumps(targets or {}, sort_keys=True),
                     json.dumps(profile_names, sort_keys=True) + _axes_key(axes), _effort_json(effort),
                     resp, ref, fitted)


@st.cache_data(max_entries=16, show_spinner=False)
def _report_data(resp_key: str, ref_key: str, targets_json: str, names_key: str, name: str, day: str,
                 _respondents: pd.DataFrame, _reference: BuurtReference,
                 _profiles: ProfileResult | None, themes_yaml: str = "", areas_key: str = "",
                 _areas: tuple | None = None, effort_json: str = "") -> Any:
    """reports.report.build_report_data (totals only, no answers) on the cached analysis,
    with the themes of the project's own dictionary (`themes_yaml`, the Thema's page's) and
    the logged effort (`effort_json`), so the report ranks channels per hour as Aanbevelingen does."""
    from engagement.themes import counted_themes, load_themes
    from reports.report import build_report_data

    result = _analysis(resp_key, ref_key, targets_json, names_key, effort_json, _respondents, _reference,
                       _profiles)
    themes = counted_themes(_respondents, _reference.min_age,
                            load_themes(themes_yaml.encode("utf-8")) if themes_yaml else None)
    areas, geometry = _areas if _areas is not None else (None, None)
    return build_report_data(respondents=_respondents, project_name=name,
                             date=dt.date.fromisoformat(day), **result.report_arguments(), themes=themes,
                             areas=areas, areas_geometry=geometry)


@st.cache_data(max_entries=16, show_spinner=False)
def _report(resp_key: str, ref_key: str, targets_json: str, names_key: str, name: str, day: str,
            _respondents: pd.DataFrame, _reference: BuurtReference,
            _profiles: ProfileResult | None, themes_yaml: str = "", areas_key: str = "",
            _areas: tuple | None = None, effort_json: str = "") -> ReportBundle:
    from reports.html import render_html
    from reports.report import report_filename
    from reports.xlsx import workbook_bytes

    data = _report_data(resp_key, ref_key, targets_json, names_key, name, day, _respondents, _reference,
                        _profiles, themes_yaml, areas_key, _areas, effort_json)
    stem = report_filename(name, data.area, data.date, "x").removesuffix(".x")
    return ReportBundle(xlsx=workbook_bytes(data), html=render_html(data),
                        summary="\n\n".join(data.summary), stem=stem)


def _report_args(name: str, targets: dict[str, dict[str, float]], resp: pd.DataFrame, ref: BuurtReference,
                 profile_names: dict[str, Any], axes: dict[str, list[str]] | None,
                 labels: dict[str, str] | None, themes_yaml: str = "",
                 areas: tuple | None = None, effort: pd.DataFrame | None = None) -> tuple:
    fitted = named(profiles(profile_rows(resp, ref.min_age), "kompas", axes, labels), profile_names, "kompas")
    return (frame_key(resp), reference_key(ref), json.dumps(targets or {}, sort_keys=True),
            json.dumps(profile_names, sort_keys=True) + _axes_key(axes), name, dt.date.today().isoformat(),
            resp, ref, fitted, themes_yaml or "", _areas_key(areas), areas, _effort_json(effort))


def _effort_json(effort: pd.DataFrame | None) -> str:
    """The logged effort as a cache key and argument ("" when nothing was logged)."""
    return "" if effort is None or effort.empty else effort.to_json(orient="split", date_format="iso")


def _areas_key(areas: tuple | None) -> str:
    """Content key of the Buurten page's (AreasResult, BuurtGeometry | None) for the report."""
    if areas is None:
        return ""
    result, geometry = areas
    shape = "" if geometry is None else hashlib.sha256(repr(geometry.geojson).encode()).hexdigest()
    return hashlib.sha256(json.dumps(result.to_dict(), sort_keys=True, default=str).encode()).hexdigest() + shape


def report(name: str, targets: dict[str, dict[str, float]], resp: pd.DataFrame, ref: BuurtReference,
           profile_names: dict[str, Any], axes: dict[str, list[str]] | None = None,
           labels: dict[str, str] | None = None, themes_yaml: str = "",
           areas: tuple | None = None, effort: pd.DataFrame | None = None) -> ReportBundle:
    """Both report files and the summary text, built as the CLI builds them
    (engagement.pipeline.analyse → Analysis.report_arguments), cached on content and date.
    `labels`: full statement texts, so the report's cards show whole statements."""
    return _report(*_report_args(name, targets, resp, ref, profile_names, axes, labels, themes_yaml, areas,
                                 effort))


@dataclass(frozen=True)
class ReportPreview:
    """The report's summary and file name now; each file only when it is downloaded."""

    summary: str
    stem: str
    xlsx: Any  # () -> bytes, for st.download_button(data=…)
    html: Any  # () -> str


def report_preview(name: str, targets: dict[str, dict[str, float]], resp: pd.DataFrame,
                   ref: BuurtReference, profile_names: dict[str, Any],
                   axes: dict[str, list[str]] | None = None,
                   labels: dict[str, str] | None = None, themes_yaml: str = "",
                   areas: tuple | None = None, effort: pd.DataFrame | None = None) -> ReportPreview:
    """Like report(), but the Excel and HTML files are built when the user clicks download
    (st.download_button runs a callable then), so opening the Rapport page costs only the
    analysis and the summary (the two files take about 0.7 s for 5,000 respondents)."""
    from reports.html import render_html
    from reports.report import report_filename
    from reports.xlsx import workbook_bytes

    data = _report_data(*_report_args(name, targets, resp, ref, profile_names, axes, labels, themes_yaml,
                                      areas, effort))
    stem = report_filename(name, data.area, data.date, "x").removesuffix(".x")
    return ReportPreview(summary="\n\n".join(data.summary), stem=stem,
                         xlsx=lambda: workbook_bytes(data), html=lambda: render_html(data))
