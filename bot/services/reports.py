"""오류신고 and corrections: members report a question; instructors fix a chat's own one.

A report names a post (the number its card shows) and a reason; one per person, chat and
question. The first open report of a question in a chat tells the chat's instructors, once:
a notice claimed in the outbox (kind "report") for each instructor's private chat with the
bot where one is known, else one in the chat itself.

A fix of a chat's own question changes its row in chat_questions; a new key also queues a
re-score job in the same transaction (bot/services/rescore.py applies it), and every fix
resolves the question's open reports in that chat.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from bot.content.draft import Draft
from bot.services.bank import RETIRED, decode_answers, encode_answers
from bot.services.rescore import FIX, insert_job
from bot.storage.db import Database, as_utc
from bot.storage.tables import (
    chat_questions,
    chats,
    instructors,
    outbox,
    posts,
    question_reports,
    review_settings,
    users,
)

REASON_MAX = 300
NOTICE_KIND = "report"


def notice_key(chat_id: int, question_id: str, target_chat_id: int) -> str:
    return f"report:{chat_id}:{question_id}:{target_chat_id}"[:120]


class ReportStatus(enum.Enum):
    SAVED = "saved"
    TWICE = "twice"  # this person reported this question here already
    UNKNOWN = "unknown"  # no such post in this chat


@dataclass(frozen=True, slots=True)
class Reported:
    status: ReportStatus
    report_id: int = 0
    question_id: str = ""
    notified: int = 0  # notices queued for instructors (0 when they were told already)


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    chat_id: int
    post_id: int
    question_id: str
    reporter: str
    reason: str
    created_at: datetime
    others: int = 0  # further open reports of the same question in the chat


@dataclass(frozen=True, slots=True)
class PostOfChat:
    post_id: int
    question_id: str
    closed: bool


class FixStatus(enum.Enum):
    DONE = "done"
    UNKNOWN = "unknown"  # no such post or question
    BUNDLED = "bundled"  # the bundled material is read-only in chat
    FOREIGN = "foreign"  # another chat's question
    RETIRED = "retired"  # already retired
    SAME = "same"  # the key given is the key it has
    OUT_OF_RANGE = "out_of_range"


@dataclass(frozen=True, slots=True)
class Fixed:
    status: FixStatus
    number: int = 0
    old_key: tuple[int, ...] = ()
    new_key: tuple[int, ...] = ()
    job_id: int | None = None
    options: int = 0
    resolved: int = 0


# Reports with the reporter's display name, for listings and notices.
_WITH_NAMES = select(question_reports, users.c.display_name).select_from(
    question_reports.join(users, users.c.id == question_reports.c.user_id)
)


class ReportService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------------ finding the post

    async def post(self, chat_id: int, post_id: int) -> PostOfChat | None:
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(posts.c.id, posts.c.question_id, posts.c.closed_at).where(
                        posts.c.id == post_id, posts.c.chat_id == chat_id
                    )
                )
            ).first()
        return PostOfChat(row.id, row.question_id, row.closed_at is not None) if row else None

    async def post_of_message(self, chat_id: int, message_ref: str) -> PostOfChat | None:
        """The post a replied-to message is the card of."""
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(posts.c.id, posts.c.question_id, posts.c.closed_at)
                    .where(posts.c.chat_id == chat_id, posts.c.message_ref == message_ref)
                    .order_by(posts.c.id.desc())
                    .limit(1)
                )
            ).first()
        return PostOfChat(row.id, row.question_id, row.closed_at is not None) if row else None

    # ------------------------------------------------------------------ reports

    async def report(
        self, chat_id: int, post_id: int, user_id: int, reason: str, now: datetime
    ) -> Reported:
        def run(conn: Connection) -> Reported:
            post = conn.execute(
                select(posts.c.question_id).where(posts.c.id == post_id, posts.c.chat_id == chat_id)
            ).first()
            if post is None:
                return Reported(ReportStatus.UNKNOWN)
            qid = post.question_id
            saved = conn.execute(
                self.db.insert(question_reports)
                .values(
                    chat_id=chat_id,
                    question_id=qid,
                    post_id=post_id,
                    user_id=user_id,
                    reason=reason,
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["chat_id", "question_id", "user_id"])
                .returning(question_reports.c.id)
            ).scalar_one_or_none()
            if saved is None:
                return Reported(ReportStatus.TWICE, question_id=qid)
            notified = 0
            for target in _targets(conn, chat_id):
                claimed = conn.execute(
                    self.db.insert(outbox)
                    .values(
                        key=notice_key(chat_id, qid, target),
                        kind=NOTICE_KIND,
                        chat_id=target,
                        due_at=now,
                        attempts=0,
                    )
                    .on_conflict_do_nothing(index_elements=["key"])
                    .returning(outbox.c.id)
                ).scalar_one_or_none()
                notified += claimed is not None
            return Reported(ReportStatus.SAVED, int(saved), qid, notified)

        return await self.db.run_write(run)

    async def open_reports(self, chat_id: int, limit: int = 20) -> tuple[list[Report], int]:
        """The chat's open reports, the first of each question (oldest first), and how many
        questions have any."""
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    _WITH_NAMES.where(
                        question_reports.c.chat_id == chat_id,
                        question_reports.c.resolved_at.is_(None),
                    ).order_by(question_reports.c.id)
                )
            ).all()
        first: dict[str, Report] = {}
        count: dict[str, int] = {}
        for r in rows:
            count[r.question_id] = count.get(r.question_id, 0) + 1
            if r.question_id not in first:
                first[r.question_id] = _report_of(r)
        listed = [Report(**{**_fields(rep), "others": count[q] - 1}) for q, rep in first.items()]
        return listed[:limit], len(listed)

    async def for_notice(self, claim_id: int) -> tuple[Report, int] | None:
        """A claimed report notice: the question's first open report and the reported chat."""
        async with self.db.read() as conn:
            key = (
                await conn.execute(select(outbox.c.key).where(outbox.c.id == claim_id))
            ).scalar_one_or_none()
            if key is None:
                return None
            _, chat_part, rest = key.split(":", 2)
            qid = rest.rsplit(":", 1)[0]
            rows = (
                await conn.execute(
                    _WITH_NAMES.where(
                        question_reports.c.chat_id == int(chat_part),
                        question_reports.c.question_id == qid,
                    ).order_by(question_reports.c.id)
                )
            ).all()
        if not rows:
            return None
        return _report_of(rows[0]), int(chat_part)

    # ------------------------------------------------------------------ fixing

    async def fix(
        self,
        chat_id: int,
        number: int,
        by: int,
        now: datetime,
        *,
        key: tuple[int, ...] | None = None,
        draft: Draft | None = None,
        retire: bool = False,
    ) -> Fixed:
        """Change a chat's own question: a new key (queues a re-score), new text (draft), or
        retire it; every fix resolves the question's open reports in the chat."""

        def run(conn: Connection) -> Fixed:
            row = conn.execute(select(chat_questions).where(chat_questions.c.id == number)).first()
            if row is None:
                return Fixed(FixStatus.UNKNOWN)
            if row.chat_id != chat_id:
                return Fixed(FixStatus.FOREIGN, number)
            options = len(json.loads(row.options))
            old = decode_answers(row.answers)
            values: dict[str, Any] = {"updated_at": now}
            job_id = None
            if retire:
                if row.state == RETIRED:
                    return Fixed(FixStatus.RETIRED, number, old)
                values["state"] = RETIRED
            elif key is not None:
                if any(not 1 <= k <= options for k in key):
                    return Fixed(FixStatus.OUT_OF_RANGE, number, old, key, options=options)
                if tuple(sorted(key)) == tuple(sorted(old)):
                    return Fixed(FixStatus.SAME, number, old, key)
                values["answers"] = encode_answers(tuple(sorted(key)))
                job_id = insert_job(conn, f"chat-{number}", sorted(key), FIX, by, now)
            elif draft is not None:
                values |= {
                    "stem": draft.stem,
                    "options": json.dumps(list(draft.options), ensure_ascii=False),
                    "explanation": draft.explanation,
                }
            conn.execute(
                update(chat_questions).where(chat_questions.c.id == number).values(**values)
            )
            resolved = conn.execute(
                update(question_reports)
                .where(
                    question_reports.c.chat_id == chat_id,
                    question_reports.c.question_id == f"chat-{number}",
                    question_reports.c.resolved_at.is_(None),
                )
                .values(resolved_at=now, resolved_by=by)
            ).rowcount
            new = tuple(sorted(key)) if key is not None else old
            return Fixed(FixStatus.DONE, number, old, new, job_id, options, int(resolved or 0))

        return await self.db.run_write(run)

    async def resolve(self, chat_id: int, question_id: str, by: int, now: datetime) -> int:
        """Close a question's open reports in the chat (a bundled question, dealt with)."""
        async with self.db.write() as conn:
            result = await conn.execute(
                update(question_reports)
                .where(
                    question_reports.c.chat_id == chat_id,
                    question_reports.c.question_id == question_id,
                    question_reports.c.resolved_at.is_(None),
                )
                .values(resolved_at=now, resolved_by=by)
            )
        return int(result.rowcount or 0)

    async def open_count(self, chat_id: int) -> int:
        async with self.db.read() as conn:
            return int(
                (
                    await conn.execute(
                        select(func.count()).where(
                            question_reports.c.chat_id == chat_id,
                            question_reports.c.resolved_at.is_(None),
                        )
                    )
                ).scalar_one()
            )


