"""Issue 11: announcement times as people type them (item 2), daily close times (item 6)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.handlers.when import When, read_schedule
from bot.places import Place
from bot.types import ChatRef, Text
from tests.conftest import Harness, plain

SEOUL = Place("ko", ZoneInfo("Asia/Seoul"))
NOW = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
A = ChatRef("memory", "group-1", True)
B = ChatRef("memory", "group-2", True)


def seoul(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("내일 09:00 공지", seoul(2026, 11, 27, 9, 0)),
        ("tomorrow 8:30 공지", seoul(2026, 11, 27, 8, 30)),
        ("12-31 09:00 공지", seoul(2026, 12, 31, 9, 0)),
        ("01-05 09:00 공지", seoul(2027, 1, 5, 9, 0)),  # passed this year: next year
        ("2026-12-31 09:00 공지", seoul(2026, 12, 31, 9, 0)),
        ("18:00 공지", seoul(2026, 11, 26, 18, 0)),
    ],
)
def test_accepted_forms(typed: str, due: datetime) -> None:
    schedule = read_schedule(typed, NOW, SEOUL)
    assert schedule.when is When.AT and schedule.due == due and schedule.body == "공지"


@pytest.mark.parametrize(
    ("typed", "when"),
    [
        ("08:00 공지", When.PAST_TODAY),
        ("2020-01-01 09:00 공지", When.PAST),
        ("12-32 09:00 공지", When.BAD),
        ("12-31 공지", When.BAD),
        ("내일 25:00 공지", When.BAD),
        ("9: 공지", When.BAD),
        ("내일 모의고사 있어요", When.NOW),
        ("3.1절 기념 휴강", When.NOW),
    ],
)
def test_refused_or_plain(typed: str, when: When) -> None:
    assert read_schedule(typed, NOW, SEOUL).when is when


def sent_announcements(h: Harness) -> list[str]:
    return [
        s.content.body
        for s in h.adapter.sent
        if isinstance(s.content, Text) and "📢" in s.content.body
    ]


async def test_a_schedule_typo_is_refused_and_never_sent(harness: Harness) -> None:
    h = harness
    for chat in (A, B):
        await h.command(
            "instructor", "add", who="관리자", chat=chat, admin=True, mentions=("지영",)
        )
    for typed in ("12-32 09:00 공지", "all 12-31 공지", "all 내일 9: 공지", "2026-12-31 9시 공지"):
        reply = plain(await h.command("announce", typed, who="지영", chat=A))
        assert "날짜나 시각이 올바르지 않아요" in reply and "공지는 보내지 않았어요" in reply
        assert "/공지 내일 09:00 내용" in reply
    past = plain(await h.command("announce", "08:00 공지", who="지영", chat=A))
    assert "이미 지난 시각이에요 (오늘 08:00)" in past
    assert sent_announcements(h) == []
    reply = plain(await h.command("announce", "all 내일 09:00 모의고사", who="지영", chat=A))
    assert "2026-11-27 09:00" in reply and "방 2곳" in reply
    reply = plain(await h.command("announce", "12-31 09:00 연말 공지", who="지영", chat=A))
    assert "2026-12-31 09:00" in reply
    assert sent_announcements(h) == []
    await h.advance(24 * 3600)
    assert len(sent_announcements(h)) == 2  # tomorrow's, in both chats


async def test_a_members_announce_list_or_cancel_gets_its_own_refusal(harness: Harness) -> None:
    h = harness
    assert "강사만 예약된 공지를 볼 수 있어요" in plain(await h.command("announce", "list"))
    assert "강사만 공지를 취소할 수 있어요" in plain(await h.command("announce", "cancel 1"))
    assert "강사만 공지를 보낼 수 있어요" in plain(await h.command("announce", "안녕"))


async def test_a_daily_close_before_the_start_is_refused(harness: Harness) -> None:
    h = harness
    await h.command("daily", "time 21:47", admin=True)
    refused = plain(await h.command("daily", "close 21:36", admin=True))
    assert "마감 시각(21:36)이 문제를 내는 시각(21:47)보다 늦어야 해요" in refused
    assert "설정은 바꾸지 않았어요" in refused
    assert "마감 23:00" in plain(await h.command("daily", admin=True))
    assert "보다 늦어야 해요" in plain(await h.command("daily", "time 23:30", admin=True))
    assert "마감 22:00" in plain(await h.command("daily", "close 22:00", admin=True))


async def test_daily_with_nothing_after_the_action_says_what_to_add(harness: Harness) -> None:
    h = harness
    topics = plain(await h.command("daily", "topics", admin=True))
    assert "주제를 함께 적어 주세요" in topics and "고를 수 있는 주제:" in topics
    assert "모르는 주제" not in topics
    # The chapters, not every one of the bank's 180-odd detailed topics.
    assert "가상화" in topics and "Type-1 하이퍼바이저의 분류" not in topics
    assert "세부 주제로도 고를 수 있어요" in topics
    typo = plain(await h.command("daily", "topics 하이퍼바이져", admin=True))
    assert "모르는 주제예요: 하이퍼바이져" in typo
    assert "비슷한 세부 주제: 하이퍼바이저" in typo and len(typo) < 600
    when = plain(await h.command("daily", "time", admin=True))
    assert "시각을 함께 적어 주세요" in when and "/매일문제 time 08:30" in when
    assert "/매일문제 close 22:00" in plain(await h.command("daily", "close", admin=True))
    assert "시간대를 함께 적어 주세요" in plain(await h.command("daily", "tz", admin=True))
