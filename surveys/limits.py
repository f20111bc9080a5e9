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

import io
import multiprocessing
import multiprocessing.connection
import re
import resource
import time
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any, Callable

from surveys.errors import CorruptFileError, FileTooLargeError, SurveyImportError

MAX_COLUMNS = 5_000             # Qualtrics with loops reaches ~2,000; Excel allows 16,384
MAX_CELLS = 4_000_000           # rows × columns of the grid a reader builds (~130 B each)
MAX_ZIP_MEMBERS = 5_000         # a real workbook has tens of parts
MAX_SCAN_BYTES = 300 * 1024 * 1024  # inflate at most this much while looking
HEADER_SCAN_BYTES = 4 * 1024 * 1024
_DELIMITERS = (b",", b";", b"\t", b"|")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d{1,7})"[^>]*?(/?)>')
# Cheap over-estimates for the common case: any cell reference's column, any row number
_ANY_COLUMN = re.compile(rb' r="([A-Z]{1,3})\d')
_ANY_ROW = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="(\d{1,7})"')
_ODS_TABLE = re.compile(rb"<table:table(?:\s[^>]*)?>(.*?)</table:table>", re.S)
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*)>(.*?)</table:table-row>", re.S)
_ODS_ROW_REPEAT = re.compile(rb'table:number-rows-repeated="(\d+)"')
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ODS_COL_REPEAT = re.compile(rb'table:number-columns-repeated="(\d+)"')


class ImportTimeoutError(SurveyImportError):
    """Reading took longer than the server allows."""

    code = "te-traag"


@dataclass(frozen=True)
class Extent:
    """The largest grid a reader would build for one sheet: rows × columns."""

    part: str
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def _too_large(message: str, file_name: str) -> FileTooLargeError:
    return FileTooLargeError(message, file=file_name)


def column_number(letters: bytes | str) -> int:
    """'A' → 1, 'XFD' → 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


# ---------------------------------------------------------------- text

def header_columns(data: bytes) -> int:
    """Fields in the first line for the most frequent delimiter (quotes ignored)."""
    head = data[:HEADER_SCAN_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.replace(b"\x00", b"")
    end = head.find(b"\n")
    line = head if end < 0 else head[:end]
    return 1 + max(line.count(d) for d in _DELIMITERS)


def check_text_shape(data: bytes, file_name: str, *, max_columns: int = MAX_COLUMNS) -> None:
    """Refuse a CSV whose header has more columns than any survey export can have."""
    columns = header_columns(data)
    if columns > max_columns:
        raise _too_large(
            f"De eerste regel heeft {columns:,} kolommen; de grens is {max_columns:,}. "
            f"Dit is geen enquête-export. Controleer het scheidingsteken of exporteer "
            f"opnieuw.".replace(",", "."), file_name)


# ---------------------------------------------------------------- workbooks (zip)

def check_zip(data: bytes, file_name: str, *, max_members: int = MAX_ZIP_MEMBERS) -> list[zipfile.ZipInfo]:
    """The zip directory, refused when it has absurdly many members."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, RuntimeError,
            NotImplementedError) as error:
        raise CorruptFileError(
            "De werkmap is beschadigd of niet volledig gedownload. Download de export "
            "opnieuw en probeer het nog eens.", file=file_name) from error
    if len(infos) > max_members:
        raise _too_large(f"De werkmap bestaat uit {len(infos)} onderdelen; een export heeft "
                         f"er hooguit enkele tientallen. Sla alleen het blad met antwoorden "
                         f"op in een nieuwe werkmap.", file_name)
    return infos


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int],
            file_name: str, chunk: int = 1 << 20):
    """Yield the inflated bytes of one member; stop at the shared budget whatever the
    header claims (a lying size field does not get past this)."""
    try:
        with archive.open(info) as handle:
            while block := handle.read(chunk):
                budget[0] -= len(block)
                if budget[0] < 0:
                    raise _too_large(
                        f"De werkmap pakt uit tot meer dan {MAX_SCAN_BYTES >> 20} MB. Dat is "
                        f"te groot of verdacht; bewaar alleen het blad met antwoorden in een "
                        f"nieuwe werkmap.", file_name)
                yield block
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
            NotImplementedError) as error:  # RuntimeError: encrypted member
        raise CorruptFileError(
            "De werkmap is beschadigd of niet volledig gedownload. Download de export "
            "opnieuw en probeer het nog eens.", file=file_name) from error


def _xlsx_extent(blocks, part: str) -> Extent:
    """Largest row and column of cells with content. A <dimension> claim and empty
    styled cells (`<c r="X9" s="1"/>`) are ignored, as calamine ignores them."""
    max_row = max_col = 0
    tail = b""
    for block in blocks:
        text, tail = tail + block, block[-512:]  # a tag may straddle two blocks
        for col, row, closed in _CELL_REF.findall(text):
            if not closed:
                max_col = max(max_col, column_number(col))
                max_row = max(max_row, int(row))
    return Extent(part, max_row, max_col)


