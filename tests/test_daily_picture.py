"""A chat's question with a picture, picked as the daily question, posts its picture with the
card (issue 14, item 6): the daily runner goes through the same bank.image_of as /quiz."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image as PILImage
from sqlalchemy import select

from bot.clock import FakeClock
from bot.content.loader import Library
from bot.storage.db import Database
from bot.storage.tables import chat_questions
from tests.conftest import cards, plain
from tests.test_daily import BEFORE_EIGHT, started

QUESTION = """하드웨어 위에 바로 설치되는 하이퍼바이저는 그림의 어느 층인가?
① 맨 아래층
② 두 번째 층
③ 세 번째 층
정답: ②
해설: 그림에서 하드웨어 바로 위, 두 번째 층이 Type-1 하이퍼바이저예요.
주제: 우리반그림"""


async def test_the_daily_question_carries_its_picture(
    db: Database, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    h = await started(db, library, tmp_path, clock)
    saved = plain(await h.command("addq", QUESTION, who="관리자", admin=True))
    assert "(chat-1)" in saved
    async with db.read() as conn:
        row = (
            await conn.execute(select(chat_questions.c.chat_id, chat_questions.c.author_id))
        ).one()
    picture = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#3a6ea5").save(picture, format="PNG")
    bank = h.core.rt.services.bank
    image_id = await bank.store_image(row.author_id, "image/png", picture.getvalue(), clock.now())
    assert await bank.set_image(1, row.chat_id, image_id, clock.now())

    # Only the chat's own topic is on: the daily question can only be this one.
    topics = plain(await h.command("daily", "topics 우리반그림", who="관리자", admin=True))
    assert "우리반그림" in topics and "모르는" not in topics
    assert "매일 문제를 켰어요" in plain(await h.command("daily", "on", who="관리자", admin=True))
    assert await h.advance(60) == 1  # 08:00 Seoul

    (card,) = cards(h.adapter)
    assert card.header.startswith("오늘의 문제")
    assert card.options == ("맨 아래층", "두 번째 층", "세 번째 층") and card.correct == (2,)
    assert card.image is not None and card.image.png == picture.getvalue()
    assert card.image.alt.startswith("하드웨어 위에 바로 설치되는")
