"""Build the core's neutral replies (cards, reveals, boards) with their plain-text fallbacks."""

from __future__ import annotations

from datetime import datetime

from bot.content.loader import Library
from bot.content.schema import Question, Term
from bot.i18n import circled, t
from bot.markup import bold, esc
from bot.services.question_stats import SHOW_MIN
from bot.services.quiz import Reveal
from bot.services.scores import Board
from bot.types import BoardRow, Image, Leaderboard, QuestionCard


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def question_card(
    question: Question,
    post_id: int,
    closes_at: datetime | None,
    locale: str,
    when: str,
    *,
    kind: str = "quiz",
    progress: tuple[int, int] | None = None,
    open_seconds: int | None = None,
    image: Image | None = None,
) -> QuestionCard:
    if kind == "contest" and progress is not None:
        header = t(locale, "contest_header", index=progress[0], total=progress[1])
    else:
        header = t(locale, "daily_header" if kind == "daily" else "quiz_header", post_id=post_id)
    if question.past_exam and question.source:
        header += " · " + t(locale, "past_exam_source", source=question.source)
    lines = [bold(esc(header)), esc(question.stem), ""]
    lines += [f"{circled(i)} {esc(opt)}" for i, opt in enumerate(question.options, 1)]
    how = "contest_how_to_answer" if kind == "contest" else "quiz_how_to_answer"
    lines += ["", t(locale, how, time=when)]
    return QuestionCard(
        post_id=post_id,
        stem=question.stem,
        options=question.options,
        correct=question.answers,
        explanation=question.poll_explanation,
        header=header,
        closes_at=closes_at,
        fallback="\n".join(lines),
        open_seconds=open_seconds,
        image=image,
    )


def answer_label(question: Question | None, correct: tuple[int, ...]) -> str:
    if question is None or any(n > len(question.options) for n in correct):
        return ", ".join(circled(n) for n in correct)
    return " / ".join(f"{circled(n)} {question.options[n - 1]}" for n in correct)


def reveal_text(
    library: Library, reveal: Reveal, locale: str, *, question: Question | None = None
) -> str:
    """question: the one asked when it is not bundled (a chat's own, resolved by the caller)."""
    question = question or library.questions.get(reveal.question_id)
    lines = [
        bold(esc(t(locale, "reveal_title", post_id=reveal.post_id))),
        esc(t(locale, "reveal_answer", answer=answer_label(question, reveal.correct))),
    ]
    if question is not None:
        lines.append(esc(t(locale, "answer_explanation", explanation=question.explanation)))
    if reveal.answered == 0:
        lines.append(t(locale, "reveal_nobody"))
    else:
        rate = percent(reveal.right, reveal.answered)
        lines.append(t(locale, "reveal_stats", answered=reveal.answered, rate=rate))
        if reveal.first_right:
            first, *next_ = reveal.first_right
            lines.append(t(locale, "reveal_first", name=esc(first)))
            if next_:
                names = ", ".join(esc(n) for n in next_)
                lines.append(t(locale, "reveal_next", names=names))
        else:
            lines.append(t(locale, "reveal_nobody_right"))
    if reveal.overall_answered >= SHOW_MIN:
        # Every chat's answers to this question so far (question_stats), once enough to mean it.
        rate = percent(reveal.overall_right, reveal.overall_answered)
        lines.append(t(locale, "reveal_overall", rate=rate, answered=reveal.overall_answered))
    return "\n".join(lines)


TERM_SHORT_FACTS = 3
TERM_SHORT_CHARS = 500
FULL_WORDS = ("전체", "full", "all")


