"""Choosing a page's publish and update times among everything that looks like a time.

Every time the page states is a candidate with its provenance and precision: declared for machines
(JSON-LD, meta tags, script data), shown to the reader (the lines near the headline, credit lines
in the article), or weaker (related links, the lines after the article, the URL, the article's own
first and last paragraphs). The choice is by evidence, not by site:

- what the reader is shown wins: a visible time beats a declared one that disagrees with it (the
  declared time is kept as `Dates.declared`); labelled times (发布时间：) beat unlabelled ones;
- candidates that agree to the day reinforce each other, so the visible time a meta tag or the URL
  confirms wins over another visible time;
- a time stated more precisely for the same day refines a date-only one
  (`<meta content="2022-02-13">` plus `2022年02月13日07:48` in the text gives 07:48);
- year-less times (`10-08 12:00`) take their year from a full date on the page for the same day,
  else from the capture time; without either they are not used, and neither are relative ones
  (昨天, 3分钟前) without a capture time;
- nothing later than the capture time (plus a day of clock and zone skew) is ever chosen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from . import meta, scripttimes
from .article import PageTime, Precision, TimeProvenance
from .times import SHANGHAI, TimeMatch, find_times, parse_time, time_from_url

_PUBLISHED_LABEL = re.compile(
    r"(?:(?:发布|发表|发稿|刊发|出版|成文|上线|發佈|發表|發布|刊登)?(?:时间|日期|時間|日期|于|於)\s*[:：]?\s*"
    r"|发表于\s*[:：]?\s*|(?i:posted\s+on|published\s+on|posted|published)\s*[:：]?\s*)$"
)
_UPDATED_LABEL = re.compile(
    r"(?:更新|修改|最后编辑|编辑于|修订|(?i:updated|modified))(?:时间|日期|時間|于|於|\s+on)?\s*[:：]?\s*$"
)
_RANK = {Precision.SECOND: 4, Precision.MINUTE: 3, Precision.DAY: 2, Precision.MONTH: 1, Precision.YEAR: 0}
_AGREE_BONUS = 12.0  # per other kind of evidence that states the same day


@dataclass(frozen=True)
class Candidate:
    time: PageTime
    score: float
    updated: bool = False  # labelled as an update time
    shown: bool = False  # printed where the reader sees it near the headline or in the credits
    yearless: bool = False  # the year is not on the page: kept only when other evidence gives it

    @property
    def day(self) -> tuple[int, int, int]:
        local = self.time.value.astimezone(SHANGHAI)
        return local.year, local.month, local.day


@dataclass(frozen=True)
class Dates:
    published: PageTime | None = None
    updated: PageTime | None = None
    declared: PageTime | None = None  # a machine-readable publish time that disagrees with the shown one
    shown: PageTime | None = None  # the time as the page shows it (its raw text locates the info line)


@dataclass(frozen=True)
class Evidence:
    """Everything on a page that may state its times, as extract() gathered it."""

    ld: dict[str, Any]
    metas: dict[str, str]
    zone: list[str]  # the lines near the headline
    credits: list[str]  # credit lines inside and just after the article
    url: str
    scripts: list[str] = field(default_factory=list)  # inline scripts' texts, read only when needed
    paragraphs: Sequence[str] = ()  # the article's first and last paragraphs: a last resort
    after: Sequence[str] = ()  # lines after the article: they count only when labelled
    zone_from_end: bool = False  # no headline: the zone is what precedes the article, nearest last
    zone_links: Sequence[str] = ()  # link texts near the headline: archive and related links
    rendered_year: int | None = None  # the last year of the page's copyright line: the year it was rendered
    title: str = ""  # the headline, to find the article's own record in script data


def _plausible(value: datetime, now: datetime) -> bool:
    return value.year >= 1990 and value <= now + timedelta(days=1)


def _candidate(match: TimeMatch, provenance: TimeProvenance, score: float, **flags: bool) -> Candidate:
    precision = match.precision
    local = match.value.astimezone(SHANGHAI)
    if provenance in (TimeProvenance.JSONLD, TimeProvenance.META, TimeProvenance.SCRIPT) \
            and precision in (Precision.SECOND, Precision.MINUTE) and (local.hour, local.minute) in ((0, 0), (23, 59)):
        precision = Precision.DAY  # 00:00:00 and 23:59:59 are placeholders for "that day"
    if match.relative and not match.yearless:
        provenance = TimeProvenance.RELATIVE
    return Candidate(PageTime(match.value, precision, provenance, match.raw), score, yearless=match.yearless, **flags)


def _usable(match: TimeMatch, now: datetime, clock: bool) -> bool:
    """Relative times need the capture time; year-less ones are kept for now (see _resolve_years)."""
    return (clock or not match.relative or match.yearless) and (match.yearless or _plausible(match.value, now))


def _declared(value: Any, provenance: TimeProvenance, score: float, now: datetime, clock: bool) -> Candidate | None:
    if not isinstance(value, str) or (match := parse_time(value, now)) is None or match.yearless:
        return None
    return _candidate(match, provenance, score) if _usable(match, now, clock) else None


def _stated(lines: Sequence[str], base: float, now: datetime, clock: bool, step: float,
            shown: bool = False) -> list[Candidate]:
    """Times written in lines of text, scored by label and by how early they come."""
    found: list[Candidate] = []
    for position, line in enumerate(lines):
        for match in find_times(line, now):
            if not _usable(match, now, clock):
                continue
            before = line[max(0, match.start - 14):match.start]
            score = base - step * position + _RANK[match.precision]
            if _PUBLISHED_LABEL.search(before):
                score += 30  # 发布时间： / 发表于 says which time this is
            updated = bool(_UPDATED_LABEL.search(before))
            found.append(_candidate(match, TimeProvenance.TEXT, score, updated=updated, shown=shown))
    return found


def _resolve_years(candidates: list[Candidate], now: datetime, clock: bool,
                   rendered_year: int | None = None, known: Sequence[Candidate] = ()) -> list[Candidate]:
    """Year-less times take the year of a full date stated for the same month and day (among these
    candidates and those already `known`); else, with a capture time, the year `find_times` gave them
    from it; else the year the page's copyright line says it was rendered in (sites drop the year
    for this year's articles); else they are dropped."""
    anchors = {(c.day[1], c.day[2]): c.day[0] for c in reversed([*known, *candidates]) if not c.yearless}
    out = []
    for c in candidates:
        if not c.yearless:
            out.append(c)
            continue
        local = c.time.value.astimezone(SHANGHAI)
        year = anchors.get((local.month, local.day))
        if year is not None:
            value = local.replace(year=year)
            out.append(replace(c, time=replace(c.time, value=value, provenance=TimeProvenance.TEXT), yearless=False))
        elif clock and _plausible(c.time.value, now):
            out.append(replace(c, time=replace(c.time, provenance=TimeProvenance.RELATIVE)))
        elif rendered_year is not None:
            out.append(replace(c, time=replace(c.time, value=local.replace(year=rendered_year)), yearless=False))
    return [c for c in out if _plausible(c.time.value, now)]


