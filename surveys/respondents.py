"""From a RawExport and a Mapping to the canonical respondents table of DESIGN.md.

Everything downstream (coverage, profiles, reports) reads only this table, so it holds
canonical codes and numbers and never a personal-data column. Warnings (answers no rule
understood) travel in `frame.attrs["warnings"]` and are logged.
"""
from __future__ import annotations

import logging
import math
from collections import Counter
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from surveys import demographics as demo
from surveys.categories import DIMENSION_LABELS
from surveys.likert import code_answers, is_missing_answer, normalize_label
from surveys.model import Mapping, Question, Questionnaire, RawExport
from surveys.pii import redact_text, to_pc4
from surveys.questionnaire import (TALLY_HEADER, column_key, infer_questionnaire, question_key, is_estimated,
                                   split_joined, split_stem)

logger = logging.getLogger(__name__)

BASE_COLUMNS = (
    "respondent_id", "source", "channel", "responded_at", "age", "age_band", "age_low",
    "age_high", "age_estimated", "gender", "gender_estimated", "household", "tenure",
    "origin", "postcode4", "area_code",
)
_DEMOGRAPHICS = ("gender", "household", "tenure", "origin")
_MONTH_FIRST = ("surveymonkey",)


def _decoded(raw: RawExport, column: str) -> pd.Series:
    """The column with SPSS codes replaced by their value labels, empty text as NaN."""
    series = raw.frame[column]
    labels = raw.value_labels.get(column)
    if labels:
        def label(v: Any) -> Any:
            if v in labels:
                return labels[v]
            try:
                return labels.get(int(v), v) if float(v).is_integer() else v
            except (TypeError, ValueError):
                return v
        series = series.map(label)
    if pd.api.types.is_string_dtype(series) and series.dtype != object:
        series = series.mask(series.str.strip() == "")
    elif series.dtype == object:
        series = series.map(lambda v: np.nan if isinstance(v, str) and not v.strip() else v)
    return series


def parse_datetimes(series: pd.Series, raw_format: str = "generic") -> pd.Series:
    """Dates in any of the three shapes: real dates, Excel serial numbers, or text."""
    if pd.api.types.is_datetime64_any_dtype(series):
        out = pd.to_datetime(series)
        return out.dt.tz_localize(None) if getattr(out.dt, "tz", None) is not None else out
    numbers = pd.to_numeric(series, errors="coerce")
    text = series.astype("str").str.strip()
    text = text.str.replace(r"\s+(CET|CEST|UTC|GMT|[A-Z]{3,4})$", "", regex=True)
    text = text.str.replace(r"(?<=\d)T(?=\d)", " ", regex=True)
    text = text.str.replace(r"(?<=\d)(Z|[+-]\d{2}:\d{2})$", "", regex=True)
    text = text.where(numbers.isna())
    iso = text.str.match(r"^\d{4}-\d{1,2}-\d{1,2}", na=False)
    parsed = pd.to_datetime(text.where(~iso), errors="coerce", format="mixed",
                            dayfirst=raw_format not in _MONTH_FIRST).astype("datetime64[ns]")
    if iso.any():  # year first: never swap day and month
        parsed = parsed.where(~iso, pd.to_datetime(text.where(iso), errors="coerce",
                                                  format="ISO8601").astype("datetime64[ns]"))
    serial = numbers.where(numbers.between(20000, 80000))
    from_serial = pd.to_datetime(serial, unit="D", origin="1899-12-30", errors="coerce")
    parsed = parsed.astype("datetime64[ns]")
    out = parsed.fillna(from_serial.astype("datetime64[ns]")) if serial.notna().any() else parsed
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out.astype("datetime64[ns]")


def _ids(raw: RawExport, column: str | None) -> pd.Series:
    rows = pd.Series([str(i + 1) for i in range(len(raw.frame))], index=raw.frame.index)
    if column is None:
        return rows
    values = raw.frame[column]
    text = values.map(_id_text)
    if text.str.contains("@", regex=False).any():
        return rows  # never an e-mail address
    return text.where(text != "", rows)


