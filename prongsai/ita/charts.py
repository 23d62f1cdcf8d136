"""Server-rendered SVG bar charts (no script, no inline style: the site's CSP allows neither).

Bars are horizontal, each under its own label, so that long Thai names stay readable at 360 px.
The geometry is computed here; templates only place the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from prongsai.ita.catalog import HUNDRED

WIDTH = 400
SCALE_WIDTH = 330  # 0–100 per cent spans this many units; the rest holds the value text
ROW_HEIGHT = 50
TOP = 26  # room for the pass-line label
BAR_HEIGHT = 16
LABEL_GAP = 18  # from a row's top to its label's baseline


def _x(value: Decimal) -> str:
    return f"{value * SCALE_WIDTH / HUNDRED:.1f}"


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    weak: bool
    label_y: int
    bar_y: int
    width: str
    value_x: str
    value_y: int


@dataclass(frozen=True)
class Tick:
    x: str
    text: str


@dataclass(frozen=True)
class BarChart:
    title: str
    height: int
    width: int
    scale_width: int
    bars: list[Bar]
    ticks: list[Tick]
    axis_y: int
    pass_x: str | None
    pass_label: str
    top: int

    @property
    def view_box(self) -> str:
        # Room on the left for the "0" tick, centred on the axis origin.
        return f"-12 0 {self.width + 16} {self.height}"

    @property
    def tick_y(self) -> int:
        return self.axis_y + 16


def bar_chart(
    title: str, rows: list[tuple[str, Decimal, bool]], pass_mark: Decimal | None = None, pass_label: str = ""
) -> BarChart:
    """``rows`` are (label, per cent 0–100, weak?). A dashed line marks ``pass_mark`` when given."""
    bars: list[Bar] = []
    for index, (label, value, weak) in enumerate(rows):
        top = TOP + index * ROW_HEIGHT
        bar_y = top + LABEL_GAP + 9
        clamped = max(Decimal(0), min(HUNDRED, value))
        bars.append(
            Bar(
                label=label,
                value_text=f"{value:.2f}",
                weak=weak,
                label_y=top + LABEL_GAP,
                bar_y=bar_y,
                width=_x(clamped),
                value_x=f"{clamped * SCALE_WIDTH / HUNDRED + 5:.1f}",
                value_y=bar_y + BAR_HEIGHT - 3,
            )
        )
    axis_y = TOP + len(rows) * ROW_HEIGHT + 4
    ticks = [Tick(_x(Decimal(v)), str(v)) for v in (0, 25, 50, 75, 100)]
    return BarChart(
        title=title,
        height=axis_y + 22,
        width=WIDTH,
        scale_width=SCALE_WIDTH,
        bars=bars,
        ticks=ticks,
        axis_y=axis_y,
        pass_x=None if pass_mark is None else _x(pass_mark),
        pass_label=pass_label,
        top=TOP - 8,
    )
