"""Versions: what each fetch of a known page means — an edit, noise, a failed reading, a deletion
and its return, a publisher's later noarchive, a 304 — and the recheck schedule it sets."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from kuaizhao.archive.models import CaptureOutcome, ChangeKind, Page, PageChange, PageStatus, RemovalReason, Snapshot
from kuaizhao.archive.services import store_captures
from kuaizhao.schedule import DEFAULT, Schedule

from .conftest import T0, TEXT

URL = "http://hx.example.cn/gn/2026-01/17/content_versions.htm"
BODY = TEXT + "\n市里还将新建三个技能培训基地，每年培训新型产业工人五万人次。"


def fetch(archive, minutes, **kwargs):
    """Store one fetch of URL, `minutes` after T0; returns its outcome."""
    item = archive.capture(kwargs.pop("title", "产业工人队伍建设改革"), url=URL, text=kwargs.pop("text", BODY),
                           when=T0 + timedelta(minutes=minutes), status=kwargs.pop("status", 200))
    if "article" in kwargs and kwargs["article"] is None:
        kwargs["reason"] = "no article"
    return store_captures([replace(item, **kwargs)])[0]


def page():
    return Page.objects.get(url=URL)


def kinds():
    return list(PageChange.objects.filter(page__url=URL).order_by("seen_at", "pk").values_list("kind", flat=True))


def test_an_edit_is_recorded_with_both_versions(db, archive):
    fetch(archive, 0)
    assert fetch(archive, 30, text=BODY.replace("五万人次", "八万人次")) == CaptureOutcome.NEW_SNAPSHOT
    change = PageChange.objects.get(page__url=URL)
    first, second = Snapshot.objects.filter(page__url=URL).order_by("captured_at")
    assert (change.kind, change.before_id, change.after_id) == (ChangeKind.EDITED, first.pk, second.pk)
    assert page().status == PageStatus.EDITED


@pytest.mark.parametrize("noise", [
    BODY.replace("，", ", ").replace("。", ". "),  # half-width punctuation and spacing
    BODY + "\n阅读 1,286",  # a read counter
    BODY + "\n（责任编辑：王五）",  # the desk editor line
    BODY.replace("技能", " 技能 "),
])
def test_noise_is_no_edit(db, archive, noise):
    fetch(archive, 0, text=BODY + "\n阅读 35")
    assert fetch(archive, 30, text=noise) == CaptureOutcome.UNCHANGED
    assert Snapshot.objects.filter(page__url=URL).count() == 1 and kinds() == []


@pytest.mark.parametrize("failed", [{"article": None}, {"text": "产业工人队伍建设取得良好成效。"}])
def test_a_failed_reading_is_fetched_again_and_never_an_edit(db, archive, failed):
    fetch(archive, 0)
    fetch(archive, 30, **failed)
    p = page()
    assert p.status == PageStatus.LIVE and p.suspect_since is not None
    assert p.next_check == T0 + timedelta(minutes=40), "a suspect reading is fetched again ten minutes later"
    fetch(archive, 40, **failed)
    assert kinds() == [ChangeKind.EXTRACTION] and page().status == PageStatus.LIVE
    assert Snapshot.objects.filter(page__url=URL).count() == 1
    fetch(archive, 50)  # read right again: nothing was ever edited
    assert page().suspect_since is None and kinds() == [ChangeKind.EXTRACTION]


@pytest.mark.parametrize(("how", "reason"), [
    ({"status": 404}, RemovalReason.HTTP_404),
    ({"status": 410}, RemovalReason.HTTP_410),
    ({"status": 451}, RemovalReason.HTTP_451),
    ({"article": None, "gone": "soft-404"}, RemovalReason.SOFT_404),
    ({"article": None, "gone": "redirected", "url": "http://hx.example.cn/"}, RemovalReason.REDIRECTED),
    ({"article": None, "gone": "login-wall"}, RemovalReason.LOGIN_WALL),
    ({"article": None, "gone": "empty"}, RemovalReason.EMPTY),
])
def test_each_form_of_deletion_and_the_return(db, archive, how, reason):
    fetch(archive, 0)
    fetch(archive, 60, **how)
    p = page()
    assert (p.status, p.removal_reason, p.removed_at) == (PageStatus.REMOVED, reason, T0 + timedelta(minutes=60))
    fetch(archive, 120, **how)  # still gone: seen once
    assert kinds() == [ChangeKind.REMOVED] and page().removed_at == T0 + timedelta(minutes=60)
    fetch(archive, 180)
    p = page()
    assert kinds() == [ChangeKind.REMOVED, ChangeKind.RESTORED]
    assert (p.status, p.removal_reason, p.removed_at) == (PageStatus.LIVE, "", None)


def test_a_later_noarchive_withdraws_the_snapshots_until_lifted(db, archive, client):
    fetch(archive, 0)
    snap = Snapshot.objects.get(page__url=URL)
    assert client.get(f"/snapshot/{snap.pk}/").status_code == 200
    fetch(archive, 60, article=None, skipped=CaptureOutcome.NOARCHIVE, reason="noarchive", pointer=None)
    assert kinds() == [ChangeKind.WITHDRAWN] and page().status == PageStatus.EXCLUDED
    assert not Snapshot.objects.public().filter(page__url=URL).exists()
    assert client.get(f"/snapshot/{snap.pk}/").status_code == 404
    assert page().next_check is None, "left alone until rediscovered"
    fetch(archive, 120)
    assert kinds() == [ChangeKind.WITHDRAWN, ChangeKind.RESTORED]
    assert client.get(f"/snapshot/{snap.pk}/").status_code == 200


def test_a_304_costs_no_extraction_and_counts_as_seen(db, archive):
    fetch(archive, 0)
    assert fetch(archive, 30, status=304, article=None) == CaptureOutcome.NOT_MODIFIED
    p = page()
    assert p.last_seen == T0 + timedelta(minutes=30) and p.status == PageStatus.LIVE and kinds() == []


def test_the_next_check_follows_the_schedule_by_age(db, archive):
    fetch(archive, 0)
    assert page().next_check == T0 + timedelta(minutes=15), "under 3 hours old: every 15 minutes"
    fetch(archive, 60 * 30)
    assert page().next_check == T0 + timedelta(minutes=60 * 30 + 120), "a day old: every 2 hours"


def test_schedule_steps_and_end():
    assert DEFAULT.interval(timedelta(hours=1)) == timedelta(minutes=15)
    assert DEFAULT.interval(timedelta(days=2)) == timedelta(hours=2)
    assert DEFAULT.interval(timedelta(days=400)) is None
    custom = Schedule.parse("1h<1d, 1d<7d")
    assert custom.next_check(T0, T0 + timedelta(days=8)) is None
    with pytest.raises(ValueError, match="growing ages"):
        Schedule.parse("1h<2d, 2h<1d")


def test_the_snapshot_page_says_what_became_of_the_original(db, archive, client):
    fetch(archive, 0)
    first = Snapshot.objects.get(page__url=URL)
    html = client.get(f"/snapshot/{first.pk}/").content.decode()
    assert "原文仍在线（最后确认 2026-01-17 20:37）" in html and "这是此页面唯一的版本" in html
    assert html.index("原文仍在线") < html.index('<div class="body">'), "said before the body"
    fetch(archive, 30, text=BODY.replace("五万人次", "八万人次"))
    latest = Snapshot.objects.filter(page__url=URL).latest("captured_at")
    html = client.get(f"/snapshot/{first.pk}/").content.decode()
    assert "原文已修改 1 次（最近 2026-01-17 21:07）" in html
    assert f'你正在看的是较早的版本，<a href="/snapshot/{latest.pk}/">查看最新版本</a>' in html
    assert "（正在查看）" in html and "（最新）" in html
    assert "你正在看的是最新版本" in client.get(f"/snapshot/{latest.pk}/").content.decode()
    fetch(archive, 60, status=410)
    html = client.get(f"/snapshot/{latest.pk}/").content.decode()
    assert "原文已于 2026-01-17 21:37 删除" in html and "原网址返回 410（已永久删除）" in html
    for clock in ("页面所称发布时间", "本版快照时间", "原文最后在线"):
        assert clock in html


def test_deleted_and_edited_lists_feed_and_api(db, archive, client):
    from kuaizhao.archive.models import Category

    fetch(archive, 0)
    other = archive.add("另一篇将被删除的新闻", url="http://nf.example.cn/a/gone.html", text=BODY + "另有一段。")
    fetch(archive, 30, text=BODY.replace("五万人次", "八万人次"))
    gone = archive.capture("另一篇将被删除的新闻", url=other, text=BODY, when=T0 + timedelta(hours=2), status=404)
    store_captures([gone])
    removed = client.get("/changes/removed/").content.decode()
    assert "另一篇将被删除的新闻" in removed and "发现删除（原网址返回 404）" in removed
    assert "产业工人队伍建设改革" not in removed
    edited = client.get("/changes/edited/").content.decode()
    assert "产业工人队伍建设改革" in edited and "逐句对比" in edited and "另一篇" not in edited
    source = Page.objects.get(url=other).source
    assert "另一篇" in client.get(f"/changes/removed/?source={source.pk}").content.decode()
    elsewhere = Category.objects.exclude(name="国内").first()
    response = client.get(f"/changes/removed/?category={elsewhere.slug}")
    assert response.status_code == 200 and "另一篇" not in response.content.decode()
    home = Category.objects.get(name="国内").slug
    assert "另一篇" in client.get(f"/changes/removed/?category={home}").content.decode()
    assert client.get("/changes/removed/?source=x").status_code == 400
    assert client.get("/changes/nonsense/").status_code == 404
    atom = client.get("/changes/feed/atom").content.decode()
    assert atom.index("已删除：另一篇") < atom.index("已修改：产业工人"), "newest first"
    api = client.get("/api/pages", {"status": "removed"}).json()["items"]
    assert [p["url"] for p in api] == [other]
    assert client.get("/api/pages", {"status": "bogus"}).status_code == 400


def test_a_takedown_leaves_the_lists(db, archive, client):
    from kuaizhao.archive.services import take_down

    fetch(archive, 0)
    fetch(archive, 30, status=410)
    assert "产业工人" in client.get("/changes/removed/").content.decode()
    take_down(Snapshot.objects.filter(page__url=URL).values_list("pk", flat=True))
    assert "产业工人" not in client.get("/changes/removed/").content.decode()
    assert "产业工人" not in client.get("/changes/feed/atom").content.decode()
