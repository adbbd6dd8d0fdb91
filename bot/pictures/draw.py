"""The drawing itself (imported on first use, in the drawing thread): matplotlib, Agg, Nanum.

Figures are made with matplotlib.figure.Figure and an Agg canvas, never pyplot, so no GUI
backend and no global figure registry are involved.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from typing import Any, ClassVar

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image as PILImage

from bot.pictures.data import GroupPicture, MePicture, TopicRate
from bot.pictures.font import font_path

WIDTH, HEIGHT, DPI = 1200, 900, 100  # pixels: fits a Telegram photo and a Discord embed
TOPICS_SHOWN = 8
MISSED_SHOWN = 6
LABEL_MAX = 12

BLUE = "#3b6fd8"
GREEN = "#2f9e62"
ORANGE = "#e08a1e"
RED = "#d64545"
GREY = "#9aa3ad"
INK = "#222831"

_ready = threading.Lock()
_drawing = threading.Lock()
_family: str | None = None


def setup() -> str:
    """Register the Korean font and make it the default, once; its family name."""
    global _family
    with _ready:
        if _family is None:
            for bold in (False, True):
                font_manager.fontManager.addfont(str(font_path(bold)))
            family = font_manager.FontProperties(fname=str(font_path())).get_name()
            matplotlib.rcParams.update(
                {
                    "font.family": [family],
                    "axes.unicode_minus": False,  # U+2212 is not in NanumGothic
                    "axes.titlesize": 15,
                    "axes.titleweight": "semibold",
                    "axes.labelsize": 11,
                    "xtick.labelsize": 10,
                    "ytick.labelsize": 11,
                    "axes.spines.top": False,
                    "axes.spines.right": False,
                    "text.color": INK,
                    "axes.labelcolor": INK,
                }
            )
            _family = family
        return _family


def _short(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Canvas(FigureCanvasAgg):
    """An Agg canvas whose renderer outlives its figure: every picture has the same size,
    so one pixel buffer serves them all, and matplotlib's text-size cache (kept per
    renderer) still knows the titles, labels and numbers from the last picture instead of
    measuring them again."""

    _shared: ClassVar[dict[tuple[int, int, float], RendererAgg]] = {}

    def get_renderer(self) -> RendererAgg:
        width, height = self.get_width_height(physical=True)
        key = (width, height, float(self.figure.dpi))
        renderer = self._shared.get(key)
        if renderer is None:
            renderer = self._shared[key] = RendererAgg(width, height, self.figure.dpi)
        self.renderer = renderer
        self._lastKey = key
        return renderer


def _figure(title: str) -> Figure:
    setup()
    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    _Canvas(fig)
    fig.suptitle(title, fontsize=19, fontweight="semibold")
    return fig


def _png(fig: Figure) -> bytes:
    with _drawing:  # the shared renderer draws one picture at a time
        return _encode(fig)


def _encode(fig: Figure) -> bytes:
    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)  # _figure attaches one
    canvas.draw()
    # The figure is opaque, so its alpha channel carries nothing: RGB is a quarter less to
    # compress. Fast zlib: the default level spent a third of the drawing time for 10%
    # fewer bytes. (No fig.clear() after: tearing the figure down cost more than the
    # collector does.)
    width, height = canvas.get_width_height()
    image = PILImage.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="png", compress_level=1)
    return out.getvalue()


def _bars(
    ax: Any,
    positions: Sequence[float],
    values: Sequence[float],
    colours: str | Sequence[str],
    thickness: float,
    *,
    horizontal: bool = False,
) -> None:
    """Bars as one collection: what ax.bar draws, without an artist (and its transforms,
    limits and clip set-up) per bar, which was most of the time spent laying a chart out."""
    half = thickness / 2
    Box = tuple[tuple[float, float], ...]
    verts: list[Box]
    if horizontal:
        verts = [
            ((0.0, p - half), (v, p - half), (v, p + half), (0.0, p + half))
            for p, v in zip(positions, values, strict=True)
        ]
    else:
        verts = [
            ((p - half, 0.0), (p + half, 0.0), (p + half, v), (p - half, v))
            for p, v in zip(positions, values, strict=True)
        ]
    bars = PolyCollection(verts, facecolors=colours, edgecolors="none", linewidths=0)
    ax.add_collection(bars, autolim=True)
    ax.autoscale_view()


def _empty(ax: Any, words: dict[str, str]) -> None:
    ax.text(0.5, 0.5, words["empty"], ha="center", va="center", color=GREY, fontsize=13)
    ax.set_xticks([])
    ax.set_yticks([])


def _daily_bars(ax: Any, days: tuple[str, ...], values: tuple[int, ...], colour: str) -> None:
    xs = range(len(days))
    _bars(ax, xs, values, colour, 0.75)
    step = max(1, len(days) // 6)
    ticks = list(range(len(days) - 1, -1, -step))[::-1]
    ax.set_xticks(ticks, [days[i] for i in ticks])
    ax.set_xlim(-0.6, len(days) - 0.4)
    ax.set_ylim(0, max(max(values, default=0) * 1.15, 1))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))


def _rates(ax: Any, topics: tuple[TopicRate, ...], words: dict[str, str], shown: int) -> None:
    rows = topics[:shown]
    if not rows:
        _empty(ax, words)
        return
    names = [_short(r.name) for r in rows][::-1]
    values = [round(100 * r.rate) for r in rows][::-1]
    colours = [RED if v < 40 else ORANGE if v < 60 else GREEN for v in values]
    ys = range(len(rows))
    _bars(ax, ys, values, colours, 0.6, horizontal=True)
    ax.set_yticks(list(ys), names)
    ax.set_xlim(0, 130)
    ax.set_xticks([])  # each bar says its value
    ax.spines["bottom"].set_visible(False)
    answered = [r.answered for r in rows][::-1]
    for y, v, n in zip(ys, values, answered, strict=True):
        ax.text(v + 1.5, y, words["rate_label"].format(rate=v, n=n), va="center", fontsize=10)


def me(picture: MePicture) -> bytes:
    w = picture.words
    fig = _figure(picture.title)
    grid = fig.add_gridspec(2, 2, width_ratios=(1.35, 1), hspace=0.38, wspace=0.42)
    fig.subplots_adjust(left=0.14, right=0.96, top=0.88, bottom=0.08)

    ax = fig.add_subplot(grid[0, :])
    ax.set_title(w["points_title"], loc="left")
    if any(picture.points):
        _daily_bars(ax, picture.days, picture.points, BLUE)
        ax.set_ylabel(w["points_axis"], rotation=0, ha="right")
    else:
        _empty(ax, w)

    ax = fig.add_subplot(grid[1, 0])
    ax.set_title(w["topics_title"], loc="left")
    _rates(ax, picture.topics, w, TOPICS_SHOWN)

    ax = fig.add_subplot(grid[1, 1])
    ax.set_title(w["deck_title"], loc="left")
    counts = [picture.due, picture.learning, picture.learned]
    labels = [w["deck_due"], w["deck_learning"], w["deck_learned"]]
    _bars(ax, range(3), counts, [RED, ORANGE, GREEN], 0.6)
    ax.set_xticks(range(3), labels)
    top = max(max(counts) * 1.3, 1)
    ax.set_ylim(0, top)
    ax.set_yticks([])  # each bar says its count
    ax.spines["left"].set_visible(False)
    for x, n in enumerate(counts):
        ax.text(x, n + top * 0.02, str(n), ha="center", va="bottom", fontsize=12)
    ax.text(
        0.98,
        0.97,
        w["streak"].format(days=picture.streak),
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=14,
        fontweight="semibold",
        color=BLUE,
    )
    return _png(fig)


def group(picture: GroupPicture) -> bytes:
    w = picture.words
    fig = _figure(picture.title)
    grid = fig.add_gridspec(2, 2, hspace=0.38, wspace=0.55)
    fig.subplots_adjust(left=0.14, right=0.96, top=0.88, bottom=0.08)

    ax = fig.add_subplot(grid[0, :])
    ax.set_title(w["people_title"], loc="left")
    if any(picture.people):
        _daily_bars(ax, picture.days, picture.people, BLUE)
        ax.set_ylabel(w["people_axis"], rotation=0, ha="right")
    else:
        _empty(ax, w)

    ax = fig.add_subplot(grid[1, 0])
    ax.set_title(w["topics_title"], loc="left")
    _rates(ax, picture.topics, w, TOPICS_SHOWN)

    ax = fig.add_subplot(grid[1, 1])
    ax.set_title(w["missed_title"], loc="left")
    _rates(ax, picture.missed, w, MISSED_SHOWN)
    return _png(fig)


def warm_up() -> None:
    """Draw a throwaway /me picture: the first real one then finds every cache filled."""
    words = dict.fromkeys(
        (
            "points_title",
            "points_axis",
            "topics_title",
            "deck_title",
            "deck_due",
            "deck_learning",
            "deck_learned",
            "empty",
        ),
        "가나다라 0123456789",
    )
    words |= {"streak": "{days}", "rate_label": "{rate}% ({n})"}
    me(
        MePicture(
            title="가나다라마바사 학습 현황",
            days=tuple(f"11/{d:02d}" for d in range(1, 31)),
            points=tuple(10 * (d % 4) for d in range(30)),
            topics=tuple(TopicRate(f"주제 {n}", n, 10) for n in range(1, 8)),
            due=1,
            learning=2,
            learned=3,
            streak=4,
            words=words,
        )
    )


def diagram(name: str) -> bytes:
    """A layer stack of bot.pictures.diagrams, bottom up, each layer a labelled box."""
    from matplotlib.patches import FancyBboxPatch

    from bot.pictures.diagrams import DARK, DIAGRAMS

    spec = DIAGRAMS[name]
    setup()
    fig = Figure(figsize=(8, 6), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.04, 0.04, 0.92, 0.82))
    fig.suptitle(spec.title, fontsize=18, fontweight="semibold", y=0.95)
    rows = len(spec.layers)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, rows)
    ax.axis("off")
    gap = 0.02
    for y, layer in enumerate(spec.layers):
        count = max(layer.columns, 1)
        width = (1 - gap * (count + 1)) / count
        for i in range(count):
            x = gap + i * (width + gap)
            box = FancyBboxPatch(
                (x, y + 0.08),
                width,
                0.84,
                boxstyle="round,pad=0,rounding_size=0.015",
                mutation_aspect=rows * 1.2,
                facecolor=layer.colour,
                edgecolor="white",
                linewidth=2,
            )
            ax.add_patch(box)
            ax.text(
                x + width / 2,
                y + 0.5,
                layer.label,
                ha="center",
                va="center",
                fontsize=14 if count == 1 else 12,
                color="white" if layer.colour in DARK else INK,
                fontweight="semibold",
            )
    return _png(fig)
