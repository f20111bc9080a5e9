"""Shape checks that cannot be walked around (issue 12).

The guard in surveys.limits must count what calamine WILL read. The placement rules it
follows were found by reading small crafted sheets back with calamine; the oracle tests
below keep checking them, so a calamine upgrade that changes a rule shows up here. Every
scan must stay linear in its input: the traps are the kind of text that made the old
'>'-hunting regexes rescan the rest of the file from every '<' (100+ s on 2 kB).
Guards use @pytest.mark.timeout; nothing here asserts a duration.
"""
from __future__ import annotations

import io
import zipfile

import badfiles as bf
import builders as b
import pytest
import python_calamine as calamine

from surveys import errors, limits
from surveys.readers import read_export


def _name(case_id: str) -> str:
    return f"aanval_{case_id}." + (case_id.split("-")[0] if case_id.startswith(("ods", "xls-"))
                                   else "xlsx")


def _clean_refusal(error: BaseException, name: str) -> None:
    assert isinstance(error, errors.SurveyImportError), repr(error)
    assert not getattr(error, "bounded", False), f"the bound stopped it, not the guard: {error}"
    assert error.file == name and f"'{name}'" in str(error)
    assert "Traceback" not in str(error)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case_id", sorted(bf.CRAFTED))
def test_crafted_sheet_is_refused_by_the_guard(case_id: str) -> None:
    name = _name(case_id)
    with pytest.raises(errors.FileTooLargeError) as caught:
        limits.check_upload(bf.CRAFTED[case_id](), name)
    _clean_refusal(caught.value, name)
    assert "grens" in str(caught.value)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("case_id", sorted(bf.CRAFTED))
def test_crafted_sheet_never_reaches_the_reader(case_id: str) -> None:
    """read_export refuses it before calamine starts: in a child with a small memory
    bound, the refusal comes from the guard, not from the bound."""
    name = _name(case_id)
    with pytest.raises(errors.SurveyImportError) as caught:
        limits.run_bounded(read_export, bf.CRAFTED[case_id](), name, timeout=60,
                           memory_mb=1024, file_name=name)
    _clean_refusal(caught.value, name)


def test_the_ods_bomb_is_small() -> None:
    """The 10-million-cell ODS of the issue fits in under 2 kB."""
    assert len(bf.ods_self_closed_row_bomb()) < 2048


# --- the guard against calamine itself (small sheets, read for real) ----------------

_T = '<c t="inlineStr"><is><t>{}</t></is></c>'
XLSX_SHAPES = {
    "no-r": "<row>" + _T.format("a") + _T.format("b") + "</row><row>" + _T.format("c") + "</row>",
    "no-r-in-row-5": '<row r="5">' + _T.format("a") + "<c><v>1</v></c></row>",
    "r-then-no-r": '<row r="1"><c r="C1"><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>',
    "empty-moves-position": '<row r="1"><c r="A1"><v>1</v></c><c r="Z1" s="1"/><c><v>1</v></c></row>',
    "four-letters": '<row r="1"><c r="A1"><v>1</v></c><c r="AAAB1"><v>1</v></c></row>',
    "lower-case": '<row r="1"><c r="A1"><v>1</v></c><c r="ab3"><v>1</v></c></row>',
    "row-r-only": '<row r="1"><c r="A1"><v>1</v></c></row><row r="300"><c><v>1</v></c></row>',
    "row-5-then-row": '<row r="5">' + _T.format("a") + "</row><row>" + _T.format("b") + "</row>",
    "cell-in-other-row": '<row r="1"><c r="C7"><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>',
    "self-closed-row": '<row r="1"><c><v>1</v></c></row><row r="9"/><row><c><v>2</v></c></row>',
    "spaced-quotes": "<row r=\"1\"><c r = \"A1\"><v>1</v></c><c  r='D4'><v>1</v></c></row>",
    "prefixed": '<row r="1"><c r="A1"><v>1</v></c><x:c r="F2"><v>1</v></x:c></row>',
    "leading-zeros": '<row r="1"><c r="A1"><v>1</v></c><c r="B0003"><v>1</v></c></row>',
    "quoted-gt": '<row r="1"><c r="A1"><v>1</v></c><c foo="/>" r="F4"><v>1</v></c></row>',
    "prefixed-r-ignored": '<row r="1"><c r="A1"><v>1</v></c><c x:r="F4"><v>1</v></c></row>',
    "fake-r-in-quotes": "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c foo=\" r='A1'\" r=\"G3\"><v>1</v></c></row>",
    "empty-cells-far": '<row r="1"><c r="A1"><v>1</v></c><c r="J1" s="1"/><c r="K9"></c></row>',
}
_S = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'


