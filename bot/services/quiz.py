"""Posts and answers: one answer per person per post, the first counts."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, or_, select, update
from sqlalchemy.engine import Connection

from bot.services import review_backlog
from bot.services.contests import speed_points
from bot.services.question_stats import apply_question_stats, rates_of
from bot.services.registry import chat_ref_of
from bot.services.review import Reviewed, ReviewItem, drain_all, drain_backlog, record_reviews
from bot.services.scores import DEFAULT_ZONE, apply_closed_post
from bot.storage.bulk import insert_rows
from bot.storage.db import AnyRow, Database, as_utc
from bot.storage.tables import answers, chats, posts, users
from bot.types import ChatRef

POINTS_CORRECT = 10

# (kind, correct, elapsed_ms, open_ms) -> points; contests weigh speed, other posts do not.
PointsRule = Callable[[str, bool, int, int | None], int]


def default_points(kind: str, correct: bool, elapsed_ms: int, open_ms: int | None) -> int:
    """Daily and /quiz questions pay a flat amount; contests pay for speed."""
    if kind == "contest":
        return speed_points(correct, elapsed_ms, open_ms)
    if kind == "review":
        return 0  # a private review scores nothing on any board
    return POINTS_CORRECT if correct else 0


class AnswerStatus(enum.Enum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    CLOSED = "closed"
    FOREIGN = "foreign"  # the post belongs to another chat
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    status: AnswerStatus
    post_id: int
    correct: bool = False
    points: int = 0
    elapsed_ms: int = 0
    options_count: int = 0
    question_id: str = ""
    previous_option: int | None = None
    kind: str = ""  # the post's kind: daily, quiz, contest or review
    # record_answer(review=True): the card write done with the answer (None: none was due).
    reviewed: Reviewed | None = None
    review_done: bool = False


_ANSWER_COLUMNS = (
    "post_id",
    "chat_id",
    "user_id",
    "option",
    "correct",
    "points",
    "elapsed_ms",
    "answered_at",
)


@dataclass(frozen=True, slots=True)
class _AnswerItem:
    chat_id: int
    user_id: int
    post_id: int
    option: int
    now: datetime
    review: bool


def is_closed(closed_at: datetime | None, closes_at: datetime | None, now: datetime) -> bool:
    """Whether a post takes no more answers (and its answer is out): closed, or past its
    deadline while the close is on its way."""
    closes = as_utc(closes_at)
    return closed_at is not None or (closes is not None and closes <= now)


def _base(post: AnyRow, post_id: int) -> dict[str, Any]:
    return {
        "post_id": post_id,
        "options_count": post.options_count,
        "question_id": post.question_id,
        "kind": post.kind,
    }


def _times(post: AnyRow, now: datetime) -> tuple[int, int | None]:
    """(ms since the post opened, ms it is open for, or None without a deadline)."""
    opened_at = as_utc(post.opened_at)
    closes_at = as_utc(post.closes_at)
    assert opened_at is not None
    elapsed_ms = max(0, int((now - opened_at).total_seconds() * 1000))
    open_ms = int((closes_at - opened_at).total_seconds() * 1000) if closes_at else None
    return elapsed_ms, open_ms


@dataclass(frozen=True, slots=True)
class Reveal:
    post_id: int
    chat: ChatRef
    chat_id: int
    question_id: str
    kind: str
    correct: tuple[int, ...]
    answered: int
    right: int
    first_right: tuple[str, ...]
    message_ref: str | None
    native_ref: str | None = None
    # The question's answers across every chat so far, this post's included (question_stats).
    overall_answered: int = 0
    overall_right: int = 0


@dataclass(frozen=True, slots=True)
class OpenPost:
    post_id: int
    question_id: str
    kind: str
    closes_at: datetime | None
    opened_by: int | None


def encode_correct(answers_: tuple[int, ...]) -> str:
    return ",".join(str(a) for a in sorted(answers_))


def decode_correct(text: str) -> tuple[int, ...]:
    return tuple(int(a) for a in text.split(",") if a)


@dataclass(frozen=True, slots=True)
class _AnswerStatements:
    """Built once: compiling these per answer was a visible share of the hot path."""

    posts: Select[Any]
    previous: Select[Any]

    @classmethod
    def build(cls, db: Database) -> _AnswerStatements:
        found = select(
            posts.c.id,
            posts.c.chat_id,
            posts.c.kind,
            posts.c.question_id,
            posts.c.options_count,
            posts.c.correct,
            posts.c.opened_at,
            posts.c.closes_at,
            posts.c.closed_at,
        ).where(posts.c.id.in_(bindparam("ids", expanding=True)))
        previous = select(answers.c.option).where(
            answers.c.post_id == bindparam("post_id"), answers.c.user_id == bindparam("user_id")
        )
        return cls(found, previous)


_LATEST_OPEN = (
    select(posts.c.id, posts.c.question_id, posts.c.kind, posts.c.closes_at, posts.c.opened_by)
    .where(
        posts.c.chat_id == bindparam("chat_id"),
        posts.c.closed_at.is_(None),
        or_(
            posts.c.closes_at.is_(None),
            posts.c.closes_at > bindparam("now", type_=posts.c.closes_at.type),
        ),
    )
    .order_by(posts.c.id.desc())
    .limit(1)
)


def _latest_open(conn: Connection, chat_id: int, now: datetime) -> OpenPost | None:
    row = conn.execute(_LATEST_OPEN, {"chat_id": chat_id, "now": now}).first()
    if row is None:
        return None
    return OpenPost(row.id, row.question_id, row.kind, as_utc(row.closes_at), row.opened_by)


class QuizService:
    def __init__(
        self,
        db: Database,
        points: PointsRule = default_points,
        on_accepted: Callable[..., None] | None = None,
        zone: str = DEFAULT_ZONE,
    ) -> None:
        self.db = db
        self.points = points
        # The boards' calendar for chats without a zone of their own (Settings.timezone).
        self.zone = zone
        # Told of every accepted answer (the metrics count them), whoever recorded it.
        self.on_accepted = on_accepted
        self._prepared: _AnswerStatements | None = None
        # Applies the review-card writes deferred by group answers (see _review_accepted).
        self.backlog = review_backlog.BacklogWorker(db, drain_backlog)

    async def open_post(
        self,
        *,
        chat_id: int,
        question_id: str,
        options_count: int,
        correct: tuple[int, ...],
        kind: str,
        now: datetime,
        closes_at: datetime | None,
        opened_by: int | None = None,
        contest_id: int | None = None,
    ) -> int:
        async with self.db.write() as conn:
            result = await conn.execute(
                posts.insert()
                .values(
                    chat_id=chat_id,
                    question_id=question_id,
                    kind=kind,
                    options_count=options_count,
                    correct=encode_correct(correct),
                    opened_by=opened_by,
                    opened_at=now,
                    closes_at=closes_at,
                    contest_id=contest_id,
                )
                .returning(posts.c.id)
            )
            return int(result.scalar_one())

    async def set_message_ref(self, post_id: int, ref: str, native: str | None = None) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                update(posts)
                .where(posts.c.id == post_id)
                .values(message_ref=ref, native_ref=native)
            )

    async def post_for_native(self, platform: str, native: str) -> tuple[int, ChatRef] | None:
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(posts.c.id, chats.c.platform, chats.c.chat_key, chats.c.is_group)
                    .select_from(posts.join(chats, chats.c.id == posts.c.chat_id))
                    .where(posts.c.native_ref == native, chats.c.platform == platform)
                    .order_by(posts.c.id.desc())
                    .limit(1)
                )
            ).first()
        if row is None:
            return None
        return row.id, chat_ref_of(row)

    async def record_answer(
        self,
        *,
        chat_id: int,
        user_id: int,
        post_id: int,
        option: int,
        now: datetime,
        review: bool = False,
    ) -> AnswerOutcome:
        """One answer. review: an accepted one is also the person's review of their card
        (bot.services.review), written in the same transaction (outcome.reviewed).

        The hot path: one item of a set-based write shared with the answers that arrive
        with it (bot.storage.group_commit); each answer's outcome is still its own."""
        item = _AnswerItem(chat_id, user_id, post_id, option, now, review)
        outcome: AnswerOutcome = await self.db.run_grouped_many(self._record_many, item)
        if review and outcome.status is AnswerStatus.ACCEPTED and outcome.kind != "review":
            self.backlog.deferred()
        if self.on_accepted is not None and outcome.status is AnswerStatus.ACCEPTED:
            self.on_accepted(correct=outcome.correct)
        return outcome

    def _statements(self) -> _AnswerStatements:
        if self._prepared is None:
            self._prepared = _AnswerStatements.build(self.db)
        return self._prepared

    def _record_many(self, conn: Connection, items: list[_AnswerItem]) -> list[AnswerOutcome]:
        """Every answer of a batch, decided in arrival order as one by one, in a few
        statements: one SELECT for the batch's posts, one multi-row INSERT for the answers
        (ON CONFLICT DO NOTHING), and the review-card writes of the accepted ones."""
        st = self._statements()
        ids = list({item.post_id for item in items})
        found = {row.id: row for row in conn.execute(st.posts, {"ids": ids})}
        outcomes: list[AnswerOutcome | None] = [None] * len(items)
        fresh: dict[tuple[int, int], int] = {}  # (post, user) -> index of its insert
        rows: list[tuple[Any, ...]] = []
        for i, item in enumerate(items):
            post = found.get(item.post_id)
            decided = self._decide(post, item)
            if isinstance(decided, AnswerOutcome):
                outcomes[i] = decided
                continue
            key = (item.post_id, item.user_id)
            if key in fresh:
                continue  # the same person twice in one batch: the first one counts
            fresh[key] = i
            rows.append(decided)
        inserted = {
            (post_id, user_id): answer_id
            for post_id, user_id, answer_id in insert_rows(
                conn,
                answers,
                _ANSWER_COLUMNS,
                rows,
                conflict=("post_id", "user_id"),
                returning=("post_id", "user_id", "id"),
            )
        }
        for i, item in enumerate(items):
            if outcomes[i] is not None:
                continue
            post = found[item.post_id]
            base = _base(post, item.post_id)
            key = (item.post_id, item.user_id)
            if fresh.get(key) == i and key in inserted:
                correct = item.option in decode_correct(post.correct)
                elapsed_ms, open_ms = _times(post, item.now)
                outcomes[i] = AnswerOutcome(
                    AnswerStatus.ACCEPTED,
                    correct=correct,
                    points=self.points(post.kind, correct, elapsed_ms, open_ms),
                    elapsed_ms=elapsed_ms,
                    **base,
                )
                continue
            previous = conn.execute(
                st.previous, {"post_id": item.post_id, "user_id": item.user_id}
            ).scalar_one_or_none()
            outcomes[i] = AnswerOutcome(AnswerStatus.DUPLICATE, previous_option=previous, **base)
        done = [o for o in outcomes if o is not None]
        assert len(done) == len(items)
        return self._review_accepted(conn, items, done, inserted)

    def _review_accepted(
        self,
        conn: Connection,
        items: list[_AnswerItem],
        outcomes: list[AnswerOutcome],
        inserted: dict[tuple[int, int], int],
    ) -> list[AnswerOutcome]:
        # The card write of every accepted answer that asked for it. A review card's answer
        # is reviewed in its own transaction (its reply says when the card comes back); a
        # group answer's review is queued with it and applied soon after, off its path
        # (bot.services.review_backlog): either way it is stored with the answer or not at all.
        wanted: list[int] = []
        later: list[tuple[int, int]] = []
        out = list(outcomes)
        for i, (item, o) in enumerate(zip(items, outcomes, strict=True)):
            if not item.review or o.status is not AnswerStatus.ACCEPTED:
                continue
            if o.kind == "review":
                wanted.append(i)
            else:
                later.append((inserted[(item.post_id, item.user_id)], item.user_id))
                out[i] = replace(o, review_done=True)
        if later:
            review_backlog.defer(conn, later)
        if not wanted:
            return out
        # The person's deferred group answers are older than this one: applied first.
        drain_all(conn, list({items[i].user_id for i in wanted}))
        reviews = [
            ReviewItem(
                user_id=items[i].user_id,
                question_id=outcomes[i].question_id,
                post_id=outcomes[i].post_id,
                kind=outcomes[i].kind or "quiz",
                correct=outcomes[i].correct,
                elapsed_ms=outcomes[i].elapsed_ms,
                now=items[i].now,
            )
            for i in wanted
        ]
        done = record_reviews(conn, reviews)
        for i, reviewed in zip(wanted, done, strict=True):
            out[i] = replace(out[i], reviewed=reviewed, review_done=True)
        return out

    def _decide(self, post: AnyRow | None, item: _AnswerItem) -> AnswerOutcome | tuple[Any, ...]:
        """The outcome an answer has without looking at other answers, or its row to insert."""
        if post is None:
            return AnswerOutcome(AnswerStatus.UNKNOWN, item.post_id)
        if post.chat_id != item.chat_id:
            return AnswerOutcome(AnswerStatus.FOREIGN, item.post_id)
        if is_closed(post.closed_at, post.closes_at, item.now):
            return AnswerOutcome(AnswerStatus.CLOSED, **_base(post, item.post_id))
        if not 1 <= item.option <= post.options_count:
            return AnswerOutcome(AnswerStatus.OUT_OF_RANGE, **_base(post, item.post_id))
        correct = item.option in decode_correct(post.correct)
        elapsed_ms, open_ms = _times(post, item.now)
        points = self.points(post.kind, correct, elapsed_ms, open_ms)
        # In _ANSWER_COLUMNS' order.
        return (
            item.post_id,
            item.chat_id,
            item.user_id,
            item.option,
            correct,
            points,
            elapsed_ms,
            item.now,
        )

    async def post_info(self, post_id: int) -> tuple[int, datetime | None] | None:
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(posts.c.chat_id, posts.c.closes_at).where(posts.c.id == post_id)
                )
            ).first()
        return (row.chat_id, as_utc(row.closes_at)) if row else None

    async def question_of(self, post_id: int) -> str | None:
        async with self.db.read() as conn:
            return (
                await conn.execute(select(posts.c.question_id).where(posts.c.id == post_id))
            ).scalar_one_or_none()

    async def asked_question_ids(self, chat_id: int) -> set[str]:
        """Every question ever posted in the chat, so /quiz can prefer fresh ones."""
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(posts.c.question_id).where(posts.c.chat_id == chat_id).distinct()
            )
            return {r.question_id for r in rows}

    async def answer_count(self, post_id: int) -> int:
        async with self.db.read() as conn:
            return int(
                (
                    await conn.execute(
                        select(func.count())
                        .select_from(answers)
                        .where(answers.c.post_id == post_id)
                    )
                ).scalar_one()
            )

    async def latest_open(self, chat_id: int, now: datetime) -> OpenPost | None:
        # Every bare-number answer asks this first, so it takes the one-hop read path.
        return await self.db.run_read(_latest_open, chat_id, now)

    async def open_of_kind(self, chat_id: int, kind: str, now: datetime) -> OpenPost | None:
        """The chat's newest open post of one kind (a /quiz question under a newer daily)."""
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(
                        posts.c.id,
                        posts.c.question_id,
                        posts.c.kind,
                        posts.c.closes_at,
                        posts.c.opened_by,
                    )
                    .where(
                        posts.c.chat_id == chat_id,
                        posts.c.kind == kind,
                        posts.c.closed_at.is_(None),
                        or_(posts.c.closes_at.is_(None), posts.c.closes_at > now),
                    )
                    .order_by(posts.c.id.desc())
                    .limit(1)
                )
            ).first()
        if row is None:
            return None
        return OpenPost(row.id, row.question_id, row.kind, as_utc(row.closes_at), row.opened_by)

    async def open_posts(self) -> list[OpenPost]:
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(
                        posts.c.id,
                        posts.c.question_id,
                        posts.c.kind,
                        posts.c.closes_at,
                        posts.c.opened_by,
                    ).where(posts.c.closed_at.is_(None))
                )
            ).all()
        return [
            OpenPost(r.id, r.question_id, r.kind, as_utc(r.closes_at), r.opened_by) for r in rows
        ]

    async def due_posts(self, now: datetime) -> list[tuple[int, str]]:
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(posts.c.id, posts.c.kind).where(
                    and_(posts.c.closed_at.is_(None), posts.c.closes_at <= now)
                )
            )
            return [(r.id, r.kind) for r in rows]

    async def close(self, post_id: int, now: datetime) -> Reveal | None:
        """Close a post once; a second call (or another process) gets None."""
        async with self.db.write() as conn:
            closed = (
                await conn.execute(
                    update(posts)
                    .where(posts.c.id == post_id, posts.c.closed_at.is_(None))
                    .values(closed_at=now)
                    .returning(
                        posts.c.chat_id,
                        posts.c.question_id,
                        posts.c.kind,
                        posts.c.correct,
                        posts.c.message_ref,
                        posts.c.native_ref,
                    )
                )
            ).first()
            if closed is None:
                return None
            # The boards count the post now, in the transaction that closes it.
            await conn.run_sync(
                apply_closed_post, post_id, closed.chat_id, closed.kind, now, self.zone
            )
            # So is the question's installation-wide 정답률, which the reveal then shows.
            await conn.run_sync(apply_question_stats, post_id, closed.question_id, closed.kind)
            overall = (await conn.run_sync(rates_of, [closed.question_id])).get(closed.question_id)
            chat = (
                await conn.execute(
                    select(chats.c.platform, chats.c.chat_key, chats.c.is_group).where(
                        chats.c.id == closed.chat_id
                    )
                )
            ).one()
            stats = (
                await conn.execute(
                    select(
                        func.count(answers.c.id),
                        func.coalesce(func.sum(case((answers.c.correct, 1), else_=0)), 0),
                    ).where(answers.c.post_id == post_id)
                )
            ).one()
            first = (
                (
                    await conn.execute(
                        select(users.c.display_name)
                        .select_from(answers.join(users, users.c.id == answers.c.user_id))
                        .where(answers.c.post_id == post_id, answers.c.correct.is_(True))
                        .order_by(answers.c.answered_at, answers.c.id)
                        .limit(3)
                    )
                )
                .scalars()
                .all()
            )
        return Reveal(
            post_id=post_id,
            chat=chat_ref_of(chat),
            chat_id=closed.chat_id,
            question_id=closed.question_id,
            kind=closed.kind,
            correct=decode_correct(closed.correct),
            answered=int(stats[0]),
            right=int(stats[1]),
            first_right=tuple(first),
            message_ref=closed.message_ref,
            native_ref=closed.native_ref,
            overall_answered=overall.answered if overall else 0,
            overall_right=overall.right if overall else 0,
        )
