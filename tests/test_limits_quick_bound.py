"""The quick grid bound of surveys.limits without per-cell Python work: it must give
exactly what reading every cell reference gives, in any order of rows and cells, and it
must never trust the <dimension> tag."""
from __future__ import annotations

import io
import random
import re
import zipfile

import badfiles as bf
import builders as b
import pytest
import python_calamine as calamine

from surveys import errors, limits

_REF = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')


def _per_cell(xml: bytes) -> tuple[int, int] | None:
    """The plain reading, one reference at a time: the largest row and column over all
    cells, or None when some cell is prefixed or not in Excel's form."""
    if re.search(rb":c(?=[\s/>])", xml):
        return None
    refs = _REF.findall(xml)
    if len(refs) != len(re.findall(rb"<c(?=[\s/>])", xml)):
        return None
    return (max((int(row) for _, row in refs), default=0),
            max((limits.column_number(letters) for letters, _ in refs), default=0))


def _quick(xml: bytes, size: int = 1 << 20) -> tuple[int, int] | None:
    bound = limits._xlsx_upper_bound([xml[i:i + size] for i in range(0, len(xml), size)], "s")
    return None if bound is None else (bound.rows, bound.columns)


def _calamine_grid(data: bytes) -> tuple[int, int]:
    sheet = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    rows = sheet.to_python(skip_empty_area=False)
    return len(rows), max(map(len, rows), default=0)


def _sheet_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def _letters(number: int) -> str:
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


def _cell(column: int, row: int, value: int = 1) -> str:
    return f'<c r="{_letters(column)}{row}"><v>{value}</v></c>'


def _rows(cells: list[tuple[int, int]]) -> str:
    """One <row> per cell, in the given order (so rows may run backwards)."""
    return "".join(f'<row r="{row}">{_cell(column, row)}</row>' for column, row in cells)


def test_the_at_most_patterns_agree_with_comparing_numbers() -> None:
    rng = random.Random(3)
    numbers = list(range(1, 1200)) + [rng.randrange(1, 10**7) for _ in range(300)]
    for bound in [1, 7, 9, 10, 99, 100, 101, 909, 1000, 10001, 1048576, 9999999]:
        pattern = re.compile(limits._at_most_number(bound))
        for n in numbers + [bound - 1, bound, bound + 1]:
            if n >= 1:
                assert bool(pattern.fullmatch(str(n).encode())) == (n <= bound), (bound, n)
    assert re.fullmatch(limits._at_most_number(0), b"1") is None
    columns = list(range(1, 800)) + [rng.randrange(1, 18279) for _ in range(300)]
    for bound in [1, 2, 26, 27, 52, 120, 702, 703, 5000, 16384, 18278]:
        pattern = re.compile(limits._at_most_column(_letters(bound).encode()))
        for n in columns + [bound - 1, bound, bound + 1]:
            if 1 <= n <= 18278:
                assert bool(pattern.fullmatch(_letters(n).encode())) == (n <= bound), (bound, n)
    assert re.fullmatch(limits._at_most_column(b""), b"A") is None


