"""A fake Telegram Bot API over real HTTP on 127.0.0.1, for python-telegram-bot to talk to.

It keeps a small world (users, chats, the bot's messages, polls), serves the methods the
adapter calls with the Bot API's argument limits and error shapes, enforces rate limits
with real 429 responses, and lets a test inject updates, inject failures and read what the
bot sent. It is a test double of Telegram, not of anything in studybot.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import struct
import time
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web

JSON = dict[str, Any]

# Fields whose form value is text as typed, never JSON (PTB sends str values raw).
_RAW_TEXT = {
    "text",
    "question",
    "explanation",
    "parse_mode",
    "explanation_parse_mode",
    "callback_query_id",
    "inline_query_id",
    "type",
    "url",
    "secret_token",
    "language_code",
    "next_offset",
    "description",
}
_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}
_HTML_TOKEN = re.compile(r"<(/?)([a-zA-Z-]*)([^>]*)>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|([<>&])")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}\b")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_UPDATE_KINDS = (
    "message",
    "edited_message",
    "callback_query",
    "inline_query",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
)
# Telegram's default when allowed_updates is empty: everything but these.
_NOT_BY_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}


class ApiError(Exception):
    """An error response, in the shape Telegram sends."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The text a reader sees, or ApiError 400 as Telegram's HTML parser would raise it."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for match in _HTML_TOKEN.finditer(text):
        out.append(text[pos : match.start()])
        pos = match.end()
        closing, tag, _attrs, entity, bare = match.groups()
        if bare is not None:
            raise ApiError(
                400,
                f"Bad Request: can't parse entities: unexpected {bare!r} at byte offset "
                f"{len(text[: match.start()].encode())}",
            )
        if entity is not None:
            if entity.startswith("#x"):
                out.append(chr(int(entity[2:], 16)))
            elif entity.startswith("#"):
                out.append(chr(int(entity[1:])))
            elif entity in _ENTITIES:
                out.append(_ENTITIES[entity])
            else:
                raise ApiError(
                    400, f"Bad Request: can't parse entities: unsupported entity &{entity};"
                )
            continue
        tag = tag.lower()
        if tag not in _ALLOWED_TAGS:
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: unsupported start tag "{tag}"'
            )
        if closing:
            if not stack or stack[-1] != tag:
                raise ApiError(
                    400,
                    f"Bad Request: can't parse entities: can't find end tag corresponding "
                    f'to start tag "{stack[-1] if stack else tag}"',
                )
            stack.pop()
        else:
            stack.append(tag)
    out.append(text[pos:])
    if stack:
        raise ApiError(
            400,
            "Bad Request: can't parse entities: can't find end tag corresponding to start "
            f'tag "{stack[-1]}"',
        )
    return "".join(out)


@dataclass
class Fault:
    method: str
    code: int
    description: str
    parameters: JSON | None
    chat_id: int | None
    remaining: int


@dataclass
class Call:
    method: str
    params: JSON
    status: int
    at: float


@dataclass
class Sent:
    """A message the bot sent, as stored in its chat."""

    chat_id: int
    message: JSON
    edits: list[JSON] = field(default_factory=list)

    @property
    def message_id(self) -> int:
        return int(self.message["message_id"])

    @property
    def text(self) -> str:
        return str(self.message.get("text", ""))

    @property
    def html(self) -> str:
        return str(self.message.get("_html", ""))

    @property
    def poll(self) -> JSON | None:
        return self.message.get("poll")

    @property
    def buttons(self) -> list[str]:
        markup = self.message.get("reply_markup") or {}
        return [
            b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row
        ]


@dataclass
class RateLimits:
    per_group: tuple[int, float] = (20, 60.0)  # messages into one group, window in seconds
    per_private: tuple[int, float] = (30, 1.0)
    overall: tuple[int, float] = (30, 1.0)


