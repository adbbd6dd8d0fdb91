"""A chat's question set as a chapter file in the bundled format (content/<subject>/*.yaml).

What ``/qset export`` sends: it loads with the content loader and passes ``studybot content
check``, so a good set can be copied into content/. Ids are ``set-<chat>-<n>`` (never
``chat-<n>``, which names a chat's stored question); no question is marked 기출, whatever its
source column said. Pictures stay in the database: a question that has one says so in the
header comment instead of naming a file that is not there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.content.draft import Draft
from bot.content.importer import dump_yaml

SUBJECT = "study-group"


def chapter_of(chat_id: int, title: str, drafts: Sequence[tuple[int, Draft]]) -> dict[str, Any]:
    questions: list[dict[str, Any]] = []
    for number, draft in drafts:
        item: dict[str, Any] = {
            "id": f"set-{chat_id}-{number}",
            "kind": "choice",
            "stem": draft.stem,
            "options": list(draft.options),
            "answer": draft.answers[0] if len(draft.answers) == 1 else list(draft.answers),
            "explanation": draft.explanation,
        }
        if draft.source:
            item["source"] = draft.source
        if draft.topics:
            item["topics"] = list(draft.topics)
        questions.append(item)
    return {
        "subject": SUBJECT,
        "subject_name": "스터디 그룹 문제",
        "chapter": 1,
        "title": title or f"그룹 {chat_id}의 문제",
        "notes": f"chat {chat_id}",
        "terms": [],
        "questions": questions,
    }


def export_yaml(chat_id: int, title: str, drafts: Sequence[tuple[int, Draft]]) -> str:
    pictured = [n for n, d in drafts if d.image_id is not None]
    notes = [f"exported from chat {chat_id} by /qset export: {len(drafts)} questions"]
    if pictured:
        names = ", ".join(f"set-{chat_id}-{n}" for n in pictured)
        notes.append(f"pictures not included (they stay in the bot's database): {names}")
    body = dump_yaml(chapter_of(chat_id, title, drafts)).split("\n")
    # dump_yaml's own header speaks of the notes importer; this file came from a chat.
    while body and body[0].startswith("#"):
        body.pop(0)
    header = [
        f"# A study group's question set, exported from chat {chat_id} by /qset export.",
        "# Copy it into content/<subject>/ and run `studybot content check` before use.",
        *(f"# - {line}" for line in notes[1:]),
    ]
    return "\n".join([*header, *body])
