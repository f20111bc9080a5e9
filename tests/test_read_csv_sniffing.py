"""CSV sniffing: delimiter, encoding, decimal comma, quoted newlines, round trips."""
from __future__ import annotations

import builders as b
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from surveys._read_csv import sniff_delimiter
from surveys.readers import read_export

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzëéï ÄÖ,;'-\n", min_size=1, max_size=12)
TEXT = WORDS.filter(lambda s: s.strip() and not s.strip().lstrip("-").replace(",", "").isdigit()
                    and s.strip() not in {"True", "False", "true", "false"} and s == s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
       decimal_comma=st.booleans(),
       numbers=st.lists(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)
                        .map(lambda x: round(x, 2) + 0.25), min_size=2, max_size=12),
       words=st.data())
def test_round_trip(delimiter: str, encoding: str, decimal_comma: bool, numbers: list[float],
                    words: st.DataObject) -> None:
    texts = [words.draw(TEXT) for _ in numbers]
    header = ["Nummer", "Cijfer", "Antwoord\nop vraag 3"]
    rows = [[i + 1, x, t] for i, (x, t) in enumerate(zip(numbers, texts))]
    data = b.delimited_bytes(header, rows, delimiter=delimiter, encoding=encoding,
                             decimal_comma=decimal_comma)
    raw = read_export(data, "ronde.csv")
    assert raw.format == "generic"
    assert list(raw.frame.columns) == ["Nummer", "Cijfer", "Antwoord op vraag 3"]
    assert raw.frame["Nummer"].tolist() == list(range(1, len(numbers) + 1))
    assert raw.frame["Cijfer"].tolist() == pytest.approx(numbers)
    assert raw.frame["Antwoord op vraag 3"].tolist() == texts


@pytest.mark.parametrize("sample,expected", [
    ("a;b;c\n1;2;3\n4;5;6\n", ";"),
    ("a,b,c\n1,2,3\n", ","),
    ("a\tb\tc\n1,5\t2\t3\n", "\t"),
    ('"x; y",b\n"1;2",3\n', ","),
    ("Naam;Opmerking\nA;ja, graag\nB;nee, dank je\n", ";"),
])
def test_sniff_delimiter(sample: str, expected: str) -> None:
    assert sniff_delimiter(sample) == expected


def test_tsv_extension_and_decimal_comma_warning() -> None:
    data = b.delimited_bytes(["Wijk", "Score"], [["Zuid", 7.5], ["Noord", 6.25]],
                             delimiter="\t", decimal_comma=True)
    raw = read_export(data, "scores.tsv")
    assert raw.frame["Score"].tolist() == [7.5, 6.25]
    assert any("Decimaalkomma" in w for w in raw.warnings)


def test_title_rows_above_csv_header() -> None:
    text = ("Export buurtenquête;;\n;;\nNr;Leeftijd;Wijk\n1;34;Zuid\n2;56;Noord\n"
            ).encode("utf-8-sig")
    raw = read_export(text, "export.csv")
    assert list(raw.frame.columns) == ["Nr", "Leeftijd", "Wijk"]
    assert raw.frame["Leeftijd"].tolist() == [34, 56]


def test_short_rows_are_padded() -> None:
    raw = read_export(b"Nr,Leeftijd,Opmerking\n1,34\n2,56,fijn\n", "kort.csv")
    assert len(raw.frame) == 2
    assert raw.frame["Opmerking"].isna().tolist() == [True, False]


def test_text_is_kept_verbatim() -> None:
    raw = read_export(b"Nr;Opmerking\n1;=1+1\n2;NA\n3;@SUM(A1)\n", "f.csv")
    assert raw.frame["Opmerking"].tolist() == ["=1+1", "NA", "@SUM(A1)"]


def test_blank_lines_and_title_above_header() -> None:
    data = "\r\n\r\nBuurtenquête export\r\n\r\nNr;Leeftijd;Wijk\r\n1;34;Zuid\r\n\r\n2;56;Noord\r\n"
    raw = read_export(data.encode("cp1252"), "export.csv")
    assert list(raw.frame.columns) == ["Nr", "Leeftijd", "Wijk"]
    assert raw.frame["Wijk"].tolist() == ["Zuid", "Noord"]


def test_qualtrics_header_with_newlines_then_large_body() -> None:
    answers = b.wijk_answers(3000, seed=1)
    raw = read_export(b.qualtrics_csv(answers), "groot.csv")
    assert raw.format == "qualtrics" and len(raw.frame) == 3000
    assert list(raw.frame.columns) == b.QUALTRICS_TAGS(answers)
