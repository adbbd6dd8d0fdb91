"""Command parsing, including Telegram's /name@BotName form."""

from __future__ import annotations

import pytest

from bot.dispatcher import parse_command
from bot.markup import bold, esc, split_text, to_html, to_plain


@pytest.mark.parametrize(
    ("text", "name", "args", "elsewhere"),
    [
        ("/quiz", "quiz", "", False),
        ("/term 가상 머신", "term", "가상 머신", False),
        ("/term@StudyBot 하이퍼바이저", "term", "하이퍼바이저", False),
        ("/TOP@studybot", "top", "", False),
        ("/top@OtherBot", "top", "", True),
        ("  /answer   3 ", "answer", "3", False),
        ("/용어 VM", "term", "VM", False),
        ("/term\n여러 줄", "term", "여러 줄", False),
    ],
)
def test_parse(text: str, name: str, args: str, elsewhere: bool) -> None:
    parsed = parse_command(text, bot_username="StudyBot")
    assert parsed is not None
    assert (parsed.name, parsed.args, parsed.addressed_elsewhere) == (name, args, elsewhere)


@pytest.mark.parametrize("text", ["안녕하세요", "3", "", "/", " / quiz"])
def test_not_commands(text: str) -> None:
    assert parse_command(text) is None


def test_markup_escapes_user_text() -> None:
    body = f"{bold('순위')} {esc('<b>**민수**</b> & co')}"
    assert to_plain(body) == "순위 <b>**민수**</b> & co"
    assert to_html(body) == "<b>순위</b> &lt;b&gt;**민수**&lt;/b&gt; &amp; co"


def test_split_text_respects_limit() -> None:
    text = "\n".join(f"줄 {i} " + "가" * 50 for i in range(200))
    parts = split_text(text, 4096)
    assert all(len(p) <= 4096 for p in parts) and len(parts) > 1
    assert "\n".join(parts) == text
    assert split_text("가" * 9000, 4096) == ["가" * 4096, "가" * 4096, "가" * 808]
