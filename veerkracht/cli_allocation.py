"""Allocation commands: `allocate` (optimal plan), `simulate` (policies over years), `advice`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from veerkracht.cli_common import (
    console,
    handle_errors,
    make_settings,
    progress_bar,
    workspace_option,
)
from veerkracht.errors import UsageError

_DIR = click.Path(file_okay=False, path_type=Path)
_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command()
@click.option("--instance", type=_DIR, help="Folder with the five CSVs of an instance.")
@click.option("--vacancies", type=_FILE, help="vacancies.csv (dwelling_id, …) on the stock.")
@click.option("--households", type=_FILE, help="households.csv (household_id, channel, …).")
@click.option("--policy", type=_FILE, help="Policy TOML (default: the standard policy).")
@click.option("--out", type=_FILE, required=True, help="Where to write the plan CSV.")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1),
    default=600.0,
    show_default=True,
    help="Seconds for branch and bound when the LP is fractional.",
)
@click.option(
    "--gap",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Relative gap at which branch and bound may stop.",
)
@workspace_option
@handle_errors
def allocate(
    instance: Path | None,
    vacancies: Path | None,
    households: Path | None,
    policy: Path | None,
    out: Path,
    time_limit: float,
    gap: float,
    workspace: Path | None,
) -> None:
    """Find the plan with the highest total suitability that breaks no cap.

    Examples:
      veerkracht allocate --instance docs/examples/allocation/instance --out plan.csv
      veerkracht allocate --vacancies V.csv --households H.csv --policy P.toml --out plan.csv
    """
    from veerkracht.allocation.optimise import allocate_exact, check_plan

    with progress_bar("Toewijzen") as update:
        update("lezen", 0.05)
        problem, extra = _read_problem(instance, vacancies, households, policy, workspace)
        update("optimaliseren (HiGHS)", 0.3)
        plan = allocate_exact(problem, time_limit_s=time_limit, mip_rel_gap=gap)
        update("controleren", 0.85)
        report = check_plan(problem, plan.assignments)
        out.parent.mkdir(parents=True, exist_ok=True)
        columns = ["household_id", "vacancy_id"]
        frame = plan.assignments
        if extra is not None:
            frame = frame.merge(extra, on="vacancy_id", how="left")
            columns += ["dwelling_id", "score"]
        frame[columns].to_csv(out, index=False)
        update("klaar", 1.0)
    _print_plan(plan.summary(), report, problem.size, out)


@click.command()
@click.option(
    "--policy",
    "policies",
    type=_FILE,
    multiple=True,
    help="Policy TOML (repeat to compare; default: the standard policy).",
)
@click.option("--years", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--runs", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--out", type=_DIR, required=True, help="Folder for the CSV and charts.")
@click.option(
    "--jobs", type=int, default=-1, show_default=True, help="Parallel workers (-1: all cores)."
)
@click.option(
    "--backend",
    default="loky",
    show_default=True,
    help="joblib backend: loky (local cores) or dask (a running dask.distributed Client).",
)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--methods",
    default="first-come,cap-rule,dual-price",
    show_default=True,
    help="Comma-separated online policies to compare.",
)
@workspace_option
@handle_errors
def simulate(
    policies: tuple[Path, ...],
    years: int,
    runs: int,
    out: Path,
    jobs: int,
    backend: str,
    seed: int,
    methods: str,
    workspace: Path | None,
) -> None:
    """Simulate years of lettings and move-outs on the workspace's stock under each method.

    Example: veerkracht simulate --policy policy.toml --years 10 --runs 20 --out sim/
    """
    from veerkracht.allocation.online import METHODS
    from veerkracht.allocation.policy import default_policy, read_policy
    from veerkracht.allocation.simulate import simulate_policies, write_results

    chosen = [m.strip() for m in methods.split(",") if m.strip()]
    for method in chosen:
        if method not in METHODS:
            raise UsageError(f'method "{method}" is not one of {", ".join(METHODS)}')
    read = [read_policy(p) for p in policies] or [default_policy()]
    stock = _load_stock(workspace, read[0].support.radius_m)
    total = len(read) * len(chosen) * runs
    with progress_bar(f"Simuleren ({total} runs × {years} jaar)") as update:
        results = simulate_policies(
            stock,
            read,
            methods=chosen,
            years=years,
            runs=runs,
            seed=seed,
            n_jobs=jobs,
            backend=backend,
            progress=lambda done: update(f"{done}/{total} runs", done / total),
        )
        update("grafieken", 1.0)
        paths = write_results(results, out)
    _print_simulation(results, paths)


@click.command()
@click.argument("dwelling_id")
@click.option("--policy", type=_FILE, help="Policy TOML (default: the standard policy).")
@workspace_option
@handle_errors
def advice(dwelling_id: str, policy: Path | None, workspace: Path | None) -> None:
    """Advice for letting one vacancy through a vulnerable channel: load of its portiek, pand,
    blok and buurt now and after this letting, against the caps.

    Example: veerkracht advice 9999010000000001 --policy policy.toml
    """
    from veerkracht.allocation.advice import advise
    from veerkracht.allocation.policy import default_policy, read_policy

    chosen = read_policy(policy) if policy else default_policy()
    stock = _load_stock(workspace, chosen.support.radius_m)
    result = advise(stock, dwelling_id, chosen)
    colour = {"past": "green", "past met steun": "yellow", "beter elders": "red"}[result.verdict]
    console.print(f"[bold]Woning {dwelling_id}[/] — advies: [bold {colour}]{result.verdict}[/]")
    table = Table()
    for column in ("niveau", "sleutel", "woningen", "nu kwetsbaar", "na verhuring", "norm"):
        table.add_column(column, justify="right" if column != "sleutel" else "left")
    for row in result.levels:
        table.add_row(
            row["level_nl"],
            row["key"],
            str(row["dwellings"]),
            str(row["current"]),
            str(row["projected"]),
            row["cap_text"],
        )
    console.print(table)
    for reason in result.reasons:
        console.print(f"  • {reason}")


def _read_problem(
    instance: Path | None,
    vacancies: Path | None,
    households: Path | None,
    policy: Path | None,
    workspace: Path | None,
) -> tuple[Any, Any]:
    from veerkracht.allocation.instance import read_instance

    if instance is not None:
        if vacancies or households or policy:
            raise UsageError("give either --instance or --vacancies/--households/--policy")
        return read_instance(instance), None
    if vacancies is None or households is None:
        raise UsageError("give --instance DIR, or --vacancies and --households (and --policy)")
    from veerkracht.allocation.candidates import read_households, read_vacancies
    from veerkracht.allocation.policy import default_policy, read_policy
    from veerkracht.allocation.suitability import build_instance

    chosen = read_policy(policy) if policy else default_policy()
    stock = _load_stock(workspace, chosen.support.radius_m)
    vac = read_vacancies(vacancies, stock)
    problem = build_instance(stock, vac, read_households(households), chosen)
    extra = vac[["vacancy_id", "dwelling_id"]]
    return problem, extra


def _load_stock(workspace: Path | None, radius_m: float) -> Any:
    from veerkracht import pipeline
    from veerkracht.allocation.stock import load_stock

    store = pipeline.store_for(make_settings(workspace))
    try:
        return load_stock(store, support_radius_m=radius_m)
    finally:
        store.dispose()


def _print_plan(
    summary: dict[str, Any], report: dict[str, Any], size: dict[str, int], out: Path
) -> None:
    cert = summary["certificate"]
    table = Table(title="Toewijzing", show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    rows = [
        (
            "instance",
            f"{size['households']:,} huishoudens × {size['vacancies']:,} woningen, "
            f"{size['pairs']:,} paren, {size['caps']:,} normregels",
        ),
        ("structuur", summary["structure"]),
        ("toegewezen", f"{summary['assigned']:,}"),
        ("totale geschiktheid", f"{summary['objective']:,.4f}"),
        ("bovengrens (bewezen)", f"{summary['bound']:,.4f}"),
        ("gap", f"{summary['gap']:.4%}"),
        ("methode", summary["method"]),
        (
            "certificaat",
            f"LP primal {cert['lp_primal']:,.4f} = LP duaal {cert['lp_dual']:,.4f}"
            + (
                " (LP integraal)"
                if cert["lp_integral"]
                else f" (LP fractioneel, max {cert['max_fraction']:.2f}; branch-and-bound)"
            ),
        ),
        ("zonder normen", f"{summary['uncapped_objective']:,.4f}"),
        ("prijs van spreiding", f"{summary['price_of_spreading']:,.4f}" + _ratio(summary)),
        ("normen die knellen", f"{summary['binding_caps']:,}"),
        ("al boven de norm", f"{summary['units_over_cap_before']:,} eenheden (niets bijgeplaatst)"),
        ("normoverschrijdingen", f"{len(report['breaches'])} (onafhankelijk gecontroleerd)"),
        ("tijd", f"{summary['seconds']:.2f} s"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    for problem in report["problems"]:
        console.print(f"[red]probleem:[/] {problem}")
    console.print(f"Plan geschreven naar {out}")


def _ratio(summary: dict[str, Any]) -> str:
    if not summary["objective"]:
        return ""
    return f" (zonder ÷ met normen = {summary['uncapped_objective'] / summary['objective']:.4f})"


def _print_simulation(results: Any, paths: list[Path]) -> None:
    from veerkracht.allocation.simulate import final_year_table

    frame = final_year_table(results)
    if frame["policy"].nunique() == 1:
        frame = frame.drop(columns="policy")
    headers = {
        "policy": "beleid",
        "method": "methode",
        "entrance_over_cap": "portiek>norm",
        "block_over_cap": "blok>norm",
        "dissimilarity_entrance": "D portiek",
        "isolation_entrance": "xPx portiek",
        "mean_suitability": "geschikt",
        "placed": "geplaatst",
        "mean_wait_years": "wacht (j)",
    }
    table = Table(title="Laatste jaar, gemiddeld over de runs")
    for column in frame.columns:
        table.add_column(
            headers.get(str(column), str(column)),
            justify="left" if column in ("policy", "method") else "right",
        )
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row])
    console.print(table)
    console.print(
        f"wrote {len(paths)} files to {paths[0].parent}: simulation.csv, summary.csv, "
        "charts (PNG and SVG), e.g. entrance_over_cap.png"
    )


COMMANDS: list[click.Command] = [allocate, simulate, advice]
