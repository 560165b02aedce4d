"""Takedown requests: each move of the workflow is a service call with who, when and why; the
moves a state does not allow are refused with a message; approving, rejecting, restoring and
hiding at once change exactly the snapshots the request names."""

from __future__ import annotations

import pytest

from kuaizhao.archive.access import TakedownEvent
from kuaizhao.archive.models import RequestState, RuleAction, RuleScope, Snapshot, TakedownState
from kuaizhao.archive.services import requests

from .conftest import TEXT

S = RequestState


def notice(*urls: str, scope: str = RuleScope.URL) -> requests.Notice:
    return requests.Notice(name="张三", email="zhang@example.cn", address="湖南省长沙市某路 1 号",
                           relationship="owner", basis="copyright", statement="这是我写的文章，未经许可转载。",
                           targets=[(scope, u) for u in urls], organisation="某某报社", sworn=True)


def state_of(url: str) -> set[str]:
    return set(Snapshot.objects.filter(page__url=url).values_list("takedown", flat=True))


def test_a_request_is_numbered_and_its_filing_recorded(db):
    first, second = requests.submit(notice("http://a.cn/1.htm")), requests.submit(notice("http://a.cn/2.htm"))
    assert first.number.startswith("TD-") and first.number[-5:] == "00001" and second.number[-5:] == "00002"
    assert first.state == S.RECEIVED
    event = TakedownEvent.objects.get(request=first)
    assert (event.what, event.to_state, event.actor) == ("收到请求", S.RECEIVED, "claimant")


def test_approve_blocks_every_version_and_records_who_and_why(archive):
    url = archive.add("被投诉的文章")
    claim = requests.submit(notice(url))
    requests.review(claim, "editor-li", "开始核实")
    changed = requests.approve(claim, "editor-li", RuleAction.BLOCK, "权属证明齐全")
    assert changed == list(Snapshot.objects.filter(page__url=url).values_list("pk", flat=True))
    assert state_of(url) == {TakedownState.BLOCKED}
    claim.refresh_from_db()
    assert claim.state == S.APPROVED and claim.decided_at is not None and claim.public_reason == "权属证明齐全"
    history = list(claim.events.values_list("what", "from_state", "to_state", "actor", "reason"))
    assert history[0][:3] == ("收到请求", "", S.RECEIVED)
    assert history[1] == ("审核中", S.RECEIVED, S.REVIEWING, "editor-li", "开始核实")
    assert history[-1] == ("已批准", S.REVIEWING, S.APPROVED, "editor-li", "权属证明齐全")
    # A version captured after the decision is hidden as the earlier one is (the rule binds to the URL).
    archive.add("被投诉的文章（修改后）", url=url, text=TEXT + "\n修改后的正文，内容已经不同。" * 3)
    assert state_of(url) == {TakedownState.BLOCKED} and Snapshot.objects.filter(page__url=url).count() == 2


def test_hide_at_once_then_reject_shows_it_again(archive):
    url = archive.add("临时隐藏的文章")
    claim = requests.submit(notice(url))
    requests.hide_now(claim, "editor-li", "先隐藏")
    assert state_of(url) == {TakedownState.BLOCKED}
    claim.refresh_from_db()
    assert claim.state == S.RECEIVED, "hiding at once is no decision"
    requests.reject(claim, "editor-wang", "材料不足，无法证明权属")
    assert state_of(url) == {TakedownState.NONE}
    claim.refresh_from_db()
    assert claim.state == S.REJECTED and all(r.lifted_at for r in claim.rules.all())


def test_approving_after_hiding_replaces_the_provisional_rules(archive):
    url = archive.add("先隐藏后排除")
    claim = requests.submit(notice(url))
    requests.hide_now(claim, "editor-li")
    requests.approve(claim, "editor-li", RuleAction.EXCLUDE, "涉及个人隐私")
    assert state_of(url) == {TakedownState.EXCLUDED}
    active = list(claim.rules.active())
    assert [(r.action, r.provisional) for r in active] == [(RuleAction.EXCLUDE, False)]


