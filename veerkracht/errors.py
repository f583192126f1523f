"""A small exception tree; each class knows its HTTP status and CLI exit code."""

from __future__ import annotations


class VeerkrachtError(Exception):
    """Base of all errors veerkracht reports to a person."""

    http_status = 500
    exit_code = 1


class InputError(VeerkrachtError):
    """Bad input: the message names the file, row or feature, field and what was expected."""

    http_status = 400
    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        row: int | str | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.row = row
        self.field = field
        parts = []
        if path:
            parts.append(str(path))
        if row is not None:
            parts.append(f"row {row}" if isinstance(row, int) else str(row))
        if field:
            parts.append(f'field "{field}"')
        prefix = ", ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class UsageError(VeerkrachtError):
    """The command or request was called the wrong way."""

    http_status = 422
    exit_code = 2


class NotFound(VeerkrachtError):
    """The unit, record or page does not exist."""

    http_status = 404
    exit_code = 1


class Forbidden(VeerkrachtError):
    """The viewer may not see or change this."""

    http_status = 403
    exit_code = 1


class StoreError(VeerkrachtError):
    """The store is missing, empty or of another schema version."""

    http_status = 503
    exit_code = 1
