"""What an adapter promises the core."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.types import Capabilities, ChatRef, Content, Event, SentRef

# The core hands each adapter this sink; the adapter awaits it for every inbound event and
# renders the replies it returns, in order, to the event's chat.
Sink = Callable[[Event], Awaitable[list[Content]]]


class Adapter(Protocol):
    name: str
    capabilities: Capabilities

    async def start(self, sink: Sink) -> None:
        """Begin receiving; must return promptly and leave the loop free."""

    async def stop(self) -> None: ...

    async def send(self, chat: ChatRef, content: Content) -> SentRef: ...

    async def edit(self, ref: SentRef, content: Content) -> None: ...
