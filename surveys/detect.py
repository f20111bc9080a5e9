"""Find the header and the survey tool from the top rows of a sheet or CSV.

Works on plain cell values (a list of rows), so workbooks and CSV share one detector.
The header depth (1, 2 or 3 rows) and the tool are detected, never asked: users do not
know them, and a wrong guess here spoils every later step.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from surveys.numbers import plural

MAX_TITLE_ROWS = 15

MS_FORMS_ALIASES = {
    "id": ("id",),
    "start": ("begintijd", "start time", "starttijd"),
    "end": ("tijd van voltooien", "completion time", "voltooiingstijd"),
    "email": ("e-mail", "email", "e-mailadres"),
    "name": ("naam", "name"),
    "modified": ("tijdstip laatst gewijzigd", "last modified time"),
}
GOOGLE_TIMESTAMP = ("tijdstempel", "timestamp")
KOBO_MARKERS = ("_uuid", "_submission_time")
KOBO_REPEAT_MARKERS = ("_parent_table_name", "_parent_index", "_submission__uuid")
LIMESURVEY_CODES = ("id", "submitdate", "lastpage", "startlanguage", "seed", "token",
                    "startdate", "datestamp", "ipaddr", "refurl")
LIMESURVEY_TEXTS = ("response id", "date submitted", "last page", "start language",
                    "date started", "date last action", "ip address", "referrer url",
                    "antwoord id", "datum verstuurd", "laatste pagina", "starttaal")
SURVEYMONKEY_SUBHEADERS = ("response", "open-ended response", "antwoord", "open antwoord",
                           "reactie", "open reactie", "other (please specify)")
SURVEYMONKEY_META = ("respondent id", "collector id", "respondent-id", "verzamelaar-id")
QUALTRICS_META = ("responseid", "startdate", "enddate", "recordeddate")
# A conversation log names when, where, what kind of talk, the guessed person and notes.
LOG_TERMS = {
    "when": re.compile(r"^(datum|dag|date)\b"),
    "where": re.compile(r"(locatie|plek|plaats|waar|adres van gesprek)"),
    "kind": re.compile(r"(soort gesprek|type gesprek|gesprekstype|kanaal|straatgesprek|"
                       r"huisbezoek|bijeenkomst)"),
    "estimate": re.compile(r"(geschat|schatting|ingeschat)"),
    "notes": re.compile(r"(notitie|aantekening|verslag|opmerking|toelichting|wat zei)"),
    "talk": re.compile(r"(gesprek|gespreksvoerder|interviewer)"),
}
# A paper form typed into a spreadsheet: a form number, who typed it in and when, and
# often a title saying so. Estimated ages or a talk column make it a conversation log.
PAPER_ID = re.compile(r"^(formulier ?(nr|nummer|no|id)|formuliernr|formnr|form nr"
                      r"|enquete ?(nr|nummer)|vragenlijst ?(nr|nummer)|papier ?(nr|nummer))$")
PAPER_ENTRY = re.compile(r"^(ingevoerd (door|op)|invoerder|invoerdatum|datum (van )?invoer"
                         r"|ingetypt (door|op)|overgetypt (door|op)|invoer (door|datum))$")
PAPER_TITLE = re.compile(r"papier|papieren|overgetypt|ingetypt|ingevoerd|formulieren")
LOG_ONLY = re.compile(r"geschat|schatting|ingeschat|gesprek|gespreksvoerder|afgenomen door")


@dataclass(frozen=True)
class Layout:
    """Where the data starts and what the columns are called."""

    format: str
    skip_rows: int          # title rows above the header
    header_rows: int
    names: list[str]        # one per column, not yet made unique
    labels: dict[int, str] = field(default_factory=dict)  # column index → question text
    warnings: tuple[str, ...] = ()

    @property
    def data_start(self) -> int:
        return self.skip_rows + self.header_rows


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def cell_text(value: Any) -> str:
    """A cell as header text: integral floats without '.0', whitespace collapsed."""
    if is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != time() \
            else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _words(text: str) -> str:
    """Casefolded words without punctuation or accents: 'Formuliernr.' → 'formuliernr'."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _count(row: Sequence[Any]) -> int:
    return sum(not is_empty(v) for v in row)


