"""A chat's own questions (issue 14, items 1 and 2): /addq in the chat and privately, the
checks content check applies, the pools and reveals that take them, /qset share."""

from __future__ import annotations

from bot.content.draft import check, parse_text
from bot.content.loader import Library
from bot.content.schema import check_chapter, parse_chapter
from bot.types import ChatRef, QuestionCard
from tests.conftest import Harness, cards, plain

A = ChatRef("memory", "group-a", True)
B = ChatRef("memory", "group-b", True)
DM = ChatRef("memory", "dm-teacher", False)

GOOD = """하드웨어 위에서 바로 실행되는 하이퍼바이저는?
① Type-1
② Type-2
③ 컨테이너
정답: ①
해설: Type-1은 호스트 운영체제 없이 하드웨어 위에서 실행돼요.
주제: 우리반"""


def test_the_text_form_reads_circled_and_numbered_options() -> None:
    draft = parse_text(GOOD)
    assert draft.stem.endswith("하이퍼바이저는?")
    assert draft.options == ("Type-1", "Type-2", "컨테이너")
    assert draft.answers == (1,) and draft.topics == ("우리반",)
    numbered = parse_text("질문?\n1. 가\n2) 나\n정답: 2번\n해설: 나예요")
    assert numbered.options == ("가", "나") and numbered.answers == (2,)
    assert parse_text("질문?\n1. 가\n2. 나\n3. 다\n정답: 2, 3\n해설: x").answers == (2, 3)
    assert check(draft) == []


def test_the_same_rules_as_content_check(library: Library) -> None:
    """Each bad draft is one content check would refuse too, and a good one passes both."""
    bad = {
        "option_count": "질문?\n① 하나\n정답: 1\n해설: x",
        "option_twice": "질문?\n① 가\n② 가\n정답: 1\n해설: x",
        "answer_range": "질문?\n① 가\n② 나\n정답: ⑤\n해설: x",
        "no_explanation": "질문?\n① 가\n② 나\n정답: 1",
        "stem_long": "질" * 301 + "?\n① 가\n② 나\n정답: 1\n해설: x",
        "option_long": "질문?\n① " + "가" * 101 + "\n② 나\n정답: 1\n해설: x",
        "explanation_long": "질문?\n① 가\n② 나\n정답: 1\n해설: " + "x" * 201,
    }
    for code, text in bad.items():
        draft = parse_text(text)
        assert code in {i.code for i in check(draft)}, code
        raw = {
            "id": "q1", "kind": "choice", "stem": draft.stem, "options": list(draft.options),
            "answer": list(draft.answers), "explanation": draft.explanation,
        }  # fmt: skip
        data = {"subject": "s", "chapter": 1, "title": "t", "terms": [], "questions": [raw]}
        chapter, problems = parse_chapter(data, file="f", key="s/f")
        assert problems, code
    good = parse_text(GOOD)
    raw = {"id": "q1", "kind": "choice", "stem": good.stem, "options": list(good.options),
           "answer": list(good.answers), "explanation": good.explanation}  # fmt: skip
    chapter, problems = parse_chapter(
        {"subject": "s", "chapter": 1, "title": "t", "questions": [raw]}, file="f", key="s/f"
    )
    assert chapter is not None and problems == [] and check_chapter(chapter) == []


def test_the_soundness_gate_speaks_too(library: Library) -> None:
    # The answer repeats the stem's own words and no distractor does.
    giveaway = (
        "호스트 운영체제 위에서 실행되는 하이퍼바이저는?\n"
        "① 호스티드 하이퍼바이저\n② 네이티브 하이퍼바이저\n정답: ①\n해설: x"
    )
    same = (
        "서버 가상화에서 하드웨어 위에 바로 설치되는 것은?\n"
        "① 하이퍼바이저\n② 하이퍼바이저\n정답: 1\n해설: x"
    )
    assert "option_twice" in {i.code for i in check(parse_text(same), library.terms)}
    # Whatever the gate says is worded, never raised.
    for issue in check(parse_text(giveaway), library.terms):
        assert issue.key.startswith("draft_")


async def test_an_instructor_adds_a_question_that_joins_the_pools(harness: Harness) -> None:
    h = harness
    saved = plain(await h.command("addq", GOOD, who="강사", chat=A, admin=True))
    assert "문제를 추가했어요 (chat-1)" in saved
    # /quiz chat-1 and /quiz 우리반 (its topic) ask it; the reveal shows its 해설.
    await h.command("quiz", "우리반", who="민수", chat=A)
    card = cards(h.adapter, A)[-1]
    assert card.options == ("Type-1", "Type-2", "컨테이너") and card.correct == (1,)
    answered = plain(await h.choose(card.post_id, 1, who="민수", chat=A))
    assert "민수" in answered
    await h.command("reveal", who="민수", chat=A)
    reveal = plain([s.content for s in h.adapter.sent if s.chat == A][-1:])
    assert "Type-1은 호스트 운영체제 없이" in reveal and "① Type-1" in reveal
    # Another chat does not see it until it is shared.
    await h.command("quiz", "chat-1", who="민수", chat=B)
    assert not cards(h.adapter, B) or cards(h.adapter, B)[-1].options != card.options
    # /daily topics knows the chat's topic.
    topics = plain(await h.command("daily", "topics 우리반", who="강사", chat=A, admin=True))
    assert "우리반" in topics and "모르는" not in topics