SHAPES = {
    "in-order": _rows([(c, r) for r in range(1, 60) for c in (1, 2, 5)]),
    "rows-backwards": _rows([(3, r) for r in range(400, 0, -1)]),
    "far-cell-first": _rows([(200, 9000)] + [(1, r) for r in range(1, 300)]),
    "cells-backwards-in-a-row": '<row r="1">' + "".join(_cell(c, 1) for c in range(90, 0, -1))
                                + "</row>",
    "many-raises-then-small": _rows([(c, c) for c in range(1, 200)] + [(1, 1)]),
    "last-cell-in-another-row": '<row r="2">' + _cell(1, 2) + _cell(7, 700) + _cell(2, 2)
                                + "</row>",
    "empty-styled-far": '<row r="1">' + _cell(1, 1) + '<c r="AZ40" s="1"/></row>',
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("size", [5, 64, 4096, 1 << 20])
def test_the_quick_bound_equals_reading_every_cell(shape: str, size: int) -> None:
    xml = _sheet_xml(bf.xlsx_sheet(SHAPES[shape]))
    expected = _per_cell(xml)
    assert expected is not None and expected != (0, 0)
    assert _quick(xml, size) == expected


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_quick_bound_covers_what_calamine_reads(shape: str) -> None:
    data = bf.xlsx_sheet(SHAPES[shape])
    rows, columns = _calamine_grid(data)
    quick = _quick(_sheet_xml(data))
    assert quick is not None and quick[0] >= rows and quick[1] >= columns


def test_shuffled_cells_give_the_same_bound_in_any_block_size() -> None:
    rng = random.Random(11)
    cells = [(rng.randrange(1, 300), rng.randrange(1, 5000)) for _ in range(3000)]
    xml = _sheet_xml(bf.xlsx_sheet(_rows(cells)))
    expected = _per_cell(xml)
    assert expected == (max(r for _, r in cells), max(c for c, _ in cells))
    for size in (97, 4096, 1 << 20):
        assert _quick(xml, size) == expected


def test_a_real_export_gets_the_plain_reading() -> None:
    xml = _sheet_xml(b.ms_forms_xlsx(b.wijk_answers(120, seed=4)))
    assert _quick(xml) == _per_cell(xml) != (0, 0)


@pytest.mark.parametrize("odd", ["<c><v>1</v></c>", '<c r="b7"><v>1</v></c>',
                                 '<c s="1" r="B7"><v>1</v></c>', '<c r="B07"><v>1</v></c>',
                                 '<x:c r="B7"><v>1</v></x:c>'])
@pytest.mark.parametrize("where", ["start", "after-many-raises", "end"])
def test_one_cell_outside_excel_form_sends_the_sheet_to_the_full_scan(odd: str, where: str) -> None:
    """Also after the quick scan has switched to reading a piece cell by cell."""
    climbing = "".join(_cell(1, r) for r in range(1, 120))
    body = {"start": odd + climbing, "after-many-raises": climbing + odd + _cell(1, 1),
            "end": climbing + _cell(1, 1) + odd}[where]
    xml = _sheet_xml(bf.xlsx_sheet('<row r="1">' + body + "</row>"))
    assert _per_cell(xml) is None
    for size in (64, 1 << 20):
        assert _quick(xml, size) is None


def test_cells_without_r_in_rows_out_of_order_are_measured_by_the_full_scan() -> None:
    """No r on the cells, rows numbered backwards: the quick bound declines, and what
    check_workbook_extent then measures covers calamine's grid."""
    body = ('<row r="30"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>'
            '<row r="4"><c><v>1</v></c></row>'
            '<row r="12"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c><c><v>4</v></c></row>')
    data = bf.xlsx_sheet(body)
    assert _quick(_sheet_xml(data)) is None
    (extent,) = limits.workbook_extents(data, "rommel.xlsx")
    rows, columns = _calamine_grid(data)
    assert (rows, columns) == (30, 4)
    assert extent.rows >= rows and extent.columns >= columns
    limits.check_workbook_extent(data, "rommel.xlsx")  # small: accepted


def _with_dimension(body: str, ref: str) -> bytes:
    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb"<dimension[^>]*>", b"", xml)
        start, end = xml.index(b"<sheetData>"), xml.index(b"</sheetData>")
        return (xml[:start] + f'<dimension ref="{ref}"/><sheetData>'.encode() + body.encode()
                + xml[end:])
    return bf._xlsx_replace(bf.valid_xlsx(1), "xl/worksheets/sheet1.xml", edit)


def test_a_dimension_that_claims_less_than_the_cells_is_not_trusted() -> None:
    data = _with_dimension(_rows([(1, 1), (300, 2), (2, 4000)]), "A1:B2")
    assert _quick(_sheet_xml(data)) == (4000, 300)
    assert _calamine_grid(data) == (4000, 300)
    far = _with_dimension(_rows([(1, 1), (2000, 3000)]), "A1:B2")  # 6 million cells
    with pytest.raises(errors.FileTooLargeError, match="rij 3.000 en kolom 2.000") as caught:
        limits.check_workbook_extent(far, "klein.xlsx")
    assert caught.value.file == "klein.xlsx"


def test_a_dimension_that_claims_the_whole_grid_does_not_refuse_a_small_sheet() -> None:
    data = _with_dimension(_rows([(c, r) for r in range(1, 21) for c in (1, 3)]),
                           "A1:XFD1048576")
    assert _quick(_sheet_xml(data)) == (20, 3) == _calamine_grid(data)
    limits.check_workbook_extent(data, "eerlijk.xlsx")


def test_the_largest_cell_right_where_the_scan_turns_to_plain_reading_counts() -> None:
    """However many cells raise the maximum before it, the largest one is never skipped."""
    for climbing in range(25, 45):
        cells = [(1, r) for r in range(1, climbing + 1)] + [(300, 9000), (1, 1)]
        xml = _sheet_xml(bf.xlsx_sheet(_rows(cells)))
        assert _quick(xml) == _per_cell(xml) == (9000, 300), climbing
