"""One age-band type and one parser, used by import, reference, harmonising and reports.

Every band is half-open, [low, high): "18-29" holds everyone from their 18th birthday up
to (not including) their 30th, so it is AgeBand(18, 30); "65+" is AgeBand(65, inf). Three
modules used to read bands with three conventions, which shifted bands by a year; keeping
one parser here makes that impossible.

Conventions for the ambiguous wordings, chosen to match how Dutch forms use them:
- "18-29", "18 t/m 29", "18 to 29", "tussen 18 en 29": both ends inclusive → [18, 30).
- "18 tot 30", "18 tot 30 jaar": Dutch "tot" excludes the top → [18, 30).
- A dash whose ends touch other bands ("15-25", "25-45", the CBS keys) means "tot": the
  column decides (`parse_bands`), a lone value cannot.
- "<25", "jonger dan 25", "onder de 25", "tot 25 jaar" → [0, 25); "25 of jonger",
  "t/m 25" → [0, 26).
- "65+", "65 en ouder", "65 plus", "vanaf 65" → [65, inf). "ouder dan 65", "over 65",
  ">65" strictly mean 66 and older; in a column whose other bands stop at 65 they fill
  the gap and start at 65 (`parse_bands`).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np

from surveys.categories import AGE_BANDS, label
from surveys.errors import InputError

OPEN_TOP = 100.0   # assumed oldest age when an open band must be split ("60+" over 60..100)
MAX_AGE = 120.0
FIRST_BIRTH_YEAR = 1890


@dataclass(frozen=True, order=True)
class AgeBand:
    """Ages from `low` up to but not including `high`; `high` is inf for an open top."""

    low: float
    high: float = math.inf

    def __post_init__(self) -> None:
        low, high = float(self.low), float(self.high)
        if math.isnan(low) or math.isnan(high) or low < 0 or high <= low:
            raise InputError(f"Geen geldige leeftijdsgroep: [{self.low}, {self.high}).")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    @property
    def is_open(self) -> bool:
        return math.isinf(self.high)

    def __contains__(self, age: object) -> bool:
        try:
            value = float(age)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
        return self.low <= value < self.high

    def __iter__(self):
        """Unpack like the (low, high) tuples older code passes around."""
        return iter((self.low, self.high))

    @property
    def label(self) -> str:
        return band_label(self)

    @classmethod
    def for_age(cls, age: float) -> AgeBand:
        """The one-year band of an exact age: 45.7 → [45, 46)."""
        return cls(math.floor(age), math.floor(age) + 1)


# --- reading band text -------------------------------------------------------------

_DASHES = re.compile(r"[\u2010-\u2015\u2212~]")
_UNITS = re.compile(r"\b(jaar|jaren|jr|jrs|years?|yrs?|y/o|yo|oud|old|aged?|leeftijd)\b\.?")
_N = r"(\d{1,3})"
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), kind) for p, kind in (
    # closed ranges
    (rf"^(?:van |tussen (?:de )?|between (?:the ages of )?|from )?{_N} ?"
     rf"(?:t/m|t m|tm|tot en met|up to and including|through|thru|to|en|and|-) ?{_N}$", "incl"),
    (rf"^(?:van |from )?{_N} (?:tot|until|till|to under|up to but not including) {_N}$", "excl"),
    # open tops
    (rf"^(?:>=|=>|≥) ?{_N}$", "from"),
    (rf"^{_N} ?(?:\+|plus|\+ plus|en ouder|of ouder|en meer|of meer|and older|or older"
     r"|and over|or over|and above|or above|en hoger|or more|and more|and up|\+ en ouder)$", "from"),
    (rf"^(?:vanaf|from|v\.a\.|va|minimaal|at least) {_N}(?: en ouder)?$", "from"),
    (rf"^{_N} ?(?:-|en|\+)? ?plussers?$", "from"),
    (rf"^(?:>|ouder dan|older than|boven de|boven|over|more than|meer dan) ?{_N}$", "above"),
    # open bottoms
    (rf"^(?:<=|=<|≤) ?{_N}$", "upto"),
    (rf"^(?:t/m|t m|tm|tot en met|up to|max|maximaal|at most) {_N}$", "upto"),
    (rf"^{_N} ?(?:of jonger|en jonger|or younger|and younger|and under|or under|en minder"
     r"|of minder|or less|and below|or below|en lager)$", "upto"),
    (rf"^(?:<|jonger dan|younger than|onder de|onder|under|below|less than|minder dan|tot"
     rf"|beneden|beneden de) ?{_N}$", "below"),
))


_DECADES = {"tiener": 13, "twintiger": 20, "dertiger": 30, "veertiger": 40, "vijftiger": 50,
            "zestiger": 60, "zeventiger": 70, "tachtiger": 80, "negentiger": 90}
_DECADE = re.compile(r"^(?:een |eind |begin |midden )?(" + "|".join(_DECADES) + r")s?$")


def _band_text(value: Any) -> str:
    """Lower case, no accents, units and brackets dropped: '(18 – 29 jaar)' → '18-29'."""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()
    text = _DASHES.sub("-", text)
    text = _UNITS.sub(" ", text)
    text = re.sub(r"[()\[\]:;,!?\"']", " ", text)
    text = re.sub(r"(?<=\d)\.0\b", "", text)        # "65.0+" from a float cell
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"-(?=\D|$)", " - ", text) if re.search(r"\d-\D|\d-$", text) else text
    text = re.sub(r"\s+", " ", text).strip(" .")
    return text.replace(" - ", "-") if re.fullmatch(r"\d{1,3} - \d{1,3}", text) else text


def parse_band(value: Any, *, dash_exclusive: bool = False,
               single_year: bool = False) -> AgeBand | None:
    """The AgeBand a band text describes, or None when it is not a band.

    `dash_exclusive` reads "15-25" as [15, 25) (CBS keys; see `parse_bands`). A bare
    number is an exact age, not a band, unless `single_year` ("45" → [45, 46)), which
    reference tables with one row per age need.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, AgeBand):
        return value
    if isinstance(value, (int, float, np.integer, np.floating)):
        if not single_year or not math.isfinite(float(value)) or not 0 <= value <= MAX_AGE:
            return None
        return AgeBand.for_age(float(value))
    text = _band_text(value)
    if not text:
        return None
    decade = _DECADE.match(text)
    if decade:  # 'veertiger', 'een twintiger', 'tieners' in a street log
        low = _DECADES[decade.group(1)]
        return AgeBand(low, 20 if low == 13 else low + 10)
    if single_year and re.fullmatch(r"\d{1,3}", text):
        return AgeBand(int(text), int(text) + 1) if int(text) <= MAX_AGE else None
    for pattern, kind in _RULES:
        match = pattern.match(text)
        if match:
            return _band(kind, [int(g) for g in match.groups()], dash_exclusive and "-" in text)
    return None


