"""`kuaizhao demo` end to end in a real browser: Debian chromium driven by Playwright."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def chromium_or_skip() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail("/usr/bin/chromium is missing in CI (make test installs it: scripts/system-deps.sh)")
    pytest.skip("Debian chromium is not installed (apt-get install chromium fonts-noto-cjk)")


@pytest.mark.browser
def test_demo_archive_in_chromium(demo_archive, artifacts):
    chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-background-networking"]
        )
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                failed: list[str] = []
                page.on("requestfailed", lambda r, failed=failed: failed.append(r.url))

                page.goto(demo_archive + "/")
                expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
                # Landmarks, and a keyboard user's first Tab offers to skip to the content.
                for role in ("banner", "main", "contentinfo", "search"):
                    expect(page.get_by_role(role).first).to_be_attached()
                page.keyboard.press("Tab")
                expect(page.locator("a.skip")).to_be_focused()
                expect(page.locator("a.skip")).to_be_visible()
                page.keyboard.press("Enter")
                assert page.url.endswith("#main")
                expect(page.locator('head link[rel="alternate"][type="application/atom+xml"]')).to_have_count(1)
                expect(page.get_by_role("navigation", name="新闻类别")).to_contain_text("国际")
                expect(page.locator("section.latest li.item").first).to_be_visible()
                page.screenshot(path=str(artifacts / f"home-{width}.png"), full_page=width == 390)

                page.get_by_role("navigation", name="新闻类别").get_by_role("link", name="财经").click()
                expect(page.locator("h1")).to_have_text("财经")
                expect(page.locator("ol.list li.item").first).to_be_visible()
                page.screenshot(path=str(artifacts / f"category-{width}.png"))

                page.locator("ol.list li.item a.title").first.click()
                expect(page.locator("article.snapshot h1")).to_be_visible()
                meta = page.locator("article.snapshot p.meta")
                expect(meta).to_contain_text("类别：财经")
                expect(meta).to_contain_text("发布时间：")
                expect(meta).to_contain_text("来源：")
                assert page.locator("article.snapshot .body p").count() >= 3
                notice = page.locator("section.notice")
                expect(notice).to_contain_text("快照生成时间：")
                expect(notice).to_contain_text("信息原文地址：http://127.0.0.1:")
                expect(notice).to_contain_text("如有侵权请联系我们进行删除")
                # nothing wider than the screen: the page reads on a phone
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
                related = page.locator("section.related")
                expect(related.locator("h2")).to_have_text("相关报道")
                expect(related.locator("p.excerpt mark").first).to_be_visible()
                expect(page.locator("section.more h2")).to_have_text("更多关于财经的资讯")
                page.screenshot(path=str(artifacts / f"snapshot-{width}.png"), full_page=True)
                # a Memento of its original URL
                headers = page.request.get(page.url).headers
                assert headers["memento-datetime"].endswith("GMT") and 'rel="timemap"' in headers["link"]

                # Related coverage leads to another snapshot with its own blocks.
                first_title = page.locator("article.snapshot h1").inner_text()
                related.locator("li.item a.title").first.click()
                expect(page.locator("article.snapshot h1")).to_be_visible()
                assert page.locator("article.snapshot h1").inner_text() != first_title
                expect(page.locator("section.notice")).to_contain_text("如有侵权请联系我们进行删除")
                page.screenshot(path=str(artifacts / f"related-{width}.png"))
                page.go_back()

                assert not failed, f"our own pages requested something that failed: {failed}"

                # The capture is shown in a sandbox: its own stylesheets and images (relative URLs,
                # which would resolve to our origin) are blocked, not loaded.
                loaded: list[str] = []
                page.on("requestfinished", lambda r, loaded=loaded: loaded.append(r.url))
                page.get_by_role("link", name="查看原始抓取").click()
                expect(page.locator("iframe.raw")).to_have_attribute("sandbox", "")
                expect(page.frame_locator("iframe.raw").locator("h1")).to_be_visible()
                assert not [u for u in loaded if "/css/" in u or "/img/" in u], loaded
                page.screenshot(path=str(artifacts / f"raw-{width}.png"))

                # Search from the header box: excerpts with marks, facets, the syntax help.
                page.goto(demo_archive + "/")
                page.get_by_role("searchbox", name="搜索快照").fill("经济 -体育")
                page.get_by_role("searchbox", name="搜索快照").press("Enter")
                expect(page.locator("h2.results-head")).to_contain_text("找到")
                expect(page.locator("p.understood")).to_contain_text("经济；不含 体育")
                expect(page.locator("li.hit p.excerpt mark").first).to_have_text("经济")
                if width == 1280:
                    expect(page.get_by_role("complementary", name="筛选")).to_contain_text("类别")
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
                page.screenshot(path=str(artifacts / f"search-{width}.png"), full_page=True)
                # The query as a feed: announced in <head>, linked on the page, parseable.
                alternate = page.locator('head link[rel="alternate"][type="application/rss+xml"]')
                expect(alternate).to_have_attribute("href", re.compile(r"^/search/feed\?q="))
                with page.expect_response(re.compile(r"/search/feed\?q=")) as feed_response:
                    page.locator("p.feed-links").get_by_role("link", name="RSS").click()
                feed = feed_response.value
                assert feed.status == 200 and feed.headers["content-type"].startswith("application/rss+xml")
                import feedparser

                parsed = feedparser.parse(feed.body())
                assert not parsed.bozo and parsed.entries and "经济" in parsed.feed.title
                page.go_back()
                page.get_by_role("link", name="时间").click()
                expect(page.locator("p.sorts strong")).to_have_text("时间")
                page.locator("li.hit a.title").first.click()
                expect(page.locator("article.snapshot h1")).to_be_visible()
                page.goto(demo_archive + "/search?q=%22%E7%BB%8F%E6%B5%8E")
                expect(page.locator("p.search-error")).to_contain_text("引号没有配对")
                page.close()
        finally:
            browser.close()
