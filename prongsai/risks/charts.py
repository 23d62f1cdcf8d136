"""The 5 × 5 heat map, drawn server-side as SVG (``risks/_heat_map.html``): counts per cell, as text too."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from prongsai.risks.method import SCALE, Level, Method

CELL = 40  # SVG units; the picture scales to its box, so five cells stay readable at 360 px
LEFT = 30  # room for the likelihood axis numbers
BOTTOM = 30  # and the impact axis numbers below


@dataclass(frozen=True)
class Cell:
    likelihood: int
    impact: int
    score: int
    level: Level
    count: int
    x: int
    y: int


@dataclass(frozen=True)
class LevelCount:
    level: Level
    count: int


@dataclass(frozen=True)
class HeatMap:
    title: str
    cells: list[Cell]
    levels: list[LevelCount]  # highest first, for the text beside the picture
    total: int
    size: int = CELL * 5
    left: int = LEFT
    bottom: int = BOTTOM
    cell: int = CELL

    @property
    def width(self) -> int:
        return self.left + self.size

    @property
    def height(self) -> int:
        return self.size + self.bottom

    @property
    def axis(self) -> list[tuple[int, int]]:
        """(value, position of its middle) for the numbers along both axes."""
        return [(v, (v - 1) * self.cell + self.cell // 2) for v in SCALE]


def heat_map(title: str, method: Method, pairs: Iterable[tuple[int, int]]) -> HeatMap:
    """``pairs`` are (likelihood, impact) per risk; likelihood runs up, impact to the right."""
    counts = Counter(pairs)
    cells = [
        Cell(
            likelihood=likelihood,
            impact=impact,
            score=method.score(likelihood, impact),
            level=method.cell_level(likelihood, impact),
            count=counts[(likelihood, impact)],
            x=LEFT + (impact - 1) * CELL,
            y=(5 - likelihood) * CELL,
        )
        for likelihood in reversed(SCALE)
        for impact in SCALE
    ]
    by_level = Counter(method.cell_level(lk, im).key for (lk, im), n in counts.items() for _ in range(n))
    levels = [LevelCount(level, by_level[level.key]) for level in reversed(method.levels)]
    return HeatMap(title=title, cells=cells, levels=levels, total=sum(counts.values()))


BAR_WIDTH = 300  # SVG units of one area's bar; it scales to the width of its box


@dataclass(frozen=True)
class Segment:
    level: Level
    count: int
    x: int
    width: int


@dataclass(frozen=True)
class AreaRow:
    title: str
    counts: list[LevelCount]  # highest level first, zeros too (the table)
    segments: list[Segment]  # the bar's parts, for counts above zero
    total: int


@dataclass(frozen=True)
class AreaChart:
    levels: list[Level]  # highest first
    rows: list[AreaRow]
    totals: list[LevelCount]
    total: int
    width: int = BAR_WIDTH


def area_chart(method: Method, risks: Iterable[tuple[str, int, int]]) -> AreaChart:
    """Risks by area and level: ``risks`` are (area key, likelihood, impact). Every area of the method
    has a row (an empty one says "none"); one bar's length is its count against the largest area's."""
    levels = list(reversed(method.levels))
    tally = Counter((area, method.cell_level(lk, im).key) for area, lk, im in risks)
    by_area = {a.key: sum(tally[(a.key, lv.key)] for lv in levels) for a in method.areas}
    widest = max(by_area.values(), default=0) or 1
    rows = []
    for area in method.areas:
        counts = [LevelCount(lv, tally[(area.key, lv.key)]) for lv in levels]
        segments, x = [], 0
        for row in counts:
            if row.count:
                width = round(BAR_WIDTH * row.count / widest)
                segments.append(Segment(row.level, row.count, x, width))
                x += width
        rows.append(AreaRow(area.title, counts, segments, by_area[area.key]))
    totals = [LevelCount(lv, sum(tally[(a.key, lv.key)] for a in method.areas)) for lv in levels]
    return AreaChart(levels, rows, totals, sum(by_area.values()))
