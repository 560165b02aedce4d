"""From the container's blocks to the article: which lines are text, and which are something else.

Chinese portals put a lot inside the article container that is not article text: the headline
again, 原标题 and 来源 lines, bylines (新京报记者 陆一夫), share bars, pagination, photo credits,
counters, and at the end "相关阅读" lists and comment forms. Each line is classified on its own,
by what it says and how much of it is links; credit and metadata lines are set aside for the
attribution and time readers instead of being thrown away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from . import attribution, names, traditional
from .content import Block
from .rules import BOILERPLATE_LINES, TAIL_MARKERS
from .times import SHANGHAI, find_times, parse_time

# find_times needs a clock for year-less forms; which year does not matter for "is this a time".
_NOW = datetime(2100, 1, 1, tzinfo=SHANGHAI)

_NORM = re.compile(r"[\s\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[，。！？；：、“”]")
_BOILERPLATE = re.compile("|".join(BOILERPLATE_LINES), re.IGNORECASE)
_TAIL = re.compile(
    r"^[\s【\[《<#\-—=·•]*(?:" + "|".join(TAIL_MARKERS) + r")[\s】\]》>:：\-—=·•]*(?:[（(].{0,12}[)）])?$"
)
_META_LABEL = re.compile(r"来源|作者|编辑|发布|发表|更新|时间|日期|阅读|浏览|点击|评论|访问|字号|分享|举报")
_COUNTER = re.compile(
    r"(?:阅读|浏览|点击|评论|访问|跟贴|人参与)\s*[:：(（]?\s*\d+|\d+\s*(?:人参与|次阅读|条评论|人阅读)"
)
_MAYBE_TIME = re.compile(r"\d|刚刚|昨天|前天|今天|半小时")
_BREADCRUMB = re.compile(r"^(?:您的位置|您所在的位置|当前位置|现在位置|所在位置|位置)\s*[:：]")
_EN_DATE = re.compile(r"^\W*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+\w+\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}",
                      re.IGNORECASE)
_TAGS = re.compile(r"^[\w\u4e00-\u9fff]+(?:\s*[|｜]\s*[\w\u4e00-\u9fff]+){2,}$")


class Kind(StrEnum):
    TEXT = "text"
    HEADING = "heading"
    IMAGE = "image"
    CAPTION = "caption"
    TITLE = "title"  # the headline repeated in the body
    CREDIT = "credit"  # 来源/作者/记者/责任编辑/原标题 lines
    META = "meta"  # time lines, counters, breadcrumbs
    BOILERPLATE = "boilerplate"  # share bars, pagination, copyright, app prompts, photo credits
    LINKS = "links"  # a line that is mostly links
    JUNK = "junk"  # numbers, tag strings, symbols
    DUPLICATE = "duplicate"
    TAIL = "tail"  # 相关阅读 and everything after it


@dataclass
class Body:
    blocks: list[Block] = field(default_factory=list)  # what is kept, in order
    credits: list[str] = field(default_factory=list)  # credit and meta lines set aside, in order
    dropped: list[tuple[Kind, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks if b.kind != "img")


def norm(text: str) -> str:
    return _NORM.sub("", text)


def assemble(items: list[Block], title: str) -> Body:
    body = Body()
    seen: set[str] = set()
    title_n = norm(title)
    prose_total = sum(len(b.text) for b in items if b.kind == "p" and _is_prose(b))
    prose_before = 0
    skipping_insert = False
    for index, block in enumerate(items):
        if block.kind == "img":
            body.blocks.append(block)
            continue
        kind = classify(block, index, title_n, prose_before, len(body.blocks))
        if kind is Kind.TAIL:
            if prose_total - prose_before > 0.3 * max(prose_before, 1):
                # a "相关阅读" box inside the article, or at its top before any prose: skip it, go on
                skipping_insert = True
                body.dropped.append((kind, block.text))
                continue
            body.dropped.append((kind, block.text))
            body.dropped.extend((Kind.TAIL, b.text) for b in items[index + 1:] if b.kind != "img")
            break
        if skipping_insert:
            if kind in (Kind.TEXT, Kind.HEADING) and block.link_ratio < 0.3:
                skipping_insert = False
            else:
                body.dropped.append((Kind.LINKS, block.text))
                continue
        n = norm(block.text)
        if kind is Kind.TEXT and len(n) >= 10 and n in seen:
            kind = Kind.DUPLICATE
        if kind is Kind.CAPTION and (split := _split_photo_credit(block.text)) is not None:
            description, credit = split
            body.credits.append(credit)
            if not description:
                body.dropped.append((Kind.CREDIT, block.text))
                continue
            block = Block(block.kind, description, block.src, 0)
        if kind in (Kind.CREDIT, Kind.META):
            body.credits.append(block.text)
        if kind in (Kind.TEXT, Kind.HEADING, Kind.CAPTION):
            seen.add(n)
            body.blocks.append(block)
            if _is_prose(block):
                prose_before += len(block.text)
        else:
            body.dropped.append((kind, block.text))
    # A byline closing the article ("新京报记者 陆一夫", "（袁源）") is a credit, not text.
    while body.blocks and body.blocks[-1].kind != "img" and _closing_credit(body.blocks[-1].text):
        body.credits.append(body.blocks.pop().text)
    _split_closing_editor(body)
    return body


# The desk editor in brackets closing the article's last paragraph, maybe with a filing code:
# "…緩解。（編輯：蘇龍麒）1120221". What follows it is the page's, not the article's.
_CLOSING_EDITOR = re.compile(
    r"\s*[（(]\s*(?:责任编辑|責任編輯|编辑|編輯|责编|責編)\s*[:：][^（()）]{1,20}[)）]\s*\d{0,8}\s*$"
)


def _split_closing_editor(body: Body) -> None:
    for index, block in enumerate(body.blocks):
        if block.kind != "p" or (m := _CLOSING_EDITOR.search(block.text)) is None or not m.start():
            continue
        body.blocks[index] = Block(block.kind, block.text[:m.start()].rstrip(), block.src, block.linked)
        body.credits.append(m.group().strip())
        body.dropped.extend((Kind.TAIL, b.text) for b in body.blocks[index + 1:] if b.kind != "img")
        del body.blocks[index + 1:]
        return


def classify(block: Block, index: int, title_n: str, prose_before: int, kept: int) -> Kind:
    # Traditional labels (相關新聞, 編輯：) are read like Simplified ones; the line itself is kept as printed.
    text = traditional.simplified(block.text.strip())
    n = norm(text)
    if not n:
        return Kind.JUNK
    if block.kind == "caption":
        # a caption that is only a credit ("◎ 图：读者提供") is one; a credit after a description
        # is split off in assemble()
        return Kind.CREDIT if _photo_credit(text, leading_only=True) else Kind.CAPTION
    if kept < 4 and title_n and (n == title_n or (len(n) <= len(title_n) + 12 and title_n in n)):
        return Kind.TITLE
    if _tail(text):
        return Kind.TAIL
    if attribution.is_attribution_line(text):
        return Kind.CREDIT
    if kept < 3 and not block.linked and names.byline_only(text):
        return Kind.CREDIT  # the writer's name alone under the headline: 胡平
    if _is_meta(text, early=kept < 3):
        return Kind.META
    if len(text) < 200 and _BOILERPLATE.search(text):
        return Kind.BOILERPLATE
    if _photo_credit(text):
        if len(_CJK.findall(_TRAILING_PHOTO_CREDIT.sub("", text))) >= 8 and not _LEADING_CREDIT.search(text):
            return Kind.TEXT  # a photo's description with its credit tail, as printed: "游客赏花。新华社记者 王凯 摄"
        return Kind.CREDIT  # "新华社记者 张三 摄", "河南商报记者马俊峰/文受访者供图": credits, and some name the writer
    if block.link_ratio > 0.5 and (len(text) < 120 or not _SENTENCE.search(text)):
        return Kind.LINKS
    if not _CJK.search(text) and len(text) < 40 and not re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}", text):
        return Kind.JUNK
    if _TAGS.match(text) and len(text) < 60:
        return Kind.JUNK
    return Kind.HEADING if block.kind == "h" else Kind.TEXT


@lru_cache(maxsize=8192)  # short texts repeat across a page and across pages (分享, 首页, 更多)
def is_tail_marker(line: str) -> bool:
    """A heading that ends the article: 相关新闻, 推荐阅读, 相關閱讀 (Traditional read as Simplified)."""
    return _tail(traditional.simplified(line.strip()))


def _tail(text: str) -> bool:
    return len(text) <= 24 and bool(_TAIL.match(text))


def _is_prose(block: Block) -> bool:
    return len(_SENTENCE.findall(block.text)) >= 2 and block.link_ratio < 0.3


def _is_meta(text: str, early: bool) -> bool:
    """Time, counter and location lines: '2005-04-05 06:40更新 来源：转载文章', '阅读(1660)'."""
    if len(text) > 120:
        return False
    if _BREADCRUMB.match(text) or _EN_DATE.match(text):
        return True
    if _COUNTER.search(text) and len(text) < 80:
        return True
    has_time = bool(_MAYBE_TIME.search(text)) and next(iter(find_times(text, _NOW)), None) is not None
    if has_time and _META_LABEL.search(text) and len(text) < 80 and not re.search(r"[。！？]", text):
        return True
    bare = re.sub(r"https?://\S+|www\.\S+", "", text)  # a site's own address beside the date
    if early and has_time and len(bare) < 30 and not re.search(r"[，。！？；]", bare):
        # a date line at the top ("2012年6月24日", "2003-7-24 钱江晚报")
        match = parse_time(bare, _NOW)
        return match is not None and len(norm(bare)) - len(norm(match.raw)) <= 8
    return False


_LEADING_CREDIT = re.compile(
    r"^[▲△↑◎●\s]*(?:图片来自|图片来源|图源|图/|资料图(?!\s*[:：]\s*[^\s]{6,})|供图|视频截图)"
    # "◎ 图：123rf", "图：@某某微博截图", "圖：讀者提供": a source, not a description
    r"|^[▲△↑◎●\s]*(?:图|圖)\s*[:：]\s*(?:@|[A-Za-z0-9][\w .\-]*$|.{0,16}(?:截图|截圖|提供|供图|供圖)$)"
)
_PHOTO_CREDIT = re.compile(_LEADING_CREDIT.pattern + r"|(?:供图|摄|图片来源[:：].{0,20})\s*[)）]?\s*$")


def _photo_credit(text: str, leading_only: bool = False) -> bool:
    return len(text) < 40 and bool((_LEADING_CREDIT if leading_only else _PHOTO_CREDIT).search(text))


_TRAILING_PHOTO_CREDIT = re.compile(
    r"\s*[（(]?\s*(?:[\u4e00-\u9fff·]{0,10}?(?:记者|通讯员|摄影师?)\s*)?[\u4e00-\u9fff·]{2,4}\s*/?\s*(?:摄影?|拍摄)\s*[）)]?\s*$"
    r"|\s*[（(]?\s*[\u4e00-\u9fff·A-Za-z]{0,16}供图\s*[）)]?\s*$"
)


def _split_photo_credit(text: str) -> tuple[str, str] | None:
    """'杭州现场。新华社记者 张三 摄' → ('杭州现场。', '新华社记者 张三 摄'); None without a credit."""
    m = _TRAILING_PHOTO_CREDIT.search(text)
    if m is None:
        return None
    return text[: m.start()].strip(), m.group().strip()


def _closing_credit(text: str) -> bool:
    stripped = text.strip()
    if len(stripped) > 40:
        return False
    if _BRACKETED_WORD.match(stripped):
        return True  # "(中時 )", "（新华社）", "（完）": the outlet or an end mark, in brackets on its own line
    return attribution.is_attribution_line(stripped) or bool(names.tail_names(stripped) and stripped[:1] in "（(")


_BRACKETED_WORD = re.compile(r"^[（(]\s*[\u4e00-\u9fff·]{1,8}\s*[)）]$")

