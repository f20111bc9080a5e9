"""Dutch names for Streamlit's own controls, for screen readers.

Streamlit writes the names of its buttons and icons in English ("Help for Kanaal",
"Fullscreen", "Remove Online", "Collapse sidebar") and the file uploader's texts ("Browse
files", "200MB per file"). A screen reader reads those to a Dutch officer in English, even
where CSS shows Dutch on screen. One small script in the page renames them while the page
is open: a MutationObserver on the document rewrites each known English name as it appears
(Streamlit redraws elements on every run, so renaming once is not enough).

The script is fixed text: no team-typed text goes into it. Without JavaScript the page still
works, with Streamlit's English names.
"""
from __future__ import annotations

import json

# Exact aria-labels and titles of Streamlit 1.67's controls → Dutch.
EXACT = {
    "Help": "Uitleg",
    "Open": "Openen",
    "Close": "Sluiten",
    "Dismiss": "Sluiten",
    "Clear all": "Alles wissen",
    "Clear value": "Wissen",
    "Collapse sidebar": "Zijbalk inklappen",
    "Expand sidebar": "Zijbalk uitklappen",
    "Sidebar": "Zijbalk",
    "App pages": "Pagina's",
    "Main menu": "Hoofdmenu",
    "Selected values": "Gekozen waarden",
    "Show data": "Gegevens tonen",
    "Fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten",
    "Download as PNG": "Downloaden als afbeelding (PNG)",
    "Download as CSV": "Downloaden als CSV",
    "Copy Vega-Lite spec": "Grafiekbeschrijving kopiëren",
    "Link to heading": "Link naar deze kop",
    "Search": "Zoeken",
    "Browse files": "Kies bestand",
    "Upload": "Kies bestand",
    "Delete": "Verwijderen",
    "Increment": "Hoger",
    "Decrement": "Lager",
    "Running...": "Bezig…",
    "Stop": "Stoppen",
    "Show/hide columns": "Kolommen tonen of verbergen",
    "file upload": "bestand kiezen",
    "Choose an option": "Kies een optie",
    "Choose options": "Kies een of meer",
    "Select all": "Alles kiezen",
    "No results": "Geen resultaten",
    "Copy to clipboard": "Kopiëren",
    "Choose date": "Kies een datum",
    "Page not found": "Pagina niet gevonden",
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "Deze pagina bestaat niet. U ziet nu de startpagina, Bereik.",
    # Vega-Lite's role descriptions of a chart's parts
    "visualization": "grafiek",
    "axis": "as",
    "legend": "legenda",
    "title": "titel",
    "bar": "balk",
    "point": "punt",
    "tick": "streepje",
}
# Names with a part that varies: (regular expression, Dutch with $1 for that part).
PATTERNS = (
    (r"^Help for (.+)$", "Uitleg bij $1"),
    (r"^Remove (.+)$", "$1 weghalen"),
    (r"^(.+) — start$", "$1 — begin"),
    (r"^(.+) — end$", "$1 — einde"),
    (r"^[a-z_]+ icon$", "pictogram"),
    (r"^Title text '(.*)'$", "Titel: $1"),
    # a date input's parts and Vega's own axis and legend names (our charts give their own;
    # these are the safety net for any part that has none)
    (r"^day, (.+)$", "dag, $1"),
    (r"^month, (.+)$", "maand, $1"),
    (r"^year, (.+)$", "jaar, $1"),
    (r"^([XY])-axis titled '(.+)' for a .*$", "$1-as: $2"),
    (r"^([XY])-axis for a .*$", "$1-as"),
    (r"^(?:Symbol|Gradient|Size) legend titled '(.+)' for .*$", "Legenda: $1"),
    (r"^(?:Symbol|Gradient|Size) legend for .* with \d+ values: (.+)$", "Legenda: $1"),
    (r"^(?:Symbol|Gradient|Size) legend .*$", "Legenda"),
    (r"^[a-z]+ mark container$", "groep"),
    (r"^rect mark$", "vlak"),
    (r"^rule mark$", "lijn"),
    (r"^text mark$", "tekst"),
    (r"^[a-z]+ mark$", "teken"),
    (r"^Drag and drop files? here$", "Sleep het bestand hierheen"),
    (r"^(?:Limit )?(\d+)\s*MB per file(.*)$", "of sleep het hierheen · max. $1 MB per bestand$2"),
)
ATTRIBUTES = ("aria-label", "title", "placeholder", "aria-roledescription")
# Text on screen is renamed only inside these Streamlit parts, never in the page's content
# (an answer or a project name that happens to read "Open" or "Stop" stays as typed; the
# dashboard has no dialog of its own, only Streamlit's 'Page not found').
TEXT_SCOPES = '[data-testid="stFileUploaderDropzone"], [data-testid="stStatusWidget"], [role="dialog"]'
# CSS in ui.widgets.dutch_file_uploader hides the uploader's English text and shows Dutch
# with ::after; with this script the text itself is Dutch, so that stand-in must go (or a
# screen reader reads both). (Streamlit itself needs JavaScript, so the script always runs.
# Marking <html> with a class instead stopped Streamlit's multiselect from opening below the
# fold: tests/e2e/test_journey.py.) On a phone the hint wraps instead of being cut.
_AFTER_SCRIPT_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button p,
[data-testid="stFileUploaderDropzoneInstructions"] span {font-size: 0.875rem !important;}
[data-testid="stFileUploaderDropzone"] button p::after,
[data-testid="stFileUploaderDropzoneInstructions"] span::after {content: none !important;}
[data-testid="stFileUploaderDropzoneInstructions"] span {white-space: normal !important;}
</style>"""

_SCRIPT = """<script>
(() => {
  if (window.__bereikwijzerDutch) return;
  window.__bereikwijzerDutch = true;
  const exact = new Map(Object.entries(%(exact)s));
  const patterns = %(patterns)s.map(([source, target]) => [new RegExp(source), target]);
  const attributes = %(attributes)s;
  const dutch = (text) => {
    const trimmed = text.trim();
    if (exact.has(trimmed)) return exact.get(trimmed);
    for (const [pattern, target] of patterns) {
      if (pattern.test(trimmed)) return trimmed.replace(pattern, target);
    }
    return null;
  };
  const rename = (element) => {
    for (const name of attributes) {
      const value = element.getAttribute && element.getAttribute(name);
      if (!value) continue;
      const renamed = dutch(value);
      if (renamed !== null && renamed !== value) element.setAttribute(name, renamed);
    }
  };
  const renameText = (node) => {
    const parent = node.parentElement;
    if (!parent || !parent.closest(%(scopes)s)) return;
    const renamed = dutch(node.nodeValue || "");
    if (renamed !== null && renamed !== node.nodeValue.trim()) node.nodeValue = renamed;
  };
  const selector = attributes.map((name) => "[" + name + "]").join(",");
  const sweep = (root) => {
    if (root.nodeType === Node.TEXT_NODE) { renameText(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    rename(root);
    root.querySelectorAll(selector).forEach(rename);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) renameText(walker.currentNode);
  };
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  sweep(doc.body);
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "attributes") rename(change.target);
      else if (change.type === "characterData") renameText(change.target);
      else change.addedNodes.forEach(sweep);
    }
  }).observe(doc.body, {subtree: true, childList: true, characterData: true,
                        attributes: true, attributeFilter: attributes});
})();
</script>"""


def script() -> str:
    """The page script (fixed text) that renames Streamlit's English control names."""
    return _SCRIPT % {"exact": json.dumps(EXACT, ensure_ascii=False),
                      "patterns": json.dumps([list(p) for p in PATTERNS]),
                      "attributes": json.dumps(list(ATTRIBUTES)), "scopes": json.dumps(TEXT_SCOPES)}


def dutch_control_names() -> None:
    """Put the renaming script in the page (once per browser tab; later runs find it there)."""
    import streamlit as st

    st.html(_AFTER_SCRIPT_CSS + script(), unsafe_allow_javascript=True)
