"""Takedowns in the admin: the decision form on a request's page and the rule form call the
services (state, rules, audit trail with the operator's name); evidence files are for operators
only; a move the state does not allow is refused with the reason."""

from __future__ import annotations

from django.urls import reverse

from kuaizhao.archive.access import AccessRule, TakedownAttachment
from kuaizhao.archive.models import RequestState, Snapshot, TakedownState
from kuaizhao.archive.services import requests


def _claim(url: str, attachments=()):
    return requests.submit(requests.Notice(
        name="张三", email="z@example.cn", address="长沙", relationship="owner", basis="privacy",
        statement="文中有我的住址", targets=[("url", url)], attachments=list(attachments)))


def test_an_operator_approves_a_request_on_its_page(admin_client, archive, admin_user):
    url = archive.add("有住址的文章")
    claim = _claim(url)
    page = reverse("admin:archive_takedownrequest_change", args=[claim.pk])
    html = admin_client.get(page).content.decode()
    assert "处理这份通知" in html and "批准：屏蔽（451）" in html and "文中有我的住址" in html
    decide = reverse("admin:archive_takedownrequest_decide", args=[claim.pk])
    assert admin_client.get(decide).status_code == 405, "a decision is a POST"
    done = admin_client.post(decide, {"move": "approve_exclude", "reason": "涉及个人住址"}, follow=True)
    assert "排除（404）" in done.content.decode()
    claim.refresh_from_db()
    assert claim.state == RequestState.APPROVED and claim.public_reason == "涉及个人住址"
    assert claim.events.last().actor == admin_user.username
    assert set(Snapshot.objects.filter(page__url=url).values_list("takedown", flat=True)) == {TakedownState.EXCLUDED}


def test_a_move_the_state_does_not_allow_is_refused_with_the_reason(admin_client, db):
    claim = _claim("http://a.cn/1.htm")
    decide = reverse("admin:archive_takedownrequest_decide", args=[claim.pk])
    done = admin_client.post(decide, {"move": "uphold", "reason": "x"}, follow=True).content.decode()
    assert "只有「收到反通知」的请求可以这样处理" in done
    claim.refresh_from_db()
    assert claim.state == RequestState.RECEIVED


def test_a_rule_added_in_the_admin_is_applied_at_once(admin_client, archive, admin_user):
    url = archive.add("整站屏蔽", url="http://blog.example.org/a.htm")
    add = reverse("admin:archive_accessrule_add")
    done = admin_client.post(add, {"scope": "host", "pattern": "blog.example.org", "action": "block",
                                   "reason": "网站所有者要求"}, follow=True)
    assert done.status_code == 200 and "规则已生效，1 条快照" in done.content.decode()
    made = AccessRule.objects.get()
    assert made.created_by == admin_user.username and made.key == "org,example,blog"
    assert Snapshot.objects.get(page__url=url).takedown == TakedownState.BLOCKED
    changelist = reverse("admin:archive_accessrule_changelist")
    admin_client.post(changelist, {"action": "lift", "_selected_action": [made.pk]}, follow=True)
    assert Snapshot.objects.get(page__url=url).takedown == TakedownState.NONE
    made.refresh_from_db()
    assert made.lifted_by == admin_user.username and made.events.count() == 2


def test_evidence_files_are_for_operators_only(admin_client, client, db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    claim = _claim("http://a.cn/1.htm", [("授权书.pdf", b"%PDF-1.4 proof", "application/pdf")])
    attachment = TakedownAttachment.objects.get(request=claim)
    url = reverse("admin:archive_takedownrequest_attachment", args=[attachment.pk])
    assert client.get(url).status_code == 302, "anonymous: to the login page"
    got = admin_client.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 proof"
    assert got["Content-Disposition"].startswith("attachment;")
    assert [p.name for p in (tmp_path / "uploads").rglob("*.pdf")] == [attachment.file.name.rsplit("/", 1)[-1]]
