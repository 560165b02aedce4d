"""来源, 本文转自, 作者/记者 and 责任编辑 are separate fields and never run into each other."""

import pytest
from lxml import html

from kuaizhao.extract.attribution import attribute, is_attribution_line, parse_line
from kuaizhao.extract.names import is_name
from kuaizhao.extract.zone import Fragment, fragments, lines


@pytest.mark.parametrize(
    ("line", "source", "reposted", "authors", "editor"),
    [
        ("类别:国内 发布时间:2023-01-17 20:37:00 来源:人民资讯", "人民资讯", [], [], None),
        ("本文转自:人民网-湖南频道", None, ["人民网-湖南频道"], [], None),
        ("来源：新华社  作者：张三 李四  责任编辑：王五", "新华社", [], ["张三", "李四"], "王五"),
        ("新华社北京1月17日电（记者 张三、李四）近日，", None, [], ["张三", "李四"], None),
        ("（责任编辑：刘洋）", None, [], [], "刘洋"),
        ("2023-01-17 08:00 来源: 人民日报 | 编辑：赵六", "人民日报", [], [], "赵六"),
        ("2026年11月20日 08:30　来源：华夏日报　作者：王喆 李娜　打印", "华夏日报", [], ["王喆", "李娜"], None),
        ("稿件来源：华夏日报 转载自：东方新闻网", None, ["华夏日报", "东方新闻网"], [], None),
        # words after a label that are no outlet and no person
        ("来源：昨天 10:20", None, [], [], None),
        ("来源：网络", None, [], [], None),
        ('来源：<font size="20">', None, [], [], None),
        ("作者：国内  来源：滨江晚报", "滨江晚报", [], [], None),
        ("作者：佚名", None, [], [], None),
        ("作者：新华社", None, [], [], None),
        # bylines: 摄影 before a name is the next credit; 、 separates names; Traditional labels
        ("记者 张三 实习生 李四 摄影 王五", None, [], ["张三", "李四"], None),
        ("本报记者 王小明、李华", None, [], ["王小明", "李华"], None),
        ("來源：中央社　記者 謝明俊／台北報導", "中央社", [], ["謝明俊"], None),
        ("《周刊》作者 周明", None, [], ["周明"], None),
        ("本文来源于：国家统计局", "国家统计局", [], [], None),
    ],
)
def test_fields(line, source, reposted, authors, editor):
    found = parse_line(line)
    assert (found.source, found.reposted_from, found.authors, found.editor) == (source, reposted, authors, editor)


def test_attribution_only_lines():
    assert is_attribution_line("本文转自：人民网-湖南频道")
    assert is_attribution_line("（责任编辑：刘洋）")
    assert not is_attribution_line("来源于群众的意见建议，是我们改进工作的重要参考。")


def frags(*lines):
    """Info-zone fragments, one tuple of texts per visual line."""
    return [Fragment(text, "", line=n) for n, texts in enumerate(lines) for text in texts]


def test_section_labels_are_never_names():
    for label in ("国内", "时政", "文化", "房产", "海外", "江苏", "安徽"):
        assert not is_name(label), label
    # 国 and 文 are surnames all the same: labelled, by role or in full, such names still read
    assert is_name("国强") and is_name("王国强")
    assert parse_line("作者：国强").authors == ["国强"]
    assert parse_line("本报记者 文静 报道").authors == ["文静"]


@pytest.mark.parametrize(
    ("zone", "sections", "authors"),
    [
        # category · time · 来源, as the reference page lays it out: the label is no byline
        ((("国内", "3分钟前", "来源：华夏日报"),), frozenset(), []),
        ((("时政", "2024-03-12 08:45"),), frozenset(), []),
        # a word beside the time with a rare surname is more likely a label than a writer…
        ((("海涛", "2024-03-12 08:45", "来源：滨江晚报"),), frozenset(), []),
        # …but a frequent surname reads as a name there, and brackets always mark a byline
        ((("王强", "2024-03-12 08:45", "来源：滨江晚报"),), frozenset(), ["王强"]),
        ((("2004年7月16日08:19 [ 黄宇 ] 来源：江城日报",),), frozenset(), ["黄宇"]),
        # a name alone on its own line under the headline stays a byline, whatever its surname
        ((("海涛",), ("2024-03-12 08:45", "来源：滨江晚报")), frozenset(), ["海涛"]),
        ((("胡平",),), frozenset(), ["胡平"]),
        # a word the page itself uses as a section (breadcrumb, declared section) is never one
        ((("苏州", "2024-03-12 08:45"),), frozenset({"苏州"}), []),
    ],
)
def test_bare_names_in_the_info_zone(zone, sections, authors):
    fragments = frags(*zone)
    found = attribute(lines(fragments), fragments, [], [], None, sections)
    assert found.authors == authors


def test_a_line_break_ends_an_info_line():
    tree = html.fromstring('<html><body><h1>标题</h1><p>2024-03-12 08:45<br>海涛</p>'
                           '<div id="c"><p>正文</p></div></body></html>')
    found = fragments(tree, tree.find(".//h1"), tree.get_element_by_id("c"))
    assert [f.text for f in found] == ["2024-03-12 08:45", "海涛"]
    assert found[0].line != found[1].line
    assert attribute(lines(found), found, [], [], None).authors == ["海涛"]
