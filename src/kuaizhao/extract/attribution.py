"""来源, 本文转自, 原标题, 作者/记者 and 责任编辑, read from the lines around and inside an article.

They are separate fields with separate meanings: 来源 credits the outlet the text came from,
本文转自 / 转载自 / 稿件来源 give the reprint chain, 原标题 the title it first ran under, 作者 / 记者
name who wrote it, and 责任编辑 who edited it. Confusing them is the commonest attribution error, so
each has its own pattern, a value never runs into the next label, and a person is accepted only
when the words look like Chinese names (a known surname and one or two more characters, ending
where a byline's names end) — so that "记者从省交通厅获悉" names nobody.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import datelines, traditional, unlabelled
from .names import (
    LATIN_NAME,
    is_name,
    labelled_names,
    leading_names,
    names,
    tail_names,
)
from .outlets import outlet_like
from .zone import Fragment

_LABELS = (
    r"来源于|来源|来自|出处|稿源|本文转自|转载自|转载来源|转自|稿件来源|原标题|原题|作者|记者|撰文|撰稿|通讯员|"
    r"实习生|责任编辑|责编|编辑|校对|审核|审校|监制|摄影|图片|发布时间|发表时间|更新时间|时间|日期|发布日期|"
    r"字号|阅读次数|浏览次数|点击次数|点击数|点击量|访问量|访问次数|阅读量|浏览量|阅读|浏览|点击|分享|评论|打印|关闭|举报|"
    r"发文机关|发布机构|译者|翻译|译"
)
_SEP = r"\s*[:：]\s*"
# A value ends at two spaces, a bar, the next label, a bracket, or the end of the line.
_VALUE_END = rf"(?=\s{{2,}}|\s*[|｜]|\s*(?:{_LABELS})\s*[:：]|[　\t\n]|$|\s*[)）\]】])"
_VALUE = r"[\[【\s]*(?P<v>[^\s:：|｜\n　\[\]【】][^:：|｜\n　\[\]【】]*?)[\]】\s]*"

# Not after 转/稿件/本文… (their own patterns) nor after 图片/视频/数据 (a picture's or a chart's credit).
_SOURCE = re.compile(
    rf"(?<![转稿件本文章息载图片频据像])(?:来源于|来源|来自|出处|稿源)(?:于)?{_SEP}{_VALUE}{_VALUE_END}"
)
_ARTICLE_SOURCE = re.compile(rf"(?:本文|文章|信息|新闻|内容)来源(?:于|自)?{_SEP}{_VALUE}{_VALUE_END}")
_REPOST = re.compile(rf"(?P<label>本文转自|转载自|转载来源|转自|稿件来源|原载){_SEP}{_VALUE}{_VALUE_END}")
_ORIGINAL_TITLE = re.compile(r"[（(]?\s*原标?题\s*[:：]\s*(?P<v>.+?)\s*[）)]?\s*$")
_EDITOR = re.compile(r"(?:责任编辑|责编|编辑)\s*[:：/]?\s*(?P<v>[^\s:：|｜\n　()（）\[\]【】/]{2,12})")
# The value of 作者： is the rest of the line up to the next label; `names()` keeps its leading
# names, so "作者:zboygirl 阅读(1660)" and "作者：周思博 (Joel Spolsky) 译：…" both read right.
_AUTHOR_LABEL = re.compile(
    rf"(?<![责任编])(?:作者|撰文|撰稿|执笔|文)\s*[:：/／]\s*(?P<v>.+?)(?=\s{{2,}}|\s*[|｜]|\s*(?:{_LABELS})\s*[:：]|$)"
)
# 作者 followed by a space instead of a colon ("《棱镜》作者 周纯"): only real names count after it.
_AUTHOR_SPACED = re.compile(r"(?:^|(?<=[\s》」』”)）]))(?:作者|撰文|执笔|作者为)\s+(?P<v>\S.*)$")
_ISSUER = re.compile(rf"(?:发文机关|发布机构|发文单位){_SEP}(?P<v>[^\s:：|｜\n　]{{2,30}})")
_ROLE = re.compile(
    r"(?:本报|本台|本刊|本网|特约|特派|实习)?(?:记者|通讯员|实习生|文\s*[/／|｜]|文\s*[:：])\s*[:：]?\s*"
)
_NAME_THEN_WEN = re.compile(r"(?P<v>[\u4e00-\u9fff·]{2,4})\s*[/／]\s*文(?![\u4e00-\u9fff]{2})")
# Cheap test before the full parse: could this line be a credit at all?
_MAYBE_CREDIT = re.compile(r"^\s*[（(]?\s*文\s*[/／:：|｜]|来源|来自|出处|稿源|转自|转载|原标?题|作者|撰|记者|通讯员|"
                           r"实习生|编辑|责编|校对|审核|"
                           r"发文机关|供稿|摄|[（(][^()（）]{2,30}[)）]\s*$|/\s*文|\[\s*\S")
# A unit credited for the copy or its checking: 供稿：丰泽公安分局, （审核：宣传科）.
_UNIT_CREDIT = re.compile(
    r"^[（(]?\s*(?:供稿|稿件提供|供图|审核|审稿|监制|出品|制作)\s*[:：/／]\s*[^，。！？；\s]{2,20}\s*[)）]?$"
)
_STAFF_CODE = re.compile(r"_[A-Za-z]{0,4}\d+$")
# The reprint chain, nearest hop first: 本文转自 (where this copy came from), then 转载自, then the
# origin (稿件来源, 原载).
_REPOST_RANK = {"本文转自": 0, "转自": 0, "转载自": 1, "转载来源": 1, "稿件来源": 2, "原载": 2}
# 摄 after a name credits the photographer ("惠禾 摄"); 摄影 before one is the next credit's label.
_PHOTOGRAPHER = re.compile(r"\s*(?:摄影|摄(?!影)|拍摄|供图|/摄)(?!\s*[:：/／]?\s*[\u4e00-\u9fff]{2})")
_TRAILING_JUNK = re.compile(r"[\s\d]*(?:人参与|人评论|条评论|评论|举报|分享|关注|阅读|跟贴|收藏).*$")


@dataclass
class Attribution:
    source: str | None = None
    reposted_from: list[str] = field(default_factory=list)
    repost_ranks: list[int] = field(default_factory=list)  # how far back each hop is (see _REPOST_RANK)
    original_title: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None

    def merge(self, other: Attribution) -> None:
        """Fill what is still missing from `other` (an earlier, more trusted finding wins)."""
        self.source = self.source or other.source
        self.editor = self.editor or other.editor
        self.original_title = self.original_title or other.original_title
        for chain, rank in zip(other.reposted_from, other.repost_ranks, strict=True):
            if chain not in self.reposted_from:
                self.reposted_from.append(chain)
                self.repost_ranks.append(rank)
        if not self.authors:
            self.authors = list(other.authors)


def _clean_outlet(value: str) -> str | None:
    """The outlet named by a credit value, or None when the value cannot be one."""
    value = _TRAILING_JUNK.sub("", value).strip(" 　\t|｜,，。;；[]【】")
    return value if 1 < len(value) <= 40 and outlet_like(value) else None




def parse_line(line: str) -> Attribution:
    """Attribution fields stated in one line of text (Traditional labels read as Simplified)."""
    mapped = traditional.simplified(line)
    found = _parse_line(mapped)
    if mapped != line:
        def printed(value: str) -> str:
            return traditional.as_printed(value, line, mapped) or value

        found.source = found.source and printed(found.source)
        found.reposted_from = [printed(v) for v in found.reposted_from]
        found.original_title = found.original_title and printed(found.original_title)
        found.authors = [printed(v) for v in found.authors]
        found.editor = found.editor and printed(found.editor)
    return found


def _parse_line(line: str) -> Attribution:
    found = Attribution()
    if m := _SOURCE.search(line) or _ARTICLE_SOURCE.search(line):
        found.source = _clean_outlet(m["v"])
    for m in _REPOST.finditer(line):
        value = _clean_outlet(m["v"])
        if value and value not in found.reposted_from:
            found.reposted_from.append(value)
            found.repost_ranks.append(_REPOST_RANK[m["label"]])
    if m := _ORIGINAL_TITLE.search(line):
        found.original_title = m["v"].strip() or None
    found.authors = _authors_in(line)
    if m := _EDITOR.search(line):
        editor = _STAFF_CODE.sub("", m["v"].strip())  # 杨倩_NF4425: a portal's staff code after the name
        found.editor = editor if is_name(editor) or LATIN_NAME.match(editor) else None
    return found


def authors_in(line: str) -> list[str]:
    """Every byline name in a line: labelled (作者：), by role (本报记者 张三), or 张三/文."""
    mapped = traditional.simplified(line)
    return [traditional.as_printed(n, line, mapped) or n for n in _authors_in(mapped)]


def _authors_in(line: str) -> list[str]:
    if (m := _AUTHOR_LABEL.search(line)) and (labelled := names(m["v"])):
        return labelled
    if (m := _AUTHOR_SPACED.search(line)) and (spaced := names(m["v"])):
        return spaced
    if m := _ISSUER.search(line):
        return [m["v"]]
    found: list[str] = []
    for m in _ROLE.finditer(line):
        after = line[m.end():]
        names_here = leading_names(after)
        if names_here and _PHOTOGRAPHER.match(after[after.find(names_here[-1]) + len(names_here[-1]):]):
            continue  # "本报记者 惠禾 摄": the photographer of a picture, not the writer
        for name in names_here:
            if name not in found:
                found.append(name)
    if not found and (m := _NAME_THEN_WEN.search(line)) and is_name(m["v"]):
        found.append(m["v"])
    return found


def is_attribution_line(line: str) -> bool:
    """A line that only states attribution (责任编辑：张三 / 本文转自：人民网 / 新京报记者 陆一夫)."""
    stripped = line.strip()
    if len(stripped) > 80 or not _MAYBE_CREDIT.search(stripped):
        return False
    if _UNIT_CREDIT.match(stripped):
        return True
    found = parse_line(stripped)
    if not (found.source or found.reposted_from or found.original_title or found.authors or found.editor):
        return bool(tail_names(stripped)) and stripped[:1] in "（("
    rest = stripped
    for pattern in (_SOURCE, _ARTICLE_SOURCE, _REPOST, _ORIGINAL_TITLE, _EDITOR, _AUTHOR_LABEL, _ISSUER):
        rest = pattern.sub("", rest)
    for name in found.authors:
        rest = rest.replace(name, "")
    rest = _ROLE.sub("", rest)
    rest = re.sub(r"(?:报道|摄影|摄|供稿|校对|审核|监制|发自\S{0,6})", "", rest)
    rest = re.sub(r"[\s【】\[\]()（）|｜:：/／·、,，。]", "", rest)
    # What is left may be the outlet before 记者 (新京报, 扬子晚报): a few characters at most.
    return len(rest) <= 6 or is_credit_line(stripped)


_CREDIT_WORDS = re.compile(r"供稿|摄影|摄|编辑|责编|校对|审核|审校|监制|来源|作者|记者|通讯员|制图|美编|统筹")


def is_credit_line(line: str) -> bool:
    """A short line of production credits: '医技药剂党支部供稿 摄影/张艳 编辑/苏芳'."""
    return len(line) <= 50 and len(_CREDIT_WORDS.findall(line)) >= 2 and not re.search(r"[。！？]", line)


def parse_lines(lines: list[str]) -> Attribution:
    """Merge the attribution stated over several lines, earlier lines first; bylines on
    consecutive lines add up (本报实习生 张三 / 本报记者 李四)."""
    result = Attribution()
    for line in lines:
        found = parse_line(line)
        authors = [n for n in found.authors if n not in result.authors]
        result.merge(found)
        if authors and result.authors != found.authors and not _AUTHOR_LABEL.search(line):
            result.authors.extend(authors)
    return result


_SOURCE_HINT = re.compile(
    r"source|(?<![a-z])src|(?<![a-z_])media|media_?name|from|laiyuan|(?<![a-z])ly(?![a-z])|origin|account|publisher|"
    r"wemedia|nickname"
)
_AUTHOR_HINT = re.compile(r"author|writer|byline|reporter|(?<![a-z])zz(?![a-z])|zuozhe")


def attribute(zone_lines: list[str], zone_fragments: list[Fragment], credits: list[str], paragraphs: list[str],
              time_raw: str | None, sections: frozenset[str] = frozenset(), blog: bool = False) -> Attribution:
    """Everything the page says about who wrote it and where it came from, most trusted first.
    On a blog the 来源 is the blog itself (its name comes from the page's metadata), not a word
    beside the time."""
    found = parse_lines(zone_lines)
    if zone_lines:
        found.merge(parse_line(" ".join(zone_lines)))
    found.merge(parse_lines(credits))
    # An explicit 作者： anywhere outranks names found by role (记者 张三) elsewhere.
    labelled = [n for line in zone_lines + credits if (m := _AUTHOR_LABEL.search(line)) for n in names(m["v"])]
    if labelled:
        found.authors = list(dict.fromkeys(labelled))
    opening = paragraphs[:3]  # the dateline paragraph may follow a caption or a "图集" label
    closing = paragraphs[-2:]
    if not found.authors:
        for line in opening + closing + credits:
            if found.authors:
                break
            wire = datelines.bracketed(line)
            found.authors = wire[1] if wire else authors_in(line) or tail_names(line)
    if not found.authors:
        found.authors = unlabelled.bare_names(zone_fragments, credits, sections)
    if not found.authors:
        # Pen names after an explicit label (执笔/叨叨姐、胡一刀) count when no real name was found:
        # a blog's "作者：流泉" must not displace the 记者 the article itself names.
        for line in zone_lines + credits + opening + closing:
            if (m := _AUTHOR_LABEL.search(line)) and (pens := labelled_names(m["v"])):
                found.authors = pens
                break
    if found.authors:
        # …and a labelled list that names everyone found so far and more is the fuller byline.
        for line in zone_lines + credits + opening + closing:
            if (m := _AUTHOR_LABEL.search(line)) and (pens := labelled_names(m["v"])) \
                    and set(found.authors) < set(pens):
                found.authors = pens
                break
    named = list(found.authors)  # writers the page names as such (an account card's name may be the outlet)
    if not found.source or not found.authors:
        for frag in zone_fragments:
            text = frag.text.strip()
            if not found.source and _SOURCE_HINT.search(frag.hint) and not unlabelled.NOT_SOURCE.match(text) \
                    and len(text) <= 30:
                found.source = _clean_outlet(re.sub(r"^(?:本文|文章)?(?:来源|来自)(?:于|自)?\s*[:：]?\s*", "", text))
            if not found.authors and _AUTHOR_HINT.search(frag.hint):
                found.authors = names(re.sub(r"^(?:作者|记者)\s*[:：]?\s*", "", text))
    if not found.source and time_raw and not blog:
        found.source = unlabelled.beside_time(zone_fragments, time_raw, named)
    if not found.source:
        for line in opening:
            if m := datelines.AGENCY_DATELINE.match(line):
                found.source = m["agency"]
                break
            if wire := datelines.bracketed(line):
                found.source = wire[0]
                break
    # nearest hop first; a stable sort keeps page order within a kind
    order = sorted(range(len(found.reposted_from)), key=lambda i: found.repost_ranks[i])
    found.reposted_from = [found.reposted_from[i] for i in order]
    found.repost_ranks = [found.repost_ranks[i] for i in order]
    return found
