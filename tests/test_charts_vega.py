"""Bereik's Vega-Lite charts: the spec carries the same numbers, shapes, titles and Dutch texts."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from builders import run_fresh, worked_example_coverage

from engagement.coverage import compute_coverage
from ui import charts_vega
from ui.charts import STATUS, status_of


def _values(spec: dict) -> list[dict]:
    """The chart's records, as the browser gets them (JSON: no NaN, no numpy numbers)."""
    return json.loads(json.dumps(spec["data"]["values"], allow_nan=False))


def _layer(spec: dict, mark: str) -> list[dict]:
    return [la for la in spec["layer"] if la["mark"]["type"] == mark]


def test_coverage_chart_draws_the_shares_interval_and_verdicts() -> None:
    dim = worked_example_coverage().dimension("age")
    spec = charts_vega.coverage_chart(dim)
    rows = _values(spec)
    assert [r["groep"] for r in rows] == ["15 tot 25 jaar", "25 tot 45 jaar", "45 tot 65 jaar", "65 jaar en ouder"]
    young = rows[0]
    assert young["buurt"] == pytest.approx(600 / 4000 * 100)
    assert young["gesproken"] == pytest.approx(8 / 160 * 100)
    assert young["laag"] < young["gesproken"] < young["hoog"]  # the Wilson interval is drawn
    assert young["gesproken_tekst"] == "5,0% (8 personen)"  # Dutch comma, whole persons
    assert young["buurt_tekst"] == "15,0%" and young["nog_tekst"] == "16"
    assert young["notitie"].endswith("· nog 16 te spreken")
    # grey bars = buurt, a rule from low to high, a marker per status with its own shape
    (bar,) = _layer(spec, "bar")
    assert bar["encoding"]["x"]["field"] == "buurt" and bar["mark"]["color"] == charts_vega.BUURT_FILL
    (rule,) = _layer(spec, "rule")
    assert (rule["encoding"]["x"]["field"], rule["encoding"]["x2"]["field"]) == ("laag", "hoog")
    (point,) = _layer(spec, "point")
    used = [k for k in STATUS if any(status_of(c) == k for c in dim.categories)]
    assert point["encoding"]["color"]["scale"]["range"] == [STATUS[k][1] for k in used]
    assert point["encoding"]["shape"]["scale"]["range"] == [charts_vega.SHAPES[k] for k in used]
    assert len(set(charts_vega.SHAPES[k] for k in used)) == len(used) >= 2
    assert point["mark"]["stroke"] == charts_vega.INK  # an outline keeps light colours visible
    assert point["encoding"]["y"]["sort"] == [r["groep"] for r in rows]  # the groups in their order
    tips = {t["title"] for t in point["encoding"]["tooltip"]}
    assert {"In de buurt", "Gesproken", "95%-marge", "Oordeel", "Nog te spreken (nu)"} <= tips
    title = spec["title"]["text"]["expr"]  # lines for a wide and for a narrow chart
    assert "te weinig gesproken met" in title and "15 tot 25 jaar" in title
    assert spec["description"].startswith("Leeftijd: te weinig gesproken")  # the accessible name
    assert charts_vega.coverage_chart(dim) is charts_vega.coverage_chart(dim)  # built once per content
    # screen readers hear Dutch, not Vega's "X-axis titled …"
    assert bar["encoding"]["x"]["axis"]["description"] == "X-as: aandeel in procenten"
    assert point["encoding"]["color"]["legend"]["description"].startswith("Legenda: het oordeel per groep")
    # on a phone the legend drops the shared 'Gesproken: ' and keeps inside the plot's width
    legend = point["encoding"]["color"]["legend"]
    assert f"width < {charts_vega.NARROW}" in legend["labelExpr"] and "'Gesproken: '" in legend["labelExpr"]
    assert legend["labelLimit"]["expr"].startswith(f"width < {charts_vega.NARROW} ? max(width - 24")


def test_coverage_chart_notes_use_the_plan_when_given() -> None:
    dim = worked_example_coverage().dimension("age")
    rows = _values(charts_vega.coverage_chart(dim, {"15-25": 21}))
    assert rows[0]["notitie"].endswith("· plan: nog 21 erbij")
    assert "plan" not in rows[2]["notitie"]


def test_dutch_numbers() -> None:
    assert charts_vega.dutch(12.345) == "12,3"
    assert charts_vega.dutch(1234.5, 2) == "1.234,50"
    assert charts_vega.title_lines("a " * 40, 20) == ["a " * 9 + "a"] * 4


