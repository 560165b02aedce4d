"""Chinese time forms, resolved in Beijing time against the capture time."""

from datetime import datetime

import pytest

from kuaizhao.extract.article import Precision
from kuaizhao.extract.times import SHANGHAI, find_times, parse_time, time_from_url

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "expected", "precision", "relative"),
    [
        ("2023-01-17 20:37:00", "2023-01-17T20:37:00+08:00", Precision.SECOND, False),
        ("2023年01月17日 20:37", "2023-01-17T20:37:00+08:00", Precision.MINUTE, False),
        ("发布时间：2023年1月7日下午3:05", "2023-01-07T15:05:00+08:00", Precision.MINUTE, False),
        ("2021年10月20日 20时37分", "2021-10-20T20:37:00+08:00", Precision.MINUTE, False),
        ("2023/1/7", "2023-01-07T00:00:00+08:00", Precision.DAY, False),
        ("2023-01-17T12:37:00Z", "2023-01-17T12:37:00+00:00", Precision.SECOND, False),
        ("2023-01-17T20:37:00+08:00", "2023-01-17T20:37:00+08:00", Precision.SECOND, False),
        ("01-17 20:37", "2026-01-17T20:37:00+08:00", Precision.MINUTE, True),
        ("12-31 08:00", "2025-12-31T08:00:00+08:00", Precision.MINUTE, True),  # not in the future
        ("1月5日", "2026-01-05T00:00:00+08:00", Precision.DAY, True),
        ("刚刚", "2026-11-24T15:00:00+08:00", Precision.MINUTE, True),
        ("3分钟前", "2026-11-24T14:57:00+08:00", Precision.MINUTE, True),
        ("2小时前", "2026-11-24T13:00:00+08:00", Precision.MINUTE, True),
        ("半小时前", "2026-11-24T14:30:00+08:00", Precision.MINUTE, True),
        ("昨天 10:32", "2026-11-23T10:32:00+08:00", Precision.MINUTE, True),
        ("前天", "2026-11-22T00:00:00+08:00", Precision.DAY, True),
        ("1998-3", "1998-03-01T00:00:00+08:00", Precision.MONTH, False),
    ],
)
def test_forms(text, expected, precision, relative):
    match = parse_time(text, NOW)
    assert match is not None, text
    assert match.value.isoformat() == expected
    assert match.precision == precision
    assert match.relative == relative


@pytest.mark.parametrize("text", ["比分3-12", "电话 010-12345678", "共有532万人", "第3-4节"])
def test_not_times(text):
    assert list(find_times(text, NOW)) == []


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("http://x.com/2023/01/17/a.html", "2023-01-17"),
        ("http://news.x.cn/gn/2023-01/17/c_1129290.htm", "2023-01-17"),
        ("http://x.com/a/20230117/123.html", "2023-01-17"),
        ("http://x.cn/t20230117_1.shtml", "2023-01-17"),
        ("http://x.com/12345678.html", None),
        ("http://x.com/2023/13/45/a.html", None),
    ],
)
def test_dates_in_urls(url, day):
    found = time_from_url(url)
    assert (found.date().isoformat() if found else None) == day
