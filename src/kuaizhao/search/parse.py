"""The query language: what a reader may type, and parsing it into a `query.Query`.

    泰国 总理              words separated by spaces must all match (a word matches as a word:
                           the reader's word, segmented by rjieba, each piece in the text's words)
    "解散国会"             the exact substring, after folding 繁/简, full/half width and case;
                           spaces and punctuation inside match any spaces or punctuation
    英拉 OR 巴育           either
    -示威                  not
    site:sina.com.cn       the page's host or a parent domain
    source:新华社 来源:…   the outlet credited (来源), else the site's name
    category:国内 类别:…   a category, by name or URL name
    status:removed 状态:已删除  the original deleted (edited, live, unreachable: docs/versions.md)
    after:2023-01-01       published on or after that day (Beijing time); also 2023, 2023-01
    before:2023-02         published before that day
    title:总理  title:"…"  in the title (an exact substring)

Any of these may be negated with `-`. Quotes may be ASCII or Chinese (“…”, 「…」, 『…』), and the
colon full width (来源：新华社). A malformed query raises `QueryError` with a message a reader can
act on; nothing a reader types reaches tantivy's own parser (compile.py builds its queries).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .. import fold
from ..exceptions import QueryError
from . import tokenize
from .query import AnyOf, Clause, Filter, Phrase, Query, Words

CHINA = ZoneInfo("Asia/Shanghai")
MAX_TERMS = 32  # more clauses than this is not a search but a paste; say so instead of grinding

_QUOTES = {'"': '"', "“": "”", "”": "”", "「": "」", "『": "』", "＂": "＂"}
_FIELDS = {
    "site": "site",
    "source": "source",
    "来源": "source",
    "category": "category",
    "类别": "category",
    "分类": "category",
    "after": "after",
    "before": "before",
    "title": "title",
    "标题": "title",
    "status": "status",
    "状态": "status",
}
# What became of the original: `status:removed`, `状态:已删除`.
_STATUSES = {"live": "live", "在线": "live", "edited": "edited", "已修改": "edited", "修改": "edited",
             "removed": "removed", "deleted": "removed", "已删除": "removed", "删除": "removed",
             "unreachable": "unreachable", "无法访问": "unreachable"}
_FIELD = re.compile(r"(" + "|".join(sorted(map(re.escape, _FIELDS), key=len, reverse=True)) + r")[:：]",
                    re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?$")
# Function words that match nearly every article: dropped from an unquoted query unless they are
# all it has. (Quoted, they are matched like anything else.)
STOPWORDS = frozenset("的 了 是 在 和 与 及 或 等 也 就 都 而 被 把 对 从 向 以 为 于 之 其 这 那 个 着 过 吗 呢 吧 啊"
                      .split())


@dataclass
class _Token:
    negated: bool
    field: str | None
    value: str
    quoted: bool
    at: int
    end: int


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        negated = False
        if text[i] in "-－" and i + 1 < n and not text[i + 1].isspace():
            negated, i = True, i + 1
        name = None
        m = _FIELD.match(text, i)
        if m:
            name, i = _FIELDS[m.group(1).lower()], m.end()
        if i < n and text[i] in _QUOTES:
            close = _QUOTES[text[i]]
            end = text.find(close, i + 1)
            if end < 0 and text[i] in "“”":  # a Chinese IME may give the same mark both ends
                end = text.find("“", i + 1)
            if end < 0:
                raise QueryError(f"引号没有配对：{text[start:start + 20]}…", at=start)
            tokens.append(_Token(negated, name, text[i + 1 : end], True, start, end + 1))
            i = end + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in _QUOTES:
            j += 1
        value = text[i:j]
        if name and not value:
            raise QueryError(f"“{text[start:i]}”后面缺少内容", at=start)
        tokens.append(_Token(negated, name, value, False, start, j))
        i = j
    return tokens


def parse(text: str, categories: dict[str, str] | None = None) -> Query:
    """Parse a reader's query; `categories` maps accepted names (and URL names) to index names."""
    text = text.strip()
    tokens = _lex(text)
    notes: list[str] = []
    required: list[Clause] = []
    excluded: list[Clause] = []
    after = before = None
    date_spans: list[tuple[int, int]] = []
    pending_or: list[Words | Phrase] | None = None
    expect_option = False

    def flush_or() -> None:
        nonlocal pending_or
        if pending_or is not None:
            required.append(AnyOf(tuple(pending_or)) if len(pending_or) > 1 else pending_or[0])
            pending_or = None

    for k, token in enumerate(tokens):
        if token.value == "OR" and not token.quoted and token.field is None and not token.negated:
            if pending_or is None or expect_option or k == len(tokens) - 1:
                raise QueryError("OR 的两边都需要检索词，例如：英拉 OR 巴育", at=token.at)
            expect_option = True
            continue
        if token.field in ("after", "before"):
            when = _parse_date(token.value, token.at)
            if token.negated:
                raise QueryError(f"{token.field}: 不能用“-”排除", at=token.at)
            date_spans.append((token.at, token.end))
            if token.field == "after":
                after = when
            else:
                before = when
            expect_option = False
            continue
        if token.field in ("site", "source", "category", "status"):
            clause: Clause = replace(_filter(token, categories), span=(token.at, token.end))
        else:
            text_clause = _text_clause(token, notes)
            if text_clause is None:
                continue
            clause = replace(text_clause, span=(token.at, token.end))
        if expect_option:
            if token.negated or isinstance(clause, Filter):
                raise QueryError("OR 只能连接检索词或短语", at=token.at)
            assert pending_or is not None and not isinstance(clause, AnyOf)
            pending_or.append(clause)
            expect_option = False
            continue
        flush_or()
        if token.negated:
            excluded.append(clause)
        elif isinstance(clause, Filter):
            required.append(clause)
        else:
            assert not isinstance(clause, AnyOf)
            pending_or = [clause]
    flush_or()
    if not (required or excluded or after or before):
        raise QueryError("检索式里没有可检索的文字" if text else "请输入检索词")
    if after and before and after >= before:
        raise QueryError("after: 的日期要早于 before: 的日期")
    if sum(_count(c) for c in required + excluded) > MAX_TERMS:
        raise QueryError(f"检索词太多（最多 {MAX_TERMS} 个）；要找一段原文，请加引号")
    return Query(text, tuple(required), tuple(excluded), after, before, tuple(notes), tuple(date_spans))


