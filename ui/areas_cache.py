"""Cached calls for the Buurten page, keyed on the content of their inputs.

As in ui.analysis: st.cache_data is shared by all sessions, so every key is a content
hash (the uploaded bytes, the respondents' frame_key), never a project id alone. The
uploads (KWB file, postcode table, buurt map) are read in the bounded child after the
server's size check, like every other upload of the dashboard.
"""
from __future__ import annotations

import hashlib
import json

import pandas as pd
import streamlit as st

from engagement.areas import AreasResult, BuurtData
from reference.geo import BuurtGeometry
from reference.postcodes import PostcodeTable
from ui.analysis import frame_key
from ui.upload_limits import check_size, memory_mb, timeout_seconds

# Session key: project id → (AreasResult, BuurtGeometry | None) of the Buurten page, which the
# Rapport page adds to the report (results only; the uploads themselves are not kept).
REPORT_AREAS = "_report_areas"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@st.cache_data(max_entries=8, show_spinner=False)
def _buurt_data(digest: str, file_name: str, areas: tuple[str, ...], min_age: int,
                _data: bytes) -> BuurtData:
    from engagement.areas import load_buurten_bounded

    return load_buurten_bounded(_data, file_name, list(areas), min_age,
                                timeout=timeout_seconds(), memory_mb=memory_mb())


def buurt_data(data: bytes, file_name: str, areas: tuple[str, ...], min_age: int,
               max_bytes: int) -> BuurtData:
    """The buurten of `areas` (buurt, wijk or gemeente codes) from an uploaded KWB file."""
    check_size(data, file_name, max_bytes)
    return _buurt_data(_digest(data), file_name, tuple(areas), int(min_age), data)


@st.cache_data(max_entries=8, show_spinner=False)
def _postcodes(digest: str, file_name: str, _data: bytes) -> PostcodeTable:
    from reference.postcodes import read_postcode_table_bounded

    return read_postcode_table_bounded(_data, file_name)


def postcode_table(data: bytes, file_name: str, max_bytes: int) -> PostcodeTable:
    """The team's postcode–buurt table (columns postcode, buurtcode)."""
    check_size(data, file_name, max_bytes)
    return _postcodes(_digest(data), file_name, data)


@st.cache_data(max_entries=8, show_spinner=False)
def _geometry(digest: str, file_name: str, codes: tuple[str, ...], _data: bytes) -> BuurtGeometry:
    from reference.geo import read_buurt_geometry_bounded

    return read_buurt_geometry_bounded(_data, file_name, list(codes), timeout=timeout_seconds(),
                                       memory_mb=memory_mb())


def geometry(data: bytes, file_name: str, codes: tuple[str, ...], max_bytes: int) -> BuurtGeometry:
    """The outlines of these buurten from an uploaded CBS wijk- en buurtkaart."""
    check_size(data, file_name, max_bytes)
    return _geometry(_digest(data), file_name, tuple(sorted(codes)), data)


def _data_key(data: BuurtData) -> str:
    digest = hashlib.sha256(pd.util.hash_pandas_object(data.population, index=False).to_numpy().tobytes())
    digest.update(json.dumps([data.min_age, data.year, data.table, data.postcodes.to_dict()],
                             sort_keys=True, default=str).encode())
    return digest.hexdigest()


@st.cache_data(max_entries=16, show_spinner=False)
def _areas(resp_key: str, data_key: str, postcodes_key: str, file_areas_json: str,
           home: str | None, _respondents: pd.DataFrame, _data: BuurtData,
           _postcodes: PostcodeTable | None) -> AreasResult:
    from engagement.areas import compute_areas
    from reports.charts_areas import protect_areas

    result = compute_areas(_respondents, _data, postcodes=_postcodes,
                           file_areas=json.loads(file_areas_json) or None, home=home)
    return protect_areas(result)[0]


def areas(respondents: pd.DataFrame, data: BuurtData, postcodes: PostcodeTable | None = None,
          file_areas: dict[str, str] | None = None, home: str | None = None) -> AreasResult:
    """engagement.areas.compute_areas, protected (reports.charts_areas.protect_areas: the
    page's finding, table and map, and the report's Buurten part, show no small count and
    nothing it could be worked out from), cached on the content of its inputs. `home`:
    the buurt of a one-buurt project, where everyone not placed elsewhere counts."""
    postcodes_key = "geen" if postcodes is None else hashlib.sha256(
        json.dumps(postcodes.to_dict(), sort_keys=True).encode()).hexdigest()
    return _areas(frame_key(respondents), _data_key(data), postcodes_key,
                  json.dumps(file_areas or {}, sort_keys=True), home, respondents, data, postcodes)


@st.cache_data(max_entries=16, show_spinner=False)
def _map(result_key: str, geometry_key: str, group: tuple[str, str] | None, _result: AreasResult,
         _geometry: BuurtGeometry):
    from reports.charts_areas import areas_map

    return areas_map(_result, _geometry, group)


def map_figure(result: AreasResult, geometry: BuurtGeometry, group: tuple[str, str] | None):
    """reports.charts_areas.areas_map, cached: building 150 outlines costs plotly's
    validation a few tenths of a second on every rerun otherwise."""
    result_key = hashlib.sha256(json.dumps(result.to_dict(), sort_keys=True, default=str).encode()).hexdigest()
    geometry_key = hashlib.sha256(json.dumps(geometry.geojson, sort_keys=True).encode()).hexdigest()
    return _map(result_key, geometry_key, (str(group[0]), str(group[1])) if group else None, result, geometry)
