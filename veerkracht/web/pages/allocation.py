"""The allocation page for analysts: advice per vacancy, a plan for a list of vacancies and the
results of policy simulations found in the workspace.

Only professionals, analysts and admins see it (the public gets a Dutch 403): advice names the
load of vulnerable households per portiek, which is never shown in public. The caps are those of
the default policy (:func:`veerkracht.allocation.policy.default_policy`).
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from veerkracht.allocation.policy import Policy, default_policy
from veerkracht.allocation.stock import Stock
from veerkracht.assessment.disclosure import Viewer
from veerkracht.errors import InputError
from veerkracht.storage.engine import Store
from veerkracht.web.i18n import format_number, format_share
from veerkracht.web.i18n import gettext as _
from veerkracht.web.labels import N_
from veerkracht.web.pages.analysis import LIST_ROLES, NotForThePublic

#: Largest CSV accepted in an upload (bytes).
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
#: Dwelling ids are digits (BAG verblijfsobject ids are 16 digits).
DWELLING_ID = re.compile(r"^\d{6,20}$")
#: Names of simulation folders and files that may be served.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
SIMULATION_FILES = {".csv": "text/csv", ".png": "image/png", ".svg": "image/svg+xml"}

VERDICT_CLASS = {"past": "good", "past met steun": "support", "beter elders": "elsewhere"}
STATUS_WORDS = {
    "ruim": N_("well within the cap"),
    "bijna": N_("close to the cap"),
    "boven": N_("over the cap"),
    "geen norm": N_("no cap"),
}
FILE_WORDS = {"vacancies": N_("the vacancies file"), "households": N_("the households file")}


class NotForThePublicAllocation(NotForThePublic):
    """The allocation page is for professionals, analysts and admins only."""


class UploadRejected(InputError):
    """An uploaded CSV is missing, too large or wrong; ``message_nl`` says so in Dutch."""

    def __init__(self, message: str, message_nl: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.message_nl = message_nl


def require_allocation_viewer(viewer: Viewer) -> None:
    """NotForThePublicAllocation unless the viewer is a professional, analyst or admin."""
    if viewer.role not in LIST_ROLES:
        raise NotForThePublicAllocation("the allocation page is for professionals and analysts")


def forbidden_text() -> str:
    return _(
        "The allocation page is only for analysts and professionals. It shows how many "
        "vulnerable households live per portiek, and that is never shown in public. "
        "Log in if you have an account."
    )


# --- the stock, read once per app and policy radius ---------------------------------------------

_LOCK = threading.Lock()


def stock_for(state: Any, store: Store, policy: Policy) -> Stock:
    """The stock of the app's store (cached on ``state``; the store does not change while the
    app runs)."""
    from veerkracht.allocation.stock import load_stock

    radius = float(policy.support.radius_m)
    with _LOCK:
        cache: dict[float, Stock] = getattr(state, "allocation_stocks", None) or {}
        if radius not in cache:
            cache[radius] = load_stock(store, support_radius_m=radius)
            state.allocation_stocks = cache
        return cache[radius]


def active_policy() -> Policy:
    return default_policy()


# --- advice ---


def find_dwellings(store: Store, query: str) -> list[dict[str, str]]:
    """Dwellings matching ``query``: a dwelling id, or a street (prefix) with a house number."""
    from veerkracht.signals.intake import address_label
    from veerkracht.storage.signals import find_addresses, read_dwelling

    text = query.strip()
    if not text:
        return []
    if DWELLING_ID.match(text):
        row = read_dwelling(store, text)
        return [] if row is None else [{"dwelling_id": text, "label": address_label(row)}]
    match = re.match(r"^(.*?\D)\s*(\d+)\s*[A-Za-z]?(?:\s*-?\s*\S+)?$", text)
    street, number = (match.group(1).strip(), int(match.group(2))) if match else (text, None)
    found = find_addresses(store, street, number, limit=20)
    return [{"dwelling_id": str(a["dwelling_id"]), "label": address_label(a)} for a in found]


def build_advice(store: Store, stock: Stock, dwelling_id: str, policy: Policy) -> dict[str, Any]:
    """The advice for one dwelling as data: verdict, reasons (Dutch) and the load per level."""
    from veerkracht.allocation.advice import advise
    from veerkracht.signals.intake import address_label
    from veerkracht.storage.signals import read_dwelling

    result = advise(stock, dwelling_id, policy).as_dict()
    row = read_dwelling(store, dwelling_id)
    levels = []
    for item in result["levels"]:
        cap = item["max_count"]
        levels.append(
            {
                **item,
                "status_text": _(STATUS_WORDS.get(item["status"], item["status"])),
                "share_now": format_share(item["current"] / item["dwellings"])
                if item["dwellings"]
                else "—",
                "cap_share": format_share(cap / item["dwellings"])
                if cap is not None and item["dwellings"]
                else "—",
            }
        )
    return {
        **result,
        "levels": levels,
        "address": address_label(row) if row else None,
        "verdict_class": VERDICT_CLASS.get(result["verdict"], "support"),
        "policy": {"name": policy.name, "caps": [rule.describe() for rule in policy.caps]},
    }


# --- a plan for uploaded vacancies and households ---


def check_upload(name: str, data: bytes | None) -> bytes:
    """The bytes of an uploaded CSV, or UploadRejected (missing, empty or too large)."""
    what = _(FILE_WORDS[name])
    if not data:
        raise UploadRejected(
            f"{name}: no file or an empty file",
            _("Choose %(what)s (a CSV file); it is missing or empty.") % {"what": what},
            field=name,
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected(
            f"{name}: larger than {MAX_UPLOAD_BYTES} bytes",
            _("%(what)s is too large: at most %(size)s MB.")
            % {"what": what.capitalize(), "size": format_number(MAX_UPLOAD_BYTES / 2**20)},
            field=name,
        )
    return data


def build_plan(
    stock: Stock, vacancies_csv: bytes, households_csv: bytes, policy: Policy
) -> dict[str, Any]:
    """The optimal plan under ``policy`` for the uploaded vacancies and households."""
    from veerkracht.allocation.candidates import read_households, read_vacancies
    from veerkracht.allocation.optimise import allocate_exact, check_plan
    from veerkracht.allocation.suitability import build_instance

    with tempfile.TemporaryDirectory(prefix="veerkracht-plan-") as folder:
        paths = {}
        for name, data in (("vacancies", vacancies_csv), ("households", households_csv)):
            paths[name] = Path(folder) / f"{name}.csv"
            paths[name].write_bytes(check_upload(name, data))
        vacancies = _read_upload("vacancies", lambda: read_vacancies(paths["vacancies"], stock))
        households = _read_upload("households", lambda: read_households(paths["households"]))
    problem = build_instance(stock, vacancies, households, policy)
    plan = allocate_exact(problem, time_limit_s=60.0)
    report = check_plan(problem, plan.assignments)
    frame = plan.assignments.merge(
        vacancies[["vacancy_id", "dwelling_id"]], on="vacancy_id", how="left"
    ).sort_values(["vacancy_id", "household_id"])
    summary = plan.summary()
    breaches = report["breaches"]
    return {
        "policy": policy.name,
        "size": {k: int(v) for k, v in problem.size.items()},
        "assignments": [
            {
                "household_id": str(r.household_id),
                "vacancy_id": str(r.vacancy_id),
                "dwelling_id": str(r.dwelling_id),
                "score": round(float(r.score), 4),
            }
            for r in frame.itertuples(index=False)
        ],
        "assigned": summary["assigned"],
        "objective": float(summary["objective"]),
        "bound": float(summary["bound"]),
        "gap": float(summary["gap"]),
        "exact": bool(plan.exact),
        "method": summary["method"],
        "structure": summary["structure"],
        "certificate": _plain(summary["certificate"]),
        "uncapped_objective": _number(summary["uncapped_objective"]),
        "price_of_spreading": _number(summary["price_of_spreading"]),
        "binding_caps": int(summary["binding_caps"]),
        "cap_breaches": int(len(breaches)),
        "breaches": _plain(breaches.to_dict("records")),
        "problems": list(report["problems"]),
        "seconds": round(float(summary["seconds"]), 3),
    }


def _read_upload(name: str, read: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """Run ``read``; an InputError becomes UploadRejected with a Dutch message naming the field."""
    try:
        return read()
    except InputError as exc:
        where = []
        if exc.row is not None:
            where.append(_("row %(row)s") % {"row": exc.row})
        if exc.field:
            where.append(_('field "%(field)s"') % {"field": exc.field})
        detail = str(exc).split(": ", 1)[-1] if exc.path else str(exc)
        text = _("%(what)s is not correct") % {"what": _(FILE_WORDS[name]).capitalize()}
        if where:
            text += f" ({', '.join(where)})"
        text += f": {detail}"
        raise UploadRejected(f"{name}: {exc}", text, field=exc.field) from None


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return float(value)


def _plain(value: Any) -> Any:
    """Numpy scalars and containers as plain Python for JSON."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


