"""A reference table the team made itself (BRP figures, a target group, …).

Long format, one row per count: `dimension, category, count` (Dutch headers
`dimensie, categorie, aantal` also work). Ages may be single years ("18", "100+") or
bands ("18-29" counts 18 up to and including 29; "15 tot 25"; the CBS codes "15-25");
they are spread over the CBS bands with uniform ages inside a band, and `min_age` is
applied the same way as for CBS figures.
"""
from __future__ import annotations

import io
import math
import re
import unicodedata
from dataclasses import replace
from pathlib import PurePath

import numpy as np
import pandas as pd

from reference.build import (
    AGE_DEPENDENT,
    DUTCH,
    OPEN_AGE_LIMIT,
    PERSON_DIMENSIONS,
    UNITS,
    ReferenceDataError,
    check_min_age,
    fmt,
)
from reference.margins import household_shifts, joint_margins
from reference.model import BuurtReference
from surveys.categories import AGE_BANDS, DIMENSION_LABELS, DIMENSIONS, LABELS

HEADERS = {
    "dimension": ("dimension", "dimensie", "kenmerk"),
    "category": ("category", "categorie", "groep", "waarde"),
    "count": ("count", "aantal", "n", "bevolking", "population"),
}
DIMENSION_NAMES = {
    "age": ("age", "leeftijd", "leeftijdsgroep", "leeftijden"),
    "gender": ("gender", "geslacht"),
    "household": ("household", "huishouden", "huishoudens", "huishoudtype", "samenstelling huishouden"),
    "tenure": ("tenure", "woning", "eigendom", "woonsituatie", "koop huur", "koop/huur"),
    "origin": ("origin", "herkomst", "herkomstland"),
}
SYNONYMS = {
    "gender": {"m": "man", "mannen": "man", "v": "vrouw", "vrouwen": "vrouw", "x": "anders",
               "overig": "anders", "non binair": "anders"},
    "household": {"alleenstaand": "eenpersoons", "eenpersoonshuishouden": "eenpersoons",
                  "eenpersoonshuishoudens": "eenpersoons", "zonder kinderen": "paar_zonder_kinderen",
                  "paar zonder kinderen": "paar_zonder_kinderen",
                  "huishoudens zonder kinderen": "paar_zonder_kinderen",
                  "met kinderen": "met_kinderen", "paar met kinderen": "met_kinderen",
                  "huishoudens met kinderen": "met_kinderen", "eenoudergezin": "met_kinderen",
                  "eenouderhuishouden": "met_kinderen"},
    "tenure": {"koopwoning": "koop", "koopwoningen": "koop", "eigen woning": "koop",
               "corporatie": "huur_corporatie", "sociale huur": "huur_corporatie",
               "huur corporatie": "huur_corporatie", "woningcorporatie": "huur_corporatie",
               "particuliere huur": "huur_overig", "huur overig": "huur_overig",
               "overige verhuurder": "huur_overig", "overige verhuurders": "huur_overig"},
    "origin": {"europa": "europa", "europa exclusief nederland": "europa",
               "buiten europa": "buiten_europa", "nl": "nederland"},
}


def _fold(text: object) -> str:
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[_()/,]", " ", text).split())


def _read(data: bytes, file_name: str) -> pd.DataFrame:
    suffix = PurePath(file_name).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            return pd.read_excel(io.BytesIO(data), dtype=str, engine="calamine")
        text = data.decode("utf-8-sig") if data[:3] == b"\xef\xbb\xbf" else _decode(data)
        first = text.split("\n", 1)[0]
        sep = max((";", ",", "\t"), key=first.count)
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except Exception as error:  # the reader's own (English) text stays out: one Dutch line
        why = "het is leeg" if not data.strip() else "het is geen tabel met een kopregel"
        raise ReferenceDataError(f"Bestand '{file_name}' kan niet gelezen worden als tabel (CSV of "
                                 f"Excel): {why}. Sla het op als CSV (met ; of ,) of als Excel-bestand, "
                                 "met de kolomnamen in de eerste regel.") from error


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _column(frame: pd.DataFrame, role: str, file_name: str) -> str:
    for column in frame.columns:
        if _fold(column) in HEADERS[role]:
            return column
    raise ReferenceDataError(f"Bestand '{file_name}' mist de kolom '{HEADERS[role][1]}' "
                             f"({'/'.join(HEADERS[role])}). Gevonden kolommen: "
                             f"{', '.join(map(str, frame.columns))}. Verwacht: dimensie, categorie, aantal.")


