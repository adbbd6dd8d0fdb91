"""Korean-aware term search: exact, prefix, 초성 and typo-tolerant lookup, plus particles."""

from bot.search.hangul import (
    chosung,
    eul_reul,
    eun_neun,
    i_ga,
    is_chosung_query,
    normalize,
    ro_euro,
    to_jamo,
)
from bot.search.index import Match, SearchEntry, TermIndex

__all__ = [
    "Match",
    "SearchEntry",
    "TermIndex",
    "chosung",
    "eul_reul",
    "eun_neun",
    "i_ga",
    "is_chosung_query",
    "normalize",
    "ro_euro",
    "to_jamo",
]
