"""A local group chat in the terminal: one person can speak as several with /as."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import itertools
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO

from bot.adapter import CorePort, Sink
from bot.dispatcher import parse_command
from bot.i18n import t
from bot.markup import to_plain
from bot.types import (
    Capabilities,
    ChatRef,
    CommandReceived,
    Content,
    Document,
    FileReceived,
    Image,
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
# A message of several lines (a question for /addq) is typed between these two lines.
MULTI_OPEN, MULTI_CLOSE = "<<<", ">>>"
# Account names that say nothing about the person at the keyboard.
_SYSTEM_USERS = {"", "root", "admin", "administrator", "user", "nobody"}


def default_speaker(locale: str) -> str:
    """Whoever opened the terminal: their OS user name, else the word for the group's admin."""
    try:
        name = " ".join(getpass.getuser().split())[:MAX_NAME]
    except (OSError, KeyError, ImportError):
        name = ""
    if name.lower() in _SYSTEM_USERS:
        return t(locale, "console_default_speaker")
    return name


def render(content: Content) -> str:
    if isinstance(content, Text):
        return to_plain(content.body)
    if isinstance(content, QuestionCard | Leaderboard):
        return to_plain(content.fallback)
    return str(content)


def _read_capped(path: Path, limit: int) -> tuple[int, bytes]:
    """A file's size and bytes; no bytes when it is larger than limit (as a platform says)."""
    path = path.expanduser()
    size = path.stat().st_size
    return size, path.read_bytes() if size <= limit else b""


