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
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from surveys import demographics as demo, roles as vocab
from surveys.age_bands import read_ages
from surveys.likert import (
    MARK_SCALE,
    is_missing_answer,
    match_scale,
    match_scales,
    normalize_label,
    scale_labels_for,
)
from surveys.model import FORMAT_CHANNEL, Question, Questionnaire, RawExport
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
               r"|huurder of eigenaar|wie is de eigenaar|^woning$|eigendom (van de |uw )?woning"
               r"|woningbezit|^koop huur$"),
    ("origin", r"herkomst|geboorteland|waar (bent|zijn) (u|je|jij)( en (uw|je) ouders)? geboren"
               r"|(uw|je) ouders geboren|land van herkomst"
               r"|migratieachtergrond|\borigin\b|country of birth|afkomst|geboren in"),
    ("postcode", r"\b(postcode\w*|zip|zip code|postal code|pc4|pc6|postnummer)\b"),
    ("area", r"^(wijk|buurt|buurtnaam|wijknaam|buurtcode|wijkcode|neighbou?rhood|district"
             r"|area|gebied|locatie buurt)$|in welke (wijk|buurt)|welke (wijk|buurt) woont"
             r"|^(uw |je )?(wijk|buurt)\b"),
    # only a column whose answers name channels keeps this role (see infer_question);
    # "how did you hear about this survey" is recruitment, never the channel
    ("channel", r"\b(kanaal|channel|type gesprek|soort gesprek|gespreksvorm|manier van deelname"
                r"|deelnamevorm|wijze van afname|afnamewijze|afnamemethode|methode|modus|mode"
                r"|responskanaal|respons kanaal|invulmethode|invulwijze|ingevuld via)\b"),
)
_DIMENSIONS = ("gender", "household", "tenure", "origin")
_OPEN_HEADER = re.compile(r"kwijt|opmerking|toelichting|waarom|notitie|notities|aantekening"
                          r"|namelijk|anders, |overig|suggestie|idee|verhaal|vertel|comment"
                          r"|remark|explain|why|other \(please|open[- ]ended|verslag")
_PLACE_HEADER = re.compile(r"^(locatie|plek|plaats|location|waar gesproken|gesprekslocatie"
                           r"|locatie gesprek)$")
# Integer answers (a Google Forms linear scale, a 1-10 mark) are an ordered scale only when
# the question says so; other small numbers (children, years, codes) are not statements.
_SCALE_HINT = re.compile(r"\b1\s*(=|is|:)|\(\s*1\s*[-–]\s*\d+\s*\)|\b1 (tot|t/m|to) (en met )?"
                         r"([4-9]|10|11)\b|\bschaal\b|\bscale\b")
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
_NUMBERING = re.compile(r"^\s*(?:(?:vraag|question|stelling|q)\s*)?\d{1,3}[a-z]?\s*[.)]\s+(?=\S)",
                        re.I)
_TOOL_SUFFIX = re.compile(r"(\s+-\s+(selected choice|geselecteerde keuze|gekozen optie|"
                          r"ingevoerde tekst|entered text|text|response|antwoord))+\s*$", re.I)
_BRACKET = re.compile(r"^(?P<stem>.*?\S)\s*\[(?P<statement>[^\[\]]+)\]\s*$")
_CODE = re.compile(r"^[A-Za-z_]{0,6}\d+[A-Za-z]?$")  # LimeSurvey SQ001, A1: not a statement


def clean_statement(text: str) -> str:
    """A statement without a short label or number in front ("Stelling: …", "3. …")."""
    text = " ".join(str(text).split())
    cleaned = _NUMBERING.sub("", _LEAD_LABEL.sub("", text, count=1), count=1)
    return cleaned or text


