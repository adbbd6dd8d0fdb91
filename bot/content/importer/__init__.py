"""Turn study notes written in the seed's format into a DRAFT chapter for an instructor.

The notes are loose markdown exported from a blog editor. What the importer understands:

- the chapter heading, the first numbered heading: ``### 3. 가상화(virtualization)``;
- term rows, ``name<TAB><ul><li>…</li></ul>`` or ``name<TAB>plain text``, where the name may
  carry an English name (``호스트 host``, ``엔드포인트 장치 (endpoint)``) and the list items
  bullet marks and ``<b>`` tags; dashed separator lines between rows are skipped;
- subjects that own the ``- …`` bullets below them: headings, ``// 가상머신(Virtual machine,
  VM)`` comments, whole-line ``(데스크탑 가상화)`` and ``② Type-2 : …`` lines. A subject named
  like ``가상화 유형`` or ``용어 가상화`` is filed under the term it is about (가상화);
- prose that opens with a known term and a particle (``KVM은 …``, ``가상(假想)의 …``);
- a line that only spells out an abbreviation (``DAC는 Discretionary Access Control 약어이다.``)
  gives the term its English name (or an alias), and the next line is its definition;
- subjects named like a topic (``접근통제 정책 비교``, ``… 절차``, ``… 원칙``) make no term unless
  the notes gloss or define them: their lines go to the terms they open with (``DAC는 …``) and
  the topic is listed for review;
- section headings (``#### 1. 암호의 기본 개념``), ``//`` lines and headings that set two things
  side by side (``RISC와 CISC``, ``전자서명과 PKI``) are topics too, unless glossed or defined;
- a definition line "X는 …이다" gives the noun phrase ("…암호 방식"), and "…라고도 한다" gives
  an alias when what it names is a short name, not a description;
- 기출 blocks: ``**N. stem [source]**``, ``- ① …`` options, ``☞ topic`` and its 해설, ``정답 : ③``;
  a block with the options ``O`` and ``X`` is an O/X question (``kind: ox``, ``truth``).

Ids carry the subject and chapter (``sec2-q-7``, ``cg3-term-4``). Which subject notes belong
to is read from their words (``bot.content.importer.subjects``); the CLI asks for
``--subject`` when they lean neither way.

Everything else (commentary prose, diagram tables, questions that cannot be completed) is
reported as "unplaced" rather than guessed at; terms whose definition gives their own name away,
or that have no English name to make an id from (``cg3-term-4``), are listed for review. The
draft on its own always passes ``parse_chapter``: whatever would fail is left out and reported.
Ids may still clash with other chapters of the content tree; ``studybot content check`` names
those. Questions are 기출 (``past_exam``) only when the source names a year and an exam.
"""

from __future__ import annotations

from bot.content.importer.assemble import import_file, import_notes
from bot.content.importer.patterns import SUBJECT_NAMES
from bot.content.importer.sources import normalize_source
from bot.content.importer.writer import ImportResult, dump_yaml

__all__ = [
    "SUBJECT_NAMES",
    "ImportResult",
    "dump_yaml",
    "import_file",
    "import_notes",
    "normalize_source",
]
