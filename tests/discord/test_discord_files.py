"""Files and pictures on Discord (issue 14, items 5 and 6): a CSV given to /문제집 in a DM
becomes the server channel's drafts, /문제집 내보내기 attaches a YAML chapter that loads,
and a question's picture sits in its card's embed."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image as PILImage
from simworld import World, text_of

from bot.content.loader import check_tree
from bot.content.upload import FETCH_MAX

CSV = (
    "stem,options,answer,explanation,topic\n"
    "하드웨어 위에서 바로 실행되는 하이퍼바이저는?,Type-1 | Type-2,1,"
    "Type-1은 호스트 운영체제 없이 하드웨어 위에서 실행돼요.,가상화\n"
    "게스트 운영체제가 하드웨어에서 3번째 수준으로 실행되는 하이퍼바이저는?,Type-1 | Type-2,2,"
    "Type-2는 호스트 운영체제 위에서 실행돼요.,가상화\n"
)


def png() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#2f9e62").save(out, format="PNG")
    return out.getvalue()


async def test_a_csv_in_a_dm_then_publish_export_and_a_picture_in_the_card(
    world: World, tmp_path: Path
) -> None:
    alice, bob = world.admin("alice"), world.member("bob")
    # An admin who uses an instructor command in the channel is remembered as its instructor.
    listed = await alice.slash(world.channel, "qset", action="drafts")
    assert "검토를 기다리는 초안이 없어요" in text_of(listed)

    in_channel = await alice.slash(world.channel, "qset", file=("set.csv", CSV.encode()))
    assert "개인 대화에서 보내 주세요" in text_of(in_channel)

    # In a DM the reply is the DM's own message (a private chat has no one else to hide from).
    await alice.user.slash("qset", file=("set.csv", CSV.encode()))
    reply = alice.user.dm_channel.last_message
    assert reply is not None and "문제 2개를 읽었어요" in reply.content
    # The channel is named by its server and channel, stored when the bot saw it.
    assert "컴일 스터디 #study 그룹에 초안 2개를 저장했어요" in reply.content
    assert "chat-1 · 하드웨어 위에서" in reply.content

    forged = await alice.user.slash("qset", file=("set.csv", png()))
    said_dm = alice.user.dm_channel.last_message
    assert "내용은 그림이에요" in text_of(forged) + (said_dm.content if said_dm else "")
    big = await alice.user.slash("qset", file=("big.csv", b"x" * (FETCH_MAX + 1)))
    assert "파일이 너무 커요" in text_of(big)

    await alice.slash(world.channel, "qset", action="publish")
    said_in_channel = world.channel.last_message
    assert said_in_channel is not None and "초안 2개를 공개했어요" in said_in_channel.content
    refused = await bob.slash(world.channel, "qset", action="export")
    assert "강사만" in text_of(refused)
    exported = await alice.slash(world.channel, "qset", action="export")
    files = [a for m in [exported.response, *exported.followups] if m for a in m.attachments]
    assert files and files[0].filename.endswith(".yaml")
    folder = tmp_path / "content" / "study-group"
    folder.mkdir(parents=True)
    (folder / "set.yaml").write_bytes(await files[0].read())
    chapters, problems = check_tree(tmp_path / "content")
    assert problems == [] and len(chapters[0].questions) == 2

    picture = png()
    attached = await alice.slash(world.channel, "qset", action="image", numbers="1",
                                 file=("layers.png", picture))  # fmt: skip
    assert "chat-1 문제에 그림을 붙였어요" in text_of(attached)
    await bob.slash(world.channel, "quiz", query="chat-1")
    card = world.channel.last_message
    assert card is not None and card.embeds
    assert card.embeds[0].image.url and card.embeds[0].image.url.endswith("question-1.png")
    assert card.attachments and await card.attachments[0].read() == picture