def _id_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _ages(raw: RawExport, columns: dict[str, str], at: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Exact ages (from age or birth year at the response date) and an 'estimated' flag."""
    n = len(raw.frame)
    age = pd.Series(np.nan, index=raw.frame.index)
    if "age" in columns:
        age = pd.to_numeric(_decoded(raw, columns["age"]).astype("str").str.replace(
            ",", ".", regex=False).str.extract(r"(\d+(?:\.\d+)?)")[0], errors="coerce")
        age = age.where(age.between(0, 120))
    if "birth_year" in columns:
        born = _decoded(raw, columns["birth_year"])
        year = pd.to_numeric(born, errors="coerce")
        dates = None
        if year.isna().all():
            dates = parse_datetimes(born, raw.format)
            year = dates.dt.year.astype(float)
        ref = at.fillna(pd.Timestamp(datetime.now()))
        from_year = ref.dt.year - year
        if dates is not None:
            before_birthday = (ref.dt.month * 100 + ref.dt.day) < (dates.dt.month * 100 + dates.dt.day)
            from_year = from_year - before_birthday.astype(float)
        from_year = from_year.where(year.between(1890, 2030) & from_year.between(0, 120))
        age = age.fillna(from_year)
    estimated = pd.Series([False] * n, index=raw.frame.index)
    return age.astype(float), estimated


def to_respondents(raw: RawExport, mapping: Mapping,
                   questionnaire: Questionnaire | None = None) -> pd.DataFrame:
    """The canonical respondents table for one export (see DESIGN.md).

    Columns: BASE_COLUMNS, then `item:<key>` floats, `multi:<key>:<option>` booleans and
    `text:<key>` redacted free text. Personal-data columns never appear.
    """
    q = questionnaire or infer_questionnaire(raw)
    questions = {x.column: x for x in q.questions}
    roles = {c: mapping.roles.get(c, questions[c].role if c in questions else "ignore")
             for c in map(str, raw.frame.columns)}
    roles = {c: r for c, r in roles.items() if not (c in questions and questions[c].pii)}
    first: dict[str, str] = {}
    for column, role in roles.items():
        first.setdefault(role, column)
    warnings: list[str] = []
    index = raw.frame.index
    out: dict[str, Any] = {}

    out["respondent_id"] = _ids(raw, first.get("respondent_id")).astype("str")
    out["source"] = pd.Series(raw.source, index=index, dtype="str")
    if "channel" in first:
        out["channel"] = _decoded(raw, first["channel"]).map(
            lambda v: demo.channel_code(v, mapping.channel))
    else:
        out["channel"] = pd.Series(mapping.channel, index=index)
    at = (parse_datetimes(_decoded(raw, first["responded_at"]), raw.format)
          if "responded_at" in first else pd.Series(pd.NaT, index=index, dtype="datetime64[ns]"))
    out["responded_at"] = at

    age, age_est = _ages(raw, first, at)
    low, high = age.copy(), age + 1
    band = pd.Series(np.nan, index=index, dtype="object")
    if "age_band" in first:
        column = first["age_band"]
        recode = mapping.recodes.get(column, {})
        answers = _decoded(raw, column).map(lambda v: recode.get(str(v), v))
        exclusive = demo.dash_bands_touch(answers.dropna())
        bounds = answers.map(lambda v: demo.parse_age_band(v, dash_exclusive=exclusive))
        has_band = bounds.notna() & age.isna()
        low = low.where(~has_band, bounds.map(lambda b: b[0] if b else np.nan))
        high = high.where(~has_band, bounds.map(lambda b: b[1] if b else np.nan))
        band = band.where(~has_band, bounds.map(lambda b: demo.band_label(*b) if b else np.nan))
        if questions.get(column) and is_estimated(questions[column], raw.format):
            age_est = age_est | has_band
        answers = _decoded(raw, column)
        _warn_unknown(warnings, raw, column, "leeftijd", answers[
            bounds.isna() & answers.notna() & ~answers.map(is_missing_answer)])
    if "age" in first and questions.get(first["age"]) and is_estimated(questions[first["age"]], raw.format):
        age_est = age_est | age.notna()
    out.update(age=age, age_band=band.astype("str").where(band.notna()), age_low=low.astype(float),
               age_high=high.astype(float), age_estimated=age_est.astype(bool))

    for dimension in _DEMOGRAPHICS:
        codes = pd.Series(np.nan, index=index, dtype="object")
        if dimension in first:
            column = first[dimension]
            values, unknown = demo.recode(dimension, _decoded(raw, column),
                                          overrides=mapping.recodes.get(column))
            codes = pd.Series(values, index=index, dtype="object")
            _warn_unknown(warnings, raw, column, DIMENSION_LABELS[dimension].lower(), unknown)
        out[dimension] = codes.astype("str").where(codes.notna())
        if dimension == "gender":
            estimated = first.get("gender") in questions and is_estimated(
                questions[first["gender"]], raw.format)
            out["gender_estimated"] = (codes.notna() & bool(estimated)).astype(bool)

    postcode = (_decoded(raw, first["postcode"]).map(to_pc4) if "postcode" in first
                else pd.Series(np.nan, index=index))
    out["postcode4"] = postcode.astype("str").where(postcode.notna())
    area = (_decoded(raw, first["area"]).map(lambda v: str(v).strip() if pd.notna(v) else np.nan)
            if "area" in first else pd.Series(np.nan, index=index))
    out["area_code"] = area.astype("str").where(area.notna())

    frame = pd.DataFrame(out, index=index)
    extra = _answer_columns(raw, roles, questions, mapping)
    frame = _expand_tally(raw, pd.concat([frame, extra], axis=1)).reset_index(drop=True)
    frame.attrs["warnings"] = warnings
    if warnings:  # the messages quote answers, so only their number goes to the log
        logger.info("%d waarschuwing(en) bij het omzetten van %s", len(warnings), raw.file_name)
    return frame


def _expand_tally(raw: RawExport, frame: pd.DataFrame) -> pd.DataFrame:
    """A conversation log kept as a tally ('Aantal' people per row) becomes one row per person."""
    if raw.format != "conversation_log":
        return frame
    tally = [c for c in map(str, raw.frame.columns) if TALLY_HEADER.match(normalize_label(c))]
    if not tally:
        return frame
    counts = pd.to_numeric(raw.frame[tally[0]], errors="coerce").fillna(1).clip(lower=0)
    counts = counts.round().astype(int).to_numpy()
    expanded = frame.loc[frame.index.repeat(counts)].copy()
    number = expanded.groupby(level=0).cumcount().add(1).astype(str)
    many = pd.Series(counts, index=frame.index).reindex(expanded.index) > 1
    expanded["respondent_id"] = expanded["respondent_id"].where(
        ~many, expanded["respondent_id"] + "-" + number)
    return expanded


def _warn_unknown(warnings: list[str], raw: RawExport, column: str, what: str,
                  unknown: Counter[str] | pd.Series) -> None:
    counts = Counter(map(str, unknown)) if isinstance(unknown, pd.Series) else unknown
    if not counts:
        return
    shown = ", ".join(f"'{v}' ({n}×)" for v, n in counts.most_common(5))
    more = f" en {len(counts) - 5} andere" if len(counts) > 5 else ""
    warnings.append(
        f"Bestand '{raw.file_name}', kolom '{column}': {sum(counts.values())} antwoorden voor "
        f"{what} herkennen we niet ({shown}{more}). Ze tellen als onbekend; "
        "pas zo nodig de hercodering aan.")


def _answer_columns(raw: RawExport, roles: dict[str, str], questions: dict[str, Question],
                    mapping: Mapping) -> pd.DataFrame:
    """`item:*` numbers, `multi:*:*` booleans and `text:*` redacted text."""
    columns: dict[str, pd.Series] = {}
    used: set[str] = set()

    def unique(name: str) -> str:
        candidate, i = name, 2
        while candidate in used:
            candidate, i = f"{name}_{i}", i + 1
        used.add(candidate)
        return candidate

    groups: dict[str, list[tuple[str, str]]] = {}
    for column, role in roles.items():
        question = questions.get(column)
        values = _decoded(raw, column)
        recode = mapping.recodes.get(column, {})
        # keyed by the question text, so the same question from two tools (Qualtrics "Q5",
        # a Forms header) lands in one column
        key = question_key(question.text if question is not None and question.text else column)
        if role == "item":
            columns[unique(f"item:{key}")] = _item(values, question, recode)
        elif role == "text":
            redacted = {v: redact_text(str(v)) for v in pd.unique(values.dropna())}
            text = values.map(redacted)
            columns[unique(f"text:{key}")] = text.astype("str").where(text.notna())
        elif role == "multi" and question is not None:
            stem = split_stem(column)
            if len(question.options) == 1 and stem is not None:
                # one column per option: group on the question text when the tool gives it
                # (Qualtrics "Q8_1" → "Hoe heeft u … gehoord?"), else on the column stem
                group = question.text if question.text and question.text != column else stem[0]
                groups.setdefault(group, []).append((column, question.options[0]))
                continue
            key = column_key(column)
            cells = {v: _tokens(v, question.options, raw.format) for v in pd.unique(values.dropna())}
            answered = values.notna()
            for option in question.options:
                name = unique(f"multi:{key}:{column_key(option)}")
                has = {cell: option in tokens for cell, tokens in cells.items()}
                columns[name] = _bools(values.map(has).fillna(False), answered)
    for stem, members in groups.items():
        key = column_key(stem)
        picks = {c: _decoded(raw, c).map(_ticked) for c, _ in members}
        answered = pd.concat(list(picks.values()), axis=1).any(axis=1)
        for column, option in members:
            columns[unique(f"multi:{key}:{column_key(option)}")] = _bools(picks[column], answered)
    return pd.DataFrame(columns, index=raw.frame.index)


def _bools(ticks: pd.Series, answered: pd.Series) -> pd.Series:
    """Ticked options as booleans; NA where the respondent skipped the whole question."""
    return ticks.astype("boolean").where(answered, pd.NA).astype("boolean")


def _ticked(value: Any) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return normalize_label(value) not in ("", "0", "0 0", "n", "no", "nee", "false", "onwaar")


def _tokens(value: Any, options: tuple[str, ...], raw_format: str) -> set[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return set()
    text = str(value).strip()
    if ";" in text:
        return {a.strip() for a in text.split(";") if a.strip()}
    if raw_format == "kobo" and ", " not in text:
        return set(text.split())
    return set(split_joined(text, set(options)))


def _item(values: pd.Series, question: Question | None, recode: dict[str, Any]) -> pd.Series:
    """Item answers as numbers: Likert step, option rank, or the number itself."""
    if recode:
        coded = values.map(lambda v: recode.get(str(v).strip(), np.nan) if pd.notna(v) else np.nan)
        return pd.to_numeric(coded, errors="coerce").astype(float)
    if question is not None and question.kind == "likert":
        distinct = list(pd.unique(values.dropna()))
        codes = dict(zip(distinct, code_answers(distinct, question.scale)))
        return values.map(codes).astype(float)
    numbers = pd.to_numeric(values.astype("str").str.replace(",", ".", regex=False),
                            errors="coerce")
    if numbers.notna().sum() == values.notna().sum():
        return numbers.astype(float)
    options = list(question.options) if question is not None else sorted(
        values.dropna().astype(str).unique())
    rank = {o: float(i) for i, o in enumerate(options, start=1)}
    return values.map(lambda v: rank.get(str(v).strip(), np.nan)).astype(float)


def combine_respondents(frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, int]:
    """One table from several imports; the same respondent imported twice counts once.

    Two rows are the same respondent when their source id and every answer are equal
    (only `source`, the import id, may differ). Returns the table and how many were dropped.
    """
    frames = [f for f in frames if f is not None and len(f.columns)]
    if not frames:
        return pd.DataFrame(columns=list(BASE_COLUMNS)), 0
    combined = pd.concat(frames, ignore_index=True, sort=False)
    content = [c for c in combined.columns if c != "source"]
    keys = combined[content].astype("object").where(combined[content].notna(), None)
    duplicated = keys.apply(lambda row: tuple(row), axis=1).duplicated()
    result = combined.loc[~duplicated].reset_index(drop=True)
    result.attrs["warnings"] = [w for f in frames for w in f.attrs.get("warnings", [])]
    return result, int(duplicated.sum())
