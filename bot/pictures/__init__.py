"""Progress as pictures: a person's /me and a group's /stats, drawn with matplotlib.

The plotting library is heavy, so nothing here imports it: pictures are drawn in a separate
drawing process started with the first one (the Agg backend and the Korean font load
there), off the event loop and out of the bot's own memory; a bot nobody asks for a
picture never starts it. The font is NanumGothic as the
koreanize-matplotlib wheel ships it, read from its installed file (never fetched).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from bot.pictures.data import GroupPicture, MePicture, TopicRate

__all__ = [
    "GroupPicture",
    "MePicture",
    "TopicRate",
    "diagram_png",
    "group_png",
    "me_png",
    "render_diagram",
    "render_group",
    "render_me",
    "shutdown",
]

# One drawing process, started with the first picture: matplotlib's import and its caches
# (about 100 MB) stay out of the bot's own process, and drawing (C++ that holds the GIL for
# tens of milliseconds at a time) never holds up the event loop or the answers it serves.
# Once started it stays warm until the bot stops (shutdown, or the interpreter's exit): a
# restart costs about a second and a half, many times a picture, and stopping it when idle
# only moved that second onto whoever asked next.
_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def _warm() -> None:
    """Start-up of the drawing process: load matplotlib and the font, then draw one picture
    and throw it away, so the glyph, layout and font caches are filled before anyone waits."""
    from bot.pictures import draw

    draw.setup()
    draw.warm_up()


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_warm
            )
        return _pool


def shutdown() -> None:
    """Stop the drawing process (it starts again with the next picture)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


async def _draw(fn: Callable[[Any], bytes], picture: object) -> bytes:
    loop = asyncio.get_running_loop()
    try:
        png = await loop.run_in_executor(_executor(), fn, picture)
    except BrokenProcessPool:
        shutdown()  # the drawing process died (killed, out of memory): one fresh try
        png = await loop.run_in_executor(_executor(), fn, picture)
    return png


def me_png(picture: MePicture) -> bytes:
    """The /me picture as PNG bytes, drawn here (blocking: call render_me from the loop)."""
    from bot.pictures import draw

    return draw.me(picture)


def group_png(picture: GroupPicture) -> bytes:
    from bot.pictures import draw

    return draw.group(picture)


async def render_me(picture: MePicture) -> bytes:
    """The /me picture, drawn in the drawing process."""
    return await _draw(me_png, picture)


async def render_group(picture: GroupPicture) -> bytes:
    return await _draw(group_png, picture)


def diagram_png(name: str) -> bytes:
    from bot.pictures import draw

    return draw.diagram(name)


_diagrams: dict[str, bytes] = {}


async def render_diagram(name: str) -> bytes:
    """A bundled question's diagram (bot.pictures.diagrams), drawn once per process."""
    png = _diagrams.get(name)
    if png is None:
        png = _diagrams[name] = await _draw(diagram_png, name)
    return png
