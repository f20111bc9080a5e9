"""Small Streamlit building blocks shared by the pages: guards, Dutch numbers, notices.

Pages call `run_page(body)` so an unexpected error becomes a Dutch message (and a log
line) instead of a traceback, and `project_data()` for the open project's answers and
buurt, which shows the same notices on every page when something is still missing.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from reference.load import ReferenceDataError as CbsReferenceError
from reference.model import BuurtReference
from store.schema import StoreError
from surveys.errors import SurveyImportError
from surveys.numbers import dutch
from ui import state

log = logging.getLogger("bereikwijzer.ui")

# Markdown (CommonMark + GFM) and Streamlit's own syntax: emphasis, code, strikethrough,
# links and images, raw HTML, entities, tables, $LaTeX$, a@b.nl mail links. A backslash
# before any of these shows it literally. Only what can start markup is escaped, so an
# ordinary name or sentence ("Gebied: Lombok-Oost (2024)") stays as it was.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*~\[\]<>|&$@])"
                               r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"  # _x_ (snake_case is fine)
                               r"|:(?=\S)")  # :material/icon:, :red[…], :smile:, http://
_LINE_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([#>+=-])")  # heading, quote, list, setext
# Streamlit's Markdown links a bare "https://…", "www.…" or "a@b.nl" even when escaped;
# an invisible word joiner inside the marker keeps the text the same and never a link.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=www)(?=\.)|(?=@)")
_WORD_JOINER = "\u2060"
_WHITESPACE = re.compile(r"\s+")


def _escape(match: re.Match) -> str:
    return "\\" + match.group(0)


def plain(text: object) -> str:
    """User text (a project, profile, file or theme name; a name from the login) as
    Markdown that shows exactly that text: no link, no image that a browser fetches, no
    HTML, no formatting, no icon, on one line. Use it for every user text that goes into
    st.markdown, st.write, st.caption, st.info, st.warning, st.error, st.success or a
    widget label. Not needed for st.text, st.code, st.dataframe or selectbox options."""
    line = _WHITESPACE.sub(" ", str(text)).strip()
    line = _AUTOLINK.sub(_WORD_JOINER, line)
    line = _MARKDOWN_SPECIAL.sub(_escape, line)
    return _LINE_START.sub(lambda m: (m.group(1) + "\\" + m.group(2)) if m.group(1)
                           else "\\" + m.group(3), line)


def plain_lines(text: object) -> str:
    """Text of several lines (a message, a summary, a description that names user
    things) as Markdown that shows exactly that text: every line escaped with plain();
    line breaks kept, a blank line starts a paragraph, '- ' items stay a list."""
    lines = [line.strip() for line in str(text).splitlines()]
    out = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not line:
            out.append("")
        elif line.startswith("- "):
            out.append("- " + plain(line[2:]))
        else:  # a hard line break only where the next line goes on in the same paragraph
            out.append(plain(line) + ("  " if following and not following.startswith("- ") else ""))
    return "\n".join(out).rstrip()


FICTIONAL_NOTE = ("Dit is een **fictief voorbeeldproject** met verzonnen antwoorden. "
                  "Zo ziet u meteen hoe Bereikwijzer werkt. Maak op de pagina Project een "
                  "eigen project aan om met echte gegevens te werken.")


def run_page(body: Callable[[], None]) -> None:
    """Run a page body; show a Dutch message instead of a traceback when it fails."""
    try:
        body()
    except _user_errors() as error:  # the message names the user's file: shown as typed
        st.error(plain_lines(error), icon=":material/block:")
    except Exception:  # the user must never see a traceback
        log.exception("Fout op pagina")
        st.error("Er ging iets mis bij het tonen van deze pagina. Uw gegevens zijn niet "
                 "verloren. Probeer het opnieuw of kies een andere pagina. De technische "
                 "details staan in het logboek van de server.", icon=":material/error:")


def _user_errors() -> tuple[type[Exception], ...]:
    """Errors whose message is written for the user (Dutch, says what to do)."""
    return (SurveyImportError, StoreError, CbsReferenceError)


@dataclass(frozen=True)
class ProjectData:
    """The open project with its answers and buurt, as the data pages need them."""

    project: state.ProjectView
    respondents: pd.DataFrame
    reference: BuurtReference | None


def project_data(need_reference: bool = True) -> ProjectData | None:
    """The open project's answers and buurt, or None after telling the user what is missing.

    Shows the fictitious-demo banner; says when there is no project, no answers yet or
    (with `need_reference`) no buurt chosen yet, and where to fix that.
    """
    project = state.current_project()
    if project is None:
        no_project()
        return None
    fictional_banner(project.is_demo)
    resp = state.respondents(project)
    if resp.empty:
        no_data_yet(project.name)
        return None
    ref = state.reference(project)
    if ref is None and need_reference:
        st.info("Kies eerst de buurt op de pagina **Project**. Dan vergelijken we de antwoorden "
                "met de inwoners volgens het CBS.", icon=":material/map:")
        return None
    return ProjectData(project, resp, ref)


def no_project() -> None:
    """Shown when this team has no project yet."""
    st.info("Nog geen project. Maak er een aan op de pagina **Project**.", icon=":material/folder_open:")


def dutch_file_uploader() -> None:
    """Streamlit writes the file uploader's own texts in English ('Upload', '50MB per file');
    this style puts Dutch in their place. Only looks: without it the uploader still works.

    On a phone a static table (st.table) wraps its cells to the screen's width instead of
    scrolling sideways: a sideways-scrolling box cannot be reached by keyboard (axe:
    scrollable-region-focusable) and hides columns such as 'Nog te spreken'."""
    limit = st.get_option("server.maxUploadSize")
    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] button p {{font-size: 0;}}
[data-testid="stFileUploaderDropzone"] button p::after {{content: "Kies bestand"; font-size: 0.875rem;}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0;}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "of sleep het hierheen · max. {limit} MB per bestand"; font-size: 0.875rem;}}
@media (max-width: 640px) {{
  [data-testid="stTable"] > div {{overflow: visible !important;}}
  [data-testid="stTable"] table {{table-layout: fixed; width: 100%; font-size: 0.75rem;}}
  [data-testid="stTable"] th, [data-testid="stTable"] td,
  [data-testid="stTable"] th *, [data-testid="stTable"] td * {{
    white-space: normal !important; overflow-wrap: anywhere !important; word-break: break-word !important;}}
  [data-testid="stTable"] th, [data-testid="stTable"] td {{padding: 0.25rem 0.2rem;}}
}}
</style>""")


