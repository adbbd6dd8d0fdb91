"""/me's picture only to the person (a private chat, an ephemeral reply, or the private chat
when the group has no private replies), /stats's picture to the group."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from adapters.memory import MemoryAdapter
from bot.content.loader import Library
from bot.i18n import t
from bot.storage.db import Database
from bot.types import Capabilities, ChatRef, Image, Text
from tests.conftest import Harness, cards, make_harness
from tests.test_pictures import assert_png

DM = ChatRef("memory", "dm-민수", is_group=False)


async def started(db: Database, library: Library, tmp_path: Path, **caps: bool) -> Harness:
    adapter = MemoryAdapter("memory", Capabilities(buttons=True, images=True, **caps))
    h = make_harness(db, library, tmp_path, adapter=adapter)
    await h.adapter.start(h.core.handle)
    await h.core.start()
    return h


async def answer_a_quiz(h: Harness, who: str = "민수", right: bool = False) -> None:
    await h.command("quiz", who=who)
    card = cards(h.adapter, h.chat)[-1]
    option = (
        card.correct[0]
        if right
        else next(i for i in range(1, len(card.options) + 1) if i not in card.correct)
    )
    await h.choose(card.post_id, option, who=who)
    await h.advance(600)


def images_in(h: Harness, chat: ChatRef) -> list[Image]:
    return [s.content for s in h.adapter.sent if isinstance(s.content, Image) and s.chat == chat]


async def test_me_in_a_private_chat_sends_text_and_picture(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await answer_a_quiz(h, right=True)
    await answer_a_quiz(h)
    replies = await h.command("me", chat=DM)
    assert isinstance(replies[0], Text) and isinstance(replies[1], Image)
    picture = replies[1]
    assert_png(picture.png)
    assert "최근 30일 점수 10점" in picture.alt and "복습할 카드" in picture.alt


async def test_me_in_a_group_with_private_replies_is_ephemeral(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path, ephemeral=True)  # as on Discord
    await answer_a_quiz(h, right=True)
    replies = await h.command("me")
    text, picture = replies
    assert isinstance(text, Text) and not text.ephemeral  # the text stays public, as before
    assert isinstance(picture, Image) and picture.ephemeral


async def test_me_in_a_group_without_private_replies_goes_to_the_private_chat(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)  # as on Telegram and the console
    await answer_a_quiz(h, right=True)
    # No private chat known yet: no picture in the group, and a word on how to get it.
    replies = await h.command("me")
    assert [type(r) for r in replies] == [Text]
    assert t("ko", "me_picture_how") in replies[0].body  # type: ignore[union-attr]
    assert images_in(h, h.chat) == []

    await h.command("start", chat=DM)  # the person opens a private chat
    replies = await h.command("me")
    assert [type(r) for r in replies] == [Text]
    assert t("ko", "me_picture_sent") in replies[0].body  # type: ignore[union-attr]
    assert images_in(h, h.chat) == []
    (sent,) = images_in(h, DM)
    assert_png(sent.png)


async def test_no_picture_for_an_adapter_without_images(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = make_harness(db, library, tmp_path)
    await h.adapter.start(h.core.handle)
    await h.core.start()
    await answer_a_quiz(h, right=True)
    replies = await h.command("me", chat=DM)
    assert all(isinstance(r, Text) for r in replies)


async def test_stats_sends_the_group_picture_to_the_group(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await answer_a_quiz(h, right=True)
    await answer_a_quiz(h, who="지영")
    h.clock.advance(timedelta(hours=1).total_seconds())
    replies = await h.command("stats", who="관리자", admin=True)
    text, picture = replies
    assert isinstance(text, Text) and isinstance(picture, Image)
    assert not picture.ephemeral
    assert_png(picture.png)
    assert "참여 2명" in picture.alt
