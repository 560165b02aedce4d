"""Canonical URLs: one Page per article, however the link to it was written."""

import pytest

from kuaizhao.archive.canonical import canonical_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://News.Example.CN:80/a/1.html?from=list&spm=nf.3#top", "http://news.example.cn/a/1.html"),
        ("https://x.cn/n?id=5&utm_source=wx&b=2", "https://x.cn/n?b=2&id=5"),
        ("https://x.cn:443/a", "https://x.cn/a"),
        ("http://x.cn:8080/a?t=1", "http://x.cn:8080/a?t=1"),
        ("http://x.cn/路径/新闻.html", "http://x.cn/%E8%B7%AF%E5%BE%84/%E6%96%B0%E9%97%BB.html"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("url", ["javascript:void(0)", "ftp://x.cn/a", "http://[broken-host/a", "/relative"])
def test_canonical_url_rejects(url):
    with pytest.raises(ValueError, match=r"not an http|Invalid IPv6 URL"):
        canonical_url(url)
