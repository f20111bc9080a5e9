"""The Excel report: structure, figures equal the coverage result, no formulas, no small numbers."""
from __future__ import annotations

import datetime as dt
import io
import math
import shutil
import subprocess
import zipfile
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from report_fixtures import (
    AREA_CODES,
    PLANTED,
    make_areas,
    make_cells,
    make_coverage,
    make_profiles,
    make_progress,
    make_reference,
    make_respondents,
    make_themes,
)

from reports.privacy import FORMULA_START
from reports.report import COVERAGE_COLUMNS, build_xlsx, report_filename, write_report
from reports.xlsx import AREAS_SHEET, SHEETS, THEMES_SHEET


def _full(**kwargs) -> bytes:
    args = dict(coverage=make_coverage(), respondents=make_respondents(), profiles=make_profiles(),
                progress=make_progress(), cells=make_cells(), project_name="Verhaal van de wijk")
    args.update(kwargs)
    return build_xlsx(**args)


@pytest.fixture(scope="module")
def workbook_bytes() -> bytes:
    return _full()


@pytest.fixture(scope="module")
def workbook(workbook_bytes):
    return load_workbook(io.BytesIO(workbook_bytes))


def _rows(ws, header_row: int = 1) -> list[dict]:
    header = [c.value for c in ws[header_row]]
    out = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if row[0] is None:
            break
        out.append(dict(zip(header, row)))
    return out


def _header_row(ws, first: str) -> int:
    """The row of a table header whose first cell is `first` (tables stacked on a sheet)."""
    return next(c.row for c in ws["A"] if c.value == first)


def _stats_rows(ws) -> list[dict]:
    """The "Toetsing per kenmerk" table below the coverage table."""
    start = next(c.row for c in ws["A"] if c.value == "Toetsing per kenmerk") + 1
    return _rows(ws, header_row=start)


def test_sheet_names_and_headers(workbook) -> None:
    assert workbook.sheetnames == list(SHEETS)
    assert [c.value for c in workbook["Bereik per kenmerk"][1]][:len(COVERAGE_COLUMNS)] == COVERAGE_COLUMNS
    assert [c.value for c in workbook["Aanbevelingen"][1]][:4] == ["Groep", "Oordeel", "Nog te spreken", "Wat kunt u doen?"]
    assert [c.value for c in workbook["Voortgang"][1]][:4] == ["Periode", "Kenmerk", "Groep", "Respondenten (totaal tot nu)"]
    assert [c.value for c in workbook["Cellen"][1]] == ["Rij", "Kolom", "Bevolking", "Verwacht", "Respondenten",
                                                      "Verhouding", "Bevolking per cel", "Opmerking"]
    assert [c.value for c in workbook["Profielen"][1]][:3] == ["Profiel", "Omschrijving", "Aantal"]


def test_native_charts_exist(workbook_bytes) -> None:
    names = zipfile.ZipFile(io.BytesIO(workbook_bytes)).namelist()
    charts = [n for n in names if n.startswith("xl/charts/chart")]
    assert len(charts) == 5 + 1  # one per dimension, one for the profiles
    xml = zipfile.ZipFile(io.BytesIO(workbook_bytes)).read(charts[0]).decode()
    # the charts draw from hidden columns of the chart sheet (AN…): shares as the table shows them
    assert "<barChart>" in xml and "<f>'Grafieken'!$AO$2:$AO$5</f>" in xml
    assert "<strRef><f>'Grafieken'!$AN$2:$AN$5</f></strRef>" in xml


def test_a_hidden_share_is_a_gap_in_its_chart_not_a_zero(workbook) -> None:
    ws = workbook["Grafieken"]
    assert ws.column_dimensions["AN"].hidden
    labels = {ws.cell(row=r, column=40).value: r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=40).value}
    row = labels["Buiten Europa (verborgen)"]  # the planted group of three
    assert ws.cell(row=row, column=41).value == pytest.approx(700 / 4000)  # its share of the buurt is public
    assert ws.cell(row=row, column=42).value is None  # no respondent share, not even a 0
    assert ws.cell(row=labels["Nederland"], column=42).value == pytest.approx(140 / 157)


def test_layout_freeze_print_and_flags(workbook) -> None:
    ws = workbook["Bereik per kenmerk"]
    assert ws.freeze_panes == "C2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert any("ondervertegenwoordigd" in r.formula[0] for r in rules)
    assert ws["D2"].number_format == "0.0%" and ws["C2"].number_format == "#,##0"
    for name in ("Cellen", "Profielen", "Voortgang", "Aanbevelingen"):
        assert workbook[name].freeze_panes == "A2"
    assert ws.column_dimensions["B"].width > 15


def test_figures_round_trip_equal_the_coverage_result(workbook) -> None:
    coverage = make_coverage()
    rows = _rows(workbook["Bereik per kenmerk"])
    assert len(rows) == sum(len(d.categories) for d in coverage.dimensions)
    shown = 0
    for row, cat in zip(rows, [c for d in coverage.dimensions for c in d.categories]):
        assert row["Bevolking"] == cat.population
        assert row["Aandeel bevolking"] == pytest.approx(cat.population_share, abs=1e-12)
        if isinstance(row["Respondenten"], str):
            assert row["Respondenten"] in ("<10", "x")
            continue
        shown += 1
        assert row["Respondenten"] == cat.respondents
        for column, value in (("Aandeel respondenten", cat.respondent_share), ("Verhouding", cat.ratio),
                              ("Marge laag", cat.ci_low), ("Marge hoog", cat.ci_high)):
            assert row[column] == pytest.approx(value, abs=1e-12)
        assert row["Nog te spreken"] == cat.to_reach
    assert shown == 11  # the planted group hides itself and a group as complement (never "Onbekend")
    stats = {r["Kenmerk"]: r for r in _rows(workbook["Bereik per kenmerk"], 19)}
    gender = coverage.dimension("gender")
    assert stats["Geslacht"]["Chi-kwadraat"] == pytest.approx(gender.chi2)
    assert stats["Geslacht"]["CV"] == pytest.approx(gender.cv)
    assert stats["Leeftijd"]["CV"] == "verborgen"  # the worked example has 8 young people


