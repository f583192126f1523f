"""BAG importer: a hand-made LV-BAG extract (golden), the real Weesp extract and Amsterdam
GeoPackage, and bad input that must give one clear InputError naming the file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import Point

from veerkracht.importers.bag import read_bag

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
WEESP = REAL / "weesp" / "BAGGEM0457L-15102021.zip"
AMSTERDAM = REAL / "amsterdam-zeeheldenbuurt" / "bag-verblijfsobjecten.gpkg"
needs_real = pytest.mark.skipif(
    not REAL.is_dir(), reason=f"real data folder {REAL} is absent (it sits next to the repo)"
)

# --- a tiny LV-BAG 2.0 extract, written the way Kadaster writes it ---------------------------

_NS = (
    'xmlns:Objecten="www.kadaster.nl/schemas/lvbag/imbag/objecten/v20200601" '
    'xmlns:gml="http://www.opengis.net/gml/3.2" '
    'xmlns:Historie="www.kadaster.nl/schemas/lvbag/imbag/historie/v20200601" '
    'xmlns:Objecten-ref="www.kadaster.nl/schemas/lvbag/imbag/objecten-ref/v20200601" '
    'xmlns:sl-bag-extract="http://www.kadaster.nl/schemas/lvbag/extract-deelbestand-lvc/v20200601" '
    'xmlns:sl="http://www.kadaster.nl/schemas/standlevering-generiek/1.0"'
)


def _voorkomen(number: int, begin: str, end: str | None = None, inactive: bool = False) -> str:
    end_xml = f"<Historie:eindGeldigheid>{end}</Historie:eindGeldigheid>" if end else ""
    inactive_xml = (
        "<Historie:tijdstipInactief>2021-01-01T00:00:00.000</Historie:tijdstipInactief>"
        if inactive
        else ""
    )
    return (
        "<Objecten:voorkomen><Historie:Voorkomen>"
        f"<Historie:voorkomenidentificatie>{number}</Historie:voorkomenidentificatie>"
        f"<Historie:beginGeldigheid>{begin}</Historie:beginGeldigheid>{end_xml}"
        f"<Historie:tijdstipRegistratie>{begin}T10:00:00.000</Historie:tijdstipRegistratie>"
        f"{inactive_xml}"
        "<Historie:BeschikbaarLV><Historie:tijdstipRegistratieLV>"
        f"{begin}T10:00:01.000</Historie:tijdstipRegistratieLV></Historie:BeschikbaarLV>"
        "</Historie:Voorkomen></Objecten:voorkomen>"
    )


def _ring(coords: list[tuple[float, float]], dim: int) -> str:
    values = " ".join(f"{x} {y}" + (" 0.0" if dim == 3 else "") for x, y in coords)
    pos_list = f'<gml:posList count="{len(coords)}">{values}</gml:posList>'
    return f"<gml:LinearRing>{pos_list}</gml:LinearRing>"


def _polygon(outer: list[tuple[float, float]], holes: tuple = (), dim: int = 3) -> str:
    inner = "".join(f"<gml:interior>{_ring(h, dim)}</gml:interior>" for h in holes)
    return (
        f'<gml:Polygon srsName="urn:ogc:def:crs:EPSG::28992" srsDimension="{dim}">'
        f"<gml:exterior>{_ring(outer, dim)}</gml:exterior>{inner}</gml:Polygon>"
    )


def _square(x: float, y: float, size: float) -> list[tuple[float, float]]:
    return [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]


def _point(x: float, y: float) -> str:
    return (
        '<Objecten:punt><gml:Point srsName="urn:ogc:def:crs:EPSG::28992" srsDimension="3">'
        f"<gml:pos>{x} {y} 0.0</gml:pos></gml:Point></Objecten:punt>"
    )


def _ref(relation: str, kind: str, *ids: str) -> str:
    refs = "".join(
        f'<Objecten-ref:{kind}Ref domein="NL.IMBAG.{kind}">{i}</Objecten-ref:{kind}Ref>'
        for i in ids
    )
    return f"<Objecten:{relation}>{refs}</Objecten:{relation}>"


def _obj(kind: str, ident: str, body: str, voorkomen: str) -> str:
    return (
        f"<sl:stand><sl-bag-extract:bagObject><Objecten:{kind}>"
        f'<Objecten:identificatie domein="NL.IMBAG.{kind}">{ident}</Objecten:identificatie>'
        f"{body}{voorkomen}</Objecten:{kind}></sl-bag-extract:bagObject></sl:stand>"
    )


def _document(objects: list[str]) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sl-bag-extract:bagStand {_NS}>'
        "<sl:standBestand><sl:dataset>LVBAG</sl:dataset>"
        + "".join(objects)
        + "</sl:standBestand></sl-bag-extract:bagStand>"
    ).encode()


P1, P2 = "9999100000000001", "9999100000000002"
V1, V2, V3, V4 = (f"999901000000000{i}" for i in range(1, 5))
N1, N2, N3 = (f"999920000000000{i}" for i in range(1, 4))


def _pand(ident: str, status: str, year: int, geometry: str, voorkomen: str) -> str:
    body = (
        f"<Objecten:geometrie>{geometry}</Objecten:geometrie>"
        f"<Objecten:oorspronkelijkBouwjaar>{year}</Objecten:oorspronkelijkBouwjaar>"
        f"<Objecten:status>{status}</Objecten:status>"
    )
    return _obj("Pand", ident, body, voorkomen)


def _vbo(
    ident: str,
    status: str,
    purposes: list[str],
    area: int,
    address: str,
    panden: list[str],
    geometry: str,
    voorkomen: str,
) -> str:
    body = (
        _ref("heeftAlsHoofdadres", "Nummeraanduiding", address)
        + f"<Objecten:geometrie>{geometry}</Objecten:geometrie>"
        + "".join(f"<Objecten:gebruiksdoel>{p}</Objecten:gebruiksdoel>" for p in purposes)
        + f"<Objecten:oppervlakte>{area}</Objecten:oppervlakte>"
        + f"<Objecten:status>{status}</Objecten:status>"
        + _ref("maaktDeelUitVan", "Pand", *panden)
    )
    return _obj("Verblijfsobject", ident, body, voorkomen)


def _num(
    ident: str, number: int, postcode: str, voorkomen: str, letter: str = "", suffix: str = ""
) -> str:
    body = (
        f"<Objecten:huisnummer>{number}</Objecten:huisnummer>"
        + (f"<Objecten:huisletter>{letter}</Objecten:huisletter>" if letter else "")
        + (
            f"<Objecten:huisnummertoevoeging>{suffix}</Objecten:huisnummertoevoeging>"
            if suffix
            else ""
        )
        + f"<Objecten:postcode>{postcode}</Objecten:postcode>"
        + "<Objecten:status>Naamgeving uitgegeven</Objecten:status>"
        + _ref("ligtAan", "OpenbareRuimte", "9999300000000001")
    )
    return _obj("Nummeraanduiding", ident, body, voorkomen)


def golden_parts(pand_x: float = 100_000.0) -> dict[str, list[str]]:
    """Two panden and four verblijfsobjecten with history; the answer is worked out below."""
    square = _square(pand_x, 400_000.0, 10.0)
    yard = _square(pand_x + 20, 400_000.0, 10.0)
    hole = _square(pand_x + 24, 400_004.0, 2.0)
    return {
        "WPL": [
            _obj(
                "Woonplaats",
                "9001",
                "<Objecten:naam>Teststad</Objecten:naam>"
                "<Objecten:status>Woonplaats aangewezen</Objecten:status>",
                _voorkomen(1, "2010-01-01"),
            )
        ],
        "OPR": [
            _obj(
                "OpenbareRuimte",
                "9999300000000001",
                "<Objecten:naam>Dorpsstraat</Objecten:naam>"
                "<Objecten:type>Weg</Objecten:type>"
                "<Objecten:status>Naamgeving uitgegeven</Objecten:status>"
                + _ref("ligtIn", "Woonplaats", "9001"),
                _voorkomen(1, "2010-01-01"),
            )
        ],
        "NUM": [
            _num(N1, 7, "1234AB", _voorkomen(1, "2010-01-01", "2015-01-01")),  # renumbered
            _num(N1, 1, "1234AB", _voorkomen(2, "2015-01-01")),
            _num(N2, 1, "1234AB", _voorkomen(1, "2010-01-01"), letter="A", suffix="2"),
            _num(N3, 3, "1234AC", _voorkomen(1, "2010-01-01")),
        ],
        "PND": [
            # P1: built (bouwjaar placeholder while under construction), then in use; a later
            # "gesloopt" record was made inactive (a correction) and must be ignored.
            _pand(
                P1,
                "Bouw gestart",
                9999,
                _polygon(square),
                _voorkomen(1, "2010-01-01", "2012-01-01"),
            ),
            _pand(P1, "Pand in gebruik", 1930, _polygon(square), _voorkomen(2, "2012-01-01")),
            _pand(
                P1,
                "Pand gesloopt",
                1930,
                _polygon(square),
                _voorkomen(3, "2020-01-01", inactive=True),
            ),
            # P2: a yard building with a hole, 2D rings, in use, then demolished; 9999 year.
            _pand(
                P2,
                "Pand in gebruik",
                9999,
                _polygon(yard, (hole,), dim=2),
                _voorkomen(1, "2010-01-01", "2019-06-01"),
            ),
            _pand(
                P2,
                "Pand gesloopt",
                9999,
                _polygon(yard, (hole,), dim=2),
                _voorkomen(2, "2019-06-01"),
            ),
        ],
        "VBO": [
            # V1: gevormd, then in use with 80 m²; a second current record (newer begin) says 85.
            _vbo(
                V1,
                "Verblijfsobject gevormd",
                ["woonfunctie"],
                80,
                N1,
                [P1],
                _point(pand_x + 2, 400_002.0),
                _voorkomen(1, "2010-01-01", "2012-01-01"),
            ),
            _vbo(
                V1,
                "Verblijfsobject in gebruik",
                ["woonfunctie"],
                80,
                N1,
                [P1],
                _point(pand_x + 2, 400_002.0),
                _voorkomen(2, "2012-01-01"),
            ),
            _vbo(
                V1,
                "Verblijfsobject in gebruik",
                ["woonfunctie"],
                85,
                N1,
                [P1],
                _point(pand_x + 2, 400_002.0),
                _voorkomen(3, "2018-01-01"),
            ),
            # V2: dwelling + shop over both panden (the demolished one listed first), geometry
            # given as a polygon (vlak).
            _vbo(
                V2,
                "Verblijfsobject in gebruik (niet ingemeten)",
                ["woonfunctie", "winkelfunctie"],
                60,
                N2,
                [P2, P1],
                f"<Objecten:vlak>{_polygon(_square(pand_x + 6, 400_006.0, 2.0))}</Objecten:vlak>",
                _voorkomen(1, "2012-01-01"),
            ),
            # V3: was a dwelling in P2, withdrawn when P2 was demolished.
            _vbo(
                V3,
                "Verblijfsobject in gebruik",
                ["woonfunctie"],
                50,
                N3,
                [P2],
                _point(pand_x + 21, 400_001.0),
                _voorkomen(1, "2010-01-01", "2019-06-01"),
            ),
            _vbo(
                V3,
                "Verblijfsobject ingetrokken",
                ["woonfunctie"],
                50,
                N3,
                [P2],
                _point(pand_x + 21, 400_001.0),
                _voorkomen(2, "2019-06-01"),
            ),
            # V4: an office in P1.
            _vbo(
                V4,
                "Verblijfsobject in gebruik",
                ["kantoorfunctie"],
                30,
                N3,
                [P1],
                _point(pand_x + 8, 400_002.0),
                _voorkomen(1, "2012-01-01"),
            ),
        ],
        "LIG": [],
        "STA": [],
    }


def write_lvbag(path: Path, parts: dict[str, list[str]]) -> Path:
    """Nest like Kadaster: outer zip → 9999GEM zip → per-type zips → XML parts."""

    def zipped(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return buffer.getvalue()

    type_zips = {
        f"9999{kind}01012024.zip": zipped({f"9999{kind}01012024-000001.xml": _document(objs)})
        for kind, objs in parts.items()
    }
    # Inactive records live in their own zip; if it were read, P1 would be "Pand gesloopt".
    inactive = zipped(
        {
            "9999IAPND01012024.zip": zipped(
                {
                    "9999IAPND01012024-000001.xml": _document(
                        [
                            _pand(
                                P1,
                                "Pand gesloopt",
                                1930,
                                _polygon(_square(0, 0, 1)),
                                _voorkomen(9, "2023-01-01"),
                            )
                        ]
                    )
                }
            )
        }
    )
    gem = zipped({**type_zips, "9999Inactief01012024.zip": inactive})
    path.write_bytes(
        zipped({"9999GEM01012024.zip": gem, "Leveringsdocument-BAG-Extract.xml": b"<levering/>"})
    )
    return path


@pytest.fixture
def golden(tmp_path: Path) -> Path:
    return write_lvbag(tmp_path / "BAGGEM9999L-01012024.zip", golden_parts())


# --- golden: the hand-made extract -----------------------------------------------------------


def test_golden_buildings_keep_current_record_of_every_pand(golden: Path) -> None:
    buildings = read_bag(golden).data.buildings.set_index("building_id")
    assert list(buildings.index) == [P1, P2]
    assert buildings.loc[P1, "status"] == "Pand in gebruik"  # the inactive "gesloopt" ignored
    assert buildings.loc[P1, "construction_year"] == 1930
    assert bool(buildings.loc[P1, "in_use"]) is True
    assert buildings.loc[P2, "status"] == "Pand gesloopt"
    assert bool(buildings.loc[P2, "in_use"]) is False
    assert buildings["construction_year"].isna().tolist() == [False, True]  # 9999 → missing
    assert buildings.crs == "EPSG:28992"
    assert not shapely.has_z(buildings.geometry.to_numpy()).any()
    assert buildings.loc[P1, "geometry"].area == pytest.approx(100.0)
    assert buildings.loc[P2, "geometry"].area == pytest.approx(100.0 - 4.0)  # hole kept


def test_golden_dwellings_are_in_use_woonfunctie_with_address(golden: Path) -> None:
    dwellings = read_bag(golden).data.dwellings.set_index("dwelling_id")
    assert list(dwellings.index) == [V1, V2]  # V3 withdrawn, V4 an office
    one, two = dwellings.loc[V1], dwellings.loc[V2]
    assert (one["building_id"], one["street_name"], one["house_number"]) == (P1, "Dorpsstraat", 1)
    assert (one["postcode"], one["city"], one["floor_area_m2"]) == ("1234AB", "Teststad", 85.0)
    assert one["geometry"].equals(Point(100_002.0, 400_002.0))
    assert pd.isna(one["house_letter"]) and pd.isna(one["house_suffix"])
    assert two["building_id"] == P1  # of its two panden the one in use, though listed second
    assert (two["house_number"], two["house_letter"], two["house_suffix"]) == (1, "A", "2")
    assert two["status"] == "Verblijfsobject in gebruik (niet ingemeten)"
    assert two["geometry"].within(shapely.box(100_006, 400_006, 100_008, 400_008))


def test_golden_report_counts_add_up(golden: Path) -> None:
    report = read_bag(golden).report
    assert (report.read, report.used) == (4, 2)
    assert report.read == report.used + sum(report.skipped.values())
    assert dict(report.skipped) == {"not a dwelling (no woonfunctie)": 1, "status not in use": 1}
    counts = report.counts
    assert counts["building_status"] == {"Pand in gebruik": 1, "Pand gesloopt": 1}
    assert counts["construction_year_made_missing"] == {"9999": 1}
    assert counts["records"]["PND"] == 5 and counts["records"]["VBO"] == 7
    assert counts["history_records_skipped"]["PND"] == {"ended": 2, "inactive": 1}
    assert counts["objects_with_several_current_voorkomens"] == {"VBO": 1}
    assert counts["vbo_status"]["Verblijfsobject ingetrokken"] == 1
    assert counts["vbo_gebruiksdoel"] == {"woonfunctie": 3, "winkelfunctie": 1, "kantoorfunctie": 1}
    assert counts["dwellings"]["in_several_panden"] == 1


def test_progress_reports_records_read(golden: Path) -> None:
    seen: list[int] = []
    read_bag(golden, progress=seen.append)
    assert seen[-1] == 1 + 1 + 4 + 5 + 7


# --- real data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def weesp():  # type: ignore[no-untyped-def]
    return read_bag(WEESP)


@needs_real
def test_weesp_current_panden_and_statuses(weesp) -> None:  # type: ignore[no-untyped-def]
    buildings, counts = weesp.data.buildings, weesp.report.counts
    assert len(buildings) == 12_899 and buildings["building_id"].is_unique
    assert counts["building_status"]["Pand in gebruik"] == 10_803
    assert counts["building_status"]["Pand gesloopt"] == 458
    assert counts["building_status"]["Niet gerealiseerd pand"] == 206
    # in_use: in gebruik 10,803 + niet ingemeten 4 + verbouwing 20 + sloopvergunning 7
    assert int(buildings["in_use"].sum()) == 10_834
    assert counts["construction_year_made_missing"] == {"9999": 62}
    years = buildings["construction_year"].dropna()
    assert years.min() == 1462 and years.max() <= 2021
    assert buildings.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert not shapely.has_z(buildings.geometry.to_numpy()).any()
    assert buildings["building_id"].str.startswith("0424").sum() == 19


@needs_real
def test_weesp_dwellings(weesp) -> None:  # type: ignore[no-untyped-def]
    dwellings, report = weesp.data.dwellings, weesp.report
    # 12,509 current VBOs; 11,043 have an in-use status, of which 9,517 have woonfunctie.
    assert len(dwellings) == 9_517 and dwellings["dwelling_id"].is_unique
    assert report.read == 12_509 and report.used == 9_517
    assert report.skipped["not a dwelling (no woonfunctie)"] == 1_802
    assert report.skipped["status not in use"] == 1_190
    assert report.counts["vbo_status"]["Verblijfsobject in gebruik"] == 10_906
    assert report.counts["vbo"]["in_several_panden"] == 173
    assert report.counts["vbo"]["pand_missing_from_extract"] == 1  # not a dwelling
    assert report.counts["dwellings"]["without_address"] == 0
    assert dwellings["building_id"].str.fullmatch(r"0\d{15}").all()  # strings, leading zero
    assert set(dwellings["city"]) == {"Weesp"}
    assert dwellings["street_name"].notna().all() and dwellings["postcode"].notna().all()
    assert dwellings.geometry.geom_type.eq("Point").all()
    assert dwellings["building_id"].isin(weesp.data.buildings["building_id"]).all()


@needs_real
def test_amsterdam_geopackage_gives_all_addresses_without_buildings() -> None:
    result = read_bag(AMSTERDAM)
    dwellings, report = result.data.dwellings, result.report
    assert result.data.buildings is None
    assert len(dwellings) == 1_836 and report.used == 1_836
    assert dwellings["dwelling_id"].str.len().eq(16).all()
    assert dwellings["building_id"].isna().all()
    assert dwellings.geometry.geom_type.eq("Point").all()
    assert report.counts["ligplaatsen"]["features"] == 67
    assert report.counts["standplaatsen"]["features"] == 1
    assert "no footprints: blocks cannot be formed from buildings" in report.notes
    assert "no gebruiksdoel: all 1,836 addresses kept as dwellings-or-premises" in report.notes
    assert result.licence == "BAG: publiek domein (CC0), Kadaster"
