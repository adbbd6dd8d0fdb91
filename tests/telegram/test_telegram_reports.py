"""오류신고 on Telegram (issue 14, item 4): /신고 as a reply to the question's quiz poll reaches
the instructor privately; /문제수정 re-scores and the group hears of it once."""

from __future__ import annotations

from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import FakeBotApi

QUESTION = """/addq 컨테이너가 공유하는 것은?
① 게스트 운영체제
② 호스트 운영체제의 커널
③ 하이퍼바이저
정답: ①
해설: 컨테이너는 호스트 운영체제의 커널을 함께 써요.
주제: 가상화"""


async def test_a_reply_report_reaches_the_instructor_and_a_fix_rescores(
    world: World, api: FakeBotApi, people: People
) -> None:
    dm = api.private(people.admin)
    api.say(dm, people.admin, "/start")  # the bot may write to the admin privately now
    api.say(people.group, people.admin, QUESTION)
    await world.settled()
    await api.wait_for(lambda: any("chat-1" in t for t in api.texts(people.group)))

    api.say(people.group, people.minsu, "/quiz chat-1")
    await world.settled()
    await api.wait_for(lambda: any(s.poll for s in api.sent(people.group)))
    card = world.last_poll(people.group)
    assert card.poll is not None
    api.vote(card.poll["id"], people.minsu, 1)  # ②: right, though the key says ①
    api.vote(card.poll["id"], people.jiyoung, 0)
    await world.settled()
    api.say(people.group, people.admin, "/reveal")
    await world.settled()

    # 민수 replies to the poll itself: no number needed.
    api.say(people.group, people.minsu, "/신고 정답은 ②예요", reply_to=card.message)
    await world.settled()
    await api.wait_for(lambda: any(t.startswith("오류신고") for t in api.texts(dm)))
    await api.wait_for(lambda: any("오류신고를 받았어요" in t for t in api.texts(people.group)))
    notice = next(t for t in api.texts(dm) if t.startswith("오류신고"))
    # It names the group by its stored title, and the report.
    assert notice.startswith(f"오류신고 ({people.group['title']}): 문제 #")
    assert "정답은 ②예요" in notice and "민수" in notice
    assert not any(t.startswith("오류신고") for t in api.texts(people.group))
    # A reply to a person's message names no card: the bot asks for the number.
    other = api.say(people.group, people.jiyoung, "저도 헷갈렸어요")
    api.say(people.group, people.jiyoung, "/신고 이상해요", reply_to=other)
    await world.settled()
    await api.wait_for(lambda: any("신고할 문제 번호와 이유" in t for t in api.texts(people.group)))

    before = len(api.texts(people.group))
    api.say(people.group, people.admin, "/문제수정 chat-1 정답 2")
    await world.settled()
    await api.wait_for(lambda: any("바뀌어" in t for t in api.texts(people.group)[before:]))
    await api.wait_for(lambda: any("고쳤어요" in t for t in api.texts(people.group)[before:]))
    said = api.texts(people.group)[before:]
    revealed = next(t for t in api.texts(people.group) if t.startswith("마감! 문제 #"))
    number = revealed.split("#", 1)[1].split()[0]
    assert f"문제 #{number}의 정답이 ①에서 ②로 바뀌어 점수를 다시 계산했어요." in said
    assert any("chat-1의 정답을 ①에서 ②로 고쳤어요" in t for t in said)
    api.say(people.group, people.minsu, "/me")
    await world.settled()
    await api.wait_for(lambda: any("10점" in t for t in api.texts(people.group)[before:]))