def choose(evidence: Evidence, now: datetime, clock: bool) -> Dates:
    """The page's publish and update times (see the module docstring for the rules)."""
    e = evidence
    declared: list[Candidate] = []
    for value, provenance, score in (
        (e.ld.get("datePublished"), TimeProvenance.JSONLD, 100.0),
        (meta.first(e.metas, meta.PUBLISHED_META), TimeProvenance.META, 90.0),
        (meta.first(e.metas, meta.WEAK_PUBLISHED_META), TimeProvenance.META, 70.0),
    ):
        if (c := _declared(value, provenance, score, now, clock)) is not None:
            declared.append(c)
    zone = list(reversed(e.zone)) if e.zone_from_end else list(e.zone)
    # The zone joined as well: some pages split one time over elements (2019 · 09/07 · 19:02).
    joined = [" ".join(zone[:12])] if len(zone) > 1 else []
    shown = _stated(zone, 80.0, now, clock, 1.0, shown=True) + _stated(joined, 77.0, now, clock, 0.0, shown=True)
    shown += _stated(e.credits, 60.0, now, clock, 2.0, shown=True)
    weak = _stated(list(e.zone_links), 40.0, now, clock, 0.5)  # archive and related links: rarely the time
    weak += [c for c in _stated(list(e.after), 25.0, now, clock, 2.0) if c.score > 45]
    url_day = time_from_url(e.url)
    if url_day is not None and _plausible(url_day, now):
        weak.append(Candidate(PageTime(url_day, Precision.DAY, TimeProvenance.URL, e.url), 30.0))
    if not any(not c.yearless and not c.updated for c in shown):
        # Nothing shown states a full date: script data may (a year-less 10-08 12:00 needs a year).
        declared += [c for i, value in enumerate(scripttimes.script_times(e.scripts, e.title))
                     if (c := _declared(value, TimeProvenance.SCRIPT, 66.0 - i, now, clock)) is not None]
    everything = _resolve_years(declared + shown + weak, now, clock, e.rendered_year)
    if not [c for c in everything if c.time.provenance != TimeProvenance.URL and not c.updated]:
        everything += _resolve_years(_stated(list(e.paragraphs), 20.0, now, clock, 1.0), now, clock,
                                     e.rendered_year, known=everything)
    everything = _reinforced(everything)

    published = [c for c in everything if not c.updated]
    visible = [c for c in published if c.shown] or [c for c in everything if c.shown]
    best: PageTime | None
    machine = max((c for c in everything if c.time.provenance in _DECLARED), key=lambda c: c.score, default=None)
    disagreeing: PageTime | None = None
    top: Candidate | None = None
    if visible:
        top = max(visible, key=lambda c: c.score)
        best = _refine([c for c in [*published, top] if c.day == top.day], top)
        if machine is not None and not _agree(machine.time, best):
            disagreeing = machine.time
        elif machine is not None and _RANK[machine.time.precision] >= _RANK[best.precision]:
            best = machine.time  # the same time, declared as precisely: the declaration says it exactly
    else:
        best = _refine(published, max(published, key=lambda c: c.score)) if published else None

    updated_candidates = [c for c in (
        _declared(e.ld.get("dateModified"), TimeProvenance.JSONLD, 100.0, now, clock),
        _declared(meta.first(e.metas, meta.UPDATED_META), TimeProvenance.META, 90.0, now, clock),
    ) if c is not None] + [c for c in everything if c.updated]
    updated = _refine(updated_candidates, max(updated_candidates, key=lambda c: c.score)) \
        if updated_candidates else None
    if updated is not None and best is not None and updated.value < best.value:
        updated = None
    return Dates(best, updated, disagreeing, top.time if top else None)


