"""Score extraction against a gold directory laid out like ../shared/data/zh-news-pages.

    <dir>/gold.jsonl      one object per page: id, url?, captured?, title?, published?, author?, source?, text
    <dir>/pages/<id>.html the page bytes

Body: F1 over character bigrams, whitespace and punctuation removed, macro-averaged over pages.
Time: counts when ours equals the gold to the gold's precision (a gold date checks only the date).
Title, source, author: normalised equality (NFKC, no whitespace; authors as a set of names).
A field whose gold is null is not scored.

When the directory has a `manifest.tsv` with a `notes` column (as zh-news-pages does), gold lines
that its flags mark as following another convention are stripped before scoring, as that data
set's README allows: the repeated headline (`text_includes_headline`, when it equals the title the
extractor found), a trailing 责任编辑 line (`text_includes_editor_line`) and a government metadata
box (`text_includes_metadata_box`). Every extractor scored here is scored against the same gold.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .extract import Article, PageTime, extract
from .extract.times import SHANGHAI

_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_GOLD_TIME = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_NAME_SPLIT = re.compile(r"[\s、，,;；/]+")


def bigrams(text: str) -> Counter[str]:
    s = _DROP.sub("", text)
    return Counter(s[i:i + 2] for i in range(len(s) - 1))


def body_scores(predicted: str, gold: str) -> tuple[float, float, float]:
    """(precision, recall, F1) over character bigrams."""
    p, g = bigrams(predicted), bigrams(gold)
    overlap = sum((p & g).values())
    if not p or not g or not overlap:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def time_matches(ours: datetime | None, gold: str) -> bool:
    m = _GOLD_TIME.match(gold.strip())
    if m is None or ours is None:
        return False
    local = ours.astimezone(SHANGHAI)
    ours_parts = (local.year, local.month, local.day, local.hour, local.minute, local.second)
    return all(int(g) == o for g, o in zip(m.groups(), ours_parts, strict=True) if g is not None)


def normalise(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def same_authors(ours: tuple[str, ...], gold: str) -> bool:
    """The same people, in any order: both sides split the same way (so "周思博 (Joel Spolsky)" is
    compared part by part on both)."""
    def split(text: str) -> set[str]:
        return {normalise(n) for n in _NAME_SPLIT.split(text) if normalise(n)}

    return split(" ".join(ours)) == split(gold)


@dataclass(frozen=True)
class PageRow:
    """One page's scores, for the per-page table: what we said next to what the gold says."""

    id: str
    f1: float
    title: bool | None  # None: the gold does not score this field
    time: bool | None
    time_ours: str
    time_gold: str
    source: bool | None
    source_ours: str
    source_gold: str
    author: bool | None
    author_ours: str
    author_gold: str


@dataclass
class Report:
    pages: int = 0
    seconds: float = 0.0
    none: list[str] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    title: list[bool] = field(default_factory=list)
    title_prefix: list[bool] = field(default_factory=list)  # lenient: the gold title begins ours (site suffix left on)
    time: list[bool] = field(default_factory=list)
    author: list[bool] = field(default_factory=list)
    source: list[bool] = field(default_factory=list)
    rows: list[PageRow] = field(default_factory=list)

    @staticmethod
    def mean(values: Sequence[float]) -> float | None:
        return sum(values) / len(values) if values else None

    def figures(self) -> dict[str, float | None]:
        return {
            "body_f1": self.mean(self.f1), "body_precision": self.mean(self.precision),
            "body_recall": self.mean(self.recall), "title": self.mean(self.title),
            "title_prefix": self.mean(self.title_prefix), "time": self.mean(self.time),
            "author": self.mean(self.author), "source": self.mean(self.source),
            "pages_per_s": self.pages / self.seconds if self.seconds else None,
        }

    def line(self) -> str:
        def fmt(v: float | None, digits: int = 3) -> str:
            return "  n/a" if v is None else f"{v:.{digits}f}"

        f = self.figures()
        return (f"body F1 {fmt(f['body_f1'])} (P {fmt(f['body_precision'])} R {fmt(f['body_recall'])}) · "
                f"title {fmt(f['title'], 2)} · time {fmt(f['time'], 2)} · author {fmt(f['author'], 2)} · "
                f"source {fmt(f['source'], 2)} · {fmt(f['pages_per_s'], 1)} pages/s ({self.pages} pages)")


_SHOWN_LENGTH = {"year": 4, "month": 7, "day": 10, "minute": 16, "second": 19}


def _shown(time: PageTime) -> str:
    """A time to the precision the page stated it: 2016-08-26, 2016-08-26T14:43."""
    return time.value.astimezone(SHANGHAI).isoformat(timespec="seconds")[:_SHOWN_LENGTH[time.precision.value]]


