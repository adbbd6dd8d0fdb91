"""The review deck (오답노트): FSRS through the real package, sessions, privacy, reminders."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from fsrs import Card, Rating

from adapters.console import ConsoleAdapter
from bot.clock import FakeClock
from bot.config import Settings
from bot.content.loader import Library
from bot.dispatcher import parse_command
from bot.i18n import t
from bot.services.quiz import QuizService
from bot.services.registry import Registry
from bot.services.review import (
    PEER_BURST,
    ReviewItem,
    _forget_peers,
    _peers_many,
    fresh_card,
    rating_for,
    scheduler_for,
)
from bot.storage.db import Database
from bot.types import ChatRef, QuestionCard, TextReceived, UserRef
from bot.wiring import build_core
from tests.conftest import START, Harness, bodies, cards, make_harness, plain

DM = ChatRef("memory", "dm-민수", is_group=False)
DM_JIYEONG = ChatRef("memory", "dm-지영", is_group=False)


async def started(db: Database, library: Library, tmp_path: Path, **kw: object) -> Harness:
    h = make_harness(db, library, tmp_path, **kw)  # type: ignore[arg-type]
    await h.adapter.start(h.core.handle)
    await h.core.start()
    return h


def wrong_option(card: QuestionCard) -> int:
    return next(i for i in range(1, len(card.options) + 1) if i not in card.correct)


async def miss_a_quiz(h: Harness, who: str = "민수") -> QuestionCard:
    """Post a /quiz in the group, answer it wrong, and let it close."""
    await h.command("quiz", who=who)
    card = cards(h.adapter, h.chat)[-1]
    await h.choose(card.post_id, wrong_option(card), who=who)
    await h.advance(600)  # the quiz closes and its answer is revealed
    return card


def dm_texts(h: Harness, chat: ChatRef = DM) -> list[str]:
    return bodies(h.adapter, chat)


# --------------------------------------------------------------------- FSRS itself


async def test_peer_counts_agree_for_a_lone_answer_and_a_burst(db: Database) -> None:
    """The rating's (others' right answers, faster ones) is the same whether it is counted
    from the index (a lone answer) or from the sorted times a burst caches (SQLite)."""
    registry, quiz = Registry(db), QuizService(db)
    chat = await registry.chat_id(ChatRef("memory", "group-1", True), START)
    post = await quiz.open_post(
        chat_id=chat,
        question_id="q-peer",
        options_count=4,
        correct=(1,),
        kind="quiz",
        now=START,
        closes_at=START + timedelta(hours=1),
    )
    people, elapsed = [], {}
    for i in range(24):
        user = await registry.user_id(UserRef("memory", f"p{i}", f"사람{i}"))
        people.append(user)
        option = 1 if i % 4 else 2  # every fourth one wrong
        await quiz.record_answer(
            chat_id=chat,
            user_id=user,
            post_id=post,
            option=option,
            now=START + timedelta(seconds=3 + (i * 7) % 24),
        )
        if option == 1:
            elapsed[user] = ((3 + (i * 7) % 24) * 1000, i)

    def expected(user: int) -> tuple[int, int]:
        mine = elapsed[user][0]
        others = [ms for other, (ms, _) in elapsed.items() if other != user]
        return len(others), sum(ms < mine for ms in others)

    right = [u for u in people if u in elapsed]
    items = [
        ReviewItem(u, "q-peer", post, "quiz", True, elapsed[u][0], START + timedelta(minutes=1))
        for u in right
    ]
    assert len(items) >= PEER_BURST

    def run(conn: object, batch: list[ReviewItem]) -> list[tuple[int, int]]:
        _forget_peers(conn)  # type: ignore[arg-type]
        return _peers_many(conn, batch)  # type: ignore[arg-type]

    alone = [(await db.run_write(run, [item]))[0] for item in items]
    burst = await db.run_write(run, items)
    assert alone == burst == [expected(u) for u in right]
    assert len({faster for _peers, faster in alone}) > 3  # the times really differ


def test_rating_mapping() -> None:
    assert rating_for(False, 0, 100) is Rating.Again
    assert rating_for(True, 0, 2) is Rating.Good  # too few others to compare with
    assert rating_for(True, 0, 10) is Rating.Easy  # faster than everyone
    assert rating_for(True, 2, 10) is Rating.Easy  # within the fastest quarter
    assert rating_for(True, 5, 10) is Rating.Good  # at the median
    assert rating_for(True, 8, 10) is Rating.Hard  # slower than most


def test_package_schedules_wrong_sooner_than_right() -> None:
    now = START
    scheduler = scheduler_for(0.9)
    again, _ = scheduler.review_card(fresh_card(1, now), Rating.Again, now)
    good, _ = scheduler.review_card(fresh_card(2, now), Rating.Good, now)
    easy, _ = scheduler.review_card(fresh_card(3, now), Rating.Easy, now)
    assert again.due < good.due < easy.due
    # A lower desired retention spaces a learned card further out.
    later = now + timedelta(days=3)
    strict, _ = scheduler_for(0.95).review_card(easy, Rating.Good, later)
    loose, _ = scheduler_for(0.8).review_card(easy, Rating.Good, later)
    assert strict.due < loose.due


async def test_stored_card_and_log_round_trip(db: Database, library: Library) -> None:
    from bot.services.registry import Registry
    from bot.services.review import ReviewService
    from bot.types import UserRef

    registry = Registry(db)
    alice = await registry.user_id(UserRef("memory", "a", "A"))
    bob = await registry.user_id(UserRef("memory", "b", "B"))
    service = ReviewService(db)
    question = next(iter(library.questions))
    now = START
    wrong = await service.record(
        user_id=alice,
        question_id=question,
        post_id=None,
        kind="quiz",
        correct=False,
        elapsed_ms=4000,
        now=now,
    )
    right = await service.record(
        user_id=bob,
        question_id=question,
        post_id=None,
        kind="quiz",
        correct=True,
        elapsed_ms=4000,
        now=now,
    )
    assert wrong is not None and right is not None
    assert wrong.rating is Rating.Again and wrong.added
    assert right.rating is Rating.Good and not right.added
    assert wrong.card.due < right.card.due

    # The stored state is the package's card, field for field; the log is its ReviewLog.
    stored = await service.card(alice, question)
    assert stored is not None
    assert stored.card.to_dict() == wrong.card.to_dict()
    assert Card.from_dict(stored.card.to_dict()).to_dict() == wrong.card.to_dict()
    assert stored.deck_no == 1
    # Reviewing the stored card again goes on from where the package left it.
    later = now + timedelta(minutes=2)
    again = await service.record(
        user_id=alice,
        question_id=question,
        post_id=None,
        kind="review",
        correct=True,
        elapsed_ms=3000,
        now=later,
    )
    assert again is not None
    expected, _ = scheduler_for(0.9).review_card(wrong.card, Rating.Good, later, 3000)
    assert again.card.to_dict() == expected.to_dict()
    logs = await service.logs(alice, question)
    assert [log.rating for log in logs] == [Rating.Again, Rating.Good]
    assert logs[0].review_datetime == now and logs[1].review_duration == 3000
    # The card replays from its log through the package to the same state.
    replayed = scheduler_for(0.9).reschedule_card(fresh_card(stored.card_id, now), logs)
    assert replayed.due == again.card.due and replayed.state == again.card.state
    # Bob's right answer left his card out of the deck; Alice's deck holds one card.
    assert await service.due_count(bob, later + timedelta(days=30)) == 0
    assert (await service.deck(alice))[1] == 1


async def test_a_post_is_reviewed_once(db: Database, library: Library, tmp_path: Path) -> None:
    h = await started(db, library, tmp_path)
    await h.command("quiz")
    card = cards(h.adapter, h.chat)[-1]
    await h.choose(card.post_id, wrong_option(card))
    await h.choose(card.post_id, card.correct[0])  # a second answer is refused
    review = h.core.rt.services.review
    user_id = await h.core.rt.services.registry.user_id(h.user("민수"))
    question = await h.core.rt.services.quiz.question_of(card.post_id)
    assert question is not None
    assert len(await review.logs(user_id, question)) == 1
    # A redelivered answer (the hook run twice for one post) changes nothing.
    again = await review.record(
        user_id=user_id,
        question_id=question,
        post_id=card.post_id,
        kind="quiz",
        correct=True,
        elapsed_ms=1,
        now=h.clock.now(),
    )
    assert again is None


# --------------------------------------------------------------------- a session


async def test_review_session_from_wrong_answer_to_done(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    missed = await miss_a_quiz(h)
    # The wrong answer put the question in the deck; it is due (FSRS: Again → 1 minute).
    await h.command("review", chat=DM)
    served = cards(h.adapter, DM)
    assert len(served) == 1
    assert served[0].stem == missed.stem and served[0].options == missed.options
    assert served[0].header.startswith("복습 카드 #1")
    assert "복습을 시작할게요. 지금 볼 카드가 1장 있어요." in dm_texts(h)
    # Answering in the private chat (a bare number, as on the console) reveals it privately.
    await h.adapter.deliver(TextReceived(DM, h.user("민수"), str(served[0].correct[0])))
    texts = dm_texts(h)
    assert any(t.startswith("정답이에요!") and "해설:" in t for t in texts), texts
    # Learning step two: FSRS brings it back in ten minutes, today.
    assert texts[-1] == "오늘 복습 끝! 다음 복습: 오늘 09:20에 1장", texts
    # Ten minutes on, it is due again; right once more and it graduates to days away.
    await h.advance(600)
    await h.command("review", chat=DM)
    second = cards(h.adapter, DM)[-1]
    assert second.post_id != served[0].post_id
    await h.choose(second.post_id, second.correct[0], chat=DM)
    done = dm_texts(h)[-1]
    assert done.startswith("오늘 복습 끝! 다음 복습: ") and ("내일" in done or "일 뒤" in done), (
        done
    )
    # Nothing was said in the group, and reviews scored nothing there or anywhere.
    assert all("복습" not in t for t in bodies(h.adapter, h.chat))
    assert "10점" not in plain(await h.command("top", "all"))
    assert "10점" not in plain(await h.command("top", "all", chat=DM))
    await h.command("review", chat=DM)
    assert dm_texts(h)[-1].startswith("지금 복습할 카드가 없어요. 다음 복습: ")


async def test_wrong_review_answer_comes_back_sooner(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await miss_a_quiz(h)
    await h.command("review", chat=DM)
    card = cards(h.adapter, DM)[-1]
    await h.choose(card.post_id, wrong_option(card), chat=DM)
    texts = dm_texts(h)
    assert any(t.startswith("아쉬워요, 틀렸어요.\n정답: ") for t in texts), texts
    assert "(평가: 다시)" in "\n".join(texts)
    assert texts[-1] == "오늘 복습 끝! 다음 복습: 오늘 09:11에 1장"  # Again: one minute


async def test_review_posts_stay_off_the_boards(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await miss_a_quiz(h)
    await h.command("review", chat=DM)
    card = cards(h.adapter, DM)[-1]
    await h.choose(card.post_id, card.correct[0], chat=DM)
    # The board rebuilt from the answers agrees with the kept totals: nothing for reviews.
    assert await h.core.rt.services.scores.check() == []
    top = plain(await h.command("top", "all", chat=DM))
    assert "10점" not in top


# --------------------------------------------------------------------- group vs private


async def test_group_gets_a_count_and_a_pointer_never_a_deck(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    missed = await miss_a_quiz(h)
    before = len(cards(h.adapter, h.chat))
    reply = plain(await h.command("review"))
    assert "민수 님, 지금 복습할 카드가 1장 있어요." in reply and "개인 대화" in reply
    assert len(cards(h.adapter, h.chat)) == before  # no card is posted in the group
    listing = plain(await h.command("review", "list"))
    assert "개인 대화에서만" in listing and missed.stem[:10] not in listing
    # Someone else's /review speaks of their own (empty) deck only.
    other = plain(await h.command("review", who="지영"))
    assert "지영 님, 지금 복습할 카드는 없어요." in other
    assert "오답노트가 비어 있어요" in plain(
        await h.command("review", "list", who="지영", chat=DM_JIYEONG)
    )
    mine = plain(await h.command("review", "list", chat=DM))
    assert "내 오답노트 1장 (지금 복습할 카드 1장)" in mine and "1. " in mine


async def test_another_person_cannot_answer_my_review_card(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await miss_a_quiz(h)
    await h.command("review", chat=DM)
    card = cards(h.adapter, DM)[-1]
    refused = plain(await h.choose(card.post_id, card.correct[0], who="지영", chat=h.chat))
    assert refused == t("ko", "answer_foreign")  # a post of another chat: refused
    assert await h.core.rt.services.quiz.answer_count(card.post_id) == 0


async def test_add_and_remove_by_number(db: Database, library: Library, tmp_path: Path) -> None:
    h = await started(db, library, tmp_path)
    await h.command("quiz")
    card = cards(h.adapter, h.chat)[-1]
    refused = plain(await h.command("review", f"add {card.post_id}"))
    assert "아직 마감 전이에요" in refused  # adding an open question would leak its answer
    await h.choose(card.post_id, card.correct[0])
    await h.advance(600)
    added = plain(await h.command("review", f"add {card.post_id}"))
    assert f"#{card.post_id} 문제를 오답노트 1번으로 넣었어요." in added
    assert "이미 오답노트 1번에" in plain(await h.command("review", f"추가 {card.post_id}"))
    assert "찾지 못했어요" in plain(await h.command("review", "add 999"))
    assert "2번 카드가 없어요" in plain(await h.command("review", "remove 2"))
    assert "1번 카드를 뺐어요" in plain(await h.command("review", "remove 1", chat=DM))
    assert "오답노트가 비어 있어요" in plain(await h.command("review", "목록", chat=DM))
    parsed = parse_command("/복습 목록")
    assert parsed is not None and parsed.name == "review" and parsed.args == "목록"


async def test_retention_setting_and_help(db: Database, library: Library, tmp_path: Path) -> None:
    h = await started(db, library, tmp_path)
    assert "90%" in plain(await h.command("review", "retention", chat=DM))
    assert "85%로 바꿨어요" in plain(await h.command("review", "retention 0.85", chat=DM))
    assert "70~97%" in plain(await h.command("review", "retention 0.5", chat=DM))
    user_id = await h.core.rt.services.registry.user_id(h.user("민수"))
    assert (await h.core.rt.services.review.settings(user_id)).retention == 0.85
    text = plain(await h.command("help", "review"))
    assert "틀리면 다시(Again)" in text and "쉬움(Easy)" in text and "어려움(Hard)" in text
    assert "/review" in plain(await h.command("help"))


# --------------------------------------------------------------------- the reminder


async def test_reminder_once_a_day_across_a_restart(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await miss_a_quiz(h)
    set_reply = plain(await h.command("review", "time 21:00", chat=DM))
    assert "매일 21:00(Asia/Seoul)에" in set_reply
    reminder = "복습할 카드가 1장 있어요. 시작하기: /복습"
    # 09:10 Seoul now; at 21:00 the card is due and one reminder goes to the private chat.
    await h.advance(timedelta(hours=11, minutes=50).total_seconds())
    assert dm_texts(h).count(reminder) == 1
    # A restart within the grace does not send it again.
    h2 = make_harness(db, library, tmp_path, clock=h.clock, adapter=h.adapter)
    await h2.core.start()
    await h2.advance(60)
    assert dm_texts(h).count(reminder) == 1
    # The next evening brings the next one (the card is still due), once.
    await h2.advance(timedelta(hours=24).total_seconds())
    assert dm_texts(h).count(reminder) == 2
    # Off means off.
    await h2.command("review", "time off", chat=DM)
    await h2.advance(timedelta(hours=24).total_seconds())
    assert dm_texts(h).count(reminder) == 2


async def test_no_reminder_when_nothing_is_due(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await h.command("review", "time 21:00", chat=DM)
    await h.advance(timedelta(hours=13).total_seconds())
    assert not any(t.startswith("복습할 카드가") for t in dm_texts(h))


async def test_reminder_set_in_a_group_asks_for_a_private_chat(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await miss_a_quiz(h)
    reply = plain(await h.command("review", "time 21:00"))
    assert "먼저 메시지를 보낼 수 없어요" in reply and "/시작" in reply
    # Once the person opens a private chat and sends /start, the reminder has somewhere to go.
    await h.command("start", chat=DM)
    await h.advance(timedelta(hours=12).total_seconds())
    assert "복습할 카드가 1장 있어요. 시작하기: /복습" in dm_texts(h)


# --------------------------------------------------------------------- the console


async def test_console_private_chat_review(db: Database, library: Library, tmp_path: Path) -> None:
    clock = FakeClock(START)
    core = build_core(Settings(data_dir=tmp_path), db, library, clock=clock)
    lines = [
        "/quiz",
        "/reveal",
        "/dm",
        "/review add 1",
        "/review",
        "1",
        "/as 지영",
        "/review list",
        "/group",
        "/review",
        "/quit",
    ]
    out = io.StringIO()
    console = ConsoleAdapter(user_name="나", stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    core.attach(console)
    await console.start(core.handle)
    await core.start()
    await console.run()
    text = out.getvalue()
    assert "이제 나 님과 봇의 개인 대화예요." in text
    assert "#1 문제를 오답노트 1번으로 넣었어요." in text
    assert "복습 카드 #1" in text
    assert "정답이에요!" in text or "아쉬워요, 틀렸어요." in text
    assert "오늘 복습 끝! 다음 복습: 오늘" in text
    # 지영's private chat is hers: her deck is empty.
    assert "오답노트가 비어 있어요" in text.split("/review list", 1)[1]
    assert "단체방으로 돌아왔어요." in text
    assert "지영 님, 지금 복습할 카드는 없어요." in text
    assert console.chat == ChatRef("console", "console", True)


def test_console_dm_chat_refs() -> None:
    console = ConsoleAdapter(user_name="나", stdin=io.StringIO(""), stdout=io.StringIO())
    assert console.chat.is_group
    assert console.private_chat() == ChatRef("console", "dm-나", is_group=False)
