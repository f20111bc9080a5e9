"""Paper forms typed into Excel (and their CSV twin), street-conversation logs and a
Burgerpeiling-style SPSS file."""
from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.world.engagement import STATEMENTS
from benchmarks.world.render_base import (
    GENDER_NL,
    ORIGIN_NL,
    RECRUIT_NL,
    SCALES,
    TENURE_NL,
    TOPICS_NL,
    Rendered,
    answer_label,
    csv_bytes,
    pick_scale,
    statement_text,
    truth_row,
    xlsx_bytes,
)
from benchmarks.world.render_online import _asked, _codes, household_nl, remark

KEYS = [s.key for s in STATEMENTS]
STAFF = ("Marloes de Groot", "Jeroen Pietersen", "Anouk Willemsen")


def render_paper(people: pd.DataFrame, file: str, rng: np.random.Generator, buurt: str, as_csv: bool) -> Rendered:
    """Paper forms typed by staff: two title rows and an empty row above the header,
    Formuliernr, 'Ingevoerd door', a 'Testinvoer' marker, 'Naam (optioneel)', an address,
    numbered statements; a second sheet explains the codes. The CSV twin is what Excel
    writes with ';', a decimal comma and cp1252."""
    scale = pick_scale(rng, "nl5c" if as_csv else "nl5a")
    age_q = "Geboortejaar" if as_csv else "Leeftijd"
    st = [f"{i}. {statement_text(k, 0)}" for i, k in enumerate(KEYS, start=1)]
    header = ["Formuliernr", "Datum ontvangst", "Ingevoerd door", "Testinvoer", "Naam (optioneel)", "Adres",
              age_q, "Geslacht", "Woonsituatie", "Woning", "Herkomst"] + st + [
        "11. " + RECRUIT_NL, "12. " + TOPICS_NL, "Woonduur (jaren)", "Opmerkingen"]
    title = [[f"Bewonersenquête {buurt} 2026 - papieren formulieren"], ["Ingevoerd door het wijkteam"], []]
    rows, truth = title + [header], []
    first_row = len(title) + 2
    for n, (_, p) in enumerate(people.iterrows()):
        codes = _codes(p, 5, rng)
        test = p["planted"] == "test"
        name = f"{p['first_name']} {p['last_name']}" if rng.random() < 0.3 else ""
        address = p["address"] if rng.random() < 0.2 else ""
        staff = str(rng.choice(STAFF))
        if as_csv:
            born = p["responded_at"].year - int(p["age"]) - int(rng.random() < 0.5)
            age_cell: Any = born
            age_truth = (p["responded_at"].year - born - 1, p["responded_at"].year - born + 1)
        else:
            age_cell = f"{p['age']} jaar" if rng.random() < 0.3 else int(p["age"])
            age_truth = (p["age"], p["age"] + 1)
        text, planted = remark(p, rng)
        row = [1000 + n if not as_csv else 2000 + n, (p["responded_at"] + timedelta(days=3)).date(), staff,
               ("x" if not as_csv else "ja") if test else None, name or None, address or None, age_cell,
               GENDER_NL[p["reported_gender"]], household_nl(p), TENURE_NL[p["tenure"]], ORIGIN_NL[p["origin"]]]
        row += [answer_label(codes[k], scale) for k in KEYS]
        row += [p["recruitment"], "; ".join(p["topics"]) or None, float(p["years_here"]), text or None]
        if as_csv:
            row[1] = row[1].strftime("%d-%m-%Y")
        rows.append(row)
        truth.append(truth_row(p, file, first_row + n, codes=codes, excluded="test" if test else "",
                               pii=(name, address, staff) + planted, asked=_asked(p, age=age_truth)))
    roles = {"Formuliernr": "respondent_id", "Datum ontvangst": "responded_at", "Ingevoerd door": "pii",
             "Testinvoer": "status", "Naam (optioneel)": "pii", "Adres": "pii", age_q: "birth_year" if as_csv
             else "age", "Geslacht": "gender", "Woonsituatie": "household", "Woning": "tenure",
             "Herkomst": "origin", "11. " + RECRUIT_NL: "recruitment", "12. " + TOPICS_NL: "multi",
             "Opmerkingen": "text"}
    roles.update({h: "item" for h in st})
    if as_csv:
        encoding = "cp1252" if rng.random() < 0.5 else "utf-8-sig"
        data = csv_bytes(rows, sep=";", encoding=encoding, decimal=",", pad=True)
    else:
        labels, dont_know = SCALES[scale]
        notes = [["Toelichting bij de invoer"], ["Stellingen: " + " / ".join(labels) + f" / {dont_know}"],
                 ["Testinvoer: zet een x bij proefformulieren"]]
        data = xlsx_bytes([("Invoer", rows), ("Toelichting", notes)])
    return Rendered(file, data, pd.DataFrame(truth), roles, dict(zip(st, KEYS)), channel="papier")


STREET_BANDS = (("<25", 0, 25), ("25-45", 25, 45), ("45-65", 45, 65), ("65+", 65, 200))
PLACES = ("Winkelcentrum", "Speeltuin", "Bij de supermarkt", "Buurthuis", "Markt")


