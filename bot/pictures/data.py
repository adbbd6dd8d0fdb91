"""What a picture shows, as plain data the handlers fill in (words already localized)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TopicRate:
    name: str
    right: int
    answered: int

    @property
    def rate(self) -> float:
        return self.right / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class MePicture:
    """A person's progress: points a day, accuracy per topic, the deck and the streak."""

    title: str
    days: tuple[str, ...]  # the last 30 days' labels ("12/01"), oldest first
    points: tuple[int, ...]  # points earned each of those days
    topics: tuple[TopicRate, ...]  # weakest first
    due: int
    learning: int
    learned: int
    streak: int
    # Panel titles and labels, in the person's language.
    words: dict[str, str]


@dataclass(frozen=True, slots=True)
class GroupPicture:
    """A group's week or month: people a day, accuracy per topic, the most-missed questions."""

    title: str
    days: tuple[str, ...]
    people: tuple[int, ...]  # how many answered each day
    topics: tuple[TopicRate, ...]  # weakest first
    missed: tuple[TopicRate, ...]  # questions (name: a short label), most missed first
    words: dict[str, str]
