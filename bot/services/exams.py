"""Timed mock exams (모의고사): papers, their questions and answers, grading once.

A paper is one person's sitting in a private chat: N questions of one subject, a deadline
stored with it (so a restart re-arms the timer with the time left, and a paper whose
deadline passed while the bot was down is graded at start), and an answer per question
that may change until the paper is graded. Nothing is revealed before then.

Each question's card answers through a post of kind "exam" opened with options_count 0
and no key: QuizService.record_answer refuses every option on it (OUT_OF_RANGE, or
CLOSED once graded) without storing an answer, so an exam answer never reaches the
answers table, the boards or a contest; the handler routes it here instead.

A question's topic in a paper is its chapter's title (운영체제, 가상화, 정보보호 개요): every
question has exactly one, they are the sections a 9급 subject is studied by, and the
per-topic breakdown reads the same across papers.
"""

from __future__ import annotations

import random
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.content.loader import Library
from bot.content.schema import Question
from bot.services.quiz import decode_correct, encode_correct
from bot.services.review import AddStatus, add_card, drain_all, review_in
from bot.storage.db import AnyRow, Database, as_utc
from bot.storage.tables import exam_items, exam_papers, posts

KIND = "exam"
DEFAULT_QUESTIONS = 20  # a 9급 subject paper
DEFAULT_MINUTES = 20
MIN_QUESTIONS, MAX_QUESTIONS = 1, 40
MIN_MINUTES, MAX_MINUTES = 5, 120
PASS_MARK = 40  # below this a subject is 과락
OPEN, GRADED = "open", "graded"
SUBMIT, TIMEOUT = "submit", "timeout"

# Short names people type for a subject, besides its key and its full name.
SUBJECT_ALIASES = {
    "컴일": "computer-general",
    "컴퓨터": "computer-general",
    "computer": "computer-general",
    "cs": "computer-general",
    "정보보호": "information-security",
    "정보보안": "information-security",
    "보안": "information-security",
    "security": "information-security",
    "infosec": "information-security",
}


# ------------------------------------------------------------------ the bank


@dataclass(frozen=True, slots=True)
class Subject:
    key: str  # "computer-general"
    name: str  # "컴퓨터일반"


def subjects(library: Library) -> list[Subject]:
    """The subjects the bank has questions for, in the content's order."""
    found: dict[str, Subject] = {}
    for chapter in library.chapters:
        if chapter.questions:
            found.setdefault(chapter.subject, Subject(chapter.subject, chapter.subject_name))
    return list(found.values())


def _squash(text: str) -> str:
    return "".join(text.lower().split())


def find_subject(library: Library, text: str) -> Subject | None:
    """'컴퓨터일반', 'computer-general', '컴일', '정보보호' and the like; None when unknown."""
    wanted = _squash(text)
    if not wanted:
        return None
    known = subjects(library)
    alias = SUBJECT_ALIASES.get(wanted)
    for subject in known:
        names = {_squash(subject.key), _squash(subject.name), subject.key.replace("-", "")}
        if wanted in names or alias == subject.key:
            return subject
    return None


def topic_of(library: Library) -> dict[str, str]:
    """Chapter key -> the topic a paper files its questions under (the chapter's title)."""
    return {c.key: c.title for c in library.chapters}


def _priority(q: Question) -> tuple[bool, bool, bool]:
    # 기출 first, then four-option questions before O/X, written before generated.
    return (not q.past_exam, q.kind != "choice", q.generated)


