"""Tables of the Profielen page in Dutch: the selection table, profile coverage (the share
of each profile among the people spoken next to its estimated share in the buurt, with its
bracket) and the title above its chart (ui.charts_vega_profiles draws it).

The page owns its wording: the title never claims "spraken we minder" unless the whole
bracket says so (profiles.coverage flag "under"). Pure functions of the tables; Streamlit
only through ui.widgets' escaping (plain_table).
"""
from __future__ import annotations

import pandas as pd

from profiles.coverage import FLAG_WORDS, flag_notes
from ui.charts import _join
from ui.charts_vega_profiles import flag_key
from ui.widgets import num, pct, plain


def coverage_title(table: pd.DataFrame) -> str:
    """The conclusion the bracket allows: "spraken we minder" only for profiles whose whole
    bracket lies below parity; "misschien" when it only reaches below; "geen profiel te weinig"
    when no bracket reaches below the tolerance; else (no estimate for some) "niet te zeggen"."""
    keys = table.apply(flag_key, axis=1) if len(table) else pd.Series(dtype=str)
    under = [str(n) for n, k in zip(table["name"], keys) if k == "under"]
    maybe = [str(n) for n, k in zip(table["name"], keys) if k == "possibly_under"]
    if under:
        return f"Profielen: {_join(under)} spraken we minder dan er in de buurt wonen"
    if maybe:
        return f"Profielen: misschien spraken we {_join(maybe)} te weinig; zeker is dat niet"
    if len(table) and (keys == "ok").all():
        return "Profielen: de gesproken mensen lijken op de buurt"
    if len(table) and keys.isin(["ok", "over", "uncertain"]).all():
        # uncertain without possibly_under: the bracket never reaches 'too few' (FLAG_WORDS)
        over = [str(n) for n, k in zip(table["name"], keys) if k == "over"]
        return "Profielen: geen profiel spraken we te weinig" + (
            f"; {_join(over)} spraken we meer dan er in de buurt wonen" if over else
            "; of we sommige meer spraken dan er wonen, is niet te zeggen")
    return "Profielen: of we elk profiel genoeg spraken, is met deze gegevens niet te zeggen"


def flag_footnote(table: pd.DataFrame, reference: str) -> str:
    """What the unsure words in the table's 'Betekenis' mean (profiles.coverage.flag_notes,
    written beside the words and the rule), for the keys this table shows."""
    keys = table.apply(flag_key, axis=1) if len(table) else pd.Series(dtype=str)
    return flag_notes(keys, reference)


SELECTION_COLUMNS = {"k": "Aantal groepen", "bic": "BIC", "sabic": "SABIC",
                     "smallest_size": "Kleinste groep (mensen)", "smallest_share": "Kleinste groep (%)",
                     "stability": "Stabiliteit (zwakste groep)", "chosen": "Gekozen", "note": "Toelichting"}


def selection_table(selection: pd.DataFrame) -> pd.DataFrame:
    """The table of every number of groups tried, in Dutch: why this number was chosen."""
    if selection is None or selection.empty or "k" not in selection.columns:
        return pd.DataFrame(columns=list(SELECTION_COLUMNS.values()))
    out = pd.DataFrame(index=selection.index)
    for col, title in SELECTION_COLUMNS.items():
        if col not in selection.columns:
            continue
        values = selection[col]
        if col in ("bic", "sabic"):
            out[title] = [num(v, 0) for v in values]
        elif col == "smallest_size":
            out[title] = [num(v) for v in values]
        elif col == "smallest_share":
            out[title] = [pct(v, 1) for v in values]
        elif col == "stability":
            out[title] = ["" if pd.isna(v) else num(v, 2) for v in values]
        elif col == "chosen":
            out[title] = ["ja" if bool(v) else "" for v in values]
        elif col == "k":
            out[title] = [int(v) for v in values]
        else:
            out[title] = ["" if v is None or pd.isna(v) else str(v) for v in values]
    return out.reset_index(drop=True)


def coverage_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The profile coverage table in Dutch, one row per profile (for the page)."""
    rows = []
    for _, row in table.iterrows():
        key = flag_key(row)
        rows.append({"Profiel": str(row["name"]), "Gesproken": pct(row["respondent_share"]),
                     "Geschat in de buurt": pct(row["population_share_estimate"]),
                     "Bandbreedte": (f"{pct(row['share_low'])} tot {pct(row['share_high'])}"
                                     if pd.notna(row.get("share_low")) else "onbekend"),
                     "Betekenis": FLAG_WORDS.get(key, key)})  # "Wat betekent dit?: …" read oddly on a phone card
    return pd.DataFrame(rows)


def plain_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for st.table, every text cell escaped: st.table renders Markdown in text
    cells, so team-typed text (profile names above all) goes through widgets.plain and
    shows exactly as typed. The index is a fresh RangeIndex, which st.table hides by itself
    (Streamlit 1.67 does), so no pandas Styler is needed: a Styler costs about 40 ms per table
    on every rerun (Streamlit re-sets every column of it), this frame about 1 ms."""
    shown = frame.reset_index(drop=True)
    for col in shown.columns:  # (pandas 3 keeps text as "str", not object: test each cell)
        shown[col] = pd.Series([plain(v) if isinstance(v, str) else v for v in shown[col]],
                               index=shown.index, dtype=object)
    return shown


def as_table(frame: pd.DataFrame):
    """plain_table as a pandas Styler with the index hidden (its `.data` is the escaped
    frame). Slower on every rerun than plain_table, which pages should use instead."""
    return plain_table(frame).style.hide(axis="index")
