"""Geometry of the dashboard's bar charts, drawn as inline SVG by reports/bar_chart.html.

Readable without colour: the series differ by fill (solid / outline), every bar carries its
value as text, and a reference line (break-even, capacity) is dashed and labelled. The same
numbers are always in the table next to the chart.
"""

from dataclasses import dataclass

LABEL_WIDTH = 96
BAR_AREA = 420
VALUE_WIDTH = 64
WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
TOP = 36  # room for the legend and the reference line's label
BAR_HEIGHT = 14
GROUP_GAP = 8


@dataclass(frozen=True)
class Bar:
    series: int
    x: float
    y: float
    width: float
    value_label: str
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Group:
    label: str
    text_y: float
    bars: list[Bar]


@dataclass(frozen=True)
class Legend:
    series: int
    name: str
    x: float
    text_x: float


@dataclass(frozen=True)
class Reference:
    label: str
    x: float
    text_x: float
    bottom: float


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    label_width: int
    groups: list[Group]
    legend: list[Legend]
    reference: Reference | None


def _number(value: float) -> str:
    return f"{value:.1f}" if value % 1 else f"{value:.0f}"


def bar_chart(
    *,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float]]],
    reference: tuple[str, float] | None = None,
) -> BarChart:
    """Horizontal bars, one group per label and one bar per series in it."""
    largest = max(
        [value for _name, values in series for value in values]
        + ([reference[1]] if reference else [])
        + [1]
    )
    scale = BAR_AREA / largest
    row = BAR_HEIGHT * len(series) + GROUP_GAP
    groups = []
    for index, label in enumerate(labels):
        top = TOP + index * row
        bars = [
            Bar(
                series=number,
                x=LABEL_WIDTH,
                y=top + number * BAR_HEIGHT,
                width=round(values[index] * scale, 1),
                value_label=_number(values[index]),
                text_x=round(LABEL_WIDTH + values[index] * scale + 4, 1),
                text_y=top + number * BAR_HEIGHT + BAR_HEIGHT - 3,
            )
            for number, (_name, values) in enumerate(series)
        ]
        groups.append(Group(label, top + BAR_HEIGHT * len(series) / 2 + 4, bars))
    bottom = TOP + len(labels) * row
    legend = [
        Legend(number, name, LABEL_WIDTH + number * 170, LABEL_WIDTH + number * 170 + 18)
        for number, (name, _values) in enumerate(series)
    ]
    line = None
    if reference is not None:
        x = round(LABEL_WIDTH + reference[1] * scale, 1)
        line = Reference(f"{reference[0]}: {_number(reference[1])}", x, x + 3, bottom)
    return BarChart(title, WIDTH, bottom + 4, LABEL_WIDTH, groups, legend, line)
