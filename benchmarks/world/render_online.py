"""Online tools: Microsoft Forms, Google Forms, Qualtrics, SurveyMonkey, KoboToolbox.

Layouts follow ../shared/research/formats-streamlit.md (metadata columns, header depth,
matrix notation, multi-select shapes) and how the tools really export.
"""
from __future__ import annotations

import io
import json
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.world.engagement import STATEMENTS
from benchmarks.world.render_base import (
    GENDER_EN,
    GENDER_NL,
    HOUSEHOLD_EN,
    HOUSEHOLD_NL,
    MATRIX_NL,
    ORIGIN_EN,
    ORIGIN_NL,
    RECRUIT_NL,
    REMARK_NL,
    SCALES,
    TENURE_EN,
    TENURE_NL,
    TOPICS_NL,
    Rendered,
    answer_label,
    csv_bytes,
    file_code,
    pick_scale,
    statement_text,
    truth_row,
    xlsx_bytes,
)
from benchmarks.world.respond import TOPICS

KEYS = [s.key for s in STATEMENTS]


def remark(person: pd.Series, rng: np.random.Generator) -> tuple[str, tuple[str, ...]]:
    """Free text, sometimes with a name, phone number or e-mail in it (and what was planted)."""
    r = rng.random()
    first, last = person["first_name"], person["last_name"]
    if r < 0.55:
        return "", ()
    if r < 0.65:
        return "Meer groen graag en minder hard rijden.", ()
    if r < 0.73:
        return f"Mijn naam is {first} {last}, bel me gerust.", (f"{first} {last}",)
    if r < 0.80:
        return f"Heet {first}. Woont hier al lang, wil meedenken.", (first,)
    if r < 0.87:
        return f"Mevr. {last} van nummer {rng.integers(2, 90)} zegt hetzelfde.", (last,)
    if r < 0.93:
        return f"Bel me op {person['phone']} voor de bijeenkomst.", (person["phone"],)
    return f"Stuur de uitslag naar {person['email']} aub", (person["email"],)


def _codes(person: pd.Series, points: int, rng: np.random.Generator) -> dict[str, float]:
    return {k: file_code(person[f"true:{k}"], points, rng) for k in KEYS}


