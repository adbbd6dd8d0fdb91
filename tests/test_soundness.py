"""The soundness gate: giveaways by name or head word, same meaning, twins, self-evident O/X."""

from __future__ import annotations

from bot.content.schema import Question, Term
from bot.content.soundness import flaws, head_words

TERMS = {
    t.id: t
    for t in (
        Term(
            "t1",
            "Type-1 하이퍼바이저",
            "호스트 운영체제 없이 하드웨어에 직접 설치되어 실행되는 하이퍼바이저",
            aliases=("native",),
        ),
        Term(
            "t2",
            "Type-2 하이퍼바이저",
            "일반 프로그램처럼 호스트 운영체제 위에 설치되어 실행되는 하이퍼바이저",
            aliases=("hosted", "호스트 하이퍼바이저"),
        ),
        Term("cur", "가상화폐", "화폐가 종이나 금속으로 존재하지 않고 다른 형태로 존재하는 것"),
        Term("se", "SELinux", "VM 주위에 보안 경계를 구축하는, 보안이 강화된 Linux"),
        Term("emu", "에뮬레이션", "다른 컴퓨터의 기계어 명령대로 실행할 수 있는 기능"),
        Term("host", "호스팅", "서버 컴퓨터의 공간을 임대하는 서비스"),
    )
}


def choice(stem: str, options: list[str], answer: int, terms: tuple[str, ...]) -> Question:
    return Question("q", "choice", stem, tuple(options), (answer,), "해설", terms=terms)


def rules(q: Question) -> list[str]:
    return [f.rule for f in flaws(q, TERMS)]


def test_head_words() -> None:
    assert head_words(TERMS["t1"], TERMS.values()) == {"하이퍼바이저"}
    assert head_words(TERMS["cur"], TERMS.values()) == {"화폐"}
    assert head_words(TERMS["se"], TERMS.values()) == {"Linux"}


def test_giveaway_by_head_word() -> None:
    stem = "다음 설명에 해당하는 용어는?\n\n" + TERMS["t1"].definition
    alone = choice(stem, ["에뮬레이션", "Type-1 하이퍼바이저", "호스팅", "가상화폐"], 2, ("t1",))
    assert rules(alone) == ["giveaway"]
    fair = choice(
        stem, ["에뮬레이션", "Type-1 하이퍼바이저", "Type-2 하이퍼바이저", "호스팅"], 2, ("t1",)
    )
    assert rules(fair) == []
    money = choice(
        "다음 설명에 해당하는 용어는?\n\n" + TERMS["cur"].definition,
        ["호스팅", "가상화폐", "에뮬레이션", "SELinux"],
        2,
        ("cur",),
    )
    assert rules(money) == ["giveaway"]
    linux = choice(
        "다음 설명에 해당하는 용어는?\n\n보안이 강화된 Linux",
        ["SELinux", "호스팅", "에뮬레이션", "가상화폐"],
        1,
        ("se",),
    )
    assert rules(linux) == ["giveaway"]


def test_same_meaning() -> None:
    alias = choice(
        "다음 중 옳은 것은?", ["Type-2 하이퍼바이저", "hosted", "호스팅", "에뮬레이션"], 1, ()
    )
    assert rules(alias) == ["same-meaning"]
    again = choice("다음 중 옳은 것은?", ["호스팅", "호스팅 ", "에뮬레이션", "가상화폐"], 1, ())
    assert "same-meaning" in rules(again)


def test_two_options_from_one_fact() -> None:
    q = choice(
        "호스트형 가상화에 대한 설명으로 옳지 않은 것은?",
        [
            "호스트형 가상화는 개발 단계에서 소프트웨어 베타 테스트 비용을 늘린다.",
            "호스트형 가상화는 개발 단계에서 소프트웨어 베타 테스트 비용을 절감할 수 있다.",
            "호스트형 가상화 아키텍처는 설치와 구성이 편리하다.",
            "QEMU는 오픈소스 호스팅 하이퍼바이저이다.",
        ],
        1,
        ("t2",),
    )
    assert rules(q) == ["same-fact"]
    # Twins that are both wrong are a trap, not a giveaway.
    both_wrong = choice(
        q.stem, [q.options[2], q.options[0], q.options[3], q.options[1]], 1, ("t2",)
    )
    assert rules(both_wrong) == []
    listed = Question(
        "q",
        "choice",
        "옳은 것만을 모두 고르면?\n\nㄱ. 에뮬레이션으로 속도가 100~1000배 이상 느려질 수 있다.\n"
        "ㄴ. 에뮬레이션으로 속도가 100~1000배 이상 빨라질 수 있다.\nㄷ. 호스팅은 서비스이다.",
        ("ㄱ", "ㄴ", "ㄱ, ㄷ", "ㄴ, ㄷ"),
        (3,),
        "해설",
        terms=("emu",),
    )
    assert rules(listed) == ["same-fact"]


def test_self_evident_ox() -> None:
    says = Question(
        "q",
        "ox",
        "호스트 하이퍼바이저는 호스트 운영체제에서 실행된다.",
        ("O", "X"),
        (1,),
        "해설",
        terms=("t2",),
    )
    assert rules(says) == ["self-evident"]
    fact = Question(
        "q",
        "ox",
        "Type-1 하이퍼바이저는 하드웨어에서 직접 실행된다.",
        ("O", "X"),
        (1,),
        "해설",
        terms=("t1",),
    )
    assert rules(fact) == []
    false = Question(
        "q",
        "ox",
        "호스트 하이퍼바이저는 호스트 운영체제에서 실행되지 않는다.",
        ("O", "X"),
        (2,),
        "해설",
        terms=("t2",),
    )
    assert rules(false) == []