def _dimension(text: str, where: str) -> str:
    folded = _fold(text)
    for dim, names in DIMENSION_NAMES.items():
        if folded in names:
            return dim
    raise ReferenceDataError(f"{where}: onbekende dimensie '{text}'. Kies uit leeftijd, geslacht, "
                             "huishouden, woning of herkomst.")


def _category(dim: str, text: str, where: str) -> str:
    folded = _fold(text)
    for code in DIMENSIONS[dim]:
        if folded in (_fold(code), _fold(LABELS.get(code, code))):
            return code
    if folded in SYNONYMS.get(dim, {}):
        return SYNONYMS[dim][folded]
    allowed = ", ".join(DIMENSIONS[dim])
    raise ReferenceDataError(f"{where}: categorie '{text}' past bij geen groep van "
                             f"'{DIMENSION_LABELS.get(dim, dim).lower()}'. "
                             f"Gebruik een van: {allowed}.")


def age_interval(text: str, where: str) -> tuple[float, float | None]:
    """'18' → [18, 19); '18-29' → [18, 30); '15 tot 25' → [15, 25); '65+' → [65, open).

    One band parser for the whole product (surveys.age_bands), so a custom table reads
    '<25' or '18 to 29' exactly as an import does."""
    from surveys.age_bands import parse_band

    raw = str(text).strip()
    if raw in AGE_BANDS:
        return AGE_BANDS[raw]
    band = parse_band(raw, single_year=True)
    if band is None:
        raise ReferenceDataError(f"{where}: leeftijd '{text}' is geen leeftijd of leeftijdsgroep "
                                 "(bijv. 18, 18-29, 65+).")
    return band.low, (None if math.isinf(band.high) else band.high)


def spread_ages(rows: list[tuple[float, float | None, float]], min_age: int
                ) -> tuple[dict[str, float], set[str], float]:
    """Counts per age interval → CBS bands, keeping only ages >= min_age (uniform inside)."""
    out = dict.fromkeys(AGE_BANDS, 0.0)
    estimated: set[str] = set()
    total = 0.0
    for low, high, count in rows:
        total += count
        top = high if high is not None else max(OPEN_AGE_LIMIT, low + 1)
        width = top - low
        for band, (band_low, band_high) in AGE_BANDS.items():
            band_top = band_high if band_high is not None else math.inf
            start, end = max(low, band_low, min_age), min(top, band_top)
            if end <= start:
                continue
            part = (end - start) / width
            out[band] += count * part
            if part < 1 - 1e-12:
                estimated.add(f"age:{band}")
    kept = {b: v for b, v in out.items() if v > 0}  # bands the table does not cover are left out
    return kept, {e for e in estimated if e.split(":")[1] in kept}, total


def read_custom_reference(data: bytes, file_name: str, *, min_age: int = 18) -> BuurtReference:
    """Parse a long-format reference table into a BuurtReference."""
    check_min_age(min_age)
    frame = _read(data, file_name)
    frame.columns = [str(c).strip() for c in frame.columns]
    dim_col, cat_col, count_col = (_column(frame, r, file_name) for r in HEADERS)
    counts: dict[str, dict[str, float]] = {}
    ages: list[tuple[float, float | None, float]] = []
    notes: list[str] = []
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        values = dict(zip(frame.columns, row))
        where = f"Bestand '{file_name}', rij {number}"
        if not str(values[dim_col]).strip() and not str(values[cat_col]).strip():
            continue
        dim = _dimension(values[dim_col], where)
        text = str(values[count_col]).strip().replace(" ", "")
        if text in ("", ".", "x", "-"):
            notes.append(f"Rij {number}: geen aantal voor '{values[cat_col]}' (onbekend).")
            continue
        try:
            dutch = "," in text or re.fullmatch(r"\d{1,3}(\.\d{3})+", text)
            count = float(text.replace(".", "").replace(",", ".") if dutch else text)
        except ValueError:
            raise ReferenceDataError(f"{where}, kolom '{count_col}': '{values[count_col]}' is geen "
                                     "getal.") from None
        if count < 0 or math.isnan(count):
            raise ReferenceDataError(f"{where}, kolom '{count_col}': een aantal kan niet negatief "
                                     f"zijn ({values[count_col]}).")
        if dim == "age":
            low, high = age_interval(values[cat_col], where)
            ages.append((low, high, count))
        else:
            category = _category(dim, values[cat_col], where)
            counts.setdefault(dim, {})
            counts[dim][category] = counts[dim].get(category, 0.0) + count
    return _assemble(counts, ages, int(min_age), file_name, notes)