def draw(library: Library, subject: str, count: int, rng: random.Random) -> list[Question]:
    """count questions of a subject spread evenly over its topics, 기출 first, no repeats.

    Topics take turns (in a random order, so the remainder lands anywhere); within a topic
    기출 come first, and a generated question whose term another generated question of the
    paper already asks about is passed over (two forms of one fact are one question). The
    paper lists its questions topic by topic, each topic's 기출 first.
    """
    chapters = [c for c in library.chapters if c.subject == subject and c.questions]
    order = {c.key: i for i, c in enumerate(chapters)}
    pools: dict[str, list[Question]] = {c.key: [] for c in chapters}
    for question in library.questions.values():
        if question.chapter in pools:
            pools[question.chapter].append(question)
    for pool in pools.values():
        rng.shuffle(pool)
        pool.sort(key=_priority)  # stable: shuffled within each tier
    turns = list(pools)
    rng.shuffle(turns)
    picked: list[tuple[int, int, Question]] = []
    taken_terms: set[str] = set()
    cursor = dict.fromkeys(pools, 0)
    while len(picked) < count and turns:
        for key in list(turns):
            if len(picked) >= count:
                break
            pool = pools[key]
            while cursor[key] < len(pool):
                question = pool[cursor[key]]
                cursor[key] += 1
                if question.generated and taken_terms & set(question.terms):
                    continue
                if question.generated:
                    taken_terms.update(question.terms)
                picked.append((order[key], len(picked), question))
                break
            else:
                turns.remove(key)
    picked.sort(key=lambda p: (p[0], p[1]))
    return [q for _, _, q in picked]


def score_of(right: int, total: int) -> int:
    """Out of 100, rounded half up (5 points a question on a 20-question paper)."""
    if total <= 0:
        return 0
    return (right * 200 + total) // (total * 2)


# ------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class Paper:
    id: int
    user_id: int
    chat_id: int
    subject: str
    total: int
    minutes: int
    started_at: datetime
    deadline: datetime
    at_slot: int
    state: str
    ended_at: datetime | None = None
    ended_by: str | None = None
    right: int | None = None
    score: int | None = None

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    def time_used(self) -> timedelta:
        end = self.ended_at or self.deadline
        return min(end, self.deadline) - self.started_at


@dataclass(frozen=True, slots=True)
class Item:
    slot: int
    question_id: str
    topic: str
    key: tuple[int, ...]
    post_id: int
    option: int | None
    shown_at: datetime | None
    answered_at: datetime | None
    correct: bool | None

    @property
    def elapsed_ms(self) -> int:
        if self.shown_at is None or self.answered_at is None:
            return 0
        return max(0, int((self.answered_at - self.shown_at).total_seconds() * 1000))


@dataclass(frozen=True, slots=True)
class Graded:
    paper: Paper
    items: list[Item]
    # (chat id, message ref, native ref) of cards whose buttons should stop taking answers.
    cards: list[tuple[int, str, str | None]]
    added: int = 0  # questions this paper put into the person's review deck


@dataclass(frozen=True, slots=True)
class Planned:
    """A question as a paper sets it."""

    question_id: str
    topic: str
    key: tuple[int, ...]


def _paper_of(row: AnyRow) -> Paper:
    started, deadline = as_utc(row.started_at), as_utc(row.deadline)
    assert started is not None and deadline is not None
    return Paper(
        id=row.id,
        user_id=row.user_id,
        chat_id=row.chat_id,
        subject=row.subject,
        total=row.total,
        minutes=row.minutes,
        started_at=started,
        deadline=deadline,
        at_slot=row.at_slot,
        state=row.state,
        ended_at=as_utc(row.ended_at),
        ended_by=row.ended_by,
        right=row.right_count,
        score=row.score,
    )


def _item_of(row: AnyRow) -> Item:
    return Item(
        slot=row.slot,
        question_id=row.question_id,
        topic=row.topic,
        key=decode_correct(row.answer_key),
        post_id=row.post_id,
        option=row.option,
        shown_at=as_utc(row.shown_at),
        answered_at=as_utc(row.answered_at),
        correct=row.correct,
    )


def _items(conn: Connection, paper_id: int) -> list[Item]:
    rows = conn.execute(
        select(exam_items).where(exam_items.c.paper_id == paper_id).order_by(exam_items.c.slot)
    ).all()
    return [_item_of(r) for r in rows]


def _open_of(conn: Connection, user_id: int) -> Paper | None:
    row = conn.execute(
        select(exam_papers).where(exam_papers.c.user_id == user_id, exam_papers.c.state == OPEN)
    ).first()
    return _paper_of(row) if row else None


