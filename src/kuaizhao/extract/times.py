"""Chinese news times: absolute, year-less and relative forms, resolved in Asia/Shanghai.

Pages state times the way their readers read them: `2023-01-17 20:37:00`, `2023年01月17日 20:37`,
`01-17 20:37` (this year), `昨天 10:32`, `3分钟前`, `刚刚`. A time without an offset is Beijing time;
relative and year-less forms are resolved against the capture time, which is why every caller
passes `now` (the capture time) instead of this module reading a clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from .article import Precision

SHANGHAI = ZoneInfo("Asia/Shanghai")

_AMPM = r"(?:(?P<ampm>上午|下午|晚上|中午|凌晨|早上|傍晚)\s*)?"
_CLOCK = (
    _AMPM
    + r"(?P<H>[01]?\d|2[0-3])\s*[:：时]\s*(?P<M>[0-5]\d)(?:\s*[:：分]\s*(?P<S>[0-5]\d)(?:\.\d+)?\s*秒?|\s*分)?"
    + r"(?:\s*(?P<pm>(?i:am|pm|a\.m\.|p\.m\.))(?![a-z]))?"  # 3:20 PM after a Chinese date
)
_TZ = r"(?:\s*(?P<tz>Z|[+-](?:0\d|1[0-4]):?[0-5]\d)(?![\d]))?"

# A weekday may stand between the date and the clock: 2023年5月12日 星期五 08:15, 5月12日（周五）.
_WEEKDAY = r"(?:\s*[（(]?\s*(?:星期|周|礼拜|禮拜)[一二三四五六日天]\s*[）)]?)?"
_FULL = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?P<sep>[-/.年])\s*(?P<m>1[0-2]|0?[1-9])\s*[-/.月]\s*"
    r"(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)\s*日?" + _WEEKDAY +
    r"(?:(?:\s*T\s*|\s*)" + _CLOCK + r")?" + _TZ
)
_COMPACT = re.compile(  # 20230117 2037 / 20230117203700, as in some meta tags
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>1[0-2]|0[1-9])(?P<d>3[01]|[12]\d|0[1-9])"
    r"(?:\s*(?P<H>[01]\d|2[0-3])(?P<M>[0-5]\d)(?P<S>[0-5]\d)?)?(?!\d)"
)
_NO_YEAR = re.compile(  # 01-17 20:37 or 1月17日 20:37 or 1月17日
    r"(?<![\d年/.-])(?P<m>1[0-2]|0?[1-9])\s*(?:(?P<dash>[-/])|月)\s*(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)"
    r"(?(dash)|\s*日)" + _WEEKDAY +
    r"(?:\s*" + _CLOCK + r")?"
)
_YEAR_SPACE_MD = re.compile(  # 2019 09/07 19:02: a year standing before month/day (split over elements)
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s+(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)(?:\s*" + _CLOCK + r")?"
)
# Month names, as blog engines print dates in Chinese and English locales: WordPress's zh_CN
# "八月 26, 2016, 2:43 下午", "August 26, 2016 at 2:43 pm", "26 Aug 2016".
_MONTH_WORDS = {
    **{w: i for i, w in enumerate("一 二 三 四 五 六 七 八 九 十 十一 十二".split(), 1)},
    **{w: i for i, w in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
}
_EN_MONTH = (r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
             r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")
_MONTH_NAME = r"(?P<mon>十[一二]?|[一二三四五六七八九])月|(?P<en>" + _EN_MONTH + ")"
_CLOCK_12 = (r"(?:[,，]?\s*(?:at\s+|-\s*)?(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?"
             r"\s*(?P<ampm>上午|下午|晚上|凌晨|(?i:am|pm|a\.m\.|p\.m\.))?)?")
_NAMED = re.compile(
    r"(?<![\w])(?:(?:" + _MONTH_NAME + r")\s*(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?[,，]?\s*"
    r"|(?P<d2>3[01]|[12]\d|0?[1-9])\s+(?P<en2>" + _EN_MONTH + r")\s+)"
    r"(?P<y>(?:19|20)\d{2})(?!\d)" + _CLOCK_12
)
# The Republic of China calendar of Taiwanese pages: 中華民國112年5月12日, 112/05/12 (year + 1911).
# A bare three-digit year is read only in 100–149 (2011–2060) and with one separator throughout.
_ROC = re.compile(
    r"(?:(?:中華民國|中华民国|民國|民国)\s*(?P<y>\d{2,3})|(?<![\d/.-])(?P<y3>1[0-4]\d))\s*"
    r"(?:(?P<sep>[-/.])\s*(?P<m>1[0-2]|0?[1-9])\s*(?P=sep)\s*(?P<d>3[01]|[12]\d|0?[1-9])"
    r"|年\s*(?P<m2>1[0-2]|0?[1-9])\s*月\s*(?P<d2>3[01]|[12]\d|0?[1-9])\s*日?)(?!\d)"
    r"(?:\s*" + _CLOCK + r")?"
)
_YEAR_MONTH = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(?P<m>1[0-2]|0?[1-9])\s*月?(?![\d日-])")
_RELATIVE = re.compile(
    r"(?P<now>刚刚)"
    r"|(?P<n>\d{1,3}|半|一|两|几)\s*(?:个)?\s*(?P<unit>秒|分钟|分|小时|天|周)前"
    r"|(?P<day>今天|昨天|前天)\s*(?:" + _CLOCK.replace("(?P<", "(?P<r") + r")?"
)

_UNIT = {"秒": timedelta(seconds=1), "分钟": timedelta(minutes=1), "分": timedelta(minutes=1),
         "小时": timedelta(hours=1), "天": timedelta(days=1), "周": timedelta(weeks=1)}
_DAY_OFFSET = {"今天": 0, "昨天": 1, "前天": 2}
_NUMBER = {"半": 0.5, "一": 1, "两": 2, "几": 3}

_URL_DATE = (
    re.compile(r"/(?P<y>(?:19|20)\d{2})[-/_]?(?P<m>1[0-2]|0[1-9])[-/_]?(?P<d>3[01]|[12]\d|0[1-9])(?=[/_.-]|\d{2,}\b|$)"),
    re.compile(r"[/_tc-](?P<y>(?:19|20)\d{2})(?P<m>1[0-2]|0[1-9])(?P<d>3[01]|[12]\d|0[1-9])(?!\d)"),
)


@dataclass(frozen=True)
class TimeMatch:
    value: datetime
    precision: Precision
    relative: bool  # resolved against `now`: 3分钟前, 昨天, and year-less forms
    start: int
    end: int
    raw: str
    yearless: bool = False  # 01-17 20:37: the year came from `now`, the page did not state it


def parse_time(value: str, now: datetime, tz: tzinfo = SHANGHAI) -> TimeMatch | None:
    """The first time stated in `value` (a meta content, a JSON-LD value or a line of text)."""
    return next(iter(find_times(value, now, tz)), None)


def find_times(text: str, now: datetime, tz: tzinfo = SHANGHAI) -> Iterator[TimeMatch]:
    """Every time stated in `text`, in order; overlapping weaker forms are skipped."""
    found: list[TimeMatch] = []
    taken: list[tuple[int, int]] = []
    for finder in (_full, _named_month, _roc, _year_space, _compact, _relative, _no_year, _year_month):
        for match in finder(text, now, tz):
            if any(match.start < e and s < match.end for s, e in taken):
                continue
            found.append(match)
            taken.append((match.start, match.end))
    found.sort(key=lambda m: m.start)
    yield from found


def time_from_url(url: str, tz: tzinfo = SHANGHAI) -> datetime | None:
    path = url.split("?", 1)[0].split("://", 1)[-1]
    path = path[path.find("/"):] if "/" in path else ""
    for pattern in _URL_DATE:
        for m in pattern.finditer(path):
            made = _make(tz, int(m["y"]), int(m["m"]), int(m["d"]))
            if made is not None:
                return made
    return None


def _make(tz: tzinfo, y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime | None:
    try:
        return datetime(y, m, d, hh, mm, ss, tzinfo=tz)
    except ValueError:  # 2023-02-30
        return None


def _hour(h: str, ampm: str | None) -> int:
    hour = int(h)
    ampm = {"pm": "下午", "p.m.": "下午", "am": "上午", "a.m.": "上午"}.get((ampm or "").lower(), ampm)
    if ampm == "上午" and hour == 12:
        hour = 0  # 12:05 am
    elif (ampm in ("下午", "晚上", "傍晚") and hour < 12) or (ampm == "中午" and hour < 11):
        hour += 12
    elif ampm == "凌晨" and hour == 12:
        hour = 0
    return hour


def _clock(m: re.Match[str], prefix: str = "") -> tuple[int, int, int, Precision] | None:
    if m[prefix + "H"] is None:
        return None
    seconds = m[prefix + "S"]
    precision = Precision.SECOND if seconds is not None else Precision.MINUTE
    ampm = m[prefix + "ampm"] or m.groupdict().get(prefix + "pm")
    return _hour(m[prefix + "H"], ampm), int(m[prefix + "M"]), int(seconds or 0), precision


def _zone(m: re.Match[str], tz: tzinfo) -> tzinfo:
    raw = m["tz"]
    if not raw:
        return tz
    if raw == "Z":
        return UTC
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _full(text: str, now: datetime, tz: tzinfo) -> Iterator[TimeMatch]:
    for m in _FULL.finditer(text):
        clock = _clock(m)
        hh, mm, ss, precision = clock or (0, 0, 0, Precision.DAY)
        made = _make(_zone(m, tz), int(m["y"]), int(m["m"]), int(m["d"]), hh, mm, ss)
        if made is not None:
            yield TimeMatch(made, precision, False, m.start(), m.end(), m.group().strip())


def _named_month(text: str, now: datetime, tz: tzinfo) -> Iterator[TimeMatch]:
    for m in _NAMED.finditer(text):
        word = (m["mon"] or m["en"] or m["en2"] or "").lower().rstrip(".")
        month = _MONTH_WORDS.get(word) or _MONTH_WORDS.get(word[:3])
        if month is None:
            continue
        clock = _clock(m)
        hh, mm, ss, precision = clock or (0, 0, 0, Precision.DAY)
        made = _make(tz, int(m["y"]), month, int(m["d"] or m["d2"]), hh, mm, ss)
        if made is not None:
            yield TimeMatch(made, precision, False, m.start(), m.end(), m.group().strip())


def _roc(text: str, now: datetime, tz: tzinfo) -> Iterator[TimeMatch]:
    for m in _ROC.finditer(text):
        clock = _clock(m)
        hh, mm, ss, precision = clock or (0, 0, 0, Precision.DAY)
        made = _make(tz, int(m["y"] or m["y3"]) + 1911, int(m["m"] or m["m2"]), int(m["d"] or m["d2"]), hh, mm, ss)
        if made is not None:
            yield TimeMatch(made, precision, False, m.start(), m.end(), m.group().strip())


def _year_space(text: str, now: datetime, tz: tzinfo) -> Iterator[TimeMatch]:
    for m in _YEAR_SPACE_MD.finditer(text):
        clock = _clock(m)
        hh, mm, ss, precision = clock or (0, 0, 0, Precision.DAY)
        made = _make(tz, int(m["y"]), int(m["m"]), int(m["d"]), hh, mm, ss)
        if made is not None:
            yield TimeMatch(made, precision, False, m.start(), m.end(), m.group().strip())


def _compact(text: str, now: datetime, tz: tzinfo) -> Iterator[TimeMatch]:
    for m in _COMPACT.finditer(text):
        clock = _clock(m) if m["H"] else None
        hh, mm, ss, precision = clock or (0, 0, 0, Precision.DAY)
        made = _make(tz, int(m["y"]), int(m["m"]), int(m["d"]), hh, mm, ss)
        if made is not None:
            yield TimeMatch(made, precision, False, m.start(), m.end(), m.group())


def _no_year(text: str, now: datetime, tz: tzinfo) -> Iterator[TimeMatch]:
    local_now = now.astimezone(tz)
    for m in _NO_YEAR.finditer(text):
        clock = _clock(m)
        if m["dash"] and clock is None:
            continue  # a bare 3-12 is a score or a range, not a date
        hh, mm, ss, precision = clock or (0, 0, 0, Precision.DAY)
        made = _make(tz, local_now.year, int(m["m"]), int(m["d"]), hh, mm, ss)
        if made is None:
            continue
        if made > now + timedelta(days=2):  # 12-31 seen on 1 January is last year's
            made = _make(tz, local_now.year - 1, int(m["m"]), int(m["d"]), hh, mm, ss)
            if made is None:
                continue
        yield TimeMatch(made, precision, True, m.start(), m.end(), m.group().strip(), yearless=True)


def _year_month(text: str, now: datetime, tz: tzinfo) -> Iterator[TimeMatch]:
    for m in _YEAR_MONTH.finditer(text):
        made = _make(tz, int(m["y"]), int(m["m"]), 1)
        if made is not None:
            yield TimeMatch(made, Precision.MONTH, False, m.start(), m.end(), m.group().strip())


def _relative(text: str, now: datetime, tz: tzinfo) -> Iterator[TimeMatch]:
    local_now = now.astimezone(tz)
    for m in _RELATIVE.finditer(text):
        raw = m.group().strip()
        if m["now"]:
            yield TimeMatch(local_now.replace(microsecond=0), Precision.MINUTE, True, m.start(), m.end(), raw)
        elif m["unit"]:
            n = _NUMBER.get(m["n"]) or float(m["n"])
            made = (local_now - n * _UNIT[m["unit"]]).replace(microsecond=0)
            precision = Precision.DAY if m["unit"] in ("天", "周") else Precision.MINUTE
            if precision is Precision.MINUTE:
                made = made.replace(second=0)
            yield TimeMatch(made, precision, True, m.start(), m.end(), raw)
        else:
            day = (local_now - timedelta(days=_DAY_OFFSET[m["day"]])).date()
            clock = _clock(m, "r")
            hh, mm, ss, precision = clock or (0, 0, 0, Precision.DAY)
            at = _make(tz, day.year, day.month, day.day, hh, mm, ss)
            if at is not None:
                yield TimeMatch(at, precision, True, m.start(), m.end(), raw)
