"""Re-scoring: every stored answer to a question scored again against a corrected key.

A job (a rescore_jobs row) names the question and its new key. Applying it is one
transaction that claims the row and brings everything that came from the old key along:
- each post of the question still scored with another key gets the new one, and each of
  its answers its correctness and points (the kind's points rule, as when it was recorded);
- the all-time scores, the day, week and month totals and the per-score counts move by
  the difference of the closed posts' answers (scores.adjust_totals); a chat whose daily
  posts changed has its streaks replayed;
- the question's 정답률 counts are rebuilt from its answers;
- a mock exam paper that held the question is graded again;
- review decks: the answer's review log takes the new outcome (Again when now wrong, Good
  when now right: the speed bands of the first rating are not recomputed), the card's FSRS
  state is replayed from its logs, a card now wrong joins the deck, and a card now right
  leaves it when no other review of it was wrong (it was there only for the old key);
- each chat that saw the question gets one notice, claimed in the outbox (kind "rescore").
A job whose posts all carry its key already changes nothing, so a second run, a second
process or a restart half-way (the transaction rolls back; the job stays pending) is safe.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fsrs import Card, Rating, State
from sqlalchemy import bindparam, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from bot.content.loader import Library
from bot.services.exams import score_of
from bot.services.question_stats import NOT_COUNTED
from bot.services.quiz import (
    PointsRule,
    decode_correct,
    default_points,
    encode_correct,
    is_closed,
)
from bot.services.review import _forget_peers, drain_backlog, scheduler_for
from bot.services.scores import (
    DEFAULT_ZONE,
    NOT_ON_BOARDS,
    adjust_totals,
    rebuild_chat_streaks,
    zone_of,
)
from bot.storage.db import Database, as_utc
from bot.storage.tables import (
    answers,
    chats,
    content_keys,
    exam_items,
    exam_papers,
    outbox,
    posts,
    question_stats,
    rescore_jobs,
    review_cards,
    review_logs,
    review_settings,
)

FIX, CONTENT = "fix", "content"
NOTICE_KIND = "rescore"
CHAT_PREFIX = "chat-"
POST_BATCH = 50  # posts whose answers are read and rewritten at a time


def notice_key(job_id: int, chat_id: int) -> str:
    return f"rescore:{job_id}:{chat_id}"


@dataclass(frozen=True, slots=True)
class Applied:
    job_id: int
    question_id: str
    old_key: tuple[int, ...]
    new_key: tuple[int, ...]
    posts: int  # posts whose key changed
    answers_changed: int  # answers whose correctness or points changed
    chats: tuple[int, ...]  # chats told


@dataclass(frozen=True, slots=True)
class Notice:
    question_id: str
    old_key: tuple[int, ...]
    new_key: tuple[int, ...]
    post_ids: tuple[int, ...]  # the chat's posts of the question, newest first


@dataclass(slots=True)
class _Changed:
    answer_id: int
    user_id: int
    post_id: int
    chat_id: int
    kind: str
    closed: bool
    correct: bool
    d_points: int
    d_correct: int
    answered_at: datetime


def _insert(conn: Connection, table: Any) -> Any:
    return (sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert)(table)


def _lock(query: Any, conn: Connection) -> Any:
    return query.with_for_update(skip_locked=True) if conn.dialect.name == "postgresql" else query


def _changed_answers(
    conn: Connection, post_rows: Sequence[Any], key: tuple[int, ...], points: PointsRule
) -> list[_Changed]:
    changed: list[_Changed] = []
    by_id = {p.id: p for p in post_rows}
    ids = list(by_id)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        rows = conn.execute(
            select(
                answers.c.id,
                answers.c.post_id,
                answers.c.user_id,
                answers.c.option,
                answers.c.correct,
                answers.c.points,
                answers.c.elapsed_ms,
                answers.c.answered_at,
            ).where(answers.c.post_id.in_(part))
        )
        for a in rows:
            post = by_id[a.post_id]
            opened = as_utc(post.opened_at)
            closes = as_utc(post.closes_at)
            open_ms = int((closes - opened).total_seconds() * 1000) if closes and opened else None
            right = a.option in key
            new_points = points(post.kind, right, a.elapsed_ms, open_ms)
            if right == bool(a.correct) and new_points == a.points:
                continue
            changed.append(
                _Changed(
                    answer_id=a.id,
                    user_id=a.user_id,
                    post_id=a.post_id,
                    chat_id=post.chat_id,
                    kind=post.kind,
                    closed=post.closed_at is not None,
                    correct=right,
                    d_points=new_points - a.points,
                    d_correct=int(right) - int(bool(a.correct)),
                    answered_at=as_utc(a.answered_at) or datetime.now(UTC),
                )
            )
    return changed


_SET_ANSWER = (
    update(answers)
    .where(answers.c.id == bindparam("b_id"))
    .values(correct=bindparam("b_correct"), points=answers.c.points + bindparam("b_dp"))
)


def _write_answers(conn: Connection, changed: list[_Changed]) -> None:
    params = [{"b_id": c.answer_id, "b_correct": c.correct, "b_dp": c.d_points} for c in changed]
    for start in range(0, len(params), 1000):
        conn.execute(_SET_ANSWER, params[start : start + 1000])


def _boards(conn: Connection, changed: list[_Changed], now: datetime, default_zone: str) -> None:
    per_chat: dict[int, list[_Changed]] = {}
    for c in changed:
        if c.closed and c.kind not in NOT_ON_BOARDS:
            per_chat.setdefault(c.chat_id, []).append(c)
    for chat_id in sorted(per_chat):
        query = select(chats.c.timezone).where(chats.c.id == chat_id)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()  # as a close does: one writer of a chat's totals
        zone = zone_of(conn.execute(query).scalar_one_or_none(), default_zone)
        rows = [(c.user_id, c.d_points, c.d_correct, c.answered_at) for c in per_chat[chat_id]]
        adjust_totals(conn, chat_id, rows, zone, now)
        if any(c.kind == "daily" and c.d_correct for c in per_chat[chat_id]):
            rebuild_chat_streaks(conn, chat_id)


def _question_stats(conn: Connection, question_id: str) -> None:
    """The question's counts, rebuilt from its answers (a few rows: one per option)."""
    conn.execute(delete(question_stats).where(question_stats.c.question_id == question_id))
    rows = conn.execute(
        select(
            answers.c.option,
            func.count().label("picks"),
            func.sum(case((answers.c.correct, 1), else_=0)).label("accepted"),
        )
        .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
        .where(
            posts.c.question_id == question_id,
            posts.c.closed_at.is_not(None),
            posts.c.kind.not_in(NOT_COUNTED),
        )
        .group_by(answers.c.option)
    ).all()
    if rows:
        conn.execute(
            question_stats.insert(),
            [
                {
                    "question_id": question_id,
                    "option": r.option,
                    "picks": int(r.picks),
                    "accepted": int(r.accepted or 0),
                }
                for r in rows
            ],
        )


