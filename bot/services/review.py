"""The personal review deck (오답노트): a card per person and question, scheduled by FSRS.

Every answer a person gives (daily, /quiz, contests, reviews) is one FSRS review of their
card for that question, through the fsrs package: the outcome becomes a Rating, the
package's Scheduler computes the next due time, and the card state and the review log
are stored. No interval is computed here.

Rating mapping (also in /help review):
- wrong → Again (and the question goes into the deck)
- right → Good; Hard when slower than most others who got it right (past the median of
  their times on the same kind of post); Easy when within the fastest quarter. Until
  MIN_PEERS others have got it right, a right answer is Good.
"""

from __future__ import annotations

import enum
from array import array
from bisect import bisect_left
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from fsrs import Card, Rating, ReviewLog, Scheduler, State
from sqlalchemy import and_, bindparam, case, event, func, select, update
from sqlalchemy.engine import Connection

from bot.services import review_backlog
from bot.services.outbox import claim_statement
from bot.services.registry import chat_ref_of
from bot.storage.bulk import insert_rows, update_rows
from bot.storage.db import AnyRow, Database, as_utc
from bot.storage.tables import answers, chats, outbox, posts, review_cards, review_logs, users
from bot.storage.tables import review_settings as settings_table
from bot.types import ChatRef

DEFAULT_RETENTION = 0.9
MIN_RETENTION = 0.7
MAX_RETENTION = 0.97
# Others' right answers needed before speed turns Good into Hard or Easy.
MIN_PEERS = 4
EASY_QUANTILE = 0.25  # within the fastest quarter of others' right answers
HARD_QUANTILE = 0.5  # slower than the median
# Due cards looked at per pick: those whose question is open somewhere are skipped.
PICK_WINDOW = 8


def rating_for(correct: bool, faster: int, peers: int) -> Rating:
    """The FSRS rating of one answer; faster is how many of peers right answers beat it."""
    if not correct:
        return Rating.Again
    if peers < MIN_PEERS:
        return Rating.Good
    share = faster / peers
    if share < EASY_QUANTILE:
        return Rating.Easy
    if share > HARD_QUANTILE:
        return Rating.Hard
    return Rating.Good


_schedulers: dict[float, Scheduler] = {}


def scheduler_for(retention: float) -> Scheduler:
    """The package's scheduler at a person's desired retention (no fuzz: due times are
    reproducible, so a restart or a second process computes the same schedule)."""
    key = round(retention, 3)
    found = _schedulers.get(key)
    if found is None:
        found = _schedulers[key] = Scheduler(desired_retention=key, enable_fuzzing=False)
    return found


def fresh_card(card_id: int, now: datetime) -> Card:
    # card_id is always given: the package's default sleeps a millisecond to make one.
    return Card(card_id=card_id, due=now.astimezone(UTC))


def card_of(row: AnyRow) -> Card:
    return Card(
        card_id=row.id,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=as_utc(row.due),
        last_review=as_utc(row.last_review),
    )


def _card_values(card: Card) -> dict[str, Any]:
    return {
        "state": int(card.state),
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": card.due,
        "last_review": card.last_review,
    }


@dataclass(frozen=True, slots=True)
class DeckCard:
    card_id: int
    deck_no: int
    question_id: str
    card: Card


@dataclass(frozen=True, slots=True)
class Reviewed:
    card: Card
    rating: Rating
    added: bool  # this answer put the question into the deck


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    user_id: int
    retention: float = DEFAULT_RETENTION
    remind_at: time | None = None
    remind_zone: str | None = None
    dm_chat_id: int | None = None


@dataclass(frozen=True, slots=True)
class Reminder:
    settings: ReviewSettings
    chat: ChatRef


class AddStatus(enum.Enum):
    ADDED = "added"
    ALREADY = "already"


def _settings_of(row: AnyRow | None, user_id: int) -> ReviewSettings:
    if row is None:
        return ReviewSettings(user_id)
    at = None
    if row.remind_at:
        hour, minute = row.remind_at.split(":")
        at = time(int(hour), int(minute))
    return ReviewSettings(user_id, row.retention, at, row.remind_zone, row.dm_chat_id)


