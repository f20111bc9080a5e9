"""Infer what every column of an export holds: kind, options, Likert scale, suggested role.

The user only confirms; they are never asked for header depth or question types. The
order of the checks matters: personal data first (so it is always dropped), then the
tools' own id/timestamp/metadata columns, split multi-select columns, Likert scales,
delimited multi-select cells, demographics, and finally numbers, dates and text.
"""
from __future__ import annotations

import json
from dataclasses import replace
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from surveys import demographics as demo
from surveys.age_bands import read_ages
from surveys import roles as vocab
from surveys.likert import (MARK_SCALE, is_missing_answer, match_scale, match_scales, normalize_label,
                            scale_labels_for)
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
        if raw.format == "spss" and not _one_question(raw, [c for c, _ in members]):
            continue  # geb_01, geb_02 … are separate yes/no questions, not one multi-select
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


def _delimited_options(raw: RawExport, counts: pd.Series) -> tuple[str, ...]:
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
        best = max(shares, key=shares.get)
        if shares[best] >= 0.5 and shares[best] > shares[role] + 0.2:
            role = best
    return ("numeric" if numbers is not None else "single"), role


def infer_question(raw: RawExport, column: str, split: dict[str, tuple[str, str]],
                   stems: set[str]) -> Question:
    """One column → Question (kind, suggested role, options, scale, pii).

    Only an ordered scale (kind likert, or numbers the question calls a scale) becomes a
    profile statement (role item); other single choices are kept out (ignore) until the
    officer chooses them. Filters (status, residence) and bookkeeping (recruitment,
    weight) get their own roles.
    """
    header = raw.labels.get(column) or column  # as the tool wrote it, for header rules
    text, stem, statement = _texts(raw, column)
    values = _answers(raw, column)
    counts = values.astype(str).str.strip().value_counts(sort=False)
    distinct = pd.Series(counts.index, dtype="str")
    key = normalize_label(column)
    heads = _headers()

    def make(kind: str, role: str, **kw: Any) -> Question:
        return Question(column, kw.pop("text", text), kind, role,
                        statement=kw.pop("statement", statement), stem=kw.pop("stem", stem), **kw)

    reason = column_pii_reason(column, distinct.head(500)) or (
        column_pii_reason(header) if header != column else "")
    if not reason and (vocab.is_staff_column(column) or vocab.is_staff_column(header)):
        reason = "naam medewerker"
    if not reason and (vocab.is_name_column(column) or vocab.is_name_column(header)):
        reason = "naam"
    if not reason and values.empty:  # an empty contact question is still a contact question
        reason = vocab.contact_reason(header)
    if reason:
        return make("pii", "ignore", pii=True,
                    pii_reason=f"Persoonsgegevens ({reason}): deze kolom wordt niet ingelezen.")
    status = vocab.status_header(column) or vocab.status_header(header)
    if status == "test" or (status == "tool" and all(map(vocab.known_status, distinct))):
        return make("metadata" if status == "tool" else "single", "status",
                    options=tuple(_ordered_options(distinct)))
    if values.empty:
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
        weights = _numbers(values)
        if weights is not None and bool((weights >= 0).all() and (weights > 0).any()):
            return make("numeric", "weight")
    words = vocab.words(header)
    if vocab.RESIDENCE_HEADER.search(words) and vocab.looks_like_residence(distinct):
        return make("single", "residence", options=tuple(_ordered_options(distinct)))
    if vocab.RECRUITMENT_HEADER.search(words) or vocab.RECRUITMENT_HEADER.search(
            vocab.words(column)):
        options = _delimited_options(raw, counts)
        if options:  # ticked several: kept as its own multi-select, never the channel
            return make("multi", "ignore" if column in stems else "multi", options=options)
        return make("single", "recruitment", options=tuple(_ordered_options(distinct)))
    scale = match_scale(distinct.head(5000), header=header)
    if scale is not None:
        labels = scale_labels_for(scale, distinct.head(200))
        # a report mark (1-10) is a grade of a service, not an attitude statement: the
        # officer may add it to the profiles, it is not suggested
        mark = all(re.fullmatch(r"\d+", str(label)) for label in scale.labels)
        return make("likert", "ignore" if mark else "item", options=labels, scale=labels)
    header_role = _role_from_header(header) or _role_from_header(column)
    if header_role == "channel" and not vocab.looks_like_channels(distinct):
        header_role = None  # "Kanaal: flyer, buurman" is not a channel of taking part
    options = _delimited_options(raw, counts)
    if options and header_role in (None, "channel") and not _OPEN_HEADER.search(
            normalize_label(header)):
        # long option labels ("Groen, spelen en sport") are no free text
        return make("multi", "ignore" if column in stems else "multi", options=options)
    if header_role is None and _is_free_text(distinct, header):
        return make("text", "text")
    if _PLACE_HEADER.match(normalize_label(header)):
        return make("single", "ignore")
    options = _delimited_options(raw, counts)
    if options and header_role in (None, "channel"):
        return make("multi", "ignore" if column in stems else "multi", options=options)
    if header_role is not None:
        kind, role = _demographic(header_role, values, header)
        opts = tuple(_ordered_options(distinct)) if kind == "single" else ()
        if role == "postcode":  # never show PC6 (with the house it is an address)
            opts = tuple(sorted({str(p) for p in map(to_pc4, distinct) if isinstance(p, str)}))
        return make(kind, role, options=opts)
    numbers = _numbers(values)
    if numbers is not None and TALLY_HEADER.match(normalize_label(header)):
        return make("numeric", "ignore")  # people per row of a tally log
    if numbers is not None:
        if not _few(numbers):
            return make("numeric", "ignore")
        ordered = bool(_SCALE_HINT.search(header.casefold()))
        return make("numeric", "item" if ordered else "ignore",
                    options=tuple(_ordered_options(distinct)))
    if _looks_like_dates(values if pd.api.types.is_datetime64_any_dtype(values) else distinct):
        return make("date", "ignore")
    if distinct.str.match(_PC6).mean() >= 0.9:
        return make("single", "postcode", options=tuple(
            sorted({p for p in map(to_pc4, distinct) if isinstance(p, str)})))
    if 2 <= len(counts) <= 20 and vocab.looks_like_channels(distinct, least=2):
        return make("single", "channel", options=tuple(_ordered_options(distinct)))
    role = _role_from_values(counts.to_dict()) if len(counts) <= 30 else None
    if role or (len(counts) <= 20 and len(counts) <= max(2, 0.5 * len(values))):
        # an unordered choice is no profile statement unless the officer makes it one
        return make("single", role or "ignore", options=tuple(_ordered_options(distinct)))
    return make("text", "text")


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
    return bool((numbers % 1 == 0).all() and numbers.between(0, 10).all()
                and numbers.nunique() >= 2)


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
    questions = _one_of(questions, "weight", ())
    questions = _unify_scales(raw, questions)
    return Questionnaire(format=raw.format, questions=tuple(questions))


def _unify_scales(raw: RawExport, questions: list[Question]) -> list[Question]:
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
    answers = {c: list(pd.unique(_answers(raw, c).astype(str).str.strip()))[:5000] for c in likert}
    found = match_scales(answers, headers={c: q.text for c, q in likert.items()})
    scales = list({id(v): v for v in found.values() if v is not None}.values())
    out = []
    for question in questions:
        scale = found.get(question.column)
        if question.column in likert and scale is not None:
            labels = scale_labels_for(scale, answers[question.column][:200])
            question = replace(question, options=labels, scale=labels)
        elif question.kind == "single" and question.role == "ignore" and not question.pii:
            question = _statement_on_file_scale(raw, question, scales, answers)
        out.append(question)
    return out


def _statement_on_file_scale(raw: RawExport, question: Question, scales: list,
                             answers: dict[str, list[str]]) -> Question:
    """A single-choice column whose answers are all steps of exactly one of the file's
    scales (few answers, e.g. 'Neutraal' and 'Weet niet') is a statement on that scale."""
    distinct = list(pd.unique(_answers(raw, question.column).astype(str).str.strip()))[:50]
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