def _band(kind: str, nums: list[int], dash_exclusive: bool) -> AgeBand | None:
    if any(n > MAX_AGE for n in nums):
        return None
    first = nums[0]
    if kind == "incl":
        low, top = nums
        if dash_exclusive:
            return AgeBand(low, top) if top > low else None
        return AgeBand(low, top + 1) if top >= low else None
    if kind == "excl":
        return AgeBand(nums[0], nums[1]) if nums[1] > nums[0] else None
    if kind == "from":
        return AgeBand(first)
    if kind == "above":
        return AgeBand(first + 1)
    if kind == "upto":
        return AgeBand(0, first + 1)
    return AgeBand(0, first) if first > 0 else None  # "below"


def _is_dash_range(value: Any) -> bool:
    return bool(re.fullmatch(r"\d{1,3}-\d{1,3}", _band_text(value)))


def dash_means_until(values: Iterable[Any]) -> bool:
    """True when dash bands share their ends ("15-25", "25-45"): then '-' means 'tot'."""
    texts = {str(v) for v in values if v is not None and not _is_nan(v)}
    bands = {t: parse_band(t) for t in texts}
    for text, band in bands.items():
        if band is None or not _is_dash_range(text):
            continue
        others = {b.low for t, b in bands.items() if b is not None and t != text}
        if band.high - 1 in others and band.high - 1 > band.low:
            return True
    return False


def parse_bands(values: Iterable[Any], *, single_year: bool = False) -> dict[Any, AgeBand | None]:
    """Every distinct answer of one column → its AgeBand (None when not a band).

    The column decides what a lone value cannot: a dash means 'tot' when the bands touch,
    and "ouder dan 65" after bands that stop at 65 starts at 65, not 66.
    """
    distinct = list(dict.fromkeys(v for v in values if v is not None and not _is_nan(v)))
    exclusive = dash_means_until(distinct)
    bands = {v: parse_band(v, dash_exclusive=exclusive, single_year=single_year) for v in distinct}
    tops = {b.high for b in bands.values() if b is not None and not b.is_open}
    for value, band in bands.items():
        if band is None or not band.is_open:
            continue
        text = _band_text(value)
        strict = any(p.match(text) for p, kind in _RULES if kind == "above")
        if strict and band.low - 1 in tops and band.low not in tops:
            bands[value] = AgeBand(band.low - 1)
    return bands


