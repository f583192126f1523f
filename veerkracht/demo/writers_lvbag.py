"""Write Demostad as a Kadaster LV-BAG 2.0 extract: a zip of zips of XML parts, streamed.

The layout is the one Kadaster ships for a gemeente (see ``/work/shared/data/real/weesp``)::

    BAGGEM9999L-31122025.zip
      Leveringsdocument-BAG-Extract.xml
      9999GEM31122025.zip                       (stored)
        9999WPL31122025.zip → 9999WPL31122025-000001.xml
        9999OPR…, 9999NUM…, 9999PND…, 9999VBO…  (stored; XML parts deflated)
      GEM-WPL-RELATIE-31122025.zip

Every record is one ``<sl:stand><sl-bag-extract:bagObject>`` with the fields, voorkomen and GML
3.2 geometry (``srsDimension="3"``, z = 0.0) of the real extract. Some objects carry an ended
earlier voorkomen (history), as real extracts do; the current state is exactly Demostad.

Records are formatted and written part by part straight into the nested zip streams (nothing is
unpacked to disk and no XML tree is built), so memory stays bounded by one part of text.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
import shapely

#: The gemeente code of Demostad (GM9999) as it appears in part names and ids.
GEMEENTE = "9999"
WOONPLAATS_ID = "9999"
#: Stand date of the extract (the last day Demostad simulates).
STAND = "2025-12-31"
PART_OBJECTS = 10_000
#: Deflate level of the XML parts: 1 is fast and still shrinks the XML about tenfold.
COMPRESSLEVEL = 1
_DATE_TIME = (2025, 12, 31, 0, 0, 0)
#: Where a ZipInfo keeps its deflate level (renamed in Python 3.13).
_LEVEL_ATTRIBUTE = (
    "compress_level" if hasattr(zipfile.ZipInfo, "compress_level") else "_compresslevel"
)
_SRS = 'srsName="urn:ogc:def:crs:EPSG::28992"'

_NAMESPACES = (
    'xmlns:DatatypenNEN3610="www.kadaster.nl/schemas/lvbag/imbag/datatypennen3610/v20200601" '
    'xmlns:Objecten="www.kadaster.nl/schemas/lvbag/imbag/objecten/v20200601" '
    'xmlns:gml="http://www.opengis.net/gml/3.2" '
    'xmlns:Historie="www.kadaster.nl/schemas/lvbag/imbag/historie/v20200601" '
    'xmlns:Objecten-ref="www.kadaster.nl/schemas/lvbag/imbag/objecten-ref/v20200601" '
    'xmlns:selecties-extract="http://www.kadaster.nl/schemas/lvbag/extract-selecties/v20200601" '
    'xmlns:sl-bag-extract="http://www.kadaster.nl/schemas/lvbag/extract-deelbestand-lvc/v20200601" '
    'xmlns:sl="http://www.kadaster.nl/schemas/standlevering-generiek/1.0"'
)
_LEVERING = f"""<?xml version="1.0" encoding="UTF-8"?>
<xb:BAG-Extract-Levering xmlns:xb="http://www.kadaster.nl/schemas/lvbag/extract-levering/v20200601" xmlns:selecties-extract="http://www.kadaster.nl/schemas/lvbag/extract-selecties/v20200601">
  <xb:SelectieGegevens>
    <selecties-extract:LVC-Extract><selecties-extract:StandTechnischeDatum>{STAND}</selecties-extract:StandTechnischeDatum></selecties-extract:LVC-Extract>
    <selecties-extract:Gebied-Registratief><selecties-extract:Gebied-GEM><selecties-extract:GemeenteCollectie><selecties-extract:Gemeente><selecties-extract:GemeenteIdentificatie>{GEMEENTE}</selecties-extract:GemeenteIdentificatie><selecties-extract:GemeenteNaam>Demostad</selecties-extract:GemeenteNaam></selecties-extract:Gemeente></selecties-extract:GemeenteCollectie></selecties-extract:Gebied-GEM></selecties-extract:Gebied-Registratief>
  </xb:SelectieGegevens>
  <xb:SchemaInfo><xb:naam>BagvsExtractDeelbestandExtractLvc-2.1.0.xsd</xb:naam><xb:versie>20200601</xb:versie></xb:SchemaInfo>
