"""The buurt map (reference.geo) and the choropleth (reports.charts_areas) on synthetic squares."""
from __future__ import annotations

import numpy as np
import pytest

from engagement.areas import AreaReach, AreasResult, MissingGroup
from reference.build import ReferenceDataError
from reference.geo import choose_layer, read_buurt_geometry
from reports.charts_areas import areas_map, missing_on_map

gpd = pytest.importorskip("geopandas")
box = pytest.importorskip("shapely.geometry").box

CODES = ["BU99990001", "BU99990002", "BU99990003", "BU99990004"]


def _squares(code_column: str = "buurtcode", name_column: str = "buurtnaam", crs: int = 28992):
    """Four 500 m squares in RD New (near Groningen), one per buurt."""
    shapes = [box(233000 + 500 * i, 582000, 233500 + 500 * i, 582500) for i in range(len(CODES))]
    frame = gpd.GeoDataFrame({code_column: CODES, name_column: [f"Buurt {i + 1}" for i in range(4)]},
                             geometry=shapes, crs=28992)
    return frame.to_crs(crs) if crs != 28992 else frame


@pytest.fixture()
def gpkg(tmp_path):
    """A CBS-like GeoPackage: layers gemeenten, wijken and buurten."""
    path = tmp_path / "wijkenbuurten_2024.gpkg"
    squares = _squares()
    squares.iloc[:1].rename(columns={"buurtcode": "gemeentecode"}).to_file(path, layer="gemeenten")
    squares.iloc[:2].rename(columns={"buurtcode": "wijkcode"}).to_file(path, layer="wijken")
    squares.to_file(path, layer="buurten")
    return path


def test_geopackage_picks_the_buurt_layer_and_reprojects(gpkg) -> None:
    geometry = read_buurt_geometry(gpkg.read_bytes(), gpkg.name, CODES[:3])
    assert geometry.layer == "buurten" and geometry.code_column == "buurtcode"
    assert geometry.codes == tuple(CODES[:3]) and geometry.missing == ()
    first = geometry.geojson["features"][0]
    assert first["id"] == CODES[0] and first["properties"]["name"] == "Buurt 1"
    lon, lat = np.array(first["geometry"]["coordinates"][0]).T
    assert 6.4 < lon.min() < lon.max() < 6.7 and 53.1 < lat.min() < lat.max() < 53.3  # WGS84
    # rounded to 5 decimals (about a metre)
    assert all(round(v, 5) == v for v in lon)


def test_geojson_with_statcode_keeps_only_buurten(tmp_path) -> None:
    frame = _squares("statcode", "statnaam", crs=4326)
    frame.loc[0, "statcode"] = "GM9999"  # a PDOK file mixes gemeenten, wijken and buurten
    path = tmp_path / "buurten.geojson"
    frame.to_file(path, driver="GeoJSON")
    geometry = read_buurt_geometry(path.read_bytes(), path.name)
    assert geometry.code_column == "statcode" and geometry.codes == tuple(CODES[1:])


def test_old_layer_name_and_column_and_missing_codes(tmp_path) -> None:
    path = tmp_path / "buurt_2019.gpkg"
    _squares("BU_CODE", "BU_NAAM").to_file(path, layer="cbs_buurten_2019")
    _squares("WK_CODE", "WK_NAAM").to_file(path, layer="cbs_wijken_2019")
    geometry = read_buurt_geometry(path.read_bytes(), path.name, CODES[:2] + ["BU12345678"])
    assert geometry.layer == "cbs_buurten_2019" and geometry.code_column == "BU_CODE"
    assert geometry.missing == ("BU12345678",)
    assert geometry.subset([CODES[1]]).codes == (CODES[1],)


def test_bad_files_give_a_dutch_message(tmp_path, gpkg) -> None:
    with pytest.raises(ReferenceDataError, match="geen buurtkaart"):
        read_buurt_geometry(b"PK\x03\x04 een zip", "kaart.zip")
    with pytest.raises(ReferenceDataError, match="kan niet als buurtkaart gelezen worden"):
        read_buurt_geometry(b"SQLite format 3\x00" + b"\x00" * 200, "kapot.gpkg")
    with pytest.raises(ReferenceDataError, match="kan niet als buurtkaart gelezen worden"):
        read_buurt_geometry(b'{"type": "FeatureCollection", "features": [', "half.geojson")
    with pytest.raises(ReferenceDataError, match="staan geen buurten voor BU11110000"):
        read_buurt_geometry(gpkg.read_bytes(), gpkg.name, ["BU11110000"])
    no_code = tmp_path / "zonder.gpkg"
    _squares("gebied", "naam").to_file(no_code, layer="buurten")
    with pytest.raises(ReferenceDataError, match="geen kolom met de buurtcode.*gebied"):
        read_buurt_geometry(no_code.read_bytes(), no_code.name)


