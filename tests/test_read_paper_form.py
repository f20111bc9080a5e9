"""Generic Excel typed in from paper: title rows, merged title, instructions sheet."""
from __future__ import annotations

import builders as b
import pandas as pd

from surveys.readers import read_export


def test_paper_form_skips_title_rows_and_picks_data_sheet() -> None:
    answers = b.wijk_answers(21, seed=15)
    raw = read_export(b.paper_form_xlsx(answers), "papieren formulieren.xlsx")
    assert raw.format == "paper_form"  # was "generic": a typed-in paper form is its own kind
    assert raw.header_rows == 1
    assert raw.sheet == "Invoer"
    assert len(raw.frame) == 21
    assert list(raw.frame.columns) == ["Formuliernr"] + list(answers) + ["Ingevoerd op"]
    assert raw.labels == {}
    assert any("'Invoer'" in w for w in raw.warnings)
    assert any("De eerste 3 rijen boven de kopregel zijn overgeslagen" in w for w in raw.warnings)
    assert raw.frame["Formuliernr"].iloc[0] == "P001"
    # three title rows and the header above the data: the first form is on row 5
    assert raw.row_numbers == tuple(range(5, 5 + 21))


def test_paper_form_without_title_rows() -> None:
    raw = read_export(b.paper_form_xlsx(b.wijk_answers(6), title_rows=False,
                                        instructions_sheet=False), "p.xlsx")
    assert raw.sheet == "Invoer" and len(raw.frame) == 6 and raw.warnings == ()
    assert raw.format == "paper_form" and raw.row_numbers == tuple(range(2, 8))


def test_formulas_are_never_evaluated() -> None:
    raw = read_export(b.formulas_xlsx(), "formules.xlsx")
    assert list(raw.frame.columns) == ["Formuliernr", "Leeftijd", "Som", "Opmerking"]
    assert raw.frame["Som"].isna().all()  # no cached value: not computed by us
    assert b.FORMULA_TEXT in raw.frame["Opmerking"].tolist()
    assert "+31 6 1234" in raw.frame["Opmerking"].tolist()


def test_ods_workbook(tmp_path) -> None:
    frame = pd.DataFrame({"Formuliernr": ["P1", "P2", "P3"], "Leeftijd": [34, 56, 78],
                          "Geslacht": ["Vrouw", "Man", "Vrouw"]})
    out = tmp_path / "invoer.ods"
    frame.to_excel(out, index=False, engine="odf", sheet_name="Invoer")
    raw = read_export(out.read_bytes(), "invoer.ods")
    assert raw.format == "paper_form" and raw.sheet == "Invoer"  # Formuliernr: typed in
    assert raw.frame["Leeftijd"].tolist() == [34, 56, 78]


def test_merged_group_header_over_two_rows() -> None:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Invoer"
    ws.append(["Formuliernr", "Stellingen over de buurt", None, "Leeftijd"])
    ws.append([None, "Betrokken", "Vertrouwen", None])
    ws.merge_cells("B1:C1")
    for r in range(5):
        ws.append([f"P{r}", "Mee eens", "Neutraal", 30 + r])
    out = io.BytesIO()
    wb.save(out)
    raw = read_export(out.getvalue(), "stellingen.xlsx")
    assert raw.header_rows == 2
    assert list(raw.frame.columns) == ["Formuliernr", "Stellingen over de buurt - Betrokken",
                                       "Stellingen over de buurt - Vertrouwen", "Leeftijd"]
    assert raw.labels["Stellingen over de buurt - Betrokken"] == "Stellingen over de buurt"
    assert len(raw.frame) == 5