def test_summary_says_the_conclusions(workbook) -> None:
    text = "\n".join(str(c.value) for row in workbook["Samenvatting"].iter_rows() for c in row if c.value)
    assert "U sprak 160 mensen in Kolenkitbuurt-Noord." in text
    # 15-25 (8 people) is hidden in the table, so the summary does not name it (issue 12)
    assert "Duidelijk ondervertegenwoordigd: alleenwonenden" in text
    assert "jongeren van 18 tot 25 jaar" not in text and "15 tot 25" not in text
    assert "Groepen waarvan we het aantal niet tonen ('<10' of 'x'), noemen we hier niet" in text
    assert "Bereikt deel van de bewoners" in text
    method = "\n".join(str(c.value) for c in workbook["Methode en bronnen"]["A"] if c.value)
    assert "Bron: CBS, Kerncijfers wijken en buurten 2024 (tabel 85984NED). Licentie: CC BY 4.0." in method
    assert "Minimumleeftijd: 18 jaar" in method and "Geschat (niet precies geteld): leeftijd 18 tot 25 jaar" in method


def _all_cells(workbook):
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


def test_no_row_level_data(workbook) -> None:
    values = {str(cell.value) for _, cell in _all_cells(workbook)}
    assert not {f"R{i:03d}" for i in range(160)} & values
    assert not any("evil.example" in v for v in values)  # free text never enters a report


def test_injection_payloads_come_out_escaped(tmp_path) -> None:
    profiles = make_profiles()
    cards = (replace(profiles.cards[0], name="@SUM(A1:A9)",
                     top_answers=({"item": "=1+1", "answer": "-2+3"},)), *profiles.cards[1:])
    reference = replace(make_reference(), areas=(("BU1", "=HYPERLINK(\"http://x\")"),),
                        notes=("+31 6 12345678",))
    rules = tmp_path / "regels.yaml"
    rules.write_text("rules:\n  - match: ['*']\n    advice: \"=cmd|' /C calc'!A0\"\n"
                     "    activities: ['\\tTAB']\n    source: '-bron'\n", encoding="utf-8")
    from engagement.outreach import advise
    coverage = replace(make_coverage(), reference=reference, warnings=("\r=carriage",))
    prof = replace(profiles, cards=cards)
    respondents = make_respondents().replace({"channel": {"papier": "=1+2"}})  # Plan sheet too
    data = build_xlsx(coverage=coverage, respondents=respondents, profiles=prof,
                      advice=advise(coverage, respondents, prof, rules=rules), project_name="=1+2")
    workbook = load_workbook(io.BytesIO(data))
    seen = set()
    for title, cell in _all_cells(workbook):
        assert cell.data_type != "f", f"formula in {title}!{cell.coordinate}"
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_START), f"{title}!{cell.coordinate}: {cell.value!r}"
            seen.add(cell.value)
    assert {"'@SUM(A1:A9)", "'=1+1: -2+3", "'-bron", "'=cmd|' /C calc'!A0", "'+31 6 12345678",
            "'=1+2"} <= seen
    assert any(v.startswith("'") and v.endswith("=carriage") for v in seen)  # XML stores \r as \n
    assert any(v.startswith("Bereikrapport =1+2") for v in seen)  # not at the start: harmless


def _numbers(workbook) -> list[tuple[str, str, float]]:
    return [(t, c.coordinate, float(c.value)) for t, c in _all_cells(workbook)
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]


def test_planted_group_of_three_never_appears(workbook) -> None:
    dim_name, code, n = PLANTED
    coverage = make_coverage()
    dim = coverage.dimension(dim_name)
    cat = next(c for c in dim.categories if c.category == code)
    secret = [cat.respondent_share, cat.ratio, cat.ci_low, cat.ci_high]
    for title, where, value in _numbers(workbook):
        for s in secret:
            assert not math.isclose(value, s, rel_tol=1e-9), f"{title}!{where} gives away {s}"
    # to_reach = ⌈p·n⌉ − n would give n back: only a lower bound is shown
    assert cat.to_reach == 25
    rows = _rows(workbook["Bereik per kenmerk"])
    assert next(r for r in rows if r["Groep"] == "Buiten Europa")["Nog te spreken"] == "minstens 19"
    # the advice shows the joint plan's number; needed + n is known too, so again a lower bound
    from engagement.planner import plan_fieldwork
    plan = plan_fieldwork(make_respondents(), make_reference())
    needed = next(g.needed for g in plan.groups if g.category == code)
    advice = next(r for r in _rows(workbook["Aanbevelingen"]) if "buiten Europa" in r["Groep"])
    assert advice["Nog te spreken"] == f"minstens {needed + n - 9}"
    assert str(needed) not in advice["Wat kunt u doen?"]
    plan_rows = _rows(workbook["Plan"], _header_row(workbook["Plan"], "Kenmerk"))
    planted = next(r for r in plan_rows if r["Groep"] == "Buiten Europa")
    assert planted["Nodig in het plan"] == f"minstens {needed + n - 9}"
    assert planted["Respondenten nu"] == "<10" and planted["Alleen deze groep erbij"] == "x"
    assert not any(str(r["Nodig in het plan"]) == str(needed) for r in plan_rows)
    # by subtraction: every group with a known total (the categories plus the respondents
    # outside them, shown as "Onbekend") hides none or at least two cells
    stats = {r["Kenmerk"]: r for r in _stats_rows(workbook["Bereik per kenmerk"])}
    for kenmerk in {r["Kenmerk"] for r in rows}:
        hidden = [r for r in rows if r["Kenmerk"] == kenmerk and isinstance(r["Respondenten"], str)]
        assert len(hidden) + isinstance(stats[kenmerk]["Onbekend"], str) != 1
    origin = [r for r in rows if r["Kenmerk"] == "Herkomst"]
    assert [r["Respondenten"] for r in origin][1:] == ["x", "<10"] or \
        isinstance(stats["Herkomst"]["Onbekend"], str)
    assert origin[0]["Respondenten"] == 140 and origin[2]["Respondenten"] == "<10"
    progress = _rows(workbook["Voortgang"])
    for key in {(r["Periode"], r["Kenmerk"]) for r in progress}:
        group = [r for r in progress if (r["Periode"], r["Kenmerk"]) == key]
        assert sum(isinstance(r["Respondenten (totaal tot nu)"], str) for r in group) != 1
    cells = _rows(workbook["Cellen"])
    for field in ("Rij", "Kolom"):
        for value in {r[field] for r in cells}:
            group = [r for r in cells if r[field] == value]
            assert sum(isinstance(r["Respondenten"], str) for r in group) != 1
    assert not any(r["Respondenten"] == 3 for r in cells)


