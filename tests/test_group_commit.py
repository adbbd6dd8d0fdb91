"""Group commit: answers that arrive together share a transaction, each keeps its outcome."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from bot.services.quiz import AnswerOutcome, AnswerStatus, QuizService
from bot.services.registry import Registry
from bot.storage.db import Database
from bot.storage.group_commit import GroupCommit
from bot.storage.tables import answers
from bot.types import ChatRef, UserRef

NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
PEOPLE = 12


def _engines(db: Database) -> list[Any]:
    return [e for e in (db.engine.sync_engine, getattr(db, "_sync", None)) if e is not None]


class Begins:
    """BEGINs the database saw, on whichever engine the writes took."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        self.engines = _engines(db)
        for engine in self.engines:
            event.listen(engine, "begin", self._begin)

    def _begin(self, *_args: object) -> None:
        self.count += 1

    def close(self) -> None:
        for engine in self.engines:
            event.remove(engine, "begin", self._begin)


async def _scene(db: Database, tag: str) -> tuple[QuizService, list[dict[str, Any]]]:
    """Posts and people for one run, and the answers to record, in arrival order."""
    registry, quiz = Registry(db), QuizService(db)
    here = await registry.chat_id(ChatRef("t", f"{tag}-here", True), NOW)
    there = await registry.chat_id(ChatRef("t", f"{tag}-there", True), NOW)
    people = [await registry.user_id(UserRef("t", f"{tag}-{i}", f"p{i}")) for i in range(PEOPLE)]

    async def post(chat: int, closes: timedelta | None) -> int:
        return await quiz.open_post(
            chat_id=chat,
            question_id="q",
            options_count=4,
            correct=(2,),
            kind="quiz",
            now=NOW,
            closes_at=NOW + closes if closes is not None else None,
        )

    open_ = await post(here, timedelta(minutes=10))
    closed = await post(here, timedelta(seconds=-1))
    elsewhere = await post(there, None)
    later = NOW + timedelta(seconds=3)
    calls: list[dict[str, Any]] = []
    for i, person in enumerate(people):
        base = {"chat_id": here, "user_id": person, "now": later}
        calls.append({**base, "post_id": open_, "option": 1 + i % 4})  # accepted
        calls.append({**base, "post_id": open_, "option": 2})  # duplicate of the one before
        calls.append({**base, "post_id": closed, "option": 2})  # closed
        calls.append({**base, "post_id": elsewhere, "option": 1})  # foreign
        calls.append({**base, "post_id": open_ + 10_000, "option": 1})  # unknown
    # Out of range, from someone whose next (valid) answer then counts.
    newcomer = await registry.user_id(UserRef("t", f"{tag}-late", "late"))
    late = {"chat_id": here, "user_id": newcomer, "now": later, "post_id": open_}
    calls += [{**late, "option": 9}, {**late, "option": 2}, {**late, "option": 3}]
    return quiz, calls


def _plain(outcome: AnswerOutcome, first_post: int) -> AnswerOutcome:
    """Post ids differ between the two runs; everything else must not."""
    return replace(outcome, post_id=outcome.post_id - first_post)


async def test_concurrent_answers_get_the_serial_outcomes_in_fewer_transactions(
    db: Database,
) -> None:
    quiz, calls = await _scene(db, "serial")
    begins = Begins(db)
    try:
        serial = [await quiz.record_answer(**c) for c in calls]
        serial_tx = begins.count
        quiz2, calls2 = await _scene(db, "together")
        begins.count = 0
        together = await asyncio.gather(*(quiz2.record_answer(**c) for c in calls2))
        together_tx = begins.count
    finally:
        begins.close()
    statuses = {o.status for o in serial}
    assert statuses == set(AnswerStatus)  # every kind of outcome is in the mix
    first, first2 = calls[0]["post_id"], calls2[0]["post_id"]
    assert [_plain(o, first2) for o in together] == [_plain(o, first) for o in serial]
    assert serial_tx == len(calls)
    assert together_tx <= 2, f"{len(calls)} answers took {together_tx} transactions"
    async with db.read() as conn:
        stored = (await conn.execute(select(func.count()).select_from(answers))).scalar_one()
    accepted = sum(o.status is AnswerStatus.ACCEPTED for o in serial)
    assert stored == 2 * accepted == 2 * (PEOPLE + 1)


