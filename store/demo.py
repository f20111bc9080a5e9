"""The demo project "Voorbeeldwijk (fictief)": synthetic respondents and one real buurt.

A first-time user sees a full dashboard at once. The respondents are made up (seeded,
so every install shows the same picture); they deliberately under-reach young adults,
tenants of a housing corporation and residents born outside Europe, so the Bereik page
has a gap to show. The reference is a real buurt with CBS figures transcribed by hand.
"""
from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reference.build import build_reference
from reference.model import BuurtReference
from surveys.categories import AGE_BANDS, REFUSED

if TYPE_CHECKING:
    from store.projects import Project, Store

logger = logging.getLogger(__name__)

DEMO_NAME = "Voorbeeldwijk (fictief)"
DEMO_FLAG = "demo_created"
DEMO_READY_FLAG = "demo_ready"  # set when every demo import is in (another session may wait)
DEMO_AREA = ("BU05183033", "Transvaalkwartier-Midden")
DEMO_START = pd.Timestamp("2024-09-02 09:00")  # a Monday; fieldwork runs six weeks
N_RESPONDENTS = 300

ITEMS: dict[str, str] = {  # key → statement (Likert 1 = helemaal oneens … 5 = helemaal eens)
    "item:betrokken_buurt": "Ik voel me betrokken bij mijn buurt.",
    "item:actief_buurt": "Ik doe mee aan activiteiten in de buurt.",
    "item:contact_buren": "Ik heb regelmatig contact met mijn buren.",
    "item:meedenken_plannen": "Ik denk graag mee over plannen voor de buurt.",
    "item:vertrouwen_gemeente": "Ik heb vertrouwen in de gemeente.",
    "item:gehoord_voelen": "Ik voel me gehoord door de gemeente.",
    "item:invloed_besluiten": "Bewoners hebben invloed op besluiten over de buurt.",
    "item:vertrouwen_instanties": "Ik vertrouw instanties zoals de woningcorporatie.",
}
ENGAGEMENT_ITEMS = tuple(list(ITEMS)[:4])
TRUST_ITEMS = tuple(list(ITEMS)[4:])
HEARD_VIA = ("brief", "social_media", "buren", "wijkcentrum", "straat")
WISHES = ("Meer groen in de straat.", "Betere verlichting bij het speelveld.",
          "Meer activiteiten voor jongeren.", "Schonere stoepen.",
          "Een plek om elkaar te ontmoeten.", "Minder verkeer in de buurt.",
          "Sneller reageren op meldingen.", "Betaalbare woningen voor gezinnen.")

# Kompas profiles: (mean engagement, mean trust) on the 1..5 scale, and base weight.
_PROFILES = {"meebouwer": (4.1, 4.0, 0.25), "kritisch": (4.0, 2.1, 0.30),
             "toeschouwer": (2.2, 3.9, 0.20), "afstand": (1.9, 1.9, 0.25)}


def _choice(rng: np.random.Generator, options: tuple[str, ...], p: list[float], n: int) -> np.ndarray:
    weights = np.asarray(p, dtype=float)
    return rng.choice(np.asarray(options, dtype=object), size=n, p=weights / weights.sum())


def _likert(rng: np.random.Generator, centre: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(centre + rng.normal(0.0, 0.8, size=len(centre))), 1, 5)


