"""Plant personal data in an export and grep everything the product writes for it.

Names, e-mail addresses, phone numbers, IBANs, IP addresses, street + house number and
coordinates go in both as their own columns (dropped at import) and inside free text
(redacted). The export is imported through surveys.import_files and stored through
store.projects.Store (SQLite in a temporary data directory) with every logger at DEBUG;
then each log record, the raw database bytes (and its WAL), every table row, the
respondents frame and the Excel and HTML reports are searched. 0 found is the goal.
"""
from __future__ import annotations

import io
import logging
import sqlite3
import zipfile
from pathlib import Path

import builders as b
import pytest

from surveys import import_files

PLANTED = {
    "name": ["Hendrikus Zwanenburg", "Geertruida Pannekoek"],
    "email": ["h.zwanenburg@voorbeeldmail.nl", "trudy.pannekoek@example.org"],
    "phone": ["06-81234567", "+31 70 3456789"],
    "iban": ["NL91ABNA0417164300", "NL20 INGB 0001 2345 67"],
    "ip": ["145.97.203.18", "83.160.2.211"],
    "address": ["Zwanenburgstraat 117", "2514 GL 42"],
    "coordinates": ["52.0799123", "4.3113456"],
}
NEEDLES = [value for values in PLANTED.values() for value in values]
TEXTS = [
    "Mijn naam is Hendrikus Zwanenburg, mail me op h.zwanenburg@voorbeeldmail.nl",
    "Bel 06-81234567 of +31 70 3456789 als er nieuws is.",
    "Ik ben Geertruida Pannekoek en woon Zwanenburgstraat 117.",
    "Stort het geld op NL91ABNA0417164300 of NL20 INGB 0001 2345 67 graag.",
    "Mijn adres is 2514 GL 42; mail trudy.pannekoek@example.org",
    "Prima buurt.",
]


def planted_export(n: int = 24) -> bytes:
    """An MS Forms export with PII columns and PII inside the free-text answers."""
    answers = b.wijk_answers(n, seed=3)
    answers[b.REMARKS] = [TEXTS[i % len(TEXTS)] for i in range(n)]
    answers["Wat is uw naam?"] = [PLANTED["name"][i % 2] for i in range(n)]
    answers["Wat is uw e-mailadres?"] = [PLANTED["email"][i % 2] for i in range(n)]
    answers["Telefoonnummer"] = [PLANTED["phone"][i % 2] for i in range(n)]
    answers["IBAN"] = [PLANTED["iban"][i % 2] for i in range(n)]
    answers["IP-adres"] = [PLANTED["ip"][i % 2] for i in range(n)]
    answers["Adres"] = [PLANTED["address"][i % 2] for i in range(n)]
    answers["Latitude"] = [float(PLANTED["coordinates"][0])] * n
    answers["Longitude"] = [float(PLANTED["coordinates"][1])] * n
    return b.ms_forms_xlsx(answers)


def found_in(text: str) -> list[str]:
    """Planted values present in `text` (also with the spaces taken out)."""
    squeezed = text.replace(" ", "")
    return [n for n in NEEDLES if n in text or n.replace(" ", "") in squeezed]


def workbook_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