_CARD = select(review_cards).where(
    review_cards.c.user_id == bindparam("user_id"),
    review_cards.c.question_id == bindparam("question_id"),
)
_SETTINGS = select(settings_table).where(settings_table.c.user_id == bindparam("user_id"))
_DUE = (
    select(review_cards)
    .where(
        review_cards.c.user_id == bindparam("user_id"),
        review_cards.c.in_deck.is_(True),
        review_cards.c.due <= bindparam("now", type_=review_cards.c.due.type),
    )
    .order_by(review_cards.c.due, review_cards.c.id)
    .limit(PICK_WINDOW)
)
_DUE_COUNT = select(func.count()).where(
    review_cards.c.user_id == bindparam("user_id"),
    review_cards.c.in_deck.is_(True),
    review_cards.c.due <= bindparam("now", type_=review_cards.c.due.type),
)
_OPEN_ELSEWHERE = (
    select(posts.c.question_id)
    .where(
        posts.c.question_id.in_(bindparam("ids", expanding=True)),
        posts.c.closed_at.is_(None),
        posts.c.kind != "review",
    )
    .distinct()
)


_PEERS = (
    select(
        func.count(),
        func.coalesce(
            func.sum(case((answers.c.elapsed_ms < bindparam("elapsed_ms"), 1), else_=0)), 0
        ),
    )
    .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
    .where(
        posts.c.question_id == bindparam("question_id"),
        posts.c.kind == bindparam("kind"),
        answers.c.correct.is_(True),
        answers.c.user_id != bindparam("user_id"),
    )
)
# SQLite: everyone's right answers' times per (question, kind), kept sorted on the writer's
# connection, so a class answering one question costs a lookup each instead of a count
# over every answer before it (which made a burst quadratic). Answers are never updated or
# deleted, and SQLite has one writer, so the rows past the last answer id seen are all
# that can have changed; a rollback forgets everything (its rows may be gone).
_PEER_TIMES = (
    select(answers.c.elapsed_ms)
    .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
    .where(
        posts.c.question_id == bindparam("question_id"),
        posts.c.kind == bindparam("kind"),
        answers.c.correct.is_(True),
        answers.c.id > bindparam("since"),
    )
)
_OWN_TIMES = (
    select(answers.c.user_id, answers.c.elapsed_ms)
    .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
    .where(
        posts.c.question_id == bindparam("question_id"),
        posts.c.kind == bindparam("kind"),
        answers.c.correct.is_(True),
        answers.c.user_id.in_(bindparam("users", expanding=True)),
    )
)
_LAST_ANSWER = select(func.max(answers.c.id))
_PEER_CACHE = "studybot.review.peer_times"
PEER_CACHE_KEYS = 16  # questions remembered per connection
PEER_BURST = 8  # answers to one question in one batch that make it worth caching


@dataclass(slots=True)
class _PeerTimes:
    since: int = 0  # every right answer up to this answer id is in times
    times: array[int] = field(default_factory=lambda: array("q"))


def _forget_peers(conn: Connection, *_args: Any) -> None:
    conn.info.pop(_PEER_CACHE, None)


def _count_peers(conn: Connection, item: ReviewItem) -> tuple[int, int]:
    params = {
        "question_id": item.question_id,
        "kind": item.kind,
        "user_id": item.user_id,
        "elapsed_ms": item.elapsed_ms,
    }
    row = conn.execute(_PEERS, params).one()
    return int(row[0]), int(row[1])


