"""Discovery: pure functions over the bytes of feeds, sitemaps and listing pages."""

import re

from kuaizhao.crawl.discover import feed_links, listing_links, sitemap_links


def test_rss_and_atom_links():
    rss = b'<rss version="2.0"><channel><item><link>http://x.cn/a/1.html</link></item><item><guid>/a/2.html</guid></item></channel></rss>'
    assert feed_links(rss, "http://x.cn/rss") == ["http://x.cn/a/1.html", "http://x.cn/a/2.html"]
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="/a/3.html"/></entry>'
            b'<entry><link href="http://[bad/a"/></entry></feed>')
    assert feed_links(atom, "http://x.cn/atom") == ["http://x.cn/a/3.html", "http://[bad/a"]
    assert feed_links(b"not xml at all <<<", "http://x.cn/") == []


def test_sitemaps_index_news_and_gzip():
    import gzip

    index = b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>http://x.cn/s1.xml</loc></sitemap></sitemapindex>'
    assert sitemap_links(index).sitemaps == ["http://x.cn/s1.xml"]
    news = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            b"<url><loc>http://x.cn/a/1.html</loc><news:news><news:title>t</news:title></news:news></url></urlset>")
    assert sitemap_links(news).articles == ["http://x.cn/a/1.html"]
    assert sitemap_links(gzip.compress(news)).articles == ["http://x.cn/a/1.html"]


def test_listing_links_pattern_next_page_and_gbk():
    body = ('<meta charset="gb2312"><a href="/a/1.html?from=list">王喆的新闻</a><a href="/about">关于</a>'
            '<a href="/a/2.html">二</a><a href="/list?page=2">下一页</a>').encode("gbk")
    found = listing_links(body, "http://x.cn/list", re.compile(r"/a/\d+\.html"))
    assert found.articles == ["http://x.cn/a/1.html?from=list", "http://x.cn/a/2.html"]
    assert found.next_page == "http://x.cn/list?page=2"
    # without a pattern: same-host links that look like articles
    body = b'<a href="/2023/01/17/story.html">a</a><a href="/about/">b</a><a href="http://other.cn/2023/01/17/x.html">c</a>'
    assert listing_links(body, "http://x.cn/", None).articles == ["http://x.cn/2023/01/17/story.html"]
