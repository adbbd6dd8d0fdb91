"""/me's picture on Telegram: a photo to the person's private chat, never into the group."""

from __future__ import annotations

import io

from PIL import Image as PILImage

from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import FakeBotApi


async def test_me_in_a_group_sends_the_photo_privately(
    world: World, api: FakeBotApi, people: People
) -> None:
    group, dm = people.group, api.private(people.minsu)
    api.say(group, people.minsu, "/quiz")
    await api.wait_for(lambda: any(s.poll is not None for s in api.sent(group)))
    poll = world.last_poll(group)
    api.vote(poll.poll["id"], people.minsu, poll.poll["correct_option_ids"][0])
    await world.settled()

    # No private chat yet: the group's text says how to get the picture; no photo anywhere.
    api.say(group, people.minsu, "/me")
    await api.wait_for(lambda: "개인 대화" in api.sent(group)[-1].text)
    assert not any("photo" in s.message for s in api.sent())

    api.say(dm, people.minsu, "/start")
    await api.wait_for(lambda: len(api.sent(dm)) >= 1)
    api.say(group, people.minsu, "/me")
    await api.wait_for(lambda: any("photo" in s.message for s in api.sent(dm)))
    await api.wait_for(lambda: "개인 대화로 보냈어요" in api.sent(group)[-1].text)
    assert not any("photo" in s.message for s in api.sent(group))
    photo = next(s for s in api.sent(dm) if "photo" in s.message)
    assert "최근 30일 점수" in photo.message["caption"]
    with PILImage.open(io.BytesIO(photo.message["_png"])) as img:
        assert img.format == "PNG" and img.size == (1200, 900)

    # In the private chat itself, /me answers with its text and the photo there.
    before = len([s for s in api.sent(dm) if "photo" in s.message])
    api.say(dm, people.minsu, "/me")
    await api.wait_for(lambda: len([s for s in api.sent(dm) if "photo" in s.message]) > before)
