"""The "done when" journey of a new user, in headless Chromium against `streamlit run app.py`.

Create a project for two real Utrecht buurten (searched in the real KWB 2023 file), upload
a Microsoft Forms export, a Google Forms export and a conversation log at once, see coverage
and profiles; stop the server, start a new one on the same data directory, open a new
browser and find the project with the same number of respondents.

(Every tool's export of the same questionnaire lines up into the same answer columns;
tests/test_combine_tools.py checks that for five tools.)
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, expect

from tests import builders
from tests.e2e.dashboard import counted, dashboard, pick_option, settle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PROJECT = "Wijkaanpak Lombok"
N_FORMS, N_GOOGLE, N_LOG = 40, 25, 15
TOTAL = N_FORMS + N_GOOGLE + N_LOG


def _exports() -> list[tuple[str, bytes]]:
    return [("wijkenquete_forms.xlsx", builders.ms_forms_xlsx(builders.wijk_answers(n=N_FORMS, seed=11))),
            ("wijkenquete_google.csv", builders.google_forms_csv(builders.wijk_answers(n=N_GOOGLE, seed=12))),
            ("gesprekken_markt.xlsx", builders.conversation_log_xlsx(n=N_LOG, seed=13))]


COUNTED = counted(_exports())  # the 18+ respondents among the TOTAL rows
CBS_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "cbs"


def _settle(page: Page) -> None:
    settle(page, pause_ms=400)


def _goto(page: Page, link: str) -> None:
    page.get_by_role("link", name=link).click()
    _settle(page)
    expect(page.get_by_role("heading", name=link, exact=True).first).to_be_visible(timeout=60_000)


def _choose_area(page: Page, query: str, option: str) -> None:
    box = page.get_by_role("textbox", name="Zoek een buurt of wijk op naam of code")
    box.fill(query)
    box.press("Enter")
    _settle(page)
    pick_option(page, page.locator("[data-testid='stMultiSelect']"), option)
    _settle(page)


def _no_error(page: Page) -> None:
    errors = page.locator("[data-testid='stAlertContentError'], [data-testid='stException']")
    assert errors.count() == 0, errors.all_inner_texts()


def _metric(page: Page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def _create_project(page: Page, shots: Path) -> None:
    _goto(page, "Project")
    page.get_by_label("Naam van het nieuwe project").fill(PROJECT)
    page.get_by_role("button", name="Project aanmaken").click()
    _settle(page)
    expect(page.get_by_text(f"Open project: {PROJECT}")).to_be_visible(timeout=30_000)

    kwb = CBS_DIR / "kwb2023_utrecht_GM0344.xlsx"  # ../shared beside the clone
    if not kwb.exists():
        pytest.skip(f"{kwb} ontbreekt")
    page.locator("[data-testid='stFileUploaderDropzone'] input[type='file']").first.set_input_files(str(kwb))
    expect(page.get_by_role("textbox", name="Zoek een buurt of wijk op naam of code")).to_be_visible(timeout=60_000)
    _settle(page)
    # Two buurten from two searches: the first choice stays while searching again.
    _choose_area(page, "Lombok", "BU03440121 – Lombok-Oost (Buurt, Utrecht)")
    _choose_area(page, "Welgelegen", "BU03440111 – Welgelegen, Den Hommel (Buurt, Utrecht)")
    expect(page.get_by_text("2 gebieden gekozen", exact=False)).to_be_visible()
    page.screenshot(path=str(shots / "1_project_zoeken.png"), full_page=True)
    page.get_by_role("button", name="Gebruik deze gebieden").click()
    _settle(page)
    info = page.locator("[data-testid='stAlertContentInfo']").filter(has_text="Gebied:")
    expect(info).to_contain_text("Lombok-Oost (BU03440121)", timeout=60_000)
    expect(info).to_contain_text("Welgelegen, Den Hommel (BU03440111)")
    expect(info).to_contain_text("Inwoners: 4.030")  # 2,220 + 1,810 in KWB 2023
    _no_error(page)
    page.screenshot(path=str(shots / "2_project_buurt.png"), full_page=True)


def _import_three(page: Page, shots: Path, files: Path) -> None:
    _goto(page, "Importeren")
    paths = []
    for name, data in _exports():
        paths.append(files / name)
        paths[-1].write_bytes(data)
    page.locator("[data-testid='stFileUploaderDropzone'] input[type='file']").set_input_files(
        [str(p) for p in paths])
    button = page.get_by_role("button", name=f"Importeer 3 bestanden in '{PROJECT}'")
    expect(button).to_be_visible(timeout=90_000)
    _settle(page)
    for tool in ("Microsoft Forms", "Google Forms", "Gesprekkenlijst"):
        expect(page.get_by_text(tool, exact=True).first).to_be_visible()
    page.screenshot(path=str(shots / "3_importeren_herkend.png"), full_page=True)
    button.click()
    for path, n in zip(paths, (N_FORMS, N_GOOGLE, N_LOG)):
        expect(page.get_by_text(f"{path.name}: {n} nieuwe antwoorden toegevoegd")).to_be_visible(timeout=90_000)
    _settle(page)
    _no_error(page)
    page.screenshot(path=str(shots / "4_importeren_klaar.png"), full_page=True)


def _see_coverage_and_profiles(page: Page, shots: Path) -> None:
    _goto(page, "Bereik")
    expect(page.locator("[data-testid='stMetric']").filter(has_text="Gesproken")).to_be_visible(timeout=60_000)
    assert _metric(page, "Gesproken") == str(COUNTED)
    assert _metric(page, "Inwoners (doelgroep)") == "3.506"  # 18+ of both buurten
    expect(page.locator("[data-testid='stVegaLiteChart'] .marks").first).to_be_visible()
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(0)  # Bereik loads no Plotly
    _no_error(page)
    page.screenshot(path=str(shots / "5_bereik.png"), full_page=True)

    _goto(page, "Profielen")
    cards = page.get_by_role("heading", name="De profielen")
    expect(cards.or_(page.get_by_text("te weinig antwoorden op stellingen", exact=False))).to_be_visible(timeout=90_000)
    _settle(page)
    page.screenshot(path=str(shots / "6_profielen.png"), full_page=True)
    expect(cards).to_be_visible()
    _no_error(page)


def _open_project(page: Page) -> None:
    """Pick the project in the sidebar (a fresh session opens the first project)."""
    pick_option(page, page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first, PROJECT)
    _settle(page)
    _goto(page, "Project")
    expect(page.get_by_text(f"Open project: {PROJECT}")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Lombok-Oost (BU03440121)", exact=False)).to_be_visible()


def test_new_user_journey_survives_a_restart(page: Page, browser: Browser, tmp_path: Path) -> None:
    data_dir, files = tmp_path / "data", tmp_path / "files"
    data_dir.mkdir()
    files.mkdir()
    log = tmp_path / "streamlit.log"
    page.set_viewport_size({"width": 1400, "height": 1000})
    with dashboard(data_dir, log=log) as url:
        page.goto(url)
        _settle(page)
        expect(page.get_by_text("fictief voorbeeldproject", exact=False).first).to_be_visible(timeout=60_000)
        _create_project(page, tmp_path)
        _import_three(page, tmp_path, files)
        _see_coverage_and_profiles(page, tmp_path)
    page.context.close()  # the user closes the browser

    with dashboard(data_dir, log=log) as url:  # the next day: a new server on the same data
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        again = context.new_page()
        again.goto(url)
        _settle(again)
        _open_project(again)
        _goto(again, "Bereik")
        expect(again.locator("[data-testid='stMetric']").filter(has_text="Gesproken")).to_be_visible(timeout=60_000)
        assert _metric(again, "Gesproken") == str(COUNTED)
        assert _metric(again, "Inwoners (doelgroep)") == "3.506"
        again.screenshot(path=str(tmp_path / "7_bereik_volgende_dag.png"), full_page=True)
        _goto(again, "Importeren")
        table = again.locator("table.bw-stacked").first  # the imported files (ui.widgets.stacked_table)
        expect(table).to_be_visible(timeout=60_000)
        for name in ("wijkenquete_forms.xlsx", "wijkenquete_google.csv", "gesprekken_markt.xlsx"):
            expect(again.get_by_text(re.compile(re.escape(name))).first).to_be_attached()
        _no_error(again)
        context.close()
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")[-3000:]
