"""Each question's 정답률 across every chat on the installation.

Maintained counts, not an aggregate over the answers: when a post closes, its answers are
added to ``question_stats`` (one row per question and option picked) in the transaction
that closes it (apply_question_stats, called from QuizService.close beside the board
totals). The reveal's "전체 정답률", /hard and /stats's suspicious keys read a few rows per
question, however many answers are stored.

What counts: every closed post except a review (a review is one person's repeat attempt at
a question they already answered, and would count them twice). A person who meets the same
question in two chats counts in both: the counts are answers, one per person per post.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from bot.storage.db import Database
from bot.storage.tables import answers, posts, question_stats

# Post kinds whose answers do not count toward a question's 정답률.
NOT_COUNTED = ("review",)
# The reveal shows the installation-wide rate once this many have answered (fewer is noise,
# and one chat's own line already says how it went there).
SHOW_MIN = 30
# /hard lists questions at least this many have answered, hardest first.
HARD_MIN = 10
# /stats flags a question's key from this many answers: a rate at or below FLAG_RATE, or one
# wrong option picked by at least FLAG_PILE of everyone and more often than the key.
FLAG_MIN = 10
FLAG_RATE = 0.2
FLAG_PILE = 0.5


@dataclass(frozen=True, slots=True)
class QuestionRate:
    question_id: str
    answered: int
    right: int
    picks: dict[int, int]  # option -> how many picked it

    @property
    def rate(self) -> float:
        return self.right / self.answered if self.answered else 0.0

    def pile(self, key: tuple[int, ...]) -> tuple[int, int] | None:
        """The most-picked wrong option and its picks, when it outdraws the whole key."""
        wrong = [(n, o) for o, n in self.picks.items() if o not in key]
        if not wrong:
            return None
        count, option = max(wrong)
        return (option, count) if count > self.right else None

    def suspicious(self, key: tuple[int, ...]) -> str | None:
        """'low' or 'pile' when the key may be wrong; None otherwise (or too few answers)."""
        if self.answered < FLAG_MIN:
            return None
        pile = self.pile(key)
        if pile is not None and pile[1] >= FLAG_PILE * self.answered:
            return "pile"
        if self.rate <= FLAG_RATE:
            return "low"
        return None


def _insert(conn: Connection) -> Any:
    return (sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert)(question_stats)


_ONE_IF_RIGHT = case((answers.c.correct, 1), else_=0)

_POST_PICKS = (
    select(
        answers.c.option,
        func.count().label("picks"),
        func.sum(_ONE_IF_RIGHT).label("accepted"),
    )
    .where(answers.c.post_id == bindparam("post_id"))
    .group_by(answers.c.option)
)


def apply_question_stats(conn: Connection, post_id: int, question_id: str, kind: str) -> None:
    """Add a post that has just closed to its question's counts (in the closing transaction)."""
    if kind in NOT_COUNTED:
        return
    rows = [
        {
            "question_id": question_id,
            "option": r.option,
            "picks": int(r.picks),
            "accepted": int(r.accepted or 0),
        }
        for r in conn.execute(_POST_PICKS, {"post_id": post_id})
    ]
    if not rows:
        return
    ins = _insert(conn)
    conn.execute(
        ins.on_conflict_do_update(
            index_elements=["question_id", "option"],
            set_={
                "picks": question_stats.c.picks + ins.excluded.picks,
                "accepted": question_stats.c.accepted + ins.excluded.accepted,
            },
        ),
        rows,
    )


_RATES = select(
    question_stats.c.question_id,
    question_stats.c.option,
    question_stats.c.picks,
    question_stats.c.accepted,
).where(question_stats.c.question_id.in_(bindparam("ids", expanding=True)))


def _fold(rows: Iterable[Any]) -> dict[str, QuestionRate]:
    acc: dict[str, tuple[int, int, dict[int, int]]] = {}
    for r in rows:
        answered, right, picks = acc.get(r.question_id, (0, 0, {}))
        picks[int(r.option)] = picks.get(int(r.option), 0) + int(r.picks)
        acc[r.question_id] = (answered + int(r.picks), right + int(r.accepted), picks)
    return {q: QuestionRate(q, a, c, p) for q, (a, c, p) in acc.items()}