def test_choose_layer() -> None:
    assert choose_layer(["gemeenten", "wijken", "buurten"], "x") == "buurten"
    assert choose_layer(["cbs_gemeente_2018", "cbs_buurten_2018"], "x") == "cbs_buurten_2018"
    assert choose_layer(["mijn_kaart"], "x") == "mijn_kaart"
    with pytest.raises(ReferenceDataError, match="Lagen: a, b"):
        choose_layer(["a", "b"], "kaart.gpkg")


def _result() -> AreasResult:
    """Buurt 1: 20 respondents, women missed; 2: 3 respondents (< k); 3: none; 4: none, no people."""
    def area(i, n, people, missing=()):
        return AreaReach(code=CODES[i], name=f"Buurt {i + 1}", eligible_population=people,
                         respondents=n, per_100=100 * n / people if people else None,
                         missing=missing)
    women = MissingGroup("gender", "vrouw", residents=200.0, population=400.0, ratio=0.5)
    return AreasResult(areas=(area(0, 20, 1000.0, (women,)), area(1, 3, 500.0, (women,)),
                              area(2, 0, 800.0), area(3, 0, 0.0)))


def _fills(fig) -> dict[str, str]:
    return {t.meta: t.fillcolor for t in fig.data if t.meta}


def test_map_of_reach_per_100_works_offline(gpkg) -> None:
    from plotly.colors import get_colorscale, sample_colorscale

    geometry = read_buurt_geometry(gpkg.read_bytes(), gpkg.name)
    fig = areas_map(_result(), geometry)
    blues = get_colorscale("Blues")
    # Buurt 2's 3 respondents are hidden, and Buurt 1's 20 with them (20 + 3 = 23 is published):
    # both grey, like the buurt without inhabitants; 0.0 per 100 (lightest) stays visible
    low = 0.12  # the scale starts above its near-white end, so a zero stays visible
    assert _fills(fig) == {CODES[0]: "#D9D9D9", CODES[1]: "#D9D9D9",
                           CODES[2]: sample_colorscale(blues, [low])[0], CODES[3]: "#D9D9D9"}
    bar = fig.data[-1].marker
    assert bar.showscale and bar.cmax == pytest.approx(1.0)
    # only plain scatter traces: no geo subplot, which would fetch a world map from the internet
    assert {t.type for t in fig.data} == {"scatter"}
    assert fig.layout.yaxis.scaleanchor == "x"
    outline = next(t for t in fig.data if t.meta == CODES[0])
    assert outline.fill == "toself" and outline.hoveron == "fills"
    assert fig.layout.title.text == "Respondenten per 100 inwoners: het laagst in Buurt 3"


def test_map_of_a_missing_group_greys_small_buurten(gpkg) -> None:
    geometry = read_buurt_geometry(gpkg.read_bytes(), gpkg.name)
    fig = areas_map(_result(), geometry, group=("gender", "vrouw"))
    fills = _fills(fig)
    assert [fills[c] for c in CODES] == ["#D9D9D9"] * 4
    hover = {t.meta: t.name for t in fig.data if t.meta}
    assert "aantal respondenten verborgen" in hover[CODES[0]] and "20" not in hover[CODES[0]]
    assert "gemist: aantal niet getoond" in hover[CODES[0]] and "200" not in hover[CODES[0]]
    assert "minder dan 10 respondenten" in hover[CODES[1]]
    assert "nog niemand gesproken" in hover[CODES[2]]
    assert fig.layout.title.text == "Gemiste vrouwen: in geen buurt duidelijk"


def test_names_are_escaped_and_missing_buurten_named(gpkg) -> None:
    geometry = read_buurt_geometry(gpkg.read_bytes(), gpkg.name, CODES[:2])
    result = _result()
    odd = AreaReach(code=CODES[0], name="<a href='x'>100%{z}</a>", eligible_population=100.0,
                    respondents=12, per_100=12.0)
    fig = areas_map(AreasResult(areas=(odd,) + result.areas[1:]), geometry)
    text = " ".join(t.name for t in fig.data if t.meta)
    assert "<a href" not in text and "%{z}" not in text and "&lt;a href" in text
    assert missing_on_map(result, geometry) == ["Buurt 3 (BU99990003)", "Buurt 4 (BU99990004)"]


def test_report_figures(gpkg) -> None:
    from reports.charts_areas import report_figures

    geometry = read_buurt_geometry(gpkg.read_bytes(), gpkg.name)
    assert report_figures(_result(), None) == []
    titles = [f.layout.title.text for f in report_figures(_result(), geometry)]
    # Buurt 1's figure for women is hidden with its count: no group left to map
    assert titles == ["Respondenten per 100 inwoners: het laagst in Buurt 3"]


def test_title_counts_buurten_where_nobody_was_heard(gpkg) -> None:
    geometry = read_buurt_geometry(gpkg.read_bytes(), gpkg.name)
    quiet = tuple(AreaReach(code=c, name=c, eligible_population=500.0, respondents=0, per_100=0.0)
                  for c in CODES[:3])
    fig = areas_map(AreasResult(areas=quiet), geometry)
    assert fig.layout.title.text == "Respondenten per 100 inwoners: in 3 buurten nog niemand gesproken"
