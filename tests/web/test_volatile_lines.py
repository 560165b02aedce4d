"""Volatile lines learned per source (archive/volatile.py): a site's own counter, seen changing
alone on a few of its pages, stops making new versions on all of them; a changed word never
teaches anything, and a real edit is still an edit."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from kuaizhao.archive import volatile
from kuaizhao.archive.models import CaptureOutcome, Snapshot, Source
from kuaizhao.archive.services import store_captures

from .conftest import T0, TEXT

# A counter the general list does not know (阅读 / 点赞 / 浏览量 are known everywhere).
LINE = "本文已被 {} 位读者收藏"


@pytest.mark.parametrize(("old", "new", "shapes"), [
    (TEXT + "\n" + LINE.format(12), TEXT + "\n" + LINE.format(1,208), {"本文已被 # 位读者收藏"}),
    (TEXT + "\n热度 4.5万", TEXT + "\n热度 4.7万", {"热度 #万"}),
    (TEXT + "\n" + LINE.format(12), TEXT + "\n本文已被 12 位网友收藏", set()),  # a word changed
    (TEXT + "\n12:30", TEXT + "\n12:35", set()),  # figures alone, no words: a time, not a counter
    (TEXT, TEXT.replace("532万", "533万"), set()),  # a figure corrected in a (short) sentence
    (TEXT + "\n共有 12 人。", TEXT + "\n共有 13 人。", set()),
    (TEXT + "\n" + LINE.format(12), TEXT + "\n" + LINE.format(13) + "\n新增一段。", set()),
])
def test_what_a_difference_can_teach(old, new, shapes):
    assert volatile.noise_shapes("标题", old, "标题", new) == shapes


def test_a_changed_headline_teaches_nothing():
    assert volatile.noise_shapes("标题", TEXT + "\n热度 1", "新标题", TEXT + "\n热度 2") == set()


def fetch(archive, n, minutes, text):
    url = f"http://hx.example.cn/gn/2026-01/17/content_counter_{n}.htm"
    item = archive.capture("产业工人队伍建设改革", url=url, text=text, when=T0 + timedelta(minutes=minutes))
    return store_captures([replace(item, source="华夏日报")])[0]


def test_a_counter_seen_changing_alone_on_enough_pages_is_learned_as_noise(db, archive):
    source, _ = Source.objects.get_or_create(name="华夏日报", defaults={"homepage": "http://hx.example.cn/"})
    for n in range(volatile.LEARN_AFTER + 2):
        fetch(archive, n, 0, TEXT + "\n" + LINE.format(10 + n))
    # Before it is learned, the counter's change is taken for an edit, on each of three pages.
    for n in range(volatile.LEARN_AFTER):
        assert fetch(archive, n, 30, TEXT + "\n" + LINE.format(500 + n)) == CaptureOutcome.NEW_SNAPSHOT
    source.refresh_from_db()
    assert volatile.learned(source.volatile) == {"本文已被 # 位读者收藏"}
    # Learned: on another page of the source, the counter alone is no new version...
    n = volatile.LEARN_AFTER
    assert fetch(archive, n, 30, TEXT + "\n" + LINE.format(999)) == CaptureOutcome.UNCHANGED
    assert Snapshot.objects.filter(page__url__endswith=f"counter_{n}.htm").count() == 1
    # ...and a real edit, with the counter changed too, is still an edit.
    edited = TEXT.replace("532万", "540万") + "\n" + LINE.format(1000)
    assert fetch(archive, n + 1, 30, edited) == CaptureOutcome.NEW_SNAPSHOT


def test_noise_is_learned_per_source(db, archive):
    Source.objects.get_or_create(name="华夏日报", defaults={"homepage": "http://hx.example.cn/"})
    other, _ = Source.objects.get_or_create(name="南风资讯", defaults={"homepage": "http://nf.example.cn/"})
    for n in range(volatile.LEARN_AFTER):
        fetch(archive, n, 0, TEXT + "\n" + LINE.format(n))
        fetch(archive, n, 30, TEXT + "\n" + LINE.format(n + 100))
    other.refresh_from_db()
    assert volatile.learned(other.volatile) == frozenset()