async def test_problems_are_listed_one_a_line_and_the_text_kept(harness: Harness) -> None:
    h = harness
    text = "질문?\n① 가\n② 가\n정답: ⑤"
    reply = plain(await h.command("addq", text, who="강사", chat=A, admin=True))
    assert "같은 보기가 두 번 있어요" in reply
    assert "정답 5번은 없는 보기예요" in reply
    assert "해설이 비어 있어요" in reply
    assert text in reply  # what was typed, to correct and send again
    assert plain(await h.command("qset", who="강사", chat=A, admin=True)).count("chat-") == 0


async def test_a_member_cannot_add_and_overlong_text_is_refused(harness: Harness) -> None:
    h = harness
    refused = plain(await h.command("addq", GOOD, who="민수", chat=A))
    assert "강사만 문제를 추가할 수 있어요" in refused
    long = plain(await h.command("addq", "가" * 3500, who="강사", chat=A, admin=True))
    assert "너무 길어요" in long
    assert "0개" in plain(await h.command("qset", who="강사", chat=A, admin=True))


async def test_too_few_options_and_an_unread_answer(harness: Harness) -> None:
    h = harness
    reply = plain(await h.command("addq", "질문?\n① 하나\n정답: 모름\n해설: x", who="강사", chat=A,
                                  admin=True))  # fmt: skip
    assert "보기가 1개예요. 2개에서 10개 사이로 써 주세요." in reply
    assert "정답을 읽지 못했어요 (모름)" in reply


async def test_a_private_question_asks_for_the_group_the_explanation_and_a_topic(
    harness: Harness,
) -> None:
    h = harness
    await h.command("start", who="teacher", chat=A, admin=True)
    await h.command("start", who="teacher", chat=B, admin=True)
    await h.command("instructor", who="teacher", chat=A, admin=True)  # remembered as admin
    await h.command("instructor", who="teacher", chat=B, admin=True)
    no_expl = "하드웨어 위에서 바로 실행되는 하이퍼바이저는?\n① Type-1\n② Type-2\n정답: 1"
    asked = plain(await h.command("addq", no_expl, who="teacher", chat=DM))
    assert "어느 그룹에 넣을까요?" in asked and "1. group-a" in asked and "2. group-b" in asked
    user = h.user("teacher")
    from bot.types import TextReceived

    async def say(text: str) -> str:
        return plain(await h.adapter.deliver(TextReceived(DM, user, text)))

    assert "1부터 2까지" in await say("7")
    # A restart in the middle: the conversation is in the database.
    assert "해설을 보내 주세요" in await say("2")
    assert "200자 이내로" in await say("x" * 250)
    assert "주제를 보내 주세요" in await say("Type-1은 하드웨어 위에서 바로 실행돼요.")
    done = await say("없음")
    assert "문제를 추가했어요 (chat-1)" in done
    listed = plain(await h.command("qset", who="teacher", chat=B, admin=True))
    assert "chat-1" in listed and "1개" in listed
    assert await say("1") == ""  # no conversation any more: chatter again


async def test_cancel_and_no_groups(harness: Harness) -> None:
    h = harness
    lonely = plain(await h.command("addq", GOOD, who="nobody", chat=DM))
    assert "강사로 있는 그룹이 없어요" in lonely


async def test_qset_share_with_the_other_chats_the_instructor_teaches(harness: Harness) -> None:
    h = harness
    await h.command("addq", GOOD, who="강사", chat=A, admin=True)
    assert "다른 그룹이 없어요" in plain(await h.command("qset", "share", who="강사", chat=A,
                                                         admin=True))  # fmt: skip
    await h.command("instructor", who="강사", chat=B, admin=True)
    assert "강사만 문제를 공유할" in plain(await h.command("qset", "share", who="민수", chat=A))
    shared = plain(await h.command("qset", "share", who="강사", chat=A, admin=True))
    assert "1곳과 공유했어요" in shared
    await h.command("quiz", "chat-1", who="민수", chat=B)
    card = cards(h.adapter, B)[-1]
    assert isinstance(card, QuestionCard) and card.options[0] == "Type-1"
    # The daily pool and a contest draw on it too.
    bank = h.core.rt.services.bank
    chat_b = await h.core.rt.services.registry.chat_id(B, h.clock.now())
    assert "chat-1" in {q.id for q in await bank.for_chat(chat_b)}