def read_joint_table(data: bytes, file_name: str, *, min_age: int = 18) -> tuple[str, str, pd.DataFrame]:
    """A table with the combinations of two kenmerken, e.g. from the gemeente's BRP figures.

    Long format: one column per kenmerk (its header names it: leeftijd, geslacht,
    huishouden, woning, herkomst) and `aantal`. Ages may be single years or bands; they
    are spread over the CBS bands with uniform ages and cut at `min_age`, as in
    `read_custom_reference`. Returns (row dimension, column dimension, counts with the
    row categories as index): the seed for `engagement.cells.two_way_cells`.
    """
    frame = _read(data, file_name)
    frame.columns = [str(c).strip() for c in frame.columns]
    count_col = _column(frame, "count", file_name)
    dims = []
    for column in frame.columns:
        if column == count_col:
            continue
        try:
            dims.append((_dimension(column, f"Bestand '{file_name}'"), column))
        except ReferenceDataError:
            continue
    if len(dims) != 2:
        raise ReferenceDataError(f"Bestand '{file_name}' moet precies twee kenmerken hebben (bijv. "
                                 "kolommen leeftijd, huishouden, aantal); gevonden: "
                                 f"{', '.join(map(str, frame.columns))}.")
    (row_dim, row_col), (col_dim, col_col) = dims
    cells: dict[tuple[str, str], float] = {}
    for number, values in enumerate(frame.to_dict("records"), start=2):
        where = f"Bestand '{file_name}', rij {number}"
        text = str(values[count_col]).strip().replace(" ", "")
        if text in ("", ".", "x", "-"):
            continue
        try:
            count = float(text.replace(",", "."))
        except ValueError:
            raise ReferenceDataError(f"{where}, kolom '{count_col}': '{values[count_col]}' is geen "
                                     "getal.") from None
        if count < 0:
            raise ReferenceDataError(f"{where}, kolom '{count_col}': een aantal kan niet negatief zijn.")
        parts = []
        for dim, column in ((row_dim, row_col), (col_dim, col_col)):
            if dim == "age":
                low, high = age_interval(values[column], where)
                spread, _, _ = spread_ages([(low, high, 1.0)], min_age)
                parts.append(spread)
            else:
                parts.append({_category(dim, values[column], where): 1.0})
        for row_cat, row_part in parts[0].items():
            for col_cat, col_part in parts[1].items():
                key = (row_cat, col_cat)
                cells[key] = cells.get(key, 0.0) + count * row_part * col_part
    if not cells:
        raise ReferenceDataError(f"Bestand '{file_name}' bevat geen aantallen.")
    table = pd.Series(cells).unstack(fill_value=0.0)
    return row_dim, col_dim, table


IPF_ROUNDS = 500
# kenmerken an age × group table can split by age; household: where the young live
JOINT_DIMENSIONS = (*AGE_DEPENDENT, "household")
HOUSEHOLD_OF_THE_YOUNG = "met_kinderen"


