"""Every bad file gets a typed error whose Dutch message names the file."""
from __future__ import annotations

import builders as b
import pytest

from surveys import errors
from surveys.readers import list_sheets, read_export

CASES = [
    ("leeg.csv", b"", errors.EmptyFileError),
    ("leeg.xlsx", b"", errors.EmptyFileError),
    ("alleen_spaties.csv", b"  \r\n\r\n", errors.EmptyFileError),
    ("rapport.xlsx", b.pdf_bytes(), errors.UnsupportedFormatError),
    ("rapport.csv", b.pdf_bytes(), errors.UnsupportedFormatError),
    ("rapport.pdf", b.pdf_bytes(), errors.UnsupportedFormatError),
    ("data.sav", b"Nr;Leeftijd\n1;2\n", errors.UnsupportedFormatError),
    ("half.xlsx", b.truncated_xlsx(), errors.CorruptFileError),
    ("geheim.xlsx", b.encrypted_xlsx(), errors.PasswordProtectedError),
    ("bom.xlsx", b.zip_bomb_xlsx(40), errors.FileTooLargeError),
    ("kop.xlsx", b.header_only_xlsx(), errors.NoDataError),
    ("kop.csv", b"Id;Leeftijd;Geslacht\r\n", errors.NoDataError),
    ("utf16.csv", b.utf16_without_bom_csv(), errors.EncodingError),
    ("ruis.csv", b.binary_garbage_csv(), errors.EncodingError),
    ("vreemd.csv", b"Naam;Plaats\n\x81\x8d;Zuid\n", errors.EncodingError),
    ("kapot.sav", b"$FL2" + b"\0" * 100, errors.CorruptFileError),
]


@pytest.mark.parametrize("name,data,error", CASES, ids=[c[0] for c in CASES])
def test_bad_input(name: str, data: bytes, error: type) -> None:
    with pytest.raises(error) as info:
        read_export(data, name)
    assert isinstance(info.value, errors.SurveyImportError)
    assert f"'{name}'" in str(info.value)
    assert info.value.file == name


def test_file_above_limit() -> None:
    data = b.google_forms_csv(b.wijk_answers(50))
    with pytest.raises(errors.FileTooLargeError) as info:
        read_export(data, "groot.csv", max_bytes=1000)
    assert "'groot.csv'" in str(info.value) and "1 kB" in str(info.value)


def test_data_on_another_sheet_names_that_sheet() -> None:
    data = b.other_sheet_xlsx()
    with pytest.raises(errors.NoDataError) as info:
        read_export(data, "export.xlsx", sheet="Blad1")
    message = str(info.value)
    assert "'export.xlsx'" in message and "Antwoorden" in message
    assert info.value.sheet == "Blad1"
    raw = read_export(data, "export.xlsx")  # without a sheet the data sheet is found
    assert raw.sheet == "Antwoorden" and len(raw.frame) == 8


def test_unknown_sheet_lists_the_sheets() -> None:
    with pytest.raises(errors.SheetNotFoundError) as info:
        read_export(b.kobo_xlsx(b.wijk_answers(3)), "kobo.xlsx", sheet="Data")
    assert "'kobo.xlsx'" in str(info.value) and "huishoudleden" in str(info.value)


def test_password_workbook_named_xls_or_listed() -> None:
    with pytest.raises(errors.PasswordProtectedError):
        list_sheets(b.encrypted_xlsx(), "geheim.xlsx")


def test_word_document_renamed_to_xlsx() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(errors.UnsupportedFormatError) as info:
        read_export(out.getvalue(), "brief.xlsx")
    assert "'brief.xlsx'" in str(info.value)


def test_ragged_csv_names_the_row() -> None:
    data = b"Nr;Opmerking\n1;goed\n2;slecht;extra;velden\n3;ok\n"
    try:
        raw = read_export(data, "rommel.csv")
    except errors.CorruptFileError as error:
        assert "'rommel.csv'" in str(error) and error.row is not None
    else:  # a parser that keeps the extra fields must not lose the row
        assert len(raw.frame) == 3


def test_duplicate_columns_get_suffix_and_warning() -> None:
    raw = read_export(b.duplicate_columns_csv(), "dubbel.csv")
    assert list(raw.frame.columns) == ["Id", "Opmerking", "Leeftijd", "Opmerking (2)"]
    assert raw.frame["Opmerking (2)"].tolist() == ["b", "d"]
    assert any("Opmerking" in w and "dubbel" in w for w in raw.warnings)


def test_xlsx_content_with_csv_extension_is_read_as_workbook() -> None:
    raw = read_export(b.ms_forms_xlsx(b.wijk_answers(4)), "export.csv")
    assert raw.format == "ms_forms" and len(raw.frame) == 4
    assert any("werkmap" in w for w in raw.warnings)


def test_message_keeps_case_of_file_and_sheet() -> None:
    with pytest.raises(errors.NoDataError) as info:
        read_export(b.other_sheet_xlsx(), "Buurtenquête Zuid.xlsx", sheet="Blad1")
    assert "'Buurtenquête Zuid.xlsx'" in str(info.value)
    assert "'Blad1'" in str(info.value)
