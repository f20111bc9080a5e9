"""Where to go next: reach per buurt, the groups we miss there, and how many of them live there.

A wijkaanpak covers several buurten. For each buurt this gives the eligible population
(the same figures as a BuurtReference of that buurt alone: reference.build via
engagement.batch.population_table), the respondents placed in it, respondents per 100
eligible residents, and per missing group how many residents of that group we did not
reach. The coverage per buurt is engagement.batch.batch_coverage, which equals
compute_coverage(..., weighting=False) for each buurt and handles hundreds of buurten
at once.

Respondents are placed in a buurt in this order (first that works):
1. their own `area_code` (a buurt code, or the name of one of the chosen buurten);
2. their postcode (`postcode6` when present, else `postcode4`) in the team's postcode–buurt
   table (reference.postcodes.read_postcode_table);
3. their PC4 equal to the KWB's "meest voorkomende postcode" of exactly one chosen buurt
   (an approximation; the uncertainty is stated per buurt);
4. the buurt the team chose for the whole file (`file_areas`: file name → buurtcode);
5. the project's own buurt (`home`), when the project is about that one buurt: everyone
   not placed elsewhere was spoken there, as the project's coverage (Bereik) counts them.
Otherwise they count as "buurt onbekend"; a respondent placed in a buurt outside the
chosen ones counts as "buiten de gekozen buurten".

    >>> data = load_buurten(kwb_bytes, "kwb2024_85984NED.csv", ["WK001400"])  # doctest: +SKIP
    >>> result = compute_areas(respondents, data)  # doctest: +SKIP
    >>> result.finding  # doctest: +SKIP
"""
from __future__ import annotations

import logging
import math
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from engagement.batch import batch_coverage, population_table
from engagement.coverage import eligible_respondents
from engagement.harmonise import membership
from engagement.vocabulary import group_label, group_phrase, join_phrases
from reference.build import ReferenceDataError, fmt_count
from reference.buurten import expand_areas
from reference.model import BuurtReference
from reference.postcodes import KwbPostcodes, PostcodeTable, coverage_text, normalise_buurtcode
from surveys.numbers import plural

logger = logging.getLogger(__name__)

__all__ = ["AreaReach", "AreasResult", "Assignment", "BuurtData", "MissingGroup",
           "apply_joint", "apply_joint_bounded", "assign_buurten", "buurt_reference", "compute_areas", "expand_areas", "load_buurten",
           "load_buurten_bounded", "cbs_buurten", "buurt_data_from_reference", "single_buurt",
           "plural", "areas_finding", "describe_areas", "about", "rounded", "finding_group",
           "group_totals", "ranked_areas", "where_missed", "RESIDENTS_DEFINITION"]

MISSING_FLAGS = ("under", "unreached")
METHODS = {  # how a respondent was placed → Dutch
    "area_code": "eigen buurtcode of buurtnaam",
    "postcode_tabel": "postcode in de postcodetabel",
    "kwb_postcode": "meest voorkomende postcode volgens CBS (benadering)",
    "bestand": "buurt van het bestand",
    "project": "de buurt van het project",
    "buiten": "buiten de gekozen buurten",
    "onbekend": "buurt onbekend",
}
RESIDENTS_DEFINITION = (
    "Gemiste inwoners van een groep in een buurt = het aantal inwoners van die groep "
    "(vanaf de minimumleeftijd) × (1 − verhouding), waarbij de verhouding het aandeel van de "
    "groep onder de respondenten uit die buurt is, gedeeld door het aandeel in de buurt. Het "
    "is het aantal inwoners van de groep dat we niet bereikten als we de groep even goed "
    "hadden willen bereiken als de buurt gemiddeld.")
FINDING_GROUPS = 3     # at most this many groups in the finding
FINDING_MIN = 5.0      # a group is named in the finding from this many missed residents
SMALL_K = 10           # as reports.privacy: fewer respondents in a buurt, no groups named
REST = "_rest"         # the respondents without a buurt (unknown or outside), as one pseudo-area


# ------------------------------------------------------------------------------ results

@dataclass(frozen=True)
class MissingGroup:
    """A group that is under-represented in one buurt, and how many of them we missed.

    `residents` = population × (1 − ratio) (see RESIDENTS_DEFINITION): the eligible
    residents of the group minus the residents its respondents stand for at the buurt's
    overall response rate (n_group / (n_buurt / N_buurt)). `ratio` 0 ("nog niemand
    gesproken") gives the whole group."""

    dimension: str
    category: str
    residents: float
    population: float = 0.0
    ratio: float = 0.0
    label: str = ""
    respondents: float | None = None  # the group's respondents in this buurt (what ratio gives away)
    suppressed: str = ""  # in a protected result: "primary"/"secondary" when its figures are hidden

    def to_dict(self) -> dict[str, Any]:
        hidden = bool(self.suppressed)
        return {"dimension": self.dimension, "category": self.category,
                "residents": None if hidden else round(self.residents, 1),
                "population": round(self.population, 1),
                "ratio": None if hidden else self.ratio, "label": self.label,
                "respondents": None if hidden or self.respondents is None else round(self.respondents, 3),
                "suppressed": self.suppressed}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MissingGroup:
        def number(key: str) -> float:
            value = data.get(key)
            return math.nan if value is None else float(value)
        return cls(dimension=data["dimension"], category=data["category"],
                   residents=number("residents"), population=float(data.get("population", 0.0)),
                   ratio=number("ratio") if "ratio" in data else 0.0, label=str(data.get("label", "")),
                   respondents=None if data.get("respondents") is None else float(data["respondents"]),
                   suppressed=str(data.get("suppressed", "")))


