"""Infer what every column of an export holds: kind, options, Likert scale, suggested role.

The user only confirms; they are never asked for header depth or question types. The
order of the checks matters: personal data first (so it is always dropped), then the
tools' own id/timestamp/metadata columns, split multi-select columns, Likert scales,
delimited multi-select cells, demographics, and finally numbers, dates and text.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from surveys import demographics as demo
from surveys.likert import is_missing_answer, match_scale, normalize_label, scale_labels_for
from surveys.model import Question, Questionnaire, RawExport
from surveys.pii import column_pii_reason, to_pc4

ROLE_HEADERS: tuple[tuple[str, str], ...] = (
    ("birth_year", r"geboortejaar|year of birth|birth ?year|in welk jaar bent u geboren"
                   r"|geboortedatum|date of birth|birth ?date"),
    ("age", r"\b(leeftijd\w*|age|age group|age band|hoe oud|leeftijdscategorie|ch02)\b"),
    ("gender", r"\b(geslacht|gender|sekse|sex|ch01)\b|man of (een )?vrouw|bent u een man"),
    ("household", r"huishoud|woonsituatie|gezinssituatie|gezinssamenstelling|household"
                  r"|met wie woont|living situation|leefsituatie|thuiswonende kinderen"),
    ("tenure", r"koop of huur|huur of koop|koopwoning|huurwoning|eigenaar of huurder"
               r"|tenure|own or rent|rent or own|huurt of bezit|eigendomssituatie"
               r"|huurder of eigenaar|wie is de eigenaar"),
    ("origin", r"herkomst|geboorteland|waar bent u geboren|land van herkomst"
               r"|migratieachtergrond|\borigin\b|country of birth|afkomst|geboren in"),
    ("postcode", r"\b(postcode\w*|zip|zip code|postal code|pc4|pc6|postnummer)\b"),
    ("area", r"^(wijk|buurt|buurtnaam|wijknaam|buurtcode|wijkcode|neighbou?rhood|district"
             r"|area|gebied|locatie buurt)$|in welke (wijk|buurt)|welke (wijk|buurt) woont"
             r"|^(uw |je )?(wijk|buurt)\b"),
    ("channel", r"\b(kanaal|channel|type gesprek|soort gesprek|gespreksvorm|manier van deelname"
                r"|deelnamevorm)\b|hoe he(eft|b) (u|je) .* gehoord|how did you hear"),
)
_DIMENSIONS = ("gender", "household", "tenure", "origin")
_OPEN_HEADER = re.compile(r"kwijt|opmerking|toelichting|waarom|notitie|notities|aantekening"
                          r"|namelijk|anders, |overig|suggestie|idee|verhaal|vertel|comment"
                          r"|remark|explain|why|other \(please|open[- ]ended|verslag")
_PLACE_HEADER = re.compile(r"^(locatie|plek|plaats|location|waar gesproken|gesprekslocatie"
                           r"|locatie gesprek|interviewer|gespreksvoerder|medewerker)$")
TALLY_HEADER = re.compile(r"^(aantal|aantal (personen|mensen|gesprekken|deelnemers|bewoners)"
                          r"|count|number of people|tally|n)$")
_PC6 = re.compile(r"^[1-9]\d{3} ?[A-Za-z]{2}$")
_ESTIMATED = re.compile(r"geschat|schatting|inschatting|estimat", re.I)
_TRUE_FALSE = frozenset({"1", "0", "1 0", "0 0", "y", "n", "yes", "no", "true", "false", "x",
                         "ja", "nee", "waar", "onwaar", "selected", "checked"})
_SPLIT_PATTERNS = (
    re.compile(r"^(?P<stem>.+)/(?P<opt>[^/]+)$"),                  # Kobo group/question/option
    re.compile(r"^(?P<stem>[^\[]+?)\s*\[(?P<opt>[^\]]+)\]$"),       # LimeSurvey Q1[SQ001]
    re.compile(r"^(?P<stem>.+?)_(?P<opt>\d+)$"),                    # Qualtrics Q9_1
    re.compile(r"^(?P<stem>.+?)\s+[-|:]\s+(?P<opt>[^-|:]+)$"),      # "Question - Option"
)


@lru_cache(maxsize=1)
def _headers() -> dict[str, tuple[str, ...]]:
    data = json.loads(resources.files("surveys").joinpath("data/headers.json").read_text("utf-8"))
    return {k: tuple(v) for k, v in data.items() if not k.startswith("_")}


def column_key(name: str, *, max_len: int = 40) -> str:
    """Short stable slug for `item:<key>` columns: 'Ik voel me thuis!' → 'ik_voel_me_thuis'."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    slug = re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "vraag"
    if len(slug) > max_len:
        cut = slug[:max_len]
        whole_word = slug[max_len] == "_"
        slug = cut if whole_word or "_" not in cut[10:] else cut[: cut.rfind("_")]
    return slug


