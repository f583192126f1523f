"""The physical layout of Demostad: sites on a street grid, buildings, entrances, dwellings.

Each site (the land between four streets) gets one of four housing types, as Dutch
post-war districts have them: a closed block of portiekflats around a courtyard, open rows of
portiekflats, a galerijflat, or rows of single-family houses. Address points are placed the way
BAG places them: every dwelling its own point at its own spot (stacked for the floors above each
other), or, in some buurten, all addresses of a portiek on one point at the front door.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SITE_W = 102.0  # 6 portiek entrances of 17 m
SITE_H = 88.0  # 4 entrances + two corner depths
STREET_W = 20.0
DEPTH = 10.0  # depth of a portiekflat
ENTRANCE_W = 17.0  # two dwellings of 7 m around a stairwell of 3 m
STACK_OFFSET = 5.0  # dwelling centre from the stairwell centre
HOUSE_W = 5.4
HOUSE_D = 9.0
GALLERY_UNIT_W = 7.5

SITE_TYPES = ("closed", "rows", "gallery", "houses")
#: Expected dwellings per site type at the default floor counts (for sizing the grid).
EXPECTED_DWELLINGS = {"closed": 20 * 8, "rows": 12 * 8, "gallery": 13 * 7, "houses": 36}


@dataclass
class Entrance:
    """One true entrance (ground truth): its dwellings' addresses and points."""

    key: str
    building: int
    street: int
    numbers: list[int] = field(default_factory=list)
    letters: list[str | None] = field(default_factory=list)
    suffixes: list[str | None] = field(default_factory=list)
    xs: list[float] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)
    floors: list[int] = field(default_factory=list)


@dataclass
class Site:
    """The land between four streets, with its buildings and entrances."""

    index: int
    row: int
    col: int
    kind: str
    x0: float
    y0: float
    buildings: list[tuple[float, float, float, float]] = field(default_factory=list)
    building_years: list[int] = field(default_factory=list)
    entrances: list[Entrance] = field(default_factory=list)


class Numbering:
    """House numbers per street side: even on one side, odd on the other, rising along it."""

    def __init__(self) -> None:
        self._next: dict[tuple[int, int], int] = {}

    def take(self, street: int, side: int, count: int = 1) -> list[int]:
        start = self._next.get((street, side), 1 if side else 2)
        numbers = [start + 2 * i for i in range(count)]
        self._next[(street, side)] = start + 2 * count
        return numbers


@dataclass
class Streets:
    """Street indices: horizontal street r lies below site row r; vertical c left of column c."""

    rows: int
    cols: int

    def horizontal(self, r: int) -> int:
        return r

    def vertical(self, c: int) -> int:
        return self.rows + 1 + c


def site_origin(row: int, col: int, origin: tuple[float, float]) -> tuple[float, float]:
    """Lower-left corner of a site in RD New metres."""
    x = origin[0] + STREET_W + col * (SITE_W + STREET_W)
    y = origin[1] + STREET_W + row * (SITE_H + STREET_W)
    return x, y


def lay_out_site(
    site: Site,
    *,
    rng: np.random.Generator,
    streets: Streets,
    numbering: Numbering,
    style: str,
    shared_points: bool,
) -> None:
    """Fill a site with buildings and entrances according to its kind."""
    builders = {
        "closed": _closed_block,
        "rows": _portiek_rows,
        "gallery": _gallery,
        "houses": _houses,
    }
    builders[site.kind](site, rng, streets, numbering, style, shared_points)


def _add_building(site: Site, box: tuple[float, float, float, float], year: int) -> int:
    site.buildings.append(box)
    site.building_years.append(year)
    return len(site.buildings) - 1


