"""The takedown process in a real browser, at 1280 and 390 pixels: a reader files a notice from a
snapshot page's 如有侵权请联系我们进行删除, an operator approves it in the admin, and the snapshot's
address becomes a 451 tombstone naming the request, which the transparency log lists."""

from __future__ import annotations

import re

import pytest

from kuaizhao.archive.models import Snapshot

from .test_admin import TEXT_A
from .test_browser import CHROMIUM, chromium_or_skip


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_a_notice_filed_by_a_reader_and_approved_by_an_operator(django_db_serialized_rollback, live_server, archive,
                                                               admin_user, settings, tmp_path, artifacts, width):
    chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    settings.INDEX_DIR = tmp_path / "index"
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    snap = Snapshot.objects.get(page__url=archive.add("泰国总理英拉：不辞职也不解散国会", text=TEXT_A, category="国际"))
    evidence = tmp_path / "授权书.pdf"
    evidence.write_bytes(b"%PDF-1.4 proof of ownership")
    shot = f"takedown-{width}"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-background-networking"]
        )
        try:
            reader = browser.new_page(viewport={"width": width, "height": 900})
            reader.goto(f"{live_server.url}/snapshot/{snap.pk}/")
            reader.get_by_role("link", name="如有侵权请联系我们进行删除").click()
            expect(reader.locator("h1")).to_have_text("删除通知")
            expect(reader.locator("#id_urls")).to_have_value(re.compile(r"hx\.example\.cn"))
            box = reader.locator("#id_website").bounding_box()  # the honeypot: off-screen for people
            assert box is not None and box["x"] + box["width"] < 0
            # A forgotten tick and a bad address are answered beside the fields, not with an error page.
            reader.fill("#id_name", "张三")
            reader.fill("#id_email", "不是邮箱")
            reader.get_by_role("button", name="提交通知").click()
            expect(reader.locator(".form-error")).to_contain_text("请修改下面标出的内容")
            expect(reader.locator(".field.has-error").first).to_be_visible()
            reader.screenshot(path=str(artifacts / f"{shot}-form-errors.png"), full_page=True)
            reader.fill("#id_organisation", "某某报社")
            reader.fill("#id_email", "zhang@example.cn")
            reader.fill("#id_address", "湖南省长沙市某路 1 号")
            reader.select_option("#id_relationship", "owner")
            reader.select_option("#id_basis", "copyright")
            reader.fill("#id_statement", "这篇报道是本报记者原创，未经许可全文转载。")
            reader.set_input_files("#id_evidence_files", str(evidence))
            reader.check("#id_sworn")
            reader.get_by_role("button", name="提交通知").click()
            expect(reader.locator("h1")).to_have_text("已收到您的删除通知")
            number = reader.locator(".request-number").inner_text()
            assert re.fullmatch(r"TD-\d{4}-\d{5}", number)
            reader.screenshot(path=str(artifacts / f"{shot}-received.png"), full_page=True)

            operator = browser.new_page(viewport={"width": max(width, 1024), "height": 900})
            operator.goto(live_server.url + "/admin/login/")
            operator.fill("#id_username", admin_user.username)
            operator.fill("#id_password", "password")
            operator.click("input[type=submit]")
            operator.goto(live_server.url + "/admin/archive/takedownrequest/")
            operator.get_by_role("link", name=number).click()
            expect(operator.locator("#content-main")).to_contain_text("授权书.pdf")
            operator.select_option("#kz-decide select[name=move]", "approve_block")
            operator.fill("#kz-decide textarea[name=reason]", "权利人提供了权属证明")
            operator.locator("#kz-decide input[type=submit]").click()
            expect(operator.locator("ul.messagelist")).to_contain_text(f"{number}：批准：屏蔽（451），1 条快照")
            operator.screenshot(path=str(artifacts / f"{shot}-admin.png"), full_page=True)

            answer = reader.goto(f"{live_server.url}/snapshot/{snap.pk}/")
            assert answer is not None and answer.status == 451
            expect(reader.locator("h1")).to_have_text("此快照已应权利人要求屏蔽")
            expect(reader.locator(".tombstone-facts")).to_contain_text(number)
            expect(reader.locator("main")).not_to_contain_text("不辞职也不解散国会")
            reader.screenshot(path=str(artifacts / f"{shot}-451.png"), full_page=True)
            reader.get_by_role("link", name=number).click()
            row = reader.locator(f"tr#{number}")
            expect(row).to_contain_text("已批准")
            expect(row).to_contain_text("某某报社")
            expect(reader.locator("main")).not_to_contain_text("张三")
            reader.screenshot(path=str(artifacts / f"{shot}-transparency.png"), full_page=True)
            # Nothing overflows the phone's width.
            assert reader.evaluate("document.documentElement.scrollWidth") <= width + 1
        finally:
            browser.close()