def _row(body: str, attrs: str = "") -> str:
    return f"<table:table-row {attrs}>{body}</table:table-row>"


ODS_SHAPES = {
    "plain": _row(_S.format("a") + _S.format("b")) + _row(_S.format("c")),
    "self-closed-rows": _row(_S.format("a")) + '<table:table-row table:number-rows-repeated="5"/>'
                        + _row(_S.format("z")),
    "empty-rows": _row(_S.format("a")) + _row("<table:table-cell/>", 'table:number-rows-repeated="5"')
                  + _row(_S.format("z")),
    "empty-cells-between": _row(_S.format("a") + '<table:table-cell table:number-columns-repeated="7"/>'
                                + _S.format("z")),
    "empty-cells-trailing": _row(_S.format("a") + '<table:table-cell table:number-columns-repeated="7"/>'),
    "content-rows-repeated": _row(_S.format("a")) + _row(_S.format("x"), 'table:number-rows-repeated="4"'),
    "covered": _row(_S.format("a") + '<table:covered-table-cell table:number-columns-repeated="5"/>'
                    + _S.format("z")),
    "row-group": "<table:table-row-group>" + _row(_S.format("a"))
                 + '<table:table-row table:number-rows-repeated="3"/></table:table-row-group>'
                 + _row(_S.format("z")),
    "trailing-grid": _row(_S.format("a")) + _row(
        '<table:table-cell table:number-columns-repeated="16384"/>', 'table:number-rows-repeated="1048575"'),
    "quoted-gt": _row(_S.format("a") + '<table:table-cell foo="/>" table:number-columns-repeated="5"/>'
                      + _S.format("z")),
    "empty-strings-repeated": _row(_S.format("a")) + _row(
        '<table:table-cell table:number-columns-repeated="5" office:value-type="string">'
        "<text:p></text:p></table:table-cell>", 'table:number-rows-repeated="3"') + _row(_S.format("z")),
    "bomb-in-small": "<table:table-row/>" + _row(
        '<table:table-cell table:number-columns-repeated="10" office:value-type="float" office:value="1"/>',
        'table:number-rows-repeated="20"'),
}


def _calamine_grid(data: bytes) -> tuple[int, int]:
    book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    grid = (0, 0)
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        found = (len(rows), max(map(len, rows), default=0))
        grid = max(grid, found, key=lambda g: g[0] * g[1])
    return grid


@pytest.mark.parametrize("shape", sorted(XLSX_SHAPES))
def test_xlsx_extent_covers_what_calamine_reads(shape: str) -> None:
    data = bf.xlsx_sheet(XLSX_SHAPES[shape])
    rows, columns = _calamine_grid(data)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    extent = limits._xlsx_extent([xml], "sheet1.xml")
    assert extent.rows >= rows and extent.columns >= columns
    if shape != "empty-cells-far":  # there the cautious reading counts <c r="K9"></c>
        assert (extent.rows, extent.columns) == (rows, columns)
    bound = limits._xlsx_upper_bound([xml], "sheet1.xml")
    if bound is not None:  # the quick bound only answers when every cell is in Excel's form
        assert bound.rows >= rows and bound.columns >= columns


@pytest.mark.parametrize("shape", sorted(ODS_SHAPES))
def test_ods_extent_covers_what_calamine_reads(shape: str) -> None:
    data = bf.ods_rows(ODS_SHAPES[shape])
    rows, columns = _calamine_grid(data)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    extent = limits._ods_extent([xml], "content.xml")
    assert (extent.rows, extent.columns) == (rows, columns)


