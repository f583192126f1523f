"""Photos from reporters: checked by their first bytes, stored in the workspace."""

from __future__ import annotations

from pathlib import Path

#: File signatures of the image types accepted (magic bytes → extension).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
)


def image_extension(data: bytes) -> str | None:
    """The extension of an accepted image type, judged by content (never by name), or None."""
    for signature, extension in SIGNATURES:
        if data.startswith(signature):
            return extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    return None


def photo_folder(workspace: Path) -> Path:
    """The folder holding reporters' photos (not served as static files)."""
    return workspace / "signal-photos"


def save_photo(workspace: Path, signal_id: str, data: bytes) -> str:
    """Write a checked photo and return its file name."""
    extension = image_extension(data)
    if extension is None:
        raise ValueError("not an image")
    folder = photo_folder(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{signal_id}{extension}"
    (folder / name).write_bytes(data)
    return name


def delete_photo(workspace: Path, name: str | None) -> bool:
    """Remove a stored photo; True when a file was removed."""
    if not name:
        return False
    path = photo_folder(workspace) / Path(name).name
    if path.exists():
        path.unlink()
        return True
    return False
