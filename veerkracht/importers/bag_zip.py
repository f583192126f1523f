"""Walk an LV-BAG extract (zip of zips) and open its XML parts as streams, never extracting to disk.

Kadaster ships ``BAGGEM0457L-….zip`` → ``0457GEM….zip`` → ``0457PND….zip`` → ``0457PND…-000001.xml``
for a gemeente, and ``lvbag-extract-nl.zip`` → ``9999PND….zip`` → ``9999PND…-000001.xml`` for the
country. Any nesting depth is accepted; XML parts are recognised by name.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from veerkracht.errors import InputError

#: Object types this importer reads, by the three letters in the part names.
OBJECT_TYPES = ("WPL", "OPR", "NUM", "PND", "VBO", "LIG", "STA")

#: ``0457PND15102021-000001.xml``: gemeente code (or 9999), type, stand date, part number.
_XML_PART = re.compile(r"^\d{4}(WPL|OPR|NUM|PND|VBO|LIG|STA)\d{8}(-\d+)?\.xml$", re.IGNORECASE)

#: Inner zips that hold no current registered objects: inactive records, objects under
#: investigation (a copy of records already in the main parts), objects outside the BAG, and
#: the gemeente–woonplaats relation table.
_SKIPPED_ZIP = re.compile(r"(Inactief|InOnderzoek|NietBag|GEM-WPL-RELATIE|^\d{4}(IA|IO|NB))", re.I)

#: What a damaged zip raises while it is read.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ValueError,
    NotImplementedError,
)


def iter_xml_parts(path: Path, kinds: tuple[str, ...]) -> Iterator[tuple[str, str, IO[bytes]]]:
    """Yield ``(object type, part name, binary stream)`` for every XML part of the given types."""
    for kind, name, opener in _walk(path, open_parts=True):
        if kind in kinds and opener is not None:
            with opener() as stream:
                yield kind, name, stream


def _walk(
    path: Path, *, open_parts: bool
) -> Iterator[tuple[str, str, Callable[[], IO[bytes]] | None]]:
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise InputError(
            f"not a readable zip archive, truncated or damaged ({exc}); expected an LV-BAG extract",
            path=str(path),
        ) from exc
    with archive:
        yield from _walk_archive(archive, path, (), open_parts=open_parts)


def _walk_archive(
    archive: zipfile.ZipFile, path: Path, trail: tuple[str, ...], *, open_parts: bool
) -> Iterator[tuple[str, str, Callable[[], IO[bytes]] | None]]:
    # Members in the order they are stored, so that reading a deflated inner zip only seeks forward.
    for info in sorted(archive.infolist(), key=lambda i: i.header_offset):
        base = info.filename.rsplit("/", 1)[-1]
        where = "/".join((*trail, info.filename))
        if base.lower().endswith(".zip"):
            if _SKIPPED_ZIP.search(base):
                continue
            with _open_inner(archive, info, path, where) as inner:
                yield from _walk_archive(
                    inner, path, (*trail, info.filename), open_parts=open_parts
                )
            continue
        match = _XML_PART.match(base)
        if match:
            kind = match.group(1).upper()
            opener = _member_opener(archive, info, path, where) if open_parts else None
            yield kind, where, opener


@contextmanager
def _open_inner(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, where: str
) -> Iterator[zipfile.ZipFile]:
    try:
        handle = archive.open(info)
        inner = zipfile.ZipFile(handle)
    except ZIP_ERRORS as exc:
        raise InputError(
            f"inner zip {where!r} is damaged ({exc}); expected a readable zip", path=str(path)
        ) from exc
    with handle, inner:
        yield inner


def _member_opener(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, where: str
) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        try:
            return archive.open(info)
        except ZIP_ERRORS as exc:
            raise InputError(f"part {where!r} cannot be opened ({exc})", path=str(path)) from exc

    return opener