def test_quick_bound_declines_cells_not_in_excel_form() -> None:
    for shape in ("no-r", "four-letters", "lower-case", "prefixed", "quoted-gt", "spaced-quotes",
                  "leading-zeros"):
        xml = zipfile.ZipFile(io.BytesIO(bf.xlsx_sheet(XLSX_SHAPES[shape]))).read(
            "xl/worksheets/sheet1.xml")
        assert limits._xlsx_upper_bound([xml], "sheet1.xml") is None, shape


def test_a_tag_split_over_two_blocks_is_read_once() -> None:
    xml = zipfile.ZipFile(io.BytesIO(bf.xlsx_sheet(XLSX_SHAPES["no-r"] * 50))).read(
        "xl/worksheets/sheet1.xml")
    whole = limits._xlsx_extent([xml], "s")
    for size in (1, 7, 64):
        blocks = [xml[i:i + size] for i in range(0, len(xml), size)]
        assert limits._xlsx_extent(blocks, "s") == whole
        assert limits._xlsx_upper_bound(blocks, "s") is None


# --- traps for the scanner itself ----------------------------------------------------

TRAPS = {
    "open-tags": b"<c ", "open-quotes": b'<c a="', "only-lt": b"<", "prefixes": b"<x:",
    "open-rows": b"<row ", "empty-cells": b"<c/>", "r-first": b'<c r="A1" ',
    "names-without-value": b"<c a", "gt-in-quotes": b'<c a=">"', "end-rows": b"</row>",
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("trap", sorted(TRAPS))
def test_scanner_traps_end_quickly_and_cleanly(trap: str) -> None:
    """4 MB of one repeated piece (just under the inflation-ratio floor, so the scanner
    itself does the work): a clean refusal or a small extent, never a stall."""
    data = bf.xlsx_scanner_trap(TRAPS[trap], mb=4)
    assert len(data) < 64 * 1024
    try:
        limits.check_upload(data, "val.xlsx")
    except errors.SurveyImportError as error:
        _clean_refusal(error, "val.xlsx")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("trap", ["open-tags", "only-lt", "empty-cells"])
def test_ods_scanner_traps(trap: str) -> None:
    body = TRAPS[trap].replace(b"<c", b"<table:table-cell").replace(b"<row", b"<table:table-row")
    xml = b"<office:document-content><table:table>" + body * (4 * 2**20 // len(body))
    data = bf._xlsx_replace(bf.valid_ods(1), "content.xml", lambda _: xml)
    try:
        limits.check_upload(data, "val.ods")
    except errors.SurveyImportError as error:
        _clean_refusal(error, "val.ods")


@pytest.mark.timeout(60)
def test_what_really_inflates_too_far_is_refused() -> None:
    """The directory may lie about sizes; the ratio is judged on the bytes inflated."""
    data = bf.xlsx_scanner_trap(b"<", mb=40)
    with pytest.raises(errors.FileTooLargeError, match="keer") as caught:
        limits.check_upload(data, "klein.xlsx")
    _clean_refusal(caught.value, "klein.xlsx")


@pytest.mark.timeout(60)
def test_too_many_empty_cells_are_refused() -> None:
    tags = limits.MAX_CELL_TAGS + 10
    xml = b"<worksheet><sheetData><row>" + b"<c/>" * tags + b"</row></sheetData></worksheet>"
    with pytest.raises(errors.FileTooLargeError, match="ook lege"):
        limits._xlsx_extent([xml[i:i + 2**20] for i in range(0, len(xml), 2**20)], "s", "leeg.xlsx")


def test_a_giant_tag_is_refused() -> None:
    xml = b"<worksheet><sheetData><row><c " + b"a" * (limits.MAX_TAG_BYTES + 10)
    with pytest.raises(errors.CorruptFileError, match="vreemd opgebouwd"):
        limits._xlsx_extent([xml[i:i + 2**20] for i in range(0, len(xml), 2**20)], "s", "x.xlsx")


def test_an_unreadable_reference_is_refused_as_calamine_would() -> None:
    for ref in ("&#65;1", "A", "7", " A1", "A0"):
        with pytest.raises(errors.CorruptFileError):
            limits._xlsx_extent([f'<row><c r="{ref}"><v>1</v></c></row>'.encode()], "s", "x.xlsx")


def test_a_real_export_gets_the_same_answer_from_both_scans() -> None:
    data = b.ms_forms_xlsx(b.wijk_answers(300, seed=2))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    quick = limits._xlsx_upper_bound([xml], "s")
    assert quick is not None and quick == limits._xlsx_extent([xml], "s")
    assert quick.rows == 301 and _calamine_grid(data)[0] == 301


# --- rows and long cells -------------------------------------------------------------

@pytest.mark.timeout(60)
def test_a_three_million_row_csv_is_refused_before_parsing() -> None:
    data = bf.tall_csv()
    with pytest.raises(errors.FileTooLargeError, match="regels") as caught:
        limits.check_upload(data, "lang.csv")
    _clean_refusal(caught.value, "lang.csv")
    assert "3.000.001" in str(caught.value) and "1.000.000" in str(caught.value)


def test_line_count_never_undercounts_records() -> None:
    assert limits.line_count(b"a,b\n1,2\n") == 2
    assert limits.line_count(b"a,b\n1,2") == 2
    assert limits.line_count(b"a,b\r1,2\r3,4") == 3  # old Mac line ends
    assert limits.line_count(b'a,b\n1,"twee\nregels"\n') == 3  # more lines than records


def test_a_tall_sheet_is_refused_on_rows_alone() -> None:
    xml = f'<row r="{limits.MAX_ROWS + 1}"><c r="A{limits.MAX_ROWS + 1}"><v>1</v></c></row>'
    data = bf.xlsx_sheet(xml)
    with pytest.raises(errors.FileTooLargeError, match="1.000.000 rijen"):
        limits.check_upload(data, "lang.xlsx")


@pytest.mark.timeout(60)
def test_long_cells_are_cut_with_a_warning_naming_column_and_row() -> None:
    """read_export cuts (the library, the dashboard and the CLI all read through it)."""
    from dataclasses import replace

    cut = read_export(bf.long_cell_csv(), "lang.csv")
    assert cut.frame["Opmerking"].str.len().max() == limits.MAX_CELL_CHARS
    assert cut.frame["Opmerking"].iloc[0] == "Prima buurt"  # short answers untouched
    long = cut.frame.copy()
    long.loc[long["Opmerking"].str.len() == limits.MAX_CELL_CHARS, "Opmerking"] = "x" * 80_000
    raw = replace(cut, frame=long, warnings=())
    assert limits.truncate_long_cells(raw).frame["Opmerking"].str.len().max() == limits.MAX_CELL_CHARS
    assert raw.frame["Opmerking"].str.len().max() == 80_000  # the input is not changed
    note = cut.warnings[-1]
    assert "'Opmerking'" in note and "rij 14" in note and "80.000 tekens" in note
    assert limits.truncate_long_cells(cut) is cut  # nothing left to cut


def test_truncation_leaves_numbers_and_short_files_alone() -> None:
    raw = read_export(b.ms_forms_xlsx(b.wijk_answers(20, seed=4)), "kort.xlsx")
    assert limits.truncate_long_cells(raw) is raw


# --- everything an upload triggers runs in the bounded child --------------------------

def test_a_native_crash_in_the_child_prints_nothing() -> None:
    """A Rust abort writes 'memory allocation … failed' and a backtrace to stderr; the
    child's stderr is silenced, the parent turns the crash into one Dutch error."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import badfiles\nfrom surveys import limits, errors\n"
            "try:\n    limits.run_bounded(badfiles.noisy_abort, timeout=20, file_name='x.xlsx')\n"
            "except errors.FileTooLargeError as e:\n    print('Fout:', e)\n")
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=root, env={"PYTHONPATH": f"{root}:{root / 'tests'}",
                                                     "PATH": "/usr/bin:/bin"})
    assert done.stdout.startswith("Fout: Bestand 'x.xlsx': Het lezen van dit bestand liep vast")
    assert "panicked" not in done.stderr and "backtrace" not in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.timeout(120)
def test_cli_import_in_the_child_equals_the_library() -> None:
    import surveys
    from surveys.bounded import import_files_bounded

    files = [("wijk.xlsx", b.ms_forms_xlsx(b.wijk_answers(40, seed=7)))]
    bounded = import_files_bounded(files)
    direct = surveys.import_files(files)
    assert list(bounded.columns) == list(direct.columns) and len(bounded) == len(direct) == 40
    assert bounded.attrs.get("warnings") == direct.attrs.get("warnings")


@pytest.mark.timeout(120)
def test_cli_import_cuts_long_cells_before_redaction() -> None:
    from surveys.bounded import import_files_bounded

    frame = import_files_bounded([("lang.csv", bf.long_cell_csv())])
    text = [c for c in frame.columns if c.startswith("text:")]
    assert text and frame[text].map(lambda v: len(v) if isinstance(v, str) else 0).max().max() \
        <= limits.MAX_CELL_CHARS
    assert any("ingekort" in w for w in frame.attrs["warnings"])


@pytest.mark.timeout(120)
@pytest.mark.parametrize("case_id", ["ods-self-closed-row-bomb", "xlsx-eight-digit-row"])
def test_cli_import_refuses_a_crafted_file(case_id: str) -> None:
    from surveys.bounded import import_files_bounded

    name = _name(case_id)
    with pytest.raises(errors.FileTooLargeError) as caught:
        import_files_bounded([(name, bf.CRAFTED[case_id]())])
    _clean_refusal(caught.value, name)


@pytest.mark.timeout(120)
def test_cli_import_out_of_time_or_memory_is_a_dutch_error(monkeypatch) -> None:
    from surveys.bounded import import_files_bounded, inspect_bounded

    data = b.ms_forms_xlsx(b.wijk_answers(2000, seed=3))
    monkeypatch.setenv(limits.TIMEOUT_ENV, "0.001")
    with pytest.raises(limits.ImportTimeoutError, match="langer dan") as caught:
        import_files_bounded([("traag.xlsx", data)])
    assert caught.value.bounded and "'traag.xlsx'" in str(caught.value)
    monkeypatch.setenv(limits.TIMEOUT_ENV, "60")
    monkeypatch.setenv(limits.MEMORY_ENV, "5")
    with pytest.raises(errors.FileTooLargeError, match="geheugen") as caught:
        inspect_bounded(data, "zwaar.xlsx")
    assert caught.value.bounded and "'zwaar.xlsx'" in str(caught.value)


@pytest.mark.timeout(120)
def test_dashboard_builds_respondents_in_the_child() -> None:
    from surveys import import_file
    from ui import upload_limits

    data = b.ms_forms_xlsx(b.wijk_answers(30, seed=9))
    raw, questionnaire, mapping = upload_limits.read_upload(data, "wijk.xlsx", 50 * 2**20)
    bounded = upload_limits.import_upload_bounded(data, "wijk.xlsx", 50 * 2**20, mapping)
    direct = import_file(raw, questionnaire, mapping)
    assert list(bounded.columns) == list(direct.columns) and len(bounded) == 30
    again = upload_limits.import_upload_bounded(data, "wijk.xlsx", 50 * 2**20, mapping,
                                                salt="test|project:1")
    assert len(again) == 30 and {"respondent_id", "source_row"} <= set(again.columns)


def test_header_only_keeps_columns_and_texts_not_answers() -> None:
    from surveys import match_columns
    from ui import upload_limits

    raw, questionnaire, mapping = upload_limits.read_upload(
        b.ms_forms_xlsx(b.wijk_answers(30, seed=9)), "wijk.xlsx", 50 * 2**20)
    skeleton = upload_limits.header_only(raw)
    assert len(skeleton.frame) == 0 and list(skeleton.frame.columns) == list(raw.frame.columns)
    assert skeleton.labels == raw.labels and len(raw.frame) == 30
    # the page's key matching needs only the columns and texts
    full = match_columns(raw, questionnaire, mapping, {}, None, [])[1]
    bare = match_columns(skeleton, questionnaire, mapping, {}, None, [])[1]
    assert [r for r in bare if r["kind"] != "option"] == [r for r in full if r["kind"] != "option"]
    # checkbox options: without answers only the questionnaire's option list is known (a
    # preview; the import itself reads the answers again in the bounded child)
    def keys(rows: list[dict]) -> set[str]:
        return {r["key"] for r in rows if r["kind"] == "option"}
    assert keys(bare) <= keys(full)


@pytest.mark.timeout(120)
def test_dashboard_refuses_too_many_rows_before_the_child(monkeypatch) -> None:
    from ui import upload_limits

    raw, questionnaire, mapping = upload_limits.read_upload(
        b.ms_forms_xlsx(b.wijk_answers(30, seed=9)), "wijk.xlsx", 50 * 2**20)
    monkeypatch.setattr(upload_limits, "MAX_ROWS", 10)
    with pytest.raises(errors.FileTooLargeError, match="de grens is 10"):
        upload_limits._check_rows(raw)  # the rule the import runs before building respondents


@pytest.mark.timeout(120)
def test_dashboard_read_cuts_long_cells() -> None:
    from ui import upload_limits

    raw, _, _ = upload_limits.read_upload_bounded(bf.long_cell_csv(), "lang.csv", 50 * 2**20)
    assert raw.frame["Opmerking"].str.len().max() == limits.MAX_CELL_CHARS
    assert any("ingekort" in w for w in raw.warnings)


# --- a reference file is an upload too ---------------------------------------------------

@pytest.mark.timeout(180)
@pytest.mark.parametrize("case_id", ["xlsx-eight-digit-row", "xlsx-cells-without-r"])
def test_a_crafted_kwb_file_is_refused_on_the_project_page(tmp_path, monkeypatch, case_id) -> None:
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"),
                           default_timeout=120).run()
    at.switch_page("ui/pages/project.py").run()
    name = _name(case_id)
    at.file_uploader(key="kwb_upload").upload(name, bf.CRAFTED[case_id](), "application/octet-stream").run()
    assert not at.exception
    errors = [e.value for e in at.main.error]
    assert errors and "grens" in errors[0] and name in errors[0]


@pytest.mark.timeout(180)
def test_reference_loaders_in_the_child_equal_the_direct_call(cbs_dir) -> None:
    from reference.load import list_areas
    from ui import upload_limits

    data = (cbs_dir / "kwb2023_utrecht_GM0344.xlsx").read_bytes()
    bounded = upload_limits.reference_bounded("list_areas", data, "kwb.xlsx", 50 * 2**20)
    direct = list_areas(data, "kwb.xlsx")
    assert bounded.equals(direct) and len(direct) > 10
    with pytest.raises(ValueError):
        upload_limits.reference_bounded("eval", data, "kwb.xlsx", 50 * 2**20)


@pytest.mark.timeout(120)
def test_cli_reference_file_is_shape_checked_in_the_child() -> None:
    from reference.bounded import reference_bounded

    name = _name("xlsx-four-letter-column")
    with pytest.raises(errors.FileTooLargeError) as caught:
        reference_bounded("load_kwb_file", bf.CRAFTED["xlsx-four-letter-column"](), name,
                          areas=["BU03440111"], min_age=18)
    _clean_refusal(caught.value, name)


def test_a_binary_workbook_is_refused_because_it_cannot_be_measured() -> None:
    """An .xlsb (also one named .xlsx) holds its cells in binary records calamine reads
    but the guard cannot measure: refused with advice, never handed to the reader."""
    base = bf.valid_xlsx(2)
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            name = item.filename.replace("sheet1.xml", "sheet1.bin")
            z.writestr(name, source.read(item.filename))
    for name in ("binair.xlsb", "vermomd.xlsx"):
        with pytest.raises(errors.UnsupportedFormatError, match="als .xlsx") as caught:
            limits.check_upload(out.getvalue(), name)
        _clean_refusal(caught.value, name)


# --- old Excel (.xls): a compound file with BIFF records -----------------------------------

XLS_SHAPES = {
    "one": bf.xls_number(0, 0),
    "two": bf.xls_number(0, 0) + bf.xls_number(4, 2),
    "blank-far": bf.xls_number(0, 0) + bf._biff(0x0201, bytes(4) + b"\x00\x00"),
    "mulrk": bf.xls_number(0, 0) + bf.xls_mulrk(3, 1, 5),
    "dimensions-claim": bf._biff(0x0200, (0).to_bytes(4, "little") + (65536).to_bytes(4, "little")
                                  + bytes(6)) + bf.xls_number(1, 1),
}


@pytest.mark.parametrize("shape", sorted(XLS_SHAPES))
def test_xls_extent_equals_what_calamine_reads(shape: str) -> None:
    data = bf.xls_workbook(XLS_SHAPES[shape])
    stream = limits._ole_workbook_stream(data, "x.xls")
    extents = limits._xls_extents(stream, "x.xls")
    assert [(e.rows, e.columns) for e in extents] == [_calamine_grid(data)]


def test_a_compound_file_with_a_sector_loop_is_refused() -> None:
    data = bytearray(bf.xls_workbook(bf.xls_number(0, 0)))
    fat_at = 512  # builders._cfb: the one FAT sector follows the header
    data[fat_at + 4:fat_at + 8] = (1).to_bytes(4, "little")  # the directory points at itself
    with pytest.raises(errors.CorruptFileError):
        limits.check_upload(bytes(data), "lus.xls")


def test_a_compound_file_without_workbook_is_left_to_the_reader() -> None:
    assert limits._ole_workbook_stream(bf.ole_without_workbook(), "x.xls") is None
    limits.check_upload(bf.encrypted_workbook(), "geheim.xlsx")  # the reader asks for the password


@pytest.mark.timeout(60)
def test_a_reader_panic_becomes_a_dutch_error() -> None:
    """pyo3's PanicException is no Exception: the child reports it, the parent raises a
    Dutch CorruptFileError (the CLI exits 2, the page shows the message)."""
    with pytest.raises(errors.CorruptFileError, match="liep vast op de inhoud") as caught:
        limits.run_bounded(bf.rust_panic, timeout=30, file_name="paniek.xls")
    assert caught.value.bounded and "'paniek.xls'" in str(caught.value)


@pytest.mark.timeout(60)
def test_a_panicking_xls_through_the_bounded_reader() -> None:
    name = "paniek.xls"
    with pytest.raises(errors.SurveyImportError) as caught:
        limits.run_bounded(read_export, bf.xls_panic(), name, timeout=30, file_name=name)
    assert caught.value.file == name and "Traceback" not in str(caught.value)


@pytest.mark.timeout(120)
def test_dashboard_import_file_in_the_child_equals_the_direct_call() -> None:
    """What state.add_import runs (surveys.import_file with the project's salt, on the
    uploaded bytes read again), bounded."""
    from surveys import import_file
    from ui import upload_limits

    data = b.ms_forms_xlsx(b.wijk_answers(25, seed=11))
    raw, questionnaire, mapping = upload_limits.read_upload(data, "wijk.xlsx", 50 * 2**20)
    kwargs = {"known": {}, "keys": {}, "salt": "test|project:1", "layouts": []}
    bounded = upload_limits.import_upload_bounded(data, "wijk.xlsx", 50 * 2**20, mapping, **kwargs)
    direct = import_file(raw, questionnaire, mapping, **kwargs)
    assert list(bounded.columns) == list(direct.columns) and len(bounded) == 25
    assert bounded["respondent_id"].tolist() == direct["respondent_id"].tolist()


@pytest.mark.timeout(60)
def test_the_child_sees_the_callers_environment(monkeypatch) -> None:
    """The fork server may have started before a setting changed; the child takes the
    caller's environment at the call (salt, data folder, limits)."""
    limits.run_bounded(len, b"x")  # make sure the fork server is running
    monkeypatch.setenv("BEREIKWIJZER_TEST_MARK", "gezet-na-de-start")
    assert limits.run_bounded(bf.env_value, "BEREIKWIJZER_TEST_MARK").value == "gezet-na-de-start"


def test_an_spss_file_larger_than_any_survey_is_refused_from_its_header(tmp_path, monkeypatch) -> None:
    """SPSS files are measured too: the header's case and variable counts, before reading."""
    import pandas as pd
    import pyreadstat

    path = tmp_path / "breed.sav"
    pyreadstat.write_sav(pd.DataFrame({f"v{i}": [1.0, 2.0, 3.0] for i in range(40)}), str(path))
    data = path.read_bytes()
    limits.check_upload(data, "breed.sav")  # within the limits
    monkeypatch.setattr(limits, "MAX_COLUMNS", 30)
    with pytest.raises(errors.FileTooLargeError, match="40 variabelen"):
        limits.check_upload(data, "breed.sav")
