"""Leaderboards: ties share a rank, zero scores are not ranked, the caller sees their place.

Every board reads maintained totals, applied when a post closes (apply_closed_post, in
the transaction that closes it), so an open question gives nothing away and recording an
answer stays one insert:
- the all-time board reads ``scores``;
- today, this week and this month read ``board_totals`` rows for the period's bucket
  (its start instant in minutes since the epoch, in the chat's own zone);
- ranks and player counts are sums over ``board_points``, how many people hold each
  positive score, so they cost the number of distinct scores, not the number of people;
- daily streaks read ``streaks`` against the chat's newest closed daily post.
Contest posts never count here; a contest has its own standings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    literal_column,
    null,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from bot.storage.db import Database, as_utc
from bot.storage.tables import (
    UtcDateTime,
    answers,
    board_points,
    board_totals,
    chats,
    posts,
    scores,
    streak_heads,
    streaks,
    users,
)

DEFAULT_ZONE = "Asia/Seoul"  # Settings.timezone's default
# Post kinds whose answers never count on a chat's boards.
NOT_ON_BOARDS = ("contest", "review", "exam")
DAY, WEEK, MONTH, ALL = "d", "w", "m", "a"
PERIODS = (DAY, WEEK, MONTH)
# Day rows older than this are folded away (deleted) when a daily post closes: no board
# reads a past day, and weeks and months keep their own rows.
KEEP_DAYS = 40


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    user_id: int
    name: str
    points: int
    answered: int
    correct: int


@dataclass(frozen=True, slots=True)
class Board:
    top: list[Standing]
    caller: Standing | None  # None when the caller has no points on this board
    players: int  # people with points; zero scores are not ranked


@dataclass(frozen=True, slots=True)
class Record:
    """What /me shows: rank is None until the person has points on the all-time board."""

    user_id: int
    name: str
    points: int
    answered: int
    correct: int
    rank: int | None
    players: int
    streak: int


def competition_ranks(points: list[int]) -> list[int]:
    """Ranks for points sorted best first: equal points share the rank of the first of them."""
    ranks: list[int] = []
    for i, p in enumerate(points):
        ranks.append(ranks[-1] if ranks and points[i - 1] == p else i + 1)
    return ranks


# --- periods -------------------------------------------------------------------------


def minutes(instant: datetime) -> int:
    return int(instant.timestamp()) // 60


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    # The same calendar as the /top handler's period_bounds: local midnight, Monday weeks.
    return datetime.combine(day, time(0), zone).astimezone(UTC)


class Buckets:
    """Maps an answer's time to its day, week and month buckets in one zone.

    Answers of one post fall in one or two days, so the current day's range is cached.
    """

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._lo: datetime | None = None
        self._hi: datetime | None = None
        self._keys: tuple[int, int, int] = (0, 0, 0)

    def __call__(self, instant: datetime) -> tuple[int, int, int]:
        if self._lo is None or not (self._lo <= instant < self._hi):  # type: ignore[operator]
            day = instant.astimezone(self.zone).date()
            self._lo = _midnight(day, self.zone)
            self._hi = _midnight(day + timedelta(days=1), self.zone)
            week = _midnight(day - timedelta(days=day.weekday()), self.zone)
            month = _midnight(day.replace(day=1), self.zone)
            self._keys = (minutes(self._lo), minutes(week), minutes(month))
        return self._keys


def period_of(start: datetime, end: datetime) -> str:
    """The period a [start, end) range from period_bounds spans (DST moves it an hour)."""
    span = end - start
    if span <= timedelta(days=2):
        return DAY
    if span <= timedelta(days=8):
        return WEEK
    return MONTH


def zone_of(name: str | None, default: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or default)
    except (ValueError, KeyError):
        return ZoneInfo(default)


# --- reading boards --------------------------------------------------------------------
#
# Each read is one statement, so it is one round trip on PostgreSQL (run without BEGIN, in
# autocommit: see Database.run_read) and one consistent snapshot on both engines:
# - a board: the top rows, the caller's row with the people above them, and the ranked
#   total, as the branches of one UNION ALL told apart by "part";
# - /me: the caller's all-time row with rank, players and current streak;
# - streaks: the rows whose last daily post is the chat's newest closed one.
# Every branch reads a primary key or the rank index by its leading columns, so the plans
# are the same with or without ANALYZE statistics (tests/test_board_plans.py).

TOP, MINE, PLAYERS = 0, 1, 2


def _players_above(points: Any) -> Any:
    return (
        select(func.coalesce(func.sum(board_points.c.players), 0))
        .where(
            board_points.c.chat_id == bindparam("chat_id"),
            board_points.c.period == bindparam("period"),
            board_points.c.bucket == bindparam("bucket"),
            board_points.c.points > points,
        )
        .scalar_subquery()
    )


def _board_statement(table: Table, keyed: bool) -> Any:
    def where(*extra: Any) -> list[Any]:
        cond = [table.c.chat_id == bindparam("chat_id")]
        if keyed:
            cond += [table.c.period == bindparam("period"), table.c.bucket == bindparam("bucket")]
        return cond + list(extra)

    joined = table.join(users, users.c.id == table.c.user_id)
    cols = (
        table.c.user_id,
        users.c.display_name,
        table.c.points,
        table.c.answered,
        table.c.correct,
    )
    top = (
        select(
            literal_column(str(TOP), Integer).label("part"),
            *cols,
            cast(null(), Integer).label("above"),
        )
        .select_from(joined)
        # A literal 0, not a parameter: the rank index is partial (points > 0), and a
        # generic plan may use it only if the query itself says points > 0.
        .where(*where(table.c.points > literal_column("0", Integer)))
        .order_by(table.c.points.desc(), table.c.user_id)
        .limit(bindparam("limit"))
        .subquery("top")
    )
    mine = (
        select(
            literal_column(str(MINE), Integer).label("part"),
            *cols,
            _players_above(table.c.points).label("above"),
        )
        .select_from(joined)
        .where(*where(table.c.user_id == bindparam("user_id")))
    )
    players = select(
        literal_column(str(PLAYERS), Integer).label("part"),
        cast(null(), Integer).label("user_id"),
        cast(null(), String).label("display_name"),
        cast(null(), Integer).label("points"),
        cast(null(), Integer).label("answered"),
        cast(null(), Integer).label("correct"),
        _players_above(literal(0)).label("above"),
    )
    return union_all(select(*top.c), mine, players)


_ALL_BOARD = _board_statement(scores, keyed=False)
_PERIOD_BOARD = _board_statement(board_totals, keyed=True)


def _key(chat_id: int, period: str, bucket: int) -> dict[str, Any]:
    return {"chat_id": chat_id, "period": period, "bucket": bucket}


def _read_board(
    conn: Connection, statement: Any, key: dict[str, Any], user_id: int | None, limit: int
) -> Board:
    params = {**key, "limit": max(limit, 0), "user_id": -1 if user_id is None else user_id}
    rows = conn.execute(statement, params).all()
    tops = [r for r in rows if r.part == TOP]
    top = [
        Standing(rank, r.user_id, r.display_name, r.points, r.answered, r.correct)
        for rank, r in zip(competition_ranks([r.points for r in tops]), tops, strict=True)
    ]
    caller: Standing | None = None
    players = 0
    for r in rows:
        if r.part == MINE and user_id is not None and r.points > 0:
            caller = Standing(
                int(r.above) + 1, user_id, r.display_name, r.points, r.answered, r.correct
            )
        elif r.part == PLAYERS:
            players = int(r.above)
    return Board(top=top, caller=caller, players=players)


def _all_key(chat_id: int) -> dict[str, Any]:
    return _key(chat_id, ALL, 0)


def _board(conn: Connection, chat_id: int, user_id: int | None, limit: int) -> Board:
    return _read_board(conn, _ALL_BOARD, _all_key(chat_id), user_id, limit)


def _standing(conn: Connection, chat_id: int, user_id: int) -> Standing | None:
    return _read_board(conn, _ALL_BOARD, _all_key(chat_id), user_id, 0).caller


def _period_board(
    conn: Connection, chat_id: int, user_id: int | None, period: str, bucket: int, limit: int
) -> Board:
    return _read_board(conn, _PERIOD_BOARD, _key(chat_id, period, bucket), user_id, limit)


_HEAD = select(streak_heads.c.post_id).where(streak_heads.c.chat_id == bindparam("chat_id"))
# A streak is current while its last post is the chat's newest closed daily post.
_CURRENT = (
    streak_heads.c.chat_id == streaks.c.chat_id,
    streak_heads.c.post_id == streaks.c.last_post_id,
)
_STREAKS = (
    select(streaks.c.user_id, streaks.c.streak)
    .select_from(streaks.join(streak_heads, and_(*_CURRENT)))
    .where(
        streaks.c.chat_id == bindparam("chat_id"),
        streaks.c.user_id.in_(bindparam("user_ids", expanding=True)),
    )
)
_MY_STREAK = (
    select(streaks.c.streak)
    .select_from(streaks.join(streak_heads, and_(*_CURRENT)))
    .where(
        streaks.c.chat_id == scores.c.chat_id,
        streaks.c.user_id == scores.c.user_id,
        # Said outright, so the head is read by its key even in a generic plan.
        streak_heads.c.chat_id == bindparam("chat_id"),
    )
    .scalar_subquery()
)
_RECORD = (
    select(
        scores.c.points,
        scores.c.answered,
        scores.c.correct,
        users.c.display_name,
        _players_above(scores.c.points).label("above"),
        _players_above(literal(0)).label("players"),
        func.coalesce(_MY_STREAK, 0).label("streak"),
    )
    .select_from(scores.join(users, users.c.id == scores.c.user_id))
    .where(scores.c.chat_id == bindparam("chat_id"), scores.c.user_id == bindparam("user_id"))
)


def _streaks(conn: Connection, chat_id: int, user_ids: list[int]) -> dict[int, int]:
    result = dict.fromkeys(user_ids, 0)
    for row in conn.execute(_STREAKS, {"chat_id": chat_id, "user_ids": user_ids}):
        result[row.user_id] = row.streak
    return result


def _record(conn: Connection, chat_id: int, user_id: int) -> Record | None:
    mine = conn.execute(_RECORD, {**_all_key(chat_id), "user_id": user_id}).first()
    if mine is None:
        return None
    rank = int(mine.above) + 1 if mine.points > 0 else None
    return Record(
        user_id,
        mine.display_name,
        mine.points,
        mine.answered,
        mine.correct,
        rank,
        int(mine.players),
        int(mine.streak),
    )


class ScoreService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def board(self, chat_id: int, user_id: int | None, limit: int = 10) -> Board:
        # A hot path like recording answers: one read transaction in one hop.
        return await self.db.run_read(_board, chat_id, user_id, limit)

    async def standing(self, chat_id: int, user_id: int) -> Standing | None:
        """The all-time standing; None until the person has points (nobody ranks at zero)."""
        return await self.db.run_read(_standing, chat_id, user_id)

    async def record(self, chat_id: int, user_id: int) -> Record | None:
        """/me in one read: totals, rank (None at zero points), players and daily streak.

        None when the person has no closed answers in this chat.
        """
        return await self.db.run_read(_record, chat_id, user_id)

    async def period_board(
        self, chat_id: int, user_id: int | None, start: datetime, end: datetime, limit: int = 10
    ) -> Board:
        """The board for the local day, week or month starting at start (from period_bounds).

        Contests keep their own standings and never count here.
        """
        start = as_utc(start) or start
        end = as_utc(end) or end
        period, bucket = period_of(start, end), minutes(start)
        return await self.db.run_read(_period_board, chat_id, user_id, period, bucket, limit)

    async def streaks(self, chat_id: int, user_ids: list[int], depth: int = 400) -> dict[int, int]:
        """Consecutive closed daily questions answered correctly, up to the newest closed one.

        A question still open counts for nothing yet, either way; a wrong or missing
        answer to a closed one ends the streak. (depth is kept for callers; unused.)
        """
        if not user_ids:
            return {}
        return await self.db.run_read(_streaks, chat_id, list(dict.fromkeys(user_ids)))

    async def check(
        self, default_zone: str = DEFAULT_ZONE, now: datetime | None = None
    ) -> list[str]:
        """Compare every maintained total with the answers it came from; [] when they agree."""

        def run(conn: Connection) -> list[str]:
            return check_totals(conn, default_zone, now)

        return await self.db.run_read(run)


# --- maintaining totals ------------------------------------------------------------------


def _insert(conn: Connection, table: Table) -> Any:
    return (sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert)(table)


Totals = dict[int, list[int]]  # user_id -> [points, answered, correct]


def _add(into: Totals, user_id: int, points: int, correct: bool) -> None:
    got = into.get(user_id)
    if got is None:
        into[user_id] = [points, 1, int(correct)]
    else:
        got[0] += points
        got[1] += 1
        got[2] += int(correct)


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _apply(
    conn: Connection,
    chat_id: int,
    period: str,
    bucket: int,
    delta: Totals,
    hist: dict[tuple[str, int, int], int],
) -> None:
    """Add delta to one board's totals; note how each person's score moved in hist."""
    table, keyed = (scores, False) if period == ALL else (board_totals, True)
    user_ids = list(delta)
    old: dict[int, tuple[int, int, int]] = {}
    for part in _chunks(user_ids):
        cond = [table.c.chat_id == chat_id, table.c.user_id.in_(part)]
        if keyed:
            cond += [table.c.period == period, table.c.bucket == bucket]
        for r in conn.execute(
            select(table.c.user_id, table.c.points, table.c.answered, table.c.correct).where(*cond)
        ):
            old[r.user_id] = (r.points, r.answered, r.correct)
    rows = []
    for uid, (p, a, c) in delta.items():
        before = old.get(uid, (0, 0, 0))
        after = (before[0] + p, before[1] + a, before[2] + c)
        if before[0] != after[0]:
            if before[0] > 0:
                hist[(period, bucket, before[0])] = hist.get((period, bucket, before[0]), 0) - 1
            if after[0] > 0:
                hist[(period, bucket, after[0])] = hist.get((period, bucket, after[0]), 0) + 1
        row: dict[str, object] = {"chat_id": chat_id, "user_id": uid, "points": after[0]}
        row |= {"answered": after[1], "correct": after[2]}
        if keyed:
            row |= {"period": period, "bucket": bucket}
        rows.append(row)
    ins = _insert(conn, table)
    index = ["chat_id", "period", "bucket", "user_id"] if keyed else ["chat_id", "user_id"]
    upsert = ins.on_conflict_do_update(
        index_elements=index,
        set_={
            "points": ins.excluded.points,
            "answered": ins.excluded.answered,
            "correct": ins.excluded.correct,
        },
    )
    for part in _chunks(rows):
        conn.execute(upsert, part)


def _apply_hist(conn: Connection, chat_id: int, hist: dict[tuple[str, int, int], int]) -> None:
    moved = [
        {"chat_id": chat_id, "period": p, "bucket": b, "points": pts, "players": n}
        for (p, b, pts), n in hist.items()
        if n
    ]
    if not moved:
        return
    ins = _insert(conn, board_points)
    upsert = ins.on_conflict_do_update(
        index_elements=["chat_id", "period", "bucket", "points"],
        set_={"players": board_points.c.players + ins.excluded.players},
    )
    for part in _chunks(moved):
        conn.execute(upsert, part)
    conn.execute(
        delete(board_points).where(board_points.c.chat_id == chat_id, board_points.c.players <= 0)
    )


def add_totals(
    conn: Connection, chat_id: int, rows: Iterable[tuple[int, int, bool, datetime]], zone: ZoneInfo
) -> None:
    """Add answers (user_id, points, correct, answered_at) to every board of one chat."""
    buckets = Buckets(zone)
    per: dict[tuple[str, int], Totals] = {}
    every: Totals = {}
    for user_id, points, correct, answered_at in rows:
        d, w, m = buckets(answered_at)
        for period, bucket in ((DAY, d), (WEEK, w), (MONTH, m)):
            _add(per.setdefault((period, bucket), {}), user_id, points, correct)
        _add(every, user_id, points, correct)
    if not every:
        return
    hist: dict[tuple[str, int, int], int] = {}
    for (period, bucket), delta in per.items():
        _apply(conn, chat_id, period, bucket, delta, hist)
    _apply(conn, chat_id, ALL, 0, every, hist)
    _apply_hist(conn, chat_id, hist)


def adjust_totals(
    conn: Connection,
    chat_id: int,
    rows: Iterable[tuple[int, int, int, datetime]],
    zone: ZoneInfo,
    now: datetime,
) -> None:
    """Shift counted answers' points and correct counts (user_id, d_points, d_correct,
    answered_at) on every board of one chat: a re-score, so nobody's answered count moves.

    A day folded away (older than KEEP_DAYS, its rows deleted) stays folded.
    """
    buckets = Buckets(zone)
    per: dict[tuple[str, int], Totals] = {}
    every: Totals = {}

    def shift(into: Totals, user_id: int, points: int, correct: int) -> None:
        got = into.setdefault(user_id, [0, 0, 0])
        got[0] += points
        got[2] += correct

    for user_id, points, correct, answered_at in rows:
        d, w, m = buckets(answered_at)
        for period, bucket in ((DAY, d), (WEEK, w), (MONTH, m)):
            shift(per.setdefault((period, bucket), {}), user_id, points, correct)
        shift(every, user_id, points, correct)
    cutoff = minutes(now - timedelta(days=KEEP_DAYS))
    hist: dict[tuple[str, int, int], int] = {}
    for (period, bucket), delta in per.items():
        if period == DAY and bucket < cutoff:
            kept = conn.execute(
                select(board_totals.c.user_id)
                .where(
                    board_totals.c.chat_id == chat_id,
                    board_totals.c.period == DAY,
                    board_totals.c.bucket == bucket,
                )
                .limit(1)
            ).first()
            if kept is None:
                continue
        _apply(conn, chat_id, period, bucket, delta, hist)
    if every:
        _apply(conn, chat_id, ALL, 0, every, hist)
    _apply_hist(conn, chat_id, hist)


def _chat_zone(conn: Connection, chat_id: int, default: str, lock: bool) -> ZoneInfo:
    query = select(chats.c.timezone).where(chats.c.id == chat_id)
    if lock and conn.dialect.name == "postgresql":
        # One close at a time per chat: the totals are read, then written.
        query = query.with_for_update()
    return zone_of(conn.execute(query).scalar_one_or_none(), default)


def advance_streaks(conn: Connection, chat_id: int, post_id: int, right: list[int]) -> None:
    """A daily post closed: its right answerers extend their streaks, everyone else's end."""
    head = conn.execute(_HEAD, {"chat_id": chat_id}).scalar_one_or_none()
    if head is not None and head >= post_id:
        return  # an older daily question closing late does not rewrite the streaks
    if right:
        ins = _insert(conn, streaks)
        continued = streaks.c.last_post_id == (head if head is not None else -1)
        upsert = ins.on_conflict_do_update(
            index_elements=["chat_id", "user_id"],
            set_={
                "streak": case((continued, streaks.c.streak + 1), else_=1),
                "last_post_id": ins.excluded.last_post_id,
            },
        )
        for part in _chunks(right):
            conn.execute(
                upsert,
                [
                    {"chat_id": chat_id, "user_id": u, "streak": 1, "last_post_id": post_id}
                    for u in part
                ],
            )
    ins = _insert(conn, streak_heads)
    conn.execute(
        ins.values(chat_id=chat_id, post_id=post_id).on_conflict_do_update(
            index_elements=["chat_id"], set_={"post_id": ins.excluded.post_id}
        )
    )