def test_k_is_settable_but_never_below_five() -> None:
    rows = _rows(load_workbook(io.BytesIO(_full(k_min=5)))["Bereik per kenmerk"])
    young = next(r for r in rows if r["Groep"] == "18 tot 25 jaar")  # min_age 18: named from 18
    assert young["Respondenten"] == 8
    rows = _rows(load_workbook(io.BytesIO(_full(k_min=2)))["Bereik per kenmerk"])
    assert next(r for r in rows if r["Groep"] == "Buiten Europa")["Respondenten"] == "<5"


def test_coverage_only_still_gives_every_sheet() -> None:
    workbook = load_workbook(io.BytesIO(build_xlsx(coverage=make_coverage())))
    assert workbook.sheetnames == list(SHEETS)
    assert workbook["Voortgang"]["A2"].value == "Geen voortgangsgegevens meegegeven."


def test_report_filename_and_suffix(tmp_path) -> None:
    assert report_filename("Wijk=Test / 2025", "Kolenkitbuurt-Noord", dt.date(2025, 3, 10), "xlsx") == \
        "bereikrapport_wijk-test-2025_kolenkitbuurt-noord_2025-03-10.xlsx"
    assert report_filename("", "Café Zuid", "2025-03-10", ".HTML") == "bereikrapport_cafe-zuid_2025-03-10.html"
    path = write_report(tmp_path / "r.xlsx", coverage=make_coverage())
    assert path.read_bytes()[:2] == b"PK"
    with pytest.raises(ValueError, match=r"\.xlsx of \.html"):
        write_report(tmp_path / "r.pdf", coverage=make_coverage())
    named = write_report(tmp_path, coverage=make_coverage(), project_name="Demo")
    assert named.name.startswith("bereikrapport_demo_kolenkitbuurt-noord_")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is niet geïnstalleerd")
def test_libreoffice_opens_the_workbook(tmp_path, areas_workbook_bytes) -> None:
    source = tmp_path / "rapport.xlsx"
    source.write_bytes(areas_workbook_bytes)  # every sheet, Buurten and Thema's included
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "rapport.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Conclusies" in text and "Methode en bronnen" in text and "Aanbevelingen" in text
        assert text.count("Bereikwijzer ·") >= 9  # every sheet printed with its footer
        assert "Bereik per buurt" in text and "Thema's per groep" in text
        # the Thema's sheet runs over several pages; each repeats the group table's header
        pages = text.split("\f")
        themes = [page for page in pages if "Bereikwijzer · Thema's ·" in page]
        assert len(themes) >= 2
        header = {"Kenmerk", "Groep", "Noemden", "Ondergrens", "Bovengrens"}  # wrapped cells: words
        assert all(header <= set(page.split()) for page in themes)


def test_demo_through_the_real_engines_stays_protected() -> None:
    """The engines' own output shapes (progress with period_end/n, cells with row/col)."""
    demo = pytest.importorskip("store.demo")
    from engagement.cells import two_way_cells
    from engagement.coverage import compute_coverage
    from engagement.progress import cumulative_coverage

    respondents, reference = demo.demo_respondents(), demo.demo_reference()
    coverage = compute_coverage(respondents, reference)
    data = build_xlsx(coverage=coverage, respondents=respondents,
                      progress=cumulative_coverage(respondents, reference),
                      cells=two_way_cells(respondents, reference, "age", "gender"), project_name="Demo")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == list(SHEETS)
    small = [(sheet, column, row[column]) for sheet in ("Bereik per kenmerk", "Cellen", "Voortgang")
             for row in _rows(workbook[sheet])
             for column in ("Respondenten", "Respondenten (totaal tot nu)") if column in row
             and isinstance(row[column], (int, float)) and 0 < row[column] < 10]
    assert small == []
    progress = _rows(workbook["Voortgang"])
    assert progress and {"Periode", "Nog te spreken"} <= set(progress[0])
    # a hidden row's share and ratio read '–', never '<10' (read as "under 10 %")
    hidden = [r for r in progress if isinstance(r["Respondenten (totaal tot nu)"], str)]
    assert hidden and all(r["Aandeel"] == r["Verhouding"] == "–" for r in hidden)
    for key in {(r["Periode"], r["Kenmerk"]) for r in progress}:
        group = [r for r in progress if (r["Periode"], r["Kenmerk"]) == key]
        assert sum(isinstance(r["Respondenten (totaal tot nu)"], str) for r in group) != 1


def _method_text(workbook) -> str:
    return "\n".join(str(c.value) for c in workbook["Methode en bronnen"]["A"] if c.value)


def test_method_names_assumptions_exclusions_holm_and_onzeker() -> None:
    assumption = "Huishouden telt personen, niet huishoudens: wij rekenen dat om naar personen."
    coverage = replace(make_coverage(), reference=replace(make_reference(), assumptions=(assumption,)),
                       excluded={"test": 12, "preview": 3, "non_resident": 11, "not_approved": 20,
                                 "under_min_age": 15})
    method = _method_text(load_workbook(io.BytesIO(build_xlsx(coverage=coverage))))
    assert f"Zo is gerekend\n{assumption}" in method
    # Dutch labels; the 3 previews are hidden, and so is the next smallest (11), so the
    # hidden one does not follow from a total
    for line in ("• testinvoer: 12", "• voorbeeldweergave: <10", "• woont niet in de buurt: x",
                 "• niet goedgekeurd: 20", "• jonger dan de minimumleeftijd (18 jaar): 15"):
        assert line in method, line
    assert "Holm" in method and "meer dan 20% van de respondenten" in method
    assert "onzeker: …% onbekend" in method
    assert "Woning (koop/huur) vergelijkt met het aandeel woningen" not in method  # persons now
    no_exclusions = _method_text(load_workbook(io.BytesIO(build_xlsx(coverage=make_coverage()))))
    assert "Alle rijen uit de bestanden tellen mee." in no_exclusions