def split_statement(text: str) -> tuple[str, str]:
    """(stem, statement) of a question text as the tools write a matrix row.

    Qualtrics "Stem - Statement" (and "… - Selected Choice"), Google Forms and LimeSurvey
    "Stem [Statement]", SurveyMonkey block question + row label joined with " - ". The
    statement is what identifies the item across tools; stem is "" for a plain question.
    """
    text = _TOOL_SUFFIX.sub("", " ".join(str(text).split()))
    match = _BRACKET.match(text)
    if match and not _CODE.match(match.group("statement").strip()):
        return match.group("stem").strip(), clean_statement(match.group("statement"))
    if " - " in text:
        stem, statement = text.rsplit(" - ", 1)
        if stem.strip() and statement.strip():
            return stem.strip(), clean_statement(statement)
    stem, colon, statement = text.partition(": ")
    if colon and len(stem.split()) >= 3 and len(statement.split()) >= 2 \
            and "?" not in statement[:-1]:
        # an SPSS label "In hoeverre bent u het eens met: Ik voel me thuis"
        return stem.strip(), clean_statement(statement)
    return "", clean_statement(text)


def question_key(text: str) -> str:
    """The key of a question from its text, so one questionnaire lines up across tools:
    a matrix header "Hoe eens bent u het met … - Ik voel me thuis" or "Stellingen [Ik voel
    me thuis]" keys on the statement, and a short label in front ("Stelling: …", "Vraag 3:
    …") is left out."""
    return column_key(split_statement(text)[1])


def _texts(raw: RawExport, column: str) -> tuple[str, str, str]:
    """(text, stem, statement) of a column: the full question text without tool noise.

    SurveyMonkey and merged two-row headers keep the block question as label and the row
    in the column name; Kobo keeps the group path in the column name.
    """
    label = raw.labels.get(column, "")
    if label and column.startswith(label + " - ") and len(column) > len(label) + 3:
        stem, statement = label, clean_statement(column[len(label) + 3:])
        return f"{stem} - {statement}", stem, statement
    if raw.format == "kobo" and "/" in column and not column.startswith("_"):
        parts = [p for p in column.split("/") if p]
        question = label or parts[-1]
        # detect labels group/question/option by its question part: the group is before it
        stem = "/".join(parts[:-1]) if question == parts[-1] else "/".join(parts[:1])
        return question, stem, clean_statement(question)
    stem, statement = split_statement(label or column)
    if stem:
        return f"{stem} - {statement}", stem, statement
    text = _TOOL_SUFFIX.sub("", " ".join((label or column).split())) or (label or column)
    return text, "", statement


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


# dtypes whose value_counts(sort=False) keeps the order of first appearance and whose
# astype(str) is a function of the value (or of the set of values, for datetimes)
def _by_distinct(series: pd.Series) -> bool:
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        return True
    if not isinstance(dtype, np.dtype) or dtype.kind not in "biufM":
        return False
    if dtype.kind == "f":  # -0.0 and 0.0 count as one value but print differently
        array = series.to_numpy()
        return not bool(np.signbit(array[array == 0]).any())
    return True


# A letter that no number text holds ('1e5', 'inf', 'NaN' are the only words to_numeric
# reads): a text with one is not a number, without asking pandas.
_NOT_A_NUMBER = re.compile(r"[^\W\deEiInNfFtTyYaA_]")
_SENTENCE = r"[.!?](?: |$)"
_DATE_TEXT = r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"


