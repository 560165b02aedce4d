"""The article footprint (extract/footprint.py): a recheck's 200 page is the same article when the
parts it was read from hash as before, whatever changed around them — and never when a word of the
article changed. The page is composed in the shape most Chinese news pages share: a navigation bar,
the article (headline, an info line with 来源 / 作者 / time, the body, 责任编辑 after it) and a
sidebar of 热点新闻 with dates."""

from __future__ import annotations

import pytest

from kuaizhao.extract import Article, read, same_article

URL = "https://news.example.cn/2026/1204/a1.html"
BODY = [f"第{n}段：市政府今日召开新闻发布会，通报了全市重点项目的建设进展，并回答了记者提问。" for n in range(6)]


def page(*, title="重点项目建设进展通报", headline="重点项目建设进展通报", author="王明", body=BODY,
         sidebar=("昨日要闻一则", "新闻二则"), csrf="a1b2", og_title="重点项目建设进展通报", wrapper="article-wrap",
         ad="", where="aside") -> bytes:
    """`where` the list of other news stands: aside (beside the article), after (in the article's
    wrapper, after the body: 相关阅读), between (headline and body), inside (the body's element)."""
    side = ("<div class='hot'><h3>热点新闻</h3><ul>"
            + "".join(f"<li><a href='/n/{i}.html'>{t}</a><span>12-0{i}</span></li>" for i, t in enumerate(sidebar))
            + "</ul></div>")
    at = {k: side if where == k else "" for k in ("aside", "after", "between", "inside")}
    article = (f"<div class='{wrapper}'><h1>{headline}</h1>"
               f"<div class='info'>2026-12-04 09:30 来源：本报 作者：{author}</div>{at['between']}"
               f"<div class='content'>{''.join(f'<p>{p}</p>' for p in body)}{at['inside']}</div>"
               f"<div class='editor'>（责任编辑：李华）</div>{at['after']}</div>")
    return (f"<html><head><title>{title}_示例新闻网</title><meta name='csrf-token' content='{csrf}'>"
            f"<meta property='og:title' content='{og_title}'></head><body>"
            "<div class='nav'><a href='/'>首页</a><a href='/gn/'>国内</a></div>"
            f"{ad}<div class='main'>{article}{at['aside']}</div>"
            "<div class='footer'>版权所有 示例新闻网</div></body></html>").encode()


def footprint_of(body: bytes) -> str:
    article = read(body, URL)
    assert isinstance(article, Article) and article.footprint, "the composed page reads as an article"
    return article.footprint


@pytest.mark.parametrize(("why", "changed"), [
    ("the same bytes", page()),
    ("the sidebar lists other titles and dates", page(sidebar=("今日要闻", "另一则新闻", "第三则"))),
    ("a per-request meta token changed", page(csrf="zz99")),
    ("an advert was inserted before the article", page(ad="<div class='ad'>广告</div>")),
])
def test_same_article_when_only_the_surroundings_changed(why, changed):
    assert same_article(changed, {}, footprint_of(page())), why


def test_a_list_after_the_body_in_the_articles_wrapper_is_not_the_article():
    before = footprint_of(page(where="after"))
    assert same_article(page(where="after", sidebar=("相关阅读：另一则",)), {}, before)


@pytest.mark.parametrize(("why", "changed"), [
    ("a word of the body", page(body=[*BODY[:3], BODY[3].replace("通报", "公布"), *BODY[4:]])),
    ("a paragraph appended", page(body=[*BODY, "更新：发布会结束后，相关部门又补充了一份说明材料。"])),
    ("the headline", page(headline="重点项目建设进展情况通报")),
    ("the byline", page(author="王明 张强")),
    ("the <title>", page(title="重点项目建设进展通报（更新）")),
    ("the og:title", page(og_title="重点项目进展")),
    ("the article's wrapper is another element", page(wrapper="article-wrap v2")),
    ("a list inside the body's element", page(where="inside", sidebar=("另一则",))),
    ("a list between the headline and the body", page(where="between", sidebar=("另一则",))),
])
def test_any_change_to_the_article_parts_means_extracting_again(why, changed):
    before = page(where=next((w for w in ("inside", "between") if w in why), "aside"))
    assert not same_article(changed, {}, footprint_of(before)), why


@pytest.mark.parametrize("stored", ["", "abc", "abc:x:html[0]", "abc:0:html[0]/body[0]/div.nope[0]", "abc:99:html[0]"])
def test_a_footprint_that_does_not_fit_the_page_never_matches(stored):
    assert not same_article(page(), {}, stored)


def test_a_page_that_is_not_html_never_matches():
    assert not same_article(b"\x00\x01\x02", {}, footprint_of(page()))
    assert not same_article(b"", {}, footprint_of(page()))
