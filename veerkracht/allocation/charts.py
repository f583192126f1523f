"""Charts of simulation results (matplotlib, PNG and SVG): one line per policy and method, the
mean over the runs with a band from the lowest to the highest run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

CHARTS: dict[str, str] = {
    "entrance_over_cap": "Aandeel portieken boven de norm",
    "block_over_cap": "Aandeel blokken boven de norm",
    "dissimilarity_entrance": "Dissimilariteit (portiek)",
    "dissimilarity_block": "Dissimilariteit (blok)",
    "dissimilarity_buurt": "Dissimilariteit (buurt)",
    "isolation_entrance": "Isolatie (portiek)",
    "mean_suitability": "Gemiddelde geschiktheid",
    "placed": "Geplaatste huishoudens",
    "mean_wait_years": "Gemiddelde wachttijd (jaar)",
}


def write_charts(frame: pd.DataFrame, out: Path) -> list[Path]:
    """One PNG and one SVG per metric in ``out``; returns the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths: list[Path] = []
    for metric, title in CHARTS.items():
        if metric not in frame or frame[metric].isna().all():
            continue
        fig, ax = plt.subplots(figsize=(7, 4.2))
        for (policy, method), group in frame.groupby(["policy", "method"]):
            stats = group.groupby("year")[metric].agg(["mean", "min", "max"])
            label = f"{method}" if frame["policy"].nunique() == 1 else f"{policy}: {method}"
            line = ax.plot(stats.index, stats["mean"], marker="o", ms=3, label=label)[0]
            ax.fill_between(
                stats.index, stats["min"], stats["max"], alpha=0.15, color=line.get_color()
            )
        ax.set_title(title)
        ax.set_xlabel("jaar")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        for suffix in ("png", "svg"):
            path = Path(out) / f"{metric}.{suffix}"
            fig.savefig(path, dpi=110)
            paths.append(path)
        plt.close(fig)
    return paths