_DECLARED = (TimeProvenance.JSONLD, TimeProvenance.META, TimeProvenance.SCRIPT)


def _reinforced(candidates: list[Candidate]) -> list[Candidate]:
    """Each candidate gains for every other kind of evidence (declared, shown, URL…) stating its day."""
    kinds: dict[tuple[int, int, int], set[tuple[TimeProvenance, bool]]] = {}
    for c in candidates:
        kinds.setdefault(c.day, set()).add((c.time.provenance, c.shown))
    return [replace(c, score=c.score + _AGREE_BONUS * (len(kinds[c.day]) - 1)) for c in candidates]


def _agree(a: PageTime, b: PageTime) -> bool:
    """The same day, and the same minute when both state one."""
    if a.value.astimezone(SHANGHAI).date() != b.value.astimezone(SHANGHAI).date():
        return False
    precise = (Precision.SECOND, Precision.MINUTE)
    if a.precision in precise and b.precision in precise:
        return abs(a.value - b.value) < timedelta(minutes=1)
    return True


def _refine(candidates: list[Candidate], best: Candidate) -> PageTime:
    """`best`, stated as precisely as any candidate for the same day states it."""
    sharper = [c for c in candidates if c.day == best.day
               and _RANK[c.time.precision] > _RANK[best.time.precision] and c.score >= best.score - 60]
    if sharper and best.time.precision in (Precision.DAY, Precision.MONTH, Precision.YEAR):
        return max(sharper, key=lambda c: (_RANK[c.time.precision], c.score)).time
    return best.time


_COPYRIGHT = re.compile(r"(?:©|&copy;|\(c\)|Copyright|版权所有)[^<>\n]{0,40}?((?:19|20)\d{2})"
                        r"(?:\s*[-–—~至]\s*((?:19|20)\d{2}))?", re.IGNORECASE)


def rendered_year(page_text: str) -> int | None:
    """The last year of the copyright line near the end of the page (`© 2003-2019`), if any."""
    years = [int(m[2] or m[1]) for m in _COPYRIGHT.finditer(page_text[-6000:])]
    return max(years) if years else None