def fold_days(conn: Connection, chat_id: int, now: datetime) -> None:
    """Delete day rows no board can show any more (weeks and months keep their own)."""
    cutoff = minutes(now - timedelta(days=KEEP_DAYS))
    for table in (board_totals, board_points):
        conn.execute(
            delete(table).where(
                table.c.chat_id == chat_id, table.c.period == DAY, table.c.bucket < cutoff
            )
        )


_POST_ANSWERS = select(
    answers.c.user_id, answers.c.points, answers.c.correct, answers.c.answered_at
).where(answers.c.post_id == bindparam("post_id"))


def apply_closed_post(
    conn: Connection, post_id: int, chat_id: int, kind: str, now: datetime, default_zone: str
) -> None:
    """Count a post that has just closed, in the transaction that closed it."""
    if kind in NOT_ON_BOARDS:
        # Contest points count only in the contest's own standings; a review is private.
        return
    zone = _chat_zone(conn, chat_id, default_zone, lock=True)
    rows = [
        (r.user_id, r.points, bool(r.correct), as_utc(r.answered_at) or now)
        for r in conn.execute(_POST_ANSWERS, {"post_id": post_id})
    ]
    add_totals(conn, chat_id, rows, zone)
    if kind == "daily":
        advance_streaks(conn, chat_id, post_id, sorted({r[0] for r in rows if r[2]}))
        fold_days(conn, chat_id, now)


