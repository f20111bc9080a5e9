"""Delimited text (.csv/.tsv/.txt): encoding, delimiter, decimal comma, header rows.

Dutch Excel writes `;`, a decimal comma and cp1252 or UTF-8 with BOM; survey tools write
`,` and UTF-8; some write UTF-16 with tabs. We sniff all of this from the bytes, parse
the header rows ourselves (they may hold quoted newlines) and let pandas parse the body.
"""
from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import warnings
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from surveys.detect import Layout, detect_layout
from surveys.errors import CorruptFileError, EncodingError

logger = logging.getLogger(__name__)

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 256 * 1024
CHUNK_BYTES = 4 * 1024 * 1024
TOP_RECORDS = 25
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_DECIMAL_POINT = re.compile(r"^-?\d+\.\d+$")
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 met BOM", "utf-16": "UTF-16",
                  "cp1252": "Windows-1252"}


@dataclass(frozen=True)
class TextFormat:
    encoding: str
    delimiter: str
    decimal: str


def detect_encoding(data: bytes, file_name: str) -> tuple[str, str]:
    """Return (encoding, decoded start of the text); refuse what is not readable text.

    The whole file is validated chunk by chunk, but only the first SAMPLE_BYTES are kept
    as text: pandas decodes the body itself, so a 50 MB export is not held twice.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in data[:4096]:
        raise EncodingError(
            "Dit bestand is geen leesbare tekst: het bevat nul-tekens, bijvoorbeeld UTF-16 "
            "zonder kenmerk (BOM) of een ander bestandstype. Sla het in Excel op als "
            "'CSV UTF-8 (door komma's gescheiden)' of als .xlsx en probeer opnieuw.",
            file=file_name)
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            sample = _validate(data, encoding)
            break
        except UnicodeDecodeError as error:
            failure = error
    else:
        raise EncodingError(
            f"De tekens in dit bestand zijn niet te lezen (geen UTF-8, UTF-16 of Windows-1252; "
            f"fout bij byte {failure.start}). Sla het bestand op als 'CSV UTF-8' of als .xlsx "
            f"en probeer opnieuw.", file=file_name) from failure
    controls = sum(1 for ch in sample[:4096] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 0.01 * min(len(sample), 4096):
        raise EncodingError(
            "Dit bestand lijkt geen tekst (CSV) te zijn maar een ander soort bestand. "
            "Exporteer de antwoorden als .csv of .xlsx en probeer opnieuw.", file=file_name)
    return encoding, sample.removeprefix("\ufeff")


def _validate(data: bytes, encoding: str) -> str:
    """Decode everything (raising on bad bytes) and keep only the sample."""
    decoder = codecs.getincrementaldecoder(encoding)()
    sample = decoder.decode(data[:SAMPLE_BYTES], final=len(data) <= SAMPLE_BYTES)
    for start in range(SAMPLE_BYTES, len(data), CHUNK_BYTES):
        chunk = data[start:start + CHUNK_BYTES]
        decoder.decode(chunk, final=start + CHUNK_BYTES >= len(data))
    return sample


def sniff_delimiter(sample: str, prefer: str | None = None, complete: bool = True) -> str:
    """The delimiter that splits the sample rows into the most consistent field count."""
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        rows = _records(sample, delimiter, 60)
        if not complete and len(rows) > 2:
            rows = rows[:-1]  # the sample may cut the last record
        counts = Counter(len(r) for r in rows if any(c.strip() for c in r))
        if not counts:
            continue
        width, hits = counts.most_common(1)[0]
        if width < 2:
            continue
        score = (hits / sum(counts.values()) + (0.5 if delimiter == prefer else 0.0), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _records(text: str, delimiter: str, limit: int) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


def sniff_decimal(rows: list[list[str]], delimiter: str) -> str:
    if delimiter == ",":
        return "."
    comma = point = 0
    for row in rows:
        for cell in row:
            cell = cell.strip()
            comma += bool(_DECIMAL_COMMA.match(cell))
            point += bool(_DECIMAL_POINT.match(cell))
    return "," if comma > point else "."


def read_delimited(data: bytes, file_name: str, suffix: str
                   ) -> tuple[pd.DataFrame, Layout, TextFormat, list[str]]:
    """Parse a CSV into (body frame with positional columns, layout, format, warnings)."""
    encoding, sample = detect_encoding(data, file_name)
    complete = len(data) <= SAMPLE_BYTES
    delimiter = sniff_delimiter(sample, prefer="\t" if suffix == ".tsv" else None,
                                complete=complete)
    top = _records(sample, delimiter, TOP_RECORDS)
    if not complete and len(top) > 1:
        top = top[:-1]  # the sample may end inside a record
    layout = detect_layout(top)
    decimal = sniff_decimal(top[layout.data_start:], delimiter)
    warnings = []
    if encoding not in ("utf-8", "utf-8-sig"):
        warnings.append(f"Tekenset {ENCODING_NAMES[encoding]} herkend.")
    if decimal == ",":
        warnings.append("Decimaalkomma herkend: 3,5 is gelezen als het getal 3.5.")
    skip_records = layout.data_start
    width = max([len(layout.names)] + [len(r) for r in top])
    # blank lines are kept (as empty rows, dropped later) so every body row keeps its
    # record number; pandas then counts them in `header` like csv.reader does
    header_index = skip_records - 1
    frame = _parse_body(data, file_name, encoding, delimiter, decimal, width, header_index,
                        skip_records)
    converted = _quoted_decimal_commas(frame)
    if converted and decimal != ",":
        warnings.append("Decimaalkomma herkend: 3,5 is gelezen als het getal 3.5.")
    return frame, layout, TextFormat(encoding, delimiter, decimal), warnings


def _quoted_decimal_commas(frame: pd.DataFrame) -> bool:
    """Text columns that hold only numbers like "3,5" (quoted in a comma CSV) → float."""
    found = False
    for column in frame.columns:
        series = frame[column]
        if not pd.api.types.is_string_dtype(series) and series.dtype != object:
            continue
        head = series.dropna().head(50)
        if head.empty or not all(isinstance(v, str) and (_DECIMAL_COMMA.match(v.strip())
                                                         or v.strip().lstrip("-").isdigit())
                                 for v in head):
            continue
        text = series.astype("str").str.strip()
        present = text[series.notna()]
        if not present.str.contains(",").any() or \
                not present.str.fullmatch(r"-?\d+(,\d+)?").all():
            continue
        frame[column] = pd.to_numeric(text.str.replace(",", ".", regex=False).where(
            series.notna()), errors="coerce")
        found = True
    return found


def _parse_body(data: bytes, file_name: str, encoding: str, delimiter: str, decimal: str,
                width: int, header_index: int, skip_records: int) -> pd.DataFrame:
    """The C engine: on these files it beats pyarrow (whose strings must be converted)
    and, unlike pyarrow, pads short rows and skips quoted newlines correctly."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            # header= (not skiprows) keeps the C parser on its fast path; our own names
            # replace pandas' mangled ones.
            return pd.read_csv(io.BytesIO(data), engine="c", sep=delimiter,
                               header=header_index if header_index >= 0 else None,
                               names=list(range(width)),
                               decimal=decimal, encoding=encoding, keep_default_na=False,
                               na_values=[""], skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as error:
        match = re.search(r"line (\d+)", str(error))
        row = int(match.group(1)) + skip_records if match else None
        raise CorruptFileError(
            "Een rij heeft meer velden dan de kopregel. Controleer of er een scheidingsteken "
            "(; of ,) in een antwoord staat zonder aanhalingstekens, of exporteer opnieuw.",
            file=file_name, row=row) from error
