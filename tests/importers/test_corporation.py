"""The corporation's own files: golden tests on tiny files, every error case, the examples."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from veerkracht.domain.frames import (
    LETTING_COLUMNS,
    MOVEOUT_COLUMNS,
    NUISANCE_COLUMNS,
    STOCK_COLUMNS,
)
from veerkracht.errors import InputError
from veerkracht.importers.corporation import (
    LICENCE,
    read_lettings,
    read_moveouts,
    read_nuisance,
    read_stock,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def tiny_dwellings() -> pd.DataFrame:
    """Lindenstraat 2, 4, 6A (3000AA) and Kersenboomstraat 12-1 … 12-4, 14-1, 14-2 (3010AB)."""
    rows = [
        ("9999010000000001", "Lindenstraat", 2, None, None, "3000AA"),
        ("9999010000000002", "Lindenstraat", 4, None, None, "3000AA"),
        ("9999010000000003", "Lindenstraat", 6, "A", None, "3000AA"),
        ("9999010000000011", "Kersenboomstraat", 12, None, "1", "3010AB"),
        ("9999010000000012", "Kersenboomstraat", 12, None, "2", "3010AB"),
        ("9999010000000013", "Kersenboomstraat", 12, None, "3", "3010AB"),
        ("9999010000000014", "Kersenboomstraat", 12, None, "4", "3010AB"),
        ("9999010000000015", "Kersenboomstraat", 14, None, "1", "3010AB"),
        ("9999010000000016", "Kersenboomstraat", 14, None, "2", "3010AB"),
        ("9999010000000020", "Lindenstraat", 20, None, None, "3000AC"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "dwelling_id",
            "street_name",
            "house_number",
            "house_letter",
            "house_suffix",
            "postcode",
        ],
    )
    frame["city"] = "Demostad"
    return frame.astype(
        {
            "dwelling_id": "string",
            "street_name": "string",
            "house_number": "Int64",
            "house_letter": "string",
            "house_suffix": "string",
            "postcode": "string",
            "city": "string",
        }
    )


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


STOCK = """vhe_id;postcode;huisnummer;huisletter;toevoeging;complex_id;trappenhuis_id;huurklasse
VHE1;3000 aa;2;;;CPX1;;Goedkoop
VHE2;3000AA;4;;;CPX1;;betaalbaar
VHE3;3000AA;6;a;;CPX1;;
VHE11;3010AB;12;;1;CPX2;A;goedkoop
VHE12;3010AB;12;;-2;CPX2;A;goedkoop
VHE15;3010AB;14-1;;;CPX2;B;goedkoop
VHE99;3000AA;99;;;CPX1;;goedkoop
"""


def stock_frame(tmp_path: Path) -> pd.DataFrame:
    return read_stock(write(tmp_path, "voorraad.csv", STOCK), dwellings=tiny_dwellings()).data.stock


def test_stock_golden(tmp_path: Path) -> None:
    result = read_stock(write(tmp_path, "voorraad.csv", STOCK), dwellings=tiny_dwellings())
    stock = result.data.stock
    assert list(stock.columns) == list(STOCK_COLUMNS)
    assert stock.dtypes.astype(str).tolist() == ["string"] * 5
    assert stock["unit_id"].tolist() == ["VHE1", "VHE2", "VHE3", "VHE11", "VHE12", "VHE15"]
    assert stock["dwelling_id"].str[-2:].tolist() == ["01", "02", "03", "11", "12", "15"]
    assert stock["entrance_hint"].fillna("").tolist() == ["", "", "", "CPX2/A", "CPX2/A", "CPX2/B"]
    assert stock["rent_class"].fillna("").tolist()[:3] == ["goedkoop", "betaalbaar", ""]
    report = result.report
    assert (report.read, report.used) == (7, 6)
    assert dict(report.skipped) == {"address not in BAG": 1}
    assert report.counts["unmatched_examples"] == [
        {"row": 8, "reason": "address not in BAG", "given": "postcode=3000AA huisnummer=99"}
    ]
    assert result.licence == LICENCE == "eigen gegevens corporatie (vertrouwelijk)"


def test_stock_by_bag_id_and_shared_dwelling(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "voorraad.csv",
        "vhe_id,bag_vbo_id,postcode,huisnummer\n"
        "A,9999010000000020,,\n"
        "B,,3000AA,2\n"
        "C,,3000AA,2\n"
        "D,999901000000099,,\n"  # a spreadsheet dropped the leading zero; not in BAG anyway
        "E,,,\n",
    )
    result = read_stock(path, dwellings=tiny_dwellings())
    assert result.data.stock["unit_id"].tolist() == ["A", "B"]
    assert result.report.counts["matched by"] == {"address": 2, "bag_vbo_id": 1}
    assert dict(result.report.skipped) == {
        "bag_vbo_id not in BAG": 1,
        "dwelling already in the stock under another vhe_id": 1,
        "no unit or address given": 1,
    }


def test_bag_id_without_its_leading_zero(tmp_path: Path) -> None:
    dwellings = tiny_dwellings()
    dwellings.loc[0, "dwelling_id"] = "0363010000000001"
    path = write(tmp_path, "voorraad.csv", "vhe_id;bag_vbo_id\nA;363010000000001\n")
    assert read_stock(path, dwellings=dwellings).data.stock["dwelling_id"].tolist() == [
        "0363010000000001"
    ]


LETTINGS = """datum;vhe_id;postcode;huisnummer;huisletter;toevoeging;kanaal
2023-01-16;VHE1;;;;;regulier
02-03-2023;VHE11;;;;;Urgentie
2023-04-01;;3010AB;12;;3;statushouder
2023-06-12;VHE12;;;;;Uitstroom
2023-09-01;VHE15;;;;;Housing First
2024-02-01;VHE77;;;;;regulier
2024-02-02;;3000AA;98;;;regulier
"""


def test_lettings_golden(tmp_path: Path) -> None:
    path = write(tmp_path, "verhuringen.csv", LETTINGS)
    result = read_lettings(path, dwellings=tiny_dwellings(), stock=stock_frame(tmp_path))
    lettings = result.data.lettings
    assert list(lettings.columns) == list(LETTING_COLUMNS)
    assert str(lettings["date"].dtype) == "datetime64[s]"
    assert lettings["channel"].tolist() == [
        "regulier",
        "urgentie",
        "statushouder",
        "uitstroom",
        "housing_first",
    ]
    assert lettings["dwelling_id"].str[-2:].tolist() == ["01", "11", "13", "12", "15"]
    assert lettings["date"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2023-01-16", "2023-03-02"]
    assert lettings["letting_id"].str.startswith("verhuring-").all()
    assert lettings["letting_id"].is_unique
    report = result.report
    assert dict(report.skipped) == {"vhe_id not in stock": 1, "address not in BAG": 1}
    assert [e["row"] for e in report.counts["unmatched_examples"]] == [7, 8]
    assert report.counts["matched by"] == {"vhe_id": 4, "address": 1}
    assert report.counts["channels"]["regulier"] == 1


def test_the_same_file_read_twice_gives_identical_frames(tmp_path: Path) -> None:
    path = write(tmp_path, "verhuringen.csv", LETTINGS)
    stock = stock_frame(tmp_path)
    first = read_lettings(path, dwellings=tiny_dwellings(), stock=stock).data.lettings
    second = read_lettings(path, dwellings=tiny_dwellings(), stock=stock).data.lettings
    pd.testing.assert_frame_equal(first, second)
    lines = LETTINGS.splitlines()
    reordered = write(tmp_path, "anders.csv", "\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    third = read_lettings(reordered, dwellings=tiny_dwellings(), stock=stock).data.lettings
    assert sorted(third["letting_id"]) == sorted(first["letting_id"])


def test_identical_rows_get_distinct_ids(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "v.csv",
        "datum,bag_vbo_id,kanaal\n" + "2023-01-01,9999010000000001,regulier\n" * 2,
    )
    ids = read_lettings(path, dwellings=tiny_dwellings()).data.lettings["letting_id"]
    assert ids.is_unique and ids.iloc[1] == ids.iloc[0] + "-2"


def test_own_ids_are_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "v.csv",
        "verhuring_id,datum,bag_vbo_id,kanaal\nV1,2023-01-01,9999010000000001,regulier\n",
    )
    assert read_lettings(path, dwellings=tiny_dwellings()).data.lettings["letting_id"].tolist() == [
        "V1"
    ]


def test_mapping_file_maps_own_labels(tmp_path: Path) -> None:
    lettings = write(
        tmp_path,
        "verhuringen.csv",
        "datum;bag_vbo_id;kanaal\n"
        "2023-01-01;9999010000000001;Urgent\n"
        "2023-01-02;9999010000000002;BW-uitstroom\n"
        "2023-01-03;9999010000000003;Wisselwoning\n"
        "2023-01-04;9999010000000011;regulier\n",
    )
    mapping = write(
        tmp_path,
        "mijn-labels.csv",
        "eigen_label,kanaal\nurgent,Urgentie\nBW-uitstroom,uitstroom\nWisselwoning,negeren\n",
    )
    result = read_lettings(lettings, dwellings=tiny_dwellings(), mapping=mapping)
    assert result.data.lettings["channel"].tolist() == ["urgentie", "uitstroom", "regulier"]
    assert result.report.skipped["channel mapped to negeren"] == 1
    assert result.report.counts["mapping"] == str(mapping)


def test_kanalen_csv_next_to_the_file_is_used(tmp_path: Path) -> None:
    lettings = write(
        tmp_path, "verhuringen.csv", "datum,bag_vbo_id,kanaal\n2023-01-01,9999010000000001,Urgent\n"
    )
    write(tmp_path, "kanalen.csv", "eigen_label,kanaal\nUrgent,urgentie\n")
    result = read_lettings(lettings, dwellings=tiny_dwellings())
    assert result.data.lettings["channel"].tolist() == ["urgentie"]


def test_moveouts_golden(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "vertrekken.csv",
        "vertrek_id,vhe_id,datum\nU1,VHE1,2022-12-31\nU2,VHE11,15-02-2023\nU3,VHE77,2023-01-01\n",
    )
    result = read_moveouts(path, dwellings=tiny_dwellings(), stock=stock_frame(tmp_path))
    frame = result.data.moveouts
    assert list(frame.columns) == list(MOVEOUT_COLUMNS)
    assert frame["moveout_id"].tolist() == ["U1", "U2"]
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2022-12-31", "2023-02-15"]
    assert dict(result.report.skipped) == {"vhe_id not in stock": 1}


def test_nuisance_golden_with_an_adres_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "overlast.csv",
        "datum,postcode,adres,categorie\n"
        "2023-07-03,3010AB,Kersenboomstraat 12-2,Geluid\n"
        "2023-07-19,3010AB,Kersenboomstraat 12 3,burenruzie\n"
        "2023-09-12,3010AB,Kersenboomstraat 14/1,AFVAL\n"
        "2023-11-02,3000AA,Lindenstraat 6a,vervuiling\n"
        "2024-01-20,3000AA,Lindenstraat 7,overig\n",
    )
    result = read_nuisance(path, dwellings=tiny_dwellings())
    frame = result.data.nuisance
    assert list(frame.columns) == list(NUISANCE_COLUMNS)
    assert frame["category"].tolist() == ["geluid", "burenruzie", "afval", "vervuiling"]
    assert frame["dwelling_id"].str[-2:].tolist() == ["12", "13", "15", "03"]
    assert dict(result.report.skipped) == {"address not in BAG": 1}
    assert result.report.counts["unmatched_examples"][0]["row"] == 6


# --- errors: each names the file and the field ------------------------------------------------


def assert_error(error: pytest.ExceptionInfo[InputError], path: Path, field: str) -> None:
    assert str(path) in str(error.value)
    assert error.value.field == field
    assert f'field "{field}"' in str(error.value)


def test_unknown_channel_names_row_value_and_labels(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "v.csv",
        "datum;bag_vbo_id;kanaal\n2023-01-01;9999010000000001;regulier\n2023-01-02;9999010000000002;Wisselwoning\n",
    )
    with pytest.raises(InputError) as error:
        read_lettings(path, dwellings=tiny_dwellings())
    assert_error(error, path, "kanaal")
    assert error.value.row == 3
    message = str(error.value)
    assert '"Wisselwoning"' in message
    assert "regulier, urgentie, statushouder, uitstroom, housing_first" in message
    assert "eigen_label,kanaal" in message and "kanalen.csv" in message


def test_bad_mapping_target(tmp_path: Path) -> None:
    lettings = write(tmp_path, "v.csv", "datum,bag_vbo_id,kanaal\n2023-01-01,9999010000000001,x\n")
    mapping = write(tmp_path, "m.csv", "eigen_label,kanaal\nx,spoed\n")
    with pytest.raises(InputError) as error:
        read_lettings(lettings, dwellings=tiny_dwellings(), mapping=mapping)
    assert_error(error, mapping, "kanaal")
    assert '"spoed"' in str(error.value)


def test_unknown_nuisance_category(tmp_path: Path) -> None:
    path = write(
        tmp_path, "o.csv", "datum,bag_vbo_id,categorie\n2023-01-01,9999010000000001,stank\n"
    )
    with pytest.raises(InputError) as error:
        read_nuisance(path, dwellings=tiny_dwellings())
    assert_error(error, path, "categorie")
    assert "geluid, afval, burenruzie, vervuiling, intimidatie, overig" in str(error.value)


@pytest.mark.parametrize("value", ["2023-02-30", "31/12/23", "", "gisteren"])
def test_bad_date(tmp_path: Path, value: str) -> None:
    path = write(
        tmp_path,
        "u.csv",
        f"datum,bag_vbo_id\n2023-01-01,9999010000000001\n{value},9999010000000002\n",
    )
    with pytest.raises(InputError) as error:
        read_moveouts(path, dwellings=tiny_dwellings())
    assert_error(error, path, "datum")
    assert error.value.row == 3
    assert f'"{value}"' in str(error.value) and "yyyy-mm-dd" in str(error.value)


def test_duplicate_vhe_id_in_the_stock(tmp_path: Path) -> None:
    path = write(
        tmp_path, "s.csv", "vhe_id,postcode,huisnummer\nA,3000AA,2\nB,3000AA,4\nA,3000AA,6\n"
    )
    with pytest.raises(InputError) as error:
        read_stock(path, dwellings=tiny_dwellings())
    assert_error(error, path, "vhe_id")
    assert "rows 2 and 4" in str(error.value)


def test_duplicate_own_ids(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "o.csv",
        "melding_id,datum,bag_vbo_id,categorie\nM1,2023-01-01,9999010000000001,afval\nM1,2023-01-02,9999010000000001,afval\n",
    )
    with pytest.raises(InputError) as error:
        read_nuisance(path, dwellings=tiny_dwellings())
    assert_error(error, path, "melding_id")


def test_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, "v.csv", "datum;bag_vbo_id\n2023-01-01;9999010000000001\n")
    with pytest.raises(InputError) as error:
        read_lettings(path, dwellings=tiny_dwellings())
    assert_error(error, path, "kanaal")


def test_no_unit_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", "datum;straat\n2023-01-01;Lindenstraat\n")
    with pytest.raises(InputError) as error:
        read_moveouts(path, dwellings=tiny_dwellings())
    assert_error(error, path, "postcode")
    assert "bag_vbo_id, vhe_id, or postcode" in str(error.value)


def test_vhe_id_without_a_stock(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", "datum;vhe_id\n2023-01-01;VHE1\n")
    with pytest.raises(InputError) as error:
        read_moveouts(path, dwellings=tiny_dwellings())
    assert_error(error, path, "vhe_id")
    assert "import stock" in str(error.value)


def test_bad_house_number(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "vhe_id;postcode;huisnummer\nA;3000AA;twee\n")
    with pytest.raises(InputError) as error:
        read_stock(path, dwellings=tiny_dwellings())
    assert_error(error, path, "huisnummer")
    assert '"twee"' in str(error.value)


def test_wrong_delimiter(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "vhe_id|postcode|huisnummer\nA|3000AA|2\n")
    with pytest.raises(InputError) as error:
        read_stock(path, dwellings=tiny_dwellings())
    assert str(path) in str(error.value) and "'|'" in str(error.value)


def test_empty_files(tmp_path: Path) -> None:
    empty = write(tmp_path, "leeg.csv", "")
    with pytest.raises(InputError, match="empty") as error:
        read_stock(empty, dwellings=tiny_dwellings())
    assert str(empty) in str(error.value)
    header_only = write(tmp_path, "kop.csv", "datum,bag_vbo_id,categorie\n")
    with pytest.raises(InputError, match="no data rows") as error:
        read_nuisance(header_only, dwellings=tiny_dwellings())
    assert str(header_only) in str(error.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "o.csv",
        "datum,postcode,adres,categorie\n2023-01-01,3000AA,Caféstraat 2,geluid\n",
        encoding="cp1252",
    )
    with pytest.raises(InputError, match="not UTF-8") as error:
        read_nuisance(path, dwellings=tiny_dwellings())
    assert str(path) in str(error.value) and error.value.row == 2


# --- the example files in docs/examples -------------------------------------------------------


def test_example_files_read() -> None:
    dwellings = tiny_dwellings()
    stock = read_stock(EXAMPLES / "voorraad.csv", dwellings=dwellings)
    assert stock.report.used == 10
    assert dict(stock.report.skipped) == {"address not in BAG": 1}
    lettings = read_lettings(
        EXAMPLES / "verhuringen.csv", dwellings=dwellings, stock=stock.data.stock
    )
    assert lettings.report.counts["mapping"].endswith("kanalen.csv")
    assert lettings.report.counts["channels"] == {
        "housing_first": 1,
        "regulier": 1,
        "statushouder": 1,
        "uitstroom": 2,
        "urgentie": 1,
    }
    assert dict(lettings.report.skipped) == {
        "channel mapped to negeren": 1,
        "vhe_id not in stock": 1,
    }
    moveouts = read_moveouts(
        EXAMPLES / "vertrekken.csv", dwellings=dwellings, stock=stock.data.stock
    )
    assert moveouts.report.used == 5
    nuisance = read_nuisance(EXAMPLES / "overlast.csv", dwellings=dwellings)
    assert nuisance.report.used == 6
    assert dict(nuisance.report.skipped) == {"address not in BAG": 1}


BROKEN = Path(__file__).resolve().parents[1] / "data" / "corporation"
READERS = {
    "voorraad": read_stock,
    "verhuringen": read_lettings,
    "vertrekken": read_moveouts,
    "overlast": read_nuisance,
}


@pytest.mark.parametrize(
    ("name", "field", "row"),
    [
        ("voorraad-dubbel-id.csv", "vhe_id", 4),
        ("voorraad-verkeerd-scheidingsteken.csv", None, 1),
        ("voorraad-kolom-ontbreekt.csv", "postcode", 1),
        ("verhuringen-onbekend-kanaal.csv", "kanaal", 3),
        ("vertrekken-foute-datum.csv", "datum", 3),
        ("overlast-leeg.csv", None, None),
        ("overlast-niet-utf8.csv", None, 2),
    ],
)
def test_broken_files(name: str, field: str | None, row: int | None) -> None:
    path = BROKEN / name
    reader = READERS[name.split("-")[0]]
    with pytest.raises(InputError) as error:
        reader(path, dwellings=tiny_dwellings())
    assert str(path) in str(error.value)
    assert (error.value.field, error.value.row) == (field, row)
