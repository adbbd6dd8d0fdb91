"""The pure rendering rules: splitting HTML, poll fit, callback data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.telegram import render
from bot.markup import to_plain
from bot.types import QuestionCard
from tests.telegram.fake_bot_api import parse_html, utf16_len


def card(**changes: object) -> QuestionCard:
    values: dict[str, object] = {
        "post_id": 12,
        "stem": "하이퍼바이저의 종류가 아닌 것은?",
        "options": ("Type 1", "Type 2", "호스트형", "컨테이너"),
        "correct": (4,),
        "explanation": "컨테이너는 커널을 공유해요.",
        "header": "문제 #12 · 기출 2018 국가직 9급 컴퓨터일반",
        "closes_at": datetime(2026, 11, 26, tzinfo=UTC),
        "fallback": "**문제 #12**",
        **changes,
    }
    return QuestionCard(**values)  # type: ignore[arg-type]


def test_short_text_is_one_part_of_html() -> None:
    assert render.html_parts("**굵게** <그리고> & 보통") == [
        "<b>굵게</b> &lt;그리고&gt; &amp; 보통"
    ]
    assert render.html_parts("   ") == []


@pytest.mark.parametrize("limit", [10, 37, 100])
def test_parts_fit_and_lose_nothing(limit: int) -> None:
    body = "\n".join(f"**{n}번 줄** a<b & c>d 😀" for n in range(30)) + "\n\n끝"
    parts = render.html_parts(body, limit)
    assert len(parts) > 1
    shown = [parse_html(p) for p in parts]  # each part is well-formed on its own
    assert all(utf16_len(s) <= limit for s in shown)
    assert "".join(shown).replace("\n", "") == to_plain(body).replace("\n", "")


def test_a_line_longer_than_the_limit_is_cut_without_tearing_escapes() -> None:
    body = "**" + "&<>" * 50 + "**"
    parts = render.html_parts(body, 16)
    assert all(p.startswith("<b>") and p.endswith("</b>") for p in parts)
    assert "".join(parse_html(p) for p in parts) == "&<>" * 50


def test_poll_fit() -> None:
    assert render.fits_poll(card())
    assert not render.fits_poll(card(stem="가" * 301))
    assert not render.fits_poll(card(options=("가" * 101, "나")))
    assert not render.fits_poll(card(options=("가",)))
    assert not render.fits_poll(card(options=tuple("가나다라마바사아자차카")))
    assert not render.fits_poll(card(correct=(1, 2)))


def test_poll_question_keeps_the_header_when_it_fits() -> None:
    assert render.poll_question(card()).startswith("문제 #12 · 기출 2018")
    long_stem = "가" * 290
    assert render.poll_question(card(stem=long_stem)) == long_stem


def test_poll_explanation_and_open_period() -> None:
    assert render.poll_explanation(card()) == "컨테이너는 커널을 공유해요."
    assert render.poll_explanation(card(explanation="가" * 201)) is None
    assert render.poll_explanation(card(explanation="")) is None
    assert render.poll_explanation(card(explanation="a\nb\nc\nd")) == "a b c d"
    assert render.open_period(card()) is None
    assert render.open_period(card(open_seconds=20)) == 20
    assert render.open_period(card(open_seconds=3)) is None


@pytest.mark.parametrize(
    ("data", "parsed"),
    [
        ("a:12:3", (12, 3)),
        ("a:999999999999:10", (999999999999, 10)),
        ("a:0:1", None),
        ("a:12:0", None),
        ("a:12:100", None),
        ("a:012:1", None),
        ("a:12:3 ", None),
        ("a:12:3\n", None),
        ("b:12:3", None),
        ("a:-1:3", None),
        ("a:１２:3", None),  # full-width digits are digits to Python, not to us
        ("", None),
        (None, None),
        ("a:1:1" + "x" * 100, None),
    ],
)
def test_callback_data_is_parsed_strictly(data: str | None, parsed: tuple[int, int] | None) -> None:
    assert render.parse_callback(data) == parsed


def test_keyboard_buttons_are_short_and_numbered() -> None:
    keyboard = render.answer_keyboard(card(post_id=10**11, options=tuple("가나다라마바")))
    rows = keyboard.inline_keyboard
    assert [len(r) for r in rows] == [5, 1]
    assert rows[0][0].text == "①" and rows[1][0].callback_data == f"a:{10**11}:6"
    assert all(len(str(b.callback_data).encode()) <= 64 for r in rows for b in r)
