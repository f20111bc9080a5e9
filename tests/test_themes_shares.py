"""Thema's page: a hidden share reads as hidden ('–'), '<10' only where the value is a count of
people; the share bar of the overview sits under the figure (a CSS variable per cell and the
page's BAR_CSS), never as a cell background from the card's edge over the word 'Aandeel'."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from builders import stacked_tables
from streamlit.testing.v1 import AppTest

from ui import themes_parts
from ui.widgets import stacked_table_html

PAGE = str(Path(__file__).resolve().parents[1] / "ui" / "pages" / "themas.py")
MARKS = ("<10", "x")


@pytest.fixture()
def page(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def test_detail_table_hides_shares_as_a_dash_and_says_why(page: AppTest) -> None:
    detail = next(f for f in stacked_tables(page) if "Ondergrens" in f.columns)
    hidden = detail["Noemden dit thema"].isin(MARKS)
    assert hidden.any(), "the demo hides some theme × group cells"
    for column in themes_parts.SHARE_COLUMNS:
        assert not detail[column].isin(MARKS).any(), column
        assert (detail.loc[hidden, column] == "–").all(), column
        assert detail.loc[~hidden, column].str.endswith("%").all(), column
    captions = "\n".join(c.value for c in page.caption)
    assert "'–' bij aandeel en marge: verborgen" in captions and "minder dan 10 mensen" in captions


def test_share_bar_is_drawn_under_the_figure(page: AppTest) -> None:
    assert themes_parts._bar(0.22) == "--bw-share: 22.0%" and themes_parts._bar(None) == ""
    assert themes_parts._bar(1.7) == "--bw-share: 100.0%"
    frame = pd.DataFrame({"Thema": ["Groen"], "Aandeel": ["22%"]})
    styles = pd.DataFrame({"Thema": [""], "Aandeel": [themes_parts._bar(0.22)]})
    body = stacked_table_html(frame, row_header=True, styles=styles)
    assert 'data-label="Aandeel" style="--bw-share: 22.0%">22%</td>' in body
    assert "background" not in body.split("</style>")[-1]  # no cell background behind the text
    css = themes_parts.BAR_CSS
    phone = css[css.index("@media (max-width: 640px)"):]
    assert "::after" in css and "var(--bw-share)" in css
    assert "display: grid" in phone and "grid-column: 2" in phone  # under the figure, not the label
    bodies = [e.proto.body for e in page.get("html")]
    assert css in bodies  # the page sends the rule with its overview
    overview = next(b for b in bodies if "Noemden dit thema" in b and "--bw-share" in b)
    assert "linear-gradient" not in overview.split("</style>")[-1]
