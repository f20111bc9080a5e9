"""Tables that read on a phone (ui.widgets.stacked_table: a table on a screen, one card per
row at 390 px) on Bereik, Thema's and Project: every column is there, the first column names
the card, and team-typed text (a theme label, a group) shows as typed, never as HTML."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from builders import stacked_tables, worked_example_coverage
from streamlit.testing.v1 import AppTest
from test_escaping import HOSTILE

from ui import widgets

THEMES_PAGE = str(Path(__file__).resolve().parents[1] / "ui" / "pages" / "themas.py")
FIGURE_COLUMNS = ["Groep", "In de buurt", "Gesproken", "Aandeel gesproken (95%-marge)", "Verhouding",
                  "Nog te spreken (nu)", "Nodig in het plan", "Oordeel", "Met onbekenden"]


class _Cells(HTMLParser):
    """Every cell of the table: tag, attributes and text (entities decoded, as a browser shows)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[tuple[str, dict, str]] = []
        self._open: tuple[str, dict, list[str]] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("th", "td"):
            self._open = (tag, dict(attrs), [])

    def handle_endtag(self, tag) -> None:
        if tag in ("th", "td") and self._open is not None:
            self.cells.append((self._open[0], self._open[1], "".join(self._open[2])))
            self._open = None

    def handle_data(self, data) -> None:
        if self._open is not None:
            self._open[2].append(data)


def _cells(body: str) -> list[tuple[str, dict, str]]:
    parser = _Cells()
    parser.feed(body.split("</style>", 1)[1])
    return parser.cells


@pytest.mark.parametrize("text", HOSTILE)
def test_row_header_and_cell_styles_keep_typed_text_as_text(text: str) -> None:
    """A typed name as a card's title (row header), a column name and a cell, with a style per
    cell: the browser shows exactly the text, and no tag but the table's own."""
    frame = pd.DataFrame({"Thema": [text], text: [text], "Aandeel": ["23%"]})
    styles = pd.DataFrame({"Thema": [""], text: ['color: red" onmouseover="x'], "Aandeel": ["background: blue"]})
    body = widgets.stacked_table_html(frame, row_header=True, styles=styles, numbers=("Aandeel",))
    tags = set(re.findall(r"</?([a-z]+)", body.split("</style>", 1)[1]))
    assert tags <= {"table", "thead", "tbody", "tr", "th", "td"}, tags
    head, rows = _cells(body)[:3], _cells(body)[3:]
    assert [c[2] for c in head] == ["Thema", text, "Aandeel"]
    (title, attrs_title, shown_title), (tag, attrs, shown), (_, number_attrs, share) = rows
    assert (title, attrs_title.get("scope"), shown_title) == ("th", "row", text)
    assert (tag, attrs["data-label"], shown) == ("td", text, text)
    assert attrs["style"] == 'color: red" onmouseover="x' and "onmouseover" not in attrs
    assert (number_attrs["class"], number_attrs["style"], share) == ("bw-number", "background: blue", "23%")


def test_bereik_figures_have_every_column_on_every_card(monkeypatch) -> None:
    """Bereik's 'Cijfers leeftijd': nine columns; on a phone each group is a card whose title is
    the group and whose eight lines each carry their column's name."""
    from ui import coverage_parts

    dim = worked_example_coverage().dimensions[0]
    frame = coverage_parts.figures_frame(dim, 15, {c.category: 3 for c in dim.categories})
    assert list(frame.columns) == FIGURE_COLUMNS and len(frame) == len(dim.categories)
    assert frame.notna().all().all() and (frame != "").all().all()
    drawn: list[str] = []
    monkeypatch.setattr(widgets.st, "html", drawn.append)
    widgets.stacked_table(frame, row_header=True, numbers=coverage_parts.FIGURE_NUMBERS)
    cells = _cells(drawn[0])[len(FIGURE_COLUMNS):]
    titles = [c[2] for c in cells if c[0] == "th"]
    assert titles == list(frame["Groep"])
    labels = [c[1]["data-label"] for c in cells if c[0] == "td"]
    assert labels == FIGURE_COLUMNS[1:] * len(frame)
    # without a plan the column stays, with a dash
    assert set(coverage_parts.figures_frame(dim, 15, None)["Nodig in het plan"]) == {"–"}


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    return tmp_path


HOSTILE_THEME = "<img src=x onerror=alert(1)> **speel** [klik](http://evil.example)"


