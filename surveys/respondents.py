"""From a RawExport and a Mapping to the canonical respondents table of DESIGN.md.

Everything downstream (coverage, profiles, reports) reads only this table, so it holds
canonical codes and numbers and never a personal-data column. Warnings (answers no rule
understood) travel in `frame.attrs["warnings"]` and are logged.
"""
from __future__ import annotations

import logging
import math
import re
from collections import Counter
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from surveys import (  # the one age reader; the filter vocabulary
    age_bands,
    demographics as demo,
    identity,
    roles as _roles,
)
from surveys.categories import DIMENSION_LABELS, DIMENSIONS, EXCLUSION_LABELS, label
from surveys.likert import code_answers, is_missing_answer, normalize_label
from surveys.model import Mapping, Question, Questionnaire, RawExport
from surveys.pii import redact_text, to_pc4
from surveys.questionnaire import (
    TALLY_HEADER,
    column_key,
    infer_questionnaire,
    is_estimated,
    question_key,
    split_joined,
    split_stem,
)

logger = logging.getLogger(__name__)

BASE_COLUMNS = (
    "respondent_id", "source", "source_row", "excluded", "id_generated", "channel",
    "responded_at", "age", "age_band", "age_low", "age_high", "age_estimated", "gender",
    "gender_estimated", "household", "tenure", "origin", "postcode4", "area_code",
    "recruitment", "weight",
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
        # blank cells found among the distinct texts: one strip per text, not per cell
        distinct = pd.Series(series.dropna().unique(), dtype=series.dtype)
        blank = distinct[(distinct.str.strip() == "").to_numpy()]
        if len(blank):
            series = series.mask(series.isin(blank))
    elif series.dtype == object:
        series = series.map(lambda v: np.nan if isinstance(v, str) and not v.strip() else v)
    return series


_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_ENGLISH_TIME = re.compile(r"^(timestamp|submitted|submission time|completion time|date submitted"
                           r"|start time|end time|recorded date|date)$")


def day_first(texts: pd.Series, raw_format: str = "generic", header: str = "") -> bool:
    """Whether '7/9/2026' is 7 September: the data decide when any day is over 12 (in
    either place); otherwise Dutch tools write day first, SurveyMonkey and English
    Google Forms ('Timestamp') month first."""
    found = texts.dropna().astype(str).str.extract(_DAY_MONTH)
    if len(found.dropna()):
        first = pd.to_numeric(found[0], errors="coerce")
        second = pd.to_numeric(found[1], errors="coerce")
        if (first > 12).any() and not (second > 12).any():
            return True
        if (second > 12).any() and not (first > 12).any():
            return False
    if raw_format in _MONTH_FIRST:
        return False
    english = bool(_ENGLISH_TIME.match(normalize_label(header))) if header else False
    return not (raw_format == "google_forms" and english)


def parse_datetimes(series: pd.Series, raw_format: str = "generic", header: str = "") -> pd.Series:
    """Dates in any of the three shapes: real dates, Excel serial numbers, or text.
    Day or month first is read from the data where it can be (see `day_first`)."""
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
                            dayfirst=day_first(text.where(~iso), raw_format, header)
                            ).astype("datetime64[ns]")
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


def _ids(raw: RawExport, column: str | None, *, salt: str,
         personal: bool = False) -> tuple[pd.Series, pd.Series]:
    """(respondent ids, generated flags). Without an id column, or in an empty cell, the
    id is the row number and flagged as generated: it never identifies a person. Ids
    that look like personal data (names, e-mail, invitation codes) become salted hashes."""
    rows = pd.Series([str(i + 1) for i in range(len(raw.frame))], index=raw.frame.index)
    if column is None:
        return rows, pd.Series(True, index=raw.frame.index, dtype=bool)
    text = raw.frame[column].map(identity.id_text)
    if identity.ids_look_personal(column, pd.unique(text), pii_column=personal):
        hashed = {v: identity.hash_id(v, salt) for v in pd.unique(text) if v}
        text = text.map(lambda v: hashed.get(v, ""))
    generated = text == ""
    return text.where(~generated, rows), generated.astype(bool)


