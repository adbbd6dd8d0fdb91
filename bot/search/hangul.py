"""Hangul text helpers for term lookup and for choosing Korean particles.

Everything here works on plain ``str`` and Unicode arithmetic, so it is cheap enough to run
on every keystroke of an autocomplete query.
"""

from __future__ import annotations

import unicodedata
from enum import Enum

SYLLABLE_FIRST = 0xAC00  # 가
SYLLABLE_LAST = 0xD7A3  # 힣
_MEDIALS_X_FINALS = 21 * 28
_FINALS = 28

# Compatibility jamo (U+3131..) rather than conjoining jamo (U+1100..): they are what a
# keyboard produces for a lone consonant, so a 초성 query and a half-typed syllable compare
# directly with decomposed names.
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINAL_JAMO = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"  # index 1.. of the 28

# Compound vowels and final clusters are typed as two keys on a 두벌식 keyboard, so splitting
# them makes a slip such as 의 -> 이 cost one edit instead of a whole different symbol.
_SPLIT = {
    "ㅘ": "ㅗㅏ",
    "ㅙ": "ㅗㅐ",
    "ㅚ": "ㅗㅣ",
    "ㅝ": "ㅜㅓ",
    "ㅞ": "ㅜㅔ",
    "ㅟ": "ㅜㅣ",
    "ㅢ": "ㅡㅣ",
    "ㄳ": "ㄱㅅ",
    "ㄵ": "ㄴㅈ",
    "ㄶ": "ㄴㅎ",
    "ㄺ": "ㄹㄱ",
    "ㄻ": "ㄹㅁ",
    "ㄼ": "ㄹㅂ",
    "ㄽ": "ㄹㅅ",
    "ㄾ": "ㄹㅌ",
    "ㄿ": "ㄹㅍ",
    "ㅀ": "ㄹㅎ",
    "ㅄ": "ㅂㅅ",
}


def _jamo_seq(jamo: str) -> str:
    return "".join(_SPLIT.get(j, j) for j in jamo)


_INITIAL_SEQ = tuple(_jamo_seq(j) for j in _INITIALS)
_MEDIAL_SEQ = tuple(_jamo_seq(j) for j in _MEDIALS)
_FINAL_SEQ = ("", *(_jamo_seq(j) for j in _FINAL_JAMO))


def _build_loose_jamo() -> dict[str, str]:
    # Lone jamo can reach us as conjoining code points (e.g. NFD text that NFC could not
    # recompose) or as compound compatibility jamo; both map onto the same split sequences.
    table = {j: s for j, s in _SPLIT.items()}
    for i, seq in enumerate(_INITIAL_SEQ):
        table[chr(0x1100 + i)] = seq
    for i, seq in enumerate(_MEDIAL_SEQ):
        table[chr(0x1161 + i)] = seq
    for i, seq in enumerate(_FINAL_SEQ[1:]):
        table[chr(0x11A8 + i)] = seq
    return table


_LOOSE_JAMO = _build_loose_jamo()

CONSONANT_FIRST = 0x3131  # ㄱ
CONSONANT_LAST = 0x314E  # ㅎ
_VOWEL_FIRST = 0x314F  # ㅏ
_VOWEL_LAST = 0x3163  # ㅣ

# Punctuation that carries meaning in computing names (C#, A*) and so survives normalize().
_KEEP_PUNCT = frozenset("#*")
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def _is_syllable(code: int) -> bool:
    return SYLLABLE_FIRST <= code <= SYLLABLE_LAST


def normalize(s: str) -> str:
    """Fold text to the form lookups compare: "가상 머신" -> "가상머신", "Type-1" -> "type1".

    NFC and not NFKC, because NFKC would turn the compatibility jamo of a 초성 query into
    conjoining jamo; full-width ASCII, which NFKC would have handled, is folded by hand.
    """
    s = unicodedata.normalize("NFC", s.translate(_FULLWIDTH)).casefold()
    out: list[str] = []
    for ch in s:
        cat = unicodedata.category(ch)
        # Z*: spaces, C*: tabs/newlines/format chars, P*: - _ . ( ) / · and friends.
        if cat[0] in "ZC" or (cat[0] == "P" and ch not in _KEEP_PUNCT):
            continue
        out.append(ch)
    return "".join(out)