def _peers_many(conn: Connection, items: list[ReviewItem]) -> list[tuple[int, int]]:
    """For each right answer: (others' right answers to its question on its kind of post,
    how many of them were faster). The batch's answers are all stored before its reviews
    run, so every item of a batch sees the same answers, as it would one by one.

    Each is a count over ix_answers_right_times, except on SQLite for a question a burst
    is answering (PEER_BURST of it in one batch, or already cached): its times are kept
    sorted on the writer's connection, so a class answering it costs a lookup each."""
    if conn.dialect.name != "sqlite":
        return [_count_peers(conn, item) for item in items]
    engine = conn.engine
    if not event.contains(engine, "rollback", _forget_peers):
        event.listen(engine, "rollback", _forget_peers)
        event.listen(engine, "rollback_savepoint", _forget_peers)
    cache: OrderedDict[tuple[str, str], _PeerTimes] = conn.info.setdefault(
        _PEER_CACHE, OrderedDict()
    )
    wanted = Counter((item.question_id, item.kind) for item in items)
    # A lone answer to a question nobody is answering now: loading every right answer to
    # it (thousands, in a big installation) would cost far more than one count.
    bursts = [key for key, n in wanted.items() if key in cache or n >= PEER_BURST]
    times: dict[tuple[str, str], array[int]] = {}
    own: dict[tuple[str, str, int], list[int]] = {}
    last = int(conn.execute(_LAST_ANSWER).scalar_one_or_none() or 0) if bursts else 0
    for key in bursts:
        entry = cache.get(key)
        if entry is None or last < entry.since:
            entry = cache[key] = _PeerTimes()
            while len(cache) > PEER_CACHE_KEYS:
                cache.popitem(last=False)
        cache.move_to_end(key)
        params = {"question_id": key[0], "kind": key[1]}
        if last > entry.since:
            fresh = conn.execute(_PEER_TIMES, {**params, "since": entry.since}).scalars().all()
            # Two sorted runs: one sort merges them in linear time, where an insort per new
            # row moved the array once per row (quadratic on a first load).
            entry.times = array("q", sorted([*entry.times, *sorted(fresh)]))
            entry.since = last
        times[key] = entry.times
        users = list({item.user_id for item in items if (item.question_id, item.kind) == key})
        for user_id, ms in conn.execute(_OWN_TIMES, {**params, "users": users}):
            own.setdefault((key[0], key[1], user_id), []).append(ms)
    out = []
    for item in items:
        every = times.get((item.question_id, item.kind))
        if every is None:
            out.append(_count_peers(conn, item))
            continue
        mine = sorted(own.get((item.question_id, item.kind, item.user_id), ()))
        peers = len(every) - len(mine)
        faster = bisect_left(every, item.elapsed_ms) - bisect_left(mine, item.elapsed_ms)
        out.append((peers, faster))
    return out


_TOP_DECK_NO = select(func.max(review_cards.c.deck_no)).where(
    review_cards.c.user_id == bindparam("user_id")
)


def _next_deck_no(conn: Connection, user_id: int) -> int:
    top = conn.execute(_TOP_DECK_NO, {"user_id": user_id}).scalar_one_or_none()
    return int(top or 0) + 1


_STATE_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review")
_NEW_CARD_COLUMNS = (
    "user_id",
    "question_id",
    "in_deck",
    "reps",
    "lapses",
    "updated_at",
    *_STATE_COLUMNS,
)
_LOG_COLUMNS = ("card_id", "user_id", "post_id", "kind", "rating", "reviewed_at", "duration_ms")

