"""Rows written by bot.storage.bulk are stored exactly as Core would store them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from bot.services.quiz import QuizService
from bot.services.registry import Registry
from bot.storage.bulk import insert_rows, update_rows
from bot.storage.db import Database
from bot.storage.tables import answers
from bot.types import ChatRef, UserRef

# A whole second (no microseconds) and a time in another zone: the two cases where a
# DBAPI's own datetime adapter would write a different text than SQLAlchemy does.
WHOLE = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
SEOUL = datetime(2026, 11, 26, 10, 0, 0, 250_000, tzinfo=timezone(timedelta(hours=9)))
COLUMNS = ("post_id", "chat_id", "user_id", "option", "correct", "points", "elapsed_ms",
           "answered_at")  # fmt: skip


async def _post_and_people(db: Database) -> tuple[int, int, list[int]]:
    registry = Registry(db)
    chat = await registry.chat_id(ChatRef("t", "bulk", True), WHOLE)
    people = [await registry.user_id(UserRef("t", f"b{i}", f"p{i}")) for i in range(4)]
    post = await QuizService(db).open_post(
        chat_id=chat, question_id="q", options_count=4, correct=(2,), kind="quiz",
        now=WHOLE, closes_at=None,
    )  # fmt: skip
    return chat, post, people


def _raw(conn, post: int) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    cols = ", ".join(COLUMNS[2:])
    sql = f"SELECT {cols} FROM answers WHERE post_id = {int(post)} ORDER BY user_id"
    return [tuple(r) for r in conn.exec_driver_sql(sql)]


async def test_bulk_rows_read_back_as_core_rows(db: Database) -> None:
    chat, post, (a, b, c, d) = await _post_and_people(db)

    def core(conn, user: int, when: datetime, correct: bool) -> None:  # type: ignore[no-untyped-def]
        conn.execute(
            answers.insert(),
            [dict(zip(COLUMNS, (post, chat, user, 2, correct, 10, 5, when), strict=True))],
        )

    def bulk(conn) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
        return insert_rows(
            conn, answers, COLUMNS,
            [(post, chat, c, 2, True, 10, 5, WHOLE), (post, chat, d, 2, False, 10, 5, SEOUL),
             (post, chat, a, 3, True, 0, 0, WHOLE)],
            conflict=("post_id", "user_id"), returning=("user_id",),
        )  # fmt: skip

    await db.run_write(core, a, WHOLE, True)
    await db.run_write(core, b, SEOUL, False)
    went_in = await db.run_write(bulk)
    assert sorted(r[0] for r in went_in) == [c, d]  # a's row was there: ON CONFLICT kept it
    rows = await db.run_read(_raw, post)
    by_user = {r[0]: r[1:] for r in rows}
    assert by_user[c] == by_user[a]  # the same values, stored the same way
    assert by_user[d] == by_user[b]
    async with db.read() as conn:
        back = (await conn.execute(select(answers.c.answered_at).where(
            answers.c.post_id == post, answers.c.user_id == d))).scalar_one()  # fmt: skip
    assert back == SEOUL

    def bump(conn) -> None:  # type: ignore[no-untyped-def]
        ids = {r.user_id: r.id for r in conn.execute(select(answers.c.id, answers.c.user_id))}
        update_rows(conn, answers, "id", ("points", "answered_at"), [(7, SEOUL, ids[a])])
        conn.execute(
            answers.update().where(answers.c.id == ids[b]).values(points=7, answered_at=SEOUL)
        )

    await db.run_write(bump)
    rows = {r[0]: r[1:] for r in await db.run_read(_raw, post)}
    assert rows[a][2] == rows[b][2] == 7  # points
    assert rows[a][4] == rows[b][4]  # answered_at, as Core wrote it