def term_facts(library: Library, term: Term) -> list[str]:
    """The facts that add to the definition (not those that say it again, nor a fact twice),
    most important first: those the questions ask about, then those that name the term,
    each group in the notes' order."""
    from bot.content.generate import _restates
    from bot.content.soundness import SAME_FACT, mentions, similarity

    kept: list[str] = []
    for fact in term.facts:
        if _restates(fact, term) or any(similarity(fact, k) >= SAME_FACT for k in kept):
            continue
        kept.append(fact)
    asked = [
        text
        for q in library.questions_for_term(term.id)
        if not q.generated
        for text in (q.stem, *q.options)
    ]

    def rank(item: tuple[int, str]) -> tuple[bool, bool, int]:
        i, fact = item
        is_asked = any(similarity(fact, a) >= 0.5 for a in asked)
        names_it = any(mentions(fact, n) for n in term.all_names)
        return (not is_asked, not names_it, i)

    return [fact for _, fact in sorted(enumerate(kept), key=rank)]


def _short_facts(term: Term, facts: list[str]) -> list[str]:
    shown: list[str] = []
    size = len(term.definition)
    for fact in facts[:TERM_SHORT_FACTS]:
        if shown and size + len(fact) > TERM_SHORT_CHARS:
            break
        shown.append(fact)
        size += len(fact)
    return shown


def term_hidden(library: Library, term: Term) -> int:
    """How many facts the short card leaves for the full one (its "자세히" button)."""
    facts = term_facts(library, term)
    return len(facts) - len(_short_facts(term, facts)) + len(term.added_facts)


def term_text(library: Library, term: Term, locale: str, *, full: bool = False) -> str:
    """The term card: the definition, then what the facts add. Short for a chat (the most
    important facts), or every fact with full=True (/term 이름 전체)."""
    title = bold(esc(term.name))
    if term.name_en and term.name_en != term.name:
        title += f" ({esc(term.name_en)})"
    if term.hanja:
        title += f" {esc(term.hanja)}"
    lines = [title, esc(term.definition)]
    facts = term_facts(library, term)
    shown = facts if full else _short_facts(term, facts)
    added = list(term.added_facts) if full else []
    if shown or added:
        lines.append("")
        lines += [f"• {esc(f)}" for f in shown]
        lines += [f"• {esc(f)} {t(locale, 'term_added')}" for f in added]
    others = [a for a in term.aliases if a not in (term.name, term.name_en)]
    if others:
        lines += ["", esc(t(locale, "term_aliases", aliases=", ".join(others)))]
    related = [library.terms[r].name for r in term.related if r in library.terms]
    if related:
        lines.append(esc(t(locale, "term_related", related=", ".join(related))))
    hidden = len(facts) - len(shown) + (0 if full else len(term.added_facts))
    if hidden > 0:
        lines += ["", t(locale, "term_more", name=esc(term.name), count=hidden)]
    if library.questions_for_term(term.id):
        lines += ["", esc(t(locale, "term_quiz", name=term.name))]
    return "\n".join(lines)


def board_content(
    board: Board,
    caller_id: int,
    locale: str,
    *,
    title: str | None = None,
    streaks: dict[int, int] | None = None,
) -> Leaderboard:
    streaks = streaks or {}

    def row(rank: int, name: str, points: int, user_id: int, key: str = "top_row") -> str:
        text = t(locale, key, rank=rank, name=esc(name), points=points)
        if streaks.get(user_id, 0) >= 2:
            text += " " + t(locale, "streak_badge", days=streaks[user_id])
        return text

    rows = tuple(BoardRow(s.rank, s.name, s.points, s.user_id == caller_id) for s in board.top)
    caller = None
    if board.caller is not None and all(s.user_id != caller_id for s in board.top):
        caller = BoardRow(board.caller.rank, board.caller.name, board.caller.points, True)
    title = title or t(locale, "top_title_all")
    lines = [bold(esc(title))]
    lines += [
        ("▶ " if s.user_id == caller_id else "") + row(s.rank, s.name, s.points, s.user_id)
        for s in board.top
    ]
    if caller is not None and board.caller is not None:
        lines += [
            "⋯",
            row(caller.rank, caller.name, caller.points, board.caller.user_id, "top_caller"),
        ]
    return Leaderboard(title=title, rows=rows, caller=caller, fallback="\n".join(lines))
