"""Boards from maintained totals (issue 17), closed questions only (11.4), no rank at zero (11.15).

Every storage test here runs on SQLite and, with STUDYBOT_TEST_POSTGRES_URL set, PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from bot.features.contests import podium
from bot.services.contests import ContestService
from bot.services.quiz import QuizService
from bot.services.scores import Board, ScoreService, check_totals, competition_ranks, rebuild_totals
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.tables import answers, chats, posts, users
from bot.types import Leaderboard
from tests.conftest import Harness, cards, plain

try:  # the handlers are being regrouped; the calendar is the same either way
    from bot.handlers.scores import period_bounds
except ImportError:  # pragma: no cover
    from bot.handlers.board import period_bounds  # type: ignore[no-redef]

SEOUL = "Asia/Seoul"


# --- 11.4: an open question gives nothing away -------------------------------------------


async def test_open_question_counts_on_no_board_until_it_closes(harness: Harness) -> None:
    h = harness
    await h.command("quiz", who="출제자")
    card = cards(h.adapter)[-1]
    await h.choose(card.post_id, card.correct[0], who="민수")
    for period in ("", "today", "week", "month"):
        assert "아직 점수가 없어요" in plain(await h.command("top", period, who="지영"))
    me = plain(await h.command("me", who="민수"))
    assert "정답률 100%" not in me and "1위" not in me and "10점" not in me
    await h.command("reveal", who="출제자")
    for period in ("", "today", "week", "month"):
        board = (await h.command("top", period, who="지영"))[0]
        assert isinstance(board, Leaderboard)
        assert [(r.rank, r.name, r.points) for r in board.rows] == [(1, "민수", 10)]
    assert "점수 10점 · 1위 / 1명" in plain(await h.command("me", who="민수"))


# --- 11.15: nobody ranks at zero ------------------------------------------------------


async def test_zero_scores_are_not_ranked(harness: Harness) -> None:
    h = harness
    await h.command("quiz", who="출제자")
    card = cards(h.adapter)[-1]
    wrong = card.correct[0] % len(card.options) + 1
    people = [f"학생{i:02d}" for i in range(23)]
    for name in people:
        await h.choose(card.post_id, wrong, who=name)
    await h.command("reveal", who="출제자")
    assert "아직 점수가 없어요" in plain(await h.command("top", who="학생00"))
    assert "아직 점수가 없어요" in plain(await h.command("top", "today", who="학생00"))
    me = plain(await h.command("me", who="학생00"))
    assert "1위" not in me and "23명" not in me and "아직 순위가 없어요" in me

    rt = h.core.rt
    chat_id = await rt.db.run_read(lambda c: c.execute(select(chats.c.id)).scalar_one())
    user_id = await rt.db.run_read(
        lambda c: c.execute(select(users.c.id).where(users.c.display_name == "학생00")).scalar()
    )
    scores = ScoreService(rt.db)
    record = await scores.record(chat_id, user_id)
    assert record is not None
    assert (record.points, record.answered, record.rank, record.players) == (0, 1, None, 0)
    assert await scores.standing(chat_id, user_id) is None

    # One right answer later: one person ranked, the others still not counted.
    await h.command("quiz", who="출제자")
    card = cards(h.adapter)[-1]
    await h.choose(card.post_id, card.correct[0], who="학생05")
    await h.choose(card.post_id, card.correct[0] % len(card.options) + 1, who="학생00")
    await h.command("reveal", who="출제자")
    board = (await h.command("top", who="학생00"))[0]
    assert isinstance(board, Leaderboard)
    assert [(r.rank, r.name, r.points) for r in board.rows] == [(1, "학생05", 10)]
    assert board.caller is None and "학생00" not in board.fallback
    assert "1위 / 1명" in plain(await h.command("me", who="학생05"))
    record = await scores.record(chat_id, user_id)
    assert record is not None and (record.answered, record.rank, record.players) == (2, None, 1)


async def _chat_and_users(db: Database, n: int, zone: str | None = None) -> tuple[int, list[int]]:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    async with db.write() as conn:
        key = f"c{random.random()}"
        chat_id = (
            await conn.execute(
                insert(chats)
                .values(platform="t", chat_key=key, is_group=True, timezone=zone, created_at=now)
                .returning(chats.c.id)
            )
        ).scalar_one()
        ids = []
        for i in range(n):
            uid = (
                await conn.execute(
                    insert(users)
                    .values(platform="t", user_key=f"{key}-{i}", display_name=f"u{i}")
                    .returning(users.c.id)
                )
            ).scalar_one()
            ids.append(uid)
    return chat_id, ids


async def test_contest_podium_gives_no_medal_for_zero_and_contests_stay_off_the_board(
    db: Database,
) -> None:
    quiz, contests, scores = QuizService(db), ContestService(db), ScoreService(db)
    chat_id, (a, b, c) = await _chat_and_users(db, 3)
    now = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    contest = await contests.start(chat_id, a, 1, 20, now)
    assert contest is not None
    post_id = await quiz.open_post(
        chat_id=chat_id,
        question_id="q",
        options_count=4,
        correct=(2,),
        kind="contest",
        now=now,
        closes_at=now + timedelta(seconds=20),
        contest_id=contest.id,
    )
    for uid in (a, b, c):
        await quiz.record_answer(
            chat_id=chat_id, user_id=uid, post_id=post_id, option=3, now=now + timedelta(seconds=2)
        )
    await quiz.close(post_id, now + timedelta(seconds=20))
    assert await contests.standings(contest.id) == []
    text = podium([], "ko")
    assert "🥇" not in text and "0점" not in text and "점수를 얻은 사람이 없어요" in text

    # A right contest answer is in the contest's standings, never on the chat's boards.
    post_id = await quiz.open_post(
        chat_id=chat_id,
        question_id="q2",
        options_count=4,
        correct=(2,),
        kind="contest",
        now=now,
        closes_at=now + timedelta(seconds=20),
        contest_id=contest.id,
    )
    await quiz.record_answer(chat_id=chat_id, user_id=b, post_id=post_id, option=2, now=now)
    await quiz.close(post_id, now + timedelta(seconds=20))
    standings = await contests.standings(contest.id)
    assert [(p.rank, p.user_id, p.points) for p in standings] == [(1, b, 1000)]
    assert "🥇 u1 — 1000점 (정답 1개)" in podium(standings, "ko")
    assert (await scores.board(chat_id, b)).top == []
    start, end = period_bounds("today", now, ZoneInfo(SEOUL))
    assert (await scores.period_board(chat_id, b, start, end)).players == 0
    assert await scores.check(SEOUL, now) == []


# --- 17: boards from totals equal boards from answers -----------------------------------


def _reference(rows: list[tuple[int, int, bool]], user_ids: list[int]) -> dict:
    per: dict[int, list[int]] = {}
    for uid, points, correct in rows:
        got = per.setdefault(uid, [0, 0, 0])
        got[0] += points
        got[1] += 1
        got[2] += int(correct)
    ranked = sorted(((u, t) for u, t in per.items() if t[0] > 0), key=lambda x: (-x[1][0], x[0]))
    ranks = competition_ranks([t[0] for _, t in ranked])
    top = [(r, u, *t) for r, (u, t) in zip(ranks, ranked, strict=True)]
    mine = {u: next((s for s in top if s[1] == u), None) for u in user_ids}
    return {"top": top, "players": len(top), "mine": mine}


def _observed(board: Board) -> list[tuple[int, ...]]:
    return [(s.rank, s.user_id, s.points, s.answered, s.correct) for s in board.top]


async def _closed_answers(db: Database, chat_id: int) -> list:
    async with db.read() as conn:
        return (
            await conn.execute(
                select(
                    answers.c.user_id, answers.c.points, answers.c.correct, answers.c.answered_at
                )
                .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
                .where(
                    answers.c.chat_id == chat_id,
                    posts.c.closed_at.is_not(None),
                    posts.c.kind != "contest",
                )
            )
        ).all()


async def _reference_streaks(db: Database, chat_id: int, user_ids: list[int]) -> dict[int, int]:
    """The old algorithm (newest daily post first), over closed daily posts only."""
    async with db.read() as conn:
        daily = (
            (
                await conn.execute(
                    select(posts.c.id)
                    .where(
                        posts.c.chat_id == chat_id,
                        posts.c.kind == "daily",
                        posts.c.closed_at.is_not(None),
                    )
                    .order_by(posts.c.id.desc())
                )
            )
            .scalars()
            .all()
        )
        got = (
            await conn.execute(
                select(answers.c.post_id, answers.c.user_id, answers.c.correct).where(
                    answers.c.post_id.in_(daily or [-1])
                )
            )
        ).all()
    right = {(g.post_id, g.user_id) for g in got if g.correct}
    out = {}
    for uid in user_ids:
        n = 0
        for post_id in daily:
            if (post_id, uid) not in right:
                break
            n += 1
        out[uid] = n
    return out


async def _compare(db: Database, chat_id: int, zone: ZoneInfo, uids: list[int], instants) -> int:
    scores = ScoreService(db)
    rows = await _closed_answers(db, chat_id)
    compared = 0
    for now in instants:
        for period in ("today", "week", "month"):
            start, end = period_bounds(period, now, zone)
            want = _reference(
                [
                    (r.user_id, r.points, bool(r.correct))
                    for r in rows
                    if start <= r.answered_at.replace(tzinfo=r.answered_at.tzinfo or UTC) < end
                ],
                uids,
            )
            board = await scores.period_board(chat_id, uids[0], start, end, limit=100)
            assert _observed(board) == want["top"], (period, now)
            assert board.players == want["players"], (period, now)
            for uid in uids:
                caller = (await scores.period_board(chat_id, uid, start, end, limit=3)).caller
                mine = want["mine"][uid]
                got = (
                    None
                    if caller is None
                    else (
                        caller.rank,
                        caller.user_id,
                        caller.points,
                        caller.answered,
                        caller.correct,
                    )
                )
                assert got == mine, (period, now, uid)
            compared += 1
    want = _reference([(r.user_id, r.points, bool(r.correct)) for r in rows], uids)
    board = await scores.board(chat_id, None, limit=100)
    assert _observed(board) == want["top"] and board.players == want["players"]
    for uid in uids:
        standing = await scores.standing(chat_id, uid)
        got = (
            None
            if standing is None
            else (
                standing.rank,
                standing.user_id,
                standing.points,
                standing.answered,
                standing.correct,
            )
        )
        assert got == want["mine"][uid]
        record = await scores.record(chat_id, uid)
        if record is not None:
            assert record.rank == (want["mine"][uid][0] if want["mine"][uid] else None)
            assert record.players == want["players"]
    assert await scores.streaks(chat_id, uids) == await _reference_streaks(db, chat_id, uids)
    return compared


async def test_boards_from_totals_equal_boards_from_answers(db: Database) -> None:
    rng = random.Random(17)
    quiz = QuizService(db, zone=SEOUL)
    # 2026-10-29 .. 11-05 crosses a month, a Monday (11-02) and, in New York, the end of
    # daylight saving time (11-01 02:00 local): local days there are 23, 24 and 25 hours.
    begin = datetime(2026, 10, 29, 0, 0, tzinfo=UTC)
    hours = 7 * 24
    setups = [(None, SEOUL), ("America/New_York", "America/New_York"), ("UTC", "UTC")]
    chats_: list[tuple[int, list[int], ZoneInfo]] = []
    events: list[tuple[datetime, int, str, object]] = []
    for stored_zone, zone_name in setups:
        chat_id, uids = await _chat_and_users(db, 9, stored_zone)
        chats_.append((chat_id, uids, ZoneInfo(zone_name)))
        # One daily post a day, closing before the next opens, plus random quiz and contest
        # posts, some spanning local midnight and some left open at the end.
        plan = [("daily", begin + timedelta(hours=24 * d + 3), 20) for d in range(7)]
        for _ in range(14):
            kind = rng.choice(["quiz", "quiz", "quiz", "contest"])
            plan.append(
                (kind, begin + timedelta(minutes=rng.randrange(hours * 60)), 1 + rng.randrange(14))
            )
        for kind, opened, open_hours in plan:
            closes = opened + timedelta(hours=open_hours)
            post_id = await quiz.open_post(
                chat_id=chat_id,
                question_id=f"q{rng.randrange(50)}",
                options_count=4,
                correct=(rng.randint(1, 4),),
                kind=kind,
                now=opened,
                closes_at=closes,
            )
            for uid in rng.sample(uids, rng.randint(2, len(uids))):
                at = opened + timedelta(seconds=rng.randrange(open_hours * 3600))
                events.append((at, 0, "answer", (chat_id, uid, post_id, rng.randint(1, 4))))
            if closes < begin + timedelta(hours=hours - 6):
                events.append((closes, 1, "close", post_id))
    events.sort(key=lambda e: (e[0], e[1]))
    for at, _, what, payload in events:
        if what == "answer":
            chat_id, uid, post_id, option = payload  # type: ignore[misc]
            await quiz.record_answer(
                chat_id=chat_id, user_id=uid, post_id=post_id, option=option, now=at
            )
        else:
            await quiz.close(payload, at)  # type: ignore[arg-type]
    instants = [begin + timedelta(hours=h) for h in range(0, hours + 1, 5)]
    end = begin + timedelta(hours=hours)
    assert await ScoreService(db).check(SEOUL, end) == []
    compared = 0
    for chat_id, uids, zone in chats_:
        compared += await _compare(db, chat_id, zone, uids, instants)
    assert compared == 3 * 3 * len(instants)

    # The migration's builder gives the same totals as closing posts one by one did.
    await db.run_write(rebuild_totals, SEOUL)
    assert await db.run_read(check_totals, SEOUL, end) == []
    for chat_id, uids, zone in chats_:
        await _compare(db, chat_id, zone, uids, instants)


async def test_check_finds_a_total_that_drifted(db: Database) -> None:
    quiz = QuizService(db)
    chat_id, (a, _b) = await _chat_and_users(db, 2)
    now = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    post_id = await quiz.open_post(
        chat_id=chat_id,
        question_id="q",
        options_count=4,
        correct=(1,),
        kind="quiz",
        now=now,
        closes_at=now + timedelta(minutes=10),
    )
    await quiz.record_answer(chat_id=chat_id, user_id=a, post_id=post_id, option=1, now=now)
    await quiz.close(post_id, now + timedelta(minutes=1))
    scores = ScoreService(db)
    assert await scores.check(SEOUL, now) == []
    from sqlalchemy import update

    from bot.storage.tables import board_totals

    async with db.write() as conn:
        await conn.execute(
            update(board_totals).where(board_totals.c.period == "w").values(points=20)
        )
    problems = await scores.check(SEOUL, now)
    assert problems and "w:" in problems[0] and f"user {a}" in problems[0]


async def test_migration_builds_totals_from_stored_answers(db: Database) -> None:
    """Rows written under revision 0002 (scores counted open posts too) are rebuilt."""
    # The fixture migrated to head; step back to 0002 and load the old shape of data.
    from alembic import command

    from bot.storage.migrate import alembic_config

    cfg = alembic_config()

    def down(connection) -> None:  # type: ignore[no-untyped-def]
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0002")

    async with db.engine.begin() as conn:
        await conn.run_sync(down)
    chat_id, (a, b) = await _chat_and_users(db, 2)
    t0 = datetime(2026, 11, 29, 14, 30, tzinfo=UTC)  # Sunday 23:30 Seoul
    async with db.write() as conn:
        ids = []
        for k, (kind, closed) in enumerate(
            [("quiz", True), ("daily", True), ("contest", True), ("quiz", False)]
        ):
            opened = t0 + timedelta(minutes=30 * k)
            ids.append(
                (
                    await conn.execute(
                        insert(posts)
                        .values(
                            chat_id=chat_id,
                            question_id="q",
                            kind=kind,
                            options_count=4,
                            correct="1",
                            opened_at=opened,
                            closes_at=opened + timedelta(hours=2),
                            closed_at=opened + timedelta(hours=2) if closed else None,
                        )
                        .returning(posts.c.id)
                    )
                ).scalar_one()
            )
        for k, post_id in enumerate(ids):
            for uid, right in ((a, True), (b, k % 2 == 0)):
                await conn.execute(
                    insert(answers).values(
                        post_id=post_id,
                        chat_id=chat_id,
                        user_id=uid,
                        option=1 if right else 2,
                        correct=right,
                        points=(700 if k == 2 else 10) if right else 0,
                        elapsed_ms=1000,
                        answered_at=t0 + timedelta(minutes=30 * k + 20),
                    )
                )
    await upgrade(db)
    scores = ScoreService(db)
    now = t0 + timedelta(hours=3)
    assert await scores.check(SEOUL, now) == []
    board = await scores.board(chat_id, None)
    # a: quiz 10 + daily 10; b: quiz 10 (the contest and the open quiz do not count).
    assert [(s.user_id, s.points, s.answered) for s in board.top] == [(a, 20, 2), (b, 10, 2)]
    seoul = ZoneInfo(SEOUL)
    sunday = period_bounds("today", t0, seoul)
    monday = period_bounds("today", now, seoul)
    assert [
        (s.user_id, s.points) for s in (await scores.period_board(chat_id, a, *sunday)).top
    ] == [
        (a, 10),
        (b, 10),
    ]
    week = period_bounds("week", now, seoul)
    assert [(s.user_id, s.points) for s in (await scores.period_board(chat_id, a, *week)).top] == [
        (a, 10)
    ]
    assert (await scores.period_board(chat_id, a, *monday)).players == 1
    assert await scores.streaks(chat_id, [a, b]) == {a: 1, b: 0}