def test_independence_cells_are_marked_as_such() -> None:
    cells = make_cells(basis="schatting bij onafhankelijkheid", independence=True)
    workbook = load_workbook(io.BytesIO(_full(cells=cells)))
    rows = _rows(workbook["Cellen"])
    assert {r["Bevolking per cel"] for r in rows} == {"schatting bij onafhankelijkheid"}
    sheet = "\n".join(str(c.value) for c in workbook["Cellen"]["A"] if c.value)
    assert "schatting bij onafhankelijkheid" in sheet and "niet als oordeel" in sheet
    assert "schatting bij onafhankelijkheid" in _method_text(workbook)
    seeded = make_cells(basis="tabel met de combinaties")
    workbook = load_workbook(io.BytesIO(_full(cells=seeded)))
    assert "onafhankelijkheid" not in _method_text(workbook)


def test_plan_sheet_groups_channels_and_weeks(workbook) -> None:
    from engagement.planner import plan_fieldwork

    plan = plan_fieldwork(make_respondents(), make_reference())
    ws = workbook["Plan"]
    text = "\n".join(str(c.value) for c in ws["A"] if c.value)
    assert f"Nog {plan.total_needed} mensen spreken in totaal." in text
    groups = _rows(ws, _header_row(ws, "Kenmerk"))
    shown = {(r["Kenmerk"], r["Groep"]): r["Nodig in het plan"] for r in groups}
    assert shown[("Huishouden", "Alleenstaand")] == next(
        g.needed for g in plan.groups if g.category == "eenpersoons")
    assert len(groups) == sum(g.needed > 0 for g in plan.groups)  # only groups still needed
    channels = _rows(ws, _header_row(ws, "Kanaal"))
    # no mix here: lifting 25-45 and corporation tenants through these channels would push
    # another group under its goal, so every channel suggests 0
    assert sum(r["Voorgesteld erbij"] for r in channels) == (plan.total_contacts or 0)
    weeks = {r["Wat"]: r for r in _rows(ws, _header_row(ws, "Soort"))}
    columns = [f"Week {w}" for w in range(1, 5)]
    assert set(columns) <= set(next(iter(weeks.values())))
    hidden = weeks["Herkomst – Buiten Europa"]  # the planted group
    assert [hidden[c] for c in columns] == ["x"] * 4 and str(hidden["Totaal"]).startswith("minstens")
    single = weeks["Huishouden – Alleenstaand"]
    assert sum(single[c] for c in columns) == single["Totaal"] == shown[("Huishouden", "Alleenstaand")]


def test_plan_channel_counts_follow_the_channel_table() -> None:
    """A channel the summary hides is hidden in the Plan sheet too. A channel under 10
    respondents is not planned on at all (engagement.planner.MIN_CHANNEL_RESPONDENTS); the
    one hidden as its complement ('x', 10 bijeenkomsten) is in the plan, hidden there."""
    respondents = make_respondents()
    respondents.loc[respondents.index[40:47], "channel"] = "huisbezoek"  # 7 home visits
    respondents.loc[respondents.index[70:80], "channel"] = "bijeenkomst"  # 10: the complement
    workbook = load_workbook(io.BytesIO(_full(respondents=respondents)))
    ws = workbook["Plan"]
    channels = {r["Kanaal"]: r for r in _rows(ws, _header_row(ws, "Kanaal"))}
    assert "Huisbezoeken" not in channels
    assert channels["Bijeenkomsten"]["Respondenten tot nu toe"] == "x"
    assert channels["Bijeenkomsten"]["Per dag tot nu toe"] in ("x", None, "")
    summary = {r["Kanaal"]: r["Respondenten"]
               for r in _rows(workbook["Samenvatting"], _header_row(workbook["Samenvatting"], "Kanaal"))}
    assert summary["Huisbezoeken"] == "<10" and summary["Bijeenkomsten"] == "x"


def test_excluded_rows_are_counted_per_reason_and_left_out_of_the_channels() -> None:
    """Through the real engine: test rows and a minor are named in the method section (as
    small counts, hidden) and the channel totals add up to the respondents that count."""
    demo = pytest.importorskip("store.demo")
    from engagement.coverage import compute_coverage

    respondents = demo.demo_respondents().assign(excluded="")
    respondents.loc[respondents.index[:12], "excluded"] = "test"
    respondents.loc[respondents.index[12:15], "excluded"] = "preview"
    respondents.loc[respondents.index[15], ["age", "age_band"]] = [16.0, "15-25"]
    coverage = compute_coverage(respondents, demo.demo_reference())
    assert coverage.excluded == {"test": 12, "preview": 3, "under_min_age": 1}
    workbook = load_workbook(io.BytesIO(build_xlsx(coverage=coverage, respondents=respondents)))
    method = _method_text(workbook)
    # two small counts hidden; no total of the excluded rows is published, so 12 may stay
    assert "• testinvoer: 12" in method
    assert "• voorbeeldweergave: <10" in method and "• jonger dan de minimumleeftijd (18 jaar): <10" in method
    summary = _rows(workbook["Samenvatting"], _header_row(workbook["Samenvatting"], "Kanaal"))
    assert sum(r["Respondenten"] for r in summary) == coverage.respondents == 300 - 16


