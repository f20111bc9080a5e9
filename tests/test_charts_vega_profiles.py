"""Profielen's Vega-Lite charts (ui.charts_vega_profiles) for the demo project's kompas profiles:
the specs carry the respondents' scores, the middle zone, one colour and shape per profile, the
shares per channel and in the buurt, in Dutch, as JSON the browser can take."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from builders import run_fresh

from engagement.pipeline import estimate_profile_coverage_result
from profiles.cards import rename_profiles
from profiles.coverage import FLAG_WORDS, profile_by_channel
from profiles.fit import fit_profiles
from profiles.kompas import MIDDLE, NEUTRAL_ZONE
from store.demo import demo_reference, demo_respondents
from ui import charts_vega_profiles as vp
from ui.charts import SEQUENCE


@pytest.fixture(scope="module")
def demo():
    respondents = demo_respondents()
    return respondents, fit_profiles(respondents, method="kompas")


def _mix(result, respondents) -> pd.DataFrame:
    """The long frame Profielen's channel part draws (as ui.profile_parts.show_channels)."""
    table = profile_by_channel(result, respondents)
    mix = table.div(table.sum(axis=0), axis=1)
    long = mix.reset_index().melt(id_vars="profiel", var_name="kanaal", value_name="aandeel")
    long["kanaal"] = long["kanaal"].astype(str).str.capitalize()
    return long


def _values(spec: dict) -> list[dict]:
    """The chart's records as the browser gets them (JSON: no NaN, no numpy numbers)."""
    return json.loads(json.dumps(spec["data"]["values"], allow_nan=False))


def _marks(spec: dict, mark: str) -> list[dict]:
    """Layers (nested ones too) that draw this mark."""
    out = []
    for layer in spec["layer"]:
        out += _marks(layer, mark) if "layer" in layer else ([layer] if layer["mark"]["type"] == mark else [])
    return out


def _texts(spec: dict) -> set[str]:
    """The names printed by the text layers that carry their own data (corner and zone names)."""
    return {d["tekst"] for layer in spec["layer"] if "layer" in layer for d in layer["data"]["values"]}


def test_kompas_draws_each_point_once_with_how_many_people_sit_there(demo) -> None:
    """Scores are means of a few answers, so many people share a point: one record per
    point and profile, its count `aantal`, and the counts add up to everyone with a profile."""
    respondents, result = demo
    spec = vp.kompas_chart(result)
    rows = _values(spec)
    frame = result.assignments.dropna(subset=["engagement", "trust"])
    frame = frame[frame["profile"].isin([c.id for c in result.cards])]
    names = {c.id: c.name for c in result.cards}
    want = (frame.assign(profiel=frame["profile"].map(names),
                         x=frame["engagement"].round(9), y=frame["trust"].round(9))
            .groupby(["x", "y", "profiel"]).size())
    assert len(rows) == len(want) < len(frame)  # the demo, too, stacks people on one point
    assert sum(r["aantal"] for r in rows) == len(frame) == sum(c.size for c in result.cards)
    got = {(round(r["betrokkenheid"], 6), round(r["vertrouwen"], 6), r["profiel"]): r["aantal"] for r in rows}
    assert got == {(round(x, 6), round(y, 6), p): int(n) for (x, y, p), n in want.items()}
    assert max(r["aantal"] for r in rows) > 1
    for r in rows:
        assert r["aantal_tekst"] == ("1 persoon" if r["aantal"] == 1 else f"{r['aantal']} mensen")
    first = rows[0]
    assert first["betrokkenheid_tekst"] == f"{first['betrokkenheid']:.2f}".replace(".", ",")  # Dutch comma
    (points,) = _marks(spec, "point")
    enc = points["encoding"]
    assert enc["x"]["title"] == "Betrokkenheid bij de buurt"
    assert enc["y"]["title"] == "Vertrouwen in invloed op de gemeente"
    assert "'laag'" in enc["x"]["axis"]["labelExpr"] and "'hoog'" in enc["y"]["axis"]["labelExpr"]
    assert {t["title"] for t in enc["tooltip"]} == {"Profiel", "Aantal mensen op dit punt",
                                                     "Betrokkenheid (0 tot 1)", "Vertrouwen (0 tot 1)"}
    # the dot's area grows with its count from zero (twice the people, twice the ink), with a legend
    size = enc["size"]
    assert size["field"] == "aantal" and size["scale"]["domain"] == [0, max(r["aantal"] for r in rows)]
    assert size["scale"]["range"][0] == 0 and size["scale"]["type"] == "linear"
    assert size["title"] == "Aantal mensen" and size["legend"]["values"][0] == 1
    assert "size" not in points["mark"]  # a fixed size would override the count
    # a screen reader hears a Dutch sentence per dot (Vega's own would list English numbers)
    assert enc["description"]["field"] == points["transform"][0]["as"]
    assert "betrokkenheid_tekst" in points["transform"][0]["calculate"]
    assert "aantal_tekst" in points["transform"][0]["calculate"]
    assert "één respondent" not in spec["description"] and "hoe groter de stip" in spec["description"]


