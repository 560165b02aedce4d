"""Template tags: times as precisely as the page stated them, and cheap links to our own pages."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from .. import links

register = template.Library()

_FORMATS = {
    "year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d", "minute": "%Y-%m-%d %H:%M", "second": "%Y-%m-%d %H:%M:%S",
}
_PROVENANCE = {
    "jsonld": "页面结构化数据（JSON-LD）",
    "meta": "页面 meta 标签",
    "text": "正文中标注的时间",
    "relative": "页面上的相对时间（按快照生成时间换算）",
    "url": "网址中的日期",
}


@register.filter
def page_time(value: datetime | None, precision: str = "second") -> str:
    """A stored time in Beijing time, to the precision the page gave (a date stays a date)."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime(_FORMATS.get(precision or "second", _FORMATS["second"]))


@register.filter(expects_localtime=False)
def iso_time(value: datetime | None) -> str:
    """A stored time as ISO 8601 in Beijing time, for <time datetime> (what |date:'c' gives, at a
    tenth of its cost: this is in every row of every list)."""
    return "" if value is None else timezone.localtime(value).isoformat()


@register.filter
def provenance(code: str) -> str:
    return _PROVENANCE.get(code, "未知")


@register.simple_tag
def path(name: str, *args: int | str) -> str:
    """Like {% url %}, reversed once per process (see links.py): for links repeated in lists."""
    return links.path(name, *args)
