"""What a screen reader hears: Streamlit's own control names in Dutch (ui.dutch_labels).

Streamlit names its controls in English ("Help for Kanaal", "Fullscreen", "Remove Online",
the uploader's "Upload" and "50MB per file"); a Dutch officer with a screen reader heard
those on every page. In headless Chromium every page of the demo is read as the
accessibility tree sees it: its names, titles, placeholders and role descriptions, and the
uploader's text. None may be one of Streamlit's English names.
"""
from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Page, expect

from tests.e2e.dashboard import settle
from ui.dutch_labels import EXACT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PAGES = ["Bereik", "Project", "Importeren", "Profielen", "Voortgang", "Buurten", "Thema's", "Aanbevelingen",
         "Rapport", "Over & privacy"]
ENGLISH = re.compile(r"^(Help for .+|Remove .+|.+ — (start|end)|[a-z_]+ icon|Title text .+|"
                     r"[a-z]+ mark( container)?|.*MB per file.*|Drag and drop.*|[XY]-axis.*|"
                     r"(Symbol|Gradient|Size) legend.*|(day|month|year), .+)$")
NAMES = """() => {
  const found = [];
  for (const e of document.querySelectorAll('[aria-label],[title],[placeholder],[aria-roledescription]')) {
    for (const a of ['aria-label', 'title', 'placeholder', 'aria-roledescription']) {
      const v = e.getAttribute(a);
      if (v) found.push(v.trim());
    }
  }
  document.querySelectorAll('[data-testid="stFileUploaderDropzone"]').forEach(
    (zone) => zone.innerText.split('\\n').forEach((line) => found.push(line.trim())));
  return found;
}"""


def _english(names: list[str]) -> list[str]:
    return sorted({n for n in names if n in EXACT or ENGLISH.match(n)})


def test_streamlit_controls_are_named_in_dutch(page: Page, app_url: str) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(app_url)
    settle(page, 500)
    expect(page.get_by_role("heading", name="Bereik", exact=True).first).to_be_visible(timeout=90_000)
    seen: dict[str, list[str]] = {}
    for link in PAGES:
        if link != "Bereik":
            page.get_by_role("link", name=link, exact=True).click()
            settle(page, 500)
            expect(page.locator("h1").first).to_be_visible(timeout=60_000)
        page.wait_for_timeout(800)  # the charts' own names are drawn after the page
        names = page.evaluate(NAMES)
        assert len(names) > 5, f"{link}: geen namen gevonden"
        seen[link] = _english(names)
    assert {link: english for link, english in seen.items() if english} == {}
    # the Dutch is really there: a help icon, the uploader, a chart's role
    page.get_by_role("link", name="Importeren", exact=True).click()
    settle(page, 500)
    names = page.evaluate(NAMES)
    assert "Kies bestand" in names
    assert any(n.startswith("Uitleg bij ") for n in names)


def test_a_team_typed_name_is_left_as_typed() -> None:
    """The renaming is for Streamlit's English only: Dutch words of the page never match."""
    from ui.dutch_labels import PATTERNS

    for typed in ("Open project", "Kanaal", "Straatgesprek", "Help de buurt", "Stoppen met roken"):
        assert typed not in EXACT
        assert not any(re.match(pattern, typed) for pattern, _ in PATTERNS)