def band_label(band: AgeBand | tuple[float, float] | None, high: float | None = None) -> str:
    """Short label with an inclusive top year: [18, 30) → '18-29', [65, inf) → '65+'.

    `parse_band(band_label(b)) == b` for every band with whole-year ends.
    """
    if band is None:
        return ""
    if not isinstance(band, AgeBand):
        pair: Any = (band, high) if high is not None else tuple(band)
        low, top = pair
        top = math.inf if top is None or _is_nan(top) else top
        band = AgeBand(float(low), float(top))
    if band.is_open:
        return f"{_num(band.low)}+"
    return f"{_num(band.low)}-{_num(band.high - 1)}"


def band_text(band: AgeBand) -> str:
    """The Dutch text a user reads: '18 tot 30 jaar', '65 jaar en ouder', 'jonger dan 25 jaar'."""
    if band.is_open:
        return f"{_num(band.low)} jaar en ouder"
    if band.low == 0:
        return f"jonger dan {_num(band.high)} jaar"
    return f"{_num(band.low)} tot {_num(band.high)} jaar"


def age_band(category: str, dimension: str | None = None) -> AgeBand | None:
    """The half-open band of an age category (surveys.age_bands, the one parser): a CBS
    key ('15-25' = [15, 25)) or a band text of a custom reference ('18-29' = [18, 30)).
    None for a category of another dimension (`dimension` given and not 'age', or no
    dimension and not a CBS age key) or a text that is no band."""
    if dimension is not None and dimension != "age":
        return None
    if category in AGE_BANDS:
        return reference_bands([category])[category]
    if dimension is None:
        return None
    return parse_band(category)


def counted_band(dimension: str | None, category: str, min_age: int | None) -> AgeBand | None:
    """The part of an age band that counts when only people from `min_age` count, when
    the band starts below it: ('age', '15-25', 18) → [18, 25). None when nothing changes
    (no min_age, not an age band, or the band starts at or above min_age, or lies wholly
    below it: such a group has no residents that count and keeps its own name)."""
    if not min_age:
        return None
    band = age_band(category, dimension)
    if band is None or not band.low < float(min_age) < band.high:
        return None
    return AgeBand(float(min_age), band.high)


def group_label(category: str, min_age: int | None = None, dimension: str | None = None) -> str:
    """The Dutch name of a group in a table or legend: surveys.categories.label, except that
    an age band starting below the minimum age is named from that age ('15 tot 25 jaar'
    → '18 tot 25 jaar' with min_age 18): only residents from 18 are counted in it, so a
    reader must not think the 15- to 17-year-olds were asked."""
    counted = counted_band(dimension, category, min_age)
    return band_text(counted) if counted is not None else label(category)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- exact ages ----------------------------------------------------------------------

_AGE_TEXT = re.compile(r"^(?:(?:ca|circa|ongeveer|about|approx|rond de|rond|\+/-|±|~)\.?)?\s*"
                       r"(\d{1,3}(?:[.,]\d+)?)\s*(?:jaar|jaren|jr|jrs|years?|yrs?|y|j|y/o|yo)?"
                       r"\.?\s*(?:oud|old)?\.?$")
_YEAR_TEXT = re.compile(r"^(?:geboren|born|geb|geboortejaar)?\.?\s*(?:in\s+)?(\d{4})\.?0?$")
_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t].*)?$")


def parse_age(value: Any, reference_date: Any = None) -> float | None:
    """An exact age in years from '45', '45 jaar', '45 jr', '45 years', '45,0', a year of
    birth (1980 → age at `reference_date`, default today) or a date of birth; None when
    the value is not an age (bands: see `parse_band`)."""
    if value is None or isinstance(value, bool) or _is_nan(value):
        return None
    ref = _as_date(reference_date)
    if isinstance(value, (datetime, date)) or type(value).__name__ == "Timestamp":
        return _age_from_birth(_as_date(value), ref)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _age_from_number(float(value), ref)
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    if not text:
        return None
    match = _YEAR_TEXT.match(text)
    if match:
        return _age_from_number(float(match.group(1)), ref)
    match = _AGE_TEXT.match(text)
    if match:
        number = float(match.group(1).replace(",", "."))
        return number if 0 <= number <= MAX_AGE else None
    match = _DATE_DMY.match(text)
    if match:
        day, month, year = map(int, match.groups())
        return _age_from_birth(_safe_date(year, month, day), ref)
    match = _DATE_YMD.match(text)
    if match:
        year, month, day = map(int, match.groups())
        return _age_from_birth(_safe_date(year, month, day), ref)
    return None