_LEAD_LABEL = re.compile(r"^\s*[\w.]+(?:\s+\w+)?\s*:\s+(?=\S)")


def question_key(text: str) -> str:
    """The key of a question from its text, so one questionnaire lines up across tools:
    a matrix header "Hoe eens bent u het met … - Ik voel me thuis" keys on the statement,
    and a short label in front ("Stelling: …", "Vraag 3: …") is left out."""
    if " - " in text:
        text = text.rsplit(" - ", 1)[1]
    return column_key(_LEAD_LABEL.sub("", text, count=1))


def split_stem(column: str) -> tuple[str, str] | None:
    """(question, option) for a column named like one option of a split multi-select."""
    if column.endswith(("_TEXT", "_DO")):
        return None
    for pattern in _SPLIT_PATTERNS:
        match = pattern.match(column)
        if match:
            return match.group("stem").strip(), match.group("opt").strip()
    return None


def _answers(raw: RawExport, column: str) -> pd.Series:
    """Non-empty answers as shown to the respondent (SPSS codes → value labels)."""
    series = raw.frame[column]
    labels = raw.value_labels.get(column)
    if labels:
        series = series.map(lambda v: labels.get(v, labels.get(_as_int(v), v)))
    series = series.dropna()
    if pd.api.types.is_string_dtype(series) or series.dtype == object:
        series = series[series.astype(str).str.strip() != ""]
    return series


def _as_int(value: Any) -> Any:
    try:
        return int(value) if float(value).is_integer() else value
    except (TypeError, ValueError):
        return value


