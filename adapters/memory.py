"""An adapter that records what the core sent: the test backend every feature runs on."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.adapter import Sink
from bot.types import Capabilities, ChatRef, Content, Event, SentRef


@dataclass
class Sent:
    chat: ChatRef
    content: Content
    ref: SentRef
    edits: list[Content] = field(default_factory=list)


class MemoryAdapter:
    def __init__(self, name: str = "memory", capabilities: Capabilities | None = None) -> None:
        self.name = name
        self.capabilities = capabilities or Capabilities()
        self.sent: list[Sent] = []
        self.closed: list[SentRef] = []
        self._sink: Sink | None = None
        self._ids = itertools.count(1)

    async def start(self, sink: Sink) -> None:
        self._sink = sink

    async def stop(self) -> None:
        self._sink = None

    async def send(self, chat: ChatRef, content: Content) -> SentRef:
        ref = SentRef(chat, str(next(self._ids)))
        self.sent.append(Sent(chat, content, ref))
        return ref

    async def close_question(self, ref: SentRef) -> None:
        self.closed.append(ref)

    async def edit(self, ref: SentRef, content: Content) -> None:
        for item in self.sent:
            if item.ref == ref:
                item.edits.append(content)
                return
        raise KeyError(f"no message {ref.message_id} in {ref.chat.chat_id}")

    async def deliver(self, event: Event) -> list[Content]:
        """Feed an event to the core as the platform would, recording the replies."""
        assert self._sink is not None, "start() first"
        replies = await self._sink(event)
        for reply in replies:
            await self.send(event.chat, reply)
        return replies

    def sent_to(self, chat: ChatRef) -> list[Content]:
        return [s.content for s in self.sent if s.chat == chat]
