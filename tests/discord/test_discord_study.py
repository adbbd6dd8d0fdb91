"""/exam, /hard, /stats and 'Add to review deck' on Discord, through SimCord."""

from __future__ import annotations

import discord
from simworld import INSTRUCTOR_ROLE, World, card_message, open_question, text_of, wrong_option

from bot.services.question_stats import HARD_MIN


def dm_messages(world: World, user: object) -> list[discord.Message]:
    return list(user.dm_channel.history())  # type: ignore[attr-defined]


async def test_exam_in_a_dm_from_start_to_result(world: World) -> None:
    alice = world.member("alice")
    # In the channel: refused privately, pointing at the private chat.
    refused = await alice.slash(world.channel, "exam")
    assert refused.ephemeral and "개인 대화" in text_of(refused)

    await alice.user.slash("exam", subject="information-security", questions=2, minutes=10)
    messages = dm_messages(world, alice.user)
    assert any(
        "모의고사를 시작해요: 정보보호론 2문제, 제한 시간 10분" in m.content for m in messages
    )
    cards = [m for m in messages if m.embeds and m.components]
    assert len(cards) == 1
    # Answer the first card with a tap: the paper keeps it, nothing is revealed.
    first = cards[0]
    answer_ids = [c.custom_id for row in first.components for c in row.children if c.custom_id]
    assert answer_ids and all(i.startswith("sb:a:") for i in answer_ids)
    await alice.user.click(first, custom_id=answer_ids[0])
    await world.env.settle()
    noted = [m.content for m in dm_messages(world, alice.user) if m.content]
    assert "1번 답을 적었어요: ①" in noted
    assert not any("정답:" in t or "해설" in t for t in noted)  # nothing revealed
    cards = [m for m in dm_messages(world, alice.user) if m.embeds and m.components]
    assert len(cards) == 2  # the second question follows
    await alice.user.slash("exam", action="status")
    sheet = dm_messages(world, alice.user)[-1].content
    assert sheet.startswith("**답안지 · 2문제 중 1문제 답함 · 남은 시간 10분**"), sheet
    assert "1.① 2.—" in sheet
    await alice.user.slash("exam", action="submit")
    await world.env.settle()
    everything = "\n".join(
        [m.content for m in dm_messages(world, alice.user)]
        + [e.description or "" for m in dm_messages(world, alice.user) for e in m.embeds]
    )
    assert "모의고사 결과 · 정보보호론" in everything
    assert "점수: " in everything
    history = await alice.user.slash("exam", action="history")
    past = text_of(history) + dm_messages(world, alice.user)[-1].content
    assert "정보보호론" in past


async def test_hard_lists_the_most_missed(world: World) -> None:
    alice = world.member("alice")
    empty = await alice.slash(world.channel, "hard")
    assert f"아직 {HARD_MIN}명 이상 푼 문제가 없어요" in text_of(empty)

    await alice.slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    card = card_message(world)
    for i in range(HARD_MIN):
        member = world.member(f"m{i}")
        option = question.answers[0] if i == 0 else wrong_option(question)
        await member.click(card, custom_id=f"sb:a:{post_id}:{option}")
    await alice.slash(world.channel, "reveal")

    shown = await alice.slash(world.channel, "hard")
    assert not shown.ephemeral
    text = text_of(shown)
    assert "많이 틀린 문제" in text and f"정답률 10% ({HARD_MIN}명)" in text
    in_dm = await alice.user.slash("hard", scope="없는과목")
    assert "'없는과목' 과목이나 주제를 찾지 못했어요" in text_of(in_dm)


async def test_stats_for_instructors_with_the_groups_picture(world: World) -> None:
    alice = world.member("alice")
    role = world.guild.create_role(INSTRUCTOR_ROLE)
    teacher = world.member("teacher", role)
    await alice.slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    await alice.click(card_message(world), custom_id=f"sb:a:{post_id}:{question.answers[0]}")
    await alice.slash(world.channel, "reveal")

    refused = await alice.slash(world.channel, "stats")
    assert refused.ephemeral and "강사만 방 통계를 볼 수 있어요" in text_of(refused)

    await teacher.slash(world.channel, "stats", period="month")
    await world.env.settle()
    posted = world.channel.history()
    assert any(m.content.startswith("**이 방의 통계 · 최근 30일**") for m in posted), [
        m.content for m in posted[-3:]
    ]
    assert any(a.filename == "stats.png" for m in posted for a in m.attachments)


async def test_add_to_review_deck_from_the_question_message(world: World) -> None:
    alice = world.member("alice")
    await alice.slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    card = card_message(world)
    early = await alice.context_menu(world.channel, "Add to review deck", card)
    assert early.ephemeral and f"#{post_id} 문제는 아직 마감 전이에요" in text_of(early)
    await alice.click(card, custom_id=f"sb:a:{post_id}:{question.answers[0]}")
    await alice.slash(world.channel, "reveal")

    added = await alice.context_menu(world.channel, "Add to review deck", card)
    assert added.ephemeral and f"#{post_id} 문제를 오답노트 1번으로 넣었어요." in text_of(added)
    again = await alice.context_menu(world.channel, "Add to review deck", card)
    assert f"#{post_id} 문제는 이미 오답노트 1번에 있어요." in text_of(again)
    # A message that is not a question says so.
    note = await alice.send(world.channel, "안녕하세요")
    other = await alice.context_menu(world.channel, "Add to review deck", note)
    assert "그 메시지는 문제가 아니에요" in text_of(other)