def _flagged_profiles_and_coverage():
    """The fixture's profiles with a flagged small card and a typical-answers card, and a
    profile coverage result as profiles.coverage.profile_coverage_result makes it."""
    from profiles.coverage import ASSUMPTION_FREE, CAVEAT, ProfileCoverageResult, ProfileShare

    profiles = make_profiles()
    note = ("Klein, onzeker: een kleine groep (4 mensen, 2,5% van de respondenten), dus wie er "
            "precies bij hoort is minder zeker. De groep is wel getoond.")
    typical = ({"item": "Ik vertrouw erop dat de gemeente iets met mijn mening doet", "column": "item:v",
                "answer": "neutraal", "share_in": 0.7, "share_out": 0.2, "kind": "typisch"},)
    cards = (*profiles.cards[:2], replace(profiles.cards[2], top_answers=typical),
             replace(profiles.cards[3], flag="klein, onzeker", note=note, stability=0.5))
    estimate, low, high = [0.3, 0.3, 0.2, 0.2], [0.2, 0.2, 0.1, 0.1], [0.4, 0.4, 0.3, 0.5]
    flags, maybe = ["over", "ok", "uncertain", "uncertain"], [False, False, False, True]
    shares = tuple(ProfileShare(profile=i, name=c.name, respondent_share=c.share,
                                population_share_estimate=estimate[i], ratio=c.share / estimate[i],
                                flag=flags[i], covered_share=1.0, reference="cbs_cellen",
                                share_low=low[i], share_high=high[i], ratio_low=c.share / high[i],
                                ratio_high=c.share / low[i], possibly_under=maybe[i])
                   for i, c in enumerate(cards))
    table = ProfileCoverageResult(profiles=shares, reference="cbs_cellen", caveat=CAVEAT,
                                  assumption=ASSUMPTION_FREE.format(gamma="4", within="", within_point=""))
    return replace(profiles, cards=cards), table


def test_profile_sheet_has_flag_note_bracket_and_no_p_values() -> None:
    from reports.report import build_report_data

    profiles, table = _flagged_profiles_and_coverage()
    data = build_report_data(coverage=make_coverage(), respondents=make_respondents(), profiles=profiles,
                             profile_coverage=table)
    sheet = data.profiles.set_index("Profiel")
    assert not any("p_adj" in c or "p-waarde" in c for c in data.profiles.columns)
    assert sheet.loc["Op afstand", "Let op"] == "klein, onzeker"
    # a hidden profile (4 < k) shows no count: not in its own column, not in its note
    assert "4 mensen" not in sheet.loc["Op afstand", "Toelichting"]
    assert sheet.loc["Op afstand", "Toelichting"].startswith("Klein, onzeker: een kleine groep, dus")
    assert sheet.loc["Op afstand", "Aantal"] != 4 and sheet.loc["Op afstand", "Marge hoog"] != 0.5
    assert sheet.loc["Meebouwers", "Marge laag"] == 0.2 and sheet.loc["Meebouwers", "Marge hoog"] == 0.4
    assert sheet.loc["Meebouwers", "Oordeel"] == "meer gesproken dan er wonen"
    assert sheet.loc["Kritische betrokkenen", "Oordeel"] == "ongeveer naar verhouding gesproken"
    assert sheet.loc["Vertrouwende toeschouwers", "Oordeel"].startswith("niet te zeggen")
    assert sheet.loc["Op afstand", "Oordeel"].startswith("misschien minder gesproken")
    assert sheet.loc["Vertrouwende toeschouwers", "Kenmerkende antwoorden"].startswith(
        "Geen antwoord springt eruit; het meest gegeven: Ik vertrouw erop dat de gemeente iets met mijn mening doet")
    # the caveat is said once, in the summary and as the sheet's note
    summary = " ".join(data.summary)
    assert "Wegen op leeftijd en geslacht lost dat niet op" in summary
    assert "Klein of onzeker, maar wel getoond: Op afstand" in summary
    assert "Mogelijk weinig gesproken (zeker weten kan alleen met een aselecte steekproef): Op afstand" in summary
    assert "Wegen op leeftijd" in data.notes["Profielen"]
    advice = data.advice.set_index("Groep").loc["Bewoners uit het profiel Op afstand"]
    assert advice["Oordeel"] == "mogelijk weinig gesproken"
    book = load_workbook(io.BytesIO(_full(profiles=profiles, profile_coverage=table)))
    header = [c.value for c in book["Profielen"][1]]
    assert {"Let op", "Toelichting", "Marge laag", "Marge hoog", "Oordeel"} <= set(header)


def test_without_flags_the_profile_sheet_stays_narrow(workbook) -> None:
    header = [c.value for c in workbook["Profielen"][1]]
    assert "Let op" not in header and "Toelichting" not in header


def test_text_and_table_round_a_half_count_the_same_way() -> None:
    """2876.5 eligible residents (CBS counts with an age band cut at 18) is 2.877 in the
    sentence and in the Kerncijfers cell, as Excel rounds it."""
    from reports.text import fmt_int, whole

    assert fmt_int(2876.5) == "2.877" and whole(2876.5) == 2877 and whole(2876.4) == 2876


# ---------------------------------------------------------------- print layout, counts, words (issue 16)

TABLE_SHEETS = ("Bereik per kenmerk", "Cellen", "Profielen", "Voortgang", "Aanbevelingen")


def _dated_respondents():
    """The fixture's respondents with answer dates over three weeks (for the weekly totals)."""
    import pandas as pd

    frame = make_respondents()
    days = [pd.Timestamp("2025-03-03") + pd.Timedelta(days=int(i * 20 / len(frame))) for i in range(len(frame))]
    return frame.assign(responded_at=days)


@pytest.fixture(scope="module")
def demo_workbook():
    """The demo project through the real engines: estimated (fractional) counts included."""
    demo = pytest.importorskip("store.demo")
    from engagement.pipeline import analyse

    respondents, reference = demo.demo_respondents(), demo.demo_reference()
    result = analyse(respondents, reference)
    return load_workbook(io.BytesIO(build_xlsx(respondents=respondents, project_name="Demo",
                                               **result.report_arguments())))


def test_table_sheets_print_to_the_page_width_with_their_header_repeated(workbook) -> None:
    for name in TABLE_SHEETS:
        ws = workbook[name]
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), name  # as many pages high as needed
        assert ws.print_title_rows in ("1:1", "$1:$1"), name
        assert not ws._charts, f"{name}: a chart on a sheet scaled to its width prints too small"
        header = [c for c in ws[1] if c.value]
        assert all(c.alignment.wrap_text for c in header), name  # long headers wrap, columns stay narrow


