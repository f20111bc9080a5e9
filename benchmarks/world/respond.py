"""Who answers, through which file, and what else they write down.

Response propensities differ by group (young people, people of non-European origin and
corporation tenants answer less; 65+ more), by planted profile (Op afstand answers least)
and by channel (older people choose paper, people of non-European origin are met on the
street). Test, preview and unapproved submissions and non-residents are added on top, so
the import has rows it must not count.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from benchmarks.world.engagement import PROFILES, assign_profiles, draw_answers
from benchmarks.world.population import AGE_BANDS

FIELDWORK_START = datetime(2026, 9, 7, 8, 0)
AGE_PROPENSITY = {"15-25": 0.5, "25-45": 0.85, "45-65": 1.1, "65+": 1.4}
ORIGIN_PROPENSITY = {"nederland": 1.0, "europa": 0.8, "buiten_europa": 0.5}
TENURE_PROPENSITY = {"koop": 1.15, "huur_corporatie": 0.8, "huur_overig": 0.9}
PROFILE_PROPENSITY = {"Meebouwers": 1.6, "Kritische betrokkenen": 1.3, "Vertrouwende toeschouwers": 0.9,
                      "Op afstand": 0.5}

# file → channel (what the contract says a file's kind implies)
FILES = {
    "msforms_nl.xlsx": "online", "msforms_en.xlsx": "online", "google_nl.xlsx": "online",
    "google_en_7punt.csv": "online", "qualtrics_nl.csv": "online", "qualtrics_nl.xlsx": "online",
    "surveymonkey.xlsx": "online", "kobo_labels.xlsx": "online", "kobo_xml.csv": "online",
    "papier_invoer.xlsx": "papier", "papier_invoer.csv": "papier",
    "straatgesprekken_week1.xlsx": "straatgesprek", "straatgesprekken_week2.csv": "straatgesprek",
    "burgerpeiling.sav": "online",
}
RECRUITMENT = ("Brief in de bus", "Via social media", "Via buren, vrienden of familie",
               "Op straat aangesproken", "Bijeenkomst in het buurthuis", "Anders")
TOPICS = ("Groen, spelen en sport", "Verkeer, parkeren en veiligheid", "Wonen",
          "Zorg en welzijn", "Afval en schoon")
FIRST_NAMES = ("Ahmed", "Fatima", "Mohammed", "Sanne", "Henk", "Ingrid", "Youssef", "Daan", "Priya",
               "Kees", "Marieke", "Emre", "Joyce", "Bram", "Samira", "Wilhelmina", "Tobias", "Naima")
LAST_NAMES = ("Jansen", "de Vries", "Bakker", "El Amrani", "Visser", "Smit", "Yilmaz", "Meijer",
              "Mulder", "Kaya", "Bos", "Vermeulen", "Hoekstra", "Brouwer", "Dekker", "van Dijk")
STREETS = ("Kerkstraat", "Molenweg", "Lindelaan", "Havenkade", "Wilgenhof", "Prinsengracht",
           "Zonnebloemstraat", "Beukenlaan")


def _channel_weights(person: pd.Series) -> dict[str, float]:
    weights = dict.fromkeys(FILES, 1.0)
    young, old = person["age"] < 30, person["age"] >= 65
    for name, channel in FILES.items():
        if channel == "online":
            weights[name] *= 1.4 if young else (0.45 if old else 1.0)
        elif channel == "papier":
            weights[name] *= 3.5 if old else (0.4 if young else 1.0)
        else:
            weights[name] *= 1.6 * (3.0 if person["origin"] == "buiten_europa" else 1.0)
    return weights


def propensity(people: pd.DataFrame) -> np.ndarray:
    """Relative response propensity per person (before scaling to the wanted number)."""
    return (people["age_band"].map(AGE_PROPENSITY).fillna(0).to_numpy()
            * people["origin"].map(ORIGIN_PROPENSITY).to_numpy()
            * people["tenure"].map(TENURE_PROPENSITY).to_numpy()
            * people["profile"].map(PROFILE_PROPENSITY).to_numpy())


def _person_name(rng: np.random.Generator) -> tuple[str, str]:
    return str(rng.choice(FIRST_NAMES)), str(rng.choice(LAST_NAMES))


def _extras(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Answers besides the statements: recruitment, topics, remark, contact details."""
    n = len(frame)
    frame = frame.copy()
    frame["recruitment"] = rng.choice(RECRUITMENT, size=n, p=[0.35, 0.2, 0.15, 0.15, 0.1, 0.05])
    frame["topics"] = [tuple(t for t in TOPICS if rng.random() < 0.35) for _ in range(n)]
    refuse = rng.random(n) < 0.04
    frame["reported_gender"] = np.where(refuse, "wil_niet_zeggen", frame["sex"])
    frame["years_here"] = np.round(rng.gamma(2.0, 6.0, size=n) * 2) / 2
    first, last, email, phone, street = [], [], [], [], []
    for _ in range(n):
        f, l_ = _person_name(rng)
        first.append(f)
        last.append(l_)
        email.append(f"{f.lower()}.{l_.replace(' ', '').lower()}{rng.integers(10, 99)}@voorbeeldmail.nl")
        phone.append(f"06-{rng.integers(10000000, 99999999)}")
        street.append(f"{rng.choice(STREETS)} {rng.integers(1, 180)}")
    frame["first_name"], frame["last_name"] = first, last
    frame["email"], frame["phone"], frame["address"] = email, phone, street
    frame["ip"] = [f"145.{rng.integers(10, 250)}.{rng.integers(10, 250)}.{rng.integers(10, 250)}" for _ in range(n)]
    frame["responded_at"] = [FIELDWORK_START + timedelta(days=int(rng.integers(0, 14)),
                                                         minutes=int(rng.integers(0, 12 * 60)))
                             for _ in range(n)]
    return frame