# --- simulation results ---

SUMMARY_COLUMNS = (
    ("entrance_over_cap", N_("Portieken over the cap"), "share"),
    ("block_over_cap", N_("Blocks over the cap"), "share"),
    ("dissimilarity_entrance", N_("Dissimilarity (portiek)"), "decimal"),
    ("mean_suitability", N_("Mean suitability"), "decimal"),
    ("placed", N_("Households placed"), "number"),
    ("mean_wait_years", N_("Mean waiting time (years)"), "decimal"),
)


def simulations_folder(workspace: Path) -> Path:
    return Path(workspace) / "simulations"


def list_simulations(workspace: Path) -> list[dict[str, Any]]:
    """Every ``<workspace>/simulations/*/`` holding a simulation CSV, with its charts."""
    from veerkracht.allocation.charts import CHARTS

    root = simulations_folder(workspace)
    if not root.is_dir():
        return []
    runs = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and SAFE_NAME.match(p.name)):
        csvs = sorted(p.name for p in folder.glob("*.csv") if SAFE_NAME.match(p.name))
        if not csvs:
            continue
        charts = []
        for metric, title in CHARTS.items():
            files = {
                s: f"{metric}.{s}" for s in ("png", "svg") if (folder / f"{metric}.{s}").is_file()
            }
            if files:
                charts.append(
                    {
                        "metric": metric,
                        "title": title,
                        "png": _file_url(folder.name, files.get("png")),
                        "svg": _file_url(folder.name, files.get("svg")),
                    }
                )
        runs.append(
            {
                "name": folder.name,
                "files": [{"name": n, "url": _file_url(folder.name, n)} for n in csvs],
                "charts": charts,
                "final_year": _final_year(folder / "summary.csv"),
            }
        )
    return runs


