"""The diff page (/page/<id>/diff/): two versions of a page, headline and byline apart, the body
sentence by sentence; the gate; bad parameters; the links from the snapshot page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from kuaizhao.archive.models import Snapshot

from ..conftest import take_down
from .conftest import T0

BODY = ("近年来，湖南省推动全省产业工人队伍建设取得良好成效。截至2021年底，全省共有技能人才532万人。\n"
        + "".join(f"第{i}项措施已经落实到位。" for i in range(1, 13)) + "\n会议要求各地继续推进改革。")


@pytest.fixture
def edited(archive):
    """One page in three versions: the second edits the lead and the headline, the third adds a
    correction note and an author."""
    url = archive.add("湖南深化产业工人队伍建设改革", text=BODY, authors=("张三",))
    archive.add("湖南全面深化产业工人队伍建设改革", url=url, text=BODY.replace("532万人", "553万人"),
                authors=("张三",), when=T0 + timedelta(hours=2))
    archive.add("湖南全面深化产业工人队伍建设改革", url=url, authors=("张三", "李四"), when=T0 + timedelta(hours=5),
                text=BODY.replace("532万人", "553万人") + "\n【更正】本报此前报道中的人数有误，特此更正。")
    return list(Snapshot.objects.filter(page__url=url).order_by("captured_at"))


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_diff_of_two_versions_shows_headline_byline_and_body(client, edited):
    first, second, third = edited
    page = first.page_id
    html = get(client, f"/page/{page}/diff/?from={first.pk}&to={second.pk}")
    assert "<h2 id=\"diff-title-h\">标题</h2>" in html
    assert "湖南<ins>全面</ins>深化产业工人队伍建设改革" in html
    assert "截至2021年底，全省共有技能人才<del>532</del><ins>553</ins>万人。" in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "改动：标题导语" in text and "正文改写 1 句、删去 0 句、新增 0 句" in text
    assert "…11 句未变…" in text, "the unchanged measures are collapsed, two kept as context"
    assert "第1项措施已经落实到位。第2项措施" in text and "会议要求" not in text
    assert "署名" not in text
    html = get(client, f"/page/{page}/diff/?to={third.pk}")  # the version before it by default
    text = re.sub(r"<[^>]+>", "", html)
    assert "<ins>【更正】本报此前报道中的人数有误，特此更正。</ins>" in html
    assert "改动：署名更正说明" in text and "作者" in text and "<ins>张三、李四</ins>" in html
    assert "标题</h2>" not in html


def test_defaults_compare_the_two_latest_and_links_come_from_the_snapshot_page(client, edited):
    first, second, third = edited
    latest = get(client, f"/page/{first.page_id}/diff/")
    assert f'href="/snapshot/{second.pk}/"' in latest and f'href="/snapshot/{third.pk}/"' in latest
    assert f'<option value="{second.pk}" selected>' in latest, "the version picker shows the pair"
    snapshot_page = get(client, f"/snapshot/{third.pk}/")
    links = re.findall(r'href="(/page/\d+/diff/\?to=\d+)">与上一版对比', snapshot_page)
    assert links == [f"/page/{first.page_id}/diff/?to={second.pk}", f"/page/{first.page_id}/diff/?to={third.pk}"]
    assert get(client, f"/page/{first.page_id}/diff/?from={first.pk}") == get(
        client, f"/page/{first.page_id}/diff/?from={first.pk}&to={third.pk}")


def test_noise_can_be_ignored(client, archive):
    """Noise alone makes no version (content identity ignores it); beside a real edit it can be hidden."""
    url = archive.add("标题", text="他说：“今天开会。”会议 在北京举行。")
    archive.add("标题", url=url, text="他说：「今天开会。」会议在北京举行。", when=T0 + timedelta(hours=1))
    assert Snapshot.objects.filter(page__url=url).count() == 1
    archive.add("标题", url=url, text="他说：「今天开会。」会议在上海举行。", when=T0 + timedelta(hours=2))
    page = Snapshot.objects.filter(page__url=url).first().page_id
    exact = get(client, f"/page/{page}/diff/")
    assert "<ins>" in exact.split("正文</h2>")[1].split("legend")[0]
    quiet = get(client, f"/page/{page}/diff/?normalise=1")
    body = quiet.split("正文</h2>")[1].split("legend")[0]
    marked = "".join(re.findall(r"<(?:ins|del)[^>]*>([^<]*)</(?:ins|del)>", body))
    assert "上海" in marked and "北京" in marked and not set("“”「」 ") & set(marked), "only the edit is marked"


def test_a_taken_down_version_cannot_be_compared(client, edited):
    first, second, third = edited
    take_down([second.pk], versions_only=True)
    get(client, f"/page/{first.page_id}/diff/?from={first.pk}&to={second.pk}", 404)
    html = get(client, f"/page/{first.page_id}/diff/?to={third.pk}")  # the previous public one is the first
    assert f'href="/snapshot/{first.pk}/"' in html and f"/snapshot/{second.pk}/" not in html
    take_down([first.pk, third.pk], versions_only=True)
    get(client, f"/page/{first.page_id}/diff/", 404)


def test_bad_requests_are_refused_clearly(client, edited, archive):
    first, second, _ = edited
    page = first.page_id
    other = Snapshot.objects.get(page__url=archive.add("另一篇", text="另一篇文章的正文。"))
    assert f"快照 {other.pk} 不是页面 {page} 的版本" in get(client, f"/page/{page}/diff/?from={other.pk}", 404)
    assert "应为快照编号" in get(client, f"/page/{page}/diff/?to=abc", 400)
    get(client, f"/page/{page}/diff/?to=999999", 404)
    get(client, "/page/999999/diff/", 404)
    # an older version may be compared with a newer one the other way round too
    assert "<del>全面</del>" in get(client, f"/page/{page}/diff/?from={second.pk}&to={first.pk}")


def test_a_version_without_another_is_compared_with_itself(client, edited, archive):
    first = edited[0]
    other = Snapshot.objects.get(page__url=archive.add("另一篇", text="另一篇文章的正文。"))
    assert "此页面只有一个公开的版本" in get(client, f"/page/{other.page_id}/diff/")
    assert "这是此页面的第一个版本" in get(client, f"/page/{first.page_id}/diff/?to={first.pk}")
    same = get(client, f"/page/{first.page_id}/diff/?from={edited[1].pk}&to={edited[1].pk}")
    assert "所选的是同一个版本" in same and "两个版本的标题、署名和正文相同" in same
    assert "<ins>" not in same.split("legend")[0]