def table(rows: Sequence[PageRow]) -> list[str]:
    """The per-page table: body F1, then each scored field as ✓ or ✗ ours → gold (· when unscored)."""
    def cell(ok: bool | None, ours: str, gold: str) -> str:
        if ok is None:
            return "·"
        return "✓ " + ours if ok else f"✗ {ours} → {gold}"

    width = max((len(r.id) for r in rows), default=2)
    out = [f"{'id':<{width}}  body   title  time / 来源 / author"]
    for r in rows:
        title = "·" if r.title is None else ("✓" if r.title else "✗")
        fields = (cell(r.time, r.time_ours, r.time_gold), cell(r.source, r.source_ours, r.source_gold),
                  cell(r.author, r.author_ours, r.author_gold))
        out.append(f"{r.id:<{width}}  {r.f1:.3f}  {title:<5}  {' / '.join(fields)}")
    return out


Extractor = Callable[[bytes, str], Article | None]

_BOX_LABEL = re.compile(r"索\s*引\s*号|分\s*类|发文机关|成文日期|标\s*题|发文字号|发布日期|主\s*题\s*词")


def manifest_flags(directory: Path) -> dict[str, set[str]]:
    """id → convention flags from a data set's manifest.tsv (empty when there is none)."""
    path = directory / "manifest.tsv"
    if not path.exists():
        return {}
    rows = path.read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    if "notes" not in header:
        return {}
    at = header.index("notes")
    flags = {}
    for row in rows[1:]:
        cells = row.split("\t")
        if len(cells) > at and cells[at].strip():
            flags[cells[0]] = {f.strip() for f in cells[at].split(",")}
    return flags


def gold_text(gold: dict[str, Any], flags: set[str], title: str | None) -> str:
    """The gold body with the lines its flags mark as another convention taken out."""
    lines = (gold.get("text") or "").split("\n")
    if "text_includes_headline" in flags and title:
        while lines and normalise(lines[0]) and normalise(lines[0]) in normalise(title):
            lines = lines[1:]
    if "text_includes_editor_line" in flags:
        lines = [line for line in lines if not re.match(r"\s*[（(]?\s*责任编辑", line)]
    if "text_includes_metadata_box" in flags:
        lines = [line for line in lines if len(_BOX_LABEL.findall(line)) < 2]
    return "\n".join(lines)


def evaluate(directory: Path, extractor: Extractor | None = None) -> Report:
    """Run `extractor` (ours by default) over every gold page and score it."""
    directory = Path(directory)
    gold_path = directory / "gold.jsonl"
    if not gold_path.exists():
        raise FileNotFoundError(f"{gold_path} not found (expected gold.jsonl and pages/<id>.html)")
    golds = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    bodies = {g["id"]: (directory / "pages" / f"{g['id']}.html").read_bytes() for g in golds}
    def ours(gold: dict[str, Any]) -> Extractor:
        # The capture time is unknown unless the gold states it (`captured`, ISO 8601 with offset).
        captured = datetime.fromisoformat(gold["captured"]) if gold.get("captured") else None
        return lambda body, url: extract(body, url, {}, captured=captured)

    def runner(gold: dict[str, Any]) -> Extractor:
        return extractor or ours(gold)
    flags = manifest_flags(directory)
    report = Report()
    for gold in golds[:3]:  # warm up: imports and caches are not per-page work
        runner(gold)(bodies[gold["id"]], gold.get("url") or "http://example.invalid/")
    for gold in golds:
        url = gold.get("url") or "http://example.invalid/"
        run = runner(gold)
        started = time.perf_counter()
        article = run(bodies[gold["id"]], url)
        report.seconds += time.perf_counter() - started
        report.pages += 1
        if article is None:
            report.none.append(gold["id"])
        expected = gold_text(gold, flags.get(gold["id"], set()), article.title if article else None)
        p, r, f1 = body_scores(article.text if article else "", expected)
        report.precision.append(p)
        report.recall.append(r)
        report.f1.append(f1)
        title = time_ok = author = source = None
        if gold.get("title"):
            title = article is not None and normalise(article.title) == normalise(gold["title"])
            report.title.append(title)
            lenient = article is not None and normalise(article.title).startswith(normalise(gold["title"]))
            report.title_prefix.append(lenient)
        ours_time = article.published if article else None
        if gold.get("published"):
            time_ok = ours_time is not None and time_matches(ours_time.value, gold["published"])
            report.time.append(time_ok)
        if gold.get("author"):
            author = article is not None and same_authors(article.authors, gold["author"])
            report.author.append(author)
        if gold.get("source"):
            source = article is not None and normalise(article.source) == normalise(gold["source"])
            report.source.append(source)
        report.rows.append(PageRow(
            gold["id"], f1, title, time_ok,
            _shown(ours_time) if ours_time else "—",
            gold.get("published") or "—", source, (article.source if article else None) or "—",
            gold.get("source") or "—", author, "、".join(article.authors) if article and article.authors else "—",
            gold.get("author") or "—"))
    return report
