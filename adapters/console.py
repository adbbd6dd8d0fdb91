"""A local group chat in the terminal: one person can speak as several with /as."""

from __future__ import annotations

import asyncio
import itertools
import sys
from typing import TextIO

from bot.adapter import Sink
from bot.dispatcher import parse_command
from bot.i18n import t
from bot.markup import to_plain
from bot.types import (
    Capabilities,
    ChatRef,
    CommandReceived,
    Content,
    Leaderboard,
    QuestionCard,
    SentRef,
    Text,
    TextReceived,
    UserRef,
)

PLATFORM = "console"
MAX_NAME = 32
MAX_WAIT = 600


def render(content: Content) -> str:
    if isinstance(content, Text):
        return to_plain(content.body)
    if isinstance(content, QuestionCard | Leaderboard):
        return to_plain(content.fallback)
    return str(content)


class ConsoleAdapter:
    name = PLATFORM
    capabilities = Capabilities(max_text_len=1_000_000)

    def __init__(
        self,
        *,
        locale: str = "ko",
        user_name: str = "나",
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        self.locale = locale
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.interactive = self.stdin.isatty()
        self.chat = ChatRef(PLATFORM, "console", is_group=True)
        self.user = UserRef(PLATFORM, user_name, user_name)
        # Whoever opened the terminal runs the local group; others made with /as are members.
        self.admins = {user_name}
        self._sink: Sink | None = None
        self._ids = itertools.count(1)
        self._stopped = asyncio.Event()

    async def start(self, sink: Sink) -> None:
        self._sink = sink
        self._print(t(self.locale, "console_welcome"))

    async def stop(self) -> None:
        self._stopped.set()

    async def send(self, chat: ChatRef, content: Content) -> SentRef:
        self._print(render(content))
        return SentRef(chat, str(next(self._ids)))

    async def edit(self, ref: SentRef, content: Content) -> None:
        self._print(render(content))

    async def close_question(self, ref: SentRef) -> None:
        """Never called (capabilities.close_question is off): the reveal says it is closed."""

    def _print(self, text: str) -> None:
        for line in text.split("\n"):
            self.stdout.write(f"  {line}\n" if line else "\n")
        self.stdout.write("\n")
        self.stdout.flush()

    async def _read_line(self) -> str:
        if self.interactive:
            self.stdout.write(f"{self.user.display_name}> ")
            self.stdout.flush()
        return await asyncio.to_thread(self.stdin.readline)

    async def run(self) -> None:
        """Read one message per line until end of input, /quit or stop()."""
        assert self._sink is not None, "start() first"
        while not self._stopped.is_set():
            raw = await self._read_line()
            if raw == "":
                break
            line = raw.strip()
            if not line:
                continue
            if not self.interactive:
                self.stdout.write(f"{self.user.display_name}> {line}\n")
            if await self._local_command(line):
                if self._stopped.is_set():
                    break
                continue
            for reply in await self._sink(self._event(line)):
                await self.send(self.chat, reply)

    async def _local_command(self, line: str) -> bool:
        parsed = parse_command(line)
        if parsed is None:
            return False
        if parsed.name in ("quit", "exit"):
            self._stopped.set()
            return True
        if parsed.name == "wait":
            # Lets a scripted session stay open while scheduled posts come due.
            seconds = parsed.args.strip()
            if not seconds.isdigit() or not 1 <= int(seconds) <= MAX_WAIT:
                self._print(t(self.locale, "console_wait_usage", max=MAX_WAIT))
            else:
                await asyncio.sleep(int(seconds))
            return True
        if parsed.name == "as":
            name = " ".join(parsed.args.split())[:MAX_NAME]
            if not name:
                self._print(t(self.locale, "console_as_usage"))
            else:
                self.user = UserRef(PLATFORM, name, name)
                self._print(t(self.locale, "console_as", name=name))
            return True
        return False

    def _event(self, line: str) -> CommandReceived | TextReceived:
        parsed = parse_command(line)
        if parsed is None:
            return TextReceived(self.chat, self.user, line)
        # '@지영' points at another member, as a mention would on a platform.
        mentions = tuple(
            UserRef(PLATFORM, word[1 : MAX_NAME + 1], word[1 : MAX_NAME + 1])
            for word in parsed.args.split()
            if word.startswith("@") and len(word) > 1
        )
        return CommandReceived(
            self.chat,
            self.user,
            parsed.name,
            parsed.args,
            is_admin=self.user.display_name in self.admins,
            mentions=mentions,
        )
