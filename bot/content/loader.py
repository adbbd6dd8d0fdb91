"""Find the content tree, load every chapter, and index terms and questions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content.generate import generate_questions
from bot.content.schema import Chapter, Problem, Question, Term, parse_chapter

_PACKAGE = Path(__file__).resolve().parents[1]


def default_content_dir() -> Path:
    """The packaged copy in a wheel install, else the checkout's content/ folder."""
    packaged = _PACKAGE / "_content"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / "content"


def chapter_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.is_file())


def read_chapter(path: Path, root: Path) -> tuple[Chapter | None, list[Problem]]:
    shown = str(path)
    key = path.relative_to(root).with_suffix("").as_posix()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "yaml"
        return None, [Problem(shown, where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]
    except UnicodeDecodeError:
        return None, [Problem(shown, "file", "not UTF-8 text")]
    chapter, problems = parse_chapter(data, file=shown, key=key)
    if chapter is not None:
        problems += _picture_problems(chapter, path.parent)
    return chapter, problems


def _picture_problems(chapter: Chapter, folder: Path) -> list[Problem]:
    """A question's PNG must be there, be a PNG by its bytes and fit a message."""
    from bot.content.upload import IMAGE_MAX, image_type

    found: list[Problem] = []
    for q in chapter.questions:
        if not q.image or ":" in q.image or not q.image.lower().endswith(".png"):
            continue
        file = folder / q.image
        try:
            data = file.read_bytes()
        except OSError:
            found.append(Problem(chapter.path, q.id, f"image file {q.image} is missing"))
            continue
        if image_type(data) != "image/png":
            found.append(Problem(chapter.path, q.id, f"image file {q.image} is not a PNG"))
        elif len(data) > IMAGE_MAX:
            found.append(Problem(chapter.path, q.id, f"image file {q.image} is over 1 MB"))
    return found


@dataclass(frozen=True, slots=True)
class Library:
    chapters: tuple[Chapter, ...]
    terms: dict[str, Term]
    questions: dict[str, Question]  # authored first, then generated

    @property
    def authored(self) -> list[Question]:
        return [q for q in self.questions.values() if not q.generated]

    def picture(self, question: Question) -> bytes | None:
        """A bundled question's PNG file (checked when the chapter was read), or None."""
        chapter = next((c for c in self.chapters if c.key == question.chapter), None)
        if chapter is None or not question.image or ":" in question.image:
            return None
        try:
            return (Path(chapter.path).parent / question.image).read_bytes()
        except OSError:
            return None

    def questions_for_term(self, term_id: str) -> list[Question]:
        return [q for q in self.questions.values() if term_id in q.terms]

    @property
    def topics(self) -> list[str]:
        return list(dict.fromkeys(t for q in self.questions.values() for t in q.topics))

    @property
    def chapter_names(self) -> list[str]:
        """Subjects, then chapter titles: the broad names a group may ask by."""
        names = [c.subject_name for c in self.chapters] + [c.title for c in self.chapters]
        return list(dict.fromkeys(names))

    @property
    def scope_names(self) -> list[str]:
        """What a group may ask by name: subjects, chapter titles, then topics."""
        return list(dict.fromkeys([*self.chapter_names, *self.topics]))

    def in_scope(self, question: Question, name: str, *, topics: bool = True) -> bool:
        """Whether the question belongs to the subject, chapter (or topic) called name."""
        wanted = fold(name)
        if topics and any(fold(t) == wanted for t in question.topics):
            return True
        chapter = next((c for c in self.chapters if c.key == question.chapter), None)
        if chapter is None:
            return False
        names = (chapter.subject_name, chapter.subject, chapter.title, chapter.title_en)
        return any(n and fold(n) == wanted for n in names)

    def questions_in(self, name: str, *, topics: bool = True) -> list[Question]:
        return [q for q in self.questions.values() if self.in_scope(q, name, topics=topics)]


def fold(name: str) -> str:
    """Names compare without case or spaces: '네트워크 보안' is '네트워크보안'."""
    return "".join(name.casefold().split())


def _cross_file_problems(chapters: Iterable[Chapter]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for chapter in chapters:
        items: tuple[Term | Question, ...] = (*chapter.terms, *chapter.questions)
        for item in items:
            if item.id in seen and seen[item.id] != chapter.path:
                problems.append(
                    Problem(chapter.path, item.id, f"id already used in {seen[item.id]}")
                )
            seen.setdefault(item.id, chapter.path)
    return problems


def check_tree(root: Path) -> tuple[list[Chapter], list[Problem]]:
    """Load every chapter under root and collect every problem, across files too."""
    if not root.is_dir():
        return [], [Problem(str(root), "content", "the content folder does not exist")]
    chapters: list[Chapter] = []
    problems: list[Problem] = []
    files = chapter_files(root)
    if not files:
        problems.append(Problem(str(root), "content", "no chapter files (*.yaml) found"))
    for path in files:
        chapter, found = read_chapter(path, root)
        problems.extend(found)
        if chapter is not None:
            chapters.append(chapter)
    problems.extend(_cross_file_problems(chapters))
    return chapters, problems


class ContentError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the content, first: {problems[0]}")


def load_library(root: Path | None = None, *, seed: int = 0) -> Library:
    root = root or default_content_dir()
    chapters, problems = check_tree(root)
    if problems:
        raise ContentError(problems)
    terms = {t.id: t for c in chapters for t in c.terms}
    questions = {q.id: q for c in chapters for q in c.questions}
    for chapter in chapters:
        for q in generate_questions(chapter, seed=seed):
            questions.setdefault(q.id, q)
    return Library(chapters=tuple(chapters), terms=terms, questions=questions)