def _portiek_segment(
    site: Site,
    *,
    rng: np.random.Generator,
    building: int,
    street: int,
    side: int,
    numbering: Numbering,
    centres: list[tuple[float, float]],
    axis: tuple[float, float],
    inward: tuple[float, float],
    floors: int,
    style: str,
    shared_points: bool,
) -> None:
    """Entrances of a portiekflat: two dwellings per floor around each stairwell."""
    for cx, cy in centres:
        entrance = Entrance(
            key=f"{site.index}-{len(site.entrances)}", building=building, street=street
        )
        per_entrance = 2 * floors
        if style == "own":
            numbers = numbering.take(street, side, per_entrance)
            letters: list[str | None] = [None] * per_entrance
            suffixes: list[str | None] = [None] * per_entrance
        else:
            number = numbering.take(street, side, 1)[0]
            numbers = [number] * per_entrance
            if style == "letter":
                letters = [chr(ord("A") + i) for i in range(per_entrance)]
                suffixes = [None] * per_entrance
            else:
                letters = [None] * per_entrance
                suffixes = [str(i + 1) for i in range(per_entrance)]
        door = (cx - inward[0] * (DEPTH / 2 - 0.8), cy - inward[1] * (DEPTH / 2 - 0.8))
        for i in range(per_entrance):
            floor, right = divmod(i, 2)
            sign = 1.0 if right else -1.0
            if shared_points:
                px, py = door
            else:
                jitter = rng.uniform(-0.4, 0.4, size=2)
                px = cx + sign * STACK_OFFSET * axis[0] + jitter[0]
                py = cy + sign * STACK_OFFSET * axis[1] + jitter[1]
            entrance.numbers.append(numbers[i])
            entrance.letters.append(letters[i])
            entrance.suffixes.append(suffixes[i])
            entrance.xs.append(round(px, 2))
            entrance.ys.append(round(py, 2))
            entrance.floors.append(floor)
        site.entrances.append(entrance)


def _closed_block(
    site: Site,
    rng: np.random.Generator,
    streets: Streets,
    numbering: Numbering,
    style: str,
    shared_points: bool,
) -> None:
    """Portiekflats on four sides of a courtyard; neighbouring panden share walls."""
    x0, y0 = site.x0, site.y0
    year = int(rng.choice([1928, 1932, 1952, 1956, 1961]))
    floors = int(rng.choice([3, 4, 4]))
    top, bottom = streets.horizontal(site.row + 1), streets.horizontal(site.row)
    left, right = streets.vertical(site.col), streets.vertical(site.col + 1)
    sides = [
        # (street, side, start, axis, inward, n_entrances, box origin)
        (bottom, 0, (x0, y0 + DEPTH / 2), (1.0, 0.0), (0.0, 1.0), 6),
        (top, 1, (x0, y0 + SITE_H - DEPTH / 2), (1.0, 0.0), (0.0, -1.0), 6),
        (left, 0, (x0 + DEPTH / 2, y0 + DEPTH), (0.0, 1.0), (1.0, 0.0), 4),
        (right, 1, (x0 + SITE_W - DEPTH / 2, y0 + DEPTH), (0.0, 1.0), (-1.0, 0.0), 4),
    ]
    for street, side, start, axis, inward, count in sides:
        position = 0
        while position < count:
            size = min(int(rng.integers(1, 4)), count - position)
            a = position * ENTRANCE_W
            b = (position + size) * ENTRANCE_W
            if axis == (1.0, 0.0):
                box = (start[0] + a, start[1] - DEPTH / 2, start[0] + b, start[1] + DEPTH / 2)
            else:
                box = (start[0] - DEPTH / 2, start[1] + a, start[0] + DEPTH / 2, start[1] + b)
            building = _add_building(site, box, year)
            centres = [
                (
                    start[0] + axis[0] * (a + (k + 0.5) * ENTRANCE_W),
                    start[1] + axis[1] * (a + (k + 0.5) * ENTRANCE_W),
                )
                for k in range(size)
            ]
            _portiek_segment(
                site,
                rng=rng,
                building=building,
                street=street,
                side=side,
                numbering=numbering,
                centres=centres,
                axis=axis,
                inward=inward,
                floors=floors,
                style=style,
                shared_points=shared_points,
            )
            position += size


