"""Rendering rules that need no Discord at all."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from adapters.discord.components import next_date_for
from adapters.discord.render import fit_lines, markup
from bot.markup import bold, esc

SEOUL = ZoneInfo("Asia/Seoul")


def test_markup_keeps_bold_and_makes_everything_else_literal() -> None:
    body = bold("정답") + " " + esc("a*b_c `code` ~~x~~ |s| > 인용") + "\n# 제목"

    assert markup(body) == "**정답** a\\*b\\_c \\`code\\` \\~\\~x\\~\\~ \\|s\\| > 인용\n\\# 제목"


def test_bold_spans_are_closed_at_every_line_break() -> None:
    assert markup("**첫째\n둘째**\n셋째") == "**첫째**\n**둘째**\n셋째"


def test_fit_lines_drops_whole_rows() -> None:
    text = "\n".join(f"{n}위 이름" for n in range(1, 200))

    cut = fit_lines(text, 100)

    assert len(cut) <= 100 and cut.endswith("\n⋯")
    assert all(line.endswith("이름") for line in cut.split("\n")[:-1])


def test_a_time_alone_means_its_next_occurrence() -> None:
    nine_am = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # 09:00 in Seoul

    assert next_date_for("10:30", nine_am, SEOUL) == "2026-11-26"
    assert next_date_for("08:00", nine_am, SEOUL) == "2026-11-27"
    assert next_date_for("09:00", nine_am, SEOUL) == "2026-11-27"
    # Unreadable times keep today's date and reach the core, which explains the format.
    assert next_date_for("25:00", nine_am, SEOUL) == "2026-11-26"
