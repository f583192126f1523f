"""Allocation benchmarks, each against a baseline measured in the same run.

Usage: python benchmarks/allocation.py [--only nested channels online] [--seed N]

- nested:   10,000 households × 50,000 vacancies, caps per portiek ⊂ pand ⊂ blok ⊂ buurt on all
            vulnerable channels together; each household's best 20 vacancies are its candidate
            pairs (200,000 pairs: memory stays bounded). Solved exactly; time, peak memory,
            certificate; first-come's suitability and cap breaches on the same instance.
- channels: 2,000 × 10,000 with separate caps for three channels (several capped groups),
            solved with HiGHS to a reported gap.
- online:   a stream of 3,000 vacancies for 2,000 waiting households: first-come, cap-rule and
            dual-price (prices from a forecast drawn with another seed) against the hindsight
            optimum.

Instances are generated deterministically from the seed (veerkracht.allocation.synthetic).
"""

from __future__ import annotations

import argparse
import gc
import platform
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

from veerkracht.allocation.online import allocate_online, compare_online
from veerkracht.allocation.optimise import allocate_exact, check_plan
from veerkracht.allocation.synthetic import synthetic_instance


def timed(func: Callable[[], Any]) -> tuple[float, Any, float]:
    """Wall time (s), result and the process's peak resident memory afterwards (MiB).

    Peak RSS (not tracemalloc, which slows pandas-heavy code many times over) includes the
    instance itself and everything before; each benchmark reports it right after its solve.
    """
    gc.collect()
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    return seconds, result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_nested(seed: int) -> dict[str, Any]:
    instance = synthetic_instance(
        households=10_000, vacancies=50_000, seed=seed, pairs_per_household=20
    )
    seconds, plan, peak = timed(lambda: allocate_exact(instance))
    check = check_plan(instance, plan.assignments)
    base_s, first_come, _ = timed(lambda: allocate_online(instance, "first-come"))
    base = check_plan(instance, first_come)
    return {
        "size": instance.size,
        "structure": plan.structure,
        "method": plan.method,
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(peak, 1),
        "objective": round(plan.objective, 3),
        "lp_primal": round(plan.certificate["lp_primal"], 3),
        "lp_dual": round(plan.certificate["lp_dual"], 3),
        "gap": plan.gap,
        "assigned": len(plan.assignments),
        "breaches": len(check["breaches"]),
        "uncapped_objective": round(plan.uncapped_objective or 0.0, 3),
        "price_of_spreading": round(plan.price_of_spreading or 0.0, 3),
        "first_come_objective": round(base["objective"], 3),
        "first_come_assigned": len(first_come),
        "first_come_breaches": len(base["breaches"]),
        "first_come_seconds": round(base_s, 2),
        "optimum_vs_first_come": round(plan.objective / max(base["objective"], 1e-9), 4),
    }


def bench_channels(seed: int, time_limit_s: float = 120.0) -> dict[str, Any]:
    instance = synthetic_instance(
        households=2_000, vacancies=10_000, seed=seed, pairs_per_household=20, capped_channels=3
    )
    seconds, plan, peak = timed(lambda: allocate_exact(instance, time_limit_s=time_limit_s))
    check = check_plan(instance, plan.assignments)
    return {
        "size": instance.size,
        "structure": plan.structure,
        "method": plan.method,
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(peak, 1),
        "objective": round(plan.objective, 3),
        "bound": round(plan.bound, 3),
        "gap": plan.gap,
        "lp_max_fraction": plan.certificate["max_fraction"],
        "breaches": len(check["breaches"]),
        "price_of_spreading": round(plan.price_of_spreading or 0.0, 3),
    }


def bench_online(seed: int) -> dict[str, Any]:
    stream = synthetic_instance(households=2_000, vacancies=3_000, seed=seed)
    forecast = synthetic_instance(
        households=2_000, vacancies=3_000, seed=seed, forecast_seed=seed + 1000
    )
    table = compare_online(stream, forecast=forecast)
    return {
        row.method: {
            "objective": round(row.objective, 3),
            "share_of_hindsight": round(row.share_of_hindsight, 4),
            "assigned": int(row.assigned),
            "breaches": int(row.breaches),
            "seconds": round(row.seconds, 2),
        }
        for row in table.itertuples(index=False)
    }


BENCHES: dict[str, Callable[[int], dict[str, Any]]] = {
    "nested": bench_nested,
    "channels": bench_channels,
    "online": bench_online,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHES), default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"python {platform.python_version()} on {platform.machine()}, seed {args.seed}")
    for name in args.only or list(BENCHES):
        start = time.perf_counter()
        figures = BENCHES[name](args.seed)
        print(f"\n== {name} ({time.perf_counter() - start:.1f} s in all)")
        for key, value in figures.items():
            print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