class _Column:
    """One column's non-empty answers, read once: each distinct answer with its count.

    A 10,000-row Likert column has five distinct answers, so inference checks those and
    weighs them by their counts instead of converting every cell; the rows themselves
    are only built for the few checks that need them (an age or demographic column).
    The distinct answers keep the order in which they first occur, as the rows would.
    """

    def __init__(self, raw: RawExport, column: str) -> None:
        self._raw, self._column = raw, column
        series = raw.frame[column]
        labels = raw.value_labels.get(column)
        if labels:
            series = series.map(lambda v: labels.get(v, labels.get(_as_int(v), v)))
        self.dtype = series.dtype
        if isinstance(series.dtype, pd.StringDtype):
            found = series.value_counts(sort=False)  # leaves out the empty cells
            texts = found.index
        elif _by_distinct(series):
            found = series.value_counts(sort=False)
            texts = pd.Series(found.index, dtype=series.dtype).astype(str)
        else:  # mixed objects: 1, 1.0 and True count as one value, their texts do not
            found = series.dropna().astype(str).value_counts(sort=False)
            texts = pd.Series(found.index, dtype="str")
        self._values = found.index
        # blank answers are left out of text columns only (as _answers does)
        blank_out = pd.api.types.is_string_dtype(series) or series.dtype == object
        counts: dict[str, int] = {}
        self.texts: list[str] = []  # each distinct answer as written (not stripped)
        for text, key, n in zip(texts.tolist(), texts.str.strip().tolist(),
                                found.to_numpy().tolist()):
            if blank_out and key == "":
                continue
            counts[key] = counts.get(key, 0) + n
            self.texts.append(text)
        self.counts = counts  # stripped answer → rows, first seen first
        self.total = sum(counts.values())

    @property
    def empty(self) -> bool:
        return self.total == 0

    @cached_property
    def rows(self) -> pd.Series:
        """The non-empty answers row by row (only for the checks that weigh rows)."""
        return _answers(self._raw, self._column)

    @cached_property
    def numbers(self) -> pd.Series | None:
        """Each distinct answer as a number, or None when any answer is not one (as
        _numbers on the rows: all/any/nunique checks give the same on these)."""
        if pd.api.types.is_bool_dtype(self.dtype):
            return None
        if pd.api.types.is_numeric_dtype(self.dtype):
            return pd.Series(self._values).astype(float)
        return self.text_numbers

    @cached_property
    def text_numbers(self) -> pd.Series | None:
        """The distinct answer texts as numbers ('7', '7,5'), or None."""
        if pd.api.types.is_integer_dtype(self.dtype) and not pd.api.types.is_bool_dtype(
                self.dtype):
            return self.numbers  # str() of an integer always reads back as a number
        texts = self.distinct()
        if any(_NOT_A_NUMBER.search(t) for t in texts[:50]):
            return None  # a word ('Mee eens'): to_numeric would not read it either
        return _numbers(pd.Series(texts, dtype="str"))

    def distinct(self, limit: int | None = None) -> list[str]:
        """The distinct answers (stripped text), first seen first."""
        keys = list(self.counts)
        return keys if limit is None else keys[:limit]


class _TextFacts:
    """What the free-text, date and postcode checks read from each distinct answer text
    (words, length, a sentence end, a trailing ';', a PC6, a date), for all columns of
    one file in one vectorised pass: the same wording recurs in many columns, and six
    small pandas calls per column cost more than the checks themselves."""

    def __init__(self, columns: list[_Column]) -> None:
        # numbers and dates never reach these checks; their texts are read only if asked
        self._pending = [c for c in columns if not (
            pd.api.types.is_numeric_dtype(c.dtype) or pd.api.types.is_datetime64_any_dtype(
                c.dtype)) or pd.api.types.is_bool_dtype(c.dtype)]
        self._facts: dict[str, tuple[int, int, bool, bool, bool, bool]] = {}

    def of(self, texts: list[str]) -> list[tuple[int, int, bool, bool, bool, bool]]:
        """(words, length, sentence, ends with ';', PC6, date-like) of each text."""
        missing = [t for t in texts if t not in self._facts]
        if missing:
            batch = list(dict.fromkeys(missing + [t for c in self._pending
                                                  for t in c.distinct()]))
            self._pending = []
            union = pd.Series(batch, dtype="str")
            facts = zip(union.str.split().str.len().tolist(), union.str.len().tolist(),
                        union.str.contains(_SENTENCE, regex=True).tolist(),
                        union.str.endswith(";").tolist(), union.str.match(_PC6).tolist(),
                        union.str.contains(_DATE_TEXT, regex=True).tolist())
            self._facts.update({t: (int(w), int(n), bool(s), bool(e), bool(p), bool(d))
                                for t, (w, n, s, e, p, d) in zip(batch, facts)})
        return [self._facts[t] for t in texts]


