"""A bulletin's charts as images: bar charts drawn by matplotlib, for the Word and PDF files.

Each drawing has its own `Figure` on the Agg canvas (no pyplot), so drawings in parallel requests share nothing but
the font list. The Chinese labels need a CJK font: the first of FONT_FILES that exists on the machine (`make install`
puts Noto CJK there); without one the chart is still drawn, its Chinese labels as empty boxes.
"""

import functools
import io
import logging
import math
import warnings
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .content import Chart

logger = logging.getLogger(__name__)

# (file, family): the family is the name matplotlib reads from the file (a .ttc holds several).
FONT_FILES = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "WenQuanYi Micro Hei"),
]
DPI = 200
MM_PER_INCH = 25.4
# Bar colours of the series in turn, and the reference line's.
COLOURS = ["#2F5597", "#C55A11", "#548235", "#7F6000"]
REFERENCE_COLOUR = "#C00000"


@functools.cache
def font_family() -> str | None:
    """The CJK font family the charts use (registered with matplotlib once), or None when the machine has none."""
    for path, family in FONT_FILES:
        if not Path(path).exists():
            continue
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            logger.warning("Cannot read the font file %s", path)
            continue
        if any(entry.name == family for entry in font_manager.fontManager.ttflist):
            return family
    logger.warning("No CJK font found (%s): chart labels in Chinese will not be legible", FONT_FILES[0][0])
    return None


def _value_label(value: float, unit: str) -> str:
    """As the tables print it: percent to one decimal, rounded half up (75.25 → 75.3)."""
    if unit == "%":
        return str(Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))
    return f"{value:g}"


# Width of an 8-point CJK character in millimetres, and the share of its slot a label may fill.
CHARACTER_MM = 8 * 0.3528
LABEL_ROOM = 0.9


def crowded(categories, width_mm: float) -> bool:
    """Whether the longest label is wider than the room each bar has under it."""
    if not categories:
        return False
    slot = width_mm * 0.85 / len(categories)
    return max(len(str(c)) for c in categories) * CHARACTER_MM > slot * LABEL_ROOM


def figure(chart: Chart, *, width_mm: float = 160, height_mm: float | None = None) -> Figure:
    """The chart drawn on a new figure: grouped bars with their values, the reference as a dashed labelled line."""
    height_mm = height_mm or width_mm * 0.55
    fig = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=DPI)
    FigureCanvasAgg(fig)
    family = font_family()
    text = {"family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"], "size": 8}
    ax = fig.add_subplot()
    count = max(len(chart.series), 1)
    width = 0.8 / count
    positions = range(len(chart.categories))
    top = 0.0
    for index, (name, values) in enumerate(chart.series):
        offset = (index - (count - 1) / 2) * width
        xs = [x + offset for x in positions]
        # None is no value: the bar is left out (NaN draws nothing), not drawn as 0.
        heights = [math.nan if v is None else float(v) for v in values]
        bars = ax.bar(xs, heights, width * 0.9, label=name, color=COLOURS[index % len(COLOURS)])
        labels = ["" if v is None else _value_label(float(v), chart.unit) for v in values]
        ax.bar_label(bars, labels=labels, padding=2, fontsize=7, fontfamily=text["family"])
        top = max([top, *(h for h in heights if not math.isnan(h))])
    if chart.reference is not None and chart.reference[1] is not None:
        name, value = chart.reference
        ax.axhline(value, color=REFERENCE_COLOUR, linestyle="--", linewidth=1, label=name)
        ax.annotate(
            f"{name} {_value_label(float(value), chart.unit)}",
            xy=(1, value),
            xycoords=("axes fraction", "data"),
            xytext=(-2, 3),
            textcoords="offset points",
            ha="right",
            va="bottom",
            color=REFERENCE_COLOUR,
            fontsize=7,
            fontfamily=text["family"],
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
        )
        top = max(top, float(value))
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.set_xlim(-0.5, len(chart.categories) - 0.5)
    ax.set_xticks(list(positions), chart.categories, fontsize=text["size"], fontfamily=text["family"])
    if crowded(chart.categories, width_mm):
        # Long names side by side would overlap: slanted, each ending under its bar.
        for label in ax.get_xticklabels():
            label.set_rotation(40)
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")
    ax.set_ylabel(chart.unit, fontsize=text["size"], fontfamily=text["family"])
    ax.tick_params(axis="y", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    if len(chart.series) > 1 or chart.reference is not None:
        ax.legend(prop={"family": text["family"], "size": 7}, frameon=False, loc="upper right", ncols=count + 1)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.12)
    fig.tight_layout(pad=0.6)
    return fig


def _draw(chart: Chart, fmt: str, width_mm: float, height_mm: float | None) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        # Without a CJK font matplotlib warns once per missing glyph; the log already said why.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure(chart, width_mm=width_mm, height_mm=height_mm).savefig(out, format=fmt, dpi=DPI)
    return out.getvalue()


def png(chart: Chart, *, width_mm: float = 160, height_mm: float | None = None) -> bytes:
    """The chart as a PNG at DPI dots per inch, width_mm wide (height 0.55 × width unless given)."""
    return _draw(chart, "png", width_mm, height_mm)


def svg(chart: Chart, *, width_mm: float = 160, height_mm: float | None = None) -> str:
    """The chart as SVG, its text drawn as outlines (it then needs no font where it is shown)."""
    return _draw(chart, "svg", width_mm, height_mm).decode()
