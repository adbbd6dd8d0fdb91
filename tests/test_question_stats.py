"""Each question's 정답률 across every chat: maintained counts, the reveal line, /hard, /stats."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.content.loader import Library
from bot.content.schema import Question
from bot.i18n import t
from bot.render import reveal_text
from bot.services.question_stats import HARD_MIN, SHOW_MIN, QuestionStatsService
from bot.services.quiz import QuizService
from bot.services.registry import Registry
from bot.storage.db import Database
from bot.types import ChatRef, UserRef
from tests.conftest import START, make_harness, plain


def _question(library: Library, n: int = 0) -> Question:
    one_key = [q for q in library.questions.values() if len(q.answers) == 1 and not q.generated]
    return one_key[n]


async def _post(
    db: Database,
    chat_key: str,
    question: Question,
    picks: list[int],
    *,
    kind: str = "quiz",
    people: str = "p",
    close: bool = True,
) -> int:
    """A post of question in a chat, answered with picks (one person each), then closed."""
    registry, quiz = Registry(db), QuizService(db)
    chat_id = await registry.chat_id(ChatRef("memory", chat_key, True), START)
    post_id = await quiz.open_post(
        chat_id=chat_id,
        question_id=question.id,
        options_count=len(question.options),
        correct=question.answers,
        kind=kind,
        now=START,
        closes_at=START + timedelta(minutes=10),
    )
    for i, option in enumerate(picks):
        user_id = await registry.user_id(UserRef("memory", f"{people}{i}", f"{people}{i}"))
        await quiz.record_answer(
            chat_id=chat_id,
            user_id=user_id,
            post_id=post_id,
            option=option,
            now=START + timedelta(seconds=5 + i),
        )
    if close:
        await quiz.close(post_id, START + timedelta(minutes=10))
    return post_id


def _wrong(question: Question) -> int:
    return next(n for n in range(1, len(question.options) + 1) if n not in question.answers)


async def test_rate_over_answers_from_several_chats(db: Database, library: Library) -> None:
    question = _question(library)
    right, wrong = question.answers[0], _wrong(question)
    stats = QuestionStatsService(db)
    quiz = QuizService(db)

    await _post(db, "chat-a", question, [right] * 8 + [wrong] * 2, people="a")
    await _post(db, "chat-b", question, [right] * 3 + [wrong] * 7, people="b")
    # A review is one person's second try and an open post gives nothing away: neither counts.
    await _post(db, "dm-x", question, [wrong] * 5, kind="review", people="r")
    open_id = await _post(db, "chat-c", question, [wrong] * 4, people="c", close=False)

    rate = await stats.rate(question.id)
    assert rate is not None
    assert (rate.answered, rate.right) == (20, 11)
    assert rate.picks == {right: 11, wrong: 9}

    # The third chat's reveal counts every chat, its own post included.
    reveal = await quiz.close(open_id, START + timedelta(minutes=10))
    assert reveal is not None
    assert (reveal.answered, reveal.right) == (4, 0)
    assert (reveal.overall_answered, reveal.overall_right) == (24, 11)
    # Below SHOW_MIN the reveal keeps to the chat's own line.
    assert "전체 정답률" not in reveal_text(library, reveal, "ko")

    last = await _post(db, "chat-d", question, [right] * 6, people="d", close=False)
    reveal = await quiz.close(last, START + timedelta(minutes=10))
    assert reveal is not None and reveal.overall_answered == SHOW_MIN == 30
    text = reveal_text(library, reveal, "ko")
    assert "전체 정답률 57% (30명)" in text  # 17 of 30
    assert "Across all chats: 57% correct (30 answered)" in reveal_text(library, reveal, "en")

    # The maintained counts equal the answers they came from, and a rebuild agrees.
    assert await stats.check() == []
    await stats.rebuild()
    assert (await stats.rate(question.id)) == (await QuestionStatsService(db).rate(question.id))
    assert await stats.check() == []


async def test_thousands_are_grouped_in_the_reveal(library: Library) -> None:
    from bot.services.quiz import Reveal

    question = _question(library)
    reveal = Reveal(
        post_id=1,
        chat=ChatRef("memory", "g", True),
        chat_id=1,
        question_id=question.id,
        kind="quiz",
        correct=question.answers,
        answered=3,
        right=1,
        first_right=("지영",),
        message_ref=None,
        overall_answered=1203,
        overall_right=409,
    )
    assert "전체 정답률 34% (1,203명)" in reveal_text(library, reveal, "ko")


async def test_hard_lists_the_most_missed_first(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = make_harness(db, library, tmp_path)
    await h.adapter.start(h.core.handle)
    easy, mid, hard, few = (_question(library, n) for n in range(4))
    for n, (question, right_count) in enumerate(((easy, 9), (mid, 5), (hard, 1))):
        picks = [question.answers[0]] * right_count + [_wrong(question)] * (10 - right_count)
        await _post(db, f"chat-{n}", question, picks, people=f"u{n}-")
    # Too few answers to judge: left out however badly it went.
    await _post(db, "chat-few", few, [_wrong(few)] * (HARD_MIN - 1), people="f")

    text = plain(await h.command("hard"))
    lines = text.splitlines()
    assert lines[0] == "많이 틀린 문제"
    assert lines[1].startswith("1. 정답률 10% (10명)")
    assert lines[2].startswith("2. 정답률 50% (10명)")
    assert lines[3].startswith("3. 정답률 90% (10명)")
    assert all(few.stem[:20] not in line for line in lines)

    # Narrowed to a subject or topic; an unknown one says what to try.
    subject = next(c for c in library.chapters if c.key == hard.chapter).subject_name
    narrowed = plain(await h.command("hard", subject))
    assert narrowed.splitlines()[0] == f"많이 틀린 문제 · {subject}"
    unknown = plain(await h.command("hard", "천문학"))
    assert "'천문학' 과목이나 주제를 찾지 못했어요" in unknown


async def test_hard_with_too_few_answers(db: Database, library: Library, tmp_path: Path) -> None:
    h = make_harness(db, library, tmp_path)
    await h.adapter.start(h.core.handle)
    assert plain(await h.command("hard")) == t("ko", "hard_empty", min=HARD_MIN)


async def test_stats_flags_a_suspicious_key(db: Database, library: Library, tmp_path: Path) -> None:
    h = make_harness(db, library, tmp_path)
    await h.adapter.start(h.core.handle)
    await h.core.start()
    group = h.chat.chat_id
    suspect, fine, low = (_question(library, n) for n in (0, 1, 2))
    pile = _wrong(suspect)
    # Seven of ten pick one wrong option (more than the key): the key may be wrong.
    await _post(db, group, suspect, [pile] * 7 + [suspect.answers[0]] * 3, people="s")
    await _post(db, group, fine, [fine.answers[0]] * 8 + [_wrong(fine)] * 2, people="g")
    # Wrong answers spread over the options, but almost nobody right.
    options = [n for n in range(1, len(low.options) + 1) if n not in low.answers]
    spread = [options[i % len(options)] for i in range(10)] + [low.answers[0]]
    await _post(db, group, low, spread, people="l")

    refused = plain(await h.command("stats", who="민수"))
    assert "강사만 방 통계를 볼 수 있어요" in refused

    h.clock.advance(3600)
    text = plain(await h.command("stats", "week", who="관리자", admin=True))
    assert text.startswith("이 방의 통계 · 최근 7일")
    assert "참여 31명 · 답 31개" in text
    assert "정답을 확인해 주세요" in text
    flagged = text.split("정답을 확인해 주세요", 1)[1]
    assert suspect.stem[:15] in flagged and "70%가 오답" in flagged
    assert low.stem[:15] in flagged and "전체 정답률 9%" in flagged
    assert fine.stem[:15] not in flagged
    assert "최근 30일" in plain(await h.command("stats", "month", admin=True))
    assert plain(await h.command("stats", "year", admin=True)) == t("ko", "stats_usage")


def test_korean_names() -> None:
    from bot.dispatcher import parse_command

    hard = parse_command("/많이틀린문제 운영체제")
    stats = parse_command("/통계 월간")
    assert hard is not None and (hard.name, hard.args) == ("hard", "운영체제")
    assert stats is not None and (stats.name, stats.args) == ("stats", "월간")
