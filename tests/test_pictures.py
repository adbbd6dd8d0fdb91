"""Progress pictures: PNGs that decode at the expected size in the Korean font with no missing
glyph, matplotlib loaded only when needed, and each adapter's rendering (console file,
Discord attachment, Telegram photo caption)."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image as PILImage

from bot.handlers.stats import PICTURE_WORDS
from bot.i18n import CATALOGS
from bot.pictures import GroupPicture, MePicture, TopicRate, group_png, me_png
from bot.pictures.font import font_path
from bot.types import ChatRef, Image

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SIZE = (1200, 900)
DM = ChatRef("memory", "dm-민수", is_group=False)
WORDS = {w: CATALOGS["ko"]["pic_" + w] for w in PICTURE_WORDS}


def me_picture(**kw: object) -> MePicture:
    values: dict[str, object] = {
        "title": "민수 님의 학습 현황",
        "days": tuple(f"11/{d:02d}" for d in range(1, 31)),
        "points": tuple((d * 7) % 40 for d in range(30)),
        "topics": (
            TopicRate("프로세스", 2, 10),
            TopicRate("스케줄링", 5, 10),
            TopicRate("하이퍼바이저", 7, 9),
            TopicRate("대칭키 암호", 9, 10),
        ),
        "due": 5,
        "learning": 3,
        "learned": 12,
        "streak": 4,
        "words": WORDS,
    }
    values.update(kw)
    return MePicture(**values)  # type: ignore[arg-type]


def group_picture() -> GroupPicture:
    return GroupPicture(
        title="이 방의 학습 현황 · 최근 7일",
        days=tuple(f"12/{d:02d}" for d in range(1, 8)),
        people=(3, 5, 0, 8, 2, 9, 4),
        topics=(TopicRate("가상화", 3, 12), TopicRate("운영체제", 20, 25)),
        missed=(TopicRate("다음 중 하이퍼바이저에 대한 설명으로 옳지 않은 것은?", 1, 9),),
        words=WORDS,
    )


def assert_png(data: bytes) -> None:
    assert data[:8] == PNG_MAGIC
    with PILImage.open(io.BytesIO(data)) as img:
        img.load()
        assert img.size == SIZE
        assert img.format == "PNG"


def drawn_cleanly(draw: object, caplog: pytest.LogCaptureFixture) -> bytes:
    """Draw, and fail on any missing-glyph warning or font fallback matplotlib reports."""
    caplog.set_level(logging.WARNING, logger="matplotlib")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = draw()  # type: ignore[operator]
    problems = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    problems += [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]
    assert problems == []
    return data  # type: ignore[no-any-return]


def test_me_picture_decodes_at_its_size_in_the_korean_font(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert_png(drawn_cleanly(lambda: me_png(me_picture()), caplog))
    # An empty record still draws (no data yet), in the same font.
    empty = me_picture(points=(0,) * 30, topics=(), due=0, learning=0, learned=0, streak=0)
    assert_png(drawn_cleanly(lambda: me_png(empty), caplog))


def test_group_picture_decodes(caplog: pytest.LogCaptureFixture) -> None:
    assert_png(drawn_cleanly(lambda: group_png(group_picture()), caplog))


def test_the_font_is_nanum_from_the_wheel_and_holds_every_word() -> None:
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    from bot.pictures import draw

    path = font_path()
    assert path.name == "NanumGothic.ttf" and "koreanize_matplotlib" in str(path)
    assert draw.setup() == "NanumGothic"
    # matplotlib resolves the default family to the wheel's file, not a fallback.
    found = font_manager.findfont(font_manager.FontProperties(family="NanumGothic"))
    assert Path(found).name == "NanumGothic.ttf"
    cmap = TTFont(str(path))["cmap"].getBestCmap()
    used = "".join(WORDS.values()) + "민수 님의 학습 현황 이 방의 · 최근 7일 0123456789%()/…"
    missing = {ch for ch in used if not ch.isspace() and ord(ch) not in cmap}
    assert missing == set()


def test_a_missing_glyph_would_be_caught(caplog: pytest.LogCaptureFixture) -> None:
    """The check above can fail: a character NanumGothic lacks raises matplotlib's warning."""
    with pytest.raises(AssertionError):
        drawn_cleanly(lambda: me_png(me_picture(title="민수 🦄")), caplog)


def test_matplotlib_is_loaded_only_for_a_picture() -> None:
    code = (
        "import sys\n"
        "import bot.wiring, bot.handlers, bot.pictures\n"
        "assert 'matplotlib' not in sys.modules, 'loaded at import'\n"
        "from bot.pictures import me_png\n"
        "assert 'matplotlib' not in sys.modules\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


# ------------------------------------------------------------------------------ adapters


async def test_console_writes_the_png_into_the_data_folder(tmp_path: Path) -> None:
    from adapters.console import ConsoleAdapter

    out = io.StringIO()
    console = ConsoleAdapter(
        user_name="나", stdin=io.StringIO(""), stdout=out, pictures_dir=tmp_path / "pictures"
    )
    assert console.capabilities.images
    png = me_png(me_picture())
    await console.send(console.group, Image(png, "민수 님의 학습 현황", name="me.png"))
    (saved,) = (tmp_path / "pictures").glob("me-*.png")
    assert saved.read_bytes() == png
    assert str(saved) in out.getvalue() and "[그림] 민수 님의 학습 현황" in out.getvalue()


def test_discord_attaches_the_picture_to_an_embed() -> None:
    from adapters.discord import render
    from adapters.discord.adapter import DiscordAdapter

    assert DiscordAdapter.capabilities.images
    png = me_png(me_picture())
    ctx = render.CardContext("ko", datetime.now(UTC))
    (message,) = render.messages(Image(png, "그림 설명", name="me.png", ephemeral=True), ctx)
    assert message.ephemeral and message.file is not None
    assert message.file.filename == "me.png"
    assert message.embed is not None and message.embed.image.url == "attachment://me.png"
    assert message.embed.description == "그림 설명"
    assert message.kwargs()["file"] is message.file
    edit = message.edit_kwargs()
    assert "file" not in edit and edit["attachments"] == [message.file]


def test_telegram_sends_a_photo_with_a_caption() -> None:
    from adapters.telegram import render
    from adapters.telegram.adapter import TelegramAdapter

    assert TelegramAdapter.capabilities.images
    assert render.photo_caption(Image(b"", "가  나\n다")) == "가 나 다"
    long = render.photo_caption(Image(b"", "가" * 5000))
    assert render.utf16_len(long) <= render.CAPTION_MAX
