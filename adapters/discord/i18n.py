"""Korean names for the slash commands, and the few strings the Discord adapter owns itself.

Everything the bot *says* comes from the core's catalogs; this file only covers what Discord
shows around it: command and option names in the picker, the announcement form, the answer
counter under a question.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str

from bot.commands import TABLE as COMMAND_TABLE

# Keyed by the locale_str key; the English text lives next to the command definition and
# is what every other Discord locale sees. The command names themselves come from the core's
# table (bot/commands.py), so /강사 here is /강사 on Telegram and the console too.
KOREAN: dict[str, str] = {
    **{c.name: c.ko for c in COMMAND_TABLE if c.discord},
    "start.desc": "스터디봇 소개와 시작 방법",
    "help.desc": "전체 명령과 점수 규칙",
    "quiz.desc": "지금 문제 하나를 내요",
    "quiz.query": "검색어",
    "quiz.query.desc": "이 용어에 대한 문제 (비우면 아무 문제나)",
    "term.desc": "용어를 찾아요 (한글, 영어, 약어, 초성)",
    "term.query": "검색어",
    "term.query.desc": "찾을 용어",
    "top.desc": "이 방의 순위표",
    "top.period": "기간",
    "top.period.desc": "어느 기간의 순위인지",
    "top.today": "오늘",
    "top.week": "이번 주",
    "top.month": "이번 달",
    "top.all": "전체",
    "me.desc": "내 점수, 정답률, 순위",
    "lang.desc": "이 방에서 봇이 쓰는 언어",
    "lang.language": "언어",
    "lang.language.desc": "한국어 또는 English",
    "reveal.desc": "열린 문제를 마감하고 정답과 해설을 보여 줘요",
    "daily.desc": "매일 문제 설정 (강사)",
    "daily.action": "설정",
    "daily.action.desc": "바꿀 항목 (비우면 지금 설정을 보여 줘요)",
    "daily.value": "값",
    "daily.value.desc": "시간(08:30), 주제(가상화, 보안) 또는 시간대(Asia/Seoul)",
    "daily.on": "켜기",
    "daily.off": "끄기",
    "daily.time": "출제 시간",
    "daily.close": "마감 시간",
    "daily.topics": "주제",
    "daily.tz": "시간대",
    "contest.desc": "빨리 맞힐수록 점수가 높은 연속 문제 대회",
    "contest.count": "문제수",
    "contest.count.desc": "낼 문제 수",
    "contest.seconds": "제한시간",
    "contest.seconds.desc": "문제마다 주는 시간(초)",
    "contest.stop": "중지",
    "contest.stop.desc": "진행 중인 대회를 멈춰요",
    "announce.desc": "공지를 쓰거나 예약 공지를 관리해요 (강사)",
    "announce.action": "작업",
    "announce.action.desc": "새 공지(기본), 목록, 취소, 내가 맡은 모든 방에 공지",
    "announce.id": "번호",
    "announce.id.desc": "취소할 예약 공지 번호",
    "announce.new": "새 공지",
    "announce.list": "예약 목록",
    "announce.cancel": "예약 취소",
    "announce.all": "모든 방에 공지",
    "instructor.desc": "강사를 지정·해제하거나 목록을 봐요",
    "instructor.action": "작업",
    "instructor.action.desc": "추가, 해제 또는 목록",
    "instructor.member": "멤버",
    "instructor.member.desc": "지정하거나 해제할 멤버",
    "instructor.add": "추가",
    "instructor.remove": "해제",
    "instructor.list": "목록",
    "review.desc": "오답노트 복습 (저와의 개인 대화에서)",
    "review.action": "작업",
    "review.action.desc": "비우면 지금 볼 카드부터 복습해요",
    "review.value": "값",
    "review.value.desc": "문제·카드 번호, 기억률(0.85) 또는 알림 시각(21:00, off)",
    "review.list": "목록",
    "review.add": "추가",
    "review.remove": "빼기",
    "review.retention": "기억률",
    "review.time": "알림",
    "review.help": "도움말",
    "review.add_menu": "오답노트에 추가",
    "exam.desc": "시간 재는 모의고사 (저와의 개인 대화에서)",
    "exam.action": "작업",
    "exam.action.desc": "비우면 새 시험을 시작하거나 보던 시험으로 돌아가요",
    "exam.subject": "과목",
    "exam.subject.desc": "새 시험의 과목",
    "exam.questions": "문제수",
    "exam.questions.desc": "몇 문제를 풀지 (기본 20)",
    "exam.minutes": "제한시간",
    "exam.minutes.desc": "제한 시간(분, 기본 20)",
    "exam.number": "번호",
    "exam.number.desc": "보던 시험의 이 번호 문제로 가요",
    "exam.status": "답안지",
    "exam.skip": "건너뛰기",
    "exam.next": "다음",
    "exam.submit": "제출",
    "exam.history": "기록",
    "exam.help": "도움말",
    "exam.computer-general": "컴퓨터일반",
    "exam.information-security": "정보보호론",
    "hard.desc": "많은 사람이 틀린 문제 (전체 정답률)",
    "hard.query": "범위",
    "hard.query.desc": "과목, 단원 또는 주제 (비우면 전체)",
    "stats.desc": "이 방의 통계와 확인할 문제 (강사)",
    "stats.period": "기간",
    "stats.period.desc": "비우면 최근 7일",
    "stats.week": "최근 7일",
    "stats.month": "최근 30일",
    "addq.desc": "이 방의 문제를 양식으로 추가해요 (강사)",
    "suggest.desc": "강사에게 문제를 제안해요",
    "queue.desc": "들어온 문제 제안을 검토해요 (강사)",
    "queue.action": "작업",
    "queue.action.desc": "비우면 검토할 제안 목록을 보여 줘요",
    "queue.number": "번호",
    "queue.number.desc": "처리할 제안 번호",
    "queue.approve": "승인",
    "queue.edit": "수정",
    "queue.reject": "거절",
    "qset.desc": "이 방의 문제집: 목록, 공유, 초안 공개, 파일로 받기, 파일 올리기 (강사)",
    "qset.action": "작업",
    "qset.action.desc": "비우면 문제 목록을 보여 줘요",
    "qset.numbers": "번호",
    "qset.numbers.desc": "초안 또는 문제 번호 (예: 12 13)",
    "qset.file": "파일",
    "qset.file.desc": "CSV·TSV·노트(.md) 문제 파일(개인 대화), 또는 문제에 붙일 그림",
    "qset.list": "목록",
    "qset.share": "공유",
    "qset.drafts": "초안",
    "qset.publish": "공개",
    "qset.drop": "버리기",
    "qset.export": "내보내기",
    "qset.image": "그림",


    "report.desc": "문제의 오류를 신고해요",
    "report.number": "번호",
    "report.number.desc": "문제 카드에 적힌 번호 (문제 #12)",
    "report.reason": "이유",
    "report.reason.desc": "무엇이 잘못됐는지",
    "reports.desc": "이 방 문제에 들어온 오류신고를 봐요 (강사)",
    "fix.desc": "문제를 고치고 답을 다시 채점해요 (강사)",
    "fix.target": "문제",
    "fix.target.desc": "문제 카드의 번호(12)나 문제 id(chat-7)",
    "fix.action": "고칠것",
    "fix.action.desc": "무엇을 고칠지",
    "fix.value": "값",
    "fix.value.desc": "새 정답, 새 내용 또는 보기(3 새 보기)",
    "fix.answer": "정답 (예: 2 또는 2,3)",
    "fix.stem": "문제 지문",
    "fix.option": "보기 하나 (번호 다음 내용)",
    "fix.explanation": "해설",
    "fix.retire": "폐기",
    "fix.dismiss": "신고만 닫기 (고칠 것 없음)",
}


def command_style(locale: discord.Locale) -> str:
    """How this client spells commands: a Korean client shows the Korean names (/강사)."""
    return "ko" if locale is discord.Locale.korean else "en"


def ls(english: str, key: str) -> locale_str:
    """A translatable command string: English by default, Korean where the client is Korean."""
    return locale_str(english, key=key)


class KoreanTranslator(app_commands.Translator):
    async def translate(
        self,
        string: locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale is not discord.Locale.korean:
            return None
        key = string.extras.get("key")
        return KOREAN.get(key) if isinstance(key, str) else None


# Strings the adapter shows itself, in the chat's language (the core decides which).
UI: dict[str, dict[str, str]] = {
    "ko": {
        "answered": "{count}명이 답했어요",
        "closes": "마감 {when}",
        "closed": "마감됐어요",
        "modal_title": "공지 쓰기",
        "modal_title_all": "내가 맡은 모든 방에 공지",
        "field_title": "제목",
        "field_text": "내용",
        "field_date": "날짜 (예약할 때만, YYYY-MM-DD)",
        "field_time": "시간 (예약할 때만, HH:MM)",
        "date_needs_time": "날짜를 적었다면 시간(HH:MM)도 함께 적어 주세요.",
        "q_title_addq": "문제 추가",
        "q_title_suggest": "문제 제안",
        "q_title_edit": "제안 #{number} 고쳐서 승인",
        "q_stem": "문제",
        "q_options": "보기 (한 줄에 하나씩)",
        "q_answer": "정답 (예: 3 또는 2,3)",
        "q_explanation": "해설 (200자 이내)",
        "q_topic": "주제 (예: 가상화, 비워도 돼요)",
        "cannot_post": (
            "이 채널에는 제가 글을 올릴 수 없어요. 서버 관리자에게 이 채널에서 봇의 "
            "채널 보기, 메시지 보내기, 링크 첨부 권한을 켜 달라고 해 주세요."
        ),
    },
    "en": {
        "answered": "{count} answered",
        "closes": "Closes {when}",
        "closed": "Closed",
        "modal_title": "New announcement",
        "modal_title_all": "Announce to all your chats",
        "field_title": "Title",
        "field_text": "Text",
        "field_date": "Date (to schedule, YYYY-MM-DD)",
        "field_time": "Time (to schedule, HH:MM)",
        "date_needs_time": "With a date, please also give a time (HH:MM).",
        "q_title_addq": "Add a question",
        "q_title_suggest": "Suggest a question",
        "q_title_edit": "Edit and approve suggestion #{number}",
        "q_stem": "Question",
        "q_options": "Options (one per line)",
        "q_answer": "Answer (e.g. 3, or 2,3)",
        "q_explanation": "Explanation (up to 200 characters)",
        "q_topic": "Topic (e.g. virtualization; may be empty)",
        "cannot_post": (
            "I can't post in this channel. Please ask a server admin to give the bot View "
            "Channel, Send Messages and Embed Links here."
        ),
    },
}


def ui(locale: str, key: str, **values: object) -> str:
    return UI.get(locale, UI["ko"])[key].format(**values)
