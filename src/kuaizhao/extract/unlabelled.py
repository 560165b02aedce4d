"""Credits printed without a label: names standing alone, and the account printed beside the time.

The weakest evidence of who wrote a page and where it came from, read only when no labelled credit
(作者：, 来源：, 记者 张三) was found.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .names import bracket_names, byline_only, common_name
from .outlets import outlet_like
from .zone import Fragment, on_info_line

_TIME_LABEL = re.compile(
    r"^(?:(?:发表|发布|更新|发稿|编辑|上传)(?:于|时间|日期)|时间|日期|(?i:posted|published|updated)(?:\s+on)?)\s*[:：]?$"
)
NOT_SOURCE = re.compile(r"^(?:原创|转载|独家|首发|来源|作者|分享|关注|举报|评论|\d+|[\W_]+)$")


def bare_names(frags: list[Fragment], credits: list[str], sections: frozenset[str]) -> list[str]:
    """Names standing alone, with no label: '胡平' under the headline, '[ 黄宇 ]' in the info line.

    The weakest evidence of a writer, so two guards. A word this page uses as a section name (its
    breadcrumb, its declared section) is never one. And a bare word sharing its line with a time or
    a 来源 — '国内 3分钟前 来源：华夏日报', the reference layout 类别 · 发布时间 · 来源 — is far more often
    the section or the outlet than the writer, so there it must be led by a frequent surname:
    国, 时, 文, 海 are surnames, but much rarer ones than they are first characters of words.
    Links are navigation, except on the info line itself, where outlets link the reporter's name
    to the reporter's page ('2018年09月16日 15:31 <a>中時</a> <a>謝明俊</a>'): there only a name led by a
    frequent surname counts.
    """
    plain: list[tuple[str, Fragment | None]] = [
        (f.text, f) for f in frags
        if not f.link or ((found := byline_only(f.text)) and all(map(common_name, found)) and on_info_line(f, frags))]
    for text, frag in plain + [(line, None) for line in credits]:
        found = bracket_names(text)  # brackets mark a byline by themselves
        if not found and (found := byline_only(text)) and not all(map(common_name, found)) \
                and frag is not None and on_info_line(frag, frags):
            found = []
        if found and not sections.intersection(found):
            return found
    return []


def beside_time(frags: list[Fragment], time_raw: str, authors: Collection[str] = ()) -> str | None:
    """Self-media pages print the account next to the time: '原创 南方都市报 2019-09-09 16:01' (toutiao)
    or '2019 09/07 19:02 扬眼 企鹅号' (qq). The time's own label (发表于) and the writer already
    found ('陈默 · 2021-03-02') stand there too, and are neither."""
    texts = [f.text.strip() for f in frags]
    last_part = time_raw.split()[-1] if time_raw.split() else time_raw
    for i, text in enumerate(texts):
        if time_raw not in text and not (text == last_part and " " in time_raw):
            continue
        at = text.find(time_raw) if time_raw in text else 0
        before = text[:at].strip()
        candidates = [before] if before else []
        neighbours = []
        if i > 0 and time_raw in text:
            # the account, then a follow button: '管不饿 关注 2024-05-08 23:23'
            neighbours += [i - 1] + ([i - 2] if i > 1 and NOT_SOURCE.match(texts[i - 1]) else [])
        if i + 1 < len(texts):
            neighbours.append(i + 1)
        # on the time's own visual line first: a share button on the line above is no account
        neighbours.sort(key=lambda j: frags[j].line != frags[i].line)
        candidates += [texts[j] for j in neighbours]
        for candidate in candidates:
            candidate = re.sub(r"^(?:原创|独家|转载)\s*", "", candidate).strip()
            plain = not re.search(r"[:：>»/|]", candidate) and not re.search(r"\d{4}", candidate)
            if 2 <= len(candidate) <= 20 and plain and not NOT_SOURCE.match(candidate) and outlet_like(candidate) \
                    and not _TIME_LABEL.match(candidate) and candidate not in authors:
                return candidate
        return None
    return None
