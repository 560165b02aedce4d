"""Wire datelines: the opening words of a report that name the outlet and its reporters.

Chinese and Taiwanese outlets open a report with where and when it was filed and by whom:

    新华社北京1月17日电（记者 张三）     the agency, then the reporters in brackets
    （中央社記者邱俊欽桃園19日電）        outlet, reporters, place and day in one bracket
    （中央社記者張三、李四台北21日電）

In the second form nothing separates a reporter's name from the place, so the split is read from
the name's shape: a known surname and one or two characters, then a place of two to four. Three-
character names are by far the commonest, so `邱俊欽桃園` is 邱俊欽 + 桃園 and `王伟北京` (where a
three-character name would leave a one-character place) is 王伟 + 北京.
"""

from __future__ import annotations

import re

from .names import is_name

# A wire dateline at the start of a paragraph credits the agency.
AGENCY_DATELINE = re.compile(
    r"^\s*(?P<agency>新华社|中新社|中新网|人民网|央视网|央广网|光明网|国际在线|中国日报网|中国新闻网|新华网|中央社|路透社|法新社|美联社)"
    r"[\u4e00-\u9fff]{0,8}?(?:\d{1,2}月\d{1,2}日)?[电電]"
)
_BRACKETED = re.compile(
    r"^\s*[（(]\s*(?P<outlet>[\u4e00-\u9fff]{2,8}?)(?:驻[\u4e00-\u9fff]{1,6}|駐[\u4e00-\u9fff]{1,6})?[记記]者\s*"
    r"(?P<people>[\u4e00-\u9fff·、 ]{3,40}?)\s*(?:\d{1,2}月)?\d{1,2}日[电電]\s*[)）]"
)


def bracketed(line: str) -> tuple[str, list[str]] | None:
    """(outlet, reporters) of a dateline like （中央社記者邱俊欽桃園19日電）, else None."""
    m = _BRACKETED.match(line)
    if m is None:
        return None
    parts = [p for p in re.split(r"[、\s]+", m["people"]) if p]
    if not parts:
        return None
    reporters = parts[:-1]
    if not all(is_name(p) for p in reporters):
        return None
    last = _name_before_place(parts[-1])
    if last is None:
        return None
    return m["outlet"], [*reporters, last]


def _name_before_place(token: str) -> str | None:
    for size in (3, 2, 4):
        name, place = token[:size], token[size:]
        if is_name(name) and 2 <= len(place) <= 4:
            return name
    return None
