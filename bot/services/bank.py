"""The question bank a chat draws on: the bundled questions (read-only) and its own.

A chat's own questions live in chat_questions and are asked as ``chat-<id>``; the pickers
(/quiz, the daily question, contests) take their pool from :meth:`QuestionBank.for_chat`, and
the reveal and answer paths resolve any id through :meth:`QuestionBank.get`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update

from bot.content.draft import IMAGE_REF, Draft
from bot.content.loader import Library
from bot.content.schema import DIAGRAM_REF, Question
from bot.storage.db import Database
from bot.storage.tables import (
    authoring_sessions,
    chat_questions,
    chats,
    question_images,
    question_shares,
    users,
)
from bot.types import Image

PREFIX = "chat-"
DRAFT, PENDING, LIVE, RETIRED, REJECTED = "draft", "pending", "live", "retired", "rejected"
SESSION_TTL = timedelta(days=1)


def question_id(number: int) -> str:
    return f"{PREFIX}{number}"


def number_of(qid: str) -> int | None:
    """The chat question's number in 'chat-12', else None (a bundled id)."""
    if not qid.startswith(PREFIX):
        return None
    digits = qid[len(PREFIX) :]
    return int(digits) if digits.isdigit() and len(digits) <= 12 else None


def encode_answers(answers: tuple[int, ...]) -> str:
    return ",".join(str(a) for a in answers)


def decode_answers(raw: str) -> tuple[int, ...]:
    return tuple(int(p) for p in raw.split(",") if p.strip().isdigit())


@dataclass(frozen=True, slots=True)
class ChatQuestion:
    number: int
    chat_id: int
    author_id: int
    author_name: str
    state: str
    draft: Draft
    created_at: datetime

    @property
    def id(self) -> str:
        return question_id(self.number)

    def question(self) -> Question:
        return self.draft.question(self.id, chapter=f"chat/{self.chat_id}")


@dataclass(frozen=True, slots=True)
class Session:
    """A person's question in the making: the draft, the step it waits at, the groups offered."""

    step: str  # "group", "explanation", "topic"
    draft: Draft
    purpose: str  # "addq"
    groups: tuple[int, ...] = ()
    chat_id: int | None = None  # the group chosen
    drafts: tuple[Draft, ...] = ()  # purpose "import": a file's questions waiting for a group


def _draft_of(row: Any) -> Draft:
    return Draft(
        stem=row.stem,
        options=tuple(json.loads(row.options)),
        answers=decode_answers(row.answers),
        explanation=row.explanation,
        topics=tuple(json.loads(row.topics)),
        image_id=row.image_id,
        source=row.source or "",
    )


def _draft_json(draft: Draft) -> dict[str, Any]:
    return {
        "stem": draft.stem,
        "options": list(draft.options),
        "answers": list(draft.answers),
        "explanation": draft.explanation,
        "topics": list(draft.topics),
        "image_id": draft.image_id,
        "source": draft.source,
    }


def _draft_from_json(data: dict[str, Any]) -> Draft:
    return Draft(
        stem=str(data.get("stem", "")),
        options=tuple(str(o) for o in data.get("options", [])),
        answers=tuple(int(a) for a in data.get("answers", [])),
        explanation=str(data.get("explanation", "")),
        topics=tuple(str(t) for t in data.get("topics", [])),
        image_id=int(data["image_id"]) if data.get("image_id") is not None else None,
        source=str(data.get("source", "")),
    )


_COLUMNS = (
    chat_questions.c.id,
    chat_questions.c.chat_id,
    chat_questions.c.author_id,
    chat_questions.c.state,
    chat_questions.c.stem,
    chat_questions.c.options,
    chat_questions.c.answers,
    chat_questions.c.explanation,
    chat_questions.c.topics,
    chat_questions.c.created_at,
    chat_questions.c.image_id,
    chat_questions.c.source,
    users.c.display_name,
)


