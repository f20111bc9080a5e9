"""Cached calls into the library for the pages, keyed on the content of their inputs.

st.cache_data is shared by all sessions, so every key is a content hash of the data
itself (never a project id alone): two users only ever share a result for identical data.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from engagement.model import BuurtReference, CoverageResult

log = logging.getLogger("bereikwijzer.ui")


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
    return compute_coverage(_respondents, _reference, targets=json.loads(targets_json) or None)


def coverage(respondents: pd.DataFrame, reference: BuurtReference,
             targets: dict[str, dict[str, float]] | None = None) -> CoverageResult:
    """compute_coverage, cached on the content of its inputs."""
    return _coverage(frame_key(respondents), reference_key(reference),
                     json.dumps(targets or {}, sort_keys=True), respondents, reference)


@st.cache_data(max_entries=32, show_spinner=False)
def _profiles(resp_key: str, method: str, _respondents: pd.DataFrame) -> Any:
    from profiles import fit_profiles
    try:
        return fit_profiles(_respondents, method=method, k="auto", random_state=0)
    except ValueError as error:  # too few items or answers: the page shows this reason
        log.info("Geen profielen: %s", error)
        return str(error)


def profiles(resp: pd.DataFrame, method: str = "kompas") -> Any:
    """fit_profiles, cached on the respondents' content (None when it cannot fit)."""
    fitted = _profiles(frame_key(resp), method, resp)
    return None if isinstance(fitted, str) else fitted


def profiles_problem(resp: pd.DataFrame, method: str = "kompas") -> str | None:
    """Why no profiles could be made (the library's Dutch reason), or None."""
    fitted = _profiles(frame_key(resp), method, resp)
    return fitted if isinstance(fitted, str) else None


def named(result: Any, names: dict[str, Any], method: str) -> Any:
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
    from engagement.reference import list_areas
    return list_areas(data, file_name)


@st.cache_data(max_entries=8, show_spinner=False)
def kwb_reference(data: bytes, file_name: str, areas: tuple[str, ...], min_age: int) -> BuurtReference:
    from engagement.reference import load_kwb_file
    return load_kwb_file(data, file_name, areas=list(areas), min_age=min_age)


@st.cache_data(max_entries=8, show_spinner=False)
def custom_reference(data: bytes, file_name: str, min_age: int) -> BuurtReference:
    """A team's own reference table (engagement.reference.load_custom_reference)."""
    from engagement.reference import load_custom_reference
    return load_custom_reference(data, file_name, min_age=min_age)


@st.cache_data(max_entries=32, show_spinner=False)
def _cumulative(resp_key: str, ref_key: str, targets_json: str, _respondents: pd.DataFrame,
                _reference: BuurtReference) -> pd.DataFrame:
    from engagement.progress import cumulative_coverage
    return cumulative_coverage(_respondents, _reference, freq="W",
                               targets=json.loads(targets_json) or None)


def cumulative(resp: pd.DataFrame, ref: BuurtReference,
               targets: dict[str, dict[str, float]] | None = None) -> pd.DataFrame:
    """cumulative_coverage per week, cached on content."""
    return _cumulative(frame_key(resp), reference_key(ref), json.dumps(targets or {}, sort_keys=True),
                       resp, ref)


@dataclass(frozen=True)
class ReportBundle:
    xlsx: bytes
    html: str
    summary: str
    stem: str = "bereikrapport"


def profile_coverage(result: Any, resp: pd.DataFrame, ref: BuurtReference | None) -> pd.DataFrame | None:
    """Profile shares in the buurt, post-stratified on the age × gender cells of the reference."""
    if result is None or ref is None or not {"age", "gender"} <= set(ref.dimensions):
        return None
    from engagement.cells import two_way_cells
    from profiles.coverage import profile_coverage as estimate

    cells = two_way_cells(resp, ref, "age", "gender")
    population = cells.rename(columns={"row": "age_band", "col": "gender"})[
        ["age_band", "gender", "population_share"]]
    return estimate(result, resp, population)


@st.cache_data(max_entries=16, show_spinner=False)
def _report(resp_key: str, ref_key: str, targets_json: str, name: str, names_key: str,
            _respondents: pd.DataFrame, _reference: BuurtReference, _profiles_result: Any) -> ReportBundle:
    from engagement.cells import two_way_cells
    from engagement.report import build_html, build_report_data, build_xlsx, report_filename
    from engagement.report_text import area_text

    result = _coverage(resp_key, ref_key, targets_json, _respondents, _reference)
    kwargs = dict(coverage=result, respondents=_respondents, profiles=_profiles_result,
                  cells=two_way_cells(_respondents, _reference, "age", "gender"),
                  progress=_cumulative(resp_key, ref_key, targets_json, _respondents, _reference),
                  profile_coverage=profile_coverage(_profiles_result, _respondents, _reference),
                  project_name=name)
    data = build_report_data(**kwargs)
    stem = report_filename(name, area_text(_reference), data.date, "x").removesuffix(".x")
    return ReportBundle(xlsx=build_xlsx(**kwargs), html=build_html(**kwargs),
                        summary="\n\n".join(data.summary), stem=stem)


def report(name: str, targets: dict, resp: pd.DataFrame, ref: BuurtReference,
           profile_result: Any, names_key: str = "") -> ReportBundle:
    """Both report files and the summary text, cached on content."""
    return _report(frame_key(resp), reference_key(ref), json.dumps(targets, sort_keys=True),
                   name, names_key, resp, ref, profile_result)
