"""Progress as pictures: a person's /me and a group's /stats, drawn with matplotlib.

The plotting library is heavy, so nothing here imports it: the first picture loads it (with
the Agg backend and the Korean font) in the one drawing thread, off the event loop, and a
bot nobody asks for a picture never pays for it. The font is NanumGothic as the
koreanize-matplotlib wheel ships it, read from its installed file (never fetched).
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from bot.pictures.data import GroupPicture, MePicture, TopicRate

__all__ = [
    "GroupPicture",
    "MePicture",
    "TopicRate",
    "group_png",
    "me_png",
    "render_group",
    "render_me",
]

# One drawing thread: matplotlib's global state (rcParams, the font cache) is not meant to
# be shared between threads, and one picture at a time keeps a burst of /me from eating
# every core the answers need.
_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pictures")
        return _executor


def me_png(picture: MePicture) -> bytes:
    """The /me picture as PNG bytes (blocking: call render_me from the loop)."""
    from bot.pictures import draw

    return draw.me(picture)


def group_png(picture: GroupPicture) -> bytes:
    from bot.pictures import draw

    return draw.group(picture)


async def render_me(picture: MePicture) -> bytes:
    return await asyncio.get_running_loop().run_in_executor(_pool(), me_png, picture)


async def render_group(picture: GroupPicture) -> bytes:
    return await asyncio.get_running_loop().run_in_executor(_pool(), group_png, picture)
