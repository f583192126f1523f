"""CBS Wijk- en Buurtkaart and StatLine kerncijfers: tiny golden files and the real extracts."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from veerkracht.domain.frames import AREA_COLUMNS, CRS_RD
from veerkracht.errors import InputError
from veerkracht.importers.cbs import (
    clean_name,
    read_cbs_buurtkaart,
    read_cbs_kerncijfers,
    variable_name,
)

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
STATISTICS_COLUMNS = ["level", "code", "year", "variable", "value", "missing_reason", "source"]


def real(relative: str) -> Path:
    path = REAL / relative
    if not path.exists():
        pytest.skip(f"real data not present: {path}")
    return path


def tiny_buurten() -> gpd.GeoDataFrame:
    """Three 100 m x 100 m buurten in two wijken of one gemeente (RD New, Groningen-like codes)."""
    return gpd.GeoDataFrame(
        {
            "buurtcode": [" BU00140000", "BU00140001 ", "BU00140100"],
            "buurtnaam": ["Binnenstad-Noord", "Binnenstad-Zuid", "Schilderswijk"],
            "wijkcode": ["WK001400", "WK001400", "WK001401"],
            "gemeentecode": ["GM0014", "GM0014", "GM0014"],
            "gemeentenaam": ["Groningen", "Groningen", "Groningen"],
            "aantal_inwoners": [120, -99997, 40],
            "perc_huurwoningen_in_bezit_woningcorporaties": [55, 60, -99995],
            "aantal_wmo_clienten": [-99991, 5, 10],
            "percentage_met_herkomstland_nederland": [80, 70, 90],
            "jaar": [2023, 2023, 2023],
        },
        geometry=[
            box(233000, 582000, 233100, 582100),
            box(233100, 582000, 233200, 582100),
            box(233000, 582100, 233200, 582200),
        ],
        crs=CRS_RD,
    )


def test_buurtkaart_geopackage_golden(tmp_path: Path) -> None:
    path = tmp_path / "wijkenbuurten.gpkg"
    tiny_buurten().to_file(path, layer="cbs_buurten_2023", driver="GPKG")
    result = read_cbs_buurtkaart(path)

    areas = result.data.areas
    assert list(areas.columns) == list(AREA_COLUMNS)
    assert areas.crs == CRS_RD
    by_code = areas.set_index("code")
    assert by_code.loc["BU00140000", "name"] == "Binnenstad-Noord"
    assert by_code.loc["BU00140000", "parent_code"] == "WK001400"
    assert by_code.loc["WK001400", "parent_code"] == "GM0014"
    assert by_code.loc["WK001400", "geometry"].area == pytest.approx(20_000)
    assert by_code.loc["GM0014", "geometry"].area == pytest.approx(40_000)
    assert by_code.loc["GM0014", "name"] == "Groningen"
    assert set(areas["year"]) == {2023}
    assert result.report.counts["areas"] == {"neighbourhood": 3, "district": 2, "municipality": 1}

    stats = result.data.area_statistics.set_index(["code", "variable"])
    assert list(result.data.area_statistics.columns) == STATISTICS_COLUMNS
    assert stats.loc[("BU00140000", "inhabitants"), "value"] == 120
    secret = stats.loc[("BU00140001", "inhabitants")]
    assert pd.isna(secret["value"]) and secret["missing_reason"] == "secret"
    later = stats.loc[("BU00140100", "housing_corporation_owned_pct")]
    assert pd.isna(later["value"]) and later["missing_reason"] == "not_yet_published"
    gone = stats.loc[("BU00140000", "wmo_clients")]
    assert pd.isna(gone["value"]) and gone["missing_reason"] == "no_longer_published"
    assert not result.data.area_statistics["variable"].str.contains("herkomst").any()
    assert result.report.counts["missing"] == {
        "secret": 1,
        "not_yet_published": 1,
        "no_longer_published": 1,
    }
    assert (result.data.area_statistics["value"].dropna() > -99990).all()


def test_buurtkaart_geojson_is_reprojected(tmp_path: Path) -> None:
    path = tmp_path / "buurten.geojson"
    tiny_buurten().to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    areas = read_cbs_buurtkaart(path).data.areas
    assert areas.crs == CRS_RD
    first = areas.set_index("code").loc["BU00140000", "geometry"]
    assert first.area == pytest.approx(10_000, rel=1e-3)
    assert first.bounds[0] == pytest.approx(233000, abs=0.5)


def test_year_from_the_file_name_or_argument(tmp_path: Path) -> None:
    path = tmp_path / "buurten_2021.gpkg"
    tiny_buurten().drop(columns="jaar").to_file(path, layer="buurten", driver="GPKG")
    assert set(read_cbs_buurtkaart(path).data.areas["year"]) == {2021}
    assert set(read_cbs_buurtkaart(path, year=2020).data.area_statistics["year"]) == {2020}


def test_rd_coordinates_declared_as_wgs84(tmp_path: Path) -> None:
    path = tmp_path / "rd-as-wgs84.geojson"
    frame = tiny_buurten()
    frame.set_crs("EPSG:4326", allow_override=True).to_file(path, driver="GeoJSON")
    with pytest.raises(InputError) as error:
        read_cbs_buurtkaart(path)
    message = str(error.value)
    assert "rd-as-wgs84.geojson" in message and "feature 1" in message
    assert 'field "geometry"' in message and "expected" in message


def test_no_buurten_layer(tmp_path: Path) -> None:
    path = tmp_path / "other.gpkg"
    tiny_buurten().to_file(path, layer="panden", driver="GPKG")
    tiny_buurten().to_file(path, layer="wegen", driver="GPKG")
    with pytest.raises(InputError, match=r"other\.gpkg: no buurten layer; found panden, wegen"):
        read_cbs_buurtkaart(path)


def test_missing_code_column(tmp_path: Path) -> None:
    path = tmp_path / "nocode.gpkg"
    tiny_buurten().drop(columns="buurtcode").to_file(path, layer="buurten", driver="GPKG")
    with pytest.raises(InputError, match=r'nocode\.gpkg, field "buurtcode": .*no code column'):
        read_cbs_buurtkaart(path)


def test_not_a_geofile(tmp_path: Path) -> None:
    path = tmp_path / "kapot.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    with pytest.raises(InputError, match=r"kapot\.gpkg"):
        read_cbs_buurtkaart(path)


def test_baarn_real_buurtkaart() -> None:
    result = read_cbs_buurtkaart(real("baarn/cbs-wijkbuurtkaart-2024-v1-buurten.geojson"))
    areas = result.data.areas
    assert (areas["level"] == "neighbourhood").sum() == 21
    assert result.report.counts["areas"] == {"neighbourhood": 21, "district": 5, "municipality": 1}
    assert areas.crs == CRS_RD
    assert set(areas["year"]) == {2024}
    centrum = areas.set_index("code").loc["BU03080000"]
    assert centrum["name"] == "Centrum" and centrum["parent_code"] == "WK030800"
    # the whole municipality is in the file: the dissolved gemeente has the buurten's area
    by_level = areas.geometry.area.groupby(areas["level"]).sum()
    assert by_level["municipality"] == pytest.approx(by_level["neighbourhood"], rel=1e-6)

    stats = result.data.area_statistics.set_index(["code", "variable"])
    # aantal_wmo_clienten is -99995 in the file for Centrum
    wmo = stats.loc[("BU03080000", "wmo_clients")]
    assert pd.isna(wmo["value"]) and wmo["missing_reason"] == "not_yet_published"
    # percentage_eenpersoonshuishoudens is -99997 for Amerpoort Sherpa
    single = stats.loc[("BU03080401", "one_person_households_pct")]
    assert pd.isna(single["value"]) and single["missing_reason"] == "secret"
    assert stats.loc[("BU03080000", "area_total_ha"), "value"] == 33
    assert result.report.counts["missing"] == {"not_yet_published": 3675, "secret": 9}
    assert (result.data.area_statistics["value"].dropna() > -99990).all()


def test_amsterdam_gebieden_layout_reads_as_buurten() -> None:
    result = read_cbs_buurtkaart(real("amsterdam-zeeheldenbuurt/buurten-2022.geojson"))
    areas = result.data.areas.set_index("code")
    assert areas.loc["BU0363EB08", "name"] == "Zeeheldenbuurt"
    assert areas.loc["BU0363EB08", "parent_code"] == "WK0363EB"  # from the code structure
    assert result.report.counts["areas"] == {"neighbourhood": 18, "district": 3, "municipality": 1}
    assert set(result.data.areas["year"]) == {2022}


# --- StatLine kerncijfers ---------------------------------------------------------------------

TITLE_STYLE = (
    '\ufeff"Perioden";"Wijken en buurten";"Regiocode (gemeente, wijk, buurt) (code)";'
    '"Particuliere huishoudens (Aantal)";"SES-WOA/Totaalscore/Gemiddelde score (Getal)"\n'
    '"2019JJ00";"Nederland";"NL01      ";"  8000000";"   0.000"\n'
    '"2019JJ00";"Groningen";"GM0014    ";"  120000";"  -0.100"\n'
    '"2019JJ00";"Centrum";"WK001400  ";"   10000";"       ."\n'
    '"2019JJ00";"Binnenstad-Noord";"BU00140000";"    5000";"   0.150"\n'
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_kerncijfers_title_style_golden(tmp_path: Path) -> None:
    result = read_cbs_kerncijfers(write(tmp_path, "ses.csv", TITLE_STYLE))
    stats = result.data.area_statistics
    assert list(stats.columns) == STATISTICS_COLUMNS
    by_key = stats.set_index(["code", "variable"])
    assert by_key.loc[("BU00140000", "private_households"), "value"] == 5000
    assert by_key.loc[("GM0014", "ses_woa_score"), "value"] == -0.1
    secret = by_key.loc[("WK001400", "ses_woa_score")]
    assert pd.isna(secret["value"]) and secret["missing_reason"] == "secret"
    assert by_key.loc[("BU00140000", "ses_woa_score"), "missing_reason"] is pd.NA
    assert dict(zip(stats["code"], stats["level"], strict=True)) == {
        "GM0014": "municipality",
        "WK001400": "district",
        "BU00140000": "neighbourhood",
    }
    assert set(stats["year"]) == {2019}
    assert set(stats["source"]) == {"cbs-kerncijfers"}
    assert result.report.skipped == {"region that is not a buurt, wijk or gemeente": 1}
    names = result.data.extra["area_names"].set_index("code")["name"]
    assert names["BU00140000"] == "Binnenstad-Noord"


@pytest.mark.parametrize("suffix", ["42", "49"])
def test_kerncijfers_resolved_by_title_not_suffix(tmp_path: Path, suffix: str) -> None:
    content = (
        f"ID;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;AantalInwoners_5;"
        f"InBezitWoningcorporatie_{suffix};Perioden\n"
        f'0;BU00140000;Groningen  ;Buurt     ;BU00140000;1200;"31,5";2021JJ00\n'
    )
    stats = read_cbs_kerncijfers(write(tmp_path, "kwb.csv", content)).data.area_statistics
    values = dict(zip(stats["variable"], stats["value"], strict=True))
    assert values == {"inhabitants": 1200, "housing_corporation_owned_pct": 31.5}
    assert set(stats["year"]) == {2021}


def test_clean_names() -> None:
    assert clean_name("InBezitWoningcorporatie_42") == "in_bezit_woningcorporatie"
    assert clean_name("Opleidingsniveau/Laag/Waarde (%)") == "opleidingsniveau_laag_waarde"
    assert variable_name("Onbekende Kolom (Aantal)") == "onbekende_kolom"
    assert variable_name("perc_huurwoningen_in_bezit_woningcorporaties") == (
        "housing_corporation_owned_pct"
    )


def test_kerncijfers_bad_number(tmp_path: Path) -> None:
    content = TITLE_STYLE.replace('"    5000"', '"    5O00"')
    with pytest.raises(InputError) as error:
        read_cbs_kerncijfers(write(tmp_path, "bad.csv", content))
    message = str(error.value)
    assert "bad.csv, row 5" in message
    assert 'field "Particuliere huishoudens (Aantal)"' in message
    assert '"5O00" is not a number' in message


def test_kerncijfers_wrong_delimiter(tmp_path: Path) -> None:
    content = TITLE_STYLE.replace('";"', '"|"')
    with pytest.raises(InputError, match=r"pipe\.csv, row 1: .*'\|'.*expected columns separated"):
        read_cbs_kerncijfers(write(tmp_path, "pipe.csv", content))


def test_kerncijfers_without_code_column(tmp_path: Path) -> None:
    content = '"Perioden";"Wijken en buurten";"Aantal"\n"2019";"Groningen";"1"\n'
    with pytest.raises(InputError, match=r'nocode\.csv, row 1, field "Regiocode": no column'):
        read_cbs_kerncijfers(write(tmp_path, "nocode.csv", content))


def test_kerncijfers_empty_and_latin1(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"leeg\.csv.*empty"):
        read_cbs_kerncijfers(write(tmp_path, "leeg.csv", b""))
    latin = (
        TITLE_STYLE.replace("Centrum", "Caf\u00e9")
        .encode("utf-8")
        .replace("\u00e9".encode(), b"\xe9")
    )
    with pytest.raises(InputError, match=r"latin\.csv, row 4: .*expected UTF-8"):
        read_cbs_kerncijfers(write(tmp_path, "latin.csv", latin))


def test_kerncijfers_repeated_region(tmp_path: Path) -> None:
    content = TITLE_STYLE + '"2019JJ00";"Binnenstad-Noord";"BU00140000";"    5000";"   0.150"\n'
    with pytest.raises(InputError, match=r"dup\.csv, row 6: .*rows 5 and 6"):
        read_cbs_kerncijfers(write(tmp_path, "dup.csv", content))


def test_ses_woa_real_file() -> None:
    result = read_cbs_kerncijfers(real("amsterdam-zeeheldenbuurt/cbs-85163NED-ses-woa-2019.csv"))
    assert result.report.counts["areas"] == {
        "neighbourhood": 479,
        "district": 99,
        "municipality": 1,
    }
    stats = result.data.area_statistics
    assert set(stats["year"]) == {2019}
    assert set(stats["variable"]) == {
        "private_households",
        "education_low_pct",
        "education_medium_pct",
        "education_high_pct",
        "ses_woa_score",
        "ses_woa_spread",
    }
    by_key = stats.set_index(["code", "variable"])
    zeehelden = by_key.loc["BU03631300"]["value"]
    assert zeehelden["private_households"] == 1100
    assert zeehelden["ses_woa_score"] == pytest.approx(-0.047)
    stationsplein = by_key.loc[("BU03630100", "ses_woa_score")]  # "." in the file
    assert pd.isna(stationsplein["value"]) and stationsplein["missing_reason"] == "secret"
    assert result.report.counts["missing"] == {"secret": 450}
    assert by_key.index.is_unique