@dataclass(frozen=True)
class AreaReach:
    """One buurt: eligible residents, respondents placed in it, per 100, missing groups."""

    code: str
    name: str
    eligible_population: float
    respondents: int
    per_100: float | None
    missing: tuple[MissingGroup, ...] = ()
    assigned_by: dict[str, int] = field(default_factory=dict)  # method → respondents
    note: str = ""  # Dutch: how sure the placement is (KWB postcode fallback)
    # respondents per dimension and category ("onbekend" included), for small-cell protection;
    # never shown itself (a protected result has it empty)
    counts: dict[str, dict[str, float]] = field(default_factory=dict)
    suppressed: str = ""  # in a protected result: "primary"/"secondary" when the count is hidden
    withheld: tuple[MissingGroup, ...] = ()  # protected: missing groups named without figures
    # (dimension, category) of groups below the buurt's average whose verdict is 'onzeker'
    # (the coverage rule: too many unknown answers, or the buurt figures' margin): not
    # counted as missed, named as onzeker without a figure
    uncertain: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        hidden = bool(self.suppressed)
        out = {"code": self.code, "name": self.name,
               "eligible_population": round(self.eligible_population, 1),
               "respondents": None if hidden else self.respondents,
               "per_100": None if hidden or self.per_100 is None else round(self.per_100, 3),
               "missing": [m.to_dict() for m in (*self.missing, *self.withheld)],
               "uncertain": [{"dimension": d, "category": c} for d, c in self.uncertain],
               "assigned_by": {} if hidden else dict(self.assigned_by), "note": self.note,
               "suppressed": self.suppressed}
        if self.counts:
            out["counts"] = {d: dict(c) for d, c in self.counts.items()}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AreaReach:
        groups = [MissingGroup.from_dict(m) for m in data.get("missing", ())]
        return cls(code=data["code"], name=data["name"],
                   eligible_population=float(data["eligible_population"]),
                   respondents=0 if data.get("respondents") is None else int(data["respondents"]),
                   per_100=None if data.get("per_100") is None else float(data["per_100"]),
                   missing=tuple(m for m in groups if not m.suppressed),
                   assigned_by={k: int(v) for k, v in (data.get("assigned_by") or {}).items()},
                   note=str(data.get("note", "")),
                   counts={d: {c: float(v) for c, v in part.items()}
                           for d, part in (data.get("counts") or {}).items()},
                   suppressed=str(data.get("suppressed", "")),
                   withheld=tuple(m for m in groups if m.suppressed),
                   uncertain=tuple((str(u["dimension"]), str(u["category"]))
                                   for u in data.get("uncertain", ())))


@dataclass(frozen=True)
class AreasResult:
    """Reach per buurt for a project (the `areas` JSON of DESIGN.md, plus context keys)."""

    areas: tuple[AreaReach, ...]
    unknown: int = 0          # counting respondents without a buurt ("buurt onbekend")
    outside: int = 0          # counting respondents placed in a buurt outside the chosen ones
    excluded: dict[str, int] = field(default_factory=dict)
    min_age: int = 18
    finding: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = (RESIDENTS_DEFINITION,)
    source: str = "Bron: CBS, Kerncijfers wijken en buurten"
    k: int = SMALL_K  # buurten with 1..k-1 respondents: no groups named in the finding
    # respondents without a buurt (unknown or outside) per dimension and category, for
    # small-cell protection (the coverage table counts them in its totals); never shown
    rest_counts: dict[str, dict[str, float]] = field(default_factory=dict)
    protected: bool = False  # reports.charts_areas.protect_areas made it (counts hidden, marks set)

    def area(self, code: str) -> AreaReach:
        for item in self.areas:
            if item.code == code:
                return item
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        out = {"areas": [a.to_dict() for a in self.areas], "unknown": self.unknown,
               "outside": self.outside, "excluded": dict(self.excluded), "min_age": self.min_age,
               "finding": list(self.finding), "notes": list(self.notes),
               "assumptions": list(self.assumptions), "source": self.source, "k": self.k,
               "protected": self.protected}
        if self.rest_counts:
            out["rest_counts"] = {d: dict(c) for d, c in self.rest_counts.items()}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AreasResult:
        return cls(areas=tuple(AreaReach.from_dict(a) for a in data.get("areas", ())),
                   unknown=int(data.get("unknown", 0)), outside=int(data.get("outside", 0)),
                   excluded={k: int(v) for k, v in (data.get("excluded") or {}).items()},
                   min_age=int(data.get("min_age", 18)), finding=tuple(data.get("finding", ())),
                   notes=tuple(data.get("notes", ())),
                   assumptions=tuple(data.get("assumptions", (RESIDENTS_DEFINITION,))),
                   source=str(data.get("source", "Bron: CBS, Kerncijfers wijken en buurten")),
                   k=int(data.get("k", SMALL_K)),
                   rest_counts={d: {c: float(v) for c, v in part.items()}
                                for d, part in (data.get("rest_counts") or {}).items()},
                   protected=bool(data.get("protected", False)))


