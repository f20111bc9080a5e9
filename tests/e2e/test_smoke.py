"""End-to-end in headless Chromium: demo opens, upload an MS Forms export, see coverage,
download the Excel report."""
from __future__ import annotations

import io

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Page, expect

from tests import builders
from tests.e2e.dashboard import settle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _settle(page: Page) -> None:
    settle(page)


def test_upload_then_coverage_then_report(page: Page, app_url: str, tmp_path) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(app_url)
    _settle(page)
    expect(page.get_by_role("heading", name="Bereik")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("fictief voorbeeldproject", exact=False).first).to_be_visible()

    page.get_by_role("link", name="Importeren").click()
    _settle(page)
    export = tmp_path / "wijkenquete.xlsx"
    export.write_bytes(builders.ms_forms_xlsx(builders.wijk_answers(n=30, seed=5)))
    page.locator('[data-testid="stFileUploaderDropzone"] input[type="file"]').set_input_files(str(export))
    expect(page.get_by_text("Microsoft Forms").first).to_be_visible(timeout=60_000)
    _settle(page)
    page.get_by_role("button", name="Importeer 1 bestand in", exact=False).click()
    expect(page.get_by_text("30 nieuwe antwoorden", exact=False)).to_be_visible(timeout=60_000)
    _settle(page)

    page.get_by_role("link", name="Bereik").click()
    _settle(page)
    expect(page.get_by_text("ondervertegenwoordigd", exact=False).first).to_be_visible(timeout=60_000)
    page.screenshot(path=str(tmp_path / "bereik.png"), full_page=True)

    page.get_by_role("link", name="Rapport").click()
    _settle(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download Excel-rapport", exact=False).click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(open(path, "rb").read()))
    assert "Samenvatting" in book.sheetnames