def find_header(rows: Sequence[Sequence[Any]]) -> int:
    """Index of the header row: the first row nearly as full as the fullest top row.

    Title rows and merged title cells hold one or two cells; the header names (almost)
    every column, so it is about as full as the median row. Numbers do not make a header,
    so rows that are mostly numbers lose.
    """
    top = rows[:MAX_TITLE_ROWS + 3]
    counts = sorted(c for c in (_count(r) for r in top) if c)
    if not counts:
        return 0
    typical = counts[len(counts) // 2]  # the median filled row; a ragged row cannot win
    need = max(2, math.ceil(0.6 * typical)) if typical > 1 else 1
    for i, row in enumerate(top[:MAX_TITLE_ROWS + 1]):
        filled = [v for v in row if not is_empty(v)]
        if len(filled) >= need:
            texts = sum(isinstance(v, str) and not _numeric_text(v) for v in filled)
            if texts >= 0.6 * len(filled):
                return i
    return 0


def _numeric_text(value: str) -> bool:
    return bool(re.fullmatch(r"\s*-?\d+([.,]\d+)?\s*", value))


def detect_layout(rows: Sequence[Sequence[Any]], *,
                  merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
                  sheet_name: str | None = None) -> Layout:
    """The tool, title rows, header depth and column names of one table.

    `sheet_name` and the title rows above the header help tell a typed-in paper form
    from other spreadsheets."""
    if not rows:
        return Layout("generic", 0, 1, [])
    start = find_header(rows)
    head = [cell_text(v) for v in rows[start]]
    below = [[cell_text(v) for v in r] for r in rows[start + 1:start + 3]]
    width = max([len(head)] + [len(r) for r in below])
    head += [""] * (width - len(head))
    below = [r + [""] * (width - len(r)) for r in below]
    warnings = []
    if start:
        first = "De eerste rij boven de kopregel is" if start == 1 else \
            f"De eerste {plural(start, 'rij', 'rijen')} boven de kopregel zijn"
        warnings.append(f"{first} overgeslagen "
                        f"(titel of toelichting).")

    if len(below) >= 2 and _is_qualtrics_import_row(below[1]):
        labels = {i: t for i, t in enumerate(below[0]) if t and t != head[i]}
        return Layout("qualtrics", start, 3, head, labels, tuple(warnings))
    if below and _is_surveymonkey(head, below[0]):
        names, labels = _surveymonkey_names(head, below[0])
        return Layout("surveymonkey", start, 2, names, labels, tuple(warnings))
    titles = [cell_text(v) for r in rows[:start] for v in r] + [sheet_name or ""]
    if below and merged:
        two = _merged_two_row(head, below[0], start, merged)
        if two is not None:
            names, labels = two
            tool = "paper_form" if is_paper_form(names, titles) else "generic"
            return Layout(tool, start, 2, names, labels, tuple(warnings))
    tool = detect_tool(head)
    if tool in ("generic", "conversation_log") and is_paper_form(head, titles):
        tool = "paper_form"
    labels = _path_labels(head) if tool == "kobo" else {}
    return Layout(tool, start, 1, head, labels, tuple(warnings))


def _is_qualtrics_import_row(row: Sequence[str]) -> bool:
    filled = [c for c in row if c]
    hits = sum(c.startswith('{"ImportId"') or c.startswith("{'ImportId'") for c in filled)
    return bool(filled) and hits >= 0.5 * len(filled)


def _is_surveymonkey(head: Sequence[str], sub: Sequence[str]) -> bool:
    norm_head = {_norm(h) for h in head if h}
    subs = [_norm(s) for s in sub if s]
    has_sub = any(s in SURVEYMONKEY_SUBHEADERS for s in subs)
    gaps = sum(1 for h, s in zip(head, sub) if not h and s)
    if any(m in norm_head for m in SURVEYMONKEY_META):
        return has_sub or gaps > 0
    return has_sub and gaps > 0


def _surveymonkey_names(head: Sequence[str], sub: Sequence[str]) -> tuple[list[str],
                                                                       dict[int, str]]:
    """Forward-fill the question text over its block and join it with the row-2 label."""
    questions: list[str] = []
    current = ""
    for h, s in zip(head, sub):
        if h:
            current = h
        questions.append(h or (current if s else ""))
    blocks: dict[str, int] = {}
    for q in questions:
        if q:
            blocks[q] = blocks.get(q, 0) + 1
    names, labels = [], {}
    for i, (q, s) in enumerate(zip(questions, sub)):
        if not q:
            names.append(s)
            continue
        single = blocks[q] == 1 or (not s)
        names.append(q if single else f"{q} - {s}")
        labels[i] = q
    return names, labels


def _merged_two_row(head: list[str], sub: list[str], start: int,
                    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]]
                    ) -> tuple[list[str], dict[int, str]] | None:
    """A group title merged over several columns above a row of sub-headers."""
    spans = [(c0, c1) for (r0, c0), (r1, c1) in merged if r0 == start == r1 and c1 > c0]
    inside = {c for c0, c1 in spans for c in range(c0, min(c1, len(head) - 1) + 1)}
    # sub-headers under every merged group, and nothing under the single-row headers:
    # a data row would fill those too
    if not spans or not all(sub[c] and not _numeric_text(sub[c]) for c in inside) or \
            any(sub[c] for c in range(len(sub)) if c not in inside and head[c]):
        return None
    names, labels = list(head), {}
    for c0, c1 in spans:
        group = head[c0]
        for c in range(c0, min(c1, len(head) - 1) + 1):
            if sub[c]:
                names[c] = f"{group} - {sub[c]}" if group else sub[c]
                labels[c] = group
    for c, s in enumerate(sub):
        if c not in labels and not names[c]:
            names[c] = s
    return names, labels


