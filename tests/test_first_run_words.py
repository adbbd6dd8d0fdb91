"""Words a new user reads (issue 11): particles, counts, the contest card, /term misses."""

from __future__ import annotations

import re

from bot.content.loader import load_library
from bot.i18n import t
from bot.locales import en, ko
from bot.render import question_card, term_text
from tests.conftest import Harness, plain

# A particle standing alone after a space: what follows a command or an unknown value.
DETACHED = re.compile(r" (로|으로|를|을|에서|처럼)(?=[ .,!)\n·]|$)")


def test_no_particle_stands_after_a_command_or_a_value() -> None:
    found = {k: v for k, v in ko.STRINGS.items() if DETACHED.search(v)}
    assert found == {}


def test_particles_follow_the_numbers_sound() -> None:
    assert t("ko", "announce_cancelled", id=3) == "공지 #3을 취소했어요."
    assert "공지 #99는 없어요" in t("ko", "announce_not_here", id=99)
    assert t("ko", "announce_already_done", id=1).startswith("공지 #1은 ")


def test_counts_read_naturally() -> None:
    assert t("ko", "announce_sent", chats=1) == "공지를 보냈어요 (방 1곳)."
    assert t("en", "announce_sent", chats=1) == "Announcement sent (1 chat)."
    assert t("en", "announce_sent", chats=2) == "Announcement sent (2 chats)."
    body = t("en", "me_body", points=0, rank=1, players=1, answered=0, correct=0, rate=0, streak=0)
    assert body.endswith("Daily streak: 0 days")


def test_the_contest_card_says_how_long_there_is_to_answer() -> None:
    question = next(iter(load_library().questions.values()))
    card = question_card(question, 1, None, "ko", "5", kind="contest", progress=(1, 3))
    assert card.header.startswith("대회 문제 1/3")
    assert card.fallback.endswith("5초 안에 답해 주세요")
    english = question_card(question, 1, None, "en", "5", kind="contest", progress=(1, 3))
    assert english.fallback.endswith("closes in 5 s")


def test_removal_says_haeje_and_nothing_speaks_of_the_authors_notes() -> None:
    assert t("ko", "instructor_removed", name="지영") == "지영 님의 강사 지정을 해제했어요."
    assert t("ko", "instructor_admin_only") == "강사 지정·해제는 그룹 관리자만 할 수 있어요."
    assert "확인을 부탁해 주세요" in t("ko", "quiz_empty")
    library = load_library()
    for term in library.terms.values():
        for locale in ("ko", "en"):
            text = term_text(library, term, locale)
            assert "원본 노트" not in text and "source notes" not in text
    for catalog in (ko.STRINGS, en.STRINGS):
        assert not [k for k, v in catalog.items() if "원본 노트" in v or "source notes" in v]


async def test_a_term_not_in_the_material_says_what_the_bank_covers(harness: Harness) -> None:
    # 방화벽 was the example once; the 정보보호론 chapters have it now.
    reply = plain(await harness.command("term", "머신러닝"))
    assert "철자나 띄어쓰기" not in reply
    assert "'머신러닝'에 해당하는 용어는 아직 학습 자료에 없어요" in reply
    chapter = load_library().chapters[0]
    assert f"{chapter.subject_name} {chapter.chapter}장 {chapter.title}" in reply
    assert "studybot content import" in reply
