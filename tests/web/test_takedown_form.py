"""The public takedown form (/takedown/): a valid notice gets a number, a receipt page and a mail;
bad input is a 400 with the reason beside the field, never a 500; a bot filling the honeypot is
thanked and nothing is stored; an address over its hourly limit gets a 429; the transparency log
shows decisions without personal data."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from kuaizhao.archive.access import TakedownAttachment, TakedownRequest
from kuaizhao.archive.models import RuleAction
from kuaizhao.archive.services import requests

GOOD = {"name": "张三", "organisation": "某某报社", "email": "zhang@example.cn", "address": "长沙市某路 1 号",
        "relationship": "owner", "urls": "http://hx.example.cn/gn/1.htm\nhx.example.cn/gn/2.htm",
        "scope": "url", "basis": "copyright", "statement": "这两篇是本报原创，未经许可转载。", "evidence": "",
        "sworn": "on", "website": ""}


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    from django.core.cache import cache

    cache.clear()
    settings.TAKEDOWN_PER_HOUR = 5


def test_the_form_is_linked_from_every_snapshot_page_with_its_url(client, archive):
    from kuaizhao.archive.models import Snapshot

    url = archive.add("有链接的快照")
    page = client.get(f"/snapshot/{Snapshot.objects.get(page__url=url).pk}/").content.decode()
    link = re.search(r'href="(/takedown/\?url=[^"]+)">如有侵权请联系我们进行删除', page)
    assert link is not None
    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "hx.example.cn/gn/2026-01/17/content_1.htm" in form and 'name="sworn"' in form
    assert 'href="/takedown/"' in client.get("/about/").content.decode()


def test_a_valid_notice_is_numbered_mailed_and_shown_to_its_sender(client, db):
    answer = client.post("/takedown/", GOOD)
    assert answer.status_code == 302 and answer["Location"].startswith("/takedown/received/?t=")
    claim = TakedownRequest.objects.get()
    assert claim.targets == [["url", "http://hx.example.cn/gn/1.htm"], ["url", "hx.example.cn/gn/2.htm"]]
    assert claim.sworn and claim.client == "127.0.0.1"
    receipt = client.get(answer["Location"]).content.decode()
    assert claim.number in receipt and "zhang@example.cn" in receipt
    assert [m.to for m in mail.outbox] == [["zhang@example.cn"]]
    assert claim.number in mail.outbox[0].subject and "/transparency/" in mail.outbox[0].body
    assert client.get("/takedown/received/?t=forged").status_code == 404


def test_operators_are_mailed_when_named(client, db, settings):
    settings.TAKEDOWN_NOTIFY = ["ops@kuaizhao.example"]
    client.post("/takedown/", GOOD)
    assert [m.to for m in mail.outbox] == [["zhang@example.cn"], ["ops@kuaizhao.example"]]


@pytest.mark.parametrize(("change", "field_says"), [
    ({"email": "不是邮箱"}, "有效的 Email 地址"),
    ({"urls": ""}, "这个字段是必填项"),
    ({"urls": "不是网址 也不是"}, "网址中不能有空格"),
    ({"urls": "javascript:alert(1)"}, "不是有效的网址"),
    ({"urls": "http://[::1/a"}, "不是有效的网址"),
    ({"urls": "http://a..com/\n..."}, "网站名无效"),
    ({"urls": "http://hx.example.cn/gn/1.htm", "scope": "host"}, "整个网站只需填写网站名"),
    ({"urls": "http://testserver/snapshot/987654/"}, "本站没有这个快照"),
    ({"urls": "\n".join(f"http://a.cn/{n}" for n in range(101))}, "一次最多 100 个网址"),
    ({"sworn": ""}, "这个字段是必填项"),
    ({"basis": "revenge"}, "不在可用的选项中"),
    ({"statement": "x" * 10001}, "不超过 10000 字符"),
    ({"name": ""}, "这个字段是必填项"),
])
def test_bad_input_is_a_400_that_says_what_to_fix(client, db, change, field_says):
    answer = client.post("/takedown/", {**GOOD, **change})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert field_says in page and "请修改下面标出的内容" in page
    assert not TakedownRequest.objects.exists()


@pytest.mark.parametrize(("name", "content", "accepted"), [
    ("授权书.pdf", b"%PDF-1.4 ...", True),
    ("截图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, True),
    ("说明.txt", "权属说明".encode(), True),
    ("evil.pdf", b"MZ\x90\x00 not a pdf at all \xff\xfe", False),
    ("page.html", b"<script>alert(1)</script>\x00", False),
])
def test_attachments_are_told_by_their_bytes(client, db, name, content, accepted):
    answer = client.post("/takedown/", {**GOOD, "evidence_files": SimpleUploadedFile(name, content)})
    assert answer.status_code == (302 if accepted else 400)
    if accepted:
        attachment = TakedownAttachment.objects.get()
        assert attachment.name == name and attachment.size == len(content)
        assert attachment.file.read() == content
    else:
        assert "不是 PDF、图片或纯文本文件" in answer.content.decode()


def test_too_many_or_too_large_attachments_are_refused(client, db, settings):
    settings.TAKEDOWN_MAX_FILES, settings.TAKEDOWN_MAX_FILE_MB = 2, 0.001
    files = [SimpleUploadedFile(f"{n}.txt", b"ok") for n in range(3)]
    assert "附件最多 2 个" in client.post("/takedown/", {**GOOD, "evidence_files": files}).content.decode()
    big = SimpleUploadedFile("big.txt", b"x" * 2000)
    assert "超过" in client.post("/takedown/", {**GOOD, "evidence_files": big}).content.decode()
    assert not TakedownRequest.objects.exists()


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(client, db):
    answer = client.post("/takedown/", {**GOOD, "website": "http://spam.example/"})
    assert answer.status_code == 200 and "谢谢" in answer.content.decode()
    assert not TakedownRequest.objects.exists() and not mail.outbox


def test_an_address_over_its_hourly_limit_gets_a_429(client, db, settings):
    settings.TAKEDOWN_PER_HOUR = 2
    assert [client.post("/takedown/", GOOD).status_code for _ in range(3)] == [302, 302, 429]
    limited = client.post("/takedown/", GOOD)
    assert int(limited["Retry-After"]) > 0 and "每小时最多提交 2 份" in limited.content.decode()
    assert TakedownRequest.objects.count() == 2


def test_the_transparency_log_shows_decisions_without_personal_data(client, db):
    client.post("/takedown/", GOOD)
    client.post("/takedown/", {**GOOD, "organisation": "", "urls": "http://nf.example.cn/x.htm"})
    decided, pending = TakedownRequest.objects.order_by("pk")
    requests.approve(decided, "editor", RuleAction.BLOCK, "本报原创")
    page = client.get("/transparency/").content.decode()
    assert decided.number in page and "本报原创" in page and "http://hx.example.cn/gn/1.htm" in page
    assert "某某报社" in page and "著作权" in page and "另有 1 份通知正在审核" in page
    assert pending.number not in page and "http://nf.example.cn/x.htm" not in page
    for private in ("张三", "zhang@example.cn", "长沙市某路"):
        assert private not in page


def test_a_snapshot_page_address_is_read_as_the_url_it_archived(client, archive):
    from kuaizhao.archive.models import Snapshot

    url = archive.add("快照地址提交")
    pk = Snapshot.objects.get(page__url=url).pk
    assert client.post("/takedown/", {**GOOD, "urls": f"http://testserver/snapshot/{pk}/"}).status_code == 302
    assert TakedownRequest.objects.get().targets == [["url", url]]


def test_only_valid_notices_count_against_the_hourly_limit(client, db, settings):
    settings.TAKEDOWN_PER_HOUR = 1
    for _ in range(5):  # a claimant correcting typos
        assert client.post("/takedown/", {**GOOD, "email": "typo"}).status_code == 400
    assert client.post("/takedown/", GOOD).status_code == 302
    assert client.post("/takedown/", GOOD).status_code == 429


@pytest.mark.parametrize("name", ["!!!", "a." + "b" * 140, "a." + "证" * 95, "../../etc/passwd.pdf"])
def test_any_attachment_name_is_stored_under_a_name_of_our_own(client, db, settings, tmp_path, name):
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    answer = client.post("/takedown/", {**GOOD, "evidence_files": SimpleUploadedFile(name, b"%PDF-1.4 x")})
    assert answer.status_code == 302
    stored = TakedownAttachment.objects.get()
    assert stored.file.read() == b"%PDF-1.4 x" and ".." not in stored.file.name
    assert [p for p in (tmp_path / "uploads").rglob("*") if p.is_file()] == [tmp_path / "uploads" / stored.file.name]


def test_a_body_django_refuses_is_answered_on_the_form(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = client.post("/takedown/", {**GOOD, "statement": "长" * 2000})
    assert answer.status_code == 413 and "提交的内容太大" in answer.content.decode()
    assert not TakedownRequest.objects.exists()


def test_an_excluded_or_rejected_notice_shows_only_its_site(client, db):
    client.post("/takedown/", {**GOOD, "urls": "http://hx.example.cn/private/1.htm"})
    client.post("/takedown/", {**GOOD, "urls": "http://nf.example.cn/rejected/2.htm"})
    excluded, rejected = TakedownRequest.objects.order_by("pk")
    requests.approve(excluded, "editor", RuleAction.EXCLUDE, "涉及隐私")
    requests.reject(rejected, "editor", "材料不足")
    page = client.get("/transparency/").content.decode()
    assert excluded.number in page and rejected.number in page
    assert "/private/1.htm" not in page and "/rejected/2.htm" not in page
    assert "hx.example.cn/…（具体网址不公开）" in page and "nf.example.cn/…（具体网址不公开）" in page