def _split_options(raw: RawExport, columns: list[str]) -> dict[str, tuple[str, str]]:
    """Columns that are one option of a split multi-select → (question stem, option label)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for column in columns:
        found = split_stem(column)
        if found:
            groups.setdefault(found[0], []).append((column, found[1]))
    result: dict[str, tuple[str, str]] = {}
    for stem, members in groups.items():
        options = {}
        for column, opt in members:
            values = {normalize_label(v) for v in _answers(raw, column).astype(str)}
            labels = set(_answers(raw, column).astype(str).str.strip())
            if values <= _TRUE_FALSE:
                text = raw.labels.get(column, "")
                options[column] = text.split(" - ")[-1].strip() if " - " in text else opt
            elif len(labels) == 1:
                options[column] = labels.pop()
            else:
                break
        else:
            if len(options) >= 2 and len(set(options.values())) == len(options):
                result.update({c: (stem, o) for c, o in options.items()})
    return result


def _delimited_options(raw: RawExport, counts: pd.Series) -> tuple[str, ...]:
    """Options of a multi-select held in one cell, or () when the cells are not that.

    `counts` holds each distinct cell with how often it occurs.
    """
    cells = {str(c).strip(): int(n) for c, n in counts.items()}
    total = sum(cells.values())
    if not total:
        return ()
    if sum(n for c, n in cells.items() if c.endswith(";")) >= 0.5 * total or (
            any(";" in c for c in cells) and raw.format == "ms_forms"):
        def split(cell: str) -> list[str]:
            return [a.strip() for a in cell.split(";") if a.strip()]
    elif raw.format == "kobo" and all(re.fullmatch(r"[\w.-]+( [\w.-]+)*", c) for c in cells) \
            and any(" " in c for c in cells):
        split = str.split
    elif any(", " in c for c in cells):
        known = {c for c in cells if ", " not in c}

        def split(cell: str) -> list[str]:
            return split_joined(cell, known)
    else:
        return ()
    atoms: Counter[str] = Counter()
    n_atoms = 0
    for cell, n in cells.items():
        parts = split(cell)
        n_atoms += len(parts) * n
        for part in parts:
            atoms[part] += n
    if not atoms or len(atoms) > 30 or len(atoms) > total or max(map(len, atoms)) > 120:
        return ()
    if n_atoms / len(atoms) < 1.5 or n_atoms <= total:
        return ()
    return tuple(sorted(atoms, key=lambda a: (-atoms[a], a)))


def split_joined(cell: str, known: set[str] | frozenset[str] | tuple[str, ...]) -> list[str]:
    """Split a Google Forms checkbox cell ('A, B, Noch eens, noch oneens') into options.

    Known options (which may contain ', ') are matched first, longest first; the rest is
    split at ', ' and a piece starting in lower case is glued back to the one before it,
    because option labels start with a capital.
    """
    text = str(cell).strip()
    if not text:
        return []
    if ";" in text and text.rstrip().endswith(";"):
        return [a.strip() for a in text.split(";") if a.strip()]
    out: list[str] = []
    ordered = sorted((k for k in known if k), key=len, reverse=True)
    while text:
        for option in ordered:
            if text == option or text.startswith(option + ", "):
                out.append(option)
                text = text[len(option) + 2:]
                break
        else:
            head, _, text = text.partition(", ")
            if out and head[:1].islower() and out[-1] not in known:
                out[-1] = f"{out[-1]}, {head}"
            else:
                out.append(head)
    return [o.strip() for o in out if o.strip()]


def _numbers(values: pd.Series) -> pd.Series | None:
    if pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    parsed = pd.to_numeric(values.astype(str).str.strip().str.replace(",", ".", regex=False),
                           errors="coerce")
    return parsed if parsed.notna().all() else None


def _looks_like_dates(values: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    texts = values.astype(str).str.strip()
    if not texts.str.contains(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", regex=True).mean() >= 0.9:
        return False
    parsed = pd.to_datetime(texts, errors="coerce", format="mixed", dayfirst=True)
    return parsed.notna().mean() >= 0.9


def _role_from_header(text: str) -> str | None:
    key = normalize_label(text.replace("_", " ").replace("/", " "))
    for role, pattern in ROLE_HEADERS:
        if re.search(pattern, key):
            return role
    return None


def _role_from_values(counts: dict[str, int]) -> str | None:
    """Role from the answers alone; `counts` maps each distinct answer to its frequency."""
    sample = counts
    if demo.looks_like_band(sample):
        return "age_band"
    shares = {d: demo.share_known(d, sample) for d in ("gender", "tenure", "household", "origin")}
    best = max(shares, key=shares.get)
    if shares[best] >= 0.6:
        return best
    return None


def _demographic(role: str, values: pd.Series, header: str) -> tuple[str, str]:
    """(kind, role) for a column whose header suggests a demographic."""
    numbers = _numbers(values)
    if role in ("age", "birth_year"):
        if numbers is not None:
            if numbers.between(1890, 2030).mean() >= 0.9:
                return "numeric", "birth_year"
            if numbers.between(0, 120).all():
                return "numeric", "age"
        if demo.looks_like_band(values.astype(str)):
            return "single", "age_band"
        if role == "birth_year" and _looks_like_dates(values):
            return "date", "birth_year"
        return ("numeric" if numbers is not None else "single"), "ignore"
    if role == "postcode":
        return "single", "postcode"
    if role in _DIMENSIONS:  # "woonsituatie" may hold koop/huur: the answers decide
        sample = values.astype(str).head(2000)
        shares = {d: demo.share_known(d, sample) for d in _DIMENSIONS}
        best = max(shares, key=shares.get)
        if shares[best] >= 0.5 and shares[best] > shares[role] + 0.2:
            role = best
    return ("numeric" if numbers is not None else "single"), role


def infer_question(raw: RawExport, column: str, split: dict[str, tuple[str, str]],
                   stems: set[str]) -> Question:
    """One column → Question (kind, suggested role, options, scale, pii)."""
    text = raw.labels.get(column) or column
    values = _answers(raw, column)
    counts = values.astype(str).str.strip().value_counts(sort=False)
    distinct = pd.Series(counts.index, dtype="str")
    key = normalize_label(column)
    heads = _headers()
    reason = column_pii_reason(column, distinct.head(500)) or (
        column_pii_reason(text) if text != column else "")
    if values.empty and not reason:
        return Question(column, text, "empty", "ignore")
    if reason:
        return Question(column, text, "pii", "ignore", pii=True,
                        pii_reason=f"Persoonsgegevens ({reason}): deze kolom wordt niet ingelezen.")
    if key in heads["id"] or column.strip() == "#":
        return Question(column, text, "id", "respondent_id")
    if key in heads["responded_at"]:
        return Question(column, text, "timestamp", "responded_at")
    if key in heads["timestamp"]:
        return Question(column, text, "timestamp", "ignore")
    if key in heads["metadata"] or column.endswith("_DO") or key.startswith("_"):
        return Question(column, text, "metadata", "ignore")
    if column in split:
        return Question(column, text.split(" - ")[0] if text != column else split[column][0],
                        "multi", "multi", options=(split[column][1],))
    if column.endswith("_TEXT"):
        return Question(column, text, "text", "text")
    scale = match_scale(distinct.head(5000), header=text)
    if scale is not None:
        labels = scale_labels_for(scale, distinct.head(200))
        return Question(column, text, "likert", "item", options=labels, scale=labels)
    header_role = _role_from_header(text) or _role_from_header(column)
    if header_role is None and _is_free_text(distinct, text):
        return Question(column, text, "text", "text")
    if _PLACE_HEADER.match(normalize_label(text)):
        return Question(column, text, "single", "ignore")
    options = _delimited_options(raw, counts)
    if options and header_role in (None, "channel"):
        return Question(column, text, "multi", "ignore" if column in stems else "multi",
                        options=options)
    if header_role is not None:
        kind, role = _demographic(header_role, values, text)
        opts = tuple(_ordered_options(distinct)) if kind == "single" else ()
        if role == "postcode":  # never show PC6 (with the house it is an address)
            opts = tuple(sorted({str(p) for p in map(to_pc4, distinct) if isinstance(p, str)}))
        return Question(column, text, kind, role, options=opts)
    numbers = _numbers(values)
    if numbers is not None and TALLY_HEADER.match(normalize_label(text)):
        return Question(column, text, "numeric", "ignore")  # people per row of a tally log
    if numbers is not None:
        return Question(column, text, "numeric", "item" if _few(numbers) else "ignore",
                        options=tuple(_ordered_options(distinct)) if _few(numbers) else ())
    if _looks_like_dates(values if pd.api.types.is_datetime64_any_dtype(values) else distinct):
        return Question(column, text, "date", "ignore")
    if distinct.str.match(_PC6).mean() >= 0.9:
        return Question(column, text, "single", "postcode", options=tuple(
            sorted({p for p in map(to_pc4, distinct) if isinstance(p, str)})))
    role = _role_from_values(counts.to_dict()) if len(counts) <= 30 else None
    if role or (len(counts) <= 20 and len(counts) <= max(2, 0.5 * len(values))):
        return Question(column, text, "single", role or "item",
                        options=tuple(_ordered_options(distinct)))
    return Question(column, text, "text", "text")


def _is_free_text(values: pd.Series, header: str) -> bool:
    """Sentences rather than options: an open-question header or long, varied answers."""
    texts = values.astype(str).str.strip()
    if pd.api.types.is_numeric_dtype(values) or _numbers(values) is not None:
        return False
    distinct = texts.drop_duplicates()
    words = distinct.str.split().str.len().mean()
    sentences = distinct.str.contains(r"[.!?](?: |$)", regex=True).mean()
    if _OPEN_HEADER.search(normalize_label(header)) and not texts.str.endswith(";").mean() > 0.5:
        return True
    return bool(words >= 6 or (sentences >= 0.3 and words >= 2.5)
                or distinct.str.len().mean() >= 60)


def _few(numbers: pd.Series) -> bool:
    """Small integer codes (1..10) read like answer options, not measurements."""
    return bool((numbers % 1 == 0).all() and numbers.between(0, 10).all() and numbers.nunique() >= 2)


def _ordered_options(values: pd.Series) -> list[str]:
    """Distinct answers without non-substantive ones, in natural order (numbers first)."""
    seen = [str(v).strip() for v in pd.unique(values.astype(str))]
    seen = [v for v in seen if v and not is_missing_answer(v)]

    def natural(v: str) -> tuple[float, str]:
        match = re.match(r"^\D*?(\d+(?:[.,]\d+)?)", v)
        return (float(match.group(1).replace(",", ".")) if match else float("inf"), v.lower())
    return sorted(seen, key=natural)


def infer_questionnaire(raw: RawExport) -> Questionnaire:
    """Every column of `raw` as a Question, with one respondent id and one response time.

    >>> q = infer_questionnaire(raw)   # doctest: +SKIP
    >>> q.question("Geslacht").role
    'gender'
    """
    columns = [str(c) for c in raw.frame.columns]
    split = _split_options(raw, [c for c in columns if normalize_label(c) not in _headers()["id"]])
    stems = {stem for stem, _ in split.values()}
    questions = [infer_question(raw, c, split, stems) for c in columns]
    questions = _one_of(questions, "respondent_id", _headers()["id"])
    questions = _one_of(questions, "responded_at", _headers()["responded_at"])
    return Questionnaire(format=raw.format, questions=tuple(questions))


def _one_of(questions: list[Question], role: str, priority: tuple[str, ...]) -> list[Question]:
    """Keep `role` on the best column only (by priority list); the others are ignored."""
    holders = [q for q in questions if q.role == role]
    if len(holders) <= 1:
        return questions

    def rank(q: Question) -> int:
        key = "#" if q.column.strip() == "#" else normalize_label(q.column)
        return priority.index(key) if key in priority else len(priority)
    best = min(holders, key=rank)
    return [q if q.role != role or q is best else _replace_role(q, "ignore") for q in questions]


def _replace_role(question: Question, role: str) -> Question:
    from dataclasses import replace
    return replace(question, role=role)


def is_estimated(question: Question, raw_format: str) -> bool:
    """Age or gender as estimated by an interviewer (conversation logs, 'geschatte leeftijd')."""
    return raw_format == "conversation_log" or bool(
        _ESTIMATED.search(question.text) or _ESTIMATED.search(question.column))
