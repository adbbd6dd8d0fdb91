"""The bank by name: a subject, a chapter or a topic picks questions for /quiz and /daily."""

from __future__ import annotations

from bot.content.loader import Library
from bot.handlers.daily import parse_topics
from bot.types import QuestionCard
from tests.conftest import Harness, cards, plain


def chapter_of(library: Library, card: QuestionCard) -> str:
    # Exam stems repeat ("다음 용어와 설명의 연결로 옳지 않은 것은?"): the options tell them apart.
    question = next(
        q
        for q in library.questions.values()
        if q.stem == card.stem and tuple(q.options) == tuple(card.options)
    )
    return question.chapter


async def test_quiz_by_subject_and_by_chapter(harness: Harness, library: Library) -> None:
    h = harness
    for _ in range(3):
        assert await h.command("quiz", "정보보호론", who="관리자") == []
        card = cards(h.adapter)[-1]
        assert chapter_of(library, card).startswith("information-security/")
        await h.command("reveal", who="관리자")
    assert await h.command("quiz", "운영체제", who="관리자") == []
    assert chapter_of(library, cards(h.adapter)[-1]) == "computer-general/operating-system"
    await h.command("reveal", who="관리자")
    # A chapter title with a space, typed without it.
    assert await h.command("quiz", "네트워크보안", who="관리자") == []
    key = chapter_of(library, cards(h.adapter)[-1])
    assert key == "information-security/04-network-security"


def test_daily_topics_take_subjects_and_chapters(library: Library) -> None:
    chosen, unknown = parse_topics("암호, 네트워크 보안, 정보보호론", library.scope_names)
    assert unknown == [] and chosen == ["암호", "네트워크 보안", "정보보호론"]
    pool = {q.chapter for name in chosen for q in library.questions_in(name)}
    assert all(key.startswith("information-security/") for key in pool)


async def test_daily_topics_by_chapter_are_saved(harness: Harness) -> None:
    reply = plain(await harness.command("daily", "topics 암호, 네트워크 보안", admin=True))
    assert "암호" in reply and "네트워크 보안" in reply


async def test_help_names_what_the_bank_holds(harness: Harness, library: Library) -> None:
    shown = plain(await harness.command("help"))
    counts: dict[str, int] = {}
    for chapter in library.chapters:
        counts[chapter.subject_name] = counts.get(chapter.subject_name, 0) + 1
    assert counts.keys() == {"컴퓨터일반", "정보보호론"}
    for name, count in counts.items():
        assert f"{name} {count}개 장" in shown