def _item(row: Any) -> ChatQuestion:
    return ChatQuestion(
        number=row.id,
        chat_id=row.chat_id,
        author_id=row.author_id,
        author_name=row.display_name,
        state=row.state,
        draft=_draft_of(row),
        created_at=row.created_at,
    )


class QuestionBank:
    def __init__(self, db: Database, library: Library) -> None:
        self.db = db
        self.library = library

    # ------------------------------------------------------------------ reading

    def _select(self) -> Any:
        return select(*_COLUMNS).select_from(
            chat_questions.join(users, users.c.id == chat_questions.c.author_id)
        )

    async def chat_questions(self, chat_id: int) -> list[Question]:
        """The chat's live questions and those of the chats that share their set with it."""
        shared = select(question_shares.c.from_chat_id).where(
            question_shares.c.to_chat_id == chat_id
        )
        async with self.db.read() as conn:
            rows = await conn.execute(
                self._select()
                .where(
                    chat_questions.c.state == LIVE,
                    or_(chat_questions.c.chat_id == chat_id, chat_questions.c.chat_id.in_(shared)),
                )
                .order_by(chat_questions.c.id)
            )
            return [_item(r).question() for r in rows]

    async def for_chat(self, chat_id: int) -> list[Question]:
        """Every question the chat may be asked: the bundled ones, then its own live ones."""
        return [*self.library.questions.values(), *await self.chat_questions(chat_id)]

    async def own_topics(self, chat_id: int) -> list[str]:
        """The topics of the chat's own questions (the bundled ones are the library's)."""
        return list(dict.fromkeys(t for q in await self.chat_questions(chat_id) for t in q.topics))

    async def item(self, number: int) -> ChatQuestion | None:
        async with self.db.read() as conn:
            row = (await conn.execute(self._select().where(chat_questions.c.id == number))).first()
        return _item(row) if row is not None else None

    async def get(self, qid: str) -> Question | None:
        """A bundled question, or a chat's question in any state (a post may outlive it)."""
        number = number_of(qid)
        if number is None:
            return self.library.questions.get(qid)
        found = await self.item(number)
        return found.question() if found is not None else None

    async def get_many(self, qids: Iterable[str]) -> dict[str, Question]:
        """Each id's question that is known (bundled, or a chat's in any state), in one read."""
        found: dict[str, Question] = {}
        numbers: list[int] = []
        for qid in dict.fromkeys(qids):
            number = number_of(qid)
            if number is None:
                if (question := self.library.questions.get(qid)) is not None:
                    found[qid] = question
            else:
                numbers.append(number)
        if numbers:
            async with self.db.read() as conn:
                rows = await conn.execute(self._select().where(chat_questions.c.id.in_(numbers)))
                for row in rows:
                    question = _item(row).question()
                    found[question.id] = question
        return found

    async def listing(self, chat_id: int, state: str, limit: int | None = 20) -> list[ChatQuestion]:
        async with self.db.read() as conn:
            rows = await conn.execute(
                self._select()
                .where(chat_questions.c.chat_id == chat_id, chat_questions.c.state == state)
                .order_by(chat_questions.c.id)
                .limit(limit)
            )
            return [_item(r) for r in rows]

    async def count(self, chat_id: int, state: str) -> int:
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(chat_questions.c.id).where(
                    chat_questions.c.chat_id == chat_id, chat_questions.c.state == state
                )
            )
            return len(rows.all())

    # ------------------------------------------------------------------ writing

    async def add(
        self, chat_id: int, author_id: int, draft: Draft, state: str, now: datetime
    ) -> int:
        (number,) = await self.add_many(chat_id, author_id, [draft], state, now)
        return number

    async def add_many(
        self, chat_id: int, author_id: int, drafts: list[Draft], state: str, now: datetime
    ) -> list[int]:
        """Several questions in one transaction (a file's set): all of them or none."""
        numbers: list[int] = []
        async with self.db.write() as conn:
            for draft in drafts:
                result = await conn.execute(
                    chat_questions.insert()
                    .values(
                        chat_id=chat_id,
                        author_id=author_id,
                        state=state,
                        stem=draft.stem,
                        options=json.dumps(list(draft.options), ensure_ascii=False),
                        answers=encode_answers(draft.answers),
                        explanation=draft.explanation,
                        topics=json.dumps(list(draft.topics), ensure_ascii=False),
                        image_id=draft.image_id,
                        source=draft.source or None,
                        created_at=now,
                        updated_at=now,
                    )
                    .returning(chat_questions.c.id)
                )
                numbers.append(int(result.scalar_one()))
        return numbers

    async def publish(self, chat_id: int, numbers: list[int] | None, by: int, now: datetime) -> int:
        """Make the chat's drafts live (those numbered, or all); how many went live."""
        where = [chat_questions.c.chat_id == chat_id, chat_questions.c.state == DRAFT]
        if numbers is not None:
            where.append(chat_questions.c.id.in_(numbers))
        async with self.db.write() as conn:
            result = await conn.execute(
                update(chat_questions)
                .where(*where)
                .values(state=LIVE, updated_at=now, reviewed_by=by, reviewed_at=now)
            )
            return int(result.rowcount or 0)

    async def drop_drafts(self, chat_id: int, numbers: list[int] | None, now: datetime) -> int:
        """Retire drafts nobody wants (kept as rows, so numbers are never reused)."""
        where = [chat_questions.c.chat_id == chat_id, chat_questions.c.state == DRAFT]
        if numbers is not None:
            where.append(chat_questions.c.id.in_(numbers))
        async with self.db.write() as conn:
            result = await conn.execute(
                update(chat_questions).where(*where).values(state=RETIRED, updated_at=now)
            )
            return int(result.rowcount or 0)

    async def set_image(self, number: int, chat_id: int, image_id: int, now: datetime) -> bool:
        """Give a live or draft question of the chat its picture (replacing one it had)."""
        async with self.db.write() as conn:
            result = await conn.execute(
                update(chat_questions)
                .where(
                    chat_questions.c.id == number,
                    chat_questions.c.chat_id == chat_id,
                    chat_questions.c.state.in_((DRAFT, LIVE)),
                )
                .values(image_id=image_id, updated_at=now)
            )
            return bool(result.rowcount)

    # ------------------------------------------------------------------ pictures

    async def store_image(self, user_id: int, media_type: str, data: bytes, now: datetime) -> int:
        """Keep a checked picture (bot.content.upload.image_type, IMAGE_MAX) for a question."""
        async with self.db.write() as conn:
            result = await conn.execute(
                question_images.insert()
                .values(user_id=user_id, media_type=media_type, data=data, created_at=now)
                .returning(question_images.c.id)
            )
            return int(result.scalar_one())

    async def image_of(self, question: Question) -> Image | None:
        """The picture a question stands on, ready to send; None when it has none (or it is
        gone: a question is still asked without its picture rather than not at all)."""
        ref = question.image
        if not ref:
            return None
        alt = question.stem.splitlines()[0][:200] if question.stem else question.id
        if ref.startswith(IMAGE_REF):
            digits = ref[len(IMAGE_REF) :]
            if not digits.isdigit():
                return None
            async with self.db.read() as conn:
                row = (
                    await conn.execute(
                        select(question_images.c.media_type, question_images.c.data).where(
                            question_images.c.id == int(digits)
                        )
                    )
                ).first()
            if row is None:
                return None
            ext = row.media_type.rsplit("/", 1)[-1].replace("jpeg", "jpg")
            return Image(bytes(row.data), alt, name=f"question-{digits}.{ext}")
        if ref.startswith(DIAGRAM_REF):
            from bot import pictures
            from bot.pictures.diagrams import DIAGRAMS

            name = ref[len(DIAGRAM_REF) :]
            spec = DIAGRAMS.get(name)
            if spec is None:
                return None
            return Image(await pictures.render_diagram(name), spec.alt, name=f"{name}.png")
        png = self.library.picture(question)
        return Image(png, alt, name=ref.rsplit("/", 1)[-1]) if png is not None else None

    async def move(
        self,
        number: int,
        chat_id: int,
        *,
        from_state: str,
        to_state: str,
        by: int,
        now: datetime,
        draft: Draft | None = None,
    ) -> bool:
        """Change a question's state (and text) only if it is still in from_state in that chat:
        a stale or foreign button changes nothing, and of two taps only one wins."""
        values: dict[str, Any] = {
            "state": to_state,
            "updated_at": now,
            "reviewed_by": by,
            "reviewed_at": now,
        }
        if draft is not None:
            values |= {
                "stem": draft.stem,
                "options": json.dumps(list(draft.options), ensure_ascii=False),
                "answers": encode_answers(draft.answers),
                "explanation": draft.explanation,
                "topics": json.dumps(list(draft.topics), ensure_ascii=False),
            }
        async with self.db.write() as conn:
            result = await conn.execute(
                update(chat_questions)
                .where(
                    chat_questions.c.id == number,
                    chat_questions.c.chat_id == chat_id,
                    chat_questions.c.state == from_state,
                )
                .values(**values)
            )
            return bool(result.rowcount)

    async def share(self, from_chat: int, to_chats: list[int], by: int, now: datetime) -> int:
        """Share a chat's set with other chats; how many had not had it yet."""
        added = 0
        async with self.db.write() as conn:
            for target in to_chats:
                if target == from_chat:
                    continue
                result = await conn.execute(
                    self.db.insert(question_shares)
                    .values(from_chat_id=from_chat, to_chat_id=target, shared_by=by, shared_at=now)
                    .on_conflict_do_nothing(index_elements=["from_chat_id", "to_chat_id"])
                )
                added += result.rowcount or 0
        return added

    async def chat_names(self, chat_ids: list[int]) -> dict[int, str]:
        """How a chat is named when a person picks one: its title, else its platform id."""
        if not chat_ids:
            return {}
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(chats.c.id, chats.c.title, chats.c.chat_key).where(chats.c.id.in_(chat_ids))
            )
            return {r.id: r.title or r.chat_key for r in rows}

    # ------------------------------------------------------------------ sessions

    async def session(self, user_id: int, now: datetime) -> Session | None:
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(authoring_sessions).where(authoring_sessions.c.user_id == user_id)
                )
            ).first()
        if row is None or row.updated_at + SESSION_TTL < now:
            return None
        data = json.loads(row.payload)
        return Session(
            step=row.step,
            draft=_draft_from_json(data.get("draft", {})),
            purpose=str(data.get("purpose", "addq")),
            groups=tuple(int(g) for g in data.get("groups", [])),
            chat_id=data.get("chat_id"),
            drafts=tuple(_draft_from_json(d) for d in data.get("drafts", [])),
        )

    async def save_session(self, user_id: int, session: Session, now: datetime) -> None:
        payload = json.dumps(
            {
                "draft": _draft_json(session.draft),
                "purpose": session.purpose,
                "groups": list(session.groups),
                "chat_id": session.chat_id,
                "drafts": [_draft_json(d) for d in session.drafts],
            },
            ensure_ascii=False,
        )
        stmt = self.db.insert(authoring_sessions).values(
            user_id=user_id, step=session.step, payload=payload, updated_at=now
        )
        async with self.db.write() as conn:
            await conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["user_id"],
                    set_={"step": session.step, "payload": payload, "updated_at": now},
                )
            )

    async def end_session(self, user_id: int) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                delete(authoring_sessions).where(authoring_sessions.c.user_id == user_id)
            )
