"""/api/pages/{id}/versions and /api/pages/{id}/diff: the structured diff applies, the gate holds,
bad pairs are problem objects."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kuaizhao.archive import diff as textdiff
from kuaizhao.archive.models import Snapshot

from ..conftest import take_down
from .conftest import T0
from .test_diff_page import BODY


@pytest.fixture
def edited(archive):
    url = archive.add("湖南深化产业工人队伍建设改革", text=BODY, authors=("张三",))
    archive.add("湖南全面深化产业工人队伍建设改革", url=url, text=BODY.replace("532万人", "553万人"),
                authors=("张三",), when=T0 + timedelta(hours=2))
    archive.add("湖南全面深化产业工人队伍建设改革", url=url, authors=("张三", "李四"), when=T0 + timedelta(hours=5),
                text=BODY.replace("532万人", "553万人").replace("第7项措施已经落实到位。", "")
                + "\n【更正】本报此前报道中的人数有误，特此更正。")
    return list(Snapshot.objects.filter(page__url=url).order_by("captured_at"))


def test_versions_list_oldest_first_with_the_change_of_each(client, edited):
    first, second, third = edited
    body = client.get(f"/api/pages/{first.page_id}/versions").json()
    assert body["page"] == first.page_id and body["original_url"] == first.page.url
    items = body["items"]
    assert [i["id"] for i in items] == [first.pk, second.pk, third.pk]
    assert items[0]["significance"] is None and items[0]["changes"] == [] and items[0]["diff"] is None
    assert items[1]["changes"] == ["headline", "lead"] and 0 < items[1]["significance"] < 0.05
    assert items[2]["changes"] == ["body", "byline", "correction"]
    assert items[2]["content_hash"] == third.content_hash and items[2]["title"] == third.title
    assert items[2]["diff"].endswith(f"/api/pages/{first.page_id}/diff?from={second.pk}&to={third.pk}")
    assert items[2]["diff_page"].endswith(f"/page/{first.page_id}/diff/?from={second.pk}&to={third.pk}")


def test_the_diff_is_structured_and_applies_to_the_old_text(client, edited):
    first, _, third = edited
    out = client.get(f"/api/pages/{first.page_id}/diff", {"from": first.pk, "to": third.pk}).json()
    assert out["from"]["id"] == first.pk and out["to"]["id"] == third.pk and out["normalised"] is False
    assert out["changes"] == ["headline", "lead", "body", "byline", "correction"]
    assert out["title"] == [{"op": "equal", "text": "湖南"}, {"op": "insert", "text": "全面"},
                            {"op": "equal", "text": "深化产业工人队伍建设改革"}]
    assert out["byline"] == [{"label": "作者", "old": "张三", "new": "张三、李四"}]
    body = out["body"]
    assert (body["sentences_changed"], body["sentences_deleted"], body["sentences_inserted"]) == (1, 1, 1)
    # what a client does with it: the old text, rebuilt from the blocks' old sides, then the new one
    old = "".join(s for b in body["blocks"] for s in b["old"])
    assert old == first.text
    new = "".join("".join(s["text"] for s in b["spans"] if s["op"] != "delete") if b["op"] == "change"
                  else "".join(b["new"]) for b in body["blocks"])
    assert new == Snapshot.objects.get(pk=third.pk).text
    assert textdiff.apply(first.text, textdiff.diff(first.text, third.text)) == new
    # the defaults: the latest against the one before it
    latest = client.get(f"/api/pages/{first.page_id}/diff").json()
    assert (latest["from"]["id"], latest["to"]["id"]) == (edited[1].pk, third.pk)


def test_a_taken_down_version_is_neither_listed_nor_compared(client, edited):
    first, second, third = edited
    take_down([second.pk], versions_only=True)
    items = client.get(f"/api/pages/{first.page_id}/versions").json()["items"]
    assert [i["id"] for i in items] == [first.pk, third.pk]
    response = client.get(f"/api/pages/{first.page_id}/diff", {"from": second.pk, "to": third.pk})
    assert response.status_code == 404 and response.json()["code"] == "not-found"
    assert response["Content-Type"] == "application/problem+json"
    take_down([first.pk, third.pk], versions_only=True)
    assert client.get(f"/api/pages/{first.page_id}/versions").status_code == 404


def test_bad_pairs_are_problems_with_codes(client, edited, archive):
    first = edited[0]
    other = Snapshot.objects.get(page__url=archive.add("另一篇", text="另一篇文章的正文。"))
    cases = [
        ({"from": other.pk}, 404, "not-found"),
        ({"from": "abc"}, 400, "bad-parameter"),
        ({"to": 0}, 400, "bad-parameter"),
        ({"to": 999999}, 404, "not-found"),
    ]
    for params, status, code in cases:
        response = client.get(f"/api/pages/{first.page_id}/diff", params)
        assert (response.status_code, response.json()["code"]) == (status, code), params
    # no other version to compare with: the version with itself, no change
    for url in (f"/api/pages/{other.page_id}/diff", f"/api/pages/{first.page_id}/diff?to={first.pk}",
                f"/api/pages/{first.page_id}/diff?from={first.pk}&to={first.pk}"):
        same = client.get(url).json()
        assert same["from"] == same["to"] and same["changes"] == [] and same["significance"] == 0, url
    assert client.get("/api/pages/999999/versions").json()["code"] == "not-found"


def test_noise_can_be_ignored(client, archive):
    """Noise alone makes no version (content identity ignores it); beside a real edit it can be hidden."""
    url = archive.add("标题", text="他说：“今天开会。”会议 在北京举行。")
    archive.add("标题", url=url, text="他说：「今天开会。」会议在上海举行。", when=T0 + timedelta(hours=1))
    page = Snapshot.objects.filter(page__url=url).first().page_id
    exact = client.get(f"/api/pages/{page}/diff").json()
    quiet = client.get(f"/api/pages/{page}/diff", {"normalise": "true"}).json()
    assert quiet["normalised"] is True
    assert quiet["body"]["changed_chars"] < exact["body"]["changed_chars"], "quotes and spacing hidden"
    assert quiet["significance"] == exact["significance"] > 0, "noise never counts in the significance"


def test_the_openapi_document_names_the_new_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/pages/{page_id}/versions", "/api/pages/{page_id}/diff"} <= set(paths)
    params = {p["name"] for p in paths["/api/pages/{page_id}/diff"]["get"]["parameters"]}
    assert {"from", "to", "normalise"} <= params
