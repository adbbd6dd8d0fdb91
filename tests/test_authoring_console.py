"""The console's multi-line form: a question typed between '<<<' and '>>>' lines, and the
review queue worked by number (issue 14, items 2 and 3)."""

from __future__ import annotations

from pathlib import Path

from tests.test_console_e2e import run_console

QUESTION = [
    "/addq 하드웨어 위에서 바로 실행되는 하이퍼바이저는?",
    "① Type-1",
    "② Type-2",
    "정답: ①",
    "해설: Type-1은 호스트 운영체제 없이 하드웨어 위에서 실행돼요.",
]


def test_a_question_between_the_markers_and_a_suggestion_approved_by_number(
    tmp_path: Path,
) -> None:
    suggestion = [
        "/as 지영",
        "<<<",
        "/suggest 컨테이너가 공유하는 것은?",
        "1. 호스트 커널",
        "2. 게스트 운영체제",
        "정답: 1",
        "해설: 컨테이너는 호스트 커널을 함께 써요.",
        ">>>",
    ]
    proc = run_console(
        [
            "<<<",
            *QUESTION,
            ">>>",
            "/quiz chat-1",
            *suggestion,
            "/as 관리자",
            "/queue",
            "/queue approve 2",
            "/queue approve 2",
        ],
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "문제를 추가했어요 (chat-1)" in out
    assert "① Type-1" in out and "② Type-2" in out
    assert "제안을 받았어요 (제안 #2)" in out
    assert "제안 #2 · 지영" in out
    assert "제안 #2: 승인했어요" in out and "지영 님, 제안한 문제(#2)가 승인됐어요" in out
    assert "이미 처리됐거나" in out


def test_a_bad_question_is_quoted_back(tmp_path: Path) -> None:
    proc = run_console(["<<<", "/addq 질문?", "① 하나", "정답: ③", ">>>"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "보기가 1개예요" in proc.stdout and "정답 3번은 없는 보기예요" in proc.stdout
    assert "① 하나" in proc.stdout.split("보낸 내용이에요", 1)[1]
