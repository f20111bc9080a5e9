"""Which CBS column holds which reference figure, for every KWB year and file layout.

CBS renumbers the OData keys every year (`Koopwoningen_40` in 2022 is `Koopwoningen_47`
in 2024) and repeats titles under different groups (`Nederland` is both "herkomstland"
and "geboren in Nederland"). So a figure is found by (parent group title, title) in the
table's DataProperties, or, for a CSV without metadata, by the key stem in table order.
The Excel download has stable short names (`a_inw`, `p_koopw`) and gets its own map.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

# Internal field names. "x:y" are counts of category y of dimension x; "x%:y" are
# percentages that still need a base (dwellings, households or inhabitants).
REGION_FIELDS = ("code", "kind", "gemeente")

# field → ((parent group title, title), …) as in DataProperties; titles compared
# after `_norm` (lower case, single spaces, no accents).
PROPERTY_SPEC: dict[str, tuple[tuple[str, str], ...]] = {
    "code": (("Regioaanduiding", "Codering"),),
    "kind": (("Regioaanduiding", "Soort regio"),),
    "gemeente": (("Regioaanduiding", "Gemeentenaam"),),
    "population": (("Bevolking", "Aantal inwoners"),),
    "gender:man": (("Geslacht", "Mannen"),),
    "gender:vrouw": (("Geslacht", "Vrouwen"),),
    "age:0-15": (("Leeftijdsgroepen", "0 tot 15 jaar"),),
    "age:15-25": (("Leeftijdsgroepen", "15 tot 25 jaar"),),
    "age:25-45": (("Leeftijdsgroepen", "25 tot 45 jaar"),),
    "age:45-65": (("Leeftijdsgroepen", "45 tot 65 jaar"),),
    "age:65+": (("Leeftijdsgroepen", "65 jaar of ouder"),),
    "origin:nederland": (("Herkomstland", "Nederland"),),
    "origin:europa": (("Herkomstland", "Europa (exclusief Nederland)"),),
    "origin:buiten_europa": (("Herkomstland", "Buiten Europa"),),
    "origin_old:westers": (("Personen met een migratieachtergrond", "Westers totaal"),),
    "origin_old:niet_westers": (("Niet-westers", "Niet-westers totaal"),),
    "households": (("Particuliere huishoudens", "Huishoudens totaal"),),
    "household:eenpersoons": (("Particuliere huishoudens", "Eenpersoonshuishoudens"),),
    "household:paar_zonder_kinderen": (("Particuliere huishoudens", "Huishoudens zonder kinderen"),),
    "household:met_kinderen": (("Particuliere huishoudens", "Huishoudens met kinderen"),),
    "household_size": (("Particuliere huishoudens", "Gemiddelde huishoudensgrootte"),),
    "dwellings": (("Wonen en vastgoed", "Woningvoorraad"), ("Wonen", "Woningvoorraad")),
    "tenure%:koop": (("Woningen naar eigendom", "Koopwoningen"),),
    "tenure%:huur": (("Huurwoningen", "Huurwoningen totaal"),),
    "tenure%:huur_corporatie": (("Huurwoningen", "In bezit woningcorporatie"),),
    "tenure%:huur_overig": (("Huurwoningen", "In bezit overige verhuurders"),),
    "income%:laag_40": (("Inkomen van huishoudens", "40% huishoudens met laagste inkomen"),),
    "income%:hoog_20": (("Inkomen van huishoudens", "20% huishoudens met hoogste inkomen"),),
}

# field → key stems (the key without its `_<n>` suffix); the first one in table order wins.
STEM_SPEC: dict[str, tuple[str, ...]] = {
    "code": ("Codering",), "kind": ("SoortRegio",), "gemeente": ("Gemeentenaam",),
    "population": ("AantalInwoners",),
    "gender:man": ("Mannen",), "gender:vrouw": ("Vrouwen",),
    "age:0-15": ("k_0Tot15Jaar",), "age:15-25": ("k_15Tot25Jaar",),
    "age:25-45": ("k_25Tot45Jaar",), "age:45-65": ("k_45Tot65Jaar",),
    "age:65+": ("k_65JaarOfOuder",),
    "origin:nederland": ("Nederland",), "origin:europa": ("EuropaExclusiefNederland",),
    "origin:buiten_europa": ("BuitenEuropa",),
    "origin_old:westers": ("WestersTotaal",), "origin_old:niet_westers": ("NietWestersTotaal",),
    "households": ("HuishoudensTotaal",),
    "household:eenpersoons": ("Eenpersoonshuishoudens",),
    "household:paar_zonder_kinderen": ("HuishoudensZonderKinderen",),
    "household:met_kinderen": ("HuishoudensMetKinderen",),
    "household_size": ("GemiddeldeHuishoudensgrootte",),
    "dwellings": ("Woningvoorraad",),
    "tenure%:koop": ("Koopwoningen",), "tenure%:huur": ("HuurwoningenTotaal",),
    "tenure%:huur_corporatie": ("InBezitWoningcorporatie",),
    "tenure%:huur_overig": ("InBezitOverigeVerhuurders",),
    "income%:laag_40": ("k_40HuishoudensMetLaagsteInkomen",),
    "income%:hoog_20": ("k_20HuishoudensMetHoogsteInkomen",),
}

# The kwb-20xx.xlsx download: field → column names (newest first). Older files give
# age and migration background as percentages of inhabitants.
EXCEL_SPEC: dict[str, tuple[str, ...]] = {
    "code": ("gwb_code_10", "gwb_code"), "kind": ("recs",), "gemeente": ("gm_naam",),
    "name": ("regio",),
    "population": ("a_inw",), "gender:man": ("a_man",), "gender:vrouw": ("a_vrouw",),
    "age:0-15": ("a_00_14",), "age:15-25": ("a_15_24",), "age:25-45": ("a_25_44",),
    "age:45-65": ("a_45_64",), "age:65+": ("a_65_oo",),
    "age%:0-15": ("p_00_14_jr",), "age%:15-25": ("p_15_24_jr",),
    "age%:25-45": ("p_25_44_jr",), "age%:45-65": ("p_45_64_jr",), "age%:65+": ("p_65_eo_jr",),
    "origin:nederland": ("a_nl_all",), "origin:europa": ("a_eur_al",),
    "origin:buiten_europa": ("a_neu_al",),
    "origin_old:westers": ("a_w_all",), "origin_old:niet_westers": ("a_nw_all",),
    "origin_old%:westers": ("p_west_al",), "origin_old%:niet_westers": ("p_n_w_al",),
    "households": ("a_hh",), "household:eenpersoons": ("a_1p_hh",),
    "household:paar_zonder_kinderen": ("a_hh_z_k",), "household:met_kinderen": ("a_hh_m_k",),
    "household_size": ("g_hhgro",), "dwellings": ("a_woning",),
    "tenure%:koop": ("p_koopw",), "tenure%:huur": ("p_huurw",),
    "tenure%:huur_corporatie": ("p_wcorpw",), "tenure%:huur_overig": ("p_ov_hw",),
    "income%:laag_40": ("p_hh_li",), "income%:hoog_20": ("p_hh_hi",),
}

_SUFFIX = re.compile(r"_(\d+)$")


def _norm(text: Any) -> str:
    """Compare titles without case, accents or stray spaces (CBS pads some titles)."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def resolve_properties(properties: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Map our field names to this table's keys using (parent group title, title).

    Falls back to the title alone only when that title occurs once in the table.
    """
    rows = [dict(p) for p in properties]
    by_id = {_as_int(p.get("ID")): p for p in rows}
    topics = [p for p in rows if str(p.get("Type", "")).startswith("Topic") and p.get("Key")
              and str(p.get("Type")) != "TopicGroup"]
    index: dict[tuple[str, str], str] = {}
    title_count: dict[str, list[str]] = {}
    for topic in topics:
        parent = by_id.get(_as_int(topic.get("ParentID")))
        parent_title = _norm(parent.get("Title")) if parent else ""
        title = _norm(topic.get("Title"))
        index.setdefault((parent_title, title), str(topic["Key"]))
        title_count.setdefault(title, []).append(str(topic["Key"]))
    found: dict[str, str] = {}
    for field, candidates in PROPERTY_SPEC.items():
        for parent_title, title in candidates:
            key = index.get((_norm(parent_title), _norm(title)))
            if key:
                found[field] = key
                break
        else:
            keys = title_count.get(_norm(candidates[0][1]), [])
            if len(keys) == 1:
                found[field] = keys[0]
    return found


def resolve_stems(columns: Iterable[str]) -> dict[str, str]:
    """Map our field names to keys of an OData CSV header that came without metadata.

    Keys are CBS titles in CamelCase plus a running number, and the "herkomstland"
    group comes before "geboren in Nederland", so the lowest number of a stem wins.
    """
    best: dict[str, tuple[int, str]] = {}
    for column in columns:
        match = _SUFFIX.search(str(column))
        if not match:
            continue
        stem, number = str(column)[: match.start()], int(match.group(1))
        if stem not in best or number < best[stem][0]:
            best[stem] = (number, str(column))
    found: dict[str, str] = {}
    for field, stems in STEM_SPEC.items():
        for stem in stems:
            if stem in best:
                found[field] = best[stem][1]
                break
    return found


def resolve_excel(columns: Iterable[str]) -> dict[str, str]:
    """Map our field names to the short column names of a kwb-20xx.xlsx download."""
    present = {str(c).strip().lower(): str(c) for c in columns}
    found: dict[str, str] = {}
    for field, names in EXCEL_SPEC.items():
        for name in names:
            if name in present:
                found[field] = present[name]
                break
    return found


@lru_cache(maxsize=1)
def kwb_tables() -> dict[int, str]:
    """KWB table id per reference year (engagement/data/kwb_tables.csv)."""
    with open(DATA_DIR / "kwb_tables.csv", encoding="utf-8", newline="") as handle:
        return {int(row["year"]): row["table_id"] for row in csv.DictReader(handle)}


def table_year(table_id: str) -> int | None:
    """The reference year of a KWB table id, or None when it is not a KWB table."""
    for year, known in kwb_tables().items():
        if known.upper() == table_id.upper():
            return year
    return None


def _as_int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None