def test_columns_are_as_wide_as_what_they_show(workbook) -> None:
    ws = workbook["Bereik per kenmerk"]
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1] if c.value}
    # shares were once as wide as str(0.1255403…) (21); now as wide as "12,6%", the header's longest
    # word or the column of the test table below ("Vrijheidsgraden")
    assert widths["Aandeel bevolking"] <= 17 and widths["Verhouding"] <= 14
    assert sum(widths.values()) < 215  # was 257 before issue 16


def test_charts_have_their_own_sheet_at_full_size_and_no_page_break_cuts_one(workbook_bytes, workbook) -> None:
    from reports.xlsx import CHARTS_SHEET, PAGE_ROWS, ROW_CM

    ws = workbook[CHARTS_SHEET]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.orientation == "landscape"
    names = zipfile.ZipFile(io.BytesIO(workbook_bytes)).namelist()
    drawings = [n for n in names if n.startswith("xl/drawings/drawing") and n.endswith(".xml")]
    assert len(drawings) == 1  # every chart on the one chart sheet
    xml = zipfile.ZipFile(io.BytesIO(workbook_bytes)).read(drawings[0]).decode()
    import re

    starts = [int(r) for r in re.findall(r"<from><col>\d+</col><colOff>\d+</colOff><row>(\d+)</row>", xml)]
    extents = [int(cy) / 360000 for cy in re.findall(r'<ext cx="\d+" cy="(\d+)"', xml)]
    assert len(starts) == len(extents) == 6
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    pages = [0, *breaks]
    for start, height in zip(starts, extents):
        first, last = start + 1, start + 1 + math.ceil(height / ROW_CM)
        assert not any(first <= b < last for b in breaks), f"page break inside the chart at row {first}"
        page_start = max(p for p in pages if p < first)
        assert last - page_start <= PAGE_ROWS + 1  # fits on its page


def _count_cells(workbook):
    """(sheet, column, cell) for every cell a person reads as a number of people: a cell
    under a table header in COUNT_COLUMNS, and Kerncijfers values with a whole-number format."""
    from reports.report import COUNT_COLUMNS
    from reports.xlsx import HEADER_FILL

    for ws in workbook.worksheets:
        header: dict[int, str] = {}
        for row in ws.iter_rows():
            if row[0].fill.fgColor.rgb == HEADER_FILL.fgColor.rgb and row[0].value:
                header = {c.column: str(c.value) for c in row if c.value}
                continue
            for cell in row:
                name = header.get(cell.column, "")
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) and (
                        name in COUNT_COLUMNS or name.startswith("Week ")
                        or (name == "Waarde" and cell.number_format == "#,##0")):
                    yield ws.title, name, cell


def test_no_count_is_a_fraction_anywhere(demo_workbook, workbook) -> None:
    for book in (demo_workbook, workbook):
        cells = list(_count_cells(book))
        assert len(cells) > 50
        fractions = [(t, n, c.coordinate, c.value) for t, n, c in cells if not isinstance(c.value, int)]
        assert fractions == []
    # the demo's reference has estimated, fractional counts (an age band cut at 18): shown whole
    summary = "\n".join(str(c.value) for c in demo_workbook["Samenvatting"]["A"] if c.value)
    waarde = {r["Onderwerp"]: r["Waarde"]
              for r in _rows(demo_workbook["Samenvatting"], _header_row(demo_workbook["Samenvatting"], "Onderwerp"))}
    eligible = waarde["Bewoners van 18 jaar en ouder"]
    assert f"Er wonen {eligible:,} mensen".replace(",", ".") in summary  # one rounding rule for text and cell


def test_voortgang_dates_are_dutch_dates_and_weekly_totals_sit_beside_their_chart(demo_workbook) -> None:
    from reports.xlsx import CHARTS_SHEET, DUTCH_DATE

    ws = demo_workbook["Voortgang"]
    periods = [c for c in ws["A"][1:] if isinstance(c.value, dt.datetime)]
    assert periods and all(c.number_format == DUTCH_DATE for c in periods)
    charts = demo_workbook[CHARTS_SHEET]
    week_row = _header_row(charts, "Week tot en met")
    weeks = _rows(charts, week_row)
    assert weeks[-1]["Week tot en met"] == "13 okt 2024" and weeks[-1]["Totaal (opgeteld)"] == 300
    assert {"Online", "Op papier", "Straatgesprekken"} <= set(weeks[0])
    for row in weeks:  # a channel is a count or a mark, never a fraction
        assert all(isinstance(v, int) or v in ("<10", "x") for k, v in row.items() if k not in ("Week tot en met", None))


def test_a_report_without_profiles_says_why() -> None:
    reason = "Het kompas heeft minstens één vraag over betrokkenheid én één over vertrouwen nodig."
    workbook = load_workbook(io.BytesIO(build_xlsx(coverage=make_coverage(), respondents=make_respondents(),
                                                   profile_problem=reason)))
    summary = "\n".join(str(c.value) for row in workbook["Samenvatting"].iter_rows() for c in row if c.value)
    assert f"Er zijn geen betrokkenheidsprofielen gemaakt. {reason}" in summary
    assert workbook["Profielen"]["A2"].value == f"Er zijn geen betrokkenheidsprofielen gemaakt. {reason}"
    # with profiles, a stale reason is not said
    workbook = load_workbook(io.BytesIO(_full(profile_problem=reason)))
    summary = "\n".join(str(c.value) for row in workbook["Samenvatting"].iter_rows() for c in row if c.value)
    assert "geen betrokkenheidsprofielen" not in summary


def test_the_workbook_points_to_its_sheets(workbook) -> None:
    summary = "\n".join(str(c.value) for row in workbook["Samenvatting"].iter_rows() for c in row if c.value)
    assert "staat in het blad Aanbevelingen" in summary and "staan in het blad Plan" in summary


def test_write_report_passes_the_profile_reason_on(tmp_path) -> None:
    reason = "Te weinig respondenten met genoeg antwoorden voor het kompas."
    path = write_report(tmp_path / "r.html", coverage=make_coverage(), profile_problem=reason)
    assert f"Er zijn geen betrokkenheidsprofielen gemaakt. {reason}" in path.read_text(encoding="utf-8")


