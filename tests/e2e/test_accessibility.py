"""Accessibility in headless Chromium: axe-core on every page of the demo (and on the
Importeren page with a file chosen and after the import), and the import flow by keyboard.

A team member who uses a screen reader or no mouse must be able to create a project and
import an export. axe reports no serious or critical violation in our pages; the one rule
pair left out for part of the page is Streamlit's own sidebar navigation (see NAV_RULES).
"""
from __future__ import annotations

import pytest

pytest.importorskip("playwright")
pytest.importorskip("axe_playwright_python")
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests import builders
from tests.e2e.dashboard import settle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PAGES = ["Bereik", "Project", "Importeren", "Profielen", "Voortgang", "Buurten", "Thema's", "Aanbevelingen", "Rapport",
         "Over & privacy"]
SEVERE = ("serious", "critical")
# Streamlit draws the section titles of st.navigation ("Project", "Inzicht", "Delen") as
# non-<li> children of the sidebar's <ul>: axe's `list` and `listitem` rules flag that
# markup, which is Streamlit's and which we cannot change. Those two rules are run on the
# rest of the page only; every other rule runs on the sidebar too.
NAV_RULES = ("list", "listitem")
STREAMLIT_NAV = "[data-testid='stSidebarNav']"

_axe = Axe()


def _severe(page: Page) -> list[str]:
    """Serious and critical axe violations on the page as it is now, one line per node."""
    page.evaluate("document.querySelectorAll('details:not([open]) > summary').forEach(s => s.click())")
    page.wait_for_timeout(300)  # expanders open, so the tables inside them are checked too
    everything = _axe.run(page, options={
        "resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in NAV_RULES}})
    lists = _axe.run(page, context={"exclude": [[STREAMLIT_NAV]]},
                     options={"resultTypes": ["violations"], "runOnly": list(NAV_RULES)})
    found = []
    for result in (everything, lists):
        for violation in result.response["violations"]:
            if violation["impact"] in SEVERE:
                found += [f"{violation['impact']} {violation['id']}: {violation['help']} at "
                          f"{node['target']} {node['html'][:120]}" for node in violation["nodes"]]
    return found


def _goto(page: Page, link: str) -> None:
    page.get_by_role("link", name=link, exact=True).click()
    settle(page, 500)
    expect(page.locator("h1").first).to_be_visible(timeout=60_000)


def test_every_demo_page_has_no_serious_violations(page: Page, app_url: str, tmp_path) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(app_url)
    settle(page, 500)
    expect(page.get_by_text("fictief voorbeeldproject", exact=False).first).to_be_visible(timeout=60_000)
    problems: dict[str, list[str]] = {}
    for name in PAGES:
        _goto(page, name)
        problems[name] = _severe(page)

    # the Importeren page with a file chosen (role editor, channel) and after the import
    _goto(page, "Importeren")
    export = tmp_path / "wijkenquete.xlsx"
    export.write_bytes(builders.ms_forms_xlsx(builders.wijk_answers(n=20, seed=7)))
    page.locator("[data-testid='stFileUploaderDropzone'] input[type='file']").set_input_files(str(export))
    button = page.get_by_role("button", name="Importeer 1 bestand in", exact=False)
    expect(button).to_be_visible(timeout=90_000)
    settle(page, 500)
    problems["Importeren (bestand gekozen)"] = _severe(page)
    button.click()
    expect(page.get_by_text("20 nieuwe antwoorden", exact=False)).to_be_visible(timeout=90_000)
    settle(page, 500)
    problems["Importeren (na import)"] = _severe(page)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the sidebar is folded away
    page.goto(app_url)  # Bereik, the first page
    settle(page, 500)
    expect(page.get_by_role("heading", name="Bereik", exact=True)).to_be_visible(timeout=60_000)
    problems["Bereik (telefoon)"] = _severe(page)
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}


def _focused(page: Page) -> str:
    """The name of the focused control: its aria-label, or the text of a button or link
    (a focusable container such as a tab panel does not count by the text inside it)."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        if (!e) return "";
        const text = ["BUTTON", "A"].includes(e.tagName) ? (e.innerText || "") : "";
        return (e.getAttribute("aria-label") || text).trim();
    }""")


def _tab_to(page: Page, text: str, limit: int = 150) -> None:
    """Press Tab until the focused element is named `text` (keyboard only, no clicks)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = _focused(page)
        if text in name:
            return
        seen.append(name)
    pytest.fail(f"'{text}' is niet met Tab te bereiken; wel: {seen[-15:]}")


def test_create_a_project_and_import_by_keyboard(page: Page, app_url: str, tmp_path) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{app_url}/project")
    settle(page, 500)
    expect(page.get_by_role("heading", name="Project", exact=True)).to_be_visible(timeout=60_000)

    _tab_to(page, "Naam van het nieuwe project")
    page.keyboard.type("Toetsenbordwijk")
    _tab_to(page, "Project aanmaken")
    page.keyboard.press("Space")
    settle(page, 800)
    expect(page.get_by_text("Het project Toetsenbordwijk is aangemaakt", exact=False)).to_be_visible(
        timeout=60_000)
    expect(page.get_by_text("Open project: Toetsenbordwijk")).to_be_visible()

    _tab_to(page, "Importeren")  # the page link in the sidebar
    page.keyboard.press("Enter")
    settle(page, 500)
    expect(page.get_by_role("heading", name="Importeren", exact=True)).to_be_visible(timeout=60_000)
    # Choosing a file opens the system's file dialog, which the browser test cannot drive;
    # the file goes in as if chosen there. Everything after it is by keyboard.
    export = tmp_path / "toetsenbord.csv"
    export.write_bytes(builders.google_forms_csv(builders.wijk_answers(n=12, seed=21)))
    page.locator("[data-testid='stFileUploaderDropzone'] input[type='file']").set_input_files(str(export))
    expect(page.get_by_role("button", name="Importeer 1 bestand in", exact=False)).to_be_visible(timeout=90_000)
    settle(page, 500)
    _tab_to(page, "Importeer 1 bestand in")
    page.keyboard.press("Enter")
    expect(page.get_by_text("toetsenbord.csv: 12 nieuwe antwoorden toegevoegd")).to_be_visible(timeout=90_000)
    settle(page, 500)
    # the uploader starts empty again: no Import button left to press twice
    expect(page.get_by_role("button", name="Importeer 1 bestand in", exact=False)).to_have_count(0)