# Per person of a batch, in one statement: their settings (NULLs for none stored), the
# highest deck number they hold (a wrong answer numbers its card in the deck from it) and
# their cards for the batch's questions, a row each (one row of NULLs for none).
_DECKS = review_cards.alias("decks")  # the cards again, apart from the joined ones
_PEOPLE_AND_CARDS = (
    select(
        users.c.id.label("person"),
        settings_table.c.user_id.label("stored"),
        settings_table.c.retention,
        settings_table.c.remind_at,
        settings_table.c.remind_zone,
        settings_table.c.dm_chat_id,
        select(func.max(_DECKS.c.deck_no))
        .where(_DECKS.c.user_id == users.c.id)
        .scalar_subquery()
        .label("top"),
        review_cards.c.id,
        review_cards.c.question_id,
        review_cards.c.in_deck,
        review_cards.c.lapses,
        review_cards.c.reps,
        *(review_cards.c[name] for name in _STATE_COLUMNS),
    )
    .select_from(
        users.outerjoin(settings_table, settings_table.c.user_id == users.c.id).outerjoin(
            review_cards,
            and_(
                review_cards.c.user_id == users.c.id,
                review_cards.c.question_id.in_(bindparam("questions", expanding=True)),
            ),
        )
    )
    .where(users.c.id.in_(bindparam("users", expanding=True)))
)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One answer to review: who, which question, on which post and how it went."""

    user_id: int
    question_id: str
    post_id: int | None
    kind: str
    correct: bool
    elapsed_ms: int
    now: datetime


def record_reviews(conn: Connection, items: list[ReviewItem]) -> list[Reviewed | None]:
    """Each item as one FSRS review of its card, in list order, as if one by one; None for
    an item whose post was reviewed already (a redelivered answer).

    Set-based, as a batch of answers is: one SELECT for the people's settings and cards,
    one multi-row INSERT each for new cards and for the logs, one executemany UPDATE of
    the cards; two reviews of one card in a batch chain in memory."""
    people = list({item.user_id for item in items})
    questions = list({item.question_id for item in items})
    settings: dict[int, ReviewSettings] = {}
    tops: dict[int, int] = {}
    cards: dict[tuple[int, str], tuple[Card, bool, int, int]] = {}
    for row in conn.execute(_PEOPLE_AND_CARDS, {"users": people, "questions": questions}):
        if row.person not in settings:
            stored = row if row.stored is not None else None
            settings[row.person] = _settings_of(stored, row.person)
            tops[row.person] = int(row.top or 0)
        if row.id is not None:
            cards[(row.person, row.question_id)] = (
                card_of(row),
                bool(row.in_deck),
                row.lapses,
                row.reps,
            )
    missing: dict[tuple[int, str], datetime] = {}
    for item in items:
        key = (item.user_id, item.question_id)
        if key not in cards and key not in missing:
            missing[key] = item.now.astimezone(UTC)
    if missing:
        rows = []
        for (user_id, question_id), now in missing.items():
            values = _card_values(fresh_card(0, now))
            rows.append(
                (user_id, question_id, False, 0, 0, now, *(values[c] for c in _STATE_COLUMNS))
            )
        made = insert_rows(
            conn, review_cards, _NEW_CARD_COLUMNS, rows, returning=("id", "user_id", "question_id")
        )
        for card_id, user_id, question_id in made:
            key = (user_id, question_id)
            cards[key] = (fresh_card(card_id, missing[key]), False, 0, 0)
    # The log rows decide which items are reviews at all: one per person and post.
    ratings: list[Rating] = []
    logs: list[tuple[Any, ...]] = []
    first: dict[tuple[int, int], int] = {}  # (person, post) -> the item that logs it
    alone: list[int] = []  # items without a post: each logs on its own
    right = [item for item in items if item.correct]
    peer_counts = iter(_peers_many(conn, right) if right else [])
    for i, item in enumerate(items):
        faster, peers = 0, 0
        if item.correct:
            peers, faster = next(peer_counts)
        rating = rating_for(item.correct, faster, peers)
        ratings.append(rating)
        if item.post_id is None:
            alone.append(i)
        elif (item.user_id, item.post_id) not in first:
            first[(item.user_id, item.post_id)] = i
        else:
            continue
        logs.append(
            (
                cards[(item.user_id, item.question_id)][0].card_id,
                item.user_id,
                item.post_id,
                item.kind,
                int(rating),
                item.now.astimezone(UTC),
                item.elapsed_ms,
            )
        )
    went_in = insert_rows(
        conn,
        review_logs,
        _LOG_COLUMNS,
        logs,
        conflict=("user_id", "post_id"),
        returning=("user_id", "post_id"),
    )
    logged = {first[(user_id, post_id)] for user_id, post_id in went_in if post_id is not None}
    logged.update(alone)
    results: list[Reviewed | None] = []
    updates: list[tuple[int, int, int, datetime, bool, dict[str, Any]]] = []
    for i, item in enumerate(items):
        if i not in logged:
            results.append(None)  # this post's answer was reviewed already
            continue
        key = (item.user_id, item.question_id)
        card, in_deck, lapses, reps = cards[key]
        rating = ratings[i]
        now = item.now.astimezone(UTC)
        retention = settings.get(item.user_id, _settings_of(None, item.user_id)).retention
        lapsed = rating is Rating.Again and card.state is State.Review
        card, _log = scheduler_for(retention).review_card(
            card, rating, review_datetime=now, review_duration=item.elapsed_ms
        )
        values = _card_values(card)
        added = not item.correct and not in_deck
        if added:
            tops[item.user_id] = tops.get(item.user_id, 0) + 1
            values.update(in_deck=True, deck_no=tops[item.user_id])
        reps, lapses = reps + 1, lapses + int(lapsed)
        cards[key] = (card, in_deck or added, lapses, reps)
        updates.append((card.card_id, reps, lapses, now, added, values))
        results.append(Reviewed(card, rating, added))
    _update_cards(conn, updates)
    return results


def _update_cards(
    conn: Connection, rows: list[tuple[int, int, int, datetime, bool, dict[str, Any]]]
) -> None:
    # One executemany per set of columns: the rows that put a card in the deck set in_deck
    # and deck_no too; the others leave both as they are.
    for adding in (True, False):
        extra = ("in_deck", "deck_no") if adding else ()
        columns = ("reps", "lapses", "updated_at", *_STATE_COLUMNS, *extra)
        update_rows(
            conn,
            review_cards,
            "id",
            columns,
            [
                (
                    reps,
                    lapses,
                    now,
                    *(values[c] for c in _STATE_COLUMNS),
                    *(values[c] for c in extra),
                    card_id,
                )
                for card_id, reps, lapses, now, added, values in rows
                if added is adding
            ],
        )


def _record_many(conn: Connection, items: list[ReviewItem]) -> list[Reviewed | None]:
    return record_reviews(conn, items)


def _apply_backlog(conn: Connection, rows: list[Any]) -> None:
    items = [
        ReviewItem(
            user_id=row.user_id,
            question_id=row.question_id,
            post_id=row.post_id,
            kind=row.kind or "quiz",
            correct=bool(row.correct),
            elapsed_ms=row.elapsed_ms,
            now=as_utc(row.answered_at),
        )
        for row in rows
    ]
    if items:
        record_reviews(conn, items)


def drain_all(conn: Connection, users: list[int]) -> None:
    """Review these people's deferred group answers, in the caller's transaction (before
    their cards are read or written there)."""
    review_backlog.drain_all(conn, _apply_backlog, users)


def _drain_chunk(conn: Connection) -> int:
    return review_backlog.drain_chunk(conn, _apply_backlog)


async def settle(db: Database, *users: int) -> None:
    """Review these people's deferred group answers before their cards are read."""
    people = list(users)
    if not people:
        return
    waiting: bool = await db.run_read(review_backlog.pending, people)
    if waiting:
        await db.run_write(drain_all, people)


