"""Neutral event and reply types shared by the core and every adapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ChatRef:
    platform: str
    chat_id: str
    is_group: bool = True
    # The chat's name where the platform gives one (a Telegram group's title, a Discord
    # server and channel): stored so instructors see names, never part of its identity.
    title: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class UserRef:
    platform: str
    user_id: str
    display_name: str


@dataclass(frozen=True, slots=True)
class CommandReceived:
    chat: ChatRef
    user: UserRef
    name: str
    args: str
    is_admin: bool = False  # the platform says this user administers the chat
    # Users the command points at: the author of the replied-to message, then mentions.
    mentions: tuple[UserRef, ...] = ()
    # How the user's client spells commands ("ko": /강사, "en": /instructor), where the
    # platform says (a Discord client's locale); None: as the chat's language does.
    command_style: str | None = None
    # The platform's id of the bot's message this command answers (a reply, or a Discord
    # message command), in the same chat; None when it answers none.
    replied_to: str | None = None


@dataclass(frozen=True, slots=True)
class TextReceived:
    chat: ChatRef
    user: UserRef
    text: str


@dataclass(frozen=True, slots=True)
class ChoiceSelected:
    """A button tap or a quiz-poll answer: the option is 1-based."""

    chat: ChatRef
    user: UserRef
    post_id: int
    option: int
    command_style: str | None = None  # as on CommandReceived
    # The platform itself shows the voter the outcome (a Telegram quiz poll): an accepted
    # answer needs no reply, and none is written.
    shown: bool = False


@dataclass(frozen=True, slots=True)
class QuestionForm:
    """A question as a form's fields: what a Discord modal asks for, or a Telegram quiz poll
    sent to the bot, before the core reads and checks it (bot.content.draft)."""

    purpose: str  # "addq" (an instructor adds), "suggest" (a member), "queue" (an edit)
    stem: str = ""
    options: tuple[str, ...] = ()  # one per line in a form
    answer: str = ""  # as typed: "3", "③", "2,3"
    explanation: str = ""
    topic: str = ""
    number: int | None = None  # the suggestion an edit is for


@dataclass(frozen=True, slots=True)
class QuestionSubmitted:
    chat: ChatRef
    user: UserRef
    form: QuestionForm
    is_admin: bool = False  # as on CommandReceived
    command_style: str | None = None


@dataclass(frozen=True, slots=True)
class FileReceived:
    """A file a person sent the bot (a Telegram document or photo, a Discord attachment, a
    path on the console). data is empty when the file was larger than the adapter may fetch
    (bot.content.upload.FILE_MAX); size is what the platform said it is."""

    chat: ChatRef
    user: UserRef
    name: str
    data: bytes
    size: int
    caption: str = ""  # the text sent with it ("/addq …" under a photo)
    is_admin: bool = False
    command_style: str | None = None

    def __repr__(self) -> str:  # not the bytes
        return f"FileReceived({self.name!r}, {self.size} bytes, caption={self.caption[:30]!r})"


Event = CommandReceived | TextReceived | ChoiceSelected | QuestionSubmitted | FileReceived


@dataclass(frozen=True, slots=True)
class Text:
    """A message body in a tiny markup: **bold** spans and plain text.

    Adapters escape the text for their platform and render the bold spans natively.
    """

    body: str
    ephemeral: bool = False  # shown only to the user it answers, where the platform can
    # Buttons under the text (Telegram inline keyboard, Discord buttons); the body must say
    # what each does in words too, for adapters without buttons (the console).
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, slots=True)
class Button:
    """A button that runs a command as if the tapper typed '/<command> <args>' in the chat
    (the handler checks who taps it and that it still applies)."""

    label: str
    command: str  # the English command name ("queue")
    args: str = ""  # words and numbers only, as "approve 12"


@dataclass(frozen=True, slots=True)
class QuestionCard:
    post_id: int
    stem: str
    options: tuple[str, ...]
    correct: tuple[int, ...]
    explanation: str  # fits a quiz poll (≤200 characters), may be empty
    header: str  # e.g. "오늘의 문제" with the source of a 기출
    closes_at: datetime | None
    fallback: str  # the whole card as plain text for adapters without buttons
    open_seconds: int | None = None  # set for contest questions, which run on a short timer
    # The picture the question stands on: shown with the card where Capabilities.images
    # (Telegram sends it as a photo before the poll; Discord puts it in the embed).
    image: Image | None = None


@dataclass(frozen=True, slots=True)
class BoardRow:
    rank: int
    name: str
    points: int
    is_caller: bool = False


@dataclass(frozen=True, slots=True)
class Leaderboard:
    title: str
    rows: tuple[BoardRow, ...]
    caller: BoardRow | None  # the caller's own row when it is not among rows
    fallback: str


@dataclass(frozen=True, slots=True)
class Image:
    """A picture (a PNG) with what it shows in words: the core sends one only to an adapter
    whose Capabilities.images is set, and always beside a Text that says the same."""

    png: bytes
    alt: str  # plain text, a line or two: a caption and what a screen reader says
    name: str = "studybot.png"  # a file name for platforms that attach files
    ephemeral: bool = False  # shown only to the user it answers, where the platform can

    def __repr__(self) -> str:  # not the bytes
        return f"Image({self.name!r}, {len(self.png)} bytes, alt={self.alt!r})"


@dataclass(frozen=True, slots=True)
class Document:
    """A file for the person to keep (a question set as YAML): sent only to an adapter whose
    Capabilities.files is set, and always beside a Text that says what it is."""

    data: bytes
    name: str  # the file name it is saved under
    caption: str = ""  # plain text, one line
    ephemeral: bool = False

    def __repr__(self) -> str:  # not the bytes
        return f"Document({self.name!r}, {len(self.data)} bytes)"


Content = Text | QuestionCard | Leaderboard | Image | Document


@dataclass(frozen=True, slots=True)
class SentRef:
    chat: ChatRef
    message_id: str
    # A platform object answers refer to instead of the message (a Telegram poll id).
    native_id: str | None = None


@dataclass(frozen=True, slots=True)
class Capabilities:
    buttons: bool = False
    native_quiz: bool = False
    edit: bool = False
    ephemeral: bool = False
    # The adapter can stop a posted question taking answers on the platform itself
    # (a Telegram poll is stopped, Discord buttons are disabled) through close_question.
    close_question: bool = False
    max_text_len: int = 4096
    images: bool = False  # the adapter can show an Image (a photo, an attachment, a file)
    files: bool = False  # the adapter can send a Document (a Telegram document, an attachment)
    extra: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TermEntry:
    """A term as an adapter offers it in a completion list: labels plus the full card."""

    id: str
    name: str
    name_en: str | None
    definition: str
    text: str  # the term card in the core's markup, in the asker's language

    @property
    def label(self) -> str:
        if self.name_en and self.name_en != self.name:
            return f"{self.name} ({self.name_en})"
        return self.name
