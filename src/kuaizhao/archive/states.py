"""The named states of pages, captures and snapshots."""

from __future__ import annotations

from django.db import models


class PageStatus(models.TextChoices):
    """What we last saw at a page's URL."""

    LIVE = "live", "在线"  # fetched and extracted; content as first captured
    EDITED = "edited", "已修改"  # fetched; the content differs from an earlier snapshot
    REMOVED = "removed", "已删除"  # the site answers 404/410 or a "deleted" page where an article was
    UNREACHABLE = "unreachable", "无法访问"  # timeouts, DNS or connection errors, 5xx on the last attempt
    EXCLUDED = "excluded", "不存档"  # the publisher said noarchive: nothing is kept or shown


class CaptureOutcome(models.TextChoices):
    """What became of one fetch."""

    NOT_MODIFIED = "not-modified", "未修改（304）"  # a conditional recheck answered 304: nothing to extract
    SUSPECT = "suspect", "待复查"  # a 200 page whose extraction lost most of the text: fetched again before believed
    NEW_SNAPSHOT = "new", "新快照"  # kept in WARC; its content made a new snapshot
    UNCHANGED = "unchanged", "未变化"  # kept in WARC; same content as the page's latest snapshot
    # kept in WARC; the parts the article was read from hash as before (extract/footprint.py): not extracted
    SAME_ARTICLE = "same-article", "未变化（未重新抽取）"
    NOT_ARTICLE = "not-article", "非文章"  # kept in WARC; extraction found no article
    HTTP_ERROR = "http-error", "HTTP 错误"  # kept in WARC; a 4xx/5xx answer
    NOARCHIVE = "noarchive", "禁止存档"  # not kept: meta robots or X-Robots-Tag said noarchive
    NOT_HTML = "not-html", "非 HTML"  # not kept: the body is not an HTML document


class TakedownState(models.TextChoices):
    """Whether a snapshot may be shown. Set only from the access rules and the publisher's
    noarchive (services/access.py), never by hand: a rule binds to URLs, so a later version of a
    page is hidden as its earlier ones are."""

    NONE = "none", "公开"  # shown
    BLOCKED = "blocked", "已屏蔽（451）"  # a block rule: a 451 tombstone in its place, listed in CDX as blocked
    EXCLUDED = "excluded", "已排除（404）"  # an exclude rule: as if never archived, absent from every index
    WITHDRAWN = "withdrawn", "发布者不许存档"  # the page later said noarchive; shown again if it stops saying so


class RuleAction(models.TextChoices):
    """What an access rule does to the snapshots it covers (pywb's access controls)."""

    BLOCK = "block", "屏蔽（451，保留记录）"
    EXCLUDE = "exclude", "排除（404，不留痕迹）"
    ALLOW = "allow", "允许（例外）"  # shows what a broader rule hides


class RuleScope(models.TextChoices):
    """Which URLs an access rule covers."""

    URL = "url", "单个网址"  # the page, whatever its scheme, www., case or query order
    PREFIX = "prefix", "网址前缀"  # every page whose address starts so
    HOST = "host", "整个网站"  # every page of the host and its subdomains


class RequestState(models.TextChoices):
    """Where a takedown request stands (《信息网络传播权保护条例》§14–17: notice, removal, counter-notice)."""

    RECEIVED = "received", "已收到"
    REVIEWING = "reviewing", "审核中"
    APPROVED = "approved", "已批准"  # its access rules are in force
    REJECTED = "rejected", "已驳回"
    COUNTERED = "countered", "收到反通知"  # the approved removal is disputed; the rules stay meanwhile
    RESTORED = "restored", "已恢复"  # the counter-notice held: the rules are lifted
    UPHELD = "upheld", "维持删除"  # the counter-notice did not hold


FINAL_REQUEST_STATES = (RequestState.REJECTED, RequestState.RESTORED, RequestState.UPHELD)


class Basis(models.TextChoices):
    COPYRIGHT = "copyright", "著作权"
    PRIVACY = "privacy", "隐私"
    DEFAMATION = "defamation", "名誉权"
    OTHER = "other", "其他"


class Relationship(models.TextChoices):
    OWNER = "owner", "权利人本人"
    AGENT = "agent", "权利人的代理人"
    SUBJECT = "subject", "文中涉及的当事人"
    OTHER = "other", "其他"


class RemovalReason(models.TextChoices):
    """How a page showed that its article is gone."""

    HTTP_404 = "http-404", "原网址返回 404"
    HTTP_410 = "http-410", "原网址返回 410（已永久删除）"
    HTTP_451 = "http-451", "原网址返回 451（因法律原因不可用）"
    REDIRECTED = "redirected", "原网址跳转到首页或栏目页"
    SOFT_404 = "soft-404", "页面显示内容已删除或不存在"
    LOGIN_WALL = "login-wall", "原文需要登录才能查看"
    EMPTY = "empty", "页面已无正文"


class ChangeKind(models.TextChoices):
    """What happened to a page between two fetches, as the version history records it."""

    EDITED = "edited", "修改"  # a new version: the content changed
    REMOVED = "removed", "删除"  # the article is gone (RemovalReason says how it showed)
    RESTORED = "restored", "恢复"  # a removed article answers again
    WITHDRAWN = "withdrawn", "撤回存档"  # the publisher now says noarchive: earlier snapshots leave public view
    EXTRACTION = "extraction", "提取异常"  # a 200 page twice read as far less (or no) text: not an edit