def render_street(people: pd.DataFrame, file: str, rng: np.random.Generator, as_csv: bool) -> Rendered:
    """A conversation log: date, place, estimated age band (the interviewer's guess, so
    sometimes wrong), gender m/v, residence, the statements as said, notes with names.
    Week 2 is a CSV without a number column (no ids at all)."""
    scale = pick_scale(rng, "nl5b")
    st = [statement_text(k, 1) for k in KEYS]
    header = ([] if as_csv else ["Nr"]) + ["Datum", "Locatie", "Afgenomen door", "Geschatte leeftijd",
                                          "Geslacht", "Woont in de buurt?"] + st + ["Notities"]
    rows, truth = [header], []
    for n, (_, p) in enumerate(people.iterrows()):
        codes = _codes(p, 5, rng)
        index = next(i for i, b in enumerate(STREET_BANDS) if b[1] <= p["age"] < b[2])
        if rng.random() < 0.12:  # the guess is one band off
            index = int(np.clip(index + rng.choice([-1, 1]), 0, 3))
        band = STREET_BANDS[index]
        resident = p["planted"] != "non_resident"
        gender = {"man": "m", "vrouw": "v", "wil_niet_zeggen": None}[p["reported_gender"]]
        r = rng.random()
        if r < 0.25:
            note, planted = f"Heet {p['first_name']}, woont hier al {int(p['years_here'])} jaar.", (p["first_name"],)
        elif r < 0.45:
            title = "Mevr." if p["sex"] == "vrouw" else "Dhr."
            note, planted = f"{title} {p['last_name']} wil graag meedoen aan de bijeenkomst.", (p["last_name"],)
        elif r < 0.55:
            note, planted = f"Wil teruggebeld worden: {p['phone']}", (p["phone"],)
        else:
            note, planted = str(rng.choice(["Veel zorgen over verkeer.", "Positief over het buurthuis.",
                                            "Had weinig tijd.", None])), ()
        staff = str(rng.choice(STAFF))
        row = ([] if as_csv else [n + 1]) + [p["responded_at"].strftime("%d-%m-%Y") if as_csv else
                                            p["responded_at"].date(), str(rng.choice(PLACES)), staff, band[0],
                                            gender, "ja" if resident else "nee"]
        row += [answer_label(codes[k], scale) for k in KEYS] + [None if note == "None" else note]
        rows.append(row)
        truth.append(truth_row(p, file, len(rows), codes=codes, excluded="" if resident else "non_resident",
                               pii=(staff,) + planted,
                               asked=_asked(p, age=band[1:], household=False, tenure=False, origin=False,
                                            recruitment=False, topics=False)
                               | {"file_gender": p["reported_gender"] if gender else np.nan}))
        if as_csv and n == 2:
            # two passers-by with the same answers in a log without ids: two people, not a duplicate
            rows.append(list(row[:-1]) + [None])
            twin = dict(truth[-1], source_row=len(rows), person_id=f"{p['person_id']}-tweeling", pii=(staff,))
            truth.append(twin)
    roles = {"Datum": "responded_at", "Afgenomen door": "pii", "Geschatte leeftijd": "age_band",
             "Geslacht": "gender", "Woont in de buurt?": "residence", "Notities": "text"}
    if not as_csv:
        roles["Nr"] = "respondent_id"
    roles.update({h: "item" for h in st})
    data = (b"\xef\xbb\xbf" + csv_bytes(rows, sep=";")) if as_csv else xlsx_bytes([("Gesprekken", rows)])
    return Rendered(file, data, pd.DataFrame(truth), roles, dict(zip(st, KEYS)), channel="straatgesprek")


SPSS_AGE = ((1, "18-29 jaar", 18, 30), (2, "30-39 jaar", 30, 40), (3, "40-54 jaar", 40, 55),
            (4, "55-64 jaar", 55, 65), (5, "65-74 jaar", 65, 75), (6, "75 jaar of ouder", 75, 200))
FILLER_TOPICS = ("onderhoud van de straten", "verlichting", "groenvoorziening", "speelplekken", "parkeren",
                 "afvalinzameling", "veiligheid 's avonds", "overlast van jongeren", "hondenpoep", "verkeersdrukte",
                 "winkels", "openbaar vervoer", "huisarts", "sportvoorzieningen", "buurthuis")


