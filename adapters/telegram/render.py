"""Turn the core's neutral replies into what the Bot API accepts, within its limits.

Everything here is pure: no network, no core state, so the limits are easy to read in one
place and the adapter stays about flow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import circled
from bot.markup import split_text, to_html, to_plain
from bot.types import Button, Content, Image, Leaderboard, QuestionCard, Text

PARSE_MODE = "HTML"
# Bot API limits, counted after entity parsing (what the reader sees, not the HTML source).
MAX_TEXT = 4096
POLL_QUESTION_MAX = 300
CAPTION_MAX = 1024
POLL_OPTION_MAX = 100
POLL_OPTIONS_MIN, POLL_OPTIONS_MAX = 2, 10
POLL_EXPLANATION_MAX = 200
POLL_EXPLANATION_LINE_FEEDS = 2
OPEN_PERIOD_MIN = 5
OPEN_PERIOD_MAX = 2_628_000
CALLBACK_DATA_MAX = 64  # bytes
CALLBACK_TEXT_MAX = 200
BUTTONS_PER_ROW = 5

# "a:<post id>:<option>": short, digits only, so anything else is refused before the core.
_CALLBACK = re.compile(r"a:([1-9][0-9]{0,11}):([1-9][0-9]?)")
# A Text button (bot.types.Button) as "<command code>:<word>:<number>", e.g. "q:approve:12":
# only the commands and words below, digits only, so a tap names nothing else.
COMMAND_CODES = {"queue": "q", "term": "t"}
_COMMAND_CALLBACK = re.compile(
    r"(q):(approve|edit|reject):([1-9][0-9]{0,11})"
    # /term's "자세히": a term id as the content schema allows it, within the 64 bytes.
    r"|(t):(full):([a-z0-9][a-z0-9._-]{0,56})"
)
BUTTON_LABEL_MAX = 64
# to_html emits only <b>, </b>, the three escapes html.escape(quote=False) produces and
# plain characters; each unit below is one character the reader sees, or a bold switch.
_HTML_UNIT = re.compile(r"<b>|</b>|&(?:amp|lt|gt);|.", re.S)


def utf16_len(text: str) -> int:
    """Telegram counts message lengths in UTF-16 code units (an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def body_of(content: Content) -> str:
    """The markup body an adapter without native widgets shows for any content."""
    if isinstance(content, Text):
        return content.body
    if isinstance(content, QuestionCard | Leaderboard):
        return content.fallback
    raise TypeError(f"cannot render {type(content).__name__}")


@dataclass(frozen=True, slots=True)
class _Unit:
    html: str  # one visible character, already escaped
    bold: bool


def _units(html: str) -> list[_Unit]:
    units: list[_Unit] = []
    bold = False
    for match in _HTML_UNIT.finditer(html):
        token = match.group()
        if token == "<b>":
            bold = True
        elif token == "</b>":
            bold = False
        else:
            units.append(_Unit(token, bold))
    return units


def _join(units: list[_Unit]) -> str:
    out: list[str] = []
    bold = False
    for unit in units:
        if unit.bold != bold:
            out.append("<b>" if unit.bold else "</b>")
            bold = unit.bold
        out.append(unit.html)
    if bold:
        out.append("</b>")
    return "".join(out)


def html_parts(body: str, limit: int = MAX_TEXT) -> list[str]:
    """The body as HTML messages that each fit the limit, cut at line breaks where possible.

    The cut points come from split_text on the visible text, so a bold span or an escape
    is never torn in half: each part re-opens and closes its own <b> tags.
    """
    html = to_html(body)
    plain = to_plain(body)
    if utf16_len(plain) <= limit:
        return [html] if plain.strip() else []
    units = _units(html)
    if len(units) != len(plain):  # not the shape to_html promises; send it cut blindly
        return [html[i : i + limit] for i in range(0, len(html), limit)]
    size = limit
    while True:
        pieces = split_text(plain, size)
        if all(utf16_len(p) <= limit for p in pieces) or size <= 1:
            break
        # Astral characters (emoji) count twice: cut shorter until every part fits.
        size = min(size - 1, size * 9 // 10)
    parts: list[str] = []
    pos = 0
    for piece in pieces:
        chunk = units[pos : pos + len(piece)]
        pos += len(piece)
        # split_text drops the line breaks it cuts at (and blank lines at a part's start).
        while pos < len(units) and units[pos].html == "\n":
            pos += 1
        if piece.strip():
            parts.append(_join(chunk))
    return parts


def photo_caption(image: Image) -> str:
    """A photo's caption: the picture's words, plain (no parse mode), within the limit."""
    text = " ".join(image.alt.split())
    return text if utf16_len(text) <= CAPTION_MAX else text[: CAPTION_MAX // 2 - 1] + "…"


def fits_poll(card: QuestionCard) -> bool:
    """A native quiz poll takes the card as it is, with nothing lost."""
    return (
        len(card.stem) <= POLL_QUESTION_MAX
        and POLL_OPTIONS_MIN <= len(card.options) <= POLL_OPTIONS_MAX
        and all(0 < len(o) <= POLL_OPTION_MAX for o in card.options)
        # A poll marks one option right (what the API reliably supports); when an exam
        # key accepts several, Telegram would tell people who chose another accepted
        # option that they were wrong, so such cards go out with buttons instead.
        and len(card.correct) == 1
        and 1 <= card.correct[0] <= len(card.options)
    )


def poll_question(card: QuestionCard) -> str:
    """The header (question number, 기출 source) leads the poll when there is room."""
    with_header = f"{card.header}\n{card.stem}" if card.header else card.stem
    return with_header if len(with_header) <= POLL_QUESTION_MAX else card.stem


def poll_explanation(card: QuestionCard) -> str | None:
    text = card.explanation.strip()
    if not text or len(text) > POLL_EXPLANATION_MAX:
        return None
    if text.count("\n") > POLL_EXPLANATION_LINE_FEEDS:
        text = " ".join(text.split())
    return text


def open_period(card: QuestionCard) -> int | None:
    """Contest questions close themselves on Telegram at the same moment as in the core."""
    seconds = card.open_seconds
    if seconds is None or not OPEN_PERIOD_MIN <= seconds <= OPEN_PERIOD_MAX:
        return None
    return seconds


def callback_data(post_id: int, option: int) -> str:
    data = f"a:{post_id}:{option}"
    assert len(data.encode()) <= CALLBACK_DATA_MAX
    return data


def parse_callback(data: str | None) -> tuple[int, int] | None:
    """(post id, option) from a button, or None for anything we did not make."""
    if not data or len(data) > CALLBACK_DATA_MAX:
        return None
    match = _CALLBACK.fullmatch(data)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def command_callback_data(button: Button) -> str | None:
    """A Text button's callback data, or None for one no tap could be read back from."""
    code = COMMAND_CODES.get(button.command)
    if code is None:
        return None
    data = ":".join((code, *button.args.split()))
    return data if parse_command_callback(data) is not None else None


def parse_command_callback(data: str | None) -> tuple[str, str] | None:
    """(command, args) from a Text button's data, or None for anything we did not make."""
    if not data or len(data) > CALLBACK_DATA_MAX:
        return None
    match = _COMMAND_CALLBACK.fullmatch(data)
    if match is None:
        return None
    names = {code: name for name, code in COMMAND_CODES.items()}
    code, word, value = (g for g in match.groups() if g is not None)
    return names[code], f"{word} {value}"


def buttons_keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """Text.buttons in one row (as many rows as it takes); buttons we could not read back
    from a tap are left out (the text says what each does in words too)."""
    row = []
    for button in buttons:
        data = command_callback_data(button)
        if data is None or not button.label.strip():
            continue
        row.append(InlineKeyboardButton(button.label[:BUTTON_LABEL_MAX], callback_data=data))
    if not row:
        return None
    return InlineKeyboardMarkup(
        [row[i : i + BUTTONS_PER_ROW] for i in range(0, len(row), BUTTONS_PER_ROW)]
    )


def keyboard_for(content: Content) -> InlineKeyboardMarkup | None:
    """The inline keyboard under a message: answer buttons, a Text's buttons, or none."""
    if isinstance(content, QuestionCard):
        return answer_keyboard(content)
    if isinstance(content, Text) and content.buttons:
        return buttons_keyboard(content.buttons)
    return None


def answer_keyboard(card: QuestionCard) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(circled(n), callback_data=callback_data(card.post_id, n))
        for n in range(1, len(card.options) + 1)
    ]
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return InlineKeyboardMarkup(rows)


def keyboard_data(markup: InlineKeyboardMarkup | None) -> set[str]:
    """Every callback_data a message's keyboard carries."""
    if markup is None:
        return set()
    return {
        button.callback_data
        for row in markup.inline_keyboard
        for button in row
        if isinstance(button.callback_data, str)
    }


def callback_notice(replies: list[Content]) -> tuple[str, bool]:
    """What a button tap answers: a toast, or an alert when the reply is for the tapper only."""
    texts = [r for r in replies if isinstance(r, Text)]
    text = "\n".join(to_plain(r.body) for r in texts).strip()
    if len(text) > CALLBACK_TEXT_MAX:
        text = text[: CALLBACK_TEXT_MAX - 1] + "…"
    return text, any(r.ephemeral for r in texts)
