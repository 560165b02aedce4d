"""来源, 本文转自, 作者/记者 and 责任编辑 are separate fields and never run into each other."""

import pytest

from kuaizhao.extract.attribution import is_attribution_line, parse_line


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
    ],
)
def test_fields(line, source, reposted, authors, editor):
    found = parse_line(line)
    assert (found.source, found.reposted_from, found.authors, found.editor) == (source, reposted, authors, editor)


def test_attribution_only_lines():
    assert is_attribution_line("本文转自：人民网-湖南频道")
    assert is_attribution_line("（责任编辑：刘洋）")
    assert not is_attribution_line("来源于群众的意见建议，是我们改进工作的重要参考。")