def _exams(conn: Connection, post_ids: list[int], key: tuple[int, ...]) -> None:
    """Papers that held the question: the item's key, and a graded paper graded again."""
    items = conn.execute(
        select(exam_items.c.paper_id, exam_items.c.slot, exam_items.c.option).where(
            exam_items.c.post_id.in_(post_ids)
        )
    ).all()
    if not items:
        return
    raw = encode_correct(key)
    papers: set[int] = set()
    for item in items:
        values: dict[str, Any] = {"answer_key": raw}
        graded = conn.execute(
            select(exam_papers.c.state).where(exam_papers.c.id == item.paper_id)
        ).scalar_one()
        if graded == "graded":
            values["correct"] = item.option is not None and item.option in key
            papers.add(item.paper_id)
        conn.execute(
            update(exam_items)
            .where(exam_items.c.paper_id == item.paper_id, exam_items.c.slot == item.slot)
            .values(**values)
        )
    for paper_id in sorted(papers):
        total, right = conn.execute(
            select(
                func.count(),
                func.coalesce(func.sum(case((exam_items.c.correct, 1), else_=0)), 0),
            ).where(exam_items.c.paper_id == paper_id)
        ).one()
        conn.execute(
            update(exam_papers)
            .where(exam_papers.c.id == paper_id)
            .values(right_count=int(right), score=score_of(int(right), int(total)))
        )