def _asked(person: pd.Series, *, age: tuple[float, float] | None = None, gender: bool = True,
           household: bool = True, tenure: bool = True, origin: bool = True,
           recruitment: bool = True, topics: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if topics:
        out["file_topics"] = tuple(person["topics"])
    if age is not None:
        out["file_age_low"], out["file_age_high"] = age
    if gender:
        out["file_gender"] = person["reported_gender"]
    if household:
        out["file_household"] = person["household"]
    if tenure:
        out["file_tenure"] = person["tenure"]
    if origin:
        out["file_origin"] = person["origin"]
    if recruitment:
        out["file_recruitment"] = person["recruitment"]
    return out


def household_nl(person: pd.Series) -> str:
    if person["household"] == "met_kinderen" and person["age"] < 25:
        return "Thuiswonend bij mijn ouder(s)"
    return HOUSEHOLD_NL[person["household"]]


def _age_text(age: int, rng: np.random.Generator, units: float = 0.15) -> Any:
    return f"{age} jaar" if rng.random() < units else age


def render_msforms(people: pd.DataFrame, file: str, rng: np.random.Generator, english: bool) -> Rendered:
    """Microsoft Forms xlsx: Id, Start time, Completion time, Email, Name, then one column per
    question; a Likert question gives one column per statement; multi-select joined with ';'."""
    scale = pick_scale(rng, "nl5b" if english else "nl5a")
    meta = (["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"] if english
            else ["Id", "Begintijd", "Voltooiingstijd", "E-mail", "Naam", "Tijd laatst gewijzigd"])
    age_q = "Leeftijd" if english else "Wat is uw leeftijd?"
    st = [statement_text(k, 1 if english else 0) for k in KEYS]
    contact = "06-nummer (als we u mogen terugbellen)" if english else "E-mailadres (als u op de hoogte wilt blijven)"
    header = meta + [age_q, "Geslacht", "Wat is uw woonsituatie?", "Woont u in een koop- of huurwoning?",
                     "Waar zijn u en uw ouders geboren?"] + st + [RECRUIT_NL, TOPICS_NL, REMARK_NL, contact]
    rows, truth = [header], []
    for n, (_, p) in enumerate(people.iterrows()):
        codes = _codes(p, 5, rng)
        start = p["responded_at"]
        name = f"{p['first_name']} {p['last_name']}" if english else ""
        email = p["email"] if english else "anonymous"
        keep_email = rng.random() < 0.3
        text, planted = remark(p, rng)
        gender = (GENDER_EN if english else GENDER_NL)[p["reported_gender"]]
        rows.append([n + 1, start, start + timedelta(minutes=int(rng.integers(3, 15))), email,
                     name or None, None, _age_text(int(p["age"]), rng, 0.0 if english else 0.2), gender,
                     (HOUSEHOLD_EN[p["household"]] if english else household_nl(p)),
                     (TENURE_EN if english else TENURE_NL)[p["tenure"]],
                     (ORIGIN_EN if english else ORIGIN_NL)[p["origin"]]]
                    + [answer_label(codes[k], scale) for k in KEYS]
                    + [p["recruitment"], "".join(t + ";" for t in p["topics"]), text or None,
                       (p["phone"] if english else p["email"]) if keep_email else None])
        pii = (name, p["email"] if english else "",
               (p["phone"] if english else p["email"]) if keep_email else "") + planted
        truth.append(truth_row(p, file, n + 2, codes=codes, pii=pii,
                               asked=_asked(p, age=(p["age"], p["age"] + 1))))
    roles = {meta[0]: "respondent_id", meta[1]: "responded_at|ignore", meta[2]: "responded_at|ignore",
             meta[3]: "pii", meta[4]: "pii",
             age_q: "age", "Geslacht": "gender", "Wat is uw woonsituatie?": "household",
             "Woont u in een koop- of huurwoning?": "tenure", "Waar zijn u en uw ouders geboren?": "origin",
             RECRUIT_NL: "recruitment", TOPICS_NL: "multi", REMARK_NL: "text", contact: "pii"}
    roles.update({h: "item" for h in st})
    sheet = "Form1" if english else "Formulier1"
    return Rendered(file, xlsx_bytes([(sheet, rows)]), pd.DataFrame(truth), roles, dict(zip(st, KEYS)))


def week_one(full: Rendered, name: str, cutoff) -> tuple[Rendered, Rendered]:
    """Microsoft Forms exports are cumulative: last week's download holds the first rows of
    this week's. Returns (week-1 file, full file whose repeated rows are marked 'duplicate')."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(full.data))
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    early = full.truth["responded_at"] < cutoff
    keep = int(early.sum())  # rows are sorted by time, so week 1 is the first rows
    first = full.truth[early].assign(file=name)
    later = full.truth.copy()
    later.loc[early, "same_as"] = [f"{name}:{r}" for r in first["source_row"]]
    later.loc[early, "excluded"] = "duplicate"
    data = xlsx_bytes([(book.worksheets[0].title, rows[: keep + 1])])
    return (Rendered(name, data, first.reset_index(drop=True), full.roles, full.statement_headers, full.channel),
            Rendered(full.name, full.data, later, full.roles, full.statement_headers, full.channel))


def render_google(people: pd.DataFrame, file: str, rng: np.random.Generator, english: bool) -> Rendered:
    """Google Forms: Tijdstempel/Timestamp, grid 'Stellingen [..]', checkboxes joined ', '.
    The Dutch file is the xlsx from Sheets (with e-mail collection and a residence question);
    the English one is the CSV download with a 7-point English scale and age bands."""
    scale = "en7" if english else pick_scale(rng, "nl5c")
    points = 7 if english else 5
    grid = "Statements" if english else "Stellingen"
    st = [f"{grid} [{statement_text(k, 2 if english else 0)}]" for k in KEYS]
    age_q = "Leeftijd" if english else "Wat is uw geboortejaar?"
    head = ["Timestamp" if english else "Tijdstempel"] + ([] if english else ["E-mailadres"])
    resid = "Woont u in deze buurt?"
    demo = [age_q, "Geslacht"] + ([] if english else [resid, "Hoe ziet uw huishouden eruit?",
                                                      "Koop of huur?", "Herkomst (u of uw ouders)"])
    tail = [RECRUIT_NL, TOPICS_NL, REMARK_NL] + (["Telefoonnummer (optioneel)"] if english else [])
    rows, truth = [head + demo + st + tail], []
    for n, (_, p) in enumerate(people.iterrows()):
        codes = _codes(p, points, rng)
        age = int(p["age"])
        if english:
            bands = [(18, 25), (25, 35), (35, 45), (45, 55), (55, 65), (65, 75), (75, 200)]
            low, high = next(b for b in bands if b[0] <= age < b[1])
            age_cell: Any = f"{low}-{high - 1}" if high < 200 else "75+"
            age_truth = (low, high)
        else:
            born = p["responded_at"].year - age - int(rng.random() < 0.5)
            age_cell, age_truth = born, (p["responded_at"].year - born - 1, p["responded_at"].year - born + 1)
        when = p["responded_at"]
        stamp = f"{when.month}/{when.day}/{when.year} {when:%H:%M:%S}" if english else when
        text, planted = remark(p, rng)
        resident = p["planted"] != "non_resident"
        row = [stamp] + ([] if english else [p["email"]]) + [age_cell, (GENDER_EN if english else GENDER_NL)[
            p["reported_gender"]]]
        if not english:
            row += ["Ja" if resident else "Nee", household_nl(p), TENURE_NL[p["tenure"]], ORIGIN_NL[p["origin"]]]
        row += [answer_label(codes[k], scale) for k in KEYS]
        row += [p["recruitment"], ", ".join(p["topics"]), text or None]
        phone = p["phone"] if english and rng.random() < 0.4 else None
        if english:
            row.append(phone)
        rows.append(row)
        pii = ((p["email"] if not english else ""), phone or "") + planted
        truth.append(truth_row(p, file, n + 2, scale_points=points, codes=codes, pii=pii,
                               excluded="" if resident else "non_resident",
                               asked=_asked(p, age=age_truth, household=not english, tenure=not english,
                                            origin=not english)))
    roles = {head[0]: "responded_at", age_q: "age_band" if english else "birth_year", "Geslacht": "gender",
             RECRUIT_NL: "recruitment", TOPICS_NL: "multi", REMARK_NL: "text"}
    if english:
        roles["Telefoonnummer (optioneel)"] = "pii"
    else:
        roles.update({"E-mailadres": "pii", resid: "residence", "Hoe ziet uw huishouden eruit?": "household",
                      "Koop of huur?": "tenure", "Herkomst (u of uw ouders)": "origin"})
    roles.update({h: "item" for h in st})
    if english:
        data = csv_bytes(rows)
    else:
        tally = Counter(r[3] for r in rows[1:])  # an officer's pivot, which Excel puts before the data
        pivot = [["Aantal van Tijdstempel", None], ["Rijlabels", "Aantal"]] + [[k, v] for k, v in tally.items()]
        pivot.append(["Eindtotaal", len(rows) - 1])
        data = xlsx_bytes([("Draaitabel", pivot), ("Formulierreacties 1", rows)])
    return Rendered(file, data, pd.DataFrame(truth), roles, dict(zip(st, KEYS)))


def render_qualtrics(people: pd.DataFrame, file: str, rng: np.random.Generator, as_xlsx: bool) -> Rendered:
    """Qualtrics data table: tags, question text and ImportId JSON rows; Status marks previews
    and tests; the statements are matrix Q5_1..Q5_10; the topics are split into Q7_1..Q7_5."""
    scale, points = ("nl7", 7) if as_xlsx else ("nl5d", 5)
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
            "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
            "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage"]
    meta_text = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
                 "Finished", "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name",
                 "Recipient Email", "External Data Reference", "Location Latitude", "Location Longitude",
                 "Distribution Channel", "User Language"]
    meta_ids = [{"ImportId": x} for x in ("startDate", "endDate", "status", "ipAddress", "progress", "duration",
                                          "finished", "recordedDate", "_recordId", "recipientLastName",
                                          "recipientFirstName", "recipientEmail", "externalDataReference",
                                          "locationLatitude", "locationLongitude", "distributionChannel",
                                          "userLanguage")]
    age_text = "Wat is uw leeftijd? (in jaren)" if as_xlsx else "Wat is uw leeftijd?"
    tags = ["Q2", "Q3", "Q4", "Q4b", "Q4c"] + [f"Q5_{i}" for i in range(1, 11)] + ["Q6"] + [
        f"Q7_{i}" for i in range(1, 6)] + ["Q8", "Q9"]
    texts = [age_text, "Wat is uw geslacht?", "Wat is uw woonsituatie?", "Woont u in een koop- of huurwoning?",
             "Waar zijn u en uw ouders geboren?"]
    texts += [f"{MATRIX_NL} - {statement_text(k, 3 if as_xlsx else 0)}" for k in KEYS]
    texts += [f"{RECRUIT_NL} - Selected Choice"] + [f"{TOPICS_NL} - Selected Choice - {t}" for t in TOPICS]
    texts += [REMARK_NL, "Uw naam (optioneel)"]
    ids = [{"ImportId": f"QID{i}"} for i in (2, 3, 4, 14, 15)] + [
        {"ImportId": f"QID5_{i}"} for i in range(1, 11)] + [{"ImportId": "QID6"}] + [
        {"ImportId": "QID7", "choiceId": str(i)} for i in range(1, 6)] + [
        {"ImportId": "QID8_TEXT"}, {"ImportId": "QID9_TEXT"}]
    if as_xlsx:
        ids = [dict(i, timeZone="Europe/Amsterdam") if i["ImportId"] in ("startDate", "endDate") else i for i in ids]
    meta_ids = [dict(i, timeZone="Europe/Amsterdam") if i["ImportId"] in ("startDate", "endDate",
                                                                          "recordedDate") else i for i in meta_ids]
    rows: list[list[Any]] = [meta + tags, meta_text + texts,
                             [json.dumps(x) for x in meta_ids + ids]]
    truth = []
    for n, (_, p) in enumerate(people.iterrows()):
        codes = _codes(p, points, rng)
        status, channel, excluded = "IP Address", "anonymous", ""
        if p["planted"] == "test":
            if rng.random() < 0.6:
                status, channel, excluded = "Survey Preview", "preview", "preview"
            else:
                status, channel, excluded = "Survey Test", "test", "test"
        start = p["responded_at"]
        end = start + timedelta(minutes=int(rng.integers(3, 20)))
        fmt = "%Y-%m-%d %H:%M:%S"
        name = f"{p['first_name']} {p['last_name']}" if rng.random() < 0.25 else ""
        text, planted = remark(p, rng)
        ip = p["ip"] if status == "IP Address" else ""
        row = [start.strftime(fmt), end.strftime(fmt), status, ip, 100, int((end - start).total_seconds()), True,
               end.strftime(fmt), f"R_{rng.integers(16**14, 16**15):015x}", None, None, None, None,
               round(52.0 + rng.random(), 4), round(4.5 + rng.random(), 4), channel, "NL"]
        row += [p["age"], GENDER_NL[p["reported_gender"]], household_nl(p), TENURE_NL[p["tenure"]],
                ORIGIN_NL[p["origin"]]]
        row += [answer_label(codes[k], scale) for k in KEYS]
        row += [p["recruitment"]] + [t if t in p["topics"] else None for t in TOPICS] + [text or None, name or None]
        rows.append(row)
        truth.append(truth_row(p, file, n + 5 - 1, scale_points=points, codes=codes, excluded=excluded,
                               pii=(ip, name) + planted, asked=_asked(p, age=(p["age"], p["age"] + 1))))
    roles = {"ResponseId": "respondent_id", "StartDate": "responded_at|ignore", "EndDate": "responded_at|ignore",
             "RecordedDate": "responded_at|ignore", "Status": "status", "IPAddress": "pii",
             "Q2": "age", "Q3": "gender", "Q4": "household", "Q4b": "tenure", "Q4c": "origin", "Q6": "recruitment",
             "Q8": "text", "Q9": "pii"}
    roles.update({f"Q5_{i}": "item" for i in range(1, 11)})
    roles.update({f"Q7_{i}": "multi" for i in range(1, 6)})
    headers = {f"Q5_{i}": k for i, k in enumerate(KEYS, start=1)}
    headers.update({texts[5 + i]: k for i, k in enumerate(KEYS)})
    if as_xlsx:
        data = xlsx_bytes([("Sheet0", rows)])
    else:
        data = b"\xef\xbb\xbf" + csv_bytes(rows)
    return Rendered(file, data, pd.DataFrame(truth), roles, headers)


def render_surveymonkey(people: pd.DataFrame, file: str, rng: np.random.Generator) -> Rendered:
    """SurveyMonkey 'All individual responses' xlsx: two header rows; the question text only
    over the first column of a block, the statement / option / 'Response' in row 2."""
    scale = pick_scale(rng, "nl5e")
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
            "First Name", "Last Name", "Custom Data 1"]
    row1 = meta + ["Wat is uw leeftijd?", "Wat is uw geslacht?", "Wat is uw woonsituatie?",
                   "Woont u in een koop- of huurwoning?", "Waar zijn u en uw ouders geboren?", MATRIX_NL]
    row1 += [None] * 9 + [RECRUIT_NL, TOPICS_NL] + [None] * 4 + [REMARK_NL]
    st = [statement_text(k, 0) for k in KEYS]
    row2 = [None] * 9 + ["Response"] * 5 + st + ["Response"] + list(TOPICS) + ["Open-Ended Response"]
    bands = [("18 tot 25 jaar", 18, 25), ("25 tot 45 jaar", 25, 45), ("45 tot 65 jaar", 45, 65),
             ("65 jaar of ouder", 65, 200)]
    rows, truth = [row1, row2], []
    collector = int(rng.integers(400000000, 499999999))
    for n, (_, p) in enumerate(people.iterrows()):
        codes = _codes(p, 5, rng)
        band = next(b for b in bands if b[1] <= p["age"] < b[2])
        start = p["responded_at"]
        end = start + timedelta(minutes=int(rng.integers(3, 20)))
        fmt = "%m/%d/%Y %I:%M:%S %p"
        by_mail = rng.random() < 0.5
        text, planted = remark(p, rng)
        row = [int(11400000000 + rng.integers(0, 99999999)), collector, start.strftime(fmt), end.strftime(fmt),
               p["ip"], p["email"] if by_mail else None, p["first_name"] if by_mail else None,
               p["last_name"] if by_mail else None, None,
               band[0], GENDER_NL[p["reported_gender"]], household_nl(p), TENURE_NL[p["tenure"]],
               ORIGIN_NL[p["origin"]]]
        row += [answer_label(codes[k], scale) for k in KEYS]
        row += [p["recruitment"]] + [t if t in p["topics"] else None for t in TOPICS] + [text or None]
        rows.append(row)
        pii = (p["ip"], p["email"] if by_mail else "",
               f"{p['first_name']}" if by_mail else "") + planted
        truth.append(truth_row(p, file, n + 3, codes=codes, pii=pii, asked=_asked(p, age=band[1:])))
    roles = {"Respondent ID": "respondent_id", "Start Date": "responded_at|ignore", "End Date": "responded_at|ignore",
             "IP Address": "pii",
             "Email Address": "pii", "First Name": "pii", "Last Name": "pii", "Wat is uw leeftijd?": "age_band",
             "Wat is uw geslacht?": "gender", "Wat is uw woonsituatie?": "household",
             "Woont u in een koop- of huurwoning?": "tenure", "Waar zijn u en uw ouders geboren?": "origin",
             RECRUIT_NL: "recruitment", REMARK_NL: "text"}
    roles.update({h: "item" for h in st})
    roles.update({t: "multi" for t in TOPICS})
    return Rendered(file, xlsx_bytes([("Sheet", rows)]), pd.DataFrame(truth), roles, dict(zip(st, KEYS)))


KOBO_XML_SCALE = ("helemaal_oneens", "oneens", "neutraal", "eens", "helemaal_eens")
KOBO_TOPICS = ("groen", "verkeer", "wonen", "zorg", "afval")


def render_kobo(people: pd.DataFrame, file: str, rng: np.random.Generator, xml: bool) -> Rendered:
    """KoboToolbox export with groups in the headers. Labels (xlsx): 'Stellingen/<statement>',
    select_multiple as a joined column plus one 1/0 column per option. XML values and headers
    (CSV, ';'): 'stellingen/s1', choice names, select_multiple space-separated codes."""
    if xml:
        demo = ["over_u/leeftijd", "over_u/geslacht", "over_u/huishouden", "over_u/woning", "over_u/herkomst"]
        st = [f"stellingen/{k}" for k in KEYS]
        multi = ["onderwerpen"] + [f"onderwerpen/{c}" for c in KOBO_TOPICS]
        other = ["gehoord", "opmerkingen", "telefoon_06"]
    else:
        demo = ["Over u/Leeftijd", "Over u/Geslacht", "Over u/Huishouden", "Over u/Woning", "Over u/Herkomst"]
        st = [f"Stellingen/S{i}. {statement_text(k, 0)}" for i, k in enumerate(KEYS, start=1)]
        multi = [f"Onderwerpen/{TOPICS_NL}"] + [f"Onderwerpen/{TOPICS_NL}/{t}" for t in TOPICS]
        other = [f"Afsluiting/{RECRUIT_NL}", f"Afsluiting/{REMARK_NL}", "Afsluiting/Adres", "Afsluiting/Huisnummer"]
    scale = pick_scale(rng, "nl5a")
    meta_end = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
                "__version__", "_tags", "_index"]
    header = ["start", "end"] + demo + st + multi + other + meta_end
    rows, truth = [header], []
    for n, (_, p) in enumerate(people.iterrows()):
        codes = _codes(p, 5, rng)
        validation, excluded = ("Approved" if rng.random() < 0.7 else None), ""
        if p["planted"] == "test":
            validation, excluded = ("Not Approved" if rng.random() < 0.6 else "On Hold"), "not_approved"
        start = p["responded_at"]
        if xml:
            gender = {"man": "man", "vrouw": "vrouw", "wil_niet_zeggen": "zeg_ik_liever_niet"}[p["reported_gender"]]
            items = [("weet_niet" if np.isnan(codes[k]) else KOBO_XML_SCALE[int(codes[k]) - 1]) for k in KEYS]
            picked = [c for c, t in zip(KOBO_TOPICS, TOPICS) if t in p["topics"]]
            demo_cells = [int(p["age"]), gender, p["household"], p["tenure"], p["origin"]]
            multi_cells = [" ".join(picked) or None] + [int(c in picked) for c in KOBO_TOPICS]
            phone = p["phone"] if rng.random() < 0.3 else None
            text, planted = remark(p, rng)
            other_cells = [p["recruitment"].lower().replace(" ", "_").replace(",", ""), text or None, phone]
            pii = (phone or "",) + planted
        else:
            items = [answer_label(codes[k], scale) for k in KEYS]
            demo_cells = [int(p["age"]), GENDER_NL[p["reported_gender"]].lower(), household_nl(p),
                          TENURE_NL[p["tenure"]], ORIGIN_NL[p["origin"]]]
            multi_cells = [" ".join(p["topics"]) or None] + [int(t in p["topics"]) for t in TOPICS]
            street, number = p["address"].rsplit(" ", 1)
            text, planted = remark(p, rng)
            give = rng.random() < 0.35
            other_cells = [p["recruitment"], text or None, street + " " + number if give else None,
                           number if give else None]
            pii = (p["address"] if give else "",) + planted
        row = [start, start + timedelta(minutes=int(rng.integers(4, 25)))] + demo_cells + items + multi_cells
        row += other_cells + [int(300000000 + n), str(uuid.UUID(bytes=rng.bytes(16), version=4)),
                              (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S"), validation, None,
                              "submitted_via_web", "wijkteam_enquete", "vX7fZ2qL", None, n + 1]
        rows.append(row)
        truth.append(truth_row(p, file, n + 2, codes=codes, excluded=excluded, pii=pii,
                               asked=_asked(p, age=(p["age"], p["age"] + 1), recruitment=not xml)))
    roles = {demo[0]: "age", demo[1]: "gender", demo[2]: "household", demo[3]: "tenure", demo[4]: "origin",
             "_uuid": "respondent_id", "_submission_time": "responded_at", "_validation_status": "status",
             "_submitted_by": "pii", other[0]: "recruitment", other[1]: "text", multi[0]: "multi|ignore"}
    roles.update({h: "item" for h in st})
    if xml:
        roles["telefoon_06"] = "pii"
    else:
        roles.update({other[2]: "pii", other[3]: "pii"})
    headers = dict(zip(st, KEYS))
    if xml:
        return Rendered(file, csv_bytes(rows, sep=";"), pd.DataFrame(truth), roles, headers)
    return Rendered(file, xlsx_bytes([(file.split(".")[0][:31], rows)]), pd.DataFrame(truth), roles, headers)


assert all(len(SCALES[s][0]) in (5, 7) for s in SCALES)
