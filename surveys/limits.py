"""Resource guards for imports: file shape, zip contents, and a time and memory bound.

An upload is hostile until proven otherwise. The readers call these checks before a
parser sees the bytes, because some parsers allocate what a file *claims*: calamine
builds a dense grid from the first to the last cell, so one cell in XFD1048576 asks for
17 billion cells; an ODS cell "repeated" 16384 × 1048576 times does the same.

    check_text_shape(data, "export.csv")        # a header of a million commas → error
    check_workbook_extent(data, "export.xlsx")  # streams the sheet XML; nothing is kept
    outcome = run_bounded(read_export, data, "x.xlsx", timeout=60, memory_mb=1024)

Every refusal is a FileTooLargeError (or ImportTimeoutError) with a Dutch message that
names the file.
"""
from __future__ import annotations

import dataclasses
import io
import logging
import multiprocessing
import multiprocessing.connection
import os
import re
import resource
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from surveys.errors import CorruptFileError, FileTooLargeError, SurveyImportError, UnsupportedFormatError
from surveys.numbers import plural

log = logging.getLogger(__name__)

MAX_COLUMNS = 5_000             # Qualtrics with loops reaches ~2,000; Excel allows 16,384
MAX_ROWS = 1_000_000            # a buurt survey has hundreds, a city panel tens of thousands
MAX_CELLS = 4_000_000           # rows × columns of the grid a reader builds (~130 B each)
MAX_CELL_TAGS = 2 * MAX_CELLS   # cell elements scanned (empty ones too) before we give up
MAX_ZIP_MEMBERS = 5_000         # a real workbook has tens of parts
MAX_SCAN_BYTES = 300 * 1024 * 1024  # inflate at most this much while looking
MAX_RATIO = 100                 # inflated / packed, as surveys._read_book judges the directory
RATIO_FLOOR = 5 * 1024 * 1024   # small parts may compress well; only judge big ones
MAX_TAG_BYTES = 8 * 1024 * 1024  # one XML tag or text run longer than this is not a survey
MAX_CELL_CHARS = 5_000          # longer answers are cut (Excel itself stops at 32,767)
HEADER_SCAN_BYTES = 4 * 1024 * 1024
_DELIMITERS = (b",", b";", b"\t", b"|")

# Every pattern below is linear: character classes exclude '<' (which XML does not allow
# inside a tag), quantifiers are possessive, so no start position is ever rescanned
# beyond the next '<'. The checker must not be the slow part it guards against.
_PREFIX = rb"(?:[^\s<>/:=\"'!?]++:)?"
_ATTRS = rb"((?:[^<>\"']++|\"[^\"<]*+\"|'[^'<]*+')*+)"
_XLSX_TAG = re.compile(rb"<(/?)" + _PREFIX + rb"(row|c)(?=[\s/>])" + _ATTRS + rb"(>?)")
_ODS_TAG = re.compile(rb"<(/?)" + _PREFIX + rb"(table|table-row|table-cell|covered-table-cell)"
                      rb"(?=[\s/>])" + _ATTRS + rb"(>?)")
_ATTR = re.compile(rb"(?<![^\s])([^\s=\"']++)\s*+=\s*+(?:\"([^\"]*+)\"|'([^']*+)')"
                   rb"|\"[^\"]*+\"|'[^']*+'")
_PREFIXED_CELL = re.compile(rb":c(?=[\s/>])")  # also in text now and then: costs a full scan
# Excel's own form, r first: <c r="B7" ...>; any other form sends a sheet to the full scan
_CELL_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")


class ImportTimeoutError(SurveyImportError):
    """Reading took longer than the server allows."""

    code = "te-traag"


@dataclass(frozen=True)
class Extent:
    """The largest grid a reader would build for one sheet: rows × columns."""

    part: str
    rows: int
    columns: int
    partial: bool = False  # the scan stopped here, over a limit: the sheet is at least this

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def _too_large(message: str, file_name: str) -> FileTooLargeError:
    return FileTooLargeError(message, file=file_name)


