"""What a handler knows about the event it is answering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.i18n import t
from bot.types import ChatRef, Event, UserRef

if TYPE_CHECKING:
    from bot.core import Core


@dataclass(frozen=True, slots=True)
class Ctx:
    core: Core
    event: Event
    chat_id: int
    user_id: int
    locale: str
    now: datetime

    @property
    def chat(self) -> ChatRef:
        return self.event.chat

    @property
    def user(self) -> UserRef:
        return self.event.user

    def t(self, key: str, **values: object) -> str:
        return t(self.locale, key, **values)

    def local_time(self, when: datetime) -> str:
        return when.astimezone(self.core.settings.tz).strftime("%H:%M")