def _path_labels(head: Sequence[str]) -> dict[int, str]:
    """Kobo group paths `groep/vraag`: the question text is the part after the group."""
    labels = {}
    for i, h in enumerate(head):
        if "/" in h and not h.startswith("_"):
            parts = [p for p in h.split("/") if p]
            if len(parts) >= 2:
                labels[i] = parts[1] if len(parts) > 2 and len(parts[-1]) < len(parts[1]) \
                    else parts[-1]
    return labels


def detect_tool(head: Sequence[str]) -> str:
    """The survey tool from a one-row header (Qualtrics/SurveyMonkey are found earlier)."""
    norm = [_norm(h) for h in head]
    names = set(norm)
    if any(m in names for m in KOBO_MARKERS):
        return "kobo"
    lime = sum(c in names for c in LIMESURVEY_CODES) + sum(t in names for t in LIMESURVEY_TEXTS)
    if lime >= 3 or any(re.search(r"\[sq\d+\]", h) for h in norm):
        return "limesurvey"
    first = norm[:7]
    hits = {key for key, aliases in MS_FORMS_ALIASES.items() if any(a in first for a in aliases)}
    if len(hits) >= 3 and ("start" in hits or "end" in hits):
        return "ms_forms"
    if any(h in GOOGLE_TIMESTAMP for h in norm[:2]):
        return "google_forms"
    if sum(m in names for m in QUALTRICS_META) >= 2:
        return "qualtrics"
    if sum(m in names for m in SURVEYMONKEY_META) >= 2:
        return "surveymonkey"
    found = {key for key, pattern in LOG_TERMS.items() if any(pattern.search(h) for h in norm)}
    if len(found) >= 3 and found & {"estimate", "kind", "notes", "talk"}:
        return "conversation_log"
    return "generic"


def is_paper_form(head: Sequence[str], titles: Sequence[str] = ()) -> bool:
    """A paper form typed in: a form number, an entry column (who/when typed it in) or a
    title saying 'papier'/'ingevoerd', and no estimated ages or talk columns of a log."""
    words = [_words(h) for h in head if h]
    if any(LOG_ONLY.search(w) for w in words):
        return False
    score = 2 * any(PAPER_ID.match(w) for w in words)
    entries = [w for w in words if PAPER_ENTRY.match(w)]
    # who typed it in says more than when: a date of entry alone is also in other sheets
    score += 2 if any(re.search(r"door$|^invoerder$", w) for w in entries) else bool(entries)
    score += 2 * any(PAPER_TITLE.search(_words(t)) for t in titles if t)
    return score >= 2


def is_kobo_repeat(head: Sequence[Any]) -> bool:
    """A Kobo repeat-group sheet: one row per repeated item, linked to a parent row."""
    names = {_norm(cell_text(h)) for h in head}
    return sum(m in names for m in KOBO_REPEAT_MARKERS) >= 2


def unique_names(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """Empty names become 'kolom_<n>', duplicates get ' (2)', ' (3)'; returns warnings."""
    out: list[str] = []
    seen: set[str] = set()
    duplicates: list[str] = []
    for i, name in enumerate(names):
        base = name or f"kolom_{i + 1}"
        candidate, k = base, 1
        while candidate in seen:
            k += 1
            candidate = f"{base} ({k})"
        if k > 1:
            duplicates.append(base)
        seen.add(candidate)
        out.append(candidate)
    warnings = []
    if duplicates:
        listed = ", ".join(f"'{d}'" for d in dict.fromkeys(duplicates))
        warnings.append(f"Kolomnamen komen dubbel voor: {listed}. De tweede kreeg '(2)' "
                        f"achter de naam; controleer of dat dezelfde vraag is.")
    return out, warnings