def _targets(conn: Connection, chat_id: int) -> list[int]:
    """Where the chat's instructors hear of a report: each one's private chat with the bot
    where known (the last one they spoke to it in), else the group itself."""
    private = (
        conn.execute(
            select(review_settings.c.dm_chat_id)
            .select_from(
                instructors.join(
                    review_settings, review_settings.c.user_id == instructors.c.user_id
                ).join(chats, chats.c.id == review_settings.c.dm_chat_id)
            )
            .where(
                instructors.c.chat_id == chat_id,
                review_settings.c.dm_chat_id.is_not(None),
                chats.c.gone_at.is_(None),
                chats.c.is_group.is_(False),
            )
            .distinct()
        )
        .scalars()
        .all()
    )
    if private:
        return sorted(int(c) for c in private)
    # No private chat known: the group hears of it (a private chat of the reporter's own,
    # where a review was reported, has no one else to tell).
    group = conn.execute(select(chats.c.is_group).where(chats.c.id == chat_id)).scalar_one()
    return [chat_id] if group else []


def _fields(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "chat_id": report.chat_id,
        "post_id": report.post_id,
        "question_id": report.question_id,
        "reporter": report.reporter,
        "reason": report.reason,
        "created_at": report.created_at,
    }


def _report_of(row: Any) -> Report:
    return Report(
        row.id,
        row.chat_id,
        row.post_id,
        row.question_id,
        row.display_name,
        row.reason,
        as_utc(row.created_at) or row.created_at,
    )
