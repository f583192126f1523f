"""Where the data comes from: the import log as source notes and as the /data page."""

from __future__ import annotations

from typing import Any

import pandas as pd

from veerkracht.storage.engine import Store
from veerkracht.storage.sources import read_imports
from veerkracht.storage.units import count_units, read_last_build
from veerkracht.web.labels import source_title
from veerkracht.web.pages.models import DataPage, ImportRecord, SourceNote


def build_source_notes(store: Store) -> list[SourceNote]:
    """One note per source in the import log (its newest import), for every page's footer."""
    notes: dict[str, SourceNote] = {}
    for row in read_imports(store).to_dict("records"):
        source = str(row["source"])
        if source not in notes:  # the log comes newest first
            notes[source] = SourceNote(
                source=source,
                title=source_title(source),
                licence=_text(row.get("licence")),
                imported_at=_time(row.get("imported_at")),
            )
    return list(notes.values())


def build_data_page(store: Store) -> DataPage:
    """The import log (source, file, when, counts, licence) and the last build."""
    build = read_last_build(store)
    imports = [
        ImportRecord(
            import_id=int(row["import_id"]),
            source=str(row["source"]),
            title=source_title(str(row["source"])),
            path=str(row["path"]),
            sha256=str(row["sha256"]),
            imported_at=_time(row["imported_at"]),
            licence=_text(row.get("licence")),
            report=dict(row["report"]) if isinstance(row["report"], dict) else {},
        )
        for row in read_imports(store).to_dict("records")
    ]
    return DataPage(
        imports=imports,
        built_at=build["built_at"] if build else None,
        reference_year=build["reference_year"] if build else None,
        unit_counts=count_units(store),
    )


def _text(value: Any) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _time(value: Any) -> Any:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).to_pydatetime()
