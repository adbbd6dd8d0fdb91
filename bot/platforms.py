"""The attached adapters by platform name: the one way the core reaches a platform."""

from __future__ import annotations

import logging

from bot.adapter import Adapter
from bot.errors import DeliveryError
from bot.types import Capabilities, ChatRef, Content, SentRef

log = logging.getLogger(__name__)

NO_CAPABILITIES = Capabilities()


class Platforms:
    def __init__(self) -> None:
        self.adapters: dict[str, Adapter] = {}

    def attach(self, adapter: Adapter) -> None:
        self.adapters[adapter.name] = adapter

    def capabilities(self, chat: ChatRef) -> Capabilities:
        adapter = self.adapters.get(chat.platform)
        return adapter.capabilities if adapter is not None else NO_CAPABILITIES

    async def send(self, chat: ChatRef, content: Content) -> SentRef | None:
        adapter = self.adapters.get(chat.platform)
        if adapter is None:
            log.warning(
                "no adapter for platform %s; message to %s dropped", chat.platform, chat.chat_id
            )
            return None
        return await adapter.send(chat, content)

    async def close_question(self, ref: SentRef) -> None:
        """Stop the question taking answers on the platform too, where the adapter can."""
        adapter = self.adapters.get(ref.chat.platform)
        if adapter is None or not adapter.capabilities.close_question or not ref.message_id:
            return
        try:
            await adapter.close_question(ref)
        except DeliveryError as exc:
            log.warning(
                "could not close question %s in %s: %s", ref.message_id, ref.chat.chat_id, exc
            )