def _replay(card_id: int, logs: Sequence[Any], retention: float) -> tuple[Card, int]:
    """The card as FSRS would have it had each review been rated as its log now says."""
    first = as_utc(logs[0].reviewed_at) or datetime.now(UTC)
    card = Card(card_id=card_id, due=first)
    scheduler = scheduler_for(retention)
    lapses = 0
    for log in logs:
        rating = Rating(log.rating)
        if rating is Rating.Again and card.state is State.Review:
            lapses += 1
        card, _ = scheduler.review_card(
            card,
            rating,
            review_datetime=as_utc(log.reviewed_at),
            review_duration=log.duration_ms,
        )
    return card, lapses


_SET_RATING = (
    update(review_logs)
    .where(
        review_logs.c.user_id == bindparam("b_user"),
        review_logs.c.post_id == bindparam("b_post"),
    )
    .values(rating=bindparam("b_rating"))
)


def _decks(conn: Connection, question_id: str, changed: list[_Changed], now: datetime) -> None:
    flips = [c for c in changed if c.d_correct]
    if not flips:
        return
    params = [
        {
            "b_user": c.user_id,
            "b_post": c.post_id,
            "b_rating": int(Rating.Good if c.correct else Rating.Again),
        }
        for c in flips
    ]
    for start in range(0, len(params), 1000):
        conn.execute(_SET_RATING, params[start : start + 1000])
    outcome: dict[int, bool] = {}  # user -> now wrong in at least one flipped answer
    for c in flips:
        outcome[c.user_id] = outcome.get(c.user_id, False) or not c.correct
    user_ids = sorted(outcome)
    cards: list[Any] = []
    for start in range(0, len(user_ids), 500):
        cards += conn.execute(
            select(review_cards).where(
                review_cards.c.question_id == question_id,
                review_cards.c.user_id.in_(user_ids[start : start + 500]),
            )
        ).all()
    logs: dict[int, list[Any]] = {}
    card_ids = [card.id for card in cards]
    for start in range(0, len(card_ids), 500):
        for log in conn.execute(
            select(review_logs)
            .where(review_logs.c.card_id.in_(card_ids[start : start + 500]))
            .order_by(review_logs.c.reviewed_at, review_logs.c.id)
        ):
            logs.setdefault(log.card_id, []).append(log)
    retention = (
        {
            r.user_id: r.retention
            for r in conn.execute(
                select(review_settings.c.user_id, review_settings.c.retention).where(
                    review_settings.c.user_id.in_([card.user_id for card in cards])
                )
            )
        }
        if cards
        else {}
    )
    for card in sorted(cards, key=lambda c: c.user_id):
        now_wrong = outcome[card.user_id]
        history = logs.get(card.id, [])
        values: dict[str, Any] = {"updated_at": now}
        if history:
            replayed, lapses = _replay(card.id, history, retention.get(card.user_id) or 0.9)
            values |= {
                "state": int(replayed.state),
                "step": replayed.step,
                "stability": replayed.stability,
                "difficulty": replayed.difficulty,
                "due": replayed.due,
                "last_review": replayed.last_review,
                "reps": len(history),
                "lapses": lapses,
            }
        any_wrong = any(Rating(log.rating) is Rating.Again for log in history)
        if now_wrong and not card.in_deck:
            top = conn.execute(
                select(func.max(review_cards.c.deck_no)).where(
                    review_cards.c.user_id == card.user_id
                )
            ).scalar_one_or_none()
            values |= {"in_deck": True, "deck_no": int(top or 0) + 1}
        elif not now_wrong and card.in_deck and not any_wrong:
            values |= {"in_deck": False, "deck_no": None}
        conn.execute(update(review_cards).where(review_cards.c.id == card.id).values(**values))