def test_the_summary_prints_on_one_page(workbook) -> None:
    ws = workbook["Samenvatting"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 1
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.orientation == "landscape"


# --------------------------------------------------------------------------- Buurten and Thema's

@pytest.fixture(scope="module")
def areas_workbook_bytes() -> bytes:
    return _full(areas=make_areas(), themes=make_themes())


@pytest.fixture(scope="module")
def areas_workbook(areas_workbook_bytes):
    return load_workbook(io.BytesIO(areas_workbook_bytes))


def _sheet_text(ws) -> str:
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_buurten_and_themas_sheets_follow_the_charts_only_when_given(areas_workbook, workbook) -> None:
    names = areas_workbook.sheetnames
    assert names[names.index("Grafieken") + 1: names.index("Grafieken") + 3] == [AREAS_SHEET, THEMES_SHEET]
    assert set(names) - set(SHEETS) == {AREAS_SHEET, THEMES_SHEET}
    assert AREAS_SHEET not in workbook.sheetnames and THEMES_SHEET not in workbook.sheetnames


def test_buurten_sheet_hides_a_small_buurt_and_its_complement(areas_workbook) -> None:
    ws = areas_workbook[AREAS_SHEET]
    rows = {r["Code"]: r for r in _rows(ws, _header_row(ws, "Buurt"))}
    assert set(rows) == set(AREA_CODES)
    small, other = rows[AREA_CODES[2]], rows[AREA_CODES[1]]
    # 3 respondents: no count, no reach, no groups; 120 + 37 + 3 = 160 is published, so a second one goes
    assert small["Respondenten"] == "<10" and small["Per 100 inwoners"] == "<10"
    assert small["Gemiste groepen (geschat aantal inwoners)"] == "niet getoond: minder dan 10 respondenten"
    assert other["Respondenten"] == "x" and other["Per 100 inwoners"] == "x"
    assert rows[AREA_CODES[0]]["Respondenten"] == 120 and rows[AREA_CODES[3]]["Respondenten"] == 0
    assert rows[AREA_CODES[3]]["Gemiste groepen (geschat aantal inwoners)"] == "nog niemand gesproken"
    text = _sheet_text(ws)
    assert "De meeste jongeren van 18 tot 25 jaar die we missen wonen in Buurt A" in text
    # min_age 18; "about" rounds to tens from 100 (engagement.areas.about): 275 → ~280
    assert "18 tot 25 jaar (~280)" in text and "15 tot 25" not in text
    # Buurt B's 70 missed young people would give away that about 1 young person there took part
    assert other["Gemiste groepen (geschat aantal inwoners)"] == "18 tot 25 jaar (aantal niet getoond)"
    assert "~70" not in text
    assert "In 1 buurt spraken we 1 tot 9 mensen" in text
    assert "Licentie: CC BY 4.0." in text


def test_themas_sheet_is_protected_and_quotes_only_big_themes(areas_workbook) -> None:
    ws = areas_workbook[THEMES_SHEET]
    text = _sheet_text(ws)
    assert "Thema's die we (bijna) alleen van 65-plussers horen" in text
    assert "Ik voel me vaak eenzaam." in text               # 52 people raised loneliness
    assert "zwerfafval" not in text                         # 4 people: no quote of one of four
    header = _header_row(ws, "Kenmerk")
    rows = _rows(ws, header)
    assert rows and {"Kenmerk", "Groep", "Thema", "Noemden dit thema", "Aandeel"} <= set(rows[0])
    for row in rows:
        for column in ("Deelnemers in groep", "Noemden dit thema"):
            value = row[column]
            assert not (isinstance(value, (int, float)) and 0 < value < 10), (row, column)
    groups = {r["Groep"] for r in rows if r["Kenmerk"] == "Leeftijd"}
    assert "18 tot 25 jaar" in groups and "15 tot 25 jaar" not in groups
    overall = {r["Thema"]: r for r in _rows(ws, _header_row(ws, "Thema"))}
    assert overall["Schoon en afval"]["Noemden dit thema"] == "<10"


def test_the_summary_points_to_buurten_and_themas(areas_workbook) -> None:
    text = _sheet_text(areas_workbook["Samenvatting"])
    assert "De meeste jongeren van 18 tot 25 jaar die we missen wonen in Buurt A" in text
    assert "Per buurt: het blad Buurten." in text and "Meer in het blad Thema's." in text


def test_a_min_age_18_report_never_says_15_tot_25(areas_workbook) -> None:
    for ws in areas_workbook.worksheets:
        assert "15 tot 25" not in _sheet_text(ws), ws.title


def _print_area_rows(ws) -> tuple[int, int, str]:
    """(first row, last row, last column letter) of the sheet's print area."""
    import re

    area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
    match = re.search(r"\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)$", area)
    assert match, area
    return int(match.group(2)), int(match.group(4)), match.group(3)


@pytest.mark.parametrize("sheet, first_header", [(THEMES_SHEET, "Kenmerk"), (AREAS_SHEET, "Buurt")])
def test_long_text_led_sheets_repeat_their_table_header_on_every_printed_page(areas_workbook, sheet,
                                                                               first_header) -> None:
    from openpyxl.utils import get_column_letter

    from reports.xlsx import ONE_PAGE_ROWS

    ws = areas_workbook[sheet]
    header = _header_row(ws, first_header)
    assert header > 1  # findings stand above the table, so the default "1:1" would repeat the title
    rows = next(r for r in range(header + 1, ws.max_row + 2) if ws.cell(row=r, column=1).value is None) - header - 1
    if rows > ONE_PAGE_ROWS:  # a table over more than one page repeats its own header …
        assert ws.print_title_rows in (f"{header}:{header}", f"${header}:${header}")
    else:  # … a short one does not, or its header would stand alone above the notes on the next page
        assert not ws.print_title_rows
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    first, last, column = _print_area_rows(ws)
    assert (first, last) == (1, ws.max_row)          # every row the sheet holds, no empty pages after it
    assert column == get_column_letter(ws.max_column)


def test_table_sheets_print_exactly_what_they_hold(workbook) -> None:
    for name in TABLE_SHEETS:
        ws = workbook[name]
        first, last, _ = _print_area_rows(ws)
        assert (first, last) == (1, ws.max_row), name


def test_buurten_sheet_second_table_header_gets_its_lines(areas_workbook) -> None:
    ws = areas_workbook[AREAS_SHEET]
    header = next(c.row for c in ws["C"] if c.value == "Gemiste inwoners (geschat)")
    assert (ws.row_dimensions[header].height or 15) >= 30  # wraps over lines, not over the heading above
    groups = next(c for c in ws[_header_row(ws, "Buurt")] if c.value == "Gemiste groepen (geschat aantal inwoners)")
    assert groups.alignment.indent >= 1 and groups.alignment.horizontal == "left"


def test_expected_people_per_cell_are_whole_numbers() -> None:
    """'Verwacht' counts people: 14,2 expected people reads as 14 (text.whole), in the cell and its format."""
    cells = make_cells()
    odd = replace(cells, cells=tuple(replace(c, expected=c.expected + 0.2) for c in cells.cells))
    ws = load_workbook(io.BytesIO(_full(cells=odd)))["Cellen"]
    rows = _rows(ws)
    expected = [r["Verwacht"] for r in rows if r.get("Verwacht") is not None]
    assert expected and all(isinstance(v, int) for v in expected)
    assert expected == [math.floor(c.expected + 0.5) for c in odd.cells]
    column = [c.value for c in ws[1]].index("Verwacht") + 1
    assert {ws.cell(row=r, column=column).number_format for r in range(2, len(rows) + 2)} == {"#,##0"}


def _widths_of(ws) -> float:
    from openpyxl.utils import get_column_letter

    return sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1))


