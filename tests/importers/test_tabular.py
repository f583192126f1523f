"""Reading CSV files as they come: BOM, delimiters, encodings, missing columns, bad numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from veerkracht.errors import InputError
from veerkracht.importers.tabular import (
    first_duplicate,
    parse_numbers,
    read_csv,
    read_csv_table,
    require_columns,
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_bom_semicolon_quotes_and_padding(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", '\ufeff"Code";"Aantal"\n"BU00140000  ";"   12"\n')
    table = read_csv(path, required=["code", "Aantal"])
    assert table.delimiter == ";"
    assert table.had_bom
    assert list(table.frame.columns) == ["code", "Aantal"]  # renamed to the spelling asked for
    assert table.frame.iloc[0].tolist() == ["BU00140000", "12"]  # leading zeros kept, padding gone


@pytest.mark.parametrize(("sep", "name"), [(",", "comma"), ("\t", "tab"), (";", "semicolon")])
def test_delimiter_is_detected(tmp_path: Path, sep: str, name: str) -> None:
    path = write(tmp_path, f"{name}.csv", f"a{sep}b\n1{sep}2\n")
    frame = read_csv_table(path, required=["a", "b"])
    assert frame.to_dict("records") == [{"a": "1", "b": "2"}]


def test_missing_column_names_it_and_the_columns_found(tmp_path: Path) -> None:
    path = write(tmp_path, "stock.csv", "unit_id,address\n1,Dorpsstraat 1\n")
    with pytest.raises(InputError) as error:
        read_csv(path, required=["unit_id", "postcode"], source="stock CSV")
    message = str(error.value)
    assert "stock.csv" in message and "row 1" in message and 'field "postcode"' in message
    assert '"unit_id", "address"' in message


def test_unknown_separator_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "pipes.csv", "a|b|c\n1|2|3\n")
    with pytest.raises(InputError, match=r"pipes\.csv, row 1: .*separated by '\|'.*expected"):
        read_csv(path, required=["a"])


def test_expected_delimiter_differs(tmp_path: Path) -> None:
    path = write(tmp_path, "comma.csv", "a,b\n1,2\n")
    with pytest.raises(InputError, match=r"comma\.csv, row 1: .*separated by ',', expected ';'"):
        read_csv(path, delimiter=";")


def test_data_rows_split_differently_from_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, "mixed.csv", "a;b;c\n1;2;3\n4,5,6\n")
    with pytest.raises(InputError) as error:
        read_csv(path)
    assert "mixed.csv, row 3" in str(error.value)
    assert 'field "b"' in str(error.value)


def test_extra_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "long.csv", "a,b\n1,2,3\n")
    with pytest.raises(InputError, match=r"long\.csv, row 2: 3 fields where the header has 2"):
        read_csv(path)


def test_latin1_is_rejected_with_row_and_offset(tmp_path: Path) -> None:
    path = write(tmp_path, "latin.csv", "naam;aantal\nKop Zeedijk;1\nCaf\xe9;2\n".encode("latin-1"))
    with pytest.raises(InputError) as error:
        read_csv(path)
    message = str(error.value)
    assert "latin.csv, row 3" in message
    assert "byte offset 29" in message
    assert "expected UTF-8" in message


def test_utf16_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "excel.csv", "a\tb\n1\t2\n".encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16.*expected UTF-8"):
        read_csv(path)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n"])
def test_empty_files(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, "empty.csv", content)
    with pytest.raises(InputError, match=r"empty\.csv.*empty"):
        read_csv(path)


def test_header_without_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "header.csv", "a;b\n")
    with pytest.raises(InputError, match=r"header\.csv, row 2: .*no data rows"):
        read_csv(path)
    assert read_csv(path, allow_empty=True).frame.empty


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.csv", "a;b\n1;2\n\n3;4\n")
    assert read_csv_table(path)["a"].tolist() == ["1", "3"]


def test_parse_numbers_with_markers_and_decimal_comma(tmp_path: Path) -> None:
    path = write(tmp_path, "n.csv", "code;x\nA;1,5\nB;.\nC;  -2\nD;\nE;3e2\n")
    table = read_csv(path)
    values, reasons = parse_numbers(table, "x", missing={".": "secret", "": "empty"})
    assert values.tolist()[0] == 1.5
    assert values.tolist()[2] == -2.0
    assert values.tolist()[4] == 300.0
    assert values.isna().tolist() == [False, True, False, True, False]
    assert reasons.tolist()[1] == "secret"
    assert reasons.tolist()[3] == "empty"


def test_bad_number_names_row_field_and_value(tmp_path: Path) -> None:
    path = write(tmp_path, "n.csv", "code,x\nA,1\nB,12a\n")
    table = read_csv(path)
    with pytest.raises(InputError) as error:
        parse_numbers(table, "x")
    assert 'n.csv, row 3, field "x": "12a" is not a number' in str(error.value)


def test_comma_file_has_no_decimal_comma(tmp_path: Path) -> None:
    path = write(tmp_path, "n.csv", 'code,x\nA,"1,5"\n')
    with pytest.raises(InputError, match='"1,5" is not a number'):
        parse_numbers(read_csv(path), "x")


def test_require_columns_and_first_duplicate(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "code,year\nA,2019\nB,2019\nA,2019\n")
    table = require_columns(read_csv(path), ["CODE", "year"])
    assert "CODE" in table.frame.columns
    assert first_duplicate(table, table.frame[["CODE", "year"]]) == (2, 4)
    assert first_duplicate(table, pd.DataFrame({"k": ["a", "b", "c"]})) is None