def test_cells_chart_prints_each_ratio_and_marks_too_few() -> None:
    cells = pd.DataFrame({"row": ["15-25", "15-25", "65+", "65+"], "col": ["man", "vrouw", "man", "vrouw"],
                          "ratio": [0.38, float("nan"), 1.14, 1.5]})
    spec = charts_vega.cells_chart(cells, "ratio", "row", "col", "Leeftijd × geslacht: 1 combinatie")
    rows = _values(spec)
    assert [r["tekst"] for r in rows] == ["0,38", "te weinig", "1,14", "1,50"]
    assert rows[1]["waarde"] is None
    assert [r["donker"] for r in rows] == [True, False, False, False]  # white text only on dark cells
    rect = next(la for la in spec["layer"] if la["mark"]["type"] == "rect")
    colour = rect["encoding"]["color"]
    assert colour["condition"]["scale"]["domain"] == [0, 1, 2] and colour["value"] == charts_vega.EMPTY_FILL
    assert colour["condition"]["test"] == "isValid(datum.waarde)" and "Verhouding" in colour["condition"]["title"]
    # the colour's field is never empty, so Vega-Lite draws the empty cell (it leaves out a mark
    # whose quantitative field is empty: 'te weinig' and 'verborgen' cells were not drawn)
    (fill,) = [t for t in rect["transform"] if t.get("as") == colour["condition"]["field"]]
    assert fill["calculate"] == "isValid(datum.waarde) ? datum.waarde : 1"
    assert rect["encoding"]["y"]["sort"] == ["15 tot 25 jaar", "65 jaar en ouder"]
    assert "Leeftijd × geslacht: 1 combinatie" in spec["title"]["text"]["expr"]  # wide: one line


def test_user_text_stays_plain_text() -> None:
    assert charts_vega.flat("<a href='x'>\nklik</a>") == "<a href='x'> klik</a>"


def test_age_bands_are_named_from_the_minimum_age() -> None:
    """With minimum age 18 the chart's title, bars and two-way rows say '18 tot 25 jaar':
    only residents from 18 are counted in that band (as in the tables and the summary)."""
    from store.demo import demo_reference, demo_respondents

    reference = demo_reference()
    assert reference.min_age == 18
    age = compute_coverage(demo_respondents(), reference).dimension("age")
    spec = json.dumps(charts_vega.coverage_chart(age, None, reference.min_age))
    assert "18 tot 25 jaar" in spec and "15 tot 25" not in spec
    assert "15 tot 25" in json.dumps(charts_vega.coverage_chart(age))  # without: the CBS band
    cells = pd.DataFrame({"row": ["15-25", "25-45"], "col": ["man", "man"], "ratio": [0.5, 1.1]})
    frame = charts_vega.cells_frame(cells, "ratio", "row", "col", reference.min_age)
    assert frame["rij"].tolist() == ["18 tot 25 jaar", "25 tot 45 jaar"]


def test_specs_are_plain_vega_lite_json() -> None:
    """st.vega_lite_chart sends the dict as it is: a Vega-Lite v6 spec that JSON can carry,
    the data inline, and the description (the accessible name) at the top."""
    dim = worked_example_coverage().dimension("age")
    cells = pd.DataFrame({"row": ["15-25", "65+"], "col": ["man", "man"], "ratio": [float("nan"), 1.2]})
    for spec in (charts_vega.coverage_chart(dim), charts_vega.cells_chart(cells, "ratio", "row", "col", "T")):
        text = json.dumps(spec, allow_nan=False)  # raises on NaN; numpy numbers are not JSON
        assert json.loads(text) == spec
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"} and spec["width"] == "container"
        assert spec["description"] and set(spec["data"]) == {"values"}
        assert spec["config"]["view"]["stroke"] is None
    notes = _layer(charts_vega.coverage_chart(dim), "text")[0]
    assert notes["transform"] == [{"filter": f"width >= {charts_vega.NARROW}"}]  # no verdicts on a phone


def test_building_the_first_page_charts_imports_no_altair() -> None:
    """Altair (and its schema validation) costs 0.5–1 s of CPU at server start; the
    first page's charts are plain dicts, so a fresh process never imports it."""
    code = """
import json
import sys
import pandas as pd
from builders import worked_example_coverage
from ui import charts_vega
dim = worked_example_coverage().dimension("age")
cells = pd.DataFrame({"row": ["15-25", "65+"], "col": ["man", "vrouw"], "ratio": [0.5, 1.1]})
assert charts_vega.coverage_chart(dim)["layer"] and charts_vega.cells_chart(cells, "ratio", "row", "col", "T")["layer"]
print(json.dumps(sorted(m for m in ("altair", "jsonschema") if m in sys.modules)))
"""
    assert run_fresh(code) == []


def _speaks(layer: dict) -> bool:
    return "description" in layer.get("encoding", {})


def test_each_group_is_said_once_in_dutch_by_a_screen_reader() -> None:
    """Every mark a screen reader reaches carries a Dutch sentence of the tooltip's texts,
    built from fields the rows really have; the other marks of a group are silent (without
    this Vega read 'gesproken: 7.33333333333; groep: …' for each bar, rule and tick)."""
    cells = pd.DataFrame({"row": ["15-25", "65+"], "col": ["man", "man"], "ratio": [0.38, 1.14]})
    for spec in (charts_vega.coverage_chart(worked_example_coverage().dimension("age")),
                 charts_vega.cells_chart(cells, "ratio", "row", "col", "Leeftijd × geslacht")):
        fields = set(_values(spec)[0])
        speaking = [la for la in spec["layer"] if _speaks(la)]
        assert len(speaking) == 1
        assert all(la["mark"].get("aria") is False for la in spec["layer"] if not _speaks(la))
        (spoken,) = [t for t in speaking[0]["transform"] if t.get("as") == "omschrijving"]
        named = set(re.findall(r'datum\["([^"]+)"\]', spoken["calculate"]))
        assert named and named <= fields
        assert speaking[0]["encoding"]["description"]["field"] == "omschrijving"