# --- building and checking from the answers ----------------------------------------------


def _closed_answers(conn: Connection, chat_id: int, batch: int = 20_000) -> Iterator[Any]:
    """A chat's counted answers (closed, not contest) in (answered_at, id) order, in pages."""
    base = (
        select(
            answers.c.id,
            answers.c.user_id,
            answers.c.points,
            answers.c.correct,
            answers.c.answered_at,
        )
        .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
        .where(
            answers.c.chat_id == chat_id,
            posts.c.kind.not_in(NOT_ON_BOARDS),
            posts.c.closed_at.is_not(None),
        )
        .order_by(answers.c.answered_at, answers.c.id)
        .limit(batch)
    )
    last: tuple[datetime, int] | None = None
    while True:
        query = base
        if last is not None:
            query = base.where(
                answers.c.answered_at >= last[0],
                tuple_(answers.c.answered_at, answers.c.id) > tuple_(*last),
            )
        page = conn.execute(query).all()
        yield from page
        if len(page) < batch:
            return
        last = (page[-1].answered_at, page[-1].id)


def _chat_ids(conn: Connection) -> list[int]:
    return list(conn.execute(select(chats.c.id).order_by(chats.c.id)).scalars())


def _aggregate_chat(
    conn: Connection, chat_id: int, zone: ZoneInfo
) -> Iterator[tuple[str, int, Totals]]:
    """Each finished (period, bucket) of a chat's counted answers, then the all-time totals.

    Answers come in time order, so a period is complete when the next one starts: memory
    holds one day, one week and one month of the chat at most (plus the all-time totals).
    """
    buckets = Buckets(zone)
    open_: dict[str, tuple[int, Totals]] = {}
    every: Totals = {}
    for r in _closed_answers(conn, chat_id):
        keys = buckets(as_utc(r.answered_at))
        for period, bucket in zip(PERIODS, keys, strict=True):
            current = open_.get(period)
            if current is None or current[0] != bucket:
                if current is not None:
                    yield period, current[0], current[1]
                current = (bucket, {})
                open_[period] = current
            _add(current[1], r.user_id, r.points, bool(r.correct))
        _add(every, r.user_id, r.points, bool(r.correct))
    for period, (bucket, totals) in open_.items():
        yield period, bucket, totals
    yield ALL, 0, every


