"""Publish times by evidence: capture time as evidence that may be unknown, never a future time.

Pages are composed here from the parts that state times on Chinese news pages (an info line under
the headline, meta tags, script data, related lists), so each rule is shown on its own.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuaizhao.extract import extract
from kuaizhao.extract.times import SHANGHAI

BODY = "".join(f"<p>第{i}段：市里今年新建的口袋公园陆续开放，附近居民傍晚散步、带孩子玩耍都方便了许多。</p>"
               for i in range(4))


def page(info: str = "", head: str = "", after: str = "") -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>口袋公园陆续开放_城市</title>{head}</head><body>"
            f"<h1>口袋公园陆续开放</h1><div class='info'>{info}</div><div class='article'>{BODY}</div>"
            f"<div class='related'>{after}</div></body></html>").encode()


def published(body: bytes, captured: datetime | None) -> datetime | None:
    article = extract(body, "http://news.example.cn/a/77.html", {}, captured=captured)
    assert article is not None
    return article.published.value if article.published else None


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[arg-type,misc]


def test_yearless_time_takes_its_year_from_the_page_not_from_the_capture():
    body = page("<span>10-08 12:00</span> 来源：城市晚报", head="<meta name='pubdate' content='2019-10-08'>")
    assert published(body, None) == at(2019, 10, 8, 12, 0)
    assert published(body, at(2026, 12, 1, 9, 0)) == at(2019, 10, 8, 12, 0)  # archived years later


def test_yearless_time_without_other_evidence_needs_the_capture_time():
    body = page("<span>10-08 12:00</span> 来源：城市晚报")
    assert published(body, None) is None
    assert published(body, at(2026, 11, 2, 9, 0)) == at(2026, 10, 8, 12, 0)


def test_yearless_time_takes_the_year_the_page_was_rendered_in():
    body = page("<span>10-08 12:00</span> 来源：城市晚报", after="<p>Copyright © 2012-2019 城市晚报社 版权所有</p>")
    assert published(body, None) == at(2019, 10, 8, 12, 0)


def test_relative_time_is_unresolved_without_the_capture_time():
    body = page("<span>昨天 10:32</span> 来源：城市晚报")
    assert published(body, None) is None
    assert published(body, at(2024, 3, 2, 9, 0)) == at(2024, 3, 1, 10, 32)


def test_shown_time_beats_a_disagreeing_meta_time_which_is_kept():
    body = page("发布时间：2021-05-06 18:20", head="<meta property='article:published_time' content='2021-05-04'>")
    article = extract(body, "http://news.example.cn/a/77.html", {})
    assert article is not None and article.published is not None and article.declared is not None
    assert article.published.value == at(2021, 5, 6, 18, 20)
    assert article.declared.value == at(2021, 5, 4)


def test_a_time_after_the_capture_is_never_chosen():
    body = page("2004-05-20 08:00 来源：城市晚报", head="<meta name='pubdate' content='2030-01-01 00:00:00'>")
    assert published(body, at(2004, 6, 1)) == at(2004, 5, 20, 8, 0)
    only_future = page("发布时间：2025-01-01 10:00")
    assert published(only_future, at(2004, 6, 1)) is None


_times = st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2035, 12, 31)).map(  # noqa: DTZ001
    lambda d: d.replace(second=0, microsecond=0, tzinfo=SHANGHAI))
_forms = st.sampled_from(["{:%Y-%m-%d %H:%M}", "{:%Y年%m月%d日 %H:%M}", "{:%m-%d %H:%M}", "{:%Y/%m/%d}"])
_relative = st.sampled_from(["", "昨天 10:32", "3分钟前", "前天", "刚刚"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_times, _forms), min_size=1, max_size=4), _relative, _times)
def test_never_after_the_capture_time(stated, relative, captured):
    """With a capture time nothing later (beyond a day of skew) is chosen; without one the time
    chosen is one the page states with its year, never one resolved against a clock."""
    info = " ".join(form.format(value) for value, form in stated[:2])
    head = "".join(f"<meta name='pubdate' content='{form.format(value)}'>" for value, form in stated[2:3])
    after = "".join(f"<span>{form.format(value)}</span>" for value, form in stated[3:])
    body = page(f"{info} {relative}", head=head, after=after)
    with_capture = published(body, captured)
    assert with_capture is None or with_capture <= captured + timedelta(days=1)
    without = published(body, None)
    full_days = {value.date() for value, form in stated if "%Y" in form}
    assert without is None or without.astimezone(SHANGHAI).date() in full_days
