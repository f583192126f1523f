"""Import and build from real formats: wall time and peak memory of every step.

Demostad is written in the real formats (``veerkracht export-demostad``: PDOK BAG GeoPackage,
Kadaster LV-BAG 2.0 XML, CBS buurtkaart, the four corporation CSVs) into a temporary folder; then
each step runs as its own ``veerkracht`` process, exactly as a user types it, and the peak
resident memory of that process is read from ``os.wait4`` (``ru_maxrss``):

    workspace 1: import bag (GeoPackage), cbs-buurtkaart, stock, lettings, moveouts, nuisance, build
    workspace 2: import bag (LV-BAG XML)

Usage: python benchmarks/imports.py [--dwellings N] [--seed N] [--keep DIR] [--json PATH]
                                   [--no-build]

Prints one line per step; docs/performance.md keeps the figures with this command.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from veerkracht.demo.writers import BAG_GPKG, BAG_LVBAG, BUURTKAART, CSV_FILES

CORPORATION = ("stock", "lettings", "moveouts", "nuisance")


def run_step(name: str, args: list[str], *, log: Path) -> dict[str, Any]:
    """Run ``veerkracht ARGS`` in a child process; its wall time and peak RSS (MiB)."""
    command = [sys.executable, "-m", "veerkracht.cli", *args]
    env = {**os.environ, "COLUMNS": "120"}
    env.pop("VEERKRACHT_DATABASE_URL", None)  # the workspace's own SQLite file
    start = time.perf_counter()
    with open(log, "ab") as out:
        out.write(f"\n$ veerkracht {' '.join(args)}\n".encode())
        out.flush()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"step {name} failed with exit code {child.returncode}; see {log}")
    return {"step": name, "seconds": round(seconds, 2), "peak_mib": round(usage.ru_maxrss / 1024)}


def run(dwellings: int, seed: int, folder: Path, *, build: bool = True) -> list[dict[str, Any]]:
    files, log = folder / "files", folder / "benchmark.log"
    steps = [
        run_step("start-up only (veerkracht --version)", ["--version"], log=log),
        run_step(
            "export-demostad (both BAG forms + CSVs)",
            ["export-demostad", "--out", str(files), "--dwellings", str(dwellings)]
            + ["--seed", str(seed), "--format", "both"],
            log=log,
        ),
    ]
    gpkg, lvbag = folder / "ws-gpkg", folder / "ws-lvbag"
    plan = [
        ("import bag (PDOK GeoPackage)", gpkg, ["import", "bag", str(files / BAG_GPKG)]),
        ("import bag (LV-BAG 2.0 XML)", lvbag, ["import", "bag", str(files / BAG_LVBAG)]),
        ("import cbs-buurtkaart", gpkg, ["import", "cbs-buurtkaart", str(files / BUURTKAART)]),
        *[
            (f"import {kind}", gpkg, ["import", kind, str(files / CSV_FILES[kind])])
            for kind in CORPORATION
        ],
        *([("build", gpkg, ["build"])] if build else []),
    ]
    for name, workspace, args in plan:
        steps.append(run_step(name, [*args, "--workspace", str(workspace)], log=log))
        print(_line(steps[-1]), flush=True)
    sizes = {p.name: p.stat().st_size for p in sorted(files.iterdir())}
    steps.append({"step": "file sizes (bytes)", "sizes": sizes})
    return steps


def _line(step: dict[str, Any]) -> str:
    return f"{step['step']:<42} {step['seconds']:>9.1f} s {step['peak_mib']:>8,} MiB peak RSS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dwellings", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="Work in (and keep) this folder.")
    parser.add_argument("--no-build", action="store_true", help="Imports only (less memory).")
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args(argv)
    print(
        f"veerkracht import + build from real formats, {args.dwellings:,} dwellings "
        f"(Python {platform.python_version()}, {os.cpu_count()} cores)",
        flush=True,
    )
    if args.keep is not None:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        steps = run(args.dwellings, args.seed, args.keep, build=not args.no_build)
    else:
        with tempfile.TemporaryDirectory(prefix="veerkracht-bench-") as tmp:
            steps = run(args.dwellings, args.seed, Path(tmp), build=not args.no_build)
    print(_line(steps[0]))
    print(_line(steps[1]))
    for name, size in steps[-1]["sizes"].items():
        print(f"  {name:<40} {size / 2**20:>9,.1f} MB")
    if args.json is not None:
        args.json.write_text(json.dumps({"dwellings": args.dwellings, "steps": steps}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
