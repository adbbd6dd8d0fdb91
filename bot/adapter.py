"""The port between the core and its adapters: what each may ask of the other."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from bot.types import (
    Capabilities,
    ChatRef,
    Content,
    Event,
    QuestionForm,
    SentRef,
    TermEntry,
    Text,
    UserRef,
)

if TYPE_CHECKING:
    from bot.places import Place

# The core hands each adapter this sink; the adapter awaits it for every inbound event and
# renders the replies it returns, in order, to the event's chat.
Sink = Callable[[Event], Awaitable[list[Content]]]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Failure(Text):
    """The core's reply to an event it could not handle, even after retrying: the body asks
    the user to try again. An adapter that shows the core no replies (a Telegram poll vote)
    must still tell the user, since the platform thinks the event was taken."""


class Adapter(Protocol):
    """What the core may ask of an adapter."""

    name: str
    capabilities: Capabilities

    async def start(self, sink: Sink) -> None:
        """Begin receiving; must return promptly and leave the loop free."""

    async def stop(self) -> None: ...

    async def send(self, chat: ChatRef, content: Content) -> SentRef: ...

    async def edit(self, ref: SentRef, content: Content) -> None: ...

    async def close_question(self, ref: SentRef) -> None:
        """Stop a posted question taking answers on the platform (Capabilities.close_question).

        Adapters that cannot leave capabilities.close_question False and never get this call.
        """


class CorePort(Protocol):
    """What an adapter may ask of the core, besides handing it events through the sink."""

    async def handle(self, event: Event) -> list[Content]: ...

    def now(self) -> datetime: ...

    async def paced(self, chat: ChatRef, attempt: Callable[[], Awaitable[T]]) -> T | None:
        """Make a platform call into chat (a reply to a user) within the budget fan-out uses.

        The pacer waits its turn, waits out retry_after and retries transient errors with a
        bound (raising bot.errors.TransientError at the end); None when the chat is gone
        (the core has been told). bot.pacer.PacerClosed: the bot is stopping.
        """

    async def place(self, chat: ChatRef) -> Place:
        """The chat's language and time zone."""

    async def announce_refusal(
        self, chat: ChatRef, user: UserRef, is_admin: bool, command_style: str | None = None
    ) -> Text | None:
        """None when the user may announce in the chat; otherwise the refusal to show them.

        For a platform that asks for the whole announcement in a form: refuse before it opens.
        """

    async def question_form(
        self,
        chat: ChatRef,
        user: UserRef,
        is_admin: bool,
        purpose: str,
        number: int | None = None,
        command_style: str | None = None,
    ) -> QuestionForm | Text:
        """The form to open for a question ("addq", "suggest", or "queue" to edit suggestion
        `number`, filled in), or the refusal to show instead: checked before the form opens."""

    async def answer_count(self, post_id: int) -> int: ...

    def complete_terms(self, query: str, limit: int, locale: str) -> list[TermEntry]:
        """Terms whose names start like the query, best first (an empty query: the most used)."""

    async def resolve_native(self, platform: str, native_id: str) -> tuple[int, ChatRef] | None:
        """The post and chat a platform object (a Telegram poll id) belongs to."""

    async def migrate_chat(self, chat: ChatRef, new_chat_id: str) -> None:
        """A chat changed its id (a Telegram group became a supergroup): keep its history."""

    async def chat_gone(self, chat: ChatRef, reason: str) -> None:
        """The bot can no longer post there: stop every scheduled delivery to it."""
