"""Suggestions from members (issue 14, item 3): the review queue, its buttons and numbers,
the suggester told, stale and foreign buttons refused politely."""

from __future__ import annotations

from bot.types import ChatRef, Text
from tests.conftest import Harness, cards, plain

A = ChatRef("memory", "group-a", True)
B = ChatRef("memory", "group-b", True)
IDEA = """컨테이너가 공유하는 것은?
① 호스트 운영체제의 커널
② 게스트 운영체제
정답: ①
해설: 컨테이너는 호스트 커널을 함께 써요."""


async def test_suggest_queue_approve_with_the_button(harness: Harness) -> None:
    h = harness
    got = plain(await h.command("suggest", IDEA, who="민수", chat=A))
    assert "제안을 받았어요 (제안 #1)" in got
    assert "강사만 제안을 검토할" in plain(await h.command("queue", who="민수", chat=A))
    listing = await h.command("queue", who="강사", chat=A, admin=True)
    item = next(r for r in listing if isinstance(r, Text) and r.buttons)
    assert [b.label for b in item.buttons] == ["승인", "수정", "거절"]
    approve = item.buttons[0]
    assert (approve.command, approve.args) == ("queue", "approve 1")
    # A button is a command as if typed: the same from another chat is refused politely.
    foreign = plain(await h.command("queue", approve.args, who="강사", chat=B, admin=True))
    assert "이 그룹의 제안이 아니에요" in foreign
    done = await h.command(approve.command, approve.args, who="강사", chat=A, admin=True)
    assert "제안 #1: 승인했어요" in plain(done)
    assert "민수 님, 제안한 문제(#1)가 승인됐어요" in plain(done)
    # A second tap (stale) changes nothing.
    assert "이미 처리됐거나" in plain(await h.command("queue", "approve 1", who="강사", chat=A,
                                                       admin=True))  # fmt: skip
    await h.command("quiz", "chat-1", who="민수", chat=A)
    assert cards(h.adapter, A)[-1].options[0] == "호스트 운영체제의 커널"


async def test_edit_and_reject_by_number(harness: Harness) -> None:
    h = harness
    await h.command("suggest", IDEA, who="민수", chat=A)
    await h.command("suggest", IDEA.replace("컨테이너가", "도커 컨테이너가"), who="지영", chat=A)
    prompt = plain(await h.command("queue", "edit 1", who="강사", chat=A, admin=True))
    assert "/제안검토 수정 1" in prompt and "① 호스트 운영체제의 커널" in prompt
    fixed = IDEA.replace(
        "컨테이너는 호스트 커널을 함께 써요.", "컨테이너는 호스트 OS 커널을 공유해요."
    )
    edited = plain(await h.command("queue", f"edit 1\n{fixed}", who="강사", chat=A, admin=True))
    assert "고쳐서 승인했어요" in edited and "조금 고쳐져서 승인됐어요" in edited
    question = await h.core.rt.services.bank.get("chat-1")
    assert question is not None and "공유해요" in question.explanation
    bad = plain(await h.command("queue", "edit 2\n질문?\n① 가", who="강사", chat=A, admin=True))
    assert "보기가 1개예요" in bad
    rejected = plain(await h.command("queue", "reject 2", who="강사", chat=A, admin=True))
    assert "거절했어요" in rejected and "지영 님" in rejected
    assert "검토할 제안이 없어요" in plain(await h.command("queue", who="강사", chat=A, admin=True))
    assert "승인, 수정, 거절" in plain(await h.command("queue", "maybe 3", who="강사", chat=A,
                                                       admin=True))  # fmt: skip


async def test_a_bad_suggestion_is_kept_for_correction(harness: Harness) -> None:
    h = harness
    text = "질문?\n" + "\n".join(f"{n}. 보기{n}" for n in range(1, 12)) + "\n정답: 1\n해설: x"
    reply = plain(await h.command("suggest", text, who="민수", chat=A))
    assert "보기가 11개예요" in reply and "보기11" in reply
    assert "검토할 제안이 없어요" in plain(await h.command("queue", who="강사", chat=A, admin=True))