def simulation_file(workspace: Path, run: str, name: str) -> tuple[Path, str] | None:
    """The path and media type of a served simulation file, or None when not allowed/absent."""
    if not (SAFE_NAME.match(run) and SAFE_NAME.match(name)):
        return None
    media = SIMULATION_FILES.get(Path(name).suffix.lower())
    root = simulations_folder(workspace).resolve()
    path = (root / run / name).resolve()
    if media is None or path.parent.parent != root or not path.is_file():
        return None
    return path, media


def _file_url(run: str, name: str | None) -> str | None:
    return None if name is None else f"/allocation/simulations/{run}/{name}"


def _final_year(path: Path) -> dict[str, Any] | None:
    """The last year of summary.csv per policy and method, formatted the Dutch way."""
    if not path.is_file():
        return None
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    if frame.empty or "year" not in frame:
        return None
    last = frame[frame["year"] == frame["year"].max()]
    columns = [(c, _(label), kind) for c, label, kind in SUMMARY_COLUMNS if c in last]
    rows = []
    for record in last.to_dict("records"):
        cells = []
        for column, _label, kind in columns:
            value = record.get(column)
            if kind == "share":
                cells.append(format_share(value))
            elif kind == "number":
                cells.append(format_number(value))
            else:
                cells.append(format_number(value, decimals=2))
        rows.append(
            {
                "policy": str(record.get("policy", "")),
                "method": str(record.get("method", "")),
                "cells": cells,
            }
        )
    return {"year": int(last["year"].iloc[0]), "headers": [c[1] for c in columns], "rows": rows}