def _fit(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Iterative proportional fitting: the seed's odds ratios, these row and column totals."""
    table = seed.astype(float).copy()
    for _ in range(IPF_ROUNDS):
        table *= np.divide(rows, table.sum(axis=1), out=np.zeros_like(rows),
                           where=table.sum(axis=1) > 0)[:, None]
        table *= np.divide(cols, table.sum(axis=0), out=np.zeros_like(cols),
                           where=table.sum(axis=0) > 0)[None, :]
    return table


def apply_joint_table(reference: BuurtReference, data: bytes, file_name: str) -> BuurtReference:
    """The eligible share of origin, tenure or household from an age × group table (e.g. the gemeente's).

    KWB gives origin and tenure for all ages only, so the reference takes the same share
    for the persons of min_age and older and carries a wide margin for the unknown share
    of the young (reference.build.group_margins). Household persons are derived from
    household counts with all the young in households with children; a table says where
    the young really live (a 17-year-old living alone or with a partner). With a table of the combinations of age
    and that group, from a larger area such as the gemeente (CBS StatLine or the BRP),
    the buurt's own figures are kept and only the link between age and group is borrowed:
    the table is fitted (IPF) to the buurt's persons under min_age, its age bands from
    min_age, and its all-ages count per group; the rows from min_age give the eligible
    persons per group. This is structure-preserving estimation (SPREE): it assumes the
    buurt has the table's odds ratios between age and group, a stated assumption in place
    of the margin, which drops to CBS rounding only.
    """
    _, _, whole = read_joint_table(data, file_name, min_age=0)
    row_dim, col_dim, eligible_part = read_joint_table(data, file_name, min_age=reference.min_age)
    if row_dim != "age":
        whole, eligible_part = whole.T, eligible_part.T
        row_dim, col_dim = col_dim, row_dim
    if row_dim != "age" or col_dim not in JOINT_DIMENSIONS:
        raise ReferenceDataError(f"Bestand '{file_name}' moet leeftijd combineren met herkomst, "
                                 "woning of huishouden (kolommen bijv. leeftijd, herkomst, aantal).")
    if col_dim not in reference.dimensions or "age" not in reference.dimensions:
        raise ReferenceDataError(f"Bestand '{file_name}': de buurtcijfers hebben geen leeftijd of geen "
                                 f"{DUTCH[col_dim].split(' (')[0].lower()}, dus er valt niets te verdelen.")
    ages = reference.dimensions["age"]
    groups = reference.dimensions[col_dim]
    missing = [c for c in groups if groups[c] > 0 and c not in whole.columns]
    if missing:
        raise ReferenceDataError(f"Bestand '{file_name}' mist de {'groep' if len(missing) == 1 else 'groepen'} "
                                 f"{', '.join(missing)} die "
                                 "de buurt wel heeft.")
    bands = [b for b in ages if ages[b] > 0]
    absent = [b for b in bands if b not in eligible_part.index]
    if absent:
        raise ReferenceDataError(f"Bestand '{file_name}' mist "
                                 f"{'leeftijdsgroep' if len(absent) == 1 else 'leeftijdsgroepen'} "
                                 f"{', '.join(absent)}.")
    cats = list(groups)
    whole = whole.reindex(columns=cats, fill_value=0.0)
    eligible_part = eligible_part.reindex(index=bands, columns=cats, fill_value=0.0)
    young_seed = np.clip(whole.to_numpy().sum(axis=0) - eligible_part.to_numpy().sum(axis=0), 0.0, None)
    seed = np.vstack([young_seed, eligible_part.to_numpy()])
    eligible = float(sum(ages[b] for b in bands))
    age_rows = np.array([float(ages[b]) for b in bands])
    all_ages = np.array([groups[c] for c in cats], dtype=float)
    if col_dim == "household" and HOUSEHOLD_OF_THE_YOUNG in cats:
        # The reference removed the young from households with children only, by its own
        # estimate of the children (reference.build.household_persons; in a student buurt
        # not the uniform split of the age bands), so take the young from its own total.
        persons = float(all_ages.sum())
        young = max(0.0, float(reference.population or persons) - persons)
        all_ages[cats.index(HOUSEHOLD_OF_THE_YOUNG)] += young
        age_rows = age_rows * persons / eligible
    else:
        young = max(0.0, float(reference.population or eligible) - eligible)
    shares = all_ages / all_ages.sum()
    rows = np.concatenate([[young], age_rows])
    fitted = _fit(seed, rows, shares * rows.sum())
    adults = fitted[1:].sum(axis=0)
    if adults.sum() <= 0:
        raise ReferenceDataError(f"Bestand '{file_name}' heeft geen inwoners van "
                                 f"{reference.min_age} jaar of ouder in deze groepen.")
    total = float(sum(groups.values()))
    counts = {c: round(float(v) * total / adults.sum(), 6) for c, v in zip(cats, adults)}
    margins = dict(reference.margins)
    young_fitted = {c: float(v) * total / adults.sum() for c, v in zip(cats, fitted[0])}
    margins[col_dim] = {k: round(float(v), 6) for k, v in
                        joint_margins(col_dim, counts, young_fitted, max(1, len(reference.areas))).items()}
    shifts = {d: dict(c) for d, c in reference.margin_shift.items() if d != col_dim}
    if col_dim == "household":
        shifts[col_dim] = {k: round(float(v), 6) for k, v in household_shifts(counts).items()}
    name = DUTCH[col_dim].split(" (")[0].lower()
    assumption = (f"{name.capitalize()} van de inwoners van {reference.min_age} jaar en ouder: de "
                  f"verhouding tussen leeftijd en {name} komt uit '{PurePath(file_name).name}'. We "
                  "nemen aan dat die verhouding in de buurt hetzelfde is; de aantallen per leeftijd "
                  "en per groep zijn van de buurt zelf. " + (
                      f"We nemen dan niet meer aan dat alle inwoners jonger dan {reference.min_age} "
                      "jaar in een huishouden met kinderen wonen." if col_dim == "household" else
                      f"Wat hierboven staat over de jongere inwoners (we weten niet hoe zij "
                      f"verdeeld zijn, dus een marge) geldt daarom niet meer voor {name}: die "
                      "verdeling komt nu uit de tabel."))
    return replace(reference, dimensions={**reference.dimensions, col_dim: counts},
                   margins=margins, margin_shift=shifts,
                   assumptions=tuple(reference.assumptions) + (assumption,),
                   notes=tuple(reference.notes) + (f"{name.capitalize()}: verdeeld naar leeftijd met "
                                                   f"'{PurePath(file_name).name}'.",))


def _assemble(counts: dict[str, dict[str, float]], ages: list, min_age: int, file_name: str,
              notes: list[str]) -> BuurtReference:
    dimensions: dict[str, dict[str, float]] = {}
    estimated: set[str] = set()
    population: float | None = None
    eligible: float | None = None
    if ages:
        age, estimated, population = spread_ages(ages, min_age)
        eligible = sum(age.values())
        if eligible <= 0:
            raise ReferenceDataError(f"Bestand '{file_name}': niemand van {min_age} jaar of ouder "
                                     "in de tabel. Kies een lagere minimumleeftijd.")
        dimensions["age"] = age
    for dim in DIMENSIONS:
        if dim in counts:
            dimensions[dim] = {c: counts[dim][c] for c in DIMENSIONS[dim] if c in counts[dim]}
    if population is None:
        person = [sum(dimensions[d].values()) for d in PERSON_DIMENSIONS if d in dimensions]
        population = eligible = person[0] if person else None
    if not dimensions or not population:
        raise ReferenceDataError(f"Bestand '{file_name}' bevat geen aantallen groter dan 0.")
    assert eligible is not None  # set together with population above
    share = eligible / population
    if ages and share < 1:
        for dim in PERSON_DIMENSIONS:
            if dim in dimensions:
                dimensions[dim] = {k: v * share for k, v in dimensions[dim].items()}
                estimated |= {f"{dim}:{k}" for k in dimensions[dim]}
        notes.append(f"Alleen {min_age} jaar en ouder: {fmt(eligible)} van {fmt(population)}. "
                     "Geslacht en herkomst zijn met hetzelfde aandeel verkleind (geschat).")
    assumptions = []
    if {"household", "tenure"} & set(dimensions):
        assumptions.append("De eigen tabel telt personen per huishouden en woning; we gebruiken "
                           "die aantallen zoals ze zijn (geen omrekening van huishoudens of "
                           "woningen naar personen).")
    if ages and share < 1:
        assumptions.append("Binnen een leeftijdsgroep van de tabel komen alle leeftijden even vaak "
                           f"voor; zo halen we de mensen jonger dan {min_age} eruit.")
    return BuurtReference(
        areas=(), year=None, table="eigen referentie", population=population,
        eligible_population=eligible, min_age=min_age,
        dimensions={d: {k: round(v, 6) for k, v in c.items()} for d, c in dimensions.items()},
        estimated=tuple(sorted(estimated)), notes=tuple(notes),
        source=f"Bron: eigen referentietabel ({PurePath(file_name).name})",
        units={d: UNITS[d] for d in dimensions}, assumptions=tuple(assumptions))