@pytest.fixture
def imported(tmp_path: Path, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    before = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    from store.projects import Store

    data = planted_export()
    frame = import_files([("Buurtenquête week 1.xlsx", data)])
    store = Store()
    project = store.create_project("PII-proef", area_codes=["BU05183033"])
    store.add_import(project.id, frame, {"file_name": "Buurtenquête week 1.xlsx",
                                         "content_hash": "abc", "tool": "ms_forms"})
    stored = store.respondents(project.id)
    audit = store.audit(project.id)
    store.close()
    yield {"frame": frame, "stored": stored, "audit": audit, "dir": tmp_path,
           "records": caplog.records}
    for logger, level in before:  # put every level back so other tests log normally
        logger.setLevel(level)


def test_planted_values_are_really_in_the_upload() -> None:
    from surveys.readers import read_export

    raw = read_export(planted_export(), "x.xlsx")
    assert set(found_in(raw.frame.to_csv())) == set(NEEDLES)


def test_no_planted_value_in_logs(imported) -> None:
    lines = []
    for record in imported["records"]:
        lines.append(record.getMessage())
        lines.append(repr(record.args))
        if record.exc_text:
            lines.append(record.exc_text)
    assert lines, "nothing was logged: the DEBUG capture did not work"
    assert found_in("\n".join(lines)) == []


def test_no_planted_value_in_the_database(imported) -> None:
    files = sorted(imported["dir"].rglob("*.sqlite*")) + sorted(imported["dir"].rglob("*.db*"))
    assert files, "no SQLite file under BEREIKWIJZER_DATA_DIR"
    raw = b"".join(path.read_bytes() for path in files)
    assert found_in(raw.decode("utf-8", "replace")) == []
    main = [p for p in files if p.suffix in (".sqlite", ".db")][0]
    with sqlite3.connect(main) as conn:
        dump = "\n".join(conn.iterdump())
    assert "respondents" in dump
    assert found_in(dump) == []


def test_no_planted_value_in_frames(imported) -> None:
    for key in ("frame", "stored", "audit"):
        assert found_in(imported[key].to_csv()) == [], key
    assert len(imported["stored"]) == len(imported["frame"]) == 24


def test_no_planted_value_in_reports(imported) -> None:
    from engagement.coverage import compute_coverage
    from reports.report import build_html, build_xlsx
    from store.demo import demo_reference

    coverage = compute_coverage(imported["frame"], demo_reference())
    html = build_html(coverage=coverage, respondents=imported["frame"])
    xlsx = build_xlsx(coverage=coverage, respondents=imported["frame"])
    assert found_in(html) == []
    assert found_in(workbook_text(xlsx)) == []


# Second export: the wordings and patterns of the adversarial round (issue 12).
PLANTED_V2 = {
    "Naam (optioneel)": ["Hendrikus Zwanenburg", "Geertruida Pannekoek"],
    "Uw naam (optioneel)": ["Kees Jansen", "Fatima el Amrani"],
    "Voorletters": ["H.J.", "G.M."],
    "Mailadres": ["h.zwanenburg@voorbeeldmail.nl", "trudy.pannekoek@example.org"],
    "Bsn-nummer": ["123456782", "111222333"],
    "Kenteken": ["XJ-482-K", "ZB-91-TV"],
    "Geboortedatum": ["12-03-1956", "03-05-1948"],
    "06-nummer": ["06-81234567", "0687654321"],
    "Whatsapp": ["+31 6 81234567", "+31 6 87654321"],
    "Straat en huisnummer": ["Zwanenburgstraat 117", "Hoefkade 12a"],
    "Ingevoerd door": ["Marieke Blom", "Ahmed Benali"],
}
TEXTS_V2 = [
    "mijn naam is hendrikus zwanenburg en ik woon hier",
    "Groet, Geertruida Pannekoek",
    "Mail hz(at)voorbeeldmail.nl of bel ０６８１２３４５６７",
    "BSN 123456782, kenteken XJ-482-K, geboren op 12-03-1956.",
    "Hoefkade nummer 12, fam. El Idrissi, 2514 gl 42",
    "Heet Zwanenburg. Mevr. Pannekoek wil een bankje.",
    "Prima buurt.",
]
NEEDLES_V2 = [v for values in PLANTED_V2.values() for v in values] + [
    "hendrikus", "zwanenburg", "Pannekoek", "hz(at)", "81234567", "Idrissi", "2514 gl",
    "Hoefkade nummer 12", "XJ-482-K", "12-03-1956"]


def planted_export_v2(n: int = 24) -> bytes:
    answers = b.wijk_answers(n, seed=4)
    answers[b.REMARKS] = [TEXTS_V2[i % len(TEXTS_V2)] for i in range(n)]
    for header, values in PLANTED_V2.items():
        answers[header] = [values[i % 2] for i in range(n)]
    return b.ms_forms_xlsx(answers)


def found_v2(text: str) -> list[str]:
    text = text.casefold()
    squeezed = text.replace(" ", "")
    return [n for n in NEEDLES_V2
            if n.casefold() in text or n.casefold().replace(" ", "") in squeezed]


def test_new_wordings_and_patterns_never_reach_the_table() -> None:
    from surveys.readers import read_export

    data = planted_export_v2()
    raw = read_export(data, "x.xlsx").frame.to_csv()
    assert set(found_v2(raw)) >= {"Kees Jansen", "hz(at)", "Idrissi", "123456782"}
    frame = import_files([("Buurtenquête week 2.xlsx", data)])
    assert found_v2(frame.to_csv()) == []
    remarks = [c for c in frame.columns if c.startswith("text:")]
    assert remarks and frame[remarks[0]].str.contains(r"\[naam\]", na=False).any()
    assert len(frame) == 24
