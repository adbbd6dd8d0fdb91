"""Files and pictures on Telegram (issue 14, items 5 and 6): a CSV sent as a document in a
private chat becomes the group's drafts, /qset export comes back as a YAML document that
loads as a chapter, a photo under /addq stands in the question, and bad files are refused."""

from __future__ import annotations

import io
from pathlib import Path

import yaml
from PIL import Image as PILImage

from bot.content.loader import check_tree
from bot.content.upload import FETCH_MAX
from bot.storage.tables import chats
from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import FakeBotApi, Sent
from tests.telegram.test_telegram_authoring import make_instructor, said_to

CSV = (
    "문제,보기,정답,해설,주제,출처\n"
    "하드웨어 위에서 바로 실행되는 하이퍼바이저는?,Type-1 | Type-2,1,"
    "Type-1은 호스트 운영체제 없이 하드웨어 위에서 실행돼요.,가상화,3주차 강의\n"
    "보기가 하나뿐인 문제,하나,1,해설이에요.,,\n"
    "게스트 운영체제가 하드웨어에서 3번째 수준으로 실행되는 하이퍼바이저는?,Type-1 | Type-2,2,"
    "Type-2는 호스트 운영체제 위에서 실행돼요.,가상화,\n"
)


def png(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), "#3b6fd8").save(out, format="PNG")
    return out.getvalue()


def documents(api: FakeBotApi, chat: dict) -> list[Sent]:
    return [s for s in api.sent(chat) if "document" in s.message]


async def test_a_csv_becomes_drafts_and_the_export_loads_as_a_chapter(
    world: World, api: FakeBotApi, people: People, tmp_path: Path
) -> None:
    await make_instructor(world, api, people)
    dm = api.private(people.admin)
    api.send_file(dm, people.admin, "3주차.csv", CSV.encode("utf-8-sig"))
    reply = (await said_to(world, api, dm, 1))[-1]
    assert "문제 2개를 읽었어요. 고칠 줄은 1개예요." in reply
    assert "3행 (보기가 하나뿐인 문제): 보기가 1개예요." in reply
    # The group is named by its title, stored when the bot saw the group.
    assert "컴퓨터일반 스터디 그룹에 초안 2개를 저장했어요" in reply
    assert "chat-1 · 하드웨어 위에서" in reply and "chat-2 · 게스트 운영체제가" in reply
    async with world.core.rt.db.read() as conn:
        titles = [r.title for r in await conn.execute(chats.select())]
    assert "컴퓨터일반 스터디" in titles

    # Drafts are not asked until published.
    api.say(people.group, people.admin, "/qset publish")
    await api.wait_for(lambda: "초안 2개를 공개했어요" in " ".join(api.texts(people.group)))
    api.say(people.group, people.admin, "/qset export")
    await api.wait_for(lambda: bool(documents(api, people.group)))
    doc = documents(api, people.group)[-1]
    data = doc.message["_data"]
    folder = tmp_path / "content" / "study-group"
    folder.mkdir(parents=True)
    (folder / "set.yaml").write_bytes(data)
    chapters, problems = check_tree(tmp_path / "content")
    assert problems == []
    stems = [q.stem for q in chapters[0].questions]
    assert stems[0] == "하드웨어 위에서 바로 실행되는 하이퍼바이저는?" and len(stems) == 2
    assert yaml.safe_load(data)["questions"][0]["source"] == "3주차 강의"
    assert not any(q.past_exam for q in chapters[0].questions)


