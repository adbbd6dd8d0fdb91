"""The command menu Telegram shows when someone types '/': Korean by default, English for
clients set to English. Only the menu lives here; every command is handled by the core,
and names not listed still reach it."""

from __future__ import annotations

from telegram import BotCommand

# (name, 한국어, English): short labels, the full usage is in /help.
MENU: tuple[tuple[str, str, str], ...] = (
    ("start", "스터디봇 소개", "About studybot"),
    ("help", "명령어와 점수 규칙 보기", "Commands and scoring"),
    ("quiz", "지금 문제 하나 풀기 (/quiz 용어)", "A question now (/quiz term)"),
    ("answer", "열린 문제에 답하기 (/answer 3)", "Answer the open question (/answer 3)"),
    ("reveal", "문제 마감하고 정답·해설 보기", "Close the question, show the answer"),
    ("term", "용어 찾기 (/term 하이퍼바이저)", "Look a term up (/term hypervisor)"),
    ("top", "순위표 보기 (/top week)", "Leaderboard (/top week)"),
    ("me", "내 점수·정답률·순위", "Your points, accuracy and rank"),
    ("lang", "언어 바꾸기 (/lang en)", "Switch language (/lang ko)"),
    ("daily", "매일 문제 설정 (강사)", "Daily question settings (instructors)"),
    ("contest", "문제 풀이 대회 열기 (/contest 10)", "Run a contest (/contest 10)"),
    ("announce", "공지 보내기·예약 (강사)", "Send or schedule an announcement (instructors)"),
    ("instructor", "강사 지정·해제 (관리자)", "Add or remove instructors (admins)"),
)


def menu(language: str) -> list[BotCommand]:
    column = 1 if language == "ko" else 2
    return [BotCommand(row[0], row[column]) for row in MENU]