def _share(facts: list[tuple[int, int, bool, bool, bool, bool]], index: int) -> float:
    """The mean of one fact over the distinct texts (as pandas' mean: exact sum / count)."""
    return sum(f[index] for f in facts) / len(facts)


def _as_int(value: Any) -> Any:
    try:
        return int(value) if float(value).is_integer() else value
    except (TypeError, ValueError):
        return value


def _split_options(raw: RawExport, columns: list[str],
                   answers: dict[str, _Column] | None = None) -> dict[str, tuple[str, str]]:
    """Columns that are one option of a split multi-select → (question stem, option label)."""
    answers = answers if answers is not None else {}
    groups: dict[str, list[tuple[str, str]]] = {}
    for column in columns:
        found = split_stem(column)
        if found:
            groups.setdefault(found[0], []).append((column, found[1]))
    result: dict[str, tuple[str, str]] = {}
    for stem, members in groups.items():
        if raw.format == "spss" and not _one_question(raw, [c for c, _ in members]):
            continue  # geb_01, geb_02 … are separate yes/no questions, not one multi-select
        options = {}
        for column, opt in members:
            col = answers.get(column) or _Column(raw, column)
            values = {normalize_label(v) for v in col.texts}
            labels = set(col.distinct())
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


def _one_question(raw: RawExport, columns: list[str]) -> bool:
    """SPSS variables form one multi-select only when their labels share a question stem
    ("Hoe gehoord: flyer", "Hoe gehoord: krant")."""
    stems = set()
    for column in columns:
        label = raw.labels.get(column, "")
        stem = re.split(r"\s+-\s+|:\s+", label, maxsplit=1)[0] if re.search(
            r"\s+-\s+|:\s+", label) else ""
        if not stem:
            return False
        stems.add(stem.strip().casefold())
    return len(stems) == 1


def _delimited_options(raw: RawExport, counts: Mapping[str, int]) -> tuple[str, ...]:
    """Options of a multi-select held in one cell, or () when the cells are not that.

    `counts` holds each distinct cell with how often it occurs.
    """
    cells = {str(c).strip(): int(n) for c, n in counts.items()}
    total = sum(cells.values())
    if not total:
        return ()
    if sum(n for c, n in cells.items() if c.endswith(";")) >= 0.5 * total or (
            any(";" in c for c in cells) and raw.format == "ms_forms") or \
            any("; " in c for c in cells):
        def split(cell: str) -> list[str]:
            return [a.strip() for a in cell.split(";") if a.strip()]
    elif raw.format == "kobo" and all(re.fullmatch(r"[a-z0-9_.-]+( [a-z0-9_.-]+)*", c)
                                      for c in cells) and any(" " in c for c in cells):
        # XML values: lowercase codes joined by spaces (labels have capitals and spaces)
        def split(cell: str) -> list[str]:
            return cell.split()
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
    best = max(shares, key=lambda d: shares[d])
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
        # "34 jaar", "34 jr.", a year of birth among numbers: the header says age, so
        # the column stays an age; what cannot be read is counted when it is imported
        reading = read_ages(list(pd.unique(values))[:2000])
        exact = sum(a is not None for a in reading.ages)
        banded = sum(a is None and b is not None for a, b in zip(reading.ages, reading.bands))
        if exact and exact >= banded:
            return "numeric", "age"
        if banded:
            return "single", "age_band"
        return ("numeric" if numbers is not None else "single"), "ignore"
    if role == "postcode":
        return "single", "postcode"
    if role in _DIMENSIONS:  # "woonsituatie" may hold koop/huur: the answers decide
        sample = values.astype(str).head(2000)
        shares = {d: demo.share_known(d, sample) for d in _DIMENSIONS}
        best = max(shares, key=lambda d: shares[d])
        if shares[best] >= 0.5 and shares[best] > shares[role] + 0.2:
            role = best
    return ("numeric" if numbers is not None else "single"), role


