"""Issue 11, what a study group trips over: contests, /정답, reveals (items 1, 3, 7, 16–18)."""

from __future__ import annotations

from pathlib import Path

from adapters.console import ConsoleAdapter
from bot.clock import FakeClock
from bot.content.loader import Library
from bot.dispatcher import parse_command
from bot.storage.db import Database
from bot.types import ChatRef, CommandReceived, Content, QuestionCard
from tests.conftest import START, Harness, bodies, cards, make_harness, plain

OTHER = ChatRef("memory", "group-2", True)


async def started(db: Database, library: Library, tmp_path: Path) -> Harness:
    h = make_harness(db, library, tmp_path, clock=FakeClock(START))
    await h.adapter.start(h.core.handle)
    await h.core.start()
    return h


async def typed(h: Harness, line: str, *, who: str = "민수", admin: bool = False) -> list[Content]:
    """A line as a member types it, Korean aliases included."""
    parsed = parse_command(line)
    assert parsed is not None
    return await h.command(parsed.name, parsed.args, who=who, admin=admin)


def wrong(card: QuestionCard) -> int:
    return next(i for i in range(1, len(card.options) + 1) if i not in card.correct)


async def test_reveal_of_a_contest_question_is_refused_and_the_contest_goes_on(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await h.command("contest", "3 5", who="민수")
    first = cards(h.adapter)[-1]
    refused = plain(await h.command("reveal", who="민수", admin=True))
    assert "대회 문제는 직접 마감할 수 없어요" in refused and "/대회 중지" in refused
    assert await h.advance(5) == 1
    assert "정답:" in bodies(h.adapter)[-1] or "정답:" in bodies(h.adapter)[-2]
    second = cards(h.adapter)[-1]
    assert second.post_id != first.post_id and second.header.startswith("대회 문제 2/3")
    # The answer goes to the live round.
    assert "받았어요" in plain(await h.say(str(second.correct[0]), who="지영"))


async def test_korean_jeongdap_answers_and_jeongdap_gongae_reveals(harness: Harness) -> None:
    h = harness
    await h.command("quiz", who="민수")
    card = cards(h.adapter)[-1]
    assert parse_command("/정답 3") is not None and parse_command("/정답 3").name == "answer"
    reply = plain(await typed(h, f"/정답 {wrong(card)}", who="지영"))
    assert "지영 님의 답을 받았어요" in reply
    usage = plain(await typed(h, "/정답", who="현우"))
    assert "답할 번호를 적어 주세요" in usage and "/정답공개" in usage
    assert cards(h.adapter)[-1].post_id == card.post_id
    assert "마감!" not in "\n".join(bodies(h.adapter))  # nothing was closed
    await typed(h, "/정답공개", who="민수")
    reveal = bodies(h.adapter)[-1]
    assert f"마감! 문제 #{card.post_id}" in reveal and "참여 1명" in reveal


async def test_an_instructor_may_reveal_a_members_question(harness: Harness) -> None:
    h = harness
    await h.command("instructor", "add", who="관리자", admin=True, mentions=("강사",))
    await h.command("quiz", who="민수")
    assert "강사만" in plain(await h.command("reveal", who="지영"))
    await h.command("reveal", who="강사")
    assert "마감!" in bodies(h.adapter)[-1]


async def test_the_first_right_is_named_alone_and_the_next_are_labelled(harness: Harness) -> None:
    h = harness
    await h.command("quiz", who="민수")
    card = cards(h.adapter)[-1]
    for who in ("A1", "A2", "A3"):
        await h.choose(card.post_id, card.correct[0], who=who)
        h.clock.advance(1)
    await h.command("reveal", who="민수")
    reveal = bodies(h.adapter)[-1]
    assert "가장 먼저 맞힌 사람: A1\n" in reveal + "\n"
    assert "이어서 맞힌 사람: A2, A3" in reveal


async def test_contest_rounds_show_the_short_explanation(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await h.command("contest", "2 10", who="민수")
    card = cards(h.adapter)[-1]
    assert await h.advance(10) == 1
    round_ = next(b for b in reversed(bodies(h.adapter)) if b.startswith("정답:"))
    assert "해설:" in round_
    asked = next(q for q in library.questions.values() if q.stem == card.stem)
    assert asked.poll_explanation.split("\n")[0][:20] in round_


async def test_a_contest_cannot_start_while_a_quiz_question_is_open(harness: Harness) -> None:
    h = harness
    await h.command("quiz", who="민수")
    quiz_card = cards(h.adapter)[-1]
    refused = plain(await h.command("contest", "3", who="지영"))
    assert f"아직 마감되지 않은 문제(#{quiz_card.post_id})" in refused
    assert "대회를 시작할 수 없어요" in refused
    assert len(cards(h.adapter)) == 1
    # The bare number still answers the quiz.
    assert "받았어요" in plain(await h.say(str(quiz_card.correct[0]), who="지영"))
    await h.command("reveal", who="민수")
    await h.command("contest", "1", who="지영")
    assert cards(h.adapter)[-1].header.startswith("대회")


async def test_admins_are_listed_and_cannot_be_removed_as_instructors(harness: Harness) -> None:
    h = harness
    listing = plain(await h.command("instructor", who="관리자", admin=True))
    assert "이 방의 강사: 관리자 (관리자)" in listing
    removed = plain(await h.command("instructor", "remove @관리자", who="관리자", admin=True))
    assert "그룹 관리자라서 따로 지정하지 않아도 강사예요" in removed
    assert "관리자 (관리자)" in plain(await h.command("instructor"))
    assert "관리자는 따로 지정하지 않아도 강사" in plain(await h.command("instructor", chat=OTHER))


async def test_whole_names_with_spaces_quoted_or_not(harness: Harness) -> None:
    h = harness
    await h.command("start", who="김")
    await h.command("start", who="김 지영")
    # The console reads '@김 지영' as a mention of '김'; the whole name wins.
    added = plain(
        await h.command("instructor", "add @김 지영", who="관리자", admin=True, mentions=("김",))
    )
    assert "김 지영 님을 강사로 지정했어요" in added
    listing = plain(await h.command("instructor"))
    assert "김 지영" in listing and "김," not in listing and not listing.endswith("김")
    quoted = plain(await h.command("instructor", 'remove "김 지영"', who="관리자", admin=True))
    assert "김 지영 님" in quoted and "아니에요" not in quoted and "찾지 못했어요" not in quoted
    again = plain(await h.command("instructor", 'add @"김 지영"', who="관리자", admin=True))
    assert "김 지영 님을 강사로 지정했어요" in again


async def test_unknown_people_are_refused_with_a_hint(harness: Harness) -> None:
    h = harness
    # A platform (and the console) vouches only for people it knows: no mention comes along.
    reply = plain(await h.command("instructor", "add @없는사람", who="관리자", admin=True))
    assert "'없는사람' 님을 찾지 못했어요" in reply and "답장으로" in reply
    assert "이 방의 강사: 관리자 (관리자)" in plain(await h.command("instructor"))


def test_the_console_mentions_only_people_who_have_spoken() -> None:
    console = ConsoleAdapter(user_name="관리자")
    unknown = console._event("/instructor add @없는사람")
    assert isinstance(unknown, CommandReceived) and unknown.mentions == ()
    console.speakers.add("지영")
    known = console._event("/instructor add @지영")
    assert isinstance(known, CommandReceived)
    assert [m.display_name for m in known.mentions] == ["지영"]


async def test_instructor_remove_without_a_name_asks_whom_to_remove(harness: Harness) -> None:
    h = harness
    reply = plain(await h.command("instructor", "remove", who="관리자", admin=True))
    assert "누구를 강사에서 해제할지" in reply
    assert "누구를 지정할지" in plain(
        await h.command("instructor", "add", who="관리자", admin=True)
    )