def test_kompas_has_one_colour_and_shape_per_profile_and_the_middle_zone(demo) -> None:
    _, result = demo
    assert {c.id for c in result.cards} == {0, 1, 2, 3, MIDDLE}
    spec = vp.kompas_chart(result)
    (points,) = _marks(spec, "point")
    colour, shape = points["encoding"]["color"], points["encoding"]["shape"]
    names = [c.name for c in result.cards]
    assert colour["scale"]["domain"] == shape["scale"]["domain"] == names  # card order
    assert colour["scale"]["range"] == SEQUENCE[:5]  # as the Plotly kompas did
    assert len(set(shape["scale"]["range"])) == 5  # never colour alone
    assert colour["legend"] == shape["legend"]  # one legend: colour and shape together
    (zone,) = _marks(spec, "rect")
    enc = zone["encoding"]
    assert (enc["x"]["datum"], enc["x2"]["datum"]) == pytest.approx((0.5 - NEUTRAL_ZONE, 0.5 + NEUTRAL_ZONE))
    assert (enc["y"]["datum"], enc["y2"]["datum"]) == pytest.approx((0.5 - NEUTRAL_ZONE, 0.5 + NEUTRAL_ZONE))
    assert spec["layer"].index(zone) < spec["layer"].index(points)  # the zone lies under the dots
    rules = _marks(spec, "rule")
    for layer in (zone, *rules):  # drawn once, not once per respondent; named for a screen reader
        assert layer["data"] == {"values": [{}]} and layer["mark"]["description"]
    assert sorted(next(iter(r["encoding"])) for r in rules) == ["x", "y"]  # both midlines
    assert all(next(iter(r["encoding"].values()))["datum"] == 0.5 for r in rules)
    assert _texts(spec) == set(names)  # the four corners and the zone carry the profiles' names
    title = spec["title"]["text"]["expr"]  # lines for a wide and for a narrow chart
    assert '"Kompas: de meeste gesproken' in title and "Op afstand" in title
    assert spec["description"].startswith("Kompas: de meeste gesproken mensen horen bij Op afstand, de minste bij")
    assert vp.kompas_chart(result) is spec  # built once per content


def test_kompas_shows_a_typed_name_as_typed(demo) -> None:
    """Vega-Lite draws text as text: a name with HTML stays those characters (no escaping
    needed, none added), only its line break becomes a space."""
    _, result = demo
    typed = '<a href="https://x.example">Twij\nfelaars</a> & co'
    spec = vp.kompas_chart(rename_profiles(result, {MIDDLE: typed}))
    shown = '<a href="https://x.example">Twij felaars</a> & co'
    assert shown in _texts(spec)
    assert shown in _marks(spec, "point")[0]["encoding"]["color"]["scale"]["domain"]
    assert "&lt;" not in json.dumps(spec) and "&amp;" not in json.dumps(spec)


def test_lca_profiles_draw_no_zone_or_corner_names() -> None:
    result = fit_profiles(demo_respondents(), method="lca", k=2)
    spec = vp.kompas_chart(result)
    assert spec is None or (not _marks(spec, "rect") and not _texts(spec))
    assert vp.kompas_chart(result) is spec  # also nothing-to-draw is kept


def test_channel_mix_doubles_colour_with_the_kompas_shape(demo) -> None:
    respondents, result = demo
    long = _mix(result, respondents)
    order = [c.name for c in result.cards]
    spec = vp.share_bars_chart(long, "kanaal", "aandeel", "profiel", "Profielmix per kanaal", "Kanaal",
                               "Aandeel binnen het kanaal", order=order)
    rows = _values(spec)
    assert len(rows) == len(long) == 10  # five profiles × online and papier
    for row, (_, want) in zip(rows, long.iterrows(), strict=True):
        assert (row["groep"], row["profiel"]) == (want["kanaal"], want["profiel"])
        assert row["aandeel"] == pytest.approx(want["aandeel"] * 100)
        assert row["aandeel_tekst"] == f"{want['aandeel'] * 100:.1f}%".replace(".", ",")
    assert {r["groep"] for r in rows} == {"Online", "Papier"}
    (bars,), (marks,) = _marks(spec, "bar"), _marks(spec, "point")
    assert bars["encoding"]["xOffset"]["field"] == "profiel" and bars["encoding"]["y"]["field"] == "aandeel"
    assert bars["encoding"]["y"]["title"] == "Aandeel binnen het kanaal"
    assert bars["encoding"]["x"]["title"] == "Kanaal"
    # the same colour and shape per profile as in the kompas, whatever order the table had
    kompas = _marks(vp.kompas_chart(result), "point")[0]["encoding"]
    for channel in ("color", "shape"):
        mine = dict(zip(marks["encoding"][channel]["scale"]["domain"], marks["encoding"][channel]["scale"]["range"],
                        strict=True))
        theirs = dict(zip(kompas[channel]["scale"]["domain"], kompas[channel]["scale"]["range"], strict=True))
        assert mine == theirs
    assert marks["encoding"]["shape"]["scale"]["domain"] == order
    assert len(set(marks["encoding"]["shape"]["scale"]["range"])) == 5
    (labels,) = _marks(spec, "text")
    assert labels["encoding"]["text"]["field"] == "aandeel_tekst"
    assert labels["transform"] == [{"filter": f"width >= {vp.NARROW}"}]  # no printed shares on a phone
    assert "Profielmix per kanaal" in spec["title"]["text"]["expr"]
    assert "Profielmix per kanaal" in spec["description"]


