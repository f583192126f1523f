"""Export of organisations, services and locations as Open Referral HSDS 3.0 (JSON and CSV).

Only approved, public assets of the kinds institution, association, economy and place are
exported — never residents' offers, stories or active residents. An institution, association
or shop becomes an organisation with one service at one location; the meeting places together
belong to one organisation, "Ontmoetingsplekken in de buurt", each a location with a service.
Opening hours that can be read (``ma-vr 09:00-17:00; za 10:00-12:00``, also in English and
OpenStreetMap style) become weekly schedules; phones are never exported. Ids are UUIDs derived
from the asset ids, so an export is the same every time. Every record validates against the
vendored HSDS 3.0 schemas (``hsds_schema/``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from pyproj import Transformer

from veerkracht.community.audience import PUBLIC_ONLOOKER, can_see
from veerkracht.domain.assets import AssetKind
from veerkracht.storage.engine import Store

SCHEMA_DIR = Path(__file__).parent / "hsds_schema"
#: HSDS tables in the order of the CSV data package.
TABLES = ("organization", "service", "location", "service_at_location", "schedule")
EXPORT_KINDS = (AssetKind.INSTITUTION, AssetKind.ASSOCIATION, AssetKind.ECONOMY, AssetKind.PLACE)
NAMESPACE = uuid.UUID("6f1c3a52-5d0e-4b8e-9c51-7a0c2f6d9e11")
PLACES_ORGANISATION = {
    "name": "Ontmoetingsplekken in de buurt",
    "description": "Openbare plekken waar buren elkaar ontmoeten (bankjes, binnentuinen, "
    "speelplekken), bijgehouden door bewoners en professionals in veerkracht.",
}
KIND_WORDS = {
    AssetKind.INSTITUTION: "voorziening in de buurt",
    AssetKind.ASSOCIATION: "vereniging of bewonersgroep",
    AssetKind.ECONOMY: "winkel of bedrijf in de buurt",
    AssetKind.PLACE: "ontmoetingsplek",
}
_TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
_DAYS = {
    "ma": "MO", "mo": "MO", "mon": "MO", "di": "TU", "tu": "TU", "tue": "TU",
    "wo": "WE", "we": "WE", "wed": "WE", "do": "TH", "th": "TH", "thu": "TH",
    "vr": "FR", "fr": "FR", "fri": "FR", "za": "SA", "sa": "SA", "sat": "SA",
    "zo": "SU", "su": "SU", "sun": "SU",
}  # fmt: skip
_WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun|ma|di|wo|do|vr|za|zo|mo|tu|we|th|fr|sa|su)"
_RULE = re.compile(
    rf"(?P<days>{_DAY}(?:\s*[-,]\s*{_DAY})*)\.?"
    r"(?:\s*-?\s*(?:ochtend|middag|avond|morning|afternoon|evening))?\s*:?\s*"
    r"(?P<opens>\d{1,2}[:.]\d{2})\s*[-–]\s*(?P<closes>\d{1,2}[:.]\d{2})"
)


@dataclass
class HsdsExport:
    """The five HSDS tables as lists of records (flat: one table row per record)."""

    organization: list[dict[str, Any]] = field(default_factory=list)
    service: list[dict[str, Any]] = field(default_factory=list)
    location: list[dict[str, Any]] = field(default_factory=list)
    service_at_location: list[dict[str, Any]] = field(default_factory=list)
    schedule: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in TABLES}


def export_hsds(store: Store) -> HsdsExport:
    """The HSDS tables of the store's approved public assets of the exported kinds."""
    from veerkracht.storage.assets import read_assets

    return build_hsds(read_assets(store, kinds=[k.value for k in EXPORT_KINDS]))


def build_hsds(assets: pd.DataFrame) -> HsdsExport:
    """The HSDS tables of these assets (others than the exported kinds or public are skipped)."""
    out = HsdsExport()
    rows = sorted(
        (r for r in assets.to_dict("records") if _exportable(r)), key=lambda r: str(r["asset_id"])
    )
    places_org = _id("organization", "places")
    for row in rows:
        kind = AssetKind(row["kind"])
        own = kind is not AssetKind.PLACE
        org_id = _id("organization", row["asset_id"]) if own else places_org
        if own:
            out.organization.append(
                {"id": org_id, "name": _name(row), "description": _description(row, kind)}
            )
        _add_service(out, row, kind, org_id)
    if any(AssetKind(r["kind"]) is AssetKind.PLACE for r in rows):
        out.organization.append({"id": places_org, **PLACES_ORGANISATION})
    return out