class ConsoleAdapter:
    name = PLATFORM
    # A picture is written into the data folder as a PNG and its path is printed.
    # A file the bot sends (/qset export) is written into the data folder's exports/.
    capabilities = Capabilities(max_text_len=1_000_000, images=True, files=True)

    def __init__(
        self,
        *,
        locale: str = "ko",
        user_name: str | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        port: CorePort | None = None,
        pictures_dir: Path | None = None,
    ) -> None:
        self.locale = locale
        self.pictures_dir = pictures_dir or Path(tempfile.gettempdir()) / "studybot-pictures"
        # The core tells the chat's language (/lang may change it); without one, the setting.
        self.port = port
        user_name = user_name or default_speaker(locale)
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.interactive = self.stdin.isatty()
        self.group = ChatRef(PLATFORM, "console", is_group=True)
        self.chat = self.group  # /dm moves the speaker into a private chat with the bot
        self.user = UserRef(PLATFORM, user_name, user_name)
        # Whoever opened the terminal runs the local group; others made with /as are members.
        self.admins = {user_name}
        # Who has spoken here: '@name' names one of them, as a platform mention names a
        # member the platform knows; an unknown '@name' stays plain text.
        self.speakers = {user_name}
        self._sink: Sink | None = None
        self._ids = itertools.count(1)
        self._stopped = asyncio.Event()

    async def start(self, sink: Sink) -> None:
        self._sink = sink
        self._print(t(self.locale, "console_welcome"))

    async def stop(self) -> None:
        self._stopped.set()

    async def say_goodbye(self) -> None:
        """The word a person sees when Ctrl+C (or a service manager) ends the console."""
        if self.interactive:
            self.stdout.write("\n")
        self._print(t(await self._locale(), "console_bye"))

    async def _locale(self) -> str:
        if self.port is None:
            return self.locale
        try:
            return (await self.port.place(self.chat)).locale
        except Exception:
            return self.locale  # the database is gone or stopping: the setting will do

    async def send(self, chat: ChatRef, content: Content) -> SentRef:
        message_id = str(next(self._ids))
        if isinstance(content, Image):
            path = self.save_picture(content, message_id)
            self._print(t(await self._locale(), "console_picture", alt=content.alt, path=path))
            return SentRef(chat, message_id)
        if isinstance(content, Document):
            path = self.save_file(content)
            self._print(t(await self._locale(), "console_file", name=content.name, path=path))
            return SentRef(chat, message_id)
        if isinstance(content, QuestionCard) and content.image is not None:
            path = self.save_picture(content.image, message_id)
            self._print(
                t(await self._locale(), "console_picture", alt=content.image.alt, path=path)
            )
        self._print(render(content))
        return SentRef(chat, message_id)

    def save_picture(self, image: Image, message_id: str) -> Path:
        """Write the PNG into the data folder (a file per picture) and return its path."""
        self.pictures_dir.mkdir(parents=True, exist_ok=True)
        stem = Path(image.name).stem or "picture"
        path = self.pictures_dir / f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}-{message_id}.png"
        path.write_bytes(image.png)
        return path

    def save_file(self, document: Document) -> Path:
        """Write a file the bot sent into the data folder's exports/ (never over another)."""
        folder = self.pictures_dir.parent / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        name = Path(document.name).name or "studybot-file"
        path = folder / name
        if path.exists():
            path = folder / f"{path.stem}-{time.strftime('%Y%m%d-%H%M%S')}{path.suffix}"
        path.write_bytes(document.data)
        return path

    async def _file_event(self, args: str) -> FileReceived | None:
        """/file PATH [caption]: the file as a platform would hand it over (size-capped)."""
        from bot.content.upload import FETCH_MAX

        raw, _, caption = args.strip().partition(" ")
        if not raw:
            self._print(t(await self._locale(), "console_file_usage"))
            return None
        path = Path(raw)
        try:
            size, data = await asyncio.to_thread(_read_capped, path, FETCH_MAX)
        except OSError:
            self._print(t(await self._locale(), "console_file_missing", path=raw))
            return None
        return FileReceived(
            self.chat,
            self.user,
            path.name,
            data,
            size,
            caption=caption.strip(),
            is_admin=self.user.display_name in self.admins,
        )

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
            if line == MULTI_OPEN:
                line = await self._read_block()  # a question of several lines, as one message
            if not self.interactive:
                self.stdout.write(f"{self.user.display_name}> {line}\n")
            if await self._local_command(line):
                if self._stopped.is_set():
                    break
                continue
            for reply in await self._sink(self._event(line)):
                await self.send(self.chat, reply)

    async def _read_block(self) -> str:
        """The lines up to a line '>>>' (or the end of input), as one message."""
        lines: list[str] = []
        while (raw := await asyncio.to_thread(self.stdin.readline)) and raw.strip() != MULTI_CLOSE:
            lines.append(raw.rstrip("\n"))
        return "\n".join(lines).strip()

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
                self._print(t(await self._locale(), "console_wait_usage", max=MAX_WAIT))
            else:
                # A stop (Ctrl+C, SIGTERM) ends the wait at once.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopped.wait(), int(seconds))
            return True
        if parsed.name == "as":
            name = " ".join(parsed.args.split())[:MAX_NAME]
            locale = await self._locale()
            if not name:
                self._print(t(locale, "console_as_usage"))
            else:
                self.user = UserRef(PLATFORM, name, name)
                self.speakers.add(name)
                if not self.chat.is_group:
                    self.chat = self.private_chat()  # each person has their own
                self._print(t(locale, "console_as", name=name))
            return True
        if parsed.name == "file":
            event = await self._file_event(parsed.args)
            if event is not None and self._sink is not None:
                for reply in await self._sink(event):
                    await self.send(self.chat, reply)
            return True
        if parsed.name == "dm":
            self.chat = self.private_chat()
            self._print(t(await self._locale(), "console_dm", name=self.user.display_name))
            return True
        if parsed.name == "group":
            self.chat = self.group
            self._print(t(await self._locale(), "console_group"))
            return True
        return False

    def private_chat(self) -> ChatRef:
        """The current speaker's private chat with the bot, as a platform's DM would be."""
        return ChatRef(PLATFORM, f"dm-{self.user.user_id}", is_group=False)

    def _event(self, line: str) -> CommandReceived | TextReceived:
        parsed = parse_command(line)
        if parsed is None:
            return TextReceived(self.chat, self.user, line)
        # '@지영' points at another member, as a mention would on a platform.
        mentions = tuple(
            UserRef(PLATFORM, word[1 : MAX_NAME + 1], word[1 : MAX_NAME + 1])
            for word in parsed.args.split()
            if word.startswith("@") and word[1 : MAX_NAME + 1] in self.speakers
        )
        return CommandReceived(
            self.chat,
            self.user,
            parsed.name,
            parsed.args,
            is_admin=self.user.display_name in self.admins,
            mentions=mentions,
        )
