"""The HTML report: self-contained (no network), the same sections, protected numbers."""
from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser

import pandas as pd
import pytest
from report_fixtures import (
    AREA_CODES,
    make_areas,
    make_cells,
    make_coverage,
    make_geometry,
    make_profiles,
    make_progress,
    make_respondents,
    make_themes,
)

from reports.report import build_html, write_report

SECTION_IDS = ["samenvatting", "bereik", "cellen", "profielen", "voortgang", "aanbevelingen", "plan",
               "methode"]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: list[str] = []
        self.scripts = 0
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [v for k, v in attrs.items() if k in ("src", "href", "action", "poster", "data") and v]
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "script":
            self.scripts += 1
            self._in_script = True
        if tag == "link":
            self.urls.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if not self._in_script:
            self.text.append(data)


@pytest.fixture(scope="module")
def html() -> str:
    profiles = make_profiles()
    cards = (replace(profiles.cards[0], name="<script>alert(1)</script>"), *profiles.cards[1:])
    return build_html(coverage=make_coverage(), respondents=make_respondents(),
                      profiles=replace(profiles, cards=cards), progress=make_progress(), cells=make_cells(),
                      project_name="Verhaal van de wijk")


@pytest.fixture(scope="module")
def parsed(html) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_no_external_references(parsed) -> None:
    external = [u for u in parsed.urls if u.lower().startswith(("http:", "https:", "//", "ftp:"))]
    assert external == []
    assert all(u.startswith("#") or u.startswith("data:") for u in parsed.urls)


def test_plotly_is_embedded_once(html) -> None:
    assert html.count("plotly.js v") == 1  # the bundle's licence header
    assert html.count("Plotly.newPlot") == 6  # five dimensions and the profiles
    assert 'src="https://cdn.plot.ly' not in html


def test_sections_and_conclusions(parsed) -> None:
    assert [i for i in parsed.ids if i in SECTION_IDS] == SECTION_IDS
    text = " ".join(parsed.text)
    assert "U sprak 160 mensen in Kolenkitbuurt-Noord." in text
    # the advice number is the joint plan's (issue 13), not to_reach (30) at today's total
    from report_fixtures import make_reference

    from engagement.planner import plan_fieldwork
    plan = plan_fieldwork(make_respondents(), make_reference())
    needed = next(g.needed for g in plan.groups if g.category == "huur_corporatie")
    assert needed != 30 and f"Spreek nog {needed} huurders van een woningcorporatie." in text
    assert "Welke groepen nog?" in text and "Weekplan" in text
    assert "Toetsen en onzekerheid" in text and "Holm" in text and "onzeker" in text
    assert "Bron: CBS, Kerncijfers wijken en buurten 2024 (tabel 85984NED). Licentie: CC BY 4.0." in text
    assert "Via" in text or "Online" in text


def test_text_is_html_escaped(html, parsed) -> None:
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_small_numbers_hidden_in_html(parsed) -> None:
    text = " ".join(parsed.text)
    assert "minstens 19" in text and "&lt;10" not in text and "<10" in text
    assert "1,9%" not in text  # 3 of 157 respondents with a known origin


def test_write_html(tmp_path) -> None:
    path = write_report(tmp_path / "rapport.html", coverage=make_coverage())
    content = path.read_text(encoding="utf-8")
    assert content.startswith("<!DOCTYPE html>") and "Methode en bronnen" in content


def test_profile_chart_names_carry_no_links() -> None:
    """A profile name typed as a link or a plotly template stays text inside the chart."""
    profiles = make_profiles()
    cards = (replace(profiles.cards[0], name='<a href="https://track.example/x">Klik</a> %{x}'),
             *profiles.cards[1:])
    page = build_html(coverage=make_coverage(), respondents=make_respondents(),
                      profiles=replace(profiles, cards=cards), progress=make_progress(),
                      cells=make_cells(), project_name="Verhaal van de wijk")
    assert '<a href=\\"https://track.example' not in page and '<a href="https://track.example' not in page
    assert "%{x}" not in page.split("Klik", 1)[-1][:40]


def test_profile_section_carries_flag_bracket_and_caveat() -> None:
    from test_report_xlsx import _flagged_profiles_and_coverage

    profiles, table = _flagged_profiles_and_coverage()
    page = build_html(coverage=make_coverage(), respondents=make_respondents(), profiles=profiles,
                      profile_coverage=table)
    parser = _Collector()
    parser.feed(page)
    text = " ".join(parser.text)
    assert "klein, onzeker" in text and "Marge hoog" in text
    assert "Wegen op leeftijd en geslacht lost dat niet op" in text
    assert "p_adj" not in page


# ---------------------------------------------------------------- words, counts and Voortgang (issue 16)