@pytest.mark.parametrize(("ending", "shown"), [("restore", True), ("uphold", False)])
def test_a_counter_notice_restores_everything_or_is_upheld(archive, ending, shown):
    urls = [archive.add(f"反通知的文章{n}", url=f"http://hx.example.cn/zt/{n}.htm") for n in range(2)]
    claim = requests.submit(notice("http://hx.example.cn/zt/", scope=RuleScope.PREFIX))
    requests.approve(claim, "editor-li", RuleAction.BLOCK, "著作权")
    requests.counter(claim, "editor-li", "转载已获授权，附授权书")
    assert all(state_of(u) == {TakedownState.BLOCKED} for u in urls), "the rules stay while it is weighed"
    getattr(requests, ending)(claim, "editor-wang", "核实授权书")
    expected = {TakedownState.NONE} if shown else {TakedownState.BLOCKED}
    assert all(state_of(u) == expected for u in urls)
    claim.refresh_from_db()
    assert claim.state == (S.RESTORED if shown else S.UPHELD) and claim.counter_notice.startswith("转载已获授权")


@pytest.mark.parametrize(("move", "state"), [("uphold", S.RECEIVED), ("counter", S.RECEIVED),
                                             ("approve", S.REJECTED), ("reject", S.APPROVED),
                                             ("review", S.REVIEWING), ("hide_now", S.APPROVED)])
def test_a_move_the_state_does_not_allow_is_refused(db, move, state):
    claim = requests.submit(notice("http://a.cn/x.htm"))
    claim.state = state
    claim.save()
    calls = {"approve": lambda: requests.approve(claim, "editor", RuleAction.BLOCK, "原因")}
    with pytest.raises(requests.RequestError, match="只有"):
        calls.get(move, lambda: getattr(requests, move)(claim, "editor", "原因"))()
    claim.refresh_from_db()
    assert claim.state == state and claim.events.count() == 1


def test_an_unknown_number_is_a_clear_error(db):
    with pytest.raises(requests.RequestError, match="没有编号为 TD-1999-00001"):
        requests.get("td-1999-00001")


def test_a_request_is_undone_on_the_request_not_by_lifting_its_rules(archive):
    from kuaizhao.archive.services import access, take_down
    from kuaizhao.archive.services import restore as restore_snapshots

    url = archive.add("请求屏蔽的文章")
    claim = requests.submit(notice(url))
    requests.approve(claim, "editor", RuleAction.BLOCK, "著作权")
    snap = Snapshot.objects.get(page__url=url)
    with pytest.raises(access.RuleError, match=claim.number):
        restore_snapshots([snap.pk], "editor")
    with pytest.raises(access.RuleError, match=claim.number):
        access.lift_rules(list(claim.rules.all()), "editor")
    assert state_of(url) == {TakedownState.BLOCKED}
    requests.counter(claim, "editor", "已获授权")
    requests.restore(claim, "editor", "授权属实")
    assert state_of(url) == {TakedownState.NONE}
    take_down([snap.pk], "editor")  # an operator's own rule is theirs to lift
    assert restore_snapshots([snap.pk], "editor") == [snap.pk]


def test_hiding_twice_makes_one_set_of_rules_and_the_451_keeps_operators_notes_private(client, archive):
    url = archive.add("审核中的文章")
    claim = requests.submit(notice(url))
    requests.hide_now(claim, "editor", "内部备注：对方律师电话 13800000000")
    requests.hide_now(claim, "editor", "再点一次")
    assert claim.rules.active().count() == 1
    page = client.get(f"/snapshot/{Snapshot.objects.get(page__url=url).pk}/")
    body = page.content.decode()
    assert page.status_code == 451 and "13800000000" not in body and "审核期间暂时屏蔽" in body
    assert f'#{claim.number}"' not in body, "no link to a log entry that is not there yet"