def _age_from_number(number: float, ref: date) -> float | None:
    if not math.isfinite(number):
        return None
    if 0 <= number <= MAX_AGE:
        return number
    if number.is_integer() and FIRST_BIRTH_YEAR <= number <= ref.year:
        return float(ref.year - int(number))
    return None


def _age_from_birth(born: date | None, ref: date) -> float | None:
    if born is None:
        return None
    years = ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))
    return float(years) if 0 <= years <= MAX_AGE else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _as_date(value: Any) -> date:
    if value is None or _is_nan(value):
        return date.today()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    to_pydatetime = getattr(value, "to_pydatetime", None)
    if to_pydatetime is not None:
        return to_pydatetime().date()
    try:
        return datetime.fromisoformat(str(value)).date()
    except ValueError:
        return date.today()


def _is_nan(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT and pd.NA (which raises) are all "empty"
    except (TypeError, ValueError):
        return True


# --- a whole column ------------------------------------------------------------------

_NON_ANSWER = re.compile(
    r"^(weet (ik )?niet|onbekend|geen antwoord|zeg ik liever niet|wil ik (liever )?niet zeggen"
    r"|wil niet zeggen|liever niet|n ?v ?t|niet van toepassing|geen idee|unknown|dont know"
    r"|do not know|prefer not to (say|answer)|rather not say|no answer|n ?a|nan|none|-+)$")


def is_non_answer(value: Any) -> bool:
    """Empty or a non-answer ('weet niet', 'zeg ik liever niet'): missing, not unreadable."""
    if value is None or _is_nan(value):
        return True
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[^\w\-]+", " ", text.replace("'", "").replace("’", "")).replace("_", " ")
    return bool(_NON_ANSWER.match(text.strip()) or not text.strip())


@dataclass(frozen=True)
class AgeReading:
    """A column of age answers read once: exact ages, bands, and what could not be read."""

    ages: tuple[float | None, ...]
    bands: tuple[AgeBand | None, ...]
    unreadable: tuple[tuple[str, int], ...]   # (answer as written, how often), most frequent first

    @property
    def unreadable_count(self) -> int:
        return sum(n for _, n in self.unreadable)


def read_ages(values: Sequence[Any], reference_dates: Sequence[Any] | Any = None) -> AgeReading:
    """Read an age column: exact ages (numbers, units, birth years) and bands side by side.

    A row gets an exact age when one can be read, else a band; `bands` holds the band of
    every row (a one-year band for an exact age). `reference_dates` is one date per row
    (the response date) or one date for all, for years of birth.
    """
    values = list(values)
    if reference_dates is None or isinstance(reference_dates, (str, date, datetime)) \
            or not hasattr(reference_dates, "__len__"):
        dates = [reference_dates] * len(values)
    else:
        dates = list(reference_dates)
    band_of = parse_bands(v for v in values if not _looks_numeric(v))
    ages: list[float | None] = []
    bands: list[AgeBand | None] = []
    unreadable: Counter[str] = Counter()
    for value, when in zip(values, dates):
        age = parse_age(value, when)
        band = None if age is not None or _is_nan(value) else band_of.get(value)
        if age is not None:
            band = AgeBand.for_age(age)
        elif band is None and not is_non_answer(value):
            unreadable[str(value).strip()] += 1
        ages.append(age)
        bands.append(band)
    return AgeReading(tuple(ages), tuple(bands), tuple(unreadable.most_common()))


def unreadable_ages(values: Iterable[Any], reference_date: Any = None) -> Counter[str]:
    """Answers that are neither an age nor a band nor a non-answer, with their counts,
    so the import can say how many it could not read and show them."""
    return Counter(dict(read_ages(list(values), reference_date).unreadable))


def age_column_kind(values: Iterable[Any], *, min_share: float = 0.8) -> str | None:
    """What an age column holds: 'birth_year', 'age' (exact ages, with or without units),
    'age_band' (bands, possibly mixed with exact ages) or None when fewer than `min_share`
    of the answers are readable. One answer typed as '45 jaar' no longer hides the column.
    """
    answers = [v for v in values if not is_non_answer(v)]
    if not answers:
        return None
    counts = Counter(answers)
    bands = parse_bands(v for v in counts if not _looks_numeric(v))
    years = ages = banded = 0
    for value, n in counts.items():
        if bands.get(value) is not None and not _looks_numeric(value):
            banded += n
            continue
        age = parse_age(value)
        if age is None:
            continue
        if _is_year(value):
            years += n
        else:
            ages += n
    total = sum(counts.values())
    if years + ages + banded < min_share * total:
        return None
    if banded:
        return "age_band"
    return "birth_year" if years >= ages else "age"


def _is_year(value: Any) -> bool:
    text = str(value).strip()
    return bool(re.fullmatch(r"(?:\D*\s)?\d{4}(?:\.0)?|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
                             r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.*", text))


def _looks_numeric(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


# --- splitting a band over reference bands ---------------------------------------------

def reference_bands(categories: Iterable[str]) -> dict[str, AgeBand]:
    """The reference's age categories as bands, read like a survey column: CBS keys
    ("15-25", "25-45") touch, so their dash means 'tot'; "18-29", "30-39" chain at +1 and
    are inclusive. Categories that are no band are left out."""
    keys = list(categories)
    if all(k in AGE_BANDS for k in keys):  # the CBS keys themselves, even when some are left out
        return {k: AgeBand(AGE_BANDS[k][0], AGE_BANDS[k][1] or math.inf) for k in keys}
    parsed = parse_bands(keys, single_year=True)
    return {k: parsed[k] for k in keys if parsed.get(k) is not None}  # type: ignore[misc]


def split_bands(low: np.ndarray, high: np.ndarray, reference: Sequence[AgeBand], *,
                min_age: float = 0.0, open_top: float = OPEN_TOP,
                conditional: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Fraction of each respondent band [low, high) in each reference band.

    Ages are taken as uniform inside a band, and only the part from `min_age` up counts.
    `conditional` (respondents): a respondent is known to be eligible, so the shares are
    of the eligible part and sum to one. Not conditional (population counts): the shares
    are of the whole band, so a reference count of 15-25 year olds keeps 7/10 from 18 up.
    An open band ("60+") starting below the reference's open band is spread up to
    `open_top`; inside it it counts whole. Returns (fractions rows × reference, eligible
    mask); fractions sum to less than one when part of a band lies outside every reference
    band. NaN `low` = no age.
    """
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float).copy()
    bounds = np.array([[b.low, b.high] for b in reference], dtype=float).reshape(-1, 2)
    opens = np.isinf(bounds[:, 1])
    top_start = bounds[opens, 0].min() if opens.any() else np.inf
    high = np.where(np.isnan(high) & ~np.isnan(low), np.inf, high)
    high = np.where(np.isinf(high) & (low < top_start), np.maximum(open_top, low + 1.0), high)
    start = np.maximum(low, float(min_age))
    eligible = ~np.isnan(low) & (high - start > 0)
    fractions = np.zeros((len(low), len(bounds)))
    if eligible.any() and len(bounds):
        lo, hi = start[eligible, None], high[eligible, None]
        base = lo if conditional else low[eligible, None]
        overlap = np.clip(np.minimum(hi, bounds[None, :, 1]) - np.maximum(lo, bounds[None, :, 0]),
                          0, None)
        whole = np.isinf(hi) & np.isinf(bounds[None, :, 1]) & (lo >= bounds[None, :, 0])
        with np.errstate(invalid="ignore"):
            share = np.where(whole, 1.0, overlap / np.where(np.isinf(hi), 1.0, hi - base))
        fractions[eligible] = np.nan_to_num(np.where(np.isinf(hi) & ~whole, 0.0, share))
    return fractions, eligible


def split_band(band: AgeBand, reference: Mapping[str, AgeBand], *, min_age: float = 0.0,
               open_top: float = OPEN_TOP, conditional: bool = True) -> dict[str, float]:
    """One band spread over named reference bands: [18, 30) over CBS → {'15-25': 7/12,
    '25-45': 5/12}. With min_age 20 a respondent is split over 20..30 (conditional); a
    population count keeps 10/12 of itself (conditional=False). Bands with no share are
    left out; an empty dict means nobody in the band is eligible."""
    keys = list(reference)
    fractions, eligible = split_bands(np.array([band.low]), np.array([band.high]),
                                      [reference[k] for k in keys], min_age=min_age,
                                      open_top=open_top, conditional=conditional)
    if not eligible[0]:
        return {}
    return {k: float(f) for k, f in zip(keys, fractions[0]) if f > 0}
