"""The demo news world: which outlet published which story when, who reprinted it, what changed.

Everything is a pure function of (seed, number of articles, anchor time, edition), so a test can
rebuild exactly the site a crawl saw. Editions model the passing of time between two crawls:
in edition 1 some articles have been edited and some removed.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from . import vocab
from .grammar import Story, make_story, person_name

SHANGHAI = ZoneInfo("Asia/Shanghai")
CATEGORY_NAMES = list(vocab.CATEGORIES)
STEP = timedelta(minutes=15)  # one article every quarter of an hour, newest first


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    charset: str
    share: range  # article i belongs to this outlet when i % 10 is in `share`


OUTLETS = (
    Outlet("huaxia", "华夏日报", "gbk", range(4)),  # GBK, no charset in the HTTP header, listings
    Outlet("dongfang", "东方新闻网", "utf-8", range(4, 7)),  # UTF-8, JSON-LD, RSS and news sitemaps
    Outlet("nanfeng", "南风资讯", "utf-8", range(7, 10)),  # aggregator: 来源/本文转自, relative times
)
OUTLET_BY_KEY = {o.key: o for o in OUTLETS}


@dataclass(frozen=True)
class ArticleMeta:
    """The cheap facts of an article: enough for URLs, listings and sitemaps."""

    published: datetime
    category: str
    reprint_of: int | None
    edited_in: int | None
    removed_in: int | None

    def is_removed(self, edition: int) -> bool:
        return self.removed_in is not None and edition >= self.removed_in


@dataclass(frozen=True)
class DemoArticle:
    id: int
    outlet: Outlet
    story: Story
    published: datetime
    authors: tuple[str, ...]
    editor: str
    reprint_of: int | None  # id of the original article when this is a reprint
    noarchive: str | None  # "meta" or "header" for the articles whose publisher forbids archiving
    edited_in: int | None  # first edition in which the text differs
    removed_in: int | None  # first edition in which the article is gone

    @property
    def category(self) -> str:
        return self.story.category

    @property
    def category_slug(self) -> str:
        return vocab.CATEGORIES[self.category]["slug"]

    def is_removed(self, edition: int) -> bool:
        return self.removed_in is not None and edition >= self.removed_in

    def title(self, edition: int) -> str:
        if self.edited_in is not None and edition >= self.edited_in:
            return self.story.title + "（更新）"
        return self.story.title

    def paragraphs(self, edition: int) -> tuple[str, ...]:
        if self.edited_in is not None and edition >= self.edited_in:
            return (
                *self.story.paragraphs,
                f"【更新】截至发稿时，{self.story.dateline_place}方面又公布了{self.story.keyword}的最新进展，本文已据此补充。",
            )
        return self.story.paragraphs


class DemoSite:
    """A deterministic news site: `articles` articles over three outlets, newest published at `anchor`."""

    def __init__(self, articles: int = 300, seed: int = 1, anchor: datetime | None = None,
                 edition: int = 0, frozen_clock: bool = False) -> None:
        if articles < 30:
            raise ValueError("the demo site needs at least 30 articles")
        self.count = articles
        self.seed = seed
        self.anchor = (anchor or datetime.now(SHANGHAI)).astimezone(SHANGHAI).replace(second=0, microsecond=0)
        self.edition = edition
        self.frozen_clock = frozen_clock
        self.article = lru_cache(maxsize=8192)(self._article)
        self._ids_cache: dict[tuple[str, str | None], list[int]] = {}

    def now(self) -> datetime:
        """The site's clock, for relative times: wall time, or the anchor when frozen (tests)."""
        return self.anchor if self.frozen_clock else datetime.now(SHANGHAI)

    def origin(self, i: int) -> int:
        """The article a reprint copies (following reprints of reprints); an original is its own."""
        while (source := self._meta[i].reprint_of) is not None:
            i = source
        return i

    def outlet_of(self, i: int) -> Outlet:
        return next(o for o in OUTLETS if i % 10 in o.share)

    def _unit(self, i: int, salt: str) -> float:
        digest = hashlib.blake2b(f"{self.seed}:{salt}:{i}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64

    def _article(self, i: int) -> DemoArticle:
        if not 0 <= i < self.count:
            raise KeyError(i)
        m = self._meta[i]
        rng = random.Random(f"{self.seed}:people:{i}")
        if m.reprint_of is not None:
            story = self.article(m.reprint_of).story
        else:
            story = make_story(self.seed, i, m.category, f"{m.published.month}月{m.published.day}日")
        return DemoArticle(
            id=i, outlet=self.outlet_of(i), story=story, published=m.published,
            authors=tuple(person_name(rng) for _ in range(rng.choice((1, 1, 2)))), editor=person_name(rng),
            reprint_of=m.reprint_of, noarchive=self.noarchive_ids.get(i),
            edited_in=m.edited_in, removed_in=m.removed_in,
        )

    @cached_property
    def _meta(self) -> list[ArticleMeta]:
        """Who published what, when, and what becomes of it; cheap, so computed for all at once.

        Built oldest first, because a reprint points at an older original whose own entry must exist.
        """
        meta: dict[int, ArticleMeta] = {}
        for i in reversed(range(self.count)):
            rng = random.Random(f"{self.seed}:article:{i}")
            published = self.anchor - i * STEP - timedelta(minutes=rng.randint(0, 9))
            outlet = self.outlet_of(i).key
            reprint_of = None
            wants_reprint = ((outlet == "nanfeng" and rng.random() < 0.65)
                             or (outlet == "dongfang" and rng.random() < 0.2))
            if wants_reprint and i not in self.noarchive_ids:
                # Most 南风资讯 items and a fifth of 东方新闻网's reprint a recent original of another outlet.
                candidates = [j for j in range(i + 1, min(i + 15, self.count))
                              if self.outlet_of(j).key != outlet and self.outlet_of(j).key != "nanfeng"
                              and meta[j].reprint_of is None]
                reprint_of = rng.choice(candidates) if candidates else None
            category = meta[reprint_of].category if reprint_of is not None else rng.choice(CATEGORY_NAMES)
            stable = i in self.noarchive_ids
            edited = not stable and self._unit(i, "edit") < 0.05
            removed = not stable and not edited and self._unit(i, "remove") < 0.03
            meta[i] = ArticleMeta(published, category, reprint_of, 1 if edited else None, 1 if removed else None)
        return [meta[i] for i in range(self.count)]

    @cached_property
    def noarchive_ids(self) -> dict[int, str]:
        """Two 东方新闻网 articles forbid archiving: one by meta robots, one by X-Robots-Tag."""
        ids = [i for i in range(3, self.count) if self.outlet_of(i).key == "dongfang"][:2]
        return dict(zip(ids, ("meta", "header"), strict=False))

    def ids(self, outlet: str, category: str | None = None) -> list[int]:
        """Article ids of an outlet (optionally one category) visible in this edition, newest first."""
        key = (outlet, category)
        if key not in self._ids_cache:
            self._ids_cache[key] = [
                i for i in self._ids_by_outlet[outlet]
                if not self._meta[i].is_removed(self.edition)
                and (category is None or self._meta[i].category == category)
            ]
        return self._ids_cache[key]

    def set_edition(self, edition: int) -> None:
        self.edition = edition
        self._ids_cache.clear()

    def meta(self, i: int) -> ArticleMeta:
        """Category, publish time and fate of article i, without generating its text."""
        return self._meta[i]

    @cached_property
    def _ids_by_outlet(self) -> dict[str, list[int]]:
        by: dict[str, list[int]] = {o.key: [] for o in OUTLETS}
        for i in range(self.count):
            by[self.outlet_of(i).key].append(i)
        return by