@dataclass(frozen=True)
class BuurtData:
    """The buurten of a project from one KWB source: area rows, long population, postcodes."""

    rows: pd.DataFrame          # read_kwb_table rows of the buurten (code, name, kind, gemeente, …)
    population: pd.DataFrame    # engagement.batch.population_table(rows, min_age)
    postcodes: KwbPostcodes
    min_age: int
    year: int | None = None
    table: str = ""
    notes: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()  # Dutch, e.g. an age × group table borrowed (apply_joint)

    @property
    def buurten(self) -> pd.DataFrame:
        return self.rows[["code", "name"]].reset_index(drop=True)

    @property
    def source(self) -> str:
        base = "Bron: CBS, Kerncijfers wijken en buurten"
        return f"{base} {self.year}" if self.year else base


@dataclass(frozen=True)
class Assignment:
    """Per respondent (same index as the respondents): `buurt_code` ("" = none) and `method`
    (a key of METHODS); `notes` are Dutch sentences about what could not be placed."""

    table: pd.DataFrame
    notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.table["method"].value_counts().items()}


# ------------------------------------------------------------------------- the buurten

def _fold(text: object) -> str:
    text = unicodedata.normalize("NFKD", str(text or ""))
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).lower().split())


def load_buurten(data: bytes, file_name: str, areas: list[str], min_age: int = 18) -> BuurtData:
    """The buurten of the given areas from a KWB download (OData CSV or kwb-20xx.xlsx)."""
    from reference.buurten import read_kwb_buurten

    return _buurt_data(read_kwb_buurten(data, file_name, areas), min_age)


def load_buurten_bounded(data: bytes, file_name: str, areas: list[str], min_age: int = 18,
                         *, timeout: float | None = None, memory_mb: int | None = None) -> BuurtData:
    """load_buurten with the file read in a time- and memory-bounded child (as the other
    KWB reads of the CLI and the dashboard); its Dutch errors come back unchanged. The
    child only reads (reference.buurten); the population is computed here."""
    from reference.buurten import read_kwb_buurten_bounded

    found = read_kwb_buurten_bounded(data, file_name, areas, timeout=timeout, memory_mb=memory_mb)
    return _buurt_data(found, min_age)


def _buurt_data(found, min_age: int) -> BuurtData:
    return BuurtData(rows=found.rows, population=population_table(found.rows, min_age=min_age),
                     postcodes=found.postcodes, min_age=int(min_age), year=found.year,
                     table=found.table)


def single_buurt(reference: BuurtReference | None) -> str | None:
    """The buurtcode when `reference` is one buurt (a one-buurt project), else None."""
    if reference is None or len(reference.areas) != 1:
        return None
    return normalise_buurtcode(reference.areas[0][0])


def buurt_data_from_reference(reference: BuurtReference) -> BuurtData | None:
    """The one buurt of a one-buurt project as BuurtData, from the figures the project keeps
    (engagement.batch.reference_population): the Buurten page then needs no second KWB
    upload and shows the same figures as the project's coverage. None for a project of
    several buurten: its reference holds only their sum, not the figures per buurt."""
    from engagement.batch import reference_population

    code = single_buurt(reference)
    if code is None or reference.eligible_population is None:
        return None
    name = str(reference.areas[0][1] or code)
    rows = pd.DataFrame({"code": [code], "name": [name], "kind": ["buurt"]})
    population = reference_population(reference, code)
    if population.empty:
        return None
    return BuurtData(rows=rows, population=population, postcodes=KwbPostcodes({}),
                     min_age=int(reference.min_age), year=reference.year, table=reference.table,
                     assumptions=tuple(reference.assumptions))


def buurt_reference(data: BuurtData, code: str) -> BuurtReference:
    """The BuurtReference of one buurt of `data` (reference.build, as load_kwb_file builds
    it): for the full coverage table of one buurt next to the ranking."""
    from reference.build import build_reference

    rows = data.rows[data.rows["code"] == code]
    if rows.empty:
        raise ReferenceDataError(f"Buurt {code} hoort niet bij de gekozen buurten.")
    return build_reference(rows.reset_index(drop=True), year=data.year, table=data.table,
                           min_age=data.min_age)


def cbs_buurten(year: int, areas: list[str], min_age: int = 18, cache_dir=None) -> BuurtData:
    """The given buurten from the CBS open-data API (cached on disk). The API is asked per
    code, so a wijk or gemeente cannot be expanded here: give the buurtcodes, or use a KWB file."""
    from reference.sources import load_cbs_rows

    codes = [str(a).strip().upper() for a in areas if str(a).strip()]
    wide = [c for c in codes if not c.startswith("BU")]
    if wide:
        raise ReferenceDataError(f"Met --cbs kunnen we {', '.join(wide)} niet in buurten opdelen. "
                             "Geef de buurtcodes zelf (BU…) of gebruik een KWB-bestand (--kwb).")
    rows, table_id, notes = load_cbs_rows(year, codes, cache_dir=cache_dir)
    return BuurtData(rows=rows, population=population_table(rows, min_age=min_age),
                     postcodes=KwbPostcodes({}), min_age=int(min_age), year=int(year),
                     table=table_id, notes=tuple(notes))


