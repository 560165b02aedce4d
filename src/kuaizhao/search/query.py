"""The query language: parse what a reader typed, explain it back, compile it for tantivy.

    泰国 总理              words separated by spaces must all match (a word matches as a word:
                           the reader's word, segmented by rjieba, each piece in the text's words)
    "解散国会"             the exact substring, after folding 繁/简, full/half width and case;
                           spaces and punctuation inside match any spaces or punctuation
    英拉 OR 巴育           either
    -示威                  not
    site:sina.com.cn       the page's host or a parent domain
    source:新华社 来源:…   the outlet credited (来源), else the site's name
    category:国内 类别:…   a category, by name or URL name
    after:2023-01-01       published on or after that day (Beijing time); also 2023, 2023-01
    before:2023-02         published before that day
    title:总理  title:"…"  in the title (an exact substring)

Any of these may be negated with `-`. Quotes may be ASCII or Chinese (“…”, 「…」, 『…』), and the
colon full width (来源：新华社). A malformed query raises `QueryError` with a message a reader can
act on; nothing a reader types reaches tantivy's own parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import tantivy

from .. import fold
from ..exceptions import QueryError
from . import tokenize

CHINA = ZoneInfo("Asia/Shanghai")
TITLE_BOOST = 3.0  # a word in the title counts this much more than in the body (BM25 per field)
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
}
_FIELD = re.compile(r"(" + "|".join(sorted(map(re.escape, _FIELDS), key=len, reverse=True)) + r")[:：]", re.I)
_DATE = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?$")
# Function words that match nearly every article: dropped from an unquoted query unless they are
# all it has. (Quoted, they are matched like anything else.)
STOPWORDS = frozenset("的 了 是 在 和 与 及 或 等 也 就 都 而 被 把 对 从 向 以 为 于 之 其 这 那 个 着 过 吗 呢 吧 啊"
                      .split())


# --- the parsed query ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """An unquoted word; `pieces` are the folded words it was segmented into.

    When segmentation breaks it into single characters (中美 → 中 · 美, 习主席 → 习 · 主席), the
    pieces are no words a reader meant: `exact` is then the folded word, matched as the characters
    typed, contiguous (its pieces still rank), instead of one-character words anywhere in the text.
    """

    text: str
    pieces: tuple[str, ...]
    title_only: bool = False
    exact: str = ""
    span: tuple[int, int] = field(default=(0, 0), compare=False)  # where it was typed in Query.text


@dataclass(frozen=True)
class Phrase:
    """A quoted phrase: matches the exact (folded) substring."""

    text: str
    folded: str
    title_only: bool = False
    span: tuple[int, int] = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class AnyOf:
    """`a OR b OR …`"""

    options: tuple[Words | Phrase, ...]

    @property
    def span(self) -> tuple[int, int]:
        return self.options[0].span[0], self.options[-1].span[1]


@dataclass(frozen=True)
class Filter:
    kind: str  # site / source / category
    value: str  # as typed
    key: str  # as matched in the index
    span: tuple[int, int] = field(default=(0, 0), compare=False)


Clause = Words | Phrase | AnyOf | Filter


@dataclass(frozen=True)
class Query:
    text: str
    required: tuple[Clause, ...] = ()
    excluded: tuple[Clause, ...] = ()
    after: datetime | None = None
    before: datetime | None = None
    notes: tuple[str, ...] = field(default=())  # what was ignored, for the reader
    date_spans: tuple[tuple[int, int], ...] = field(default=(), compare=False)  # after: and before: as typed

    @property
    def is_empty(self) -> bool:
        return not (self.required or self.excluded or self.after or self.before)

    @property
    def has_limits(self) -> bool:
        """Whether anything beyond words and phrases narrows it: filters, dates, exclusions."""
        return bool(self.excluded or self.after or self.before or any(isinstance(c, Filter) for c in self.required))

    @property
    def has_text(self) -> bool:
        """Whether anything ranks (words or phrases), as opposed to filters only."""
        return any(not isinstance(c, Filter) for c in self.required)

    def highlight_terms(self) -> list[str]:
        """Folded strings to mark in excerpts: every positive word piece and phrase."""
        out: list[str] = []
        for clause in self.required:
            options = clause.options if isinstance(clause, AnyOf) else (clause,)
            for option in options:
                if isinstance(option, Words):
                    out.extend([option.exact] if option.exact else option.pieces)
                elif isinstance(option, Phrase):
                    out.append(option.folded)
        return list(dict.fromkeys(out))

    def explain(self) -> str:
        """How the query was understood, in the reader's terms (shown above the results)."""
        parts = [_explain(c) for c in self.required]
        parts += ["不含 " + _explain(c) for c in self.excluded]
        if self.after:
            parts.append(f"{self.after:%Y-%m-%d} 起")
        if self.before:
            parts.append(f"{self.before:%Y-%m-%d} 前")
        return "；".join(parts)


def _explain(clause: Clause) -> str:
    if isinstance(clause, Words):
        text = clause.text if clause.exact else " · ".join(clause.pieces)
        return f"标题含 {text}" if clause.title_only else text
    if isinstance(clause, Phrase):
        return f"标题含“{clause.text}”" if clause.title_only else f"“{clause.text}”"
    if isinstance(clause, AnyOf):
        return "（" + " 或 ".join(_explain(o) for o in clause.options) + "）"
    names = {"site": "网站", "source": "来源", "category": "类别"}
    return f"{names[clause.kind]}：{clause.value}"


