"""오류신고 and re-scoring (issue 14, item 4), on SQLite and PostgreSQL.

Reports on the console harness; /fix of a chat's own key re-scoring every board, streak, 정답률
count and review deck in one go; a rerun changing nothing; a key changed in content/ found at
start-up and re-scored once; a re-score that fails half-way leaving everything as it was.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.content.loader import Library
from bot.handlers.scores import period_bounds
from bot.i18n import circled
from bot.search.hangul import ro_euro
from bot.services.quiz import default_points
from bot.services.rescore import RescoreService
from bot.services.review import settle
from bot.storage.db import Database
from bot.storage.tables import answers, outbox, question_stats, rescore_jobs, review_cards
from bot.types import ChatRef
from tests.conftest import Harness, bodies, cards, make_harness, plain

QUESTION = """컨테이너가 공유하는 것은?
① 게스트 운영체제
② 호스트 운영체제의 커널
③ 하이퍼바이저
정답: ①
해설: 컨테이너는 호스트 운영체제의 커널을 함께 써요.
주제: 가상화"""
ADMIN = "관리자"
REPO = Path(__file__).resolve().parents[1]


async def add_question(h: Harness) -> None:
    replies = await h.command("addq", QUESTION, who=ADMIN, admin=True)
    assert "chat-1" in plain(replies), plain(replies)


async def chat_id(h: Harness, chat: ChatRef | None = None) -> int:
    return await h.core.rt.services.registry.chat_id(chat or h.chat, h.clock.now())


async def user_id(h: Harness, name: str) -> int:
    return await h.core.rt.services.registry.user_id(h.user(name))


async def daily_post(h: Harness, question_id: str, key: tuple[int, ...], options: int) -> int:
    """A daily post as the daily runner opens one (the picker's choice made for the test)."""
    now = h.clock.now()
    return await h.core.rt.services.quiz.open_post(
        chat_id=await chat_id(h),
        question_id=question_id,
        options_count=options,
        correct=key,
        kind="daily",
        now=now,
        closes_at=now + timedelta(minutes=10),
    )


async def close(h: Harness, post_id: int) -> None:
    assert await h.core.runners.quiz.close_post(post_id)


async def totals_agree(h: Harness) -> None:
    services = h.core.rt.services
    assert await services.scores.check(now=h.clock.now()) == []
    assert await services.question_stats.check() == []


async def all_time(h: Harness) -> dict[str, int]:
    board = await h.core.rt.services.scores.board(await chat_id(h), None)
    return {s.name: s.points for s in board.top}


async def period(h: Harness, name: str) -> dict[str, int]:
    start, end = period_bounds(name, h.clock.now(), ZoneInfo("Asia/Seoul"))
    board = await h.core.rt.services.scores.period_board(await chat_id(h), None, start, end)
    return {s.name: s.points for s in board.top}


async def today(h: Harness) -> dict[str, int]:
    day, week, month = [await period(h, p) for p in ("today", "week", "month")]
    assert day == week == month  # every answer of these tests falls on one day
    return day


async def streaks(h: Harness, *names: str) -> dict[str, int]:
    ids = {n: await user_id(h, n) for n in names}
    found = await h.core.rt.services.scores.streaks(await chat_id(h), list(ids.values()))
    return {n: found[i] for n, i in ids.items()}


async def in_deck(db: Database, uid: int, question_id: str) -> bool | None:
    await settle(db, uid)  # as the person's own /deck would see it
    async with db.read() as conn:
        return (
            await conn.execute(
                select(review_cards.c.in_deck).where(
                    review_cards.c.user_id == uid, review_cards.c.question_id == question_id
                )
            )
        ).scalar_one_or_none()


async def count(db: Database, table: object, *where: object) -> int:
    async with db.read() as conn:
        query = select(func.count()).select_from(table)  # type: ignore[arg-type]
        for cond in where:
            query = query.where(cond)  # type: ignore[arg-type]
        return int((await conn.execute(query)).scalar_one())


# --- reports ------------------------------------------------------------------------------


async def test_report_flow_on_the_console(harness: Harness) -> None:
    h = harness
    await add_question(h)
    await h.command("quiz", "chat-1", who="민수")
    post = cards(h.adapter)[-1].post_id

    assert "번호와 이유" in plain(await h.command("report", "", who="민수"))
    assert "이유도 적어" in plain(await h.command("report", str(post), who="민수"))
    assert "문제 #999를 찾지 못했어요" in plain(
        await h.command("report", "999 틀렸어요", who="민수")
    )
    assert "300자 이내" in plain(await h.command("report", f"{post} " + "가" * 301, who="민수"))
    before = len(bodies(h.adapter))
    saved = plain(await h.command("report", f"{post} 정답은 ②예요", who="민수"))
    assert f"문제 #{post}의 오류신고를 받았어요" in saved
    # No instructor has a private chat with the bot yet: the chat itself is told, once.
    notices = [b for b in bodies(h.adapter)[before:] if b.startswith("오류신고")]
    assert len(notices) == 1 and "정답은 ②예요" in notices[0] and "민수" in notices[0]
    assert "이미 신고하셨어요" in plain(await h.command("report", f"{post} 또", who="민수"))
    assert "받았어요" in plain(await h.command("report", f"#{post} 저도 ②", who="지영"))
    # The instructors were told of this question already.
    assert len([b for b in bodies(h.adapter) if b.startswith("오류신고")]) == 1

    assert "강사만" in plain(await h.command("reports", who="민수"))
    listing = plain(await h.command("reports", who=ADMIN, admin=True))
    assert f"문제 #{post} (chat-1) · 민수 외 1명: 정답은 ②예요" in listing
    assert f"/fix {post} 정답 2" in listing or f"/문제수정 {post} 정답 2" in listing


async def test_an_instructor_with_a_private_chat_hears_of_a_report_there(harness: Harness) -> None:
    h = harness
    await add_question(h)
    dm = ChatRef("memory", "dm-admin", False)
    await h.command("start", who=ADMIN, chat=dm)  # the bot learns the private chat
    await h.command("quiz", "chat-1", who="민수")
    post = cards(h.adapter)[-1].post_id
    await h.command("report", f"{post} 보기 ②가 맞아요", who="민수")
    private = [b for b in bodies(h.adapter, dm) if b.startswith("오류신고")]
    assert len(private) == 1 and f"문제 #{post}" in private[0] and "보기 ②가 맞아요" in private[0]
    assert not [b for b in bodies(h.adapter, h.chat) if b.startswith("오류신고")]
    await h.core.sweep()  # a restart's sweep finds nothing more to send
    assert len([b for b in bodies(h.adapter, dm) if b.startswith("오류신고")]) == 1


# --- /fix re-scores -------------------------------------------------------------------------


async def scenario(h: Harness, library: Library) -> tuple[int, int, int]:
    """Three daily posts: a bundled one both get right, chat-1 with its wrong key ① (민수
    picks ②, the right one; 지영 picks ①), and another bundled one both get right."""
    await add_question(h)
    bundled = [q for q in library.authored if q.kind == "choice" and len(q.answers) == 1][:2]
    posts = []
    for question in (bundled[0], None, bundled[1]):
        if question is None:
            post = await daily_post(h, "chat-1", (1,), 3)
            await h.choose(post, 2, who="민수")
            await h.choose(post, 1, who="지영")
        else:
            post = await daily_post(h, question.id, question.answers, len(question.options))
            for who in ("민수", "지영"):
                await h.choose(post, question.answers[0], who=who)
        h.clock.advance(60)
        await close(h, post)
        posts.append(post)
    return posts[0], posts[1], posts[2]


async def db_check(data_dir: Path) -> tuple[int, str]:
    env = {**os.environ, "STUDYBOT_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    env.pop("STUDYBOT_DATABASE_URL", None)
    studybot = Path(sys.executable).parent / "studybot"
    child = await asyncio.create_subprocess_exec(
        str(studybot), "db", "check", env=env, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await child.communicate()
    return int(child.returncode or 0), out.decode().strip()


async def test_fix_rescores_boards_streaks_stats_and_decks(
    harness: Harness, db: Database, library: Library, tmp_path: Path
) -> None:
    h = harness
    _, wrong_key_post, _ = await scenario(h, library)
    await totals_agree(h)
    assert await all_time(h) == {"민수": 20, "지영": 30}
    assert await today(h) == {"민수": 20, "지영": 30}
    assert await streaks(h, "민수", "지영") == {"민수": 1, "지영": 3}
    minsu, jiyoung = await user_id(h, "민수"), await user_id(h, "지영")
    assert await in_deck(db, minsu, "chat-1") is True
    assert await in_deck(db, jiyoung, "chat-1") is False

    assert "강사만" in plain(await h.command("fix", f"{wrong_key_post} 정답 2", who="민수"))
    assert "보기는 3개" in plain(
        await h.command("fix", f"{wrong_key_post} 정답 4", who=ADMIN, admin=True)
    )
    before = len(h.adapter.sent)
    done = plain(await h.command("fix", f"{wrong_key_post} 정답 2", who=ADMIN, admin=True))
    assert "chat-1의 정답을 ①에서 ②로 고쳤어요. 답 2개의 점수를 다시 계산했어요." in done

    await totals_agree(h)
    assert await all_time(h) == {"민수": 30, "지영": 20}
    assert await today(h) == {"민수": 30, "지영": 20}
    assert await streaks(h, "민수", "지영") == {"민수": 3, "지영": 1}
    # 민수's card was in the deck only because of the old key; 지영's now belongs there.
    assert await in_deck(db, minsu, "chat-1") is False
    assert await in_deck(db, jiyoung, "chat-1") is True
    async with db.read() as conn:
        stats = {
            r.option: (r.picks, r.accepted)
            for r in await conn.execute(
                select(question_stats).where(question_stats.c.question_id == "chat-1")
            )
        }
    assert stats == {1: (1, 0), 2: (1, 1)}
    notices = [b for b in bodies(h.adapter)[before:] if b.startswith("문제 #")]
    assert notices == [f"문제 #{wrong_key_post}의 정답이 ①에서 ②로 바뀌어 점수를 다시 계산했어요."]

    # Again: the same key changes nothing; a rerun of the job changes nothing either.
    assert "이미 ②로 되어 있어요" in plain(
        await h.command("fix", "chat-1 정답 2", who=ADMIN, admin=True)
    )
    service = h.core.rt.services.rescore
    async with db.read() as conn:
        job_id = (await conn.execute(select(func.max(rescore_jobs.c.id)))).scalar_one()
    assert await service.apply(job_id, h.clock.now(), "again") is None
    rerun = await service.request("chat-1", (2,), "fix", None, h.clock.now())
    applied = await h.core.runners.rescore.run(rerun)
    assert applied is not None and applied.posts == 0 and applied.answers_changed == 0
    await h.core.sweep()
    assert len([b for b in bodies(h.adapter) if b.startswith("문제 #")]) == 1
    assert await all_time(h) == {"민수": 30, "지영": 20}
    await totals_agree(h)
    if db.is_sqlite:  # the operator's own check, as a separate process, agrees
        assert await db_check(tmp_path) == (0, "board totals agree with the answers")


async def test_several_accepted_options_and_text_fixes(harness: Harness) -> None:
    h = harness
    await add_question(h)
    await h.command("quiz", "chat-1", who="민수")
    post = cards(h.adapter)[-1].post_id
    await h.choose(post, 2, who="민수")
    await h.choose(post, 3, who="지영")
    await h.command("reveal", who=ADMIN, admin=True)
    assert await all_time(h) == {}
    await h.command("report", f"{post} ②도 맞아요", who="민수")
    done = plain(await h.command("fix", f"{post} 정답 1,2", who=ADMIN, admin=True))
    assert "①에서 ①, ②로" in done
    assert await all_time(h) == {"민수": 10}
    assert "들어온 오류신고가 없어요" in plain(await h.command("reports", who=ADMIN, admin=True))
    await totals_agree(h)

    assert "고쳤어요" in plain(
        await h.command(
            "fix", "chat-1 해설 컨테이너는 호스트 커널을 공유해요.", who=ADMIN, admin=True
        )
    )
    assert "고쳤어요" in plain(
        await h.command("fix", "chat-1 보기 3 가상 머신 모니터", who=ADMIN, admin=True)
    )
    question = await h.core.rt.services.bank.get("chat-1")
    assert question is not None
    assert question.explanation == "컨테이너는 호스트 커널을 공유해요."
    assert question.options[2] == "가상 머신 모니터" and question.answers == (1, 2)
    assert "보기 번호(1–3)" in plain(
        await h.command("fix", "chat-1 보기 7 x", who=ADMIN, admin=True)
    )
    assert "폐기했어요" in plain(await h.command("fix", "chat-1 폐기", who=ADMIN, admin=True))
    assert "이미 폐기된" in plain(await h.command("fix", "chat-1 폐기", who=ADMIN, admin=True))
    assert "찾지 못했어요" in plain(await h.command("fix", "chat-99 폐기", who=ADMIN, admin=True))
    other = ChatRef("memory", "group-2", True)
    assert "다른 그룹의 문제" in plain(
        await h.command("fix", "chat-1 정답 3", who=ADMIN, admin=True, chat=other)
    )


async def test_a_fix_while_the_question_is_open_tells_the_key_only_at_the_reveal(
    harness: Harness,
) -> None:
    h = harness
    await add_question(h)
    await h.command("quiz", "chat-1", who="민수")
    post = cards(h.adapter)[-1].post_id
    await h.choose(post, 2, who="민수")
    before = len(bodies(h.adapter))
    # The instructor's own reply is theirs to give; the chat-wide notice of the new key
    # must not go out while members can still answer.
    await h.command("fix", f"{post} 정답 2", who=ADMIN, admin=True)
    await h.core.runners.rescore.deliver()
    assert not [b for b in bodies(h.adapter)[before:] if b.startswith(f"문제 #{post}의 정답이")]
    # The re-scored answer counts at the close, and the reveal shows the corrected key.
    await h.command("reveal", who=ADMIN, admin=True)
    assert "정답: ② 호스트 운영체제의 커널" in "\n".join(bodies(h.adapter)[before:])
    assert await all_time(h) == {"민수": 10}
    await totals_agree(h)


async def test_a_bundled_question_is_read_only_in_chat(harness: Harness, library: Library) -> None:
    h = harness
    question = next(q for q in library.authored if q.kind == "choice")
    await h.command("quiz", question.id, who="민수")
    post = cards(h.adapter)[-1].post_id
    await h.command("report", f"{post} 해설이 이상해요", who="민수")
    listing = plain(await h.command("reports", who=ADMIN, admin=True))
    assert "기본 문제라 채팅에서는 고칠 수 없어요" in listing
    assert "기본 문제라" in plain(await h.command("fix", f"{post} 정답 1", who=ADMIN, admin=True))
    assert "1건을 닫았어요" in plain(await h.command("fix", f"{post} 확인", who=ADMIN, admin=True))


# --- bundled keys changed in content/ ----------------------------------------------------


def with_key(library: Library, question_id: str, key: tuple[int, ...]) -> Library:
    questions = dict(library.questions)
    questions[question_id] = dataclasses.replace(questions[question_id], answers=key)
    return dataclasses.replace(library, questions=questions)


async def test_a_key_changed_in_content_is_rescored_once_at_start(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = make_harness(db, library, tmp_path)
    await h.adapter.start(h.core.handle)
    await h.core.start()
    question = next(q for q in library.authored if q.kind == "choice" and len(q.answers) == 1)
    right = question.answers[0]
    other = right % len(question.options) + 1
    post = await daily_post(h, question.id, question.answers, len(question.options))
    await h.choose(post, right, who="민수")
    await h.choose(post, other, who="지영")
    await close(h, post)
    assert await all_time(h) == {"민수": 10}

    # The key is corrected in content/ and the bot restarts.
    fixed = with_key(library, question.id, (other,))
    for _ in range(2):
        again = make_harness(db, fixed, tmp_path, clock=h.clock, adapter=h.adapter)
        await again.core.start()
        assert await all_time(again) == {"지영": 10}
        await totals_agree(again)
    notices = [b for b in bodies(h.adapter) if b.startswith("문제 #")]
    assert notices == [
        f"문제 #{post}의 정답이 {circled(right)}에서 {circled(other)}"
        f"{ro_euro(str(other))} 바뀌어 점수를 다시 계산했어요."
    ]
    assert await count(db, rescore_jobs) == 1
    assert await count(db, outbox, outbox.c.kind == "rescore") == 1

    # Reordering the options moves the key with them: the same answer, nothing re-scored.
    order = list(reversed(range(1, len(question.options) + 1)))
    moved = dataclasses.replace(
        fixed.questions[question.id],
        options=tuple(question.options[i - 1] for i in order),
        answers=(order.index(other) + 1,),
    )
    reordered = dataclasses.replace(fixed, questions={**fixed.questions, question.id: moved})
    later = make_harness(db, reordered, tmp_path, clock=h.clock, adapter=h.adapter)
    await later.core.start()
    assert await count(db, rescore_jobs) == 1
    assert await all_time(later) == {"지영": 10}
    await totals_agree(later)


async def test_a_rescore_that_fails_half_way_changes_nothing_and_resumes(
    harness: Harness, db: Database, library: Library
) -> None:
    h = harness
    _, wrong_key_post, _ = await scenario(h, library)
    calls = 0

    def failing(kind: str, correct: bool, elapsed_ms: int, open_ms: int | None) -> int:
        # The process dies on the second answer, inside the transaction.
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("killed")
        return default_points(kind, correct, elapsed_ms, open_ms)

    job = await h.core.rt.services.rescore.request("chat-1", (2,), "fix", None, h.clock.now())
    dying = RescoreService(db, points=failing)
    with pytest.raises(RuntimeError):
        await dying.apply(job, h.clock.now(), "dying")
    assert await all_time(h) == {"민수": 20, "지영": 30}
    assert await count(db, answers, answers.c.post_id == wrong_key_post, answers.c.correct) == 1
    assert await h.core.rt.services.rescore.pending() == [job]
    await totals_agree(h)

    # The next start finishes it.
    await h.core.start()
    assert await h.core.rt.services.rescore.pending() == []
    assert await all_time(h) == {"민수": 30, "지영": 20}
    assert await streaks(h, "민수", "지영") == {"민수": 3, "지영": 1}
    await totals_agree(h)
