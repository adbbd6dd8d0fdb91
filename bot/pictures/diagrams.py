"""Diagrams the bundled questions stand on, as data: a stack of layers drawn bottom up.

The two hypervisor stacks follow the seed notes' tables (3. 가상화, ① Type-1 and ② Type-2):
Type-1 runs on the hardware itself and each VM's guest OS runs on it; Type-2 runs as a
program on a host OS, so a guest OS is the third level up from the hardware. Drawing happens
in the picture process (bot.pictures.draw.diagram); this module imports no plotting library,
so the content schema can check a question's ``image: diagram:<name>`` against it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Layer:
    label: str
    columns: int = 0  # 0: one box across the stack; n: n boxes side by side (one per VM)
    colour: str = "#9aa3ad"


@dataclass(frozen=True, slots=True)
class Diagram:
    title: str
    layers: tuple[Layer, ...]  # bottom first
    alt: str  # what it shows, in words (a caption and for screen readers)
    terms: tuple[str, ...] = ()  # the terms /term shows it for


HARDWARE = "#5b6472"
HYPERVISOR = "#3b6fd8"
HOST_OS = "#2f9e62"
VM = "#e08a1e"
GUEST = "#d9a441"
APP = "#b8c2cc"
DARK = {HARDWARE, HYPERVISOR, HOST_OS}  # boxes that carry white words

DIAGRAMS: dict[str, Diagram] = {
    "hypervisor-type1": Diagram(
        title="Type-1 (native, bare metal) 하이퍼바이저",
        layers=(
            Layer("하드웨어", colour=HARDWARE),
            Layer("하이퍼바이저 (VMM)", colour=HYPERVISOR),
            Layer("가상머신 (VM)", 3, VM),
            Layer("게스트 OS", 3, GUEST),
            Layer("응용프로그램", 3, APP),
        ),
        alt="Type-1 하이퍼바이저의 계층: 하드웨어 위에 하이퍼바이저가 바로 있고, 그 위에 "
        "가상머신마다 게스트 OS와 응용프로그램이 있어요. 호스트 OS가 없어요.",
        terms=("type-1-hypervisor",),
    ),
    "hypervisor-type2": Diagram(
        title="Type-2 (hosted) 하이퍼바이저",
        layers=(
            Layer("하드웨어", colour=HARDWARE),
            Layer("호스트 운영체제", colour=HOST_OS),
            Layer("하이퍼바이저 (VMM)", colour=HYPERVISOR),
            Layer("가상머신 (VM)", 3, VM),
            Layer("게스트 OS", 3, GUEST),
            Layer("응용프로그램", 3, APP),
        ),
        alt="Type-2 하이퍼바이저의 계층: 하드웨어 위에 호스트 운영체제, 그 위에 "
        "하이퍼바이저가 일반 프로그램처럼 있고, 가상머신마다 게스트 OS와 응용프로그램이 있어요.",
        terms=("type-2-hypervisor",),
    ),
}