async def drain_backlog(db: Database) -> int:
    """Review every deferred group answer, a chunk per transaction; how many were."""
    total = 0
    while True:
        taken: int = await db.run_write(_drain_chunk)
        total += taken
        if taken < review_backlog.CHUNK:
            return total


def review_in(
    conn: Connection,
    *,
    user_id: int,
    question_id: str,
    post_id: int | None,
    kind: str,
    correct: bool,
    elapsed_ms: int,
    now: datetime,
) -> Reviewed | None:
    """ReviewService.record inside a caller's transaction (an exam's grading)."""
    item = ReviewItem(user_id, question_id, post_id, kind, correct, elapsed_ms, now)
    return record_reviews(conn, [item])[0]


def add_card(
    conn: Connection, user_id: int, question_id: str, now: datetime
) -> tuple[AddStatus, int]:
    """Put a question into the deck in the caller's transaction; it is due at once when new."""
    row = conn.execute(_CARD, {"user_id": user_id, "question_id": question_id}).first()
    if row is not None and row.in_deck:
        return AddStatus.ALREADY, int(row.deck_no)
    number = _next_deck_no(conn, user_id)
    if row is None:
        conn.execute(
            review_cards.insert().values(
                user_id=user_id,
                question_id=question_id,
                in_deck=True,
                deck_no=number,
                reps=0,
                lapses=0,
                updated_at=now,
                **_card_values(fresh_card(0, now.astimezone(UTC))),
            )
        )
    else:
        conn.execute(
            update(review_cards)
            .where(review_cards.c.id == row.id)
            .values(in_deck=True, deck_no=number, updated_at=now)
        )
    return AddStatus.ADDED, number


def _pick(conn: Connection, user_id: int, now: datetime) -> DeckCard | None:
    rows = conn.execute(_DUE, {"user_id": user_id, "now": now}).all()
    if not rows:
        return None
    # A question still open in some chat is not reviewed yet: its answer would leak.
    blocked = set(conn.execute(_OPEN_ELSEWHERE, {"ids": [r.question_id for r in rows]}).scalars())
    for row in rows:
        if row.question_id not in blocked:
            return DeckCard(row.id, row.deck_no, row.question_id, card_of(row))
    return None


def _due_count(conn: Connection, user_id: int, now: datetime) -> int:
    return int(conn.execute(_DUE_COUNT, {"user_id": user_id, "now": now}).scalar_one())


