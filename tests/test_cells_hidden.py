"""Two-way cells: the report's Cellen table and Bereik's heatmap hide the same cells, by the
one rule (reports.privacy.cells_status), and a hidden ratio reads as hidden ('–' in the
report, 'verborgen' in the heatmap), never as '<10': a ratio is no count of people.

Re-walk: the heatmap showed 0,63 for a cell the report hid as '<10' (0,63 × 14 expected
gives the hidden count back), and the report printed 'Verhouding: <10'."""
from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from engagement.cells import cells_result
from engagement.coverage import compute_coverage
from reports import privacy
from reports.report import HIDDEN_SHARE, build_html, build_report_data, build_xlsx
from store.demo import demo_reference, demo_respondents
from ui import coverage_parts

MARKS = ("<10", "x")


def _sample(n: int) -> pd.DataFrame:
    respondents = demo_respondents()
    return respondents if n >= len(respondents) else respondents.sample(n, random_state=1)


def _report_cells(respondents: pd.DataFrame) -> pd.DataFrame:
    reference = demo_reference()
    return build_report_data(coverage=compute_coverage(respondents, reference), respondents=respondents,
                             cells=cells_result(respondents, reference, "age", "gender")).cells


def test_cellen_hides_a_ratio_as_a_dash_with_its_legend() -> None:
    respondents = _sample(120)
    table = _report_cells(respondents)
    hidden = table["Respondenten"].isin(MARKS)
    assert hidden.any() and (~hidden).any()
    assert (table.loc[hidden, "Verhouding"] == HIDDEN_SHARE).all()
    assert not table["Verhouding"].isin(MARKS).any()
    assert pd.to_numeric(table.loc[~hidden, "Verhouding"], errors="coerce").notna().all()

    reference = demo_reference()
    kwargs = dict(coverage=compute_coverage(respondents, reference), respondents=respondents,
                  cells=cells_result(respondents, reference, "age", "gender"))
    ws = load_workbook(io.BytesIO(build_xlsx(**kwargs)))["Cellen"]
    header = [c.value for c in ws[1]]
    ratios = [row[header.index("Verhouding")] for row in ws.iter_rows(min_row=2, values_only=True)
              if row[header.index("Rij")] and row[header.index("Kolom")]]
    assert HIDDEN_SHARE in ratios and not any(str(v).startswith("<") or v == "x" for v in ratios)
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Verhouding '–': verborgen" in text and "minder dan 10 mensen" in text

    page = build_html(**kwargs)
    section = page[page.index('id="cellen"'):page.index('id="profielen"')]
    assert re.search(r'data-label="Verhouding" class="num">–</td>', section)
    assert not re.search(r'data-label="Verhouding"[^>]*>(&lt;10|x)</td>', section)
    assert "Verhouding &#39;–&#39;: verborgen" in section and "minder dan 10 mensen" in section


def test_no_legend_when_nothing_is_hidden() -> None:
    from reports.report import cells_hidden_note

    shown = pd.DataFrame({"Rij": ["a"], "Kolom": ["b"], "Respondenten": [12], "Verhouding": [0.9]})
    assert cells_hidden_note(shown, 10) == ""


@pytest.mark.parametrize("n", [120, 200, 300])
def test_heatmap_shows_exactly_the_cells_the_report_shows(n: int) -> None:
    respondents = _sample(n)
    table = _report_cells(respondents)
    result, spec = coverage_parts.cells_chart(respondents, demo_reference(), "gender")
    assert spec is not None
    drawn = {(r["rij"], r["kolom"]): r for r in spec["data"]["values"]}
    assert set(drawn) == set(zip(table["Rij"], table["Kolom"]))
    report_shown = {(r, c): round(float(v), 2) for r, c, v in zip(table["Rij"], table["Kolom"], table["Verhouding"])
                    if not isinstance(v, str)}
    chart_shown = {key: round(r["waarde"], 2) for key, r in drawn.items() if r["waarde"] is not None}
    assert chart_shown == report_shown
    for key, row in zip(zip(table["Rij"], table["Kolom"]), table.itertuples()):
        word = drawn[key]["tekst"]
        if row.Verhouding == HIDDEN_SHARE:
            assert word == "verborgen" and drawn[key]["waarde"] is None
        elif row.Verhouding == "te weinig gegevens":
            assert word == "te weinig"
    hidden = [r for r in drawn.values() if r["tekst"] == "verborgen"]
    assert hidden  # these samples hide cells
    # a hidden cell's ratio is nowhere in the spec (tooltip, text, spoken description)
    secret = [c.ratio for c, s in zip(result.cells, privacy.cells_status(
        result.to_frame(), privacy.hidden_groups(compute_coverage(respondents, demo_reference()), 10), 10))
        if s in (privacy.PRIMARY, privacy.SECONDARY)]
    dump = json.dumps(spec, ensure_ascii=False)
    assert secret and not any(f"{ratio:.2f}".replace(".", ",") in dump for ratio in secret
                              if f"{ratio:.2f}" not in {f"{v:.2f}" for v in report_shown.values()})
    if not any(v < 0.8 for v in chart_shown.values()):  # no claim of 'no gaps' over hidden cells
        assert "in de getoonde vakjes" in json.dumps(spec["title"], ensure_ascii=False)


def test_hidden_groups_are_the_coverage_tables() -> None:
    """privacy.hidden_groups (what the heatmap uses) is what the report's coverage table hides."""
    from reports.report import coverage_table

    for n in (60, 120, 300):
        coverage = compute_coverage(_sample(n), demo_reference())
        table, _ = coverage_table(coverage, 10)
        assert privacy.hidden_groups(coverage, 10) == {
            c: s for c, s in zip(table["_category"], table["_status"]) if s}


def test_a_hidden_group_shows_its_count_mark_and_a_dash_for_its_shares() -> None:
    """Bereik per kenmerk: '<10'/'x' only where the value is a number of people; a hidden
    group's share, ratio and margins read '–' (re-walk: 'Aandeel: <10' read as under 10%)."""
    from reports.report import HIDDEN_SHARE, coverage_table

    coverage = compute_coverage(_sample(60), demo_reference())
    table, _ = coverage_table(coverage, 10)
    hidden = table[table["_status"] != ""]
    assert not hidden.empty
    assert set(hidden["Respondenten"].astype(str)) <= {"<10", privacy.SECONDARY_MARK}
    for column in ("Aandeel respondenten", "Verhouding", "Marge laag", "Marge hoog"):
        assert set(hidden[column]) == {HIDDEN_SHARE}
        assert not table.loc[table["_status"] == "", column].astype(str).isin(["<10", HIDDEN_SHARE]).any()