async def test_one_bad_write_fails_only_its_caller(db: Database) -> None:
    group = GroupCommit(db, window=0.01)

    def good(conn: Any, n: int) -> int:
        return n

    def bad(conn: Any, n: int) -> int:
        raise ValueError(f"bad {n}")

    results = await asyncio.gather(
        group.run(good, 1), group.run(bad, 2), group.run(good, 3), return_exceptions=True
    )
    assert results[0] == 1 and results[2] == 3
    assert isinstance(results[1], ValueError)


async def test_a_full_batch_does_not_wait_for_the_window(db: Database) -> None:
    group = GroupCommit(db, window=30.0, max_batch=5)

    def echo(conn: Any, n: int) -> int:
        return n

    async with asyncio.timeout(10):
        assert await asyncio.gather(*(group.run(echo, n) for n in range(5))) == list(range(5))
    assert group.transactions == 1


@pytest.mark.parametrize("window", [0.0, 0.002])
async def test_a_lone_write_is_not_held_up(db: Database, window: float) -> None:
    group = GroupCommit(db, window=window)

    def echo(conn: Any, n: int) -> int:
        return n

    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await group.run(echo, 7) == 7
    assert loop.time() - started < 1.0


async def test_answers_with_their_card_writes_get_the_serial_outcomes(db: Database) -> None:
    """record_answer(review=True) of group answers: each accepted answer queues its
    review-card write in the same set-based batch, and once the backlog is applied every
    outcome, card and deck number is as one by one."""
    from bot.services.review import drain_backlog
    from bot.services.review_backlog import backlog_size
    from bot.storage.tables import review_cards, review_logs

    async def run(tag: str, together: bool) -> tuple[list[Any], list[tuple[Any, ...]], int]:
        quiz, calls = await _scene(db, tag)
        calls = [{**c, "review": True} for c in calls]
        if together:
            begins = Begins(db)
            try:
                outcomes = list(await asyncio.gather(*(quiz.record_answer(**c) for c in calls)))
            finally:
                begins.close()
            # The answers and their card writes in as few transactions as the answers alone.
            assert begins.count <= 2, f"{len(calls)} answers took {begins.count} transactions"
        else:
            outcomes = [await quiz.record_answer(**c) for c in calls]
        first = calls[0]["post_id"]
        # A right answer's rating depends on how many others got it right before (both
        # runs answer one question, so the second sees the first's): only its kind is kept.
        summary = [(o.status, o.review_done, o.reviewed, o.post_id - first) for o in outcomes]
        accepted = sum(o.status is AnswerStatus.ACCEPTED for o in outcomes)
        assert await backlog_size(db) == accepted  # queued with the answers, not yet applied
        assert await drain_backlog(db) == accepted
        assert await backlog_size(db) == 0
        users = sorted({c["user_id"] for c in calls})
        async with db.read() as conn:
            cards = (
                await conn.execute(
                    select(review_cards.c.in_deck, review_cards.c.deck_no, review_cards.c.reps)
                    .where(review_cards.c.user_id.in_(users))
                    .order_by(review_cards.c.user_id)
                )
            ).all()
            logs = (
                await conn.execute(
                    select(func.count())
                    .select_from(review_logs)
                    .where(review_logs.c.user_id.in_(users))
                )
            ).scalar_one()
        return summary, [tuple(c) for c in cards], int(logs)

    serial = await run("rs", together=False)
    together = await run("rt", together=True)
    assert together == serial
    summary, cards, logs = serial
    accepted = [s for s in summary if s[0] is AnswerStatus.ACCEPTED]
    # Each queued for review (no card in the outcome: nobody waits for a group answer's).
    assert accepted and all(s[1] and s[2] is None for s in accepted)
    assert not any(s[1] for s in summary if s[0] is not AnswerStatus.ACCEPTED)
    assert logs == len(accepted) == len(cards)  # one card and one log per accepted answer
    assert any(in_deck for in_deck, _no, _reps in cards)  # wrong answers went into the deck