def _is_invitation_code(column: str) -> bool:
    from surveys import pii
    check = getattr(pii, "is_personal_code_header", None)
    return bool(check(column)) if check is not None else bool(
        re.search(r"token|uitnodigingscode|inlogcode|toegangscode|invitation code|access code",
                  normalize_label(column)))


def _source_rows(raw: RawExport) -> pd.Series:
    """The row a spreadsheet program shows for every frame row (header rows counted)."""
    rows = getattr(raw, "source_rows", None)
    if rows is None or len(rows) != len(raw.frame):
        first = max(1, int(raw.header_rows or 0)) + 1
        rows = range(first, first + len(raw.frame))
    return pd.Series(list(rows), index=raw.frame.index, dtype="int64")


def _exclusions(raw: RawExport, roles: dict[str, str]) -> pd.Series:
    """Per row "" or the first reason it does not count: status columns (test, preview,
    not_approved) before residence (non_resident)."""
    reasons = pd.Series("", index=raw.frame.index, dtype="object")
    for column in [c for c, r in roles.items() if r == "status"]:
        cells = _decoded(raw, column)
        found = {v: _roles.status_reason(v, column) for v in pd.unique(cells.dropna())}
        reason = cells.astype("object").map(found).astype("object").fillna("")
        reasons = reasons.where(reasons != "", reason)
    residence = [c for c, r in roles.items() if r == "residence"][:1]
    for column in residence:
        cells = _decoded(raw, column)
        answers = {v: _roles.is_resident(v) for v in pd.unique(cells.dropna())}
        outside = cells.map({v: a is False for v, a in answers.items()}).fillna(False)
        reasons = reasons.where((reasons != "") | ~outside.astype(bool), "non_resident")
    return reasons.astype("str")


def describe_exclusions(file_name: str, reasons: pd.Series) -> str:
    """Dutch: how many rows do not count, per reason; '' when all count."""
    counts = Counter(r for r in reasons if isinstance(r, str) and r)
    if not counts:
        return ""
    parts = ", ".join(f"{n} {EXCLUSION_LABELS.get(r, r)}" for r, n in counts.most_common())
    total = sum(counts.values())
    rows = "1 rij telt" if total == 1 else f"{total} rijen tellen"
    return (f"Bestand '{file_name}': {rows} niet mee ({parts}). "
            f"{'Die is' if total == 1 else 'Ze zijn'} bewaard, zodat u dit kunt controleren en zo "
            "nodig aanpassen.")


