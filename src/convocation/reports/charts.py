"""Charts of the reports, drawn by matplotlib as SVG to put inline in the page.

Deterministic and light: the Agg backend (no display), text kept as text
(``svg.fonttype = "none"``, so the labels are searchable and translated), a fixed
``svg.hashsalt`` and no date in the metadata, so that the same figures give the same bytes.
The SVG is kept in the cache under a hash of what it draws: the same figures are drawn once.
"""

import hashlib
import io
import json
import re
from collections.abc import Sequence

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

COLOURS = ["#0b4f8a", "#d9822b", "#6b8e23", "#8a8a8a"]
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "convocation",
    "font.size": 9,
    "font.family": "sans-serif",
    "axes.spines.top": False,
    "axes.spines.right": False,
    # A dollar sign in a title is text, not the start of a formula.
    "text.parse_math": False,
}


def _svg(figure) -> SafeString:
    output = io.StringIO()
    # Fixed margins rather than bbox_inches="tight", which draws the figure twice.
    # No metadata: its RDF block is not allowed inside an HTML page.
    figure.savefig(
        output,
        format="svg",
        metadata={"Date": None, "Format": None, "Type": None, "Creator": None},
    )
    text = output.getvalue()
    # Inline in HTML: the XML declaration and the doctype are for a standalone file.
    return mark_safe(text[text.index("<svg") :])


def _cached(kind: str, data: dict, draw) -> SafeString:
    key = (
        "reports:chart:"
        + hashlib.sha256(json.dumps([kind, data], sort_keys=True, default=str).encode()).hexdigest()
    )
    svg = cache.get(key)
    if svg is None:
        svg = _own_ids(str(draw()), prefix="c" + key[-10:])
        cache.set(key, svg, 24 * 3600)
    return mark_safe(svg)


SVG_ID_REFERENCE = re.compile(r'(\bid="|xlink:href="#|\bhref="#|url\(#)')


def _own_ids(svg: str, prefix: str) -> str:
    """matplotlib names its elements patch_1, text_1… in every chart: on a page of several
    charts the ids would repeat. Each chart's ids, and the references to them, get a prefix
    of their own (from the chart's numbers)."""
    return SVG_ID_REFERENCE.sub(rf"\g<1>{prefix}-", svg)


def bars(
    *,
    title: str,
    groups: Sequence[str],
    series: dict[str, Sequence[int]],
    stacked: bool = True,
) -> SafeString:
    """Horizontal bars, one per group, split (stacked) or side by side by series."""
    data = {
        "title": title,
        "groups": list(groups),
        "series": {k: list(v) for k, v in series.items()},
    }

    def draw() -> SafeString:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        with matplotlib.rc_context(RC):
            # At least one bar's height, so that the plot keeps a height of its own.
            bars_height = 0.35 * max(1, len(groups)) * (1 if stacked else max(1, len(series)) * 0.6)
            height = bars_height + 1.2  # the title above, the axis and the legend below
            figure, axes = plt.subplots(figsize=(7.2, height))
            figure.subplots_adjust(
                left=0.34, right=0.97, top=1 - 0.35 / height, bottom=0.85 / height
            )
            try:
                positions = list(range(len(groups)))
                left = [0] * len(groups)
                width = 0.8 / (1 if stacked else max(1, len(series)))
                for number, (name, values) in enumerate(series.items()):
                    if stacked:
                        axes.barh(
                            positions,
                            values,
                            left=left,
                            label=name,
                            color=COLOURS[number % len(COLOURS)],
                        )
                        left = [a + b for a, b in zip(left, values, strict=True)]
                    else:
                        offset = [p - 0.4 + width * (number + 0.5) for p in positions]
                        axes.barh(
                            offset,
                            values,
                            height=width,
                            label=name,
                            color=COLOURS[number % len(COLOURS)],
                        )
                axes.set_yticks(positions, labels=list(groups))
                axes.invert_yaxis()
                axes.set_title(title, loc="left")
                axes.xaxis.get_major_locator().set_params(integer=True)
                axes.legend(
                    loc="upper center",
                    bbox_to_anchor=(0.3, -0.35 / bars_height),
                    ncols=2,
                    frameon=False,
                    fontsize=8,
                )
                return _svg(figure)
            finally:
                plt.close(figure)

    return _cached("bars", data, draw)


def lines(
    *, title: str, labels: Sequence[str], series: dict[str, Sequence[float | None]]
) -> SafeString:
    """Shares (0 to 1) per meeting or cycle, one line per series; a gap where none."""
    data = {
        "title": title,
        "labels": list(labels),
        "series": {k: list(v) for k, v in series.items()},
    }

    def draw() -> SafeString:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import PercentFormatter

        with matplotlib.rc_context(RC):
            figure, axes = plt.subplots(figsize=(7.2, 3.6))
            figure.subplots_adjust(left=0.13, right=0.95, top=0.9, bottom=0.3)
            try:
                positions = list(range(len(labels)))
                for number, (name, values) in enumerate(series.items()):
                    points = [float("nan") if value is None else value for value in values]
                    axes.plot(
                        positions,
                        points,
                        marker="o",
                        label=name,
                        color=COLOURS[number % len(COLOURS)],
                    )
                axes.set_xticks(positions, labels=list(labels), rotation=30, ha="right")
                axes.set_ylim(0, 1)
                axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
                axes.set_title(title, loc="left")
                axes.grid(axis="y", color="#dddddd")
                axes.legend(loc="upper left", frameon=False, fontsize=8)
                return _svg(figure)
            finally:
                plt.close(figure)

    return _cached("lines", data, draw)
