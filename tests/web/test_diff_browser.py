"""The diff page in a real browser at desktop and phone width (screenshots in test-artifacts/)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kuaizhao.archive.models import Snapshot

from .conftest import T0
from .test_browser import CHROMIUM, chromium_or_skip

LONG = ("国务院新闻办公室今天上午举行新闻发布会，介绍2025年国民经济运行情况。"
        "国家统计局局长在会上表示，全年国内生产总值比上年增长5.0%，经济运行总体平稳、稳中有进。\n"
        + "".join(f"第{i}季度，规模以上工业增加值同比增长{i + 4}.{i}%，社会消费品零售总额稳步回升。"
                  for i in range(1, 5))
        + "\n发布会上，有记者就就业、物价和房地产市场等问题提问，发言人逐一作了回答。")


@pytest.mark.browser
def test_diff_page_reads_at_desktop_and_phone_width(django_db_serialized_rollback, live_server, archive, artifacts):
    chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    url = archive.add("国家统计局：2025年国内生产总值增长5.0%", text=LONG, authors=("记者 王芳",), source="新华社")
    archive.add("国家统计局：2025年国内生产总值比上年增长5.0% 经济运行总体平稳", url=url,
                text=LONG.replace("增长5.0%", "增长5.1%").replace("第3季度", "第三季度")
                + "\n【更正】本文此前版本中的增速有误，已更正。",
                authors=("记者 王芳", "李明"), source="新华社", when=T0 + timedelta(hours=3))
    _, second = Snapshot.objects.filter(page__url=url).order_by("captured_at")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--headless", "--no-sandbox", "--disable-background-networking"])
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"{live_server.url}/snapshot/{second.pk}/")
                page.get_by_role("link", name="与上一版对比").click()
                expect(page.locator("h1")).to_contain_text("版本对比")
                expect(page.locator(".diff-title ins").first).to_have_text("比上年")
                expect(page.locator(".diff-byline ins")).to_have_text("记者 王芳、李明")
                expect(page.locator(".diff-body del").first).to_have_text("5.0")
                expect(page.locator(".diff-body ins").last).to_contain_text("【更正】")
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, "no sideways scrolling"
                page.screenshot(path=str(artifacts / f"diff-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()