def rates_of(conn: Connection, question_ids: list[str]) -> dict[str, QuestionRate]:
    if not question_ids:
        return {}
    return _fold(conn.execute(_RATES, {"ids": list(dict.fromkeys(question_ids))}))


def _hardest(
    conn: Connection, minimum: int, question_ids: list[str] | None, limit: int
) -> list[QuestionRate]:
    """One grouped read in the key's order (question_id leads it), sorted and cut in SQL."""
    answered = func.sum(question_stats.c.picks)
    right = func.sum(question_stats.c.accepted)
    query = (
        select(question_stats.c.question_id, answered.label("answered"), right.label("right"))
        .group_by(question_stats.c.question_id)
        .having(answered >= minimum)
        .order_by((right * 1.0 / answered).asc(), answered.desc(), question_stats.c.question_id)
        .limit(limit)
    )
    if question_ids is not None:
        query = query.where(question_stats.c.question_id.in_(question_ids))
    return [
        QuestionRate(r.question_id, int(r.answered), int(r.right), {})
        for r in conn.execute(query)
    ]


def rebuild_question_stats(conn: Connection) -> None:
    """Build every count from the stored answers of closed posts."""
    conn.execute(delete(question_stats))
    rows = conn.execute(
        select(
            posts.c.question_id,
            answers.c.option,
            func.count().label("picks"),
            func.sum(_ONE_IF_RIGHT).label("accepted"),
        )
        .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
        .where(posts.c.closed_at.is_not(None), posts.c.kind.not_in(NOT_COUNTED))
        .group_by(posts.c.question_id, answers.c.option)
    ).all()
    if rows:
        conn.execute(
            question_stats.insert(),
            [
                {
                    "question_id": r.question_id,
                    "option": r.option,
                    "picks": int(r.picks),
                    "accepted": int(r.accepted or 0),
                }
                for r in rows
            ],
        )


class QuestionStatsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def rates(self, question_ids: list[str]) -> dict[str, QuestionRate]:
        """The installation-wide counts of each question that has any."""
        return await self.db.run_read(rates_of, question_ids)

    async def rate(self, question_id: str) -> QuestionRate | None:
        return (await self.rates([question_id])).get(question_id)

    async def hardest(
        self, question_ids: set[str] | None = None, *, minimum: int = HARD_MIN, limit: int = 10
    ) -> list[QuestionRate]:
        """Questions at least minimum have answered, lowest 정답률 first (then most answered).

        question_ids narrows the list to a subject or topic (None: every question); the
        rates come without the picks per option.
        """
        ids = sorted(question_ids) if question_ids is not None else None
        if ids is not None and not ids:
            return []
        return await self.db.run_read(_hardest, minimum, ids, limit)

    async def rebuild(self) -> None:
        await self.db.run_write(rebuild_question_stats)

    async def check(self) -> list[str]:
        """Differences between the maintained counts and the answers; [] when they agree."""

        def run(conn: Connection) -> list[str]:
            have = {
                (r.question_id, int(r.option)): (int(r.picks), int(r.accepted))
                for r in conn.execute(select(question_stats))
            }
            want = {
                (r.question_id, int(r.option)): (int(r.picks), int(r.accepted or 0))
                for r in conn.execute(
                    select(
                        posts.c.question_id,
                        answers.c.option,
                        func.count().label("picks"),
                        func.sum(_ONE_IF_RIGHT).label("accepted"),
                    )
                    .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
                    .where(posts.c.closed_at.is_not(None), posts.c.kind.not_in(NOT_COUNTED))
                    .group_by(posts.c.question_id, answers.c.option)
                )
            }
            return [
                f"question {q} option {o}: counts {have.get((q, o))}, answers {want.get((q, o))}"
                for q, o in sorted(set(have) | set(want))
                if have.get((q, o)) != want.get((q, o))
            ][:50]

        return await self.db.run_read(run)