def _ages(raw: RawExport, columns: dict[str, str], at: pd.Series,
          warnings: list[str]) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Exact ages (from age or birth year at the response date), an 'estimated' flag, and
    the band of rows whose age column holds a band ('<25', '65+') instead of an age.
    Age answers that cannot be read are counted in a warning, never dropped silently."""
    n = len(raw.frame)
    age = pd.Series(np.nan, index=raw.frame.index)
    bands = pd.Series(None, index=raw.frame.index, dtype="object")
    if "age" in columns:
        values = _decoded(raw, columns["age"])
        reading = age_bands.read_ages(values.tolist(), [None if pd.isna(t) else t for t in at])
        age = pd.Series([np.nan if a is None else float(a) for a in reading.ages],
                        index=raw.frame.index)
        bands = pd.Series([b if a is None else None for a, b in zip(reading.ages, reading.bands)],
                          index=raw.frame.index, dtype="object")
        if reading.unreadable:
            _warn_unknown(warnings, raw, columns["age"], "leeftijd", Counter(dict(reading.unreadable)))
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
    return age.astype(float), estimated, bands


def to_respondents(raw: RawExport, mapping: Mapping,
                   questionnaire: Questionnaire | None = None, *,
                   keys: dict[str, str] | None = None, salt: str | None = None,
                   options: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """The canonical respondents table for one export (see DESIGN.md).

    Columns: BASE_COLUMNS, then `item:<key>` floats, `multi:<key>:<option>` booleans and
    `text:<key>` redacted free text. Personal-data columns never appear. `keys` gives
    the key of item and text columns ({column: key}, from surveys.matching), so the same
    statement from another tool or week lands in the same column; `salt` is the salt for
    ids that look like personal data (surveys.identity.id_salt); `options` gives the
    option keys of multi-selects ({question key: {option text: option key}}, from
    surveys.matching.match_options), so a Kobo code and another tool's label of one option
    share a column, and a listed option is never a typed 'anders'. Rows that do not count
    (test, preview, not approved, not living in the area) are kept with their reason in
    `excluded`. `attrs` carries warnings, fingerprint, content_hash and file_name.
    """
    q = questionnaire or infer_questionnaire(raw)
    questions = {x.column: x for x in q.questions}
    roles = {c: mapping.roles.get(c, questions[c].role if c in questions else "ignore")
             for c in map(str, raw.frame.columns)}
    personal_id = {c for c, r in roles.items() if r == "respondent_id" and c in mapping.roles
                   and c in questions and questions[c].pii}  # an invitation code: hashed only
    if "respondent_id" not in roles.values():
        code = next((c for c in roles if c in questions and questions[c].pii
                     and _is_invitation_code(c)), None)
        if code is not None:  # no id column, but an invitation code: its hash de-duplicates
            roles[code] = "respondent_id"
            personal_id.add(code)
    roles = {c: r for c, r in roles.items()
             if not (c in questions and questions[c].pii) or c in personal_id}
    first: dict[str, str] = {}
    for column, role in roles.items():
        first.setdefault(role, column)
    warnings: list[str] = []
    index = raw.frame.index
    out: dict[str, Any] = {}

    ids, generated = _ids(raw, first.get("respondent_id"),
                          salt=salt if salt is not None else identity.id_salt(),
                          personal=first.get("respondent_id") in personal_id)
    out["respondent_id"] = ids.astype("str")
    out["source"] = pd.Series(raw.source, index=index, dtype="str")
    out["source_row"] = _source_rows(raw)
    excluded = _exclusions(raw, roles)
    out["excluded"] = excluded
    out["id_generated"] = generated
    note = describe_exclusions(raw.file_name, excluded)
    if note:
        warnings.append(note)
    if "channel" in first:
        out["channel"] = _decoded(raw, first["channel"]).map(
            lambda v: demo.channel_code(v, mapping.channel))
    else:
        out["channel"] = pd.Series(mapping.channel, index=index)
    at = (parse_datetimes(_decoded(raw, first["responded_at"]), raw.format, first["responded_at"])
          if "responded_at" in first else pd.Series(pd.NaT, index=index, dtype="datetime64[ns]"))
    out["responded_at"] = at

    age, age_est, age_column_bands = _ages(raw, first, at, warnings)
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
    from_column = age_column_bands.notna() & age.isna() & band.isna()
    if from_column.any():  # an age column with a band in some rows ('<25', '65+')
        picked = age_column_bands[from_column]
        low = low.where(~from_column, picked.map(lambda b: float(b.low)))
        high = high.where(~from_column, picked.map(
            lambda b: np.nan if math.isinf(b.high) else float(b.high)))
        band = band.where(~from_column, picked.map(lambda b: b.label))
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
            _warn_unknown(warnings, raw, column, DIMENSION_LABELS[dimension].lower(), unknown,
                          dimension)
        out[dimension] = codes.astype("str").where(codes.notna())
        if dimension == "gender":
            estimated = first.get("gender") in questions and is_estimated(
                questions[first["gender"]], raw.format)
            out["gender_estimated"] = (codes.notna() & bool(estimated)).astype(bool)

    postcode = (_decoded(raw, first["postcode"]).map(to_pc4) if "postcode" in first
                else pd.Series(np.nan, index=index))
    out["postcode4"] = postcode.astype("str").where(postcode.notna())
    out["area_code"] = _redacted(raw, first.get("area"))
    out["recruitment"] = _redacted(raw, first.get("recruitment"))
    weight = (pd.to_numeric(_decoded(raw, first["weight"]).astype("str").str.replace(
        ",", ".", regex=False), errors="coerce") if "weight" in first
        else pd.Series(np.nan, index=index))
    out["weight"] = weight.where(weight > 0).astype(float)

    frame = pd.DataFrame(out, index=index)
    extra = _answer_columns(raw, roles, questions, mapping, keys or {}, options or {})
    frame = _expand_tally(raw, pd.concat([frame, extra], axis=1)).reset_index(drop=True)
    frame.attrs.update(warnings=warnings, fingerprint=mapping.fingerprint or _fingerprint(raw),
                       content_hash=raw.content_hash, file_name=raw.file_name)
    if warnings:  # the messages quote answers, so only their number goes to the log
        logger.info("waarschuwingen bij het omzetten van %s: %d", raw.file_name, len(warnings))
    return frame


def _redacted(raw: RawExport, column: str | None) -> pd.Series:
    """One text column with personal data redacted (e-mail, phone, address, names)."""
    values = (_decoded(raw, column) if column is not None
              else pd.Series(np.nan, index=raw.frame.index, dtype="object"))
    clean = {v: redact_text(str(v).strip()) for v in pd.unique(values.dropna())}
    text = values.map(clean)
    return text.astype("str").where(text.notna())


def _fingerprint(raw: RawExport) -> str:
    from surveys.mapping import header_fingerprint
    return header_fingerprint(raw)


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
                  unknown: Counter[str] | pd.Series, dimension: str | None = None) -> None:
    """Dutch notes on the answers of a column that fit no group. 'Anders' (and 'Overig',
    'Anders, namelijk …') is a real answer, not a misreading: it is named as an answer
    outside the CBS groups, which the buurt's figures cannot be compared with. Other answers
    are not recognised; the note says what the user can do about them (there is no recoding
    screen: change the answer in the file and import it again)."""
    counts = Counter(map(str, unknown)) if isinstance(unknown, pd.Series) else unknown
    other = Counter({v: n for v, n in counts.items() if _is_other(v)})
    counts = Counter({v: n for v, n in counts.items() if v not in other})
    groups = _groups(dimension)
    where = f"Bestand '{raw.file_name}', kolom '{column}'"
    if other:
        total = sum(other.values())
        shown = ", ".join(f"'{v}'" for v, _ in other.most_common(3))
        counted = f" Het CBS telt alleen {groups}." if groups else ""
        warnings.append(
            f"{where}: {_answers(total)} {shown} bij {what}. "
            f"{'Dat staat' if total == 1 else 'Die staan'} bij 'onbekend' en vergelijken we niet "
            f"met de buurt.{counted}")
    if not counts:
        return
    shown = ", ".join(f"'{v}' ({n}×)" for v, n in counts.most_common(5))
    more = f" en {len(counts) - 5} andere" if len(counts) > 5 else ""
    fix = (f"Hoort zo'n antwoord wel bij een groep, verander het dan in het bestand in de naam van "
           f"die groep (bijv. '{label(DIMENSIONS[dimension or ''][0])}')" if groups else
           "Is zo'n antwoord wel een leeftijd, schrijf het dan in het bestand als getal of klasse "
           "(bijv. '34' of '25-45')")
    warnings.append(
        f"{where}: {_answers(sum(counts.values()))} voor {what} herkennen we niet ({shown}{more}). "
        f"Die tellen als onbekend. {fix}, haal de eerdere import van dit bestand weg en importeer "
        "het opnieuw.")


def _is_other(answer: str) -> bool:
    """'Anders', 'Overig', 'Anders, namelijk: …', 'Iets anders' (not 'Anders dan …')."""
    match = _OTHER.match(answer.strip())
    if match is None:
        return False
    return match.end() == len(answer.strip()) or bool(re.search(
        r"namelijk|\bnl\b|te weten|specify|:", answer[:match.end() + 1], re.I))


def _answers(count: int) -> str:
    return "1 antwoord" if count == 1 else f"{count} antwoorden"


def _groups(dimension: str | None) -> str:
    """The Dutch names of a dimension's CBS groups: 'koopwoning, huur bij corporatie en …'."""
    names = [label(c) for c in DIMENSIONS.get(dimension or "", ())]
    names = [n[:1].lower() + n[1:] for n in names]
    return ", ".join(names[:-1]) + f" en {names[-1]}" if len(names) > 1 else "".join(names)


