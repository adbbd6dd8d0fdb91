"""Reading question files by their bytes (bot.content.upload), and the pictures questions
stand on: a chat's stored in the database, the bundled diagrams drawn by the picture process."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image as PILImage

from bot.content.draft import Draft
from bot.content.loader import Library
from bot.content.upload import FILE_MAX, decode_text, image_type, read_set
from bot.services.bank import QuestionBank
from bot.storage.db import Database

NOW = datetime(2026, 12, 3, tzinfo=UTC)
GOOD = "하드웨어 위에서 바로 실행되는 하이퍼바이저는?"


def test_encodings_are_read_safely() -> None:
    text = "문제,보기\n가상화,하나\n"
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(text.encode("utf-8-sig")) == text  # the BOM is dropped
    assert decode_text(text.encode("utf-16")) == text  # Excel's 유니코드 텍스트, with its BOM
    assert decode_text(text.encode("cp949")) == text
    assert decode_text(bytes(range(128, 256))) is None  # not Korean text in any of them
    assert decode_text(b"stem,\x00options") is None


def test_a_header_in_any_order_and_options_on_lines_of_one_cell() -> None:
    csv = (
        '정답,문제,보기,해설\n'
        f'2,"{GOOD}","Type-2\nType-1",Type-1은 하드웨어 위에서 바로 실행돼요.\n'
    )
    read = read_set("set.csv", csv.encode())
    assert not read.problems and len(read.good) == 1
    draft = read.good[0].draft
    assert draft.stem == GOOD and draft.options == ("Type-2", "Type-1") and draft.answers == (2,)


def test_tsv_and_broken_rows_are_reported_by_row() -> None:
    tsv = f"{GOOD}\tType-1 | Type-2\t1\t해설이에요.\n질문?\t하나\n"
    read = read_set("set.tsv", tsv.encode())
    assert [r.number for r in read.good] == [1]
    broken = [(r.number, [i.code for i in r.issues]) for r in read.broken]
    assert broken == [(2, ["file_row_columns"])]


def test_names_that_lie_and_files_too_big() -> None:
    png = io.BytesIO()
    PILImage.new("RGB", (4, 4)).save(png, format="PNG")
    assert image_type(png.getvalue()) == "image/png"
    assert [p.code for p in read_set("set.csv", png.getvalue()).problems] == ["file_forged_image"]
    assert [p.code for p in read_set("set.csv", b"a" * (FILE_MAX + 1)).problems] == ["file_big"]
    assert [p.code for p in read_set("run.sh", b"echo").problems] == ["file_kind"]
    assert image_type(b"GIF89a....") == "image/gif" and image_type(b"%PDF-1.7") is None


async def test_pictures_a_question_stands_on(db: Database, library: Library) -> None:
    bank = QuestionBank(db, library)
    # The bundled diagram, drawn in the picture process from bot.pictures.diagrams.
    question = library.questions["picture-hypervisor-type2-layers"]
    image = await bank.image_of(question)
    assert image is not None and image_type(image.png) == "image/png"
    assert "호스트 운영체제" in image.alt
    with PILImage.open(io.BytesIO(image.png)) as drawn:
        assert drawn.size == (800, 600)
    # A chat's picture: stored once, read back byte for byte with the question.
    async with db.write() as conn:
        from bot.storage.tables import chats, users

        await conn.execute(chats.insert().values(platform="t", chat_key="1", created_at=NOW))
        await conn.execute(users.insert().values(platform="t", user_key="1", display_name="a"))
    png = io.BytesIO()
    PILImage.new("RGB", (8, 8), "#3b6fd8").save(png, format="PNG")
    image_id = await bank.store_image(1, "image/png", png.getvalue(), NOW)
    number = await bank.add(1, 1, Draft(stem="그림의 계층은?", image_id=image_id), "live", NOW)
    found = await bank.get(f"chat-{number}")
    assert found is not None
    stored = await bank.image_of(found)
    assert stored is not None and stored.png == png.getvalue()