def organization_documents(data: HsdsExport) -> list[dict[str, Any]]:
    """One JSON document per organisation, with its services (at their locations) and locations."""
    locations = {r["id"]: r for r in data.location}
    at = _group(data.service_at_location, "service_id")
    schedules = _group(data.schedule, "service_id")
    services = _group(data.service, "organization_id")
    docs = []
    for org in data.organization:
        own_services = [
            {
                **svc,
                "schedules": schedules.get(svc["id"], []),
                "service_at_locations": [
                    {**sal, "location": locations[sal["location_id"]]}
                    if sal.get("location_id") in locations
                    else dict(sal)
                    for sal in at.get(svc["id"], [])
                ],
            }
            for svc in services.get(org["id"], [])
        ]
        own_locations = [r for r in data.location if r["organization_id"] == org["id"]]
        docs.append({**org, "services": own_services, "locations": own_locations})
    return docs


def write_json(data: HsdsExport, path: Path) -> int:
    """Write the organisation documents as one JSON array; returns how many."""
    docs = organization_documents(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(docs, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(docs)


def write_csv(data: HsdsExport, folder: Path) -> dict[str, int]:
    """Write one CSV per table and a ``datapackage.json`` into ``folder``; rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in csv_files(data).items():
        (folder / name).write_text(text, encoding="utf-8")
    return data.counts()


def csv_zip(data: HsdsExport) -> bytes:
    """The CSV data package as a zip file (for a download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(data).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def csv_files(data: HsdsExport) -> dict[str, str]:
    """File name → text of the CSV data package (columns in the schema's order)."""
    files = {}
    resources = []
    for table in TABLES:
        schema = load_schema(table)
        columns = tabular_columns(table)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for record in getattr(data, table):
            writer.writerow({c: "" if record.get(c) is None else record.get(c) for c in columns})
        files[schema["path"]] = buffer.getvalue()
        resources.append(
            {
                "name": table,
                "path": schema["path"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": c, "type": schema["properties"][c].get("type", "string")}
                        for c in columns
                    ],
                    "primaryKey": "id",
                },
            }
        )
    package = {
        "name": "veerkracht-hsds",
        "title": "Organisaties, diensten en plekken uit veerkracht (HSDS 3.0)",
        "profile": "tabular-data-package",
        "sources": [
            {
                "title": "Human Services Data Specification: an Open Referral resource",
                "path": "https://openreferral.org/",
            }
        ],
        "resources": resources,
    }
    files["datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    return files


def tabular_columns(table: str) -> list[str]:
    """The flat columns of an HSDS table: its schema's properties that are no arrays or objects."""
    props = load_schema(table)["properties"]
    return [
        k for k, v in props.items() if v.get("type") not in ("array", "object") and "$ref" not in v
    ]


@lru_cache(maxsize=8)
def load_schema(table: str) -> dict[str, Any]:
    """A vendored HSDS 3.0 schema by table name."""
    if table not in TABLES:
        raise ValueError(f'HSDS table "{table}" is not one of {", ".join(TABLES)}')
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / f"{table}.json").read_text("utf-8"))
    return schema


def validate_export(data: HsdsExport) -> list[str]:
    """Every problem found (empty when all is well): each table row against its schema with its
    tabular required fields, and each organisation document with its nested services."""
    problems = []
    for table in TABLES:
        schema = load_schema(table)
        for record in getattr(data, table):
            problems += _problems(table, record)
            missing = [f for f in schema.get("tabular_required", []) if not record.get(f)]
            problems += [f"{table} {record.get('id')}: {f} is required" for f in missing]
    for doc in organization_documents(data):
        services = doc.pop("services")
        problems += _problems("organization", doc)
        for service in services:
            problems += _problems("service", service)
    return problems


def parse_opening_hours(text: str | None) -> list[dict[str, str]]:
    """Weekly opening rules from ``ma-vr 9:00-17:00, wo-avond 19:00-21:00`` or OpenStreetMap's
    ``Mo-Fr 09:00-17:00; Sa 10:00-12:00``; empty when any part cannot be read."""
    lowered = (text or "").lower()
    rules, rest = [], lowered
    for found in _RULE.finditer(lowered):
        days = _days(found.group("days"))
        opens, closes = _time(found.group("opens")), _time(found.group("closes"))
        if not days or opens is None or closes is None or opens >= closes:
            return []
        rules.append({"byday": ",".join(days), "opens_at": opens, "closes_at": closes})
        rest = rest.replace(found.group(0), " ", 1)
    if re.sub(r"[\s,;/]|\ben\b|\band\b", "", rest):
        return []  # something we could not read: better no schedule than a wrong one
    return rules


# ---- helpers --------------------------------------------------------------------------------


def _problems(table: str, record: dict[str, Any]) -> list[str]:
    validator = _validator(table)
    return [
        f"{table} {record.get('id')}: {'/'.join(str(p) for p in e.absolute_path) or '-'}: "
        f"{e.message}"
        for e in validator.iter_errors(record)
    ]


@lru_cache(maxsize=8)
def _validator(table: str) -> Any:
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry: Registry[Any] = Registry().with_resources(
        (
            f"{name}.json",
            Resource.from_contents(load_schema(name), default_specification=DRAFT202012),
        )
        for name in TABLES
    )
    return Draft202012Validator(
        load_schema(table), registry=registry, format_checker=FormatChecker()
    )


def _add_service(out: HsdsExport, row: dict[str, Any], kind: AssetKind, org_id: str) -> None:
    asset_id = row["asset_id"]
    lon, lat = _TO_WGS84.transform(float(row["x"]), float(row["y"]))
    location = {
        "id": _id("location", asset_id),
        "location_type": "physical",
        "organization_id": org_id,
        "name": _name(row),
        "description": _description(row, kind),
        "latitude": round(float(lat), 6),
        "longitude": round(float(lon), 6),
        "external_identifier": str(asset_id),
        "external_identifier_type": "veerkracht asset id",
    }
    service = {
        "id": _id("service", asset_id),
        "organization_id": org_id,
        "name": _name(row) if kind is not AssetKind.PLACE else f"Ontmoetingsplek: {_name(row)}",
        "description": _description(row, kind),
        "status": "active",
    }
    sal = {
        "id": _id("service_at_location", asset_id),
        "service_id": service["id"],
        "location_id": location["id"],
    }
    out.location.append(location)
    out.service.append(service)
    out.service_at_location.append(sal)
    for i, rule in enumerate(parse_opening_hours(_text(row.get("opening_hours")))):
        out.schedule.append(
            {
                "id": _id("schedule", f"{asset_id}:{i}"),
                "service_id": service["id"],
                "location_id": location["id"],
                "service_at_location_id": sal["id"],
                "freq": "WEEKLY",
                "byday": rule["byday"],
                "opens_at": rule["opens_at"],
                "closes_at": rule["closes_at"],
                "description": _text(row.get("opening_hours")),
                "notes": "Lokale tijd (Europe/Amsterdam).",
            }
        )


def _exportable(row: dict[str, Any]) -> bool:
    if row.get("kind") not in {k.value for k in EXPORT_KINDS}:
        return False
    return (_text(row.get("visibility")) or "public") == "public" and can_see(
        PUBLIC_ONLOOKER,
        audience=_text(row.get("visibility")),
        status=_text(row.get("status")),
        block_key=_text(row.get("block_key")),
        neighbourhood_code=_text(row.get("neighbourhood_code")),
    )


def _days(text: str) -> list[str] | None:
    days: list[str] = []
    for part in re.split(r"\s*,\s*", text):
        ends = [p.strip() for p in part.split("-")]
        codes = [_DAYS.get(e) for e in ends]
        if len(ends) > 2 or any(c is None for c in codes):
            return None
        first, last = _WEEK.index(str(codes[0])), _WEEK.index(str(codes[-1]))
        if last < first:
            return None
        days.extend(d for d in _WEEK[first : last + 1] if d not in days)
    return days


def _time(text: str) -> str | None:
    hours, minutes = (int(p) for p in re.split(r"[:.]", text))
    if hours == 24 and minutes == 0:
        return "24:00"
    return f"{hours:02d}:{minutes:02d}" if hours < 24 and minutes < 60 else None


def _id(table: str, key: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{table}:{key}"))


def _name(row: dict[str, Any]) -> str:
    return _text(row.get("name")) or str(row["asset_id"])


def _description(row: dict[str, Any], kind: AssetKind) -> str:
    return _text(row.get("description")) or f"{_name(row)} ({KIND_WORDS[kind]})"


def _group(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row[key], []).append(row)
    return out


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None
