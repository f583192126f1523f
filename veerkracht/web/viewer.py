"""Who is looking: the one place where authentication plugs in."""

from __future__ import annotations

from fastapi import Request

from veerkracht.assessment.disclosure import PUBLIC, Viewer


def get_viewer(request: Request) -> Viewer:
    """The viewer of this request: the logged-in account's role and scope, else the public."""
    if "session" not in request.scope:
        return PUBLIC
    from veerkracht.web.routes.auth import current_account

    account = current_account(request)
    if account is None:
        return PUBLIC
    return Viewer(role=account.role.value, scope=account.scope, name=account.username)
