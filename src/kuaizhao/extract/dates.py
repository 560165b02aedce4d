"""Choosing a page's publish and update times among everything that looks like a time.

Every time stated on the page is a candidate with provenance; the best-supported one wins:
machine-readable declarations (JSON-LD, meta tags), then labelled times near the headline
(发布时间：), then other times near the headline, then times in credit lines, then the URL.
A time stated more precisely for the same day replaces a date-only one, so that
`<meta content="2022-02-13">` plus `2022年02月13日07:48` in the text gives 07:48.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import meta
from .article import PageTime, Precision, TimeProvenance
from .times import SHANGHAI, find_times, parse_time, time_from_url

_PUBLISHED_LABEL = re.compile(
    r"(?:发布|发表|发稿|刊发|出版|成文|上线)?(?:时间|日期|于)\s*[:：]?\s*$|发表于\s*[:：]?\s*$"
)
_UPDATED_LABEL = re.compile(r"(?:更新|修改|最后编辑|编辑于|修订)(?:时间|日期|于)?\s*[:：]?\s*$")
_RANK = {Precision.SECOND: 4, Precision.MINUTE: 3, Precision.DAY: 2, Precision.MONTH: 1, Precision.YEAR: 0}


@dataclass(frozen=True)
class Candidate:
    time: PageTime
    score: float
    updated: bool  # labelled as an update time


def _plausible(value: datetime, now: datetime) -> bool:
    return value.year >= 1990 and value <= now + timedelta(days=1)


def _declared(value: Any, provenance: TimeProvenance, score: float, now: datetime, clock: bool) -> Candidate | None:
    if not isinstance(value, str) or (match := parse_time(value, now)) is None:
        return None
    if match.relative and not clock:
        return None
    precision = match.precision
    local = match.value.astimezone(SHANGHAI)
    if precision in (Precision.SECOND, Precision.MINUTE) and (local.hour, local.minute) in ((0, 0), (23, 59)):
        precision = Precision.DAY  # 00:00:00 and 23:59:59 are placeholders for "that day"
    if not _plausible(match.value, now):
        return None
    return Candidate(PageTime(match.value, precision, provenance, match.raw), score, False)


def _stated(lines: list[str], base: float, now: datetime, clock: bool, step: float) -> list[Candidate]:
    """Times written in lines of text, scored by label and by how early they come."""
    found: list[Candidate] = []
    for position, line in enumerate(lines):
        for match in find_times(line, now):
            if match.relative and not clock:
                continue
            if not _plausible(match.value, now):
                continue
            before = line[max(0, match.start - 10):match.start]
            score = base - step * position + _RANK[match.precision]
            updated = bool(_UPDATED_LABEL.search(before))
            if _PUBLISHED_LABEL.search(before):
                score += 30  # 发布时间： / 发表于 says which time this is
            provenance = TimeProvenance.RELATIVE if match.relative else TimeProvenance.TEXT
            found.append(Candidate(PageTime(match.value, match.precision, provenance, match.raw), score, updated))
    return found


def choose(ld: dict[str, Any], metas: dict[str, str], zone: list[str], credits: list[str], url: str,
           now: datetime, clock: bool, paragraphs: Sequence[str] = (), after: Sequence[str] = (),
           zone_from_end: bool = False, zone_links: Sequence[str] = ()) -> tuple[PageTime | None, PageTime | None]:
    """(published, updated) of a page. `paragraphs` (first and last of the text) are the last resort:
    essays and notices date themselves at the end (——《北京之春》1998年3月号). `after` are the lines
    after the article, where related-article lists carry other articles' dates: they count only
    when labelled. Without a headline the zone is what precedes the article, nearest last."""
    published: list[Candidate] = []
    for value, provenance, score in (
        (ld.get("datePublished"), TimeProvenance.JSONLD, 100.0),
        (meta.first(metas, meta.PUBLISHED_META), TimeProvenance.META, 90.0),
        (meta.first(metas, meta.WEAK_PUBLISHED_META), TimeProvenance.META, 70.0),
    ):
        if (c := _declared(value, provenance, score, now, clock)) is not None:
            published.append(c)
    zone_order = list(reversed(zone)) if zone_from_end else list(zone)
    # The zone joined as well: some pages split one time over elements (2019 · 09/07 · 19:02).
    joined = [" ".join(zone_order[:12])] if len(zone_order) > 1 else []
    stated = _stated(zone_order, 80.0, now, clock, 1.0) + _stated(joined, 77.0, now, clock, 0.0)
    stated += _stated(credits, 60.0, now, clock, 2.0)
    stated += _stated(list(zone_links), 40.0, now, clock, 0.5)  # archive and related links: rarely the time
    stated += [c for c in _stated(list(after), 25.0, now, clock, 2.0) if c.score > 45]
    published += [c for c in stated if not c.updated]
    url_day = time_from_url(url)
    if url_day is not None and _plausible(url_day, now):
        published.append(Candidate(PageTime(url_day, Precision.DAY, TimeProvenance.URL, url), 30.0, False))
        # a time that agrees with the date in the URL is more likely the publish time
        published = [Candidate(c.time, c.score + (12 if c.time.value.astimezone(SHANGHAI).date() == url_day.date()
                                                  and c.time.provenance != TimeProvenance.URL else 0), c.updated)
                     for c in published]
    if not [c for c in published if c.time.provenance != TimeProvenance.URL]:
        published += _stated(list(paragraphs), 20.0, now, clock, 1.0)
    best = _refine(published)

    updated_candidates = [c for c in (
        _declared(ld.get("dateModified"), TimeProvenance.JSONLD, 100.0, now, clock),
        _declared(meta.first(metas, meta.UPDATED_META), TimeProvenance.META, 90.0, now, clock),
    ) if c is not None] + [c for c in stated if c.updated]
    updated = _refine(updated_candidates)
    if updated is not None and best is not None and updated.value < best.value:
        updated = None
    return best, updated


def _refine(candidates: list[Candidate]) -> PageTime | None:
    """The best candidate, stated as precisely as any candidate for the same day states it."""
    if not candidates:
        return None
    best = max(candidates, key=lambda c: c.score)
    day = best.time.value.astimezone(SHANGHAI).date()
    sharper = [c for c in candidates if c.time.value.astimezone(SHANGHAI).date() == day
               and _RANK[c.time.precision] > _RANK[best.time.precision] and c.score >= best.score - 60]
    if sharper and best.time.precision in (Precision.DAY, Precision.MONTH, Precision.YEAR):
        return max(sharper, key=lambda c: (_RANK[c.time.precision], c.score)).time
    return best.time
