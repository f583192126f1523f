"""Reading instance folders: bad files give InputError naming file, row, field and expectation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from veerkracht.allocation import read_instance, write_instance
from veerkracht.errors import InputError

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "allocation" / "instance"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "instance"
    shutil.copytree(EXAMPLE, target)
    return target


def _append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def test_round_trip(folder: Path, tmp_path: Path) -> None:
    instance = read_instance(folder)
    write_instance(instance, tmp_path / "copy")
    again = read_instance(tmp_path / "copy")
    assert again.size == instance.size == {"vacancies": 4, "households": 4, "pairs": 9, "caps": 2}


@pytest.mark.parametrize(
    ("file", "line", "field", "expected"),
    [
        ("households.csv", "H9,zorg", "channel", "expected one of regulier"),
        ("households.csv", "H1,regulier", "household_id", "expected each household_id once"),
        ("scores.csv", "H1,V4,-2", "score", "expected ≥ 0"),
        ("scores.csv", "H1,V4,veel", "score", "expected a number"),
        ("scores.csv", "H1,V99,3", "vacancy_id", "a vacancy_id of vacancies.csv"),
        ("scores.csv", "H1,V1,3", "vacancy_id", "expected each pair"),
        ("occupancy.csv", "pand,B1,urgentie,1", "level", "expected one of entrance, building"),
        ("occupancy.csv", "building,B2,urgentie,1.5", "count", "expected an integer ≥ 0"),
        ("caps.csv", "block,*,regulier,3", "channel", 'expected "*" (all but regulier)'),
        ("caps.csv", "block,*,*,", "max_count", "expected a number ≥ 0"),
        ("vacancies.csv", "V9,,B1,K1,BU01", "entrance", "expected a value"),
    ],
)
def test_bad_rows_name_file_row_field_and_expectation(
    folder: Path, file: str, line: str, field: str, expected: str
) -> None:
    _append(folder / file, line)
    with pytest.raises(InputError) as info:
        read_instance(folder)
    message = str(info.value)
    assert file in message
    assert f'field "{field}"' in message
    assert expected in message
    assert info.value.field == field
    assert isinstance(info.value.row, int)


def test_missing_column_is_named(folder: Path) -> None:
    (folder / "caps.csv").write_text("level,key,channel,max\nentrance,*,*,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column.*'max_count'"):
        read_instance(folder)


def test_semicolon_file_is_refused_with_the_expected_delimiter(folder: Path) -> None:
    (folder / "households.csv").write_text("household_id;channel\nH1;regulier\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected ','"):
        read_instance(folder)


def test_missing_file_is_named(folder: Path) -> None:
    (folder / "scores.csv").unlink()
    with pytest.raises(InputError, match="scores.csv"):
        read_instance(folder)
