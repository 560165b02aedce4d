"""Which element holds the article (locate.py): scores, the headline, contested calls."""

from __future__ import annotations

from lxml import html as lxml_html

from kuaizhao.extract import content, listing, locate

SENTENCE = "记者今天从有关部门了解到，这项工作已经全面展开，群众反映良好。"


def found(page: str) -> locate.Found:
    tree = lxml_html.document_fromstring(page)
    content.clean_tree(tree)
    result = locate.find(tree)
    assert result is not None
    return result


def test_names_count_in_the_plural():
    assert content.NEGATIVE.search("comments_rule")
    assert content.NEGATIVE.search("ads-box")
    assert not content.NEGATIVE.search("inside-text")


def test_text_between_brs_belongs_to_its_div():
    page = (f"<html><body><div id='wrap'><div class='widget'>{SENTENCE}</div>"
            f"<div id='post'>{(SENTENCE + '<br><br>') * 4}<p>{SENTENCE}</p></div></div></body></html>")
    assert found(page).element.get("id") == "post"


def test_headline_in_a_title_div_with_a_site_suffix_anchors():
    title = locate._Title("城市书房延长开放时间_新闻中心_某某网")
    assert title.matches(locate._norm("城市书房延长开放时间"))
    assert title.matches(locate._norm("城市书房延长开放时间 听全文"))  # a widget's label inside the heading
    assert not title.matches(locate._norm("某某网"))  # the site's name is not the headline


def test_close_rivals_without_a_headline_are_contested():
    block = "".join(f"<p>{SENTENCE}</p>" for _ in range(4))
    page = (f"<html><head><title>某某网</title></head><body><div><div>{block}</div></div>"
            f"<div><div>{block}</div></div></body></html>")
    assert found(page).contested


def test_items_led_by_their_own_linked_titles_are_a_listing():
    items = "".join(f"<li><a href='/a/{i}.html'><h4>另一篇新闻的标题第{i}条</h4></a><p>{SENTENCE}</p>"
                    f"<span>05-11 07:12</span></li>" for i in range(3))
    assert listing.is_listing(lxml_html.fragment_fromstring(f"<ul>{items}</ul>"))


def test_an_article_with_links_in_its_sentences_is_no_listing():
    linked = f"<p>据<a href='/x'>市交通运输局</a>消息，{SENTENCE}</p>"
    lone = f"<p><a href='/topic'>点击进入专题页面</a></p><p>{SENTENCE}</p>"
    body = linked * 3 + lone + f"<p>{SENTENCE}</p>" * 3
    assert not listing.is_listing(lxml_html.fragment_fromstring(f"<div>{body}</div>"))