def _outsiders(n: int, kind: str, rng: np.random.Generator) -> pd.DataFrame:
    """People who are not respondents of this buurt: non-residents or staff testing the form."""
    ages = rng.integers(18, 85, size=n)
    frame = pd.DataFrame({
        "person_id": [f"{kind}-{i:03d}" for i in range(n)], "age": ages,
        "age_band": pd.cut(ages, [0, 15, 25, 45, 65, 200], right=False,
                           labels=list(AGE_BANDS)).astype(str),
        "sex": rng.choice(["man", "vrouw"], size=n), "household": rng.choice(
            ["eenpersoons", "paar_zonder_kinderen", "met_kinderen"], size=n),
        "tenure": rng.choice(["koop", "huur_corporatie", "huur_overig"], size=n),
        "origin": rng.choice(["nederland", "europa", "buiten_europa"], size=n),
        "resident": False})
    frame["profile"] = rng.choice(PROFILES, size=n) if kind == "nonres" else ""
    return frame


def draw_respondents(population: pd.DataFrame, n_target: int, rng: np.random.Generator,
                     *, exclusions: bool = True) -> pd.DataFrame:
    """Respondents with their planted profile, true answers, file and channel.

    About `n_target` residents of 18+ answer; the propensity model decides who. Test,
    preview, unapproved and non-resident rows are added (column `planted`).
    """
    people = population.copy()
    people["profile"] = assign_profiles(people, rng)
    people["resident"] = True
    adults = people[people["age"] >= 18].copy()
    weight = propensity(adults)
    p = np.clip(weight / weight.sum() * n_target, 0, 0.95)
    adults["propensity"] = p  # the known chance to answer at all
    chosen = adults[rng.random(len(adults)) < p].copy()
    chosen["planted"] = ""
    frames = [chosen]
    if exclusions:
        nonres = _outsiders(max(4, n_target // 25), "nonres", rng)
        nonres["planted"] = "non_resident"
        tests = _outsiders(12, "test", rng)
        tests["planted"] = "test"
        frames += [nonres, tests]
    everyone = pd.concat(frames, ignore_index=True)
    profiles = everyone["profile"].where(everyone["profile"] != "", pd.Series(
        rng.choice(PROFILES, size=len(everyone)), index=everyone.index))
    everyone = pd.concat([everyone, draw_answers(profiles, rng)], axis=1)
    everyone = _extras(everyone, rng)
    everyone["file"] = ""
    names = list(FILES)
    for i, person in everyone.iterrows():
        if person["planted"] == "non_resident":  # met on the street, or answered the open web form
            everyone.at[i, "file"] = str(rng.choice(["straatgesprekken_week1.xlsx", "straatgesprekken_week2.csv",
                                                    "google_nl.xlsx"]))
            continue
        if person["planted"] == "test":  # the officer's test submissions in tools that mark them
            everyone.at[i, "file"] = str(rng.choice(["qualtrics_nl.csv", "qualtrics_nl.xlsx", "kobo_labels.xlsx",
                                                    "kobo_xml.csv", "papier_invoer.xlsx", "papier_invoer.csv"]))
            continue
        w = _channel_weights(person)
        probs = np.array([w[f] for f in names])
        everyone.at[i, "file"] = names[int(rng.choice(len(names), p=probs / probs.sum()))]
    street = everyone["file"].str.startswith("straatgesprekken")
    late = everyone["responded_at"] >= FIELDWORK_START + timedelta(days=7)
    everyone.loc[street & ~late, "file"] = "straatgesprekken_week1.xlsx"  # each log holds its own week
    everyone.loc[street & late, "file"] = "straatgesprekken_week2.csv"
    everyone["channel"] = everyone["file"].map(FILES)
    return everyone.reset_index(drop=True)
