"""The CBS wijk- en buurtkaart: buurt outlines for a map that works offline.

CBS publishes the map every year as a GeoPackage (layers `gemeenten`, `wijken`,
`buurten`; older years `cbs_buurten_2019` …) and PDOK serves it as GeoJSON. Column
names vary by year: `buurtcode` / `BU_CODE` / `statcode` for the code and `buurtnaam` /
`BU_NAAM` / `statnaam` for the name. The coordinates are in RD New (EPSG:28992);
plotly needs WGS84 (EPSG:4326), so the outlines are reprojected, simplified (about ten
metres, invisible at buurt scale) and rounded, which keeps a gemeente's map small.

Only the buurten of the project are read (an OGR `where` on the code column), so the
national file (hundreds of MB) does not have to fit in memory. pyogrio and geopandas
are imported only when a map is read. Errors are Dutch ReferenceErrors naming the file.
"""
from __future__ import annotations

import logging
import re
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from reference.build import ReferenceDataError

logger = logging.getLogger(__name__)

__all__ = ["BuurtGeometry", "read_buurt_geometry", "read_buurt_geometry_bounded", "choose_layer"]

CODE_COLUMNS = ("buurtcode", "bu_code", "statcode", "code")
NAME_COLUMNS = ("buurtnaam", "bu_naam", "statnaam", "naam", "name")
LAYER_NAMES = re.compile(r"^(cbs_)?buurt(en)?(_?\d{4})?(_v\d+)?$", re.I)
BUURT_CODE = re.compile(r"^BU[0-9A-Z]{8}$")
SIMPLIFY_METRES = 10.0           # tolerance in a projected CRS: below a pixel of a gemeente map
SIMPLIFY_DEGREES = 0.0001        # the same (about 10 m) when the file is already in degrees
DECIMALS = 5                     # 5 decimals of a degree ≈ 1 m
MAX_GEO_BYTES = 1024 * 1024 * 1024
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BuurtGeometry:
    """Buurt outlines as a GeoJSON FeatureCollection in EPSG:4326; `id` of a feature is
    the buurtcode, its properties `code` and `name`. `missing` are asked codes not found."""

    geojson: dict[str, Any]
    file_name: str
    layer: str
    code_column: str
    missing: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f["id"] for f in self.geojson.get("features", []))

    def subset(self, codes: Iterable[str]) -> BuurtGeometry:
        """Only the features of these codes (the map of one project or selection)."""
        wanted = set(codes)
        features = [f for f in self.geojson.get("features", []) if f["id"] in wanted]
        return BuurtGeometry({"type": "FeatureCollection", "features": features}, self.file_name,
                             self.layer, self.code_column,
                             tuple(sorted(wanted - {f["id"] for f in features})))

    def to_dict(self) -> dict[str, Any]:
        return {"geojson": self.geojson, "file_name": self.file_name, "layer": self.layer,
                "code_column": self.code_column, "missing": list(self.missing)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BuurtGeometry:
        return cls(geojson=data["geojson"], file_name=data["file_name"], layer=data["layer"],
                   code_column=data["code_column"], missing=tuple(data.get("missing", ())))


def _kind(data: bytes, file_name: str) -> str:
    """'gpkg' or 'geojson' from the content (the name may lie); else a Dutch error."""
    if data.startswith(SQLITE_MAGIC):
        return "gpkg"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "geojson"
    raise ReferenceDataError(f"Bestand '{file_name}' is geen buurtkaart: verwacht de CBS wijk- en "
                         "buurtkaart als GeoPackage (.gpkg) of GeoJSON (.geojson/.json).")


def choose_layer(layers: list[str], file_name: str) -> str:
    """The buurt layer: 'buurten', 'cbs_buurten_2019', … ; the only layer otherwise."""
    for name in layers:
        if LAYER_NAMES.match(name.strip()):
            return name
    for name in layers:
        if "buurt" in name.lower():
            return name
    if len(layers) == 1:
        return layers[0]
    raise ReferenceDataError(f"In '{file_name}' vinden we geen laag met buurten. Lagen: "
                         f"{', '.join(layers) or 'geen'}. Gebruik de CBS wijk- en buurtkaart "
                         "(laag 'buurten').")


def _column(fields: list[str], wanted: tuple[str, ...]) -> str | None:
    lower = {f.lower(): f for f in fields}
    return next((lower[name] for name in wanted if name in lower), None)


def _open_error(file_name: str, error: Exception) -> ReferenceDataError:
    logger.info("buurtkaart %s niet leesbaar: %s", file_name, type(error).__name__)
    return ReferenceDataError(f"Bestand '{file_name}' kan niet als buurtkaart gelezen worden. Is het "
                          "de CBS wijk- en buurtkaart als GeoPackage of GeoJSON, en niet beschadigd?")


def _read(path: str, file_name: str, codes: list[str] | None) -> tuple[Any, str, str, str | None]:
    import pyogrio

    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception as error:  # GDAL raises its own types for every broken file
        raise _open_error(file_name, error) from error
    layer = choose_layer(layers, file_name)
    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception as error:
        raise _open_error(file_name, error) from error
    fields = [str(f) for f in info["fields"]]
    code = _column(fields, CODE_COLUMNS)
    if code is None:
        raise ReferenceDataError(f"Laag '{layer}' in '{file_name}' heeft geen kolom met de buurtcode "
                             f"(buurtcode, BU_CODE of statcode). Gevonden: {', '.join(fields) or 'geen'}.")
    name = _column(fields, NAME_COLUMNS)
    where = None
    if codes:
        where = f"{code} IN ({', '.join(repr(c) for c in codes)})"
    try:
        frame = pyogrio.read_dataframe(path, layer=layer, columns=[c for c in (code, name) if c],
                                       where=where)
    except Exception as error:
        raise _open_error(file_name, error) from error
    return frame, layer, code, name


def _simplified(frame: Any) -> Any:
    """Reproject to EPSG:4326, simplify a few metres and round to about a metre."""
    import numpy as np
    import shapely

    crs = frame.crs
    if crs is not None and not crs.is_geographic:
        frame = frame.set_geometry(frame.geometry.simplify(SIMPLIFY_METRES, preserve_topology=True))
        frame = frame.to_crs(4326)
    else:
        if crs is None:
            logger.info("buurtkaart zonder CRS: we nemen EPSG:4326 aan")
        elif crs.to_epsg() != 4326:
            frame = frame.to_crs(4326)
        frame = frame.set_geometry(frame.geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True))
    rounded = shapely.transform(frame.geometry.to_numpy(), lambda xy: np.round(xy, DECIMALS))
    # d3-geo (plotly's map) reads a counter-clockwise ring on the sphere as "everything but
    # this buurt" and then draws nothing: exterior rings clockwise, holes counter-clockwise
    oriented = shapely.orient_polygons(rounded, exterior_cw=True)
    return frame.set_geometry(oriented, crs=4326)


