"""Poll votes read from the Bot API's JSON (adapters/telegram/votes.py): the same reading
PTB would give for a person's vote, PTB's own parsing for anything else."""

from __future__ import annotations

from typing import Any

from telegram import Bot, Update

from adapters.telegram.refs import user_ref
from adapters.telegram.votes import PollVote, parse, vote_of

BOT = Bot("123456:TEST")


def raw(answer: dict[str, Any], update_id: int = 7) -> dict[str, Any]:
    return {"update_id": update_id, "poll_answer": answer}


def person(**extra: Any) -> dict[str, Any]:
    return {"id": 42, "is_bot": False, "first_name": "민수", **extra}


def test_a_persons_vote_reads_as_ptb_reads_it() -> None:
    for user in (person(), person(last_name="김"), person(username="minsu", first_name=" ")):
        data = raw(
            {"poll_id": "99", "user": user, "option_ids": [2], "option_persistent_ids": ["c"]}
        )
        vote = vote_of(data)
        assert vote is not None
        ptb = Update.de_json(data, BOT)
        assert ptb is not None and ptb.poll_answer is not None and ptb.poll_answer.user
        assert vote.update_id == ptb.update_id == 7
        assert vote.poll_id == ptb.poll_answer.poll_id
        assert vote.option_ids == tuple(ptb.poll_answer.option_ids) == (2,)
        # The same person under the same name, whichever way it was read.
        assert vote.ref() == user_ref(ptb.poll_answer.user)
        mine, theirs = vote.user(), ptb.poll_answer.user
        fields = ("id", "first_name", "last_name", "username", "is_bot")
        assert [getattr(mine, f) for f in fields] == [getattr(theirs, f) for f in fields]


def test_a_vote_taken_back_has_no_options() -> None:
    vote = vote_of(raw({"poll_id": "99", "user": person(), "option_ids": []}))
    assert vote is not None and vote.option_ids == ()


def test_anything_else_is_left_to_ptb() -> None:
    channel = raw(
        {
            "poll_id": "99",
            "voter_chat": {"id": -100, "type": "channel", "title": "공지"},
            "user": person(),
            "option_ids": [0],
            "option_persistent_ids": ["a"],
        }
    )
    odd_shape = {**raw({"poll_id": "99", "user": person(), "option_ids": [0]}), "extra": 1}
    bad_id = raw({"poll_id": "99", "user": person(id="not a number"), "option_ids": [0]})
    message = {
        "update_id": 8,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 5, "type": "private", "first_name": "민수"},
            "text": "/start",
        },
    }
    for data in (channel, odd_shape, bad_id, message, [], "update"):
        assert vote_of(data) is None
    assert isinstance(parse(channel, BOT), Update)
    assert isinstance(parse(message, BOT), Update)
    assert isinstance(
        parse(raw({"poll_id": "1", "user": person(), "option_ids": [0]}), BOT), PollVote
    )
