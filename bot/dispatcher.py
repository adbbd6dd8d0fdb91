"""Parse '/name args' (and Telegram's '/name@BotName args') into a command."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.commands import ALIASES as COMMAND_ALIASES

_COMMAND = re.compile(r"^/(?P<name>[^\s@]+)(?:@(?P<bot>\S+))?(?:\s+(?P<args>.*))?$", re.S)
_VALID_NAME = re.compile(r"^[a-z0-9_]{1,32}$")

# The Korean names (bot/commands.py, the same on every platform) and the other Korean
# spellings people type; Telegram does not make them clickable, but they work.
ALIASES: dict[str, str] = COMMAND_ALIASES


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
