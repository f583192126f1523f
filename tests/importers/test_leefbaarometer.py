"""Leefbaarometer 3.0 CSVs at every level: tiny golden files, Amstelveen, broken files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from veerkracht.errors import InputError
from veerkracht.importers.leefbaarometer import dimension_gaps, read_leefbaarometer

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
SCORE_COLUMNS = ["level", "code", "year", "name", "lbm", "afw", "fys", "onv", "soc", "vrz", "won"]

BUURTEN = (
    "bu_code,bu_naam,jaar,lbm,afw,fys,onv,soc,vrz,won\n"
    "BU00140000,Binnenstad-Noord,2020,4.2,0.10,0.02,0.03,0.01,0.05,-0.01\n"
    "BU00140000,Binnenstad-Noord,2022,4.3,0.20,0.05,0.05,0.05,0.05,0.00\n"
    "BU00140001,Binnenstad-Zuid,2022,3.9,-0.10,0.10,0.10,0.10,0.10,0.10\n"  # sums to 0.5, not -0.1
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_buurt_file_golden(tmp_path: Path) -> None:
    result = read_leefbaarometer(write(tmp_path, "lbm-buurten.csv", BUURTEN))
    scores = result.data.liveability_scores
    assert list(scores.columns) == SCORE_COLUMNS
    assert set(scores["level"]) == {"neighbourhood"}
    first = scores.iloc[0]
    assert (first["code"], first["year"], first["name"]) == ("BU00140000", 2020, "Binnenstad-Noord")
    assert first["lbm"] == 4.2 and first["won"] == -0.01
    assert dimension_gaps(scores).round(6).tolist() == [0.0, 0.0, 0.6]
    assert result.report.counts["dimension sum mismatches"] == 1
    assert "BU00140001 2022" in result.report.notes[0]
    assert result.report.counts["rows per year"] == {2020: 1, 2022: 2}
    assert result.report.read == result.report.used == 3


@pytest.mark.parametrize(
    ("header", "code", "level"),
    [
        ("wk_code,wk_naam", "WK001400,Centrum", "district"),
        ("gm_code,gm_naam", "GM0014,Groningen", "municipality"),
        ("pc4", "9711", "postcode4"),
        ("grid_id", "E2330N5820", "grid"),
    ],
)
def test_levels_from_the_code_column(tmp_path: Path, header: str, code: str, level: str) -> None:
    content = f"{header},jaar,lbm,afw,fys,onv,soc,vrz,won\n{code},2022,4.0,0,0,0,0,0,0\n"
    scores = read_leefbaarometer(write(tmp_path, "lbm.csv", content)).data.liveability_scores
    assert scores["level"].tolist() == [level]
    assert scores["code"].tolist() == [code.split(",")[0]]


def test_semicolon_decimal_comma_and_empty_scores(tmp_path: Path) -> None:
    content = "grid_id;jaar;lbm;afw;fys;onv;soc;vrz;won\nE1N1;2022;4,25;;;;;;\n"
    result = read_leefbaarometer(write(tmp_path, "grid.csv", content))
    scores = result.data.liveability_scores
    assert scores["lbm"].tolist() == [4.25]
    assert pd.isna(scores["afw"].iloc[0])
    assert result.report.counts["afw missing"] == 1
    assert result.report.counts["dimension sum mismatches"] == 0  # unknown is not a mismatch


def test_amstelveen_real_file() -> None:
    path = REAL / "amstelveen" / "leefbaarometer3-wijken-2014-2022.csv"
    if not path.exists():
        pytest.skip(f"real data not present: {path}")
    result = read_leefbaarometer(path)
    scores = result.data.liveability_scores
    assert list(scores.columns) == SCORE_COLUMNS  # the leftover index column "1" is gone
    assert len(scores) == 56
    assert scores["code"].nunique() == 14
    assert sorted(scores["year"].unique()) == [2014, 2018, 2020, 2022]
    assert (scores.groupby("code")["year"].count() == 4).all()
    assert set(scores["level"]) == {"district"}
    assert scores["code"].str.match(r"^WK0362\d\d$").all()
    # the five dimensions add up to afw
    total = scores[["fys", "onv", "soc", "vrz", "won"]].sum(axis=1)
    assert (total - scores["afw"]).abs().max() < 1e-9
    assert result.report.counts["dimension sum mismatches"] == 0
    randwijck = scores[(scores["code"] == "WK036201") & (scores["year"] == 2014)].iloc[0]
    assert randwijck["name"] == "Randwijck"
    assert randwijck["lbm"] == pytest.approx(4.270599604867483)


def test_missing_column(tmp_path: Path) -> None:
    content = BUURTEN.replace(",lbm,", ",score,")
    with pytest.raises(InputError) as error:
        read_leefbaarometer(write(tmp_path, "geen-lbm.csv", content))
    message = str(error.value)
    assert "geen-lbm.csv" in message and 'field "lbm"' in message and "found" in message


def test_no_code_column(tmp_path: Path) -> None:
    content = "code,jaar,lbm\nBU00140000,2022,4.0\n"
    with pytest.raises(InputError, match=r'nocode\.csv, row 1, field "bu_code": expected exactly'):
        read_leefbaarometer(write(tmp_path, "nocode.csv", content))


def test_bad_number(tmp_path: Path) -> None:
    content = BUURTEN.replace("3.9", "3.9x")
    with pytest.raises(InputError, match=r'bad\.csv, row 4, field "lbm": "3\.9x" is not a number'):
        read_leefbaarometer(write(tmp_path, "bad.csv", content))


def test_bad_code_and_year(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r'code\.csv, row 2, field "bu_code"'):
        read_leefbaarometer(write(tmp_path, "code.csv", BUURTEN.replace("BU00140000", "14000", 1)))
    with pytest.raises(InputError, match=r'jaar\.csv, row 3, field "jaar": "22"'):
        read_leefbaarometer(write(tmp_path, "jaar.csv", BUURTEN.replace(",2022,", ",22,", 1)))


def test_duplicate_code_and_year(tmp_path: Path) -> None:
    content = BUURTEN + "BU00140000,Binnenstad-Noord,2020,4.2,0.10,0.02,0.03,0.01,0.05,-0.01\n"
    with pytest.raises(InputError, match=r"dup\.csv, row 5.*rows 2 and 5"):
        read_leefbaarometer(write(tmp_path, "dup.csv", content))


def test_wrong_delimiter(tmp_path: Path) -> None:
    content = BUURTEN.replace(",", "|")
    with pytest.raises(InputError, match=r"pipe\.csv, row 1: .*'\|'"):
        read_leefbaarometer(write(tmp_path, "pipe.csv", content))


def test_empty_and_latin1(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"empty\.csv.*empty"):
        read_leefbaarometer(write(tmp_path, "empty.csv", b""))
    latin = BUURTEN.replace("Binnenstad-Zuid", "Binnenstad-Zuid \u00e9").encode("latin-1")
    with pytest.raises(InputError, match=r"latin\.csv, row 4: .*expected UTF-8"):
        read_leefbaarometer(write(tmp_path, "latin.csv", latin))
