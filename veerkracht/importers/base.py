"""What every importer returns, and the checks they share."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veerkracht.domain.frames import SourceData
from veerkracht.errors import InputError


@dataclass
class ImportReport:
    """Counts of an import: read, used, skipped by reason, unmatched; stored with the import."""

    source: str
    path: str
    read: int = 0
    used: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    counts: dict[str, Any] = field(default_factory=dict)  # e.g. per status, per layer
    notes: list[str] = field(default_factory=list)  # plain sentences for the user

    def skip(self, reason: str, n: int = 1) -> None:
        """Count ``n`` records skipped for ``reason`` (a short English phrase)."""
        if n:
            self.skipped[reason] += int(n)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "path": self.path,
            "read": self.read,
            "used": self.used,
            "skipped": dict(sorted(self.skipped.items())),
            "counts": self.counts,
            "notes": self.notes,
        }


@dataclass
class ImportResult:
    """Canonical frames plus the report; the pipeline writes both in one transaction."""

    data: SourceData
    report: ImportReport
    licence: str


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def require_file(path: Path) -> None:
    """Raise InputError when ``path`` does not exist or is empty."""
    if not path.exists():
        raise InputError("file not found", path=str(path))
    if path.is_file() and path.stat().st_size == 0:
        raise InputError("the file is empty; expected data", path=str(path))
