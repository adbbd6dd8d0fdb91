"""Term search: Hangul helpers, particles, and ranking over a 가상화 chapter glossary."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest
from rapidfuzz.distance import Levenshtein

from bot.search import (
    Match,
    SearchEntry,
    TermIndex,
    chosung,
    eul_reul,
    eun_neun,
    i_ga,
    is_chosung_query,
    normalize,
    ro_euro,
    to_jamo,
)

GLOSSARY: dict[str, tuple[str, ...]] = {
    "hypervisor": (
        "하이퍼바이저",
        "hypervisor",
        "VMM",
        "가상화 머신 모니터",
        "가상 머신 모니터",
        "virtual machine monitor",
    ),
    "virtual-machine": ("가상머신", "virtual machine", "VM", "가상 머신"),
    "kvm": ("KVM", "Kernel-based Virtual Machine", "커널기반가상머신"),
    "type-1-hypervisor": ("Type-1 하이퍼바이저", "native", "bare metal", "베어 메탈", "Type-1"),
    "type-2-hypervisor": ("Type-2 하이퍼바이저", "hosted", "호스트 하이퍼바이저", "Type-2"),
    "virtualization": ("가상화", "virtualization"),
    "emulation": ("에뮬레이션", "emulation"),
    "guest-os": ("게스트 운영체제", "guest OS", "게스트 OS"),
    "desktop-virtualization": ("데스크탑 가상화", "VDI", "가상 데스크탑 인프라", "데스크톱 가상화"),
    "selinux": ("SELinux", "Security-Enhanced Linux"),
    "svirt": ("sVirt", "Secure Virtualization"),
    "qemu": ("QEMU", "Quick EMUlator"),
    "host": ("호스트", "host"),
    "hosting": ("호스팅", "hosting"),
    "full-virtualization": ("전가상화", "full virtualization"),
    "para-virtualization": ("반가상화", "para-virtualization"),
    "abstraction": ("추상화", "abstraction"),
    "virtual-currency": ("가상화폐",),
    "data-center": ("데이터센터", "data center"),
    "endpoint": ("엔드포인트 장치", "endpoint"),
}


def make_index(extra: dict[str, tuple[str, ...]] | None = None) -> TermIndex:
    terms = {**GLOSSARY, **(extra or {})}
    return TermIndex(SearchEntry(key, names) for key, names in terms.items())


@pytest.fixture(scope="module")
def index() -> TermIndex:
    return make_index()


# --- hangul helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("가상 머신", "가상머신"),
        ("Type-1", "type1"),
        ("TYPE_1", "type1"),
        ("가상 머신(VM)", "가상머신vm"),
        ("TCP/IP", "tcpip"),
        ("입·출력", "입출력"),
        ("v1.2", "v12"),
        ("  SELinux\t", "selinux"),
        ("ＶＭ", "vm"),  # full-width letters from a Korean IME
        (unicodedata.normalize("NFD", "가상화"), "가상화"),
    ],
)
def test_normalize_folds_case_spacing_and_punctuation(a: str, b: str) -> None:
    assert normalize(a) == normalize(b) == b


def test_normalize_keeps_meaningful_symbols_and_consonants() -> None:
    assert normalize("C#") != normalize("C")
    assert normalize("C++") == "c++"
    assert normalize("ㅎㅇㅍ ㅂㅇㅈ") == "ㅎㅇㅍㅂㅇㅈ"  # NFKC would have broken these
    assert normalize(" - ") == ""


@pytest.mark.parametrize(
    ("text", "jamo"),
    [
        ("가", "ㄱㅏ"),
        ("하이퍼바이저", "ㅎㅏㅇㅣㅍㅓㅂㅏㅇㅣㅈㅓ"),
        ("화", "ㅎㅗㅏ"),  # compound vowel split
        ("의", "ㅇㅡㅣ"),
        ("닭", "ㄷㅏㄹㄱ"),  # final cluster split
        ("값", "ㄱㅏㅂㅅ"),
        ("깎", "ㄲㅏㄲ"),  # double consonants are one key (shift), so they stay one jamo
        ("힣", "ㅎㅣㅎ"),
        ("VM 가", "VM ㄱㅏ"),
        ("ㄳㅘ", "ㄱㅅㅗㅏ"),
        ("\u1100\u1161", "ㄱㅏ"),  # conjoining jamo that were never composed
    ],
)
def test_to_jamo(text: str, jamo: str) -> None:
    assert to_jamo(text) == jamo


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("하이퍼바이져", "하이퍼바이저"),
        ("가상머싱", "가상머신"),
        ("에뮬래이션", "에뮬레이션"),
        ("이", "의"),
    ],
)
def test_a_jamo_typo_is_one_edit(typo: str, word: str) -> None:
    assert Levenshtein.distance(to_jamo(typo), to_jamo(word)) == 1


def test_chosung() -> None:
    assert chosung("하이퍼바이저") == "ㅎㅇㅍㅂㅇㅈ"
    assert chosung("가상머신") == "ㄱㅅㅁㅅ"
    assert chosung("까치") == "ㄲㅊ"
    assert chosung("가상 VM") == "ㄱㅅ VM"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ㅎㅇㅍㅂㅇㅈ", True),
        ("ㄱㅅ ㅁㅅ", True),
        ("ㄲ", True),
        ("ㅎㅇㅍ바", False),
        ("ㅏ", False),
        ("vm", False),
        ("", False),
        ("  ", False),
    ],
)
def test_is_chosung_query(query: str, expected: bool) -> None:
    assert is_chosung_query(query) is expected


@pytest.mark.parametrize(
    ("word", "eul", "i", "eun", "ro"),
    [
        ("하이퍼바이저", "를", "가", "는", "로"),
        ("가상머신", "을", "이", "은", "으로"),
        ("커널", "을", "이", "은", "로"),  # ㄹ takes 로
        ("VM", "을", "이", "은", "으로"),  # 브이엠
        ("KVM", "을", "이", "은", "으로"),
        ("VDI", "를", "가", "는", "로"),  # 브이디아이
        ("URL", "을", "이", "은", "로"),  # 유알엘
        ("QEMU", "를", "가", "는", "로"),
        ("sVirt", "를", "가", "는", "로"),  # 에스버트
        ("SELinux", "를", "가", "는", "로"),  # 셀리눅스
        ("hypervisor", "를", "가", "는", "로"),
        ("kernel", "을", "이", "은", "로"),
        ("emulation", "을", "이", "은", "으로"),
        ("hosting", "을", "이", "은", "으로"),
        ("host", "를", "가", "는", "로"),  # 호스트
        ("stack", "을", "이", "은", "으로"),  # 스택
        ("machine", "을", "이", "은", "으로"),  # 머신
        ("cache", "를", "가", "는", "로"),  # 캐시
        ("Type-1", "을", "이", "은", "로"),  # 일
        ("Type-2", "를", "가", "는", "로"),  # 이
        ("IPv6", "을", "이", "은", "으로"),  # 육
        ("Windows 10", "을", "이", "은", "으로"),  # 십
        ("0", "을", "이", "은", "으로"),  # 영
        ("가상 머신(VM)", "을", "이", "은", "으로"),  # the word before the gloss decides
        ("하이퍼바이저 (hypervisor)", "를", "가", "는", "로"),
        ("'호스트'", "를", "가", "는", "로"),
        ("ㅎㅇㅍ", "을", "이", "은", "으로"),  # 피읖
        ("ㄱㄹ", "을", "이", "은", "로"),  # 리을
    ],
)
def test_particles(word: str, eul: str, i: str, eun: str, ro: str) -> None:
    assert (eul_reul(word), i_ga(word), eun_neun(word), ro_euro(word)) == (eul, i, eun, ro)


# --- ranking -----------------------------------------------------------------------------

# (query, key best() must return or None, how it matched, key expected first in search())
ROWS = [
    # exact, any name, any case or spacing
    ("하이퍼바이저", "hypervisor", "exact", "hypervisor"),
    ("hypervisor", "hypervisor", "exact", "hypervisor"),
    ("HyperVisor", "hypervisor", "exact", "hypervisor"),
    ("vmm", "hypervisor", "exact", "hypervisor"),
    ("가상 머신 모니터", "hypervisor", "exact", "hypervisor"),
    ("가상머신모니터", "hypervisor", "exact", "hypervisor"),
    ("vm", "virtual-machine", "exact", "virtual-machine"),
    ("가상 머신", "virtual-machine", "exact", "virtual-machine"),
    ("Virtual Machine", "virtual-machine", "exact", "virtual-machine"),
    ("kvm", "kvm", "exact", "kvm"),
    ("kernel based virtual machine", "kvm", "exact", "kvm"),
    ("svirt", "svirt", "exact", "svirt"),
    ("SVIRT", "svirt", "exact", "svirt"),
    ("Qemu", "qemu", "exact", "qemu"),
    ("selinux", "selinux", "exact", "selinux"),
    ("type1", "type-1-hypervisor", "exact", "type-1-hypervisor"),
    ("Type 2", "type-2-hypervisor", "exact", "type-2-hypervisor"),
    ("베어메탈", "type-1-hypervisor", "exact", "type-1-hypervisor"),
    ("데이터 센터", "data-center", "exact", "data-center"),
    ("DataCenter", "data-center", "exact", "data-center"),
    ("게스트 os", "guest-os", "exact", "guest-os"),
    ("데스크톱가상화", "desktop-virtualization", "exact", "desktop-virtualization"),
    ("para virtualization", "para-virtualization", "exact", "para-virtualization"),
    ("가상화폐", "virtual-currency", "exact", "virtual-currency"),
    # the exact name wins over longer names that start with it and over look-alikes
    ("호스트", "host", "exact", "host"),
    ("host", "host", "exact", "host"),
    ("호스팅", "hosting", "exact", "hosting"),
    ("가상화", "virtualization", "exact", "virtualization"),
    # 초성, whole and prefix
    ("ㅎㅇㅍㅂㅇㅈ", "hypervisor", "chosung", "hypervisor"),
    ("ㄱㅅㅁㅅ", "virtual-machine", "chosung", "virtual-machine"),
    ("ㅇㅁㄹㅇㅅ", "emulation", "chosung", "emulation"),
    ("ㄷㅇㅌ ㅅㅌ", "data-center", "chosung", "data-center"),
    ("ㅎㅇㅍ", "hypervisor", "chosung", "hypervisor"),
    # typos, one jamo or letter off
    ("하이퍼바이져", "hypervisor", "fuzzy", "hypervisor"),
    ("하이퍼바이자", "hypervisor", "fuzzy", "hypervisor"),
    ("에뮬래이션", "emulation", "fuzzy", "emulation"),
    ("가상머싱", "virtual-machine", "fuzzy", "virtual-machine"),
    ("데이타센터", "data-center", "fuzzy", "data-center"),
    ("hypervsor", "hypervisor", "fuzzy", "hypervisor"),
    ("hypervisr", "hypervisor", "fuzzy", "hypervisor"),
    ("emulaton", "emulation", "fuzzy", "emulation"),
    ("qemo", "qemu", "fuzzy", "qemu"),
    # prefixes, including a syllable the IME has not finished (하이퍼방 on the way to 바이)
    ("하이퍼", "hypervisor", "prefix", "hypervisor"),
    ("하이퍼방", "hypervisor", "prefix", "hypervisor"),
    ("에뮬", "emulation", "prefix", "emulation"),
    ("hyper", "hypervisor", "prefix", "hypervisor"),
    ("엔드포", "endpoint", "prefix", "endpoint"),
    # "가상" is not a term yet: the unique shortest prefix hit, 가상화, is the confident one
    ("가상", "virtualization", "prefix", "virtualization"),
    # substrings are suggestions, never a confident answer
    ("바이저", None, None, "hypervisor"),
    ("운영체제", None, None, "guest-os"),
    ("메탈", None, None, "type-1-hypervisor"),
    # too vague to pick one: ties, one-character prefixes, short near-misses
    ("type", None, None, "type-1-hypervisor"),
    ("호", None, None, "host"),
    ("kvn", None, None, "kvm"),
    # nonsense
    ("qwerty", None, None, None),
    ("블록체인", None, None, None),
    ("ㅋㅋㅋ", None, None, None),
    ("zz", None, None, None),
    ("???", None, None, None),
    ("", None, None, None),
]


@pytest.mark.parametrize(("query", "best_key", "best_how", "first_key"), ROWS)
def test_ranking(
    index: TermIndex, query: str, best_key: str | None, best_how: str | None, first_key: str | None
) -> None:
    best = index.best(query)
    found = index.search(query)
    if best_key is None:
        assert best is None
    else:
        assert best is not None
        assert (best.key, best.how) == (best_key, best_how)
        assert found[0] == best  # best() is always search()'s first row
    if first_key is None:
        assert found == []
    else:
        assert found[0].key == first_key


def test_one_match_per_key_best_first(index: TermIndex) -> None:
    for query in ("가상", "하이퍼", "가상 머신", "virtual", "host", "바이저"):
        found = index.search(query, limit=25)
        keys = [m.key for m in found]
        assert len(keys) == len(set(keys))
        scores = [m.score for m in found]
        assert scores == sorted(scores, reverse=True)
        assert all(0 <= s <= 100 for s in scores)


def test_limit(index: TermIndex) -> None:
    assert len(index.search("가상", limit=2)) == 2
    assert len(index.search("가상", limit=25)) > 5
    assert index.search("가상", limit=0) == []


def test_reports_which_name_matched(index: TermIndex) -> None:
    assert index.search("vmm")[0].name == "VMM"
    assert index.search("Hypervisor")[0].name == "hypervisor"
    # two names fold to 가상머신; the earlier (display) one is reported
    assert index.search("가상 머신")[0].name == "가상머신"
    assert index.search("bare-metal")[0].name == "bare metal"


def test_host_is_not_confused_with_longer_or_similar_terms(index: TermIndex) -> None:
    found = index.search("호스트")
    assert found[0] == Match("host", "호스트", 100.0, "exact")
    assert found[1].key == "type-2-hypervisor"  # 호스트 하이퍼바이저 starts with 호스트
    assert found[1].how == "prefix"


def test_prefix_prefers_shorter_names(index: TermIndex) -> None:
    found = index.search("가상", limit=10)
    keys = [m.key for m in found]
    assert keys[0] == "virtualization"  # 가상화
    assert set(keys[1:3]) == {"virtual-machine", "virtual-currency"}  # 가상머신, 가상화폐
    assert keys.index("hypervisor") > keys.index("virtual-machine")  # 가상 머신 모니터
    assert all(m.how == "prefix" for m in found[:5])


def test_exact_entry_beats_prefix_hits() -> None:
    index = make_index({"virtual": ("가상", "virtual")})
    best = index.best("가상")
    assert best == Match("virtual", "가상", 100.0, "exact")
    assert [m.key for m in index.search("가상")][:2] == ["virtual", "virtualization"]


def test_prefix_outranks_contains_and_fuzzy(index: TermIndex) -> None:
    found = index.search("하이퍼", limit=10)
    assert found[0].how == "prefix"
    assert {m.key for m in found[1:]} >= {"type-1-hypervisor", "type-2-hypervisor"}
    assert all(m.how == "contains" for m in found[1:])


def test_exact_lists_names_containing_it_as_suggestions(index: TermIndex) -> None:
    keys = [m.key for m in index.search("가상화", limit=10)]
    assert keys[0] == "virtualization"
    assert {"full-virtualization", "para-virtualization", "desktop-virtualization"} <= set(keys)


def test_chosung_query_is_not_read_as_letters(index: TermIndex) -> None:
    found = index.search("ㄱㅅ", limit=10)
    assert found
    assert all(m.how == "chosung" for m in found)
    assert found[0].key == "virtualization"  # ㄱㅅㅎ is the shortest 초성 starting ㄱㅅ


def test_short_queries_do_not_fuzzy_match_everything(index: TermIndex) -> None:
    for query in ("vn", "xm", "ab", "가"):
        assert all(m.how != "fuzzy" for m in index.search(query, limit=25))
    # "st" is inside host, hosted, guest os ...: two letters are too little for a substring
    assert index.search("st") == []
    assert {m.key for m in index.search("ost", limit=25)} >= {"host", "hosting"}


def test_equally_close_typos_are_not_confident() -> None:
    index = TermIndex([SearchEntry("a", ("데이터베이스",)), SearchEntry("b", ("데이터베이트",))])
    assert index.best("데이터베이즈") is None
    assert {m.key for m in index.search("데이터베이즈")} == {"a", "b"}


def test_same_name_on_two_keys_returns_both() -> None:
    index = TermIndex([SearchEntry("a", ("캐시",)), SearchEntry("b", ("캐시", "cache"))])
    assert [m.key for m in index.search("캐시")] == ["a", "b"]
    assert index.best("캐시") == Match("a", "캐시", 100.0, "exact")


def test_empty_and_blank_names_are_ignored() -> None:
    index = TermIndex([SearchEntry("a", ("", " - ", "가상화")), SearchEntry("b", ())])
    assert len(index) == 1
    assert index.best("가상화") == Match("a", "가상화", 100.0, "exact")
    assert TermIndex([]).search("가상화") == []
    assert TermIndex([]).best("가상화") is None


def test_very_long_query_is_cheap_and_harmless(index: TermIndex) -> None:
    assert index.best("하이퍼바이저" * 50) is None


def test_search_package_imports_no_platform_library() -> None:
    code = (
        "import sys, bot.search; "
        "bad = [m for m in ('telegram', 'discord') if m in sys.modules]; "
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
