"""Parse '/name args' (and Telegram's '/name@BotName args') into a command."""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMAND = re.compile(r"^/(?P<name>[^\s@]+)(?:@(?P<bot>\S+))?(?:\s+(?P<args>.*))?$", re.S)
_VALID_NAME = re.compile(r"^[a-z0-9_]{1,32}$")

# Korean spellings people type out of habit; they are not clickable on Telegram but work.
ALIASES = {
    "시작": "start",
    "도움말": "help",
    "문제": "quiz",
    "퀴즈": "quiz",
    "답": "answer",
    # '/정답 3' reads as "my answer is 3"; closing a question has its own, unambiguous name.
    "정답": "answer",
    "정답공개": "reveal",
    "용어": "term",
    "순위": "top",
    "내정보": "me",
    "언어": "lang",
    "복습": "review",
    "오답노트": "review",
    "많이틀린문제": "hard",
    "통계": "stats",
    "모의고사": "exam",
}


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    name: str
    args: str
    addressed_elsewhere: bool  # '/x@OtherBot': meant for another bot in the group


def parse_command(text: str, bot_username: str | None = None) -> ParsedCommand | None:
    """None when the text is not a command at all."""
    match = _COMMAND.match(text.strip())
    if match is None:
        return None
    raw = match.group("name")
    name = ALIASES.get(raw, raw.lower())
    target = match.group("bot")
    elsewhere = bool(target and bot_username and target.lower() != bot_username.lower().lstrip("@"))
    args = (match.group("args") or "").strip()
    return ParsedCommand(name=name, args=args, addressed_elsewhere=elsewhere)


def is_valid_name(name: str) -> bool:
    return bool(_VALID_NAME.match(name))