def apply_job(
    conn: Connection,
    job_id: int,
    now: datetime,
    instance: str,
    points: PointsRule = default_points,
    default_zone: str = DEFAULT_ZONE,
) -> Applied | None:
    """Claim a pending job and apply it with all its effects, in the caller's transaction.

    None when the job is done already or another process holds it."""
    job = conn.execute(
        _lock(
            select(rescore_jobs).where(
                rescore_jobs.c.id == job_id, rescore_jobs.c.done_at.is_(None)
            ),
            conn,
        )
    ).first()
    if job is None:
        return None
    conn.execute(
        update(rescore_jobs)
        .where(rescore_jobs.c.id == job_id)
        .values(claimed_at=now, claimed_by=instance)
    )
    key = decode_correct(job.new_key)
    raw = encode_correct(key)
    which = [posts.c.question_id == job.question_id, posts.c.correct != raw]
    if job.old_key is not None:
        which.append(posts.c.correct == job.old_key)  # set when queued: only those posts
    post_rows = conn.execute(
        select(
            posts.c.id,
            posts.c.chat_id,
            posts.c.kind,
            posts.c.correct,
            posts.c.opened_at,
            posts.c.closes_at,
            posts.c.closed_at,
        )
        .where(*which)
        .order_by(posts.c.id)
    ).all()
    old_counts = Counter(p.correct for p in post_rows)
    old_raw = old_counts.most_common(1)[0][0] if old_counts else job.old_key or raw
    changed: list[_Changed] = []
    for start in range(0, len(post_rows), POST_BATCH):
        batch = _changed_answers(conn, post_rows[start : start + POST_BATCH], key, points)
        _write_answers(conn, batch)
        changed += batch
    if changed:
        # The writer connection's cache of right answers' times assumes answers never
        # change; these just did.
        _forget_peers(conn)
    post_ids = [p.id for p in post_rows]
    for start in range(0, len(post_ids), 500):
        conn.execute(
            update(posts).where(posts.c.id.in_(post_ids[start : start + 500])).values(correct=raw)
        )
    _boards(conn, changed, now, default_zone)
    if any(p.closed_at is not None and p.kind not in NOT_COUNTED for p in post_rows):
        _question_stats(conn, job.question_id)
    if post_ids:
        _exams(conn, post_ids, key)
    _decks(conn, job.question_id, changed, now)
    # Only chats that have seen the answer: a notice naming the new key in a chat whose
    # post of the question is still open would give the answer away (its reveal shows it).
    told = sorted(
        {
            p.chat_id
            for p in post_rows
            if p.kind not in ("review", "exam") and is_closed(p.closed_at, p.closes_at, now)
        }
    )
    for chat_id in told:
        conn.execute(
            _insert(conn, outbox)
            .values(key=notice_key(job_id, chat_id), kind=NOTICE_KIND, chat_id=chat_id)
            .values(due_at=now, attempts=0)
            .on_conflict_do_nothing(index_elements=["key"])
        )
    conn.execute(
        update(rescore_jobs)
        .where(rescore_jobs.c.id == job_id)
        .values(done_at=now, answers_changed=len(changed), old_key=old_raw)
    )
    return Applied(
        job_id,
        job.question_id,
        decode_correct(old_raw),
        key,
        len(post_rows),
        len(changed),
        tuple(told),
    )


def options_hash(options: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(options).encode()).hexdigest()[:32]


def stale_keys(
    conn: Connection, library: Library, now: datetime
) -> list[tuple[str, str, str | None]]:
    """Authored bundled questions whose key in content/ differs from the key they were scored
    against: (question id, the key now, the key it replaces when known) for each, unless a
    job for that key is pending.

    With a content_keys row from an earlier start, only the same options under another key
    count (reordered or rewritten options are another question's shape: its answers picked
    other texts). Without one (the first start that keeps them) the posts' own keys are the
    record, for posts with as many options. Generated questions are derived, never corrected,
    and are left out. The rows are brought up to date.
    """
    seen = {r.question_id: r for r in conn.execute(select(content_keys))}
    pending = {
        (r.question_id, r.new_key)
        for r in conn.execute(
            select(rescore_jobs.c.question_id, rescore_jobs.c.new_key).where(
                rescore_jobs.c.done_at.is_(None)
            )
        )
    }
    posted: dict[str, set[tuple[str, int]]] = {}
    for row in conn.execute(
        select(posts.c.question_id, posts.c.correct, posts.c.options_count)
        .where(posts.c.question_id.not_like(f"{CHAT_PREFIX}%"))
        .distinct()
    ):
        posted.setdefault(row.question_id, set()).add((row.correct, row.options_count))
    stale: list[tuple[str, str, str | None]] = []
    upserts = []
    for question in library.authored:
        key = encode_correct(tuple(question.answers))
        shape = options_hash(question.options)
        before = seen.get(question.id)
        if before is not None:
            changed = before.options_hash == shape and before.answers != key
            if before.answers == key and before.options_hash == shape:
                continue
        else:
            changed = any(
                correct != key and count == len(question.options)
                for correct, count in posted.get(question.id, ())
            )
        if changed and (question.id, key) not in pending and question.id in posted:
            # Only posts scored with the key it replaces: a post from before an earlier
            # reordering of the options picked by other positions.
            stale.append((question.id, key, before.answers if before is not None else None))
        upserts.append(
            {"question_id": question.id, "answers": key, "options_hash": shape, "seen_at": now}
        )
    if upserts:
        ins = _insert(conn, content_keys)
        upsert = ins.on_conflict_do_update(
            index_elements=["question_id"],
            set_={
                "answers": ins.excluded.answers,
                "options_hash": ins.excluded.options_hash,
                "seen_at": ins.excluded.seen_at,
            },
        )
        for start in range(0, len(upserts), 500):
            conn.execute(upsert, upserts[start : start + 500])
    return sorted(stale)