def _count(clause: Clause) -> int:
    if isinstance(clause, AnyOf):
        return sum(_count(o) for o in clause.options)
    if isinstance(clause, Words) and not clause.exact:
        return len(clause.pieces)
    return 1


def _text_clause(token: _Token, notes: list[str]) -> Words | Phrase | None:
    folded = fold.fold(token.value)
    title_only = token.field == "title"
    if not fold.word_runs(folded):
        if token.quoted:
            raise QueryError(f"引号里没有可检索的文字：“{token.value}”", at=token.at)
        notes.append(f"忽略了不含文字的“{token.value}”")
        return None
    if token.quoted or title_only:
        return Phrase(token.value, folded, title_only)
    pieces = tokenize.segment(folded)
    if len(pieces) > 1 and any(len(p) == 1 for p in pieces if p not in STOPWORDS):
        return Words(token.value, tuple(pieces), False, exact=folded.strip())
    kept = [p for p in pieces if p not in STOPWORDS] or pieces
    if len(kept) < len(pieces):
        notes.append("忽略了常用虚词：" + " ".join(p for p in pieces if p in STOPWORDS))
    return Words(token.value, tuple(kept), False)


def _filter(token: _Token, categories: dict[str, str] | None) -> Filter:
    value = token.value.strip()
    assert token.field is not None
    if token.field == "site":
        return Filter("site", value, _site_key(value, token.at))
    if token.field == "status":
        if (state := _STATUSES.get(value.lower())) is None:
            raise QueryError("status: 可以是 removed（已删除）、edited（已修改）、live（在线）或 "
                             f"unreachable（无法访问），收到“{value}”", at=token.at)
        return Filter("status", value, state)
    if token.field == "category":
        if categories is not None:
            name = categories.get(value) or categories.get(value.lower())
            if name is None:
                known = "、".join(sorted(set(categories.values())))
                raise QueryError(f"没有“{value}”这个类别；可用：{known}", at=token.at)
            return Filter("category", value, name)
        return Filter("category", value, value)
    return Filter("source", value, fold.fold(value))


def _site_key(value: str, at: int) -> str:
    """The `site` value (schema.site_values) a `site:` filter matches: a host, and its port when
    one is named (127.0.0.1:8101 is one site of 127.0.0.1); www. is dropped from a bare domain."""
    parts = urlsplit(value if "//" in value else "//" + value)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not host or "." not in host or port == -1:
        raise QueryError(f"site: 需要一个域名，例如 site:news.cn 或 site:127.0.0.1:8101（收到“{value}”）", at=at)
    if port in (None, 80, 443):
        return host.removeprefix("www.") if host.count(".") > 1 else host
    return f"{host}:{port}"


def _parse_date(value: str, at: int) -> datetime:
    m = _DATE.match(value.strip())
    if not m:
        raise QueryError(f"日期“{value}”看不懂；请写成 2023-01-31、2023-01 或 2023", at=at)
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return datetime(year, month, day, tzinfo=CHINA)
    except ValueError:
        raise QueryError(f"没有这一天：{value}", at=at) from None
