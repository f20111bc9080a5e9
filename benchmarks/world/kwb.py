"""The published figures of one KWB buurt, read straight from the CBS OData CSV.

Read here with plain pandas (not with reference.load) so the world does not share
the project's own reading of the file: a mistake there must show up as a difference.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
KWB_CSV = ROOT.parent / "shared" / "data" / "cbs" / "kwb2024_85984NED_odata_first10000rows.csv"

AGE_COLUMNS = {"0-15": "k_0Tot15Jaar_8", "15-25": "k_15Tot25Jaar_9", "25-45": "k_25Tot45Jaar_10",
               "45-65": "k_45Tot65Jaar_11", "65+": "k_65JaarOfOuder_12"}
SEX_COLUMNS = {"man": "Mannen_6", "vrouw": "Vrouwen_7"}
ORIGIN_COLUMNS = {"nederland": "Nederland_17", "europa": "EuropaExclusiefNederland_18",
                  "buiten_europa": "BuitenEuropa_19"}
HOUSEHOLD_COLUMNS = {"eenpersoons": "Eenpersoonshuishoudens_30",
                     "paar_zonder_kinderen": "HuishoudensZonderKinderen_31",
                     "met_kinderen": "HuishoudensMetKinderen_32"}
TENURE_COLUMNS = {"koop": "Koopwoningen_47", "huur_corporatie": "InBezitWoningcorporatie_49",
                  "huur_overig": "InBezitOverigeVerhuurders_50"}


@dataclass(frozen=True)
class BuurtFigures:
    """One buurt's published marginals (counts of persons; households as households;
    tenure as % of dwellings)."""

    code: str
    name: str
    gemeente: str
    population: int
    age: dict[str, float]
    sex: dict[str, float]
    origin: dict[str, float]
    households: dict[str, float]
    tenure_pct: dict[str, float]

    def household_persons(self) -> dict[str, float]:
        """Households turned into persons: one-person = 1, without children = 2 adults,
        with children = everyone else (CBS counts households, the world counts people)."""
        one = self.households["eenpersoons"]
        pair = 2 * self.households["paar_zonder_kinderen"]
        rest = max(self.population - one - pair, self.households["met_kinderen"] * 2.0)
        return {"eenpersoons": one, "paar_zonder_kinderen": pair, "met_kinderen": rest}


_CACHE: dict[str, pd.DataFrame] = {}


def kwb_table(path: Path = KWB_CSV) -> pd.DataFrame:
    """All buurt rows of the KWB CSV, indexed by stripped code."""
    key = str(path)
    if key not in _CACHE:
        frame = pd.read_csv(path, encoding="utf-8-sig", sep=";", low_memory=False).copy()
        frame = frame.assign(code=frame["Codering_3"].astype(str).str.strip())
        frame = frame[frame["SoortRegio_2"].astype(str).str.strip() == "Buurt"]
        _CACHE[key] = frame.set_index("code")
    return _CACHE[key]


def _num(row: pd.Series, column: str) -> float:
    value = pd.to_numeric(row.get(column), errors="coerce")
    return float(value) if pd.notna(value) else float("nan")


def buurt_figures(code: str, path: Path = KWB_CSV) -> BuurtFigures:
    """The figures of one buurt; ValueError when the code is absent or empty."""
    table = kwb_table(path)
    if code not in table.index:
        raise ValueError(f"Buurt {code} staat niet in {path.name}")
    row = table.loc[code]
    figures = BuurtFigures(
        code=code, name=str(row["WijkenEnBuurten"]).strip(), gemeente=str(row["Gemeentenaam_1"]).strip(),
        population=int(_num(row, "AantalInwoners_5")),
        age={k: _num(row, c) for k, c in AGE_COLUMNS.items()},
        sex={k: _num(row, c) for k, c in SEX_COLUMNS.items()},
        origin={k: _num(row, c) for k, c in ORIGIN_COLUMNS.items()},
        households={k: _num(row, c) for k, c in HOUSEHOLD_COLUMNS.items()},
        tenure_pct={k: _num(row, c) for k, c in TENURE_COLUMNS.items()})
    for name, part in (("age", figures.age), ("sex", figures.sex), ("origin", figures.origin),
                       ("households", figures.households), ("tenure", figures.tenure_pct)):
        if any(np.isnan(v) for v in part.values()):
            raise ValueError(f"Buurt {code}: {name} ontbreekt in de KWB")
    if figures.population < 200:
        raise ValueError(f"Buurt {code} heeft te weinig inwoners ({figures.population})")
    return figures


def integer_split(weights: dict[str, float], total: int) -> dict[str, int]:
    """Split `total` over the keys in proportion to `weights` (largest remainder), so the
    world's counts add up exactly while CBS's randomly rounded counts need not."""
    keys = list(weights)
    w = np.array([max(float(weights[k]), 0.0) for k in keys])
    raw = w / w.sum() * total
    base = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - base))[: total - base.sum()]:
        base[i] += 1
    return dict(zip(keys, base.tolist()))