def infer_question(raw: RawExport, column: str, split: dict[str, tuple[str, str]],
                   stems: set[str], *, answers: _Column | None = None,
                   pii_kinds: dict[str, str] | None = None,
                   facts: _TextFacts | None = None) -> Question:
    """One column → Question (kind, suggested role, options, scale, pii).

    Only an ordered scale (kind likert, or numbers the question calls a scale) becomes a
    profile statement (role item); other single choices are kept out (ignore) until the
    officer chooses them. Filters (status, residence) and bookkeeping (recruitment,
    weight) get their own roles.
    """
    header = raw.labels.get(column) or column  # as the tool wrote it, for header rules
    text, stem, statement = _texts(raw, column)
    col = answers if answers is not None else _Column(raw, column)
    facts = facts if facts is not None else _TextFacts([col])
    counts = col.counts
    delimited: list[tuple[str, ...]] = []

    def delimited_options() -> tuple[str, ...]:
        if not delimited:
            delimited.append(_delimited_options(raw, counts))
        return delimited[0]
    distinct = col.distinct()
    key = normalize_label(column)
    heads = _headers()

    def make(kind: str, role: str, **kw: Any) -> Question:
        return Question(column, kw.pop("text", text), kind, role,
                        statement=kw.pop("statement", statement), stem=kw.pop("stem", stem), **kw)

    reason = column_pii_reason(column, distinct[:500], kinds=pii_kinds) or (
        column_pii_reason(header) if header != column else "")
    if not reason and (vocab.is_staff_column(column) or vocab.is_staff_column(header)):
        reason = "naam medewerker"
    if not reason and (vocab.is_name_column(column) or vocab.is_name_column(header)):
        reason = "naam"
    if not reason and col.empty:  # an empty contact question is still a contact question
        reason = vocab.contact_reason(header)
    if reason:
        return make("pii", "ignore", pii=True,
                    pii_reason=f"Persoonsgegevens ({reason}): deze kolom wordt niet ingelezen.")
    status = vocab.status_header(column) or vocab.status_header(header)
    if status == "test" or (status == "tool" and all(map(vocab.known_status, distinct))):
        return make("metadata" if status == "tool" else "single", "status",
                    options=tuple(_ordered_options(distinct)))
    if col.empty:
        return make("empty", "ignore")
    if key in heads["id"] or column.strip() == "#":
        return make("id", "respondent_id")
    if key in heads["responded_at"]:
        return make("timestamp", "responded_at")
    if key in heads["timestamp"]:
        return make("timestamp", "ignore")
    if key in heads["metadata"] or column.endswith("_DO") or key.startswith("_"):
        return make("metadata", "ignore")
    if column in split:
        question = header.split(" - ")[0] if header != column else split[column][0]
        return make("multi", "multi", text=question, stem="",
                    statement=clean_statement(question), options=(split[column][1],))
    if column in stems:  # the per-option columns carry the answers of this question
        return make("multi", "ignore", options=tuple(
            o for c, (st, o) in split.items() if st == column))
    if column.endswith("_TEXT"):
        return make("text", "text")
    if vocab.weight_header(column, raw.labels.get(column, "")):
        weights = col.numbers
        if weights is not None and bool((weights >= 0).all() and (weights > 0).any()):
            return make("numeric", "weight")
    words = vocab.words(header)
    if vocab.RESIDENCE_HEADER.search(words) and vocab.looks_like_residence(distinct):
        return make("single", "residence", options=tuple(_ordered_options(distinct)))
    if vocab.RECRUITMENT_HEADER.search(words) or vocab.RECRUITMENT_HEADER.search(
            vocab.words(column)):
        options = delimited_options()
        if options:  # ticked several: kept as its own multi-select, never the channel
            return make("multi", "ignore" if column in stems else "multi", options=options)
        return make("single", "recruitment", options=tuple(_ordered_options(distinct)))
    scale = match_scale(distinct[:5000], header=header)
    if scale is not None:
        labels = scale_labels_for(scale, distinct[:200])
        # a report mark (1-10) is a grade of a service, not an attitude statement: the
        # officer may add it to the profiles, it is not suggested
        mark = all(re.fullmatch(r"\d+", str(label)) for label in scale.labels)
        return make("likert", "ignore" if mark else "item", options=labels, scale=labels)
    header_role = _role_from_header(header) or _role_from_header(column)
    if header_role == "channel" and not vocab.looks_like_channels(distinct):
        header_role = None  # "Kanaal: flyer, buurman" is not a channel of taking part
    options = delimited_options()
    if options and header_role in (None, "channel") and not _OPEN_HEADER.search(
            normalize_label(header)):
        # long option labels ("Groen, spelen en sport") are no free text
        return make("multi", "ignore" if column in stems else "multi", options=options)
    if header_role is None and _is_free_text(col, header, facts):
        return make("text", "text")
    if _PLACE_HEADER.match(normalize_label(header)):
        return make("single", "ignore")
    options = delimited_options()
    if options and header_role in (None, "channel"):
        return make("multi", "ignore" if column in stems else "multi", options=options)
    if header_role is not None:
        kind, role = _demographic(header_role, col.rows, header)
        opts = tuple(_ordered_options(distinct)) if kind == "single" else ()
        if role == "postcode":  # never show PC6 (with the house it is an address)
            opts = tuple(sorted({str(p) for p in map(to_pc4, distinct) if isinstance(p, str)}))
        return make(kind, role, options=opts)
    numbers = col.numbers
    if numbers is not None and TALLY_HEADER.match(normalize_label(header)):
        return make("numeric", "ignore")  # people per row of a tally log
    if numbers is not None:
        if not _few(numbers):
            return make("numeric", "ignore")
        ordered = bool(_SCALE_HINT.search(header.casefold()))
        return make("numeric", "item" if ordered else "ignore",
                    options=tuple(_ordered_options(distinct)))
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return make("date", "ignore")
    text_facts = facts.of(distinct)
    if _share(text_facts, 5) >= 0.9 and _looks_like_dates(pd.Series(distinct, dtype="str")):
        return make("date", "ignore")
    if _share(text_facts, 4) >= 0.9:
        return make("single", "postcode", options=tuple(
            sorted({p for p in map(to_pc4, distinct) if isinstance(p, str)})))
    if 2 <= len(counts) <= 20 and vocab.looks_like_channels(distinct, least=2):
        return make("single", "channel", options=tuple(_ordered_options(distinct)))
    value_role = _role_from_values(dict(counts)) if len(counts) <= 30 else None
    if value_role or (len(counts) <= 20 and len(counts) <= max(2, 0.5 * col.total)):
        # an unordered choice is no profile statement unless the officer makes it one
        return make("single", value_role or "ignore", options=tuple(_ordered_options(distinct)))
    return make("text", "text")