class _Tables(HTMLParser):
    """Every <table> as (headers, rows of cell texts)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(([], []))
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell).strip()
            (self.tables[-1][0] if tag == "th" else self._row).append(text)
            self._cell = None
        elif tag == "tr" and self._row:
            self.tables[-1][1].append(self._row)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _dated_page(**kwargs) -> str:
    from test_report_xlsx import _dated_respondents

    args = dict(coverage=make_coverage(), respondents=_dated_respondents(), profiles=make_profiles(),
                progress=make_progress(), cells=make_cells(), project_name="Verhaal van de wijk")
    args.update(kwargs)
    return build_html(**args)


@pytest.fixture(scope="module")
def dated_html() -> str:
    return _dated_page()


def _text(page: str) -> str:
    parser = _Collector()
    parser.feed(page)
    return " ".join(parser.text)


def test_the_html_says_where_a_part_is_not_which_sheet(dated_html) -> None:
    text = _text(dated_html)
    assert "Zie het blad" not in text and "het blad" not in text and "bladen" not in text
    assert "staat in het deel Aanbevelingen, verderop in dit rapport" in text
    assert "staan in het deel Plan, verderop in dit rapport" in text


def test_voortgang_is_a_chart_with_a_small_weekly_table_in_dutch_dates(dated_html) -> None:
    assert 'id="voortgang-grafiek"' in dated_html
    assert dated_html.count("Plotly.newPlot") == 7  # five dimensions, Voortgang, profiles
    section = dated_html.split('id="voortgang"', 1)[1].split('id="aanbevelingen"', 1)[0]
    parser = _Tables()
    parser.feed(section)
    headers, rows = parser.tables[0]
    assert headers[:2] == ["Week tot en met", "Totaal (opgeteld)"] and "Online" in headers
    # weeks end on Sunday; a week whose differences would give away a small group is merged
    assert {r[0] for r in rows} <= {"9 mrt 2025", "16 mrt 2025", "23 mrt 2025"} and rows[-1][0] == "23 mrt 2025"
    assert rows[-1][1] == "160"
    assert "<details" in section  # the per-group table stays, folded away
    import re

    assert not re.search(r">\s*20\d\d-\d\d-\d\d", section)  # no ISO date in a cell


COUNT_TEXT = r"(\d{1,3}(\.\d{3})*|<\d+|x|minstens \d{1,3}(\.\d{3})*|onbekend|)"


def test_every_count_a_person_reads_is_a_whole_number(dated_html) -> None:
    import re

    from reports.report import COUNT_COLUMNS

    parser = _Tables()
    parser.feed(dated_html)
    checked = 0
    for headers, rows in parser.tables:
        for row in rows:
            for name, value in zip(headers, row):
                if name in COUNT_COLUMNS or re.fullmatch(r"Week \d+", name) or name in ("Online", "Op papier"):
                    assert re.fullmatch(COUNT_TEXT, value), (name, value)
                    checked += 1
    assert checked > 80


def test_demo_counts_are_whole_in_the_html_too() -> None:
    """Real engines, a reference with fractional (estimated) counts."""
    import re

    demo = pytest.importorskip("store.demo")
    from engagement.pipeline import analyse
    from reports.report import COUNT_COLUMNS

    respondents, reference = demo.demo_respondents(), demo.demo_reference()
    page = build_html(respondents=respondents, project_name="Demo", **analyse(respondents, reference).report_arguments())
    parser = _Tables()
    parser.feed(page)
    for headers, rows in parser.tables:
        for row in rows:
            for name, value in zip(headers, row):
                if name in COUNT_COLUMNS:
                    assert re.fullmatch(COUNT_TEXT, value), (name, value)
    assert "Er wonen 3.820 mensen" in _text(page) and ">3.820<" in page  # sentence and Kerncijfers agree


def test_the_html_says_why_there_are_no_profiles() -> None:
    reason = "Deze vragen ontbreken in de antwoorden: item:vertrouwen."
    text = _text(_dated_page(profiles=None, profile_problem=reason))
    assert text.count(f"Er zijn geen betrokkenheidsprofielen gemaakt. {reason}") == 2  # summary and Profielen


# --------------------------------------------------------------------------- Buurten and Thema's

@pytest.fixture(scope="module")
def areas_html() -> str:
    return build_html(coverage=make_coverage(), respondents=make_respondents(), profiles=make_profiles(),
                      progress=make_progress(), cells=make_cells(), project_name="Verhaal van de wijk",
                      areas=make_areas(), areas_geometry=make_geometry(), themes=make_themes())


def _parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


def test_buurten_and_themas_sections_follow_bereik(areas_html, parsed) -> None:
    ids = _parse(areas_html).ids
    order = [i for i in ids if i in [*SECTION_IDS, "buurten", "themas"]]
    assert order[:4] == ["samenvatting", "bereik", "buurten", "themas"]
    assert "buurten" not in parsed.ids and "themas" not in parsed.ids   # only when given


def test_buurten_maps_are_embedded_offline(areas_html) -> None:
    page = _parse(areas_html)
    assert [u for u in page.urls if u.lower().startswith(("http:", "https:", "//"))] == []
    assert areas_html.count("plotly.js v") == 1                  # the bundle once, before the maps
    assert areas_html.count("Plotly.newPlot") == 6 + 2           # reach per 100 and the most missed group
    from reports.charts_areas import report_figures

    # plain scatter outlines: a geo subplot would fetch a world map from the internet
    figures = report_figures(make_areas(), make_geometry())
    assert {t.type for f in figures for t in f.data} == {"scatter"}
    assert all("geo" not in f.layout or not f.layout.geo.to_plotly_json() for f in figures)
    assert AREA_CODES[0] in areas_html                           # the outlines' meta
    text = " ".join(page.text)
    assert "De meeste jongeren van 18 tot 25 jaar die we missen wonen in Buurt A" in text
    assert "Bereik per buurt" in text and "Waar wonen de gemiste jongeren van 18 tot 25 jaar?" in text


def test_the_small_buurt_is_hidden_in_the_table_and_on_the_map(areas_html) -> None:
    text = " ".join(_parse(areas_html).text)
    assert "niet getoond: minder dan 10 respondenten" in text
    assert "3 respondenten" not in areas_html                    # nor in a map's hover
    # Buurt B: 70 missed young people would give away the one young person heard there
    assert "ongeveer 70 gemist" not in areas_html and "(~70)" not in areas_html
    assert "ongeveer 280 gemist" in areas_html   # Buurt A's young people (275, "about": ~280), as the table
    assert "minder dan 10 respondenten" in areas_html
    # the method says why a larger number may be hidden too (secondary suppression, 'x')
    assert "Soms is ook een groter aantal verborgen (x)" in text


def test_without_a_map_file_the_ranked_table_only() -> None:
    page = build_html(coverage=make_coverage(), areas=make_areas())
    assert "Plotly.newPlot" in page and page.count("Plotly.newPlot") == 5   # the five dimensions
    assert 'id="buurten"' in page and "Bereik per buurt" in page


def test_themas_section_findings_table_and_protected_quotes(areas_html) -> None:
    text = " ".join(_parse(areas_html).text)
    assert "Thema's die we (bijna) alleen van 65-plussers horen" in text
    assert "Aandeel per groep dat het thema noemde" in text
    assert "Ik voel me vaak eenzaam." in text and "zwerfafval" not in areas_html
    assert "korte citaten uit open antwoorden" in text       # the privacy line says quotes are in it


def test_a_min_age_18_html_report_never_says_15_tot_25(areas_html) -> None:
    assert "15 tot 25" not in " ".join(_parse(areas_html).text)


def test_expected_people_per_cell_read_as_whole_numbers() -> None:
    cells = make_cells()
    odd = replace(cells, cells=tuple(replace(c, expected=c.expected + 0.2) for c in cells.cells))
    parser = _Tables()
    parser.feed(build_html(coverage=make_coverage(), respondents=make_respondents(), cells=odd))
    table = next((headers, rows) for headers, rows in parser.tables if "Verwacht" in headers)
    shown = [row[table[0].index("Verwacht")] for row in table[1]]
    assert shown == [str(int(c.expected + 0.5)) for c in odd.cells]


def test_on_a_phone_a_wide_table_is_one_card_per_row_and_a_screen_keeps_the_table(html) -> None:
    """Every cell says its column (data-label) for the phone's cards; the cards only come
    under a screen media query, so the table at 1440 px and on paper stays a table."""
    import re

    from reports.html import PHONE_CSS, table_html

    head = html[:html.index("</head>")]
    assert head.count(PHONE_CSS.strip()) == 1 and "@media screen and (max-width: 600px)" in PHONE_CSS
    assert head.index(PHONE_CSS.strip()) > head.index("td:first-child { white-space: nowrap; }")
    wide = str(table_html(pd.DataFrame({"Groep": ["Man"], "Bevolking": [12], "Oordeel <b>": ["in lijn"]})))
    assert '<table class="stack">' in wide
    assert re.findall(r'<td data-label="([^"]*)"', wide) == ["Groep", "Bevolking", "Oordeel &lt;b&gt;"]
    assert '<td data-label="Bevolking" class="num">12</td>' in wide
    narrow = str(table_html(pd.DataFrame({"Kanaal": ["Online"], "Respondenten": [315]})))
    assert "<table>" in narrow and "stack" not in narrow
    tables = re.findall(r"<table[^>]*>.*?</table>", html, flags=re.S)
    stacked = [t for t in tables if t.startswith('<table class="stack">')]
    assert len(stacked) >= 5
    for table in stacked:  # no cell without its column's name
        assert table.count("<td") == table.count("<td data-label=")
