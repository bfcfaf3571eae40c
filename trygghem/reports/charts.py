"""Geometry of the dashboard's bar charts, drawn as inline SVG by reports/bar_chart.html.

Readable without colour: the series differ by fill (solid / outline), every bar carries its
value as text, and a reference line (break-even, capacity) is dashed and labelled. The same
numbers are always in the table next to the chart.
"""

from dataclasses import dataclass

from django.utils.formats import number_format

LABEL_WIDTH = 96  # at least; longer labels get more, up to MAX_LABEL_WIDTH
MAX_LABEL_WIDTH = 300
CHAR_WIDTH = 8  # an average character of the chart's text, in SVG units
BAR_AREA = 420
VALUE_WIDTH = 64
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
    anchor: str = "start"  # "end": the label stands left of the line, which is near the edge


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
    """The value as the page's language writes it (a decimal comma in Swedish)."""
    return number_format(value, decimal_pos=1 if value % 1 else 0)


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
    label_width = min(
        MAX_LABEL_WIDTH, max([LABEL_WIDTH] + [CHAR_WIDTH * len(label) + 12 for label in labels])
    )
    width = label_width + BAR_AREA + VALUE_WIDTH
    row = BAR_HEIGHT * len(series) + GROUP_GAP
    groups = []
    for index, label in enumerate(labels):
        top = TOP + index * row
        bars = [
            Bar(
                series=number,
                x=label_width,
                y=top + number * BAR_HEIGHT,
                width=round(values[index] * scale, 1),
                value_label=_number(values[index]),
                text_x=round(label_width + values[index] * scale + 4, 1),
                text_y=top + number * BAR_HEIGHT + BAR_HEIGHT - 3,
            )
            for number, (_name, values) in enumerate(series)
        ]
        groups.append(Group(label, top + BAR_HEIGHT * len(series) / 2 + 4, bars))
    bottom = TOP + len(labels) * row
    legend = [
        Legend(number, name, label_width + number * 170, label_width + number * 170 + 18)
        for number, (name, _values) in enumerate(series)
    ]
    line = None
    if reference is not None:
        x = round(label_width + reference[1] * scale, 1)
        text = f"{reference[0]}: {_number(reference[1])}"
        if x + 3 + CHAR_WIDTH * len(text) > width:
            line = Reference(text, x, x - 3, bottom, "end")
        else:
            line = Reference(text, x, x + 3, bottom)
    return BarChart(title, width, bottom + 4, label_width, groups, legend, line)