def apply_joint(data: BuurtData, joint: bytes, file_name: str) -> BuurtData:
    """The buurten with origin or tenure split by age from a table of age × that group (e.g.
    the gemeente's): reference.custom.apply_joint_table for each buurt on its own, as
    `bereikwijzer coverage --joint` does for the project area. Each buurt keeps its own
    persons per age band and per group; only the link between age and group is borrowed
    (the assumption is stated once). A buurt without that group or without ages keeps its
    figures. Errors are Dutch and name the buurt."""
    from engagement.batch import reference_population
    from reference.custom import apply_joint_table, read_joint_table

    row_dim, col_dim, _ = read_joint_table(joint, file_name, min_age=data.min_age)
    dim = col_dim if row_dim == "age" else row_dim
    names = dict(zip(data.rows["code"], data.rows["name"]))
    replaced: dict[str, pd.DataFrame] = {}
    assumption, note = "", ""
    for code in data.population["area_code"].drop_duplicates():
        try:
            reference = buurt_reference(data, code)
        except ReferenceDataError:
            continue  # no inhabitants: nothing to split
        if dim not in reference.dimensions or "age" not in reference.dimensions:
            continue
        try:
            joined = apply_joint_table(reference, joint, file_name)
        except ReferenceDataError as error:
            raise ReferenceDataError(f"{names.get(code, code)} ({code}): {error}") from error
        rows = reference_population(joined, code)
        rows = rows[rows["dimension"] == dim].assign(area_name=names.get(code, code))
        replaced[code] = rows
        assumption = assumption or joined.assumptions[-1]
        note = note or joined.notes[-1]
    if not replaced:
        return data
    parts = []
    for code, part in data.population.groupby("area_code", sort=False):
        if code in replaced:  # same rows in the same order, the group's figures replaced
            new = replaced[code].set_index("category")
            rows = part["dimension"] == dim
            part = part.copy()
            for column in ("population", "estimated", "margin", "margin_shift"):
                part.loc[rows, column] = new[column].reindex(part.loc[rows, "category"]).to_numpy()
        parts.append(part)
    population = pd.concat(parts)
    return replace(data, population=population.reset_index(drop=True),
                   notes=tuple(data.notes) + ((note,) if note else ()),
                   assumptions=tuple(data.assumptions) + ((assumption,) if assumption else ()))


def apply_joint_bounded(data: BuurtData, joint: bytes, file_name: str, *,
                        timeout: float | None = None, memory_mb: int | None = None) -> BuurtData:
    """apply_joint in a time- and memory-bounded child after the upload's shape checks
    (as the KWB reads): a crafted table costs only the child."""
    from surveys.bounded import bounded_limits
    from surveys.limits import run_bounded

    default_timeout, default_memory = bounded_limits(1)
    return run_bounded(_apply_joint_in_child, data, joint, file_name,
                       timeout=default_timeout if timeout is None else timeout,
                       memory_mb=default_memory if memory_mb is None else memory_mb,
                       file_name=file_name).value


def _apply_joint_in_child(data: BuurtData, joint: bytes, file_name: str) -> BuurtData:
    from surveys.limits import check_upload

    check_upload(joint, file_name)
    return apply_joint(data, joint, file_name)


# ------------------------------------------------------------------------- assignment

