"""Likert scales: recognise an answer scale from its labels and code answers as numbers.

Dutch and English 5- and 7-point scales (agreement, frequency, satisfaction, importance,
quality) and the Dutch "rapportcijfer" 1-10. Non-substantive answers such as "weet niet",
"geen mening" and "n.v.t." are missing, never the neutral middle: counting them as neutral
would pull every profile towards the centre.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


def _load() -> dict[str, Any]:
    """The scale templates and non-answers live in data/scales.json, so wordings can be
    added without touching code."""
    return json.loads(resources.files("surveys").joinpath("data/scales.json").read_text("utf-8"))


def normalize_label(value: Any) -> str:
    """Casefold, drop accents and punctuation, collapse whitespace: 'Mee eens!' → 'mee eens'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _normalize(str(value))


@lru_cache(maxsize=100_000)
def _normalize(value: str) -> str:
    """Answers repeat a lot, so the normalised form is cached."""
    if value.isascii():
        text = value.lower()
    else:
        text = unicodedata.normalize("NFKD", value)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("'", "").replace("’", "")
    text = re.sub(r"[^\w+]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# "1 - Helemaal oneens", "5 = helemaal eens", "(1) Oneens", "1. Oneens", "Eens (4)", "eens - 4"
_LEAD_NUMBER = re.compile(r"^\s*[(\[]?\d{1,2}[)\]]?(?:\s*[.=:)\-–—]+\s*|\s+)(?=\D)")
_TRAIL_NUMBER = re.compile(r"(?<=\D)(?:\s*[(\[]\d{1,2}[)\]]|\s+[\-–=:]\s*\d{1,2})\s*$")


def answer_key(value: Any) -> str:
    """The normalised answer without an option number and with Kobo underscores as spaces:
    '1 - Helemaal oneens' and 'helemaal_oneens' both → 'helemaal oneens'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _answer_key(str(value))


@lru_cache(maxsize=100_000)
def _answer_key(text: str) -> str:
    text = text.replace("_", " ")
    stripped = _TRAIL_NUMBER.sub("", _LEAD_NUMBER.sub("", text, count=1))
    key = _normalize(stripped)
    return key if key else _normalize(text)


MISSING_ANSWERS = frozenset(_load()["missing"]) | {""}
# words that join non-answers: 'weet niet of geen mening', "don't know and n/a"
_CONNECTORS = frozenset({"of", "or", "en", "and", "ik", "ook"})
_MISSING_RE = re.compile(r"^(?:(?:" + "|".join(sorted(map(re.escape, MISSING_ANSWERS - {""}),
                                                       key=len, reverse=True))
                         + "|" + "|".join(sorted(_CONNECTORS)) + r")(?: |$))+$")


def is_missing_answer(value: Any) -> bool:
    """True for empty cells and non-answers ('weet niet', 'n.v.t.', 'Weet niet / geen
    mening', '9 = weet niet'), alone or combined: they are missing, never a scale point."""
    return _is_missing_key(answer_key(value))


@lru_cache(maxsize=10_000)
def _is_missing_key(key: str) -> bool:
    if key in MISSING_ANSWERS:
        return True
    return bool(_MISSING_RE.match(key)) and any(w not in _CONNECTORS for w in key.split())


@dataclass(frozen=True)
class Scale:
    """An ordered answer scale: `levels[i]` holds the normalised synonyms of step i+1."""

    name: str
    labels: tuple[str, ...]           # the display label of each step, lowest first
    levels: tuple[frozenset[str], ...]
    family: str = ""                  # templates of one kind share it ("eens": 5- and 7-point)

    @property
    def points(self) -> int:
        return len(self.levels)

    def step(self, value: Any) -> int | None:
        """Step 1..points of an answer, None for a non-answer or an unknown wording."""
        key = answer_key(value)
        if _is_missing_key(key):
            return None
        found = self._step_of(key)
        if found is None and (plain := _without_missing(key)) != key:
            found = self._step_of(plain)   # 'Neutraal / geen mening' is the middle
        return found

    def _step_of(self, key: str) -> int | None:
        for step, synonyms in enumerate(self.levels, start=1):
            if key in synonyms:
                return step
        return None

    def code(self, value: Any) -> float:
        """Step number 1..points, or NaN for missing and unknown answers."""
        step = self.step(value)
        return math.nan if step is None else float(step)

    def knows(self, value: Any) -> bool:
        return is_missing_answer(value) or self.step(value) is not None


@lru_cache(maxsize=10_000)
def _without_missing(key: str) -> str:
    """The key with its non-answer words taken out: 'neutraal geen mening' → 'neutraal'."""
    words = f" {key} "
    for phrase in sorted(MISSING_ANSWERS - {""}, key=len, reverse=True):
        words = words.replace(f" {phrase} ", " ")
    return " ".join(w for w in words.split() if w not in _CONNECTORS)


def _scale(name: str, *steps: str, family: str = "") -> Scale:
    """Each step is 'Display label|synonym|synonym'."""
    labels = tuple(step.split("|")[0] for step in steps)
    levels = tuple(frozenset(normalize_label(s) for s in step.split("|")) for step in steps)
    return Scale(name, labels, levels, family or name)


SCALES: tuple[Scale, ...] = tuple(_scale(s["name"], *s["steps"], family=s.get("family", ""))
                                  for s in _load()["scales"])

_ALL_LABELS = frozenset(k for s in SCALES for level in s.levels for k in level)
# no option of a scale, even with a non-answer glued to it, is longer than this
_LONGEST_LABEL = max(map(len, _ALL_LABELS)) + 40


def _could_be_option(value: Any) -> bool:
    """A quick necessary test: some scale, mark or non-answer could hold this answer."""
    key = answer_key(value)
    if key in _ALL_LABELS or _is_missing_key(key) or _mark(value) is not None:
        return True
    return len(key) <= _LONGEST_LABEL and _without_missing(key) in _ALL_LABELS

MARK_SCALE = Scale("cijfer10", tuple(str(i) for i in range(1, 11)),
                   tuple(frozenset({str(i)}) for i in range(1, 11)))

_MARK_HINT = re.compile(r"\b(rapport)?cijfer|\bscore\b|\bschaal van (1|een)\b|\b1 tot (en met )?10\b"
                        r"|\b1 t m 10\b|\b1 10\b|\bgeef\b.*\bcijfer|\brate\b|\brating\b|\bgrade\b"
                        r"|\bout of 10\b|\bop 10\b")
_MARK_VALUE = re.compile(r"^\s*(\d{1,2}(?:[.,]\d+)?)\s*(?:$|[(\[\-–=:]\s*\D.*$|\s+\D.*$)")


def match_scale(values: Iterable[Any], *, header: str = "") -> Scale | None:
    """The smallest known scale that explains every answer, or None.

    Non-answers in any wording and position are left out first. The whole scale comes from
    the matched template, so a column that only shows 'Oneens', 'Eens' and 'Helemaal eens'
    still codes 'Eens' as 4, like every other 5-point agreement column. Needs two distinct
    substantive answers (or one of several words), so a lone 'Ja' is not a scale. A mark
    1-10 needs a header that asks for a mark ('rapportcijfer', 'geef een cijfer').
    """
    distinct = list(dict.fromkeys(values))
    if not all(_could_be_option(v) for v in distinct[:50]):
        return None  # sentences, not options: stop before reading thousands of answers
    values = [v for v in distinct if not is_missing_answer(v)]
    if not values:
        return None
    keys = {answer_key(v) for v in values}
    if len(keys) >= 2 or any(len(k.split()) >= 2 for k in keys):
        fitting = [s for s in SCALES if all(s.step(k) is not None for k in keys)]
        if fitting:
            return min(fitting, key=lambda s: s.points)
    numbered = _numbered_scale(values)
    if numbered is not None:
        return numbered
    marks = _marks(values)
    if marks is not None and len(marks) >= 2 and _MARK_HINT.search(normalize_label(header)) \
            and marks <= set(range(1, 11)) | {m + 0.5 for m in range(1, 10)}:
        return MARK_SCALE
    return None


def match_scales(columns: Mapping[str, Iterable[Any]], *,
                 headers: Mapping[str, str] | None = None) -> dict[str, Scale | None]:
    """The scale of every column of ONE file, the columns of one kind deciding together.

    A small sample of a 7-point agreement question may show no 'Somewhat agree' and look
    like a 5-point scale; another statement of the same matrix shows it. One tool uses one
    scale per kind, so the columns of one family (agreement, frequency, …) are matched on
    all their answers together. Do not call this across tools: two 5-point wordings
    ('Mee eens', 'Enigszins eens') together would look like a 7-point scale.
    """
    headers = headers or {}
    answers = {c: list(dict.fromkeys(v)) for c, v in columns.items()}
    found = {c: match_scale(v, header=headers.get(c, "")) for c, v in answers.items()}
    families: dict[str, list[str]] = {}
    for column, scale in found.items():
        if scale is not None and scale is not MARK_SCALE and scale.family:
            families.setdefault(scale.family, []).append(column)
    for family, members in families.items():
        if len(members) < 2:
            continue
        union = match_scale([a for c in members for a in answers[c]])
        if union is not None and union.family == family:
            found.update({c: union for c in members})
    return found


def _bare_number(value: Any) -> int | None:
    """An answer that is only a whole number ('4', 4, '4.0'): a typed option code."""
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _option_number(value: Any) -> int | None:
    """The option number printed with a label: '1 - Helemaal oneens' → 1, 'Eens (4)' → 4."""
    text = str(value)
    match = re.match(r"^\s*[(\[]?(\d{1,2})[)\]]?(?:\s*[.=:)\-–—]+\s*|\s+)(?=\D)", text) \
        or re.search(r"(?<=\D)(?:\s*[(\[](\d{1,2})[)\]]|\s+[\-–=:]\s*(\d{1,2}))\s*$", text)
    if not match:
        return None
    return int(next(g for g in match.groups() if g is not None))


def numbering(values: Iterable[Any], scale: Scale) -> str | None:
    """'direct' when labelled answers carry their step number ('1 - Helemaal oneens'),
    'reversed' when they count from the top ('1 = Helemaal eens'), else None. Then a bare
    '2' typed from a paper form is step 2 (or points - 1)."""
    direct = reverse = False
    for value in values:
        number, step = _option_number(value), scale.step(value)
        if number is None or step is None:
            continue
        if number == step and number != scale.points + 1 - step:
            direct = True
        elif number == scale.points + 1 - step and number != step:
            reverse = True
        elif number != step:
            return None
    if direct and reverse:
        return None
    return "direct" if direct else "reversed" if reverse else None


def _numbered_scale(values: list[Any]) -> Scale | None:
    """A scale shown as numbers with some labelled steps: '1 (helemaal oneens)', '2', '3',
    '4', '5 (helemaal eens)'. The labelled answers decide the template and the direction."""
    labelled = [v for v in values if _bare_number(v) is None]
    bare = [n for n in map(_bare_number, values) if n is not None]
    if not labelled or not bare:
        return None
    keys = {answer_key(v) for v in labelled}
    fitting = sorted((s for s in SCALES if all(s.step(k) is not None for k in keys)),
                     key=lambda s: s.points)
    for scale in fitting:
        if numbering(labelled, scale) and all(1 <= n <= scale.points for n in bare):
            return scale
    return None


def _marks(values: list[Any]) -> set[float] | None:
    """The answers as marks ('7', '7,5', '10 - uitstekend'), or None when any is not one."""
    marks = set()
    for value in values:
        number = _mark(value)
        if number is None:
            return None
        marks.add(number)
    return marks


def _mark(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    match = _MARK_VALUE.match(str(value))
    if not match:
        return None
    return float(match.group(1).replace(",", "."))


def scale_from_labels(labels: Iterable[str]) -> Scale | None:
    """Find the scale again from a Question.scale tuple (its labels, lowest first)."""
    labels = tuple(labels)
    if labels == MARK_SCALE.labels:
        return MARK_SCALE
    for scale in SCALES:
        if len(scale.levels) == len(labels) and all(
                scale.step(lab) == i for i, lab in enumerate(labels, start=1)):
            return scale
    return match_scale(labels)


def code_answers(values: Iterable[Any], scale_labels: Iterable[str]) -> list[float]:
    """Code raw answers to 1..k against a Question.scale (NaN for missing/unknown)."""
    values = list(values)
    scale_labels = tuple(scale_labels)
    scale = scale_from_labels(scale_labels)
    if scale is None:
        return [math.nan for _ in values]
    if scale is MARK_SCALE:
        out = []
        for v in values:
            number = math.nan if is_missing_answer(v) else _mark(v)
            out.append(number if number is not None and 1 <= number <= 10 else math.nan)
        return out
    direction = numbering(scale_labels, scale)
    if direction is None:
        return [scale.code(v) for v in values]
    out = []
    for value in values:
        code = scale.code(value)
        number = None if not math.isnan(code) or is_missing_answer(value) else _bare_number(value)
        if number is not None and 1 <= number <= scale.points:
            code = float(number if direction == "direct" else scale.points + 1 - number)
        out.append(code)
    return out


def unknown_answers(values: Iterable[Any], scale_labels: Iterable[str]) -> Counter[str]:
    """Answers that are neither a step of the scale nor a non-answer, with their counts,
    so the import can warn instead of silently counting them as missing."""
    values = [v for v in values if not is_missing_answer(v)]
    codes = code_answers(values, scale_labels)
    return Counter(str(v).strip() for v, c in zip(values, codes) if math.isnan(c))


def scale_labels_for(scale: Scale, observed: Iterable[Any]) -> tuple[str, ...]:
    """Scale labels lowest first, using the wording of the export where it was seen (with
    its option numbers, so bare numbers typed from a paper form can be coded later)."""
    if scale is MARK_SCALE:
        return MARK_SCALE.labels
    seen: dict[int, str] = {}
    for value in observed:
        step = scale.step(value)
        if step is not None:
            seen.setdefault(step, str(value).strip())
    return tuple(seen.get(i, label) for i, label in enumerate(scale.labels, start=1))