def _is_free_text(col: _Column, header: str, facts: _TextFacts) -> bool:
    """Sentences rather than options: an open-question header or long, varied answers
    (averaged over the distinct answers, so a repeated answer counts once)."""
    if col.text_numbers is not None:
        return False
    found = facts.of(col.distinct())
    words = _share(found, 0)
    sentences = _share(found, 2)
    if _OPEN_HEADER.search(normalize_label(header)) and not _share(found, 3) > 0.5:
        return True
    return bool(words >= 6 or (sentences >= 0.3 and words >= 2.5) or _share(found, 1) >= 60)


def _few(numbers: pd.Series) -> bool:
    """Small integer codes (1..10) read like answer options, not measurements."""
    return bool((numbers % 1 == 0).all() and numbers.between(0, 10).all()
                and numbers.nunique() >= 2)


def _ordered_options(values: Iterable[Any]) -> list[str]:
    """Distinct answers without non-substantive ones, in natural order (numbers first)."""
    seen = [str(v).strip() for v in dict.fromkeys(map(str, values))]
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
    answers = {c: _Column(raw, c) for c in columns}
    split = _split_options(raw, [c for c in columns if normalize_label(c) not in _headers()["id"]],
                           answers)
    stems = {stem for stem, _ in split.values()}
    pii_kinds: dict[str, str] = {}  # a cell text's kind, shared by the columns of this file
    facts = _TextFacts(list(answers.values()))
    questions = [infer_question(raw, c, split, stems, answers=answers[c], pii_kinds=pii_kinds,
                                facts=facts) for c in columns]
    questions = _one_of(questions, "respondent_id", _headers()["id"])
    questions = _one_of(questions, "responded_at", _headers()["responded_at"])
    questions = _one_of(questions, "weight", ())
    questions = _unify_scales(raw, questions, answers)
    return Questionnaire(format=raw.format, questions=tuple(questions))