class ExamService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def open_paper(self, user_id: int) -> Paper | None:
        return await self.db.run_read(_open_of, user_id)

    async def paper(self, paper_id: int) -> Paper | None:
        async with self.db.read() as conn:
            row = (
                await conn.execute(select(exam_papers).where(exam_papers.c.id == paper_id))
            ).first()
        return _paper_of(row) if row else None

    async def items(self, paper_id: int) -> list[Item]:
        return await self.db.run_read(_items, paper_id)

    async def create(
        self,
        *,
        user_id: int,
        chat_id: int,
        subject: str,
        minutes: int,
        questions: list[Planned],
        now: datetime,
    ) -> tuple[Paper, bool]:
        """Start a paper; (the open paper, False) when the person has one open already.

        The check and the partial unique index together keep one open paper per person,
        also when two processes start one at the same moment.
        """

        def run(conn: Connection) -> Paper | None:
            if _open_of(conn, user_id) is not None:
                return None
            paper_id = conn.execute(
                exam_papers.insert()
                .values(
                    user_id=user_id,
                    chat_id=chat_id,
                    subject=subject,
                    total=len(questions),
                    minutes=minutes,
                    started_at=now,
                    deadline=now + timedelta(minutes=minutes),
                    at_slot=1,
                    state=OPEN,
                )
                .returning(exam_papers.c.id)
            ).scalar_one()
            for slot, planned in enumerate(questions, 1):
                post_id = conn.execute(
                    posts.insert()
                    .values(
                        chat_id=chat_id,
                        question_id=planned.question_id,
                        kind=KIND,
                        options_count=0,  # takes no answer as a post: see the module doc
                        correct="",
                        opened_by=user_id,
                        opened_at=now,
                        closes_at=None,  # the paper's deadline governs, not the quiz runner
                    )
                    .returning(posts.c.id)
                ).scalar_one()
                conn.execute(
                    exam_items.insert().values(
                        paper_id=paper_id,
                        slot=slot,
                        question_id=planned.question_id,
                        topic=planned.topic,
                        answer_key=encode_correct(planned.key),
                        post_id=post_id,
                    )
                )
            row = conn.execute(select(exam_papers).where(exam_papers.c.id == paper_id)).one()
            return _paper_of(row)

        try:
            made = await self.db.run_write(run)
        except IntegrityError:
            made = None  # another process opened one between our check and insert
        if made is not None:
            return made, True
        current = await self.open_paper(user_id)
        assert current is not None
        return current, False

    async def by_post(self, post_id: int) -> tuple[Paper, Item] | None:
        def run(conn: Connection) -> tuple[Paper, Item] | None:
            row = conn.execute(select(exam_items).where(exam_items.c.post_id == post_id)).first()
            if row is None:
                return None
            paper = conn.execute(select(exam_papers).where(exam_papers.c.id == row.paper_id)).one()
            return _paper_of(paper), _item_of(row)

        return await self.db.run_read(run)

    async def show(self, paper_id: int, slot: int, now: datetime) -> None:
        """Note the slot as the one in front of the person (bare numbers answer it)."""
        async with self.db.write() as conn:
            await conn.execute(
                update(exam_papers)
                .where(exam_papers.c.id == paper_id, exam_papers.c.state == OPEN)
                .values(at_slot=slot)
            )
            await conn.execute(
                update(exam_items)
                .where(
                    exam_items.c.paper_id == paper_id,
                    exam_items.c.slot == slot,
                    exam_items.c.shown_at.is_(None),
                )
                .values(shown_at=now)
            )

    async def answer(self, paper_id: int, slot: int, option: int, now: datetime) -> bool:
        """Set (or change) a slot's answer; False once the paper is graded or out of time."""
        still_open = exists().where(
            exam_papers.c.id == paper_id,
            exam_papers.c.state == OPEN,
            exam_papers.c.deadline > now,
        )
        async with self.db.write() as conn:
            result = await conn.execute(
                update(exam_items)
                .where(exam_items.c.paper_id == paper_id, exam_items.c.slot == slot, still_open)
                .values(
                    option=option,
                    answered_at=now,
                    shown_at=func.coalesce(exam_items.c.shown_at, now),
                )
            )
            return bool(result.rowcount)

    async def grade(
        self, paper_id: int, now: datetime, ended_by: str, known: Container[str] = ()
    ) -> Graded | None:
        """Grade a paper once: the call that flips it from open gets the result, any other
        (a double submit, the timer racing a submit, another process) gets None.

        The review deck is written in the same transaction: each answer is one FSRS review
        of the person's card, each wrong one goes into the deck, and an unanswered question
        still in the bank (known) is put in by hand (there is no answer to rate). A crash
        can so never leave a graded paper whose wrong questions missed the deck: either
        both are stored, or neither and the paper is still open (its deadline grades it
        at the next start).
        """

        def run(conn: Connection) -> Graded | None:
            flipped = conn.execute(
                update(exam_papers)
                .where(exam_papers.c.id == paper_id, exam_papers.c.state == OPEN)
                .values(state=GRADED, ended_at=now, ended_by=ended_by)
                .returning(exam_papers.c.id)
            ).first()
            if flipped is None:
                return None
            items = _items(conn, paper_id)
            right = [i.slot for i in items if i.option is not None and i.option in i.key]
            conn.execute(
                update(exam_items)
                .where(exam_items.c.paper_id == paper_id)
                .values(correct=exam_items.c.slot.in_(right) if right else False)
            )
            conn.execute(
                update(exam_papers)
                .where(exam_papers.c.id == paper_id)
                .values(right_count=len(right), score=score_of(len(right), len(items)))
            )
            post_ids = [i.post_id for i in items]
            cards = conn.execute(
                update(posts)
                .where(posts.c.id.in_(post_ids), posts.c.closed_at.is_(None))
                .values(closed_at=now)
                .returning(posts.c.chat_id, posts.c.message_ref, posts.c.native_ref)
            ).all()
            paper = _paper_of(
                conn.execute(select(exam_papers).where(exam_papers.c.id == paper_id)).one()
            )
            graded_items = _items(conn, paper_id)
            added = 0
            # The person's deferred group answers are older reviews: applied first.
            drain_all(conn, [paper.user_id])
            for item in graded_items:
                if item.option is not None:
                    reviewed = review_in(
                        conn,
                        user_id=paper.user_id,
                        question_id=item.question_id,
                        post_id=item.post_id,
                        kind="exam",
                        correct=bool(item.correct),
                        elapsed_ms=item.elapsed_ms,
                        now=now,
                    )
                    added += int(reviewed is not None and reviewed.added)
                elif item.question_id in known:
                    status, _ = add_card(conn, paper.user_id, item.question_id, now)
                    added += int(status is AddStatus.ADDED)
            return Graded(
                paper,
                graded_items,
                [(r.chat_id, r.message_ref, r.native_ref) for r in cards if r.message_ref],
                added,
            )

        return await self.db.run_write(run)

    async def open_papers(self) -> list[Paper]:
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(exam_papers)
                    .where(exam_papers.c.state == OPEN)
                    .order_by(exam_papers.c.deadline)
                )
            ).all()
        return [_paper_of(r) for r in rows]

    async def due(self, now: datetime) -> list[Paper]:
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(exam_papers).where(
                        and_(exam_papers.c.state == OPEN, exam_papers.c.deadline <= now)
                    )
                )
            ).all()
        return [_paper_of(r) for r in rows]

    async def history(self, user_id: int, limit: int = 10) -> tuple[list[Paper], int]:
        """The person's papers, newest first (limit of them), and how many there are."""
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(exam_papers)
                    .where(exam_papers.c.user_id == user_id)
                    .order_by(exam_papers.c.id.desc())
                    .limit(limit)
                )
            ).all()
            total = (
                await conn.execute(select(func.count()).where(exam_papers.c.user_id == user_id))
            ).scalar_one()
        return [_paper_of(r) for r in rows], int(total)


def next_unanswered(items: Iterable[Item], after: int) -> Item | None:
    """The first unanswered question after slot `after`, wrapping round; never `after`."""
    ordered = sorted(items, key=lambda i: i.slot)
    later = [i for i in ordered if i.slot > after] + [i for i in ordered if i.slot < after]
    return next((i for i in later if i.option is None), None)