def insert_job(
    conn: Connection,
    question_id: str,
    key: Iterable[int],
    reason: str,
    by: int | None,
    now: datetime,
    *,
    only_from: str | None = None,
) -> int:
    """Queue a job; only_from limits it to the posts scored with that key."""
    return int(
        conn.execute(
            rescore_jobs.insert()
            .values(
                question_id=question_id,
                new_key=encode_correct(tuple(key)),
                old_key=only_from,
                reason=reason,
                requested_by=by,
                created_at=now,
            )
            .returning(rescore_jobs.c.id)
        ).scalar_one()
    )


class RescoreService:
    def __init__(
        self, db: Database, zone: str = DEFAULT_ZONE, points: PointsRule = default_points
    ) -> None:
        self.db = db
        self.zone = zone
        self.points = points

    async def request(
        self, question_id: str, key: tuple[int, ...], reason: str, by: int | None, now: datetime
    ) -> int:
        def run(conn: Connection) -> int:
            return insert_job(conn, question_id, key, reason, by, now)

        return await self.db.run_write(run)

    async def pending(self) -> list[int]:
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(rescore_jobs.c.id)
                .where(rescore_jobs.c.done_at.is_(None))
                .order_by(rescore_jobs.c.id)
            )
            return [r.id for r in rows]

    async def apply(self, job_id: int, now: datetime, instance: str) -> Applied | None:
        # Re-scoring rewrites review logs and cards from the answers: none may be pending.
        await drain_backlog(self.db)
        return await self.db.run_write(apply_job, job_id, now, instance, self.points, self.zone)

    async def detect_content_changes(self, library: Library, now: datetime) -> list[int]:
        """Queue a job for each bundled question whose key in content/ differs from the key
        its stored posts were scored against; the ids of the jobs queued."""

        def run(conn: Connection) -> list[int]:
            return [
                insert_job(conn, qid, decode_correct(key), CONTENT, None, now, only_from=old)
                for qid, key, old in stale_keys(conn, library, now)
            ]

        return await self.db.run_write(run)

    async def notice(self, claim_id: int) -> tuple[int, Notice] | None:
        """What a claimed rescore notice says: (chat id, the notice), from its outbox key."""
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(outbox.c.key, outbox.c.chat_id).where(outbox.c.id == claim_id)
                )
            ).first()
            if row is None:
                return None
            _, job_part, _ = row.key.split(":", 2)
            job = (
                await conn.execute(select(rescore_jobs).where(rescore_jobs.c.id == int(job_part)))
            ).first()
            if job is None:
                return None
            post_ids = (
                await conn.execute(
                    select(posts.c.id)
                    .where(
                        posts.c.chat_id == row.chat_id,
                        posts.c.question_id == job.question_id,
                        posts.c.kind.not_in(("review", "exam")),
                        posts.c.closed_at.is_not(None),
                    )
                    .order_by(posts.c.id.desc())
                    .limit(3)
                )
            ).scalars()
            notice = Notice(
                job.question_id,
                decode_correct(job.old_key or ""),
                decode_correct(job.new_key),
                tuple(post_ids),
            )
        return row.chat_id, notice
