"""The HTML report: self-contained (no network), the same sections, protected numbers."""
from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser

import pytest

from reports.report import build_html, write_report
from report_fixtures import make_cells, make_coverage, make_profiles, make_progress, make_respondents

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
    from engagement.planner import plan_fieldwork
    from report_fixtures import make_reference
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
