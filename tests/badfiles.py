"""Generators of broken, hostile and odd files for the bad-input suite.

Every function returns bytes. They build on tests/builders.py (valid exports of each
tool) and break them in the ways real uploads break: empty, another type under a
familiar extension, cut off, password-protected, inflating far beyond their size, lying
about their size, absurdly wide, full of merges, full of formula-like text, or in a
muddle of encodings.

    data = badfiles.zip_size_claim(builders.ms_forms_xlsx(builders.wijk_answers(5)))
    read_export(data, "claim.xlsx")        # → FileTooLargeError, nothing inflated

`CASES` lists them as (case id, file name, bytes factory, expectation) where the
expectation is "error" (a SurveyImportError must be raised) or "either" (a clean import
is also fine because the content is valid).
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable

import builders as b
import numpy as np
import pandas as pd

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SPSS_SUFFIXES = (".sav", ".zsav")
ALL_SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES + SPSS_SUFFIXES

FORMULA_PAYLOADS = (
    '=HYPERLINK("http://example.com/x","klik hier")',
    "=cmd|' /C calc'!A0",
    "+31 6 12345678",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
)


# ---------------------------------------------------------------- content of the wrong kind

def empty() -> bytes:
    return b""


def whitespace() -> bytes:
    return b" \r\n\t\r\n\x00\xef\xbb\xbf"


def pdf() -> bytes:
    return b.pdf_bytes()


def png() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def html() -> bytes:
    return (b"<!DOCTYPE html><html><head><title>Inloggen</title></head>"
            b"<body><form>Log in om de export te downloaden</form></body></html>")


def binary_garbage(n: int = 4000, seed: int = 5) -> bytes:
    return bytes(np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8))


def nul_bytes(n: int = 4096) -> bytes:
    return b"\x00" * n


def word_docx() -> bytes:
    """A zip that is a Word document, not a workbook."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def ole_without_workbook() -> bytes:
    """An OLE2 compound file (like an old .doc) without a Workbook stream."""
    return b._cfb({"WordDocument": binary_garbage(5000, seed=11)})


def encrypted_workbook() -> bytes:
    return b.encrypted_xlsx()


# ---------------------------------------------------------------- cut off

def valid_xlsx(n: int = 10) -> bytes:
    return b.ms_forms_xlsx(b.wijk_answers(n))


def valid_ods(n: int = 10) -> bytes:
    answers = b.wijk_answers(n)
    frame = pd.DataFrame({k: [", ".join(v) if isinstance(v, list) else v for v in vals]
                          for k, vals in answers.items()})
    out = io.BytesIO()
    frame.to_excel(out, engine="odf", index=False, sheet_name="Antwoorden")
    return out.getvalue()


def truncated(data: bytes, fraction: float = 0.5) -> bytes:
    return data[: max(1, int(len(data) * fraction))]


def truncated_zip() -> bytes:
    return b.truncated_xlsx()


def zip_without_directory() -> bytes:
    """All local entries present but the central directory cut off."""
    data = valid_xlsx()
    return data[: data.rfind(b"PK\x01\x02")] if b"PK\x01\x02" in data else data


def corrupt_deflate() -> bytes:
    """A workbook whose sheet data bytes are overwritten with garbage (CRC mismatch)."""
    data = bytearray(valid_xlsx())
    start = data.find(b"xl/worksheets/sheet1.xml")
    if start > 0:
        body = start + len("xl/worksheets/sheet1.xml")
        data[body:body + 200] = binary_garbage(200, seed=9)
    return bytes(data)


# ---------------------------------------------------------------- bombs and size claims

def zip_bomb(mb: int = 40) -> bytes:
    return b.zip_bomb_xlsx(mb)


def _patch_sizes(data: bytes, member: str, size: int) -> bytes:
    """Set the uncompressed size of `member` in its local and central headers."""
    out = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (pos := out.find(signature, start)) >= 0:
            start = pos + 4
            name_at = pos + (30 if signature == b"PK\x03\x04" else 46)
            length = struct.unpack_from("<H", out, pos + (26 if signature == b"PK\x03\x04"
                                                          else 28))[0]
            if bytes(out[name_at:name_at + length]) == name:
                struct.pack_into("<I", out, pos + offset, size)
    return bytes(out)


