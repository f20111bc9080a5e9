"""What is in an export: the `inspect --json` report and its Dutch summary.

The CLI and the Importeren page show the same report, so a user sees in one place which
tool was detected, how many respondents there are, what each column holds and which
personal-data columns will be dropped.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from surveys.mapping import suggest_mapping
from surveys.questionnaire import infer_questionnaire
from surveys.respondents import to_respondents

# One wording for the CLI and the dashboard (which capitalises the role names).
FORMAT_NAMES = {
    "ms_forms": "Microsoft Forms", "google_forms": "Google Forms", "qualtrics": "Qualtrics",
    "surveymonkey": "SurveyMonkey", "kobo": "KoboToolbox", "limesurvey": "LimeSurvey",
    "spss": "SPSS", "conversation_log": "Gesprekkenlijst",
    "paper_form": "Papieren formulier (overgetypt)", "generic": "Spreadsheet",
}
KIND_NAMES = {
    "id": "nummer", "timestamp": "tijdstip", "metadata": "technisch gegeven",
    "single": "één keuze", "multi": "meerkeuze", "likert": "schaal (eens/oneens)",
    "numeric": "getal", "date": "datum", "text": "open tekst", "pii": "persoonsgegeven",
    "empty": "leeg",
}
ROLE_NAMES = {
    "respondent_id": "respondentnummer", "responded_at": "datum van antwoord", "age": "leeftijd",
    "birth_year": "geboortejaar", "age_band": "leeftijdsklasse", "gender": "geslacht",
    "household": "huishouden", "tenure": "koop of huur", "origin": "herkomst",
    "postcode": "postcode", "area": "buurt of wijk", "channel": "kanaal",
    "item": "stelling (voor profielen)", "multi": "meerkeuzevraag", "text": "open antwoord",
    "ignore": "niet gebruiken", "residence": "woont in de buurt (filter)",
    "status": "test of voorbeeld (filter)", "recruitment": "hoe gehoord van het onderzoek",
    "weight": "weegfactor",
}


def inspect_export(data: bytes, file_name: str, sheet: str | None = None) -> dict[str, Any]:
    """Read one export and report what was detected (the `inspect --json` shape)."""
    from surveys.readers import read_export

    raw = read_export(data, file_name, sheet=sheet)
    questionnaire = infer_questionnaire(raw)
    mapping = suggest_mapping(raw, questionnaire)
    respondents = to_respondents(raw, mapping, questionnaire)
    # text: the question as the tool wrote it (SPSS variable label, Qualtrics row 2), so
    # a file with 178 variable names stays readable; statement: what identifies the item
    columns = [{"name": q.column, "kind": q.kind, "role": mapping.roles.get(q.column, q.role),
                "pii": q.pii, "options": [] if q.pii else [str(o) for o in q.options],
                "text": q.text, "statement": q.statement or q.text}
               for q in questionnaire.questions]
    return {
        "file": file_name,
        "format": raw.format,
        "header_rows": int(raw.header_rows),
        "sheet": raw.sheet,
        "respondents": int(len(respondents)),
        "channel": mapping.channel,
        "columns": columns,
        "pii_columns": list(questionnaire.pii_columns),
        "warnings": list(raw.warnings) + list(respondents.attrs.get("warnings", [])),
    }


def describe_inspection(report: dict[str, Any]) -> str:
    """A short Dutch summary of an inspect report, for the terminal."""
    fmt = FORMAT_NAMES.get(report["format"], report["format"])
    where = f", blad '{report['sheet']}'" if report.get("sheet") else ""
    rows = report["header_rows"]
    lines = [f"Bestand: {report['file']}",
             f"Herkend als: {fmt}{where}, {rows} kopregel{'s' if rows != 1 else ''}",
             f"Respondenten: {report['respondents']}"]
    kinds = Counter(c["kind"] for c in report["columns"])
    summary = ", ".join(f"{n} {KIND_NAMES.get(k, k)}" for k, n in kinds.most_common())
    lines.append(f"Kolommen: {len(report['columns'])} ({summary})")
    lines.append("")
    for column in report["columns"]:
        role = ROLE_NAMES.get(column["role"], column["role"])
        kind = KIND_NAMES.get(column["kind"], column["kind"])
        mark = "  [wordt niet ingelezen]" if column["pii"] else ""
        lines.append(f"  - {column['name']}: {kind} → {role}{mark}")
    if report["pii_columns"]:
        lines += ["", "Persoonsgegevens die we niet inlezen: " + ", ".join(report["pii_columns"])]
    if report["warnings"]:
        lines += ["", "Let op:"] + [f"  - {w}" for w in report["warnings"]]
    return "\n".join(lines)