class ReviewService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self,
        *,
        user_id: int,
        question_id: str,
        post_id: int | None,
        kind: str,
        correct: bool,
        elapsed_ms: int,
        now: datetime,
    ) -> Reviewed | None:
        """One answer as one FSRS review; None when this post's answer was already counted.

        In a transaction shared with the answers beside it (bot.storage.group_commit)."""
        item = ReviewItem(user_id, question_id, post_id, kind, correct, elapsed_ms, now)
        reviewed: Reviewed | None = await self.db.run_grouped_many(_record_many, item)
        return reviewed

    async def next_due(self, user_id: int, now: datetime) -> DeckCard | None:
        await settle(self.db, user_id)
        return await self.db.run_read(_pick, user_id, now)

    async def due_count(self, user_id: int, now: datetime) -> int:
        await settle(self.db, user_id)
        return await self.db.run_read(_due_count, user_id, now)

    async def card(self, user_id: int, question_id: str) -> DeckCard | None:
        await settle(self.db, user_id)
        async with self.db.read() as conn:
            row = (
                await conn.execute(_CARD, {"user_id": user_id, "question_id": question_id})
            ).first()
        if row is None:
            return None
        return DeckCard(row.id, row.deck_no or 0, row.question_id, card_of(row))

    async def logs(self, user_id: int, question_id: str) -> list[ReviewLog]:
        """The card's review log as the package's ReviewLog objects, oldest first."""
        await settle(self.db, user_id)
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(review_logs)
                    .select_from(
                        review_logs.join(review_cards, review_cards.c.id == review_logs.c.card_id)
                    )
                    .where(
                        review_cards.c.user_id == user_id,
                        review_cards.c.question_id == question_id,
                    )
                    .order_by(review_logs.c.reviewed_at, review_logs.c.id)
                )
            ).all()
        return [
            ReviewLog(r.card_id, Rating(r.rating), as_utc(r.reviewed_at), r.duration_ms)
            for r in rows
        ]

    async def next_after(self, user_id: int, now: datetime, day_end: datetime) -> int:
        """How many deck cards come due after now and before day_end."""
        await settle(self.db, user_id)
        async with self.db.read() as conn:
            return int(
                (
                    await conn.execute(
                        select(func.count()).where(
                            review_cards.c.user_id == user_id,
                            review_cards.c.in_deck.is_(True),
                            review_cards.c.due > now,
                            review_cards.c.due < day_end,
                        )
                    )
                ).scalar_one()
            )

    async def first_due_after(self, user_id: int, now: datetime) -> datetime | None:
        await settle(self.db, user_id)
        async with self.db.read() as conn:
            found = (
                await conn.execute(
                    select(func.min(review_cards.c.due)).where(
                        review_cards.c.user_id == user_id,
                        review_cards.c.in_deck.is_(True),
                        review_cards.c.due > now,
                    )
                )
            ).scalar_one_or_none()
        return as_utc(found)

    async def deck(self, user_id: int, limit: int = 30) -> tuple[list[DeckCard], int]:
        """The deck in number order (first limit cards) and its size."""
        await settle(self.db, user_id)
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(review_cards)
                    .where(review_cards.c.user_id == user_id, review_cards.c.in_deck.is_(True))
                    .order_by(review_cards.c.deck_no)
                    .limit(limit)
                )
            ).all()
            total = (
                await conn.execute(
                    select(func.count()).where(
                        review_cards.c.user_id == user_id, review_cards.c.in_deck.is_(True)
                    )
                )
            ).scalar_one()
        return [DeckCard(r.id, r.deck_no, r.question_id, card_of(r)) for r in rows], int(total)

    async def add(self, user_id: int, question_id: str, now: datetime) -> tuple[AddStatus, int]:
        """Put a question into the deck by hand; it is due at once when it is new."""
        await settle(self.db, user_id)
        return await self.db.run_write(add_card, user_id, question_id, now)

    async def remove(self, user_id: int, deck_no: int, now: datetime) -> str | None:
        """Take card number deck_no out of the deck (its FSRS state stays); its question id."""
        await settle(self.db, user_id)
        async with self.db.write() as conn:
            return (
                await conn.execute(
                    update(review_cards)
                    .where(
                        review_cards.c.user_id == user_id,
                        review_cards.c.deck_no == deck_no,
                        review_cards.c.in_deck.is_(True),
                    )
                    .values(in_deck=False, deck_no=None, updated_at=now)
                    .returning(review_cards.c.question_id)
                )
            ).scalar_one_or_none()

    # ------------------------------------------------------------------ settings

    async def settings(self, user_id: int) -> ReviewSettings:
        async with self.db.read() as conn:
            row = (await conn.execute(_SETTINGS, {"user_id": user_id})).first()
        return _settings_of(row, user_id)

    async def _upsert(self, user_id: int, now: datetime, **values: object) -> None:
        values["updated_at"] = now
        row = {"user_id": user_id, "retention": DEFAULT_RETENTION, **values}
        async with self.db.write() as conn:
            await conn.execute(
                self.db.insert(settings_table)
                .values(**row)
                .on_conflict_do_update(index_elements=["user_id"], set_=values)
            )

    async def set_retention(self, user_id: int, retention: float, now: datetime) -> None:
        await self._upsert(user_id, now, retention=retention)

    async def set_reminder(
        self, user_id: int, at: time | None, zone: str | None, now: datetime
    ) -> None:
        await self._upsert(
            user_id, now, remind_at=at.strftime("%H:%M") if at else None, remind_zone=zone
        )

    async def remember_dm(self, user_id: int, chat_id: int, now: datetime) -> bool:
        """The private chat reminders go to: the last one the person spoke to the bot in.

        True when it changed."""
        current = await self.settings(user_id)
        if current.dm_chat_id == chat_id:
            return False
        await self._upsert(user_id, now, dm_chat_id=chat_id)
        return True

    async def post_question(self, post_id: int) -> tuple[str, bool] | None:
        """A post's question and whether the post is still open (its answer not yet public)."""
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(posts.c.question_id, posts.c.closed_at).where(posts.c.id == post_id)
                )
            ).first()
        return (row.question_id, row.closed_at is None) if row else None

    async def post_of_message(self, chat_id: int, message_ref: str) -> int | None:
        """The post a message of the bot's in this chat carries (a reply names the message)."""
        async with self.db.read() as conn:
            return (
                await conn.execute(
                    select(posts.c.id)
                    .where(posts.c.chat_id == chat_id, posts.c.message_ref == message_ref)
                    .order_by(posts.c.id.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()

    async def may_see_post(self, user_id: int, chat_id: int, post_id: int) -> bool:
        """Whether the person could have seen the post: it is in this chat, or they answered it.

        A chat's own questions are that chat's; a post number alone must not open one to
        someone outside it."""
        async with self.db.read() as conn:
            in_chat = (
                await conn.execute(
                    select(posts.c.id).where(posts.c.id == post_id, posts.c.chat_id == chat_id)
                )
            ).first()
            if in_chat is not None:
                return True
            answered = (
                await conn.execute(
                    select(answers.c.id)
                    .where(answers.c.post_id == post_id, answers.c.user_id == user_id)
                    .limit(1)
                )
            ).first()
        return answered is not None

    async def reminders(self, user_id: int | None = None) -> list[Reminder]:
        """Reminders that are on and have a private chat that still takes messages."""
        query = (
            select(settings_table, chats.c.platform, chats.c.chat_key, chats.c.is_group)
            .select_from(settings_table.join(chats, chats.c.id == settings_table.c.dm_chat_id))
            .where(settings_table.c.remind_at.is_not(None), chats.c.gone_at.is_(None))
            .order_by(settings_table.c.user_id)
        )
        if user_id is not None:
            query = query.where(settings_table.c.user_id == user_id)
        async with self.db.read() as conn:
            rows = (await conn.execute(query)).all()
        return [Reminder(_settings_of(r, r.user_id), chat_ref_of(r)) for r in rows]

    async def user_for_dm(self, chat_id: int) -> int | None:
        async with self.db.read() as conn:
            return (
                await conn.execute(
                    select(settings_table.c.user_id)
                    .where(settings_table.c.dm_chat_id == chat_id)
                    .limit(1)
                )
            ).scalar_one_or_none()

    async def claim_reminder(
        self,
        *,
        user_id: int,
        chat_id: int,
        local_date: date,
        due_at: datetime,
        now: datetime,
        instance: str,
    ) -> int | None:
        """Claim today's reminder for a person; None when it was claimed already."""
        async with self.db.write() as conn:
            claim = claim_statement(
                self.db,
                key=reminder_key(user_id, local_date),
                kind="review",
                chat_id=chat_id,
                due_at=due_at,
                now=now,
                instance=instance,
            )
            return (await conn.execute(claim)).scalar_one_or_none()

    async def reminded(self, user_id: int, local_date: date) -> bool:
        async with self.db.read() as conn:
            found = (
                await conn.execute(
                    select(outbox.c.id).where(
                        and_(outbox.c.key == reminder_key(user_id, local_date))
                    )
                )
            ).first()
        return found is not None


def reminder_key(user_id: int, local_date: date) -> str:
    return f"review:{user_id}:{local_date.isoformat()}"
