"""The diff page: two versions of one page compared, headline and byline first, then the body.

The body is shown as running text in paragraphs, deletions struck through (<del>) and insertions
marked (<ins>), with unchanged stretches collapsed to a line (…12 句未变…) and a little context
kept around each change. Every snapshot comes through `Snapshot.objects.public()` (archive/versions.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..archive import comparisons as versions
from ..archive.diff import Block, TextDiff

CONTEXT = 2  # unchanged sentences kept on each side of a change
_KIND = {"equal": "", "delete": "del", "insert": "ins"}


@dataclass
class Paragraph:
    """One paragraph of the shown body: (kind, text) pieces, kind "" / "ins" / "del"; or, when
    `skipped`, a line standing for that many unchanged sentences."""

    pieces: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise versions.VersionError(400, "bad-parameter", f"参数 {name} 应为快照编号（正整数）。")
    return int(value)


@require_safe
def page_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """/page/<id>/diff/?from=<snapshot>&to=<snapshot>[&normalise=1]"""
    try:
        from_id, to_id = _int_param(request, "from"), _int_param(request, "to")
        page, history = versions.public_versions(pk)
        old, new = versions.pick(pk, history, from_id, to_id)
    except versions.VersionError as e:
        title = "请求有误" if e.status == 400 else "无法对比"
        return render(request, "error.html", {"status": e.status, "title": title, "message": e.message},
                      status=e.status)
    normalise = request.GET.get("normalise") == "1"
    result = versions.compare_snapshots(old, new, normalise=normalise)
    return render(request, "diff.html", {
        "page": page, "old": old, "new": new, "versions": history, "result": result, "normalise": normalise,
        "paragraphs": paragraphs(result.body), "counts": result.body.counts(),
    })


def paragraphs(d: TextDiff) -> list[Paragraph]:
    """The body diff as paragraphs to show, unchanged stretches collapsed."""
    pieces: list[tuple[str, str] | int] = []  # an int: that many unchanged sentences not shown
    last = len(d.blocks) - 1
    for k, block in enumerate(d.blocks):
        if block.op == "equal":
            pieces += _context(block, keep_head=k > 0, keep_tail=k < last)
        elif block.op == "change":
            pieces += [(_KIND[s.op], s.old if s.op == "delete" else s.new) for s in block.spans]
        else:
            kind = "del" if block.op == "delete" else "ins"
            pieces += [(kind, s) for s in (block.old if block.op == "delete" else block.new)]
    out = [Paragraph()]
    for piece in pieces:
        if isinstance(piece, int):
            out += [Paragraph(skipped=piece), Paragraph()]
            continue
        kind, text = piece
        lines = text.split("\n")
        for n, line in enumerate(lines):
            if n:
                out.append(Paragraph())
            if line.strip():
                out[-1].pieces.append((kind, line))
    return [p for p in out if p.skipped or p.pieces]


def _context(block: Block, *, keep_head: bool, keep_tail: bool) -> list[tuple[str, str] | int]:
    """An unchanged run: CONTEXT sentences after the change before it and before the change after
    it, the rest counted."""
    sents = list(block.new)
    head = sents[:CONTEXT] if keep_head else []
    tail = sents[len(head):][-CONTEXT:] if keep_tail else []
    hidden = len(sents) - len(head) - len(tail)
    if hidden == 1:  # a line saying "1 句未变" is longer than the sentence
        return [("", s) for s in sents]
    middle: list[tuple[str, str] | int] = [hidden] if hidden else []
    return [*(("", s) for s in head), *middle, *(("", s) for s in tail)]