def test_themes_tables_keep_every_group_and_a_typed_theme_label_as_text(data_dir) -> None:
    """Thema's overview and theme × group grid: every column (each age group from the minimum
    age) and a theme label from the team's own file shown as typed in both."""
    import numpy as np

    from store.demo import demo_reference, demo_respondents
    from store.projects import Store
    from ui.state import PROJECT_KEY

    frame = demo_respondents().reset_index(drop=True)
    frame["text:wens_buurt"] = np.where(np.arange(len(frame)) % 2 == 0,
                                        "Er moeten meer speeltuinen komen.", "Te weinig parkeerplaats.")
    own = ("themes:\n  speeltuin:\n    label: " + repr(HOSTILE_THEME).replace("'", '"')
           + "\n    terms: [speeltuinen]\n")
    store = Store(data_dir=str(data_dir))
    project = store.create_project("Telefoon", settings={"reference": demo_reference().to_dict(),
                                                         "themes_yaml": own})
    store.add_import(project.id, frame, {"file_name": "w.xlsx", "content_hash": "t" * 12, "tool": "generic",
                                         "channel": "online", "fingerprint": "t",
                                         "mapping": {"fingerprint": "t", "roles": {}}, "who": "test"})
    store.close()
    at = AppTest.from_file(THEMES_PAGE, default_timeout=120)
    at.session_state[PROJECT_KEY] = project.id
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    overview, grid, detail = stacked_tables(at)[:3]
    assert list(overview.columns) == ["Thema", "Noemden dit thema", "Aandeel", "95%-marge"]
    assert HOSTILE_THEME in set(overview["Thema"])
    row = overview[overview["Thema"] == HOSTILE_THEME].iloc[0]
    assert row["Aandeel"].endswith("%") and " – " in row["95%-marge"]
    assert list(grid.columns) == ["Thema", "18 tot 25 jaar", "25 tot 45 jaar", "45 tot 65 jaar", "65 jaar en ouder"]
    assert grid["Thema"].iloc[0] == "Aantal deelnemers" and HOSTILE_THEME in set(grid["Thema"])
    assert list(detail.columns) == ["Groep", "Thema", "Deelnemers in groep", "Noemden dit thema", "Aandeel",
                                    "Ondergrens", "Bovengrens"]
    assert HOSTILE_THEME in set(detail["Thema"])
    for element in at.get("html"):
        body = element.proto.body
        if 'class="bw-stacked"' in body:
            assert "<img" not in body and "<a " not in body and html.escape(HOSTILE_THEME) in body


def test_project_group_figures_name_ages_from_the_minimum_age_with_one_decimal() -> None:
    """'Alle cijfers per groep' names the first age band '18 tot 25 jaar' as every other page
    does (not CBS's '15 tot 25 jaar') and writes every share with one decimal."""
    from store.demo import demo_reference
    from ui.project_parts import group_figures

    ref = demo_reference()
    blocks = group_figures(ref)
    text = "\n".join(blocks)
    assert "- 18 tot 25 jaar: " in text and "15 tot 25" not in text
    assert len(blocks) == len(ref.dimensions)
    lines = [line for block in blocks for line in block.splitlines() if line.startswith("- ")]
    assert len(lines) == sum(len(c) for c in ref.dimensions.values())
    for line in lines:
        assert re.search(r": [\d.]+ \(\d{1,3},\d%\)( \(geschat\))?$", line), line


def test_project_page_shows_the_groups_as_on_other_pages(data_dir) -> None:
    """The Project page itself: the age band from the minimum age, and one target editor per
    kenmerk (two columns each, so nothing is cut on a phone) that still save together."""
    from store.demo import demo_reference
    from store.projects import Store
    from ui.state import PROJECT_KEY

    store = Store(data_dir=str(data_dir))
    project = store.create_project("Buurt", settings={"reference": demo_reference().to_dict()})
    store.close()
    page = str(Path(__file__).resolve().parents[1] / "ui" / "pages" / "project.py")
    at = AppTest.from_file(page, default_timeout=120)
    at.session_state[PROJECT_KEY] = project.id
    at.run()
    assert not at.exception, at.exception
    figures = next(e for e in at.expander if e.label == "Alle cijfers per groep")
    text = "\n".join(m.value for m in figures.markdown)
    assert "18 tot 25 jaar: " in text and "15 tot 25 jaar:" not in text
    from surveys.categories import DIMENSIONS

    editors = [e for e in at.dataframe if "Doel (%)" in e.value.columns]
    assert [set(e.value["dim"]) for e in editors] == [{d} for d in DIMENSIONS]   # one per kenmerk, in order
    # every group the buurt figures have (not geslacht 'Anders', which CBS does not count)
    assert sum(len(e.value) for e in editors) == sum(len([c for c in cats if c != "0-15"])
                                                     for cats in DIMENSIONS.values()) - 1
    assert "anders" not in set(editors[[d for d in DIMENSIONS].index("gender")].value["cat"])
    assert all(list(e.proto.column_order) == ["Groep", "Doel (%)"] for e in editors)
    next(b for b in at.button if b.label == "Doelen opslaan").click().run()
    assert not at.exception and not at.main.error
    assert at.success and at.success[-1].value == "De doelen zijn opgeslagen."


def test_bereik_chart_keeps_room_for_the_last_axis_label() -> None:
    """The coverage chart's last x tick sits at the plot's right edge on a phone (the scale
    ends just above it): the padding right of the plot, inside the chart's width, holds half
    of that label ('60%'), so it is not cut."""
    from ui import charts_vega

    dim = worked_example_coverage().dimensions[0]
    spec = charts_vega.coverage_chart(dim, None, 15)
    assert spec["autosize"]["contains"] == "padding" and spec["width"] == "container"
    assert spec["padding"]["right"] >= 14   # half of '100%' in the axis font (11 px)
    ticks = spec["layer"][0]["encoding"]["x"]["axis"]["values"]
    narrow_end = float(spec["layer"][0]["encoding"]["x"]["scale"]["domainMax"]["expr"].split("?")[1].split(":")[0])
    assert max(ticks) <= narrow_end   # the last tick is inside the phone's scale, near its end