def demo_respondents(seed: int = 0) -> pd.DataFrame:
    """~300 synthetic respondents in the canonical table (same seed, same frame).

    Three channels over six weeks. Online and paper give an exact age; a street
    conversation gives an estimated age band and gender. Under-reached on purpose:
    18–25, huur_corporatie and buiten_europa; street conversations reach young adults and
    residents born outside Europe better (so the planner has a channel to suggest), no
    channel reaches corporation tenants (so it says to search in a targeted way).
    """
    rng = np.random.default_rng(seed)
    n = N_RESPONDENTS
    channel = _choice(rng, ("online", "papier", "straatgesprek"), [0.55, 0.25, 0.20], n)
    street = channel == "straatgesprek"
    # Ages: 18–25 is about 13% of the eligible buurt but only a few percent here.
    band = _choice(rng, ("15-25", "25-45", "45-65", "65+"), [0.04, 0.37, 0.34, 0.25], n)
    band = np.where(street & (rng.random(n) < 0.25), "15-25", band)
    low = np.array([max(AGE_BANDS[b][0], 18) for b in band], dtype=float)
    high = np.array([AGE_BANDS[b][1] or 91 for b in band], dtype=float)
    age = np.floor(low + rng.random(n) * (high - low))
    origin = _choice(rng, ("nederland", "europa", "buiten_europa"), [0.32, 0.26, 0.42], n)
    origin = np.where(street & (rng.random(n) < 0.60), "buiten_europa", origin)
    tenure = _choice(rng, ("koop", "huur_corporatie", "huur_overig"), [0.46, 0.20, 0.34], n)
    household = _choice(rng, ("eenpersoons", "paar_zonder_kinderen", "met_kinderen"),
                        [0.27, 0.18, 0.55], n)  # persons (issue 13), not households
    gender = _choice(rng, ("man", "vrouw", "anders"), [0.45, 0.54, 0.01], n)

    # Profiles: "op afstand" more often among corporation tenants and young adults.
    names = list(_PROFILES)
    base = np.array([_PROFILES[k][2] for k in names])
    weights = np.tile(base, (n, 1))
    weights[(tenure == "huur_corporatie") | (band == "15-25"), names.index("afstand")] *= 2.5
    weights /= weights.sum(axis=1, keepdims=True)
    profile = np.array([rng.choice(len(names), p=w) for w in weights])
    eng = np.array([_PROFILES[names[i]][0] for i in profile])
    trust = np.array([_PROFILES[names[i]][1] for i in profile])

    days = rng.integers(0, 42, size=n)
    minutes = rng.integers(0, 10 * 60, size=n)
    responded = DEMO_START + pd.to_timedelta(days, unit="D") + pd.to_timedelta(minutes, unit="min")
    order = np.argsort(responded.to_numpy(), kind="stable")

    frame = pd.DataFrame({
        "respondent_id": "", "source": "", "channel": channel, "responded_at": responded,
        "age": np.where(street, np.nan, age), "age_band": band,
        "gender": gender, "household": household, "tenure": tenure, "origin": origin,
        "postcode4": _choice(rng, ("2572", "2571"), [0.85, 0.15], n), "area_code": DEMO_AREA[0],
        "age_low": np.where(street, low, np.nan),
        "age_high": np.where(street, high, np.nan),  # half-open [low, high), as the import writes it
        "age_estimated": street, "gender_estimated": street,
    })
    frame.loc[street & (band == "65+"), "age_high"] = np.nan
    frame.loc[street & (band == "15-25"), "age_low"] = 15.0
    for key in ITEMS:
        centre = eng if key in ENGAGEMENT_ITEMS else trust
        values = _likert(rng, centre)
        values[rng.random(n) < 0.05] = np.nan  # "weet niet" is missing, never neutral
        if key not in ("item:betrokken_buurt", "item:vertrouwen_gemeente", "item:gehoord_voelen"):
            values[street] = np.nan  # a street conversation asks three questions only
        frame[key] = values
    heard = {opt: rng.random(n) < p for opt, p in zip(HEARD_VIA, (0.5, 0.3, 0.25, 0.15, 0.0))}
    heard["straat"] = street.copy()
    for opt in HEARD_VIA:
        frame[f"multi:gehoord_via:{opt}"] = np.where(street, opt == "straat", heard[opt]).astype(bool)
    wish = _choice(rng, WISHES, [1] * len(WISHES), n)
    frame["text:wens_buurt"] = pd.Series(wish, dtype=object).where(rng.random(n) < 0.6, None).to_numpy()

    # Refusals and gaps, as in real exports.
    refuse = rng.random(n)
    frame.loc[refuse < 0.02, "origin"] = REFUSED
    frame.loc[(refuse >= 0.02) & (refuse < 0.04), "origin"] = None
    frame.loc[(refuse >= 0.04) & (refuse < 0.055) & ~street, "gender"] = REFUSED
    frame.loc[street & (rng.random(n) < 0.6), ["household", "tenure"]] = None  # not always asked
    frame.loc[street & (rng.random(n) < 0.5), "origin"] = None

    frame = frame.iloc[order].reset_index(drop=True)
    counters = {"online": 0, "papier": 0, "straatgesprek": 0}
    ids = []
    for ch in frame["channel"]:
        counters[ch] += 1
        prefix = {"online": "R_", "papier": "P-", "straatgesprek": "S-"}[ch]
        ids.append(f"{prefix}{counters[ch]:04d}")
    frame["respondent_id"] = ids
    frame["source"] = [f"{name}#demo" for name in _file_names(frame)]
    for col in ("respondent_id", "source", "channel", "age_band", "gender", "household",
                "tenure", "origin", "postcode4", "area_code", "text:wens_buurt"):
        frame[col] = frame[col].astype("str")
    return frame