class FakeBotApi:
    def __init__(
        self,
        token: str = "123456:TEST-fake-token_abcdefghij",
        *,
        username: str = "studybot_test_bot",
        bot_id: int = 777000111,
        limits: RateLimits | None = RateLimits(),  # noqa: B008 - immutable in practice
    ) -> None:
        self.token = token
        self.bot = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "스터디봇",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self.limits = limits
        self.port = 0
        self.calls: list[Call] = []
        self._counts: Counter[tuple[str, int | None]] = Counter()
        self.arrived: Counter[str] = Counter()
        self.chats: dict[int, JSON] = {}
        self.admins: dict[int, list[int]] = {}
        self.users: dict[int, JSON] = {}
        self.gone: dict[int, str] = {}  # chat id -> Forbidden description
        self.moved: dict[int, int] = {}  # old group id -> supergroup id
        self.history: dict[int, list[Sent]] = {}
        self.polls: dict[str, JSON] = {}
        self.callback_answers: dict[str, JSON] = {}
        self.inline_answers: dict[str, JSON] = {}
        self.commands: dict[str, list[JSON]] = {}
        self.webhook: JSON = {"url": ""}
        self.faults: list[Fault] = []
        self._pending_callbacks: set[str] = set()
        self._pending_inline: set[str] = set()
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._poll_ids = itertools.count(5_000_000_000_000_000_001)
        self._query_ids = itertools.count(900_000_001)
        self._allowed: list[str] = []
        self._new_updates = asyncio.Event()
        self._changed = asyncio.Event()
        self._closing = False
        self._messages: dict[tuple[int, int], JSON] = {}
        self._sends: dict[int, deque[float]] = {}
        self._all_sends: deque[float] = deque()
        self._runner: web.AppRunner | None = None
        # Offsets as Telegram keeps them: an update stays until it is confirmed (a later
        # getUpdates asks for an offset past it, or the webhook answered it with 2xx), and
        # is handed out again until then.
        self.delivered: Counter[int] = Counter()  # update id -> times handed to the bot
        self.confirmed: set[int] = set()
        self._hook_targets: list[str] = []
        self._turn = 0  # the next target in turn, as a round-robin load balancer keeps it
        self._pinned: dict[int, int] = {}  # update id -> the target it goes to first
        self.via: int | None = None  # updates pushed while set go first to this target
        self.reached: dict[int, int] = {}  # update id -> the target whose 2xx confirmed it
        self._hook_task: asyncio.Task[None] | None = None
        self._hook_in_flight: set[int] = set()
        self.max_connections = 40
        self.files: dict[str, bytes] = {}  # file_id -> bytes users sent (getFile serves them)
        self.downloads = 0

    # ---- server -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._serve)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._serve_file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        if self._hook_task is not None:
            self._hook_task.cancel()
            await asyncio.gather(self._hook_task, return_exceptions=True)
            self._hook_task = None
        if self._runner is not None:
            self._closing = True
            self._new_updates.set()  # wake a pending long poll so the server can stop
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """What STUDYBOT_TELEGRAM_API_URL would say: PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def _params(self, request: web.Request) -> JSON:
        raw: dict[str, str] = dict(request.query)
        if request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                body = await request.json()
                return {**raw, **body}
            if ctype == "multipart/form-data":
                form = await request.post()
                # An uploaded file (a photo) keeps its bytes; every other field is text.
                raw.update(
                    {
                        k: v.file.read() if isinstance(v, web.FileField) else str(v)
                        for k, v in form.items()
                    }
                )
            else:
                raw.update(dict(parse_qsl((await request.read()).decode(), keep_blank_values=True)))
        params: JSON = {}
        for key, value in raw.items():
            if key in _RAW_TEXT:
                params[key] = value
                continue
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        return params

    async def _serve(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        self.arrived[method] += 1  # a long poll answers late; this counts it as it comes
        self._changed.set()
        if request.match_info["token"] != self.token:
            return self._respond(method, params, ApiError(401, "Unauthorized"))
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._respond(method, params, ApiError(404, "Not Found"))
        try:
            self._inject_fault(method, params)
            result = await handler(params)
        except ApiError as exc:
            return self._respond(method, params, exc)
        return self._respond(method, params, result)

    def _respond(self, method: str, params: JSON, result: Any) -> web.Response:
        if isinstance(result, ApiError):
            status, body = result.code, result.payload()
        else:
            status, body = 200, {"ok": True, "result": result}
        self.calls.append(Call(method, params, status, time.monotonic()))
        self._counts[(method, status)] += 1
        self._counts[(method, None)] += 1
        self._changed.set()
        return web.json_response(body, status=status)

    async def wait_for(self, check: Callable[[], bool], within: float = 5.0) -> None:
        """Until check() holds, re-checked after every request the bot makes."""
        async with asyncio.timeout(within):
            while not check():
                self._changed.clear()
                await self._changed.wait()

    # ---- the world ----------------------------------------------------------------------

    def user(
        self, user_id: int, first_name: str, *, last_name: str = "", username: str = ""
    ) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        user["language_code"] = "ko"
        self.users[user_id] = user
        return user

    def group(
        self,
        chat_id: int,
        title: str,
        *,
        admins: tuple[JSON, ...] = (),
        supergroup: bool = False,
        forum: bool = False,
    ) -> JSON:
        chat: JSON = {"id": chat_id, "type": "supergroup" if supergroup else "group"}
        chat["title"] = title
        if forum:
            chat["is_forum"] = True
        self.chats[chat_id] = chat
        self.admins[chat_id] = [int(a["id"]) for a in admins]
        return chat

    def private(self, user: JSON) -> JSON:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self.chats[int(user["id"])] = chat
        return chat

    # ---- updates a test injects ---------------------------------------------------------

    def push(self, kind: str, payload: JSON) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, kind: payload})
        if self.via is not None:
            self._pinned[update_id] = self.via
        self._new_updates.set()
        return update_id

    def _user_message(self, chat: JSON, user: JSON | None, **fields: Any) -> JSON:
        chat_id = int(chat["id"])
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            **fields,
        }
        if user is not None:
            message["from"] = user
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def say(
        self,
        chat: JSON,
        user: JSON,
        text: str,
        *,
        reply_to: JSON | None = None,
        entities: list[JSON] | None = None,
        thread_id: int | None = None,
        sender_chat: JSON | None = None,
    ) -> JSON:
        """A user writes in a chat; a leading /command gets its bot_command entity."""
        fields: JSON = {"text": text}
        ents = list(entities or [])
        if text.startswith("/"):
            length = len(text.split()[0])
            ents.insert(0, {"type": "bot_command", "offset": 0, "length": utf16_len(text[:length])})
        # Telegram marks @usernames itself, as a client would show them.
        for found in _MENTION.finditer(text):
            offset = utf16_len(text[: found.start()])
            ents.append({"type": "mention", "offset": offset, "length": utf16_len(found.group())})
        if ents:
            fields["entities"] = sorted(ents, key=lambda e: int(e["offset"]))
        if reply_to is not None:
            fields["reply_to_message"] = reply_to
        if thread_id is not None:
            fields["message_thread_id"] = thread_id
            fields["is_topic_message"] = True
        if sender_chat is not None:
            fields["sender_chat"] = sender_chat
        message = self._user_message(chat, user, **fields)
        self.push("message", message)
        return message

    def send_file(
        self,
        chat: JSON,
        user: JSON,
        name: str,
        data: bytes,
        *,
        caption: str = "",
        photo: bool = False,
        size: int | None = None,
    ) -> JSON:
        """A user sends a document (or a photo) to a chat; size: what Telegram says it is."""
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = data
        said = len(data) if size is None else size
        fields: JSON
        if photo:
            fields = {
                "photo": [
                    {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 800,
                     "height": 600, "file_size": said}
                ]
            }
        else:
            fields = {
                "document": {"file_id": file_id, "file_unique_id": f"u{file_id}",
                             "file_name": name, "file_size": said}
            }  # fmt: skip
        if caption:
            fields["caption"] = caption
            if caption.startswith("/"):
                length = utf16_len(caption.split()[0])
                command = {"type": "bot_command", "offset": 0, "length": length}
                fields["caption_entities"] = [command]
        message = self._user_message(chat, user, **fields)
        self.push("message", message)
        return message

    async def _api_getFile(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        size = len(self.files[file_id])
        if size > 20 * 1024 * 1024:
            raise ApiError(400, "Bad Request: file is too big")
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size,
                "file_path": f"documents/{file_id}"}  # fmt: skip

    async def _serve_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if file_id not in self.files:
            return web.Response(status=404)
        self.downloads += 1
        return web.Response(body=self.files[file_id])

    async def _api_sendDocument(self, params: JSON) -> JSON:
        chat = self._chat(params)
        document = params.get("document")
        if not isinstance(document, bytes) or not document:
            raise ApiError(400, "Bad Request: there is no document in the request")
        self._rate(chat)
        fields: JSON = {
            "document": {"file_id": f"doc-{len(document)}", "file_unique_id": "d",
                         "file_size": len(document)},
            "_data": document,
        }  # fmt: skip
        caption = params.get("caption")
        if isinstance(caption, str) and caption:
            fields["caption"] = caption
        message = self._store(chat, fields, params)
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def send_poll(
        self,
        chat: JSON,
        user: JSON,
        question: str,
        options: list[str],
        *,
        correct: int | None = None,
        explanation: str | None = None,
        forwarded_from: JSON | None = None,
    ) -> JSON:
        """A user sends (or forwards) a native poll to a chat: a quiz when correct is given.

        As the Bot API does, the correct option (0-based) and the explanation are shown only
        in a private chat with the bot; a quiz anywhere else arrives without them.
        """
        poll_id = str(next(self._poll_ids))
        quiz = correct is not None
        poll: JSON = {
            "id": poll_id,
            "question": question,
            "options": [
                {"text": t, "voter_count": 0, "persistent_id": f"{i}"}
                for i, t in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "quiz" if quiz else "regular",
            "allows_multiple_answers": False,
            "allows_revoting": not quiz,
            "members_only": False,
        }
        if quiz and chat.get("type") == "private":
            poll["correct_option_ids"] = [correct]
            if explanation:
                poll["explanation"] = explanation
        fields: JSON = {"poll": poll}
        if forwarded_from is not None:
            fields["forward_origin"] = {
                "type": "user",
                "date": int(time.time()) - 60,
                "sender_user": forwarded_from,
            }
        message = self._user_message(chat, user, **fields)
        self.push("message", message)
        return message

    def tap(self, sent: Sent, user: JSON, data: str, *, chat: JSON | None = None) -> str:
        """A user taps a button (or a forged client claims to) under a bot message."""
        query_id = str(next(self._query_ids))
        self._pending_callbacks.add(query_id)
        message = {k: v for k, v in sent.message.items() if not k.startswith("_")}
        if chat is not None:
            message["chat"] = chat
        self.push(
            "callback_query",
            {
                "id": query_id,
                "from": user,
                "message": message,
                "chat_instance": f"ci{message['chat']['id']}",
                "data": data,
            },
        )
        return query_id

    def vote(self, poll_id: str, user: JSON, option: int) -> int:
        """A user picks one option (0-based) in a quiz, as a client would allow it."""
        poll = self.polls[poll_id]
        if poll["is_closed"] or (
            poll.get("_closes_at") is not None and time.time() >= poll["_closes_at"]
        ):
            raise AssertionError("a client cannot vote in a closed poll")
        voters: dict[int, list[int]] = poll["_voters"]
        if user["id"] in voters:
            raise AssertionError("a quiz takes one vote per person")
        voters[user["id"]] = [option]
        poll["options"][option]["voter_count"] += 1
        poll["total_voter_count"] += 1
        update_id = self.push("poll_answer", poll_answer(poll_id, user, [option]))
        self.push("poll", self._public_poll(poll))
        return update_id

    def inline(self, user: JSON, query: str) -> str:
        query_id = str(next(self._query_ids))
        self._pending_inline.add(query_id)
        self.push("inline_query", {"id": query_id, "from": user, "query": query, "offset": ""})
        return query_id

    def remove_bot(self, chat: JSON, by: JSON, *, status: str = "kicked") -> None:
        """An admin removes the bot (kicked) or it is made to leave (left)."""
        chat_id = int(chat["id"])
        self.push("my_chat_member", self._membership(chat, by, "member", status))
        self.gone[chat_id] = (
            "Forbidden: bot was kicked from the group chat"
            if chat["type"] != "private"
            else "Forbidden: bot was blocked by the user"
        )

    def readd_bot(self, chat: JSON, by: JSON) -> None:
        """Someone adds the bot back to a group it was removed from."""
        self.gone.pop(int(chat["id"]), None)
        self.push("my_chat_member", self._membership(chat, by, "kicked", "member"))

    def _membership(self, chat: JSON, by: JSON, old: str, new: str) -> JSON:
        bot_user = {k: self.bot[k] for k in ("id", "is_bot", "first_name", "username")}
        members = []
        for status in (old, new):
            member: JSON = {"status": status, "user": bot_user}
            if status == "kicked":
                member["until_date"] = 0
            members.append(member)
        return {
            "chat": chat,
            "from": by,
            "date": int(time.time()),
            "old_chat_member": members[0],
            "new_chat_member": members[1],
        }

    def migrate(self, chat: JSON, new_id: int) -> JSON:
        """A group becomes a supergroup: Telegram's two service messages, old then new."""
        old_id = int(chat["id"])
        new_chat = dict(chat, id=new_id, type="supergroup")
        self.chats[new_id] = new_chat
        self.admins[new_id] = list(self.admins.get(old_id, []))
        self.moved[old_id] = new_id
        self.push("message", self._user_message(chat, None, migrate_to_chat_id=new_id))
        self.push("message", self._user_message(new_chat, None, migrate_from_chat_id=old_id))
        return new_chat

    # ---- faults -------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        kind: str,
        *,
        times: int = 1,
        retry_after: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls of method (into chat_id, if given) fail like Telegram's:
        kind is '429', '500', '502', '403' or 'chat-not-found'."""
        shapes: dict[str, tuple[int, str, JSON | None]] = {
            "429": (
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            ),
            "500": (500, "Internal Server Error", None),
            "502": (502, "Bad Gateway", None),
            "403": (403, "Forbidden: bot was kicked from the group chat", None),
            "chat-not-found": (400, "Bad Request: chat not found", None),
        }
        code, description, parameters = shapes[kind]
        self.faults.append(Fault(method, code, description, parameters, chat_id, times))

    def _inject_fault(self, method: str, params: JSON) -> None:
        for fault in self.faults:
            if fault.method != method or fault.remaining <= 0:
                continue
            if fault.chat_id is not None and _int(params.get("chat_id")) != fault.chat_id:
                continue
            fault.remaining -= 1
            raise ApiError(fault.code, fault.description, fault.parameters)

    # ---- reading what the bot did -------------------------------------------------------

    def sent(self, chat: JSON | int | None = None) -> list[Sent]:
        if chat is None:
            return [s for items in self.history.values() for s in items]
        chat_id = int(chat["id"]) if isinstance(chat, dict) else chat
        return list(self.history.get(chat_id, []))

    def texts(self, chat: JSON | int) -> list[str]:
        return [s.text for s in self.sent(chat) if "text" in s.message]

    def count(self, method: str, status: int | None = 200) -> int:
        """Calls of method that got this status (None: any status)."""
        return self._counts[(method, status)]

    def last_call(self, method: str) -> Call:
        return [c for c in self.calls if c.method == method][-1]

    def pending_updates(self) -> int:
        return len(self._updates)

    # ---- helpers for the methods --------------------------------------------------------

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _chat(self, params: JSON) -> JSON:
        if "chat_id" not in params:
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat_id = _int(params["chat_id"])
        if chat_id in self.moved:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.moved[chat_id]},
            )
        if chat_id is None or chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.gone:
            raise ApiError(403, self.gone[chat_id])
        return self.chats[chat_id]

    def _rate(self, chat: JSON) -> None:
        if self.limits is None:
            return
        now = time.monotonic()
        chat_id = int(chat["id"])
        count, window = (
            self.limits.per_private if chat["type"] == "private" else (self.limits.per_group)
        )
        history = self._sends.setdefault(chat_id, deque())
        windows = ((history, (count, window)), (self._all_sends, self.limits.overall))
        for times, (limit, span) in windows:
            while times and times[0] <= now - span:
                times.popleft()
            if len(times) >= limit:
                wait = max(1, int(times[0] + span - now + 0.999))
                raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        history.append(now)
        self._all_sends.append(now)

    def _text(self, params: JSON, key: str = "text") -> tuple[str, str]:
        """(visible text, source) after checking parse mode and length."""
        source = params.get(key)
        if not isinstance(source, str) or not source:
            raise ApiError(400, "Bad Request: message text is empty")
        mode = params.get("parse_mode")
        if mode not in (None, "HTML"):
            raise ApiError(400, f"Bad Request: unsupported parse_mode {mode!r} in this fake")
        visible = parse_html(source) if mode == "HTML" else source
        if not visible.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(visible) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return visible, source

    def _markup(self, params: JSON) -> JSON | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
            raise ApiError(400, "Bad Request: unsupported reply_markup in this fake")
        for row in markup["inline_keyboard"]:
            for button in row:
                if not str(button.get("text", "")).strip():
                    raise ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _store(self, chat: JSON, fields: JSON, params: JSON) -> JSON:
        chat_id = int(chat["id"])
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": {k: self.bot[k] for k in ("id", "is_bot", "first_name", "username")},
            **fields,
        }
        thread = params.get("message_thread_id")
        if thread is not None:
            if not chat.get("is_forum"):
                raise ApiError(400, "Bad Request: message thread not found")
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            target = self._find(chat_id, int(reply["message_id"]))
            if target is None and not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
            if target is not None:
                message["reply_to_message"] = target
        self.history.setdefault(chat_id, []).append(Sent(chat_id, message))
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _find(self, chat_id: int, message_id: int) -> JSON | None:
        found = self._messages.get((chat_id, message_id))
        if found is None:
            return None
        return {k: v for k, v in found.items() if not k.startswith("_")}

    def _sent_message(self, params: JSON) -> Sent:
        chat = self._chat(params)
        message_id = _int(params.get("message_id"))
        for item in self.history.get(int(chat["id"]), []):
            if item.message_id == message_id:
                return item
        raise ApiError(400, "Bad Request: message to edit not found")

    @staticmethod
    def _public_poll(poll: JSON) -> JSON:
        return {k: v for k, v in poll.items() if not k.startswith("_")}

    # ---- Bot API methods ----------------------------------------------------------------

    async def _api_getMe(self, _params: JSON) -> JSON:
        return self.bot

    async def _api_logOut(self, _params: JSON) -> bool:
        return True

    async def _api_close(self, _params: JSON) -> bool:
        return True

    async def _api_deleteWebhook(self, params: JSON) -> bool:
        self.webhook = {"url": ""}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_setWebhook(self, params: JSON) -> bool:
        url = str(params.get("url", ""))
        if url and not url.startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.fullmatch(str(secret)):
            raise ApiError(
                400, "Bad Request: bad webhook: secret token contains unallowed characters"
            )
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "allowed_updates": params.get("allowed_updates"),
        }
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed = [str(a) for a in allowed]
        return True

    # ---- webhook delivery ---------------------------------------------------------------

    def deliver_webhooks(self, target: str | Sequence[str], *, max_connections: int = 40) -> None:
        """POST pending updates to target (where the webhook's https URL really lives) as
        Telegram does: up to max_connections at once, each update until a 2xx answers it,
        again after a failure, a non-2xx or a connection that went away.

        Several targets stand for replicas behind a load balancer: each update goes to the
        next in turn (or first to the one `via` named when it was pushed), and on to the
        following one when nobody listens there (a dead replica is skipped)."""
        self._hook_targets = [target] if isinstance(target, str) else list(target)
        self.max_connections = max_connections
        if self._hook_task is None:
            self._hook_task = asyncio.get_running_loop().create_task(self._hook_loop())

    async def _hook_loop(self) -> None:
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            posting: set[asyncio.Task[None]] = set()
            while True:
                if self.webhook.get("url"):
                    for update in self._first(len(self._updates) or 1):
                        if len(self._hook_in_flight) >= self.max_connections:
                            break
                        uid = _update_id(update)
                        if uid in self._hook_in_flight:
                            continue
                        self._hook_in_flight.add(uid)
                        task = asyncio.get_running_loop().create_task(self._post(http, update))
                        posting.add(task)
                        task.add_done_callback(posting.discard)
                self._new_updates.clear()
                try:
                    async with asyncio.timeout(0.05):
                        await self._new_updates.wait()
                except TimeoutError:
                    pass

    async def _post(self, http: aiohttp.ClientSession, update: JSON) -> None:
        uid = _update_id(update)
        ok = False
        try:
            headers = {}
            secret = self.webhook.get("secret_token")
            if secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = str(secret)
            first = self._pinned.pop(uid, None)
            if first is None:
                first, self._turn = self._turn, self._turn + 1
            count = len(self._hook_targets)
            for step in range(count):
                index = (first + step) % count
                self.delivered[uid] += 1
                try:
                    async with http.post(
                        self._hook_targets[index], json=update, headers=headers
                    ) as response:
                        ok = 200 <= response.status < 300
                except aiohttp.ClientConnectorError:
                    self.delivered[uid] -= 1  # nobody listening: it never reached the bot
                    continue
                if ok:
                    self.reached[uid] = index
                break
        except (aiohttp.ClientError, OSError, TimeoutError):
            pass  # it reached the bot, which went away before answering
        finally:
            if ok:
                self.confirmed.add(uid)
                self._updates = [u for u in self._updates if _update_id(u) != uid]
            else:
                await asyncio.sleep(0.1)  # Telegram waits before it tries again
            self._hook_in_flight.discard(uid)
            self._new_updates.set()
            self._changed.set()

    async def _api_getWebhookInfo(self, _params: JSON) -> JSON:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _api_getUpdates(self, params: JSON) -> list[JSON]:
        if self.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _int(params.get("offset")) or 0
        limit = min(max(_int(params.get("limit")) or 100, 1), 100)
        timeout = float(params.get("timeout") or 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed = [str(a) for a in allowed]
        if offset:
            # Asking from an offset confirms every earlier update: they are gone for good.
            # (Update ids only grow, so the confirmed ones are a prefix.)
            gone = bisect_left(self._updates, offset, key=_update_id)
            self.confirmed.update(_update_id(u) for u in self._updates[:gone])
            del self._updates[:gone]
        self._changed.set()
        deadline = time.monotonic() + timeout
        while True:
            ready = self._first(limit)
            left = deadline - time.monotonic()
            if ready or left <= 0 or self._closing:
                for update in ready:
                    self.delivered[_update_id(update)] += 1
                return ready
            self._new_updates.clear()
            try:
                async with asyncio.timeout(left):
                    await self._new_updates.wait()
            except TimeoutError:
                return []

    def _first(self, limit: int) -> list[JSON]:
        """The oldest pending updates of the kinds the bot asked for; Telegram drops the rest."""
        ready: list[JSON] = []
        unwanted = False
        for update in self._updates:
            if not self._wanted(update):
                unwanted = True
            elif len(ready) < limit:
                ready.append(update)
            else:
                break
        if unwanted:
            self._updates = [u for u in self._updates if self._wanted(u)]
        return ready

    def _wanted(self, update: JSON) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed:
            return kind in self._allowed
        return kind not in _NOT_BY_DEFAULT

    async def _api_sendMessage(self, params: JSON) -> JSON:
        chat = self._chat(params)
        visible, source = self._text(params)
        markup = self._markup(params)
        self._rate(chat)
        fields: JSON = {"text": visible, "_html": source}
        if markup is not None:
            fields["reply_markup"] = markup
        message = self._store(chat, fields, params)
        return {k: v for k, v in message.items() if not k.startswith("_")}

    async def _api_sendPhoto(self, params: JSON) -> JSON:
        chat = self._chat(params)
        photo = params.get("photo")
        if not isinstance(photo, bytes) or not photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        caption = params.get("caption")
        if isinstance(caption, str) and len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        self._rate(chat)
        # A PNG's width and height sit in its IHDR chunk, right after the signature.
        width, height = struct.unpack(">II", photo[16:24]) if len(photo) >= 24 else (0, 0)
        size = {
            "file_id": f"photo-{len(photo)}",
            "file_unique_id": f"p{len(photo)}",
            "width": width,
            "height": height,
            "file_size": len(photo),
        }
        fields: JSON = {"photo": [size], "_png": photo}
        if caption:
            fields["caption"] = caption
        message = self._store(chat, fields, params)
        return {k: v for k, v in message.items() if not k.startswith("_")}

    async def _api_sendPoll(self, params: JSON) -> JSON:
        chat = self._chat(params)
        question = params.get("question")
        if not isinstance(question, str) or not question.strip():
            raise ApiError(400, "Bad Request: poll question must be non-empty")
        if len(question) > 300:
            raise ApiError(400, "Bad Request: poll question length must not exceed 300")
        options = params.get("options")
        if not isinstance(options, list) or len(options) < 2:
            raise ApiError(400, "Bad Request: poll must have at least 2 option")
        if len(options) > 10:
            raise ApiError(400, "Bad Request: poll can't have more than 10 options")
        texts = [str(o["text"] if isinstance(o, dict) else o) for o in options]
        if any(not t.strip() or len(t) > 100 for t in texts):
            raise ApiError(400, "Bad Request: poll options length must not exceed 100")
        kind = params.get("type", "regular")
        correct = params.get("correct_option_ids")
        if kind == "quiz":
            if not isinstance(correct, list) or not correct:
                raise ApiError(400, "Bad Request: wrong correct option ID specified")
            if any(not isinstance(c, int) or not 0 <= c < len(texts) for c in correct):
                raise ApiError(400, "Bad Request: wrong correct option ID specified")
        explanation = params.get("explanation")
        if explanation is not None:
            if len(explanation) > 200:
                raise ApiError(400, "Bad Request: explanation is too long")
            if explanation.count("\n") > 2:
                raise ApiError(400, "Bad Request: explanation must have at most 2 line feeds")
        period = params.get("open_period")
        if period is not None and not 5 <= int(period) <= 2_628_000:
            raise ApiError(400, "Bad Request: wrong open period specified")
        self._rate(chat)
        poll_id = str(next(self._poll_ids))
        poll: JSON = {
            "id": poll_id,
            "question": question,
            # Bot API 9.6: options carry a persistent id that survives reordering.
            "options": [
                {"text": t, "voter_count": 0, "persistent_id": f"{i}"} for i, t in enumerate(texts)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": bool(params.get("is_anonymous", True)),
            "type": kind,
            "allows_multiple_answers": False,
            "allows_revoting": bool(params.get("allows_revoting", kind != "quiz")),
            "members_only": False,
            "_voters": {},
            "_closes_at": time.time() + int(period) if period else None,
        }
        if kind == "quiz":
            poll["correct_option_ids"] = correct
            if explanation:
                poll["explanation"] = explanation
        if period:
            poll["open_period"] = int(period)
        self.polls[poll_id] = poll
        message = self._store(chat, {"poll": poll}, params)
        result = dict(message, poll=self._public_poll(poll))
        return result

    async def _api_stopPoll(self, params: JSON) -> JSON:
        sent = self._sent_message(params)
        if sent.poll is None:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        poll = self.polls[sent.poll["id"]]
        if poll["is_closed"]:
            raise ApiError(400, "Bad Request: poll has already been closed")
        poll["is_closed"] = True
        self.push("poll", self._public_poll(poll))
        return self._public_poll(poll)

    async def _api_editMessageText(self, params: JSON) -> JSON:
        sent = self._sent_message(params)
        visible, source = self._text(params)
        markup = self._markup(params)
        if visible == sent.message.get("text") and markup == sent.message.get("reply_markup"):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        sent.edits.append(dict(sent.message))
        sent.message.update(text=visible, _html=source, edit_date=int(time.time()))
        if markup is None:
            sent.message.pop("reply_markup", None)
        else:
            sent.message["reply_markup"] = markup
        return {k: v for k, v in sent.message.items() if not k.startswith("_")}

    async def _api_editMessageReplyMarkup(self, params: JSON) -> JSON:
        sent = self._sent_message(params)
        markup = self._markup(params)
        if markup == sent.message.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified")
        sent.edits.append(dict(sent.message))
        if markup is None:
            sent.message.pop("reply_markup", None)
        else:
            sent.message["reply_markup"] = markup
        return {k: v for k, v in sent.message.items() if not k.startswith("_")}

    async def _api_answerCallbackQuery(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._pending_callbacks:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._pending_callbacks.discard(query_id)
        self.callback_answers[query_id] = params
        return True

    async def _api_answerInlineQuery(self, params: JSON) -> bool:
        query_id = str(params.get("inline_query_id", ""))
        if query_id not in self._pending_inline:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        results = params.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [str(r.get("id", "")) for r in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        for result in results:
            if result.get("type") != "article" or not result.get("title"):
                raise ApiError(400, "Bad Request: RESULT_TYPE_INVALID")
            content = result.get("input_message_content") or {}
            self._text(
                {"text": content.get("message_text"), "parse_mode": content.get("parse_mode")}
            )
        self._pending_inline.discard(query_id)
        self.inline_answers[query_id] = params
        return True

    async def _api_setMyCommands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not _COMMAND_NAME.fullmatch(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope") or {"type": "default"}
        key = f"{scope.get('type')}:{params.get('language_code', '')}"
        self.commands[key] = commands
        return True

    async def _api_getChatAdministrators(self, params: JSON) -> list[JSON]:
        chat = self._chat(params)
        if chat["type"] == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        members = []
        for index, user_id in enumerate(self.admins.get(int(chat["id"]), [])):
            user = self.users.get(user_id, {"id": user_id, "is_bot": False, "first_name": "?"})
            if index == 0:
                members.append({"status": "creator", "user": user, "is_anonymous": False})
            else:
                members.append(
                    {
                        "status": "administrator",
                        "user": user,
                        "can_be_edited": False,
                        "is_anonymous": False,
                        "can_manage_chat": True,
                        "can_delete_messages": True,
                        "can_manage_video_chats": True,
                        "can_restrict_members": True,
                        "can_promote_members": False,
                        "can_change_info": True,
                        "can_invite_users": True,
                        "can_post_stories": False,
                        "can_edit_stories": False,
                        "can_delete_stories": False,
                    }
                )
        return members


def poll_answer(poll_id: str, user: JSON, options: list[int]) -> JSON:
    """A poll_answer update's payload; an empty list is a vote taken back."""
    return {
        "poll_id": poll_id,
        "user": user,
        "option_ids": options,
        "option_persistent_ids": [str(o) for o in options],
    }


def _update_id(update: JSON) -> int:
    return int(update["update_id"])


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
