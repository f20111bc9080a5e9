"""User text is shown as typed: never a link, an image a browser fetches, HTML or markup.

Issue 12: a project named `![t](http://…/track.png)` made every viewer's browser fetch an
outside URL; profile names went through st.markdown the same way, and a link in a
profile name became clickable inside a chart. ui.widgets.plain / plain_lines escape
Markdown (checked here with a CommonMark parser); the dashboard's charts are Vega-Lite,
which draws every string as text; the AppTest below plants hostile names and reads every
text and every chart spec on every page.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from store.projects import Store
from ui.widgets import parse_targets, plain, plain_lines

APP = Path(__file__).resolve().parents[1] / "app.py"
TRACKER = "http://127.0.0.1:9/track.png"
HOSTILE = [
    f"![t]({TRACKER})", "[klik hier](http://evil.example/login)", "<http://evil.example>",
    "<img src=x onerror=alert(1)>", "<a href='http://evil.example'>x</a>",
    "https://evil.example/pad", "www.evil.example", "jan@evil.example",
    "**vet** _schuin_ ~~weg~~ `code`", "# Kop", "> citaat", "- lijst", "+ lijst", "1. lijst",
    "2) lijst", "| a | b |", ":red[rood] :material/lock: :smile:", "$x^2$", "&lt;b&gt; &amp;",
    "regel een\nregel twee\n\n# kop na lege regel", "\\![t](x)", "[x][ref]\n\n[ref]: http://e.x",
    "Wijk-Zuid (2026)", "Transvaal zuid", "=== ---",
]
_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_FORBIDDEN = {"link_open", "image", "html_inline", "html_block", "code_inline", "em_open",
              "strong_open", "s_open", "heading_open", "bullet_list_open", "ordered_list_open",
              "blockquote_open", "table_open", "code_block", "fence", "hr", "lheading_open"}


def _tokens(markdown: str) -> list:
    out = []
    for token in _MD.parse(markdown):
        out.append(token)
        out += token.children or []
    return out


def _shown_text(markdown: str) -> str:
    """The text a reader sees (CommonMark rendering, line breaks as spaces; the invisible
    word joiner that breaks autolinks is not seen)."""
    parts = []
    for token in _tokens(markdown):
        if token.type == "text":
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).replace("\u2060", "").split())


def _no_markup(markdown: str) -> None:
    kinds = {t.type for t in _tokens(markdown)}
    assert not kinds & _FORBIDDEN, (markdown, kinds & _FORBIDDEN)
    # GFM autolink literals (http://, www., a@b.nl) and Streamlit's :icon:, :red[…] and
    # $…$ need one of these characters unescaped
    assert "www." not in markdown.lower()
    assert not re.search(r"(?i)[a-z]\\?://", markdown)  # a scheme right before :// links
    for i, ch in enumerate(markdown):
        if ch in "@$<[" or (ch == ":" and markdown[i + 1:i + 2].strip()):
            assert i > 0 and markdown[i - 1] == "\\", (markdown, i)


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_shows_exactly_the_text(text: str) -> None:
    escaped = plain(text)
    _no_markup(escaped)
    assert _shown_text(escaped) == " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_inside_our_own_markup(text: str) -> None:
    """Inside **…** or after '#### ' the user text stays text and our markup still works."""
    kinds = {t.type for t in _tokens(f"Open project: **{plain(text)}**")}
    assert "strong_open" in kinds and not kinds & (_FORBIDDEN - {"strong_open"})
    heading = f"#### {plain(text)}"
    assert _shown_text(heading) == " ".join(text.split())
    assert not {t.type for t in _tokens(heading)} & (_FORBIDDEN - {"heading_open"})


def test_plain_lines_keeps_lines_and_lists_only() -> None:
    text = f"Gebied: ![t]({TRACKER})\nJaar: 2024\n\n- aanname [x](http://e.x)\n- tweede"
    markdown = plain_lines(text)
    kinds = {t.type for t in _tokens(markdown)}
    assert "bullet_list_open" in kinds and "hardbreak" in kinds
    assert not kinds & (_FORBIDDEN - {"bullet_list_open"})
    assert f"![t]({TRACKER})" in _shown_text(markdown)


def test_wrong_target_is_quoted_as_typed() -> None:
    rows = [{"dim": "age", "cat": "18-29", "Kenmerk": "Leeftijd", "Groep": "18-29",
             "Doel (%)": f"![t]({TRACKER})"}]
    _, wrong = parse_targets(rows)
    assert len(wrong) == 1 and "image" not in {t.type for t in _tokens(wrong[0])}


# --- the dashboard itself ----------------------------------------------------------------

@pytest.fixture()
def hostile_demo(tmp_path, monkeypatch) -> Path:
    """The demo project renamed to an image link, its profiles named with links."""
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    AppTest.from_file(str(APP), default_timeout=90).run()  # installs the demo project
    store = Store(data_dir=str(tmp_path))
    try:
        demo = next(p for p in store.list_projects() if p.is_demo)
        names = {str(i): f"[Profiel {i}](http://evil.example/{i}) ![p]({TRACKER})" for i in range(1, 9)}
        store.update_project(demo.id, name=f"![t]({TRACKER}) Wijk <b>x</b>",
                             profile_names={"kompas": names, "lca": names})
    finally:
        store.close()
    return tmp_path


def _all_markdown(at: AppTest) -> list[str]:
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
        out += [str(e.value) for e in getattr(at.sidebar, kind)]
    out += [str(c.label) for c in at.checkbox]
    return out


@pytest.mark.timeout(600)
@pytest.mark.parametrize("page", ["ui/pages/project.py", "ui/pages/bereik.py", "ui/pages/profielen.py",
                                  "ui/pages/voortgang.py", "ui/pages/aanbevelingen.py",
                                  "ui/pages/rapport.py"])
def test_no_page_turns_user_text_into_a_link(hostile_demo, page) -> None:
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    texts = _all_markdown(at)
    shown = {"ui/pages/project.py": "track.png", "ui/pages/profielen.py": "evil.example/1"}
    if page in shown:  # the hostile text is on the page (as text), so the check below bites
        assert any(shown[page] in t for t in texts), texts
    for text in texts:
        kinds = {t.type for t in _tokens(text)}
        assert not kinds & {"image", "link_open", "html_inline", "html_block"}, (page, text)
    for chart in at.get("plotly_chart"):
        spec = chart.proto.spec
        assert "evil.example" not in spec or "<a href" not in spec
        assert "<b>x</b>" not in spec  # the project name's HTML never reaches a chart as HTML
    # Vega-Lite draws every string as text (no HTML, no Markdown): a typed name goes in as
    # typed, on one line, neither escaped nor turned into markup
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    for spec in specs:
        assert "<b>x</b>" not in json.dumps(spec, ensure_ascii=False)  # the project name is in no chart
    if page == "ui/pages/profielen.py":
        assert len(specs) == 3  # kompas, profile mix per channel, profiles in the buurt
        typed = f"[Profiel 1](http://evil.example/1) ![p]({TRACKER})"
        for spec in specs:
            text = json.dumps(spec, ensure_ascii=False)
            assert typed in text and "&lt;" not in text and "&#" not in text, spec.get("description")


@pytest.fixture()
def hostile_channel(tmp_path, monkeypatch) -> str:
    """The demo project with one more import whose channel the user named with a link and HTML."""
    import pandas as pd

    from store import demo as demo_data

    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    AppTest.from_file(str(APP), default_timeout=90).run()  # installs the demo project
    channel = "[Markt](http://evil.example/m)\n<b>plein</b>"
    rows = demo_data.demo_respondents().head(40).copy()
    rows = rows.assign(respondent_id=[f"M_{i:03d}" for i in range(len(rows))], channel=channel,
                       source="markt.xlsx")
    store = Store(data_dir=str(tmp_path))
    try:
        demo = next(p for p in store.list_projects() if p.is_demo)
        store.add_import(demo.id, pd.DataFrame(rows), {"file_name": "markt.xlsx", "channel": channel})
    finally:
        store.close()
    return channel


@pytest.mark.timeout(600)
def test_voortgang_draws_a_typed_channel_name_as_flat_text(hostile_channel) -> None:
    """Voortgang's charts are Vega-Lite (text is drawn as text, never HTML or a link): the
    channel name reaches the chart as one flat line."""
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("ui/pages/voortgang.py").run()
    assert not at.exception, at.exception
    assert not at.get("plotly_chart")
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert len(specs) == 2  # the ratio per group and the counts per channel
    flat = " ".join(hostile_channel.capitalize().split())
    (channels,) = [s for s in specs if s["description"].startswith("Kanalen")]
    point = next(la for la in channels["layer"] if la["mark"]["type"] == "point")
    assert flat in point["encoding"]["color"]["scale"]["domain"]
    assert all("\n" not in name for name in point["encoding"]["color"]["scale"]["domain"])


@pytest.mark.timeout(600)
@pytest.mark.parametrize("page", ["ui/pages/voortgang.py", "ui/pages/aanbevelingen.py", "ui/pages/rapport.py"])
def test_pages_keep_a_typed_channel_name_as_text(hostile_channel, page) -> None:
    """The pages that name channels (the ranking, the plan, the report summary)."""
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    for text in _all_markdown(at):
        kinds = {t.type for t in _tokens(text)}
        assert not kinds & {"image", "link_open", "html_inline", "html_block"}, text
    for element in at.get("html"):  # our own HTML (ui.widgets.stacked_table): user text escaped
        assert "<b>plein</b>" not in element.proto.body and "<a " not in element.proto.body


@pytest.mark.parametrize("text", HOSTILE)
def test_stacked_table_shows_user_text_as_text(text: str, monkeypatch) -> None:
    import html

    import pandas as pd

    from ui import widgets

    drawn: list[str] = []
    monkeypatch.setattr(widgets.st, "html", drawn.append)
    widgets.stacked_table(pd.DataFrame({text: [text, 3]}))
    body = drawn[0].split("</style>", 1)[1]
    assert html.escape(text) in body and f'data-label="{html.escape(text)}"' in body
    tags = set(re.findall(r"</?([a-z]+)", body))
    assert tags <= {"table", "thead", "tbody", "tr", "th", "td"}, tags