def channel_phrase(channel: str) -> str:
    """'papier' → 'op papier', 'straatgesprek' → 'via straatgesprekken' (engagement's rules)."""
    from engagement.outreach import load_rules

    return load_rules().channels.get(str(channel).lower(), f"via {str(channel).lower()}")


def pct(share: float | None, digits: int = 0) -> str:
    """A share (0..1) as a Dutch percentage: 0.125 → '12,5%' (digits=1)."""
    if share is None or share != share:
        return "onbekend"
    return dutch(share * 100, digits) + "%"


def num(value: float | None, digits: int = 0) -> str:
    """A number with Dutch separators: 1234.5 → '1.234,5' (digits=1). A count (digits=0)
    is a whole number by surveys.numbers' one rounding rule: 3819.5 → '3.820'."""
    return dutch(value, digits)


ROW_PX, HEADER_PX = 35, 42  # Streamlit's table row and header height (with a little room)


def table_height(rows: int) -> int:
    """A table height that shows every row (no scrolling inside the table)."""
    return HEADER_PX + ROW_PX * max(rows, 1) + 2


# A wide table on a phone: each row becomes a block, each cell a line with its column's
# name (from data-label), instead of eight columns squeezed until words break mid-letter.
_STACKED_CSS = """<style>
.bw-stacked {border-collapse: collapse; width: 100%; font-size: 0.875rem; margin-bottom: 1rem;}
.bw-stacked th, .bw-stacked td {border: 1px solid rgba(49, 51, 63, 0.1); padding: 0.25rem 0.375rem;
  text-align: left; vertical-align: top;}
.bw-stacked th {color: #4A4C55; font-weight: 400;}  /* 7:1 on white (axe: colour contrast) */
.bw-stacked td.bw-number {text-align: right;}
.bw-stacked th[scope="row"] {color: inherit; font-weight: 600; min-width: 8em;}
@media (max-width: 640px) {
  .bw-stacked thead {position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);}
  .bw-stacked, .bw-stacked tbody, .bw-stacked tr, .bw-stacked td {display: block; width: 100%;}
  .bw-stacked tr {border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; margin-bottom: 0.75rem;
    padding: 0.25rem 0;}
  .bw-stacked td, .bw-stacked td.bw-number {border: none; text-align: left; padding: 0.15rem 0.6rem;}
  .bw-stacked td::before {content: attr(data-label) ": "; color: #4A4C55;}
  .bw-stacked th[scope="row"] {display: block; border: none; padding: 0.15rem 0.6rem; min-width: 0;}
}
</style>"""