def read_buurt_geometry(data: bytes, file_name: str,
                        codes: Iterable[str] | None = None) -> BuurtGeometry:
    """Buurt outlines of `codes` (all buurten when None) from the CBS wijk- en buurtkaart.

    Rows whose code is not a buurtcode (a gemeente or wijk in a `statcode` file) are
    dropped. Raises a Dutch ReferenceDataError for an unreadable file, a file without a buurt
    layer or code column, and when none of the asked buurten is on the map.
    """
    import shapely

    if len(data) > MAX_GEO_BYTES:
        raise ReferenceDataError(f"Buurtkaart '{file_name}' is groter dan 1 GB. Knip de kaart bij tot "
                             "uw gemeente (bijv. in QGIS) en probeer het opnieuw.")
    kind = _kind(data, file_name)
    wanted = None
    if codes is not None:
        wanted = sorted({str(c).strip().upper() for c in codes if BUURT_CODE.match(str(c).strip().upper())})
        if not wanted:
            raise ReferenceDataError("Geef minstens één buurtcode (BU…) om op de kaart te zetten.")
    suffix = ".gpkg" if kind == "gpkg" else ".geojson"
    with tempfile.TemporaryDirectory(prefix="bereikwijzer-geo-") as folder:
        path = str(Path(folder) / f"kaart{suffix}")
        Path(path).write_bytes(data)
        with warnings.catch_warnings():  # GDAL's own English warnings: our message says it
            warnings.simplefilter("ignore", RuntimeWarning)
            frame, layer, code, name = _read(path, file_name, wanted)
    frame[code] = frame[code].astype("string").str.strip().str.upper()
    frame = frame[frame[code].fillna("").str.match(BUURT_CODE.pattern)]
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    frame = frame.drop_duplicates(code)
    if frame.empty:
        asked = f" voor {', '.join(wanted[:3])}{' …' if len(wanted) > 3 else ''}" if wanted else ""
        raise ReferenceDataError(f"In buurtkaart '{file_name}' (laag '{layer}') staan geen buurten{asked}. "
                             "Past het jaar van de kaart bij het jaar van de CBS-cijfers?")
    frame = _simplified(frame)
    shapes = shapely.to_geojson(frame.geometry.to_numpy())
    import json

    features = []
    names = frame[name].astype("string").fillna("").tolist() if name else [""] * len(frame)
    for buurt, label, shape in zip(frame[code].tolist(), names, shapes):
        features.append({"type": "Feature", "id": buurt, "geometry": json.loads(shape),
                         "properties": {"code": buurt, "name": label or buurt}})
    found = {f["id"] for f in features}
    missing = tuple(c for c in (wanted or []) if c not in found)
    return BuurtGeometry({"type": "FeatureCollection", "features": features},
                         str(PurePath(file_name).name), layer, code, missing)


def _read_in_child(data: bytes, file_name: str, codes: list[str] | None) -> BuurtGeometry:
    return read_buurt_geometry(data, file_name, codes)


def read_buurt_geometry_bounded(data: bytes, file_name: str, codes: Iterable[str] | None = None,
                                *, timeout: float | None = None,
                                memory_mb: int | None = None) -> BuurtGeometry:
    """read_buurt_geometry in a time- and memory-bounded child: GDAL parses a crafted
    GeoPackage in native code, so a bad file costs the child, never the server or CLI."""
    from surveys.bounded import bounded_limits
    from surveys.limits import run_bounded

    default_timeout, default_memory = bounded_limits(1)
    return run_bounded(_read_in_child, data, file_name, None if codes is None else list(codes),
                       timeout=timeout or default_timeout, memory_mb=memory_mb or default_memory,
                       file_name=file_name).value
