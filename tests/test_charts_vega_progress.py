"""Voortgang's Vega-Lite charts: the spec draws only the shown points (no hidden ratio or count
leaves the server), each group its own colour, shape and dash, the 'in lijn' band and the
target, with Dutch titles, dates and decimal commas."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from builders import run_fresh

from engagement.coverage import compute_coverage
from engagement.progress import progress_result
from engagement.vocabulary import group_label
from reports import privacy
from surveys.thresholds import OVER, UNDER
from ui import charts_vega, charts_vega_progress
from ui.charts import SEQUENCE

demo = pytest.importorskip("store.demo")
K = privacy.DEFAULT_K


@pytest.fixture(scope="module")
def demo_progress() -> tuple[pd.DataFrame, dict[str, dict[str, float]], int]:
    respondents, reference = demo.demo_respondents(), demo.demo_reference()
    today = compute_coverage(respondents, reference)
    current = {d.dimension: {c.category: float(c.respondents) for c in d.categories} for d in today.dimensions}
    return progress_result(respondents, reference).to_frame(), current, reference.min_age


def _protected(demo_progress, dim: str) -> pd.DataFrame:
    """The rows the Voortgang page draws from (ui.pages.voortgang's protection)."""
    progress, current, _ = demo_progress
    raw = progress[progress["dimension"] == dim]
    return privacy.protect_progress(raw.assign(n_raw=raw["n"]), K, current=current[dim])


def _ratio_spec(demo_progress, dim: str) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """As ui.progress_parts.ratio_chart builds it: hidden ratios dropped, groups named."""
    part = _protected(demo_progress, dim)
    drawn = part.dropna(subset=["ratio"])
    drawn = drawn.assign(category=[group_label(str(c), demo_progress[2], dim) for c in drawn["category"]])
    spec = charts_vega_progress.ratio_over_time(drawn, "period_end", "ratio", "category", f"{dim}: titel")
    return spec, part, drawn


def _values(spec: dict) -> list[dict]:
    """The records as the browser gets them (JSON: no NaN, no numpy numbers)."""
    return json.loads(json.dumps(spec["data"]["values"], allow_nan=False))


def _layer(spec: dict, mark: str) -> dict:
    (layer,) = [la for la in spec["layer"] if la["mark"]["type"] == mark]
    return layer


def test_ratio_chart_draws_lines_band_and_target(demo_progress) -> None:
    spec, _, drawn = _ratio_spec(demo_progress, "age")
    assert spec["$schema"] == charts_vega.SCHEMA and spec["width"] == "container"
    assert [la["mark"]["type"] for la in spec["layer"]] == ["rect", "rule", "text", "line", "point"]
    band = _layer(spec, "rect")  # first: behind the lines
    assert (band["encoding"]["y"]["datum"], band["encoding"]["y2"]["datum"]) == (UNDER, OVER) == (0.8, 1.25)
    assert band["mark"]["color"] == "#009E73" and band["mark"]["opacity"] < 0.2
    assert band["data"] == {"values": [{}]}  # drawn once, not once per point
    assert band["mark"]["description"] == "Groene band: 0,8 tot 1,25 geldt als in lijn"  # a screen reader's name
    rule = _layer(spec, "rule")
    assert rule["encoding"]["y"]["datum"] == 1.0 and rule["mark"]["strokeDash"]
    note = _layer(spec, "text")
    assert note["encoding"]["text"]["value"] == "doel" and note["encoding"]["y"]["datum"] == 1.0
    assert rule["mark"]["description"] == "Stippellijn: het doel, 1" and note["mark"]["aria"] is False
    # data: one record per drawn week and group, the values as computed
    rows = _values(spec)
    assert len(rows) == len(drawn) > 0
    for rec in rows:
        match = drawn[(drawn["category"] == rec["groep"])
                      & (drawn["period_end"] == pd.Timestamp(rec["week"]))]
        assert len(match) == 1
        assert rec["waarde"] == pytest.approx(float(match["ratio"].iloc[0]))
        assert rec["waarde_tekst"] == f"{rec['waarde']:.2f}".replace(".", ",")
        assert rec["week_tekst"] == pd.Timestamp(rec["week"]).strftime("%d-%m-%Y")
        assert rec["omschrijving"] == f"{rec['groep']}, week tot en met {rec['week_tekst']}: {rec['waarde_tekst']}"
    assert {r["groep"] for r in rows} == {"18 tot 25 jaar", "25 tot 45 jaar", "45 tot 65 jaar", "65 jaar en ouder"}
    line, point = _layer(spec, "line"), _layer(spec, "point")
    assert point["encoding"]["x"]["type"] == "temporal" and line["encoding"]["y"]["field"] == "waarde"
    assert json.dumps(spec, allow_nan=False)  # the whole spec is plain JSON


def test_ratio_chart_sends_no_hidden_value(demo_progress) -> None:
    """Woningbezit in the demo has hidden cells in its first week: they are not in the spec."""
    spec, part, drawn = _ratio_spec(demo_progress, "tenure")
    hidden = part[part["status"] != ""]
    assert len(hidden) >= 2  # the check below bites
    rows = _values(spec)
    assert len(rows) == len(drawn) == len(part) - len(hidden)
    sent = {(r["groep"], r["week"]) for r in rows}
    for category, week in zip(hidden["category"], hidden["period_end"]):
        name = group_label(str(category), demo_progress[2], "tenure")
        assert (name, pd.Timestamp(week).strftime("%Y-%m-%d")) not in sent
    assert all(set(r) == {"groep", "week", "week_tekst", "waarde", "waarde_tekst", "omschrijving"} for r in rows)
    assert all(r["waarde"] is not None for r in rows)
    # the hidden weeks' counts never appear, not even as a text
    dumped = json.dumps(spec, ensure_ascii=False)
    assert '"n"' not in dumped and "n_raw" not in dumped and "status" not in dumped


def test_every_group_has_its_own_colour_shape_and_dash(demo_progress) -> None:
    spec, _, drawn = _ratio_spec(demo_progress, "age")
    point, line = _layer(spec, "point"), _layer(spec, "line")
    groups = list(dict.fromkeys(drawn["category"]))  # the legend keeps the frame's order
    for encoding in (point["encoding"]["color"], point["encoding"]["shape"], line["encoding"]["strokeDash"]):
        assert encoding["field"] == "groep" and encoding["scale"]["domain"] == groups
        ranges = [json.dumps(v) for v in encoding["scale"]["range"]]
        assert len(set(ranges)) == len(groups) == 4
    assert point["encoding"]["color"]["scale"]["range"] == SEQUENCE[:4]
    assert point["encoding"]["shape"]["scale"]["range"][:3] == ["circle", "square", "diamond"]
    assert point["mark"]["filled"] and point["mark"]["stroke"] == charts_vega.INK


def test_dutch_titles_dates_and_numbers(demo_progress) -> None:
    spec, _, _ = _ratio_spec(demo_progress, "age")
    point = _layer(spec, "point")
    x, y = point["encoding"]["x"], point["encoding"]["y"]
    assert x["title"] == "Week (einddatum)" and y["title"] == "Verhouding gesproken / buurt"
    assert "'sep'" in x["axis"]["labelExpr"] and "'mrt'" in x["axis"]["labelExpr"]  # Dutch months
    assert x["axis"]["values"] and all(v["utc"] for v in x["axis"]["values"])
    assert "replace(" in y["axis"]["labelExpr"] and "','" in y["axis"]["labelExpr"]  # decimal comma
    assert [t["title"] for t in point["encoding"]["tooltip"]] == ["Groep", "Week tot en met",
                                                                  "Verhouding gesproken / buurt"]
    assert "age: titel" in spec["title"]["text"]["expr"]
    assert spec["description"].startswith("age: titel. Een lijn per groep over de weken")
    assert "doel (1)" in spec["description"]


def test_channel_chart_counts_per_channel(demo_progress) -> None:
    progress = demo_progress[0]
    long = privacy.protect_channels(progress[progress["dimension"] == "age"], K)
    drawn = long.dropna(subset=["n"]).assign(channel=lambda f: f["channel"].str.capitalize())
    spec = charts_vega_progress.lines_over_time(drawn, "period_end", "n", "channel",
                                                "Kanalen: de meeste mensen sprak u online",
                                                "Aantal gesproken (opgeteld)", group_title="Kanaal")
    assert [la["mark"]["type"] for la in spec["layer"]] == ["line", "point"]  # no target, no band
    rows = _values(spec)
    assert len(rows) == len(drawn)
    last = {r["groep"]: r for r in rows if r["week"] == "2024-10-13"}
    assert last["Online"]["waarde"] == 147 and last["Online"]["waarde_tekst"] == "147"
    assert last["Papier"]["waarde"] == 74 and last["Straatgesprek"]["waarde"] == 79
    point = _layer(spec, "point")
    assert point["encoding"]["color"]["scale"]["domain"] == ["Online", "Papier", "Straatgesprek"]
    assert point["encoding"]["y"]["title"] == "Aantal gesproken (opgeteld)"
    assert point["encoding"]["y"]["axis"]["labelExpr"] == charts_vega_progress.COUNT_LABELS
    assert point["encoding"]["tooltip"][0]["title"] == "Kanaal"
    assert spec["description"].startswith("Kanalen: de meeste mensen sprak u online. Een lijn per kanaal")
    json.dumps(spec, allow_nan=False)


def test_hidden_channel_counts_are_not_sent() -> None:
    frame = pd.DataFrame({"period_end": pd.to_datetime(["2026-01-04", "2026-01-11"] * 2),
                          "channel": ["Online", "Online", "Markt", "Markt"],
                          "n": [20.0, 40.0, float("nan"), 15.0]})
    spec = charts_vega_progress.lines_over_time(frame, "period_end", "n", "channel", "Kanalen", "Aantal")
    rows = _values(spec)
    assert [(r["groep"], r["week"]) for r in rows] == [("Online", "2026-01-04"), ("Online", "2026-01-11"),
                                                      ("Markt", "2026-01-11")]


def test_percent_lines_and_numpy_free_json() -> None:
    frame = pd.DataFrame({"week": pd.to_datetime(["2026-01-11", "2026-01-04", "2026-01-04"]),
                          "share": [0.125, 0.1, 0.5], "group": ["vrouw", "vrouw", "man"]})
    spec = charts_vega_progress.lines_over_time(frame, "week", "share", "group", "Aandeel", "Aandeel (%)",
                                                percent=True, target=0.25)
    rows = _values(spec)
    assert [(r["groep"], r["week"], r["waarde"], r["waarde_tekst"]) for r in rows] == [
        ("Vrouw", "2026-01-04", 10.0, "10,0%"), ("Vrouw", "2026-01-11", 12.5, "12,5%"),
        ("Man", "2026-01-04", 50.0, "50,0%")]  # sorted by week, labels from surveys.categories
    assert all(type(r["waarde"]) is float for r in spec["data"]["values"])
    assert _layer(spec, "rule")["encoding"]["y"]["datum"] == 25.0
    assert _layer(spec, "point")["encoding"]["y"]["axis"]["labelExpr"] == charts_vega.PERCENT_LABELS
    assert "doel (25%)" in spec["description"]


def test_user_text_is_one_flat_line() -> None:
    """A channel name as the user typed it stays text (Vega-Lite draws no HTML); line breaks
    are flattened so a legend entry is one line."""
    evil = "<a href='http://evil.example'>Markt</a>\nplein  %{x}"
    frame = pd.DataFrame({"period_end": pd.to_datetime(["2026-01-04"]), "channel": [evil], "n": [12.0]})
    spec = charts_vega_progress.lines_over_time(frame, "period_end", "n", "channel", f"Kanalen: via {evil}",
                                                "Aantal", group_title="Kanaal")
    flat = "<a href='http://evil.example'>Markt</a> plein %{x}"
    assert _values(spec)[0]["groep"] == flat
    assert _layer(spec, "point")["encoding"]["color"]["scale"]["domain"] == [flat]
    assert "\n" not in spec["description"] and flat in spec["description"]
    # the title's lines are JSON strings in the expression, so the text cannot end the string
    expr = spec["title"]["text"]["expr"]
    narrow, end = json.JSONDecoder().raw_decode(expr, expr.index("? ") + 2)
    wide, _ = json.JSONDecoder().raw_decode(expr, expr.index(": ", end) + 2)
    assert " ".join(wide) == f"Kanalen: via {flat}"
    assert "".join(narrow).replace(" ", "") == f"Kanalen: via {flat}".replace(" ", "")  # a phone's lines


def test_spec_is_built_once_per_content(demo_progress) -> None:
    first, _, _ = _ratio_spec(demo_progress, "gender")
    again, _, _ = _ratio_spec(demo_progress, "gender")
    assert first is again


def test_building_voortgang_charts_imports_no_plotly_or_streamlit() -> None:
    """The browser needs no Plotly bundle for these charts and the builders are pure: a
    fresh process builds both without importing plotly, streamlit or altair."""
    code = """
import json
import sys
from engagement.progress import progress_result
from reports import privacy
from store.demo import demo_reference, demo_respondents
from ui import charts_vega_progress as vp
progress = progress_result(demo_respondents(), demo_reference()).to_frame()
part = progress[progress["dimension"] == "gender"]
ratio = vp.ratio_over_time(part.dropna(subset=["ratio"]), "period_end", "ratio", "category", "Geslacht")
long = privacy.protect_channels(part, 10).dropna(subset=["n"])
counts = vp.lines_over_time(long, "period_end", "n", "channel", "Kanalen", "Aantal", group_title="Kanaal")
assert ratio["data"]["values"] and counts["data"]["values"]
print(json.dumps(sorted(m for m in ("plotly", "streamlit", "altair") if m in sys.modules)))
"""
    assert run_fresh(code) == []