def render_spss(people: pd.DataFrame, file: str, rng: np.random.Generator, buurt_code: str) -> Rendered:
    """A Burgerpeiling-style .sav: respnr, weegfactor, many labelled variables; statements
    coded 1 = helemaal mee eens … 5 = helemaal mee oneens (reverse of scale order) and
    9 = weet niet; age in the Burgerpeiling bands."""
    import pyreadstat

    columns: dict[str, list[Any]] = {"respnr": [], "weegfactor": [], "buurtcode": [], "lftcat": [],
                                     "geslacht": [], "hhsam": [], "woning": [], "herkomst": []}
    labels = {"respnr": "Respondentnummer", "weegfactor": "Weegfactor (leeftijd x geslacht)",
              "buurtcode": "Buurtcode CBS", "lftcat": "Leeftijd in categorieën", "geslacht": "Geslacht",
              "hhsam": "Samenstelling huishouden", "woning": "Eigendom woning", "herkomst": "Herkomst"}
    stvars = [f"st_{i:02d}" for i in range(1, 11)]
    for var, key in zip(stvars, KEYS):
        columns[var] = []
        labels[var] = f"In hoeverre bent u het eens met: {statement_text(key, 0)}"
    fillers = []
    for i, topic in enumerate(FILLER_TOPICS, start=1):
        fillers += [f"tev_{i:02d}", f"cijf_{i:02d}", f"geb_{i:02d}"]
        labels[f"tev_{i:02d}"] = f"Tevredenheid over {topic}"
        labels[f"cijf_{i:02d}"] = f"Rapportcijfer {topic}"
        labels[f"geb_{i:02d}"] = f"Gebruikt u {topic} weleens?"
    for var in fillers:
        columns[var] = []
    dk_code, dk_label = [(9, "Weet niet"), (0, "Weet ik niet"), (6, "Geen mening"), (99, "n.v.t.")][
        int(rng.integers(0, 4))]
    agree = {1: "Helemaal mee eens", 2: "Mee eens", 3: "Neutraal", 4: "Mee oneens", 5: "Helemaal mee oneens",
             dk_code: dk_label}
    if dk_code == 0:
        agree = {0: dk_label, **{k: v for k, v in agree.items() if k}}
    value_labels = {"lftcat": {c: t for c, t, *_ in SPSS_AGE}, "geslacht": {1: "Man", 2: "Vrouw", 3: "Anders",
                                                                             9: "Wil ik niet zeggen"},
                    "hhsam": {1: "Eenpersoonshuishouden", 2: "Paar zonder thuiswonende kinderen",
                              3: "Paar met thuiswonende kinderen", 4: "Eenoudergezin", 5: "Anders"},
                    "woning": {1: "Koopwoning", 2: "Huurwoning corporatie", 3: "Huurwoning particulier"},
                    "herkomst": {1: "Nederland", 2: "Europa (excl. Nederland)", 3: "Buiten Europa"}}
    for var in stvars:
        value_labels[var] = agree
    for var in fillers:
        if var.startswith("tev"):
            value_labels[var] = {1: "Zeer ontevreden", 2: "Ontevreden", 3: "Niet tevreden, niet ontevreden",
                                 4: "Tevreden", 5: "Zeer tevreden", 99: "Weet niet / geen mening"}
        elif var.startswith("geb"):
            value_labels[var] = {1: "Ja", 2: "Nee"}
    truth = []
    for n, (_, p) in enumerate(people.iterrows()):
        codes = _codes(p, 5, rng)
        cat = next(c for c in SPSS_AGE if c[2] <= p["age"] < c[3])
        columns["respnr"].append(float(50000 + n))
        weight = round(float(rng.lognormal(0, 0.3)), 4)
        columns["weegfactor"].append(weight)
        columns["buurtcode"].append(buurt_code)
        columns["lftcat"].append(float(cat[0]))
        columns["geslacht"].append(float({"man": 1, "vrouw": 2, "wil_niet_zeggen": 9}[p["reported_gender"]]))
        hh = {"eenpersoons": 1, "paar_zonder_kinderen": 2, "met_kinderen": 3}[p["household"]]
        if hh == 3 and rng.random() < 0.25:
            hh = 4
        columns["hhsam"].append(float(hh))
        columns["woning"].append(float({"koop": 1, "huur_corporatie": 2, "huur_overig": 3}[p["tenure"]]))
        columns["herkomst"].append(float({"nederland": 1, "europa": 2, "buiten_europa": 3}[p["origin"]]))
        for var, key in zip(stvars, KEYS):
            columns[var].append(float(dk_code) if np.isnan(codes[key]) else float(6 - codes[key]))
        for var in fillers:
            if var.startswith("tev"):
                columns[var].append(float(rng.choice([1, 2, 3, 4, 5, 99])))
            elif var.startswith("cijf"):
                columns[var].append(float(rng.integers(4, 11)) if rng.random() < 0.9 else np.nan)
            else:
                columns[var].append(float(rng.integers(1, 3)))
        truth.append(truth_row(p, file, n + 1, codes=codes, asked=_asked(p, age=cat[2:], recruitment=False, topics=False))
                     | {"weight": weight})
    frame = pd.DataFrame(columns)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "peiling.sav"
        pyreadstat.write_sav(frame, str(path), column_labels=labels, variable_value_labels=value_labels)
        data = path.read_bytes()
    roles = {"respnr": "respondent_id", "weegfactor": "weight", "buurtcode": "area", "lftcat": "age_band",
             "geslacht": "gender", "hhsam": "household", "woning": "tenure", "herkomst": "origin"}
    roles.update({v: "item" for v in stvars})
    roles.update({v: "item" if v.startswith("tev") else "ignore" for v in fillers})  # satisfaction: ordered
    headers = dict(zip(stvars, KEYS))
    headers.update({labels[v]: k for v, k in zip(stvars, KEYS)})
    return Rendered(file, data, pd.DataFrame(truth), roles, headers)
