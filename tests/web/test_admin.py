"""The operators' admin: captured content is read-only everywhere, takedowns go through the
services and reach search at once, and crawl health per source is shown."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.forms.models import model_to_dict
from django.urls import reverse

from kuaizhao.archive import services
from kuaizhao.archive.models import AccessRule, Category, Snapshot, Source, TakedownRequest, TakedownState
from kuaizhao.archive.services import access, requests
from kuaizhao.search import sync

# Form controls an admin page of captured rows may hold: the CSRF token, the search box, and the
# list's action form (action, selection). Anything else named would be an editable field.
NOT_FIELDS = {"csrfmiddlewaretoken", "q", "action", "select_across", "index", "_selected_action"}
CONTROL = re.compile(r"<(input|textarea|select)\b[^>]*?\bname=\"([^\"]+)\"", re.DOTALL)

TEXT_A = "泰国总理英拉今天发表讲话，强调不会辞职也不会解散国会。\n曼谷街头的反政府示威今天仍在继续。"
TEXT_B = "泰国总理英拉再次呼吁示威者结束示威活动。\n英拉承诺不会要求警方动用武力清场，解散国会不在考虑之中。"
TEXT_C = "国际奥委会今天宣布，下届冬奥会筹备工作进展顺利，英拉出席了发布会。"


@pytest.fixture
def index_dir(settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "index"
    return settings.INDEX_DIR


def controls(html: str) -> set[str]:
    """Names of the form controls on a page."""
    return {name for _, name in CONTROL.findall(html)}


def visible(html: str) -> str:
    """The text a reader of the page sees (no markup, scripts or attribute values)."""
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


def captured(model: type) -> bool:
    """Every archive model but categories and the takedown records (operators' own, changed
    through the decision forms) holds what was captured (or derived from it)."""
    return model._meta.app_label == "archive" and model not in (Category, AccessRule, TakedownRequest)


def test_no_captured_field_is_editable_anywhere(admin_client, archive):
    archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际")
    archive.add("英拉呼吁示威者结束示威", text=TEXT_B, category="国际")
    Group.objects.create(name="值班编辑")
    requests.submit(requests.Notice(name="张三", email="z@example.cn", address="长沙", relationship="owner",
                                    basis="copyright", statement="说明", targets=[("url", "http://a.cn/1.htm")]))
    access.add_rule("host", "a.cn", "block", "operator")
    walked = set()
    for model in admin.site._registry:
        opts = model._meta
        changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.label
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {opts.label} to look at: the walk would prove nothing"
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        page = admin_client.get(change_url)
        assert page.status_code == 200, opts.label
        walked.add(model)
        if not captured(model):
            continue
        html = changelist.content.decode() + page.content.decode()
        assert controls(html) <= NOT_FIELDS, (opts.label, controls(html) - NOT_FIELDS)
        assert "delete_selected" not in changelist.content.decode(), opts.label
        # Saving what a change form would send, every field changed, changes nothing.
        before = model_to_dict(obj)
        forged = {f.name: "篡改" if f.get_internal_type() in ("CharField", "TextField") else "1"
                  for f in opts.concrete_fields if not f.primary_key}
        forged["takedown"] = TakedownState.BLOCKED
        assert admin_client.post(change_url, forged).status_code == 403, opts.label
        obj.refresh_from_db()
        assert model_to_dict(obj) == before, opts.label
        # Nothing captured is added or deleted by hand (deleting is not a takedown).
        assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
        delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
        assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403, opts.label
        assert model._default_manager.filter(pk=obj.pk).exists()
    assert {Snapshot, Source, Category} <= walked and sum(map(captured, walked)) >= 4


def test_categories_stay_editable_and_a_rename_reaches_search(admin_client, archive, index_dir):
    archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际")
    sync.apply_pending()
    world = Category.objects.get(name="国际")
    url = reverse("admin:archive_category_change", args=[world.pk])
    assert {"name", "slug", "position"} <= controls(admin_client.get(url).content.decode())
    done = admin_client.post(url, {"name": "国际新闻", "slug": "world", "position": 7})
    assert done.status_code == 302
    world.refresh_from_db()
    assert (world.name, world.position) == ("国际新闻", 7)
    found = admin_client.get("/search", {"q": "英拉 category:国际新闻"}).content.decode()
    assert "找到 1 篇" in found, "the index heard of the rename"
    delete = reverse("admin:archive_category_delete", args=[world.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def _facet(html: str, name: str) -> str | None:
    from urllib.parse import quote

    found = re.search(rf'category%3A{re.escape(quote(name))}">{name}</a> <span class="count">(\d+)</span>', html)
    return found.group(1) if found else None


def test_takedown_action_hides_the_snapshot_from_search_totals_and_facets(admin_client, archive, index_dir):
    archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际")
    archive.add("英拉呼吁示威者结束示威", text=TEXT_B, category="国际")
    archive.add("冬奥会筹备", text=TEXT_C, category="体育")
    sync.apply_pending()
    gone = Snapshot.objects.get(title="英拉呼吁示威者结束示威")
    html = admin_client.get("/search", {"q": "英拉"}).content.decode()
    assert "找到 3 篇" in html and _facet(html, "国际") == "2" and _facet(html, "体育") == "1"

    changelist = reverse("admin:archive_snapshot_changelist")
    assert "下架（隐藏快照）" in admin_client.get(changelist).content.decode()
    done = admin_client.post(changelist, {"action": "take_down", "_selected_action": [gone.pk]}, follow=True)
    assert "已下架 1 条快照" in done.content.decode()
    gone.refresh_from_db()
    assert gone.takedown == TakedownState.BLOCKED
    # No apply_pending here: the action brought the index up to date itself.
    html = admin_client.get("/search", {"q": "英拉"}).content.decode()
    assert "找到 2 篇" in html and _facet(html, "国际") == "1" and _facet(html, "体育") == "1"
    assert f"/snapshot/{gone.pk}/" not in html
    assert admin_client.get(f"/snapshot/{gone.pk}/").status_code in (404, 451)

    # The snapshot's own page in the admin shows the state and offers the way back.
    page = admin_client.get(reverse("admin:archive_snapshot_change", args=[gone.pk])).content.decode()
    assert "已屏蔽" in page and "恢复显示" in page
    restore = reverse("admin:archive_snapshot_restore", args=[gone.pk])
    assert admin_client.get(restore).status_code == 405, "a decision is a POST"
    admin_client.post(restore)
    gone.refresh_from_db()
    assert gone.takedown == TakedownState.NONE
    html = admin_client.get("/search", {"q": "英拉"}).content.decode()
    assert "找到 3 篇" in html and _facet(html, "国际") == "2"


def test_only_operators_allowed_to_change_snapshots_take_them_down(client, archive, index_dir):
    url = archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际")
    snapshot = Snapshot.objects.get(page__url=url)
    reader = User.objects.create_user("reader", password="x", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_snapshot"))
    client.force_login(reader)
    changelist = reverse("admin:archive_snapshot_changelist")
    assert client.get(changelist).status_code == 200
    assert 'value="take_down"' not in client.get(changelist).content.decode()
    assert client.post(reverse("admin:archive_snapshot_takedown", args=[snapshot.pk])).status_code == 403
    client.post(changelist, {"action": "take_down", "_selected_action": [snapshot.pk]})
    snapshot.refresh_from_db()
    assert snapshot.takedown == TakedownState.NONE


def test_lists_newest_first_in_chinese(admin_client, archive):
    for n in range(3):
        archive.add(f"第{n}篇：英拉发表讲话", text=TEXT_A + f"\n第{n}段。", category="国际")
    html = admin_client.get(reverse("admin:archive_snapshot_changelist")).content.decode()
    titles = list(dict.fromkeys(re.findall(r"第(\d)篇：英拉发表讲话", html)))
    assert titles == ["2", "1", "0"], "newest first"
    for header in ("标题", "网站", "类别", "发布时间", "快照时间", "显示状态", "报道"):
        assert f">{header}</" in html, header
    assert "以 显示状态" in html and "以 原文状态" in html
    for name in ("title", "takedown", "published", "captured", "source", "category", "story"):
        assert name not in visible(html).lower(), name
    # an address as a takedown request gives it: another scheme, www., upper case
    found = admin_client.get(reverse("admin:archive_snapshot_changelist"),
                             {"q": "https://www.HX.example.cn/gn/2026-01/17/content_2.htm"}).content.decode()
    assert list(dict.fromkeys(re.findall(r"第(\d)篇：英拉发表讲话", found))) == ["1"]
    pages = admin_client.get(reverse("admin:archive_page_changelist")).content.decode()
    assert pages.index("content_3.htm") < pages.index("content_1.htm")
    assert "以 状态" in pages and "在线" in pages


def test_source_list_shows_the_last_crawls_health(admin_client, archive):
    started = datetime(2026, 1, 17, 4, 0, tzinfo=UTC)
    services.start_crawl(["华夏日报", "南风资讯"], started)
    services.end_crawl(["华夏日报"], started, started + timedelta(minutes=3), "finished",
                       {"华夏日报": {"fetched": 40, "new": 12, "unchanged": 25, "unreachable": 2, "http-error": 1,
                                  "robots": 1, "not-article": 3}})
    html = admin_client.get(reverse("admin:archive_source_changelist")).content.decode()
    assert "sources.toml" in html
    row = html.split("华夏日报</a>")[1].split("</tr>")[0]
    assert "2026-01-17 12:00" in row and "2026-01-17 12:03" in row and "正常结束" in row
    assert ">40<" in row and ">12<" in row
    assert "无法访问 2 · HTTP 错误 1 · robots.txt 禁止 1" in row and "非文章 3" in row
    unfinished = html.split("南风资讯</a>")[1].split("</tr>")[0]
    assert "未完成/中断" in unfinished and "进程被终止" in unfinished
    assert '<td class="field-fetched">—</td>' in unfinished, "nothing was counted, which is not zero"
    assert '<td class="field-problems">—</td>' in unfinished