def _ods_extent(blocks, part: str) -> Extent:
    """The largest sheet after ODS repeat attributes. Repeats count only where they
    carry content or are followed by content: LibreOffice ends every sheet with an
    empty row repeated to row 1048576, which costs a reader nothing."""
    text = b"".join(blocks)  # content.xml is bounded by the scan budget
    largest = Extent(part, 0, 0)
    for table in _ODS_TABLE.findall(text):
        rows = columns = pending_rows = 0
        for attrs, body in _ODS_ROW.findall(table):
            repeat = int((_ODS_ROW_REPEAT.search(attrs) or [0, b"1"])[1])
            width = pending_cols = 0
            for cell_attrs, closed in _ODS_CELL.findall(body):
                cols = int((_ODS_COL_REPEAT.search(cell_attrs) or [0, b"1"])[1])
                if closed and b"office:value" not in cell_attrs:
                    pending_cols += cols
                else:
                    width += pending_cols + cols
                    pending_cols = 0
            if width:
                rows += pending_rows + repeat
                pending_rows = 0
                columns = max(columns, width)
            else:
                pending_rows += repeat
        if rows * columns > largest.cells or columns > largest.columns:
            largest = Extent(part, rows, columns)
    return largest


def _xlsx_upper_bound(blocks, part: str) -> Extent:
    """A quick bound on the grid (counts empty styled cells too): about three times faster
    than _xlsx_extent, which only runs when this bound is over a limit."""
    columns: set[bytes] = set()
    max_row = 0
    tail = b""
    for block in blocks:
        text, tail = tail + block, block[-512:]
        columns.update(_ANY_COLUMN.findall(text))
        max_row = max([max_row, *map(int, _ANY_ROW.findall(text))])
    return Extent(part, max_row, max((column_number(c) for c in columns), default=0))


def _within_limits(extent: Extent) -> bool:
    return extent.columns <= MAX_COLUMNS and extent.cells <= MAX_CELLS


def workbook_extents(data: bytes, file_name: str) -> list[Extent]:
    """Stream every sheet of an .xlsx/.xlsm/.ods and measure the grid it implies."""
    infos = check_zip(data, file_name)
    archive = zipfile.ZipFile(io.BytesIO(data))
    budget = [MAX_SCAN_BYTES]
    extents = []
    for info in infos:
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            bound = _xlsx_upper_bound(_stream(archive, info, budget, file_name), info.filename)
            extents.append(bound if _within_limits(bound) else
                           _xlsx_extent(_stream(archive, info, budget, file_name), info.filename))
        elif info.filename == "content.xml":
            extents.append(_ods_extent(_stream(archive, info, budget, file_name),
                                       info.filename))
    return extents


def check_workbook_extent(data: bytes, file_name: str, *, max_columns: int = MAX_COLUMNS,
                          max_cells: int = MAX_CELLS) -> None:
    """Refuse a workbook whose sheets imply a grid no survey export has."""
    if not data.startswith(b"PK\x03\x04"):
        return
    for extent in workbook_extents(data, file_name):
        if extent.columns > max_columns or extent.cells > max_cells:
            raise _too_large(
                f"Een blad loopt tot rij {extent.rows:,} en kolom {extent.columns:,} "
                f"({extent.cells:,} cellen); de grens is {max_cells:,} cellen. Verwijder "
                f"lege of losse cellen ver onder of rechts van de antwoorden, of bewaar "
                f"alleen de antwoorden in een nieuwe werkmap.".replace(",", "."), file_name)


def check_upload(data: bytes, file_name: str) -> None:
    """All shape checks that fit this file's content; cheap next to parsing."""
    if data.startswith(b"PK\x03\x04"):
        check_workbook_extent(data, file_name)
    elif not data.startswith((b"\xd0\xcf\x11\xe0", b"$FL2", b"$FL3")):
        check_text_shape(data, file_name)


# ---------------------------------------------------------------- time and memory

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
           memory_mb: int | None) -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # reset the peak-RSS counter to the current size
    except OSError:
        pass
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not dump answers to disk
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
    except BaseException as error:  # sent to the parent, which re-raises it
        outcome = ("raised", error)
    seconds = time.perf_counter() - start
    peak = _status_kb("VmHWM")
    try:
        conn.send((outcome, seconds, peak * 1024, (peak - before) * 1024))
    except Exception as error:  # the value or error would not pickle
        conn.send((("raised", RuntimeError(repr(error))), seconds, peak * 1024,
                   (peak - before) * 1024))
    conn.close()


def _context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pandas", "surveys.readers"])
    return context


def _bound(error: SurveyImportError) -> SurveyImportError:
    """Mark an error that the bound raised (not the reader): `error.bounded` is True."""
    error.bounded = True
    return error


def run_bounded(fn: Callable[..., Any], *args: Any, timeout: float = 120.0,
                memory_mb: int | None = 1024, file_name: str | None = None,
                **kwargs: Any) -> Bounded:
    """Run `fn(*args, **kwargs)` in a child process with a wall-clock and memory limit.

    A crash, a native out-of-memory abort or a hang in a parser costs only the child;
    the server keeps serving. Errors raised by `fn` are raised here unchanged; running
    out of time or memory becomes a Dutch ImportTimeoutError / FileTooLargeError.
    """
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, fn, args, kwargs, memory_mb),
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
    if kind == "raised":
        raise value
    return Bounded(value, seconds, peak, extra)