def _unify_scales(raw: RawExport, questions: list[Question],
                  columns: dict[str, _Column] | None = None) -> list[Question]:
    """The scale columns of ONE file decide their scale together.

    A 7-point statement whose few answers show no 'Somewhat agree' looks like a 5-point
    scale on its own, and its 'Agree' would be coded 4 instead of 6; one tool uses one
    scale per kind, so the other statements of the file settle it (likert.match_scales).
    In a small file a statement answered only 'Neutraal' and 'Weet niet' is no scale on
    its own either: when its answers are all steps of the one scale the file's other
    statements use, it is a statement on that scale. Never across files: two different
    5-point wordings together look like a 7-point one.
    """
    likert = {q.column: q for q in questions
              if q.kind == "likert" and tuple(q.scale) != MARK_SCALE.labels}
    if not likert:
        return questions
    columns = columns if columns is not None else {}

    def distinct(column: str, limit: int) -> list[str]:
        return (columns.get(column) or _Column(raw, column)).distinct(limit)
    answers = {c: distinct(c, 5000) for c in likert}
    found = match_scales(answers, headers={c: q.text for c, q in likert.items()})
    scales = list({id(v): v for v in found.values() if v is not None}.values())
    out = []
    for question in questions:
        scale = found.get(question.column)
        if question.column in likert and scale is not None:
            labels = scale_labels_for(scale, answers[question.column][:200])
            question = replace(question, options=labels, scale=labels)
        elif question.kind == "single" and question.role == "ignore" and not question.pii:
            question = _statement_on_file_scale(distinct(question.column, 50), question,
                                                scales, answers)
        out.append(question)
    return out


def _statement_on_file_scale(distinct: list[str], question: Question, scales: list,
                             answers: dict[str, list[str]]) -> Question:
    """A single-choice column whose answers (`distinct`, the first 50) are all steps of
    exactly one of the file's scales (few answers, e.g. 'Neutraal' and 'Weet niet') is a
    statement on that scale."""
    real = [a for a in distinct if not is_missing_answer(a)]
    if not real:
        return question
    fits = [scale for scale in scales if all(scale.step(a) is not None for a in real)]
    if len({scale.labels for scale in fits}) != 1:
        return question
    scale = fits[0]
    observed = [a for values in answers.values() for a in values[:200]] + real
    labels = scale_labels_for(scale, observed)
    return replace(question, kind="likert", role="item", options=labels, scale=labels)


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
    return replace(question, role=role)


def file_channel(raw_format: str) -> str:
    """The channel of a whole file from its kind (online tool, paper form, conversation log)."""
    return FORMAT_CHANNEL.get(raw_format, "online")


def is_estimated(question: Question, raw_format: str) -> bool:
    """Age or gender as estimated by an interviewer (conversation logs, 'geschatte leeftijd')."""
    return raw_format == "conversation_log" or bool(
        _ESTIMATED.search(question.text) or _ESTIMATED.search(question.column))
