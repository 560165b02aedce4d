"""The takedown notice form: what 《信息网络传播权保护条例》§14 asks a notice to hold, checked.

A notice gives who asks (name, contact, address), their relation to the work, the URLs (a page,
a prefix or a whole host), the basis, a statement and preliminary evidence (text, and files of a
few safe types and sizes), and a sworn-accuracy tick. A hidden field catches form-filling bots
(a honeypot instead of a CAPTCHA, which Chinese readers often cannot load).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from ..archive.access import check_pattern
from ..archive.models import Basis, Relationship, RuleScope, Snapshot

MAX_TARGETS = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and line feed
_SNAPSHOT_PATH = re.compile(r"^/snapshot/(\d+)(?:/|$)")
# Evidence files, told by their first bytes (a name or a declared type proves nothing).
_MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
          (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe): each is checked as a FileField."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFiles())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class TakedownForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=100)
    organisation = forms.CharField(label="单位（可不填）", max_length=200, required=False)
    email = forms.EmailField(label="电子邮箱", max_length=254, help_text="受理编号和处理结果发到这里")
    address = forms.CharField(label="联系地址", max_length=300)
    relationship = forms.ChoiceField(label="您与作品的关系", choices=Relationship.choices)
    urls = forms.CharField(label="涉及的网址", widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=f"每行一个，最多 {MAX_TARGETS} 个；可以是本站快照页的地址或原文地址")
    scope = forms.ChoiceField(label="范围", choices=RuleScope.choices, initial=RuleScope.URL,
                              help_text="网址前缀：以这些地址开头的所有页面；整个网站：这些网站的所有页面")
    basis = forms.ChoiceField(label="理由", choices=Basis.choices)
    statement = forms.CharField(label="说明", max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
                                help_text="哪部分内容侵犯了您的什么权利")
    evidence = forms.CharField(label="初步证明材料", max_length=20000, required=False,
                               widget=forms.Textarea(attrs={"rows": 4}), help_text="如权属证明、身份证明的说明或链接")
    evidence_files = MultipleFileField(label="附件（可不传）", required=False,
                            help_text=f"PDF、图片或纯文本，最多 {settings.TAKEDOWN_MAX_FILES} 个，"
                                      f"每个不超过 {settings.TAKEDOWN_MAX_FILE_MB:g} MB")
    sworn = forms.BooleanField(label="我保证以上内容真实，并对通知的真实性承担法律责任")
    # The honeypot: hidden from people by CSS and aria-hidden; a bot fills it in.
    website = forms.CharField(label="网站（请留空）", required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args: Any, own_hosts: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attachments: list[tuple[str, bytes, str]] = []
        self.own_hosts = {h.lower() for h in own_hosts}  # this site's host names: snapshot addresses

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("请至少填写一个网址")
        if len(lines) > MAX_TARGETS:
            raise forms.ValidationError(f"一次最多 {MAX_TARGETS} 个网址，请分几次提交")
        return lines

    def clean(self) -> dict[str, Any]:
        """Each URL checked as the rule it would become (its scope decides), and a snapshot page's
        address of this site read as the original URL it archived (the form's link gives that);
        control characters dropped from what people typed (they would reach operators' terminals)."""
        data = super().clean() or {}
        for name in ("name", "organisation", "address", "statement", "evidence"):
            if isinstance(data.get(name), str):
                data[name] = _CONTROL.sub("", data[name])
        lines, scope = data.get("urls"), data.get("scope")
        if not lines or not scope:
            return data
        checked, bad = [], []
        for line in lines:
            try:
                checked.append(check_pattern(scope, self.own_snapshot(line) or line))
            except ValueError as exc:
                bad.append(str(exc))
            except forms.ValidationError as exc:
                bad += exc.messages
        if bad:
            self.add_error("urls", forms.ValidationError("；".join(bad[:5])))
        data["urls"] = checked
        return data

    def own_snapshot(self, line: str) -> str | None:
        """The original URL of this site's snapshot page at `line`, if it is one."""
        try:
            parts = urlsplit(line if "://" in line else f"http://{line}")
            host = parts.netloc.lower()
        except ValueError:
            return None
        found = _SNAPSHOT_PATH.match(parts.path)
        if found is None or host not in self.own_hosts:
            return None
        url = Snapshot.objects.filter(pk=int(found.group(1))).values_list("page__url", flat=True).first()
        if url is None:
            raise forms.ValidationError(f"本站没有这个快照：{line[:80]}")
        return url

    def clean_evidence_files(self) -> list[UploadedFile[Any]]:
        files: list[UploadedFile[Any]] = self.cleaned_data.get("evidence_files") or []
        if len(files) > settings.TAKEDOWN_MAX_FILES:
            raise forms.ValidationError(f"附件最多 {settings.TAKEDOWN_MAX_FILES} 个")
        limit = int(settings.TAKEDOWN_MAX_FILE_MB * 1024 * 1024)
        for f in files:
            if f.size is None or f.size > limit:
                raise forms.ValidationError(f"{f.name} 超过 {settings.TAKEDOWN_MAX_FILE_MB:g} MB")
            content = f.read()
            kind = _kind(content)
            if kind is None:
                raise forms.ValidationError(f"{f.name} 不是 PDF、图片或纯文本文件")
            self.attachments.append((_safe_name(f.name or "附件"), content, kind))
        return files


def _kind(content: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if "\x00" not in text else None


def _safe_name(name: str) -> str:
    """The file's name without any directory, for storage under our own path."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "附件"
    return "".join(c for c in base if c.isprintable())[:150] or "附件"