def stacked_table(frame: pd.DataFrame, *, row_header: bool = False,
                  styles: pd.DataFrame | None = None, numbers: tuple[str, ...] = ()) -> None:
    """A table that reads as a table on a screen and as one card per row on a phone (see
    _STACKED_CSS). Every cell and header is escaped: team-typed text shows as typed.

    `row_header`: the first column names the row (a card's title on a phone). `styles`: CSS
    per cell (same index and columns as `frame`, made by the caller, e.g. a shade for a share).
    `numbers`: text columns that hold figures ('23%', '<10'), aligned right on a screen."""
    st.html(stacked_table_html(frame, row_header=row_header, styles=styles, numbers=numbers))


def stacked_table_html(frame: pd.DataFrame, *, row_header: bool = False,
                       styles: pd.DataFrame | None = None, numbers: tuple[str, ...] = ()) -> str:
    """The HTML that stacked_table draws (a pure function, so tests can read it)."""
    import html

    def text_of(value: object) -> str:
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

    def cell(i: int, j: int, column: object, value: object) -> str:
        text = html.escape(text_of(value))
        css = "" if styles is None else text_of(styles.iat[i, j])
        style = f' style="{html.escape(css)}"' if css else ""
        if row_header and j == 0:
            return f'<th scope="row"{style}>{text}</th>'
        number = (isinstance(value, (int, float)) and not isinstance(value, bool)) or column in numbers
        kind = ' class="bw-number"' if number else ""
        return f'<td data-label="{html.escape(str(column))}"{kind}{style}>{text}</td>'

    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = "".join("<tr>" + "".join(cell(i, j, c, v) for j, (c, v) in enumerate(zip(frame.columns, row)))
                   + "</tr>" for i, row in enumerate(frame.itertuples(index=False)))
    return f'{_STACKED_CSS}<table class="bw-stacked"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def fictional_banner(is_demo: bool) -> None:
    """Label the demo project as fictitious on every page that shows its data."""
    if is_demo:
        st.warning(FICTIONAL_NOTE, icon=":material/science:")


def no_data_yet(project_name: str) -> None:
    """Shown when a project has no respondents yet."""
    st.info(f"Het project **{plain(project_name)}** heeft nog geen antwoorden. Ga naar "
            "**Importeren** om een export van een enquête of gesprekkenlijst toe te voegen.",
            icon=":material/upload_file:")


def parse_targets(rows: list[dict]) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Target rows of the Project page ('dim', 'cat', 'Doel (%)' as text) → shares and the
    rows that are not a percentage: '20' → 0.2, '12,5' → 0.125, '' → no target."""
    targets: dict[str, dict[str, float]] = {}
    wrong: list[str] = []
    for row in rows:
        raw = row.get("Doel (%)")
        text = "" if raw is None or raw != raw else str(raw).strip().replace(",", ".")
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0 <= value <= 100:
            wrong.append(f"{row.get('Kenmerk', row['dim'])} – {row.get('Groep', row['cat'])}: "
                         f"'{plain(raw)}'")
            continue
        targets.setdefault(row["dim"], {})[row["cat"]] = value / 100
    return targets, wrong