def _text(respondents: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped text per row; None where empty or absent (object Series)."""
    if column not in respondents.columns:
        values: list[str | None] = [None] * len(respondents)
    else:
        values = [None if v is None or (isinstance(v, float) and math.isnan(v))
                  or str(v).strip() in ("", "nan", "None", "<NA>") else str(v).strip()
                  for v in respondents[column].astype(object).tolist()]
    return pd.Series(values, index=respondents.index, dtype=object)


def _mapped(values: pd.Series, fn) -> pd.Series:
    """fn over the text values (None stays None), kept as an object Series; fn runs once
    per distinct value (thousands of respondents share a few postcodes)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([fn(v) if isinstance(v, str) else None for v in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def _pc4(respondents: pd.DataFrame) -> pd.Series:
    from reference.postcodes import normalise_postcode

    return _mapped(_text(respondents, "postcode4"),
                   lambda v: (normalise_postcode(v) or "")[:4] or None)


def assign_buurten(respondents: pd.DataFrame, buurten: pd.DataFrame, *,
                   postcodes: PostcodeTable | None = None, kwb: KwbPostcodes | None = None,
                   file_areas: Mapping[str, str] | None = None,
                   home: str | None = None) -> Assignment:
    """Place each respondent in one of `buurten` (code, name); see the module docstring for
    the order. The KWB fallback only uses a PC4 that is the most common postcode of exactly
    one chosen buurt; a PC4 shared by several chosen buurten stays "buurt onbekend".
    `home`: the buurt of a one-buurt project (single_buurt), for everyone still unplaced."""
    from reference.postcodes import normalise_postcode

    chosen = list(buurten["code"])
    chosen_set = set(chosen)
    by_name: dict[str, str] = {}
    for code, name in zip(buurten["code"], buurten["name"]):
        by_name.setdefault(_fold(name), code)
    index = respondents.index
    buurt = pd.Series("", index=index, dtype=object)
    method = pd.Series("onbekend", index=index, dtype=object)
    notes: list[str] = []

    def place(mask: pd.Series, codes: pd.Series, how: str) -> None:
        open_rows = (method == "onbekend") & mask.fillna(False).astype(bool)
        if not open_rows.any():
            return
        inside = codes[open_rows].isin(chosen_set)
        buurt.loc[open_rows[open_rows].index[inside.to_numpy()]] = codes[open_rows][inside]
        method.loc[open_rows[open_rows].index[inside.to_numpy()]] = how
        method.loc[open_rows[open_rows].index[~inside.to_numpy()]] = "buiten"

    # 1. the respondent's own buurt (code or name)
    own = _text(respondents, "area_code")
    as_code = _mapped(own, normalise_buurtcode)
    as_name = _mapped(own, lambda v: by_name.get(_fold(v)))
    codes = as_code.where(as_code.notna(), as_name)
    place(codes.notna(), codes.fillna(""), "area_code")

    # 2. the team's postcode table (PC6 first, then PC4)
    pc4 = _pc4(respondents)
    if postcodes is not None:
        pc6 = _mapped(_text(respondents, "postcode6"),
                      lambda v: v if len(normalise_postcode(v) or "") == 6 else None)
        pc6 = _mapped(pc6, normalise_postcode)
        use6 = pd.Series([isinstance(v, str) and v in postcodes.lookup for v in pc6.tolist()],
                         index=pc6.index)
        key = pc6.where(use6, pc4)
        found = _mapped(key, lambda v: postcodes.lookup.get(v, (None, 0.0))[0])
        place(found.notna(), found.fillna(""), "postcode_tabel")
        missing = (method == "onbekend") & key.notna() & found.isna()
        if missing.any():
            count = int(missing.sum())
            notes.append(f"{plural(count, 'respondent heeft', 'respondenten hebben')} een postcode "
                         f"die niet in '{postcodes.file_name}' staat.")

    # 3. the KWB's most common postcode, only when it points to one chosen buurt
    if kwb is not None and kwb.postcode4:
        owners: dict[str, list[str]] = {}
        for code in chosen:
            if code in kwb.postcode4:
                owners.setdefault(kwb.postcode4[code], []).append(code)
        unique = {pc: codes_[0] for pc, codes_ in owners.items() if len(codes_) == 1}
        found = _mapped(pc4, unique.get)
        place(found.notna(), found.fillna(""), "kwb_postcode")
        shared = pd.Series([isinstance(v, str) and len(owners.get(v, [])) > 1 for v in pc4.tolist()],
                           index=pc4.index)
    else:
        shared = pd.Series(False, index=index)

    # 4. the buurt the team chose for the whole file
    if file_areas:
        wanted = {str(k).strip(): normalise_buurtcode(v) or str(v).strip().upper()
                  for k, v in file_areas.items()}
        source = _mapped(_text(respondents, "source"), lambda v: v.rsplit("#", 1)[0])
        found = _mapped(source, wanted.get)
        place(found.notna(), found.fillna(""), "bestand")

    # 5. a one-buurt project: who is not placed elsewhere was spoken in the project's buurt
    home_code = normalise_buurtcode(home) if home else None
    if home_code in chosen_set:
        rest = method == "onbekend"
        if rest.any():
            buurt.loc[rest] = home_code
            method.loc[rest] = "project"
            home_name = dict(zip(buurten["code"], buurten["name"])).get(home_code, home_code)
            notes.append(f"We rekenen {plural(int(rest.sum()), 'respondent', 'respondenten')} "
                         "zonder eigen buurtcode of postcode in een andere buurt tot "
                         f"{home_name}: het project gaat over die ene buurt (zoals op de pagina "
                         "Bereik).")

    # a shared PC4 is only worth a note for whom the file did not place either
    shared = shared & (method == "onbekend")
    if shared.any():
        pcs = sorted(set(pc4[shared]))
        notes.append(f"{plural(int(shared.sum()), 'respondent', 'respondenten')} met postcode {', '.join(pcs[:5])} "
                     "konden we niet plaatsen: die postcode is volgens CBS de meest "
                     "voorkomende in meer dan één gekozen buurt. Een postcodetabel lost dit op.")

    unknown = int((method == "onbekend").sum())
    if unknown:
        notes.append(f"{plural(unknown, 'respondent', 'respondenten')} konden we niet aan een buurt koppelen "
                     "(buurt onbekend): geen buurtcode, geen bruikbare postcode en geen buurt "
                     "voor hun bestand.")
    outside = int((method == "buiten").sum())
    if outside:
        who = "woont" if outside == 1 else "wonen"
        notes.append(f"{plural(outside, 'respondent', 'respondenten')} {who} volgens de eigen "
                     "buurtcode of postcode buiten de gekozen buurten: niet meegeteld per buurt.")
    return Assignment(pd.DataFrame({"buurt_code": buurt, "method": method}), tuple(notes))


# ---------------------------------------------------------------------------- reach

def _counts(respondents: pd.DataFrame, buurt: pd.Series, population: pd.DataFrame,
            min_age: int) -> pd.DataFrame:
    """Respondents per buurt × dimension × category (fractions for split ages), with the
    unknown part as category "onbekend" so batch_coverage counts it as unknown."""
    columns = ["area_code", "dimension", "category", "respondents"]
    placed = (buurt != "").to_numpy()
    if not placed.any():
        return pd.DataFrame(columns=columns)
    resp = respondents[placed]
    index, codes = pd.factorize(buurt[placed])
    parts = []
    for dim, part in population.groupby("dimension", sort=False):
        categories = list(dict.fromkeys(part["category"]))
        fractions, unknown, _ = membership(resp, dim, min_age=min_age, categories=categories)
        values = np.column_stack([fractions.to_numpy(dtype=float), np.asarray(unknown, dtype=float)])
        sums = np.zeros((len(codes), values.shape[1]))
        np.add.at(sums, index, values)
        names = categories + ["onbekend"]
        parts.append(pd.DataFrame({
            "area_code": np.repeat(np.asarray(codes, dtype=object), len(names)),
            "dimension": dim, "category": names * len(codes), "respondents": sums.ravel()}))
    return pd.concat(parts, ignore_index=True)[columns]


def _nested(counts: pd.DataFrame) -> dict[str, dict[str, dict[str, float]]]:
    """The long counts of _counts as area → dimension → category → respondents."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for area, dim, cat, n in zip(counts["area_code"], counts["dimension"], counts["category"],
                                 counts["respondents"]):
        out.setdefault(str(area), {}).setdefault(str(dim), {})[str(cat)] = round(float(n), 6)
    return out


def _uncertain(table: pd.DataFrame) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per buurt the groups below average whose verdict is 'onzeker' (batch_coverage's
    `category_uncertain`: the rule of compute_coverage, so Bereik says 'onzeker' there too)."""
    if table.empty or "category_uncertain" not in table.columns:
        return {}
    rows = table[table["flag"].isin(MISSING_FLAGS) & table["category_uncertain"].astype(bool)]
    out: dict[str, list[tuple[str, str]]] = {}
    for row in rows.itertuples(index=False):
        out.setdefault(str(row.area_code), []).append((str(row.dimension), str(row.category)))
    return {k: tuple(v) for k, v in out.items()}


def _missing(table: pd.DataFrame, counts: Mapping[str, Mapping[str, Mapping[str, float]]] | None = None
             ) -> dict[str, tuple[MissingGroup, ...]]:
    """Per buurt the under-represented groups counted in persons, most missed first. A
    group whose verdict is 'onzeker' (see _uncertain) is not counted as missed: Bereik
    and the plan do not steer on it either."""
    if table.empty:
        return {}
    counts = counts or {}
    rows = table[table["flag"].isin(MISSING_FLAGS)]
    if "category_uncertain" in rows.columns:
        rows = rows[~rows["category_uncertain"].astype(bool)]
    out: dict[str, list[MissingGroup]] = {}
    for row in rows.itertuples(index=False):
        persons = getattr(row, "persons", math.nan)
        if persons is not None and not (isinstance(persons, float) and math.isnan(persons)):
            continue  # still counted in households (income): no residents to name
        residents = max(0.0, float(row.population) * (1.0 - float(row.ratio)))
        n = counts.get(str(row.area_code), {}).get(str(row.dimension), {}).get(str(row.category))
        out.setdefault(str(row.area_code), []).append(MissingGroup(
            dimension=str(row.dimension), category=str(row.category), residents=residents,
            population=float(row.population), ratio=float(row.ratio), label=str(row.label),
            respondents=None if n is None else float(n)))
    return {k: tuple(sorted(v, key=lambda m: -m.residents)) for k, v in out.items()}


def _fallback_note(code: str, name: str, count: int, kwb: KwbPostcodes | None) -> str:
    if not count or kwb is None:
        return ""
    pc = kwb.postcode4.get(code, "?")
    share = coverage_text(kwb.coverage_class.get(code))
    return (f"{plural(count, 'respondent is', 'respondenten zijn')} via postcode {pc} aan {name} gekoppeld: volgens CBS de "
            f"meest voorkomende postcode van deze buurt ({share} van de adressen). Dit is een "
            f"benadering: wie in {pc} woont, kan ook in een andere buurt wonen.")


def compute_areas(respondents: pd.DataFrame, data: BuurtData, *,
                  postcodes: PostcodeTable | None = None,
                  file_areas: Mapping[str, str] | None = None,
                  assignment: Assignment | None = None, k: int = SMALL_K,
                  home: str | None = None) -> AreasResult:
    """Reach per buurt of `data` (see the module docstring). Rows that do not count
    (excluded, under min_age) are removed first, as in compute_coverage. `k`: the finding
    names no groups of a buurt with 1 to k−1 respondents (their JSON keeps the figures).
    `home`: the buurt of a one-buurt project (see assign_buurten)."""
    counting, excluded = eligible_respondents(respondents, data.min_age)
    if assignment is None:
        assignment = assign_buurten(counting, data.buurten, postcodes=postcodes,
                                    kwb=data.postcodes, file_areas=file_areas, home=home)
    else:
        assignment = Assignment(assignment.table.loc[counting.index], assignment.notes)
    buurt = assignment.table["buurt_code"]
    method = assignment.table["method"]
    every = _counts(counting, buurt.where(buurt != "", REST), data.population, data.min_age)
    counts = every[every["area_code"] != REST].reset_index(drop=True)
    nested = _nested(every)
    table = batch_coverage(counts, data.population) if not counts.empty else pd.DataFrame()
    if not table.empty:
        persons = data.population.set_index(["area_code", "dimension", "category"])["persons"]
        keys = pd.MultiIndex.from_frame(table[["area_code", "dimension", "category"]])
        table = table.assign(persons=persons.reindex(keys).to_numpy())
    missing = _missing(table, nested)
    uncertain = _uncertain(table)
    eligible = data.population.drop_duplicates("area_code").set_index("area_code")["eligible_population"]
    per_buurt: dict[str, dict[str, int]] = {}
    for (code, how), count in Counter(zip(buurt.tolist(), method.tolist())).items():
        per_buurt.setdefault(str(code), {})[str(how)] = int(count)
    areas = []
    for code, name in zip(data.rows["code"], data.rows["name"]):
        people = float(eligible.get(code, 0.0) or 0.0)
        by = per_buurt.get(str(code), {})
        n = int(sum(by.values()))
        areas.append(AreaReach(
            code=str(code), name=str(name), eligible_population=people, respondents=n,
            per_100=100.0 * n / people if people > 0 else None, missing=missing.get(str(code), ()),
            uncertain=uncertain.get(str(code), ()),
            assigned_by=by, note=_fallback_note(str(code), str(name), by.get("kwb_postcode", 0),
                                                data.postcodes),
            counts=nested.get(str(code), {}) if n else {}))
    notes = list(data.notes) + list(assignment.notes)
    if postcodes is not None:
        notes += list(postcodes.notes)
    empty = [a for a in areas if a.eligible_population <= 0]
    if empty:
        notes.append(f"{plural(len(empty), 'buurt', 'buurten')} zonder inwoners van {data.min_age} jaar en ouder "
                     f"volgens CBS: {', '.join(a.name for a in empty[:5])}"
                     f"{' …' if len(empty) > 5 else ''}.")
    result = AreasResult(areas=tuple(areas), unknown=int((method == "onbekend").sum()),
                         assumptions=(RESIDENTS_DEFINITION, *data.assumptions),
                         outside=int((method == "buiten").sum()), excluded=excluded,
                         min_age=data.min_age, notes=tuple(notes), source=data.source, k=int(k),
                         rest_counts=nested.get(REST, {}))
    return AreasResult(**{**result.__dict__, "finding": areas_finding(result)})


# --------------------------------------------------------------------------- finding

def rounded(value: float) -> float:
    """The one rounding of a missed-residents estimate ("about N people"): whole below
    100, else to tens. The finding, the table, the map and the group list all use it, so
    the box's "ongeveer 640" and the table's "~640" agree."""
    return float(round(value)) if value < 100 else float(round(value / 10.0) * 10)


def about(value: float) -> str:
    """A missed-residents estimate as Dutch text ('640', '1.230'): `rounded`."""
    return fmt_count(rounded(value))


_about = about  # older name


def finding_group(dimension: str, category: str, min_age: int | None = None) -> str:
    """How the finding names a group: one name with the tables (group_label, as on Bereik).
    The sentence phrase when it carries that name ('mensen van 25 tot 45 jaar' for '25 tot
    45 jaar'); else the name itself ("inwoners uit de groep 'Huur bij andere verhuurder'"),
    never a second name such as 'particuliere verhuurder'."""
    name = group_label(category, min_age, dimension)
    phrase = group_phrase(dimension, category, min_age=min_age)
    return phrase if name.lower() in phrase.lower() else f"inwoners uit de groep '{name}'"


def group_totals(result: AreasResult) -> pd.DataFrame:
    """Missed residents per group over all buurten, most first (dimension, category,
    residents, buurten)."""
    totals: dict[tuple[str, str], list[float]] = {}
    for area in result.areas:
        for m in area.missing:
            entry = totals.setdefault((m.dimension, m.category), [0.0, 0])
            entry[0] += m.residents
            entry[1] += 1
    rows = sorted(((d, c, r, n) for (d, c), (r, n) in totals.items()), key=lambda row: -row[2])
    return pd.DataFrame(rows, columns=["dimension", "category", "residents", "buurten"])


def where_missed(result: AreasResult, dimension: str, category: str) -> pd.DataFrame:
    """Per buurt the missed residents of one group (code, name, residents), most first."""
    rows = [(a.code, a.name, m.residents) for a in result.areas for m in a.missing
            if m.dimension == dimension and m.category == category]
    rows.sort(key=lambda row: -row[2])
    return pd.DataFrame(rows, columns=["code", "name", "residents"])


def areas_finding(result: AreasResult) -> tuple[str, ...]:
    """Plain Dutch (B1): where most of the residents we miss live, per group, and where
    nobody was heard yet. "De meeste jongeren van 15 tot 25 jaar die we missen wonen in
    Oosterpoort en Binnenstad-Zuid (samen ongeveer 640 van de 900)."

    Per group the fewest buurten that together hold at least half of its missed residents
    (at most three) are named."""
    sentences = []
    small = [a for a in result.areas if 0 < a.respondents < result.k]
    small_codes = {a.code for a in small}
    shown = AreasResult(areas=tuple(a for a in result.areas if a.code not in small_codes))
    totals = group_totals(shown)
    for row in totals.head(FINDING_GROUPS).itertuples(index=False):
        if row.residents < FINDING_MIN:
            continue
        where = where_missed(shown, row.dimension, row.category)
        cumulative = where["residents"].cumsum().to_numpy()
        take = int(np.searchsorted(cumulative, row.residents / 2.0) + 1)
        chosen = where.head(min(take, 3))
        names = join_phrases([str(n) for n in chosen["name"]])
        part = float(chosen["residents"].sum())
        amount = (f"ongeveer {_about(part)} van de {_about(row.residents)}"
                  if len(where) > len(chosen) else f"ongeveer {_about(row.residents)}")
        together = "samen " if len(chosen) > 1 else ""
        sentences.append(f"De meeste {finding_group(row.dimension, row.category, result.min_age)} die we missen wonen in {names} "
                         f"({together}{amount}).")
    silent = [a.name for a in result.areas if a.respondents == 0 and a.eligible_population > 0
              and not a.suppressed]  # a hidden zero (a complement) is not named
    if silent:
        more = f" en nog {len(silent) - 5} andere buurten" if len(silent) > 5 else ""
        names = join_phrases(silent[:5]) if not more else ", ".join(silent[:5]) + more
        sentences.append(f"In {names} hebben we nog niemand gesproken.")
    if small:
        sentences.append(f"In {plural(len(small), 'buurt', 'buurten')} spraken we 1 tot {result.k - 1} mensen; daar "
                         "noemen we geen groepen, zodat niemand te herkennen is.")
    if not sentences:
        heard = [a for a in result.areas if a.respondents > 0]
        sentences.append("In geen enkele buurt missen we een groep duidelijk." if heard else
                         "We hebben nog niemand aan een buurt kunnen koppelen.")
    if result.unknown:
        sentences.append(f"{plural(result.unknown, 'respondent', 'respondenten')} konden we niet aan een buurt koppelen "
                         "(buurt onbekend).")
    return tuple(sentences)


def ranked_areas(result: AreasResult) -> list[AreaReach]:
    """The buurten lowest reach first, buurten without inhabitants last. A buurt whose count
    is hidden (a protected result) comes after the shown ones, by name: its place among
    them would bound its reach, and so its count, between its neighbours'."""
    return sorted(result.areas, key=lambda a: (bool(a.suppressed), a.per_100 is None,
                                               0.0 if a.suppressed else a.per_100 or 0.0, a.name))


def describe_areas(result: AreasResult) -> str:
    """Dutch lines for the CLI: the finding, then one line per buurt (lowest reach first)."""
    lines = list(result.finding)
    lines.append("")
    for a in ranked_areas(result):
        per = "geen inwoners" if a.per_100 is None else \
            f"{a.per_100:.1f} per 100 inwoners".replace(".", ",")
        count = f"{a.respondents} respondenten, {per}"
        if a.suppressed:  # a protected result: neither the count nor the reach that gives it
            count = f"minder dan {result.k} respondenten" if a.suppressed == "primary" else \
                "aantal respondenten verborgen (anders is een kleine buurt terug te rekenen)"
        named = [(m, group_label(m.category, result.min_age, m.dimension)) for m in a.missing[:3]]
        groups = ", ".join([f"{name} (~{about(m.residents)})" for m, name in named]
                           + [f"{group_label(m.category, result.min_age, m.dimension)} (aantal niet getoond)"
                              for m in a.withheld]
                           + [f"{group_label(c, result.min_age, d)} (onzeker)" for d, c in a.uncertain])
        if 0 < a.respondents < result.k or a.suppressed == "primary":
            groups = ""  # as in the finding: no groups of a buurt with so few respondents
        lines.append(f"{a.name} ({a.code}): {count}" + (f"; gemist: {groups}" if groups else ""))
    if result.unknown or result.outside:
        lines.append(f"Buurt onbekend: {result.unknown}; buiten de gekozen buurten: {result.outside}.")
    lines.extend(f"Let op: {n}" for n in result.notes)
    lines.append("Zo is gerekend: " + RESIDENTS_DEFINITION)
    lines.append(f"{result.source} (CC BY 4.0)")
    return "\n".join(lines)