def _portiek_rows(
    site: Site,
    rng: np.random.Generator,
    streets: Streets,
    numbering: Numbering,
    style: str,
    shared_points: bool,
) -> None:
    """Two free-standing rows of portiekflats with green space between them."""
    x0, y0 = site.x0, site.y0
    year = int(rng.choice([1955, 1958, 1963, 1966]))
    floors = int(rng.choice([3, 4]))
    rows = [
        (streets.horizontal(site.row), 0, y0 + 2 + DEPTH / 2, (0.0, 1.0)),
        (streets.horizontal(site.row + 1), 1, y0 + SITE_H - 2 - DEPTH / 2, (0.0, -1.0)),
    ]
    for street, side, cy, inward in rows:
        box = (x0, cy - DEPTH / 2, x0 + SITE_W, cy + DEPTH / 2)
        building = _add_building(site, box, year)
        centres = [(x0 + (k + 0.5) * ENTRANCE_W, cy) for k in range(6)]
        _portiek_segment(
            site,
            rng=rng,
            building=building,
            street=street,
            side=side,
            numbering=numbering,
            centres=centres,
            axis=(1.0, 0.0),
            inward=inward,
            floors=floors,
            style=style,
            shared_points=shared_points,
        )


def _gallery(
    site: Site,
    rng: np.random.Generator,
    streets: Streets,
    numbering: Numbering,
    style: str,
    shared_points: bool,
) -> None:
    """A galerijflat: one entrance (lift and stairs) for all dwellings along the galleries."""
    x0, y0 = site.x0, site.y0
    floors = int(rng.choice([5, 7, 9]))
    year = int(rng.choice([1968, 1971, 1974]))
    cy = y0 + SITE_H / 2
    width = 13 * GALLERY_UNIT_W
    box = (x0 + 2, cy - 6, x0 + 2 + width, cy + 6)
    building = _add_building(site, box, year)
    street = streets.horizontal(site.row)
    entrance = Entrance(key=f"{site.index}-{len(site.entrances)}", building=building, street=street)
    numbers = numbering.take(street, 0, 13 * floors)
    i = 0
    for floor in range(floors):
        for unit in range(13):
            jitter = rng.uniform(-0.4, 0.4, size=2)
            entrance.numbers.append(numbers[i])
            entrance.letters.append(None)
            entrance.suffixes.append(None)
            entrance.xs.append(round(x0 + 2 + (unit + 0.5) * GALLERY_UNIT_W + jitter[0], 2))
            entrance.ys.append(round(cy + jitter[1], 2))
            entrance.floors.append(floor)
            i += 1
    site.entrances.append(entrance)


def _houses(
    site: Site,
    rng: np.random.Generator,
    streets: Streets,
    numbering: Numbering,
    style: str,
    shared_points: bool,
) -> None:
    """Rows of single-family houses, each its own pand and its own front door."""
    x0, y0 = site.x0, site.y0
    year = int(rng.choice([1934, 1965, 1978, 1985, 1996]))
    count = int(SITE_W // HOUSE_W)
    rows = [
        (streets.horizontal(site.row), 0, y0 + 1),
        (streets.horizontal(site.row + 1), 1, y0 + SITE_H - 1 - HOUSE_D),
    ]
    for street, side, by in rows:
        numbers = numbering.take(street, side, count)
        for k in range(count):
            box = (x0 + k * HOUSE_W, by, x0 + (k + 1) * HOUSE_W, by + HOUSE_D)
            building = _add_building(site, box, year)
            entrance = Entrance(
                key=f"{site.index}-{len(site.entrances)}", building=building, street=street
            )
            entrance.numbers.append(numbers[k])
            entrance.letters.append(None)
            entrance.suffixes.append(None)
            entrance.xs.append(round(x0 + (k + 0.5) * HOUSE_W, 2))
            entrance.ys.append(round(by + HOUSE_D / 2, 2))
            entrance.floors.append(0)
            site.entrances.append(entrance)