def _hist_of(totals: Totals) -> dict[int, int]:
    hist: dict[int, int] = {}
    for p, _a, _c in totals.values():
        if p > 0:
            hist[p] = hist.get(p, 0) + 1
    return hist


def _daily_streaks(conn: Connection, chat_id: int) -> tuple[int | None, dict[int, list[int]]]:
    """Replay the chat's closed daily posts in order: (head post, user -> [streak, last]).

    The right answerers are read a hundred posts at a time; memory holds one entry per
    person who was ever right, and one chunk's answers.
    """
    closed_daily = (
        posts.c.chat_id == chat_id,
        posts.c.kind == "daily",
        posts.c.closed_at.is_not(None),
    )
    daily = list(
        conn.execute(select(posts.c.id).where(*closed_daily).order_by(posts.c.id)).scalars()
    )
    state: dict[int, list[int]] = {}
    head: int | None = None
    for chunk in _chunks(daily, 100):
        right: dict[int, list[int]] = {}
        for r in conn.execute(
            select(answers.c.post_id, answers.c.user_id).where(
                answers.c.post_id.in_(chunk), answers.c.correct.is_(True)
            )
        ):
            right.setdefault(r.post_id, []).append(r.user_id)
        for post_id in chunk:
            for uid in right.get(post_id, ()):
                got = state.get(uid)
                if got is not None and got[1] == head:
                    got[0] += 1
                    got[1] = post_id
                else:
                    state[uid] = [1, post_id]
            head = post_id
    return head, state


