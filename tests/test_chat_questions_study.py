"""A chat's own questions (chat-<n>) in the learner's side: decks, /hard, /stats, /review add.

Exams keep to the bundled bank (a paper mirrors a 9급 subject paper; a chat's question has
no subject), which the last test pins down.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.content.draft import Draft
from bot.content.loader import Library
from bot.render import question_card
from bot.services.bank import LIVE
from bot.services.question_stats import HARD_MIN
from bot.storage.db import Database
from bot.types import ChatRef
from tests.conftest import Harness, cards, plain
from tests.test_review import DM, dm_texts, started

OTHER = ChatRef("memory", "group-2", True)
DRAFT = Draft(
    stem="우리 스터디가 정한 OSI 7계층의 맨 아래 계층은?",
    options=("물리 계층", "데이터 링크 계층", "네트워크 계층", "전송 계층"),
    answers=(1,),
    explanation="OSI 7계층의 1계층은 물리 계층이에요.",
    topics=(),
)


async def chat_question(h: Harness, chat: ChatRef | None = None) -> str:
    """A live question of the chat's own, as an instructor's /addq leaves it."""
    rt = h.core.rt
    chat_id = await rt.services.registry.chat_id(chat or h.chat, h.clock.now())
    author = await rt.services.registry.user_id(h.user("관리자"))
    number = await rt.services.bank.add(chat_id, author, DRAFT, LIVE, h.clock.now())
    return f"chat-{number}"


async def ask(h: Harness, qid: str, chat: ChatRef | None = None) -> int:
    """Post the question in the chat as /quiz would, with its close armed."""
    rt = h.core.rt
    chat = chat or h.chat
    now = h.clock.now()
    question = await rt.services.bank.get(qid)
    assert question is not None
    chat_id = await rt.services.registry.chat_id(chat, now)
    closes_at = now + timedelta(minutes=10)
    post_id = await rt.services.quiz.open_post(
        chat_id=chat_id,
        question_id=qid,
        options_count=len(question.options),
        correct=question.answers,
        kind="quiz",
        now=now,
        closes_at=closes_at,
    )
    h.core.runners.quiz.arm_close(post_id, closes_at)
    card = question_card(question, post_id, closes_at, "ko", "09:10")
    await h.core.runners.quiz.post_question(chat, card)
    return post_id


async def test_a_missed_chat_question_is_reviewed_in_the_private_chat(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    qid = await chat_question(h)
    post_id = await ask(h, qid)
    await h.choose(post_id, 3)  # wrong
    await h.advance(600)  # closed and revealed
    listing = plain(await h.command("review", "list", chat=DM))
    assert "우리 스터디가 정한 OSI" in listing
    await h.command("review", chat=DM)
    (served,) = cards(h.adapter, DM)
    assert served.stem == DRAFT.stem and served.options == DRAFT.options
    await h.choose(served.post_id, 1, chat=DM)
    texts = dm_texts(h)
    assert any(t.startswith("정답이에요!") and "1계층은 물리 계층" in t for t in texts), texts
    assert texts[-1].startswith("오늘 복습 끝! 다음 복습: ")
    # Still in the deck (the card was not dropped as unknown).
    assert "우리 스터디가 정한 OSI" in plain(await h.command("review", "list", chat=DM))


async def test_review_add_of_another_chats_question_needs_having_seen_it(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    qid = await chat_question(h)
    post_id = await ask(h, qid)
    await h.choose(post_id, 1, who="지영")
    await h.advance(600)
    # Someone in another group only knows the number: the question stays that group's.
    refused = plain(await h.command("review", f"add {post_id}", who="현", chat=OTHER))
    assert f"#{post_id} 문제를 찾지 못했어요" in refused
    # Someone who answered it may add it from anywhere; a member of the group from the group.
    assert "오답노트 1번" in plain(await h.command("review", f"add {post_id}", who="지영", chat=DM))
    assert "오답노트 1번" in plain(await h.command("review", f"add {post_id}", who="민수"))


async def answered_by_many(h: Harness, qid: str, chat: ChatRef, right: int, total: int) -> None:
    post_id = await ask(h, qid, chat)
    for i in range(total):
        await h.choose(post_id, 1 if i < right else 2, who=f"p{i}", chat=chat)
    await h.advance(600)


async def test_hard_and_stats_count_the_chats_own_questions_for_that_chat_only(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    qid = await chat_question(h)
    await answered_by_many(h, qid, h.chat, right=1, total=HARD_MIN)

    mine = plain(await h.command("hard"))
    assert mine.splitlines()[0] == "많이 틀린 문제"
    assert "정답률 10% (10명)" in mine and "우리 스터디가 정한 OSI" in mine
    assert "방에서 만든 문제" in mine  # the topic of a question that names none
    # Another group never sees this group's question.
    theirs = plain(await h.command("hard", chat=OTHER))
    assert "우리 스터디가 정한 OSI" not in theirs

    stats = plain(await h.command("stats", who="관리자", admin=True))
    assert "정답을 확인해 주세요" in stats
    flagged = stats.split("정답을 확인해 주세요", 1)[1]
    assert "우리 스터디가 정한 OSI" in flagged and "90%가 오답 ②번" in flagged
    assert "방에서 만든 문제 10%" in stats  # the weak-topics line


async def test_exam_papers_keep_to_the_bundled_bank(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await chat_question(h)
    await h.command("start", chat=DM)
    await h.command("exam", "40", chat=DM)
    user_id = await h.core.rt.services.registry.user_id(h.user("민수"))
    paper = await h.core.rt.services.exams.open_paper(user_id)
    assert paper is not None
    items = await h.core.rt.services.exams.items(paper.id)
    assert items and all(i.question_id in library.questions for i in items)