def test_a_wide_table_sheet_is_narrowed_so_it_prints_large_and_keeps_its_words_whole(workbook) -> None:
    """Printing to the page width shrank 'Bereik per kenmerk' to about 70% (199 wide);
    narrowed (its text wraps) it prints at nearly 90%, and no header word is cut in two."""
    from reports.xlsx import _BREAK, PAGE_WIDTH_CHARS

    ws = workbook["Bereik per kenmerk"]
    assert PAGE_WIDTH_CHARS / _widths_of(ws) >= 0.88
    headers = [c.row for c in ws["A"] if c.value == "Kenmerk"]  # the coverage table and the tests below it
    assert len(headers) == 2
    for row in headers:
        for cell in ws[row]:
            if cell.value:
                word = max(len(w) for w in _BREAK.split(str(cell.value)) if w)
                assert ws.column_dimensions[cell.column_letter].width >= word + 2, cell.value
    end = next(c.row for c in ws["A"][1:] if c.value is None)  # the coverage table's rows
    wrapped = [c for row in ws.iter_rows(min_row=2, max_row=end - 1) for c in row
               if isinstance(c.value, str) and c.alignment.wrap_text]
    assert all((ws.row_dimensions[c.row].height or 15) >= 30 for c in wrapped
               if len(c.value) > ws.column_dimensions[c.column_letter].width)


def test_a_long_summary_keeps_its_figures_together_on_the_next_page() -> None:
    """The 'Respondenten per kanaal' heading stood alone at the bottom of page 1: a summary
    longer than a page puts Kerncijfers and the channels on a page of their own."""
    from reports.report import build_report_data
    from reports.xlsx import build_workbook

    data = build_report_data(coverage=make_coverage(), respondents=make_respondents(), project_name="Lang")
    ws = build_workbook(replace(data, summary=data.summary * 6))["Samenvatting"]
    heading = next(c.row for c in ws["A"] if c.value == "Kerncijfers")
    assert ws.page_setup.fitToHeight != 1
    assert [b.id for b in ws.row_breaks.brk] == [heading - 1]  # a break above the heading


def _pages(ws) -> list[list[int]]:
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    edges = [0, *breaks, ws.max_row]
    return [list(range(a + 1, b + 1)) for a, b in zip(edges, edges[1:])]


@pytest.mark.parametrize("sheet", ["Aanbevelingen", "Thema's", "Methode en bronnen", "Plan", "Voortgang"])
def test_long_sheets_break_where_no_heading_or_last_row_stands_alone(areas_workbook, sheet) -> None:
    """Every page break is set: each page fits (rows as Excel prints them, scaled to the
    width), no page ends with a heading or a table header, and a table's last row never
    starts a page alone."""
    from reports.xlsx import PAGE_HEIGHT_POINTS, PAGE_WIDTH_CHARS, _kind

    ws = areas_workbook[sheet]
    scale = min(1.0, PAGE_WIDTH_CHARS / _widths_of(ws))
    pages = _pages(ws)
    total = sum(ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1))
    assert len(pages) >= (2 if total * scale > PAGE_HEIGHT_POINTS else 1)
    for page in pages:
        assert sum(ws.row_dimensions[r].height or 15 for r in page) * scale <= PAGE_HEIGHT_POINTS + 1 or \
            len(page) == 1
    for page, after in zip(pages, pages[1:]):
        assert _kind(ws, page[-1]) not in ("heading", "header"), (sheet, page[-1])
        lone = _kind(ws, after[0]) == "data" and _kind(ws, after[0] + 1) != "data" \
            and _kind(ws, page[-1]) == "data"
        assert not lone, (sheet, after[0])


SHARE_WORDS = ("Aandeel", "Verhouding", "Marge", "Geschat aandeel")


def test_no_share_ratio_or_margin_in_any_sheet_reads_as_under_k(demo_workbook) -> None:
    """'<10' in a share column reads as "under 10 %": a hidden count's share, ratio and
    margins read '–' in every sheet (reports.privacy.protected_share)."""
    seen = 0
    for ws in demo_workbook.worksheets:
        for row in _rows(ws):
            for column, value in row.items():
                if isinstance(column, str) and column.startswith(SHARE_WORDS) and isinstance(value, str):
                    assert not value.startswith("<") and value != "x", (ws.title, column, value)
                    seen += value == "–"
    assert seen > 0  # the demo has hidden groups
