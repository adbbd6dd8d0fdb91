"""The review queue: members' suggestions wait as pending chat questions until an
instructor of that chat approves (optionally edited) or rejects them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.content.draft import Draft
from bot.services.bank import LIVE, PENDING, REJECTED, ChatQuestion, QuestionBank

QUEUE_PAGE = 10


class Verdict(Enum):
    DONE = "done"
    GONE = "gone"  # no such suggestion in this chat, or it was decided already


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    item: ChatQuestion | None = None  # the suggestion as it was before the decision


class SuggestionService:
    def __init__(self, bank: QuestionBank) -> None:
        self.bank = bank

    async def suggest(self, chat_id: int, user_id: int, draft: Draft, now: datetime) -> int:
        return await self.bank.add(chat_id, user_id, draft, PENDING, now)

    async def queue(self, chat_id: int) -> tuple[list[ChatQuestion], int]:
        """The oldest pending suggestions (a page) and how many are pending in all."""
        return (
            await self.bank.listing(chat_id, PENDING, QUEUE_PAGE),
            await self.bank.count(chat_id, PENDING),
        )

    async def pending(self, chat_id: int, number: int) -> ChatQuestion | None:
        item = await self.bank.item(number)
        if item is None or item.chat_id != chat_id or item.state != PENDING:
            return None
        return item

    async def decide(
        self,
        chat_id: int,
        number: int,
        *,
        approve: bool,
        by: int,
        now: datetime,
        draft: Draft | None = None,
    ) -> Decision:
        item = await self.pending(chat_id, number)
        if item is None:
            return Decision(Verdict.GONE)
        moved = await self.bank.move(
            number,
            chat_id,
            from_state=PENDING,
            to_state=LIVE if approve else REJECTED,
            by=by,
            now=now,
            draft=draft,
        )
        return Decision(Verdict.DONE if moved else Verdict.GONE, item)
