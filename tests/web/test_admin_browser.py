"""The admin in a real browser: titles get room, and a takedown is two clicks from the list and
one back from the snapshot's page."""

from __future__ import annotations

import pytest

from kuaizhao.archive.models import Snapshot, TakedownState

from .test_admin import TEXT_A, TEXT_B
from .test_browser import CHROMIUM, chromium_or_skip


@pytest.mark.browser
def test_taking_a_snapshot_down_in_chromium(django_db_serialized_rollback, live_server, archive, admin_user,
                                            settings, tmp_path, artifacts):
    """The live server needs a transactional database; with serialized rollback, as the suite's
    other transactional tests, so that the rows the migrations seed are back for the next test."""
    chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    settings.INDEX_DIR = tmp_path / "index"
    archive.add("泰国总理英拉：不辞职也不解散国会，反对派示威仍在继续", text=TEXT_A, category="国际")
    newest = Snapshot.objects.get(page__url=archive.add("英拉呼吁示威者结束示威", text=TEXT_B, category="国际"))
    # The ORM is not called below: Playwright's sync API runs an event loop in this thread.
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-background-networking"]
        )
        try:
            page = browser.new_page(viewport={"width": 1024, "height": 900})
            page.goto(live_server.url + "/admin/login/")
            page.fill("#id_username", admin_user.username)
            page.fill("#id_password", "password")
            page.click("input[type=submit]")
            page.goto(live_server.url + "/admin/archive/snapshot/")
            title = page.locator("th.field-headline a").first
            expect(title).to_have_text("英拉呼吁示威者结束示威")  # the newest first
            # The title column is not squeezed by the others (it once wrapped every few characters):
            # on a 1024-pixel screen, with the filters beside it, a line of it holds 20 characters.
            for cell in page.locator("th.field-headline").all():
                chars = cell.evaluate("c => c.clientWidth / parseFloat(getComputedStyle(c).fontSize)")
                assert chars >= 20, (cell.inner_text(), chars)

            page.locator("input[name=_selected_action]").first.check()
            page.select_option("select[name=action]", label="下架（隐藏快照）")
            page.get_by_role("button", name="执行").click()
            expect(page.locator("ul.messagelist")).to_contain_text("已下架 1 条快照")
            expect(page.locator("td.field-state").first).to_have_text("已屏蔽（451）")
            page.screenshot(path=str(artifacts / "admin-snapshots-1024.png"))

            page.locator("th.field-headline a").first.click()
            expect(page.locator("div.form-row.field-takedown")).to_contain_text("已屏蔽")
            fields = page.locator("#content-main input:visible, #content-main textarea, #content-main select")
            assert fields.count() == 0, "nothing of a snapshot is editable"
            page.get_by_role("button", name="恢复显示").click()
            expect(page.locator("ul.messagelist")).to_contain_text("已恢复显示 1 条快照")
            expect(page.get_by_role("button", name="下架（隐藏快照）")).to_be_visible()
            page.screenshot(path=str(artifacts / "admin-snapshot-1024.png"), full_page=True)
            page.goto(live_server.url + "/admin/archive/snapshot/?takedown__exact=blocked")
            expect(page.locator("th.field-headline a")).to_have_count(0)
        finally:
            browser.close()
    newest.refresh_from_db()
    assert newest.takedown == TakedownState.NONE