def zip_size_claim(data: bytes | None = None, claim: int = 2**31 - 1) -> bytes:
    """Headers claim the sheet unpacks to 2 GB; the real content is tiny."""
    return _patch_sizes(data or valid_xlsx(), "xl/worksheets/sheet1.xml", claim)


def zip_size_lie(mb: int = 48) -> bytes:
    """The opposite: headers claim a small sheet, the stream inflates to `mb` MB."""
    data = zip_bomb(mb)
    return _patch_sizes(data, "xl/worksheets/sheet1.xml", 4096)


def many_entries_zip(entries: int = 6000) -> bytes:
    """A workbook with tens of thousands of tiny extra members."""
    base = zipfile.ZipFile(io.BytesIO(valid_xlsx(3)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for item in base.infolist():
            z.writestr(item.filename, base.read(item.filename))
        for i in range(entries):
            z.writestr(f"xl/media/x{i}.bin", b"")
    return out.getvalue()


# ---------------------------------------------------------------- absurd shapes

def wide_csv(columns: int = 1_000_000) -> bytes:
    """A header of a million commas, then one short row."""
    return b"Id" + b"," * (columns - 1) + b"\r\n1,2,3\r\n"


def _xlsx_replace(data: bytes, member: str, edit: Callable[[bytes], bytes]) -> bytes:
    base = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in base.infolist():
            body = base.read(item.filename)
            kind = zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED
            z.writestr(item.filename, edit(body) if item.filename == member else body,
                       compress_type=kind)
    return out.getvalue()


def xlsx_dimension_claim(ref: str = "A1:XFD1048576") -> bytes:
    """A small sheet whose <dimension> says it spans the whole grid."""
    def edit(xml: bytes) -> bytes:
        if b"<dimension" in xml:
            return re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml)
        return xml.replace(b"<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>'.encode(), 1)
    return _xlsx_replace(valid_xlsx(), "xl/worksheets/sheet1.xml", edit)


def xlsx_far_cell(ref: str = "XFD1048576") -> bytes:
    """One real cell in the last row and column: a dense reader allocates 17e9 cells."""
    def edit(xml: bytes) -> bytes:
        row = f'<row r="1048576"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", row.encode() + b"</sheetData>", 1)
    return _xlsx_replace(valid_xlsx(), "xl/worksheets/sheet1.xml", edit)


def xlsx_wide(columns: int = 16384, rows: int = 3) -> bytes:
    """A workbook using every column Excel allows, cells really present."""
    def line(r: int, values: list[str]) -> str:
        cells = "".join(f'<c r="{_col(c + 1)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
                        for c, v in enumerate(values))
        return f'<row r="{r}">{cells}</row>'
    body = line(1, [f"v{i}" for i in range(columns)])
    body += "".join(line(r + 2, [str(r)] * columns) for r in range(rows))

    def edit(xml: bytes) -> bytes:
        start, end = xml.index(b"<sheetData>"), xml.index(b"</sheetData>")
        return xml[:start] + b"<sheetData>" + body.encode() + xml[end:]
    return _xlsx_replace(valid_xlsx(1), "xl/worksheets/sheet1.xml", edit)


def ods_repeat_bomb(rows: int = 1_048_576, columns: int = 16) -> bytes:
    """A 2 kB ODS whose one cell is repeated `rows` × `columns` times."""
    def edit(xml: bytes) -> bytes:
        row = (f'<table:table-row table:number-rows-repeated="{rows}">'
               f'<table:table-cell table:number-columns-repeated="{columns}" '
               f'office:value-type="string"><text:p>x</text:p></table:table-cell>'
               f'</table:table-row>').encode()
        return xml.replace(b"</table:table>", row + b"</table:table>", 1)
    return _xlsx_replace(valid_ods(3), "content.xml", edit)


def merged_xlsx(merges: int = 5000) -> bytes:
    """Nested and overlapping merges over the header and body (a badly kept paper form)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Invoer"
    ws.append(["Enquête"] + [None] * 30)
    ws.append(["Formuliernr", "Leeftijd", "Geslacht"] + [f"Vraag {i}" for i in range(28)])
    for r in range(3, 60):
        ws.append([f"P{r:03d}", 20 + r, "Vrouw"] + ["Mee eens"] * 28)
    out = io.BytesIO()
    wb.save(out)
    ranges = ['<mergeCell ref="A1:AE1"/>', '<mergeCell ref="A1:XFD1048576"/>']
    ranges += [f'<mergeCell ref="A{i % 60 + 1}:{_col(i % 30 + 1)}{i % 60 + 2}"/>'
               for i in range(merges)]
    xml = f'<mergeCells count="{len(ranges)}">{"".join(ranges)}</mergeCells>'.encode()

    def edit(body: bytes) -> bytes:
        return body.replace(b"</sheetData>", b"</sheetData>" + xml, 1)
    return _xlsx_replace(out.getvalue(), "xl/worksheets/sheet1.xml", edit)


def _col(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- crafted to slip past a shape check
# Each of these got past the first, regex-based guard (issue 12). They only make sense
# against calamine's placement rules, found by reading small versions back:
# a cell without r goes to the column after the previous cell, in the row of its <row r>
# (or the row after the previous row); lower-case and 4-letter columns and 8-digit rows
# are read as they are; a prefixed tag (<x:c>) is a cell; quick-xml reads a '>' inside a
# quoted attribute as part of the value; a self-closed ODS row is a row.

def xlsx_sheet(body: str, base: bytes | None = None) -> bytes:
    """A valid workbook whose first sheet's <sheetData> is replaced by `body`."""
    def edit(xml: bytes) -> bytes:
        start, end = xml.index(b"<sheetData>"), xml.index(b"</sheetData>")
        return xml[:start] + b"<sheetData>" + body.encode() + xml[end:]
    return _xlsx_replace(base or valid_xlsx(1), "xl/worksheets/sheet1.xml", edit)


def xlsx_sheet_xml(xml: bytes) -> bytes:
    """A valid workbook whose first sheet's XML is exactly `xml` (may be malformed)."""
    return _xlsx_replace(valid_xlsx(1), "xl/worksheets/sheet1.xml", lambda _: xml)


_HEAD = '<row r="1"><c r="A1" t="inlineStr"><is><t>Id</t></is></c></row>'


def xlsx_cells_without_r(columns: int = 6000) -> bytes:
    """One row of `columns` cells, none with an r attribute: as wide as it is long."""
    return xlsx_sheet(_HEAD + "<row>" + "<c><v>1</v></c>" * columns + "</row>")


def xlsx_row_without_r_far_down(row: int = 20_000_000) -> bytes:
    """A cell without r in a row numbered 20 million: calamine allocates every row above."""
    return xlsx_sheet(_HEAD + f'<row r="{row}"><c><v>1</v></c></row>')


def xlsx_four_letter_column(ref: str = "ZZZZ1") -> bytes:
    """Column ZZZZ = 475,254, beyond Excel's XFD but read all the same."""
    return xlsx_sheet(_HEAD + f'<row r="1"><c r="{ref}"><v>1</v></c></row>')


def xlsx_eight_digit_row(ref: str = "B12345678") -> bytes:
    return xlsx_sheet(_HEAD + f'<row r="2"><c r="{ref}"><v>1</v></c></row>')


def xlsx_lowercase_far_cell(ref: str = "xfd1048576") -> bytes:
    return xlsx_sheet(_HEAD + f'<row r="2"><c r="{ref}"><v>1</v></c></row>')


def xlsx_prefixed_far_cell(ref: str = "XFD1048576") -> bytes:
    return xlsx_sheet(_HEAD + f'<row r="2"><x:c r="{ref}"><v>1</v></x:c></row>')


def xlsx_quoted_gt_far_cell(ref: str = "XFD1048576") -> bytes:
    """`foo="/>"` before r: a '>'-bounded regex reads an empty cell and never sees r."""
    return xlsx_sheet(_HEAD + f'<row r="2"><c foo="/>" r="{ref}"><v>1</v></c></row>')


def xlsx_fake_r_in_quotes(ref: str = "XFD1048576") -> bytes:
    """A harmless r='A2' inside another attribute's value, the real r after it."""
    return xlsx_sheet(_HEAD + f'<row r="2"><c foo=" r=\'A2\'" r="{ref}"><v>1</v></c></row>')


def xlsx_empty_cell_then_no_r(ref: str = "XFD1") -> bytes:
    """An empty styled cell far right moves the position; the next cell without r lands
    after it (and is beyond XFD)."""
    return xlsx_sheet(_HEAD + f'<row r="2"><c r="{ref}" s="1"/><c><v>1</v></c></row>')


def xlsx_spaced_attribute(ref: str = "XFD1048576") -> bytes:
    return xlsx_sheet(_HEAD + f"<row r=\"2\"><c  r = '{ref}'><v>1</v></c></row>")


def xlsx_scanner_trap(unit: bytes = b"<c ", mb: float = 4) -> bytes:
    """Sheet XML made of one short piece repeated: the kind of text that made a '>'-hunting
    regex rescan the rest of the file from every '<'. Compresses ~1000:1."""
    n = int(mb * 2**20) // len(unit)
    return xlsx_sheet_xml(b"<worksheet><sheetData>" + unit * n)


def ods_rows(body: str) -> bytes:
    """A valid ODS whose table rows are replaced by `body`."""
    def edit(xml: bytes) -> bytes:
        start, end = xml.index(b"<table:table-row"), xml.rindex(b"</table:table>")
        return xml[:start] + body.encode() + xml[end:]
    return _xlsx_replace(valid_ods(1), "content.xml", edit)


def ods_self_closed_row_bomb(rows: int = 10_000, columns: int = 1_000) -> bytes:
    """A self-closed row, then one row of `columns` numbers repeated `rows` times: about
    1.6 kB that calamine reads as 10 million cells. The old guard took the self-closed
    row as the start of the next one and counted 1 × 1,000 cells."""
    cell = (f'<table:table-cell table:number-columns-repeated="{columns}" '
            'office:value-type="float" office:value="1"/>')
    return ods_rows('<table:table-row/>' + f'<table:table-row table:number-rows-repeated="{rows}">'
                    + cell + "</table:table-row>")


def ods_empty_rows_then_content(rows: int = 2_000_000) -> bytes:
    """Two million self-closed empty rows before one answer: every one of them is read."""
    cell = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    return ods_rows(f'<table:table-row table:number-rows-repeated="{rows}"/>'
                    f"<table:table-row>{cell}</table:table-row>")


def ods_empty_cells_then_content(columns: int = 20_000) -> bytes:
    cell = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    return ods_rows(f'<table:table-row><table:table-cell table:number-columns-repeated="{columns}"/>'
                    f"{cell}</table:table-row>")


def ods_quoted_gt_repeat(columns: int = 20_000) -> bytes:
    cell = (f'<table:table-cell foo="/>" table:number-columns-repeated="{columns}" '
            'office:value-type="float" office:value="1"/>')
    return ods_rows(f"<table:table-row>{cell}</table:table-row>")


def _biff(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def xls_number(row: int, column: int, value: float = 1.0) -> bytes:
    return _biff(0x0203, struct.pack("<HHHd", row, column, 0, value))


def xls_mulrk(row: int, first: int, last: int) -> bytes:
    cells = b"".join(struct.pack("<HI", 0, 0x3FF00000 << 0) for _ in range(last - first + 1))
    return _biff(0x00BD, struct.pack("<HH", row, first) + cells + struct.pack("<H", last))


def xls_workbook(cells: bytes, pad: bool = True) -> bytes:
    """A minimal BIFF8 workbook (one sheet 'Blad1' with these cell records) in an OLE2
    file; calamine reads it. The stream is padded past 4096 bytes so it is a regular
    stream (builders._cfb writes no mini stream)."""
    name = b"Blad1"

    def bof(kind: int) -> bytes:
        return _biff(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))

    def globals_(position: int) -> bytes:
        sheet = struct.pack("<IBB", position, 0, 0) + bytes([len(name), 0]) + name
        return bof(0x0005) + _biff(0x0042, struct.pack("<H", 1200)) + _biff(0x0085, sheet) + _biff(0x000A)

    head = globals_(len(globals_(0)))
    stream = head + bof(0x0010) + cells + _biff(0x000A)
    return b._cfb({"Workbook": stream + b"\0" * (max(0, 4200 - len(stream)) if pad else 0)})


def xls_far_cell() -> bytes:
    """5 kB that asks calamine for a 65,536 × 65,536 grid: 137 GB, a Rust abort."""
    return xls_workbook(xls_number(0, 0) + xls_number(65535, 65535))


def xls_far_column() -> bytes:
    return xls_workbook(xls_number(0, 0) + xls_number(3, 60000))


def xls_mulrk_far() -> bytes:
    return xls_workbook(xls_number(0, 0) + xls_mulrk(2, 1, 6000))


def tall_csv(rows: int = 3_000_000) -> bytes:
    """A 3-million-row CSV (about 33 MB): passes a size limit, then takes a minute and a
    gigabyte to turn into respondents."""
    return b"Id,Leeftijd,Geslacht\n" + b"".join(b"%d,%d,Vrouw\n" % (i, 20 + i % 60)
                                                for i in range(rows))


def long_cell_csv(chars: int = 80_000, rows: int = 13) -> bytes:
    """13 rows, one answer of 80,000 characters (the redaction stall of issue 12)."""
    body = "".join(f"{i},{30 + i},Man,Prima buurt\n" for i in range(1, rows))
    long = "A." * (chars // 2)
    return (f"Id,Leeftijd,Geslacht,Opmerking\n{body}{rows},40,Vrouw,{long}\n").encode()


CRAFTED: dict[str, Callable[[], bytes]] = {
    "xlsx-cells-without-r": xlsx_cells_without_r,
    "xlsx-row-without-r-far-down": xlsx_row_without_r_far_down,
    "xlsx-four-letter-column": xlsx_four_letter_column,
    "xlsx-eight-digit-row": xlsx_eight_digit_row,
    "xlsx-lowercase-far-cell": xlsx_lowercase_far_cell,
    "xlsx-prefixed-far-cell": xlsx_prefixed_far_cell,
    "xlsx-quoted-gt-far-cell": xlsx_quoted_gt_far_cell,
    "xlsx-fake-r-in-quotes": xlsx_fake_r_in_quotes,
    "xlsx-empty-cell-then-no-r": xlsx_empty_cell_then_no_r,
    "xlsx-spaced-attribute": xlsx_spaced_attribute,
    "ods-self-closed-row-bomb": ods_self_closed_row_bomb,
    "ods-empty-rows-then-content": ods_empty_rows_then_content,
    "ods-empty-cells-then-content": ods_empty_cells_then_content,
    "ods-quoted-gt-repeat": ods_quoted_gt_repeat,
    "xls-far-cell": xls_far_cell,
    "xls-far-column": xls_far_column,
    "xls-mulrk-far": xls_mulrk_far,
}


# ---------------------------------------------------------------- formulas and encodings

def formula_rows() -> tuple[list[str], list[list[object]]]:
    header = ["Nr", "Leeftijd", "Opmerking"]
    rows = [[i + 1, 30 + i, text] for i, text in enumerate(FORMULA_PAYLOADS)]
    return header, rows


def formula_csv(delimiter: str = ",") -> bytes:
    header, rows = formula_rows()
    return b.delimited_bytes(header, rows, delimiter=delimiter)


def formula_xlsx() -> bytes:
    """Formula-like text as strings, and real formulas (=cmd|, =HYPERLINK) as formulas."""
    import openpyxl

    header, rows = formula_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Antwoorden"
    ws.append(header + ["Formule"])
    for i, row in enumerate(rows, start=2):
        ws.append(row + [None])
        ws.cell(row=i, column=3).data_type = "s"
        ws.cell(row=i, column=4).value = ("=cmd|' /C calc'!A0" if i % 2
                                          else '=HYPERLINK("http://example.com","x")')
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def formula_ods() -> bytes:
    header, rows = formula_rows()
    out = io.BytesIO()
    pd.DataFrame(rows, columns=header).to_excel(out, engine="odf", index=False)
    return out.getvalue()


def mixed_encoding_csv() -> bytes:
    """UTF-8 at the top, then a Windows-1252 row pasted in (é as byte 0xE9)."""
    top = "Nr;Woonplaats;Opmerking\r\n1;Den Haag;Prima café\r\n".encode()
    bottom = "2;Zoetermeer;Geen idee, misschien een caf\xe9\r\n".encode("cp1252")
    return top + bottom


def mixed_encoding_late_csv(rows: int = 20000) -> bytes:
    """Valid UTF-8 for ~1 MB, one cp1252 byte near the end."""
    body = "".join(f"{i};Den Haag;Prima café {i}\r\n" for i in range(rows)).encode("utf-8")
    return b"Nr;Woonplaats;Opmerking\r\n" + body + "0;Delft;caf\xe9\r\n".encode("cp1252")


def utf16_without_bom() -> bytes:
    return b.utf16_without_bom_csv()


def utf16_with_bom() -> bytes:
    return "Leeftijd;Geslacht\r\n34;Vrouw\r\n56;Man\r\n".encode("utf-16")


def nul_inside_csv() -> bytes:
    """Valid CSV whose NUL bytes start after the first 4 kB sample."""
    body = "".join(f"{i};antwoord {i}\r\n" for i in range(600)).encode()
    return b"Nr;Opmerking\r\n" + body + b"700;a\x00b\x00c\r\n"


def unterminated_quote_csv() -> bytes:
    return b'Nr,Opmerking\r\n1,"begint maar eindigt nooit\r\n2,ok\r\n3,ok\r\n'


def long_line_csv(mb: int = 8) -> bytes:
    return b"Nr,Opmerking\r\n1," + b"a" * (mb << 20) + b"\r\n"


def cr_only_csv() -> bytes:
    return b"Nr;Leeftijd;Geslacht\r1;34;Vrouw\r2;56;Man\r"


# ---------------------------------------------------------------- SPSS

def valid_sav(zsav: bool = False) -> bytes:
    return b.spss_sav(20, zsav=zsav)


def sav_case_claim(zsav: bool = False) -> bytes:
    """A .sav whose header claims 2^31-1 cases (ncases at byte 80)."""
    data = bytearray(valid_sav(zsav))
    struct.pack_into("<i", data, 80, 2**31 - 1)
    return bytes(data)


def sav_garbage_after_magic() -> bytes:
    return b"$FL2" + binary_garbage(3000, seed=2)


# ---------------------------------------------------------------- hostile callables
# (module level, so a child process of run_bounded can import them by name)

def sleep_forever() -> None:
    import time
    time.sleep(60)


def abort() -> None:
    import os
    os.abort()


def noisy_abort() -> None:
    """What a Rust out-of-memory abort looks like from outside: text on fd 2, then SIGABRT."""
    import os
    os.write(2, b"memory allocation of 144 bytes failed\nthread panicked\nstack backtrace:\n")
    os.abort()


def rust_panic() -> None:
    """A reader that panics on the content, as calamine does on some broken .xls files:
    pyo3 raises PanicException, a BaseException that `except Exception` does not catch."""
    import io

    import python_calamine

    python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(xls_panic()))


def xls_panic() -> bytes:
    """A Workbook stream shorter than 4096 bytes written as a regular stream: calamine
    looks for it in the (absent) mini stream and panics (index out of bounds)."""
    return xls_workbook(xls_number(0, 0), pad=False)


def env_value(name: str) -> str | None:
    import os
    return os.environ.get(name)


def allocate() -> bytes:
    return b"x" * (4 * 2**30)


def raise_import_error() -> None:
    from surveys.errors import CorruptFileError
    raise CorruptFileError("Kapot.", file="x.csv")


# ---------------------------------------------------------------- the matrix

def _generic() -> list[tuple[str, Callable[[], bytes], str]]:
    return [("empty", empty, "error"), ("whitespace", whitespace, "error"),
            ("pdf", pdf, "error"), ("png", png, "error"), ("html", html, "either"),
            ("garbage", binary_garbage, "error"), ("nul", nul_bytes, "error"),
            ("docx", word_docx, "error"), ("ole-doc", ole_without_workbook, "error"),
            ("encrypted", encrypted_workbook, "error"), ("truncated-zip", truncated_zip, "error"),
            ("zip-no-directory", zip_without_directory, "error"),
            ("zip-bomb", zip_bomb, "error"), ("zip-claim-2gb", zip_size_claim, "error"),
            ("sav-garbage", sav_garbage_after_magic, "error")]


_SPECIFIC: dict[str, list[tuple[str, Callable[[], bytes], str]]] = {
    "text": [("wide-1e6", wide_csv, "error"), ("formulas", formula_csv, "valid"),
             ("mixed-encoding", mixed_encoding_csv, "either"),
             ("mixed-encoding-late", mixed_encoding_late_csv, "either"),
             ("utf16-no-bom", utf16_without_bom, "either"), ("utf16-bom", utf16_with_bom, "valid"),
             ("nul-inside", nul_inside_csv, "either"),
             ("unterminated-quote", unterminated_quote_csv, "either"),
             ("long-line", long_line_csv, "either"), ("cr-only", cr_only_csv, "either")],
    "zip": [("truncated-75", lambda: truncated(valid_xlsx(), 0.75), "error"),
            ("corrupt-deflate", corrupt_deflate, "error"),
            ("zip-size-lie", zip_size_lie, "error"),
            ("many-entries", many_entries_zip, "either"),
            ("dimension-claim", xlsx_dimension_claim, "either"),
            ("far-cell", xlsx_far_cell, "error"),
            ("wide-16384", xlsx_wide, "either"),
            ("merged", merged_xlsx, "either"), ("formulas", formula_xlsx, "valid"),
            ("ods-repeat-bomb", ods_repeat_bomb, "error"),
            ("ods-repeat-grid", lambda: ods_repeat_bomb(1_048_576, 16_384), "error"),
            ("ods-valid", valid_ods, "valid"), ("ods-formulas", formula_ods, "valid"),
            ("ods-truncated", lambda: truncated(valid_ods(), 0.6), "error")],
    "spss": [("sav-truncated", lambda: truncated(valid_sav(), 0.6), "error"),
             ("zsav-truncated", lambda: truncated(valid_sav(True), 0.6), "error"),
             ("sav-case-claim", sav_case_claim, "either"),
             ("zsav-case-claim", lambda: sav_case_claim(True), "either")],
}


_CACHE: dict[tuple[str, Callable[[], bytes]], bytes] = {}


def _cached(case_id: str, factory: Callable[[], bytes]) -> Callable[[], bytes]:
    """The same broken bytes serve every suffix: build each file once per session."""
    def build() -> bytes:
        key = (case_id, getattr(factory, "__code__", factory))
        if key not in _CACHE:
            _CACHE[key] = factory()
        return _CACHE[key]
    return build


def cases() -> list[tuple[str, str, Callable[[], bytes], str]]:
    """(case id, file name, factory, expectation) for every importer suffix.

    Expectation: "error" = must raise a SurveyImportError; "valid" = must import;
    "either" = a typed error or a clean import are both acceptable.
    """
    out = []
    for suffix in ALL_SUFFIXES:
        group = ("text" if suffix in TEXT_SUFFIXES else
                 "spss" if suffix in SPSS_SUFFIXES else "zip")
        for case_id, factory, expect in _generic() + _SPECIFIC[group]:
            if group != "zip" and case_id == "formulas" and suffix == ".tsv":
                factory = lambda: formula_csv("\t")  # noqa: E731
            out.append((f"{suffix[1:]}-{case_id}", f"kapot_{case_id}{suffix}",
                        _cached(case_id, factory), expect))
    return out
