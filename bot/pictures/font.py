"""The Korean font the pictures use: NanumGothic, as the koreanize-matplotlib wheel ships it.

The wheel is found without importing it (importing it would change matplotlib's global
settings and, on Python 3.12, fail on distutils); only its font file is read. NanumGothic is
NAVER's font under the SIL Open Font License 1.1; the package around it is MIT.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

FONT_PACKAGE = "koreanize_matplotlib"
FONT_FILE = "NanumGothic.ttf"
BOLD_FILE = "NanumGothicBold.ttf"


class FontMissing(RuntimeError):
    pass


def font_dir() -> Path:
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FontMissing(f"{FONT_PACKAGE} is not installed; pip install koreanize-matplotlib")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def font_path(bold: bool = False) -> Path:
    path = font_dir() / (BOLD_FILE if bold else FONT_FILE)
    if not path.is_file():
        raise FontMissing(f"{path} is missing from the {FONT_PACKAGE} package")
    return path
