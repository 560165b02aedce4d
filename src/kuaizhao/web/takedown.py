"""如有侵权请联系我们进行删除: the public notice form, its receipt, and the transparency log.

Filing goes through `services.requests.submit`; the claimant gets the request number on the
page and by mail, operators are mailed when KUAIZHAO_TAKEDOWN_NOTIFY names them. A bot that
fills the honeypot is thanked and nothing is stored; an address over KUAIZHAO_TAKEDOWN_PER_HOUR
gets a 429 with Retry-After. The transparency log shows every decided request without personal
data (Lumen's practice): number, dates, basis, decision, URL patterns, the claimant's organisation.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from ..archive.access import TakedownRequest
from ..archive.services import requests as takedown_requests
from ..archive.states import FINAL_REQUEST_STATES, RequestState, RuleAction, RuleScope
from ..limits import client_address, over
from . import links
from .takedown_form import TakedownForm

log = logging.getLogger(__name__)
RECEIPT_SALT = "kuaizhao.takedown.receipt"
HOUR = 3600
# Shown in the log: decided requests, and those whose removal is being disputed.
LOGGED = (RequestState.APPROVED, RequestState.COUNTERED, *FINAL_REQUEST_STATES)


@require_http_methods(["GET", "HEAD", "POST"])
def takedown(request: HttpRequest) -> HttpResponse:
    own = (request.get_host().lower(), urlsplit(settings.PUBLIC_URL).netloc.lower())
    if request.method != "POST":
        initial = {"urls": request.GET.get("url", "")[:2000]}
        return _form(request, TakedownForm(initial=initial, own_hosts=own))
    try:
        form = TakedownForm(request.POST, request.FILES, own_hosts=own)
        bot = form.is_bot
    except (RequestDataTooBig, TooManyFilesSent, TooManyFieldsSent):
        # Django refuses such a body before the form sees it: answered on the form all the same.
        return _form(request, TakedownForm(own_hosts=own), status=413,
                     error=f"提交的内容太大：说明请精简，附件最多 {settings.TAKEDOWN_MAX_FILES} 个、"
                           f"每个不超过 {settings.TAKEDOWN_MAX_FILE_MB:g} MB。")
    if bot:
        log.info("takedown form: honeypot filled from %s; nothing stored", client_address(request))
        return render(request, "takedown_received.html", {"claim": None})
    if not form.is_valid():
        return _form(request, form, status=400)
    # Counted once valid: a claimant correcting typos is not locked out, and what is limited is
    # what costs operators time (stored notices).
    retry = over(request, "takedown", settings.TAKEDOWN_PER_HOUR, HOUR)
    if retry is not None:
        answer = _form(request, form, status=429, error=f"同一地址每小时最多提交 {settings.TAKEDOWN_PER_HOUR} 份通知，"
                                                          f"请 {retry // 60 + 1} 分钟后再试。")
        answer["Retry-After"] = str(retry)
        return answer
    data = form.cleaned_data
    claim = takedown_requests.submit(takedown_requests.Notice(
        name=data["name"], organisation=data["organisation"], email=data["email"], address=data["address"],
        relationship=data["relationship"], basis=data["basis"], statement=data["statement"],
        evidence=data["evidence"], sworn=data["sworn"], client=client_address(request),
        targets=[(data["scope"], url) for url in data["urls"]], attachments=form.attachments))
    _mail(request, claim)
    token = signing.dumps(claim.number, salt=RECEIPT_SALT)
    return HttpResponseRedirect(links.path("web:takedown-received") + f"?t={token}")


def _form(request: HttpRequest, form: TakedownForm, status: int = 200, error: str = "") -> HttpResponse:
    return render(request, "takedown.html", {"form": form, "error": error}, status=status)


@require_safe
def received(request: HttpRequest) -> HttpResponse:
    """The receipt, for the one who filed it (a signed token; numbers are easy to guess)."""
    try:
        number = signing.loads(request.GET.get("t", ""), salt=RECEIPT_SALT, max_age=7 * 24 * HOUR)
        claim = TakedownRequest.objects.get(number=number)
    except (signing.BadSignature, TakedownRequest.DoesNotExist):
        raise Http404("回执链接无效或已过期；受理编号已发到您的邮箱。") from None
    return render(request, "takedown_received.html", {"claim": claim})


def _mail(request: HttpRequest, claim: TakedownRequest) -> None:
    log_url = request.build_absolute_uri(links.path("web:transparency"))
    urls = "\n".join(f"  {pattern}（{RuleScope(scope).label}）" for scope, pattern in claim.targets)
    body = (f"{claim.name}，您好：\n\n我们已收到您的删除通知，受理编号 {claim.number}。\n\n涉及的网址：\n{urls}\n\n"
            f"我们会尽快审核，并把结果发到这个邮箱。处理结果公示于 {log_url}（不含个人信息）。\n\n"
            f"{settings.SITE_NAME}")
    try:
        send_mail(f"[{settings.SITE_NAME}] 已收到删除通知 {claim.number}", body, None, [claim.email])
        if settings.TAKEDOWN_NOTIFY:
            admin_url = request.build_absolute_uri(f"/admin/archive/takedownrequest/{claim.pk}/change/")
            send_mail(f"[{settings.SITE_NAME}] 新的删除通知 {claim.number}（{claim.get_basis_display()}）",
                      f"{claim.number}：{len(claim.targets)} 个网址，理由：{claim.get_basis_display()}\n{admin_url}",
                      None, settings.TAKEDOWN_NOTIFY)
    except OSError:  # the request is stored either way; operators see it in the admin
        log.exception("could not mail the receipt of %s", claim.number)


@require_safe
def transparency(request: HttpRequest) -> HttpResponse:
    logged = list(TakedownRequest.objects.filter(state__in=LOGGED).order_by("-received_at", "-pk")[:500])
    pending = TakedownRequest.objects.exclude(state__in=LOGGED).count()
    rows = [(r, [(RuleScope(s).label if s in RuleScope.values else s, shown(r, p)) for s, p in r.targets])
            for r in logged]
    return render(request, "transparency.html", {"rows": rows, "pending": pending})


def shown(claim: TakedownRequest, pattern: str) -> str:
    """A URL as the log may show it: in full where a block declares it anyway (its 451 page, CDX);
    only its site where an exclusion promises it is gone, or a rejected notice would point
    readers at what someone wanted hidden."""
    if claim.action == RuleAction.BLOCK and claim.state != RequestState.REJECTED:
        return pattern
    host = urlsplit(pattern if "://" in pattern else f"http://{pattern}").hostname or "?"
    return f"{host}/…（具体网址不公开）"