def _file_names(frame: pd.DataFrame) -> list[str]:
    """Which demo "export" each respondent arrived in (online comes in two weekly exports)."""
    week = ((frame["responded_at"] - DEMO_START).dt.days // 7 + 1).to_numpy()
    names = []
    for ch, w in zip(frame["channel"], week):
        if ch == "online":
            names.append("voorbeeld_online_week3.xlsx" if w <= 3 else "voorbeeld_online_week6.xlsx")
        elif ch == "papier":
            names.append("voorbeeld_papieren_formulieren.xlsx")
        else:
            names.append("voorbeeld_straatgesprekken.xlsx")
    return names


def demo_reference() -> BuurtReference:
    """Transvaalkwartier-Midden ('s-Gravenhage), KWB 2024 (85984NED), residents 18+.

    The CBS figures (1 January 2024) are transcribed by hand; the reference is built by
    `cbs_build.build_reference`, the same rules as a downloaded KWB file, so household
    type and tenure count eligible persons and every assumption is stated.
    """
    row = {"code": DEMO_AREA[0], "name": DEMO_AREA[1], "kind": "Buurt",
           "population": 5005.0, "gender:man": 2560.0, "gender:vrouw": 2445.0,
           "age:0-15": 985.0, "age:15-25": 685.0, "age:25-45": 1485.0, "age:45-65": 1195.0,
           "age:65+": 660.0, "origin:nederland": 325.0, "origin:europa": 975.0,
           "origin:buiten_europa": 3710.0, "households": 2150.0,
           "household:eenpersoons": 970.0, "household:paar_zonder_kinderen": 395.0,
           "household:met_kinderen": 780.0, "household_size": 2.3, "dwellings": 1858.0,
           "tenure%:koop": 25.0, "tenure%:huur": 75.0, "tenure%:huur_corporatie": 43.0,
           "tenure%:huur_overig": 31.0}
    notes = ("Voorbeeld: cijfers van één echte buurt, met de hand overgenomen uit CBS "
             "Kerncijfers wijken en buurten 2024 (tabel 85984NED, stand 1 januari 2024).",)
    return build_reference(pd.DataFrame([row]), year=2024, table="85984NED", min_age=18,
                           notes=notes)


def _content_hash(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()


def ensure_demo(store: Store, *, team: str = "") -> Project | None:
    """Create the demo project once per store; later calls (even after removal) do nothing.

    Returns the new project, or None when the demo was made before. Online arrives as
    two weekly exports (the second repeats weeks 1–3), so the import list shows how a
    re-upload adds only the new respondents.
    """
    if store.list_projects() or not store.mark_once(DEMO_FLAG):
        return None
    frame = demo_respondents()
    files = _file_names(frame)
    project = store.create_project(
        DEMO_NAME, team=team, area_codes=[DEMO_AREA[0]], reference_year=2024,
        reference_source="demo", min_age=18,
        settings={"demo": True, "retention_months": None,
                  "description": "Fictieve antwoorden om Bereikwijzer te leren kennen. "
                                 "U kunt dit project verwijderen.",
                  "kompas_items": {"engagement": list(ENGAGEMENT_ITEMS),
                                   "trust": list(TRUST_ITEMS)},
                  "item_labels": dict(ITEMS)},
        who="demo")
    online_all = frame[frame["channel"] == "online"]
    batches = [
        ("voorbeeld_online_week3.xlsx", frame[np.array(files) == "voorbeeld_online_week3.xlsx"], "ms_forms"),
        ("voorbeeld_online_week6.xlsx", online_all, "ms_forms"),
        ("voorbeeld_papieren_formulieren.xlsx",
         frame[frame["channel"] == "papier"], "generic"),
        ("voorbeeld_straatgesprekken.xlsx",
         frame[frame["channel"] == "straatgesprek"], "conversation_log"),
    ]
    for file_name, part, tool in batches:
        part = part.reset_index(drop=True)
        store.add_import(project.id, part, {
            "file_name": file_name, "content_hash": _content_hash(part), "tool": tool,
            "channel": str(part["channel"].iloc[0]), "fingerprint": f"demo-{tool}",
            "mapping": {"fingerprint": f"demo-{tool}", "roles": {}, "channel": str(part["channel"].iloc[0])},
            "who": "demo"})
    store.mark_once(DEMO_READY_FLAG)
    logger.info("demo-project aangemaakt (%d respondenten)", len(frame))
    return store.get_project(project.id)
