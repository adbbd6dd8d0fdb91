"""Quiz-poll votes read straight from the Bot API's JSON, without building PTB objects.

A class answering a quiz poll is a burst of poll_answer updates, the bot's hottest input
by far. Turning each into PTB's Update, PollAnswer and User objects (de_json) cost about
25 µs, a third of what a bare PTB application spends on an update in all, and the bot
needs four fields of it. A vote cast by a person is read here instead; every other update
(and a vote cast as a channel, or a payload of an unexpected shape) is parsed by PTB as
before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Bot, Update, User

from adapters.telegram.refs import PLATFORM
from bot.types import UserRef

_VOTE_KEYS = frozenset({"update_id", "poll_answer"})


@dataclass(frozen=True, slots=True)
class PollVote:
    """One person's vote in a poll (option_ids empty: the vote was taken back)."""

    update_id: int
    poll_id: str
    user_id: int
    first_name: str
    last_name: str
    username: str
    is_bot: bool
    option_ids: tuple[int, ...]

    def ref(self) -> UserRef:
        # As refs.user_ref names a PTB User: full name, else @username, else the id.
        full = f"{self.first_name} {self.last_name}" if self.last_name else self.first_name
        name = full.strip() or self.username or str(self.user_id)
        return UserRef(PLATFORM, str(self.user_id), name)

    def user(self) -> User:
        """The voter as PTB's User (for the @username cache; rarely needed)."""
        return User(
            self.user_id,
            self.first_name,
            self.is_bot,
            last_name=self.last_name or None,
            username=self.username or None,
        )


def vote_of(data: Any) -> PollVote | None:
    """The vote in a raw update, when it is a person's vote of the shape we know."""
    if not isinstance(data, dict) or data.keys() != _VOTE_KEYS:
        return None
    answer = data["poll_answer"]
    user = answer.get("user") if isinstance(answer, dict) else None
    if not isinstance(user, dict) or "voter_chat" in answer:
        return None
    try:
        return PollVote(
            update_id=int(data["update_id"]),
            poll_id=str(answer["poll_id"]),
            user_id=int(user["id"]),
            first_name=str(user.get("first_name", "")),
            last_name=str(user.get("last_name") or ""),
            username=str(user.get("username") or ""),
            is_bot=bool(user.get("is_bot", False)),
            option_ids=tuple(int(o) for o in answer.get("option_ids", ())),
        )
    except (KeyError, TypeError, ValueError):
        return None  # let PTB judge it


def parse(data: Any, bot: Bot) -> PollVote | Update:
    """A raw update as a vote, or as PTB's Update."""
    vote = vote_of(data)
    if vote is not None:
        return vote
    update = Update.de_json(data, bot)
    if update is None:
        raise ValueError("not an update")
    return update