_OTHER = re.compile(r"^(anders|andere|overig|overige|other|iets anders|something else)\b"
                    r"[\s,.:;()\-]*(?:namelijk|nl|te weten|please specify|specify)?[\s,.:;()\-]*",
                    re.I)


def answer_text(column: str, question: Question | None) -> str:
    """The text that identifies a column's question across tools: the statement of a
    matrix row when the reader found it, else the question text, else the header."""
    if question is None:
        return column
    return getattr(question, "statement", "") or question.text or column


def multi_group(column: str, question: Question) -> str:
    """The question text a multi-select column belongs to, the same whatever the tool:
    the question of a one-column-per-option export (Qualtrics 'Q8_1' → its question text,
    Kobo XML 'onderwerpen/groen' → 'onderwerpen'), else the question itself."""
    stem = split_stem(column)
    if len(question.options) == 1 and stem is not None:
        text = question.text if question.text and question.text != column else ""
        if not text or normalize_label(text) == normalize_label(question.options[0]):
            text = getattr(question, "stem", "") or stem[0]
        return text
    return getattr(question, "statement", "") or question.text or column


def multi_groups(roles: dict[str, str], questions: dict[str, Question]) -> dict[str, list[str]]:
    """{question text: [its columns]} of the multi-select columns, in file order."""
    out: dict[str, list[str]] = {}
    for column, role in roles.items():
        if role == "multi" and column in questions:
            out.setdefault(multi_group(column, questions[column]), []).append(column)
    return out