def to_jamo(s: str) -> str:
    """Decompose Hangul into compatibility jamo, splitting compound vowels and final clusters.

    Other characters pass through unchanged: to_jamo("왜 VM") == "ㅇㅗㅐ VM".
    """
    out: list[str] = []
    append = out.append
    for ch in s:
        code = ord(ch)
        if _is_syllable(code):
            index = code - SYLLABLE_FIRST
            append(_INITIAL_SEQ[index // _MEDIALS_X_FINALS])
            append(_MEDIAL_SEQ[index % _MEDIALS_X_FINALS // _FINALS])
            append(_FINAL_SEQ[index % _FINALS])
        else:
            append(_LOOSE_JAMO.get(ch, ch))
    return "".join(out)


def chosung(s: str) -> str:
    """The initial consonant of each syllable: 하이퍼바이저 -> ㅎㅇㅍㅂㅇㅈ.

    Characters that are not syllables pass through unchanged, so callers that want only
    Hangul names should check the result with is_chosung_query().
    """
    out: list[str] = []
    for ch in s:
        code = ord(ch)
        if _is_syllable(code):
            out.append(_INITIALS[(code - SYLLABLE_FIRST) // _MEDIALS_X_FINALS])
        else:
            out.append(ch)
    return "".join(out)


def is_chosung_query(s: str) -> bool:
    """True when s, ignoring spaces and punctuation, is only consonants ㄱ-ㅎ (e.g. "ㅎㅇㅍ")."""
    folded = normalize(s)
    return bool(folded) and all(CONSONANT_FIRST <= ord(ch) <= CONSONANT_LAST for ch in folded)


# --- particles (조사) -------------------------------------------------------------------


class _Final(Enum):
    NONE = 0  # ends in a vowel sound: 를, 가, 는, 로
    RIEUL = 1  # ends in ㄹ: 을, 이, 은, but 로 (not 으로)
    OTHER = 2  # any other final consonant: 을, 이, 은, 으로


# Korean readings of a last digit: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGIT_FINAL = (
    _Final.OTHER,
    _Final.RIEUL,
    _Final.NONE,
    _Final.OTHER,
    _Final.NONE,
    _Final.NONE,
    _Final.OTHER,
    _Final.RIEUL,
    _Final.RIEUL,
    _Final.NONE,
)
# Acronyms are read letter by letter; only 엘, 엠, 엔, 알 end in a consonant.
_LETTER_FINAL = {"l": _Final.RIEUL, "r": _Final.RIEUL, "m": _Final.OTHER, "n": _Final.OTHER}
_VOWEL_LETTERS = frozenset("aeiouy")
_CLOSERS = {")": "(", "]": "[", "}": "{", "）": "（"}


def _strip_trailing_gloss(word: str) -> str:
    # A particle agrees with the word before a parenthetical gloss: 가상 머신(VM)을, so drop it.
    s = word.rstrip()
    while s and s[-1] in _CLOSERS:
        opener = s.rfind(_CLOSERS[s[-1]])
        if opener <= 0 or not s[:opener].strip():
            break
        s = s[:opener].rstrip()
    return s


def _number_final(digits: str) -> _Final:
    significant = digits.lstrip("0")
    if not significant:
        return _Final.OTHER  # 영
    zeros = len(significant) - len(significant.rstrip("0"))
    if zeros == 0:
        return _DIGIT_FINAL[int(significant[-1])]
    # 십, 백, 천, 만, 억 all end in a consonant; only 조 (10^12..10^15) does not.
    if 12 <= zeros <= 15:
        return _Final.NONE
    return _Final.OTHER


def _english_final(run: str) -> _Final:
    lower = run.lower()
    if run.isupper() or len(run) == 1 or not (_VOWEL_LETTERS & set(lower)):
        return _LETTER_FINAL.get(lower[-1], _Final.NONE)
    # Words follow their usual Korean transcription: kernel 커널, system 시스템, hosting 호스팅,
    # stack 스택, chip 칩, web 웹; but host 호스트, disk 디스크, cloud 클라우드, linux 리눅스.
    last = lower[-1]
    prev = lower[-2]
    if lower.endswith("ng"):
        return _Final.OTHER
    if last == "l":
        return _Final.RIEUL
    if last in "mn":
        return _Final.OTHER
    if lower.endswith("ck"):
        return _Final.OTHER
    if last in "kpbc":
        return _Final.OTHER if prev in _VOWEL_LETTERS else _Final.NONE
    if last == "t":
        # set 셋, chat 챗, but root 루트, host 호스트.
        double_vowel = len(lower) >= 3 and lower[-3] in _VOWEL_LETTERS
        if prev in _VOWEL_LETTERS and not double_vowel:
            return _Final.OTHER
        return _Final.NONE
    if last == "e" and prev not in _VOWEL_LETTERS:
        # Silent e: file 파일, frame 프레임, machine 머신, but code 코드, cache 캐시.
        if prev == "l":
            return _Final.RIEUL
        if prev in "mn":
            return _Final.OTHER
    return _Final.NONE


def _final_sound(word: str) -> _Final:
    s = _strip_trailing_gloss(word)
    end = len(s)
    while end > 0:
        ch = s[end - 1]
        code = ord(ch)
        if _is_syllable(code):
            jong = (code - SYLLABLE_FIRST) % _FINALS
            if jong == 0:
                return _Final.NONE
            return _Final.RIEUL if jong == 8 else _Final.OTHER
        if CONSONANT_FIRST <= code <= CONSONANT_LAST:
            # Read by its name: 기역, 니은, 리을, ... every one ends in a consonant.
            return _Final.RIEUL if ch == "ㄹ" else _Final.OTHER
        if _VOWEL_FIRST <= code <= _VOWEL_LAST:
            return _Final.NONE
        if ch.isascii() and ch.isdigit():
            start = end
            while start > 0 and s[start - 1].isascii() and s[start - 1].isdigit():
                start -= 1
            return _number_final(s[start:end])
        if ch.isascii() and ch.isalpha():
            start = end
            while start > 0 and s[start - 1].isascii() and s[start - 1].isalpha():
                start -= 1
            return _english_final(s[start:end])
        if unicodedata.category(ch)[0] in "PZ":
            end -= 1  # closing quotes, full stops
            continue
        break
    # Hanja and other scripts: the reading is unknown, so fall back to the vowel form.
    return _Final.NONE


def eul_reul(word: str) -> str:
    """The object particle for word: "을" after a final consonant (VM을), else "를"."""
    return "를" if _final_sound(word) is _Final.NONE else "을"


def i_ga(word: str) -> str:
    """The subject particle: "이" after a final consonant, else "가"."""
    return "가" if _final_sound(word) is _Final.NONE else "이"


def eun_neun(word: str) -> str:
    """The topic particle: "은" after a final consonant, else "는"."""
    return "는" if _final_sound(word) is _Final.NONE else "은"


def ro_euro(word: str) -> str:
    """The instrumental particle: "으로" after a final consonant other than ㄹ, else "로"."""
    return "으로" if _final_sound(word) is _Final.OTHER else "로"
