"""Assembling a chapter from what the reader found: terms, questions, sources, review lists."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content.importer.names import Name, parse_name
from bot.content.importer.patterns import (
    ALSO_CALLED_RE,
    ASPECTS,
    DEFINES,
    DEFINITION_FRAME,
    HANJA_RE,
    OX_MARK_RE,
    PARTICLE,
    POINTER_RE,
    SPELLED_OUT,
    SPELLED_OUT_END_RE,
    SUBJECT_NAMES,
    SUBJECT_PREFIXES,
    TOPIC_WORDS,
    YEAR_RE,
)
from bot.content.importer.reader import Reader
from bot.content.importer.sources import normalize_source
from bot.content.importer.text import excerpt, is_ascii_name, norm, slug
from bot.content.importer.writer import ImportResult, dump_yaml
from bot.content.schema import ID_RE, POLL_EXPLANATION_MAX, parse_chapter


def import_file(path: Path, subject: str = "computer-general") -> ImportResult:
    # utf-8-sig: notes saved by Windows editors start with a BOM that would hide the heading.
    text = path.read_text(encoding="utf-8-sig")
    return import_notes(text, notes_name=path.name, subject=subject)


def import_notes(text: str, *, notes_name: str, subject: str = "computer-general") -> ImportResult:
    reader = Reader(text.splitlines())
    reader.read()
    return Assembler(reader, notes_name=notes_name, subject=subject).build()


def _explanation_short(text: str) -> str:
    """Cut the 해설 at the last sentence or line end that fits a quiz poll."""
    limit = POLL_EXPLANATION_MAX
    cuts = [i for i, c in enumerate(text[:limit]) if c == "\n"]
    for m in re.finditer(r"[.?!](?:\((?:x|o|X|O)\))?(?=\s|$)", text):
        if m.end() <= limit:
            cuts.append(m.end())
    if cuts:
        short = text[: max(cuts)].strip()
        if short:
            return short
    head = text[: limit - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head).rstrip() + "…"


_EXPANSION_LEAD = re.compile(
    r"^[A-Za-z][A-Za-z0-9 .'-]+?\s*의?\s*(?:약어|약자|줄임말)(?:로|이며|이고)?,?\s*"
)


def _is_ox(options: list[str]) -> bool:
    marks = [o.strip().upper().replace("○", "O").replace("×", "X") for o in options]
    return marks == ["O", "X"]


def _report(line: int, reason: str, quote: str) -> str:
    where = f"line {line}" if line else "draft"
    return f"{where}: {reason}: {quote}" if quote else f"{where}: {reason}"


@dataclass(slots=True)
class _TermDraft:
    name: str
    line: int
    term_like: bool
    name_en: str = ""
    aliases: list[str] = field(default_factory=list)
    hanja: str = ""
    facts: list[tuple[int, int, str]] = field(default_factory=list)
    topic: bool = False
    # Lines a topic handed over ("// 블록 암호 비교" → "AES는 …"): facts, never the definition
    # while the term has lines of its own.
    borrowed: set[str] = field(default_factory=set)

    def names(self) -> list[str]:
        return [n for n in (self.name, self.name_en, self.hanja, *self.aliases) if n]

    def merge(self, name: Name) -> None:
        self.name_en = self.name_en or name.name_en
        self.hanja = self.hanja or name.hanja
        for alias in name.aliases:
            if alias not in self.aliases and norm(alias) != norm(self.name):
                self.aliases.append(alias)


class Assembler:
    def __init__(self, reader: Reader, *, notes_name: str, subject: str) -> None:
        self.r = reader
        self.notes_name = notes_name
        self.subject = subject
        self.unplaced = list(reader.unplaced)
        self.review: list[tuple[int, str, str]] = []
        self.drafts: list[_TermDraft] = []
        self._by_name: dict[str, _TermDraft] = {}
        self._seq = 0

    def build(self) -> ImportResult:
        chapter_name = self.r.chapter.name if self.r.chapter else None
        if chapter_name is None:
            self.unplaced.append(
                (1, "no chapter heading like '### 3. 제목(english)'", "title taken from file name")
            )
        by_subject = self._resolve_subjects()
        for claim in self.r.claims:
            self._add_fact(by_subject[id(claim.subject)], claim.line, claim.text)
        self._attach_loose()
        self._settle_topics()
        terms, term_ids = self._terms()
        questions = self._questions(term_ids, {t["id"] for t in terms})
        title = chapter_name.name if chapter_name else Path(self.notes_name).stem
        title_en = chapter_name.name_en if chapter_name else ""
        chapter: dict[str, Any] = {
            "subject": self.subject,
            "subject_name": SUBJECT_NAMES.get(self.subject, self.subject),
            "chapter": self.r.chapter_number or 0,
            "title": title,
            "title_en": title_en[:1].upper() + title_en[1:],
            "notes": self.notes_name,
            "terms": terms,
            "questions": questions,
        }
        self._drop_invalid(chapter)
        return ImportResult(
            chapter=chapter,
            unplaced=[_report(*entry) for entry in sorted(self.unplaced)],
            review=[_report(*entry) for entry in sorted(self.review)],
        )

    # -- terms

    def _lookup(self, name: str) -> _TermDraft | None:
        return self._by_name.get(norm(name))

    def _register(self, draft: _TermDraft) -> None:
        for name in draft.names():
            self._by_name.setdefault(norm(name), draft)

    def _resolve_subjects(self) -> dict[int, _TermDraft]:
        known = {norm(s.name.name) for s in self.r.subjects}
        out: dict[int, _TermDraft] = {}
        for s in self.r.subjects:
            draft = self._lookup(s.name.name)
            if draft is None and (base := self._aspect_base(s.name.name, known)):
                draft = self._lookup(base)
                if draft is None:
                    draft = _TermDraft(base, s.line, term_like=False)
                    self.drafts.append(draft)
                    self._register(draft)
            elif draft is None:
                draft = _TermDraft(s.name.name, s.line, term_like=s.term_like, topic=s.topic)
                self.drafts.append(draft)
            if norm(draft.name) == norm(s.name.name):
                draft.merge(s.name)
                draft.term_like = draft.term_like or s.term_like
                # A term row of the same name as a section heading makes it a term after all.
                draft.topic = draft.topic and s.topic
            self._register(draft)
            out[id(s)] = draft
        return out

    @staticmethod
    def _aspect_base(name: str, known: set[str]) -> str | None:
        for aspect in ASPECTS:
            if name.endswith(aspect) and len(name) > len(aspect):
                base = name[: -len(aspect)].strip()
                base = base.removesuffix("의").strip() if base.endswith("의") else base
                if base and norm(base) in known:
                    return base
        return None

    def _add_fact(self, draft: _TermDraft, line: int, text: str) -> None:
        self._seq += 1
        draft.facts.append((line, self._seq, text))

    def _matchers(self) -> list[tuple[str, _TermDraft]]:
        """Every name of every draft, longest first, so "가상머신" wins over "가상"."""
        chapter = self._lookup(self.r.chapter.name.name) if self.r.chapter else None
        # A title like "프로세스와 스레드" is no term unless the notes give it facts of its own;
        # otherwise the chapter's opening remarks would become its definition.
        candidates = [d for d in self.drafts if d is not chapter or d.facts]
        return sorted(
            ((name, d) for d in candidates for name in d.names()),
            key=lambda pair: -len(pair[0]),
        )

    def _opening_term(self, text: str, matchers: list[tuple[str, _TermDraft]]) -> _TermDraft | None:
        """The draft whose name opens ``text`` with a particle ("KVM은 …"), if any."""
        for name, draft in matchers:
            flags = re.IGNORECASE if name.isascii() else 0
            m = re.match(re.escape(name) + PARTICLE, text, flags)
            if m:
                if m[1] and HANJA_RE.match(m[1].strip()):
                    draft.hanja = draft.hanja or m[1].strip()
                return draft
        return None

    def _attach_loose(self) -> None:
        matchers = self._matchers()
        for loose in self.r.loose:
            draft = self._opening_term(loose.text, matchers) if loose.attachable else None
            if draft is not None:
                self._add_fact(draft, loose.line, loose.text)
            else:
                self.unplaced.append((loose.line, loose.reason, excerpt(loose.text)))

    def _settle_topics(self) -> None:
        """Make no term of a topic line ("// 접근통제 정책 비교") the notes never define.

        Its facts go to the terms they open with ("DAC는 …"); the rest are reported. A name
        the notes gloss in English or hanja ("최소 권한의 원칙(principle of least privilege)")
        is vocabulary, so it stays a term.
        """
        topics = [
            d
            for d in self.drafts
            if d.facts
            and (d.topic or d.name.endswith(TOPIC_WORDS))
            and not (d.name_en or d.aliases or d.hanja)
            and not self._defines_itself(d)
        ]
        if not topics:
            return
        for topic in topics:
            self.drafts.remove(topic)
            # A 기출's "☞ 보안 모델 비교" must not find it again and link a term that is not there.
            for key in [k for k, d in self._by_name.items() if d is topic]:
                del self._by_name[key]
        matchers = self._matchers()
        for topic in topics:
            self.review.append(
                (
                    topic.line,
                    f"{topic.name} names a topic, not a term: no term made; "
                    "its lines that open with a term's name went to that term",
                    "",
                )
            )
            for line, _, text in sorted(topic.facts):
                draft = self._opening_term(text, matchers)
                if draft is not None:
                    self._add_fact(draft, line, text)
                    draft.borrowed.add(text)
                else:
                    reason = f"under the topic {topic.name}, names no term"
                    self.unplaced.append((line, reason, excerpt(text)))

    @staticmethod
    def _defines_itself(draft: _TermDraft) -> bool:
        """Whether a fact says what the draft is ("최소 권한의 원칙은 …"), not just points on."""
        for name in draft.names():
            flags = re.IGNORECASE if name.isascii() else 0
            pattern = re.compile(re.escape(name) + DEFINES, flags)
            for _, _, text in draft.facts:
                if pattern.match(text) and not POINTER_RE.search(text):
                    return True
        return False

    def _terms(self) -> tuple[list[dict[str, Any]], dict[int, str]]:
        chapter_draft = self._lookup(self.r.chapter.name.name) if self.r.chapter else None
        out: list[dict[str, Any]] = []
        ids: dict[int, str] = {}
        used: set[str] = set()
        drafts = sorted(self.drafts, key=lambda d: d.line)
        for draft in drafts:
            if not draft.facts:
                if draft.term_like and draft is not chapter_draft:
                    self.unplaced.append(
                        (draft.line, "heading with nothing under it; no term made", draft.name)
                    )
                continue
            ordered = sorted(draft.facts, key=lambda f: (f[2] in draft.borrowed, f))
            facts = list(dict.fromkeys(text for _, _, text in ordered))
            facts, spelled_out_only = self._spell_out(draft, facts)
            self._also_called(draft, facts)
            # "…라고도 한다" names the term; what it is comes in another line.
            first = next((f for f in facts if not ALSO_CALLED_RE.match(f)), facts[0])
            rest = [f for f in facts if f is not first]
            definition = first if spelled_out_only else self._unframed(draft, first)
            if definition != first:
                self.review.append(
                    (
                        min(n for n, _, t in draft.facts if t == first),
                        f"term {draft.name}: definition taken from the sentence "
                        "without its '…는 …이다' frame",
                        definition,
                    )
                )
            term_id = self._term_id(draft, len(out) + 1, used, self._prefix)
            used.add(term_id)
            if not (is_ascii_name(draft.name) or draft.name_en):
                self.review.append(
                    (draft.line, f"term {draft.name} ({term_id}): no English name; name the id", "")
                )
            ids[id(draft)] = term_id
            term: dict[str, Any] = {"id": term_id, "name": draft.name}
            if draft.name_en:
                term["name_en"] = draft.name_en
            if draft.aliases:
                term["aliases"] = list(draft.aliases)
            if draft.hanja:
                term["hanja"] = draft.hanja
            term["definition"] = definition
            if rest:
                term["facts"] = rest
            out.append(term)
            lowered = definition.casefold()
            if spelled_out_only:
                line = min(n for n, _, t in draft.facts if t == first)
                self.review.append(
                    (
                        line,
                        f"term {draft.name} ({term_id}): the definition only spells out the "
                        "abbreviation; write what the term is or does",
                        definition,
                    )
                )
            elif any(n.casefold() in lowered for n in draft.names()):
                line = min(n for n, _, t in draft.facts if t == first)
                self.review.append(
                    (
                        line,
                        f"term {draft.name} ({term_id}): the definition names the term; "
                        "rewrite it so it does not give the answer away",
                        definition,
                    )
                )
        return out, ids

    @staticmethod
    def _spell_out(draft: _TermDraft, facts: list[str]) -> tuple[list[str], bool]:
        """Name the term after what its abbreviation stands for, and drop lines that say no more.

        "DAC는 Discretionary Access Control 약어이다." gives the English name (or an alias when
        the notes already gave one); the definition is then the next line, which says what the
        term is. Returns the facts left and whether nothing but such lines was there, in which
        case they are kept so the term still has a definition.
        """
        abbreviations = [n for n in (draft.name, *draft.aliases) if is_ascii_name(n)]
        kept: list[str] = []
        for fact in facts:
            for abbreviation in abbreviations:
                if m := re.match(re.escape(abbreviation) + SPELLED_OUT, fact):
                    break
            else:
                kept.append(fact)
                continue
            expansion = m[1].strip()
            if not draft.name_en:
                draft.name_en = expansion
            elif norm(expansion) != norm(draft.name_en) and expansion not in draft.aliases:
                draft.aliases.append(expansion)
            if not SPELLED_OUT_END_RE.match(m[2].strip()):
                # "ACL은 Access Control List의 약자로, 객체마다 …" also says what the term is.
                kept.append(fact)
        return (kept, False) if kept else (facts, True)

    @staticmethod
    def _unframed(draft: _TermDraft, sentence: str) -> str:
        """The noun phrase of "대칭키 암호는 …키를 사용하는 암호 방식이다." ("…암호 방식"):
        a glossary definition, not the sentence that says it."""
        for name in sorted(draft.names(), key=len, reverse=True):
            flags = re.IGNORECASE if name.isascii() else 0
            m = re.match(re.escape(name) + DEFINITION_FRAME, sentence, flags)
            if m and not POINTER_RE.search(sentence):
                # "ACL은 Access Control List의 약자로, 객체마다 …": the expansion is its name.
                phrase = _EXPANSION_LEAD.sub("", m[1].strip())
                # One sentence only: "…이다. 또한 …" keeps its frame for a person to cut.
                if len(phrase) >= 5 and not re.search(r"[.?!]\s", phrase):
                    return phrase
        return sentence

    @staticmethod
    def _also_called(draft: _TermDraft, facts: list[str]) -> None:
        """Take another name from "(X는) Y라고도 한다." (a short name, not a description)."""
        for fact in facts:
            m = ALSO_CALLED_RE.match(fact)
            if not m:
                continue
            said, other = m[1], m[2].strip()
            if said and not any(norm(said) == norm(n) for n in draft.names()):
                continue  # "데스크탑 가상화는 …": about another term
            bare = re.sub(r"\([^()]*\)", "", other)
            if re.search(r"[,'\"“”‘’]", bare) or len(bare) > 30 or len(bare.split()) > 4:
                continue  # "제2의 PC 혁명", "'척'하는 기술": a description, not a name
            name = parse_name(other)
            for part in (name.name, name.name_en, *name.aliases):
                if not part or any(norm(part) == norm(n) for n in draft.names()):
                    continue
                if part == name.name_en and not draft.name_en and is_ascii_name(part):
                    draft.name_en = part
                else:
                    draft.aliases.append(part)

    @property
    def _prefix(self) -> str:
        # Ids are unique across the whole content tree: every chapter of every subject has a
        # question 1, so they carry both ("sec2-q-1", "cg3-term-4").
        subject = SUBJECT_PREFIXES.get(self.subject) or slug(self.subject) or "ch"
        number = self.r.chapter_number
        return f"{subject}{number}-" if number is not None else f"{subject}-"

    @staticmethod
    def _term_id(draft: _TermDraft, position: int, used: set[str], prefix: str) -> str:
        base = ""
        if is_ascii_name(draft.name):
            base = slug(draft.name)
        if not base and draft.name_en:
            base = slug(draft.name_en)
        if not base or not ID_RE.match(base):
            # No romanization: a reviewer renames it; position keeps it stable between imports.
            base = f"{prefix}term-{position}"
        candidate, k = base, 2
        while candidate in used:
            candidate = f"{base}-{k}"
            k += 1
        return candidate

    # -- questions

    def _questions(self, term_ids: dict[int, str], taken: set[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        used = set(taken)
        for q in self.r.questions:
            label = q.source
            if _is_ox(q.options):
                label = re.sub(r"\s*\bO\s*/?\s*X\b\s*", " ", label, flags=re.IGNORECASE).strip()
            source, past = normalize_source(label) if label else ("", False)
            year = YEAR_RE.search(q.source)
            base = f"past-{year[1]}-{q.number}" if past and year else f"{self._prefix}q-{q.number}"
            qid, k = base, 2
            while qid in used:
                qid = f"{base}-{k}"
                k += 1
            used.add(qid)
            explanation = "\n".join(q.explanation)
            item: dict[str, Any] = {"id": qid}
            if _is_ox(q.options) and len(q.answers) == 1:
                # "① O ② X" is an O/X statement: the bot asks it as one, with its truth.
                stem = [OX_MARK_RE.sub("", q.stem[0]).strip(), *q.stem[1:]]
                item.update(kind="ox", stem="\n".join(stem), truth=q.answers[0] == 1)
            else:
                item.update(
                    kind="choice",
                    stem="\n".join(q.stem),
                    options=q.options,
                    answer=q.answers[0] if len(q.answers) == 1 else q.answers,
                )
            item["explanation"] = explanation
            if len(explanation) > POLL_EXPLANATION_MAX:
                item["explanation_short"] = _explanation_short(explanation)
            if source:
                item["source"] = source
            item["past_exam"] = past
            # "☞ 해설" only announces the explanation; it names no topic.
            if q.topic and q.topic not in ("해설", "풀이", "해답"):
                topic = parse_name(q.topic)
                item["topics"] = [topic.name]
                draft = self._lookup(topic.name)
                if draft is not None and id(draft) in term_ids:
                    item["terms"] = [term_ids[id(draft)]]
            item["_line"] = q.line
            out.append(item)
        return out

    # -- the safety net

    def _drop_invalid(self, chapter: dict[str, Any]) -> None:
        """Leave out whatever ``parse_chapter`` rejects, so the draft always checks clean."""
        lines = {q["id"]: q.pop("_line") for q in chapter["questions"]}
        lines.update({t["id"]: self._term_line(t) for t in chapter["terms"]})
        while True:
            data = yaml.safe_load(dump_yaml(chapter))
            _, problems = parse_chapter(data, file=self.notes_name, key="draft")
            items = {t["id"] for t in chapter["terms"]} | {q["id"] for q in chapter["questions"]}
            removable = [p for p in problems if p.item in items]
            if not removable:
                # Chapter-level faults cannot be cut out; the reviewer has to fix them.
                for p in problems:
                    self.unplaced.append((0, f"{p.item}: {p.reason}", "fix the draft by hand"))
                return
            bad = {p.item for p in removable}
            for p in removable:
                self.unplaced.append((lines.get(p.item, 0), f"{p.item} left out", p.reason))
            chapter["terms"] = [t for t in chapter["terms"] if t["id"] not in bad]
            chapter["questions"] = [q for q in chapter["questions"] if q["id"] not in bad]
            kept = {t["id"] for t in chapter["terms"]}
            for q in chapter["questions"]:
                if "terms" in q:
                    q["terms"] = [t for t in q["terms"] if t in kept]
                    if not q["terms"]:
                        del q["terms"]

    def _term_line(self, term: dict[str, Any]) -> int:
        draft = self._lookup(term["name"])
        return draft.line if draft else 0
