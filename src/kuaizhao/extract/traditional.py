"""Traditional-Chinese credit lines, read with the same patterns as Simplified ones.

Taiwanese and Hong Kong pages print the same labels in Traditional characters (來源, 記者, 責任編輯,
報導, 攝影). Rather than doubling every pattern, a line is mapped character by character to the
Simplified forms of those label characters, parsed, and each value found is then taken back from
the original line at the same position: names and outlets stay exactly as printed (謝明俊, 中時).
"""

from __future__ import annotations

_LABEL_CHARS = str.maketrans(
    "來記編輯責攝報導訊實習員題轉載發佈時間網電審對圖譯稱綜處於為從關聞閱讀薦熱廣評論檔鍵詞籤",
    "来记编辑责摄报导讯实习员题转载发布时间网电审对图译称综处于为从关闻阅读荐热广评论档键词签",
)


def simplified(line: str) -> str:
    """`line` with its label characters in Simplified form; the same length, position for position."""
    return line.translate(_LABEL_CHARS)


def as_printed(value: str | None, original: str, mapped: str) -> str | None:
    """`value`, found in `mapped`, as `original` prints it."""
    if not value or mapped == original:
        return value
    at = mapped.find(value)
    return original[at:at + len(value)] if at >= 0 else value