def _dots(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def column_number(letters: bytes | str) -> int:
    """'A' → 1, 'XFD' → 16384; lower case counts as upper case, as calamine reads it."""
    n = 0
    for ch in (letters if isinstance(letters, str) else letters.decode("ascii")).upper():
        n = n * 26 + ord(ch) - 64
    return n


def _within_limits(extent: Extent) -> bool:
    return (extent.columns <= MAX_COLUMNS and extent.rows <= MAX_ROWS
            and extent.cells <= MAX_CELLS)


# ---------------------------------------------------------------- text

def header_columns(data: bytes) -> int:
    """Fields in the first line for the most frequent delimiter (quotes ignored)."""
    head = data[:HEADER_SCAN_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.replace(b"\x00", b"")
    end = head.find(b"\n")
    line = head if end < 0 else head[:end]
    return 1 + max(line.count(d) for d in _DELIMITERS)


def line_count(data: bytes) -> int:
    """Lines in a text file, never fewer than the records a CSV parser finds (a quoted
    answer over two lines counts twice; old Mac files end lines with CR only)."""
    ends = data.count(b"\n") or data.count(b"\r")
    return ends + (0 if data.endswith((b"\n", b"\r")) else 1)


def check_text_shape(data: bytes, file_name: str, *, max_columns: int = MAX_COLUMNS,
                     max_rows: int = MAX_ROWS) -> None:
    """Refuse a CSV whose header is wider, or that is longer, than any survey export."""
    columns = header_columns(data)
    if columns > max_columns:
        raise _too_large(
            f"De eerste regel heeft {_dots(columns)} kolommen; de grens is {_dots(max_columns)}. "
            f"Dit is geen enquête-export. Controleer het scheidingsteken of exporteer "
            f"opnieuw.", file_name)
    lines = line_count(data)
    if lines > max_rows:
        raise _too_large(
            f"Het bestand heeft {_dots(lines)} regels; de grens is {_dots(max_rows)} "
            f"antwoorden. Dit is geen enquête-export van één buurt. Exporteer alleen de "
            f"antwoorden van deze enquête of splits het bestand.", file_name)


# ---------------------------------------------------------------- workbooks (zip)

def _corrupt(file_name: str) -> CorruptFileError:
    return CorruptFileError(
        "De werkmap is beschadigd of niet volledig gedownload. Download de export "
        "opnieuw en probeer het nog eens.", file=file_name)


def _odd(file_name: str, part: str) -> CorruptFileError:
    return CorruptFileError(
        f"De werkmap is vreemd opgebouwd (onderdeel {part}) en wordt daarom niet gelezen. "
        f"Open hem in Excel of LibreOffice en sla hem opnieuw op als .xlsx.", file=file_name)


def check_zip(data: bytes, file_name: str, *, max_members: int = MAX_ZIP_MEMBERS) -> list[zipfile.ZipInfo]:
    """The zip directory, refused when it has absurdly many members."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, RuntimeError,
            NotImplementedError) as error:
        raise _corrupt(file_name) from error
    if len(infos) > max_members:
        raise _too_large(f"De werkmap bestaat uit {len(infos)} onderdelen; een export heeft "
                         f"er hooguit enkele tientallen. Sla alleen het blad met antwoorden "
                         f"op in een nieuwe werkmap.", file_name)
    return infos


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int],
            file_name: str, chunk: int = 1 << 20):
    """Yield the inflated bytes of one member; stop at the shared budget whatever the
    header claims (a lying size field does not get past this)."""
    inflated = 0
    try:
        with archive.open(info) as handle:
            while block := handle.read(chunk):
                budget[0] -= len(block)
                inflated += len(block)
                if inflated > RATIO_FLOOR and inflated > MAX_RATIO * max(1, info.compress_size):
                    raise _too_large(  # what it really inflates to, not what it claims
                        f"Een onderdeel van de werkmap pakt uit tot meer dan {MAX_RATIO} keer "
                        f"zijn eigen grootte. Dat is verdacht; bewaar alleen het blad met "
                        f"antwoorden in een nieuwe werkmap.", file_name)
                if budget[0] < 0:
                    raise _too_large(
                        f"De werkmap pakt uit tot meer dan {MAX_SCAN_BYTES >> 20} MB. Dat is "
                        f"te groot of verdacht; bewaar alleen het blad met antwoorden in een "
                        f"nieuwe werkmap.", file_name)
                yield block
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
            NotImplementedError) as error:  # RuntimeError: encrypted member
        raise _corrupt(file_name) from error


def _segments(blocks, file_name: str, part: str):
    """Re-cut inflated blocks so that no tag is split: each piece ends just before a '<'.
    A run of more than MAX_TAG_BYTES without any '<' (one giant tag or text) is refused."""
    tail = b""
    for block in blocks:
        text = tail + block
        cut = text.rfind(b"<")
        if cut < 0:
            tail = b""  # text only, no tag starts here
            yield text
            continue
        if cut == 0 and len(text) > MAX_TAG_BYTES:
            raise _odd(file_name, part)
        tail = text[cut:]
        if cut:
            yield text[:cut]
    if tail:
        yield tail


def _attributes(attrs: bytes) -> dict[bytes, bytes]:
    """Attribute name (with its prefix) → raw value, left to right; the first of a
    repeated name wins. A quoted value is always consumed whole, so text inside it is
    never read as a name; a name only starts after white space (linear, no rescans)."""
    found: dict[bytes, bytes] = {}
    for name, double, single in _ATTR.findall(attrs):
        if name:
            found.setdefault(name, double or single)
    return found


def _local(found: dict[bytes, bytes], local: bytes) -> bytes | None:
    """The first attribute whose name without prefix is `local` (ODS: any prefix)."""
    for name, value in found.items():
        if name == local or name.endswith(b":" + local):
            return value
    return None


def _self_closed(attrs: bytes) -> bool:
    return attrs.rstrip().endswith(b"/")


def _at_most_number(n: int) -> bytes:
    """A pattern for a row number in Excel's form (no leading zero) that is at most `n`:
    shorter, or as long and smaller at the first digit that differs, or `n` itself.
    Every branch has a fixed length, so matching it is linear."""
    if n < 1:
        return b"(?!)"
    digits = str(n).encode()
    branches = [b"[1-9][0-9]{0,%d}" % (len(digits) - 2)] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        low = ord("1") if i == 0 else ord("0")
        if digit > low:
            branches.append(digits[:i] + b"[%c-%c]" % (low, digit - 1)
                            + b"[0-9]{%d}" % (len(digits) - i - 1))
    return b"|".join(branches + [digits])


def _at_most_column(letters: bytes) -> bytes:
    """A pattern for column letters (capitals) at most as far right as `letters`:
    fewer letters, or as many and smaller at the first letter that differs, or equal."""
    if not letters:
        return b"(?!)"
    branches = [b"[A-Z]{1,%d}" % (len(letters) - 1)] if len(letters) > 1 else []
    for i, letter in enumerate(letters):
        if letter > ord("A"):
            branches.append(letters[:i] + b"[A-%c]" % (letter - 1)
                            + b"[A-Z]{%d}" % (len(letters) - i - 1))
    return b"|".join(branches + [letters])


_EXCEL_CELL = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_ODD_CELL = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]{1,3}[1-9][0-9]{0,6}")')
_RAISES_PER_SEGMENT = 32  # past this many new maxima in one piece, read its cells one by one


def _past(max_row: int, max_col: bytes) -> re.Pattern[bytes]:
    """The first cell that is not in Excel's form, or that lies below `max_row` or right
    of `max_col`: one negative look-ahead per cell (re caches the few patterns a sheet
    needs)."""
    return re.compile(rb'<c(?=[\s/>])(?! r="(?:' + _at_most_column(max_col) + rb")(?:"
                      + _at_most_number(max_row) + rb')")')


def _xlsx_upper_bound(blocks, part: str, file_name: str = "") -> Extent | None:
    """The grid of every cell (empty styled ones too), or None when some cell is not in
    Excel's own form (no prefix, r first, 1-3 capitals, a row of at most 7 digits): then
    only the full scan knows where calamine puts it. No Python work per cell: each piece
    of XML starts from its last cell reference (Excel writes rows and cells in order, so
    that is usually the piece's largest), then one regex search looks for any cell further
    down or right, or not in Excel's form; each find raises the maximum and the search goes
    on from there. Exact whatever the order of rows and cells, and linear: after a few
    raises in one piece (cells out of order) the rest of it is read cell by cell."""
    max_row, max_col = 0, b""

    for text in _segments(blocks, file_name, part):
        if _PREFIXED_CELL.search(text):
            return None  # <x:c ...>: a prefixed cell
        cells = []
        last = text.rfind(b'<c r="')
        if last >= 0 and (cell := _EXCEL_CELL.match(text, last)):
            cells.append((cell[1], cell[2]))
        position, raised = 0, 0
        while True:
            for letters, row in cells:
                max_row = max(max_row, int(row))
                if (len(letters), letters) > (len(max_col), max_col):
                    max_col = letters
            found = _past(max_row, max_col).search(text, position)
            if found is None:
                break
            cell = _EXCEL_CELL.match(text, found.start())
            if cell is None:
                return None  # a cell without r, or with r in another form
            if raised == _RAISES_PER_SEGMENT:  # cells out of order: read the rest plainly
                if _ODD_CELL.search(text, found.start()):
                    return None
                cells = _EXCEL_CELL.findall(text, found.start())
                position = len(text)
            else:
                cells = [(cell[1], cell[2])]
                position, raised = cell.end(), raised + 1
    return Extent(part, max_row, column_number(max_col))


def _xlsx_extent(blocks, part: str, file_name: str = "") -> Extent:
    """Where calamine puts each cell with content, following its rules: a cell's r when
    it has one, else the next column after the previous cell; a row's r, else the row
    after the previous one. Empty cells (`<c r="X9" s="1"/>`) move the position but do
    not widen the grid. Stops as soon as the grid is over a limit."""
    row = col = max_row = max_col = tags = 0
    for text in _segments(blocks, file_name, part):
        for closing, name, attrs, end in _XLSX_TAG.findall(text):
            if not end:
                raise _odd(file_name, part)  # a tag without its '>' before the next '<'
            if name == b"row":
                if closing:
                    row, col = row + 1, 0
                    continue
                ref = _attributes(attrs).get(b"r")  # only r itself: calamine ignores x:r
                if ref is not None:
                    if not ref.isdigit() or int(ref) < 1:
                        raise _odd(file_name, part)
                    row = int(ref) - 1
                if _self_closed(attrs):
                    row, col = row + 1, 0
                continue
            if closing:
                continue
            tags += 1
            ref = _attributes(attrs).get(b"r")
            if ref is None:
                at_row, at_col = row, col
            else:
                match = _CELL_REF.fullmatch(ref)
                if match is None or int(match[2]) < 1:
                    raise _odd(file_name, part)
                at_row, at_col = int(match[2]) - 1, column_number(match[1]) - 1
            col = at_col + 1
            if not _self_closed(attrs):
                max_row, max_col = max(max_row, at_row + 1), max(max_col, at_col + 1)
                if not _within_limits(Extent(part, max_row, max_col)):
                    return Extent(part, max_row, max_col, partial=True)
            if tags > MAX_CELL_TAGS:
                raise _too_large(
                    f"Een blad heeft meer dan {_dots(MAX_CELL_TAGS)} cellen (ook lege). Dat "
                    f"is geen enquête-export; bewaar alleen de antwoorden in een nieuwe "
                    f"werkmap.", file_name)
    return Extent(part, max_row, max_col)


def _repeat(found: dict[bytes, bytes], name: bytes, file_name: str, part: str) -> int:
    value = _local(found, name)
    if value is None:
        return 1
    value = value.strip()
    if not value.isdigit():
        raise _odd(file_name, part)
    return max(1, int(value))


@dataclass
class _Sheet:
    """Running count of one ODS table while it streams past."""

    rows: int = 0          # rows up to the last one with content, repeats included
    columns: int = 0       # widest row, up to its last cell with content
    pending: int = 0       # empty rows since then: they count once content follows

    def extent(self, part: str) -> Extent:
        return Extent(part, self.rows, self.columns)


def _ods_extent(blocks, part: str, file_name: str = "") -> Extent:
    """The largest sheet after ODS repeat attributes, streaming. Repeats count only where
    they carry content or are followed by content: LibreOffice ends every sheet with an
    empty row repeated to row 1048576, which costs calamine nothing (measured). A cell
    has content when it has a value type or is not self-closed (the cautious reading);
    a self-closed row is a row without cells. Stops as soon as a sheet is over a limit."""
    largest = Extent(part, 0, 0)
    tables: list[_Sheet] = []
    width = pending_cols = 0
    repeat = 1
    for text in _segments(blocks, file_name, part):
        for closing, name, attrs, end in _ODS_TAG.findall(text):
            if not end:
                raise _odd(file_name, part)  # a tag without its '>' before the next '<'
            if name == b"table":
                if closing and tables:
                    done = tables.pop().extent(part)
                    if done.cells > largest.cells or done.columns > largest.columns:
                        largest = done
                elif not closing and not _self_closed(attrs):
                    tables.append(_Sheet())
                continue
            if not tables or (closing and name != b"table-row"):
                continue  # cells outside a sheet are not read as one; </cell> says nothing
            sheet = tables[-1]
            if name != b"table-row":  # a cell, covered or not
                found = _attributes(attrs)
                cols = _repeat(found, b"number-columns-repeated", file_name, part)
                if _local(found, b"value-type") is not None or not _self_closed(attrs):
                    width, pending_cols = width + pending_cols + cols, 0
                    if width > MAX_COLUMNS:
                        return Extent(part, max(sheet.rows, 1), width, partial=True)
                else:
                    pending_cols += cols
                continue
            if not closing:  # a row starts
                repeat = _repeat(_attributes(attrs), b"number-rows-repeated", file_name, part)
                width = pending_cols = 0
                if not _self_closed(attrs):
                    continue
            if width:  # the row ends: with content, it and the empty rows before it count
                sheet.rows += sheet.pending + repeat
                sheet.pending = 0
                sheet.columns = max(sheet.columns, width)
                if not _within_limits(sheet.extent(part)):
                    return dataclasses.replace(sheet.extent(part), partial=True)
            else:
                sheet.pending += repeat
            width = pending_cols = 0
            repeat = 1
    for sheet in tables:  # a sheet cut off before its end tag
        done = sheet.extent(part)
        if done.cells > largest.cells or done.columns > largest.columns:
            largest = done
    return largest


def workbook_extents(data: bytes, file_name: str) -> list[Extent]:
    """Stream every sheet of an .xlsx/.xlsm/.ods and measure the grid it implies."""
    infos = check_zip(data, file_name)
    archive = zipfile.ZipFile(io.BytesIO(data))
    budget = [MAX_SCAN_BYTES]
    extents = []
    if any(i.filename.startswith("xl/worksheets/") and i.filename.endswith(".bin")
           for i in infos):  # calamine reads these too, but no scan here can measure them
        raise UnsupportedFormatError(
            "Dit is een binaire Excel-werkmap (.xlsb). Die kan Bereikwijzer niet vooraf "
            "controleren en leest hem daarom niet. Open hem in Excel en sla hem op als .xlsx "
            "(Bestand > Opslaan als).", file=file_name)
    for info in infos:
        name = info.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            bound = _xlsx_upper_bound(_stream(archive, info, budget, file_name), name, file_name)
            extents.append(bound if bound is not None and _within_limits(bound) else
                           _xlsx_extent(_stream(archive, info, budget, file_name), name,
                                        file_name))
        elif name == "content.xml":
            extents.append(_ods_extent(_stream(archive, info, budget, file_name), name,
                                       file_name))
    return extents


def check_workbook_extent(data: bytes, file_name: str, *, max_columns: int = MAX_COLUMNS,
                          max_cells: int = MAX_CELLS, max_rows: int = MAX_ROWS) -> None:
    """Refuse a workbook whose sheets imply a grid no survey export has."""
    if not data.startswith(b"PK\x03\x04"):
        return
    _refuse_extents(workbook_extents(data, file_name), file_name, max_columns=max_columns,
                    max_cells=max_cells, max_rows=max_rows)


def _refuse_extents(extents: list[Extent], file_name: str, *, max_columns: int = MAX_COLUMNS,
                    max_cells: int = MAX_CELLS, max_rows: int = MAX_ROWS) -> None:
    for extent in extents:
        if extent.columns > max_columns or extent.cells > max_cells or extent.rows > max_rows:
            raise _too_large(
                f"Een blad loopt tot {'minstens ' if extent.partial else ''}rij "
                f"{_dots(extent.rows)} en kolom {_dots(extent.columns)} "
                f"({_dots(extent.cells)} cellen); de grens is {_dots(max_cells)} cellen, "
                f"{_dots(max_rows)} rijen en {_dots(max_columns)} kolommen. Verwijder lege of "
                f"losse cellen ver onder of rechts van de antwoorden, of bewaar alleen de "
                f"antwoorden in een nieuwe werkmap.", file_name)


# ---------------------------------------------------------------- old Excel (.xls)
# An .xls is an OLE2 compound file whose "Workbook" stream holds BIFF records; calamine
# builds the grid from the cells with content (blanks and the DIMENSIONS claim ignored,
# measured), so one NUMBER record at row 65535, column 65535 of a 5 kB file asks it for
# 137 GB. We follow the compound file's sector chains to the stream and read only the
# record headers and the row and column of each cell: linear, nothing else decoded.

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_END_OF_CHAIN = 0xFFFFFFFA  # this and above: free, end of chain, FAT or DIFAT sector
_BIFF_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0204, 0x0205, 0x00D6}  # with content
_BIFF_MULRK, _BIFF_BOF, _BIFF_EOF, _BIFF_FILEPASS = 0x00BD, 0x0809, 0x000A, 0x002F


def _ole_workbook_stream(data: bytes, file_name: str) -> bytes | None:
    """The Workbook (or BIFF5 Book) stream of a compound file; None when it has none (an
    encrypted .xlsx or a Word file: the reader says what it is)."""
    import array

    def u16(at: int) -> int:
        return int.from_bytes(data[at:at + 2], "little")

    def u32(at: int) -> int:
        return int.from_bytes(data[at:at + 4], "little")

    if len(data) < 512:
        raise _corrupt(file_name)
    size = 1 << u16(30)
    if size not in (512, 4096):
        raise _corrupt(file_name)
    sectors = max(0, (len(data) - size) // size)

    def sector(number: int) -> bytes:
        if number >= sectors:
            raise _corrupt(file_name)
        return data[(number + 1) * size:(number + 2) * size]

    fat_ids = [u32(76 + 4 * i) for i in range(109)]
    next_difat, seen = u32(68), set[int]()
    while next_difat < _END_OF_CHAIN:
        if next_difat in seen or len(seen) > sectors:
            raise _corrupt(file_name)
        seen.add(next_difat)
        block = sector(next_difat)
        fat_ids += [int.from_bytes(block[i:i + 4], "little") for i in range(0, size - 4, 4)]
        next_difat = int.from_bytes(block[size - 4:], "little")
    fat = array.array("I")
    for number in [f for f in fat_ids if f < _END_OF_CHAIN][:u32(44)]:
        fat.frombytes(sector(number))
    if fat.itemsize != 4:
        raise _corrupt(file_name)

    def chain(start: int, table: Any, limit: int) -> list[int]:
        out: list[int] = []
        visited: set[int] = set()
        while start < _END_OF_CHAIN:
            if start in visited or start >= len(table) or len(out) > limit:
                raise _corrupt(file_name)
            visited.add(start)
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(n) for n in chain(u32(48), fat, sectors))
    entries = []
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at:at + 128]
        length = min(64, int.from_bytes(entry[64:66], "little"))
        name = entry[:max(0, length - 2)].decode("utf-16-le", "replace")
        entries.append((name, entry[66], int.from_bytes(entry[116:120], "little"),
                        int.from_bytes(entry[120:124], "little")))
    streams = {name.lower(): (start, length) for name, kind, start, length in entries if kind == 2}
    found = streams.get("workbook") or streams.get("book")
    if found is None or not entries:
        return None
    start, length = found
    if length >= u32(56):  # a regular stream
        body = b"".join(sector(n) for n in chain(start, fat, sectors))
        return body[:length]
    mini = array.array("I")  # a small stream lives in the root entry's mini stream
    for number in chain(u32(60), fat, sectors):
        mini.frombytes(sector(number))
    root = b"".join(sector(n) for n in chain(entries[0][2], fat, sectors))
    mini_size = 1 << u16(32)
    body = b"".join(root[n * mini_size:(n + 1) * mini_size]
                    for n in chain(start, mini, len(root) // max(1, mini_size)))
    return body[:length]


def _xls_extents(stream: bytes, file_name: str) -> list[Extent]:
    """The grid of every BIFF substream (sheet): content cells only, MULRK to its last
    column. Stops at FILEPASS (an encrypted file: the reader asks for the password)."""
    import struct

    extents: list[Extent] = []
    rows = columns = 0
    position, end = 0, len(stream)
    while position + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, position)
        body, position = position + 4, position + 4 + size
        if kind in _BIFF_CELLS and size >= 4:
            row, column = struct.unpack_from("<HH", stream, body)
        elif kind == _BIFF_MULRK and size >= 6 and position <= end:
            row = struct.unpack_from("<H", stream, body)[0]
            column = struct.unpack_from("<H", stream, position - 2)[0]
        else:
            if kind in (_BIFF_BOF, _BIFF_EOF) and (rows or columns):
                extents.append(Extent("Workbook", rows, columns))
                rows = columns = 0
            if kind == _BIFF_FILEPASS:
                break
            continue
        rows, columns = max(rows, row + 1), max(columns, column + 1)
        if not _within_limits(Extent("Workbook", rows, columns)):
            return extents + [Extent("Workbook", rows, columns, partial=True)]
    if rows or columns:
        extents.append(Extent("Workbook", rows, columns))
    return extents


def check_xls_extent(data: bytes, file_name: str) -> None:
    """Refuse an old-style .xls whose sheets imply a grid no survey export has."""
    stream = _ole_workbook_stream(data, file_name)
    if stream is not None:
        _refuse_extents(_xls_extents(stream, file_name), file_name)


def check_spss_extent(data: bytes, file_name: str) -> None:
    """An SPSS file's own header says how many cases and variables it holds: refuse it
    before the data are read when that grid is larger than any survey (a crafted header
    that lies is caught by the reader itself inside the bounded child)."""
    import io

    import pyreadstat

    try:
        _, meta = pyreadstat.read_sav(io.BytesIO(data), metadataonly=True)
    except Exception:
        return
    rows, columns = int(meta.number_rows or 0), int(meta.number_columns or 0)
    if columns > MAX_COLUMNS or rows > MAX_ROWS or rows * columns > MAX_CELLS:
        raise _too_large(
            f"Het SPSS-bestand heeft {_dots(rows)} antwoorden en {_dots(columns)} variabelen; de "
            f"grens is {_dots(MAX_ROWS)} antwoorden, {_dots(MAX_COLUMNS)} variabelen en "
            f"{_dots(MAX_CELLS)} cellen. Bewaar alleen de variabelen die u nodig hebt.", file_name)


def check_upload(data: bytes, file_name: str) -> None:
    """All shape checks that fit this file's content; cheap next to parsing."""
    if data.startswith(b"PK\x03\x04"):
        check_workbook_extent(data, file_name)
    elif data.startswith(OLE_MAGIC):
        check_xls_extent(data, file_name)
    elif data.startswith((b"$FL2", b"$FL3")):
        check_spss_extent(data, file_name)
    elif not data.startswith(b"\xd0\xcf\x11\xe0"):
        check_text_shape(data, file_name)


# ---------------------------------------------------------------- long cells

def truncate_long_cells(raw: Any, limit: int = MAX_CELL_CHARS) -> Any:
    """The RawExport with every text cell cut to `limit` characters, and a Dutch warning
    naming the column and row. Real answers are far shorter; an 80,000-character cell
    only makes every later step (redaction above all) slow."""
    import pandas as pd

    frame = raw.frame
    rows = getattr(raw, "source_rows", None) or tuple(range(2, len(frame) + 2))
    cut: dict[str, Any] = {}
    notes: list[str] = []
    for position, column in enumerate(frame.columns):
        series = frame.iloc[:, position]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        if isinstance(series.dtype, pd.StringDtype):  # one vectorised call, no per-cell Python
            lengths = series.str.len().fillna(0).astype("int64")
        else:
            lengths = series.map(lambda v: len(v) if isinstance(v, str) else 0)
        long = lengths.to_numpy() > limit
        if not long.any():
            continue
        first = int(long.argmax())
        cut[column] = series.map(lambda v: v[:limit] if isinstance(v, str) and len(v) > limit
                                 else v)
        count = int(long.sum())
        where = f"rij {rows[first]}" if first < len(rows) else "een rij"
        notes.append(
            f"Kolom '{column}': {plural(count, 'antwoord', 'antwoorden')} langer dan "
            f"{_dots(limit)} tekens {'is' if count == 1 else 'zijn'} "
            f"ingekort (de eerste in {where}, {_dots(int(lengths.iloc[first]))} tekens).")
    if not cut:
        return raw
    frame = frame.copy()
    for column, values in cut.items():
        frame[column] = values
    return dataclasses.replace(raw, frame=frame, warnings=tuple(raw.warnings) + tuple(notes))


# ---------------------------------------------------------------- time and memory

TIMEOUT_ENV = "BEREIKWIJZER_IMPORT_TIMEOUT"        # seconds one import may take
MEMORY_ENV = "BEREIKWIJZER_IMPORT_MEMORY_MB"       # memory one import may use above its start


def env_number(name: str, default: float) -> float:
    """A positive number from the environment; the default when unset or not a number."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Bounded:
    """What run_bounded saw: the value, seconds taken, and the child's peak memory."""

    value: Any
    seconds: float
    peak_bytes: int        # highest resident set size of the child (VmHWM)
    extra_bytes: int       # peak minus the resident size before the call


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _child(conn: Any, fn: Callable[..., Any], args: tuple, kwargs: dict,
           memory_mb: int | None, quiet: bool = True, env: dict | None = None) -> None:
    if env is not None:  # the fork server started earlier: take the caller's settings now
        os.environ.clear()
        os.environ.update(env)
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # reset the peak-RSS counter to the current size
    except OSError:
        pass
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not dump answers to disk
    if quiet:  # a native abort (Rust's "memory allocation failed" and its backtrace) is not
        os.environ["RUST_BACKTRACE"] = "0"  # for the user's terminal: the parent reports it
        with open(os.devnull, "wb") as sink:
            os.dup2(sink.fileno(), 2)
    if memory_mb:
        limit = _status_kb("VmSize") * 1024 + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    before = _status_kb("VmRSS")
    start = time.perf_counter()
    try:
        value = fn(*args, **kwargs)
        outcome: tuple = ("ok", value)
    except MemoryError:
        outcome = ("memory", None)
    except Exception as error:  # sent to the parent, which re-raises it
        outcome = ("raised", error)
    except BaseException as error:
        outcome = ("panic", f"{type(error).__name__}: {error}"[:300])
    seconds = time.perf_counter() - start
    peak = _status_kb("VmHWM")
    try:
        conn.send((outcome, seconds, peak * 1024, (peak - before) * 1024))
    except Exception as error:  # the value or error would not pickle
        conn.send((("panic", f"niet over te dragen: {error!r}"[:300]), seconds, peak * 1024,
                   (peak - before) * 1024))
    conn.close()


def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pandas", "surveys.readers"])
    return context


def _bound(error: SurveyImportError) -> SurveyImportError:
    """Mark an error that the bound raised (not the reader): `error.bounded` is True."""
    error.bounded = True
    return error


def run_bounded(fn: Callable[..., Any], *args: Any, timeout: float = 120.0,
                memory_mb: int | None = 1024, file_name: str | None = None,
                quiet: bool = True, **kwargs: Any) -> Bounded:
    """Run `fn(*args, **kwargs)` in a child process with a wall-clock and memory limit.

    A crash, a native out-of-memory abort or a hang in a parser costs only the child;
    the server keeps serving. Errors raised by `fn` are raised here unchanged; running
    out of time or memory becomes a Dutch ImportTimeoutError / FileTooLargeError.
    `quiet`: the child's stderr goes nowhere, so a native crash prints no backtrace.
    """
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, fn, args, kwargs, memory_mb, quiet,
                                                       dict(os.environ)),
                              daemon=True)
    process.start()
    sender.close()
    try:
        ready = multiprocessing.connection.wait([receiver, process.sentinel], timeout)
        if not ready:
            raise _bound(ImportTimeoutError(
                f"Het lezen duurde langer dan {timeout:.0f} seconden en is gestopt. Het "
                f"bestand is te groot of vreemd opgebouwd; bewaar alleen de antwoorden in "
                f"een nieuw bestand.", file=file_name))
        try:
            if not receiver.poll(0.5):
                raise EOFError  # the child ended without an answer: it crashed
            outcome, seconds, peak, extra = receiver.recv()
        except EOFError:
            process.join(5)
            raise _bound(FileTooLargeError(
                f"Het lezen van dit bestand liep vast (code {process.exitcode}), waarschijnlijk "
                f"door te weinig geheugen. Bewaar alleen de antwoorden in een nieuw "
                f"bestand.", file=file_name)) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    kind, value = outcome
    if kind == "memory":
        raise _bound(FileTooLargeError(
            f"Dit bestand vraagt meer dan {memory_mb} MB geheugen om te lezen. Bewaar alleen "
            f"de antwoorden in een nieuw bestand.", file=file_name))
    if kind == "panic":  # a reader crashed on the content (e.g. a Rust panic in calamine)
        log.warning("Lezer liep vast in het begrensde proces: %s", value)
        raise _bound(CorruptFileError(
            "Het bestand kon niet worden gelezen: de lezer liep vast op de inhoud. Het "
            "bestand is beschadigd of vreemd opgebouwd; open het in Excel of LibreOffice en "
            "sla het opnieuw op als .xlsx of .csv.", file=file_name))
    if kind == "raised":
        raise value
    return Bounded(value, seconds, peak, extra)

