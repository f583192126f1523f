"""What every CLI module shares: the console, shared options, error handling, progress."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from veerkracht.domain.levels import Level, parse_level
from veerkracht.errors import UsageError, VeerkrachtError
from veerkracht.settings import Settings

console = Console()
STEP_NAMES = {
    "generate": "Demostad maken",
    "store": "opslaan",
    "build": "niveaus afleiden",
    "levels": "portieken, panden, blokken, straten",
    "indicators": "cijfers berekenen",
    "assessment": "signalen en goede voorbeelden",
    "done": "klaar",
}


def workspace_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Shared --workspace option (defaults to $VEERKRACHT_WORKSPACE or ./veerkracht-data)."""
    return click.option(
        "--workspace",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Folder with the store and generated files (default: ./veerkracht-data).",
    )(func)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Print a VeerkrachtError as one clear line and exit with its code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except VeerkrachtError as error:
            # soft_wrap: a long path or message stays one line (copyable, greppable)
            console.print(f"[bold red]Fout:[/] {error}", highlight=False, soft_wrap=True)
            sys.exit(error.exit_code)

    return wrapper


def make_settings(workspace: Path | None) -> Settings:
    settings = Settings()
    if workspace is not None:
        settings = settings.model_copy(update={"workspace": workspace})
    return settings


@contextmanager
def progress_bar(title: str) -> Iterator[Callable[[str, float], None]]:
    """A rich progress bar fed by (step, share done) callbacks."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task(title, total=1.0)

        def update(step: str, share: float) -> None:
            bar.update(task, completed=share, description=f"{title}: {STEP_NAMES.get(step, step)}")

        yield update


def level_from(text: str) -> Level:
    """The level a user typed, or a usage error (exit 2) naming the allowed levels."""
    try:
        return parse_level(text)
    except ValueError as error:
        raise UsageError(str(error)) from None
