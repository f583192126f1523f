"""Who is looking: the one place where authentication will plug in."""

from __future__ import annotations

from fastapi import Request

from veerkracht.assessment.disclosure import PUBLIC, Viewer


def get_viewer(request: Request) -> Viewer:
    """The viewer of this request; for now every visitor is the public viewer."""
    return PUBLIC
