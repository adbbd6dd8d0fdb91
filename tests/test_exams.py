"""Timed mock exams (모의고사): drawing a paper, sitting it privately, grading once, restarts."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from adapters.memory import MemoryAdapter
from bot.clock import FakeClock
from bot.content.loader import Library
from bot.features.exams import timer_key
from bot.services.exams import (
    GRADED,
    SUBMIT,
    TIMEOUT,
    draw,
    find_subject,
    score_of,
    subjects,
    topic_of,
)
from bot.storage.db import Database
from bot.storage.tables import answers, exam_papers, scores
from bot.types import Capabilities, ChatRef, QuestionCard, Text, TextReceived
from tests.conftest import START, Harness, bodies, cards, make_harness, plain

DM = ChatRef("memory", "dm-민수", is_group=False)
DM_JIYEONG = ChatRef("memory", "dm-지영", is_group=False)


async def started(
    db: Database, library: Library, tmp_path: Path, clock: FakeClock | None = None
) -> Harness:
    adapter = MemoryAdapter("memory", Capabilities(buttons=True, close_question=True))
    h = make_harness(db, library, tmp_path, clock=clock, adapter=adapter)
    await h.adapter.start(h.core.handle)
    await h.core.start()
    return h


def exam_cards(h: Harness, chat: ChatRef = DM) -> list[QuestionCard]:
    return [c for c in cards(h.adapter, chat) if c.header.startswith("모의고사")]


async def key_of(h: Harness, card: QuestionCard) -> tuple[int, ...]:
    found = await h.core.rt.services.exams.by_post(card.post_id)
    assert found is not None
    return found[1].key


async def wrong_of(h: Harness, card: QuestionCard) -> int:
    key = await key_of(h, card)
    return next(i for i in range(1, len(card.options) + 1) if i not in key)


async def count(db: Database, table: object) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def the_paper(h: Harness, who: str = "민수") -> int:
    user_id = await h.core.rt.services.registry.user_id(h.user(who))
    paper = await h.core.rt.services.exams.open_paper(user_id)
    assert paper is not None
    return paper.id


# --------------------------------------------------------------------- drawing a paper


def test_a_paper_spreads_over_topics_with_past_exams_first(library: Library) -> None:
    topics = topic_of(library)
    for subject in subjects(library):
        chapters = [c for c in library.chapters if c.subject == subject.key and c.questions]
        for seed in range(5):
            paper = draw(library, subject.key, 20, random.Random(seed))
            ids = [q.id for q in paper]
            assert len(ids) == len(set(ids)) == 20  # no repeats
            per_topic = Counter(topics[q.chapter] for q in paper)
            assert set(per_topic) == {c.title for c in chapters}
            assert max(per_topic.values()) - min(per_topic.values()) <= 1  # spread evenly
            assert all(q.chapter.startswith(subject.key + "/") for q in paper)
            # Every 기출 of the subject is in (there are fewer than a topic's share) and
            # leads its topic.
            past = [q.id for q in library.questions.values() if q.past_exam and q in paper]
            assert len(past) == sum(
                1
                for q in library.questions.values()
                if q.past_exam and q.chapter.startswith(subject.key + "/")
            )
            for topic in per_topic:
                mine = [q for q in paper if topics[q.chapter] == topic]
                flags = [q.past_exam for q in mine]
                assert flags == sorted(flags, reverse=True)
            # Two generated forms of one term's fact are one question.
            generated_terms = [t for q in paper if q.generated for t in q.terms]
            assert len(generated_terms) == len(set(generated_terms))


def test_subjects_by_name_key_and_short_names(library: Library) -> None:
    assert find_subject(library, "컴퓨터일반").key == "computer-general"  # type: ignore[union-attr]
    assert find_subject(library, "computer-general").key == "computer-general"  # type: ignore[union-attr]
    assert find_subject(library, "정보보호론").key == "information-security"  # type: ignore[union-attr]
    assert find_subject(library, "정보 보호론").key == "information-security"  # type: ignore[union-attr]
    assert find_subject(library, "보안").key == "information-security"  # type: ignore[union-attr]
    assert find_subject(library, "국어") is None


def test_score_is_out_of_100() -> None:
    assert score_of(20, 20) == 100
    assert score_of(15, 20) == 75  # 5 points a question
    assert score_of(7, 20) == 35
    assert score_of(1, 3) == 33
    assert score_of(2, 3) == 67


# --------------------------------------------------------------------- sitting one


async def test_a_paper_is_sat_privately_and_graded_on_submit(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await h.command("exam", chat=DM)
    intro = bodies(h.adapter, DM)
    assert any(
        "모의고사를 시작해요: 컴퓨터일반 20문제, 제한 시간 20분 (09:20까지)" in b for b in intro
    )
    first = exam_cards(h)[-1]
    assert first.header.startswith("모의고사 1/20 · 남은 시간 20분")
    # Nothing to reveal, not even to the platform.
    assert first.correct == () and first.explanation == ""
    assert first.closes_at is not None

    # A right answer and a wrong one: neither says which it was.
    key1 = await key_of(h, first)
    reply = plain(await h.choose(first.post_id, key1[0], chat=DM))
    assert reply == ""  # the next card follows; the note went out before it
    said = bodies(h.adapter, DM)[-1]
    assert said.startswith("1번 답을 적었어요")
    assert "정답" not in said and "오답" not in said and "틀" not in said
    second = exam_cards(h)[-1]
    assert second.header.startswith("모의고사 2/20")
    await h.choose(second.post_id, await wrong_of(h, second), chat=DM)

    # Back to question 2 to change the answer; the card shows the answer chosen.
    await h.command("exam", "2", chat=DM)
    again = exam_cards(h)[-1]
    assert again.post_id == second.post_id and "고른 답" in again.header
    key2 = await key_of(h, second)
    await h.choose(second.post_id, key2[0], chat=DM)
    assert any(b.startswith("2번 답을 바꿨어요") for b in bodies(h.adapter, DM))

    # A bare number answers the question in front of the person (3), then skip 4.
    third = exam_cards(h)[-1]
    assert third.header.startswith("모의고사 3/20")
    await h.adapter.deliver(TextReceived(DM, h.user("민수"), str(await wrong_of(h, third))))
    assert any(b.startswith("3번 답을 적었어요") for b in bodies(h.adapter, DM))
    await h.command("exam", "skip", chat=DM)
    assert exam_cards(h)[-1].header.startswith("모의고사 5/20")

    # The time left runs down on every card.
    h.clock.advance(5 * 60 + 30)
    await h.command("exam", "next", chat=DM)
    assert exam_cards(h)[-1].header.startswith("모의고사 6/20 · 남은 시간 15분")
    await h.command("exam", "status", chat=DM)
    sheet = bodies(h.adapter, DM)[-1]
    assert "20문제 중 3문제 답함" in sheet and "4.—" in sheet

    # /reveal gives nothing away during a paper.
    assert "정답을 보여 주지 않아요" in plain(await h.command("reveal", chat=DM))

    result = await h.command("exam", "submit", chat=DM)
    texts = [r.body for r in result if isinstance(r, Text)]
    summary = plain(result[:1])
    assert "점수: 10점 (20문제 중 2문제 정답)" in summary
    assert "걸린 시간: 5분 30초 (제한 시간 20분)" in summary
    assert "과락" in summary
    assert "주제별 결과" in summary
    for title in {c.title for c in library.chapters if c.subject == "computer-general"}:
        assert f"· {title}: 맞힘" in summary
    assert "틀린 문제 18개를 오답노트에 담았어요" in summary
    wrong = "\n".join(texts[1:])
    assert (
        "**3번 · " in wrong
        and "**4번 · " in wrong
        and "내 답: 풀지 않음" in wrong
        and "정답: " in wrong
    )
    assert "해설: " in wrong and "**1번 · " not in wrong and "**2번 · " not in wrong
    assert all(len(t) <= 1900 for t in texts)

    # Every wrong question is in the deck; nothing reached the answers or the boards.
    user_id = await h.core.rt.services.registry.user_id(h.user("민수"))
    _, deck = await h.core.rt.services.review.deck(user_id)
    assert deck == 18
    assert await count(db, answers) == 0
    assert await count(db, scores) == 0
    # The cards stop taking answers on the platform, and later taps are refused.
    shown = {c.post_id for c in exam_cards(h)}
    assert {int(r.message_id) for r in h.adapter.closed} and len(h.adapter.closed) >= len(shown)
    late = plain(await h.choose(first.post_id, 1, chat=DM))
    assert "이미 채점했어요" in late


async def test_double_submit_is_graded_once(db: Database, library: Library, tmp_path: Path) -> None:
    h = await started(db, library, tmp_path)
    await h.command("exam", "정보보호론 5 10", chat=DM)
    paper_id = await the_paper(h)
    runner = h.core.runners.exams
    results = await asyncio.gather(
        runner.finish(paper_id, SUBMIT), runner.finish(paper_id, SUBMIT), runner.expire(paper_id)
    )
    assert sum(r is not None for r in results[:2]) == 1
    again = plain(await h.command("exam", "submit", chat=DM))
    assert "지금 푸는 모의고사가 없어요" in again
    # The deadline later finds nothing to do.
    before = len(h.adapter.sent)
    await h.advance(11 * 60)
    assert len(h.adapter.sent) == before
    paper = await h.core.rt.services.exams.paper(paper_id)
    assert paper is not None and paper.state == GRADED and paper.ended_by == SUBMIT


async def test_the_deadline_grades_the_paper(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await h.command("exam", "컴퓨터일반 10 5분", chat=DM)
    card = exam_cards(h)[-1]
    await h.choose(card.post_id, (await key_of(h, card))[0], chat=DM)
    assert h.core.runners.exams  # the timer is armed under the paper's key
    paper_id = await the_paper(h)
    assert timer_key(paper_id) in h.timers.jobs
    await h.advance(5 * 60)
    texts = bodies(h.adapter, DM)
    result = next(b for b in texts if b.startswith("모의고사 결과"))
    assert "점수: 10점 (10문제 중 1문제 정답)" in result
    assert "제한 시간 5분이 끝나서 자동으로 제출했어요 (걸린 시간: 5분)" in result
    paper = await h.core.rt.services.exams.paper(paper_id)
    assert paper is not None and paper.ended_by == TIMEOUT and paper.score == 10
    # Answering afterwards is refused.
    later = exam_cards(h)[-1]
    assert "이미 채점했어요" in plain(await h.choose(later.post_id, 1, chat=DM))


async def test_an_answer_after_the_deadline_is_refused_and_grades(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await h.command("exam", "5 5", chat=DM)
    card = exam_cards(h)[-1]
    h.clock.advance(5 * 60 + 1)  # the timer has not fired yet (the process was busy)
    reply = await h.choose(card.post_id, 1, chat=DM)
    body = plain(reply)
    assert body.startswith("시간이 끝나서 더는 답을 받지 않아요")
    assert "점수: 0점 (5문제 중 0문제 정답)" in body
    paper = await h.core.rt.services.exams.paper(await _only_paper(db))
    assert paper is not None and paper.state == GRADED
    # The late timer finds the paper graded and sends nothing more.
    before = len(h.adapter.sent)
    await h.timers.run_due(h.clock.now())
    assert len(h.adapter.sent) == before
    # A bare number after grading has no open question to answer.
    assert await h.adapter.deliver(TextReceived(DM, h.user("민수"), "2")) == []


async def _only_paper(db: Database) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(exam_papers.c.id))).scalar_one())


async def test_a_paper_survives_a_restart_with_its_time_left(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await h.command("exam", "정보보호론 10 20", chat=DM)
    card = exam_cards(h)[-1]
    await h.choose(card.post_id, (await key_of(h, card))[0], chat=DM)
    paper_id = await the_paper(h)
    h.clock.advance(7 * 60)

    # A new process on the same database and clock: the timer comes back at the deadline.
    h2 = await started(db, library, tmp_path, clock=h.clock)
    when, _job = h2.timers.jobs[timer_key(paper_id)]
    assert when == START.replace(minute=20)
    await h2.command("exam", chat=DM)
    resumed = bodies(h2.adapter, DM)[0]
    assert resumed.startswith(
        "모의고사를 이어서 풀어요: 정보보호론, 10문제 중 1문제 답함, 남은 시간 13분"
    )
    assert exam_cards(h2)[-1].header.startswith("모의고사 2/10 · 남은 시간 13분")
    # The first answer is still there; the paper goes on.
    second = exam_cards(h2)[-1]
    await h2.choose(second.post_id, (await key_of(h2, second))[0], chat=DM)

    # Down again past the deadline: the next start grades it, once.
    h.clock.advance(20 * 60)
    h3 = await started(db, library, tmp_path, clock=h.clock)
    result = next(b for b in bodies(h3.adapter, DM) if b.startswith("모의고사 결과"))
    assert "점수: 20점 (10문제 중 2문제 정답)" in result
    assert "걸린 시간: 20분" in result
    h4 = await started(db, library, tmp_path, clock=h.clock)
    assert not any(b.startswith("모의고사 결과") for b in bodies(h4.adapter, DM))


async def test_someone_elses_paper_is_refused(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await h.command("exam", "5 10", chat=DM)
    card = exam_cards(h)[-1]
    # Another person tapping the card (a shared screen, a forwarded message) is refused...
    refused = plain(await h.choose(card.post_id, 1, who="지영", chat=DM))
    assert "다른 사람의 모의고사예요" in refused
    # ...and from their own chat the post is not theirs to answer either.
    await h.command("start", who="지영", chat=DM_JIYEONG)
    foreign = plain(await h.choose(card.post_id, 1, who="지영", chat=DM_JIYEONG))
    assert foreign
    items = await h.core.rt.services.exams.items(await the_paper(h))
    assert all(i.option is None for i in items)


async def test_exam_while_a_paper_is_open_resumes_it(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await h.command("exam", "5 10", chat=DM)
    first = exam_cards(h)[-1]
    await h.choose(first.post_id, 1, chat=DM)
    await h.command("exam", "정보보호론 20 30", chat=DM)
    texts = bodies(h.adapter, DM)
    assert any(b.startswith("이미 푸는 중인 모의고사가 있어서 새로 시작하지 않고") for b in texts)
    assert exam_cards(h)[-1].header.startswith("모의고사 2/5")
    assert await count(db, exam_papers) == 1
    # A number while a paper is open goes to that question, not to a new paper.
    await h.command("exam", "4", chat=DM)
    assert exam_cards(h)[-1].header.startswith("모의고사 4/5")
    assert "1번부터 5번까지" in plain(await h.command("exam", "9", chat=DM))


async def test_the_hints_words_work_without_the_command_during_a_paper(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)

    async def say(text: str, chat: ChatRef = DM) -> None:
        await h.adapter.deliver(TextReceived(chat, h.user("민수"), text))

    # Before a paper the words are chatter: nothing answers them.
    before = len(bodies(h.adapter, DM))
    await say("건너뛰기")
    assert len(bodies(h.adapter, DM)) == before
    await h.command("exam", "5 10", chat=DM)
    await say("건너뛰기")
    assert exam_cards(h)[-1].header.startswith("모의고사 2/5")
    await say("next")
    assert exam_cards(h)[-1].header.startswith("모의고사 3/5")
    await say(" 답안지 ")
    assert "5문제 중 0문제 답함" in bodies(h.adapter, DM)[-1]
    # In a group the same word is someone talking, and the paper is not touched.
    group = ChatRef("memory", "group-1", is_group=True)
    await say("제출", chat=group)
    assert bodies(h.adapter, group) == []
    assert await h.core.rt.services.exams.open_paper(
        await h.core.rt.services.registry.user_id(h.user("민수"))
    )
    await say("제출")
    assert any("점수: 0점 (5문제 중 0문제 정답)" in b for b in bodies(h.adapter, DM))
    after = len(bodies(h.adapter, DM))
    await say("제출")  # graded already: no paper, so chatter again
    assert len(bodies(h.adapter, DM)) == after


async def test_bad_arguments_get_clear_messages(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    unknown = plain(await h.command("exam", "국어 20", chat=DM))
    assert unknown == "'국어' 과목은 없어요. 고를 수 있는 과목: 컴퓨터일반, 정보보호론"
    assert "1개부터 40개까지" in plain(await h.command("exam", "0", chat=DM))
    assert "(41개는 안 돼요)" in plain(await h.command("exam", "41", chat=DM))
    assert "5분부터 120분까지" in plain(await h.command("exam", "20 4", chat=DM))
    assert "(121분은 안 돼요)" in plain(await h.command("exam", "20 121분", chat=DM))
    assert plain(await h.command("exam", "1 2 3", chat=DM)).startswith("사용법: /")
    assert "지금 푸는 모의고사가 없어요" in plain(await h.command("exam", "submit", chat=DM))
    assert await count(db, exam_papers) == 0
    # In a group: how to open the private chat, and no paper.
    group = plain(await h.command("exam"))
    assert "개인 대화에서 봐요" in group and ("/모의고사" in group or "/exam" in group)
    assert await count(db, exam_papers) == 0
    # English works as well.
    await h.command("lang", "en", chat=DM)
    english = plain(await h.command("exam", "20 200", chat=DM))
    assert english.startswith("The time limit is 5 to 120 minutes (200 won't do)")


async def test_history_lists_past_papers(db: Database, library: Library, tmp_path: Path) -> None:
    h = await started(db, library, tmp_path)
    assert "아직 본 모의고사가 없어요" in plain(await h.command("exam", "history", chat=DM))
    await h.command("exam", "2 5", chat=DM)
    for _ in range(2):
        card = exam_cards(h)[-1]
        await h.choose(card.post_id, (await key_of(h, card))[0], chat=DM)
    h.clock.advance(90)
    await h.command("exam", "submit", chat=DM)
    await h.command("exam", "정보보호론 4 10", chat=DM)
    await h.command("exam", "submit", chat=DM)
    await h.command("exam", "5 10", chat=DM)
    listing = plain(await h.command("exam", "history", chat=DM))
    lines = listing.splitlines()
    assert lines[0] == "내 모의고사 기록 (3회)"
    assert "컴퓨터일반 5문제 · 푸는 중" in lines[1]
    assert "정보보호론 4문제 · 0점 (0/4) · 0초 · 과락" in lines[2]
    assert "컴퓨터일반 2문제 · 100점 (2/2) · 1분 30초" in lines[3]
    assert "과락" not in lines[3]
    # History is personal: in a group it points to the private chat.
    assert "개인 대화에서 봐요" in plain(await h.command("exam", "history"))


async def test_a_long_result_is_split_across_messages(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = await started(db, library, tmp_path)
    await h.command("exam", "40 120", chat=DM)
    result = await h.command("exam", "submit", chat=DM)
    texts = [r.body for r in result if isinstance(r, Text)]
    assert len(texts) >= 3
    assert "틀린 문제 (1/" in plain(result[1:2])
    assert all(len(t) <= 1900 for t in texts)
    wrong = "\n".join(texts[1:])
    for slot in range(1, 41):
        assert f"**{slot}번 · " in wrong