def test_profile_coverage_bars_and_bracket(demo) -> None:
    respondents, result = demo
    table = estimate_profile_coverage_result(result, respondents, demo_reference()).to_frame()
    spec = vp.profile_coverage_chart(table)
    rows = _values(spec)
    assert [r["profiel"] for r in rows] == list(table["name"])
    for row, (_, want) in zip(rows, table.iterrows(), strict=True):
        assert row["gesproken"] == pytest.approx(want["respondent_share"] * 100)
        assert row["schatting"] == pytest.approx(want["population_share_estimate"] * 100)
        assert (row["laag"], row["hoog"]) == pytest.approx((want["share_low"] * 100, want["share_high"] * 100))
        assert row["gesproken_tekst"] == f"{round(want['respondent_share'] * 100)}%"
        assert row["schatting_tekst"].startswith(f"{round(want['population_share_estimate'] * 100)}% (tussen ")
        key = "possibly_under" if want["possibly_under"] else want["flag"]
        assert row["betekenis"] == FLAG_WORDS[key]
    (bars,), (bracket,), (diamond,) = _marks(spec, "bar"), _marks(spec, "rule"), _marks(spec, "point")
    assert bars["encoding"]["x"]["field"] == "gesproken"
    assert (bracket["encoding"]["x"]["field"], bracket["encoding"]["x2"]["field"]) == ("laag", "hoog")
    assert diamond["mark"]["shape"] == "diamond" and diamond["encoding"]["x"]["field"] == "schatting"
    assert "blauwe balk = gesproken" in bars["encoding"]["x"]["title"]
    assert bars["encoding"]["y"]["sort"] == list(table["name"])
    # a long name is broken over lines on the axis ('Vertrouwende toeschouwers' is 25 characters)
    assert '["Vertrouwende", "toeschouwers"]' in bars["encoding"]["y"]["axis"]["labelExpr"]
    assert '["Aandeel per profiel: gesproken en geschat", "in de buurt"]' in spec["title"]["text"]["expr"]
    assert spec["description"].startswith("Aandeel per profiel: gesproken en geschat in de buurt. ")
    assert {t["title"] for t in bars["encoding"]["tooltip"]} == {
        "Profiel", "Gesproken", "Geschat in de buurt", "Wat betekent dit?"}


def test_specs_are_plain_vega_lite_json(demo) -> None:
    """st.vega_lite_chart sends the dict as it is: JSON without NaN or numpy numbers, a
    Vega-Lite v6 schema, inline records, the page's width and a description (the accessible name)."""
    respondents, result = demo
    table = estimate_profile_coverage_result(result, respondents, demo_reference()).to_frame()
    table.loc[0, ["population_share_estimate", "share_low", "share_high"]] = float("nan")
    specs = [vp.kompas_chart(result), vp.profile_coverage_chart(table),
             vp.share_bars_chart(_mix(result, respondents), "kanaal", "aandeel", "profiel", "T", "Kanaal", "Aandeel")]
    for spec in specs:
        text = json.dumps(spec, allow_nan=False)  # raises on NaN; numpy numbers are not JSON
        assert json.loads(text) == spec
        assert spec["$schema"] == vp.SCHEMA and spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
        assert spec["width"] == "container" and spec["autosize"] == {"type": "fit-x", "contains": "padding"}
        assert set(spec["data"]) == {"values"} and spec["data"]["values"]
        assert len(spec["description"]) > 40
    first = _values(specs[1])[0]
    assert first["schatting"] is None and first["schatting_tekst"] == "onbekend"  # NaN → None


def test_a_name_typed_twice_keeps_its_own_colour() -> None:
    assert vp.unique_names(["Stil", "Actief", "Stil", "Stil\n"]) == ["Stil", "Actief", "Stil (2)", "Stil (3)"]


def test_building_profielen_charts_imports_no_plotly_or_streamlit() -> None:
    """The browser needs no Plotly bundle for these charts, and the builders are pure
    (no Streamlit): a fresh process builds all three without importing either."""
    code = """
import json
import sys
from engagement.pipeline import estimate_profile_coverage_result
from profiles.fit import fit_profiles
from store.demo import demo_reference, demo_respondents
from ui import charts_vega_profiles as vp
resp = demo_respondents()
result = fit_profiles(resp, method="kompas")
table = estimate_profile_coverage_result(result, resp, demo_reference()).to_frame()
assert vp.kompas_chart(result)["layer"] and vp.profile_coverage_chart(table)["layer"]
print(json.dumps(sorted(m for m in ("plotly", "streamlit", "altair") if m in sys.modules)))
"""
    assert run_fresh(code) == []