</xb:BAG-Extract-Levering>
"""


def write_lvbag(
    *,
    buildings: Any,
    dwellings: Any,
    municipality: Any,
    out: Path,
    progress: Callable[[float], None] | None = None,
) -> dict[str, int]:
    """Write buildings and dwellings (canonical frames) as an LV-BAG extract; counts per type."""
    report = progress or (lambda _share: None)
    stamp = STAND[8:10] + STAND[5:7] + STAND[:4]
    streets = _streets(dwellings)
    kinds: list[tuple[str, int, Callable[[], Iterator[str]]]] = [
        ("WPL", 1, lambda: _woonplaats(dwellings, municipality)),
        ("OPR", len(streets), lambda: _streets_xml(streets)),
        ("NUM", len(dwellings), lambda: _addresses(dwellings, streets)),
        ("PND", len(buildings), lambda: _panden(buildings)),
        ("VBO", len(dwellings), lambda: _verblijfsobjecten(dwellings)),
    ]
    total = sum(n for _, n, _ in kinds) or 1
    done = 0
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w") as outer:
        outer.writestr(_info("Leveringsdocument-BAG-Extract.xml", deflate=True), _LEVERING)
        with _nested(outer, f"{GEMEENTE}GEM{stamp}.zip") as gem:
            for kind, expected, records in kinds:
                with _nested(gem, f"{GEMEENTE}{kind}{stamp}.zip") as parts:
                    written = 0
                    for number, chunk in enumerate(_chunks(records(), PART_OBJECTS), start=1):
                        name = f"{GEMEENTE}{kind}{stamp}-{number:06d}.xml"
                        with parts.open(_info(name, deflate=True), "w") as stream:
                            _write_part(stream, kind, chunk)
                        written += len(chunk)
                        report((done + min(written, expected)) / total)
                counts[kind] = written
                done += expected
        relation = f"{GEMEENTE};{WOONPLAATS_ID};Demostad\n".encode()
        with _nested(outer, f"GEM-WPL-RELATIE-{stamp}.zip") as rel:
            rel.writestr(_info(f"GEM-WPL-RELATIE-{stamp}.csv", deflate=True), relation)
    report(1.0)
    return counts


@contextmanager
def _nested(parent: zipfile.ZipFile, name: str) -> Iterator[zipfile.ZipFile]:
    """An inner zip written straight into its (stored) member of ``parent``."""
    with (
        parent.open(_info(name, deflate=False), "w", force_zip64=True) as stream,
        zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as inner,
    ):
        yield inner


def _info(name: str, *, deflate: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    if deflate:
        setattr(info, _LEVEL_ATTRIBUTE, COMPRESSLEVEL)
    return info


def _chunks(records: Iterator[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write_part(stream: IO[bytes], kind: str, records: list[str]) -> None:
    header = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sl-bag-extract:bagStand {_NAMESPACES}>\n'
        "  <sl-bag-extract:bagInfo><selecties-extract:Gebied-Registratief>"
        "<selecties-extract:Gebied-GEM><selecties-extract:GemeenteCollectie>"
        f"<selecties-extract:Gemeente><selecties-extract:GemeenteIdentificatie>{GEMEENTE}"
        "</selecties-extract:GemeenteIdentificatie></selecties-extract:Gemeente>"
        "</selecties-extract:GemeenteCollectie></selecties-extract:Gebied-GEM>"
        "</selecties-extract:Gebied-Registratief><selecties-extract:LVC-Extract>"
        f"<selecties-extract:StandTechnischeDatum>{STAND}</selecties-extract:StandTechnischeDatum>"
        "</selecties-extract:LVC-Extract></sl-bag-extract:bagInfo>\n"
        "  <sl:standBestand>\n    <sl:dataset>LVBAG</sl:dataset>\n"
        "    <sl:inhoud><sl:gebied>GEMEENTE</sl:gebied><sl:leveringsId>0000000001</sl:leveringsId>"
        f"<sl:objectTypen><sl:objectType>{kind}</sl:objectType></sl:objectTypen></sl:inhoud>"
    )
    stream.write(header.encode())
    stream.write("".join(records).encode())
    stream.write(b"\n  </sl:standBestand>\n</sl-bag-extract:bagStand>\n")


def _voorkomen(number: int, begin: str, end: str | None = None) -> str:
    ended = f"<Historie:eindGeldigheid>{end}</Historie:eindGeldigheid>" if end else ""
    registered = f"{begin}T09:00:00.000"
    return (
        "<Objecten:voorkomen><Historie:Voorkomen>"
        f"<Historie:voorkomenidentificatie>{number}</Historie:voorkomenidentificatie>"
        f"<Historie:beginGeldigheid>{begin}</Historie:beginGeldigheid>{ended}"
        f"<Historie:tijdstipRegistratie>{registered}</Historie:tijdstipRegistratie>"
        "<Historie:BeschikbaarLV><Historie:tijdstipRegistratieLV>"
        f"{registered}</Historie:tijdstipRegistratieLV></Historie:BeschikbaarLV>"
        "</Historie:Voorkomen></Objecten:voorkomen>"
    )


def _record(kind: str, body: str) -> str:
    return (
        f"<sl:stand><sl-bag-extract:bagObject><Objecten:{kind}>{body}</Objecten:{kind}>"
        "</sl-bag-extract:bagObject></sl:stand>"
    )


def _ref(field: str, ref: str, domain: str, value: str) -> str:
    return (
        f'<Objecten:{field}><Objecten-ref:{ref} domein="NL.IMBAG.{domain}">{value}'
        f"</Objecten-ref:{ref}></Objecten:{field}>"
    )


def _id(domain: str, value: str) -> str:
    return f'<Objecten:identificatie domein="NL.IMBAG.{domain}">{value}</Objecten:identificatie>'


def _document(date: str, number: str) -> str:
    return (
        "<Objecten:geconstateerd>N</Objecten:geconstateerd>"
        f"<Objecten:documentdatum>{date}</Objecten:documentdatum>"
        f"<Objecten:documentnummer>{number}</Objecten:documentnummer>"
    )


def _polygons(geometry: Any) -> str:
    """GML 3.2 polygon(s) with 3D posLists (z = 0.0), as Kadaster writes panden."""
    out = []
    for polygon in shapely.get_parts(geometry):
        rings = [polygon.exterior, *polygon.interiors]
        parts = []
        for i, ring in enumerate(rings):
            coords = np.asarray(ring.coords)
            text = " ".join(f"{x!r} {y!r} 0.0" for x, y in coords[:, :2].tolist())
            tag = "exterior" if i == 0 else "interior"
            parts.append(
                f'<gml:{tag}><gml:LinearRing><gml:posList count="{len(coords)}">{text}'
                f"</gml:posList></gml:LinearRing></gml:{tag}>"
            )
        out.append(f'<gml:Polygon {_SRS} srsDimension="3">{"".join(parts)}</gml:Polygon>')
    return "".join(out)


def _woonplaats(dwellings: Any, municipality: Any) -> Iterator[str]:
    name = str(dwellings["city"].dropna().iloc[0]) if len(dwellings) else "Demostad"
    shape = ""
    if municipality is not None:
        ring = np.asarray(shapely.get_exterior_ring(municipality).coords)[:, :2]
        text = " ".join(f"{x!r} {y!r}" for x, y in ring.tolist())
        shape = (
            f'<Objecten:geometrie><Objecten:vlak><gml:Polygon {_SRS} srsDimension="2">'
            f'<gml:exterior><gml:LinearRing><gml:posList count="{len(ring)}">{text}'
            "</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></Objecten:vlak>"
            "</Objecten:geometrie>"
        )
    body = (
        f"{_id('Woonplaats', WOONPLAATS_ID)}<Objecten:naam>{escape(name)}</Objecten:naam>{shape}"
        "<Objecten:status>Woonplaats aangewezen</Objecten:status>"
        f"{_document('2009-01-01', 'DS-2009-1')}{_voorkomen(1, '2009-01-01')}"
    )
    yield _record("Woonplaats", body)


def _streets(dwellings: Any) -> pd.Series:
    """Street name → openbare ruimte id (one per name, as BAG requires within a woonplaats)."""
    names = sorted(dwellings["street_name"].dropna().astype(str).unique())
    ids = [f"{GEMEENTE}30{i + 1:010d}" for i in range(len(names))]
    return pd.Series(ids, index=names, dtype=object)


def _streets_xml(streets: pd.Series) -> Iterator[str]:
    for name, ident in streets.items():
        yield _record(
            "OpenbareRuimte",
            f"{_id('Openbareruimte', ident)}<Objecten:naam>{escape(str(name))}</Objecten:naam>"
            "<Objecten:type>Weg</Objecten:type>"
            "<Objecten:status>Naamgeving uitgegeven</Objecten:status>"
            f"{_document('2009-06-01', 'DS-2009-7')}"
            f"{_ref('ligtIn', 'WoonplaatsRef', 'Woonplaats', WOONPLAATS_ID)}"
            f"{_voorkomen(1, '2009-06-01')}",
        )


def address_id(dwelling_id: str) -> str:
    """The nummeraanduiding id of a Demostad dwelling: same number, object type 20."""
    return f"{dwelling_id[:4]}20{dwelling_id[6:]}"


def _addresses(dwellings: Any, streets: pd.Series) -> Iterator[str]:
    columns = ("dwelling_id", "house_number", "house_letter", "house_suffix", "postcode")
    street_ids = dwellings["street_name"].astype(object).map(streets).tolist()
    values = [
        dwellings[c].astype(object).where(dwellings[c].notna(), None).tolist() for c in columns
    ]
    for (ident, number, letter, suffix, postcode), street in zip(
        zip(*values, strict=True), street_ids, strict=True
    ):
        extra = f"<Objecten:huisletter>{escape(letter)}</Objecten:huisletter>" if letter else ""
        if suffix:
            extra += (
                f"<Objecten:huisnummertoevoeging>{escape(suffix)}</Objecten:huisnummertoevoeging>"
            )
        yield _record(
            "Nummeraanduiding",
            f"{_id('Nummeraanduiding', address_id(ident))}"
            f"<Objecten:huisnummer>{number}</Objecten:huisnummer>{extra}"
            f"<Objecten:postcode>{postcode}</Objecten:postcode>"
            "<Objecten:typeAdresseerbaarObject>Verblijfsobject</Objecten:typeAdresseerbaarObject>"
            "<Objecten:status>Naamgeving uitgegeven</Objecten:status>"
            f"{_document('2010-01-01', 'DS-2010-1')}{_voorkomen(1, '2010-01-01')}"
            f"{_ref('ligtAan', 'OpenbareRuimteRef', 'Openbareruimte', street)}",
        )


def _panden(buildings: Any) -> Iterator[str]:
    ids = buildings["building_id"].astype(str).tolist()
    years = (
        buildings["construction_year"]
        .astype(object)
        .where(buildings["construction_year"].notna(), None)
        .tolist()
    )
    statuses = buildings["status"].astype(str).tolist()
    for i, (ident, year, status, geometry) in enumerate(
        zip(ids, years, statuses, buildings.geometry.to_numpy(), strict=True)
    ):
        begin = f"{year}-07-01" if year and year >= 2010 else "2010-01-01"
        shape = f"<Objecten:geometrie>{_polygons(geometry)}</Objecten:geometrie>"
        built = f"<Objecten:oorspronkelijkBouwjaar>{year or 9999}</Objecten:oorspronkelijkBouwjaar>"
        if i % 5 == 0:  # an earlier voorkomen, ended: history the importer must skip
            early = f"{year}-01-15" if year and year >= 2010 else "2009-03-01"
            yield _record(
                "Pand",
                f"{_id('Pand', ident)}{shape}{built}<Objecten:status>Bouw gestart</Objecten:status>"
                f"{_document(early, 'DS-B-' + ident[-6:])}{_voorkomen(1, early, begin)}",
            )
            number = 2
        else:
            number = 1
        yield _record(
            "Pand",
            f"{_id('Pand', ident)}{shape}{built}<Objecten:status>{escape(status)}</Objecten:status>"
            f"{_document(begin, 'DS-P-' + ident[-6:])}{_voorkomen(number, begin)}",
        )


def _verblijfsobjecten(dwellings: Any) -> Iterator[str]:
    ids = dwellings["dwelling_id"].astype(str).tolist()
    panden = dwellings["building_id"].astype(object).where(dwellings["building_id"].notna(), None)
    areas = (
        dwellings["floor_area_m2"].astype(object).where(dwellings["floor_area_m2"].notna(), None)
    )
    statuses = dwellings["status"].astype(str).tolist()
    xs = dwellings.geometry.x.tolist()
    ys = dwellings.geometry.y.tolist()
    for i, (ident, pand, area, status, x, y) in enumerate(
        zip(ids, panden.tolist(), areas.tolist(), statuses, xs, ys, strict=True)
    ):
        point = (
            f'<Objecten:geometrie><Objecten:punt><gml:Point {_SRS} srsDimension="3">'
            f"<gml:pos>{x!r} {y!r} 0.0</gml:pos></gml:Point></Objecten:punt></Objecten:geometrie>"
        )
        size = f"<Objecten:oppervlakte>{round(area)}</Objecten:oppervlakte>" if area else ""
        part_of = _ref("maaktDeelUitVan", "PandRef", "Pand", pand) if pand else ""
        address = _ref(
            "heeftAlsHoofdadres", "NummeraanduidingRef", "Nummeraanduiding", address_id(ident)
        )
        common = f"{point}<Objecten:gebruiksdoel>woonfunctie</Objecten:gebruiksdoel>{size}"
        if i % 7 == 0:  # formed first, in use later: history
            yield _record(
                "Verblijfsobject",
                f"{address}{_voorkomen(1, '2010-01-01', '2011-01-01')}"
                f"{_id('Verblijfsobject', ident)}"
                f"{common}<Objecten:status>Verblijfsobject gevormd</Objecten:status>"
                f"{_document('2010-01-01', 'DS-V-' + ident[-6:])}{part_of}",
            )
            number, begin = 2, "2011-01-01"
        else:
            number, begin = 1, "2010-01-01"
        yield _record(
            "Verblijfsobject",
            f"{address}{_voorkomen(number, begin)}{_id('Verblijfsobject', ident)}"
            f"{common}<Objecten:status>{escape(status)}</Objecten:status>"
            f"{_document(begin, 'DS-V-' + ident[-6:])}{part_of}",
        )