async def test_a_photo_under_addq_is_shown_before_the_poll(
    world: World, api: FakeBotApi, people: People
) -> None:
    await make_instructor(world, api, people)
    picture = png()
    caption = (
        "/addq 그림의 계층 구조를 쓰는 하이퍼바이저는?\n① Type-1\n② Type-2\n정답: ②\n"
        "해설: 호스트 운영체제 위에 하이퍼바이저가 있어요.\n주제: 가상화"
    )
    api.send_file(people.group, people.admin, "", picture, caption=caption, photo=True)
    await api.wait_for(lambda: "문제를 추가했어요 (chat-1)" in " ".join(api.texts(people.group)))
    api.say(people.group, people.minsu, "/quiz chat-1")
    await api.wait_for(lambda: any(s.poll for s in api.sent(people.group)))
    sent = api.sent(people.group)
    poll_at = next(i for i, s in enumerate(sent) if s.poll)
    assert "photo" in sent[poll_at - 1].message
    assert sent[poll_at - 1].message["_png"] == picture  # stored and sent byte for byte
    assert "계층 구조" in sent[poll_at - 1].message["caption"]


async def test_bad_files_get_one_line_and_store_nothing(
    world: World, api: FakeBotApi, people: People
) -> None:
    await make_instructor(world, api, people)
    dm = api.private(people.admin)
    cases = [
        ("set.csv", "문제,보기\n".encode("utf-16-le"), "글자를 읽을 수 없어요"),  # no BOM
        ("set.csv", b"stem,topic\nq,t\n", "꼭 있어야 할 열이 없어요: options, answer"),
        ("set.csv", png(), "이름은 문제 파일인데 내용은 그림이에요"),
        ("photo.png", CSV.encode(), "그림 파일이 아니에요"),
        ("set.exe", b"MZ\x90\x00", "읽을 수 있는 파일이 아니에요"),
    ]
    for n, (name, data, expected) in enumerate(cases, 1):
        api.send_file(dm, people.admin, name, data)
        texts = await said_to(world, api, dm, n)
        assert expected in texts[-1], (name, texts[-1])
    before = api.downloads
    api.send_file(dm, people.admin, "big.csv", b"x", size=FETCH_MAX + 1)
    texts = await said_to(world, api, dm, len(cases) + 1)
    assert "파일이 너무 커요" in texts[-1]
    assert api.downloads == before  # too big: never fetched
    many = "문제,보기,정답,해설\n" + "".join(f"문제 {i}?,가 | 나,1,해설 {i}\n" for i in range(201))
    api.send_file(dm, people.admin, "many.csv", many.encode())
    texts = await said_to(world, api, dm, len(cases) + 2)
    assert "문제가 201개예요. 한 번에 200개까지" in texts[-1]
    # A member's file in a private chat: they teach no group, so nothing is read.
    member_dm = api.private(people.minsu)
    api.send_file(member_dm, people.minsu, "set.csv", CSV.encode())
    assert "강사로 있는 그룹이 없어요" in (await said_to(world, api, member_dm, 1))[-1]
    assert await world.core.rt.services.bank.count(1, "draft") == 0


async def test_a_photo_during_the_private_conversation_joins_the_question(
    world: World, api: FakeBotApi, people: People
) -> None:
    await make_instructor(world, api, people)
    dm = api.private(people.admin)
    api.send_poll(
        dm,
        people.admin,
        "그림처럼 호스트 운영체제 위에서 실행되는 하이퍼바이저는?",
        ["Type-1", "Type-2"],
        correct=1,
        explanation="Type-2는 호스트 운영체제 위에서 실행돼요.",
    )
    assert "주제를 보내 주세요" in (await said_to(world, api, dm, 1))[-1]
    picture = png(80, 60)
    api.send_file(dm, people.admin, "", picture, photo=True)
    assert "그림을 붙였어요" in (await said_to(world, api, dm, 2))[-1]
    api.say(dm, people.admin, "가상화")
    assert "문제를 추가했어요 (chat-1)" in (await said_to(world, api, dm, 3))[-1]

    # The group was renamed since: the stored title follows what Telegram now shows.
    people.group["title"] = "컴퓨터일반 스터디 2반"
    api.say(people.group, people.minsu, "/quiz chat-1")
    await api.wait_for(lambda: any(s.poll for s in api.sent(people.group)))
    photos = [s for s in api.sent(people.group) if "photo" in s.message]
    assert photos and photos[-1].message["_png"] == picture
    names = await world.core.rt.services.bank.chat_names([1, 2])
    assert "컴퓨터일반 스터디 2반" in names.values()
