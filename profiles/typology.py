"""The VNG Burgerpeiling typology: weerbaren, buitenstaanders, compenseerders, kwetsbaren.

Why: a gemeente that ran the Burgerpeiling (VNG, waarstaatjegemeente.nl) compares its own
figures with other gemeenten through this typology. Computing it here the way VNG does
lets a team read its own profiles next to a number it already knows.

How VNG builds it (facts from VNG-Realisatie/Burgerpeiling, R/SRC/ss_recode.R,
R/SRC/missing.R, R/SRC/recode.R and R/SRC/typology.R; the code below is our own):

- Two "breadth" scores, each a count of yes/no indicators (an unknown indicator counts 0):
  * participation (part_score, 0–8): member of a club or association (zw05_4, "geen", not
    ticked), volunteer work (zw06_3 intensief/incidenteel), active for the buurt (wl13 = 1),
    in education (ch04 = 8), paid work (ch04 1–3), surely enough social contacts (zw03 = 1),
    care for a needy relative or attention for a neighbour in a worrying situation
    (zw06_0 / zw06_2), help for neighbours (zw06_1 intensief/incidenteel);
  * quality of life (qol_score, 0–7): health mark 6 or more (zw02), no physical limitation
    (zw01_0, zw01_1, zw01_6 not "enigszins/ernstig"), no social, mental or financial
    limitation (zw01_2–zw01_5) and no overburdening by informal care (zw09), not lonely
    (zw04 1–2), resilient (at least 3 of the 5 zw19 statements agreed), the buurt marked 6
    or more (wl01), someone to fall back on (one of zw10_0–zw10_2 answered 1–2).
- Each score is cut into 4 bins; bins 3–4 are "high". High participation and high
  quality of life: weerbaren; low participation, high quality: buitenstaanders; high
  participation, low quality: compenseerders; both low: kwetsbaren. Both in the lowest
  bin: "zorgwekkend" (a part of the kwetsbaren).
- Shares are weighted with the Burgerpeiling's weight `weging`. VNG does not publish the
  four shares of a gemeente where more than 65% is weerbaar.
- Missing codes: above 10 and −1; 6 ("weet niet") on zw19; 5 on zw01, zw04, zw09;
  4 on zw03 and zw10. The club items (zw05) are a multiple-response set: empty is "not
  ticked".

The cut-offs are an assumption. Since 15 May 2023 VNG sets the bin boundaries by optimal
binning (4 bins, least squares) on all Burgerpeilingen of the past two years; those
boundaries are not published in the repository and cannot be computed from one gemeente.
We use the last fixed boundaries VNG published (13 April 2023): participation high from 4
(bins ≤1, 2–3, 4, ≥5), quality of life high from 5 (bins ≤3, 4, 5, ≥6). An earlier set
(quality high from 6) is `VNG_2022`. The result says this in Dutch.

Deviation: a respondent who answered none of the questions of a score gets no type
("onbekend"); VNG's code would give such an empty form the score 0 (kwetsbaar).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from profiles.coverage import wilson
from profiles.items import ProfileDataError
from profiles.wording import pct_nl

TYPES = ("weerbaren", "buitenstaanders", "compenseerders", "kwetsbaren")
TYPE_NAMES = {"weerbaren": "Weerbaren", "buitenstaanders": "Buitenstaanders",
              "compenseerders": "Compenseerders", "kwetsbaren": "Kwetsbaren"}
TYPE_DESCRIPTIONS = {
    "weerbaren": "Doen volop mee in de samenleving en hebben een goede kwaliteit van leven.",
    "buitenstaanders": "Hebben een goede kwaliteit van leven, maar doen weinig mee in de samenleving.",
    "compenseerders": "Doen volop mee in de samenleving, terwijl hun eigen kwaliteit van leven lager is.",
    "kwetsbaren": "Doen weinig mee in de samenleving en hebben een lagere kwaliteit van leven.",
}
UNKNOWN = ""
SUPPRESS_ABOVE = 0.65  # VNG publishes no typology for a gemeente with more weerbaren than this
SMALL_COUNT = 10  # the reports' small-cell limit: a share of fewer people is not shown

# the variables each score reads (Burgerpeiling 2022 data format names)
PARTICIPATION_VARS = ("zw05_4", "zw06_0", "zw06_1", "zw06_2", "zw06_3", "wl13", "ch04", "zw03")
QUALITY_VARS = ("zw02", "zw01_0", "zw01_1", "zw01_2", "zw01_3", "zw01_4", "zw01_5", "zw01_6", "zw09",
                "zw04", "zw19_0", "zw19_1", "zw19_2", "zw19_3", "zw19_4", "wl01", "zw10_0", "zw10_1",
                "zw10_2")
TYPOLOGY_VARS = tuple(dict.fromkeys(PARTICIPATION_VARS + QUALITY_VARS))
# other model-questionnaire names: together with the typology's they make the file recognisable
OTHER_MARKERS = ("bo01", "bo02_0", "bo03_0", "dv01", "dv02", "dv06", "wl02_0", "wl03_0", "wl04", "wl05",
                 "wl06", "wl14", "zw00", "zw07", "zw08_0", "zw05_0", "zw05_1", "ch01", "ch02", "ch03",
                 "ch06", "weging", "gemnr", "jr")
RECOGNISE_SHARE = 0.6  # share of the typology's variables a file must have to be recognised
RECOGNISE_OTHERS = 3  # … and at least this many other Burgerpeiling names

# user-missing codes per variable (VNG R/SRC/missing.R), on top of > 10 and −1
_MISSING_CODE = {**{f"zw19_{i}": 6 for i in range(5)}, **{f"zw01_{i}": 5 for i in range(7)},
                 "zw04": 5, "zw09": 5, "zw03": 4, "zw10_0": 4, "zw10_1": 4, "zw10_2": 4}


@dataclass(frozen=True)
class TypologyCutoffs:
    """Where a score counts as high (bins 3–4 of VNG's four bins), and the two lowest-bin
    limits that mark "zorgwekkend"."""

    participation_high: int  # part_score at or above this: high participation
    quality_high: int  # qol_score at or above this: high quality of life
    participation_lowest: int  # part_score at or below this: lowest bin
    quality_lowest: int  # qol_score at or below this: lowest bin
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"participation_high": self.participation_high, "quality_high": self.quality_high,
                "participation_lowest": self.participation_lowest, "quality_lowest": self.quality_lowest,
                "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TypologyCutoffs:
        return cls(int(data["participation_high"]), int(data["quality_high"]), int(data["participation_lowest"]),
                   int(data["quality_lowest"]), str(data.get("source", "")))


VNG_2023 = TypologyCutoffs(4, 5, 1, 3, "VNG, vaste grenzen van 13 april 2023")
VNG_2022 = TypologyCutoffs(4, 6, 2, 3, "VNG, vaste grenzen van vóór april 2023")

ASSUMPTION = ("De grenzen zijn een aanname: VNG bepaalt ze sinds mei 2023 uit alle burgerpeilingen van de "
              "laatste twee jaar en publiceert ze niet. Wij gebruiken de laatste vaste grenzen van VNG "
              "(13 april 2023): veel meedoen vanaf 4 van de 8 vormen van meedoen, goede kwaliteit van leven "
              "vanaf 5 van de 7 kenmerken. Uw cijfers kunnen daardoor iets afwijken van waarstaatjegemeente.nl.")


@dataclass(frozen=True)
class TypeShare:
    """One type: how many respondents, the (weighted) share with a 95% interval."""

    key: str
    name: str
    description: str
    count: int
    share: float
    low: float
    high: float
    small: bool  # fewer than SMALL_COUNT respondents: do not show the share

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "description": self.description, "count": self.count,
                "share": _safe(self.share), "low": _safe(self.low), "high": _safe(self.high),
                "small": self.small}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TypeShare:
        return cls(str(data["key"]), str(data["name"]), str(data["description"]), int(data["count"]),
                   _unsafe(data["share"]), _unsafe(data["low"]), _unsafe(data["high"]), bool(data["small"]))


@dataclass(frozen=True)
class TypologyResult:
    """The Burgerpeiling typology of one file: the four types, "zorgwekkend", what was
    assumed and what was missing, in Dutch."""

    n: int  # rows read
    n_typed: int  # rows with a type
    weighted: bool
    types: tuple[TypeShare, ...]
    zorgwekkend: float  # share in the lowest bin of both scores (a part of the kwetsbaren)
    zorgwekkend_count: int
    comparable: bool  # False: VNG would not publish these shares (more than 65% weerbaar)
    cutoffs: TypologyCutoffs = VNG_2023
    assumption: str = ASSUMPTION
    missing_variables: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    summary: str = ""

    def share_of(self, key: str) -> float:
        return next(t.share for t in self.types if t.key == key)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "n_typed": self.n_typed, "weighted": self.weighted,
                "types": [t.to_dict() for t in self.types], "zorgwekkend": _safe(self.zorgwekkend),
                "zorgwekkend_count": self.zorgwekkend_count, "comparable": self.comparable,
                "cutoffs": self.cutoffs.to_dict(), "assumption": self.assumption,
                "missing_variables": list(self.missing_variables), "warnings": list(self.warnings),
                "summary": self.summary}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TypologyResult:
        return cls(int(data["n"]), int(data["n_typed"]), bool(data["weighted"]),
                   tuple(TypeShare.from_dict(t) for t in data["types"]), _unsafe(data["zorgwekkend"]),
                   int(data["zorgwekkend_count"]), bool(data["comparable"]),
                   TypologyCutoffs.from_dict(data["cutoffs"]), str(data["assumption"]),
                   tuple(data.get("missing_variables", ())), tuple(data.get("warnings", ())),
                   str(data.get("summary", "")))


def _safe(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _unsafe(value: Any) -> float:
    return float("nan") if value is None else float(value)


# ---------------------------------------------------------------- recognition

def _norm(name: Any) -> str:
    """'ZW06.0', ' zw06_0 ' → 'zw06_0' (the questionnaire writes zw06.0, the data zw06_0)."""
    return re.sub(r"[.\-\s]+", "_", str(name).strip().lower()).strip("_")


def _names(frame: pd.DataFrame) -> set[str]:
    """Variable names of a raw export, or of the file behind a respondents table
    (attrs["columns"] keeps the file's own columns, attrs["item_keys"] their keys)."""
    names = {_norm(c) for c in frame.columns}
    names |= {_norm(c) for c in frame.attrs.get("columns", []) or []}
    names |= {_norm(c) for c in (frame.attrs.get("item_keys", {}) or {})}
    return names


def is_burgerpeiling(frame: pd.DataFrame) -> bool:
    """Whether the file is a VNG Burgerpeiling: at least 60% of the typology's variable names
    and three other names of the model questionnaire (bo01, dv01, weging, …). Works on the
    raw export and on a respondents table that kept its file's columns in attrs."""
    names = _names(frame)
    own = sum(v in names for v in TYPOLOGY_VARS)
    others = sum(v in names for v in OTHER_MARKERS)
    return own >= RECOGNISE_SHARE * len(TYPOLOGY_VARS) and others >= RECOGNISE_OTHERS


# ---------------------------------------------------------------- scores

def _codes(frame: pd.DataFrame, file: str) -> tuple[dict[str, pd.Series], list[str], list[str]]:
    """{variable: numeric codes with missing codes as NaN}, missing variables, warnings."""
    by_name: dict[str, Any] = {}
    for column in frame.columns:
        by_name.setdefault(_norm(column), column)
    codes, missing, warnings = {}, [], []
    where = f" in {file}" if file else ""
    for var in TYPOLOGY_VARS:
        if var not in by_name:
            missing.append(var)
            continue
        raw = frame[by_name[var]]
        values = pd.to_numeric(raw, errors="coerce").astype(float)
        text = raw.notna() & values.isna() & raw.astype(str).str.strip().ne("")
        if text.any():
            row = int(np.flatnonzero(text.to_numpy())[0]) + 1
            warnings.append(f"Kolom '{by_name[var]}'{where} bevat tekst in plaats van codes (bijvoorbeeld rij "
                            f"{row}: '{str(raw[text].iloc[0])[:40]}'); die antwoorden tellen niet mee. Gebruik "
                            "het SPSS-bestand of een export met codes.")
        values = values.mask((values > 10) | (values == -1))
        if var in _MISSING_CODE:
            values = values.mask(values == _MISSING_CODE[var])
        codes[var] = values
    return codes, missing, warnings


def _is(values: pd.Series | None, allowed: tuple[float, ...], index: pd.Index) -> pd.Series:
    """1.0 / 0.0 / NaN (unknown) per row: the code is one of `allowed`."""
    if values is None:
        return pd.Series(np.nan, index=index)
    return values.isin(allowed).astype(float).mask(values.isna())


def _at_least(values: pd.Series | None, limit: float, index: pd.Index) -> pd.Series:
    if values is None:
        return pd.Series(np.nan, index=index)
    return (values >= limit).astype(float).mask(values.isna())


def _count(parts: list[pd.Series]) -> pd.Series:
    """Sum of indicators with unknown as 0 (VNG: sum(…, na.rm = TRUE))."""
    return pd.concat(parts, axis=1).fillna(0).sum(axis=1)


def _scores(codes: dict[str, pd.Series], index: pd.Index) -> pd.DataFrame:
    """part_score and qol_score per row, as VNG's ss_recode.R defines them."""
    get = codes.get
    zw06_0, zw06_2 = get("zw06_0"), get("zw06_2")
    nan = pd.Series(np.nan, index=index)
    a = zw06_0 if zw06_0 is not None else nan
    b = zw06_2 if zw06_2 is not None else nan
    # informal care: R's three-valued logic of (a==1 | b==1), then (a==2 | b==2) only when both known
    care = ((a == 1) | (b == 1) | (a.notna() & b.notna() & ((a == 2) | (b == 2)))).astype(float)
    care_or_worry = ((a == 1) | b.isin((1, 2)) | (a.notna() & b.notna() & (a == 2))).astype(float)
    zw05_4 = get("zw05_4")
    club = nan if zw05_4 is None else (zw05_4.fillna(0) != 1).astype(float)  # empty = not ticked
    ch04 = get("ch04")
    participation = [
        club,
        _is(get("zw06_3"), (1, 2), index),  # volunteer work
        _is(get("wl13"), (1,), index),  # active for the buurt
        _is(ch04, (8,), index),  # education
        _is(ch04, (1, 2, 3), index),  # paid work
        _is(get("zw03"), (1,), index),  # surely enough social contacts
        care_or_worry,
        _is(get("zw06_1"), (1, 2), index),  # help for neighbours
    ]
    limited = [_is(get(f"zw01_{i}"), (3, 4), index) for i in range(7)]
    overburdened = (_is(get("zw09"), (3, 4), index).fillna(0) * care).astype(float)
    physical = pd.concat([limited[0], limited[1], limited[6]], axis=1).fillna(0).sum(axis=1) > 0
    social = pd.concat([*limited[2:6], overburdened], axis=1).fillna(0).sum(axis=1) > 0
    agreed = pd.concat([_is(get(f"zw19_{i}"), (1, 2), index) for i in range(5)], axis=1).fillna(0).sum(axis=1)
    fallback = pd.concat([_is(get(f"zw10_{i}"), (1, 2), index) for i in range(3)], axis=1).fillna(0).sum(axis=1)
    quality = [
        _at_least(get("zw02"), 6, index),  # health mark
        (~physical).astype(float),
        (~social).astype(float),
        _is(get("zw04"), (1, 2), index),  # not lonely
        (agreed >= 3).astype(float),  # resilient
        _at_least(get("wl01"), 6, index),  # pleasant buurt
        (fallback > 0).astype(float),
    ]
    answered_p = pd.concat([codes[v].notna() for v in PARTICIPATION_VARS if v in codes and v != "zw05_4"]
                           or [pd.Series(False, index=index)], axis=1).any(axis=1)
    answered_q = pd.concat([codes[v].notna() for v in QUALITY_VARS if v in codes]
                           or [pd.Series(False, index=index)], axis=1).any(axis=1)
    return pd.DataFrame({"part_score": _count(participation).where(answered_p),
                         "qol_score": _count(quality).where(answered_q)}, index=index)


def assign_burgerpeiling_types(frame: pd.DataFrame, cutoffs: TypologyCutoffs = VNG_2023, *,
                               file: str = "") -> pd.DataFrame:
    """Per row of a Burgerpeiling export (its own variable names, its SPSS codes): part_score,
    qol_score, typology (a key of TYPES, "" when unknown) and zorgwekkend (bool). Same index."""
    if not len(frame):
        raise ProfileDataError(f"Het bestand{' ' + file if file else ''} bevat geen respondenten.")
    codes, _, _ = _codes(frame, file)
    if not codes:
        raise ProfileDataError(_no_codes_message(frame, file))
    scores = _scores(codes, frame.index)
    part_high = scores["part_score"] >= cutoffs.participation_high
    qol_high = scores["qol_score"] >= cutoffs.quality_high
    known = scores["part_score"].notna() & scores["qol_score"].notna()
    kind = np.select([part_high & qol_high, ~part_high & qol_high, part_high & ~qol_high],
                     ["weerbaren", "buitenstaanders", "compenseerders"], "kwetsbaren")
    scores["typology"] = np.where(known, kind, UNKNOWN)
    scores["zorgwekkend"] = known & (scores["part_score"] <= cutoffs.participation_lowest) & (
        scores["qol_score"] <= cutoffs.quality_lowest)
    return scores


def _no_codes_message(frame: pd.DataFrame, file: str) -> str:
    where = f" in {file}" if file else ""
    if any(str(c).startswith("item:") for c in frame.columns):
        return ("De Burgerpeiling-typologie heeft de originele codes van het Burgerpeiling-bestand nodig "
                "(het SPSS-bestand zoals ingelezen), niet de tabel met respondenten: daarin zijn de "
                "antwoordcodes al omgezet.")
    return (f"Geen van de vragen van de Burgerpeiling-typologie gevonden{where} (bijvoorbeeld zw06_0, zw01_0, "
            "wl01). Is dit een Burgerpeiling-bestand met de variabelenamen van VNG?")


def _weights(frame: pd.DataFrame, weights: Any) -> tuple[np.ndarray | None, list[str]]:
    """Weights per row: `weging` when present (weights=None), a column name, an array, or
    none (weights=False). Rows without a positive weight drop out of the shares."""
    if weights is False:
        return None, []
    if weights is None:
        column = next((c for c in frame.columns if _norm(c) == "weging"), None)
        if column is None:
            return None, ["Er is geen weegfactor (weging) gevonden: de percentages zijn ongewogen."]
        weights = column
    if isinstance(weights, str):
        if weights not in frame.columns:
            raise ProfileDataError(f"De weegfactor-kolom '{weights}' staat niet in het bestand.")
        values = pd.to_numeric(frame[weights], errors="coerce").to_numpy(dtype=float)
    else:
        values = np.asarray(weights, dtype=float)
        if values.shape != (len(frame),):
            raise ProfileDataError(f"Er zijn {values.size} gewichten voor {len(frame)} respondenten.")
    bad = ~np.isfinite(values) | (values <= 0)
    notes = [(f"{int(bad.sum())} respondenten hebben geen geldige weegfactor en tellen niet mee in de "
              "percentages.")] if bad.any() else []
    return np.where(bad, 0.0, values), notes


def burgerpeiling_typology(frame: pd.DataFrame, *, weights: Any = None,
                           cutoffs: TypologyCutoffs = VNG_2023, file: str = "") -> TypologyResult:
    """The VNG typology of a Burgerpeiling export: the four types with (weighted) shares and
    95% intervals (Wilson at the weights' effective sample size), "zorgwekkend", and in
    Dutch what was assumed and what was missing.

    `frame`: the export as read (surveys.read_export(...).frame): the Burgerpeiling's own
    variable names, its SPSS codes. `weights`: None = the column `weging` when present,
    False = unweighted, or a column name / array. `file`: the file name for messages.
    """
    types = assign_burgerpeiling_types(frame, cutoffs, file=file)
    _, missing, warnings = _codes(frame, file)
    w, weight_notes = _weights(frame, weights)
    typed = (types["typology"] != UNKNOWN).to_numpy()
    use = typed if w is None else typed & (w > 0)
    wt = np.ones(len(types)) if w is None else w
    total = float(wt[use].sum())
    n_eff = total ** 2 / float((wt[use] ** 2).sum()) if use.any() else 0.0
    shares = []
    for key in TYPES:
        member = use & (types["typology"] == key).to_numpy()
        share = float(wt[member].sum() / total) if total > 0 else float("nan")
        low, high = wilson(np.array([share]), n_eff) if total > 0 else (np.array([np.nan]),) * 2
        count = int(member.sum())
        shares.append(TypeShare(key, TYPE_NAMES[key], TYPE_DESCRIPTIONS[key], count, share, float(low[0]),
                                float(high[0]), count < SMALL_COUNT))
    worry = use & types["zorgwekkend"].to_numpy(dtype=bool)
    worry_share = float(wt[worry].sum() / total) if total > 0 else float("nan")
    weerbaar = shares[0].share
    comparable = bool(total > 0 and weerbaar <= SUPPRESS_ABOVE)
    notes = list(warnings) + weight_notes
    if missing:
        notes.append(f"Deze vragen van de typologie ontbreken in het bestand: {', '.join(missing)}. Ze tellen als "
                     "'nee', zoals bij VNG; de typologie valt daardoor lager uit dan op waarstaatjegemeente.nl.")
    unknown = int((~typed).sum())
    if unknown:
        notes.append(f"{unknown} respondenten hebben geen van de vragen van een van beide scores beantwoord en "
                     "hebben geen type.")
    if total > 0 and not comparable:
        notes.append(f"Meer dan {pct_nl(SUPPRESS_ABOVE)} is weerbaar ({pct_nl(weerbaar)}). VNG toont de "
                     "typologie dan niet op waarstaatjegemeente.nl; vergelijk deze cijfers dus niet.")
    result = TypologyResult(n=len(frame), n_typed=int(use.sum()), weighted=w is not None, types=tuple(shares),
                            zorgwekkend=worry_share, zorgwekkend_count=int(worry.sum()), comparable=comparable,
                            cutoffs=cutoffs, assumption=ASSUMPTION if cutoffs == VNG_2023 else
                            f"Grenzen: {cutoffs.source}.", missing_variables=tuple(missing),
                            warnings=tuple(notes))
    return _with_summary(result)


def _with_summary(result: TypologyResult) -> TypologyResult:
    """One Dutch sentence with the four shares (a type under 10 people: 'te weinig mensen')."""
    if result.n_typed == 0:
        text = "Geen enkele respondent kon worden ingedeeld in de typologie van de Burgerpeiling."
    else:
        parts = [f"{t.name.lower()} {pct_nl(t.share)}" if not t.small else f"{t.name.lower()} (te weinig mensen)"
                 for t in result.types]
        how = "gewogen" if result.weighted else "ongewogen"
        text = (f"Typologie van de Burgerpeiling ({result.n_typed} respondenten, {how}): " + ", ".join(parts)
                + ".")
    return replace(result, summary=text)


def typology_from_export(raw: Any, *, cutoffs: TypologyCutoffs = VNG_2023) -> TypologyResult | None:
    """The typology of an export as read (a surveys RawExport), or None when it is not a
    Burgerpeiling. The dashboard and the CLI call this at import time: the respondents table
    keeps neither the codes nor all the questions the typology needs."""
    frame = raw.frame
    if not is_burgerpeiling(frame):
        return None
    return burgerpeiling_typology(frame, cutoffs=cutoffs, file=str(getattr(raw, "file_name", "") or ""))