def answer_keys(raw: RawExport, roles: dict[str, str], questions: dict[str, Question],
                keys: dict[str, str] | None = None) -> dict[str, str]:
    """{column: key} of the item, text and multi-select columns: the given keys, the
    others matched within the file (surveys.matching), so two questions never share a
    key; all columns of one multi-select share its key."""
    from surveys.matching import match_to_known

    keys = dict(keys or {})
    wanted = [(c, answer_text(c, questions.get(c))) for c, r in roles.items()
              if r in ("item", "text") and c in raw.frame.columns]
    found = match_to_known(wanted, {}, overrides={c: k for c, k in keys.items()
                                                  if c in dict(wanted)})
    out = {m.column: m.key for m in found}
    groups = multi_groups(roles, questions)
    given = {g: next((keys[c] for c in cols if c in keys), "") for g, cols in groups.items()}
    found = match_to_known([(g, g) for g in groups], {},
                           overrides={g: k for g, k in given.items() if k})
    for match in found:
        out.update({c: match.key for c in groups[match.column]})
    return out


def _answer_columns(raw: RawExport, roles: dict[str, str], questions: dict[str, Question],
                    mapping: Mapping, keys: dict[str, str],
                    options: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """`item:*` numbers, `multi:*:*` booleans and `text:*` redacted text."""
    columns: dict[str, pd.Series] = {}
    used: set[str] = set()
    keys = answer_keys(raw, roles, questions, keys)

    def unique(name: str) -> str:
        candidate, i = name, 2
        while candidate in used:
            candidate, i = f"{name}_{i}", i + 1
        used.add(candidate)
        return candidate

    groups: dict[str, list[tuple[str, str]]] = {}
    questions = {**questions, **_shared_scales(roles, questions)}
    for column, role in roles.items():
        question = questions.get(column)
        values = _decoded(raw, column)
        recode = mapping.recodes.get(column, {})
        key = keys.get(column) or question_key(answer_text(column, question))
        if role == "item":
            columns[unique(f"item:{key}")] = _item(values, question, recode)
        elif role == "text":
            redacted = {v: redact_text(str(v)) for v in pd.unique(values.dropna())}
            text = values.map(redacted)
            columns[unique(f"text:{key}")] = text.astype("str").where(text.notna())
        elif role == "multi" and question is not None:
            if len(question.options) == 1 and split_stem(column) is not None:
                # one column per option, grouped on the question's key (multi_group)
                groups.setdefault(key, []).append((column, question.options[0]))
                continue
            columns.update(_delimited_multi(raw, column, question, values, unique, key,
                                            (options or {}).get(key, {})))
    for key, members in groups.items():
        picks = {c: _decoded(raw, c).map(_ticked) for c, _ in members}
        answered = pd.concat(list(picks.values()), axis=1).any(axis=1)
        aligned = (options or {}).get(key, {})
        for column, option in members:
            name = aligned.get(option) or aligned.get(column) or _option_key(option)
            columns[unique(f"multi:{key}:{name}")] = _bools(picks[column], answered)
    return pd.DataFrame(columns, index=raw.frame.index)


def _option_key(option: str) -> str:
    return "anders" if _OTHER.match(str(option).strip()) else column_key(option)


def cell_options(raw: RawExport, column: str, question: Question,
                 known: tuple[str, ...] = ()) -> tuple[dict[Any, set[str]], list[str], set[str]]:
    """A multi-select held in one cell: ({cell: its options}, every option in order, the
    options that look like a typed "anders" answer in this file alone). `known` labels
    (of other files or weeks) help to split cells with commas inside labels."""
    values = _decoded(raw, column)
    split_on = tuple(dict.fromkeys(tuple(question.options) + tuple(known)))
    cells = {v: _tokens(v, split_on, raw.format) for v in pd.unique(values.dropna())}
    chosen_by: Counter[str] = Counter()
    counts = values.value_counts()
    for cell, tokens in cells.items():
        chosen_by.update({t: int(counts.get(cell, 0)) for t in tokens})
    n_answered = int(values.notna().sum())
    options = list(dict.fromkeys(list(question.options) + list(chosen_by)))
    other = {o for o in options if _is_free_other(o, chosen_by[o], n_answered, len(options))}
    return cells, options, other


def _delimited_multi(raw: RawExport, column: str, question: Question, values: pd.Series,
                     unique: Any, key: str, aligned: dict[str, str] | None = None
                     ) -> dict[str, pd.Series]:
    """One multi-select held in one cell: a boolean per real option, and the free "anders"
    answers as `multi:<key>:anders` plus redacted `text:<key>_anders`, never as a column
    of their own (a typed answer may hold a name). An option in `aligned` ({option text:
    option key}, matched across files) is a real option however rarely it was ticked."""
    aligned = dict(aligned or {})
    cells, options, other = cell_options(raw, column, question, tuple(aligned))
    other -= set(aligned)
    answered = values.notna()
    out: dict[str, pd.Series] = {}
    for option in options:
        if option in other:
            continue
        has = {cell: option in tokens for cell, tokens in cells.items()}
        out[unique(f"multi:{key}:{aligned.get(option) or _option_key(option)}")] = _bools(
            values.map(has).fillna(False), answered)
    if other:
        free = {cell: "; ".join(redact_text(_OTHER.sub("", t).strip() or t)
                                for t in tokens if t in other and _OTHER.sub("", t).strip())
                for cell, tokens in cells.items()}
        ticked = {cell: any(t in other for t in tokens) for cell, tokens in cells.items()}
        name = f"multi:{key}:anders"
        if name in out:  # a plain "Anders" option next to typed answers: one column
            out[name] = (out[name].fillna(False) | values.map(ticked).fillna(False).astype(bool)
                         ).astype("boolean").where(answered, pd.NA)
        else:
            out[unique(name)] = _bools(values.map(ticked).fillna(False), answered)
        text = values.map(lambda v: free.get(v) or np.nan if pd.notna(v) else np.nan)
        if text.notna().any():
            out[unique(f"text:{key}_anders")] = text.astype("str").where(text.notna())
    return out


def _is_free_other(option: str, chosen: int, answered: int, n_options: int) -> bool:
    """A typed "anders" answer rather than an option: it starts with "anders …:" followed
    by text, or it is a sentence-like answer only one respondent gave."""
    text = str(option).strip()
    marker = _OTHER.match(text)
    if marker:
        return bool(text[marker.end():].strip())
    if chosen > 1:
        return False
    words = text.split()
    return len(words) >= 4 or len(text) > 40 or (answered >= 8 and n_options >= 4 and (
        any(w[:1].islower() for w in words[1:]) or bool(re.search(r"[.!?,]", text))))


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


def _shared_scales(roles: dict[str, str], questions: dict[str, Question]) -> dict[str, Question]:
    """One scale for all statements of one matrix question: a statement whose answers
    only used five of a 7-point scale's labels is coded on the 7-point scale its sister
    statements show (else 'Agree' would be 4 here and 6 there)."""
    from dataclasses import replace

    by_stem: dict[str, list[Question]] = {}
    for column, role in roles.items():
        question = questions.get(column)
        if role == "item" and question is not None and question.kind == "likert" and question.scale:
            stem = getattr(question, "stem", "") or ""
            if stem:
                by_stem.setdefault(normalize_label(stem), []).append(question)
    out: dict[str, Question] = {}
    for members in by_stem.values():
        widest = max(members, key=lambda q: len(q.scale))
        labels = {normalize_label(x) for x in widest.scale}
        for question in members:
            if len(question.scale) < len(widest.scale) and {
                    normalize_label(x) for x in question.scale} <= labels:
                out[question.column] = replace(question, scale=widest.scale,
                                               options=widest.scale)
    return out


def _item(values: pd.Series, question: Question | None, recode: dict[str, Any]) -> pd.Series:
    """Item answers as numbers: Likert step, option rank, or the number itself."""
    if recode:
        coded = values.map(lambda v: recode.get(str(v).strip(), np.nan) if pd.notna(v) else np.nan)
        return pd.to_numeric(coded, errors="coerce").astype(float)
    if question is not None and question.kind == "likert":
        # code each distinct answer once, then spread the codes over the rows
        positions, distinct = pd.factorize(values)
        coded = np.array(code_answers(list(distinct), question.scale) + [np.nan], dtype=float)
        return pd.Series(coded[positions], index=values.index, dtype=float)
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

    The rule is surveys.identity's, the same the project store applies: the same form
    (header fingerprint in `attrs`) and the same source id is the same person; a
    generated row number never is, except for the same row of the same file content.
    Returns the table and how many rows were dropped as already present.
    """
    frames = [f for f in frames if f is not None and len(f.columns)]
    if not frames:
        return pd.DataFrame(columns=list(BASE_COLUMNS)), 0
    flags = identity.duplicated_people(frames)
    kept = [f.loc[~flag.to_numpy()] for f, flag in zip(frames, flags)]
    result = pd.concat(kept, ignore_index=True, sort=False)
    result = _restore_dtypes(result, frames)
    result.attrs["warnings"] = [w for f in frames for w in f.attrs.get("warnings", [])]
    return result, int(sum(int(flag.sum()) for flag in flags))


def _restore_dtypes(result: pd.DataFrame, frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Columns some files lack come back as object after concat: booleans stay boolean,
    flags a file lacks get their default (counts, not generated, no exclusion)."""
    for column in result.columns:
        dtypes = {str(f[column].dtype) for f in frames if column in f.columns}
        if column.startswith("multi:") and result[column].dtype == object:
            result[column] = result[column].astype("boolean")
        elif dtypes == {"bool"} and result[column].isna().any():
            result[column] = result[column].astype("boolean")
    return result
