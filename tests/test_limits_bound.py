"""The quick grid bound never under-estimates the precise scan of surveys.limits."""
from __future__ import annotations

import io
import zipfile

from surveys import limits
from tests import builders


def test_quick_bound_is_at_least_the_precise_extent() -> None:
    data = builders.ms_forms_xlsx(builders.wijk_answers(40, seed=5))
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            xml = archive.read(name)
            bound = limits._xlsx_upper_bound([xml], name)
            precise = limits._xlsx_extent([xml], name)
            assert bound.rows >= precise.rows and bound.columns >= precise.columns
            assert precise.rows == 41  # header + 40 answers


def test_empty_styled_cell_far_away_is_not_refused() -> None:
    """An empty styled cell at XFD1 pushes the quick bound over the limit; the precise scan,
    which ignores empty cells as calamine does, then accepts the workbook."""
    xml = (b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
           b'<c r="XFD1" s="1"/></row></sheetData></worksheet>')
    bound = limits._xlsx_upper_bound([xml], "sheet1.xml")
    assert bound.columns == 16384 and not limits._within_limits(bound)
    assert limits._xlsx_extent([xml], "sheet1.xml").columns == 1