# --- parsing ------------------------------------------------------------------------------------


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
        if token.field in ("site", "source", "category"):
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
        host = urlsplit(value if "//" in value else "//" + value).hostname or ""
        host = host.lower().removeprefix("www.") if host.count(".") > 1 else host.lower()
        if not host or "." not in host:
            raise QueryError(f"site: 需要一个域名，例如 site:news.cn（收到“{value}”）", at=token.at)
        return Filter("site", value, host)
    if token.field == "category":
        if categories is not None:
            name = categories.get(value) or categories.get(value.lower())
            if name is None:
                known = "、".join(sorted(set(categories.values())))
                raise QueryError(f"没有“{value}”这个类别；可用：{known}", at=token.at)
            return Filter("category", value, name)
        return Filter("category", value, value)
    return Filter("source", value, fold.fold(value))


def _parse_date(value: str, at: int) -> datetime:
    m = _DATE.match(value.strip())
    if not m:
        raise QueryError(f"日期“{value}”看不懂；请写成 2023-01-31、2023-01 或 2023", at=at)
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return datetime(year, month, day, tzinfo=CHINA)
    except ValueError:
        raise QueryError(f"没有这一天：{value}", at=at) from None


# --- compiling ----------------------------------------------------------------------------------


def _term(schema: tantivy.Schema, name: str, value: str | int) -> tantivy.Query:
    return tantivy.Query.term_query(schema, name, value)


def substring_query(schema: tantivy.Schema, name: str, folded: str) -> tantivy.Query:
    """Documents whose `name` bigram stream contains `folded` exactly (see tokenize.phrase_tokens)."""
    tokens = tokenize.phrase_tokens(folded)
    if len(tokens) == 1:
        t = tokens[0]
        if t.prefix:  # one character: a bigram starting with it, or it alone where a run ends
            return tantivy.Query.regex_query(schema, name, t.text + ".?")
        return _term(schema, name, t.text)
    if tokens[-1].prefix:
        words: list[str | tuple[int, str]] = [(t.position, t.text + ".?" if t.prefix else t.text) for t in tokens]
        return tantivy.Query.regex_phrase_query(schema, name, words)
    return tantivy.Query.phrase_query(schema, name, [(t.position, t.text) for t in tokens])


def _ranking(schema: tantivy.Schema, words: list[str]) -> list[tantivy.Query]:
    """BM25 clauses for `words` over body and (boosted) title."""
    out = []
    for w in dict.fromkeys(words):
        out.append(_term(schema, "words", w))
        out.append(tantivy.Query.boost_query(_term(schema, "title_words", w), TITLE_BOOST))
    return out


def _should(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _match(schema: tantivy.Schema, clause: Clause) -> tuple[tantivy.Query, list[tantivy.Query]]:
    """(what must match, what ranks) for one clause."""
    if isinstance(clause, Words) and clause.exact:
        exact = substring_query(schema, "bigrams", clause.exact)
        # Ranked by the word itself where the documents' segmentation kept it whole, and by its longer pieces.
        return tantivy.Query.const_score_query(exact, 0.0), _ranking(
            schema, [clause.exact, *(p for p in clause.pieces if len(p) > 1)])
    if isinstance(clause, Words):
        must = []
        ranking = []
        for piece in clause.pieces:
            ranked = _ranking(schema, [piece])
            must.append(_should(ranked))
            ranking.extend(ranked)
        if len(must) == 1:
            return must[0], []  # it ranks by itself
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, m) for m in must]), []
    if isinstance(clause, Phrase):
        exact = substring_query(schema, "title_bigrams" if clause.title_only else "bigrams", clause.folded)
        # The exact match decides; the phrase's words rank (bigram scores would be noise). Its words
        # as a reader reads them (default cut), not every search-mode sub-word: 新闻联播 ranks by
        # 新闻联播 alone, which is both the better score and a third of the scorers.
        return tantivy.Query.const_score_query(exact, 0.0), _ranking(schema, tokenize.segment(clause.folded))
    if isinstance(clause, AnyOf):
        options = []
        for option in clause.options:
            matches, ranking = _match(schema, option)
            options.append(_with_ranking(matches, ranking))
        return _should(options), []
    return _filter_query(schema, clause), []


def _with_ranking(must: tantivy.Query, ranking: list[tantivy.Query]) -> tantivy.Query:
    if not ranking:
        return must
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, must)] + [(tantivy.Occur.Should, r) for r in ranking])


def _filter_query(schema: tantivy.Schema, clause: Filter) -> tantivy.Query:
    name = {"site": "site", "source": "source_key", "category": "category"}[clause.kind]
    return tantivy.Query.const_score_query(_term(schema, name, clause.key), 0.0)


def compile_query(query: Query, schema: tantivy.Schema) -> tantivy.Query:
    """The tantivy query for a parsed query: required clauses Must, excluded MustNot, BM25 Should."""
    subqueries: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for clause in query.required:
        must, ranking = _match(schema, clause)
        subqueries.append((tantivy.Occur.Must, must))
        subqueries.extend((tantivy.Occur.Should, r) for r in ranking)
    for clause in query.excluded:
        subqueries.append((tantivy.Occur.MustNot, _match(schema, clause)[0]))
    if query.after or query.before:
        lower = int(query.after.timestamp()) if query.after else None
        upper = int(query.before.timestamp()) if query.before else None
        subqueries.append(
            (
                tantivy.Occur.Must,
                tantivy.Query.range_query(
                    schema, "time", tantivy.FieldType.Integer, lower, upper, include_lower=True,
                    include_upper=upper is None,  # tantivy: an open side counts as inclusive
                ),
            )
        )
    if not any(occur == tantivy.Occur.Must for occur, _ in subqueries):
        subqueries.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    if len(subqueries) == 1:
        return subqueries[0][1]
    return tantivy.Query.boolean_query(subqueries)