def rebuild_chat_streaks(conn: Connection, chat_id: int) -> None:
    """Replay one chat's closed daily posts into its streaks (after answers were re-scored)."""
    for table in (streaks, streak_heads):
        conn.execute(delete(table).where(table.c.chat_id == chat_id))
    _build_streaks(conn, chat_id)


# The builder's scratch tables: each chat with its zone, the calendar of local days per
# zone, and the counted answers with their day, week and month buckets.
_scratch = MetaData()
_zoned = Table(
    "totals_chats",
    _scratch,
    Column("chat_id", Integer, primary_key=True),
    Column("zone_no", Integer, nullable=False),
    Column("zone", String(64), nullable=False),
    prefixes=["TEMPORARY"],
)
_calendar = Table(
    "totals_calendar",
    _scratch,
    Column("zone_no", Integer, primary_key=True),
    Column("lo", UtcDateTime(), primary_key=True),  # the local day's first instant
    Column("day", Date, nullable=False),  # the local date
    Column("d", Integer, nullable=False),
    Column("w", Integer, nullable=False),
    Column("m", Integer, nullable=False),
    prefixes=["TEMPORARY"],
)
_counted = Table(
    "totals_counted",
    _scratch,
    Column("chat_id", Integer, nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("points", Integer, nullable=False),
    Column("correct", Integer, nullable=False),
    Column("d", Integer, nullable=False),
    Column("w", Integer, nullable=False),
    Column("m", Integer, nullable=False),
    prefixes=["TEMPORARY"],
)


def _calendar_rows(
    zone_no: int, zone: ZoneInfo, first: datetime, last: datetime
) -> list[dict[str, object]]:
    """One row per local day from first's to last's: its first instant and its buckets.

    An instant's day is the latest row starting at or before it, which is the day Buckets
    gives it (a day starts at _midnight, DST included).
    """
    buckets = Buckets(zone)
    day, end = first.astimezone(zone).date(), last.astimezone(zone).date()
    rows: list[dict[str, object]] = []
    while day <= end:
        lo = _midnight(day, zone)
        d, w, m = buckets(lo)
        rows.append({"zone_no": zone_no, "lo": lo, "day": day, "d": d, "w": w, "m": m})
        day += timedelta(days=1)
    return rows


def _count_answers(conn: Connection) -> None:
    """Every counted answer (closed, not contest) into _counted, with its buckets.

    Set-based, in one statement: PostgreSQL finds each answer's local date itself
    (AT TIME ZONE) and hash-joins the calendar; SQLite has no zones, so each answer finds
    the latest calendar day starting at or before it, one index probe.
    """
    day = _calendar.alias("day")
    source = answers.join(posts, posts.c.id == answers.c.post_id).join(
        _zoned, _zoned.c.chat_id == answers.c.chat_id
    )
    if conn.dialect.name == "postgresql":
        local_date = cast(func.timezone(_zoned.c.zone, answers.c.answered_at), Date)
        on = and_(day.c.zone_no == _zoned.c.zone_no, day.c.day == local_date)
    else:
        starts = (
            select(func.max(_calendar.c.lo))
            .where(_calendar.c.zone_no == _zoned.c.zone_no, _calendar.c.lo <= answers.c.answered_at)
            .scalar_subquery()
        )
        on = and_(day.c.zone_no == _zoned.c.zone_no, day.c.lo == starts)
    counted = (
        select(
            answers.c.chat_id,
            answers.c.user_id,
            answers.c.points,
            cast(answers.c.correct, Integer),
            day.c.d,
            day.c.w,
            day.c.m,
        )
        .select_from(source.join(day, on))
        .where(posts.c.kind.not_in(NOT_ON_BOARDS), posts.c.closed_at.is_not(None))
    )
    names = ["chat_id", "user_id", "points", "correct", "d", "w", "m"]
    conn.execute(_counted.insert().from_select(names, counted))


def _build_boards(conn: Connection) -> None:
    """Each board from _counted in one INSERT … SELECT … GROUP BY; then the rank counts.

    The database sorts or hashes to disk as it needs, so memory stays bounded.
    """
    sums = (func.sum(_counted.c.points), func.count(), func.sum(_counted.c.correct))
    for period, column in ((DAY, _counted.c.d), (WEEK, _counted.c.w), (MONTH, _counted.c.m)):
        grouped = select(
            _counted.c.chat_id, literal(period, String), column, _counted.c.user_id, *sums
        ).group_by(_counted.c.chat_id, column, _counted.c.user_id)
        conn.execute(
            board_totals.insert().from_select(
                ["chat_id", "period", "bucket", "user_id", "points", "answered", "correct"],
                grouped,
            )
        )
    every = select(_counted.c.chat_id, _counted.c.user_id, *sums).group_by(
        _counted.c.chat_id, _counted.c.user_id
    )
    conn.execute(
        scores.insert().from_select(["chat_id", "user_id", "points", "answered", "correct"], every)
    )
    hist_cols = ["chat_id", "period", "bucket", "points", "players"]
    bt = board_totals.c
    by_period = (
        select(bt.chat_id, bt.period, bt.bucket, bt.points, func.count())
        .where(bt.points > 0)
        .group_by(bt.chat_id, bt.period, bt.bucket, bt.points)
    )
    conn.execute(board_points.insert().from_select(hist_cols, by_period))
    all_time = (
        select(
            scores.c.chat_id,
            literal(ALL, String),
            literal(0, Integer),
            scores.c.points,
            func.count(),
        )
        .where(scores.c.points > 0)
        .group_by(scores.c.chat_id, scores.c.points)
    )
    conn.execute(board_points.insert().from_select(hist_cols, all_time))


def _zones(conn: Connection, default_zone: str) -> dict[str, tuple[int, ZoneInfo, list[int]]]:
    """Chats by the zone their boards use: zone name -> (number, zone, chat ids)."""
    out: dict[str, tuple[int, ZoneInfo, list[int]]] = {}
    for chat_id, name in conn.execute(select(chats.c.id, chats.c.timezone).order_by(chats.c.id)):
        zone = zone_of(name, default_zone)
        got = out.setdefault(zone.key, (len(out) + 1, zone, []))
        got[2].append(chat_id)
    return out


def _build_streaks(conn: Connection, chat_id: int) -> None:
    head, state = _daily_streaks(conn, chat_id)
    if head is None:
        return
    conn.execute(streak_heads.insert().values(chat_id=chat_id, post_id=head))
    rows = [
        {"chat_id": chat_id, "user_id": u, "streak": s, "last_post_id": last}
        for u, (s, last) in state.items()
    ]
    for part in _chunks(rows, 2000):
        conn.execute(streaks.insert(), part)


def _rank_index(table: Table, name: str) -> Index:
    return next(i for i in table.indexes if i.name == name)


# As tables.py defines them (partial, points > 0): a rebuild run by migration 0003 makes
# them so a little early, and 0012 makes them so again.
_RANK_INDEXES = (
    _rank_index(scores, "ix_scores_rank"),
    _rank_index(board_totals, "ix_board_totals_rank"),
)


def _analyze(conn: Connection, *tables: Table) -> None:
    # PostgreSQL keeps no statistics of a fresh temporary table (autovacuum never sees
    # one), and without them it plans these joins and groupings badly.
    if conn.dialect.name == "postgresql":
        for table in tables:
            conn.exec_driver_sql(f"ANALYZE {table.name}")


def rebuild_totals(conn: Connection, default_zone: str = DEFAULT_ZONE) -> None:
    """Build every total from the stored answers, set-based, in bounded memory.

    The answers are read once, into a scratch table with their buckets; every board is
    then one grouped INSERT … SELECT over all chats; streaks are replayed chat by chat.
    """
    for table in (board_points, board_totals, scores, streaks, streak_heads):
        conn.execute(delete(table))
    # Rows go in primary-key order, but the rank indexes would take them in random order:
    # building those once at the end, from sorted rows, is several times faster.
    for index in _RANK_INDEXES:
        index.drop(conn)
    for table in (_zoned, _calendar, _counted):
        table.create(conn, checkfirst=False)
    try:
        zones = _zones(conn, default_zone)
        first, last = conn.execute(
            select(func.min(answers.c.answered_at), func.max(answers.c.answered_at))
        ).one()
        if first is not None:
            for name, (zone_no, zone, chat_ids) in zones.items():
                rows = [{"chat_id": c, "zone_no": zone_no, "zone": name} for c in chat_ids]
                for part in _chunks(rows, 2000):
                    conn.execute(_zoned.insert(), part)
                days = _calendar_rows(zone_no, zone, as_utc(first), as_utc(last))
                for part in _chunks(days, 2000):
                    conn.execute(_calendar.insert(), part)
            _analyze(conn, _zoned, _calendar)
            _count_answers(conn)
            _analyze(conn, _counted)
            _build_boards(conn)
        for chat_id in _chat_ids(conn):
            _build_streaks(conn, chat_id)
    finally:
        for table in (_counted, _calendar, _zoned):
            table.drop(conn)
    for index in _RANK_INDEXES:
        index.create(conn)


def check_totals(
    conn: Connection, default_zone: str = DEFAULT_ZONE, now: datetime | None = None
) -> list[str]:
    """Differences between the maintained totals and the answers; [] when they agree.

    Day rows older than KEEP_DAYS before now may have been folded away; a missing day
    that old is not a difference.
    """
    problems: list[str] = []
    horizon = minutes((now or datetime.now(UTC)) - timedelta(days=KEEP_DAYS))

    def note(text: str) -> None:
        if len(problems) < 50:
            problems.append(text)

    for chat_id in _chat_ids(conn):
        zone = _chat_zone(conn, chat_id, default_zone, lock=False)
        seen: dict[str, set[int]] = {p: set() for p in PERIODS}
        for period, bucket, want in _aggregate_chat(conn, chat_id, zone):
            if period == ALL:
                table, cond = scores, [scores.c.chat_id == chat_id]
            else:
                seen[period].add(bucket)
                table = board_totals
                cond = [
                    board_totals.c.chat_id == chat_id,
                    board_totals.c.period == period,
                    board_totals.c.bucket == bucket,
                ]
            have = {
                r.user_id: [r.points, r.answered, r.correct]
                for r in conn.execute(
                    select(
                        table.c.user_id, table.c.points, table.c.answered, table.c.correct
                    ).where(*cond)
                )
            }
            if period == DAY and bucket < horizon and not have:
                continue  # folded away
            where = f"chat {chat_id} {period}:{bucket}"
            for uid in sorted(set(want) | set(have)):
                if want.get(uid) != have.get(uid):
                    note(f"{where} user {uid}: totals {have.get(uid)}, answers {want.get(uid)}")
            hist = {
                r.points: r.players
                for r in conn.execute(
                    select(board_points.c.points, board_points.c.players).where(
                        board_points.c.chat_id == chat_id,
                        board_points.c.period == period,
                        board_points.c.bucket == bucket,
                    )
                )
            }
            if hist != _hist_of(want):
                note(f"{where}: rank counts {hist}, answers {_hist_of(want)}")
        for period in PERIODS:
            stray = conn.execute(
                select(board_totals.c.bucket)
                .where(board_totals.c.chat_id == chat_id, board_totals.c.period == period)
                .distinct()
            ).scalars()
            for bucket in stray:
                if bucket not in seen[period]:
                    note(f"chat {chat_id} {period}:{bucket}: totals without answers")
        head, state = _daily_streaks(conn, chat_id)
        stored_head = conn.execute(_HEAD, {"chat_id": chat_id}).scalar_one_or_none()
        if stored_head != head:
            note(f"chat {chat_id}: newest closed daily post {stored_head}, answers say {head}")
        stored = {
            r.user_id: [r.streak, r.last_post_id]
            for r in conn.execute(
                select(streaks.c.user_id, streaks.c.streak, streaks.c.last_post_id).where(
                    streaks.c.chat_id == chat_id
                )
            )
        }
        current = {u: s for u, s in state.items() if s[1] == head}
        for uid in sorted(set(current) | {u for u, s in stored.items() if s[1] == head}):
            if current.get(uid) != stored.get(uid):
                note(
                    f"chat {chat_id} streak of user {uid}: "
                    f"{stored.get(uid)}, answers {current.get(uid)}"
                )
    return problems
